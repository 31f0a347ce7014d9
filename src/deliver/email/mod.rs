//! Delivery by e-mail: the report to leadership, each unit's feedback to the unit, each
//! recipient its own message and SMTP transaction, so one refused address loses only its own
//! message. A real SMTP client (lettre) in a thread of its own, watched against one deadline
//! for the whole delivery; what went out is kept in a ledger beside the outputs (written
//! before the next message goes), and what should go out in an outbox, so a failed run is
//! completed by the next one or by `baocao send`. Delivery is at least once: a message the
//! server accepted just before a crash is sent again, under the same Message-ID.
//!
//! The public face: [`Outgoing`] (a message to send), [`send_all`] (send what is pending),
//! [`send_test`] (one test message), [`Outbox`] and [`copy_documents`] (the `copy_to` share).
//! The settings are [`crate::config::DeliverySettings`].

mod copy;
pub mod ledger;
mod message;
pub mod outbox;
mod tls;
mod transport;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Serialize;

pub use copy::copy_documents;
pub use ledger::{AttachmentEntry, Ledger, SentEntry};
pub use outbox::{Outbox, Replace};

use crate::config::{DeliverySettings, SettingsError};
use crate::deliver::manifest::sha256_hex;
use transport::{Endpoint, SendFailure, Session, Waiting};

/// Why delivery could not be done; each text is a Vietnamese sentence for the administrator.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The `[delivery]` section or the password cannot be used.
    #[error("{0}")]
    Settings(String),
    /// The ledger of what was sent cannot be read or written.
    #[error("{0}")]
    Ledger(String),
    /// An address in the configuration is not an e-mail address.
    #[error("{0}")]
    Address(String),
    /// The server could not be reached or refused.
    #[error("{0}")]
    Send(String),
    /// The `copy_to` folder could not be written.
    #[error("{0}")]
    Copy(String),
}

impl From<SettingsError> for DeliveryError {
    fn from(error: SettingsError) -> Self {
        Self::Settings(format!("[delivery] {error}"))
    }
}

/// One message to send: what it is about, to whom, and what it says.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// `bao-cao` for the report, `phan-hoi/CODE` for a unit's feedback.
    pub topic: String,
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<Attachment>,
}

/// A file attached to a message.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Outgoing {
    /// What the message says, as one hash: body, and each attachment's name and SHA-256 (the
    /// subject only names the topic). A PDF counts by name only: LibreOffice stamps each
    /// conversion with the time, and the DOCX or XLSX it was made from counts by content.
    pub fn fingerprint(&self) -> String {
        let mut text = format!("{}\n{}\n", self.topic, self.body);
        for attachment in &self.attachments {
            let content = if attachment.name.ends_with(".pdf") {
                String::new()
            } else {
                sha256_hex(&attachment.bytes)
            };
            text.push_str(&format!("{}\t{content}\n", attachment.name));
        }
        sha256_hex(text.as_bytes())
    }
}

/// How to send.
#[derive(Debug, Clone, Copy, Default)]
pub struct SendOptions {
    /// Send even what the recipient already received.
    pub resend: bool,
    /// Only list what would be sent.
    pub dry_run: bool,
}

/// What delivery did, for the summary, `--json`, the manifest and the log. Holds no password.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeliveryReport {
    /// Messages sent by this run, one entry per recipient.
    pub sent: Vec<SentEntry>,
    /// Dry run: the messages that would be sent.
    pub would_send: Vec<Planned>,
    /// Recipients skipped because they already received the same message.
    pub unchanged: usize,
    /// Messages not sent (to be sent by the next run), by topic.
    pub pending: Vec<Planned>,
    /// What went wrong, in Vietnamese.
    pub failures: Vec<String>,
    /// Files copied to the `copy_to` folder.
    pub copied: Vec<String>,
}

/// A message that would be or still has to be sent.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub topic: String,
    pub recipients: Vec<String>,
    pub subject: String,
    pub attachments: Vec<String>,
}

impl Planned {
    fn of(message: &Outgoing, recipients: Vec<String>) -> Self {
        Self {
            topic: message.topic.clone(),
            recipients,
            subject: message.subject.clone(),
            attachments: message.attachments.iter().map(|a| a.name.clone()).collect(),
        }
    }
}

