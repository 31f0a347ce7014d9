//! Validation messages: a stable code for scripts, a Vietnamese sentence for people, and the
//! place (file › sheet › cell) where the administrator can fix it.

use std::fmt;

use serde::Serialize;

use crate::text::escaped;

/// How serious a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    /// The workbook is rejected; the report is written without it.
    Error,
    /// The workbook is used, but someone should look.
    Warning,
    /// For information (a file for another period, a document dropped by mistake).
    Notice,
}

impl Severity {
    /// The Vietnamese label printed before the message.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "Lỗi",
            Severity::Warning => "Cảnh báo",
            Severity::Notice => "Thông báo",
        }
    }
}

/// Where a problem is: always the file, then the sheet and cell when known. Names come from
/// outside (file names, sheet names), so the constructors escape control characters: a
/// location is printed on one line of the summary, the run log and the phiếu phản hồi.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
pub struct Location {
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

impl Location {
    /// A whole file.
    pub fn file(file: impl Into<String>) -> Self {
        Self {
            file: escaped(file),
            sheet: None,
            cell: None,
        }
    }

    /// A sheet of a file.
    pub fn sheet(file: impl Into<String>, sheet: impl Into<String>) -> Self {
        Self {
            file: escaped(file),
            sheet: Some(escaped(sheet)),
            cell: None,
        }
    }

    /// A cell of a sheet.
    pub fn cell(
        file: impl Into<String>,
        sheet: impl Into<String>,
        cell: impl Into<String>,
    ) -> Self {
        Self {
            file: escaped(file),
            sheet: Some(escaped(sheet)),
            cell: Some(escaped(cell)),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " › {sheet}")?;
        }
        if let Some(cell) = &self.cell {
            write!(f, " › {cell}")?;
        }
        Ok(())
    }
}

/// One validation finding. Its text often quotes a cell, so the constructors escape control
/// characters (CR, LF, …): a message is always one line wherever it is printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub severity: Severity,
    /// Stable code (`thieu-cot`, `khong-phai-so`, …), documented in docs/messages.md.
    pub code: &'static str,
    pub location: Location,
    pub text: String,
}

impl Message {
    /// An error that rejects the workbook.
    pub fn error(code: &'static str, location: Location, text: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            location,
            text: escaped(text),
        }
    }

    /// A warning: the workbook is still used.
    pub fn warning(code: &'static str, location: Location, text: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            code,
            location,
            text: escaped(text),
        }
    }

    /// A notice for information.
    pub fn notice(code: &'static str, location: Location, text: impl Into<String>) -> Self {
        Self {
            severity: Severity::Notice,
            code,
            location,
            text: escaped(text),
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {}: {} ({})",
            self.severity.label(),
            self.location,
            self.text,
            self.code
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_names_file_sheet_and_cell() {
        let m = Message::error(
            "so-am",
            Location::cell("GDTrH.xlsx", "Số liệu", "C7"),
            "Số liệu không được âm",
        );
        assert_eq!(
            m.to_string(),
            "[Lỗi] GDTrH.xlsx › Số liệu › C7: Số liệu không được âm (so-am)"
        );
        assert_eq!(Location::file("a.xlsx").to_string(), "a.xlsx");
    }
}
