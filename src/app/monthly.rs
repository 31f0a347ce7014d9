//! `baocao run` and `baocao check`: the monthly report from the units' Form A workbooks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use minijinja::context;
use rayon::prelude::*;

use super::exit::{Outcome, OutputBusy};
use crate::aggregate::comparison::compare;
use crate::aggregate::{aggregate, submission_rates, MonthlyAggregate, ShareBase, SubmissionRates};
use crate::config::{self, Config};
use crate::deliver::email::DeliveryReport;
use crate::deliver::lock::{try_lock, LockAttempt, RunLock};
use crate::deliver::manifest::{
    inputs_json, manifest_json, manifest_json_with, sha256_hex, InputEntry, Manifest, OutputEntry,
    MANIFEST,
};
use crate::deliver::run_log::{render_details, RenderedDetails, RunLog};
use crate::deliver::{deliver_with, recover, OutputFile};
use crate::history::{remove_temporaries, write_period, PeriodFigures};
use crate::ingest::list;
use crate::model::Reporter;
use crate::render::document::Orientation;
use crate::render::docx::write_docx;
use crate::render::report::report_layout;
use crate::render::report::targets_xlsx::Packing;
use crate::render::report::{companion_xlsx, targets_xlsx};
use crate::render::{build_report, pdf, Wording};
use crate::schools::{prepare_targets, TargetResults};
use crate::validate::claims::{correct_claims, Claim, NO_LATE_DOCUMENTS, NO_OVERDUE_DOSSIERS};
use crate::validate::{intake, Intake, Location, Message, SubmissionRecord};
use crate::vn::number::format_count;
use crate::vn::Period;

/// What the monthly command was asked to do.
#[derive(Debug, Clone)]
pub struct MonthlyOptions {
    pub period: Period,
    pub input: PathBuf,
    pub output: PathBuf,
    pub config: Option<PathBuf>,
    /// What to do with the documents.
    pub mode: Mode,
    /// Also write PDF copies with LibreOffice.
    pub pdf: bool,
    /// Show a progress bar (only ever on a terminal).
    pub show_progress: bool,
    /// E-mail delivery: `--no-send`, `--resend`, `check --notify`.
    pub delivery: super::delivery::DeliveryOptions,
}

/// Whether a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Validate, render and deliver.
    Write,
    /// Validate and render, say what would be written, write nothing.
    DryRun,
    /// Validate only.
    Check,
}

/// What a monthly run did, for the summary and the exit status.
#[derive(Debug)]
pub struct MonthlyRun {
    pub intake: Intake,
    pub config: Config,
    /// Files written (run) or that would be written (dry run).
    pub written: Vec<PathBuf>,
    pub mode: Mode,
    pub outcome: Outcome,
    /// Notes from recovering an interrupted earlier run.
    pub recovered: Vec<String>,
    /// Reporting and on-time rates (0 of N when nothing came in).
    pub rates: Option<SubmissionRates>,
    /// Codes of the schools in the registry, so the summary can name every absent school
    /// even when none reported.
    pub registered_schools: Vec<String>,
    /// The targets judged from the schools' statistics, when any school reported.
    pub targets: Option<TargetResults>,
    /// Why the monthly report could not be made, when it could not (the plans' documents
    /// may still have been written).
    pub report_not_made: Option<String>,
    /// Which configuration and templates the run used, for the summary and `--json`.
    pub sources: ConfigSources,
    /// What e-mail delivery did (or, in a dry run, would do); none when not configured.
    pub delivery: Option<DeliveryReport>,
}

/// The configuration and template files a run used: an administrator reading a report made
/// from cron must be able to tell which settings it came from.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConfigSources {
    /// The configuration file (absolute path), or the built-in sample's description.
    #[serde(rename = "file")]
    pub config: String,
    /// Which step of the search found it.
    pub origin: crate::config::ConfigOrigin,
    /// The wording templates file (absolute path), or the built-in one.
    pub templates: String,
}

impl ConfigSources {
    fn of(loaded: &config::LoadedConfig) -> Self {
        Self {
            config: loaded.source.clone(),
            origin: loaded.origin,
            templates: loaded.templates_source.clone(),
        }
    }
}

/// The configuration with the wording of the report and of the messages, read from their
/// files while the input folder is listed.
fn load_settings(
    config: Option<&Path>,
) -> Result<(
    config::LoadedConfig,
    Wording,
    crate::deliver::texts::DeliveryTexts,
)> {
    let loaded = config::load(config)?;
    let wording = Wording::from_toml(&loaded.templates_text).context("mẫu câu chữ")?;
    let texts = super::delivery::load_texts(&loaded)?;
    Ok((loaded, wording, texts))
}

