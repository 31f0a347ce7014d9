//! Reading one workbook (xlsx, xlsm, xls, ods) into sheets of [`CellValue`]s. The format is
//! decided by the bytes, not the file name, so a renamed file still reads.

use std::io::Cursor;
use std::path::Path;

use calamine::{open_workbook_from_rs, Data, Ods, Reader, Xls, Xlsx};
use thiserror::Error;

use super::cell::{address, CellValue};

/// A workbook's sheets, in file order.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

/// One sheet as a grid anchored at A1 (rows and columns zero-based, absolute).
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    rows: Vec<Vec<CellValue>>,
}

/// Why a file could not be read as a workbook; each maps to its own Vietnamese message.
#[derive(Debug, Error)]
pub enum ReadError {
    #[error("Tệp được đặt mật khẩu, không đọc được")]
    Password,
    #[error("Tệp rỗng (0 byte)")]
    Empty,
    #[error("Tệp không phải là bảng tính Excel hoặc LibreOffice")]
    NotAWorkbook,
    #[error("Tệp bảng tính bị hỏng hoặc không đầy đủ, không đọc được (chi tiết kỹ thuật: {0})")]
    Corrupt(String),
    #[error("Không đọc được tệp: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Refused(#[from] super::guard::GuardError),
}

static EMPTY: CellValue = CellValue::Empty;

impl Sheet {
    /// A sheet from rows of cells starting at A1.
    pub fn from_rows(name: impl Into<String>, rows: Vec<Vec<CellValue>>) -> Self {
        Self {
            name: name.into(),
            rows,
        }
    }

    /// The cell at a zero-based position, `Empty` outside the used range.
    pub fn cell(&self, row: usize, col: usize) -> &CellValue {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    /// How many rows the used range spans from A1.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// How many cells a row has.
    pub fn row_len(&self, row: usize) -> usize {
        self.rows.get(row).map_or(0, Vec::len)
    }

    /// `C7` for a zero-based position.
    pub fn address(&self, row: usize, col: usize) -> String {
        address(row as u32, col as u32)
    }
}

impl Workbook {
    /// The sheet whose folded name equals the folded wanted name (`so_lieu` = `Số liệu`).
    pub fn sheet(&self, wanted: &str) -> Option<&Sheet> {
        let key = crate::text::fold_key(wanted);
        self.sheets
            .iter()
            .find(|s| crate::text::fold_key(&s.name) == key)
    }
}

/// Reads a workbook file within `limits`. Never panics or aborts on bad content (hostile
/// packages are refused by [`super::guard`] before calamine sees them); the caller turns
/// errors into messages.
pub fn read_workbook(path: &Path, limits: &super::guard::Limits) -> Result<Workbook, ReadError> {
    let size = std::fs::metadata(path)?.len();
    if size > limits.max_file_bytes {
        return Err(super::guard::GuardError::FileTooLarge {
            size: size.div_ceil(1024 * 1024),
            limit: limits.max_file_bytes.div_ceil(1024 * 1024),
        }
        .into());
    }
    let bytes = std::fs::read(path)?;
    read_guarded(&bytes, limits)
}

/// Reads a workbook already in memory, after the hostile-file checks.
pub fn read_guarded(bytes: &[u8], limits: &super::guard::Limits) -> Result<Workbook, ReadError> {
    super::guard::inspect(bytes, limits)?;
    read_workbook_bytes(bytes)
}

/// Reads a workbook from memory, sniffing the format from its first bytes.
pub fn read_workbook_bytes(bytes: &[u8]) -> Result<Workbook, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        if is_ods(bytes) {
            let mut book: Ods<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(ods_error)?;
            return collect(&mut book);
        }
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(xlsx_error)?;
        return collect(&mut book);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        if is_encrypted_ooxml(bytes) {
            return Err(ReadError::Password);
        }
        let mut book: Xls<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(xls_error)?;
        return collect(&mut book);
    }
    Err(ReadError::NotAWorkbook)
}

fn collect<R, RS>(book: &mut R) -> Result<Workbook, ReadError>
where
    R: Reader<RS>,
    RS: std::io::Read + std::io::Seek,
    R::Error: std::fmt::Display,
{
    let names = book.sheet_names().to_vec();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ReadError::Corrupt(format!("trang «{name}»: {e}")))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<CellValue>> = vec![Vec::new(); row0 as usize];
        for row in range.rows() {
            let mut cells: Vec<CellValue> = vec![CellValue::Empty; col0 as usize];
            cells.extend(row.iter().map(convert));
            while cells.last().is_some_and(CellValue::is_blank) {
                cells.pop();
            }
            rows.push(cells);
        }
        while rows.last().is_some_and(Vec::is_empty) {
            rows.pop();
        }
        sheets.push(Sheet {
            name: crate::text::nfc(&name),
            rows,
        });
    }
    Ok(Workbook { sheets })
}

fn convert(data: &Data) -> CellValue {
    match data {
        Data::Empty => CellValue::Empty,
        Data::String(s) => CellValue::Text(crate::text::nfc(s)),
        Data::Float(f) => CellValue::Number(*f),
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(value) => CellValue::DateTime(value),
            None => CellValue::Number(dt.as_f64()),
        },
        Data::DateTime(dt) => CellValue::Number(dt.as_f64()),
        Data::DateTimeIso(text) => match crate::vn::date::parse_datetime_text(text) {
            Some(value) => CellValue::DateTime(value),
            None => CellValue::Text(text.clone()),
        },
        Data::DurationIso(text) => CellValue::Text(text.clone()),
        Data::Error(e) => CellValue::Error(format!("{e}")),
    }
}

/// An ODS package names its type in the first entry, `mimetype`, stored uncompressed.
fn is_ods(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(120)];
    head.windows(8).any(|w| w == b"mimetype") && head.windows(11).any(|w| w == b"opendocumen")
}

/// Encrypted xlsx files are OLE containers holding an `EncryptionInfo` stream (UTF-16 name).
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn xlsx_error(e: calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::Password,
        other => ReadError::Corrupt(other.to_string()),
    }
}

fn xls_error(e: calamine::XlsError) -> ReadError {
    match e {
        calamine::XlsError::Password => ReadError::Password,
        other => ReadError::Corrupt(other.to_string()),
    }
}

fn ods_error(e: calamine::OdsError) -> ReadError {
    match e {
        calamine::OdsError::Password => ReadError::Password,
        other => ReadError::Corrupt(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_foreign_bytes_are_named() {
        assert!(matches!(read_workbook_bytes(b""), Err(ReadError::Empty)));
        assert!(matches!(
            read_workbook_bytes(b"%PDF-1.7 ..."),
            Err(ReadError::NotAWorkbook)
        ));
        assert!(matches!(
            read_workbook_bytes(b"PK\x03\x04truncated"),
            Err(ReadError::Corrupt(_))
        ));
    }

    #[test]
    fn sheets_match_ignoring_case_and_diacritics() {
        let book = Workbook {
            sheets: vec![Sheet::from_rows("SO LIEU", vec![])],
        };
        assert!(book.sheet("Số liệu").is_some());
        assert!(book.sheet("Kết quả").is_none());
    }
}
