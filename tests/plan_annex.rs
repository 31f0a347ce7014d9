//! End to end: the seed 001 and seed 003 annexes (Form B workbooks written by
//! rust_xlsxwriter) go through the real binary, `baocao plan FILE` and `baocao run`, and the
//! DOCX (read back as XML) and XLSX (read back with calamine) hold the table the issue asks for.

#[path = "support/docx.rs"]
mod docx;
#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/form_b.rs"]
mod form_b;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use form_b::{load_plans, load_progress, write_form_b, write_form_c, SamplePlan};
use pipeline::*;

fn plans() -> Vec<SamplePlan> {
    load_plans(&repo().join("samples/plans")).expect("plan samples load")
}

fn seed(n: &str) -> SamplePlan {
    plans()
        .into_iter()
        .find(|p| {
            p.source
                .file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with(n))
        })
        .unwrap_or_else(|| panic!("no sample {n}"))
}

/// Runs `baocao plan` on a plan written into a fresh folder; returns the folder and the files.
fn plan_run(
    plan: &SamplePlan,
    period: Option<&str>,
) -> (tempfile::TempDir, RunResult, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input");
    std::fs::create_dir_all(&input).expect("mkdir");
    let path = input.join(&plan.file);
    write_form_b(plan, &path).expect("write plan");
    let output = dir.path().join("output");
    let mut args = vec![
        "plan".to_string(),
        path.display().to_string(),
        "--output".into(),
        output.display().to_string(),
        "--config".into(),
        repo().join("config/baocao.toml").display().to_string(),
    ];
    if let Some(period) = period {
        args.extend(["--period".to_string(), period.to_string()]);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = run_baocao(&refs);
    let mut files: Vec<PathBuf> = walk(&output);
    files.sort();
    (dir, result, files)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

fn with_ext(files: &[PathBuf], prefix: &str, ext: &str) -> PathBuf {
    files
        .iter()
        .find(|f| {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            name.starts_with(prefix) && name.ends_with(ext)
        })
        .unwrap_or_else(|| panic!("no {prefix}*{ext} among {files:?}"))
        .clone()
}

/// The rows of the first table with more than `min_cells` cells per row: each row's cells'
/// text, paragraphs joined by new lines, and the row's raw XML.
fn table_rows(xml: &str) -> Vec<(Vec<String>, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut rows = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut in_text = false;
    let mut depth = 0usize;
    let mut row_start = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.name().0 {
                "w:tbl" => depth += 1,
                "w:tr" => {
                    cells.clear();
                    row_start = before;
                }
                "w:tc" => cell.clear(),
                "w:t" => in_text = true,
                _ => {}
            },
            Ok(Event::End(e)) => match e.name().0 {
                "w:tbl" => depth -= 1,
                "w:t" => in_text = false,
                "w:p" => cell.push('\n'),
                "w:tc" => cells.push(cell.trim_end().to_string()),
                "w:tr" if depth == 1 => {
                    let end = reader.buffer_position() as usize;
                    rows.push((cells.clone(), xml[row_start..end].to_string()));
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => cell.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if in_text => {
                let entity: String = (*r).to_string();
                cell.push_str(match entity.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                });
            }
            Ok(Event::Eof) => break,
            Err(e) => panic!("XML does not parse: {e}"),
            _ => {}
        }
    }
    rows
}

/// The annex table's rows from a DOCX (the only bordered table there).
fn annex_rows(docx: &Path) -> Vec<(Vec<String>, String)> {
    let document = zip_part(docx, "word/document.xml").expect("document.xml");
    table_rows(&document)
}

/// The task numbers of the task rows, in order (rows whose first cell is a number, below the
/// header and the row numbering the columns).
fn task_numbers(rows: &[(Vec<String>, String)], header_rows: usize) -> Vec<u32> {
    rows[header_rows..]
        .iter()
        .filter_map(|(cells, _)| {
            if cells.len() < 3 {
                return None;
            }
            cells[0].parse().ok()
        })
        .collect()
}

#[test]
fn seed_003_annex_docx_is_landscape_with_header_rows_on_every_page_and_every_task_once() {
    let plan = seed("003");
    let (_dir, result, files) = plan_run(&plan, None);
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    let docx = with_ext(&files, "phu-luc-", ".docx");
    let document = zip_part(&docx, "word/document.xml").expect("document.xml");

    // Landscape A4: orient attribute, width > height.
    assert!(
        document.contains(r#"w:orient="landscape""#),
        "landscape section"
    );
    let pg = document
        .split("<w:pgSz ")
        .nth(1)
        .and_then(|s| s.split("/>").next())
        .expect("pgSz");
    let attr = |name: &str| -> u32 {
        pg.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {pg}"))
    };
    assert!(attr("w:w") > attr("w:h"), "width > height: {pg}");
    assert_eq!((attr("w:w"), attr("w:h")), (16838, 11906));

    let rows = annex_rows(&docx);
    // Two header rows (`Thời gian thực hiện` over `Bắt đầu | Hoàn thành`) and the numbering row.
    for (i, (_, xml)) in rows.iter().enumerate() {
        assert_eq!(
            has_tag(xml, "w:tblHeader"),
            i < 3,
            "row {i}: header rows and only they repeat"
        );
        assert!(
            has_tag(xml, "w:cantSplit"),
            "row {i} may split across pages"
        );
    }
    assert_eq!(rows[0].0[4], "Thời gian thực hiện");
    assert!(rows[0].1.contains(r#"<w:gridSpan w:val="2""#));
    assert_eq!(rows[1].0[4..], ["Bắt đầu", "Hoàn thành"]);
    assert_eq!(rows[2].0, ["1", "2", "3", "4", "5", "6"]);
    assert_eq!(
        rows[0].0[..4],
        ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp"]
    );

    // Every task of the input exactly once, in order.
    assert_eq!(task_numbers(&rows, 3), (1..=41).collect::<Vec<u32>>());
    let body = paragraph_text(&document);
    for task in &plan.tasks {
        assert_eq!(
            body.matches(task.task.as_str()).count(),
            1,
            "task {} appears once",
            task.tt
        );
    }
    // Several lead units one per line; months as written.
    let task_40 = rows[3..]
        .iter()
        .find(|(c, _)| c[0] == "40")
        .expect("task 40");
    assert_eq!(task_40.0[2], "- Phòng Giáo dục và Đào tạo;\n- Nội vụ");
    let task_25 = rows[3..]
        .iter()
        .find(|(c, _)| c[0] == "25")
        .expect("task 25");
    assert_eq!(task_25.0[4], "Tháng 12/2024; T5/2025");
    assert!(body.contains(
        "PHÂN CÔNG NHIỆM VỤ CHO CÁC PHÒNG, BAN, ĐƠN VỊ, ĐỊA PHƯƠNG THỰC HIỆN NHIỆM VỤ NĂM HỌC 2024-2025"
    ));
    assert!(body.contains("(Kèm theo Kế hoạch số        /KH-UBND của UBND quận Hải An)"));
    // The attachment line is in the reference's «Kèm theo» style, which is italic.
    let styles = zip_part(&docx, "word/styles.xml").expect("styles.xml");
    let attachment = docx::style_id(&styles, "Kèm theo").expect("«Kèm theo» style");
    assert!(docx::style_element(&styles, &attachment)
        .expect("style")
        .contains("<w:i/>"));
    assert!(docx::paragraphs(&document).iter().any(|p| {
        p.style.as_deref() == Some(attachment.as_str()) && p.text.starts_with("(Kèm theo Kế hoạch")
    }));
}

#[test]
fn seed_001_annex_docx_has_sections_spanning_the_table() {
    let plan = seed("001");
    let (_dir, result, files) = plan_run(&plan, None);
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    let docx = with_ext(&files, "phu-luc-", ".docx");
    let rows = annex_rows(&docx);
    assert_eq!(
        rows[0].0,
        [
            "TT",
            "Nhiệm vụ",
            "Đơn vị chủ trì",
            "Đơn vị phối hợp",
            "Kết quả / Sản phẩm",
            "Thời gian thực hiện"
        ]
    );
    assert_eq!(rows[1].0, ["1", "2", "3", "4", "5", "6"]);
    assert!(rows[..2].iter().all(|(_, xml)| has_tag(xml, "w:tblHeader")));
    assert!(rows[2..]
        .iter()
        .all(|(_, xml)| !has_tag(xml, "w:tblHeader")));
    assert!(rows.iter().all(|(_, xml)| has_tag(xml, "w:cantSplit")));

    // Eight section rows, each one cell spanning the six columns, in bold.
    let sections: Vec<&(Vec<String>, String)> = rows
        .iter()
        .filter(|(_, xml)| xml.contains(r#"<w:gridSpan w:val="6""#))
        .collect();
    let headings: Vec<&str> = sections.iter().map(|(c, _)| c[0].as_str()).collect();
    assert_eq!(headings.len(), 8, "{headings:?}");
    assert!(headings[0].starts_with("I. Nâng cao chất lượng giáo dục và đào tạo"));
    assert_eq!(
        headings[7],
        "VIII. Quản lý nhà nước về giáo dục nghề nghiệp"
    );
    let styles = zip_part(&docx, "word/styles.xml").expect("styles.xml");
    let section_style = docx::style_id(&styles, "Bảng - dòng mục").expect("section row style");
    assert!(docx::style_element(&styles, &section_style)
        .expect("style")
        .contains("<w:b/>"));
    assert!(sections
        .iter()
        .all(|(c, xml)| c.len() == 1
            && xml.contains(&format!("<w:pStyle w:val=\"{section_style}\"/>"))));

    assert_eq!(task_numbers(&rows, 2), (1..=14).collect::<Vec<u32>>());
    let task = |n: &str| rows[2..].iter().find(|(c, _)| c[0] == n).expect("task row");
    assert_eq!(
        task("1").0[2],
        "- Phòng GDTrH;\n- Phòng GDMN&GDTH;\n- Phòng GDTX, GDNN&ĐH"
    );
    assert_eq!(task("4").0[2], "Văn phòng");
    assert_eq!(task("14").0[2], "Phòng GDTX, GDNN&ĐH");
    assert_eq!(task("13").0[5], "Triển khai khi có văn bản chỉ đạo");
    // Section order: task 4 comes right after section II.
    let position =
        |pred: &dyn Fn(&Vec<String>) -> bool| rows.iter().position(|(c, _)| pred(c)).expect("row");
    assert_eq!(
        position(&|c| c[0] == "4"),
        position(&|c| c[0].starts_with("II. ")) + 1
    );
    let body = paragraph_text(&zip_part(&docx, "word/document.xml").expect("xml"));
    assert!(body.contains("DANH MỤC CÁC NHIỆM VỤ"));
    assert!(body.contains("Thực hiện Kế hoạch số 354/KH-UBND ngày 30/12/2025 của UBND thành phố"));
    assert!(body.contains(
        "(Kèm theo Kế hoạch số        /KH-SGDĐT ngày      tháng 01 năm 2026 của Sở GD&ĐT)"
    ));
}

/// Whether a row's XML holds an empty element (`<w:tblHeader/>`, or with a space before
/// the slash as other writers put it).
fn has_tag(xml: &str, tag: &str) -> bool {
    xml.contains(&format!("<{tag}/>")) || xml.contains(&format!("<{tag} />"))
}

fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    xlsx_rows(path, sheet)
}

fn text(cell: Option<&Data>) -> String {
    cell.map(|c| c.to_string()).unwrap_or_default()
}

#[test]
fn seed_001_annex_xlsx_reads_back_with_sections_merged_and_units_grouped() {
    let plan = seed("001");
    let (_dir, _, files) = plan_run(&plan, None);
    let xlsx = with_ext(&files, "phu-luc-", ".xlsx");

    let rows = sheet_rows(&xlsx, "Danh mục nhiệm vụ");
    let numbers: Vec<u32> = rows
        .iter()
        .filter(|r| matches!(r.first(), Some(Data::Float(_)) | Some(Data::Int(_))))
        .filter(|r| !matches!(r.get(1), Some(Data::Float(_))))
        .map(|r| number(&r[0]) as u32)
        .collect();
    assert_eq!(
        numbers,
        (1..=14).collect::<Vec<u32>>(),
        "every task once, in order"
    );
    let header = rows
        .iter()
        .position(|r| text(r.first()) == "TT")
        .expect("header row");
    assert_eq!(text(rows[header].get(4)), "Kết quả / Sản phẩm");
    assert_eq!(number(&rows[header + 1][5]), 6.0, "numbering row");
    let section_row = rows
        .iter()
        .position(|r| text(r.first()).starts_with("II. "))
        .expect("section II");

    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("opens");
    let merged = book
        .merge_cells_by_sheet_name("Danh mục nhiệm vụ")
        .expect("merged regions");
    let range_start = book
        .worksheet_range("Danh mục nhiệm vụ")
        .expect("sheet")
        .start()
        .map_or(0, |(r, _)| r);
    let absolute = section_row as u32 + range_start;
    assert!(
        merged
            .iter()
            .any(|d| d.start == (absolute, 0) && d.end == (absolute, 5)),
        "section row merged across the six columns: {merged:?}"
    );

    // Print set-up, frozen header, autofilter, repeated header rows.
    let sheet_xml = zip_part(&xlsx, "xl/worksheets/sheet1.xml").expect("sheet1");
    for expected in [
        r#"orientation="landscape""#,
        r#"paperSize="9""#,
        r#"fitToHeight="0""#,
        "<autoFilter ",
        r#"state="frozen""#,
        r#"fitToPage="1""#,
    ] {
        assert!(sheet_xml.contains(expected), "sheet1 lacks {expected}");
    }
    let workbook_xml = zip_part(&xlsx, "xl/workbook.xml").expect("workbook.xml");
    assert!(
        workbook_xml.contains("_xlnm.Print_Titles"),
        "header rows repeat when printed"
    );

    // By lead unit: task 1 appears under each of its three lead units.
    let by_lead = sheet_rows(&xlsx, "Theo đơn vị chủ trì");
    let under = |unit: &str| -> Vec<u32> {
        by_lead
            .iter()
            .filter(|r| text(r.first()) == unit)
            .map(|r| number(&r[1]) as u32)
            .collect()
    };
    assert_eq!(under("Phòng Giáo dục trung học"), [1, 2, 3]);
    assert_eq!(
        under("Phòng Giáo dục thường xuyên, giáo dục nghề nghiệp và đại học"),
        [1, 2, 3, 14]
    );
    assert_eq!(under("Phòng Tổ chức cán bộ"), [9, 10, 11, 12, 13]);
    assert_eq!(under("Văn phòng"), [4, 5, 6]);

    // Counts per unit as lead and as coordinator; unconfigured text kept as written.
    let counts = sheet_rows(&xlsx, "Thống kê đơn vị");
    let row = |label: &str| {
        counts
            .iter()
            .find(|r| text(r.get(1)) == label)
            .unwrap_or_else(|| panic!("no row {label}"))
            .clone()
    };
    let qlcl = row("Phòng Quản lý chất lượng");
    assert_eq!(text(qlcl.get(2)), "QLCL");
    assert_eq!((number(&qlcl[3]), number(&qlcl[4])), (1.0, 0.0));
    let khtc = row("Phòng Kế hoạch tài chính");
    assert_eq!(number(&khtc[3]), 2.0);
    let others = row("Các sở, ngành, đơn vị, địa phương liên quan");
    assert_eq!(text(others.get(2)), "");
    // Tasks 1-6, 9-11, 13 and 14.
    assert_eq!((number(&others[3]), number(&others[4])), (0.0, 11.0));
    let cmnv = row("Các phòng CMNV cơ quan Sở");
    assert_eq!(number(&cmnv[4]), 14.0);
    let first_unconfigured = counts
        .iter()
        .position(|r| text(r.get(2)).is_empty() && text(r.get(1)) != "Đơn vị")
        .expect("unconfigured rows");
    assert!(
        counts[1..first_unconfigured]
            .iter()
            .all(|r| !text(r.get(2)).is_empty()),
        "configured units first"
    );
}

#[test]
fn seed_003_annex_xlsx_groups_unconfigured_units_as_written() {
    let plan = seed("003");
    let (_dir, _, files) = plan_run(&plan, None);
    let xlsx = with_ext(&files, "phu-luc-", ".xlsx");
    let rows = sheet_rows(&xlsx, "Danh mục nhiệm vụ");
    let header = rows
        .iter()
        .position(|r| text(r.first()) == "TT")
        .expect("header");
    assert_eq!(text(rows[header].get(4)), "Thời gian thực hiện");
    assert_eq!(text(rows[header + 1].get(4)), "Bắt đầu");
    assert_eq!(text(rows[header + 1].get(5)), "Hoàn thành");
    let tasks: Vec<u32> = rows[header + 3..]
        .iter()
        .map(|r| number(&r[0]) as u32)
        .collect();
    assert_eq!(tasks, (1..=41).collect::<Vec<u32>>());

    let by_lead = sheet_rows(&xlsx, "Theo đơn vị chủ trì");
    let units_of = |tt: f64| -> Vec<String> {
        by_lead
            .iter()
            .filter(|r| matches!(r.get(1), Some(Data::Float(n)) if *n == tt))
            .map(|r| text(r.first()))
            .collect()
    };
    assert_eq!(
        units_of(11.0),
        ["Phòng Giáo dục và Đào tạo", "Ủy ban nhân dân các phường"],
        "a task with two lead units appears under both"
    );
    // Groups in order of first appearance: Phòng Nội vụ leads task 2, before Phòng GDĐT's 3.
    assert_eq!(
        units_of(40.0),
        ["Phòng Nội vụ", "Phòng Giáo dục và Đào tạo"]
    );
    let counts = sheet_rows(&xlsx, "Thống kê đơn vị");
    let led = |label: &str| {
        counts
            .iter()
            .find(|r| text(r.get(1)) == label)
            .map(|r| number(&r[3]))
            .unwrap_or_else(|| panic!("no {label}"))
    };
    assert_eq!(led("Phòng Giáo dục và Đào tạo"), 31.0);
    assert_eq!(led("Phòng Nội vụ"), 4.0);
    assert_eq!(led("Phòng Tài chính - Kế hoạch"), 2.0);
}

#[test]
fn run_renders_every_plan_beside_the_monthly_report() {
    let workspace = Workspace::with(&november_samples());
    for plan in plans() {
        write_form_b(&plan, &workspace.input().join(&plan.file)).expect("write plan");
    }
    let result = workspace.run("run");
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    assert!(result.stdout.contains("Lỗi: 0"), "{}", result.stdout);
    let folder = workspace.output().join("2025-11");
    let files = walk(&folder);
    let annexes: Vec<&PathBuf> = files
        .iter()
        .filter(|f| f.to_string_lossy().contains("phu-luc-"))
        .collect();
    assert_eq!(
        annexes.len(),
        4,
        "DOCX and XLSX for each of the two plans: {files:?}"
    );
    assert!(
        workspace.docx().exists(),
        "the monthly report is still written"
    );
    assert!(
        !files
            .iter()
            .any(|f| f.to_string_lossy().contains("tien-do-")),
        "no progress report without progress files"
    );
}

#[test]
fn a_broken_plan_is_reported_at_its_cells_and_not_rendered() {
    let mut plan = seed("001");
    plan.tasks[1].lead.clear();
    plan.tasks[2].tt = 1;
    let (_dir, result, files) = plan_run(&plan, None);
    assert_eq!(result.code, 1, "{}", result.stdout);
    assert!(
        result.stdout.contains("(thieu-chu-tri)"),
        "{}",
        result.stdout
    );
    assert!(result.stdout.contains("(trung-tt)"), "{}", result.stdout);
    assert!(
        result.stdout.contains("› Nhiệm vụ › D"),
        "the message names the cell: {}",
        result.stdout
    );
    assert!(files.is_empty(), "nothing written: {files:?}");
}

#[test]
fn the_annex_is_the_same_bytes_twice() {
    let plan = seed("003");
    let (_a, _, first) = plan_run(&plan, None);
    let (_b, _, second) = plan_run(&plan, None);
    for ext in [".docx", ".xlsx"] {
        let a = std::fs::read(with_ext(&first, "phu-luc-", ext)).expect("first");
        let b = std::fs::read(with_ext(&second, "phu-luc-", ext)).expect("second");
        assert!(a == b, "{ext} differs between two runs");
    }
}

#[test]
fn libreoffice_converts_both_annexes() {
    if std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("soffice not installed: conversion check skipped");
        return;
    }
    for n in ["001", "003"] {
        let (dir, _, files) = plan_run(&seed(n), None);
        for ext in [".docx", ".xlsx"] {
            let source = with_ext(&files, "phu-luc-", ext);
            let out = dir.path().join("pdf");
            let status = std::process::Command::new("soffice")
                .args(["--headless", "--convert-to", "pdf", "--outdir"])
                .arg(&out)
                .arg(&source)
                .env("HOME", dir.path())
                .output()
                .expect("soffice runs");
            assert!(
                status.status.success(),
                "{}",
                String::from_utf8_lossy(&status.stderr)
            );
            let stem = source
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .to_string();
            let pdf = std::fs::read(out.join(format!("{stem}.pdf"))).expect("PDF written");
            assert!(pdf.starts_with(b"%PDF") && pdf.len() > 10_000, "{n}{ext}");
        }
    }
}

#[test]
fn progress_samples_are_for_the_seed_003_plan() {
    let reports = load_progress(&repo().join("samples/plans/tien-do")).expect("progress samples");
    assert_eq!(reports.len(), 3);
    let plan = seed("003");
    let dir = tempfile::tempdir().expect("temp");
    for report in &reports {
        write_form_c(report, &dir.path().join(&report.file)).expect("write");
        for row in &report.rows {
            assert!(
                plan.tasks.iter().any(|t| t.tt == row.tt),
                "task {} exists",
                row.tt
            );
        }
    }
}
