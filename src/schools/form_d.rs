//! Form D, one school's statistics for a period: who the school is (checked against the
//! registry), and its figures, each read at its cell and checked against the form's rules.
//! All of a file's problems come in one pass.

use chrono::NaiveDate;

use super::codes::{self, CodeBook, CONSISTENCY, MAX_STANDARD_LEVEL, STANDARD_LEVEL_CODE};
use super::model::{Level, Ownership, SchoolInfo, SchoolReport};
use super::registry::SchoolRegistry;
use super::targets::normalise;
use crate::ingest::Workbook;
use crate::validate::cells::{self, SheetRef};
use crate::validate::form_a::FIGURE_COLUMNS;
use crate::validate::info::{CellAt, InfoSheet, INFO_SHEET};
use crate::validate::sheets::{locate_table, Need};
use crate::validate::{Location, Message, Severity};
use crate::vn::Period;

/// The figures sheet of Form D (same layout as Form A's).
pub const FIGURES_SHEET: &str = "Số liệu";

/// What reading one Form D workbook gave.
#[derive(Debug)]
pub struct FormDOutcome {
    /// The school, when it could be identified (even if the file is rejected).
    pub school: Option<SchoolInfo>,
    pub period: Option<Period>,
    pub prepared_on: Option<NaiveDate>,
    /// Present only when no error was found.
    pub report: Option<SchoolReport>,
    pub messages: Vec<Message>,
}

/// True for a workbook whose `Thông tin` names a school (`Mã trường` or `Tên trường`), which
/// is what tells Form D from Form A (both have `Số liệu`).
pub fn is_form_d(book: &Workbook) -> bool {
    let Some(sheet) = book.sheet(INFO_SHEET) else {
        return false;
    };
    (0..sheet.row_count().min(40)).any(|row| {
        // Only text can name a field; it is compared as it is folded (every workbook of a
        // run passes here).
        (0..sheet.row_len(row).min(4)).any(|col| match sheet.cell(row, col) {
            crate::ingest::CellValue::Text(text) => {
                crate::text::folds_to(text, "matruong") || crate::text::folds_to(text, "tentruong")
            }
            _ => false,
        })
    })
}

/// Reads and checks a Form D workbook against the registry (empty: the school's own
/// `Thông tin` is taken as given). `codes` says which figures to keep and where.
pub fn parse_form_d(
    book: &Workbook,
    file: &str,
    registry: &SchoolRegistry,
    codes: &CodeBook,
) -> FormDOutcome {
    let mut messages = Vec::new();
    let info = InfoSheet::read(book, file, &mut messages);
    let school = info
        .as_ref()
        .and_then(|i| identify(i, file, registry, &mut messages));
    let period = info.as_ref().and_then(|i| i.period(file, &mut messages));
    let prepared_on = info
        .as_ref()
        .and_then(|i| i.prepared_on(file, &mut messages));
    let values = read_figures(
        book,
        file,
        school.as_ref().map(|s| s.level),
        codes,
        &mut messages,
    );

    let has_error = messages.iter().any(|m| m.severity == Severity::Error);
    let report = match (&school, period, values, has_error) {
        (Some(school), Some(_), Some(values), false) => Some(SchoolReport {
            school: school.clone(),
            file: file.to_string(),
            prepared_on,
            values,
        }),
        _ => None,
    };
    FormDOutcome {
        school,
        period,
        prepared_on,
        report,
        messages,
    }
}

/// A field of `Thông tin` checked against the registry: label, what the form says (value,
/// cell), what the registry says, and whether they differ.
type RegistryCheck<'a> = (&'a str, Option<(String, CellAt)>, String, bool);

