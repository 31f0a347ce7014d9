//! Writes the sample school statistics workbooks (Form D), one per school of the registry.
//!
//! ```text
//! cargo run --example make_sample_schools [REGISTRY_CSV] [OUT_DIR]
//! ```
//!
//! Defaults: `config/truong.csv` and `input/truong`. Figures are plausible and drawn
//! deterministically from each school's code (tests/support/form_d.rs), so re-running gives
//! the same workbooks.

#[path = "../tests/support/form_d.rs"]
mod form_d;

use std::path::PathBuf;

use anyhow::{Context, Result};

fn main() -> Result<()> {
    let mut args = std::env::args_os().skip(1);
    let registry = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("config/truong.csv"));
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("input/truong"));
    let text = std::fs::read_to_string(&registry)
        .with_context(|| format!("cannot read {}", registry.display()))?;
    let schools = form_d::registry_schools(&text);
    for school in &schools {
        let path = out.join(format!("{}.xlsx", school.code));
        form_d::write_form_d(school, &path)?;
    }
    println!("{} trường -> {}", schools.len(), out.display());
    Ok(())
}
