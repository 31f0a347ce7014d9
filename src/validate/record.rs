//! What became of each input file: its status, its record for the summary, the XLSX and the
//! manifest, and which form it is. Kept out of `intake`, which fills the records, so that the
//! checks across submissions (`cross`), which intake runs, update them without importing
//! `intake` back (the cycle of issue 15).

use chrono::NaiveDate;
use serde::Serialize;

use crate::ingest::Workbook;
use crate::model::Reporter;
use crate::vn::Period;

/// What became of one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum RecordStatus {
    Accepted,
    /// Used in part: its figures are withheld for an error, its text is in the report.
    FiguresWithheld,
    Rejected,
    /// A later submission of the same unit replaced this one.
    Superseded {
        by: String,
    },
    OtherPeriod,
    NotAForm,
    NotRead,
    /// A form this run does not use (plan, progress): read by its own command.
    OtherForm,
}

impl RecordStatus {
    /// The status as the summary and the XLSX print it.
    pub fn label(&self) -> String {
        match self {
            RecordStatus::Accepted => "Chấp nhận".into(),
            RecordStatus::FiguresWithheld => {
                "Có lỗi: số liệu chưa tổng hợp, nội dung đã tổng hợp".into()
            }
            RecordStatus::Rejected => "Bị từ chối".into(),
            RecordStatus::Superseded { by } => format!("Thay bằng {by}"),
            RecordStatus::OtherPeriod => "Kỳ khác, bỏ qua".into(),
            RecordStatus::NotAForm => "Không phải biểu mẫu".into(),
            RecordStatus::NotRead => "Không đọc được".into(),
            RecordStatus::OtherForm => "Biểu mẫu khác".into(),
        }
    }
}

/// One input file and what became of it, for the summary, the XLSX and the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionRecord {
    pub file: String,
    pub reporter: Option<Reporter>,
    pub period: Option<Period>,
    pub prepared_on: Option<NaiveDate>,
    pub status: RecordStatus,
    pub errors: usize,
    pub warnings: usize,
    /// Which form the workbook is, when it could be read.
    pub form: Option<FormKind>,
    pub size: u64,
    /// SHA-256 of the bytes that were read, for the manifest.
    pub sha256: String,
    /// The school's code, for a school statistics workbook (Form D).
    pub school: Option<String>,
}

/// Which form a workbook is, decided by its sheets (FORMS.md), not its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FormKind {
    MonthlyReport,
    Plan,
    /// A plan written in Word (.docx, or .doc converted by LibreOffice).
    PlanDocument,
    Progress,
    /// Form D, a school's statistics.
    SchoolStatistics,
    Unknown,
}

impl FormKind {
    /// The form as the run log and the «Bài nộp» sheet name it.
    pub fn label(self) -> &'static str {
        match self {
            FormKind::MonthlyReport => "Báo cáo tháng (Biểu A)",
            FormKind::Plan => "Kế hoạch (Biểu B)",
            FormKind::PlanDocument => "Kế hoạch (văn bản Word)",
            FormKind::Progress => "Tiến độ kế hoạch (Biểu C)",
            FormKind::SchoolStatistics => "Số liệu trường (Biểu D)",
            FormKind::Unknown => "Không rõ biểu mẫu",
        }
    }

    /// Plans and progress reports: read for the annexes, never part of the monthly report
    /// or of its exit status.
    pub fn is_plan_form(self) -> bool {
        matches!(
            self,
            FormKind::Plan | FormKind::PlanDocument | FormKind::Progress
        )
    }

    /// Classifies a workbook by the sheets it holds.
    pub fn of(book: &Workbook) -> Self {
        if crate::schools::is_form_d(book) {
            FormKind::SchoolStatistics
        } else if book.sheet(super::form_a::sheets::FIGURES).is_some() {
            FormKind::MonthlyReport
        } else if book.sheet("Tiến độ").is_some() {
            FormKind::Progress
        } else if book.sheet("Nhiệm vụ").is_some() {
            FormKind::Plan
        } else if is_form_a(book) {
            FormKind::MonthlyReport
        } else {
            FormKind::Unknown
        }
    }
}

/// A Form A that lost `Số liệu` is still known by one of its own text sheets, so its text
/// is not lost with its figures.
fn is_form_a(book: &Workbook) -> bool {
    use super::form_a::sheets;
    [
        sheets::RESULTS,
        sheets::NEXT_TASKS,
        sheets::SHORTCOMINGS,
        sheets::ASSESSMENT,
        sheets::GENERAL_TASKS,
    ]
    .iter()
    .any(|name| book.sheet(name).is_some())
}