impl DeliveryReport {
    /// True when something that should have gone out did not.
    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }

    /// Adds a recipient still waiting for `message`, beside the others of the same message.
    fn add_pending(&mut self, message: &Outgoing, recipient: &str) {
        match self.pending.last_mut() {
            Some(last) if last.topic == message.topic && last.subject == message.subject => {
                last.recipients.push(recipient.to_string());
            }
            _ => self
                .pending
                .push(Planned::of(message, vec![recipient.to_string()])),
        }
    }
}

/// Sends every message of `outgoing` to each of its recipients who has not yet received
/// exactly it for `period`, each recipient in a transaction of their own, recording each in
/// the ledger under `output` before the next goes. Never panics and never returns early with
/// an error: failures are in the report, and what was not sent stays pending for the next run
/// or `baocao send`. The whole delivery ends by `timeout_seconds`, whatever the server does.
pub fn send_all(
    settings: &DeliverySettings,
    config_dir: &Path,
    output: &Path,
    period: &str,
    outgoing: &[Outgoing],
    options: SendOptions,
) -> DeliveryReport {
    let mut report = DeliveryReport::default();
    let all_pending = |report: &mut DeliveryReport, error: DeliveryError| {
        report.failures.push(error.to_string());
        for message in outgoing {
            for recipient in &message.to {
                report.add_pending(message, recipient);
            }
        }
    };
    if let Err(error) = settings.check() {
        all_pending(&mut report, error.into());
        return report;
    }
    let mut ledger = match Ledger::load(output, period) {
        Ok(ledger) => ledger,
        Err(error) => {
            all_pending(&mut report, error);
            return report;
        }
    };
    let mut queue = Vec::new();
    for message in outgoing {
        let fingerprint = message.fingerprint();
        let mut recipients = Vec::new();
        for recipient in &message.to {
            if options.resend || !ledger.already_sent(&message.topic, recipient, &fingerprint) {
                recipients.push(recipient.clone());
                queue.push((message, recipient.clone(), fingerprint.clone()));
            } else {
                report.unchanged += 1;
            }
        }
        if options.dry_run && !recipients.is_empty() {
            report.would_send.push(Planned::of(message, recipients));
        }
    }
    if options.dry_run || queue.is_empty() {
        return report;
    }
    // A ledger that cannot be written would send everything again next time: nothing goes.
    if let Err(error) = ledger.save(output) {
        report.failures.push(format!(
            "{error}; không gửi thư nào để tránh gửi trùng ở lần sau"
        ));
        for (message, recipient, _) in &queue {
            report.add_pending(message, recipient);
        }
        return report;
    }
    let endpoint = match settings
        .password(config_dir)
        .map_err(DeliveryError::from)
        .and_then(|password| {
            tls::parameters(settings, config_dir).map(|tls| Endpoint::new(settings, tls, password))
        }) {
        Ok(endpoint) => endpoint,
        Err(error) => {
            report.failures.push(error.to_string());
            for (message, recipient, _) in &queue {
                report.add_pending(message, recipient);
            }
            return report;
        }
    };
    let mut courier = Courier::start(endpoint, settings.deadline());
    let mut queue = queue.into_iter();
    for (message, recipient, fingerprint) in queue.by_ref() {
        let job = match message::build(settings, message, &recipient, period).and_then(Job::of) {
            Ok(job) => job,
            Err(error) => {
                report.failures.push(error.to_string());
                report.add_pending(message, &recipient);
                continue;
            }
        };
        let message_id = job.message_id.clone();
        match courier.send(job) {
            Ok(reply) => {
                let entry = SentEntry {
                    topic: message.topic.clone(),
                    recipient: recipient.clone(),
                    fingerprint,
                    message_id,
                    sent_at: chrono::Local::now()
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    attachments: message
                        .attachments
                        .iter()
                        .map(|a| AttachmentEntry {
                            name: a.name.clone(),
                            sha256: sha256_hex(&a.bytes),
                        })
                        .collect(),
                };
                tracing::info!(
                    topic = %entry.topic,
                    recipient = %entry.recipient,
                    message_id = %entry.message_id,
                    "đã gửi thư; máy chủ trả lời: {reply}"
                );
                let recorded = ledger.record(output, entry.clone());
                report.sent.push(entry);
                if let Err(error) = recorded {
                    report.failures.push(format!(
                        "{error}; dừng gửi để không thư nào bị gửi trùng ở lần sau"
                    ));
                    break;
                }
            }
            Err(failure) => {
                tracing::warn!(topic = %message.topic, "gửi thư không được: {}", failure.text);
                report.failures.push(format!(
                    "{}; thư chưa gửi sẽ được gửi ở lần chạy sau",
                    failure.text
                ));
                report.add_pending(message, &recipient);
                if failure.stops_all {
                    break;
                }
            }
        }
    }
    // After a failure that affects every message (server down, login refused, deadline), the
    // rest is not tried: it stays pending for the next run.
    for (message, recipient, _) in queue {
        report.add_pending(message, &recipient);
    }
    courier.finish();
    report
}

