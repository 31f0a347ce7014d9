//! The reader on real files of every format: the fixtures in `tests/fixtures/formats/` were
//! made by LibreOffice from the project's own workbooks (`make.sh` there holds the commands).
//! Each format reads cell for cell like the .xlsx it came from, and the November report is the
//! same whether the eight submissions arrive as .xlsx, .xls, .ods, or retyped the messy way.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/legacy.rs"]
mod legacy;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use baocao::ingest::{read_workbook, CellValue, Limits, Workbook};
use baocao::text::legacy::{is_abbreviation, is_syllable, read_as, Encoding};
use baocao::validate::cells::{datetime, whole_number};
use baocao::validate::message::Location;
use chrono::{NaiveDate, NaiveDateTime};
use form_a::{write_form_a, SampleSubmission};
use pipeline::*;

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/formats")
}

fn read(path: &Path) -> Workbook {
    read_workbook(path, &Limits::default())
        .unwrap_or_else(|e| panic!("{} does not read: {e}", path.display()))
}

fn at(date: (i32, u32, u32), time: (u32, u32, u32)) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(date.0, date.1, date.2)
        .and_then(|d| d.and_hms_opt(time.0, time.1, time.2))
        .expect("valid test date")
}

fn text(s: &str) -> CellValue {
    CellValue::Text(s.into())
}

/// Every sheet as a grid of cells, blank cells as `Empty`, without trailing blanks: what
/// validation can see of a workbook.
fn grid(book: &Workbook) -> Vec<(String, Vec<Vec<CellValue>>)> {
    book.sheets
        .iter()
        .map(|sheet| {
            let mut rows: Vec<Vec<CellValue>> = (0..sheet.row_count())
                .map(|r| {
                    let mut cells: Vec<CellValue> = (0..sheet.row_len(r))
                        .map(|c| match sheet.cell(r, c) {
                            cell if cell.is_blank() => CellValue::Empty,
                            cell => cell.clone(),
                        })
                        .collect();
                    while cells.last() == Some(&CellValue::Empty) {
                        cells.pop();
                    }
                    cells
                })
                .collect();
            while rows.last().is_some_and(Vec::is_empty) {
                rows.pop();
            }
            (sheet.name.clone(), rows)
        })
        .collect()
}

fn sample(code: &str) -> SampleSubmission {
    let mut samples = november_samples();
    sample_of(&mut samples, code).clone()
}

#[test]
fn xls_ods_and_xlsm_read_cell_for_cell_like_the_xlsx_they_came_from() {
    let dir = tempfile::tempdir().expect("temp dir");
    for code in ["GDTrH", "QLCL"] {
        let original = dir.path().join(format!("{code}.xlsx"));
        write_form_a(&sample(code), &original).expect("write xlsx");
        let expected = grid(&read(&original));
        assert!(expected.len() >= 4, "{code}: the sample has its sheets");
        for converted in [
            fixtures().join(format!("xls/{code}.xls")),
            fixtures().join(format!("ods/{code}.ods")),
            fixtures().join(format!("xlsm/{code}.xlsm")),
        ] {
            let found = grid(&read(&converted));
            assert_eq!(found.len(), expected.len(), "{}", converted.display());
            for ((name, rows), (expected_name, expected_rows)) in found.iter().zip(&expected) {
                assert_eq!(name, expected_name, "{}", converted.display());
                assert_eq!(rows, expected_rows, "{} › {name}", converted.display());
            }
        }
    }
}

#[test]
fn the_banner_merged_over_the_figures_header_fills_its_range_in_every_format() {
    for file in ["xls/KHTC.xls", "ods/KHTC.ods", "xlsm/GDTrH.xlsm"] {
        let book = read(&fixtures().join(file));
        let sheet = book.sheet("Số liệu").expect("Số liệu");
        let banner = sheet.cell(0, 0).clone();
        assert!(
            matches!(&banner, CellValue::Text(t) if t.starts_with("BÁO CÁO SỐ LIỆU THÁNG")),
            "{file}: {banner:?}"
        );
        for col in 1..5 {
            assert_eq!(sheet.cell(0, col), &banner, "{file} column {col}");
        }
    }
}

