//! A panic inside a third-party reader (calamine, docx-rs) becomes an error of the file being
//! read, so that one crafted or odd file costs that file only, not the run. Fuzzing found one:
//! calamine's `.xls` reader indexes past the end of a broken compound-file sector chain
//! (`cfb.rs`, "slice index starts at … but ends at …"); docx-rs has panicked on unusual
//! documents (CRATE-NOTES.md). The panic text is kept off standard error; the caller reports
//! the file as unreadable. Aborts (allocation failure) and stack overflows cannot be caught
//! this way: the guards prevent those before the reader starts ([`crate::ingest::guard`], the
//! Word plan reader's nesting check).

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// True while this thread runs reader code whose panics are contained.
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`; a panic inside it comes back as `Err` with the panic's text, and is not
/// printed. One quiet hook for the whole process, installed once, passing every panic outside
/// `contain_panic` on to the hook that was there before.
pub fn contain_panic<T>(work: impl FnOnce() -> T) -> Result<T, String> {
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
    outcome.map_err(|payload| panic_text(payload.as_ref()).to_string())
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
    fn a_panic_comes_back_as_its_text_and_the_flag_is_reset() {
        let outcome: Result<(), String> = contain_panic(|| panic!("slice index starts at 9"));
        assert_eq!(outcome, Err("slice index starts at 9".to_string()));
        // Outside `contain_panic`, panics are reported again as usual.
        assert!(!CONTAINING.with(Cell::get));
        assert_eq!(contain_panic(|| 7), Ok(7));
    }

    #[test]
    fn nested_containment_restores_the_outer_flag() {
        let outcome = contain_panic(|| {
            let inner: Result<(), String> = contain_panic(|| panic!("inner"));
            (inner, CONTAINING.with(Cell::get))
        });
        assert_eq!(outcome, Ok((Err("inner".to_string()), true)));
        assert!(!CONTAINING.with(Cell::get));
    }
}
