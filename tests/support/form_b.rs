//! Sample assignment plans (Form B, "Kế hoạch phân công nhiệm vụ") and progress reports
//! (Form C, "Tiến độ nhiệm vụ"), see shared/FORMS.md, kept as TOML under `samples/plans/`, and
//! writers that turn them into the .xlsx workbooks a department would drop in `input/`.
//!
//! Self-contained on purpose, like `form_a.rs`: it depends only on rust_xlsxwriter, serde,
//! toml and anyhow, never on the baocao library, so the workbooks are an independent check of
//! the library's reader. Included with `#[path]` by `examples/make_sample_plans.rs` and by the
//! plan tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};
use serde::Deserialize;

/// How the `Nhiệm vụ` sheet is laid out, as the two seed annexes are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// One header row `TT | Mục | Nhiệm vụ | …`; a section row holds only `Mục` (seed 001).
    #[default]
    Sections,
    /// Two header rows, `Thời gian` over `Bắt đầu | Hoàn thành`, then a row numbering the
    /// columns `1 2 3 4 5 6` (seed 003).
    Months,
}

/// One plan, as written in a `samples/plans/*.toml` file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamplePlan {
    /// File name of the workbook to write.
    pub file: String,
    /// Sheet `Thông tin`: (Trường, Giá trị) pairs, in order.
    pub info: Vec<(String, String)>,
    #[serde(default)]
    pub layout: Layout,
    pub tasks: Vec<PlanTask>,
    #[serde(skip)]
    pub source: PathBuf,
}

/// A task row; a change of `section` starts a section row.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTask {
    #[serde(default)]
    pub section: String,
    pub tt: u32,
    pub task: String,
    /// `Đơn vị chủ trì` exactly as the cell holds it (several units on several lines).
    pub lead: String,
    #[serde(default)]
    pub partners: String,
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub note: String,
}

/// One unit's progress report, as written in a `samples/plans/tien-do/*.toml` file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleProgress {
    pub file: String,
    pub info: Vec<(String, String)>,
    pub rows: Vec<ProgressRow>,
    #[serde(skip)]
    pub source: PathBuf,
}

/// A row of `Tiến độ`; `percent` is written as a number (60 means 60%).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressRow {
    pub tt: u32,
    pub status: String,
    #[serde(default)]
    pub percent: Option<f64>,
    /// `Tỷ lệ hoàn thành` typed as text instead (`150%`), written when not empty.
    #[serde(default)]
    pub percent_text: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub note: String,
}

impl SamplePlan {
    /// The value of a `Thông tin` field.
    pub fn info_value(&self, key: &str) -> Option<&str> {
        self.info
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{}: invalid sample", path.display()))
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            paths.push(path);
        }
    }
    paths.sort();
    if paths.is_empty() {
        bail!("no .toml sample in {}", dir.display());
    }
    Ok(paths)
}

/// Reads every plan `*.toml` directly in `dir`, sorted by file name.
pub fn load_plans(dir: &Path) -> Result<Vec<SamplePlan>> {
    toml_files(dir)?
        .into_iter()
        .map(|path| {
            let mut plan: SamplePlan = read_toml(&path)?;
            plan.source = path;
            Ok(plan)
        })
        .collect()
}

/// Reads every progress `*.toml` in `dir`, sorted by file name.
pub fn load_progress(dir: &Path) -> Result<Vec<SampleProgress>> {
    toml_files(dir)?
        .into_iter()
        .map(|path| {
            let mut report: SampleProgress = read_toml(&path)?;
            report.source = path;
            Ok(report)
        })
        .collect()
}

/// A column of the `Nhiệm vụ` sheet: header, width, and the task's value in it.
type Column = (&'static str, f64, fn(&PlanTask) -> String);

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    centre: Format,
    section: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Self {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#DDEBF7"),
            centre: cell.clone().set_align(FormatAlign::Center),
            section: cell.clone().set_bold(),
            text: cell,
        }
    }
}

