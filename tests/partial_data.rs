//! Partial data (issue 13): a problem loses only what it touches, and no printed share changes
//! its meaning without the sentence saying so. Form A workbooks are written by
//! rust_xlsxwriter (tests/support), read by calamine through the real binary; the DOCX is read
//! back as XML, the XLSX with calamine.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/form_b.rs"]
mod form_b;
#[path = "support/pipeline.rs"]
mod pipeline;

use form_a::SampleSubmission;
use pipeline::*;

/// Removes one row of `Số liệu`, as a unit that deleted it would send the workbook.
fn drop_figure(sample: &mut SampleSubmission, code: &str) {
    let before = sample.figures.len();
    sample.figures.retain(|f| f.code != code);
    assert_eq!(sample.figures.len() + 1, before, "{code} was there");
}

/// The text of a DOCX between two headings (the first after `from`, up to `to`).
fn section<'a>(body: &'a str, from: &str, to: &str) -> &'a str {
    let start = body
        .find(from)
        .unwrap_or_else(|| panic!("no «{from}» in:\n{body}"));
    let rest = &body[start + from.len()..];
    let end = rest.find(to).unwrap_or(rest.len());
    &rest[..end]
}

fn cell_text(row: &[calamine::Data], column: usize) -> String {
    row.get(column).map(|c| c.to_string()).unwrap_or_default()
}

#[test]
fn a_department_workbook_without_next_month_tasks_keeps_totals_and_shares() {
    let mut samples = november_samples();
    let department = sample_of(&mut samples, "SO");
    department.omit_sheets = vec!["Nhiệm vụ tháng sau".into()];
    let workspace = Workspace::with(&samples);
    let result = workspace.run("run");
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    assert!(result.stdout.contains("Lỗi: 0"), "{}", result.stdout);
    let (body, _) = docx_texts(&workspace.docx());
    for expected in [
        "Tiếp nhận, xử lý 3.675 văn bản; ban hành 1.032 văn bản",
        "Tiếp nhận, xử lý 230 văn bản (6,3%)",
        "Tiếp nhận, xử lý 1.231 văn bản (33,5%)",
    ] {
        assert!(body.contains(expected), "missing «{expected}» in:\n{body}");
    }
    assert!(
        !body.contains("có số liệu"),
        "the department's totals are the base: no other base is named"
    );
    let units = xlsx_rows(&workspace.xlsx(), "Số liệu đơn vị");
    assert_eq!(cell_text(&units[0], 4), "Tỷ lệ so với toàn Sở");
    assert!(units
        .iter()
        .any(|r| cell_text(r, 0) == "Cơ sở tính tỷ lệ: số liệu toàn Sở do SO báo cáo"));
}

#[test]
fn a_department_workbook_with_only_its_general_tasks_is_accepted() {
    let mut samples = november_samples();
    let department = sample_of(&mut samples, "SO");
    department.omit_sheets = vec![
        "Nhiệm vụ tháng sau".into(),
        "Kết quả".into(),
        "Đánh giá chung".into(),
    ];
    let general = department.general_tasks[0].content.clone();
    let workspace = Workspace::with(&samples);
    let result = workspace.run("run");
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("Lỗi: 0; cảnh báo: 0"),
        "{}",
        result.stdout
    );
    let (body, _) = docx_texts(&workspace.docx());
    assert!(body.contains("Tiếp nhận, xử lý 230 văn bản (6,3%)"));
    let opening: String = general.chars().take(60).collect();
    assert!(body.contains(&opening), "«{opening}» in:\n{body}");
}

