//! The last step of `run` and `check --notify`: leadership receives the report, each unit its
//! own feedback, each message once (see [`crate::deliver::email`]). The feedback files are
//! written with the documents whether or not e-mail is configured.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use crate::aggregate::SubmissionRates;
use crate::config::{Config, LoadedConfig};
use crate::deliver::email::{
    copy_documents, send_all, send_test, Attachment, DeliveryError, DeliveryReport, Outbox,
    Outgoing, Replace, SendOptions, TestReply,
};
use crate::deliver::feedback::{build_feedback, Feedback};
use crate::deliver::texts::{sender_name, DeliveryTexts, BUILTIN_TEXTS, TEST_KEYS};
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
    texts: &DeliveryTexts,
    output: &Path,
    intake: &Intake,
    rates: Option<&SubmissionRates>,
    feedback: &[Feedback],
    outputs: &[OutputFile],
    options: DeliveryOptions,
    dry_run: bool,
) -> Option<DeliveryReport> {
    let settings = loaded.config.delivery.as_ref()?;
    let slug = intake.period.slug();
    if options.no_send {
        // Nothing of this period is to be sent: the retry must not send an older outbox.
        if !dry_run {
            if let Err(error) = Outbox::clear(output, &slug) {
                tracing::warn!("{error}");
            }
        }
        return None;
    }
    let mut failures = Vec::new();
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
    // `rates` is absent only when no monthly report was made: leadership then gets nothing.
    if !settings.leaders.is_empty() && rates.is_some() {
        match report_message(&loaded.config, texts, intake, rates, &documents) {
            Ok((subject, body)) => messages.push(Outgoing {
                topic: REPORT_TOPIC.to_string(),
                to: settings.leaders.clone(),
                subject,
                body,
                attachments: documents.clone(),
            }),
            Err(error) => failures.push(format!("{error:#}")),
        }
    }
    messages.extend(feedback_messages(intake, feedback, false));
    if !dry_run {
        if let Err(error) = Outbox::store(output, &slug, &messages, Replace::All) {
            failures.push(error.to_string());
        }
    }
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
    report.failures.extend(failures);
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
    let messages = feedback_messages(intake, feedback, true);
    let slug = intake.period.slug();
    let stored = Outbox::store(output, &slug, &messages, Replace::Feedback);
    let mut report = send_all(
        settings,
        &config_dir(loaded),
        output,
        &slug,
        &messages,
        SendOptions {
            resend: options.resend,
            dry_run: false,
        },
    );
    if let Err(error) = stored {
        report.failures.push(error.to_string());
    }
    report
}

/// `check` and `run --dry-run`: the whole `[delivery]` section, the password, the `ca_file`
/// and every address (leaders, units, schools), each problem with its key, before anything
/// is sent. Nothing is checked when delivery is not configured.
pub fn validate_delivery(loaded: &LoadedConfig) -> Result<()> {
    use crate::config::delivery::PASSWORD_VARIABLE;
    let variable = std::env::var(PASSWORD_VARIABLE).ok();
    if let Some(settings) = &loaded.config.delivery {
        if settings.password_elsewhere(variable.as_deref()) {
            tracing::warn!(
                "tệp cấu hình {}, khóa «delivery.username»: có username nhưng lệnh này không thấy mật khẩu (biến môi trường {PASSWORD_VARIABLE} hoặc khóa smtp_password_file); dịch vụ systemd đọc biến này từ /etc/baocao/smtp.env, còn lệnh gõ tay thì không — nếu mật khẩu không có ở đó, lần gửi thư sẽ lỗi",
                loaded.source
            );
        }
    }
    let problems = crate::config::delivery::validate_all(
        &loaded.config,
        &loaded.schools.registry,
        &config_dir(loaded),
        variable,
    );
    if problems.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = problems
        .iter()
        .map(|p| p.in_file(&loaded.source).to_string())
        .collect();
    anyhow::bail!(
        "cấu hình gửi thư có {} chỗ không dùng được (chưa gửi thư nào):\n{}",
        lines.len(),
        lines.join("\n")
    )
}

