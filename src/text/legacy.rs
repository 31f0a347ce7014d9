//! Text typed with the legacy Vietnamese encodings TCVN3 (ABC, `.VnTime` fonts) and
//! VNI-Windows (`VNI-Times` fonts). Old templates still use them; in a workbook such text is
//! Windows-1252 garble (`Phßng Gi¸o dôc`, `Phoøng Giaùo duïc`) that matches nothing. It is
//! recognised and converted to Unicode, conservatively: a cell converts only when the result
//! is Vietnamese word by word and the original was not already readable, so English, codes
//! (`VB_DEN`) and ordinary Unicode text are never touched.

mod syllable;
mod tcvn3;
mod vni;

pub use syllable::{is_abbreviation, is_syllable};

/// A legacy Vietnamese encoding, named as units know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Encoding {
    /// TCVN 5712:1993, the "ABC" encoding (`.VnTime`, `.VnArial` fonts).
    Tcvn3,
    /// VNI-Windows (`VNI-Times`, `VNI-Helve` fonts).
    Vni,
}

impl Encoding {
    /// The name printed in messages.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Tcvn3 => "TCVN3 (ABC)",
            Encoding::Vni => "VNI-Windows",
        }
    }

    fn is_candidate(self, ch: char) -> bool {
        match self {
            Encoding::Tcvn3 => tcvn3::is_candidate(ch),
            Encoding::Vni => vni::is_candidate(ch),
        }
    }

    fn decode_word(self, word: &str) -> Option<String> {
        match self {
            Encoding::Tcvn3 => Some(tcvn3::decode(word)),
            Encoding::Vni => vni::decode_word(word),
        }
    }
}

/// Converts `text` when it was typed in a legacy encoding; `None` for everything else,
/// including text that could be legacy but is not certainly so (then it is left as typed).
/// Certain means one reading only, and enough evidence: a word unreadable as typed, and
/// either a sign no language puts inside a word (`Gi¸o`, `V¨n`, `Ch­a`) or at least two words
/// the reading changes. One changed word of ordinary Latin-1 letters is not enough: German
/// `daß` reads as TCVN3 `daò`, French `où` as VNI `ó`, and such a word alone among plain
/// ASCII is far likelier foreign than legacy.
pub fn detect(text: &str) -> Option<(Encoding, String)> {
    if text.is_ascii() || has_unicode_only_letter(text) || seen_plain(text) {
        return None;
    }
    if reads_as_typed(text) {
        remember_plain(text);
        return None;
    }
    let tcvn3 = read_counted(text, Encoding::Tcvn3);
    let vni = read_counted(text, Encoding::Vni);
    let reading = match (tcvn3, vni) {
        (Some((converted, evidence)), None) => Some((Encoding::Tcvn3, converted, evidence)),
        (None, Some((converted, evidence))) => Some((Encoding::Vni, converted, evidence)),
        // Both readings work (very short text): not certain, leave it.
        _ => None,
    };
    let (encoding, converted, evidence) = reading?;
    if !evidence.is_certain() {
        return None;
    }
    // A reading whose result still reads as legacy text mixed both encodings (or neither):
    // not certain either, and converting it would only invite a second conversion.
    (read_as(&converted, Encoding::Tcvn3).is_none() && read_as(&converted, Encoding::Vni).is_none())
        .then_some((encoding, converted))
}

/// At most this many texts are remembered as plain, per thread.
const REMEMBERED: usize = 4096;

thread_local! {
    /// Texts of Latin-1 letters only (`Giáo viên`, `Không`) found to read as typed. Every
    /// form of a run repeats the same labels, and telling each such label again, syllable by
    /// syllable, was 2% of reading the benchmark's 2,000 workbooks (perf).
    static PLAIN: std::cell::RefCell<std::collections::HashSet<Box<str>>> =
        std::cell::RefCell::new(std::collections::HashSet::new());
}

fn seen_plain(text: &str) -> bool {
    PLAIN.with(|plain| plain.borrow().contains(text))
}

fn remember_plain(text: &str) {
    PLAIN.with(|plain| {
        let mut plain = plain.borrow_mut();
        if plain.len() >= REMEMBERED {
            plain.clear();
        }
        plain.insert(text.into());
    });
}

