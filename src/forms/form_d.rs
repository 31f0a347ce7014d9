//! Form D, a school's statistics: `Thông tin` naming the school (pre-filled from the registry
//! and locked, or open with drop-down lists in the blank form for any school) and `Số liệu`
//! listing the codes the school reports, only the values open. Each value cell says what it
//! counts and which figure it may not exceed, the rules the reader rejects a file for.

use anyhow::{Context, Result};
use rust_xlsxwriter::Workbook;

use super::guide::GuideContext;
use super::guide_sheet::add_guide_sheet;
use super::info_sheet::{add_info_sheet, InfoValue};
use super::inputs::{input_cells, Input, InputKind};
use super::marker::{add_marker_sheet, Marker};
use super::style::{self, Formats};
use super::table_sheet::{add_heading, FIGURE_SHEET_COLUMNS, HEADER_ROW};
use super::{FormLetter, FormSetup};
use crate::render::xlsx::row_height::height;
use crate::schools::codes::{self, CONSISTENCY, MAX_STANDARD_LEVEL, STANDARD_LEVEL_CODE};
use crate::schools::form_d::FIGURES_SHEET;
use crate::schools::{Level, Ownership, SchoolInfo, Targets};

/// One row of `Số liệu`.
struct FigureRow {
    code: String,
    label: String,
    measure: String,
}

/// Writes Form D for `school`, or the blank form any school can fill when `None`. `wards`
/// feeds the drop-down list of the blank form's Xã/phường (free text when empty).
pub fn write_form_d(
    setup: &FormSetup,
    school: Option<&SchoolInfo>,
    targets: &Targets,
    wards: &[String],
) -> Result<Vec<u8>> {
    let who = school.map_or_else(|| "mọi trường".to_string(), |s| s.name.clone());
    build(setup, school, targets, wards).with_context(|| format!("tạo Biểu D của {who}"))
}

fn build(
    setup: &FormSetup,
    school: Option<&SchoolInfo>,
    targets: &Targets,
    wards: &[String],
) -> Result<Vec<u8>> {
    let rows = figure_rows(school.map(|s| s.level), targets);
    let mut context = setup.context(None);
    if let Some(school) = school {
        context.don_vi = school.name.clone();
        context.ma_don_vi = school.code.clone();
    }
    context.so_nhiem_vu = rows.len();
    let formats = Formats::new();
    let password = setup.password();
    let hint = |key: &str| setup.guide.hint(key, &context);

    let mut workbook = Workbook::new();
    let title = match school {
        Some(s) => format!("Thống kê {} — {}", setup.period.in_text(), s.name),
        None => format!("Thống kê trường học {}", setup.period.in_text()),
    };
    super::properties(&mut workbook, FormLetter::D, &title, setup.period)?;
    let page = setup.guide.page(FormLetter::D, &context)?;
    add_guide_sheet(&mut workbook, &page, &formats, password)?;

    let text = |key: &str, title: &str| -> Result<InfoValue> {
        Ok(InfoValue::Input(Input::new(
            InputKind::Text,
            title,
            hint(key)?,
        )))
    };
    let list = |key: &str, title: &str, items: Vec<String>| -> Result<InfoValue> {
        Ok(InfoValue::Input(Input::new(
            InputKind::List {
                items,
                strict: true,
            },
            title,
            hint(key)?,
        )))
    };
    let mut fields: Vec<(&str, InfoValue)> = match school {
        Some(s) => vec![
            ("Mã trường", InfoValue::Fixed(s.code.clone())),
            ("Tên trường", InfoValue::Fixed(s.name.clone())),
            ("Cấp học", InfoValue::Fixed(s.level.label().to_string())),
            (
                "Loại hình",
                InfoValue::Fixed(s.ownership.label().to_string()),
            ),
            ("Xã/phường", InfoValue::Fixed(s.ward.clone())),
        ],
        None => vec![
            ("Mã trường", text("ma_truong", "Mã trường")?),
            ("Tên trường", text("ten_truong", "Tên trường")?),
            (
                "Cấp học",
                list(
                    "cap_hoc",
                    "Cấp học",
                    Level::ALL.iter().map(|l| l.label().to_string()).collect(),
                )?,
            ),
            (
                "Loại hình",
                list(
                    "loai_hinh",
                    "Loại hình",
                    Ownership::ALL
                        .iter()
                        .map(|o| o.label().to_string())
                        .collect(),
                )?,
            ),
            (
                "Xã/phường",
                if wards.is_empty() || wards.join(",").chars().count() > 255 {
                    // Excel keeps a literal list to 255 characters; longer lists go free text.
                    text("xa_phuong", "Xã/phường")?
                } else {
                    InfoValue::Input(Input::new(
                        InputKind::List {
                            items: wards.to_vec(),
                            strict: false,
                        },
                        "Xã/phường",
                        hint("xa_phuong")?,
                    ))
                },
            ),
        ],
    };
    fields.push(("Kỳ báo cáo", InfoValue::Fixed(context.ky.clone())));
    fields.push(("Người lập", text("nguoi_lap", "Người lập")?));
    fields.push((
        "Ngày lập",
        InfoValue::Input(Input::new(
            InputKind::Date {
                from: setup.period.first_day(),
            },
            "Ngày lập",
            hint("ngay_lap")?,
        )),
    ));
    add_info_sheet(&mut workbook, &fields, &formats, password)?;
    figures_sheet(&mut workbook, setup, school, &rows, &context, &formats)?;

    let mut extra = vec![("ky".to_string(), setup.period.slug())];
    if let Some(s) = school {
        extra.push(("truong".to_string(), s.code.clone()));
    }
    add_marker_sheet(&mut workbook, &Marker::current(FormLetter::D, extra))?;
    Ok(workbook.save_to_buffer()?)
}

