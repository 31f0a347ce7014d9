//! Generates N synthetic school statistics workbooks (Form D) for the benchmark.
//!
//! ```text
//! cargo run --release --example gen_schools -- N DIR [--seed S] [--period 2025-11] [--no-monthly]
//! ```
//!
//! Writes, deterministically from the seed (the same arguments give byte-identical files):
//!
//! - `DIR/input/truong/<ward-slug>/<school-code>.xlsx`: one Form D workbook per school;
//! - `DIR/truong.csv`: the school registry, every school, including the ~1% that send no file;
//! - `DIR/input/*.xlsx`: copies of the eight sample monthly workbooks (Form A) of the repository's
//!   `input/`, so that a full `baocao run` has its monthly report to write too (`--no-monthly`
//!   leaves them out);
//! - `DIR/bad-files.csv`: the ~0.5% of files made bad on purpose, with what is wrong with them;
//! - `DIR/gen-summary.txt`: counts by level, type and fate.
//!
//! The mix: levels ~ Mầm non 40%, Tiểu học 28%, THCS 22%, THPT 5%, Liên cấp 5%; ~80% Công lập;
//! max(8, N/15) wards, the first named after real Hải Phòng wards and communes. Each ward has a
//! "quality" that pulls its schools' rates up or down, so some wards meet the targets and some
//! miss them. Files are written in parallel (rayon); every school draws from its own random
//! stream, so the output does not depend on the number of threads.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

// ---------------------------------------------------------------------------------------------
// Random numbers: SplitMix64, seeded per school so that parallel writing stays deterministic.

#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.0 ^= index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform whole number in lo..=hi.
    fn int(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
}

const STREAM_REGISTRY: u64 = 1;
const STREAM_WARD: u64 = 2;
const STREAM_FIGURES: u64 = 3;
const STREAM_BAD: u64 = 4;

// ---------------------------------------------------------------------------------------------
// Names.

/// Real wards, communes and special zones of Hải Phòng (after the 2025 reorganisation); wards
/// beyond these are called `Xã số 41`, `Xã số 42`, …
const WARDS: [&str; 40] = [
    "Phường Hồng Bàng",
    "Phường Lê Chân",
    "Phường Ngô Quyền",
    "Phường Hải An",
    "Phường Kiến An",
    "Phường Đồ Sơn",
    "Phường Dương Kinh",
    "Xã An Dương",
    "Xã Thủy Nguyên",
    "Xã Kiến Thụy",
    "Xã Tiên Lãng",
    "Xã Vĩnh Bảo",
    "Đặc khu Cát Hải",
    "Đặc khu Bạch Long Vĩ",
    "Phường Gia Viên",
    "Phường An Biên",
    "Phường Đông Hải",
    "Phường Hồng An",
    "Phường Phù Liễn",
    "Phường Nam Đồ Sơn",
    "Phường Hưng Đạo",
    "Phường An Hải",
    "Phường An Phong",
    "Phường Bạch Đằng",
    "Phường Lưu Kiếm",
    "Phường Nam Triệu",
    "Phường Thiên Hương",
    "Phường Hải Dương",
    "Phường Lê Thanh Nghị",
    "Phường Thành Đông",
    "Phường Chí Linh",
    "Phường Kinh Môn",
    "Xã Nghi Dương",
    "Xã Kiến Hải",
    "Xã Vĩnh Am",
    "Xã Nam Sách",
    "Xã Thanh Hà",
    "Xã Gia Lộc",
    "Xã Tứ Kỳ",
    "Xã Ninh Giang",
];

const KINDERGARTEN_NAMES: &[&str] = &[
    "Hoa Sen",
    "Hoa Mai",
    "Hoa Hồng",
    "Hoa Phượng",
    "Hoa Cúc",
    "Hoa Lan",
    "Sơn Ca",
    "Họa Mi",
    "Tuổi Thơ",
    "Bình Minh",
    "Ánh Dương",
    "Sao Mai",
    "Măng Non",
    "Hướng Dương",
    "Thỏ Ngọc",
    "Hoa Ban",
];

