//! PDF copies of the documents, made by LibreOffice when it is installed, for readers who
//! open attachments on a phone. Conversion happens in a private temporary folder before
//! delivery, so PDFs are staged and delivered together with the rest.
//!
//! LibreOffice is a large program that can hang (a stale lock in its profile, a dialog it
//! waits on). A hung conversion must not hold the run, and with it the output folder's lock,
//! forever: each call has a time limit, after which LibreOffice and everything it started are
//! killed and the run goes on without that PDF. Each run uses its own LibreOffice profile, so
//! two runs (or a desktop session of the same user) never wait on each other's.
//!
//! That profile is also where the locale is set ([`LOCALE`]): LibreOffice formats an XLSX's
//! numbers (`#,##0`, `0.0%`) in the profile's locale, which otherwise follows the server's
//! (`LANG=C` under cron gives `3,675` and `6.3%`), so the PDFs of the workbooks would
//! contradict the report they come with (`3.675`, `6,3%`).
//!
//! Each PDF has its own name ([`pdf_name`]): an annex is written as a DOCX and an XLSX of the
//! same stem, and both PDFs must survive.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// The `[libreoffice]` section of the configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibreOfficeSettings {
    /// The command to run; `soffice`, then `libreoffice`, from `PATH` when unset.
    #[serde(default)]
    pub command: Option<PathBuf>,
    /// Seconds one conversion may take before LibreOffice is stopped.
    #[serde(default = "default_timeout_seconds")]
    pub timeout_seconds: u64,
}

fn default_timeout_seconds() -> u64 {
    120
}

impl Default for LibreOfficeSettings {
    fn default() -> Self {
        Self {
            command: None,
            timeout_seconds: default_timeout_seconds(),
        }
    }
}

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("không tạo được thư mục tạm để chuyển PDF: {0}")]
    Workspace(std::io::Error),
    #[error("không chạy được LibreOffice ({program}): {source}")]
    Start {
        program: String,
        source: std::io::Error,
    },
    #[error("LibreOffice không trả lời sau {seconds} giây khi chuyển {name} sang PDF; đã dừng LibreOffice, bỏ qua bản PDF (giới hạn: khóa timeout_seconds trong mục [libreoffice] của cấu hình)")]
    TimedOut { name: String, seconds: u64 },
    #[error("LibreOffice không chuyển được {name} sang PDF: {detail}")]
    Failed { name: String, detail: String },
}

impl PdfError {
    /// Whether later conversions are pointless: a LibreOffice that hung once will hang again.
    pub fn stops_the_rest(&self) -> bool {
        matches!(self, Self::TimedOut { .. } | Self::Start { .. })
    }
}

/// A LibreOffice found for this run, with the run's private profile.
#[derive(Debug)]
pub struct Converter {
    program: PathBuf,
    timeout: Duration,
    /// Holds the run's profile and each conversion's files; removed when the run ends.
    workspace: tempfile::TempDir,
}

impl Converter {
    /// Finds LibreOffice (it answers `--version` within the time limit), or `None`.
    pub fn find(settings: &LibreOfficeSettings) -> Option<Self> {
        let timeout = Duration::from_secs(settings.timeout_seconds.max(1));
        let candidates: Vec<PathBuf> = match &settings.command {
            Some(command) => vec![command.clone()],
            None => vec!["soffice".into(), "libreoffice".into()],
        };
        let workspace = tempfile::Builder::new()
            .prefix("baocao-libreoffice-")
            .tempdir()
            .ok()?;
        seed_profile(&workspace.path().join(PROFILE)).ok()?;
        let program = candidates.into_iter().find(|program| {
            let mut command = crate::child::command(program);
            command.arg("--version");
            matches!(
                run_with_limit(command, timeout, workspace.path()),
                Ok(Finished::Exited(true))
            )
        })?;
        Some(Self {
            program,
            timeout,
            workspace,
        })
    }

