//! The figures behind the report as a workbook: per-unit figures with shares and totals,
//! dossiers, documents advised, overdue dossiers, submissions received and every validation
//! message, so staff can check any number in the report without a calculator.

use anyhow::{Context, Result};
use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::aggregate::comparison::{change_tenths, Comparison};
use crate::aggregate::{MonthlyAggregate, ShareBase, SubmissionRates, UnitStatus};
use crate::config::Config;
use crate::model::Reporter;
use crate::validate::{Intake, RecordStatus};
use crate::vn::duration::format_lateness;

use super::model::reporter_name;
use crate::render::xlsx::format::TableFormats as Formats;
use crate::render::xlsx::list::list_body;
use crate::render::xlsx::row_height::{height, height_in, merged_width, Font};

/// Writes the companion workbook to bytes.
pub fn write_companion_xlsx(
    config: &Config,
    intake: &Intake,
    figures: &MonthlyAggregate,
) -> Result<Vec<u8>> {
    build(config, intake, figures).context("tạo tệp XLSX số liệu")
}

fn build(
    config: &Config,
    intake: &Intake,
    figures: &MonthlyAggregate,
) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    // Deflate level 2, as for the targets workbook: at 50,000 schools the save took about
    // 100 ms instead of 542 ms (with the lists below on disk) for a file of 2.34 MB instead
    // of 1.89 MB.
    workbook.set_zip_compression_level(2);
    let stamp = ExcelDateTime::from_ymd(figures.period.year as u16, figures.period.month as u8, 1)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("Số liệu báo cáo {}", figures.period.in_text()))
            .set_author("baocao")
            .set_creation_datetime(&stamp),
    );
    unit_sheet(workbook.add_worksheet(), config, figures, &formats)?;
    dossier_sheet(workbook.add_worksheet(), figures, &formats)?;
    advised_sheet(workbook.add_worksheet(), config, figures, &formats)?;
    overdue_sheet(workbook.add_worksheet(), config, figures, &formats)?;
    // The two lists grow with the number of files (50,000 rows at 50,000 schools): their
    // rows go to a temporary file as they are written, not into memory, with their text in
    // the cells (`add_worksheet_with_constant_memory`) rather than in the shared strings, as
    // for the targets workbook's lists (`targets_xlsx.rs` says what that saved).
    submissions_sheet(
        workbook.add_worksheet_with_constant_memory()?,
        config,
        intake,
        &figures.submissions,
        &formats,
    )?;
    rates_sheet(workbook.add_worksheet(), &figures.submissions, &formats)?;
    if let Some(comparison) = &figures.comparison {
        comparison_sheet(workbook.add_worksheet(), comparison, &formats)?;
    }
    messages_sheet(
        workbook.add_worksheet_with_constant_memory()?,
        intake,
        &formats,
    )?;
    workbook.save_to_buffer()
}

fn headers(
    sheet: &mut Worksheet,
    titles: &[(&str, f64)],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (col, (title, width)) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &formats.header)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_row_height(0, height_in(Font::BOLD, titles).max(45.0))?;
    sheet.set_freeze_panes(1, 0)?;
    // Print set-up a clerk would otherwise do by hand: A4 landscape, one page wide, the header
    // row on every page, page numbers in the footer.
    sheet
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.5, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&CTrang &P/&N");
    sheet.set_repeat_rows(0, 0)?;
    Ok(())
}

fn share_value(tenths: Option<u64>) -> Option<f64> {
    tenths.map(|t| t as f64 / 1000.0)
}

