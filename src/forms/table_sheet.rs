//! A list sheet of a form (`Kết quả`, `Văn bản tham mưu`, `Nhiệm vụ`, `Tiến độ`, …): a title,
//! the canonical header row, then a fixed number of rows whose columns are numbered, pre-filled
//! and locked, or open to fill with their validation.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::inputs::{input_cells, Input};
use super::style::{self, Formats};
use crate::render::xlsx::row_height::{height, height_in, merged_width, Font};

/// The row of the header (zero-based): the title and a subtitle stand above it.
pub const HEADER_ROW: u32 = 2;

/// What a column holds in the data rows.
pub enum ColumnFill {
    /// `1, 2, 3, …`, locked (a task list's `STT`).
    Numbered,
    /// Pre-filled values, one per row, locked.
    Fixed { values: Vec<String>, centred: bool },
    /// Cells to fill.
    Input(Input),
}

/// One column: the header as the reader knows it, a width in characters, its content.
pub struct TableColumn {
    pub header: String,
    pub width: f64,
    pub fill: ColumnFill,
}

impl TableColumn {
    /// A column.
    pub fn new(header: &str, width: f64, fill: ColumnFill) -> Self {
        Self {
            header: header.to_string(),
            width,
            fill,
        }
    }
}

/// A list sheet.
pub struct TableSheet {
    pub name: String,
    pub title: String,
    pub subtitle: String,
    pub columns: Vec<TableColumn>,
    /// Number of data rows.
    pub rows: u32,
    pub landscape: bool,
}

/// The columns of a figures sheet (`Số liệu` of Forms A and D): header and width.
pub const FIGURE_SHEET_COLUMNS: [(&str, f64); 5] = [
    ("Mã", 20.0),
    ("Chỉ tiêu", 60.0),
    ("Giá trị", 14.0),
    ("Đơn vị tính", 13.0),
    ("Ghi chú", 24.0),
];

/// The top of every form sheet with a table: the title merged over the columns, the subtitle
/// (if any) below it, then the header row at [`HEADER_ROW`] with the columns' widths.
pub fn add_heading(
    sheet: &mut Worksheet,
    title: &str,
    subtitle: &str,
    columns: &[(&str, f64)],
    formats: &Formats,
) -> Result<(), XlsxError> {
    let last_col = columns.len().saturating_sub(1) as u16;
    let widths: Vec<f64> = columns.iter().map(|(_, w)| *w).collect();
    let across = merged_width(&widths);
    sheet.merge_range(0, 0, 0, last_col, title, &formats.title)?;
    sheet.set_row_height(0, height_in(Font::TITLE, &[(title, across)]).max(30.0))?;
    if !subtitle.is_empty() {
        sheet.merge_range(1, 0, 1, last_col, subtitle, &formats.subtitle)?;
        sheet.set_row_height(1, height(&[(subtitle, across)]).max(21.0))?;
    }
    for (col, (header, width)) in columns.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(HEADER_ROW, col as u16, *header, &formats.header)?;
    }
    sheet.set_row_height(HEADER_ROW, height_in(Font::BOLD, columns).max(21.0))?;
    Ok(())
}

/// Adds a list sheet, protected, printed with its header on every page.
pub fn add_table_sheet(
    workbook: &mut Workbook,
    table: &TableSheet,
    formats: &Formats,
    password: &str,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(&table.name)?;
    let last_col = table.columns.len().saturating_sub(1) as u16;
    let headings: Vec<(&str, f64)> = table
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.width))
        .collect();
    add_heading(sheet, &table.title, &table.subtitle, &headings, formats)?;
    let (first, last) = (HEADER_ROW + 1, HEADER_ROW + table.rows.max(1));
    for (i, column) in table.columns.iter().enumerate() {
        let col = i as u16;
        match &column.fill {
            ColumnFill::Numbered => {
                for row in first..=last {
                    sheet.write_number_with_format(
                        row,
                        col,
                        f64::from(row - HEADER_ROW),
                        &formats.fixed_centre,
                    )?;
                }
            }
            ColumnFill::Fixed { values, centred } => {
                let format = if *centred {
                    &formats.fixed_centre
                } else {
                    &formats.fixed
                };
                for (offset, row) in (first..=last).enumerate() {
                    let value = values.get(offset).map(String::as_str).unwrap_or("");
                    sheet.write_string_with_format(row, col, value, format)?;
                }
            }
            ColumnFill::Input(input) => input_cells(sheet, (first, last), col, input, formats)?,
        }
    }
    // Rows holding pre-filled text (a Form C's tasks) grow to show it whole.
    for (offset, row) in (first..=last).enumerate() {
        let texts: Vec<(&str, f64)> = table
            .columns
            .iter()
            .filter_map(|c| match &c.fill {
                ColumnFill::Fixed { values, .. } => {
                    values.get(offset).map(|v| (v.as_str(), c.width))
                }
                _ => None,
            })
            .collect();
        if !texts.is_empty() {
            sheet.set_row_height(row, height(&texts))?;
        }
    }
    let headers: Vec<(&str, f64)> = table
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.width))
        .collect();
    sheet.set_row_height(HEADER_ROW, height_in(Font::BOLD, &headers).max(33.0))?;
    style::page_setup(sheet, table.landscape, Some(HEADER_ROW))?;
    // LibreOffice leaves a long run of empty formatted rows out of the printed area; a blank
    // form is printed to be filled by hand too, so every row is printed.
    sheet.set_print_area(0, 0, last, last_col)?;
    style::protect(sheet, password);
    Ok(())
}
