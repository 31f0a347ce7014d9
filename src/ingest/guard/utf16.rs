//! XML parts written in UTF-16. The OOXML standard allows UTF-16 for a package's XML, Excel
//! opens such files (PhpSpreadsheet's test suite carries one whose `workbook.xml` is UTF-16
//! big-endian), but calamine's XML reader takes only encodings that are supersets of ASCII.
//! The guard already hands calamine a package of its own ([`super::repack`]), so such a part
//! goes into it as UTF-8, with its declaration saying so: the file is read, not refused for
//! its packaging.

/// The part as UTF-8, when it is UTF-16 (with a byte-order mark, or recognised by the `<` of
/// its first character); `None` for any other part, which stays as it is.
pub(super) fn to_utf8(xml: &[u8]) -> Option<Vec<u8>> {
    let (big_endian, body) = match xml {
        [0xFE, 0xFF, rest @ ..] => (true, rest),
        [0xFF, 0xFE, rest @ ..] => (false, rest),
        [0x00, b'<', ..] => (true, xml),
        [b'<', 0x00, ..] => (false, xml),
        _ => return None,
    };
    let units = body.chunks_exact(2).map(|pair| {
        if big_endian {
            u16::from_be_bytes([pair[0], pair[1]])
        } else {
            u16::from_le_bytes([pair[0], pair[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    Some(declare_utf8(&text).into_bytes())
}

/// The text with its XML declaration's `encoding` (if any) made `UTF-8`.
fn declare_utf8(text: &str) -> String {
    let Some(rest) = text.strip_prefix("<?xml") else {
        return text.to_string();
    };
    let Some(end) = rest.find("?>") else {
        return text.to_string();
    };
    let declaration = &rest[..end];
    let Some(at) = declaration.find("encoding") else {
        return text.to_string();
    };
    let after = &declaration[at + "encoding".len()..];
    let Some(open) = after.find(['"', '\'']) else {
        return text.to_string();
    };
    let quote = after.as_bytes()[open] as char;
    let Some(close) = after[open + 1..].find(quote) else {
        return text.to_string();
    };
    let value_start = "<?xml".len() + at + "encoding".len() + open + 1;
    let value_end = value_start + close;
    format!("{}UTF-8{}", &text[..value_start], &text[value_end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        if bom {
            bytes.extend_from_slice(if big_endian {
                &[0xFE, 0xFF]
            } else {
                &[0xFF, 0xFE]
            });
        }
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    }

    #[test]
    fn utf16_in_either_byte_order_becomes_utf8_declared_as_such() {
        let xml =
            r#"<?xml version="1.0" encoding="UTF-16" standalone="yes"?><sheet name="Số liệu"/>"#;
        let expected =
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sheet name="Số liệu"/>"#;
        for (big_endian, bom) in [(true, false), (true, true), (false, false), (false, true)] {
            let utf8 = to_utf8(&utf16(xml, big_endian, bom)).expect("UTF-16");
            assert_eq!(String::from_utf8(utf8).expect("UTF-8"), expected);
        }
    }

    #[test]
    fn utf8_parts_are_left_alone() {
        assert_eq!(
            to_utf8(br#"<?xml version="1.0" encoding="UTF-8"?><a/>"#),
            None
        );
        assert_eq!(to_utf8(b"\xEF\xBB\xBF<a/>"), None);
        assert_eq!(to_utf8(b""), None);
    }
}
