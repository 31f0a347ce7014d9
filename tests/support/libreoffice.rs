//! LibreOffice as the other program that saves what people send: a file converted or saved
//! again by `soffice`, with a private profile so that tests run side by side.

// Each test binary uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// True when `soffice` runs; otherwise says which check is skipped (`.ci/run` installs it).
pub fn installed() -> bool {
    let ok = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("soffice not installed: LibreOffice case skipped (.ci/run installs it)");
    }
    ok
}

/// `file` converted by LibreOffice to `format` (`xlsx`, `ods`, `xls`, `docx`, `doc`…) in
/// `out_dir`: the path of the file it wrote.
pub fn convert(file: &Path, format: &str, out_dir: &Path) -> PathBuf {
    std::fs::create_dir_all(out_dir).expect("mkdir");
    let output = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            out_dir.join("profile").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            format,
            "--outdir",
        ])
        .arg(out_dir)
        .arg(file)
        .env("HOME", out_dir)
        .output()
        .expect("soffice runs");
    assert!(
        output.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let converted = out_dir.join(file.with_extension(format).file_name().expect("name"));
    assert!(
        converted.is_file(),
        "LibreOffice wrote {}",
        converted.display()
    );
    converted
}
