//! The `Thông tin` sheet every form starts with: field/value pairs, read by their folded
//! field names wherever they are on the sheet, so a retyped or reordered sheet still reads.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::cells;
use super::message::{Location, Message};
use crate::ingest::{CellValue, Workbook};
use crate::vn::Period;

/// The sheet's name in the forms.
pub const INFO_SHEET: &str = "Thông tin";

/// The headers of the sheet's two columns as the forms write them. The first forms had
/// `Trường` | `Giá trị` (as `FORMS.md` still shows), which a clerk reads as "school"; both
/// pairs are taken as a header row, not as a field.
pub const INFO_HEADERS: [&str; 2] = ["Mục", "Nội dung"];
/// The earlier headers, still read.
pub const LEGACY_INFO_HEADERS: [&str; 2] = ["Trường", "Giá trị"];

/// True for a header row of the sheet (folded field, value as written). The headers are
/// folded once per run, and a row's value only when its field is a header's: every form of
/// a run passes here, row by row.
fn is_header(key: &str, value: &CellValue) -> bool {
    static FOLDED: std::sync::OnceLock<[(String, String); 2]> = std::sync::OnceLock::new();
    let headers = FOLDED.get_or_init(|| {
        [INFO_HEADERS, LEGACY_INFO_HEADERS]
            .map(|[k, v]| (crate::text::fold_key(k), crate::text::fold_key(v)))
    });
    headers
        .iter()
        .any(|(k, v)| k == key && crate::text::fold_key(&value.as_text()) == *v)
}

/// Field/value pairs of a `Thông tin` sheet, keyed by folded field name.
#[derive(Debug)]
pub struct InfoSheet {
    sheet_name: String,
    values: HashMap<String, Field>,
}

/// A field's value and where it is. The address is written out only when asked for (for a
/// message or a location), not for every field of every form a run reads.
#[derive(Debug)]
struct Field {
    value: CellValue,
    at: CellAt,
}

/// Where a field's value is, for a message: written out (`C7`) only when one is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellAt {
    row: u32,
    col: u32,
}

impl CellAt {
    /// `C7`.
    pub fn address(self) -> String {
        crate::ingest::cell::address(self.row, self.col)
    }
}

impl InfoSheet {
    /// Reads the sheet; a missing sheet is an error message and `None`.
    pub fn read(book: &Workbook, file: &str, messages: &mut Vec<Message>) -> Option<Self> {
        let Some(sheet) = book.sheet(INFO_SHEET) else {
            messages.push(Message::error(
                "thieu-trang",
                Location::file(file),
                format!("Thiếu trang «{INFO_SHEET}» (mã đơn vị, kỳ báo cáo)"),
            ));
            return None;
        };
        let mut values = HashMap::with_capacity(sheet.row_count());
        for row in 0..sheet.row_count() {
            let mut cols = (0..sheet.row_len(row)).filter(|&c| !sheet.cell(row, c).is_blank());
            let Some(key_col) = cols.next() else { continue };
            let key = crate::text::fold_key(&sheet.cell(row, key_col).as_text());
            let (value, col) = match cols.next() {
                Some(value_col) => (sheet.cell(row, value_col).clone(), value_col),
                None => (CellValue::Empty, key_col + 1),
            };
            if is_header(&key, &value) {
                continue;
            }
            values.entry(key).or_insert(Field {
                value,
                at: CellAt {
                    row: row as u32,
                    col: col as u32,
                },
            });
        }
        Some(Self {
            sheet_name: sheet.name.clone(),
            values,
        })
    }

    /// The sheet's name as written in the file.
    pub fn sheet_name(&self) -> &str {
        &self.sheet_name
    }

    /// A field's value as text and its cell address.
    pub fn value(&self, folded_key: &str) -> Option<(String, String)> {
        self.text_at(folded_key)
            .map(|(text, at)| (text, at.address()))
    }

    /// A field's value as text, trimmed, and where it is.
    pub fn text_at(&self, folded_key: &str) -> Option<(String, CellAt)> {
        self.values
            .get(folded_key)
            .map(|field| (field.value.as_text(), field.at))
    }

    /// A field's value as text, empty when absent.
    pub fn value_text(&self, folded_key: &str) -> String {
        self.value(folded_key).map(|(v, _)| v).unwrap_or_default()
    }

    /// The reporting period (`Kỳ báo cáo`); required.
    pub fn period(&self, file: &str, messages: &mut Vec<Message>) -> Option<Period> {
        let Some(Field { value: cell, at }) = self.values.get("kybaocao") else {
            messages.push(Message::error(
                "thieu-thong-tin",
                Location::sheet(file, &self.sheet_name),
                "Thiếu dòng «Kỳ báo cáo» (ví dụ 11/2025)",
            ));
            return None;
        };
        let parsed = match cell {
            CellValue::DateTime(dt) => Some(Period::of_date(dt.date())),
            other => Period::parse_text(&other.as_text()),
        };
        if parsed.is_none() {
            messages.push(Message::error(
                "ky-khong-hop-le",
                Location::cell(file, &self.sheet_name, at.address()),
                format!(
                    "Kỳ báo cáo «{}» không đọc được (ví dụ 11/2025 hoặc tháng 11 năm 2025)",
                    cell.as_text()
                ),
            ));
        }
        parsed
    }

    /// The date the report was prepared (`Ngày lập`); optional, a bad value is a warning.
    pub fn prepared_on(&self, file: &str, messages: &mut Vec<Message>) -> Option<NaiveDate> {
        let field = self.values.get("ngaylap")?;
        let (cell, at) = (
            &field.value,
            Location::cell(file, &self.sheet_name, field.at.address()),
        );
        match cells::date(cell, at, "Ngày lập") {
            Ok(date) => date,
            Err(mut message) => {
                message.severity = super::message::Severity::Warning;
                messages.push(message);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Sheet;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    fn read(header: [&str; 2]) -> InfoSheet {
        let sheet = Sheet::from_rows(
            INFO_SHEET,
            vec![
                vec![t(header[0]), t(header[1])],
                vec![t("Mã đơn vị"), t("GDTrH")],
                vec![t("Kỳ báo cáo"), t("11/2025")],
            ],
        );
        let book = Workbook {
            sheets: vec![sheet],
        };
        let mut messages = Vec::new();
        let info = InfoSheet::read(&book, "a.xlsx", &mut messages).expect("sheet read");
        assert!(messages.is_empty(), "{messages:?}");
        info
    }

    #[test]
    fn old_and_new_headers_are_headers_not_fields() {
        for header in [INFO_HEADERS, LEGACY_INFO_HEADERS] {
            let info = read(header);
            assert_eq!(info.value_text("madonvi"), "GDTrH");
            let mut messages = Vec::new();
            assert!(info.period("a.xlsx", &mut messages).is_some());
            assert_eq!(info.value("truong"), None, "{header:?}");
            assert_eq!(info.value("muc"), None, "{header:?}");
        }
    }

    #[test]
    fn a_field_named_like_a_header_with_a_real_value_is_kept() {
        let sheet = Sheet::from_rows(
            INFO_SHEET,
            vec![
                vec![t("Mục"), t("Nội dung")],
                vec![t("Trường"), t("THCS Lê Lợi")],
            ],
        );
        let book = Workbook {
            sheets: vec![sheet],
        };
        let info = InfoSheet::read(&book, "d.xlsx", &mut Vec::new()).expect("sheet read");
        assert_eq!(info.value_text("truong"), "THCS Lê Lợi");
    }
}
