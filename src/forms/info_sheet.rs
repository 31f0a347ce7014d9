//! The `Thông tin` sheet of a form: `Mục` | `Nội dung` pairs, the pre-filled ones locked
//! (who reports, for which month, on which plan) and the others open to fill. The columns
//! were once headed `Trường` | `Giá trị`, which a clerk reads as "school"; the readers take
//! either header ([`crate::validate::info::INFO_HEADERS`]).
//!
//! Nothing else stands on these rows: the reader takes a row's first non-blank cell as the
//! field and the next as its value, so a hint beside an empty value would be read as it.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::inputs::{input_cells, Input};
use super::style::{self, Formats};
use crate::render::xlsx::row_height::height;
use crate::validate::info::{INFO_HEADERS, INFO_SHEET};

/// Width of the field and value columns, in characters.
const FIELD_WIDTH: f64 = 24.0;
const VALUE_WIDTH: f64 = 70.0;

/// A field's value: written by baocao and locked, or a cell to fill.
pub enum InfoValue {
    Fixed(String),
    Input(Input),
}

/// Adds `Thông tin` with the given fields in order.
pub fn add_info_sheet(
    workbook: &mut Workbook,
    fields: &[(&str, InfoValue)],
    formats: &Formats,
    password: &str,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(INFO_SHEET)?;
    style::widths(sheet, &[FIELD_WIDTH, VALUE_WIDTH])?;
    sheet.write_string_with_format(0, 0, INFO_HEADERS[0], &formats.header)?;
    sheet.write_string_with_format(0, 1, INFO_HEADERS[1], &formats.header)?;
    for (i, (field, value)) in fields.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string_with_format(row, 0, *field, &formats.fixed)?;
        match value {
            InfoValue::Fixed(text) => {
                sheet.write_string_with_format(row, 1, text, &formats.fixed)?;
                sheet.set_row_height(row, height(&[(field, FIELD_WIDTH), (text, VALUE_WIDTH)]))?;
            }
            InfoValue::Input(input) => {
                input_cells(sheet, (row, row), 1, input, formats)?;
                sheet.set_row_height(row, height(&[(field, FIELD_WIDTH), ("", VALUE_WIDTH)]))?;
            }
        }
    }
    style::page_setup(sheet, false, None)?;
    style::protect(sheet, password);
    Ok(())
}
