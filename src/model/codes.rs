//! The standard figure codes of Form A, each with its label and how it adds up over months.
//!
//! A figure is either a flow (what happened during the month: documents received, dossiers
//! solved) or a stock (what is open at a moment: dossiers being solved at month end, dossiers
//! carried over at month start). Months of a flow add up; months of a stock do not: summing
//! the dossiers open at the end of October and of November counts the same dossiers twice.
//! Like DHIS2's aggregation type per data element, every code declares its rule here, and
//! every year-to-date or multi-month figure is computed from this declaration only.

/// How a figure's monthly values combine into one figure over several months (a year to
/// date), oldest month first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum TimeAggregation {
    /// A flow: the months' values are summed.
    Sum,
    /// A stock at month end: the last month's value stands for the whole span.
    Last,
    /// A stock at month start (carried over into the month): the first month's value.
    First,
    /// A month's total that includes what was carried over from the month before (code
    /// `carried_over`): carried-over dossiers were counted in the earlier month already, so
    /// the span counts the first month's carried-over plus each month's new (the total
    /// minus its carried-over).
    IncludingCarriedOver { carried_over: &'static str },
}

impl TimeAggregation {
    /// The rule in a few Vietnamese words, for the sheets that print a figure over months.
    pub fn label(self) -> &'static str {
        match self {
            TimeAggregation::Sum => "cộng các tháng",
            TimeAggregation::Last => "số của tháng cuối",
            TimeAggregation::First => "số của tháng đầu",
            TimeAggregation::IncludingCarriedOver { .. } => {
                "chuyển sang tháng đầu + mới từng tháng"
            }
        }
    }
}

/// A standard code as declared: the code, the label forms print, how it adds up over months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureCode {
    pub code: &'static str,
    pub label: &'static str,
    pub over_time: TimeAggregation,
}

/// The standard codes of Form A (FORMS.md), in form order, with their rule over months.
pub const STANDARD_FIGURES: [FigureCode; 8] = [
    FigureCode {
        code: "VB_DEN",
        label: "Văn bản đến đã tiếp nhận, xử lý trên hệ thống quản lý văn bản",
        over_time: TimeAggregation::Sum,
    },
    FigureCode {
        code: "VB_DI",
        label: "Văn bản đi (tham mưu ban hành)",
        over_time: TimeAggregation::Sum,
    },
    FigureCode {
        code: "VB_CHAM",
        label: "Văn bản xử lý chậm muộn",
        over_time: TimeAggregation::Sum,
    },
    FigureCode {
        code: "TTHC_TIEP_NHAN",
        label: "Hồ sơ thủ tục hành chính tiếp nhận (tổng)",
        over_time: TimeAggregation::IncludingCarriedOver {
            carried_over: "TTHC_KY_TRUOC",
        },
    },
    FigureCode {
        code: "TTHC_KY_TRUOC",
        label: "trong đó: hồ sơ từ kỳ trước chuyển sang",
        over_time: TimeAggregation::First,
    },
    FigureCode {
        code: "TTHC_DA_GQ",
        label: "Hồ sơ đã giải quyết",
        over_time: TimeAggregation::Sum,
    },
    FigureCode {
        code: "TTHC_DANG_GQ",
        label: "Hồ sơ đang giải quyết",
        over_time: TimeAggregation::Last,
    },
    FigureCode {
        // Each overdue dossier is listed with the date it was solved: a count of the month's
        // events, so a flow.
        code: "TTHC_QUA_HAN",
        label: "Hồ sơ quá hạn",
        over_time: TimeAggregation::Sum,
    },
];

/// The standard codes and their labels, in form order (derived from [`STANDARD_FIGURES`]).
pub const STANDARD_CODES: [(&str, &str); 8] = {
    let mut pairs = [("", ""); 8];
    let mut i = 0;
    while i < pairs.len() {
        pairs[i] = (STANDARD_FIGURES[i].code, STANDARD_FIGURES[i].label);
        i += 1;
    }
    pairs
};

/// The declared rule over months of a standard code; `None` for a code that is not standard.
pub fn time_aggregation(code: &str) -> Option<TimeAggregation> {
    STANDARD_FIGURES
        .iter()
        .find(|f| f.code == code)
        .map(|f| f.over_time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_declares_its_rule_and_a_carried_over_code_is_standard() {
        for figure in STANDARD_FIGURES {
            assert_eq!(time_aggregation(figure.code), Some(figure.over_time));
            if let TimeAggregation::IncludingCarriedOver { carried_over } = figure.over_time {
                assert_eq!(
                    time_aggregation(carried_over),
                    Some(TimeAggregation::First),
                    "{} names a carried-over code that is an opening stock",
                    figure.code
                );
            }
        }
        assert_eq!(STANDARD_CODES[6], ("TTHC_DANG_GQ", "Hồ sơ đang giải quyết"));
        assert_eq!(time_aggregation("HS_CHUYEN_TRUONG"), None);
    }
}