fn unit_sheet(
    sheet: &mut Worksheet,
    config: &Config,
    figures: &MonthlyAggregate,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Số liệu đơn vị")?;
    // The share columns name their base: the department's totals, or the units' sum when
    // those are missing or withheld (then a note under the table says so too).
    let share_title = match figures.share_base {
        ShareBase::Department => "Tỷ lệ so với toàn Sở",
        ShareBase::UnitsWithFigures => "Tỷ lệ so với tổng các đơn vị có số liệu",
    };
    let columns = [
        ("STT", 6.0),
        ("Đơn vị", 42.0),
        ("Mã", 14.0),
        ("Văn bản tiếp nhận, xử lý", 13.0),
        (share_title, 11.0),
        ("Văn bản tham mưu ban hành", 13.0),
        (share_title, 11.0),
        ("Văn bản chậm muộn", 11.0),
        ("Hồ sơ TTHC tiếp nhận", 11.0),
        ("Từ kỳ trước", 10.0),
        ("Đã giải quyết", 11.0),
        ("Đang giải quyết", 11.0),
        ("Quá hạn", 9.0),
        ("Tình trạng báo cáo", 22.0),
    ];
    headers(sheet, &columns, f)?;
    let mut row = 1u32;
    for unit in &figures.units {
        sheet.write_number_with_format(row, 0, (unit.index + 1) as f64, &f.text)?;
        sheet.write_string_with_format(row, 1, &unit.name, &f.wrap)?;
        sheet.write_string_with_format(row, 2, &unit.code, &f.text)?;
        if unit.status.has_figures() {
            write_figures(
                sheet,
                row,
                &unit.figures,
                unit.received_share,
                unit.issued_share,
                &f.integer,
                &f.percent,
            )?;
        } else {
            for col in 3..13 {
                sheet.write_blank(row, col, &f.text)?;
            }
        }
        let status = match unit.status {
            UnitStatus::Reported => "Đã tổng hợp",
            UnitStatus::FiguresWithheld => "Có lỗi: số liệu chưa tổng hợp",
            UnitStatus::Rejected => "Có lỗi: báo cáo chưa tổng hợp",
            UnitStatus::NotSubmitted => "Chưa nộp",
        };
        sheet.write_string_with_format(row, 13, status, &f.wrap)?;
        sheet.set_row_height(
            row,
            height(&[(&unit.name, columns[1].1), (status, columns[13].1)]),
        )?;
        row += 1;
    }
    let sums = &figures.unit_sums;
    let sum_received = crate::vn::number::share_tenths(sums.vb_den, figures.totals.vb_den);
    let sum_issued = crate::vn::number::share_tenths(sums.vb_di, figures.totals.vb_di);
    sheet.merge_range(row, 0, row, 2, "Tổng các đơn vị", &f.total_text)?;
    write_figures(
        sheet,
        row,
        sums,
        sum_received,
        sum_issued,
        &f.total_integer,
        &f.total_percent,
    )?;
    sheet.write_blank(row, 13, &f.total_text)?;
    row += 1;
    let code = &config.organisation.department_code;
    let department_label = match (figures.share_base, figures.department_withheld) {
        (ShareBase::Department, _) => format!("Toàn Sở ({code})"),
        (ShareBase::UnitsWithFigures, true) => {
            format!("Toàn Sở ({code}: số liệu có lỗi, lấy tổng các đơn vị có số liệu)")
        }
        (ShareBase::UnitsWithFigures, false) => {
            format!("Toàn Sở ({code}: chưa có báo cáo, lấy tổng các đơn vị có số liệu)")
        }
    };
    sheet.merge_range(row, 0, row, 2, &department_label, &f.total_text)?;
    sheet.set_row_height(
        row,
        height_in(
            Font::BOLD,
            &[(
                &department_label,
                merged_width(&[columns[0].1, columns[1].1, columns[2].1]),
            )],
        ),
    )?;
    write_figures(
        sheet,
        row,
        &figures.totals,
        Some(1000),
        Some(1000),
        &f.total_integer,
        &f.total_percent,
    )?;
    sheet.write_blank(row, 13, &f.total_text)?;
    let base = match figures.share_base {
        ShareBase::Department => format!(
            "Cơ sở tính tỷ lệ: số liệu toàn Sở do {code} báo cáo"
        ),
        ShareBase::UnitsWithFigures => "Cơ sở tính tỷ lệ: tổng của các đơn vị có số liệu (chưa có số liệu toàn Sở được tổng hợp)".to_string(),
    };
    sheet.write_string(row + 2, 0, base)?;
    sheet.autofilter(0, 0, figures.units.len() as u32, 13)?;
    Ok(())
}

