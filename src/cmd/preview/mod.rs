//! `workshop-report preview`: the report live in a browser, its problems
//! beside the pages, updated as the workshop's files are saved.
//!
//! One process, three parts: this loop rebuilds the workshop when its
//! files change (the machinery of `watch`), [`session`] turns each build
//! into what the browser shows (only the pages whose layout changed are
//! made again), and [`server`] serves it on the loopback address, pushing
//! each build to the open pages as a server-sent event. The page itself,
//! `page.html`, is embedded in the binary.

mod server;
mod session;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Instant;

use workshop_report::diag::{Code, Diagnostic};
use workshop_report::{Pipeline, input};

use super::watch::{self, SETTLE, Watching};
use super::{INVALID, Reporter, USAGE, settings};
use crate::cli::PreviewArgs;

/// What the loop waits for.
pub enum Message {
    /// A file event from the watcher.
    Files(notify::Result<notify::Event>),
    /// The page asked for another workshop of the folder (by its index).
    Select(usize),
    /// Ctrl-C.
    Stop,
}

pub fn run(args: &PreviewArgs, reporter: &Reporter) -> ExitCode {
    let workshops = match input::discover(std::slice::from_ref(&args.path)) {
        Ok(found) => found,
        Err(e) => {
            reporter.fail(e);
            return ExitCode::from(USAGE);
        }
    };
    let ids: Vec<String> = workshops.iter().map(|w| input::workshop_id(w)).collect();
    let (send, messages) = mpsc::channel();
    let server = match server::Server::start(args.port, ids, send.clone()) {
        Ok(server) => server,
        Err(e) => {
            let port = args.port.map_or_else(|| "a free port".to_owned(), |p| format!("port {p}"));
            reporter.fail(
                Diagnostic::error(Code::Serve, format!("cannot serve on 127.0.0.1, {port}: {e}"))
                    .hint("name another port with `--port N`, or leave it out to take a free one"),
            );
            return ExitCode::from(INVALID);
        }
    };
    let stop = send.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    }) {
        reporter.fail(Diagnostic::warning(Code::Watch, format!("cannot catch Ctrl-C: {e}")));
    }
    let url = server.url();
    reporter.result(&format!("preview at {url}"));
    reporter.status("Ctrl-C to stop");
    if args.open {
        open(&url, reporter);
    }
    let mut pipeline = Pipeline::new(settings(&args.templates, &args.input, None));
    let mut preview = Preview { workshops, current: 0, session: session::Session::default() };
    let Some(mut watching) = preview.watch(args, &send, reporter) else {
        return ExitCode::from(INVALID);
    };
    preview.rebuild(&pipeline, &server, reporter);
    while let Ok(message) = messages.recv() {
        match message {
            Message::Stop => break,
            Message::Select(index) if index < preview.workshops.len() => {
                preview.current = index;
                preview.session.reset();
                // The old watcher stops before the new one starts.
                drop(watching);
                let Some(next) = preview.watch(args, &send, reporter) else {
                    server.stop();
                    return ExitCode::from(INVALID);
                };
                watching = next;
                preview.rebuild(&pipeline, &server, reporter);
            }
            Message::Select(_) => {}
            Message::Files(first) => {
                let Some(change) = settle(first, &messages, &send, &watching) else { continue };
                if change.templates {
                    pipeline.reload_templates();
                }
                preview.rebuild(&pipeline, &server, reporter);
            }
        }
    }
    server.stop();
    reporter.status("preview stopped");
    ExitCode::SUCCESS
}

/// The workshop shown and what was last built of it.
struct Preview {
    workshops: Vec<PathBuf>,
    current: usize,
    session: session::Session,
}

impl Preview {
    fn watch(
        &self,
        args: &PreviewArgs,
        send: &mpsc::Sender<Message>,
        reporter: &Reporter,
    ) -> Option<Watching> {
        let path = &self.workshops[self.current];
        let templates = args.templates.templates.as_deref();
        match Watching::start(path, templates, None, send.clone(), Message::Files) {
            Ok(watching) => Some(watching),
            Err(e) => {
                reporter.fail(e);
                None
            }
        }
    }

    /// Rebuilds the workshop shown, publishes the result and says so.
    fn rebuild(&mut self, pipeline: &Pipeline, server: &server::Server, reporter: &Reporter) {
        let started = Instant::now();
        let dir = &self.workshops[self.current];
        let (update, outcome) = self.session.rebuild(pipeline, dir, self.current);
        server.publish(&update, self.session.pages());
        reporter.emit(&outcome.sources, &outcome.diagnostics);
        let changed = update.changed.len();
        reporter.status(&match update.ok {
            true => format!(
                "rebuilt {} in {} ms ({} pages, {} changed)",
                update.workshop,
                started.elapsed().as_millis(),
                update.pages.len(),
                changed
            ),
            false => format!(
                "{} not rebuilt in {} ms; the last good pages stay",
                update.workshop,
                started.elapsed().as_millis()
            ),
        });
        // Keep a long session's memory bounded, as `watch` does.
        workshop_report::typeset::evict(4);
    }
}

/// The change a burst of events starting with `first` makes, once it has
/// settled; `None` when nothing that counts changed. A selection or a stop
/// arriving meanwhile is put back for the loop.
fn settle(
    first: notify::Result<notify::Event>,
    messages: &mpsc::Receiver<Message>,
    send: &mpsc::Sender<Message>,
    watching: &Watching,
) -> Option<watch::Change> {
    let mut changed = watch::paths(first);
    let deadline = Instant::now() + SETTLE;
    let mut later = Vec::new();
    while let Ok(message) =
        messages.recv_timeout(deadline.saturating_duration_since(Instant::now()))
    {
        match message {
            Message::Files(event) => changed.extend(watch::paths(event)),
            other => later.push(other),
        }
    }
    for message in later {
        let _ = send.send(message);
    }
    let change = watching.relevant(changed);
    (!change.is_empty()).then_some(change)
}

/// Opens `url` in the default browser, or says why not.
fn open(url: &str, reporter: &Reporter) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command.arg(url).stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null());
    command.stderr(std::process::Stdio::null());
    if let Err(e) = command.spawn() {
        reporter.fail(
            Diagnostic::warning(Code::Watch, format!("cannot open a browser: {e}"))
                .hint(format!("open {url} yourself")),
        );
    }
}
