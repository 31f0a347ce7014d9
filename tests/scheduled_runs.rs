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
    for stage in ["ingest_validate", "aggregate", "render", "deliver"] {
        assert!(manifest["timings_ms"][stage].is_u64(), "{stage}");
    }
    let log = std::fs::read_to_string(folder.join("nhat-ky-chay.txt")).expect("run log");
    assert!(log.contains("tệp GDTrH.xlsx"), "{log}");
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
