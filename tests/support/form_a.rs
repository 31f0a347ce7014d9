//! Sample Form A submissions ("Báo cáo tháng của đơn vị", see shared/FORMS.md) kept as TOML
//! under `samples/<YYYY-MM>/`, and a writer that turns one into the .xlsx workbook a unit would
//! send in.
//!
//! Self-contained on purpose: it depends only on rust_xlsxwriter, serde, toml, anyhow and
//! chrono, never on the baocao library, so that the sample input can be written even while
//! the library does not build, and so that the workbooks are an independent check of the
//! library's reader. Included with `#[path]` by `examples/make_sample_input.rs` and by
//! `tests/sample_input.rs`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use serde::Deserialize;

/// One unit's monthly submission (Form A), as written in a `samples/*/*.toml` file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleSubmission {
    /// File name of the workbook to write (free text, may contain Vietnamese).
    pub file: String,
    /// Sheet `Thông tin`: (Trường, Giá trị) pairs, in order.
    pub info: Vec<(String, String)>,
    /// Sheet `Số liệu`.
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// Sheet `Kết quả`: main tasks done this month.
    #[serde(default)]
    pub results: Vec<Task>,
    /// Sheet `Tồn tại` (written only when not empty).
    #[serde(default)]
    pub shortcomings: Vec<Shortcoming>,
    /// Sheet `Nhiệm vụ tháng sau`.
    #[serde(default)]
    pub next_tasks: Vec<Task>,
    /// Sheet `Văn bản tham mưu` (written only when not empty).
    #[serde(default)]
    pub advised: Vec<AdvisedDocument>,
    /// Sheet `Hồ sơ quá hạn` (written only when not empty).
    #[serde(default)]
    pub overdue: Vec<OverdueDossier>,
    /// Sheet `Đánh giá chung` (department `SO` only; written only when not empty).
    #[serde(default)]
    pub assessment: Vec<Paragraph>,
    /// Sheet `Nhiệm vụ trọng tâm chung` (department `SO` only; written only when not empty).
    #[serde(default)]
    pub general_tasks: Vec<Paragraph>,
    /// The TOML file this was read from (set by [`load_samples`]).
    #[serde(skip)]
    pub source: PathBuf,
    /// Sheets to leave out of the workbook (by name, e.g. `"Nhiệm vụ tháng sau"`), as a unit
    /// that forgot or deleted one would send it.
    #[serde(skip)]
    pub omit_sheets: Vec<String>,
}

/// A row of `Số liệu`: `Mã` | `Chỉ tiêu` | `Giá trị` | `Đơn vị tính` | `Ghi chú`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub code: String,
    pub label: String,
    pub value: i64,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub note: String,
}

/// A row of `Kết quả` or `Nhiệm vụ tháng sau`: `Lĩnh vực` (optional heading) | `Nội dung`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    #[serde(default)]
    pub field: String,
    pub content: String,
}

/// A row of `Tồn tại`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shortcoming {
    pub content: String,
}

/// A row of `Văn bản tham mưu`; `date` is `YYYY-MM-DD`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvisedDocument {
    pub number: String,
    pub date: String,
    pub issuer: String,
    pub summary: String,
}

/// A row of `Hồ sơ quá hạn`; the date-times are `YYYY-MM-DD HH:MM:SS`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverdueDossier {
    pub code: String,
    pub procedure: String,
    #[serde(default)]
    pub time_limit: String,
    pub received: String,
    pub appointment: String,
    pub deadline: String,
    pub result: String,
    pub returned: String,
}

/// A row of `Đánh giá chung` / `Nhiệm vụ trọng tâm chung`. `(*)` in `content` marks where the
/// footnote's mark goes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paragraph {
    pub content: String,
    #[serde(default)]
    pub footnote: String,
}

