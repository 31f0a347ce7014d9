//! The last mile: after a run, leadership receives the report and each unit its own
//! feedback, by e-mail through a real SMTP server (aiosmtpd) started by the test on
//! 127.0.0.1; each message once; a failed delivery keeps the documents, exits 4, and is
//! completed by the next run; the password never shows.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pipeline.rs"]
mod pipeline;
#[path = "support/smtp.rs"]
mod smtp;

use std::path::Path;

use mail::*;
use pipeline::*;
use sha2::{Digest, Sha256};
use smtp::{free_port, server_available, SmtpServer};

fn sha256_of(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The whole path: --no-send and --dry-run send nothing, a run sends the report and the
/// feedback, a re-run sends nothing, --resend sends again.
#[test]
fn leaders_get_the_report_and_units_their_feedback_once() {
    if !server_available() {
        return;
    }
    let mut samples = without_unit("VP");
    set_figure(sample_of(&mut samples, "GDTrH"), "TTHC_DA_GQ", 9);
    let workspace = Workspace::with(&samples);
    let server = SmtpServer::start(free_port(), None);
    let config = write_config(
        &workspace,
        &[
            ("GDTrH", "gdtrh@example.vn"),
            ("VP", "vp@example.vn"),
            ("GDMN-GDTH", "gdmn@example.vn"),
        ],
        &local_delivery(server.port),
    );

    let quiet = run(&workspace, &config, &["run", "--no-send"], None);
    assert_eq!(quiet.code, 2, "{}\n{}", quiet.stdout, quiet.stderr);
    assert!(server.received().is_empty(), "--no-send sends nothing");
    for code in [
        "GDMN-GDTH",
        "GDTrH",
        "GDTX-GDNN-DH",
        "TCCB",
        "KHTC",
        "QLCL",
        "VP",
    ] {
        let path = workspace
            .output()
            .join(format!("2025-11/phan-hoi/{code}.txt"));
        assert!(path.exists(), "feedback file for every unit: {code}");
    }

    let dry = run(&workspace, &config, &["run", "--dry-run"], None);
    assert!(
        dry.stdout
            .contains("Sẽ gửi thư «bao-cao» tới giamdoc@example.vn, vanphong@example.vn"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains("«phan-hoi/VP» tới vp@example.vn"),
        "{}",
        dry.stdout
    );
    assert!(server.received().is_empty(), "a dry run sends nothing");

    let first = run(&workspace, &config, &["run"], None);
    assert_eq!(first.code, 2, "{}\n{}", first.stdout, first.stderr);
    let received = server.received();
    assert_eq!(
        received.len(),
        5,
        "the report to each of 2 leaders + 3 units with an address: {received:#?}"
    );

    // The report, to each leader in a message of their own (one refused address must not
    // hold the others), with the documents of the run.
    let report = to(&received, LEADERS[0]);
    assert_eq!(report.len(), 1);
    let report = &report[0];
    assert_eq!(report.rcpt_tos, [LEADERS[0]]);
    let other = to(&received, LEADERS[1]);
    assert_eq!(other.len(), 1);
    assert_eq!(other[0].rcpt_tos, [LEADERS[1]]);
    assert_eq!(other[0].subject, SUBJECT);
    assert_ne!(
        other[0].message_id, report.message_id,
        "each recipient's message has its own Message-ID"
    );
    assert_eq!(report.mail_from, "baocao@example.vn");
    assert_eq!(report.subject, SUBJECT);
    assert!(
        report.raw_subject.to_lowercase().contains("=?utf-8?"),
        "RFC 2047 on the wire: {}",
        report.raw_subject
    );
    assert_eq!(report.mime_version, "1.0");
    assert_eq!(report.content_type, "multipart/mixed");
    assert!(report.defects.is_empty(), "{:?}", report.defects);
    assert!(report.body.contains("Tỷ lệ báo cáo"), "{}", report.body);
    assert!(
        report.body.contains("Đơn vị chưa nộp: Văn phòng"),
        "{}",
        report.body
    );
    let names: Vec<&str> = report
        .attachments
        .iter()
        .map(|a| a.filename.as_str())
        .collect();
    assert!(names.contains(&"bao-cao-thang-2025-11.docx"), "{names:?}");
    assert!(names.contains(&"so-lieu-thang-2025-11.xlsx"), "{names:?}");
    for attachment in &report.attachments {
        let file = workspace
            .output()
            .join("2025-11")
            .join(&attachment.filename);
        assert_eq!(
            attachment.sha256,
            sha256_of(&file),
            "{}",
            attachment.filename
        );
    }

    // Each unit its own feedback; the unit with a bad figure is told the file and the cell.
    let gdtrh = to(&received, "gdtrh@example.vn");
    assert_eq!(gdtrh.len(), 1);
    assert!(
        gdtrh[0].subject.contains("Phòng Giáo dục trung học"),
        "{}",
        gdtrh[0].subject
    );
    assert!(
        gdtrh[0].body.contains("GDTrH.xlsx › Số liệu › C7"),
        "{}",
        gdtrh[0].body
    );
    assert!(gdtrh[0].body.contains("Cần làm:"), "{}", gdtrh[0].body);
    assert!(!gdtrh[0].body.contains("KHTC.xlsx"), "only its own files");
    assert_eq!(
        gdtrh[0].attachments[0].sha256,
        sha256_of(&workspace.output().join("2025-11/phan-hoi/GDTrH.txt")),
        "the attached feedback is the file written"
    );
    let vp = to(&received, "vp@example.vn");
    assert_eq!(vp.len(), 1);
    assert!(
        vp[0].body.contains("Chưa nhận được tệp nào"),
        "{}",
        vp[0].body
    );
    assert!(
        received
            .iter()
            .all(|m| m.rcpt_tos.iter().all(|r| !r.contains("khtc"))),
        "a unit without an address gets only the file"
    );

    // Recorded in the manifest and the log.
    let manifest = manifest(&workspace);
    let sent = manifest["delivery"]["sent"].as_array().expect("sent");
    assert_eq!(sent.len(), 5, "one entry per recipient");
    let report_entry = sent
        .iter()
        .find(|e| e["recipient"] == LEADERS[0])
        .expect("leader entry");
    assert_eq!(report_entry["message_id"], report.message_id.as_str());
    let log =
        std::fs::read_to_string(workspace.output().join("2025-11/nhat-ky-chay.txt")).expect("log");
    assert!(
        log.contains("Đã gửi thư «bao-cao» tới giamdoc@example.vn"),
        "{log}"
    );

    // Same inputs: nothing sent twice.
    let again = run(&workspace, &config, &["run"], None);
    assert_eq!(again.code, 2, "{}", again.stdout);
    assert_eq!(server.received().len(), 5, "a re-run sends nothing");
    assert!(
        again.stdout.contains("Không gửi lại 5 thư"),
        "{}",
        again.stdout
    );

    // --resend forces.
    let resent = run(&workspace, &config, &["run", "--resend"], None);
    assert_eq!(resent.code, 2, "{}", resent.stdout);
    let all = server.received();
    assert_eq!(all.len(), 10);
    // The same content to the same person is the same message to the reader's client.
    let first_ids: Vec<&str> = all[..5].iter().map(|m| m.message_id.as_str()).collect();
    for again in &all[5..] {
        assert!(
            first_ids.contains(&again.message_id.as_str()),
            "{}",
            again.message_id
        );
    }
}

#[test]
fn a_server_down_gives_exit_4_and_the_next_run_delivers_once() {
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
    assert_eq!(down.code, 4, "{}\n{}", down.stdout, down.stderr);
    assert!(
        down.stdout
            .contains(&format!("không kết nối được máy chủ thư 127.0.0.1:{port}")),
        "{}",
        down.stdout
    );
    assert!(workspace.docx().exists(), "documents written all the same");
    let recorded = manifest(&workspace);
    assert_eq!(recorded["exit_status"], 4);
    assert_eq!(
        recorded["delivery"]["pending"].as_array().map(Vec::len),
        Some(2),
        "report and one feedback pending"
    );

    let server = SmtpServer::start(port, None);
    let back = run(&workspace, &config, &["run"], None);
    assert_eq!(back.code, 0, "{}\n{}", back.stdout, back.stderr);
    let received = server.received();
    assert_eq!(received.len(), 3, "{received:#?}");
    assert_eq!(to(&received, LEADERS[1]).len(), 1);
    assert_eq!(to(&received, "khtc@example.vn").len(), 1);
    assert_eq!(manifest(&workspace)["exit_status"], 0);

    let third = run(&workspace, &config, &["run"], None);
    assert_eq!(third.code, 0);
    assert_eq!(server.received().len(), 3, "delivered once");
}

#[test]
fn a_wrong_password_is_named_exits_4_and_never_shows() {
    if !server_available() {
        return;
    }
    const SECRET: &str = "sai-mật-khẩu-987";
    let workspace = Workspace::with(&november_samples());
    let server = SmtpServer::start(free_port(), Some(("baocao", "đúng-mật-khẩu-123")));
    let delivery = format!(
        "{}username = \"baocao\"\nsmtp_password_file = \"mat-khau.txt\"\n",
        local_delivery(server.port)
    );
    let config = write_config(&workspace, &[], &delivery);

    let wrong = run(&workspace, &config, &["run"], Some(SECRET));
    assert_eq!(wrong.code, 4, "{}\n{}", wrong.stdout, wrong.stderr);
    assert!(
        wrong.stdout.contains("từ chối đăng nhập của baocao"),
        "{}",
        wrong.stdout
    );
    assert!(server.received().is_empty());
    let json = run(&workspace, &config, &["run", "--json"], Some(SECRET));
    assert_eq!(json.code, 4);
    let summary: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(summary["exit_status"], 4);
    assert!(summary["delivery"]["failures"][0]
        .as_str()
        .is_some_and(|f| f.contains("từ chối đăng nhập")));
    let period = workspace.output().join("2025-11");
    let mut places = vec![
        wrong.stdout,
        wrong.stderr,
        json.stdout,
        json.stderr,
        std::fs::read_to_string(period.join("manifest.json")).expect("manifest"),
        std::fs::read_to_string(period.join("nhat-ky-chay.txt")).expect("log"),
    ];
    for entry in std::fs::read_dir(workspace.output().join(".gui-thu"))
        .into_iter()
        .flatten()
    {
        places.push(std::fs::read_to_string(entry.expect("entry").path()).expect("ledger"));
    }
    for text in &places {
        assert!(!text.contains(SECRET), "the password leaked: {text}");
    }

    // A password file others can read is refused; once it is 0600, the report goes out.
    let file = workspace.dir.path().join("config/mat-khau.txt");
    std::fs::write(&file, "đúng-mật-khẩu-123\n").expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let open = run(&workspace, &config, &["run"], None);
        assert_eq!(open.code, 4, "{}", open.stdout);
        assert!(open.stdout.contains("chmod 600"), "{}", open.stdout);
        assert!(!open.stdout.contains("đúng-mật-khẩu"), "{}", open.stdout);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let right = run(&workspace, &config, &["run"], None);
    assert_eq!(right.code, 0, "{}\n{}", right.stdout, right.stderr);
    let received = server.received();
    assert_eq!(received.len(), 2, "one message per leader");
    assert_eq!(received[0].login.as_deref(), Some("baocao"));
    assert_eq!(received[0].subject, SUBJECT);
}

#[test]
fn check_notify_reminds_a_unit_that_has_not_submitted() {
    if !server_available() {
        return;
    }
    let workspace = Workspace::with(&without_unit("VP"));
    let server = SmtpServer::start(free_port(), None);
    let config = write_config(
        &workspace,
        &[("VP", "vp@example.vn")],
        &local_delivery(server.port),
    );
    let plain = run(&workspace, &config, &["check"], None);
    assert!(
        server.received().is_empty(),
        "check alone sends nothing: {}",
        plain.stdout
    );

    let notified = run(&workspace, &config, &["check", "--notify"], None);
    assert_eq!(notified.code, 2, "{}\n{}", notified.stdout, notified.stderr);
    let received = server.received();
    assert_eq!(
        received.len(),
        1,
        "only the unit, not the leaders: {received:#?}"
    );
    assert_eq!(received[0].rcpt_tos, ["vp@example.vn"]);
    assert!(
        received[0].subject.contains("Văn phòng"),
        "{}",
        received[0].subject
    );
    assert!(
        received[0].body.contains("Chưa nhận được tệp nào"),
        "{}",
        received[0].body
    );
    assert!(
        received[0].body.contains("trước hết ngày 03/12/2025"),
        "the deadline: {}",
        received[0].body
    );
    assert!(
        !workspace.output().join("2025-11").exists(),
        "check writes no documents"
    );

    let again = run(&workspace, &config, &["check", "--notify"], None);
    assert_eq!(again.code, 2);
    assert_eq!(
        server.received().len(),
        1,
        "the same reminder is not sent twice"
    );
}

/// No server needed: refused before any connection.
#[test]
fn clear_text_to_another_host_is_refused_and_the_documents_are_kept() {
    let workspace = Workspace::with(&november_samples());
    let config = write_config(
        &workspace,
        &[],
        "smtp_host = \"smtp.example.vn\"\nsecurity = \"none\"\nfrom = \"baocao@example.vn\"\nleaders = [\"giamdoc@example.vn\"]\n",
    );
    let result = run(&workspace, &config, &["run"], None);
    assert_eq!(result.code, 4, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result
            .stdout
            .contains("security = \"none\" (không mã hoá) chỉ được dùng"),
        "{}",
        result.stdout
    );
    assert!(workspace.docx().exists());
}

/// Without `[delivery]` (the bundled configuration) every unit still gets its feedback file.
#[test]
fn without_delivery_every_unit_gets_its_feedback_file() {
    let mut samples = november_samples();
    set_figure(sample_of(&mut samples, "GDTrH"), "TTHC_DA_GQ", 9);
    let workspace = Workspace::with(&samples);
    let result = workspace.run("run");
    assert_eq!(result.code, 2, "{}", result.stdout);
    assert!(
        !result.stdout.contains("gửi thư"),
        "nothing about e-mail: {}",
        result.stdout
    );
    let folder = workspace.output().join("2025-11/phan-hoi");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("phan-hoi")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for code in [
        "GDMN-GDTH",
        "GDTrH",
        "GDTX-GDNN-DH",
        "TCCB",
        "KHTC",
        "QLCL",
        "VP",
    ] {
        assert!(names.contains(&format!("{code}.txt")), "{code}: {names:?}");
    }
    let text = std::fs::read_to_string(folder.join("GDTrH.txt")).expect("feedback");
    assert!(
        text.contains("PHIẾU PHẢN HỒI BÁO CÁO THÁNG 11/2025"),
        "{text}"
    );
    assert!(
        text.contains("Đơn vị: Phòng Giáo dục trung học (GDTrH)"),
        "{text}"
    );
    assert!(text.contains("GDTrH.xlsx › Số liệu › C7"), "{text}");
    let ok = std::fs::read_to_string(folder.join("KHTC.txt")).expect("feedback");
    assert!(ok.contains("KHTC.xlsx"), "{ok}");
    assert!(!ok.contains("GDTrH.xlsx"), "{ok}");
}

/// The wording is the administrator's: `gui-thu.toml` in the folder of the report's wording
/// templates (`report.templates`) replaces the built-in one, without a rebuild.
#[test]
fn the_feedback_wording_comes_from_the_templates_beside_the_configuration() {
    let workspace = Workspace::with(&without_unit("VP"));
    let config = write_config(&workspace, &[], "");
    let templates = workspace.dir.path().join("templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    std::fs::copy(
        repo().join("templates/bao-cao-thang.toml"),
        templates.join("bao-cao-thang.toml"),
    )
    .expect("copy the report's wording");
    std::fs::copy(
        repo().join("templates/mau-van-ban.docx"),
        templates.join("mau-van-ban.docx"),
    )
    .expect("copy the reference document the report's wording sits beside");
    let shipped_report = repo()
        .join("templates/bao-cao-thang.toml")
        .display()
        .to_string();
    let text = std::fs::read_to_string(&config).expect("config");
    assert!(text.contains(&shipped_report));
    let local = templates.join("bao-cao-thang.toml").display().to_string();
    std::fs::write(&config, text.replace(&shipped_report, &local)).expect("config");
    let shipped = std::fs::read_to_string(repo().join("templates/gui-thu.toml")).expect("shipped");
    let reworded = shipped.replace("PHIẾU PHẢN HỒI BÁO CÁO", "PHIẾU GÓP Ý VỀ BÁO CÁO");
    assert_ne!(shipped, reworded);
    std::fs::write(templates.join("gui-thu.toml"), reworded).expect("write");
    let result = run(&workspace, &config, &["run"], None);
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    let text = std::fs::read_to_string(workspace.output().join("2025-11/phan-hoi/VP.txt"))
        .expect("feedback");
    assert!(
        text.contains("PHIẾU GÓP Ý VỀ BÁO CÁO THÁNG 11/2025"),
        "{text}"
    );

    // A template naming a variable that does not exist stops the run with the key named.
    std::fs::write(
        templates.join("gui-thu.toml"),
        shipped.replace("{{ ten }} ({{ ma }})", "{{ ten_don_vi }} ({{ ma }})"),
    )
    .expect("write");
    let broken = run(&workspace, &config, &["run"], None);
    assert_eq!(broken.code, 1, "{}", broken.stdout);
    assert!(
        broken.stderr.contains("phan_hoi.noi_dung"),
        "{}",
        broken.stderr
    );
}
