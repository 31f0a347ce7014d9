//! Folding text to a matching key, so that `Số liệu`, `SO LIEU`, `so_lieu` and `Số  liệu `
//! are the same sheet and `Phong To chuc can bo` is the same unit as `Phòng Tổ chức cán bộ`.

use unicode_normalization::UnicodeNormalization;

/// Normalises text to Unicode NFC, the form every stored string uses, so that text typed
/// with combining accents compares equal to precomposed text.
pub fn nfc(text: &str) -> String {
    // Almost every cell is already NFC (and most are ASCII): check before rebuilding it.
    // Text of characters below the combining marks and of the Vietnamese block is NFC as it
    // stands (each of them is, and no combining mark follows them): that is most text cells
    // of every form, answered without Unicode's tables.
    if text.is_ascii()
        || text.chars().all(is_plainly_nfc)
        || unicode_normalization::is_nfc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return text.to_string();
    }
    text.nfc().collect()
}

/// Characters that are NFC whatever surrounds them but a combining mark: everything before
/// the combining marks (U+0300), and the precomposed Vietnamese letters (U+1EA0–U+1EF9).
fn is_plainly_nfc(ch: char) -> bool {
    ch < '\u{0300}' || ('\u{1EA0}'..='\u{1EF9}').contains(&ch)
}

/// The matching key of a name: lower case, no diacritics (`đ` becomes `d`), and only letters
/// and digits kept, so that case, accents, punctuation and spacing never decide a match.
pub fn fold_key(text: &str) -> String {
    if text.is_ascii() {
        return text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
    }
    if let Some(key) = fold_vietnamese(text) {
        return key;
    }
    fold_key_decomposed(text)
}

/// Whether `text` folds to `key` ([`fold_key`]), compared as it is folded, without making
/// the folded text: every header cell of every form is held against each name a column may
/// have. `key` must itself be folded.
pub fn folds_to(text: &str, key: &str) -> bool {
    let (mut chars, mut expected) = (text.chars(), key.chars());
    loop {
        match next_folded(&mut chars) {
            Folded::End => return expected.next().is_none(),
            // Up to here the text folded as the general path would: let it decide the rest.
            Folded::General => return fold_key(text) == key,
            Folded::Char(ch) if expected.next() == Some(ch) => {}
            Folded::Char(_) => return false,
        }
    }
}

/// Whether two texts fold to the same key ([`fold_key`]), compared as they are folded,
/// without making either key: a school's ward as typed against the registry's, for every
/// form of a run.
pub fn same_key(a: &str, b: &str) -> bool {
    let (mut left, mut right) = (a.chars(), b.chars());
    loop {
        match (next_folded(&mut left), next_folded(&mut right)) {
            (Folded::End, Folded::End) => return true,
            // Up to here both folded as the general path would: let it decide the rest.
            (Folded::General, _) | (_, Folded::General) => return fold_key(a) == fold_key(b),
            (Folded::Char(x), Folded::Char(y)) if x == y => {}
            _ => return false,
        }
    }
}

/// The next character of a key without decomposing: ASCII letters and digits lower-cased,
/// other ASCII skipped, a precomposed Vietnamese letter its base letter. The one step that
/// [`fold_vietnamese`], [`folds_to`] and [`same_key`] share.
enum Folded {
    End,
    Char(char),
    /// A character only the general path folds.
    General,
}

// Inlined into each loop: called as a function it cost 19 M more instructions reading the
// benchmark's 2,000 workbooks (callgrind, 3,859 M against 3,839 M).
#[inline(always)]
fn next_folded(chars: &mut std::str::Chars<'_>) -> Folded {
    for ch in chars.by_ref() {
        if ch.is_ascii() {
            if ch.is_ascii_alphanumeric() {
                return Folded::Char(ch.to_ascii_lowercase());
            }
        } else {
            return vietnamese_base(ch).map_or(Folded::General, Folded::Char);
        }
    }
    Folded::End
}