    /// Converts one document (DOCX or XLSX bytes named `name`) to PDF bytes.
    pub fn convert(&self, name: &str, bytes: &[u8]) -> Result<Vec<u8>, PdfError> {
        self.convert_to(name, bytes, "pdf")
    }

    /// Converts one document to a format LibreOffice writes, named by its extension (`pdf`;
    /// `docx` for a Word 97–2003 plan), within the same time limit and private profile.
    pub fn convert_to(&self, name: &str, bytes: &[u8], format: &str) -> Result<Vec<u8>, PdfError> {
        let work = tempfile::tempdir_in(self.workspace.path()).map_err(PdfError::Workspace)?;
        let source = work.path().join(name);
        std::fs::write(&source, bytes).map_err(PdfError::Workspace)?;
        let profile = self.workspace.path().join(PROFILE);
        let mut command = crate::child::command(&self.program);
        command
            .arg(format!("-env:UserInstallation={}", file_url(&profile)))
            .args([
                "--headless",
                "--norestore",
                "--nologo",
                "--convert-to",
                format,
                "--outdir",
            ])
            .arg(work.path())
            .arg(&source);
        let finished = run_with_limit(command, self.timeout, work.path()).map_err(|source| {
            PdfError::Start {
                program: self.program.display().to_string(),
                source,
            }
        })?;
        let pdf = source.with_extension(format);
        match finished {
            Finished::TimedOut => Err(PdfError::TimedOut {
                name: name.to_string(),
                seconds: self.timeout.as_secs(),
            }),
            Finished::Exited(true) if pdf.is_file() => {
                std::fs::read(&pdf).map_err(|error| PdfError::Failed {
                    name: name.to_string(),
                    detail: error.to_string(),
                })
            }
            Finished::Exited(_) => Err(PdfError::Failed {
                name: name.to_string(),
                detail: std::fs::read_to_string(work.path().join(STDERR_FILE))
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            }),
        }
    }
}

/// The locale LibreOffice formats numbers and dates in, whatever the server's: Vietnamese,
/// like the report (`3.675`, `6,3%`).
pub const LOCALE: &str = "vi-VN";

/// The profile's folder inside the run's workspace.
const PROFILE: &str = "profile";

/// Writes the run's LibreOffice profile before its first use: only the settings that matter
/// (the locale), which LibreOffice merges with its defaults when it creates the rest.
fn seed_profile(profile: &Path) -> std::io::Result<()> {
    let user = profile.join("user");
    std::fs::create_dir_all(&user)?;
    std::fs::write(
        user.join("registrymodifications.xcu"),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{LOCALE}</value></prop></item>
</oor:items>
"#
        ),
    )
}

/// The name of a document's PDF: `X.docx` gives `X.pdf`, `X.xlsx` gives `X-xlsx.pdf`, so
/// that the DOCX and the XLSX of one annex (`phu-luc-….docx`, `phu-luc-….xlsx`) never give
/// the same file and the reader sees which document each PDF shows.
pub fn pdf_name(source: &str) -> String {
    let path = Path::new(source);
    let stem = path.with_extension("");
    let suffix = match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("docx") => String::new(),
        Some(ext) => format!("-{}", ext.to_ascii_lowercase()),
        None => String::new(),
    };
    format!("{}{suffix}.pdf", stem.display())
}

/// How a child process ended.
enum Finished {
    /// It exited; `true` on success.
    Exited(bool),
    /// It was still running at the limit and was killed with everything it started.
    TimedOut,
}

const STDERR_FILE: &str = "libreoffice-stderr.txt";

