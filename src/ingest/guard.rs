//! Inspecting a workbook before calamine sees it. calamine 0.38 aborts the whole process
//! (allocation failure, not catchable) on tiny crafted files: a cell at XFD1048576, or a
//! shared-strings count of 4,000,000,000 (CRATE-NOTES.md). A run over a shared folder must
//! survive anything dropped there, so packages are checked first, with memory bounded by what
//! their directory declares: true decompressed sizes (zip bombs), the shared-strings count,
//! the records of binary parts ([`xlsb`]) and, where calamine builds whole sheets at once
//! (ods, xls), what those sheets will cost ([`ods`], [`biff`]), charged to the workbook's
//! memory budget ([`super::budget`]). Each part is inflated once, and what was checked is what
//! calamine reads ([`repack`]). `.xls` files are taken out of their compound-file container by
//! [`compound`]; an encrypted one (FILEPASS) is named as such before anything else is read.
//! xlsx and xlsb sheets are read cell by cell, so their extent is held to the limits as they
//! are read (`ingest::workbook`), counting only cells that hold something: an empty formatted
//! row at 1048576 costs nothing and refuses nothing.

mod biff;
mod compound;
mod inflate;
mod ods;
mod ods_follow;
mod repack;
mod styles;
mod utf16;
mod xlsb;

use std::io::{Cursor, Read};

use repack::StoredZip;

use super::budget::WorkbookBudget;
use super::sniff::{sniff_keeping, Format, Package, Sniffed};
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
    /// Cells a sheet may hold: for xlsx and xlsb the cells kept (each row up to its last
    /// value), for ods and xls the used range (rows × columns), which calamine allocates.
    pub max_cells: u64,
    /// Memory, in bytes, that reading one workbook may take (the unpacked package and the
    /// cells), charged before it is allocated; a workbook that needs more is refused.
    pub max_workbook_bytes: u64,
    /// Memory, in bytes, that the workbooks being read at the same time may take together:
    /// only as many are read in parallel as their budgets fit in this.
    pub max_run_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 50 * 1024 * 1024,
            max_uncompressed_bytes: 200 * 1024 * 1024,
            max_rows: 100_000,
            max_cells: 5_000_000,
            max_workbook_bytes: 64 * 1024 * 1024,
            max_run_bytes: 128 * 1024 * 1024,
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
    #[error(
        "Tệp nén bất thường: phần «{part}» giải nén ra nhiều hơn kích thước ghi trong tệp (có thể là «bom nén»); không đọc"
    )]
    LyingSize { part: String },
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
    /// An `.xls` with a FILEPASS record: its content is encrypted.
    #[error("Tệp được đặt mật khẩu, không đọc được")]
    Encrypted,
    #[error(
        "Đọc tệp này cần khoảng {needed} MB bộ nhớ, vượt giới hạn {limit} MB cho một bảng tính (thường do có dữ liệu ở ô rất xa vùng biểu mẫu); hãy xóa các dòng, cột thừa rồi lưu lại"
    )]
    OverBudget { needed: u64, limit: u64 },
}

/// What the guard learnt while it read the package anyway, so the reader can skip work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// False when no worksheet of an xlsx/xlsm package declares a merged range: then the
    /// reader need not parse every sheet a second time for merges.
    pub may_have_merges: bool,
    /// For an xlsx/xlsm/ods package, the same package with every part the reader uses
    /// already inflated and checked, stored uncompressed ([`repack`]): what the reader
    /// should open instead of the file's bytes.
    pub package: Option<Vec<u8>>,
    /// The format, when the bytes are one that calamine reads.
    pub format: Option<Format>,
}

/// Checks the raw bytes of a workbook against the limits, with a budget of its own.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<Inspection, GuardError> {
    let (sniffed, package) = sniff_keeping(bytes);
    inspect_with(
        bytes,
        sniffed,
        package,
        limits,
        &mut WorkbookBudget::new(limits),
    )
}

