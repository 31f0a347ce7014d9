//! Stage 1, ingest: find the files in the input folder and read each workbook into a
//! neutral grid of cells, in parallel. Nothing here judges content; that is `validate`.

pub mod budget;
pub mod cell;
pub mod contain;
pub mod discover;
pub mod guard;
pub mod opened;
pub mod sniff;
pub mod table;
pub mod workbook;

pub use cell::CellValue;
pub use discover::{discover, list, InputFile};
pub use guard::Limits;
pub use table::{ColumnSpec, TableView};
pub use workbook::{read_guarded, read_workbook, ReadError, Sheet, Workbook};
