//! Many workshops at once: in parallel, reproducibly, skipping what did not
//! change, split into shards, to PDF standards.

use std::path::Path;

use crate::support::{Pdf, Scratch, root, run, run_with, sample};

const MINIMAL: &str = "title: A Workshop\ndates: {start: 2023-05-04, end: 2023-05-05}\n\
                       chapters:\n  - {title: Background, text: Some text.}\n";

#[test]
fn builds_are_identical_whatever_the_clock_zone_locale_or_folder() {
    let out_a = tempfile::tempdir().unwrap();
    let out_b = tempfile::tempdir().unwrap();
    // Every sample, from the repository, by a relative path, in UTC and
    // the C locale ...
    let a = out_a.path().to_str().unwrap();
    run_with(&root(), &["build", "inputs", "--out-dir", a], &[("TZ", "UTC"), ("LC_ALL", "C")])
        .success();
    // ... and from elsewhere, by an absolute path, in Tokyo, in Turkish.
    let elsewhere = tempfile::tempdir().unwrap();
    let b = out_b.path().to_str().unwrap();
    let inputs = root().join("inputs");
    run_with(
        elsewhere.path(),
        &["build", inputs.to_str().unwrap(), "--out-dir", b],
        &[("TZ", "Asia/Tokyo"), ("LC_ALL", "tr_TR.UTF-8"), ("SOURCE_DATE_EPOCH", "1")],
    )
    .success();
    let mut samples = 0;
    for entry in std::fs::read_dir(&inputs).unwrap() {
        let path = entry.unwrap().path();
        if !path.join("workshop.yaml").is_file() {
            continue;
        }
        let name = format!("{}.pdf", path.file_name().unwrap().to_str().unwrap());
        let first = std::fs::read(out_a.path().join(&name)).unwrap();
        let second = std::fs::read(out_b.path().join(&name)).unwrap();
        assert!(first == second, "the two builds of {name} differ");
        samples += 1;
    }
    assert!(samples >= 5, "every sample, in every language, was compared");
    let first = std::fs::read(out_a.path().join("egov-sdg-2022.pdf")).unwrap();
    // The document date is the data's, not the clock's.
    assert!(Pdf::load(&first).doc.trailer.get(b"Info").is_ok());
    assert!(String::from_utf8_lossy(&first).contains("D:20220316"), "document date from the data");
}

#[test]
fn unchanged_workshops_are_skipped_until_their_inputs_change() {
    let scratch = Scratch::new("w", MINIMAL);
    let dir = scratch.path_of("w");
    let out = scratch.path_of("out");
    let args = ["build", dir.to_str().unwrap(), "--out-dir", out.to_str().unwrap()];
    let first = run(&args).success();
    assert!(first.stderr().contains("1 built, 0 skipped"), "{}", first.stderr());

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let entry = &manifest["workshops"]["w"];
    assert_eq!(entry["pages"], 3);
    let pdf = std::fs::read(out.join("w.pdf")).unwrap();
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&pdf).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(entry["sha256"], sha);
    assert_eq!(entry["inputs"].as_str().unwrap().len(), 64);

    assert!(run(&args).success().stderr().contains("0 built, 1 skipped"));
    // A file the record does not name plays no part (issue 11: an unused
    // file, even a pipe, is never read).
    scratch.write("w/notes.csv", "Name\nA\n");
    assert!(run(&args).success().stderr().contains("0 built, 1 skipped"));
    // Any input changes: rebuilt.
    let record = std::fs::read_to_string(dir.join("workshop.yaml")).unwrap();
    scratch.write("w/workshop.yaml", &record.replace("title: ", "title: New "));
    assert!(run(&args).success().stderr().contains("1 built, 0 skipped"));
    // The PDF was tampered with: rebuilt.
    std::fs::write(out.join("w.pdf"), b"%PDF-broken").unwrap();
    assert!(run(&args).success().stderr().contains("1 built, 0 skipped"));
    // Forced: rebuilt.
    let mut forced = args.to_vec();
    forced.push("--force");
    assert!(run(&forced).success().stderr().contains("1 built, 0 skipped"));
}