/// Runs the pipeline for one period. An `Err` means nothing could be produced (exit 1), or,
/// as [`OutputBusy`], that another run holds the output folder (exit 3).
pub fn run_monthly(options: &MonthlyOptions) -> Result<MonthlyRun> {
    // Listing the input folder needs no configuration, so it runs while the configuration,
    // with its list of schools, is loaded (50,000 schools, at 7bc163f: 331 ms one after the
    // other, 137 ms side by side). The files' sizes and times come when each is opened for
    // reading.
    let (loaded, listed) = rayon::join(
        || load_settings(options.config.as_deref()),
        || {
            let started = Instant::now();
            (list(&options.input), started.elapsed())
        },
    );
    let (loaded, wording, texts) = loaded?;
    let directory = loaded.config.directory();
    // A wrong `[delivery]` is found by `check` and `--dry-run`, not at the first real run.
    if matches!(options.mode, Mode::DryRun | Mode::Check) {
        super::delivery::validate_delivery(&loaded)?;
    }

    // Take the output folder before reading any file, so a second run touches nothing.
    // Reminders take it too: they write the ledger of what was sent.
    let _lock = match options.mode {
        Mode::Write => Some(take_lock(&options.output)?),
        Mode::Check if options.delivery.notify => Some(take_lock(&options.output)?),
        Mode::DryRun | Mode::Check => None,
    };
    let recovered = match options.mode {
        Mode::Write => {
            remove_temporaries(&options.output)?;
            recover(&options.output)?
        }
        Mode::DryRun | Mode::Check => Vec::new(),
    };

    let mut timings = BTreeMap::new();
    let (files, listing) = listed;
    let files = files?;
    super::memory::fit_to_run(files.len());
    let started = Instant::now();
    let progress = super::progress::file_progress(files.len() as u64, options.show_progress);
    let tick = || progress.inc(1);
    let mut intake = intake(
        &files,
        options.period,
        &directory,
        &loaded.config.limits,
        &input_label(&options.input),
        &loaded.schools,
        &tick,
    );
    progress.finish_and_clear();
    timings.insert("ingest_validate", (listing + started.elapsed()).as_millis());
    let config = loaded.config.clone();
    if intake.submissions.is_empty() {
        return without_monthly_report(options, &loaded, &texts, intake, recovered, timings);
    }

    let started = Instant::now();
    let mut figures = aggregate(&intake, &config)?;
    // Comparing the units' sum with the department's totals of other months would print a
    // change that is not one: without the department's own totals, no comparison.
    if figures.share_base == ShareBase::Department {
        figures.comparison = Some(compare(
            &options.output,
            options.period,
            figures.totals,
            directory.department_code(),
        )?);
    }
    check_department_overdue(&mut intake, &figures);
    correct_department_claims(&mut intake, &figures, &wording)?;
    let plans_started = Instant::now();
    let plans = super::plan::plan_outputs(
        &mut intake,
        options.period,
        &config,
        &directory,
        &loaded.reference,
    );
    intake.messages.extend(plans.messages);
    timings.insert("aggregate.plans", plans_started.elapsed().as_millis());
    timings.insert("aggregate", started.elapsed().as_millis());

    // From here the documents are independent but for the targets, which the report's
    // section and the targets workbook need and the companion workbook does not. The
    // targets workbook is the longest: the schools below target are found while the
    // feedback is made, and the companion workbook is made while the targets workbook is
    // filled and packed (`fill_targets_xlsx` says in which order).
    let started = Instant::now();
    let stopwatch = Stopwatch::default();
    // The inputs' records, borrowed apart from the messages that PDFs may still add to.
    let records = &intake.records;
    let (xlsx, docx, feedback, targets, targets_file, (recorded, prepared)) = {
        let (intake, stopwatch, texts, figures) = (&intake, &stopwatch, &texts, &figures);
        let companion = || {
            stopwatch.time("render.companion_xlsx", || {
                companion_xlsx::write_companion_xlsx(&config, intake, figures)
            })
        };
        let report_docx = |targets: Option<&TargetResults>| {
            stopwatch.time("render.report_docx", || {
                let report = build_report(
                    &config,
                    &wording,
                    intake,
                    figures,
                    &plans.progress_paragraphs,
                    targets,
                )?;
                let reference = &loaded.reference;
                let width = reference.text_width(Orientation::Portrait);
                write_docx(&report_layout(&report, width), reference)
            })
        };
        // The period's figures go to the history on the core the packing leaves free: it
        // needs nothing the documents make.
        let record_history = || match options.mode {
            Mode::Write => write_period(&options.output, &period_figures(intake, &directory)),
            Mode::DryRun | Mode::Check => Ok(PathBuf::new()),
        };
        // So is the inputs' part of the manifest, made there too; not in the largest runs,
        // where it would be held through the packing (50,000 files: 15 MB of text, the peak
        // 230-242 MB instead of 218-221).
        let beside_packing = || {
            let recorded = record_history();
            let prepared = match options.mode {
                Mode::Write if records.len() < super::memory::LARGE_RUN_FILES => {
                    PreparedInputs::new(records, &directory)
                }
                Mode::Write | Mode::DryRun | Mode::Check => None,
            };
            (recorded, prepared)
        };
        let (prepared, feedback) = rayon::join(
            || {
                let schools = &loaded.schools;
                intake.has_school_statistics().then(|| {
                    stopwatch.time("render.targets", || {
                        prepare_targets(
                            &schools.targets.indicators,
                            &schools.codes,
                            &intake.schools,
                            &schools.registry,
                            &intake.rejected_schools,
                        )
                    })
                })
            },
            // Every unit's feedback, beside the documents, whether or not e-mail is
            // configured.
            || {
                stopwatch.time("render.feedback", || {
                    super::delivery::unit_feedback(&loaded, texts, intake)
                })
            },
        );
        match prepared {
            Some(prepared) => {
                // The companion workbook starts once the sums are done, and the report is
                // made from the finished targets while their workbook is packed, on a thread
                // of its own: the other documents go to disk before it is done.
                let mut companion_made = None;
                let targeted = rayon::scope(|scope| -> Result<_> {
                    let made = &mut companion_made;
                    let (targets, filled) = stopwatch.time("render.targets_xlsx", || {
                        targets_xlsx::fill_targets_xlsx(
                            prepared,
                            options.period,
                            &loaded.config.organisation.whole_area(),
                            move || scope.spawn(move |_| *made = Some(companion())),
                        )
                    })?;
                    let packing = filled.pack_aside();
                    let (docx, beside) = (report_docx(Some(&targets)), beside_packing());
                    Ok((targets, packing, docx, beside))
                });
                // Not started when the targets workbook failed before its sums.
                let xlsx = companion_made.unwrap_or_else(companion);
                let (targets, packing, docx, beside) = targeted?;
                (xlsx, docx, feedback, Some(targets), Some(packing), beside)
            }
            None => {
                let (xlsx, (docx, beside)) =
                    rayon::join(companion, || (report_docx(None), beside_packing()));
                (xlsx, docx, feedback, None, None, beside)
            }
        }
    };
    let (xlsx, docx) = (xlsx?, docx?);
    let slug = options.period.slug();
    let mut outputs = vec![
        OutputFile {
            name: format!("bao-cao-thang-{slug}.docx"),
            bytes: docx,
        },
        OutputFile {
            name: format!("so-lieu-thang-{slug}.xlsx"),
            bytes: xlsx,
        },
        OutputFile {
            name: format!("kiem-tra-{slug}.txt"),
            bytes: messages_text(&intake).into_bytes(),
        },
    ];
    // The targets workbook is still being packed. A run that writes takes it with the
    // manifest, once the other documents are on their way to disk (`write_outputs`); the
    // others, and PDFs made of it, wait for it here.
    let mut packing = targets_file.map(|packing| PendingTargets {
        packing,
        name: format!("chi-tieu-thang-{slug}.xlsx"),
        at: outputs.len(),
        render_started: started,
    });
    if options.mode != Mode::Write || options.pdf {
        if let Some(pending) = packing.take() {
            outputs.insert(pending.at, pending.finish(&mut timings)?);
        }
    }
    outputs.extend(plans.files);
    if options.pdf && options.mode == Mode::Write {
        add_pdfs(&mut outputs, &mut intake.messages, &config);
    }
    let feedback = feedback?;
    outputs.extend(super::delivery::feedback_files(&feedback));
    timings.extend(stopwatch.stages());
    render_lasted(&mut timings, started.elapsed());

    let schools_absent = targets.as_ref().map_or(0, |t| t.absent.len());
    let mut outcome = if intake.missing.is_empty()
        && intake.rejected_count() + plans.rejected_reports + schools_absent == 0
    {
        Outcome::Complete
    } else {
        Outcome::Partial
    };
    let written = write_outputs(
        options,
        &loaded,
        &intake,
        &mut outputs,
        timings,
        outcome,
        Pending {
            inputs: prepared,
            targets: packing,
        },
    )?;
    recorded?;
    let delivery = match options.mode {
        Mode::Write | Mode::DryRun => super::delivery::deliver_run(
            &loaded,
            &texts,
            &options.output,
            &intake,
            Some(&figures.submissions),
            &feedback,
            &outputs,
            options.delivery,
            options.mode == Mode::DryRun,
        ),
        Mode::Check => notify(options, &loaded, &texts, &intake)?,
    };
    if let Some(report) = &delivery {
        if report.failed() && options.mode != Mode::DryRun {
            outcome = Outcome::DeliveryFailed;
        }
        if options.mode == Mode::Write {
            record_delivery(&options.output.join(&slug), report, outcome);
        }
    }
    Ok(MonthlyRun {
        intake,
        config,
        written,
        mode: options.mode,
        outcome,
        recovered,
        rates: Some(figures.submissions),
        registered_schools: registered_schools(&loaded),
        targets,
        sources: ConfigSources::of(&loaded),
        report_not_made: None,
        delivery,
    })
}

