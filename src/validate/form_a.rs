//! Form A, a unit's monthly report: every sheet read, every value checked, every problem of
//! the file collected in one pass, each once, at its cell.

use std::collections::BTreeMap;

use super::cells::{self, SheetRef};
use super::info::InfoSheet;
use super::message::{Location, Message, Severity};
use super::sheets::{locate_table, Need};
use crate::config::{UnitDirectory, UnitMatch};
use crate::ingest::{ColumnSpec, Workbook};
use crate::model::*;
use crate::vn::Period;

/// Sheet names of Form A.
pub mod sheets {
    pub const INFO: &str = "Thông tin";
    pub const FIGURES: &str = "Số liệu";
    pub const RESULTS: &str = "Kết quả";
    pub const SHORTCOMINGS: &str = "Tồn tại";
    pub const NEXT_TASKS: &str = "Nhiệm vụ tháng sau";
    pub const ADVISED: &str = "Văn bản tham mưu";
    pub const OVERDUE: &str = "Hồ sơ quá hạn";
    pub const ASSESSMENT: &str = "Đánh giá chung";
    pub const GENERAL_TASKS: &str = "Nhiệm vụ trọng tâm chung";
}

/// The `Số liệu` table of Forms A and D: `Mã` | `Chỉ tiêu` | `Giá trị`, optional `Đơn vị tính`, `Ghi chú`.
pub const FIGURE_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("code", "Mã", &["Mã chỉ tiêu", "Mã số", "Ma CT"]),
    ColumnSpec::optional("label", "Chỉ tiêu", &["Tên chỉ tiêu", "Nội dung"]),
    ColumnSpec::required(
        "value",
        "Giá trị",
        &["Số liệu", "Số lượng", "Kết quả", "Giá trị (số)"],
    ),
    ColumnSpec::optional("measure", "Đơn vị tính", &["ĐVT", "Đơn vị"]),
    ColumnSpec::optional("note", "Ghi chú", &[]),
];

const TASK_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::optional("stt", "STT", &["TT", "Số TT", "Số thứ tự"]),
    ColumnSpec::optional("field", "Lĩnh vực", &["Nhóm", "Lĩnh vực công tác"]),
    ColumnSpec::required(
        "content",
        "Nội dung",
        &["Nội dung công việc", "Nhiệm vụ", "Công việc"],
    ),
];

const PARAGRAPH_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::optional("stt", "STT", &["TT", "Số TT"]),
    ColumnSpec::required("content", "Nội dung", &["Đoạn văn"]),
    ColumnSpec::optional(
        "footnote",
        "Chú thích",
        &["Chú thích cuối trang", "Ghi chú"],
    ),
];

const ADVISED_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::optional("stt", "STT", &["TT", "Số TT"]),
    ColumnSpec::required(
        "number",
        "Số, ký hiệu",
        &["Số ký hiệu", "Số hiệu", "Số văn bản"],
    ),
    ColumnSpec::optional("date", "Ngày ban hành", &["Ngày"]),
    ColumnSpec::optional("issuer", "Cơ quan ban hành", &["Cơ quan"]),
    ColumnSpec::required("summary", "Trích yếu", &["Trích yếu nội dung", "Nội dung"]),
];

const OVERDUE_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("code", "Mã hồ sơ", &["Số hồ sơ"]),
    ColumnSpec::optional(
        "procedure",
        "Thủ tục",
        &["Tên thủ tục", "Thủ tục hành chính"],
    ),
    ColumnSpec::optional("time_limit", "Thời hạn giải quyết", &["Thời hạn"]),
    ColumnSpec::optional("received", "Ngày tiếp nhận", &[]),
    ColumnSpec::optional("appointment", "Ngày hẹn trả", &["Ngày hẹn trả kết quả"]),
    ColumnSpec::required("deadline", "Hạn xử lý", &["Hạn giải quyết"]),
    ColumnSpec::required("result", "Ngày có kết quả", &[]),
    ColumnSpec::optional("returned", "Ngày trả kết quả", &["Ngày trả KQ"]),
];

