//! Reading typed values out of table cells, each failure becoming one message at its cell.

use chrono::{NaiveDate, NaiveDateTime};

use super::message::{Location, Message};
use crate::ingest::{CellValue, TableView};
use crate::vn::date::{from_excel_serial, parse_datetime_text};
use crate::vn::number::{parse_whole_text, whole_from_f64, NumberError};

/// The file and sheet a table belongs to, so cell readers can build locations.
#[derive(Debug, Clone, Copy)]
pub struct SheetRef<'a> {
    pub file: &'a str,
    pub sheet: &'a str,
}

impl SheetRef<'_> {
    /// The location of a cell address in this sheet.
    pub fn at(&self, cell: impl Into<String>) -> Location {
        Location::cell(self.file, self.sheet, cell)
    }

    /// The location of the whole sheet.
    pub fn whole(&self) -> Location {
        Location::sheet(self.file, self.sheet)
    }
}

/// Reads a whole number ≥ 0 from a cell (numeric or Vietnamese text). The cell's place and
/// the wording are only built for a message: this runs for every figure of every form.
pub fn whole_number(
    cell: &CellValue,
    at: impl FnOnce() -> Location,
    what: impl FnOnce() -> String,
) -> Result<u64, Message> {
    let result = match cell {
        CellValue::Number(n) => {
            whole_from_f64(*n).map_err(|e| (e, n.to_string().replace('.', ",")))
        }
        CellValue::Text(t) => parse_whole_text(t).map_err(|e| (e, t.clone())),
        CellValue::Empty => Err((NumberError::Empty, String::new())),
        CellValue::Error(e) => return Err(formula_error(at(), e)),
        CellValue::Bool(_) | CellValue::DateTime(_) => {
            Err((NumberError::NotANumber, cell.as_text()))
        }
    };
    result.map_err(|(error, shown)| number_message(error, at(), &shown, &what()))
}

/// The message for a number that could not be read.
pub fn number_message(error: NumberError, at: Location, shown: &str, what: &str) -> Message {
    match error {
        NumberError::Empty => Message::error(
            "o-trong",
            at,
            format!("Chưa điền {what} (nếu không có thì ghi 0)"),
        ),
        NumberError::NotANumber => Message::error(
            "khong-phai-so",
            at,
            format!("{what}: «{shown}» không phải là số"),
        ),
        NumberError::Negative => Message::error("so-am", at, format!("{what}: «{shown}» là số âm; số liệu phải từ 0 trở lên")),
        NumberError::NotWhole => Message::error(
            "khong-phai-so-nguyen",
            at,
            format!("{what}: «{shown}» không phải số nguyên"),
        ),
        NumberError::Ambiguous => Message::error(
            "so-mo-ho",
            at,
            format!(
                "{what}: cách viết «{shown}» không rõ ràng; dấu chấm dùng để phân cách hàng nghìn (1.231), dấu phẩy là dấu thập phân"
            ),
        ),
    }
}

/// A formula error (`#DIV/0!`, `#REF!`) is reported as such, not as "not a number".
pub fn formula_error(at: Location, error: &str) -> Message {
    Message::error(
        "loi-cong-thuc",
        at,
        format!("Ô có lỗi công thức {error}; hãy sửa công thức hoặc nhập giá trị"),
    )
}

/// Reads a date-time cell: a date cell, an Excel serial, or text in a listed form.
pub fn datetime(
    cell: &CellValue,
    at: Location,
    what: &str,
) -> Result<Option<NaiveDateTime>, Message> {
    match cell {
        CellValue::Empty => Ok(None),
        CellValue::Text(t) if t.trim().is_empty() => Ok(None),
        CellValue::DateTime(dt) => Ok(Some(*dt)),
        CellValue::Number(n) => from_excel_serial(*n, false)
            .map(Some)
            .ok_or_else(|| date_message(at, &cell.as_text(), what)),
        CellValue::Text(t) => parse_datetime_text(t)
            .map(Some)
            .ok_or_else(|| date_message(at, t, what)),
        CellValue::Error(e) => Err(formula_error(at, e)),
        CellValue::Bool(_) => Err(date_message(at, &cell.as_text(), what)),
    }
}

/// Reads a date cell (a date-time at midnight is the same date).
pub fn date(cell: &CellValue, at: Location, what: &str) -> Result<Option<NaiveDate>, Message> {
    datetime(cell, at, what).map(|dt| dt.map(|d| d.date()))
}

fn date_message(at: Location, shown: &str, what: &str) -> Message {
    Message::error(
        "ngay-khong-hop-le",
        at,
        format!(
            "{what}: «{shown}» không phải ngày hợp lệ (ví dụ 30/11/2025 hoặc 07-11-2025 13:39:00)"
        ),
    )
}

/// Free text of a cell, reporting formula errors instead of printing `#REF!` in a report.
pub fn text(
    table: &TableView,
    row: usize,
    key: &str,
    sheet: SheetRef,
    messages: &mut Vec<Message>,
) -> String {
    match table.cell(row, key) {
        CellValue::Error(e) => {
            messages.push(formula_error(sheet.at(table.address(row, key)), e));
            String::new()
        }
        other => other.as_text(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Location {
        Location::cell("GDTrH.xlsx", "Số liệu", "C7")
    }

    #[test]
    fn each_number_failure_has_its_code_and_cell() {
        let cases = [
            (CellValue::Text("1.5".into()), "so-mo-ho"),
            (CellValue::Text("abc".into()), "khong-phai-so"),
            (CellValue::Number(-3.0), "so-am"),
            (CellValue::Number(2.5), "khong-phai-so-nguyen"),
            (CellValue::Empty, "o-trong"),
            (CellValue::Error("#DIV/0!".into()), "loi-cong-thuc"),
        ];
        for (cell, code) in cases {
            let message = whole_number(&cell, at, || "Mã VB_DEN".into()).expect_err("must fail");
            assert_eq!(message.code, code, "{cell:?}");
            assert_eq!(message.location.to_string(), "GDTrH.xlsx › Số liệu › C7");
        }
        assert_eq!(
            whole_number(&CellValue::Text("1.231".into()), at, || "x".into()),
            Ok(1231)
        );
    }

    #[test]
    fn dates_from_cells_serials_and_text() {
        let expected = NaiveDate::from_ymd_opt(2025, 11, 30).and_then(|d| d.and_hms_opt(0, 0, 0));
        assert_eq!(
            datetime(&CellValue::Number(45991.0), at(), "x"),
            Ok(expected)
        );
        assert_eq!(
            datetime(&CellValue::Text("30/11/2025".into()), at(), "x"),
            Ok(expected)
        );
        assert_eq!(datetime(&CellValue::Empty, at(), "x"), Ok(None));
        let bad = datetime(&CellValue::Text("31/11/2025".into()), at(), "Ngày lập")
            .expect_err("bad date");
        assert_eq!(bad.code, "ngay-khong-hop-le");
        assert!(bad.text.contains("«31/11/2025»"));
    }
}
