//! `baocao history`: the periods held in the history store and the department's figures for
//! each, so an administrator can see what later reports will compare against.

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;

use super::exit::Outcome;
use crate::config;
use crate::history::{list_periods, read_period};
use crate::vn::number::{format_int, format_percent_tenths, share_tenths};

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
        "{:<9} {:>10} {:>10} {:>8} {:>10} {:>10} {:>10} {:>9}",
        "Kỳ", "VB đến", "VB đi", "Chậm", "Hồ sơ", "Đã GQ", "Tỷ lệ GQ", "Quá hạn"
    );
    let mut units_only = false;
    for period in periods {
        let Some(figures) = read_period(output, period)? else {
            continue;
        };
        let t = figures.totals(&department);
        // A period without the department's own figures shows the units' sum: marked, so
        // its rate is not read as the department's.
        let own = figures.department_totals(&department).is_some();
        units_only |= !own;
        let label = if own {
            period.to_string()
        } else {
            format!("{period} *")
        };
        let rate = share_tenths(t.tthc_da_gq, t.tthc_tiep_nhan)
            .map_or_else(|| "—".to_string(), format_percent_tenths);
        let _ = writeln!(
            out,
            "{:<9} {:>10} {:>10} {:>8} {:>10} {:>10} {:>10} {:>9}",
            label,
            format_int(t.vb_den),
            format_int(t.vb_di),
            format_int(t.vb_cham),
            format_int(t.tthc_tiep_nhan),
            format_int(t.tthc_da_gq),
            rate,
            format_int(t.tthc_qua_han)
        );
    }
    if units_only {
        let _ = writeln!(
            out,
            "* chưa có số liệu toàn Sở ({department}): tổng của các đơn vị có số liệu; không dùng để so sánh"
        );
    }
    Ok(out)
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
