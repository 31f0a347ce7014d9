//! What a school is (level, type, ward) and what it reported, in the compact form kept for
//! aggregation: tens of thousands of these must fit in a few megabytes.

use serde::Serialize;

use crate::text::fold_key;

/// Cấp học, as the registry and Form D name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    Preschool,
    Primary,
    LowerSecondary,
    UpperSecondary,
    /// Liên cấp: a school spanning levels (usually primary and lower secondary).
    MultiLevel,
}

impl Level {
    /// Every level, in the order reports list them.
    pub const ALL: [Level; 5] = [
        Level::Preschool,
        Level::Primary,
        Level::LowerSecondary,
        Level::UpperSecondary,
        Level::MultiLevel,
    ];

    /// The name printed in documents.
    pub fn label(self) -> &'static str {
        match self {
            Level::Preschool => "Mầm non",
            Level::Primary => "Tiểu học",
            Level::LowerSecondary => "THCS",
            Level::UpperSecondary => "THPT",
            Level::MultiLevel => "Liên cấp",
        }
    }

    /// Reads a level as people type it: `Mầm non`, `MN`, `mam non`, `Trung học cơ sở`, `THCS`.
    pub fn parse(text: &str) -> Option<Level> {
        match fold_key(text).as_str() {
            "mamnon" | "mn" | "giaoducmamnon" => Some(Level::Preschool),
            "tieuhoc" | "th" => Some(Level::Primary),
            "thcs" | "trunghoccoso" => Some(Level::LowerSecondary),
            "thpt" | "trunghocphothong" => Some(Level::UpperSecondary),
            "liencap" | "nhieucaphoc" | "phothongnhieucaphoc" => Some(Level::MultiLevel),
            _ => None,
        }
    }
}

/// Loại hình: public or private, for indicators whose targets differ by type (seed 003).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Ownership {
    Public,
    Private,
}

impl Ownership {
    /// Both types, in report order.
    pub const ALL: [Ownership; 2] = [Ownership::Public, Ownership::Private];

    /// The name printed in documents.
    pub fn label(self) -> &'static str {
        match self {
            Ownership::Public => "Công lập",
            Ownership::Private => "Ngoài công lập",
        }
    }

    /// Reads a type as people type it: `Công lập`, `CL`, `Ngoài công lập`, `tư thục`, `NCL`.
    pub fn parse(text: &str) -> Option<Ownership> {
        match fold_key(text).as_str() {
            "conglap" | "cl" => Some(Ownership::Public),
            "ngoaiconglap" | "ncl" | "tuthuc" | "danlap" => Some(Ownership::Private),
            _ => None,
        }
    }
}

/// A school as the registry (or, without one, its own `Thông tin`) describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchoolInfo {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub ownership: Ownership,
    pub ward: String,
}

/// One accepted school report: who, and its figures in the run's code order (see
/// [`super::codes::CodeBook`]); `None` for a code the school did not report.
#[derive(Debug, Clone)]
pub struct SchoolReport {
    pub school: SchoolInfo,
    /// The file it came from, as messages name it.
    pub file: String,
    pub prepared_on: Option<chrono::NaiveDate>,
    pub values: Box<[Option<u64>]>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_types_read_the_ways_people_write_them() {
        for (text, level) in [
            ("Mầm non", Level::Preschool),
            ("MAM NON", Level::Preschool),
            ("Tiểu học", Level::Primary),
            ("Trung học cơ sở", Level::LowerSecondary),
            ("THPT", Level::UpperSecondary),
            ("Liên cấp", Level::MultiLevel),
        ] {
            assert_eq!(Level::parse(text), Some(level), "{text}");
            assert_eq!(Level::parse(level.label()), Some(level));
        }
        assert_eq!(Level::parse("Đại học"), None);
        assert_eq!(Ownership::parse("Ngoài công lập"), Some(Ownership::Private));
        assert_eq!(Ownership::parse("cong lap"), Some(Ownership::Public));
        assert_eq!(Ownership::parse("Tư thục"), Some(Ownership::Private));
        assert_eq!(Ownership::parse("bán công"), None);
    }
}
