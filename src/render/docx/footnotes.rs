//! The footnotes part: the reference's separators, then each note of the body with its
//! mark, in the order and with the ids the body gave them.

use super::reference::Reference;
use super::xml::{push_escaped, DECLARATION};
use crate::render::document::ParagraphStyle;

/// Writes the footnotes part for notes `(id, text)`.
pub fn write_footnotes(reference: &Reference, notes: &[(i64, String)]) -> String {
    let footnotes = &reference.footnotes;
    let mut out =
        String::with_capacity(1024 + notes.iter().map(|(_, t)| t.len() + 256).sum::<usize>());
    out.push_str(DECLARATION);
    out.push_str("<w:footnotes");
    out.push_str(&footnotes.attributes);
    out.push('>');
    out.push_str(&footnotes.separators);
    for (id, text) in notes {
        out.push_str(&format!(
            "<w:footnote w:id=\"{id}\"><w:p><w:pPr><w:pStyle w:val=\""
        ));
        push_escaped(
            &mut out,
            reference.paragraph_style_id(ParagraphStyle::FootnoteText),
        );
        out.push_str("\"/></w:pPr><w:r><w:rPr><w:rStyle w:val=\"");
        push_escaped(&mut out, reference.footnote_mark_id());
        out.push_str("\"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> ");
        push_escaped(&mut out, text);
        out.push_str("</w:t></w:r></w:p></w:footnote>");
    }
    out.push_str("</w:footnotes>");
    out
}
