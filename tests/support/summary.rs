//! Reading the summary a run prints on standard output.
#![allow(dead_code)]

/// The files listed under "Đã ghi:", in the order the summary lists them.
pub fn written_files(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("Đã ghi:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(str::trim)
        .collect()
}
