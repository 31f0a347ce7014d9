//! Figures over months use each code's declared rule (docs/forms.md, "Figures over months"):
//! flows are summed, the dossiers open at month end come from the last month, the dossiers
//! carried over from the first, and dossiers received including those carried over are
//! counted once. Three runs (October, November, December 2025; December's report looks ahead
//! to January 2026) with every comparison and year-to-date figure computed by hand and read
//! back from the DOCX, the XLSX (calamine) and `baocao history`.
//!
//! The Form A workbooks are written by the test support's own writer (rust_xlsxwriter) or,
//! for the issue's example, by openpyxl from the sample input in `input/`; baocao reads them
//! with calamine.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::path::{Path, PathBuf};

use pipeline::*;

/// The department's (`SO`) figures of a month, in form order: VB_DEN, VB_DI, VB_CHAM,
/// TTHC_TIEP_NHAN, TTHC_KY_TRUOC, TTHC_DA_GQ, TTHC_DANG_GQ, TTHC_QUA_HAN.
type Figures = [i64; 8];

const CODES: [&str; 8] = [
    "VB_DEN",
    "VB_DI",
    "VB_CHAM",
    "TTHC_TIEP_NHAN",
    "TTHC_KY_TRUOC",
    "TTHC_DA_GQ",
    "TTHC_DANG_GQ",
    "TTHC_QUA_HAN",
];

/// A history whose months chain: each month carries over what the month before left open
/// (October leaves 32 open, November carries 32 and leaves 22, December carries 22).
const OCTOBER: Figures = [3600, 1050, 0, 300, 40, 268, 32, 1];
/// The November sample itself (samples/2025-11/08_SO.toml, input/SO - Tổng hợp toàn Sở.xlsx).
const NOVEMBER: Figures = [3675, 1032, 0, 324, 32, 302, 22, 1];
const DECEMBER: Figures = [4000, 1100, 2, 350, 22, 330, 20, 1];

