//! The OpenDocument counterpart of the sheet-extent check. calamine builds every table of
//! `content.xml` when it opens the file, expanding repeated cells (`number-columns-repeated`)
//! and rows (`number-rows-repeated`) into a full rectangle of values and another of formula
//! texts; one repeated value in a far corner costs gigabytes. So the tables are measured here
//! as calamine will build them, named as the tabs the user sees, held to the limits and
//! charged to the workbook's budget before calamine starts.

use super::{attribute, scan_tags, GuardError, Limits, WorkbookBudget};

/// calamine's own caps on a table (`ods.rs`): it never expands past these.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Bytes per cell of calamine's pass over a row (a value and a formula text, in vectors that
/// double as they grow) and of the rectangle it builds (a value and a formula text, then a
/// copy of the values and the reader's own cell).
const ROW_CELL_BYTES: u64 =
    2 * (std::mem::size_of::<calamine::Data>() + std::mem::size_of::<String>()) as u64;
const RANGE_CELL_BYTES: u64 = (2 * std::mem::size_of::<calamine::Data>()
    + std::mem::size_of::<String>()
    + std::mem::size_of::<crate::ingest::CellValue>()) as u64;

/// One table as calamine will build it.
struct Table {
    name: String,
    /// Rows so far, counting repeats (capped as calamine caps them).
    rows: u64,
    /// Cells calamine pushes while reading rows (empty cells before a value count too).
    pushed: u64,
    /// The rows (with repeats) and columns that hold a value: first, last.
    value_rows: Option<(u64, u64)>,
    value_cols: Option<(u64, u64)>,
    /// The current row: its first row number, repeats, columns so far, whether it holds a
    /// value, and where its values start and end.
    row: Option<Row>,
}

struct Row {
    at: u64,
    repeats: u64,
    cols: u64,
    first_value: Option<u64>,
    end_value: u64,
}

impl Table {
    fn new(name: String) -> Self {
        Self {
            name,
            rows: 0,
            pushed: 0,
            value_rows: None,
            value_cols: None,
            row: None,
        }
    }

    fn start_row(&mut self, repeats: u64) {
        self.end_row();
        let repeats = repeats.min(MAX_ROWS.saturating_sub(self.rows));
        self.row = Some(Row {
            at: self.rows,
            repeats,
            cols: 0,
            first_value: None,
            end_value: 0,
        });
        self.rows += repeats;
    }

    fn cell(&mut self, repeats: u64, has_value: bool) {
        let Some(row) = self.row.as_mut() else {
            return;
        };
        let repeats = repeats.min(MAX_COLUMNS.saturating_sub(row.cols));
        if has_value && repeats > 0 {
            row.first_value.get_or_insert(row.cols);
            row.end_value = row.cols + repeats;
        }
        row.cols += repeats;
    }

    fn end_row(&mut self) {
        let Some(row) = self.row.take() else {
            return;
        };
        // calamine pushes the cells up to the row's last value, once per row element.
        self.pushed = self.pushed.saturating_add(row.end_value);
        if let Some(first) = row.first_value {
            let last_row = row.at + row.repeats.max(1) - 1;
            self.value_rows = Some(match self.value_rows {
                Some((a, _)) => (a, last_row),
                None => (row.at, last_row),
            });
            self.value_cols = Some(match self.value_cols {
                Some((a, b)) => (a.min(first), b.max(row.end_value - 1)),
                None => (first, row.end_value - 1),
            });
        }
    }

    /// Holds the table to the limits; its cost in bytes when it passes.
    fn finish(mut self, limits: &Limits) -> Result<u64, GuardError> {
        self.end_row();
        let pushed = self.pushed.saturating_mul(ROW_CELL_BYTES);
        let (Some((first_row, last_row)), Some((first_col, last_col))) =
            (self.value_rows, self.value_cols)
        else {
            return Ok(pushed);
        };
        if last_row + 1 > limits.max_rows {
            return Err(GuardError::TooManyRows {
                sheet: self.name,
                rows: last_row + 1,
                limit: limits.max_rows,
            });
        }
        let cells = (last_row - first_row + 1).saturating_mul(last_col - first_col + 1);
        if cells > limits.max_cells {
            return Err(GuardError::TooManyCells {
                sheet: self.name,
                cells,
                last: crate::ingest::cell::address(last_row as u32, last_col as u32),
                limit: limits.max_cells,
            });
        }
        Ok(pushed.saturating_add(cells.saturating_mul(RANGE_CELL_BYTES)))
    }
}

