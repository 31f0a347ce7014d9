//! Comparisons over time from the history store: the previous month, the same month last
//! year, and the total since January — "tăng 12,5% so với tháng trước".

use std::path::Path;

use anyhow::Result;

use crate::history::{read_period, PeriodFigures};
use crate::model::{StandardFigures, STANDARD_CODES};
use crate::vn::number::{format_percent_tenths, share_tenths};
use crate::vn::Period;

/// The department's figures of other periods next to this one's.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub current: StandardFigures,
    pub previous: Option<StandardFigures>,
    pub same_month_last_year: Option<StandardFigures>,
    /// Totals from January to the period, over the months that have figures.
    pub year_to_date: StandardFigures,
    /// Months of the year (1..=period's month) that have figures, this one included.
    pub months_with_figures: Vec<u32>,
}

/// Compares `current` (the period being reported) with the history in `output_dir`.
pub fn compare(
    output_dir: &Path,
    period: Period,
    current: StandardFigures,
    department_code: &str,
) -> Result<Comparison> {
    let totals_of = |p: Period| -> Result<Option<StandardFigures>> {
        // A month without the department's own totals has no comparable figures: its units'
        // sum is another base, and the sentence would not say so.
        Ok(read_period(output_dir, p)?
            .and_then(|f: PeriodFigures| f.department_totals(department_code)))
    };
    let previous = totals_of(period.previous())?;
    let same_month_last_year = match Period::new(period.year - 1, period.month) {
        Some(p) => totals_of(p)?,
        None => None,
    };
    let mut year_to_date = current;
    let mut months_with_figures = vec![period.month];
    for month in 1..period.month {
        let Some(p) = Period::new(period.year, month) else {
            continue;
        };
        if let Some(figures) = totals_of(p)? {
            for (code, _) in STANDARD_CODES {
                let sum = year_to_date.get(code).unwrap_or(0) + figures.get(code).unwrap_or(0);
                year_to_date.set(code, sum);
            }
            months_with_figures.push(month);
        }
    }
    months_with_figures.sort_unstable();
    Ok(Comparison {
        current,
        previous,
        same_month_last_year,
        year_to_date,
        months_with_figures,
    })
}

/// Signed change in tenths of a percent, `None` when the base is zero.
pub fn change_tenths(current: u64, base: u64) -> Option<i64> {
    let magnitude = share_tenths(current.abs_diff(base), base)? as i64;
    Some(if current < base {
        -magnitude
    } else {
        magnitude
    })
}

/// `tăng 12,5%`, `giảm 3%`, `không đổi`; `không so sánh được` when the base is zero.
pub fn change_text(current: u64, base: u64) -> String {
    match change_tenths(current, base) {
        None => "không so sánh được".to_string(),
        Some(0) if current == base => "không đổi".to_string(),
        Some(t) if t >= 0 => format!("tăng {}", format_percent_tenths(t as u64)),
        Some(t) => format!("giảm {}", format_percent_tenths(t.unsigned_abs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::write_period;

    #[test]
    fn changes_in_words() {
        assert_eq!(change_text(3600, 3200), "tăng 12,5%");
        assert_eq!(change_text(97, 100), "giảm 3%");
        assert_eq!(change_text(100, 100), "không đổi");
        assert_eq!(change_text(5, 0), "không so sánh được");
        assert_eq!(change_tenths(1, 3), Some(-667));
    }

    fn totals(vb_den: u64) -> StandardFigures {
        StandardFigures {
            vb_den,
            vb_di: 1,
            ..StandardFigures::default()
        }
    }

    #[test]
    fn comparisons_cross_the_year_boundary() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (year, month, vb_den) in [(2025, 1, 3000), (2025, 12, 3200), (2025, 11, 1)] {
            let period = Period::new(year, month).expect("valid");
            write_period(
                dir.path(),
                &PeriodFigures {
                    period,
                    rows: vec![("SO".into(), totals(vb_den))],
                },
            )
            .expect("write");
        }
        let january = Period::new(2026, 1).expect("valid");
        let comparison = compare(dir.path(), january, totals(3600), "SO").expect("compare");
        assert_eq!(
            comparison.previous.map(|f| f.vb_den),
            Some(3200),
            "December 2025 precedes January 2026"
        );
        assert_eq!(
            comparison.same_month_last_year.map(|f| f.vb_den),
            Some(3000)
        );
        assert_eq!(
            comparison.year_to_date.vb_den, 3600,
            "a new year starts a new total"
        );
        assert_eq!(comparison.months_with_figures, [1]);

        let december = Period::new(2025, 12).expect("valid");
        let comparison = compare(dir.path(), december, totals(3200), "SO").expect("compare");
        assert_eq!(comparison.year_to_date.vb_den, 3000 + 1 + 3200);
        assert_eq!(comparison.months_with_figures, [1, 11, 12]);
        assert_eq!(comparison.same_month_last_year, None);
    }
}
