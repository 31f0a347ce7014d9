//! The monthly report: built as structured text from the aggregate and the wording templates
//! (`model`, with the targets section and the task lists), then laid out as a document
//! (`layout`) for the DOCX exporter; its workbooks: the figures (`companion_xlsx`) and the
//! school targets (`targets_xlsx`).

pub mod blocks;
pub mod companion_xlsx;
pub mod layout;
pub mod model;
pub mod targets_section;
pub mod targets_xlsx;
pub mod tasks;
pub mod wording;

pub use blocks::{Block, Inline, ReportDocument};
pub use layout::report_layout;
pub use model::build_report;
pub use wording::Wording;