/// `check --notify`: reminders to units with nothing usable or with problems.
fn notify(
    options: &MonthlyOptions,
    loaded: &config::LoadedConfig,
    texts: &crate::deliver::texts::DeliveryTexts,
    intake: &Intake,
) -> Result<Option<DeliveryReport>> {
    if options.mode != Mode::Check || !options.delivery.notify {
        return Ok(None);
    }
    let feedback = super::delivery::unit_feedback(loaded, texts, intake)?;
    Ok(Some(super::delivery::notify_units(
        loaded,
        &options.output,
        intake,
        &feedback,
        options.delivery,
    )))
}

/// Adds what was sent to the period's manifest and run log. The documents are already in
/// place; a failure here only loses the record, which the ledger still holds.
fn record_delivery(period_dir: &Path, report: &DeliveryReport, outcome: Outcome) {
    if let Err(error) =
        crate::deliver::manifest::record_delivery(period_dir, report, outcome.code())
    {
        tracing::warn!("{error:#}");
    }
    let log = period_dir.join(RUN_LOG);
    if let Ok(mut text) = std::fs::read_to_string(&log) {
        let mut lines = format!("Gửi thư\n{}", super::delivery::delivery_lines(report));
        if outcome == Outcome::DeliveryFailed {
            lines.push_str("Mã thoát cuối cùng: 4 (đã ghi tài liệu, gửi thư không được)\n");
        }
        // Each with its time and level, like the rest of the log; a server's reply quoted in
        // a failure cannot start a line of its own.
        text.push_str(&crate::deliver::run_log::timestamped_lines(
            &lines,
            crate::deliver::run_log::delivery_line_level,
        ));
        if let Err(error) = crate::deliver::atomic::write_atomically(&log, text.as_bytes()) {
            tracing::warn!("không ghi được {}: {error}", log.display());
        }
    }
}

