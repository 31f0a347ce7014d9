//! Reading one workbook (xlsx, xlsm, xltx, xltm, xlsb, xls, ods) into sheets of
//! [`CellValue`]s. The format is decided by the bytes, not the file name, so a renamed file
//! still reads ([`super::sniff`]). What a person sees is what the sheet holds: a merged value
//! fills its whole range, a formula reads as its cached value (an error as a cell error), and
//! text typed in a legacy Vietnamese encoding is converted to Unicode, each conversion kept so
//! that validation can tell the unit. xlsx and xlsb sheets are read cell by cell, keeping only
//! what holds a value: one stray value at AX99999 costs a row list, not a rectangle of five
//! million cells, and every cell kept is charged to the workbook's memory budget first.

mod contain;
mod merged;

use std::io::Cursor;
use std::path::Path;

use calamine::{
    open_workbook_from_rs, Data, DataRef, Dimensions, Ods, Range, Reader, Xls, Xlsb, Xlsx,
};
use thiserror::Error;

use super::budget::{self, WorkbookBudget};
use super::cell::{address, CellValue};
use super::guard::{GuardError, Limits};
use super::sniff::{sniff_keeping, Foreign, Format, Sniffed};
use crate::text::legacy::{self, Encoding};

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
    conversions: Vec<Conversion>,
    /// Merged ranges (their values already copied into every cell).
    merged: Vec<Dimensions>,
}

/// Text typed in a legacy encoding (TCVN3, VNI) and converted to Unicode on reading, so every
/// later stage sees Unicode; validation reports each one so the unit can fix its template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// The cell (`C7`), or `None` when it was the sheet's name.
    pub cell: Option<String>,
    pub encoding: Encoding,
    /// The text as it stood in the file.
    pub original: String,
    /// The Unicode text that replaced it.
    pub converted: String,
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
    Refused(GuardError),
    /// An `.xls` whose text is in a code page calamine cannot decode (Excel 5 files from a
    /// Mac, code page 10029): not damaged, and saving it again in Excel or LibreOffice fixes it.
    #[error("Chữ trong tệp được viết bằng bảng mã {} mà baocao chưa đọc được (tệp không hỏng); hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dưới dạng .xlsx (Excel Workbook)", code_page_name(*.0))]
    CodePage(u16),
    /// A spreadsheet in a format baocao does not read: what it is, and how to fix it.
    #[error("Tệp là {}, baocao không đọc được định dạng này; hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dưới dạng .xlsx (Excel Workbook)", .0.describe())]
    Foreign(Foreign),
}

impl From<GuardError> for ReadError {
    fn from(error: GuardError) -> Self {
        match error {
            // An encrypted .xls is told exactly as an encrypted .xlsx or .ods.
            GuardError::Encrypted => ReadError::Password,
            other => ReadError::Refused(other),
        }
    }
}

impl ReadError {
    /// The stable message code (docs/messages.md) under which the file is reported.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Password => "co-mat-khau",
            ReadError::Foreign(_) | ReadError::CodePage(_) => "dinh-dang-khac",
            ReadError::Refused(GuardError::Corrupt(_)) => "khong-doc-duoc",
            ReadError::Refused(_) => "vuot-gioi-han-tep",
            _ => "khong-doc-duoc",
        }
    }

    /// A damaged file, with the reader's own words in brackets only when they are words: a
    /// detail that prints program structures (`Text(BytesText { … })`) is left out.
    pub(crate) fn corrupt(what: &str, library: impl std::fmt::Display) -> Self {
        let library = library.to_string();
        if is_plain_words(&library) {
            ReadError::Corrupt(format!("{what} [{library}]"))
        } else {
            ReadError::Corrupt(what.to_string())
        }
    }
}

