//! Inflating a package part for the guard with one decompressor per thread, reset between
//! parts. A form's parts are a few kilobytes each, so setting up a fresh decompressor (its
//! window allocated and cleared, its tables built) cost more than inflating them: measured
//! with callgrind, a third of the guard's instructions went to `memset` and set-up.

use std::cell::RefCell;
use std::io::{self, Read};

use flate2::{Decompress, FlushDecompress, Status};

thread_local! {
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

/// Runs `work` with a reader of the raw deflate stream `data`, inflated by this thread's
/// decompressor.
pub(super) fn with_inflated<T>(data: &[u8], work: impl FnOnce(&mut dyn Read) -> T) -> T {
    INFLATER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut state) => {
            state.reset(false);
            work(&mut Inflate {
                data,
                state: &mut state,
                done: false,
            })
        }
        // Never nested in practice; a fresh decompressor keeps it correct if it ever is.
        Err(_) => work(&mut Inflate {
            data,
            state: &mut Decompress::new(false),
            done: false,
        }),
    })
}

struct Inflate<'a> {
    data: &'a [u8],
    state: &'a mut Decompress,
    done: bool,
}

impl Read for Inflate<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.done || out.is_empty() {
            return Ok(0);
        }
        loop {
            let (before_in, before_out) = (self.state.total_in(), self.state.total_out());
            let status = self
                .state
                .decompress(self.data, out, FlushDecompress::None)
                .map_err(io::Error::other)?;
            let consumed = (self.state.total_in() - before_in) as usize;
            let produced = (self.state.total_out() - before_out) as usize;
            self.data = &self.data[consumed.min(self.data.len())..];
            if status == Status::StreamEnd {
                self.done = true;
                return Ok(produced);
            }
            if produced > 0 {
                return Ok(produced);
            }
            if consumed == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "dữ liệu nén bị cắt cụt",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).expect("deflate");
        encoder.finish().expect("finish")
    }

    #[test]
    fn parts_inflate_one_after_another_with_one_decompressor() {
        let first = "<row r=\"1\"/>".repeat(5000);
        let second = "<c r=\"B2\"/>".repeat(3);
        for text in [&first, &second, &first] {
            let packed = deflate(text.as_bytes());
            let mut out = Vec::new();
            with_inflated(&packed, |reader| reader.read_to_end(&mut out)).expect("inflates");
            assert_eq!(out, text.as_bytes());
        }
    }

    #[test]
    fn a_truncated_stream_is_an_error_not_a_hang() {
        let packed = deflate("<c r=\"A1\"/>".repeat(2000).as_bytes());
        let cut = &packed[..packed.len() / 2];
        let outcome = with_inflated(cut, |reader| reader.read_to_end(&mut Vec::new()));
        assert!(outcome.is_err());
    }
}
