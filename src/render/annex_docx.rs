//! The plan's annex as a landscape DOCX (DOCSTYLE.md, "Tables"): title, `(Kèm theo Kế
//! hoạch số …)` in italics, then the assignment table with its header rows repeated on every
//! page, a row numbering the columns, section rows spanning the table in bold, and rows that
//! never split across pages.

use anyhow::{Context, Result};
use docx_rs::*;

use super::docx_package::{finish_docx, header_rows_style};
use super::docx_style::*;
use crate::plan::model::TimeColumns;
use crate::plan::{Plan, PlanTask};

/// Text width of a landscape A4 page with the decree's margins (twips).
pub const LANDSCAPE_TEXT_WIDTH: usize = (A4_HEIGHT as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;
/// Table text: 12 pt.
const TABLE_SIZE: usize = 24;

/// A column of the assignment table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnexColumn {
    Number,
    Task,
    Lead,
    Partners,
    Result,
    Time,
    Start,
    End,
    Note,
}

impl AnnexColumn {
    /// The header as the table prints it.
    pub fn label(self) -> &'static str {
        match self {
            AnnexColumn::Number => "TT",
            AnnexColumn::Task => "Nhiệm vụ",
            AnnexColumn::Lead => "Đơn vị chủ trì",
            AnnexColumn::Partners => "Đơn vị phối hợp",
            AnnexColumn::Result => "Kết quả / Sản phẩm",
            AnnexColumn::Time => "Thời gian thực hiện",
            AnnexColumn::Start => "Bắt đầu",
            AnnexColumn::End => "Hoàn thành",
            AnnexColumn::Note => "Ghi chú",
        }
    }

    /// Relative width, so that the task and its result get the room they need.
    pub fn weight(self) -> usize {
        match self {
            AnnexColumn::Number => 4,
            AnnexColumn::Task => 25,
            AnnexColumn::Lead => 18,
            AnnexColumn::Partners => 19,
            AnnexColumn::Result => 20,
            AnnexColumn::Time => 10,
            AnnexColumn::Start | AnnexColumn::End => 8,
            AnnexColumn::Note => 10,
        }
    }

    /// Whether the column's text is centred (numbers and months) rather than left-aligned.
    pub fn centred(self) -> bool {
        matches!(
            self,
            AnnexColumn::Number | AnnexColumn::Time | AnnexColumn::Start | AnnexColumn::End
        )
    }

    /// A task's text in this column; line breaks separate lines.
    pub fn text(self, task: &PlanTask) -> String {
        match self {
            AnnexColumn::Number => task.number.to_string(),
            AnnexColumn::Task => task.content.clone(),
            AnnexColumn::Lead => lead_lines(task).join("\n"),
            AnnexColumn::Partners => task.partners_text.clone(),
            AnnexColumn::Result => task.result.clone(),
            AnnexColumn::Time => task.time_text.clone(),
            AnnexColumn::Start => task.start_text.clone(),
            AnnexColumn::End => task.end_text.clone(),
            AnnexColumn::Note => task.note.clone(),
        }
    }
}

/// The columns the plan needs: results, time and notes only when the plan fills them in.
pub fn annex_columns(plan: &Plan) -> Vec<AnnexColumn> {
    let mut columns = vec![
        AnnexColumn::Number,
        AnnexColumn::Task,
        AnnexColumn::Lead,
        AnnexColumn::Partners,
    ];
    if plan.has_results() {
        columns.push(AnnexColumn::Result);
    }
    match plan.time_columns() {
        TimeColumns::Months => columns.extend([AnnexColumn::Start, AnnexColumn::End]),
        TimeColumns::Text => columns.push(AnnexColumn::Time),
        TimeColumns::None => {}
    }
    if plan.has_notes() {
        columns.push(AnnexColumn::Note);
    }
    columns
}

/// Lead units one per line as the seeds write several (`- Phòng GDTrH;` … last without `;`);
/// a single lead unit is written plainly.
pub fn lead_lines(task: &PlanTask) -> Vec<String> {
    match task.leads.as_slice() {
        [] => Vec::new(),
        [only] => vec![only.written.clone()],
        many => many
            .iter()
            .enumerate()
            .map(|(i, lead)| {
                if i + 1 == many.len() {
                    format!("- {}", lead.written)
                } else {
                    format!("- {};", lead.written)
                }
            })
            .collect(),
    }
}

