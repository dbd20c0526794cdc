//! The `workshop-report` command: parses the command line, runs the
//! subcommand, and turns its outcome into the exit status.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

/// The static (musl) builds allocate with mimalloc: musl's allocator is
/// slow under typst's many small allocations on several threads.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version requests are not errors.
            return if e.use_stderr() { ExitCode::from(cmd::USAGE) } else { ExitCode::SUCCESS };
        }
    };
    if cli.worker {
        return cmd::serve(&cli.command);
    }
    let reporter = cmd::Reporter::new(cli.color);
    match &cli.command {
        Command::Build(args) => {
            cmd::build::run(args, &reporter.with(&args.report).quiet(args.quiet))
        }
        Command::Diff(args) => cmd::diff::run(args, &reporter, cli.color),
        Command::Watch(args) => cmd::watch::run(args, &reporter),
        Command::Preview(args) => cmd::preview::run(args, &reporter),
        Command::Check(args) => cmd::check::run(args, &reporter.with(&args.report)),
        Command::Source(args) => cmd::source::run(args, &reporter),
        Command::Tally(args) => cmd::tally::run(args, &reporter),
        Command::Verify(args) => cmd::verify::run(args, &reporter),
        Command::Schema => {
            print!("{}", workshop_report::input::schema());
            ExitCode::SUCCESS
        }
        Command::New(args) => cmd::new::run(args, &reporter),
    }
}
