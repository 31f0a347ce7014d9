//! Form B, an assignment plan ("Kế hoạch phân công nhiệm vụ"): the `Thông tin` and
//! `Nhiệm vụ` sheets read into a [`Plan`], every problem reported once at its cell.
//!
//! Accepted beyond the letter of FORMS.md, because that is how plans are typed: a two-row
//! header with `Thời gian` over `Bắt đầu | Hoàn thành` (seed 003), a row numbering the
//! columns (`1 2 3 4 5 6`) under the header, section rows written in the `TT` column
//! (`I. Nâng cao …`, as a merged banner leaves them) or as a Roman `TT` with the heading in
//! `Nhiệm vụ`, and month cells naming several months (`Tháng 12/2024; T5/2025`).

use super::model::{IssueDate, Plan, PlanInfo, PlanTask, Section};
use super::units::parse_unit_list;
use crate::config::UnitDirectory;
use crate::ingest::{CellValue, ColumnSpec, Sheet, TableView, Workbook};
use crate::text::fold::fold_key;
use crate::validate::cells::{self, SheetRef};
use crate::validate::info::{InfoSheet, INFO_SHEET};
use crate::validate::{Location, Message, Severity};
use crate::vn::Period;

/// The sheet holding the tasks.
pub const TASK_SHEET: &str = "Nhiệm vụ";

pub(crate) const TASK_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("tt", "TT", &["STT", "Số TT", "Số thứ tự"]),
    ColumnSpec::optional("section", "Mục", &["Nhóm nhiệm vụ", "Lĩnh vực", "Phần"]),
    ColumnSpec::required(
        "content",
        "Nhiệm vụ",
        &[
            "Nội dung",
            "Nội dung công việc",
            "Nội dung nhiệm vụ",
            "Tên nhiệm vụ",
            "Công việc",
        ],
    ),
    ColumnSpec::required(
        "lead",
        "Đơn vị chủ trì",
        &[
            "Chủ trì",
            "Đơn vị thực hiện",
            "Cơ quan chủ trì",
            "Phòng, đơn vị chủ trì",
            "Cơ quan, đơn vị chủ trì",
        ],
    ),
    ColumnSpec::optional(
        "partners",
        "Đơn vị phối hợp",
        &["Phối hợp", "Cơ quan phối hợp", "Cơ quan, đơn vị phối hợp"],
    ),
    ColumnSpec::optional(
        "result",
        "Kết quả / Sản phẩm",
        &["Kết quả", "Sản phẩm", "Kết quả dự kiến", "Sản phẩm đầu ra"],
    ),
    ColumnSpec::optional(
        "time",
        "Thời gian thực hiện",
        &["Thời gian", "Thời hạn", "Thời hạn hoàn thành"],
    ),
    ColumnSpec::optional(
        "start",
        "Bắt đầu",
        &["Thời gian bắt đầu", "Tháng bắt đầu", "Từ tháng"],
    ),
    ColumnSpec::optional(
        "end",
        "Hoàn thành",
        &[
            "Thời gian hoàn thành",
            "Tháng hoàn thành",
            "Hạn hoàn thành",
            "Đến tháng",
        ],
    ),
    ColumnSpec::optional("note", "Ghi chú", &[]),
];

/// The month columns on their own, for a header whose months sit one row below the rest.
const MONTH_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required(
        "start",
        "Bắt đầu",
        &["Thời gian bắt đầu", "Tháng bắt đầu", "Từ tháng"],
    ),
    ColumnSpec::required(
        "end",
        "Hoàn thành",
        &[
            "Thời gian hoàn thành",
            "Tháng hoàn thành",
            "Hạn hoàn thành",
            "Đến tháng",
        ],
    ),
];

/// What reading one Form B workbook gave.
#[derive(Debug)]
pub struct PlanOutcome {
    /// The plan, present only when no error was found.
    pub plan: Option<Plan>,
    pub messages: Vec<Message>,
}

