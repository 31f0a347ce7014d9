//! Every indicator at every level of the hierarchy, computed with polars from the accepted
//! school reports: by school, by ward within each level, by level, by type, by ward and for
//! the whole city; each judged against its target with integer arithmetic, so that a rate
//! printed as 99,9% is never judged on a binary rounding error.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::{Context, Result};
use polars::prelude::{Column, DataFrame, DataType};
use rayon::prelude::*;

use super::codes::CodeBook;
use super::model::{Level, Ownership, SchoolInfo, SchoolReport};
use super::registry::SchoolRegistry;
use super::targets::{Denominator, Direction, Indicator, Numerator};
use crate::text::fold_key;
use crate::vn::number::{format_int, format_percent_tenths, share_tenths};

/// An indicator's numerator and denominator summed over a group of schools.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figure {
    pub numerator: u64,
    pub denominator: u64,
    /// Schools that contributed (applicable and reported both figures).
    pub schools: u64,
}

/// How a figure stands against its indicator's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Missed,
    /// The denominator is zero: the rate does not exist (never printed as 0%).
    NotComputable,
    /// The indicator has no target: reported, not judged.
    NotJudged,
}

impl Verdict {
    /// As printed in the documents.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Met => "Đạt",
            Verdict::Missed => "Chưa đạt",
            Verdict::NotComputable => "Không tính được",
            Verdict::NotJudged => "",
        }
    }
}

impl Figure {
    /// The rate as a fraction (0.857), `None` when the denominator is zero.
    pub fn rate(&self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 / self.denominator as f64)
    }

    /// Judges the figure: exact comparison of `numerator × 10000` with `target × denominator`.
    pub fn verdict(&self, indicator: &Indicator) -> Verdict {
        if self.denominator == 0 {
            return Verdict::NotComputable;
        }
        let Some(target) = indicator.target_hundredths else {
            return Verdict::NotJudged;
        };
        let left = u128::from(self.numerator) * 10_000;
        let right = u128::from(target) * u128::from(self.denominator);
        let met = match indicator.direction {
            Direction::AtLeast => left >= right,
            Direction::AtMost => left <= right,
        };
        if met {
            Verdict::Met
        } else {
            Verdict::Missed
        }
    }

    /// The rate as printed: one decimal (`85,7%`), or two when one would round a missed
    /// target up to it (`99,86%` against 99,9%), so a reader never sees "99,9% — chưa đạt
    /// 99,9%". `None` when not computable.
    pub fn rate_text(&self, indicator: &Indicator) -> Option<String> {
        let tenths = share_tenths(self.numerator, self.denominator)?;
        let shown = format_percent_tenths(tenths);
        let Some(target) = indicator.target_hundredths else {
            return Some(shown);
        };
        let rounded_met = match indicator.direction {
            Direction::AtLeast => tenths * 10 >= target,
            Direction::AtMost => tenths * 10 <= target,
        };
        if rounded_met == (self.verdict(indicator) == Verdict::Met) {
            return Some(shown);
        }
        let hundredths = (u128::from(self.numerator) * 20_000 + u128::from(self.denominator))
            / (2 * u128::from(self.denominator));
        Some(super::targets::format_hundredths(hundredths as u64))
    }

    /// As the seeds write it: `7.910 trẻ/9.232 (85,7%)`; `(không tính được)` for a zero
    /// denominator.
    pub fn text(&self, indicator: &Indicator) -> String {
        let counted = if indicator.counted.is_empty() {
            String::new()
        } else {
            format!(" {}", indicator.counted)
        };
        let rate = self
            .rate_text(indicator)
            .unwrap_or_else(|| "không tính được".to_string());
        format!(
            "{}{counted}/{} ({rate})",
            format_int(self.numerator),
            format_int(self.denominator)
        )
    }
}

/// A school below an indicator's target.
#[derive(Debug, Clone)]
pub struct SchoolBelow {
    pub indicator: usize,
    pub school: SchoolInfo,
    pub figure: Figure,
}

/// Why an expected school is not in the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absence {
    /// No workbook for the period.
    NotSubmitted,
    /// Its workbook had errors (see the validation list).
    Rejected,
}

impl Absence {
    /// As printed in the XLSX.
    pub fn label(self) -> &'static str {
        match self {
            Absence::NotSubmitted => "Chưa nộp",
            Absence::Rejected => "Có lỗi, chưa tổng hợp",
        }
    }
}

/// Schools expected and reporting in one ward of one level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub expected: u64,
    pub reported: u64,
}

