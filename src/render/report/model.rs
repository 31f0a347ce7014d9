//! The monthly report as structured text: headings, paragraphs and bullets whose runs may
//! carry footnotes. Every sentence comes from a template; every figure from the aggregate.

use anyhow::Result;
use minijinja::{context, Value};

use super::blocks::{Block, Inline, ReportDocument};
use super::targets_section::targets_blocks;
use super::tasks::{group_by_field, line_text};
use super::wording::Wording;
use crate::aggregate::comparison::{change_text, Comparison};
use crate::aggregate::{MonthlyAggregate, ShareBase, UnitRow, UnitStatus};
use crate::config::Config;
use crate::model::{FreeParagraph, MonthlySubmission, Reporter, StandardFigures};
use crate::render::letterhead::{ClosingLines, HeaderLines};
use crate::schools::TargetResults;
use crate::validate::Intake;
use crate::vn::date::{format_date, format_datetime};
use crate::vn::duration::format_lateness;
use crate::vn::number::{format_count, format_percent_tenths};
use crate::vn::Period;

const NOTE_OPEN: char = '\u{E000}';
const NOTE_CLOSE: char = '\u{E001}';

/// Builds the report for the period from validated submissions and their aggregate, with a
/// paragraph per plan whose progress was reported this period.
pub fn build_report(
    config: &Config,
    wording: &Wording,
    intake: &Intake,
    figures: &MonthlyAggregate,
    plan_progress: &[String],
    targets: Option<&TargetResults>,
) -> Result<ReportDocument> {
    // Every template may name the base of the shares: the department's totals, or (when
    // those are missing or withheld) the sum of the units that have figures.
    let base = context! {
        goc_don_vi => figures.share_base == ShareBase::UnitsWithFigures,
        ..base_context(config, figures.period)
    };
    let mut builder = Builder {
        wording,
        notes: Vec::new(),
        blocks: Vec::new(),
        base,
    };
    builder.part_one(config, intake, figures, plan_progress, targets)?;
    builder.part_two(config, intake)?;
    let closing = builder.text("document.closing", context! {})?;
    builder.paragraph(&closing);

    let recipients_heading = builder.text("closing_block.recipients_heading", context! {})?;
    Ok(ReportDocument {
        header: HeaderLines::for_report(config, figures.period),
        title: builder.text("document.title", context! {})?,
        summary: builder.text("document.summary", context! {})?,
        blocks: builder.blocks,
        closing: ClosingLines::signed_by(config, recipients_heading, &config.report.recipients),
    })
}

fn period_value(period: Period) -> Value {
    context! {
        thang => period.month,
        nam => period.year,
        chu => period.in_text(),
        tieu_de => period.heading(),
    }
}

fn base_context(config: &Config, period: Period) -> Value {
    context! {
        ky => period_value(period),
        ky_sau => period_value(period.next()),
        tu_ngay => format_date(period.first_day()),
        den_ngay => format_date(period.last_day()),
        he_thong => config.organisation.document_system.clone(),
        co_quan => config.organisation.short_name.clone(),
        dia_phuong => config.organisation.locality.clone(),
        dia_danh => config.organisation.place.clone(),
    }
}

/// Formatted standard figures for templates (`3.675`, `06`, `0`).
fn figures_value(f: &StandardFigures) -> std::collections::BTreeMap<&'static str, String> {
    crate::model::STANDARD_CODES
        .iter()
        .map(|(code, _)| (code_variable(code), format_count(f.get(code).unwrap_or(0))))
        .collect()
}

fn code_variable(code: &str) -> &'static str {
    match code {
        "VB_DEN" => "vb_den",
        "VB_DI" => "vb_di",
        "VB_CHAM" => "vb_cham",
        "TTHC_TIEP_NHAN" => "tthc_tiep_nhan",
        "TTHC_KY_TRUOC" => "tthc_ky_truoc",
        "TTHC_DA_GQ" => "tthc_da_gq",
        "TTHC_DANG_GQ" => "tthc_dang_gq",
        _ => "tthc_qua_han",
    }
}

