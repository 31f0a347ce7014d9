//! The long lists of the XLSX outputs (one row per school or per file, thousands of rows),
//! written without a format per cell. rust_xlsxwriter finds a cell's format by hashing the
//! whole `Format` on every write; for lists of 2,000 schools that lookup was a third of the
//! cost of a workbook (callgrind; README, "Speed at scale"). Instead each column carries its
//! format, which Excel and LibreOffice give to every cell of the column that has none of its
//! own, and the grid is a single conditional format over the rows written, so the empty rows
//! below a list stay blank on screen and on paper.

use rust_xlsxwriter::{ConditionalFormatFormula, Format, Worksheet, XlsxError};

use super::format::grid;

/// Sets `columns[i]` as the format of column `i`, and draws a thin grid over the `rows`
/// rows that follow the header row `header_row`. Cells are then written without a format.
pub fn list_body(
    sheet: &mut Worksheet,
    header_row: u32,
    columns: &[&Format],
    rows: u32,
) -> Result<(), XlsxError> {
    for (col, format) in columns.iter().enumerate() {
        sheet.set_column_format(col as u16, format)?;
    }
    if rows > 0 && !columns.is_empty() {
        sheet.add_conditional_format(
            header_row + 1,
            0,
            header_row + rows,
            columns.len() as u16 - 1,
            &ConditionalFormatFormula::new()
                .set_rule("=TRUE")
                .set_format(grid()),
        )?;
    }
    Ok(())
}
