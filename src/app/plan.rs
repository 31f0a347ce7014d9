//! Plans in commands: `baocao plan FILE` renders one plan's annex on demand (and its
//! progress report with `--period`), and `baocao run` calls [`plan_outputs`] to render the
//! annex of every plan in the input folder and the progress report of every plan that units
//! reported on for the period.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use super::exit::{Outcome, OutputBusy};
use crate::config::{self, Config, UnitDirectory};
use crate::deliver::lock::{try_lock, LockAttempt};
use crate::deliver::{deliver, OutputFile};
use crate::ingest::discover::FileKind;
use crate::ingest::{discover, read_guarded, InputFile, Limits, Workbook};
use crate::plan::document::{self, Body, DocumentError};
use crate::plan::form_b::{parse_form_b, PlanOutcome};
use crate::plan::form_c::parse_form_c;
use crate::plan::progress::{compute, ProgressReport};
use crate::plan::{Plan, PlanProgress};
use crate::render::document::Orientation;
use crate::render::docx::{write_docx, Reference};
use crate::render::pdf::LibreOfficeSettings;
use crate::render::plan::annex_xlsx;
use crate::render::plan::{annex_layout, progress, progress_layout};
use crate::validate::intake::{FormKind, Intake};
use crate::validate::{Location, Message, RecordStatus, Severity};
use crate::vn::Period;

/// The plans and progress reports found among the input files, already checked.
#[derive(Debug, Default)]
pub struct PlanInput {
    /// Plans read without error, in file order.
    pub plans: Vec<Plan>,
    /// Progress reports read without error (any month).
    pub reports: Vec<ProgressReport>,
    /// Messages worth showing for the period (see [`read_plan_input`]).
    pub messages: Vec<Message>,
    /// Progress files for the period that were rejected.
    pub rejected_reports: usize,
    /// Each progress file and the plan it names (index into `plans`), when found.
    pub progress_files: Vec<(String, Option<usize>)>,
    /// What each plan and progress file was read as and what became of it.
    pub fates: Vec<FileFate>,
}

/// What became of one plan or progress file, for its record in the run log, the manifest,
/// the «Bài nộp» sheet and `--json` (issue 20: they said «Biểu mẫu khác» for all of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFate {
    pub file: String,
    /// `None` for a Word document that is no plan.
    pub form: Option<FormKind>,
    pub status: RecordStatus,
    pub errors: usize,
    pub warnings: usize,
}

impl FileFate {
    fn new(file: &str, form: Option<FormKind>, status: RecordStatus, messages: &[Message]) -> Self {
        let count = |severity| messages.iter().filter(|m| m.severity == severity).count();
        Self {
            file: file.to_string(),
            form,
            status,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
        }
    }
}

enum Found<'a> {
    Plan(String, &'a Workbook),
    PlanDocument(String, &'a Body),
    Progress(String, &'a Workbook),
}

impl Found<'_> {
    fn file(&self) -> &str {
        match self {
            Found::Plan(file, _) | Found::PlanDocument(file, _) | Found::Progress(file, _) => file,
        }
    }
}

/// The Word documents of a folder that are plans, read. The others come back as fates: no
/// plan (a letter dropped in the folder, noticed as before) or unreadable (with the reason).
pub fn read_word_plans(
    documents: &[(String, Vec<u8>)],
    limits: &Limits,
    libreoffice: &LibreOfficeSettings,
) -> (Vec<(String, Body)>, Vec<FileFate>, Vec<Message>) {
    let read: Vec<(String, Result<Body, DocumentError>)> = documents
        .par_iter()
        .map(|(file, bytes)| {
            (
                file.clone(),
                document::read_word(file, bytes, limits, libreoffice),
            )
        })
        .collect();
    let mut plans = Vec::new();
    let mut fates = Vec::new();
    let mut messages = Vec::new();
    for (file, outcome) in read {
        match outcome {
            Ok(body) if document::is_plan(&body) => plans.push((file, body)),
            Ok(_) => {
                let notice = Message::notice(
                    "tep-khac",
                    Location::file(&file),
                    "Văn bản Word không có bảng phân công nhiệm vụ (cột TT, Nhiệm vụ, Đơn vị chủ trì), không phải kế hoạch; để nguyên, không đọc",
                );
                fates.push(FileFate::new(&file, None, RecordStatus::NotAForm, &[]));
                messages.push(notice);
            }
            Err(error) => {
                let message =
                    Message::error("khong-doc-duoc", Location::file(&file), error.to_string());
                fates.push(FileFate::new(
                    &file,
                    Some(FormKind::PlanDocument),
                    RecordStatus::NotRead,
                    std::slice::from_ref(&message),
                ));
                messages.push(message);
            }
        }
    }
    (plans, fates, messages)
}

/// Reads the Word files among `files` (for `baocao plan`, which runs without the intake).
pub fn read_folder_word_plans(
    files: &[InputFile],
    limits: &Limits,
    libreoffice: &LibreOfficeSettings,
) -> Vec<(String, Body)> {
    let documents: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|f| f.kind == FileKind::WordDocument && f.size <= limits.max_file_bytes)
        .filter_map(|f| Some((f.display.clone(), std::fs::read(&f.path).ok()?)))
        .collect();
    read_word_plans(&documents, limits, libreoffice).0
}

