//! End to end: the November 2025 submissions (written by rust_xlsxwriter, read by calamine)
//! go through the real binary, and the DOCX and XLSX it writes carry seed 000's figures.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/form_b.rs"]
mod form_b;
#[path = "support/form_d.rs"]
mod form_d;
#[path = "support/pipeline.rs"]
mod pipeline;

use pipeline::*;

fn november_run() -> (Workspace, RunResult) {
    let workspace = Workspace::with(&november_samples());
    let result = workspace.run("run");
    (workspace, result)
}

#[test]
fn the_report_carries_seed_000_figures() {
    let (workspace, result) = november_run();
    assert_eq!(
        result.code, 0,
        "stdout: {}\nstderr: {}",
        result.stdout, result.stderr
    );
    let (body, footnotes) = docx_texts(&workspace.docx());

    for expected in [
        "BÁO CÁO",
        "Tình hình công tác tháng 11, nhiệm vụ trọng tâm tháng 12 năm 2025",
        "I. KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH CÔNG TÁC THÁNG 11 NĂM 2025",
        "II. NHIỆM VỤ TRỌNG TÂM THÁNG 12 NĂM 2025",
        "tham mưu thành phố ban hành 06 văn bản chỉ đạo, điều hành",
        "Tiếp nhận, xử lý 3.675 văn bản; ban hành 1.032 văn bản. Chậm muộn 0.",
        "Tiếp nhận: 324, trong đó: 292 hồ sơ trong kỳ, 32 hồ sơ chuyển từ kỳ trước",
        "tổng số hồ sơ đã giải quyết là 302/324, đạt 93,2%, đang giải quyết 22 hồ sơ; 01 hồ sơ quá hạn",
        "mã hồ sơ: H24.3-251106-11538 - Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "Tiếp nhận, xử lý 230 văn bản (6,3%); tham mưu ban hành 41 văn bản (4%). Chậm muộn 0.",
        "Tiếp nhận, xử lý 293 văn bản (8%); tham mưu ban hành 54 văn bản (5,2%).",
        "Tiếp nhận, xử lý 1.231 văn bản (33,5%); tham mưu ban hành 311 văn bản (30,1%).",
        "Tiếp nhận và xử lý 286 hồ sơ đề nghị giải quyết TTHC. Chậm muộn 01.",
        "Giới thiệu chuyển trường: 12 học sinh.",
        "2.1. Phòng Giáo dục mầm non, giáo dục tiểu học",
        "2.7. Văn phòng",
        "b. Tồn tại, hạn chế",
        "Đánh giá chung",
        "1. Nhiệm vụ trọng tâm chung",
        "2. Nhiệm vụ cụ thể theo từng lĩnh vực",
        "2.1. Công tác chuyên môn",
        "a. Phòng Giáo dục mầm non, giáo dục tiểu học",
        "Nơi nhận:",
        "- Lưu: VT, VP.",
        "GIÁM ĐỐC",
        "Lương Văn Việt",
        "Số:        /BC-SGDĐT",
        "Hải Phòng, ngày      tháng 12 năm 2025",
    ] {
        assert!(body.contains(expected), "DOCX body lacks «{expected}»");
    }
    assert!(
        !body.contains("THÁNG 10"),
        "the period heading must come from the data"
    );

    for expected in [
        "Trễ hạn: 53 phút",
        "Hạn xử lý: 07-11-2025 13:39:00; Ngày có kết quả: 07-11-2025 14:32:49",
        "(1) Quyết định số 4309/QĐ-UBND ngày 30/10/2025 của UBND thành phố",
        "(6) Quyết định số 4825/QĐ-UBND ngày 28/11/2025",
        "Nghị quyết số 28/2025/NQ-HĐND ngày 13/11/2025",
    ] {
        assert!(
            footnotes.contains(expected),
            "footnotes lack «{expected}»:\n{footnotes}"
        );
    }
}

#[test]
fn the_report_never_claims_no_overdue_dossier_when_one_is_overdue() {
    let (workspace, result) = november_run();
    let (body, _) = docx_texts(&workspace.docx());
    let lower = body.to_lowercase();
    assert!(
        !lower.contains("không có hồ sơ quá hạn"),
        "contradiction survived into the report"
    );
    assert!(body.contains("còn 01 hồ sơ quá hạn"));
    assert!(
        result.stdout.contains("mau-thuan-so-lieu"),
        "{}",
        result.stdout
    );
    assert!(
        result.stdout.contains("› Đánh giá chung ›"),
        "the message names the cell: {}",
        result.stdout
    );
}