#[test]
fn a_unit_missing_one_figure_row_keeps_its_text_and_loses_only_its_figures() {
    let mut samples = november_samples();
    let unit = sample_of(&mut samples, "GDTrH");
    drop_figure(unit, "VB_CHAM");
    let task = unit.results[0].content.clone();
    let next = unit.next_tasks[0].content.clone();
    let workspace = Workspace::with(&samples);
    let result = workspace.run("run");
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result
            .stdout
            .contains("[Lỗi] GDTrH.xlsx › Số liệu: Thiếu dòng mã VB_CHAM"),
        "{}",
        result.stdout
    );
    assert!(
        result.stdout.contains("(so-lieu-chua-tong-hop)"),
        "{}",
        result.stdout
    );
    assert!(
        result.stdout.contains("Đơn vị chưa nộp: không có"),
        "a unit with an error did report: {}",
        result.stdout
    );
    assert!(
        result
            .stdout
            .contains("Đơn vị có lỗi, số liệu chưa tổng hợp (1): Phòng Giáo dục trung học"),
        "{}",
        result.stdout
    );
    assert!(
        result
            .stdout
            .contains("Tỷ lệ báo cáo: 7/7 (100%), trong đó có lỗi: 1"),
        "{}",
        result.stdout
    );

    let (body, _) = docx_texts(&workspace.docx());
    let part_one = section(&body, "2.2. Phòng Giáo dục trung học", "2.3.");
    assert!(
        part_one.contains("Số liệu tháng 11/2025 của đơn vị có lỗi, đang chờ đơn vị sửa"),
        "{part_one}"
    );
    let opening: String = task.chars().take(50).collect();
    assert!(part_one.contains(&opening), "its tasks stay: {part_one}");
    assert!(
        !part_one.contains("văn bản ("),
        "no figure of the unit: {part_one}"
    );
    assert!(!body.contains("293 văn bản"), "GDTrH's VB_DEN is withheld");
    assert!(!body.contains("Chưa nộp báo cáo"), "never «chưa nộp»");
    let part_two = body
        .split("II. NHIỆM VỤ TRỌNG TÂM")
        .nth(1)
        .expect("part II");
    let opening: String = next.chars().take(50).collect();
    assert!(
        part_two.contains(&opening),
        "next month's tasks stay: {part_two}"
    );
    // The other units' shares keep the department's base.
    assert!(body.contains("Tiếp nhận, xử lý 230 văn bản (6,3%)"));
    assert!(body
        .contains("Đơn vị có báo cáo lỗi, số liệu chưa được tổng hợp: Phòng Giáo dục trung học."));

    let units = xlsx_rows(&workspace.xlsx(), "Số liệu đơn vị");
    let row = row_with(&units, 2, "GDTrH");
    for (column, cell) in row.iter().enumerate().take(13).skip(3) {
        assert_eq!(
            *cell,
            calamine::Data::Empty,
            "column {column} of GDTrH is blank"
        );
    }
    assert_eq!(cell_text(row, 13), "Có lỗi: số liệu chưa tổng hợp");
    let rates = xlsx_rows(&workspace.xlsx(), "Tỷ lệ nộp báo cáo");
    assert_eq!(
        number(&row_with(&rates, 0, "trong đó: báo cáo có lỗi")[1]),
        1.0
    );
    assert_eq!(number(&row_with(&rates, 0, "Số đơn vị chưa nộp")[1]), 0.0);
    let submissions = xlsx_rows(&workspace.xlsx(), "Bài nộp");
    assert_eq!(
        cell_text(row_with(&submissions, 1, "GDTrH.xlsx"), 5),
        "Có lỗi: số liệu chưa tổng hợp, nội dung đã tổng hợp"
    );

    // The unit hears the same: its text is in, its figures wait for the correction.
    let feedback = std::fs::read_to_string(workspace.output().join("2025-11/phan-hoi/GDTrH.txt"))
        .expect("the unit's feedback is written");
    assert!(
        feedback.contains(
            "phần nội dung đã đưa vào báo cáo tổng hợp; số liệu có 1 lỗi nên chưa được tổng hợp"
        ),
        "{feedback}"
    );
    assert!(
        feedback.contains("GDTrH.xlsx › Số liệu: Thiếu dòng mã VB_CHAM"),
        "{feedback}"
    );
    assert!(
        feedback.contains("Sửa các lỗi số liệu ở mục 2 và gửi lại cả tệp"),
        "{feedback}"
    );
}

#[test]
fn a_unit_missing_a_text_sheet_keeps_its_figures_with_a_warning() {
    let mut samples = november_samples();
    let unit = sample_of(&mut samples, "GDTrH");
    unit.omit_sheets = vec!["Kết quả".into()];
    let next = unit.next_tasks[0].content.clone();
    let workspace = Workspace::with(&samples);
    let result = workspace.run("run");
    assert_eq!(
        result.code, 0,
        "a warning only: {}\n{}",
        result.stdout, result.stderr
    );
    assert!(
        result
            .stdout
            .contains("[Cảnh báo] GDTrH.xlsx: Thiếu trang «Kết quả» (nội dung này chưa có trong báo cáo) (thieu-trang)"),
        "{}",
        result.stdout
    );
    let (body, _) = docx_texts(&workspace.docx());
    let part_one = section(&body, "2.2. Phòng Giáo dục trung học", "2.3.");
    assert!(
        part_one.contains("Tiếp nhận, xử lý 293 văn bản (8%)"),
        "{part_one}"
    );
    assert!(
        part_one.contains("Phần «Kết quả» trong báo cáo của đơn vị bị thiếu hoặc có lỗi"),
        "{part_one}"
    );
    let opening: String = next.chars().take(50).collect();
    assert!(body.contains(&opening));
}

