//! The commands, each wiring the stages together: ingest → validate → aggregate → render →
//! deliver. `main` only parses arguments and calls in here.

pub mod delivery;
pub mod exit;
pub mod forms;
pub mod help;
pub mod history;
pub mod man_page;
pub mod memory;
pub mod monthly;
pub mod plan;
pub mod progress;
pub mod send;
pub mod stdout;
pub mod summary;
pub mod usage;

pub use delivery::DeliveryOptions;
pub use exit::{Outcome, OutputBusy};
pub use monthly::{run_monthly, Mode, MonthlyOptions, MonthlyRun};
