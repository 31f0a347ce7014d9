//! Form D, the school statistics workbook, and the targets (chỉ tiêu) judged from it: each
//! school's figures are read and checked, then every indicator is computed for every school,
//! ward, level, type and the whole city and judged against its target.
//!
//! Reading stays streaming: a school's workbook is dropped as soon as its figures are
//! extracted, so memory grows with the figures only, not with the files.

pub mod codes;
pub mod form_d;
pub mod indicators;
pub mod model;
pub mod registry;
pub mod setup;
pub mod targets;

pub use form_d::{is_form_d, parse_form_d, FormDOutcome};
pub use indicators::{
    compute_targets, prepare_targets, Figure, PreparedTargets, RemainingTargets, TargetResults,
    Verdict,
};
pub use model::{Level, Ownership, SchoolInfo, SchoolReport};
pub use registry::SchoolRegistry;
pub use setup::SchoolSetup;
pub use targets::{Direction, Indicator, Targets};
