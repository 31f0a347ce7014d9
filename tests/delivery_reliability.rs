//! Mail a department can rely on, against servers that behave as real ones do, each started
//! by the test on 127.0.0.1: a server that drips its reply a byte at a time or never speaks
//! ends the run by `[delivery] timeout_seconds` with exit 4; a refused address loses only its
//! own message; a ledger that cannot be written stops the sending before anything could be
//! sent twice; a message sent again after a crash keeps its Message-ID; pending mail goes out
//! with `baocao send`; a wrong `[delivery]` is found by `check` and `--dry-run`; a test message
//! reports what the server answered; TLS trusts the system's store and `ca_file`, always
//! verified (a CA made by the test with the openssl command).

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pipeline.rs"]
mod pipeline;
#[path = "support/smtp.rs"]
mod smtp;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use mail::*;
use pipeline::*;
use smtp::{free_port, server_available, SlowServer, SmtpServer};

/// `[delivery]` to a server on this machine, with a deadline of `seconds`.
fn with_deadline(port: u16, seconds: u64) -> String {
    format!("{}timeout_seconds = {seconds}\n", local_delivery(port))
}

#[test]
fn a_dripping_server_is_cut_off_at_the_deadline_and_the_lock_is_released() {
    if !server_available() {
        return;
    }
    let workspace = Workspace::with(&november_samples());
    // One byte a second: every read of the client gets something within its 30 s limit.
    let server = SlowServer::start(free_port(), "drip", 1.0);
    let config = write_config(&workspace, &[], &with_deadline(server.port, 4));
    let result = run_within(&workspace, &config, &["run"], Duration::from_secs(90));
    assert_eq!(result.code, 4, "{}\n{}", result.stdout, result.stderr);
    let server_name = format!("127.0.0.1:{}", server.port);
    assert!(
        result.stdout.contains("gửi thư chưa xong sau 4 giây")
            && result.stdout.contains(&server_name)
            && result
                .stdout
                .contains("đang chờ xác nhận đã nhận nội dung thư"),
        "names the server and what it was waiting for: {}",
        result.stdout
    );
    assert!(workspace.docx().exists(), "documents written all the same");
    assert_eq!(manifest(&workspace)["exit_status"], 4);
    // The lock went with the process: the next run is not told another one is running.
    let next = run(&workspace, &config, &["run", "--no-send"], None);
    assert_eq!(next.code, 0, "{}\n{}", next.stdout, next.stderr);
}

#[test]
fn a_silent_server_is_cut_off_at_the_deadline() {
    if !server_available() {
        return;
    }
    let workspace = Workspace::with(&without_unit("VP"));
    let server = SlowServer::start(free_port(), "silent", 1.0);
    let config = write_config(
        &workspace,
        &[("VP", "vp@example.vn")],
        &with_deadline(server.port, 3),
    );
    // The reminders too: every command that sends reports the failure with exit 4.
    let result = run_within(
        &workspace,
        &config,
        &["check", "--notify"],
        Duration::from_secs(90),
    );
    assert_eq!(result.code, 4, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("gửi thư chưa xong sau 3 giây")
            && result
                .stdout
                .contains("đang chờ kết nối, lời chào của máy chủ"),
        "{}",
        result.stdout
    );
}

#[test]
fn a_refused_address_loses_only_its_own_message_and_is_named() {
    if !server_available() {
        return;
    }
    let workspace = Workspace::with(&november_samples());
    let port = free_port();
    let server = SmtpServer::start_with(port, &["--refuse".to_string(), LEADERS[0].to_string()]);
    let config = write_config(
        &workspace,
        &[("KHTC", "khtc@example.vn"), ("VP", "vp@example.vn")],
        &local_delivery(port),
    );
    let result = run(&workspace, &config, &["run"], None);
    assert_eq!(result.code, 4, "{}\n{}", result.stdout, result.stderr);
    let received = server.received();
    assert_eq!(
        received.len(),
        3,
        "the other leader and both units: {received:#?}"
    );
    assert_eq!(to(&received, LEADERS[1]).len(), 1);
    assert_eq!(to(&received, "khtc@example.vn").len(), 1);
    assert_eq!(to(&received, "vp@example.vn").len(), 1);
    assert!(
        result.stdout.contains(&format!("thư gửi {}", LEADERS[0]))
            && result.stdout.contains("mã 550")
            && result
                .stdout
                .contains("Recipient address rejected: User unknown"),
        "the address and the server's reply: {}",
        result.stdout
    );
    let pending = &manifest(&workspace)["delivery"]["pending"];
    assert_eq!(pending[0]["recipients"], serde_json::json!([LEADERS[0]]));

    // The next run tries only the refused address again.
    let again = run(&workspace, &config, &["run"], None);
    assert_eq!(again.code, 4);
    assert_eq!(server.received().len(), 3, "nothing sent twice");
}

