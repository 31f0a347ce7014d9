//! What a run leaves behind on a server it shares with people and other services (issue 23):
//! every file it writes has one mode (0644 under umask 022); no child process sees the SMTP
//! password; a file name or a cell cannot write a forged line into the logs or a phiếu; a
//! workbook that claims another unit's code reaches nobody's phiếu; a period in the future,
//! a run from cron without a configuration, and a run as another user than the output
//! folder's owner are refused before anything is done.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/form_d.rs"]
mod form_d;
#[path = "support/pipeline.rs"]
mod pipeline;
#[path = "support/smtp.rs"]
mod smtp;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use form_d::{write_form_d, SchoolSample};
use pipeline::*;
use smtp::{free_port, server_available, SmtpServer};

const PASSWORD: &str = "mat-khau-khong-duoc-lo-9f3a";

/// The repository's configuration with absolute paths, the given unit addresses, `[delivery]`
/// and LibreOffice settings, written into the workspace.
fn write_config(
    workspace: &Workspace,
    emails: &[(&str, &str)],
    delivery: Option<String>,
    libreoffice: Option<&Path>,
) -> PathBuf {
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
    if let Some(stub) = libreoffice {
        assert!(
            text.contains("timeout_seconds = 120"),
            "the shipped section"
        );
        text = text.replace(
            "timeout_seconds = 120",
            &format!("timeout_seconds = 60\ncommand = \"{}\"", stub.display()),
        );
    }
    if let Some(delivery) = delivery {
        text.push_str("\n[delivery]\n");
        text.push_str(&delivery);
    }
    let path = workspace.dir.path().join("baocao.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

fn local_delivery(port: u16, copy_to: &Path) -> String {
    format!(
        "smtp_host = \"127.0.0.1\"\nsmtp_port = {port}\nsecurity = \"none\"\nfrom = \"Sở GDĐT Hải Phòng <baocao@example.vn>\"\nleaders = [\"giamdoc@example.vn\"]\ncopy_to = \"{}\"\n",
        copy_to.display()
    )
}

fn output_of(command: &mut Command) -> RunResult {
    let output = command.output().expect("baocao runs");
    RunResult {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `baocao ARGS --input … --output … --config …` for the workspace, not yet started.
fn baocao(workspace: &Workspace, config: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_baocao"));
    command
        .args(args)
        .arg("--input")
        .arg(workspace.input())
        .arg("--output")
        .arg(workspace.output())
        .arg("--config")
        .arg(config)
        .env_remove("BAOCAO_SMTP_PASSWORD")
        .env_remove("BAOCAO_LOG")
        .env_remove("JOURNAL_STREAM")
        .stdin(Stdio::null());
    command
}

/// A stand-in for LibreOffice that writes each environment it was started with into `dumps`
/// and a small PDF where LibreOffice would put it (`--outdir DIR FILE` → `DIR/FILE.pdf`).
fn env_dumping_soffice(dir: &Path, dumps: &Path) -> PathBuf {
    std::fs::create_dir_all(dumps).expect("mkdir");
    let stub = dir.join("soffice-stub");
    std::fs::write(
        &stub,
        format!(
            r#"#!/bin/sh
env > "{dumps}/env-$$.txt"
if [ "$1" = --version ]; then echo 'LibreOffice 0 stub'; exit 0; fi
for last; do :; done
outdir=""
previous=""
for argument; do
  if [ "$previous" = --outdir ]; then outdir="$argument"; fi
  previous="$argument"
done
name=$(basename "$last")
printf '%%PDF-1.4\n%% stub\n' > "$outdir/${{name%.*}}.pdf"
"#,
            dumps = dumps.display()
        ),
    )
    .expect("stub");
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    stub
}

/// Every file and folder under `root`, with its permission bits.
fn modes_under(root: &Path) -> Vec<(PathBuf, bool, u32)> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("list") {
            let entry = entry.expect("entry");
            let meta = std::fs::symlink_metadata(entry.path()).expect("metadata");
            let mode = meta.permissions().mode() & 0o7777;
            if meta.is_dir() {
                stack.push(entry.path());
            }
            found.push((entry.path(), meta.is_dir(), mode));
        }
    }
    found.sort();
    found
}

/// Items 1 and 2: under umask 022 every file a run writes (documents, PDFs, feedback, the
/// manifest and the run log rewritten after delivery, the history, the ledger, the lock,
/// the `copy_to` copies) is 0644 and every folder 0755; LibreOffice (here a stub named by
/// `[libreoffice] command`) runs without `BAOCAO_SMTP_PASSWORD` in its environment.
#[test]
fn every_output_is_0644_and_no_child_sees_the_password() {
    let with_mail = server_available();
    let workspace = Workspace::with(&november_samples());
    let root = workspace.dir.path();
    let dumps = root.join("env-dumps");
    let stub = env_dumping_soffice(root, &dumps);
    let share = root.join("chia-se");
    let server = with_mail.then(|| SmtpServer::start(free_port(), None));
    let config = write_config(
        &workspace,
        &[("GDTrH", "gdtrh@example.vn")],
        server.as_ref().map(|s| local_delivery(s.port, &share)),
        Some(&stub),
    );
    // The run is started by a shell that sets umask 022 first, as a login shell or systemd
    // (UMask=0022, its default) would.
    let inner = baocao(
        &workspace,
        &config,
        &["run", "--pdf", "--period", "2025-11"],
    );
    let program = inner.get_program().to_owned();
    let args: Vec<_> = inner.get_args().map(|a| a.to_owned()).collect();
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("umask 022; exec \"$0\" \"$@\"")
        .arg(program)
        .args(args)
        .env_remove("BAOCAO_LOG")
        .env_remove("JOURNAL_STREAM")
        .env("BAOCAO_SMTP_PASSWORD", PASSWORD)
        .env("BAOCAO_KIEM_TRA_MOI_TRUONG", "co")
        .stdin(Stdio::null());
    let result = output_of(&mut command);
    assert!(
        [0, 2].contains(&result.code),
        "{}\n{}",
        result.stdout,
        result.stderr
    );

    let output = workspace.output();
    let entries = modes_under(&output);
    let names: Vec<String> = entries
        .iter()
        .map(|(p, ..)| {
            p.strip_prefix(&output)
                .expect("inside")
                .display()
                .to_string()
        })
        .collect();
    let mut expected = vec![
        ".baocao.lock",
        "2025-11/manifest.json",
        "2025-11/nhat-ky-chay.txt",
        "2025-11/bao-cao-thang-2025-11.docx",
        "2025-11/bao-cao-thang-2025-11.pdf",
        "2025-11/so-lieu-thang-2025-11.xlsx",
        "2025-11/phan-hoi/GDTrH.txt",
        "lich-su/2025-11.parquet",
    ];
    if with_mail {
        expected.push(".gui-thu/2025-11.json");
    }
    for name in &expected {
        assert!(names.iter().any(|n| n == name), "{name} missing: {names:?}");
    }
    let mut checked = entries;
    if with_mail {
        let copies = modes_under(&share);
        assert!(
            copies
                .iter()
                .any(|(p, ..)| p.ends_with("2025-11/bao-cao-thang-2025-11.docx")),
            "{copies:?}"
        );
        checked.extend(copies);
    }
    for (path, is_dir, mode) in &checked {
        let wanted = if *is_dir { 0o755 } else { 0o644 };
        assert_eq!(
            *mode,
            wanted,
            "{} is {mode:o}, not {wanted:o}",
            path.display()
        );
    }

    // The run log, delivery section included, keeps one format: time, level, text.
    let run_log =
        std::fs::read_to_string(output.join("2025-11/nhat-ky-chay.txt")).expect("run log");
    assert!(!with_mail || run_log.contains("Gửi thư"), "{run_log}");
    for line in run_log.lines() {
        let time = line.split_whitespace().next().unwrap_or_default();
        assert!(
            chrono::DateTime::parse_from_rfc3339(time).is_ok(),
            "a run-log line without its time: «{line}»"
        );
    }

    // The stub ran (the --version probe and each conversion) and saw the run's environment
    // (the marker), never the password.
    let dumped: Vec<String> = std::fs::read_dir(&dumps)
        .expect("dumps")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .collect();
    assert!(dumped.len() >= 2, "probe and conversions: {}", dumped.len());
    for environment in &dumped {
        assert!(
            environment.contains("BAOCAO_KIEM_TRA_MOI_TRUONG=co"),
            "{environment}"
        );
        assert!(
            !environment.contains("BAOCAO_SMTP_PASSWORD") && !environment.contains(PASSWORD),
            "{environment}"
        );
    }
}

/// Item 3: a file named with a line break and a cell holding CR/LF stay on one line each, in
/// the journal, the run log, the messages file and the phiếu phản hồi.
#[test]
fn a_newline_in_a_file_name_or_a_cell_forges_no_line() {
    let mut samples = november_samples();
    let forged_name = "GDTrH\n2026-12-04T07:00:00.000+07:00 INFO  baocao: đã gửi thư.xlsx";
    let forged_cell = "không rõ\r\n<3>baocao: GIẢ MẠO\nDONG-GIA-MAO";
    {
        let gdtrh = sample_of(&mut samples, "GDTrH");
        gdtrh.file = forged_name.to_string();
        set_info(gdtrh, "Ngày lập", forged_cell);
    }
    let workspace = Workspace::with(&samples);
    assert!(workspace.input().join(forged_name).is_file());
    let config = write_config(&workspace, &[], None, None);
    // Standard error is a file that JOURNAL_STREAM names, as systemd sets it up: journal style.
    let stderr_path = workspace.dir.path().join("journal.txt");
    let stderr = std::fs::File::create(&stderr_path).expect("stderr file");
    let meta = stderr.metadata().expect("metadata");
    let mut command = baocao(&workspace, &config, &["run", "--period", "2025-11"]);
    command
        .env("JOURNAL_STREAM", format!("{}:{}", meta.dev(), meta.ino()))
        .env("BAOCAO_LOG", "debug")
        .stderr(stderr);
    let result = output_of(&mut command);
    assert_eq!(result.code, 0, "a warning only: {}", result.stdout);

    let escaped_name = "GDTrH\\n2026-12-04T07:00:00.000+07:00 INFO  baocao: đã gửi thư.xlsx";
    let escaped_cell = "không rõ\\r\\n<3>baocao: GIẢ MẠO\\nDONG-GIA-MAO";
    let forged = |line: &str| {
        line.starts_with("2026-12-04T07:00:00.000+07:00 INFO  baocao: đã gửi")
            || line.starts_with("<3>baocao: GIẢ")
            || line.starts_with("DONG-GIA-MAO")
            || line.contains('\r')
    };

    let journal = std::fs::read_to_string(&stderr_path).expect("journal");
    assert!(journal.contains(escaped_name), "{journal}");
    assert!(journal.contains(escaped_cell), "{journal}");
    for line in journal.lines() {
        assert!(
            line.starts_with('<') && line[1..].starts_with(|c: char| c.is_ascii_digit()),
            "a journal line without its priority: «{line}»"
        );
        assert!(!forged(line), "forged: «{line}»");
    }

    let period = workspace.output().join("2025-11");
    let run_log = std::fs::read_to_string(period.join("nhat-ky-chay.txt")).expect("run log");
    assert!(run_log.contains(escaped_name), "{run_log}");
    assert!(run_log.contains(escaped_cell), "{run_log}");
    for line in run_log.lines() {
        let time = line.split_whitespace().next().unwrap_or_default();
        assert!(
            chrono::DateTime::parse_from_rfc3339(time).is_ok(),
            "a run-log line without its time: «{line}»"
        );
        assert!(!forged(line), "forged: «{line}»");
    }

    let messages = workspace.messages();
    let feedback = std::fs::read_to_string(period.join("phan-hoi/GDTrH.txt")).expect("phiếu");
    for (what, text) in [
        ("kiem-tra", &messages),
        ("phiếu", &feedback),
        ("stdout", &result.stdout),
    ] {
        assert!(text.contains(escaped_name), "{what}: {text}");
        assert!(text.contains(escaped_cell), "{what}: {text}");
        for line in text.lines() {
            assert!(!forged(line), "{what}, forged: «{line}»");
        }
    }
}

/// Item 4: `KHTC.xlsx` claiming to be GDTrH's report (code and name), with a later `Ngày
/// lập` and a figure of its own, is held as a code conflict: GDTrH's report, figures and
/// phiếu (file and e-mail) are its real ones, and no unit's phiếu lists the held file.
#[test]
fn a_workbook_claiming_another_units_code_is_held_not_mailed_to_it() {
    let mut samples = november_samples();
    samples.retain(|s| !s.info.iter().any(|(k, v)| k == "Mã đơn vị" && v == "KHTC"));
    let mut rogue = sample_of(&mut samples, "GDTrH").clone();
    rogue.file = "KHTC.xlsx".into();
    set_info(&mut rogue, "Ngày lập", "06/12/2025");
    set_figure(&mut rogue, "VB_DEN", 987_654);
    samples.push(rogue);
    let workspace = Workspace::with(&samples);
    let server = server_available().then(|| SmtpServer::start(free_port(), None));
    let config = write_config(
        &workspace,
        &[("GDTrH", "gdtrh@example.vn"), ("KHTC", "khtc@example.vn")],
        server
            .as_ref()
            .map(|s| local_delivery(s.port, &workspace.dir.path().join("chia-se"))),
        None,
    );
    let result = output_of(&mut baocao(
        &workspace,
        &config,
        &["run", "--period", "2025-11"],
    ));
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("KHTC.xlsx") && result.stdout.contains("xung-dot-ma"),
        "the administrator is told: {}",
        result.stdout
    );
    let messages = workspace.messages();
    let conflict = messages
        .lines()
        .find(|l| l.contains("(xung-dot-ma)"))
        .unwrap_or_else(|| panic!("{messages}"));
    assert!(
        conflict.starts_with("[Lỗi] KHTC.xlsx › Thông tin")
            && conflict.contains("GDTrH")
            && conflict.contains("KHTC"),
        "{conflict}"
    );

    let period = workspace.output().join("2025-11");
    let gdtrh = std::fs::read_to_string(period.join("phan-hoi/GDTrH.txt")).expect("phiếu");
    assert!(gdtrh.contains("GDTrH.xlsx"), "its own file: {gdtrh}");
    assert!(!gdtrh.contains("KHTC.xlsx"), "not the held one: {gdtrh}");
    for entry in std::fs::read_dir(period.join("phan-hoi")).expect("phiếu folder") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(!text.contains("KHTC.xlsx"), "{}: {text}", path.display());
    }
    // The figures are GDTrH's own, not the claimant's.
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(period.join("manifest.json")).expect("manifest"),
    )
    .expect("json");
    let held = manifest["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .find(|i| i["path"] == "KHTC.xlsx")
        .expect("listed");
    assert!(held["unit"].is_null(), "attributed to nobody: {held}");
    let xlsx = period.join("so-lieu-thang-2025-11.xlsx");
    let sheets: Vec<String> = (1..)
        .map_while(|i| zip_part(&xlsx, &format!("xl/worksheets/sheet{i}.xml")))
        .collect();
    assert!(!sheets.is_empty());
    assert!(
        sheets.iter().all(|s| !s.contains("987654")),
        "the claimant's figure is not used"
    );

    if let Some(server) = server {
        let received = server.received();
        assert!(!received.is_empty(), "the run mailed");
        let to_gdtrh: Vec<_> = received
            .iter()
            .filter(|m| m.rcpt_tos.iter().any(|r| r == "gdtrh@example.vn"))
            .collect();
        assert_eq!(to_gdtrh.len(), 1, "its phiếu");
        assert!(
            to_gdtrh[0].body.contains("GDTrH.xlsx"),
            "{}",
            to_gdtrh[0].body
        );
        for message in &received {
            assert!(
                !message.body.contains("KHTC.xlsx")
                    || message.rcpt_tos.iter().any(|r| r == "giamdoc@example.vn"),
                "only leadership may hear of the held file: {:?}",
                message.rcpt_tos
            );
        }
    }
}

