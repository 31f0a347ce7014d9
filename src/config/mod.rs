//! The organisation configuration an administrator edits: governing and issuing body,
//! signatory, recipients, units and their order, and where the wording templates live.

pub mod delivery;
pub mod locate;
pub mod toml_error;
pub mod units;

use std::path::{Path, PathBuf};

use crate::render::docx::Reference;
use anyhow::{bail, Context, Result};
use serde::Deserialize;

pub use delivery::{DeliverySettings, Security, SettingsError};
pub use locate::{ConfigOrigin, Located};
pub use toml_error::ConfigFileError;
pub use units::{UnitDirectory, UnitMatch};

/// The configuration shipped with the binary (the first user's), used when no
/// configuration file is found, so a bare `baocao run` still works.
pub const BUILTIN_CONFIG: &str = include_str!("../../config/baocao.toml");
/// The wording templates shipped with the binary, used with the built-in configuration.
pub const BUILTIN_TEMPLATES: &str = include_str!("../../templates/bao-cao-thang.toml");
/// The reference document shipped with the binary, used with the built-in configuration.
pub const BUILTIN_REFERENCE: &[u8] = include_bytes!("../../templates/mau-van-ban.docx");
/// The reference document's file name, looked for beside the wording templates.
pub const REFERENCE_FILE_NAME: &str = "mau-van-ban.docx";

/// Everything the pipeline needs to know about the organisation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub organisation: Organisation,
    pub signatory: Signatory,
    pub report: ReportSettings,
    /// Size limits for input files; defaults when the section is absent.
    #[serde(default)]
    pub limits: crate::ingest::Limits,
    /// The blank forms of `baocao forms`; defaults when the section is absent.
    #[serde(default)]
    pub forms: FormsSettings,
    /// School statistics (Form D) and targets; the shipped targets when absent.
    #[serde(default)]
    pub schools: SchoolsSettings,
    /// LibreOffice for `--pdf`: command and time limit; defaults when absent.
    #[serde(default)]
    pub libreoffice: crate::render::pdf::LibreOfficeSettings,
    /// E-mail delivery of the report and the units' feedback; none: documents only.
    #[serde(default)]
    pub delivery: Option<DeliverySettings>,
    pub units: Vec<UnitConfig>,
}

/// Where the school registry and the targets are, relative to the configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolsSettings {
    /// The CSV list of schools expected to report; none: schools are taken as they say.
    #[serde(default)]
    pub registry: Option<PathBuf>,
    /// The indicator definitions; none: the shipped `config/chi-tieu.toml`.
    #[serde(default)]
    pub targets: Option<PathBuf>,
}

/// Settings of the blank forms (`baocao forms`): what their `Hướng dẫn` says about sending.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormsSettings {
    /// Whom units send the filled forms to, printed in each form's `Hướng dẫn`.
    #[serde(default)]
    pub send_to: String,
    /// Sheet protection password; empty protects without one, so a unit can still unprotect.
    #[serde(default)]
    pub password: String,
    /// The forms' wording file, relative to the configuration file; the built-in wording
    /// when unset and `../templates/huong-dan.toml` does not exist.
    #[serde(default)]
    pub guide: Option<PathBuf>,
}

/// Who issues the report and how it is identified.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub governing_body: String,
    pub issuing_body: String,
    pub short_name: String,
    /// The place name: the date line's (`Hải Phòng, ngày …`), and the area's name in wording
    /// (`dia_danh`).
    pub place: String,
    /// The administrative level of the area the department serves, as documents say it:
    /// `thành phố` or `tỉnh` (`Toàn tỉnh`, `ngành GDĐT tỉnh`). Configured, never written in
    /// code, so a tỉnh needs no rebuild. A configuration written before this key existed
    /// gets it from `governing_body` (`UBND THÀNH PHỐ HẢI PHÒNG` → `thành phố`).
    #[serde(default)]
    pub locality: String,
    pub document_symbol: String,
    #[serde(default)]
    pub issue_day: u32,
    /// Day of the month after the period by which units must submit; 0 = no deadline.
    #[serde(default)]
    pub submission_deadline_day: u32,
    pub document_system: String,
    pub department_code: String,
}