/// What parsing one Form A workbook gave.
#[derive(Debug)]
pub struct FormAOutcome {
    /// Who the workbook says it is from, when that could be read (even if rejected).
    pub reporter: Option<Reporter>,
    pub period: Option<Period>,
    pub prepared_on: Option<chrono::NaiveDate>,
    /// The submission, present only when no error was found.
    pub submission: Option<MonthlySubmission>,
    pub messages: Vec<Message>,
}

/// Parses and checks a Form A workbook. Reading goes on after an error so that all of a
/// file's problems come in one pass.
pub fn parse_form_a(
    book: &Workbook,
    source: SourceInfo,
    directory: &UnitDirectory,
) -> FormAOutcome {
    parse_form_a_for(book, source, directory, None)
}

/// Parses and checks a Form A workbook for the run of `run_period`. A problem withholds only
/// what it touches: an error in `Thông tin` (who, which month) rejects the workbook; an error
/// in `Số liệu` withholds the figures; a missing or broken text sheet withholds that text, with
/// a warning. A workbook without `Thông tin` is taken for the unit its file name names and for
/// `run_period`, with its figures withheld, so its text is not lost.
pub fn parse_form_a_for(
    book: &Workbook,
    source: SourceInfo,
    directory: &UnitDirectory,
    run_period: Option<Period>,
) -> FormAOutcome {
    let file = source.display.clone();
    let mut messages = Vec::new();

    let info = InfoSheet::read(book, &file, &mut messages);
    let mut reporter = info
        .as_ref()
        .and_then(|i| resolve_reporter(i, directory, &file, &mut messages));
    let mut period = info.as_ref().and_then(|i| i.period(&file, &mut messages));
    let prepared_on = info
        .as_ref()
        .and_then(|i| i.prepared_on(&file, &mut messages));
    let prepared_by = info
        .as_ref()
        .map(|i| i.value_text("nguoilap"))
        .unwrap_or_default();
    if let (Some(info), Some(claimed)) = (&info, reporter) {
        if let Some(conflict) = code_conflict(info, claimed, &file, directory) {
            messages.push(conflict);
            reporter = None;
        }
    }
    let mut identity_ok = !has_error(&messages);
    let mut known_by_file_name = false;
    if let (None, Some(run_period)) = (&info, run_period) {
        if let Some(found) = reporter_from_file_name(&file, directory) {
            let name = match found {
                Reporter::Unit(i) => directory.units()[i].name.clone(),
                Reporter::Department => directory.department_name().to_string(),
            };
            messages.push(Message::warning(
                "don-vi-theo-ten-tep",
                Location::file(&file),
                format!(
                    "Không có trang «{}»: tệp được hiểu là báo cáo {} của {name} theo tên tệp; phần nội dung được tổng hợp, số liệu chưa được tổng hợp cho đến khi có trang này",
                    sheets::INFO,
                    run_period.in_text()
                ),
            ));
            reporter = Some(found);
            period = Some(run_period);
            identity_ok = true;
            known_by_file_name = true;
        }
    }
    let is_department = reporter == Some(Reporter::Department);

    let figures_start = messages.len();
    let (figures, figure_cells, extra_figures) = read_figures(book, &file, &mut messages);
    let mut withheld = Vec::new();
    let overdue = text_sheet(
        book,
        &file,
        sheets::OVERDUE,
        false,
        &mut messages,
        &mut withheld,
        |m| read_overdue(book, &file, m),
    );
    if let Some(figures) = &figures {
        check_consistency(
            figures,
            &figure_cells,
            overdue.as_deref(),
            is_department || withheld.iter().any(|s| s == sheets::OVERDUE),
            &file,
            &mut messages,
        );
    }
    let figures_ok = !has_error(&messages[figures_start..]) && !known_by_file_name;

    // The department's task sheets are optional: its next month's tasks are `Nhiệm vụ trọng
    // tâm chung`, its results may all be in the other sheets.
    let unit_sheet = !is_department;
    let results = text_sheet(
        book,
        &file,
        sheets::RESULTS,
        unit_sheet,
        &mut messages,
        &mut withheld,
        |m| read_tasks(book, sheets::RESULTS, unit_sheet, &file, m),
    )
    .unwrap_or_default();
    let shortcomings = text_sheet(
        book,
        &file,
        sheets::SHORTCOMINGS,
        false,
        &mut messages,
        &mut withheld,
        |m| read_tasks(book, sheets::SHORTCOMINGS, false, &file, m),
    )
    .unwrap_or_default()
    .into_iter()
    .map(|t| t.content)
    .collect();
    let next_tasks = text_sheet(
        book,
        &file,
        sheets::NEXT_TASKS,
        unit_sheet,
        &mut messages,
        &mut withheld,
        |m| read_tasks(book, sheets::NEXT_TASKS, unit_sheet, &file, m),
    )
    .unwrap_or_default();
    let advised = text_sheet(
        book,
        &file,
        sheets::ADVISED,
        false,
        &mut messages,
        &mut withheld,
        |m| read_advised(book, &file, m),
    )
    .unwrap_or_default();
    let assessment = text_sheet(
        book,
        &file,
        sheets::ASSESSMENT,
        false,
        &mut messages,
        &mut withheld,
        |m| read_paragraphs(book, sheets::ASSESSMENT, &file, m),
    )
    .unwrap_or_default();
    let general_tasks = text_sheet(
        book,
        &file,
        sheets::GENERAL_TASKS,
        false,
        &mut messages,
        &mut withheld,
        |m| read_paragraphs(book, sheets::GENERAL_TASKS, &file, m),
    )
    .unwrap_or_default();
    if is_department
        && general_tasks.is_empty()
        && next_tasks.is_empty()
        && book.sheet(sheets::GENERAL_TASKS).is_none()
        && book.sheet(sheets::NEXT_TASKS).is_none()
    {
        messages.push(Message::warning(
            "thieu-trang",
            Location::file(&file),
            format!(
                "Thiếu trang «{}» (và «{}»): mục nhiệm vụ trọng tâm chung của báo cáo để trống",
                sheets::GENERAL_TASKS,
                sheets::NEXT_TASKS
            ),
        ));
    }

    let submission = match (reporter, period, identity_ok) {
        (Some(reporter), Some(period), true) => Some(MonthlySubmission {
            source,
            reporter,
            period,
            prepared_by,
            prepared_on,
            figures: figures.filter(|_| figures_ok),
            figure_cells,
            extra_figures: if figures_ok {
                extra_figures
            } else {
                Vec::new()
            },
            results,
            shortcomings,
            next_tasks,
            advised,
            overdue,
            assessment,
            general_tasks,
            withheld_sheets: withheld,
        }),
        _ => None,
    };
    FormAOutcome {
        reporter,
        period,
        prepared_on,
        submission,
        messages,
    }
}

