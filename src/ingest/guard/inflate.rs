//! Inflating a package part for the guard with one decompressor per thread, reset between
//! parts. A form's parts are a few kilobytes each, so setting up a fresh decompressor (its
//! window allocated and cleared, its tables built) cost more than inflating them: measured
//! with callgrind, a third of the guard's instructions went to `memset` and set-up.

use std::cell::RefCell;
use std::io;

use flate2::{Decompress, FlushDecompress, Status};

thread_local! {
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

/// Inflates the raw deflate stream `data` onto the end of `out` with this thread's
/// decompressor, stopping once more than `limit` bytes came out (the caller then refuses the
/// part): memory never grows past what the part was allowed.
pub(super) fn inflate_into(data: &[u8], out: &mut Vec<u8>, limit: u64) -> io::Result<()> {
    INFLATER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut state) => {
            state.reset(false);
            inflate_with(&mut state, data, out, limit)
        }
        Err(_) => inflate_with(&mut Decompress::new(false), data, out, limit),
    })
}

fn inflate_with(
    state: &mut Decompress,
    mut data: &[u8],
    out: &mut Vec<u8>,
    limit: u64,
) -> io::Result<()> {
    let start = out.len();
    // One byte past the limit is enough to know the part is too big.
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    loop {
        let produced = out.len() - start;
        if produced >= cap {
            return Ok(());
        }
        if out.capacity() == out.len() {
            let grow = produced.max(16 * 1024).min(cap - produced);
            out.reserve_exact(grow);
        }
        let before_in = state.total_in();
        let before_out = out.len();
        let status = state
            .decompress_vec(data, out, FlushDecompress::None)
            .map_err(io::Error::other)?;
        let consumed = (state.total_in() - before_in) as usize;
        data = &data[consumed.min(data.len())..];
        if status == Status::StreamEnd {
            return Ok(());
        }
        if consumed == 0 && out.len() == before_out && out.capacity() > out.len() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "dữ liệu nén bị cắt cụt",
            ));
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
            inflate_into(&packed, &mut out, u64::MAX).expect("inflates");
            assert_eq!(out, text.as_bytes());
        }
    }

    #[test]
    fn inflating_into_a_buffer_appends_and_stops_past_the_limit() {
        let text = "<c r=\"A1\"/>".repeat(20_000);
        let packed = deflate(text.as_bytes());
        let mut out = b"head".to_vec();
        inflate_into(&packed, &mut out, 1 << 20).expect("inflates");
        assert_eq!(&out[..4], b"head");
        assert_eq!(&out[4..], text.as_bytes());

        let mut out = Vec::new();
        inflate_into(&packed, &mut out, 1000).expect("stops quietly");
        assert!(out.len() > 1000 && out.len() < text.len(), "{}", out.len());
        assert!(out.capacity() < 64 * 1024, "{}", out.capacity());

        let cut = &packed[..packed.len() / 2];
        assert!(inflate_into(cut, &mut Vec::new(), 1 << 20).is_err());
    }

    #[test]
    fn a_truncated_stream_is_an_error_not_a_hang() {
        let packed = deflate("<c r=\"A1\"/>".repeat(2000).as_bytes());
        let cut = &packed[..packed.len() / 2];
        assert!(inflate_into(cut, &mut Vec::new(), u64::MAX).is_err());
    }
}
