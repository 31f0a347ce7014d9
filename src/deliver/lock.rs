//! One run at a time per output folder, and only as the folder's owner. The lock is an OS
//! file lock (`flock`), which the kernel releases when the process ends however it ends, so a
//! crashed run never leaves a lock that blocks the next one.
//!
//! Every file a run leaves (the lock, the history, the ledger, the period's folders) belongs
//! to whoever ran it. A run by hand as root in the service's folder would leave them owned
//! by root, and every later run of the service (user `baocao`) would fail on them; so a run
//! as another user than the folder's owner stops before touching anything and says which
//! command to use instead (`sudo -u baocao baocao …`).

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

/// A run as another user than the output folder's owner, refused before anything is done.
#[derive(Debug, thiserror::Error)]
#[error("thư mục đầu ra {folder} thuộc người dùng {owner}, còn lần chạy này là của người dùng {runner}: các tệp nó để lại (tệp khoá, lịch sử số liệu, sổ gửi thư, thư mục kết quả) sẽ thuộc {runner} và các lần chạy sau của {owner} (dịch vụ baocao) không ghi được. Lần chạy này dừng, không thay đổi gì; chạy lại bằng người dùng {owner}: {command}")]
pub struct WrongUser {
    pub folder: String,
    pub owner: String,
    pub runner: String,
    /// This very command line, prefixed with `sudo -u OWNER`.
    pub command: String,
}

/// Refuses to write into `output_dir` when it exists and belongs to another user than the
/// one this process runs as (effective uid). A folder that does not exist yet is made by
/// this run and so is its own.
pub fn check_owner(output_dir: &Path) -> Result<(), WrongUser> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(metadata) = std::fs::metadata(output_dir) else {
            return Ok(());
        };
        // SAFETY: geteuid(2) has no preconditions and touches no memory of this process.
        let runner = unsafe { libc::geteuid() };
        if metadata.uid() != runner {
            let owner = user_name(metadata.uid());
            return Err(WrongUser {
                folder: output_dir.display().to_string(),
                command: format!(
                    "sudo -u {} {}",
                    shell_word(&owner),
                    std::env::args_os()
                        .map(|a| shell_word(&a.to_string_lossy()))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                owner,
                runner: user_name(runner),
            });
        }
    }
    Ok(())
}

/// The user's name from `/etc/passwd`, else `#UID` (as `sudo -u` accepts it).
fn user_name(uid: u32) -> String {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    name_in_passwd(&passwd, uid).unwrap_or_else(|| format!("#{uid}"))
}

fn name_in_passwd(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id: u32 = fields.nth(1)?.parse().ok()?;
        (id == uid && !name.is_empty()).then(|| name.to_string())
    })
}

/// A word as a shell reads it back: quoted when it holds anything but plain characters.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Takes the lock of `output_dir` without waiting, after [`check_owner`].
pub fn try_lock(output_dir: &Path) -> Result<LockAttempt> {
    check_owner(output_dir)?;
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

    #[test]
    fn the_right_command_names_the_owner_and_quotes_what_needs_it() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\nbaocao:x:998:998::/var/lib/baocao:/usr/sbin/nologin\n";
        assert_eq!(name_in_passwd(passwd, 998).as_deref(), Some("baocao"));
        assert_eq!(name_in_passwd(passwd, 0).as_deref(), Some("root"));
        assert_eq!(name_in_passwd(passwd, 4242), None);
        assert_eq!(shell_word("--period"), "--period");
        assert_eq!(
            shell_word("/var/lib/baocao/output"),
            "/var/lib/baocao/output"
        );
        assert_eq!(shell_word("#4242"), "'#4242'");
        assert_eq!(shell_word("Báo cáo"), "'Báo cáo'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }

    #[test]
    fn a_folder_of_ones_own_or_not_yet_made_is_fine() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(check_owner(dir.path()).is_ok());
        assert!(check_owner(&dir.path().join("chua-co")).is_ok());
    }
}
