//! TCVN 5712:1993 (TCVN3, the "ABC" encoding of the `.VnTime` fonts). Every Vietnamese letter
//! is one byte; a workbook typed with such a font holds those bytes as the Windows-1252
//! characters they happen to be (`Phßng` for `Phòng`), which is what is undone here.

/// The letters of TCVN3, byte by byte, in rows of base letter then the five tones in the
/// order sắc (acute), huyền (grave), hỏi (hook), ngã (tilde), nặng (dot below). A zero byte
/// means the letter is the plain ASCII one.
const LOWER: &[(char, [u8; 6])] = &[
    ('a', [0, 0xB8, 0xB5, 0xB6, 0xB7, 0xB9]),
    ('ă', [0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6]),
    ('â', [0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB]),
    ('e', [0, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1]),
    ('ê', [0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6]),
    ('i', [0, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE]),
    ('o', [0, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4]),
    ('ô', [0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9]),
    ('ơ', [0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE]),
    ('u', [0, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4]),
    ('ư', [0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9]),
    ('y', [0, 0xFD, 0xFA, 0xFB, 0xFC, 0xFE]),
];

/// Capitals. The `.VnTimeH` fonts show the lower-case codes as capitals, so most files use
/// those; the full standard also codes the capitals in 0x80–0x9F, in the free slots of
/// 0xA0–0xFF and in a few control codes, which Unikey and the ABC keyboard produce too.
const UPPER: &[(char, [u8; 6])] = &[
    ('A', [0, 0x83, 0x80, 0x81, 0x82, 0x84]),
    ('Ă', [0xA1, 0xC0, 0xAF, 0xBA, 0xBF, 0x85]),
    ('Â', [0xA2, 0xC4, 0xC1, 0xC2, 0xC3, 0x86]),
    ('E', [0, 0x8A, 0x87, 0x88, 0x89, 0x8B]),
    ('Ê', [0xA3, 0xDA, 0xC5, 0xCD, 0xD9, 0x8C]),
    ('I', [0, 0x90, 0x8D, 0x8E, 0x8F, 0x91]),
    ('O', [0, 0x95, 0x92, 0x93, 0x94, 0x96]),
    ('Ô', [0xA4, 0xFF, 0xDB, 0xE0, 0xF0, 0x97]),
    ('Ơ', [0xA5, 0x9B, 0x98, 0x99, 0x9A, 0x9C]),
    ('U', [0, 0x01, 0x9D, 0x9E, 0x9F, 0x02]),
    ('Ư', [0xA6, 0x11, 0x04, 0x05, 0x06, 0x12]),
    ('Y', [0, 0x16, 0x13, 0x14, 0x15, 0x17]),
];

/// `đ` and `Đ`.
const D_STROKE: [(u8, char); 2] = [(0xAE, 'đ'), (0xA7, 'Đ')];

/// Bytes 0xB0–0xB4 are the five tones as separate (combining) marks.
const MARKS: [(u8, char); 5] = [
    (0xB0, '\u{0300}'),
    (0xB1, '\u{0309}'),
    (0xB2, '\u{0303}'),
    (0xB3, '\u{0301}'),
    (0xB4, '\u{0323}'),
];

/// Combining tone marks in the order of the table columns (after the toneless letter).
const TONES: [char; 5] = ['\u{0301}', '\u{0300}', '\u{0309}', '\u{0303}', '\u{0323}'];

/// Windows-1252 code points of bytes 0x80–0x9F (undefined bytes keep their C1 code point).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// The byte a character stands for when text was typed with an 8-bit font on Windows: the
/// Windows-1252 byte, or the byte of the same value for Latin-1 and C0/C1 code points.
pub(super) fn byte_of(ch: char) -> Option<u8> {
    let code = u32::from(ch);
    if code < 0x80 || (0xA0..=0xFF).contains(&code) {
        return u8::try_from(code).ok();
    }
    if (0x80..0xA0).contains(&code) {
        return u8::try_from(code).ok();
    }
    CP1252_HIGH
        .iter()
        .position(|&c| c == ch)
        .and_then(|i| u8::try_from(0x80 + i).ok())
}

