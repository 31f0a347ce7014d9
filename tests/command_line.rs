//! Issue 20: the command line speaks Vietnamese everywhere a user looks — `--help` of every
//! command, `man baocao` (built from the same definitions: every command and option of
//! `--help` is on the page, with exit statuses, files, environment and examples) — and a
//! reader that closes the pipe early (`| head`) ends the program quietly, without a panic.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, Stdio};

use pipeline::*;

fn baocao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
}

/// The subcommands listed under `Lệnh:` in `baocao --help`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| line.trim() != "Lệnh:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Every `--option` and `-x` a help text names in its option list.
fn options(help: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in help
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
    {
        // The option's names come before the two spaces that open its description.
        let names = line.split("  ").next().unwrap_or_default();
        for word in names.split([' ', ',']) {
            if word.starts_with('-') && word.len() > 1 && !found.contains(&word.to_string()) {
                found.push(word.to_string());
            }
        }
    }
    found
}

/// The help of `baocao ARGS… --help`, checked to be a success.
fn help_of(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.push("--help");
    let run = run_baocao(&all);
    assert_eq!(run.code, 0, "{all:?}: {}", run.stderr);
    run.stdout
}

/// The man page's roff turned back into the characters a reader sees.
fn unescape(roff: &str) -> String {
    roff.replace("\\-", "-")
        .replace("\\e", "\\")
        .replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
        .replace("\\&", "")
}

