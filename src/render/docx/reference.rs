//! The reference document (`templates/mau-van-ban.docx`): an ordinary DOCX an office may edit
//! in Word or LibreOffice. Every DOCX baocao writes takes from it the styles, numbering,
//! settings, page size and margins, headers with the page number and the footnote
//! separators, so changing the look needs no rebuild. It is read once, checked whole, and a
//! problem is one clear Vietnamese message, never a half-styled document.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::ZipArchive;

use crate::render::document::{Orientation, ParagraphStyle, TableStyle, FOOTNOTE_MARK_STYLE};

/// The reference document, parsed and checked.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Parts copied into every output as they are (styles, settings, numbering, headers,
    /// theme, fonts …), in the reference's order.
    pub(super) copied: Vec<(String, Vec<u8>)>,
    /// The attributes of the reference's `w:document` element: its namespace declarations,
    /// so that the copied section properties keep every prefix they use.
    pub(super) document_attributes: String,
    /// The last section's properties, child by child.
    pub(super) section: Section,
    /// The relationships of the main document part.
    pub(super) relationships: Vec<Relationship>,
    /// Where the footnotes part lives, its root attributes and its separator notes.
    pub(super) footnotes: Footnotes,
    /// `[Content_Types].xml`: defaults by extension and overrides by part.
    pub(super) defaults: Vec<(String, String)>,
    pub(super) overrides: Vec<(String, String)>,
    paragraph_ids: HashMap<ParagraphStyle, String>,
    table_ids: HashMap<TableStyle, String>,
    footnote_mark_id: String,
}

/// A relationship of the main document part.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Relationship {
    pub id: String,
    pub kind: String,
    pub target: String,
    pub external: bool,
}

/// Section properties: the raw children, with the page size read out so that a landscape
/// section can turn it.
#[derive(Debug, Clone)]
pub(super) struct Section {
    pub attributes: String,
    pub children: Vec<SectionChild>,
    /// Left and right margins, in twips.
    pub margins: (u32, u32),
}

/// One child of `w:sectPr`.
#[derive(Debug, Clone)]
pub(super) enum SectionChild {
    Page { width: u32, height: u32 },
    Other(String),
}

/// The footnotes part of the reference.
#[derive(Debug, Clone)]
pub(super) struct Footnotes {
    pub part: String,
    /// Whether the reference has the part (otherwise it is added with default separators).
    pub present: bool,
    pub attributes: String,
    /// The separator notes (`w:type` set), as written in the reference.
    pub separators: String,
    /// The first id free for the document's own notes.
    pub first_id: i64,
}

/// Why the reference document cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("mẫu văn bản {file}: {problem}")]
pub struct ReferenceError {
    pub file: String,
    pub problem: String,
}

/// The main document part a reference must have.
const MAIN_PART: &str = "word/document.xml";
const MAIN_RELS: &str = "word/_rels/document.xml.rels";
const CONTENT_TYPES: &str = "[Content_Types].xml";
const FOOTNOTES_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes";
const STYLES_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";

/// Default separators, for a reference saved without a footnotes part.
const DEFAULT_SEPARATORS: &str = concat!(
    r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"#,
    r#"<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"#,
);

