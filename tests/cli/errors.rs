//! Bad inputs made at test time (too large, links, pipes): the corpus of
//! bad inputs kept as folders runs as its own test target, tests/corpus.rs.

use crate::support::{Scratch, root, run};

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
