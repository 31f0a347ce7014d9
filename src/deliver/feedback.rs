//! The "phiếu phản hồi": for each unit (and school), what the run received from it, whether
//! it was accepted, every message about its own files (`tệp › trang › ô`) with what to do,
//! and the deadline. Built only from the run's records and messages, so it stays right
//! whatever checks produce those messages. Written to `output/YYYY-MM/phan-hoi/` for every
//! unit, and sent to those with an e-mail address.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use crate::aggregate::submissions::received_on;
use crate::config::Config;
use crate::deliver::texts::{sender_name, DeliveryTexts};
use crate::model::Reporter;
use crate::schools::SchoolRegistry;
use crate::text::{escape_controls, fold_key};
use crate::validate::{Intake, Message, RecordStatus, Severity, SubmissionRecord};
use crate::vn::date::format_date;

/// The folder of the feedback files inside the period's folder.
pub const FEEDBACK_DIR: &str = "phan-hoi";

/// Who a feedback is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    /// A configured unit (phòng).
    Unit,
    /// A school of the registry, or one that sent statistics.
    School,
}

/// Where a unit stands for the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// A workbook was accepted into the report.
    Accepted,
    /// A workbook was accepted, its text used, its figures withheld for an error.
    FiguresWithheld,
    /// Workbooks arrived but none could be used.
    Rejected,
    /// Nothing for this period arrived.
    Missing,
}

/// One unit's feedback.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub addressee: Addressee,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub standing: Standing,
    pub errors: usize,
    pub warnings: usize,
    /// The e-mail's subject.
    pub subject: String,
    /// The feedback itself, plain UTF-8 text.
    pub text: String,
}

impl Feedback {
    /// The file's path inside the period's folder: `phan-hoi/GDTrH.txt`.
    pub fn file_name(&self) -> String {
        format!("{FEEDBACK_DIR}/{}.txt", self.stem())
    }

    /// The ledger topic of this feedback, one per unit and period.
    pub fn topic(&self) -> String {
        format!("{FEEDBACK_DIR}/{}", self.stem())
    }

    /// The unit's code made safe for a file name; a school's is prefixed with `truong-`, so
    /// it never meets a unit's.
    pub fn stem(&self) -> String {
        let prefix = match self.addressee {
            Addressee::Unit => "",
            Addressee::School => "truong-",
        };
        let safe: String = self
            .code
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("{prefix}{safe}")
    }

    /// True when the unit has something to do before the deadline: send, or fix.
    pub fn needs_attention(&self) -> bool {
        self.standing != Standing::Accepted || self.errors > 0 || self.warnings > 0
    }
}

/// The deadline of `period`'s reports, when one is configured.
pub fn deadline(config: &Config, intake: &Intake) -> Option<NaiveDate> {
    let day = config.organisation.submission_deadline_day;
    let next = intake.period.next();
    (day > 0)
        .then(|| NaiveDate::from_ymd_opt(next.year, next.month, day))
        .flatten()
}

