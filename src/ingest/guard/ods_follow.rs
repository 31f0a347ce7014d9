//! calamine 0.38 reading an OpenDocument `content.xml` (`ods.rs`: `parse_content`,
//! `read_table`, `read_row`, `get_datatype`), followed event by event with the same XML reader
//! and the same settings, before calamine is let in. [`super::ods`] measures the tables' cells;
//! this finds what that measure cannot see:
//! - a table, or a comment (`office:annotation`) inside a text cell, that the file ends in:
//!   calamine's loop there takes the end of the file for one more event and never returns
//!   (found by fuzzing, `fuzz/README.md`);
//! - the text its cells hold, which calamine copies once per repeated column and again per
//!   repeated row, and the spaces of `text:s` (`text:c="4000000000"` is four gigabytes),
//!   charged to the workbook's budget before anything is allocated.
//!
//! Where calamine would stop with an error of its own, the following stops too and lets
//! calamine report it. When calamine is upgraded, this must be read against its new `ods.rs`;
//! the fuzz target `package_parts` and the tests below check the two still agree.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;

use super::{GuardError, WorkbookBudget};

/// calamine's caps on a table (`ods.rs`).
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Whether calamine goes on after a part, or stops there with an error of its own.
enum Next {
    On,
    Stops,
}

/// Follows calamine through `content.xml`; refuses what would hang it, charges the text it
/// would copy.
pub(super) fn follow(content: &[u8], budget: &mut WorkbookBudget) -> Result<(), GuardError> {
    let mut reader = Reader::from_reader(content);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    loop {
        let next = match reader.read_event() {
            Ok(Event::Start(e)) if e.name() == QName("table:table") => {
                match attribute(&e, "table:name") {
                    Attribute::Absent => Next::On,
                    Attribute::Unreadable => Next::Stops,
                    Attribute::Value(name) => follow_table(&mut reader, name, budget)?,
                }
            }
            Ok(Event::Start(e)) if e.name() == QName("table:named-expressions") => {
                follow_named_expressions(&mut reader)
            }
            Ok(Event::Eof) | Err(_) => Next::Stops,
            Ok(_) => Next::On,
        };
        if let Next::Stops = next {
            return Ok(());
        }
    }
}

fn follow_named_expressions(reader: &mut Reader<&[u8]>) -> Next {
    loop {
        match reader.read_event() {
            Ok(Event::Start(e))
                if e.name() == QName("table:named-range")
                    || e.name() == QName("table:named-expression") => {}
            Ok(Event::End(e))
                if e.name() == QName("table:named-range")
                    || e.name() == QName("table:named-expression") => {}
            Ok(Event::End(e)) if e.name() == QName("table:named-expressions") => return Next::On,
            _ => return Next::Stops,
        }
    }
}

fn follow_table(
    reader: &mut Reader<&[u8]>,
    table: &str,
    budget: &mut WorkbookBudget,
) -> Result<Next, GuardError> {
    let mut rows: u64 = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name() == QName("table:table-row") => {
                let Some(repeats) = number(&e, "table:number-rows-repeated") else {
                    return Ok(Next::Stops);
                };
                let repeats = repeats.min(MAX_ROWS.saturating_sub(rows));
                rows = rows.saturating_add(repeats);
                let Some(text) = follow_row(reader, table, budget)? else {
                    return Ok(Next::Stops);
                };
                // The row's text again in calamine's range, once per repeat, and in baocao's
                // copy of the cells.
                budget.charge(text.saturating_mul(repeats).saturating_mul(2))?;
            }
            Ok(Event::End(e)) if e.name() == QName("table:table") => return Ok(Next::On),
            Ok(Event::Eof) => {
                return Err(GuardError::Corrupt(format!(
                    "bảng «{table}» không có thẻ đóng: tệp bị cắt cụt hoặc bị sửa hỏng"
                )))
            }
            Err(_) => return Ok(Next::Stops),
            Ok(_) => {}
        }
    }
}

/// The bytes of text the row's cells hold, counting repeated columns, or `None` where
/// calamine stops.
fn follow_row(
    reader: &mut Reader<&[u8]>,
    table: &str,
    budget: &mut WorkbookBudget,
) -> Result<Option<u64>, GuardError> {
    let mut columns: u64 = 0;
    let mut text: u64 = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e))
                if e.name() == QName("table:table-cell")
                    || e.name() == QName("table:covered-table-cell") =>
            {
                let Some(repeats) = number(&e, "table:number-columns-repeated") else {
                    return Ok(None);
                };
                let repeats = repeats.min(MAX_COLUMNS.saturating_sub(columns));
                columns = columns.saturating_add(repeats);
                let Some((bytes, closed)) = follow_cell(reader, &e, table, budget)? else {
                    return Ok(None);
                };
                if !closed && reader.read_to_end(e.name()).is_err() {
                    return Ok(None);
                }
                let bytes = bytes.saturating_mul(repeats);
                budget.charge(bytes)?;
                text = text.saturating_add(bytes);
            }
            Ok(Event::End(e)) if e.name() == QName("table:table-row") => return Ok(Some(text)),
            _ => return Ok(None),
        }
    }
}

