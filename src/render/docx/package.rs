//! The package around the body: content types, relationships, document properties, and the
//! zip archive itself (every entry deflated, every timestamp 1980-01-01), so the same
//! document always gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::reference::{Reference, Relationship};
use super::xml::{escaped, DECLARATION};

const PACKAGE_RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const FOOTNOTES_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes";
const FOOTNOTES_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml";
const MAIN_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
const CORE_CONTENT_TYPE: &str = "application/vnd.openxmlformats-package.core-properties+xml";
const APP_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.extended-properties+xml";

/// `[Content_Types].xml` for the parts written: the reference's defaults, and an override
/// for each part that has one in the reference or is baocao's own.
pub fn content_types(reference: &Reference, parts: &[&str]) -> String {
    let mut out = String::from(DECLARATION);
    out.push_str("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
    for (extension, kind) in &reference.defaults {
        out.push_str(&format!(
            "<Default Extension=\"{}\" ContentType=\"{}\"/>",
            escaped(extension),
            escaped(kind)
        ));
    }
    for part in parts {
        let own = match *part {
            "word/document.xml" => Some(MAIN_CONTENT_TYPE),
            "docProps/core.xml" => Some(CORE_CONTENT_TYPE),
            "docProps/app.xml" => Some(APP_CONTENT_TYPE),
            p if p == reference.footnotes.part => Some(FOOTNOTES_CONTENT_TYPE),
            _ => None,
        };
        let kind = own.map(str::to_string).or_else(|| {
            reference
                .overrides
                .iter()
                .find(|(name, _)| name == part)
                .map(|(_, kind)| kind.clone())
        });
        if let Some(kind) = kind {
            out.push_str(&format!(
                "<Override PartName=\"/{}\" ContentType=\"{}\"/>",
                escaped(part),
                escaped(&kind)
            ));
        }
    }
    out.push_str("</Types>");
    out
}

/// `_rels/.rels`: the main part and the two property parts.
pub fn package_relationships() -> String {
    format!(
        "{DECLARATION}<Relationships xmlns=\"{PACKAGE_RELS_NS}\">\
         <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
         </Relationships>"
    )
}

/// The main part's relationships: the reference's, with the footnotes part added when the
/// reference had none.
pub fn document_relationships(reference: &Reference) -> String {
    let mut relationships = reference.relationships.clone();
    if !reference.footnotes.present {
        let mut n = relationships.len() + 1;
        while relationships.iter().any(|r| r.id == format!("rId{n}")) {
            n += 1;
        }
        relationships.push(Relationship {
            id: format!("rId{n}"),
            kind: FOOTNOTES_TYPE.to_string(),
            target: reference
                .footnotes
                .part
                .trim_start_matches("word/")
                .to_string(),
            external: false,
        });
    }
    let mut out = format!("{DECLARATION}<Relationships xmlns=\"{PACKAGE_RELS_NS}\">");
    for r in &relationships {
        out.push_str(&format!(
            "<Relationship Id=\"{}\" Type=\"{}\" Target=\"{}\"{}/>",
            escaped(&r.id),
            escaped(&r.kind),
            escaped(&r.target),
            if r.external {
                " TargetMode=\"External\""
            } else {
                ""
            }
        ));
    }
    out.push_str("</Relationships>");
    out
}

/// `docProps/core.xml`: title, author and language; no dates, so reruns are identical.
pub fn core_properties(title: &str) -> String {
    format!(
        "{DECLARATION}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>baocao</dc:creator><dc:language>vi-VN</dc:language>\
         </cp:coreProperties>",
        escaped(title)
    )
}

/// `docProps/app.xml`: the writing application.
pub fn app_properties() -> String {
    format!(
        "{DECLARATION}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>baocao</Application></Properties>"
    )
}

/// Zips the parts in the given order.
pub fn zip_parts(parts: &[(&str, &[u8])]) -> zip::result::ZipResult<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        zip.start_file(*name, options)?;
        zip.write_all(data)?;
    }
    Ok(zip.finish()?.into_inner())
}