/// Reads and checks a Form B workbook. Reading goes on after an error so that all of a
/// file's problems come in one pass; any error rejects the plan.
pub fn parse_form_b(book: &Workbook, file: &str, directory: &UnitDirectory) -> PlanOutcome {
    let mut messages = Vec::new();
    let info = read_info(book, file, &mut messages);
    let (sections, tasks) = read_tasks(book, file, directory, &mut messages);
    let has_error = messages.iter().any(|m| m.severity == Severity::Error);
    let plan = match (info, has_error) {
        (Some(info), false) => Some(Plan {
            source: file.to_string(),
            info,
            sections,
            tasks,
        }),
        _ => None,
    };
    PlanOutcome { plan, messages }
}

fn read_info(book: &Workbook, file: &str, messages: &mut Vec<Message>) -> Option<PlanInfo> {
    if book.sheet(INFO_SHEET).is_none() {
        messages.push(Message::error(
            "thieu-trang",
            Location::file(file),
            format!("Thiếu trang «{INFO_SHEET}» (số, ký hiệu và tên kế hoạch)"),
        ));
        return None;
    }
    let sheet = InfoSheet::read(book, file, messages)?;
    let first = |keys: &[&str]| -> Option<(String, String)> {
        keys.iter()
            .filter_map(|k| sheet.value(k))
            .find(|(v, _)| !v.trim().is_empty())
    };
    let text = |keys: &[&str]| first(keys).map(|(v, _)| v).unwrap_or_default();
    let info = PlanInfo {
        number: text(&["sokyhieu", "sohieu", "kyhieu", "sovanban", "sokehoach"]),
        issued_on: first(&["ngaybanhanh", "ngayky", "ngay"])
            .map(|(v, _)| issue_date(&v))
            .unwrap_or_default(),
        name: text(&["tenkehoach", "trichyeu", "tenvanban", "ten"]),
        issuer: text(&["coquanbanhanh", "coquan", "donvibanhanh"]),
        basis: text(&["cancu", "thuchien"]),
        annex_title: text(&["tieudephuluc", "tenphuluc", "tieudebang", "tieude"]),
    };
    if info.number.trim().is_empty() && info.name.trim().is_empty() {
        messages.push(Message::error(
            "thieu-thong-tin",
            Location::sheet(file, sheet.sheet_name()),
            "Thiếu «Số, ký hiệu» và «Tên kế hoạch»: cần ít nhất một trong hai để nhận ra kế hoạch",
        ));
    }
    Some(info)
}

/// `Ngày ban hành` as far as it can be read; never an error (a draft has no date yet).
fn issue_date(text: &str) -> IssueDate {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return IssueDate::Unknown;
    }
    if let Some(date) = crate::vn::date::parse_date_text(trimmed) {
        return IssueDate::Day(date);
    }
    if trimmed.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(dt) = trimmed
            .parse::<f64>()
            .ok()
            .and_then(|n| crate::vn::date::from_excel_serial(n, false))
        {
            return IssueDate::Day(dt.date());
        }
    }
    if let Some(period) = Period::parse_text(trimmed) {
        return IssueDate::Month(period);
    }
    IssueDate::Text(trimmed.to_string())
}

/// Where the month columns are: in the main header row, or in a sub-header right below it.
struct MonthView<'a> {
    table: Option<TableView<'a>>,
    last_header_row: usize,
}

fn read_tasks(
    book: &Workbook,
    file: &str,
    directory: &UnitDirectory,
    messages: &mut Vec<Message>,
) -> (Vec<Section>, Vec<PlanTask>) {
    let Some(table) = crate::validate::sheets::locate_table(
        book,
        TASK_SHEET,
        TASK_COLUMNS,
        crate::validate::sheets::Need::Required("danh mục nhiệm vụ"),
        file,
        messages,
    ) else {
        return (Vec::new(), Vec::new());
    };
    let mut reader = TaskReader::new(file, directory);
    reader.read_table(&table, &table.sheet.name, Places::Cells, messages);
    reader.finish(Location::sheet(file, &table.sheet.name), messages)
}

/// How messages name a place in a task table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Places {
    /// A workbook's cell address (`C7`).
    Cells,
    /// A Word table's row and the column's name (`dòng 7 › Đơn vị chủ trì`): Word shows no
    /// cell addresses, so the clerk counts rows.
    Rows,
}

