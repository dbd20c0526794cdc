//! Markdown text kept in files of the workshop folder (`text_file:`).

use crate::support::{Scratch, run, run_in};

const RECORD: &str = "title: T\ndates: {start: 2024-05-14, end: 2024-05-14}\n";

#[test]
fn a_chapter_in_a_markdown_file_prints_as_if_inline() {
    let text = "The workshop met **twice**.\n\n- one\n- two\n";
    let inline = Scratch::new(
        "w",
        &format!(
            "{RECORD}chapters:\n  - title: Background\n    text: |\n      The workshop met **twice**.\n\n      - one\n      - two\n"
        ),
    );
    let in_file = Scratch::new(
        "w",
        &format!(
            "{RECORD}chapters:\n  - title: Background\n    text_file: chapters/background.md\n"
        ),
    );
    in_file.write("w/chapters/background.md", text);
    let source =
        |s: &Scratch| run(&["source", s.path_of("w").to_str().unwrap()]).success().stdout();
    assert_eq!(source(&in_file), source(&inline));
}

#[test]
fn problems_in_a_markdown_file_point_at_its_lines() {
    let scratch = Scratch::new(
        "w",
        &format!(
            "{RECORD}chapters:\n  - title: Background\n    text_file: chapters/background.md\n  - title: Both\n    text: Inline.\n    text_file: chapters/other.md\n  - title: Missing\n    text_file: chapters/missing.md\n"
        ),
    );
    scratch.write("w/chapters/background.md", "First paragraph.\n\nA bell \u{7} rings.\n");
    scratch.write("w/chapters/other.md", "Other.\n");
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("w/chapters/background.md:3:8"), "{err}");
    assert!(err.contains("both `text` and `text_file` are given"), "{err}");
    assert!(err.contains("chapters/missing.md"), "{err}");
}

#[test]
fn diff_compares_the_text_of_markdown_files() {
    let old = Scratch::new(
        "w",
        &format!(
            "{RECORD}chapters:\n  - title: Background\n    text_file: chapters/background.md\n"
        ),
    );
    old.write("w/chapters/background.md", "The workshop met twice.\n");
    let new = Scratch::new(
        "w",
        &format!(
            "{RECORD}chapters:\n  - title: Background\n    text_file: chapters/background.md\n"
        ),
    );
    new.write("w/chapters/background.md", "The workshop met three times.\n");
    let out =
        run(&["diff", old.path_of("w").to_str().unwrap(), new.path_of("w").to_str().unwrap()])
            .status(1)
            .stdout();
    assert!(out.contains("Background") && out.contains("three times"), "{out}");
}
