//! Issue 20: what baocao ships speaks to the department, not to its developers, and names no
//! organisation in code.
//! - The files the Debian package installs (the `assets` of `[package.metadata.deb]`:
//!   configuration, targets, school registry, wording templates, the reference document,
//!   systemd units, the README) and what the program prints about itself (`man`, completions)
//!   carry no development words: seed numbers, TODO, FIXME, placeholders, paths of the build
//!   machine. The documentation (`docs/*.md`, installed in /usr/share/doc/baocao) too.
//! - The wording templates and the program's own text name no place and no administrative
//!   level: those come from `[organisation] place` and `locality`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Words that belong to the project's development, never to a shipped file.
const DEVELOPMENT_WORDS: [&str; 9] = [
    "seed",
    "todo",
    "fixme",
    "xxx",
    "lorem",
    "dummy",
    "/work/",
    "issue #",
    "placeholder",
];

/// The first development word found in `text` as a word (`seed` but not `seedling`), with
/// its line.
fn development_word(text: &str) -> Option<(String, String)> {
    for line in text.lines() {
        let lower = line.to_lowercase();
        for word in DEVELOPMENT_WORDS {
            let mut from = 0;
            while let Some(at) = lower[from..].find(word) {
                let start = from + at;
                let end = start + word.len();
                let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                let before = lower[..start].chars().next_back();
                let after = lower[end..].chars().next();
                let after_plural = lower[end..].strip_prefix('s').map(|r| r.chars().next());
                let whole = !word.chars().next().is_some_and(char::is_alphanumeric)
                    || (!alnum(before)
                        && (!alnum(after) || after_plural.is_some_and(|c| !alnum(c))));
                if whole {
                    return Some((word.to_string(), line.trim().to_string()));
                }
                from = end;
            }
        }
    }
    None
}

/// The files the package installs that come from the repository (generated ones — the
/// configuration as installed, the man page, the completions — are checked at their source
/// or by running the program).
fn shipped_files() -> Vec<PathBuf> {
    let manifest: toml::Table = std::fs::read_to_string(repo().join("Cargo.toml"))
        .expect("Cargo.toml")
        .parse()
        .expect("Cargo.toml parses");
    let assets = manifest["package"]["metadata"]["deb"]["assets"]
        .as_array()
        .expect("deb assets");
    let mut files = Vec::new();
    for asset in assets {
        let source = asset[0].as_str().expect("asset source");
        if source.starts_with("target/") {
            continue;
        }
        // `docs/*.md`: every file the pattern names (the package's documentation).
        if let Some((folder, extension)) = source.split_once("/*.") {
            let mut matched = 0;
            for entry in std::fs::read_dir(repo().join(folder)).expect("asset folder") {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == extension) {
                    files.push(path);
                    matched += 1;
                }
            }
            assert!(matched > 0, "asset {source} names no file");
            continue;
        }
        let path = repo().join(source);
        assert!(path.exists(), "asset {source} is missing");
        files.push(path);
    }
    // The configuration the package installs is made from this one (packaging/build-deb.sh).
    files.push(repo().join("config/baocao.toml"));
    files.sort();
    files.dedup();
    files
}

/// A file's text: a DOCX's XML parts, anything else as UTF-8.
fn text_of(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("read");
    if bytes.starts_with(b"PK") {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut all = String::new();
        for index in 0..archive.len() {
            let mut part = archive.by_index(index).expect("part");
            let mut text = String::new();
            if part.read_to_string(&mut text).is_ok() {
                all.push_str(&text);
                all.push('\n');
            }
        }
        all
    } else {
        String::from_utf8(bytes).unwrap_or_else(|_| panic!("{} is not UTF-8", path.display()))
    }
}

#[test]
fn the_word_finder_finds_words_not_parts_of_words() {
    assert!(development_word("Kế hoạch (seed 003)").is_some());
    assert!(development_word("two seeds").is_some());
    assert!(development_word("# TODO: later").is_some());
    assert!(development_word("seedling, xxxl").is_none());
    assert!(development_word("Kế hoạch năm học 2024-2025: mầm non").is_none());
}

#[test]
fn shipped_files_carry_no_development_words() {
    let files = shipped_files();
    assert!(
        files.iter().any(|f| f.ends_with("config/chi-tieu.toml")),
        "{files:?}"
    );
    for file in &files {
        if let Some((word, line)) = development_word(&text_of(file)) {
            panic!("{}: «{word}» in «{line}»", file.display());
        }
    }
    let binary = env!("CARGO_BIN_EXE_baocao");
    for args in [&["man"][..], &["completions", "bash"][..], &["--help"][..]] {
        let output = Command::new(binary).args(args).output().expect("runs");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(!text.is_empty(), "{args:?}");
        if let Some((word, line)) = development_word(&text) {
            panic!("baocao {args:?}: «{word}» in «{line}»");
        }
    }
}

/// Words that name the first user's area; they belong in its configuration.
fn names_a_place(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("thành phố") || lower.contains("hải phòng")
}

#[test]
fn wording_templates_name_no_place() {
    for name in ["bao-cao-thang.toml", "gui-thu.toml", "huong-dan.toml"] {
        let text = std::fs::read_to_string(repo().join("templates").join(name)).expect("read");
        for line in text.lines() {
            // Comments may give examples; the wording itself may not.
            if line.trim_start().starts_with('#') {
                continue;
            }
            assert!(
                !names_a_place(line),
                "templates/{name}: «{line}» names a place; use {{{{ dia_phuong }}}} or {{{{ dia_danh }}}}"
            );
        }
    }
}

/// The program's text outside its tests: string literals and all, comments left out.
#[test]
fn the_program_names_no_place() {
    let mut stack = vec![repo().join("src")];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            // Test modules sit at the end of a file and may use real examples.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for line in code.lines() {
                let trimmed = line.trim_start();
                if trimmed.starts_with("//") {
                    continue;
                }
                assert!(
                    !names_a_place(line),
                    "{}: «{}» — the place and its level come from the configuration",
                    path.display(),
                    line.trim()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} files read");
}
