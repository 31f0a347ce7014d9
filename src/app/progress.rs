//! A progress bar while workbooks are read, for a person at a terminal; hidden under cron,
//! with `--json` or `--quiet`, and whenever standard error is not a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar counting files, or a hidden one that costs nothing.
pub fn file_progress(total: u64, wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("Đang đọc {pos}/{len} tệp {wide_bar} {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}