/// `features.fods` → .xlsx, .xls, .ods by LibreOffice: the same cells in every format.
#[test]
fn merged_cells_formulas_dates_and_legacy_text_read_alike_in_every_format() {
    for format in ["xlsx", "xls", "ods"] {
        let file = format!("features.{format}");
        let book = read(&fixtures().join(&file));
        let sheet = book
            .sheet("Ket qua")
            .expect("sheet found by its folded name");
        let banner = text("BÁO CÁO THÁNG 11/2025");
        let expected: [(usize, usize, CellValue); 16] = [
            (0, 0, banner.clone()),
            (0, 4, banner.clone()),
            (1, 1, text("Lĩnh vực")),
            (2, 1, text("Giáo dục thường xuyên")),
            // B4 lies under the merged B3:B4: the value applies to it too.
            (3, 1, text("Giáo dục thường xuyên")),
            // Formulas read as their cached values; an error as a cell error.
            (2, 3, CellValue::Number(230.0)),
            (3, 3, CellValue::Error("#DIV/0!".into())),
            (4, 3, CellValue::Number(460.0)),
            (2, 4, CellValue::DateTime(at((2025, 11, 30), (0, 0, 0)))),
            (3, 4, CellValue::DateTime(at((2025, 11, 7), (13, 39, 0)))),
            (4, 4, text("ngày 30 tháng 11 năm 2025")),
            // TCVN3 in C6, VNI in C7: Unicode on reading.
            (5, 2, text("Phòng Giáo dục trung học")),
            (6, 2, text("Phòng Giáo dục trung học")),
            (5, 3, text("1.231")),
            (6, 3, text("93,2%")),
            (6, 4, text("07-11-2025 13:39:00")),
        ];
        for (row, col, value) in expected {
            assert_eq!(
                sheet.cell(row, col),
                &value,
                "{file} {}",
                sheet.address(row, col)
            );
        }
        let conversions: Vec<(Option<&str>, Encoding, &str)> = book
            .conversions()
            .map(|(_, c)| (c.cell.as_deref(), c.encoding, c.original.as_str()))
            .collect();
        assert_eq!(
            conversions,
            [
                (Some("C6"), Encoding::Tcvn3, "Phßng Gi¸o dôc trung häc"),
                (Some("C7"), Encoding::Vni, "Phoøng Giaùo duïc trung hoïc"),
            ],
            "{file}"
        );
    }
}

/// What validation makes of those cells, with its message at file › sheet › cell.
#[test]
fn feature_cells_validate_to_values_or_to_messages_at_their_cells() {
    let book = read(&fixtures().join("features.ods"));
    let sheet = book.sheet("Kết quả").expect("sheet");
    let place = |cell: &str| Location::cell("features.ods", "Kết quả", cell);
    assert_eq!(
        whole_number(sheet.cell(2, 3), || place("D3"), || "Giá trị".into()),
        Ok(230)
    );
    assert_eq!(
        whole_number(sheet.cell(5, 3), || place("D6"), || "Giá trị".into()),
        Ok(1231)
    );
    let error =
        whole_number(sheet.cell(3, 3), || place("D4"), || "Giá trị".into()).expect_err("#DIV/0!");
    assert_eq!(error.code, "loi-cong-thuc");
    assert_eq!(
        error.to_string(),
        "[Lỗi] features.ods › Kết quả › D4: Ô có lỗi công thức #DIV/0!; hãy sửa công thức hoặc nhập giá trị (loi-cong-thuc)"
    );
    for (row, expected) in [
        (2, at((2025, 11, 30), (0, 0, 0))),
        (3, at((2025, 11, 7), (13, 39, 0))),
        (4, at((2025, 11, 30), (0, 0, 0))),
        (5, at((2025, 11, 30), (0, 0, 0))),
        (6, at((2025, 11, 7), (13, 39, 0))),
    ] {
        let cell = sheet.address(row, 4);
        assert_eq!(
            datetime(sheet.cell(row, 4), place(&cell), "Ngày"),
            Ok(Some(expected)),
            "{cell}"
        );
    }
}

