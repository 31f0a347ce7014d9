//! Statements in the department's free text that the figures contradict. The November 2025
//! report said "không có hồ sơ quá hạn" two pages after naming an overdue dossier; a claim the
//! data refutes is flagged and replaced by what the data says.

use super::message::{Location, Message};
use crate::model::FreeParagraph;
use crate::text::fold::fold_words;

/// A claim of "none" that is false when its count is above zero.
#[derive(Debug, Clone)]
pub struct Claim<'a> {
    /// Phrases (any diacritics) that state there were none.
    pub phrases: &'a [&'a str],
    /// The actual count from the data.
    pub actual: u64,
    /// What to print instead, e.g. `còn 01 hồ sơ quá hạn`.
    pub replacement: String,
}

/// Phrases that claim no dossier was overdue.
pub const NO_OVERDUE_DOSSIERS: &[&str] = &[
    "không có hồ sơ quá hạn",
    "không có hồ sơ trễ hạn",
    "không có hồ sơ chậm muộn",
];
/// Phrases that claim no document was late.
pub const NO_LATE_DOCUMENTS: &[&str] = &[
    "không có văn bản chậm muộn",
    "không có văn bản quá hạn",
    "không có văn bản trễ hạn",
];

/// Replaces each refuted claim in the paragraphs and returns a warning for each.
pub fn correct_claims(paragraphs: &mut [FreeParagraph], claims: &[Claim]) -> Vec<Message> {
    let mut messages = Vec::new();
    for paragraph in paragraphs.iter_mut() {
        for claim in claims.iter().filter(|c| c.actual > 0) {
            for phrase in claim.phrases {
                if let Some(corrected) =
                    replace_phrase(&paragraph.content, phrase, &claim.replacement)
                {
                    messages.push(Message::warning(
                        "mau-thuan-so-lieu",
                        location_of(&paragraph.location),
                        format!(
                            "Câu «{phrase}» trái với số liệu ({}); trong báo cáo đã thay bằng «{}»",
                            claim.actual, claim.replacement
                        ),
                    ));
                    paragraph.content = corrected;
                }
            }
        }
    }
    messages
}

/// Finds `phrase` in `text` ignoring case and diacritics and replaces that span.
fn replace_phrase(text: &str, phrase: &str, replacement: &str) -> Option<String> {
    let target = fold_words(phrase);
    // Map each word of the text to its byte span, then look for the phrase's word sequence.
    let words: Vec<(usize, usize, String)> = word_spans(text);
    let target_words: Vec<&str> = target.split(' ').collect();
    let n = target_words.len();
    for start in 0..words.len().saturating_sub(n - 1) {
        if (0..n).all(|k| words[start + k].2 == target_words[k]) {
            let from = words[start].0;
            let to = words[start + n - 1].1;
            return Some(format!("{}{}{}", &text[..from], replacement, &text[to..]));
        }
    }
    None
}

fn word_spans(text: &str) -> Vec<(usize, usize, String)> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    for (i, ch) in text.char_indices() {
        if ch.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            spans.push((s, i, fold_words(&text[s..i])));
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len(), fold_words(&text[s..])));
    }
    spans
}

/// `SO.xlsx › Đánh giá chung › B3` back into a location for the message.
fn location_of(display: &str) -> Location {
    let mut parts = display.split(" › ");
    let file = parts.next().unwrap_or_default().to_string();
    Location {
        file,
        sheet: parts.next().map(str::to_string),
        cell: parts.next().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(text: &str) -> FreeParagraph {
        FreeParagraph {
            content: text.into(),
            footnote: String::new(),
            location: "SO.xlsx › Đánh giá chung › B3".into(),
        }
    }

    #[test]
    fn a_refuted_claim_is_replaced_and_reported() {
        let mut paragraphs = [paragraph(
            "Xử lý đúng hạn trên hệ thống, Không có hồ sơ quá hạn. Công tác chuyên môn tốt.",
        )];
        let claims = [Claim {
            phrases: NO_OVERDUE_DOSSIERS,
            actual: 1,
            replacement: "còn 01 hồ sơ quá hạn".into(),
        }];
        let messages = correct_claims(&mut paragraphs, &claims);
        assert_eq!(
            paragraphs[0].content,
            "Xử lý đúng hạn trên hệ thống, còn 01 hồ sơ quá hạn. Công tác chuyên môn tốt."
        );
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].code, "mau-thuan-so-lieu");
        assert_eq!(
            messages[0].location.to_string(),
            "SO.xlsx › Đánh giá chung › B3"
        );
    }

    #[test]
    fn a_true_claim_is_left_alone() {
        let mut paragraphs = [paragraph("Không có hồ sơ quá hạn.")];
        let claims = [Claim {
            phrases: NO_OVERDUE_DOSSIERS,
            actual: 0,
            replacement: "x".into(),
        }];
        assert!(correct_claims(&mut paragraphs, &claims).is_empty());
        assert_eq!(paragraphs[0].content, "Không có hồ sơ quá hạn.");
    }

    #[test]
    fn claims_typed_without_diacritics_are_found() {
        assert_eq!(
            replace_phrase(
                "Nhin chung khong co ho so qua han.",
                "không có hồ sơ quá hạn",
                "còn 02 hồ sơ quá hạn"
            )
            .as_deref(),
            Some("Nhin chung còn 02 hồ sơ quá hạn.")
        );
        assert_eq!(
            replace_phrase("không có hồ sơ", "không có hồ sơ quá hạn", "x"),
            None
        );
    }
}
