//! Reading a generated DOCX back for tests: its paragraphs with their style ids and text, and
//! its styles by name, parsed with quick-xml (the writer builds the XML as text).

#![allow(dead_code)]

use quick_xml::events::Event;
use quick_xml::Reader;

/// One paragraph: its `w:pStyle` (if any), its text, and whether it sits in a table.
#[derive(Debug, Clone)]
pub struct Para {
    pub style: Option<String>,
    pub text: String,
    pub in_table: bool,
    /// Whether any run of it carries its own `w:rPr` with something other than a style.
    pub direct_run_format: bool,
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The body paragraphs of `word/document.xml`, in order.
pub fn paragraphs(document: &str) -> Vec<Para> {
    let mut reader = Reader::from_str(document);
    let mut out = Vec::new();
    let mut current: Option<Para> = None;
    let mut tables = 0usize;
    let mut in_text = false;
    let mut in_rpr = false;
    loop {
        match reader.read_event().expect("document.xml parses") {
            Event::Start(e) => match e.name().as_ref() {
                "w:tbl" => tables += 1,
                "w:p" => {
                    current = Some(Para {
                        style: None,
                        text: String::new(),
                        in_table: tables > 0,
                        direct_run_format: false,
                    })
                }
                "w:t" => in_text = true,
                "w:rPr" => in_rpr = true,
                _ => {}
            },
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                if let Some(p) = current.as_mut() {
                    if name == "w:pStyle" {
                        p.style = attr(&e, "w:val");
                    } else if in_rpr && name != "w:rStyle" {
                        p.direct_run_format = true;
                    }
                }
            }
            Event::Text(t) if in_text => {
                if let Some(p) = current.as_mut() {
                    p.text.push_str(t.as_ref());
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(p) = current.as_mut() {
                    let entity: &str = r.as_ref();
                    p.text.push_str(match entity {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        _ => "'",
                    });
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:tbl" => tables -= 1,
                "w:p" => out.extend(current.take()),
                "w:t" => in_text = false,
                "w:rPr" => in_rpr = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The id of the style named `name` in `styles.xml`.
pub fn style_id(styles: &str, name: &str) -> Option<String> {
    let marker = format!("<w:name w:val=\"{name}\"/>");
    let at = styles.find(&marker)?;
    let start = styles[..at].rfind("<w:style ")?;
    let tag = &styles[start..at];
    let id_at = tag.find("w:styleId=\"")? + "w:styleId=\"".len();
    Some(tag[id_at..].split('"').next()?.to_string())
}

/// The whole `w:style` element with id `id`.
pub fn style_element<'a>(styles: &'a str, id: &str) -> Option<&'a str> {
    let at = styles.find(&format!("w:styleId=\"{id}\""))?;
    let start = styles[..at].rfind("<w:style ")?;
    let end = styles[start..].find("</w:style>")? + start + "</w:style>".len();
    Some(&styles[start..end])
}