fn has_error(messages: &[Message]) -> bool {
    messages.iter().any(|m| m.severity == Severity::Error)
}

/// Reads one sheet whose content is text (tasks, paragraphs, lists): its problems become
/// warnings, a bad cell loses its row, and a missing required sheet or a sheet whose columns
/// cannot be found is withheld as a whole (recorded in `withheld`), never the workbook.
fn text_sheet<T>(
    book: &Workbook,
    file: &str,
    sheet_name: &str,
    required: bool,
    messages: &mut Vec<Message>,
    withheld: &mut Vec<String>,
    read: impl FnOnce(&mut Vec<Message>) -> Option<T>,
) -> Option<T> {
    let start = messages.len();
    let found = read(messages);
    let broken = has_error(&messages[start..]);
    for message in &mut messages[start..] {
        if message.severity == Severity::Error {
            message.severity = Severity::Warning;
        }
    }
    let present = book.sheet(sheet_name).is_some();
    // A list whose rows did not all read is left out whole: half a list of overdue
    // dossiers would contradict the unit's own count.
    let found = if broken && sheet_name == sheets::OVERDUE {
        None
    } else {
        found
    };
    if found.is_none() && (required || present) {
        withheld.push(sheet_name.to_string());
        if present {
            messages.push(Message::warning(
                "trang-chua-tong-hop",
                Location::sheet(file, sheet_name),
                format!(
                    "Trang «{sheet_name}» có lỗi nên nội dung của trang chưa được đưa vào báo cáo; các phần khác của tệp vẫn được tổng hợp"
                ),
            ));
        }
    }
    found
}