#[test]
fn an_unwritable_ledger_stops_the_sending_before_anything_goes() {
    if !server_available() {
        return;
    }
    let workspace = Workspace::with(&november_samples());
    let server = SmtpServer::start(free_port(), None);
    let config = write_config(
        &workspace,
        &[("KHTC", "khtc@example.vn")],
        &local_delivery(server.port),
    );
    // The ledger's folder is a link to nowhere: nothing can be written there, not even by
    // root (the tests may run as root, for whom permissions are no obstacle).
    std::fs::create_dir_all(workspace.output()).expect("mkdir");
    let ledger_dir = workspace.output().join(".gui-thu");
    #[cfg(unix)]
    std::os::unix::fs::symlink(workspace.dir.path().join("khong-co/thu-muc"), &ledger_dir)
        .expect("symlink");
    let blocked = run(&workspace, &config, &["run"], None);
    assert_eq!(blocked.code, 4, "{}\n{}", blocked.stdout, blocked.stderr);
    assert!(
        blocked.stdout.contains("không ghi được sổ gửi thư"),
        "{}",
        blocked.stdout
    );
    assert!(server.received().is_empty(), "nothing sent");

    std::fs::remove_file(&ledger_dir).expect("unlink");
    let fixed = run(&workspace, &config, &["run"], None);
    assert_eq!(fixed.code, 0, "{}\n{}", fixed.stdout, fixed.stderr);
    let again = run(&workspace, &config, &["run"], None);
    assert_eq!(again.code, 0);
    assert_eq!(
        server.received().len(),
        3,
        "each message once: {:#?}",
        server.received()
    );
}

#[test]
fn a_message_sent_again_after_a_crash_keeps_its_message_id() {
    if !server_available() {
        return;
    }
    let workspace = Workspace::with(&november_samples());
    let server = SmtpServer::start(free_port(), None);
    let config = write_config(
        &workspace,
        &[("KHTC", "khtc@example.vn")],
        &local_delivery(server.port),
    );
    assert_eq!(run(&workspace, &config, &["run"], None).code, 0);
    let first = server.received();
    assert_eq!(first.len(), 3);
    // A process killed after the server accepted and before the ledger was written: the
    // ledger does not know, so the next run sends again, as the same messages.
    std::fs::remove_file(workspace.output().join(".gui-thu/2025-11.json")).expect("rm ledger");
    assert_eq!(run(&workspace, &config, &["run"], None).code, 0);
    let all = server.received();
    assert_eq!(all.len(), 6, "at least once: sent again");
    let mut before: Vec<(String, String)> = first
        .iter()
        .map(|m| (m.rcpt_tos[0].clone(), m.message_id.clone()))
        .collect();
    let mut after: Vec<(String, String)> = all[3..]
        .iter()
        .map(|m| (m.rcpt_tos[0].clone(), m.message_id.clone()))
        .collect();
    before.sort();
    after.sort();
    assert_eq!(before, after, "same recipient, same Message-ID");
    assert!(
        before[0].1.ends_with(".2025-11@example.vn>"),
        "{}",
        before[0].1
    );
}

