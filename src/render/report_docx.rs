//! Writing the monthly report as a DOCX that follows Nghị định 30/2020: header block,
//! title, body with real footnotes, page numbers from page 2, recipients and signature.

use anyhow::{Context, Result};
use docx_rs::*;

use super::docx_blocks::{closing_block, header_block};
use super::docx_package::header_rows_style;
use super::docx_style::*;
use super::docx_table::cell;
use super::report_model::{Block, Inline, ReportDocument};

/// Renders the report to DOCX bytes (complete package, deterministic).
pub fn write_report_docx(report: &ReportDocument) -> Result<Vec<u8>> {
    let mut docx = Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(portrait_margins())
        .default_fonts(fonts())
        .default_size(BODY_SIZE)
        .header(page_number_header())
        .first_header(Header::new())
        .title_pg()
        .created_at("2000-01-01T00:00:00Z")
        .updated_at("2000-01-01T00:00:00Z");

    docx = docx.add_table(header_block(&report.header));
    docx = docx
        .add_paragraph(
            centred(run(&report.title, BODY_SIZE).bold())
                .line_spacing(LineSpacing::new().before(360).after(0)),
        )
        .add_paragraph(centred(run(&report.summary, BODY_SIZE).bold()))
        .add_paragraph(rule(1_800, TEXT_WIDTH));
    for block in &report.blocks {
        docx = match block {
            Block::Table {
                widths,
                header,
                rows,
            } => docx
                .add_table(block_table(widths, header, rows))
                .add_paragraph(Paragraph::new().add_run(Run::new().size(SMALL_SIZE))),
            other => docx.add_paragraph(block_paragraph(other)),
        };
    }
    docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().size(BODY_SIZE)));
    docx = docx.add_table(closing_block(&report.closing));

    let mut raw = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut raw).context("đóng gói tệp DOCX")?;
    super::docx_package::finish_docx(raw.get_ref())
}

fn block_paragraph(block: &Block) -> Paragraph {
    match block {
        Block::Heading { level, text } => {
            let mut r = run(text, BODY_SIZE).bold();
            if *level >= 4 {
                r = r.italic();
            }
            body_paragraph().add_run(r).keep_next(true)
        }
        Block::Paragraph(inlines) => add_inlines(body_paragraph(), inlines, ""),
        Block::Bullet(inlines) => add_inlines(body_paragraph(), inlines, "- "),
        Block::Table { .. } => Paragraph::new(),
    }
}

/// A table with its header row repeated on every page and rows that never split; the first
/// column (numbers) is centred, the others left-aligned.
fn block_table(widths: &[usize], header: &[String], rows: &[Vec<String>]) -> Table {
    let align = |col: usize| {
        if col == 0 {
            AlignmentType::Center
        } else {
            AlignmentType::Left
        }
    };
    let mut table_rows = vec![TableRow::new(
        header
            .iter()
            .zip(widths)
            .map(|(title, width)| cell(title, *width, AlignmentType::Center, true))
            .collect(),
    )
    .cant_split()];
    for row in rows {
        table_rows.push(
            TableRow::new(
                row.iter()
                    .zip(widths)
                    .enumerate()
                    .map(|(col, (text, width))| cell(text, *width, align(col), false))
                    .collect(),
            )
            .cant_split(),
        );
    }
    Table::new(table_rows)
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(40, 85, 40, 85))
        .style(header_rows_style(1))
}

fn add_inlines(mut paragraph: Paragraph, inlines: &[Inline], prefix: &str) -> Paragraph {
    if !prefix.is_empty() {
        paragraph = paragraph.add_run(run(prefix, BODY_SIZE));
    }
    for inline in inlines {
        paragraph = match inline {
            Inline::Text(text) => paragraph.add_run(run(text, BODY_SIZE)),
            Inline::Footnote(text) => paragraph.add_run(
                Run::new()
                    .fonts(fonts())
                    .size(BODY_SIZE)
                    .add_footnote_reference(
                        Footnote::new().add_content(
                            Paragraph::new()
                                .align(AlignmentType::Both)
                                .add_run(run(text, FOOTNOTE_SIZE)),
                        ),
                    ),
            ),
        };
    }
    paragraph
}
