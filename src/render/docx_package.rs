//! Post-processing of the DOCX package written by `docx-rs`.
//!
//! `docx-rs` 0.4.22 writes a package that opens, but with gaps that matter for an
//! administrative report: footnotes lack the separator footnotes, the reference mark
//! inside the note and the styles they point to; footnote ids come from a
//! process-wide counter and paragraph ids from a per-thread one, so the same report
//! built twice differs in bytes; entries are stored uncompressed; and a table cannot
//! mark its first rows as header rows repeated on every page. [`finish_docx`] reads
//! the finished package and corrects all of that in one pass.
//!
//! The parts are edited as text: each part is parsed with `quick-xml` into a light
//! tree of byte ranges, and the fixes are splices into the original text, so what is
//! not fixed stays byte for byte as `docx-rs` wrote it. The WordprocessingML prefixes
//! (`w:`, `w14:`, ...) are matched as `docx-rs` binds them.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Write};
use std::ops::Range;

use anyhow::{anyhow, bail, ensure, Context, Result};
use quick_xml::events::Event;
use quick_xml::Reader;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// Prefix of the table style that asks for repeated header rows (see [`header_rows_style`]).
const HEADER_ROWS_STYLE_PREFIX: &str = "baocao-header-rows-";

const DOCUMENT_PART: &str = "word/document.xml";
const FOOTNOTES_PART: &str = "word/footnotes.xml";
const SETTINGS_PART: &str = "word/settings.xml";
const STYLES_PART: &str = "word/styles.xml";
const CONTENT_TYPES_PART: &str = "[Content_Types].xml";
const DOCUMENT_RELS_PART: &str = "word/_rels/document.xml.rels";

const FOOTNOTES_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml";
const FOOTNOTES_REL_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes";

const FOOTNOTE_REFERENCE_STYLE: &str = "FootnoteReference";
const FOOTNOTE_TEXT_STYLE: &str = "FootnoteText";

/// The separator (-1) and continuation separator (0) footnotes, as Word writes them.
const SEPARATOR_FOOTNOTES: &str = concat!(
    r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>"#,
    r#"<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"#,
);

/// The reference mark that starts the text of a footnote, followed by a space.
const FOOTNOTE_MARK_RUNS: &str = concat!(
    r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>"#,
    r#"<w:r><w:t xml:space="preserve"> </w:t></w:r>"#,
);

const FOOTNOTE_TEXT_PSTYLE: &str = r#"<w:pStyle w:val="FootnoteText"/>"#;
const FOOTNOTE_REFERENCE_RSTYLE: &str = r#"<w:rStyle w:val="FootnoteReference"/>"#;
const SETTINGS_FOOTNOTE_SEPARATORS: &str = r#"<w:footnote w:id="-1"/><w:footnote w:id="0"/>"#;

/// Children of `w:settings` that come after `w:footnotePr` in CT_Settings
/// (ECMA-376 Part 1, §17.15.1.78), plus the Office extensions Word writes at the end.
const SETTINGS_AFTER_FOOTNOTE_PR: &[&str] = &[
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
    "w14:docId",
    "w14:conflictMode",
    "w14:discardImageEditingData",
    "w14:defaultImageDpi",
    "w15:chartTrackingRefBased",
    "w15:collapsedHeadings",
    "w15:docId",
];

/// Children of `w:trPr` that Word writes after `w:tblHeader` (CT_TrPrBase order, then CT_TrPr).
const TR_PR_AFTER_TBL_HEADER: &[&str] = &[
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
    "w:ins",
    "w:del",
    "w:trPrChange",
];

/// Largest paragraph id Word accepts (ids must stay below 0x80000000).
const MAX_PARA_ID: u32 = 0x7FFF_FFFE;

/// Name of the table style that marks a table whose first `n` rows (1 to 9) repeat at
/// the top of every page.
///
/// `docx-rs` cannot write `<w:tblHeader/>`, so the document builder gives such a table
/// this style (`Table::style(header_rows_style(n))`) and [`finish_docx`] turns it into
/// header rows and removes the style. Use this function rather than spelling the name.
/// A count outside 1..=9 makes [`finish_docx`] fail.
pub fn header_rows_style(n: usize) -> String {
    format!("{HEADER_ROWS_STYLE_PREFIX}{n}")
}

/// Corrects a DOCX package written by `docx-rs` and returns the new package bytes.
///
/// It exists because `docx-rs` 0.4.22 leaves gaps that this pipeline cannot accept:
/// - footnotes: renumbered 1, 2, 3… in document order, with the separator footnotes,
///   the reference mark at the start of each note, the `FootnoteReference` and
///   `FootnoteText` styles, and the `w:footnotePr` entry in the settings;
/// - paragraph ids (`w14:paraId`, `w14:textId`): renumbered in order of appearance,
///   so the same document built twice gives the same bytes;
/// - tables styled with [`header_rows_style`]: their first rows become repeated
///   header rows (`w:tblHeader`) and the marker style is removed;
/// - the archive: every file deflated, every timestamp 1980-01-01 00:00:00.
///
/// The same input always gives the same output. Anything unexpected in the package
/// is reported as an error, never a panic.
pub fn finish_docx(raw: &[u8]) -> Result<Vec<u8>> {
    let mut package = Package::read(raw).context("reading the DOCX package written by docx-rs")?;
    fix_footnotes(&mut package).context("completing the footnotes")?;
    mark_header_rows(&mut package).context("marking repeated table header rows")?;
    renumber_paragraph_ids(&mut package).context("renumbering paragraph ids")?;
    package
        .write()
        .context("writing the corrected DOCX package")
}

// ---------------------------------------------------------------------------------
// The package
// ---------------------------------------------------------------------------------

/// One zip entry: a directory (no data) or a file.
struct Entry {
    name: String,
    data: Option<Vec<u8>>,
}

/// The zip entries of a package, in their original order.
struct Package {
    entries: Vec<Entry>,
}

