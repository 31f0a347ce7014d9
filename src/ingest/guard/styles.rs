//! The styles part, cut down to what reading needs. calamine builds a full style (font, fill,
//! borders) for every cell format of `xl/styles.xml` when it opens a workbook, yet the only
//! thing baocao takes from styles is whether a number is a date, which depends on the number
//! formats (`numFmts`) and the formats' number-format ids (`cellXfs`) alone. Handing calamine
//! only those two cut its reading of the styles by two thirds for the benchmark's small forms
//! (callgrind, 500 schools: 46.6 M to 15.4 M instructions, about a seventh of opening a
//! workbook). Excel's own files carry far larger styles (tens of kilobytes), where the saving
//! should be larger; that is not measured.

/// The children of `<styleSheet>` that decide how a number reads; every other one is dropped.
const KEPT: [&[u8]; 2] = [b"numFmts", b"cellXfs"];

/// `content` without the top-level elements calamine would only build styles from, or `None`
/// when the part is not laid out as expected (it is then handed over as it is, and calamine
/// judges it). A byte scan rather than an XML reader: the part is walked once, and the
/// children's insides are skipped with a substring search (an XML reader cost as much as the
/// parsing it saved).
pub(super) fn number_formats_only(content: &[u8]) -> Option<Vec<u8>> {
    // The prolog (declaration, comments) and the root's start tag.
    let mut at = skip_misc(content, 0)?;
    if content.get(at) != Some(&b'<') {
        return None;
    }
    let (_, root_end, root_empty) = start_tag(content, at)?;
    if root_empty {
        return None;
    }
    let mut kept = Vec::with_capacity(content.len() / 4);
    kept.extend_from_slice(&content[..root_end]);
    at = root_end;
    loop {
        at = skip_misc(content, at)?;
        if content.get(at..at + 2)? == b"</" {
            // The root's end tag and whatever follows it.
            kept.extend_from_slice(&content[at..]);
            return Some(kept);
        }
        let (name, tag_end, empty) = start_tag(content, at)?;
        let element_end = if empty {
            tag_end
        } else {
            end_of_element(content, name, tag_end)?
        };
        let local = name.rsplit(|&b| b == b':').next()?;
        if KEPT.contains(&local) {
            kept.extend_from_slice(&content[at..element_end]);
        }
        at = element_end;
    }
}

/// Past whitespace, comments and processing instructions from `at`.
fn skip_misc(content: &[u8], mut at: usize) -> Option<usize> {
    loop {
        while content.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let rest = content.get(at..)?;
        if rest.starts_with(b"<!--") {
            at += 4 + memchr::memmem::find(&rest[4..], b"-->")? + 3;
        } else if rest.starts_with(b"<?") {
            at += 2 + memchr::memmem::find(&rest[2..], b"?>")? + 2;
        } else if rest.starts_with(b"<!") {
            return None;
        } else {
            return Some(at);
        }
    }
}

/// The start tag at `at` (`<` there): its qualified name, where it ends (past `>`), and
/// whether it is empty (`/>`). Attribute values may hold `>`; quotes are respected.
fn start_tag(content: &[u8], at: usize) -> Option<(&[u8], usize, bool)> {
    let name_len = content
        .get(at + 1..)?
        .iter()
        .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')?;
    if name_len == 0 {
        return None;
    }
    let name = &content[at + 1..at + 1 + name_len];
    let mut i = at + 1 + name_len;
    let mut quote: Option<u8> = None;
    loop {
        let b = *content.get(i)?;
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some((name, i + 1, content[i - 1] == b'/')),
            None => {}
        }
        i += 1;
    }
}

