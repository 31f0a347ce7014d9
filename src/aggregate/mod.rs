//! Stage 3, aggregate: the figures the report prints, computed once (with polars) from the
//! accepted submissions, so the DOCX and the XLSX can never disagree.

pub mod comparison;
pub mod monthly;
pub mod over_time;
pub mod submissions;

pub use monthly::{
    aggregate, AdvisedEntry, MonthlyAggregate, OverdueEntry, ShareBase, UnitRow, UnitStatus,
};
pub use submissions::{submission_rates, SubmissionRates};