/// The codes a school of `level` reports (every code for the blank form): the standard ones
/// of its level, then the codes the targets file adds for indicators that apply to it.
fn figure_rows(level: Option<Level>, targets: &Targets) -> Vec<FigureRow> {
    let mut rows: Vec<FigureRow> = codes::STANDARD_CODES
        .iter()
        .filter(|spec| level.is_none_or(|l| spec.levels.contains(&l)))
        .map(|spec| FigureRow {
            code: spec.code.to_string(),
            label: spec.label.to_string(),
            measure: spec.measure.to_string(),
        })
        .collect();
    for indicator in &targets.indicators {
        if level.is_some_and(|l| !indicator.levels.contains(&l)) {
            continue;
        }
        for code in indicator.codes() {
            if codes::standard(code).is_none() && !rows.iter().any(|r| r.code == code) {
                rows.push(FigureRow {
                    code: code.to_string(),
                    label: format!("{} (chỉ tiêu bổ sung)", indicator.name),
                    measure: indicator.counted.clone(),
                });
            }
        }
    }
    rows
}

/// What a value cell's input message says: what it counts, and what it may not exceed.
fn meaning(row: &FigureRow, base: &str) -> String {
    let limits: Vec<String> = CONSISTENCY
        .iter()
        .filter(|rule| rule.part == row.code)
        .map(|rule| {
            let label = codes::standard(rule.whole).map_or(rule.whole, |s| s.label);
            format!("{} ({})", label.to_lowercase(), rule.whole)
        })
        .collect();
    let mut text = format!("{} ({}). {base}", row.label, row.measure);
    if !limits.is_empty() {
        text.push_str(&format!(" Không nhiều hơn {}.", limits.join(", ")));
    }
    text
}

