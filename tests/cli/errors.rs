//! The corpus of bad inputs under tests/errors/: one workshop folder per
//! mistake, named err_<what>. Each must fail with status 1 (never a panic),
//! report the mistake its expect.txt names, leave no PDF behind, and keep
//! its diagnostic as reviewed (a snapshot: message, file, line, hint).

use crate::support::{Scratch, root, run};

#[test]
fn every_bad_input_is_reported_where_it_is() {
    let corpus = root().join("tests/errors");
    let mut cases: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("err_"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 60, "the corpus holds {} cases", cases.len());
    let out = tempfile::tempdir().unwrap();
    for case in &cases {
        let dir = format!("tests/errors/{case}");
        let check = run(&["check", &dir]);
        assert_eq!(check.code(), 1, "{case}: expected failure\n{}", check.stderr());
        let stderr = check.stderr();
        let expect = std::fs::read_to_string(corpus.join(case).join("expect.txt")).unwrap();
        assert!(
            stderr.contains(expect.trim()),
            "{case}: expected {:?} in\n{stderr}",
            expect.trim()
        );
        insta::assert_snapshot!(case.as_str(), stderr);

        let build = run(&["build", &dir, "--out-dir", out.path().to_str().unwrap()]);
        assert_eq!(build.code(), 1, "{case}: build must fail too");
    }
    let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert!(left.is_empty(), "failed builds left files behind: {left:?}");
}

#[test]
fn an_oversized_record_fails_fast() {
    // Generated here rather than kept in the corpus: 5 MiB of text.
    let text = format!(
        "title: T\ndates: {{start: 2022-03-15, end: 2022-03-15}}\nchapters:\n  - title: C\n    text: {}\n",
        "word ".repeat(1 << 20)
    );
    let scratch = Scratch::new("w", &text);
    let err = run(&["check", scratch.path_of("w").to_str().unwrap()]).status(1).stderr();
    assert!(err.contains("error[file-too-large]"), "{err}");
    assert!(err.contains("put long data in CSV files"), "{err}");
}

#[test]
fn a_link_out_of_the_workshop_folder_is_refused() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2022-03-15, end: 2022-03-15}\norganisers:\n  - {name: O, logo: logo.png}\n",
    );
    scratch.write("outside.png", "not in the workshop folder");
    #[cfg(unix)]
    std::os::unix::fs::symlink(scratch.path_of("outside.png"), scratch.path_of("w/logo.png"))
        .unwrap();
    let err = run(&["check", scratch.path_of("w").to_str().unwrap()]).status(1).stderr();
    assert!(err.contains("`logo.png` is a link to a file outside the workshop folder"), "{err}");
}

#[test]
fn the_schema_is_published_for_editors() {
    let schema = run(&["schema"]).success().stdout();
    let committed = std::fs::read_to_string(root().join("inputs/workshop.schema.json")).unwrap();
    assert_eq!(schema, committed, "run `workshop-report schema > inputs/workshop.schema.json`");
    let json: serde_json::Value = serde_json::from_str(&schema).unwrap();
    assert_eq!(json["additionalProperties"], false, "misspelt fields are flagged");
    assert!(json["required"].as_array().unwrap().contains(&"title".into()));
}

#[test]
fn a_new_workshop_builds_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-workshop");
    run(&["new", path.to_str().unwrap()]).success();
    let text = std::fs::read_to_string(path.join("workshop.yaml")).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema="));
    let out = dir.path().join("out");
    run(&["build", path.to_str().unwrap(), "--out-dir", out.to_str().unwrap(), "--deny-warnings"])
        .success();
    assert!(out.join("my-workshop.pdf").is_file());
    // It never writes over an existing workshop.
    run(&["new", path.to_str().unwrap()]).status(2);
}
