//! `workshop-report check`: every problem of each workshop, nothing written.
//! The reports are read, rendered and laid out, not exported.

use std::process::ExitCode;

use super::{INVALID, Reporter, cores, count, parallel, prepare, settings};
use crate::cli::CheckArgs;

pub fn run(args: &CheckArgs, reporter: &Reporter) -> ExitCode {
    let settings = workshop_report::Settings {
        workers: cores(),
        ..settings(&args.templates, &args.input, None)
    };
    let (dirs, pipeline) = match prepare(&args.paths, settings, reporter) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let failures = parallel(&dirs, cores(), |dir| {
        let outcome = pipeline.load(dir).then(|read| pipeline.compile(read));
        let (sources, diagnostics) = (outcome.sources, outcome.diagnostics);
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        if reporter.fails(&diagnostics) {
            let line = format!(
                "failed {} ({}, {})",
                dir.display(),
                count(errors, "error"),
                count(warnings, "warning")
            );
            reporter.workshop(dir, "failed", &line, &sources, &diagnostics);
            true
        } else {
            let line = match warnings {
                0 => format!("ok {}", dir.display()),
                n => format!("ok {} ({})", dir.display(), count(n, "warning")),
            };
            reporter.workshop(dir, "ok", &line, &sources, &diagnostics);
            false
        }
    });
    let failed = failures.iter().filter(|&&f| f).count();
    reporter.finish();
    if failed > 0 { ExitCode::from(INVALID) } else { ExitCode::SUCCESS }
}