impl Reference {
    /// Reads and checks a reference document; `file` names it in messages.
    pub fn parse(bytes: &[u8], file: &str) -> Result<Reference, ReferenceError> {
        let fail = |problem: String| ReferenceError {
            file: file.to_string(),
            problem,
        };
        let parts = read_parts(bytes).map_err(&fail)?;
        let text = |name: &str| -> Result<&str, ReferenceError> {
            let data = parts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, d)| d)
                .ok_or_else(|| fail(format!("thiếu phần {name} của tệp Word")))?;
            std::str::from_utf8(data).map_err(|_| fail(format!("phần {name} không phải UTF-8")))
        };

        let relationships = parse_relationships(text(MAIN_RELS)?).map_err(&fail)?;
        let styles_part = relationships
            .iter()
            .find(|r| r.kind == STYLES_TYPE)
            .map(|r| word_path(&r.target))
            .ok_or_else(|| fail("không có bảng kiểu (styles.xml)".to_string()))?;
        let styles = parse_styles(text(&styles_part)?).map_err(&fail)?;
        let mut missing = Vec::new();
        let paragraph_ids = style_ids(
            &styles,
            "paragraph",
            &ParagraphStyle::ALL,
            ParagraphStyle::name,
            "",
            &mut missing,
        );
        let table_ids = style_ids(
            &styles,
            "table",
            &TableStyle::ALL,
            TableStyle::name,
            " (kiểu bảng)",
            &mut missing,
        );
        let footnote_mark_id = styles
            .get(&("character", FOOTNOTE_MARK_STYLE.to_lowercase()))
            .cloned();
        if footnote_mark_id.is_none() {
            missing.push(format!("«{FOOTNOTE_MARK_STYLE}» (kiểu ký tự)"));
        }
        if !missing.is_empty() {
            return Err(fail(format!(
                "thiếu kiểu {}; các kiểu này phải giữ đúng tên",
                missing.join(", ")
            )));
        }

        let (document_attributes, section) = parse_document(text(MAIN_PART)?).map_err(&fail)?;

        let footnotes = match relationships.iter().find(|r| r.kind == FOOTNOTES_TYPE) {
            Some(rel) => {
                let part = word_path(&rel.target);
                let (attributes, separators, max_id) =
                    parse_footnotes(text(&part)?).map_err(&fail)?;
                Footnotes {
                    part,
                    present: true,
                    attributes,
                    separators,
                    first_id: (max_id + 1).max(1),
                }
            }
            None => Footnotes {
                part: "word/footnotes.xml".to_string(),
                present: false,
                attributes: format!(r#" xmlns:w="{}""#, super::xml::W_NS),
                separators: DEFAULT_SEPARATORS.to_string(),
                first_id: 1,
            },
        };
        let (defaults, overrides) = parse_content_types(text(CONTENT_TYPES)?).map_err(&fail)?;

        let own = [CONTENT_TYPES, "_rels/.rels", MAIN_PART, MAIN_RELS];
        let copied = parts
            .into_iter()
            .filter(|(name, _)| {
                !own.contains(&name.as_str())
                    && !name.starts_with("docProps/")
                    && *name != footnotes.part
            })
            .collect();
        Ok(Reference {
            copied,
            document_attributes,
            section,
            relationships,
            footnotes,
            defaults,
            overrides,
            paragraph_ids,
            table_ids,
            footnote_mark_id: footnote_mark_id.unwrap_or_default(),
        })
    }

    /// The style id of a paragraph style in this reference.
    pub fn paragraph_style_id(&self, style: ParagraphStyle) -> &str {
        self.paragraph_ids
            .get(&style)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The style id of a table style in this reference.
    pub fn table_style_id(&self, style: TableStyle) -> &str {
        self.table_ids
            .get(&style)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The style id of the footnote mark.
    pub fn footnote_mark_id(&self) -> &str {
        &self.footnote_mark_id
    }

    /// The width between the margins, in twips, of a page in this orientation.
    pub fn text_width(&self, orientation: Orientation) -> u32 {
        let (width, height) = self.page_size();
        let page = match orientation {
            Orientation::Portrait => width.min(height),
            Orientation::Landscape => width.max(height),
        };
        let (left, right) = self.section.margins;
        page.saturating_sub(left + right).max(1_440)
    }

    /// Page width and height of the reference's section, in twips.
    pub fn page_size(&self) -> (u32, u32) {
        self.section
            .children
            .iter()
            .find_map(|c| match c {
                SectionChild::Page { width, height } => Some((*width, *height)),
                SectionChild::Other(_) => None,
            })
            .unwrap_or((11_906, 16_838))
    }
}

/// The path of a part named by a relationship of the main part (targets are relative to
/// `word/`, or absolute from the package root).
fn word_path(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("word/{target}"),
    }
}

/// The package's parts, in archive order.
fn read_parts(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "không phải tệp Word (.docx) đọc được".to_string())?;
    let mut parts = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let mut file = archive
            .by_index(index)
            .map_err(|e| format!("tệp nén hỏng ({e})"))?;
        if file.is_dir() {
            continue;
        }
        let name = file
            .name()
            .map_err(|e| format!("tệp nén hỏng ({e})"))?
            .into_owned();
        let mut data = Vec::new();
        file.read_to_end(&mut data)
            .map_err(|e| format!("không đọc được phần {name} ({e})"))?;
        parts.push((name, data));
    }
    Ok(parts)
}

fn xml_error(part: &str, error: impl std::fmt::Display) -> String {
    format!("phần {part} không phải XML hợp lệ ({error})")
}

