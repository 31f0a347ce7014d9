//! How tall a row must be for its wrapped text to show whole, for every workbook the project
//! writes (the companion figures, the targets, the plan annex, the blank forms).
//!
//! Neither Excel nor LibreOffice grows a row to fit wrapped text when a generated file is
//! opened or printed: a row keeps the height the file gives it, and the lines that do not
//! fit are cut off (or, on paper, drawn over the next row). So each row that can wrap gets an
//! explicit height, estimated here from the text, the column width and the font: the text is
//! measured with the advance widths of Times New Roman (the workbooks' font; Liberation Serif,
//! which LibreOffice uses in its place, has the same widths), wrapped at spaces and hyphens
//! the way a spreadsheet wraps it, and the lines counted. The estimate leans a little
//! towards too tall, which leaves some white space, rather than too short, which hides text.

use unicode_normalization::char::decompose_canonical;

use super::format::{FONT_SIZE, TITLE_FONT_SIZE};

/// The font a cell's text is set in (always Times New Roman in these workbooks).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    /// Size in points.
    pub size: f64,
    pub bold: bool,
}

impl Font {
    /// Body text, Times New Roman 12.
    pub const BODY: Font = Font {
        size: FONT_SIZE,
        bold: false,
    };
    /// Bold body text (headers, totals, headings).
    pub const BOLD: Font = Font {
        size: FONT_SIZE,
        bold: true,
    };
    /// A sheet title, bold 14.
    pub const TITLE: Font = Font {
        size: TITLE_FONT_SIZE,
        bold: true,
    };

    /// Points from one line's baseline to the next, as spreadsheets space wrapped lines
    /// (15.75 pt for 12 pt, the default row height of a 12 pt font).
    pub fn line_height(self) -> f64 {
        self.size * 1.3125
    }
}

/// Pixels of a column `width` characters wide, as Excel and rust_xlsxwriter convert it (a
/// character is the 7-pixel digit of the default font, plus 5 pixels of padding).
pub fn column_pixels(width: f64) -> f64 {
    if width < 1.0 {
        (width * 12.0).round()
    } else {
        (width * 7.0 + 5.0).trunc()
    }
}

/// The width, in characters, of a range of merged columns, for [`lines`] and [`height`].
pub fn merged_width(widths: &[f64]) -> f64 {
    let pixels: f64 = widths.iter().map(|w| column_pixels(*w)).sum();
    ((pixels - 5.0) / 7.0).max(0.0)
}

/// Pixels a cell keeps free of text at its left and right edges together.
const CELL_PADDING_PX: f64 = 8.0;
/// The share of the rest that the estimate lets a line fill, for the differences between
/// renderers (kerning, hinting, a wider substitute font).
const FILL: f64 = 0.94;
/// Points of space above and below the lines of a row.
const ROW_PADDING: f64 = 3.0;

/// Points of text a column `width` characters wide holds on one line.
fn line_points(width: f64) -> f64 {
    ((column_pixels(width) - CELL_PADDING_PX).max(1.0) * 0.75 * FILL).max(1.0)
}

/// How many lines `text` takes, wrapped in a column `width` characters wide; explicit line
/// breaks count, an empty text is one line.
pub fn lines(text: &str, width: f64, font: Font) -> usize {
    let room = line_points(width);
    text.split('\n')
        .map(|paragraph| paragraph_lines(paragraph.trim_end_matches('\r'), room, font))
        .sum::<usize>()
        .max(1)
}

/// The height (points) of a row whose cells hold these texts in body text, each in a column
/// (or merged columns, [`merged_width`]) `width` characters wide.
pub fn height(cells: &[(&str, f64)]) -> f64 {
    height_in(Font::BODY, cells)
}

/// [`height`] for text in another font (a bold header row, a title).
pub fn height_in(font: Font, cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| lines(text, *width, font))
        .max()
        .unwrap_or(1);
    height_of_lines(font, lines)
}

/// The height (points) of a row of `lines` lines: for a list that measures a text repeated
/// on many rows once, with [`lines`], instead of on every row.
pub fn height_of_lines(font: Font, lines: usize) -> f64 {
    lines.max(1) as f64 * font.line_height() + ROW_PADDING
}

/// Lines of one paragraph: greedy filling, as spreadsheets wrap; a break may follow a space,
/// a hyphen or a slash; a piece longer than a whole line is broken between letters.
fn paragraph_lines(paragraph: &str, room: f64, font: Font) -> usize {
    let mut lines = 1;
    // Width of the current line so far, and of the spaces after its last piece, which take
    // room only if something follows them on the line.
    let mut used = 0.0;
    let mut pending_space = 0.0;
    for piece in pieces(paragraph) {
        let word = piece.trim_end_matches(' ');
        let spaces = (piece.len() - word.len()) as f64 * char_points(' ', font);
        let word_width: f64 = word.chars().map(|c| char_points(c, font)).sum();
        if used > 0.0 && used + pending_space + word_width > room {
            lines += 1;
            used = 0.0;
            pending_space = 0.0;
        }
        if word_width > room {
            // Broken between letters: fill lines one character at a time.
            for c in word.chars() {
                let w = char_points(c, font);
                if used > 0.0 && used + pending_space + w > room {
                    lines += 1;
                    used = 0.0;
                    pending_space = 0.0;
                }
                used += pending_space + w;
                pending_space = 0.0;
            }
        } else {
            used += pending_space + word_width;
        }
        pending_space = spaces;
    }
    lines
}

