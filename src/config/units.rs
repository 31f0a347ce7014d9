//! Recognising a unit from whatever a person typed: its code, full name, short name or an
//! alias, with or without diacritics. Near misses get a suggestion, never a silent match.

use std::collections::HashMap;

use anyhow::{bail, Result};

use super::{Config, UnitConfig};
use crate::text::fold::{fold_key, fold_words};
use crate::text::similarity::similarity;

/// How close a garbled name must be to a known one before we suggest it.
const SUGGESTION_THRESHOLD: f64 = 0.75;

/// Every known unit by its matching keys, plus the department as a whole.
#[derive(Debug, Clone)]
pub struct UnitDirectory {
    units: Vec<UnitConfig>,
    department_code: String,
    department_name: String,
    keys: HashMap<String, Target>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Unit(usize),
    Department,
}

/// The outcome of looking a name up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitMatch {
    /// A configured unit, by its index in report order.
    Unit(usize),
    /// The department as a whole (code `SO`).
    Department,
    /// No exact match, but this unit's name is close: ask, do not assume.
    Suggestion(String),
    /// Nothing close.
    Unknown,
}

impl UnitDirectory {
    /// Builds the lookup tables from the configuration.
    pub fn new(config: &Config) -> Self {
        let department_code = config.organisation.department_code.clone();
        let mut keys = HashMap::new();
        for (index, unit) in config.units.iter().enumerate() {
            for name in names_of(unit) {
                for key in keys_of(&name) {
                    keys.entry(key).or_insert(Target::Unit(index));
                }
            }
        }
        let department_names = [
            department_code.clone(),
            config.organisation.short_name.clone(),
            title_case_body(&config.organisation.issuing_body),
            "Toàn Sở".to_string(),
        ];
        for name in &department_names {
            for key in keys_of(name) {
                keys.entry(key).or_insert(Target::Department);
            }
        }
        Self {
            units: config.units.clone(),
            department_code,
            department_name: title_case_body(&config.organisation.issuing_body),
            keys,
        }
    }

    /// Fails when two units share a name key, which would make matching ambiguous.
    pub fn check_names_are_unambiguous(&self) -> Result<()> {
        let mut owner: HashMap<String, usize> = HashMap::new();
        for (index, unit) in self.units.iter().enumerate() {
            for name in names_of(unit) {
                for key in keys_of(&name) {
                    if let Some(&other) = owner.get(&key) {
                        if other != index {
                            bail!(
                                "tên «{}» dùng chung cho hai đơn vị {} và {}",
                                name,
                                self.units[other].code,
                                unit.code
                            );
                        }
                    }
                    owner.insert(key, index);
                }
            }
        }
        Ok(())
    }

    /// Looks a typed name or code up.
    pub fn resolve(&self, typed: &str) -> UnitMatch {
        let candidates = keys_of(typed);
        if candidates.iter().all(|k| k.is_empty()) {
            return UnitMatch::Unknown;
        }
        for key in &candidates {
            match self.keys.get(key) {
                Some(Target::Unit(i)) => return UnitMatch::Unit(*i),
                Some(Target::Department) => return UnitMatch::Department,
                None => {}
            }
        }
        let typed_key = fold_key(typed);
        let mut best: Option<(f64, usize)> = None;
        for (index, unit) in self.units.iter().enumerate() {
            for name in names_of(unit) {
                let score = similarity(&typed_key, &fold_key(&name));
                if best.is_none_or(|(s, _)| score > s) {
                    best = Some((score, index));
                }
            }
        }
        match best {
            Some((score, index)) if score >= SUGGESTION_THRESHOLD => {
                UnitMatch::Suggestion(self.units[index].name.clone())
            }
            _ => UnitMatch::Unknown,
        }
    }

    /// The configured units in report order.
    pub fn units(&self) -> &[UnitConfig] {
        &self.units
    }

    /// The reserved code of the department as a whole.
    pub fn department_code(&self) -> &str {
        &self.department_code
    }

    /// The department's name in running text (`Sở Giáo dục và Đào tạo`).
    pub fn department_name(&self) -> &str {
        &self.department_name
    }
}

fn names_of(unit: &UnitConfig) -> Vec<String> {
    let mut names = vec![unit.code.clone(), unit.name.clone()];
    if !unit.short_name.is_empty() {
        names.push(unit.short_name.clone());
    }
    names.extend(unit.aliases.iter().cloned());
    names
}

/// The keys a name is known by: its folded form, and the same without a leading
/// `Phòng` (so `GDTrH`, `Phòng GDTrH` and `phong gdtrh` all match).
fn keys_of(name: &str) -> Vec<String> {
    let words = fold_words(name);
    let mut keys = vec![words.replace(' ', "")];
    if let Some(rest) = words.strip_prefix("phong ") {
        keys.push(rest.replace(' ', ""));
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// `SỞ GIÁO DỤC VÀ ĐÀO TẠO` → `Sở Giáo dục và Đào tạo` is too clever to get right in
/// general; we keep the upper-case body and only lower the letters after the first word
/// for matching purposes, which is all this name is used for besides display.
fn title_case_body(upper: &str) -> String {
    let mut out = String::new();
    for (i, word) in upper.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if i == 0 {
            let mut chars = lower.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(&lower);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, BUILTIN_CONFIG};

    fn directory() -> UnitDirectory {
        Config::from_toml(BUILTIN_CONFIG)
            .expect("shipped config")
            .directory()
    }

    fn code_of(dir: &UnitDirectory, typed: &str) -> Option<String> {
        match dir.resolve(typed) {
            UnitMatch::Unit(i) => Some(dir.units()[i].code.clone()),
            UnitMatch::Department => Some("SO".into()),
            _ => None,
        }
    }

    #[test]
    fn names_match_with_or_without_diacritics() {
        let dir = directory();
        let cases = [
            ("Phòng Tổ chức cán bộ", "TCCB"),
            ("Phong Cong tac to chuc can bo", "TCCB"),
            ("PHÒNG TỔ CHỨC CÁN BỘ", "TCCB"),
            ("tccb", "TCCB"),
            ("Phòng GDTrH", "GDTrH"),
            ("GDTrH", "GDTrH"),
            ("Phong Giao duc trung hoc", "GDTrH"),
            ("GDTX-GDNN-ĐH", "GDTX-GDNN-DH"),
            ("Văn phòng", "VP"),
            ("van phong so", "VP"),
            ("SO", "SO"),
            ("Sở GDĐT", "SO"),
            ("Sở Giáo dục và Đào tạo", "SO"),
        ];
        for (typed, expected) in cases {
            assert_eq!(code_of(&dir, typed).as_deref(), Some(expected), "{typed:?}");
        }
    }

    #[test]
    fn near_misses_get_a_suggestion_not_a_match() {
        let dir = directory();
        assert_eq!(
            dir.resolve("Phong Giao duc trung hoe"),
            UnitMatch::Suggestion("Phòng Giáo dục trung học".into())
        );
        assert_eq!(
            dir.resolve("Phòng Tài nguyên môi trường"),
            UnitMatch::Unknown
        );
        assert_eq!(dir.resolve("   "), UnitMatch::Unknown);
    }
}
