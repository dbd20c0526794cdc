//! `workshop-report watch`: rebuild one workshop's PDF as its inputs change.
//!
//! [`Watching`] is the machinery `preview` shares: which files are watched,
//! which changes count, and how a burst of events becomes one change.

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
pub const SETTLE: Duration = Duration::from_millis(30);

pub fn run(args: &WatchArgs, reporter: &Reporter) -> ExitCode {
    if !input::is_workshop(&args.path) {
        reporter.fail(not_a_workshop(&args.path));
        return ExitCode::from(USAGE);
    }
    let mut pipeline = Pipeline::new(settings(&args.templates, &args.input, Some(&args.pdf)));
    let (send, events) = mpsc::channel();
    let watching = match Watching::start(
        &args.path,
        args.templates.templates.as_deref(),
        Some(&args.out_dir),
        send,
        |event| event,
    ) {
        Ok(w) => w,
        Err(e) => {
            reporter.fail(e);
            return ExitCode::from(INVALID);
        }
    };
    reporter.status(&format!("watching {} (Ctrl-C to stop)", args.path.display()));
    rebuild(&pipeline, args, reporter);
    loop {
        let Ok(first) = events.recv() else { return ExitCode::SUCCESS };
        let mut changed = paths(first);
        let deadline = Instant::now() + SETTLE;
        while let Ok(event) =
            events.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            changed.extend(paths(event));
        }
        let change = watching.relevant(changed);
        if change.is_empty() {
            continue;
        }
        if change.templates {
            pipeline.reload_templates();
        }
        rebuild(&pipeline, args, reporter);
        // Keep a long session's memory bounded: drop cached results unused
        // for a few rebuilds.
        workshop_report::typeset::evict(4);
    }
}

/// The error for a path that holds no workshop.
pub fn not_a_workshop(path: &Path) -> Diagnostic {
    Diagnostic::error(Code::NoWorkshop, format!("{} is not a workshop folder", path.display()))
        .hint("name a folder that holds workshop.yaml")
}

/// The files of one workshop being watched: its folder, its organisation's
/// `branding.yaml`, a template override folder. Dropping it stops.
pub struct Watching {
    _watcher: notify::RecommendedWatcher,
    workshop: PathBuf,
    branding: Option<PathBuf>,
    templates: Option<PathBuf>,
    out: Option<PathBuf>,
}

/// A change that counts.
#[derive(Debug, Default)]
pub struct Change {
    /// The files changed.
    pub paths: Vec<PathBuf>,
    /// Whether a template override changed (the templates must be read again).
    pub templates: bool,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

impl Watching {
    /// Starts watching; each event reaches `send` through `wrap`.
    pub fn start<T: Send + 'static>(
        workshop: &Path,
        templates: Option<&Path>,
        out: Option<&Path>,
        send: mpsc::Sender<T>,
        wrap: fn(notify::Result<notify::Event>) -> T,
    ) -> Result<Watching, Diagnostic> {
        let mut watcher = notify::recommended_watcher(move |event| {
            // The receiver gone means the command is ending.
            let _ = send.send(wrap(event));
        })
        .map_err(|e| Diagnostic::error(Code::Watch, format!("cannot watch files: {e}")))?;
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let workshop = canonical(workshop);
        // Folders, not files: editors replace files by renaming over them.
        let mut watched = vec![(workshop.clone(), RecursiveMode::Recursive)];
        if let Some(parent) = workshop.parent() {
            watched.push((parent.to_path_buf(), RecursiveMode::NonRecursive)); // branding.yaml
        }
        let templates = templates.map(canonical);
        if let Some(templates) = &templates {
            watched.push((templates.clone(), RecursiveMode::Recursive));
        }
        for (path, mode) in &watched {
            watcher.watch(path, *mode).map_err(|e| {
                Diagnostic::error(Code::Watch, format!("cannot watch {}: {e}", path.display()))
            })?;
        }
        Ok(Watching {
            _watcher: watcher,
            branding: workshop.parent().map(|p| p.join("branding.yaml")),
            workshop,
            templates,
            out: out.map(canonical),
        })
    }

    /// What of `paths` counts as a change: a file of the workshop (not our
    /// own output, not an editor's temporary file), the organisation's
    /// branding, a template override. Nothing else in the parent folder,
    /// which is watched for the branding alone.
    pub fn relevant(&self, mut paths: Vec<PathBuf>) -> Change {
        paths.retain(|p| {
            if is_temporary(p) || self.out.as_ref().is_some_and(|out| p.starts_with(out)) {
                return false;
            }
            p.starts_with(&self.workshop)
                || self.branding.as_deref() == Some(p)
                || self.templates.as_ref().is_some_and(|t| p.starts_with(t))
        });
        paths.sort();
        paths.dedup();
        let templates =
            self.templates.as_ref().is_some_and(|t| paths.iter().any(|p| p.starts_with(t)));
        Change { paths, templates }
    }
}

/// The paths an event changed. Reads are no change: the rebuild itself
/// reads every input, and would otherwise trigger the next one.
pub fn paths(event: notify::Result<notify::Event>) -> Vec<PathBuf> {
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
