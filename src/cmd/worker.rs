//! Workers: each workshop of a run is read, laid out and written in a
//! worker process (this same program, started with `--worker`), so that a
//! failure no code can catch (an allocation failure, a stack overflow, a
//! library's abort) costs that workshop alone, as a browser's tab crash
//! costs one tab.
//!
//! A worker takes tasks one after another, keeping the typesetter's caches
//! between them, under a memory limit it sets itself (`setrlimit`, where
//! the system has it). The parent hands each task to a free worker, waits
//! for its result within a time limit, and starts a new worker when one
//! dies, naming the stage the task was in. Tasks and results travel as
//! JSON lines over the worker's standard input and output; the worker's
//! standard error is kept, its last lines told when it dies.
//!
//! `--in-process` runs the tasks on threads of this process instead, as
//! the tool did before workers: quicker to start, and a debugger sees
//! everything, but a fatal failure stops the whole run.

use std::io::{BufRead, Write};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use workshop_report::diag::{Code, Diagnostic};

use crate::cli::IsolationArgs;

/// The flag that starts this program as a worker (hidden from `--help`).
pub const FLAG: &str = "--worker";

/// What a task is doing: told when a worker stops in the middle of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading and checking the inputs.
    Read,
    /// Rendering the templates and laying out the pages.
    Typeset,
    /// Exporting the laid-out pages as a PDF.
    Export,
    /// Writing the PDF.
    Write,
    /// Comparing two versions.
    Compare,
}

impl Stage {
    /// "while reading its inputs".
    fn doing(self) -> &'static str {
        match self {
            Stage::Read => "reading its inputs",
            Stage::Typeset => "laying out its report",
            Stage::Export => "exporting its PDF",
            Stage::Write => "writing its PDF",
            Stage::Compare => "comparing its versions",
        }
    }
}

/// Why a task has no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The worker ran out of the memory it may use.
    Memory,
    /// The task took longer than it may.
    Time,
    /// The worker stopped otherwise (a stack overflow, an abort, a signal)
    /// or a panic was caught; what it said.
    Crash(String),
    /// No worker could be started.
    Spawn(String),
}

impl Failure {
    /// The failure a worker's last words tell: running out of memory, in
    /// the words of Rust, a library or the system; else a crash.
    fn of(said: &str) -> Failure {
        if OUT_OF_MEMORY.iter().any(|words| said.contains(words)) {
            return Failure::Memory;
        }
        let said = workshop_report::diag::visible_line(said);
        Failure::Crash(said.chars().take(300).collect())
    }
}

/// A task without a result: why, and where it was.
#[derive(Debug, Clone)]
pub struct Failed {
    pub failure: Failure,
    pub stage: Option<Stage>,
    limits: Limits,
}

impl Failed {
    /// The failure as a diagnostic about `what` ("inputs/x"), in `file`
    /// (its record), so that it shows beside the workshop's other problems.
    pub fn diagnostic(&self, what: &str, file: Option<String>) -> Diagnostic {
        let when = match self.stage {
            Some(stage) => format!(" while {}", stage.doing()),
            None => String::new(),
        };
        let memory = size(self.limits.memory);
        let d = match &self.failure {
            Failure::Memory => Diagnostic::error(
                Code::OutOfMemory,
                format!("{what} needed more than the {memory} of memory a workshop may use{when}"),
            )
            .hint(format!(
                "a workshop's files are too large or too many for one report (`--memory-limit` raises the limit from {memory}); \
                 if they are ordinary, please report this with them"
            )),
            Failure::Time => Diagnostic::error(
                Code::TimeLimit,
                format!(
                    "{what} took longer than the {} s a workshop may take{when}, and was stopped",
                    self.limits.seconds
                ),
            )
            .hint("split the workshop, or raise the limit with `--time-limit`; if its files are ordinary, please report this with them"),
            Failure::Crash(said) => Diagnostic::error(
                Code::Crashed,
                format!("the tool failed on {what}{when}: {said}"),
            )
            .hint("this is a bug of the tool, not of the workshop; the other workshops were built. Please report it with the workshop's files"),
            Failure::Spawn(e) => Diagnostic::error(
                Code::Crashed,
                format!("no worker process could be started for {what}: {e}"),
            )
            .hint("run with `--in-process` to build in the tool's own process"),
        };
        match file {
            Some(file) => d.in_file(file),
            None => d,
        }
    }
}

