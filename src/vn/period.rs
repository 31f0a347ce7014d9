//! The reporting period, a calendar month. Headings and date ranges are computed from it,
//! so a November report can never be headed "tháng 10".

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::text::fold::fold_words;

/// A calendar month, the unit every report and submission is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    /// A period, or `None` for a month outside 1..=12.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year)).then_some(Self { year, month })
    }

    /// The month a date falls in.
    pub fn of_date(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The following month; December rolls over to January of the next year.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The previous month; January rolls back to December of the previous year.
    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// `THÁNG 11 NĂM 2025`, for headings.
    pub fn heading(self) -> String {
        format!("THÁNG {} NĂM {}", self.month, self.year)
    }

    /// `tháng 11/2025`, for running text.
    pub fn in_text(self) -> String {
        format!("tháng {}/{}", self.month, self.year)
    }

    /// `2025-11`, for file and folder names.
    pub fn slug(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// Parses a period as units type it: `11/2025`, `Tháng 11/2025`, `tháng 11 năm 2025`,
    /// `2025-11`, `T11/2025`, or a full date in that month.
    pub fn parse_text(text: &str) -> Option<Self> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        // How nearly every form writes it (`11/2025`): two numbers and one separator, which
        // no date matches (a date has three numbers, or the words ngày, tháng, năm).
        if let Some((a, b)) = trimmed.split_once(['/', '-', '.']) {
            let number = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            if number(a) && number(b) {
                return Self::of_numbers(a, b);
            }
        }
        if let Some(date) = super::date::parse_date_text(trimmed) {
            return Some(Self::of_date(date));
        }
        let words = fold_words(trimmed);
        let tokens: Vec<&str> = words.split(' ').filter(|t| !t.is_empty()).collect();
        let numbers: Vec<&str> = tokens
            .iter()
            .map(|t| t.trim_start_matches('t'))
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        let words_ok = tokens.iter().all(|t| {
            matches!(*t, "thang" | "nam" | "ky" | "bao" | "cao")
                || t.trim_start_matches('t')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
        });
        if !words_ok || numbers.len() != 2 {
            return None;
        }
        Self::of_numbers(numbers[0], numbers[1])
    }

    /// The period of a month and a year written as two runs of digits, either way round
    /// (`11`, `2025` or `2025`, `11`).
    fn of_numbers(a: &str, b: &str) -> Option<Self> {
        let (year, month) = if a.len() == 4 {
            (a, b)
        } else if b.len() == 4 {
            (b, a)
        } else {
            return None;
        };
        if month.len() > 2 {
            return None;
        }
        Self::new(year.parse().ok()?, month.parse().ok()?)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{}", self.month, self.year)
    }
}

impl FromStr for Period {
    type Err = String;

    /// The command line form `YYYY-MM` (and every form units type).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_text(s).ok_or_else(|| {
            format!("kỳ báo cáo không hợp lệ: «{s}» (cần dạng YYYY-MM, ví dụ 2025-11)")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_in_every_listed_form() {
        let november = Period::new(2025, 11).expect("valid");
        for text in [
            "11/2025",
            "Tháng 11/2025",
            "tháng 11 năm 2025",
            "THÁNG 11 NĂM 2025",
            "2025-11",
            "T11/2025",
            "thang 11/2025",
            "30/11/2025",
            "Kỳ báo cáo tháng 11/2025",
        ] {
            assert_eq!(Period::parse_text(text), Some(november), "{text:?}");
        }
    }

    #[test]
    fn malformed_periods_are_refused() {
        for text in [
            "13/2025",
            "2025",
            "11/25",
            "tháng mười một",
            "",
            "11/2025/3",
            "quý 4/2025",
            "ngày 30 tháng 12 năm 2\u{10}25",
        ] {
            assert_eq!(Period::parse_text(text), None, "{text:?}");
        }
    }

    #[test]
    fn month_and_year_as_two_numbers_read_like_the_words_do() {
        let numbers = [
            "0", "1", "01", "11", "12", "13", "111", "202", "2025", "02025",
        ];
        for a in numbers {
            for b in numbers {
                let words = Period::parse_text(&format!("tháng {a} năm {b}"));
                for separator in ['/', '-', '.'] {
                    let text = format!("{a}{separator}{b}");
                    assert_eq!(Period::parse_text(&text), words, "{text:?}");
                }
            }
        }
        assert_eq!(Period::parse_text("1/2025"), Period::new(2025, 1));
        assert_eq!(Period::parse_text("2025.11"), Period::new(2025, 11));
    }

    #[test]
    fn december_rolls_over_to_january() {
        let december = Period::new(2025, 12).expect("valid");
        assert_eq!(december.next(), Period::new(2026, 1).expect("valid"));
        assert_eq!(december.next().heading(), "THÁNG 1 NĂM 2026");
        assert_eq!(Period::new(2026, 1).expect("valid").previous(), december);
    }

    #[test]
    fn month_bounds_and_labels() {
        let november = Period::new(2025, 11).expect("valid");
        assert_eq!(november.first_day().to_string(), "2025-11-01");
        assert_eq!(november.last_day().to_string(), "2025-11-30");
        assert_eq!(
            Period::new(2024, 2).expect("valid").last_day().to_string(),
            "2024-02-29"
        );
        assert_eq!(november.heading(), "THÁNG 11 NĂM 2025");
        assert_eq!(november.in_text(), "tháng 11/2025");
        assert_eq!(november.slug(), "2025-11");
        assert_eq!("2025-11".parse::<Period>(), Ok(november));
    }
}
