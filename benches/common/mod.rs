//! What the benchmarks share: running the tool and timing it.

// Each benchmark uses a part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The binary under test.
pub const TOOL: &str = env!("CARGO_BIN_EXE_workshop-report");

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The median of `values`.
pub fn median<T: Ord + Copy>(mut values: Vec<T>) -> T {
    values.sort();
    values[values.len() / 2]
}

/// Runs `binary` with `args` under /usr/bin/time, expecting exit status
/// `code`: the elapsed time and the peak memory (KiB).
pub fn timed_memory_of(binary: &Path, args: &[&str], code: i32) -> (Duration, u64) {
    let start = Instant::now();
    let out =
        Command::new("/usr/bin/time").arg("-f").arg("%M").arg(binary).args(args).output().unwrap();
    let elapsed = start.elapsed();
    assert_eq!(out.status.code(), Some(code), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let kib = stderr.lines().last().and_then(|l| l.trim().parse().ok()).unwrap_or(0);
    (elapsed, kib)
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
