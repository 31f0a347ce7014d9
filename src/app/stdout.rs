//! Standard output that a closed pipe ends quietly. Rust ignores SIGPIPE, so `print!` into
//! `baocao man | head` panics ("failed printing to stdout: Broken pipe"); a reader that stops
//! early is normal at a shell, not an error. Everything the commands print goes through here.

use std::io::{ErrorKind, Write};

/// Writes `text` to standard output and flushes it. A reader that has gone away (broken
/// pipe) ends it silently; any other failure is logged, never a panic. Returns whether the
/// whole text was written.
pub fn print_text(text: &str) -> bool {
    write_to(&mut std::io::stdout().lock(), text.as_bytes())
}

/// [`print_text`] for bytes already rendered (the man page, the completion scripts).
pub fn print_bytes(bytes: &[u8]) -> bool {
    write_to(&mut std::io::stdout().lock(), bytes)
}

fn write_to(out: &mut impl Write, bytes: &[u8]) -> bool {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => true,
        Err(error) if error.kind() == ErrorKind::BrokenPipe => false,
        Err(error) => {
            tracing::error!("không ghi được ra đầu ra chuẩn: {error}");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_reader_is_not_an_error() {
        assert!(!write_to(&mut Closed, b"abc"));
        let mut buffer = Vec::new();
        assert!(write_to(&mut buffer, b"abc"));
        assert_eq!(buffer, b"abc");
    }
}
