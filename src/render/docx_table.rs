//! Table cells as every table of the documents draws them (12 pt, tight spacing, one
//! paragraph per line of text), shared so all tables look alike.

use docx_rs::*;

use super::docx_style::run;

/// Table text: 12 pt.
pub const TABLE_SIZE: usize = 24;

/// One line of table text.
pub fn table_paragraph(text: &str, align: AlignmentType, bold: bool) -> Paragraph {
    let mut r = run(text, TABLE_SIZE);
    if bold {
        r = r.bold();
    }
    Paragraph::new().add_run(r).align(align).line_spacing(
        LineSpacing::new()
            .before(20)
            .after(20)
            .line(240)
            .line_rule(LineSpacingType::Auto),
    )
}

/// A cell of `width` twips; each line of `text` becomes its own paragraph.
pub fn cell(text: &str, width: usize, align: AlignmentType, bold: bool) -> TableCell {
    let mut cell = TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center);
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return cell.add_paragraph(table_paragraph("", align, bold));
    }
    for line in lines {
        cell = cell.add_paragraph(table_paragraph(line, align, bold));
    }
    cell
}
