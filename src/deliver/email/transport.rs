//! The conversation with the SMTP server, command by command (lettre's synchronous
//! `SmtpConnection` over rustls), so that each recipient is its own transaction, each reply
//! is known, and what the client is waiting for can be told when the server stalls. Failures
//! are in Vietnamese, with the password never in them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::address::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, MailBodyParameter, MailParameter};

use crate::config::{DeliverySettings, Security};

/// How long one SMTP command may take before the server counts as unreachable.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// What the client is waiting for, shared with whoever watches the deadline.
#[derive(Clone, Default)]
pub struct Waiting(Arc<Mutex<String>>);

impl Waiting {
    fn set(&self, text: impl Into<String>) {
        if let Ok(mut current) = self.0.lock() {
            *current = text.into();
        }
    }

    /// The step the conversation is at, in Vietnamese.
    pub fn get(&self) -> String {
        self.0.lock().map(|t| t.clone()).unwrap_or_default()
    }
}

/// How to reach and log in to the server.
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub tls: Option<TlsParameters>,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The per-command limit; the whole delivery has its own deadline besides.
    pub timeout: Duration,
}

impl Endpoint {
    /// The endpoint of `settings` with the TLS parameters and password already prepared.
    pub fn new(
        settings: &DeliverySettings,
        tls: Option<TlsParameters>,
        password: Option<String>,
    ) -> Self {
        Self {
            host: settings.smtp_host.trim().to_string(),
            port: settings.port(),
            security: settings.security,
            tls,
            username: settings
                .username
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string),
            password,
            timeout: COMMAND_TIMEOUT,
        }
    }

    /// `host:port`.
    pub fn server(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// A message that did not go out.
#[derive(Debug, Clone)]
pub struct SendFailure {
    pub text: String,
    /// True when no other message can go out either (server down, login refused, TLS).
    pub stops_all: bool,
}

/// An open, logged-in connection.
pub struct Session {
    connection: SmtpConnection,
    server: String,
    password: Option<String>,
    waiting: Waiting,
}

impl Session {
    /// Connects, secures the connection as configured and logs in.
    pub fn open(endpoint: &Endpoint, waiting: Waiting) -> Result<Self, SendFailure> {
        let server = endpoint.server();
        let hello = ClientId::default();
        let fail = |error: lettre::transport::smtp::Error, step: &str| {
            explain_session(endpoint, &error, step)
        };
        let wrapper = match endpoint.security {
            Security::Tls => endpoint.tls.as_ref(),
            Security::Starttls | Security::None => None,
        };
        waiting.set("kết nối, lời chào của máy chủ và trả lời lệnh EHLO");
        let mut connection = SmtpConnection::connect(
            (endpoint.host.as_str(), endpoint.port),
            Some(endpoint.timeout),
            &hello,
            wrapper,
            None,
        )
        .map_err(|e| fail(e, "kết nối"))?;
        if endpoint.security == Security::Starttls {
            let Some(tls) = endpoint.tls.as_ref() else {
                return Err(SendFailure {
                    text: format!("không chuẩn bị được TLS cho máy chủ thư {server}"),
                    stops_all: true,
                });
            };
            if !connection.can_starttls() {
                connection.abort();
                return Err(SendFailure {
                    text: format!(
                        "máy chủ thư {server} không nhận STARTTLS nên không gửi được an toàn (security = \"starttls\"); hỏi người quản trị máy chủ thư, hoặc dùng security = \"tls\" với cổng 465"
                    ),
                    stops_all: true,
                });
            }
            waiting.set("mã hoá kết nối (STARTTLS)");
            connection
                .starttls(tls, &hello)
                .map_err(|e| fail(e, "STARTTLS"))?;
        }
        if let (Some(user), Some(password)) = (&endpoint.username, &endpoint.password) {
            waiting.set("trả lời lệnh đăng nhập (AUTH)");
            connection
                .auth(
                    &[Mechanism::Plain, Mechanism::Login],
                    &Credentials::new(user.clone(), password.clone()),
                )
                .map_err(|e| fail(e, "đăng nhập"))?;
        }
        waiting.set(String::new());
        Ok(Self {
            connection,
            server,
            password: endpoint.password.clone(),
            waiting,
        })
    }

    /// True when the connection can carry another message.
    pub fn usable(&self) -> bool {
        !self.connection.has_broken()
    }

    /// Sends `bytes` from `from` to the one recipient `to`, as its own transaction; the
    /// server's final reply (`250 …`) on success. A refusal loses only this message.
    pub fn send(
        &mut self,
        from: &Address,
        to: &Address,
        bytes: &[u8],
    ) -> Result<String, SendFailure> {
        let mut parameters = Vec::new();
        if !bytes.is_ascii() {
            parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        if !from.to_string().is_ascii() || !to.to_string().is_ascii() {
            parameters.push(MailParameter::SmtpUtfEight);
        }
        self.waiting.set(format!("trả lời lệnh MAIL FROM:<{from}>"));
        self.step(Mail::new(Some(from.clone()), parameters), to, "MAIL FROM")?;
        self.waiting.set(format!("trả lời lệnh RCPT TO:<{to}>"));
        self.step(Rcpt::new(to.clone(), Vec::new()), to, "RCPT TO")?;
        self.waiting.set("trả lời lệnh DATA");
        self.step(Data, to, "DATA")?;
        self.waiting.set(format!(
            "xác nhận đã nhận nội dung thư gửi {to} (sau dấu chấm kết thúc)"
        ));
        let reply = self
            .connection
            .message(bytes)
            .map_err(|e| self.refusal(&e, to, "nội dung thư"))?;
        self.waiting.set(String::new());
        Ok(reply_text(reply.code().to_string(), reply.message()))
    }

    fn step(
        &mut self,
        command: impl std::fmt::Display,
        to: &Address,
        name: &str,
    ) -> Result<(), SendFailure> {
        match self.connection.command(command) {
            Ok(_) => Ok(()),
            Err(error) => {
                let failure = self.refusal(&error, to, name);
                if error.status().is_some() && !self.connection.has_broken() {
                    // Leave the transaction so the next recipient starts clean.
                    self.waiting.set("trả lời lệnh RSET");
                    if self.connection.command(Rset).is_err() {
                        self.connection.abort();
                    }
                }
                Err(failure)
            }
        }
    }

    fn refusal(
        &self,
        error: &lettre::transport::smtp::Error,
        to: &Address,
        step: &str,
    ) -> SendFailure {
        let detail = redact(&error_chain(error), self.password.as_deref());
        match error.status() {
            Some(code) => {
                let what = if error.is_permanent() {
                    "từ chối"
                } else {
                    "tạm thời không nhận"
                };
                SendFailure {
                    text: format!(
                        "máy chủ thư {} {what} thư gửi {to} (ở bước {step}, mã {code}): {}",
                        self.server,
                        reply_detail(error)
                    ),
                    stops_all: false,
                }
            }
            None => SendFailure {
                text: format!(
                    "mất kết nối với máy chủ thư {} khi gửi thư tới {to} (ở bước {step}): {detail}",
                    self.server
                ),
                stops_all: true,
            },
        }
    }

    /// Ends the conversation politely.
    pub fn quit(mut self) {
        self.waiting.set("trả lời lệnh QUIT");
        let _ = self.connection.quit();
    }
}

/// The failure of connecting, securing or logging in: no message can go out.
fn explain_session(
    endpoint: &Endpoint,
    error: &lettre::transport::smtp::Error,
    step: &str,
) -> SendFailure {
    let server = endpoint.server();
    let detail = redact(&error_chain(error), endpoint.password.as_deref());
    let code = error.status().map(|c| c.to_string());
    let text = match code.as_deref() {
        Some("535" | "534" | "530" | "538") => format!(
            "máy chủ thư {server} từ chối đăng nhập{}: sai tên đăng nhập hoặc mật khẩu, hoặc máy chủ đòi cách đăng nhập khác (kiểm tra username, biến môi trường {} hoặc smtp_password_file) — {detail}",
            endpoint
                .username
                .as_deref()
                .map(|u| format!(" của {u}"))
                .unwrap_or_default(),
            crate::config::delivery::PASSWORD_VARIABLE
        ),
        Some(code) => format!(
            "máy chủ thư {server} không nhận phiên gửi (ở bước {step}, mã {code}): {}",
            reply_detail(error)
        ),
        // A certificate refused during the handshake comes back from lettre as a network
        // error; the text or the step tells it apart from a server that is down.
        None if error.is_tls()
            || step == "STARTTLS"
            || (endpoint.security == Security::Tls && detail.contains("certificate")) =>
        {
            format!(
            "không thiết lập được kết nối mã hoá (TLS) với máy chủ thư {server}: {detail}. Chứng thư của máy chủ phải do một tổ chức chứng thực trong kho chứng thư của hệ thống cấp, hoặc do tổ chức ghi trong khóa ca_file của [delivery]"
            )
        }
        None if error.is_timeout() => format!(
            "máy chủ thư {server} không trả lời trong {} giây (ở bước {step}): {detail}",
            endpoint.timeout.as_secs()
        ),
        None => format!("không kết nối được máy chủ thư {server}: {detail}"),
    };
    SendFailure {
        text,
        stops_all: true,
    }
}

/// The server's own words of a negative reply (lettre keeps them as the error's source).
fn reply_detail(error: &lettre::transport::smtp::Error) -> String {
    use std::error::Error as _;
    printable(&match error.source() {
        Some(source) => source.to_string(),
        None => error.to_string(),
    })
}

fn reply_text<'a>(code: String, lines: impl Iterator<Item = &'a str>) -> String {
    let lines: Vec<&str> = lines.collect();
    if lines.is_empty() {
        code
    } else {
        printable(&format!("{code} {}", lines.join(" ")))
    }
}

/// The server's text with its control characters escaped (`\u{1b}`), so a reply cannot
/// write forged lines into the log, the summary or the journal.
fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// Removes the password from a text, should a server ever echo it; control characters are
/// escaped as well.
fn redact(text: &str, password: Option<&str>) -> String {
    let text = match password {
        Some(password) if !password.is_empty() => text.replace(password, "***"),
        _ => text.to_string(),
    };
    printable(&text)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_reply_cannot_break_a_log_line_or_show_the_password() {
        assert_eq!(printable("550 a\r\nINFO giả"), "550 a\\u{d}\\u{a}INFO giả");
        assert_eq!(redact("535 bí-mật\n", Some("bí-mật")), "535 ***\\u{a}");
    }
}