/// Rewrites one part of a zip package.
fn patch_zip(path: &Path, part: &str, edit: impl Fn(String) -> String) {
    let bytes = std::fs::read(path).expect("read package");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("entry reads");
        if name == part {
            content = edit(String::from_utf8(content).expect("xml is utf-8")).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start entry");
        out.write_all(&content).expect("write entry");
    }
    let written = out.finish().expect("finish zip").into_inner();
    std::fs::write(path, written).expect("write package");
}

/// Excel for Mac used to save with the 1904 date system: serials count from 1 January 1904.
/// LibreOffice cannot write such a file, so the flag is set in a workbook's `workbook.xml`.
#[test]
fn a_1904_workbook_reads_its_date_cells_in_its_own_date_system() {
    use rust_xlsxwriter::{Format, Workbook as Writer};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("1904.xlsx");
    let mut writer = Writer::new();
    let sheet = writer.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let date_time = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
    // 30/11/2025 is serial 45991 in the 1900 system and 45991 − 1462 in the 1904 system.
    sheet
        .write_number_with_format(0, 0, 44529.0, &date)
        .expect("write");
    sheet
        .write_number_with_format(1, 0, 44506.56875, &date_time)
        .expect("write");
    writer.save(&path).expect("save");
    let as_1900 = read(&path);
    assert_eq!(
        as_1900.sheets[0].cell(0, 0),
        &CellValue::DateTime(at((2021, 11, 29), (0, 0, 0))),
        "without the flag the serial counts from 1900"
    );
    patch_zip(&path, "xl/workbook.xml", |xml| {
        assert!(xml.contains("<workbookPr"), "{xml}");
        xml.replacen("<workbookPr", r#"<workbookPr date1904="1""#, 1)
    });
    let book = read(&path);
    assert_eq!(
        book.sheets[0].cell(0, 0),
        &CellValue::DateTime(at((2025, 11, 30), (0, 0, 0)))
    );
    assert_eq!(
        book.sheets[0].cell(1, 0),
        &CellValue::DateTime(at((2025, 11, 7), (13, 39, 0)))
    );
}

/// True when every word of `text` is already a Vietnamese syllable or plain ASCII (VNI
/// `hoà sô` for `hồ sơ`): such text cannot be told from Unicode and is left as typed.
fn reads_as_unicode(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .all(|w| w.is_ascii() || is_syllable(w) || is_abbreviation(w))
}

/// Every text of the samples (names, tasks, paragraphs, footnotes) typed in TCVN3 and in VNI
/// reads back as the Unicode it was, except text those encodings cannot hold (curly quotes).
#[test]
fn every_sample_text_survives_tcvn3_and_vni() {
    let mut checked = 0;
    let mut ambiguous = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for sample in november_samples() {
        for original in legacy::texts_of(&sample) {
            for encoding in [Encoding::Tcvn3, Encoding::Vni] {
                let Some(typed) = legacy::encode(&original, encoding) else {
                    continue;
                };
                if typed == original {
                    continue;
                }
                checked += 1;
                let other = match encoding {
                    Encoding::Tcvn3 => Encoding::Vni,
                    Encoding::Vni => Encoding::Tcvn3,
                };
                match baocao::text::legacy::detect(&typed) {
                    Some((found, converted)) if found == encoding && converted == original => {}
                    // Reads both ways, or reads as Unicode already: left as typed.
                    None if read_as(&typed, other).is_some() || reads_as_unicode(&typed) => {
                        ambiguous.insert(typed);
                    }
                    found => failures.push(format!("{encoding:?} «{typed}» → {found:?}")),
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} texts checked");
    // Only VNI `hoà sô` (`hồ sơ`, a measure) is also two valid Unicode syllables as typed.
    assert_eq!(
        ambiguous.into_iter().collect::<Vec<_>>(),
        ["hoà sô"],
        "left as typed"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A run of the binary on a folder of workbooks: the report's text, and the run's output.
fn report_of(workspace: &Workspace) -> ((String, String), RunResult) {
    let result = workspace.run("run");
    assert_eq!(
        result.code, 0,
        "stdout: {}\nstderr: {}",
        result.stdout, result.stderr
    );
    assert!(result.stdout.contains("chấp nhận: 8"), "{}", result.stdout);
    (docx_texts(&workspace.docx()), result)
}

fn baseline() -> (String, String) {
    report_of(&Workspace::with(&november_samples())).0
}

fn workspace_of(dir: &str, extension: &str) -> Workspace {
    let workspace = Workspace::with(&[]);
    let mut copied = 0;
    for entry in std::fs::read_dir(fixtures().join(dir)).expect("fixture folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == extension) {
            let name = path.file_name().expect("file name");
            std::fs::copy(&path, workspace.input().join(name)).expect("copy fixture");
            copied += 1;
        }
    }
    assert_eq!(copied, 8, "eight submissions as .{extension}");
    workspace
}

/// Equal texts, or a panic naming the lines that differ.
fn assert_same_lines(found: &str, expected: &str, what: &str) {
    let differ: Vec<String> = found
        .lines()
        .zip(expected.lines())
        .filter(|(a, b)| a != b)
        .take(5)
        .map(|(a, b)| format!("found:    {a}\nexpected: {b}"))
        .collect();
    assert!(differ.is_empty(), "{what} differs:\n{}", differ.join("\n"));
    assert_eq!(
        found.lines().count(),
        expected.lines().count(),
        "{what}: lines"
    );
}

#[test]
fn the_november_report_is_unchanged_when_the_submissions_arrive_as_xls() {
    let (report, _) = report_of(&workspace_of("xls", "xls"));
    let expected = baseline();
    assert!(report.0.contains("Tiếp nhận, xử lý 230 văn bản (6,3%)"));
    assert_eq!(report.0, expected.0, "body");
    assert_eq!(report.1, expected.1, "footnotes");
}

#[test]
fn the_november_report_is_unchanged_when_the_submissions_arrive_as_ods() {
    let (report, _) = report_of(&workspace_of("ods", "ods"));
    let expected = baseline();
    assert!(report.0.contains("Trễ hạn: 53 phút") || report.1.contains("Trễ hạn: 53 phút"));
    assert_eq!(report.0, expected.0, "body");
    assert_eq!(report.1, expected.1, "footnotes");
}

#[test]
fn the_november_report_is_unchanged_when_the_submissions_are_retyped_the_messy_way() {
    let workspace = Workspace::with(&[]);
    for (i, sample) in november_samples().iter().enumerate() {
        // Half the units type in TCVN3 (.VnTime), half in VNI-Windows; names always in TCVN3.
        let encoding = if i % 2 == 0 {
            Encoding::Tcvn3
        } else {
            Encoding::Vni
        };
        let path = workspace.input().join(format!("messy {i}.xlsx"));
        legacy::write_messy(sample, encoding, &path).expect("messy workbook");
    }
    let (report, result) = report_of(&workspace);
    let expected = baseline();
    assert_same_lines(&report.0, &expected.0, "body");
    assert_same_lines(&report.1, &expected.1, "footnotes");
    // Each converted cell is told once, at its place.
    let messages = workspace.messages();
    assert!(
        messages.contains("[Thông báo] messy 1.xlsx › THONG TIN › C5: Ô được gõ bằng bảng mã TCVN3 (ABC); đã chuyển sang Unicode: «Phòng Giáo dục trung học»"),
        "{messages}"
    );
    assert!(messages.contains("(ma-cu)"), "{}", result.stdout);
    assert!(
        messages.contains("bảng mã VNI-Windows"),
        "VNI cells are named too"
    );
    assert_eq!(
        messages.matches("messy 1.xlsx › THONG TIN › C5:").count(),
        1,
        "one notice per cell"
    );
}
