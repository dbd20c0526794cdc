//! `workshop-report source`: the generated Typst source of one workshop,
//! printed, or written with its images for typst's own tools.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use workshop_report::diag::{Code, Diagnostic};
use workshop_report::{Pipeline, Rendered, output};

use super::{INVALID, Reporter, settings};
use crate::cli::SourceArgs;

pub fn run(args: &SourceArgs, reporter: &Reporter) -> ExitCode {
    let pipeline = Pipeline::new(settings(&args.templates, &args.input, None));
    let outcome = pipeline.load(&args.path).then(|read| pipeline.render(read));
    reporter.emit(&outcome.sources, &outcome.diagnostics);
    let Some(rendered) = outcome.value else {
        return ExitCode::from(INVALID);
    };
    let written = match &args.out_dir {
        Some(dir) => write_project(dir, &rendered).map(|said| reporter.result(&said)),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(rendered.source.as_bytes()).and_then(|()| stdout.flush()) {
                // A closed pipe (`| head`) is not an error of the inputs.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            reporter.fail(Diagnostic::error(Code::Write, format!("cannot write the source: {e}")));
            ExitCode::from(INVALID)
        }
    }
}

/// Writes `dir/main.typ` and the images it names under `dir/assets/`, the
/// paths the source uses from the project root; what to say of them.
fn write_project(dir: &Path, rendered: &Rendered) -> std::io::Result<String> {
    output::write_atomic(&dir.join("main.typ"), rendered.source.as_bytes())?;
    for (path, bytes) in &rendered.assets.images {
        output::write_atomic(&dir.join("assets").join(path), bytes)?;
    }
    Ok(format!(
        "wrote {} and {} images; compile it with\n  typst compile {} --root {} --font-path fonts --ignore-system-fonts",
        dir.join("main.typ").display(),
        rendered.assets.images.len(),
        dir.join("main.typ").display(),
        dir.display()
    ))
}