/// What the server answered to a test message.
#[derive(Debug, Clone)]
pub struct TestReply {
    /// `host:port`.
    pub server: String,
    /// The final reply, `250 …`.
    pub reply: String,
    pub message_id: String,
}

/// Sends `message` (one recipient) now, outside any ledger: `baocao send-test`. The same
/// settings, TLS, login and deadline as a run.
pub fn send_test(
    settings: &DeliverySettings,
    config_dir: &Path,
    message: &Outgoing,
    period: &str,
) -> Result<TestReply, DeliveryError> {
    settings.check()?;
    let recipient = message.to.first().cloned().unwrap_or_default();
    crate::config::delivery::check_address(&recipient, "người nhận")
        .map_err(|e| DeliveryError::Address(e.text))?;
    let password = settings.password(config_dir)?;
    let tls = tls::parameters(settings, config_dir)?;
    let job = message::build(settings, message, &recipient, period).and_then(Job::of)?;
    let message_id = job.message_id.clone();
    let mut courier = Courier::start(Endpoint::new(settings, tls, password), settings.deadline());
    let result = courier.send(job);
    courier.finish();
    match result {
        Ok(reply) => Ok(TestReply {
            server: settings.server(),
            reply,
            message_id,
        }),
        Err(failure) => Err(DeliveryError::Send(failure.text)),
    }
}

/// One message for one recipient, as bytes on the wire.
struct Job {
    from: lettre::Address,
    to: lettre::Address,
    bytes: Vec<u8>,
    message_id: String,
}

impl Job {
    fn of(built: message::Built) -> Result<Self, DeliveryError> {
        let envelope = built.message.envelope();
        let (Some(from), Some(to)) = (envelope.from(), envelope.to().first()) else {
            return Err(DeliveryError::Address(
                "thư không có người gửi hoặc người nhận".into(),
            ));
        };
        Ok(Self {
            from: from.clone(),
            to: to.clone(),
            bytes: built.message.formatted(),
            message_id: built.message_id,
        })
    }
}

/// The SMTP conversation in a thread of its own, so that the run can give up on it at the
/// deadline whatever the server does (a server that drips one byte at a time resets every
/// per-read limit); a conversation given up on ends with the process.
struct Courier {
    jobs: Option<mpsc::Sender<Job>>,
    results: mpsc::Receiver<Result<String, SendFailure>>,
    done: mpsc::Receiver<()>,
    waiting: Waiting,
    server: String,
    started: Instant,
    limit: Duration,
    abandoned: bool,
}

impl Courier {
    fn start(endpoint: Endpoint, limit: Duration) -> Self {
        let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
        let (results_tx, results_rx) = mpsc::channel();
        let (done_tx, done_rx) = mpsc::channel();
        let waiting = Waiting::default();
        let server = endpoint.server();
        let worker_waiting = waiting.clone();
        let spawned = std::thread::Builder::new()
            .name("gui-thu".into())
            .spawn(move || {
                let mut session: Option<Session> = None;
                for job in jobs_rx {
                    if session.as_ref().is_none_or(|s| !s.usable()) {
                        match Session::open(&endpoint, worker_waiting.clone()) {
                            Ok(opened) => session = Some(opened),
                            Err(failure) => {
                                if results_tx.send(Err(failure)).is_err() {
                                    break;
                                }
                                continue;
                            }
                        }
                    }
                    let Some(open) = session.as_mut() else {
                        continue;
                    };
                    let result = open.send(&job.from, &job.to, &job.bytes);
                    if result.as_ref().is_err_and(|f| f.stops_all) {
                        session = None;
                    }
                    if results_tx.send(result).is_err() {
                        break;
                    }
                }
                if let Some(open) = session {
                    open.quit();
                }
                let _ = done_tx.send(());
            });
        if let Err(error) = spawned {
            tracing::error!("không khởi động được luồng gửi thư: {error}");
        }
        Self {
            jobs: Some(jobs_tx),
            results: results_rx,
            done: done_rx,
            waiting,
            server,
            started: Instant::now(),
            limit,
            abandoned: false,
        }
    }

