//! Fuzzes what reads a cell's text: Vietnamese numbers, rates, dates, date-times, periods,
//! Excel serials, legacy-encoding detection and the matching keys. Nothing may panic, and
//! whatever parses must print and parse back to itself.
#![no_main]

use baocao::ingest::CellValue;
use baocao::text::legacy::detect;
use baocao::text::{fold::fold_words, fold_key, similarity::similarity};
use baocao::vn::date::{format_datetime, from_excel_serial, parse_datetime_text};
use baocao::vn::number::{format_int, parse_rate_text, parse_whole_text, whole_from_f64};
use baocao::vn::Period;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    if let Ok(n) = parse_whole_text(&text) {
        assert_eq!(parse_whole_text(&format_int(n)), Ok(n), "{text:?}");
    }
    if let Ok(rate) = parse_rate_text(&text) {
        assert!(rate.is_finite() && rate >= 0.0, "{text:?} → {rate}");
    }
    if let Some(at) = parse_datetime_text(&text) {
        assert_eq!(parse_datetime_text(&format_datetime(at)), Some(at), "{text:?}");
    }
    if let Some(period) = Period::parse_text(&text) {
        assert_eq!(Period::parse_text(&period.to_string()), Some(period), "{text:?}");
    }
    if let Some((_, converted)) = detect(&text) {
        assert_eq!(baocao::text::nfc(&converted), converted, "{text:?}");
        assert_eq!(detect(&converted), None, "converted twice: {text:?}");
    }
    let _ = fold_key(&text);
    let _ = fold_words(&text);
    let half = text.len() / 2;
    if text.is_char_boundary(half) {
        let (a, b) = text.split_at(half);
        let score = similarity(a, b);
        assert!((0.0..=1.0).contains(&score));
    }

    if let Some(bytes) = data.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        let number = f64::from_le_bytes(bytes);
        let _ = from_excel_serial(number, false);
        let _ = from_excel_serial(number, true);
        let _ = whole_from_f64(number);
        let _ = CellValue::Number(number).as_text();
    }
});