/// Delivers the period's documents with their manifest and log (run), or lists them (dry run).
fn write_outputs<'a>(
    options: &MonthlyOptions,
    loaded: &config::LoadedConfig,
    intake: &'a Intake,
    outputs: &mut Vec<OutputFile>,
    mut timings: BTreeMap<&'static str, u128>,
    outcome: Outcome,
    pending: Pending<'a>,
) -> Result<Vec<PathBuf>> {
    let Pending {
        inputs: prepared,
        targets: packing,
    } = pending;
    let slug = options.period.slug();
    Ok(match options.mode {
        Mode::Write => {
            // The manifest and the log travel with the documents, so a run killed at any
            // moment leaves either the old set or the new one, each with its own manifest.
            let directory = loaded.config.directory();
            // The manifest and the log are made while the documents go to disk.
            let targets_at = packing.as_ref().map(|pending| pending.at);
            let (_, described) = deliver_with(&options.output, &slug, outputs, || {
                // The documents already made are hashed while the targets workbook is packed.
                let mut entries: Vec<OutputEntry> = outputs
                    .par_iter()
                    .map(|o| OutputEntry::new(&o.name, &o.bytes))
                    .collect();
                let mut late = Vec::with_capacity(3);
                if let Some(pending) = packing {
                    let at = pending.at.min(entries.len());
                    let file = pending.finish(&mut timings)?;
                    entries.insert(at, OutputEntry::new(&file.name, &file.bytes));
                    late.push(file);
                }
                let (inputs, rendered) = match prepared {
                    Some(prepared) => (prepared.entries, Some((prepared.json, prepared.details))),
                    None => (input_entries(&intake.records, &directory), None),
                };
                let mut manifest =
                    build_manifest(loaded, intake, inputs, entries, timings, outcome);
                let (log, json) = match rendered {
                    // Only the head of the manifest is left to write.
                    Some((rendered, details)) => {
                        let inputs = std::mem::take(&mut manifest.inputs);
                        let json = manifest_json_with(&manifest, &rendered);
                        manifest.inputs = inputs;
                        (run_log(intake, &manifest, Some(&details)), json)
                    }
                    // A line and an entry per input file: both made at once.
                    None => rayon::join(
                        || run_log(intake, &manifest, None),
                        || manifest_json(&manifest),
                    ),
                };
                late.push(OutputFile {
                    name: MANIFEST.to_string(),
                    bytes: json?.into_bytes(),
                });
                late.push(OutputFile {
                    name: RUN_LOG.to_string(),
                    bytes: log.into_bytes(),
                });
                Ok(late)
            })?;
            // In the order they would have had, the targets workbook back in its place.
            let mut described = described.into_iter();
            if let Some(at) = targets_at {
                if let Some(targets) = described.next() {
                    outputs.insert(at.min(outputs.len()), targets);
                }
            }
            outputs.extend(described);
            let folder = options.output.join(&slug);
            outputs.iter().map(|o| folder.join(&o.name)).collect()
        }
        Mode::DryRun => outputs
            .iter()
            .map(|o| options.output.join(&slug).join(&o.name))
            .collect(),
        Mode::Check => Vec::new(),
    })
}