impl Package {
    fn read(raw: &[u8]) -> Result<Package> {
        let mut archive = ZipArchive::new(Cursor::new(raw)).context("not a zip archive")?;
        let mut entries = Vec::with_capacity(archive.len());
        for index in 0..archive.len() {
            let mut file = archive
                .by_index(index)
                .with_context(|| format!("opening zip entry #{index}"))?;
            let name = file
                .name()
                .with_context(|| format!("reading the name of zip entry #{index}"))?
                .into_owned();
            let data = if file.is_dir() {
                None
            } else {
                let mut data = Vec::new();
                file.read_to_end(&mut data)
                    .with_context(|| format!("reading zip entry {name}"))?;
                Some(data)
            };
            entries.push(Entry { name, data });
        }
        Ok(Package { entries })
    }

    /// The text of a part, `None` if the package has no such part.
    fn text(&self, name: &str) -> Result<Option<&str>> {
        match self.entries.iter().find(|e| e.name == name) {
            Some(Entry {
                data: Some(data), ..
            }) => std::str::from_utf8(data)
                .map(Some)
                .with_context(|| format!("{name} is not UTF-8")),
            Some(Entry { data: None, .. }) => bail!("{name} is a directory, not a part"),
            None => Ok(None),
        }
    }

    fn required_text(&self, name: &str) -> Result<&str> {
        self.text(name)?
            .ok_or_else(|| anyhow!("the package has no {name}"))
    }

    fn set_text(&mut self, name: &str, text: String) -> Result<()> {
        let entry = self
            .entries
            .iter_mut()
            .find(|e| e.name == name && e.data.is_some())
            .ok_or_else(|| anyhow!("the package has no {name}"))?;
        entry.data = Some(text.into_bytes());
        Ok(())
    }

    /// Names of the XML parts under `word/`, in archive order.
    fn word_xml_parts(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| e.data.is_some() && e.name.starts_with("word/") && e.name.ends_with(".xml"))
            .map(|e| e.name.clone())
            .collect()
    }

    /// Writes the entries in the same order, files deflated, with a fixed timestamp and
    /// fixed permissions, so that the same entries always give the same bytes.
    fn write(&self) -> Result<Vec<u8>> {
        let file_options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(6))
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        let directory_options = SimpleFileOptions::default()
            .last_modified_time(DateTime::default())
            .unix_permissions(0o755);
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for entry in &self.entries {
            match &entry.data {
                // A directory entry has no data; zip always stores it.
                None => zip
                    .add_directory(entry.name.as_str(), directory_options)
                    .with_context(|| format!("adding directory {}", entry.name))?,
                Some(data) => {
                    zip.start_file(entry.name.as_str(), file_options)
                        .with_context(|| format!("adding {}", entry.name))?;
                    zip.write_all(data)
                        .with_context(|| format!("compressing {}", entry.name))?;
                }
            }
        }
        Ok(zip
            .finish()
            .context("finishing the zip archive")?
            .into_inner())
    }
}

// ---------------------------------------------------------------------------------
// Footnotes
// ---------------------------------------------------------------------------------

/// Renumbers the footnotes in document order and completes them as Word writes them:
/// separators, reference marks, styles, settings and package references.
fn fix_footnotes(package: &mut Package) -> Result<()> {
    let document = package.required_text(DOCUMENT_PART)?;
    let root = parse(document).context("parsing word/document.xml")?;
    let references: Vec<&Element> = root
        .descendants()
        .filter(|e| e.name == "w:footnoteReference")
        .collect();
    if references.is_empty() {
        return Ok(());
    }

    // New ids 1, 2, 3… in order of first reference.
    let mut order: Vec<i64> = Vec::new();
    let mut new_ids: HashMap<i64, usize> = HashMap::new();
    for reference in &references {
        let old = footnote_id(document, reference)?;
        if let std::collections::hash_map::Entry::Vacant(slot) = new_ids.entry(old) {
            order.push(old);
            slot.insert(order.len());
        }
    }

    let new_document = rewrite_footnote_references(document, &root, &references, &new_ids)
        .context("rewriting word/document.xml")?;
    let footnotes = package.required_text(FOOTNOTES_PART)?;
    let new_footnotes =
        rewrite_footnotes(footnotes, &order).context("rewriting word/footnotes.xml")?;
    let new_settings = ensure_footnote_settings(package.required_text(SETTINGS_PART)?)
        .context("adding w:footnotePr to word/settings.xml")?;
    let new_styles = ensure_footnote_styles(package.required_text(STYLES_PART)?)
        .context("adding the footnote styles to word/styles.xml")?;
    let new_content_types =
        ensure_footnotes_content_type(package.required_text(CONTENT_TYPES_PART)?)
            .context("registering word/footnotes.xml in [Content_Types].xml")?;
    let new_rels = ensure_footnotes_relationship(package.required_text(DOCUMENT_RELS_PART)?)
        .context("relating word/footnotes.xml in word/_rels/document.xml.rels")?;

    package.set_text(DOCUMENT_PART, new_document)?;
    package.set_text(FOOTNOTES_PART, new_footnotes)?;
    package.set_text(SETTINGS_PART, new_settings)?;
    package.set_text(STYLES_PART, new_styles)?;
    package.set_text(CONTENT_TYPES_PART, new_content_types)?;
    package.set_text(DOCUMENT_RELS_PART, new_rels)?;
    Ok(())
}

/// The `w:id` of a footnote or footnote reference.
fn footnote_id(src: &str, element: &Element) -> Result<i64> {
    let raw = element.attr_raw(src, "w:id").ok_or_else(|| {
        anyhow!(
            "<{}> at byte {} has no w:id",
            element.name,
            element.open.start
        )
    })?;
    raw.trim()
        .parse()
        .with_context(|| format!("<{}> has the non-numeric w:id {raw:?}", element.name))
}

/// Gives every `w:footnoteReference` its new id and makes sure its run carries the
/// `FootnoteReference` character style.
fn rewrite_footnote_references(
    src: &str,
    root: &Element,
    references: &[&Element],
    new_ids: &HashMap<i64, usize>,
) -> Result<String> {
    let mut edits = Vec::new();
    for reference in references {
        let old = footnote_id(src, reference)?;
        let new = new_ids
            .get(&old)
            .ok_or_else(|| anyhow!("footnote reference {old} was not numbered"))?;
        let range = reference
            .attr_value_range("w:id")
            .ok_or_else(|| anyhow!("footnote reference without w:id"))?;
        edits.push(Edit::replace(range, new.to_string()));
    }
    for run in root.descendants().filter(|e| e.name == "w:r") {
        if run.child("w:footnoteReference").is_some() {
            edits.extend(ensure_property_first(
                src,
                run,
                "w:rPr",
                "w:rStyle",
                FOOTNOTE_REFERENCE_RSTYLE,
            )?);
        }
    }
    apply_edits(src, 0..src.len(), edits)
}

