//! Running the real `baocao` binary on workbooks written by the tests, and reading its
//! outputs back: the DOCX by unzipping and parsing its XML, the XLSX with calamine.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::form_a::{load_samples, write_form_a, SampleSubmission};

/// The repository's root, where `samples/`, `config/` and `templates/` live.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The November 2025 sample submissions (seed 000), freshly loaded.
pub fn november_samples() -> Vec<SampleSubmission> {
    load_samples(&repo().join("samples/2025-11")).expect("samples load")
}

/// The sample of one unit, by its `Mã đơn vị`.
pub fn sample_of<'a>(samples: &'a mut [SampleSubmission], code: &str) -> &'a mut SampleSubmission {
    samples
        .iter_mut()
        .find(|s| s.info.iter().any(|(k, v)| k == "Mã đơn vị" && v == code))
        .unwrap_or_else(|| panic!("no sample for {code}"))
}

/// Sets a `Thông tin` field.
pub fn set_info(sample: &mut SampleSubmission, field: &str, value: &str) {
    match sample.info.iter_mut().find(|(k, _)| k == field) {
        Some(pair) => pair.1 = value.to_string(),
        None => sample.info.push((field.to_string(), value.to_string())),
    }
}

/// Sets a figure's value.
pub fn set_figure(sample: &mut SampleSubmission, code: &str, value: i64) {
    let figure = sample
        .figures
        .iter_mut()
        .find(|f| f.code == code)
        .expect("figure exists");
    figure.value = value;
}

/// A temporary workspace with `input/` and `output/`.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// A workspace whose input holds the given submissions as .xlsx workbooks.
    pub fn with(samples: &[SampleSubmission]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("input")).expect("mkdir input");
        let workspace = Self { dir };
        for sample in samples {
            write_form_a(sample, &workspace.input().join(&sample.file)).expect("write workbook");
        }
        workspace
    }

    pub fn input(&self) -> PathBuf {
        self.dir.path().join("input")
    }

    pub fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    /// Runs `baocao <command> --period 2025-11` on this workspace.
    pub fn run(&self, command: &str) -> RunResult {
        run_baocao(&[
            command,
            "--period",
            "2025-11",
            "--input",
            self.input().to_str().expect("utf-8 path"),
            "--output",
            self.output().to_str().expect("utf-8 path"),
            "--config",
            repo()
                .join("config/baocao.toml")
                .to_str()
                .expect("utf-8 path"),
        ])
    }

    pub fn docx(&self) -> PathBuf {
        self.output().join("2025-11/bao-cao-thang-2025-11.docx")
    }

    pub fn xlsx(&self) -> PathBuf {
        self.output().join("2025-11/so-lieu-thang-2025-11.xlsx")
    }

    pub fn messages(&self) -> String {
        std::fs::read_to_string(self.output().join("2025-11/kiem-tra-2025-11.txt"))
            .unwrap_or_default()
    }
}

/// What a run printed and returned.
pub struct RunResult {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary built for this test run.
pub fn run_baocao(args: &[&str]) -> RunResult {
    let output = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(args)
        .output()
        .expect("baocao runs");
    RunResult {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// One part of a zip package as text.
pub fn zip_part(path: &Path, name: &str) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let mut archive = zip::ZipArchive::new(file).ok()?;
    let mut entry = archive.by_name(name).ok()?;
    let mut text = String::new();
    entry.read_to_string(&mut text).ok()?;
    Some(text)
}

/// The paragraphs' text of a WordprocessingML part, one line per `w:p`.
pub fn paragraph_text(xml: &str) -> String {
    let mut out = String::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) if e.name().0 == "w:t" => in_text = true,
            Ok(quick_xml::events::Event::End(e)) if e.name().0 == "w:t" => in_text = false,
            Ok(quick_xml::events::Event::End(e)) if e.name().0 == "w:p" => out.push('\n'),
            Ok(quick_xml::events::Event::Text(t)) if in_text => {
                out.push_str(&t.xml10_content());
            }
            Ok(quick_xml::events::Event::GeneralRef(r)) if in_text => {
                let entity: String = (*r).to_string();
                out.push_str(match entity.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                });
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Err(e) => panic!("XML does not parse: {e}"),
            _ => {}
        }
    }
    out
}

/// The body text and the footnotes text of a DOCX.
pub fn docx_texts(path: &Path) -> (String, String) {
    let document = zip_part(path, "word/document.xml").expect("document.xml");
    let footnotes = zip_part(path, "word/footnotes.xml").unwrap_or_default();
    (paragraph_text(&document), paragraph_text(&footnotes))
}

/// A sheet of an XLSX read back with calamine.
pub fn xlsx_rows(path: &Path, sheet: &str) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).expect("xlsx opens");
    let range = book.worksheet_range(sheet).expect("sheet exists");
    range.rows().map(|r| r.to_vec()).collect()
}

/// The row of a sheet whose given column holds `key`.
pub fn row_with<'a>(
    rows: &'a [Vec<calamine::Data>],
    column: usize,
    key: &str,
) -> &'a [calamine::Data] {
    rows.iter()
        .find(|r| r.get(column).map(|c| c.to_string()) == Some(key.to_string()))
        .unwrap_or_else(|| panic!("no row with {key}"))
}

/// A numeric cell as f64.
pub fn number(cell: &calamine::Data) -> f64 {
    match cell {
        calamine::Data::Float(f) => *f,
        calamine::Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}
