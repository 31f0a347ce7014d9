//! `word/document.xml`: the body, written element by element in the order the schema
//! prescribes, with style references instead of direct formatting, and footnote ids from the
//! document's own counter, so there is nothing to reorder or renumber afterwards.

use super::reference::{Reference, SectionChild};
use super::xml::{push_escaped, DECLARATION};
use crate::render::document::{
    Block, Cell, Document, Inline, Orientation, Paragraph, Row, Table, VerticalMerge,
};

/// The footnotes met in the body, in order, with the ids they were given.
pub struct Notes {
    pub next_id: i64,
    pub texts: Vec<(i64, String)>,
}

/// Writes the main document part; the footnote texts are collected into `notes`.
pub fn write_body(document: &Document, reference: &Reference, notes: &mut Notes) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(DECLARATION);
    out.push_str("<w:document");
    out.push_str(&reference.document_attributes);
    out.push_str("><w:body>");
    let mut writer = BodyWriter {
        out,
        reference,
        notes,
    };
    for block in &document.blocks {
        match block {
            Block::Paragraph(paragraph) => writer.paragraph(paragraph),
            Block::Table(table) => writer.table(table),
        }
    }
    writer.section(document.orientation);
    writer.out.push_str("</w:body></w:document>");
    writer.out
}

struct BodyWriter<'a> {
    out: String,
    reference: &'a Reference,
    notes: &'a mut Notes,
}

impl BodyWriter<'_> {
    fn paragraph(&mut self, paragraph: &Paragraph) {
        self.out.push_str("<w:p><w:pPr><w:pStyle w:val=\"");
        push_escaped(
            &mut self.out,
            self.reference.paragraph_style_id(paragraph.style),
        );
        self.out.push_str("\"/>");
        if let Some(side) = paragraph.side_indent {
            self.out
                .push_str(&format!("<w:ind w:left=\"{side}\" w:right=\"{side}\"/>"));
        }
        self.out.push_str("</w:pPr>");
        for inline in &paragraph.content {
            match inline {
                Inline::Text(text) => text_run(&mut self.out, text),
                Inline::Footnote(text) => {
                    let id = self.notes.next_id;
                    self.notes.next_id += 1;
                    self.notes.texts.push((id, text.clone()));
                    self.out.push_str("<w:r><w:rPr><w:rStyle w:val=\"");
                    push_escaped(&mut self.out, self.reference.footnote_mark_id());
                    self.out.push_str(&format!(
                        "\"/></w:rPr><w:footnoteReference w:id=\"{id}\"/></w:r>"
                    ));
                }
            }
        }
        self.out.push_str("</w:p>");
    }

    fn table(&mut self, table: &Table) {
        let total: u32 = table.widths.iter().sum();
        self.out.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"");
        push_escaped(&mut self.out, self.reference.table_style_id(table.style));
        self.out.push_str(&format!(
            "\"/><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
        ));
        for width in &table.widths {
            self.out.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
        }
        self.out.push_str("</w:tblGrid>");
        for (index, row) in table.rows.iter().enumerate() {
            self.row(row, &table.widths, index < table.header_rows);
        }
        self.out.push_str("</w:tbl>");
    }

    fn row(&mut self, row: &Row, widths: &[u32], header: bool) {
        self.out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if header {
            self.out.push_str("<w:tblHeader/>");
        }
        self.out.push_str("</w:trPr>");
        let mut column = 0;
        for cell in &row.cells {
            let width: u32 = widths.iter().skip(column).take(cell.span).sum();
            column += cell.span;
            self.cell(cell, width);
        }
        self.out.push_str("</w:tr>");
    }

    fn cell(&mut self, cell: &Cell, width: u32) {
        self.out.push_str(&format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>"
        ));
        if cell.span > 1 {
            self.out
                .push_str(&format!("<w:gridSpan w:val=\"{}\"/>", cell.span));
        }
        match cell.merge {
            VerticalMerge::None => {}
            VerticalMerge::Start => self.out.push_str("<w:vMerge w:val=\"restart\"/>"),
            VerticalMerge::Continue => self.out.push_str("<w:vMerge/>"),
        }
        if cell.centre_vertically {
            self.out.push_str("<w:vAlign w:val=\"center\"/>");
        }
        self.out.push_str("</w:tcPr>");
        for paragraph in &cell.paragraphs {
            self.paragraph(paragraph);
        }
        self.out.push_str("</w:tc>");
    }

    /// The reference's section properties; a landscape section turns the page.
    fn section(&mut self, orientation: Orientation) {
        let section = &self.reference.section;
        self.out.push_str("<w:sectPr");
        self.out.push_str(&section.attributes);
        self.out.push('>');
        for child in &section.children {
            match child {
                SectionChild::Other(raw) => self.out.push_str(raw),
                SectionChild::Page { width, height } => {
                    let (short, long) = ((*width).min(*height), (*width).max(*height));
                    match orientation {
                        Orientation::Portrait => self
                            .out
                            .push_str(&format!("<w:pgSz w:w=\"{short}\" w:h=\"{long}\"/>")),
                        Orientation::Landscape => self.out.push_str(&format!(
                            "<w:pgSz w:w=\"{long}\" w:h=\"{short}\" w:orient=\"landscape\"/>"
                        )),
                    }
                }
            }
        }
        self.out.push_str("</w:sectPr>");
    }
}

/// A run of text; line breaks inside become `w:br`.
fn text_run(out: &mut String, text: &str) {
    out.push_str("<w:r>");
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str("<w:t xml:space=\"preserve\">");
        push_escaped(out, line);
        out.push_str("</w:t>");
    }
    out.push_str("</w:r>");
}
