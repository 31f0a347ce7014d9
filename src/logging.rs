//! Logging for a tool that runs unattended for years: every line that reaches standard
//! error carries its time and level when it goes to a file (cron's `>> baocao.log 2>&1`),
//! a syslog priority when it goes to the journal (systemd), and stays short on a terminal.
//! The spreadsheet library's own warnings (calamine logs through the `log` crate) come
//! through the same path instead of being dropped.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::sync::{Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

/// The variable that sets the level of standard error: `error`, `warn`, `info` or `debug`.
pub const LOG_LEVEL_ENV: &str = "BAOCAO_LOG";

/// How lines are written to standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    /// A person is watching: `baocao: cảnh báo: …`.
    Terminal,
    /// A file or a pipe: `2026-12-03T07:00:01.204+07:00 WARN baocao: …`.
    Timestamped,
    /// systemd's journal reads standard error: `<4>…`, the priority prefix it understands.
    Journal,
}

impl LineStyle {
    /// The style for this process's standard error.
    pub fn detect() -> Self {
        if stderr_is_journal() {
            Self::Journal
        } else if std::io::stderr().is_terminal() {
            Self::Terminal
        } else {
            Self::Timestamped
        }
    }
}

/// One formatted log line, without its trailing newline. Control characters in `message`
/// (a file name or cell text with CR/LF, a terminal escape) are escaped, so one event is
/// always one line and cannot forge another line of the log, the journal or the run log.
pub fn format_line(style: LineStyle, level: Level, target: &str, message: &str) -> String {
    let stamp = match style {
        LineStyle::Timestamped => timestamp_now(),
        LineStyle::Terminal | LineStyle::Journal => String::new(),
    };
    format_styled(style, &stamp, level, target, message)
}

/// A timestamped line (as [`format_line`] with [`LineStyle::Timestamped`]) at a time already
/// written by [`timestamp_now`]: lines made together (one per input file, 50,000 of them)
/// share one reading of the clock instead of formatting it once each.
pub fn format_line_at(stamp: &str, level: Level, target: &str, message: &str) -> String {
    format_styled(LineStyle::Timestamped, stamp, level, target, message)
}

/// `stamp` is written only in a timestamped line.
fn format_styled(
    style: LineStyle,
    stamp: &str,
    level: Level,
    target: &str,
    message: &str,
) -> String {
    let message = crate::text::escape_controls(message);
    let source = if target.starts_with("baocao") {
        "baocao".to_string()
    } else {
        // A library's record: name it, so that a reader knows it is not baocao's own wording.
        format!("baocao ({})", target.split("::").next().unwrap_or(target))
    };
    match style {
        LineStyle::Terminal => format!("{source}: {}: {message}", level_word(level)),
        LineStyle::Timestamped => format!("{stamp} {:<5} {source}: {message}", level.as_str()),
        LineStyle::Journal => format!("<{}>{source}: {message}", syslog_priority(level)),
    }
}

/// The current local time as the log writes it (RFC 3339 with milliseconds and offset).
pub fn timestamp_now() -> String {
    chrono::Local::now()
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// The level in the words of a terminal line.
fn level_word(level: Level) -> &'static str {
    match level {
        Level::ERROR => "lỗi",
        Level::WARN => "cảnh báo",
        Level::INFO => "thông tin",
        Level::DEBUG | Level::TRACE => "gỡ lỗi",
    }
}

/// sd-daemon(3) priorities: err, warning, info, debug.
pub fn syslog_priority(level: Level) -> u8 {
    match level {
        Level::ERROR => 3,
        Level::WARN => 4,
        Level::INFO => 6,
        Level::DEBUG | Level::TRACE => 7,
    }
}

/// Whether standard error is the journal stream systemd gave this service (`JOURNAL_STREAM`
/// holds its device and inode, as systemd.exec(5) describes).
fn stderr_is_journal() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Some(value) = std::env::var_os("JOURNAL_STREAM") else {
            return false;
        };
        let Some((device, inode)) = value.to_str().and_then(|v| v.split_once(':')) else {
            return false;
        };
        let Ok(meta) = std::fs::metadata("/proc/self/fd/2") else {
            return false;
        };
        device.parse() == Ok(meta.dev()) && inode.parse() == Ok(meta.ino())
    }
    #[cfg(not(unix))]
    false
}

/// Library warnings kept for the run log (calamine's, for instance).
static LIBRARY_LINES: OnceLock<Mutex<Vec<String>>> = OnceLock::new();