#[test]
fn pending_mail_is_sent_by_the_send_command_once_the_server_is_back() {
    if !server_available() {
        return;
    }
    let workspace = Workspace::with(&november_samples());
    let port = free_port();
    let config = write_config(
        &workspace,
        &[("KHTC", "khtc@example.vn")],
        &local_delivery(port),
    );
    let down = run(&workspace, &config, &["run"], None);
    assert_eq!(down.code, 4, "{}", down.stdout);
    assert!(workspace
        .output()
        .join(".gui-thu/2025-11.thu-di.json")
        .exists());

    let output = workspace.output().display().to_string();
    let config_text = config.display().to_string();
    let send = |extra: &[&str]| {
        let mut args = vec!["send", "--output", &output, "--config", &config_text];
        args.extend_from_slice(extra);
        baocao_with(&args, &[])
    };
    let still_down = send(&["--period", "2025-11"]);
    assert_eq!(
        still_down.code, 4,
        "{}\n{}",
        still_down.stdout, still_down.stderr
    );
    assert!(
        still_down
            .stdout
            .contains(&format!("không kết nối được máy chủ thư 127.0.0.1:{port}")),
        "{}",
        still_down.stdout
    );

    let server = SmtpServer::start(port, None);
    let sent = send(&["--period", "2025-11"]);
    assert_eq!(sent.code, 0, "{}\n{}", sent.stdout, sent.stderr);
    let received = server.received();
    assert_eq!(received.len(), 3, "{received:#?}");
    let report = to(&received, LEADERS[0]);
    let attached: Vec<&str> = report[0]
        .attachments
        .iter()
        .map(|a| a.filename.as_str())
        .collect();
    assert!(
        attached.contains(&"bao-cao-thang-2025-11.docx"),
        "{attached:?}"
    );
    assert!(
        sent.stdout
            .contains("Đã gửi thư «bao-cao» tới giamdoc@example.vn"),
        "{}",
        sent.stdout
    );

    let log = std::fs::read_to_string(workspace.output().join("2025-11/nhat-ky-chay.txt"))
        .expect("run log");
    assert!(
        log.contains(" INFO  baocao: Gửi thư (baocao send)")
            && log.contains("Đã gửi thư «bao-cao» tới giamdoc@example.vn"),
        "the run log tells how the mail finally went: {log}"
    );

    let nothing_left = send(&["--period", "2025-11"]);
    assert_eq!(nothing_left.code, 0);
    assert_eq!(server.received().len(), 3, "sent once");
    // A run with the same inputs has nothing left to send either.
    assert_eq!(run(&workspace, &config, &["run"], None).code, 0);
    assert_eq!(server.received().len(), 3);
}

#[test]
fn check_and_dry_run_find_a_wrong_delivery_section_by_its_key() {
    let workspace = Workspace::with(&november_samples());
    let cases = [
        (
            "smtp_host = \"smtp.example.vn\"\nsecurity = \"none\"\nfrom = \"baocao@example.vn\"\n",
            "delivery.security",
        ),
        (
            "smtp_host = \"smtp.example.vn\"\nfrom = \"baocao@example.vn\"\nleaders = [\"giamdoc@example.vn\", \"vanphong@\"]\n",
            "delivery.leaders[1]",
        ),
        (
            "smtp_host = \"smtp.example.vn\"\nfrom = \"baocao@example.vn\"\nca_file = \"khong-co.pem\"\n",
            "delivery.ca_file",
        ),
        (
            "smtp_host = \"smtp.example.vn\"\nfrom = \"baocao@example.vn\"\nusername = \"baocao\"\nsmtp_password_file = \"khong-co.txt\"\n",
            "delivery.smtp_password_file",
        ),
        (
            "smtp_host = \"smtp.example.vn\"\nfrom = \"baocao@example.vn\"\ntimeout_seconds = 0\n",
            "delivery.timeout_seconds",
        ),
    ];
    for (delivery, key) in cases {
        let config = write_config(&workspace, &[], delivery);
        for command in [&["check"][..], &["run", "--dry-run"][..]] {
            let result = run(&workspace, &config, command, None);
            assert_eq!(
                result.code, 1,
                "{command:?} {key}: {}\n{}",
                result.stdout, result.stderr
            );
            assert!(
                result.stderr.contains(&format!("khóa «{key}»")),
                "{command:?}: {}",
                result.stderr
            );
        }
    }
    // A unit's address is checked too, and named with the unit.
    let config = write_config(
        &workspace,
        &[("KHTC", "khtc.example.vn")],
        "smtp_host = \"smtp.example.vn\"\nfrom = \"baocao@example.vn\"\n",
    );
    let result = run(&workspace, &config, &["check"], None);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.contains("email»") && result.stderr.contains("đơn vị KHTC"),
        "{}",
        result.stderr
    );
    assert!(
        !workspace.output().join("2025-11").exists(),
        "nothing written"
    );
    // A password given only to the service (systemd's EnvironmentFile) is not refused by a
    // check typed by hand: it is a warning naming the key.
    let config = write_config(
        &workspace,
        &[],
        "smtp_host = \"smtp.example.vn\"\nfrom = \"baocao@example.vn\"\nusername = \"baocao\"\n",
    );
    let result = run(&workspace, &config, &["check"], None);
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stderr.contains("khóa «delivery.username»") && result.stderr.contains("smtp.env"),
        "{}",
        result.stderr
    );
    // A good section passes.
    let config = write_config(
        &workspace,
        &[("KHTC", "khtc@example.vn")],
        "smtp_host = \"smtp.example.vn\"\nfrom = \"baocao@example.vn\"\n",
    );
    let result = run(&workspace, &config, &["check"], None);
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
}

