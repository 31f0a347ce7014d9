//! Numbers the Vietnamese way: the dot groups thousands and the comma is the decimal mark.
//! Parsing refuses to guess: `1.5` in a whole-number cell is an error, not 15 and not 1.5.

use thiserror::Error;

/// Why a cell could not be read as the number it should hold; each variant maps to a
/// stable message code and a Vietnamese sentence in `validate::message`.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum NumberError {
    #[error("ô để trống")]
    Empty,
    #[error("không phải là số")]
    NotANumber,
    #[error("số âm")]
    Negative,
    #[error("không phải số nguyên")]
    NotWhole,
    #[error("cách viết số không rõ ràng")]
    Ambiguous,
}

/// Parses a whole number ≥ 0 typed as text: `1.231`, `1 231`, `3.675 văn bản`, `01`.
pub fn parse_whole_text(text: &str) -> Result<u64, NumberError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(NumberError::Empty);
    }
    let (number, rest) = split_number_prefix(trimmed);
    if number.is_empty() {
        return Err(
            if trimmed.starts_with('-') && trimmed[1..].starts_with(|c: char| c.is_ascii_digit()) {
                NumberError::Negative
            } else {
                NumberError::NotANumber
            },
        );
    }
    // Text after the number must be a unit word ("văn bản"), not more digits or symbols.
    if !rest.is_empty() && !rest.starts_with(|c: char| c.is_whitespace()) {
        return Err(NumberError::NotANumber);
    }
    if rest.chars().any(|c| c.is_ascii_digit()) {
        return Err(NumberError::NotANumber);
    }
    let value = parse_vietnamese_decimal(number)?;
    whole_from_f64(value)
}

/// Turns a numeric cell into a whole number ≥ 0, rejecting fractions and negatives.
pub fn whole_from_f64(value: f64) -> Result<u64, NumberError> {
    if !value.is_finite() {
        return Err(NumberError::NotANumber);
    }
    if value < 0.0 {
        return Err(NumberError::Negative);
    }
    if value.fract() != 0.0 {
        return Err(NumberError::NotWhole);
    }
    if value > 9.0e15 {
        return Err(NumberError::NotANumber);
    }
    Ok(value as u64)
}

/// Parses a rate typed as text, `93,2%`, `93.2 %`, `100`, into percent (93.2).
pub fn parse_rate_text(text: &str) -> Result<f64, NumberError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(NumberError::Empty);
    }
    let without_sign = trimmed.strip_suffix('%').unwrap_or(trimmed).trim_end();
    let (number, rest) = split_number_prefix(without_sign);
    if number.is_empty() || !rest.trim().is_empty() {
        return Err(if trimmed.starts_with('-') {
            NumberError::Negative
        } else {
            NumberError::NotANumber
        });
    }
    // In a rate a lone dot before one or two digits can only be a decimal point: `93.2 %`.
    if let Some((int, frac)) = number.split_once('.') {
        let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if plain(int) && plain(frac) && frac.len() != 3 && !number.contains(',') {
            return format!("{int}.{frac}")
                .parse::<f64>()
                .map_err(|_| NumberError::NotANumber);
        }
    }
    parse_vietnamese_decimal(number)
}

/// Splits `3.675 văn bản` into `3.675` and ` văn bản`. The number part may hold digits,
/// dots, commas and single spaces between digit groups.
fn split_number_prefix(text: &str) -> (&str, &str) {
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut end = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (pos, ch) = bytes[i];
        if ch.is_ascii_digit() {
            end = pos + ch.len_utf8();
            i += 1;
            continue;
        }
        let next_is_digit = bytes.get(i + 1).is_some_and(|(_, c)| c.is_ascii_digit());
        if end > 0 && next_is_digit && matches!(ch, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}') {
            i += 1;
            continue;
        }
        break;
    }
    (&text[..end], &text[end..])
}

/// Reads digits with Vietnamese separators. Dots and spaces must group exactly three
/// digits; a comma is the decimal mark. Anything else is ambiguous and refused.
fn parse_vietnamese_decimal(number: &str) -> Result<f64, NumberError> {
    let (integer_part, fraction_part) = match number.split_once(',') {
        Some((int, frac)) => {
            if frac.contains([',', '.', ' ', '\u{a0}', '\u{202f}']) {
                return Err(NumberError::Ambiguous);
            }
            (int, Some(frac))
        }
        None => (number, None),
    };
    let groups: Vec<&str> = integer_part
        .split(['.', ' ', '\u{a0}', '\u{202f}'])
        .collect();
    if groups.len() > 1 {
        let separators: std::collections::BTreeSet<char> = integer_part
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok || separators.len() > 1 {
            // `1.5`: a decimal dot or a typo; either way we will not guess.
            return Err(NumberError::Ambiguous);
        }
    }
    if let Some(frac) = fraction_part {
        // `1,000` could be an English thousands group: refuse rather than read 1.
        if frac.len() == 3 && groups.len() == 1 && frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(NumberError::Ambiguous);
        }
    }
    let digits: String = groups.concat();
    let mut literal = digits;
    if let Some(frac) = fraction_part {
        literal.push('.');
        literal.push_str(frac);
    }
    literal.parse::<f64>().map_err(|_| NumberError::NotANumber)
}