/// The man page split by subcommand (`.SS name` … up to the next heading).
fn man_sections(page: &str) -> BTreeMap<String, String> {
    let mut sections = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in page.lines() {
        if line.starts_with(".SS ") || line.starts_with(".SH ") {
            if let Some((name, body)) = current.take() {
                sections.insert(name, body);
            }
            if let Some(name) = line.strip_prefix(".SS ") {
                current = Some((unescape(name).trim().to_string(), String::new()));
            }
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    if let Some((name, body)) = current {
        sections.insert(name, body);
    }
    sections
}

#[test]
fn help_is_vietnamese_for_every_command() {
    let top = help_of(&[]);
    let commands = subcommands(&top);
    for expected in [
        "run",
        "check",
        "forms",
        "plan",
        "history",
        "completions",
        "man",
    ] {
        assert!(
            commands.iter().any(|c| c == expected),
            "{expected} in {commands:?}"
        );
    }
    assert!(top.contains("Cách dùng: baocao"), "{top}");
    assert!(top.contains("Tổng hợp báo cáo tháng"), "{top}");
    let mut helps = vec![("baocao".to_string(), top.clone())];
    for command in &commands {
        helps.push((command.clone(), help_of(&[command.as_str()])));
    }
    for (command, help) in &helps {
        for english in [
            "Usage",
            "Options:",
            "Commands:",
            "Arguments:",
            "Print help",
            "Print version",
            "[default",
            "possible values",
            "[OPTIONS]",
            "<COMMAND>",
            "Batch pipeline",
        ] {
            assert!(
                !help.contains(english),
                "{command} --help says «{english}»:\n{help}"
            );
        }
        assert!(help.contains("Tùy chọn:"), "{command}: {help}");
        assert!(help.contains("In hướng dẫn này"), "{command}: {help}");
    }
    let run = help_of(&["run"]);
    assert!(run.contains("(mặc định: input)"), "{run}");
    assert!(run.contains("--period <YYYY-MM>"), "{run}");
    let completions = help_of(&["completions"]);
    assert!(
        completions.contains("giá trị: bash, elvish, fish, powershell, zsh"),
        "{completions}"
    );
    // The version flag works and says the version.
    let version = run_baocao(&["--version"]);
    assert_eq!(version.code, 0);
    assert_eq!(
        version.stdout.trim(),
        format!("baocao {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_man_page_holds_every_command_and_option_of_help() {
    let man = run_baocao(&["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    let page = man.stdout;
    assert!(page.starts_with(".TH BAOCAO 1 "), "{page}");
    for section in baocao::app::man_page::SECTIONS {
        assert!(
            page.contains(&format!(".SH \"{section}\"")),
            "section {section} missing"
        );
    }
    // Vietnamese, and no pointer to a page that does not exist (baocao-run(1) and the like).
    assert!(!page.contains("(1)"), "points to another page");
    for english in [
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "[default",
        "Possible values",
    ] {
        assert!(!page.contains(english), "«{english}» on the page");
    }
    let readable = unescape(&page);
    assert!(
        readable.contains("baocao - Tổng hợp báo cáo tháng"),
        "{readable}"
    );
    let sections = man_sections(&page);
    let top = help_of(&[]);
    for command in subcommands(&top) {
        let body = sections
            .get(&command)
            .unwrap_or_else(|| panic!("no section for {command}: {:?}", sections.keys()));
        let body = unescape(body);
        for option in options(&help_of(&[command.as_str()])) {
            assert!(
                body.contains(&option),
                "{command}: {option} of --help not on the man page:\n{body}"
            );
        }
    }
    for option in options(&top) {
        assert!(readable.contains(&option), "{option}");
    }
    // Exit statuses, files and environment that the program really uses.
    for status in ["0", "1", "2", "3", "4", "64"] {
        assert!(
            page.contains(&format!(".TP\n\\fB{status}\\fR\n")),
            "exit status {status}"
        );
    }
    for needle in [
        "/etc/baocao/baocao.toml",
        "output/lich-su/YYYY-MM.parquet",
        "BAOCAO_CONFIG",
        "BAOCAO_LOG",
        "BAOCAO_SMTP_PASSWORD",
        "baocao run --period 2025-11",
        "/usr/share/doc/baocao/setup.md",
    ] {
        assert!(readable.contains(needle), "{needle}");
    }
}

/// groff reads the page without a warning (bad requests, unknown escapes, bad UTF-8).
#[test]
fn the_man_page_renders_cleanly() {
    if Command::new("groff").arg("--version").output().is_err() {
        eprintln!("groff is not installed: the rendering check is skipped");
        return;
    }
    let page = run_baocao(&["man"]).stdout;
    let mut groff = Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("groff runs");
    use std::io::Write;
    groff
        .stdin
        .take()
        .expect("stdin")
        .write_all(page.as_bytes())
        .expect("write");
    let output = groff.wait_with_output().expect("groff ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.trim().is_empty(), "groff warns: {stderr}");
    let text = String::from_utf8_lossy(&output.stdout);
    // Overstrike bold (X\bX) aside, the reader sees the options as typed.
    let plain: String = {
        let mut out = String::new();
        for c in text.chars() {
            if c == '\u{8}' {
                out.pop();
            } else {
                out.push(c);
            }
        }
        out
    };
    assert!(plain.contains("--period"), "{plain}");
    assert!(plain.contains("MÃ THOÁT"), "{plain}");
}

/// A reader that is gone before the first byte: every write fails with a broken pipe.
fn run_into_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let output = baocao()
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("baocao runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        &["completions", "bash"][..],
        &["completions", "zsh"][..],
        &["man"][..],
        &["--help"][..],
    ] {
        let (code, stderr) = run_into_closed_pipe(args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
    // `check` prints its summary after the work: its status is the run's, not a panic's.
    let workspace = Workspace::with(&november_samples());
    let config = repo().join("config/baocao.toml");
    let (input, output) = (workspace.input(), workspace.output());
    let args = [
        "check",
        "--period",
        "2025-11",
        "--input",
        input.to_str().expect("utf-8"),
        "--output",
        output.to_str().expect("utf-8"),
        "--config",
        config.to_str().expect("utf-8"),
    ];
    let open = run_baocao(&args);
    assert!(open.stdout.lines().count() > 3, "{}", open.stdout);
    let (code, stderr) = run_into_closed_pipe(&args);
    assert_eq!(code, Some(open.code), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

/// The way a user meets it: `| head -1` in a shell, reading the first line and leaving.
#[test]
fn piping_into_head_prints_the_first_line_without_a_panic() {
    let binary = env!("CARGO_BIN_EXE_baocao");
    for command in ["completions bash", "man", "completions fish"] {
        let mut shell = Command::new("sh")
            .arg("-c")
            .arg(format!("\"{binary}\" {command} | head -1"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sh runs");
        let mut stdout = String::new();
        shell
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut stdout)
            .expect("read");
        let output = shell.wait_with_output().expect("sh ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stdout.lines().count(), 1, "{command}: {stdout}");
        assert!(stderr.is_empty(), "{command}: {stderr}");
    }
}