/// Everything the target outputs print; figure vectors are indexed like `indicators`.
#[derive(Debug, Clone)]
pub struct TargetResults {
    pub indicators: Vec<Indicator>,
    pub city: Vec<Figure>,
    pub by_level: BTreeMap<Level, Vec<Figure>>,
    pub by_ownership: BTreeMap<Ownership, Vec<Figure>>,
    pub by_level_ownership: BTreeMap<(Level, Ownership), Vec<Figure>>,
    pub by_ward: BTreeMap<String, Vec<Figure>>,
    /// Keyed by level and the ward's position in `wards`.
    pub by_level_ward: BTreeMap<(Level, usize), Vec<Figure>>,
    /// Ward names in the order the documents list them (folded alphabetical order).
    pub wards: Vec<String>,
    /// Schools expected and reporting per level and ward (position in `wards`).
    pub coverage: BTreeMap<(Level, usize), Coverage>,
    pub below_target: Vec<SchoolBelow>,
    /// Expected schools missing from the figures, by ward then code.
    pub absent: Vec<(SchoolInfo, Absence)>,
    pub schools_reported: usize,
    /// Schools in the registry; 0 when no registry is configured.
    pub schools_expected: usize,
}

impl TargetResults {
    /// The levels that have schools, in report order.
    pub fn levels(&self) -> Vec<Level> {
        Level::ALL
            .into_iter()
            .filter(|l| self.coverage.keys().any(|(level, _)| level == l))
            .collect()
    }

    /// The indicators that apply to a level, with their positions.
    pub fn indicators_of(&self, level: Level) -> Vec<(usize, &Indicator)> {
        self.indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.levels.contains(&level))
            .collect()
    }
}

/// Computes every indicator from the accepted reports. `rejected` holds the codes of
/// registry schools whose workbooks were rejected, to tell them from non-submitters.
pub fn compute_targets(
    indicators: &[Indicator],
    codes: &CodeBook,
    reports: &[SchoolReport],
    registry: &SchoolRegistry,
    rejected: &HashSet<String>,
) -> Result<TargetResults> {
    let PreparedTargets {
        below_target, rest, ..
    } = prepare_targets(indicators, codes, reports, registry, rejected);
    let mut results = rest.finish()?;
    results.below_target = below_target;
    Ok(results)
}

/// The targets in two parts: what the longest list needs (the schools below target), known
/// first, so that the list can be written while [`RemainingTargets::finish`] makes the sums.
pub struct PreparedTargets<'a> {
    pub indicators: &'a [Indicator],
    /// The levels that have schools, in report order, as [`TargetResults::levels`] lists them.
    pub levels: Vec<Level>,
    /// The schools below target, in the order the list prints them.
    pub below_target: Vec<SchoolBelow>,
    pub rest: RemainingTargets<'a>,
}

/// What the sums, the coverage and the absent schools still need.
pub struct RemainingTargets<'a> {
    indicators: &'a [Indicator],
    reports: &'a [SchoolReport],
    registry: &'a SchoolRegistry,
    rejected: &'a HashSet<String>,
    wards: Vec<String>,
    /// Each ward as written to its position in `wards`.
    index_of_spelling: HashMap<&'a str, usize>,
    contributions: Vec<Vec<Option<(u64, u64)>>>,
}

