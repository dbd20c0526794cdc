//! Each workshop of a run is processed in a worker process under a memory
//! limit: one that exhausts it fails alone, named with the stage it was in,
//! and every other workshop of the run is built.

use crate::support::{Scratch, run_in};

const RECORD: &str = "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\n\
                      chapters:\n  - {title: C, text: Some text.}\n";

/// A PNG of `side` × `side` black pixels: a few hundred kilobytes that
/// decode to `3 × side²` bytes.
fn png(side: u32) -> Vec<u8> {
    let image = image::RgbImage::new(side, side);
    let mut bytes = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// Workshops `a` and `c`, plain, and `b`, whose logo takes 147 MB to
/// decode: over a limit of 100 MiB, within the picture budget (49 of 64
/// megapixels).
fn batch() -> Scratch {
    let scratch = Scratch::new("a", RECORD);
    scratch.write("c/workshop.yaml", RECORD);
    scratch.write(
        "b/workshop.yaml",
        &format!("{RECORD}organisers:\n  - {{name: O, logo: logo.png}}\n"),
    );
    std::fs::write(scratch.path_of("b/logo.png"), png(7_000)).unwrap();
    scratch
}

#[test]
fn a_workshop_that_exhausts_its_memory_fails_alone() {
    let scratch = batch();
    let args = ["build", "a", "b", "c", "--out-dir", "out", "--memory-limit", "100MiB"];
    let run = run_in(scratch.dir.path(), &args).status(1);
    let err = run.stderr();
    assert!(
        err.contains(
            "error[out-of-memory]: b needed more than the 100 MiB of memory a workshop may use while reading its inputs"
        ),
        "{err}"
    );
    assert!(err.contains("b/workshop.yaml"), "the workshop's record is named: {err}");
    assert!(err.contains("2 built, 0 skipped (unchanged), 1 failed"), "{err}");
    assert!(scratch.path_of("out/a.pdf").is_file() && scratch.path_of("out/c.pdf").is_file());
    assert!(!scratch.path_of("out/b.pdf").exists());
    // The manifest records the two built.
    let manifest = std::fs::read_to_string(scratch.path_of("out/manifest.json")).unwrap();
    assert!(
        manifest.contains("\"a\"") && manifest.contains("\"c\"") && !manifest.contains("\"b\"")
    );

    // With the default limit, the same workshop builds.
    run_in(scratch.dir.path(), &["build", "b", "--out-dir", "out"]).success();
}

#[test]
fn the_failure_is_in_the_json_of_check_and_tally_says_it_too() {
    let scratch = batch();
    let args = ["check", "a", "b", "c", "--format", "json", "--memory-limit", "100MiB"];
    let run = run_in(scratch.dir.path(), &args).status(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let workshops = json["workshops"].as_array().unwrap();
    let statuses: Vec<&str> = workshops.iter().map(|w| w["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["ok", "failed", "ok"], "{json}");
    assert_eq!(workshops[1]["diagnostics"][0]["code"], "out-of-memory", "{json}");
    assert_eq!(workshops[1]["diagnostics"][0]["file"], "b/workshop.yaml", "{json}");

    let run = run_in(scratch.dir.path(), &["tally", "b", "--memory-limit", "100MiB"]).status(1);
    assert!(run.stderr().contains("error[out-of-memory]"), "{}", run.stderr());
}

#[test]
fn in_process_builds_without_workers_and_alike() {
    let scratch = batch();
    run_in(scratch.dir.path(), &["build", "a", "c", "--out-dir", "one"]).success();
    run_in(scratch.dir.path(), &["build", "a", "c", "--out-dir", "two", "--in-process"]).success();
    for pdf in ["a.pdf", "c.pdf"] {
        let one = std::fs::read(scratch.path_of("one").join(pdf)).unwrap();
        let two = std::fs::read(scratch.path_of("two").join(pdf)).unwrap();
        assert!(one == two, "{pdf} differs between a worker and this process");
    }
}

#[test]
fn limits_are_checked_on_the_command_line() {
    let scratch = Scratch::new("a", RECORD);
    let err =
        run_in(scratch.dir.path(), &["build", "a", "--memory-limit", "lots"]).status(2).stderr();
    assert!(err.contains("write a size with its unit, e.g. 2GiB or 1500MiB"), "{err}");
    let err = run_in(scratch.dir.path(), &["build", "a", "--time-limit", "0"]).status(2).stderr();
    assert!(err.contains("--time-limit"), "{err}");
}

#[test]
fn diff_git_compares_the_others_when_one_workshop_fails() {
    let scratch = batch();
    let dir = scratch.dir.path();
    crate::diff::git(dir, &["init", "-q"]);
    crate::diff::git(dir, &["add", "-A"]);
    crate::diff::git(dir, &["commit", "-q", "-m", "Workshops"]);
    for w in ["a", "b"] {
        let record = std::fs::read_to_string(scratch.path_of(w).join("workshop.yaml")).unwrap();
        scratch.write(&format!("{w}/workshop.yaml"), &record.replace("title: T", "title: U"));
    }
    let args = ["diff", "--git", "HEAD", ".", "--format", "json", "--memory-limit", "100MiB"];
    let run = run_in(dir, &args).status(2);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let statuses: Vec<(&str, &str)> = json["workshops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["workshop"].as_str().unwrap(), w["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, [("a", "changed"), ("b", "failed")], "{json}");
    assert!(run.stderr().contains("error[out-of-memory]"), "{}", run.stderr());
}
