//! Form C, a unit's progress on a plan ("Tiến độ nhiệm vụ"): `Thông tin` (unit, month,
//! `Kế hoạch`) and `Tiến độ` (`TT` | `Trạng thái` | `Tỷ lệ hoàn thành` | `Kết quả, minh
//! chứng` | `Ghi chú`), checked against the plan it names.
//!
//! The sender may be a configured unit or, for a plan naming units no configuration knows
//! (a district's offices), one of the plan's lead units as the plan writes it.

use super::model::Plan;
use super::progress::{ProgressEntry, ProgressReport, TaskStatus};
use super::units::{same_named, UnitKey};
use crate::config::{UnitDirectory, UnitMatch};
use crate::ingest::{CellValue, ColumnSpec, Workbook};
use crate::validate::cells::{self, SheetRef};
use crate::validate::info::InfoSheet;
use crate::validate::{Location, Message, Severity};
use crate::vn::number::{parse_rate_text, NumberError};
use crate::vn::Period;

/// The sheet holding the progress rows.
pub const PROGRESS_SHEET: &str = "Tiến độ";

const PROGRESS_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required(
        "tt",
        "TT",
        &["STT", "Số TT", "TT nhiệm vụ", "Số thứ tự nhiệm vụ"],
    ),
    ColumnSpec::required(
        "status",
        "Trạng thái",
        &["Tình trạng", "Tình hình thực hiện", "Trạng thái thực hiện"],
    ),
    ColumnSpec::optional(
        "percent",
        "Tỷ lệ hoàn thành",
        &[
            "Tỷ lệ",
            "% hoàn thành",
            "Tỷ lệ hoàn thành (%)",
            "Tiến độ (%)",
        ],
    ),
    ColumnSpec::optional(
        "evidence",
        "Kết quả, minh chứng",
        &["Kết quả", "Minh chứng", "Kết quả thực hiện", "Sản phẩm"],
    ),
    ColumnSpec::optional("note", "Ghi chú", &[]),
];

/// What reading one Form C workbook gave.
#[derive(Debug)]
pub struct ProgressOutcome {
    /// The month it reports on, when readable (even if rejected).
    pub period: Option<Period>,
    /// The plan it names, when found (even if rejected).
    pub plan: Option<usize>,
    /// The report, present only when no error was found.
    pub report: Option<ProgressReport>,
    pub messages: Vec<Message>,
}

/// Reads and checks a Form C workbook against the plans of the input folder.
pub fn parse_form_c(
    book: &Workbook,
    file: &str,
    plans: &[Plan],
    directory: &UnitDirectory,
) -> ProgressOutcome {
    let mut messages = Vec::new();
    let info = InfoSheet::read(book, file, &mut messages);
    let period = info.as_ref().and_then(|i| i.period(file, &mut messages));
    let prepared_on = info
        .as_ref()
        .and_then(|i| i.prepared_on(file, &mut messages));
    let plan_index = info
        .as_ref()
        .and_then(|i| find_plan(i, plans, file, &mut messages));
    let plan = plan_index.and_then(|i| plans.get(i));
    let reporter = info
        .as_ref()
        .and_then(|i| resolve_sender(i, plan, directory, file, &mut messages));
    let entries = read_entries(book, file, plan, reporter.as_ref(), &mut messages);

    let has_error = messages.iter().any(|m| m.severity == Severity::Error);
    let report = match (plan_index, reporter, period, has_error) {
        (Some(plan), Some((reporter, reporter_label)), Some(period), false) => {
            Some(ProgressReport {
                source: file.to_string(),
                plan,
                reporter,
                reporter_label,
                period,
                prepared_on,
                entries,
            })
        }
        _ => None,
    };
    ProgressOutcome {
        period,
        plan: plan_index,
        report,
        messages,
    }
}