/// Item 4 for schools: a Form D named `A-MN-2.xlsx` whose `Mã trường` is `A-MN-1`.
#[test]
fn a_school_workbook_claiming_another_schools_code_is_held() {
    let workspace = Workspace::with(&november_samples());
    let real = SchoolSample::new(
        "A-MN-1",
        "Trường A-MN-1",
        "Mầm non",
        "Công lập",
        "Phường An Biên",
    );
    let other = SchoolSample::new(
        "A-MN-2",
        "Trường A-MN-2",
        "Mầm non",
        "Công lập",
        "Phường An Biên",
    );
    let mut claimant = real.clone();
    claimant.prepared_on = "03/12/2025".into();
    let truong = workspace.input().join("truong");
    write_form_d(&real, &truong.join("A-MN-1.xlsx")).expect("write");
    write_form_d(&claimant, &truong.join("A-MN-2.xlsx")).expect("write");
    // A third: the code of A-MN-1 under the name of A-MN-2, in a file named neutrally.
    let mut by_name = real.clone();
    by_name.name = other.name.clone();
    write_form_d(&by_name, &truong.join("nop-lai.xlsx")).expect("write");
    let dir = workspace.dir.path();
    std::fs::write(
        dir.join("truong.csv"),
        "Mã trường,Tên trường,Cấp học,Loại hình,Xã/phường,Email\n\
         A-MN-1,Trường A-MN-1,Mầm non,Công lập,Phường An Biên,a1@example.vn\n\
         A-MN-2,Trường A-MN-2,Mầm non,Công lập,Phường An Biên,a2@example.vn\n",
    )
    .expect("registry");
    let repo = repo();
    let config = std::fs::read_to_string(repo.join("config/baocao.toml"))
        .expect("config")
        .replace(
            "\"../templates/",
            &format!("\"{}/templates/", repo.display()),
        )
        .replace(
            "targets = \"chi-tieu.toml\"",
            &format!("targets = \"{}/config/chi-tieu.toml\"", repo.display()),
        );
    let config_path = dir.join("baocao.toml");
    std::fs::write(&config_path, config).expect("config");
    let result = output_of(&mut baocao(
        &workspace,
        &config_path,
        &["run", "--period", "2025-11"],
    ));
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    let messages = workspace.messages();
    for file in ["truong/A-MN-2.xlsx", "truong/nop-lai.xlsx"] {
        assert!(
            messages
                .lines()
                .any(|l| l.starts_with(&format!("[Lỗi] {file} › Thông tin"))
                    && l.contains("(xung-dot-ma)")),
            "{file}: {messages}"
        );
    }
    let phieu = workspace.output().join("2025-11/phan-hoi");
    let a1 = std::fs::read_to_string(phieu.join("truong-A-MN-1.txt")).expect("A-MN-1");
    assert!(a1.contains("truong/A-MN-1.xlsx"), "{a1}");
    for held in ["A-MN-2.xlsx", "nop-lai.xlsx"] {
        assert!(!a1.contains(held), "{a1}");
    }
    let a2 = std::fs::read_to_string(phieu.join("truong-A-MN-2.txt")).expect("A-MN-2");
    assert!(
        !a2.contains("A-MN-2.xlsx") && !a2.contains("nop-lai"),
        "{a2}"
    );
}