fn properties(title: &str) -> Result<DocProperties> {
    Ok(DocProperties::new()
        .set_creation_datetime(&ExcelDateTime::from_ymd(2025, 12, 1)?.and_hms(8, 0, 0)?)
        .set_title(title)
        .set_company("Sở Giáo dục và Đào tạo thành phố Hải Phòng"))
}

fn info_sheet(wb: &mut Workbook, f: &Formats, info: &[(String, String)]) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name("Thông tin")?;
    ws.write_string_with_format(0, 0, "Trường", &f.header)?;
    ws.write_string_with_format(0, 1, "Giá trị", &f.header)?;
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 90)?;
    for (i, (k, v)) in info.iter().enumerate() {
        let r = u32::try_from(i + 1).context("too many rows")?;
        ws.write_string_with_format(r, 0, k, &f.text)?;
        ws.write_string_with_format(r, 1, v, &f.text)?;
    }
    Ok(())
}

/// Writes `plan` as a Form B workbook at `path`.
pub fn write_form_b(plan: &SamplePlan, path: &Path) -> Result<()> {
    build_plan(plan)
        .and_then(|mut wb| Ok(wb.save(path)?))
        .with_context(|| format!("{}: cannot write {}", plan.source.display(), path.display()))
}

fn build_plan(plan: &SamplePlan) -> Result<Workbook> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(
        plan.info_value("Tên kế hoạch").unwrap_or("Kế hoạch"),
    )?);
    info_sheet(&mut wb, &f, &plan.info)?;
    let ws = wb.add_worksheet();
    ws.set_name("Nhiệm vụ")?;
    let title = plan
        .info_value("Tiêu đề phụ lục")
        .unwrap_or("DANH MỤC CÁC NHIỆM VỤ");
    match plan.layout {
        Layout::Sections => {
            let has = |pick: fn(&PlanTask) -> &str| plan.tasks.iter().any(|t| !pick(t).is_empty());
            let mut columns: Vec<Column> = vec![
                ("TT", 6.0, |t| t.tt.to_string()),
                ("Mục", 8.0, |_| String::new()),
                ("Nhiệm vụ", 60.0, |t| t.task.clone()),
                ("Đơn vị chủ trì", 24.0, |t| t.lead.clone()),
                ("Đơn vị phối hợp", 30.0, |t| t.partners.clone()),
            ];
            if has(|t| &t.result) {
                columns.push(("Kết quả / Sản phẩm", 40.0, |t| t.result.clone()));
            }
            if has(|t| &t.time) {
                columns.push(("Thời gian thực hiện", 18.0, |t| t.time.clone()));
            }
            if has(|t| &t.start) || has(|t| &t.end) {
                columns.push(("Bắt đầu", 14.0, |t| t.start.clone()));
                columns.push(("Hoàn thành", 14.0, |t| t.end.clone()));
            }
            if has(|t| &t.note) {
                columns.push(("Ghi chú", 20.0, |t| t.note.clone()));
            }
            let last = u16::try_from(columns.len() - 1).context("too many columns")?;
            ws.merge_range(0, 0, 0, last, title, &f.title)?;
            ws.set_row_height(0, 36)?;
            for (c, (name, width, _)) in columns.iter().enumerate() {
                let c = u16::try_from(c).context("too many columns")?;
                ws.write_string_with_format(2, c, *name, &f.header)?;
                ws.set_column_width(c, *width)?;
            }
            ws.set_freeze_panes(3, 0)?;
            let mut r = 3u32;
            let mut section = "";
            for task in &plan.tasks {
                if task.section != section {
                    section = &task.section;
                    ws.write_string_with_format(r, 1, section, &f.section)?;
                    r += 1;
                }
                for (c, (name, _, value)) in columns.iter().enumerate() {
                    let c = u16::try_from(c).context("too many columns")?;
                    if *name == "TT" {
                        ws.write_number_with_format(r, c, f64::from(task.tt), &f.centre)?;
                    } else {
                        ws.write_string_with_format(r, c, value(task), &f.text)?;
                    }
                }
                r += 1;
            }
        }
        Layout::Months => {
            ws.merge_range(0, 0, 0, 5, title, &f.title)?;
            ws.set_row_height(0, 40)?;
            for (c, (name, width)) in [
                ("Số TT", 6.0),
                ("Nội dung công việc", 50.0),
                ("Đơn vị chủ trì", 22.0),
                ("Đơn vị phối hợp", 32.0),
            ]
            .iter()
            .enumerate()
            {
                let c = c as u16;
                ws.merge_range(2, c, 3, c, name, &f.header)?;
                ws.set_column_width(c, *width)?;
            }
            ws.merge_range(2, 4, 2, 5, "Thời gian", &f.header)?;
            ws.write_string_with_format(3, 4, "Bắt đầu", &f.header)?;
            ws.write_string_with_format(3, 5, "Hoàn thành", &f.header)?;
            ws.set_column_width(4, 14)?;
            ws.set_column_width(5, 14)?;
            for c in 0..6u16 {
                ws.write_number_with_format(4, c, f64::from(c + 1), &f.centre)?;
            }
            ws.set_freeze_panes(5, 0)?;
            for (i, task) in plan.tasks.iter().enumerate() {
                let r = 5 + u32::try_from(i).context("too many rows")?;
                ws.write_number_with_format(r, 0, f64::from(task.tt), &f.centre)?;
                ws.write_string_with_format(r, 1, &task.task, &f.text)?;
                ws.write_string_with_format(r, 2, &task.lead, &f.text)?;
                ws.write_string_with_format(r, 3, &task.partners, &f.text)?;
                ws.write_string_with_format(r, 4, &task.start, &f.centre)?;
                ws.write_string_with_format(r, 5, &task.end, &f.centre)?;
            }
        }
    }
    Ok(wb)
}

