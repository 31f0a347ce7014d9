//! The one way a run replaces a single file (the manifest, the run log, the ledger of what
//! was sent, the `copy_to` copies): a temporary file in the same folder, synced, renamed over
//! the target, and the folder synced, so the file is complete or absent after a crash.
//!
//! The temporary file is created with the mode every other output gets (0666 less the
//! process umask: 0644 under the usual 022, whatever systemd's `UMask=` says otherwise), not
//! with the 0600 that temporary files get by default: a rename keeps the temporary's mode,
//! and a manifest or a copy on the document share that nobody else can read is a broken
//! output.

use std::io::Write;
use std::path::Path;

/// The mode asked for when a file is created; the kernel removes the umask's bits, as it
/// does for `File::create`.
const CREATE_MODE: u32 = 0o666;

/// Writes `bytes` to `path` under a temporary name in the same folder, then renames it into
/// place and syncs the folder (an error if that fails). Creates the folder when missing.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    // Hidden and ending in `.tmp`, the names a run's cleanup removes (`history`).
    builder.prefix(".").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(CREATE_MODE));
    }
    let mut temp = builder.tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    // An error here is reported: the ledger must not pass for written when it may not be.
    std::fs::File::open(dir)?.sync_all()
}

/// Makes a rename in `dir` durable where the platform allows it (best effort, for the
/// staging folders of `deliver`).
pub fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_replaced_file_gets_the_mode_of_a_created_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let created = dir.path().join("created.txt");
        std::fs::write(&created, "x").expect("write");
        let replaced = dir.path().join("sub/manifest.json");
        write_atomically(&replaced, b"one").expect("first");
        write_atomically(&replaced, b"two").expect("second");
        assert_eq!(std::fs::read(&replaced).expect("read"), b"two");
        let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        // Both had the umask removed from 0666; a temporary file's default would be 0600.
        assert_eq!(mode(&replaced), mode(&created));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, ["manifest.json"], "no temporary left");
    }
}
