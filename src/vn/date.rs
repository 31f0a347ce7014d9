//! Dates and date-times as units type them (`30/11/2025`, `ngày 30 tháng 11 năm 2025`,
//! `07-11-2025 13:39:00`, Excel serials) and as documents print them.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::text::fold::fold_words;

/// Parses a date typed as text in any of the forms FORMS.md lists.
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
    parse_datetime_text(text).map(|dt| dt.date())
}

/// Parses a date or a date-time typed as text; a bare date is taken at midnight.
pub fn parse_datetime_text(text: &str) -> Option<NaiveDateTime> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    // Spelled out needs the words ngày, tháng, năm: digits and separators (`30/11/2025`,
    // `2025-11-30T08:00`) cannot be, and skip the folding that finding words takes.
    let numeric = trimmed
        .bytes()
        .all(|b| b.is_ascii_digit() || b"/-.: T".contains(&b));
    if !numeric {
        if let Some(date) = parse_spelled_out(trimmed) {
            return date.and_hms_opt(0, 0, 0);
        }
    }
    let normalised = trimmed.replace('T', " ");
    let mut parts = normalised.split_whitespace();
    let date_part = parts.next()?;
    let time_part = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let date = parse_numeric_date(date_part)?;
    let time = match time_part {
        None => NaiveTime::MIN,
        Some(t) => parse_time(t)?,
    };
    Some(date.and_time(time))
}

fn parse_numeric_date(text: &str) -> Option<NaiveDate> {
    let fields: Vec<&str> = text.split(['/', '-', '.']).collect();
    if fields.len() != 3
        || fields
            .iter()
            .any(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let numbers: Vec<u32> = fields
        .iter()
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    if fields[0].len() == 4 {
        // ISO order: 2025-11-30.
        calendar_date(numbers[0], numbers[1], numbers[2])
    } else if fields[2].len() == 4 {
        // Vietnamese order: day, month, year.
        calendar_date(numbers[2], numbers[1], numbers[0])
    } else {
        None
    }
}

/// A date whose year has four digits from 1900 on: anything earlier is a typing slip in a
/// report (`năm 2 025`), not a date, and a period could not be made of it.
fn calendar_date(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1900..=9999).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let fields: Vec<&str> = text.split(':').collect();
    let numbers: Vec<u32> = fields
        .iter()
        .map(|f| f.trim().parse().ok())
        .collect::<Option<_>>()?;
    match numbers.as_slice() {
        [h, m] => NaiveTime::from_hms_opt(*h, *m, 0),
        [h, m, s] => NaiveTime::from_hms_opt(*h, *m, *s),
        _ => None,
    }
}

/// `ngày 30 tháng 11 năm 2025`, with or without diacritics.
fn parse_spelled_out(text: &str) -> Option<NaiveDate> {
    let words = fold_words(text);
    let tokens: Vec<&str> = words.split(' ').collect();
    let value_after = |keyword: &str| -> Option<u32> {
        let index = tokens.iter().position(|t| *t == keyword)?;
        tokens.get(index + 1)?.parse().ok()
    };
    let day = value_after("ngay")?;
    let month = value_after("thang")?;
    let year = value_after("nam")?;
    calendar_date(year, month, day)
}

/// An Excel serial day number to a date-time (1900 date system, with Excel's phantom
/// 29 February 1900 accounted for; `date1904` for workbooks saved on the 1904 system).
pub fn from_excel_serial(serial: f64, date1904: bool) -> Option<NaiveDateTime> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = if date1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?
    } else if serial < 60.0 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    let days = serial.trunc() as i64;
    let seconds = ((serial - serial.trunc()) * 86_400.0).round() as i64;
    let base = epoch.and_hms_opt(0, 0, 0)?;
    Some(base + Duration::days(days) + Duration::seconds(seconds))
}

/// Date in running text: `30/11/2025`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Date-time as the dossier system prints it: `07-11-2025 14:32:49`.
pub fn format_datetime(dt: NaiveDateTime) -> String {
    dt.format("%d-%m-%Y %H:%M:%S").to_string()
}

