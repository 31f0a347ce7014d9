//! Stage 4, render: the documents. The report is first built as plain blocks of text
//! (`report_model`), then written as DOCX (`report_docx`) and the figures as XLSX
//! (`companion_xlsx`), so wording, layout and figures are tested separately.

pub mod annex_docx;
pub mod annex_xlsx;
pub mod companion_xlsx;
pub mod docx_blocks;
pub mod docx_package;
pub mod docx_style;
pub mod docx_table;
pub mod pdf;
pub mod progress_docx;
pub mod report_docx;
pub mod report_model;
pub mod targets_section;
pub mod targets_xlsx;
pub mod tasks;
pub mod wording;
pub mod xlsx;

pub use report_model::{build_report, Block, Inline, ReportDocument};
pub use wording::Wording;
