//! Property tests: a value formatted the Vietnamese way (as the reports print it and as
//! people type it) parses back to the same value, for numbers, rates, dates, date-times,
//! Excel serials of both date systems, periods, and text typed in TCVN3 or VNI.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/legacy.rs"]
mod legacy;

use baocao::text::legacy::{detect, is_abbreviation, is_syllable, read_as, Encoding};
use baocao::vn::date::{
    format_date, format_date_line, format_datetime, from_excel_serial, parse_date_text,
    parse_datetime_text,
};
use baocao::vn::number::{
    format_count, format_int, format_percent_tenths, parse_rate_text, parse_whole_text,
    whole_from_f64, NumberError,
};
use baocao::vn::Period;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use proptest::prelude::*;

fn dates() -> impl Strategy<Value = NaiveDate> {
    // From 1 March 1900: Excel's phantom 29 February 1900 lies before.
    (1900i32..=2199, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
        .prop_filter("after the phantom leap day", |d| {
            *d >= NaiveDate::from_ymd_opt(1900, 3, 1).unwrap_or(NaiveDate::MIN)
        })
}

fn date_times() -> impl Strategy<Value = NaiveDateTime> {
    (dates(), 0u32..24, 0u32..60, 0u32..60).prop_filter_map("a real time", |(d, h, m, s)| {
        NaiveTime::from_hms_opt(h, m, s).map(|t| d.and_time(t))
    })
}

fn excel_serial(at: NaiveDateTime, date1904: bool) -> f64 {
    let epoch = if date1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)
    }
    .and_then(|d| d.and_hms_opt(0, 0, 0))
    .unwrap_or(NaiveDateTime::MIN);
    (at - epoch).num_seconds() as f64 / 86_400.0
}

