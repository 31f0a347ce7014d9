//! Inspecting a workbook before calamine sees it. calamine 0.38 aborts the whole process
//! (allocation failure, not catchable) on tiny crafted files: a cell at XFD1048576, or a
//! shared-strings count of 4,000,000,000 (CRATE-NOTES.md). A run over a shared folder must
//! survive anything dropped there, so xlsx/ods packages are checked first, streaming and with
//! bounded memory: true decompressed sizes (zip bombs), the shared-strings count, and the cell
//! extent of every sheet.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use thiserror::Error;

/// Limits a workbook must stay within; configurable (`[limits]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Size of the file itself, in bytes.
    pub max_file_bytes: u64,
    /// Total decompressed size of a package, in bytes.
    pub max_uncompressed_bytes: u64,
    /// Rows a sheet may span.
    pub max_rows: u64,
    /// Cells a sheet's used range may span (rows × columns), which is what calamine allocates.
    pub max_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 50 * 1024 * 1024,
            max_uncompressed_bytes: 200 * 1024 * 1024,
            max_rows: 100_000,
            max_cells: 5_000_000,
        }
    }
}

/// Why a workbook was refused before reading.
#[derive(Debug, Error, PartialEq)]
pub enum GuardError {
    #[error("Tệp quá lớn ({size} MB, giới hạn {limit} MB)")]
    FileTooLarge { size: u64, limit: u64 },
    #[error(
        "Tệp nén bất thường: khi giải nén vượt quá {limit} MB (có thể là «bom nén»); không đọc"
    )]
    Bomb { limit: u64 },
    #[error("Trang «{sheet}» trải trên {rows} dòng, vượt giới hạn {limit} dòng")]
    TooManyRows {
        sheet: String,
        rows: u64,
        limit: u64,
    },
    #[error("Trang «{sheet}» có vùng dữ liệu {cells} ô (đến ô {last}), vượt giới hạn {limit} ô")]
    TooManyCells {
        sheet: String,
        cells: u64,
        last: String,
        limit: u64,
    },
    #[error("Bảng chuỗi dùng chung khai báo {declared} chuỗi, không khớp với nội dung tệp; tệp bị hỏng hoặc bị làm giả")]
    SharedStrings { declared: u64 },
    #[error("Tệp bảng tính bị hỏng hoặc không đầy đủ, không đọc được (chi tiết kỹ thuật: {0})")]
    Corrupt(String),
}

/// What the guard learnt while it read the package anyway, so the reader can skip work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspection {
    /// False when no worksheet of an xlsx/xlsm package declares a merged range: then the
    /// reader need not parse every sheet a second time for merges.
    pub may_have_merges: bool,
}

/// Checks the raw bytes of a workbook against the limits.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<Inspection, GuardError> {
    let size = bytes.len() as u64;
    if size > limits.max_file_bytes {
        return Err(GuardError::FileTooLarge {
            size: megabytes(size),
            limit: megabytes(limits.max_file_bytes),
        });
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return inspect_package(bytes, limits);
    }
    Ok(Inspection {
        may_have_merges: true,
    })
}

fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

fn inspect_package(bytes: &[u8], limits: &Limits) -> Result<Inspection, GuardError> {
    let mut may_have_merges = false;
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| GuardError::Corrupt(e.to_string()))?;
    let mut budget = limits.max_uncompressed_bytes;
    for index in 0..archive.len() {
        let entry = archive
            .by_index(index)
            .map_err(|e| GuardError::Corrupt(e.to_string()))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        // Never trust the declared size: count what actually comes out, and stop at the budget.
        let mut limited = CountingReader {
            inner: entry,
            count: 0,
            budget,
        };
        let outcome = if name.ends_with("sharedStrings.xml") {
            check_shared_strings(&mut limited)
        } else if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            check_sheet_extent(&mut limited, &sheet_label(&name), limits).map(|merges| {
                may_have_merges |= merges;
            })
        } else {
            drain(&mut limited)
        };
        if limited.count > budget {
            return Err(GuardError::Bomb {
                limit: megabytes(limits.max_uncompressed_bytes),
            });
        }
        outcome?;
        budget -= limited.count;
    }
    Ok(Inspection { may_have_merges })
}