impl Places {
    /// The place of a key's cell in a row.
    fn of(self, table: &TableView, row: usize, key: &str) -> String {
        match self {
            Places::Cells => table.address(row, key),
            Places::Rows => format!("dòng {} › {}", row + 1, column_label(key)),
        }
    }

    /// How another message refers to a row already read (`ô A2`, `bảng 2, dòng 5`).
    fn reference(self, table_name: &str, table: &TableView, row: usize, key: &str) -> String {
        match self {
            Places::Cells => format!("ô {}", table.address(row, key)),
            Places::Rows => format!("{table_name}, dòng {}", row + 1),
        }
    }

    /// Where a task is, for later messages about it (`Nhiệm vụ › C7`, `bảng 2 › dòng 7`).
    fn task(self, table_name: &str, table: &TableView, row: usize) -> String {
        match self {
            Places::Cells => format!("{table_name} › {}", table.address(row, "content")),
            Places::Rows => format!("{table_name} › dòng {}", row + 1),
        }
    }
}

/// A column's name as the form prints it.
fn column_label(key: &str) -> &'static str {
    TASK_COLUMNS
        .iter()
        .find(|c| c.key == key)
        .map_or("", |c| c.label)
}

/// Reads task tables into sections and tasks. A plan's tasks may come in several tables (a
/// Word annex split at a page or per section): one reader goes through them all, so that
/// sections carry on and a `TT` used twice is caught across tables.
pub(crate) struct TaskReader<'a> {
    file: &'a str,
    directory: &'a UnitDirectory,
    sections: Vec<Section>,
    tasks: Vec<PlanTask>,
    seen: std::collections::HashMap<u32, String>,
    current_section: Option<usize>,
    /// Leave out a row with an error instead of keeping it for a plan that is rejected
    /// anyway: a Word annex loses that row only.
    drop_bad_rows: bool,
}

impl<'a> TaskReader<'a> {
    pub(crate) fn new(file: &'a str, directory: &'a UnitDirectory) -> Self {
        Self {
            file,
            directory,
            sections: Vec::new(),
            tasks: Vec::new(),
            seen: std::collections::HashMap::new(),
            current_section: None,
            drop_bad_rows: false,
        }
    }

    /// A reader that leaves out each row with an error (see [`TaskReader::drop_bad_rows`]).
    pub(crate) fn dropping_bad_rows(mut self) -> Self {
        self.drop_bad_rows = true;
        self
    }

    /// How many tasks were read so far.
    pub(crate) fn task_count(&self) -> usize {
        self.tasks.len()
    }

    /// The sections and tasks read; `khong-co-nhiem-vu` at `whole` when there is no task and
    /// no other error explains why.
    pub(crate) fn finish(
        self,
        whole: Location,
        messages: &mut Vec<Message>,
    ) -> (Vec<Section>, Vec<PlanTask>) {
        if self.tasks.is_empty() && !messages.iter().any(|m| m.severity == Severity::Error) {
            messages.push(Message::error(
                "khong-co-nhiem-vu",
                whole,
                "Không có nhiệm vụ nào dưới dòng tiêu đề",
            ));
        }
        (self.sections, self.tasks)
    }