#[test]
fn a_failing_workshop_does_not_stop_the_others() {
    let scratch = Scratch::new("a-good", MINIMAL);
    scratch.write("b-bad/workshop.yaml", "title: B\ndates: {start: 2023-05-04, end: 2023-02-30}\n");
    scratch.write("c-good/workshop.yaml", MINIMAL);
    let out = scratch.path_of("out");
    let result = run(&[
        "build",
        scratch.dir.path().to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "-j",
        "2",
    ])
    .status(1);
    assert!(
        result.stderr().contains("2 built, 0 skipped (unchanged), 1 failed"),
        "{}",
        result.stderr()
    );
    assert!(result.stderr().contains("error[invalid-date]"));
    assert!(out.join("a-good.pdf").is_file() && out.join("c-good.pdf").is_file());
    assert!(!out.join("b-bad.pdf").exists());
}

#[test]
fn shards_split_the_workshops_without_overlap() {
    let scratch = Scratch::new("w0", MINIMAL);
    for i in 1..8 {
        scratch.write(&format!("w{i}/workshop.yaml"), MINIMAL);
    }
    let all = scratch.dir.path().to_str().unwrap();
    let mut seen = Vec::new();
    for k in 1..=3 {
        let out = scratch.path_of(&format!("out{k}"));
        let shard = format!("{k}/3");
        run(&["build", all, "--out-dir", out.to_str().unwrap(), "--shard", &shard]).success();
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.retain(|n| n.ends_with(".pdf"));
        seen.extend(names);
    }
    seen.sort();
    let expected: Vec<String> = (0..8).map(|i| format!("w{i}.pdf")).collect();
    assert_eq!(seen, expected, "every workshop in exactly one shard");
    run(&["build", all, "--shard", "4/3"]).status(2);
}

#[test]
fn pdf_standards_are_met_or_refused_with_the_reason() {
    let out = tempfile::tempdir().unwrap();
    let path = sample();
    run(&[
        "build",
        path.to_str().unwrap(),
        "--out-dir",
        out.path().to_str().unwrap(),
        "--pdf-standard",
        "a-2b",
    ])
    .success();
    let pdf = std::fs::read(out.path().join("egov-sdg-2022.pdf")).unwrap();
    assert!(String::from_utf8_lossy(&pdf).contains("pdfaid:part>2<"), "PDF/A-2 identification");

    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2023-05-04, end: 2023-05-04}\nchapters:\n  - title: C\n    body:\n\
         \x20     - figure: {file: logo.svg}\n        caption: A logo.\n",
    );
    let logo = std::fs::read_to_string(root().join("inputs/egov-sdg-2022/images/d-8.svg")).unwrap();
    scratch.write("w/logo.svg", &logo);
    let dir = scratch.path_of("w");
    let err = run(&[
        "build",
        dir.to_str().unwrap(),
        "--out-dir",
        out.path().to_str().unwrap(),
        "--pdf-standard",
        "ua-1",
    ])
    .status(1)
    .stderr();
    assert!(
        err.contains("error[missing-alt-text]: the picture `logo.svg` has no text alternative"),
        "{err}"
    );
}

#[test]
fn source_is_written_with_its_images_for_typst() {
    let out = tempfile::tempdir().unwrap();
    let path = sample();
    let result =
        run(&["source", path.to_str().unwrap(), "--out-dir", out.path().to_str().unwrap()])
            .success();
    assert!(result.stdout().contains("typst compile"));
    let main = std::fs::read_to_string(out.path().join("main.typ")).unwrap();
    assert!(main.contains(r#"image("/assets/images/un-desa.svg""#));
    assert!(Path::new(&out.path().join("assets/images/un-desa.svg")).is_file());
    assert_eq!(
        main,
        run(&["source", path.to_str().unwrap()]).success().stdout(),
        "the same source as printed"
    );
}