/// Reads an entry to the end (or just past the budget), counting decompressed bytes.
struct CountingReader<R> {
    inner: R,
    count: u64,
    budget: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.count > self.budget {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

fn drain<R: Read>(reader: &mut CountingReader<R>) -> Result<(), GuardError> {
    std::io::copy(reader, &mut std::io::sink()).map_err(|e| GuardError::Corrupt(e.to_string()))?;
    Ok(())
}

/// The declared unique count is what calamine reserves memory for; it must be plausible for
/// the part's real size (every `<si>` takes at least a few bytes).
fn check_shared_strings<R: Read>(reader: &mut CountingReader<R>) -> Result<(), GuardError> {
    let mut declared: Option<u64> = None;
    {
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(&mut *reader));
        let mut buf = Vec::new();
        loop {
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                    for attribute in e.attributes().flatten() {
                        if attribute.key.local_name().as_ref() == "uniqueCount" {
                            let value = attribute.value.trim().to_string();
                            let number = value.parse::<u64>().unwrap_or(u64::MAX);
                            declared = Some(declared.map_or(number, |d| d.max(number)));
                        }
                    }
                    break;
                }
                Ok(Event::Eof) => break,
                Err(e) => return Err(GuardError::Corrupt(e.to_string())),
                _ => {}
            }
            buf.clear();
        }
    }
    drain(reader)?;
    if let Some(declared) = declared {
        // `<si/>` is 5 bytes; allow a little slack for tiny files.
        if declared > reader.count / 5 + 16 {
            return Err(GuardError::SharedStrings { declared });
        }
    }
    Ok(())
}

/// Finds the rows and columns the sheet's cells span, which is what calamine will allocate.
fn check_sheet_extent<R: Read>(
    reader: &mut CountingReader<R>,
    sheet: &str,
    limits: &Limits,
) -> Result<bool, GuardError> {
    let mut merges = false;
    let mut rows = (u64::MAX, 0u64);
    let mut cols = (u64::MAX, 0u64);
    let mut any = false;
    {
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(&mut *reader));
        let mut buf = Vec::new();
        loop {
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "c" => {
                    if let Some((row, col)) = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "r")
                        .and_then(|a| parse_cell_ref(a.value.as_bytes()))
                    {
                        any = true;
                        rows = (rows.0.min(row), rows.1.max(row));
                        cols = (cols.0.min(col), cols.1.max(col));
                    }
                }
                Ok(Event::Start(e)) | Ok(Event::Empty(e))
                    if e.local_name().as_ref() == "mergeCell" =>
                {
                    merges = true;
                }
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                    if let Some(row) = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "r")
                        .and_then(|a| a.value.trim().parse::<u64>().ok())
                    {
                        if row > limits.max_rows {
                            return Err(GuardError::TooManyRows {
                                sheet: sheet.to_string(),
                                rows: row,
                                limit: limits.max_rows,
                            });
                        }
                    }
                }
                Ok(Event::Eof) => break,
                Err(e) => return Err(GuardError::Corrupt(e.to_string())),
                _ => {}
            }
            buf.clear();
        }
    }
    drain(reader)?;
    if !any {
        return Ok(merges);
    }
    let row_span = rows.1 - rows.0 + 1;
    let col_span = cols.1 - cols.0 + 1;
    if rows.1 > limits.max_rows {
        return Err(GuardError::TooManyRows {
            sheet: sheet.to_string(),
            rows: rows.1,
            limit: limits.max_rows,
        });
    }
    let cells = row_span.saturating_mul(col_span);
    if cells > limits.max_cells {
        return Err(GuardError::TooManyCells {
            sheet: sheet.to_string(),
            cells,
            last: super::cell::address((rows.1 - 1) as u32, (cols.1 - 1) as u32),
            limit: limits.max_cells,
        });
    }
    Ok(merges)
}

