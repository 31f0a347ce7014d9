//! Plans written in Word: the seed 001 and seed 003 annexes as .docx files written by
//! python-docx (tests/fixtures/make_plan_docx.py) and the same files re-saved by LibreOffice
//! are read into the same plan as their Form B workbooks (written by rust_xlsxwriter); the
//! ways people type annexes (units separated by `;`, names without diacritics, a header typed
//! twice, a row that cannot be read, a unit name mistyped) read as the issue asks; a hostile
//! set of .docx files gives messages, never a crash; `baocao plan` and `baocao run` take a
//! .docx plan (and a .doc through LibreOffice) wherever they take a Form B workbook.
//!
//! Without python-docx the Word tests are skipped with a note (`.ci/run` installs it);
//! without LibreOffice, the re-saved and .doc cases are.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/form_b.rs"]
mod form_b;
#[path = "support/libreoffice.rs"]
mod libreoffice;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use baocao::config::Config;
use baocao::ingest::{read_workbook, Limits};
use baocao::plan::document::{self, DocumentError};
use baocao::plan::form_b::{parse_form_b, PlanOutcome};
use baocao::plan::Plan;
use baocao::render::pdf::LibreOfficeSettings;
use baocao::validate::Severity;
use form_b::{load_plans, write_form_b, SamplePlan};
use pipeline::*;

fn sample(n: &str) -> SamplePlan {
    load_plans(&repo().join("samples/plans"))
        .expect("plan samples load")
        .into_iter()
        .find(|p| {
            p.source
                .file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with(n))
        })
        .unwrap_or_else(|| panic!("no sample {n}"))
}

fn config() -> Config {
    Config::from_toml(
        &std::fs::read_to_string(repo().join("config/baocao.toml")).expect("config readable"),
    )
    .expect("shipped config")
}

fn python_docx() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import docx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("python-docx not installed: Word plan test skipped (.ci/run installs it)");
    }
    ok
}