/// The feedback of every configured unit, then of each school that has an e-mail address in
/// the registry or something to fix (a rejected workbook, an error, a warning): with thousands
/// of schools, a file for each one that is fine would bury the ones that matter.
pub fn build_feedback(
    intake: &Intake,
    config: &Config,
    registry: &SchoolRegistry,
    texts: &DeliveryTexts,
) -> Result<Vec<Feedback>> {
    let common = Common {
        config,
        texts,
        deadline: deadline(config, intake),
        period: intake.period.in_text(),
    };
    let index = Index::new(intake);
    let mut all = Vec::new();
    for (unit_index, unit) in config.units.iter().enumerate() {
        let records = index.by_unit.get(&unit_index).cloned().unwrap_or_default();
        let standing = if intake.withheld_units.contains(&unit_index) {
            Standing::FiguresWithheld
        } else if intake.unit(unit_index).is_some() {
            Standing::Accepted
        } else if records
            .iter()
            .any(|r| matches!(r.status, RecordStatus::Rejected | RecordStatus::NotRead))
        {
            Standing::Rejected
        } else {
            Standing::Missing
        };
        let received = |record: &SubmissionRecord| {
            record.prepared_on.or_else(|| {
                intake
                    .unit(unit_index)
                    .filter(|s| s.source.display == record.file)
                    .and_then(received_on)
            })
        };
        let subject = Subject {
            addressee: Addressee::Unit,
            code: &unit.code,
            name: &unit.name,
            email: unit.email.clone().filter(|e| !e.trim().is_empty()),
            standing,
        };
        all.push(compose(&common, &index, subject, &records, &received)?);
    }
    // Registry schools first, in its order, then schools that sent a file but are not in it.
    // Borrowed, not copied: a registry lists tens of thousands of schools, and most of them
    // need no feedback file.
    let mut schools: Vec<(Cow<'_, str>, Cow<'_, str>, Option<&str>)> = registry
        .schools_with_emails()
        .map(|(s, email)| {
            (
                Cow::from(s.code.as_str()),
                Cow::from(s.name.as_str()),
                email,
            )
        })
        .collect();
    let mut unlisted: HashSet<String> = HashSet::new();
    for record in &intake.records {
        if let Some(code) = &record.school {
            let key = fold_key(code);
            if registry.by_code(code).is_none() && unlisted.insert(key.clone()) {
                let name = index
                    .school_names
                    .get(&key)
                    .map_or_else(|| code.clone(), |n| n.to_string());
                schools.push((Cow::from(code.clone()), Cow::from(name), None));
            }
        }
    }
    let no_records = Vec::new();
    for (code, name, email) in schools {
        let key = fold_key(&code);
        let records = index.by_school.get(&key).unwrap_or(&no_records);
        let email = email.map(str::to_string);
        if email.is_none() && records.is_empty() {
            continue;
        }
        let standing = if index.school_names.contains_key(&key) {
            Standing::Accepted
        } else if records.iter().any(|r| r.status == RecordStatus::Rejected) {
            Standing::Rejected
        } else {
            Standing::Missing
        };
        // Decided before rendering: most of thousands of schools need no feedback file.
        let (errors, warnings) = index.problems(records);
        if email.is_none() && standing == Standing::Accepted && errors + warnings == 0 {
            continue;
        }
        let subject = Subject {
            addressee: Addressee::School,
            code: &code,
            name: &name,
            email,
            standing,
        };
        all.push(compose(&common, &index, subject, records, &|r| {
            r.prepared_on
        })?);
    }
    Ok(all)
}

/// The run's records and messages by whom and which file they concern, built once so the
/// feedback of tens of thousands of schools costs one pass.
struct Index<'a> {
    by_unit: HashMap<usize, Vec<&'a SubmissionRecord>>,
    by_school: HashMap<String, Vec<&'a SubmissionRecord>>,
    by_file: HashMap<&'a str, Vec<&'a Message>>,
    /// Folded codes of the schools whose report was accepted, with their names.
    school_names: HashMap<String, &'a str>,
}

