//! The unit names in a plan's `Đơn vị chủ trì` and `Đơn vị phối hợp` cells: split into one
//! name each, and each recognised as a configured unit or kept exactly as written.
//!
//! A cell may list several units separated by new lines, `;` or `,` (FORMS.md), but a
//! unit's own name may hold a comma (`Phòng GDTX, GDNN&ĐH`, `Phòng Giáo dục Thường xuyên,
//! Giáo dục Nghề nghiệp và Đại học`) and free text such as `Các sở, ngành, đơn vị, địa phương
//! liên quan` is one phrase. So a comma splits only where what follows is a configured unit
//! or starts like an organisation's name (`Phòng`, `Ủy ban`, `Ban`, `các trường`, …).

use std::collections::HashMap;

use crate::config::{UnitDirectory, UnitMatch};
use crate::text::fold::fold_words;

/// One unit named in a plan: the text as written and, when it names a configured unit, that
/// unit's index. Rendering keeps `written`; grouping uses [`UnitName::key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitName {
    /// The name as the plan writes it, bullets and trailing punctuation removed.
    pub written: String,
    /// The configured unit (index in report order), if recognised.
    pub unit: Option<usize>,
    /// A configured unit's name this one is close to without matching, so the reader can ask
    /// "Có phải …?" instead of guessing.
    pub near: Option<String>,
}

/// What units are grouped by: a configured unit, or the folded text of a name no
/// configuration knows (so `Phòng Nội vụ` and `phòng nội vụ` are one group).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitKey {
    Configured(usize),
    Named(String),
}

impl UnitName {
    /// The grouping key of this name.
    pub fn key(&self) -> UnitKey {
        match self.unit {
            Some(index) => UnitKey::Configured(index),
            None => UnitKey::Named(named_key(&self.written)),
        }
    }
}

/// The key of an unconfigured name: folded, without a leading `Phòng`, so that the name in
/// a progress report's `Tên đơn vị` finds the plan's `Phòng Nội vụ`.
pub fn named_key(written: &str) -> String {
    let words = fold_words(written);
    let words = words.strip_prefix("phong ").unwrap_or(&words);
    words.replace(' ', "")
}

/// Splits a cell into unit names and recognises each against the configuration.
pub fn parse_unit_list(text: &str, directory: &UnitDirectory) -> Vec<UnitName> {
    let mut names = Vec::new();
    for item in split_outside_parentheses(text, &['\n', '\r', ';']) {
        let item = clean(item);
        if item.is_empty() {
            continue;
        }
        names.extend(split_item(item, directory));
    }
    names
}

/// Splits one line (no `;`) at the commas that separate units.
fn split_item(item: &str, directory: &UnitDirectory) -> Vec<UnitName> {
    let spans = split_ranges(item, &[',']);
    let parts: Vec<&str> = spans.iter().map(|r| &item[r.clone()]).collect();
    let text_of =
        |from: usize, to: usize| clean(&item[spans[from].start..spans[to - 1].end]).to_string();
    let longest_unit_from = |from: usize| -> Option<(usize, usize)> {
        (from + 1..=parts.len())
            .rev()
            .find_map(|to| resolve(&text_of(from, to), directory).map(|unit| (to, unit)))
    };
    let mut names = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        if let Some((to, unit)) = longest_unit_from(i) {
            names.push(UnitName {
                written: text_of(i, to),
                unit: Some(unit),
                near: None,
            });
            i = to;
            continue;
        }
        // After `Phòng X`, a capitalised part is another office with `Phòng` left out
        // (`Phòng Giáo dục và Đào tạo, Nội vụ`).
        let offices = fold_words(parts[i]).starts_with("phong ");
        let mut to = i + 1;
        while to < parts.len()
            && !starts_a_name(parts[to])
            && !(offices && starts_capitalised(parts[to]))
            && longest_unit_from(to).is_none()
        {
            to += 1;
        }
        let written = text_of(i, to);
        if !written.is_empty() {
            let near = match directory.resolve(&without_parentheses(&written)) {
                UnitMatch::Suggestion(name) => Some(name),
                _ => None,
            };
            names.push(UnitName {
                written,
                unit: None,
                near,
            });
        }
        i = to;
    }
    names
}

/// A configured unit named by `text` (a parenthetical remark such as `(Căn cứ theo cấp học,
/// ngành học)` is ignored). The department as a whole is not a unit here.
fn resolve(text: &str, directory: &UnitDirectory) -> Option<usize> {
    match directory.resolve(&without_parentheses(text)) {
        UnitMatch::Unit(index) => Some(index),
        _ => None,
    }
}

