//! How well the units report: the reporting rate (submitted ÷ expected) and the on-time rate
//! (on time ÷ expected), as DHIS2 reports them, with each late submission marked "nộp muộn".

use std::time::SystemTime;

use chrono::{DateTime, Local, NaiveDate};

use crate::config::Config;
use crate::model::{MonthlySubmission, Reporter};
use crate::validate::Intake;
use crate::vn::number::share_tenths;

/// The period's submission statistics over the configured units (the department excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionRates {
    pub expected: usize,
    /// Units that sent a report for the period, those with errors included.
    pub submitted: usize,
    /// Units whose report has an error ("có lỗi": rejected, or figures withheld), in report
    /// order; counted as submitted, never as "chưa nộp".
    pub with_errors: Vec<usize>,
    pub on_time: usize,
    /// Tenths of a percent.
    pub reporting_rate: Option<u64>,
    pub on_time_rate: Option<u64>,
    /// The deadline, when one is configured.
    pub deadline: Option<NaiveDate>,
    /// Unit indices whose accepted submission came after the deadline.
    pub late_units: Vec<usize>,
}

/// When a submission counts as received: its `Ngày lập` if given, else the day the file was
/// last modified (dropped into the folder).
pub fn received_on(submission: &MonthlySubmission) -> Option<NaiveDate> {
    submission
        .prepared_on
        .or_else(|| submission.source.modified.map(local_date))
}

fn local_date(time: SystemTime) -> NaiveDate {
    DateTime::<Local>::from(time).date_naive()
}

/// Computes the rates for the period.
pub fn submission_rates(intake: &Intake, config: &Config) -> SubmissionRates {
    let day = config.organisation.submission_deadline_day;
    let next = intake.period.next();
    let deadline = (day > 0)
        .then(|| NaiveDate::from_ymd_opt(next.year, next.month, day))
        .flatten();
    let expected = config.units.len();
    let with_errors = intake.units_with_errors();
    let mut accepted = 0;
    let mut late_units = Vec::new();
    for submission in &intake.submissions {
        let Reporter::Unit(index) = submission.reporter else {
            continue;
        };
        accepted += 1;
        if let (Some(deadline), Some(received)) = (deadline, received_on(submission)) {
            if received > deadline {
                late_units.push(index);
            }
        }
    }
    let on_time = accepted - late_units.len();
    let submitted = accepted + intake.rejected_units.len();
    SubmissionRates {
        expected,
        submitted,
        with_errors,
        on_time,
        reporting_rate: share_tenths(submitted as u64, expected as u64),
        on_time_rate: share_tenths(on_time as u64, expected as u64),
        deadline,
        late_units,
    }
}
