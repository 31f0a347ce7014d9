//! The short Vietnamese summary a run prints: what was read, accepted, rejected, who is
//! missing, what was written.

use std::fmt::Write;

use super::monthly::MonthlyRun;
use crate::validate::{RecordStatus, Severity};

/// The summary text of a monthly run.
pub fn monthly_summary(run: &MonthlyRun, wrote_documents: bool) -> String {
    let intake = &run.intake;
    let mut out = String::new();
    let count = |wanted: fn(&RecordStatus) -> bool| {
        intake.records.iter().filter(|r| wanted(&r.status)).count()
    };
    let read = count(|s| !matches!(s, RecordStatus::NotAForm));
    let accepted = count(|s| matches!(s, RecordStatus::Accepted));
    let rejected = count(|s| matches!(s, RecordStatus::Rejected | RecordStatus::NotRead));
    let superseded = count(|s| matches!(s, RecordStatus::Superseded { .. }));
    let other_period = count(|s| matches!(s, RecordStatus::OtherPeriod));
    let _ = writeln!(out, "baocao — báo cáo {}", intake.period.in_text());
    let _ = writeln!(
        out,
        "Bảng tính đã đọc: {read}; chấp nhận: {accepted}; bị từ chối: {rejected}; bị thay thế: {superseded}; kỳ khác: {other_period}"
    );
    if intake.missing.is_empty() {
        let _ = writeln!(out, "Đơn vị chưa nộp hoặc chưa hợp lệ: không có");
    } else {
        let names: Vec<String> = intake
            .missing
            .iter()
            .map(|&i| run.config.units[i].name.clone())
            .collect();
        let _ = writeln!(
            out,
            "Đơn vị chưa nộp hoặc chưa hợp lệ ({}): {}",
            names.len(),
            names.join("; ")
        );
    }
    let errors = intake
        .messages
        .iter()
        .filter(|m| m.severity == Severity::Error)
        .count();
    let warnings = intake
        .messages
        .iter()
        .filter(|m| m.severity == Severity::Warning)
        .count();
    let _ = writeln!(out, "Lỗi: {errors}; cảnh báo: {warnings}");
    for message in intake
        .messages
        .iter()
        .filter(|m| m.severity != Severity::Notice)
    {
        let _ = writeln!(out, "  {message}");
    }
    if wrote_documents {
        if run.written.is_empty() {
            let _ = writeln!(
                out,
                "Không ghi được tài liệu nào: không có báo cáo hợp lệ cho kỳ này."
            );
        } else {
            let _ = writeln!(out, "Đã ghi:");
            for path in &run.written {
                let _ = writeln!(out, "  {}", path.display());
            }
        }
    } else {
        let _ = writeln!(out, "Chế độ kiểm tra: không ghi tài liệu.");
    }
    out
}
