//! Memory budgets for reading, checked before anything is allocated. Limits per sheet are not
//! enough: a 14 KB workbook of 20 sheets, each with one stray value far away, once asked for
//! 4.2 GB and aborted the run. So every workbook has a budget of bytes (`[limits]
//! max_workbook_bytes`) that its reading may use — the package it unpacks, the cells it keeps
//! — charged before each allocation, and the run as a whole has one too (`max_run_bytes`):
//! workbooks are read in parallel only as many at a time as their budgets fit in it.

use std::sync::{Condvar, Mutex};

use super::guard::{GuardError, Limits};

/// What a workbook may still allocate while it is read. Charged before each allocation;
/// a charge that does not fit refuses the workbook.
#[derive(Debug)]
pub struct WorkbookBudget {
    remaining: u64,
    limit: u64,
}

impl WorkbookBudget {
    /// The budget of one workbook under `limits`.
    pub fn new(limits: &Limits) -> Self {
        Self {
            remaining: limits.max_workbook_bytes,
            limit: limits.max_workbook_bytes,
        }
    }

    /// Takes `bytes` from the budget, or refuses the workbook (nothing is taken then).
    pub fn charge(&mut self, bytes: u64) -> Result<(), GuardError> {
        if bytes > self.remaining {
            return Err(GuardError::OverBudget {
                needed: megabytes((self.limit - self.remaining).saturating_add(bytes)),
                limit: megabytes(self.limit),
            });
        }
        self.remaining -= bytes;
        Ok(())
    }

    /// What has been charged so far.
    pub fn used(&self) -> u64 {
        self.limit - self.remaining
    }
}

fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// Bytes reserved by the workbooks being read right now, across the process.
static IN_FLIGHT: Mutex<u64> = Mutex::new(0);
static RELEASED: Condvar = Condvar::new();

/// A workbook's share of the run's budget, held while it is read.
#[derive(Debug)]
pub struct Reservation {
    bytes: u64,
}

/// Waits until the workbook's whole budget fits in the run's beside the workbooks being read,
/// then reserves it. One workbook is always let through, so a budget larger than the run's
/// (a configuration mistake) slows the run down but never stops it. Reading takes no other
/// lock and starts no parallel work, so waiting here cannot deadlock.
pub fn reserve(limits: &Limits) -> Reservation {
    let bytes = limits.max_workbook_bytes;
    let mut in_flight = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
    while *in_flight > 0 && in_flight.saturating_add(bytes) > limits.max_run_bytes {
        in_flight = RELEASED.wait(in_flight).unwrap_or_else(|e| e.into_inner());
    }
    *in_flight = in_flight.saturating_add(bytes);
    Reservation { bytes }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut in_flight = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
        *in_flight = in_flight.saturating_sub(self.bytes);
        RELEASED.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charge_that_does_not_fit_refuses_and_takes_nothing() {
        let limits = Limits {
            max_workbook_bytes: 3 * 1024 * 1024,
            ..Limits::default()
        };
        let mut budget = WorkbookBudget::new(&limits);
        budget.charge(2 * 1024 * 1024).expect("fits");
        let refused = budget.charge(2 * 1024 * 1024).expect_err("over");
        assert_eq!(
            refused,
            GuardError::OverBudget {
                needed: 4,
                limit: 3
            }
        );
        assert_eq!(budget.used(), 2 * 1024 * 1024);
        budget.charge(1024 * 1024).expect("the rest still fits");
    }

    #[test]
    fn the_run_lets_only_as_many_workbooks_read_at_once_as_fit() {
        use std::sync::atomic::{AtomicU64, Ordering};
        use std::sync::Arc;
        // Budgets of 1 GB in a run of 2 GB: at most two at a time, whatever else runs in
        // this process (other tests reserve far less than 1 GB).
        let limits = Limits {
            max_workbook_bytes: 1 << 30,
            max_run_bytes: 2 << 30,
            ..Limits::default()
        };
        let now = Arc::new(AtomicU64::new(0));
        let most = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let (now, most) = (now.clone(), most.clone());
                std::thread::spawn(move || {
                    let _held = reserve(&limits);
                    let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(current, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    now.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("joins");
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=2).contains(&most), "{most}");
    }
}
