//! Writes the sample plan workbooks (Form B) and progress workbooks (Form C) from the TOML
//! samples.
//!
//! ```text
//! cargo run --example make_sample_plans [PLANS_DIR] [OUT_DIR]
//! ```
//!
//! Defaults: `samples/plans` and `input`. The plans are the annexes of seed 001 (Sở GDĐT,
//! "DANH MỤC CÁC NHIỆM VỤ", 14 tasks in 8 sections) and seed 003 (UBND quận Hải An, "PHÂN CÔNG
//! NHIỆM VỤ", 41 tasks with start and end months); the progress reports, in
//! `PLANS_DIR/tien-do`, are three district offices' progress on the seed 003 plan for 11/2025.

#[path = "../tests/support/form_b.rs"]
mod form_b;

use std::path::PathBuf;

use anyhow::{Context, Result};

fn main() -> Result<()> {
    let mut args = std::env::args_os().skip(1);
    let plans_dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("samples/plans"));
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("input"));
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;

    let plans = form_b::load_plans(&plans_dir)?;
    for plan in &plans {
        let path = out.join(&plan.file);
        form_b::write_form_b(plan, &path)?;
        println!(
            "Biểu B, {:>2} nhiệm vụ -> {}",
            plan.tasks.len(),
            path.display()
        );
    }
    let progress = form_b::load_progress(&plans_dir.join("tien-do"))?;
    for report in &progress {
        let path = out.join(&report.file);
        form_b::write_form_c(report, &path)?;
        println!(
            "Biểu C, {:>2} dòng tiến độ -> {}",
            report.rows.len(),
            path.display()
        );
    }
    println!(
        "{} kế hoạch và {} báo cáo tiến độ đã ghi vào {}",
        plans.len(),
        progress.len(),
        out.display()
    );
    Ok(())
}