    /// Reads the rows of one located task table (`table_name`: the sheet, or `bảng 2`).
    pub(crate) fn read_table(
        &mut self,
        table: &TableView,
        table_name: &str,
        places: Places,
        messages: &mut Vec<Message>,
    ) {
        let file = self.file;
        let directory = self.directory;
        let sheet = table.sheet;
        let at = SheetRef {
            file,
            sheet: table_name,
        };
        let months = month_view(table);
        let time_is_a_banner = months.table.as_ref().is_some_and(|m| {
            table.column("time").is_some()
                && (m.column("start") == table.column("time")
                    || m.column("end") == table.column("time"))
        });
        let header_rows: Vec<usize> = (table.header_row..=months.last_header_row).collect();

        for row in table
            .data_rows()
            .filter(|&row| row > months.last_header_row)
        {
            if is_numbering_row(sheet, row) || repeats_header(sheet, &header_rows, row) {
                continue;
            }
            let errors_before = errors(messages);
            let tt_cell = table.cell(row, "tt");
            let tt_text = cells::text(table, row, "tt", at, messages);
            let section_text = cells::text(table, row, "section", at, messages);
            let content = cells::text(table, row, "content", at, messages);
            let lead_text = cells::text(table, row, "lead", at, messages);

            if let Some(heading) = section_heading(&tt_text, &section_text, &content, &lead_text) {
                self.sections.push(Section { heading });
                self.current_section = Some(self.sections.len() - 1);
                continue;
            }
            if !section_text.is_empty() {
                let same = self
                    .current_section
                    .and_then(|i| self.sections.get(i))
                    .is_some_and(|s| fold_key(&s.heading) == fold_key(&section_text));
                if !same {
                    self.sections.push(Section {
                        heading: section_text.clone(),
                    });
                    self.current_section = Some(self.sections.len() - 1);
                }
            }

            let tt_at = at.at(places.of(table, row, "tt"));
            let number = if tt_text.is_empty() {
                messages.push(Message::error(
                    "thieu-tt",
                    tt_at.clone(),
                    "Nhiệm vụ chưa ghi số thứ tự (TT); báo cáo tiến độ dùng số này để chỉ nhiệm vụ",
                ));
                None
            } else {
                let parsed = super::task_number(tt_cell);
                if parsed.is_none() {
                    messages.push(Message::error(
                        "tt-khong-hop-le",
                        tt_at.clone(),
                        format!("TT «{tt_text}» không phải số thứ tự (1, 2, 3…)"),
                    ));
                }
                parsed
            };
            if let Some(n) = number {
                let here = places.reference(table_name, table, row, "tt");
                if let Some(first) = self.seen.insert(n, here) {
                    messages.push(Message::error(
                        "trung-tt",
                        tt_at.clone(),
                        format!("TT {n} đã dùng ở {first}; mỗi nhiệm vụ một số thứ tự riêng"),
                    ));
                }
            }
            if content.is_empty() {
                messages.push(Message::error(
                    "thieu-nhiem-vu",
                    at.at(places.of(table, row, "content")),
                    format!("Dòng TT {tt_text} chưa ghi nội dung nhiệm vụ"),
                ));
            }
            let leads = parse_unit_list(&lead_text, directory);
            if leads.is_empty() {
                messages.push(Message::error(
                    "thieu-chu-tri",
                    at.at(places.of(table, row, "lead")),
                    format!("Nhiệm vụ TT {tt_text} chưa ghi đơn vị chủ trì"),
                ));
            }
            for lead in &leads {
                if let Some(near) = &lead.near {
                    messages.push(Message::warning(
                        "don-vi-gan-giong",
                        at.at(places.of(table, row, "lead")),
                        format!(
                            "«{}» không có trong danh sách đơn vị; có phải «{near}»? Giữ nguyên tên như đã ghi",
                            lead.written
                        ),
                    ));
                }
            }
            let partners_text = cells::text(table, row, "partners", at, messages);
            let partners = parse_unit_list(&partners_text, directory);
            let mut time_text = if time_is_a_banner {
                String::new()
            } else {
                cells::text(table, row, "time", at, messages)
            };
            let month_table = months.table.as_ref().unwrap_or(table);
            let spread = spread_time(month_table, row);
            let ((start_text, start), (end_text, end)) = match spread {
                Some(text) if time_text.is_empty() => {
                    time_text = text;
                    ((String::new(), None), (String::new(), None))
                }
                _ => (
                    read_months(
                        month_table,
                        row,
                        "start",
                        "Bắt đầu",
                        true,
                        places,
                        at,
                        messages,
                    ),
                    read_months(
                        month_table,
                        row,
                        "end",
                        "Hoàn thành",
                        false,
                        places,
                        at,
                        messages,
                    ),
                ),
            };
            if let (Some(s), Some(e)) = (start, end) {
                if e < s {
                    messages.push(Message::error(
                        "ket-thuc-truoc-bat-dau",
                        at.at(places.of(month_table, row, "end")),
                        format!(
                            "Nhiệm vụ TT {tt_text}: tháng hoàn thành {e} trước tháng bắt đầu {s}"
                        ),
                    ));
                }
            }
            let Some(number) = number else { continue };
            if self.drop_bad_rows && errors(messages) > errors_before {
                continue;
            }
            self.tasks.push(PlanTask {
                number,
                section: self.current_section,
                content,
                leads,
                partners_text,
                partners,
                result: cells::text(table, row, "result", at, messages),
                time_text,
                start_text,
                start,
                end_text,
                end,
                note: cells::text(table, row, "note", at, messages),
                cell: places.task(table_name, table, row),
            });
        }
    }
}

