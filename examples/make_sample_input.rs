//! Writes the sample Form A workbooks (the units' monthly reports) from the TOML samples.
//!
//! ```text
//! cargo run --example make_sample_input [SAMPLES_DIR] [OUT_DIR]
//! ```
//!
//! Defaults: `samples/2025-11` and `input`. The samples are the November 2025 submissions of
//! the seven units of the Sở GDĐT Hải Phòng plus the department itself (`SO`), transcribed
//! from its real November 2025 monthly report.

#[path = "../tests/support/form_a.rs"]
mod form_a;

use std::path::PathBuf;

use anyhow::{Context, Result};

fn main() -> Result<()> {
    let mut args = std::env::args_os().skip(1);
    let samples = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("samples/2025-11"));
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("input"));

    let subs = form_a::load_samples(&samples)?;
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    for s in &subs {
        let path = out.join(&s.file);
        form_a::write_form_a(s, &path)?;
        println!(
            "{:<14} {:>3} số liệu, {:>2} kết quả, {:>2} nhiệm vụ -> {}",
            s.unit_code(),
            s.figures.len(),
            s.results.len(),
            s.next_tasks.len() + s.general_tasks.len(),
            path.display()
        );
    }
    println!("{} workbooks written to {}", subs.len(), out.display());
    Ok(())
}
