//! VNI-Windows, the encoding of the `VNI-Times` fonts: a Vietnamese letter is its base letter
//! followed by one byte that the font draws as the marks (`aù` is `á`, `oä` is `ộ`), and a
//! few letters are single bytes (`ñ` is `đ`, `ô` is `ơ`, `ö` is `ư`). In a workbook the bytes
//! show as Windows-1252 letters, `Phoøng` for `Phòng`.

const CIRCUMFLEX: char = '\u{0302}';
const BREVE: char = '\u{0306}';
const HORN: char = '\u{031B}';
const ACUTE: char = '\u{0301}';
const GRAVE: char = '\u{0300}';
const HOOK: char = '\u{0309}';
const TILDE: char = '\u{0303}';
const DOT: char = '\u{0323}';

/// Bytes that put a tone on the vowel before them (any vowel).
const TONE_BYTES: [(char, char); 5] = [
    ('ù', ACUTE),
    ('ø', GRAVE),
    ('û', HOOK),
    ('õ', TILDE),
    ('ï', DOT),
];

/// Bytes that add a circumflex, alone or with a tone, to the `a`, `e` or `o` before them.
const CIRCUMFLEX_BYTES: [(char, Option<char>); 6] = [
    ('â', None),
    ('á', Some(ACUTE)),
    ('à', Some(GRAVE)),
    ('å', Some(HOOK)),
    ('ã', Some(TILDE)),
    ('ä', Some(DOT)),
];

/// Bytes that add a breve, alone or with a tone, to the `a` before them.
const BREVE_BYTES: [(char, Option<char>); 6] = [
    ('ê', None),
    ('é', Some(ACUTE)),
    ('è', Some(GRAVE)),
    ('ú', Some(HOOK)),
    ('ü', Some(TILDE)),
    ('ë', Some(DOT)),
];

/// Letters that are one byte: (byte, base letter, mark).
const SINGLE: [(char, char, Option<char>); 9] = [
    ('ô', 'o', Some(HORN)),
    ('ö', 'u', Some(HORN)),
    ('í', 'i', Some(ACUTE)),
    ('ì', 'i', Some(GRAVE)),
    ('æ', 'i', Some(HOOK)),
    ('ó', 'i', Some(TILDE)),
    ('ò', 'i', Some(DOT)),
    ('î', 'y', Some(DOT)),
    ('ñ', 'đ', None),
];

fn lower(ch: char) -> char {
    ch.to_lowercase().next().unwrap_or(ch)
}

/// Whether a character is one of the bytes VNI uses for marks or letters.
pub(super) fn is_candidate(ch: char) -> bool {
    let ch = lower(ch);
    TONE_BYTES.iter().any(|(b, _)| *b == ch)
        || CIRCUMFLEX_BYTES.iter().any(|(b, _)| *b == ch)
        || BREVE_BYTES.iter().any(|(b, _)| *b == ch)
        || SINGLE.iter().any(|(b, _, _)| *b == ch)
}

/// The marks a byte adds to the base letter before it (`None` if it adds none to this base).
/// The font has lower-case marks for lower-case letters and capital marks for capitals; a
/// mixed pair (`yÕ`) is not VNI, which keeps TCVN3 text (`khuyÕn`) from reading as VNI.
fn marks_after(base: char, horn: bool, byte: char) -> Option<Vec<char>> {
    if base.is_uppercase() != byte.is_uppercase() {
        return None;
    }
    let byte = lower(byte);
    let base = lower(base);
    if let Some((_, tone)) = TONE_BYTES.iter().find(|(b, _)| *b == byte) {
        return matches!(base, 'a' | 'e' | 'o' | 'u' | 'y').then(|| vec![*tone]);
    }
    if horn {
        return None;
    }
    if let Some((_, tone)) = CIRCUMFLEX_BYTES.iter().find(|(b, _)| *b == byte) {
        return matches!(base, 'a' | 'e' | 'o')
            .then(|| std::iter::once(CIRCUMFLEX).chain(*tone).collect());
    }
    if let Some((_, tone)) = BREVE_BYTES.iter().find(|(b, _)| *b == byte) {
        return (base == 'a').then(|| std::iter::once(BREVE).chain(*tone).collect());
    }
    None
}

/// A single-byte letter: its base (in the byte's case) and mark.
fn single(ch: char) -> Option<(char, Option<char>)> {
    let upper = ch.is_uppercase();
    SINGLE
        .iter()
        .find(|(b, _, _)| *b == lower(ch))
        .map(|(_, base, mark)| {
            let base = if upper {
                base.to_uppercase().next().unwrap_or(*base)
            } else {
                *base
            };
            (base, *mark)
        })
}

/// Decodes one word; `None` when a mark byte stands where no letter can take it, which
/// means the word is not VNI text.
pub(super) fn decode_word(word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        let (base, own_mark) = match single(ch) {
            Some(found) => found,
            None if is_candidate(ch) => return None,
            None => (ch, None),
        };
        out.push(base);
        out.extend(own_mark);
        let horn = own_mark == Some(HORN);
        let takes_marks = own_mark.is_none() || horn;
        if takes_marks {
            if let Some(marks) = chars
                .get(i + 1)
                .filter(|next| is_candidate(**next) && single(**next).is_none())
                .and_then(|next| marks_after(base, horn, *next))
            {
                out.extend(marks);
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    Some(crate::text::nfc(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_decode_from_base_and_mark_bytes() {
        let cases = [
            ("aù", "á"),
            ("aø", "à"),
            ("aû", "ả"),
            ("aõ", "ã"),
            ("aï", "ạ"),
            ("aâ", "â"),
            ("aá", "ấ"),
            ("aä", "ậ"),
            ("aê", "ă"),
            ("aé", "ắ"),
            ("aë", "ặ"),
            ("eá", "ế"),
            ("oà", "ồ"),
            ("ôù", "ớ"),
            ("öï", "ự"),
            ("ñ", "đ"),
            ("Ñ", "Đ"),
            ("ó", "ĩ"),
            ("ò", "ị"),
            ("æ", "ỉ"),
            ("î", "ỵ"),
            ("yù", "ý"),
            ("AÙ", "Á"),
            ("OÄ", "Ộ"),
            ("ÖÙ", "Ứ"),
        ];
        for (vni, unicode) in cases {
            assert_eq!(decode_word(vni).as_deref(), Some(unicode), "{vni}");
        }
    }

    #[test]
    fn a_mark_with_no_letter_to_take_it_is_not_vni() {
        assert_eq!(decode_word("ù"), None);
        assert_eq!(decode_word("café"), None);
        assert_eq!(decode_word("iâ"), None);
        assert_eq!(decode_word("uê"), None);
    }
}
