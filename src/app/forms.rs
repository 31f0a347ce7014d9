//! `baocao forms`: the blank forms for a period, written together into
//! `OUTPUT/YYYY-MM/` — each configured unit's Form A and the department's (`SO`), a blank
//! Form B, and for every plan in the input folder each lead unit's Form C with its tasks; a
//! blank Form D any school can fill, and with `--truong` each registered school's own.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use super::exit::Outcome;
use crate::config::{self, FormsSettings, UnitDirectory, UnitMatch};
use crate::deliver::{deliver, OutputFile};
use crate::forms::form_c::{lead_units, write_form_c, LeadUnit};
use crate::forms::{form_a, form_b, form_d, Addressee, FormSetup, Guide, BUILTIN_GUIDE};
use crate::ingest::discover::FileKind;
use crate::ingest::{discover, read_guarded, Limits};
use crate::plan::form_b::parse_form_b;
use crate::plan::units::same_named;
use crate::plan::{Plan, UnitKey};
use crate::text::fold::fold_words;
use crate::validate::intake::FormKind;
use crate::validate::{Message, Severity};
use crate::vn::number::format_count;
use crate::vn::Period;

/// What `baocao forms` was asked for.
#[derive(Debug, Clone)]
pub struct FormsOptions {
    pub period: Period,
    /// The folder under which the period's folder of forms is written.
    pub output: PathBuf,
    /// Only these units (codes, names or aliases; the department's code for its form); all
    /// when empty.
    pub units: Vec<String>,
    pub config: Option<PathBuf>,
    /// Where the plans are; `./input` when it exists, else no Form C.
    pub input: Option<PathBuf>,
    /// Also write each registered school's own Form D, pre-filled (`--truong`).
    pub schools: bool,
}

/// What was written.
#[derive(Debug)]
pub struct FormsRun {
    pub folder: PathBuf,
    pub files: Vec<PathBuf>,
    /// Messages of plans that could not be read; their Form C were not written.
    pub messages: Vec<Message>,
    pub rejected_plans: usize,
    /// Whether plans were looked for (an input folder existed).
    pub plans_read: usize,
    /// How many schools got their own Form D (listed as one line, not file by file).
    pub school_forms: usize,
}

/// The command: writes the forms, prints what it did in Vietnamese, and returns 0 when
/// everything asked for was written, 1 otherwise.
pub fn forms_command(options: &FormsOptions) -> Outcome {
    match generate_forms(options) {
        Ok(run) => {
            super::stdout::print_text(&summary(&run));
            if run.rejected_plans > 0 {
                Outcome::Failed
            } else {
                Outcome::Complete
            }
        }
        Err(error) => {
            eprintln!("baocao: không tạo được biểu mẫu: {error:#}");
            Outcome::Failed
        }
    }
}