/// A workbook whose `Thông tin` claims another unit than the one its file name names
/// (`KHTC.xlsx` saying `Mã đơn vị: GDTrH`) is held for the administrator, not taken for
/// either: taken for the code, its file, messages and figures would go into that unit's
/// report and phiếu phản hồi, mailed to that unit. The message is about the file; with no
/// unit attached, no unit's phiếu lists it.
fn code_conflict(
    info: &InfoSheet,
    claimed: Reporter,
    file: &str,
    directory: &UnitDirectory,
) -> Option<Message> {
    let named = reporter_from_file_name(file, directory)?;
    if named == claimed {
        return None;
    }
    let describe = |reporter: Reporter| match reporter {
        Reporter::Unit(i) => {
            let unit = &directory.units()[i];
            format!("{} ({})", unit.code, unit.name)
        }
        Reporter::Department => format!(
            "{} ({})",
            directory.department_code(),
            directory.department_name()
        ),
    };
    let at = match info.value("madonvi").or_else(|| info.value("tendonvi")) {
        Some((_, cell)) => Location::cell(file, info.sheet_name(), cell),
        None => Location::sheet(file, info.sheet_name()),
    };
    Some(Message::error(
        "xung-dot-ma",
        at,
        format!(
            "Trang «{}» ghi đơn vị {} nhưng tên tệp chỉ đơn vị {}: tệp được giữ lại cho người quản trị, không tổng hợp và không đưa vào phiếu phản hồi của đơn vị nào. Nếu tệp đúng là của {}, sửa tên tệp; nếu không, sửa Mã đơn vị và Tên đơn vị; rồi chạy lại",
            info.sheet_name(),
            describe(claimed),
            describe(named),
            describe(claimed),
        ),
    ))
}

/// The unit a file name names, for a workbook without `Thông tin` and to catch one that
/// claims another unit: the whole stem, else one of its parts separated by ` - ` or `_`,
/// when it matches a unit exactly (never a guess).
fn reporter_from_file_name(file: &str, directory: &UnitDirectory) -> Option<Reporter> {
    let name = std::path::Path::new(file)
        .file_stem()?
        .to_string_lossy()
        .to_string();
    let mut candidates = vec![name.clone()];
    candidates.extend(name.split(" - ").map(str::to_string));
    candidates.extend(name.split('_').map(str::to_string));
    let mut found: Option<Reporter> = None;
    for candidate in candidates {
        let reporter = match directory.resolve(candidate.trim()) {
            UnitMatch::Unit(i) => Reporter::Unit(i),
            UnitMatch::Department => Reporter::Department,
            UnitMatch::Suggestion(_) | UnitMatch::Unknown => continue,
        };
        match found {
            Some(other) if other != reporter => return None,
            _ => found = Some(reporter),
        }
    }
    found
}

fn resolve_reporter(
    info: &InfoSheet,
    directory: &UnitDirectory,
    file: &str,
    messages: &mut Vec<Message>,
) -> Option<Reporter> {
    let mut found: Vec<(Reporter, String)> = Vec::new();
    let mut any_given = false;
    for (key, label) in [("madonvi", "Mã đơn vị"), ("tendonvi", "Tên đơn vị")] {
        let Some((typed, cell)) = info.value(key) else {
            continue;
        };
        if typed.trim().is_empty() {
            continue;
        }
        any_given = true;
        let at = Location::cell(file, info.sheet_name(), cell.clone());
        match directory.resolve(&typed) {
            UnitMatch::Unit(i) => found.push((Reporter::Unit(i), typed)),
            UnitMatch::Department => found.push((Reporter::Department, typed)),
            UnitMatch::Suggestion(name) => messages.push(Message::error(
                "don-vi-khong-ro",
                at,
                format!("{label} «{typed}» không có trong danh sách đơn vị. Có phải «{name}»?"),
            )),
            UnitMatch::Unknown => messages.push(Message::error(
                "don-vi-khong-ro",
                at,
                format!("{label} «{typed}» không có trong danh sách đơn vị của cấu hình"),
            )),
        }
    }
    if !any_given {
        messages.push(Message::error(
            "thieu-thong-tin",
            Location::sheet(file, info.sheet_name()),
            "Thiếu Mã đơn vị và Tên đơn vị: cần ít nhất một trong hai",
        ));
        return None;
    }
    match found.as_slice() {
        [] => None,
        [(reporter, _)] => Some(*reporter),
        [(first, a), (second, b)] if first != second => {
            messages.push(Message::error(
                "don-vi-mau-thuan",
                Location::sheet(file, info.sheet_name()),
                format!("Mã đơn vị «{a}» và Tên đơn vị «{b}» chỉ hai đơn vị khác nhau"),
            ));
            None
        }
        [(reporter, _), ..] => Some(*reporter),
    }
}