/// The paragraph cut after each run of spaces and after each hyphen or slash, where a line
/// may break.
fn pieces(paragraph: &str) -> impl Iterator<Item = &str> {
    let mut rest = paragraph;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next_is_space = chars.peek().is_some_and(|(_, n)| *n == ' ');
            if matches!(c, ' ' | '-' | '/') && !next_is_space {
                end = i + c.len_utf8();
                break;
            }
        }
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// Advance width of a character in points: its base letter's width (Vietnamese marks take
/// no room of their own), the horned ơ and ư a little wider, anything unknown an em.
fn char_points(c: char, font: Font) -> f64 {
    per_mille(c, font.bold) * font.size / 1000.0
}

fn per_mille(c: char, bold: bool) -> f64 {
    if let Some(w) = ascii_width(c, bold) {
        return w;
    }
    let mut base = None;
    let mut horn = false;
    decompose_canonical(c, |part| {
        if base.is_none() {
            base = Some(part);
        } else if part == '\u{031B}' {
            horn = true;
        }
    });
    let base = base.unwrap_or(c);
    if horn {
        return match (base, bold) {
            ('o', false) => 529.0,
            ('o', true) => 554.0,
            ('u', false) => 542.0,
            ('u', true) => 600.0,
            ('O', false) => 722.0,
            ('O', true) => 778.0,
            (_, false) => 776.0,
            (_, true) => 796.0,
        };
    }
    if let Some(w) = ascii_width(base, bold) {
        return w;
    }
    match base {
        'đ' => ascii_width('d', bold).unwrap_or(500.0),
        'Đ' => 722.0,
        '\u{0300}'..='\u{036F}' => 0.0,
        '–' | '«' | '»' => 500.0,
        '“' | '”' => {
            if bold {
                500.0
            } else {
                444.0
            }
        }
        '‘' | '’' => 333.0,
        '•' => 350.0,
        '×' | '÷' | '≥' | '≤' => 570.0,
        _ => 1000.0,
    }
}

/// Times New Roman's advance widths (thousandths of an em) of printable ASCII, regular and
/// bold, as Liberation Serif has them.
fn ascii_width(c: char, bold: bool) -> Option<f64> {
    const REGULAR: [u16; 95] = [
        250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667,
        722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722,
        722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500,
        500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500,
        444, 480, 200, 480, 541,
    ];
    const BOLD: [u16; 95] = [
        250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722,
        722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722,
        722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500,
        556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500,
        444, 394, 220, 394, 520,
    ];
    let code = c as usize;
    (32..127).contains(&code).then(|| {
        let table = if bold { &BOLD } else { &REGULAR };
        f64::from(table[code - 32])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_line_and_breaks_count() {
        assert_eq!(lines("ngắn", 20.0, Font::BODY), 1);
        assert_eq!(lines("", 20.0, Font::BODY), 1);
        assert_eq!(lines("a\nb\nc", 20.0, Font::BODY), 3);
        assert_eq!(height(&[("a\nb\nc", 20.0)]), 3.0 * 15.75 + 3.0);
    }

    #[test]
    fn long_text_wraps_at_words() {
        // A 20-character column holds about 130 points of Times 12: "Văn bản tham mưu ban
        // hành" (about 130 points) does not fit with a word more.
        let text = "Văn bản tham mưu ban hành đúng hạn trong tháng";
        let n = lines(text, 20.0, Font::BODY);
        assert!((2..=3).contains(&n), "{n}");
        // Wider columns take fewer lines, bold text no fewer than regular.
        assert!(lines(text, 60.0, Font::BODY) == 1);
        assert!(lines(text, 20.0, Font::BOLD) >= n);
    }

    #[test]
    fn a_word_longer_than_the_column_is_broken_between_letters() {
        let name = "x".repeat(100);
        // A 16-character column is 117 px; less 8 px of padding, 94% of 81.75 pt is
        // 76.8 pt: twelve 6-point x a line, 100 x on 9 lines.
        assert_eq!(lines(&name, 16.0, Font::BODY), 9);
        // A file name breaks at its hyphens.
        let file = "bao-cao-thang-11-2025-phong-giao-duc-trung-hoc-va-giao-duc-thuong-xuyen.xlsx";
        assert!(lines(file, 20.0, Font::BODY) >= 3);
    }

    #[test]
    fn vietnamese_letters_are_as_wide_as_their_base_letters() {
        assert_eq!(per_mille('ệ', false), per_mille('e', false));
        assert_eq!(per_mille('Đ', true), 722.0);
        assert!(per_mille('ư', false) > per_mille('u', false));
        // Decomposed marks take no room.
        assert_eq!(per_mille('\u{0301}', false), 0.0);
    }

    #[test]
    fn merged_columns_are_as_wide_as_their_sum_of_pixels() {
        assert_eq!(column_pixels(10.0), 75.0);
        assert_eq!(merged_width(&[10.0, 10.0]), (150.0 - 5.0) / 7.0);
    }

    #[test]
    fn pieces_end_after_spaces_hyphens_and_slashes() {
        let cut: Vec<&str> = pieces("a  b-c/d e").collect();
        assert_eq!(cut, ["a  ", "b-", "c/", "d ", "e"]);
    }
}
