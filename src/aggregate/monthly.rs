//! The monthly figures: per-unit documents with their shares of the department's totals,
//! dossier totals and the solved rate, documents advised, overdue dossiers and lateness.

use anyhow::{Context, Result};
use chrono::Duration;
use polars::prelude::{Column, DataFrame, DataType, IntoColumn};

use super::submissions::{submission_rates, SubmissionRates};
use crate::config::Config;
use crate::model::{AdvisedDocument, MonthlySubmission, OverdueDossier, Reporter, StandardFigures};
use crate::text::fold_key;
use crate::validate::Intake;
use crate::vn::Period;

/// One configured unit's line of the report.
#[derive(Debug, Clone)]
pub struct UnitRow {
    /// Index in report order.
    pub index: usize,
    pub code: String,
    pub name: String,
    /// What the unit's figures are: only `Reported` ones are printed and summed.
    pub status: UnitStatus,
    pub figures: StandardFigures,
    /// Share of the department's documents received, in tenths of a percent.
    pub received_share: Option<u64>,
    /// Share of the department's documents issued, in tenths of a percent.
    pub issued_share: Option<u64>,
}

/// Whether a unit's figures are in the totals, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitStatus {
    /// Figures accepted and summed.
    Reported,
    /// The report came in, its text is used, its figures are withheld for an error.
    FiguresWithheld,
    /// The report came in but was rejected whole (who or which month could not be read).
    Rejected,
    /// Nothing came in.
    NotSubmitted,
}

impl UnitStatus {
    /// True when the unit's figures are printed and summed.
    pub fn has_figures(self) -> bool {
        self == UnitStatus::Reported
    }
}

/// What the units' shares are shares of. A share printed against another base than the
/// department's own total must say so (issue 13): the renderers read this, never guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareBase {
    /// The department's own totals (`SO`'s `Số liệu`), as seed 000 prints them.
    Department,
    /// The sum of the units whose figures were accepted, because the department's totals are
    /// missing or withheld.
    UnitsWithFigures,
}

/// A document issued on a unit's advice, with who advised it.
#[derive(Debug, Clone)]
pub struct AdvisedEntry {
    pub document: AdvisedDocument,
    pub reporter: Reporter,
}

/// An overdue dossier with how late it was.
#[derive(Debug, Clone)]
pub struct OverdueEntry {
    pub dossier: OverdueDossier,
    pub reporter: Reporter,
    pub lateness: Duration,
}

/// Everything the renderers print.
#[derive(Debug, Clone)]
pub struct MonthlyAggregate {
    pub period: Period,
    pub units: Vec<UnitRow>,
    /// The totals shares are computed against: the department's own (`SO`) when its figures
    /// were accepted, else the sum of the units with figures (see `share_base`).
    pub totals: StandardFigures,
    /// What `totals` are, so every sentence and sheet that prints a share can name its base.
    pub share_base: ShareBase,
    /// True when the department sent a report but its figures were withheld for an error.
    pub department_withheld: bool,
    pub unit_sums: StandardFigures,
    /// Dossiers solved over dossiers received, tenths of a percent.
    pub solved_rate: Option<u64>,
    /// Dossiers received in the period itself (received minus carried over).
    pub received_in_period: u64,
    /// Distinct documents advised across all units, in date order.
    pub advised: Vec<AdvisedEntry>,
    /// Distinct overdue dossiers across all submissions, in deadline order.
    pub overdue: Vec<OverdueEntry>,
    /// Reporting and on-time rates of the units.
    pub submissions: SubmissionRates,
    /// The same figures in earlier periods, when the history store has them.
    pub comparison: Option<super::comparison::Comparison>,
}

impl MonthlyAggregate {
    /// The overdue count the report states: the department's figure, or the units' when
    /// the department did not report; never fewer than the dossiers actually listed.
    pub fn overdue_count(&self) -> u64 {
        self.totals.tthc_qua_han.max(self.overdue.len() as u64)
    }
}

const FIGURE_COLUMNS: [&str; 8] = [
    "vb_den",
    "vb_di",
    "vb_cham",
    "tthc_tiep_nhan",
    "tthc_ky_truoc",
    "tthc_da_gq",
    "tthc_dang_gq",
    "tthc_qua_han",
];

/// Computes the month's figures from the accepted submissions.
pub fn aggregate(intake: &Intake, config: &Config) -> Result<MonthlyAggregate> {
    let units: Vec<(usize, StandardFigures)> = intake
        .submissions
        .iter()
        .filter_map(|s| match (s.reporter, s.figures) {
            (Reporter::Unit(i), Some(figures)) => Some((i, figures)),
            _ => None,
        })
        .collect();
    let frame = figures_frame(&units)?;
    let unit_sums = column_sums(&frame)?;
    let department = intake.department();
    let department_figures = department.and_then(|d| d.figures);
    let totals = department_figures.unwrap_or(unit_sums);
    let share_base = if department_figures.is_some() {
        ShareBase::Department
    } else {
        ShareBase::UnitsWithFigures
    };

    let indices = u64_column(&frame, "unit")?;
    let received = shares(&frame, "vb_den", totals.vb_den)?;
    let issued = shares(&frame, "vb_di", totals.vb_di)?;

    let rows = config
        .units
        .iter()
        .enumerate()
        .map(|(index, unit)| {
            let position = indices.iter().position(|i| *i == Some(index as u64));
            let submission = intake.unit(index);
            let status = match submission {
                Some(s) if s.figures.is_some() => UnitStatus::Reported,
                Some(_) => UnitStatus::FiguresWithheld,
                None if intake.rejected_units.contains(&index) => UnitStatus::Rejected,
                None => UnitStatus::NotSubmitted,
            };
            UnitRow {
                index,
                code: unit.code.clone(),
                name: unit.name.clone(),
                status,
                figures: submission.and_then(|s| s.figures).unwrap_or_default(),
                received_share: position.and_then(|p| received[p]),
                issued_share: position.and_then(|p| issued[p]),
            }
        })
        .collect();

    Ok(MonthlyAggregate {
        period: intake.period,
        units: rows,
        totals,
        share_base,
        department_withheld: department.is_some() && department_figures.is_none(),
        unit_sums,
        solved_rate: crate::vn::number::share_tenths(totals.tthc_da_gq, totals.tthc_tiep_nhan),
        received_in_period: totals.tthc_tiep_nhan.saturating_sub(totals.tthc_ky_truoc),
        advised: distinct_advised(&intake.submissions),
        submissions: submission_rates(intake, config),
        comparison: None,
        overdue: distinct_overdue(&intake.submissions),
    })
}

