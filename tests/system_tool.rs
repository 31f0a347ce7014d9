//! baocao as a system tool run by cron or systemd for years: exit statuses that monitoring can
//! trust, the configuration found where an administrator expects it (and named), log lines
//! with time and level, and a LibreOffice that hangs never holding the run.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use pipeline::*;

/// Runs the binary in `dir` with `env` set and `BAOCAO_CONFIG` otherwise unset.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> RunResult {
    let mut command = Command::new(env!("CARGO_BIN_EXE_baocao"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("BAOCAO_CONFIG")
        .env_remove("BAOCAO_LOG")
        .env_remove("JOURNAL_STREAM");
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

/// A copy of the repository's `config/` and `templates/` under `root`, with the
/// organisation's short name changed so that a summary can tell which copy was read.
fn config_copy(root: &Path, short_name: &str) -> PathBuf {
    for folder in ["config", "templates"] {
        std::fs::create_dir_all(root.join(folder)).expect("mkdir");
        for entry in std::fs::read_dir(repo().join(folder)).expect("read repo folder") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), root.join(folder).join(entry.file_name())).expect("copy");
        }
    }
    let path = root.join("config/baocao.toml");
    let text = std::fs::read_to_string(&path).expect("config");
    std::fs::write(
        &path,
        text.replace(
            "short_name = \"Sở GDĐT\"",
            &format!("short_name = \"{short_name}\""),
        ),
    )
    .expect("write config");
    path
}

/// The path as baocao names it: the real path of an existing file, else the absolute one.
fn absolute(path: &Path) -> String {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .expect("absolute")
        .display()
        .to_string()
}

#[test]
fn usage_errors_exit_64_help_and_version_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    let typo = run_in(dir.path(), &["run", "--perod", "2025-11"], &[]);
    assert_eq!(typo.code, 64, "{}", typo.stderr);
    assert!(
        typo.stderr.contains("tùy chọn không có: --perod"),
        "{}",
        typo.stderr
    );
    assert!(typo.stderr.contains("«--period»"), "{}", typo.stderr);

    let period = run_in(dir.path(), &["run", "--period", "2025-13"], &[]);
    assert_eq!(period.code, 64, "{}", period.stderr);
    assert!(
        period.stderr.contains("cần dạng YYYY-MM"),
        "{}",
        period.stderr
    );

    assert_eq!(run_in(dir.path(), &[], &[]).code, 64);
    let help = run_in(dir.path(), &["--help"], &[]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("run"), "{}", help.stdout);
    let version = run_in(dir.path(), &["--version"], &[]);
    assert_eq!(version.code, 0);
    assert!(
        version.stdout.contains(env!("CARGO_PKG_VERSION")),
        "{}",
        version.stdout
    );
    assert!(
        !dir.path().join("output").exists(),
        "a usage error writes nothing"
    );
}

#[test]
fn a_missing_configuration_named_by_config_exits_1_naming_it() {
    let workspace = Workspace::with(&november_samples());
    let missing = workspace.dir.path().join("khong-co.toml");
    let result = run_in(
        workspace.dir.path(),
        &[
            "run",
            "--period",
            "2025-11",
            "--config",
            missing.to_str().expect("utf-8"),
        ],
        &[],
    );
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.contains(&absolute(&missing)) && result.stderr.contains("không có tệp này"),
        "{}",
        result.stderr
    );
    assert!(!workspace.output().join("2025-11").exists());
}

#[test]
fn a_configuration_error_is_entirely_vietnamese_with_line_and_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = config_copy(dir.path(), "Sở GDĐT");
    let text = std::fs::read_to_string(&path).expect("config");
    let broken = text.replacen("place = ", "plaec = ", 1);
    let line = broken
        .lines()
        .position(|l| l.starts_with("plaec"))
        .expect("typo line")
        + 1;
    std::fs::write(&path, broken).expect("write");
    let result = run_in(dir.path(), &["check", "--period", "2025-11"], &[]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.contains(&format!("dòng {line}"))
            && result.stderr.contains("khóa «organisation.plaec»")
            && result.stderr.contains("place"),
        "{}",
        result.stderr
    );
    for english in ["unknown field", "expected", "TOML parse error"] {
        assert!(!result.stderr.contains(english), "{}", result.stderr);
    }
}