fn write_figures(
    sheet: &mut Worksheet,
    row: u32,
    figures: &crate::model::StandardFigures,
    received_share: Option<u64>,
    issued_share: Option<u64>,
    integer: &Format,
    percent: &Format,
) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, 3, figures.vb_den as f64, integer)?;
    match share_value(received_share) {
        Some(v) => sheet.write_number_with_format(row, 4, v, percent)?,
        None => sheet.write_blank(row, 4, percent)?,
    };
    sheet.write_number_with_format(row, 5, figures.vb_di as f64, integer)?;
    match share_value(issued_share) {
        Some(v) => sheet.write_number_with_format(row, 6, v, percent)?,
        None => sheet.write_blank(row, 6, percent)?,
    };
    let rest = [
        figures.vb_cham,
        figures.tthc_tiep_nhan,
        figures.tthc_ky_truoc,
        figures.tthc_da_gq,
        figures.tthc_dang_gq,
        figures.tthc_qua_han,
    ];
    for (offset, value) in rest.iter().enumerate() {
        sheet.write_number_with_format(row, 7 + offset as u16, *value as f64, integer)?;
    }
    Ok(())
}

fn dossier_sheet(
    sheet: &mut Worksheet,
    figures: &MonthlyAggregate,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Hồ sơ TTHC")?;
    headers(sheet, &[("Chỉ tiêu", 48.0), ("Toàn Sở", 14.0)], f)?;
    let t = &figures.totals;
    let rows: [(&str, u64); 6] = [
        ("Hồ sơ tiếp nhận (tổng)", t.tthc_tiep_nhan),
        ("trong đó: hồ sơ trong kỳ", figures.received_in_period),
        ("trong đó: hồ sơ từ kỳ trước chuyển sang", t.tthc_ky_truoc),
        ("Hồ sơ đã giải quyết", t.tthc_da_gq),
        ("Hồ sơ đang giải quyết", t.tthc_dang_gq),
        ("Hồ sơ quá hạn", figures.overdue_count()),
    ];
    for (i, (label, value)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string_with_format(row, 0, *label, &f.text)?;
        sheet.write_number_with_format(row, 1, *value as f64, &f.integer)?;
    }
    sheet.write_string_with_format(7, 0, "Tỷ lệ hồ sơ đã giải quyết", &f.total_text)?;
    match share_value(figures.solved_rate) {
        Some(v) => sheet.write_number_with_format(7, 1, v, &f.total_percent)?,
        None => sheet.write_string_with_format(7, 1, "không tính được", &f.total_text)?,
    };
    Ok(())
}

fn advised_sheet(
    sheet: &mut Worksheet,
    config: &Config,
    figures: &MonthlyAggregate,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Văn bản tham mưu")?;
    const COLUMNS: [(&str, f64); 6] = [
        ("STT", 6.0),
        ("Số, ký hiệu", 20.0),
        ("Ngày ban hành", 13.0),
        ("Cơ quan ban hành", 20.0),
        ("Trích yếu", 70.0),
        ("Đơn vị tham mưu", 30.0),
    ];
    headers(sheet, &COLUMNS, f)?;
    let width = |col: usize| COLUMNS[col].1;
    for (i, entry) in figures.advised.iter().enumerate() {
        let row = i as u32 + 1;
        let d = &entry.document;
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &f.text)?;
        sheet.write_string_with_format(row, 1, &d.number, &f.text)?;
        match d.issued_on {
            Some(date) => {
                let value = ExcelDateTime::parse_from_str(&date.format("%Y-%m-%d").to_string())?;
                sheet.write_datetime_with_format(row, 2, &value, &f.date)?;
            }
            None => {
                sheet.write_blank(row, 2, &f.date)?;
            }
        }
        let unit = reporter_name(entry.reporter, config);
        sheet.write_string_with_format(row, 3, &d.issuer, &f.wrap)?;
        sheet.write_string_with_format(row, 4, &d.summary, &f.wrap)?;
        sheet.write_string_with_format(row, 5, &unit, &f.wrap)?;
        sheet.set_row_height(
            row,
            height(&[
                (&d.issuer, width(3)),
                (&d.summary, width(4)),
                (&unit, width(5)),
            ]),
        )?;
    }
    Ok(())
}