fn figures_sheet(
    workbook: &mut Workbook,
    setup: &FormSetup,
    school: Option<&SchoolInfo>,
    rows: &[FigureRow],
    context: &GuideContext,
    f: &Formats,
) -> Result<()> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(FIGURES_SHEET)?;
    let subtitle = school.map_or_else(
        || "Dòng không thuộc cấp học của trường thì để trống".to_string(),
        |s| format!("{} — {}, {}", s.name, s.level.label(), s.ward),
    );
    add_heading(
        sheet,
        &format!("THỐNG KÊ TRƯỜNG HỌC {}", setup.period.heading()),
        &subtitle,
        &FIGURE_SHEET_COLUMNS,
        f,
    )?;
    let base = setup.guide.hint("so_lieu_truong", context)?;
    for (i, row) in rows.iter().enumerate() {
        let at = HEADER_ROW + 1 + i as u32;
        sheet.write_string_with_format(at, 0, &row.code, &f.fixed_centre)?;
        sheet.write_string_with_format(at, 1, &row.label, &f.fixed)?;
        sheet.set_row_height(at, height(&[(&row.label, FIGURE_SHEET_COLUMNS[1].1)]))?;
        let kind = if row.code == STANDARD_LEVEL_CODE {
            InputKind::WholeBetween {
                min: 0,
                max: MAX_STANDARD_LEVEL as i32,
            }
        } else {
            InputKind::Whole { min: 0 }
        };
        let input = Input::new(kind, row.code.as_str(), meaning(row, &base));
        input_cells(sheet, (at, at), 2, &input, f)?;
        sheet.write_string_with_format(at, 3, &row.measure, &f.fixed_centre)?;
        sheet.write_blank(at, 4, &f.fixed)?;
    }
    style::page_setup(sheet, false, Some(HEADER_ROW))?;
    style::protect(sheet, setup.password());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schools::targets::BUILTIN_TARGETS;

    fn targets() -> Targets {
        Targets::from_toml(BUILTIN_TARGETS).expect("shipped targets")
    }

    #[test]
    fn a_school_lists_exactly_the_codes_its_level_must_report() {
        let primary = figure_rows(Some(Level::Primary), &targets());
        let codes: Vec<&str> = primary.iter().map(|r| r.code.as_str()).collect();
        assert!(codes.contains(&"HS_LOP1_6_TUOI"));
        assert!(codes.contains(&STANDARD_LEVEL_CODE));
        assert!(!codes.contains(&"TRE_5_TUOI"), "{codes:?}");
        let required = codes::STANDARD_CODES
            .iter()
            .filter(|s| s.levels.contains(&Level::Primary))
            .count();
        assert_eq!(codes.len(), required);
        assert_eq!(
            figure_rows(None, &targets()).len(),
            codes::STANDARD_CODES.len()
        );
    }

    #[test]
    fn extra_codes_of_the_targets_file_are_listed_where_they_apply() {
        let text = format!(
            "{BUILTIN_TARGETS}\n[[indicator]]\ncode = \"X\"\nname = \"Trẻ khuyết tật học hòa nhập\"\nnumerator = \"TRE_KT_HOA_NHAP\"\ndenominator = \"TRE_KT\"\nlevels = [\"Mầm non\"]\ncounted = \"trẻ\"\n"
        );
        let targets = Targets::from_toml(&text).expect("extended targets");
        let preschool = figure_rows(Some(Level::Preschool), &targets);
        let extra: Vec<&FigureRow> = preschool
            .iter()
            .filter(|r| r.code.starts_with("TRE_KT"))
            .collect();
        assert_eq!(extra.len(), 2);
        assert!(extra[0].label.starts_with("Trẻ khuyết tật học hòa nhập"));
        assert!(!figure_rows(Some(Level::Primary), &targets)
            .iter()
            .any(|r| r.code.starts_with("TRE_KT")));
    }

    #[test]
    fn value_messages_name_the_figures_they_may_not_exceed() {
        let row = FigureRow {
            code: "GV_DAT_CHUAN".into(),
            label: "Giáo viên đạt chuẩn".into(),
            measure: "người".into(),
        };
        let text = meaning(&row, "Số nguyên.");
        assert!(
            text.contains("Không nhiều hơn giáo viên (GIAO_VIEN)"),
            "{text}"
        );
    }
}
