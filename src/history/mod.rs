//! The history store: each accepted period's normalised figures, one Parquet file per period
//! in `output/lich-su/`, so reports can compare with the previous month, the same month last
//! year and the year to date without anyone keeping last year's workbooks.

pub mod store;

pub use store::{
    list_periods, read_period, remove_temporaries, write_period, PeriodFigures, HISTORY_DIR,
};
