//! How soon freed memory goes back to the system. mimalloc, the allocator (`main.rs`), keeps
//! freed pages for a second (`purge_delay`, 1000 ms in mimalloc v3's `options.c`; the header
//! still says 10) before returning them, so that memory freed and wanted again soon is not
//! faulted in anew. With tens of thousands of files the documents are made from large lists
//! freed one after another, and the pages kept add up: at 50,000 schools the peak was
//! 293–301 MiB with the delay and 210–225 MiB without it (issue 24 asks for under 300). In
//! time, 3 runs each taking turns with the floor gave a median of pairs of 1.22 without the
//! delay against 1.18 with it, within this machine's noise. Runs under 20,000 files keep
//! the delay: at 10,000 schools it costs 30 MiB (101 against 70), and the time measured
//! 2.3% better in 7 runs, 3% worse in 5 others.

use std::os::raw::{c_int, c_long};

// The functions below are mimalloc's: linked here too, for builds without `main.rs`'s
// allocator (the library's own tests).
extern crate mimalloc as _;

/// From this many input files on, a run keeps its peak down rather than gain milliseconds:
/// freed memory is returned at once, and the manifest's inputs wait for the last document
/// (`run_monthly`).
pub const LARGE_RUN_FILES: usize = 20_000;

/// `mi_option_purge_delay` in mimalloc's `mimalloc.h` (v3, as libmimalloc-sys builds it):
/// milliseconds before freed memory is returned; 0 returns it at once.
const MI_OPTION_PURGE_DELAY: c_int = 15;

/// `mi_option_destroy_on_exit` in the same header: above 1, mimalloc's own clean-up at exit
/// (`_mi_auto_process_done` in `init.c`) is skipped.
const MI_OPTION_DESTROY_ON_EXIT: c_int = 22;

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
}

/// Leaves the freeing of memory at exit to the kernel, which frees the whole process at
/// once anyway. Otherwise mimalloc's exit hook first returns every page it holds, one
/// `madvise` per 64 KiB span: 130 calls after the last output at 2,000 schools (strace);
/// from the end of `main` to the process reaped 5.6 ms before, 4.6 ms after. Call once,
/// early in `main`.
pub fn skip_release_at_exit() {
    // SAFETY: as in `fit_to_run`; the hook only reads the option when the process exits.
    unsafe { mi_option_set(MI_OPTION_DESTROY_ON_EXIT, 2) };
}

/// Sets how soon freed memory is returned for a run over `files` input files.
pub fn fit_to_run(files: usize) {
    if files >= LARGE_RUN_FILES {
        // SAFETY: mimalloc's option setter takes a plain value and is safe from any thread.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Milliseconds before freed memory is returned, as mimalloc now has it.
    fn purge_delay_ms() -> c_long {
        // SAFETY: reading one of mimalloc's options has no preconditions.
        unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }
    }

    #[test]
    fn a_large_run_returns_freed_memory_at_once_and_a_small_one_keeps_the_delay() {
        // The option number is mimalloc's purge delay: 1000 ms unless the environment sets it.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(purge_delay_ms(), 1000);
        }
        let before = purge_delay_ms();
        fit_to_run(LARGE_RUN_FILES - 1);
        assert_eq!(purge_delay_ms(), before);
        fit_to_run(LARGE_RUN_FILES);
        assert_eq!(purge_delay_ms(), 0);
        // SAFETY: as in `fit_to_run`.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, before) };
    }

    #[test]
    fn the_exit_option_is_the_one_before_the_arena_reserve() {
        // SAFETY: reading and setting mimalloc's options has no preconditions.
        let option = |n: c_int| unsafe { mi_option_get(n) };
        // The option after it is the arena reserve, 1 GiB in KiB unless the environment sets
        // it: so the number is destroy_on_exit's, not a neighbour's.
        if std::env::var_os("MIMALLOC_ARENA_RESERVE").is_none() {
            assert_eq!(option(MI_OPTION_DESTROY_ON_EXIT + 1), 1024 * 1024);
        }
        // And before it the warnings' limit, 32 by default.
        if std::env::var_os("MIMALLOC_MAX_WARNINGS").is_none() {
            assert_eq!(option(MI_OPTION_DESTROY_ON_EXIT - 2), 32);
        }
        skip_release_at_exit();
        assert_eq!(option(MI_OPTION_DESTROY_ON_EXIT), 2);
    }
}