/// What a reading rests on: the words it changed, and those among them unreadable as typed.
#[derive(Debug, Clone, Default)]
struct Evidence {
    /// Words of the text (any letters).
    total: usize,
    /// The last word the reading changed, as converted.
    last_changed: String,
    /// Changed words that became syllables common in the department's documents.
    common: usize,
    /// Words unreadable as typed that the reading turned into Vietnamese.
    words: usize,
    /// Words the reading changed.
    changed: usize,
    /// A changed word holds a sign that is no letter in any language (`¸`, `¨`, the soft
    /// hyphen, `’`), which only an 8-bit Vietnamese font puts inside a word.
    sign: bool,
}

impl Evidence {
    /// A word unreadable as typed, and besides: a sign inside a word (only 8-bit Vietnamese
    /// fonts put `¸`, `¨`, the soft hyphen there), or changed words that are a fair share
    /// of the text's words (a third at least: text whose diacritics were lost, as OCR
    /// leaves it, has few) and at least a third of them syllables common in the department's
    /// own documents (`häc sinh`: `học`; not `daß`: `daò`, `på`: `pồ`, nor OCR's `cép
    /// quéc té`: `cộp quộc tộ`), and not one lone word; or an abbreviation with `Đ`
    /// (`QÑ`: `QĐ`). Measured on 100,000 words of 40 other languages (LibreOffice's
    /// autocorrect lists) and on the seeds' text: no false conversion.
    fn is_certain(&self) -> bool {
        if self.words == 0 {
            return false;
        }
        if self.sign {
            return true;
        }
        let word = &self.last_changed;
        let abbreviation = self.changed == 1
            && word.contains('Đ')
            && word.chars().count() <= 4
            && is_abbreviation(word)
            && !word
                .chars()
                .skip_while(|c| *c != 'Đ')
                .skip(1)
                .any(|c| "AEIOUY".contains(c));
        let share = self.changed * 3 >= self.total;
        let common = self.common >= 1 && self.common * 3 >= self.changed;
        abbreviation || (self.total >= 2 && share && common)
    }
}

/// Syllables with diacritics found at least twice in the department's documents (the
/// seeds), one a line: the words a legacy-typed cell of theirs is made of.
const COMMON_SYLLABLES: &str = include_str!("legacy/common.txt");

fn is_common_syllable(word: &str) -> bool {
    use std::sync::OnceLock;
    static SET: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_SYLLABLES.lines().collect())
        .contains(word)
}

/// True for a word holding, neither first nor last, a character that is no letter: Latin-1
/// signs and the Windows-1252 punctuation TCVN3 capitals show as (`PH’NG`); a quote before
/// a letter (Afrikaans `’n`) is punctuation.
fn has_sign_inside(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars.len() >= 3
        && chars[1..chars.len() - 1].iter().any(|&ch| {
            !ch.is_ascii()
                && !ch.is_alphabetic()
                && !unicode_normalization::char::is_combining_mark(ch)
        })
}

/// True when the text holds a letter or mark no 8-bit encoding produces (`ư`, `ộ`, `đ`, a
/// combining accent): it is Unicode already. A cheap range check that spares most
/// Vietnamese cells the two full readings; [`read_as`] would refuse them anyway.
fn has_unicode_only_letter(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{0100}'..='\u{024F}' | '\u{0300}'..='\u{036F}' | '\u{1E00}'..='\u{1EFF}')
            && !CP1252_LETTERS.contains(&c)
    })
}

/// True when every word with a non-ASCII letter is a Vietnamese syllable as typed (`Mã`,
/// `phòng`): then no reading has the evidence [`read_as`] needs (a word unreadable as typed),
/// so the two full readings are skipped. One syllable check per word instead of four.
fn reads_as_typed(text: &str) -> bool {
    text.split_whitespace()
        .map(|token| token.trim_matches(|c: char| c.is_ascii_punctuation()))
        .filter(|word| !word.is_ascii())
        .all(|word| is_syllable(word) || is_abbreviation(word))
}

