//! `workshop-report build`: the PDF of each workshop.

use std::process::ExitCode;

use workshop_report::{Pipeline, output};

use super::{INVALID, Reporter, workshops};
use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs, reporter: &Reporter) -> ExitCode {
    let dirs = match workshops(&args.paths, reporter) {
        Ok(dirs) => dirs,
        Err(code) => return code,
    };
    let pipeline = Pipeline::new(args.templates.templates.as_deref());
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
        let name = workshop_report::input::files::Folder::new(dir).id();
        let path = args.out_dir.join(format!("{name}.pdf"));
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
