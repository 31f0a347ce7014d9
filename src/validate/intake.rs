//! Reading every file of the input folder in parallel and sorting the results into
//! accepted submissions, rejected ones, and files that are not for this run.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;

use super::form_a::{parse_form_a_for, FormAOutcome};
use super::message::{Location, Message, Severity};
/// Re-exported: the commands name it `validate::intake::FormKind`.
pub use super::record::FormKind;
use super::record::{RecordStatus, SubmissionRecord};
use crate::config::UnitDirectory;
use crate::ingest::discover::FileKind;
use crate::ingest::opened::OpenedFile;
use crate::ingest::{read_guarded, InputFile, Limits, ReadError, Workbook};
use crate::model::{MonthlySubmission, Reporter, SourceInfo};
use crate::schools::{parse_form_d, SchoolReport, SchoolSetup};
use crate::vn::Period;

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
    /// Units whose accepted submission has its figures withheld for an error (not in
    /// `missing`: their text is used).
    pub withheld_units: Vec<usize>,
    /// Plan (Form B) and progress (Form C) workbooks, already read, for `app::plan`, so no
    /// workbook is read twice.
    pub other_forms: Vec<(String, Workbook)>,
    /// Word documents (`.docx`, `.doc`) as read from the folder, for `app::plan`, which reads
    /// those that are plans.
    pub word_documents: Vec<(String, Vec<u8>)>,
    /// Accepted school statistics (Form D), at most one per school, in file order.
    pub schools: Vec<SchoolReport>,
    /// Folded codes of schools whose only workbooks were rejected.
    pub rejected_schools: HashSet<String>,
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

    /// True when a school statistics workbook (Form D) for this period was found, accepted or
    /// not: only then does the run judge targets and list the schools that did not report.
    pub fn has_school_statistics(&self) -> bool {
        self.records.iter().any(|r| {
            r.form == Some(FormKind::SchoolStatistics) && r.status != RecordStatus::OtherPeriod
        })
    }

    /// Number of workbooks rejected for errors, unreadable ones included, and of workbooks
    /// whose figures were withheld.
    pub fn rejected_count(&self) -> usize {
        self.records
            .iter()
            .filter(|r| !r.form.is_some_and(FormKind::is_plan_form))
            .filter(|r| {
                matches!(
                    r.status,
                    RecordStatus::Rejected | RecordStatus::NotRead | RecordStatus::FiguresWithheld
                )
            })
            .count()
    }

    /// Units that sent a report with an error ("có lỗi"): rejected whole, or with their
    /// figures withheld; in report order. They count as reported with errors, never as
    /// "chưa nộp".
    pub fn units_with_errors(&self) -> Vec<usize> {
        let mut units: Vec<usize> = self
            .rejected_units
            .iter()
            .chain(&self.withheld_units)
            .copied()
            .collect();
        units.sort_unstable();
        units.dedup();
        units
    }

    /// Units with nothing received for the period ("chưa nộp").
    pub fn units_not_submitted(&self) -> Vec<usize> {
        self.missing
            .iter()
            .copied()
            .filter(|i| !self.rejected_units.contains(i))
            .collect()
    }
}

struct FileResult {
    record: SubmissionRecord,
    submission: Option<MonthlySubmission>,
    messages: Vec<Message>,
    other_form: Option<Workbook>,
    school: Option<SchoolReport>,
    word_document: Option<Vec<u8>>,
}

impl FileResult {
    /// A file that gives nothing to validate: only its record and messages (and, for a Word
    /// document, its bytes for the plan reader).
    fn unread(record: SubmissionRecord, messages: Vec<Message>) -> Self {
        FileResult {
            record,
            submission: None,
            messages,
            other_form: None,
            school: None,
            word_document: None,
        }
    }
}

