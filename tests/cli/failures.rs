//! Bad input: a clear message, a non-zero status, no panic, nothing lost.

use crate::support::{Scratch, run};

const GOOD: &str = "title: A workshop\ndates: {start: 2022-03-15, end: 2022-03-16}\n";

#[test]
fn failed_build_keeps_the_earlier_pdf() {
    let scratch = Scratch::new("w", GOOD);
    let dir = scratch.path_of("w");
    let out = scratch.path_of("out");
    let args = ["build", dir.to_str().unwrap(), "--out-dir", out.to_str().unwrap()];
    run(&args).success();
    let before = std::fs::read(out.join("w.pdf")).unwrap();

    scratch.write(
        "w/workshop.yaml",
        "title: A workshop\ndates: {start: 2022-03-15, end: 2022-02-30}\n",
    );
    let failed = run(&args).status(1);
    assert!(
        failed.stderr().contains("`2022-02-30` is not a date of the calendar"),
        "{}",
        failed.stderr()
    );
    assert_eq!(std::fs::read(out.join("w.pdf")).unwrap(), before, "the earlier PDF changed");
    let mut leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    leftovers.sort();
    assert_eq!(leftovers, ["manifest.json", "w.pdf"], "temporary files left behind");
}

#[test]
fn check_reports_every_problem_with_file_line_and_hint() {
    let record = "title: A workshop\n\
                  dates: {start: 2022-13-01, end: 2022-03-16}\n\
                  language: English\n\
                  organisers:\n  - name: Org\n    logo: ../outside.png\n\
                  annexes:\n  - participants:\n      - file: people.csv\n        group_by: Country\n";
    let scratch = Scratch::new("w", record);
    scratch.write("w/people.csv", "Name,Nation\nA,B\n");
    let result = run(&["check", scratch.path_of("w").to_str().unwrap()]).status(1);
    let err = result.stderr();
    for expected in [
        "error[invalid-date]: `2022-13-01` is not a date of the calendar",
        "w/workshop.yaml:2:16",
        "error[invalid-language]",
        "error[path-outside]: `../outside.png` leads out of the workshop folder",
        "error[unknown-column]",
        "its columns are: Name, Nation",
        "hint:",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn syntax_errors_point_at_the_line() {
    let scratch =
        Scratch::new("w", "title: A\ndates: {start: 2022-03-15, end: 2022-03-16}\ntitel: typo\n");
    let result = run(&["check", scratch.path_of("w").to_str().unwrap()]).status(1);
    let err = result.stderr();
    assert!(err.contains("titel"), "{err}");
    assert!(err.contains("workshop.yaml:3:1"), "{err}");
}

#[test]
fn usage_errors_exit_with_two() {
    run(&["build", "--no-such-flag"]).status(2);
    run(&["frobnicate"]).status(2);
    let scratch = Scratch::new("w", GOOD);
    run(&["build", scratch.path_of("nothing-here").to_str().unwrap()]).status(2);
}

#[test]
fn help_explains_commands_with_examples() {
    let help = run(&["build", "--help"]).success().stdout();
    assert!(help.contains("--out-dir"));
    assert!(help.contains("Examples:"));
}

#[test]
fn layout_mistakes_are_all_reported_where_they_are() {
    let record = r##"title: T
dates: {start: 2022-03-15, end: 2022-03-16}
branding:
  colour: blue
  font: Comic Sans
chapters:
  - title: C
    body:
      - text: a
        figure: {file: x.png}
      - table:
          columns: [A, B]
          rows:
            - [only one]
      - chart: {file: data.csv, label: Country, values: [Score]}
annexes:
  - agenda:
      time_zones: [{label: Somewhere, zone: Mars/Olympus}]
      days: []
  - agenda:
      days:
        - date: 2022-03-20
          sessions:
            - {start: "10:00", title: Second}
            - {start: "09:00", end: "08:00", title: First}
            - {start: "9 am", title: Third}
"##;
    let scratch = Scratch::new("w", record);
    scratch.write("w/data.csv", "Country,Score\nA,0.5\nB,high\n");
    let err = run(&["check", scratch.path_of("w").to_str().unwrap()]).status(1).stderr();
    for expected in [
        "error[invalid-colour]: `blue` is not a colour",
        "error[unknown-font]: no font family `Comic Sans`",
        "error[block-kind]",
        "error[table-row-length]: this row has 1 cell, the table has 2 columns",
        "error[not-a-number]: `high` in column `Score` on line 3",
        "w/data.csv:3:1",
        "error[unknown-time-zone]: `Mars/Olympus` is not a time zone",
        "error[day-outside-workshop]",
        "error[session-ends-before-start]",
        "error[sessions-out-of-order]",
        "error[invalid-time]: `9 am` is not a time of day",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn typst_errors_name_the_template_file_and_line() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2022-03-15, end: 2022-03-15}\nchapters:\n  - {title: C, text: Hi.}\n",
    );
    let built_in =
        std::fs::read_to_string(crate::support::root().join("templates/chapters.typ.j2")).unwrap();
    let broken = built_in.replace(
        "#heading(level: {{ level }})[{{ item.title | isolate }}]",
        "#heading(level: {{ level }}, nonsense: 1)[{{ item.title | isolate }}]",
    );
    assert_ne!(broken, built_in);
    let line = broken.lines().position(|l| l.contains("nonsense")).unwrap() + 1;
    scratch.write("templates/chapters.typ.j2", &broken);
    let templates = scratch.path_of("templates");
    let err = run(&[
        "check",
        scratch.path_of("w").to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ])
    .status(1)
    .stderr();
    assert!(err.contains("error[typst]: unexpected argument: nonsense"), "{err}");
    assert!(err.contains(&format!("templates/chapters.typ.j2:{line}:1")), "{err}");
    assert!(err.contains("of the generated source"), "{err}");
}

#[test]
fn other_encodings_and_delimiters_are_read_when_said_or_seen() {
    let record = "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\nannexes:\n  - participants:\n      - file: participants.csv\n";
    let latin1 = b"Name,Country\nRen\xe9 M\xfcller,T\xfcrkiye\n";
    // Each file is read in its own encoding: Windows-1252, guessed from its
    // bytes, with a warning; named in the record, or by `--encoding`,
    // without one.
    let scratch = Scratch::new("w", record);
    std::fs::write(scratch.path_of("w/participants.csv"), latin1).unwrap();
    let run_source = |args: &[&str]| {
        let mut all = vec!["source", "w"];
        all.extend(args);
        crate::support::run_in(scratch.dir.path(), &all).success()
    };
    let out = run_source(&[]);
    assert!(out.stdout().contains("René Müller"), "{}", out.stdout());
    assert!(
        out.stderr().contains("warning[encoding-guessed]: `w/participants.csv` is not UTF-8: it was read as windows-1252"),
        "{}",
        out.stderr()
    );
    let out = run_source(&["--encoding", "windows-1252"]);
    assert!(
        out.stdout().contains("René Müller") && !out.stderr().contains("warning"),
        "{}",
        out.stderr()
    );
    scratch.write(
        "w/workshop.yaml",
        &record.replace("participants.csv\n", "participants.csv\n        encoding: latin1\n"),
    );
    let out = run_source(&[]);
    assert!(
        out.stdout().contains("Türkiye") && !out.stderr().contains("warning"),
        "{}",
        out.stderr()
    );
    // UTF-16 with its byte-order mark, as Excel saves "Unicode text".
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("Name,Country\nRené Müller,Türkiye\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    scratch.write("w/workshop.yaml", record);
    std::fs::write(scratch.path_of("w/participants.csv"), utf16).unwrap();
    let out = run_source(&[]);
    assert!(
        out.stdout().contains("René Müller") && !out.stderr().contains("warning"),
        "{}",
        out.stderr()
    );
    // A spreadsheet's semicolon-separated export is recognised by its header.
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2022-03-15, end: 2022-03-15}\nannexes:\n  - participants:\n      - {file: p.csv, group_by: Land}\n",
    );
    scratch.write("w/p.csv", "Name;Land\n\"Dupont, Anne\";France\nMüller;Deutschland\n");
    let source = run(&["source", scratch.path_of("w").to_str().unwrap()]).success().stdout();
    assert!(source.contains("[Dupont, Anne]"), "{source}");
    assert!(source.contains("Deutschland"));
}

