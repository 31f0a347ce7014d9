//! What a file's bytes are, decided before any reader sees them: the name a unit gives a file
//! says little (web systems export HTML as `.xls`, LibreOffice saves some `.ods` with their
//! `mimetype` entry elsewhere than first). A workbook format baocao reads is recognised by its
//! content; a spreadsheet in a format it does not read is named, so the message can say what
//! it is and how to fix it.

use std::io::{Cursor, Read};

/// A workbook format that calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML: `.xlsx`, `.xlsm`, `.xltx`, `.xltm`.
    Xlsx,
    /// Excel's binary workbook, `.xlsb`.
    Xlsb,
    /// OpenDocument spreadsheet, `.ods`, `.ots`.
    Ods,
    /// Excel 97–2003 (BIFF8) and Excel 5/95 (BIFF5) in a compound file, `.xls`.
    Xls,
}

/// A spreadsheet (or an export standing for one) in a format baocao does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    /// Comma, semicolon or tab separated text.
    Csv,
    /// LibreOffice's flat (single XML file) spreadsheet, `.fods`.
    Fods,
    /// A web page, as web systems export tables "to Excel".
    Html,
    /// Excel 2003's XML spreadsheet (SpreadsheetML).
    SpreadsheetMl,
    /// The SYmbolic LinK text format (`ID;P…`), which some programs still export.
    Sylk,
    /// Excel 2.x–4.0 worksheets (BIFF2–BIFF4), with the version.
    OldExcel(u8),
}

impl Foreign {
    /// What the file is, in the clerk's words.
    pub fn describe(self) -> String {
        match self {
            Foreign::Csv => "tệp văn bản phân tách bằng dấu phẩy, dấu chấm phẩy hoặc dấu tab (CSV), không phải sổ bảng tính".into(),
            Foreign::Fods => "bảng tính LibreOffice lưu dạng XML phẳng (.fods)".into(),
            Foreign::Html => "trang web (HTML) mang tên tệp bảng tính, thường do phần mềm trên mạng xuất ra".into(),
            Foreign::SpreadsheetMl => "bảng tính dạng «XML Spreadsheet 2003» của Excel".into(),
            Foreign::Sylk => "bảng tính dạng văn bản SYLK (.slk)".into(),
            Foreign::OldExcel(version) => {
                format!("bảng tính Excel {version}.0 (định dạng quá cũ, trước Excel 5)")
            }
        }
    }
}

/// What the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Workbook(Format),
    Foreign(Foreign),
    /// A password-protected OOXML workbook (an encrypted package in a compound file).
    Encrypted,
    /// Nothing.
    Empty,
    /// Not a spreadsheet of any kind (a PDF, a picture, a Word document).
    NotAWorkbook,
}

/// The first bytes of a compound file (`.xls`, and password-protected xlsx).
pub const COMPOUND_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A zip package with its directory parsed: what [`sniff_keeping`] read, handed on to the
/// guard so that the directory is parsed once for both.
pub type Package<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Decides what `bytes` are. Cheap: a zip is judged by its directory and at most one small
/// part; text by its first kilobytes.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    sniff_keeping(bytes).0
}

/// [`sniff`], with the zip directory it parsed when the bytes are a readable zip.
pub fn sniff_keeping(bytes: &[u8]) -> (Sniffed, Option<Package<'_>>) {
    if bytes.is_empty() {
        return (Sniffed::Empty, None);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_package(bytes);
    }
    let sniffed = if bytes.starts_with(&COMPOUND_SIGNATURE) {
        if is_encrypted_ooxml(bytes) {
            Sniffed::Encrypted
        } else if has_utf16_name(bytes, "WordDocument") || has_utf16_name(bytes, "PowerPoint") {
            Sniffed::NotAWorkbook
        } else {
            Sniffed::Workbook(Format::Xls)
        }
    } else if let Some(version) = old_excel(bytes) {
        Sniffed::Foreign(Foreign::OldExcel(version))
    } else {
        sniff_text(bytes)
    };
    (sniffed, None)
}

/// A zip package by what it holds: an OpenDocument spreadsheet wherever its `mimetype` sits
/// (or without one), Excel's binary or XML workbook, or something else.
fn sniff_package(bytes: &[u8]) -> (Sniffed, Option<Package<'_>>) {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // Damaged: the reader names the damage (most damaged packages are xlsx).
        return (Sniffed::Workbook(Format::Xlsx), None);
    };
    let sniffed = sniff_archive(&mut archive);
    (sniffed, Some(archive))
}

