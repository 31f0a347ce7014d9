//! Form D workbooks (a school's statistics, docs/forms.md) written the way a school's Excel
//! would hold them, with plausible figures drawn deterministically from the school's code.
//!
//! Self-contained (rust_xlsxwriter only, never the baocao library), so the workbooks are an
//! independent check of the reader. Included with `#[path]` by
//! `examples/make_sample_schools.rs` and by the tests.
#![allow(dead_code)]

use std::path::Path;

use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, Workbook};

/// A value as typed in the `Giá trị` column.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed {
    Number(u64),
    /// Text, as people type numbers (`1.231`) or mistakes (`abc`).
    Text(String),
}

/// One school's Form D.
#[derive(Debug, Clone)]
pub struct SchoolSample {
    pub code: String,
    pub name: String,
    pub level: String,
    pub ownership: String,
    pub ward: String,
    /// `11/2025`.
    pub period: String,
    pub prepared_on: String,
    pub values: Vec<(String, Typed)>,
}

impl SchoolSample {
    /// A school with plausible figures for its level, drawn from its code.
    pub fn new(code: &str, name: &str, level: &str, ownership: &str, ward: &str) -> Self {
        let values = plausible_values(code, level, ownership)
            .into_iter()
            .map(|(c, v)| (c.to_string(), Typed::Number(v)))
            .collect();
        Self {
            code: code.into(),
            name: name.into(),
            level: level.into(),
            ownership: ownership.into(),
            ward: ward.into(),
            period: "11/2025".into(),
            prepared_on: "02/12/2025".into(),
            values,
        }
    }

    /// The value of a code, when it was written as a number.
    pub fn value(&self, code: &str) -> Option<u64> {
        self.values.iter().find_map(|(c, v)| match v {
            Typed::Number(n) if c == code => Some(*n),
            _ => None,
        })
    }

    /// Replaces (or adds) a code's value.
    pub fn set(&mut self, code: &str, value: Typed) {
        match self.values.iter_mut().find(|(c, _)| c == code) {
            Some(entry) => entry.1 = value,
            None => self.values.push((code.to_string(), value)),
        }
    }
}

/// Labels of the codes, as the form prints them.
pub fn label(code: &str) -> &'static str {
    match code {
        "TRE_NHA_TRE" => "Trẻ nhà trẻ ra lớp",
        "DS_NHA_TRE" => "Dân số độ tuổi nhà trẻ",
        "TRE_MAU_GIAO" => "Trẻ mẫu giáo ra lớp",
        "DS_MAU_GIAO" => "Dân số độ tuổi mẫu giáo",
        "TRE_5_TUOI" => "Trẻ 5 tuổi ra lớp",
        "DS_5_TUOI" => "Dân số trẻ 5 tuổi",
        "TRE_CAN_DO" => "Trẻ được cân, đo",
        "TRE_SDD" => "Trẻ suy dinh dưỡng thể nhẹ cân",
        "TRE_THUA_CAN" => "Trẻ thừa cân, béo phì",
        "HS_LOP1_6_TUOI" => "Trẻ 6 tuổi vào lớp 1",
        "DS_6_TUOI" => "Dân số trẻ 6 tuổi",
        "HS_HT_TIEU_HOC" => "Học sinh hoàn thành chương trình tiểu học",
        "HS_LOP_5" => "Học sinh lớp 5",
        "HS_TN_THCS" => "Học sinh tốt nghiệp THCS",
        "HS_LOP_9" => "Học sinh lớp 9",
        "HOC_SINH" => "Học sinh (trẻ) đang học",
        "SO_LOP" => "Số lớp",
        "HS_2_BUOI" => "Học sinh học 2 buổi/ngày",
        "GIAO_VIEN" => "Giáo viên",
        "GV_DAT_CHUAN" => "Giáo viên đạt chuẩn",
        "GV_TREN_CHUAN" => "Giáo viên trên chuẩn",
        "PHONG_HOC" => "Phòng học",
        "PHONG_KIEN_CO" => "Phòng học kiên cố",
        "MUC_CHUAN_QG" => "Mức đạt chuẩn quốc gia",
        _ => "",
    }
}

/// A small deterministic generator (xorshift), seeded from the code.
struct Draw(u64);

