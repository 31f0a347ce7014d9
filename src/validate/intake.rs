//! Reading every file of the input folder in parallel and sorting the results into
//! accepted submissions, rejected ones, and files that are not for this run.

use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use super::form_a::{parse_form_a, FormAOutcome};
use super::message::{Location, Message, Severity};
use crate::config::UnitDirectory;
use crate::ingest::discover::FileKind;
use crate::ingest::{read_guarded, InputFile, Limits, ReadError, Workbook};
use crate::model::{MonthlySubmission, Reporter, SourceInfo};
use crate::vn::Period;

/// What became of one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum RecordStatus {
    Accepted,
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
}

/// Everything validation produced for a period.
#[derive(Debug)]
pub struct Intake {
    pub period: Period,
    /// Accepted submissions, at most one per reporter.
    pub submissions: Vec<MonthlySubmission>,
    pub records: Vec<SubmissionRecord>,
    pub messages: Vec<Message>,
    /// Units (report order) that have no accepted submission.
    pub missing: Vec<usize>,
    /// Units whose only submissions were rejected (a subset of `missing`).
    pub rejected_units: Vec<usize>,
    /// Plan (Form B) and progress (Form C) workbooks, already read, for `app::plan`, so no
    /// workbook is read twice.
    pub other_forms: Vec<(String, Workbook)>,
}

impl Intake {
    /// The department's own submission (code `SO`), if accepted.
    pub fn department(&self) -> Option<&MonthlySubmission> {
        self.submissions
            .iter()
            .find(|s| s.reporter == Reporter::Department)
    }

    /// A unit's accepted submission.
    pub fn unit(&self, index: usize) -> Option<&MonthlySubmission> {
        self.submissions
            .iter()
            .find(|s| s.reporter == Reporter::Unit(index))
    }

    /// Number of workbooks rejected for errors, unreadable ones included.
    pub fn rejected_count(&self) -> usize {
        self.records
            .iter()
            .filter(|r| matches!(r.status, RecordStatus::Rejected | RecordStatus::NotRead))
            .count()
    }
}

struct FileResult {
    record: SubmissionRecord,
    submission: Option<MonthlySubmission>,
    messages: Vec<Message>,
    other_form: Option<Workbook>,
}

/// Reads and validates every file for `period`.
pub fn intake(
    files: &[InputFile],
    period: Period,
    directory: &UnitDirectory,
    limits: &Limits,
    input_label: &str,
    on_file_done: &(dyn Fn() + Sync),
) -> Intake {
    let results: Vec<FileResult> = files
        .par_iter()
        .map(|f| {
            let result = process_file(f, period, directory, limits);
            on_file_done();
            result
        })
        .collect();
    let mut records = Vec::new();
    let mut messages = Vec::new();
    let mut submissions = Vec::new();
    let mut other_forms = Vec::new();
    for result in results {
        if let Some(book) = result.other_form {
            other_forms.push((result.record.file.clone(), book));
        }
        records.push(result.record);
        messages.extend(result.messages);
        submissions.extend(result.submission);
    }
    let submissions = super::cross::settle_duplicates(submissions, &mut records, &mut messages);
    let missing: Vec<usize> = (0..directory.units().len())
        .filter(|&i| !submissions.iter().any(|s| s.reporter == Reporter::Unit(i)))
        .collect();
    let rejected_units: Vec<usize> = missing
        .iter()
        .copied()
        .filter(|&i| {
            records.iter().any(|r| {
                r.reporter == Some(Reporter::Unit(i)) && r.status == RecordStatus::Rejected
            })
        })
        .collect();
    super::cross::check_missing(
        directory,
        &missing,
        &rejected_units,
        period,
        input_label,
        &mut messages,
    );
    super::cross::check_against_department(&submissions, directory, &mut messages);
    let mut intake = Intake {
        period,
        submissions,
        records,
        messages,
        missing,
        rejected_units,
        other_forms,
    };
    intake.submissions.sort_by_key(|s| s.reporter);
    intake
}

