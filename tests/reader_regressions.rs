//! Issue 21, case by case, on files written by LibreOffice, openpyxl or Excel (the fixtures
//! in `tests/fixtures/regressions/`, made by `make.sh` there from the KHTC submission that
//! LibreOffice saved as `.ods`; `phpss-pwtest.xls` of the corpus is Excel's): nothing that
//! Excel or LibreOffice opens is refused for its packaging, every message names the tab the
//! clerk sees, an encrypted `.xls` is told as an encrypted `.xlsx`, other spreadsheet formats
//! are named with how to fix them, and crafted workbooks are held to a memory budget while
//! the rest of the run goes on.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::io::Write;
use std::path::{Path, PathBuf};

use baocao::ingest::{read_guarded, read_workbook, CellValue, Limits, ReadError, Workbook};
use pipeline::*;

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/regressions").join(name)
}

fn read(path: &Path) -> Result<Workbook, ReadError> {
    read_workbook(path, &Limits::default())
}

/// The cells of every sheet, as validation sees them.
fn cells(book: &Workbook) -> Vec<(String, Vec<Vec<String>>)> {
    book.sheets
        .iter()
        .map(|sheet| {
            let rows = (0..sheet.row_count())
                .map(|r| {
                    (0..sheet.row_len(r))
                        .map(|c| sheet.cell(r, c).as_text())
                        .collect()
                })
                .collect();
            (sheet.name.clone(), rows)
        })
        .collect()
}

fn original() -> Workbook {
    read(&repo().join("tests/fixtures/formats/ods/KHTC.ods")).expect("the LibreOffice .ods reads")
}

