//! A unit's monthly report (Form A) after validation: typed, complete, consistent.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::SystemTime;

use chrono::{NaiveDate, NaiveDateTime};

use crate::vn::Period;

/// Where a submission came from, for messages and for choosing between duplicates.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub path: PathBuf,
    /// The path relative to the input folder, as messages show it.
    pub display: String,
    pub modified: Option<SystemTime>,
}

/// Who reports: a configured unit (by report order) or the department as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Reporter {
    Unit(usize),
    Department,
}

/// The standard figures every Form A carries (FORMS.md), all whole numbers ≥ 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StandardFigures {
    pub vb_den: u64,
    pub vb_di: u64,
    pub vb_cham: u64,
    pub tthc_tiep_nhan: u64,
    pub tthc_ky_truoc: u64,
    pub tthc_da_gq: u64,
    pub tthc_dang_gq: u64,
    pub tthc_qua_han: u64,
}

impl StandardFigures {
    /// The figure of a standard code.
    pub fn get(&self, code: &str) -> Option<u64> {
        Some(match code {
            "VB_DEN" => self.vb_den,
            "VB_DI" => self.vb_di,
            "VB_CHAM" => self.vb_cham,
            "TTHC_TIEP_NHAN" => self.tthc_tiep_nhan,
            "TTHC_KY_TRUOC" => self.tthc_ky_truoc,
            "TTHC_DA_GQ" => self.tthc_da_gq,
            "TTHC_DANG_GQ" => self.tthc_dang_gq,
            "TTHC_QUA_HAN" => self.tthc_qua_han,
            _ => return None,
        })
    }

    /// Sets the figure of a standard code; false for a code that is not standard.
    pub fn set(&mut self, code: &str, value: u64) -> bool {
        let slot = match code {
            "VB_DEN" => &mut self.vb_den,
            "VB_DI" => &mut self.vb_di,
            "VB_CHAM" => &mut self.vb_cham,
            "TTHC_TIEP_NHAN" => &mut self.tthc_tiep_nhan,
            "TTHC_KY_TRUOC" => &mut self.tthc_ky_truoc,
            "TTHC_DA_GQ" => &mut self.tthc_da_gq,
            "TTHC_DANG_GQ" => &mut self.tthc_dang_gq,
            "TTHC_QUA_HAN" => &mut self.tthc_qua_han,
            _ => return false,
        };
        *slot = value;
        true
    }
}

/// A unit-specific figure (any non-standard code), reported with its label and measure.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraFigure {
    pub code: String,
    pub label: String,
    pub value: u64,
    pub measure: String,
    pub note: String,
}

/// A task line: done this month or planned for the next, optionally under a field heading.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskItem {
    pub field: String,
    pub content: String,
}

/// A free paragraph of the department's own text, with an optional footnote.
#[derive(Debug, Clone, PartialEq)]
pub struct FreeParagraph {
    pub content: String,
    pub footnote: String,
    /// Where the paragraph came from (`SO.xlsx › Đánh giá chung › B3`), for messages.
    pub location: String,
}

/// A document a higher authority issued on a unit's advice.
#[derive(Debug, Clone, PartialEq)]
pub struct AdvisedDocument {
    pub number: String,
    pub issued_on: Option<NaiveDate>,
    pub issuer: String,
    pub summary: String,
}

/// An overdue administrative-procedure dossier, with the times the report quotes.
#[derive(Debug, Clone, PartialEq)]
pub struct OverdueDossier {
    pub code: String,
    pub procedure: String,
    pub time_limit: String,
    pub received: Option<NaiveDateTime>,
    pub appointment: Option<NaiveDateTime>,
    pub deadline: NaiveDateTime,
    pub result: NaiveDateTime,
    pub returned: Option<NaiveDateTime>,
}

/// One accepted Form A workbook, possibly in part: a problem withholds only what it touches.
#[derive(Debug, Clone)]
pub struct MonthlySubmission {
    pub source: SourceInfo,
    pub reporter: Reporter,
    pub period: Period,
    pub prepared_by: String,
    pub prepared_on: Option<NaiveDate>,
    /// `None` when the figures are withheld: an error in `Số liệu` (or a workbook known only
    /// by its file name) means they cannot be trusted, but the unit's text is still used.
    pub figures: Option<StandardFigures>,
    /// Cell address of each standard figure, so cross-file messages can point at it.
    pub figure_cells: BTreeMap<String, String>,
    pub extra_figures: Vec<ExtraFigure>,
    pub results: Vec<TaskItem>,
    pub shortcomings: Vec<String>,
    pub next_tasks: Vec<TaskItem>,
    pub advised: Vec<AdvisedDocument>,
    /// `None` when the optional sheet is absent, `Some(rows)` when present (even empty).
    pub overdue: Option<Vec<OverdueDossier>>,
    pub assessment: Vec<FreeParagraph>,
    pub general_tasks: Vec<FreeParagraph>,
    /// Text sheets left out because they were missing or broken (canonical sheet names), so
    /// the report can say so in their place instead of going quiet.
    pub withheld_sheets: Vec<String>,
}

impl MonthlySubmission {
    /// True when the text of `sheet` (canonical name) was withheld.
    pub fn is_withheld(&self, sheet: &str) -> bool {
        self.withheld_sheets.iter().any(|s| s == sheet)
    }
}
