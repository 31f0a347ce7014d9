//! "Báo cáo tiến độ thực hiện Kế hoạch số …" for a period: the header block, a short summary
//! of the counts, the overdue and due-soon tasks in a table, the lead units' standing, and
//! the closing block, in the format of Nghị định 30/2020 (DOCSTYLE.md).

use anyhow::{Context, Result};
use docx_rs::*;

use super::annex_docx::lead_lines;
use super::docx_blocks::{closing_block, header_block, ClosingLines, HeaderLines};
use super::docx_package::{finish_docx, header_rows_style};
use super::docx_style::*;
use super::docx_table::cell;
use crate::config::Config;
use crate::plan::progress::status_index;
use crate::plan::{Plan, PlanProgress, TaskStatus, Timing};
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

/// Renders the progress report to DOCX bytes (complete package, deterministic).
pub fn write_progress_docx(
    plan: &Plan,
    progress: &PlanProgress,
    config: &Config,
) -> Result<Vec<u8>> {
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
    docx = docx.add_table(header_block(&HeaderLines::for_report(
        config,
        progress.period,
    )));
    docx = docx
        .add_paragraph(
            centred(run("BÁO CÁO", BODY_SIZE).bold())
                .line_spacing(LineSpacing::new().before(360).after(0)),
        )
        .add_paragraph(centred(
            run(
                &format!(
                    "Tiến độ thực hiện {} đến hết {}",
                    plan.reference(),
                    progress.period.in_text()
                ),
                BODY_SIZE,
            )
            .bold(),
        ))
        .add_paragraph(rule(1_800, TEXT_WIDTH));
    docx = docx
        .add_paragraph(body_paragraph().add_run(run(&summary_paragraph(plan, progress), BODY_SIZE)))
        .add_paragraph(body_paragraph().add_run(run(&reporters_paragraph(progress), BODY_SIZE)));

    let period = progress.period;
    docx = docx.add_paragraph(heading(&format!(
        "1. Nhiệm vụ quá hạn và nhiệm vụ đến hạn trong {} và {}",
        period.in_text(),
        period.next().in_text()
    )));
    match due_table(plan, progress) {
        Some(table) => docx = docx.add_table(table),
        None => {
            docx = docx.add_paragraph(body_paragraph().add_run(run(
                "Không có nhiệm vụ quá hạn hoặc đến hạn trong kỳ.",
                BODY_SIZE,
            )))
        }
    }
    docx = docx.add_paragraph(heading("2. Tình hình theo đơn vị chủ trì"));
    docx = docx.add_table(unit_table(progress));
    docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().size(BODY_SIZE)));
    docx = docx.add_table(closing_block(&closing_lines(config)));

    let mut raw = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut raw)
        .context("đóng gói tệp DOCX báo cáo tiến độ")?;
    finish_docx(raw.get_ref())
}

fn heading(text: &str) -> Paragraph {
    body_paragraph()
        .add_run(run(text, BODY_SIZE).bold())
        .keep_next(true)
}

/// Overdue tasks, then those due this month and next, each group under a spanning row.
fn due_table(plan: &Plan, progress: &PlanProgress) -> Option<Table> {
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
    let widths = [600, 3_700, 1_900, 1_300, 1_854];
    let total: usize = widths.iter().sum();
    let titles = [
        "TT",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Hạn hoàn thành",
        "Tình trạng",
    ];
    let mut rows = vec![TableRow::new(
        titles
            .iter()
            .zip(widths)
            .map(|(t, w)| cell(t, w, AlignmentType::Center, true))
            .collect(),
    )
    .cant_split()];
    for (timing, title) in groups {
        let indices = progress.with_timing(timing);
        if indices.is_empty() {
            continue;
        }
        rows.push(
            TableRow::new(vec![cell(
                &format!("{title} ({})", format_count(indices.len() as u64)),
                total,
                AlignmentType::Left,
                true,
            )
            .grid_span(widths.len())])
            .cant_split(),
        );
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
            rows.push(
                TableRow::new(vec![
                    cell(
                        &task.number.to_string(),
                        widths[0],
                        AlignmentType::Center,
                        false,
                    ),
                    cell(&task.content, widths[1], AlignmentType::Left, false),
                    cell(
                        &lead_lines(task).join("\n"),
                        widths[2],
                        AlignmentType::Left,
                        false,
                    ),
                    cell(&due, widths[3], AlignmentType::Center, false),
                    cell(&state, widths[4], AlignmentType::Left, false),
                ])
                .cant_split(),
            );
        }
    }
    Some(
        Table::new(rows)
            .set_grid(widths.to_vec())
            .width(total, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .margins(TableCellMargins::new().margin(40, 85, 40, 85))
            .style(header_rows_style(1)),
    )
}

/// Each lead unit's tasks by status.
fn unit_table(progress: &PlanProgress) -> Table {
    let mut titles = vec!["Đơn vị chủ trì", "Số nhiệm vụ"];
    titles.extend(TaskStatus::ALL.iter().map(|s| s.label()));
    titles.extend(["Chưa báo cáo", "Quá hạn"]);
    let first = 2_600;
    let other = (TEXT_WIDTH - first) / (titles.len() - 1);
    let widths: Vec<usize> = std::iter::once(first)
        .chain(std::iter::repeat_n(other, titles.len() - 1))
        .collect();
    let total: usize = widths.iter().sum();
    let mut rows = vec![TableRow::new(
        titles
            .iter()
            .zip(&widths)
            .map(|(t, w)| cell(t, *w, AlignmentType::Center, true))
            .collect(),
    )
    .cant_split()];
    for unit in &progress.units {
        let mut values = vec![unit.led];
        values.extend(unit.by_status);
        values.extend([unit.unreported, unit.overdue]);
        let mut cells = vec![cell(&unit.label, widths[0], AlignmentType::Left, false)];
        cells.extend(values.iter().zip(&widths[1..]).map(|(v, w)| {
            cell(
                &crate::vn::number::format_int(*v as u64),
                *w,
                AlignmentType::Center,
                false,
            )
        }));
        rows.push(TableRow::new(cells).cant_split());
    }
    Table::new(rows)
        .set_grid(widths)
        .width(total, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(40, 85, 40, 85))
        .style(header_rows_style(1))
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
