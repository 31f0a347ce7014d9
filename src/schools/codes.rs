//! The codes of Form D: what each counts, which levels must report it, and the rules that
//! keep a school's figures consistent (FORMS.md, Form D in docs/forms.md).

use std::collections::HashMap;

use super::model::Level;

/// A standard code of Form D.
#[derive(Debug, Clone, Copy)]
pub struct CodeSpec {
    pub code: &'static str,
    pub label: &'static str,
    /// The unit of measure printed in the form (`trẻ`, `học sinh`).
    pub measure: &'static str,
    /// Which levels must report it.
    pub levels: &'static [Level],
}

const PRESCHOOL: &[Level] = &[Level::Preschool];
const PRIMARY: &[Level] = &[Level::Primary, Level::MultiLevel];
const LOWER_SECONDARY: &[Level] = &[Level::LowerSecondary, Level::MultiLevel];
const EVERY: &[Level] = &Level::ALL;

/// Every standard code, in form order.
pub const STANDARD_CODES: &[CodeSpec] = &[
    spec("TRE_NHA_TRE", "Trẻ nhà trẻ ra lớp", "trẻ", PRESCHOOL),
    spec(
        "DS_NHA_TRE",
        "Dân số độ tuổi nhà trẻ (0–2 tuổi)",
        "trẻ",
        PRESCHOOL,
    ),
    spec("TRE_MAU_GIAO", "Trẻ mẫu giáo ra lớp", "trẻ", PRESCHOOL),
    spec(
        "DS_MAU_GIAO",
        "Dân số độ tuổi mẫu giáo (3–5 tuổi)",
        "trẻ",
        PRESCHOOL,
    ),
    spec("TRE_5_TUOI", "Trẻ 5 tuổi ra lớp", "trẻ", PRESCHOOL),
    spec("DS_5_TUOI", "Dân số trẻ 5 tuổi", "trẻ", PRESCHOOL),
    spec("TRE_CAN_DO", "Trẻ được cân, đo", "trẻ", PRESCHOOL),
    spec(
        "TRE_SDD",
        "Trẻ suy dinh dưỡng thể nhẹ cân",
        "trẻ",
        PRESCHOOL,
    ),
    spec("TRE_THUA_CAN", "Trẻ thừa cân, béo phì", "trẻ", PRESCHOOL),
    spec("HS_LOP1_6_TUOI", "Trẻ 6 tuổi vào lớp 1", "trẻ", PRIMARY),
    spec("DS_6_TUOI", "Dân số trẻ 6 tuổi", "trẻ", PRIMARY),
    spec(
        "HS_HT_TIEU_HOC",
        "Học sinh hoàn thành chương trình tiểu học",
        "học sinh",
        PRIMARY,
    ),
    spec("HS_LOP_5", "Học sinh lớp 5", "học sinh", PRIMARY),
    spec(
        "HS_TN_THCS",
        "Học sinh tốt nghiệp THCS",
        "học sinh",
        LOWER_SECONDARY,
    ),
    spec("HS_LOP_9", "Học sinh lớp 9", "học sinh", LOWER_SECONDARY),
    spec("HOC_SINH", "Học sinh (trẻ) đang học", "học sinh", EVERY),
    spec("SO_LOP", "Số lớp (nhóm, lớp)", "lớp", EVERY),
    spec("HS_2_BUOI", "Học sinh học 2 buổi/ngày", "học sinh", EVERY),
    spec("GIAO_VIEN", "Giáo viên", "người", EVERY),
    spec(
        "GV_DAT_CHUAN",
        "Giáo viên đạt chuẩn trình độ đào tạo trở lên",
        "người",
        EVERY,
    ),
    spec(
        "GV_TREN_CHUAN",
        "Giáo viên trên chuẩn trình độ đào tạo",
        "người",
        EVERY,
    ),
    spec("PHONG_HOC", "Phòng học", "phòng", EVERY),
    spec("PHONG_KIEN_CO", "Phòng học kiên cố", "phòng", EVERY),
    spec(
        "MUC_CHUAN_QG",
        "Mức đạt chuẩn quốc gia (0, 1 hoặc 2)",
        "mức",
        EVERY,
    ),
];

const fn spec(
    code: &'static str,
    label: &'static str,
    measure: &'static str,
    levels: &'static [Level],
) -> CodeSpec {
    CodeSpec {
        code,
        label,
        measure,
        levels,
    }
}

