//! Checks across submissions: one report per unit, every unit present, and units that do
//! not add up to more than the department says it handled.

use std::cmp::Ordering;

use super::message::{Location, Message};
use super::record::{RecordStatus, SubmissionRecord};
use crate::config::UnitDirectory;
use crate::model::{MonthlySubmission, Reporter, STANDARD_CODES};
use crate::vn::Period;

/// Keeps one submission per reporter: the later `Ngày lập`, then the newer file, wins;
/// the others are recorded as superseded and named in a warning.
pub fn settle_duplicates(
    mut submissions: Vec<MonthlySubmission>,
    records: &mut [SubmissionRecord],
    messages: &mut Vec<Message>,
) -> Vec<MonthlySubmission> {
    submissions.sort_by(|a, b| a.reporter.cmp(&b.reporter).then_with(|| newer_first(a, b)));
    let mut kept: Vec<MonthlySubmission> = Vec::new();
    for submission in submissions {
        match kept.last() {
            Some(winner) if winner.reporter == submission.reporter => {
                let winner_file = winner.source.display.clone();
                messages.push(Message::warning(
                    "nop-trung",
                    Location::file(&submission.source.display),
                    format!(
                        "Đơn vị đã nộp nhiều báo cáo cho kỳ này; dùng tệp «{winner_file}» (ngày lập muộn hơn hoặc tệp mới hơn), bỏ tệp này"
                    ),
                ));
                if let Some(record) = records
                    .iter_mut()
                    .find(|r| r.file == submission.source.display)
                {
                    record.status = RecordStatus::Superseded { by: winner_file };
                }
            }
            _ => kept.push(submission),
        }
    }
    kept
}

fn newer_first(a: &MonthlySubmission, b: &MonthlySubmission) -> Ordering {
    b.prepared_on
        .cmp(&a.prepared_on)
        .then_with(|| b.source.modified.cmp(&a.source.modified))
        .then_with(|| b.source.display.cmp(&a.source.display))
}

/// One warning per unit without an accepted report: `chua-nop` when nothing came in,
/// `bao-cao-co-loi` when its report was rejected for errors (it did report).
pub fn check_missing(
    directory: &UnitDirectory,
    missing: &[usize],
    rejected: &[usize],
    period: Period,
    input_label: &str,
    messages: &mut Vec<Message>,
) {
    for &index in missing {
        let unit = &directory.units()[index];
        let (code, text) = if rejected.contains(&index) {
            (
                "bao-cao-co-loi",
                format!(
                    "{} ({}): báo cáo {} bị từ chối do có lỗi, chưa được tổng hợp",
                    unit.name,
                    unit.code,
                    period.in_text()
                ),
            )
        } else {
            (
                "chua-nop",
                format!(
                    "{} ({}) chưa nộp báo cáo {}",
                    unit.name,
                    unit.code,
                    period.in_text()
                ),
            )
        };
        messages.push(Message::warning(code, Location::file(input_label), text));
    }
}

/// One warning per accepted report whose figures are withheld, so the summary says whose
/// figures the totals lack.
pub fn check_withheld(
    submissions: &[MonthlySubmission],
    directory: &UnitDirectory,
    period: Period,
    messages: &mut Vec<Message>,
) {
    for submission in submissions.iter().filter(|s| s.figures.is_none()) {
        let (name, code) = match submission.reporter {
            Reporter::Unit(i) => (
                directory.units()[i].name.as_str(),
                directory.units()[i].code.as_str(),
            ),
            Reporter::Department => (directory.department_name(), directory.department_code()),
        };
        messages.push(Message::warning(
            "so-lieu-chua-tong-hop",
            Location::file(&submission.source.display),
            format!(
                "{name} ({code}): số liệu báo cáo {} có lỗi nên chưa được tổng hợp, chờ đơn vị sửa; phần nội dung vẫn có trong báo cáo",
                period.in_text()
            ),
        ));
    }
}

/// Warns when the units together handled more than the department's own totals, which means
/// a unit or the department typed a wrong figure.
pub fn check_against_department(
    submissions: &[MonthlySubmission],
    directory: &UnitDirectory,
    messages: &mut Vec<Message>,
) {
    let department = submissions
        .iter()
        .find(|s| s.reporter == Reporter::Department);
    let Some((department, totals)) = department.and_then(|d| Some((d, d.figures?))) else {
        let at = department.map_or_else(
            || Location::file(directory.department_code()),
            |d| Location::file(&d.source.display),
        );
        messages.push(Message::warning(
            "thieu-so-lieu-so",
            at,
            format!(
                "Chưa có số liệu toàn Sở (mã {}) được tổng hợp; tỷ lệ của từng đơn vị được tính trên tổng của các đơn vị có số liệu, và báo cáo ghi rõ điều đó",
                directory.department_code()
            ),
        ));
        return;
    };
    let units: Vec<&MonthlySubmission> = submissions
        .iter()
        .filter(|s| s.reporter != Reporter::Department)
        .collect();
    for (code, label) in STANDARD_CODES {
        let total = totals.get(code).unwrap_or(0);
        let sum: u64 = units
            .iter()
            .filter_map(|s| s.figures.as_ref()?.get(code))
            .sum();
        if sum > total {
            let cell = department
                .figure_cells
                .get(code)
                .cloned()
                .unwrap_or_default();
            messages.push(Message::warning(
                "vuot-tong-so",
                Location::cell(&department.source.display, super::form_a::sheets::FIGURES, cell),
                format!("Tổng của các đơn vị ({sum}) lớn hơn số liệu toàn Sở ({total}) ở mã {code} ({label})"),
            ));
        }
    }
}