/// Checks the raw bytes of a workbook already sniffed, charging `budget` with what reading it
/// will take before the cells (the package, and for ods and xls the sheets calamine builds).
/// `package` is the zip directory the sniff parsed, if it did.
pub(crate) fn inspect_with(
    bytes: &[u8],
    sniffed: Sniffed,
    package: Option<Package<'_>>,
    limits: &Limits,
    budget: &mut WorkbookBudget,
) -> Result<Inspection, GuardError> {
    let size = bytes.len() as u64;
    if size > limits.max_file_bytes {
        return Err(GuardError::FileTooLarge {
            size: megabytes(size),
            limit: megabytes(limits.max_file_bytes),
        });
    }
    match sniffed {
        Sniffed::Workbook(format @ (Format::Xlsx | Format::Xlsb | Format::Ods)) => {
            inspect_package(bytes, format, package, limits, budget)
        }
        Sniffed::Workbook(Format::Xls) => {
            if let Some(stream) = compound::workbook_stream(bytes).map_err(GuardError::Corrupt)? {
                // calamine holds the stream, and the guard its copy.
                budget.charge(2 * stream.len() as u64)?;
                biff::check_stream(&stream, limits, budget)?;
            }
            Ok(Inspection {
                may_have_merges: true,
                package: None,
                format: Some(Format::Xls),
            })
        }
        _ => Ok(Inspection {
            may_have_merges: false,
            package: None,
            format: None,
        }),
    }
}

fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// One part of the package as the central directory describes it.
struct Entry<'a> {
    index: usize,
    name: String,
    raw_name: Vec<u8>,
    method: zip::CompressionMethod,
    packed: &'a [u8],
    declared: u64,
    crc: u32,
}

