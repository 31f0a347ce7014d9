//! Finding the files to read: every file under the input folder, sorted so that runs are
//! repeatable, without following links out of the folder.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

/// A file found in the input folder.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path relative to the input folder, as messages name it (control characters
    /// escaped; `path` is the real one).
    pub display: String,
    /// Size and time, as [`discover`] found them; 0 and `None` from [`list`].
    pub size: u64,
    pub modified: Option<SystemTime>,
    pub kind: FileKind,
}

/// What the file name suggests; the content decides in the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Workbook,
    /// A Word document (`.docx`, `.doc`): read as a plan when it holds an assignment table.
    WordDocument,
    /// A document dropped by mistake (`.docx`, `.pdf`, …): noticed, not read.
    OtherDocument,
    /// Lock files of office programs (`~$x.xlsx`, `.~lock.x.ods#`) and hidden files.
    Ignored,
}

/// Lists the input folder recursively, with each file's size and time. Symbolic links are
/// not followed.
pub fn discover(root: &Path) -> std::io::Result<Vec<InputFile>> {
    let mut files = list(root)?;
    // Each file's size and time cost a system call: on both cores, not one after another
    // (50,000 files: about a tenth of a second saved before reading starts).
    files.par_iter_mut().for_each(|file| {
        if let Ok(metadata) = std::fs::symlink_metadata(&file.path) {
            file.size = metadata.len();
            file.modified = metadata.modified().ok();
        }
    });
    Ok(files)
}

/// [`discover`] without the sizes and times (left 0 and `None`), for a reader that opens
/// every file anyway and takes them from the open handle ([`super::opened::OpenedFile`]).
pub fn list(root: &Path) -> std::io::Result<Vec<InputFile>> {
    if !root.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("không tìm thấy thư mục đầu vào {}", root.display()),
        ));
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(root).follow_links(false).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        // Escaped: a name with a line break must not start a line of its own in the logs.
        let display = crate::text::escaped(
            path.strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/"),
        );
        files.push(InputFile {
            kind: classify(&path),
            size: 0,
            modified: None,
            path,
            display,
        });
    }
    Ok(files)
}

fn classify(path: &Path) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if name.starts_with("~$") || name.starts_with(".~lock") || name.starts_with('.') {
        return FileKind::Ignored;
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => FileKind::Workbook,
        "docx" | "doc" => FileKind::WordDocument,
        // Read too (templates, Excel's binary workbook), or named with what to do instead
        // (flat ODS, separated values): the content decides (`ingest::sniff`).
        "xlsb" | "xltx" | "xltm" | "xlt" | "ots" | "fods" | "csv" | "tsv" => FileKind::Workbook,
        _ => FileKind::OtherDocument,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_recursively_in_name_order_and_classifies() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("đợt 2")).expect("mkdir");
        for name in [
            "b.xlsx",
            "a.ODS",
            "đợt 2/c.xls",
            "ghi chú.docx",
            "~$b.xlsx",
            "d.xlsb",
            "e.csv",
        ] {
            std::fs::write(dir.path().join(name), b"x").expect("write");
        }
        let files = discover(dir.path()).expect("discover");
        let listed: Vec<(&str, FileKind)> =
            files.iter().map(|f| (f.display.as_str(), f.kind)).collect();
        assert_eq!(
            listed,
            [
                ("a.ODS", FileKind::Workbook),
                ("b.xlsx", FileKind::Workbook),
                ("d.xlsb", FileKind::Workbook),
                ("e.csv", FileKind::Workbook),
                ("ghi chú.docx", FileKind::WordDocument),
                ("~$b.xlsx", FileKind::Ignored),
                ("đợt 2/c.xls", FileKind::Workbook),
            ]
        );
    }

    #[test]
    fn each_file_keeps_its_own_size_and_time() {
        // The time stands in for `Ngày lập` when a form leaves it blank (a late file is
        // judged by it), so each file must get its own, not its neighbour's.
        let dir = tempfile::tempdir().expect("temp dir");
        let day = std::time::Duration::from_secs(86_400);
        let base = SystemTime::UNIX_EPOCH + 20_000 * day;
        let mut expected = Vec::new();
        for n in 0..40u32 {
            let name = format!("{n:02}.xlsx");
            let path = dir.path().join(&name);
            std::fs::write(&path, vec![b'x'; n as usize + 1]).expect("write");
            let time = base + n * day;
            std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(time))
                .expect("set time");
            expected.push((name, u64::from(n) + 1, Some(time)));
        }
        let found: Vec<(String, u64, Option<SystemTime>)> = discover(dir.path())
            .expect("discover")
            .into_iter()
            .map(|f| (f.display, f.size, f.modified))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        assert!(discover(Path::new("/nonexistent/baocao-input")).is_err());
    }
}