type FigureRead = (
    Option<StandardFigures>,
    BTreeMap<String, String>,
    Vec<ExtraFigure>,
);

fn read_figures(book: &Workbook, file: &str, messages: &mut Vec<Message>) -> FigureRead {
    let mut cells_of = BTreeMap::new();
    let Some(table) = locate_table(
        book,
        sheets::FIGURES,
        FIGURE_COLUMNS,
        Need::Required(""),
        file,
        messages,
    ) else {
        return (None, cells_of, Vec::new());
    };
    let sheet = SheetRef {
        file,
        sheet: &table.sheet.name,
    };
    let mut figures = StandardFigures::default();
    let mut extras = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut complete = true;
    for row in table.data_rows() {
        let code_text = cells::text(&table, row, "code", sheet, messages);
        let code = normalise_code(&code_text);
        let value_at = table.address(row, "value");
        if code.is_empty() {
            if !table.cell(row, "value").is_blank() {
                messages.push(Message::error(
                    "thieu-ma",
                    sheet.at(table.address(row, "code")),
                    "Dòng có số liệu nhưng chưa ghi Mã chỉ tiêu",
                ));
            }
            continue;
        }
        if let Some(first) = seen.insert(code.clone(), table.address(row, "code")) {
            messages.push(Message::error(
                "trung-chi-tieu",
                sheet.at(table.address(row, "code")),
                format!("Mã {code} đã có ở ô {first}; mỗi mã chỉ ghi một lần"),
            ));
            continue;
        }
        let value = match cells::whole_number(
            table.cell(row, "value"),
            || sheet.at(value_at.clone()),
            || format!("Giá trị của mã {code}"),
        ) {
            Ok(v) => v,
            Err(message) => {
                messages.push(message);
                complete = false;
                continue;
            }
        };
        if figures.set(&code, value) {
            cells_of.insert(code, value_at);
        } else {
            extras.push(ExtraFigure {
                label: cells::text(&table, row, "label", sheet, messages),
                measure: cells::text(&table, row, "measure", sheet, messages),
                note: cells::text(&table, row, "note", sheet, messages),
                code,
                value,
            });
        }
    }
    for (code, label) in STANDARD_CODES {
        if !seen.contains_key(code) {
            complete = false;
            messages.push(Message::error(
                "thieu-chi-tieu",
                sheet.whole(),
                format!("Thiếu dòng mã {code} ({label}); nếu không có thì ghi 0"),
            ));
        }
    }
    (complete.then_some(figures), cells_of, extras)
}

/// Codes are matched without regard to case, spaces or dashes: `vb den`, `VB-DEN` → `VB_DEN`.
fn normalise_code(text: &str) -> String {
    let folded: String = crate::text::fold::fold_words(text)
        .replace(' ', "_")
        .to_uppercase();
    folded
}

