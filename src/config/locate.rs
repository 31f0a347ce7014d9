//! Where the configuration comes from, in the order an administrator expects of a system
//! tool: `--config`, then `BAOCAO_CONFIG`, then `./config/baocao.toml`, then
//! `/etc/baocao/baocao.toml`. Only when none exists does the built-in sample configuration
//! apply, and then the run says so: a cron job started in `$HOME` must not silently report
//! with another organisation's settings. Unattended (no terminal), it is refused altogether,
//! and it never sends mail.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// The environment variable that names the configuration file.
pub const CONFIG_ENV: &str = "BAOCAO_CONFIG";
/// The configuration beside the working directory (a checkout, or `/srv/baocao`).
pub const WORKING_DIR_CONFIG: &str = "config/baocao.toml";
/// The configuration the Debian package installs.
pub const SYSTEM_CONFIG: &str = "/etc/baocao/baocao.toml";

/// Which step of the search found the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigOrigin {
    /// `--config FILE`.
    CommandLine,
    /// `BAOCAO_CONFIG=FILE`.
    Environment,
    /// `./config/baocao.toml`.
    WorkingDirectory,
    /// `/etc/baocao/baocao.toml`.
    System,
    /// Nothing found: the sample configuration compiled into the binary.
    Builtin,
}

impl fmt::Display for ConfigOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CommandLine => "theo --config",
            Self::Environment => "theo biến môi trường BAOCAO_CONFIG",
            Self::WorkingDirectory => "trong thư mục làm việc",
            Self::System => "cấu hình hệ thống",
            Self::Builtin => "cấu hình mẫu cài sẵn",
        })
    }
}

/// The configuration file to read, or none for the built-in one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub origin: ConfigOrigin,
    pub path: Option<PathBuf>,
}

/// Searches the usual places, in order.
pub fn locate(explicit: Option<&Path>) -> Located {
    locate_in(
        explicit,
        std::env::var_os(CONFIG_ENV),
        Path::new(WORKING_DIR_CONFIG),
        Path::new(SYSTEM_CONFIG),
    )
}

/// [`locate`] with every place given, so that each step can be tested. A file named on the
/// command line or in the environment is taken even if it does not exist: reading it then
/// fails with its name, rather than another file being used in its place.
pub fn locate_in(
    explicit: Option<&Path>,
    environment: Option<OsString>,
    working_dir: &Path,
    system: &Path,
) -> Located {
    if let Some(path) = explicit {
        return Located {
            origin: ConfigOrigin::CommandLine,
            path: Some(path.to_path_buf()),
        };
    }
    if let Some(value) = environment.filter(|v| !v.is_empty()) {
        return Located {
            origin: ConfigOrigin::Environment,
            path: Some(PathBuf::from(value)),
        };
    }
    for (origin, path) in [
        (ConfigOrigin::WorkingDirectory, working_dir),
        (ConfigOrigin::System, system),
    ] {
        if path.is_file() {
            return Located {
                origin,
                path: Some(path.to_path_buf()),
            };
        }
    }
    Located {
        origin: ConfigOrigin::Builtin,
        path: None,
    }
}

/// The warning printed and logged when the built-in configuration is used.
pub fn builtin_warning() -> String {
    format!(
        "không tìm thấy tệp cấu hình (--config, biến {CONFIG_ENV}, ./{WORKING_DIR_CONFIG}, {SYSTEM_CONFIG}); đang dùng cấu hình mẫu cài sẵn ({}) — báo cáo mang tên, người ký và đơn vị của cấu hình mẫu",
        builtin_organisation()
    )
}

/// `Sở GDĐT Hải Phòng`: whose sample the built-in configuration is, read from it rather than
/// written here.
pub fn builtin_organisation() -> String {
    super::Config::from_toml(super::BUILTIN_CONFIG)
        .map(|config| {
            format!(
                "{} {}",
                config.organisation.short_name, config.organisation.place
            )
        })
        .unwrap_or_default()
}

/// Whether a person may be watching the run: standard input or standard error is a
/// terminal. Under cron or systemd neither is, and then the built-in sample is refused: a
/// report with another organisation's name, signatory and units must not go out unseen.
pub fn attended() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() || std::io::stderr().is_terminal()
}

/// Why an unattended run without a configuration file stops (exit 1).
pub fn unattended_refusal() -> String {
    format!(
        "không tìm thấy tệp cấu hình (--config, biến {CONFIG_ENV}, ./{WORKING_DIR_CONFIG}, {SYSTEM_CONFIG}) và không có ai theo dõi lần chạy này (đầu vào và luồng lỗi không phải terminal, như khi chạy từ cron hay systemd): dừng, không dùng cấu hình mẫu cài sẵn ({}). Ghi tệp cấu hình bằng --config hoặc biến {CONFIG_ENV}, hoặc chạy trong thư mục có {WORKING_DIR_CONFIG}",
        builtin_organisation()
    )
}

/// A path as the administrator would look for it: absolute and without `..` (the real path
/// when the file exists).
pub fn display_path(path: &Path) -> String {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Places {
        _dir: tempfile::TempDir,
        working: PathBuf,
        system: PathBuf,
    }

    fn places(working: bool, system: bool) -> Places {
        let dir = tempfile::tempdir().expect("temp dir");
        let working_path = dir.path().join("work/config/baocao.toml");
        let system_path = dir.path().join("etc/baocao/baocao.toml");
        for (wanted, path) in [(working, &working_path), (system, &system_path)] {
            if wanted {
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(path, "").expect("write");
            }
        }
        Places {
            _dir: dir,
            working: working_path,
            system: system_path,
        }
    }

    #[test]
    fn each_step_of_the_search_in_order() {
        let all = places(true, true);
        let explicit = Path::new("/tmp/khac.toml");
        let env = Some(OsString::from("/srv/bien.toml"));

        let found = locate_in(Some(explicit), env.clone(), &all.working, &all.system);
        assert_eq!(found.origin, ConfigOrigin::CommandLine);
        assert_eq!(found.path.as_deref(), Some(explicit));

        let found = locate_in(None, env, &all.working, &all.system);
        assert_eq!(found.origin, ConfigOrigin::Environment);
        assert_eq!(found.path, Some(PathBuf::from("/srv/bien.toml")));

        let found = locate_in(None, Some(OsString::new()), &all.working, &all.system);
        assert_eq!(found.origin, ConfigOrigin::WorkingDirectory);
        assert_eq!(found.path.as_deref(), Some(all.working.as_path()));

        let only_system = places(false, true);
        let found = locate_in(None, None, &only_system.working, &only_system.system);
        assert_eq!(found.origin, ConfigOrigin::System);
        assert_eq!(found.path.as_deref(), Some(only_system.system.as_path()));

        let none = places(false, false);
        let found = locate_in(None, None, &none.working, &none.system);
        assert_eq!(found.origin, ConfigOrigin::Builtin);
        assert_eq!(found.path, None);
    }

    #[test]
    fn a_named_file_that_does_not_exist_is_still_the_one_taken() {
        let all = places(true, true);
        let missing = Path::new("/khong/co/baocao.toml");
        let found = locate_in(Some(missing), None, &all.working, &all.system);
        assert_eq!(found.path.as_deref(), Some(missing));
        let found = locate_in(None, Some(missing.into()), &all.working, &all.system);
        assert_eq!(found.origin, ConfigOrigin::Environment);
        assert_eq!(found.path.as_deref(), Some(missing));
    }
}