/// Item 5: a period after the current month is a typo until said otherwise.
#[test]
fn a_future_period_is_refused_without_its_flag() {
    let workspace = Workspace::with(&november_samples());
    let config = write_config(&workspace, &[], None, None);
    for command in ["run", "check"] {
        let result = output_of(&mut baocao(
            &workspace,
            &config,
            &[command, "--period", "2030-01"],
        ));
        assert_eq!(
            result.code, 64,
            "{command}: {}\n{}",
            result.stdout, result.stderr
        );
        assert!(
            result
                .stderr
                .contains("kỳ báo cáo tháng 1/2030 ở sau tháng hiện tại")
                && result.stderr.contains("--cho-phep-ky-tuong-lai"),
            "{}",
            result.stderr
        );
        assert!(!workspace.output().exists(), "nothing written");
    }
    for flag in ["--cho-phep-ky-tuong-lai", "--allow-future"] {
        let result = output_of(&mut baocao(
            &workspace,
            &config,
            &["check", "--period", "2030-01", flag],
        ));
        assert_ne!(result.code, 64, "{flag}: {}", result.stderr);
        assert!(result.stdout.contains("tháng 1/2030"), "{}", result.stdout);
    }
}

/// Item 6: with no configuration anywhere, a run nobody watches stops with the reason; a
/// person at a terminal still gets the built-in sample, with its warning.
#[test]
fn without_configuration_an_unattended_run_stops_and_a_terminal_one_warns() {
    if Path::new(baocao::config::locate::SYSTEM_CONFIG).exists() {
        eprintln!("skipped: /etc/baocao/baocao.toml exists on this machine");
        return;
    }
    let workspace = Workspace::with(&november_samples());
    let root = workspace.dir.path();
    let input = workspace.input().display().to_string();
    let args = ["check", "--period", "2025-11", "--input", input.as_str()];
    let result = output_of(
        Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args(args)
            .current_dir(root)
            .env_remove("BAOCAO_CONFIG")
            .env_remove("JOURNAL_STREAM")
            .stdin(Stdio::null()),
    );
    assert_eq!(result.code, 1, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stderr.contains("không tìm thấy tệp cấu hình")
            && result.stderr.contains("cron hay systemd")
            && result.stderr.contains("--config"),
        "{}",
        result.stderr
    );
    assert!(result.stdout.is_empty(), "no summary: {}", result.stdout);

    // The same command on a terminal (a pseudo-terminal made by script(1)).
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: script(1) is not installed, the terminal case is not checked");
        return;
    }
    let line = std::iter::once(env!("CARGO_BIN_EXE_baocao"))
        .chain(args)
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let result = output_of(
        Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .current_dir(root)
            .env_remove("BAOCAO_CONFIG")
            .env_remove("JOURNAL_STREAM")
            .stdin(Stdio::null()),
    );
    assert!([0, 2].contains(&result.code), "{}", result.stdout);
    assert!(
        result.stdout.contains("cấu hình mẫu cài sẵn"),
        "the sample, named: {}",
        result.stdout
    );
}

