//! The speed floor of the benchmark: the bare calamine read of every workbook, nothing else.
//!
//! ```text
//! cargo run --release --example floor -- DIR
//! ```
//!
//! Walks `DIR` recursively, and in parallel (rayon) opens each `.xlsx`/`.xlsm`/`.xls`/`.ods`
//! with `calamine::open_workbook_auto`, reads every sheet with `worksheet_range` and counts the
//! non-empty cells. No validation, no aggregation, no output files: whatever baocao does beyond
//! this is the price of checking, computing and writing. Unreadable files are counted, not
//! fatal. Prints one line: `files F failed X sheets S cells C seconds T`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use calamine::{open_workbook_auto, Reader};
use rayon::prelude::*;
use walkdir::WalkDir;

#[derive(Default, Clone, Copy)]
struct Tally {
    files: u64,
    failed: u64,
    sheets: u64,
    cells: u64,
}

impl std::ops::Add for Tally {
    type Output = Tally;

    fn add(self, o: Tally) -> Tally {
        Tally {
            files: self.files + o.files,
            failed: self.failed + o.failed,
            sheets: self.sheets + o.sheets,
            cells: self.cells + o.cells,
        }
    }
}

fn is_workbook(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| {
            let e = e.to_ascii_lowercase();
            matches!(e.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
        })
        .unwrap_or(false)
}

fn read(path: &PathBuf) -> Tally {
    let mut t = Tally {
        files: 1,
        ..Tally::default()
    };
    let Ok(mut wb) = open_workbook_auto(path) else {
        t.failed = 1;
        return t;
    };
    for name in wb.sheet_names() {
        match wb.worksheet_range(&name) {
            Ok(range) => {
                t.sheets += 1;
                t.cells += range.used_cells().count() as u64;
            }
            Err(_) => {
                t.failed = 1;
                break;
            }
        }
    }
    t
}

fn main() -> Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .context("usage: floor DIR")?;
    let started = Instant::now();
    let paths: Vec<PathBuf> = WalkDir::new(&dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && is_workbook(e.path()))
        .map(|e| e.into_path())
        .collect();
    // One file per rayon job, as baocao's intake reads them, so that neither side is left
    // with a run of files that only one thread can work through at the end.
    let total = paths
        .par_iter()
        .with_max_len(1)
        .map(read)
        .reduce(Tally::default, |a, b| a + b);
    println!(
        "files {} failed {} sheets {} cells {} seconds {:.3}",
        total.files,
        total.failed,
        total.sheets,
        total.cells,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