/// How workers are run: from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The bytes of memory a worker may use.
    pub memory: u64,
    /// The seconds a task may take.
    pub seconds: u64,
    /// Tasks run on threads of this process, without workers.
    pub in_process: bool,
}

impl IsolationArgs {
    pub fn limits(&self) -> Limits {
        Limits { memory: self.memory_limit, seconds: self.time_limit, in_process: self.in_process }
    }
}

/// "2 GiB", "512 MiB".
fn size(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else {
        format!("{} MiB", bytes >> 20)
    }
}

/// A line of a worker's standard output that belongs to the protocol: it
/// starts with this character, so that anything else a library prints
/// there is told apart.
const MARK: char = '\u{1e}';

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Message<R> {
    Stage(Stage),
    Done(R),
    Panicked(String),
}

/// Runs `work` on every task, in workers (or in this process with
/// `--in-process`), `jobs` at once; `finish` turns each result, or the
/// failure of the worker that had the task, into what the caller keeps,
/// in this process, as each task ends. The values come back in the order
/// of `tasks`.
pub fn run<T, R, V>(
    tasks: &[T],
    jobs: usize,
    limits: Limits,
    work: impl Fn(&T, &dyn Fn(Stage)) -> R + Sync,
    finish: impl Fn(&T, Result<R, Failed>) -> V + Sync,
) -> Vec<V>
where
    T: Serialize + Sync,
    R: DeserializeOwned,
    V: Send,
{
    if limits.in_process {
        return super::parallel(tasks, jobs, |task| {
            let done =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(task, &|_| {})))
                    .map_err(|panic| Failed {
                        failure: Failure::Crash(panic_text(panic.as_ref())),
                        stage: None,
                        limits,
                    });
            finish(task, done)
        });
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<V>>> = Mutex::new(tasks.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, tasks.len().max(1)) {
            scope.spawn(|| {
                let mut worker: Option<Worker> = None;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(task) = tasks.get(i) else { break };
                    let done = hand(&mut worker, task, limits);
                    let value = finish(task, done);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(value);
                }
                if let Some(worker) = worker {
                    worker.close();
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().flatten().collect()
}

/// Gives `task` to the worker (started first if there is none) and waits
/// for its result; a worker that fails is gone afterwards.
fn hand<T: Serialize, R: DeserializeOwned>(
    worker: &mut Option<Worker>,
    task: &T,
    limits: Limits,
) -> Result<R, Failed> {
    let failed = |failure, stage| Failed { failure, stage, limits };
    let mut w = match worker.take() {
        Some(w) => w,
        None => Worker::start().map_err(|e| failed(Failure::Spawn(e.to_string()), None))?,
    };
    let line = serde_json::to_string(task).unwrap_or_default();
    let sent = writeln!(w.stdin, "{line}").and_then(|()| w.stdin.flush());
    let deadline = Instant::now() + Duration::from_secs(limits.seconds);
    let mut stage = None;
    let outcome = match sent {
        Err(_) => Err(None),
        Ok(()) => loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match w.lines.recv_timeout(left) {
                Ok(text) => match serde_json::from_str::<Message<R>>(&text) {
                    Ok(Message::Stage(s)) => stage = Some(s),
                    Ok(Message::Done(result)) => break Ok(result),
                    Ok(Message::Panicked(said)) => break Err(Some(Failure::of(&said))),
                    Err(e) => break Err(Some(Failure::Crash(format!("it answered {e}")))),
                },
                Err(RecvTimeoutError::Timeout) => break Err(Some(Failure::Time)),
                Err(RecvTimeoutError::Disconnected) => break Err(None),
            }
        },
    };
    match outcome {
        Ok(result) => {
            *worker = Some(w);
            Ok(result)
        }
        // Told why: it is stopped.
        Err(Some(failure)) => {
            w.kill();
            Err(failed(failure, stage))
        }
        // It stopped: why, from how it ended.
        Err(None) => Err(failed(w.died(), stage)),
    }
}

/// A worker process, seen from the parent.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    /// The protocol's lines of its standard output.
    lines: Receiver<String>,
    /// The end of its standard error, once it is closed.
    tail: std::thread::JoinHandle<Vec<u8>>,
}

