//! A batch's memory stays flat: typst's caches of earlier reports are
//! evicted as later ones are built. Its own test binary, so that no other
//! test shares the process whose peak memory it reads (Linux only: the
//! peak comes from /proc/self/status).

use std::path::{Path, PathBuf};

use workshop_report::{Pipeline, Settings};

/// The process's peak resident memory so far, in MiB.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The sample workshop, its title made `n`-th of a series: a report that
/// differs from the others on every page (the title is in the running
/// header), so none of its layout can be reused by another.
fn distinct(root: &Path, n: usize) -> PathBuf {
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("inputs/egov-sdg-2022");
    let dir = root.join(format!("w{n:03}"));
    copy(&sample, &dir);
    let record = std::fs::read_to_string(dir.join("workshop.yaml")).unwrap();
    let record = record.replacen("title: ", &format!("title: Edition {n} of "), 1);
    std::fs::write(dir.join("workshop.yaml"), record).unwrap();
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_batch_of_distinct_reports_evicts_what_earlier_ones_cached() {
    if peak_mib().is_none() {
        eprintln!("no /proc/self/status: the peak memory cannot be read here");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let pipeline = Pipeline::new(Settings { workers: 1, ..Settings::default() });
    let build = |n: usize| {
        let read = pipeline.load(&distinct(tmp.path(), n)).value.expect("the sample reads");
        let built = pipeline.build(read).value.expect("the sample builds");
        assert!(built.pages > 20);
    };
    // The first reports set the plateau: fonts parsed, caches at their
    // working size.
    for n in 0..5 {
        build(n);
    }
    let plateau = peak_mib().unwrap();
    for n in 5..35 {
        build(n);
    }
    let after = peak_mib().unwrap();
    // Each 25-page report kept would add about 20 MiB (measured: 60
    // reports without eviction peak at 1.2 GiB); 30 more kept would add
    // some 600 MiB. Evicted, the peak hardly moves.
    assert!(
        after < plateau + 150.0,
        "peak grew from {plateau:.0} MiB to {after:.0} MiB over 30 distinct reports"
    );
}
