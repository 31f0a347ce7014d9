//! Vietnamese conventions for numbers, dates, periods and durations, both ways: parsing what
//! people type into workbooks, and formatting what the documents print (DOCSTYLE.md).

pub mod date;
pub mod duration;
pub mod number;
pub mod period;

pub use period::Period;
