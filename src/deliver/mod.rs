//! Stage 5, deliver: put the outputs in place so that each is complete or absent. Files
//! are written into a staging folder beside the target and the folder replaces the period's
//! folder with renames, so a crash never leaves a half-written report where people look.

pub mod atomic;
pub mod email;
pub mod feedback;
pub mod lock;
pub mod manifest;
pub mod run_log;
pub mod texts;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use atomic::sync_dir;

/// One finished output, in memory until delivered.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Writes `files` as the content of `output_dir/folder_name`, replacing what was there, as
/// the folder's owner ([`lock::check_owner`]). Returns the final paths. Two files of one name
/// are refused before anything is written: the second would silently replace the first, and
/// the manifest would list a hash that matches no file.
pub fn deliver(output_dir: &Path, folder_name: &str, files: &[OutputFile]) -> Result<Vec<PathBuf>> {
    deliver_with(output_dir, folder_name, files, || Ok(Vec::new())).map(|(paths, _)| paths)
}

/// [`deliver`], with files made while the others are written: `last` runs as soon as the
/// writing of `files` has begun, and what it returns is written with them, so that making
/// the files that describe the others (the manifest, the run log) overlaps the flushes to
/// disk rather than waiting in front of them. Returns every final path, `files` first, and
/// the files `last` made.
pub fn deliver_with(
    output_dir: &Path,
    folder_name: &str,
    files: &[OutputFile],
    last: impl FnOnce() -> Result<Vec<OutputFile>>,
) -> Result<(Vec<PathBuf>, Vec<OutputFile>)> {
    // Commands that write without the run lock (`forms`) must not leave another user's files.
    lock::check_owner(output_dir)?;
    refuse_twice(files.iter(), output_dir, folder_name)?;
    fs::create_dir_all(output_dir)
        .with_context(|| format!("không tạo được thư mục đầu ra {}", output_dir.display()))?;
    let pid = std::process::id();
    let staging = output_dir.join(format!(".dang-ghi-{folder_name}-{pid}"));
    let target = output_dir.join(folder_name);
    let retired = output_dir.join(format!(".cu-{folder_name}-{pid}"));
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .with_context(|| format!("không xoá được {}", staging.display()))?;
    }
    fs::create_dir_all(&staging)
        .with_context(|| format!("không tạo được {}", staging.display()))?;
    let made = std::sync::OnceLock::new();
    let written = write_all(&staging, files, || {
        let late = last()?;
        refuse_twice(files.iter().chain(&late), output_dir, folder_name)?;
        Ok(made.get_or_init(|| late).as_slice())
    });
    if let Err(error) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    let late = made.into_inner().unwrap_or_default();
    if target.exists() {
        fs::rename(&target, &retired)
            .with_context(|| format!("không thay được {}", target.display()))?;
    }
    if let Err(error) = fs::rename(&staging, &target) {
        // Put the previous outputs back rather than leave nothing.
        let _ = fs::rename(&retired, &target);
        let _ = fs::remove_dir_all(&staging);
        return Err(error)
            .with_context(|| format!("không đưa được kết quả vào {}", target.display()));
    }
    if retired.exists() {
        let _ = fs::remove_dir_all(&retired);
    }
    sync_dir(output_dir);
    let paths = files.iter().chain(&late).map(|f| target.join(&f.name));
    Ok((paths.collect(), late))
}

/// Two files of one name: the second would silently replace the first, and the manifest
/// would list a hash that matches no file.
fn refuse_twice<'a>(
    files: impl Iterator<Item = &'a OutputFile>,
    output_dir: &Path,
    folder_name: &str,
) -> Result<()> {
    let mut names = std::collections::HashSet::new();
    for file in files {
        if !names.insert(file.name.as_str()) {
            anyhow::bail!(
                "hai tệp kết quả cùng tên {}: không ghi gì vào {}",
                file.name,
                output_dir.join(folder_name).display()
            );
        }
    }
    Ok(())
}