impl<'a> Index<'a> {
    /// The messages about `records`' files, in file order.
    fn messages_of(&self, records: &[&SubmissionRecord]) -> Vec<&'a Message> {
        let files: BTreeSet<&str> = records.iter().map(|r| r.file.as_str()).collect();
        files
            .iter()
            .flat_map(|f| self.by_file.get(f).into_iter().flatten().copied())
            .collect()
    }

    /// The errors and warnings about `records`' files.
    /// Counted without collecting them: asked for every school of the registry.
    fn problems(&self, records: &[&SubmissionRecord]) -> (usize, usize) {
        let (mut errors, mut warnings) = (0, 0);
        for (n, record) in records.iter().enumerate() {
            // Each file once, as `messages_of` has them.
            if records[..n].iter().any(|r| r.file == record.file) {
                continue;
            }
            for message in self.by_file.get(record.file.as_str()).into_iter().flatten() {
                match message.severity {
                    Severity::Error => errors += 1,
                    Severity::Warning => warnings += 1,
                    Severity::Notice => {}
                }
            }
        }
        (errors, warnings)
    }

    fn new(intake: &'a Intake) -> Self {
        let mut by_unit: HashMap<usize, Vec<&SubmissionRecord>> = HashMap::new();
        let mut by_school: HashMap<String, Vec<&SubmissionRecord>> = HashMap::new();
        for record in &intake.records {
            if let Some(Reporter::Unit(i)) = record.reporter {
                by_unit.entry(i).or_default().push(record);
            }
            if let Some(code) = &record.school {
                by_school.entry(fold_key(code)).or_default().push(record);
            }
        }
        let mut by_file: HashMap<&str, Vec<&Message>> = HashMap::new();
        for message in &intake.messages {
            by_file
                .entry(message.location.file.as_str())
                .or_default()
                .push(message);
        }
        let school_names = intake
            .schools
            .iter()
            .map(|s| (fold_key(&s.school.code), s.school.name.as_str()))
            .collect();
        Self {
            by_unit,
            by_school,
            by_file,
            school_names,
        }
    }
}

/// The variables of the `phan_hoi` templates (`templates/gui-thu.toml` documents them).
#[derive(Serialize)]
struct FeedbackContext<'a> {
    co_quan_ban_hanh: &'a str,
    co_quan: String,
    ten_ngan: &'a str,
    ky: String,
    han_nop: String,
    ten: &'a str,
    ma: &'a str,
    la_truong: bool,
    tinh_trang: &'static str,
    so_loi: usize,
    so_canh_bao: usize,
    tep: Vec<FileContext>,
    van_de: Vec<IssueContext<'a>>,
    noi_nhan: &'a str,
}

/// A file received, for the feedback.
#[derive(Serialize)]
struct FileContext {
    ten: String,
    ngay: String,
    nguon: &'static str,
    /// None when no deadline is set or the date is unknown.
    dung_han: Option<bool>,
    trang_thai: String,
    so_loi: usize,
    so_canh_bao: usize,
}

/// A message about one of the unit's files.
#[derive(Serialize)]
struct IssueContext<'a> {
    muc: &'static str,
    muc_do: &'static str,
    vi_tri: String,
    noi_dung: &'a str,
    ma: &'static str,
}

/// Who the feedback is for and where they stand.
struct Subject<'a> {
    addressee: Addressee,
    code: &'a str,
    name: &'a str,
    email: Option<String>,
    standing: Standing,
}

