//! `baocao run` and `baocao check`: the monthly report from the units' Form A workbooks.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use minijinja::context;

use super::exit::Outcome;
use crate::aggregate::{aggregate, MonthlyAggregate};
use crate::config::{self, Config};
use crate::deliver::{deliver, OutputFile};
use crate::ingest::discover;
use crate::model::Reporter;
use crate::render::{build_report, companion_xlsx, report_docx, Wording};
use crate::validate::claims::{correct_claims, Claim, NO_LATE_DOCUMENTS, NO_OVERDUE_DOSSIERS};
use crate::validate::{intake, Intake, Location, Message};
use crate::vn::number::format_count;
use crate::vn::Period;

/// What the monthly command was asked to do.
#[derive(Debug, Clone)]
pub struct MonthlyOptions {
    pub period: Period,
    pub input: PathBuf,
    pub output: PathBuf,
    pub config: Option<PathBuf>,
    /// False for `check`: validate and report, write no documents.
    pub write: bool,
}

/// What a monthly run did, for the summary and the exit status.
#[derive(Debug)]
pub struct MonthlyRun {
    pub intake: Intake,
    pub config: Config,
    pub written: Vec<PathBuf>,
    pub outcome: Outcome,
}

/// Runs the pipeline for one period. An `Err` means nothing could be produced (exit 1).
pub fn run_monthly(options: &MonthlyOptions) -> Result<MonthlyRun> {
    let loaded = config::load(options.config.as_deref())?;
    let wording = Wording::from_toml(&loaded.templates_text).context("mẫu câu chữ")?;
    let config = loaded.config;
    let directory = config.directory();

    let files = discover(&options.input)?;
    let mut intake = intake(
        &files,
        options.period,
        &directory,
        &input_label(&options.input),
    );
    if intake.submissions.is_empty() {
        return Ok(MonthlyRun {
            intake,
            config,
            written: Vec::new(),
            outcome: Outcome::Failed,
        });
    }

    let figures = aggregate(&intake, &directory)?;
    check_department_overdue(&mut intake, &figures);
    correct_department_claims(&mut intake, &figures, &wording)?;

    let report = build_report(&config, &wording, &intake, &figures)?;
    let docx = report_docx::write_report_docx(&report)?;
    let xlsx = companion_xlsx::write_companion_xlsx(&config, &intake, &figures)?;
    let slug = options.period.slug();
    let outputs = vec![
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
    let written = if options.write {
        deliver(&options.output, &slug, &outputs)?
    } else {
        Vec::new()
    };
    let outcome = if intake.missing.is_empty() && intake.rejected_count() == 0 {
        Outcome::Complete
    } else {
        Outcome::Partial
    };
    Ok(MonthlyRun {
        intake,
        config,
        written,
        outcome,
    })
}

fn input_label(input: &Path) -> String {
    format!("{}/", input.display().to_string().trim_end_matches('/'))
}

/// The department's overdue figure should match the dossiers the submissions list.
fn check_department_overdue(intake: &mut Intake, figures: &MonthlyAggregate) {
    let Some(department) = intake.department() else {
        return;
    };
    let stated = department.figures.tthc_qua_han;
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
