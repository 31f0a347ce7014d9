//! Text helpers shared by every stage: matching keys that ignore how people type.

pub mod escape;
pub mod fold;
pub mod legacy;
pub mod similarity;

pub use escape::{escape_controls, escaped};
pub use fold::{fold_key, folds_to, nfc, same_key};
