//! The monthly report's section "Kết quả thực hiện các chỉ tiêu": how many schools the
//! figures come from, a table per level (indicator, target, result as the seeds write it,
//! verdict), and a sentence for each indicator that missed its target.

use anyhow::Result;
use minijinja::{context, Value};

use super::blocks::Block;
use crate::schools::indicators::{TargetResults, Verdict};
use crate::vn::number::{format_count, format_percent_tenths, share_tenths};

/// Column widths (twips) of the level tables; they fill the portrait text width.
const WIDTHS: [usize; 5] = [600, 3_300, 1_000, 2_900, 1_554];

/// The section's blocks. `number` is the section's number in part I; `text` renders a
/// wording template with the report's shared variables.
pub fn targets_blocks(
    results: &TargetResults,
    number: usize,
    text: &dyn Fn(&str, Value) -> Result<String>,
) -> Result<Vec<Block>> {
    let mut blocks = vec![Block::Heading {
        level: 2,
        text: text("part1.targets_heading", context! { so_muc => number })?,
    }];
    let rate = share_tenths(
        results.schools_reported as u64,
        results.schools_expected as u64,
    )
    .map(format_percent_tenths)
    .unwrap_or_default();
    blocks.push(Block::paragraph(text(
        "part1.targets_intro",
        context! {
            da_nop => format_count(results.schools_reported as u64),
            tong => format_count(results.schools_expected as u64),
            ty_le => rate,
            co_danh_sach => results.schools_expected > 0,
            chua_nop => format_count(results.absent.len() as u64),
            n_chua_nop => results.absent.len(),
        },
    )?));
    let mut missed = Vec::new();
    for (k, level) in results.levels().into_iter().enumerate() {
        let Some(figures) = results.by_level.get(&level) else {
            continue;
        };
        let mut rows = Vec::new();
        for (n, indicator) in results.indicators_of(level) {
            let figure = figures[n];
            if figure.schools == 0 {
                continue;
            }
            let verdict = figure.verdict(indicator);
            rows.push(vec![
                (rows.len() + 1).to_string(),
                indicator.name.clone(),
                indicator.target_text(),
                figure.text(indicator),
                verdict.label().to_string(),
            ]);
            if verdict == Verdict::Missed {
                let below = results
                    .below_target
                    .iter()
                    .filter(|b| b.indicator == n && b.school.level == level)
                    .count();
                missed.push(text(
                    "part1.targets_missed",
                    context! {
                        chi_tieu => indicator.name.clone(),
                        cap_hoc => level.label(),
                        ket_qua => figure.text(indicator),
                        muc_tieu => indicator.target_text(),
                        so_truong_chua_dat => format_count(below as u64),
                        n_truong_chua_dat => below,
                    },
                )?);
            }
        }
        if rows.is_empty() {
            continue;
        }
        let letter = char::from(b'a' + (k as u8).min(25));
        blocks.push(Block::Heading {
            level: 4,
            text: text(
                "part1.targets_level_heading",
                context! { chu => letter.to_string(), cap_hoc => level.label() },
            )?,
        });
        blocks.push(Block::Table {
            widths: WIDTHS.to_vec(),
            header: ["TT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Đánh giá"]
                .map(String::from)
                .to_vec(),
            rows,
        });
    }
    if missed.is_empty() {
        blocks.push(Block::paragraph(text(
            "part1.targets_all_met",
            context! {},
        )?));
    } else {
        blocks.push(Block::paragraph(text(
            "part1.targets_missed_intro",
            context! {},
        )?));
        blocks.extend(missed.into_iter().map(Block::bullet));
    }
    Ok(blocks)
}
