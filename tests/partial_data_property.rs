//! Property over the sample input (issue 13): removing any one sheet of any one workbook
//! never removes from the report text that is in another sheet of that workbook, and never
//! changes a printed percentage without the sentence naming its base.
//!
//! The workbooks are written by rust_xlsxwriter (tests/support) and read by calamine; the
//! pipeline runs in-process through the library (discover → intake → aggregate → report
//! model), so the ~50 cases take seconds, not a binary start each.

#[path = "support/form_a.rs"]
mod form_a;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use baocao::aggregate::aggregate;
use baocao::config;
use baocao::ingest::discover;
use baocao::render::{build_report, Wording};
use baocao::validate::intake;
use baocao::vn::Period;
use form_a::{load_samples, sheet_names, write_form_a, SampleSubmission};

/// What a sentence says when its shares are not shares of the department's own totals
/// (templates/bao-cao-thang.toml, `goc_don_vi`).
const BASE_NAMED: &str = "các đơn vị có số liệu";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The report's plain text (footnotes inline) for the workbooks in `input`.
fn report_text(input: &Path) -> String {
    let loaded = config::load(Some(&repo().join("config/baocao.toml"))).expect("config");
    let wording = Wording::from_toml(&loaded.templates_text).expect("templates");
    let directory = loaded.config.directory();
    let period = Period::new(2025, 11).expect("period");
    let files = discover(input).expect("input folder");
    let intake = intake(
        &files,
        period,
        &directory,
        &loaded.config.limits,
        "input/",
        &loaded.schools,
        &|| {},
    );
    let figures = aggregate(&intake, &loaded.config).expect("aggregate");
    build_report(&loaded.config, &wording, &intake, &figures, &[], None)
        .expect("report")
        .plain_text()
}

/// Text of a cell as the report may print it: without the `(*)` mark and the trailing
/// punctuation that merged task lines drop.
fn printable(text: &str) -> Vec<String> {
    text.split("(*)")
        .map(|piece| {
            piece
                .trim()
                .trim_end_matches(['.', ';', ','])
                .trim()
                .to_string()
        })
        .filter(|piece| piece.chars().count() >= 12)
        .collect()
}

/// A count as the report prints it: 3675 → `3.675`, 6 → `06`, 0 → `0`.
fn dotted(n: i64) -> String {
    if (1..10).contains(&n) {
        return format!("0{n}");
    }
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The text each sheet of a sample contributes, keyed by sheet name.
fn sheet_texts(sample: &SampleSubmission) -> BTreeMap<&'static str, Vec<String>> {
    let mut texts: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut add = |sheet: &'static str, items: Vec<String>| {
        texts
            .entry(sheet)
            .or_default()
            .extend(items.iter().flat_map(|t| printable(t)));
    };
    add(
        "Kết quả",
        sample.results.iter().map(|t| t.content.clone()).collect(),
    );
    add(
        "Tồn tại",
        sample
            .shortcomings
            .iter()
            .map(|t| t.content.clone())
            .collect(),
    );
    add(
        "Nhiệm vụ tháng sau",
        sample
            .next_tasks
            .iter()
            .map(|t| t.content.clone())
            .collect(),
    );
    add(
        "Văn bản tham mưu",
        sample.advised.iter().map(|d| d.summary.clone()).collect(),
    );
    add(
        "Đánh giá chung",
        sample
            .assessment
            .iter()
            .map(|p| p.content.clone())
            .collect(),
    );
    add(
        "Nhiệm vụ trọng tâm chung",
        sample
            .general_tasks
            .iter()
            .map(|p| p.content.clone())
            .collect(),
    );
    // Dossier codes are short: kept whole.
    texts.insert(
        "Hồ sơ quá hạn",
        sample.overdue.iter().map(|d| d.code.clone()).collect(),
    );
    if let Some(received) = sample.figure("VB_DEN") {
        texts.insert(
            "Số liệu",
            vec![format!("Tiếp nhận, xử lý {} văn bản", dotted(received))],
        );
    }
    texts
}

/// Every percentage printed in a line (`6,3%`, `100%`) with its byte offset, in order.
fn percentages(line: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (end, _) in line.match_indices('%') {
        let start = line[..end]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit() || *c == ',')
            .last()
            .map(|(i, _)| i);
        if let Some(start) = start {
            found.push((start, line[start..=end].to_string()));
        }
    }
    found
}

/// The clause a share stands in: from the previous `; ` or `. ` to the next.
fn clause_at(line: &str, at: usize) -> &str {
    let start = ["; ", ". "]
        .iter()
        .filter_map(|sep| line[..at].rfind(sep).map(|i| i + sep.len()))
        .max()
        .unwrap_or(0);
    let end = ["; ", ". "]
        .iter()
        .filter_map(|sep| line[at..].find(sep).map(|i| at + i))
        .min()
        .unwrap_or(line.len());
    &line[start..end]
}

