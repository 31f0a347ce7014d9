//! A mistake on the command line, told in Vietnamese and kept apart from the run's own
//! statuses: `EX_USAGE` (64, sysexits.h), so that a typo in a cron line or a systemd
//! `ExecStart` never passes for "written, some unit missing" (2).

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The exit status of a command-line error.
pub const EX_USAGE: u8 = 64;

/// What to print and with which status when the arguments cannot be parsed: help and
/// version go to standard output with 0, everything else to standard error with 64.
pub fn usage_outcome(error: &clap::Error) -> (u8, String) {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => (0, error.render().to_string()),
        _ => (EX_USAGE, explain(error)),
    }
}

/// The Vietnamese explanation of a command-line error, with a pointer to `--help`.
pub fn explain(error: &clap::Error) -> String {
    let context = |kind: ContextKind| -> Option<String> {
        match error.get(kind)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) => Some(v.join(", ")),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::StyledStrs(v) => Some(
                v.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ContextValue::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let argument = context(ContextKind::InvalidArg).unwrap_or_default();
    let value = context(ContextKind::InvalidValue).unwrap_or_default();
    let mut text = match error.kind() {
        ErrorKind::UnknownArgument => format!("tùy chọn không có: {argument}"),
        ErrorKind::InvalidSubcommand => format!(
            "lệnh không có: {}",
            context(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::InvalidValue => format!("giá trị «{value}» của {argument} không hợp lệ"),
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error)
                .map(|source| format!(": {source}"))
                .unwrap_or_default();
            format!("giá trị «{value}» của {argument} không dùng được{reason}")
        }
        ErrorKind::MissingRequiredArgument => format!("thiếu tham số bắt buộc: {argument}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let names: Vec<String> = crate::cli::command()
                .get_subcommands()
                .filter(|sub| !sub.is_hide_set())
                .map(|sub| sub.get_name().to_string())
                .collect();
            format!("chưa ghi lệnh ({})", names.join(", "))
        }
        ErrorKind::ArgumentConflict => format!(
            "không dùng {argument} cùng với {}",
            context(ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::NoEquals
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => format!("số giá trị của {argument} không đúng"),
        _ => "dòng lệnh không hợp lệ".to_string(),
    };
    let suggestion = context(ContextKind::SuggestedArg)
        .or_else(|| context(ContextKind::SuggestedSubcommand))
        .or_else(|| context(ContextKind::SuggestedValue));
    if let Some(suggestion) = suggestion {
        text.push_str(&format!("; có phải «{suggestion}»?"));
    }
    format!(
        "baocao: lỗi dòng lệnh: {text}\nXem cách dùng: baocao --help (hoặc baocao LỆNH --help)\n"
    )
}

/// Refuses a reporting period after the current month unless `allowed` (the flag
/// `--cho-phep-ky-tuong-lai`): `--period 2030-01` is a typo far more often than a plan, and
/// a run for it would write a folder and tell every unit it has not reported. The message
/// for standard error, exit [`EX_USAGE`].
pub fn future_period_error(
    period: crate::vn::Period,
    today: chrono::NaiveDate,
    allowed: bool,
) -> Option<String> {
    let current = crate::vn::Period::of_date(today);
    (period > current && !allowed).then(|| {
        format!(
            "baocao: lỗi dòng lệnh: kỳ báo cáo {} ở sau tháng hiện tại ({}); không làm gì. Kiểm tra lại --period, hoặc thêm --cho-phep-ky-tuong-lai nếu đúng là kỳ này\n",
            period.in_text(),
            current.in_text()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::parse_from;

    fn outcome(args: &[&str]) -> (u8, String) {
        let error = parse_from(args).expect_err("not a valid command line");
        usage_outcome(&error)
    }

    #[test]
    fn a_misspelt_option_is_64_with_a_suggestion() {
        let (code, text) = outcome(&["baocao", "run", "--perod", "2025-11"]);
        assert_eq!(code, EX_USAGE);
        assert!(text.contains("tùy chọn không có: --perod"), "{text}");
        assert!(text.contains("có phải «--period»?"), "{text}");
    }

    #[test]
    fn a_bad_period_is_64_and_says_why_in_vietnamese() {
        let (code, text) = outcome(&["baocao", "run", "--period", "2025-13"]);
        assert_eq!(code, EX_USAGE);
        assert!(text.contains("«2025-13»"), "{text}");
        assert!(text.contains("cần dạng YYYY-MM"), "{text}");
    }

    #[test]
    fn help_and_version_are_not_errors() {
        assert_eq!(outcome(&["baocao", "--help"]).0, 0);
        assert_eq!(outcome(&["baocao", "--version"]).0, 0);
        let (code, text) = outcome(&["baocao"]);
        assert_eq!(code, EX_USAGE);
        assert!(
            text.contains("chưa ghi lệnh (run, check, history, plan, forms, send, send-test, completions, man)"),
            "{text}"
        );
        assert_eq!(outcome(&["baocao", "chay"]).0, EX_USAGE);
    }

    #[test]
    fn a_period_after_this_month_needs_the_flag() {
        let today = chrono::NaiveDate::from_ymd_opt(2025, 12, 3).expect("date");
        let period = |y, m| crate::vn::Period::new(y, m).expect("period");
        let text = future_period_error(period(2030, 1), today, false).expect("refused");
        assert!(
            text.contains("kỳ báo cáo tháng 1/2030 ở sau tháng hiện tại (tháng 12/2025)"),
            "{text}"
        );
        assert!(text.contains("--cho-phep-ky-tuong-lai"), "{text}");
        assert_eq!(future_period_error(period(2030, 1), today, true), None);
        assert_eq!(
            future_period_error(period(2025, 12), today, false),
            None,
            "this month"
        );
        assert_eq!(future_period_error(period(2025, 11), today, false), None);
        assert!(future_period_error(period(2026, 1), today, false).is_some());
    }
}
