//! What a run needs to read Form D and judge targets: the registry of schools, the
//! indicators, and the codes to keep — loaded once, from files beside the configuration.

use std::path::Path;

use anyhow::{Context, Result};

use super::codes::CodeBook;
use super::registry::SchoolRegistry;
use super::targets::{Targets, BUILTIN_TARGETS};
use crate::config::SchoolsSettings;

/// The shipped registry: the sample schools of the bundled input.
pub const BUILTIN_REGISTRY: &str = include_str!("../../config/truong.csv");

/// The registry, the indicators and the code book of a run.
#[derive(Debug, Clone)]
pub struct SchoolSetup {
    pub registry: SchoolRegistry,
    pub targets: Targets,
    pub codes: CodeBook,
    /// The texts they were read from, hashed into the manifest.
    pub registry_text: String,
    pub targets_text: String,
}

impl SchoolSetup {
    /// Reads the files named by the configuration, relative to its folder `base`. Without a
    /// registry, schools are taken as their forms describe them; without a targets file,
    /// the shipped targets apply.
    pub fn load(base: &Path, settings: &SchoolsSettings) -> Result<Self> {
        let registry_text = match &settings.registry {
            Some(path) => {
                let path = base.join(path);
                std::fs::read_to_string(&path).with_context(|| {
                    format!("không đọc được danh sách trường {}", path.display())
                })?
            }
            None => String::new(),
        };
        let targets_text = match &settings.targets {
            Some(path) => {
                let path = base.join(path);
                std::fs::read_to_string(&path)
                    .with_context(|| format!("không đọc được tệp chỉ tiêu {}", path.display()))?
            }
            None => BUILTIN_TARGETS.to_string(),
        };
        Self::from_texts(registry_text, targets_text)
    }

    /// The shipped registry and targets.
    pub fn builtin() -> Result<Self> {
        Self::from_texts(BUILTIN_REGISTRY.to_string(), BUILTIN_TARGETS.to_string())
    }

    /// Parses both texts; an empty registry text means no registry.
    pub fn from_texts(registry_text: String, targets_text: String) -> Result<Self> {
        let registry = if registry_text.trim().is_empty() {
            SchoolRegistry::default()
        } else {
            SchoolRegistry::from_csv(&registry_text).context("danh sách trường")?
        };
        let targets = Targets::from_toml(&targets_text)?;
        let codes = CodeBook::new(targets.extra_codes());
        Ok(Self {
            registry,
            targets,
            codes,
            registry_text,
            targets_text,
        })
    }
}