/// `baocao send`: what the outbox of `period` still has to send (the retry timer's work);
/// `None` when the period has no outbox.
pub fn send_pending(loaded: &LoadedConfig, output: &Path, period: &str) -> Option<DeliveryReport> {
    if !Outbox::path(output, period).exists() {
        return None;
    }
    let Some(settings) = loaded.config.delivery.as_ref() else {
        return Some(DeliveryReport {
            failures: vec![format!(
                "kỳ {period} còn thư chờ gửi nhưng cấu hình {} không có mục [delivery]",
                loaded.source
            )],
            ..DeliveryReport::default()
        });
    };
    let outbox = match Outbox::load(output, period) {
        Ok(outbox) => outbox,
        Err(error) => {
            return Some(DeliveryReport {
                failures: vec![error.to_string()],
                ..DeliveryReport::default()
            })
        }
    };
    let (messages, problems) = outbox.messages(output);
    let mut report = send_all(
        settings,
        &config_dir(loaded),
        output,
        period,
        &messages,
        SendOptions::default(),
    );
    report.failures.extend(problems);
    Some(report)
}

/// `baocao send-test ADDRESS`: one message through the configured server, outside any
/// ledger, with what the server answered.
pub fn send_test_message(
    loaded: &LoadedConfig,
    texts: &DeliveryTexts,
    address: &str,
) -> Result<TestReply, DeliveryError> {
    let Some(settings) = loaded.config.delivery.as_ref() else {
        return Err(DeliveryError::Settings(format!(
            "cấu hình {} không có mục [delivery] nên không có máy chủ thư để thử",
            loaded.source
        )));
    };
    #[derive(Serialize)]
    struct TestContext {
        co_quan: String,
        ten_ngan: String,
        ky: String,
        han_nop: String,
        co_quan_ban_hanh: String,
        may_chu: String,
        nguoi_nhan: String,
    }
    let today = chrono::Local::now().date_naive();
    let period = crate::vn::Period::of_date(today);
    let context = TestContext {
        co_quan: sender_name(&loaded.config),
        ten_ngan: loaded.config.organisation.short_name.clone(),
        ky: period.in_text(),
        han_nop: String::new(),
        co_quan_ban_hanh: loaded.config.organisation.issuing_body.clone(),
        may_chu: settings.server(),
        nguoi_nhan: address.trim().to_string(),
    };
    let builtin;
    let texts = if TEST_KEYS.iter().all(|k| texts.has(k)) {
        texts
    } else {
        builtin = DeliveryTexts::from_toml(BUILTIN_TEXTS)
            .map_err(|e| DeliveryError::Settings(format!("{e:#}")))?;
        &builtin
    };
    let render = |key: &str| {
        texts
            .render(key, &context)
            .map_err(|e| DeliveryError::Settings(format!("{e:#}")))
    };
    let message = Outgoing {
        topic: "thu-thu".to_string(),
        to: vec![address.trim().to_string()],
        subject: render(TEST_KEYS[0])?,
        body: render(TEST_KEYS[1])?,
        attachments: Vec::new(),
    };
    // The time makes each test message its own: a second test is not a duplicate.
    let key = format!("thu-thu-{}", chrono::Local::now().format("%Y%m%d%H%M%S%f"));
    send_test(settings, &config_dir(loaded), &message, &key)
}

/// The folder the configuration was read from, against which `smtp_password_file` and the
/// wording file are found; `None` for the built-in configuration.
fn config_dir_of(loaded: &LoadedConfig) -> Option<PathBuf> {
    let source = Path::new(&loaded.source);
    source.is_file().then(|| {
        source
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."))
            .to_path_buf()
    })
}

fn config_dir(loaded: &LoadedConfig) -> PathBuf {
    config_dir_of(loaded).unwrap_or_else(|| PathBuf::from("."))
}

/// The wording of the messages and feedback: `gui-thu.toml` in the folder of the report's
/// wording templates, else the built-in wording.
pub fn load_texts(loaded: &LoadedConfig) -> Result<DeliveryTexts> {
    let templates_dir = config_dir_of(loaded).and_then(|_| {
        Path::new(&loaded.templates_source)
            .parent()
            .map(Path::to_path_buf)
    });
    match templates_dir {
        Some(dir) => DeliveryTexts::beside(&dir),
        None => DeliveryTexts::from_toml(BUILTIN_TEXTS),
    }
}

