//! "Báo cáo tiến độ thực hiện Kế hoạch số …" for a period, laid out as a document: the header
//! block, a short summary of the counts, the overdue and due-soon tasks in a table, the lead
//! units' standing, and the closing block, in the format of Nghị định 30/2020 (DOCSTYLE.md).

use super::columns::{lead_lines, widths_filling};
use crate::config::Config;
use crate::plan::progress::status_index;
use crate::plan::{Plan, PlanProgress, TaskStatus, Timing};
use crate::render::document::{
    Block, Cell, Document, Orientation, Paragraph, ParagraphStyle, Row, Table, TableStyle,
};
use crate::render::letterhead::{closing_block, header_block, ClosingLines, HeaderLines};
use crate::vn::number::format_count;

/// The summary paragraph: tasks by status, overdue and due-soon counts.
pub fn summary_paragraph(plan: &Plan, progress: &PlanProgress) -> String {
    let (counts, unreported) = progress.status_counts();
    let count = |status: TaskStatus| format_count(counts[status_index(status)] as u64);
    let period = progress.period;
    format!(
        "{} có {} nhiệm vụ. Đến hết {}: {} nhiệm vụ hoàn thành, {} đang thực hiện, {} chưa thực hiện, {} tạm dừng, {} chưa có báo cáo tiến độ. Có {} nhiệm vụ quá hạn (thời hạn hoàn thành trước {} mà chưa hoàn thành), {} nhiệm vụ đến hạn trong {} và {} nhiệm vụ đến hạn trong {}.",
        capitalised_reference(plan),
        format_count(plan.tasks.len() as u64),
        period.in_text(),
        count(TaskStatus::Done),
        count(TaskStatus::InProgress),
        count(TaskStatus::NotStarted),
        count(TaskStatus::Paused),
        format_count(unreported as u64),
        format_count(progress.with_timing(Timing::Overdue).len() as u64),
        period.in_text(),
        format_count(progress.with_timing(Timing::DueThisMonth).len() as u64),
        period.in_text(),
        format_count(progress.with_timing(Timing::DueNextMonth).len() as u64),
        period.next().in_text(),
    )
}

/// Who reported this month and which lead units did not.
pub fn reporters_paragraph(progress: &PlanProgress) -> String {
    let period = progress.period;
    let sent = format!(
        "Trong {} có {} báo cáo tiến độ của các đơn vị chủ trì.",
        period.in_text(),
        format_count(progress.reports_this_period as u64)
    );
    if progress.silent_units.is_empty() {
        format!("{sent} Các đơn vị chủ trì có nhiệm vụ đang triển khai đều đã gửi báo cáo.")
    } else {
        format!(
            "{sent} Đơn vị chủ trì chưa gửi báo cáo tiến độ ({}): {}.",
            format_count(progress.silent_units.len() as u64),
            progress.silent_units.join("; ")
        )
    }
}

fn capitalised_reference(plan: &Plan) -> String {
    let reference = plan.reference();
    if plan.info.name.trim().is_empty() {
        reference
    } else {
        format!("{reference} ({})", plan.info.name.trim())
    }
}

/// The progress report as a portrait document `width` twips wide between the margins.
pub fn progress_layout(
    plan: &Plan,
    progress: &PlanProgress,
    config: &Config,
    width: u32,
) -> Document {
    let period = progress.period;
    let subject = format!(
        "Tiến độ thực hiện {} đến hết {}",
        plan.reference(),
        period.in_text()
    );
    let mut blocks = vec![
        header_block(&HeaderLines::for_report(config, period), width),
        paragraph(ParagraphStyle::Title, "BÁO CÁO"),
        paragraph(ParagraphStyle::Subject, &subject),
        Block::Paragraph(Paragraph::rule(1_800, width)),
        paragraph(ParagraphStyle::Body, &summary_paragraph(plan, progress)),
        paragraph(ParagraphStyle::Body, &reporters_paragraph(progress)),
        paragraph(
            ParagraphStyle::Heading(2),
            &format!(
                "1. Nhiệm vụ quá hạn và nhiệm vụ đến hạn trong {} và {}",
                period.in_text(),
                period.next().in_text()
            ),
        ),
    ];
    match due_table(plan, progress, width) {
        Some(table) => blocks.push(Block::Table(table)),
        None => blocks.push(paragraph(
            ParagraphStyle::Body,
            "Không có nhiệm vụ quá hạn hoặc đến hạn trong kỳ.",
        )),
    }
    blocks.push(paragraph(
        ParagraphStyle::Heading(2),
        "2. Tình hình theo đơn vị chủ trì",
    ));
    blocks.push(Block::Table(unit_table(progress, width)));
    blocks.push(paragraph(ParagraphStyle::Spacer, ""));
    blocks.push(closing_block(&closing_lines(config), width));
    Document {
        title: subject,
        orientation: Orientation::Portrait,
        blocks,
    }
}

