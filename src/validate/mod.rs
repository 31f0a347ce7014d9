//! Stage 2, validate: turn each workbook into a checked submission or a list of messages,
//! then check the submissions against each other (duplicates, totals, missing units).

pub mod cells;
pub mod claims;
pub mod cross;
pub mod form_a;
pub mod info;
pub mod intake;
pub mod message;
pub mod record;
pub mod sheets;

pub use intake::{intake, Intake};
pub use message::{Location, Message, Severity};
pub use record::{RecordStatus, SubmissionRecord};
