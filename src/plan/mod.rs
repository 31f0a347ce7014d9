//! Assignment plans (Form B, "Kế hoạch phân công nhiệm vụ") and the units' progress on them
//! (Form C, "Tiến độ nhiệm vụ"): read and checked here, rendered by `render::annex_*` and
//! `render::plan::progress`, wired into commands by `app::plan`.
//!
//! The plan is read into a [`Plan`] whose lead and coordinating units are each either a
//! configured unit or the text as written, so that grouping works for the department's own
//! units while a district plan naming its own offices is kept word for word.

pub mod document;
pub mod form_b;
pub mod form_c;
pub mod model;
pub mod progress;
pub mod units;

pub use model::{IssueDate, Plan, PlanInfo, PlanTask, Section};
pub use progress::{PlanProgress, TaskStatus, Timing};
pub use units::{UnitGroups, UnitKey, UnitName};

use crate::ingest::CellValue;

/// A task number (`TT`) as people type it: a number cell, or text such as `1`, `01`, `1.`;
/// zero, fractions and anything else are not task numbers.
pub(crate) fn task_number(cell: &CellValue) -> Option<u32> {
    match cell {
        CellValue::Number(n) if n.fract() == 0.0 && (1.0..=1_000_000.0).contains(n) => {
            Some(*n as u32)
        }
        CellValue::Text(text) => {
            let trimmed = text.trim().trim_end_matches('.');
            if trimmed.is_empty() || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            trimmed.parse::<u32>().ok().filter(|n| *n >= 1)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_numbers_as_typed() {
        assert_eq!(task_number(&CellValue::Number(3.0)), Some(3));
        assert_eq!(task_number(&CellValue::Text(" 12 ".into())), Some(12));
        assert_eq!(task_number(&CellValue::Text("01".into())), Some(1));
        assert_eq!(task_number(&CellValue::Text("7.".into())), Some(7));
        for bad in [
            CellValue::Number(0.0),
            CellValue::Number(1.5),
            CellValue::Text("I".into()),
            CellValue::Text("1a".into()),
            CellValue::Empty,
        ] {
            assert_eq!(task_number(&bad), None, "{bad:?}");
        }
    }
}