/// Past the end tag of the element `name` whose start tag ended at `from`. `None` if an
/// element of the same name opens inside it (nesting this scan does not follow).
fn end_of_element(content: &[u8], name: &[u8], from: usize) -> Option<usize> {
    let mut close = Vec::with_capacity(name.len() + 2);
    close.extend_from_slice(b"</");
    close.extend_from_slice(name);
    let end = from + memchr::memmem::find(&content[from..], &close)?;
    let mut open = Vec::with_capacity(name.len() + 1);
    open.push(b'<');
    open.extend_from_slice(name);
    let inside = &content[from..end];
    let nested = memchr::memmem::find_iter(inside, &open).any(|i| {
        inside
            .get(i + open.len())
            .is_none_or(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
    });
    if nested {
        return None;
    }
    let mut i = end + close.len();
    while content.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    (content.get(i) == Some(&b'>')).then_some(i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        r#"<numFmts count="1"><numFmt numFmtId="165" formatCode="dd/mm/yyyy"/></numFmts>"#,
        r#"<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>"#,
        r#"<fills count="1"><fill><patternFill patternType="none"/></fill></fills>"#,
        r#"<borders count="1"><border><left/><right/></border></borders>"#,
        r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0"/></cellStyleXfs>"#,
        r#"<cellXfs count="2"><xf numFmtId="0" fontId="0"/>"#,
        r#"<xf numFmtId="165" fontId="0" applyNumberFormat="1"><alignment wrapText="1"/></xf>"#,
        r#"</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0"/></cellStyles>"#,
        r#"<dxfs count="0"/><tableStyles count="0"/></styleSheet>"#,
    );

    #[test]
    fn only_number_formats_and_cell_formats_remain() {
        let slim = number_formats_only(STYLES.as_bytes()).expect("well-formed");
        let slim = String::from_utf8(slim).expect("UTF-8");
        let expected = concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
            r#"<numFmts count="1"><numFmt numFmtId="165" formatCode="dd/mm/yyyy"/></numFmts>"#,
            r#"<cellXfs count="2"><xf numFmtId="0" fontId="0"/>"#,
            r#"<xf numFmtId="165" fontId="0" applyNumberFormat="1"><alignment wrapText="1"/></xf>"#,
            r#"</cellXfs></styleSheet>"#,
        );
        assert_eq!(slim, expected);
    }

    #[test]
    fn a_prefixed_namespace_is_cut_the_same_way() {
        let prefixed = STYLES
            .replace("<styleSheet xmlns=", "<x:styleSheet xmlns:x=")
            .replace("</styleSheet>", "</x:styleSheet>")
            .replace("<fonts", "<x:fonts")
            .replace("</fonts>", "</x:fonts>")
            .replace("<numFmts", "<x:numFmts")
            .replace("</numFmts>", "</x:numFmts>");
        let slim = number_formats_only(prefixed.as_bytes()).expect("well-formed");
        let slim = String::from_utf8(slim).expect("UTF-8");
        assert!(slim.contains("<x:numFmts count=\"1\">"), "{slim}");
        assert!(!slim.contains("fonts"), "{slim}");
        assert!(slim.ends_with("</x:styleSheet>"), "{slim}");
    }

    #[test]
    fn quotes_comments_and_spaces_are_read_as_xml_reads_them() {
        let odd = concat!(
            "<?xml version=\"1.0\"?><!-- made by hand --> <styleSheet a='>'>\n",
            "  <fonts x=\"/>\"><font/></fonts >\n",
            "  <!-- <cellXfs> in a comment --><numFmts count=\"0\"/>",
            "<cellXfs><xf numFmtId=\"14\"/></cellXfs></styleSheet>\n",
        );
        let slim = number_formats_only(odd.as_bytes()).expect("well-formed");
        assert_eq!(
            String::from_utf8(slim).expect("UTF-8"),
            concat!(
                "<?xml version=\"1.0\"?><!-- made by hand --> <styleSheet a='>'>",
                "<numFmts count=\"0\"/><cellXfs><xf numFmtId=\"14\"/></cellXfs>",
                "</styleSheet>\n",
            )
        );
    }

    proptest::proptest! {
        /// Whatever the bytes (the part is read before calamine, outside its panic
        /// containment), the cut never panics, and what it keeps never grows.
        #[test]
        fn any_bytes_are_cut_or_left_without_panic(
            flips in proptest::collection::vec((0.0f64..1.0, 0u8..=255), 0..8),
            cut in 0.0f64..1.0,
            noise in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
        ) {
            let mut bytes = STYLES.as_bytes().to_vec();
            for (at, value) in flips {
                let at = ((bytes.len() - 1) as f64 * at) as usize;
                bytes[at] = value;
            }
            bytes.truncate(((bytes.len() as f64) * (0.5 + cut)) as usize);
            bytes.extend_from_slice(&noise);
            if let Some(slim) = number_formats_only(&bytes) {
                proptest::prop_assert!(slim.len() <= bytes.len());
            }
            let _ = number_formats_only(&noise);
        }
    }

    #[test]
    fn a_broken_part_is_left_as_it_is() {
        for broken in [
            &STYLES[..STYLES.len() - 20],
            "<styleSheet><fonts></styleSheet>",
            "<styleSheet><fonts><fonts></fonts></fonts></styleSheet>",
            "<styleSheet><fonts></fontsX></styleSheet>",
            "<!DOCTYPE x><styleSheet></styleSheet>",
            "<styleSheet/>",
        ] {
            assert_eq!(number_formats_only(broken.as_bytes()), None, "{broken}");
        }
    }
}