/// A repeat count attribute; absent or unreadable counts as one (calamine refuses the file
/// when it cannot read one, so nothing is built then).
fn repeats(attributes: &[u8], name: &[u8]) -> u64 {
    attribute(attributes, name)
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
}

/// Measures every table of `content.xml`, refusing one beyond the limits, and charges what
/// they will cost to `budget`.
pub(super) fn check_content(
    content: &[u8],
    limits: &Limits,
    budget: &mut WorkbookBudget,
) -> Result<(), GuardError> {
    let mut table: Option<Table> = None;
    let mut finished: Vec<Table> = Vec::new();
    scan_tags(content, |name, tag| {
        let empty = tag.trim_ascii_end().ends_with(b"/");
        match name {
            b"table" => {
                if let Some(done) = table.take() {
                    finished.push(done);
                }
                let name = attribute(tag, b"name")
                    .map(|n| crate::text::nfc(&unescape(n)))
                    .unwrap_or_default();
                table = Some(Table::new(name));
            }
            b"table-row" => {
                if let Some(table) = table.as_mut() {
                    table.start_row(repeats(tag, b"number-rows-repeated"));
                }
            }
            b"table-cell" | b"covered-table-cell" => {
                if let Some(table) = table.as_mut() {
                    let has_value = !empty
                        || attribute(tag, b"value-type").is_some()
                        || attribute(tag, b"formula").is_some();
                    table.cell(repeats(tag, b"number-columns-repeated"), has_value);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    finished.extend(table);
    for table in finished {
        budget.charge(table.finish(limits)?)?;
    }
    Ok(())
}

/// An attribute value with XML's five entities replaced (`&amp;` in a tab name).
pub(super) fn unescape(value: &[u8]) -> String {
    String::from_utf8_lossy(value)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(tables: &str) -> String {
        format!(
            "<office:document-content><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
        )
    }

    #[test]
    fn empty_repeated_rows_and_cells_cost_nothing() {
        // What LibreOffice writes for a small sheet: the rest of the sheet as repeated empties.
        let xml = content(concat!(
            r#"<table:table table:name="Số liệu"><table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#,
            r#"<table:table-cell table:number-columns-repeated="16383"/></table:table-row>"#,
            r#"<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#,
        ));
        let limits = Limits::default();
        let mut budget = WorkbookBudget::new(&limits);
        check_content(xml.as_bytes(), &limits, &mut budget).expect("passes");
        assert!(budget.used() < 1024, "{}", budget.used());
    }

    #[test]
    fn a_repeated_value_far_away_is_refused_by_the_tab_name() {
        let xml = content(concat!(
            r#"<table:table table:name="Thông tin"><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row></table:table>"#,
            r#"<table:table table:name="Số liệu &amp; ghi chú"><table:table-row table:number-rows-repeated="200000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="3"/></table:table-row></table:table>"#,
        ));
        let limits = Limits::default();
        let refused = check_content(xml.as_bytes(), &limits, &mut WorkbookBudget::new(&limits))
            .expect_err("refused");
        assert_eq!(
            refused,
            GuardError::TooManyRows {
                sheet: "Số liệu & ghi chú".into(),
                rows: 200_000,
                limit: 100_000
            }
        );
    }

    #[test]
    fn tables_within_the_limits_are_charged_together() {
        // Each table is 90,000 × 20 cells: within the sheet limits, and about 170 MB each for
        // calamine to build.
        let table = r#"<table:table table:name="T"><table:table-row table:number-rows-repeated="90000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="20"/></table:table-row></table:table>"#;
        let xml = content(&table.repeat(3));
        let limits = Limits::default();
        let refused = check_content(xml.as_bytes(), &limits, &mut WorkbookBudget::new(&limits))
            .expect_err("refused");
        assert!(
            matches!(refused, GuardError::OverBudget { limit: 64, .. }),
            "{refused:?}"
        );
    }
}
