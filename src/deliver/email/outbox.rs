//! What a period's last sending command meant to send: `output/.gui-thu/YYYY-MM.thu-di.json`,
//! beside the ledger. `baocao send` (and the retry timer) sends from it what the ledger does
//! not yet hold, with no person and without making the documents again. Documents are kept
//! by name and SHA-256 and read back from the period's folder (a file that changed since is
//! not sent); the text of a phiếu travels in the file itself.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ledger::{write_atomically, LEDGER_DIR};
use super::{Attachment, DeliveryError, Outgoing};
use crate::deliver::manifest::sha256_hex;

/// The outbox of one period.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outbox {
    pub period: String,
    pub messages: Vec<StoredMessage>,
}

/// One message as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredMessage {
    pub topic: String,
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<StoredAttachment>,
}

/// An attachment: a document of the period's folder by name, or a text carried along.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredAttachment {
    pub name: String,
    pub sha256: String,
    /// The file, relative to the output folder (`2025-11/bao-cao-thang-2025-11.docx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The content itself, for a text made for the message (a phiếu).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Which messages of the outbox a command replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// `run`: everything.
    All,
    /// `check --notify`: the units' and schools' phiếu only; the report stays.
    Feedback,
}

const SUFFIX: &str = ".thu-di.json";

impl Outbox {
    /// The outbox's path for `period` under `output`.
    pub fn path(output: &Path, period: &str) -> PathBuf {
        output.join(LEDGER_DIR).join(format!("{period}{SUFFIX}"))
    }