fn inspect_package<'a>(
    bytes: &'a [u8],
    format: Format,
    package: Option<Package<'a>>,
    limits: &Limits,
    budget: &mut WorkbookBudget,
) -> Result<Inspection, GuardError> {
    let mut archive = match package {
        Some(archive) => archive,
        None => zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| GuardError::Corrupt(e.to_string()))?,
    };
    let bomb = || GuardError::Bomb {
        limit: megabytes(limits.max_uncompressed_bytes),
    };

    // First the central directory: what each part says it inflates to. A package whose
    // parts declare more than the budget is refused before anything is inflated.
    let mut entries = Vec::with_capacity(archive.len());
    let mut declared_total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| GuardError::Corrupt(e.to_string()))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if is_never_read(&name) || entry.is_dir() {
            // calamine never opens it: it is left out of the package it reads.
            continue;
        }
        let start = entry.data_start().unwrap_or(u64::MAX);
        let packed = usize::try_from(start)
            .ok()
            .and_then(|start| {
                let end = start.checked_add(usize::try_from(entry.compressed_size()).ok()?)?;
                bytes.get(start..end)
            })
            .ok_or_else(|| GuardError::Corrupt(format!("«{name}» vượt quá cuối tệp")))?;
        declared_total = declared_total.saturating_add(entry.size());
        entries.push(Entry {
            index,
            raw_name: entry.name_raw().to_vec(),
            name,
            method: entry.compression(),
            packed,
            declared: entry.size(),
            crc: entry.crc32(),
        });
    }
    if entries.len() > StoredZip::MAX_ENTRIES {
        return Err(GuardError::Corrupt(format!(
            "tệp có {} phần, quá nhiều đối với một bảng tính",
            entries.len()
        )));
    }
    if declared_total > limits.max_uncompressed_bytes || declared_total > StoredZip::MAX_BYTES / 2 {
        return Err(bomb());
    }
    // The package is held whole while it is read: charged before it is inflated.
    budget.charge(declared_total)?;
    let has_mimetype = entries.iter().any(|e| e.name == "mimetype");

    // Then each part, inflated once into the package calamine will read. Never trust the
    // declared size: a part that inflates to more than it declared is refused as a bomb the
    // moment it passes that size, so memory stays within what the directory declared.
    let names: usize = entries.iter().map(|e| e.raw_name.len()).sum();
    let mut package =
        StoredZip::with_capacity(declared_total as usize, entries.len() + 1, names + 8);
    let mut may_have_merges = false;
    if format == Format::Ods && !has_mimetype {
        // An OpenDocument package without `mimetype` (recognised by its manifest): calamine
        // insists on the entry, so the package it reads gets one.
        let open = package.begin_entry(b"mimetype");
        package.data().extend_from_slice(ODS_MIMETYPE);
        package
            .finish_entry(open, crc32fast::hash(ODS_MIMETYPE))
            .ok_or_else(bomb)?;
    }
    for entry in &entries {
        let open = package.begin_entry(&entry.raw_name);
        let data_at = package.data().len();
        let outcome = match entry.method {
            zip::CompressionMethod::Stored => {
                package.data().extend_from_slice(entry.packed);
                Ok(())
            }
            zip::CompressionMethod::Deflated => {
                inflate::inflate_into(entry.packed, package.data(), entry.declared)
            }
            _ => match archive.by_index(entry.index) {
                Ok(reader) => reader
                    .take(entry.declared.saturating_add(1))
                    .read_to_end(package.data())
                    .map(|_| ()),
                Err(e) => Err(std::io::Error::other(e.to_string())),
            },
        };
        outcome.map_err(|e| GuardError::Corrupt(format!("«{}»: {e}", entry.name)))?;
        if (package.data().len() - data_at) as u64 > entry.declared {
            return Err(GuardError::LyingSize {
                part: entry.name.clone(),
            });
        }
        let mut crc = crc32fast::hash(package.content(&open));
        if crc != entry.crc {
            return Err(GuardError::Corrupt(format!(
                "«{}» sai mã kiểm tra CRC-32",
                entry.name
            )));
        }
        if format == Format::Xlsx && is_xml_part(&entry.name) {
            if let Some(utf8) = utf16::to_utf8(package.content(&open)) {
                // Up to half as long again as the UTF-16 charged with the package.
                budget.charge((utf8.len() as u64).saturating_sub(entry.declared))?;
                crc = crc32fast::hash(&utf8);
                package.data().truncate(data_at);
                package.data().extend_from_slice(&utf8);
            }
        }
        let content = package.content(&open);
        match Part::of(&entry.name, format) {
            Part::SharedStrings => {
                check_shared_strings(content)?;
                // calamine keeps every string again.
                budget.charge(content.len() as u64)?;
            }
            Part::Sheet => may_have_merges |= declares_merges(content),
            Part::OdsContent => {
                ods::check_content(content, limits, budget)?;
                ods_follow::follow(content, limits, budget)?;
            }
            Part::Binary => xlsb::check_records(content, &entry.name)?,
            Part::Styles => {
                if let Some(slim) = styles::number_formats_only(content) {
                    crc = crc32fast::hash(&slim);
                    package.data().truncate(data_at);
                    package.data().extend_from_slice(&slim);
                }
            }
            Part::Other => {}
        }
        package.finish_entry(open, crc).ok_or_else(bomb)?;
    }
    Ok(Inspection {
        may_have_merges,
        package: Some(package.finish().ok_or_else(bomb)?),
        format: Some(format),
    })
}

/// An XML part of an OOXML package (which may be written in UTF-16).
fn is_xml_part(name: &str) -> bool {
    let ends_with = |suffix: &str| {
        name.len() >= suffix.len()
            && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    ends_with(".xml") || ends_with(".rels")
}

/// What calamine requires as the `mimetype` of an OpenDocument spreadsheet.
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// What the guard looks for in a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The declared string count, which calamine reserves memory for.
    SharedStrings,
    /// Whether ranges are merged (xlsx).
    Sheet,
    /// The sheets of an OpenDocument spreadsheet, which calamine builds whole on opening.
    OdsContent,
    /// A binary part of an xlsb package: its records must fit in it.
    Binary,
    /// Cut down to the number formats ([`styles`]).
    Styles,
    /// Only its size.
    Other,
}

