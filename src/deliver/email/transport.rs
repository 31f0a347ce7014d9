//! The connection to the SMTP server (lettre's synchronous transport over rustls), and its
//! failures in Vietnamese, with the password never in them.

use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::{DeliveryError, DeliverySettings, Security};

/// How long one SMTP command may take before the server counts as unreachable.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A configured SMTP transport; connects per message.
pub struct Mailer {
    transport: SmtpTransport,
    server: String,
    username: Option<String>,
    password: Option<String>,
}

/// A message that did not go out.
pub struct SendFailure {
    pub text: String,
    /// True when no other message can go out either (server down, login refused).
    pub stops_all: bool,
}

impl Mailer {
    /// The transport for `settings`, logging in with `password` when a username is set.
    pub fn new(
        settings: &DeliverySettings,
        password: Option<String>,
    ) -> Result<Self, DeliveryError> {
        let host = settings.smtp_host.trim().to_string();
        let tls = |host: &str| {
            TlsParameters::new(host.to_string()).map_err(|e| {
                DeliveryError::Settings(format!("không chuẩn bị được TLS cho {host}: {e}"))
            })
        };
        let tls = match settings.security {
            Security::Starttls => Tls::Required(tls(&host)?),
            Security::Tls => Tls::Wrapper(tls(&host)?),
            Security::None => Tls::None,
        };
        let mut builder = SmtpTransport::builder_dangerous(host.clone())
            .port(settings.port())
            .tls(tls)
            .timeout(Some(TIMEOUT));
        let username = settings
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string);
        if let (Some(user), Some(password)) = (&username, &password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self {
            transport: builder.build(),
            server: format!("{host}:{}", settings.port()),
            username,
            password,
        })
    }

    /// Sends one message.
    pub fn send(&self, message: &Message) -> Result<(), SendFailure> {
        match self.transport.send(message) {
            Ok(_) => Ok(()),
            Err(error) => Err(self.explain(&error)),
        }
    }

    fn explain(&self, error: &lettre::transport::smtp::Error) -> SendFailure {
        let detail = self.redact(&error_chain(error));
        let code = error.status().map(|c| c.to_string());
        let (text, stops_all) = match code.as_deref() {
            Some("535" | "534" | "530" | "538") => (
                format!(
                    "máy chủ thư {} từ chối đăng nhập{}: sai tên đăng nhập hoặc mật khẩu, hoặc máy chủ đòi cách đăng nhập khác (kiểm tra username, biến môi trường {} hoặc smtp_password_file) — {detail}",
                    self.server,
                    self.username
                        .as_deref()
                        .map(|u| format!(" của {u}"))
                        .unwrap_or_default(),
                    super::PASSWORD_VARIABLE
                ),
                true,
            ),
            Some(code) if error.is_permanent() => (
                format!("máy chủ thư {} từ chối thư (mã {code}): {detail}", self.server),
                false,
            ),
            Some(code) => (
                format!(
                    "máy chủ thư {} tạm thời không nhận thư (mã {code}): {detail}",
                    self.server
                ),
                false,
            ),
            None if error.is_tls() => (
                format!(
                    "không thiết lập được kết nối mã hoá (TLS) với máy chủ thư {}: {detail}",
                    self.server
                ),
                true,
            ),
            None => (
                format!(
                    "không kết nối được máy chủ thư {}: {detail}",
                    self.server
                ),
                true,
            ),
        };
        SendFailure {
            text: format!("{text}; thư chưa gửi sẽ được gửi ở lần chạy sau"),
            stops_all,
        }
    }

    /// Removes the password from a text, should a server ever echo it.
    fn redact(&self, text: &str) -> String {
        match &self.password {
            Some(password) if !password.is_empty() => text.replace(password.as_str(), "***"),
            _ => text.to_string(),
        }
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let part = inner.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = inner.source();
    }
    text
}