    fn remaining(&self) -> Duration {
        self.limit.saturating_sub(self.started.elapsed())
    }

    fn send(&mut self, job: Job) -> Result<String, SendFailure> {
        let gone = || SendFailure {
            text: "luồng gửi thư dừng bất thường".to_string(),
            stops_all: true,
        };
        if self.abandoned {
            return Err(self.deadline_failure());
        }
        let Some(jobs) = &self.jobs else {
            return Err(gone());
        };
        if jobs.send(job).is_err() {
            return Err(gone());
        }
        match self.results.recv_timeout(self.remaining()) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                self.abandoned = true;
                Err(self.deadline_failure())
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(gone()),
        }
    }

    fn deadline_failure(&self) -> SendFailure {
        let waiting = self.waiting.get();
        let waiting = if waiting.is_empty() {
            "trả lời của máy chủ".to_string()
        } else {
            waiting
        };
        SendFailure {
            text: format!(
                "gửi thư chưa xong sau {} giây (thời hạn timeout_seconds của [delivery]): máy chủ thư {} chưa trả lời xong, đang chờ {waiting}; dừng gửi",
                self.limit.as_secs(),
                self.server
            ),
            stops_all: true,
        }
    }

    /// Lets the conversation end with QUIT, within what is left of the deadline.
    fn finish(mut self) {
        self.jobs = None;
        if !self.abandoned {
            let _ = self
                .done
                .recv_timeout(self.remaining().min(Duration::from_secs(5)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Security;

    fn outgoing(body: &str, attachment: &[u8]) -> Outgoing {
        Outgoing {
            topic: "bao-cao".into(),
            to: vec!["gd@example.vn".into()],
            subject: "Báo cáo tháng 11/2025".into(),
            body: body.into(),
            attachments: vec![
                Attachment {
                    name: "bao-cao.docx".into(),
                    bytes: attachment.to_vec(),
                },
                Attachment {
                    name: "bao-cao.pdf".into(),
                    bytes: body.as_bytes().to_vec(),
                },
            ],
        }
    }

    #[test]
    fn the_fingerprint_follows_what_the_message_says_but_not_the_pdf_stamp() {
        let base = outgoing("a", b"docx");
        assert_eq!(base.fingerprint(), outgoing("a", b"docx").fingerprint());
        assert_ne!(base.fingerprint(), outgoing("b", b"docx").fingerprint());
        assert_ne!(base.fingerprint(), outgoing("a", b"docx2").fingerprint());
        let mut restamped = base.clone();
        restamped.attachments[1].bytes = b"other time".to_vec();
        assert_eq!(base.fingerprint(), restamped.fingerprint());
    }

    #[test]
    fn the_message_id_follows_period_recipient_and_content() {
        use lettre::message::Mailbox;
        let from: Mailbox = "Sở <baocao@so.example.vn>".parse().expect("mailbox");
        let id = message::message_id("2025-11", "GD@example.vn", "abc", &from);
        assert_eq!(
            id,
            message::message_id("2025-11", "gd@example.vn", "abc", &from)
        );
        assert!(
            id.starts_with('<') && id.ends_with(".2025-11@so.example.vn>"),
            "{id}"
        );
        assert_ne!(
            id,
            message::message_id("2025-12", "gd@example.vn", "abc", &from)
        );
        assert_ne!(
            id,
            message::message_id("2025-11", "vp@example.vn", "abc", &from)
        );
        assert_ne!(
            id,
            message::message_id("2025-11", "gd@example.vn", "abd", &from)
        );
    }

    #[test]
    fn refused_settings_leave_every_message_pending() {
        let settings = DeliverySettings {
            smtp_host: "smtp.example.vn".into(),
            smtp_port: None,
            security: Security::None,
            username: None,
            smtp_password_file: None,
            from: "baocao@example.vn".into(),
            leaders: Vec::new(),
            copy_to: String::new(),
            timeout_seconds: 60,
            ca_file: None,
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let report = send_all(
            &settings,
            dir.path(),
            dir.path(),
            "2025-11",
            &[outgoing("a", b"x")],
            SendOptions::default(),
        );
        assert!(report.failed());
        assert_eq!(report.pending.len(), 1);
        assert!(report.sent.is_empty());
        assert!(
            report.failures[0].contains("delivery.security"),
            "{:?}",
            report.failures
        );
        assert!(!Ledger::path(dir.path(), "2025-11").exists());
    }
}