/// True for an error text fit to show a clerk (in brackets): short, and no program structure
/// printed for debugging (`Some(`, `BytesText {`, escaped quotes).
fn is_plain_words(text: &str) -> bool {
    if text.is_empty() || text.chars().count() > 160 || text.contains(['{', '}', '\\']) {
        return false;
    }
    // An identifier glued to a parenthesis is a printed structure (`Text(`, `Some(`).
    !text
        .as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_alphanumeric() && w[1] == b'(')
}

static EMPTY: CellValue = CellValue::Empty;

impl Sheet {
    /// A sheet from rows of cells starting at A1.
    pub fn from_rows(name: impl Into<String>, rows: Vec<Vec<CellValue>>) -> Self {
        Self {
            name: name.into(),
            rows,
            conversions: Vec::new(),
            merged: Vec::new(),
        }
    }

    /// True for a cell that shows a merged range's value without being its top-left cell
    /// (`B5` of a label merged over `A5:B5`), so that a reader pairing a field with the next
    /// cell can skip the copy.
    pub fn is_merged_copy(&self, row: usize, col: usize) -> bool {
        merged::is_covered(&self.merged, row, col)
    }

    /// The cells (and the name) of this sheet that were converted from a legacy encoding.
    pub fn conversions(&self) -> &[Conversion] {
        &self.conversions
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

impl Conversion {
    /// The notice for the unit: what was found and what it now reads.
    pub fn notice(&self) -> String {
        let what = if self.cell.is_some() {
            "Ô"
        } else {
            "Tên trang"
        };
        format!(
            "{what} được gõ bằng bảng mã {}; đã chuyển sang Unicode: «{}». Nên sửa biểu mẫu sang phông Unicode (Times New Roman)",
            self.encoding.label(),
            self.converted
        )
    }
}

impl Workbook {
    /// The sheet whose folded name equals the folded wanted name (`so_lieu` = `Số liệu`).
    pub fn sheet(&self, wanted: &str) -> Option<&Sheet> {
        let key = crate::text::fold_key(wanted);
        self.sheets
            .iter()
            .find(|s| crate::text::folds_to(&s.name, &key))
    }

    /// Every legacy-encoding conversion of the workbook with its sheet, in sheet order.
    pub fn conversions(&self) -> impl Iterator<Item = (&Sheet, &Conversion)> {
        self.sheets
            .iter()
            .flat_map(|sheet| sheet.conversions.iter().map(move |c| (sheet, c)))
    }
}

/// Reads a workbook file within `limits`. Never panics or aborts on bad content: hostile
/// files are refused by [`super::guard`] before calamine sees them, and a panic inside
/// calamine becomes [`ReadError::Corrupt`]; the caller turns errors into messages.
pub fn read_workbook(path: &Path, limits: &Limits) -> Result<Workbook, ReadError> {
    let size = std::fs::metadata(path)?.len();
    if size > limits.max_file_bytes {
        return Err(GuardError::FileTooLarge {
            size: size.div_ceil(1024 * 1024),
            limit: limits.max_file_bytes.div_ceil(1024 * 1024),
        }
        .into());
    }
    let bytes = std::fs::read(path)?;
    read_guarded(&bytes, limits)
}

/// Reads a workbook already in memory: what it is, then the hostile-file checks, then
/// calamine, all within the workbook's memory budget and the run's.
pub fn read_guarded(bytes: &[u8], limits: &Limits) -> Result<Workbook, ReadError> {
    let (sniffed, package) = sniff_keeping(bytes);
    let format = match sniffed {
        Sniffed::Workbook(format) => format,
        Sniffed::Foreign(foreign) => return Err(ReadError::Foreign(foreign)),
        Sniffed::Encrypted => return Err(ReadError::Password),
        Sniffed::Empty => return Err(ReadError::Empty),
        Sniffed::NotAWorkbook => return Err(ReadError::NotAWorkbook),
    };
    let _share = budget::reserve(limits);
    let mut budget = WorkbookBudget::new(limits);
    let inspection = super::guard::inspect_with(
        bytes,
        Sniffed::Workbook(format),
        package,
        limits,
        &mut budget,
    )?;
    // A package is read from the guard's copy: checked, and inflated only once.
    let bytes = inspection.package.as_deref().unwrap_or(bytes);
    let merges = inspection.may_have_merges;
    contain::contain(|| read_bytes(bytes, format, merges, limits, &mut budget))
}

/// Reads a workbook from memory without the hostile-file checks: for tests only.
#[cfg(test)]
fn read_workbook_bytes(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let format = match super::sniff::sniff(bytes) {
        Sniffed::Workbook(format) => format,
        Sniffed::Empty => return Err(ReadError::Empty),
        _ => return Err(ReadError::NotAWorkbook),
    };
    let limits = Limits::default();
    let mut budget = WorkbookBudget::new(&limits);
    contain::contain(|| read_bytes(bytes, format, true, &limits, &mut budget))
}

/// `merges`: false skips asking for an xlsx's merged ranges, which costs a second parse of
/// every sheet (the guard has seen that none is declared).
fn read_bytes(
    bytes: &[u8],
    format: Format,
    merges: bool,
    limits: &Limits,
    budget: &mut WorkbookBudget,
) -> Result<Workbook, ReadError> {
    match format {
        Format::Ods => {
            let mut regions = merged::ods_regions(bytes);
            let mut book: Ods<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(ods_error)?;
            collect(&mut book, budget, |_, name| {
                regions.remove(name).unwrap_or_default()
            })
        }
        Format::Xls => {
            let mut book: Xls<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(xls_error)?;
            collect(&mut book, budget, |book, name| {
                book.merge_cells_by_sheet_name(name).unwrap_or_default()
            })
        }
        Format::Xlsx => {
            let mut book: Xlsx<_> =
                open_workbook_from_rs(Cursor::new(bytes)).map_err(xlsx_error)?;
            let names = book.sheet_names().to_vec();
            let mut sheets = Vec::with_capacity(names.len());
            let mut fill_budget = merged::MAX_FILLED_CELLS;
            for name in names {
                let mut kept = KeptCells::new(&name, limits);
                let chart = match book.worksheet_cells_reader(&name) {
                    Ok(mut reader) => {
                        while let Some(cell) = reader
                            .next_cell()
                            .map_err(|e| ReadError::corrupt(&in_sheet(&name), e))?
                        {
                            kept.put(cell.get_position(), cell.get_value(), budget)?;
                        }
                        false
                    }
                    Err(calamine::XlsxError::NotAWorksheet(_)) => true,
                    Err(e) => return Err(ReadError::corrupt(&in_sheet(&name), e)),
                };
                if chart {
                    // A chart sheet: no cells. Asked for its range, calamine says so in the
                    // log (a warning) and gives an empty one.
                    let _ = book.worksheet_range(&name);
                }
                let regions = if merges {
                    book.merge_cells_by_sheet_name(&name).unwrap_or_default()
                } else {
                    Vec::new()
                };
                sheets.push(finish_sheet(
                    &name,
                    kept.rows,
                    &regions,
                    &mut fill_budget,
                    budget,
                )?);
            }
            Ok(Workbook { sheets })
        }
        Format::Xlsb => {
            let mut book: Xlsb<_> =
                open_workbook_from_rs(Cursor::new(bytes)).map_err(xlsb_error)?;
            let listed: Vec<(String, bool)> = book
                .sheets_metadata()
                .iter()
                .map(|s| (s.name.clone(), s.typ == calamine::SheetType::WorkSheet))
                .collect();
            let mut sheets = Vec::with_capacity(listed.len());
            let mut fill_budget = merged::MAX_FILLED_CELLS;
            for (name, is_worksheet) in listed {
                let mut kept = KeptCells::new(&name, limits);
                // A chart sheet has no cells (and no cell records to read).
                if is_worksheet {
                    let mut reader = book
                        .worksheet_cells_reader(&name)
                        .map_err(|e| ReadError::corrupt(&in_sheet(&name), e))?;
                    while let Some(cell) = reader
                        .next_cell()
                        .map_err(|e| ReadError::corrupt(&in_sheet(&name), e))?
                    {
                        kept.put(cell.get_position(), cell.get_value(), budget)?;
                    }
                }
                let sheet = finish_sheet(&name, kept.rows, &[], &mut fill_budget, budget)?;
                sheets.push(sheet);
            }
            Ok(Workbook { sheets })
        }
    }
}

/// "trang «Số liệu»", for the damage found in one sheet.
fn in_sheet(name: &str) -> String {
    format!("trang «{name}» không đọc được")
}

/// The cells of one sheet as they are read, kept row by row up to each row's last value, with
/// every growth charged to the workbook's budget before it is allocated and the sheet held to
/// the limits: only cells that hold something count, so empty formatted rows and columns
/// (LibreOffice's `<row r="1048576"/>`) and a declared dimension cost nothing.
struct KeptCells<'a> {
    name: &'a str,
    limits: &'a Limits,
    rows: Vec<Vec<CellValue>>,
    /// Cells kept: the sum of the rows' lengths.
    cells: u64,
}

const CELL_BYTES: u64 = std::mem::size_of::<CellValue>() as u64;
const ROW_BYTES: u64 = std::mem::size_of::<Vec<CellValue>>() as u64;

impl<'a> KeptCells<'a> {
    fn new(name: &'a str, limits: &'a Limits) -> Self {
        Self {
            name,
            limits,
            rows: Vec::new(),
            cells: 0,
        }
    }

