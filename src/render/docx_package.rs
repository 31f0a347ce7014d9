//! Post-processing of the DOCX package written by `docx-rs`.
//!
//! `docx-rs` 0.4.22 writes a package that opens, but with gaps that matter for an
//! administrative report: footnotes lack the separator footnotes, the reference mark
//! inside the note and the styles they point to; footnote ids come from a
//! process-wide counter and paragraph ids from a per-thread one, so the same report
//! built twice differs in bytes; entries are stored uncompressed; a table cannot
//! mark its first rows as header rows repeated on every page; and several property
//! elements (`w:sectPr`, `w:pPr`, `w:rPr`, `w:tblPr`, `w:style`, `w:settings`, ...) have
//! their children out of the order the schema prescribes, which Word may answer with
//! "unreadable content". [`finish_docx`] reads the finished package and corrects all
//! of that in one pass.
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
/// - element order: the children of the property elements (section, paragraph, run,
///   table, row, cell, style, numbering level, settings, ...) are put in the order of
///   their wml.xsd sequence, and the empty `w:rPr` that docx-rs writes where the
///   schema allows none (in the `w:pPr` of a style or numbering level) is dropped;
/// - the archive: every file deflated, every timestamp 1980-01-01 00:00:00.
///
/// The same input always gives the same output. Anything unexpected in the package
/// is reported as an error, never a panic.
pub fn finish_docx(raw: &[u8]) -> Result<Vec<u8>> {
    let mut package = Package::read(raw).context("reading the DOCX package written by docx-rs")?;
    fix_footnotes(&mut package).context("completing the footnotes")?;
    mark_header_rows(&mut package).context("marking repeated table header rows")?;
    renumber_paragraph_ids(&mut package).context("renumbering paragraph ids")?;
    order_properties(&mut package).context("putting elements in schema order")?;
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
/// schema position (before `w:endnotePr`, `w:compat` and the rest of [`SETTINGS_ORDER`]).
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
            let after = children_after(SETTINGS_ORDER, "w:footnotePr");
            let at = root
                .children
                .iter()
                .find(|c| after.contains(&c.name.as_str()))
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

/// Makes a row a repeated header row: `<w:tblHeader/>` in its `w:trPr` (where Word
/// writes it: after `w:cantSplit` and `w:trHeight`), which is created after
/// `w:tblPrEx` (or first in the row) if absent.
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
    let after = children_after(TR_PR_ORDER, "w:tblHeader");
    let at = tr_pr
        .children
        .iter()
        .find(|c| after.contains(&c.name.as_str()))
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
// Schema order of the property elements
// ---------------------------------------------------------------------------------

/// CT_SectPr: the header and footer references (a choice, up to six), then
/// EG_SectPrContents, then the revision.
const SECT_PR_ORDER: &[&str] = &[
    "w:headerReference",
    "w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
];

/// CT_PPr: CT_PPrBase, then `w:rPr`, `w:sectPr` and `w:pPrChange`. The `w:pPr` of a
/// style or numbering level (CT_PPrGeneral) and of a revision (CT_PPrBase) use a
/// prefix of it.
const P_PR_ORDER: &[&str] = &[
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
];

/// CT_ParaRPr (the run properties of a paragraph mark): the revision marks, then
/// EG_RPrBase, then the revision. EG_RPrBase is a sequence in the first edition of
/// ECMA-376 and a choice in the transitional schema; its sequence order suits both.
/// The `w:rPr` of a run (CT_RPr) is the same without the leading revision marks.
const R_PR_ORDER: &[&str] = &[
    "w:ins",
    "w:del",
    "w:moveFrom",
    "w:moveTo",
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
    "w:rPrChange",
];

/// CT_TblPr (CT_TblPrBase, then the revision).
const TBL_PR_ORDER: &[&str] = &[
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
];

/// CT_TblPrEx (the table property exceptions of a row).
const TBL_PR_EX_ORDER: &[&str] = &[
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblPrExChange",
];

/// CT_TrPr: CT_TrPrBase is a choice, so its members may come in any order (this is
/// the order Word writes them in), but the revision marks must follow them.
const TR_PR_ORDER: &[&str] = &[
    "w:cnfStyle",
    "w:divId",
    "w:gridBefore",
    "w:gridAfter",
    "w:wBefore",
    "w:wAfter",
    "w:cantSplit",
    "w:trHeight",
    "w:tblHeader",
    "w:tblCellSpacing",
    "w:jc",
    "w:hidden",
    "w:ins",
    "w:del",
    "w:trPrChange",
];

/// CT_TcPr (CT_TcPrBase, the cell revision marks, then the revision).
const TC_PR_ORDER: &[&str] = &[
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
];

/// CT_TblBorders and CT_TcBorders (the two diagonals are the cell's only).
const BORDERS_ORDER: &[&str] = &[
    "w:top",
    "w:start",
    "w:left",
    "w:bottom",
    "w:end",
    "w:right",
    "w:insideH",
    "w:insideV",
    "w:tl2br",
    "w:tr2bl",
];

/// CT_TblCellMar and CT_TcMar.
const CELL_MARGINS_ORDER: &[&str] = &["w:top", "w:start", "w:left", "w:bottom", "w:end", "w:right"];

/// CT_PBdr.
const P_BDR_ORDER: &[&str] = &[
    "w:top",
    "w:left",
    "w:bottom",
    "w:right",
    "w:between",
    "w:bar",
];

/// CT_NumPr.
const NUM_PR_ORDER: &[&str] = &["w:ilvl", "w:numId", "w:numberingChange", "w:ins"];

/// CT_FtnDocProps and CT_EdnDocProps (settings), CT_FtnProps and CT_EdnProps (section).
const NOTE_PR_ORDER: &[&str] = &[
    "w:pos",
    "w:numFmt",
    "w:numStart",
    "w:numRestart",
    "w:footnote",
    "w:endnote",
];

/// CT_SdtPr (the properties of a content control, e.g. a table of contents).
const SDT_PR_ORDER: &[&str] = &[
    "w:rPr",
    "w:alias",
    "w:tag",
    "w:id",
    "w:lock",
    "w:placeholder",
    "w:temporary",
    "w:showingPlcHdr",
    "w:dataBinding",
    "w:label",
    "w:tabIndex",
    "w:equation",
    "w:comboBox",
    "w:date",
    "w:docPartObj",
    "w:docPartList",
    "w:dropDownList",
    "w:picture",
    "w:richText",
    "w:text",
    "w:citation",
    "w:group",
    "w:bibliography",
];

/// CT_Styles.
const STYLES_ORDER: &[&str] = &["w:docDefaults", "w:latentStyles", "w:style"];

/// CT_DocDefaults.
const DOC_DEFAULTS_ORDER: &[&str] = &["w:rPrDefault", "w:pPrDefault"];

/// CT_Style.
const STYLE_ORDER: &[&str] = &[
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
];

/// CT_TblStylePr (the conditional formatting of a table style).
const TBL_STYLE_PR_ORDER: &[&str] = &["w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr"];

/// CT_Numbering.
const NUMBERING_ORDER: &[&str] = &[
    "w:numPicBullet",
    "w:abstractNum",
    "w:num",
    "w:numIdMacAtCleanup",
];

/// CT_AbstractNum.
const ABSTRACT_NUM_ORDER: &[&str] = &[
    "w:nsid",
    "w:multiLevelType",
    "w:tmpl",
    "w:name",
    "w:styleLink",
    "w:numStyleLink",
    "w:lvl",
];

/// CT_Num.
const NUM_ORDER: &[&str] = &["w:abstractNumId", "w:lvlOverride"];

/// CT_NumLvl (a level override).
const LVL_OVERRIDE_ORDER: &[&str] = &["w:startOverride", "w:lvl"];

/// CT_Lvl.
const LVL_ORDER: &[&str] = &[
    "w:start",
    "w:numFmt",
    "w:lvlRestart",
    "w:pStyle",
    "w:isLgl",
    "w:suff",
    "w:lvlText",
    "w:lvlPicBulletId",
    "w:legacy",
    "w:lvlJc",
    "w:pPr",
    "w:rPr",
];

/// CT_Settings, then the Office extensions Word writes at the end.
const SETTINGS_ORDER: &[&str] = &[
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
    "w:saveSubsetFonts",
    "w:saveFormsData",
    "w:mirrorMargins",
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
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

/// The schema order of the children of a property element (ECMA-376 Part 1,
/// wml.xsd), by the element's name; `None` for the elements whose children are
/// content (paragraphs, runs, rows, cells, ...) and are never reordered.
fn schema_order(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "w:sectPr" => SECT_PR_ORDER,
        "w:pPr" => P_PR_ORDER,
        "w:rPr" => R_PR_ORDER,
        "w:tblPr" => TBL_PR_ORDER,
        "w:tblPrEx" => TBL_PR_EX_ORDER,
        "w:trPr" => TR_PR_ORDER,
        "w:tcPr" => TC_PR_ORDER,
        "w:tblBorders" | "w:tcBorders" => BORDERS_ORDER,
        "w:tblCellMar" | "w:tcMar" => CELL_MARGINS_ORDER,
        "w:pBdr" => P_BDR_ORDER,
        "w:numPr" => NUM_PR_ORDER,
        "w:footnotePr" | "w:endnotePr" => NOTE_PR_ORDER,
        "w:sdtPr" => SDT_PR_ORDER,
        "w:styles" => STYLES_ORDER,
        "w:docDefaults" => DOC_DEFAULTS_ORDER,
        "w:style" => STYLE_ORDER,
        "w:tblStylePr" => TBL_STYLE_PR_ORDER,
        "w:numbering" => NUMBERING_ORDER,
        "w:abstractNum" => ABSTRACT_NUM_ORDER,
        "w:num" => NUM_ORDER,
        "w:lvlOverride" => LVL_OVERRIDE_ORDER,
        "w:lvl" => LVL_ORDER,
        "w:settings" => SETTINGS_ORDER,
        _ => return None,
    })
}