/// No monthly report can be made (no Form A of the period was accepted): the plans and
/// progress reports of the input folder are still written with every unit's feedback, units
/// still hear about their files, and the run says why the monthly report is missing. Exit 2
/// when anything was written, 1 when nothing could be.
fn without_monthly_report(
    options: &MonthlyOptions,
    loaded: &config::LoadedConfig,
    texts: &crate::deliver::texts::DeliveryTexts,
    mut intake: Intake,
    recovered: Vec<String>,
    timings: BTreeMap<&'static str, u128>,
) -> Result<MonthlyRun> {
    let config = loaded.config.clone();
    let directory = config.directory();
    let reason = no_report_reason(&intake);
    intake.messages.push(Message::error(
        "khong-lap-bao-cao-thang",
        Location::file(input_label(&options.input)),
        format!(
            "Không lập được báo cáo {}: {reason}",
            options.period.in_text()
        ),
    ));
    let plans = super::plan::plan_outputs(
        &mut intake,
        options.period,
        &config,
        &directory,
        &loaded.reference,
    );
    intake.messages.extend(plans.messages);
    if plans.files.is_empty() || options.mode == Mode::Check {
        let mut outcome = if plans.files.is_empty() {
            Outcome::Failed
        } else {
            Outcome::Partial
        };
        // Nothing to report on, but units can still be reminded to send: with the reminders
        // out, units are missing (2); with a delivery failure, 4 whatever else happened.
        let delivery = notify(options, loaded, texts, &intake)?;
        if let Some(report) = &delivery {
            outcome = if report.failed() {
                Outcome::DeliveryFailed
            } else {
                Outcome::Partial
            };
        }
        let rates = Some(submission_rates(&intake, &config));
        return Ok(MonthlyRun {
            intake,
            config,
            written: Vec::new(),
            mode: options.mode,
            outcome,
            recovered,
            rates,
            registered_schools: registered_schools(loaded),
            targets: None,
            report_not_made: Some(reason),
            sources: ConfigSources::of(loaded),
            delivery,
        });
    }
    let mut outputs = plans.files;
    outputs.push(OutputFile {
        name: format!("kiem-tra-{}.txt", options.period.slug()),
        bytes: messages_text(&intake).into_bytes(),
    });
    let feedback = super::delivery::unit_feedback(loaded, texts, &intake)?;
    outputs.extend(super::delivery::feedback_files(&feedback));
    let mut outcome = Outcome::Partial;
    let written = write_outputs(
        options,
        loaded,
        &intake,
        &mut outputs,
        timings,
        outcome,
        Pending::default(),
    )?;
    // Without a monthly report leadership gets no message (the summary says why); units
    // still get their feedback.
    let delivery = super::delivery::deliver_run(
        loaded,
        texts,
        &options.output,
        &intake,
        None,
        &feedback,
        &outputs,
        options.delivery,
        options.mode == Mode::DryRun,
    );
    if let Some(report) = &delivery {
        if report.failed() && options.mode != Mode::DryRun {
            outcome = Outcome::DeliveryFailed;
        }
        if options.mode == Mode::Write {
            record_delivery(&options.output.join(options.period.slug()), report, outcome);
        }
    }
    let rates = Some(submission_rates(&intake, &config));
    Ok(MonthlyRun {
        intake,
        config,
        written,
        mode: options.mode,
        outcome,
        recovered,
        rates,
        registered_schools: registered_schools(loaded),
        targets: None,
        report_not_made: Some(reason),
        sources: ConfigSources::of(loaded),
        delivery,
    })
}

/// The registry's school codes, in its order.
fn registered_schools(loaded: &config::LoadedConfig) -> Vec<String> {
    let registry = &loaded.schools.registry;
    registry.schools().iter().map(|s| s.code.clone()).collect()
}