/// [`fold_key`] without decomposing: ASCII and the precomposed Vietnamese letters map
/// straight to their base letter. `None` when another character needs the general path.
/// Matching headers and names folds tens of thousands of cells a run; decomposing each one
/// cost ten times more (measured with callgrind).
fn fold_vietnamese(text: &str) -> Option<String> {
    let mut key = String::with_capacity(text.len());
    let mut chars = text.chars();
    loop {
        match next_folded(&mut chars) {
            Folded::End => return Some(key),
            Folded::General => return None,
            Folded::Char(ch) => key.push(ch),
        }
    }
}

/// The lower-case base letter of a precomposed Vietnamese letter.
fn vietnamese_base(ch: char) -> Option<char> {
    Some(match ch {
        'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ' | 'ẩ'
        | 'ẫ' | 'ậ' | 'À' | 'Á' | 'Ả' | 'Ã' | 'Ạ' | 'Ă' | 'Ằ' | 'Ắ' | 'Ẳ' | 'Ẵ' | 'Ặ' | 'Â'
        | 'Ầ' | 'Ấ' | 'Ẩ' | 'Ẫ' | 'Ậ' => 'a',
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' | 'È' | 'É' | 'Ẻ' | 'Ẽ'
        | 'Ẹ' | 'Ê' | 'Ề' | 'Ế' | 'Ể' | 'Ễ' | 'Ệ' => 'e',
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' | 'Ì' | 'Í' | 'Ỉ' | 'Ĩ' | 'Ị' => 'i',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở'
        | 'ỡ' | 'ợ' | 'Ò' | 'Ó' | 'Ỏ' | 'Õ' | 'Ọ' | 'Ô' | 'Ồ' | 'Ố' | 'Ổ' | 'Ỗ' | 'Ộ' | 'Ơ'
        | 'Ờ' | 'Ớ' | 'Ở' | 'Ỡ' | 'Ợ' => 'o',
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' | 'Ù' | 'Ú' | 'Ủ' | 'Ũ'
        | 'Ụ' | 'Ư' | 'Ừ' | 'Ứ' | 'Ử' | 'Ữ' | 'Ự' => 'u',
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' | 'Ỳ' | 'Ý' | 'Ỷ' | 'Ỹ' | 'Ỵ' => 'y',
        'đ' | 'Đ' => 'd',
        _ => return None,
    })
}

/// The general path of [`fold_key`]: decompose, drop the marks, keep letters and digits.
fn fold_key_decomposed(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for ch in text.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' | 'Đ' => 'd',
            other => other,
        };
        if ch.is_alphanumeric() {
            key.extend(ch.to_lowercase());
        }
    }
    key
}

/// Like [`fold_key`] but keeps single spaces between words, for word-level comparisons
/// (stripping a leading `Phòng`, finding a phrase inside a sentence).
pub fn fold_words(text: &str) -> String {
    // ASCII text (codes, names typed without accents) needs no decomposition.
    if text.is_ascii() {
        return fold_ascii_words(text, ' ', false);
    }
    fold_words_decomposed(text)
}

/// The ASCII path of [`fold_words`] and of code normalising: letters and digits kept, upper or
/// lower case, every run of anything else one `separator`, none at either end.
pub fn fold_ascii_words(text: &str, separator: char, upper: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending = false;
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push(separator);
            }
            pending = false;
            out.push(char::from(if upper {
                byte.to_ascii_uppercase()
            } else {
                byte.to_ascii_lowercase()
            }));
        } else {
            pending = true;
        }
    }
    out
}