/// Writes every file and makes it durable, several at a time: the largest first, each
/// taken by the next free thread, so the copying of tens of megabytes (the manifest and the
/// log at 50,000 files) is shared out, and the flushes, which wait on the disk, are in flight
/// together: one flush after another cost 20 ms a file on a busy virtual disk, all at once
/// 25 ms for twenty.
///
/// `last` is called on this thread once the workers have started on `files`; the files it
/// returns join the queue behind them.
fn write_all<'a>(
    dir: &Path,
    files: &'a [OutputFile],
    last: impl FnOnce() -> Result<&'a [OutputFile]>,
) -> Result<()> {
    let mut order: Vec<&OutputFile> = files.iter().collect();
    order.sort_by_key(|file| std::cmp::Reverse(file.bytes.len()));
    let queue = WriteQueue::new(order);
    let write_one = |file: &OutputFile| -> Result<()> {
        let path = dir.join(&file.name);
        // Names may hold one subfolder (`phan-hoi/GDTrH.txt`), made on the way.
        if let Some(parent) = path.parent().filter(|parent| *parent != dir) {
            fs::create_dir_all(parent)
                .with_context(|| format!("không tạo được {}", parent.display()))?;
        }
        let mut handle = fs::File::create(&path)
            .with_context(|| format!("không tạo được {}", path.display()))?;
        handle
            .write_all(&file.bytes)
            .and_then(|()| handle.sync_all())
            .with_context(|| format!("không ghi được {}", path.display()))
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..SYNC_THREADS)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    while let Some(file) = queue.next() {
                        if let Err(error) = write_one(file) {
                            queue.abandon();
                            return Err(error);
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        // Should `last` panic, the threads are let go before the panic goes on.
        let closing = CloseOnDrop(&queue);
        let (late, failed) = match last() {
            Ok(late) => (late, None),
            Err(error) => (&[][..], Some(error)),
        };
        queue.close(late);
        drop(closing);
        let written = workers.into_iter().try_for_each(|worker| {
            worker
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("luồng ghi đĩa dừng bất thường")))
        });
        failed.map_or(written, Err)
    })?;
    sync_dir(dir);
    Ok(())
}

/// Closes the queue when dropped, so that no thread waits for files that will not come.
struct CloseOnDrop<'q, 'a>(&'q WriteQueue<'a>);

impl Drop for CloseOnDrop<'_, '_> {
    fn drop(&mut self) {
        self.0.close(&[]);
    }
}

/// The files still to write, shared by the writing threads; more may come until it is
/// closed.
struct WriteQueue<'a> {
    state: std::sync::Mutex<(std::collections::VecDeque<&'a OutputFile>, bool)>,
    ready: std::sync::Condvar,
}

impl<'a> WriteQueue<'a> {
    fn new(files: Vec<&'a OutputFile>) -> Self {
        WriteQueue {
            state: std::sync::Mutex::new((files.into(), false)),
            ready: std::sync::Condvar::new(),
        }
    }

    /// The next file to write; `None` once the queue is closed and empty.
    fn next(&self) -> Option<&'a OutputFile> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(file) = state.0.pop_front() {
                return Some(file);
            }
            if state.1 {
                return None;
            }
            state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Adds the last files and lets the threads finish once they are written; once closed,
    /// nothing more is added.
    fn close(&self, last: &'a [OutputFile]) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !state.1 {
            state.0.extend(last);
            state.1 = true;
        }
        self.ready.notify_all();
    }

    /// After a failed write: nothing more is written.
    fn abandon(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0.clear();
        state.1 = true;
        self.ready.notify_all();
    }
}

/// At most this many files are written and flushed at once (and as many are open).
const SYNC_THREADS: usize = 16;

