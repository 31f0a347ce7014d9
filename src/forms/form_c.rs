//! Form C, a lead unit's progress on a plan for the period, pre-filled: `Thông tin` names the
//! unit, the month and the plan (by its number, else its name, as `plan::form_c` finds it),
//! and `Tiến độ` lists every task the unit leads — `TT`, the task and its deadline locked —
//! with status (drop-down), percentage, result and note open.

use anyhow::{Context, Result};
use rust_xlsxwriter::Workbook;

use super::guide_sheet::add_guide_sheet;
use super::info_sheet::{add_info_sheet, InfoValue};
use super::inputs::{Input, InputKind};
use super::marker::{add_marker_sheet, Marker};
use super::style::Formats;
use super::table_sheet::{add_table_sheet, ColumnFill, TableColumn, TableSheet};
use super::{Addressee, FormLetter, FormSetup};
use crate::config::UnitDirectory;
use crate::plan::form_c::PROGRESS_SHEET;
use crate::plan::{Plan, PlanTask, TaskStatus, UnitGroups, UnitKey};

/// A lead unit of a plan, as a Form C addresses it.
#[derive(Debug, Clone)]
pub struct LeadUnit {
    pub key: UnitKey,
    pub addressee: Addressee,
}

/// The plan's lead units: configured ones in report order, then the names no configuration
/// knows, in order of first appearance, as the plan writes them.
pub fn lead_units(plan: &Plan, directory: &UnitDirectory) -> Vec<LeadUnit> {
    let mut groups = UnitGroups::default();
    for lead in plan.tasks.iter().flat_map(|t| &t.leads) {
        groups.add(lead, directory);
    }
    groups
        .ordered()
        .into_iter()
        .map(|(key, label)| {
            let code = match &key {
                UnitKey::Configured(i) => directory
                    .units()
                    .get(*i)
                    .map(|u| u.code.clone())
                    .unwrap_or_default(),
                UnitKey::Named(_) => String::new(),
            };
            LeadUnit {
                key,
                addressee: Addressee {
                    code,
                    name: label,
                    department: false,
                },
            }
        })
        .collect()
}

/// How a progress report names the plan: its number when it has one, else its name.
pub fn plan_reference(plan: &Plan) -> String {
    let number = plan.info.number.trim();
    if number.chars().any(|c| c.is_ascii_digit()) {
        number.to_string()
    } else {
        plan.info.name.trim().to_string()
    }
}

/// How the guide and the sheet title name the plan: its reference when numbered, else its
/// name (a reference without a number keeps blanks for the clerk, which reads badly here).
fn plan_label(plan: &Plan) -> String {
    if plan.info.number.chars().any(|c| c.is_ascii_digit()) || plan.info.name.trim().is_empty() {
        return plan.reference();
    }
    let mut label = format!("Kế hoạch «{}»", plan.info.name.trim());
    if !plan.info.issuer.trim().is_empty() {
        label.push_str(" của ");
        label.push_str(plan.info.issuer.trim());
    }
    label
}

/// Writes the Form C of one lead unit on one plan.
pub fn write_form_c(setup: &FormSetup, plan: &Plan, lead: &LeadUnit) -> Result<Vec<u8>> {
    build(setup, plan, lead).with_context(|| {
        format!(
            "tạo Biểu C của {} cho kế hoạch {}",
            lead.addressee.name,
            plan_reference(plan)
        )
    })
}

