//! Runs that cron can be trusted with: one at a time per output folder (exit 3), a manifest
//! and a log beside the outputs, dry runs that write nothing, JSON for scripts.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/pipeline.rs"]
mod pipeline;

use baocao::deliver::lock::{try_lock, LockAttempt};
use pipeline::*;

#[test]
fn a_second_run_while_one_holds_the_output_exits_3_touching_nothing() {
    let workspace = Workspace::with(&november_samples());
    let held = match try_lock(&workspace.output()).expect("lock") {
        LockAttempt::Acquired(lock) => lock,
        LockAttempt::Busy { .. } => panic!("fresh folder"),
    };
    let result = workspace.run("run");
    assert_eq!(result.code, 3, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stderr.contains("một lần chạy khác"),
        "{}",
        result.stderr
    );
    assert!(
        !workspace.output().join("2025-11").exists(),
        "nothing written"
    );
    drop(held);
    assert_eq!(
        workspace.run("run").code,
        0,
        "the lock of a finished run does not block"
    );
}

#[test]
fn two_concurrent_runs_one_of_them_gets_exit_3_or_both_finish_in_turn() {
    let workspace = Workspace::with(&november_samples());
    let args: Vec<String> = ["run", "--period", "2025-11", "--input"]
        .iter()
        .map(|s| s.to_string())
        .chain([
            workspace.input().display().to_string(),
            "--output".into(),
            workspace.output().display().to_string(),
        ])
        .chain([
            "--config".into(),
            repo().join("config/baocao.toml").display().to_string(),
        ])
        .collect();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args(&args)
            .output()
            .expect("runs")
    };
    let (a, b) = std::thread::scope(|s| {
        let first = s.spawn(spawn);
        let second = s.spawn(spawn);
        (
            first.join().expect("thread"),
            second.join().expect("thread"),
        )
    });
    let mut codes = [a.status.code(), b.status.code()];
    codes.sort();
    // Either they overlapped (one is refused with 3) or one finished before the other began.
    assert!(
        codes == [Some(0), Some(3)] || codes == [Some(0), Some(0)],
        "{codes:?}"
    );
    let (body, _) = docx_texts(&workspace.docx());
    assert!(body.contains("3.675"), "a complete report is in place");
}

#[test]
fn the_manifest_records_inputs_outputs_and_stages() {
    let workspace = Workspace::with(&november_samples());
    std::fs::write(workspace.input().join("ghi chú.docx"), b"PK\x03\x04").expect("write");
    assert_eq!(workspace.run("run").code, 0);
    let folder = workspace.output().join("2025-11");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(folder.join("manifest.json")).expect("manifest"),
    )
    .expect("JSON");
    assert_eq!(manifest["period"], "2025-11");
    assert_eq!(manifest["exit_status"], 0);
    assert_eq!(manifest["config_sha256"].as_str().map(str::len), Some(64));
    let inputs = manifest["inputs"].as_array().expect("inputs");
    assert_eq!(inputs.len(), 9, "eight workbooks and the stray document");
    let gdtrh = inputs
        .iter()
        .find(|i| i["path"] == "GDTrH.xlsx")
        .expect("GDTrH listed");
    let bytes = std::fs::read(workspace.input().join("GDTrH.xlsx")).expect("input");
    assert_eq!(gdtrh["size"], bytes.len() as u64);
    assert_eq!(
        gdtrh["sha256"],
        baocao::deliver::manifest::sha256_hex(&bytes)
    );
    assert_eq!(gdtrh["unit"], "GDTrH");
    assert_eq!(gdtrh["status"], "Chấp nhận");
    assert_eq!(gdtrh["form"], "MonthlyReport");
    let outputs = manifest["outputs"].as_array().expect("outputs");
    for output in outputs {
        let name = output["path"].as_str().expect("path");
        let bytes = std::fs::read(folder.join(name)).expect("output exists");
        assert_eq!(
            output["sha256"],
            baocao::deliver::manifest::sha256_hex(&bytes),
            "{name}"
        );
    }
    for stage in [
        "ingest_validate",
        "aggregate",
        "render",
        "render.companion_xlsx",
        "render.report_docx",
        "render.feedback",
    ] {
        assert!(manifest["timings_ms"][stage].is_u64(), "{stage}");
    }
    let log = std::fs::read_to_string(folder.join("nhat-ky-chay.txt")).expect("run log");
    assert!(log.contains("tệp GDTrH.xlsx"), "{log}");
    // Stage times in the order the run goes, each stage before its parts, in Vietnamese.
    let at = |label: &str| {
        log.find(&format!("thời gian {label}:"))
            .unwrap_or_else(|| panic!("{label}: {log}"))
    };
    assert!(at("đọc và kiểm tra") < at("tổng hợp"), "{log}");
    assert!(at("tổng hợp") < at("tạo tài liệu"), "{log}");
    assert!(at("tạo tài liệu") < at("tạo tài liệu › báo cáo"), "{log}");
}

