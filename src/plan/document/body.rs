//! Reading a Word document (.docx) into what a plan is made of: its paragraphs and its
//! tables, in order, as plain text. docx-rs reads the package; it has panicked on unusual
//! documents and its XML reader recurses once per nested element (CRATE-NOTES.md), so it is
//! guarded like calamine: the size and zip-bomb checks of [`crate::ingest::guard`] first,
//! then a scan of `word/document.xml` that refuses nesting deeper than any real document
//! has, and a caught panic is a message about the file, not the end of the run.

use std::io::{Cursor, Read};

use docx_rs::{
    DocumentChild, Paragraph, ParagraphChild, Run, RunChild, StructuredDataTag,
    StructuredDataTagChild, Table, TableCell, TableCellContent, TableChild, TableRowChild,
};
use quick_xml::events::Event;
use thiserror::Error;

use super::contain::contain;
use crate::ingest::guard::{self, GuardError};
use crate::ingest::Limits;
use crate::text::fold::nfc;

/// The main part of a document may inflate to at most this much: a plan of a hundred pages
/// is about 2 MB, and docx-rs holds the whole part as a tree of objects.
pub const MAX_DOCUMENT_PART_BYTES: u64 = 32 * 1024 * 1024;

/// Elements may nest this deep in the main part (a real plan: about 15).
pub const MAX_XML_DEPTH: usize = 256;

/// Tables may nest this deep (a table in a cell of a table is 2).
pub const MAX_TABLE_NESTING: usize = 8;

/// The main part may hold at most this many elements: docx-rs builds an object of about a
/// kilobyte for each (measured: 50 rows of 10,000 cells, 70 KB zipped, took 2.3 GB and 15 s
/// before this limit). A plan of a hundred pages has about 100,000.
pub const MAX_ELEMENTS: usize = 400_000;

/// Table cells the main part may hold (a plan's annex: a few hundred to a few thousand).
pub const MAX_TABLE_CELLS: usize = 50_000;

/// A table wider than this many grid columns is no assignment table: it is set aside
/// unread, so that a crafted table never costs more than its text.
pub const MAX_TABLE_COLUMNS: usize = 64;

/// At most this many cells are kept over the whole document (a plan's annex: a few hundred).
pub const MAX_CELLS: usize = 200_000;

/// A document's paragraphs and tables, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub blocks: Vec<Block>,
}

/// One block of the document body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    Table(WordTable),
}

/// A table as Word stores it: rows of cells, each cell spanning grid columns
/// (`w:gridSpan`) and possibly continuing the cell above (`w:vMerge`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordTable {
    pub rows: Vec<Vec<WordCell>>,
    /// The widest row, in grid columns.
    pub columns: usize,
    /// Wider than [`MAX_TABLE_COLUMNS`]: its cells were not kept.
    pub too_wide: bool,
}

/// One cell: its paragraphs joined by line breaks (a nested table's cells come as lines).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordCell {
    pub text: String,
    /// Grid columns covered, at least 1.
    pub span: usize,
    pub merge: VerticalMerge,
}

/// `w:vMerge`: whether a cell starts or continues a vertically merged cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum VerticalMerge {
    #[default]
    None,
    Restart,
    Continue,
}

