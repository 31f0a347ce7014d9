//! The `[delivery]` section of the configuration: which SMTP server, how to reach it safely,
//! who sends and which leaders receive the report. The password is never part of it: it comes
//! from the environment or from a file only its owner can read, when a message is sent.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::DeliveryError;

/// The environment variable that holds the SMTP password.
pub const PASSWORD_VARIABLE: &str = "BAOCAO_SMTP_PASSWORD";

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

impl DeliverySettings {
    /// The port to connect to.
    pub fn port(&self) -> u16 {
        self.smtp_port.unwrap_or(match self.security {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        })
    }

    /// Refuses settings that would send in clear text over a network, or that cannot work.
    pub fn check(&self) -> Result<(), DeliveryError> {
        if self.smtp_host.trim().is_empty() {
            return Err(DeliveryError::Settings(
                "[delivery] thiếu smtp_host (máy chủ thư)".into(),
            ));
        }
        if self.security == Security::None && !is_loopback(&self.smtp_host) {
            return Err(DeliveryError::Settings(format!(
                "[delivery] security = \"none\" (không mã hoá) chỉ được dùng với máy chủ thư trên chính máy này (127.0.0.1 hoặc ::1), không dùng với «{}»: mật khẩu và tài liệu sẽ đi trên mạng không được bảo vệ. Hãy dùng security = \"starttls\" hoặc \"tls\"",
                self.smtp_host
            )));
        }
        if self.from.trim().is_empty() {
            return Err(DeliveryError::Settings(
                "[delivery] thiếu from (người gửi)".into(),
            ));
        }
        Ok(())
    }

    /// The password, from [`PASSWORD_VARIABLE`] or `smtp_password_file` (resolved against
    /// `config_dir`); `None` when no username is configured.
    pub fn password(&self, config_dir: &Path) -> Result<Option<String>, DeliveryError> {
        self.password_with(std::env::var(PASSWORD_VARIABLE).ok(), config_dir)
    }

    /// [`Self::password`] with the variable's value given, so tests need not touch the
    /// process environment.
    fn password_with(
        &self,
        variable: Option<String>,
        config_dir: &Path,
    ) -> Result<Option<String>, DeliveryError> {
        if self.username.as_deref().is_none_or(|u| u.trim().is_empty()) {
            return Ok(None);
        }
        if let Some(value) = variable.filter(|v| !v.is_empty()) {
            return Ok(Some(value));
        }
        let Some(file) = &self.smtp_password_file else {
            return Err(DeliveryError::Settings(format!(
                "[delivery] có username nhưng chưa có mật khẩu: đặt biến môi trường {PASSWORD_VARIABLE} hoặc smtp_password_file"
            )));
        };
        let path = config_dir.join(file);
        read_password_file(&path).map(Some)
    }
}

/// Reads a password file that only its owner can read; a file others can read is refused,
/// since the password would not be secret any more.
fn read_password_file(path: &Path) -> Result<String, DeliveryError> {
    let metadata = std::fs::metadata(path).map_err(|e| {
        DeliveryError::Settings(format!(
            "không đọc được tệp mật khẩu {}: {e}",
            path.display()
        ))
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(DeliveryError::Settings(format!(
                "tệp mật khẩu {} cho người khác đọc được (quyền {mode:04o}); chỉ chủ tệp được đọc: chạy «chmod 600 {}» rồi chạy lại",
                path.display(),
                path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    let text = std::fs::read_to_string(path).map_err(|e| {
        DeliveryError::Settings(format!(
            "không đọc được tệp mật khẩu {}: {e}",
            path.display()
        ))
    })?;
    let password = text.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(DeliveryError::Settings(format!(
            "tệp mật khẩu {} rỗng",
            path.display()
        )));
    }
    Ok(password)
}

/// True for 127.0.0.0/8, ::1 and `localhost`.
fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
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
        }
    }

    #[test]
    fn clear_text_is_refused_off_this_machine() {
        for host in ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"] {
            assert!(settings(host, Security::None).check().is_ok(), "{host}");
        }
        let error = settings("smtp.example.vn", Security::None)
            .check()
            .expect_err("refused")
            .to_string();
        assert!(error.contains("security = \"none\""), "{error}");
        assert!(error.contains("smtp.example.vn"), "{error}");
        assert!(settings("smtp.example.vn", Security::Starttls)
            .check()
            .is_ok());
    }

    #[test]
    fn ports_default_by_security() {
        assert_eq!(settings("h", Security::Starttls).port(), 587);
        assert_eq!(settings("h", Security::Tls).port(), 465);
        let mut s = settings("h", Security::None);
        assert_eq!(s.port(), 25);
        s.smtp_port = Some(2525);
        assert_eq!(s.port(), 2525);
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
        let error = s
            .password_with(None, dir.path())
            .expect_err("refused")
            .to_string();
        assert!(error.contains("chmod 600"), "{error}");
        assert!(!error.contains("bí-mật"), "{error}");
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