fn errors(messages: &[Message]) -> usize {
    messages
        .iter()
        .filter(|m| m.severity == Severity::Error)
        .count()
}

/// Free text merged across `Bắt đầu | Hoàn thành` (`Thường xuyên` in one cell over both, as
/// baocao's own annex writes a task without months): both cells show the same text, which
/// names no month. It is the task's time, not two bad months.
fn spread_time(table: &TableView, row: usize) -> Option<String> {
    let (start, end) = (table.column("start")?, table.column("end")?);
    if start == end {
        return None;
    }
    let start_text = table.text(row, "start");
    (!start_text.is_empty()
        && start_text == table.text(row, "end")
        && !matches!(table.cell(row, "start"), CellValue::DateTime(_))
        && parse_months(&start_text).is_none())
    .then_some(start_text)
}

/// A header row typed again below the header (a table pasted together from pages): every
/// filled cell says what the header row above it says.
fn repeats_header(sheet: &Sheet, header_rows: &[usize], row: usize) -> bool {
    let mut matched = 0;
    for col in 0..sheet.row_len(row) {
        let cell = fold_key(&sheet.cell(row, col).as_text());
        if cell.is_empty() {
            continue;
        }
        if header_rows
            .iter()
            .any(|&h| fold_key(&sheet.cell(h, col).as_text()) == cell)
        {
            matched += 1;
        } else {
            return false;
        }
    }
    matched >= 2
}

/// Finds `Bắt đầu` / `Hoàn thành` in the main header, or in the row (or two) below it.
fn month_view<'a>(table: &TableView<'a>) -> MonthView<'a> {
    if table.has("start") || table.has("end") {
        return MonthView {
            table: None,
            last_header_row: table.header_row,
        };
    }
    match TableView::locate(table.sheet, MONTH_COLUMNS) {
        Ok(sub) if sub.header_row > table.header_row && sub.header_row <= table.header_row + 2 => {
            let last = sub.header_row;
            MonthView {
                table: Some(sub),
                last_header_row: last,
            }
        }
        _ => MonthView {
            table: None,
            last_header_row: table.header_row,
        },
    }
}

/// Reads a month cell into its written text and a month: the earliest month it names for
/// a start, the latest for an end. A cell that names no month is an error.
#[allow(clippy::too_many_arguments)]
fn read_months(
    table: &TableView,
    row: usize,
    key: &str,
    label: &str,
    earliest: bool,
    places: Places,
    at: SheetRef,
    messages: &mut Vec<Message>,
) -> (String, Option<Period>) {
    let cell = table.cell(row, key);
    let location = at.at(places.of(table, row, key));
    let parsed = match cell {
        CellValue::Empty => return (String::new(), None),
        CellValue::Text(t) if t.trim().is_empty() => return (String::new(), None),
        CellValue::DateTime(dt) => Some(vec![Period::of_date(dt.date())]),
        CellValue::Number(n) if *n > 20_000.0 => {
            crate::vn::date::from_excel_serial(*n, false).map(|dt| vec![Period::of_date(dt.date())])
        }
        CellValue::Error(e) => {
            messages.push(cells::formula_error(location, e));
            return (String::new(), None);
        }
        other => parse_months(&other.as_text()),
    };
    let written = match cell {
        CellValue::DateTime(dt) => Period::of_date(dt.date()).to_string(),
        other => other.as_text(),
    };
    match parsed {
        Some(months) if !months.is_empty() => {
            let month = if earliest {
                months.iter().min()
            } else {
                months.iter().max()
            };
            (written, month.copied())
        }
        _ => {
            messages.push(Message::error(
                "thang-khong-hop-le",
                location,
                format!(
                    "{label} «{written}» không đọc được thành tháng (ví dụ 7/2024, Tháng 7/2024 hoặc một ngày 05/9/2024)"
                ),
            ));
            (written, None)
        }
    }
}