#[test]
fn units_appear_in_configured_order() {
    let (workspace, _) = november_run();
    let (body, _) = docx_texts(&workspace.docx());
    let headings = [
        "2.1. Phòng Giáo dục mầm non, giáo dục tiểu học",
        "2.2. Phòng Giáo dục trung học",
        "2.3. Phòng Giáo dục thường xuyên, giáo dục nghề nghiệp và đại học",
        "2.4. Phòng Tổ chức cán bộ",
        "2.5. Phòng Kế hoạch tài chính",
        "2.6. Phòng Quản lý chất lượng",
        "2.7. Văn phòng",
    ];
    let positions: Vec<usize> = headings
        .iter()
        .map(|h| body.find(h).unwrap_or_else(|| panic!("{h}")))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "order: {positions:?}"
    );
}

#[test]
fn the_docx_package_follows_the_format_rules() {
    let (workspace, _) = november_run();
    let document = zip_part(&workspace.docx(), "word/document.xml").expect("document.xml");
    let footnotes = zip_part(&workspace.docx(), "word/footnotes.xml").expect("footnotes.xml");
    let styles = zip_part(&workspace.docx(), "word/styles.xml").expect("styles.xml");
    // A4 portrait with the decree's margins; page numbers from page 2 (title page header empty).
    assert!(
        document.contains(r#"w:w="11906""#) && document.contains(r#"w:h="16838""#),
        "A4"
    );
    assert!(
        document.contains(r#"w:left="1701""#) && document.contains(r#"w:right="851""#),
        "margins"
    );
    assert!(document.contains("<w:titlePg"), "no page number on page 1");
    assert!(
        document.contains(r#"w:type="first""#),
        "an empty first-page header"
    );
    // Real footnotes: references in the body, separators and marks in the footnotes part.
    assert_eq!(
        document.matches("<w:footnoteReference").count(),
        3,
        "two lists and one dossier"
    );
    assert!(footnotes.contains(r#"w:type="separator""#));
    assert_eq!(footnotes.matches("<w:footnoteRef/>").count(), 3);
    assert!(styles.contains("Times New Roman"));
    assert!(styles.contains(r#"w:styleId="FootnoteReference""#));
}

#[test]
fn the_xlsx_carries_the_same_figures() {
    let (workspace, _) = november_run();
    let units = xlsx_rows(&workspace.xlsx(), "Số liệu đơn vị");
    let gdmn = row_with(&units, 2, "GDMN-GDTH");
    assert_eq!(number(&gdmn[3]), 230.0);
    assert!(
        (number(&gdmn[4]) - 0.063).abs() < 1e-9,
        "share stored as a fraction: {:?}",
        gdmn[4]
    );
    assert_eq!(number(&gdmn[5]), 41.0);
    assert!((number(&gdmn[6]) - 0.04).abs() < 1e-9);
    let office = row_with(&units, 2, "VP");
    assert_eq!(number(&office[3]), 1231.0);
    assert!((number(&office[4]) - 0.335).abs() < 1e-9);
    let department = row_with(&units, 0, "Toàn Sở (SO)");
    assert_eq!(number(&department[3]), 3675.0);
    assert_eq!(number(&department[5]), 1032.0);
    let sums = row_with(&units, 0, "Tổng các đơn vị");
    assert_eq!(
        number(&sums[5]),
        1032.0,
        "units' issued documents add up to the department's"
    );

    let dossiers = xlsx_rows(&workspace.xlsx(), "Hồ sơ TTHC");
    let rate = row_with(&dossiers, 0, "Tỷ lệ hồ sơ đã giải quyết");
    assert!((number(&rate[1]) - 0.932).abs() < 1e-9);

    let overdue = xlsx_rows(&workspace.xlsx(), "Hồ sơ quá hạn");
    assert_eq!(overdue.len(), 2, "header and one dossier");
    assert_eq!(overdue[1][5].to_string(), "53 phút");
    assert_eq!(number(&overdue[1][6]), 53.0);

    let advised = xlsx_rows(&workspace.xlsx(), "Văn bản tham mưu");
    assert_eq!(advised.len(), 7, "header and six documents");
    let submissions = xlsx_rows(&workspace.xlsx(), "Bài nộp");
    assert_eq!(submissions.len(), 9, "header and eight workbooks");
    assert!(submissions[1..].iter().all(|r| r[5] == "Chấp nhận"));
}

#[test]
fn the_committed_sample_input_gives_the_same_report() {
    // input/ is what the README's first command reads; it must match samples/ (the monthly
    // submissions, the plans and the units' progress on them, the schools of the registry).
    let workspace = Workspace::with(&november_samples());
    write_plan_samples(&workspace);
    let registry =
        std::fs::read_to_string(repo().join("config/truong.csv")).expect("sample registry");
    for school in form_d::registry_schools(&registry) {
        let path = workspace
            .input()
            .join("truong")
            .join(format!("{}.xlsx", school.code));
        form_d::write_form_d(&school, &path).expect("write school");
    }
    assert_eq!(workspace.run("run").code, 0);
    let other = tempfile::tempdir().expect("temp dir");
    let result = run_baocao(&[
        "run",
        "--period",
        "2025-11",
        "--input",
        repo().join("input").to_str().expect("utf-8"),
        "--output",
        other.path().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(result.code, 0, "{}", result.stdout);
    let (ours, our_notes) = docx_texts(&workspace.docx());
    let (theirs, their_notes) =
        docx_texts(&other.path().join("2025-11/bao-cao-thang-2025-11.docx"));
    assert_eq!(ours, theirs);
    assert_eq!(our_notes, their_notes);
}

/// Writes the sample plans (Form B) and progress reports (Form C) into the workspace's input.
fn write_plan_samples(workspace: &Workspace) {
    for plan in form_b::load_plans(&repo().join("samples/plans")).expect("plans load") {
        form_b::write_form_b(&plan, &workspace.input().join(&plan.file)).expect("write plan");
    }
    for report in
        form_b::load_progress(&repo().join("samples/plans/tien-do")).expect("progress loads")
    {
        form_b::write_form_c(&report, &workspace.input().join(&report.file))
            .expect("write progress");
    }
}

#[test]
fn plan_progress_reported_this_month_gets_a_paragraph_in_the_report() {
    let (plain, _) = november_run();
    let (body, _) = docx_texts(&plain.docx());
    assert!(
        !body.contains("Tiến độ thực hiện các kế hoạch"),
        "no progress, no section"
    );

    let workspace = Workspace::with(&november_samples());
    write_plan_samples(&workspace);
    assert_eq!(workspace.run("run").code, 0);
    let (body, _) = docx_texts(&workspace.docx());
    let section = body
        .split("3. Tiến độ thực hiện các kế hoạch\n")
        .nth(1)
        .expect("section present");
    let paragraph = section.lines().next().expect("a paragraph");
    assert!(paragraph.contains("có 41 nhiệm vụ"), "{paragraph}");
    assert!(paragraph.contains("nhiệm vụ quá hạn"), "{paragraph}");
    assert!(
        paragraph.contains("báo cáo tiến độ của các đơn vị chủ trì"),
        "{paragraph}"
    );
    let assessment = body.find("Đánh giá chung").expect("assessment");
    let plans = body
        .find("3. Tiến độ thực hiện các kế hoạch")
        .expect("plans");
    let units = body.find("2.7. Văn phòng").expect("units");
    assert!(
        units < plans && plans < assessment,
        "after the units, before the assessment"
    );
}

#[test]
fn two_runs_write_identical_bytes() {
    let (first, _) = november_run();
    let (second, _) = november_run();
    for name in ["bao-cao-thang-2025-11.docx", "so-lieu-thang-2025-11.xlsx"] {
        let a = std::fs::read(first.output().join("2025-11").join(name)).expect("first");
        let b = std::fs::read(second.output().join("2025-11").join(name)).expect("second");
        assert!(a == b, "{name} differs between two runs on the same input");
    }
}

#[test]
fn check_validates_without_writing() {
    let workspace = Workspace::with(&november_samples());
    let result = workspace.run("check");
    assert_eq!(result.code, 0, "{}", result.stdout);
    assert!(result.stdout.contains("chấp nhận: 8"), "{}", result.stdout);
    assert!(
        !workspace.output().exists(),
        "check must not write documents"
    );
}

#[test]
fn libreoffice_opens_the_report() {
    if std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("soffice not installed: conversion check skipped (.ci/run installs it)");
        return;
    }
    let (workspace, _) = november_run();
    let out = workspace.dir.path().join("pdf");
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(workspace.docx())
        .env("HOME", workspace.dir.path())
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let pdf = std::fs::read(out.join("bao-cao-thang-2025-11.pdf")).expect("PDF written");
    assert!(pdf.starts_with(b"%PDF"), "a PDF came out");
    assert!(
        pdf.len() > 20_000,
        "the PDF has content ({} bytes)",
        pdf.len()
    );
}

#[test]
fn a_rejected_progress_report_makes_the_run_partial() {
    let workspace = Workspace::with(&november_samples());
    write_plan_samples(&workspace);
    let mut reports =
        form_b::load_progress(&repo().join("samples/plans/tien-do")).expect("progress loads");
    let broken = &mut reports[0];
    broken.rows[0].status = "Xong rồi".into();
    form_b::write_form_c(broken, &workspace.input().join(&broken.file)).expect("rewrite");
    let result = workspace.run("run");
    assert_eq!(
        result.code, 2,
        "a rejected Form C is a rejected submission: {}",
        result.stdout
    );
    assert!(
        result.stdout.contains("Xong rồi"),
        "the message names the bad status: {}",
        result.stdout
    );
}
