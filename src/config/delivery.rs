//! The `[delivery]` section of the configuration: which SMTP server, how to reach it safely,
//! who sends, which leaders receive the report, how long delivery may take and which extra
//! certificate authority to trust. The password is never part of it: it comes from the
//! environment or from a file only its owner can read, when a message is sent.
//!
//! Parsed here with the rest of the configuration; the delivery code depends on it, never
//! the other way round.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ConfigFileError;

/// The environment variable that holds the SMTP password.
pub const PASSWORD_VARIABLE: &str = "BAOCAO_SMTP_PASSWORD";

/// The whole delivery's deadline when `timeout_seconds` is not set: long enough for a few
/// hundred messages over a slow link, short enough that a stuck server never holds the run's
/// lock into the next scheduled run.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 300;

/// The longest deadline accepted: beyond an hour the timers' runs would overlap.
pub const MAX_TIMEOUT_SECONDS: u64 = 3600;

/// The `[delivery]` section, keys exactly as README documents them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySettings {
    pub smtp_host: String,
    /// Defaults by security: 587 (starttls), 465 (tls), 25 (none).
    #[serde(default)]
    pub smtp_port: Option<u16>,
    #[serde(default)]
    pub security: Security,
    #[serde(default)]
    pub username: Option<String>,
    /// A file holding the password, mode 0600; relative to the configuration file.
    #[serde(default)]
    pub smtp_password_file: Option<PathBuf>,
    /// The sender, `Tên <địa chỉ>` or a bare address.
    pub from: String,
    /// Who receives the report and its annexes.
    #[serde(default)]
    pub leaders: Vec<String>,
    /// A folder (a share of the document system) that also gets the documents; empty: none.
    #[serde(default)]
    pub copy_to: String,
    /// The deadline of the whole delivery of a run, in seconds, besides the per-command
    /// limit: a server that answers a byte at a time cannot hold the run for ever.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// A PEM file of certificate authorities trusted besides the system's store (an internal
    /// or government CA); relative to the configuration file.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
}

fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_SECONDS
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only to a server on this machine (127.0.0.1, ::1).
    None,
}

/// A `[delivery]` value that cannot be used: the key (`delivery.leaders[1]`) and why, in
/// Vietnamese. The password never appears in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("khóa «{key}»: {text}")]
pub struct SettingsError {
    pub key: String,
    pub text: String,
}

impl SettingsError {
    fn new(key: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            text: text.into(),
        }
    }

    /// The error as the configuration file's, naming the file and the key.
    pub fn in_file(&self, file: &str) -> ConfigFileError {
        ConfigFileError {
            file: file.to_string(),
            line: None,
            key: Some(self.key.clone()),
            explanation: self.text.clone(),
        }
    }
}

impl DeliverySettings {
    /// The port to connect to.
    pub fn port(&self) -> u16 {
        self.smtp_port.unwrap_or(match self.security {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        })
    }

    /// `host:port`, as messages name the server.
    pub fn server(&self) -> String {
        format!("{}:{}", self.smtp_host.trim(), self.port())
    }

