//! The plan's annex as a workbook a clerk can print and sort without touching the set-up:
//! the assignment table (section rows merged across, text wrapped, header frozen, autofilter,
//! A4 landscape one page wide with the header rows on every page), the tasks by lead unit,
//! the count of tasks per unit as lead and as coordinator, and, when units reported progress,
//! a progress column, a status sheet with overdue rows highlighted and a per-unit sheet.

use anyhow::{Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use super::columns::{annex_columns, lead_lines, AnnexColumn};
use crate::config::UnitDirectory;
use crate::plan::progress::{status_index, TaskProgress};
use crate::plan::{Plan, PlanProgress, PlanTask, TaskStatus, Timing, UnitGroups, UnitKey};
use crate::render::xlsx::format::AnnexFormats as Formats;
use crate::render::xlsx::row_height::{height, height_in, merged_width, Font};

/// Sheet names (Excel allows 31 characters and no `/`).
pub mod sheets {
    pub const TABLE: &str = "Danh mục nhiệm vụ";
    pub const BY_LEAD: &str = "Theo đơn vị chủ trì";
    pub const COUNTS: &str = "Thống kê đơn vị";
    pub const UNIT_PROGRESS: &str = "Tiến độ theo đơn vị";
    /// `Tình trạng 11-2025`.
    pub fn status(period: crate::vn::Period) -> String {
        format!("Tình trạng {:02}-{}", period.month, period.year)
    }
}

/// Writes the annex workbook; `progress` adds the progress column and sheets.
pub fn write_annex_xlsx(
    plan: &Plan,
    progress: Option<&PlanProgress>,
    directory: &UnitDirectory,
) -> Result<Vec<u8>> {
    build(plan, progress, directory).context("tạo tệp XLSX phụ lục kế hoạch")
}

fn build(
    plan: &Plan,
    progress: Option<&PlanProgress>,
    directory: &UnitDirectory,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(plan.annex_title())
            .set_subject(plan.attachment_line())
            .set_author("baocao")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    table_sheet(workbook.add_worksheet(), plan, progress, &f)?;
    by_lead_sheet(workbook.add_worksheet(), plan, progress, directory, &f)?;
    counts_sheet(workbook.add_worksheet(), plan, directory, &f)?;
    if let Some(progress) = progress {
        status_sheet(workbook.add_worksheet(), plan, progress, &f)?;
        unit_progress_sheet(workbook.add_worksheet(), progress, &f)?;
    }
    workbook.save_to_buffer()
}

/// Column widths (characters) of the assignment table.
fn xlsx_width(column: AnnexColumn) -> f64 {
    match column {
        AnnexColumn::Number => 5.0,
        AnnexColumn::Task => 48.0,
        AnnexColumn::Lead => 22.0,
        AnnexColumn::Partners => 28.0,
        AnnexColumn::Result => 34.0,
        AnnexColumn::Time => 16.0,
        AnnexColumn::Start | AnnexColumn::End => 12.0,
        AnnexColumn::Note => 16.0,
    }
}

/// The header row of a sheet (row 0): titles, column widths, and a height that shows every
/// title whole, at least `min` points.
fn header_row(
    sheet: &mut Worksheet,
    headers: &[(&str, f64)],
    min: f64,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (col, (title, width)) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &f.header)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_row_height(0, height_in(Font::BOLD, headers).max(min))?;
    Ok(())
}

/// A4 landscape, one page wide, the decree's margins, page numbers in the footer.
fn print_setup(sheet: &mut Worksheet, repeat_from: u32, repeat_to: u32) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    // Inches: left 30 mm, right 15 mm, top and bottom 20 mm.
    sheet.set_margins(1.18, 0.59, 0.79, 0.79, 0.3, 0.3);
    sheet.set_print_center_horizontally(true);
    sheet.set_footer("&CTrang &P/&N");
    sheet.set_repeat_rows(repeat_from, repeat_to)?;
    Ok(())
}

