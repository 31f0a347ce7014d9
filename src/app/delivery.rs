//! The last step of `run` and `check --notify`: leadership receives the report, each unit its
//! own feedback, each message once (see [`crate::deliver::email`]). The feedback files are
//! written with the documents whether or not e-mail is configured.

use std::fmt::Write;
use std::path::Path;

use crate::aggregate::SubmissionRates;
use crate::config::{Config, LoadedConfig};
use crate::deliver::email::{
    copy_documents, send_all, Attachment, DeliveryReport, Outgoing, SendOptions,
};
use crate::deliver::feedback::Feedback;
use crate::deliver::OutputFile;
use crate::validate::{Intake, Severity};
use crate::vn::date::format_date;
use crate::vn::number::format_percent_tenths;

/// What the command line asked of delivery.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeliveryOptions {
    /// `--no-send`: write the documents and feedback files, send nothing.
    pub no_send: bool,
    /// `--resend`: send again what recipients already received.
    pub resend: bool,
    /// `check --notify`: remind units whose submission is missing or has problems.
    pub notify: bool,
}

/// The ledger topic of the report to leadership.
pub const REPORT_TOPIC: &str = "bao-cao";

/// The feedback files, one per unit, for the period's folder.
pub fn feedback_files(feedback: &[Feedback]) -> Vec<OutputFile> {
    feedback
        .iter()
        .map(|f| OutputFile {
            name: f.file_name(),
            bytes: f.text.clone().into_bytes(),
        })
        .collect()
}

/// Sends the report to the leaders and every unit's feedback to the units with an address;
/// `None` when `[delivery]` is not configured or `--no-send` was given.
#[allow(clippy::too_many_arguments)]
pub fn deliver_run(
    loaded: &LoadedConfig,
    output: &Path,
    intake: &Intake,
    rates: Option<&SubmissionRates>,
    feedback: &[Feedback],
    outputs: &[OutputFile],
    options: DeliveryOptions,
    dry_run: bool,
) -> Option<DeliveryReport> {
    let settings = loaded.config.delivery.as_ref()?;
    if options.no_send {
        return None;
    }
    let documents: Vec<Attachment> = outputs
        .iter()
        .filter(|o| !o.name.contains('/'))
        .filter(|o| {
            [".docx", ".xlsx", ".pdf"]
                .iter()
                .any(|e| o.name.ends_with(e))
        })
        .map(|o| Attachment {
            name: o.name.clone(),
            bytes: o.bytes.clone(),
        })
        .collect();
    let mut messages = Vec::new();
    if !settings.leaders.is_empty() {
        messages.push(Outgoing {
            topic: REPORT_TOPIC.to_string(),
            to: settings.leaders.clone(),
            subject: report_subject(&loaded.config, intake),
            body: report_body(&loaded.config, intake, rates, &documents),
            attachments: documents.clone(),
        });
    }
    messages.extend(feedback_messages(&loaded.config, intake, feedback, false));
    let slug = intake.period.slug();
    let mut report = send_all(
        settings,
        &config_dir(loaded),
        output,
        &slug,
        &messages,
        SendOptions {
            resend: options.resend,
            dry_run,
        },
    );
    let folder = settings.copy_to.trim();
    if !folder.is_empty() && !dry_run {
        match copy_documents(Path::new(folder), &slug, &documents) {
            Ok(copied) => report.copied = copied,
            Err(error) => report.failures.push(error.to_string()),
        }
    }
    Some(report)
}

/// `check --notify`: the feedback of units that have not sent a usable report, or whose
/// report has problems, sent before the deadline.
pub fn notify_units(
    loaded: &LoadedConfig,
    output: &Path,
    intake: &Intake,
    feedback: &[Feedback],
    options: DeliveryOptions,
) -> DeliveryReport {
    let Some(settings) = loaded.config.delivery.as_ref() else {
        return DeliveryReport {
            failures: vec![
                "chưa cấu hình gửi thư (mục [delivery] trong tệp cấu hình) nên không gửi được nhắc nhở".to_string(),
            ],
            ..DeliveryReport::default()
        };
    };
    let messages = feedback_messages(&loaded.config, intake, feedback, true);
    send_all(
        settings,
        &config_dir(loaded),
        output,
        &intake.period.slug(),
        &messages,
        SendOptions {
            resend: options.resend,
            dry_run: false,
        },
    )
}

/// The folder the configuration was read from, against which `smtp_password_file` is read.
fn config_dir(loaded: &LoadedConfig) -> std::path::PathBuf {
    Path::new(&loaded.source)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
        .to_path_buf()
}

/// One message per unit with an address; with `only_attention`, only to units that have
/// something to do.
fn feedback_messages(
    config: &Config,
    intake: &Intake,
    feedback: &[Feedback],
    only_attention: bool,
) -> Vec<Outgoing> {
    feedback
        .iter()
        .filter(|f| !only_attention || f.needs_attention())
        .filter_map(|f| {
            let email = f.email.clone()?;
            let file = f.file_name();
            let attachment_name = format!(
                "phan-hoi-{}-{}.txt",
                file.trim_start_matches("phan-hoi/")
                    .trim_end_matches(".txt"),
                intake.period.slug()
            );
            Some(Outgoing {
                topic: f.topic(),
                to: vec![email],
                subject: format!(
                    "Phiếu phản hồi báo cáo {} — {} — {}",
                    intake.period.in_text(),
                    f.name,
                    sender_name(config)
                ),
                body: f.text.clone(),
                attachments: vec![Attachment {
                    name: attachment_name,
                    bytes: f.text.clone().into_bytes(),
                }],
            })
        })
        .collect()
}