/// Why a file could not be read as a Word document; each is one Vietnamese message.
#[derive(Debug, Error, PartialEq)]
pub enum DocumentError {
    #[error("Tệp rỗng (0 byte)")]
    Empty,
    #[error("Tệp được đặt mật khẩu, không đọc được; hãy gỡ mật khẩu rồi gửi lại")]
    Password,
    #[error("Tệp là văn bản Word 97–2003 (.doc); hãy mở bằng Word hoặc LibreOffice và lưu lại dưới dạng .docx")]
    LegacyWord,
    #[error("Không chuyển được văn bản Word 97–2003 (.doc) sang .docx ({0}); hãy mở bằng Word hoặc LibreOffice và lưu lại dưới dạng .docx")]
    Conversion(String),
    #[error("Tệp không phải văn bản Word (.docx)")]
    NotAWordDocument,
    #[error("Văn bản Word bị hỏng hoặc không đầy đủ, không đọc được (chi tiết kỹ thuật: {0})")]
    Corrupt(String),
    #[error("Nội dung văn bản giải nén ra {megabytes} MB, vượt giới hạn {limit} MB; không đọc")]
    PartTooLarge { megabytes: u64, limit: u64 },
    #[error("Văn bản có các phần tử lồng nhau {depth} tầng (giới hạn {limit}); tệp bất thường, không đọc")]
    TooDeep { depth: usize, limit: usize },
    #[error("Văn bản có bảng lồng trong bảng {depth} tầng (giới hạn {limit}); tệp bất thường, không đọc")]
    TablesTooDeep { depth: usize, limit: usize },
    #[error("Văn bản có hơn {} {what}; tệp bất thường, không đọc", crate::vn::number::format_int(*.limit as u64))]
    TooMany { what: &'static str, limit: usize },
    #[error("{0}")]
    Refused(GuardError),
}

/// The first bytes of an OLE compound file: a Word 97–2003 document, or an encrypted .docx.
const COMPOUND_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a .docx held in memory, within `limits`. Never panics on its content.
pub fn read_body(bytes: &[u8], limits: &Limits) -> Result<Body, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    if bytes.starts_with(&COMPOUND_SIGNATURE) {
        // An encrypted OOXML package is a compound file holding `EncryptedPackage`.
        let marker: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        return Err(if memchr::memmem::find(bytes, &marker).is_some() {
            DocumentError::Password
        } else {
            DocumentError::LegacyWord
        });
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(DocumentError::NotAWordDocument);
    }
    let inspection = guard::inspect(bytes, limits).map_err(|error| match error {
        GuardError::Corrupt(detail) => DocumentError::Corrupt(detail),
        other => DocumentError::Refused(other),
    })?;
    let package = inspection.package.as_deref().unwrap_or(bytes);
    check_main_part(package)?;
    let docx = contain(|| {
        docx_rs::read_docx_with_options(
            package,
            docx_rs::ReadDocxOptions::default().with_image_previews(false),
        )
        .map_err(|e| DocumentError::Corrupt(e.to_string()))
    })?;
    let mut budget = MAX_CELLS;
    let mut blocks = Vec::new();
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => blocks.push(Block::Paragraph(paragraph_text(p))),
            DocumentChild::Table(t) => blocks.push(Block::Table(word_table(t, &mut budget))),
            DocumentChild::StructuredDataTag(tag) => sdt_blocks(tag, &mut blocks, &mut budget, 0),
            _ => {}
        }
    }
    Ok(Body { blocks })
}

/// Checks the main part before docx-rs parses it: it exists, is not too large once
/// inflated, and does not nest deeper than [`MAX_XML_DEPTH`] elements or
/// [`MAX_TABLE_NESTING`] tables (docx-rs would recurse once per level).
fn check_main_part(package: &[u8]) -> Result<(), DocumentError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(package))
        .map_err(|e| DocumentError::Corrupt(e.to_string()))?;
    let name = main_part_name(&mut archive).unwrap_or_else(|| "word/document.xml".to_string());
    let mut part = match archive.by_name(&name) {
        Ok(part) => part,
        Err(_) => return Err(DocumentError::NotAWordDocument),
    };
    if part.size() > MAX_DOCUMENT_PART_BYTES {
        return Err(DocumentError::PartTooLarge {
            megabytes: part.size().div_ceil(1024 * 1024),
            limit: MAX_DOCUMENT_PART_BYTES / (1024 * 1024),
        });
    }
    let mut content = Vec::with_capacity(part.size() as usize);
    part.by_ref()
        .take(MAX_DOCUMENT_PART_BYTES + 1)
        .read_to_end(&mut content)
        .map_err(|e| DocumentError::Corrupt(e.to_string()))?;
    check_nesting(&content)
}

/// The main part's name from the package relationships (`word/document.xml` as a rule).
fn main_part_name(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let mut rels = String::new();
    archive
        .by_name("_rels/.rels")
        .ok()?
        .take(1024 * 1024)
        .read_to_string(&mut rels)
        .ok()?;
    let mut xml = quick_xml::Reader::from_str(&rels);
    loop {
        match xml.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                let mut target = None;
                let mut main = false;
                for attribute in e.attributes().flatten() {
                    let value = attribute.value.to_string();
                    match attribute.key.local_name().as_ref() {
                        "Target" => target = Some(value),
                        "Type" => main = value.ends_with("/officeDocument"),
                        _ => {}
                    }
                }
                if main {
                    return target.map(|t| t.trim_start_matches('/').to_string());
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// Refuses XML nested deeper than a real document is.
fn check_nesting(content: &[u8]) -> Result<(), DocumentError> {
    let mut xml = quick_xml::Reader::from_reader(content);
    xml.config_mut().check_end_names = false;
    let mut depth = 0usize;
    let mut tables: Vec<usize> = Vec::new();
    let (mut elements, mut cells) = (0usize, 0usize);
    let mut count = |name: &str| -> Result<(), DocumentError> {
        elements += 1;
        if elements > MAX_ELEMENTS {
            return Err(DocumentError::TooMany {
                what: "phần tử",
                limit: MAX_ELEMENTS,
            });
        }
        if name == "tc" {
            cells += 1;
            if cells > MAX_TABLE_CELLS {
                return Err(DocumentError::TooMany {
                    what: "ô bảng",
                    limit: MAX_TABLE_CELLS,
                });
            }
        }
        Ok(())
    };
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Empty(e)) => count(e.local_name().as_ref())?,
            Ok(Event::Start(e)) => {
                count(e.local_name().as_ref())?;
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    return Err(DocumentError::TooDeep {
                        depth,
                        limit: MAX_XML_DEPTH,
                    });
                }
                if e.local_name().as_ref() == "tbl" {
                    tables.push(depth);
                    if tables.len() > MAX_TABLE_NESTING {
                        return Err(DocumentError::TablesTooDeep {
                            depth: tables.len(),
                            limit: MAX_TABLE_NESTING,
                        });
                    }
                }
            }
            Ok(Event::End(_)) => {
                if tables.last() == Some(&depth) {
                    tables.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Eof) => return Ok(()),
            Err(e) => return Err(DocumentError::Corrupt(e.to_string())),
            _ => {}
        }
        buf.clear();
    }
}

