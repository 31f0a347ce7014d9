//! calamine 0.38 reading an OpenDocument `content.xml` (`ods.rs`: `parse_content`,
//! `read_table`, `read_row`, `get_datatype`), followed event by event with the same XML reader
//! and the same settings, before calamine is let in. [`super::ods`] measures the tables' cells;
//! this finds what that measure cannot see:
//! - a table, or a comment (`office:annotation`) inside a text cell, that the file ends in:
//!   calamine's loop there takes the end of the file for one more event and never returns
//!   (found by fuzzing, `fuzz/README.md`);
//! - the text its cells hold, which calamine copies once per repeated column and again per
//!   repeated row, and the spaces of `text:s` (`text:c="4000000000"` is four gigabytes),
//!   charged to the workbook's budget before anything is allocated;
//! - the rectangle calamine builds of each table, as calamine delimits it (a `<table:table>`
//!   start inside a table does not end it), held to `[limits]` and charged to the budget.
//!
//! Where calamine would stop with an error of its own, the following stops too and lets
//! calamine report it. When calamine is upgraded, this must be read against its new `ods.rs`;
//! the fuzz target `package_parts` and the tests below check the two still agree.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;

use super::{GuardError, Limits, WorkbookBudget};

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
pub(super) fn follow(
    content: &[u8],
    limits: &Limits,
    budget: &mut WorkbookBudget,
) -> Result<(), GuardError> {
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
                    Attribute::Value(name) => {
                        // The tab as the clerk sees it, named as the tag scan names it.
                        let name = crate::text::nfc(&super::ods::unescape(name.as_bytes()));
                        follow_table(&mut reader, &name, limits, budget)?
                    }
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

/// What calamine's `get_range` will build of a table, followed row by row: the row elements
/// from the first to the last that holds something, each repeated, as wide as the columns
/// that hold something.
#[derive(Default)]
struct Extent {
    /// Rows so far, counting repeats (capped as calamine caps them).
    rows: u64,
    /// Cells calamine pushed while reading rows (a value and a formula text each).
    pushed: u64,
    /// Rows (with repeats) from the first row holding something to the latest one.
    since_first: u64,
    /// Rows (with repeats) from the first to the last row holding something.
    span: u64,
    /// The last row holding something, counting repeats.
    last_row: Option<u64>,
    /// First and last column holding something.
    columns: Option<(u64, u64)>,
}

impl Extent {
    fn add_row(&mut self, repeats: u64, row: &RowCells) {
        self.rows = self.rows.saturating_add(repeats);
        self.pushed = self.pushed.saturating_add(row.pushed);
        if self.last_row.is_some() {
            self.since_first = self.since_first.saturating_add(repeats);
        }
        if let Some((first, last)) = row.values {
            if self.last_row.is_none() {
                self.since_first = repeats;
            }
            self.span = self.since_first;
            self.last_row = Some(self.rows.saturating_sub(1));
            self.columns = Some(match self.columns {
                Some((a, b)) => (a.min(first), b.max(last)),
                None => (first, last),
            });
        }
    }

    /// Holds the table to the limits and charges what calamine and baocao will hold of it.
    fn finish(
        self,
        table: &str,
        limits: &Limits,
        budget: &mut WorkbookBudget,
    ) -> Result<(), GuardError> {
        const CELL: u64 =
            (std::mem::size_of::<calamine::Data>() + std::mem::size_of::<String>()) as u64;
        budget.charge(self.pushed.saturating_mul(CELL))?;
        let (Some(last_row), Some((first_col, last_col))) = (self.last_row, self.columns) else {
            return Ok(());
        };
        if last_row + 1 > limits.max_rows {
            return Err(GuardError::TooManyRows {
                sheet: table.to_string(),
                rows: last_row + 1,
                limit: limits.max_rows,
            });
        }
        let cells = self.span.saturating_mul(last_col - first_col + 1);
        if cells > limits.max_cells {
            return Err(GuardError::TooManyCells {
                sheet: table.to_string(),
                cells,
                last: crate::ingest::cell::address(last_row as u32, last_col as u32),
                limit: limits.max_cells,
            });
        }
        let copy = std::mem::size_of::<crate::ingest::CellValue>() as u64;
        budget.charge(cells.saturating_mul(CELL + copy))
    }
}

fn follow_table(
    reader: &mut Reader<&[u8]>,
    table: &str,
    limits: &Limits,
    budget: &mut WorkbookBudget,
) -> Result<Next, GuardError> {
    let mut extent = Extent::default();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name() == QName("table:table-row") => {
                let Some(repeats) = number(&e, "table:number-rows-repeated") else {
                    return Ok(Next::Stops);
                };
                let repeats = repeats.min(MAX_ROWS.saturating_sub(extent.rows));
                let Some(row) = follow_row(reader, table, budget)? else {
                    return Ok(Next::Stops);
                };
                // The row's text again in calamine's range, once per repeat, and in baocao's
                // copy of the cells.
                budget.charge(row.text.saturating_mul(repeats).saturating_mul(2))?;
                extent.add_row(repeats, &row);
            }
            Ok(Event::End(e)) if e.name() == QName("table:table") => {
                extent.finish(table, limits, budget)?;
                return Ok(Next::On);
            }
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

/// One row element as calamine reads it.
struct RowCells {
    /// Cells pushed (empty ones before a later cell count; trailing empty ones do not).
    pushed: u64,
    /// First and last column holding something.
    values: Option<(u64, u64)>,
    /// Bytes of text the row's cells hold, counting repeated columns.
    text: u64,
}

/// The row as calamine reads it (`read_row`), or `None` where calamine stops.
fn follow_row(
    reader: &mut Reader<&[u8]>,
    table: &str,
    budget: &mut WorkbookBudget,
) -> Result<Option<RowCells>, GuardError> {
    let mut row = RowCells {
        pushed: 0,
        values: None,
        text: 0,
    };
    let mut pending_empty: u64 = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e))
                if e.name() == QName("table:table-cell")
                    || e.name() == QName("table:covered-table-cell") =>
            {
                let Some(repeats) = number(&e, "table:number-columns-repeated") else {
                    return Ok(None);
                };
                let Some(cell) = follow_cell(reader, &e, table, budget)? else {
                    return Ok(None);
                };
                if !cell.closed && reader.read_to_end(e.name()).is_err() {
                    return Ok(None);
                }
                // Empty cells are pushed when another cell follows them.
                row.pushed += pending_empty.min(MAX_COLUMNS.saturating_sub(row.pushed));
                pending_empty = 0;
                let repeats = repeats.min(MAX_COLUMNS.saturating_sub(row.pushed));
                if cell.holds_something {
                    if repeats > 0 {
                        let first = row.values.map_or(row.pushed, |(first, _)| first);
                        row.values = Some((first, row.pushed + repeats - 1));
                    }
                    row.pushed += repeats;
                } else {
                    pending_empty = repeats;
                }
                let bytes = cell.text.saturating_mul(repeats);
                budget.charge(bytes)?;
                row.text = row.text.saturating_add(bytes);
            }
            Ok(Event::End(e)) if e.name() == QName("table:table-row") => return Ok(Some(row)),
            _ => return Ok(None),
        }
    }
}