/// Rebuilds footnotes.xml: the two separators, then the footnotes in the new order
/// (`order[i]` is the old id of footnote `i + 1`), then any footnote the document
/// does not reference. Existing separator footnotes are replaced.
fn rewrite_footnotes(src: &str, order: &[i64]) -> Result<String> {
    let root = parse(src)?;
    ensure!(
        root.name == "w:footnotes",
        "the root element is <{}>, not <w:footnotes>",
        root.name
    );
    let close = root
        .close
        .clone()
        .ok_or_else(|| anyhow!("the document references footnotes but footnotes.xml has none"))?;

    let mut by_old_id: HashMap<i64, &Element> = HashMap::new();
    let mut in_file_order: Vec<(i64, &Element)> = Vec::new();
    for child in &root.children {
        ensure!(
            child.name == "w:footnote",
            "unexpected <{}> in <w:footnotes>",
            child.name
        );
        let kind = child.attr_raw(src, "w:type").unwrap_or("normal");
        if kind != "normal" {
            // Separators and notices are written anew below.
            continue;
        }
        let id = footnote_id(src, child)?;
        ensure!(
            by_old_id.insert(id, child).is_none(),
            "footnote id {id} appears twice"
        );
        in_file_order.push((id, child));
    }

    let mut out = String::with_capacity(src.len() + 1024);
    out.push_str(slice(src, 0..root.open.end)?);
    out.push_str(SEPARATOR_FOOTNOTES);
    for (index, old) in order.iter().enumerate() {
        let footnote = by_old_id.get(old).ok_or_else(|| {
            anyhow!("the document references footnote {old}, which footnotes.xml lacks")
        })?;
        out.push_str(&complete_footnote(src, footnote, index + 1)?);
    }
    let referenced: HashSet<i64> = order.iter().copied().collect();
    let mut next_id = order.len() + 1;
    for (old, footnote) in in_file_order {
        if !referenced.contains(&old) {
            out.push_str(&complete_footnote(src, footnote, next_id)?);
            next_id += 1;
        }
    }
    out.push_str(slice(src, close.start..src.len())?);
    Ok(out)
}

/// One footnote with its new id, the `FootnoteText` style on its paragraphs and the
/// reference mark at the start of its first paragraph (unless it already has one).
fn complete_footnote(src: &str, footnote: &Element, new_id: usize) -> Result<String> {
    let mut edits = Vec::new();
    let id_range = footnote
        .attr_value_range("w:id")
        .ok_or_else(|| anyhow!("footnote without w:id"))?;
    edits.push(Edit::replace(id_range, new_id.to_string()));

    let needs_mark = !footnote.descendants().any(|e| e.name == "w:footnoteRef");
    let paragraphs: Vec<&Element> = footnote.children_named("w:p").collect();
    if paragraphs.is_empty() {
        let mark = if needs_mark { FOOTNOTE_MARK_RUNS } else { "" };
        let paragraph = format!("<w:p><w:pPr>{FOOTNOTE_TEXT_PSTYLE}</w:pPr>{mark}</w:p>");
        edits.push(insert_child(src, footnote, footnote.open.end, &paragraph)?);
    }
    for (index, paragraph) in paragraphs.iter().enumerate() {
        edits.extend(footnote_paragraph_edits(
            src,
            paragraph,
            needs_mark && index == 0,
        )?);
    }
    apply_edits(src, footnote.span(), edits)
}

/// Gives a footnote paragraph the `FootnoteText` style (unless it has a style) and,
/// if asked, the reference mark right after its `w:pPr`.
fn footnote_paragraph_edits(src: &str, paragraph: &Element, with_mark: bool) -> Result<Vec<Edit>> {
    let mark = if with_mark { FOOTNOTE_MARK_RUNS } else { "" };
    let Some(ppr) = paragraph.child("w:pPr") else {
        let text = format!("<w:pPr>{FOOTNOTE_TEXT_PSTYLE}</w:pPr>{mark}");
        return Ok(vec![insert_child(
            src,
            paragraph,
            paragraph.open.end,
            &text,
        )?]);
    };
    let mut edits = Vec::new();
    if ppr.child("w:pStyle").is_none() {
        edits.push(insert_child(src, ppr, ppr.open.end, FOOTNOTE_TEXT_PSTYLE)?);
    }
    if with_mark {
        edits.push(Edit::insert(ppr.span().end, mark));
    }
    Ok(edits)
}

/// Adds `<w:footnotePr>` with the two separator references to settings.xml, in its
/// schema position (before `w:endnotePr`, `w:compat` and the later elements).
fn ensure_footnote_settings(src: &str) -> Result<String> {
    let root = parse(src)?;
    ensure!(
        root.name == "w:settings",
        "the root element is <{}>, not <w:settings>",
        root.name
    );
    let edit = match root.child("w:footnotePr") {
        Some(footnote_pr) => {
            let has_separators = footnote_pr
                .children_named("w:footnote")
                .filter_map(|e| e.attr_raw(src, "w:id"))
                .any(|id| id.trim() == "-1");
            if has_separators {
                return Ok(src.to_owned());
            }
            // w:footnote comes last in CT_FtnDocProps.
            let at = footnote_pr
                .close
                .as_ref()
                .map_or(footnote_pr.open.end, |c| c.start);
            insert_child(src, footnote_pr, at, SETTINGS_FOOTNOTE_SEPARATORS)?
        }
        None => {
            let text = format!("<w:footnotePr>{SETTINGS_FOOTNOTE_SEPARATORS}</w:footnotePr>");
            let at = root
                .children
                .iter()
                .find(|c| SETTINGS_AFTER_FOOTNOTE_PR.contains(&c.name.as_str()))
                .map(|c| c.open.start)
                .or_else(|| root.close.as_ref().map(|c| c.start))
                .unwrap_or(root.open.end);
            insert_child(src, &root, at, &text)?
        }
    };
    apply_edits(src, 0..src.len(), vec![edit])
}