/// Reads the Form B and Form C workbooks among `files`, for `baocao plan`, which runs without
/// the monthly intake. (`baocao run` passes the workbooks its intake already read.)
pub fn read_plan_workbooks(files: &[InputFile], limits: &Limits) -> Vec<(String, Workbook)> {
    files
        .par_iter()
        .filter(|f| f.kind == FileKind::Workbook && f.size <= limits.max_file_bytes)
        .filter_map(|f| {
            let bytes = std::fs::read(&f.path).ok()?;
            let book = read_guarded(&bytes, limits).ok()?;
            matches!(FormKind::of(&book), FormKind::Plan | FormKind::Progress)
                .then(|| (f.display.clone(), book))
        })
        .collect()
}

/// Checks plan and progress workbooks. Plans are checked every run; a progress file's
/// messages are shown only in its own month (`period`), earlier months being history that was
/// checked when it came in.
pub fn read_plan_input(
    books: &[(String, Workbook)],
    documents: &[(String, Body)],
    period: Option<Period>,
    directory: &UnitDirectory,
) -> PlanInput {
    let mut found: Vec<Found> = books
        .iter()
        .filter_map(|(file, book)| match FormKind::of(book) {
            FormKind::Plan => Some(Found::Plan(file.clone(), book)),
            FormKind::Progress => Some(Found::Progress(file.clone(), book)),
            FormKind::MonthlyReport
            | FormKind::SchoolStatistics
            | FormKind::PlanDocument
            | FormKind::Unknown => None,
        })
        .chain(
            documents
                .iter()
                .map(|(file, body)| Found::PlanDocument(file.clone(), body)),
        )
        .collect();
    // Plans in file name order, whatever they were typed in.
    found.sort_by(|a, b| a.file().cmp(b.file()));
    let mut input = PlanInput::default();
    let mut progress_books = Vec::new();
    for item in found {
        let (file, form, outcome): (String, FormKind, PlanOutcome) = match item {
            Found::Plan(file, book) => {
                let outcome = parse_form_b(book, &file, directory);
                (file, FormKind::Plan, outcome)
            }
            Found::PlanDocument(file, body) => {
                let outcome = document::parse_plan_document(body, &file, directory);
                (file, FormKind::PlanDocument, outcome)
            }
            Found::Progress(file, book) => {
                progress_books.push((file, book));
                continue;
            }
        };
        let status = if outcome.plan.is_some() {
            RecordStatus::Accepted
        } else {
            RecordStatus::Rejected
        };
        input
            .fates
            .push(FileFate::new(&file, Some(form), status, &outcome.messages));
        input.messages.extend(outcome.messages);
        input.plans.extend(outcome.plan);
    }
    for (file, book) in progress_books {
        let outcome = parse_form_c(book, &file, &input.plans, directory);
        input.progress_files.push((file.clone(), outcome.plan));
        let current = match (outcome.period, period) {
            (Some(found), Some(wanted)) => found == wanted,
            _ => true,
        };
        // A later month's report is not this run's; an earlier month's, accepted, is used
        // as the plan's history.
        let later =
            matches!((outcome.period, period), (Some(found), Some(wanted)) if found > wanted);
        let status = match (&outcome.report, later, current) {
            (_, true, _) => RecordStatus::OtherPeriod,
            (Some(_), false, _) => RecordStatus::Accepted,
            (None, false, true) => RecordStatus::Rejected,
            (None, false, false) => RecordStatus::OtherPeriod,
        };
        let shown: &[Message] = if current { &outcome.messages } else { &[] };
        input.fates.push(FileFate::new(
            &file,
            Some(FormKind::Progress),
            status,
            shown,
        ));
        if current {
            if outcome.report.is_none() {
                input.rejected_reports += 1;
            }
            input.messages.extend(outcome.messages);
        }
        input.reports.extend(outcome.report);
    }
    if let Some(period) = period {
        warn_duplicates(&input.reports, period, &mut input.messages);
    }
    input
}