/// A cell as calamine reads it (`get_datatype`).
struct Cell {
    /// Bytes of text its value and formula take.
    text: u64,
    /// Whether calamine has read up to the cell's end.
    closed: bool,
    /// A value or a formula: not `Data::Empty` with no formula.
    holds_something: bool,
}

/// The cell, or `None` where calamine stops.
fn follow_cell(
    reader: &mut Reader<&[u8]>,
    cell: &BytesStart<'_>,
    table: &str,
    budget: &mut WorkbookBudget,
) -> Result<Option<Cell>, GuardError> {
    let mut value_set = false;
    let mut is_string = false;
    let mut is_error = false;
    let mut empty_string_value = false;
    let mut has_formula = false;
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
            "table:formula" => {
                has_formula = !value.is_empty();
                bytes = bytes.saturating_add(value.len() as u64);
            }
            _ => {}
        }
    }
    if !((!value_set && is_string) || (is_error && empty_string_value)) {
        return Ok(Some(Cell {
            text: bytes,
            closed: false,
            holds_something: value_set || has_formula,
        }));
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
                // The text read is a value even when it is empty (`Data::String("")`).
                return Ok(Some(Cell {
                    text: bytes,
                    closed: true,
                    holds_something: true,
                }));
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
        follow(xml.as_bytes(), &limits, &mut budget).map(|()| budget.used())
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
    fn a_table_start_inside_a_table_does_not_split_what_calamine_builds() {
        // Found by fuzzing: calamine reads on through an inner `<table:table>` as part of the
        // same table, so one value far right before it and many rows after it make one wide,
        // tall rectangle (here 1,001 rows × 16,001 columns); measured as two tables, each
        // looked small, and calamine took 590 MB.
        let xml = content(
            r#"<table:table table:name="Số liệu &amp; ghi chú"><table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table table:name="x"><table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" office:value="2"/></table:table-row></table:table>"#,
        );
        let limits = Limits::default();
        let mut budget = WorkbookBudget::new(&limits);
        assert!(
            super::super::ods::check_content(xml.as_bytes(), &limits, &mut budget).is_ok(),
            "the tag scan sees two small tables"
        );
        let refused = follow_with_default_budget(&xml).expect_err("refused");
        assert!(
            matches!(&refused, GuardError::TooManyCells { sheet, cells: 16_017_001, .. } if sheet == "Số liệu & ghi chú"),
            "{refused:?}"
        );
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
