//! `baocao history`: the periods held in the history store and the department's figures for
//! each, so an administrator can see what later reports will compare against.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;

use super::exit::Outcome;
use crate::aggregate::over_time::over_months;
use crate::config;
use crate::history::{list_periods, read_period};
use crate::model::StandardFigures;
use crate::vn::number::{format_int, format_percent_tenths, share_tenths};
use crate::vn::Period;

/// The listing as text.
pub fn history_listing(output: &Path, config_path: Option<&Path>) -> Result<String> {
    let loaded = config::load(config_path)?;
    let department = loaded.config.organisation.department_code.clone();
    let periods = list_periods(output)?;
    let mut out = String::new();
    if periods.is_empty() {
        let _ = writeln!(
            out,
            "Chưa có lịch sử số liệu trong {}",
            output.join(crate::history::HISTORY_DIR).display()
        );
        return Ok(out);
    }
    let _ = writeln!(out, "Lịch sử số liệu toàn Sở ({} kỳ):", periods.len());
    let _ = writeln!(
        out,
        "{:<11} {:>10} {:>10} {:>8} {:>10} {:>10} {:>10} {:>9}",
        "Kỳ", "VB đến", "VB đi", "Chậm", "Hồ sơ", "Đã GQ", "Tỷ lệ GQ", "Quá hạn"
    );
    let mut units_only = false;
    // The department's own figures of each year's months, oldest first, for the year's line.
    let mut year_months: Vec<(Period, StandardFigures)> = Vec::new();
    for (position, &period) in periods.iter().enumerate() {
        if let Some(figures) = read_period(output, period)? {
            let t = figures.totals(&department);
            // A period without the department's own figures shows the units' sum: marked,
            // so its rate is not read as the department's, and left out of the year's line.
            let own = figures.department_totals(&department);
            units_only |= own.is_none();
            let label = if own.is_some() {
                period.to_string()
            } else {
                format!("{period} *")
            };
            let _ = writeln!(out, "{}", figures_line(&label, &t));
            if let Some(own) = own {
                year_months.push((period, own));
            }
        }
        let year_ends = periods
            .get(position + 1)
            .is_none_or(|p| p.year != period.year);
        if year_ends {
            year_line(&mut out, &year_months);
            year_months.clear();
        }
    }
    if units_only {
        let _ = writeln!(
            out,
            "* chưa có số liệu toàn Sở ({department}): tổng của các đơn vị có số liệu; không dùng để so sánh"
        );
    }
    Ok(out)
}

/// One row of the listing: the label, then the figures and the solved rate.
fn figures_line(label: &str, t: &StandardFigures) -> String {
    let rate = share_tenths(t.tthc_da_gq, t.tthc_tiep_nhan)
        .map_or_else(|| "—".to_string(), format_percent_tenths);
    format!(
        "{:<11} {:>10} {:>10} {:>8} {:>10} {:>10} {:>10} {:>9}",
        label,
        format_int(t.vb_den),
        format_int(t.vb_di),
        format_int(t.vb_cham),
        format_int(t.tthc_tiep_nhan),
        format_int(t.tthc_da_gq),
        rate,
        format_int(t.tthc_qua_han)
    )
}

/// The year to date of a year's months with the department's own figures, each code by its
/// rule over months (a stock is not summed), when the year has more than one such month.
fn year_line(out: &mut String, months: &[(Period, StandardFigures)]) {
    let figures: Vec<StandardFigures> = months.iter().map(|(_, f)| *f).collect();
    let (Some((last, _)), true) = (months.last(), months.len() > 1) else {
        return;
    };
    let Some(total) = over_months(&figures) else {
        return;
    };
    let names: Vec<String> = months.iter().map(|(p, _)| p.month.to_string()).collect();
    let _ = writeln!(
        out,
        "{}",
        figures_line(&format!("Lũy kế {}", last.year), &total)
    );
    let _ = writeln!(
        out,
        "  (lũy kế năm {} gồm tháng {}; số phát sinh được cộng dồn, hồ sơ tiếp nhận tính một lần số chuyển sang tháng đầu)",
        last.year,
        names.join(", ")
    );
}

/// Runs the command: prints the listing, 0 on success, 1 when the store cannot be read.
pub fn history_command(output: &Path, config_path: Option<&Path>) -> Outcome {
    match history_listing(output, config_path) {
        Ok(text) => {
            super::stdout::print_text(&text);
            Outcome::Complete
        }
        Err(error) => {
            eprintln!("baocao: không đọc được lịch sử số liệu: {error:#}");
            Outcome::Failed
        }
    }
}
