//! PDF copies of the documents, made by LibreOffice when it is installed, for readers who
//! open attachments on a phone. Conversion happens in a private temporary folder before
//! delivery, so PDFs are staged and delivered together with the rest.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Finds LibreOffice's command, if installed.
pub fn soffice() -> Option<PathBuf> {
    ["soffice", "libreoffice"].iter().find_map(|name| {
        Command::new(name)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|_| PathBuf::from(name))
    })
}

/// Converts one document (DOCX or XLSX bytes named `name`) to PDF bytes.
pub fn convert_to_pdf(soffice: &PathBuf, name: &str, bytes: &[u8]) -> Result<Vec<u8>> {
    let work = tempfile::tempdir().context("tạo thư mục tạm để chuyển PDF")?;
    let source = work.path().join(name);
    std::fs::write(&source, bytes).with_context(|| format!("ghi {}", source.display()))?;
    let output = Command::new(soffice)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(work.path())
        .arg(&source)
        // A private profile, so a LibreOffice open on the desktop does not block the run.
        .env("HOME", work.path())
        .output()
        .context("chạy LibreOffice để chuyển PDF")?;
    let pdf = source.with_extension("pdf");
    if !output.status.success() || !pdf.exists() {
        bail!(
            "LibreOffice không chuyển được {name} sang PDF: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    std::fs::read(&pdf).with_context(|| format!("đọc {}", pdf.display()))
}
