//! `baocao send` and `baocao send-test`: mail without a run. `send` sends what the outbox of
//! a period still holds (the retry timer's command: a server that was down at the run gets
//! the messages once it is back, with no person involved); `send-test` sends one message to
//! an address given on the command line and prints the server's reply, so a wrong
//! `[delivery]` is found before the first report.

use std::path::Path;

use super::exit::Outcome;
use crate::config;
use crate::deliver::email::{DeliveryError, Outbox};
use crate::deliver::lock::{try_lock, LockAttempt};
use crate::vn::Period;

/// How many months back `send` without `--period` looks: the report of last month and the
/// reminders of this one, with a month to spare.
pub const RECENT_MONTHS: u32 = 3;

/// `baocao send [--period YYYY-MM]`: exit 0 when nothing is left to send, 4 when something
/// still could not go, 3 when another run holds the output folder, 1 on a bad configuration.
pub fn send_command(period: Option<Period>, output: &Path, config_path: Option<&Path>) -> Outcome {
    let loaded = match config::load(config_path) {
        Ok(loaded) => loaded,
        Err(error) => {
            tracing::error!("{error:#}");
            return Outcome::Failed;
        }
    };
    // The ledger is written by runs too: one at a time.
    let _lock = match try_lock(output) {
        Ok(LockAttempt::Acquired(lock)) => lock,
        Ok(LockAttempt::Busy { holder }) => {
            tracing::error!(
                "{}",
                super::exit::OutputBusy {
                    holder,
                    folder: output.display().to_string(),
                }
            );
            return Outcome::Busy;
        }
        Err(error) => {
            tracing::error!("{error:#}");
            return Outcome::Failed;
        }
    };
    let periods = match period {
        Some(period) => vec![period.slug()],
        None => recent_periods(
            &Outbox::periods(output),
            Period::of_date(chrono::Local::now().date_naive()),
        ),
    };
    let mut outcome = Outcome::Complete;
    let mut any = false;
    for period in &periods {
        let Some(report) = super::delivery::send_pending(&loaded, output, period) else {
            continue;
        };
        if report.sent.is_empty() && report.pending.is_empty() && !report.failed() {
            continue;
        }
        any = true;
        let lines = super::delivery::delivery_lines(&report);
        println!("Kỳ {period}:");
        print!("{lines}");
        append_to_run_log(&output.join(period), &lines);
        if report.failed() {
            outcome = Outcome::DeliveryFailed;
        }
    }
    if !any {
        match period {
            Some(period) => println!("Kỳ {period}: không còn thư nào chờ gửi."),
            None => println!(
                "Không còn thư nào chờ gửi trong {RECENT_MONTHS} tháng gần nhất ({}).",
                output
                    .join(crate::deliver::email::ledger::LEDGER_DIR)
                    .display()
            ),
        }
    }
    outcome
}

/// Adds what `send` did to the period's run log, when the period has a folder (reminders
/// alone leave none), so the log beside the documents tells how the mail finally went.
fn append_to_run_log(period_dir: &Path, lines: &str) {
    let log = period_dir.join(super::monthly::RUN_LOG);
    let Ok(mut text) = std::fs::read_to_string(&log) else {
        return;
    };
    let heading = format!("Gửi thư (baocao send)\n{lines}");
    // Each line with its time and level, like the rest of the log; a server's reply quoted in
    // a failure cannot start a line of its own.
    text.push_str(&crate::deliver::run_log::timestamped_lines(
        &heading,
        crate::deliver::run_log::delivery_line_level,
    ));
    if let Err(error) = crate::deliver::atomic::write_atomically(&log, text.as_bytes()) {
        tracing::warn!("không ghi được {}: {error}", log.display());
    }
}

/// The periods among `periods` (YYYY-MM) from `RECENT_MONTHS` months before `now` to `now`.
pub fn recent_periods(periods: &[String], now: Period) -> Vec<String> {
    let mut oldest = now;
    for _ in 0..RECENT_MONTHS {
        oldest = oldest.previous();
    }
    let (oldest, newest) = (oldest.slug(), now.slug());
    periods
        .iter()
        .filter(|p| p.as_str() >= oldest.as_str() && p.as_str() <= newest.as_str())
        .cloned()
        .collect()
}

/// `baocao send-test ADDRESS`: exit 0 with the server's reply, 4 when the server refused or
/// could not be reached, 1 when `[delivery]` or the address cannot be used.
pub fn send_test_command(address: &str, config_path: Option<&Path>) -> Outcome {
    let loaded = match config::load(config_path) {
        Ok(loaded) => loaded,
        Err(error) => {
            tracing::error!("{error:#}");
            return Outcome::Failed;
        }
    };
    let texts = match super::delivery::load_texts(&loaded) {
        Ok(texts) => texts,
        Err(error) => {
            tracing::error!("{error:#}");
            return Outcome::Failed;
        }
    };
    match super::delivery::send_test_message(&loaded, &texts, address) {
        Ok(reply) => {
            println!(
                "Máy chủ thư {} đã nhận thư thử gửi {}; máy chủ trả lời: {}",
                reply.server,
                address.trim(),
                reply.reply
            );
            println!("Message-ID của thư thử: {}", reply.message_id);
            Outcome::Complete
        }
        Err(error @ DeliveryError::Send(_)) => {
            println!("Gửi thư thử không được: {error}");
            Outcome::DeliveryFailed
        }
        Err(error) => {
            tracing::error!("không gửi được thư thử: {error}");
            Outcome::Failed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_periods_span_three_months_back_across_a_year() {
        let periods: Vec<String> = [
            "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect();
        let now = Period::new(2026, 1).expect("valid");
        assert_eq!(
            recent_periods(&periods, now),
            ["2025-10", "2025-11", "2025-12", "2026-01"]
        );
    }
}