/// First words (folded) that start an organisation's name whatever their case.
const NAME_HEADS: &[&str] = &[
    "phong",
    "uy ban",
    "ubnd",
    "van phong",
    "truong",
    "cac",
    "so",
    "ban",
    "bcd",
    "cong an",
    "trung tam",
    "hoi dong",
    "hoi",
    "doan",
    "bo",
    "cuc",
    "vien",
    "thuong truc",
    "tt",
    "lien doan",
    "mat tran",
    "hdnd",
    "quan uy",
    "huyen uy",
    "thanh uy",
    "thanh doan",
    "phuong",
];
/// Heads that, written in lower case, are ordinary words (`các phòng, ban liên quan`,
/// `các sở, ngành`): they start a new name only when capitalised.
const CAPITALISED_ONLY: &[&str] = &[
    "ban",
    "so",
    "bo",
    "cuc",
    "hoi",
    "doan",
    "vien",
    "tt",
    "bcd",
    "phuong",
    "thuong truc",
];

/// Whether a comma-separated part begins a new organisation's name.
fn starts_a_name(part: &str) -> bool {
    let trimmed = clean(part);
    let Some(first_char) = trimmed.chars().next() else {
        return false;
    };
    let words = format!("{} ", fold_words(trimmed));
    let Some(head) = NAME_HEADS
        .iter()
        .find(|h| words.starts_with(&format!("{h} ")))
    else {
        return false;
    };
    first_char.is_uppercase() || !CAPITALISED_ONLY.contains(head)
}

/// Whether a part starts with a capital letter.
fn starts_capitalised(part: &str) -> bool {
    clean(part).chars().next().is_some_and(char::is_uppercase)
}

/// Removes list bullets and surrounding punctuation: `- Phòng QLCL.` → `Phòng QLCL`.
fn clean(text: &str) -> &str {
    text.trim()
        .trim_start_matches(['-', '–', '+', '•', '*', '·'])
        .trim_end_matches([';', ',', '.', ':'])
        .trim()
}

/// The text without parenthetical remarks, for matching.
fn without_parentheses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

/// Splits at any of `separators` that is not inside parentheses.
fn split_outside_parentheses<'a>(text: &'a str, separators: &[char]) -> Vec<&'a str> {
    split_ranges(text, separators)
        .into_iter()
        .map(|r| &text[r])
        .collect()
}

/// The byte ranges of the parts between separators outside parentheses.
fn split_ranges(text: &str, separators: &[char]) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (index, ch) in text.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 && separators.contains(&ch) => {
                parts.push(start..index);
                start = index + ch.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(start..text.len());
    parts
}

/// Units in the order the per-unit sheets list them: configured units in report order, then
/// each unconfigured name in order of first appearance, labelled as first written.
#[derive(Debug, Clone, Default)]
pub struct UnitGroups {
    order: Vec<UnitKey>,
    labels: HashMap<UnitKey, String>,
}

impl UnitGroups {
    /// Adds a name (a no-op if its group exists).
    pub fn add(&mut self, name: &UnitName, directory: &UnitDirectory) {
        let key = name.key();
        if self.labels.contains_key(&key) {
            return;
        }
        let label = match name.unit {
            Some(index) => directory
                .units()
                .get(index)
                .map_or_else(|| name.written.clone(), |u| u.name.clone()),
            None => name.written.clone(),
        };
        self.labels.insert(key.clone(), label);
        self.order.push(key);
    }

    /// The groups in display order with their labels.
    pub fn ordered(&self) -> Vec<(UnitKey, String)> {
        let mut keys = self.order.clone();
        // Configured first (by index), then unconfigured in order of appearance.
        keys.sort_by_key(|k| match k {
            UnitKey::Configured(i) => (0, *i, 0),
            UnitKey::Named(_) => (1, 0, self.order.iter().position(|o| o == k).unwrap_or(0)),
        });
        keys.into_iter()
            .map(|k| {
                let label = self.labels.get(&k).cloned().unwrap_or_default();
                (k, label)
            })
            .collect()
    }

    /// The label of a group.
    pub fn label(&self, key: &UnitKey) -> Option<&str> {
        self.labels.get(key).map(String::as_str)
    }

    /// Whether a group exists.
    pub fn contains(&self, key: &UnitKey) -> bool {
        self.labels.contains_key(key)
    }
}

