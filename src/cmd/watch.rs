//! `workshop-report watch`: rebuild one workshop's PDF as its inputs change.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use workshop_report::diag::{Code, Diagnostic};
use workshop_report::{Pipeline, input, output};

use super::{INVALID, Reporter, USAGE, count, settings};
use crate::cli::WatchArgs;

/// Events arriving within this time of the first are one change (editors
/// save by writing a temporary file and renaming it).
const SETTLE: Duration = Duration::from_millis(30);

pub fn run(args: &WatchArgs, reporter: &Reporter) -> ExitCode {
    if !input::is_workshop(&args.path) {
        reporter.fail(
            Diagnostic::error(
                Code::NoWorkshop,
                format!("{} is not a workshop folder", args.path.display()),
            )
            .hint("name a folder that holds workshop.yaml"),
        );
        return ExitCode::from(USAGE);
    }
    let mut pipeline = Pipeline::new(settings(&args.templates, &args.input, Some(&args.pdf)));
    let (send, events) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(send) {
        Ok(w) => w,
        Err(e) => {
            reporter.fail(Diagnostic::error(Code::Watch, format!("cannot watch files: {e}")));
            return ExitCode::from(INVALID);
        }
    };
    // Folders, not files: editors replace files by renaming over them.
    let mut watched = vec![(args.path.clone(), RecursiveMode::Recursive)];
    if let Some(parent) =
        std::fs::canonicalize(&args.path).ok().and_then(|p| p.parent().map(Path::to_path_buf))
    {
        watched.push((parent, RecursiveMode::NonRecursive)); // branding.yaml
    }
    if let Some(templates) = &args.templates.templates {
        watched.push((templates.clone(), RecursiveMode::Recursive));
    }
    for (path, mode) in &watched {
        if let Err(e) = watcher.watch(path, *mode) {
            reporter.fail(Diagnostic::error(
                Code::Watch,
                format!("cannot watch {}: {e}", path.display()),
            ));
            return ExitCode::from(INVALID);
        }
    }
    let out = std::fs::canonicalize(&args.out_dir).unwrap_or_else(|_| args.out_dir.clone());
    let workshop = std::fs::canonicalize(&args.path).unwrap_or_else(|_| args.path.clone());
    let branding = workshop.parent().map(|p| p.join("branding.yaml"));
    let templates = args.templates.templates.as_ref().and_then(|t| std::fs::canonicalize(t).ok());
    // What counts as a change: a file of the workshop (not our own output),
    // the organisation's branding, a template override. Nothing else in
    // the parent folder, which is watched for the branding alone.
    let relevant = |p: &Path| {
        if is_temporary(p) || p.starts_with(&out) {
            return false;
        }
        p.starts_with(&workshop)
            || branding.as_deref() == Some(p)
            || templates.as_ref().is_some_and(|t| p.starts_with(t))
    };
    reporter.status(&format!("watching {} (Ctrl-C to stop)", args.path.display()));
    rebuild(&pipeline, args, reporter);
    loop {
        let Ok(first) = events.recv() else { return ExitCode::SUCCESS };
        let mut changed: Vec<PathBuf> = paths(first);
        let deadline = Instant::now() + SETTLE;
        while let Ok(event) =
            events.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            changed.extend(paths(event));
        }
        changed.retain(|p| relevant(p));
        if changed.is_empty() {
            continue;
        }
        if let Some(t) = &templates
            && changed.iter().any(|p| p.starts_with(t))
        {
            pipeline.reload_templates();
        }
        rebuild(&pipeline, args, reporter);
        // Keep a long session's memory bounded: drop cached results unused
        // for a few rebuilds.
        workshop_report::typeset::evict(4);
    }
}

/// The paths an event changed. Reads are no change: the rebuild itself
/// reads every input, and would otherwise trigger the next one.
fn paths(event: notify::Result<notify::Event>) -> Vec<PathBuf> {
    match event {
        Ok(e) if !matches!(e.kind, notify::EventKind::Access(_)) => e.paths,
        _ => Vec::new(),
    }
}

fn is_temporary(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        n.starts_with(".workshop-report-")
            || n.ends_with('~')
            || n.ends_with(".swp")
            || n.starts_with(".#")
    })
}

fn rebuild(pipeline: &Pipeline, args: &WatchArgs, reporter: &Reporter) {
    let started = Instant::now();
    let path = args.out_dir.join(format!("{}.pdf", input::workshop_id(&args.path)));
    let outcome = pipeline.load(&args.path).then(|read| pipeline.build(read));
    reporter.emit(&outcome.sources, &outcome.diagnostics);
    match outcome.value {
        Some(built) => match output::write_atomic(&path, &built.pdf) {
            Ok(()) => reporter.status(&format!(
                "rebuilt {} in {} ms ({} pages{})",
                path.display(),
                started.elapsed().as_millis(),
                built.pages,
                match outcome.diagnostics.len() {
                    0 => String::new(),
                    n => format!(", {}", count(n, "warning")),
                }
            )),
            Err(e) => reporter.fail(
                Diagnostic::error(Code::Write, format!("cannot write {}: {e}", path.display()))
                    .hint("check that the output folder is writable and the disk not full"),
            ),
        },
        None => reporter.status(&format!(
            "not rebuilt in {} ms; the last good PDF stays",
            started.elapsed().as_millis()
        )),
    }
}
