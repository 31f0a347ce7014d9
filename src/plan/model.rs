//! A plan as the pipeline holds it once read: what identifies it, its sections, and its
//! tasks with their lead and coordinating units and time frame.

use chrono::NaiveDate;

use super::units::{UnitKey, UnitName};
use crate::text::fold::{fold_key, fold_words};
use crate::vn::Period;

/// One assignment plan (Form B).
#[derive(Debug, Clone)]
pub struct Plan {
    /// The workbook it came from, as messages name it.
    pub source: String,
    pub info: PlanInfo,
    /// Section headings (`I. …`) in order; tasks point into this list.
    pub sections: Vec<Section>,
    /// Tasks in the order of the workbook.
    pub tasks: Vec<PlanTask>,
}

/// The `Thông tin` sheet of a plan.
#[derive(Debug, Clone, Default)]
pub struct PlanInfo {
    /// `Số, ký hiệu`, e.g. `354/KH-UBND`; may keep the number blank (`/KH-SGDĐT`) for a plan
    /// not yet numbered, as seed 001 does.
    pub number: String,
    pub issued_on: IssueDate,
    /// `Tên kế hoạch` (the summary line of the plan).
    pub name: String,
    /// `Cơ quan ban hành`.
    pub issuer: String,
    /// `Căn cứ`: the plan or decision this one carries out.
    pub basis: String,
    /// `Tiêu đề phụ lục`: the annex's own title; empty for `DANH MỤC CÁC NHIỆM VỤ`.
    pub annex_title: String,
}

/// `Ngày ban hành` as far as it is known: a plan is often drafted before its day is fixed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IssueDate {
    #[default]
    Unknown,
    /// Only the month is known (`01/2026`): the day is left blank for the clerk.
    Month(Period),
    Day(NaiveDate),
    /// Text that is neither (kept as written).
    Text(String),
}

/// A section heading (`I. Nâng cao chất lượng giáo dục …`), spanning the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
}

/// One task of the plan.
#[derive(Debug, Clone)]
pub struct PlanTask {
    /// `TT`, the task's number within the plan; progress reports refer to it.
    pub number: u32,
    /// Index into [`Plan::sections`].
    pub section: Option<usize>,
    pub content: String,
    pub leads: Vec<UnitName>,
    /// `Đơn vị phối hợp` as written (free text, line breaks kept).
    pub partners_text: String,
    /// The same split into names, for counting.
    pub partners: Vec<UnitName>,
    pub result: String,
    /// `Thời gian thực hiện` as written (`Thực hiện thường xuyên`, `Từ năm 2026`).
    pub time_text: String,
    /// `Bắt đầu` as written and as a month (the earliest month it names).
    pub start_text: String,
    pub start: Option<Period>,
    /// `Hoàn thành` as written and as a month (the latest month it names).
    pub end_text: String,
    pub end: Option<Period>,
    pub note: String,
    /// Where the task is in the workbook (`Nhiệm vụ › C7`), for messages.
    pub cell: String,
}

impl PlanTask {
    /// Whether the unit leads this task.
    pub fn is_led_by(&self, key: &UnitKey) -> bool {
        self.leads.iter().any(|lead| &lead.key() == key)
    }
}

/// Which time columns the annex shows, decided by what the plan fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeColumns {
    /// No time at all.
    None,
    /// One `Thời gian thực hiện` column of free text.
    Text,
    /// `Bắt đầu` | `Hoàn thành` (a task with only free text spans both).
    Months,
}

impl Plan {
    /// The annex title: the plan's own, or `DANH MỤC CÁC NHIỆM VỤ`.
    pub fn annex_title(&self) -> String {
        if self.info.annex_title.trim().is_empty() {
            "DANH MỤC CÁC NHIỆM VỤ".to_string()
        } else {
            self.info.annex_title.trim().to_uppercase()
        }
    }

    /// `Kế hoạch số 354/KH-UBND ngày 30/12/2025 của UBND thành phố`: how documents refer to
    /// the plan. A number left blank (`/KH-SGDĐT`) keeps room for the clerk.
    pub fn reference(&self) -> String {
        let mut text = String::from("Kế hoạch");
        let number = self.info.number.trim();
        if !number.is_empty() {
            text.push_str(" số ");
            if number.starts_with('/') {
                text.push_str("       ");
            }
            text.push_str(number);
        }
        match &self.info.issued_on {
            IssueDate::Unknown => {}
            IssueDate::Day(date) => {
                text.push_str(" ngày ");
                text.push_str(&crate::vn::date::format_date(*date));
            }
            IssueDate::Month(period) => {
                text.push_str(&format!(
                    " ngày      tháng {} năm {}",
                    crate::vn::date::format_month_for_date_line(period.month),
                    period.year
                ));
            }
            IssueDate::Text(written) => {
                text.push(' ');
                if !fold_words(written).starts_with("ngay") {
                    text.push_str("ngày ");
                }
                text.push_str(written);
            }
        }
        if !self.info.issuer.trim().is_empty() {
            text.push_str(" của ");
            text.push_str(self.info.issuer.trim());
        }
        text
    }

    /// `(Kèm theo Kế hoạch số … ngày … của …)`, the italic line under the annex title.
    pub fn attachment_line(&self) -> String {
        format!("(Kèm theo {})", self.reference())
    }

