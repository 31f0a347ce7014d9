//! The `baocao` binary: parse arguments, run the command, print the summary, exit with the
//! documented status.

use std::process::ExitCode;

use baocao::app::{run_monthly, summary, MonthlyOptions, Outcome};
use baocao::cli::{default_period, Cli, Command, PeriodArgs};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (args, write) = match cli.command {
        Command::Run(args) => (args, true),
        Command::Check(args) => (args, false),
    };
    ExitCode::from(monthly(args, write).code())
}

fn monthly(args: PeriodArgs, write: bool) -> Outcome {
    let options = MonthlyOptions {
        period: args
            .period
            .unwrap_or_else(|| default_period(chrono::Local::now().date_naive())),
        input: args.input,
        output: args.output,
        config: args.config,
        write,
    };
    match run_monthly(&options) {
        Ok(run) => {
            print!("{}", summary::monthly_summary(&run, write));
            run.outcome
        }
        Err(error) => {
            eprintln!("baocao: không tạo được báo cáo: {error:#}");
            Outcome::Failed
        }
    }
}