/// Why no monthly report could be made, in Vietnamese, from what became of the files.
fn no_report_reason(intake: &Intake) -> String {
    use crate::validate::intake::FormKind;
    use crate::validate::RecordStatus;
    let monthly = |status: fn(&RecordStatus) -> bool| {
        intake
            .records
            .iter()
            .filter(|r| r.form == Some(FormKind::MonthlyReport) && status(&r.status))
            .count()
    };
    let rejected = monthly(|s| *s == RecordStatus::Rejected);
    let other_period = monthly(|s| *s == RecordStatus::OtherPeriod);
    let unreadable = intake
        .records
        .iter()
        .filter(|r| r.status == RecordStatus::NotRead)
        .count();
    if rejected > 0 {
        format!("{rejected} báo cáo tháng (Biểu A) của kỳ này đều có lỗi không xác định được đơn vị hoặc kỳ báo cáo (xem các lỗi)")
    } else if unreadable > 0 {
        format!(
            "không có báo cáo tháng (Biểu A) hợp lệ của kỳ này; {unreadable} tệp không đọc được"
        )
    } else if other_period > 0 {
        format!("không có báo cáo tháng (Biểu A) của kỳ này; {other_period} báo cáo tháng thuộc kỳ khác")
    } else {
        "thư mục đầu vào chưa có báo cáo tháng (Biểu A) nào của kỳ này".to_string()
    }
}

/// Adds a PDF beside each DOCX and XLSX; without LibreOffice, says so and goes on. A
/// conversion that hangs is stopped at the configured limit, and the rest are skipped.
fn add_pdfs(outputs: &mut Vec<OutputFile>, messages: &mut Vec<Message>, config: &Config) {
    let Some(converter) = pdf::Converter::find(&config.libreoffice) else {
        messages.push(Message::warning(
            "khong-co-libreoffice",
            Location::file("--pdf"),
            "Không tìm thấy LibreOffice (lệnh soffice) nên không xuất được PDF; cài bằng: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui",
        ));
        return;
    };
    let sources: Vec<(String, Vec<u8>)> = outputs
        .iter()
        .filter(|o| o.name.ends_with(".docx") || o.name.ends_with(".xlsx"))
        .map(|o| (o.name.clone(), o.bytes.clone()))
        .collect();
    for (name, bytes) in sources {
        match converter.convert(&name, &bytes) {
            Ok(pdf) => outputs.push(OutputFile {
                name: pdf::pdf_name(&name),
                bytes: pdf,
            }),
            Err(error) => {
                tracing::warn!("{error}");
                let stop = error.stops_the_rest();
                let code = if matches!(error, pdf::PdfError::TimedOut { .. }) {
                    "libreoffice-qua-thoi-gian"
                } else {
                    "loi-xuat-pdf"
                };
                messages.push(Message::warning(
                    code,
                    Location::file(&name),
                    error.to_string(),
                ));
                if stop {
                    break;
                }
            }
        }
    }
}

/// The accepted figures of the period, for the history store.
fn period_figures(intake: &Intake, directory: &crate::config::UnitDirectory) -> PeriodFigures {
    let rows = intake
        .submissions
        .iter()
        .filter_map(|s| {
            let code = match s.reporter {
                Reporter::Unit(i) => directory.units().get(i)?.code.clone(),
                Reporter::Department => directory.department_code().to_string(),
            };
            Some((code, s.figures?))
        })
        .collect();
    PeriodFigures {
        period: intake.period,
        rows,
    }
}

/// The run log's name beside the outputs.
pub const RUN_LOG: &str = "nhat-ky-chay.txt";

fn take_lock(output: &Path) -> Result<RunLock> {
    match try_lock(output)? {
        LockAttempt::Acquired(lock) => Ok(lock),
        LockAttempt::Busy { holder } => Err(OutputBusy {
            holder,
            folder: output.display().to_string(),
        }
        .into()),
    }
}

/// The manifest's entry of every input file, in the order they were read.
fn input_entries<'a>(
    records: &'a [SubmissionRecord],
    directory: &crate::config::UnitDirectory,
) -> Vec<InputEntry<'a>> {
    let unit_code = |reporter: Option<Reporter>| match reporter? {
        Reporter::Unit(i) => directory.units().get(i).map(|u| u.code.clone()),
        Reporter::Department => Some(directory.department_code().to_string()),
    };
    records
        .iter()
        .map(|r| InputEntry::from_record(r, unit_code(r.reporter).or_else(|| r.school.clone())))
        .collect()
}