    /// The whole delivery's deadline.
    pub fn deadline(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.timeout_seconds.clamp(1, MAX_TIMEOUT_SECONDS))
    }

    /// The `ca_file`, resolved against the configuration's folder.
    pub fn ca_path(&self, config_dir: &Path) -> Option<PathBuf> {
        self.ca_file.as_ref().map(|file| config_dir.join(file))
    }

    /// Refuses settings that would send in clear text over a network, or that cannot work;
    /// the first problem found. What the sending needs before it connects.
    /// A leader's address is not checked here: a wrong one loses only its own message.
    pub fn check(&self) -> Result<(), SettingsError> {
        match self.problems(false).into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every problem of the section itself (not the password or files, see [`Self::validate`]),
    /// the leaders' addresses with `with_leaders`.
    fn problems(&self, with_leaders: bool) -> Vec<SettingsError> {
        let mut problems = Vec::new();
        let host = self.smtp_host.trim();
        if host.is_empty() {
            problems.push(SettingsError::new(
                "delivery.smtp_host",
                "thiếu tên máy chủ thư",
            ));
        } else if !is_host_name(host) {
            problems.push(SettingsError::new(
                "delivery.smtp_host",
                format!("«{host}» không phải tên máy hay địa chỉ IP (chỉ gồm chữ không dấu, số, «-», «.»)"),
            ));
        }
        if self.smtp_port == Some(0) {
            problems.push(SettingsError::new(
                "delivery.smtp_port",
                "cổng 0 không dùng được; để trống để dùng cổng mặc định theo security",
            ));
        }
        if self.security == Security::None && !host.is_empty() && !is_loopback(host) {
            problems.push(SettingsError::new(
                "delivery.security",
                format!(
                    "security = \"none\" (không mã hoá) chỉ được dùng với máy chủ thư trên chính máy này (127.0.0.1 hoặc ::1), không dùng với «{host}»: mật khẩu và tài liệu sẽ đi trên mạng không được bảo vệ. Hãy dùng security = \"starttls\" hoặc \"tls\""
                ),
            ));
        }
        if self.timeout_seconds == 0 || self.timeout_seconds > MAX_TIMEOUT_SECONDS {
            problems.push(SettingsError::new(
                "delivery.timeout_seconds",
                format!(
                    "{} giây không dùng được; thời hạn cho cả lần gửi thư phải từ 1 đến {MAX_TIMEOUT_SECONDS} giây (mặc định {DEFAULT_TIMEOUT_SECONDS})",
                    self.timeout_seconds
                ),
            ));
        }
        if self.from.trim().is_empty() {
            problems.push(SettingsError::new(
                "delivery.from",
                "thiếu địa chỉ người gửi",
            ));
        } else if let Err(problem) = check_address(&self.from, "delivery.from") {
            problems.push(problem);
        }
        for (index, leader) in self.leaders.iter().enumerate().filter(|_| with_leaders) {
            if let Err(problem) = check_address(leader, &format!("delivery.leaders[{index}]")) {
                problems.push(problem);
            }
        }
        problems
    }

    /// The whole section, as `check` and `run --dry-run` see it before anything is sent:
    /// the values, the password (variable `password_variable` or the file, mode 0600) and the
    /// `ca_file`. Every problem, each with its key.
    pub fn validate(
        &self,
        config_dir: &Path,
        password_variable: Option<String>,
    ) -> Vec<SettingsError> {
        let mut problems = self.problems(true);
        // A password that comes only from the environment may be given to the service alone
        // (systemd's EnvironmentFile): its absence here is said by `password_elsewhere`.
        if let Err(problem) = self.password_with(password_variable, config_dir) {
            if problem.key != USERNAME_KEY {
                problems.push(problem);
            }
        }
        if let Some(path) = self.ca_path(config_dir) {
            if let Err(problem) = read_ca_file(&path) {
                problems.push(problem);
            }
        }
        problems
    }

    /// The password, from [`PASSWORD_VARIABLE`] or `smtp_password_file` (resolved against
    /// `config_dir`); `None` when no username is configured.
    pub fn password(&self, config_dir: &Path) -> Result<Option<String>, SettingsError> {
        self.password_with(std::env::var(PASSWORD_VARIABLE).ok(), config_dir)
    }

    /// [`Self::password`] with the variable's value given, so tests need not touch the
    /// process environment.
    pub fn password_with(
        &self,
        variable: Option<String>,
        config_dir: &Path,
    ) -> Result<Option<String>, SettingsError> {
        if self.username.as_deref().is_none_or(|u| u.trim().is_empty()) {
            return Ok(None);
        }
        if let Some(value) = variable.filter(|v| !v.is_empty()) {
            return Ok(Some(value));
        }
        let Some(file) = &self.smtp_password_file else {
            return Err(SettingsError::new(
                USERNAME_KEY,
                format!("có username nhưng chưa có mật khẩu: đặt biến môi trường {PASSWORD_VARIABLE} hoặc khóa smtp_password_file"),
            ));
        };
        let path = config_dir.join(file);
        read_password_file(&path).map(Some)
    }
}

const USERNAME_KEY: &str = "delivery.username";

