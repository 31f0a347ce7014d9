//! Blank Form A, a unit's monthly report: `Thông tin` pre-filled with the unit and the
//! period, `Số liệu` listing every standard code with only its value open (plus a few open
//! rows for the unit's own figures), and the list sheets ready to fill. The department's
//! form (`SO`) adds `Đánh giá chung` and `Nhiệm vụ trọng tâm chung` and leaves out `Hồ sơ quá
//! hạn`: the units list the overdue dossiers, and an empty list would contradict its total.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;

use super::guide::GuideContext;
use super::guide_sheet::add_guide_sheet;
use super::info_sheet::{add_info_sheet, InfoValue};
use super::inputs::{input_cells, Input, InputKind};
use super::marker::{add_marker_sheet, Marker};
use super::style::{self, Formats};
use super::table_sheet::{
    add_heading, add_table_sheet, ColumnFill, TableColumn, TableSheet, FIGURE_SHEET_COLUMNS,
    HEADER_ROW,
};
use super::{Addressee, FormLetter, FormSetup};
use crate::model::STANDARD_CODES;
use crate::render::xlsx::row_height::height;
use crate::validate::form_a::sheets;

/// Open rows of each list sheet; a unit needing more inserts rows (protection allows it).
const TASK_ROWS: u32 = 30;
const SHORTCOMING_ROWS: u32 = 10;
const ADVISED_ROWS: u32 = 15;
const OVERDUE_ROWS: u32 = 10;
const PARAGRAPH_ROWS: u32 = 15;
/// Open rows for figures of the unit's own.
const EXTRA_FIGURE_ROWS: u32 = 5;

/// Writes the blank Form A of one unit (or of the department) for the setup's period.
pub fn write_form_a(setup: &FormSetup, who: &Addressee) -> Result<Vec<u8>> {
    build(setup, who).with_context(|| format!("tạo Biểu A của {}", who.name))
}