    /// The periods that have an outbox, oldest first.
    pub fn periods(output: &Path) -> Vec<String> {
        let mut periods: Vec<String> = std::fs::read_dir(output.join(LEDGER_DIR))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(SUFFIX))
                    .map(str::to_string)
            })
            .collect();
        periods.sort();
        periods
    }

    /// Reads the outbox; none is an empty one.
    pub fn load(output: &Path, period: &str) -> Result<Self, DeliveryError> {
        let path = Self::path(output, period);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                DeliveryError::Ledger(format!(
                    "hộp thư đi {} bị hỏng ({e}); chạy lại «baocao run --period {period}» để lập lại",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self {
                period: period.to_string(),
                messages: Vec::new(),
            }),
            Err(e) => Err(DeliveryError::Ledger(format!(
                "không đọc được hộp thư đi {}: {e}",
                path.display()
            ))),
        }
    }

    /// Stores `messages` as what `period` should send, replacing what `replace` covers.
    /// Attachments whose name is in the period's folder are kept by reference.
    pub fn store(
        output: &Path,
        period: &str,
        messages: &[Outgoing],
        replace: Replace,
    ) -> Result<(), DeliveryError> {
        let mut outbox = match replace {
            Replace::All => Self {
                period: period.to_string(),
                messages: Vec::new(),
            },
            Replace::Feedback => {
                let mut outbox = Self::load(output, period)?;
                outbox
                    .messages
                    .retain(|m| !m.topic.starts_with("phan-hoi/"));
                outbox
            }
        };
        let folder = output.join(period);
        for message in messages.iter().filter(|m| !m.to.is_empty()) {
            let attachments = message
                .attachments
                .iter()
                .map(|a| {
                    let on_disk = !a.name.contains('/')
                        && std::fs::read(folder.join(&a.name)).is_ok_and(|b| b == a.bytes);
                    StoredAttachment {
                        name: a.name.clone(),
                        sha256: sha256_hex(&a.bytes),
                        path: on_disk.then(|| format!("{period}/{}", a.name)),
                        text: (!on_disk).then(|| String::from_utf8_lossy(&a.bytes).into_owned()),
                    }
                })
                .collect();
            outbox.messages.push(StoredMessage {
                topic: message.topic.clone(),
                to: message.to.clone(),
                subject: message.subject.clone(),
                body: message.body.clone(),
                attachments,
            });
        }
        outbox.save(output)
    }

    /// Removes the period's outbox: `--no-send` means nothing of it is to be sent.
    pub fn clear(output: &Path, period: &str) -> Result<(), DeliveryError> {
        let path = Self::path(output, period);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(DeliveryError::Ledger(format!(
                "không xoá được hộp thư đi {}: {e}",
                path.display()
            ))),
        }
    }

    fn save(&self, output: &Path) -> Result<(), DeliveryError> {
        let path = Self::path(output, &self.period);
        let fail = |e: &dyn std::fmt::Display| {
            DeliveryError::Ledger(format!(
                "không ghi được hộp thư đi {} ({e}); thư chưa gửi được sẽ không được gửi lại tự động",
                path.display()
            ))
        };
        let text = serde_json::to_string_pretty(self).map_err(|e| fail(&e))?;
        write_atomically(&path, text.as_bytes()).map_err(|e| fail(&e))
    }

    /// The messages, their documents read back from `output`. A message whose document is
    /// missing or changed since is not returned; its problem is.
    pub fn messages(&self, output: &Path) -> (Vec<Outgoing>, Vec<String>) {
        let mut messages = Vec::new();
        let mut problems = Vec::new();
        'messages: for stored in &self.messages {
            let mut attachments = Vec::new();
            for attachment in &stored.attachments {
                let bytes = match (&attachment.path, &attachment.text) {
                    (Some(path), _) => match std::fs::read(output.join(path)) {
                        Ok(bytes) => bytes,
                        Err(e) => {
                            problems.push(format!(
                                "thư «{}» chưa gửi được: không đọc được tệp đính kèm {}: {e}",
                                stored.topic,
                                output.join(path).display()
                            ));
                            continue 'messages;
                        }
                    },
                    (None, Some(text)) => text.clone().into_bytes(),
                    (None, None) => Vec::new(),
                };
                if sha256_hex(&bytes) != attachment.sha256 {
                    problems.push(format!(
                        "thư «{}» chưa gửi được: tệp đính kèm {} đã thay đổi kể từ lần chạy lập thư; chạy lại «baocao run --period {}»",
                        stored.topic, attachment.name, self.period
                    ));
                    continue 'messages;
                }
                attachments.push(Attachment {
                    name: attachment.name.clone(),
                    bytes,
                });
            }
            messages.push(Outgoing {
                topic: stored.topic.clone(),
                to: stored.to.clone(),
                subject: stored.subject.clone(),
                body: stored.body.clone(),
                attachments,
            });
        }
        (messages, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing(topic: &str, attachment: (&str, &[u8])) -> Outgoing {
        Outgoing {
            topic: topic.into(),
            to: vec!["a@example.vn".into()],
            subject: "Chủ đề".into(),
            body: "Nội dung".into(),
            attachments: vec![Attachment {
                name: attachment.0.into(),
                bytes: attachment.1.to_vec(),
            }],
        }
    }

    #[test]
    fn documents_are_read_back_and_a_changed_one_holds_its_message() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("2025-11")).expect("mkdir");
        std::fs::write(dir.path().join("2025-11/bao-cao.docx"), b"docx").expect("write");
        let report = outgoing("bao-cao", ("bao-cao.docx", b"docx"));
        let phieu = outgoing("phan-hoi/VP", ("phan-hoi-VP.txt", "phiếu".as_bytes()));
        Outbox::store(
            dir.path(),
            "2025-11",
            &[report.clone(), phieu],
            Replace::All,
        )
        .expect("stored");
        let outbox = Outbox::load(dir.path(), "2025-11").expect("load");
        assert_eq!(
            outbox.messages[0].attachments[0].path.as_deref(),
            Some("2025-11/bao-cao.docx")
        );
        assert!(outbox.messages[1].attachments[0].path.is_none());
        let (messages, problems) = outbox.messages(dir.path());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(messages[0].fingerprint(), report.fingerprint());
        assert_eq!(messages[1].attachments[0].bytes, "phiếu".as_bytes());

        std::fs::write(dir.path().join("2025-11/bao-cao.docx"), b"other").expect("write");
        let (messages, problems) = outbox.messages(dir.path());
        assert_eq!(messages.len(), 1, "only the phiếu");
        assert!(problems[0].contains("đã thay đổi"), "{problems:?}");
        assert_eq!(Outbox::periods(dir.path()), ["2025-11"]);
    }

    #[test]
    fn reminders_replace_only_the_feedback() {
        let dir = tempfile::tempdir().expect("temp dir");
        let report = outgoing("bao-cao", ("a.txt", b"x"));
        let old = outgoing("phan-hoi/VP", ("b.txt", b"y"));
        Outbox::store(dir.path(), "2025-11", &[report, old], Replace::All).expect("stored");
        let new = outgoing("phan-hoi/KHTC", ("c.txt", b"z"));
        Outbox::store(dir.path(), "2025-11", &[new], Replace::Feedback).expect("stored");
        let topics: Vec<String> = Outbox::load(dir.path(), "2025-11")
            .expect("load")
            .messages
            .into_iter()
            .map(|m| m.topic)
            .collect();
        assert_eq!(topics, ["bao-cao", "phan-hoi/KHTC"]);
    }
}
