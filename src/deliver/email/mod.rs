//! Delivery by e-mail: the report to leadership, each unit's feedback to the unit, each sent
//! once per recipient and period. A real SMTP client (lettre); what went out is kept in a
//! ledger beside the outputs, so a failed run is completed by the next one, exactly once.
//!
//! The public face: [`DeliverySettings`] (the `[delivery]` section), [`Outgoing`] (a message
//! to send), [`send_all`] (send what is pending) and [`copy_documents`] (the `copy_to` share).

mod copy;
pub mod ledger;
mod message;
pub mod settings;
mod transport;

use std::path::Path;

use serde::Serialize;

pub use copy::copy_documents;
pub use ledger::{AttachmentEntry, Ledger, SentEntry};
pub use settings::{DeliverySettings, Security, PASSWORD_VARIABLE};

use crate::deliver::manifest::sha256_hex;

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

impl DeliveryReport {
    /// True when something that should have gone out did not.
    pub fn failed(&self) -> bool {
        !self.failures.is_empty()
    }
}

/// Sends every message of `outgoing` to each of its recipients who has not yet received
/// exactly it for `period`, recording each in the ledger under `output`. Never panics and
/// never returns early with an error: failures are in the report, and what was not sent stays
/// pending for the next run.
pub fn send_all(
    settings: &DeliverySettings,
    config_dir: &Path,
    output: &Path,
    period: &str,
    outgoing: &[Outgoing],
    options: SendOptions,
) -> DeliveryReport {
    let mut report = DeliveryReport::default();
    let planned = |message: &Outgoing, recipients: Vec<String>| Planned {
        topic: message.topic.clone(),
        recipients,
        subject: message.subject.clone(),
        attachments: message.attachments.iter().map(|a| a.name.clone()).collect(),
    };
    let all_pending = |report: &mut DeliveryReport, error: DeliveryError| {
        report.failures.push(error.to_string());
        report.pending = outgoing
            .iter()
            .filter(|m| !m.to.is_empty())
            .map(|m| planned(m, m.to.clone()))
            .collect();
    };
    if let Err(error) = settings.check() {
        all_pending(&mut report, error);
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
        let recipients: Vec<String> = message
            .to
            .iter()
            .filter(|r| options.resend || !ledger.already_sent(&message.topic, r, &fingerprint))
            .cloned()
            .collect();
        report.unchanged += message.to.len() - recipients.len();
        if !recipients.is_empty() {
            queue.push((message, recipients, fingerprint));
        }
    }
    if options.dry_run {
        report.would_send = queue
            .into_iter()
            .map(|(m, recipients, _)| planned(m, recipients))
            .collect();
        return report;
    }
    if queue.is_empty() {
        return report;
    }
    let mailer = match settings
        .password(config_dir)
        .and_then(|password| transport::Mailer::new(settings, password))
    {
        Ok(mailer) => mailer,
        Err(error) => {
            report.failures.push(error.to_string());
            report.pending = queue
                .into_iter()
                .map(|(m, recipients, _)| planned(m, recipients))
                .collect();
            return report;
        }
    };
    let mut queue = queue.into_iter();
    for (message, recipients, fingerprint) in queue.by_ref() {
        let built = match message::build(settings, message, &recipients) {
            Ok(built) => built,
            Err(error) => {
                report.failures.push(error.to_string());
                report.pending.push(planned(message, recipients));
                continue;
            }
        };
        match mailer.send(&built.message) {
            Ok(()) => {
                let sent_at =
                    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
                let attachments: Vec<AttachmentEntry> = message
                    .attachments
                    .iter()
                    .map(|a| AttachmentEntry {
                        name: a.name.clone(),
                        sha256: sha256_hex(&a.bytes),
                    })
                    .collect();
                for recipient in recipients {
                    let entry = SentEntry {
                        topic: message.topic.clone(),
                        recipient,
                        fingerprint: fingerprint.clone(),
                        message_id: built.message_id.clone(),
                        sent_at: sent_at.clone(),
                        attachments: attachments.clone(),
                    };
                    tracing::info!(
                        topic = %entry.topic,
                        recipient = %entry.recipient,
                        message_id = %entry.message_id,
                        "đã gửi thư"
                    );
                    if let Err(error) = ledger.record(output, entry.clone()) {
                        report.failures.push(error.to_string());
                    }
                    report.sent.push(entry);
                }
            }
            Err(failure) => {
                tracing::warn!(topic = %message.topic, "gửi thư không được: {}", failure.text);
                report.failures.push(failure.text);
                report.pending.push(planned(message, recipients));
                if failure.stops_all {
                    break;
                }
            }
        }
    }
    // After a failure that affects every message (server down, login refused), the rest is
    // not tried: it stays pending for the next run.
    for (message, recipients, _) in queue {
        report.pending.push(planned(message, recipients));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(!Ledger::path(dir.path(), "2025-11").exists());
    }
}
