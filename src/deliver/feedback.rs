//! The "phiếu phản hồi": for each unit (and school), what the run received from it, whether
//! it was accepted, every message about its own files (`tệp › trang › ô`) with what to do,
//! and the deadline. Built only from the run's records and messages, so it stays right
//! whatever checks produce those messages. Written to `output/YYYY-MM/phan-hoi/` for every
//! unit, and sent to those with an e-mail address.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write;

use chrono::NaiveDate;

use crate::aggregate::submissions::received_on;
use crate::config::Config;
use crate::model::Reporter;
use crate::schools::SchoolRegistry;
use crate::text::fold_key;
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
    /// The feedback itself, plain UTF-8 text.
    pub text: String,
}

impl Feedback {
    /// The file's path inside the period's folder: `phan-hoi/GDTrH.txt`.
    pub fn file_name(&self) -> String {
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
        format!("{FEEDBACK_DIR}/{safe}.txt")
    }

    /// The ledger topic of this feedback, one per unit and period.
    pub fn topic(&self) -> String {
        format!("{FEEDBACK_DIR}/{}", self.code)
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
) -> Vec<Feedback> {
    let deadline = deadline(config, intake);
    let index = Index::new(intake);
    let mut all = Vec::new();
    for (unit_index, unit) in config.units.iter().enumerate() {
        let records = index.by_unit.get(&unit_index).cloned().unwrap_or_default();
        let standing = if intake.unit(unit_index).is_some() {
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
        all.push(compose(
            intake,
            &index,
            config,
            deadline,
            Addressee::Unit,
            &unit.code,
            &unit.name,
            unit.email.clone().filter(|e| !e.trim().is_empty()),
            standing,
            &records,
            &received,
        ));
    }
    // Registry schools first, in its order, then schools that sent a file but are not in it.
    let mut schools: Vec<(String, String, Option<String>)> = registry
        .schools()
        .iter()
        .map(|s| {
            let email = registry.email_of(&s.code).map(str::to_string);
            (s.code.clone(), s.name.clone(), email)
        })
        .collect();
    let mut seen: HashSet<String> = schools.iter().map(|(c, ..)| fold_key(c)).collect();
    for record in &intake.records {
        if let Some(code) = &record.school {
            if seen.insert(fold_key(code)) {
                let name = index
                    .school_names
                    .get(&fold_key(code))
                    .map_or_else(|| code.clone(), |n| n.to_string());
                schools.push((code.clone(), name, None));
            }
        }
    }
    for (code, name, email) in schools {
        let key = fold_key(&code);
        let records = index.by_school.get(&key).cloned().unwrap_or_default();
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
        let feedback = compose(
            intake,
            &index,
            config,
            deadline,
            Addressee::School,
            &code,
            &name,
            email,
            standing,
            &records,
            &|r: &SubmissionRecord| r.prepared_on,
        );
        if feedback.email.is_some() || feedback.needs_attention() {
            all.push(feedback);
        }
    }
    all
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

#[allow(clippy::too_many_arguments)]
fn compose(
    intake: &Intake,
    index: &Index,
    config: &Config,
    deadline: Option<NaiveDate>,
    addressee: Addressee,
    code: &str,
    name: &str,
    email: Option<String>,
    standing: Standing,
    records: &[&SubmissionRecord],
    received: &dyn Fn(&SubmissionRecord) -> Option<NaiveDate>,
) -> Feedback {
    let files: BTreeSet<&str> = records.iter().map(|r| r.file.as_str()).collect();
    let messages: Vec<&Message> = files
        .iter()
        .flat_map(|f| index.by_file.get(f).into_iter().flatten().copied())
        .collect();
    let count = |severity| messages.iter().filter(|m| m.severity == severity).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let period = intake.period.in_text();
    let mut text = String::new();
    let _ = writeln!(text, "{}", config.organisation.issuing_body);
    let _ = writeln!(text, "PHIẾU PHẢN HỒI BÁO CÁO {}", period.to_uppercase());
    let _ = writeln!(text);
    let who = match addressee {
        Addressee::Unit => "Đơn vị",
        Addressee::School => "Trường",
    };
    let _ = writeln!(text, "{who}: {name} ({code})");
    match deadline {
        Some(day) => {
            let _ = writeln!(text, "Hạn nộp: {}", format_date(day));
        }
        None => {
            let _ = writeln!(text, "Hạn nộp: không quy định");
        }
    }
    let _ = writeln!(text, "Kết quả: {}", verdict(standing, errors, warnings));
    let _ = writeln!(text);
    let _ = writeln!(text, "1. Tệp đã nhận");
    if records.is_empty() {
        let _ = writeln!(text, "- Chưa nhận được tệp nào cho kỳ {period}.");
    }
    for record in records {
        let _ = writeln!(
            text,
            "- {}",
            record_line(record, received(record), deadline)
        );
    }
    let _ = writeln!(text);
    let _ = writeln!(text, "2. Các vấn đề trong tệp");
    if messages.is_empty() {
        let _ = writeln!(text, "- Không có lỗi hay cảnh báo.");
    }
    for message in &messages {
        let _ = writeln!(
            text,
            "- [{}] {}: {}",
            message.severity.label(),
            message.location,
            message.text
        );
        let _ = writeln!(text, "  Cần làm: {}", what_to_do(message.severity));
    }
    let _ = writeln!(text);
    let _ = writeln!(text, "3. Việc cần làm");
    let _ = writeln!(
        text,
        "{}",
        next_step(standing, errors, warnings, deadline, &period)
    );
    let send_to = config.forms.send_to.trim();
    if !send_to.is_empty() && (standing != Standing::Accepted || errors > 0) {
        let _ = writeln!(text, "Nơi nhận báo cáo: {send_to}.");
    }
    let _ = writeln!(text);
    let _ = writeln!(
        text,
        "Phiếu này do chương trình baocao lập tự động từ các tệp đã nhận; mỗi vấn đề ghi theo dạng «tệp › trang › ô»."
    );
    Feedback {
        addressee,
        code: code.to_string(),
        name: name.to_string(),
        email,
        standing,
        errors,
        warnings,
        text,
    }
}

fn verdict(standing: Standing, errors: usize, warnings: usize) -> String {
    match standing {
        Standing::Missing => "chưa nhận được báo cáo".to_string(),
        Standing::Rejected => {
            format!("báo cáo bị từ chối do có {errors} lỗi, chưa được đưa vào báo cáo tổng hợp")
        }
        Standing::Accepted if errors > 0 => format!(
            "đã đưa vào báo cáo tổng hợp, nhưng còn {errors} lỗi (phần có lỗi chưa được dùng)"
        ),
        Standing::Accepted if warnings > 0 => {
            format!("đã đưa vào báo cáo tổng hợp; có {warnings} cảnh báo cần xem lại")
        }
        Standing::Accepted => "đã đưa vào báo cáo tổng hợp, không có lỗi".to_string(),
    }
}

fn record_line(
    record: &SubmissionRecord,
    received: Option<NaiveDate>,
    deadline: Option<NaiveDate>,
) -> String {
    let mut line = record.file.clone();
    match received {
        Some(day) => {
            let source = if record.prepared_on.is_some() {
                "Ngày lập"
            } else {
                "ngày nhận tệp"
            };
            line.push_str(&format!(": {source} {}", format_date(day)));
            if let Some(deadline) = deadline {
                line.push_str(if day > deadline {
                    ", nộp muộn"
                } else {
                    ", đúng hạn"
                });
            }
        }
        None => line.push_str(": không ghi Ngày lập"),
    }
    line.push_str(&format!(" — {}", record.status.label()));
    if record.errors + record.warnings > 0 {
        line.push_str(&format!(
            " ({} lỗi, {} cảnh báo)",
            record.errors, record.warnings
        ));
    }
    line
}

fn what_to_do(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => {
            "sửa đúng chỗ này trong bảng tính rồi gửi lại cả tệp; chỗ có lỗi chưa được đưa vào báo cáo tổng hợp."
        }
        Severity::Warning => {
            "kiểm tra lại; nếu số liệu đúng thì không cần gửi lại, nếu sai thì sửa và gửi lại cả tệp."
        }
        Severity::Notice => "để biết, không cần làm gì.",
    }
}

fn next_step(
    standing: Standing,
    errors: usize,
    warnings: usize,
    deadline: Option<NaiveDate>,
    period: &str,
) -> String {
    let before = deadline
        .map(|d| format!(" trước hết ngày {}", format_date(d)))
        .unwrap_or_default();
    match standing {
        Standing::Missing => format!("Gửi báo cáo {period}{before}."),
        Standing::Rejected => format!(
            "Sửa các lỗi ở mục 2 và gửi lại báo cáo{before}; đến khi nhận được bản hợp lệ, báo cáo tổng hợp ghi đơn vị là chưa nộp."
        ),
        Standing::Accepted if errors > 0 => {
            format!("Sửa các lỗi ở mục 2 và gửi lại cả tệp{before}.")
        }
        Standing::Accepted if warnings > 0 => {
            "Xem lại các cảnh báo ở mục 2; nếu số liệu đúng thì không cần làm gì thêm.".to_string()
        }
        Standing::Accepted => "Không cần làm gì thêm.".to_string(),
    }
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
            schools: Vec::new(),
            rejected_schools: Default::default(),
        };
        let all = build_feedback(&intake, &config, &SchoolRegistry::default());
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
}