/// Defines the `FootnoteReference` character style (superscript) and the
/// `FootnoteText` paragraph style (11 pt, single spacing, no space after) unless
/// styles.xml already has them.
fn ensure_footnote_styles(src: &str) -> Result<String> {
    let root = parse(src)?;
    ensure!(
        root.name == "w:styles",
        "the root element is <{}>, not <w:styles>",
        root.name
    );
    let style_ids: HashSet<&str> = root
        .children_named("w:style")
        .filter_map(|s| s.attr_raw(src, "w:styleId"))
        .collect();
    let based_on = |id: &str| {
        if style_ids.contains(id) {
            format!(r#"<w:basedOn w:val="{id}"/>"#)
        } else {
            String::new()
        }
    };
    let mut styles = String::new();
    if !style_ids.contains(FOOTNOTE_TEXT_STYLE) {
        styles.push_str(&format!(
            concat!(
                r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="footnote text"/>{based_on}"#,
                r#"<w:uiPriority w:val="99"/><w:unhideWhenUsed/>"#,
                r#"<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>"#,
                r#"<w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>"#,
            ),
            id = FOOTNOTE_TEXT_STYLE,
            based_on = based_on("Normal"),
        ));
    }
    if !style_ids.contains(FOOTNOTE_REFERENCE_STYLE) {
        styles.push_str(&format!(
            concat!(
                r#"<w:style w:type="character" w:styleId="{id}"><w:name w:val="footnote reference"/>{based_on}"#,
                r#"<w:uiPriority w:val="99"/><w:unhideWhenUsed/>"#,
                r#"<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>"#,
            ),
            id = FOOTNOTE_REFERENCE_STYLE,
            based_on = based_on("DefaultParagraphFont"),
        ));
    }
    if styles.is_empty() {
        return Ok(src.to_owned());
    }
    let at = root.close.as_ref().map_or(root.open.end, |c| c.start);
    let edit = insert_child(src, &root, at, &styles)?;
    apply_edits(src, 0..src.len(), vec![edit])
}

/// Adds the content type override of footnotes.xml if it is missing.
fn ensure_footnotes_content_type(src: &str) -> Result<String> {
    let root = parse(src)?;
    ensure!(
        root.name == "Types",
        "the root element is <{}>, not <Types>",
        root.name
    );
    let present = root
        .children_named("Override")
        .any(|o| o.attr_raw(src, "PartName") == Some("/word/footnotes.xml"));
    if present {
        return Ok(src.to_owned());
    }
    let text = format!(
        r#"<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_CONTENT_TYPE}"/>"#
    );
    let at = root.close.as_ref().map_or(root.open.end, |c| c.start);
    let edit = insert_child(src, &root, at, &text)?;
    apply_edits(src, 0..src.len(), vec![edit])
}

/// Adds the relationship from document.xml to footnotes.xml if it is missing.
fn ensure_footnotes_relationship(src: &str) -> Result<String> {
    let root = parse(src)?;
    ensure!(
        root.name == "Relationships",
        "the root element is <{}>, not <Relationships>",
        root.name
    );
    let present = root
        .children_named("Relationship")
        .any(|r| r.attr_raw(src, "Type") == Some(FOOTNOTES_REL_TYPE));
    if present {
        return Ok(src.to_owned());
    }
    let used: HashSet<&str> = root
        .children_named("Relationship")
        .filter_map(|r| r.attr_raw(src, "Id"))
        .collect();
    let id = (0..)
        .map(|n| {
            if n == 0 {
                "rIdFootnotes".to_owned()
            } else {
                format!("rIdFootnotes{n}")
            }
        })
        .find(|candidate| !used.contains(candidate.as_str()))
        .ok_or_else(|| anyhow!("no free relationship id"))?;
    let text =
        format!(r#"<Relationship Id="{id}" Type="{FOOTNOTES_REL_TYPE}" Target="footnotes.xml"/>"#);
    let at = root.close.as_ref().map_or(root.open.end, |c| c.start);
    let edit = insert_child(src, &root, at, &text)?;
    apply_edits(src, 0..src.len(), vec![edit])
}

// ---------------------------------------------------------------------------------
// Repeated header rows
// ---------------------------------------------------------------------------------

/// Turns every table styled with [`header_rows_style`] into a table whose first rows
/// repeat on each page, in every part under `word/`.
fn mark_header_rows(package: &mut Package) -> Result<()> {
    for name in package.word_xml_parts() {
        let src = package.required_text(&name)?;
        if !src.contains(HEADER_ROWS_STYLE_PREFIX) {
            continue;
        }
        let new = mark_header_rows_in_part(src).with_context(|| format!("in {name}"))?;
        package.set_text(&name, new)?;
    }
    Ok(())
}

fn mark_header_rows_in_part(src: &str) -> Result<String> {
    let root = parse(src)?;
    let mut edits = Vec::new();
    // Every table, nested ones included, is handled on its own: only its direct rows.
    for table in root.descendants().filter(|e| e.name == "w:tbl") {
        let Some(style) = table.child("w:tblPr").and_then(|pr| pr.child("w:tblStyle")) else {
            continue;
        };
        let Some(value) = style.attr_raw(src, "w:val") else {
            continue;
        };
        let Some(count) = value.strip_prefix(HEADER_ROWS_STYLE_PREFIX) else {
            continue;
        };
        let count: usize = match count.parse() {
            Ok(n) if (1..=9).contains(&n) => n,
            _ => bail!("table style {value:?}: the header row count must be 1 to 9"),
        };
        edits.push(Edit::replace(style.span(), String::new()));
        for row in table.children_named("w:tr").take(count) {
            if let Some(edit) = ensure_table_header(src, row)? {
                edits.push(edit);
            }
        }
    }
    apply_edits(src, 0..src.len(), edits)
}

/// Makes a row a repeated header row: `<w:tblHeader/>` in its `w:trPr`, which is
/// created after `w:tblPrEx` (or first in the row) if absent.
fn ensure_table_header(src: &str, row: &Element) -> Result<Option<Edit>> {
    const TBL_HEADER: &str = "<w:tblHeader/>";
    let Some(tr_pr) = row.child("w:trPr") else {
        let at = row
            .child("w:tblPrEx")
            .map_or(row.open.end, |e| e.span().end);
        return Ok(Some(insert_child(
            src,
            row,
            at,
            &format!("<w:trPr>{TBL_HEADER}</w:trPr>"),
        )?));
    };
    if let Some(existing) = tr_pr.child("w:tblHeader") {
        let off = matches!(existing.attr_raw(src, "w:val"), Some("0" | "false" | "off"));
        return Ok(off.then(|| Edit::replace(existing.span(), TBL_HEADER.to_owned())));
    }
    let at = tr_pr
        .children
        .iter()
        .find(|c| TR_PR_AFTER_TBL_HEADER.contains(&c.name.as_str()))
        .map(|c| c.open.start)
        .or_else(|| tr_pr.close.as_ref().map(|c| c.start))
        .unwrap_or(tr_pr.open.end);
    Ok(Some(insert_child(src, tr_pr, at, TBL_HEADER)?))
}

// ---------------------------------------------------------------------------------
// Paragraph ids
// ---------------------------------------------------------------------------------

/// Replaces every `w14:paraId` and `w14:textId` by 00000001, 00000002… in order of
/// appearance (parts in archive order), and follows the renumbering in the comment
/// extension parts that point at paragraphs (`w15:paraId`, `w15:paraIdParent`,
/// `w16cid:paraId`).
fn renumber_paragraph_ids(package: &mut Package) -> Result<()> {
    let parts = package.word_xml_parts();
    let mut next: u32 = 1;
    let mut renamed: HashMap<String, String> = HashMap::new();
    for name in &parts {
        let src = package.required_text(name)?;
        if !src.contains("w14:paraId") && !src.contains("w14:textId") {
            continue;
        }
        let root = parse(src).with_context(|| format!("parsing {name}"))?;
        let mut edits = Vec::new();
        for element in std::iter::once(&root).chain(root.descendants()) {
            for attr in &element.attrs {
                if attr.name != "w14:paraId" && attr.name != "w14:textId" {
                    continue;
                }
                ensure!(next <= MAX_PARA_ID, "more paragraphs than Word can number");
                let new = format!("{next:08X}");
                next += 1;
                if attr.name == "w14:paraId" {
                    let old = slice(src, attr.value.clone())?.to_owned();
                    renamed.entry(old).or_insert_with(|| new.clone());
                }
                edits.push(Edit::replace(attr.value.clone(), new));
            }
        }
        let new = apply_edits(src, 0..src.len(), edits)?;
        package.set_text(name, new)?;
    }

    const POINTERS: &[&str] = &["w15:paraId", "w15:paraIdParent", "w16cid:paraId"];
    for name in &parts {
        let src = package.required_text(name)?;
        if !POINTERS.iter().any(|p| src.contains(p)) {
            continue;
        }
        let root = parse(src).with_context(|| format!("parsing {name}"))?;
        let mut edits = Vec::new();
        for element in std::iter::once(&root).chain(root.descendants()) {
            for attr in element
                .attrs
                .iter()
                .filter(|a| POINTERS.contains(&a.name.as_str()))
            {
                if let Some(new) = renamed.get(slice(src, attr.value.clone())?) {
                    edits.push(Edit::replace(attr.value.clone(), new.clone()));
                }
            }
        }
        let new = apply_edits(src, 0..src.len(), edits)?;
        package.set_text(name, new)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// A light XML tree over byte ranges, and splicing
// ---------------------------------------------------------------------------------

/// An element of a part: where its tags are in the source text, its attributes and
/// its child elements (text and other nodes are not kept; they are never edited).
#[derive(Debug)]
struct Element {
    /// Qualified name as written, e.g. `w:p`.
    name: String,
    /// The start tag, or the whole tag of an empty element (`<w:x/>`).
    open: Range<usize>,
    /// The end tag; `None` for an empty element.
    close: Option<Range<usize>>,
    attrs: Vec<Attr>,
    children: Vec<Element>,
}

#[derive(Debug)]
struct Attr {
    name: String,
    /// The value between the quotes, still escaped.
    value: Range<usize>,
}

impl Element {
    /// From the start of the start tag to the end of the end tag.
    fn span(&self) -> Range<usize> {
        let end = self.close.as_ref().map_or(self.open.end, |c| c.end);
        self.open.start..end
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// All elements below this one, in document order.
    fn descendants(&self) -> impl Iterator<Item = &Element> {
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            stack.extend(next.children.iter().rev());
            Some(next)
        })
    }

    fn attr_value_range(&self, name: &str) -> Option<Range<usize>> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.clone())
    }

    /// The raw (still escaped) value of an attribute. The values compared here (ids,
    /// style names, part names) contain no markup characters.
    fn attr_raw<'s>(&self, src: &'s str, name: &str) -> Option<&'s str> {
        self.attr_value_range(name).and_then(|r| src.get(r))
    }
}