/// Every month a cell names: `Tháng 7/2024`, `T5/2025`, `Ngày 05/9/2024`, several separated
/// by `;`, `,`, new lines or `và`. `None` if any part is not a month.
pub fn parse_months(text: &str) -> Option<Vec<Period>> {
    let mut months = Vec::new();
    for piece in text.split([';', ',', '\n']).flat_map(|p| p.split(" và ")) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        let month = Period::parse_text(piece).or_else(|| {
            // `Ngày 05/9/2024`: the date after the word.
            let (first, tail) = piece.split_once(char::is_whitespace)?;
            if fold_key(first) == "ngay" {
                Period::parse_text(tail.trim())
            } else {
                None
            }
        })?;
        months.push(month);
    }
    (!months.is_empty()).then_some(months)
}

/// A section heading if the row is one: a banner merged across the row; `Mục` alone; a `TT` like `I. Nâng cao …` (a merged
/// banner keeps its text in the first column); a Roman `TT` with the heading in `Nhiệm vụ`;
/// or `Nhiệm vụ` starting `II. …` with neither `TT` nor a lead unit.
fn section_heading(tt: &str, section: &str, content: &str, lead: &str) -> Option<String> {
    // A banner merged across the row shows its text in every cell it covers (Excel's merged
    // range, Word's `gridSpan`): the same text as task and as lead unit is no task.
    if !content.is_empty() && content == lead {
        if tt == content || tt.is_empty() {
            return Some(content.to_string());
        }
        if let Some((numeral, "")) = roman_prefix(tt) {
            return Some(format!("{numeral}. {content}"));
        }
    }
    if !lead.is_empty() {
        return None;
    }
    if !section.is_empty() && tt.is_empty() && content.is_empty() {
        return Some(section.to_string());
    }
    if let Some((numeral, rest)) = roman_prefix(tt) {
        if rest.is_empty() {
            return if content.is_empty() {
                (!section.is_empty()).then(|| format!("{numeral}. {section}"))
            } else {
                Some(format!("{numeral}. {content}"))
            };
        }
        if content.is_empty() && tt.trim_start_matches(numeral).starts_with(['.', ')']) {
            return Some(tt.to_string());
        }
    }
    if tt.is_empty() {
        if let Some((numeral, _)) = roman_prefix(content) {
            if content.trim_start_matches(numeral).starts_with(['.', ')']) {
                return Some(content.to_string());
            }
        }
    }
    None
}