/// How much of a worker's standard error is kept.
const TAIL: usize = 64 << 10;

/// How a worker's standard error starts the message of a panic.
const PANIC: &str = "worker panicked: ";

/// What a worker's standard error says when memory ran out: Rust's own
/// words, a library's, the system's.
const OUT_OF_MEMORY: [&str; 6] = [
    "memory allocation of",
    "capacity overflow",
    "out of memory",
    "Cannot allocate memory",
    "OutOfMemory",
    "MemError",
];

impl Worker {
    /// Starts this program as a worker, with the arguments it was given.
    fn start() -> std::io::Result<Worker> {
        let exe = std::env::current_exe()?;
        let mut child = Command::new(exe)
            .arg(FLAG)
            .args(std::env::args_os().skip(1))
            // Its last words are read by the parent: no backtrace after them.
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            // mimalloc, the static Linux builds' allocator, commits a whole
            // arena (1 GiB) at once by default, which the memory limit
            // counts: committed as used, it stays within the limit. Other
            // builds do not read it.
            .env("MIMALLOC_ARENA_EAGER_COMMIT", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(std::io::Error::other("the worker's pipes were not made"));
        };
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut stdout = std::io::BufReader::new(stdout);
            let mut line = Vec::new();
            loop {
                line.clear();
                match stdout.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&line);
                        if let Some(message) = text.trim_end().strip_prefix(MARK)
                            && send.send(message.to_owned()).is_err()
                        {
                            break;
                        }
                    }
                }
            }
        });
        let tail = std::thread::spawn(move || {
            let mut stderr = stderr;
            let (mut tail, mut buffer) = (Vec::new(), [0u8; 4096]);
            while let Ok(n) = std::io::Read::read(&mut stderr, &mut buffer) {
                if n == 0 {
                    break;
                }
                tail.extend_from_slice(&buffer[..n]);
                let over = tail.len().saturating_sub(TAIL);
                tail.drain(..over);
            }
            tail
        });
        Ok(Worker { child, stdin, lines, tail })
    }

    /// Why the worker stopped, once it has; its process is gone after.
    fn died(mut self) -> Failure {
        let status = self.child.wait();
        let tail = self.tail.join().unwrap_or_default();
        let said = String::from_utf8_lossy(&tail);
        if said.contains("has overflowed its stack") {
            return Failure::Crash("it ran out of stack".to_owned());
        }
        // A panic's message says more than what a library printed after it.
        let panic = said.lines().rev().find_map(|l| l.strip_prefix(PANIC));
        let last = panic.or_else(|| said.lines().rev().find(|l| !l.trim().is_empty()));
        match last {
            _ if OUT_OF_MEMORY.iter().any(|words| said.contains(words)) => Failure::Memory,
            Some(last) => Failure::of(last),
            None => Failure::Crash(match status {
                Ok(status) => format!("its process ended ({status})"),
                Err(e) => format!("its process ended ({e})"),
            }),
        }
    }

    /// Stops the worker at once.
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Lets the worker end: no more tasks.
    fn close(self) {
        let Worker { mut child, stdin, .. } = self;
        drop(stdin);
        let _ = child.wait();
    }
}