fn check_consistency(
    f: &StandardFigures,
    cells_of: &BTreeMap<String, String>,
    overdue: Option<&[OverdueDossier]>,
    listed_elsewhere: bool,
    file: &str,
    messages: &mut Vec<Message>,
) {
    let at = |code: &str| {
        Location::cell(
            file,
            sheets::FIGURES,
            cells_of.get(code).cloned().unwrap_or_default(),
        )
    };
    if f.tthc_da_gq + f.tthc_dang_gq != f.tthc_tiep_nhan {
        messages.push(Message::error(
            "lech-tong",
            at("TTHC_TIEP_NHAN"),
            format!(
                "Hồ sơ đã giải quyết ({}) + đang giải quyết ({}) = {}, khác tổng hồ sơ tiếp nhận ({})",
                f.tthc_da_gq,
                f.tthc_dang_gq,
                f.tthc_da_gq + f.tthc_dang_gq,
                f.tthc_tiep_nhan
            ),
        ));
    }
    for (code, value, label) in [
        (
            "TTHC_KY_TRUOC",
            f.tthc_ky_truoc,
            "Hồ sơ từ kỳ trước chuyển sang",
        ),
        ("TTHC_QUA_HAN", f.tthc_qua_han, "Hồ sơ quá hạn"),
    ] {
        if value > f.tthc_tiep_nhan {
            messages.push(Message::error(
                "vuot-gioi-han",
                at(code),
                format!(
                    "{label} ({value}) nhiều hơn tổng hồ sơ tiếp nhận ({})",
                    f.tthc_tiep_nhan
                ),
            ));
        }
    }
    if f.vb_cham > f.vb_den {
        messages.push(Message::error(
            "vuot-gioi-han",
            at("VB_CHAM"),
            format!(
                "Văn bản chậm muộn ({}) nhiều hơn văn bản đến ({})",
                f.vb_cham, f.vb_den
            ),
        ));
    }
    if let Some(rows) = overdue {
        if rows.len() as u64 != f.tthc_qua_han {
            messages.push(Message::error(
                "lech-qua-han",
                at("TTHC_QUA_HAN"),
                format!(
                    "Mã TTHC_QUA_HAN ghi {} hồ sơ quá hạn nhưng trang «{}» liệt kê {} hồ sơ",
                    f.tthc_qua_han,
                    sheets::OVERDUE,
                    rows.len()
                ),
            ));
        }
    } else if f.tthc_qua_han > 0 && !listed_elsewhere {
        // The department's overdue dossiers are listed by the units (checked across files);
        // a withheld list already has its own message.
        messages.push(Message::warning(
            "thieu-ds-qua-han",
            at("TTHC_QUA_HAN"),
            format!(
                "Có {} hồ sơ quá hạn nhưng không có trang «{}» nêu mã hồ sơ và thời gian",
                f.tthc_qua_han,
                sheets::OVERDUE
            ),
        ));
    }
}

fn read_tasks(
    book: &Workbook,
    sheet_name: &str,
    required: bool,
    file: &str,
    messages: &mut Vec<Message>,
) -> Option<Vec<TaskItem>> {
    let need = if required {
        Need::Required("nội dung này chưa có trong báo cáo")
    } else {
        Need::Optional
    };
    let table = locate_table(book, sheet_name, TASK_COLUMNS, need, file, messages)?;
    let sheet = SheetRef {
        file,
        sheet: &table.sheet.name,
    };
    let tasks = table
        .data_rows()
        .filter_map(|row| {
            let content = cells::text(&table, row, "content", sheet, messages);
            let field = cells::text(&table, row, "field", sheet, messages);
            (!content.is_empty()).then_some(TaskItem { field, content })
        })
        .collect();
    Some(tasks)
}

fn read_paragraphs(
    book: &Workbook,
    sheet_name: &str,
    file: &str,
    messages: &mut Vec<Message>,
) -> Option<Vec<FreeParagraph>> {
    let table = locate_table(
        book,
        sheet_name,
        PARAGRAPH_COLUMNS,
        Need::Optional,
        file,
        messages,
    )?;
    let sheet = SheetRef {
        file,
        sheet: &table.sheet.name,
    };
    let paragraphs = table
        .data_rows()
        .filter_map(|row| {
            let content = cells::text(&table, row, "content", sheet, messages);
            let footnote = cells::text(&table, row, "footnote", sheet, messages);
            let location = sheet.at(table.address(row, "content")).to_string();
            (!content.is_empty()).then_some(FreeParagraph {
                content,
                footnote,
                location,
            })
        })
        .collect();
    Some(paragraphs)
}