#[test]
fn an_empty_formatted_row_at_the_end_of_the_sheet_costs_nothing() {
    // LibreOffice wrote `<row r="1048576" … ht="30">` into «Số liệu» and declared
    // `<dimension ref="A1:E1048576"/>`: the sheet is read by the cells that hold values.
    let path = fixture("KHTC-hang-trong.xlsx");
    let part = zip_part(&path, "xl/worksheets/sheet2.xml").expect("sheet part");
    assert!(part.contains(r#"<row r="1048576""#) && part.contains("A1:E1048576"));
    let book = read(&path).expect("read, not refused");
    assert_eq!(cells(&book), cells(&original()));
    let figures = book.sheet("Số liệu").expect("tab");
    assert!(figures.row_count() < 30, "{}", figures.row_count());
}

#[test]
fn a_valid_form_with_one_stray_value_far_away_is_still_read() {
    // openpyxl wrote a sheet «Nháp» holding one value at AX99999.
    let book = read(&fixture("KHTC-o-xa.xlsx")).expect("read");
    let draft = book.sheet("Nháp").expect("the draft sheet");
    assert_eq!(draft.row_count(), 99_999);
    assert_eq!(
        draft.cell(99_998, 49),
        &CellValue::Text("ghi chú để quên".into())
    );
    let mut expected = cells(&original());
    expected.push(("Nháp".into(), Vec::new()));
    let mut got = cells(&book);
    got.last_mut().expect("draft").1.clear();
    assert_eq!(got, expected);
}

#[test]
fn ods_is_recognised_by_its_content_wherever_mimetype_sits_or_without_it() {
    for name in ["KHTC-mimetype-cuoi.ods", "KHTC-khong-mimetype.ods"] {
        let book = read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(cells(&book), cells(&original()), "{name}");
    }
}

#[test]
fn templates_and_macro_workbooks_read_like_xlsx() {
    for name in ["KHTC.xltx", "KHTC.xltm"] {
        let book = read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(cells(&book), cells(&original()), "{name}");
    }
    let types = zip_part(&fixture("KHTC.xltm"), "[Content_Types].xml").expect("types");
    assert!(types.contains("template.macroEnabled"), "{types}");
}

#[test]
fn xlsb_files_written_by_excel_are_read() {
    // calamine's own test files, saved by Excel as binary workbooks (tests/corpus).
    let book = read(&repo().join("tests/corpus/files/calamine-issues.xlsb")).expect("xlsb reads");
    let xlsx = read(&repo().join("tests/corpus/files/calamine-issues.xlsx")).expect("xlsx reads");
    assert_eq!(book.sheets.len(), xlsx.sheets.len());
    assert_eq!(book.sheets[0].name, xlsx.sheets[0].name);
    assert!(book.sheets[0].row_count() > 0);
}

#[test]
fn an_xlsx_whose_workbook_part_is_utf16_is_read() {
    // PhpSpreadsheet's utf16be.xlsx (tests/corpus): Excel opens it; its workbook.xml is
    // UTF-16 big-endian, which calamine's XML reader cannot parse. The guard hands calamine
    // the part as UTF-8, so the file is read instead of refused for its packaging.
    let book = read(&repo().join("tests/corpus/files/phpss-utf16be.xlsx")).expect("read");
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Sheet1"]);
    assert_eq!(book.sheets[0].cell(0, 0), &CellValue::Number(1.0));
}

#[test]
fn an_xls_in_a_code_page_the_reader_lacks_is_not_called_damaged() {
    // PhpSpreadsheet's maccentraleurope.biff5.xls: an Excel 5 file from a Mac, code page
    // 10029, which calamine cannot decode. Excel opens it; the clerk is told what it is and
    // how to save it again, not that it is broken.
    let error = read(&repo().join("tests/corpus/files/phpss-maccentraleurope.biff5.xls"))
        .expect_err("not read");
    let message = error.to_string();
    assert_eq!(error.code(), "dinh-dang-khac", "{message}");
    assert!(
        message.contains("bảng mã 10029 (Mac Trung Âu)"),
        "{message}"
    );
    assert!(message.contains("lưu lại dưới dạng .xlsx"), "{message}");
    assert!(!message.contains("bị hỏng"), "{message}");
}

#[test]
fn an_encrypted_xls_gets_the_same_message_as_an_encrypted_xlsx() {
    // PhpSpreadsheet's pwtest.xls: written by Excel with "Encrypt with password" (RC4).
    let xls = read(&repo().join("tests/corpus/files/phpss-pwtest.xls")).expect_err("refused");
    let xlsx = read(&repo().join("tests/fixtures/mat-khau.xlsx")).expect_err("refused");
    assert!(matches!(xls, ReadError::Password), "{xls:?}");
    assert_eq!(xls.to_string(), xlsx.to_string());
    assert_eq!(xls.code(), "co-mat-khau");
}

#[test]
fn other_spreadsheet_formats_say_what_they_are_and_how_to_fix_it() {
    let cases = [
        ("KHTC.csv", "CSV"),
        ("KHTC.fods", ".fods"),
        ("KHTC-html.xls", "trang web (HTML)"),
        ("excel4.xls", "Excel 4.0"),
    ];
    for (name, what) in cases {
        let error = read(&fixture(name)).expect_err(name);
        let message = error.to_string();
        assert_eq!(error.code(), "dinh-dang-khac", "{name}: {message}");
        assert!(message.contains(what), "{name}: {message}");
        assert!(
            message.contains("mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dưới dạng .xlsx"),
            "{name}: {message}"
        );
    }
    // Excel 2003's XML spreadsheet (PhpSpreadsheet's test file), named .xls.
    let xml = read(&repo().join("tests/corpus/files/phpss-excel2003.iso8859-1.xml.xls"))
        .expect_err("refused");
    assert!(xml.to_string().contains("XML Spreadsheet 2003"), "{xml}");
}

/// LibreOffice's KHTC.ods with its `content.xml` edited, zipped again with the zip crate.
fn khtc_ods_with_content(edit: impl Fn(String) -> String) -> Vec<u8> {
    let source = std::fs::read(repo().join("tests/fixtures/formats/ods/KHTC.ods")).expect("read");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&source)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry");
        let name = entry.name().expect("utf-8 name").to_string();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).expect("read part");
        if name == "content.xml" {
            content = edit(String::from_utf8(content).expect("utf-8")).into_bytes();
        }
        let options = if name == "mimetype" {
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
        } else {
            zip::write::SimpleFileOptions::default()
        };
        out.start_file(name, options).expect("start");
        out.write_all(&content).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// Reads on another thread, so that a reader that never returns fails the test instead of
/// holding the suite (the bound is generous: these files read in milliseconds).
fn read_or_hang(bytes: Vec<u8>) -> Result<Workbook, ReadError> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(read_guarded(&bytes, &Limits::default()));
    });
    receive
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the reader returns instead of waiting forever")
}

