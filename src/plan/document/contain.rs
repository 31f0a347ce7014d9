//! A panic inside docx-rs becomes a [`DocumentError`]: one odd document costs that document
//! only ([`crate::ingest::contain`]). Stack overflows cannot be caught: [`super::body`]
//! refuses deep nesting before docx-rs runs.

use super::body::DocumentError;
use crate::ingest::contain::contain_panic;

/// Runs `work`, turning a panic into [`DocumentError::Corrupt`].
pub(super) fn contain<T>(
    work: impl FnOnce() -> Result<T, DocumentError>,
) -> Result<T, DocumentError> {
    contain_panic(work).unwrap_or_else(|text| {
        Err(DocumentError::Corrupt(format!(
            "bộ đọc văn bản Word dừng bất thường: {text}"
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_corrupt_document_error() {
        let outcome: Result<(), DocumentError> = contain(|| panic!("should have header path."));
        match outcome {
            Err(DocumentError::Corrupt(detail)) => {
                assert!(detail.contains("header path"), "{detail}")
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
        assert!(matches!(contain(|| Ok(3)), Ok(3)));
    }
}