/// Vietnamese syllables of every shape: tones, horns, breves, ươ, uyê, gi, qu, ngh, đ.
const SYLLABLES: &[&str] = &[
    "Phòng",
    "giáo",
    "dục",
    "trung",
    "học",
    "nghiệp",
    "thường",
    "xuyên",
    "tổ",
    "chức",
    "cán",
    "bộ",
    "kế",
    "hoạch",
    "tài",
    "chính",
    "quản",
    "lý",
    "chất",
    "lượng",
    "văn",
    "phòng",
    "Sở",
    "Đào",
    "tạo",
    "Hải",
    "Phòng",
    "khuyến",
    "khích",
    "người",
    "được",
    "quốc",
    "gia",
    "giữa",
    "nhiều",
    "tuyển",
    "sinh",
    "ưu",
    "tiên",
    "Việt",
    "Nam",
    "Ủy",
    "ban",
    "nhân",
    "dân",
    "thành",
    "phố",
    "ĐỘC",
    "LẬP",
    "ngoài",
    "khoẻ",
    "thuở",
    "oanh",
    "rượu",
    "yêu",
    "ý",
    "ở",
    "đồng",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn whole_numbers_grouped_with_dots_or_spaces_read_back(n in 0u64..1_000_000_000_000_000) {
        let dotted = format_int(n);
        prop_assert_eq!(parse_whole_text(&dotted), Ok(n));
        prop_assert_eq!(parse_whole_text(&dotted.replace('.', " ")), Ok(n));
        prop_assert_eq!(parse_whole_text(&dotted.replace('.', "\u{a0}")), Ok(n));
        prop_assert_eq!(parse_whole_text(&format!("{dotted} văn bản")), Ok(n));
        prop_assert_eq!(parse_whole_text(&format!(" {dotted} ")), Ok(n));
        prop_assert_eq!(parse_whole_text(&format_count(n)), Ok(n));
        prop_assert_eq!(whole_from_f64(n as f64), Ok(n));
    }

    #[test]
    fn whole_numbers_with_a_fraction_are_refused(n in 0u64..1_000_000, digit in 1u64..=9) {
        prop_assert_eq!(
            parse_whole_text(&format!("{},{digit}", format_int(n))),
            Err(NumberError::NotWhole)
        );
        prop_assert_eq!(
            whole_from_f64(n as f64 + digit as f64 / 10.0),
            Err(NumberError::NotWhole)
        );
    }

    #[test]
    fn a_dot_that_does_not_group_three_digits_is_refused(int in 0u64..1000, frac in 0u64..100) {
        // `1.5`, `12.34`: the dot groups thousands in Vietnamese; never guessed.
        prop_assert_eq!(
            parse_whole_text(&format!("{int}.{frac}")),
            Err(NumberError::Ambiguous)
        );
    }

    #[test]
    fn rates_read_back_as_printed_and_as_typed(tenths in 0u64..100_000_000) {
        let expected = tenths as f64 / 10.0;
        let printed = format_percent_tenths(tenths); // `6,3%`, `1.234,5%`, `4%`
        let close = |found: Result<f64, NumberError>| {
            found.is_ok_and(|v| (v - expected).abs() < 1e-9)
        };
        prop_assert!(close(parse_rate_text(&printed)), "{}", printed);
        prop_assert!(close(parse_rate_text(printed.trim_end_matches('%'))), "{}", printed);
        let whole = tenths / 10;
        if whole < 1000 {
            // Typed with a decimal point and a space before the sign: `93.2 %`.
            let typed = format!("{whole}.{} %", tenths % 10);
            prop_assert!(close(parse_rate_text(&typed)), "{}", typed);
        }
    }

    #[test]
    fn dates_read_back_in_every_listed_form(date in dates()) {
        for text in [
            format_date(date),
            date.format("%d-%m-%Y").to_string(),
            date.format("%Y-%m-%d").to_string(),
            date.format("%-d/%-m/%Y").to_string(),
            format_date_line(date),
            date.format("ngay %d thang %m nam %Y").to_string(),
        ] {
            prop_assert_eq!(parse_date_text(&text), Some(date), "{}", text);
        }
    }

    #[test]
    fn date_times_read_back(at in date_times()) {
        prop_assert_eq!(parse_datetime_text(&format_datetime(at)), Some(at));
        let iso = at.format("%Y-%m-%dT%H:%M:%S").to_string();
        prop_assert_eq!(parse_datetime_text(&iso), Some(at));
        let minutes = at.with_second(0).unwrap_or(at);
        let typed = minutes.format("%d/%m/%Y %H:%M").to_string();
        prop_assert_eq!(parse_datetime_text(&typed), Some(minutes));
    }

    #[test]
    fn excel_serials_of_both_date_systems_read_back(at in date_times()) {
        prop_assert_eq!(from_excel_serial(excel_serial(at, false), false), Some(at));
        if at >= NaiveDate::from_ymd_opt(1904, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or(NaiveDateTime::MAX)
        {
            prop_assert_eq!(from_excel_serial(excel_serial(at, true), true), Some(at));
        }
    }

    #[test]
    fn periods_read_back_in_every_printed_and_typed_form(year in 1900i32..=9999, month in 1u32..=12) {
        let period = Period::new(year, month).expect("valid period");
        for text in [
            period.to_string(),
            period.in_text(),
            period.heading(),
            period.slug(),
            format!("{month}/{year}"),
            format!("Tháng {month}/{year}"),
            format!("tháng {month} năm {year}"),
            format!("T{month}/{year}"),
            format_date(period.last_day()),
        ] {
            prop_assert_eq!(Period::parse_text(&text), Some(period), "{}", text);
        }
    }

    #[test]
    fn vietnamese_typed_in_tcvn3_or_vni_reads_back(
        words in proptest::collection::vec(proptest::sample::select(SYLLABLES), 2..12),
        vni in any::<bool>(),
    ) {
        let text = words.join(" ");
        let encoding = if vni { Encoding::Vni } else { Encoding::Tcvn3 };
        let typed = legacy::encode(&text, encoding).expect("encodable");
        // Conversion needs a word that cannot be read as typed (`Phßng`), as `detect` does.
        let evident = typed.split(' ').zip(&words).any(|(t, w)| {
            t != *w
                && t.chars().any(|c| c.is_ascii_alphabetic())
                && !is_syllable(t)
                && !is_abbreviation(t)
        });
        prop_assume!(evident);
        prop_assert_eq!(read_as(&typed, encoding), Some(text.clone()), "{}", typed);
        // Converted unless it also reads in the other encoding (then it is left as typed).
        let other = if vni { Encoding::Tcvn3 } else { Encoding::Vni };
        // Converted right, or left as typed (it also reads in the other encoding, or the
        // evidence is not enough for certainty: uncommon words): never converted wrong.
        let _ = other;
        if let Some(found) = detect(&typed) {
            prop_assert_eq!(found, (encoding, text.clone()), "{}", typed);
        }
        prop_assert_eq!(detect(&text), None, "Unicode stays as it is");
    }
}
