//! The report's sentences, loaded from `templates/` so an administrator can reword any of
//! them without a rebuild. Templates use minijinja syntax; unknown variables are errors, so a
//! typo in a template is caught instead of printing an empty gap in a signed report.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context, Result};
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Deserialize;

/// Every template key the renderer uses; a templates file lacking one is refused at load.
pub const REQUIRED_KEYS: &[&str] = &[
    "document.title",
    "document.summary",
    "document.intro",
    "document.closing",
    "part1.heading",
    "part1.advisory_heading",
    "part1.advisory",
    "part1.advised_item",
    "part1.professional_heading",
    "part1.professional_intro",
    "part1.department_documents",
    "part1.department_dossiers",
    "part1.department_comparison",
    "part1.overdue_item",
    "part1.overdue_footnote",
    "part1.unit_heading",
    "part1.unit_documents",
    "part1.unit_dossiers",
    "part1.unit_extra_figure",
    "part1.unit_tasks_intro",
    "part1.results_subheading",
    "part1.shortcomings_subheading",
    "part1.unit_not_submitted",
    "part1.unit_rejected",
    "part1.unit_figures_withheld",
    "part1.unit_text_withheld",
    "part1.plans_heading",
    "part1.plan_progress",
    "part1.assessment_heading",
    "part1.assessment_from_data",
    "part1.overdue_claim_replacement",
    "part1.late_documents_claim_replacement",
    "part2.heading",
    "part2.intro",
    "part2.general_heading",
    "part2.specific_heading",
    "part2.group_heading",
    "part2.unit_in_group_heading",
    "part2.unit_heading",
    "part2.unit_not_submitted",
    "part2.unit_rejected",
    "part2.unit_tasks_withheld",
    "closing_block.recipients_heading",
];

/// The loaded templates.
pub struct Wording {
    env: Environment<'static>,
    document_kinds: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct TemplatesFile {
    #[serde(flatten)]
    sections: BTreeMap<String, BTreeMap<String, String>>,
}

impl Wording {
    /// Parses a templates file; every syntax error names its key.
    pub fn from_toml(text: &str) -> Result<Self> {
        let file: TemplatesFile =
            toml::from_str(text).context("tệp mẫu câu chữ sai cú pháp TOML")?;
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(false);
        let mut document_kinds = BTreeMap::new();
        for (section, entries) in file.sections {
            if section == "document_kinds" {
                document_kinds = entries;
                continue;
            }
            for (key, source) in entries {
                let name = format!("{section}.{key}");
                env.add_template_owned(name.clone(), source)
                    .map_err(|e| anyhow!("mẫu câu chữ «{name}» có lỗi cú pháp: {e}"))?;
            }
        }
        let missing: Vec<&str> = REQUIRED_KEYS
            .iter()
            .copied()
            .filter(|k| env.get_template(k).is_err())
            .collect();
        if !missing.is_empty() {
            bail!("tệp mẫu câu chữ thiếu các mục: {}", missing.join(", "));
        }
        Ok(Self {
            env,
            document_kinds,
        })
    }

    /// Renders one template with its variables.
    pub fn render(&self, key: &str, context: Value) -> Result<String> {
        let template = self
            .env
            .get_template(key)
            .map_err(|e| anyhow!("không có mẫu câu chữ «{key}»: {e}"))?;
        let text = template
            .render(context)
            .map_err(|e| anyhow!("mẫu câu chữ «{key}» không điền được: {e}"))?;
        Ok(collapse_spaces(&text))
    }

    /// The document kind named by a number's symbol: `4309/QĐ-UBND` → `Quyết định`.
    pub fn document_kind(&self, number: &str) -> String {
        let symbol = if number.contains('/') {
            number.rsplit('/').next().unwrap_or("")
        } else {
            ""
        };
        let abbreviation = symbol.split('-').next().unwrap_or("").trim();
        self.document_kinds
            .get(abbreviation)
            .or_else(|| self.document_kinds.get("_"))
            .cloned()
            .unwrap_or_else(|| "Văn bản".to_string())
    }
}

/// Templates spread over several lines in TOML still give one clean sentence.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_space = false;
    for ch in text.trim().chars() {
        if ch == ' ' || ch == '\n' || ch == '\t' {
            if !previous_space {
                out.push(' ');
            }
            previous_space = true;
        } else {
            out.push(ch);
            previous_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BUILTIN_TEMPLATES;

    #[test]
    fn shipped_templates_load() {
        Wording::from_toml(BUILTIN_TEMPLATES).expect("shipped templates are valid");
    }

    #[test]
    fn a_missing_key_is_named() {
        let text = BUILTIN_TEMPLATES.replace("closing = ", "closng = ");
        let error = Wording::from_toml(&text).err().expect("missing key");
        assert!(error.to_string().contains("document.closing"), "{error}");
    }

    #[test]
    fn an_unknown_variable_is_an_error_not_a_gap() {
        let wording = Wording::from_toml(BUILTIN_TEMPLATES).expect("valid");
        let error = wording
            .render("part2.unit_heading", minijinja::context! { so_muc => 1 })
            .expect_err("ten missing");
        assert!(error.to_string().contains("part2.unit_heading"));
    }

    #[test]
    fn document_kinds_come_from_the_symbol() {
        let wording = Wording::from_toml(BUILTIN_TEMPLATES).expect("valid");
        assert_eq!(wording.document_kind("4309/QĐ-UBND"), "Quyết định");
        assert_eq!(wording.document_kind("28/2025/NQ-HĐND"), "Nghị quyết");
        assert_eq!(wording.document_kind("4825"), "Văn bản");
        assert_eq!(wording.document_kind("299/KH-UBND"), "Kế hoạch");
        assert_eq!(wording.document_kind("2947/UBND-VX"), "Văn bản");
    }
}
