//! The `Hướng dẫn` sheet that opens every form: the rendered guide, one line a row in one
//! wide wrapped column, each row as tall as its wrapped text, printed one page wide.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::guide::{GuideLine, GuidePage};
use super::style::{self, Formats};
use crate::render::xlsx::row_height::{height_in, Font};

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
    sheet.set_row_height(
        0,
        height_in(Font::TITLE, &[(&page.title, TEXT_WIDTH)]).max(40.0),
    )?;
    let mut row = 2;
    for line in &page.lines {
        let (text, format, font) = match line {
            GuideLine::Heading(text) => {
                row += 1; // a blank row before each heading
                (text, &formats.guide_heading, Font::BOLD)
            }
            GuideLine::Text(text) => (text, &formats.guide_text, Font::BODY),
        };
        sheet.write_string_with_format(row, 0, text, format)?;
        sheet.set_row_height(row, height_in(font, &[(text, TEXT_WIDTH)]))?;
        row += 1;
    }
    style::page_setup(sheet, false, None)?;
    // LibreOffice shrinks a sheet to one page wide by counting the columns that spill onto a
    // second page; one column wider than the page (its width in characters is wider in a
    // LibreOffice without Calibri) never spills, so the text ran past the right margin. A
    // narrow empty second column inside the print area lets the page shrink to fit.
    sheet.set_column_width(1, 1.0)?;
    sheet.set_print_area(0, 0, row - 1, 1)?;
    sheet.set_active(true);
    style::protect(sheet, password);
    Ok(())
}