#[test]
fn a_broken_ods_reads_as_damage_in_words_not_a_program_structure() {
    // LibreOffice's content.xml with a stray text node inside a row: calamine's own message
    // prints `Text(BytesText { … })`; the clerk gets Vietnamese words only.
    let broken = khtc_ods_with_content(|text| {
        let at = text.find("<table:table-cell").expect("a cell");
        format!("{}lạc chỗ{}", &text[..at], &text[at..])
    });
    let error = read_guarded(&broken, &Limits::default()).expect_err("refused");
    let message = error.to_string();
    assert_eq!(error.code(), "khong-doc-duoc");
    assert!(message.contains("Tệp bảng tính bị hỏng"), "{message}");
    for debug in ["{", "BytesText", "Text("] {
        assert!(!message.contains(debug), "{message}");
    }
}

#[test]
fn an_ods_cut_off_inside_a_table_is_refused_not_waited_on() {
    // Found by fuzzing (fuzz/README.md): a content.xml that ends after a row of a table, with
    // no `</table:table>`, kept calamine 0.38 reading the end of the file forever.
    let cut = khtc_ods_with_content(|text| {
        let table_end = text.find("</table:table>").expect("a table");
        let row_end = text[..table_end]
            .rfind("</table:table-row>")
            .expect("a row");
        text[..row_end + "</table:table-row>".len()].to_string()
    });
    let error = read_or_hang(cut).expect_err("refused");
    let message = error.to_string();
    assert_eq!(error.code(), "khong-doc-duoc", "{message}");
    assert!(
        message.contains("Tệp bảng tính bị hỏng") && message.contains("«Thông tin»"),
        "{message}"
    );
    // The same file whole still reads.
    let whole = read_or_hang(khtc_ods_with_content(|text| text)).expect("reads");
    assert_eq!(cells(&whole), cells(&original()));
}

#[test]
fn billions_of_spaces_in_one_ods_cell_are_refused_before_they_are_written() {
    // `<text:s text:c="N"/>` is N spaces, which calamine writes one by one: four gigabytes
    // from a few bytes of XML. The budget refuses them, by the same message as other files
    // that need too much memory.
    let spaced = khtc_ods_with_content(|text| {
        let at = text.find("<text:p>").expect("a paragraph") + "<text:p>".len();
        format!(
            "{}<text:s text:c=\"4000000000\"/>{}",
            &text[..at],
            &text[at..]
        )
    });
    let error = read_or_hang(spaced).expect_err("refused");
    assert_eq!(error.code(), "vuot-gioi-han-tep", "{error}");
    assert!(error.to_string().contains("bộ nhớ"), "{error}");
}

#[test]
fn an_xls_whose_mini_stream_chain_loops_is_refused_before_calamine_follows_it() {
    // Found by fuzzing (fuzz/README.md): calamine follows the root entry's chain until it has
    // the length the directory claims, so a chain that loops back on itself grew to 2.1 GB
    // from a 57 kB file. Here LibreOffice's KHTC.xls gets the same two edits in code: the root
    // entry's first sector points to itself in the FAT, and the root claims 4 GB.
    let mut bytes =
        std::fs::read(repo().join("tests/fixtures/formats/xls/KHTC.xls")).expect("read");
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4"));
    assert_eq!(
        u16::from_le_bytes([bytes[30], bytes[31]]),
        9,
        "512-byte sectors"
    );
    assert!(u32_at(&bytes, 64) > 0, "LibreOffice wrote a mini FAT");
    let root = (u32_at(&bytes, 48) as usize + 1) * 512;
    let start = u32_at(&bytes, root + 116);
    let fat = (u32_at(&bytes, 76) as usize + 1) * 512;
    bytes[fat + 4 * start as usize..][..4].copy_from_slice(&start.to_le_bytes());
    bytes[root + 120..][..4].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());

    let refused = baocao::ingest::guard::inspect(&bytes, &Limits::default()).expect_err("refused");
    assert!(
        matches!(refused, baocao::ingest::guard::GuardError::Corrupt(_)),
        "{refused:?}"
    );
    let error = read_or_hang(bytes).expect_err("refused");
    assert_eq!(error.code(), "khong-doc-duoc", "{error}");
}