fn compose(
    common: &Common,
    index: &Index,
    subject: Subject,
    records: &[&SubmissionRecord],
    received: &dyn Fn(&SubmissionRecord) -> Option<NaiveDate>,
) -> Result<Feedback> {
    let messages = index.messages_of(records);
    let count = |severity| messages.iter().filter(|m| m.severity == severity).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    // A school's code and name may come from its own workbook, and file names from outside:
    // each is one line of the phiếu, so control characters are escaped (messages already are).
    let (name, code) = (escape_controls(subject.name), escape_controls(subject.code));
    let state = match subject.standing {
        Standing::Missing => "chua_nop",
        Standing::Rejected => "bi_tu_choi",
        Standing::FiguresWithheld => "so_lieu_chua_tong_hop",
        Standing::Accepted if errors > 0 => "co_loi",
        Standing::Accepted if warnings > 0 => "co_canh_bao",
        Standing::Accepted => "tot",
    };
    let context = FeedbackContext {
        co_quan_ban_hanh: &common.config.organisation.issuing_body,
        co_quan: sender_name(common.config),
        ten_ngan: &common.config.organisation.short_name,
        ky: common.period.clone(),
        han_nop: common.deadline.map(format_date).unwrap_or_default(),
        ten: &name,
        ma: &code,
        la_truong: subject.addressee == Addressee::School,
        tinh_trang: state,
        so_loi: errors,
        so_canh_bao: warnings,
        tep: records
            .iter()
            .map(|record| {
                let day = received(record);
                FileContext {
                    ten: escape_controls(&record.file).into_owned(),
                    ngay: day.map(format_date).unwrap_or_default(),
                    nguon: if record.prepared_on.is_some() {
                        "Ngày lập"
                    } else {
                        "ngày nhận tệp"
                    },
                    dung_han: day.zip(common.deadline).map(|(d, deadline)| d <= deadline),
                    trang_thai: record.status.label(),
                    so_loi: record.errors,
                    so_canh_bao: record.warnings,
                }
            })
            .collect(),
        van_de: messages
            .iter()
            .map(|m| IssueContext {
                muc: m.severity.label(),
                muc_do: match m.severity {
                    Severity::Error => "loi",
                    Severity::Warning => "canh_bao",
                    Severity::Notice => "thong_bao",
                },
                vi_tri: m.location.to_string(),
                noi_dung: &m.text,
                ma: m.code,
            })
            .collect(),
        noi_nhan: common.config.forms.send_to.trim(),
    };
    Ok(Feedback {
        addressee: subject.addressee,
        code: subject.code.to_string(),
        name: subject.name.to_string(),
        email: subject.email,
        standing: subject.standing,
        errors,
        warnings,
        subject: common.texts.render("phan_hoi.tieu_de", &context)?,
        text: common.texts.render("phan_hoi.noi_dung", &context)?,
    })
}

