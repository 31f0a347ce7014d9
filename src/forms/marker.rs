//! The hidden marker a generated form carries: a very hidden sheet `_baocao` whose A1 holds
//! `bieu-mau=A;phien-ban=2026.1;…`. It tells the reader which form and which version of it a
//! workbook is, so a unit that sends last year's form gets "biểu mẫu cũ" instead of a
//! puzzling error. Workbooks without it (made by hand) are read as before.

use std::fmt;

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{FormLetter, FORM_VERSION};
use crate::ingest::Workbook as Book;
use crate::validate::{Location, Message};

/// The marker sheet's name; very hidden, so Excel's user interface cannot show it.
pub const MARKER_SHEET: &str = "_baocao";

/// A form version `YEAR.REVISION` (`2026.1`), ordered by year then revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FormVersion {
    pub year: u32,
    pub revision: u32,
}

impl FormVersion {
    /// Parses `2026.1`; anything else is not a version.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, revision) = text.trim().split_once('.')?;
        Some(Self {
            year: year.trim().parse().ok()?,
            revision: revision.trim().parse().ok()?,
        })
    }

    /// The version of the forms this build writes.
    pub fn current() -> Self {
        Self::parse(FORM_VERSION).unwrap_or(Self {
            year: 0,
            revision: 0,
        })
    }
}

impl fmt::Display for FormVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.year, self.revision)
    }
}

/// What a marker says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub form: FormLetter,
    pub version: FormVersion,
    /// Further `key=value` pairs (`ky`, `don-vi`), kept for whoever inspects the file.
    pub extra: Vec<(String, String)>,
}

impl Marker {
    /// A marker of the current version.
    pub fn current(form: FormLetter, extra: Vec<(String, String)>) -> Self {
        Self {
            form,
            version: FormVersion::current(),
            extra,
        }
    }

    /// `bieu-mau=A;phien-ban=2026.1;ky=2026-11`.
    pub fn text(&self) -> String {
        let mut text = format!("bieu-mau={};phien-ban={}", self.form, self.version);
        for (key, value) in &self.extra {
            text.push_str(&format!(";{key}={}", value.replace(';', ",")));
        }
        text
    }

    /// Parses a marker text; `None` unless it names a known form and a version.
    pub fn parse(text: &str) -> Option<Self> {
        let mut form = None;
        let mut version = None;
        let mut extra = Vec::new();
        for pair in text.split(';') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            match key.trim() {
                "bieu-mau" => form = FormLetter::parse(value),
                "phien-ban" => version = FormVersion::parse(value),
                other => extra.push((other.to_string(), value.trim().to_string())),
            }
        }
        Some(Self {
            form: form?,
            version: version?,
            extra,
        })
    }
}

/// Adds the very hidden marker sheet (last, so it never becomes the active sheet).
pub fn add_marker_sheet(workbook: &mut Workbook, marker: &Marker) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(MARKER_SHEET)?;
    sheet.write_string(0, 0, marker.text())?;
    sheet.write_string(
        1,
        0,
        "Trang ẩn do baocao tạo: loại và phiên bản biểu mẫu. Không sửa.",
    )?;
    sheet.set_very_hidden(true);
    sheet.protect();
    Ok(())
}

/// The marker of a workbook read from disk, if it has one.
pub fn read_marker(book: &Book) -> Option<Marker> {
    let sheet = book.sheet(MARKER_SHEET)?;
    Marker::parse(&sheet.cell(0, 0).as_text())
}

/// The `bieu-mau-cu` warning for a workbook made from an older version of the forms; `None`
/// for a current form or a workbook without a marker.
pub fn outdated_form_message(book: &Book, file: &str) -> Option<Message> {
    let marker = read_marker(book)?;
    let current = FormVersion::current();
    (marker.version < current).then(|| {
        Message::warning(
            "bieu-mau-cu",
            Location::file(file),
            format!(
                "Đơn vị dùng biểu mẫu cũ (phiên bản {}); vui lòng dùng biểu mẫu mới nhất (phiên bản {current})",
                marker.version
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{CellValue, Sheet};

    fn book_with(marker: &str) -> Book {
        Book {
            sheets: vec![
                Sheet::from_rows("Số liệu", vec![]),
                Sheet::from_rows(MARKER_SHEET, vec![vec![CellValue::Text(marker.into())]]),
            ],
        }
    }

    #[test]
    fn markers_round_trip_and_versions_order() {
        let marker = Marker::current(FormLetter::C, vec![("ky".into(), "2026-11".into())]);
        assert_eq!(Marker::parse(&marker.text()), Some(marker));
        assert!(FormVersion::parse("2025.3") < FormVersion::parse("2026.1"));
        assert!(FormVersion::parse("2026.2") > FormVersion::parse("2026.1"));
        assert!(FormVersion::parse("2026.10") > FormVersion::parse("2026.9"));
        assert_eq!(FormVersion::parse("mới"), None);
        assert_eq!(Marker::parse("bieu-mau=X;phien-ban=2026.1"), None);
    }

    #[test]
    fn an_older_form_gets_a_warning_and_others_nothing() {
        let old = book_with("bieu-mau=A;phien-ban=2020.1");
        let message = outdated_form_message(&old, "GDTrH.xlsx").expect("warned");
        assert_eq!(message.code, "bieu-mau-cu");
        assert!(
            message.text.contains("phiên bản 2020.1"),
            "{}",
            message.text
        );
        let current = book_with(&Marker::current(FormLetter::A, Vec::new()).text());
        assert!(outdated_form_message(&current, "x.xlsx").is_none());
        let hand_made = Book {
            sheets: vec![Sheet::from_rows("Số liệu", vec![])],
        };
        assert!(outdated_form_message(&hand_made, "x.xlsx").is_none());
    }
}