const PEOPLE_NAMES: &[&str] = &[
    "Lê Lợi",
    "Chu Văn An",
    "Nguyễn Trãi",
    "Trần Phú",
    "Lý Tự Trọng",
    "Ngô Quyền",
    "Lê Quý Đôn",
    "Nguyễn Du",
    "Kim Đồng",
    "Võ Thị Sáu",
    "Hai Bà Trưng",
    "Trần Quốc Toản",
    "Nguyễn Bỉnh Khiêm",
    "Lê Hồng Phong",
    "Tô Hiệu",
    "Đinh Tiên Hoàng",
    "Quang Trung",
    "Lê Văn Tám",
    "Trần Hưng Đạo",
    "Phan Bội Châu",
    "Nguyễn Đức Cảnh",
    "Hoàng Văn Thụ",
    "Nguyễn Khuyến",
    "Bạch Đằng",
];

const PRIVATE_NAMES: &[&str] = &[
    "Ngôi Sao",
    "Hoàng Gia",
    "Thăng Long",
    "Việt Úc",
    "Đoàn Thị Điểm",
    "Newton",
    "Marie Curie",
    "Sao Việt",
    "Tuệ Đức",
    "Hà Nội - Hải Phòng",
];

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Đào", "Phan",
];
const MIDDLE_NAMES: &[&str] = &["Thị", "Văn", "Thu", "Minh", "Hồng", "Ngọc", "Đức", "Thanh"];
const GIVEN_NAMES: &[&str] = &[
    "Lan", "Hương", "Hà", "Mai", "Hùng", "Dũng", "Hạnh", "Thảo", "Tuấn", "Nga", "Phương", "Yến",
    "Hoa", "Long",
];

/// ASCII slug: `Phường Hồng Bàng` → `phuong-hong-bang`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// `1231` → `1.231`, the way a Vietnamese office types it.
fn vn_thousands(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The schools.

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Level {
    MamNon,
    TieuHoc,
    Thcs,
    Thpt,
    LienCap,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::MamNon => "Mầm non",
            Level::TieuHoc => "Tiểu học",
            Level::Thcs => "THCS",
            Level::Thpt => "THPT",
            Level::LienCap => "Liên cấp",
        }
    }

    fn abbr(self) -> &'static str {
        match self {
            Level::MamNon => "MN",
            Level::TieuHoc => "TH",
            Level::Thcs => "THCS",
            Level::Thpt => "THPT",
            Level::LienCap => "LC",
        }
    }

    /// Share of private (Ngoài công lập) schools at this level; ~20% overall with the mix.
    fn private_share(self) -> f64 {
        match self {
            Level::MamNon => 0.30,
            Level::TieuHoc => 0.08,
            Level::Thcs => 0.05,
            Level::Thpt => 0.25,
            Level::LienCap => 0.60,
        }
    }

    const ALL: [Level; 5] = [
        Level::MamNon,
        Level::TieuHoc,
        Level::Thcs,
        Level::Thpt,
        Level::LienCap,
    ];
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Bad {
    /// A figure breaks a consistency rule (enrolled > population of the age, qualified > teachers).
    Inconsistent,
    /// A figure cell holds the text `abc`.
    TextFigure,
    /// The file is cut in half (a broken zip).
    Truncated,
    /// The school code in the file is not in the registry.
    UnknownCode,
}

