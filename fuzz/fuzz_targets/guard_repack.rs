//! Fuzzes the hostile-file guard and the package it hands on (`ingest::guard::inspect` and its
//! repack): nothing may panic, and whatever the guard accepts and repacks must be a zip that
//! the zip crate opens, every entry stored, with a CRC that matches its content.
#![no_main]

use std::io::{Cursor, Read};

use baocao::ingest::guard::inspect;
use baocao::ingest::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let Ok(inspection) = inspect(data, &limits) else {
        return;
    };
    let Some(package) = inspection.package else {
        return;
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(&package)).expect("repacked zip opens");
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry opens");
        assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
        let mut content = Vec::new();
        entry
            .read_to_end(&mut content)
            .expect("entry reads with its CRC");
    }
});