/// The school's national-standard level: only 0, 1 or 2.
pub const STANDARD_LEVEL_CODE: &str = "MUC_CHUAN_QG";
/// The highest national-standard level.
pub const MAX_STANDARD_LEVEL: u64 = 2;

/// A rule `part ≤ whole` between two codes; the text says why in the rejection message.
#[derive(Debug, Clone, Copy)]
pub struct AtMost {
    pub part: &'static str,
    pub whole: &'static str,
}

/// The consistency rules of Form D: breaking one rejects the school's workbook.
pub const CONSISTENCY: &[AtMost] = &[
    at_most("TRE_NHA_TRE", "DS_NHA_TRE"),
    at_most("TRE_MAU_GIAO", "DS_MAU_GIAO"),
    at_most("TRE_5_TUOI", "DS_5_TUOI"),
    at_most("TRE_5_TUOI", "TRE_MAU_GIAO"),
    at_most("HS_LOP1_6_TUOI", "DS_6_TUOI"),
    at_most("TRE_SDD", "TRE_CAN_DO"),
    at_most("TRE_THUA_CAN", "TRE_CAN_DO"),
    at_most("HS_2_BUOI", "HOC_SINH"),
    at_most("HS_HT_TIEU_HOC", "HS_LOP_5"),
    at_most("HS_TN_THCS", "HS_LOP_9"),
    at_most("GV_DAT_CHUAN", "GIAO_VIEN"),
    at_most("GV_TREN_CHUAN", "GV_DAT_CHUAN"),
    at_most("PHONG_KIEN_CO", "PHONG_HOC"),
];

const fn at_most(part: &'static str, whole: &'static str) -> AtMost {
    AtMost { part, whole }
}

/// The standard code's specification, if it is one.
pub fn standard(code: &str) -> Option<&'static CodeSpec> {
    STANDARD_CODES.iter().find(|s| s.code == code)
}

/// The codes a run keeps for each school, in a fixed order: the standard ones, then any
/// other code an indicator uses (an administrator may add one without a rebuild). Figures
/// are stored as a slice in this order, not as maps, to keep tens of thousands of schools
/// small.
#[derive(Debug, Clone)]
pub struct CodeBook {
    codes: Vec<String>,
    index: HashMap<String, usize>,
}

impl CodeBook {
    /// The standard codes plus `extra` (duplicates and standard ones ignored).
    pub fn new<'a>(extra: impl IntoIterator<Item = &'a str>) -> Self {
        let mut codes: Vec<String> = STANDARD_CODES.iter().map(|s| s.code.to_string()).collect();
        for code in extra {
            if !codes.iter().any(|c| c == code) {
                codes.push(code.to_string());
            }
        }
        let index = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        Self { codes, index }
    }

    /// Where a code's value is kept, if the run keeps it.
    pub fn index(&self, code: &str) -> Option<usize> {
        self.index.get(code).copied()
    }

    /// The standard code kept at `index`, if it is one: the standard codes come first, so
    /// a row's code is looked up once, not once more by name among the standard ones.
    pub fn standard(&self, index: usize) -> Option<&'static CodeSpec> {
        STANDARD_CODES.get(index)
    }

    /// The codes, in storage order.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    /// How many values each school keeps.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when no code is kept (never, in practice: the standard codes always are).
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_names_standard_codes_and_every_level_has_codes() {
        for rule in CONSISTENCY {
            assert!(standard(rule.part).is_some(), "{}", rule.part);
            assert!(standard(rule.whole).is_some(), "{}", rule.whole);
        }
        for level in Level::ALL {
            assert!(STANDARD_CODES.iter().any(|s| s.levels.contains(&level)));
        }
        let book = CodeBook::new(["HS_KHUYET_TAT", "GIAO_VIEN", "HS_KHUYET_TAT"]);
        assert_eq!(book.len(), STANDARD_CODES.len() + 1);
        assert_eq!(book.index("HS_KHUYET_TAT"), Some(STANDARD_CODES.len()));
        assert_eq!(book.index("GIAO_VIEN"), standard("GIAO_VIEN").and(Some(18)));
    }

    #[test]
    fn a_code_found_by_its_place_is_the_standard_code_of_that_name() {
        let book = CodeBook::new(["HS_KHUYET_TAT", "DS_NHA_TRE"]);
        for code in book.codes() {
            let index = book.index(code).expect("kept");
            assert_eq!(
                book.standard(index).map(|s| s.code),
                standard(code).map(|s| s.code),
                "{code}"
            );
        }
        assert!(book.standard(book.len()).is_none());
    }
}