/// A leading Roman numeral (`IV`) followed by `.`, `)`, a space or nothing, and the rest.
fn roman_prefix(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let end = text
        .find(|c: char| !matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
        .unwrap_or(text.len());
    if end == 0 {
        return None;
    }
    let numeral = &text[..end];
    let rest = &text[end..];
    if !(rest.is_empty() || rest.starts_with(['.', ')', ' '])) {
        return None;
    }
    let rest = rest.trim_start_matches(['.', ')']).trim();
    Some((numeral, rest))
}

/// The row under a header that numbers the columns `1 2 3 4 5 6`.
fn is_numbering_row(sheet: &Sheet, row: usize) -> bool {
    let mut expected = 1u32;
    for col in 0..sheet.row_len(row) {
        let cell = sheet.cell(row, col);
        if cell.is_blank() {
            continue;
        }
        if super::task_number(cell) != Some(expected) {
            return false;
        }
        expected += 1;
    }
    expected > 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, BUILTIN_CONFIG};
    use crate::ingest::Sheet;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    fn directory() -> UnitDirectory {
        Config::from_toml(BUILTIN_CONFIG)
            .expect("shipped config")
            .directory()
    }

    fn info() -> Sheet {
        Sheet::from_rows(
            "Thông tin",
            vec![
                vec![t("Trường"), t("Giá trị")],
                vec![t("Số, ký hiệu"), t("354/KH-UBND")],
                vec![t("Ngày ban hành"), t("30/12/2025")],
                vec![t("Tên kế hoạch"), t("Kế hoạch thử")],
                vec![t("Cơ quan ban hành"), t("UBND thành phố")],
            ],
        )
    }

    fn book(rows: Vec<Vec<CellValue>>) -> Workbook {
        Workbook {
            sheets: vec![info(), Sheet::from_rows("Nhiệm vụ", rows)],
        }
    }

    fn codes(messages: &[Message]) -> Vec<&'static str> {
        messages.iter().map(|m| m.code).collect()
    }

    #[test]
    fn seed_003_layout_reads_two_header_rows_numbering_and_month_lists() {
        let rows = vec![
            vec![t("PHÂN CÔNG NHIỆM VỤ")],
            vec![
                t("Số TT"),
                t("Nội dung công việc"),
                t("Đơn vị chủ trì"),
                t("Đơn vị phối hợp"),
                t("Thời gian"),
            ],
            vec![t(""), t(""), t(""), t(""), t("Bắt đầu"), t("Hoàn thành")],
            (1..=6).map(|n| CellValue::Number(n as f64)).collect(),
            vec![
                CellValue::Number(13.0),
                t("Khai giảng năm học mới 2024-2025"),
                t("Phòng Giáo dục và Đào tạo"),
                t("Các trường học"),
                t("Ngày 05/9/2024"),
                t("Ngày  05/9/2024"),
            ],
            vec![],
            vec![
                CellValue::Number(25.0),
                t("Tổ chức kiểm tra đánh giá cuối học kỳ I, cuối năm học."),
                t("Phòng Giáo dục và Đào tạo"),
                t("Các trường Tiểu học, Trung học cơ sở"),
                t("Tháng 12/2024; T5/2025"),
                t("Tháng 12/2024; T5/2025"),
            ],
        ];
        let outcome = parse_form_b(&book(rows), "KH.xlsx", &directory());
        assert_eq!(
            codes(&outcome.messages),
            Vec::<&str>::new(),
            "{:?}",
            outcome.messages
        );
        let plan = outcome.plan.expect("plan read");
        assert_eq!(plan.tasks.len(), 2);
        let first = &plan.tasks[0];
        assert_eq!(first.number, 13);
        assert_eq!(first.start, Period::new(2024, 9));
        assert_eq!(first.end, Period::new(2024, 9));
        assert!(first.time_text.is_empty(), "the banner is not a time");
        let second = &plan.tasks[1];
        assert_eq!(second.start, Period::new(2024, 12));
        assert_eq!(second.end, Period::new(2025, 5));
        assert_eq!(second.end_text, "Tháng 12/2024; T5/2025");
        assert_eq!(plan.info.number, "354/KH-UBND");
    }

    #[test]
    fn sections_from_merged_banners_roman_tt_or_the_section_column() {
        let header = vec![
            t("TT"),
            t("Mục"),
            t("Nhiệm vụ"),
            t("Đơn vị chủ trì"),
            t("Thời gian thực hiện"),
        ];
        let rows = vec![
            header,
            vec![t("I. Nâng cao chất lượng giáo dục")],
            vec![
                t("1."),
                t(""),
                t("Việc một"),
                t("Phòng GDTrH"),
                t("Thực hiện thường xuyên"),
            ],
            vec![t("II"), t(""), t("Trường học xã hội chủ nghĩa")],
            vec![t("2"), t(""), t("Việc hai"), t("Văn phòng")],
            vec![t(""), t("III. Chuyển đổi số")],
            vec![t("3"), t(""), t("Việc ba"), t("Văn phòng")],
            vec![
                t("4"),
                t("IV. Cơ sở vật chất"),
                t("Việc bốn"),
                t("Phòng KHTC"),
            ],
            vec![
                t("5"),
                t("IV. Cơ sở vật chất"),
                t("Việc năm"),
                t("Phòng KHTC"),
            ],
        ];
        let outcome = parse_form_b(&book(rows), "KH.xlsx", &directory());
        let plan = outcome.plan.expect("plan read");
        let headings: Vec<&str> = plan.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "I. Nâng cao chất lượng giáo dục",
                "II. Trường học xã hội chủ nghĩa",
                "III. Chuyển đổi số",
                "IV. Cơ sở vật chất"
            ]
        );
        let sections: Vec<Option<usize>> = plan.tasks.iter().map(|t| t.section).collect();
        assert_eq!(sections, [Some(0), Some(1), Some(2), Some(3), Some(3)]);
        assert_eq!(plan.tasks[0].time_text, "Thực hiện thường xuyên");
    }

    #[test]
    fn each_problem_is_one_message_at_its_cell() {
        let rows = vec![
            vec![
                t("TT"),
                t("Nhiệm vụ"),
                t("Đơn vị chủ trì"),
                t("Bắt đầu"),
                t("Hoàn thành"),
            ],
            vec![
                t("1"),
                t("Việc một"),
                t("Văn phòng"),
                t("7/2024"),
                t("5/2024"),
            ],
            vec![t(""), t("Việc không số"), t("Văn phòng")],
            vec![t("1"), t("Việc trùng số"), t("Văn phòng")],
            vec![t("3"), t(""), t("Văn phòng")],
            vec![t("4"), t("Việc không chủ trì"), t("")],
            vec![t("5"), t("Việc tháng sai"), t("Văn phòng"), t("tháng bảy")],
            vec![t("6a"), t("Việc số sai"), t("Văn phòng")],
        ];
        let outcome = parse_form_b(&book(rows), "KH.xlsx", &directory());
        assert!(outcome.plan.is_none(), "errors reject the plan");
        assert_eq!(
            codes(&outcome.messages),
            [
                "ket-thuc-truoc-bat-dau",
                "thieu-tt",
                "trung-tt",
                "thieu-nhiem-vu",
                "thieu-chu-tri",
                "thang-khong-hop-le",
                "tt-khong-hop-le"
            ]
        );
        let places: Vec<String> = outcome
            .messages
            .iter()
            .map(|m| m.location.to_string())
            .collect();
        assert_eq!(places[0], "KH.xlsx › Nhiệm vụ › E2");
        assert_eq!(places[1], "KH.xlsx › Nhiệm vụ › A3");
        assert_eq!(places[2], "KH.xlsx › Nhiệm vụ › A4");
        assert!(outcome.messages[2].text.contains("A2"));
        assert_eq!(places[5], "KH.xlsx › Nhiệm vụ › D7");
    }

    #[test]
    fn missing_sheets_and_columns_are_named() {
        let outcome = parse_form_b(
            &Workbook {
                sheets: vec![Sheet::from_rows(
                    "Nhiệm vụ",
                    vec![vec![t("TT"), t("Nhiệm vụ")]],
                )],
            },
            "KH.xlsx",
            &directory(),
        );
        assert_eq!(codes(&outcome.messages), ["thieu-trang", "thieu-cot"]);
        assert!(outcome.messages[1].text.contains("«Đơn vị chủ trì»"));
    }

    #[test]
    fn months_in_the_forms_people_type() {
        let p = |y, m| Period::new(y, m).expect("valid");
        assert_eq!(parse_months("Tháng 7/2024"), Some(vec![p(2024, 7)]));
        assert_eq!(parse_months("7/2024"), Some(vec![p(2024, 7)]));
        assert_eq!(parse_months("Ngày 05/9/2024"), Some(vec![p(2024, 9)]));
        assert_eq!(
            parse_months("Tháng 12/2024;\nT5/2025"),
            Some(vec![p(2024, 12), p(2025, 5)])
        );
        assert_eq!(parse_months("tháng bảy"), None);
        assert_eq!(parse_months("Tháng 13/2024"), None);
        assert_eq!(issue_date("01/2026"), IssueDate::Month(p(2026, 1)));
        assert_eq!(issue_date(""), IssueDate::Unknown);
        assert!(matches!(issue_date("30/12/2025"), IssueDate::Day(_)));
    }
}
