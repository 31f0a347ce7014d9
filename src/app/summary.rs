//! The short Vietnamese summary a run prints: what was read, accepted, rejected, who is
//! missing, what was written.

use std::fmt::Write;

use serde::Serialize;

use super::monthly::{ConfigSources, Mode, MonthlyRun};
use crate::aggregate::SubmissionRates;
use crate::config::{Config, ConfigOrigin};
use crate::model::Reporter;
use crate::schools::indicators::Absence;
use crate::schools::{TargetResults, Verdict};
use crate::text::fold_key;
use crate::validate::intake::FormKind;
use crate::validate::{Message, RecordStatus, Severity, SubmissionRecord};
use crate::vn::date::format_date;
use crate::vn::number::{format_int, format_percent_tenths, share_tenths};

/// The summary text of a monthly run.
pub fn monthly_summary(run: &MonthlyRun) -> String {
    let intake = &run.intake;
    let mut out = String::new();
    let count = |wanted: fn(&RecordStatus) -> bool| {
        intake.records.iter().filter(|r| wanted(&r.status)).count()
    };
    let read = count(|s| !matches!(s, RecordStatus::NotAForm));
    // Plans and progress files are counted apart: they are not the month's reports.
    let for_plans = |r: &&SubmissionRecord| r.form.is_some_and(FormKind::is_plan_form);
    let monthly = |wanted: fn(&RecordStatus) -> bool| {
        intake
            .records
            .iter()
            .filter(|r| !for_plans(r) && wanted(&r.status))
            .count()
    };
    let accepted = intake
        .records
        .iter()
        .filter(|r| r.status == RecordStatus::Accepted && r.school.is_none() && !for_plans(r))
        .count();
    let rejected = monthly(|s| matches!(s, RecordStatus::Rejected | RecordStatus::NotRead));
    let superseded = count(|s| matches!(s, RecordStatus::Superseded { .. }));
    let other_period = monthly(|s| matches!(s, RecordStatus::OtherPeriod));
    let other_forms = intake.records.iter().filter(|r| for_plans(r)).count();
    let _ = writeln!(out, "baocao — báo cáo {}", intake.period.in_text());
    let _ = writeln!(out, "{}", sources_line(&run.sources));
    if run.sources.origin == ConfigOrigin::Builtin {
        let _ = writeln!(
            out,
            "Cảnh báo: {}",
            crate::config::locate::builtin_warning()
        );
    }
    let _ = writeln!(
        out,
        "Bảng tính đã đọc: {read}; báo cáo tháng chấp nhận: {accepted}; bị từ chối: {rejected}; bị thay thế: {superseded}; kỳ khác: {other_period}; kế hoạch và tiến độ: {other_forms}"
    );
    // A unit whose report has an error did report: "có lỗi", never "chưa nộp".
    for (label, units) in [
        ("Đơn vị chưa nộp", intake.units_not_submitted()),
        (
            "Đơn vị có lỗi, số liệu chưa tổng hợp",
            intake.units_with_errors(),
        ),
    ] {
        if units.is_empty() {
            let _ = writeln!(out, "{label}: không có");
        } else {
            let names: Vec<&str> = units
                .iter()
                .map(|&i| run.config.units[i].name.as_str())
                .collect();
            let _ = writeln!(out, "{label} ({}): {}", names.len(), names.join("; "));
        }
    }
    if let Some(rates) = &run.rates {
        let _ = writeln!(out, "{}", rates_line(rates, run));
    }
    if let Some(targets) = &run.targets {
        let _ = writeln!(
            out,
            "{}",
            schools_line(targets, &run.config.organisation.locality)
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
    if let Some(reason) = &run.report_not_made {
        let _ = writeln!(out, "Không lập được báo cáo tháng: {reason}.");
    }
    if let Some(delivery) = &run.delivery {
        out.push_str(&super::delivery::delivery_lines(delivery));
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

/// `Cấu hình: /etc/baocao/baocao.toml (cấu hình hệ thống); mẫu câu chữ: …`
fn sources_line(sources: &ConfigSources) -> String {
    format!(
        "Cấu hình: {} ({}); mẫu câu chữ: {}",
        sources.config, sources.origin, sources.templates
    )
}

/// `Thống kê trường học: 1.695/1.700 trường (99,7%); chưa nộp: 3; có lỗi: 2; chỉ tiêu chưa đạt: 4/18`
fn schools_line(targets: &TargetResults, locality: &str) -> String {
    let reported = format_int(targets.schools_reported as u64);
    let mut line = if targets.schools_expected > 0 {
        let rate = share_tenths(
            targets.schools_reported as u64,
            targets.schools_expected as u64,
        )
        .map(format_percent_tenths)
        .unwrap_or_default();
        format!(
            "Thống kê trường học: {reported}/{} trường ({rate})",
            format_int(targets.schools_expected as u64)
        )
    } else {
        format!("Thống kê trường học: {reported} trường (chưa cấu hình danh sách trường)")
    };
    let absent = |wanted: Absence| targets.absent.iter().filter(|(_, a)| *a == wanted).count();
    let missed = targets
        .indicators
        .iter()
        .zip(&targets.city)
        .filter(|(i, f)| f.verdict(i) == Verdict::Missed)
        .count();
    line.push_str(&format!(
        "; chưa nộp: {}; có lỗi: {}; chỉ tiêu chưa đạt (toàn {locality}): {missed}/{}",
        absent(Absence::NotSubmitted),
        absent(Absence::Rejected),
        targets.indicators.len()
    ));
    line
}

/// `Tỷ lệ báo cáo: 7/7 (100%); đúng hạn: 6/7 (85,7%), hạn nộp 03/12/2025; nộp muộn: …`
fn rates_line(rates: &SubmissionRates, run: &MonthlyRun) -> String {
    let percent = |tenths: Option<u64>| {
        tenths.map_or_else(|| "không tính được".to_string(), format_percent_tenths)
    };
    let mut line = format!(
        "Tỷ lệ báo cáo: {}/{} ({})",
        rates.submitted,
        rates.expected,
        percent(rates.reporting_rate)
    );
    if !rates.with_errors.is_empty() {
        line.push_str(&format!(", trong đó có lỗi: {}", rates.with_errors.len()));
    }
    if let Some(deadline) = rates.deadline {
        line.push_str(&format!(
            "; đúng hạn: {}/{} ({}), hạn nộp {}",
            rates.on_time,
            rates.expected,
            percent(rates.on_time_rate),
            format_date(deadline)
        ));
        if !rates.late_units.is_empty() {
            let names: Vec<&str> = rates
                .late_units
                .iter()
                .map(|&i| run.config.units[i].name.as_str())
                .collect();
            line.push_str(&format!("; nộp muộn: {}", names.join(", ")));
        }
    }
    line
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
    for failure in run.delivery.iter().flat_map(|d| &d.failures) {
        let _ = writeln!(out, "Lỗi gửi thư: {failure}");
    }
    out
}

/// The version of the `--json` document (docs/json.md); raised when a field changes meaning
/// or goes away, not when one is added.
pub const JSON_SCHEMA_VERSION: u32 = 2;

/// The summary as JSON, for scripts and monitoring.
#[derive(Serialize)]
struct JsonSummary<'a> {
    schema_version: u32,
    period: String,
    config: &'a ConfigSources,
    exit_status: u8,
    accepted: usize,
    rejected: usize,
    /// Units with nothing received ("chưa nộp").
    missing_units: Vec<&'a str>,
    /// Units whose report has an error ("có lỗi": rejected, or figures withheld).
    units_with_errors: Vec<&'a str>,
    /// Why the monthly report could not be made, when it could not.
    monthly_report_not_made: Option<&'a str>,
    /// The records with `reporter` as a unit code (the department's own code for it).
    files: Vec<serde_json::Value>,
    messages: &'a [Message],
    written: Vec<String>,
    dry_run: bool,
    /// 0 when nothing came in; null only when no unit is configured.
    reporting_rate_percent: Option<f64>,
    on_time_rate_percent: Option<f64>,
    late_units: Vec<&'a str>,
    schools_reported: Option<usize>,
    schools_expected: Option<usize>,
    /// Registered schools without an accepted Form D: all of them when none reported.
    schools_absent: Vec<&'a str>,
    /// What e-mail delivery did; absent when `[delivery]` is not configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    delivery: Option<&'a crate::deliver::email::DeliveryReport>,
}

/// The run's summary as a JSON document.
pub fn monthly_json(run: &MonthlyRun) -> String {
    let intake = &run.intake;
    let registry_known = !run.registered_schools.is_empty();
    let summary = JsonSummary {
        schema_version: JSON_SCHEMA_VERSION,
        period: intake.period.slug(),
        config: &run.sources,
        exit_status: run.outcome.code(),
        accepted: intake
            .records
            .iter()
            .filter(|r| r.status == RecordStatus::Accepted)
            .filter(|r| !r.form.is_some_and(FormKind::is_plan_form))
            .count(),
        rejected: intake.rejected_count(),
        missing_units: intake
            .units_not_submitted()
            .iter()
            .map(|&i| run.config.units[i].code.as_str())
            .collect(),
        units_with_errors: intake
            .units_with_errors()
            .iter()
            .map(|&i| run.config.units[i].code.as_str())
            .collect(),
        monthly_report_not_made: run.report_not_made.as_deref(),
        files: json_files(run),
        messages: &intake.messages,
        written: run
            .written
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        dry_run: run.mode == Mode::DryRun,
        reporting_rate_percent: run
            .rates
            .as_ref()
            .and_then(|r| r.reporting_rate)
            .map(|t| t as f64 / 10.0),
        on_time_rate_percent: run
            .rates
            .as_ref()
            .and_then(|r| r.on_time_rate)
            .map(|t| t as f64 / 10.0),
        late_units: run
            .rates
            .iter()
            .flat_map(|r| {
                r.late_units
                    .iter()
                    .map(|&i| run.config.units[i].code.as_str())
            })
            .collect(),
        schools_reported: run
            .targets
            .as_ref()
            .map(|t| t.schools_reported)
            .or_else(|| registry_known.then_some(run.intake.schools.len())),
        schools_expected: run
            .targets
            .as_ref()
            .map(|t| t.schools_expected)
            .or_else(|| registry_known.then_some(run.registered_schools.len())),
        schools_absent: schools_absent(run),
        delivery: run.delivery.as_ref(),
    };
    serde_json::to_string_pretty(&summary).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Who reported, as a script can use it: the unit's code (the department's own code for
/// the department), never a position in the configuration, which changes when units do.
fn reporter_code(reporter: Reporter, config: &Config) -> &str {
    match reporter {
        Reporter::Unit(index) => config
            .units
            .get(index)
            .map_or("", |unit| unit.code.as_str()),
        Reporter::Department => config.organisation.department_code.as_str(),
    }
}

/// Every record as JSON, with `reporter` replaced by its code.
fn json_files(run: &MonthlyRun) -> Vec<serde_json::Value> {
    run.intake
        .records
        .iter()
        .map(|record| {
            let mut value = serde_json::to_value(record).unwrap_or(serde_json::Value::Null);
            if let Some(fields) = value.as_object_mut() {
                let code = record
                    .reporter
                    .map(|r| serde_json::Value::from(reporter_code(r, &run.config)));
                fields.insert("reporter".into(), code.unwrap_or(serde_json::Value::Null));
            }
            value
        })
        .collect()
}

/// Registered schools without an accepted Form D. When no school statistics were judged
/// (no school sent anything, or no monthly report could be made), that is every registered
/// school but those whose Form D was accepted.
fn schools_absent(run: &MonthlyRun) -> Vec<&str> {
    if let Some(targets) = &run.targets {
        return targets
            .absent
            .iter()
            .map(|(school, _)| school.code.as_str())
            .collect();
    }
    let reported: std::collections::HashSet<String> = run
        .intake
        .schools
        .iter()
        .map(|report| fold_key(&report.school.code))
        .collect();
    run.registered_schools
        .iter()
        .filter(|code| !reported.contains(&fold_key(code)))
        .map(String::as_str)
        .collect()
}
