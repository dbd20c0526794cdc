//! `workshop-report source`: the generated Typst source of one workshop.

use std::io::Write;
use std::process::ExitCode;

use workshop_report::Pipeline;

use super::{INVALID, Reporter};
use crate::cli::SourceArgs;

pub fn run(args: &SourceArgs, reporter: &Reporter) -> ExitCode {
    let pipeline = Pipeline::new(args.templates.templates.as_deref(), args.input.options());
    match pipeline.render(&args.path) {
        Ok(rendered) => {
            reporter.emit(&rendered.sources, &rendered.warnings);
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(rendered.source.as_bytes()).and_then(|()| stdout.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                // A closed pipe (`| head`) is not an error of the inputs.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the source: {e}");
                    ExitCode::from(INVALID)
                }
            }
        }
        Err(failure) => {
            reporter.emit(&failure.sources, &failure.diagnostics);
            ExitCode::from(INVALID)
        }
    }
}