/// The school a `Thông tin` sheet names: the registry's entry for its code (or, failing a
/// code, its exact name), else, without a registry, the sheet's own fields.
fn identify(
    info: &InfoSheet,
    file: &str,
    registry: &SchoolRegistry,
    messages: &mut Vec<Message>,
) -> Option<SchoolInfo> {
    let sheet = info.sheet_name();
    let field = |key: &str| info.text_at(key);
    let at = |cell: Option<CellAt>| match cell {
        Some(cell) => Location::cell(file, sheet, cell.address()),
        None => Location::sheet(file, sheet),
    };
    let (code, code_cell) = field("matruong").unzip();
    let (name, name_cell) = field("tentruong").unzip();
    let code = code.unwrap_or_default();
    let name = name.unwrap_or_default();
    let level_field = field("caphoc");
    let ownership_field = field("loaihinh");
    let ward_field = field("xaphuong").or_else(|| field("phuongxa"));

    if !registry.is_empty() {
        let found = if code.is_empty() {
            registry.by_name(&name)
        } else {
            registry.by_code(&code)
        };
        let Some(found) = found else {
            let suggestion = registry
                .by_name(&name)
                .filter(|s| !code.is_empty() && s.code != code)
                .map(|s| format!(" Có phải mã «{}» ({})?", s.code, s.name))
                .unwrap_or_default();
            let (what, cell) = if code.is_empty() {
                (format!("Tên trường «{name}»"), name_cell)
            } else {
                (format!("Mã trường «{code}»"), code_cell)
            };
            messages.push(Message::error(
                "truong-khong-co",
                at(cell),
                format!("{what} không có trong danh sách trường của cấu hình.{suggestion}"),
            ));
            return None;
        };
        if let Some(conflict) = school_code_conflict(file, &name, found, registry, || at(code_cell))
        {
            messages.push(conflict);
            return None;
        }
        // The registry decides; a form that disagrees is used, and the school is told.
        let checks: [RegistryCheck; 3] = [
            (
                "Cấp học",
                level_field.clone(),
                found.level.label().to_string(),
                level_field
                    .as_ref()
                    .is_some_and(|(v, _)| !v.is_empty() && Level::parse(v) != Some(found.level)),
            ),
            (
                "Loại hình",
                ownership_field.clone(),
                found.ownership.label().to_string(),
                ownership_field.as_ref().is_some_and(|(v, _)| {
                    !v.is_empty() && Ownership::parse(v) != Some(found.ownership)
                }),
            ),
            (
                "Xã/phường",
                ward_field.clone(),
                found.ward.clone(),
                ward_field
                    .as_ref()
                    .is_some_and(|(v, _)| !v.is_empty() && !crate::text::same_key(v, &found.ward)),
            ),
        ];
        for (label, given, listed, differs) in checks {
            if let (true, Some((value, cell))) = (differs, given) {
                messages.push(Message::warning(
                    "lech-danh-sach",
                    at(Some(cell)),
                    format!(
                        "{label} ghi «{value}» nhưng danh sách trường ghi «{listed}»; tổng hợp theo danh sách trường"
                    ),
                ));
            }
        }
        return Some(found.clone());
    }

    // No registry: the sheet must say everything itself.
    let mut complete = true;
    if code.is_empty() {
        complete = false;
        messages.push(Message::error(
            "thieu-thong-tin",
            at(None),
            "Thiếu Mã trường (chưa cấu hình danh sách trường nên phải có mã)",
        ));
    }
    let level = parse_field(
        level_field,
        "Cấp học",
        "Mầm non, Tiểu học, THCS, THPT, Liên cấp",
        Level::parse,
        &at,
        messages,
    );
    let ownership = parse_field(
        ownership_field,
        "Loại hình",
        "Công lập, Ngoài công lập",
        Ownership::parse,
        &at,
        messages,
    );
    let ward = match ward_field {
        Some((w, _)) if !w.is_empty() => Some(w),
        other => {
            messages.push(Message::error(
                "thieu-thong-tin",
                at(other.map(|(_, c)| c)),
                "Thiếu Xã/phường",
            ));
            None
        }
    };
    match (complete, level, ownership, ward) {
        (true, Some(level), Some(ownership), Some(ward)) => Some(SchoolInfo {
            code,
            name,
            level,
            ownership,
            ward,
        }),
        _ => None,
    }
}

/// A workbook that claims another school of the registry than its file name or its own
/// `Tên trường` names is held for the administrator, not taken for the code it claims:
/// taken, its file and messages would go into that school's phiếu phản hồi, mailed to it.
/// Only exact matches count (the whole file name is a registered code; the name is another
/// registered school's and not this one's), so a typo never holds a file.
fn school_code_conflict(
    file: &str,
    typed_name: &str,
    found: &SchoolInfo,
    registry: &SchoolRegistry,
    at: impl FnOnce() -> Location,
) -> Option<Message> {
    // The registry holds one entry per folded code: another entry is another school.
    let another = |other: &&SchoolInfo| !std::ptr::eq(*other, found);
    let stem = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let by_file = registry
        .by_code(&stem)
        .filter(another)
        .map(|other| (other, "tên tệp"));
    let by_name = (!typed_name.is_empty() && !crate::text::same_key(typed_name, &found.name))
        .then(|| registry.by_name(typed_name))
        .flatten()
        .filter(another)
        .map(|other| (other, "Tên trường"));
    let (other, source) = by_file.or(by_name)?;
    Some(Message::error(
        "xung-dot-ma",
        at(),
        format!(
            "Mã trường ghi «{}» ({}) nhưng {source} chỉ trường «{}» ({}): tệp được giữ lại cho người quản trị, không tổng hợp và không đưa vào phiếu phản hồi của trường nào. Sửa Mã trường, Tên trường hoặc tên tệp cho đúng một trường rồi chạy lại",
            found.code, found.name, other.code, other.name
        ),
    ))
}

fn parse_field<T>(
    given: Option<(String, CellAt)>,
    label: &str,
    choices: &str,
    parse: fn(&str) -> Option<T>,
    at: &dyn Fn(Option<CellAt>) -> Location,
    messages: &mut Vec<Message>,
) -> Option<T> {
    match given {
        Some((value, cell)) if !value.is_empty() => {
            let parsed = parse(&value);
            if parsed.is_none() {
                messages.push(Message::error(
                    "gia-tri-khong-hop-le",
                    at(Some(cell)),
                    format!("{label} «{value}» không hợp lệ (một trong: {choices})"),
                ));
            }
            parsed
        }
        other => {
            messages.push(Message::error(
                "thieu-thong-tin",
                at(other.map(|(_, c)| c)),
                format!("Thiếu {label} ({choices})"),
            ));
            None
        }
    }
}