/// The columns' relative widths for this plan: the lead column as wide as most of its lines
/// need (from `Phòng KHTC` in seed 001 to `Phòng Giáo dục và Đào tạo` in seed 003), the others
/// fixed; the task column takes what is left.
pub fn column_weights(plan: &Plan, columns: &[AnnexColumn]) -> Vec<usize> {
    let mut lengths: Vec<usize> = plan
        .tasks
        .iter()
        .flat_map(lead_lines)
        .map(|line| line.chars().count())
        .collect();
    lengths.sort_unstable();
    let typical = lengths
        .get(lengths.len().saturating_sub(1) * 9 / 10)
        .copied()
        .unwrap_or(20);
    let lead = (typical * 9 / 10).clamp(10, 22);
    columns
        .iter()
        .map(|c| match c {
            AnnexColumn::Lead => lead,
            other => other.weight(),
        })
        .collect()
}

/// Column widths in twips filling `total`, proportional to `weights`; rounding goes to the
/// task column.
pub fn column_widths(columns: &[AnnexColumn], weights: &[usize], total: usize) -> Vec<usize> {
    let sum: usize = weights.iter().sum::<usize>().max(1);
    let mut widths: Vec<usize> = weights.iter().map(|w| total * w / sum).collect();
    let used: usize = widths.iter().sum();
    if let Some(task) = columns.iter().position(|c| *c == AnnexColumn::Task) {
        widths[task] += total.saturating_sub(used);
    }
    widths
}

/// Renders the annex of a plan to DOCX bytes (complete package, deterministic).
pub fn write_annex_docx(plan: &Plan) -> Result<Vec<u8>> {
    let mut docx = Docx::new()
        .page_size(A4_HEIGHT, A4_WIDTH)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(portrait_margins())
        .default_fonts(fonts())
        .default_size(HEADER_SIZE)
        .header(page_number_header())
        .first_header(Header::new())
        .title_pg()
        .created_at("2000-01-01T00:00:00Z")
        .updated_at("2000-01-01T00:00:00Z");

    docx = docx.add_paragraph(centred(run(&plan.annex_title(), BODY_SIZE).bold()));
    if let Some(basis) = plan.basis_line() {
        docx = docx.add_paragraph(centred(run(&basis, HEADER_SIZE).bold()));
    }
    docx = docx
        .add_paragraph(centred(run(&plan.attachment_line(), HEADER_SIZE).italic()))
        .add_paragraph(rule(2_400, LANDSCAPE_TEXT_WIDTH));
    docx = docx.add_table(annex_table(plan));

    let mut raw = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut raw)
        .context("đóng gói tệp DOCX phụ lục")?;
    finish_docx(raw.get_ref())
}

/// The assignment table.
fn annex_table(plan: &Plan) -> Table {
    let columns = annex_columns(plan);
    let weights = column_weights(plan, &columns);
    let widths = column_widths(&columns, &weights, LANDSCAPE_TEXT_WIDTH);
    let months = columns.contains(&AnnexColumn::Start);
    let mut rows = header_rows(&columns, &widths, months);
    let header_count = rows.len();
    let total: usize = widths.iter().sum();

    let mut current_section = None;
    for task in &plan.tasks {
        if task.section != current_section {
            current_section = task.section;
            if let Some(section) = task.section.and_then(|i| plan.sections.get(i)) {
                let cell = TableCell::new()
                    .width(total, WidthType::Dxa)
                    .grid_span(columns.len())
                    .vertical_align(VAlignType::Center)
                    // Kept with the task below it, never alone at the foot of a page.
                    .add_paragraph(
                        cell_paragraph(&section.heading, AlignmentType::Left, true, false)
                            .keep_next(true),
                    );
                rows.push(TableRow::new(vec![cell]).cant_split());
            }
        }
        rows.push(task_row(task, &columns, &widths));
    }
    Table::new(rows)
        .set_grid(widths)
        .width(total, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(40, 85, 40, 85))
        .style(header_rows_style(header_count))
}

