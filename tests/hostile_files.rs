//! Whatever lands in the input folder, the run survives: crafted workbooks that abort
//! calamine outright, zip bombs and oversized sheets are refused with a message, and the other
//! submissions still make the report.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::io::{Read, Write};
use std::path::Path;

use pipeline::*;

/// Copies an xlsx package, replacing the content of some parts.
fn rewrite_package(source: &Path, target: &Path, edit: impl Fn(&str, String) -> String) {
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(source).expect("open")).expect("zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(target).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry");
        let name = entry.name().expect("utf-8 name").to_string();
        let mut content = String::new();
        entry.read_to_string(&mut content).expect("text part");
        writer.start_file(name.clone(), options).expect("start");
        writer
            .write_all(edit(&name, content).as_bytes())
            .expect("write");
    }
    writer.finish().expect("finish");
}

fn hostile_run(make: impl Fn(&Path, &Path)) -> (Workspace, RunResult) {
    let mut samples = november_samples();
    let victim = sample_of(&mut samples, "KHTC").clone();
    samples.retain(|s| s.file != victim.file);
    let workspace = Workspace::with(&samples);
    let clean = workspace.dir.path().join("clean.xlsx");
    form_a::write_form_a(&victim, &clean).expect("write");
    make(&clean, &workspace.input().join("KHTC.xlsx"));
    let result = workspace.run("run");
    (workspace, result)
}

fn assert_survived(workspace: &Workspace, result: &RunResult, expected: &str) {
    assert_eq!(
        result.code, 2,
        "the run goes on and reports the rejection: {}\n{}",
        result.stdout, result.stderr
    );
    assert!(
        result.stdout.contains(expected),
        "missing «{expected}» in:\n{}",
        result.stdout
    );
    let (body, _) = docx_texts(&workspace.docx());
    assert!(
        body.contains("Tiếp nhận, xử lý 230 văn bản (6,3%)"),
        "the other submissions still count"
    );
}

#[test]
fn a_shared_strings_count_of_four_billion_is_refused() {
    let (workspace, result) = hostile_run(|clean, target| {
        rewrite_package(clean, target, |name, content| {
            if name == "xl/sharedStrings.xml" {
                let start =
                    content.find("uniqueCount=\"").expect("attribute") + "uniqueCount=\"".len();
                let end = start + content[start..].find('"').expect("closing quote");
                format!("{}4000000000{}", &content[..start], &content[end..])
            } else {
                content
            }
        })
    });
    assert_survived(
        &workspace,
        &result,
        "[Lỗi] KHTC.xlsx: Bảng chuỗi dùng chung khai báo 4000000000 chuỗi",
    );
}

#[test]
fn a_cell_at_xfd1048576_is_refused() {
    let (workspace, result) = hostile_run(|clean, target| {
        rewrite_package(clean, target, |name, content| {
            if name == "xl/worksheets/sheet2.xml" {
                content.replace(
                    "</sheetData>",
                    r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#,
                )
            } else {
                content
            }
        })
    });
    assert_survived(
        &workspace,
        &result,
        // The tab as the clerk sees it, not the XML part («sheet2»).
        "KHTC.xlsx: Trang «Số liệu» trải trên 1048576 dòng, vượt giới hạn 100000 dòng",
    );
}

#[test]
fn a_zip_bomb_is_refused() {
    let (workspace, result) = hostile_run(|clean, target| {
        rewrite_package(clean, target, |name, content| {
            if name == "xl/worksheets/sheet2.xml" {
                // 300 MB of whitespace inside the sheet: about 300 KB compressed.
                let padding = " ".repeat(300 * 1024 * 1024);
                content.replace("<sheetData>", &format!("{padding}<sheetData>"))
            } else {
                content
            }
        })
    });
    assert_survived(
        &workspace,
        &result,
        "KHTC.xlsx: Tệp nén bất thường: khi giải nén vượt quá 200 MB",
    );
}

#[test]
fn an_oversized_sheet_is_refused() {
    let (workspace, result) = hostile_run(|clean, target| {
        rewrite_package(clean, target, |name, content| {
            if name == "xl/worksheets/sheet2.xml" {
                let rows: String = (200_001..=200_003)
                    .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>1</v></c></row>"#))
                    .collect();
                content.replace("</sheetData>", &format!("{rows}</sheetData>"))
            } else {
                content
            }
        })
    });
    assert_survived(&workspace, &result, "vượt giới hạn 100000 dòng");
}

#[test]
fn a_truncated_workbook_is_refused() {
    let (workspace, result) = hostile_run(|clean, target| {
        let bytes = std::fs::read(clean).expect("read");
        std::fs::write(target, &bytes[..bytes.len() / 2]).expect("write");
    });
    assert_survived(&workspace, &result, "[Lỗi] KHTC.xlsx: Tệp");
}

#[test]
fn a_workbook_renamed_from_another_format_still_reads() {
    let (workspace, result) = hostile_run(|clean, target| {
        std::fs::copy(clean, target.with_extension("xls")).expect("copy");
    });
    assert_eq!(
        result.code, 0,
        "content decides the format, not the name: {}",
        result.stdout
    );
    assert!(workspace.input().join("KHTC.xls").exists());
}

#[test]
fn a_password_protected_workbook_is_named_as_such() {
    // tests/fixtures/mat-khau.xlsx: the KHTC sample encrypted by msoffcrypto-tool (see
    // tests/fixtures/make_encrypted.py), as Excel writes "Encrypt with password".
    let (workspace, result) = hostile_run(|_clean, target| {
        std::fs::copy(repo().join("tests/fixtures/mat-khau.xlsx"), target).expect("copy fixture");
    });
    assert_survived(
        &workspace,
        &result,
        "[Lỗi] KHTC.xlsx: Tệp được đặt mật khẩu, không đọc được",
    );
}