/// The progress column's text: `Đang thực hiện, 80%`, or `Chưa có báo cáo`.
fn progress_text(standing: &TaskProgress) -> String {
    let mut text = match standing.status {
        Some(status) => status.label().to_string(),
        None => "Chưa có báo cáo".to_string(),
    };
    if let Some(percent) = standing.percent {
        text.push_str(&format!(", {}", crate::vn::number::format_percent(percent)));
    }
    if standing.timing == Timing::Overdue {
        text.push_str(" (quá hạn)");
    }
    text
}

fn table_sheet(
    sheet: &mut Worksheet,
    plan: &Plan,
    progress: Option<&PlanProgress>,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(sheets::TABLE)?;
    let columns = annex_columns(plan);
    let mut widths: Vec<f64> = columns.iter().map(|c| xlsx_width(*c)).collect();
    if progress.is_some() {
        widths.push(24.0);
    }
    let last_col = (widths.len() - 1) as u16;
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    let total_width = merged_width(&widths);

    let mut row = 0u32;
    let title = plan.annex_title();
    sheet.merge_range(row, 0, row, last_col, &title, &f.title)?;
    sheet.set_row_height(
        row,
        height_in(Font::TITLE, &[(&title, total_width)]).max(24.0),
    )?;
    row += 1;
    if let Some(basis) = plan.basis_line() {
        sheet.merge_range(row, 0, row, last_col, &basis, &f.subtitle)?;
        sheet.set_row_height(row, height_in(Font::BOLD, &[(&basis, total_width)]))?;
        row += 1;
    }
    let attachment = plan.attachment_line();
    sheet.merge_range(row, 0, row, last_col, &attachment, &f.attachment)?;
    sheet.set_row_height(row, height(&[(&attachment, total_width)]))?;
    row += 2;

    // Header: one row, or two with `Thời gian thực hiện` over `Bắt đầu | Hoàn thành`.
    let first_header = row;
    let months = columns.contains(&AnnexColumn::Start);
    let mut labels: Vec<String> = columns.iter().map(|c| c.label().to_string()).collect();
    if let Some(progress) = progress {
        labels.push(format!("Tiến độ đến {}", progress.period.in_text()));
    }
    if months {
        for (col, label) in labels.iter().enumerate() {
            let col16 = col as u16;
            match columns.get(col) {
                Some(AnnexColumn::Start) => {
                    sheet.merge_range(
                        row,
                        col16,
                        row,
                        col16 + 1,
                        "Thời gian thực hiện",
                        &f.header,
                    )?;
                    sheet.write_string_with_format(row + 1, col16, label, &f.header)?;
                }
                Some(AnnexColumn::End) => {
                    sheet.write_string_with_format(row + 1, col16, label, &f.header)?;
                }
                _ => {
                    sheet.merge_range(row, col16, row + 1, col16, label, &f.header)?;
                }
            }
        }
        // The labels merged over both rows share the two rows' height.
        let spanning: Vec<(&str, f64)> = labels
            .iter()
            .zip(&columns)
            .zip(&widths)
            .filter(|((_, c), _)| !matches!(c, AnnexColumn::Start | AnnexColumn::End))
            .map(|((l, _), w)| (l.as_str(), *w))
            .collect();
        let half = (height_in(Font::BOLD, &spanning) / 2.0).max(20.0);
        sheet.set_row_height(row, half)?;
        sheet.set_row_height(row + 1, half)?;
        row += 2;
    } else {
        for (col, label) in labels.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, label, &f.header)?;
        }
        let cells: Vec<(&str, f64)> = labels
            .iter()
            .zip(&widths)
            .map(|(l, w)| (l.as_str(), *w))
            .collect();
        sheet.set_row_height(row, height_in(Font::BOLD, &cells).max(33.0))?;
        row += 1;
    }
    for col in 0..labels.len() {
        sheet.write_number_with_format(row, col as u16, (col + 1) as f64, &f.numbering)?;
    }
    let numbering_row = row;
    row += 1;

    let mut current_section = None;
    for (index, task) in plan.tasks.iter().enumerate() {
        if task.section != current_section {
            current_section = task.section;
            if let Some(section) = task.section.and_then(|i| plan.sections.get(i)) {
                sheet.merge_range(row, 0, row, last_col, &section.heading, &f.section)?;
                sheet.set_row_height(
                    row,
                    height_in(Font::BOLD, &[(&section.heading, total_width)]),
                )?;
                row += 1;
            }
        }
        let standing = progress.and_then(|p| p.tasks.get(index));
        let late = standing.is_some_and(|s| s.timing == Timing::Overdue);
        let (text_format, centre_format) = if late {
            (&f.late_text, &f.late_centre)
        } else {
            (&f.text, &f.centre)
        };
        let mut texts: Vec<(String, f64)> = Vec::new();
        let mut col = 0usize;
        while col < columns.len() {
            let column = columns[col];
            let spans_months = column == AnnexColumn::Start
                && task.start_text.is_empty()
                && task.end_text.is_empty()
                && !task.time_text.is_empty();
            if spans_months {
                let c = col as u16;
                sheet.merge_range(row, c, row, c + 1, &task.time_text, centre_format)?;
                texts.push((task.time_text.clone(), merged_width(&widths[col..col + 2])));
                col += 2;
                continue;
            }
            let format = if column.centred() {
                centre_format
            } else {
                text_format
            };
            if column == AnnexColumn::Number {
                sheet.write_number_with_format(row, col as u16, f64::from(task.number), format)?;
            } else {
                let text = column.text(task);
                sheet.write_string_with_format(row, col as u16, &text, format)?;
                texts.push((text, widths[col]));
            }
            col += 1;
        }
        if let Some(standing) = standing {
            let text = progress_text(standing);
            sheet.write_string_with_format(row, last_col, &text, text_format)?;
            texts.push((text, widths[last_col as usize]));
        }
        let sized: Vec<(&str, f64)> = texts.iter().map(|(t, w)| (t.as_str(), *w)).collect();
        sheet.set_row_height(row, height(&sized))?;
        row += 1;
    }
    sheet.set_freeze_panes(numbering_row + 1, 0)?;
    sheet.autofilter(
        numbering_row,
        0,
        row.saturating_sub(1).max(numbering_row),
        last_col,
    )?;
    print_setup(sheet, first_header, numbering_row)?;
    Ok(())
}