fn overdue_sheet(
    sheet: &mut Worksheet,
    config: &Config,
    figures: &MonthlyAggregate,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Hồ sơ quá hạn")?;
    const COLUMNS: [(&str, f64); 7] = [
        ("Mã hồ sơ", 22.0),
        ("Thủ tục", 40.0),
        ("Đơn vị", 30.0),
        ("Hạn xử lý", 20.0),
        ("Ngày có kết quả", 20.0),
        ("Trễ hạn", 16.0),
        ("Trễ hạn (phút)", 12.0),
    ];
    headers(sheet, &COLUMNS, f)?;
    for (i, entry) in figures.overdue.iter().enumerate() {
        let row = i as u32 + 1;
        let d = &entry.dossier;
        sheet.write_string_with_format(row, 0, &d.code, &f.text)?;
        let unit = reporter_name(entry.reporter, config);
        sheet.write_string_with_format(row, 1, &d.procedure, &f.wrap)?;
        sheet.write_string_with_format(row, 2, &unit, &f.wrap)?;
        sheet.set_row_height(
            row,
            height(&[(&d.procedure, COLUMNS[1].1), (&unit, COLUMNS[2].1)]),
        )?;
        for (col, moment) in [(3u16, d.deadline), (4, d.result)] {
            let value =
                ExcelDateTime::parse_from_str(&moment.format("%Y-%m-%dT%H:%M:%S").to_string())?;
            sheet.write_datetime_with_format(row, col, &value, &f.datetime)?;
        }
        sheet.write_string_with_format(row, 5, format_lateness(entry.lateness), &f.text)?;
        sheet.write_number_with_format(row, 6, entry.lateness.num_minutes() as f64, &f.integer)?;
    }
    Ok(())
}

fn submissions_sheet(
    sheet: &mut Worksheet,
    config: &Config,
    intake: &Intake,
    rates: &SubmissionRates,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Bài nộp")?;
    const COLUMNS: [(&str, f64); 10] = [
        ("STT", 6.0),
        ("Tệp", 36.0),
        ("Đơn vị", 36.0),
        ("Kỳ báo cáo", 11.0),
        ("Ngày lập", 12.0),
        ("Tình trạng", 30.0),
        ("Số lỗi", 8.0),
        ("Số cảnh báo", 10.0),
        ("Hạn nộp", 12.0),
        ("Biểu mẫu", 24.0),
    ];
    headers(sheet, &COLUMNS, f)?;
    let width = |col: usize| COLUMNS[col].1;
    let missing: Vec<usize> = intake
        .missing
        .iter()
        .copied()
        .filter(|index| !intake.rejected_units.contains(index))
        .collect();
    list_body(
        sheet,
        0,
        &[
            &f.list_text,
            &f.list_wrap,
            &f.list_wrap,
            &f.list_text,
            &f.list_date,
            &f.list_wrap,
            &f.list_integer,
            &f.list_integer,
            &f.list_text,
            &f.list_wrap,
        ],
        (intake.records.len() + missing.len()) as u32,
    )?;
    let mut row = 1u32;
    for record in &intake.records {
        sheet.write_number(row, 0, row as f64)?;
        sheet.write_string(row, 1, &record.file)?;
        let unit = record
            .reporter
            .map(|r| reporter_name(r, config))
            .unwrap_or_default();
        sheet.write_string(row, 2, &unit)?;
        sheet.write_string(
            row,
            3,
            record.period.map(|p| p.to_string()).unwrap_or_default(),
        )?;
        if let Some(date) = record.prepared_on {
            let value =
                ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
            sheet.write_datetime(row, 4, &value)?;
        }
        let status = record.status.label();
        sheet.write_string(row, 5, &status)?;
        sheet.set_row_height(
            row,
            height(&[
                (&record.file, width(1)),
                (&unit, width(2)),
                (&status, width(5)),
            ]),
        )?;
        if let Some(form) = record.form {
            sheet.write_string(row, 9, form.label())?;
        }
        sheet.write_number(row, 6, record.errors as f64)?;
        sheet.write_number(row, 7, record.warnings as f64)?;
        match (
            matches!(
                record.status,
                RecordStatus::Accepted | RecordStatus::FiguresWithheld
            ),
            record.reporter,
            rates.deadline,
        ) {
            (true, Some(Reporter::Unit(index)), Some(_)) if rates.late_units.contains(&index) => {
                sheet.write_string_with_format(row, 8, "Nộp muộn", &f.late_list_text)?;
            }
            (true, Some(Reporter::Unit(_)), Some(_)) => {
                sheet.write_string(row, 8, "Đúng hạn")?;
            }
            _ => {}
        }
        row += 1;
    }
    for &index in &missing {
        let unit = reporter_name(Reporter::Unit(index), config);
        sheet.write_number(row, 0, row as f64)?;
        sheet.write_string(row, 2, &unit)?;
        sheet.set_row_height(row, height(&[(&unit, width(2))]))?;
        sheet.write_string(row, 5, "Chưa nộp")?;
        row += 1;
    }
    if row > 1 {
        sheet.autofilter(0, 0, row - 1, 8)?;
    }
    Ok(())
}