/// Whether two folded names are the same unconfigured unit (used for matching a progress
/// report's sender to a plan's lead unit).
pub fn same_named(a: &str, b: &str) -> bool {
    let (a, b) = (named_key(a), named_key(b));
    !a.is_empty() && a == b
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

    fn describe(names: &[UnitName], dir: &UnitDirectory) -> Vec<String> {
        names
            .iter()
            .map(|n| match n.unit {
                Some(i) => format!("{}={}", n.written, dir.units()[i].code),
                None => n.written.clone(),
            })
            .collect()
    }

    #[test]
    fn seed_001_lead_cells_resolve_with_commas_inside_names() {
        let dir = directory();
        let names = parse_unit_list(
            "- Phòng GDTrH; \n- Phòng GDMN&GDTH; \n- Phòng GDTX, GDNN&ĐH\n- Phòng QLCL.",
            &dir,
        );
        assert_eq!(
            describe(&names, &dir),
            [
                "Phòng GDTrH=GDTrH",
                "Phòng GDMN&GDTH=GDMN-GDTH",
                "Phòng GDTX, GDNN&ĐH=GDTX-GDNN-DH",
                "Phòng QLCL=QLCL"
            ]
        );
        assert_eq!(
            describe(&parse_unit_list("Văn phòng", &dir), &dir),
            ["Văn phòng=VP"]
        );
        assert_eq!(
            describe(&parse_unit_list("Phòng KHTC", &dir), &dir),
            ["Phòng KHTC=KHTC"]
        );
    }

    #[test]
    fn seed_004_lead_cell_with_semicolons_and_a_remark() {
        let dir = directory();
        let names = parse_unit_list(
            "Phòng Giáo dục Mầm non Giáo dục Tiểu học; phòng Giáo dục Trung học; phòng Giáo dục Thường xuyên, Giáo dục Nghề nghiệp và Đại học (Căn cứ theo cấp học, ngành học)",
            &dir,
        );
        let codes: Vec<Option<&str>> = names
            .iter()
            .map(|n| n.unit.map(|i| dir.units()[i].code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [Some("GDMN-GDTH"), Some("GDTrH"), Some("GDTX-GDNN-DH")]
        );
        assert!(names[2]
            .written
            .ends_with("(Căn cứ theo cấp học, ngành học)"));
        // OCR without diacritics still resolves.
        let ocr = parse_unit_list("Phong To chuc - Hanh chinh; Phong Giao duc Trung hoc", &dir);
        assert_eq!(
            ocr[1].unit.map(|i| dir.units()[i].code.as_str()),
            Some("GDTrH")
        );
    }

    #[test]
    fn free_text_stays_one_phrase_and_organisations_split() {
        let dir = directory();
        assert_eq!(
            describe(
                &parse_unit_list(
                    "- Các phòng CMNV cơ quan Sở;\n- Các sở, ngành, đơn vị, địa phương liên quan",
                    &dir
                ),
                &dir
            ),
            [
                "Các phòng CMNV cơ quan Sở",
                "Các sở, ngành, đơn vị, địa phương liên quan"
            ]
        );
        assert_eq!(
            describe(
                &parse_unit_list(
                    "Phòng Giáo dục và Đào tạo, Ủy ban nhân dân các phường",
                    &dir
                ),
                &dir
            ),
            ["Phòng Giáo dục và Đào tạo", "Ủy ban nhân dân các phường"]
        );
        assert_eq!(
            describe(
                &parse_unit_list(
                    "Trưởng khối thi đua Mầm non, Tiểu học, Trung học cơ sở",
                    &dir
                ),
                &dir
            ),
            ["Trưởng khối thi đua Mầm non, Tiểu học, Trung học cơ sở"]
        );
        assert_eq!(
            describe(
                &parse_unit_list("Các phòng, ban liên quan; các trường học", &dir),
                &dir
            ),
            ["Các phòng, ban liên quan", "các trường học"]
        );
        assert_eq!(
            describe(&parse_unit_list("Công an quận, phòng Y tế", &dir), &dir),
            ["Công an quận", "phòng Y tế"]
        );
        assert_eq!(
            describe(
                &parse_unit_list("Phòng Giáo dục và Đào tạo, Nội vụ;", &dir),
                &dir
            ),
            ["Phòng Giáo dục và Đào tạo", "Nội vụ"]
        );
        assert_eq!(
            describe(
                &parse_unit_list(
                    "Phòng Tài chính - Kế hoạch, các phòng, ban có liên quan",
                    &dir
                ),
                &dir
            ),
            ["Phòng Tài chính - Kế hoạch", "các phòng, ban có liên quan"]
        );
        assert!(parse_unit_list(" ;\n - ", &dir).is_empty());
    }

    #[test]
    fn groups_put_configured_units_first_then_names_as_written() {
        let dir = directory();
        let mut groups = UnitGroups::default();
        for name in parse_unit_list("Phòng Nội vụ; Văn phòng; phòng nội vụ; Phòng GDTrH", &dir)
        {
            groups.add(&name, &dir);
        }
        let labels: Vec<String> = groups.ordered().into_iter().map(|(_, l)| l).collect();
        assert_eq!(
            labels,
            ["Phòng Giáo dục trung học", "Văn phòng", "Phòng Nội vụ"]
        );
        assert!(same_named("Phòng Nội vụ", "phong noi vu"));
        assert!(same_named("Nội vụ", "Phòng Nội vụ"));
        assert!(!same_named("Phòng Y tế", "Phòng Nội vụ"));
    }
}
