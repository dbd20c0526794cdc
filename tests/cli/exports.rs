//! Survey exports as the survey tools give them (tests/fixtures/exports:
//! one set of answers exported by each tool, described in its README):
//! each tallies to the same figures.

use crate::support::{Scratch, root, run_in};

/// The questions, named as every tool but LimeSurvey heads them.
const QUESTIONS: &str = r#"      questions:
        - title: How satisfied were you with the workshop?
          scale: [Very satisfied, Satisfied, Neutral, Unsatisfied, Very unsatisfied]
        - title: Which topics were most useful?
          options:
            - Data governance, privacy and security
            - Digital identity; interoperability
            - Open data
            - Other
        - title: How would you rate the sessions?
          rows: [Opening session, Country presentations]
          scale: [Excellent, Good, Fair, Poor]
        - title: What should be improved?
          kind: text
"#;

/// A workshop whose feedback annex reads `export` (a fixture), its
/// questions `questions`; the tally as JSON, and the run's error output.
fn tally(export: &str, questions: &str) -> (serde_json::Value, String) {
    let record = format!(
        "title: T\ndates: {{start: 2024-05-14, end: 2024-05-14}}\nannexes:\n  - feedback:\n      responses: {export}\n{questions}"
    );
    let scratch = Scratch::new("w", &record);
    let bytes = std::fs::read(root().join("tests/fixtures/exports").join(export)).unwrap();
    std::fs::create_dir_all(scratch.path_of("w")).unwrap();
    std::fs::write(scratch.path_of("w").join(export), bytes).unwrap();
    let run = run_in(scratch.dir.path(), &["tally", "w", "--format", "json"]);
    let err = run.stderr();
    assert_eq!(run.code(), 0, "{export}: {err}");
    (serde_json::from_str(&run.stdout()).unwrap(), err)
}

#[test]
fn every_tool_s_export_tallies_the_same() {
    let limesurvey = QUESTIONS
        .replace("workshop?\n", "workshop?\n          column: Q1\n")
        .replace("useful?\n", "useful?\n          column: Q2\n")
        .replace("sessions?\n", "sessions?\n          column: Q3\n")
        .replace("improved?\n", "improved?\n          column: Q4\n");
    let indico = QUESTIONS.replace("useful?\n", "useful?\n          other_column: Other topic\n");
    // Two questions headed alike, taken in order; the blank submission is
    // no respondent.
    let duplicates = QUESTIONS
        .replace("workshop?\n", "workshop?\n          column: Comments\n")
        .replace("improved?\n", "improved?\n          column: Comments\n");
    let cases = [
        ("msforms.xlsx", QUESTIONS.to_owned()),
        // Code-and-text headings found by their text; incomplete responses
        // are no respondents.
        ("limesurvey-codetext.csv", QUESTIONS.to_owned()),
        ("google-duplicates.csv", duplicates),
        ("google.csv", QUESTIONS.to_owned()),
        ("google-sheet.xlsx", QUESTIONS.to_owned()),
        ("surveymonkey.csv", QUESTIONS.to_owned()),
        ("surveymonkey.xlsx", QUESTIONS.to_owned()),
        ("kobo.csv", QUESTIONS.to_owned()),
        ("kobo.xlsx", QUESTIONS.to_owned()),
        ("limesurvey.csv", limesurvey.clone()),
        ("limesurvey.xlsx", limesurvey),
        ("indico.csv", indico.clone()),
        ("indico.xlsx", indico),
    ];
    let (reference, _) = tally(cases[0].0, &cases[0].1);
    let survey = &reference["surveys"][0];
    // The figures, as counted by hand (the fixtures' README).
    assert_eq!(survey["respondents"], 6);
    let q = &survey["questions"];
    let counts = |i: usize| -> Vec<u64> {
        q[i]["options"].as_array().unwrap().iter().map(|o| o["count"].as_u64().unwrap()).collect()
    };
    assert_eq!(counts(0), [2, 2, 1, 0, 0], "Q1");
    assert_eq!(q[0]["answered"], 5);
    assert_eq!(counts(1), [2, 2, 3, 2], "Q2, with two write-ins as Other");
    assert_eq!(q[1]["answered"], 5);
    assert_eq!(q[1]["responses"], serde_json::json!(["Cybersecurity", "AI in government"]));
    assert_eq!(counts(2), [2, 2, 1, 0], "Q3, opening session");
    assert_eq!(counts(3), [1, 2, 1, 0], "Q3, country presentations");
    assert_eq!(q[3]["answered"], 4);
    assert_eq!(q[4]["answered"], 3, "three free-text answers");
    assert_eq!(survey["average_time"], "4:40");

    for (export, questions) in &cases[1..] {
        let (json, _) = tally(export, questions);
        let survey = &json["surveys"][0];
        assert_eq!(survey["respondents"], 6, "{export}");
        assert_eq!(survey["questions"], reference["surveys"][0]["questions"], "{export}");
        // Google Forms and Indico record when answers were sent, not
        // when the respondent started.
        if !export.starts_with("google")
            && !export.starts_with("indico")
            && !export.contains("codetext")
        {
            assert_eq!(survey["average_time"], "4:40", "{export}");
        }
    }
}