impl Organisation {
    /// `Toàn tỉnh`: how a table heads the figures of the whole area.
    pub fn whole_area(&self) -> String {
        format!("Toàn {}", self.locality)
    }

    /// Fills `locality` from `governing_body` when the key is absent, or says what to write.
    fn settle_locality(&mut self) -> Result<()> {
        let configured = self.locality.trim();
        if !configured.is_empty() {
            self.locality = configured.to_string();
            return Ok(());
        }
        match locality_of(&self.governing_body, &self.place) {
            Some(locality) => {
                self.locality = locality;
                Ok(())
            }
            None => bail!(
                "khóa «organisation.locality» chưa có và không suy ra được từ governing_body: \
                 ghi cấp địa phương của Sở, viết thường, ví dụ locality = \"tỉnh\" (dùng trong \
                 câu chữ: «Toàn tỉnh», «ngành GDĐT tỉnh»)"
            ),
        }
    }
}

/// `UBND THÀNH PHỐ HẢI PHÒNG` with place `Hải Phòng` → `thành phố`: the words between the
/// governing body's kind and the place name, in lower case.
fn locality_of(governing_body: &str, place: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let lower = |text: &str| -> String { text.nfc().collect::<String>().to_lowercase() };
    let body = lower(governing_body);
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let place = lower(place);
    let place = place.split_whitespace().collect::<Vec<_>>().join(" ");
    let rest = ["ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân "]
        .iter()
        .find_map(|prefix| body.strip_prefix(prefix))?;
    let level = rest.strip_suffix(place.as_str())?.trim();
    let words = level.split_whitespace().count();
    (!place.is_empty() && (1..=2).contains(&words)).then(|| level.to_string())
}

/// Who signs: the closing block of the report.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    #[serde(default)]
    pub authority: String,
    pub title: String,
    pub name: String,
}

/// Report settings: wording templates and recipients.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    pub templates: PathBuf,
    pub recipients: Vec<String>,
    /// The reference document every DOCX takes its look from; by default
    /// `mau-van-ban.docx` beside the wording templates.
    #[serde(default)]
    pub reference_document: Option<PathBuf>,
}

/// One reporting unit as configured.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitConfig {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub next_month_group: String,
    /// Where the unit's feedback is sent; none: only the file in `phan-hoi/`.
    #[serde(default)]
    pub email: Option<String>,
}

/// A loaded configuration with the text of its templates and where both came from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    /// The configuration file's text, hashed into the manifest.
    pub config_text: String,
    pub templates_text: String,
    /// The reference document, parsed and checked.
    pub reference: Reference,
    /// The configuration file used, as an absolute path, or a description of the built-in one.
    pub source: String,
    /// Which step of the search found it (`--config`, `BAOCAO_CONFIG`, …).
    pub origin: ConfigOrigin,
    /// The wording templates file used, as an absolute path, or the built-in one.
    pub templates_source: String,
    /// The school registry and targets named by the configuration.
    pub schools: crate::schools::SchoolSetup,
}

impl Config {
    /// Parses and checks a configuration text; errors are in Vietnamese for the administrator.
    pub fn from_toml(text: &str) -> Result<Self> {
        Self::from_file_text(text, "cấu hình")
    }

    /// [`Config::from_toml`] for the text of `file`: every error names the file, and syntax
    /// and type errors their line and key, in Vietnamese.
    pub fn from_file_text(text: &str, file: &str) -> Result<Self> {
        let mut config: Config =
            toml::from_str(text).map_err(|error| toml_error::explain(file, text, &error))?;
        config
            .organisation
            .settle_locality()
            .with_context(|| format!("tệp cấu hình {file}"))?;
        config
            .check()
            .with_context(|| format!("tệp cấu hình {file}"))?;
        Ok(config)
    }

