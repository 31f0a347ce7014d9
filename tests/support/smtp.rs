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
        let inbox = tempfile::tempdir().expect("inbox");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py");
        let mut command = Command::new("python3");
        command
            .arg(script)
            .args(["--port", &port.to_string()])
            .arg("--dir")
            .arg(inbox.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some((user, password)) = login {
            command.args(["--user", user, "--password", password]);
        }
        let mut child = command.spawn().expect("python3 starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("server says it is ready");
        if line.trim() != "READY" {
            let _ = child.kill();
            panic!("the SMTP server did not start: {line:?}");
        }
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

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