/// The text of a caught panic.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(s), _) => (*s).to_owned(),
        (_, Some(s)) => s.clone(),
        _ => "a panic".to_owned(),
    }
}

/// The worker's side: limits its memory, then runs `work` on each task
/// read from standard input until it ends, answering on standard output.
pub fn serve<T, R>(limits: Limits, work: impl Fn(&T, &dyn Fn(Stage)) -> R) -> ExitCode
where
    T: DeserializeOwned,
    R: Serialize,
{
    limit_memory(limits.memory);
    // A panic's message is told to the parent; it goes to standard error
    // too, on one line, in case a library aborts the process after it.
    let said: Arc<Mutex<String>> = Arc::default();
    let hook_said = Arc::clone(&said);
    std::panic::set_hook(Box::new(move |info| {
        let payload = panic_text(info.payload());
        let text = match info.location() {
            Some(at) => format!("{} (at {}:{})", payload.replace('\n', "; "), at.file(), at.line()),
            None => payload.replace('\n', "; "),
        };
        let text = workshop_report::diag::visible_line(&text).into_owned();
        eprintln!("{PANIC}{text}");
        *hook_said.lock().unwrap_or_else(|e| e.into_inner()) = text;
    }));
    let send = |message: &Message<R>| {
        let text = serde_json::to_string(message).unwrap_or_default();
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{MARK}{text}").and_then(|()| stdout.flush());
    };
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let Ok(task) = serde_json::from_str::<T>(&line) else { break };
        let stage = |s: Stage| send(&Message::Stage(s));
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&task, &stage))) {
            Ok(result) => send(&Message::Done(result)),
            Err(panic) => {
                let mut text = said.lock().unwrap_or_else(|e| e.into_inner()).clone();
                if text.is_empty() {
                    text = panic_text(panic.as_ref());
                }
                send(&Message::Panicked(text));
                // What the panic left half-done is not trusted again.
                return ExitCode::from(super::INVALID);
            }
        }
    }
    ExitCode::SUCCESS
}

/// Limits this process's memory to `bytes` (never raising a lower limit it
/// was given): the data segment on Linux, which counts what is allocated
/// and not what is only reserved; elsewhere the address space, where the
/// system enforces it.
fn limit_memory(bytes: u64) {
    #[cfg(unix)]
    {
        #[cfg(target_os = "linux")]
        let resource = rlimit::Resource::DATA;
        #[cfg(not(target_os = "linux"))]
        let resource = rlimit::Resource::AS;
        if let Ok((soft, hard)) = resource.get() {
            let _ = resource.set(soft.min(bytes).min(hard), hard);
        }
    }
    #[cfg(not(unix))]
    let _ = bytes;
}

/// A path in a task: as text where it is valid Unicode, else as its bytes
/// (on Unix, a file name is any bytes).
pub mod path {
    use std::path::PathBuf;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Text(String),
        Bytes(Vec<u8>),
    }

    pub fn serialize<S: Serializer>(path: &std::path::Path, s: S) -> Result<S::Ok, S::Error> {
        match path.to_str() {
            Some(text) => Repr::Text(text.to_owned()),
            #[cfg(unix)]
            None => Repr::Bytes(std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec()),
            #[cfg(not(unix))]
            None => Repr::Text(path.to_string_lossy().into_owned()),
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        Ok(match Repr::deserialize(d)? {
            Repr::Text(text) => PathBuf::from(text),
            #[cfg(unix)]
            Repr::Bytes(bytes) => PathBuf::from(
                <std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes),
            ),
            #[cfg(not(unix))]
            Repr::Bytes(bytes) => PathBuf::from(String::from_utf8_lossy(&bytes).into_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(2 << 30), "2 GiB");
        assert_eq!(size(1536 << 20), "1536 MiB");
    }
}
