//! `--json` fields hold the meaning docs/json.md gives them even at the edges: a reporting
//! rate of 0 (not null) when nothing came in, every registered school absent when no school
//! sent anything, and `reporter` as a unit code, never a position in the configuration.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::path::Path;

use pipeline::*;

fn check_json(input: &Path) -> (i32, serde_json::Value) {
    let result = run_baocao(&[
        "check",
        "--json",
        "--period",
        "2025-11",
        "--input",
        input.to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    let json = serde_json::from_str(&result.stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}\n{}", result.stdout, result.stderr));
    (result.code, json)
}

/// The codes of `config/truong.csv`, the registry the shipped configuration names, read here
/// with a plain split (the file has no quoted commas).
fn registered_codes() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("config/truong.csv")).expect("registry");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').next().unwrap_or_default().trim().to_string())
        .collect()
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().expect("string").to_string())
        .collect()
}

#[test]
fn nothing_received_is_a_reporting_rate_of_zero() {
    // Only a plan in the input folder: no unit sent its monthly report.
    let workspace = Workspace::with(&[]);
    let plan = "Kế hoạch SGDĐT 2026 - Danh mục nhiệm vụ.xlsx";
    std::fs::copy(
        repo().join("input").join(plan),
        workspace.input().join(plan),
    )
    .expect("copy");
    let (code, json) = check_json(&workspace.input());
    assert_ne!(code, 0, "no monthly report can be made");
    assert_eq!(json["reporting_rate_percent"], serde_json::json!(0.0));
    assert_eq!(
        json["on_time_rate_percent"],
        serde_json::json!(0.0),
        "a deadline is configured (day 3): 0 on time of 7"
    );
    assert_eq!(strings(&json["missing_units"]).len(), 7, "{json}");

    // An empty folder says the same.
    let empty = tempfile::tempdir().expect("temp dir");
    let (_, json) = check_json(empty.path());
    assert_eq!(json["reporting_rate_percent"], serde_json::json!(0.0));

    // And the text summary prints the rate instead of leaving it out.
    let text = run_baocao(&[
        "check",
        "--period",
        "2025-11",
        "--input",
        workspace.input().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert!(
        text.stdout.contains("Tỷ lệ báo cáo: 0/7 (0%)"),
        "{}",
        text.stdout
    );
}

#[test]
fn every_registered_school_is_absent_when_none_sent_anything() {
    let registry = registered_codes();
    assert_eq!(registry.len(), 27, "the shipped registry");
    let workspace = Workspace::with(&november_samples());
    let (code, json) = check_json(&workspace.input());
    assert_eq!(code, 0, "{json}");
    let mut absent = strings(&json["schools_absent"]);
    absent.sort();
    let mut expected = registry.clone();
    expected.sort();
    assert_eq!(absent, expected);
    assert_eq!(json["schools_expected"], 27);
    assert_eq!(json["schools_reported"], 0);

    // One school's statistics: the other 26 are absent, the one that reported is not.
    let school = "HB-MN-01.xlsx";
    std::fs::create_dir_all(workspace.input().join("truong")).expect("mkdir");
    std::fs::copy(
        repo().join("input/truong").join(school),
        workspace.input().join("truong").join(school),
    )
    .expect("copy");
    let (_, json) = check_json(&workspace.input());
    let absent = strings(&json["schools_absent"]);
    assert_eq!(absent.len(), 26, "{absent:?}");
    assert!(!absent.contains(&"HB-MN-01".to_string()));
    assert_eq!(json["schools_reported"], 1);
}

#[test]
fn the_reporter_is_a_unit_code() {
    let workspace = Workspace::with(&november_samples());
    let plan = "Kế hoạch SGDĐT 2026 - Danh mục nhiệm vụ.xlsx";
    std::fs::copy(
        repo().join("input").join(plan),
        workspace.input().join(plan),
    )
    .expect("copy");
    let (_, json) = check_json(&workspace.input());
    assert_eq!(json["schema_version"], 2);
    let files = json["files"].as_array().expect("files");
    let reporter_of = |file: &str| {
        files
            .iter()
            .find(|f| f["file"] == file)
            .unwrap_or_else(|| panic!("{file} listed: {json}"))["reporter"]
            .clone()
    };
    assert_eq!(reporter_of("GDTrH.xlsx"), "GDTrH");
    assert_eq!(reporter_of("QLCL.xlsx"), "QLCL");
    assert_eq!(
        reporter_of("SO - Tổng hợp toàn Sở.xlsx"),
        "SO",
        "the department"
    );
    assert_eq!(
        reporter_of(plan),
        serde_json::Value::Null,
        "a plan reports for no unit"
    );
    // Every unit's report names a configured unit's code.
    let config = std::fs::read_to_string(repo().join("config/baocao.toml")).expect("config");
    for file in files.iter().filter(|f| f["form"] == "MonthlyReport") {
        let code = file["reporter"].as_str().expect("a code");
        assert!(
            config.contains(&format!("code = \"{code}\"")) || code == "SO",
            "{code}"
        );
    }
}
