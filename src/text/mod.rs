//! Text helpers shared by every stage: matching keys that ignore how people type.

pub mod fold;
pub mod legacy;
pub mod similarity;

pub use fold::{fold_key, nfc};
