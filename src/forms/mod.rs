//! The blank forms baocao hands out (`baocao forms`), so that units fill a workbook the
//! reader is sure to read: Form A (a unit's monthly report, also the department's under
//! `SO`), Form B (a plan) and Form C (a lead unit's progress on a plan, pre-filled with its
//! tasks), and Form D (a school's statistics, blank or pre-filled from the registry). Each opens with a `Hướng dẫn` sheet, shades and unlocks only the cells to fill,
//! validates them, and carries a hidden marker of its kind and version ([`marker`]).
//!
//! Headers are the canonical ones of `validate::form_a`, `plan::form_b` and `plan::form_c`;
//! `tests/forms_roundtrip.rs` fills generated forms with another writer and reads them back.

pub mod form_a;
pub mod form_b;
pub mod form_c;
pub mod form_d;
pub mod guide;
pub mod guide_sheet;
pub mod info_sheet;
pub mod inputs;
pub mod lists;
pub mod marker;
pub mod style;
pub mod table_sheet;

use std::fmt;

use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::config::{Config, UnitDirectory};
use crate::vn::Period;
pub use guide::{Guide, GuideContext, BUILTIN_GUIDE};
pub use marker::{outdated_form_message, read_marker, FormVersion, Marker};

/// The version of the forms this build writes. Raise it when a form's layout changes, so
/// units still using the previous one are told ("biểu mẫu cũ").
pub const FORM_VERSION: &str = "2026.1";

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormLetter {
    /// A unit's monthly report (`Báo cáo tháng`).
    A,
    /// An assignment plan (`Kế hoạch phân công nhiệm vụ`).
    B,
    /// A unit's progress on a plan (`Tiến độ nhiệm vụ`).
    C,
    /// A school's statistics (`Thống kê trường học`).
    D,
}

impl FormLetter {
    /// Parses the letter of a marker.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "A" | "a" => Some(Self::A),
            "B" | "b" => Some(Self::B),
            "C" | "c" => Some(Self::C),
            "D" | "d" => Some(Self::D),
            _ => None,
        }
    }

    /// The section of the guide's template file.
    pub fn section(self) -> &'static str {
        match self {
            Self::A => "bieu_a",
            Self::B => "bieu_b",
            Self::C => "bieu_c",
            Self::D => "bieu_d",
        }
    }
}

impl fmt::Display for FormLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
        })
    }
}

/// Who a form is for: a configured unit, the department (`SO`), or a plan's lead unit that
/// no configuration knows (code empty, name as the plan writes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub code: String,
    pub name: String,
    pub department: bool,
}

/// What every form of one command shares.
pub struct FormSetup<'a> {
    pub config: &'a Config,
    pub directory: &'a UnitDirectory,
    pub guide: &'a Guide,
    pub period: Period,
}

impl FormSetup<'_> {
    /// The day units must send the period's report by, if the configuration sets one.
    pub fn deadline(&self) -> Option<NaiveDate> {
        let day = self.config.organisation.submission_deadline_day;
        (day > 0)
            .then(|| {
                let next = self.period.next();
                NaiveDate::from_ymd_opt(next.year, next.month, day)
            })
            .flatten()
    }

    /// The sheet protection password (empty: protected without one).
    pub fn password(&self) -> &str {
        &self.config.forms.password
    }

    /// The guide's variables for a form addressed to `who` (`None` for Form B).
    pub fn context(&self, who: Option<&Addressee>) -> GuideContext {
        GuideContext {
            don_vi: who.map(|w| w.name.clone()).unwrap_or_default(),
            ma_don_vi: who.map(|w| w.code.clone()).unwrap_or_default(),
            ky: format!("{}/{}", self.period.month, self.period.year),
            ky_chu: self.period.in_text(),
            ky_sau: self.period.next().in_text(),
            han_nop: self
                .deadline()
                .map(crate::vn::date::format_date)
                .unwrap_or_default(),
            gui_den: self.config.forms.send_to.trim().to_string(),
            co_quan: self.config.organisation.short_name.clone(),
            dia_phuong: self.config.organisation.locality.clone(),
            dia_danh: self.config.organisation.place.clone(),
            he_thong: self.config.organisation.document_system.clone(),
            phien_ban: FORM_VERSION.to_string(),
            la_so: who.is_some_and(|w| w.department),
            ke_hoach: String::new(),
            so_nhiem_vu: 0,
            trang_thai: crate::plan::TaskStatus::ALL
                .map(crate::plan::TaskStatus::label)
                .join(", "),
        }
    }
}

/// Document properties of a form; the date comes from the period, not the clock, so the
/// same command gives the same bytes.
pub(crate) fn properties(
    workbook: &mut Workbook,
    letter: FormLetter,
    title: &str,
    period: Period,
) -> Result<(), XlsxError> {
    let stamp = ExcelDateTime::from_ymd(period.year as u16, period.month as u8, 1)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("baocao")
            .set_comment(format!("Biểu mẫu {letter}, phiên bản {FORM_VERSION}"))
            .set_creation_datetime(&stamp),
    );
    Ok(())
}
