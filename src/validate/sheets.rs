//! Finding a sheet and its table in any form, with the same messages for every form:
//! `thieu-trang` for a missing sheet, `thieu-cot` for headers not found.

use super::message::{Location, Message};
use crate::ingest::{ColumnSpec, TableView, Workbook};

/// Whether a sheet must be there.
#[derive(Debug, Clone, Copy)]
pub enum Need<'a> {
    /// Required; the text says what the sheet holds (may be empty).
    Required(&'a str),
    /// Optional: absent is fine, but if present its columns must be found.
    Optional,
}

/// Finds a sheet and its table; a missing required sheet or missing columns is an error.
pub fn locate_table<'a>(
    book: &'a Workbook,
    sheet_name: &str,
    columns: &[ColumnSpec],
    need: Need,
    file: &str,
    messages: &mut Vec<Message>,
) -> Option<TableView<'a>> {
    let Some(sheet) = book.sheet(sheet_name) else {
        if let Need::Required(what) = need {
            let text = if what.is_empty() {
                format!("Thiếu trang «{sheet_name}»")
            } else {
                format!("Thiếu trang «{sheet_name}» ({what})")
            };
            messages.push(Message::error("thieu-trang", Location::file(file), text));
        }
        return None;
    };
    match TableView::locate(sheet, columns) {
        Ok(table) => Some(table),
        Err(missing) => {
            let at = match missing.nearest_row {
                Some(row) => Location::cell(file, &sheet.name, format!("dòng {}", row + 1)),
                None => Location::sheet(file, &sheet.name),
            };
            let list = missing
                .missing
                .iter()
                .map(|c| format!("«{c}»"))
                .collect::<Vec<_>>()
                .join(", ");
            messages.push(Message::error(
                "thieu-cot",
                at,
                format!("Không tìm thấy cột {list} trong 15 dòng đầu của trang"),
            ));
            None
        }
    }
}