/// Writes the forms and says what was written.
pub fn generate_forms(options: &FormsOptions) -> Result<FormsRun> {
    let loaded = config::load(options.config.as_deref())?;
    let config = &loaded.config;
    let guide = Guide::from_toml(&guide_text(options.config.as_deref(), &config.forms)?)?;
    let directory = config.directory();
    let setup = FormSetup {
        config,
        directory: &directory,
        guide: &guide,
        period: options.period,
    };
    let wanted = Selection::parse(&options.units, &directory);
    let (plans, messages, plans_read) = read_plans(
        options.input.as_deref(),
        &directory,
        &config.limits,
        &config.libreoffice,
    )?;
    wanted.check(&plans, &directory)?;

    let mut files = Vec::new();
    let mut names = Names::default();
    let period = options.period.slug();
    for (index, unit) in directory.units().iter().enumerate() {
        if !wanted.has_unit(index) {
            continue;
        }
        let who = Addressee {
            code: unit.code.clone(),
            name: unit.name.clone(),
            department: false,
        };
        files.push(OutputFile {
            name: names.unique(&format!("bieu-a-{period}-{}", slug(&unit.code, 28))),
            bytes: form_a::write_form_a(&setup, &who)?,
        });
    }
    if wanted.department {
        let who = Addressee {
            code: directory.department_code().to_string(),
            // The short name (`Sở GDĐT`) is one the reader resolves to the department.
            name: config.organisation.short_name.clone(),
            department: true,
        };
        files.push(OutputFile {
            name: names.unique(&format!("bieu-a-{period}-{}", slug(&who.code, 28))),
            bytes: form_a::write_form_a(&setup, &who)?,
        });
    }
    files.push(OutputFile {
        name: names.unique("bieu-b-ke-hoach"),
        bytes: form_b::write_form_b(&setup)?,
    });
    let schools = &loaded.schools;
    let wards: Vec<String> = schools
        .registry
        .schools()
        .iter()
        .map(|s| s.ward.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    files.push(OutputFile {
        name: names.unique(&format!("bieu-d-{period}-mau-chung")),
        bytes: form_d::write_form_d(&setup, None, &schools.targets, &wards)?,
    });
    let mut school_forms = 0;
    if options.schools {
        if schools.registry.is_empty() {
            bail!("chưa cấu hình danh sách trường ([schools] registry) nên không tạo được Biểu D ghi sẵn cho từng trường");
        }
        // Hundreds to thousands of forms: built side by side, named in registry order.
        let built: Vec<Result<Vec<u8>>> = schools
            .registry
            .schools()
            .par_iter()
            .map(|school| form_d::write_form_d(&setup, Some(school), &schools.targets, &[]))
            .collect();
        for (school, bytes) in schools.registry.schools().iter().zip(built) {
            let base = format!(
                "bieu-d-{period}-{}-{}",
                slug(&school.ward, 24),
                slug(&school.code, 20)
            );
            files.push(OutputFile {
                name: names.unique(&base),
                bytes: bytes?,
            });
            school_forms += 1;
        }
    }

    let rejected_plans = plans_read - plans.len();
    for plan in &plans {
        for lead in lead_units(plan, &directory) {
            if !wanted.has_lead(&lead) {
                continue;
            }
            let unit = if lead.addressee.code.is_empty() {
                slug(&lead.addressee.name, 28)
            } else {
                slug(&lead.addressee.code, 28)
            };
            let plan_part = slug(&plan.slug(), 24);
            files.push(OutputFile {
                name: names.unique(&format!("bieu-c-{period}-{plan_part}-{unit}")),
                bytes: write_form_c(&setup, plan, &lead)?,
            });
        }
    }

    let written = deliver(&options.output, &period, &files)?;
    Ok(FormsRun {
        folder: options.output.join(&period),
        files: written,
        messages,
        rejected_plans,
        plans_read,
        school_forms,
    })
}

/// The wording file: the configured one (relative to the configuration file), else
/// `../templates/huong-dan.toml` beside it if present, else the built-in wording.
fn guide_text(explicit_config: Option<&Path>, settings: &FormsSettings) -> Result<String> {
    let default_config = Path::new("config/baocao.toml");
    let config_path = match explicit_config {
        Some(path) => path.to_path_buf(),
        None if default_config.exists() => default_config.to_path_buf(),
        None => return Ok(BUILTIN_GUIDE.to_string()),
    };
    let base = config_path.parent().unwrap_or_else(|| Path::new("."));
    let path = match &settings.guide {
        Some(path) => base.join(path),
        None => {
            let beside = base.join("../templates/huong-dan.toml");
            if !beside.exists() {
                return Ok(BUILTIN_GUIDE.to_string());
            }
            beside
        }
    };
    std::fs::read_to_string(&path)
        .with_context(|| format!("không đọc được tệp hướng dẫn biểu mẫu {}", path.display()))
}

/// The plans (Form B workbooks and Word plans) of the input folder that read without
/// error, the messages of the others, and how many plans were found in all.
fn read_plans(
    input: Option<&Path>,
    directory: &UnitDirectory,
    limits: &Limits,
    libreoffice: &crate::render::pdf::LibreOfficeSettings,
) -> Result<(Vec<Plan>, Vec<Message>, usize)> {
    let default_input = Path::new("input");
    let root = match input {
        Some(path) => path,
        None if default_input.is_dir() => default_input,
        None => return Ok((Vec::new(), Vec::new(), 0)),
    };
    let files = discover(root)?;
    let mut plans = Vec::new();
    let mut messages = Vec::new();
    let mut found = 0;
    for file in files
        .iter()
        .filter(|f| f.kind == FileKind::Workbook && f.size <= limits.max_file_bytes)
    {
        let Ok(bytes) = std::fs::read(&file.path) else {
            continue;
        };
        let Ok(book) = read_guarded(&bytes, limits) else {
            continue;
        };
        if FormKind::of(&book) != FormKind::Plan {
            continue;
        }
        found += 1;
        let outcome = parse_form_b(&book, &file.display, directory);
        messages.extend(
            outcome
                .messages
                .into_iter()
                .filter(|m| m.severity == Severity::Error),
        );
        plans.extend(outcome.plan);
    }
    for (file, body) in super::plan::read_folder_word_plans(&files, limits, libreoffice) {
        found += 1;
        let outcome = crate::plan::document::parse_plan_document(&body, &file, directory);
        messages.extend(
            outcome
                .messages
                .into_iter()
                .filter(|m| m.severity == Severity::Error),
        );
        plans.extend(outcome.plan);
    }
    Ok((plans, messages, found))
}

/// Which units `--units` asks for.
struct Selection {
    /// Configured units by report order; `None` = all.
    units: Option<BTreeSet<usize>>,
    /// What was typed that names no configured unit: a plan's own lead unit, perhaps.
    others: Vec<String>,
    department: bool,
}

impl Selection {
    fn parse(wanted: &[String], directory: &UnitDirectory) -> Self {
        let typed: Vec<&str> = wanted
            .iter()
            .map(|w| w.trim())
            .filter(|w| !w.is_empty())
            .collect();
        if typed.is_empty() {
            return Self {
                units: None,
                others: Vec::new(),
                department: true,
            };
        }
        let mut units = BTreeSet::new();
        let mut others = Vec::new();
        let mut department = false;
        for name in typed {
            match directory.resolve(name) {
                UnitMatch::Unit(index) => {
                    units.insert(index);
                }
                UnitMatch::Department => department = true,
                UnitMatch::Suggestion(_) | UnitMatch::Unknown => others.push(name.to_string()),
            }
        }
        Self {
            units: Some(units),
            others,
            department,
        }
    }

    /// Fails on a name that is neither a configured unit nor a lead unit of a plan read,
    /// before anything is written: a typo must not pass for "no form needed".
    fn check(&self, plans: &[Plan], directory: &UnitDirectory) -> Result<()> {
        for name in &self.others {
            let leads = plans.iter().flat_map(|p| &p.tasks).flat_map(|t| &t.leads);
            if !leads
                .clone()
                .any(|l| l.unit.is_none() && same_named(name, &l.written))
            {
                let hint = match directory.resolve(name) {
                    UnitMatch::Suggestion(suggested) => format!(" Có phải «{suggested}»?"),
                    _ => String::new(),
                };
                bail!(
                    "«{name}» không phải đơn vị trong cấu hình (mã: {}, {}) hay đơn vị chủ trì của kế hoạch nào.{hint}",
                    directory
                        .units()
                        .iter()
                        .map(|u| u.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    directory.department_code()
                );
            }
        }
        Ok(())
    }

    fn has_unit(&self, index: usize) -> bool {
        self.units.as_ref().is_none_or(|u| u.contains(&index))
    }

    fn has_lead(&self, lead: &LeadUnit) -> bool {
        match &lead.key {
            UnitKey::Configured(index) => self.has_unit(*index),
            UnitKey::Named(_) => {
                self.units.is_none()
                    || self
                        .others
                        .iter()
                        .any(|t| same_named(t, &lead.addressee.name))
            }
        }
    }
}

/// Output file names, unique within the folder.
#[derive(Default)]
struct Names {
    used: BTreeSet<String>,
}

impl Names {
    /// `base.xlsx`, or `base-2.xlsx`, … when taken.
    fn unique(&mut self, base: &str) -> String {
        let mut name = format!("{base}.xlsx");
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base}-{n}.xlsx");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }
}

/// ASCII words joined by dashes, whole words up to `max` characters: `GDTX-GDNN-DH` →
/// `gdtx-gdnn-dh`, `Phòng Nội vụ` → `phong-noi-vu`.
fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for word in fold_words(text).split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() && out.len() + 1 + word.len() > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        "don-vi".to_string()
    } else {
        out
    }
}

