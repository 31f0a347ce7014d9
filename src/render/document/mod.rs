//! The one document model every DOCX is built in: paragraphs that name a style, text with
//! footnotes, and tables. The report, the annexes and the progress report are laid out in it;
//! the `docx` exporter writes it, with the look taken from the reference document, so no
//! layout code knows anything about WordprocessingML and no document carries direct formatting.

mod style;

pub use style::{ParagraphStyle, TableStyle, FOOTNOTE_MARK_STYLE};

/// A whole document: one section, portrait or landscape.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Shown as the document's title in the file's properties.
    pub title: String,
    pub orientation: Orientation,
    pub blocks: Vec<Block>,
}

/// Page orientation; the page size and margins come from the reference document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    /// The reference page turned a quarter: wide tables of the annexes.
    Landscape,
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// A paragraph: its style and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub style: ParagraphStyle,
    pub content: Vec<Inline>,
    /// Left and right indent in twips, for what a style cannot know: a rule as wide as a
    /// title, centred in a cell of a given width.
    pub side_indent: Option<u32>,
}

impl Paragraph {
    /// A paragraph of plain text.
    pub fn new(style: ParagraphStyle, text: impl Into<String>) -> Self {
        Self {
            style,
            content: vec![Inline::Text(text.into())],
            side_indent: None,
        }
    }

    /// A paragraph whose text may carry footnotes.
    pub fn with_content(style: ParagraphStyle, content: Vec<Inline>) -> Self {
        Self {
            style,
            content,
            side_indent: None,
        }
    }

    /// A horizontal rule `width` twips long, centred in `available` twips.
    pub fn rule(width: u32, available: u32) -> Self {
        Self {
            style: ParagraphStyle::Rule,
            content: Vec::new(),
            side_indent: Some(available.saturating_sub(width) / 2),
        }
    }
}

/// A piece of a paragraph: text, or a footnote reference with the footnote's text.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Footnote(String),
}

/// A table with fixed column widths; its first `header_rows` rows repeat on every page.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub style: TableStyle,
    /// Column widths in twips.
    pub widths: Vec<u32>,
    pub header_rows: usize,
    pub rows: Vec<Row>,
}

/// A table row; rows never split across pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
}

/// A cell spanning `span` grid columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub paragraphs: Vec<Paragraph>,
    pub span: usize,
    pub merge: VerticalMerge,
    /// Text centred between the cell's top and bottom (data tables), or at the top
    /// (letterhead blocks).
    pub centre_vertically: bool,
}

/// Whether a cell joins the cell above it (a header spanning two header rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerticalMerge {
    None,
    Start,
    Continue,
}

impl Cell {
    /// A data cell: one paragraph per line of `text`, in `style`, centred vertically.
    pub fn lines(text: &str, style: ParagraphStyle) -> Self {
        let mut paragraphs: Vec<Paragraph> = text
            .lines()
            .map(|line| Paragraph::new(style, line.trim_end()))
            .collect();
        if paragraphs.is_empty() {
            paragraphs.push(Paragraph::new(style, ""));
        }
        Self {
            paragraphs,
            span: 1,
            merge: VerticalMerge::None,
            centre_vertically: true,
        }
    }

    /// A letterhead cell: the given paragraphs, from the top.
    pub fn block(paragraphs: Vec<Paragraph>) -> Self {
        Self {
            paragraphs,
            span: 1,
            merge: VerticalMerge::None,
            centre_vertically: false,
        }
    }

    /// The same cell spanning `span` columns.
    pub fn spanning(mut self, span: usize) -> Self {
        self.span = span.max(1);
        self
    }

    /// The same cell merged vertically.
    pub fn merged(mut self, merge: VerticalMerge) -> Self {
        self.merge = merge;
        self
    }
}

impl Row {
    /// A row of cells.
    pub fn new(cells: Vec<Cell>) -> Self {
        Self { cells }
    }
}