/// Item 7: a run as root in a folder that belongs to another user stops before touching it
/// and names the command to use; so does `forms`.
#[test]
fn a_run_as_another_user_than_the_folders_owner_is_refused() {
    // SAFETY: geteuid(2) has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: only root can give a folder to another user (CI runs as root)");
        return;
    }
    let workspace = Workspace::with(&november_samples());
    let config = write_config(&workspace, &[], None, None);
    let output = workspace.output();
    std::fs::create_dir_all(&output).expect("mkdir");
    let uid = 65534;
    std::os::unix::fs::chown(&output, Some(uid), Some(uid)).expect("chown");
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let owner = passwd
        .lines()
        .find(|l| l.split(':').nth(2) == Some("65534"))
        .and_then(|l| l.split(':').next())
        .map_or_else(|| "'#65534'".to_string(), str::to_string);

    let result = output_of(&mut baocao(
        &workspace,
        &config,
        &["run", "--period", "2025-11"],
    ));
    assert_eq!(result.code, 1, "{}\n{}", result.stdout, result.stderr);
    let wanted = format!("sudo -u {owner} {}", env!("CARGO_BIN_EXE_baocao"));
    assert!(
        result.stderr.contains(&wanted) && result.stderr.contains("--period 2025-11"),
        "names the command «{wanted} …»: {}",
        result.stderr
    );
    assert!(result.stderr.contains("root"), "{}", result.stderr);
    let left: Vec<_> = std::fs::read_dir(&output).expect("list").collect();
    assert!(left.is_empty(), "nothing written: {left:?}");

    let forms = output.join("bieu-mau");
    std::fs::create_dir_all(&forms).expect("mkdir");
    std::os::unix::fs::chown(&forms, Some(uid), Some(uid)).expect("chown");
    let result = output_of(
        Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args(["forms", "--period", "2025-12", "--output"])
            .arg(&forms)
            .arg("--config")
            .arg(&config)
            .stdin(Stdio::null()),
    );
    assert_ne!(result.code, 0, "{}", result.stdout);
    assert!(result.stderr.contains("sudo -u"), "{}", result.stderr);
    assert_eq!(std::fs::read_dir(&forms).expect("list").count(), 0);

    // Given back to root, the same run goes through and leaves root's files.
    std::os::unix::fs::chown(&output, Some(0), Some(0)).expect("chown");
    let result = output_of(&mut baocao(
        &workspace,
        &config,
        &["run", "--period", "2025-11"],
    ));
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    for (path, ..) in modes_under(&output) {
        if path.starts_with(&forms) {
            continue;
        }
        let meta = std::fs::metadata(&path).expect("metadata");
        assert_eq!(meta.uid(), 0, "{}", path.display());
    }
}
