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

/// `(row, col)` zero-based → `C7`, the way a person finds a cell in Excel.
pub fn address(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
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
    }

    #[test]
    fn blank_means_empty_or_spaces() {
        assert!(CellValue::Empty.is_blank());
        assert!(CellValue::Text("  ".into()).is_blank());
        assert!(!CellValue::Number(0.0).is_blank());
        assert_eq!(CellValue::Number(230.0).as_text(), "230");
    }
}