    fn check(&self) -> Result<()> {
        if self.units.is_empty() {
            bail!("cấu hình chưa khai báo đơn vị nào ([[units]])");
        }
        if self.organisation.issue_day > 28 {
            bail!("issue_day phải từ 0 đến 28 (0 = để trống ngày cho văn thư điền)");
        }
        if self.organisation.submission_deadline_day > 28 {
            bail!("submission_deadline_day phải từ 0 đến 28 (0 = không đặt hạn nộp)");
        }
        let mut seen = std::collections::HashMap::new();
        let department = crate::text::fold_key(&self.organisation.department_code);
        for unit in &self.units {
            if unit.code.trim().is_empty() || unit.name.trim().is_empty() {
                bail!("mỗi đơn vị cần có code và name");
            }
            let key = crate::text::fold_key(&unit.code);
            if key == department {
                bail!(
                    "mã {} dành riêng cho số liệu toàn Sở, không dùng cho đơn vị",
                    unit.code
                );
            }
            if let Some(previous) = seen.insert(key, unit.code.clone()) {
                bail!("mã đơn vị {} bị trùng với {}", unit.code, previous);
            }
        }
        UnitDirectory::new(self).check_names_are_unambiguous()?;
        Ok(())
    }

    /// The unit directory used for every name lookup.
    pub fn directory(&self) -> UnitDirectory {
        UnitDirectory::new(self)
    }
}

/// Loads the configuration found by [`locate::locate`] (`--config`, `BAOCAO_CONFIG`,
/// `./config/baocao.toml`, `/etc/baocao/baocao.toml`, else the built-in sample, with a
/// warning). Templates and school files are read relative to the configuration file.
pub fn load(explicit: Option<&Path>) -> Result<LoadedConfig> {
    let located = locate::locate(explicit);
    let Some(path) = located.path else {
        if !locate::attended() {
            bail!(locate::unattended_refusal());
        }
        tracing::warn!("{}", locate::builtin_warning());
        return Ok(LoadedConfig {
            config: sample_config(BUILTIN_CONFIG).context("cấu hình mặc định")?,
            config_text: BUILTIN_CONFIG.to_string(),
            templates_text: BUILTIN_TEMPLATES.to_string(),
            source: format!("cấu hình mẫu cài sẵn ({})", locate::builtin_organisation()),
            origin: ConfigOrigin::Builtin,
            templates_source: "mẫu câu chữ cài sẵn".to_string(),
            schools: crate::schools::SchoolSetup::builtin().context("cấu hình mặc định")?,
            reference: Reference::parse(BUILTIN_REFERENCE, "mẫu văn bản cài sẵn")?,
        });
    };
    let shown = locate::display_path(&path);
    let text = std::fs::read_to_string(&path).map_err(|error| ConfigFileError {
        file: shown.clone(),
        line: None,
        key: None,
        explanation: format!("không đọc được tệp ({})", io_reason(&error)),
    })?;
    let config = Config::from_file_text(&text, &shown)?;
    let base = path.parent().unwrap_or_else(|| Path::new("."));
    let templates_path = base.join(&config.report.templates);
    let templates_source = locate::display_path(&templates_path);
    let templates_text = std::fs::read_to_string(&templates_path).map_err(|error| {
        anyhow::anyhow!(
            "không đọc được tệp mẫu câu chữ {templates_source} ({}), khai báo ở khóa report.templates của {shown}",
            io_reason(&error)
        )
    })?;
    let schools = crate::schools::SchoolSetup::load(base, &config.schools)
        .with_context(|| format!("tệp cấu hình {shown}"))?;
    let reference_path = match &config.report.reference_document {
        Some(path) => base.join(path),
        None => templates_path
            .parent()
            .unwrap_or(base)
            .join(REFERENCE_FILE_NAME),
    };
    let reference_source = locate::display_path(&reference_path);
    let reference_bytes = std::fs::read(&reference_path).map_err(|error| {
        anyhow::anyhow!(
            "không đọc được mẫu văn bản {reference_source} ({}); tệp này cho kiểu chữ, lề trang của mọi tài liệu Word, khai báo ở khóa report.reference_document của {shown} hoặc đặt cạnh tệp mẫu câu chữ",
            io_reason(&error)
        )
    })?;
    let reference = Reference::parse(&reference_bytes, &reference_source)?;
    tracing::info!(
        "cấu hình: {shown} ({}); mẫu câu chữ: {templates_source}; mẫu văn bản: {reference_source}",
        located.origin
    );
    Ok(LoadedConfig {
        config,
        config_text: text,
        templates_text,
        source: shown,
        origin: located.origin,
        templates_source,
        schools,
        reference,
    })
}

