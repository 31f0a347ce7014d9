//! Progress on a plan for a period: each task's latest status, which tasks are overdue or
//! due this month or next, counts per lead unit, and the lead units that sent nothing.
//!
//! The rules, in one place so that documents and workbooks agree:
//! - a task's status is that of its most recent report up to the period; when several lead
//!   units report on it in that month, the least advanced status counts (a task is finished
//!   when every lead unit reporting on it says so);
//! - a task not finished is overdue when its end month is before the period, due this month
//!   when it ends in the period, due next month when it ends in the month after (December's
//!   next month is January of the next year); a task that never got a report is not finished;
//! - a lead unit is expected to report when it leads a task that has started (or has no start
//!   month) and is not finished; expected units without a report for the period are listed.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::model::Plan;
use super::units::{UnitGroups, UnitKey};
use crate::config::UnitDirectory;
use crate::text::fold::fold_key;
use crate::vn::Period;

/// The four statuses of FORMS.md, Form C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskStatus {
    NotStarted,
    Paused,
    InProgress,
    Done,
}

impl TaskStatus {
    /// In the order documents list them.
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Done,
        TaskStatus::InProgress,
        TaskStatus::NotStarted,
        TaskStatus::Paused,
    ];

    /// The status as Form C and the documents write it.
    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Done => "Hoàn thành",
            TaskStatus::InProgress => "Đang thực hiện",
            TaskStatus::NotStarted => "Chưa thực hiện",
            TaskStatus::Paused => "Tạm dừng",
        }
    }

    /// Reads a status as units type it, with or without diacritics, accepting the obvious
    /// variants (`Đã hoàn thành`, `Đang triển khai`, `Chưa triển khai`, `Tạm ngừng`).
    pub fn parse(text: &str) -> Option<Self> {
        match fold_key(text).as_str() {
            "hoanthanh" | "dahoanthanh" | "xong" | "dathuchienxong" => Some(TaskStatus::Done),
            "dangthuchien" | "dangtrienkhai" | "danglam" | "dangtienhanh" => {
                Some(TaskStatus::InProgress)
            }
            "chuathuchien" | "chuatrienkhai" | "chuabatdau" => Some(TaskStatus::NotStarted),
            "tamdung" | "tamngung" | "dung" | "tamhoan" => Some(TaskStatus::Paused),
            _ => None,
        }
    }
}

/// One row of a progress report.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressEntry {
    /// The task's `TT` in the plan.
    pub task: u32,
    pub status: TaskStatus,
    /// Percent done, 0–100.
    pub percent: Option<f64>,
    pub evidence: String,
    pub note: String,
}

/// One unit's progress report (Form C) on one plan for one month, as accepted.
#[derive(Debug, Clone)]
pub struct ProgressReport {
    pub source: String,
    /// Index of the plan in the list the report was read against.
    pub plan: usize,
    pub reporter: UnitKey,
    pub reporter_label: String,
    pub period: Period,
    pub prepared_on: Option<NaiveDate>,
    pub entries: Vec<ProgressEntry>,
}

/// Where a task stands against its end month in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    Done,
    /// Ends before the period and is not finished.
    Overdue,
    DueThisMonth,
    DueNextMonth,
    /// Ends later, or has no end month.
    Later,
}

impl Timing {
    /// How the status sheet names it.
    pub fn label(self) -> &'static str {
        match self {
            Timing::Done => "Đã hoàn thành",
            Timing::Overdue => "Quá hạn",
            Timing::DueThisMonth => "Đến hạn trong tháng",
            Timing::DueNextMonth => "Đến hạn tháng sau",
            Timing::Later => "",
        }
    }
}

/// Where a task with this end month stands in `period`.
pub fn timing(end: Option<Period>, done: bool, period: Period) -> Timing {
    if done {
        return Timing::Done;
    }
    match end {
        Some(end) if end < period => Timing::Overdue,
        Some(end) if end == period => Timing::DueThisMonth,
        Some(end) if end == period.next() => Timing::DueNextMonth,
        _ => Timing::Later,
    }
}

/// One task's standing.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskProgress {
    /// `None` when no lead unit has reported on it yet.
    pub status: Option<TaskStatus>,
    pub percent: Option<f64>,
    pub evidence: String,
    /// The month of the report the status comes from.
    pub reported_in: Option<Period>,
    pub timing: Timing,
}