/// The November samples moved to `month`, with the department's figures set to `so` and the
/// quality unit's (QLCL, the only unit with more than a few dossiers) set so that the units
/// still add up to the department's dossiers: GDTrH's 10 and GDTX-GDNN-DH's 28 are solved
/// in the month and carry nothing over.
fn month_samples(year: i32, month: u32, so: Figures) -> Vec<form_a::SampleSubmission> {
    let mut samples = november_samples();
    for sample in samples.iter_mut() {
        set_info(sample, "Kỳ báo cáo", &format!("{month}/{year}"));
        let (next_year, next_month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        set_info(
            sample,
            "Ngày lập",
            &format!("02/{next_month:02}/{next_year}"),
        );
        sample.advised.clear();
    }
    let department = sample_of(&mut samples, "SO");
    for (code, value) in CODES.iter().zip(so) {
        set_figure(department, code, value);
    }
    let quality = sample_of(&mut samples, "QLCL");
    let others = 10 + 28;
    set_figure(quality, "TTHC_TIEP_NHAN", so[3] - others);
    set_figure(quality, "TTHC_KY_TRUOC", so[4]);
    set_figure(quality, "TTHC_DA_GQ", so[5] - others);
    set_figure(quality, "TTHC_DANG_GQ", so[6]);
    samples
}

fn config_path() -> String {
    repo()
        .join("config/baocao.toml")
        .to_str()
        .expect("utf-8")
        .to_string()
}

fn run_period(output: &Path, input: &Path, slug: &str) -> RunResult {
    run_baocao(&[
        "run",
        "--period",
        slug,
        "--input",
        input.to_str().expect("utf-8"),
        "--output",
        output.to_str().expect("utf-8"),
        "--config",
        &config_path(),
    ])
}

fn run_month(workspace: &Workspace, month: u32, so: Figures) {
    let slug = format!("2025-{month:02}");
    let input = workspace.dir.path().join(format!("input-{slug}"));
    std::fs::create_dir_all(&input).expect("mkdir");
    for sample in month_samples(2025, month, so) {
        form_a::write_form_a(&sample, &input.join(&sample.file)).expect("write");
    }
    let result = run_period(&workspace.output(), &input, &slug);
    assert_eq!(
        result.code, 0,
        "{slug}: {}\n{}",
        result.stdout, result.stderr
    );
}

fn report(output: &Path, slug: &str) -> String {
    docx_texts(&output.join(format!("{slug}/bao-cao-thang-{slug}.docx"))).0
}

fn comparison_sheet(output: &Path, slug: &str) -> Vec<Vec<calamine::Data>> {
    xlsx_rows(
        &output.join(format!("{slug}/so-lieu-thang-{slug}.xlsx")),
        "So sánh",
    )
}

/// A cell that is empty (no base to compare with).
fn is_blank(cell: Option<&calamine::Data>) -> bool {
    matches!(cell, None | Some(calamine::Data::Empty))
        || matches!(cell, Some(calamine::Data::String(s)) if s.is_empty())
}

/// One expected row of `So sánh`: this month, the previous month and the change (a fraction,
/// `None` when the previous month is zero), the year to date and its rule.
struct Row {
    now: f64,
    previous: Option<f64>,
    change: Option<f64>,
    year_to_date: f64,
    rule: &'static str,
}

fn check_sheet(rows: &[Vec<calamine::Data>], expected: &[Row; 8], months: &str) {
    let labels = [
        "Văn bản đến đã tiếp nhận, xử lý trên hệ thống quản lý văn bản",
        "Văn bản đi (tham mưu ban hành)",
        "Văn bản xử lý chậm muộn",
        "Hồ sơ thủ tục hành chính tiếp nhận (tổng)",
        "trong đó: hồ sơ từ kỳ trước chuyển sang",
        "Hồ sơ đã giải quyết",
        "Hồ sơ đang giải quyết",
        "Hồ sơ quá hạn",
    ];
    assert_eq!(rows[0][6].to_string(), "Lũy kế từ đầu năm");
    assert_eq!(rows[0][7].to_string(), "Cách tính lũy kế");
    for (i, want) in expected.iter().enumerate() {
        let row = &rows[i + 1];
        let label = labels[i];
        assert_eq!(row[0].to_string(), label);
        assert_eq!(number(&row[1]), want.now, "{label}: this month");
        match want.previous {
            Some(previous) => assert_eq!(number(&row[2]), previous, "{label}: previous"),
            None => assert!(is_blank(row.get(2)), "{label}: no previous month"),
        }
        match want.change {
            Some(change) => assert!(
                (number(&row[3]) - change).abs() < 1e-9,
                "{label}: change {:?}, expected {change}",
                row[3]
            ),
            None => assert!(is_blank(row.get(3)), "{label}: no change computable"),
        }
        assert!(is_blank(row.get(4)), "{label}: no same month last year");
        assert!(is_blank(row.get(5)), "{label}: no change against last year");
        assert_eq!(number(&row[6]), want.year_to_date, "{label}: year to date");
        assert_eq!(row[7].to_string(), want.rule, "{label}: rule");
    }
    let note = rows
        .iter()
        .flatten()
        .map(|c| c.to_string())
        .find(|c| c.starts_with("Lũy kế gồm các tháng"))
        .expect("months note");
    assert_eq!(note, format!("Lũy kế gồm các tháng có số liệu: {months}"));
}

const SUM: &str = "cộng các tháng";
const LAST: &str = "số của tháng cuối";
const FIRST: &str = "số của tháng đầu";
const ONCE: &str = "chuyển sang tháng đầu + mới từng tháng";

fn row(
    now: f64,
    previous: Option<f64>,
    change: Option<f64>,
    year_to_date: f64,
    rule: &'static str,
) -> Row {
    Row {
        now,
        previous,
        change,
        year_to_date,
        rule,
    }
}

#[test]
fn three_months_compare_and_add_up_by_each_codes_rule() {
    let workspace = Workspace::with(&[]);
    let output = workspace.output();
    run_month(&workspace, 10, OCTOBER);
    run_month(&workspace, 11, NOVEMBER);
    run_month(&workspace, 12, DECEMBER);

    // October: the first month of the history, nothing to compare with or add up.
    let october = report(&output, "2025-10");
    assert!(!october.contains("So với tháng trước"), "{october}");
    assert!(!october.contains("Lũy kế từ đầu năm"), "{october}");
    check_sheet(
        &comparison_sheet(&output, "2025-10"),
        &[
            row(3600.0, None, None, 3600.0, SUM),
            row(1050.0, None, None, 1050.0, SUM),
            row(0.0, None, None, 0.0, SUM),
            row(300.0, None, None, 300.0, ONCE),
            row(40.0, None, None, 40.0, FIRST),
            row(268.0, None, None, 268.0, SUM),
            row(32.0, None, None, 32.0, LAST),
            row(1.0, None, None, 1.0, SUM),
        ],
        "10",
    );

    // November against October. Changes, rounded to a tenth of a percent:
    // 3675/3600 = +2,08% → 2,1%; 1032/1050 = −1,71% → 1,7%; 324/300 = +8%; 32/40 = −20%;
    // 302/268 = +12,69% → 12,7%; 22/32 = −31,25% → 31,3%; 1/1 = 0; 0/0 not computable.
    // Year to date (October + November): documents 3600 + 3675 = 7275, 1050 + 1032 = 2082;
    // dossiers received 40 carried into October + (300 − 40) + (324 − 32) = 592, carried over
    // 40 (October's), solved 268 + 302 = 570, open 22 (November's); 570 + 22 = 592.
    let november = report(&output, "2025-11");
    assert!(
        november.contains(
            "So với tháng trước: văn bản tiếp nhận, xử lý tăng 2,1%; văn bản ban hành giảm 1,7%; hồ sơ TTHC tiếp nhận tăng 8%."
        ),
        "{november}"
    );
    assert!(
        november.contains(
            "Lũy kế từ đầu năm đến hết tháng 11/2025 (chưa có số liệu tháng 1, 2, 3, 4, 5, 6, 7, 8, 9): tiếp nhận, xử lý 7.275 văn bản; ban hành 2.082 văn bản; tiếp nhận 592 hồ sơ TTHC (trong đó 40 hồ sơ từ trước tháng 10 chuyển sang), đã giải quyết 570 hồ sơ, còn 22 hồ sơ đang giải quyết."
        ),
        "{november}"
    );
    assert!(!november.contains("So với cùng kỳ"), "no November 2024");
    check_sheet(
        &comparison_sheet(&output, "2025-11"),
        &[
            row(3675.0, Some(3600.0), Some(0.021), 7275.0, SUM),
            row(1032.0, Some(1050.0), Some(-0.017), 2082.0, SUM),
            row(0.0, Some(0.0), None, 0.0, SUM),
            row(324.0, Some(300.0), Some(0.08), 592.0, ONCE),
            row(32.0, Some(40.0), Some(-0.2), 40.0, FIRST),
            row(302.0, Some(268.0), Some(0.127), 570.0, SUM),
            row(22.0, Some(32.0), Some(-0.313), 22.0, LAST),
            row(1.0, Some(1.0), Some(0.0), 2.0, SUM),
        ],
        "10, 11",
    );

    // December against November, and the report looks ahead to January 2026:
    // 4000/3675 = +8,84% → 8,8%; 1100/1032 = +6,59% → 6,6%; 350/324 = +8,02% → 8%;
    // 22/32 = −31,25% → 31,3%; 330/302 = +9,27% → 9,3%; 20/22 = −9,09% → 9,1%; 2/0 not
    // computable; 1/1 = 0.
    // Year to date (October to December): documents 3600 + 3675 + 4000 = 11275,
    // 1050 + 1032 + 1100 = 3182, late 0 + 0 + 2 = 2; dossiers received
    // 40 + 260 + 292 + (350 − 22) = 920, carried over 40, solved 268 + 302 + 330 = 900,
    // open 20 (December's), overdue 3; 900 + 20 = 920. Summing every code would have said
    // 974 received, 94 carried over and 74 open.
    let december = report(&output, "2025-12");
    assert!(
        december
            .contains("Tình hình công tác tháng 12 năm 2025, nhiệm vụ trọng tâm tháng 1 năm 2026"),
        "{december}"
    );
    assert!(
        december.contains("II. NHIỆM VỤ TRỌNG TÂM THÁNG 1 NĂM 2026"),
        "{december}"
    );
    assert!(
        december.contains(
            "So với tháng trước: văn bản tiếp nhận, xử lý tăng 8,8%; văn bản ban hành tăng 6,6%; hồ sơ TTHC tiếp nhận tăng 8%."
        ),
        "{december}"
    );
    assert!(
        december.contains(
            "Lũy kế từ đầu năm đến hết tháng 12/2025 (chưa có số liệu tháng 1, 2, 3, 4, 5, 6, 7, 8, 9): tiếp nhận, xử lý 11.275 văn bản; ban hành 3.182 văn bản; tiếp nhận 920 hồ sơ TTHC (trong đó 40 hồ sơ từ trước tháng 10 chuyển sang), đã giải quyết 900 hồ sơ, còn 20 hồ sơ đang giải quyết."
        ),
        "{december}"
    );
    check_sheet(
        &comparison_sheet(&output, "2025-12"),
        &[
            row(4000.0, Some(3675.0), Some(0.088), 11275.0, SUM),
            row(1100.0, Some(1032.0), Some(0.066), 3182.0, SUM),
            row(2.0, Some(0.0), None, 2.0, SUM),
            row(350.0, Some(324.0), Some(0.08), 920.0, ONCE),
            row(22.0, Some(32.0), Some(-0.313), 40.0, FIRST),
            row(330.0, Some(302.0), Some(0.093), 900.0, SUM),
            row(20.0, Some(22.0), Some(-0.091), 20.0, LAST),
            row(1.0, Some(1.0), Some(0.0), 3.0, SUM),
        ],
        "10, 11, 12",
    );

    // `baocao history`: each month as recorded, then the year to date by the same rules
    // (solved rate 900/920 = 97,83% → 97,8%).
    let listing = run_baocao(&[
        "history",
        "--output",
        output.to_str().expect("utf-8"),
        "--config",
        &config_path(),
    ]);
    assert_eq!(listing.code, 0, "{}", listing.stderr);
    let year_line: Vec<&str> = listing
        .stdout
        .lines()
        .find(|l| l.starts_with("Lũy kế 2025"))
        .unwrap_or_else(|| panic!("no year line: {}", listing.stdout))
        .split_whitespace()
        .collect();
    assert_eq!(
        year_line,
        ["Lũy", "kế", "2025", "11.275", "3.182", "2", "920", "900", "97,8%", "3"],
        "{}",
        listing.stdout
    );
    assert!(
        listing
            .stdout
            .contains("lũy kế năm 2025 gồm tháng 10, 11, 12"),
        "{}",
        listing.stdout
    );
}

/// Copies the Form A workbooks of `input/` (the November sample) into `target`, rewritten by
/// openpyxl for `month`/2025 (`Kỳ báo cáo`, and `Ngày lập` in the month after).
fn sample_input_for(month: u32, target: &Path) {
    std::fs::create_dir_all(target).expect("mkdir");
    let script = r#"
import sys, glob, os, openpyxl
source, target, month = sys.argv[1], sys.argv[2], int(sys.argv[3])
written = 0
for path in sorted(glob.glob(os.path.join(source, "*.xlsx"))):
    book = openpyxl.load_workbook(path)
    if "Số liệu" not in book.sheetnames or "Thông tin" not in book.sheetnames:
        continue
    info = book["Thông tin"]
    for field, value in info.iter_rows(min_col=1, max_col=2):
        if field.value == "Kỳ báo cáo":
            value.value = "%d/2025" % month
        elif field.value == "Ngày lập":
            value.value = "02/%02d/2025" % (month + 1)
    book.save(os.path.join(target, os.path.basename(path)))
    written += 1
print(written)
"#;
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(repo().join("input"))
        .arg(target)
        .arg(month.to_string())
        .output()
        .expect("python3 runs (openpyxl is installed by .ci/run)");
    assert!(
        output.status.success(),
        "openpyxl: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "8",
        "the eight Form A workbooks of input/"
    );
}

/// The issue's example: the sample input of November run for October and for November.
/// November's year to date must not add up the month-end stocks: open dossiers 22 (not
/// 22 + 22 = 44), carried over 32 (October's, not 32 + 32 = 64), received 32 carried into
/// October + (324 − 32) new in October + (324 − 32) new in November = 616 (not 648; the
/// issue's 626 took October's 22 open as November's carried-over, but the sample's November
/// says 32 carried over, and each month's new dossiers are counted once).
#[test]
fn the_issues_two_months_do_not_add_up_stocks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output: PathBuf = dir.path().join("output");
    let october_input = dir.path().join("input-2025-10");
    let november_input = dir.path().join("input-2025-11");
    sample_input_for(10, &october_input);
    sample_input_for(11, &november_input);
    for (input, slug) in [(&october_input, "2025-10"), (&november_input, "2025-11")] {
        let result = run_period(&output, input, slug);
        assert_eq!(
            result.code, 0,
            "{slug}: {}\n{}",
            result.stdout, result.stderr
        );
    }

    let november = report(&output, "2025-11");
    assert!(
        november.contains(
            "So với tháng trước: văn bản tiếp nhận, xử lý không đổi; văn bản ban hành không đổi; hồ sơ TTHC tiếp nhận không đổi."
        ),
        "{november}"
    );
    assert!(
        november.contains(
            "tiếp nhận, xử lý 7.350 văn bản; ban hành 2.064 văn bản; tiếp nhận 616 hồ sơ TTHC (trong đó 32 hồ sơ từ trước tháng 10 chuyển sang), đã giải quyết 604 hồ sơ, còn 22 hồ sơ đang giải quyết."
        ),
        "{november}"
    );
    assert!(!november.contains("648"), "{november}");

    let rows = comparison_sheet(&output, "2025-11");
    let year_to_date: Vec<f64> = rows[1..=8].iter().map(|r| number(&r[6])).collect();
    assert_eq!(
        year_to_date,
        [7350.0, 2064.0, 0.0, 616.0, 32.0, 604.0, 22.0, 2.0],
        "VB_DEN, VB_DI, VB_CHAM, received, carried over, solved, open, overdue"
    );
}
