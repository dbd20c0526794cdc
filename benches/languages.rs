//! What languages cost: the size of the binary, and the time and peak
//! memory of a report in English, French, Arabic and Chinese, each built
//! alone (process start to PDF on disk). With `BASELINE=<binary>` (a build
//! of an earlier version), the English report is built by both, turn and
//! turn about, and the binaries' sizes compared.
//!
//! Run with `cargo bench --bench languages`; figures go to BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{TOOL, copy_dir, median, ms, timed_memory_of};

mod common;

const RUNS: usize = 11;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tool = PathBuf::from(TOOL);
    let baseline = std::env::var_os("BASELINE").map(PathBuf::from);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out_arg = out.to_str().unwrap();

    let size = |p: &Path| std::fs::metadata(p).unwrap().len() as f64 / 1_048_576.0;
    print!("binary: {:.1} MiB", size(&tool));
    if let Some(base) = &baseline {
        print!(" (baseline {:.1} MiB)", size(base));
    }
    println!();

    // An English report: the sample as an earlier version reads it too
    // (`language: en`, which every version knows).
    let english = tmp.path().join("english");
    copy_dir(&root.join("inputs/egov-sdg-2022"), &english);
    let record = std::fs::read_to_string(english.join("workshop.yaml")).unwrap();
    let record = record.replace("language: en-GB", "language: en");
    std::fs::write(english.join("workshop.yaml"), record).unwrap();
    let english_arg = english.to_str().unwrap();
    let args = ["build", english_arg, "--out-dir", out_arg, "--force", "-q"];

    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..RUNS {
        ours.push(timed_memory_of(&tool, &args, 0));
        if let Some(base) = &baseline {
            theirs.push(timed_memory_of(base, &args, 0));
        }
    }
    report("English (25 pages)", &ours);
    if !theirs.is_empty() {
        report("English, baseline", &theirs);
        let t = |runs: &[(Duration, u64)]| ms(median(runs.iter().map(|r| r.0).collect()));
        let m = |runs: &[(Duration, u64)]| median(runs.iter().map(|r| r.1).collect()) as f64;
        println!(
            "  against the baseline: time {:+.1}%, peak memory {:+.1}%",
            100.0 * (t(&ours) / t(&theirs) - 1.0),
            100.0 * (m(&ours) / m(&theirs) - 1.0)
        );
    }

    for (name, sample) in [
        ("French", "egov-afrique-2023"),
        ("Arabic", "egov-arab-region-2023"),
        ("Chinese", "egov-asia-pacific-2024"),
    ] {
        let dir = root.join("inputs").join(sample);
        let args = ["build", dir.to_str().unwrap(), "--out-dir", out_arg, "--force", "-q"];
        let runs: Vec<_> = (0..RUNS).map(|_| timed_memory_of(&tool, &args, 0)).collect();
        report(name, &runs);
    }
}

/// Prints the median time and peak memory of `runs`, and their spread.
fn report(what: &str, runs: &[(Duration, u64)]) {
    let times: Vec<Duration> = runs.iter().map(|r| r.0).collect();
    let kib: Vec<u64> = runs.iter().map(|r| r.1).collect();
    let (lo, hi) = (times.iter().min().unwrap(), times.iter().max().unwrap());
    println!(
        "{what:<24} {:>7.1} ms ({:.1}-{:.1}), peak memory {:.1} MiB",
        ms(median(times.clone())),
        ms(*lo),
        ms(*hi),
        median(kib) as f64 / 1024.0
    );
}