fn sniff_archive(archive: &mut Package<'_>) -> Sniffed {
    let has = |archive: &zip::ZipArchive<Cursor<&[u8]>>, name: &str| {
        archive
            .file_names()
            .any(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
    };
    if let Some(mimetype) = small_part(archive, "mimetype") {
        let mimetype = String::from_utf8_lossy(&mimetype);
        return if mimetype.contains("opendocument.spreadsheet") {
            Sniffed::Workbook(Format::Ods)
        } else {
            Sniffed::NotAWorkbook
        };
    }
    if has(archive, "content.xml") {
        // An OpenDocument package without `mimetype`: its manifest says what it is.
        let manifest = small_part(archive, "META-INF/manifest.xml").unwrap_or_default();
        let manifest = String::from_utf8_lossy(&manifest);
        return if manifest.contains("opendocument.spreadsheet") || manifest.is_empty() {
            Sniffed::Workbook(Format::Ods)
        } else {
            Sniffed::NotAWorkbook
        };
    }
    if has(archive, "xl/workbook.bin") {
        return Sniffed::Workbook(Format::Xlsb);
    }
    if has(archive, "word/document.xml") || has(archive, "ppt/presentation.xml") {
        return Sniffed::NotAWorkbook;
    }
    Sniffed::Workbook(Format::Xlsx)
}

/// The first 64 KB of a part, if the package has it.
fn small_part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let mut entry = archive.by_name(name).ok()?;
    let mut out = Vec::new();
    (&mut entry).take(64 * 1024).read_to_end(&mut out).ok()?;
    Some(out)
}

/// Encrypted xlsx files are compound files holding an `EncryptionInfo` stream.
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    has_utf16_name(bytes, "EncryptionInfo")
}

fn has_utf16_name(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    memchr::memmem::find(bytes, &needle).is_some()
}

/// Excel 2.x–4.0 worksheets start with their BOF record: 0x0009 (BIFF2), 0x0209 (BIFF3) or
/// 0x0409 (BIFF4), followed by a short length.
fn old_excel(bytes: &[u8]) -> Option<u8> {
    let kind = u16::from_le_bytes([*bytes.first()?, *bytes.get(1)?]);
    let len = u16::from_le_bytes([*bytes.get(2)?, *bytes.get(3)?]);
    let version = match kind {
        0x0009 => 2,
        0x0209 => 3,
        0x0409 => 4,
        _ => return None,
    };
    (4..=16).contains(&len).then_some(version)
}

/// Text: a web page, an XML spreadsheet, a flat OpenDocument file, or separated values.
fn sniff_text(bytes: &[u8]) -> Sniffed {
    let head = &bytes[..bytes.len().min(8192)];
    // UTF-16 text (Excel's "Unicode Text" export is tab-separated UTF-16).
    let text: String = if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let big = head[0] == 0xFE;
        let units: Vec<u16> = head[2..]
            .chunks_exact(2)
            .map(|c| {
                if big {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head)).into_owned()
    };
    let lower = text.to_lowercase();
    let trimmed = lower.trim_start();
    if trimmed.starts_with('<') {
        if lower.contains("urn:schemas-microsoft-com:office:spreadsheet")
            || lower.contains("progid=\"excel.sheet\"")
        {
            return Sniffed::Foreign(Foreign::SpreadsheetMl);
        }
        if lower.contains("opendocument.spreadsheet") && lower.contains("office:document") {
            return Sniffed::Foreign(Foreign::Fods);
        }
        if lower.contains("<html") || lower.contains("<!doctype html") || lower.contains("<table") {
            return Sniffed::Foreign(Foreign::Html);
        }
        return Sniffed::NotAWorkbook;
    }
    if text.starts_with("ID;") {
        return Sniffed::Foreign(Foreign::Sylk);
    }
    if trimmed.starts_with("mime-version:") && lower.contains("text/html") {
        return Sniffed::Foreign(Foreign::Html);
    }
    if looks_like_separated_values(&text) {
        return Sniffed::Foreign(Foreign::Csv);
    }
    Sniffed::NotAWorkbook
}

