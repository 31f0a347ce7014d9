//! baocao: the monthly report of a Sở GDĐT from the workbooks its units submit.
//!
//! The pipeline's stages are modules: [`ingest`] → [`validate`] → [`aggregate`] →
//! [`render`] → [`deliver`]; [`app`] wires them into commands, [`config`] holds the
//! organisation, [`vn`] the Vietnamese conventions for numbers and dates.

pub mod aggregate;
pub mod app;
pub mod child;
pub mod cli;
pub mod config;
pub mod deliver;
pub mod forms;
pub mod history;
pub mod ingest;
pub mod logging;
pub mod model;
pub mod plan;
pub mod render;
pub mod schools;
pub mod text;
pub mod validate;
pub mod vn;
