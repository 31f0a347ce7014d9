//! Exit statuses, the contract with cron and monitoring (README, "Mã thoát").

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every expected unit submitted and nothing was rejected.
    Complete = 0,
    /// Nothing could be produced: bad configuration, no readable input.
    Failed = 1,
    /// Documents written, but a submission was rejected or a unit is missing.
    Partial = 2,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}
