//! The plan's documents: the assignment annex (its columns shared with the XLSX annex) and the
//! progress report, laid out for the DOCX exporter.

pub mod annex;
pub mod columns;
pub mod progress;

pub use annex::annex_layout;
pub use progress::progress_layout;