/// The `Số liệu` table: each value at its cell; then the codes the school's level must
/// report, and the consistency rules. `None` when a figure could not be read.
fn read_figures(
    book: &Workbook,
    file: &str,
    level: Option<Level>,
    codes: &CodeBook,
    messages: &mut Vec<Message>,
) -> Option<Box<[Option<u64>]>> {
    let table = locate_table(
        book,
        FIGURES_SHEET,
        FIGURE_COLUMNS,
        Need::Required("số liệu thống kê của trường"),
        file,
        messages,
    )?;
    let sheet = SheetRef {
        file,
        sheet: &table.sheet.name,
    };
    let mut values: Box<[Option<u64>]> = vec![None; codes.len()].into_boxed_slice();
    // The row where each code was first seen, for naming a repeated code's first cell: by
    // the code's place in `codes` (one lookup per row, not a map of strings per file), and
    // for a code no indicator uses, in a short list of its own.
    let mut row_of: Vec<Option<usize>> = vec![None; codes.len()];
    let mut unknown_rows: Vec<(String, usize)> = Vec::new();
    let mut readable = true;
    for row in table.data_rows() {
        let code = normalise(&cells::text(&table, row, "code", sheet, messages));
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
        let index = codes.index(&code);
        let first = match index {
            Some(index) => row_of[index].replace(row),
            None => match unknown_rows.iter().find(|(seen, _)| *seen == code) {
                Some(&(_, first)) => Some(first),
                None => {
                    unknown_rows.push((code.clone(), row));
                    None
                }
            },
        };
        if let Some(first) = first {
            if let Some(index) = index {
                row_of[index] = Some(first);
            }
            let first = table.address(first, "value");
            messages.push(Message::error(
                "trung-chi-tieu",
                sheet.at(table.address(row, "code")),
                format!("Mã {code} đã có ở ô {first}; mỗi mã chỉ ghi một lần"),
            ));
            continue;
        }
        let Some(index) = index else {
            messages.push(Message::notice(
                "ma-khong-dung",
                sheet.at(table.address(row, "code")),
                format!("Mã {code} không thuộc Biểu D và không chỉ tiêu nào dùng; bỏ qua"),
            ));
            continue;
        };
        // A code outside the school's level left blank (the shared form lists every code).
        let outside_level = level.is_some_and(|l| {
            codes
                .standard(index)
                .is_some_and(|spec| !spec.levels.contains(&l))
        });
        let value = table.cell(row, "value");
        if outside_level && value.is_blank() {
            continue;
        }
        let read = cells::whole_number(
            value,
            || sheet.at(table.address(row, "value")),
            || format!("Giá trị của mã {code}"),
        );
        match read {
            Ok(value) if code == STANDARD_LEVEL_CODE && value > MAX_STANDARD_LEVEL => {
                readable = false;
                messages.push(Message::error(
                    "ngoai-khoang",
                    sheet.at(table.address(row, "value")),
                    format!("Mức đạt chuẩn quốc gia là 0, 1 hoặc 2; ô ghi {value}"),
                ));
            }
            Ok(value) => values[index] = Some(value),
            Err(message) => {
                readable = false;
                messages.push(message);
            }
        }
    }
    if let Some(level) = level {
        for spec in codes::STANDARD_CODES
            .iter()
            .filter(|s| s.levels.contains(&level))
        {
            if codes.index(spec.code).and_then(|i| row_of[i]).is_none() {
                readable = false;
                messages.push(Message::error(
                    "thieu-chi-tieu",
                    sheet.whole(),
                    format!(
                        "Thiếu dòng mã {} ({}), trường {} phải báo cáo; nếu không có thì ghi 0",
                        spec.code,
                        spec.label,
                        level.label()
                    ),
                ));
            }
        }
    }
    let value_of = |code: &str| codes.index(code).and_then(|i| values[i]);
    for rule in CONSISTENCY {
        if let (Some(part), Some(whole)) = (value_of(rule.part), value_of(rule.whole)) {
            if part > whole {
                let label = |code: &str| codes::standard(code).map_or("", |s| s.label);
                let part_cell = codes
                    .index(rule.part)
                    .and_then(|i| row_of[i])
                    .map(|row| table.address(row, "value"))
                    .unwrap_or_default();
                messages.push(Message::error(
                    "vuot-gioi-han",
                    sheet.at(part_cell),
                    format!(
                        "{} ({} = {part}) nhiều hơn {} ({} = {whole})",
                        label(rule.part),
                        rule.part,
                        label(rule.whole).to_lowercase(),
                        rule.whole
                    ),
                ));
            }
        }
    }
    readable.then_some(values)
}