#[test]
fn a_test_message_prints_what_the_server_answered() {
    if !server_available() {
        return;
    }
    let workspace = Workspace::with(&[]);
    let port = free_port();
    let server = SmtpServer::start_with(
        port,
        &["--refuse".to_string(), "sai@example.vn".to_string()],
    );
    let config = write_config(&workspace, &[], &local_delivery(port));
    let config_text = config.display().to_string();
    let ok = baocao_with(
        &["send-test", "thu@example.vn", "--config", &config_text],
        &[],
    );
    assert_eq!(ok.code, 0, "{}\n{}", ok.stdout, ok.stderr);
    assert!(
        ok.stdout.contains(&format!(
            "Máy chủ thư 127.0.0.1:{port} đã nhận thư thử gửi thu@example.vn; máy chủ trả lời: 250"
        )),
        "{}",
        ok.stdout
    );
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt_tos, ["thu@example.vn"]);
    assert_eq!(received[0].subject, "Thư thử từ baocao — Sở GDĐT Hải Phòng");
    assert!(
        received[0].body.contains("baocao send-test"),
        "{}",
        received[0].body
    );

    let refused = baocao_with(
        &["send-test", "sai@example.vn", "--config", &config_text],
        &[],
    );
    assert_eq!(refused.code, 4, "{}\n{}", refused.stdout, refused.stderr);
    assert!(
        refused.stdout.contains("mã 550") && refused.stdout.contains("User unknown"),
        "{}",
        refused.stdout
    );
    let bad = baocao_with(
        &["send-test", "không-phải-địa-chỉ", "--config", &config_text],
        &[],
    );
    assert_eq!(bad.code, 1, "{}\n{}", bad.stdout, bad.stderr);
    assert_eq!(server.received().len(), 1);
}

/// A certificate authority and a server certificate for 127.0.0.1 and localhost, made with
/// the openssl command.
struct TestCa {
    dir: tempfile::TempDir,
}

impl TestCa {
    fn make() -> Option<Self> {
        let dir = tempfile::tempdir().expect("temp dir");
        let openssl = |args: &[&str]| {
            Command::new("openssl")
                .args(args)
                .current_dir(dir.path())
                .output()
                .is_ok_and(|o| o.status.success())
        };
        std::fs::write(
            dir.path().join("server.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
        )
        .expect("write");
        let made = openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=CA thu nghiem baocao",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]) && openssl(&[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]) && openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        if !made {
            assert!(
                std::env::var_os("CI").is_none(),
                "the openssl command is needed to make the test CA"
            );
            eprintln!("\n*** SKIPPED: the TLS tests need the openssl command ***\n");
            return None;
        }
        Some(Self { dir })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn server_args(&self, implicit: bool) -> Vec<String> {
        let mut args = vec![
            "--cert".to_string(),
            self.path("server.pem").display().to_string(),
            "--key".to_string(),
            self.path("server.key").display().to_string(),
        ];
        if implicit {
            args.push("--implicit-tls".to_string());
        }
        args
    }
}

fn tls_delivery(port: u16, security: &str, ca_file: Option<&Path>) -> String {
    let mut text = format!(
        "smtp_host = \"127.0.0.1\"\nsmtp_port = {port}\nsecurity = \"{security}\"\nfrom = \"Sở GDĐT Hải Phòng <baocao@example.vn>\"\nleaders = [\"{}\"]\n",
        LEADERS[0]
    );
    if let Some(path) = ca_file {
        text.push_str(&format!("ca_file = \"{}\"\n", path.display()));
    }
    text
}

#[test]
fn tls_trusts_the_configured_ca_and_the_system_store_and_nothing_else() {
    if !server_available() {
        return;
    }
    let Some(ca) = TestCa::make() else {
        return;
    };
    let workspace = Workspace::with(&november_samples());
    let port = free_port();
    let server = SmtpServer::start_with(port, &ca.server_args(false));
    let config_text = |ca_file: Option<&Path>| {
        write_config(&workspace, &[], &tls_delivery(port, "starttls", ca_file))
            .display()
            .to_string()
    };
    let mut args = workspace_args(&workspace, Path::new("x"));
    args.truncate(6);
    let run_args = |config: &str, extra: &[&str]| {
        let mut all: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        all.extend(args.iter().cloned());
        all.push("--config".into());
        all.push(config.to_string());
        all
    };

    // A CA the system does not know: refused, nothing sent, the TLS failure named.
    let unknown = config_text(None);
    let args_unknown = run_args(&unknown, &["run"]);
    let refused = baocao_with(
        &args_unknown.iter().map(String::as_str).collect::<Vec<_>>(),
        &[],
    );
    assert_eq!(refused.code, 4, "{}\n{}", refused.stdout, refused.stderr);
    assert!(
        refused
            .stdout
            .contains("không thiết lập được kết nối mã hoá (TLS)"),
        "{}",
        refused.stdout
    );
    assert!(server.received().is_empty());

    // The same CA through the system store (SSL_CERT_FILE, as an administrator's
    // /etc/ssl/certs would hold it): accepted.
    let ca_pem = ca.path("ca.pem").display().to_string();
    let store = baocao_with(
        &args_unknown.iter().map(String::as_str).collect::<Vec<_>>(),
        &[("SSL_CERT_FILE", ca_pem.as_str())],
    );
    assert_eq!(store.code, 0, "{}\n{}", store.stdout, store.stderr);
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].tls, "the message came over STARTTLS");

    // Through `ca_file`, without the variable: accepted (checked with a test message, the
    // report having gone out already).
    let with_ca = config_text(Some(&ca.path("ca.pem")));
    let test = baocao_with(&["send-test", "thu@example.vn", "--config", &with_ca], &[]);
    assert_eq!(test.code, 0, "{}\n{}", test.stdout, test.stderr);
    assert_eq!(server.received().len(), 2);
    assert!(server.received()[1].tls);
}

