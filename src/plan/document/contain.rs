//! A panic inside docx-rs becomes a [`DocumentError`], so that one odd document costs that
//! document only, not the run (docx-rs has panicked on unusual documents: CRATE-NOTES.md).
//! The panic text is kept off standard error; the caller reports the file as unreadable.
//! Stack overflows cannot be caught: [`super::body`] refuses deep nesting before docx-rs runs.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use super::body::DocumentError;

thread_local! {
    /// True while this thread runs docx-rs code whose panics are contained.
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`, turning a panic into [`DocumentError::Corrupt`].
pub(super) fn contain<T>(
    work: impl FnOnce() -> Result<T, DocumentError>,
) -> Result<T, DocumentError> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CONTAINING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = CONTAINING.with(|flag| flag.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    CONTAINING.with(|flag| flag.set(outer));
    outcome.unwrap_or_else(|payload| {
        Err(DocumentError::Corrupt(format!(
            "bộ đọc văn bản Word dừng bất thường: {}",
            panic_text(payload.as_ref())
        )))
    })
}

fn panic_text(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("lỗi không rõ")
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
        assert!(!CONTAINING.with(Cell::get));
        assert!(matches!(contain(|| Ok(3)), Ok(3)));
    }
}