/// The letters of Windows-1252 above U+00FF (`Œ œ Š š Ÿ Ž ž ƒ`): how Excel shows some
/// legacy bytes, so they do not prove the text is Unicode.
const CP1252_LETTERS: [char; 8] = [
    '\u{0152}', '\u{0153}', '\u{0160}', '\u{0161}', '\u{0178}', '\u{017D}', '\u{017E}', '\u{0192}',
];

/// The text converted from `encoding`, if it reads as Vietnamese in that encoding (every
/// changed word a syllable, and one word unreadable as typed); [`detect`] asks both, and
/// also weighs the evidence.
pub fn read_as(text: &str, encoding: Encoding) -> Option<String> {
    read_counted(text, encoding).map(|(converted, _)| converted)
}

/// [`read_as`], with the evidence the reading rests on.
fn read_counted(text: &str, encoding: Encoding) -> Option<(String, Evidence)> {
    // A letter the encoding cannot have produced (`ộ`, `ß` for VNI, any other script) means
    // the text is Unicode already, or something else entirely.
    if text
        .chars()
        .any(|c| !c.is_ascii() && !encoding.is_candidate(c) && is_letter_or_mark(c))
    {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut evidence = Evidence::default();
    for (is_word, piece) in pieces(text, encoding) {
        if is_word && piece.chars().any(char::is_alphabetic) {
            evidence.total += 1;
        }
        // Every word with a non-ASCII character must read as Vietnamese in this encoding.
        if !is_word || piece.is_ascii() {
            out.push_str(piece);
            continue;
        }
        let converted = match_case(piece, &encoding.decode_word(piece)?);
        if !(is_syllable(&converted) || is_abbreviation(&converted)) {
            return None;
        }
        // Evidence is a word with ordinary letters that is not readable as it stands
        // (`Phßng`); a lone `ë` or `–` proves nothing.
        if piece.chars().any(|c| c.is_ascii_alphabetic())
            && !(is_syllable(piece) || is_abbreviation(piece))
        {
            evidence.words += 1;
        }
        if converted != piece {
            evidence.changed += 1;
            evidence.sign |= has_sign_inside(piece);
            evidence.last_changed.clone_from(&converted);
            if is_common_syllable(&converted.to_lowercase()) {
                evidence.common += 1;
            }
        }
        out.push_str(&converted);
    }
    // Marks already in the text may now sit next to converted letters: compose them.
    (evidence.words > 0).then(|| (crate::text::nfc(&out), evidence))
}

/// Letters, and combining marks of any script (a Hebrew accent is no more TCVN3 than `ộ`).
fn is_letter_or_mark(ch: char) -> bool {
    ch.is_alphabetic() || unicode_normalization::char::is_combining_mark(ch)
}

/// Splits text into words and the rest, each piece flagged as a word or not. Words are runs
/// of letters, digits, the encoding's characters and any other Latin-1 sign (`®`, the soft
/// hyphen): those are what the other 8-bit encoding leaves, so a word holding one does not
/// read in this encoding (`®­îc` is TCVN3 `được`, not VNI).
fn pieces(text: &str, encoding: Encoding) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (i, ch) in text.char_indices() {
        let is_word = ch.is_alphanumeric()
            || encoding.is_candidate(ch)
            || is_letter_or_mark(ch)
            || ('\u{A1}'..='\u{FF}').contains(&ch);
        if current.is_some_and(|w| w != is_word) {
            out.push((current.unwrap_or(false), &text[start..i]));
            start = i;
        }
        current = Some(is_word);
    }
    if let Some(is_word) = current {
        out.push((is_word, &text[start..]));
    }
    out
}

