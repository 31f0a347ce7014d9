//! The plan's annex laid out as a landscape document (DOCSTYLE.md, "Tables"): title, the
//! basis line, `(Kèm theo Kế hoạch số …)`, then the assignment table with its header rows
//! repeated on every page, a row numbering the columns, section rows spanning the table, and
//! rows that never split across pages.

use super::columns::{annex_columns, column_weights, column_widths, AnnexColumn};
use crate::plan::{Plan, PlanTask};
use crate::render::document::{
    Block, Cell, Document, Orientation, Paragraph, ParagraphStyle, Row, Table, TableStyle,
    VerticalMerge,
};

/// The annex of a plan as a landscape document `width` twips wide between the margins.
pub fn annex_layout(plan: &Plan, width: u32) -> Document {
    let mut blocks = vec![Block::Paragraph(Paragraph::new(
        ParagraphStyle::AnnexTitle,
        plan.annex_title(),
    ))];
    if let Some(basis) = plan.basis_line() {
        blocks.push(Block::Paragraph(Paragraph::new(
            ParagraphStyle::AnnexBasis,
            basis,
        )));
    }
    blocks.push(Block::Paragraph(Paragraph::new(
        ParagraphStyle::AnnexAttachment,
        plan.attachment_line(),
    )));
    blocks.push(Block::Paragraph(Paragraph::rule(2_400, width)));
    blocks.push(Block::Table(annex_table(plan, width)));
    Document {
        title: plan.annex_title(),
        orientation: Orientation::Landscape,
        blocks,
    }
}

/// The assignment table.
fn annex_table(plan: &Plan, width: u32) -> Table {
    let columns = annex_columns(plan);
    let weights = column_weights(plan, &columns);
    let widths = column_widths(&columns, &weights, width as usize);
    let months = columns.contains(&AnnexColumn::Start);
    let mut rows = header_rows(&columns, months);
    let header_rows = rows.len();

    let mut current_section = None;
    for task in &plan.tasks {
        if task.section != current_section {
            current_section = task.section;
            if let Some(section) = task.section.and_then(|i| plan.sections.get(i)) {
                // Kept with the task below it by its style, never alone at the foot of a page.
                rows.push(Row::new(vec![Cell::lines(
                    &section.heading,
                    ParagraphStyle::TableSection,
                )
                .spanning(columns.len())]));
            }
        }
        rows.push(task_row(task, &columns));
    }
    Table {
        style: TableStyle::Grid,
        widths: widths.iter().map(|w| *w as u32).collect(),
        header_rows,
        rows,
    }
}

/// The header (one row, or two with `Thời gian thực hiện` over `Bắt đầu | Hoàn thành`) and
/// the row numbering the columns.
fn header_rows(columns: &[AnnexColumn], months: bool) -> Vec<Row> {
    let header = |text: &str| Cell::lines(text, ParagraphStyle::TableHeader);
    let mut rows = Vec::new();
    if months {
        let mut top = Vec::new();
        let mut bottom = Vec::new();
        let mut i = 0;
        while i < columns.len() {
            if columns[i] == AnnexColumn::Start && columns.get(i + 1) == Some(&AnnexColumn::End) {
                top.push(header("Thời gian thực hiện").spanning(2));
                bottom.push(header(AnnexColumn::Start.label()));
                bottom.push(header(AnnexColumn::End.label()));
                i += 2;
                continue;
            }
            top.push(header(columns[i].label()).merged(VerticalMerge::Start));
            bottom.push(header("").merged(VerticalMerge::Continue));
            i += 1;
        }
        rows.push(Row::new(top));
        rows.push(Row::new(bottom));
    } else {
        rows.push(Row::new(
            columns.iter().map(|c| header(c.label())).collect(),
        ));
    }
    rows.push(Row::new(
        (1..=columns.len())
            .map(|n| Cell::lines(&n.to_string(), ParagraphStyle::TableColumnNumber))
            .collect(),
    ));
    rows
}

/// One task: its cells in column order; a task with only free-text time under `Bắt đầu |
/// Hoàn thành` gets one cell spanning both.
fn task_row(task: &PlanTask, columns: &[AnnexColumn]) -> Row {
    let mut cells = Vec::new();
    let mut i = 0;
    while i < columns.len() {
        let column = columns[i];
        let no_months = task.start_text.is_empty() && task.end_text.is_empty();
        if column == AnnexColumn::Start
            && columns.get(i + 1) == Some(&AnnexColumn::End)
            && no_months
            && !task.time_text.is_empty()
        {
            cells.push(Cell::lines(&task.time_text, ParagraphStyle::TableCentred).spanning(2));
            i += 2;
            continue;
        }
        // Left, not justified: justified text in narrow cells spaces out badly.
        let style = if column.centred() {
            ParagraphStyle::TableCentred
        } else {
            ParagraphStyle::TableText
        };
        cells.push(Cell::lines(&column.text(task), style));
        i += 1;
    }
    Row::new(cells)
}
