//! One cell's value, independent of the file format it came from.

use chrono::NaiveDateTime;

/// A cell as read: calamine's variants reduced to what validation needs.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
    /// A formula error such as `#DIV/0!`, kept so it can be reported at its cell.
    Error(String),
}

impl CellValue {
    /// True for empty cells and cells holding only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as display text (numbers without grouping), for headers and free text.
    pub fn as_text(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(t) => t.trim().to_string(),
            CellValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            CellValue::Number(n) => n.to_string(),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellValue::DateTime(dt) => {
                if dt.time() == chrono::NaiveTime::MIN {
                    dt.format("%d/%m/%Y").to_string()
                } else {
                    dt.format("%d/%m/%Y %H:%M:%S").to_string()
                }
            }
            CellValue::Error(e) => e.clone(),
        }
    }
}

/// `(row, col)` zero-based → `C7`, the way a person finds a cell in Excel. Built in place:
/// every field of every form read records where it was found.
pub fn address(row: u32, col: u32) -> String {
    // Column letters, last one first: at most seven for a u32.
    let mut letters = [0u8; 7];
    let mut count = 0;
    let mut n = col as u64 + 1;
    while n > 0 {
        letters[count] = b'A' + ((n - 1) % 26) as u8;
        count += 1;
        n = (n - 1) / 26;
    }
    let mut text = String::with_capacity(count + 10);
    text.extend(letters[..count].iter().rev().map(|&b| char::from(b)));
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut n = row as u64 + 1;
    while n > 0 {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    text.extend(digits[at..].iter().map(|&b| char::from(b)));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_like_excel() {
        assert_eq!(address(0, 0), "A1");
        assert_eq!(address(6, 2), "C7");
        assert_eq!(address(9, 25), "Z10");
        assert_eq!(address(0, 26), "AA1");
        assert_eq!(address(1_048_575, 16_383), "XFD1048576");
        assert_eq!(address(u32::MAX, u32::MAX), "MWLQKWV4294967296");
    }

    #[test]
    fn blank_means_empty_or_spaces() {
        assert!(CellValue::Empty.is_blank());
        assert!(CellValue::Text("  ".into()).is_blank());
        assert!(!CellValue::Number(0.0).is_blank());
        assert_eq!(CellValue::Number(230.0).as_text(), "230");
    }
}