fn paragraph(style: ParagraphStyle, text: &str) -> Block {
    Block::Paragraph(Paragraph::new(style, text))
}

fn cell(text: &str, style: ParagraphStyle) -> Cell {
    Cell::lines(text, style)
}

/// Overdue tasks, then those due this month and next, each group under a spanning row.
fn due_table(plan: &Plan, progress: &PlanProgress, width: u32) -> Option<Table> {
    let period = progress.period;
    let groups = [
        (Timing::Overdue, "Nhiệm vụ quá hạn".to_string()),
        (
            Timing::DueThisMonth,
            format!("Nhiệm vụ đến hạn trong {}", period.in_text()),
        ),
        (
            Timing::DueNextMonth,
            format!("Nhiệm vụ đến hạn trong {}", period.next().in_text()),
        ),
    ];
    if groups
        .iter()
        .all(|(timing, _)| progress.with_timing(*timing).is_empty())
    {
        return None;
    }
    // Rounding goes to the task column.
    let widths: Vec<u32> =
        widths_filling(&[600, 3_700, 1_900, 1_300, 1_854], width as usize, Some(1))
            .into_iter()
            .map(|w| w as u32)
            .collect();
    let titles = [
        "TT",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Hạn hoàn thành",
        "Tình trạng",
    ];
    let mut rows = vec![Row::new(
        titles
            .iter()
            .map(|t| cell(t, ParagraphStyle::TableHeader))
            .collect(),
    )];
    for (timing, title) in groups {
        let indices = progress.with_timing(timing);
        if indices.is_empty() {
            continue;
        }
        rows.push(Row::new(vec![cell(
            &format!("{title} ({})", format_count(indices.len() as u64)),
            ParagraphStyle::TableSection,
        )
        .spanning(widths.len())]));
        for index in indices {
            let (Some(task), Some(standing)) = (plan.tasks.get(index), progress.tasks.get(index))
            else {
                continue;
            };
            let mut state = standing
                .status
                .map_or("Chưa có báo cáo", TaskStatus::label)
                .to_string();
            if let Some(percent) = standing.percent {
                state.push_str(&format!(
                    " ({})",
                    crate::vn::number::format_percent(percent)
                ));
            }
            if let Some(month) = standing.reported_in {
                state.push_str(&format!("\nBáo cáo {}", month.in_text()));
            }
            let due = if task.end_text.is_empty() {
                task.time_text.clone()
            } else {
                task.end_text.clone()
            };
            rows.push(Row::new(vec![
                cell(&task.number.to_string(), ParagraphStyle::TableCentred),
                cell(&task.content, ParagraphStyle::TableText),
                cell(&lead_lines(task).join("\n"), ParagraphStyle::TableText),
                cell(&due, ParagraphStyle::TableCentred),
                cell(&state, ParagraphStyle::TableText),
            ]));
        }
    }
    Some(Table {
        style: TableStyle::Grid,
        widths,
        header_rows: 1,
        rows,
    })
}

/// Each lead unit's tasks by status.
fn unit_table(progress: &PlanProgress, width: u32) -> Table {
    let mut titles = vec!["Đơn vị chủ trì", "Số nhiệm vụ"];
    titles.extend(TaskStatus::ALL.iter().map(|s| s.label()));
    titles.extend(["Chưa báo cáo", "Quá hạn"]);
    let first = 2_600.min(width / 2);
    let other = width.saturating_sub(first) / (titles.len() as u32 - 1);
    let widths: Vec<u32> = std::iter::once(first)
        .chain(std::iter::repeat_n(other, titles.len() - 1))
        .collect();
    let mut rows = vec![Row::new(
        titles
            .iter()
            .map(|t| cell(t, ParagraphStyle::TableHeader))
            .collect(),
    )];
    for unit in &progress.units {
        let mut values = vec![unit.led];
        values.extend(unit.by_status);
        values.extend([unit.unreported, unit.overdue]);
        let mut cells = vec![cell(&unit.label, ParagraphStyle::TableText)];
        cells.extend(values.iter().map(|v| {
            cell(
                &crate::vn::number::format_int(*v as u64),
                ParagraphStyle::TableCentred,
            )
        }));
        rows.push(Row::new(cells));
    }
    Table {
        style: TableStyle::Grid,
        widths,
        header_rows: 1,
        rows,
    }
}

/// `Nơi nhận` (the leadership, the lead units, the archive) and the signature.
fn closing_lines(config: &Config) -> ClosingLines {
    let archive = config
        .report
        .recipients
        .last()
        .filter(|r| r.starts_with("Lưu"))
        .cloned()
        .unwrap_or_else(|| "Lưu: VT".to_string());
    let recipients = [
        "Ban Giám đốc Sở (để b/c)".to_string(),
        "Các đơn vị chủ trì thực hiện kế hoạch".to_string(),
        archive,
    ];
    ClosingLines::signed_by(config, "Nơi nhận:".to_string(), &recipients)
}