impl Bad {
    fn describe(self) -> &'static str {
        match self {
            Bad::Inconsistent => "số liệu mâu thuẫn",
            Bad::TextFigure => "ô số liệu chứa chữ «abc»",
            Bad::Truncated => "tệp bị cắt cụt",
            Bad::UnknownCode => "mã trường không có trong danh sách",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fate {
    Submits,
    Missing,
    Bad(Bad),
}

struct Ward {
    name: String,
    slug: String,
    /// 0 (weak) … 1 (strong): pulls the rates of the ward's schools.
    quality: f64,
}

struct School {
    index: u64,
    code: String,
    name: String,
    level: Level,
    public: bool,
    ward: usize,
    fate: Fate,
}

fn make_wards(n: usize, seed: u64) -> Vec<Ward> {
    let count = (n / 15).max(8);
    (0..count)
        .map(|i| {
            let name = WARDS
                .get(i)
                .map(|s| s.to_string())
                .unwrap_or_else(|| format!("Xã số {}", i + 1));
            let mut rng = Rng::new(seed, STREAM_WARD, i as u64);
            // A third strong, a third middling, a third weak.
            let quality = match i % 3 {
                0 => rng.between(0.75, 1.0),
                1 => rng.between(0.4, 0.75),
                _ => rng.between(0.0, 0.4),
            };
            Ward {
                slug: slug(&name),
                name,
                quality,
            }
        })
        .collect()
}

fn pick_level(r: f64) -> Level {
    match r {
        r if r < 0.40 => Level::MamNon,
        r if r < 0.68 => Level::TieuHoc,
        r if r < 0.90 => Level::Thcs,
        r if r < 0.95 => Level::Thpt,
        _ => Level::LienCap,
    }
}

fn make_schools(n: usize, seed: u64, wards: &[Ward]) -> Vec<School> {
    let mut used: HashMap<String, u32> = HashMap::new();
    // Bad files: one in each stretch of `stride` schools, at a random place within it, the
    // kinds in turn; at least one of each kind from N = 4 up.
    let stride = (n / 4).clamp(1, 200) as u64;
    let mut bad_rng = Rng::new(seed, STREAM_BAD, 0);
    let mut bad_at: HashMap<u64, Bad> = HashMap::new();
    let kinds = [
        Bad::Inconsistent,
        Bad::TextFigure,
        Bad::Truncated,
        Bad::UnknownCode,
    ];
    for k in 0..(n as u64).div_ceil(stride) {
        let at = k * stride + bad_rng.int(0, stride - 1);
        if at < n as u64 {
            bad_at.insert(at, kinds[(k % 4) as usize]);
        }
    }

    (0..n as u64)
        .map(|i| {
            let mut rng = Rng::new(seed, STREAM_REGISTRY, i);
            let level = pick_level(rng.unit());
            let public = !rng.chance(level.private_share());
            let ward = rng.int(0, wards.len() as u64 - 1) as usize;
            let base: String = if !public {
                rng.pick(PRIVATE_NAMES).to_string()
            } else if rng.chance(0.35) {
                // Named after its ward: "Trường Tiểu học Hồng Bàng".
                let w = &wards[ward].name;
                w.split_once(' ')
                    .map(|(prefix, rest)| {
                        if prefix == "Đặc" {
                            rest.trim_start_matches("khu ").to_string()
                        } else {
                            rest.to_string()
                        }
                    })
                    .unwrap_or_else(|| w.clone())
            } else if level == Level::MamNon {
                rng.pick(KINDERGARTEN_NAMES).to_string()
            } else {
                rng.pick(PEOPLE_NAMES).to_string()
            };
            let kind = match (level, public) {
                (Level::MamNon, true) => "Trường Mầm non",
                (Level::MamNon, false) => "Trường Mầm non tư thục",
                (Level::TieuHoc, true) => "Trường Tiểu học",
                (Level::TieuHoc, false) => "Trường Tiểu học tư thục",
                (Level::Thcs, _) => "Trường THCS",
                (Level::Thpt, _) => "Trường THPT",
                (Level::LienCap, true) => "Trường TH và THCS",
                (Level::LienCap, false) => "Trường Liên cấp",
            };
            let full = format!("{kind} {base}");
            let seen = used.entry(full.clone()).or_insert(0);
            *seen += 1;
            let name = if *seen == 1 {
                full
            } else {
                format!("{full} {seen}")
            };
            let fate = match bad_at.get(&i) {
                Some(b) => Fate::Bad(*b),
                None if rng.chance(0.01) => Fate::Missing,
                None => Fate::Submits,
            };
            School {
                index: i,
                code: format!("HP-{}-{:05}", level.abbr(), i + 1),
                name,
                level,
                public,
                ward,
                fate,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The figures.

#[derive(Clone)]
enum Value {
    Number(u64),
    Text(String),
}

struct Row {
    code: &'static str,
    label: &'static str,
    value: Value,
    unit: &'static str,
}

/// A rate between `lo` and `hi`, pulled up by the ward's quality `q`.
fn rate(rng: &mut Rng, q: f64, lo: f64, hi: f64) -> f64 {
    let mix = (0.6 * q + 0.4 * rng.unit()).clamp(0.0, 1.0);
    lo + (hi - lo) * mix
}

fn round(x: f64) -> u64 {
    x.round().max(0.0) as u64
}

/// How many of a cohort did not finish: none in most schools of a strong ward, up to `share`.
fn shortfall(rng: &mut Rng, q: f64, cohort: u64, share: f64) -> u64 {
    if cohort == 0 || rng.chance(0.45 + 0.55 * q) {
        0
    } else {
        rng.int(1, round(cohort as f64 * share).clamp(1, cohort))
    }
}

/// The smallest population for which `enrolled / population` is at most `r`.
fn population(enrolled: u64, r: f64) -> u64 {
    ((enrolled as f64) / r).ceil() as u64
}

fn figures(school: &School, q: f64, rng: &mut Rng) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut push = |code, label, v: u64, unit| {
        rows.push(Row {
            code,
            label,
            value: Value::Number(v),
            unit,
        })
    };
    let public = school.public;
    let pupils: u64;
    let classes: u64;
    let two_sessions_share: f64;
    let teachers_per_class: f64;

    match school.level {
        Level::MamNon => {
            let hs = if public {
                rng.int(150, 450)
            } else {
                rng.int(30, 200)
            };
            let nursery = round(hs as f64 * rng.between(0.12, 0.25));
            let kinder = hs - nursery;
            let five = round(kinder as f64 * rng.between(0.30, 0.36));
            let kinder_rate = if rng.chance(0.25 + 0.6 * q) {
                1.0
            } else {
                rate(rng, q, 0.93, 0.999)
            };
            let five_rate = if rng.chance(0.5 + 0.5 * q) {
                1.0
            } else {
                rng.between(0.95, 0.999)
            };
            let weighed = hs - rng.int(0, hs / 30);
            let underweight = round(weighed as f64 * (0.035 - 0.03 * rate(rng, q, 0.0, 1.0)));
            let overweight = round(weighed as f64 * (0.035 - 0.03 * rate(rng, q, 0.0, 1.0)));
            push("TRE_NHA_TRE", "Số trẻ nhà trẻ ra lớp", nursery, "trẻ");
            push(
                "DS_NHA_TRE",
                "Dân số độ tuổi nhà trẻ (0-2 tuổi)",
                population(nursery, rate(rng, q, 0.30, 0.65)),
                "trẻ",
            );
            push("TRE_MAU_GIAO", "Số trẻ mẫu giáo ra lớp", kinder, "trẻ");
            push(
                "DS_MAU_GIAO",
                "Dân số độ tuổi mẫu giáo (3-5 tuổi)",
                population(kinder, kinder_rate),
                "trẻ",
            );
            push("TRE_5_TUOI", "Số trẻ 5 tuổi ra lớp", five, "trẻ");
            push(
                "DS_5_TUOI",
                "Dân số trẻ 5 tuổi",
                population(five, five_rate),
                "trẻ",
            );
            push("TRE_CAN_DO", "Số trẻ được cân đo", weighed, "trẻ");
            push(
                "TRE_SDD",
                "Số trẻ suy dinh dưỡng thể nhẹ cân",
                underweight,
                "trẻ",
            );
            push(
                "TRE_THUA_CAN",
                "Số trẻ thừa cân, béo phì",
                overweight,
                "trẻ",
            );
            pupils = hs;
            classes = round(hs as f64 / rng.between(22.0, 30.0)).max(1);
            two_sessions_share = rng.between(0.97, 1.0);
            teachers_per_class = rng.between(1.8, 2.2);
        }
        Level::TieuHoc | Level::Thcs | Level::LienCap => {
            let mut hs = 0;
            let mut size = 0.0;
            if school.level != Level::Thcs {
                let primary = match (school.level, public) {
                    (Level::TieuHoc, true) => rng.int(350, 1400),
                    (Level::TieuHoc, false) => rng.int(100, 600),
                    _ => rng.int(150, 600),
                };
                let grade1 = round(primary as f64 * rng.between(0.19, 0.22));
                let six_rate = if rng.chance(0.45 + 0.55 * q) {
                    1.0
                } else {
                    rng.between(0.97, 0.999)
                };
                let grade5 = round(primary as f64 * rng.between(0.18, 0.21));
                let finished = grade5 - shortfall(rng, q, grade5, 0.02);
                push("HS_LOP1_6_TUOI", "Số trẻ 6 tuổi vào lớp 1", grade1, "trẻ");
                push(
                    "DS_6_TUOI",
                    "Dân số trẻ 6 tuổi",
                    population(grade1, six_rate),
                    "trẻ",
                );
                push(
                    "HS_HT_TIEU_HOC",
                    "Số học sinh hoàn thành chương trình tiểu học",
                    finished,
                    "học sinh",
                );
                push("HS_LOP_5", "Số học sinh lớp 5", grade5, "học sinh");
                hs += primary;
                size += primary as f64 / rng.between(30.0, 36.0);
            }
            if school.level != Level::TieuHoc {
                let lower = match (school.level, public) {
                    (Level::Thcs, true) => rng.int(300, 1300),
                    (Level::Thcs, false) => rng.int(100, 500),
                    _ => rng.int(100, 450),
                };
                let grade9 = round(lower as f64 * rng.between(0.22, 0.26));
                let graduated = grade9 - shortfall(rng, q, grade9, 0.03);
                push(
                    "HS_TN_THCS",
                    "Số học sinh tốt nghiệp THCS",
                    graduated,
                    "học sinh",
                );
                push("HS_LOP_9", "Số học sinh lớp 9", grade9, "học sinh");
                hs += lower;
                size += lower as f64 / rng.between(35.0, 42.0);
            }
            pupils = hs;
            classes = round(size).max(1);
            two_sessions_share = if school.level == Level::Thcs {
                rng.between(0.1, 0.7)
            } else if rng.chance(0.45 + 0.55 * q) {
                1.0
            } else {
                rng.between(0.8, 1.0)
            };
            teachers_per_class = if school.level == Level::TieuHoc {
                rng.between(1.4, 1.6)
            } else {
                rng.between(1.6, 2.0)
            };
        }
        Level::Thpt => {
            pupils = if public {
                rng.int(800, 2000)
            } else {
                rng.int(200, 900)
            };
            classes = round(pupils as f64 / rng.between(38.0, 45.0)).max(1);
            two_sessions_share = rng.between(0.05, 0.4);
            teachers_per_class = rng.between(2.1, 2.3);
        }
    }

    let teachers = round(classes as f64 * teachers_per_class).max(1);
    let qualified = if rng.chance(0.4 + 0.55 * q) {
        teachers
    } else {
        round(teachers as f64 * rate(rng, q, 0.70, 1.0)).min(teachers)
    };
    let above = round(qualified as f64 * rng.between(0.1, 0.6));
    let rooms = round(classes as f64 * rng.between(0.9, 1.1)).max(1);
    let solid = if rng.chance(0.4 + 0.55 * q) {
        rooms
    } else {
        round(rooms as f64 * rate(rng, q, 0.65, 1.0)).min(rooms)
    };
    let level_qg = {
        let (p2, p1) = if public {
            (0.08 + 0.15 * q, 0.40)
        } else {
            (0.03, 0.12)
        };
        let r = rng.unit();
        if r < p2 {
            2
        } else if r < p2 + p1 {
            1
        } else {
            0
        }
    };
    let child = school.level == Level::MamNon;
    push(
        "HOC_SINH",
        "Tổng số học sinh (trẻ)",
        pupils,
        if child { "trẻ" } else { "học sinh" },
    );
    push("SO_LOP", "Số lớp (nhóm lớp)", classes, "lớp");
    push(
        "HS_2_BUOI",
        "Số học sinh học 2 buổi/ngày",
        round(pupils as f64 * two_sessions_share).min(pupils),
        if child { "trẻ" } else { "học sinh" },
    );
    push("GIAO_VIEN", "Số giáo viên", teachers, "người");
    push(
        "GV_DAT_CHUAN",
        "Số giáo viên đạt chuẩn trình độ đào tạo",
        qualified,
        "người",
    );
    push(
        "GV_TREN_CHUAN",
        "Số giáo viên trên chuẩn trình độ đào tạo",
        above,
        "người",
    );
    push("PHONG_HOC", "Số phòng học", rooms, "phòng");
    push("PHONG_KIEN_CO", "Số phòng học kiên cố", solid, "phòng");
    push(
        "MUC_CHUAN_QG",
        "Mức đạt chuẩn quốc gia (0, 1, 2)",
        level_qg,
        "mức",
    );

    // A few figures typed as text, the way offices do: "1.231".
    for row in rows.iter_mut() {
        if let Value::Number(v) = row.value {
            if rng.chance(0.015) {
                row.value = Value::Text(vn_thousands(v));
            }
        }
    }
    rows
}

fn number_of(rows: &[Row], code: &str) -> Option<u64> {
    rows.iter()
        .find(|r| r.code == code)
        .and_then(|r| match &r.value {
            Value::Number(v) => Some(*v),
            Value::Text(t) => t.replace('.', "").parse().ok(),
        })
}

fn set(rows: &mut [Row], code: &str, value: Value) {
    if let Some(r) = rows.iter_mut().find(|r| r.code == code) {
        r.value = value;
    }
}

/// Breaks a consistency rule: enrolled > population of the age for Mầm non and Tiểu học
/// (and Liên cấp), qualified teachers > teachers otherwise.
fn make_inconsistent(rows: &mut [Row], level: Level, rng: &mut Rng) {
    let (enrolled, population) = match level {
        Level::MamNon => ("TRE_5_TUOI", "DS_5_TUOI"),
        Level::TieuHoc | Level::LienCap => ("HS_LOP1_6_TUOI", "DS_6_TUOI"),
        Level::Thcs | Level::Thpt => ("GIAO_VIEN", "GV_DAT_CHUAN"),
    };
    let e = number_of(rows, enrolled).unwrap_or(0);
    if population == "GV_DAT_CHUAN" {
        set(rows, population, Value::Number(e + rng.int(1, 5)));
    } else {
        set(rows, enrolled, Value::Number(e.max(6)));
        set(rows, population, Value::Number(e.max(6) - rng.int(1, 5)));
    }
}

// ---------------------------------------------------------------------------------------------
// Writing.

struct Period {
    year: u16,
    month: u8,
}

impl Period {
    fn parse(s: &str) -> Result<Period> {
        let (y, m) = s
            .split_once('-')
            .with_context(|| format!("--period: «{s}» is not YYYY-MM"))?;
        let period = Period {
            year: y.parse().context("--period: year")?,
            month: m.parse().context("--period: month")?,
        };
        if !(1..=12).contains(&period.month) {
            bail!("--period: month {} out of range", period.month);
        }
        Ok(period)
    }

    fn label(&self) -> String {
        format!("{:02}/{}", self.month, self.year)
    }

    fn next(&self) -> (u16, u8) {
        if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        }
    }
}

struct Formats {
    header: Format,
    banner: Format,
}

fn workbook_bytes(
    school: &School,
    code_in_file: &str,
    ward: &Ward,
    period: &Period,
    rows: &[Row],
    rng: &mut Rng,
    formats: &Formats,
) -> Result<Vec<u8>> {
    let (ny, nm) = period.next();
    let day = if rng.chance(0.9) {
        rng.int(1, 3)
    } else {
        rng.int(4, 9)
    };
    let mut wb = Workbook::new();
    let stamp = ExcelDateTime::from_ymd(ny, nm, day as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_author("baocao bench")
            .set_creation_datetime(&stamp),
    );

    let info = wb.add_worksheet();
    info.set_name("Thông tin")?;
    info.set_column_width(0, 16)?;
    info.set_column_width(1, 44)?;
    info.write_string_with_format(0, 0, "Trường", &formats.header)?;
    info.write_string_with_format(0, 1, "Giá trị", &formats.header)?;
    let preparer = format!(
        "{} {} {}",
        rng.pick(SURNAMES),
        rng.pick(MIDDLE_NAMES),
        rng.pick(GIVEN_NAMES)
    );
    let fields = [
        ("Mã trường", code_in_file.to_string()),
        ("Tên trường", school.name.clone()),
        ("Cấp học", school.level.name().to_string()),
        (
            "Loại hình",
            if school.public {
                "Công lập"
            } else {
                "Ngoài công lập"
            }
            .to_string(),
        ),
        ("Xã/phường", ward.name.clone()),
        ("Kỳ báo cáo", period.label()),
        ("Người lập", preparer),
        ("Ngày lập", format!("{day:02}/{nm:02}/{ny}")),
    ];
    for (i, (field, value)) in fields.iter().enumerate() {
        info.write_string(i as u32 + 1, 0, *field)?;
        info.write_string(i as u32 + 1, 1, value)?;
    }

    let data = wb.add_worksheet();
    data.set_name("Số liệu")?;
    data.set_column_width(0, 16)?;
    data.set_column_width(1, 46)?;
    data.set_column_width(2, 10)?;
    data.set_column_width(3, 12)?;
    let mut r = 0u32;
    if rng.chance(0.7) {
        data.write_string_with_format(
            0,
            0,
            format!("SỐ LIỆU THỐNG KÊ TRƯỜNG HỌC THÁNG {}", period.label()),
            &formats.banner,
        )?;
        r = 2;
    }
    for (c, h) in ["Mã", "Chỉ tiêu", "Giá trị", "Đơn vị tính"]
        .iter()
        .enumerate()
    {
        data.write_string_with_format(r, c as u16, *h, &formats.header)?;
    }
    for row in rows {
        r += 1;
        data.write_string(r, 0, row.code)?;
        data.write_string(r, 1, row.label)?;
        match &row.value {
            Value::Number(v) => data.write_number(r, 2, *v as f64)?,
            Value::Text(t) => data.write_string(r, 2, t)?,
        };
        data.write_string(r, 3, row.unit)?;
    }
    Ok(wb.save_to_buffer()?)
}

fn write_school(
    school: &School,
    wards: &[Ward],
    period: &Period,
    seed: u64,
    truong: &Path,
) -> Result<Option<(PathBuf, Bad)>> {
    let ward = &wards[school.ward];
    let mut rng = Rng::new(seed, STREAM_FIGURES, school.index);
    let mut rows = figures(school, ward.quality, &mut rng);
    let mut code = school.code.clone();
    let bad = match school.fate {
        Fate::Missing => return Ok(None),
        Fate::Submits => None,
        Fate::Bad(b) => Some(b),
    };
    match bad {
        Some(Bad::Inconsistent) => make_inconsistent(&mut rows, school.level, &mut rng),
        Some(Bad::TextFigure) => set(&mut rows, "GIAO_VIEN", Value::Text("abc".into())),
        Some(Bad::UnknownCode) => {
            code = format!("HP-{}-9{:05}", school.level.abbr(), school.index + 1)
        }
        _ => {}
    }
    let formats = Formats {
        header: Format::new().set_bold(),
        banner: Format::new().set_bold().set_font_size(13),
    };
    let mut bytes = workbook_bytes(school, &code, ward, period, &rows, &mut rng, &formats)?;
    if bad == Some(Bad::Truncated) {
        bytes.truncate(bytes.len() / 2);
    }
    let path = truong.join(&ward.slug).join(format!("{code}.xlsx"));
    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(bad.map(|b| (path, b)))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The sample monthly workbooks (Form A) of the repository's `input/`: every `.xlsx` there but
/// the plans (Form B, `Kế hoạch …`) and their progress reports (Form C, `Tiến độ …`).
fn copy_monthly(to: &Path) -> Result<usize> {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    let mut copied = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&from)
        .with_context(|| format!("cannot read {}", from.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry
            .file_name()
            .to_string_lossy()
            .nfc()
            .collect::<String>();
        if !name.ends_with(".xlsx") || name.starts_with("Kế hoạch") || name.starts_with("Tiến độ")
        {
            continue;
        }
        std::fs::copy(entry.path(), to.join(entry.file_name()))
            .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        copied += 1;
    }
    Ok(copied)
}

fn usage() -> ! {
    eprintln!(
        "usage: gen_schools N DIR [--seed S] [--period YYYY-MM] [--no-monthly]\n\
         writes DIR/input/truong/<ward>/<code>.xlsx, DIR/truong.csv, DIR/bad-files.csv"
    );
    std::process::exit(64)
}

fn main() -> Result<()> {
    let mut positional = Vec::new();
    let mut seed: u64 = 42;
    let mut period = "2025-11".to_string();
    let mut monthly = true;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seed" => seed = args.next().unwrap_or_else(|| usage()).parse()?,
            "--period" => period = args.next().unwrap_or_else(|| usage()),
            "--no-monthly" => monthly = false,
            "-h" | "--help" => usage(),
            s if s.starts_with("--") => usage(),
            _ => positional.push(a),
        }
    }
    let [n, dir] = positional.as_slice() else {
        usage()
    };
    let n: usize = n.parse().context("N must be a whole number")?;
    if n == 0 || n > 99_999 {
        bail!("N must be between 1 and 99999 (school codes have five digits)");
    }
    let dir = PathBuf::from(dir);
    let period = Period::parse(&period)?;
    let started = Instant::now();

    let wards = make_wards(n, seed);
    let schools = make_schools(n, seed, &wards);

    let input = dir.join("input");
    let truong = input.join("truong");
    if truong.exists() {
        std::fs::remove_dir_all(&truong)
            .with_context(|| format!("cannot clear {}", truong.display()))?;
    }
    for w in &wards {
        std::fs::create_dir_all(truong.join(&w.slug))
            .with_context(|| format!("cannot create {}", truong.display()))?;
    }

    // The registry: every school, submitters or not.
    let mut csv = String::from("Mã trường,Tên trường,Cấp học,Loại hình,Xã/phường\n");
    for s in &schools {
        let _ = writeln!(
            csv,
            "{},{},{},{},{}",
            csv_field(&s.code),
            csv_field(&s.name),
            s.level.name(),
            if s.public {
                "Công lập"
            } else {
                "Ngoài công lập"
            },
            csv_field(&wards[s.ward].name)
        );
    }
    std::fs::write(dir.join("truong.csv"), csv)?;

    let copied = if monthly { copy_monthly(&input)? } else { 0 };

    let results: Vec<Option<(PathBuf, Bad)>> = schools
        .par_iter()
        .map(|s| write_school(s, &wards, &period, seed, &truong))
        .collect::<Result<_>>()?;

    let mut bad_csv = String::from("Tệp,Mã trường,Lỗi\n");
    for (s, r) in schools.iter().zip(&results) {
        if let Some((path, bad)) = r {
            let rel = path.strip_prefix(&dir).unwrap_or(path);
            let _ = writeln!(
                bad_csv,
                "{},{},{}",
                csv_field(&rel.to_string_lossy()),
                s.code,
                bad.describe()
            );
        }
    }
    std::fs::write(dir.join("bad-files.csv"), bad_csv)?;

    // Summary.
    let missing = schools.iter().filter(|s| s.fate == Fate::Missing).count();
    let bad = results.iter().flatten().count();
    let files = n - missing;
    let mut summary = String::new();
    let _ = writeln!(
        summary,
        "schools {n} (registry), files {files}, non-submitters {missing}, bad files {bad}, \
         wards {}, monthly workbooks {copied}, seed {seed}, period {}",
        wards.len(),
        period.label()
    );
    for level in Level::ALL {
        let of: Vec<&School> = schools.iter().filter(|s| s.level == level).collect();
        let private = of.iter().filter(|s| !s.public).count();
        let _ = writeln!(
            summary,
            "  {:<9} {:>6} ({:>4.1}%), ngoài công lập {:>5}",
            level.name(),
            of.len(),
            100.0 * of.len() as f64 / n as f64,
            private
        );
    }
    for kind in [
        Bad::Inconsistent,
        Bad::TextFigure,
        Bad::Truncated,
        Bad::UnknownCode,
    ] {
        let count = results.iter().flatten().filter(|(_, b)| *b == kind).count();
        let _ = writeln!(summary, "  bad: {:<36} {count}", kind.describe());
    }
    std::fs::write(dir.join("gen-summary.txt"), &summary)?;
    print!("{summary}");
    println!(
        "written to {} in {:.1} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