impl Part {
    fn of(name: &str, format: Format) -> Self {
        if format == Format::Ods {
            return if name == "content.xml" {
                Part::OdsContent
            } else {
                Part::Other
            };
        }
        if format == Format::Xlsb
            && name.ends_with(".bin")
            && (name.starts_with("xl/worksheets/")
                || matches!(
                    name,
                    "xl/workbook.bin" | "xl/sharedStrings.bin" | "xl/styles.bin"
                ))
        {
            return Part::Binary;
        }
        if name.ends_with("sharedStrings.xml") {
            Part::SharedStrings
        } else if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            Part::Sheet
        } else if name == "xl/styles.xml" {
            Part::Styles
        } else {
            Part::Other
        }
    }
}

/// Parts of an xlsx package that baocao never needs (theme, properties, pictures, printer
/// settings, the content types, which calamine 0.38 never opens), so they are neither
/// inflated nor handed to calamine. Without its theme calamine uses the default Office
/// colours, which no figure depends on.
fn is_never_read(name: &str) -> bool {
    if name == "[Content_Types].xml" {
        return true;
    }
    const PREFIXES: [&str; 7] = [
        "xl/theme/",
        "docProps/",
        "xl/media/",
        "xl/printerSettings/",
        "xl/drawings/",
        "xl/charts/",
        "customXml/",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The declared unique count is what calamine reserves memory for; it must be plausible for
/// the part's real size (every `<si>` takes at least a few bytes).
fn check_shared_strings(content: &[u8]) -> Result<(), GuardError> {
    let mut declared: Option<u64> = None;
    let mut xml = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                for attribute in e.attributes().flatten() {
                    if attribute.key.local_name().as_ref() == "uniqueCount" {
                        let number = attribute.value.trim().parse::<u64>().unwrap_or(u64::MAX);
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
    if let Some(declared) = declared {
        // `<si/>` is 5 bytes; allow a little slack for tiny files.
        if declared > content.len() as u64 / 5 + 16 {
            return Err(GuardError::SharedStrings { declared });
        }
    }
    Ok(())
}

/// True when an xlsx sheet declares merged ranges, so the reader must ask for them. The
/// sheet's extent is not judged here: its cells are read one by one and held to the limits
/// as they are kept (`ingest::workbook`), so only cells that hold something count.
fn declares_merges(content: &[u8]) -> bool {
    memchr::memmem::find(content, b"mergeCell").is_some()
}

/// Calls `visit(local name, tag bytes)` for every start or empty tag of an XML part: a byte
/// scan, several times cheaper than an XML parser, which matters because the guard reads
/// every sheet before calamine reads it again. Text never holds a raw `<`.
pub(super) fn scan_tags(
    content: &[u8],
    mut visit: impl FnMut(&[u8], &[u8]) -> Result<(), GuardError>,
) -> Result<(), GuardError> {
    let mut at = 0;
    while let Some(open) = memchr::memchr(b'<', &content[at..]).map(|i| at + i) {
        let Some(close) = memchr::memchr(b'>', &content[open..]).map(|i| open + i) else {
            break;
        };
        let tag = &content[open + 1..close];
        at = close + 1;
        if matches!(tag.first(), Some(b'/' | b'?' | b'!')) {
            continue;
        }
        let name_end = tag
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(tag.len());
        let name = &tag[..name_end];
        let local = match memchr::memrchr(b':', name) {
            Some(colon) => &name[colon + 1..],
            None => name,
        };
        visit(local, &tag[name_end..])?;
    }
    Ok(())
}

/// The value of a tag's attribute of this local name (`r="C7"`, `table:name="Số liệu"`).
pub(super) fn attribute<'a>(attributes: &'a [u8], wanted: &[u8]) -> Option<&'a [u8]> {
    let mut rest = attributes;
    while let Some(i) = memchr::memchr(b'=', rest) {
        let key_end = rest[..i]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |p| p + 1);
        let key_start = rest[..key_end]
            .iter()
            .rposition(|b| b.is_ascii_whitespace())
            .map_or(0, |p| p + 1);
        let key = &rest[key_start..key_end];
        let after = &rest[i + 1..];
        let quote_at = after.iter().position(|b| !b.is_ascii_whitespace())?;
        let quote = after[quote_at];
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value_start = quote_at + 1;
        let value_len = memchr::memchr(quote, &after[value_start..])?;
        let value = &after[value_start..value_start + value_len];
        let local = match memchr::memrchr(b':', key) {
            Some(colon) => &key[colon + 1..],
            None => key,
        };
        if local == wanted {
            return Some(value);
        }
        rest = &after[value_start + value_len + 1..];
    }
    None
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
    fn sheet_extent_is_left_to_the_reader_and_merges_are_noticed() {
        // Far cells are judged as they are read (only those holding something count): the
        // guard passes them, and tells the reader whether to ask for merged ranges.
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"/></sheetData></worksheet>"#;
        let inspection = inspect(
            &package(&[("xl/worksheets/sheet1.xml", sheet)]),
            &Limits::default(),
        )
        .expect("passes");
        assert!(!inspection.may_have_merges);
        assert_eq!(inspection.format, Some(Format::Xlsx));
        let merged = br#"<worksheet><sheetData/><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#;
        let inspection = inspect(
            &package(&[("xl/worksheets/sheet1.xml", merged)]),
            &Limits::default(),
        )
        .expect("passes");
        assert!(inspection.may_have_merges);
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
    fn a_bomb_in_a_part_only_sized_is_refused_too() {
        // 12 MB of spaces deflate to about 12 KB, whose worst case (× 1032) passes the
        // 10 MB budget: the part is inflated and counted, not charged and skipped.
        let spaces = vec![b' '; 12 * 1024 * 1024];
        let limits = Limits {
            max_uncompressed_bytes: 10 * 1024 * 1024,
            ..Limits::default()
        };
        let bomb = package(&[("xl/styles.xml", &spaces)]);
        assert!(matches!(
            inspect(&bomb, &limits),
            Err(GuardError::Bomb { limit: 10 })
        ));
        let small = package(&[("xl/styles.xml", b"<styleSheet/>")]);
        assert!(inspect(&small, &limits).is_ok());
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
    fn ordinary_packages_pass_and_are_handed_on_inflated() {
        let sheet = br#"<worksheet><dimension ref="A1:E40"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="E40"/></row></sheetData></worksheet>"#;
        let sst = br#"<sst count="1" uniqueCount="1"><si><t>Ma</t></si></sst>"#;
        let theme = br#"<a:theme xmlns:a="x"/>"#;
        let types =
            br#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
        let bytes = package(&[
            ("[Content_Types].xml", types),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/theme/theme1.xml", theme),
            ("xl/sharedStrings.xml", sst),
        ]);
        let inspection = inspect(&bytes, &Limits::default()).expect("passes");
        assert!(!inspection.may_have_merges);
        let package = inspection.package.expect("a package is handed on");
        let mut archive = zip::ZipArchive::new(Cursor::new(&package)).expect("a zip");
        // The parts the reader uses, in their order, stored; the content types and the
        // theme left out.
        assert_eq!(archive.len(), 2);
        for (name, content) in [
            ("xl/worksheets/sheet1.xml", &sheet[..]),
            ("xl/sharedStrings.xml", &sst[..]),
        ] {
            let mut entry = archive.by_name(name).expect(name);
            assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
            let mut read = Vec::new();
            entry.read_to_end(&mut read).expect("reads");
            assert_eq!(read, content);
        }
    }

    /// Sets the uncompressed size that the local header and the central directory declare
    /// for the package's only entry.
    fn declare_size(bytes: &mut [u8], size: u32) {
        let local = first_record(bytes, LOCAL_HEADER);
        bytes[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
        let central = first_record(bytes, CENTRAL_HEADER);
        bytes[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
    }

    const LOCAL_HEADER: &[u8] = b"PK\x03\x04";
    const CENTRAL_HEADER: &[u8] = b"PK\x01\x02";

    /// Where the first zip record with this signature starts.
    fn first_record(bytes: &[u8], signature: &[u8]) -> usize {
        bytes
            .windows(4)
            .position(|w| w == signature)
            .expect("signature")
    }

    #[test]
    fn a_part_inflating_past_its_declared_size_is_refused_by_name() {
        let zeros = vec![b'0'; 8 * 1024 * 1024];
        let mut bytes = package(&[("xl/worksheets/sheet1.xml", &zeros)]);
        assert!(inspect(&bytes, &Limits::default()).is_ok());
        declare_size(&mut bytes, 1000);
        let error = inspect(&bytes, &Limits::default()).expect_err("refused");
        assert_eq!(
            error,
            GuardError::LyingSize {
                part: "xl/worksheets/sheet1.xml".into()
            }
        );
        assert!(error.to_string().contains("«bom nén»"), "{error}");
    }

    #[test]
    fn a_damaged_part_is_named_by_its_crc() {
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#;
        let mut bytes = package(&[("xl/worksheets/sheet1.xml", sheet)]);
        let central = first_record(&bytes, CENTRAL_HEADER);
        bytes[central + 16] ^= 0xFF;
        let error = inspect(&bytes, &Limits::default()).expect_err("refused");
        assert!(
            matches!(&error, GuardError::Corrupt(detail) if detail.contains("CRC-32")),
            "{error:?}"
        );
    }

    #[test]
    fn tags_are_found_with_or_without_prefixes() {
        let mut xml = String::from("<?xml version=\"1.0\"?><x:worksheet><x:sheetData>");
        for row in 1..=3000 {
            xml.push_str(&format!(
                "<x:row r=\"{row}\" spans=\"1:2\"><x:c r=\"A{row}\" t=\"s\"><x:v>1</x:v></x:c><c s='2'  r = 'B{row}'/></x:row>"
            ));
        }
        xml.push_str(
            "</x:sheetData><mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells></x:worksheet>",
        );
        let mut cells = Vec::new();
        let mut merges = 0;
        scan_tags(xml.as_bytes(), |name, tag| {
            match name {
                b"c" => cells.push(attribute(tag, b"r").map(<[u8]>::to_vec)),
                b"mergeCell" => merges += 1,
                _ => {}
            }
            Ok(())
        })
        .expect("scans");
        assert_eq!(cells.len(), 6000);
        assert_eq!(cells[0].as_deref(), Some(&b"A1"[..]));
        assert_eq!(cells[5999].as_deref(), Some(&b"B3000"[..]));
        assert!(cells.iter().all(Option::is_some));
        assert_eq!(merges, 1);
        assert_eq!(attribute(b" ref=\"A1\" rr=\"x\"", b"r"), None);
        assert_eq!(
            attribute(b" table:name='S\xe1\xbb\x91' x=\"1\"", b"name"),
            Some(&b"S\xe1\xbb\x91"[..])
        );
    }

    /// An `.xls` written by LibreOffice (tests/fixtures/formats/make.sh).
    const XLS: &[u8] = include_bytes!("../../tests/fixtures/formats/features.xls");

    /// The fixture with the four bytes at `at` (found by `pattern`) replaced.
    fn patched_xls(pattern: &[u8], offset: usize, value: &[u8]) -> Vec<u8> {
        let mut bytes = XLS.to_vec();
        let at = bytes
            .windows(pattern.len())
            .position(|w| w == pattern)
            .expect("record present in the fixture");
        bytes[at + offset..at + offset + value.len()].copy_from_slice(value);
        bytes
    }

    #[test]
    fn real_xls_files_pass_the_guard() {
        assert!(inspect(XLS, &Limits::default()).is_ok());
        let stream = compound::workbook_stream(XLS)
            .expect("container walks")
            .expect("has a Workbook stream");
        assert_eq!(
            compound::u16_at(&stream, 0),
            0x0809,
            "stream starts with BOF"
        );
        for entry in std::fs::read_dir("tests/fixtures/formats/xls").expect("fixtures") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read fixture");
            assert!(inspect(&bytes, &Limits::default()).is_ok(), "{path:?}");
        }
    }

    #[test]
    fn xls_dimensions_claiming_billions_of_rows_are_refused() {
        // DIMENSIONS (0x0200, 14 bytes): rwMac set to 4,026,531,840; calamine would reserve
        // that many rows times the columns and abort.
        let crafted = patched_xls(&[0x00, 0x02, 0x0E, 0x00], 8, &0xF000_0000u32.to_le_bytes());
        let refused = inspect(&crafted, &Limits::default()).expect_err("refused");
        assert!(
            matches!(&refused, GuardError::TooManyRows { sheet, .. } if !sheet.is_empty()),
            "{refused:?}"
        );
        // A reversed range wraps around in calamine's arithmetic: caught the same way.
        let reversed = patched_xls(&[0x00, 0x02, 0x0E, 0x00], 4, &9u32.to_le_bytes());
        let reversed = {
            let mut bytes = reversed;
            let at = bytes
                .windows(4)
                .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
                .expect("record");
            bytes[at + 8..at + 12].copy_from_slice(&2u32.to_le_bytes());
            bytes
        };
        assert!(inspect(&reversed, &Limits::default()).is_err());
    }

    #[test]
    fn xls_dimensions_spanning_too_many_cells_are_refused() {
        let crafted = {
            let mut bytes = patched_xls(&[0x00, 0x02, 0x0E, 0x00], 8, &60_000u32.to_le_bytes());
            let at = bytes
                .windows(4)
                .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
                .expect("record");
            bytes[at + 14..at + 16].copy_from_slice(&200u16.to_le_bytes());
            bytes
        };
        let refused = inspect(&crafted, &Limits::default()).expect_err("refused");
        assert!(
            matches!(&refused, GuardError::TooManyCells { cells, last, .. }
                if *cells == 60_000 * 200 && last == "GR60000"),
            "{refused:?}"
        );
        assert!(refused.to_string().contains("vượt giới hạn"), "{refused}");
    }

    #[test]
    fn an_xls_cell_far_from_the_others_is_refused() {
        // A LabelSst record (0x00FD) moved to IV65536: the sheet would span 16.7 M cells.
        let crafted = patched_xls(&[0xFD, 0x00, 0x0A, 0x00], 4, &[0xFF, 0xFF, 0xFF, 0x00]);
        let refused = inspect(&crafted, &Limits::default()).expect_err("refused");
        assert!(
            matches!(&refused, GuardError::TooManyCells { last, .. } if last == "IV65536"),
            "{refused:?}"
        );
    }

    #[test]
    fn a_compound_file_pointing_past_its_end_is_refused() {
        let mut bytes = vec![0u8; 1024];
        bytes[..8].copy_from_slice(&crate::ingest::sniff::COMPOUND_SIGNATURE);
        bytes[30..32].copy_from_slice(&9u16.to_le_bytes());
        bytes[68..72].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        bytes[76..80].copy_from_slice(&2u32.to_le_bytes());
        for entry in 1..109 {
            bytes[76 + 4 * entry..80 + 4 * entry].copy_from_slice(&u32::MAX.to_le_bytes());
        }
        let refused = inspect(&bytes, &Limits::default()).expect_err("refused");
        assert!(matches!(refused, GuardError::Corrupt(_)), "{refused:?}");
    }
}
