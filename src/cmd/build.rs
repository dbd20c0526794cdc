//! `workshop-report build`: the PDF of each workshop.

use std::process::ExitCode;

use workshop_report::diag::Diagnostic;
use workshop_report::output;

use super::{INVALID, Reporter, count, prepare};
use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs, reporter: &Reporter) -> ExitCode {
    let (dirs, pipeline) = match prepare(&args.paths, &args.templates, &args.input, reporter) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let mut failed = 0;
    for dir in &dirs {
        let built = match pipeline.build(dir) {
            Ok(built) if !reporter.fails(&built.warnings) => built,
            Ok(built) => {
                failed += 1;
                let line = format!(
                    "failed {} ({}, denied)",
                    dir.display(),
                    count(built.warnings.len(), "warning")
                );
                reporter.workshop(dir, "failed", &line, &built.sources, &built.warnings);
                continue;
            }
            Err(failure) => {
                failed += 1;
                let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
                let line = format!("failed {} ({})", dir.display(), count(errors, "error"));
                reporter.workshop(dir, "failed", &line, &failure.sources, &failure.diagnostics);
                continue;
            }
        };
        let path = args.out_dir.join(format!("{}.pdf", built.id));
        match output::write_atomic(&path, &built.pdf) {
            Ok(()) => {
                let line = format!(
                    "built {} -> {} ({} pages)",
                    dir.display(),
                    path.display(),
                    built.pages
                );
                reporter.workshop(dir, "built", &line, &built.sources, &built.warnings);
            }
            Err(e) => {
                failed += 1;
                let d = Diagnostic::error("write", format!("cannot write {}: {e}", path.display()))
                    .hint("check that the output folder is writable and the disk not full");
                let mut diagnostics = built.warnings.clone();
                diagnostics.push(d);
                let line = format!("failed {}", dir.display());
                reporter.workshop(dir, "failed", &line, &built.sources, &diagnostics);
            }
        }
    }
    reporter.finish();
    if failed > 0 {
        eprintln!("{} of {} failed", count(failed, "workshop"), dirs.len());
        ExitCode::from(INVALID)
    } else {
        ExitCode::SUCCESS
    }
}