#[test]
fn without_the_department_figures_every_share_names_its_base() {
    let mut samples = november_samples();
    let department = sample_of(&mut samples, "SO");
    department.omit_sheets = vec!["Số liệu".into()];
    let assessment = department.assessment[0].content.clone();
    let workspace = Workspace::with(&samples);
    let result = workspace.run("run");
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("(thieu-so-lieu-so)"),
        "{}",
        result.stdout
    );
    let (body, _) = docx_texts(&workspace.docx());
    assert!(!body.contains("3.675"), "no department total is invented");
    let mut shares = 0;
    // The sentences that print the figures' shares (tasks may quote "100%" of their own).
    let share_sentences = body
        .lines()
        .filter(|l| l.contains('%') && (l.contains("văn bản (") || l.contains(", đạt ")));
    for line in share_sentences {
        shares += 1;
        assert!(
            line.contains("các đơn vị có số liệu"),
            "a share without its base: {line}"
        );
    }
    assert!(shares >= 8, "the units' shares are printed: {body}");
    let opening: String = assessment
        .split("(*)")
        .next()
        .unwrap_or_default()
        .chars()
        .take(50)
        .collect();
    assert!(
        body.contains(&opening),
        "the department's text stays: {body}"
    );

    let units = xlsx_rows(&workspace.xlsx(), "Số liệu đơn vị");
    assert_eq!(
        cell_text(&units[0], 4),
        "Tỷ lệ so với tổng các đơn vị có số liệu"
    );
    assert!(units
        .iter()
        .any(|r| cell_text(r, 0).starts_with("Cơ sở tính tỷ lệ: tổng của các đơn vị có số liệu")));
    assert!(units
        .iter()
        .any(|r| cell_text(r, 0).starts_with("Toàn Sở (SO: số liệu có lỗi")));
}

#[test]
fn a_folder_with_only_a_plan_gives_the_annex_and_exits_2() {
    let workspace = Workspace::with(&[]);
    let plans = form_b::load_plans(&repo().join("samples/plans")).expect("plans load");
    let plan = &plans[0];
    form_b::write_form_b(plan, &workspace.input().join(&plan.file)).expect("write plan");
    let result = workspace.run("run");
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains(
            "Không lập được báo cáo tháng: thư mục đầu vào chưa có báo cáo tháng (Biểu A) nào của kỳ này."
        ),
        "{}",
        result.stdout
    );
    assert!(
        result.stdout.contains("(khong-lap-bao-cao-thang)"),
        "{}",
        result.stdout
    );
    assert!(!workspace.docx().exists(), "no monthly report");
    let folder = workspace.output().join("2025-11");
    let names: Vec<String> = std::fs::read_dir(&folder)
        .expect("period folder written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    for ext in [".docx", ".xlsx"] {
        let annex = names
            .iter()
            .find(|n| n.starts_with("phu-luc-") && n.ends_with(ext))
            .unwrap_or_else(|| panic!("no annex {ext} in {names:?}"));
        let path = folder.join(annex);
        if ext == ".docx" {
            let (body, _) = docx_texts(&path);
            let task = &plan.tasks[0].task;
            let opening: String = task.chars().take(40).collect();
            assert!(body.contains(&opening), "the plan's tasks are in the annex");
        }
    }
    assert!(names.iter().any(|n| n == "manifest.json"), "{names:?}");
    // No monthly report, but every unit still has its feedback: here, nothing received.
    let feedback = std::fs::read_to_string(folder.join("phan-hoi/GDTrH.txt"))
        .expect("feedback beside the annex");
    assert!(
        feedback.contains("Kết quả: chưa nhận được báo cáo"),
        "{feedback}"
    );
}

#[test]
fn a_unit_workbook_without_its_information_sheet_is_known_by_its_file_name() {
    let mut samples = november_samples();
    let unit = sample_of(&mut samples, "GDTrH");
    unit.omit_sheets = vec!["Thông tin".into()];
    let task = unit.results[0].content.clone();
    let workspace = Workspace::with(&samples);
    let result = workspace.run("run");
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("[Cảnh báo] GDTrH.xlsx: Không có trang «Thông tin»: tệp được hiểu là báo cáo tháng 11/2025 của Phòng Giáo dục trung học theo tên tệp"),
        "{}",
        result.stdout
    );
    let (body, _) = docx_texts(&workspace.docx());
    let part_one = section(&body, "2.2. Phòng Giáo dục trung học", "2.3.");
    assert!(
        part_one.contains("Số liệu tháng 11/2025 của đơn vị có lỗi"),
        "figures of an unattested month are withheld: {part_one}"
    );
    let opening: String = task.chars().take(50).collect();
    assert!(part_one.contains(&opening), "{part_one}");
}