/// The first part of [`compute_targets`]: wards, each school's figures, the schools below
/// target.
pub fn prepare_targets<'a>(
    indicators: &'a [Indicator],
    codes: &CodeBook,
    reports: &'a [SchoolReport],
    registry: &'a SchoolRegistry,
    rejected: &'a HashSet<String>,
) -> PreparedTargets<'a> {
    // Wards as written, each distinct spelling folded once (thousands of schools share a
    // hundred wards); spellings that fold alike are one ward, named by the first in order.
    let mut folded: HashMap<&str, String> = HashMap::new();
    for ward in registry
        .schools()
        .iter()
        .map(|s| s.ward.as_str())
        .chain(reports.iter().map(|r| r.school.ward.as_str()))
    {
        folded.entry(ward).or_insert_with(|| fold_key(ward));
    }
    let mut spellings: Vec<(&str, &str)> = folded
        .iter()
        .map(|(raw, key)| (key.as_str(), *raw))
        .collect();
    spellings.sort_unstable();
    spellings.dedup_by(|a, b| a.0 == b.0);
    let wards: Vec<String> = spellings.iter().map(|(_, raw)| raw.to_string()).collect();
    let ward_index: HashMap<&str, usize> = spellings
        .iter()
        .enumerate()
        .map(|(i, (key, _))| (*key, i))
        .collect();
    let index_of_spelling: HashMap<&str, usize> = folded
        .iter()
        .filter_map(|(raw, key)| Some((*raw, *ward_index.get(key.as_str())?)))
        .collect();
    let ward_of = |ward: &str| ward_position(&index_of_spelling, ward);

    // Per school and indicator: (numerator, denominator), or nothing when it does not count.
    // Each indicator's codes are looked up once, not once per school.
    let reads: Vec<Reads> = indicators.iter().map(|i| Reads::of(i, codes)).collect();
    let contributions: Vec<Vec<Option<(u64, u64)>>> = reports
        .par_iter()
        .map(|r| {
            indicators
                .iter()
                .zip(&reads)
                .map(|(i, reads)| contribution(i, reads, r))
                .collect()
        })
        .collect();
    let mut below_target = Vec::new();
    for (n, indicator) in indicators.iter().enumerate() {
        for (report, row) in reports.iter().zip(&contributions) {
            if let Some((numerator, denominator)) = row[n] {
                let figure = Figure {
                    numerator,
                    denominator,
                    schools: 1,
                };
                if figure.verdict(indicator) == Verdict::Missed {
                    below_target.push(SchoolBelow {
                        indicator: n,
                        school: report.school.clone(),
                        figure,
                    });
                }
            }
        }
    }
    below_target.sort_by_cached_key(|b| {
        (
            b.indicator,
            b.school.level,
            ward_of(&b.school.ward),
            b.school.code.clone(),
        )
    });

    // The levels of the coverage that `finish` counts: the registry's, or without one the
    // reports'.
    let levels = Level::ALL
        .into_iter()
        .filter(|level| {
            if registry.is_empty() {
                reports.iter().any(|r| r.school.level == *level)
            } else {
                registry.schools().iter().any(|s| s.level == *level)
            }
        })
        .collect();
    PreparedTargets {
        indicators,
        levels,
        below_target,
        rest: RemainingTargets {
            indicators,
            reports,
            registry,
            rejected,
            wards,
            index_of_spelling,
            contributions,
        },
    }
}

/// A ward's position in the ordered wards. Every ward looked up is one of the spellings
/// indexed when the wards were listed; 0 would only answer a spelling never seen.
fn ward_position(index_of_spelling: &HashMap<&str, usize>, ward: &str) -> usize {
    index_of_spelling.get(ward).copied().unwrap_or(0)
}

impl RemainingTargets<'_> {
    /// Every figure but the schools below target (left empty, for the caller to put in).
    pub fn finish(self) -> Result<TargetResults> {
        let Self {
            indicators,
            reports,
            registry,
            rejected,
            wards,
            index_of_spelling,
            contributions,
        } = self;
        let ward_of = |ward: &str| ward_position(&index_of_spelling, ward);
        let frame = contributions_frame(indicators.len(), reports, &contributions, &ward_of)?;
        // The frame holds the figures now: the per-school copy (50,000 schools × 18
        // indicators × 24 bytes, about 22 MB) goes before polars groups them.
        drop(contributions);

        // polars sums the schools into the finest groups (level, type, ward); every coarser
        // level is a sum of those groups, added up here, so that one group-by serves all six.
        let finest = group_figures(&frame, &["level", "ownership", "ward"], indicators.len())?;
        drop(frame);
        let city = roll_up(&finest, |_| ())
            .remove(&())
            .unwrap_or_else(|| vec![Figure::default(); indicators.len()]);
        let by_level = roll_up(&finest, |k| level_of(k[0]));
        let by_ownership = roll_up(&finest, |k| ownership_of(k[1]));
        let by_level_ownership = roll_up(&finest, |k| (level_of(k[0]), ownership_of(k[1])));
        let by_ward = roll_up(&finest, |k| wards[k[2] as usize].clone());
        let by_level_ward = roll_up(&finest, |k| (level_of(k[0]), k[2] as usize));

        let reported: HashSet<String> = reports.iter().map(|r| fold_key(&r.school.code)).collect();
        let mut coverage: BTreeMap<(Level, usize), Coverage> = BTreeMap::new();
        let mut absent = Vec::new();
        for school in registry.schools() {
            let entry = coverage
                .entry((school.level, ward_of(&school.ward)))
                .or_default();
            entry.expected += 1;
            let key = fold_key(&school.code);
            if reported.contains(&key) {
                entry.reported += 1;
            } else if rejected.contains(&key) {
                absent.push((school.clone(), Absence::Rejected));
            } else {
                absent.push((school.clone(), Absence::NotSubmitted));
            }
        }
        if registry.is_empty() {
            for report in reports {
                let entry = coverage
                    .entry((report.school.level, ward_of(&report.school.ward)))
                    .or_default();
                entry.expected += 1;
                entry.reported += 1;
            }
        }
        absent.sort_by_cached_key(|(s, _)| (ward_of(&s.ward), s.level, s.code.clone()));

        Ok(TargetResults {
            indicators: indicators.to_vec(),
            city,
            by_level,
            by_ownership,
            by_level_ownership,
            by_ward,
            by_level_ward,
            wards,
            coverage,
            below_target: Vec::new(),
            absent,
            schools_reported: reports.len(),
            schools_expected: registry.schools().len(),
        })
    }
}

