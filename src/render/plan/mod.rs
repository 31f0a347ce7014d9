//! The plan's documents: the assignment annex as DOCX layout and as XLSX (sharing their
//! columns), and the progress report laid out for the DOCX exporter.

pub mod annex;
pub mod annex_xlsx;
pub mod columns;
pub mod progress;

pub use annex::annex_layout;
pub use progress::progress_layout;