/// The built-in sample configuration. Its addresses are examples: it never sends mail,
/// whatever `[delivery]` it was compiled with.
fn sample_config(text: &str) -> Result<Config> {
    let mut config = Config::from_toml(text)?;
    config.delivery = None;
    Ok(config)
}

/// Why a file could not be read, in Vietnamese.
fn io_reason(error: &std::io::Error) -> &'static str {
    match error.kind() {
        std::io::ErrorKind::NotFound => "không có tệp này",
        std::io::ErrorKind::PermissionDenied => "không có quyền đọc",
        std::io::ErrorKind::InvalidData => "không phải văn bản UTF-8",
        _ => "lỗi đọc tệp",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_configuration_is_valid_and_ordered_as_seed_000() {
        let config = Config::from_toml(BUILTIN_CONFIG).expect("shipped config parses");
        let codes: Vec<&str> = config.units.iter().map(|u| u.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "GDMN-GDTH",
                "GDTrH",
                "GDTX-GDNN-DH",
                "TCCB",
                "KHTC",
                "QLCL",
                "VP"
            ]
        );
        assert_eq!(config.organisation.document_symbol, "BC-SGDĐT");
    }

    #[test]
    fn duplicate_codes_are_refused_with_a_vietnamese_reason() {
        let text = BUILTIN_CONFIG.replace("code = \"KHTC\"", "code = \"tccb\"");
        let error = Config::from_toml(&text).expect_err("duplicate code");
        assert!(format!("{error:#}").contains("bị trùng"), "{error:#}");
    }

    #[test]
    fn the_department_code_is_reserved() {
        let text = BUILTIN_CONFIG.replace("code = \"VP\"", "code = \"SO\"");
        let error = Config::from_toml(&text).expect_err("reserved code");
        assert!(format!("{error:#}").contains("dành riêng"), "{error:#}");
    }

    #[test]
    fn the_locality_is_configured_or_read_from_the_governing_body() {
        let config = Config::from_toml(BUILTIN_CONFIG).expect("shipped config parses");
        assert_eq!(config.organisation.locality, "thành phố");
        assert_eq!(config.organisation.whole_area(), "Toàn thành phố");
        // A configuration from before the key: the governing body says it.
        let old = BUILTIN_CONFIG.replace("locality = \"thành phố\"", "");
        assert!(!old.contains("locality ="));
        let config = Config::from_toml(&old).expect("old config parses");
        assert_eq!(config.organisation.locality, "thành phố");
        let province = old
            .replace(
                "UBND THÀNH PHỐ HẢI PHÒNG",
                "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
            )
            .replace("place = \"Hải Phòng\"", "place = \"Quảng Ninh\"");
        let config = Config::from_toml(&province).expect("province parses");
        assert_eq!(config.organisation.whole_area(), "Toàn tỉnh");
        // Nothing to read it from: the administrator is told which key to write.
        let unclear = old.replace("place = \"Hải Phòng\"", "place = \"Hạ Long\"");
        let error = Config::from_toml(&unclear).expect_err("cannot tell");
        assert!(
            format!("{error:#}").contains("organisation.locality"),
            "{error:#}"
        );
    }

    #[test]
    fn unknown_keys_are_reported() {
        let text = BUILTIN_CONFIG.replace("place = ", "plaec = ");
        assert!(Config::from_toml(&text).is_err());
    }

    #[test]
    fn the_sample_configuration_never_sends_mail() {
        let with_delivery = format!(
            "{BUILTIN_CONFIG}\n[delivery]\nsmtp_host = \"smtp.example.vn\"\nfrom = \"baocao@example.vn\"\nleaders = [\"giamdoc@example.vn\"]\n"
        );
        let parsed = Config::from_toml(&with_delivery).expect("parses");
        assert!(parsed.delivery.is_some(), "the section is read as such");
        let sample = sample_config(&with_delivery).expect("sample");
        assert!(sample.delivery.is_none(), "but never used by the sample");
    }
}
