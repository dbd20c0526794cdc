//! Data is never code: whatever a user types prints as typed.

use crate::support::{Pdf, Scratch, run};

const INJECTION_TITLE: &str = r#"#read("/etc/passwd") $x$ *b* _i_ <l> @r // c"#;

/// A record whose title and text are made of Typst syntax.
fn hostile_workshop() -> Scratch {
    let record = format!(
        r##"title: '{INJECTION_TITLE}'
subtitle: "#include \"/etc/hostname\" ] [ \\"
dates: {{start: 2022-03-15, end: 2022-03-16}}
chapters:
  - title: "= Not a heading #set page(width: 1cm)"
    text: |
      Hash # dollar $ less < at @ bracket ] backtick ` backslash \ end.

      A `#raw` span, and <b>html</b> stays text; /* not a comment */ -- and ... stay.

      1. first
      2. second: https://example.org/x?y=1
"##
    );
    Scratch::new("hostile", &record)
}

#[test]
fn injection_title_and_markdown_print_literally() {
    let scratch = hostile_workshop();
    let out = scratch.path_of("out");
    run(&[
        "build",
        scratch.path_of("hostile").to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
    ])
    .success();
    let text = Pdf::load(&std::fs::read(out.join("hostile.pdf")).unwrap()).text();

    assert!(text.contains(INJECTION_TITLE), "title not literal in:\n{text}");
    assert!(text.contains(r##"#include "/etc/hostname" ] [ \"##));
    assert!(text.contains("= NOT A HEADING #SET PAGE(WIDTH: 1CM)"));
    assert!(text.contains(r"Hash # dollar $ less < at @ bracket ] backtick ` backslash \ end."));
    assert!(text.contains("<b>html</b> stays text; /* not a comment */ -- and ... stay."));
    assert!(text.contains("#raw"));
    assert!(text.contains("second: https://example.org/x?y=1"));
    // The file was not read into the report.
    assert!(!text.contains("root:"), "file contents leaked into the PDF");
}

#[test]
fn generated_source_escapes_the_title() {
    let scratch = hostile_workshop();
    let result = run(&["source", scratch.path_of("hostile").to_str().unwrap()]).success();
    let source = result.stdout();
    // The title appears only escaped: `\#read\(...`.
    assert!(source.contains(r##"\#read\(\"\/etc\/passwd\"\)"##));
    // Nowhere, not even in the metadata's string literal, does it appear as code.
    assert!(!source.contains(r##"#read("/etc/passwd")"##));
}
