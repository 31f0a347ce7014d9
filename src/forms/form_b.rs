//! Blank Form B, an assignment plan: `Thông tin` (number, date, name, issuer, basis, annex
//! title) and `Nhiệm vụ` with the canonical columns of `plan::form_b`, lead and coordinating
//! units offered from the configured units (other names are still accepted: a plan may name
//! a district's offices, and a cell may name several units).

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;

use super::guide_sheet::add_guide_sheet;
use super::info_sheet::{add_info_sheet, InfoValue};
use super::inputs::{Input, InputKind};
use super::lists::{add_unit_list, unit_list_formula};
use super::marker::{add_marker_sheet, Marker};
use super::style::Formats;
use super::table_sheet::{add_table_sheet, ColumnFill, TableColumn, TableSheet};
use super::{FormLetter, FormSetup};
use crate::plan::form_b::TASK_SHEET;

/// Open rows of `Nhiệm vụ`; more can be inserted.
const TASK_ROWS: u32 = 100;

/// Writes the blank Form B.
pub fn write_form_b(setup: &FormSetup) -> Result<Vec<u8>> {
    build(setup).context("tạo Biểu B (kế hoạch)")
}

fn build(setup: &FormSetup) -> Result<Vec<u8>> {
    let context = setup.context(None);
    let formats = Formats::new();
    let password = setup.password();
    let input = |kind: InputKind, title: &str, key: &str| -> Result<Input> {
        Ok(Input::new(kind, title, setup.guide.hint(key, &context)?))
    };
    let any_date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let units = match unit_list_formula(setup.directory) {
        Some(formula) => InputKind::Range { formula },
        None => InputKind::Text,
    };

    let mut workbook = Workbook::new();
    super::properties(
        &mut workbook,
        FormLetter::B,
        "Kế hoạch phân công nhiệm vụ",
        setup.period,
    )?;
    let page = setup.guide.page(FormLetter::B, &context)?;
    add_guide_sheet(&mut workbook, &page, &formats, password)?;
    let field = |title: &'static str, kind: InputKind, key: &str| -> Result<(&str, InfoValue)> {
        Ok((title, InfoValue::Input(input(kind, title, key)?)))
    };
    let fields = [
        field("Số, ký hiệu", InputKind::Text, "so_ky_hieu_ke_hoach")?,
        field(
            "Ngày ban hành",
            InputKind::Date { from: any_date },
            "ngay_ban_hanh_ke_hoach",
        )?,
        field("Tên kế hoạch", InputKind::Text, "ten_ke_hoach")?,
        field("Cơ quan ban hành", InputKind::Text, "co_quan_ke_hoach")?,
        field("Căn cứ", InputKind::Text, "can_cu")?,
        field("Tiêu đề phụ lục", InputKind::Text, "tieu_de_phu_luc")?,
    ];
    add_info_sheet(&mut workbook, &fields, &formats, password)?;

    let column = |header: &str, width: f64, kind: InputKind, key: &str| -> Result<TableColumn> {
        Ok(TableColumn::new(
            header,
            width,
            ColumnFill::Input(input(kind, header, key)?),
        ))
    };
    let table = TableSheet {
        name: TASK_SHEET.to_string(),
        title: "DANH MỤC NHIỆM VỤ".to_string(),
        subtitle: "(Kèm theo Kế hoạch số …)".to_string(),
        columns: vec![
            column("TT", 6.0, InputKind::Whole { min: 1 }, "tt")?,
            column("Mục", 22.0, InputKind::Text, "muc")?,
            column("Nhiệm vụ", 48.0, InputKind::Text, "nhiem_vu")?,
            column("Đơn vị chủ trì", 24.0, units.clone(), "chu_tri")?,
            column("Đơn vị phối hợp", 24.0, units, "phoi_hop")?,
            column("Kết quả / Sản phẩm", 22.0, InputKind::Text, "san_pham")?,
            column("Thời gian thực hiện", 16.0, InputKind::Text, "thoi_gian")?,
            column("Bắt đầu", 10.0, InputKind::Month, "bat_dau")?,
            column("Hoàn thành", 11.0, InputKind::Month, "hoan_thanh")?,
            column("Ghi chú", 14.0, InputKind::Text, "ghi_chu")?,
        ],
        rows: TASK_ROWS,
        landscape: true,
    };
    add_table_sheet(&mut workbook, &table, &formats, password)?;
    add_unit_list(&mut workbook, setup.directory)?;
    add_marker_sheet(&mut workbook, &Marker::current(FormLetter::B, Vec::new()))?;
    Ok(workbook.save_to_buffer()?)
}