/// The time of a task in one cell: months when given, else the free text.
fn time_text(task: &PlanTask) -> (String, String) {
    if task.start_text.is_empty() && task.end_text.is_empty() {
        (task.time_text.clone(), String::new())
    } else {
        (task.start_text.clone(), task.end_text.clone())
    }
}

fn by_lead_sheet(
    sheet: &mut Worksheet,
    plan: &Plan,
    progress: Option<&PlanProgress>,
    directory: &UnitDirectory,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(sheets::BY_LEAD)?;
    let mut headers: Vec<(&str, f64)> = vec![
        ("Đơn vị chủ trì", 26.0),
        ("TT", 5.0),
        ("Nhiệm vụ", 50.0),
        ("Đơn vị phối hợp", 28.0),
        ("Kết quả / Sản phẩm", 30.0),
        ("Thời gian thực hiện / Bắt đầu", 14.0),
        ("Hoàn thành", 12.0),
    ];
    let progress_label = progress.map(|p| format!("Tiến độ đến {}", p.period.in_text()));
    if let Some(label) = &progress_label {
        headers.push((label, 24.0));
    }
    header_row(sheet, &headers, 33.0, f)?;
    let mut groups = UnitGroups::default();
    for task in &plan.tasks {
        for lead in &task.leads {
            groups.add(lead, directory);
        }
    }
    let mut row = 1u32;
    for (key, label) in groups.ordered() {
        for (index, task) in plan.tasks.iter().enumerate() {
            if !task.is_led_by(&key) {
                continue;
            }
            let standing = progress.and_then(|p| p.tasks.get(index));
            let late = standing.is_some_and(|s| s.timing == Timing::Overdue);
            let (text, centre) = if late {
                (&f.late_text, &f.late_centre)
            } else {
                (&f.text, &f.centre)
            };
            let (start, end) = time_text(task);
            sheet.write_string_with_format(row, 0, &label, text)?;
            sheet.write_number_with_format(row, 1, f64::from(task.number), centre)?;
            sheet.write_string_with_format(row, 2, &task.content, text)?;
            sheet.write_string_with_format(row, 3, &task.partners_text, text)?;
            sheet.write_string_with_format(row, 4, &task.result, text)?;
            sheet.write_string_with_format(row, 5, &start, centre)?;
            sheet.write_string_with_format(row, 6, &end, centre)?;
            let mut cells = vec![
                (label.as_str(), 26.0),
                (task.content.as_str(), 50.0),
                (task.partners_text.as_str(), 28.0),
                (task.result.as_str(), 30.0),
            ];
            let status;
            if let Some(standing) = standing {
                status = progress_text(standing);
                sheet.write_string_with_format(row, 7, &status, text)?;
                cells.push((status.as_str(), 24.0));
            }
            sheet.set_row_height(row, height(&cells))?;
            row += 1;
        }
    }
    let last_col = (headers.len() - 1) as u16;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), last_col)?;
    print_setup(sheet, 0, 0)?;
    Ok(())
}