/// The bytes of text a cell's value and formula take, and whether calamine has read up to
/// the cell's end; `None` where calamine stops.
fn follow_cell(
    reader: &mut Reader<&[u8]>,
    cell: &BytesStart<'_>,
    table: &str,
    budget: &mut WorkbookBudget,
) -> Result<Option<(u64, bool)>, GuardError> {
    let mut value_set = false;
    let mut is_string = false;
    let mut is_error = false;
    let mut empty_string_value = false;
    let mut bytes: u64 = 0;
    for attribute in RawAttributes::of(cell) {
        let Some((key, value)) = attribute else {
            return Ok(None);
        };
        match key {
            "office:value" | "office:boolean-value" if !value_set => value_set = true,
            key @ ("office:string-value" | "office:date-value" | "office:time-value")
                if !value_set =>
            {
                value_set = true;
                empty_string_value = key == "office:string-value" && value.is_empty();
                bytes = bytes.saturating_add(value.len() as u64);
            }
            "office:value-type" if !value_set => is_string = value == "string",
            "calcext:value-type" => is_error = value == "error",
            "table:formula" => bytes = bytes.saturating_add(value.len() as u64),
            _ => {}
        }
    }
    if !((!value_set && is_string) || (is_error && empty_string_value)) {
        return Ok(Some((bytes, false)));
    }
    // calamine reads the text from the cell's content.
    loop {
        match reader.read_event() {
            Ok(Event::Text(text)) => bytes = bytes.saturating_add(text.len() as u64),
            Ok(Event::GeneralRef(_)) => bytes = bytes.saturating_add(4),
            Ok(Event::End(e))
                if e.name() == QName("table:table-cell")
                    || e.name() == QName("table:covered-table-cell") =>
            {
                return Ok(Some((bytes, true)));
            }
            Ok(Event::Start(e)) if e.name() == QName("office:annotation") => loop {
                match reader.read_event() {
                    Ok(Event::End(e)) if e.name() == QName("office:annotation") => break,
                    Ok(Event::Eof) => {
                        return Err(GuardError::Corrupt(format!(
                            "một ghi chú trong bảng «{table}» không có thẻ đóng: tệp bị cắt cụt hoặc bị sửa hỏng"
                        )))
                    }
                    Err(_) => return Ok(None),
                    Ok(_) => {}
                }
            },
            Ok(Event::Start(e)) if e.name() == QName("text:s") => {
                let Some(spaces) = number(&e, "text:c") else {
                    return Ok(None);
                };
                // calamine writes the spaces one by one, before anything else is checked.
                budget.charge(spaces)?;
                bytes = bytes.saturating_add(spaces);
            }
            Ok(Event::Start(e))
                if e.name() == QName("text:p")
                    || e.name() == QName("text:tab")
                    || e.name() == QName("text:line-break") =>
            {
                bytes = bytes.saturating_add(1);
            }
            Ok(Event::Eof) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
    }
}

/// An attribute as calamine's `raw_attr` finds it.
enum Attribute<'a> {
    Absent,
    Unreadable,
    Value(&'a str),
}

fn attribute<'a>(tag: &'a BytesStart<'_>, wanted: &str) -> Attribute<'a> {
    for attribute in RawAttributes::of(tag) {
        match attribute {
            Some((key, value)) if key == wanted => return Attribute::Value(value),
            Some(_) => {}
            None => return Attribute::Unreadable,
        }
    }
    Attribute::Absent
}

/// calamine's own scan of a tag's attributes (`attrs.rs`, `RawAttrIter`; MIT), which is more
/// lenient than quick-xml's: the key is whatever comes before `=`, the value whatever is
/// between the quotes. `None` for a malformed attribute, where calamine stops with an error.
struct RawAttributes<'a> {
    raw: &'a str,
    at: usize,
}

impl<'a> RawAttributes<'a> {
    fn of(tag: &'a BytesStart<'_>) -> Self {
        Self {
            raw: tag.attributes_raw(),
            at: 0,
        }
    }
}

impl<'a> Iterator for RawAttributes<'a> {
    type Item = Option<(&'a str, &'a str)>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.raw.as_bytes();
        let mut at = self.at;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at >= bytes.len() {
            self.at = at;
            return None;
        }
        let key_start = at;
        while at < bytes.len() && bytes[at] != b'=' {
            at += 1;
        }
        if at >= bytes.len() {
            self.at = bytes.len();
            return Some(None);
        }
        let key = self.raw[key_start..at].trim_ascii_end();
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let quote = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => quote,
            _ => {
                self.at = bytes.len();
                return Some(None);
            }
        };
        at += 1;
        let value_start = at;
        while at < bytes.len() && bytes[at] != quote {
            at += 1;
        }
        let value = &self.raw[value_start..at];
        if at < bytes.len() {
            at += 1;
        }
        self.at = at;
        Some(Some((key, value)))
    }
}

