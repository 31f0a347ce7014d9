//! Inflating a package part for the guard. A part whose declared size is modest (every part
//! of a form) is inflated in one call by libdeflate into a buffer of that size plus one
//! byte: it builds its tables and decodes faster than the streaming zlib-rs decoder, about
//! 0.84 of its time over the 13,877 parts of the benchmark's 2,000 workbooks (`bench/`),
//! where inflating was a tenth of the run. A larger part streams through zlib-rs instead,
//! growing its buffer as data comes rather than clearing the whole declared size at once.
//! Either way there is one decompressor per thread, reused: a form's parts are a few
//! kilobytes each, so setting up a fresh one cost more than inflating them.

use std::cell::RefCell;
use std::io;

use flate2::{Decompress, FlushDecompress, Status};

/// Parts declared up to this size are inflated by libdeflate in one call.
const WHOLE_PART_BYTES: usize = 4 * 1024 * 1024;

thread_local! {
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
    static WHOLE: RefCell<Option<libdeflater::Decompressor>> = const { RefCell::new(None) };
}

/// Inflates the raw deflate stream `data` onto the end of `out` with this thread's
/// decompressor, stopping once more than `limit` bytes came out (the caller then refuses the
/// part): memory never grows past what the part was allowed.
pub(super) fn inflate_into(data: &[u8], out: &mut Vec<u8>, limit: u64) -> io::Result<()> {
    // One byte past the limit is enough to know the part is too big.
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    if cap <= WHOLE_PART_BYTES {
        let whole = WHOLE.with(|cell| match cell.try_borrow_mut() {
            Ok(mut slot) => inflate_whole(
                slot.get_or_insert_with(libdeflater::Decompressor::new),
                data,
                out,
                cap,
            ),
            Err(_) => inflate_whole(&mut libdeflater::Decompressor::new(), data, out, cap),
        });
        return whole;
    }
    INFLATER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut state) => {
            state.reset(false);
            inflate_with(&mut state, data, out, cap)
        }
        Err(_) => inflate_with(&mut Decompress::new(false), data, out, cap),
    })
}

/// The whole stream at once into `cap` bytes after the end of `out`: what did not fit is
/// reported as `cap` bytes, more than the limit.
fn inflate_whole(
    state: &mut libdeflater::Decompressor,
    data: &[u8],
    out: &mut Vec<u8>,
    cap: usize,
) -> io::Result<()> {
    let start = out.len();
    out.resize(start + cap, 0);
    match state.deflate_decompress(data, &mut out[start..]) {
        Ok(produced) => {
            out.truncate(start + produced);
            Ok(())
        }
        // Longer than allowed: the caller sees more than the limit and refuses the part.
        Err(libdeflater::DecompressionError::InsufficientSpace) => Ok(()),
        Err(libdeflater::DecompressionError::BadData) => {
            out.truncate(start);
            Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "dữ liệu nén hỏng hoặc bị cắt cụt",
            ))
        }
    }
}

fn inflate_with(
    state: &mut Decompress,
    mut data: &[u8],
    out: &mut Vec<u8>,
    cap: usize,
) -> io::Result<()> {
    let start = out.len();
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
    fn both_decoders_inflate_the_same_bytes_and_refuse_the_same_lies() {
        let text = "<row r=\"7\"><c r=\"C7\"><v>12</v></c></row>".repeat(3000);
        let packed = deflate(text.as_bytes());
        let (mut whole, mut streamed) = (b"ab".to_vec(), b"ab".to_vec());
        inflate_whole(
            &mut libdeflater::Decompressor::new(),
            &packed,
            &mut whole,
            text.len() + 1,
        )
        .expect("whole");
        inflate_with(
            &mut Decompress::new(false),
            &packed,
            &mut streamed,
            text.len() + 1,
        )
        .expect("streamed");
        assert_eq!(whole, streamed);
        assert_eq!(&whole[2..], text.as_bytes());
        // A part longer than its declared size comes out longer than that limit either way.
        for limit in [0u64, 10, text.len() as u64 - 1] {
            let mut out = Vec::new();
            inflate_into(&packed, &mut out, limit).expect("stops quietly");
            assert!(out.len() as u64 > limit, "{limit}: {}", out.len());
        }
        // A part larger than the whole-part size streams, and comes out the same.
        let big = "<c r=\"A1\"><v>1</v></c>".repeat(WHOLE_PART_BYTES / 10);
        let mut out = Vec::new();
        inflate_into(&deflate(big.as_bytes()), &mut out, big.len() as u64).expect("big");
        assert_eq!(out, big.as_bytes());
    }

    #[test]
    fn damaged_data_is_an_error_and_leaves_the_buffer_as_it_was() {
        let packed = deflate("<c r=\"A1\"/>".repeat(2000).as_bytes());
        let mut out = b"kept".to_vec();
        assert!(inflate_into(&packed[..packed.len() / 2], &mut out, 1 << 16).is_err());
        assert_eq!(out, b"kept");
        let mut garbage = packed.clone();
        garbage[0] = 0xff;
        garbage[1] = 0xff;
        assert!(inflate_into(&garbage, &mut Vec::new(), 1 << 16).is_err());
    }

    #[test]
    fn a_truncated_stream_is_an_error_not_a_hang() {
        let packed = deflate("<c r=\"A1\"/>".repeat(2000).as_bytes());
        let cut = &packed[..packed.len() / 2];
        assert!(inflate_into(cut, &mut Vec::new(), u64::MAX).is_err());
    }
}