impl Draw {
    fn new(code: &str) -> Self {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for b in code.bytes() {
            seed = (seed ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
        }
        Draw(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A whole number in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    /// `whole × per_mille / 1000` with per_mille drawn in `lo..=hi`.
    fn share(&mut self, whole: u64, lo: u64, hi: u64) -> u64 {
        whole * self.between(lo, hi) / 1000
    }
}

/// Plausible, consistent figures for a school of `level` (`Mầm non`, `Tiểu học`, `THCS`,
/// `THPT`, `Liên cấp`): most schools near the targets, some below.
pub fn plausible_values(code: &str, level: &str, ownership: &str) -> Vec<(&'static str, u64)> {
    let mut d = Draw::new(code);
    let private = ownership != "Công lập";
    let mut v: Vec<(&'static str, u64)> = Vec::new();
    let pupils = match level {
        "Mầm non" => {
            let ds_nha_tre = d.between(120, 260);
            let nha_tre = d.share(ds_nha_tre, 350, 650);
            let ds_mau_giao = d.between(200, 420);
            let mau_giao = d.share(ds_mau_giao, 975, 1000);
            let ds_5 = ds_mau_giao / 3;
            let five = d.share(ds_5, 995, 1000).min(mau_giao);
            let weighed = nha_tre + mau_giao;
            v.extend([
                ("TRE_NHA_TRE", nha_tre),
                ("DS_NHA_TRE", ds_nha_tre),
                ("TRE_MAU_GIAO", mau_giao),
                ("DS_MAU_GIAO", ds_mau_giao),
                ("TRE_5_TUOI", five),
                ("DS_5_TUOI", ds_5),
                ("TRE_CAN_DO", weighed),
                ("TRE_SDD", d.share(weighed, 0, 30)),
                ("TRE_THUA_CAN", d.share(weighed, 0, 28)),
            ]);
            weighed
        }
        _ => {
            let mut pupils = 0;
            if level == "Tiểu học" || level == "Liên cấp" {
                let ds_6 = d.between(70, 160);
                let primary = d.between(450, 1000);
                let grade_5 = primary / 5;
                v.extend([
                    ("HS_LOP1_6_TUOI", d.share(ds_6, 985, 1000)),
                    ("DS_6_TUOI", ds_6),
                    ("HS_HT_TIEU_HOC", d.share(grade_5, 990, 1000)),
                    ("HS_LOP_5", grade_5),
                ]);
                pupils += primary;
            }
            if level == "THCS" || level == "Liên cấp" {
                let lower = d.between(400, 900);
                let grade_9 = lower / 4;
                v.extend([
                    ("HS_TN_THCS", d.share(grade_9, 985, 1000)),
                    ("HS_LOP_9", grade_9),
                ]);
                pupils += lower;
            }
            if level == "THPT" {
                pupils += d.between(900, 1600);
            }
            pupils
        }
    };
    let per_class = if level == "Mầm non" { 25 } else { 38 };
    let classes = pupils.div_ceil(per_class);
    let two_sessions = match level {
        "Mầm non" | "Tiểu học" => d.share(pupils, 960, 1000),
        _ => d.share(pupils, 400, 900),
    };
    let teachers = classes * if level == "Mầm non" { 2 } else { 3 } / 2 + 1;
    let qualified = if private {
        d.share(teachers, 650, 900)
    } else {
        d.share(teachers, 950, 1000)
    };
    let rooms = classes + d.between(0, 3);
    v.extend([
        ("HOC_SINH", pupils),
        ("SO_LOP", classes),
        ("HS_2_BUOI", two_sessions),
        ("GIAO_VIEN", teachers),
        ("GV_DAT_CHUAN", qualified),
        ("GV_TREN_CHUAN", d.share(qualified, 50, 300)),
        ("PHONG_HOC", rooms),
        ("PHONG_KIEN_CO", d.share(rooms, 880, 1000)),
        ("MUC_CHUAN_QG", [0, 1, 1, 2][d.between(0, 3) as usize]),
    ]);
    v
}

/// Writes the workbook: `Thông tin` (Trường | Giá trị) and `Số liệu` under a banner.
pub fn write_form_d(school: &SchoolSample, path: &Path) -> Result<()> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let info = book.add_worksheet().set_name("Thông tin")?;
    info.write_string_with_format(0, 0, "Trường", &bold)?;
    info.write_string_with_format(0, 1, "Giá trị", &bold)?;
    let fields = [
        ("Mã trường", school.code.as_str()),
        ("Tên trường", school.name.as_str()),
        ("Cấp học", school.level.as_str()),
        ("Loại hình", school.ownership.as_str()),
        ("Xã/phường", school.ward.as_str()),
        ("Kỳ báo cáo", school.period.as_str()),
        ("Người lập", "Nguyễn Thị Thu"),
        ("Ngày lập", school.prepared_on.as_str()),
    ];
    for (row, (field, value)) in fields.iter().enumerate() {
        if value.is_empty() {
            continue;
        }
        info.write_string(row as u32 + 1, 0, *field)?;
        info.write_string(row as u32 + 1, 1, *value)?;
    }
    info.set_column_width(0, 16)?;
    info.set_column_width(1, 40)?;
    let figures = book.add_worksheet().set_name("Số liệu")?;
    figures.write_string_with_format(
        0,
        0,
        format!("SỐ LIỆU THỐNG KÊ TRƯỜNG HỌC THÁNG {}", school.period),
        &bold,
    )?;
    for (col, title) in ["Mã", "Chỉ tiêu", "Giá trị", "Đơn vị tính"]
        .iter()
        .enumerate()
    {
        figures.write_string_with_format(2, col as u16, *title, &bold)?;
    }
    for (i, (code, value)) in school.values.iter().enumerate() {
        let row = 3 + i as u32;
        figures.write_string(row, 0, code)?;
        figures.write_string(row, 1, label(code))?;
        match value {
            Typed::Number(n) => figures.write_number(row, 2, *n as f64)?,
            Typed::Text(t) => figures.write_string(row, 2, t)?,
        };
    }
    figures.set_column_width(1, 44)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    book.save(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Reads a registry CSV as the sample writes it (no quoted commas).
pub fn registry_schools(csv: &str) -> Vec<SchoolSample> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            (f.len() >= 5).then(|| SchoolSample::new(f[0], f[1], f[2], f[3], f[4]))
        })
        .collect()
}