fn comparison_sheet(
    sheet: &mut Worksheet,
    comparison: &Comparison,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("So sánh")?;
    headers(
        sheet,
        &[
            ("Chỉ tiêu (toàn Sở)", 44.0),
            ("Tháng này", 12.0),
            ("Tháng trước", 12.0),
            ("Thay đổi", 11.0),
            ("Cùng kỳ năm trước", 12.0),
            ("Thay đổi", 11.0),
            ("Lũy kế từ đầu năm", 13.0),
            ("Cách tính lũy kế", 36.0),
        ],
        f,
    )?;
    for (i, figure) in crate::model::STANDARD_FIGURES.iter().enumerate() {
        let (code, label) = (figure.code, figure.label);
        let row = i as u32 + 1;
        let now = comparison.current.get(code).unwrap_or(0);
        sheet.write_string_with_format(row, 0, label, &f.wrap)?;
        sheet.set_row_height(row, height(&[(label, 44.0)]))?;
        sheet.write_number_with_format(row, 1, now as f64, &f.integer)?;
        for (col, base) in [
            (2u16, comparison.previous),
            (4, comparison.same_month_last_year),
        ] {
            match base {
                Some(base) => {
                    let before = base.get(code).unwrap_or(0);
                    sheet.write_number_with_format(row, col, before as f64, &f.integer)?;
                    match change_tenths(now, before) {
                        Some(t) => sheet.write_number_with_format(
                            row,
                            col + 1,
                            t as f64 / 1000.0,
                            &f.signed_percent,
                        )?,
                        None => sheet.write_blank(row, col + 1, &f.signed_percent)?,
                    };
                }
                None => {
                    sheet.write_blank(row, col, &f.integer)?;
                    sheet.write_blank(row, col + 1, &f.signed_percent)?;
                }
            }
        }
        sheet.write_number_with_format(
            row,
            6,
            comparison.year_to_date.get(code).unwrap_or(0) as f64,
            &f.integer,
        )?;
        // Each code's own rule over months (model::codes): a stock is not a sum.
        sheet.write_string_with_format(row, 7, figure.over_time.label(), &f.text)?;
    }
    let months: Vec<String> = comparison
        .months_with_figures
        .iter()
        .map(u32::to_string)
        .collect();
    sheet.write_string_with_format(
        STANDARD_CODES_LEN + 2,
        0,
        format!("Lũy kế gồm các tháng có số liệu: {}", months.join(", ")),
        &f.text,
    )?;
    sheet.write_string_with_format(
        STANDARD_CODES_LEN + 3,
        0,
        "Số phát sinh trong tháng được cộng dồn; số hồ sơ tồn (đang giải quyết, chuyển sang) không cộng dồn, xem cột «Cách tính lũy kế».",
        &f.text,
    )?;
    Ok(())
}