impl SampleSubmission {
    /// The value of a `Thông tin` field (`"Mã đơn vị"`, `"Kỳ báo cáo"`, …).
    pub fn info_value(&self, key: &str) -> Option<&str> {
        self.info
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The unit code (`Mã đơn vị`), or "" when absent.
    pub fn unit_code(&self) -> &str {
        self.info_value("Mã đơn vị").unwrap_or("")
    }

    /// The value of a figure by its code.
    pub fn figure(&self, code: &str) -> Option<i64> {
        self.figures
            .iter()
            .find(|f| f.code == code)
            .map(|f| f.value)
    }
}

/// Reads every `*.toml` in `dir`, sorted by file name.
pub fn load_samples(dir: &Path) -> Result<Vec<SampleSubmission>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "toml") {
            paths.push(path);
        }
    }
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    if paths.is_empty() {
        bail!("no .toml sample in {}", dir.display());
    }
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut sub: SampleSubmission =
            toml::from_str(&text).with_context(|| format!("{}: invalid sample", path.display()))?;
        sub.source = path;
        out.push(sub);
    }
    Ok(out)
}

/// Fixed workbook creation time, so that the same sample always gives the same bytes.
fn creation_time() -> Result<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(2025, 12, 1)?.and_hms(8, 0, 0)?)
}

fn parse_date(s: &str) -> Result<ExcelDateTime> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .with_context(|| format!("invalid date {s:?}, expected YYYY-MM-DD"))?;
    date_to_excel(d)
}

fn date_to_excel(d: NaiveDate) -> Result<ExcelDateTime> {
    let year = u16::try_from(d.year()).with_context(|| format!("year out of range in {d}"))?;
    // month() and day() are 1..=12 and 1..=31, so they fit in u8.
    Ok(ExcelDateTime::from_ymd(
        year,
        d.month() as u8,
        d.day() as u8,
    )?)
}

fn parse_datetime(s: &str) -> Result<ExcelDateTime> {
    let dt = NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S")
        .with_context(|| format!("invalid date-time {s:?}, expected YYYY-MM-DD HH:MM:SS"))?;
    // hour() is 0..=23, minute() and second() 0..=59.
    Ok(date_to_excel(dt.date())?.and_hms(dt.hour() as u16, dt.minute() as u8, dt.second())?)
}

/// Spreadsheet row index of the n-th data row (0-based) below a header at `header_row`.
fn row(header_row: u32, n: usize) -> Result<u32> {
    u32::try_from(n)
        .ok()
        .and_then(|n| n.checked_add(header_row + 1))
        .context("too many rows")
}

struct Formats {
    header: Format,
    text: Format,
    title: Format,
    number: Format,
    integer: Format,
    date: Format,
    datetime: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        Formats {
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color("#DDEBF7"),
            text: cell.clone().set_text_wrap(),
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            number: cell.clone().set_num_format("#,##0"),
            integer: cell.clone().set_align(FormatAlign::Center),
            date: cell
                .clone()
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Left),
            datetime: cell
                .set_num_format("dd/mm/yyyy hh:mm:ss")
                .set_align(FormatAlign::Left),
        }
    }
}

/// Writes the header row and column widths of a sheet.
fn header(ws: &mut Worksheet, f: &Formats, header_row: u32, columns: &[(&str, f64)]) -> Result<()> {
    for (col, (name, width)) in columns.iter().enumerate() {
        let col = u16::try_from(col).context("too many columns")?;
        ws.write_string_with_format(header_row, col, *name, &f.header)?;
        ws.set_column_width(col, *width)?;
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    Ok(())
}

fn stt(ws: &mut Worksheet, f: &Formats, r: u32, n: usize) -> Result<()> {
    ws.write_number_with_format(r, 0, (n + 1) as f64, &f.integer)?;
    Ok(())
}

/// A sheet `STT` | `Lĩnh vực` | `Nội dung` (Kết quả, Nhiệm vụ tháng sau).
fn task_sheet(wb: &mut Workbook, f: &Formats, name: &str, tasks: &[Task]) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    header(
        ws,
        f,
        0,
        &[("STT", 6.0), ("Lĩnh vực", 28.0), ("Nội dung", 100.0)],
    )?;
    for (i, t) in tasks.iter().enumerate() {
        let r = row(0, i)?;
        stt(ws, f, r, i)?;
        ws.write_string_with_format(r, 1, &t.field, &f.text)?;
        ws.write_string_with_format(r, 2, &t.content, &f.text)?;
    }
    Ok(())
}

