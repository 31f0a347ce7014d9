//! Programs baocao starts (LibreOffice, or the `[libreoffice] command` an administrator
//! names) run with baocao's environment, which under systemd holds the SMTP password
//! (`EnvironmentFile=/etc/baocao/smtp.env`). Nothing but baocao needs it: every child is
//! started through [`command`], which removes it, so a converter, a wrapper script or
//! anything they start cannot read or log it.

use std::ffi::OsStr;
use std::process::Command;

/// Variables no child process inherits. `BAOCAO_SMTP_PASSWORD` is the SMTP password of
/// `[delivery]` (README, "Delivery by e-mail").
pub const SECRET_VARIABLES: &[&str] = &["BAOCAO_SMTP_PASSWORD"];

/// A command for `program` whose environment is baocao's without [`SECRET_VARIABLES`].
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    for name in SECRET_VARIABLES {
        command.env_remove(name);
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_variable_is_removed_from_every_child() {
        let command = command("soffice");
        let removed: Vec<_> = command
            .get_envs()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name.to_string_lossy().into_owned())
            .collect();
        assert_eq!(removed, ["BAOCAO_SMTP_PASSWORD"]);
    }
}