/// The Unicode text a TCVN3 byte stands for, `None` for bytes that are not Vietnamese
/// letters or marks (ASCII, the no-break space).
pub(super) fn decode_byte(byte: u8) -> Option<String> {
    if byte == 0 {
        return None;
    }
    for (letter, codes) in LOWER.iter().chain(UPPER) {
        if let Some(i) = codes.iter().position(|&c| c == byte) {
            let mut out = String::new();
            if i == 0 {
                out.push(*letter);
            } else {
                out.push(*letter);
                out.push(TONES[i - 1]);
            }
            return Some(crate::text::nfc(&out));
        }
    }
    D_STROKE
        .iter()
        .chain(MARKS.iter())
        .find(|(b, _)| *b == byte)
        .map(|(_, c)| c.to_string())
}

/// Every byte's Unicode text, computed once: detection asks about every character of every
/// non-ASCII cell.
fn table() -> &'static [Option<String>] {
    static TABLE: std::sync::OnceLock<Vec<Option<String>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| (0..=255u8).map(decode_byte).collect())
}

/// The Unicode text a character stands for when it was typed in TCVN3, if it is a TCVN3
/// letter or mark (never for ASCII letters, digits, punctuation or spaces).
fn decoded(ch: char) -> Option<&'static str> {
    if ch.is_ascii_graphic() || ch == ' ' {
        return None;
    }
    byte_of(ch).and_then(|b| table()[usize::from(b)].as_deref())
}

/// Whether a character is one TCVN3 would turn into a Vietnamese letter or mark.
pub(super) fn is_candidate(ch: char) -> bool {
    decoded(ch).is_some()
}

/// The text with every TCVN3 character replaced by its Unicode letter (NFC).
pub(super) fn decode(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 8);
    for ch in word.chars() {
        match decoded(ch) {
            Some(text) => out.push_str(text),
            None => out.push(ch),
        }
    }
    crate::text::nfc(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_letter_has_one_byte_and_no_byte_two_letters() {
        let mut seen = std::collections::HashMap::new();
        for (letter, codes) in LOWER.iter().chain(UPPER) {
            for &code in codes.iter().filter(|&&c| c != 0) {
                assert!(seen.insert(code, *letter).is_none(), "byte {code:#x} twice");
            }
        }
        // 12 vowels × 6 forms, minus the 6 plain ASCII vowels, in both cases; đ, Đ; 5 marks.
        assert_eq!(
            seen.len() + D_STROKE.len() + MARKS.len(),
            2 * (72 - 6) + 2 + 5
        );
    }

    #[test]
    fn single_bytes_decode_to_the_standard_letters() {
        let cases = [
            (0xB8, "á"),
            (0xB5, "à"),
            (0xA8, "ă"),
            (0xAE, "đ"),
            (0xA7, "Đ"),
            (0xDF, "ò"),
            (0xF4, "ụ"),
            (0xE4, "ọ"),
            (0xAD, "ư"),
            (0xEA, "ờ"),
            (0xD6, "ệ"),
            (0x92, "Ò"),
            (0xFF, "Ố"),
            (0x16, "Ý"),
        ];
        for (byte, letter) in cases {
            assert_eq!(decode_byte(byte).as_deref(), Some(letter), "{byte:#x}");
        }
        assert_eq!(decode_byte(b'a'), None);
        assert_eq!(decode_byte(0xA0), None);
    }

    #[test]
    fn windows_1252_characters_map_back_to_their_bytes() {
        assert_eq!(byte_of('’'), Some(0x92));
        assert_eq!(byte_of('€'), Some(0x80));
        assert_eq!(byte_of('ß'), Some(0xDF));
        assert_eq!(byte_of('\u{81}'), Some(0x81));
        assert_eq!(byte_of('ộ'), None);
    }
}