/// A sheet `STT` | `Nội dung` | `Chú thích` (Đánh giá chung, Nhiệm vụ trọng tâm chung).
fn paragraph_sheet(
    wb: &mut Workbook,
    f: &Formats,
    name: &str,
    paragraphs: &[Paragraph],
) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    header(
        ws,
        f,
        0,
        &[("STT", 6.0), ("Nội dung", 110.0), ("Chú thích", 60.0)],
    )?;
    for (i, p) in paragraphs.iter().enumerate() {
        let r = row(0, i)?;
        stt(ws, f, r, i)?;
        ws.write_string_with_format(r, 1, &p.content, &f.text)?;
        ws.write_string_with_format(r, 2, &p.footnote, &f.text)?;
    }
    Ok(())
}

/// The sheets [`write_form_a`] writes for `s`, in order (those in `omit_sheets` included).
pub fn sheet_names(s: &SampleSubmission) -> Vec<&'static str> {
    let mut names = vec!["Thông tin", "Số liệu", "Kết quả"];
    if !s.shortcomings.is_empty() {
        names.push("Tồn tại");
    }
    names.push("Nhiệm vụ tháng sau");
    if !s.advised.is_empty() {
        names.push("Văn bản tham mưu");
    }
    if !s.overdue.is_empty() {
        names.push("Hồ sơ quá hạn");
    }
    if !s.assessment.is_empty() {
        names.push("Đánh giá chung");
    }
    if !s.general_tasks.is_empty() {
        names.push("Nhiệm vụ trọng tâm chung");
    }
    names
}

/// Writes `s` as a Form A workbook at `path`.
pub fn write_form_a(s: &SampleSubmission, path: &Path) -> Result<()> {
    build(s)
        .and_then(|mut wb| Ok(wb.save(path)?))
        .with_context(|| format!("{}: cannot write {}", s.source.display(), path.display()))
}

