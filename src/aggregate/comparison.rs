//! Comparisons over time from the history store: the previous month, the same month last
//! year, and the total since January — "tăng 12,5% so với tháng trước".

use std::path::Path;

use anyhow::Result;

use super::over_time::over_months;
use crate::history::{read_period, PeriodFigures};
use crate::model::StandardFigures;
use crate::vn::number::{format_percent_tenths, share_tenths};
use crate::vn::Period;

/// The department's figures of other periods next to this one's.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub current: StandardFigures,
    pub previous: Option<StandardFigures>,
    pub same_month_last_year: Option<StandardFigures>,
    /// From January to the period, over the months that have figures, each code by its
    /// declared rule over months (`model::codes`): flows summed, stocks not.
    pub year_to_date: StandardFigures,
    /// Months of the year (1..=period's month) that have figures, this one included, in
    /// order: what `year_to_date` covers.
    pub months_with_figures: Vec<u32>,
}

impl Comparison {
    /// The first month `year_to_date` covers: its carried-over dossiers are the year's.
    pub fn first_month(&self) -> u32 {
        self.months_with_figures.first().copied().unwrap_or(1)
    }

    /// The months of the year up to the period that `year_to_date` lacks.
    pub fn missing_months(&self, period: Period) -> Vec<u32> {
        (1..=period.month)
            .filter(|m| !self.months_with_figures.contains(m))
            .collect()
    }
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
    let mut months = Vec::new();
    let mut months_with_figures = Vec::new();
    for month in 1..period.month {
        let Some(p) = Period::new(period.year, month) else {
            continue;
        };
        if let Some(figures) = totals_of(p)? {
            months.push(figures);
            months_with_figures.push(month);
        }
    }
    months.push(current);
    months_with_figures.push(period.month);
    Ok(Comparison {
        current,
        previous,
        same_month_last_year,
        year_to_date: over_months(&months).unwrap_or(current),
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
        assert_eq!(comparison.first_month(), 1);
        assert_eq!(
            comparison.missing_months(december),
            (2..=10).collect::<Vec<_>>()
        );
        assert_eq!(comparison.same_month_last_year, None);
    }

    #[test]
    fn the_year_to_date_takes_stocks_from_the_right_months() {
        let dir = tempfile::tempdir().expect("temp dir");
        let october = StandardFigures {
            vb_den: 3600,
            tthc_tiep_nhan: 300,
            tthc_ky_truoc: 40,
            tthc_da_gq: 268,
            tthc_dang_gq: 32,
            ..StandardFigures::default()
        };
        write_period(
            dir.path(),
            &PeriodFigures {
                period: Period::new(2025, 10).expect("valid"),
                rows: vec![("SO".into(), october), ("QLCL".into(), totals(9))],
            },
        )
        .expect("write");
        let november = StandardFigures {
            vb_den: 3675,
            tthc_tiep_nhan: 324,
            tthc_ky_truoc: 32,
            tthc_da_gq: 302,
            tthc_dang_gq: 22,
            ..StandardFigures::default()
        };
        let period = Period::new(2025, 11).expect("valid");
        let comparison = compare(dir.path(), period, november, "SO").expect("compare");
        let ytd = comparison.year_to_date;
        assert_eq!(ytd.vb_den, 7275);
        assert_eq!(
            ytd.tthc_ky_truoc, 40,
            "carried into October, the first month"
        );
        assert_eq!(
            ytd.tthc_dang_gq, 22,
            "open at the end of November, the last month"
        );
        assert_eq!(ytd.tthc_tiep_nhan, 40 + 260 + 292);
        assert_eq!(ytd.tthc_da_gq, 570);
        assert_eq!(comparison.months_with_figures, [10, 11]);
        assert_eq!(comparison.first_month(), 10);
    }
}