fn find_plan(
    info: &InfoSheet,
    plans: &[Plan],
    file: &str,
    messages: &mut Vec<Message>,
) -> Option<usize> {
    let found = ["kehoach", "sokehoach", "kehoachso", "sokyhieukehoach"]
        .iter()
        .filter_map(|k| info.value(k))
        .find(|(v, _)| !v.trim().is_empty());
    let Some((typed, cell)) = found else {
        messages.push(Message::error(
            "thieu-thong-tin",
            Location::sheet(file, info.sheet_name()),
            "Thiếu dòng «Kế hoạch» (số, ký hiệu của kế hoạch mà đơn vị báo cáo tiến độ)",
        ));
        return None;
    };
    let index = plans.iter().position(|p| p.is_named_by(&typed));
    if index.is_none() {
        messages.push(Message::error(
            "ke-hoach-khong-ro",
            Location::cell(file, info.sheet_name(), cell),
            format!(
                "Kế hoạch «{typed}» không có trong thư mục đầu vào (cần bảng tính Biểu B của kế hoạch này, không có lỗi)"
            ),
        ));
    }
    index
}

/// The sender: a configured unit, or one of the plan's lead units as written there.
fn resolve_sender(
    info: &InfoSheet,
    plan: Option<&Plan>,
    directory: &UnitDirectory,
    file: &str,
    messages: &mut Vec<Message>,
) -> Option<(UnitKey, String)> {
    let mut found: Vec<(UnitKey, String, String)> = Vec::new();
    let mut any_given = false;
    for (key, label) in [("madonvi", "Mã đơn vị"), ("tendonvi", "Tên đơn vị")] {
        let Some((typed, cell)) = info.value(key) else {
            continue;
        };
        if typed.trim().is_empty() {
            continue;
        }
        any_given = true;
        let at = Location::cell(file, info.sheet_name(), cell);
        let configured = directory.resolve(&typed);
        if let UnitMatch::Unit(index) = configured {
            let name = directory
                .units()
                .get(index)
                .map_or_else(|| typed.clone(), |u| u.name.clone());
            found.push((UnitKey::Configured(index), name, typed));
            continue;
        }
        let lead = plan.and_then(|p| {
            p.tasks
                .iter()
                .flat_map(|t| &t.leads)
                .find(|l| l.unit.is_none() && same_named(&l.written, &typed))
        });
        if let Some(lead) = lead {
            found.push((lead.key(), lead.written.clone(), typed));
            continue;
        }
        let hint = match configured {
            UnitMatch::Suggestion(name) => format!(". Có phải «{name}»?"),
            _ => String::new(),
        };
        messages.push(Message::error(
            "don-vi-khong-ro",
            at,
            format!(
                "{label} «{typed}» không có trong danh sách đơn vị của cấu hình và không là đơn vị chủ trì nào của kế hoạch{hint}"
            ),
        ));
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
        [(first, _, a), (second, _, b), ..] if first != second => {
            messages.push(Message::error(
                "don-vi-mau-thuan",
                Location::sheet(file, info.sheet_name()),
                format!("Mã đơn vị «{a}» và Tên đơn vị «{b}» chỉ hai đơn vị khác nhau"),
            ));
            None
        }
        [(key, label, _), ..] => Some((key.clone(), label.clone())),
    }
}