/// Runs `command` in its own process group with a private `HOME` in `dir`, its error output
/// to a file there (a pipe nobody reads could itself block the child), and kills the group
/// if it is still running after `limit`.
fn run_with_limit(mut command: Command, limit: Duration, dir: &Path) -> std::io::Result<Finished> {
    let stderr = std::fs::File::create(dir.join(STDERR_FILE))?;
    command
        .env("HOME", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn()?;
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Finished::Exited(status.success()));
        }
        if Instant::now() >= deadline {
            kill_group(&mut child);
            let _ = child.wait();
            return Ok(Finished::TimedOut);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Kills the child and every process of its group (`soffice` starts `soffice.bin`).
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        if let Ok(pid) = libc::pid_t::try_from(child.id()) {
            // SAFETY: kill(2) with a negative pid signals the process group the child leads;
            // it touches no memory of this process.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
    let _ = child.kill();
}

/// A `file://` URL for LibreOffice's `-env:UserInstallation`.
fn file_url(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut url = String::from("file://");
    for byte in absolute.display().to_string().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(byte as char)
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in for LibreOffice that answers `--version` and then hangs on conversion,
    /// leaving the pid of a grandchild it started, to check that the whole group is stopped.
    fn hanging_stub(dir: &Path) -> PathBuf {
        let stub = dir.join("soffice");
        let pids = dir.join("pids");
        std::fs::write(
            &stub,
            format!(
                "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'LibreOffice 0 stub'; exit 0; fi\nsleep 300 &\necho $! >> {}\nwait\n",
                pids.display()
            ),
        )
        .expect("write stub");
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        stub
    }

    fn alive(pid: i32) -> bool {
        // SAFETY: signal 0 only checks that the process exists.
        unsafe { libc::kill(pid, 0) == 0 }
    }

    #[test]
    fn a_hanging_libreoffice_is_stopped_with_its_children() {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = LibreOfficeSettings {
            command: Some(hanging_stub(dir.path())),
            timeout_seconds: 1,
        };
        let converter = Converter::find(&settings).expect("the stub answers --version");
        let error = converter
            .convert("bao-cao.docx", b"not a docx")
            .expect_err("the stub never writes a PDF");
        assert!(
            matches!(error, PdfError::TimedOut { seconds: 1, .. }),
            "{error}"
        );
        assert!(error.stops_the_rest());
        assert!(
            error.to_string().contains("không trả lời sau 1 giây"),
            "{error}"
        );
        let pids = std::fs::read_to_string(dir.path().join("pids")).expect("stub started");
        let pid: i32 = pids.trim().parse().expect("a pid");
        // The group was killed: the grandchild is gone (reaped by init) or at most a zombie.
        let gone = (0..40).any(|_| {
            let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = state.split(") ").nth(1).is_some_and(|s| s.starts_with('Z'));
            if !alive(pid) || zombie {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
            false
        });
        assert!(gone, "the stub's child {pid} survived");
    }

    #[test]
    fn a_docx_and_an_xlsx_of_one_stem_get_two_pdfs() {
        assert_eq!(
            pdf_name("phu-luc-354-kh-ubnd.docx"),
            "phu-luc-354-kh-ubnd.pdf"
        );
        assert_eq!(
            pdf_name("phu-luc-354-kh-ubnd.xlsx"),
            "phu-luc-354-kh-ubnd-xlsx.pdf"
        );
        assert_eq!(
            pdf_name("so-lieu-thang-2025-11.xlsx"),
            "so-lieu-thang-2025-11-xlsx.pdf"
        );
    }

    #[test]
    fn the_profile_sets_the_vietnamese_locale() {
        let dir = tempfile::tempdir().expect("temp dir");
        seed_profile(&dir.path().join(PROFILE)).expect("profile written");
        let text = std::fs::read_to_string(
            dir.path()
                .join(PROFILE)
                .join("user/registrymodifications.xcu"),
        )
        .expect("registry file");
        assert!(
            text.contains(r#"oor:name="ooSetupSystemLocale" oor:op="fuse"><value>vi-VN</value>"#),
            "{text}"
        );
    }

    #[test]
    fn each_converter_has_its_own_profile_url() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/profile")),
            "file:///tmp/a%20b/profile"
        );
    }
}
