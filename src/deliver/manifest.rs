//! `manifest.json` beside each period's outputs: what went in (every input with its hash and
//! fate), what came out (every output with its hash), with which tool version and
//! configuration, and how long each stage took — so a report can be explained afterwards.

use anyhow::{Context, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

use crate::validate::SubmissionRecord;

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(2 * digest.len());
    for byte in digest {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

/// The manifest of one run for one period.
#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    pub tool: &'static str,
    pub version: &'static str,
    pub period: String,
    /// The configuration file used (absolute path), or the built-in sample's description.
    pub config_source: String,
    /// Which step of the search found it (`command_line`, `environment`, …, `builtin`).
    pub config_origin: crate::config::ConfigOrigin,
    /// The wording templates file used.
    pub templates_source: String,
    pub config_sha256: String,
    pub templates_sha256: String,
    pub inputs: Vec<InputEntry<'a>>,
    pub outputs: Vec<OutputEntry>,
    /// Milliseconds per stage before delivery: ingest_validate, aggregate, render.
    pub timings_ms: BTreeMap<&'static str, u128>,
    pub exit_status: u8,
}

/// One input file, borrowing from its validation record (50,000 paths and hashes are not
/// copied to be written once).
#[derive(Debug, Serialize)]
pub struct InputEntry<'a> {
    pub path: &'a str,
    pub size: u64,
    pub sha256: &'a str,
    pub form: Option<String>,
    pub unit: Option<String>,
    pub status: String,
    pub errors: usize,
    pub warnings: usize,
}

/// One output file.
#[derive(Debug, Serialize)]
pub struct OutputEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl<'a> InputEntry<'a> {
    /// The entry of a validation record; `unit` is the unit's code, when known.
    pub fn from_record(record: &'a SubmissionRecord, unit: Option<String>) -> Self {
        Self {
            path: &record.file,
            size: record.size,
            sha256: &record.sha256,
            form: record.form.map(|f| format!("{f:?}")),
            unit,
            status: record.status.label(),
            errors: record.errors,
            warnings: record.warnings,
        }
    }
}