/// An xlsx package of sheets given as their `<sheetData>` content, written with the zip crate.
fn crafted_workbook(sheets: &[String]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, content: &str| {
        out.start_file(name, options).expect("start");
        out.write_all(content.as_bytes()).expect("write");
    };
    let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    put(
        "[Content_Types].xml",
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
    );
    put(
        "_rels/.rels",
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    let list: String = (1..=sheets.len())
        .map(|i| format!(r#"<sheet name="Trang {i}" sheetId="{i}" r:id="rId{i}"/>"#))
        .collect();
    put(
        "xl/workbook.xml",
        &format!(r#"<workbook {ns}><sheets>{list}</sheets></workbook>"#),
    );
    let rels: String = (1..=sheets.len())
        .map(|i| format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#))
        .collect();
    put(
        "xl/_rels/workbook.xml.rels",
        &format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        ),
    );
    for (i, data) in sheets.iter().enumerate() {
        put(
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            &format!(r#"<worksheet {ns}><sheetData>{data}</sheetData></worksheet>"#),
        );
    }
    out.finish().expect("finish").into_inner()
}

/// The issue's 14 KB workbook: 20 sheets, each with one value at A1 and one at AX99999.
fn twenty_stray_sheets() -> Vec<u8> {
    let sheet = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="99999"><c r="AX99999"><v>1</v></c></row>"#;
    crafted_workbook(&vec![sheet.to_string(); 20])
}

/// 20 sheets whose 200 rows each hold a value in the last column, XFD: every row is 16,384
/// cells wide for a reader that keeps rows up to their last value.
fn twenty_wide_sheets() -> Vec<u8> {
    let sheet: String = (1..=200)
        .map(|r| format!(r#"<row r="{r}"><c r="XFD{r}"><v>{r}</v></c></row>"#))
        .collect();
    crafted_workbook(&vec![sheet; 20])
}

#[test]
fn crafted_workbooks_stay_within_the_workbook_budget() {
    let stray = twenty_stray_sheets();
    assert!(stray.len() < 20 * 1024, "{}", stray.len());
    let book = read_guarded(&stray, &Limits::default()).expect("read within budget");
    assert_eq!(book.sheets.len(), 20);
    assert_eq!(book.sheets[19].cell(99_998, 49), &CellValue::Number(1.0));

    let wide = twenty_wide_sheets();
    let error = read_guarded(&wide, &Limits::default()).expect_err("over budget");
    assert_eq!(error.code(), "vuot-gioi-han-tep");
    assert!(error.to_string().contains("vượt giới hạn 64 MB"), "{error}");
}

#[test]
fn a_sheet_beyond_the_limits_is_named_by_its_tab_and_its_last_cell() {
    let sheet = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="150000"><c r="B150000"><v>2</v></c></row>"#;
    let error = read_guarded(&crafted_workbook(&[sheet.to_string()]), &Limits::default())
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "Trang «Trang 1» trải trên 150000 dòng, vượt giới hạn 100000 dòng"
    );
}

/// The peak resident size of the children this process has waited for, in bytes.
fn children_peak() -> u64 {
    // SAFETY: getrusage writes into the struct it is given and nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let status = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(status, 0, "getrusage");
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn a_hostile_folder_is_refused_file_by_file_within_200_mb_and_the_report_is_made() {
    // The seven other units' valid forms, plus every hostile file at once: the KHTC form
    // with an empty formatted last row (read), crafted workbooks, the corpus's
    // denial-of-service files, an encrypted .xls, exports in other formats.
    let mut samples = november_samples();
    samples.retain(|s| !s.file.contains("KHTC"));
    let workspace = Workspace::with(&samples);
    let input = workspace.input();
    std::fs::copy(fixture("KHTC-hang-trong.xlsx"), input.join("KHTC.xlsx")).expect("copy");
    std::fs::write(input.join("hai-muoi-trang.xlsx"), twenty_stray_sheets()).expect("write");
    std::fs::write(input.join("hai-muoi-trang-rong.xlsx"), twenty_wide_sheets()).expect("write");
    let corpus = repo().join("tests/corpus/files");
    for name in [
        "calamine-issue_594_dos.ods",
        "calamine-OOM_alloc3.xls",
        "phpss-2x6m.xlsx",
        "phpss-oleloop.xls",
        "phpss-pwtest.xls",
        "phpss-charset.UTF-8.html.xls",
    ] {
        std::fs::copy(corpus.join(name), input.join(name)).expect("copy");
    }
    for name in ["KHTC.csv", "KHTC.fods", "excel4.xls"] {
        std::fs::copy(fixture(name), input.join(format!("khac-{name}"))).expect("copy");
    }
    let result = workspace.run("run");
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    let peak = children_peak();
    assert!(peak < 200 * 1024 * 1024, "peak {} MB", peak / (1024 * 1024));
    for expected in [
        "hai-muoi-trang-rong.xlsx: Đọc tệp này cần khoảng",
        "phpss-pwtest.xls: Tệp được đặt mật khẩu, không đọc được",
        "khac-KHTC.csv: Tệp là tệp văn bản",
        "khac-excel4.xls: Tệp là bảng tính Excel 4.0",
    ] {
        assert!(
            result.stdout.contains(expected),
            "«{expected}» in:\n{}",
            result.stdout
        );
    }
    // KHTC's form, with its empty row at 1048576, is among the accepted: all eight units'
    // figures make the report.
    let (body, _) = docx_texts(&workspace.docx());
    assert!(
        body.contains("Tiếp nhận, xử lý 230 văn bản (6,3%)"),
        "the figures of every unit count"
    );
    assert!(
        !result.stdout.contains("KHTC.xlsx: Trang"),
        "{}",
        result.stdout
    );
}

/// LibreOffice's autocorrect word lists: about 100,000 words and phrases of 40 languages
/// other than Vietnamese (German `daß`, Danish `på den`, Afrikaans `’n`, …), none of them
/// legacy-encoded Vietnamese. LibreOffice is installed wherever the tests run (`.ci/run`).
fn foreign_words() -> Vec<String> {
    let dir = Path::new("/usr/lib/libreoffice/share/autocorr");
    let mut words = Vec::new();
    for entry in std::fs::read_dir(dir).expect("LibreOffice's autocorrect lists") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        if !name.starts_with("acor_") || name.starts_with("acor_vi") {
            continue;
        }
        let file = std::fs::File::open(&path).expect("open");
        let mut archive = zip::ZipArchive::new(file).expect("zip");
        let mut list = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("DocumentList.xml").expect("list"),
            &mut list,
        )
        .expect("utf-8");
        for attribute in ["block-list:abbreviated-name=\"", "block-list:name=\""] {
            for piece in list.split(attribute).skip(1) {
                let value = piece.split('"').next().unwrap_or_default();
                words.push(
                    value
                        .replace("&apos;", "'")
                        .replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&amp;", "&"),
                );
            }
        }
    }
    words
}

#[test]
fn legacy_detection_never_converts_other_languages() {
    let words = foreign_words();
    assert!(words.len() > 50_000, "{}", words.len());
    let converted: Vec<String> = words
        .iter()
        .filter_map(|w| {
            baocao::text::legacy::detect(w).map(|(e, c)| format!("{e:?} «{w}» → «{c}»"))
        })
        .collect();
    assert!(converted.is_empty(), "{}", converted.join("\n"));
}

/// The seeds (the department's real documents, kept outside the repository): none of their
/// texts, lines or table cells, is taken for legacy-encoded text. Run on purpose:
/// `cargo test --test reader_regressions -- --ignored seeds`.
#[test]
#[ignore = "needs /work/shared/seeds, outside the repository"]
fn legacy_detection_never_converts_the_seeds_text() {
    let mut lines = 0;
    let mut converted = Vec::new();
    for entry in std::fs::read_dir("/work/shared/seeds").expect("seeds") {
        let text = std::fs::read_to_string(entry.expect("e").path()).unwrap_or_default();
        for line in text.lines() {
            for piece in std::iter::once(line).chain(line.split(['\t', '|'])) {
                lines += 1;
                if let Some(found) = baocao::text::legacy::detect(piece) {
                    converted.push(format!("{piece} {found:?}"));
                }
            }
        }
    }
    println!(
        "seeds: {lines} texts, {} converted: {converted:?}",
        converted.len()
    );
}