#[test]
fn a_text_sheet_whose_columns_are_not_found_is_left_out_alone() {
    use rust_xlsxwriter::Workbook;
    let mut samples = november_samples();
    samples.retain(|s| s.unit_code() != "TCCB");
    let workspace = Workspace::with(&samples);
    // TCCB typed by hand: figures fine, `Kết quả` without a `Nội dung` column.
    let mut book = Workbook::new();
    let info = book.add_worksheet().set_name("Thông tin").expect("name");
    for (row, (key, value)) in [("Mã đơn vị", "TCCB"), ("Kỳ báo cáo", "11/2025")]
        .iter()
        .enumerate()
    {
        info.write_string(row as u32, 0, *key).expect("write");
        info.write_string(row as u32, 1, *value).expect("write");
    }
    let figures = book.add_worksheet().set_name("Số liệu").expect("name");
    figures.write_string(0, 0, "Mã").expect("write");
    figures.write_string(0, 1, "Giá trị").expect("write");
    let values = [
        ("VB_DEN", 92),
        ("VB_DI", 88),
        ("VB_CHAM", 0),
        ("TTHC_TIEP_NHAN", 0),
        ("TTHC_KY_TRUOC", 0),
        ("TTHC_DA_GQ", 0),
        ("TTHC_DANG_GQ", 0),
        ("TTHC_QUA_HAN", 0),
    ];
    for (i, (code, value)) in values.iter().enumerate() {
        figures.write_string(i as u32 + 1, 0, *code).expect("write");
        figures
            .write_number(i as u32 + 1, 1, *value as f64)
            .expect("write");
    }
    let results = book.add_worksheet().set_name("Kết quả").expect("name");
    results.write_string(0, 0, "Ghi chép").expect("write");
    results
        .write_string(1, 0, "Một dòng không có cột Nội dung")
        .expect("write");
    let next = book
        .add_worksheet()
        .set_name("Nhiệm vụ tháng sau")
        .expect("name");
    next.write_string(0, 0, "Nội dung").expect("write");
    next.write_string(1, 0, "Rà soát đội ngũ viên chức năm 2026")
        .expect("write");
    book.save(workspace.input().join("TCCB tự lập.xlsx"))
        .expect("save");

    let result = workspace.run("run");
    assert_eq!(result.code, 0, "warnings only: {}", result.stdout);
    assert!(
        result.stdout.contains("[Cảnh báo] TCCB tự lập.xlsx › Kết quả: Trang «Kết quả» có lỗi nên nội dung của trang chưa được đưa vào báo cáo; các phần khác của tệp vẫn được tổng hợp (trang-chua-tong-hop)"),
        "{}",
        result.stdout
    );
    assert!(
        result
            .stdout
            .contains("[Cảnh báo] TCCB tự lập.xlsx › Kết quả: Không tìm thấy cột «Nội dung»"),
        "{}",
        result.stdout
    );
    let (body, _) = docx_texts(&workspace.docx());
    let part_one = section(&body, "2.4. Phòng Tổ chức cán bộ", "2.5.");
    assert!(
        part_one.contains("Tiếp nhận, xử lý 92 văn bản (2,5%)"),
        "{part_one}"
    );
    assert!(
        part_one.contains("Phần «Kết quả» trong báo cáo của đơn vị bị thiếu hoặc có lỗi"),
        "{part_one}"
    );
    assert!(body.contains("Rà soát đội ngũ viên chức năm 2026."));
}

#[test]
fn the_json_summary_lists_units_with_errors_apart_from_missing_ones() {
    let mut samples = november_samples();
    drop_figure(sample_of(&mut samples, "GDTrH"), "VB_CHAM");
    samples.retain(|s| s.unit_code() != "KHTC");
    let workspace = Workspace::with(&samples);
    let result = run_baocao(&[
        "check",
        "--period",
        "2025-11",
        "--json",
        "--input",
        workspace.input().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(result.code, 2, "{}", result.stdout);
    let summary: serde_json::Value = serde_json::from_str(&result.stdout).expect("JSON");
    assert_eq!(summary["missing_units"], serde_json::json!(["KHTC"]));
    assert_eq!(summary["units_with_errors"], serde_json::json!(["GDTrH"]));
    assert_eq!(summary["monthly_report_not_made"], serde_json::Value::Null);
    let gdtrh = summary["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["file"] == "GDTrH.xlsx")
        .expect("GDTrH listed");
    assert_eq!(gdtrh["status"], "FiguresWithheld");
}