/// One row per unit with accepted figures, one column per standard figure.
fn figures_frame(units: &[(usize, StandardFigures)]) -> Result<DataFrame> {
    let mut columns: Vec<Column> = Vec::with_capacity(FIGURE_COLUMNS.len() + 1);
    let unit_index: Vec<u64> = units.iter().map(|(i, _)| *i as u64).collect();
    columns.push(Column::new("unit".into(), unit_index));
    for (name, (code, _)) in FIGURE_COLUMNS.iter().zip(crate::model::STANDARD_CODES) {
        let values: Vec<i64> = units
            .iter()
            .map(|(_, f)| f.get(code).unwrap_or(0) as i64)
            .collect();
        columns.push(Column::new((*name).into(), values));
    }
    DataFrame::new_infer_height(columns).context("dựng bảng số liệu")
}

/// Each row's share of `whole` in tenths of a percent, rounded half away from zero with
/// integer arithmetic: `(part × 2000 + whole) ÷ (2 × whole)`, floored (the figures are never
/// negative, so polars' truncating integer division floors). Null when the whole is zero.
fn shares(frame: &DataFrame, column: &str, whole: u64) -> Result<Vec<Option<u64>>> {
    if whole == 0 {
        return Ok(vec![None; frame.height()]);
    }
    let whole = whole as i64;
    let part = frame
        .column(column)
        .with_context(|| format!("thiếu cột {column}"))?
        .as_materialized_series();
    let share = (part * 2000i64 + whole) / (2 * whole);
    i64_values(&share.into_column(), column)
}

fn column_sums(frame: &DataFrame) -> Result<StandardFigures> {
    let mut figures = StandardFigures::default();
    for (name, (code, _)) in FIGURE_COLUMNS.iter().zip(crate::model::STANDARD_CODES) {
        let sum: i64 = frame
            .column(name)
            .with_context(|| format!("thiếu cột {name}"))?
            .as_materialized_series()
            .sum()
            .context("cộng số liệu các đơn vị")?;
        figures.set(code, u64::try_from(sum).unwrap_or(0));
    }
    Ok(figures)
}

fn u64_column(frame: &DataFrame, name: &str) -> Result<Vec<Option<u64>>> {
    let column = frame
        .column(name)
        .with_context(|| format!("thiếu cột {name}"))?;
    i64_values(column, name)
}

fn i64_values(column: &Column, name: &str) -> Result<Vec<Option<u64>>> {
    let column = column
        .cast(&DataType::Int64)
        .with_context(|| format!("cột {name}"))?;
    let values = column.i64().with_context(|| format!("cột {name}"))?;
    Ok(values
        .into_iter()
        .map(|x| x.and_then(|x| u64::try_from(x).ok()))
        .collect())
}

/// Documents are counted once even when two units both list them (same number, any spelling).
fn distinct_advised(submissions: &[MonthlySubmission]) -> Vec<AdvisedEntry> {
    let mut seen = std::collections::HashSet::new();
    let mut entries: Vec<AdvisedEntry> = Vec::new();
    for submission in submissions {
        for document in &submission.advised {
            if seen.insert(fold_key(&document.number)) {
                entries.push(AdvisedEntry {
                    document: document.clone(),
                    reporter: submission.reporter,
                });
            }
        }
    }
    entries.sort_by(|a, b| {
        (
            a.document.issued_on.is_none(),
            a.document.issued_on,
            &a.document.number,
        )
            .cmp(&(
                b.document.issued_on.is_none(),
                b.document.issued_on,
                &b.document.number,
            ))
    });
    entries
}

fn distinct_overdue(submissions: &[MonthlySubmission]) -> Vec<OverdueEntry> {
    let mut seen = std::collections::HashSet::new();
    let mut entries = Vec::new();
    // Units first, so a dossier listed by both a unit and the department is credited to the unit.
    let ordered = submissions
        .iter()
        .filter(|s| s.reporter != Reporter::Department)
        .chain(
            submissions
                .iter()
                .filter(|s| s.reporter == Reporter::Department),
        );
    for submission in ordered {
        for dossier in submission.overdue.iter().flatten() {
            if seen.insert(fold_key(&dossier.code)) {
                entries.push(OverdueEntry {
                    lateness: dossier.result - dossier.deadline,
                    dossier: dossier.clone(),
                    reporter: submission.reporter,
                });
            }
        }
    }
    entries.sort_by(|a, b| {
        (a.dossier.deadline, &a.dossier.code).cmp(&(b.dossier.deadline, &b.dossier.code))
    });
    entries
}