/// The position of a child in a schema order; a child the order does not know (an
/// extension, say) goes after all the known ones.
fn schema_rank(order: &[&str], name: &str) -> usize {
    order
        .iter()
        .position(|known| *known == name)
        .unwrap_or(order.len())
}

/// The children that come after `name` in a schema order.
fn children_after(order: &'static [&'static str], name: &str) -> &'static [&'static str] {
    order
        .iter()
        .position(|known| *known == name)
        .map_or(&[], |index| &order[index + 1..])
}

/// Puts the children of every property element in every part under `word/` in
/// schema order (see [`schema_order`]). The sort is stable: children of the same
/// name, and children the order does not know, keep their relative order.
fn order_properties(package: &mut Package) -> Result<()> {
    for name in package.word_xml_parts() {
        let src = package.required_text(&name)?;
        let root = parse(src).with_context(|| format!("parsing {name}"))?;
        let Some(text) = ordered(src, &root, None).with_context(|| format!("in {name}"))? else {
            continue;
        };
        let new = apply_edits(src, 0..src.len(), vec![Edit::replace(root.span(), text)])?;
        package.set_text(&name, new)?;
    }
    Ok(())
}

/// The text of `element` with the children of every property element in it (itself
/// included) in schema order, or `None` if nothing changes. `parent` is the name of
/// the element's parent. Only child elements move: the text between them (in a
/// property element, whitespace at most) stays where it is.
fn ordered(src: &str, element: &Element, parent: Option<&str>) -> Result<Option<String>> {
    let mut changed = false;
    let mut texts = Vec::with_capacity(element.children.len());
    for child in &element.children {
        let text = ordered(src, child, Some(&element.name))?;
        changed |= text.is_some();
        texts.push(text);
    }
    let mut kept = Vec::with_capacity(element.children.len());
    for (index, child) in element.children.iter().enumerate() {
        if !is_stray_run_properties(src, element, parent, child)? {
            kept.push(index);
        }
    }
    if let Some(order) = schema_order(&element.name) {
        kept.sort_by_key(|&index| schema_rank(order, &element.children[index].name));
    }
    changed |= kept.len() != element.children.len()
        || kept.iter().enumerate().any(|(slot, &index)| slot != index);
    if !changed {
        return Ok(None);
    }

    let close = element
        .close
        .as_ref()
        .ok_or_else(|| anyhow!("<{}> has children but no end tag", element.name))?;
    let mut out = String::with_capacity(element.span().len());
    out.push_str(slice(src, element.open.clone())?);
    let mut cursor = element.open.end;
    // Slot by slot: the text before the slot's original child, then the child that
    // now takes the slot (none once the dropped children are used up).
    for (slot, child) in element.children.iter().enumerate() {
        out.push_str(slice(src, cursor..child.open.start)?);
        if let Some(&index) = kept.get(slot) {
            match &texts[index] {
                Some(text) => out.push_str(text),
                None => out.push_str(slice(src, element.children[index].span())?),
            }
        }
        cursor = child.span().end;
    }
    out.push_str(slice(src, cursor..close.end)?);
    Ok(Some(out))
}

