//! The run log (`nhat-ky-chay.txt`) staged with the documents: each line carries its time and
//! level in the format of the process's own log lines on a file, and is also sent to the
//! process log (standard error or the journal), so both tell the same story.

use tracing::Level;

use crate::logging::{format_line, format_line_at, timestamp_now, LineStyle};
use crate::validate::{Message, Severity};

/// Lines of the run log, in the order they were recorded.
#[derive(Debug, Default, Clone)]
pub struct RunLog {
    /// The lines so far, each ended by a newline: one string, not one per line, so the log
    /// of 50,000 input files is not held twice when it is written.
    text: String,
}

impl RunLog {
    /// Records an information line.
    pub fn info(&mut self, text: impl AsRef<str>) {
        self.record(Level::INFO, text.as_ref());
    }

    /// Records lines of detail made at one moment (one per input file): in the run log at
    /// information level, in the process log only at debug level, so that cron's log does not
    /// grow by a line per school. The clock is read and formatted once for all of them (at
    /// 50,000 files the log and the manifest together went from 110 ms to about 30 ms).
    pub fn details(&mut self, texts: impl IntoIterator<Item = String>) {
        let stamp = timestamp_now();
        let texts = texts.into_iter();
        // Room for all of them at once (about 150 bytes a line), not doubled as they come:
        // 7 MB at 50,000 files.
        self.text.reserve(texts.size_hint().0 * 150);
        for text in texts {
            self.push_formatted(format_line_at(&stamp, Level::INFO, "baocao", &text));
            tracing::debug!("{text}");
        }
    }

    /// Records lines of detail rendered ahead by [`render_details`] (while the last document
    /// was still being made), stamped now: the same text [`RunLog::details`] would have made
    /// of them at this moment.
    pub fn details_rendered(&mut self, rendered: &RenderedDetails) {
        self.details_rendered_at(&timestamp_now(), rendered);
    }

    fn details_rendered_at(&mut self, stamp: &str, rendered: &RenderedDetails) {
        self.text
            .reserve(rendered.text.len() + rendered.lines * (stamp.len() + 1));
        let debug = tracing::enabled!(Level::DEBUG);
        for line in rendered.text.split_inclusive('\n') {
            self.text.push_str(stamp);
            self.text.push_str(line);
            if debug {
                let message = line
                    .get(DETAIL_PREFIX.len()..line.len() - 1)
                    .unwrap_or(line);
                tracing::debug!("{message}");
            }
        }
    }

    /// Records a warning.
    pub fn warn(&mut self, text: impl AsRef<str>) {
        self.record(Level::WARN, text.as_ref());
    }

    /// Records a validation message at the level of its severity (errors reject a workbook,
    /// warnings keep it, notices are information).
    pub fn message(&mut self, message: &Message) {
        let level = match message.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARN,
            Severity::Notice => Level::INFO,
        };
        // Validation messages are already in the summary on standard output; the process log
        // gets them only at debug level, the run log always.
        self.push_formatted(format_line(
            LineStyle::Timestamped,
            level,
            "baocao",
            &message.to_string(),
        ));
        tracing::debug!("{message}");
    }

    /// Adds a line already formatted (a library's warning kept by the process logger).
    pub fn push_formatted(&mut self, line: String) {
        self.text.push_str(&line);
        self.text.push('\n');
    }

    fn record(&mut self, level: Level, text: &str) {
        self.push_formatted(format_line(LineStyle::Timestamped, level, "baocao", text));
        match level {
            Level::ERROR => tracing::error!("{text}"),
            Level::WARN => tracing::warn!("{text}"),
            _ => tracing::info!("{text}"),
        }
    }

    /// The log as text, one line each.
    pub fn into_text(self) -> String {
        self.text
    }
}

/// Lines of detail with all but their time already formatted ([`render_details`]).
#[derive(Debug, Default, Clone)]
pub struct RenderedDetails {
    /// Each line as it follows the time in the run log, ended by a newline.
    text: String,
    lines: usize,
}

/// What follows the time in a line of detail, before the text.
const DETAIL_PREFIX: &str = " INFO  baocao: ";

