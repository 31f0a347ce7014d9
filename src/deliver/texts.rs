//! The wording of the e-mails and of the units' feedback, loaded from
//! `templates/gui-thu.toml` so an administrator can reword them without a rebuild. Templates use
//! minijinja with strict variables, like the report's wording: a typo is an error, not a blank
//! in a message sent to a director.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use minijinja::{Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};

/// The wording shipped with the binary, used with the built-in configuration or when no
/// `gui-thu.toml` is beside the report's wording templates.
pub const BUILTIN_TEXTS: &str = include_str!("../../templates/gui-thu.toml");

/// Every template the delivery uses; a file lacking one is refused at load.
pub const KEYS: &[&str] = &[
    "bao_cao.tieu_de",
    "bao_cao.noi_dung",
    "phan_hoi.tieu_de",
    "phan_hoi.noi_dung",
];

/// The loaded templates.
pub struct DeliveryTexts {
    env: Environment<'static>,
}

#[derive(Deserialize)]
struct TextsFile {
    #[serde(flatten)]
    sections: BTreeMap<String, BTreeMap<String, String>>,
}

impl DeliveryTexts {
    /// Parses a templates file; a syntax error or a missing template names its key.
    pub fn from_toml(text: &str) -> Result<Self> {
        let file: TextsFile =
            toml::from_str(text).context("tệp câu chữ thư gửi sai cú pháp TOML")?;
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // A line holding only `{% ... %}` leaves no empty line behind.
        env.set_trim_blocks(true);
        env.set_keep_trailing_newline(true);
        for (section, entries) in file.sections {
            for (key, source) in entries {
                let name = format!("{section}.{key}");
                env.add_template_owned(name.clone(), source)
                    .map_err(|e| anyhow!("câu chữ thư gửi «{name}» có lỗi cú pháp: {e}"))?;
            }
        }
        let missing: Vec<&str> = KEYS
            .iter()
            .copied()
            .filter(|k| env.get_template(k).is_err())
            .collect();
        if !missing.is_empty() {
            bail!("tệp câu chữ thư gửi thiếu các mục: {}", missing.join(", "));
        }
        Ok(Self { env })
    }

    /// The wording in the folder of the report's wording templates (`gui-thu.toml` beside
    /// `bao-cao-thang.toml`, in a checkout and under `/etc/baocao/templates/` alike), else the
    /// built-in one.
    pub fn beside(templates_dir: &Path) -> Result<Self> {
        let path = templates_dir.join("gui-thu.toml");
        if !path.exists() {
            tracing::warn!(
                "không có {}: thư gửi và phiếu phản hồi dùng câu chữ cài sẵn",
                path.display()
            );
            return Self::from_toml(BUILTIN_TEXTS).context("câu chữ thư gửi mặc định");
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("không đọc được {}", path.display()))?;
        Self::from_toml(&text).with_context(|| format!("tệp {}", path.display()))
    }

    /// True when the file has `key` (optional templates such as `thu_thu.*`).
    pub fn has(&self, key: &str) -> bool {
        self.env.get_template(key).is_ok()
    }

    /// Renders one template with its variables.
    pub fn render(&self, key: &str, context: &impl Serialize) -> Result<String> {
        let template = self
            .env
            .get_template(key)
            .map_err(|e| anyhow!("không có câu chữ thư gửi «{key}»: {e}"))?;
        template
            .render(context)
            .map_err(|e| anyhow!("câu chữ thư gửi «{key}» không điền được: {e}"))
    }
}

/// The templates of the test message (`baocao send-test`), which an older `gui-thu.toml`
/// may lack: then the built-in ones are used.
pub const TEST_KEYS: [&str; 2] = ["thu_thu.tieu_de", "thu_thu.noi_dung"];

/// `Sở GDĐT Hải Phòng`: who the messages come from, in subjects and bodies.
pub fn sender_name(config: &crate::config::Config) -> String {
    format!(
        "{} {}",
        config.organisation.short_name, config.organisation.place
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_wording_loads() {
        let texts = DeliveryTexts::from_toml(BUILTIN_TEXTS).expect("shipped wording");
        #[derive(Serialize)]
        struct Subject {
            ky: &'static str,
            co_quan: &'static str,
        }
        let subject = texts
            .render(
                "bao_cao.tieu_de",
                &Subject {
                    ky: "tháng 11/2025",
                    co_quan: "Sở GDĐT Hải Phòng",
                },
            )
            .expect("renders");
        assert_eq!(subject, "Báo cáo tháng 11/2025 — Sở GDĐT Hải Phòng");
    }

    #[test]
    fn a_missing_template_or_an_unknown_variable_is_named() {
        let error = DeliveryTexts::from_toml("[bao_cao]\ntieu_de = \"x\"\n")
            .err()
            .expect("refused");
        assert!(
            format!("{error:#}").contains("phan_hoi.noi_dung"),
            "{error:#}"
        );
        let text = BUILTIN_TEXTS.replace("Báo cáo {{ ky }}", "Báo cáo {{ ky_bao_cao }}");
        let texts = DeliveryTexts::from_toml(&text).expect("loads");
        let error = texts
            .render(
                "bao_cao.tieu_de",
                &BTreeMap::from([("ky", "tháng 11/2025")]),
            )
            .expect_err("unknown variable");
        assert!(
            format!("{error:#}").contains("bao_cao.tieu_de"),
            "{error:#}"
        );
    }
}