/// Two reports of one unit on one plan for one month: the later one counts (later `Ngày
/// lập`, then the file later in name order); say which.
fn warn_duplicates(reports: &[ProgressReport], period: Period, messages: &mut Vec<Message>) {
    for (i, later) in reports.iter().enumerate() {
        if later.period != period {
            continue;
        }
        for earlier in &reports[..i] {
            if earlier.period == period
                && earlier.plan == later.plan
                && earlier.reporter == later.reporter
            {
                let (kept, dropped) = if earlier.prepared_on > later.prepared_on {
                    (earlier, later)
                } else {
                    (later, earlier)
                };
                messages.push(Message::warning(
                    "nop-trung-tien-do",
                    Location::file(&dropped.source),
                    format!(
                        "{} gửi hai báo cáo tiến độ {} cho cùng kế hoạch; dùng «{}», không dùng tệp này",
                        kept.reporter_label,
                        period.in_text(),
                        kept.source
                    ),
                ));
            }
        }
    }
}

/// The progress of a plan for the period, if any accepted report up to the period is on it.
fn progress_of(
    input: &PlanInput,
    plan_index: usize,
    period: Period,
    directory: &UnitDirectory,
) -> Option<PlanProgress> {
    let reports: Vec<&ProgressReport> = input
        .reports
        .iter()
        .filter(|r| r.plan == plan_index && r.period <= period)
        .collect();
    (!reports.is_empty()).then(|| compute(&input.plans[plan_index], &reports, period, directory))
}

/// The documents of one plan: the annex (DOCX, XLSX with progress when known) and, when
/// units reported for the period, the progress report.
fn render_plan(
    input: &PlanInput,
    plan_index: usize,
    slug: &str,
    period: Option<Period>,
    config: &Config,
    directory: &UnitDirectory,
    reference: &Reference,
) -> Result<(Vec<OutputFile>, Option<String>)> {
    let plan = &input.plans[plan_index];
    let progress = period.and_then(|p| progress_of(input, plan_index, p, directory));
    let mut outputs = vec![
        OutputFile {
            name: format!("phu-luc-{slug}.docx"),
            bytes: write_docx(
                &annex_layout(plan, reference.text_width(Orientation::Landscape)),
                reference,
            )
            .with_context(|| format!("phụ lục của {}", plan.source))?,
        },
        OutputFile {
            name: format!("phu-luc-{slug}.xlsx"),
            bytes: annex_xlsx::write_annex_xlsx(plan, progress.as_ref(), directory)
                .with_context(|| format!("bảng phụ lục của {}", plan.source))?,
        },
    ];
    let mut paragraph = None;
    if let Some(progress) = progress.as_ref().filter(|p| p.reports_this_period > 0) {
        outputs.push(OutputFile {
            name: format!("tien-do-{slug}-{}.docx", progress.period.slug()),
            bytes: write_docx(
                &progress_layout(
                    plan,
                    progress,
                    config,
                    reference.text_width(Orientation::Portrait),
                ),
                reference,
            )
            .with_context(|| format!("báo cáo tiến độ của {}", plan.source))?,
        });
        paragraph = Some(format!(
            "{} {}",
            progress::summary_paragraph(plan, progress),
            progress::reporters_paragraph(progress)
        ));
    }
    Ok((outputs, paragraph))
}

/// Unique slugs for the plans' output files (`-2`, `-3` for plans that share one).
fn slugs(plans: &[Plan]) -> Vec<String> {
    let mut used: Vec<String> = Vec::new();
    for plan in plans {
        let base = plan.slug();
        let mut slug = base.clone();
        let mut n = 2;
        while used.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        used.push(slug);
    }
    used
}

