//! One run at a time per output folder. The lock is an OS file lock (`flock`), which the
//! kernel releases when the process ends however it ends, so a crashed run never leaves a
//! lock that blocks the next one.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The lock file's name inside the output folder.
pub const LOCK_FILE: &str = ".baocao.lock";

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
    pub path: PathBuf,
}

/// What trying to take the lock gave.
#[derive(Debug)]
pub enum LockAttempt {
    Acquired(RunLock),
    /// Another run holds it; its pid as written in the file, if readable.
    Busy {
        holder: String,
    },
}

/// Takes the lock of `output_dir` without waiting.
pub fn try_lock(output_dir: &Path) -> Result<LockAttempt> {
    std::fs::create_dir_all(output_dir)
        .with_context(|| format!("không tạo được thư mục đầu ra {}", output_dir.display()))?;
    let path = output_dir.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .with_context(|| format!("không mở được tệp khoá {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0).ok();
            let _ = writeln!(file, "{}", std::process::id());
            Ok(LockAttempt::Acquired(RunLock { _file: file, path }))
        }
        Err(TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path)
                .unwrap_or_default()
                .trim()
                .to_string();
            Ok(LockAttempt::Busy { holder })
        }
        Err(TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("không khoá được {}", path.display()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = match try_lock(dir.path()).expect("lock") {
            LockAttempt::Acquired(lock) => lock,
            LockAttempt::Busy { .. } => panic!("first lock must succeed"),
        };
        match try_lock(dir.path()).expect("second attempt") {
            LockAttempt::Busy { holder } => assert_eq!(holder, std::process::id().to_string()),
            LockAttempt::Acquired(_) => panic!("second lock must be refused"),
        }
        drop(first);
        assert!(matches!(
            try_lock(dir.path()).expect("third"),
            LockAttempt::Acquired(_)
        ));
    }
}