const STANDARD_CODES_LEN: u32 = crate::model::STANDARD_CODES.len() as u32;

fn rates_sheet(
    sheet: &mut Worksheet,
    rates: &SubmissionRates,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name("Tỷ lệ nộp báo cáo")?;
    headers(sheet, &[("Chỉ tiêu", 44.0), ("Giá trị", 16.0)], f)?;
    let counts = [
        ("Số đơn vị phải báo cáo", rates.expected),
        ("Số đơn vị đã nộp báo cáo", rates.submitted),
        ("Số đơn vị nộp đúng hạn", rates.on_time),
    ];
    for (i, (label, value)) in counts.iter().enumerate() {
        sheet.write_string_with_format(i as u32 + 1, 0, *label, &f.text)?;
        sheet.write_number_with_format(i as u32 + 1, 1, *value as f64, &f.integer)?;
    }
    for (row, label, rate) in [
        (
            4u32,
            "Tỷ lệ báo cáo (đã nộp ÷ phải nộp)",
            rates.reporting_rate,
        ),
        (
            5,
            "Tỷ lệ đúng hạn (đúng hạn ÷ phải nộp)",
            rates.on_time_rate,
        ),
    ] {
        sheet.write_string_with_format(row, 0, label, &f.total_text)?;
        match share_value(rate) {
            Some(v) => sheet.write_number_with_format(row, 1, v, &f.total_percent)?,
            None => sheet.write_string_with_format(row, 1, "không tính được", &f.total_text)?,
        };
    }
    sheet.write_string_with_format(6, 0, "Hạn nộp", &f.text)?;
    match rates.deadline {
        Some(date) => {
            let value = ExcelDateTime::parse_from_str(&date.format("%Y-%m-%d").to_string())?;
            sheet.write_datetime_with_format(6, 1, &value, &f.date)?;
        }
        None => {
            sheet.write_string_with_format(6, 1, "không đặt", &f.text)?;
        }
    }
    // Reports with an error were submitted: their own line, never counted as missing.
    let breakdown = [
        (
            "trong đó: báo cáo hợp lệ",
            rates.submitted - rates.with_errors.len(),
        ),
        ("trong đó: báo cáo có lỗi", rates.with_errors.len()),
        (
            "Số đơn vị chưa nộp",
            rates.expected.saturating_sub(rates.submitted),
        ),
    ];
    for (i, (label, value)) in breakdown.iter().enumerate() {
        let row = 7 + i as u32;
        sheet.write_string_with_format(row, 0, *label, &f.text)?;
        sheet.write_number_with_format(row, 1, *value as f64, &f.integer)?;
    }
    Ok(())
}

fn messages_sheet(sheet: &mut Worksheet, intake: &Intake, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("Kiểm tra")?;
    const COLUMNS: [(&str, f64); 6] = [
        ("Mức độ", 11.0),
        ("Mã lỗi", 18.0),
        ("Tệp", 30.0),
        ("Trang", 20.0),
        ("Ô", 9.0),
        ("Nội dung", 80.0),
    ];
    headers(sheet, &COLUMNS, f)?;
    for (i, message) in intake.messages.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string_with_format(row, 0, message.severity.label(), &f.text)?;
        sheet.write_string_with_format(row, 1, message.code, &f.text)?;
        sheet.write_string_with_format(row, 2, &message.location.file, &f.wrap)?;
        sheet.write_string_with_format(
            row,
            3,
            message.location.sheet.clone().unwrap_or_default(),
            &f.text,
        )?;
        sheet.write_string_with_format(
            row,
            4,
            message.location.cell.clone().unwrap_or_default(),
            &f.text,
        )?;
        sheet.write_string_with_format(row, 5, &message.text, &f.wrap)?;
        sheet.set_row_height(
            row,
            height(&[
                (&message.location.file, COLUMNS[2].1),
                (&message.text, COLUMNS[5].1),
            ]),
        )?;
    }
    if !intake.messages.is_empty() {
        sheet.autofilter(0, 0, intake.messages.len() as u32, 5)?;
    }
    Ok(())
}