/// What the plans in the input folder add to a monthly run.
#[derive(Debug, Default)]
pub struct PlanOutputs {
    /// Annexes and progress reports, delivered with the monthly documents.
    pub files: Vec<OutputFile>,
    /// Messages to add to the run's.
    pub messages: Vec<Message>,
    /// One paragraph per plan with progress reported for the period, for the monthly report.
    pub progress_paragraphs: Vec<String>,
    /// Progress files for the period that were rejected (they make the run's exit status 2).
    pub rejected_reports: usize,
}

/// For `baocao run`: the annex of every plan in the input folder (workbooks the intake read,
/// Word documents read here) and the progress reports for `period`, with the messages to
/// add to the run's; each plan and progress file's record says what it was read as and
/// what became of it. A plan that fails to render is a message, never the end of the run.
pub fn plan_outputs(
    intake: &mut Intake,
    period: Period,
    config: &Config,
    directory: &UnitDirectory,
    reference: &Reference,
) -> PlanOutputs {
    let (documents, word_fates, word_messages) = read_word_plans(
        &std::mem::take(&mut intake.word_documents),
        &config.limits,
        &config.libreoffice,
    );
    let mut input = read_plan_input(&intake.other_forms, &documents, Some(period), directory);
    input.messages.splice(0..0, word_messages);
    let mut outputs = Vec::new();
    let mut progress_paragraphs = Vec::new();
    let slugs = slugs(&input.plans);
    for (index, slug) in slugs.iter().enumerate() {
        match render_plan(
            &input,
            index,
            slug,
            Some(period),
            config,
            directory,
            reference,
        ) {
            Ok((files, paragraph)) => {
                outputs.extend(files);
                progress_paragraphs.extend(paragraph);
            }
            Err(error) => input.messages.push(Message::error(
                "loi-tao-phu-luc",
                Location::file(&input.plans[index].source),
                format!("Không tạo được phụ lục: {error:#}"),
            )),
        }
    }
    for fate in word_fates.iter().chain(&input.fates) {
        if let Some(record) = intake.records.iter_mut().find(|r| r.file == fate.file) {
            record.form = fate.form;
            record.status = fate.status.clone();
            record.errors = fate.errors;
            record.warnings = fate.warnings;
        }
    }
    PlanOutputs {
        files: outputs,
        messages: input.messages,
        progress_paragraphs,
        rejected_reports: input.rejected_reports,
    }
}

/// What `baocao plan` was asked to do.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub file: PathBuf,
    pub output: PathBuf,
    pub config: Option<PathBuf>,
    /// With a month, progress files beside the plan are read too.
    pub period: Option<Period>,
}

/// What `baocao plan` did.
#[derive(Debug)]
pub struct PlanRun {
    pub file: String,
    /// The plan's annex title and reference, when it was read.
    pub plan: Option<(String, String, usize)>,
    pub messages: Vec<Message>,
    pub written: Vec<PathBuf>,
    pub outcome: Outcome,
}