fn process_file(
    file: &InputFile,
    period: Period,
    directory: &UnitDirectory,
    limits: &Limits,
) -> FileResult {
    let mut record = SubmissionRecord {
        file: file.display.clone(),
        reporter: None,
        period: None,
        prepared_on: None,
        status: RecordStatus::NotRead,
        errors: 0,
        warnings: 0,
        form: None,
        size: file.size,
        sha256: String::new(),
    };
    let mut messages = Vec::new();
    match file.kind {
        FileKind::Ignored => {
            record.status = RecordStatus::NotAForm;
            return FileResult {
                record,
                submission: None,
                messages,
                other_form: None,
            };
        }
        FileKind::OtherDocument => {
            record.status = RecordStatus::NotAForm;
            if file.size <= limits.max_file_bytes {
                if let Ok(bytes) = std::fs::read(&file.path) {
                    record.sha256 = crate::deliver::manifest::sha256_hex(&bytes);
                }
            }
            messages.push(Message::notice(
                "tep-khac",
                Location::file(&file.display),
                "Tệp không phải bảng tính (.xlsx, .xlsm, .xls, .ods); để nguyên, không đọc",
            ));
            return FileResult {
                record,
                submission: None,
                messages,
                other_form: None,
            };
        }
        FileKind::Workbook => {}
    }
    let book = match read_input(file, limits, &mut record) {
        Ok(book) => book,
        Err(error) => {
            messages.push(Message::error(
                "khong-doc-duoc",
                Location::file(&file.display),
                error.to_string(),
            ));
            record.errors = 1;
            return FileResult {
                record,
                submission: None,
                messages,
                other_form: None,
            };
        }
    };
    record.form = Some(FormKind::of(&book));
    match record.form.unwrap_or(FormKind::Unknown) {
        FormKind::MonthlyReport => {}
        FormKind::Plan | FormKind::Progress => {
            record.status = RecordStatus::OtherForm;
            return FileResult {
                record,
                submission: None,
                messages,
                other_form: Some(book),
            };
        }
        FormKind::Unknown => {
            record.status = RecordStatus::Rejected;
            messages.push(Message::error(
                "khong-phai-bieu-mau",
                Location::file(&file.display),
                "Bảng tính không có trang «Số liệu» (Biểu A), «Nhiệm vụ» (Biểu B) hay «Tiến độ» (Biểu C); không nhận ra biểu mẫu",
            ));
            record.errors = 1;
            return FileResult {
                record,
                submission: None,
                messages,
                other_form: None,
            };
        }
    }
    // Text typed in TCVN3 or VNI was converted on reading: tell the unit, once per cell.
    for (sheet, conversion) in book.conversions() {
        let at = match &conversion.cell {
            Some(cell) => Location::cell(&file.display, &sheet.name, cell),
            None => Location::sheet(&file.display, &sheet.name),
        };
        messages.push(Message::notice("ma-cu", at, conversion.notice()));
    }
    let source = SourceInfo {
        path: file.path.clone(),
        display: file.display.clone(),
        modified: file.modified,
    };
    let FormAOutcome {
        reporter,
        period: found_period,
        prepared_on,
        submission,
        messages: mut found,
    } = parse_form_a(&book, source, directory);
    // A form generated by `baocao forms` from an older version: used, but the unit is told.
    found.extend(crate::forms::outdated_form_message(&book, &file.display));
    record.reporter = reporter;
    record.period = found_period;
    record.prepared_on = prepared_on;
    if let Some(other) = found_period.filter(|p| *p != period) {
        record.status = RecordStatus::OtherPeriod;
        messages.push(Message::notice(
            "ky-khac",
            Location::file(&file.display),
            format!(
                "Báo cáo {}, không thuộc kỳ {}; bỏ qua",
                other.in_text(),
                period.in_text()
            ),
        ));
        return FileResult {
            record,
            submission: None,
            messages,
            other_form: None,
        };
    }
    record.errors = found
        .iter()
        .filter(|m| m.severity == Severity::Error)
        .count();
    record.warnings = found
        .iter()
        .filter(|m| m.severity == Severity::Warning)
        .count();
    record.status = if submission.is_some() {
        RecordStatus::Accepted
    } else {
        RecordStatus::Rejected
    };
    messages.extend(found);
    FileResult {
        record,
        submission,
        messages,
        other_form: None,
    }
}

/// Reads a file once: size check, hash for the manifest, hostile-file checks, then calamine.
fn read_input(
    file: &InputFile,
    limits: &Limits,
    record: &mut SubmissionRecord,
) -> Result<Workbook, ReadError> {
    if file.size > limits.max_file_bytes {
        return Err(crate::ingest::guard::GuardError::FileTooLarge {
            size: file.size.div_ceil(1024 * 1024),
            limit: limits.max_file_bytes.div_ceil(1024 * 1024),
        }
        .into());
    }
    let bytes = std::fs::read(&file.path)?;
    record.size = bytes.len() as u64;
    record.sha256 = crate::deliver::manifest::sha256_hex(&bytes);
    read_guarded(&bytes, limits)
}

/// Which form a workbook is, decided by its sheets (FORMS.md), not its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FormKind {
    MonthlyReport,
    Plan,
    Progress,
    Unknown,
}

impl FormKind {
    /// Classifies a workbook by the sheets it holds.
    pub fn of(book: &Workbook) -> Self {
        if book.sheet(super::form_a::sheets::FIGURES).is_some() {
            FormKind::MonthlyReport
        } else if book.sheet("Tiến độ").is_some() {
            FormKind::Progress
        } else if book.sheet("Nhiệm vụ").is_some() {
            FormKind::Plan
        } else {
            FormKind::Unknown
        }
    }
}

/// A label for the input folder in messages about the run as a whole.
pub fn input_label(path: &Path) -> String {
    path.display().to_string()
}