#[test]
fn an_export_of_unknown_shape_says_what_is_known_and_what_was_seen() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2024-05-14, end: 2024-05-14}\nannexes:\n  - feedback:\n      responses: r.csv\n      questions:\n        - {title: How satisfied were you?, scale: satisfaction}\n",
    );
    scratch.write("w/r.csv", "Respondent,When,Satisfaction\n1,today,Satisfied\n");
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("has no column `How satisfied were you?`"), "{err}");
    assert!(err.contains("Respondent, When, Satisfaction"), "what was seen: {err}");
    assert!(err.contains("Microsoft Forms") && err.contains("KoboToolbox"), "what is known: {err}");
}

#[test]
fn a_second_column_of_one_heading_is_named_by_its_occurrence() {
    let questions = "      questions:\n        - title: What should be improved?\n          column: Comments\n          kind: text\n";
    let record = |extra: &str| format!("{questions}{extra}");
    // One question for two columns headed alike: which, is not said.
    let scratch = Scratch::new(
        "w",
        &format!(
            "title: T\ndates: {{start: 2024-05-14, end: 2024-05-14}}\nannexes:\n  - feedback:\n      responses: google-duplicates.csv\n{}",
            record("")
        ),
    );
    std::fs::copy(
        root().join("tests/fixtures/exports/google-duplicates.csv"),
        scratch.path_of("w/google-duplicates.csv"),
    )
    .unwrap();
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("has 2 columns headed `Comments` (columns C, G)"), "{err}");
    assert!(err.contains("`occurrence:`"), "{err}");
    // `occurrence: 2` names the second.
    scratch.write(
        "w/workshop.yaml",
        &format!("title: T\ndates: {{start: 2024-05-14, end: 2024-05-14}}\nannexes:\n  - feedback:\n      responses: google-duplicates.csv\n{}", record("          occurrence: 2\n")),
    );
    let out = run_in(scratch.dir.path(), &["tally", "w", "--format", "json"]).success().stdout();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let q = &json["surveys"][0]["questions"][0];
    assert_eq!(q["answered"], 3, "{json}");
    assert_eq!(q["responses"][0], "More time for group work, please.", "{json}");
}

#[test]
fn an_export_in_windows_1252_beside_a_utf8_list_builds_with_a_warning() {
    let scratch = Scratch::new(
        "w",
        &format!(
            "title: T\ndates: {{start: 2024-05-14, end: 2024-05-14}}\nannexes:\n  - participants:\n      - file: people.csv\n  - feedback:\n      responses: google-1252.csv\n{QUESTIONS}"
        ),
    );
    scratch.write("w/people.csv", "Name,Country\nChloé Müller,Türkiye\n");
    std::fs::copy(
        root().join("tests/fixtures/exports/google-1252.csv"),
        scratch.path_of("w/google-1252.csv"),
    )
    .unwrap();
    let run = run_in(scratch.dir.path(), &["build", "w", "--out-dir", "out"]).success();
    assert!(
        run.stderr().contains("warning[encoding-guessed]: `w/google-1252.csv` is not UTF-8: it was read as windows-1252"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("people.csv"), "the UTF-8 list says nothing: {}", run.stderr());
    let text =
        crate::support::Pdf::load(&std::fs::read(scratch.path_of("out/w.pdf")).unwrap()).text();
    assert!(text.contains("Chloé Müller") && text.contains("Séances plus courtes"), "{text}");
}

#[test]
fn an_export_two_tools_fit_asks_which() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2024-05-14, end: 2024-05-14}\nannexes:\n  - feedback:\n      responses: r.csv\n      questions:\n        - {title: Q1, options: [a, b]}\n",
    );
    scratch.write("w/r.csv", "id,submitdate,lastpage,startlanguage,Q1,_id,_uuid,_submission_time\n1,2024-05-14,1,en,a,9,u,2024-05-14\n");
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("has the metadata columns of several survey tools: KoboToolbox (`tool: kobotoolbox`), LimeSurvey (`tool: limesurvey`)"), "{err}");
    let record = std::fs::read_to_string(scratch.path_of("w/workshop.yaml")).unwrap();
    scratch.write(
        "w/workshop.yaml",
        &record.replace("responses: r.csv\n", "responses: r.csv\n      tool: limesurvey\n"),
    );
    let out = run_in(scratch.dir.path(), &["tally", "w", "--format", "json"]).success().stdout();
    assert!(out.contains("\"respondents\": 1"), "{out}");
}
