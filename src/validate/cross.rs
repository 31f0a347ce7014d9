//! Checks across submissions: one report per unit, every unit present, and units that do
//! not add up to more than the department says it handled.

use std::cmp::Ordering;

use super::intake::{RecordStatus, SubmissionRecord};
use super::message::{Location, Message};
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

/// One warning per unit without an accepted report.
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
        let text = if rejected.contains(&index) {
            format!(
                "{} ({}): báo cáo {} bị từ chối do có lỗi, chưa được tổng hợp",
                unit.name,
                unit.code,
                period.in_text()
            )
        } else {
            format!(
                "{} ({}) chưa nộp báo cáo {}",
                unit.name,
                unit.code,
                period.in_text()
            )
        };
        messages.push(Message::warning(
            "chua-nop",
            Location::file(input_label),
            text,
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
    let Some(department) = submissions
        .iter()
        .find(|s| s.reporter == Reporter::Department)
    else {
        messages.push(Message::warning(
            "thieu-so-lieu-so",
            Location::file(directory.department_code()),
            format!(
                "Chưa có báo cáo số liệu toàn Sở (mã {}); tỷ lệ của từng đơn vị được tính trên tổng của các đơn vị",
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
        let total = department.figures.get(code).unwrap_or(0);
        let sum: u64 = units.iter().filter_map(|s| s.figures.get(code)).sum();
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