#[test]
fn the_configuration_is_searched_in_order_and_named() {
    let workspace = Workspace::with(&november_samples());
    let root = workspace.dir.path();
    let input = workspace.input();
    let input = input.to_str().expect("utf-8");
    let check = ["check", "--period", "2025-11", "--input", input];

    // Nothing anywhere (a cron job in $HOME, no terminal): the built-in sample is refused,
    // with the reason (on a terminal it is used with a warning: tests/run_safety.rs). (A
    // machine with /etc/baocao/baocao.toml installed finds that instead; CI checks that step
    // with the installed package, and `config::locate` tests it on a temporary tree.)
    if !Path::new(baocao::config::locate::SYSTEM_CONFIG).exists() {
        let builtin = run_in(root, &check, &[]);
        assert_eq!(builtin.code, 1, "{}", builtin.stdout);
        assert!(
            builtin.stderr.contains("không tìm thấy tệp cấu hình")
                && builtin.stderr.contains("không dùng cấu hình mẫu cài sẵn"),
            "{}",
            builtin.stderr
        );
    }

    // ./config/baocao.toml in the working directory.
    let working = config_copy(root, "Sở Làm Việc");
    let found = run_in(root, &check, &[]);
    assert!(
        found.stdout.contains(&format!(
            "Cấu hình: {} (trong thư mục làm việc)",
            absolute(&working)
        )),
        "{}",
        found.stdout
    );
    assert!(
        found
            .stdout
            .contains(&absolute(&root.join("templates/bao-cao-thang.toml"))),
        "the templates file is named: {}",
        found.stdout
    );

    // BAOCAO_CONFIG beats the working directory.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let from_env = config_copy(elsewhere.path(), "Sở Biến Môi Trường");
    let env_path = from_env.to_str().expect("utf-8");
    let found = run_in(root, &check, &[("BAOCAO_CONFIG", env_path)]);
    assert!(
        found.stdout.contains(&format!(
            "Cấu hình: {} (theo biến môi trường BAOCAO_CONFIG)",
            absolute(&from_env)
        )),
        "{}",
        found.stdout
    );

    // --config beats the environment; the JSON names it too.
    let explicit = tempfile::tempdir().expect("temp dir");
    let from_flag = config_copy(explicit.path(), "Sở Dòng Lệnh");
    let mut args = check.to_vec();
    args.extend(["--config", from_flag.to_str().expect("utf-8"), "--json"]);
    let found = run_in(root, &args, &[("BAOCAO_CONFIG", env_path)]);
    let json: serde_json::Value = serde_json::from_str(&found.stdout).expect("json");
    assert_eq!(json["schema_version"], 2);
    assert_eq!(json["config"]["file"], absolute(&from_flag));
    assert_eq!(json["config"]["origin"], "command_line");
    assert_eq!(
        json["config"]["templates"],
        absolute(&explicit.path().join("templates/bao-cao-thang.toml"))
    );
}

/// `2026-12-03T07:00:01.204+07:00 WARN  …`: the time, then the level.
fn assert_timestamped(line: &str) {
    let mut parts = line.split_whitespace();
    let time = parts.next().unwrap_or_default();
    assert!(
        chrono::DateTime::parse_from_rfc3339(time).is_ok(),
        "no time at the start of «{line}»"
    );
    let level = parts.next().unwrap_or_default();
    assert!(
        ["ERROR", "WARN", "INFO", "DEBUG"].contains(&level),
        "no level in «{line}»"
    );
}

#[test]
fn run_log_and_standard_error_lines_carry_time_and_level() {
    let mut samples = november_samples();
    set_figure(sample_of(&mut samples, "GDTrH"), "VB_DEN", -5);
    let workspace = Workspace::with(&samples);
    let result = workspace.run("run");
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    let log = std::fs::read_to_string(workspace.output().join("2025-11/nhat-ky-chay.txt"))
        .expect("run log");
    assert!(log.lines().count() > 5, "{log}");
    for line in log.lines() {
        assert_timestamped(line);
    }
    assert!(
        log.lines()
            .any(|l| l.contains(" ERROR ") && l.contains("Số liệu")),
        "the rejected figure is in the log at error level: {log}"
    );
    assert!(
        log.contains(&format!(
            "cấu hình: {}",
            absolute(&repo().join("config/baocao.toml"))
        )),
        "{log}"
    );
    // Standard error is a pipe here, as under cron: every line has a time and a level.
    assert!(!result.stderr.trim().is_empty(), "the run logs its start");
    for line in result.stderr.lines() {
        assert_timestamped(line);
    }
}