fn counts_sheet(
    sheet: &mut Worksheet,
    plan: &Plan,
    directory: &UnitDirectory,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(sheets::COUNTS)?;
    header_row(
        sheet,
        &[
            ("STT", 6.0),
            ("Đơn vị", 48.0),
            ("Mã đơn vị", 16.0),
            ("Số nhiệm vụ chủ trì", 14.0),
            ("Số nhiệm vụ phối hợp", 14.0),
            ("Tổng số nhiệm vụ tham gia", 14.0),
        ],
        48.0,
        f,
    )?;
    let mut groups = UnitGroups::default();
    for task in &plan.tasks {
        for name in task.leads.iter().chain(&task.partners) {
            groups.add(name, directory);
        }
    }
    let mut row = 1u32;
    for (key, label) in groups.ordered() {
        let leads = plan.tasks.iter().filter(|t| t.is_led_by(&key)).count();
        let partners = plan
            .tasks
            .iter()
            .filter(|t| t.partners.iter().any(|p| p.key() == key))
            .count();
        let both = plan
            .tasks
            .iter()
            .filter(|t| t.is_led_by(&key) || t.partners.iter().any(|p| p.key() == key))
            .count();
        let code = match &key {
            UnitKey::Configured(i) => directory
                .units()
                .get(*i)
                .map(|u| u.code.clone())
                .unwrap_or_default(),
            UnitKey::Named(_) => String::new(),
        };
        sheet.write_number_with_format(row, 0, f64::from(row), &f.centre)?;
        sheet.write_string_with_format(row, 1, &label, &f.text)?;
        sheet.write_string_with_format(row, 2, &code, &f.centre)?;
        sheet.write_number_with_format(row, 3, leads as f64, &f.integer)?;
        sheet.write_number_with_format(row, 4, partners as f64, &f.integer)?;
        sheet.write_number_with_format(row, 5, both as f64, &f.integer)?;
        sheet.set_row_height(row, height(&[(&label, 48.0)]))?;
        row += 1;
    }
    sheet.merge_range(row, 0, row, 2, "Số nhiệm vụ của kế hoạch", &f.total)?;
    sheet.write_number_with_format(row, 3, plan.tasks.len() as f64, &f.total)?;
    sheet.write_blank(row, 4, &f.total)?;
    sheet.write_blank(row, 5, &f.total)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), 5)?;
    print_setup(sheet, 0, 0)?;
    Ok(())
}

