//! Control characters made visible. File names and cell text come from outside (a unit can
//! name a file `a\n2026-… INFO baocao: đã gửi` or type CR/LF in a cell); printed as they
//! are, they would start a new line of the run log, the journal or a phiếu phản hồi that
//! looks like one the run wrote. Every line-oriented output shows them escaped instead.

use std::borrow::Cow;

/// `text` with each control character written as an escape (`\n`, `\r`, `\t`, `\u{1b}`), so
/// that it stays on one line and cannot pose as another line or move the cursor. Line and
/// paragraph separators (U+2028, U+2029) and the bidirectional overrides, which reorder
/// what a reader sees, are escaped too. Text without any is returned as it is.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ch if needs_escape(ch) => out.push_str(&format!("\\u{{{:x}}}", ch as u32)),
            ch => out.push(ch),
        }
    }
    Cow::Owned(out)
}

/// [`escape_controls`] into an owned string.
pub fn escaped(text: impl Into<String>) -> String {
    let text = text.into();
    match escape_controls(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(clean) => clean,
    }
}

fn needs_escape(ch: char) -> bool {
    ch.is_control()
        || matches!(
            ch,
            '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_terminal_escapes_become_visible() {
        assert_eq!(
            escape_controls("GDTrH\n2026-12-04T07:00:00 INFO baocao: đã gửi\r.xlsx"),
            "GDTrH\\n2026-12-04T07:00:00 INFO baocao: đã gửi\\r.xlsx"
        );
        assert_eq!(
            escape_controls("a\tb\u{1b}[2Jc\u{7f}\u{85}"),
            "a\\tb\\u{1b}[2Jc\\u{7f}\\u{85}"
        );
        assert_eq!(
            escape_controls("x\u{2028}y\u{202e}z"),
            "x\\u{2028}y\\u{202e}z"
        );
    }

    #[test]
    fn ordinary_vietnamese_text_is_untouched_and_not_copied() {
        let text = "Phòng Giáo dục trung học › Số liệu › C7: «3.675 văn bản»";
        assert!(matches!(escape_controls(text), Cow::Borrowed(t) if t == text));
        assert_eq!(escaped(text.to_string()), text);
    }

    #[test]
    fn escaped_text_has_no_line_break_left() {
        let nasty: String = (0u32..0x250)
            .filter_map(char::from_u32)
            .chain(['\u{2028}', '\u{2029}'])
            .collect();
        let clean = escaped(nasty);
        assert_eq!(clean.lines().count(), 1, "{clean}");
        assert!(!clean.chars().any(char::is_control));
    }
}
