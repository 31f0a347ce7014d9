//! The page and type settings of Nghị định 30/2020/NĐ-CP (DOCSTYLE.md), in one place, as
//! docx-rs building blocks shared by every document baocao writes.

use docx_rs::*;

/// The typeface for every script, so Vietnamese letters never fall back to another face.
pub const FONT: &str = "Times New Roman";
/// A4 width and height in twentieths of a point.
pub const A4_WIDTH: u32 = 11_906;
pub const A4_HEIGHT: u32 = 16_838;
/// Margins: top and bottom 20 mm, left 30 mm, right 15 mm.
pub const MARGIN_TOP: i32 = 1_134;
pub const MARGIN_BOTTOM: i32 = 1_134;
pub const MARGIN_LEFT: i32 = 1_701;
pub const MARGIN_RIGHT: i32 = 851;
/// Text width of a portrait page.
pub const TEXT_WIDTH: usize = (A4_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;
/// First-line indent of body paragraphs, 1.25 cm.
pub const FIRST_LINE_INDENT: i32 = 709;
/// Half-point sizes.
pub const BODY_SIZE: usize = 28;
pub const HEADER_SIZE: usize = 26;
pub const SMALL_SIZE: usize = 24;
pub const RECIPIENT_SIZE: usize = 22;
pub const FOOTNOTE_SIZE: usize = 22;
/// 6 pt after each body paragraph.
pub const PARAGRAPH_AFTER: u32 = 120;

/// Times New Roman for ascii, hAnsi, eastAsia and cs.
pub fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT)
}

/// A run of text in the document font at a given size.
pub fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts()).size(size)
}

/// A centred paragraph with no space around it, for header and signature blocks.
pub fn centred(run: Run) -> Paragraph {
    Paragraph::new()
        .add_run(run)
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new()
                .before(0)
                .after(0)
                .line(240)
                .line_rule(LineSpacingType::Auto),
        )
}

/// An empty, tiny paragraph drawing a solid rule of `width` twips, centred in `available`.
pub fn rule(width: usize, available: usize) -> Paragraph {
    let side = (available.saturating_sub(width) / 2) as i32;
    let mut paragraph = Paragraph::new()
        .add_run(Run::new().size(4))
        .indent(Some(side), None, Some(side), None)
        .line_spacing(
            LineSpacing::new()
                .before(0)
                .after(60)
                .line(80)
                .line_rule(LineSpacingType::Exact),
        );
    // `ParagraphBorders::default()` holds all four sides; start from none and add the bottom.
    paragraph.property = paragraph.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(6)
                .space(1),
        ),
    );
    paragraph
}

/// Body paragraph layout: justified, first line indented, 6 pt after, 1.15 line spacing.
pub fn body_paragraph() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE_INDENT)),
            None,
            None,
        )
        .line_spacing(
            LineSpacing::new()
                .before(0)
                .after(PARAGRAPH_AFTER)
                .line(276)
                .line_rule(LineSpacingType::Auto),
        )
}

/// The page-number header (centred PAGE field, 13 pt); the first page shows none.
pub fn page_number_header() -> Header {
    Header::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_page_num(PageNum::new())
            .size(HEADER_SIZE)
            .fonts(fonts()),
    )
}

/// A4 portrait with the standard margins.
pub fn portrait_margins() -> PageMargin {
    PageMargin::new()
        .top(MARGIN_TOP)
        .bottom(MARGIN_BOTTOM)
        .left(MARGIN_LEFT)
        .right(MARGIN_RIGHT)
        .header(567)
        .footer(567)
}