fn build(setup: &FormSetup, who: &Addressee) -> Result<Vec<u8>> {
    let context = setup.context(Some(who));
    let formats = Formats::new();
    let password = setup.password();
    let hint = |key: &str| setup.guide.hint(key, &context);
    let text = |key: &str, title: &str| -> Result<Input> {
        Ok(Input::new(InputKind::Text, title, hint(key)?))
    };
    let any_date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();

    let mut workbook = Workbook::new();
    super::properties(
        &mut workbook,
        FormLetter::A,
        &format!("Báo cáo {} — {}", setup.period.in_text(), who.name),
        setup.period,
    )?;
    let page = setup.guide.page(FormLetter::A, &context)?;
    add_guide_sheet(&mut workbook, &page, &formats, password)?;
    add_info_sheet(
        &mut workbook,
        &[
            ("Mã đơn vị", InfoValue::Fixed(who.code.clone())),
            ("Tên đơn vị", InfoValue::Fixed(who.name.clone())),
            ("Kỳ báo cáo", InfoValue::Fixed(context.ky.clone())),
            (
                "Người lập",
                InfoValue::Input(text("nguoi_lap", "Người lập")?),
            ),
            (
                "Ngày lập",
                InfoValue::Input(Input::new(
                    InputKind::Date {
                        from: setup.period.first_day(),
                    },
                    "Ngày lập",
                    hint("ngay_lap")?,
                )),
            ),
        ],
        &formats,
        password,
    )?;
    figures_sheet(&mut workbook, setup, who, &context, &formats)?;

    let subtitle = who.name.clone();
    let tasks = |name: &str, title: String, key: &str| -> Result<TableSheet> {
        Ok(TableSheet {
            name: name.to_string(),
            title,
            subtitle: subtitle.clone(),
            columns: vec![
                TableColumn::new("STT", 6.0, ColumnFill::Numbered),
                TableColumn::new(
                    "Lĩnh vực",
                    24.0,
                    ColumnFill::Input(text("linh_vuc", "Lĩnh vực")?),
                ),
                TableColumn::new("Nội dung", 80.0, ColumnFill::Input(text(key, "Nội dung")?)),
            ],
            rows: TASK_ROWS,
            landscape: false,
        })
    };
    let period_title = setup.period.heading();
    let next_title = setup.period.next().heading();
    let mut tables = vec![
        tasks(
            sheets::RESULTS,
            format!("KẾT QUẢ THỰC HIỆN NHIỆM VỤ {period_title}"),
            "ket_qua",
        )?,
        TableSheet {
            name: sheets::SHORTCOMINGS.to_string(),
            title: format!("TỒN TẠI, HẠN CHẾ {period_title}"),
            subtitle: subtitle.clone(),
            columns: vec![
                TableColumn::new("STT", 6.0, ColumnFill::Numbered),
                TableColumn::new(
                    "Nội dung",
                    100.0,
                    ColumnFill::Input(text("ton_tai", "Tồn tại, hạn chế")?),
                ),
            ],
            rows: SHORTCOMING_ROWS,
            landscape: false,
        },
        tasks(
            sheets::NEXT_TASKS,
            format!("NHIỆM VỤ TRỌNG TÂM {next_title}"),
            "nhiem_vu_thang_sau",
        )?,
        TableSheet {
            name: sheets::ADVISED.to_string(),
            title: format!("VĂN BẢN BAN HÀNH THEO THAM MƯU {period_title}"),
            subtitle: subtitle.clone(),
            columns: vec![
                TableColumn::new(
                    "STT",
                    6.0,
                    ColumnFill::Input(Input::new(InputKind::Whole { min: 1 }, "STT", hint("stt")?)),
                ),
                TableColumn::new(
                    "Số, ký hiệu",
                    18.0,
                    ColumnFill::Input(text("so_ky_hieu", "Số, ký hiệu")?),
                ),
                TableColumn::new(
                    "Ngày ban hành",
                    14.0,
                    ColumnFill::Input(Input::new(
                        InputKind::Date { from: any_date },
                        "Ngày ban hành",
                        hint("ngay_ban_hanh")?,
                    )),
                ),
                TableColumn::new(
                    "Cơ quan ban hành",
                    24.0,
                    ColumnFill::Input(text("co_quan_ban_hanh", "Cơ quan ban hành")?),
                ),
                TableColumn::new(
                    "Trích yếu",
                    60.0,
                    ColumnFill::Input(text("trich_yeu", "Trích yếu")?),
                ),
            ],
            rows: ADVISED_ROWS,
            landscape: true,
        },
    ];
    if who.department {
        for (name, title) in [
            (sheets::ASSESSMENT, format!("ĐÁNH GIÁ CHUNG {period_title}")),
            (
                sheets::GENERAL_TASKS,
                format!("NHIỆM VỤ TRỌNG TÂM CHUNG {next_title}"),
            ),
        ] {
            tables.push(TableSheet {
                name: name.to_string(),
                title,
                subtitle: subtitle.clone(),
                columns: vec![
                    TableColumn::new("STT", 6.0, ColumnFill::Numbered),
                    TableColumn::new(
                        "Nội dung",
                        80.0,
                        ColumnFill::Input(text("doan_van", "Đoạn văn")?),
                    ),
                    TableColumn::new(
                        "Chú thích",
                        40.0,
                        ColumnFill::Input(text("chu_thich", "Chú thích")?),
                    ),
                ],
                rows: PARAGRAPH_ROWS,
                landscape: true,
            });
        }
    } else {
        tables.push(overdue_table(setup, &context, &subtitle, &period_title)?);
    }
    for table in &tables {
        add_table_sheet(&mut workbook, table, &formats, password)?;
    }
    add_marker_sheet(
        &mut workbook,
        &Marker::current(
            FormLetter::A,
            vec![
                ("ky".into(), setup.period.slug()),
                ("don-vi".into(), who.code.clone()),
            ],
        ),
    )?;
    Ok(workbook.save_to_buffer()?)
}

