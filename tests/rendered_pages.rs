//! The pages another program prints. The outputs are converted by LibreOffice — by `--pdf`
//! itself, under the C locale a cron job has, and, for the blank forms, as a clerk's office
//! suite would — and checked on the PDF's text and word positions (`pdftotext -bbox`):
//! each document has its own PDF and the manifest tells the truth about every file; the
//! XLSX's numbers are Vietnamese (`3.675`, `6,3%`) whatever the server's locale; no row's
//! wrapped text runs over another row; the targets' charts stand side by side without
//! covering each other; the forms' instructions and titles stay whole inside the page.
//!
//! Skipped, with a line on standard error, when LibreOffice or poppler-utils is missing
//! (`.ci/run` installs both).

#[path = "support/summary.rs"]
mod summary;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use calamine::{open_workbook, Data, Reader, Xlsx};
use sha2::{Digest, Sha256};

const PERIOD: &str = "2025-11";

/// The repository's root, where `input/`, `config/` and `templates/` live.
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// True when `soffice` and `pdftotext` both run.
fn tools_present() -> bool {
    let runs = |program: &str, arg: &str| {
        Command::new(program)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let present = runs("soffice", "--version") && runs("pdftotext", "-v");
    if !present {
        eprintln!("soffice or pdftotext not installed: rendered pages not checked (.ci/run installs them)");
    }
    present
}

/// A word of a PDF page and its box, in points from the page's top-left corner.
#[derive(Debug, Clone)]
struct Word {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// A PDF page's size and words.
#[derive(Debug, Default)]
struct Page {
    width: f64,
    height: f64,
    words: Vec<Word>,
}

fn attribute(line: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let start = line.find(&key).expect("attribute") + key.len();
    let end = start + line[start..].find('"').expect("closing quote");
    line[start..end].parse().expect("a number")
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The pages of a PDF with their words, read by `pdftotext -bbox`.
fn pages(pdf: &Path) -> Vec<Page> {
    let output = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(output.status.success(), "pdftotext {}", pdf.display());
    let mut pages: Vec<Page> = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            pages.push(Page {
                width: attribute(line, "width"),
                height: attribute(line, "height"),
                words: Vec::new(),
            });
        } else if line.starts_with("<word ") {
            let page = pages.len() - 1;
            let text = &line
                [line.find('>').expect("tag end") + 1..line.rfind("</word>").expect("word end")];
            pages[page].words.push(Word {
                x0: attribute(line, "xMin"),
                y0: attribute(line, "yMin"),
                x1: attribute(line, "xMax"),
                y1: attribute(line, "yMax"),
                text: unescape(text),
            });
        }
    }
    pages
}

/// The PDF's text as `pdftotext` gives it, for plain searches.
fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Pairs of words drawn over each other: their boxes share more than 40% of the smaller
/// box's height and some width. Lines of one wrapped cell touch (their boxes are taller than
/// the line spacing) but never overlap that much; a row too short for its text draws its
/// last lines over the next row's.
fn overprinted(page: &Page) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (i, a) in page.words.iter().enumerate() {
        for b in &page.words[i + 1..] {
            let across = a.x1.min(b.x1) - a.x0.max(b.x0);
            let down = a.y1.min(b.y1) - a.y0.max(b.y0);
            let shorter = (a.y1 - a.y0).min(b.y1 - b.y0);
            if across > 0.5 && down > 0.4 * shorter {
                found.push((
                    format!("{} ({:.0},{:.0})", a.text, a.x0, a.y0),
                    format!("{} ({:.0},{:.0})", b.text, b.x0, b.y0),
                ));
            }
        }
    }
    found
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir`, as paths relative to it with `/`.
fn files_under(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("inside");
                found.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One `run --pdf` over the bundled input (the November 2025 units, the two plans with
/// progress reports, the schools), under the C locale, shared by the tests of this file.
struct PdfRun {
    _dir: tempfile::TempDir,
    period_dir: PathBuf,
    stdout: String,
}

fn pdf_run() -> Option<&'static PdfRun> {
    static RUN: OnceLock<Option<PdfRun>> = OnceLock::new();
    RUN.get_or_init(|| {
        if !tools_present() {
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("input");
        copy_dir(&repo().join("input"), &input);
        let output = dir.path().join("output");
        let result = Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args(["run", "--period", PERIOD, "--pdf", "--no-send", "--input"])
            .arg(&input)
            .arg("--output")
            .arg(&output)
            .arg("--config")
            .arg(repo().join("config/baocao.toml"))
            .env("LANG", "C")
            .env("LC_ALL", "C")
            .env_remove("LANGUAGE")
            .output()
            .expect("baocao runs");
        let stdout = String::from_utf8_lossy(&result.stdout).into_owned();
        assert!(
            result.status.code().is_some_and(|c| c <= 2),
            "{stdout}\n{}",
            String::from_utf8_lossy(&result.stderr)
        );
        Some(PdfRun {
            period_dir: output.join(PERIOD),
            _dir: dir,
            stdout,
        })
    })
    .as_ref()
}

#[test]
fn every_document_has_its_own_pdf_and_the_manifest_matches_every_file() {
    let Some(run) = pdf_run() else { return };
    let on_disk = files_under(&run.period_dir);
    // A PDF beside each DOCX and XLSX, named after it; an annex's two documents give two.
    let documents: Vec<&String> = on_disk
        .iter()
        .filter(|f| !f.contains('/') && (f.ends_with(".docx") || f.ends_with(".xlsx")))
        .collect();
    assert!(documents.len() >= 6, "{on_disk:?}");
    for document in &documents {
        let pdf = match document.strip_suffix(".docx") {
            Some(stem) => format!("{stem}.pdf"),
            None => format!("{}-xlsx.pdf", document.strip_suffix(".xlsx").expect("xlsx")),
        };
        assert!(
            on_disk.contains(&pdf),
            "{document}: no {pdf} in {on_disk:?}"
        );
    }
    let annexes: Vec<&String> = on_disk
        .iter()
        .filter(|f| f.starts_with("phu-luc-") && f.ends_with(".docx"))
        .collect();
    assert!(!annexes.is_empty(), "{on_disk:?}");
    for annex in annexes {
        let stem = annex.strip_suffix(".docx").expect("docx");
        let docx_pdf = std::fs::read(run.period_dir.join(format!("{stem}.pdf"))).expect("pdf");
        let xlsx_pdf =
            std::fs::read(run.period_dir.join(format!("{stem}-xlsx.pdf"))).expect("xlsx pdf");
        assert!(docx_pdf.starts_with(b"%PDF") && xlsx_pdf.starts_with(b"%PDF"));
        assert_ne!(
            docx_pdf, xlsx_pdf,
            "{stem}: the two PDFs are different documents"
        );
    }

    // "Đã ghi:" lists each file once, every file written.
    let listed = summary::written_files(&run.stdout);
    let unique: BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!(unique.len(), listed.len(), "listed twice: {listed:?}");
    assert_eq!(listed.len(), on_disk.len(), "{listed:?}\n{on_disk:?}");
    for file in &on_disk {
        assert!(
            listed.iter().any(|l| l.ends_with(&format!("/{file}"))),
            "{file} not listed"
        );
    }

    // The manifest: one entry per file, each SHA-256 and size that of the file on disk, and
    // every file but the manifest and the run log (written after it) described.
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.period_dir.join("manifest.json")).expect("manifest"),
    )
    .expect("manifest is JSON");
    let outputs = manifest["outputs"].as_array().expect("outputs");
    let mut described = BTreeMap::new();
    for entry in outputs {
        let path = entry["path"].as_str().expect("path").to_string();
        let bytes = std::fs::read(run.period_dir.join(&path))
            .unwrap_or_else(|_| panic!("{path} is in the manifest but not on disk"));
        assert_eq!(entry["sha256"], sha256_hex(&bytes).as_str(), "{path}");
        assert_eq!(entry["size"], bytes.len() as u64, "{path}");
        assert!(
            described.insert(path.clone(), ()).is_none(),
            "{path} twice in the manifest"
        );
    }
    for file in &on_disk {
        if file != "manifest.json" && file != "nhat-ky-chay.txt" {
            assert!(
                described.contains_key(file),
                "{file} missing from the manifest"
            );
        }
    }
}

#[test]
fn the_workbooks_pdfs_write_numbers_the_vietnamese_way_under_the_c_locale() {
    let Some(run) = pdf_run() else { return };
    let text = pdf_text(
        &run.period_dir
            .join(format!("so-lieu-thang-{PERIOD}-xlsx.pdf")),
    );
    for expected in ["3.675", "6,3%", "93,2%"] {
        assert!(
            text.contains(expected),
            "{expected} not in the PDF:\n{text}"
        );
    }
    for wrong in ["3,675", "6.3%", "93.2%"] {
        assert!(!text.contains(wrong), "{wrong} in the PDF");
    }
    let targets = pdf_text(
        &run.period_dir
            .join(format!("chi-tieu-thang-{PERIOD}-xlsx.pdf")),
    );
    assert!(
        targets
            .split_whitespace()
            .any(|w| w.contains(',') && w.ends_with('%')),
        "a share with a decimal comma in the targets PDF:\n{targets}"
    );
}

#[test]
fn no_row_of_a_workbook_prints_over_another() {
    let Some(run) = pdf_run() else { return };
    let pdfs: Vec<String> = files_under(&run.period_dir)
        .into_iter()
        .filter(|f| f.ends_with("-xlsx.pdf"))
        .collect();
    assert!(pdfs.len() >= 3, "{pdfs:?}");
    for pdf in &pdfs {
        for (n, page) in pages(&run.period_dir.join(pdf)).iter().enumerate() {
            let clashes = overprinted(page);
            assert!(
                clashes.is_empty(),
                "{pdf}, page {}: words drawn over each other: {clashes:?}",
                n + 1
            );
        }
    }
}

/// The rows of a sheet as calamine reads them.
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).expect("open xlsx");
    let range = book.worksheet_range(sheet).expect("sheet");
    range.rows().map(|r| r.to_vec()).collect()
}

#[test]
fn each_advised_documents_summary_stays_inside_its_own_row() {
    let Some(run) = pdf_run() else { return };
    let rows = sheet_rows(
        &run.period_dir.join(format!("so-lieu-thang-{PERIOD}.xlsx")),
        "Văn bản tham mưu",
    );
    let summaries: Vec<String> = rows[1..].iter().map(|r| r[4].to_string()).collect();
    assert!(summaries.len() >= 3, "{summaries:?}");
    assert!(
        summaries.iter().any(|s| s.chars().count() > 150),
        "a summary long enough to wrap: {summaries:?}"
    );
    let pages = pages(
        &run.period_dir
            .join(format!("so-lieu-thang-{PERIOD}-xlsx.pdf")),
    );
    // The sheet's page: the one with the `Trích yếu` header.
    let page = pages
        .iter()
        .find(|p| {
            p.words
                .windows(2)
                .any(|w| w[0].text == "Trích" && w[1].text == "yếu")
        })
        .expect("the Văn bản tham mưu page");
    let left = page.words.iter().map(|w| w.x0).fold(f64::MAX, f64::min);
    // Row tops: the STT numbers in the first column.
    let tops: Vec<f64> = (1..=summaries.len())
        .map(|n| {
            page.words
                .iter()
                .find(|w| w.text == n.to_string() && w.x0 < left + 20.0)
                .unwrap_or_else(|| panic!("row {n}'s number"))
                .y0
        })
        .collect();
    for (i, summary) in summaries.iter().enumerate() {
        let top = tops[i] - 2.0;
        let bottom = tops.get(i + 1).copied().unwrap_or(page.height);
        let mut in_row: Vec<&str> = page
            .words
            .iter()
            .filter(|w| w.y0 >= top && w.y1 <= bottom + 3.0)
            .map(|w| w.text.as_str())
            .collect();
        for word in summary.split_whitespace() {
            let at = in_row.iter().position(|w| *w == word).unwrap_or_else(|| {
                panic!(
                    "row {}: «{word}» of «{summary}» is not inside its row",
                    i + 1
                )
            });
            in_row.remove(at);
        }
    }
}

/// A chart's anchor in the drawing XML: (column, offset) and (row, offset) of its corners.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    from: ((u32, u64), (u32, u64)),
    to: ((u32, u64), (u32, u64)),
}

fn element_number(xml: &str, tag: &str) -> u64 {
    let open = format!("<xdr:{tag}>");
    let start = xml.find(&open).expect("tag") + open.len();
    let end = start + xml[start..].find('<').expect("end");
    xml[start..end].parse().expect("number")
}

fn corner(xml: &str) -> ((u32, u64), (u32, u64)) {
    (
        (
            element_number(xml, "col") as u32,
            element_number(xml, "colOff"),
        ),
        (
            element_number(xml, "row") as u32,
            element_number(xml, "rowOff"),
        ),
    )
}

fn zip_text(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Option<String> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).ok()?, &mut text).ok()?;
    Some(text)
}

/// The chart anchors of each sheet of a workbook, by sheet name (rust_xlsxwriter writes the
/// n-th sheet as `sheetN.xml`, its drawing named in the sheet's relationships).
fn anchors(path: &Path) -> BTreeMap<String, Vec<Anchor>> {
    let file = std::fs::File::open(path).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let workbook = zip_text(&mut zip, "xl/workbook.xml").expect("workbook part");
    let names: Vec<String> = workbook
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| unescape(&s[..s.find('"').expect("name end")]))
        .collect();
    let mut found = BTreeMap::new();
    for (n, name) in names.into_iter().enumerate() {
        let Some(rels) = zip_text(
            &mut zip,
            &format!("xl/worksheets/_rels/sheet{}.xml.rels", n + 1),
        ) else {
            continue;
        };
        let Some(at) = rels.find("../drawings/") else {
            continue;
        };
        let target = &rels[at + 3..];
        let target = &target[..target.find('"').expect("target end")];
        let xml = zip_text(&mut zip, &format!("xl/{target}")).expect("drawing part");
        let list = xml
            .split("<xdr:twoCellAnchor")
            .skip(1)
            .map(|anchor| Anchor {
                from: corner(&anchor[anchor.find("<xdr:from>").expect("from")..]),
                to: corner(&anchor[anchor.find("<xdr:to>").expect("to")..]),
            })
            .collect();
        found.insert(name, list);
    }
    found
}

/// Runs `baocao run` on the bundled input without `--pdf` (no LibreOffice needed).
fn plain_run(dir: &Path) -> PathBuf {
    let input = dir.join("input");
    copy_dir(&repo().join("input"), &input);
    let output = dir.join("output");
    let result = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["run", "--period", PERIOD, "--no-send", "--quiet", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .arg("--config")
        .arg(repo().join("config/baocao.toml"))
        .output()
        .expect("baocao runs");
    assert!(result.status.code().is_some_and(|c| c <= 2), "{result:?}");
    output.join(PERIOD)
}

#[test]
fn the_targets_chart_anchors_follow_one_another_below_the_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let xlsx = plain_run(dir.path()).join(format!("chi-tieu-thang-{PERIOD}.xlsx"));
    let drawings = anchors(&xlsx);
    let mut pairs = 0;
    for (sheet, list) in &drawings {
        // The table ends with its `Toàn cấp …` row; every chart starts below it.
        let rows = sheet_rows(&xlsx, sheet);
        let total = rows
            .iter()
            .position(|r| {
                r.first()
                    .is_some_and(|c| c.to_string().starts_with("Toàn cấp"))
            })
            .unwrap_or_else(|| panic!("{sheet}: its total row")) as u32;
        for (i, a) in list.iter().enumerate() {
            assert!(
                a.from.1 .0 > total,
                "{sheet}: {a:?} starts on the table (ends at row {total})"
            );
            for b in &list[i + 1..] {
                let apart = a.to.0 <= b.from.0
                    || b.to.0 <= a.from.0
                    || a.to.1 <= b.from.1
                    || b.to.1 <= a.from.1;
                assert!(apart, "{sheet}: {a:?} overlaps {b:?}");
                pairs += 1;
            }
        }
    }
    assert!(
        drawings.get("Mầm non").is_some_and(|l| l.len() >= 3),
        "Mầm non has its three charts: {drawings:?}"
    );
    assert!(pairs >= 3, "{drawings:?}");
}

#[test]
fn the_targets_charts_never_cover_each_other_or_the_table() {
    let Some(run) = pdf_run() else { return };
    let xlsx = run.period_dir.join(format!("chi-tieu-thang-{PERIOD}.xlsx"));
    // On the page: a chart's title is centred over it, its value axis labels stand at its
    // left edge; the second chart of a band starts (its axis labels) right of where the
    // first one ends (its title's centre mirrored over its own axis labels).
    let pdf = run
        .period_dir
        .join(format!("chi-tieu-thang-{PERIOD}-xlsx.pdf"));
    let pages = pages(&pdf);
    let mut sheets_checked = 0;
    for level in ["Mầm non", "Tiểu học", "Liên cấp"] {
        let rows = sheet_rows(&xlsx, level);
        let titles: Vec<String> = rows
            .iter()
            .flatten()
            .filter_map(|c| c.to_string().strip_prefix("Mục tiêu: ").map(str::to_string))
            .collect();
        if titles.len() < 2 {
            continue;
        }
        // The sheet's pages: from its title to the next sheet's.
        let heading = format!("CẤP {}", level.to_uppercase());
        let first = pages
            .iter()
            .position(|p| page_text(p).contains(&heading))
            .unwrap_or_else(|| panic!("{level}: its page"));
        let last = (first + 1..pages.len())
            .find(|&n| {
                page_text(&pages[n]).contains("CHỈ TIÊU CẤP")
                    || page_text(&pages[n]).starts_with("TT ")
            })
            .unwrap_or(pages.len());
        let found: Vec<(usize, f64, f64, f64)> = titles[..2]
            .iter()
            .map(|title| {
                find_line(&pages[first..last], title)
                    .map(|(n, c, y0, y1)| (first + n, c, y0, y1))
                    .unwrap_or_else(|| panic!("{level}: chart «{title}» on its pages"))
            })
            .collect();
        let ((page1, c1, y1, _), (page2, c2, y2, _)) = (found[0], found[1]);
        assert_eq!(page1, page2, "{level}: both charts on one page");
        let page = &pages[page1];
        if (y1 - y2).abs() > 3.0 {
            // One below the other: the second title below the whole first chart.
            assert!(y2 > y1 + 100.0, "{level}: {found:?}");
            continue;
        }
        // A value axis: at least three shares stacked one above the other, right-aligned.
        let axis = |from: f64, to: f64| {
            let mut stacks: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
            for w in &page.words {
                let share = w.text.ends_with('%')
                    && w.text
                        .trim_end_matches('%')
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ',');
                if share && w.y0 > y1 && w.y0 < y1 + (c2 - c1) && w.x0 >= from && w.x1 <= to {
                    stacks.entry(w.x1.round() as i64).or_default().push(w.x0);
                }
            }
            stacks
                .values()
                .filter(|xs| xs.len() >= 3)
                .flatten()
                .copied()
                .fold(f64::MAX, f64::min)
        };
        let axis1 = axis(0.0, c1);
        let axis2 = axis(c1, c2);
        assert!(
            axis1 < c1 && axis2 < c2,
            "{level}: axis labels {axis1} {axis2}"
        );
        let right1 = 2.0 * c1 - axis1;
        assert!(
            axis2 > right1,
            "{level}: the second chart (axis at {axis2:.0}) starts inside the first (which ends after {right1:.0})"
        );
        sheets_checked += 1;
    }
    assert!(
        sheets_checked >= 1,
        "a level sheet with two charts side by side"
    );
}

/// A page's words joined by spaces.
fn page_text(page: &Page) -> String {
    page.words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a line of text (a chart title) stands: page, centre, top, and bottom of its words.
fn find_line(pages: &[Page], text: &str) -> Option<(usize, f64, f64, f64)> {
    let wanted: Vec<&str> = text.split_whitespace().collect();
    for (n, page) in pages.iter().enumerate() {
        for start in 0..page.words.len() {
            let run = &page.words[start..];
            if run.len() < wanted.len() {
                break;
            }
            let same = wanted
                .iter()
                .zip(run)
                .all(|(w, word)| word.text == *w && (word.y0 - run[0].y0).abs() < 2.0);
            // A chart's title, not the table's header (which repeats on every page).
            if same {
                let last = &run[wanted.len() - 1];
                let in_header = page
                    .words
                    .iter()
                    .any(|w| w.text == "Xã/phường" && (w.y0 - run[0].y0).abs() < 60.0);
                if !in_header {
                    return Some((n, (run[0].x0 + last.x1) / 2.0, run[0].y0, last.y1));
                }
            }
        }
    }
    None
}

/// Converts workbooks to PDF with LibreOffice as a clerk's machine would, under the C
/// locale, with a private profile; returns the PDFs.
fn convert(files: &[PathBuf], out: &Path) -> Vec<PathBuf> {
    let profile = out.join("profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(out)
        .args(files)
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .env("HOME", out)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{status:?}");
    files
        .iter()
        .map(|f| out.join(f.with_extension("pdf").file_name().expect("name")))
        .collect()
}

#[test]
fn the_blank_forms_print_whole_inside_the_page() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input");
    copy_dir(&repo().join("input"), &input);
    let forms = dir.path().join("forms");
    let result = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["forms", "--period", "2025-12", "--output"])
        .arg(&forms)
        .arg("--input")
        .arg(&input)
        .arg("--config")
        .arg(repo().join("config/baocao.toml"))
        .output()
        .expect("baocao runs");
    assert!(result.status.success(), "{result:?}");
    let folder = forms.join("2025-12");
    let written = files_under(&folder);
    let pick = |prefix: &str| -> PathBuf {
        folder.join(
            written
                .iter()
                .find(|f| f.starts_with(prefix) && f.ends_with(".xlsx"))
                .unwrap_or_else(|| panic!("a {prefix}… form in {written:?}")),
        )
    };
    let chosen = [
        pick("bieu-a-2025-12-"),
        pick("bieu-b-"),
        pick("bieu-c-2025-12-"),
        pick("bieu-d-2025-12-mau-chung"),
    ];
    let pdfs = convert(&chosen, &dir.path().join("pdf"));
    for (xlsx, pdf) in chosen.iter().zip(&pdfs) {
        let name = xlsx
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let pages = pages(pdf);
        let all_words: Vec<&str> = pages
            .iter()
            .flat_map(|p| p.words.iter().map(|w| w.text.as_str()))
            .collect();
        // Nothing runs past the printed width (margins: left 0.6", right 0.4") or over
        // another line.
        for (n, page) in pages.iter().enumerate() {
            for word in &page.words {
                assert!(
                    word.x1 <= page.width - 0.4 * 72.0 + 2.0 && word.x0 >= 0.6 * 72.0 - 2.0,
                    "{name}, page {}: «{}» at {:.0}–{:.0} outside the printed width {:.0}",
                    n + 1,
                    word.text,
                    word.x0,
                    word.x1,
                    page.width
                );
            }
            let clashes = overprinted(page);
            assert!(clashes.is_empty(), "{name}, page {}: {clashes:?}", n + 1);
        }
        // Every word of the guide and of each sheet's title is printed.
        let mut book: Xlsx<_> = open_workbook(xlsx).expect("open form");
        let sheet_names: Vec<String> = book
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible == calamine::SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect();
        for sheet in &sheet_names {
            let range = book.worksheet_range(sheet).expect("sheet");
            let texts: Vec<String> = if sheet == "Hướng dẫn" {
                range.rows().map(|r| r[0].to_string()).collect()
            } else {
                range
                    .rows()
                    .next()
                    .map(|r| vec![r[0].to_string()])
                    .unwrap_or_default()
            };
            for text in texts {
                for word in text.split_whitespace() {
                    assert!(
                        all_words.contains(&word),
                        "{name} › {sheet}: «{word}» of «{text}» is not printed"
                    );
                }
            }
        }
        // `Thông tin` heads its columns so that no one reads "school".
        let info = book.worksheet_range("Thông tin").expect("Thông tin");
        assert_eq!(info.get((0, 0)).map(|c| c.to_string()), Some("Mục".into()));
        assert_eq!(
            info.get((0, 1)).map(|c| c.to_string()),
            Some("Nội dung".into())
        );
    }
    let form_d = pdf_text(&pdfs[3]);
    for title in [
        "HƯỚNG DẪN ĐIỀN THỐNG KÊ TRƯỜNG HỌC (BIỂU D) — THÁNG 12/2025",
        "THỐNG KÊ TRƯỜNG HỌC THÁNG 12 NĂM 2025",
    ] {
        assert!(
            form_d.contains(title),
            "Form D's title «{title}» whole:\n{form_d}"
        );
    }
}