/// What every feedback of the run shares.
struct Common<'a> {
    config: &'a Config,
    texts: &'a DeliveryTexts,
    deadline: Option<NaiveDate>,
    /// `tháng 11/2025`.
    period: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BUILTIN_CONFIG;
    use crate::validate::Location;
    use crate::vn::Period;

    fn record(file: &str, unit: usize, status: RecordStatus, errors: usize) -> SubmissionRecord {
        SubmissionRecord {
            file: file.into(),
            reporter: Some(Reporter::Unit(unit)),
            period: Period::new(2025, 11),
            prepared_on: NaiveDate::from_ymd_opt(2025, 12, 5),
            status,
            errors,
            warnings: 0,
            form: None,
            size: 1,
            sha256: String::new(),
            school: None,
        }
    }

    #[test]
    fn a_rejected_unit_is_told_its_file_and_cell_and_a_missing_one_to_send() {
        let mut config = Config::from_toml(BUILTIN_CONFIG).expect("config");
        config.units[1].email = Some("gdtrh@example.vn".into());
        let intake = Intake {
            period: Period::new(2025, 11).expect("period"),
            submissions: Vec::new(),
            records: vec![record("GDTrH.xlsx", 1, RecordStatus::Rejected, 1)],
            withheld_units: Vec::new(),
            messages: vec![
                Message::error(
                    "lech-tong",
                    Location::cell("GDTrH.xlsx", "Số liệu", "C7"),
                    "Tổng không khớp",
                ),
                Message::warning(
                    "khac",
                    Location::cell("KHTC.xlsx", "Số liệu", "C3"),
                    "Không phải của GDTrH",
                ),
            ],
            missing: (0..7).collect(),
            rejected_units: vec![1],
            other_forms: Vec::new(),
            word_documents: Vec::new(),
            schools: Vec::new(),
            rejected_schools: Default::default(),
        };
        let texts = DeliveryTexts::from_toml(crate::deliver::texts::BUILTIN_TEXTS).expect("texts");
        let all =
            build_feedback(&intake, &config, &SchoolRegistry::default(), &texts).expect("feedback");
        assert_eq!(all.len(), 7, "one per unit");
        let gdtrh = &all[1];
        assert_eq!(gdtrh.code, "GDTrH");
        assert_eq!(gdtrh.standing, Standing::Rejected);
        assert_eq!(gdtrh.email.as_deref(), Some("gdtrh@example.vn"));
        assert_eq!(gdtrh.file_name(), "phan-hoi/GDTrH.txt");
        assert!(gdtrh.needs_attention());
        let text = &gdtrh.text;
        assert!(
            text.contains("[Lỗi] GDTrH.xlsx › Số liệu › C7: Tổng không khớp"),
            "{text}"
        );
        assert!(text.contains("Cần làm: sửa đúng chỗ này"), "{text}");
        assert!(text.contains("Ngày lập 05/12/2025, nộp muộn"), "{text}");
        assert!(text.contains("Hạn nộp: 03/12/2025"), "{text}");
        assert!(text.contains("\n\n1. Tệp đã nhận\n- GDTrH.xlsx"), "{text}");
        assert!(
            text.contains("Kết quả: báo cáo bị từ chối do có 1 lỗi"),
            "{text}"
        );
        assert!(
            gdtrh
                .subject
                .starts_with("Phiếu phản hồi báo cáo tháng 11/2025 — Phòng Giáo dục trung học"),
            "{}",
            gdtrh.subject
        );
        assert!(!text.contains("KHTC.xlsx"), "only its own files: {text}");
        let vp = &all[6];
        assert_eq!(vp.standing, Standing::Missing);
        assert_eq!(vp.email, None);
        assert!(vp.text.contains("Chưa nhận được tệp nào"), "{}", vp.text);
        assert!(
            vp.text
                .contains("Gửi báo cáo tháng 11/2025 trước hết ngày 03/12/2025"),
            "{}",
            vp.text
        );
    }

    #[test]
    fn schools_get_feedback_only_with_an_address_or_something_to_fix() {
        let config = Config::from_toml(BUILTIN_CONFIG).expect("config");
        let registry = SchoolRegistry::from_csv(
            "Mã trường,Tên trường,Cấp học,Loại hình,Xã/phường,Email\n\
             A,Trường A,THCS,Công lập,P1,a@example.vn\n\
             B,Trường B,THCS,Công lập,P1,\n\
             C,Trường C,THCS,Công lập,P1,\n",
        )
        .expect("registry");
        let mut rejected = record("truong/C.xlsx", 0, RecordStatus::Rejected, 1);
        rejected.reporter = None;
        rejected.school = Some("c".into());
        let intake = Intake {
            period: Period::new(2025, 11).expect("period"),
            submissions: Vec::new(),
            records: vec![rejected],
            messages: vec![Message::error(
                "so-am",
                Location::cell("truong/C.xlsx", "Số liệu", "D9"),
                "Số âm",
            )],
            missing: (0..7).collect(),
            rejected_units: Vec::new(),
            withheld_units: Vec::new(),
            other_forms: Vec::new(),
            word_documents: Vec::new(),
            schools: Vec::new(),
            rejected_schools: Default::default(),
        };
        let texts = DeliveryTexts::from_toml(crate::deliver::texts::BUILTIN_TEXTS).expect("texts");
        let all = build_feedback(&intake, &config, &registry, &texts).expect("feedback");
        let schools: Vec<(&str, Standing)> = all
            .iter()
            .filter(|f| f.addressee == Addressee::School)
            .map(|f| (f.code.as_str(), f.standing))
            .collect();
        assert_eq!(
            schools,
            [("A", Standing::Missing), ("C", Standing::Rejected)],
            "B has no address and nothing to fix"
        );
        let c = all.iter().find(|f| f.code == "C").expect("C");
        assert!(c.text.contains("Trường: Trường C (C)"), "{}", c.text);
        assert!(
            c.text.contains("truong/C.xlsx › Số liệu › D9"),
            "{}",
            c.text
        );
        assert_eq!(c.file_name(), "phan-hoi/truong-C.txt");
    }
}
