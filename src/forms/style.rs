//! The look of the blank forms: cells to fill are shaded and unlocked, everything else is
//! locked, and the sheet is protected, so a unit can type only where the reader looks. Print
//! set-up is done too (A4, one page wide, header rows repeated), as a clerk would otherwise.

use rust_xlsxwriter::{ProtectionOptions, Worksheet, XlsxError};

/// The formats of every form, defined with the other workbooks' formats in
/// [`crate::render::xlsx::format`] so the forms look like the department's other workbooks.
pub use crate::render::xlsx::format::FormFormats as Formats;

/// Protects a sheet: locked cells cannot change, unlocked (input) cells can. Rows may be
/// inserted (a unit with more tasks than rows) and columns widened; an empty password
/// protects without one, so a unit can still unprotect when something is really wrong.
pub fn protect(sheet: &mut Worksheet, password: &str) {
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        ..ProtectionOptions::default()
    };
    if password.is_empty() {
        sheet.protect_with_options(&options);
    } else {
        sheet.protect_with_password(password);
        sheet.protect_with_options(&options);
    }
}

/// Print set-up: A4, one page wide, the rows up to `header_row` repeated on every page.
pub fn page_setup(
    sheet: &mut Worksheet,
    landscape: bool,
    header_row: Option<u32>,
) -> Result<(), XlsxError> {
    sheet
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.6, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&CTrang &P/&N");
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    if let Some(row) = header_row {
        sheet.set_repeat_rows(0, row)?;
        sheet.set_freeze_panes(row + 1, 0)?;
    }
    Ok(())
}

/// Sets column widths (in characters) from the first column on.
pub fn widths(sheet: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    Ok(())
}