fn share_text(share: Option<u64>) -> String {
    share.map_or_else(|| "không tính được".to_string(), format_percent_tenths)
}

struct Builder<'a> {
    wording: &'a Wording,
    notes: Vec<String>,
    blocks: Vec<Block>,
    base: Value,
}

impl Builder<'_> {
    /// Renders a template with the shared variables plus `extra`.
    fn text(&self, key: &str, extra: Value) -> Result<String> {
        let merged = context! { ..extra, ..self.base.clone() };
        self.wording.render(key, merged)
    }

    /// Registers a footnote and returns the marker a template places where its mark goes.
    fn note(&mut self, text: String) -> String {
        self.notes.push(text);
        format!("{NOTE_OPEN}{}{NOTE_CLOSE}", self.notes.len() - 1)
    }

    fn heading(&mut self, level: u8, text: String) {
        self.blocks.push(Block::Heading { level, text });
    }

    fn paragraph(&mut self, marked: &str) {
        let inlines = self.split(marked);
        self.blocks.push(Block::Paragraph(inlines));
    }

    fn bullet(&mut self, marked: &str) {
        let inlines = self.split(marked);
        self.blocks.push(Block::Bullet(inlines));
    }

    /// Splits rendered text at footnote markers into runs and footnotes.
    fn split(&self, marked: &str) -> Vec<Inline> {
        let mut inlines = Vec::new();
        let mut rest = marked;
        while let Some(open) = rest.find(NOTE_OPEN) {
            if open > 0 {
                inlines.push(Inline::Text(rest[..open].to_string()));
            }
            let after = &rest[open + NOTE_OPEN.len_utf8()..];
            let close = after.find(NOTE_CLOSE).unwrap_or(after.len());
            if let Some(note) = after[..close]
                .parse::<usize>()
                .ok()
                .and_then(|i| self.notes.get(i))
            {
                inlines.push(Inline::Footnote(note.clone()));
            }
            rest = after.get(close + NOTE_CLOSE.len_utf8()..).unwrap_or("");
        }
        if !rest.is_empty() {
            inlines.push(Inline::Text(rest.to_string()));
        }
        inlines
    }

    /// A department paragraph with its optional footnote at `(*)` or at the end.
    fn free_paragraph(&mut self, paragraph: &FreeParagraph) {
        let footnote = paragraph.footnote.trim();
        if footnote.is_empty() {
            let text = paragraph.content.replace("(*)", "");
            self.paragraph(&text);
            return;
        }
        let marker = self.note(footnote.to_string());
        let text = if paragraph.content.contains("(*)") {
            paragraph
                .content
                .replacen("(*)", &marker, 1)
                .replace("(*)", "")
        } else {
            format!("{}{marker}", paragraph.content)
        };
        self.paragraph(&text);
    }

    fn part_one(
        &mut self,
        config: &Config,
        intake: &Intake,
        figures: &MonthlyAggregate,
        plan_progress: &[String],
        targets: Option<&TargetResults>,
    ) -> Result<()> {
        let heading = self.text("part1.heading", context! {})?;
        let intro = self.text("document.intro", context! {})?;
        self.paragraph(&intro);
        self.heading(1, heading);

        // 1. Advisory work, with the documents in a footnote.
        let heading = self.text("part1.advisory_heading", context! {})?;
        self.heading(2, heading);
        let mut items = Vec::new();
        for (n, entry) in figures.advised.iter().enumerate() {
            let document = &entry.document;
            items.push(self.text(
                "part1.advised_item",
                context! {
                    stt => n + 1,
                    loai => self.wording.document_kind(&document.number),
                    so => document.number.clone(),
                    ngay => document.issued_on.map(format_date).unwrap_or_default(),
                    co_quan_ban_hanh => document.issuer.clone(),
                    trich_yeu => document.summary.clone(),
                },
            )?);
        }
        let marker = if items.is_empty() {
            String::new()
        } else {
            self.note(items.join("; "))
        };
        let advisory = self.text(
            "part1.advisory",
            context! { so_van_ban => format_count(figures.advised.len() as u64), n_van_ban => figures.advised.len(), chu_thich => marker },
        )?;
        self.paragraph(&advisory);
        if let Some(department) = intake.department() {
            for line in group_by_field(&department.results) {
                self.bullet(&line_text(&line));
            }
        }

        // 2. Professional work: department totals, then each unit.
        let heading = self.text("part1.professional_heading", context! {})?;
        self.heading(2, heading);
        let intro = self.text("part1.professional_intro", context! {})?;
        self.paragraph(&intro);
        let totals = figures_value(&figures.totals);
        let with_figures = figures
            .units
            .iter()
            .filter(|u| u.status.has_figures())
            .count();
        let documents = self.text(
            "part1.department_documents",
            context! {
                t => totals.clone(),
                n_co_so_lieu => with_figures,
                n_don_vi => figures.units.len(),
            },
        )?;
        self.paragraph(&documents);
        let mut overdue_items = Vec::new();
        for entry in &figures.overdue {
            let d = &entry.dossier;
            let footnote = self.text(
                "part1.overdue_footnote",
                context! {
                    thoi_han => d.time_limit.clone(),
                    tre_han => format_lateness(entry.lateness),
                    tiep_nhan => d.received.map(format_datetime).unwrap_or_default(),
                    hen_tra => d.appointment.map(format_datetime).unwrap_or_default(),
                    han_xu_ly => format_datetime(d.deadline),
                    co_ket_qua => format_datetime(d.result),
                    tra_ket_qua => d.returned.map(format_datetime).unwrap_or_default(),
                },
            )?;
            let marker = self.note(footnote);
            overdue_items.push(self.text(
                "part1.overdue_item",
                context! { ma => d.code.clone(), thu_tuc => d.procedure.clone(), chu_thich => marker },
            )?);
        }
        let mut dossier_totals = totals.clone();
        dossier_totals.insert("tthc_qua_han", format_count(figures.overdue_count()));
        let dossiers = self.text(
            "part1.department_dossiers",
            context! {
                t => dossier_totals.clone(),
                trong_ky => format_count(figures.received_in_period),
                ty_le_giai_quyet => share_text(figures.solved_rate),
                n_qua_han => figures.overdue_count(),
                ds_qua_han => overdue_items.join("; "),
            },
        )?;
        self.paragraph(&dossiers);
        if let Some(comparison) = &figures.comparison {
            let text = self.comparison_text(comparison, figures.period)?;
            if !text.is_empty() {
                self.paragraph(&text);
            }
        }

        for (number, row) in figures.units.iter().enumerate() {
            self.unit_section(number + 1, row, intake)?;
        }

        // Progress of the plans whose lead units reported this period (Form C).
        if !plan_progress.is_empty() {
            let heading = self.text("part1.plans_heading", context! {})?;
            self.heading(2, heading);
            for paragraph in plan_progress {
                let text = self.text(
                    "part1.plan_progress",
                    context! { noi_dung => paragraph.clone() },
                )?;
                self.paragraph(&text);
            }
        }

        // Targets judged from the schools' statistics (Form D), when any school reported.
        if let Some(results) = targets {
            let number = if plan_progress.is_empty() { 3 } else { 4 };
            let blocks = targets_blocks(results, number, &|key, extra| self.text(key, extra))?;
            self.blocks.extend(blocks);
        }

        // Overall assessment: what the data says, then the department's own paragraphs.
        let heading = self.text("part1.assessment_heading", context! {})?;
        self.heading(3, heading);
        let names = |units: Vec<usize>| -> Vec<String> {
            units
                .iter()
                .map(|&i| config.units[i].name.clone())
                .collect()
        };
        let not_reported = names(intake.units_not_submitted());
        let with_errors = names(intake.units_with_errors());
        let from_data = self.text(
            "part1.assessment_from_data",
            context! {
                t => dossier_totals,
                ty_le_giai_quyet => share_text(figures.solved_rate),
                n_qua_han => figures.overdue_count(),
                n_vb_cham => figures.totals.vb_cham,
                chua_nop => not_reported.join(", "),
                co_loi => with_errors.join(", "),
            },
        )?;
        self.paragraph(&from_data);
        if let Some(department) = intake.department() {
            for paragraph in &department.assessment {
                self.free_paragraph(paragraph);
            }
        }
        Ok(())
    }

    /// The department's figures against the previous month, the same month last year and the
    /// year to date; empty when the history holds none of them.
    fn comparison_text(&self, comparison: &Comparison, period: Period) -> Result<String> {
        let changes = |base: &StandardFigures| -> std::collections::BTreeMap<&'static str, String> {
            ["VB_DEN", "VB_DI", "TTHC_TIEP_NHAN", "TTHC_DA_GQ"]
                .iter()
                .map(|code| {
                    let now = comparison.current.get(code).unwrap_or(0);
                    (
                        code_variable(code),
                        change_text(now, base.get(code).unwrap_or(0)),
                    )
                })
                .collect()
        };
        let previous = comparison
            .previous
            .as_ref()
            .map(changes)
            .unwrap_or_default();
        let last_year = comparison
            .same_month_last_year
            .as_ref()
            .map(changes)
            .unwrap_or_default();
        let with_ytd = comparison.months_with_figures.len() > 1;
        // A year to date over months not all in the history says which months it lacks.
        let missing: Vec<String> = comparison
            .missing_months(period)
            .iter()
            .map(u32::to_string)
            .collect();
        let note = if missing.is_empty() {
            String::new()
        } else {
            format!(" (chưa có số liệu tháng {})", missing.join(", "))
        };
        self.text(
            "part1.department_comparison",
            context! {
                co_thang_truoc => comparison.previous.is_some(),
                co_cung_ky => comparison.same_month_last_year.is_some(),
                co_luy_ke => with_ytd,
                ss_truoc => previous,
                ss_cung_ky => last_year,
                luy_ke => figures_value(&comparison.year_to_date),
                luy_ke_ghi_chu => note,
                luy_ke_thang_dau => comparison.first_month(),
            },
        )
    }

    fn unit_section(&mut self, number: usize, row: &UnitRow, intake: &Intake) -> Result<()> {
        let heading = self.text(
            "part1.unit_heading",
            context! { so_muc => number, ten => row.name.clone() },
        )?;
        self.heading(3, heading);
        let Some(submission) = intake.unit(row.index) else {
            let key = if row.status == UnitStatus::Rejected {
                "part1.unit_rejected"
            } else {
                "part1.unit_not_submitted"
            };
            let text = self.text(key, context! {})?;
            self.paragraph(&text);
            return Ok(());
        };
        use crate::validate::form_a::sheets;
        let with_subsections =
            !submission.shortcomings.is_empty() || submission.is_withheld(sheets::SHORTCOMINGS);
        if with_subsections {
            let text = self.text("part1.results_subheading", context! {})?;
            self.heading(4, text);
        }
        if row.status.has_figures() {
            self.unit_figures(row, submission)?;
        } else {
            // The figures cannot be trusted; the text can, and the reader is told why the
            // figures are not there.
            let text = self.text("part1.unit_figures_withheld", context! {})?;
            self.paragraph(&text);
        }
        if !submission.results.is_empty() {
            let intro = self.text("part1.unit_tasks_intro", context! {})?;
            self.paragraph(&intro);
            for line in group_by_field(&submission.results) {
                self.bullet(&line_text(&line));
            }
        }
        self.text_withheld(submission, sheets::RESULTS)?;
        if with_subsections {
            let text = self.text("part1.shortcomings_subheading", context! {})?;
            self.heading(4, text);
            for shortcoming in &submission.shortcomings {
                self.paragraph(shortcoming);
            }
            self.text_withheld(submission, sheets::SHORTCOMINGS)?;
        }
        Ok(())
    }

    /// A unit's documents, dossiers and own figures, with shares of the base in force.
    fn unit_figures(&mut self, row: &UnitRow, submission: &MonthlySubmission) -> Result<()> {
        let mut f = figures_value(&row.figures);
        f.insert("ty_le_den", share_text(row.received_share));
        f.insert("ty_le_di", share_text(row.issued_share));
        let documents = self.text("part1.unit_documents", context! { f => f.clone() })?;
        self.paragraph(&documents);
        let dossiers = self.text(
            "part1.unit_dossiers",
            context! { f => f, n_tiep_nhan => row.figures.tthc_tiep_nhan },
        )?;
        self.paragraph(&dossiers);
        for extra in &submission.extra_figures {
            let text = self.text(
                "part1.unit_extra_figure",
                context! { chi_tieu => extra.label.clone(), gia_tri => format_count(extra.value), don_vi_tinh => extra.measure.clone() },
            )?;
            self.paragraph(&text);
        }
        Ok(())
    }

    /// One sentence in place of a text sheet that was missing or broken.
    fn text_withheld(&mut self, submission: &MonthlySubmission, sheet: &str) -> Result<()> {
        if submission.is_withheld(sheet) {
            let text = self.text("part1.unit_text_withheld", context! { phan => sheet })?;
            self.paragraph(&text);
        }
        Ok(())
    }

    fn part_two(&mut self, config: &Config, intake: &Intake) -> Result<()> {
        let heading = self.text("part2.heading", context! {})?;
        self.heading(1, heading);
        let intro = self.text("part2.intro", context! {})?;
        self.paragraph(&intro);
        let heading = self.text("part2.general_heading", context! {})?;
        self.heading(2, heading);
        if let Some(department) = intake.department() {
            for paragraph in &department.general_tasks {
                self.free_paragraph(paragraph);
            }
            // For the department, `Nhiệm vụ tháng sau` is the same thing as `Nhiệm vụ trọng
            // tâm chung`: used when that sheet is absent.
            if department.general_tasks.is_empty() {
                for line in group_by_field(&department.next_tasks) {
                    self.paragraph(&line_text(&line));
                }
            }
        }
        let heading = self.text("part2.specific_heading", context! {})?;
        self.heading(2, heading);

        let mut number = 0;
        let mut index = 0;
        while index < config.units.len() {
            let group = config.units[index].next_month_group.trim().to_string();
            number += 1;
            if group.is_empty() {
                let heading = self.text(
                    "part2.unit_heading",
                    context! { so_muc => number, ten => config.units[index].name.clone() },
                )?;
                self.heading(3, heading);
                self.next_tasks_of(index, intake)?;
                index += 1;
                continue;
            }
            let heading = self.text(
                "part2.group_heading",
                context! { so_muc => number, ten => group.clone() },
            )?;
            self.heading(3, heading);
            let mut letter = b'a';
            while index < config.units.len() && config.units[index].next_month_group.trim() == group
            {
                let heading = self.text(
                    "part2.unit_in_group_heading",
                    context! { chu => (letter as char).to_string(), ten => config.units[index].name.clone() },
                )?;
                self.heading(4, heading);
                self.next_tasks_of(index, intake)?;
                letter = letter.saturating_add(1);
                index += 1;
            }
        }
        Ok(())
    }

    fn next_tasks_of(&mut self, index: usize, intake: &Intake) -> Result<()> {
        match intake.unit(index) {
            Some(submission) => {
                for line in group_by_field(&submission.next_tasks) {
                    self.paragraph(&line_text(&line));
                }
                if submission.is_withheld(crate::validate::form_a::sheets::NEXT_TASKS) {
                    let text = self.text("part2.unit_tasks_withheld", context! {})?;
                    self.paragraph(&text);
                }
            }
            None => {
                let key = if intake.rejected_units.contains(&index) {
                    "part2.unit_rejected"
                } else {
                    "part2.unit_not_submitted"
                };
                let text = self.text(key, context! {})?;
                self.paragraph(&text);
            }
        }
        Ok(())
    }
}

/// Marks which reporter a figure belongs to, for tables that list them.
pub fn reporter_name(reporter: Reporter, config: &Config) -> String {
    match reporter {
        Reporter::Unit(i) => config
            .units
            .get(i)
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        Reporter::Department => format!("Toàn Sở ({})", config.organisation.department_code),
    }
}