/// Printable text whose first lines hold the same separator, at least once each.
fn looks_like_separated_values(text: &str) -> bool {
    if text
        .chars()
        .any(|c| c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\r' | '\n')))
    {
        return false;
    }
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(5)
        .collect();
    // The last line of the sample may be cut short.
    let complete = if lines.len() > 1 && text.len() >= 8192 {
        &lines[..lines.len() - 1]
    } else {
        &lines[..]
    };
    !complete.is_empty()
        && [',', ';', '\t', '|']
            .iter()
            .any(|sep| complete.iter().all(|line| line.contains(*sep)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_exports_are_named_by_what_they_are() {
        let cases: [(&[u8], Sniffed); 10] = [
            (b"ID;PWXL;N;E\r\nC;Y1;X1;K1\r\nE\r\n", Sniffed::Foreign(Foreign::Sylk)),
            (b"Ma,Ten,So\nVB_DEN,Van ban den,3675\n", Sniffed::Foreign(Foreign::Csv)),
            ("Mã;Tên\nVB_DEN;Văn bản đến\n".as_bytes(), Sniffed::Foreign(Foreign::Csv)),
            (b"<html><body><table><tr><td>1</td></tr></table></body></html>", Sniffed::Foreign(Foreign::Html)),
            (b"\xEF\xBB\xBF<table border=1><tr><td>x</td></tr></table>", Sniffed::Foreign(Foreign::Html)),
            (b"<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">", Sniffed::Foreign(Foreign::SpreadsheetMl)),
            (b"<?xml version=\"1.0\"?><office:document office:mimetype=\"application/vnd.oasis.opendocument.spreadsheet\">", Sniffed::Foreign(Foreign::Fods)),
            (b"%PDF-1.7 ...", Sniffed::NotAWorkbook),
            (b"just one line of prose", Sniffed::NotAWorkbook),
            (b"", Sniffed::Empty),
        ];
        for (bytes, expected) in cases {
            assert_eq!(sniff(bytes), expected, "{}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn excel_2_to_4_worksheets_are_named_with_their_version() {
        // BIFF4 BOF: type 0x0409, length 6, version, document type 0x0010 (worksheet).
        let biff4 = [0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00];
        assert_eq!(sniff(&biff4), Sniffed::Foreign(Foreign::OldExcel(4)));
        let biff2 = [0x09, 0x00, 0x04, 0x00, 0x02, 0x00, 0x10, 0x00];
        assert_eq!(sniff(&biff2), Sniffed::Foreign(Foreign::OldExcel(2)));
        assert!(Foreign::OldExcel(4).describe().contains("Excel 4.0"));
    }

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        for (name, content) in parts {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            writer.write_all(content).expect("write");
        }
        writer.finish().expect("finish");
        out.into_inner()
    }

    #[test]
    fn packages_are_judged_by_their_parts_not_their_order() {
        let ods_mime: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
        let manifest: &[u8] = b"<manifest:manifest><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/></manifest:manifest>";
        let cases = [
            (
                zip_of(&[("content.xml", b"<x/>"), ("mimetype", ods_mime)]),
                Sniffed::Workbook(Format::Ods),
            ),
            (
                zip_of(&[
                    ("content.xml", b"<x/>"),
                    ("META-INF/manifest.xml", manifest),
                ]),
                Sniffed::Workbook(Format::Ods),
            ),
            (
                zip_of(&[
                    ("mimetype", b"application/vnd.oasis.opendocument.text"),
                    ("content.xml", b"<x/>"),
                ]),
                Sniffed::NotAWorkbook,
            ),
            (
                zip_of(&[("[Content_Types].xml", b"<x/>"), ("xl/workbook.bin", b"")]),
                Sniffed::Workbook(Format::Xlsb),
            ),
            (
                zip_of(&[("[Content_Types].xml", b"<x/>"), ("xl/workbook.xml", b"")]),
                Sniffed::Workbook(Format::Xlsx),
            ),
            (
                zip_of(&[("[Content_Types].xml", b"<x/>"), ("word/document.xml", b"")]),
                Sniffed::NotAWorkbook,
            ),
        ];
        for (bytes, expected) in cases {
            assert_eq!(sniff(&bytes), expected);
        }
    }
}
