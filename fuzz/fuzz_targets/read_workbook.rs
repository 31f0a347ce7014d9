//! Fuzzes reading a workbook from bytes (format sniffing, the hostile-file guard, calamine,
//! merged ranges, legacy text) and validating it as Form A. Nothing may panic, hang or run
//! out of memory: every bad file must end as a `ReadError` or as messages.
#![no_main]

use std::sync::OnceLock;

use baocao::config::{Config, UnitDirectory, BUILTIN_CONFIG};
use baocao::ingest::{read_guarded, Limits};
use baocao::model::SourceInfo;
use baocao::validate::form_a::parse_form_a;
use libfuzzer_sys::fuzz_target;

fn directory() -> Option<&'static UnitDirectory> {
    static DIRECTORY: OnceLock<Option<UnitDirectory>> = OnceLock::new();
    DIRECTORY
        .get_or_init(|| Config::from_toml(BUILTIN_CONFIG).ok().map(|c| c.directory()))
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Ok(book) = read_guarded(data, &Limits::default()) else {
        return;
    };
    for sheet in &book.sheets {
        for row in 0..sheet.row_count() {
            for col in 0..sheet.row_len(row) {
                let _ = sheet.cell(row, col).as_text();
            }
        }
    }
    for (sheet, conversion) in book.conversions() {
        assert!(!sheet.name.is_empty() || conversion.cell.is_some());
        let _ = conversion.notice();
    }
    if let Some(directory) = directory() {
        let source = SourceInfo {
            path: "fuzz.xlsx".into(),
            display: "fuzz.xlsx".into(),
            modified: None,
        };
        let outcome = parse_form_a(&book, source, directory);
        for message in &outcome.messages {
            let _ = message.to_string();
        }
    }
});
