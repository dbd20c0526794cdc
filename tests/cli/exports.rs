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
    let cases = [
        ("msforms.xlsx", QUESTIONS.to_owned()),
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
        if !export.starts_with("google") && !export.starts_with("indico") {
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
