//! `workshop-report check`: every problem of each workshop, nothing written.

use std::process::ExitCode;

use workshop_report::Pipeline;

use super::{INVALID, Reporter, workshops};
use crate::cli::CheckArgs;

pub fn run(args: &CheckArgs, reporter: &Reporter) -> ExitCode {
    let dirs = match workshops(&args.paths, reporter) {
        Ok(dirs) => dirs,
        Err(code) => return code,
    };
    let pipeline = Pipeline::new(args.templates.templates.as_deref());
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