impl DeliverySettings {
    /// True when a username is set, no `smtp_password_file`, and `password_variable` is
    /// empty: the password can only come from the environment of the service that sends
    /// (`/etc/baocao/smtp.env`), which a command typed by hand does not have. `check` says so
    /// as a warning rather than refusing a configuration that works under systemd.
    pub fn password_elsewhere(&self, password_variable: Option<&str>) -> bool {
        self.username
            .as_deref()
            .is_some_and(|u| !u.trim().is_empty())
            && self.smtp_password_file.is_none()
            && password_variable.is_none_or(str::is_empty)
    }
}

/// Reads the `ca_file` as PEM certificates: a file that cannot be read or holds none is named.
pub fn read_ca_file(path: &Path) -> Result<Vec<u8>, SettingsError> {
    let fail = |text: String| SettingsError::new("delivery.ca_file", text);
    let bytes = std::fs::read(path).map_err(|e| {
        fail(format!(
            "không đọc được tệp chứng thư {}: {e}",
            path.display()
        ))
    })?;
    let text = String::from_utf8_lossy(&bytes);
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        return Err(fail(format!(
            "tệp {} không chứa chứng thư nào dạng PEM (-----BEGIN CERTIFICATE-----)",
            path.display()
        )));
    }
    if lettre::transport::smtp::client::Certificate::from_pem(&bytes).is_err() {
        return Err(fail(format!(
            "tệp {} có chứng thư PEM hỏng",
            path.display()
        )));
    }
    Ok(bytes)
}

/// An address as lettre will parse it for sending; `key` names it in the error.
pub fn check_address(text: &str, key: &str) -> Result<(), SettingsError> {
    match text.trim().parse::<lettre::message::Mailbox>() {
        Ok(_) => Ok(()),
        Err(_) => Err(SettingsError::new(
            key,
            format!(
                "địa chỉ thư «{}» không hợp lệ; viết dạng ten@example.vn hoặc «Tên <ten@example.vn>»",
                text.trim()
            ),
        )),
    }
}

