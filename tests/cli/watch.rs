//! `watch`: a change rebuilds the PDF; an error keeps the last good one.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::Scratch;

/// Kills the watcher when the test ends, however it ends.
struct Watcher(Child);

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits up to 20 s for a line of standard error containing `wanted`.
fn wait_for(lines: &mpsc::Receiver<String>, wanted: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Ok(line) = lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if line.contains(wanted) {
            return line;
        }
    }
    panic!("no line with {wanted:?} within 20 s");
}

/// Asserts that no rebuild happens for `time`.
fn assert_quiet(lines: &mpsc::Receiver<String>, time: Duration) {
    let deadline = Instant::now() + time;
    while let Ok(line) = lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        assert!(!line.contains("rebuilt"), "rebuilt with nothing changed: {line}");
    }
}

#[test]
fn a_change_rebuilds_and_an_error_keeps_the_last_good_pdf() {
    let record = "title: Watched\ndates: {start: 2023-05-04, end: 2023-05-04}\n\
                  chapters:\n  - {title: Background, text: First version.}\n";
    let scratch = Scratch::new("w", record);
    let out = scratch.path_of("out");
    let mut child = Command::new(crate::support::binary())
        .args(["watch", scratch.path_of("w").to_str().unwrap(), "--out-dir", out.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _watcher = Watcher(child);
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = send.send(line);
        }
    });
    wait_for(&lines, "rebuilt");
    let first = std::fs::read(out.join("w.pdf")).unwrap();
    // Regression: a rebuild reads the inputs and writes the PDF; neither is
    // a change, nor is a file beside the workshop folder.
    scratch.write("notes.txt", "not part of the workshop");
    assert_quiet(&lines, Duration::from_millis(1500));

    // An editor saves a one-paragraph change.
    scratch.write("w/workshop.yaml", &record.replace("First version.", "Second version."));
    let line = wait_for(&lines, "rebuilt");
    assert!(line.contains(" ms "), "{line}");
    let second = std::fs::read(out.join("w.pdf")).unwrap();
    assert_ne!(first, second, "the PDF follows the change");

    // A mistake: reported, and the last good PDF stays.
    scratch
        .write("w/workshop.yaml", "title: Watched\ndates: {start: 2023-05-04, end: 2023-02-30}\n");
    wait_for(&lines, "invalid-date");
    wait_for(&lines, "the last good PDF stays");
    assert_eq!(std::fs::read(out.join("w.pdf")).unwrap(), second);

    // Mended: rebuilt again; the watcher kept running through the error.
    scratch.write("w/workshop.yaml", record);
    wait_for(&lines, "rebuilt");
}