    /// The line under the title naming what the plan carries out, if known.
    pub fn basis_line(&self) -> Option<String> {
        let basis = self.info.basis.trim();
        if basis.is_empty() {
            return None;
        }
        let folded = fold_words(basis);
        let has_verb = ["thuc hien", "can cu", "trien khai", "theo"]
            .iter()
            .any(|v| folded.starts_with(v));
        Some(if has_verb {
            basis.to_string()
        } else {
            format!("Thực hiện {basis}")
        })
    }

    /// Which time columns the annex needs.
    pub fn time_columns(&self) -> TimeColumns {
        if self
            .tasks
            .iter()
            .any(|t| t.start.is_some() || t.end.is_some())
        {
            TimeColumns::Months
        } else if self.tasks.iter().any(|t| !t.time_text.is_empty()) {
            TimeColumns::Text
        } else {
            TimeColumns::None
        }
    }

    /// Whether any task has an expected result (the column is left out otherwise).
    pub fn has_results(&self) -> bool {
        self.tasks.iter().any(|t| !t.result.is_empty())
    }

    /// Whether any task has a note.
    pub fn has_notes(&self) -> bool {
        self.tasks.iter().any(|t| !t.note.is_empty())
    }

    /// The task with a given `TT`.
    pub fn task(&self, number: u32) -> Option<&PlanTask> {
        self.tasks.iter().find(|t| t.number == number)
    }

    /// Whether a progress report's `Kế hoạch` value names this plan: its number, its name,
    /// or either preceded by `Kế hoạch (số)`; case, diacritics and spacing aside.
    pub fn is_named_by(&self, typed: &str) -> bool {
        let words = fold_words(typed);
        let mut candidates = vec![fold_key(typed)];
        for prefix in ["ke hoach so ", "ke hoach ", "kh so ", "so "] {
            if let Some(rest) = words.strip_prefix(prefix) {
                candidates.push(rest.replace(' ', ""));
            }
        }
        let number = fold_key(&self.info.number);
        let name = fold_key(&self.info.name);
        let number_usable = number.chars().any(|c| c.is_ascii_digit());
        candidates
            .iter()
            .filter(|c| !c.is_empty())
            .any(|c| (number_usable && *c == number) || (!name.is_empty() && *c == name))
    }

    /// A short ASCII name for output files: from the plan's number when it has one, else
    /// from the workbook's file name.
    pub fn slug(&self) -> String {
        let number = &self.info.number;
        let base = if number.chars().any(|c| c.is_ascii_digit()) {
            number.clone()
        } else {
            std::path::Path::new(&self.source)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default()
        };
        let mut slug = String::new();
        for word in fold_words(&base).split(' ').filter(|w| !w.is_empty()) {
            if slug.len() + word.len() > 45 {
                break;
            }
            if !slug.is_empty() {
                slug.push('-');
            }
            slug.push_str(word);
        }
        if slug.is_empty() {
            "ke-hoach".to_string()
        } else {
            slug
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(number: &str, issued_on: IssueDate, issuer: &str, name: &str) -> Plan {
        Plan {
            source: "Kế hoạch năm học 2024-2025.xlsx".into(),
            info: PlanInfo {
                number: number.into(),
                issued_on,
                name: name.into(),
                issuer: issuer.into(),
                ..PlanInfo::default()
            },
            sections: Vec::new(),
            tasks: Vec::new(),
        }
    }

    #[test]
    fn references_read_like_the_seeds() {
        let p = plan(
            "354/KH-UBND",
            IssueDate::Day(NaiveDate::from_ymd_opt(2025, 12, 30).expect("date")),
            "UBND thành phố",
            "",
        );
        assert_eq!(
            p.attachment_line(),
            "(Kèm theo Kế hoạch số 354/KH-UBND ngày 30/12/2025 của UBND thành phố)"
        );
        let draft = plan(
            "/KH-SGDĐT",
            IssueDate::Month(Period::new(2026, 1).expect("period")),
            "Sở GD&ĐT",
            "x",
        );
        assert_eq!(
            draft.reference(),
            "Kế hoạch số        /KH-SGDĐT ngày      tháng 01 năm 2026 của Sở GD&ĐT"
        );
        assert_eq!(draft.slug(), "ke-hoach-nam-hoc-2024-2025");
        assert_eq!(p.slug(), "354-kh-ubnd");
    }

    #[test]
    fn progress_reports_name_a_plan_by_number_or_name() {
        let p = plan(
            "354/KH-UBND",
            IssueDate::Unknown,
            "",
            "Kế hoạch năm học 2024-2025",
        );
        assert!(p.is_named_by("354/KH-UBND"));
        assert!(p.is_named_by("Kế hoạch số 354/KH-UBND"));
        assert!(p.is_named_by("354 KH UBND"));
        assert!(p.is_named_by("ke hoach nam hoc 2024-2025"));
        assert!(!p.is_named_by("355/KH-UBND"));
        let blank = plan(
            "/KH-UBND",
            IssueDate::Unknown,
            "",
            "Triển khai công tác năm học",
        );
        assert!(
            !blank.is_named_by("/KH-UBND"),
            "a number without digits names nothing"
        );
        assert!(blank.is_named_by("Kế hoạch Triển khai công tác năm học"));
    }
}