/// A content control's paragraphs and tables, as if they stood in the body.
fn sdt_blocks(tag: &StructuredDataTag, blocks: &mut Vec<Block>, budget: &mut usize, depth: usize) {
    if depth > MAX_TABLE_NESTING {
        return;
    }
    let mut runs = String::new();
    for child in &tag.children {
        match child {
            StructuredDataTagChild::Paragraph(p) => {
                blocks.push(Block::Paragraph(paragraph_text(p)))
            }
            StructuredDataTagChild::Table(t) => blocks.push(Block::Table(word_table(t, budget))),
            StructuredDataTagChild::Run(run) => run_text(run, &mut runs),
            StructuredDataTagChild::StructuredDataTag(inner) => {
                sdt_blocks(inner, blocks, budget, depth + 1)
            }
            _ => {}
        }
    }
    if !runs.trim().is_empty() {
        blocks.push(Block::Paragraph(clean(&runs)));
    }
}

/// A paragraph's text as the reader sees it: runs, insertions, hyperlinks and content
/// controls; deleted text left out; tabs as spaces, line breaks kept.
pub fn paragraph_text(paragraph: &Paragraph) -> String {
    let mut text = String::new();
    children_text(&paragraph.children, &mut text, 0);
    clean(&text)
}

fn children_text(children: &[ParagraphChild], text: &mut String, depth: usize) {
    if depth > MAX_TABLE_NESTING {
        return;
    }
    for child in children {
        match child {
            ParagraphChild::Run(run) => run_text(run, text),
            ParagraphChild::Insert(insert) => {
                for child in &insert.children {
                    if let docx_rs::InsertChild::Run(run) = child {
                        run_text(run, text);
                    }
                }
            }
            ParagraphChild::MoveTo(moved) => {
                for child in &moved.children {
                    if let docx_rs::MoveToChild::Run(run) = child {
                        run_text(run, text);
                    }
                }
            }
            ParagraphChild::Hyperlink(link) => children_text(&link.children, text, depth + 1),
            ParagraphChild::StructuredDataTag(tag) => {
                for child in &tag.children {
                    match child {
                        StructuredDataTagChild::Run(run) => run_text(run, text),
                        StructuredDataTagChild::Paragraph(p) => {
                            children_text(&p.children, text, depth + 1)
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn run_text(run: &Run, text: &mut String) {
    for child in &run.children {
        match child {
            RunChild::Text(t) => text.push_str(&t.text),
            RunChild::Tab(_) | RunChild::PTab(_) => text.push('\t'),
            RunChild::Break(_) | RunChild::CarriageReturn(_) => text.push('\n'),
            _ => {}
        }
    }
}

/// NFC, no-break spaces as spaces, each line trimmed at its end.
fn clean(text: &str) -> String {
    let text = nfc(text).replace(['\u{a0}', '\u{202f}'], " ");
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_string()
}

/// A table's rows and cells, with their spans and vertical merges.
fn word_table(table: &Table, budget: &mut usize) -> WordTable {
    let mut out = WordTable::default();
    for TableChild::TableRow(row) in &table.rows {
        let mut cells = Vec::new();
        let mut width = 0usize;
        for TableRowChild::TableCell(cell) in &row.cells {
            let (span, merge) = cell_layout(cell);
            width = width.saturating_add(span);
            if width > MAX_TABLE_COLUMNS || *budget == 0 {
                out.too_wide |= width > MAX_TABLE_COLUMNS;
                break;
            }
            *budget -= 1;
            cells.push(WordCell {
                text: cell_text(cell, 1),
                span,
                merge,
            });
        }
        out.columns = out.columns.max(width.min(MAX_TABLE_COLUMNS + 1));
        if out.too_wide {
            out.rows.clear();
            return out;
        }
        out.rows.push(cells);
    }
    out
}

/// `w:gridSpan` and `w:vMerge` of a cell. docx-rs reads both but keeps them private; its
/// serialisation (the crate's JSON form) gives them back.
fn cell_layout(cell: &TableCell) -> (usize, VerticalMerge) {
    let Ok(value) = serde_json::to_value(&cell.property) else {
        return (1, VerticalMerge::None);
    };
    let span = value
        .get("gridSpan")
        .and_then(serde_json::Value::as_u64)
        .map_or(1, |s| s.clamp(1, MAX_TABLE_COLUMNS as u64 + 1) as usize);
    let merge = match value
        .get("verticalMerge")
        .and_then(serde_json::Value::as_str)
    {
        Some("restart") => VerticalMerge::Restart,
        Some("continue") => VerticalMerge::Continue,
        _ => VerticalMerge::None,
    };
    (span, merge)
}

/// A cell's paragraphs, one per line; a nested table's cells each on their own line.
fn cell_text(cell: &TableCell, depth: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for content in &cell.children {
        match content {
            TableCellContent::Paragraph(p) => lines.push(paragraph_text(p)),
            TableCellContent::Table(inner) if depth < MAX_TABLE_NESTING => {
                for TableChild::TableRow(row) in &inner.rows {
                    for TableRowChild::TableCell(cell) in &row.cells {
                        lines.push(cell_text(cell, depth + 1));
                    }
                }
            }
            TableCellContent::StructuredDataTag(tag) => {
                for child in &tag.children {
                    if let StructuredDataTagChild::Paragraph(p) = child {
                        lines.push(paragraph_text(p));
                    }
                }
            }
            _ => {}
        }
    }
    clean(
        &lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

impl Body {
    /// Every line of text in order: body paragraphs (an empty one as an empty line) and the
    /// paragraphs of tables (a letterhead is often a two-column table), except the tables
    /// `skip` says are data.
    pub fn lines(&self, skip: impl Fn(usize) -> bool) -> Vec<String> {
        let mut lines = Vec::new();
        let mut table_index = 0;
        for block in &self.blocks {
            match block {
                Block::Paragraph(text) if text.trim().is_empty() => lines.push(String::new()),
                Block::Paragraph(text) => lines.extend(text.lines().map(str::to_string)),
                Block::Table(table) => {
                    table_index += 1;
                    if skip(table_index) {
                        continue;
                    }
                    for row in &table.rows {
                        for cell in row {
                            lines.extend(cell.text.lines().map(str::to_string));
                        }
                    }
                }
            }
        }
        lines
    }

    /// The tables, numbered from 1 as a reader counts them.
    pub fn tables(&self) -> impl Iterator<Item = (usize, &WordTable)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Paragraph(_) => None,
            })
            .enumerate()
            .map(|(i, t)| (i + 1, t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_before_docx_rs_sees_it() {
        let nested = format!(
            "<w:document><w:body>{}{}</w:body></w:document>",
            "<w:tbl><w:tr><w:tc>".repeat(20),
            "</w:tc></w:tr></w:tbl>".repeat(20)
        );
        assert_eq!(
            check_nesting(nested.as_bytes()),
            Err(DocumentError::TablesTooDeep {
                depth: 9,
                limit: MAX_TABLE_NESTING
            })
        );
        let deep = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
        assert!(matches!(
            check_nesting(deep.as_bytes()),
            Err(DocumentError::TooDeep { .. })
        ));
        let cells = format!(
            "<w:tbl><w:tr>{}</w:tr></w:tbl>",
            "<w:tc/>".repeat(MAX_TABLE_CELLS + 1)
        );
        assert_eq!(
            check_nesting(cells.as_bytes()),
            Err(DocumentError::TooMany {
                what: "ô bảng",
                limit: MAX_TABLE_CELLS
            })
        );
        let paragraphs = "<w:p/>".repeat(MAX_ELEMENTS + 1);
        assert!(matches!(
            check_nesting(paragraphs.as_bytes()),
            Err(DocumentError::TooMany {
                what: "phần tử",
                ..
            })
        ));
        let flat = "<w:document><w:body><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl><w:tbl/></w:body></w:document>";
        assert_eq!(check_nesting(flat.as_bytes()), Ok(()));
    }

    #[test]
    fn what_is_not_a_docx_is_named() {
        let limits = Limits::default();
        assert_eq!(read_body(b"", &limits), Err(DocumentError::Empty));
        assert_eq!(
            read_body(b"%PDF-1.4 not a document", &limits),
            Err(DocumentError::NotAWordDocument)
        );
        let mut doc = COMPOUND_SIGNATURE.to_vec();
        doc.extend_from_slice(&[0; 600]);
        assert_eq!(read_body(&doc, &limits), Err(DocumentError::LegacyWord));
    }

    #[test]
    fn cells_keep_their_lines_and_lose_trailing_blanks() {
        assert_eq!(
            clean("- Phòng GDTrH;  \n- Văn phòng\u{a0}\n"),
            "- Phòng GDTrH;\n- Văn phòng"
        );
    }
}