#[test]
fn warnings_pass_unless_denied_and_print_as_json() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2022-03-15, end: 2022-03-15}\nchapters:\n  - title: Empty\n",
    );
    let dir = scratch.path_of("w");
    let dir = dir.to_str().unwrap();
    let ok = run(&["check", dir]).success();
    assert!(
        ok.stderr().contains("warning[empty-section]: `Empty` has no content"),
        "{}",
        ok.stderr()
    );
    assert!(ok.stdout().contains("(1 warning)"));
    run(&["check", dir, "--deny-warnings"]).status(1);
    let out = scratch.path_of("out");
    run(&["build", dir, "--deny-warnings", "--out-dir", out.to_str().unwrap()]).status(1);
    assert!(!out.join("w.pdf").exists(), "a denied build writes no PDF");

    let json = run(&["check", dir, "--format", "json"]).success().stdout();
    let doc: serde_json::Value = serde_json::from_str(&json).expect("one JSON document");
    let d = &doc["workshops"][0]["diagnostics"][0];
    assert_eq!(doc["workshops"][0]["status"], "ok");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["code"], "empty-section");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(4), Some(12)));
    assert!(d["file"].as_str().unwrap().ends_with("w/workshop.yaml"));
    assert!(d["hint"].as_str().unwrap().contains("text"));
    // Keys in the documented order.
    let keys: Vec<&str> = [
        "\"file\"",
        "\"line\"",
        "\"column\"",
        "\"severity\"",
        "\"code\"",
        "\"message\"",
        "\"hint\"",
    ]
    .into_iter()
    .collect();
    let positions: Vec<usize> = keys.iter().map(|k| json.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
}