fn overdue_table(
    setup: &FormSetup,
    context: &GuideContext,
    subtitle: &str,
    period_title: &str,
) -> Result<TableSheet> {
    let column = |header: &str, width: f64, kind: InputKind, key: &str| -> Result<TableColumn> {
        let message = setup.guide.hint(key, context)?;
        Ok(TableColumn::new(
            header,
            width,
            ColumnFill::Input(Input::new(kind, header, message)),
        ))
    };
    Ok(TableSheet {
        name: sheets::OVERDUE.to_string(),
        title: format!("HỒ SƠ THỦ TỤC HÀNH CHÍNH QUÁ HẠN {period_title}"),
        subtitle: subtitle.to_string(),
        columns: vec![
            column("Mã hồ sơ", 22.0, InputKind::Text, "ma_ho_so")?,
            column("Thủ tục", 34.0, InputKind::Text, "thu_tuc")?,
            column(
                "Thời hạn giải quyết",
                14.0,
                InputKind::Text,
                "thoi_han_giai_quyet",
            )?,
            column(
                "Ngày tiếp nhận",
                17.0,
                InputKind::DateTime,
                "ngay_tiep_nhan",
            )?,
            column("Ngày hẹn trả", 17.0, InputKind::DateTime, "ngay_hen_tra")?,
            column("Hạn xử lý", 17.0, InputKind::DateTime, "han_xu_ly")?,
            column(
                "Ngày có kết quả",
                17.0,
                InputKind::DateTime,
                "ngay_co_ket_qua",
            )?,
            column(
                "Ngày trả kết quả",
                17.0,
                InputKind::DateTime,
                "ngay_tra_ket_qua",
            )?,
        ],
        rows: OVERDUE_ROWS,
        landscape: true,
    })
}

/// `Số liệu`: the standard codes with their labels and measure locked, the values open, each
/// value cell telling what it counts; then open rows for the unit's own figures.
fn figures_sheet(
    workbook: &mut Workbook,
    setup: &FormSetup,
    who: &Addressee,
    context: &GuideContext,
    f: &Formats,
) -> Result<()> {
    let password = setup.password();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheets::FIGURES)?;
    add_heading(
        sheet,
        &format!("SỐ LIỆU {}", setup.period.heading()),
        &who.name,
        &FIGURE_SHEET_COLUMNS,
        f,
    )?;
    let mut row = HEADER_ROW + 1;
    for (code, label) in STANDARD_CODES {
        sheet.write_string_with_format(row, 0, code, &f.fixed_centre)?;
        sheet.write_string_with_format(row, 1, label, &f.fixed)?;
        sheet.set_row_height(row, height(&[(label, FIGURE_SHEET_COLUMNS[1].1)]))?;
        let meaning = setup.guide.figure_meaning(code, context)?;
        let input = Input::new(InputKind::Whole { min: 0 }, code, meaning);
        input_cells(sheet, (row, row), 2, &input, f)?;
        let measure = if code.starts_with("VB_") {
            "văn bản"
        } else {
            "hồ sơ"
        };
        sheet.write_string_with_format(row, 3, measure, &f.fixed_centre)?;
        sheet.write_blank(row, 4, &f.fixed)?;
        row += 1;
    }
    // The explanation stands in `Chỉ tiêu` only: a row without code or value is skipped.
    sheet.write_blank(row, 0, &f.note)?;
    sheet.write_string_with_format(row, 1, "Chỉ tiêu riêng của đơn vị (nếu có)", &f.note)?;
    for col in 2..=4 {
        sheet.write_blank(row, col, &f.note)?;
    }
    let extra = (row + 1, row + EXTRA_FIGURE_ROWS);
    let hint = |key: &str| setup.guide.hint(key, context);
    for (col, kind, title, key) in [
        (0, InputKind::Text, "Mã chỉ tiêu riêng", "ma_rieng"),
        (1, InputKind::Text, "Tên chỉ tiêu", "ten_rieng"),
        (2, InputKind::Whole { min: 0 }, "Giá trị", "gia_tri_rieng"),
        (3, InputKind::Text, "Đơn vị tính", "don_vi_tinh"),
        (4, InputKind::Text, "Ghi chú", "ghi_chu"),
    ] {
        input_cells(sheet, extra, col, &Input::new(kind, title, hint(key)?), f)?;
    }
    style::page_setup(sheet, false, Some(HEADER_ROW))?;
    style::protect(sheet, password);
    Ok(())
}