#[test]
fn a_dry_run_says_what_it_would_write_and_writes_nothing() {
    let workspace = Workspace::with(&november_samples());
    let result = run_baocao(&[
        "run",
        "--dry-run",
        "--period",
        "2025-11",
        "--input",
        workspace.input().to_str().expect("utf-8"),
        "--output",
        workspace.output().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(result.code, 0, "{}", result.stdout);
    assert!(
        result.stdout.contains("Chạy thử: sẽ ghi"),
        "{}",
        result.stdout
    );
    assert!(result.stdout.contains("bao-cao-thang-2025-11.docx"));
    assert!(!workspace.output().exists());
}

#[test]
fn json_summary_for_scripts() {
    let mut samples = november_samples();
    samples.retain(|s| !s.info.iter().any(|(k, v)| k == "Mã đơn vị" && v == "KHTC"));
    let workspace = Workspace::with(&samples);
    let result = run_baocao(&[
        "check",
        "--json",
        "--period",
        "2025-11",
        "--input",
        workspace.input().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(result.code, 2);
    let summary: serde_json::Value = serde_json::from_str(&result.stdout).expect("stdout is JSON");
    assert_eq!(summary["exit_status"], 2);
    assert_eq!(summary["missing_units"], serde_json::json!(["KHTC"]));
    assert_eq!(summary["accepted"], 7);
    assert!(summary["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .any(|m| m["code"] == "chua-nop"));
}

#[test]
fn quiet_prints_only_errors() {
    let workspace = Workspace::with(&november_samples());
    let result = run_baocao(&[
        "check",
        "--quiet",
        "--period",
        "2025-11",
        "--input",
        workspace.input().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(result.code, 0);
    assert_eq!(result.stdout, "", "the sample has warnings but no errors");
}

/// The bytes of the documents of a period folder, by name.
fn documents(folder: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    [
        "bao-cao-thang-2025-11.docx",
        "so-lieu-thang-2025-11.xlsx",
        "kiem-tra-2025-11.txt",
    ]
    .iter()
    .filter_map(|name| {
        std::fs::read(folder.join(name))
            .ok()
            .map(|b| (name.to_string(), b))
    })
    .collect()
}

#[test]
fn a_run_killed_at_any_moment_leaves_a_complete_set_and_the_next_run_recovers() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let mut samples = november_samples();
    // Many workbooks for another period make the run long enough to be killed mid-way.
    let template = sample_of(&mut samples, "GDTrH").clone();
    let workspace = Workspace::with(&samples);
    for n in 0..150 {
        let mut other = template.clone();
        other.file = format!("lưu trữ/tháng 10 - {n}.xlsx");
        set_info(&mut other, "Kỳ báo cáo", "10/2025");
        std::fs::create_dir_all(workspace.input().join("lưu trữ")).expect("mkdir");
        form_a::write_form_a(&other, &workspace.input().join(&other.file)).expect("write");
    }
    assert_eq!(workspace.run("run").code, 0);
    let folder = workspace.output().join("2025-11");
    let old = documents(&folder);

    // A new generation of outputs: VP revises its figure.
    let mut revised = sample_of(&mut samples, "VP").clone();
    set_figure(&mut revised, "VB_DEN", 1200);
    form_a::write_form_a(&revised, &workspace.input().join(&revised.file)).expect("rewrite");
    let reference = tempfile::tempdir().expect("temp dir");
    let status = run_baocao(&[
        "run",
        "--period",
        "2025-11",
        "--input",
        workspace.input().to_str().expect("utf-8"),
        "--output",
        reference.path().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(status.code, 0);
    let new = documents(&reference.path().join("2025-11"));
    assert_ne!(old, new, "the revision changes the documents");

    let started = Instant::now();
    let full = run_baocao(&[
        "check",
        "--period",
        "2025-11",
        "--input",
        workspace.input().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(full.code, 0);
    let duration = started.elapsed().max(Duration::from_millis(50));

    let mut saw_new = false;
    for step in 0..24u32 {
        let delay = duration * step / 16;
        let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args(["run", "--period", "2025-11", "--input"])
            .arg(workspace.input())
            .arg("--output")
            .arg(workspace.output())
            .arg("--config")
            .arg(repo().join("config/baocao.toml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let present = documents(&folder);
        assert!(
            present == old || present == new,
            "step {step}: a mixed or partial set is visible"
        );
        saw_new |= present == new;
        let manifest = std::fs::read_to_string(folder.join("manifest.json"))
            .expect("the manifest travels with its set");
        let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("complete JSON");
        let docx = &present["bao-cao-thang-2025-11.docx"];
        let listed = manifest["outputs"]
            .as_array()
            .expect("outputs")
            .iter()
            .find(|o| o["path"] == "bao-cao-thang-2025-11.docx")
            .expect("listed");
        assert_eq!(
            listed["sha256"],
            baocao::deliver::manifest::sha256_hex(docx),
            "step {step}: manifest and documents agree"
        );
        let visible: Vec<String> = std::fs::read_dir(workspace.output())
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| !n.starts_with('.') && n != "lich-su")
            .collect();
        assert_eq!(
            visible,
            ["2025-11"],
            "step {step}: nothing partial where people look"
        );
        let history: Vec<String> = std::fs::read_dir(workspace.output().join("lich-su"))
            .expect("history kept")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| !n.starts_with('.'))
            .collect();
        assert_eq!(
            history,
            ["2025-11.parquet"],
            "step {step}: the history holds complete files only"
        );
    }
    let last = workspace.run("run");
    assert_eq!(last.code, 0, "the next run succeeds: {}", last.stdout);
    assert_eq!(documents(&folder), new);
    let leftovers: Vec<String> = std::fs::read_dir(workspace.output())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != ".baocao.lock" && n != "2025-11" && n != "lich-su")
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders of killed runs are cleaned: {leftovers:?}"
    );
    let history_leftovers: Vec<String> = std::fs::read_dir(workspace.output().join("lich-su"))
        .expect("history")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        history_leftovers.is_empty(),
        "temporary history files are cleaned: {history_leftovers:?}"
    );
    eprintln!("killed runs that had already delivered: {saw_new}");
}