/// Formats lines of detail (one per input file) for [`RunLog::details_rendered`], all but
/// their time, which is only known when they are recorded: at 2,000 files this is done while
/// the last document is packed instead of after it.
pub fn render_details(texts: impl IntoIterator<Item = String>) -> RenderedDetails {
    let texts = texts.into_iter();
    let mut rendered = RenderedDetails {
        text: String::with_capacity(texts.size_hint().0 * 120),
        lines: 0,
    };
    for text in texts {
        // The same line as `format_line_at` makes, whose time is put in front later.
        let line = format_line_at("", Level::INFO, "baocao", &text);
        debug_assert!(line.starts_with(DETAIL_PREFIX));
        rendered.text.push_str(&line);
        rendered.text.push('\n');
        rendered.lines += 1;
    }
    rendered
}

/// The level of a line of the delivery summary: failures are errors, what is still pending a
/// warning, the rest information — so `journalctl -p warning` finds a mail that did not go.
pub fn delivery_line_level(line: &str) -> Level {
    if line.starts_with("Lỗi") {
        Level::ERROR
    } else if line.starts_with("Chưa gửi") || line.starts_with("Mã thoát") {
        Level::WARN
    } else {
        Level::INFO
    }
}

/// Lines added to a finished run log (what delivery did, after the documents were in
/// place), each with its time and the level `level_of` gives it, control characters escaped.
pub fn timestamped_lines(text: &str, level_of: impl Fn(&str) -> Level) -> String {
    let mut out = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str(&format_line(
            LineStyle::Timestamped,
            level_of(line),
            "baocao",
            line,
        ));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Location;

    #[test]
    fn every_line_has_a_time_and_a_level() {
        let mut log = RunLog::default();
        log.info("baocao 0.1.0 — kỳ tháng 11/2025 — mã thoát 2");
        log.warn("không tìm thấy tệp cấu hình");
        log.message(&Message::error(
            "so-am",
            Location::cell("GDTrH.xlsx", "Số liệu", "C7"),
            "Số liệu không được âm",
        ));
        let text = log.into_text();
        let levels: Vec<&str> = text
            .lines()
            .map(|line| {
                let mut parts = line.split_whitespace();
                let time = parts.next().expect("time");
                assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{line}");
                parts.next().expect("level")
            })
            .collect();
        assert_eq!(levels, ["INFO", "WARN", "ERROR"]);
        assert!(text.contains("GDTrH.xlsx › Số liệu › C7"), "{text}");
    }

    #[test]
    fn details_rendered_ahead_are_the_lines_made_at_once() {
        let texts = || {
            vec![
                "tệp GDTrH.xlsx (9761 byte, Báo cáo tháng (Biểu A)): Chấp nhận".to_string(),
                "tệp truong/xa\nlạ.xlsx (7 byte): Không đọc được\t(hỏng)".to_string(),
                String::new(),
                "tệp «Văn phòng».xlsx (0 byte): Chưa đọc\u{1b}[31m".to_string(),
            ]
        };
        let stamp = "2026-12-06T21:41:52.068+07:00";
        let mut at_once = String::new();
        for text in texts() {
            at_once.push_str(&format_line_at(stamp, Level::INFO, "baocao", &text));
            at_once.push('\n');
        }
        let mut ahead = RunLog::default();
        ahead.info("trước");
        let head = ahead.text.len();
        ahead.details_rendered_at(stamp, &render_details(texts()));
        assert_eq!(&ahead.text[head..], at_once);
        assert_eq!(ahead.text[head..].lines().count(), 4);
        assert!(at_once.contains("xa\\nlạ"), "{at_once}");
        // Nothing rendered, nothing recorded.
        let mut empty = RunLog::default();
        empty.details_rendered_at(stamp, &render_details(Vec::new()));
        assert!(empty.into_text().is_empty());
    }

    #[test]
    fn appended_lines_get_a_time_a_level_and_no_stray_carriage_return() {
        let text = timestamped_lines(
            "Gửi thư\nLỗi gửi thư: 550 từ chối\r giả\n\n",
            |line| {
                if line.starts_with("Lỗi") {
                    Level::ERROR
                } else {
                    Level::INFO
                }
            },
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].contains(" INFO  baocao: Gửi thư"), "{text}");
        assert!(
            lines[1].contains(" ERROR baocao: Lỗi gửi thư: 550 từ chối\\r giả"),
            "{text}"
        );
    }
}