fn status_sheet(
    sheet: &mut Worksheet,
    plan: &Plan,
    progress: &PlanProgress,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(sheets::status(progress.period))?;
    header_row(
        sheet,
        &[
            ("TT", 5.0),
            ("Nhiệm vụ", 50.0),
            ("Đơn vị chủ trì", 26.0),
            ("Hoàn thành (hạn)", 14.0),
            ("Trạng thái", 18.0),
            ("Tỷ lệ hoàn thành", 11.0),
            ("Kết quả, minh chứng", 40.0),
            ("Báo cáo tháng", 11.0),
            ("Đánh giá", 20.0),
        ],
        33.0,
        f,
    )?;
    let mut row = 1u32;
    for (task, standing) in plan.tasks.iter().zip(&progress.tasks) {
        let late = standing.timing == Timing::Overdue;
        let (text, centre, percent) = if late {
            (&f.late_text, &f.late_centre, &f.late_percent)
        } else {
            (&f.text, &f.centre, &f.percent)
        };
        let leads = lead_lines(task).join("\n");
        let (_, end) = time_text(task);
        let end = if end.is_empty() {
            task.time_text.clone()
        } else {
            end
        };
        let status = standing.status.map_or("Chưa có báo cáo", TaskStatus::label);
        sheet.write_number_with_format(row, 0, f64::from(task.number), centre)?;
        sheet.write_string_with_format(row, 1, &task.content, text)?;
        sheet.write_string_with_format(row, 2, &leads, text)?;
        sheet.write_string_with_format(row, 3, &end, centre)?;
        sheet.write_string_with_format(row, 4, status, centre)?;
        match standing.percent {
            Some(value) => sheet.write_number_with_format(row, 5, value / 100.0, percent)?,
            None => sheet.write_blank(row, 5, centre)?,
        };
        sheet.write_string_with_format(row, 6, &standing.evidence, text)?;
        match standing.reported_in {
            Some(month) => sheet.write_string_with_format(row, 7, month.to_string(), centre)?,
            None => sheet.write_blank(row, 7, centre)?,
        };
        sheet.write_string_with_format(row, 8, standing.timing.label(), centre)?;
        sheet.set_row_height(
            row,
            height(&[
                (&task.content, 50.0),
                (&leads, 26.0),
                (&standing.evidence, 40.0),
            ]),
        )?;
        row += 1;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), 8)?;
    print_setup(sheet, 0, 0)?;
    Ok(())
}

fn unit_progress_sheet(
    sheet: &mut Worksheet,
    progress: &PlanProgress,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(sheets::UNIT_PROGRESS)?;
    let mut titles: Vec<String> = vec!["Đơn vị chủ trì".into(), "Số nhiệm vụ chủ trì".into()];
    titles.extend(TaskStatus::ALL.iter().map(|s| s.label().to_string()));
    titles.extend([
        "Chưa báo cáo".to_string(),
        "Quá hạn".to_string(),
        format!("Đã gửi báo cáo {}", progress.period.in_text()),
    ]);
    let headers: Vec<(&str, f64)> = titles
        .iter()
        .enumerate()
        .map(|(col, title)| (title.as_str(), if col == 0 { 40.0 } else { 13.0 }))
        .collect();
    header_row(sheet, &headers, 48.0, f)?;
    let mut row = 1u32;
    for unit in &progress.units {
        let late = unit.overdue > 0;
        let text = if late { &f.late_text } else { &f.text };
        sheet.write_string_with_format(row, 0, &unit.label, text)?;
        sheet.write_number_with_format(row, 1, unit.led as f64, &f.integer)?;
        for status in TaskStatus::ALL {
            let col = 2 + status_index(status) as u16;
            sheet.write_number_with_format(
                row,
                col,
                unit.by_status[status_index(status)] as f64,
                &f.integer,
            )?;
        }
        sheet.write_number_with_format(row, 6, unit.unreported as f64, &f.integer)?;
        sheet.write_number_with_format(row, 7, unit.overdue as f64, &f.integer)?;
        let sent = if unit.reported_this_period {
            "Có"
        } else {
            "Chưa"
        };
        sheet.write_string_with_format(row, 8, sent, &f.centre)?;
        sheet.set_row_height(row, height(&[(&unit.label, 40.0)]))?;
        row += 1;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), 8)?;
    print_setup(sheet, 0, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_sheet_is_named_by_the_month() {
        assert_eq!(
            sheets::status(crate::vn::Period::new(2025, 11).expect("p")),
            "Tình trạng 11-2025"
        );
    }
}