    fn put(
        &mut self,
        (row, col): (u32, u32),
        data: &DataRef<'_>,
        budget: &mut WorkbookBudget,
    ) -> Result<(), ReadError> {
        if matches!(data, DataRef::Empty) {
            return Ok(());
        }
        let value = convert_ref(data);
        let (r, c) = (row as usize, col as usize);
        if u64::from(row) + 1 > self.limits.max_rows {
            return Err(GuardError::TooManyRows {
                sheet: crate::text::nfc(self.name),
                rows: u64::from(row) + 1,
                limit: self.limits.max_rows,
            }
            .into());
        }
        if r >= self.rows.len() {
            grow(&mut self.rows, r + 1, ROW_BYTES, budget)?;
            self.rows.resize_with(r + 1, Vec::new);
        }
        let cells = &mut self.rows[r];
        if c >= cells.len() {
            let added = (c + 1 - cells.len()) as u64;
            if self.cells + added > self.limits.max_cells {
                return Err(GuardError::TooManyCells {
                    sheet: crate::text::nfc(self.name),
                    cells: self.cells + added,
                    last: address(row, col),
                    limit: self.limits.max_cells,
                }
                .into());
            }
            grow(cells, c + 1, CELL_BYTES, budget)?;
            cells.resize(c + 1, CellValue::Empty);
            self.cells += added;
        }
        if let CellValue::Text(text) | CellValue::Error(text) = &value {
            budget.charge(text.len() as u64)?;
        }
        cells[c] = value;
        Ok(())
    }
}

/// Makes room for `len` items, charging what the vector will allocate (it doubles) first.
fn grow<T>(
    items: &mut Vec<T>,
    len: usize,
    item_bytes: u64,
    budget: &mut WorkbookBudget,
) -> Result<(), GuardError> {
    let capacity = items.capacity();
    if len <= capacity {
        return Ok(());
    }
    let new_capacity = len.max(capacity.saturating_mul(2)).max(4);
    budget.charge((new_capacity - capacity) as u64 * item_bytes)?;
    items.reserve_exact(new_capacity - items.len());
    Ok(())
}

/// Reads every sheet of a reader that builds whole ranges (ods, xls: their cost was charged
/// by the guard); `merges_of` gives a sheet's merged ranges (none when unreadable).
fn collect<R, RS>(
    book: &mut R,
    budget: &mut WorkbookBudget,
    mut merges_of: impl FnMut(&mut R, &str) -> Vec<Dimensions>,
) -> Result<Workbook, ReadError>
where
    R: Reader<RS>,
    RS: std::io::Read + std::io::Seek,
    R::Error: std::fmt::Display,
{
    let names = book.sheet_names().to_vec();
    let mut sheets = Vec::with_capacity(names.len());
    let mut fill_budget = merged::MAX_FILLED_CELLS;
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ReadError::corrupt(&in_sheet(&name), e))?;
        let regions = merges_of(book, &name);
        sheets.push(build_sheet(
            &name,
            &range,
            &regions,
            &mut fill_budget,
            budget,
        )?);
    }
    Ok(Workbook { sheets })
}

