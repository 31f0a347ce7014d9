//! End to end: progress reports (Form C) on a plan go through the real binary; the progress
//! report (DOCX), the progress column and status sheets (XLSX) say which tasks are overdue or
//! due, at month and year boundaries, and bad progress rows are reported at their cells.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/form_b.rs"]
mod form_b;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::path::{Path, PathBuf};

use calamine::Data;
use form_b::{
    load_plans, load_progress, write_form_b, write_form_c, Layout, PlanTask, ProgressRow,
    SamplePlan, SampleProgress,
};
use pipeline::*;

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_in(&path));
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn find(files: &[PathBuf], prefix: &str, ext: &str) -> Option<PathBuf> {
    files
        .iter()
        .find(|f| {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            name.starts_with(prefix) && name.ends_with(ext)
        })
        .cloned()
}

fn text(cell: Option<&Data>) -> String {
    cell.map(|c| c.to_string()).unwrap_or_default()
}

/// The sample month: the monthly submissions, both plans and the three progress reports.
fn sample_workspace() -> Workspace {
    let workspace = Workspace::with(&november_samples());
    for plan in load_plans(&repo().join("samples/plans")).expect("plans") {
        write_form_b(&plan, &workspace.input().join(&plan.file)).expect("write plan");
    }
    for report in load_progress(&repo().join("samples/plans/tien-do")).expect("progress") {
        write_form_c(&report, &workspace.input().join(&report.file)).expect("write progress");
    }
    workspace
}

#[test]
fn the_sample_month_gives_a_progress_report_for_the_seed_003_plan() {
    let workspace = sample_workspace();
    let result = workspace.run("run");
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    assert!(result.stdout.contains("Lỗi: 0"), "{}", result.stdout);
    let files = files_in(&workspace.output().join("2025-11"));
    let report = find(&files, "tien-do-", "-2025-11.docx").expect("progress report written");
    assert_eq!(
        files
            .iter()
            .filter(|f| f.to_string_lossy().contains("tien-do-"))
            .count(),
        1,
        "only the plan units reported on: {files:?}"
    );
    let (body, _) = docx_texts(&report);
    for expected in [
        "BÁO CÁO",
        "Tiến độ thực hiện Kế hoạch số        /KH-UBND của UBND quận Hải An đến hết tháng 11/2025",
        "có 41 nhiệm vụ. Đến hết tháng 11/2025: 33 nhiệm vụ hoàn thành, 03 đang thực hiện, 0 chưa thực hiện, 0 tạm dừng, 05 chưa có báo cáo tiến độ.",
        "Có 08 nhiệm vụ quá hạn",
        "0 nhiệm vụ đến hạn trong tháng 11/2025 và 0 nhiệm vụ đến hạn trong tháng 12/2025.",
        "Trong tháng 11/2025 có 03 báo cáo tiến độ của các đơn vị chủ trì.",
        "Đơn vị chủ trì chưa gửi báo cáo tiến độ (06): Uỷ ban nhân dân phường Đông Hải 2; Công an quận; phòng Y tế; Phòng Lao động - Thương binh và Xã hội; Trưởng khối thi đua Mầm non, Tiểu học, Trung học cơ sở; Thường trực Hội đồng Thi đua - Khen thưởng quận.",
        "Nhiệm vụ quá hạn (08)",
        "Đang thực hiện (80%)",
        "Báo cáo tháng 11/2025",
        "Nơi nhận:",
        "Lương Văn Việt",
    ] {
        assert!(body.contains(expected), "progress report lacks «{expected}»:\n{body}");
    }

    let xlsx = find(&files, "phu-luc-ke-hoach-nam-hoc", ".xlsx").expect("annex xlsx");
    let status = xlsx_rows(&xlsx, "Tình trạng 11-2025");
    assert_eq!(text(status[0].get(8)), "Đánh giá");
    let overdue: Vec<u32> = status[1..]
        .iter()
        .filter(|r| text(r.get(8)) == "Quá hạn")
        .map(|r| number(&r[0]) as u32)
        .collect();
    assert_eq!(overdue, [5, 9, 10, 12, 16, 17, 29, 39]);
    let task_9 = row_with(&status, 0, "9");
    assert_eq!(text(task_9.get(4)), "Đang thực hiện");
    assert!(
        (number(&task_9[5]) - 0.8).abs() < 1e-9,
        "80% stored as a fraction"
    );
    assert_eq!(text(task_9.get(7)), "11/2025");

    // The progress column of the annex table.
    let table = xlsx_rows(&xlsx, "Danh mục nhiệm vụ");
    let header = table
        .iter()
        .position(|r| text(r.first()) == "TT")
        .expect("header");
    assert_eq!(text(table[header].get(6)), "Tiến độ đến tháng 11/2025");
    let annex_9 = table
        .iter()
        .find(|r| {
            matches!(r.first(), Some(Data::Float(n)) if *n == 9.0)
                && r.len() > 6
                && !text(r.get(1)).is_empty()
        })
        .expect("task 9");
    assert_eq!(text(annex_9.get(6)), "Đang thực hiện, 80% (quá hạn)");

    // Overdue rows are highlighted: their cells use a style whose fill is FCE4D6.
    assert!(overdue_rows_highlighted(
        &xlsx,
        "xl/worksheets/sheet4.xml",
        &[6, 10]
    ));

    let units = xlsx_rows(&xlsx, "Tiến độ theo đơn vị");
    let gddt = row_with(&units, 0, "Phòng Giáo dục và Đào tạo");
    let values: Vec<f64> = gddt[1..8].iter().map(number).collect();
    assert_eq!(values, [31.0, 29.0, 2.0, 0.0, 0.0, 0.0, 2.0]);
    assert_eq!(text(gddt.get(8)), "Có");
    let police = row_with(&units, 0, "Công an quận");
    assert_eq!(text(police.get(8)), "Chưa");
}