/// Renders one plan on demand. An `Err` means nothing could be produced.
pub fn run_plan(options: &PlanOptions) -> Result<PlanRun> {
    let loaded = config::load(options.config.as_deref())?;
    let reference = loaded.reference;
    let config = loaded.config;
    let directory = config.directory();
    let path = &options.file;
    if !path.is_file() {
        bail!("không tìm thấy tệp kế hoạch {}", path.display());
    }
    let display = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string());
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));

    // The plan itself first: it must read cleanly.
    let bytes =
        std::fs::read(path).with_context(|| format!("không đọc được {}", path.display()))?;
    let outcome = if document::is_word_file(path) {
        let body = document::read_word(&display, &bytes, &config.limits, &config.libreoffice)
            .map_err(|e| anyhow::anyhow!("{display}: {e}"))?;
        document::parse_plan_document(&body, &display, &directory)
    } else {
        let book =
            read_guarded(&bytes, &config.limits).map_err(|e| anyhow::anyhow!("{display}: {e}"))?;
        if FormKind::of(&book) != FormKind::Plan {
            bail!("{display} không phải Biểu B (cần trang «Nhiệm vụ» và không có trang «Số liệu», «Tiến độ»)");
        }
        parse_form_b(&book, &display, &directory)
    };
    let Some(plan) = outcome.plan else {
        return Ok(PlanRun {
            file: display,
            plan: None,
            messages: outcome.messages,
            written: Vec::new(),
            outcome: Outcome::Failed,
        });
    };

    // With a month, the other workbooks of the folder: other plans (so that progress files
    // find theirs) and progress files.
    let mut input = match options.period {
        Some(period) => {
            let files = discover(folder)?;
            let books = read_plan_workbooks(&files, &config.limits);
            let documents = read_folder_word_plans(&files, &config.limits, &config.libreoffice);
            read_plan_input(&books, &documents, Some(period), &directory)
        }
        None => PlanInput::default(),
    };
    let index = match input
        .plans
        .iter()
        .position(|p| Path::new(&p.source).file_name() == path.file_name())
    {
        Some(index) => index,
        None => {
            input.plans.push(plan.clone());
            input.plans.len() - 1
        }
    };
    // This plan's messages, then those of the progress files that name it (or no plan).
    let mut messages = outcome.messages;
    messages.extend(
        input
            .messages
            .iter()
            .filter(|m| {
                input.progress_files.iter().any(|(file, named)| {
                    *file == m.location.file && named.is_none_or(|n| n == index)
                })
            })
            .cloned(),
    );
    let slug = plan.slug();
    let (outputs, _) = render_plan(
        &input,
        index,
        &slug,
        options.period,
        &config,
        &directory,
        &reference,
    )?;

    let _lock = match try_lock(&options.output)? {
        LockAttempt::Acquired(lock) => lock,
        LockAttempt::Busy { holder } => {
            return Err(OutputBusy {
                holder,
                folder: options.output.display().to_string(),
            }
            .into())
        }
    };
    let folder_name = if slug.starts_with("ke-hoach") {
        slug.clone()
    } else {
        format!("ke-hoach-{slug}")
    };
    let written = deliver(&options.output, &folder_name, &outputs)?;
    let outcome = if input.rejected_reports > 0 {
        Outcome::Partial
    } else {
        Outcome::Complete
    };
    Ok(PlanRun {
        file: display,
        plan: Some((plan.annex_title(), plan.reference(), plan.tasks.len())),
        messages,
        written,
        outcome,
    })
}

/// The Vietnamese summary `baocao plan` prints.
pub fn plan_summary(run: &PlanRun) -> String {
    let mut out = String::new();
    match &run.plan {
        Some((title, reference, tasks)) => {
            let _ = writeln!(out, "baocao — {title} ({reference})");
            let _ = writeln!(out, "Tệp {}: {tasks} nhiệm vụ.", run.file);
        }
        None => {
            let _ = writeln!(out, "baocao — không đọc được kế hoạch {}", run.file);
        }
    }
    let errors = run
        .messages
        .iter()
        .filter(|m| m.severity == Severity::Error)
        .count();
    let warnings = run
        .messages
        .iter()
        .filter(|m| m.severity == Severity::Warning)
        .count();
    let _ = writeln!(out, "Lỗi: {errors}; cảnh báo: {warnings}");
    for message in run
        .messages
        .iter()
        .filter(|m| m.severity != Severity::Notice)
    {
        let _ = writeln!(out, "  {message}");
    }
    if run.written.is_empty() {
        let _ = writeln!(
            out,
            "Không ghi tài liệu nào: kế hoạch có lỗi, cần sửa rồi chạy lại."
        );
    } else {
        let _ = writeln!(out, "Đã ghi:");
        for path in &run.written {
            let _ = writeln!(out, "  {}", path.display());
        }
    }
    out
}

/// `baocao plan`: runs, prints the summary or the error, and returns the exit status.
pub fn plan_command(options: &PlanOptions) -> Outcome {
    match run_plan(options) {
        Ok(run) => {
            super::stdout::print_text(&plan_summary(&run));
            run.outcome
        }
        Err(error) if error.downcast_ref::<OutputBusy>().is_some() => {
            eprintln!("baocao: {error}");
            Outcome::Busy
        }
        Err(error) => {
            eprintln!("baocao: không tạo được phụ lục kế hoạch: {error:#}");
            Outcome::Failed
        }
    }
}
