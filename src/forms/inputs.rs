//! The cells a unit fills in: shaded, unlocked, and each with a data validation that says
//! what goes there (its input message) and refuses what the reader would refuse — whole
//! numbers ≥ 0 for figures, dates for date columns, drop-down lists for statuses and units.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, Formula,
    Worksheet, XlsxError,
};

use super::style::Formats;

/// Excel's limits on an input message's title and text (UTF-16 units).
const TITLE_LIMIT: usize = 32;
const MESSAGE_LIMIT: usize = 255;

/// What an input column takes; decides its format and its validation.
#[derive(Debug, Clone)]
pub enum InputKind {
    /// Free text (the validation only carries the input message).
    Text,
    /// A whole number from `min` on (figures: 0; task numbers: 1).
    Whole { min: i32 },
    /// A whole number from `min` to `max` (a school's national-standard level, 0–2).
    WholeBetween { min: i32, max: i32 },
    /// A percentage typed as a whole number 0–100.
    Percent,
    /// A date on or after `from`.
    Date { from: NaiveDate },
    /// A date and time (overdue dossiers).
    DateTime,
    /// A month, typed `7/2026` (Excel stores it as the month's first day).
    Month,
    /// One of a few values; `strict` refuses anything else, otherwise it only warns.
    List { items: Vec<String>, strict: bool },
    /// One of the values of a range (`'_danh_sach'!$A$1:$A$7`); never strict, since a cell
    /// may name several units or one the list does not have.
    Range { formula: String },
}

/// An input column: its kind and the message shown when a cell of it is selected.
#[derive(Debug, Clone)]
pub struct Input {
    pub kind: InputKind,
    pub title: String,
    pub message: String,
}

impl Input {
    /// An input column.
    pub fn new(kind: InputKind, title: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind,
            title: title.into(),
            message: message.into(),
        }
    }

    /// The format of its cells.
    pub fn format<'a>(&self, formats: &'a Formats) -> &'a Format {
        match self.kind {
            InputKind::Text | InputKind::Range { .. } => &formats.input_text,
            InputKind::List { .. } => &formats.input_centre,
            InputKind::Whole { .. } | InputKind::WholeBetween { .. } => &formats.input_number,
            InputKind::Percent => &formats.input_percent,
            InputKind::Date { .. } => &formats.input_date,
            InputKind::DateTime => &formats.input_datetime,
            InputKind::Month => &formats.input_month,
        }
    }

    /// Its data validation.
    pub fn validation(&self) -> Result<DataValidation, XlsxError> {
        let earliest = excel_date(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default())?;
        let (rule, error) = match &self.kind {
            InputKind::Text => (DataValidation::new().allow_any_value(), None),
            InputKind::Whole { min } => (
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(*min)),
                Some(if *min == 0 {
                    "Ghi số nguyên từ 0 trở lên (không có thì ghi 0); không ghi chữ, dấu thập phân hay số âm.".to_string()
                } else {
                    format!("Ghi số nguyên từ {min} trở lên; không ghi chữ hay dấu thập phân.")
                }),
            ),
            InputKind::WholeBetween { min, max } => (
                DataValidation::new()
                    .allow_whole_number(DataValidationRule::Between(*min, *max)),
                Some(format!("Ghi một số nguyên từ {min} đến {max}.")),
            ),
            InputKind::Percent => (
                DataValidation::new().allow_whole_number(DataValidationRule::Between(0, 100)),
                Some("Ghi tỷ lệ phần trăm là số nguyên từ 0 đến 100, ví dụ 80 (không ghi 80%).".into()),
            ),
            InputKind::Date { from } => (
                DataValidation::new()
                    .allow_date(DataValidationRule::GreaterThanOrEqualTo(excel_date(*from)?)),
                Some(format!(
                    "Ghi ngày dạng ngày/tháng/năm, từ {} trở đi.",
                    crate::vn::date::format_date(*from)
                )),
            ),
            InputKind::DateTime => (
                DataValidation::new()
                    .allow_date(DataValidationRule::GreaterThanOrEqualTo(earliest)),
                Some("Ghi ngày giờ dạng ngày/tháng/năm giờ:phút, ví dụ 07/11/2026 13:39.".into()),
            ),
            InputKind::Month => (
                DataValidation::new()
                    .allow_date(DataValidationRule::GreaterThanOrEqualTo(earliest)),
                Some("Ghi tháng dạng tháng/năm, ví dụ 7/2026.".into()),
            ),
            InputKind::List { items, strict } => {
                let rule = DataValidation::new().allow_list_strings(items)?;
                let rule = if *strict {
                    rule
                } else {
                    rule.set_error_style(DataValidationErrorStyle::Information)
                };
                (
                    rule,
                    Some(format!("Chọn trong danh sách: {}.", items.join(", "))),
                )
            }
            InputKind::Range { formula } => (
                DataValidation::new()
                    .allow_list_formula(Formula::new(formula))
                    .set_error_style(DataValidationErrorStyle::Information),
                Some("Tên này không có trong danh sách đơn vị; vẫn ghi nếu đúng ý (nhiều đơn vị cách nhau bằng dấu ;).".into()),
            ),
        };
        let mut validation = rule
            .set_input_title(clip(&self.title, TITLE_LIMIT))?
            .set_input_message(clip(&self.message, MESSAGE_LIMIT))?;
        if let Some(error) = error {
            validation = validation
                .set_error_title(clip(&self.title, TITLE_LIMIT))?
                .set_error_message(clip(&error, MESSAGE_LIMIT))?;
        }
        Ok(validation)
    }
}

/// Shades and unlocks the cells of column `col` from `first` to `last` row and validates
/// them; a cell may already hold a value (`write_input` keeps it).
pub fn input_cells(
    sheet: &mut Worksheet,
    (first, last): (u32, u32),
    col: u16,
    input: &Input,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let format = input.format(formats);
    for row in first..=last {
        sheet.write_blank(row, col, format)?;
    }
    sheet.add_data_validation(first, col, last, col, &input.validation()?)?;
    Ok(())
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)
}

/// Cuts a text to Excel's limit (in UTF-16 units), ending with `…` when cut.
pub fn clip(text: &str, limit: usize) -> String {
    if text.encode_utf16().count() <= limit {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 1; // room for the ellipsis
    for ch in text.chars() {
        used += ch.len_utf16();
        if used > limit {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_to_excel_limits() {
        assert_eq!(clip("Giá trị", 32), "Giá trị");
        let long = "Số văn bản ".repeat(40);
        let cut = clip(&long, MESSAGE_LIMIT);
        assert_eq!(cut.encode_utf16().count(), MESSAGE_LIMIT);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn every_kind_builds_a_validation() {
        for kind in [
            InputKind::Text,
            InputKind::Whole { min: 0 },
            InputKind::WholeBetween { min: 0, max: 2 },
            InputKind::Percent,
            InputKind::Date {
                from: NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
            },
            InputKind::DateTime,
            InputKind::Month,
            InputKind::List {
                items: vec!["Hoàn thành".into(), "Tạm dừng".into()],
                strict: true,
            },
            InputKind::Range {
                formula: "='_danh_sach'!$A$1:$A$3".into(),
            },
        ] {
            let input = Input::new(kind, "Một tiêu đề rất dài hơn ba mươi hai ký tự", "x");
            assert!(input.validation().is_ok(), "{input:?}");
        }
    }
}
