//! A real SMTP server for the tests: `smtp_server.py` (Python's aiosmtpd) on 127.0.0.1,
//! started and stopped by the test. What arrives is parsed as MIME on the Python side (a
//! parser that has nothing to do with the Rust client) and read back here as JSON.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde::Deserialize;

/// The command that installs the server the tests need.
pub const INSTALL: &str = "pip install aiosmtpd";

/// True when aiosmtpd can be imported. Without it the delivery tests cannot run: under CI
/// (variable `CI` set) that is a failure, elsewhere the test is skipped, loudly.
pub fn server_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("python3 with aiosmtpd is required for the delivery tests: {INSTALL}");
        }
        eprintln!(
            "\n*** SKIPPED: the e-mail delivery tests need a real SMTP server: {INSTALL} ***\n"
        );
    }
    ok
}

/// A port on 127.0.0.1 that nothing listens on (at the moment it is returned).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// A running server; killed when dropped.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    pub inbox: tempfile::TempDir,
}

/// One message as the server received and parsed it.
#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub subject: String,
    pub raw_subject: String,
    pub message_id: String,
    pub mime_version: String,
    pub content_type: String,
    pub body: String,
    pub attachments: Vec<ReceivedAttachment>,
    pub defects: Vec<String>,
    pub login: Option<String>,
    /// True when the message came over TLS (STARTTLS or implicit).
    #[serde(default)]
    pub tls: bool,
}

/// An attachment as received.
#[derive(Debug, Clone, Deserialize)]
pub struct ReceivedAttachment {
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
}

impl SmtpServer {
    /// Starts the server on `port`; with `login`, AUTH with that user and password is
    /// required.
    pub fn start(port: u16, login: Option<(&str, &str)>) -> Self {
        let mut extra = Vec::new();
        if let Some((user, password)) = login {
            extra.extend(["--user", user, "--password", password].map(String::from));
        }
        Self::start_with(port, &extra)
    }

    /// Starts the server with more options of `smtp_server.py` (`--refuse ADDRESS`,
    /// `--cert FILE --key FILE`, `--implicit-tls`).
    pub fn start_with(port: u16, extra: &[String]) -> Self {
        let inbox = tempfile::tempdir().expect("inbox");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py");
        let mut command = Command::new("python3");
        command
            .arg(script)
            .args(["--port", &port.to_string()])
            .arg("--dir")
            .arg(inbox.path())
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let child = wait_ready(command.spawn().expect("python3 starts"));
        Self { child, port, inbox }
    }

    /// Every message received so far, in order of arrival.
    pub fn received(&self) -> Vec<Received> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.inbox.path())
            .expect("inbox")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| {
                serde_json::from_str(&std::fs::read_to_string(p).expect("read"))
                    .expect("message JSON")
            })
            .collect()
    }
}

fn wait_ready(mut child: Child) -> Child {
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("server says it is ready");
    if line.trim() != "READY" {
        let _ = child.kill();
        panic!("the SMTP server did not start: {line:?}");
    }
    child
}

/// A server that stalls (`slow_smtp.py`): `silent` never answers, `drip` answers the message
/// one byte every `interval` seconds, without end. Killed when dropped.
pub struct SlowServer {
    child: Child,
    pub port: u16,
}

impl SlowServer {
    pub fn start(port: u16, mode: &str, interval: f64) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/slow_smtp.py");
        let child = Command::new("python3")
            .arg(script)
            .args(["--port", &port.to_string(), "--mode", mode])
            .args(["--interval", &interval.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 starts");
        Self {
            child: wait_ready(child),
            port,
        }
    }
}

impl Drop for SlowServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