/// One lead unit's tasks by status.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitProgress {
    pub key: UnitKey,
    pub label: String,
    /// Tasks it leads.
    pub led: usize,
    /// Counts in the order of [`TaskStatus::ALL`], from the unit's own latest reports.
    pub by_status: [usize; 4],
    /// Tasks it leads on which it never reported.
    pub unreported: usize,
    /// Tasks it leads that are overdue.
    pub overdue: usize,
    /// Whether it sent a report for the period itself.
    pub reported_this_period: bool,
}

/// A plan's progress for a period.
#[derive(Debug, Clone)]
pub struct PlanProgress {
    pub period: Period,
    /// Parallel to the plan's tasks.
    pub tasks: Vec<TaskProgress>,
    pub units: Vec<UnitProgress>,
    /// Lead units expected to report for the period that sent nothing, in group order.
    pub silent_units: Vec<String>,
    /// Reports for the period itself.
    pub reports_this_period: usize,
}

impl PlanProgress {
    /// Tasks by status, in the order of [`TaskStatus::ALL`], and tasks never reported on.
    pub fn status_counts(&self) -> ([usize; 4], usize) {
        let mut counts = [0; 4];
        let mut unreported = 0;
        for task in &self.tasks {
            match task.status {
                Some(status) => counts[status_index(status)] += 1,
                None => unreported += 1,
            }
        }
        (counts, unreported)
    }

    /// Indices of the tasks with a given timing.
    pub fn with_timing(&self, wanted: Timing) -> Vec<usize> {
        (0..self.tasks.len())
            .filter(|&i| self.tasks[i].timing == wanted)
            .collect()
    }
}

/// Position of a status in [`TaskStatus::ALL`].
pub fn status_index(status: TaskStatus) -> usize {
    TaskStatus::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or(0)
}