fn attribute(tag: &BytesStart<'_>, name: &str) -> Option<String> {
    tag.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The raw attribute text of a start tag (namespace declarations included).
fn raw_attributes(tag: &BytesStart<'_>) -> String {
    let raw = tag.attributes_raw();
    if raw.trim().is_empty() {
        String::new()
    } else {
        format!(" {}", raw.trim())
    }
}

fn parse_relationships(src: &str) -> Result<Vec<Relationship>, String> {
    let part = MAIN_RELS;
    let mut reader = Reader::from_str(src);
    let mut relationships = Vec::new();
    loop {
        match reader.read_event().map_err(|e| xml_error(part, e))? {
            Event::Start(tag) | Event::Empty(tag)
                if tag.local_name().as_ref() == "Relationship" =>
            {
                relationships.push(Relationship {
                    id: attribute(&tag, "Id").unwrap_or_default(),
                    kind: attribute(&tag, "Type").unwrap_or_default(),
                    target: attribute(&tag, "Target").unwrap_or_default(),
                    external: attribute(&tag, "TargetMode").as_deref() == Some("External"),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(relationships)
}

type StyleKey = (&'static str, String);

/// The ids of `all` styles of one kind; the name of each one not found, with `label`, goes
/// to `missing`.
fn style_ids<T: Copy + Eq + std::hash::Hash>(
    styles: &HashMap<StyleKey, String>,
    kind: &'static str,
    all: &[T],
    name: fn(T) -> &'static str,
    label: &str,
    missing: &mut Vec<String>,
) -> HashMap<T, String> {
    let mut ids = HashMap::new();
    for &style in all {
        match styles.get(&(kind, name(style).to_lowercase())) {
            Some(id) => {
                ids.insert(style, id.clone());
            }
            None => missing.push(format!("«{}»{label}", name(style))),
        }
    }
    ids
}

/// Style ids by (type, lower-case name).
fn parse_styles(src: &str) -> Result<HashMap<StyleKey, String>, String> {
    let mut reader = Reader::from_str(src);
    let mut ids = HashMap::new();
    let mut current: Option<(&'static str, String)> = None;
    loop {
        match reader
            .read_event()
            .map_err(|e| xml_error("styles.xml", e))?
        {
            Event::Start(tag) if tag.name().as_ref() == "w:style" => {
                let kind = match attribute(&tag, "w:type").as_deref() {
                    Some("paragraph") => "paragraph",
                    Some("character") => "character",
                    Some("table") => "table",
                    _ => "other",
                };
                current = attribute(&tag, "w:styleId").map(|id| (kind, id));
            }
            Event::Empty(tag) if tag.name().as_ref() == "w:name" => {
                if let (Some((kind, id)), Some(name)) = (&current, attribute(&tag, "w:val")) {
                    // Names compare without case, as Word's do: LibreOffice saves Word's
                    // "footnote reference" as "Footnote Reference".
                    ids.entry((*kind, name.to_lowercase()))
                        .or_insert_with(|| id.clone());
                }
            }
            Event::End(tag) if tag.name().as_ref() == "w:style" => current = None,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(ids)
}

/// The `w:document` attributes and the last body-level `w:sectPr`.
fn parse_document(src: &str) -> Result<(String, Section), String> {
    let part = MAIN_PART;
    let mut reader = Reader::from_str(src);
    let mut attributes = None;
    let mut depth = 0usize;
    let mut section: Option<Section> = None;
    // Inside a body-level sectPr: its depth and the start of the child being read.
    let mut in_section: Option<Section> = None;
    let mut child_start: Option<usize> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| xml_error(part, e))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(tag) => {
                depth += 1;
                if tag.name().as_ref() == "w:document" {
                    attributes = Some(raw_attributes(&tag));
                } else if depth == 3 && tag.name().as_ref() == "w:sectPr" {
                    in_section = Some(Section {
                        attributes: raw_attributes(&tag),
                        children: Vec::new(),
                        margins: (0, 0),
                    });
                } else if depth == 4 && in_section.is_some() {
                    child_start = Some(before);
                }
            }
            Event::Empty(tag) => {
                if depth == 2 && tag.name().as_ref() == "w:sectPr" {
                    section = Some(Section {
                        attributes: raw_attributes(&tag),
                        children: Vec::new(),
                        margins: (0, 0),
                    });
                } else if depth == 3 {
                    if let Some(s) = in_section.as_mut() {
                        if tag.name().as_ref() == "w:pgMar" {
                            let twips = |names: [&str; 2]| {
                                names
                                    .iter()
                                    .find_map(|n| attribute(&tag, n))
                                    .and_then(|v| v.parse::<i64>().ok())
                                    .map_or(0, |v| v.clamp(0, 31_680) as u32)
                            };
                            s.margins = (twips(["w:left", "w:start"]), twips(["w:right", "w:end"]));
                        }
                        s.children.push(section_child(&tag, &src[before..after]));
                    }
                }
            }
            Event::End(tag) => {
                if depth == 4 {
                    if let (Some(s), Some(start)) = (in_section.as_mut(), child_start.take()) {
                        s.children
                            .push(SectionChild::Other(src[start..after].to_string()));
                    }
                } else if depth == 3 && tag.name().as_ref() == "w:sectPr" {
                    section = in_section.take();
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let attributes =
        attributes.ok_or_else(|| format!("phần {part} không có phần tử w:document"))?;
    let section = section.ok_or_else(|| {
        "không có thiết lập trang (khổ giấy, lề) ở cuối văn bản; hãy lưu lại tệp bằng Word hoặc LibreOffice"
            .to_string()
    })?;
    if !section
        .children
        .iter()
        .any(|c| matches!(c, SectionChild::Page { .. }))
    {
        return Err("thiết lập trang không có khổ giấy (w:pgSz)".to_string());
    }
    Ok((attributes, section))
}

fn section_child(tag: &BytesStart<'_>, raw: &str) -> SectionChild {
    if tag.name().as_ref() == "w:pgSz" {
        let number = |name: &str| attribute(tag, name).and_then(|v| v.parse::<u32>().ok());
        if let (Some(width), Some(height)) = (number("w:w"), number("w:h")) {
            return SectionChild::Page { width, height };
        }
    }
    SectionChild::Other(raw.to_string())
}

/// Root attributes, the separator notes and the largest note id.
fn parse_footnotes(src: &str) -> Result<(String, String, i64), String> {
    let part = "footnotes.xml";
    let mut reader = Reader::from_str(src);
    let mut attributes = String::new();
    let mut separators = String::new();
    let mut max_id = 0i64;
    let mut depth = 0usize;
    let mut note: Option<(usize, bool)> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| xml_error(part, e))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(tag) => {
                depth += 1;
                if depth == 1 {
                    attributes = raw_attributes(&tag);
                } else if depth == 2 && tag.name().as_ref() == "w:footnote" {
                    let id = attribute(&tag, "w:id")
                        .and_then(|v| v.parse::<i64>().ok())
                        .unwrap_or(0);
                    max_id = max_id.max(id);
                    note = Some((before, attribute(&tag, "w:type").is_some()));
                }
            }
            Event::End(_) => {
                if depth == 2 {
                    if let Some((start, true)) = note.take() {
                        separators.push_str(&src[start..after]);
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if separators.is_empty() {
        separators = DEFAULT_SEPARATORS.to_string();
    }
    Ok((attributes, separators, max_id))
}

type ContentTypes = (Vec<(String, String)>, Vec<(String, String)>);

fn parse_content_types(src: &str) -> Result<ContentTypes, String> {
    let mut reader = Reader::from_str(src);
    let mut defaults = Vec::new();
    let mut overrides = Vec::new();
    loop {
        match reader
            .read_event()
            .map_err(|e| xml_error(CONTENT_TYPES, e))?
        {
            Event::Start(tag) | Event::Empty(tag) => {
                let kind = attribute(&tag, "ContentType").unwrap_or_default();
                match tag.local_name().as_ref() {
                    "Default" => {
                        defaults.push((attribute(&tag, "Extension").unwrap_or_default(), kind))
                    }
                    "Override" => {
                        let name = attribute(&tag, "PartName").unwrap_or_default();
                        overrides.push((name.trim_start_matches('/').to_string(), kind));
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((defaults, overrides))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &[u8] = include_bytes!("../../../templates/mau-van-ban.docx");

    #[test]
    fn the_shipped_reference_defines_every_style_and_a_portrait_a4_page() {
        let reference = Reference::parse(SHIPPED, "mau-van-ban.docx").expect("shipped reference");
        assert_eq!(reference.page_size(), (11_906, 16_838));
        assert_eq!(reference.text_width(Orientation::Portrait), 9_354);
        assert_eq!(reference.text_width(Orientation::Landscape), 14_286);
        assert_eq!(
            reference.paragraph_style_id(ParagraphStyle::Heading(1)),
            "MucCap1"
        );
        assert_eq!(reference.table_style_id(TableStyle::Grid), "BangLuoi");
        assert_eq!(reference.footnotes.first_id, 2, "the sample note is id 1");
        assert!(reference.footnotes.separators.contains("w:separator"));
        assert!(!reference.footnotes.separators.contains("footnoteRef"));
        assert!(reference
            .copied
            .iter()
            .any(|(name, _)| name == "word/styles.xml"));
        assert!(!reference
            .copied
            .iter()
            .any(|(name, _)| name == "word/document.xml" || name.starts_with("docProps/")));
    }

    #[test]
    fn a_file_that_is_not_a_docx_is_refused_in_vietnamese() {
        let error = Reference::parse(b"not a zip", "mau.docx").expect_err("refused");
        assert_eq!(
            error.to_string(),
            "mẫu văn bản mau.docx: không phải tệp Word (.docx) đọc được"
        );
    }
}
