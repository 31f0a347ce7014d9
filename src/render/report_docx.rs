//! Writing the monthly report as a DOCX that follows Nghị định 30/2020: header block,
//! title, body with real footnotes, page numbers from page 2, recipients and signature.

use anyhow::{Context, Result};
use docx_rs::*;

use super::docx_style::*;
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

    docx = docx.add_table(header_block(report));
    docx = docx
        .add_paragraph(
            centred(run(&report.title, BODY_SIZE).bold())
                .line_spacing(LineSpacing::new().before(360).after(0)),
        )
        .add_paragraph(centred(run(&report.summary, BODY_SIZE).bold()))
        .add_paragraph(rule(1_800, TEXT_WIDTH));
    for block in &report.blocks {
        docx = docx.add_paragraph(block_paragraph(block));
    }
    docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().size(BODY_SIZE)));
    docx = docx.add_table(closing_block(report));

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
    }
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

/// The two-column, borderless header: bodies and number on the left, the national motto
/// and the place and date on the right.
fn header_block(report: &ReportDocument) -> Table {
    let left_width = 4_000;
    let right_width = TEXT_WIDTH - left_width;
    let top_left = TableCell::new()
        .width(left_width, WidthType::Dxa)
        .add_paragraph(centred(run(&report.governing_body, SMALL_SIZE)))
        .add_paragraph(centred(run(&report.issuing_body, SMALL_SIZE).bold()))
        .add_paragraph(rule(1_200, left_width));
    let top_right = TableCell::new()
        .width(right_width, WidthType::Dxa)
        .add_paragraph(centred(
            run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", SMALL_SIZE).bold(),
        ))
        .add_paragraph(centred(
            run("Độc lập - Tự do - Hạnh phúc", HEADER_SIZE)
                .bold()
                .underline("single"),
        ));
    let bottom_left = TableCell::new()
        .width(left_width, WidthType::Dxa)
        .add_paragraph(centred(run(&report.number_line, HEADER_SIZE)));
    let bottom_right = TableCell::new()
        .width(right_width, WidthType::Dxa)
        .add_paragraph(centred(run(&report.date_line, HEADER_SIZE).italic()));
    Table::without_borders(vec![
        TableRow::new(vec![top_left, top_right]),
        TableRow::new(vec![bottom_left, bottom_right]),
    ])
    .set_grid(vec![left_width, right_width])
    .width(TEXT_WIDTH, WidthType::Dxa)
    .layout(TableLayoutType::Fixed)
}

/// Recipients on the left, authority, title and signer on the right.
fn closing_block(report: &ReportDocument) -> Table {
    let left_width = 4_300;
    let right_width = TEXT_WIDTH - left_width;
    let mut left = TableCell::new()
        .width(left_width, WidthType::Dxa)
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&report.recipients_heading, SMALL_SIZE).bold().italic())
                .line_spacing(LineSpacing::new().before(0).after(0)),
        );
    for recipient in &report.recipients {
        left = left.add_paragraph(
            Paragraph::new()
                .add_run(run(recipient, RECIPIENT_SIZE))
                .line_spacing(LineSpacing::new().before(0).after(0)),
        );
    }
    let mut right = TableCell::new().width(right_width, WidthType::Dxa);
    if !report.signatory_authority.is_empty() {
        right = right.add_paragraph(centred(run(&report.signatory_authority, BODY_SIZE).bold()));
    }
    right = right.add_paragraph(centred(run(&report.signatory_title, BODY_SIZE).bold()));
    for _ in 0..5 {
        right = right.add_paragraph(centred(run("", BODY_SIZE)));
    }
    right = right.add_paragraph(centred(run(&report.signatory_name, BODY_SIZE).bold()));
    Table::without_borders(vec![TableRow::new(vec![left, right]).cant_split()])
        .set_grid(vec![left_width, right_width])
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}
