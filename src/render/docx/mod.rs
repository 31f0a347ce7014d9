//! The DOCX exporter: writes a [`Document`] as a WordprocessingML package, one part per small
//! module, each part complete and in schema order when it is written (nothing is repaired
//! afterwards). The look (styles, numbering, page set-up, headers, footnote separators,
//! settings) comes from the [`Reference`] document, so an office changes it without a rebuild.
//!
//! docx-rs is not used to serialise: its writers put property children out of schema order
//! (`w:rPr` first in every `w:pPr`, `w:rStyle` last in `w:rPr`) and draw paragraph and footnote
//! ids from process-wide counters, which is what the old repair pass had to undo.

mod body;
mod footnotes;
mod package;
mod reference;
mod xml;

pub use reference::{Reference, ReferenceError};

use anyhow::{Context, Result};

use crate::render::document::Document;

/// Writes `document` as DOCX bytes, styled by `reference`. The same input always gives the
/// same bytes.
pub fn write_docx(document: &Document, reference: &Reference) -> Result<Vec<u8>> {
    let mut notes = body::Notes {
        next_id: reference.footnotes.first_id,
        texts: Vec::new(),
    };
    let body = body::write_body(document, reference, &mut notes);
    let footnotes = footnotes::write_footnotes(reference, &notes.texts);
    let document_rels = package::document_relationships(reference);
    let core = package::core_properties(&document.title);
    let app = package::app_properties();
    let package_rels = package::package_relationships();

    let mut parts: Vec<(&str, &[u8])> = vec![
        ("_rels/.rels", package_rels.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
        ("docProps/app.xml", app.as_bytes()),
        ("word/document.xml", body.as_bytes()),
        ("word/_rels/document.xml.rels", document_rels.as_bytes()),
        (reference.footnotes.part.as_str(), footnotes.as_bytes()),
    ];
    for (name, data) in &reference.copied {
        parts.push((name.as_str(), data.as_slice()));
    }
    let names: Vec<&str> = parts.iter().map(|(name, _)| *name).collect();
    let content_types = package::content_types(reference, &names);
    parts.insert(0, ("[Content_Types].xml", content_types.as_bytes()));
    package::zip_parts(&parts).context("đóng gói tệp DOCX")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::document::{
        Block, Cell, Inline, Orientation, Paragraph, ParagraphStyle, Row, Table, TableStyle,
    };

    fn reference() -> Reference {
        Reference::parse(
            include_bytes!("../../../templates/mau-van-ban.docx"),
            "mau-van-ban.docx",
        )
        .expect("shipped reference")
    }

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut file = archive.by_name(name).expect(name);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).expect("utf-8");
        text
    }

    fn sample(orientation: Orientation) -> Document {
        Document {
            title: "Thử <1>".into(),
            orientation,
            blocks: vec![
                Block::Paragraph(Paragraph::new(ParagraphStyle::Heading(1), "I. MỤC")),
                Block::Paragraph(Paragraph::with_content(
                    ParagraphStyle::Body,
                    vec![
                        Inline::Text("Có chú thích".into()),
                        Inline::Footnote("Chú thích thứ nhất".into()),
                        Inline::Text(" và ".into()),
                        Inline::Footnote("thứ hai".into()),
                    ],
                )),
                Block::Table(Table {
                    style: TableStyle::Grid,
                    widths: vec![1000, 2000],
                    header_rows: 1,
                    rows: vec![
                        Row::new(vec![
                            Cell::lines("TT", ParagraphStyle::TableHeader),
                            Cell::lines("Nội dung", ParagraphStyle::TableHeader),
                        ]),
                        Row::new(vec![
                            Cell::lines("Cả hai cột", ParagraphStyle::TableText).spanning(2)
                        ]),
                    ],
                }),
            ],
        }
    }

    #[test]
    fn notes_are_numbered_after_the_reference_separators_in_body_order() {
        let bytes = write_docx(&sample(Orientation::Portrait), &reference()).expect("written");
        let body = part(&bytes, "word/document.xml");
        let notes = part(&bytes, "word/footnotes.xml");
        assert!(
            body.find(r#"w:footnoteReference w:id="2""#)
                < body.find(r#"w:footnoteReference w:id="3""#)
        );
        assert!(notes.contains(r#"<w:footnote w:id="2"><w:p><w:pPr><w:pStyle w:val="ChuThich"/>"#));
        assert!(notes.contains("Chú thích thứ nhất") && notes.contains(r#"w:type="separator""#));
        assert!(
            !notes.contains("Kiểu «Chú thích»"),
            "the reference's sample note is left out"
        );
    }

    #[test]
    fn the_body_uses_style_ids_and_the_table_marks_its_header_row() {
        let bytes = write_docx(&sample(Orientation::Portrait), &reference()).expect("written");
        let body = part(&bytes, "word/document.xml");
        assert!(body.contains(r#"<w:pStyle w:val="MucCap1"/>"#));
        assert!(body.contains(r#"<w:tblStyle w:val="BangLuoi"/>"#));
        assert_eq!(body.matches("<w:tblHeader/>").count(), 1);
        assert!(body.contains(r#"<w:tcW w:w="3000" w:type="dxa"/><w:gridSpan w:val="2"/>"#));
        assert!(!body.contains("<w:rPr><w:b"), "no direct formatting");
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains("<dc:title>Thử &lt;1&gt;</dc:title>"));
    }

    #[test]
    fn a_landscape_document_turns_the_reference_page() {
        let bytes = write_docx(&sample(Orientation::Landscape), &reference()).expect("written");
        let body = part(&bytes, "word/document.xml");
        assert!(body.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#));
        assert!(body.contains(r#"<w:titlePg/>"#));
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let a = write_docx(&sample(Orientation::Portrait), &reference()).expect("written");
        let b = write_docx(&sample(Orientation::Portrait), &reference()).expect("written");
        assert_eq!(a, b);
    }
}