/// `XFD1048576` → (1048576, 16384), one-based.
fn parse_cell_ref(value: &[u8]) -> Option<(u64, u64)> {
    let split = value.iter().position(|b| b.is_ascii_digit())?;
    let (letters, digits) = value.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.iter().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters.iter().fold(0u64, |acc, b| {
        acc * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row = std::str::from_utf8(digits).ok()?.parse::<u64>().ok()?;
    Some((row, col))
}

fn sheet_label(part: &str) -> String {
    part.rsplit('/')
        .next()
        .unwrap_or(part)
        .trim_end_matches(".xml")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal xlsx package with the given parts, written with the zip crate.
    fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut writer = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, content) in parts {
                writer.start_file(*name, options).expect("start entry");
                writer.write_all(content).expect("write entry");
            }
            writer.finish().expect("finish zip");
        }
        out.into_inner()
    }

    #[test]
    fn a_cell_at_xfd1048576_is_refused() {
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
        let bytes = package(&[("xl/worksheets/sheet1.xml", sheet)]);
        let error = inspect(&bytes, &Limits::default()).expect_err("refused");
        assert!(
            matches!(
                error,
                GuardError::TooManyRows {
                    rows: 1_048_576,
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn a_wide_used_range_is_refused_by_cell_count() {
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"/><c r="XFD1"/></row><row r="400"><c r="A400"/></row></sheetData></worksheet>"#;
        let bytes = package(&[("xl/worksheets/sheet1.xml", sheet)]);
        let error = inspect(&bytes, &Limits::default()).expect_err("refused");
        assert!(
            matches!(
                error,
                GuardError::TooManyCells {
                    cells: 6_553_600,
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(error.to_string().contains("XFD400"), "{error}");
    }

    #[test]
    fn an_inflated_shared_strings_count_is_refused() {
        let sst = br#"<sst xmlns="x" count="4000000000" uniqueCount="4000000000"><si><t>a</t></si></sst>"#;
        let bytes = package(&[("xl/sharedStrings.xml", sst)]);
        assert_eq!(
            inspect(&bytes, &Limits::default()),
            Err(GuardError::SharedStrings {
                declared: 4_000_000_000
            })
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_without_inflating_it_all() {
        let zeros = vec![b'0'; 8 * 1024 * 1024];
        let bytes = package(&[
            ("xl/worksheets/sheet1.xml", &zeros),
            ("xl/worksheets/sheet2.xml", &zeros),
        ]);
        assert!(bytes.len() < 100_000, "compresses well: {}", bytes.len());
        let limits = Limits {
            max_uncompressed_bytes: 10 * 1024 * 1024,
            ..Limits::default()
        };
        assert!(matches!(
            inspect(&bytes, &limits),
            Err(GuardError::Bomb { limit: 10 })
        ));
    }

    #[test]
    fn an_oversized_file_is_refused_before_reading() {
        let limits = Limits {
            max_file_bytes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            inspect(&[0u8; 11], &limits),
            Err(GuardError::FileTooLarge { .. })
        ));
    }

    #[test]
    fn ordinary_packages_pass() {
        let sheet = br#"<worksheet><dimension ref="A1:E40"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="E40"/></row></sheetData></worksheet>"#;
        let sst = br#"<sst count="1" uniqueCount="1"><si><t>Ma</t></si></sst>"#;
        let bytes = package(&[
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", sst),
        ]);
        assert_eq!(
            inspect(&bytes, &Limits::default()),
            Ok(Inspection {
                may_have_merges: false
            })
        );
    }

    #[test]
    fn cell_references_parse() {
        assert_eq!(parse_cell_ref(b"A1"), Some((1, 1)));
        assert_eq!(parse_cell_ref(b"XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(parse_cell_ref(b"1A"), None);
    }
}
