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
    /// Another run holds the output folder; nothing was touched.
    Busy = 3,
    /// Documents written, but delivery failed (server unreachable, login refused): the next
    /// run sends what is still pending.
    DeliveryFailed = 4,
    /// The command line asks for something refused before anything is done (a period after
    /// the current month without its flag): `EX_USAGE`, like a command-line error.
    Usage = 64,
}

/// The error a run returns when another run holds the output folder.
#[derive(Debug, thiserror::Error)]
#[error("một lần chạy khác (tiến trình {holder}) đang ghi vào thư mục {folder}; lần chạy này dừng, không thay đổi gì")]
pub struct OutputBusy {
    pub holder: String,
    pub folder: String,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}
