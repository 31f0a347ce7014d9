//! A panic inside a third-party reader becomes a [`ReadError`], so that one crafted file costs
//! that file only, not the run. Fuzzing found one: calamine's `.xls` reader indexes past the
//! end of a broken compound-file sector chain (`cfb.rs`, "slice index starts at … but ends
//! at …"). The panic text is kept off stderr; the caller reports the file as unreadable.
//! Aborts (allocation failure) cannot be caught this way; [`crate::ingest::guard`] prevents
//! those before the reader starts.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use super::ReadError;

thread_local! {
    /// True while this thread runs reader code whose panics are contained.
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`, turning a panic into [`ReadError::Corrupt`].
pub(super) fn contain<T>(work: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
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
        Err(ReadError::corrupt(
            "bộ đọc bảng tính dừng bất thường",
            panic_text(payload.as_ref()),
        ))
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
    fn a_panic_becomes_a_corrupt_file_error() {
        let outcome: Result<(), ReadError> = contain(|| panic!("slice index starts at 9"));
        match outcome {
            Err(ReadError::Corrupt(detail)) => assert!(detail.contains("slice index"), "{detail}"),
            other => panic!("expected Corrupt, got {other:?}"),
        }
        // Outside `contain`, panics are reported again as usual.
        assert!(!CONTAINING.with(Cell::get));
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