fn build(setup: &FormSetup, plan: &Plan, lead: &LeadUnit) -> Result<Vec<u8>> {
    let who = &lead.addressee;
    let tasks: Vec<&PlanTask> = plan
        .tasks
        .iter()
        .filter(|t| t.is_led_by(&lead.key))
        .collect();
    let reference = plan_reference(plan);
    let mut context = setup.context(Some(who));
    context.ke_hoach = plan_label(plan);
    context.so_nhiem_vu = tasks.len();
    let formats = Formats::new();
    let password = setup.password();
    let input = |kind: InputKind, title: &str, key: &str| -> Result<Input> {
        Ok(Input::new(kind, title, setup.guide.hint(key, &context)?))
    };

    let mut workbook = Workbook::new();
    super::properties(
        &mut workbook,
        FormLetter::C,
        &format!("Tiến độ {} — {}", setup.period.in_text(), who.name),
        setup.period,
    )?;
    let page = setup.guide.page(FormLetter::C, &context)?;
    add_guide_sheet(&mut workbook, &page, &formats, password)?;
    add_info_sheet(
        &mut workbook,
        &[
            ("Mã đơn vị", InfoValue::Fixed(who.code.clone())),
            ("Tên đơn vị", InfoValue::Fixed(who.name.clone())),
            ("Kỳ báo cáo", InfoValue::Fixed(context.ky.clone())),
            ("Kế hoạch", InfoValue::Fixed(reference.clone())),
            (
                "Người lập",
                InfoValue::Input(input(InputKind::Text, "Người lập", "nguoi_lap")?),
            ),
            (
                "Ngày lập",
                InfoValue::Input(input(
                    InputKind::Date {
                        from: setup.period.first_day(),
                    },
                    "Ngày lập",
                    "ngay_lap",
                )?),
            ),
        ],
        &formats,
        password,
    )?;

    let deadline = |t: &PlanTask| {
        if t.end_text.trim().is_empty() {
            t.time_text.clone()
        } else {
            t.end_text.clone()
        }
    };
    let statuses: Vec<String> = TaskStatus::ALL
        .iter()
        .map(|s| s.label().to_string())
        .collect();
    let table = TableSheet {
        name: PROGRESS_SHEET.to_string(),
        title: format!("TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ {}", setup.period.heading()),
        subtitle: format!("{} — {}", who.name, context.ke_hoach),
        columns: vec![
            TableColumn::new(
                "TT",
                6.0,
                ColumnFill::Fixed {
                    values: tasks.iter().map(|t| t.number.to_string()).collect(),
                    centred: true,
                },
            ),
            TableColumn::new(
                "Nhiệm vụ",
                50.0,
                ColumnFill::Fixed {
                    values: tasks.iter().map(|t| t.content.clone()).collect(),
                    centred: false,
                },
            ),
            TableColumn::new(
                "Thời hạn",
                14.0,
                ColumnFill::Fixed {
                    values: tasks.iter().map(|t| deadline(t)).collect(),
                    centred: true,
                },
            ),
            TableColumn::new(
                "Trạng thái",
                17.0,
                ColumnFill::Input(input(
                    InputKind::List {
                        items: statuses,
                        strict: true,
                    },
                    "Trạng thái",
                    "trang_thai",
                )?),
            ),
            TableColumn::new(
                "Tỷ lệ hoàn thành",
                11.0,
                ColumnFill::Input(input(InputKind::Percent, "Tỷ lệ hoàn thành", "ty_le")?),
            ),
            TableColumn::new(
                "Kết quả, minh chứng",
                40.0,
                ColumnFill::Input(input(InputKind::Text, "Kết quả, minh chứng", "minh_chung")?),
            ),
            TableColumn::new(
                "Ghi chú",
                16.0,
                ColumnFill::Input(input(InputKind::Text, "Ghi chú", "ghi_chu")?),
            ),
        ],
        rows: tasks.len() as u32,
        landscape: true,
    };
    add_table_sheet(&mut workbook, &table, &formats, password)?;
    add_marker_sheet(
        &mut workbook,
        &Marker::current(
            FormLetter::C,
            vec![
                ("ky".into(), setup.period.slug()),
                ("ke-hoach".into(), reference),
                ("don-vi".into(), who.name.clone()),
            ],
        ),
    )?;
    Ok(workbook.save_to_buffer()?)
}