/// What is still being made, or was made ahead, when the writing of the outputs begins.
#[derive(Default)]
struct Pending<'a> {
    /// The inputs' part of the manifest and of the run log, made beside the packing.
    inputs: Option<PreparedInputs<'a>>,
    /// The targets workbook, still being packed.
    targets: Option<PendingTargets>,
}

/// The targets workbook while it is packed, with the place its file takes among the outputs.
struct PendingTargets {
    packing: Packing,
    name: String,
    at: usize,
    /// When the documents were begun: the render stage lasts until the packing ends.
    render_started: Instant,
}

impl PendingTargets {
    /// Waits for the file, and records how long the packing and the whole render took.
    fn finish(self, timings: &mut BTreeMap<&'static str, u128>) -> Result<OutputFile> {
        let (bytes, took, ended) = self.packing.finish()?;
        timings.insert("render.targets_pack", took.as_millis());
        render_lasted(timings, ended.duration_since(self.render_started));
        Ok(OutputFile {
            name: self.name,
            bytes,
        })
    }
}

/// The render stage lasted at least `elapsed`: until the last document, which may be the
/// targets workbook finished after the others.
fn render_lasted(timings: &mut BTreeMap<&'static str, u128>, elapsed: Duration) {
    let whole = timings.entry("render").or_insert(0);
    *whole = (*whole).max(elapsed.as_millis());
}

/// The inputs' part of the manifest and of the run log, made before the last document is
/// done: the entries, their JSON ([`manifest_json_with`]) and their lines in the log, but
/// for the time ([`RunLog::details_rendered`]).
struct PreparedInputs<'a> {
    entries: Vec<InputEntry<'a>>,
    json: String,
    details: RenderedDetails,
}

impl<'a> PreparedInputs<'a> {
    fn new(
        records: &'a [SubmissionRecord],
        directory: &crate::config::UnitDirectory,
    ) -> Option<Self> {
        let entries = input_entries(records, directory);
        // Should it fail, the manifest is made whole at the end, as without it.
        let json = inputs_json(&entries).ok()?;
        let details = render_details(detail_texts(&entries, records));
        Some(PreparedInputs {
            entries,
            json,
            details,
        })
    }
}

fn build_manifest<'a>(
    loaded: &config::LoadedConfig,
    intake: &Intake,
    inputs: Vec<InputEntry<'a>>,
    outputs: Vec<OutputEntry>,
    timings: BTreeMap<&'static str, u128>,
    outcome: Outcome,
) -> Manifest<'a> {
    Manifest {
        tool: "baocao",
        version: env!("CARGO_PKG_VERSION"),
        period: intake.period.slug(),
        config_source: loaded.source.clone(),
        config_origin: loaded.origin,
        templates_source: loaded.templates_source.clone(),
        config_sha256: sha256_hex(loaded.config_text.as_bytes()),
        templates_sha256: sha256_hex(loaded.templates_text.as_bytes()),
        inputs,
        outputs,
        timings_ms: timings,
        exit_status: outcome.code(),
    }
}

/// The run log: every line with its time and level, as in the system log, so that the file
/// beside the documents and the lines cron or the journal kept tell the same story.
/// `details`: the lines of the input files, if they were rendered ahead ([`PreparedInputs`]).
fn run_log(intake: &Intake, manifest: &Manifest, details: Option<&RenderedDetails>) -> String {
    let mut log = RunLog::default();
    log.info(format!(
        "baocao {} — kỳ {} — mã thoát {}",
        manifest.version,
        intake.period.in_text(),
        manifest.exit_status
    ));
    log.info(format!(
        "cấu hình: {} ({}); mẫu câu chữ: {}",
        manifest.config_source, manifest.config_origin, manifest.templates_source
    ));
    if manifest.config_origin == crate::config::ConfigOrigin::Builtin {
        log.warn(crate::config::locate::builtin_warning());
    }
    // In the order the run goes through them, each stage before its parts.
    let mut stages: Vec<_> = manifest.timings_ms.iter().collect();
    stages.sort_by_key(|(stage, _)| {
        let whole = stage.split('.').next().unwrap_or(stage);
        let rank = ["ingest_validate", "aggregate", "render"]
            .iter()
            .position(|s| *s == whole)
            .unwrap_or(usize::MAX);
        (rank, stage.contains('.'))
    });
    for (stage, ms) in stages {
        log.info(format!("thời gian {}: {ms} ms", stage_name(stage)));
    }
    match details {
        Some(details) => log.details_rendered(details),
        None => log.details(detail_texts(&manifest.inputs, &intake.records)),
    }
    for line in crate::logging::take_library_lines() {
        log.push_formatted(line);
    }
    for message in &intake.messages {
        log.message(message);
    }
    log.into_text()
}