fn build(s: &SampleSubmission) -> Result<Workbook> {
    let f = Formats::new();
    let keep = |sheet: &str| !s.omit_sheets.iter().any(|o| o == sheet);
    let mut wb = Workbook::new();
    let mut props = DocProperties::new()
        .set_creation_datetime(&creation_time()?)
        .set_author(s.info_value("Người lập").unwrap_or(""))
        .set_company("Sở Giáo dục và Đào tạo thành phố Hải Phòng");
    if let Some(unit) = s.info_value("Tên đơn vị") {
        props = props.set_title(format!("Báo cáo tháng - {unit}"));
    }
    wb.set_properties(&props);

    // Thông tin
    if keep("Thông tin") {
        let ws = wb.add_worksheet();
        ws.set_name("Thông tin")?;
        header(ws, &f, 0, &[("Trường", 22.0), ("Giá trị", 70.0)])?;
        for (i, (k, v)) in s.info.iter().enumerate() {
            let r = row(0, i)?;
            ws.write_string_with_format(r, 0, k, &f.text)?;
            ws.write_string_with_format(r, 1, v, &f.text)?;
        }
    }

    // Số liệu: a merged banner over A1:E1, a blank row, then the header in row 3.
    if keep("Số liệu") {
        let ws = wb.add_worksheet();
        ws.set_name("Số liệu")?;
        let period = s.info_value("Kỳ báo cáo").unwrap_or("").trim();
        let mut title = format!("BÁO CÁO SỐ LIỆU THÁNG {period}");
        if let Some(unit) = s.info_value("Tên đơn vị") {
            title = format!("{title} - {}", unit.to_uppercase());
        }
        ws.merge_range(0, 0, 0, 4, title.trim(), &f.title)?;
        ws.set_row_height(0, 30)?;
        let header_row = 2;
        header(
            ws,
            &f,
            header_row,
            &[
                ("Mã", 18.0),
                ("Chỉ tiêu", 60.0),
                ("Giá trị", 12.0),
                ("Đơn vị tính", 12.0),
                ("Ghi chú", 45.0),
            ],
        )?;
        for (i, fig) in s.figures.iter().enumerate() {
            let r = row(header_row, i)?;
            ws.write_string_with_format(r, 0, &fig.code, &f.text)?;
            ws.write_string_with_format(r, 1, &fig.label, &f.text)?;
            ws.write_number_with_format(r, 2, fig.value as f64, &f.number)?;
            ws.write_string_with_format(r, 3, &fig.unit, &f.text)?;
            ws.write_string_with_format(r, 4, &fig.note, &f.text)?;
        }
    }

    if keep("Kết quả") {
        task_sheet(&mut wb, &f, "Kết quả", &s.results)?;
    }

    if !s.shortcomings.is_empty() && keep("Tồn tại") {
        let ws = wb.add_worksheet();
        ws.set_name("Tồn tại")?;
        header(ws, &f, 0, &[("STT", 6.0), ("Nội dung", 110.0)])?;
        for (i, t) in s.shortcomings.iter().enumerate() {
            let r = row(0, i)?;
            stt(ws, &f, r, i)?;
            ws.write_string_with_format(r, 1, &t.content, &f.text)?;
        }
    }

    if keep("Nhiệm vụ tháng sau") {
        task_sheet(&mut wb, &f, "Nhiệm vụ tháng sau", &s.next_tasks)?;
    }

    if !s.advised.is_empty() && keep("Văn bản tham mưu") {
        let ws = wb.add_worksheet();
        ws.set_name("Văn bản tham mưu")?;
        header(
            ws,
            &f,
            0,
            &[
                ("STT", 6.0),
                ("Số, ký hiệu", 20.0),
                ("Ngày ban hành", 14.0),
                ("Cơ quan ban hành", 20.0),
                ("Trích yếu", 90.0),
            ],
        )?;
        for (i, d) in s.advised.iter().enumerate() {
            let r = row(0, i)?;
            let date = parse_date(&d.date).with_context(|| format!("document {}", d.number))?;
            stt(ws, &f, r, i)?;
            ws.write_string_with_format(r, 1, &d.number, &f.text)?;
            ws.write_datetime_with_format(r, 2, &date, &f.date)?;
            ws.write_string_with_format(r, 3, &d.issuer, &f.text)?;
            ws.write_string_with_format(r, 4, &d.summary, &f.text)?;
        }
    }

    if !s.overdue.is_empty() && keep("Hồ sơ quá hạn") {
        let ws = wb.add_worksheet();
        ws.set_name("Hồ sơ quá hạn")?;
        header(
            ws,
            &f,
            0,
            &[
                ("Mã hồ sơ", 22.0),
                ("Thủ tục", 40.0),
                ("Thời hạn giải quyết", 18.0),
                ("Ngày tiếp nhận", 20.0),
                ("Ngày hẹn trả", 20.0),
                ("Hạn xử lý", 20.0),
                ("Ngày có kết quả", 20.0),
                ("Ngày trả kết quả", 20.0),
            ],
        )?;
        for (i, d) in s.overdue.iter().enumerate() {
            let r = row(0, i)?;
            ws.write_string_with_format(r, 0, &d.code, &f.text)?;
            ws.write_string_with_format(r, 1, &d.procedure, &f.text)?;
            ws.write_string_with_format(r, 2, &d.time_limit, &f.text)?;
            let times = [
                &d.received,
                &d.appointment,
                &d.deadline,
                &d.result,
                &d.returned,
            ];
            for (c, t) in times.into_iter().enumerate() {
                let dt = parse_datetime(t).with_context(|| format!("dossier {}", d.code))?;
                ws.write_datetime_with_format(r, 3 + c as u16, &dt, &f.datetime)?;
            }
        }
    }

    if !s.assessment.is_empty() && keep("Đánh giá chung") {
        paragraph_sheet(&mut wb, &f, "Đánh giá chung", &s.assessment)?;
    }
    if !s.general_tasks.is_empty() && keep("Nhiệm vụ trọng tâm chung") {
        paragraph_sheet(&mut wb, &f, "Nhiệm vụ trọng tâm chung", &s.general_tasks)?;
    }

    Ok(wb)
}
