//! The `baocao` binary: parse arguments, run the command, print the summary, exit with the
//! documented status.

use std::process::ExitCode;

use baocao::app::stdout::{print_bytes, print_text};
use baocao::app::{
    man_page, run_monthly, summary, usage, DeliveryOptions, Mode, MonthlyOptions, Outcome,
    OutputBusy,
};
use baocao::cli::{command, default_period, parse_from, Command, PeriodArgs};
use baocao::logging;

/// mimalloc instead of the system allocator: reading thousands of small workbooks is mostly
/// small allocations made and freed on two threads, where glibc's malloc spent about a tenth
/// of the samples (perf; README, "Speed at scale").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    baocao::app::memory::skip_release_at_exit();
    let cli = match parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(error) => {
            let (code, text) = usage::usage_outcome(&error);
            if code == 0 {
                print_text(&text);
            } else {
                eprint!("{text}");
            }
            return ExitCode::from(code);
        }
    };
    let quiet = matches!(&cli.command, Command::Run { args, .. } | Command::Check { args, .. } if args.quiet);
    logging::init(quiet);
    let (args, mode, pdf, delivery) = match cli.command {
        Command::Run {
            args,
            dry_run,
            pdf,
            no_send,
            resend,
        } => (
            args,
            if dry_run { Mode::DryRun } else { Mode::Write },
            pdf,
            DeliveryOptions {
                no_send,
                resend,
                notify: false,
            },
        ),
        Command::Check {
            args,
            notify,
            resend,
        } => (
            args,
            Mode::Check,
            false,
            DeliveryOptions {
                no_send: false,
                resend,
                notify,
            },
        ),
        Command::History { output, config } => {
            return ExitCode::from(
                baocao::app::history::history_command(&output, config.as_deref()).code(),
            );
        }
        Command::Plan {
            file,
            output,
            config,
            period,
        } => {
            let options = baocao::app::plan::PlanOptions {
                file,
                output,
                config,
                period,
            };
            return ExitCode::from(baocao::app::plan::plan_command(&options).code());
        }
        Command::Forms {
            period,
            output,
            units,
            config,
            input,
            truong,
        } => {
            let options = baocao::app::forms::FormsOptions {
                period: period.unwrap_or_else(|| {
                    baocao::vn::Period::of_date(chrono::Local::now().date_naive())
                }),
                output,
                units,
                config,
                input,
                schools: truong,
            };
            return ExitCode::from(baocao::app::forms::forms_command(&options).code());
        }
        Command::Send {
            period,
            output,
            config,
        } => {
            let outcome = baocao::app::send::send_command(period, &output, config.as_deref());
            return ExitCode::from(outcome.code());
        }
        Command::SendTest { address, config } => {
            let outcome = baocao::app::send::send_test_command(&address, config.as_deref());
            return ExitCode::from(outcome.code());
        }
        Command::Completions { shell } => {
            // Rendered in memory first: clap_complete panics when its writer fails.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command(), "baocao", &mut script);
            print_bytes(&script);
            return ExitCode::SUCCESS;
        }
        Command::Man => {
            print_text(&man_page::render(&command()));
            return ExitCode::SUCCESS;
        }
    };
    ExitCode::from(monthly(args, mode, pdf, delivery).code())
}

fn monthly(args: PeriodArgs, mode: Mode, pdf: bool, delivery: DeliveryOptions) -> Outcome {
    let today = chrono::Local::now().date_naive();
    let period = args.period.unwrap_or_else(|| default_period(today));
    if let Some(text) = usage::future_period_error(period, today, args.allow_future) {
        eprint!("{text}");
        return Outcome::Usage;
    }
    let options = MonthlyOptions {
        period,
        input: args.input,
        output: args.output,
        config: args.config,
        mode,
        pdf,
        show_progress: !args.json && !args.quiet,
        delivery,
    };
    match run_monthly(&options) {
        Ok(run) => {
            if args.json {
                print_text(&format!("{}\n", summary::monthly_json(&run)));
            } else if args.quiet {
                print_text(&summary::errors_only(&run));
            } else {
                print_text(&summary::monthly_summary(&run));
            }
            let outcome = run.outcome;
            // Everything is written and flushed: the process ends without freeing, one by
            // one, what it read (50,000 schools: about 50 ms of a run).
            std::mem::forget(run);
            outcome
        }
        Err(error) if error.downcast_ref::<OutputBusy>().is_some() => {
            tracing::error!("{error}");
            Outcome::Busy
        }
        Err(error) => {
            tracing::error!("không tạo được báo cáo: {error:#}");
            Outcome::Failed
        }
    }
}
