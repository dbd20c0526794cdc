//! `workshop-report build`: the PDF of each workshop.

use std::process::ExitCode;

use workshop_report::output;

use super::{INVALID, Reporter, prepare};
use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs, reporter: &Reporter) -> ExitCode {
    let (dirs, pipeline) = match prepare(&args.paths, &args.templates, reporter) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let mut failed = 0;
    for dir in &dirs {
        let built = match pipeline.build(dir) {
            Ok(built) => built,
            Err(failure) => {
                reporter.failure(&failure);
                eprintln!("failed: {}", dir.display());
                failed += 1;
                continue;
            }
        };
        reporter.emit(&built.sources, &built.warnings);
        let path = args.out_dir.join(format!("{}.pdf", built.id));
        match output::write_atomic(&path, &built.pdf) {
            Ok(()) => {
                println!("built {} -> {} ({} pages)", dir.display(), path.display(), built.pages)
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                failed += 1;
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} workshops failed", dirs.len());
        ExitCode::from(INVALID)
    } else {
        ExitCode::SUCCESS
    }
}