/// The run log's line of each input file: its path, size, form and fate.
fn detail_texts<'a>(
    inputs: &'a [InputEntry],
    records: &'a [SubmissionRecord],
) -> impl Iterator<Item = String> + 'a {
    inputs.iter().zip(records).map(|(input, record)| {
        let form = record
            .form
            .map(|f| format!(", {}", f.label()))
            .unwrap_or_default();
        format!(
            "tệp {} ({} byte{form}): {}",
            input.path, input.size, input.status
        )
    })
}

fn input_label(input: &Path) -> String {
    format!("{}/", input.display().to_string().trim_end_matches('/'))
}

/// The department's overdue figure should match the dossiers the submissions list.
fn check_department_overdue(intake: &mut Intake, figures: &MonthlyAggregate) {
    let Some((department, stated)) = intake
        .department()
        .and_then(|d| Some((d, d.figures?.tthc_qua_han)))
    else {
        return;
    };
    let listed = figures.overdue.len() as u64;
    if stated != listed {
        let cell = department
            .figure_cells
            .get("TTHC_QUA_HAN")
            .cloned()
            .unwrap_or_default();
        let location = Location::cell(&department.source.display, "Số liệu", cell);
        intake.messages.push(Message::warning(
            "lech-qua-han-so",
            location,
            format!(
                "Số liệu toàn Sở ghi {stated} hồ sơ quá hạn nhưng các báo cáo liệt kê {listed} hồ sơ (trang «Hồ sơ quá hạn»); báo cáo nêu {}",
                stated.max(listed)
            ),
        ));
    }
}

/// Replaces statements in the department's free text that the figures refute.
fn correct_department_claims(
    intake: &mut Intake,
    figures: &MonthlyAggregate,
    wording: &Wording,
) -> Result<()> {
    let overdue = figures.overdue_count();
    let late = figures.totals.vb_cham;
    let claims = [
        Claim {
            phrases: NO_OVERDUE_DOSSIERS,
            actual: overdue,
            replacement: wording.render(
                "part1.overdue_claim_replacement",
                context! { so_luong => format_count(overdue) },
            )?,
        },
        Claim {
            phrases: NO_LATE_DOCUMENTS,
            actual: late,
            replacement: wording.render(
                "part1.late_documents_claim_replacement",
                context! { so_luong => format_count(late) },
            )?,
        },
    ];
    let mut found = Vec::new();
    if let Some(department) = intake
        .submissions
        .iter_mut()
        .find(|s| s.reporter == Reporter::Department)
    {
        found.extend(correct_claims(&mut department.assessment, &claims));
        found.extend(correct_claims(&mut department.general_tasks, &claims));
    }
    intake.messages.extend(found);
    Ok(())
}

/// The validation messages as a plain text file beside the documents.
pub fn messages_text(intake: &Intake) -> String {
    let mut text = format!("Kết quả kiểm tra báo cáo {}\n\n", intake.period.in_text());
    if intake.messages.is_empty() {
        text.push_str("Không có lỗi hay cảnh báo.\n");
    }
    for message in &intake.messages {
        text.push_str(&message.to_string());
        text.push('\n');
    }
    text
}

/// The Vietnamese name of a timed stage, for the log (the manifest keeps the English keys).
/// A dotted key is a part of its stage, timed on its own while other parts ran beside it.
fn stage_name(stage: &str) -> &str {
    match stage {
        "ingest_validate" => "đọc và kiểm tra",
        "aggregate" => "tổng hợp",
        "aggregate.plans" => "tổng hợp › kế hoạch và tiến độ",
        "render" => "tạo tài liệu",
        "render.companion_xlsx" => "tạo tài liệu › bảng số liệu",
        "render.targets" => "tạo tài liệu › tính chỉ tiêu",
        "render.targets_xlsx" => "tạo tài liệu › bảng chỉ tiêu",
        "render.targets_pack" => "tạo tài liệu › đóng gói bảng chỉ tiêu",
        "render.report_docx" => "tạo tài liệu › báo cáo",
        "render.feedback" => "tạo tài liệu › phiếu phản hồi",
        other => other,
    }
}

/// Milliseconds per part of a stage, recorded from parallel work: where a run's time goes
/// (issue 24), in the run log and the manifest.
#[derive(Default)]
struct Stopwatch(std::sync::Mutex<BTreeMap<&'static str, u128>>);

impl Stopwatch {
    fn time<T>(&self, stage: &'static str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = work();
        if let Ok(mut stages) = self.0.lock() {
            stages.insert(stage, started.elapsed().as_millis());
        }
        result
    }

    fn stages(self) -> BTreeMap<&'static str, u128> {
        self.0.into_inner().unwrap_or_default()
    }
}
