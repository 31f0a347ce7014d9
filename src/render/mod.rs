//! Stage 4, render: the documents. Each document is first built as structured text or laid
//! out in the one document model (`document`), then written by a format toolkit: `docx` (with
//! the look of the reference document) and the XLSX writers. So wording, layout, figures and
//! file format are tested separately.
//!
//! - `report/`: the monthly report (text model, wording, targets section, layout) and its
//!   workbooks (the figures, the school targets);
//! - `plan/`: the plan's annex (DOCX layout and XLSX) and progress report, and the columns
//!   both annexes share;
//! - `letterhead`: the header and closing blocks every document shares;
//! - `document/`: the document model; `docx/`: the DOCX exporter;
//! - `xlsx/`: the workbooks' formats in one place, and long lists without a format per cell;
//! - `pdf`: conversion through LibreOffice.

pub mod document;
pub mod docx;
pub mod letterhead;
pub mod pdf;
pub mod plan;
pub mod report;
pub mod xlsx;

pub use report::{build_report, Block, Inline, ReportDocument, Wording};