/// Where an indicator's figures are kept in each school's values (`None`: a code the run
/// does not keep, which no school has then).
struct Reads {
    numerator: Option<usize>,
    denominator: Option<usize>,
}

impl Reads {
    fn of(indicator: &Indicator, codes: &CodeBook) -> Self {
        let numerator = match &indicator.numerator {
            Numerator::Sum(code) | Numerator::SchoolsAtLeast(code, _) => codes.index(code),
        };
        let denominator = match &indicator.denominator {
            Denominator::Sum(code) => codes.index(code),
            Denominator::Schools => None,
        };
        Self {
            numerator,
            denominator,
        }
    }
}

/// What one school adds to an indicator: nothing unless the indicator applies to its level
/// and type and the school reported every figure the indicator reads.
fn contribution(indicator: &Indicator, reads: &Reads, report: &SchoolReport) -> Option<(u64, u64)> {
    if !indicator.applies_to(report.school.level, report.school.ownership) {
        return None;
    }
    let value = |index: Option<usize>| index.and_then(|i| report.values.get(i).copied().flatten());
    let numerator = match &indicator.numerator {
        Numerator::Sum(_) => value(reads.numerator)?,
        Numerator::SchoolsAtLeast(_, threshold) => u64::from(value(reads.numerator)? >= *threshold),
    };
    let denominator = match &indicator.denominator {
        Denominator::Sum(_) => value(reads.denominator)?,
        Denominator::Schools => 1,
    };
    Some((numerator, denominator))
}

fn contributions_frame(
    count: usize,
    reports: &[SchoolReport],
    contributions: &[Vec<Option<(u64, u64)>>],
    ward_of: &dyn Fn(&str) -> usize,
) -> Result<DataFrame> {
    let mut columns: Vec<Column> = Vec::with_capacity(3 + 3 * count);
    let level: Vec<u32> = reports.iter().map(|r| r.school.level as u32).collect();
    let ownership: Vec<u32> = reports.iter().map(|r| r.school.ownership as u32).collect();
    let ward: Vec<u32> = reports
        .iter()
        .map(|r| ward_of(&r.school.ward) as u32)
        .collect();
    columns.push(Column::new("level".into(), level));
    columns.push(Column::new("ownership".into(), ownership));
    columns.push(Column::new("ward".into(), ward));
    for n in 0..count {
        let numerators: Vec<Option<u64>> =
            contributions.iter().map(|c| c[n].map(|(a, _)| a)).collect();
        let denominators: Vec<Option<u64>> =
            contributions.iter().map(|c| c[n].map(|(_, b)| b)).collect();
        let counted: Vec<u64> = contributions
            .iter()
            .map(|c| u64::from(c[n].is_some()))
            .collect();
        columns.push(Column::new(format!("n{n}").into(), numerators));
        columns.push(Column::new(format!("d{n}").into(), denominators));
        columns.push(Column::new(format!("c{n}").into(), counted));
    }
    DataFrame::new_infer_height(columns).context("dựng bảng số liệu các trường")
}

/// Adds the figures of the groups in `groups` that `key` maps to the same key.
fn roll_up<K: Ord>(
    groups: &BTreeMap<Vec<u32>, Vec<Figure>>,
    key: impl Fn(&[u32]) -> K,
) -> BTreeMap<K, Vec<Figure>> {
    let mut out: BTreeMap<K, Vec<Figure>> = BTreeMap::new();
    for (group, figures) in groups {
        let sums = out
            .entry(key(group))
            .or_insert_with(|| vec![Figure::default(); figures.len()]);
        for (sum, figure) in sums.iter_mut().zip(figures) {
            sum.numerator += figure.numerator;
            sum.denominator += figure.denominator;
            sum.schools += figure.schools;
        }
    }
    out
}