/// Every unit's feedback for the run.
pub fn unit_feedback(
    loaded: &LoadedConfig,
    texts: &DeliveryTexts,
    intake: &Intake,
) -> Result<Vec<Feedback>> {
    build_feedback(intake, &loaded.config, &loaded.schools.registry, texts)
}

/// One message per unit with an address; with `only_attention`, only to units that have
/// something to do.
fn feedback_messages(
    intake: &Intake,
    feedback: &[Feedback],
    only_attention: bool,
) -> Vec<Outgoing> {
    feedback
        .iter()
        .filter(|f| !only_attention || f.needs_attention())
        .filter_map(|f| {
            let email = f.email.clone()?;
            let attachment_name = format!("phan-hoi-{}-{}.txt", f.stem(), intake.period.slug());
            Some(Outgoing {
                topic: f.topic(),
                to: vec![email],
                subject: f.subject.clone(),
                body: f.text.clone(),
                attachments: vec![Attachment {
                    name: attachment_name,
                    bytes: f.text.clone().into_bytes(),
                }],
            })
        })
        .collect()
}

/// The variables of the `bao_cao` templates (`templates/gui-thu.toml` documents them).
#[derive(Serialize)]
struct ReportContext<'a> {
    co_quan_ban_hanh: &'a str,
    co_quan: String,
    ten_ngan: &'a str,
    ky: String,
    han_nop: String,
    tai_lieu: Vec<&'a str>,
    ty_le_bao_cao: String,
    ty_le_dung_han: String,
    nop_muon: Vec<&'a str>,
    chua_nop: Vec<&'a str>,
    bi_tu_choi: Vec<&'a str>,
    so_lieu_chua_tong_hop: Vec<&'a str>,
    so_loi: usize,
    so_canh_bao: usize,
}

/// The subject and body of the report's message: the run in a few lines, so a reader knows
/// before opening the documents how complete they are. Nothing in it depends on the clock,
/// so the same inputs give the same message and it is not sent twice.
fn report_message(
    config: &Config,
    texts: &DeliveryTexts,
    intake: &Intake,
    rates: Option<&SubmissionRates>,
    documents: &'_ [Attachment],
) -> Result<(String, String)> {
    let percent = |tenths: Option<u64>| {
        tenths.map_or_else(|| "không tính được".to_string(), format_percent_tenths)
    };
    let names = |indices: &mut dyn Iterator<Item = usize>| -> Vec<&str> {
        indices
            .filter_map(|i| config.units.get(i).map(|u| u.name.as_str()))
            .collect()
    };
    let count = |severity| {
        intake
            .messages
            .iter()
            .filter(|m| m.severity == severity)
            .count()
    };
    let context = ReportContext {
        co_quan_ban_hanh: &config.organisation.issuing_body,
        co_quan: sender_name(config),
        ten_ngan: &config.organisation.short_name,
        ky: intake.period.in_text(),
        han_nop: rates
            .and_then(|r| r.deadline)
            .map(format_date)
            .unwrap_or_default(),
        tai_lieu: documents.iter().map(|d| d.name.as_str()).collect(),
        ty_le_bao_cao: rates
            .map(|r| {
                format!(
                    "{}/{} đơn vị ({})",
                    r.submitted,
                    r.expected,
                    percent(r.reporting_rate)
                )
            })
            .unwrap_or_default(),
        ty_le_dung_han: rates
            .filter(|r| r.deadline.is_some())
            .map(|r| format!("{}/{} ({})", r.on_time, r.expected, percent(r.on_time_rate)))
            .unwrap_or_default(),
        nop_muon: names(&mut rates.iter().flat_map(|r| r.late_units.iter().copied())),
        chua_nop: names(&mut intake.units_not_submitted().into_iter()),
        bi_tu_choi: names(&mut intake.rejected_units.iter().copied()),
        so_lieu_chua_tong_hop: names(&mut intake.withheld_units.iter().copied()),
        so_loi: count(Severity::Error),
        so_canh_bao: count(Severity::Warning),
    };
    Ok((
        texts.render("bao_cao.tieu_de", &context)?,
        texts.render("bao_cao.noi_dung", &context)?,
    ))
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