/// A school's own Form D (`bieu-d-2025-11-<ward>-<code>.xlsx`), not the shared one.
fn is_school_form(name: &str) -> bool {
    name.starts_with("bieu-d-") && !name.contains("-mau-chung")
}

/// The Vietnamese summary printed after the forms are written.
fn summary(run: &FormsRun) -> String {
    let mut text = format!(
        "Đã ghi {} biểu mẫu vào {}:\n",
        run.files.len(),
        run.folder.display()
    );
    let names = run.files.iter().map(|file| {
        file.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    });
    // The schools' own forms may be thousands: they make one line.
    for name in names.filter(|n| !is_school_form(n)) {
        text.push_str(&format!("  {name}\n"));
    }
    if run.school_forms > 0 {
        text.push_str(&format!(
            "  và {} Biểu D ghi sẵn cho từng trường (bieu-d-…-<xã/phường>-<mã trường>.xlsx)\n",
            format_count(run.school_forms as u64)
        ));
    }
    if run.plans_read == 0 {
        text.push_str("Không có kế hoạch (Biểu B) trong thư mục đầu vào: không tạo Biểu C.\n");
    }
    if run.rejected_plans > 0 {
        text.push_str(&format!(
            "{} kế hoạch có lỗi, chưa tạo Biểu C cho các đơn vị chủ trì:\n",
            run.rejected_plans
        ));
        for message in &run.messages {
            text.push_str(&format!("  {message}\n"));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("GDTX-GDNN-DH", 28), "gdtx-gdnn-dh");
        assert_eq!(slug("Phòng Nội vụ", 28), "phong-noi-vu");
        assert_eq!(
            slug("Phòng Tài chính - Kế hoạch", 28),
            "phong-tai-chinh-ke-hoach"
        );
        assert_eq!(
            slug("ke-hoach-nam-hoc-2024-2025-ubnd-quan-hai-an", 24),
            "ke-hoach-nam-hoc-2024"
        );
        assert_eq!(slug("—", 28), "don-vi");
    }

    #[test]
    fn names_stay_unique() {
        let mut names = Names::default();
        assert_eq!(names.unique("bieu-b"), "bieu-b.xlsx");
        assert_eq!(names.unique("bieu-b"), "bieu-b-2.xlsx");
    }
}
