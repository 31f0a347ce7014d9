//! The short Vietnamese summary a run prints: what was read, accepted, rejected, who is
//! missing, what was written.

use std::fmt::Write;

use serde::Serialize;

use super::monthly::{Mode, MonthlyRun};
use crate::validate::{Message, RecordStatus, Severity, SubmissionRecord};

/// The summary text of a monthly run.
pub fn monthly_summary(run: &MonthlyRun) -> String {
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
    for note in &run.recovered {
        let _ = writeln!(out, "Khôi phục: {note}");
    }
    match run.mode {
        Mode::Check => {
            let _ = writeln!(out, "Chế độ kiểm tra: không ghi tài liệu.");
        }
        _ if run.written.is_empty() => {
            let _ = writeln!(
                out,
                "Không ghi được tài liệu nào: không có báo cáo hợp lệ cho kỳ này."
            );
        }
        Mode::DryRun => {
            let _ = writeln!(out, "Chạy thử: sẽ ghi (chưa ghi gì):");
            for path in &run.written {
                let _ = writeln!(out, "  {}", path.display());
            }
        }
        Mode::Write => {
            let _ = writeln!(out, "Đã ghi:");
            for path in &run.written {
                let _ = writeln!(out, "  {}", path.display());
            }
        }
    }
    out
}

/// Only the errors, for `--quiet` under cron.
pub fn errors_only(run: &MonthlyRun) -> String {
    let mut out = String::new();
    for message in run
        .intake
        .messages
        .iter()
        .filter(|m| m.severity == Severity::Error)
    {
        let _ = writeln!(out, "{message}");
    }
    if run.written.is_empty() && run.mode != Mode::Check {
        let _ = writeln!(
            out,
            "Không ghi được tài liệu nào: không có báo cáo hợp lệ cho kỳ này."
        );
    }
    out
}

/// The summary as JSON, for scripts and monitoring.
#[derive(Serialize)]
struct JsonSummary<'a> {
    period: String,
    exit_status: u8,
    accepted: usize,
    rejected: usize,
    missing_units: Vec<&'a str>,
    files: &'a [SubmissionRecord],
    messages: &'a [Message],
    written: Vec<String>,
    dry_run: bool,
}

/// The run's summary as a JSON document.
pub fn monthly_json(run: &MonthlyRun) -> String {
    let intake = &run.intake;
    let summary = JsonSummary {
        period: intake.period.slug(),
        exit_status: run.outcome.code(),
        accepted: intake
            .records
            .iter()
            .filter(|r| r.status == RecordStatus::Accepted)
            .count(),
        rejected: intake.rejected_count(),
        missing_units: intake
            .missing
            .iter()
            .map(|&i| run.config.units[i].code.as_str())
            .collect(),
        files: &intake.records,
        messages: &intake.messages,
        written: run
            .written
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        dry_run: run.mode == Mode::DryRun,
    };
    serde_json::to_string_pretty(&summary).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