/// Takes the library warnings logged so far, each a timestamped line, for the run log.
pub fn take_library_lines() -> Vec<String> {
    LIBRARY_LINES
        .get()
        .and_then(|lines| lines.lock().ok().map(|mut l| std::mem::take(&mut *l)))
        .unwrap_or_default()
}

/// Installs the process-wide logger; `quiet` keeps standard error to errors. Call once, from
/// `main`; a second call does nothing.
pub fn init(quiet: bool) {
    let style = LineStyle::detect();
    let default = match (quiet, style) {
        (true, _) => Level::ERROR,
        (false, LineStyle::Terminal) => Level::WARN,
        (false, _) => Level::INFO,
    };
    let level = std::env::var(LOG_LEVEL_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<Level>().ok())
        .unwrap_or(default);
    let layer = StderrLayer { style, level };
    let subscriber = tracing_subscriber::registry().with(layer);
    if tracing::subscriber::set_global_default(subscriber).is_ok() {
        // The `log` records of libraries (calamine) become events of this subscriber.
        let _ = tracing_log::LogTracer::init_with_filter(log::LevelFilter::Warn);
    }
}

/// Writes each event at or above its level to standard error as one line.
struct StderrLayer {
    style: LineStyle,
    level: Level,
}

impl<S: Subscriber> Layer<S> for StderrLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let mut visitor = MessageVisitor::default();
        event.record(&mut visitor);
        // Records bridged from `log` name their crate in `log.target`.
        let target = visitor.log_target.as_deref().unwrap_or(meta.target());
        let level = *meta.level();
        if !target.starts_with("baocao") && level <= Level::WARN {
            let line = format_line(LineStyle::Timestamped, level, target, &visitor.message);
            if let Ok(mut lines) = LIBRARY_LINES.get_or_init(Default::default).lock() {
                lines.push(line);
            }
        }
        if level > self.level {
            return;
        }
        let line = format_line(self.style, level, target, &visitor.message);
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
}

/// Collects an event's message and the extra fields the `log` bridge adds.
#[derive(Default)]
struct MessageVisitor {
    message: String,
    log_target: Option<String>,
}

impl Visit for MessageVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "message" => self.message.push_str(value),
            "log.target" => self.log_target = Some(value.to_string()),
            name if name.starts_with("log.") => {}
            name => {
                let _ = write!(self.message, " {name}={value}");
            }
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => {
                let _ = write!(self.message, "{value:?}");
            }
            name if name.starts_with("log.") => {}
            name => {
                let _ = write!(self.message, " {name}={value:?}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamped_line_starts_with_the_time_and_the_level() {
        let line = format_line(
            LineStyle::Timestamped,
            Level::WARN,
            "baocao::app",
            "tệp GDTrH.xlsx bị từ chối",
        );
        let (time, rest) = line.split_once(' ').expect("time first");
        assert!(
            chrono::DateTime::parse_from_rfc3339(time).is_ok(),
            "«{time}» is not RFC 3339"
        );
        assert!(
            rest.starts_with("WARN  baocao: tệp GDTrH.xlsx"),
            "level then message: {rest}"
        );
    }

    #[test]
    fn journal_lines_carry_the_syslog_priority() {
        assert_eq!(
            format_line(LineStyle::Journal, Level::ERROR, "baocao", "hỏng"),
            "<3>baocao: hỏng"
        );
        assert!(
            format_line(LineStyle::Journal, Level::WARN, "calamine::xlsx", "x")
                .starts_with("<4>baocao (calamine): ")
        );
        assert!(format_line(LineStyle::Journal, Level::INFO, "baocao", "x").starts_with("<6>"));
    }

    #[test]
    fn terminal_lines_name_the_level_in_vietnamese() {
        assert_eq!(
            format_line(LineStyle::Terminal, Level::WARN, "baocao", "x"),
            "baocao: cảnh báo: x"
        );
    }

    #[test]
    fn a_line_break_in_a_message_cannot_start_a_forged_line() {
        let forged = "tệp GDTrH\n<6>baocao: đã gửi thư\r\n2026-12-04T07:00:00.000+07:00 INFO  baocao: xong.xlsx";
        for style in [
            LineStyle::Terminal,
            LineStyle::Timestamped,
            LineStyle::Journal,
        ] {
            let line = format_line(style, Level::WARN, "baocao", forged);
            assert_eq!(line.lines().count(), 1, "{line}");
            assert!(!line.contains('\r'), "{line}");
            assert!(line.contains("GDTrH\\n<6>baocao"), "{line}");
        }
    }
}