/// Computes a plan's progress for `period` from the accepted reports on it (any month; those
/// after the period are ignored).
pub fn compute(
    plan: &Plan,
    reports: &[&ProgressReport],
    period: Period,
    directory: &UnitDirectory,
) -> PlanProgress {
    let mut usable: Vec<&ProgressReport> = reports
        .iter()
        .copied()
        .filter(|r| r.period <= period)
        .collect();
    // Later months, then later preparation dates, override earlier ones.
    usable.sort_by_key(|r| (r.period, r.prepared_on));
    let mut latest: HashMap<(u32, UnitKey), (Period, &super::progress::ProgressEntry)> =
        HashMap::new();
    for report in &usable {
        for entry in &report.entries {
            latest.insert(
                (entry.task, report.reporter.clone()),
                (report.period, entry),
            );
        }
    }

    let tasks: Vec<TaskProgress> = plan
        .tasks
        .iter()
        .map(|task| {
            let mut best: Option<(Period, &ProgressEntry)> = None;
            for lead in &task.leads {
                let Some(&(month, entry)) = latest.get(&(task.number, lead.key())) else {
                    continue;
                };
                best = match best {
                    None => Some((month, entry)),
                    Some((m, e)) if month > m || (month == m && entry.status < e.status) => {
                        Some((month, entry))
                    }
                    keep => keep,
                };
            }
            let status = best.map(|(_, e)| e.status);
            TaskProgress {
                status,
                percent: best.and_then(|(_, e)| e.percent),
                evidence: best.map(|(_, e)| e.evidence.clone()).unwrap_or_default(),
                reported_in: best.map(|(m, _)| m),
                timing: timing(task.end, status == Some(TaskStatus::Done), period),
            }
        })
        .collect();

    let mut groups = UnitGroups::default();
    for task in &plan.tasks {
        for lead in &task.leads {
            groups.add(lead, directory);
        }
    }
    let reported_now: Vec<&UnitKey> = usable
        .iter()
        .filter(|r| r.period == period)
        .map(|r| &r.reporter)
        .collect();
    let mut units = Vec::new();
    let mut silent_units = Vec::new();
    for (key, label) in groups.ordered() {
        let mut unit = UnitProgress {
            key: key.clone(),
            label: label.clone(),
            led: 0,
            by_status: [0; 4],
            unreported: 0,
            overdue: 0,
            reported_this_period: reported_now.contains(&&key),
        };
        let mut expected = false;
        for (task, standing) in plan.tasks.iter().zip(&tasks) {
            if !task.is_led_by(&key) {
                continue;
            }
            unit.led += 1;
            match latest.get(&(task.number, key.clone())) {
                Some((_, entry)) => unit.by_status[status_index(entry.status)] += 1,
                None => unit.unreported += 1,
            }
            if standing.timing == Timing::Overdue {
                unit.overdue += 1;
            }
            let started = task.start.is_none_or(|s| s <= period);
            if started && standing.timing != Timing::Done {
                expected = true;
            }
        }
        if expected && !unit.reported_this_period {
            silent_units.push(label);
        }
        units.push(unit);
    }
    PlanProgress {
        period,
        tasks,
        units,
        silent_units,
        reports_this_period: reported_now.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, BUILTIN_CONFIG};
    use crate::plan::model::{PlanInfo, PlanTask};
    use crate::plan::units::parse_unit_list;

    fn p(year: i32, month: u32) -> Period {
        Period::new(year, month).expect("valid")
    }

    #[test]
    fn timing_at_month_and_year_boundaries() {
        // December: next month is January of the next year.
        let december = p(2025, 12);
        assert_eq!(timing(Some(p(2025, 11)), false, december), Timing::Overdue);
        assert_eq!(
            timing(Some(p(2025, 12)), false, december),
            Timing::DueThisMonth
        );
        assert_eq!(
            timing(Some(p(2026, 1)), false, december),
            Timing::DueNextMonth
        );
        assert_eq!(timing(Some(p(2026, 2)), false, december), Timing::Later);
        // January: December of the previous year is overdue, not "later".
        let january = p(2026, 1);
        assert_eq!(timing(Some(p(2025, 12)), false, january), Timing::Overdue);
        assert_eq!(
            timing(Some(p(2026, 1)), false, january),
            Timing::DueThisMonth
        );
        assert_eq!(
            timing(Some(p(2026, 2)), false, january),
            Timing::DueNextMonth
        );
        assert_eq!(timing(Some(p(2024, 12)), false, january), Timing::Overdue);
        // Within a year.
        let november = p(2025, 11);
        assert_eq!(timing(Some(p(2025, 10)), false, november), Timing::Overdue);
        assert_eq!(
            timing(Some(p(2025, 12)), false, november),
            Timing::DueNextMonth
        );
        // Finished tasks and tasks without an end month are never overdue.
        assert_eq!(timing(Some(p(2020, 1)), true, november), Timing::Done);
        assert_eq!(timing(None, false, november), Timing::Later);
    }

    #[test]
    fn statuses_parse_with_variants() {
        assert_eq!(TaskStatus::parse("Hoàn thành"), Some(TaskStatus::Done));
        assert_eq!(TaskStatus::parse("DA HOAN THANH"), Some(TaskStatus::Done));
        assert_eq!(
            TaskStatus::parse("đang thực hiện"),
            Some(TaskStatus::InProgress)
        );
        assert_eq!(
            TaskStatus::parse("Chưa triển khai"),
            Some(TaskStatus::NotStarted)
        );
        assert_eq!(TaskStatus::parse("Tạm ngừng"), Some(TaskStatus::Paused));
        assert_eq!(TaskStatus::parse("Gần xong"), None);
    }

    fn fixture() -> (Plan, UnitDirectory) {
        let directory = Config::from_toml(BUILTIN_CONFIG)
            .expect("config")
            .directory();
        let task =
            |number: u32, leads: &str, start: Option<Period>, end: Option<Period>| PlanTask {
                number,
                section: None,
                content: format!("Việc {number}"),
                leads: parse_unit_list(leads, &directory),
                partners_text: String::new(),
                partners: Vec::new(),
                result: String::new(),
                time_text: String::new(),
                start_text: String::new(),
                start,
                end_text: String::new(),
                end,
                note: String::new(),
                cell: String::new(),
            };
        let plan = Plan {
            source: "KH.xlsx".into(),
            info: PlanInfo::default(),
            sections: Vec::new(),
            tasks: vec![
                task(1, "Văn phòng", Some(p(2025, 9)), Some(p(2025, 10))),
                task(
                    2,
                    "Văn phòng; Phòng Nội vụ",
                    Some(p(2025, 9)),
                    Some(p(2025, 11)),
                ),
                task(3, "Phòng Nội vụ", Some(p(2025, 11)), Some(p(2025, 12))),
                task(4, "Phòng KHTC", Some(p(2026, 3)), Some(p(2026, 5))),
                task(5, "Phòng Nội vụ", None, None),
            ],
        };
        (plan, directory)
    }

    fn report(reporter: UnitKey, period: Period, entries: &[(u32, TaskStatus)]) -> ProgressReport {
        ProgressReport {
            source: "C.xlsx".into(),
            plan: 0,
            reporter,
            reporter_label: String::new(),
            period,
            prepared_on: None,
            entries: entries
                .iter()
                .map(|&(task, status)| ProgressEntry {
                    task,
                    status,
                    percent: None,
                    evidence: String::new(),
                    note: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn latest_status_overdue_due_and_silent_units() {
        let (plan, directory) = fixture();
        let office = UnitKey::Configured(6);
        let interior = UnitKey::Named("noivu".into());
        let october = report(
            office.clone(),
            p(2025, 10),
            &[(1, TaskStatus::InProgress), (2, TaskStatus::Done)],
        );
        let november = report(office.clone(), p(2025, 11), &[(1, TaskStatus::Done)]);
        let interior_nov = report(
            interior.clone(),
            p(2025, 11),
            &[(2, TaskStatus::InProgress)],
        );
        let december = report(office.clone(), p(2025, 12), &[(2, TaskStatus::NotStarted)]);
        let reports = [&october, &november, &interior_nov, &december];
        let progress = compute(&plan, &reports, p(2025, 11), &directory);

        // Task 1: the November report (Done) overrides October's.
        assert_eq!(progress.tasks[0].status, Some(TaskStatus::Done));
        assert_eq!(progress.tasks[0].timing, Timing::Done);
        // Task 2: the office said Done in October, the interior office In progress in
        // November: the most recent report counts; December's report is after the period.
        assert_eq!(progress.tasks[1].status, Some(TaskStatus::InProgress));
        assert_eq!(progress.tasks[1].reported_in, Some(p(2025, 11)));
        assert_eq!(progress.tasks[1].timing, Timing::DueThisMonth);
        // Task 3 ends in December: due next month; never reported.
        assert_eq!(progress.tasks[2].status, None);
        assert_eq!(progress.tasks[2].timing, Timing::DueNextMonth);
        assert_eq!(progress.with_timing(Timing::Overdue), Vec::<usize>::new());

        let (counts, unreported) = progress.status_counts();
        assert_eq!(counts, [1, 1, 0, 0]);
        assert_eq!(unreported, 3);

        let labels: Vec<&str> = progress.units.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Phòng Kế hoạch tài chính", "Văn phòng", "Phòng Nội vụ"]
        );
        let office_row = &progress.units[1];
        assert_eq!(office_row.led, 2);
        assert_eq!(
            office_row.by_status,
            [2, 0, 0, 0],
            "its own latest: 1 Done, 2 Done"
        );
        // KHTC's task starts in 2026: not expected to report yet.
        assert!(
            progress.silent_units.is_empty(),
            "{:?}",
            progress.silent_units
        );

        // In January 2026 task 3 (ended December) is overdue and everybody owes a report.
        let january = compute(&plan, &reports, p(2026, 1), &directory);
        assert_eq!(january.tasks[2].timing, Timing::Overdue);
        assert_eq!(
            january.tasks[1].status,
            Some(TaskStatus::NotStarted),
            "December report"
        );
        assert_eq!(january.tasks[1].timing, Timing::Overdue);
        assert_eq!(january.units[2].overdue, 2);
        assert_eq!(january.silent_units, ["Văn phòng", "Phòng Nội vụ"]);
    }

    #[test]
    fn co_leads_reporting_the_same_month_give_the_least_advanced_status() {
        let (plan, directory) = fixture();
        let a = report(
            UnitKey::Configured(6),
            p(2025, 11),
            &[(2, TaskStatus::Done)],
        );
        let b = report(
            UnitKey::Named("noivu".into()),
            p(2025, 11),
            &[(2, TaskStatus::InProgress)],
        );
        let progress = compute(&plan, &[&a, &b], p(2025, 11), &directory);
        assert_eq!(progress.tasks[1].status, Some(TaskStatus::InProgress));
        let both_done = report(
            UnitKey::Named("noivu".into()),
            p(2025, 11),
            &[(2, TaskStatus::Done)],
        );
        let progress = compute(&plan, &[&a, &both_done], p(2025, 11), &directory);
        assert_eq!(progress.tasks[1].status, Some(TaskStatus::Done));
    }
}