/// Whether the cells of the 1-based `overdue` rows (and not those of row 2) carry a style
/// whose fill is the overdue colour.
fn overdue_rows_highlighted(xlsx: &Path, sheet: &str, overdue: &[u32]) -> bool {
    let styles = zip_part(xlsx, "xl/styles.xml").expect("styles");
    let fills_xml = styles
        .split("<fills")
        .nth(1)
        .and_then(|s| s.split("</fills>").next())
        .unwrap_or("");
    let late_fill = fills_xml
        .split("<fill>")
        .skip(1)
        .position(|f| f.contains("FFFCE4D6"))
        .expect("overdue fill defined");
    let xfs_xml = styles
        .split("<cellXfs")
        .nth(1)
        .and_then(|s| s.split("</cellXfs>").next())
        .unwrap_or("");
    let late_styles: Vec<usize> = xfs_xml
        .split("<xf ")
        .skip(1)
        .enumerate()
        .filter(|(_, xf)| xf.contains(&format!("fillId=\"{late_fill}\"")))
        .map(|(i, _)| i)
        .collect();
    let sheet_xml = zip_part(xlsx, sheet).expect("sheet");
    let style_of_row = |row: u32| -> Vec<usize> {
        let marker = format!("<row r=\"{row}\"");
        sheet_xml
            .split(&marker)
            .nth(1)
            .and_then(|s| s.split("</row>").next())
            .unwrap_or("")
            .split(" s=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect()
    };
    let late = overdue.iter().all(|r| {
        style_of_row(*r).iter().all(|s| late_styles.contains(s)) && !style_of_row(*r).is_empty()
    });
    let on_time = style_of_row(2).iter().all(|s| !late_styles.contains(s));
    late && on_time
}

/// A small plan of the department whose tasks end around the turn of the year.
fn year_end_plan() -> SamplePlan {
    let task = |tt: u32, lead: &str, start: &str, end: &str| PlanTask {
        tt,
        task: format!("Nhiệm vụ thử số {tt}"),
        lead: lead.to_string(),
        partners: "Các phòng CMNV cơ quan Sở".to_string(),
        start: start.to_string(),
        end: end.to_string(),
        ..PlanTask::default()
    };
    SamplePlan {
        file: "Kế hoạch cuối năm.xlsx".into(),
        info: vec![
            ("Số, ký hiệu".into(), "215/KH-SGDĐT".into()),
            ("Ngày ban hành".into(), "15/10/2025".into()),
            ("Tên kế hoạch".into(), "Kế hoạch thử cuối năm".into()),
            ("Cơ quan ban hành".into(), "Sở GDĐT".into()),
        ],
        layout: Layout::Sections,
        tasks: vec![
            task(1, "Văn phòng", "10/2025", "11/2025"),
            task(2, "Văn phòng", "11/2025", "12/2025"),
            task(3, "Phòng TCCB", "12/2025", "01/2026"),
            task(4, "Phòng TCCB", "01/2026", "02/2026"),
            task(5, "Phòng KHTC", "03/2026", "06/2026"),
        ],
        source: PathBuf::from("year_end_plan"),
    }
}

fn progress(
    file: &str,
    unit: &str,
    period: &str,
    rows: &[(u32, &str, Option<f64>)],
) -> SampleProgress {
    SampleProgress {
        file: file.into(),
        info: vec![
            ("Mã đơn vị".into(), unit.into()),
            ("Kỳ báo cáo".into(), period.into()),
            ("Kế hoạch".into(), "Kế hoạch số 215/KH-SGDĐT".into()),
        ],
        rows: rows
            .iter()
            .map(|&(tt, status, percent)| ProgressRow {
                tt,
                status: status.into(),
                percent,
                ..ProgressRow::default()
            })
            .collect(),
        source: PathBuf::from(file),
    }
}

/// Runs `baocao plan` on the year-end plan with the given progress files for `period`.
fn year_end_run(
    reports: &[SampleProgress],
    period: &str,
) -> (tempfile::TempDir, RunResult, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input");
    std::fs::create_dir_all(&input).expect("mkdir");
    let plan = year_end_plan();
    let path = input.join(&plan.file);
    write_form_b(&plan, &path).expect("plan");
    for report in reports {
        write_form_c(report, &input.join(&report.file)).expect("progress");
    }
    let output = dir.path().join("output");
    let result = run_baocao(&[
        "plan",
        path.to_str().expect("utf-8"),
        "--output",
        output.to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
        "--period",
        period,
    ]);
    let files = files_in(&output);
    (dir, result, files)
}

fn due_groups(body: &str) -> Vec<String> {
    body.lines()
        .filter(|l| l.starts_with("Nhiệm vụ quá hạn (") || l.starts_with("Nhiệm vụ đến hạn trong"))
        .map(str::to_string)
        .collect()
}

#[test]
fn overdue_and_due_soon_across_the_year_boundary() {
    let december = progress(
        "VP-12.xlsx",
        "VP",
        "12/2025",
        &[
            (1, "Đang thực hiện", Some(70.0)),
            (2, "Đang thực hiện", Some(40.0)),
        ],
    );
    let (_dir, result, files) = year_end_run(std::slice::from_ref(&december), "2025-12");
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    let report = find(&files, "tien-do-", "-2025-12.docx").expect("December progress report");
    let (body, _) = docx_texts(&report);
    assert_eq!(
        due_groups(&body),
        [
            "Nhiệm vụ quá hạn (01)",
            "Nhiệm vụ đến hạn trong tháng 12/2025 (01)",
            "Nhiệm vụ đến hạn trong tháng 1/2026 (01)",
        ],
        "{body}"
    );
    assert!(body.contains("Đơn vị chủ trì chưa gửi báo cáo tiến độ (01): Phòng Tổ chức cán bộ."));

    // January: December's tasks are now overdue; February's are due next month. The office's
    // December report still gives tasks 1 and 2 their status.
    let january = progress(
        "TCCB-01.xlsx",
        "TCCB",
        "01/2026",
        &[(3, "Hoàn thành", Some(100.0))],
    );
    let (_dir, result, files) = year_end_run(&[december, january], "2026-01");
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    let report = find(&files, "tien-do-", "-2026-01.docx").expect("January progress report");
    let (body, _) = docx_texts(&report);
    assert_eq!(
        due_groups(&body),
        [
            "Nhiệm vụ quá hạn (02)",
            "Nhiệm vụ đến hạn trong tháng 2/2026 (01)"
        ],
        "task 3 is done, so nothing is due in January: {body}"
    );
    assert!(
        body.contains("Đang thực hiện (70%)\nBáo cáo tháng 12/2025"),
        "{body}"
    );
    let xlsx = find(&files, "phu-luc-", ".xlsx").expect("annex xlsx");
    let status = xlsx_rows(&xlsx, "Tình trạng 01-2026");
    let judged: Vec<String> = status[1..].iter().map(|r| text(r.get(8))).collect();
    assert_eq!(
        judged,
        [
            "Quá hạn",
            "Quá hạn",
            "Đã hoàn thành",
            "Đến hạn tháng sau",
            ""
        ]
    );
}

#[test]
fn bad_progress_rows_are_reported_at_their_cells() {
    let bad = progress(
        "VP-sai.xlsx",
        "VP",
        "12/2025",
        &[
            (9, "Hoàn thành", None),
            (3, "Hoàn thành", None),
            (1, "Sắp xong", None),
            (2, "Đang thực hiện", None),
        ],
    );
    let mut bad = bad;
    bad.rows[3].percent_text = "150%".into();
    let (_dir, result, files) = year_end_run(&[bad], "2025-12");
    assert_eq!(
        result.code, 2,
        "a rejected progress file: {}",
        result.stdout
    );
    for code in [
        "VP-sai.xlsx › Tiến độ › A2: Kế hoạch không có nhiệm vụ TT 9",
        "(tt-khong-co)",
        "Văn phòng không chủ trì nhiệm vụ TT 3",
        "(khong-chu-tri)",
        "VP-sai.xlsx › Tiến độ › B4: Trạng thái «Sắp xong» không thuộc danh sách",
        "(trang-thai-khong-hop-le)",
        "VP-sai.xlsx › Tiến độ › C5",
        "(ty-le-ngoai-khoang)",
    ] {
        assert!(
            result.stdout.contains(code),
            "stdout lacks «{code}»:\n{}",
            result.stdout
        );
    }
    assert!(
        find(&files, "phu-luc-", ".docx").is_some(),
        "the annex is still written"
    );
    assert!(
        find(&files, "tien-do-", ".docx").is_none(),
        "no report from a rejected file"
    );
}
