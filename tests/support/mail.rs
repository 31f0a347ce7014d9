//! The delivery tests' common ground: a configuration with a `[delivery]` section and unit
//! addresses written into the workspace, and `baocao` run on it with or without the password.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use super::form_a;
use super::pipeline::*;
use super::smtp::Received;

pub const LEADERS: [&str; 2] = ["giamdoc@example.vn", "vanphong@example.vn"];
pub const SUBJECT: &str = "Báo cáo tháng 11/2025 — Sở GDĐT Hải Phòng";

/// The repository's configuration with absolute paths, unit addresses and a `[delivery]`
/// section, written into the workspace.
pub fn write_config(workspace: &Workspace, emails: &[(&str, &str)], delivery: &str) -> PathBuf {
    let repo = repo();
    let absolute = |relative: &str| repo.join(relative).display().to_string();
    let mut text = std::fs::read_to_string(repo.join("config/baocao.toml")).expect("config");
    for (from, to) in [
        (
            "\"../templates/bao-cao-thang.toml\"",
            "templates/bao-cao-thang.toml",
        ),
        (
            "\"../templates/huong-dan.toml\"",
            "templates/huong-dan.toml",
        ),
        ("\"truong.csv\"", "config/truong.csv"),
        ("\"chi-tieu.toml\"", "config/chi-tieu.toml"),
    ] {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, &format!("\"{}\"", absolute(to)));
    }
    for (code, email) in emails {
        let line = format!("code = \"{code}\"\n");
        assert!(text.contains(&line), "{code}");
        text = text.replace(&line, &format!("{line}email = \"{email}\"\n"));
    }
    if !delivery.is_empty() {
        text.push_str("\n[delivery]\n");
        text.push_str(delivery);
    }
    let dir = workspace.dir.path().join("config");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join("baocao.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

pub fn local_delivery(port: u16) -> String {
    format!(
        "smtp_host = \"127.0.0.1\"\nsmtp_port = {port}\nsecurity = \"none\"\nfrom = \"Sở GDĐT Hải Phòng <baocao@example.vn>\"\nleaders = [\"{}\", \"{}\"]\n",
        LEADERS[0], LEADERS[1]
    )
}

/// Runs baocao on the workspace with `config`, the password variable set or removed.
pub fn run(
    workspace: &Workspace,
    config: &Path,
    args: &[&str],
    password: Option<&str>,
) -> RunResult {
    let mut command = Command::new(env!("CARGO_BIN_EXE_baocao"));
    command
        .args(args)
        .args(["--period", "2025-11", "--input"])
        .arg(workspace.input())
        .arg("--output")
        .arg(workspace.output())
        .arg("--config")
        .arg(config);
    match password {
        Some(p) => command.env("BAOCAO_SMTP_PASSWORD", p),
        None => command.env_remove("BAOCAO_SMTP_PASSWORD"),
    };
    let output = command.output().expect("baocao runs");
    RunResult {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn to(messages: &[Received], address: &str) -> Vec<Received> {
    messages
        .iter()
        .filter(|m| m.rcpt_tos.iter().any(|r| r == address))
        .cloned()
        .collect()
}

pub fn manifest(workspace: &Workspace) -> serde_json::Value {
    let text = std::fs::read_to_string(workspace.output().join("2025-11/manifest.json"))
        .expect("manifest");
    serde_json::from_str(&text).expect("manifest JSON")
}

pub fn without_unit(code: &str) -> Vec<form_a::SampleSubmission> {
    let mut samples = november_samples();
    samples.retain(|s| !s.info.iter().any(|(k, v)| k == "Mã đơn vị" && v == code));
    samples
}

/// Runs baocao with `args` as they are (no `--period` added), the password variable and
/// `SSL_CERT_FILE` removed unless given in `env`.
pub fn baocao_with(args: &[&str], env: &[(&str, &str)]) -> RunResult {
    let mut command = Command::new(env!("CARGO_BIN_EXE_baocao"));
    command
        .args(args)
        .env_remove("BAOCAO_SMTP_PASSWORD")
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("baocao runs");
    RunResult {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The usual arguments of a run on the workspace: `--period 2025-11 --input … --output …
/// --config …`.
pub fn workspace_args(workspace: &Workspace, config: &Path) -> Vec<String> {
    vec![
        "--period".into(),
        "2025-11".into(),
        "--input".into(),
        workspace.input().display().to_string(),
        "--output".into(),
        workspace.output().display().to_string(),
        "--config".into(),
        config.display().to_string(),
    ]
}

/// Runs `baocao run` (or `args`) on the workspace and gives it `limit` to end: a run that
/// does not end by then is killed and the test fails, since a stalled server must never hold
/// the run (and its lock) for ever.
pub fn run_within(
    workspace: &Workspace,
    config: &Path,
    args: &[&str],
    limit: std::time::Duration,
) -> RunResult {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(args)
        .args(workspace_args(workspace, config))
        .env_remove("BAOCAO_SMTP_PASSWORD")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("baocao starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "baocao still running after {} s: the delivery has no deadline",
                limit.as_secs()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    RunResult {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}