/// A share's identity: the numbered heading it stands under and the words of its line up to
/// it, with figures masked, so a share whose line changes only in its figures or lists is still
/// the same share.
fn share_key(heading: &str, before: &str) -> (String, String) {
    let mut masked = String::new();
    for c in before.chars() {
        if c.is_ascii_digit() {
            if !masked.ends_with('#') {
                masked.push('#');
            }
        } else if (c == '.' || c == ',') && masked.ends_with('#') {
            continue;
        } else {
            masked.push(c);
        }
    }
    (heading.to_string(), masked)
}

/// Every share of a report, by [`share_key`]: its value and the clause it stands in.
fn shares(report: &str) -> BTreeMap<(String, String), (String, String)> {
    let mut heading = String::new();
    let mut found = BTreeMap::new();
    for line in report.lines() {
        let in_line = percentages(line);
        if in_line.is_empty() {
            // Numbered headings (`2.3. Phòng …`, `II. …`) name the section that follows.
            if is_numbered_heading(line) {
                heading = line.to_string();
            }
            continue;
        }
        for (at, value) in in_line {
            found.insert(
                share_key(&heading, &line[..at]),
                (value, clause_at(line, at).to_string()),
            );
        }
    }
    found
}

fn is_numbered_heading(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or_default();
    line.len() < 200
        && first.len() > 1
        && first.ends_with('.')
        && first
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'I' | 'V' | 'X'))
}

fn write_all(samples: &[SampleSubmission], dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for sample in samples {
        write_form_a(sample, &dir.join(&sample.file)).expect("write workbook");
    }
}

#[test]
fn removing_one_sheet_loses_only_that_sheet_and_no_share_changes_silently() {
    let samples = load_samples(&repo().join("samples/2025-11")).expect("samples");
    let work = tempfile::tempdir().expect("temp dir");
    let baseline_dir = work.path().join("baseline");
    write_all(&samples, &baseline_dir);
    let baseline = report_text(&baseline_dir);
    let baseline_shares = shares(&baseline);
    assert!(
        baseline_shares.len() >= 9,
        "the sample report prints shares: {baseline}"
    );
    assert!(baseline.contains("Tiếp nhận, xử lý 230 văn bản (6,3%)"));

    // Every text of the sample is printed to begin with, so the checks below are not empty.
    for sample in &samples {
        for (sheet, items) in sheet_texts(sample) {
            for item in items {
                assert!(
                    baseline.contains(&item),
                    "{} › {sheet}: «{item}» is not in the report to begin with",
                    sample.file
                );
            }
        }
    }

    let mut text_checks = 0;
    let mut base_named = 0;
    let mut cases = 0;
    for (index, sample) in samples.iter().enumerate() {
        let texts = sheet_texts(sample);
        for removed in sheet_names(sample) {
            cases += 1;
            let case = format!("{} without «{removed}»", sample.file);
            let dir = work.path().join(format!("case-{cases}"));
            std::fs::create_dir_all(&dir).expect("mkdir");
            for (other_index, other) in samples.iter().enumerate() {
                let target = dir.join(&other.file);
                if other_index == index {
                    let mut changed = other.clone();
                    changed.omit_sheets = vec![removed.to_string()];
                    write_form_a(&changed, &target).expect("write changed workbook");
                } else {
                    std::fs::copy(baseline_dir.join(&other.file), &target).expect("copy");
                }
            }
            let report = report_text(&dir);

            // 1. The text of every other sheet of the workbook is still printed.
            for (sheet, items) in &texts {
                if *sheet == removed {
                    continue;
                }
                // Without `Thông tin` the figures cannot be attributed with certainty: they
                // are withheld, and the unit's section says so instead.
                if *sheet == "Số liệu" && removed == "Thông tin" {
                    assert!(
                        report.contains("của đơn vị có lỗi, đang chờ đơn vị sửa")
                            || sample.unit_code() == "SO",
                        "{case}: the withheld figures are announced"
                    );
                    continue;
                }
                for item in items.iter().filter(|t| baseline.contains(t.as_str())) {
                    text_checks += 1;
                    assert!(
                        report.contains(item.as_str()),
                        "{case}: «{item}» from «{sheet}» is lost:\n{report}"
                    );
                }
            }

            // 2. A printed share either reads as before or its clause names its base.
            for (key, (value, clause)) in shares(&report) {
                let unchanged = baseline_shares
                    .get(&key)
                    .is_some_and(|(before, _)| *before == value);
                if unchanged {
                    continue;
                }
                base_named += 1;
                assert!(
                    clause.contains(BASE_NAMED),
                    "{case}: the share {value} changed without its base named:\n{clause}\nbefore: {:?}",
                    baseline_shares.get(&key)
                );
            }
        }
    }
    assert!(cases >= 40, "every sheet of every workbook: {cases}");
    assert!(text_checks > 200, "texts checked: {text_checks}");
    assert!(
        base_named >= 8,
        "removing the department's figures changes the base of every share: {base_named}"
    );
}