/// `Sở GDĐT Hải Phòng`.
fn sender_name(config: &Config) -> String {
    format!(
        "{} {}",
        config.organisation.short_name, config.organisation.place
    )
}

/// `Báo cáo tháng 11/2025 — Sở GDĐT Hải Phòng`.
fn report_subject(config: &Config, intake: &Intake) -> String {
    format!(
        "Báo cáo {} — {}",
        intake.period.in_text(),
        sender_name(config)
    )
}

/// The body of the report's message: the run in a few lines, so a reader knows before
/// opening the documents how complete they are. Nothing in it depends on the clock, so the
/// same inputs give the same message and it is not sent twice.
fn report_body(
    config: &Config,
    intake: &Intake,
    rates: Option<&SubmissionRates>,
    documents: &[Attachment],
) -> String {
    let mut body = String::new();
    let _ = writeln!(
        body,
        "Kính gửi Lãnh đạo {},",
        config.organisation.short_name
    );
    let _ = writeln!(body);
    let _ = writeln!(
        body,
        "Báo cáo tình hình công tác {} của {} đã được lập. Tài liệu gửi kèm:",
        intake.period.in_text(),
        sender_name(config)
    );
    for document in documents {
        let _ = writeln!(body, "- {}", document.name);
    }
    let _ = writeln!(body);
    let _ = writeln!(body, "Tóm tắt:");
    if let Some(rates) = rates {
        let percent = |tenths: Option<u64>| {
            tenths.map_or_else(|| "không tính được".to_string(), format_percent_tenths)
        };
        let mut line = format!(
            "- Tỷ lệ báo cáo: {}/{} đơn vị ({})",
            rates.submitted,
            rates.expected,
            percent(rates.reporting_rate)
        );
        if let Some(deadline) = rates.deadline {
            line.push_str(&format!(
                "; đúng hạn: {}/{} ({}), hạn nộp {}",
                rates.on_time,
                rates.expected,
                percent(rates.on_time_rate),
                format_date(deadline)
            ));
        }
        let _ = writeln!(body, "{line}");
        if !rates.late_units.is_empty() {
            let names: Vec<&str> = rates
                .late_units
                .iter()
                .filter_map(|&i| config.units.get(i).map(|u| u.name.as_str()))
                .collect();
            let _ = writeln!(body, "- Nộp muộn: {}", names.join("; "));
        }
    }
    let names = |indices: Vec<usize>| -> String {
        if indices.is_empty() {
            return "không có".to_string();
        }
        indices
            .iter()
            .filter_map(|&i| config.units.get(i).map(|u| u.name.as_str()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let not_sent: Vec<usize> = intake
        .missing
        .iter()
        .copied()
        .filter(|i| !intake.rejected_units.contains(i))
        .collect();
    let _ = writeln!(body, "- Đơn vị chưa nộp: {}", names(not_sent));
    let _ = writeln!(
        body,
        "- Đơn vị có báo cáo bị từ chối (chưa tổng hợp): {}",
        names(intake.rejected_units.clone())
    );
    let count = |severity| {
        intake
            .messages
            .iter()
            .filter(|m| m.severity == severity)
            .count()
    };
    let _ = writeln!(
        body,
        "- Lỗi: {}; cảnh báo: {} (chi tiết trong bảng số liệu, trang các thông báo kiểm tra)",
        count(Severity::Error),
        count(Severity::Warning)
    );
    let _ = writeln!(body);
    let _ = writeln!(
        body,
        "Thư này do chương trình baocao gửi tự động; mỗi đơn vị đã nhận phiếu phản hồi về báo cáo của mình."
    );
    body
}

/// The delivery lines of the run log and the summary.
pub fn delivery_lines(report: &DeliveryReport) -> String {
    let mut out = String::new();
    for entry in &report.sent {
        let _ = writeln!(
            out,
            "Đã gửi thư «{}» tới {} (Message-ID {}, lúc {}; {} tệp đính kèm)",
            entry.topic,
            entry.recipient,
            entry.message_id,
            entry.sent_at,
            entry.attachments.len()
        );
    }
    for planned in &report.would_send {
        let _ = writeln!(
            out,
            "Sẽ gửi thư «{}» tới {}: {}{}",
            planned.topic,
            planned.recipients.join(", "),
            planned.subject,
            attachments_note(&planned.attachments)
        );
    }
    for planned in &report.pending {
        let _ = writeln!(
            out,
            "Chưa gửi được thư «{}» tới {} (lần chạy sau sẽ gửi)",
            planned.topic,
            planned.recipients.join(", ")
        );
    }
    if report.unchanged > 0 {
        let _ = writeln!(
            out,
            "Không gửi lại {} thư: người nhận đã nhận đúng nội dung này (dùng --resend để gửi lại)",
            report.unchanged
        );
    }
    for name in &report.copied {
        let _ = writeln!(out, "Đã chép {name} vào thư mục copy_to");
    }
    for failure in &report.failures {
        let _ = writeln!(out, "Lỗi gửi thư: {failure}");
    }
    out
}

fn attachments_note(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(" (kèm {})", names.join(", "))
    }
}