/// Whether `child` is an empty `w:rPr` in a `w:pPr` outside a paragraph (a style's,
/// the document defaults', a numbering level's, a revision's). Those `w:pPr`
/// (CT_PPrGeneral, CT_PPrBase) have no `w:rPr`, yet docx-rs writes an empty one in
/// each; it says nothing, so it is dropped. A non-empty one is kept.
fn is_stray_run_properties(
    src: &str,
    container: &Element,
    parent: Option<&str>,
    child: &Element,
) -> Result<bool> {
    if container.name != "w:pPr"
        || parent == Some("w:p")
        || child.name != "w:rPr"
        || !child.attrs.is_empty()
        || !child.children.is_empty()
    {
        return Ok(false);
    }
    Ok(match &child.close {
        None => true,
        Some(close) => slice(src, child.open.end..close.start)?.trim().is_empty(),
    })
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
    use crate::render::docx_blocks::{ClosingLines, HeaderLines};
    use crate::render::report_docx::write_report_docx;
    use crate::render::report_model::{Block, Inline, ReportDocument};
    use docx_rs::{
        AbstractNumbering, AlignmentType, Docx, Footer, Footnote, Header, IndentLevel, Level,
        LevelJc, LevelOverride, LevelSuffixType, LevelText, LineSpacing, NumberFormat, Numbering,
        NumberingId, PageNumType, PageOrientationType, Paragraph, ParagraphBorder,
        ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, Section, Shading,
        SpecialIndentType, Start, Style, StyleType, Tab, Table, TableAlignmentType, TableCell,
        TableCellBorder, TableCellBorderPosition, TableCellBorders, TableCellMargins,
        TableLayoutType, TableRow, TextDirectionType, VAlignType, VMergeType, WidthType,
    };

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
        // Settings and styles get nothing for footnotes; only their order is fixed.
        assert_eq!(
            part(&finished, SETTINGS_PART),
            in_schema_order(&part(&raw, SETTINGS_PART))
        );
        assert_eq!(
            part(&finished, STYLES_PART),
            in_schema_order(&part(&raw, STYLES_PART))
        );
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

    // -----------------------------------------------------------------------------
    // Schema order
    // -----------------------------------------------------------------------------

    /// A part with the order pass alone applied.
    fn in_schema_order(xml: &str) -> String {
        let root = parse(xml).expect("well-formed XML");
        match ordered(xml, &root, None).expect("the order pass succeeds") {
            Some(text) => format!(
                "{}{text}{}",
                &xml[..root.open.start],
                &xml[root.span().end..]
            ),
            None => xml.to_owned(),
        }
    }

    /// The names of the children of the first element named `name` (searched from
    /// the `nth` occurrence, counting from 0), in document order.
    fn child_names(xml: &str, name: &str, nth: usize) -> Vec<String> {
        let root = parse(xml).expect("well-formed XML");
        let element = std::iter::once(&root)
            .chain(root.descendants())
            .filter(|e| e.name == name)
            .nth(nth)
            .unwrap_or_else(|| panic!("no <{name}> #{nth}"));
        element.children.iter().map(|c| c.name.clone()).collect()
    }

    fn index_of(names: &[String], name: &str) -> usize {
        names
            .iter()
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("no {name} among {names:?}"))
    }

    /// Every place where a part breaks the schema's element order: a property
    /// element whose children are out of order or not in its sequence at all, a
    /// `w:rPr` in a `w:pPr` that allows none, and a property element that is not
    /// where its paragraph, run, table, row, cell or body wants it.
    fn schema_order_problems(xml: &str) -> Vec<String> {
        fn walk(element: &Element, parent: Option<&str>, problems: &mut Vec<String>) {
            let names: Vec<&str> = element.children.iter().map(|c| c.name.as_str()).collect();
            let at = element.open.start;
            if let Some(order) = schema_order(&element.name) {
                for name in &names {
                    if !order.contains(name) {
                        problems.push(format!("<{}> at {at}: unknown child {name}", element.name));
                    }
                }
                let ranks: Vec<usize> = names.iter().map(|n| schema_rank(order, n)).collect();
                if ranks.windows(2).any(|pair| pair[0] > pair[1]) {
                    problems.push(format!(
                        "<{}> at {at}: out of order: {names:?}",
                        element.name
                    ));
                }
            }
            if element.name == "w:pPr" && parent != Some("w:p") && names.contains(&"w:rPr") {
                problems.push(format!("<w:pPr> at {at} in <{parent:?}> has a w:rPr"));
            }
            // Where the property elements go among the content.
            let must_lead: &[&str] = match element.name.as_str() {
                "w:p" => &["w:pPr"],
                "w:r" => &["w:rPr"],
                "w:tc" => &["w:tcPr"],
                "w:tr" => &["w:tblPrEx", "w:trPr"],
                "w:tbl" => &["w:tblPr", "w:tblGrid"],
                _ => &[],
            };
            let leading = names.iter().take_while(|n| must_lead.contains(n)).count();
            if names[leading..].iter().any(|n| must_lead.contains(n)) {
                problems.push(format!(
                    "<{}> at {at}: properties after content: {names:?}",
                    element.name
                ));
            }
            if element.name == "w:tbl" && !names.starts_with(&["w:tblPr", "w:tblGrid"]) {
                problems.push(format!(
                    "<w:tbl> at {at} does not start with tblPr, tblGrid"
                ));
            }
            if element.name == "w:body" {
                if let Some(index) = names.iter().position(|n| *n == "w:sectPr") {
                    if index + 1 != names.len() {
                        problems.push(format!("<w:body>: w:sectPr is not last: {names:?}"));
                    }
                }
            }
            for child in &element.children {
                walk(child, Some(&element.name), problems);
            }
        }
        let root = parse(xml).expect("well-formed XML");
        let mut problems = Vec::new();
        walk(&root, None, &mut problems);
        problems
    }

    /// Checks every WordprocessingML part of a package.
    fn assert_schema_order(docx: &[u8]) {
        let mut archive = ZipArchive::new(Cursor::new(docx)).expect("a zip archive");
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().into_owned())
            .filter(|n| n.starts_with("word/") && n.ends_with(".xml"))
            .collect();
        assert!(names.len() >= 5, "{names:?}");
        for name in names {
            let mut text = String::new();
            archive
                .by_name(&name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            let problems = schema_order_problems(&text);
            assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
        }
    }

    fn text_run(text: &str) -> Run {
        Run::new().add_text(text).size(28).fonts(
            RunFonts::new()
                .ascii("Times New Roman")
                .east_asia("Times New Roman"),
        )
    }

    /// A document with every property element docx-rs writes out of order: header and
    /// footer references, a landscape section with its own header, a styled table with
    /// margins and indent, cells with merges, borders and shading, a row with a height,
    /// a paragraph with most paragraph properties, a run with most run properties, a
    /// style, a numbering level with an override, settings with variables and an id.
    fn properties_docx() -> Docx {
        let cell = TableCell::new()
            .add_paragraph(Paragraph::new().add_run(text_run("ô")))
            .width(2_000, WidthType::Dxa)
            .set_borders(
                TableCellBorders::with_empty()
                    .set(TableCellBorder::new(TableCellBorderPosition::Top))
                    .set(TableCellBorder::new(TableCellBorderPosition::Left)),
            )
            .grid_span(2)
            .vertical_merge(VMergeType::Restart)
            .vertical_align(VAlignType::Center)
            .text_direction(TextDirectionType::BtLr)
            .shading(Shading::new().fill("D9D9D9"));
        let table = Table::new(vec![
            TableRow::new(vec![cell]).row_height(400.0).cant_split(),
            TableRow::new(vec![TableCell::new().vertical_merge(VMergeType::Continue)]),
        ])
        .set_grid(vec![1_000, 1_000])
        .style("LuoiBang")
        .indent(120)
        .align(TableAlignmentType::Center)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(40, 80, 40, 80))
        .width(2_000, WidthType::Dxa);

        let mut paragraph = Paragraph::new()
            .add_run(
                text_run("Báo cáo")
                    .style("Strong")
                    .bold()
                    .italic()
                    .color("C00000")
                    .character_spacing(10)
                    .highlight("yellow")
                    .underline("single"),
            )
            .style("Heading1")
            .align(AlignmentType::Both)
            .indent(Some(0), Some(SpecialIndentType::FirstLine(567)), None, None)
            .line_spacing(LineSpacing::new().before(120).after(120))
            .keep_next(true)
            .keep_lines(true)
            .page_break_before(true)
            .widow_control(true)
            .outline_lvl(0)
            .numbering(NumberingId::new(2), IndentLevel::new(0))
            .add_tab(Tab::new().pos(4_000))
            .snap_to_grid(false)
            .size(28)
            .fonts(RunFonts::new().ascii("Times New Roman"));
        paragraph.property = paragraph.property.set_borders(
            ParagraphBorders::with_empty()
                .set(ParagraphBorder::new(ParagraphBorderPosition::Top))
                .set(ParagraphBorder::new(ParagraphBorderPosition::Bottom)),
        );

        let level = Level::new(
            0,
            Start::new(1),
            NumberFormat::new("decimal"),
            LevelText::new("%1."),
            LevelJc::new("left"),
        )
        .paragraph_style("Heading1")
        .level_restart(0)
        .is_lgl()
        .suffix(LevelSuffixType::Space)
        .size(28)
        .bold();
        let annex = Section::new()
            .add_paragraph(Paragraph::new().add_run(text_run("Phụ lục")))
            .header(Header::new().add_paragraph(text_paragraph("Phụ lục - đầu trang")))
            .page_size(docx_rs::PageSize::new().width(16_838).height(11_906))
            .page_orient(PageOrientationType::Landscape);

        Docx::new()
            .default_fonts(RunFonts::new().ascii("Times New Roman"))
            .default_size(28)
            .header(Header::new().add_paragraph(text_paragraph("Đầu trang")))
            .first_header(Header::new())
            .footer(Footer::new().add_paragraph(text_paragraph("Chân trang")))
            .even_header(Header::new().add_paragraph(text_paragraph("Trang chẵn")))
            .title_pg()
            .page_num_type(PageNumType::new().start(1))
            .add_doc_var("baocao", "1")
            .doc_id("2E5A4C7B-0000-4000-8000-000000000001")
            .add_style(
                Style::new("Heading1", StyleType::Paragraph)
                    .name("heading 1")
                    .based_on("Normal")
                    .next("Normal")
                    .ui_priority(9)
                    .q_format(true)
                    .size(28)
                    .bold()
                    .fonts(RunFonts::new().ascii("Times New Roman"))
                    .align(AlignmentType::Left),
            )
            .add_abstract_numbering(AbstractNumbering::new(2).add_level(level.clone()))
            .add_numbering(
                Numbering::new(2, 2).add_override(LevelOverride::new(0).start(3).level(level)),
            )
            .add_paragraph(paragraph)
            .add_table(table)
            .add_section(annex)
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("Hết"))
                    .add_run(Run::new().add_footnote_reference(footnote("Chú thích"))),
            )
    }

    #[test]
    fn section_properties_start_with_header_and_footer_references() {
        let raw = pack_built(properties_docx());
        let raw_body = child_names(&part(&raw, DOCUMENT_PART), "w:body", 0);
        let raw_sect = child_names(&part(&raw, DOCUMENT_PART), "w:sectPr", 1);
        assert!(
            index_of(&raw_sect, "w:headerReference") > index_of(&raw_sect, "w:pgSz"),
            "docx-rs writes the references last: {raw_sect:?}"
        );
        assert_eq!(raw_body.last().map(String::as_str), Some("w:sectPr"));

        let document = part(&finish_docx(&raw).unwrap(), DOCUMENT_PART);
        // The landscape section's sectPr (in a paragraph's pPr), then the body's.
        let annex = child_names(&document, "w:sectPr", 0);
        let body = child_names(&document, "w:sectPr", 1);
        assert_eq!(
            child_names(&document, "w:body", 0)
                .last()
                .map(String::as_str),
            Some("w:sectPr")
        );
        for names in [&annex, &body] {
            let page_size = index_of(names, "w:pgSz");
            assert!(
                index_of(names, "w:headerReference") < page_size,
                "{names:?}"
            );
            assert!(
                index_of(names, "w:pgMar") < index_of(names, "w:cols"),
                "{names:?}"
            );
        }
        assert!(annex.iter().all(|n| n != "w:footerReference"), "{annex:?}");
        assert_eq!(
            body,
            [
                "w:headerReference",
                "w:headerReference",
                "w:headerReference",
                "w:footerReference",
                "w:pgSz",
                "w:pgMar",
                "w:pgNumType",
                "w:cols",
                "w:titlePg",
            ]
        );
        // The header references keep their own order (default, first, even).
        let root = parse(&document).unwrap();
        let body_sect = root
            .descendants()
            .filter(|e| e.name == "w:sectPr")
            .nth(1)
            .unwrap();
        let types: Vec<&str> = body_sect
            .children_named("w:headerReference")
            .map(|h| h.attr_raw(&document, "w:type").unwrap())
            .collect();
        assert_eq!(types, ["default", "first", "even"]);
        // The landscape page size survives the move.
        assert!(document.contains(r#"w:orient="landscape""#));
    }

    #[test]
    fn table_properties_put_the_style_first() {
        let raw = pack_built(properties_docx());
        let raw_tbl_pr = child_names(&part(&raw, DOCUMENT_PART), "w:tblPr", 0);
        assert!(
            index_of(&raw_tbl_pr, "w:tblStyle") > index_of(&raw_tbl_pr, "w:tblBorders"),
            "docx-rs writes tblStyle after tblBorders: {raw_tbl_pr:?}"
        );

        let document = part(&finish_docx(&raw).unwrap(), DOCUMENT_PART);
        assert_eq!(
            child_names(&document, "w:tblPr", 0),
            [
                "w:tblStyle",
                "w:tblW",
                "w:jc",
                "w:tblInd",
                "w:tblBorders",
                "w:tblLayout",
                "w:tblCellMar",
            ]
        );
        assert_eq!(
            child_names(&document, "w:tcPr", 0),
            [
                "w:tcW",
                "w:gridSpan",
                "w:vMerge",
                "w:tcBorders",
                "w:shd",
                "w:textDirection",
                "w:vAlign",
            ]
        );
        assert_eq!(
            child_names(&document, "w:trPr", 0),
            ["w:cantSplit", "w:trHeight"]
        );
    }

    #[test]
    fn paragraph_properties_end_with_the_mark_run_properties() {
        let raw = pack_built(properties_docx());
        let raw_p_pr = child_names(&part(&raw, DOCUMENT_PART), "w:pPr", 0);
        assert_eq!(raw_p_pr[0], "w:rPr", "docx-rs writes rPr first");

        let document = part(&finish_docx(&raw).unwrap(), DOCUMENT_PART);
        assert_eq!(
            child_names(&document, "w:pPr", 0),
            [
                "w:pStyle",
                "w:keepNext",
                "w:keepLines",
                "w:pageBreakBefore",
                "w:widowControl",
                "w:numPr",
                "w:pBdr",
                "w:tabs",
                "w:snapToGrid",
                "w:spacing",
                "w:ind",
                "w:jc",
                "w:outlineLvl",
                "w:rPr",
            ]
        );
        assert_eq!(child_names(&document, "w:numPr", 0), ["w:ilvl", "w:numId"]);
        assert_eq!(child_names(&document, "w:pBdr", 0), ["w:top", "w:bottom"]);
        // In every paragraph, rPr is last (or only followed by a section break).
        let root = parse(&document).unwrap();
        for p_pr in root.descendants().filter(|e| e.name == "w:pPr") {
            let names: Vec<&str> = p_pr.children.iter().map(|c| c.name.as_str()).collect();
            if let Some(index) = names.iter().position(|n| *n == "w:rPr") {
                assert!(
                    names[index + 1..].iter().all(|n| *n == "w:sectPr"),
                    "{names:?}"
                );
            }
        }
    }

    #[test]
    fn run_properties_put_fonts_before_size() {
        let raw = pack_built(properties_docx());
        let raw_r_pr = child_names(&part(&raw, DOCUMENT_PART), "w:rPr", 1);
        assert!(
            index_of(&raw_r_pr, "w:sz") < index_of(&raw_r_pr, "w:rFonts"),
            "docx-rs writes sz before rFonts: {raw_r_pr:?}"
        );

        let finished = finish_docx(&raw).unwrap();
        let document = part(&finished, DOCUMENT_PART);
        // The paragraph mark's run properties, then the first run's.
        assert_eq!(
            child_names(&document, "w:rPr", 0),
            ["w:rFonts", "w:sz", "w:szCs"]
        );
        assert_eq!(
            child_names(&document, "w:rPr", 1),
            [
                "w:rStyle",
                "w:rFonts",
                "w:b",
                "w:bCs",
                "w:i",
                "w:iCs",
                "w:color",
                "w:spacing",
                "w:sz",
                "w:szCs",
                "w:highlight",
                "w:u",
            ]
        );
        // The text of the run is untouched: the order pass never moves content.
        assert!(document.contains(r#"<w:t xml:space="preserve">Báo cáo</w:t>"#));

        let styles = part(&finished, STYLES_PART);
        let defaults = child_names(&styles, "w:rPr", 0);
        assert!(index_of(&defaults, "w:rFonts") < index_of(&defaults, "w:sz"));
    }

    #[test]
    fn styles_numbering_and_settings_follow_the_schema() {
        let raw = pack_built(properties_docx());
        let finished = finish_docx(&raw).unwrap();

        let styles = part(&finished, STYLES_PART);
        let root = parse(&styles).unwrap();
        let style = |id: &str| {
            root.children_named("w:style")
                .find(|s| s.attr_raw(&styles, "w:styleId") == Some(id))
                .unwrap_or_else(|| panic!("style {id}"))
                .children
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            style("Heading1"),
            [
                "w:name",
                "w:basedOn",
                "w:next",
                "w:uiPriority",
                "w:qFormat",
                "w:pPr",
                "w:rPr"
            ]
        );
        assert_eq!(style("Normal"), ["w:name", "w:qFormat", "w:pPr", "w:rPr"]);
        // docx-rs's empty w:rPr inside a style's or the defaults' w:pPr is gone.
        assert!(part(&raw, STYLES_PART).contains("<w:pPr><w:rPr /></w:pPr>"));
        assert!(!styles.contains("<w:pPr><w:rPr"), "{styles}");

        let numbering = part(&finished, "word/numbering.xml");
        let root = parse(&numbering).unwrap();
        let abstract_num = root
            .children_named("w:abstractNum")
            .find(|a| a.attr_raw(&numbering, "w:abstractNumId") == Some("2"))
            .unwrap();
        let level: Vec<&str> = abstract_num.children[0]
            .children
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            level,
            [
                "w:start",
                "w:numFmt",
                "w:lvlRestart",
                "w:pStyle",
                "w:isLgl",
                "w:suff",
                "w:lvlText",
                "w:lvlJc",
                "w:pPr",
                "w:rPr",
            ]
        );
        assert_eq!(
            child_names(&numbering, "w:lvlOverride", 0),
            ["w:startOverride", "w:lvl"]
        );

        let settings = part(&finished, SETTINGS_PART);
        assert_eq!(
            child_names(&settings, "w:settings", 0),
            [
                "w:zoom",
                "w:defaultTabStop",
                "w:evenAndOddHeaders",
                "w:footnotePr",
                "w:compat",
                "w:docVars",
                "w15:docId",
            ]
        );
    }

    #[test]
    fn every_part_is_in_schema_order_and_finishing_is_idempotent() {
        let raw = pack_built(properties_docx());
        // The checker does find docx-rs's slips...
        let problems = schema_order_problems(&part(&raw, DOCUMENT_PART));
        assert!(problems.len() > 5, "{problems:?}");
        assert!(!schema_order_problems(&part(&raw, STYLES_PART)).is_empty());
        assert!(!schema_order_problems(&part(&raw, SETTINGS_PART)).is_empty());
        // ...and none are left after finishing.
        let finished = finish_docx(&raw).unwrap();
        assert_schema_order(&finished);
        assert!(
            finish_docx(&finished).unwrap() == finished,
            "finishing twice changes the package"
        );
        let again = finish_docx(&pack_built(properties_docx())).unwrap();
        assert!(again == finished, "the same document gives different bytes");
    }

    #[test]
    fn the_report_writer_output_is_in_schema_order() {
        let text = |t: &str| Inline::Text(t.to_owned());
        let report = ReportDocument {
            header: HeaderLines {
                governing_body: "UBND THÀNH PHỐ HẢI PHÒNG".to_owned(),
                issuing_body: "SỞ GIÁO DỤC VÀ ĐÀO TẠO".to_owned(),
                number_line: "Số:        /BC-SGDĐT".to_owned(),
                date_line: "Hải Phòng, ngày      tháng 12 năm 2025".to_owned(),
            },
            title: "BÁO CÁO".to_owned(),
            summary: "Tình hình công tác tháng 11".to_owned(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: "I. KẾT QUẢ".to_owned(),
                },
                Block::Paragraph(vec![
                    text("Tiếp nhận 324 hồ sơ"),
                    Inline::Footnote("Quyết định số 4309/QĐ-UBND".to_owned()),
                    text("."),
                ]),
                Block::Heading {
                    level: 4,
                    text: "a. Tồn tại".to_owned(),
                },
                Block::Bullet(vec![text("Không có.")]),
            ],
            closing: ClosingLines {
                recipients_heading: "Nơi nhận:".to_owned(),
                recipients: vec!["- Lưu: VT, VP.".to_owned()],
                authority: "GIÁM ĐỐC".to_owned(),
                title: String::new(),
                name: "Lương Văn Việt".to_owned(),
            },
        };
        let finished = write_report_docx(&report).expect("the report is written");
        assert_schema_order(&finished);
    }

    #[test]
    fn order_pass_keeps_unknown_children_last_and_content_in_place() {
        let xml = concat!(
            r#"<w:document><w:body><w:p><w:pPr>"#,
            "\n  <w:rPr><w14:ligatures w14:val=\"all\"/><w:sz w:val=\"28\"/>",
            r#"<w:rFonts w:ascii="A"/><w:szCs w:val="28"/></w:rPr>"#,
            "\n  <w:jc w:val=\"center\"/>\n</w:pPr>",
            r#"<w:r><w:t>b</w:t><w:rPr><w:b/></w:rPr></w:r></w:p></w:body></w:document>"#,
        );
        let expected = concat!(
            r#"<w:document><w:body><w:p><w:pPr>"#,
            "\n  <w:jc w:val=\"center\"/>",
            r#"
  <w:rPr><w:rFonts w:ascii="A"/><w:sz w:val="28"/><w:szCs w:val="28"/><w14:ligatures w14:val="all"/></w:rPr>"#,
            "\n</w:pPr>",
            r#"<w:r><w:t>b</w:t><w:rPr><w:b/></w:rPr></w:r></w:p></w:body></w:document>"#,
        );
        assert_eq!(in_schema_order(xml), expected);
        assert_eq!(in_schema_order(expected), expected);
        // A non-empty w:rPr in a style's w:pPr says something and is kept.
        let style =
            r#"<w:style><w:pPr><w:rPr><w:b/></w:rPr><w:jc w:val="left"/></w:pPr></w:style>"#;
        assert_eq!(
            in_schema_order(style),
            r#"<w:style><w:pPr><w:jc w:val="left"/><w:rPr><w:b/></w:rPr></w:pPr></w:style>"#
        );
    }
}
