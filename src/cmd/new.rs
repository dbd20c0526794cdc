//! `workshop-report new`: a starter workshop folder.

use std::process::ExitCode;

use workshop_report::diag::{Code, Diagnostic};

use crate::cli::NewArgs;

use super::{INVALID, Reporter, USAGE};

/// The starter files, by name.
const FILES: &[(&str, &str)] = &[
    ("workshop.yaml", include_str!("starter/workshop.yaml")),
    ("participants.csv", include_str!("starter/participants.csv")),
];

pub fn run(args: &NewArgs, reporter: &Reporter) -> ExitCode {
    let dir = &args.path;
    let occupied = std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false);
    if occupied {
        reporter.fail(
            Diagnostic::error(
                Code::Usage,
                format!("{} already exists and is not empty", dir.display()),
            )
            .hint("name a new folder; nothing was written"),
        );
        return ExitCode::from(USAGE);
    }
    let written = std::fs::create_dir_all(dir.join("images")).and_then(|()| {
        FILES.iter().try_for_each(|(name, text)| std::fs::write(dir.join(name), text))
    });
    match written {
        Ok(()) => {
            println!("created {}: edit workshop.yaml and participants.csv, then", dir.display());
            println!("  workshop-report build {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            reporter.fail(Diagnostic::error(
                Code::Write,
                format!("cannot create {}: {e}", dir.display()),
            ));
            ExitCode::from(INVALID)
        }
    }
}