fn read_entries(
    book: &Workbook,
    file: &str,
    plan: Option<&Plan>,
    reporter: Option<&(UnitKey, String)>,
    messages: &mut Vec<Message>,
) -> Vec<ProgressEntry> {
    let Some(table) = crate::validate::sheets::locate_table(
        book,
        PROGRESS_SHEET,
        PROGRESS_COLUMNS,
        crate::validate::sheets::Need::Required("tiến độ từng nhiệm vụ"),
        file,
        messages,
    ) else {
        return Vec::new();
    };
    let at = SheetRef {
        file,
        sheet: &table.sheet.name,
    };
    let mut entries = Vec::new();
    let mut seen: std::collections::HashMap<u32, String> = std::collections::HashMap::new();
    for row in table.data_rows() {
        let tt_text = cells::text(&table, row, "tt", at, messages);
        let status_text = cells::text(&table, row, "status", at, messages);
        let tt_at = at.at(table.address(row, "tt"));
        if tt_text.is_empty() {
            messages.push(Message::error(
                "thieu-tt",
                tt_at,
                "Dòng tiến độ chưa ghi TT của nhiệm vụ trong kế hoạch",
            ));
            continue;
        }
        let Some(number) = super::task_number(table.cell(row, "tt")) else {
            messages.push(Message::error(
                "tt-khong-hop-le",
                tt_at,
                format!("TT «{tt_text}» không phải số thứ tự của nhiệm vụ (1, 2, 3…)"),
            ));
            continue;
        };
        if let Some(first) = seen.insert(number, table.address(row, "tt")) {
            messages.push(Message::error(
                "trung-tt",
                tt_at.clone(),
                format!("Nhiệm vụ TT {number} đã báo cáo ở ô {first}; mỗi nhiệm vụ một dòng"),
            ));
            continue;
        }
        let task = plan.and_then(|p| p.task(number));
        if let (Some(plan), None) = (plan, task) {
            messages.push(Message::error(
                "tt-khong-co",
                tt_at.clone(),
                format!(
                    "Kế hoạch không có nhiệm vụ TT {number} (các nhiệm vụ đánh số từ {} đến {})",
                    plan.tasks.iter().map(|t| t.number).min().unwrap_or(0),
                    plan.tasks.iter().map(|t| t.number).max().unwrap_or(0)
                ),
            ));
        }
        let status_at = at.at(table.address(row, "status"));
        let status = if status_text.is_empty() {
            messages.push(Message::error(
                "thieu-trang-thai",
                status_at.clone(),
                format!("Nhiệm vụ TT {number} chưa ghi trạng thái"),
            ));
            None
        } else {
            let parsed = TaskStatus::parse(&status_text);
            if parsed.is_none() {
                messages.push(Message::error(
                    "trang-thai-khong-hop-le",
                    status_at.clone(),
                    format!(
                        "Trạng thái «{status_text}» không thuộc danh sách: {}",
                        TaskStatus::ALL.map(TaskStatus::label).join(", ")
                    ),
                ));
            }
            parsed
        };
        let percent_at = at.at(table.address(row, "percent"));
        let percent = match read_percent(table.cell(row, "percent"), status) {
            Ok(value) => value,
            Err(shown) => {
                messages.push(percent_message(percent_at.clone(), number, &shown));
                None
            }
        };
        if let (Some(status), Some(value)) = (status, percent) {
            let odd = (status == TaskStatus::Done && value < 100.0)
                || (status == TaskStatus::NotStarted && value > 0.0);
            if odd {
                messages.push(Message::warning(
                    "trang-thai-lech-ty-le",
                    percent_at,
                    format!(
                        "Nhiệm vụ TT {number}: trạng thái «{}» nhưng tỷ lệ hoàn thành {}",
                        status.label(),
                        crate::vn::number::format_percent(value)
                    ),
                ));
            }
        }
        if let (Some(task), Some((key, label))) = (task, reporter) {
            if !task.is_led_by(key) {
                let leads: Vec<&str> = task.leads.iter().map(|l| l.written.as_str()).collect();
                messages.push(Message::warning(
                    "khong-chu-tri",
                    tt_at,
                    format!(
                        "{label} không chủ trì nhiệm vụ TT {number} (đơn vị chủ trì: {}); dòng này không được tính",
                        leads.join("; ")
                    ),
                ));
                continue;
            }
        }
        let Some(status) = status else { continue };
        entries.push(ProgressEntry {
            task: number,
            status,
            percent,
            evidence: cells::text(&table, row, "evidence", at, messages),
            note: cells::text(&table, row, "note", at, messages),
        });
    }
    entries
}

