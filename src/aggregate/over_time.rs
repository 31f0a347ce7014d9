//! One figure per code over several months, each code by the rule it declares
//! (`model::codes`): flows summed, a month-end stock from the last month, an opening stock
//! from the first, received-with-carried-over counted once. Every year-to-date figure the
//! report, its workbook and `baocao history` print comes from here.

use crate::model::{StandardFigures, TimeAggregation, STANDARD_FIGURES};

/// The months' figures (oldest first) as one set of figures; `None` when there is no month.
pub fn over_months(months: &[StandardFigures]) -> Option<StandardFigures> {
    let first = months.first()?;
    let last = months.last()?;
    let value = |figures: &StandardFigures, code: &str| figures.get(code).unwrap_or(0);
    let mut combined = StandardFigures::default();
    for figure in STANDARD_FIGURES {
        let code = figure.code;
        let total = match figure.over_time {
            TimeAggregation::Sum => months.iter().map(|m| value(m, code)).sum(),
            TimeAggregation::Last => value(last, code),
            TimeAggregation::First => value(first, code),
            TimeAggregation::IncludingCarriedOver { carried_over } => {
                let new: u64 = months
                    .iter()
                    .map(|m| value(m, code).saturating_sub(value(m, carried_over)))
                    .sum();
                value(first, carried_over) + new
            }
        };
        combined.set(code, total);
    }
    Some(combined)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Figures in form order: VB_DEN, VB_DI, VB_CHAM, TTHC_TIEP_NHAN, TTHC_KY_TRUOC,
    /// TTHC_DA_GQ, TTHC_DANG_GQ, TTHC_QUA_HAN.
    fn month(values: [u64; 8]) -> StandardFigures {
        let mut figures = StandardFigures::default();
        for (figure, value) in STANDARD_FIGURES.iter().zip(values) {
            figures.set(figure.code, value);
        }
        figures
    }

    #[test]
    fn one_month_is_itself() {
        let november = month([3675, 1032, 0, 324, 32, 302, 22, 1]);
        assert_eq!(over_months(&[november]), Some(november));
        assert_eq!(over_months(&[]), None);
    }

    #[test]
    fn stocks_are_not_summed_and_carried_over_dossiers_count_once() {
        // The example: October as the November sample (324 received of which 32
        // carried over, 302 solved, 22 open at month end), then November itself.
        let sample = month([3675, 1032, 0, 324, 32, 302, 22, 1]);
        let two = over_months(&[sample, sample]).expect("months");
        assert_eq!(two.vb_den, 7350, "a flow is summed");
        assert_eq!(
            two.tthc_dang_gq, 22,
            "open at month end: the last month, not 44"
        );
        assert_eq!(
            two.tthc_ky_truoc, 32,
            "carried into the first month: not 64"
        );
        // 32 carried into October + 292 new in October + 292 new in November.
        assert_eq!(two.tthc_tiep_nhan, 616, "not 648");
        assert_eq!(two.tthc_da_gq, 604);
        assert_eq!(two.tthc_qua_han, 2);

        // A history whose months chain (each month carries over what the last left open)
        // keeps received = solved + open over the span, as each month does.
        let october = month([3600, 1050, 0, 300, 40, 268, 32, 1]);
        let november = month([3675, 1032, 0, 324, 32, 302, 22, 1]);
        let december = month([4000, 1100, 2, 350, 22, 330, 20, 1]);
        let year = over_months(&[october, november, december]).expect("months");
        assert_eq!(year, month([11275, 3182, 2, 920, 40, 900, 20, 3]));
        assert_eq!(year.tthc_da_gq + year.tthc_dang_gq, year.tthc_tiep_nhan);
    }
}