/// Reads and validates every file for `period`.
pub fn intake(
    files: &[InputFile],
    period: Period,
    directory: &UnitDirectory,
    limits: &Limits,
    input_label: &str,
    schools: &SchoolSetup,
    on_file_done: &(dyn Fn() + Sync),
) -> Intake {
    // One file per rayon job: files differ in cost, and rayon's default splitting hands a
    // thread a run of hundreds of files that it cannot share, so at the end of the read one
    // core worked alone for about 100 ms at 10,000 schools (perf, issue 24).
    let results: Vec<FileResult> = files
        .par_iter()
        .with_max_len(1)
        .map(|f| {
            let result = process_file(f, period, directory, limits, schools);
            on_file_done();
            result
        })
        .collect();
    let mut records = Vec::new();
    let mut messages = Vec::new();
    let mut submissions = Vec::new();
    let mut other_forms = Vec::new();
    let mut school_reports = Vec::new();
    let mut word_documents = Vec::new();
    for result in results {
        if let Some(bytes) = result.word_document {
            word_documents.push((result.record.file.clone(), bytes));
        }
        if let Some(book) = result.other_form {
            other_forms.push((result.record.file.clone(), book));
        }
        records.push(result.record);
        messages.extend(result.messages);
        submissions.extend(result.submission);
        school_reports.extend(result.school);
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
    let withheld_units: Vec<usize> = submissions
        .iter()
        .filter(|s| s.figures.is_none())
        .filter_map(|s| match s.reporter {
            Reporter::Unit(i) => Some(i),
            Reporter::Department => None,
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
    super::cross::check_withheld(&submissions, directory, period, &mut messages);
    super::cross::check_against_department(&submissions, directory, &mut messages);
    let mut intake = Intake {
        period,
        submissions,
        records,
        messages,
        missing,
        rejected_units,
        withheld_units,
        other_forms,
        word_documents,
        schools: Vec::new(),
        rejected_schools: HashSet::new(),
    };
    settle_schools(&mut intake, school_reports);
    intake.submissions.sort_by_key(|s| s.reporter);
    intake
}

fn process_file(
    file: &InputFile,
    period: Period,
    directory: &UnitDirectory,
    limits: &Limits,
    schools: &SchoolSetup,
) -> FileResult {
    // The listing left size and time to this open (`ingest::list`); files not read get them
    // from the file system here.
    let opened = (file.kind != FileKind::Ignored).then(|| OpenedFile::open(&file.path));
    let (size, modified) = match &opened {
        Some(Ok(opened)) => (opened.size, opened.modified),
        _ => std::fs::symlink_metadata(&file.path)
            .map(|m| (m.len(), m.modified().ok()))
            .unwrap_or((file.size, file.modified)),
    };
    let mut record = SubmissionRecord {
        file: file.display.clone(),
        reporter: None,
        period: None,
        prepared_on: None,
        status: RecordStatus::NotRead,
        errors: 0,
        warnings: 0,
        form: None,
        size,
        sha256: String::new(),
        school: None,
    };
    let mut messages = Vec::new();
    let Some(opened) = opened else {
        // Lock files of office programs and hidden files: not opened.
        record.status = RecordStatus::NotAForm;
        return FileResult::unread(record, messages);
    };
    match file.kind {
        FileKind::OtherDocument => {
            record.status = RecordStatus::NotAForm;
            if size <= limits.max_file_bytes {
                if let Ok(bytes) = opened.and_then(OpenedFile::read_all) {
                    record.sha256 = crate::deliver::manifest::sha256_hex(&bytes);
                }
            }
            messages.push(Message::notice(
                "tep-khac",
                Location::file(&file.display),
                "Tệp không phải bảng tính (.xlsx, .xlsm, .xlsb, .xls, .ods); để nguyên, không đọc",
            ));
            return FileResult::unread(record, messages);
        }
        FileKind::WordDocument => {
            // Read as a plan by `app::plan`, which updates this record.
            record.status = RecordStatus::NotAForm;
            let bytes = if size > limits.max_file_bytes {
                messages.push(Message::notice(
                    "tep-khac",
                    Location::file(&file.display),
                    format!(
                        "Văn bản Word quá lớn ({} MB, giới hạn {} MB); để nguyên, không đọc",
                        size.div_ceil(1024 * 1024),
                        limits.max_file_bytes.div_ceil(1024 * 1024)
                    ),
                ));
                None
            } else {
                opened.and_then(OpenedFile::read_all).ok()
            };
            if let Some(bytes) = &bytes {
                record.sha256 = crate::deliver::manifest::sha256_hex(bytes);
            }
            return FileResult {
                word_document: bytes,
                ..FileResult::unread(record, messages)
            };
        }
        FileKind::Workbook | FileKind::Ignored => {}
    }
    let book = match read_input(opened, limits, &mut record) {
        Ok(book) => book,
        Err(error) => {
            messages.push(Message::error(
                error.code(),
                Location::file(&file.display),
                error.to_string(),
            ));
            record.errors = 1;
            return FileResult::unread(record, messages);
        }
    };
    record.form = Some(FormKind::of(&book));
    match record.form.unwrap_or(FormKind::Unknown) {
        FormKind::MonthlyReport => {}
        FormKind::SchoolStatistics => {
            return school_file(file, &book, period, schools, record, messages);
        }
        FormKind::Plan | FormKind::PlanDocument | FormKind::Progress => {
            // `app::plan` reads it and says what became of it.
            record.status = RecordStatus::OtherForm;
            return FileResult {
                other_form: Some(book),
                ..FileResult::unread(record, messages)
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
            return FileResult::unread(record, messages);
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
        modified,
    };
    let FormAOutcome {
        reporter,
        period: found_period,
        prepared_on,
        submission,
        messages: mut found,
    } = parse_form_a_for(&book, source, directory, Some(period));
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
        return FileResult::unread(record, messages);
    }
    record.errors = found
        .iter()
        .filter(|m| m.severity == Severity::Error)
        .count();
    record.warnings = found
        .iter()
        .filter(|m| m.severity == Severity::Warning)
        .count();
    record.status = match &submission {
        Some(s) if s.figures.is_none() => RecordStatus::FiguresWithheld,
        Some(_) => RecordStatus::Accepted,
        None => RecordStatus::Rejected,
    };
    messages.extend(found);
    FileResult {
        record,
        submission,
        messages,
        other_form: None,
        school: None,
        word_document: None,
    }
}

/// Reads a file once: size check, hash for the manifest, hostile-file checks, then calamine.
fn read_input(
    opened: std::io::Result<OpenedFile>,
    limits: &Limits,
    record: &mut SubmissionRecord,
) -> Result<Workbook, ReadError> {
    let opened = opened?;
    if opened.size > limits.max_file_bytes {
        return Err(crate::ingest::guard::GuardError::FileTooLarge {
            size: opened.size.div_ceil(1024 * 1024),
            limit: limits.max_file_bytes.div_ceil(1024 * 1024),
        }
        .into());
    }
    let bytes = opened.read_all()?;
    record.size = bytes.len() as u64;
    record.sha256 = crate::deliver::manifest::sha256_hex(&bytes);
    read_guarded(&bytes, limits)
}

/// A label for the input folder in messages about the run as a whole.
pub fn input_label(path: &Path) -> String {
    path.display().to_string()
}

/// A school's statistics (Form D): read, checked, and kept only as its figures, so the
/// workbook is dropped here and memory does not grow with the files.
fn school_file(
    file: &InputFile,
    book: &Workbook,
    period: Period,
    schools: &SchoolSetup,
    mut record: SubmissionRecord,
    mut messages: Vec<Message>,
) -> FileResult {
    for (sheet, conversion) in book.conversions() {
        let at = match &conversion.cell {
            Some(cell) => Location::cell(&file.display, &sheet.name, cell),
            None => Location::sheet(&file.display, &sheet.name),
        };
        messages.push(Message::notice("ma-cu", at, conversion.notice()));
    }
    let mut outcome = parse_form_d(book, &file.display, &schools.registry, &schools.codes);
    // A Form D generated by `baocao forms` from an older version: used, but the school is told.
    outcome
        .messages
        .extend(crate::forms::outdated_form_message(book, &file.display));
    record.school = outcome.school.as_ref().map(|s| s.code.clone());
    record.period = outcome.period;
    record.prepared_on = outcome.prepared_on;
    if let Some(other) = outcome.period.filter(|p| *p != period) {
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
        return FileResult::unread(record, messages);
    }
    record.errors = outcome
        .messages
        .iter()
        .filter(|m| m.severity == Severity::Error)
        .count();
    record.warnings = outcome
        .messages
        .iter()
        .filter(|m| m.severity == Severity::Warning)
        .count();
    record.status = if outcome.report.is_some() {
        RecordStatus::Accepted
    } else {
        RecordStatus::Rejected
    };
    messages.extend(outcome.messages);
    FileResult {
        record,
        submission: None,
        messages,
        other_form: None,
        school: outcome.report,
        word_document: None,
    }
}

/// One report per school: the later `Ngày lập`, then the later file name, wins; the other
/// is marked superseded and named. Schools with only rejected files are remembered, so the
/// list of absent schools can say "có lỗi" rather than "chưa nộp".
fn settle_schools(intake: &mut Intake, reports: Vec<SchoolReport>) {
    let mut kept: Vec<SchoolReport> = Vec::with_capacity(reports.len());
    let mut position: std::collections::HashMap<String, usize> = Default::default();
    for report in reports {
        let key = crate::text::fold_key(&report.school.code);
        match position.get(&key) {
            None => {
                position.insert(key, kept.len());
                kept.push(report);
            }
            Some(&at) => {
                let earlier = &kept[at];
                let newer =
                    (report.prepared_on, &report.file) > (earlier.prepared_on, &earlier.file);
                let (winner, loser) = if newer {
                    (report.file.clone(), earlier.file.clone())
                } else {
                    (earlier.file.clone(), report.file.clone())
                };
                if let Some(record) = intake.records.iter_mut().find(|r| r.file == loser) {
                    record.status = RecordStatus::Superseded { by: winner.clone() };
                }
                intake.messages.push(Message::warning(
                    "nop-trung",
                    Location::file(&loser),
                    format!(
                        "Trường đã nộp nhiều báo cáo cho kỳ này; dùng tệp «{winner}» (ngày lập muộn hơn hoặc tên tệp xếp sau), bỏ tệp này"
                    ),
                ));
                if newer {
                    kept[at] = report;
                }
            }
        }
    }
    for record in &intake.records {
        if record.status == RecordStatus::Rejected {
            if let Some(code) = &record.school {
                let key = crate::text::fold_key(code);
                if !position.contains_key(&key) {
                    intake.rejected_schools.insert(key);
                }
            }
        }
    }
    intake.schools = kept;
}