/// A count attribute (repeats, spaces): 1 when absent, `None` when calamine cannot read it
/// (it stops there).
fn number(tag: &BytesStart<'_>, key: &str) -> Option<u64> {
    match attribute(tag, key) {
        Attribute::Absent => Some(1),
        Attribute::Unreadable => None,
        // calamine reads some counts as written and some with entities replaced: either way
        // that reads is followed, so that nothing calamine reads goes unmeasured.
        Attribute::Value(value) => value
            .parse::<usize>()
            .ok()
            .or_else(|| {
                quick_xml::escape::unescape(value)
                    .ok()?
                    .parse::<usize>()
                    .ok()
            })
            .map(|n| n as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Limits;

    fn content(tables: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    fn follow_with_default_budget(xml: &str) -> Result<u64, GuardError> {
        let limits = Limits::default();
        let mut budget = WorkbookBudget::new(&limits);
        follow(xml.as_bytes(), &mut budget).map(|()| budget.used())
    }

    #[test]
    fn a_table_the_file_ends_in_is_refused_by_its_name() {
        // What the fuzzer found: calamine 0.38 waits for `</table:table>` forever.
        let xml = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="Số liệu"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;
        let refused = follow_with_default_budget(xml).expect_err("refused");
        assert!(
            matches!(&refused, GuardError::Corrupt(detail) if detail.contains("«Số liệu»")),
            "{refused:?}"
        );
    }

    #[test]
    fn attributes_are_read_as_leniently_as_calamine_reads_them() {
        // The fuzzer's input: a cell whose attributes lost an `=` and gained a stray `"`.
        // quick-xml refuses to read them, calamine reads on (its key is whatever comes before
        // the next `=`), and then waits for the end of a table that never comes.
        let xml = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="T"><table:table-row><table:table-cell office:value-type="float" office:value006/theme" Target="x"/><Rel Id="r" Type="http://o="0" calcext:value-type="float"><text:p>0</text:p></table:table-cell></table:table-row>"#;
        let refused = follow_with_default_budget(xml).expect_err("refused");
        assert!(matches!(refused, GuardError::Corrupt(_)), "{refused:?}");
    }

    #[test]
    fn a_comment_the_file_ends_in_is_refused() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="T"><table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>ghi chú"#;
        let refused = follow_with_default_budget(xml).expect_err("refused");
        assert!(
            matches!(&refused, GuardError::Corrupt(detail) if detail.contains("ghi chú")),
            "{refused:?}"
        );
    }

    #[test]
    fn where_calamine_stops_with_an_error_nothing_is_refused_here() {
        // The file ends inside a row: calamine reports a mismatch itself, it does not hang.
        let xml = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="T"><table:table-row><table:table-cell office:value-type="float" office:value="1"/>"#;
        assert!(follow_with_default_budget(xml).is_ok());
    }

    #[test]
    fn billions_of_spaces_are_refused_before_calamine_writes_them() {
        let xml = content(
            r#"<table:table table:name="T"><table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/>b</text:p></table:table-cell></table:table-row></table:table>"#,
        );
        let refused = follow_with_default_budget(&xml).expect_err("refused");
        assert!(
            matches!(refused, GuardError::OverBudget { .. }),
            "{refused:?}"
        );
    }

    #[test]
    fn long_text_repeated_over_columns_and_rows_is_charged_for_every_copy() {
        // 10 kB of text, 1,000 columns, 100 rows: a gigabyte of copies from 10 kB of XML.
        let text = "x".repeat(10_000);
        let xml = content(&format!(
            r#"<table:table table:name="T"><table:table-row table:number-rows-repeated="100"><table:table-cell office:value-type="string" table:number-columns-repeated="1000"><text:p>{text}</text:p></table:table-cell></table:table-row></table:table>"#
        ));
        let refused = follow_with_default_budget(&xml).expect_err("refused");
        assert!(
            matches!(refused, GuardError::OverBudget { .. }),
            "{refused:?}"
        );
    }

    #[test]
    fn an_ordinary_table_passes_and_costs_its_text() {
        let xml = content(
            r#"<table:table table:name="T"><table:table-row><table:table-cell office:value-type="string"><text:p>Mã</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1231"><text:p>1.231</text:p></table:table-cell></table:table-row></table:table><table:named-expressions/>"#,
        );
        let used = follow_with_default_budget(&xml).expect("passes");
        assert!(used > 0 && used < 1024, "{used}");
    }
}
