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

/// Strings that are Typst (or Markdown, or HTML) in disguise. Printed from a
/// CSV cell and as a title, each must come out exactly as typed.
const HOSTILE: &[&str] = &[
    r#"#read("/etc/passwd")"#,
    r#"#include "/etc/hostname""#,
    r#"#import "@preview/cetz:0.3.0": *"#,
    r#"#image("/etc/passwd")"#,
    "#let x = 1; #x",
    "#{ panic(\"boom\") }",
    r#"#eval("1 + 1")"#,
    "#set page(width: 1cm)",
    "#show: none",
    "[unbalanced",
    "]]] closing",
    "{ braces }",
    "```typ #read(\"x\") ```",
    "`raw`",
    "// a comment",
    "/* open comment",
    "<label> and <l>",
    "@reference @r",
    "$x^2 + y_1$",
    "= heading? - list? + enum? / term: x",
    "1. not a list",
    "*strong* _emph_ ~nbsp~ --- ... 'quotes' \"double\"",
    r"back\slash \u{41} \\ \#",
    "https://example.org/a_b*c",
    "<b>html</b> &amp; <script>alert(1)</script>",
    "zero\u{200b}width\u{200d}joiner",
    "Supercalifragilisticexpialidocious-anticonstitutionnellement-Donaudampfschifffahrtsgesellschaftskapitän",
];

#[test]
fn hostile_strings_print_literally() {
    let long_word = "a".repeat(400);
    let mut rows: Vec<String> = HOSTILE.iter().map(|s| (*s).to_owned()).collect();
    rows.push(long_word.clone());
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["Name"]).unwrap();
    for row in &rows {
        csv.write_record([row]).unwrap();
    }
    let csv = String::from_utf8(csv.into_inner().unwrap()).unwrap();
    let title = HOSTILE.join(" | ").replace('"', "'");
    let record = format!(
        "title: \"{}\"\ndates: {{start: 2022-03-15, end: 2022-03-15}}\n\
         annexes:\n  - participants:\n      - {{file: people.csv, columns: [Name], title: Hostile}}\n",
        title.replace('\\', "\\\\")
    );
    let scratch = Scratch::new("h", &record);
    scratch.write("h/people.csv", &csv);
    let out = scratch.path_of("out");
    run(&["build", scratch.path_of("h").to_str().unwrap(), "--out-dir", out.to_str().unwrap()])
        .success();
    let text = Pdf::load(&std::fs::read(out.join("h.pdf")).unwrap()).text();
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let visible = |s: &str| -> String {
        s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '\u{200b}'..='\u{200d}')).collect()
    };
    for row in &rows {
        assert!(squeezed.contains(&visible(row)), "{row:?} did not print as typed");
    }
    assert!(squeezed.contains(&visible(&title)), "the title did not print as typed");
    assert!(!text.contains("root:x:0"), "a file was read into the report");
}

#[test]
fn characters_that_cannot_print_as_typed_are_refused() {
    for (name, bad) in [
        ("bell", "\u{7}"),
        ("escape", "\u{1b}[31m"),
        ("override", "\u{202e}evil"),
        ("isolate", "\u{2067}x"),
    ] {
        let scratch = Scratch::new(
            "w",
            "title: T\ndates: {start: 2022-03-15, end: 2022-03-15}\nannexes:\n  - participants:\n      - {file: p.csv}\n",
        );
        scratch.write("w/p.csv", &format!("Name\nA {bad} B\n"));
        let err = run(&["check", scratch.path_of("w").to_str().unwrap()]).status(1).stderr();
        assert!(
            err.contains("error[control-character]") || err.contains("error[bidi-control]"),
            "{name}: {err}"
        );
        assert!(err.contains("p.csv:2:3"), "{name}: {err}");
    }
    // A YAML escape smuggles one into a value: refused when printed.
    let scratch =
        Scratch::new("w", "title: \"A \\x07 bell\"\ndates: {start: 2022-03-15, end: 2022-03-15}\n");
    let err = run(&["check", scratch.path_of("w").to_str().unwrap()]).status(1).stderr();
    assert!(err.contains("U+0007"), "{err}");
}
