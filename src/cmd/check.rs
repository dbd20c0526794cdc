//! `workshop-report check`: every problem of each workshop, nothing written.

use std::process::ExitCode;

use super::{INVALID, Reporter, prepare};
use crate::cli::CheckArgs;

pub fn run(args: &CheckArgs, reporter: &Reporter) -> ExitCode {
    let (dirs, pipeline) = match prepare(&args.paths, &args.templates, reporter) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let mut failed = 0;
    for dir in &dirs {
        match pipeline.build(dir) {
            Ok(built) => {
                reporter.emit(&built.sources, &built.warnings);
                println!("ok {}", dir.display());
            }
            Err(failure) => {
                reporter.failure(&failure);
                let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
                let plural = if errors == 1 { "" } else { "s" };
                println!("failed {} ({errors} error{plural})", dir.display());
                failed += 1;
            }
        }
    }
    if failed > 0 { ExitCode::from(INVALID) } else { ExitCode::SUCCESS }
}