/// Sums every indicator's numerator and denominator over the groups of `keys`, with the
/// number of contributing schools.
fn group_figures(
    frame: &DataFrame,
    keys: &[&str],
    count: usize,
) -> Result<BTreeMap<Vec<u32>, Vec<Figure>>> {
    let summed: Vec<String> = (0..count)
        .flat_map(|n| [format!("n{n}"), format!("d{n}"), format!("c{n}")])
        .collect();
    // polars' eager group-by: only sums are needed, and the lazy engine would add nothing to
    // them but polars-lazy, polars-stream and their async and HTTP stack to the build (issue
    // 24). The eager aggregations are marked deprecated (since polars 0.24) in favour of the
    // lazy ones; they are there in the version Cargo.toml pins.
    #[allow(deprecated)]
    let grouped = frame
        .group_by(keys.iter().copied())
        .and_then(|groups| groups.select(summed.iter().map(String::as_str)).sum())
        .context("tổng hợp chỉ tiêu")?;
    let key_columns: Vec<Vec<u32>> = keys
        .iter()
        .map(|k| {
            Ok(u64_values(&grouped, k)?
                .into_iter()
                .map(|v| v.unwrap_or(0) as u32)
                .collect())
        })
        .collect::<Result<_>>()?;
    let mut sums = Vec::with_capacity(count);
    for n in 0..count {
        sums.push((
            u64_values(&grouped, &format!("n{n}_sum"))?,
            u64_values(&grouped, &format!("d{n}_sum"))?,
            u64_values(&grouped, &format!("c{n}_sum"))?,
        ));
    }
    let mut out = BTreeMap::new();
    for row in 0..grouped.height() {
        let key: Vec<u32> = key_columns.iter().map(|c| c[row]).collect();
        let figures = sums
            .iter()
            .map(|(n, d, c)| Figure {
                numerator: n[row].unwrap_or(0),
                denominator: d[row].unwrap_or(0),
                schools: c[row].unwrap_or(0),
            })
            .collect();
        out.insert(key, figures);
    }
    Ok(out)
}

fn u64_values(frame: &DataFrame, name: &str) -> Result<Vec<Option<u64>>> {
    let column = frame
        .column(name)
        .with_context(|| format!("thiếu cột {name}"))?
        .cast(&DataType::UInt64)
        .with_context(|| format!("cột {name}"))?;
    let values = column.u64().with_context(|| format!("cột {name}"))?;
    Ok((0..values.len()).map(|i| values.get(i)).collect())
}

fn level_of(value: u32) -> Level {
    Level::ALL[value as usize]
}

fn ownership_of(value: u32) -> Ownership {
    Ownership::ALL[value as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schools::targets::Targets;

    fn indicator(toml: &str) -> Indicator {
        let text =
            format!("[[indicator]]\ncode = \"X\"\nname = \"Thử\"\ncounted = \"trẻ\"\n{toml}");
        Targets::from_toml(&text)
            .expect("indicator")
            .indicators
            .remove(0)
    }

    #[test]
    fn judging_is_exact_and_the_printed_rate_never_contradicts_it() {
        let five =
            indicator("numerator = \"TRE_5_TUOI\"\ndenominator = \"DS_5_TUOI\"\ntarget = 99.9");
        let figure = |numerator, denominator| Figure {
            numerator,
            denominator,
            schools: 1,
        };
        assert_eq!(figure(999, 1000).verdict(&five), Verdict::Met);
        assert_eq!(figure(998, 1000).verdict(&five), Verdict::Missed);
        // 99,86% rounds to 99,9% with one decimal: printed with two so it reads as missed.
        assert_eq!(
            figure(9986, 10000).rate_text(&five).as_deref(),
            Some("99,86%")
        );
        assert_eq!(
            figure(9994, 10000).rate_text(&five).as_deref(),
            Some("99,9%")
        );
        assert_eq!(figure(7910, 9232).text(&five), "7.910 trẻ/9.232 (85,7%)");
        assert_eq!(figure(0, 0).verdict(&five), Verdict::NotComputable);
        assert_eq!(figure(0, 0).text(&five), "0 trẻ/0 (không tính được)");
        let thin = indicator(
            "numerator = \"TRE_SDD\"\ndenominator = \"TRE_CAN_DO\"\ntarget = 2\ndirection = \"at_most\"",
        );
        assert_eq!(figure(2, 100).verdict(&thin), Verdict::Met);
        assert_eq!(figure(3, 100).verdict(&thin), Verdict::Missed);
        let no_target = indicator(
            "numerator = \"MUC_CHUAN_QG\"\nnumerator_at_least = 2\ndenominator = \"SO_TRUONG\"",
        );
        assert_eq!(figure(1, 4).verdict(&no_target), Verdict::NotJudged);
    }
}