/// One sheet from calamine's range: cells converted, then [`finish_sheet`].
fn build_sheet(
    name: &str,
    range: &Range<Data>,
    regions: &[Dimensions],
    fill_budget: &mut usize,
    budget: &mut WorkbookBudget,
) -> Result<Sheet, ReadError> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<CellValue>> = vec![Vec::new(); row0 as usize];
    for row in range.rows() {
        let mut cells: Vec<CellValue> = vec![CellValue::Empty; col0 as usize];
        cells.extend(row.iter().map(convert));
        rows.push(cells);
    }
    finish_sheet(name, rows, regions, fill_budget, budget)
}

/// A sheet from its cells: legacy-encoded text converted and recorded, merged ranges filled,
/// trailing blanks dropped.
fn finish_sheet(
    name: &str,
    mut rows: Vec<Vec<CellValue>>,
    regions: &[Dimensions],
    fill_budget: &mut usize,
    budget: &mut WorkbookBudget,
) -> Result<Sheet, ReadError> {
    let mut converted: Vec<(usize, usize, Encoding, String, String)> = Vec::new();
    for (r, cells) in rows.iter_mut().enumerate() {
        for (c, cell) in cells.iter_mut().enumerate() {
            let CellValue::Text(text) = cell else {
                continue;
            };
            if let Some((encoding, unicode)) = legacy::detect(text) {
                budget.charge(2 * (text.len() + unicode.len()) as u64)?;
                let original = std::mem::replace(text, unicode.clone());
                converted.push((r, c, encoding, original, unicode));
            }
        }
    }
    merged::fill(&mut rows, regions, fill_budget, budget)?;
    for cells in &mut rows {
        while cells.last().is_some_and(CellValue::is_blank) {
            cells.pop();
        }
    }
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    let mut conversions: Vec<Conversion> = Vec::new();
    let name = crate::text::nfc(name);
    let name = match legacy::detect(&name) {
        Some((encoding, unicode)) => {
            conversions.push(Conversion {
                cell: None,
                encoding,
                original: name,
                converted: unicode.clone(),
            });
            unicode
        }
        None => name,
    };
    // A cell hidden under a merged range is not what the unit sees: no notice for it.
    conversions.extend(
        converted
            .into_iter()
            .filter(|(r, c, ..)| !merged::is_covered(regions, *r, *c))
            .map(|(r, c, encoding, original, converted)| Conversion {
                cell: Some(address(r as u32, c as u32)),
                encoding,
                original,
                converted,
            }),
    );
    Ok(Sheet {
        name,
        rows,
        conversions,
        merged: regions
            .iter()
            .take(merged::MAX_REGIONS_PER_SHEET)
            .copied()
            .collect(),
    })
}

