//! Issue 20: a tỉnh uses baocao without a rebuild. With `[organisation] locality = "tỉnh"`
//! and its own place, the report says "Sở GDĐT tỉnh", "toàn tỉnh", the targets workbook
//! heads its column "Toàn tỉnh", the summary counts targets "toàn tỉnh", the blank forms say
//! it too, and no output names "thành phố" or Hải Phòng.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/form_d.rs"]
mod form_d;
#[path = "support/pipeline.rs"]
mod pipeline;

use std::io::Read;
use std::path::{Path, PathBuf};

use form_a::load_samples;
use form_d::{registry_schools, write_form_d};
use pipeline::*;

/// The first user's words turned into a tỉnh's, in every case they are written.
fn as_province(text: &str) -> String {
    text.replace("thành phố", "tỉnh")
        .replace("Thành phố", "Tỉnh")
        .replace("THÀNH PHỐ", "TỈNH")
        .replace("Hải Phòng", "Quảng Ninh")
        .replace("HẢI PHÒNG", "QUẢNG NINH")
        .replace("UBND TP", "UBND tỉnh")
        .replace("haiphong", "quangninh")
        .replace("HPNET", "QNNET")
}

/// Whether a text names the first user's area.
fn names_the_city(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    ["thành phố", "hải phòng", "haiphong"]
        .into_iter()
        .find(|word| lower.contains(word))
        .map(|word| {
            let at = lower.find(word).unwrap_or(0);
            let start = lower.floor_char_boundary(at.saturating_sub(80));
            let end = lower.ceil_char_boundary((at + 80).min(lower.len()));
            lower[start..end].to_string()
        })
}

/// Every file under `dir` as text: zip packages (DOCX, XLSX) part by part.
fn texts_under(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).expect("read");
            if bytes.starts_with(b"PK") {
                let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
                for index in 0..archive.len() {
                    let mut part = archive.by_index(index).expect("part");
                    let name = part.name().map(|n| n.to_string()).unwrap_or_default();
                    let mut text = String::new();
                    if part.read_to_string(&mut text).is_ok() {
                        out.push((path.join(name), text));
                    }
                }
            } else {
                out.push((path, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    out
}

struct Province {
    dir: tempfile::TempDir,
    config: PathBuf,
}

impl Province {
    fn input(&self) -> PathBuf {
        self.dir.path().join("input")
    }
    fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }
}

/// A tỉnh's configuration, its units' November workbooks, its schools and registry.
fn province() -> Province {
    let repo = repo();
    let dir = tempfile::tempdir().expect("temp dir");
    // The units' submissions, reworded for the tỉnh.
    let samples_dir = dir.path().join("samples");
    std::fs::create_dir_all(&samples_dir).expect("mkdir");
    for entry in std::fs::read_dir(repo.join("samples/2025-11")).expect("samples") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("sample");
        std::fs::write(
            samples_dir.join(path.file_name().expect("name")),
            as_province(&text),
        )
        .expect("write sample");
    }
    let input = dir.path().join("input");
    std::fs::create_dir_all(input.join("truong")).expect("mkdir input");
    for sample in load_samples(&samples_dir).expect("samples load") {
        form_a::write_form_a(&sample, &input.join(&sample.file)).expect("workbook");
    }
    // Its schools and their registry.
    let registry =
        as_province(&std::fs::read_to_string(repo.join("config/truong.csv")).expect("registry"));
    std::fs::write(dir.path().join("truong.csv"), &registry).expect("registry");
    for school in registry_schools(&registry) {
        write_form_d(
            &school,
            &input.join("truong").join(format!("{}.xlsx", school.code)),
        )
        .expect("Form D");
    }
    // Its configuration: the shipped one with the tỉnh's words, the key under test included.
    let config =
        as_province(&std::fs::read_to_string(repo.join("config/baocao.toml")).expect("config"))
            .replace(
                "\"../templates/",
                &format!("\"{}/templates/", repo.display()),
            )
            .replace(
                "targets = \"chi-tieu.toml\"",
                &format!("targets = \"{}/config/chi-tieu.toml\"", repo.display()),
            );
    assert!(config.contains("locality = \"tỉnh\""), "{config}");
    assert!(config.contains("governing_body = \"UBND TỈNH QUẢNG NINH\""));
    let path = dir.path().join("baocao.toml");
    std::fs::write(&path, config).expect("config");
    Province { dir, config: path }
}

#[test]
fn a_province_reads_toan_tinh_and_never_thanh_pho() {
    let province = province();
    let run = run_baocao(&[
        "run",
        "--period",
        "2025-11",
        "--input",
        province.input().to_str().expect("utf-8"),
        "--output",
        province.output().to_str().expect("utf-8"),
        "--config",
        province.config.to_str().expect("utf-8"),
    ]);
    assert!(
        run.code == 0 || run.code == 2,
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stdout.contains("chỉ tiêu chưa đạt (toàn tỉnh)"),
        "{}",
        run.stdout
    );
    let period = province.output().join("2025-11");
    let docx = period.join("bao-cao-thang-2025-11.docx");
    let (body, _) = docx_texts(&docx);
    for wanted in [
        "Sở Giáo dục và Đào tạo (GDĐT) tỉnh báo cáo",
        "ngành GDĐT tỉnh tiếp tục",
        "Kết quả thực hiện các chỉ tiêu toàn tỉnh theo cấp học",
        "Quảng Ninh, ngày",
        "UBND TỈNH QUẢNG NINH",
    ] {
        assert!(
            body.contains(wanted),
            "«{wanted}» not in the report:\n{body}"
        );
    }
    let targets = period.join("chi-tieu-thang-2025-11.xlsx");
    let rows = xlsx_rows(&targets, "Tổng hợp");
    let header = rows
        .iter()
        .find(|row| row.iter().any(|c| *c == "Chỉ tiêu"))
        .expect("header row");
    assert!(header.iter().any(|c| *c == "Toàn tỉnh"), "{header:?}");
    let texts = texts_under(&province.output());
    assert!(texts.len() > 10, "{} files", texts.len());
    for (path, text) in &texts {
        if let Some(context) = names_the_city(text) {
            panic!("{} names the city: …{context}…", path.display());
        }
    }
    assert_eq!(names_the_city(&run.stdout), None, "{}", run.stdout);
}

#[test]
fn a_provinces_blank_forms_say_toan_tinh() {
    let province = province();
    let output = province.dir.path().join("bieu-mau");
    let run = run_baocao(&[
        "forms",
        "--period",
        "2025-12",
        "--truong",
        "--input",
        province.input().to_str().expect("utf-8"),
        "--output",
        output.to_str().expect("utf-8"),
        "--config",
        province.config.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let texts = texts_under(&output);
    assert!(
        texts
            .iter()
            .any(|(_, text)| text.contains("theo loại hình và toàn tỉnh")),
        "Form D's guide does not say toàn tỉnh"
    );
    for (path, text) in &texts {
        if let Some(context) = names_the_city(text) {
            panic!("{} names the city: …{context}…", path.display());
        }
    }
}