/// Writes the sample plan `n` as a .docx with python-docx.
fn word_plan(n: &str, out: &Path, variants: &[&str]) {
    let sample = sample(n);
    let mut command = Command::new("python3");
    command
        .arg(repo().join("tests/fixtures/make_plan_docx.py"))
        .arg(&sample.source)
        .arg(out);
    for variant in variants {
        command.args(["--variant", variant]);
    }
    let output = command.output().expect("python3 runs");
    assert!(
        output.status.success(),
        "make_plan_docx.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn read_docx_plan(path: &Path) -> PlanOutcome {
    let config = config();
    let name = path
        .file_name()
        .expect("name")
        .to_string_lossy()
        .to_string();
    let bytes = std::fs::read(path).expect("read docx");
    let body = document::read_word(&name, &bytes, &Limits::default(), &config.libreoffice)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    document::parse_plan_document(&body, &name, &config.directory())
}

fn read_form_b_plan(sample: &SamplePlan, dir: &Path) -> Plan {
    let path = dir.join(&sample.file);
    write_form_b(sample, &path).expect("write Form B");
    let book = read_workbook(&path, &Limits::default()).expect("workbook reads");
    let outcome = parse_form_b(&book, &sample.file, &config().directory());
    outcome
        .plan
        .unwrap_or_else(|| panic!("Form B read: {:?}", outcome.messages))
}

fn errors(outcome: &PlanOutcome) -> Vec<String> {
    outcome
        .messages
        .iter()
        .filter(|m| m.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

/// The annex of a Word plan is the annex of the Form B plan: same sections, same tasks
/// with the same text, units, times and months.
fn assert_same_annex(word: &Plan, book: &Plan, label: &str) {
    let headings =
        |p: &Plan| -> Vec<String> { p.sections.iter().map(|s| s.heading.clone()).collect() };
    assert_eq!(headings(word), headings(book), "{label}: sections");
    assert_eq!(word.tasks.len(), book.tasks.len(), "{label}: task count");
    for (w, b) in word.tasks.iter().zip(&book.tasks) {
        let at = format!("{label}: TT {}", b.number);
        assert_eq!(w.number, b.number, "{at}");
        assert_eq!(w.section, b.section, "{at}: section");
        assert_eq!(w.content, b.content, "{at}: content");
        assert_eq!(w.leads, b.leads, "{at}: lead units");
        assert_eq!(w.partners_text, b.partners_text, "{at}: partners");
        assert_eq!(w.partners, b.partners, "{at}: partner names");
        assert_eq!(w.result, b.result, "{at}: result");
        assert_eq!(w.time_text, b.time_text, "{at}: time");
        assert_eq!(
            (&w.start_text, w.start),
            (&b.start_text, b.start),
            "{at}: start"
        );
        assert_eq!((&w.end_text, w.end), (&b.end_text, b.end), "{at}: end");
        assert_eq!(w.note, b.note, "{at}: note");
    }
    assert_eq!(word.annex_title(), book.annex_title(), "{label}: title");
    assert_eq!(
        word.time_columns(),
        book.time_columns(),
        "{label}: time columns"
    );
    assert_eq!(
        word.has_results(),
        book.has_results(),
        "{label}: result column"
    );
}

#[test]
fn word_annexes_equal_their_form_b_workbooks_as_written_and_resaved() {
    if !python_docx() {
        return;
    }
    let with_libreoffice = libreoffice::installed();
    let dir = tempfile::tempdir().expect("temp dir");
    for (n, tasks, sections) in [("001", 14, 8), ("003", 41, 0)] {
        let sample = sample(n);
        let book = read_form_b_plan(&sample, dir.path());
        assert_eq!((book.tasks.len(), book.sections.len()), (tasks, sections));
        let docx = dir.path().join(format!("KE-HOACH-{n}.docx"));
        word_plan(n, &docx, &[]);
        let mut files = vec![docx.clone()];
        if with_libreoffice {
            files.push(libreoffice::convert(
                &docx,
                "docx",
                &dir.path().join(format!("lo-{n}")),
            ));
        }
        for file in files {
            let label = format!("seed {n}, {}", file.display());
            let outcome = read_docx_plan(&file);
            assert_eq!(errors(&outcome), Vec::<String>::new(), "{label}");
            let word = outcome.plan.expect("the Word plan is read");
            assert_same_annex(&word, &book, &label);
            // What the body says about the plan, as Form B's `Thông tin` has it.
            assert_eq!(word.info.number, book.info.number, "{label}");
            assert_eq!(word.info.name, book.info.name, "{label}");
            assert_eq!(word.info.basis, book.info.basis, "{label}");
            assert_eq!(
                baocao::text::fold_key(&word.info.issuer),
                baocao::text::fold_key(&book.info.issuer),
                "{label}: the letterhead names the issuer"
            );
            if n == "001" {
                assert_eq!(word.info.issued_on, book.info.issued_on, "{label}");
                // Several lead units in one cell, one paragraph each.
                assert_eq!(word.tasks[0].leads.len(), 3, "{label}");
                assert!(word.tasks[0].leads.iter().all(|l| l.unit.is_some()));
            } else {
                // Start and end months under the merged `Thời gian`.
                assert!(word
                    .tasks
                    .iter()
                    .all(|t| t.start.is_some() && t.end.is_some()));
                // The draft names no basis: a warning, never a rejection.
                assert!(outcome
                    .messages
                    .iter()
                    .any(|m| m.code == "thieu-thong-tin-van-ban"
                        && m.severity == Severity::Warning
                        && m.text.contains("«Căn cứ»")));
            }
        }
    }
}

#[test]
fn annexes_typed_as_people_type_them() {
    if !python_docx() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = {
        let path = dir.path().join("plain.docx");
        word_plan("001", &path, &[]);
        read_docx_plan(&path).plan.expect("plain plan")
    };
    // Lead units separated by `;` in one paragraph, without diacritics (seed 004's scan),
    // and a header row typed again mid-table: the same units, the same tasks.
    for variants in [
        vec!["semicolons"],
        vec!["no-diacritics"],
        vec!["repeat-header"],
    ] {
        let path = dir.path().join(format!("{}.docx", variants.join("-")));
        word_plan("001", &path, &variants);
        let outcome = read_docx_plan(&path);
        assert_eq!(errors(&outcome), Vec::<String>::new(), "{variants:?}");
        let plan = outcome.plan.expect("variant read");
        assert_eq!(plan.tasks.len(), plain.tasks.len(), "{variants:?}");
        for (a, b) in plan.tasks.iter().zip(&plain.tasks) {
            let keys = |t: &baocao::plan::PlanTask| -> Vec<_> {
                t.leads.iter().map(|l| l.key()).collect()
            };
            assert_eq!(keys(a), keys(b), "{variants:?}: TT {}", a.number);
        }
    }

    // A row that cannot be read loses that row only, with a message at its row.
    let sample = sample("001");
    let row_of = |tt: u32| -> usize {
        let mut row = 1;
        let mut section = "";
        for task in &sample.tasks {
            if task.section != section {
                section = &task.section;
                row += 1;
            }
            row += 1;
            if task.tt == tt {
                return row;
            }
        }
        panic!("no TT {tt}")
    };
    let path = dir.path().join("KE-HOACH.docx");
    word_plan("001", &path, &["bad-row"]);
    let outcome = read_docx_plan(&path);
    let plan = outcome.plan.as_ref().expect("the rest of the plan is used");
    assert_eq!(plan.tasks.len(), 13);
    assert!(plan.task(2).is_none() && plan.task(3).is_some());
    let printed: Vec<String> = outcome.messages.iter().map(ToString::to_string).collect();
    let expected = format!(
        "KE-HOACH.docx › bảng 2 › dòng {} › TT: TT «2a» không phải số thứ tự",
        row_of(2)
    );
    assert!(
        printed.iter().any(|m| m.contains(&expected)),
        "{printed:#?}"
    );

    // A unit name close to a configured one: asked about, kept as written.
    word_plan("001", &path, &["unit-typo"]);
    let outcome = read_docx_plan(&path);
    let printed: Vec<String> = outcome.messages.iter().map(ToString::to_string).collect();
    let expected = format!(
        "KE-HOACH.docx › bảng 2 › dòng {} › Đơn vị chủ trì: «Phòng KHTV» không có trong danh sách đơn vị; có phải «",
        row_of(7)
    );
    assert!(
        printed.iter().any(|m| m.contains(&expected)),
        "{printed:#?}"
    );
    let task = outcome
        .plan
        .as_ref()
        .and_then(|p| p.task(7))
        .expect("task 7 kept");
    assert_eq!(task.leads[0].written, "Phòng KHTV");

    // Without letterhead or opening lines, each missing field is named in one warning.
    word_plan("003", &path, &["no-info"]);
    let outcome = read_docx_plan(&path);
    assert!(outcome.plan.is_some(), "{:?}", outcome.messages);
    let warning = outcome
        .messages
        .iter()
        .find(|m| m.code == "thieu-thong-tin-van-ban")
        .expect("missing information named");
    for field in [
        "«Số, ký hiệu»",
        "«Ngày ban hành»",
        "«Cơ quan ban hành»",
        "«Tên kế hoạch»",
        "«Căn cứ»",
    ] {
        assert!(warning.text.contains(field), "{}", warning.text);
    }
}

/// A zip with the given parts, deflated.
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        zip.start_file(*name, options).expect("part");
        zip.write_all(data).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#;

/// A minimal Word package around a body, as Word writes one (with the main part's
/// relationships, which docx-rs needs).
fn word_package(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    package(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", document.as_bytes()),
    ])
}

fn cell(text: &str) -> String {
    format!("<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
}

/// The hostile set: each file gives its message naming the file; nothing crashes, in the
/// library and through the binary (`baocao plan` on each, `baocao check` on the folder).
#[test]
fn hostile_word_files_give_messages_never_a_crash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input");
    std::fs::create_dir_all(&input).expect("mkdir");
    let limits = Limits::default();

    let good = word_package(&format!(
        "<w:tbl><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        cell("TT"),
        cell("Nhiệm vụ"),
        cell("Đơn vị chủ trì"),
        cell("1"),
        cell("Việc một"),
        cell("Văn phòng")
    ));
    let truncated = good[..good.len() / 2].to_vec();
    // 300 MB of zeros as the main part: over the 200 MB budget.
    let bomb = {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1))
            .large_file(false);
        zip.start_file("[Content_Types].xml", options)
            .expect("part");
        zip.write_all(CONTENT_TYPES).expect("write");
        zip.start_file("_rels/.rels", options).expect("part");
        zip.write_all(RELS).expect("write");
        zip.start_file("word/document.xml", options).expect("part");
        let zeros = vec![b' '; 1024 * 1024];
        for _ in 0..300 {
            zip.write_all(&zeros).expect("write");
        }
        zip.finish().expect("zip").into_inner()
    };
    let wide = word_package(&format!(
        "<w:tbl><w:tr>{}</w:tr></w:tbl><w:tbl><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        cell("x").repeat(10_000),
        cell("TT"),
        cell("Nhiệm vụ"),
        cell("Đơn vị chủ trì"),
        cell("1"),
        cell("Việc một"),
        cell("Văn phòng")
    ));
    // 60,000 cells in 70 KB: refused before docx-rs builds them (it took 2.3 GB).
    let huge = word_package(&format!(
        "<w:tbl>{}</w:tbl>",
        format!("<w:tr>{}</w:tr>", cell("x").repeat(10_000)).repeat(6)
    ));
    let nested = word_package(&format!(
        "{}<w:p/>{}",
        "<w:tbl><w:tr><w:tc>".repeat(5_000),
        "</w:tc></w:tr></w:tbl>".repeat(5_000)
    ));
    let workbook_renamed = package(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("xl/workbook.xml", b"<workbook/>"),
    ]);
    let cases: Vec<(&str, Vec<u8>, Option<DocumentError>)> = vec![
        ("cat-doi.docx", truncated, None),
        ("bom-nen.docx", bomb, None),
        ("bang-rong.docx", wide, None),
        (
            "bang-qua-nhieu-o.docx",
            huge,
            Some(DocumentError::TooMany {
                what: "ô bảng",
                limit: 50_000,
            }),
        ),
        (
            "bang-long.docx",
            nested,
            Some(DocumentError::TablesTooDeep { depth: 9, limit: 8 }),
        ),
        (
            "khong-phai-word.docx",
            b"%PDF-1.4\n%\xe2\xe3\n1 0 obj".to_vec(),
            Some(DocumentError::NotAWordDocument),
        ),
        (
            "bang-tinh.docx",
            workbook_renamed,
            Some(DocumentError::NotAWordDocument),
        ),
        ("rong.docx", Vec::new(), Some(DocumentError::Empty)),
    ];
    for (name, bytes, expected) in &cases {
        std::fs::write(input.join(name), bytes).expect("write case");
        let read = document::read_word(name, bytes, &limits, &LibreOfficeSettings::default());
        match (name, &read, expected) {
            (_, Err(error), Some(expected)) => assert_eq!(error, expected, "{name}"),
            (&"bang-rong.docx", Ok(body), None) => {
                // The 10,000 columns are set aside; the real annex beside them is read.
                let outcome = document::parse_plan_document(body, name, &config().directory());
                assert!(outcome.messages.iter().any(|m| m.code == "bang-qua-rong"));
                assert_eq!(outcome.plan.expect("annex read").tasks.len(), 1);
            }
            // Refused by the spreadsheets' guard, or by the main part's declared size before
            // anything is inflated: either way a message, never 300 MB in memory.
            (&"bom-nen.docx", Err(DocumentError::Refused(_)), None) => {}
            (&"bom-nen.docx", Err(DocumentError::PartTooLarge { .. }), None) => {}
            (&"cat-doi.docx", Err(DocumentError::Corrupt(_)), None) => {}
            _ => panic!("{name}: unexpected {read:?}"),
        }
    }
    for (name, _, _) in &cases {
        let result = run_baocao(&[
            "plan",
            input.join(name).to_str().expect("utf-8"),
            "--output",
            dir.path().join("out").to_str().expect("utf-8"),
            "--config",
            repo().join("config/baocao.toml").to_str().expect("utf-8"),
        ]);
        assert!(
            matches!(result.code, 0 | 1),
            "{name}: exit {}\n{}",
            result.code,
            result.stderr
        );
        let said = format!("{}{}", result.stdout, result.stderr);
        assert!(said.contains(name), "{name}: {said}");
        assert!(
            !said.contains("panicked") && !said.contains("RUST_BACKTRACE"),
            "{said}"
        );
    }
    let result = run_baocao(&[
        "check",
        "--period",
        "2025-11",
        "--input",
        input.to_str().expect("utf-8"),
        "--output",
        dir.path().join("out").to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    assert!(
        matches!(result.code, 0..=3),
        "exit {}: {}",
        result.code,
        result.stderr
    );
    assert!(!result.stderr.contains("panicked"), "{}", result.stderr);
    for name in [
        "cat-doi.docx",
        "bom-nen.docx",
        "bang-long.docx",
        "bang-qua-nhieu-o.docx",
        "khong-phai-word.docx",
    ] {
        assert!(
            result.stdout.contains(name),
            "{name} named:\n{}",
            result.stdout
        );
    }
}

/// `baocao plan KE-HOACH.docx` writes the annex; a .doc is converted by LibreOffice, or,
/// without it, the message asks for .docx.
#[test]
fn baocao_plan_takes_word_plans() {
    if !python_docx() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let docx = dir.path().join("KE-HOACH.docx");
    word_plan("003", &docx, &[]);
    let plan = |file: &Path, config: &Path| {
        run_baocao(&[
            "plan",
            file.to_str().expect("utf-8"),
            "--output",
            dir.path().join("out").to_str().expect("utf-8"),
            "--config",
            config.to_str().expect("utf-8"),
        ])
    };
    let shipped = repo().join("config/baocao.toml");
    let result = plan(&docx, &shipped);
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    assert!(result.stdout.contains("41 nhiệm vụ"), "{}", result.stdout);
    let written: Vec<&str> = result
        .stdout
        .lines()
        .filter(|l| l.contains("phu-luc-"))
        .collect();
    assert_eq!(written.len(), 2, "{}", result.stdout);
    let annex = PathBuf::from(written[0].trim());
    let (text, _) = docx_texts(&annex);
    assert!(
        text.contains("PHÂN CÔNG NHIỆM VỤ CHO CÁC PHÒNG"),
        "annex title"
    );
    assert!(
        text.contains("Rà soát cơ sở vật chất các nhà trường"),
        "first task"
    );

    if !libreoffice::installed() {
        return;
    }
    let doc = libreoffice::convert(&docx, "doc", &dir.path().join("doc"));
    let result = plan(&doc, &shipped);
    assert_eq!(result.code, 0, "{}{}", result.stdout, result.stderr);
    assert!(result.stdout.contains("41 nhiệm vụ"), "{}", result.stdout);

    // A copy of the shipped configuration and templates, LibreOffice's command pointing
    // nowhere.
    let root = dir.path().join("khong-libreoffice");
    for folder in ["config", "templates"] {
        std::fs::create_dir_all(root.join(folder)).expect("mkdir");
    }
    for folder in ["config", "templates"] {
        for entry in std::fs::read_dir(repo().join(folder)).expect("folder") {
            let entry = entry.expect("entry");
            if entry.file_type().expect("type").is_file() {
                std::fs::copy(entry.path(), root.join(folder).join(entry.file_name()))
                    .expect("copy");
            }
        }
    }
    let no_office = root.join("config/baocao.toml");
    std::fs::write(
        &no_office,
        std::fs::read_to_string(&shipped).expect("config").replace(
            "# command = \"/usr/bin/soffice\"",
            "command = \"/nonexistent/soffice\"",
        ),
    )
    .expect("write config");
    let result = plan(&doc, &no_office);
    assert_eq!(result.code, 1, "{}{}", result.stdout, result.stderr);
    assert!(
        result.stderr.contains("KE-HOACH.doc") && result.stderr.contains("lưu lại dưới dạng .docx"),
        "{}",
        result.stderr
    );
}

/// `baocao run` takes a .docx plan from the input folder, and every input file is listed
/// with the form it was read as (issue 20): the run log, the manifest, `--json`.
#[test]
fn the_monthly_run_takes_word_plans_and_names_each_form() {
    if !python_docx() {
        return;
    }
    let workspace = Workspace::with(&november_samples());
    word_plan("001", &workspace.input().join("KE-HOACH.docx"), &[]);
    std::fs::write(
        workspace.input().join("ghi-chu.docx"),
        word_package("<w:p><w:r><w:t>Ghi chú</w:t></w:r></w:p>"),
    )
    .expect("write note");
    let sample = sample("003");
    write_form_b(&sample, &workspace.input().join(&sample.file)).expect("Form B");
    let result = workspace.run("run");
    assert!(
        matches!(result.code, 0 | 2),
        "{}{}",
        result.stdout,
        result.stderr
    );
    let period = workspace.output().join("2025-11");
    let annexes: Vec<String> = std::fs::read_dir(&period)
        .expect("outputs")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("phu-luc-") && n.ends_with(".docx"))
        .collect();
    assert_eq!(annexes.len(), 2, "{annexes:?}");

    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(period.join("manifest.json")).expect("manifest"),
    )
    .expect("manifest is JSON");
    let entry = |file: &str| -> serde_json::Value {
        manifest["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .find(|i| i["path"] == file)
            .cloned()
            .unwrap_or_else(|| panic!("{file} in manifest"))
    };
    assert_eq!(entry("KE-HOACH.docx")["form"], "PlanDocument");
    assert_eq!(entry("KE-HOACH.docx")["status"], "Chấp nhận");
    assert_eq!(entry(&sample.file)["form"], "Plan");
    assert_eq!(entry(&sample.file)["status"], "Chấp nhận");
    assert_eq!(entry("ghi-chu.docx")["status"], "Không phải biểu mẫu");
    let statuses: Vec<String> = manifest["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| i["status"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        !statuses.iter().any(|s| s == "Biểu mẫu khác"),
        "{statuses:?}"
    );

    let log = std::fs::read_to_string(period.join("nhat-ky-chay.txt")).expect("run log written");
    assert!(
        log.contains("KE-HOACH.docx") && log.contains("Kế hoạch (văn bản Word)"),
        "{log}"
    );
    assert!(log.contains("Kế hoạch (Biểu B)"), "{log}");
    assert!(log.contains("Báo cáo tháng (Biểu A)"), "{log}");

    // The «Bài nộp» sheet names each file's form.
    let rows = xlsx_rows(&workspace.xlsx(), "Bài nộp");
    let form_of = |file: &str| -> String {
        rows.iter()
            .find(|r| matches!(r.get(1), Some(calamine::Data::String(s)) if s == file))
            .and_then(|r| r.get(9))
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    assert_eq!(form_of("KE-HOACH.docx"), "Kế hoạch (văn bản Word)");
    assert_eq!(form_of(&sample.file), "Kế hoạch (Biểu B)");
    assert_eq!(form_of("GDTrH.xlsx"), "Báo cáo tháng (Biểu A)");

    let json = run_baocao(&[
        "check",
        "--json",
        "--period",
        "2025-11",
        "--input",
        workspace.input().to_str().expect("utf-8"),
        "--output",
        workspace.output().to_str().expect("utf-8"),
        "--config",
        repo().join("config/baocao.toml").to_str().expect("utf-8"),
    ]);
    let summary: serde_json::Value = serde_json::from_str(&json.stdout).expect("--json is JSON");
    let file = summary["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["file"] == "KE-HOACH.docx")
        .cloned()
        .expect("the Word plan listed");
    assert_eq!(file["form"], "PlanDocument");
    assert_eq!(file["status"], "Accepted");
    let monthly_accepted = summary["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| f["form"] == "MonthlyReport" && f["status"] == "Accepted")
        .count();
    assert_eq!(
        summary["accepted"], monthly_accepted,
        "plans are not counted as reports"
    );
}
