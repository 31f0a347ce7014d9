//! End to end: every DOCX of a run on the sample input is Word-native (named Vietnamese styles,
//! headings with outline levels, no direct formatting, vi-VN), its look comes from the
//! reference document an office can edit, and a broken reference stops the run with one
//! Vietnamese message. The output is read back with quick-xml and, independently, docx-rs.

#[path = "support/docx.rs"]
mod docx;
#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/libreoffice.rs"]
mod libreoffice;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use pipeline::*;

/// The names of the paragraph styles every document may use (`render::document::style`).
const PARAGRAPH_STYLES: [&str; 29] = [
    "Nội dung",
    "Gạch đầu dòng",
    "Mục cấp 1",
    "Mục cấp 2",
    "Mục cấp 3",
    "Mục cấp 4",
    "Tên báo cáo",
    "Trích yếu",
    "Đường kẻ",
    "Tên phụ lục",
    "Căn cứ phụ lục",
    "Kèm theo",
    "Cơ quan chủ quản",
    "Cơ quan ban hành",
    "Quốc hiệu",
    "Tiêu ngữ",
    "Số, ký hiệu",
    "Địa danh, ngày tháng",
    "Nơi nhận",
    "Danh sách nơi nhận",
    "Chức vụ người ký",
    "Họ tên người ký",
    "Tiêu đề bảng",
    "Bảng",
    "Bảng căn giữa",
    "Bảng - dòng mục",
    "Bảng - số thứ tự cột",
    "Dòng cách",
    "Chú thích",
];