fn read_advised(
    book: &Workbook,
    file: &str,
    messages: &mut Vec<Message>,
) -> Option<Vec<AdvisedDocument>> {
    let table = locate_table(
        book,
        sheets::ADVISED,
        ADVISED_COLUMNS,
        Need::Optional,
        file,
        messages,
    )?;
    let sheet = SheetRef {
        file,
        sheet: &table.sheet.name,
    };
    let mut documents = Vec::new();
    for row in table.data_rows() {
        let number = cells::text(&table, row, "number", sheet, messages);
        let summary = cells::text(&table, row, "summary", sheet, messages);
        if number.is_empty() {
            messages.push(Message::error(
                "thieu-so-ky-hieu",
                sheet.at(table.address(row, "number")),
                "Văn bản tham mưu chưa ghi Số, ký hiệu",
            ));
            continue;
        }
        let issued_on = match cells::date(
            table.cell(row, "date"),
            sheet.at(table.address(row, "date")),
            "Ngày ban hành",
        ) {
            Ok(date) => date,
            Err(message) => {
                messages.push(message);
                None
            }
        };
        let issuer = cells::text(&table, row, "issuer", sheet, messages);
        documents.push(AdvisedDocument {
            number,
            issued_on,
            issuer,
            summary,
        });
    }
    Some(documents)
}

fn read_overdue(
    book: &Workbook,
    file: &str,
    messages: &mut Vec<Message>,
) -> Option<Vec<OverdueDossier>> {
    let table = locate_table(
        book,
        sheets::OVERDUE,
        OVERDUE_COLUMNS,
        Need::Optional,
        file,
        messages,
    )?;
    let sheet = SheetRef {
        file,
        sheet: &table.sheet.name,
    };
    let mut dossiers = Vec::new();
    for row in table.data_rows() {
        let code = cells::text(&table, row, "code", sheet, messages);
        let mut moment = |key: &str, label: &str, required: bool| {
            let at = sheet.at(table.address(row, key));
            match cells::datetime(table.cell(row, key), at.clone(), label) {
                Ok(None) if required => {
                    messages.push(Message::error(
                        "o-trong",
                        at,
                        format!("Chưa điền {label} của hồ sơ {code}"),
                    ));
                    None
                }
                Ok(value) => value,
                Err(message) => {
                    messages.push(message);
                    None
                }
            }
        };
        let received = moment("received", "Ngày tiếp nhận", false);
        let appointment = moment("appointment", "Ngày hẹn trả", false);
        let deadline = moment("deadline", "Hạn xử lý", true);
        let result = moment("result", "Ngày có kết quả", true);
        let returned = moment("returned", "Ngày trả kết quả", false);
        let (Some(deadline), Some(result)) = (deadline, result) else {
            continue;
        };
        if result <= deadline {
            messages.push(Message::warning(
                "khong-tre-han",
                sheet.at(table.address(row, "result")),
                format!("Hồ sơ {code} có kết quả trước hạn xử lý, không phải hồ sơ quá hạn"),
            ));
        }
        dossiers.push(OverdueDossier {
            procedure: cells::text(&table, row, "procedure", sheet, messages),
            time_limit: cells::text(&table, row, "time_limit", sheet, messages),
            code,
            received,
            appointment,
            deadline,
            result,
            returned,
        });
    }
    Some(dossiers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_names_a_unit_only_when_it_names_exactly_one() {
        let config = crate::config::Config::from_toml(crate::config::BUILTIN_CONFIG)
            .expect("built-in configuration");
        let directory = config.directory();
        let gdtrh = directory
            .units()
            .iter()
            .position(|u| u.code == "GDTrH")
            .expect("GDTrH configured");
        assert_eq!(
            reporter_from_file_name("GDTrH.xlsx", &directory),
            Some(Reporter::Unit(gdtrh))
        );
        assert_eq!(
            reporter_from_file_name("nop/SO - Tổng hợp toàn Sở.xlsx", &directory),
            Some(Reporter::Department)
        );
        assert_eq!(
            reporter_from_file_name("GDTrH - KHTC.xlsx", &directory),
            None,
            "two units: no guess"
        );
        assert_eq!(reporter_from_file_name("bao cao.xlsx", &directory), None);
        assert_eq!(
            reporter_from_file_name("Phong Giao duc trung hoc x.xlsx", &directory),
            None,
            "a near name is never taken"
        );
    }

    #[test]
    fn codes_are_normalised() {
        assert_eq!(normalise_code("vb den"), "VB_DEN");
        assert_eq!(normalise_code(" VB-DEN "), "VB_DEN");
        assert_eq!(normalise_code("TTHC_QUA_HAN"), "TTHC_QUA_HAN");
        assert_eq!(normalise_code("hs_chuyen_truong"), "HS_CHUYEN_TRUONG");
    }
}