/// Cleans up after a run that was killed: staging folders are removed, and a period folder
/// that was moved aside but not replaced is put back. Call with the run lock held.
pub fn recover(output_dir: &Path) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let Ok(entries) = fs::read_dir(output_dir) else {
        return Ok(notes);
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    for name in names {
        let path = output_dir.join(&name);
        if name.starts_with(".dang-ghi-") {
            fs::remove_dir_all(&path)
                .with_context(|| format!("không xoá được {}", path.display()))?;
            notes.push(format!("đã xoá thư mục tạm của lần chạy bị ngắt: {name}"));
        } else if let Some(rest) = name.strip_prefix(".cu-") {
            let folder = rest.rsplit_once('-').map_or(rest, |(folder, _pid)| folder);
            let target = output_dir.join(folder);
            if target.exists() {
                fs::remove_dir_all(&path)
                    .with_context(|| format!("không xoá được {}", path.display()))?;
            } else {
                fs::rename(&path, &target)
                    .with_context(|| format!("không khôi phục được {}", target.display()))?;
                notes.push(format!("đã khôi phục kết quả trước đó của kỳ {folder}"));
            }
        }
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> OutputFile {
        OutputFile {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn two_files_of_one_name_are_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let error = deliver(
            dir.path(),
            "2025-11",
            &[file("phu-luc.pdf", "docx"), file("phu-luc.pdf", "xlsx")],
        )
        .expect_err("duplicate names");
        assert!(
            error.to_string().contains("cùng tên phu-luc.pdf"),
            "{error}"
        );
        assert!(!dir.path().join("2025-11").exists());
    }

    #[test]
    fn delivery_replaces_the_folder_and_leaves_no_staging() {
        let dir = tempfile::tempdir().expect("temp dir");
        deliver(
            dir.path(),
            "2025-11",
            &[file("a.txt", "one"), file("old.txt", "x")],
        )
        .expect("first run");
        let paths = deliver(dir.path(), "2025-11", &[file("a.txt", "two")]).expect("second run");
        assert_eq!(paths, [dir.path().join("2025-11/a.txt")]);
        assert_eq!(fs::read_to_string(&paths[0]).expect("read"), "two");
        assert!(
            !dir.path().join("2025-11/old.txt").exists(),
            "stale output removed"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(leftovers, ["2025-11"]);
    }

    #[test]
    fn outputs_may_live_in_a_subfolder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let paths =
            deliver(dir.path(), "2025-11", &[file("phan-hoi/VP.txt", "x")]).expect("written");
        assert_eq!(fs::read_to_string(&paths[0]).expect("read"), "x");
        assert_eq!(paths[0], dir.path().join("2025-11/phan-hoi/VP.txt"));
    }

    #[test]
    fn recovery_restores_a_folder_moved_aside_and_removes_staging() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join(".cu-2025-11-999")).expect("mkdir");
        fs::write(dir.path().join(".cu-2025-11-999/a.txt"), "old").expect("write");
        fs::create_dir_all(dir.path().join(".dang-ghi-2025-11-999")).expect("mkdir");
        fs::write(dir.path().join(".dang-ghi-2025-11-999/a.txt"), "half").expect("write");
        let notes = recover(dir.path()).expect("recover");
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(
            fs::read_to_string(dir.path().join("2025-11/a.txt")).expect("restored"),
            "old"
        );
        assert!(!dir.path().join(".dang-ghi-2025-11-999").exists());
    }

    #[test]
    fn a_failed_write_keeps_the_previous_outputs() {
        let dir = tempfile::tempdir().expect("temp dir");
        deliver(dir.path(), "2025-11", &[file("a.txt", "one")]).expect("first run");
        // A name no file system accepts makes the write fail midway.
        let error = deliver(
            dir.path(),
            "2025-11",
            &[file("b.txt", "x"), file("c\0.txt", "x")],
        );
        assert!(error.is_err());
        assert_eq!(
            fs::read_to_string(dir.path().join("2025-11/a.txt")).expect("kept"),
            "one"
        );
    }

    #[test]
    fn files_made_while_the_others_are_written_are_delivered_with_them() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [file("bao-cao.docx", "docx"), file("phan-hoi/VP.txt", "vp")];
        let (paths, late) = deliver_with(dir.path(), "2025-11", &files, || {
            // What describes the others is made from them, as the manifest is.
            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
            Ok(vec![file("manifest.json", &names.join(","))])
        })
        .expect("delivered");
        let folder = dir.path().join("2025-11");
        assert_eq!(
            paths,
            [
                folder.join("bao-cao.docx"),
                folder.join("phan-hoi/VP.txt"),
                folder.join("manifest.json")
            ]
        );
        assert_eq!(late.len(), 1);
        assert_eq!(
            fs::read_to_string(folder.join("manifest.json")).expect("read"),
            "bao-cao.docx,phan-hoi/VP.txt"
        );
        assert_eq!(
            fs::read_to_string(folder.join("phan-hoi/VP.txt")).expect("read"),
            "vp"
        );
    }

    #[test]
    fn a_panic_while_the_late_files_are_made_is_not_a_hang() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().to_path_buf();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| {
                deliver_with(&path, "2025-11", &[file("a.txt", "one")], || {
                    panic!("the manifest could not be made")
                })
            });
            let _ = done.send(outcome.is_err());
        });
        let panicked = finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("deliver_with hung: its threads waited for files that never came");
        assert!(panicked);
        assert!(!dir.path().join("2025-11").exists());
    }

    #[test]
    fn a_late_file_that_fails_or_repeats_a_name_leaves_the_previous_outputs() {
        let dir = tempfile::tempdir().expect("temp dir");
        deliver(dir.path(), "2025-11", &[file("a.txt", "one")]).expect("first run");
        let files = [file("a.txt", "two"), file("b.txt", "two")];
        let failed = deliver_with(dir.path(), "2025-11", &files, || {
            anyhow::bail!("không lập được manifest")
        });
        let error = failed.expect_err("the late file failed");
        assert!(error.to_string().contains("manifest"), "{error}");
        let twice = deliver_with(dir.path(), "2025-11", &files, || {
            Ok(vec![file("b.txt", "three")])
        });
        let error = twice.expect_err("two files named b.txt");
        assert!(error.to_string().contains("cùng tên b.txt"), "{error}");
        let folder = dir.path().join("2025-11");
        assert_eq!(
            fs::read_to_string(folder.join("a.txt")).expect("kept"),
            "one"
        );
        assert!(!folder.join("b.txt").exists());
        let left: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(left.len(), 1, "staging left behind: {left:?}");
    }
}