/// A copy of `config/` and `templates/` under a temporary root, so the reference document
/// beside the wording templates can be edited or removed.
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for folder in ["config", "templates"] {
            std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
            for entry in std::fs::read_dir(repo().join(folder)).expect("read repo folder") {
                let entry = entry.expect("entry");
                if entry.file_type().expect("type").is_file() {
                    std::fs::copy(
                        entry.path(),
                        dir.path().join(folder).join(entry.file_name()),
                    )
                    .expect("copy");
                }
            }
        }
        Self { dir }
    }

    fn reference(&self) -> PathBuf {
        self.dir.path().join("templates/mau-van-ban.docx")
    }

    fn output(&self) -> PathBuf {
        self.dir.path().join("output/2025-11")
    }

    /// `baocao run --period 2025-11` on the committed sample input (with its plans).
    fn run(&self) -> RunResult {
        let path = |p: &Path| p.to_str().expect("utf-8 path").to_string();
        run_baocao(&[
            "run",
            "--period",
            "2025-11",
            "--input",
            &path(&repo().join("input")),
            "--output",
            &path(&self.dir.path().join("output")),
            "--config",
            &path(&self.dir.path().join("config/baocao.toml")),
        ])
    }

    fn docx_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.output())
            .map(|entries| {
                entries
                    .map(|e| e.expect("entry").path())
                    .filter(|p| p.extension().is_some_and(|e| e == "docx"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }

    /// Rewrites one part of the reference document with `edit`.
    fn edit_reference(&self, part: &str, edit: impl Fn(&str) -> String) {
        let bytes = std::fs::read(self.reference()).expect("reference");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for index in 0..archive.len() {
            let mut file = archive.by_index(index).expect("entry");
            let name = file.name().expect("name").into_owned();
            let mut data = Vec::new();
            file.read_to_end(&mut data).expect("read");
            if name == part {
                data = edit(std::str::from_utf8(&data).expect("utf-8")).into_bytes();
            }
            out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .expect("start");
            out.write_all(&data).expect("write");
        }
        let bytes = out.finish().expect("finish").into_inner();
        std::fs::write(self.reference(), bytes).expect("write reference");
    }
}

#[test]
fn every_docx_uses_named_styles_headings_with_outline_levels_and_vietnamese() {
    let setup = Setup::new();
    let result = setup.run();
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    let files = setup.docx_files();
    assert_eq!(
        files.len(),
        4,
        "report, two annexes, one progress report: {files:?}"
    );
    for file in &files {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let styles = zip_part(file, "word/styles.xml").expect("styles.xml");
        let document = zip_part(file, "word/document.xml").expect("document.xml");
        for style in PARAGRAPH_STYLES {
            assert!(
                docx::style_id(&styles, style).is_some(),
                "{name}: no style «{style}»"
            );
        }
        // The language: document defaults and the default paragraph style.
        let defaults = &styles[..styles.find("</w:docDefaults>").expect("docDefaults")];
        assert!(
            defaults.contains(r#"<w:lang w:val="vi-VN""#),
            "{name}: defaults"
        );
        let normal = docx::style_element(&styles, "Normal").expect("Normal style");
        assert!(
            normal.contains(r#"<w:lang w:val="vi-VN""#),
            "{name}: Normal"
        );

        // Read independently with docx-rs: the headings' outline levels.
        let bytes = std::fs::read(file).expect("docx");
        let read = docx_rs::read_docx(&bytes).expect("docx-rs reads the package");
        for level in 1..=4usize {
            let style = read
                .styles
                .styles
                .iter()
                .find(|s| s.name == docx_rs::Name::new(format!("Mục cấp {level}")))
                .expect("heading style");
            assert_eq!(
                style.paragraph_property.outline_lvl,
                Some(docx_rs::OutlineLvl::new(level - 1)),
                "{name}: outline level of «Mục cấp {level}»"
            );
        }

        // Every paragraph names a style; no run formats itself.
        let paragraphs = docx::paragraphs(&document);
        assert!(paragraphs.len() > 10, "{name}");
        let unstyled: Vec<&docx::Para> = paragraphs.iter().filter(|p| p.style.is_none()).collect();
        assert!(
            unstyled.is_empty(),
            "{name}: paragraphs without a style: {unstyled:?}"
        );
        let formatted: Vec<&docx::Para> =
            paragraphs.iter().filter(|p| p.direct_run_format).collect();
        assert!(
            formatted.is_empty(),
            "{name}: runs with direct formatting: {formatted:?}"
        );
        for tag in ["<w:b/>", "<w:i/>", "<w:sz ", "<w:rFonts", "<w:jc "] {
            assert!(!document.contains(tag), "{name}: direct formatting {tag}");
        }
        // Bullets come from the style's numbering, not a typed dash.
        assert!(
            !paragraphs
                .iter()
                .any(|p| !p.in_table && p.text.starts_with("- ")),
            "{name}: a typed bullet"
        );
    }

    // The report's headings are in heading styles.
    let report = setup.output().join("bao-cao-thang-2025-11.docx");
    let styles = zip_part(&report, "word/styles.xml").expect("styles.xml");
    let paragraphs = docx::paragraphs(&zip_part(&report, "word/document.xml").expect("xml"));
    let id = |name: &str| docx::style_id(&styles, name).expect("style");
    let style_of = |text: &str| {
        paragraphs
            .iter()
            .find(|p| p.text.starts_with(text))
            .unwrap_or_else(|| panic!("no paragraph «{text}»"))
            .style
            .clone()
    };
    assert_eq!(style_of("I. KẾT QUẢ THỰC HIỆN"), Some(id("Mục cấp 1")));
    assert_eq!(style_of("II. NHIỆM VỤ TRỌNG TÂM"), Some(id("Mục cấp 1")));
    assert_eq!(style_of("1. Công tác tham mưu"), Some(id("Mục cấp 2")));
    assert_eq!(style_of("BÁO CÁO"), Some(id("Tên báo cáo")));
    for roman in ["I. ", "II. ", "III. "] {
        for p in paragraphs
            .iter()
            .filter(|p| !p.in_table && p.text.starts_with(roman))
        {
            assert_eq!(p.style, Some(id("Mục cấp 1")), "{}", p.text);
        }
    }
    let bullets = paragraphs
        .iter()
        .filter(|p| p.style == Some(id("Gạch đầu dòng")))
        .count();
    assert!(bullets >= 5, "the task lists are bullets ({bullets})");
}

#[test]
fn an_office_changes_the_body_style_and_the_next_run_follows() {
    let setup = Setup::new();
    // As an editor might save it: the style under another id, with a new font and size.
    setup.edit_reference("word/styles.xml", |styles| {
        let id = docx::style_id(styles, "Nội dung").expect("body style");
        let element = docx::style_element(styles, &id).expect("element").to_string();
        let changed = element.replace("</w:pPr>", "</w:pPr><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:cs=\"Arial\"/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr>");
        assert_ne!(element, changed);
        styles
            .replace(&element, &changed)
            .replace(&format!("\"{id}\""), "\"ThanVanBan\"")
    });
    let result = setup.run();
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    let report = setup.output().join("bao-cao-thang-2025-11.docx");
    let styles = zip_part(&report, "word/styles.xml").expect("styles.xml");
    assert_eq!(
        docx::style_id(&styles, "Nội dung").as_deref(),
        Some("ThanVanBan")
    );
    let body = docx::style_element(&styles, "ThanVanBan").expect("body style");
    assert!(body.contains(r#"w:ascii="Arial""#) && body.contains(r#"<w:sz w:val="26"/>"#));
    let document = zip_part(&report, "word/document.xml").expect("document.xml");
    let paragraphs = docx::paragraphs(&document);
    let in_body_style = paragraphs
        .iter()
        .filter(|p| p.style.as_deref() == Some("ThanVanBan"))
        .count();
    assert!(
        in_body_style > 10,
        "body paragraphs use the renamed style ({in_body_style})"
    );
    assert!(!document.contains("<w:rFonts") && !document.contains("<w:sz "));
    assert!(paragraphs.iter().all(|p| !p.direct_run_format));
}

#[test]
fn a_broken_or_missing_reference_is_one_vietnamese_error_and_no_document() {
    let setup = Setup::new();
    setup.edit_reference("word/styles.xml", |styles| {
        styles.replace(
            "<w:name w:val=\"Mục cấp 1\"/>",
            "<w:name w:val=\"Heading 1\"/>",
        )
    });
    let result = setup.run();
    assert_eq!(result.code, 1, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stderr.contains("mau-van-ban.docx")
            && result.stderr.contains("thiếu kiểu «Mục cấp 1»"),
        "{}",
        result.stderr
    );
    assert!(setup.docx_files().is_empty(), "no half-styled document");

    std::fs::remove_file(setup.reference()).expect("remove");
    let result = setup.run();
    assert_eq!(result.code, 1, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stderr.contains("không đọc được mẫu văn bản")
            && result.stderr.contains("mau-van-ban.docx"),
        "{}",
        result.stderr
    );
}

#[test]
fn libreoffice_converts_every_docx_and_the_report_keeps_its_length() {
    if !libreoffice::installed() {
        return;
    }
    let setup = Setup::new();
    let result = setup.run();
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    let out = setup.dir.path().join("pdf");
    let files = setup.docx_files();
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .args(&files)
        .env("HOME", setup.dir.path())
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for file in &files {
        let pdf = out.join(file.with_extension("pdf").file_name().expect("name"));
        let bytes = std::fs::read(&pdf).unwrap_or_else(|_| panic!("{} converted", file.display()));
        assert!(bytes.starts_with(b"%PDF"));
    }
    // The report was 15 pages before the reference document; it may move by one.
    let info = std::process::Command::new("pdfinfo")
        .arg(out.join("bao-cao-thang-2025-11.pdf"))
        .output();
    let Ok(info) = info else {
        eprintln!("pdfinfo not installed: page count not checked (.ci/run installs it)");
        return;
    };
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count");
    assert!((14..=16).contains(&pages), "the report has {pages} pages");
}

/// An office edits the reference in LibreOffice and saves it: LibreOffice renames every style
/// id (`Mục cấp 1` becomes `Mccp1`), its footnote ids and its relationships; the run still
/// finds every style by name.
#[test]
fn a_reference_saved_again_by_libreoffice_still_styles_every_document() {
    if !libreoffice::installed() {
        return;
    }
    let setup = Setup::new();
    let saved = setup.dir.path().join("saved");
    let status = std::process::Command::new("soffice")
        .args([
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
        ])
        .arg(&saved)
        .arg(setup.reference())
        .env("HOME", setup.dir.path())
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::copy(saved.join("mau-van-ban.docx"), setup.reference()).expect("replace");
    let saved_styles = zip_part(&setup.reference(), "word/styles.xml").expect("styles");
    let heading = docx::style_id(&saved_styles, "Mục cấp 1").expect("kept by name");
    assert_ne!(heading, "MucCap1", "LibreOffice gave the style another id");

    let result = setup.run();
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    let report = setup.output().join("bao-cao-thang-2025-11.docx");
    let paragraphs = docx::paragraphs(&zip_part(&report, "word/document.xml").expect("xml"));
    let first = paragraphs
        .iter()
        .find(|p| p.text.starts_with("I. KẾT QUẢ"))
        .expect("part I");
    assert_eq!(first.style.as_deref(), Some(heading.as_str()));
    let notes = zip_part(&report, "word/footnotes.xml").expect("footnotes");
    assert_eq!(
        notes.matches("<w:footnoteRef/>").count(),
        3,
        "the report's own notes only"
    );
    assert!(notes.contains("w:type=\"separator\""));
}

/// Other programs see the structure: «Mục cấp 1–4» are based on Word's built-in «heading
/// 1–4» and «Chú thích» on «footnote text», so pandoc (and screen readers, Word's navigation
/// pane, PDF bookmarks) find four levels of headings where none were found before.
#[test]
fn headings_and_notes_are_built_in_styles_to_other_programs() {
    let setup = Setup::new();
    let result = setup.run();
    assert!(matches!(result.code, 0 | 2), "{}", result.stderr);
    let report = setup.output().join("bao-cao-thang-2025-11.docx");
    let styles = zip_part(&report, "word/styles.xml").expect("styles part");
    for level in 1..=4 {
        let own = docx::style_element(&styles, &format!("MucCap{level}")).expect("Mục cấp");
        assert!(
            own.contains(&format!(r#"<w:basedOn w:val="Heading{level}"/>"#)),
            "{own}"
        );
        let built_in = docx::style_element(&styles, &format!("Heading{level}")).expect("heading");
        assert!(built_in.contains(&format!(r#"<w:name w:val="heading {level}"/>"#)));
        assert!(built_in.contains(&format!(r#"<w:outlineLvl w:val="{}"/>"#, level - 1)));
    }
    let note = docx::style_element(&styles, "ChuThich").expect("Chú thích");
    assert!(
        note.contains(r#"<w:basedOn w:val="FootnoteText"/>"#),
        "{note}"
    );
    let built_in = docx::style_element(&styles, "FootnoteText").expect("footnote text");
    assert!(built_in.contains(r#"<w:name w:val="footnote text"/>"#));

    let Ok(_) = std::process::Command::new("pandoc")
        .arg("--version")
        .output()
    else {
        eprintln!("pandoc not installed: its reading of the headings is not checked");
        return;
    };
    let markdown = |file: &Path| {
        let out = std::process::Command::new("pandoc")
            .args(["-f", "docx", "-t", "markdown"])
            .arg(file)
            .output()
            .expect("pandoc runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // The reference shows every level; the report uses its own.
    let sample = markdown(&setup.reference());
    for marks in ["# ", "## ", "### ", "#### "] {
        assert!(
            sample.lines().any(|l| l.starts_with(marks)),
            "pandoc sees «{marks}» headings:\n{sample}"
        );
    }
    let text = markdown(&report);
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert!(
        headings.iter().any(|l| l.starts_with("# "))
            && headings.iter().any(|l| l.starts_with("## ")),
        "{headings:?}"
    );
}