/// The header (one row, or two with `Thời gian thực hiện` over `Bắt đầu | Hoàn thành`) and
/// the row numbering the columns.
fn header_rows(columns: &[AnnexColumn], widths: &[usize], months: bool) -> Vec<TableRow> {
    let header_cell = |text: &str, width: usize| {
        TableCell::new()
            .width(width, WidthType::Dxa)
            .vertical_align(VAlignType::Center)
            .add_paragraph(cell_paragraph(text, AlignmentType::Center, true, false))
    };
    let mut rows = Vec::new();
    if months {
        let mut top = Vec::new();
        let mut bottom = Vec::new();
        let mut i = 0;
        while i < columns.len() {
            if columns[i] == AnnexColumn::Start && columns.get(i + 1) == Some(&AnnexColumn::End) {
                top.push(
                    header_cell("Thời gian thực hiện", widths[i] + widths[i + 1]).grid_span(2),
                );
                bottom.push(header_cell(AnnexColumn::Start.label(), widths[i]));
                bottom.push(header_cell(AnnexColumn::End.label(), widths[i + 1]));
                i += 2;
                continue;
            }
            top.push(
                header_cell(columns[i].label(), widths[i]).vertical_merge(VMergeType::Restart),
            );
            bottom.push(
                TableCell::new()
                    .width(widths[i], WidthType::Dxa)
                    .vertical_merge(VMergeType::Continue)
                    .add_paragraph(cell_paragraph("", AlignmentType::Center, true, false)),
            );
            i += 1;
        }
        rows.push(TableRow::new(top).cant_split());
        rows.push(TableRow::new(bottom).cant_split());
    } else {
        rows.push(
            TableRow::new(
                columns
                    .iter()
                    .zip(widths)
                    .map(|(c, w)| header_cell(c.label(), *w))
                    .collect(),
            )
            .cant_split(),
        );
    }
    let numbers = (1..=columns.len())
        .zip(widths)
        .map(|(n, w)| {
            TableCell::new()
                .width(*w, WidthType::Dxa)
                .add_paragraph(cell_paragraph(
                    &n.to_string(),
                    AlignmentType::Center,
                    false,
                    true,
                ))
        })
        .collect();
    rows.push(TableRow::new(numbers).cant_split());
    rows
}

/// One task: its cells in column order; a task with only free-text time under `Bắt đầu |
/// Hoàn thành` gets one cell spanning both.
fn task_row(task: &PlanTask, columns: &[AnnexColumn], widths: &[usize]) -> TableRow {
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
            cells.push(
                text_cell(
                    &task.time_text,
                    widths[i] + widths[i + 1],
                    AlignmentType::Center,
                    false,
                )
                .grid_span(2),
            );
            i += 2;
            continue;
        }
        // Left, not justified: justified text in narrow cells spaces out badly.
        let align = if column.centred() {
            AlignmentType::Center
        } else {
            AlignmentType::Left
        };
        cells.push(text_cell(&column.text(task), widths[i], align, false));
        i += 1;
    }
    TableRow::new(cells).cant_split()
}

/// A cell whose text may span several lines (one paragraph each).
fn text_cell(text: &str, width: usize, align: AlignmentType, bold: bool) -> TableCell {
    let mut cell = TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center);
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return cell.add_paragraph(cell_paragraph("", align, bold, false));
    }
    for line in lines {
        cell = cell.add_paragraph(cell_paragraph(line.trim_end(), align, bold, false));
    }
    cell
}

/// A single-spaced table paragraph in 12 pt.
fn cell_paragraph(text: &str, align: AlignmentType, bold: bool, italic: bool) -> Paragraph {
    let mut r = run(text, TABLE_SIZE);
    if bold {
        r = r.bold();
    }
    if italic {
        r = r.italic();
    }
    Paragraph::new().add_run(r).align(align).line_spacing(
        LineSpacing::new()
            .before(20)
            .after(20)
            .line(240)
            .line_rule(LineSpacingType::Auto),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fill_the_landscape_text_width() {
        let columns = [
            AnnexColumn::Number,
            AnnexColumn::Task,
            AnnexColumn::Lead,
            AnnexColumn::Partners,
            AnnexColumn::Start,
            AnnexColumn::End,
        ];
        let weights: Vec<usize> = columns.iter().map(|c| c.weight()).collect();
        let widths = column_widths(&columns, &weights, LANDSCAPE_TEXT_WIDTH);
        assert_eq!(widths.iter().sum::<usize>(), LANDSCAPE_TEXT_WIDTH);
        assert!(widths[1] > widths[3] && widths[3] > widths[2] && widths[2] > widths[4]);
        assert_eq!(LANDSCAPE_TEXT_WIDTH, 14_286);
    }
}
