//! The data that flows between stages: what a validated submission holds, and the standard
//! figure codes with how each adds up over months.

pub mod codes;
pub mod submission;

pub use codes::*;
pub use submission::*;
