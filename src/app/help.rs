//! The command line's help in Vietnamese. clap writes its own words in English ("Usage:",
//! "Options:", "[default: …]", "Print help"); every command built from [`crate::cli`] goes
//! through [`localise`], which replaces them for every subcommand and every option, the ones
//! added later included, so `--help`, the completions and the man page say the same thing.

use clap::builder::StyledStr;
use clap::{Arg, ArgAction, Command};

/// The help layout: clap's headings replaced by ours (`{usage}` is ours too, see [`usage`]).
const TEMPLATE: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";
/// The heading of the options in `--help`.
pub const OPTIONS_HEADING: &str = "Tùy chọn";
/// The heading of the positional arguments in `--help`.
pub const ARGUMENTS_HEADING: &str = "Tham số";
/// The heading of the subcommands in `--help`.
pub const COMMANDS_HEADING: &str = "Lệnh";
/// How the subcommand is named in the usage line.
pub const COMMAND_PLACEHOLDER: &str = "LỆNH";

/// Rewrites a command tree built by clap's derive so that everything it prints is Vietnamese:
/// the help and version flags, the headings, the usage line, default and possible values.
pub fn localise(command: Command) -> Command {
    let command = command
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In phiên bản của baocao"),
        )
        .propagate_version(false);
    localise_tree(command, None)
}

fn localise_tree(command: Command, parent: Option<&str>) -> Command {
    let name = match parent {
        Some(parent) => format!("{parent} {}", command.get_name()),
        None => command.get_name().to_string(),
    };
    let command = command
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In hướng dẫn này"),
        )
        .help_template(TEMPLATE)
        .subcommand_help_heading(COMMANDS_HEADING)
        .subcommand_value_name(COMMAND_PLACEHOLDER)
        .mut_args(localise_arg);
    let usage = usage(&command, &name);
    command
        .override_usage(usage)
        .mut_subcommands(|sub| localise_tree(sub, Some(&name)))
}

/// Defaults and choices said in Vietnamese inside the help text, under our headings.
fn localise_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        ARGUMENTS_HEADING
    } else {
        OPTIONS_HEADING
    };
    let mut help = arg.get_help().map(StyledStr::to_string).unwrap_or_default();
    let takes_values = takes_values(&arg);
    if takes_values {
        let choices = possible_values(&arg);
        if !choices.is_empty() {
            help = append(&help, &format!("giá trị: {}", choices.join(", ")));
        }
        let defaults = default_values(&arg);
        if !defaults.is_empty() {
            help = append(&help, &format!("mặc định: {}", defaults.join(", ")));
        }
    }
    let mut arg = arg.help_heading(heading);
    if takes_values {
        // Said above in Vietnamese; clap's own notes are in English.
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    if help.is_empty() {
        arg
    } else {
        arg.help(help)
    }
}

/// `Thư mục ghi kết quả.` + `mặc định: output` → `Thư mục ghi kết quả (mặc định: output).`
fn append(help: &str, note: &str) -> String {
    let trimmed = help.trim_end();
    let (body, stop) = match trimmed.strip_suffix('.') {
        Some(body) => (body, "."),
        None => (trimmed, ""),
    };
    if body.is_empty() {
        format!("({note})")
    } else if let Some(inner) = body.strip_suffix(')') {
        // One bracket, not two: `(mỗi kỳ một thư mục con YYYY-MM; mặc định: output/bieu-mau)`.
        format!("{inner}; {note}){stop}")
    } else {
        format!("{body} ({note}){stop}")
    }
}

/// The values clap accepts for an argument with a fixed list (the shells of `completions`).
pub fn possible_values(arg: &Arg) -> Vec<String> {
    arg.get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| value.get_name().to_string())
        .collect()
}

/// The default values of an argument, as the user would type them.
pub fn default_values(arg: &Arg) -> Vec<String> {
    arg.get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect()
}

/// Whether an argument is followed by a value (`--period 2025-11`) rather than a flag.
/// Read from its action, which clap's derive always sets, so it holds before the build too.
pub fn takes_values(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Set | ArgAction::Append)
}

/// Whether an argument is one of the help or version flags every command has.
pub fn is_help_or_version(arg: &Arg) -> bool {
    matches!(
        arg.get_action(),
        ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong | ArgAction::Version
    )
}

/// The name of an argument's value as shown: `YYYY-MM`, `THƯ_MỤC`, or clap's own.
pub fn value_name(arg: &Arg) -> String {
    match arg.get_value_names() {
        Some(names) if !names.is_empty() => names
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        _ => arg.get_id().as_str().to_uppercase(),
    }
}

/// One argument as written in a usage line: `[--period YYYY-MM]`, `[--dry-run]`, `TỆP`.
pub fn usage_item(arg: &Arg) -> String {
    let flag_only = !takes_values(arg);
    let body = if arg.is_positional() {
        value_name(arg)
    } else {
        let name = match (arg.get_long(), arg.get_short()) {
            (Some(long), _) => format!("--{long}"),
            (None, Some(short)) => format!("-{short}"),
            (None, None) => value_name(arg),
        };
        if flag_only {
            name
        } else {
            let repeat = if matches!(arg.get_action(), ArgAction::Append) {
                ",…"
            } else {
                ""
            };
            format!("{name} {}{repeat}", value_name(arg))
        }
    };
    if arg.is_required_set() {
        body
    } else {
        format!("[{body}]")
    }
}

/// The usage line of a command, from its arguments: `baocao run [--period YYYY-MM] …`.
/// The same line is the man page's synopsis.
pub fn usage(command: &Command, name: &str) -> String {
    let mut parts = vec![name.to_string()];
    let visible = || {
        command
            .get_arguments()
            .filter(|arg| !arg.is_hide_set() && !is_help_or_version(arg))
    };
    parts.extend(visible().filter(|arg| !arg.is_positional()).map(usage_item));
    parts.extend(visible().filter(|arg| arg.is_positional()).map(usage_item));
    if command.has_subcommands() {
        parts.push(format!("{COMMAND_PLACEHOLDER} [{}]", "TÙY CHỌN"));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_goes_inside_the_sentence() {
        assert_eq!(
            append("Thư mục ghi kết quả.", "mặc định: output"),
            "Thư mục ghi kết quả (mặc định: output)."
        );
        assert_eq!(append("", "mặc định: output"), "(mặc định: output)");
        assert_eq!(
            append("Trình shell", "giá trị: bash"),
            "Trình shell (giá trị: bash)"
        );
        assert_eq!(
            append("Thư mục (mỗi kỳ một thư mục con)", "mặc định: x"),
            "Thư mục (mỗi kỳ một thư mục con; mặc định: x)"
        );
    }
}
