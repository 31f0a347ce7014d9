//! The targets (chỉ tiêu) an administrator defines in `config/chi-tieu.toml`: what each
//! indicator divides by what, for which levels and types, and the rate it must reach.

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use super::codes;
use super::model::{Level, Ownership};

/// The shipped targets (seeds 002 and 003), used when the configuration names no file.
pub const BUILTIN_TARGETS: &str = include_str!("../../config/chi-tieu.toml");

/// The pseudo-code of a denominator that counts schools instead of summing a figure.
pub const SCHOOL_COUNT: &str = "SO_TRUONG";

/// Every indicator, in the order the documents list them.
#[derive(Debug, Clone)]
pub struct Targets {
    pub indicators: Vec<Indicator>,
}

/// Whether the rate must reach the target from above or stay under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// At least the target (enrolment, qualified teachers).
    AtLeast,
    /// At most the target (malnutrition, overweight).
    AtMost,
}

/// What the numerator adds up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Numerator {
    /// The sum of a code's values.
    Sum(String),
    /// The number of schools whose code is at least the threshold (`MUC_CHUAN_QG ≥ 2`).
    SchoolsAtLeast(String, u64),
}

/// What the denominator adds up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denominator {
    Sum(String),
    /// The number of schools the indicator applies to.
    Schools,
}