/// `.VnTimeH` fonts draw lower-case codes as capitals, so in a word typed in capitals
/// (`PHßNG`) the converted letters are made capitals too.
fn match_case(original: &str, converted: &str) -> String {
    let upper = original.chars().filter(|c| c.is_ascii_uppercase()).count();
    let lower = original.chars().filter(|c| c.is_ascii_lowercase()).count();
    if upper >= 2 && lower == 0 {
        converted.to_uppercase()
    } else {
        converted.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcvn3(text: &str) -> Option<String> {
        match detect(text) {
            Some((Encoding::Tcvn3, converted)) => Some(converted),
            _ => None,
        }
    }

    fn vni(text: &str) -> Option<String> {
        match detect(text) {
            Some((Encoding::Vni, converted)) => Some(converted),
            _ => None,
        }
    }

    #[test]
    fn text_that_reads_as_typed_skips_the_readings_without_changing_the_answer() {
        for text in ["Mã", "phòng", "(Mã) phòng, bàn", "Lê Hà", "ĐÀ"] {
            assert!(reads_as_typed(text), "{text}");
            assert_eq!(read_as(text, Encoding::Tcvn3), None, "{text}");
            assert_eq!(read_as(text, Encoding::Vni), None, "{text}");
        }
        for text in ["Phßng", "Gi¸o dôc", "V¨n phßng", "Phoøng", "Ch\u{AD}a"] {
            assert!(!reads_as_typed(text), "{text}");
        }
    }

    #[test]
    fn a_text_remembered_as_plain_answers_the_same_and_legacy_text_still_converts() {
        for _ in 0..2 {
            assert_eq!(detect("Giáo viên"), None);
            assert!(seen_plain("Giáo viên"));
            assert_eq!(
                tcvn3("Phßng Gi¸o dôc trung häc").as_deref(),
                Some("Phòng Giáo dục trung học")
            );
            assert!(!seen_plain("Phßng Gi¸o dôc trung häc"));
        }
        // A full memory starts over rather than grow.
        for n in 0..REMEMBERED + 1 {
            remember_plain(&format!("Giáo viên {n}"));
        }
        assert!(PLAIN.with(|plain| plain.borrow().len()) <= REMEMBERED);
        assert_eq!(detect("Giáo viên"), None);
    }

    /// Strings as typed with the `.VnTime` fonts (TCVN3) in real documents.
    #[test]
    fn tcvn3_text_converts() {
        let cases = [
            ("Phßng Gi¸o dôc trung häc", "Phòng Giáo dục trung học"),
            (
                "Céng hoµ x· héi chñ nghÜa ViÖt Nam",
                "Cộng hoà xã hội chủ nghĩa Việt Nam",
            ),
            ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
            ("Së Gi¸o dôc vµ §µo t¹o", "Sở Giáo dục và Đào tạo"),
            ("UBND thµnh phè H¶i Phßng", "UBND thành phố Hải Phòng"),
            ("Phßng Tæ chøc c¸n bé", "Phòng Tổ chức cán bộ"),
            ("V¨n phßng", "Văn phòng"),
            ("Tr\u{AD}êng THPT TrÇn Phó", "Trường THPT Trần Phú"),
            ("Së GD§T H¶i Phßng", "Sở GDĐT Hải Phòng"),
            ("PHßNG GI¸O DôC", "PHÒNG GIÁO DỤC"),
            ("Ch\u{AD}a cã", "Chưa có"),
            ("PH’NG", "PHÒNG"),
            ("tæ t¹o", "tổ tạo"),
            ("tæ khuyÕn", "tổ khuyến"),
            ("tæ ®\u{AD}îc", "tổ được"),
            ("Phßng tæ chøc", "Phòng tổ chức"),
        ];
        for (legacy, unicode) in cases {
            assert_eq!(tcvn3(legacy).as_deref(), Some(unicode), "{legacy}");
        }
    }

    /// Strings as typed with the `VNI-Times` fonts in real documents.
    #[test]
    fn vni_text_converts() {
        let cases = [
            ("Phoøng Giaùo duïc trung hoïc", "Phòng Giáo dục trung học"),
            (
                "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
                "Cộng hòa xã hội chủ nghĩa Việt Nam",
            ),
            (
                "Ñoäc laäp - Töï do - Haïnh phuùc",
                "Độc lập - Tự do - Hạnh phúc",
            ),
            ("Sôû Giaùo duïc vaø Ñaøo taïo", "Sở Giáo dục và Đào tạo"),
            ("Tröôøng THPT Traàn Phuù", "Trường THPT Trần Phú"),
            ("PHOØNG GIAÙO DUÏC", "PHÒNG GIÁO DỤC"),
            ("Sôû GDÑT", "Sở GDĐT"),
        ];
        for (legacy, unicode) in cases {
            assert_eq!(vni(legacy).as_deref(), Some(unicode), "{legacy}");
        }
    }

    /// Text that must stay exactly as typed.
    #[test]
    fn other_text_is_left_alone() {
        for text in [
            "VB_DEN",
            "Phòng Giáo dục trung học",
            "Tôi là giáo viên",
            "Có",
            "Cù",
            "Plan – 2025",
            "“Hello” – don’t",
            "Lycée Français",
            "café au lait",
            "Müller, Straße",
            "señor José",
            "25°C",
            "© 2024 ACME®",
            "£100",
            "Điều §5",
            "H24.3-251106-11538",
            "30/11/2025",
            "",
            "ë",
            "½ ¼",
            "tæ t¹o x²",
            // Foreign words that read as one Vietnamese syllable in an 8-bit encoding.
            "daß",
            "Er sagte, daß es gut sei",
            "où",
            "Je ne sais pas où",
            "più",
            "på den",
            "’n",
            "héi",
        ] {
            assert_eq!(detect(text), None, "{text}");
        }
    }

    #[test]
    fn one_word_of_plain_letters_is_not_enough_evidence() {
        // `Phßng` alone could be a foreign word for all the letters say; with a sign inside
        // a word, or a second changed word, it is certain.
        assert_eq!(read_as("Phßng", Encoding::Tcvn3).as_deref(), Some("Phòng"));
        assert_eq!(detect("Phßng"), None);
        assert_eq!(tcvn3("Phßng häc").as_deref(), Some("Phòng học"));
        assert_eq!(tcvn3("Gi¸o").as_deref(), Some("Giáo"));
        assert_eq!(
            read_as("daß", Encoding::Tcvn3).map(|s| s.is_empty()),
            Some(false)
        );
    }

    #[test]
    fn text_that_reads_both_ways_is_left_as_typed() {
        // `tæ sinh` is TCVN3 `tổ sinh` and VNI `tỉ sinh`: no guess.
        assert_eq!(
            read_as("tæ sinh", Encoding::Tcvn3).as_deref(),
            Some("tổ sinh")
        );
        assert_eq!(
            read_as("tæ sinh", Encoding::Vni).as_deref(),
            Some("tỉ sinh")
        );
        assert_eq!(detect("tæ sinh"), None);
    }

    #[test]
    fn text_mixing_both_encodings_is_left_as_typed() {
        // Found by fuzzing: `hoù` reads as VNI `hó`, and what is left (`\u{96}c`) would
        // then read as TCVN3 `Ọc`. Neither reading is certain; converting twice is wrong.
        let mixed = "PP:hoù\u{FFFD}\u{FFFD} ,\u{96}c";
        assert!(read_as(mixed, Encoding::Vni).is_some());
        assert_eq!(detect(mixed), None);
    }

    #[test]
    fn the_quick_refusal_never_refuses_a_legacy_character() {
        // Every character either encoding turns into Vietnamese must pass the range check,
        // or legacy text holding it would be left unconverted.
        for code in 0x80..=0xFFFFu32 {
            let Some(ch) = char::from_u32(code) else {
                continue;
            };
            if Encoding::Tcvn3.is_candidate(ch) || Encoding::Vni.is_candidate(ch) {
                assert!(!has_unicode_only_letter(&ch.to_string()), "{ch:?}");
            }
        }
        assert!(has_unicode_only_letter("Trường"));
        assert!(!has_unicode_only_letter("Phßng Gi¸o dôc"));
    }

    #[test]
    fn marks_of_other_scripts_mean_the_text_is_not_legacy() {
        // Found by fuzzing: a Hebrew accent (U+0592) beside TCVN3-looking letters came out
        // of the conversion in non-canonical order.
        let text = "Phßng Gi\u{0592}¸o";
        assert_eq!(read_as(text, Encoding::Tcvn3), None);
        assert_eq!(detect(text), None);
        // Ordinary combining marks are still refused as text that is Unicode already.
        assert_eq!(detect("Pho\u{0300}ng"), None);
    }

    #[test]
    fn labels_name_the_encodings() {
        assert_eq!(Encoding::Tcvn3.label(), "TCVN3 (ABC)");
        assert_eq!(Encoding::Vni.label(), "VNI-Windows");
    }
}