/// `3675` → `3.675`: thousands grouped with dots, as every figure in a report is printed.
pub fn format_int(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A count in running text: 1 to 9 take a leading zero (`06 văn bản`), zero stays `0`.
pub fn format_count(value: u64) -> String {
    if (1..=9).contains(&value) {
        format!("0{value}")
    } else {
        format_int(value)
    }
}

/// A share in tenths of a percent, rounded half away from zero: `part/whole` = 230/3675 → 63.
/// `None` when the whole is zero, so callers must say "not computable" instead of "0%".
pub fn share_tenths(part: u64, whole: u64) -> Option<u64> {
    if whole == 0 {
        return None;
    }
    let part = u128::from(part);
    let whole = u128::from(whole);
    // round(part * 1000 / whole) with integers only: no binary floating point surprises.
    Some(((part * 2000 + whole) / (2 * whole)) as u64)
}

/// Tenths of a percent as printed: 63 → `6,3%`, 40 → `4%` (a trailing `,0` is dropped).
pub fn format_percent_tenths(tenths: u64) -> String {
    let whole = tenths / 10;
    let decimal = tenths % 10;
    if decimal == 0 {
        format!("{}%", format_int(whole))
    } else {
        format!("{},{}%", format_int(whole), decimal)
    }
}

/// A percent value (already ×100) as printed, rounded to one decimal half away from zero.
pub fn format_percent(value: f64) -> String {
    let tenths = (value.abs() * 10.0 + 0.5 + 1e-9).floor() as u64;
    let sign = if value < 0.0 && tenths > 0 { "-" } else { "" };
    format!("{sign}{}", format_percent_tenths(tenths))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_typed_as_text() {
        let cases: &[(&str, Result<u64, NumberError>)] = &[
            ("1.231", Ok(1231)),
            ("1 231", Ok(1231)),
            ("1\u{a0}231", Ok(1231)),
            ("3.675 văn bản", Ok(3675)),
            ("01", Ok(1)),
            ("0", Ok(0)),
            (" 77.498 ", Ok(77498)),
            ("1.000.000", Ok(1_000_000)),
            ("12,0", Ok(12)),
            ("1.231,0", Ok(1231)),
            ("1.5", Err(NumberError::Ambiguous)),
            ("12.34", Err(NumberError::Ambiguous)),
            ("1.2345", Err(NumberError::Ambiguous)),
            ("1,5", Err(NumberError::NotWhole)),
            ("1,000", Err(NumberError::Ambiguous)),
            ("1.231 456", Err(NumberError::Ambiguous)),
            ("-5", Err(NumberError::Negative)),
            ("", Err(NumberError::Empty)),
            ("   ", Err(NumberError::Empty)),
            ("khoảng 300", Err(NumberError::NotANumber)),
            ("abc", Err(NumberError::NotANumber)),
            ("12abc", Err(NumberError::NotANumber)),
            ("12 văn bản 3", Err(NumberError::NotANumber)),
        ];
        for (text, expected) in cases {
            assert_eq!(&parse_whole_text(text), expected, "input {text:?}");
        }
    }

    #[test]
    fn whole_numbers_from_cells() {
        assert_eq!(whole_from_f64(230.0), Ok(230));
        assert_eq!(whole_from_f64(1.5), Err(NumberError::NotWhole));
        assert_eq!(whole_from_f64(-1.0), Err(NumberError::Negative));
        assert_eq!(whole_from_f64(f64::NAN), Err(NumberError::NotANumber));
    }

    #[test]
    fn rates_typed_as_text() {
        assert_eq!(parse_rate_text("93,2%"), Ok(93.2));
        assert_eq!(parse_rate_text("93.2 %"), Ok(93.2));
        assert_eq!(parse_rate_text("1,5"), Ok(1.5));
        assert_eq!(parse_rate_text("100"), Ok(100.0));
        assert_eq!(parse_rate_text("1.231%"), Ok(1231.0));
        assert_eq!(parse_rate_text("7.5"), Ok(7.5));
        assert_eq!(parse_rate_text("abc%"), Err(NumberError::NotANumber));
        assert_eq!(parse_rate_text("-3%"), Err(NumberError::Negative));
    }

    #[test]
    fn integers_are_grouped_with_dots() {
        assert_eq!(format_int(0), "0");
        assert_eq!(format_int(999), "999");
        assert_eq!(format_int(1000), "1.000");
        assert_eq!(format_int(3675), "3.675");
        assert_eq!(format_int(77498), "77.498");
        assert_eq!(format_int(1234567), "1.234.567");
    }

    #[test]
    fn counts_take_a_leading_zero_below_ten() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(6), "06");
        assert_eq!(format_count(1), "01");
        assert_eq!(format_count(10), "10");
        assert_eq!(format_count(1231), "1.231");
    }

    #[test]
    fn shares_follow_the_seed() {
        let cases = [
            (230, 3675, "6,3%"),
            (41, 1032, "4%"),
            (1231, 3675, "33,5%"),
            (311, 1032, "30,1%"),
            (302, 324, "93,2%"),
            (293, 3675, "8%"),
            (152, 1032, "14,7%"),
            (5, 5, "100%"),
            (0, 7, "0%"),
        ];
        for (part, whole, expected) in cases {
            let tenths = share_tenths(part, whole).expect("non-zero whole");
            assert_eq!(format_percent_tenths(tenths), expected, "{part}/{whole}");
        }
    }

    #[test]
    fn shares_round_half_away_from_zero() {
        // 1/8 = 12.5% exactly; 1/16 = 6.25% → 6,3%; 1/80 = 1.25% → 1,3%.
        assert_eq!(share_tenths(1, 8), Some(125));
        assert_eq!(share_tenths(1, 16), Some(63));
        assert_eq!(share_tenths(1, 80), Some(13));
        assert_eq!(share_tenths(1, 0), None);
    }

    #[test]
    fn percent_values_format_like_shares() {
        assert_eq!(format_percent(93.2), "93,2%");
        assert_eq!(format_percent(4.0), "4%");
        assert_eq!(format_percent(23.03), "23%");
        assert_eq!(format_percent(6.25), "6,3%");
        assert_eq!(format_percent(1234.5), "1.234,5%");
    }
}
