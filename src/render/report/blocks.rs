//! The monthly report as structured text, the shape the builder produces and the layout
//! reads: headings, paragraphs and bullets whose runs may carry footnotes, and tables. A file of
//! its own so that the builder and the targets section share it without importing each other.

pub use crate::render::document::Inline;
use crate::render::letterhead::{ClosingLines, HeaderLines};

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 `I.`, 2 `1.`, 3 `2.1.`, 4 `a.`.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(Vec<Inline>),
    /// A `- ` item.
    Bullet(Vec<Inline>),
    /// A bordered table whose header row repeats on every page; widths in twips.
    Table {
        widths: Vec<usize>,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

impl Block {
    /// A paragraph of plain text (no footnotes).
    pub fn paragraph(text: String) -> Self {
        Block::Paragraph(vec![Inline::Text(text)])
    }

    /// A `- ` item of plain text.
    pub fn bullet(text: String) -> Self {
        Block::Bullet(vec![Inline::Text(text)])
    }
}

/// The whole report, ready for a writer.
#[derive(Debug, Clone)]
pub struct ReportDocument {
    pub header: HeaderLines,
    pub title: String,
    pub summary: String,
    pub blocks: Vec<Block>,
    pub closing: ClosingLines,
}

impl ReportDocument {
    /// All body text with footnotes inline in brackets, for tests and previews.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            let (prefix, inlines) = match block {
                Block::Heading { text, .. } => {
                    out.push_str(text);
                    out.push('\n');
                    continue;
                }
                Block::Paragraph(inlines) => ("", inlines),
                Block::Bullet(inlines) => ("- ", inlines),
                Block::Table { header, rows, .. } => {
                    for row in std::iter::once(header).chain(rows) {
                        out.push_str(&row.join(" | "));
                        out.push('\n');
                    }
                    continue;
                }
            };
            out.push_str(prefix);
            for inline in inlines {
                match inline {
                    Inline::Text(t) => out.push_str(t),
                    Inline::Footnote(f) => {
                        out.push_str(" [");
                        out.push_str(f);
                        out.push(']');
                    }
                }
            }
            out.push('\n');
        }
        out
    }
}