/// Writes `report` as a Form C workbook at `path`.
pub fn write_form_c(report: &SampleProgress, path: &Path) -> Result<()> {
    build_progress(report)
        .and_then(|mut wb| Ok(wb.save(path)?))
        .with_context(|| {
            format!(
                "{}: cannot write {}",
                report.source.display(),
                path.display()
            )
        })
}

fn build_progress(report: &SampleProgress) -> Result<Workbook> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties("Tiến độ nhiệm vụ")?);
    info_sheet(&mut wb, &f, &report.info)?;
    let ws = wb.add_worksheet();
    ws.set_name("Tiến độ")?;
    for (c, (name, width)) in [
        ("TT", 6.0),
        ("Trạng thái", 18.0),
        ("Tỷ lệ hoàn thành", 12.0),
        ("Kết quả, minh chứng", 70.0),
        ("Ghi chú", 30.0),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *name, &f.header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    let percent = f.centre.clone().set_num_format("0%");
    for (i, row) in report.rows.iter().enumerate() {
        let r = 1 + u32::try_from(i).context("too many rows")?;
        ws.write_number_with_format(r, 0, f64::from(row.tt), &f.centre)?;
        ws.write_string_with_format(r, 1, &row.status, &f.text)?;
        match row.percent {
            _ if !row.percent_text.is_empty() => {
                ws.write_string_with_format(r, 2, &row.percent_text, &f.centre)?
            }
            // A percentage cell, as a clerk would format it: 60% is stored as 0.6.
            Some(p) => ws.write_number_with_format(r, 2, p / 100.0, &percent)?,
            None => ws.write_blank(r, 2, &f.centre)?,
        };
        ws.write_string_with_format(r, 3, &row.evidence, &f.text)?;
        ws.write_string_with_format(r, 4, &row.note, &f.text)?;
    }
    Ok(wb)
}