/// The date line of the header block: `ngày 05 tháng 12 năm 2025`, with a leading zero
/// for days below 10 and for months 1 and 2, as Nghị định 30/2020 asks.
pub fn format_date_line(date: NaiveDate) -> String {
    let month = if date.month() <= 2 {
        format!("{:02}", date.month())
    } else {
        date.month().to_string()
    };
    format!("ngày {:02} tháng {} năm {}", date.day(), month, date.year())
}

/// Month number for a date line whose day is left blank for the clerk.
pub fn format_month_for_date_line(month: u32) -> String {
    if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn dates_in_every_listed_form() {
        let expected = d(2025, 11, 30);
        for text in [
            "30/11/2025",
            "30-11-2025",
            "2025-11-30",
            "30.11.2025",
            "ngày 30 tháng 11 năm 2025",
            "Ngày 30 tháng 11 năm 2025",
            "ngay 30 thang 11 nam 2025",
            " 30/11/2025 ",
        ] {
            assert_eq!(parse_date_text(text), Some(expected), "{text:?}");
        }
    }

    #[test]
    fn impossible_or_partial_dates_are_refused() {
        for text in [
            "31/11/2025",
            "11/2025",
            "30/11/25",
            "hôm qua",
            "",
            "2025-13-01",
            "30/11/0025",
            "0001-01-01",
            // Found by fuzzing: a stray control byte split the year into `2` and `25`.
            "ngày 30 tháng 12 năm 2\u{10}25",
        ] {
            assert_eq!(parse_date_text(text), None, "{text:?}");
        }
    }

    #[test]
    fn date_times_with_seconds_or_minutes() {
        let expected = d(2025, 11, 7).and_hms_opt(13, 39, 0).expect("valid time");
        for text in [
            "07-11-2025 13:39:00",
            "07/11/2025 13:39",
            "2025-11-07 13:39:00",
            "2025-11-07T13:39:00",
        ] {
            assert_eq!(parse_datetime_text(text), Some(expected), "{text:?}");
        }
        assert_eq!(parse_datetime_text("07-11-2025 25:00"), None);
    }

    #[test]
    fn excel_serials_in_both_date_systems() {
        // 45991 is 2025-11-30 in the 1900 system; the 1904 system counts 1462 days fewer.
        assert_eq!(
            from_excel_serial(45991.0, false).map(|dt| dt.date()),
            Some(d(2025, 11, 30))
        );
        assert_eq!(
            from_excel_serial(45991.0 - 1462.0, true).map(|dt| dt.date()),
            Some(d(2025, 11, 30))
        );
        let with_time = from_excel_serial(45973.5, false).expect("valid serial");
        assert_eq!(
            with_time,
            d(2025, 11, 12).and_hms_opt(12, 0, 0).expect("valid")
        );
        assert_eq!(
            from_excel_serial(1.0, false).map(|dt| dt.date()),
            Some(d(1900, 1, 1))
        );
        assert_eq!(
            from_excel_serial(61.0, false).map(|dt| dt.date()),
            Some(d(1900, 3, 1))
        );
        assert_eq!(from_excel_serial(-3.0, false), None);
    }

    #[test]
    fn date_line_pads_days_and_early_months() {
        assert_eq!(
            format_date_line(d(2025, 12, 5)),
            "ngày 05 tháng 12 năm 2025"
        );
        assert_eq!(format_date_line(d(2026, 2, 5)), "ngày 05 tháng 02 năm 2026");
        assert_eq!(format_date_line(d(2026, 3, 15)), "ngày 15 tháng 3 năm 2026");
    }

    #[test]
    fn running_text_formats() {
        assert_eq!(format_date(d(2025, 11, 1)), "01/11/2025");
        let dt = d(2025, 11, 7).and_hms_opt(14, 32, 49).expect("valid");
        assert_eq!(format_datetime(dt), "07-11-2025 14:32:49");
    }
}