/// The message for a percentage that is not one, or is outside 0–100.
fn percent_message(at: Location, number: u32, shown: &str) -> Message {
    if let Some(out_of_range) = shown.strip_prefix('!') {
        Message::error(
            "ty-le-ngoai-khoang",
            at,
            format!(
                "Nhiệm vụ TT {number}: tỷ lệ hoàn thành «{}» phải từ 0 đến 100%",
                out_of_range
            ),
        )
    } else {
        Message::error(
            "ty-le-khong-hop-le",
            at,
            format!("Nhiệm vụ TT {number}: tỷ lệ hoàn thành «{shown}» không phải số phần trăm (ví dụ 50% hoặc 50)"),
        )
    }
}

/// Reads `Tỷ lệ hoàn thành` as percent (0–100). A number cell below 1 is a fraction from a
/// percentage-formatted cell (0,5 = 50%); 1 is 100% when the status says finished. The
/// error carries the text shown to the user, prefixed `!` when it is out of range.
fn read_percent(cell: &CellValue, status: Option<TaskStatus>) -> Result<Option<f64>, String> {
    let value = match cell {
        CellValue::Empty => return Ok(None),
        CellValue::Text(t) if t.trim().is_empty() => return Ok(None),
        CellValue::Number(n) => {
            if *n > 0.0 && *n < 1.0 || (*n == 1.0 && status == Some(TaskStatus::Done)) {
                n * 100.0
            } else {
                *n
            }
        }
        CellValue::Text(t) => match parse_rate_text(t) {
            Ok(v) => v,
            Err(NumberError::Negative) => return Err(format!("!{}", t.trim())),
            Err(_) => return Err(t.trim().to_string()),
        },
        other => return Err(other.as_text()),
    };
    if !(0.0..=100.0).contains(&value) {
        return Err(format!("!{}", cell.as_text()));
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, BUILTIN_CONFIG};
    use crate::ingest::Sheet;
    use crate::plan::form_b::parse_form_b;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    fn directory() -> UnitDirectory {
        Config::from_toml(BUILTIN_CONFIG)
            .expect("shipped config")
            .directory()
    }

    fn plan(directory: &UnitDirectory) -> Plan {
        let book = Workbook {
            sheets: vec![
                Sheet::from_rows(
                    "Thông tin",
                    vec![
                        vec![t("Số, ký hiệu"), t("12/KH-SGDĐT")],
                        vec![t("Tên kế hoạch"), t("Kế hoạch thử")],
                    ],
                ),
                Sheet::from_rows(
                    "Nhiệm vụ",
                    vec![
                        vec![t("TT"), t("Nhiệm vụ"), t("Đơn vị chủ trì"), t("Hoàn thành")],
                        vec![t("1"), t("Việc một"), t("Văn phòng"), t("10/2025")],
                        vec![t("2"), t("Việc hai"), t("Phòng Nội vụ"), t("11/2025")],
                        vec![
                            t("3"),
                            t("Việc ba"),
                            t("Văn phòng; Phòng Nội vụ"),
                            t("12/2025"),
                        ],
                    ],
                ),
            ],
        };
        parse_form_b(&book, "KH.xlsx", directory)
            .plan
            .expect("plan reads")
    }

    fn progress_book(unit: &str, rows: Vec<Vec<CellValue>>) -> Workbook {
        let mut sheet = vec![vec![
            t("TT"),
            t("Trạng thái"),
            t("Tỷ lệ hoàn thành"),
            t("Kết quả, minh chứng"),
        ]];
        sheet.extend(rows);
        Workbook {
            sheets: vec![
                Sheet::from_rows(
                    "Thông tin",
                    vec![
                        vec![t("Tên đơn vị"), t(unit)],
                        vec![t("Kỳ báo cáo"), t("11/2025")],
                        vec![t("Kế hoạch"), t("Kế hoạch số 12/KH-SGDĐT")],
                    ],
                ),
                Sheet::from_rows("Tiến độ", sheet),
            ],
        }
    }

    #[test]
    fn a_clean_report_from_a_configured_unit_and_from_a_plan_only_unit() {
        let dir = directory();
        let plans = [plan(&dir)];
        let outcome = parse_form_c(
            &progress_book(
                "Văn phòng",
                vec![
                    vec![
                        t("1"),
                        t("Hoàn thành"),
                        CellValue::Number(1.0),
                        t("Công văn 12"),
                    ],
                    vec![t("3"), t("đang thực hiện"), CellValue::Number(0.5)],
                ],
            ),
            "VP.xlsx",
            &plans,
            &dir,
        );
        assert!(outcome.messages.is_empty(), "{:?}", outcome.messages);
        let report = outcome.report.expect("accepted");
        assert_eq!(report.reporter, UnitKey::Configured(6));
        assert_eq!(report.entries[0].percent, Some(100.0));
        assert_eq!(report.entries[1].percent, Some(50.0));
        assert_eq!(report.entries[1].status, TaskStatus::InProgress);

        let outcome = parse_form_c(
            &progress_book(
                "phong noi vu",
                vec![vec![t("2"), t("Đang thực hiện"), t("40%")]],
            ),
            "NV.xlsx",
            &plans,
            &dir,
        );
        let report = outcome.report.expect("a plan's own lead unit may report");
        assert_eq!(report.reporter_label, "Phòng Nội vụ");
        assert_eq!(report.entries[0].percent, Some(40.0));
    }

    #[test]
    fn each_listed_check_has_its_code() {
        let dir = directory();
        let plans = [plan(&dir)];
        let outcome = parse_form_c(
            &progress_book(
                "Văn phòng",
                vec![
                    vec![t("9"), t("Hoàn thành")],
                    vec![t("2"), t("Hoàn thành")],
                    vec![t("1"), t("Gần xong")],
                    vec![t("3"), t("Đang thực hiện"), t("120%")],
                    vec![t("1"), t("Hoàn thành")],
                ],
            ),
            "VP.xlsx",
            &plans,
            &dir,
        );
        let codes: Vec<&str> = outcome.messages.iter().map(|m| m.code).collect();
        assert_eq!(
            codes,
            [
                "tt-khong-co",
                "khong-chu-tri",
                "trang-thai-khong-hop-le",
                "ty-le-ngoai-khoang",
                "trung-tt"
            ]
        );
        assert!(outcome.report.is_none(), "errors reject the report");
        assert_eq!(
            outcome.messages[0].location.to_string(),
            "VP.xlsx › Tiến độ › A2"
        );
        assert_eq!(
            outcome.messages[3].location.to_string(),
            "VP.xlsx › Tiến độ › C5"
        );
        assert_eq!(outcome.period, Period::new(2025, 11));
    }

    #[test]
    fn unknown_plan_and_unknown_sender_are_errors() {
        let dir = directory();
        let plans = [plan(&dir)];
        let mut book = progress_book("Phòng Y tế", vec![vec![t("1"), t("Hoàn thành")]]);
        book.sheets[0] = Sheet::from_rows(
            "Thông tin",
            vec![
                vec![t("Tên đơn vị"), t("Phòng Y tế")],
                vec![t("Kỳ báo cáo"), t("11/2025")],
                vec![t("Kế hoạch"), t("99/KH-SGDĐT")],
            ],
        );
        let outcome = parse_form_c(&book, "YT.xlsx", &plans, &dir);
        let codes: Vec<&str> = outcome.messages.iter().map(|m| m.code).collect();
        assert_eq!(codes, ["ke-hoach-khong-ro", "don-vi-khong-ro"]);
    }

    #[test]
    fn percentages_as_typed() {
        assert_eq!(read_percent(&t("93,5%"), None), Ok(Some(93.5)));
        assert_eq!(read_percent(&CellValue::Number(60.0), None), Ok(Some(60.0)));
        assert_eq!(read_percent(&CellValue::Empty, None), Ok(None));
        assert!(read_percent(&t("-5"), None).is_err());
        assert!(read_percent(&CellValue::Number(101.0), None).is_err());
        assert_eq!(read_percent(&t("nhiều"), None), Err("nhiều".to_string()));
    }
}
