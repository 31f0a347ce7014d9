//! Stage 4, render: the documents. Each document is first built as structured text or laid
//! out in the one document model (`document`), then written by a format toolkit: `docx` (with
//! the look of the reference document) and the XLSX writers. So wording, layout, figures and
//! file format are tested separately.
//!
//! - `report/`: the monthly report (text model, wording, targets section, layout);
//! - `plan/`: the plan's annex and progress report layouts, and the annex columns;
//! - `letterhead`: the header and closing blocks every document shares;
//! - `document/`: the document model; `docx/`: the DOCX exporter;
//! - `companion_xlsx`, `annex_xlsx`, `targets_xlsx`, `xlsx_list`: the workbooks;
//! - `pdf`: conversion through LibreOffice.

pub mod annex_xlsx;
pub mod companion_xlsx;
pub mod document;
pub mod docx;
pub mod letterhead;
pub mod pdf;
pub mod plan;
pub mod report;
pub mod targets_xlsx;
pub mod xlsx_list;

pub use report::{build_report, Block, Inline, ReportDocument, Wording};