/// One indicator, checked and ready to compute.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub numerator: Numerator,
    pub denominator: Denominator,
    /// Target in hundredths of a percent (99,9% → 9990), so judging uses integers only.
    pub target_hundredths: Option<u64>,
    pub direction: Direction,
    /// Levels it applies to; every level when the file lists none.
    pub levels: Vec<Level>,
    /// Types it applies to; both when the file lists none.
    pub ownerships: Vec<Ownership>,
    /// The noun after the numerator: "7.910 trẻ/9.232".
    pub counted: String,
    /// Draw a chart of it per ward.
    pub chart: bool,
    /// Where the target comes from, printed in the XLSX.
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetsFile {
    #[serde(default)]
    indicator: Vec<IndicatorEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorEntry {
    code: String,
    name: String,
    numerator: String,
    denominator: String,
    #[serde(default)]
    numerator_at_least: Option<u64>,
    #[serde(default)]
    target: Option<f64>,
    #[serde(default = "at_least")]
    direction: Direction,
    #[serde(default)]
    levels: Vec<String>,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    counted: String,
    #[serde(default)]
    chart: bool,
    #[serde(default)]
    source: String,
}

fn at_least() -> Direction {
    Direction::AtLeast
}

impl Targets {
    /// Parses and checks a targets file; errors name the indicator, in Vietnamese.
    pub fn from_toml(text: &str) -> Result<Self> {
        let file: TargetsFile = toml::from_str(text).context("tệp chỉ tiêu sai cú pháp")?;
        let mut indicators = Vec::with_capacity(file.indicator.len());
        for entry in file.indicator {
            let code = entry.code.trim().to_string();
            let indicator = entry
                .check()
                .with_context(|| format!("chỉ tiêu «{code}» trong tệp chỉ tiêu"))?;
            if indicators
                .iter()
                .any(|i: &Indicator| i.code == indicator.code)
            {
                bail!("mã chỉ tiêu «{code}» xuất hiện hai lần trong tệp chỉ tiêu");
            }
            indicators.push(indicator);
        }
        Ok(Self { indicators })
    }

    /// The codes the indicators read that Form D does not define, so the reader keeps them.
    pub fn extra_codes(&self) -> Vec<&str> {
        let mut extra = Vec::new();
        for indicator in &self.indicators {
            for code in indicator.codes() {
                if codes::standard(code).is_none() && !extra.contains(&code) {
                    extra.push(code);
                }
            }
        }
        extra
    }
}

impl IndicatorEntry {
    fn check(self) -> Result<Indicator> {
        if self.code.trim().is_empty() || self.name.trim().is_empty() {
            bail!("thiếu «code» hoặc «name»");
        }
        let numerator_code = normalise(&self.numerator);
        if numerator_code.is_empty() || numerator_code == SCHOOL_COUNT {
            bail!("«numerator» phải là một mã của Biểu D (ví dụ TRE_5_TUOI)");
        }
        let numerator = match self.numerator_at_least {
            Some(threshold) => Numerator::SchoolsAtLeast(numerator_code, threshold),
            None => Numerator::Sum(numerator_code),
        };
        let denominator_code = normalise(&self.denominator);
        let denominator = match denominator_code.as_str() {
            "" => bail!("thiếu «denominator» (một mã của Biểu D, hoặc SO_TRUONG)"),
            SCHOOL_COUNT => Denominator::Schools,
            _ => Denominator::Sum(denominator_code),
        };
        if matches!(numerator, Numerator::SchoolsAtLeast(..)) && denominator != Denominator::Schools
        {
            bail!("«numerator_at_least» đếm số trường, nên «denominator» phải là SO_TRUONG");
        }
        let target_hundredths = match self.target {
            None => None,
            Some(t) if t.is_finite() && (0.0..=100.0).contains(&t) => {
                Some((t * 100.0).round() as u64)
            }
            Some(t) => bail!("«target» = {t}: phải là tỷ lệ phần trăm từ 0 đến 100"),
        };
        let levels = self
            .levels
            .iter()
            .map(|l| {
                Level::parse(l).with_context(|| {
                    format!("cấp học «{l}» không rõ (Mầm non, Tiểu học, THCS, THPT, Liên cấp)")
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let ownerships = self
            .types
            .iter()
            .map(|t| {
                Ownership::parse(t)
                    .with_context(|| format!("loại hình «{t}» không rõ (Công lập, Ngoài công lập)"))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Indicator {
            code: self.code.trim().to_string(),
            name: self.name.trim().to_string(),
            numerator,
            denominator,
            target_hundredths,
            direction: self.direction,
            levels: if levels.is_empty() {
                Level::ALL.to_vec()
            } else {
                levels
            },
            ownerships: if ownerships.is_empty() {
                Ownership::ALL.to_vec()
            } else {
                ownerships
            },
            counted: self.counted.trim().to_string(),
            chart: self.chart,
            source: self.source.trim().to_string(),
        })
    }
}

/// Codes as the form writes them: `tre 5 tuoi`, `TRE-5-TUOI` → `TRE_5_TUOI`.
pub fn normalise(text: &str) -> String {
    // Codes are ASCII nearly always (once per row of every school): one pass.
    if text.is_ascii() {
        return crate::text::fold::fold_ascii_words(text, '_', true);
    }
    normalise_folded(text)
}

/// The general path of [`normalise`].
fn normalise_folded(text: &str) -> String {
    crate::text::fold::fold_words(text)
        .replace([' ', '-'], "_")
        .to_uppercase()
}

impl Indicator {
    /// Whether a school of this level and type counts toward the indicator.
    pub fn applies_to(&self, level: Level, ownership: Ownership) -> bool {
        self.levels.contains(&level) && self.ownerships.contains(&ownership)
    }

    /// The Form D codes the indicator reads.
    pub fn codes(&self) -> Vec<&str> {
        let mut codes = vec![match &self.numerator {
            Numerator::Sum(c) | Numerator::SchoolsAtLeast(c, _) => c.as_str(),
        }];
        if let Denominator::Sum(c) = &self.denominator {
            codes.push(c.as_str());
        }
        codes
    }

    /// The target as printed: `≥ 99,9%`, `≤ 2%`; empty when the indicator has none.
    pub fn target_text(&self) -> String {
        let Some(target) = self.target_hundredths else {
            return String::new();
        };
        let sign = match self.direction {
            // "100%" says it all: nothing is above it.
            Direction::AtLeast if target == 10_000 => return format_hundredths(target),
            Direction::AtLeast => "≥",
            Direction::AtMost => "≤",
        };
        format!("{sign} {}", format_hundredths(target))
    }

    /// The levels it applies to, as printed (`Mầm non, Tiểu học`), empty for every level.
    pub fn scope_text(&self) -> String {
        let mut parts = Vec::new();
        if self.levels.len() < Level::ALL.len() {
            parts.push(
                self.levels
                    .iter()
                    .map(|l| l.label())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        if self.ownerships.len() < Ownership::ALL.len() {
            parts.push(
                self.ownerships
                    .iter()
                    .map(|o| o.label().to_lowercase())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        parts.join(", ")
    }
}

/// Hundredths of a percent as printed: 9990 → `99,9%`, 200 → `2%`, 1050 → `10,5%`.
pub fn format_hundredths(value: u64) -> String {
    let whole = value / 100;
    let rest = value % 100;
    let mut text = crate::vn::number::format_int(whole);
    if rest != 0 {
        let decimals = format!("{rest:02}");
        text.push(',');
        text.push_str(decimals.trim_end_matches('0'));
    }
    text.push('%');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The one-pass ASCII path answers as the folding does, for any ASCII text.
        #[test]
        fn ascii_codes_normalise_as_folded(text in "[ -~]{0,16}") {
            proptest::prop_assert_eq!(normalise(&text), normalise_folded(&text));
        }
    }

    #[test]
    fn the_shipped_targets_parse_and_name_form_d_codes() {
        let targets = Targets::from_toml(BUILTIN_TARGETS).expect("shipped targets");
        assert!(targets.indicators.len() >= 10);
        assert!(
            targets.extra_codes().is_empty(),
            "{:?}",
            targets.extra_codes()
        );
        let five = targets
            .indicators
            .iter()
            .find(|i| i.numerator == Numerator::Sum("TRE_5_TUOI".into()))
            .expect("5-year-olds");
        assert_eq!(five.target_hundredths, Some(9990));
        assert_eq!(five.target_text(), "≥ 99,9%");
        assert_eq!(five.levels, [Level::Preschool]);
    }

    #[test]
    fn bad_indicators_are_refused_with_their_code() {
        let cases = [
            (
                "numerator = \"SO_TRUONG\"\ndenominator = \"DS_5_TUOI\"",
                "numerator",
            ),
            (
                "numerator = \"TRE_5_TUOI\"\ndenominator = \"\"",
                "denominator",
            ),
            (
                "numerator = \"TRE_5_TUOI\"\ndenominator = \"DS_5_TUOI\"\ntarget = 120",
                "target",
            ),
            (
                "numerator = \"TRE_5_TUOI\"\ndenominator = \"DS_5_TUOI\"\nlevels = [\"Đại học\"]",
                "Đại học",
            ),
            (
                "numerator = \"MUC_CHUAN_QG\"\nnumerator_at_least = 2\ndenominator = \"PHONG_HOC\"",
                "SO_TRUONG",
            ),
        ];
        for (body, expected) in cases {
            let text = format!("[[indicator]]\ncode = \"X\"\nname = \"Thử\"\n{body}\n");
            let error = format!("{:#}", Targets::from_toml(&text).expect_err(body));
            assert!(error.contains("«X»") && error.contains(expected), "{error}");
        }
    }

    #[test]
    fn hundredths_print_the_vietnamese_way() {
        assert_eq!(format_hundredths(9990), "99,9%");
        assert_eq!(format_hundredths(200), "2%");
        assert_eq!(format_hundredths(1050), "10,5%");
        assert_eq!(format_hundredths(2303), "23,03%");
        assert_eq!(normalise("tre 5-tuoi"), "TRE_5_TUOI");
    }

    #[test]
    fn codes_normalise_however_they_are_typed() {
        for (typed, code) in [
            ("TRE_5_TUOI", "TRE_5_TUOI"),
            (" tre 5-tuoi ", "TRE_5_TUOI"),
            ("__gv--dat  chuan_", "GV_DAT_CHUAN"),
            ("DS.6.TUOI", "DS_6_TUOI"),
            ("Trẻ 5 tuổi", "TRE_5_TUOI"),
            ("Đạt chuẩn", "DAT_CHUAN"),
            ("", ""),
        ] {
            assert_eq!(normalise(typed), code, "{typed:?}");
        }
    }
}
