//! The monthly report laid out as a document: letterhead, `BÁO CÁO` and its subject, the body
//! with real footnotes, tables whose header row repeats on every page, recipients and
//! signature. Each paragraph names its role; the look is the reference document's.

use super::blocks::{Block, ReportDocument};
use crate::render::document::{
    self, Cell, Document, Orientation, Paragraph, ParagraphStyle, Row, Table, TableStyle,
};
use crate::render::letterhead::{closing_block, header_block};

/// The report as a document `width` twips wide between the margins.
pub fn report_layout(report: &ReportDocument, width: u32) -> Document {
    let mut blocks = vec![
        header_block(&report.header, width),
        paragraph(ParagraphStyle::Title, &report.title),
        paragraph(ParagraphStyle::Subject, &report.summary),
        document::Block::Paragraph(Paragraph::rule(1_800, width)),
    ];
    for block in &report.blocks {
        match block {
            Block::Heading { level, text } => blocks.push(paragraph(
                ParagraphStyle::Heading((*level).clamp(1, 4)),
                text,
            )),
            Block::Paragraph(inlines) => blocks.push(document::Block::Paragraph(
                Paragraph::with_content(ParagraphStyle::Body, inlines.clone()),
            )),
            Block::Bullet(inlines) => blocks.push(document::Block::Paragraph(
                Paragraph::with_content(ParagraphStyle::Bullet, inlines.clone()),
            )),
            Block::Table {
                widths,
                header,
                rows,
            } => {
                blocks.push(data_table(widths, header, rows));
                blocks.push(paragraph(ParagraphStyle::Spacer, ""));
            }
        }
    }
    blocks.push(paragraph(ParagraphStyle::Spacer, ""));
    blocks.push(closing_block(&report.closing, width));
    Document {
        title: format!("{} {}", report.title, report.summary),
        orientation: Orientation::Portrait,
        blocks,
    }
}

fn paragraph(style: ParagraphStyle, text: &str) -> document::Block {
    document::Block::Paragraph(Paragraph::new(style, text))
}

/// A gridded table with its header row repeated on every page; the first column (numbers)
/// is centred, the others left-aligned.
fn data_table(widths: &[usize], header: &[String], rows: &[Vec<String>]) -> document::Block {
    let mut table_rows = vec![Row::new(
        header
            .iter()
            .map(|title| Cell::lines(title, ParagraphStyle::TableHeader))
            .collect(),
    )];
    for row in rows {
        table_rows.push(Row::new(
            row.iter()
                .enumerate()
                .map(|(col, text)| {
                    let style = if col == 0 {
                        ParagraphStyle::TableCentred
                    } else {
                        ParagraphStyle::TableText
                    };
                    Cell::lines(text, style)
                })
                .collect(),
        ));
    }
    document::Block::Table(Table {
        style: TableStyle::Grid,
        widths: widths.iter().map(|w| *w as u32).collect(),
        header_rows: 1,
        rows: table_rows,
    })
}