/// Parses a part into its root element.
fn parse(src: &str) -> Result<Element> {
    let mut reader = Reader::from_str(src);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut roots: Vec<Element> = Vec::new();
    loop {
        let start = position(&reader)?;
        let event = reader
            .read_event()
            .map_err(|e| anyhow!("malformed XML near byte {}: {e}", reader.error_position()))?;
        let end = position(&reader)?;
        let (tag, is_empty) = match event {
            Event::Start(tag) => (tag, false),
            Event::Empty(tag) => (tag, true),
            Event::End(_) => {
                let mut element = stack
                    .pop()
                    .ok_or_else(|| anyhow!("end tag without start tag at byte {start}"))?;
                element.close = Some(start..end);
                attach(&mut stack, &mut roots, element);
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = tag.name().0.to_owned();
        let element = Element {
            attrs: scan_attributes(src, start..end)?,
            name,
            open: start..end,
            close: None,
            children: Vec::new(),
        };
        if is_empty {
            attach(&mut stack, &mut roots, element);
        } else {
            stack.push(element);
        }
    }
    if let Some(open) = stack.last() {
        bail!(
            "<{}> at byte {} is never closed",
            open.name,
            open.open.start
        );
    }
    ensure!(
        roots.len() == 1,
        "expected one root element, found {}",
        roots.len()
    );
    roots.pop().ok_or_else(|| anyhow!("no root element"))
}

fn position(reader: &Reader<&[u8]>) -> Result<usize> {
    usize::try_from(reader.buffer_position()).context("position out of range")
}

fn attach(stack: &mut [Element], roots: &mut Vec<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => roots.push(element),
    }
}

/// The attributes of a start tag with the byte range of each value. quick-xml has
/// already checked the tag's overall shape; this scanner checks the attribute syntax.
fn scan_attributes(src: &str, tag: Range<usize>) -> Result<Vec<Attr>> {
    let bytes = src.as_bytes();
    let end = tag.end;
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let at = |i: usize| if i < end { bytes.get(i).copied() } else { None };
    let malformed = || anyhow!("malformed attributes in tag at byte {}", tag.start);

    let mut i = tag.start + 1;
    while at(i).is_some_and(|b| !is_space(b) && b != b'/' && b != b'>') {
        i += 1;
    }
    let mut attrs = Vec::new();
    loop {
        while at(i).is_some_and(is_space) {
            i += 1;
        }
        match at(i) {
            None | Some(b'/' | b'>') => break,
            Some(_) => {}
        }
        let name_start = i;
        while at(i).is_some_and(|b| b != b'=' && !is_space(b) && b != b'/' && b != b'>') {
            i += 1;
        }
        let name = slice(src, name_start..i)?.to_owned();
        while at(i).is_some_and(is_space) {
            i += 1;
        }
        if at(i) != Some(b'=') {
            return Err(malformed());
        }
        i += 1;
        while at(i).is_some_and(is_space) {
            i += 1;
        }
        let quote = match at(i) {
            Some(q @ (b'"' | b'\'')) => q,
            _ => return Err(malformed()),
        };
        i += 1;
        let value_start = i;
        while at(i).is_some_and(|b| b != quote) {
            i += 1;
        }
        if at(i) != Some(quote) {
            return Err(malformed());
        }
        attrs.push(Attr {
            name,
            value: value_start..i,
        });
        i += 1;
    }
    Ok(attrs)
}

/// A change to the source text: replace `range` by `text` (insert if `range` is empty).
#[derive(Debug)]
struct Edit {
    range: Range<usize>,
    text: String,
}

impl Edit {
    fn replace(range: Range<usize>, text: String) -> Edit {
        Edit { range, text }
    }

    fn insert(at: usize, text: &str) -> Edit {
        Edit {
            range: at..at,
            text: text.to_owned(),
        }
    }
}

/// Inserts `xml` as content of `parent` at byte `at`; an empty element (`<x/>`) is
/// first opened up as `<x>xml</x>`.
fn insert_child(src: &str, parent: &Element, at: usize, xml: &str) -> Result<Edit> {
    if parent.close.is_some() {
        return Ok(Edit::insert(at, xml));
    }
    let tag = slice(src, parent.open.clone())?;
    let head = tag
        .strip_suffix("/>")
        .ok_or_else(|| anyhow!("<{}> is neither open nor empty", parent.name))?
        .trim_end();
    Ok(Edit::replace(
        parent.open.clone(),
        format!("{head}>{xml}</{}>", parent.name),
    ))
}

/// Makes sure the element (`w:p` or `w:r`) has a property container (`w:pPr` /
/// `w:rPr`) whose first child is a property named `property`, inserting `xml` when it
/// has none. The container and the style both come first in the schema.
fn ensure_property_first(
    src: &str,
    element: &Element,
    container: &str,
    property: &str,
    xml: &str,
) -> Result<Vec<Edit>> {
    match element.child(container) {
        Some(pr) if pr.child(property).is_some() => Ok(Vec::new()),
        Some(pr) => Ok(vec![insert_child(src, pr, pr.open.end, xml)?]),
        None => {
            let text = format!("<{container}>{xml}</{container}>");
            Ok(vec![insert_child(src, element, element.open.end, &text)?])
        }
    }
}

/// Applies edits to `src[range]` and returns the result. Edits must lie inside the
/// range and must not overlap; insertions at one point keep their order.
fn apply_edits(src: &str, range: Range<usize>, mut edits: Vec<Edit>) -> Result<String> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out =
        String::with_capacity(range.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut cursor = range.start;
    for edit in &edits {
        ensure!(
            edit.range.start >= cursor && edit.range.end <= range.end,
            "overlapping or misplaced edit at bytes {:?}",
            edit.range
        );
        out.push_str(slice(src, cursor..edit.range.start)?);
        out.push_str(&edit.text);
        cursor = edit.range.end;
    }
    out.push_str(slice(src, cursor..range.end)?);
    Ok(out)
}

/// `src[range]`, as an error instead of a panic when the range is not valid.
fn slice(src: &str, range: Range<usize>) -> Result<&str> {
    src.get(range.clone())
        .ok_or_else(|| anyhow!("byte range {range:?} is not valid in the part"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use docx_rs::{Docx, Footer, Footnote, Header, Paragraph, Run, Table, TableCell, TableRow};

    fn text_paragraph(text: &str) -> Paragraph {
        Paragraph::new().add_run(Run::new().add_text(text))
    }

    fn footnote(text: &str) -> Footnote {
        Footnote::new().add_content(text_paragraph(text))
    }

    fn row(text: &str) -> TableRow {
        TableRow::new(vec![TableCell::new().add_paragraph(text_paragraph(text))])
    }

    /// A paragraph with two footnotes, created in the reverse of their reading order
    /// so that docx-rs's ids (2, 1 or higher) differ from the expected 1, 2.
    fn footnote_docx() -> Docx {
        let second = footnote("Chú thích thứ hai");
        let first = footnote("Chú thích thứ nhất");
        Docx::new()
            .header(Header::new().add_paragraph(text_paragraph("Đầu trang")))
            .footer(Footer::new().add_paragraph(text_paragraph("Chân trang")))
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("Số liệu tổng hợp"))
                    .add_run(Run::new().add_footnote_reference(first))
                    .add_run(Run::new().add_text(" của các đơn vị"))
                    .add_run(Run::new().add_footnote_reference(second)),
            )
            .add_paragraph(text_paragraph("Đoạn cuối."))
    }

    /// A table whose first two rows repeat, the first one also `cantSplit`, and a
    /// nested table in a body cell whose first row repeats.
    fn table_docx() -> Docx {
        let nested = Table::new(vec![row("n-head"), row("n-body")]).style(header_rows_style(1));
        let body_with_nested = TableRow::new(vec![TableCell::new()
            .add_paragraph(text_paragraph("outer-body-1"))
            .add_table(nested)]);
        let table = Table::new(vec![
            row("outer-head-1").cant_split(),
            row("outer-head-2"),
            body_with_nested,
            row("outer-body-2"),
        ])
        .style(header_rows_style(2));
        Docx::new()
            .add_paragraph(text_paragraph("Bảng 1"))
            .add_table(table)
    }

    fn pack_built(docx: Docx) -> Vec<u8> {
        let mut raw = Cursor::new(Vec::new());
        docx.build()
            .pack(&mut raw)
            .expect("docx-rs packs the test document");
        raw.into_inner()
    }

    fn pack_streamed(docx: Docx) -> Vec<u8> {
        let mut raw = Cursor::new(Vec::new());
        docx.pack(&mut raw)
            .expect("docx-rs packs the test document");
        raw.into_inner()
    }

    fn part(docx: &[u8], name: &str) -> String {
        let mut archive = ZipArchive::new(Cursor::new(docx)).expect("a zip archive");
        let mut file = archive.by_name(name).expect("the part exists");
        let mut text = String::new();
        file.read_to_string(&mut text).expect("UTF-8 part");
        text
    }

    /// The `w:id` values of the elements named `name`, in document order.
    fn ids(xml: &str, name: &str) -> Vec<String> {
        let root = parse(xml).expect("well-formed XML");
        root.descendants()
            .filter(|e| e.name == name)
            .map(|e| e.attr_raw(xml, "w:id").expect("w:id").to_owned())
            .collect()
    }

    fn text_of(xml: &str, element: &Element) -> String {
        xml[element.span()]
            .split("<w:t")
            .skip(1)
            .filter_map(|t| {
                t.split_once('>')
                    .and_then(|(_, rest)| rest.split_once("</w:t>"))
            })
            .map(|(text, _)| text)
            .collect()
    }

    #[test]
    fn footnotes_are_renumbered_in_document_order_and_completed() {
        let finished = finish_docx(&pack_built(footnote_docx())).unwrap();
        let document = part(&finished, DOCUMENT_PART);
        let footnotes = part(&finished, FOOTNOTES_PART);

        assert_eq!(ids(&document, "w:footnoteReference"), ["1", "2"]);
        assert_eq!(ids(&footnotes, "w:footnote"), ["-1", "0", "1", "2"]);

        let root = parse(&footnotes).unwrap();
        let notes: Vec<&Element> = root.children_named("w:footnote").collect();
        assert_eq!(notes[0].attr_raw(&footnotes, "w:type"), Some("separator"));
        assert!(notes[0].descendants().any(|e| e.name == "w:separator"));
        assert_eq!(
            notes[1].attr_raw(&footnotes, "w:type"),
            Some("continuationSeparator")
        );
        assert!(notes[1]
            .descendants()
            .any(|e| e.name == "w:continuationSeparator"));
        // The first reference in the text points at the first note's text.
        assert_eq!(text_of(&footnotes, notes[2]), " Chú thích thứ nhất");
        assert_eq!(text_of(&footnotes, notes[3]), " Chú thích thứ hai");
        for note in &notes[2..] {
            let paragraph = note.child("w:p").unwrap();
            let first_run = paragraph.child("w:r").unwrap();
            assert!(
                first_run.child("w:footnoteRef").is_some(),
                "mark run comes first"
            );
            let style = paragraph
                .child("w:pPr")
                .and_then(|p| p.child("w:pStyle"))
                .unwrap();
            assert_eq!(style.attr_raw(&footnotes, "w:val"), Some("FootnoteText"));
        }
        assert_eq!(footnotes.matches("<w:footnoteRef/>").count(), 2);

        let styles = part(&finished, STYLES_PART);
        let reference_style = styles
            .split("<w:style ")
            .find(|s| s.contains(r#"w:styleId="FootnoteReference""#))
            .expect("FootnoteReference style defined");
        assert!(reference_style.contains(r#"w:type="character""#));
        assert!(reference_style.contains(r#"<w:vertAlign w:val="superscript"/>"#));
        let text_style = styles
            .split("<w:style ")
            .find(|s| s.contains(r#"w:styleId="FootnoteText""#))
            .expect("FootnoteText style defined");
        assert!(text_style.contains(r#"<w:sz w:val="22"/>"#));

        let settings = part(&finished, SETTINGS_PART);
        let footnote_pr = settings
            .find(r#"<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>"#)
            .expect("footnotePr in settings");
        assert!(
            footnote_pr < settings.find("<w:compat>").unwrap(),
            "footnotePr precedes compat"
        );

        // Every reference run keeps its character style.
        let doc_root = parse(&document).unwrap();
        for run in doc_root
            .descendants()
            .filter(|e| e.child("w:footnoteReference").is_some())
        {
            let style = run
                .child("w:rPr")
                .and_then(|p| p.child("w:rStyle"))
                .unwrap();
            assert_eq!(
                style.attr_raw(&document, "w:val"),
                Some("FootnoteReference")
            );
        }
        assert!(part(&finished, CONTENT_TYPES_PART).contains(r#"PartName="/word/footnotes.xml""#));
        assert!(part(&finished, DOCUMENT_RELS_PART).contains(FOOTNOTES_REL_TYPE));
    }

    #[test]
    fn same_document_built_twice_gives_identical_bytes() {
        // Both documents exist before either is built, as when a batch prepares
        // several reports: the second one's paragraphs get later ids from docx-rs.
        let first_docx = footnote_docx();
        let second_docx = footnote_docx();
        let first_raw = pack_built(first_docx);
        let second_raw = pack_built(second_docx);
        assert_ne!(
            part(&first_raw, "word/header1.xml"),
            part(&second_raw, "word/header1.xml"),
            "docx-rs gives the two builds different paragraph ids"
        );
        let first = finish_docx(&first_raw).unwrap();
        let second = finish_docx(&second_raw).unwrap();
        // (assert! rather than assert_eq!, which would print kilobytes of zip bytes)
        assert!(first == second, "finished packages differ");

        // The streaming writer gives the same package as build().pack().
        let streamed = finish_docx(&pack_streamed(footnote_docx())).unwrap();
        assert!(
            streamed == first,
            "Docx::pack and XMLDocx::pack packages differ"
        );
        // And finishing is idempotent.
        assert!(
            finish_docx(&first).unwrap() == first,
            "finishing twice changes the package"
        );
    }

    #[test]
    fn paragraph_ids_are_sequential_in_order_of_appearance() {
        // docx-rs numbers paragraphs when they are created (footnotes, header and
        // footer here come before the body), and continues from the earlier document.
        let _earlier = footnote_docx();
        let finished = finish_docx(&pack_built(footnote_docx())).unwrap();
        // Parts in archive order: document, footnotes, header, footer.
        let mut seen = Vec::new();
        for name in [
            DOCUMENT_PART,
            FOOTNOTES_PART,
            "word/header1.xml",
            "word/footer1.xml",
        ] {
            let xml = part(&finished, name);
            let root = parse(&xml).unwrap();
            for e in root.descendants() {
                if let Some(id) = e.attr_raw(&xml, "w14:paraId") {
                    seen.push(id.to_owned());
                }
            }
        }
        let expected: Vec<String> = (1..=6).map(|n| format!("{n:08X}")).collect();
        assert_eq!(
            seen, expected,
            "document 2, footnotes 2, header 1, footer 1"
        );
    }

    #[test]
    fn header_rows_are_marked_and_marker_style_removed() {
        let finished = finish_docx(&pack_built(table_docx())).unwrap();
        let document = part(&finished, DOCUMENT_PART);
        assert!(!document.contains(HEADER_ROWS_STYLE_PREFIX));
        assert!(!document.contains("<w:tblStyle"));

        let root = parse(&document).unwrap();
        let tables: Vec<&Element> = root.descendants().filter(|e| e.name == "w:tbl").collect();
        assert_eq!(tables.len(), 2);
        let header_flags = |table: &Element| -> Vec<bool> {
            table
                .children_named("w:tr")
                .map(|tr| {
                    tr.child("w:trPr")
                        .is_some_and(|p| p.child("w:tblHeader").is_some())
                })
                .collect()
        };
        assert_eq!(header_flags(tables[0]), [true, true, false, false]);
        assert_eq!(header_flags(tables[1]), [true, false]);
        assert_eq!(document.matches("<w:tblHeader/>").count(), 3);
        // Within trPr, cantSplit comes before tblHeader.
        assert!(document.contains("<w:cantSplit /><w:tblHeader/></w:trPr>"));
    }

    #[test]
    fn header_row_count_out_of_range_is_an_error() {
        let docx = Docx::new().add_table(Table::new(vec![row("a")]).style(header_rows_style(0)));
        let error = finish_docx(&pack_built(docx)).unwrap_err();
        assert!(format!("{error:#}").contains("1 to 9"), "{error:#}");
    }

    #[test]
    fn every_file_is_deflated_with_a_fixed_timestamp() {
        let raw = pack_built(footnote_docx());
        let finished = finish_docx(&raw).unwrap();
        assert!(finished.len() < raw.len(), "deflated package is smaller");

        let names = |bytes: &[u8]| -> Vec<String> {
            let archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
            archive
                .file_names()
                .map(|n| n.unwrap().into_owned())
                .collect()
        };
        let mut original = names(&raw);
        original.sort();
        let mut archive = ZipArchive::new(Cursor::new(&finished[..])).unwrap();
        let mut files = 0;
        for index in 0..archive.len() {
            let entry = archive.by_index(index).unwrap();
            let time = entry.last_modified().unwrap();
            assert_eq!((time.year(), time.month(), time.day()), (1980, 1, 1));
            assert_eq!((time.hour(), time.minute(), time.second()), (0, 0, 0));
            if entry.is_dir() {
                assert_eq!(entry.size(), 0, "{}", entry.name().unwrap());
            } else {
                assert_eq!(
                    entry.compression(),
                    CompressionMethod::Deflated,
                    "{}",
                    entry.name().unwrap()
                );
                files += 1;
            }
        }
        assert!(files >= 15);
        drop(archive);
        let mut finished_names = names(&finished);
        finished_names.sort();
        assert_eq!(finished_names, original, "same entries");
    }

    #[test]
    fn document_without_footnotes_keeps_its_footnote_parts() {
        let raw = pack_built(table_docx());
        let finished = finish_docx(&raw).unwrap();
        assert_eq!(part(&finished, FOOTNOTES_PART), part(&raw, FOOTNOTES_PART));
        assert_eq!(part(&finished, SETTINGS_PART), part(&raw, SETTINGS_PART));
        assert_eq!(part(&finished, STYLES_PART), part(&raw, STYLES_PART));
    }

    #[test]
    fn garbage_input_is_an_error() {
        assert!(finish_docx(b"this is not a zip archive").is_err());
        assert!(finish_docx(&[]).is_err());
    }

    #[test]
    fn malformed_document_xml_is_an_error() {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file(DOCUMENT_PART, SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"<w:document><w:body></w:document>").unwrap();
        let raw = zip.finish().unwrap().into_inner();
        let error = finish_docx(&raw).unwrap_err();
        assert!(
            format!("{error:#}").contains("word/document.xml"),
            "{error:#}"
        );
    }

    #[test]
    fn reference_to_a_missing_footnote_is_an_error() {
        let raw = pack_built(footnote_docx());
        let mut archive = ZipArchive::new(Cursor::new(&raw[..])).unwrap();
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).unwrap();
            let name = entry.name().unwrap().into_owned();
            if entry.is_dir() {
                zip.add_directory(name, SimpleFileOptions::default())
                    .unwrap();
                continue;
            }
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            if name == FOOTNOTES_PART {
                let text = String::from_utf8(data).unwrap();
                let start = text.find("<w:footnote ").unwrap();
                let end = text.find("</w:footnote>").unwrap() + "</w:footnote>".len();
                data = format!("{}{}", &text[..start], &text[end..]).into_bytes();
            }
            zip.start_file(name, SimpleFileOptions::default()).unwrap();
            zip.write_all(&data).unwrap();
        }
        let broken = zip.finish().unwrap().into_inner();
        let error = finish_docx(&broken).unwrap_err();
        assert!(
            format!("{error:#}").contains("which footnotes.xml lacks"),
            "{error:#}"
        );
    }
}