/// A stand-in for LibreOffice that answers `--version` and hangs on every conversion.
fn hanging_soffice(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let stub = dir.join("soffice");
    std::fs::write(
        &stub,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'LibreOffice stub'; exit 0; fi\nexec sleep 600\n",
    )
    .expect("stub");
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    stub
}

#[test]
fn a_hanging_libreoffice_is_stopped_at_the_limit_and_the_lock_is_released() {
    let workspace = Workspace::with(&november_samples());
    let root = workspace.dir.path();
    let stub = hanging_soffice(root);
    let config = config_copy(root, "Sở GDĐT");
    let text = std::fs::read_to_string(&config).expect("config");
    assert!(
        text.contains("timeout_seconds = 120"),
        "the shipped section"
    );
    std::fs::write(
        &config,
        text.replace(
            "timeout_seconds = 120",
            &format!("timeout_seconds = 2\ncommand = \"{}\"", stub.display()),
        ),
    )
    .expect("config");
    let output = workspace.output();
    let input = workspace.input();
    let input = input.to_str().expect("utf-8");
    let args = [
        "run",
        "--pdf",
        "--period",
        "2025-11",
        "--input",
        input,
        "--output",
        output.to_str().expect("utf-8"),
    ];
    // A watchdog, not a timing: a run that waited for the stub would sit for 600 s.
    let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(args)
        .current_dir(root)
        .env_remove("BAOCAO_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let watchdog = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > watchdog {
            let _ = child.kill();
            panic!("the run waited for a hanging LibreOffice");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let result = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("không trả lời sau 2 giây") && stdout.contains("libreoffice-qua-thoi-gian"),
        "{stdout}"
    );
    assert!(
        stderr.contains("WARN") && stderr.contains("không trả lời sau 2 giây"),
        "{stderr}"
    );
    assert!(workspace.docx().is_file(), "the documents are written");
    let pdfs = std::fs::read_dir(output.join("2025-11"))
        .expect("period folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        })
        .count();
    assert_eq!(pdfs, 0, "no PDF from a hung conversion");
    // The lock went with the run: the next run is not refused with 3.
    let again = run_in(
        root,
        &[
            "run",
            "--period",
            "2025-11",
            "--input",
            input,
            "--output",
            output.to_str().expect("utf-8"),
        ],
        &[],
    );
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
}

#[test]
fn completions_and_the_man_page_come_from_the_command_line_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bash = run_in(dir.path(), &["completions", "bash"], &[]);
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    assert!(
        bash.stdout.contains("complete") && bash.stdout.contains("--period"),
        "{}",
        bash.stdout
    );
    for shell in ["zsh", "fish"] {
        let out = run_in(dir.path(), &["completions", shell], &[]);
        assert_eq!(out.code, 0);
        assert!(out.stdout.contains("period"), "{shell}: {}", out.stdout);
    }
    assert_eq!(run_in(dir.path(), &["completions", "tcsh"], &[]).code, 64);
    let man = run_in(dir.path(), &["man"], &[]);
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.starts_with(".TH BAOCAO 1 "),
        "{}",
        &man.stdout[..man.stdout.len().min(200)]
    );
}

#[test]
fn the_spreadsheet_librarys_warnings_reach_the_log() {
    use rust_xlsxwriter::{Chart, ChartType, Workbook};
    let workspace = Workspace::with(&november_samples());
    // A workbook with a chart sheet: calamine warns (through the `log` crate) that it is not a
    // worksheet when asked for its cells.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Ghi chú").expect("name");
    sheet.write(0, 0, 1).expect("write");
    sheet.write(1, 0, 2).expect("write");
    let mut chart = Chart::new(ChartType::Column);
    chart.add_series().set_values("'Ghi chú'!$A$1:$A$2");
    book.add_chartsheet()
        .set_name("Biểu đồ")
        .expect("name")
        .insert_chart(0, 0, &chart)
        .expect("chart");
    book.save(workspace.input().join("bieu-do.xlsx"))
        .expect("save");
    let result = workspace.run("run");
    assert!(
        result.stderr.lines().any(|l| l.contains(" WARN ")
            && l.contains("baocao (calamine): ")
            && l.contains("worksheet")),
        "{}",
        result.stderr
    );
    let log = std::fs::read_to_string(workspace.output().join("2025-11/nhat-ky-chay.txt"))
        .expect("run log");
    assert!(log.contains("baocao (calamine): "), "{log}");
}
