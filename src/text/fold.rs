//! Folding text to a matching key, so that `Số liệu`, `SO LIEU`, `so_lieu` and `Số  liệu `
//! are the same sheet and `Phong To chuc can bo` is the same unit as `Phòng Tổ chức cán bộ`.

use unicode_normalization::UnicodeNormalization;

/// Normalises text to Unicode NFC, the form every stored string uses, so that text typed
/// with combining accents compares equal to precomposed text.
pub fn nfc(text: &str) -> String {
    // Almost every cell is already NFC (and most are ASCII): check before rebuilding it.
    if text.is_ascii()
        || unicode_normalization::is_nfc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return text.to_string();
    }
    text.nfc().collect()
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
    fn fold_words_keeps_word_boundaries() {
        assert_eq!(
            fold_words("  Phòng  Tổ chức - cán bộ "),
            "phong to chuc can bo"
        );
    }
}