/// Reads a password file that only its owner can read; a file others can read is refused,
/// since the password would not be secret any more.
fn read_password_file(path: &Path) -> Result<String, SettingsError> {
    let fail = |text: String| SettingsError::new("delivery.smtp_password_file", text);
    let metadata = std::fs::metadata(path).map_err(|e| {
        fail(format!(
            "không đọc được tệp mật khẩu {}: {e}",
            path.display()
        ))
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(fail(format!(
                "tệp mật khẩu {} cho người khác đọc được (quyền {mode:04o}); chỉ chủ tệp được đọc: chạy «chmod 600 {}» rồi chạy lại",
                path.display(),
                path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    let text = std::fs::read_to_string(path).map_err(|e| {
        fail(format!(
            "không đọc được tệp mật khẩu {}: {e}",
            path.display()
        ))
    })?;
    let password = text.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(fail(format!("tệp mật khẩu {} rỗng", path.display())));
    }
    Ok(password)
}

/// True for 127.0.0.0/8, ::1 and `localhost`.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A DNS name (letters, digits, `-`, `.`) or an IP address, with IPv6 optionally in brackets.
fn is_host_name(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<IpAddr>().is_ok() {
        return true;
    }
    !host.starts_with('.')
        && !host.starts_with('-')
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Everything `check` and `run --dry-run` verify before anything is sent: the `[delivery]`
/// section ([`DeliverySettings::validate`]), every unit's `email` and every school's address
/// in the registry. Empty when delivery is not configured or all is usable.
pub fn validate_all(
    config: &super::Config,
    registry: &crate::schools::SchoolRegistry,
    config_dir: &Path,
    password_variable: Option<String>,
) -> Vec<SettingsError> {
    let Some(settings) = &config.delivery else {
        return Vec::new();
    };
    let mut problems = settings.validate(config_dir, password_variable);
    for (index, unit) in config.units.iter().enumerate() {
        if let Some(email) = unit.email.as_deref().filter(|e| !e.trim().is_empty()) {
            if let Err(mut problem) = check_address(email, &format!("units[{index}].email")) {
                problem.text = format!("đơn vị {}: {}", unit.code, problem.text);
                problems.push(problem);
            }
        }
    }
    for school in registry.schools() {
        if let Some(email) = registry.email_of(&school.code) {
            if let Err(mut problem) = check_address(email, "schools.registry") {
                problem.text = format!("cột Email của trường {}: {}", school.code, problem.text);
                problems.push(problem);
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(host: &str, security: Security) -> DeliverySettings {
        DeliverySettings {
            smtp_host: host.into(),
            smtp_port: None,
            security,
            username: None,
            smtp_password_file: None,
            from: "Sở GDĐT <baocao@example.vn>".into(),
            leaders: vec!["giamdoc@example.vn".into()],
            copy_to: String::new(),
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
            ca_file: None,
        }
    }

    #[test]
    fn clear_text_is_refused_off_this_machine() {
        for host in ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"] {
            assert!(settings(host, Security::None).check().is_ok(), "{host}");
        }
        let error = settings("smtp.example.vn", Security::None)
            .check()
            .expect_err("refused");
        assert_eq!(error.key, "delivery.security");
        assert!(error.text.contains("security = \"none\""), "{error}");
        assert!(error.text.contains("smtp.example.vn"), "{error}");
        assert!(settings("smtp.example.vn", Security::Starttls)
            .check()
            .is_ok());
    }

    #[test]
    fn every_bad_value_is_named_by_its_key() {
        let mut s = settings("smtp example.vn", Security::Starttls);
        s.from = "baocao".into();
        s.leaders = vec!["giamdoc@example.vn".into(), "vanphong@".into()];
        s.timeout_seconds = 0;
        s.smtp_port = Some(0);
        s.ca_file = Some("khong-co.pem".into());
        let dir = tempfile::tempdir().expect("temp dir");
        let keys: Vec<String> = s
            .validate(dir.path(), None)
            .into_iter()
            .map(|p| p.key)
            .collect();
        assert_eq!(
            keys,
            [
                "delivery.smtp_host",
                "delivery.smtp_port",
                "delivery.timeout_seconds",
                "delivery.from",
                "delivery.leaders[1]",
                "delivery.ca_file"
            ]
        );
        assert!(settings("smtp.example.vn", Security::Tls)
            .validate(dir.path(), None)
            .is_empty());
        // At send time a wrong leader's address loses only its own message.
        let mut one_bad_leader = settings("smtp.example.vn", Security::Tls);
        one_bad_leader.leaders.push("vanphong@".into());
        assert!(one_bad_leader.check().is_ok());
        assert_eq!(one_bad_leader.validate(dir.path(), None).len(), 1);
    }

    #[test]
    fn a_ca_file_must_hold_pem_certificates() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "không phải chứng thư").expect("write");
        let error = read_ca_file(&path).expect_err("no certificate");
        assert!(error.text.contains("PEM"), "{error}");
        std::fs::write(
            &path,
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        )
        .expect("write");
        assert!(read_ca_file(&path).is_err(), "damaged PEM");
    }

    #[test]
    fn ports_default_by_security() {
        assert_eq!(settings("h", Security::Starttls).port(), 587);
        assert_eq!(settings("h", Security::Tls).port(), 465);
        let mut s = settings("h", Security::None);
        assert_eq!(s.port(), 25);
        s.smtp_port = Some(2525);
        assert_eq!(s.port(), 2525);
        assert_eq!(s.server(), "h:2525");
    }

    #[cfg(unix)]
    #[test]
    fn a_password_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("mat-khau");
        std::fs::write(&path, "bí-mật\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let mut s = settings("h", Security::Starttls);
        s.username = Some("baocao".into());
        s.smtp_password_file = Some("mat-khau".into());
        let error = s.password_with(None, dir.path()).expect_err("refused");
        assert_eq!(error.key, "delivery.smtp_password_file");
        assert!(error.text.contains("chmod 600"), "{error}");
        assert!(!error.text.contains("bí-mật"), "{error}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(
            s.password_with(None, dir.path()).expect("read").as_deref(),
            Some("bí-mật")
        );
        assert_eq!(
            s.password_with(Some("từ-biến".into()), dir.path())
                .expect("variable first")
                .as_deref(),
            Some("từ-biến")
        );
    }
}