#[test]
fn implicit_tls_is_verified_against_the_ca_file() {
    if !server_available() {
        return;
    }
    let Some(ca) = TestCa::make() else {
        return;
    };
    let workspace = Workspace::with(&[]);
    let port = free_port();
    let server = SmtpServer::start_with(port, &ca.server_args(true));
    let good = write_config(
        &workspace,
        &[],
        &tls_delivery(port, "tls", Some(&ca.path("ca.pem"))),
    )
    .display()
    .to_string();
    let ok = baocao_with(&["send-test", "thu@example.vn", "--config", &good], &[]);
    assert_eq!(ok.code, 0, "{}\n{}", ok.stdout, ok.stderr);
    assert!(server.received()[0].tls);
    let bad = write_config(&workspace, &[], &tls_delivery(port, "tls", None))
        .display()
        .to_string();
    let refused = baocao_with(&["send-test", "thu@example.vn", "--config", &bad], &[]);
    assert_eq!(refused.code, 4, "{}\n{}", refused.stdout, refused.stderr);
    assert!(refused.stdout.contains("TLS"), "{}", refused.stdout);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn check_notify_with_nothing_submitted_reminds_and_exits_2() {
    if !server_available() {
        return;
    }
    let workspace = Workspace::with(&[]);
    let server = SmtpServer::start(free_port(), None);
    let config = write_config(
        &workspace,
        &[("VP", "vp@example.vn")],
        &local_delivery(server.port),
    );
    let result = run(&workspace, &config, &["check", "--notify"], None);
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    assert_eq!(server.received().len(), 1);
    drop(server);
    // The server gone, the next reminder's failure is exit 4, not 1 or 2.
    let workspace = Workspace::with(&[]);
    let port = free_port();
    let config = write_config(
        &workspace,
        &[("VP", "vp@example.vn")],
        &local_delivery(port),
    );
    let down = run(&workspace, &config, &["check", "--notify"], None);
    assert_eq!(down.code, 4, "{}\n{}", down.stdout, down.stderr);
}

#[test]
fn an_invalid_leader_address_at_run_time_loses_only_its_own_message() {
    if !server_available() {
        return;
    }
    let workspace = Workspace::with(&november_samples());
    let server = SmtpServer::start(free_port(), None);
    let delivery = local_delivery(server.port).replace(LEADERS[1], "vanphong@");
    let config = write_config(&workspace, &[("KHTC", "khtc@example.vn")], &delivery);
    let result = run(&workspace, &config, &["run"], None);
    assert_eq!(result.code, 4, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("địa chỉ thư «vanphong@»"),
        "{}",
        result.stdout
    );
    let received = server.received();
    assert_eq!(received.len(), 2, "{received:#?}");
    assert_eq!(to(&received, LEADERS[0]).len(), 1);
    assert_eq!(to(&received, "khtc@example.vn").len(), 1);
}