/// The general path of [`fold_words`].
fn fold_words_decomposed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        let ch = match ch {
            'đ' | 'Đ' => 'd',
            other => other,
        };
        if ch.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(ch.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

fn is_combining_mark(ch: char) -> bool {
    matches!(ch, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fold_to_one_key() {
        for name in ["Số liệu", "SO LIEU", "so_lieu", "Số  liệu ", "SỐ LIỆU"] {
            assert_eq!(fold_key(name), "solieu", "{name}");
        }
    }

    #[test]
    fn d_with_stroke_folds_to_d() {
        assert_eq!(fold_key("Đơn vị đào tạo"), "donvidaotao");
    }

    #[test]
    fn decomposed_input_folds_like_precomposed() {
        let decomposed = "Pho\u{0300}ng"; // "Phòng" typed with a combining grave
        assert_eq!(fold_key(decomposed), fold_key("Phòng"));
        assert_eq!(nfc(decomposed), "Phòng");
    }

    #[test]
    fn the_fast_path_folds_exactly_like_decomposing() {
        let alphabet = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        let upper = alphabet.to_uppercase();
        for text in [
            alphabet,
            upper.as_str(),
            "Trường Tiểu học Hùng Vương",
            "Phòng Giáo dục trung học - GDTX",
            "Số liệu (2025)",
        ] {
            assert_eq!(
                fold_vietnamese(text).as_deref(),
                Some(fold_key_decomposed(text).as_str()),
                "{text}"
            );
        }
        // Anything else takes the general path, with the same result as before.
        assert_eq!(fold_vietnamese("Müller"), None);
        assert_eq!(fold_key("Müller"), "muller");
        assert_eq!(fold_key("Pho\u{0300}ng"), "phong");
    }

    #[test]
    fn every_plainly_nfc_character_is_nfc_by_unicode_s_own_test() {
        let plain = ('\u{0}'..'\u{0300}').chain('\u{1EA0}'..='\u{1EF9}');
        for ch in plain {
            assert!(is_plainly_nfc(ch));
            assert_eq!(
                unicode_normalization::is_nfc_quick(std::iter::once(ch)),
                unicode_normalization::IsNormalized::Yes,
                "U+{:04X}",
                ch as u32
            );
        }
        assert!(!is_plainly_nfc('\u{0300}'));
        assert!(!is_plainly_nfc('\u{1EFA}'));
    }

    #[test]
    fn every_precomposed_vietnamese_letter_is_already_nfc() {
        let alphabet = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        for text in [alphabet.to_string(), alphabet.to_uppercase()] {
            assert!(text
                .chars()
                .all(|ch| ch.is_ascii() || vietnamese_base(ch).is_some()));
            assert_eq!(text.nfc().collect::<String>(), text);
        }
        // Decomposed input still takes the general path.
        assert_eq!(nfc("Pho\u{0300}ng"), "Phòng");
    }

    #[test]
    fn same_key_agrees_with_comparing_folded_keys() {
        let texts = [
            "Phường Đồ Sơn",
            "PHUONG DO SON",
            "phuong-do-son",
            "Phường Đồ Sơn 2",
            "Pho\u{0300}ng",
            "Phòng",
            "Müller",
            "muller",
            "",
            " - ",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_key(a, b), fold_key(a) == fold_key(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn folds_to_agrees_with_comparing_folded_keys() {
        let texts = [
            "Mã chỉ tiêu",
            "MA CHI TIEU",
            "ma_chi_tieu",
            "Mã chỉ tiêu (bắt buộc)",
            "Pho\u{0300}ng",
            "Müller",
            "",
            " - ",
            "Giá trị",
        ];
        for text in texts {
            for other in texts {
                let key = fold_key(other);
                assert_eq!(
                    folds_to(text, &key),
                    fold_key(text) == key,
                    "{text:?} against {key:?}"
                );
            }
        }
    }

    #[test]
    fn fold_words_on_ascii_folds_exactly_like_decomposing() {
        for text in [
            "TRE_5_TUOI",
            " tre 5-tuoi ",
            "__gv--dat  chuan_",
            "DS.6.TUOI",
            "",
            "_",
            "Phong To chuc - can bo",
        ] {
            assert_eq!(fold_words(text), fold_words_decomposed(text), "{text:?}");
        }
    }

    #[test]
    fn fold_words_keeps_word_boundaries() {
        assert_eq!(
            fold_words("  Phòng  Tổ chức - cán bộ "),
            "phong to chuc can bo"
        );
    }
}
