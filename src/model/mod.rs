//! The data that flows between stages: what a validated submission holds.

pub mod submission;

pub use submission::*;
