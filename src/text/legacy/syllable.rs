//! Whether a word is a well-formed Vietnamese syllable (initial consonant, vowel nucleus,
//! final consonant, at most one tone). Conversion from a legacy encoding is only accepted when
//! every converted word passes, which keeps English, codes and ordinary Unicode text intact.

use unicode_normalization::UnicodeNormalization;

const INITIALS: &[&str] = &[
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

const FINALS: &[&str] = &["ng", "nh", "ch", "c", "m", "n", "p", "t", ""];

/// Nuclei (vowels and glides, without tone) that may take a final consonant.
const OPEN_NUCLEI: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "iê", "yê", "oa", "oă", "oe", "oo",
    "uâ", "uê", "uô", "uy", "ươ", "uyê",
];

/// Nuclei that end the syllable: no final consonant may follow.
const CLOSED_NUCLEI: &[&str] = &[
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "uơ",
    "ưa", "ưi", "ưu", "iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya",
    "uyu",
];

/// Nuclei that cannot end a syllable without a final consonant.
const NEED_FINAL: &[&str] = &["ă", "â", "iê", "yê", "oă", "uâ", "uô", "ươ", "uyê"];

/// Nuclei after which `ch` and `nh` may end a syllable.
const BEFORE_CH_NH: &[&str] = &["a", "ê", "i", "y", "oa", "uê", "uy"];

const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];
const ACUTE: char = '\u{0301}';
const DOT: char = '\u{0323}';

/// True when `word` (any case) is one Vietnamese syllable such as `Phòng`, `nghiệp`, `khuya`.
pub fn is_syllable(word: &str) -> bool {
    let Some((letters, tone)) = split_tone(word) else {
        return false;
    };
    INITIALS
        .iter()
        .filter_map(|initial| letters.strip_prefix(initial).map(|rest| (*initial, rest)))
        .any(|(initial, rest)| {
            FINALS.iter().any(|fin| {
                rest.strip_suffix(fin)
                    .is_some_and(|nucleus| fits(initial, nucleus, fin, tone))
            })
        })
}

/// True for an upper-case abbreviation without tones (`GDĐT`, `HĐND`), which Vietnamese
/// administrative text is full of.
pub fn is_abbreviation(word: &str) -> bool {
    word.chars().count() >= 2
        && word.chars().any(|c| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || matches!(c, 'Đ' | 'Ă' | 'Â' | 'Ê' | 'Ô' | 'Ơ' | 'Ư'))
}

/// Lower-case letters without the tone (shape marks kept, NFC) and the tone mark, or `None`
/// when the word holds something else than letters or more than one tone.
fn split_tone(word: &str) -> Option<(String, Option<char>)> {
    let mut tone = None;
    let mut letters = String::with_capacity(word.len());
    let mut last_is_vowel = false;
    for ch in word.to_lowercase().nfd() {
        if TONE_MARKS.contains(&ch) {
            if tone.is_some() || !last_is_vowel {
                return None;
            }
            tone = Some(ch);
        } else if matches!(ch, '\u{0302}' | '\u{0306}' | '\u{031B}') {
            if !last_is_vowel {
                return None;
            }
            letters.push(ch);
        } else if ch.is_ascii_lowercase() || ch == 'đ' {
            last_is_vowel = matches!(ch, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
            letters.push(ch);
        } else {
            return None;
        }
    }
    Some((letters.nfc().collect(), tone))
}

fn fits(initial: &str, nucleus: &str, fin: &str, tone: Option<char>) -> bool {
    if nucleus.is_empty() {
        return false;
    }
    let closed = CLOSED_NUCLEI.contains(&nucleus);
    let open = OPEN_NUCLEI.contains(&nucleus);
    if !(open || closed) || (closed && !fin.is_empty()) {
        return false;
    }
    if fin.is_empty() && NEED_FINAL.contains(&nucleus) {
        return false;
    }
    if matches!(fin, "ch" | "nh") && !BEFORE_CH_NH.contains(&nucleus) {
        return false;
    }
    if fin == "ng" && matches!(nucleus, "i" | "y" | "ê") {
        return false;
    }
    // A syllable closed by a stop consonant only takes the acute or the dot-below tone.
    if matches!(fin, "c" | "ch" | "p" | "t") && !matches!(tone, Some(ACUTE) | Some(DOT)) {
        return false;
    }
    let front = nucleus.starts_with(['i', 'e', 'ê', 'y']);
    match initial {
        "k" | "gh" | "ngh" => front,
        "c" | "ng" => !front,
        "qu" => !nucleus.starts_with('u'),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_syllables_pass() {
        for word in [
            "Phòng", "giáo", "dục", "trung", "học", "nghiệp", "khuya", "người", "rượu", "quốc",
            "gì", "giữa", "giêng", "khuỷu", "thuở", "xoong", "hoà", "hòa", "quý", "Việt", "thích",
            "hoạch", "huỳnh", "khuyến", "ở", "ý", "Tổ", "chức", "cán", "bộ", "xã", "hội", "nghĩa",
            "ĐỘC", "lập", "TỰ", "hạnh", "phúc", "tuần", "quân", "oanh", "ngoặc", "khoẻ", "thuế",
            "sáng", "đi",
        ] {
            assert!(is_syllable(word), "{word}");
        }
    }

    #[test]
    fn non_syllables_fail() {
        for word in [
            "Phoứng",
            "Giaựo",
            "café",
            "schưn",
            "Mưller",
            "dôc",
            "lôc",
            "ă",
            "ing",
            "kan",
            "VB_DEN",
            "abc1",
            "xyz",
            "ngyên",
            "Hà Nội",
            "Tụi lỔ",
            "cácḥ",
            "n\u{0301}",
        ] {
            assert!(!is_syllable(word), "{word}");
        }
    }

    #[test]
    fn abbreviations_are_upper_case_without_tones() {
        assert!(is_abbreviation("GDĐT"));
        assert!(is_abbreviation("HĐND"));
        assert!(!is_abbreviation("Đ"));
        assert!(!is_abbreviation("GDđT"));
        assert!(!is_abbreviation("ĐỘC"));
    }
}
