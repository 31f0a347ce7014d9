//! The history store across runs: each run keeps its period's figures; later reports compare
//! with the previous month (across the year boundary), the same month last year and the year
//! to date; re-running a period replaces only that period.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/pipeline.rs"]
mod pipeline;

use pipeline::*;

/// The November samples moved to another month, with the department's documents received
/// (and a unit's, to keep the totals consistent) set to `received`.
fn month(year: i32, month: u32, received: i64) -> Vec<form_a::SampleSubmission> {
    let mut samples = november_samples();
    for sample in samples.iter_mut() {
        set_info(sample, "Kỳ báo cáo", &format!("{month}/{year}"));
        set_info(
            sample,
            "Ngày lập",
            &format!(
                "02/{:02}/{}",
                month % 12 + 1,
                if month == 12 { year + 1 } else { year }
            ),
        );
        sample.advised.clear();
    }
    set_figure(sample_of(&mut samples, "SO"), "VB_DEN", received);
    samples
}

fn run_month(workspace: &Workspace, year: i32, month_number: u32, received: i64) -> RunResult {
    let input = workspace
        .dir
        .path()
        .join(format!("input-{year}-{month_number:02}"));
    std::fs::create_dir_all(&input).expect("mkdir");
    for sample in month(year, month_number, received) {
        form_a::write_form_a(&sample, &input.join(&sample.file)).expect("write");
    }
    run_baocao(&[
        "run",
        "--period",
        &format!("{year}-{month_number:02}"),
        "--input",
        input.to_str().expect("utf-8"),
        "--output",
        workspace.output().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ])
}

#[test]
fn reports_compare_across_the_year_boundary() {
    let workspace = Workspace::with(&[]);
    assert_eq!(run_month(&workspace, 2025, 1, 3000).code, 0);
    assert_eq!(run_month(&workspace, 2025, 12, 3200).code, 0);
    let result = run_month(&workspace, 2026, 1, 3600);
    assert_eq!(result.code, 0, "{}", result.stdout);

    let docx = workspace
        .output()
        .join("2026-01/bao-cao-thang-2026-01.docx");
    let (body, _) = docx_texts(&docx);
    assert!(
        body.contains("So với tháng trước: văn bản tiếp nhận, xử lý tăng 12,5%"),
        "{body}"
    );
    assert!(
        body.contains("So với cùng kỳ năm 2025: văn bản tiếp nhận, xử lý tăng 20%"),
        "{body}"
    );
    assert!(
        !body.contains("Lũy kế từ đầu năm"),
        "January has nothing to add up yet"
    );

    let december = workspace
        .output()
        .join("2025-12/bao-cao-thang-2025-12.docx");
    let (body, _) = docx_texts(&december);
    assert!(
        body.contains("Lũy kế từ đầu năm đến hết tháng 12/2025 (chưa có số liệu tháng 2, 3, 4, 5, 6, 7, 8, 9, 10, 11): tiếp nhận, xử lý 6.200 văn bản"),
        "{body}"
    );

    let xlsx = workspace
        .output()
        .join("2026-01/so-lieu-thang-2026-01.xlsx");
    let rows = xlsx_rows(&xlsx, "So sánh");
    let received = &rows[1];
    assert_eq!(number(&received[1]), 3600.0);
    assert_eq!(number(&received[2]), 3200.0);
    assert!((number(&received[3]) - 0.125).abs() < 1e-9);
    assert_eq!(number(&received[4]), 3000.0);
    assert!((number(&received[5]) - 0.2).abs() < 1e-9);

    let listing = run_baocao(&[
        "history",
        "--output",
        workspace.output().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(listing.code, 0);
    assert!(
        listing.stdout.contains("Lịch sử số liệu toàn Sở (3 kỳ)"),
        "{}",
        listing.stdout
    );
    let lines: Vec<&str> = listing
        .stdout
        .lines()
        .filter(|l| l.starts_with(['0', '1']))
        .collect();
    assert_eq!(lines.len(), 3, "{}", listing.stdout);
    assert!(
        lines[0].starts_with("01/2025") && lines[0].contains("3.000"),
        "{}",
        lines[0]
    );
    assert!(
        lines[2].starts_with("01/2026") && lines[2].contains("3.600"),
        "{}",
        lines[2]
    );
}

#[test]
fn rerunning_a_period_replaces_only_its_history() {
    let workspace = Workspace::with(&[]);
    assert_eq!(run_month(&workspace, 2025, 10, 3000).code, 0);
    assert_eq!(run_month(&workspace, 2025, 11, 3200).code, 0);
    let history = workspace.output().join("lich-su");
    let october = std::fs::read(history.join("2025-10.parquet")).expect("October kept");
    assert_eq!(run_month(&workspace, 2025, 11, 3500).code, 0);
    assert_eq!(
        std::fs::read(history.join("2025-10.parquet")).expect("October kept"),
        october
    );
    let listing = run_baocao(&[
        "history",
        "--output",
        workspace.output().to_str().expect("utf-8"),
    ]);
    assert!(listing.stdout.contains("3.500"), "{}", listing.stdout);
    assert!(
        !listing.stdout.contains("3.200"),
        "the re-run replaced November: {}",
        listing.stdout
    );
}

#[test]
fn check_and_dry_run_keep_no_history() {
    let workspace = Workspace::with(&november_samples());
    assert_eq!(workspace.run("check").code, 0);
    assert!(!workspace.output().join("lich-su").exists());
}

#[test]
fn a_month_without_the_department_figures_is_not_compared_as_if_it_had_them() {
    let workspace = Workspace::with(&[]);
    // October: the department's `Số liệu` is missing, so its totals are the units' sum.
    let input = workspace.dir.path().join("input-2025-10");
    std::fs::create_dir_all(&input).expect("mkdir");
    for mut sample in month(2025, 10, 3000) {
        if sample.unit_code() == "SO" {
            sample.omit_sheets = vec!["Số liệu".into()];
        }
        form_a::write_form_a(&sample, &input.join(&sample.file)).expect("write");
    }
    let october = run_baocao(&[
        "run",
        "--period",
        "2025-10",
        "--input",
        input.to_str().expect("utf-8"),
        "--output",
        workspace.output().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(october.code, 2, "{}", october.stdout);
    let (body, _) = docx_texts(
        &workspace
            .output()
            .join("2025-10/bao-cao-thang-2025-10.docx"),
    );
    assert!(!body.contains("So với tháng trước"), "{body}");

    let result = run_month(&workspace, 2025, 11, 3675);
    assert_eq!(result.code, 0, "{}", result.stdout);
    let (body, _) = docx_texts(
        &workspace
            .output()
            .join("2025-11/bao-cao-thang-2025-11.docx"),
    );
    assert!(
        !body.contains("So với tháng trước"),
        "October's units' sum is another base: no change is printed against it:\n{body}"
    );
    assert!(
        body.contains("Tiếp nhận, xử lý 3.675 văn bản"),
        "November itself is whole"
    );
    let listing = run_baocao(&[
        "history",
        "--output",
        workspace.output().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert!(listing.stdout.contains("10/2025 *"), "{}", listing.stdout);
    assert!(
        listing
            .stdout
            .contains("* chưa có số liệu toàn Sở (SO): tổng của các đơn vị có số liệu"),
        "{}",
        listing.stdout
    );
}