impl OutputEntry {
    /// The entry of an output written under `name`.
    pub fn new(name: &str, bytes: &[u8]) -> Self {
        Self {
            path: name.to_string(),
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }
}

/// The manifest's file name beside the outputs.
pub const MANIFEST: &str = "manifest.json";

/// The manifest as pretty JSON, staged and delivered with the documents it describes.
pub fn manifest_json(manifest: &Manifest) -> Result<String> {
    // Room for every input's entry at once (about 300 bytes each, pretty), not doubled as the
    // text grows: 15 MB at 50,000 files.
    let mut bytes = Vec::with_capacity(64 * 1024 + 400 * manifest.inputs.len());
    serde_json::to_writer_pretty(&mut bytes, manifest).context("ghi manifest.json")?;
    String::from_utf8(bytes).context("ghi manifest.json")
}

/// The inputs' entries as they stand in the manifest's pretty JSON (one level in, as the
/// value of its `inputs` key): made while the last document is still being packed, so that
/// only the short rest of the manifest is left once every document is made
/// ([`manifest_json_with`]).
pub fn inputs_json(inputs: &[InputEntry]) -> Result<String> {
    let mut text = OneLevelIn(Vec::with_capacity(16 + 420 * inputs.len()));
    serde_json::to_writer_pretty(&mut text, inputs).context("ghi manifest.json")?;
    String::from_utf8(text.0).context("ghi manifest.json")
}

/// Pretty JSON moved in by one level as it is written (not copied again: 15 MB at 50,000
/// files). JSON strings hold no raw newline, so each one is between lines.
struct OneLevelIn(Vec<u8>);

impl std::io::Write for OneLevelIn {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
            if n > 0 {
                self.0.extend_from_slice(b"\n  ");
            }
            self.0.extend_from_slice(line);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// [`manifest_json`] of a manifest whose inputs are already rendered by [`inputs_json`]
/// (its own `inputs` left empty): the same text, the rendered inputs in their place.
pub fn manifest_json_with(manifest: &Manifest, inputs: &str) -> Result<String> {
    anyhow::ensure!(
        manifest.inputs.is_empty(),
        "lỗi nội bộ khi ghi manifest.json: danh sách tệp đầu vào bị ghi hai lần"
    );
    let rest = manifest_json(manifest)?;
    // The manifest's own key, one level in: a string value cannot hold the raw newline.
    const KEY: &str = "\n  \"inputs\": ";
    let at = rest
        .find(&format!("{KEY}[]"))
        .context("lỗi nội bộ khi ghi manifest.json: không thấy chỗ của danh sách tệp đầu vào")?
        + KEY.len();
    let mut text = String::with_capacity(rest.len() + inputs.len());
    text.push_str(&rest[..at]);
    text.push_str(inputs);
    text.push_str(&rest[at + 2..]);
    Ok(text)
}

/// Adds what delivery did to the period's `manifest.json` (key `delivery`) after the
/// documents are in place, with the run's final exit status; the file is replaced atomically.
pub fn record_delivery(
    period_dir: &std::path::Path,
    delivery: &impl Serialize,
    exit_status: u8,
) -> Result<()> {
    let path = period_dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("không đọc được {}", path.display()))?;
    let mut value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} hỏng", path.display()))?;
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "delivery".to_string(),
            serde_json::to_value(delivery).context("ghi manifest.json")?,
        );
        object.insert("exit_status".to_string(), exit_status.into());
    }
    let text = serde_json::to_string_pretty(&value).context("ghi manifest.json")?;
    crate::deliver::atomic::write_atomically(&path, text.as_bytes())
        .with_context(|| format!("không ghi được {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    fn manifest<'a>(inputs: Vec<InputEntry<'a>>) -> Manifest<'a> {
        Manifest {
            tool: "baocao",
            version: "0.1.0",
            period: "2025-11".into(),
            config_source: "/etc/baocao/baocao.toml".into(),
            config_origin: crate::config::ConfigOrigin::System,
            templates_source: "mau \"câu\" chữ.toml".into(),
            config_sha256: sha256_hex(b"config"),
            templates_sha256: sha256_hex(b"templates"),
            inputs,
            outputs: vec![OutputEntry::new("bao-cao-thang-2025-11.docx", b"docx")],
            timings_ms: BTreeMap::from([("ingest_validate", 180), ("render", 40)]),
            exit_status: 2,
        }
    }

    fn entry<'a>(path: &'a str, sha: &'a str, form: Option<&str>) -> InputEntry<'a> {
        InputEntry {
            path,
            size: 8_192,
            sha256: sha,
            form: form.map(str::to_string),
            unit: Some("GDTrH".into()),
            status: "Chấp nhận".into(),
            errors: 0,
            warnings: 1,
        }
    }

    #[test]
    fn inputs_rendered_beforehand_give_the_manifest_byte_for_byte() {
        let sha = sha256_hex(b"input");
        // Quotes, a backslash, a newline and a tab in a path: escaped inside strings, so the
        // rendering's line breaks stay those of the structure.
        let paths = [
            "truong/xa-so-1/HP-MN-00001.xlsx",
            "Báo cáo \"tháng\" 11\\2025.xlsx",
            "dòng\nmới\t.xlsx",
        ];
        for count in [0, 1, 3] {
            let entries = || {
                paths[..count]
                    .iter()
                    .enumerate()
                    .map(|(n, p)| entry(p, &sha, (n != 1).then_some("FormA")))
                    .collect::<Vec<_>>()
            };
            let whole = manifest_json(&manifest(entries())).expect("whole");
            let rendered = inputs_json(&entries()).expect("inputs");
            let spliced = manifest_json_with(&manifest(Vec::new()), &rendered).expect("spliced");
            assert_eq!(spliced, whole, "{count} inputs");
            let parsed: serde_json::Value = serde_json::from_str(&spliced).expect("json");
            assert_eq!(parsed["inputs"].as_array().map(Vec::len), Some(count));
        }
        // A manifest that still holds its inputs would list them twice.
        let held = manifest(vec![entry(paths[0], &sha, None)]);
        assert!(manifest_json_with(&held, "[]").is_err());
    }
}
