//! What was sent, per period: `output/.gui-thu/YYYY-MM.json`, beside (not inside) the
//! period's folder, which every run replaces. A message goes to a recipient only when what it
//! says differs from what that recipient last received for the period, so a re-run sends
//! nothing twice and a run after a failure sends what is still pending (at least once: see README).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::DeliveryError;

/// The ledgers' folder inside the output folder.
pub const LEDGER_DIR: &str = ".gui-thu";

/// Everything sent for one period, oldest first.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Ledger {
    pub period: String,
    pub sent: Vec<SentEntry>,
}

/// One message as one recipient received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentEntry {
    /// What the message is about: `bao-cao`, `phan-hoi/GDTrH`, `thu-muc`.
    pub topic: String,
    pub recipient: String,
    /// SHA-256 of what the message says (subject, body, attachments' SHA-256).
    pub fingerprint: String,
    pub message_id: String,
    /// RFC 3339, local time.
    pub sent_at: String,
    pub attachments: Vec<AttachmentEntry>,
}

/// An attachment by name and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentEntry {
    pub name: String,
    pub sha256: String,
}

impl Ledger {
    /// The ledger's path for `period` (YYYY-MM) under `output`.
    pub fn path(output: &Path, period: &str) -> PathBuf {
        output.join(LEDGER_DIR).join(format!("{period}.json"))
    }

    /// Reads the ledger; none yet is an empty ledger. A damaged ledger is an error rather
    /// than an empty one, which would send everything again.
    pub fn load(output: &Path, period: &str) -> Result<Self, DeliveryError> {
        let path = Self::path(output, period);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                DeliveryError::Ledger(format!(
                    "sổ gửi thư {} bị hỏng ({e}); sửa hoặc xoá tệp này (xoá thì thư sẽ được gửi lại)",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self {
                period: period.to_string(),
                sent: Vec::new(),
            }),
            Err(e) => Err(DeliveryError::Ledger(format!(
                "không đọc được sổ gửi thư {}: {e}",
                path.display()
            ))),
        }
    }

    /// True when `recipient` last received exactly `fingerprint` on `topic`.
    pub fn already_sent(&self, topic: &str, recipient: &str, fingerprint: &str) -> bool {
        self.sent
            .iter()
            .rev()
            .find(|e| e.topic == topic && e.recipient.eq_ignore_ascii_case(recipient))
            .is_some_and(|e| e.fingerprint == fingerprint)
    }

    /// Records a message and saves at once (temporary file, then rename), so a message that
    /// went out is on record even if the run is killed right after.
    pub fn record(&mut self, output: &Path, entry: SentEntry) -> Result<(), DeliveryError> {
        self.sent.push(entry);
        self.save(output)
    }

    /// Writes the ledger as it is: done before the first message of a run, so a ledger that
    /// cannot be written stops the sending before anything could be sent twice.
    pub fn save(&self, output: &Path) -> Result<(), DeliveryError> {
        let path = Self::path(output, &self.period);
        let fail = |e: &dyn std::fmt::Display| {
            DeliveryError::Ledger(format!("không ghi được sổ gửi thư {}: {e}", path.display()))
        };
        let text = serde_json::to_string_pretty(self).map_err(|e| fail(&e))?;
        write_atomically(&path, text.as_bytes()).map_err(|e| fail(&e))
    }
}

/// The run's one temp-then-rename writer (mode 0666 less the umask, folder synced), named
/// here too for the delivery code that writes the ledger and `copy_to`.
pub use crate::deliver::atomic::write_atomically;

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(topic: &str, recipient: &str, fingerprint: &str) -> SentEntry {
        SentEntry {
            topic: topic.into(),
            recipient: recipient.into(),
            fingerprint: fingerprint.into(),
            message_id: "<1@x>".into(),
            sent_at: "2025-12-03T07:00:00+07:00".into(),
            attachments: Vec::new(),
        }
    }

    #[test]
    fn the_last_message_of_a_topic_decides_and_survives_a_reload() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ledger = Ledger::load(dir.path(), "2025-11").expect("empty");
        assert!(!ledger.already_sent("bao-cao", "gd@x.vn", "a"));
        ledger
            .record(dir.path(), entry("bao-cao", "gd@x.vn", "a"))
            .expect("saved");
        ledger
            .record(dir.path(), entry("bao-cao", "gd@x.vn", "b"))
            .expect("saved");
        let again = Ledger::load(dir.path(), "2025-11").expect("reload");
        assert!(again.already_sent("bao-cao", "GD@x.vn", "b"));
        assert!(!again.already_sent("bao-cao", "gd@x.vn", "a"), "superseded");
        assert!(!again.already_sent("phan-hoi/VP", "gd@x.vn", "b"));
        assert!(!again.already_sent("bao-cao", "vp@x.vn", "b"));
    }

    #[test]
    fn a_damaged_ledger_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = Ledger::path(dir.path(), "2025-11");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "{ not json").expect("write");
        let error = Ledger::load(dir.path(), "2025-11").expect_err("damaged");
        assert!(error.to_string().contains("bị hỏng"), "{error}");
    }
}
