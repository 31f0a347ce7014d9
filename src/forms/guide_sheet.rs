//! The `Hướng dẫn` sheet that opens every form: the rendered guide, one line a row in one
//! wide wrapped column (rows without a set height grow to fit their text when opened).

use rust_xlsxwriter::{Workbook, XlsxError};

use super::guide::{GuideLine, GuidePage};
use super::style::{self, Formats};

/// The sheet's name.
pub const GUIDE_SHEET: &str = "Hướng dẫn";

/// Width of the text column, in characters: about an A4 portrait page.
const TEXT_WIDTH: f64 = 95.0;

/// Adds the guide as the first sheet, active, protected.
pub fn add_guide_sheet(
    workbook: &mut Workbook,
    page: &GuidePage,
    formats: &Formats,
    password: &str,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(GUIDE_SHEET)?;
    sheet.set_column_width(0, TEXT_WIDTH)?;
    sheet.set_screen_gridlines(false);
    sheet.write_string_with_format(0, 0, &page.title, &formats.guide_title)?;
    sheet.set_row_height(0, 40)?;
    let mut row = 2;
    for line in &page.lines {
        let (text, format) = match line {
            GuideLine::Heading(text) => {
                row += 1; // a blank row before each heading
                (text, &formats.guide_heading)
            }
            GuideLine::Text(text) => (text, &formats.guide_text),
        };
        sheet.write_string_with_format(row, 0, text, format)?;
        sheet.set_row_height(row, style::wrapped_height(&[(text, TEXT_WIDTH)]))?;
        row += 1;
    }
    style::page_setup(sheet, false, None)?;
    sheet.set_active(true);
    style::protect(sheet, password);
    Ok(())
}