fn convert(data: &Data) -> CellValue {
    match data {
        Data::Empty => CellValue::Empty,
        Data::String(s) => text_value(s),
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

/// A streamed cell as [`convert`] makes it, without first copying its text into calamine's
/// owned [`Data`] (text cells, most of a form, are then copied once, not twice).
fn convert_ref(data: &DataRef<'_>) -> CellValue {
    match data {
        DataRef::SharedString(s) => text_value(s),
        DataRef::String(s) => text_value(s),
        DataRef::Float(f) => CellValue::Number(*f),
        DataRef::Int(i) => CellValue::Number(*i as f64),
        other => convert(&Data::from(other.clone())),
    }
}

/// A text cell: an error literal kept as an error, any other text in NFC.
fn text_value(text: &str) -> CellValue {
    if is_error_literal(text) {
        CellValue::Error(text.trim().to_string())
    } else {
        CellValue::Text(crate::text::nfc(text))
    }
}

/// A formula error shown as text: ODS files store errors that way (`#DIV/0!`, and
/// LibreOffice's `Err:502`), and a pasted-as-value error is no better than the formula's.
fn is_error_literal(text: &str) -> bool {
    const ERRORS: [&str; 11] = [
        "#DIV/0!",
        "#N/A",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#REF!",
        "#VALUE!",
        "#DATA!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
    ];
    let text = text.trim();
    // Nearly every text cell starts otherwise: no comparison with the list for those.
    if !(text.starts_with('#') || text.starts_with("Err:")) {
        return false;
    }
    ERRORS.contains(&text)
        || text
            .strip_prefix("Err:")
            .is_some_and(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
}

/// What calamine could not open, in a clerk's words.
const NOT_OPENED: &str = "cấu trúc bảng tính không đúng";

fn xlsx_error(e: calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::Password,
        other => ReadError::corrupt(NOT_OPENED, other),
    }
}

fn xlsb_error(e: calamine::XlsbError) -> ReadError {
    match e {
        calamine::XlsbError::Password => ReadError::Password,
        other => ReadError::corrupt(NOT_OPENED, other),
    }
}

fn xls_error(e: calamine::XlsError) -> ReadError {
    match e {
        calamine::XlsError::Password => ReadError::Password,
        calamine::XlsError::Cfb(cfb) => match unknown_code_page(&cfb.to_string()) {
            Some(page) => ReadError::CodePage(page),
            None => ReadError::corrupt(NOT_OPENED, calamine::XlsError::Cfb(cfb)),
        },
        other => ReadError::corrupt(NOT_OPENED, other),
    }
}

/// The code page calamine could not decode: its error type is private, and names the page
/// only in its message (`Codepage 272D not found`).
fn unknown_code_page(message: &str) -> Option<u16> {
    let hex = message
        .strip_prefix("Codepage ")?
        .strip_suffix(" not found")?;
    u16::from_str_radix(hex, 16).ok()
}

/// A code page as a clerk may know it.
fn code_page_name(page: u16) -> String {
    let name = match page {
        10029 => Some("Mac Trung Âu"),
        10000 => Some("Mac Roman"),
        _ => None,
    };
    match name {
        Some(name) => format!("{page} ({name})"),
        None => page.to_string(),
    }
}

fn ods_error(e: calamine::OdsError) -> ReadError {
    match e {
        calamine::OdsError::Password => ReadError::Password,
        other => ReadError::corrupt(NOT_OPENED, other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_cell_converts_as_its_owned_copy_would() {
        let decomposed = "Tie\u{302}\u{301}ng Vie\u{323}\u{302}t";
        let cells = [
            DataRef::SharedString(decomposed),
            DataRef::SharedString("  #DIV/0! "),
            DataRef::String("Err:502".to_string()),
            DataRef::String("#giữa".to_string()),
            DataRef::String("Errata".to_string()),
            DataRef::Float(12.5),
            DataRef::Int(-7),
            DataRef::Bool(true),
            DataRef::Error(calamine::CellErrorType::Ref),
            DataRef::DateTimeIso("2025-11-30".to_string()),
            DataRef::Empty,
        ];
        for cell in cells {
            assert_eq!(
                convert_ref(&cell),
                convert(&Data::from(cell.clone())),
                "{cell:?}"
            );
        }
        assert_eq!(
            convert_ref(&DataRef::SharedString(decomposed)),
            CellValue::Text("Tiếng Việt".to_string())
        );
        assert_eq!(
            convert_ref(&DataRef::SharedString("  #DIV/0! ")),
            CellValue::Error("#DIV/0!".to_string())
        );
        assert!(matches!(
            convert_ref(&DataRef::String("#giữa".to_string())),
            CellValue::Text(_)
        ));
    }

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

    /// A compound file (the `.xls` container) of one sector whose FAT is said to sit in
    /// sector 2, past the end of the file: calamine 0.38 panics on it (found by fuzzing).
    fn xls_with_fat_past_the_end() -> Vec<u8> {
        let mut bytes = vec![0u8; 1024];
        bytes[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        let mut put = |at: usize, value: &[u8]| bytes[at..at + value.len()].copy_from_slice(value);
        put(26, &3u16.to_le_bytes()); // major version
        put(28, &0xFFFEu16.to_le_bytes()); // byte order
        put(30, &9u16.to_le_bytes()); // 512-byte sectors
        put(32, &6u16.to_le_bytes()); // 64-byte mini sectors
        put(44, &1u32.to_le_bytes()); // one FAT sector
        put(60, &0xFFFF_FFFEu32.to_le_bytes()); // no mini FAT
        put(68, &0xFFFF_FFFEu32.to_le_bytes()); // no DIFAT sectors
        put(76, &2u32.to_le_bytes()); // the FAT: sector 2, beyond the end
        for entry in 1..109 {
            put(76 + 4 * entry, &0xFFFF_FFFFu32.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn a_reader_panic_on_a_crafted_xls_is_a_corrupt_file() {
        let crafted = xls_with_fat_past_the_end();
        // Without the guard, calamine itself panics; the panic is contained.
        let outcome = read_workbook_bytes(&crafted);
        assert!(
            matches!(&outcome, Err(ReadError::Corrupt(detail)) if detail.contains("dừng bất thường")),
            "{outcome:?}"
        );
        // With it, the container is refused before calamine sees it.
        let guarded = read_guarded(&crafted, &super::super::guard::Limits::default());
        let message = guarded.expect_err("refused").to_string();
        assert!(message.starts_with("Tệp bảng tính bị hỏng"), "{message}");
    }

    const XLSX: &[u8] = include_bytes!("../../tests/fixtures/formats/features.xlsx");
    const ODS: &[u8] = include_bytes!("../../tests/fixtures/formats/features.ods");

    #[test]
    fn the_guards_stored_copy_reads_exactly_as_the_file_itself() {
        for (name, bytes) in [("xlsx", XLSX), ("ods", ODS)] {
            let limits = super::super::guard::Limits::default();
            let inspection = super::super::guard::inspect(bytes, &limits).expect(name);
            let package = inspection.package.as_deref().expect("a stored copy");
            assert!(package.len() > bytes.len(), "{name}: stored, not deflated");
            let direct = read_workbook_bytes(bytes).expect(name);
            let guarded = read_guarded(bytes, &limits).expect(name);
            assert!(!direct.sheets.is_empty(), "{name}");
            // The fixture has dates under custom formats, which the cut-down styles must keep.
            assert!(
                format!("{:?}", direct.sheets).contains("DateTime("),
                "{name}"
            );
            if name == "xlsx" {
                let mut zip = zip::ZipArchive::new(Cursor::new(package)).expect("a zip");
                let mut styles = String::new();
                std::io::Read::read_to_string(
                    &mut zip.by_name("xl/styles.xml").expect("styles"),
                    &mut styles,
                )
                .expect("UTF-8");
                assert!(styles.contains("<numFmts") && styles.contains("<cellXfs"));
                assert!(!styles.contains("<fonts") && !styles.contains("<cellStyles"));
            }
            assert_eq!(
                format!("{:?}", guarded.sheets),
                format!("{:?}", direct.sheets),
                "{name}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Damaged packages (bytes changed, or cut short) are read or refused, never a panic
        /// outside the contained reader: the guard itself runs uncontained.
        #[test]
        fn damaged_packages_are_read_or_refused_without_panic(
            ods in proptest::bool::ANY,
            flips in proptest::collection::vec((0.0f64..1.0, 0u8..=255), 1..6),
            cut in proptest::option::weighted(0.2, 0.3f64..1.0),
        ) {
            let mut bytes = if ods { ODS.to_vec() } else { XLSX.to_vec() };
            for (at, value) in flips {
                let at = ((bytes.len() - 1) as f64 * at) as usize;
                bytes[at] = value;
            }
            if let Some(cut) = cut {
                bytes.truncate(((bytes.len() as f64) * cut) as usize);
            }
            let limits = super::super::guard::Limits::default();
            if let Ok(book) = read_guarded(&bytes, &limits) {
                proptest::prop_assert!(book.sheets.len() <= 16);
            }
        }
    }

    #[test]
    fn sheets_match_ignoring_case_and_diacritics() {
        let book = Workbook {
            sheets: vec![Sheet::from_rows("SO LIEU", vec![])],
        };
        assert!(book.sheet("Số liệu").is_some());
        assert!(book.sheet("Kết quả").is_none());
    }

    #[test]
    fn error_text_reads_as_a_cell_error() {
        let cases = [
            ("#DIV/0!", true),
            (" #REF! ", true),
            ("#N/A", true),
            ("Err:502", true),
            ("Err:5", false),
            ("#1", false),
            ("DIV/0", false),
            ("Lỗi #REF! ở ô C7", false),
        ];
        for (text, is_error) in cases {
            let cell = convert(&Data::String(text.into()));
            assert_eq!(matches!(cell, CellValue::Error(_)), is_error, "{text:?}");
        }
    }

    #[test]
    fn legacy_text_is_converted_and_recorded_once_per_cell() {
        let range = Range::from_sparse(vec![
            calamine::Cell::new((0, 0), Data::String("Tªn ®¬n vÞ".into())),
            calamine::Cell::new((0, 1), Data::String("Phßng Gi¸o dôc trung häc".into())),
            calamine::Cell::new((0, 2), Data::String("Phßng Gi¸o dôc trung häc".into())),
            calamine::Cell::new((1, 0), Data::String("VB_DEN".into())),
            calamine::Cell::new((1, 1), Data::String("Phoøng Giaùo duïc trung hoïc".into())),
        ]);
        // B1:C1 merged: C1 is hidden under it, its (identical) text is not reported again.
        let regions = [Dimensions::new((0, 1), (0, 2))];
        let mut budget = 100;
        let mut memory = WorkbookBudget::new(&Limits::default());
        let sheet =
            build_sheet("Th«ng tin", &range, &regions, &mut budget, &mut memory).expect("fits");
        assert_eq!(sheet.name, "Thông tin");
        assert_eq!(sheet.cell(0, 0), &CellValue::Text("Tên đơn vị".into()));
        assert_eq!(
            sheet.cell(0, 2),
            &CellValue::Text("Phòng Giáo dục trung học".into())
        );
        assert_eq!(sheet.cell(1, 0), &CellValue::Text("VB_DEN".into()));
        assert_eq!(
            sheet.cell(1, 1),
            &CellValue::Text("Phòng Giáo dục trung học".into())
        );
        let found: Vec<(Option<&str>, Encoding)> = sheet
            .conversions()
            .iter()
            .map(|c| (c.cell.as_deref(), c.encoding))
            .collect();
        assert_eq!(
            found,
            [
                (None, Encoding::Tcvn3),
                (Some("A1"), Encoding::Tcvn3),
                (Some("B1"), Encoding::Tcvn3),
                (Some("B2"), Encoding::Vni),
            ]
        );
        assert_eq!(sheet.conversions()[1].original, "Tªn ®¬n vÞ");
        assert!(sheet.is_merged_copy(0, 2));
        assert!(!sheet.is_merged_copy(0, 1));
        assert!(!sheet.is_merged_copy(1, 2));
    }
}
