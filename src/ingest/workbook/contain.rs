//! A panic inside the spreadsheet reader (calamine) becomes a [`ReadError`]: one crafted file
//! costs that file only ([`crate::ingest::contain`]).

use super::ReadError;
use crate::ingest::contain::contain_panic;

/// Runs `work`, turning a panic into [`ReadError::Corrupt`].
pub(super) fn contain<T>(work: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    contain_panic(work).unwrap_or_else(|text| {
        Err(ReadError::corrupt(
            "bộ đọc bảng tính dừng bất thường",
            &text,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_corrupt_file_error() {
        let outcome: Result<(), ReadError> = contain(|| panic!("slice index starts at 9"));
        match outcome {
            Err(ReadError::Corrupt(detail)) => assert!(detail.contains("slice index"), "{detail}"),
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }

    #[test]
    fn results_pass_through_unchanged() {
        assert!(matches!(contain(|| Ok(7)), Ok(7)));
        assert!(matches!(
            contain::<()>(|| Err(ReadError::Empty)),
            Err(ReadError::Empty)
        ));
    }
}
