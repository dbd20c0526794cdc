//! Feedback surveys: every figure computed from the answers, as a reader
//! checks it.

use serde_json::Value;

use crate::support::{Pdf, Scratch, build, root, run};

fn tally(dir: &str) -> Value {
    let path = root().join(dir);
    let out = run(&["tally", path.to_str().unwrap(), "--format", "json"]).success().stdout();
    serde_json::from_str(&out).expect("tally prints JSON")
}

fn counts(question: &Value) -> Vec<u64> {
    question["options"].as_array().unwrap().iter().map(|o| o["count"].as_u64().unwrap()).collect()
}

fn percents(question: &Value) -> Vec<&str> {
    question["options"].as_array().unwrap().iter().map(|o| o["percent"].as_str().unwrap()).collect()
}

#[test]
fn every_kind_of_question_is_counted_as_by_hand() {
    let t = tally("tests/fixtures/survey-kinds");
    let survey = &t["surveys"][0];
    assert_eq!(survey["respondents"], 6);
    // The first list of the participants annex: 10 people.
    assert_eq!(survey["response_rate"], "60%");
    assert_eq!(survey["average_time"], Value::Null, "Google Forms exports have no durations");
    let q = &survey["questions"];

    // Scale, with spellings mapped, case and spaces ignored, one blank.
    assert_eq!(counts(&q[0]), [1, 3, 0, 0, 1]);
    assert_eq!(percents(&q[0]), ["20%", "60%", "0%", "0%", "20%"]);
    assert_eq!((&q[0]["answered"], &q[0]["not_answered"]), (&Value::from(5), &Value::from(1)));
    assert_eq!(q[0]["mean"], "3.60");
    assert_eq!(q[0]["median"], "Satisfied");
    assert_eq!(q[0]["top_two"], "80%");

    // Rating 1-5: "1 - Not useful" and "1" are the same answer.
    assert_eq!(counts(&q[1]), [1, 0, 1, 2, 1]);
    assert_eq!(q[1]["mean"], "3.40");
    assert_eq!(q[1]["median"], "4");

    // Multiple choice: shares of those who answered; a trailing `;` is
    // nothing.
    assert_eq!(counts(&q[2]), [2, 4, 2]);
    assert_eq!(percents(&q[2]), ["40%", "80%", "40%"]);
    assert_eq!(q[2]["mean"], Value::Null);

    // Free text: the answers themselves.
    assert_eq!(q[3]["answered"], 3);
    assert_eq!(q[3]["responses"], serde_json::json!(["Great", "Too short", "More please"]));
}

#[test]
fn a_raw_export_reproduces_the_second_seeds_published_figures() {
    let t = tally("tests/fixtures/seed-001-export");
    let survey = &t["surveys"][0];
    assert_eq!(survey["respondents"], 8);
    assert_eq!(survey["average_time"], "31:47");
    let q = survey["questions"].as_array().unwrap();
    // The counts of the report's annex III, question by question.
    assert_eq!(counts(&q[0]), [2, 6, 0, 0, 0]);
    assert_eq!(counts(&q[1]), [0, 0, 2, 3, 3]);
    assert_eq!(counts(&q[2]), [1, 7, 0, 0, 0]);
    assert_eq!(counts(&q[3]), [0, 0, 2, 4, 2]);
    assert_eq!(q[4]["answered"], 6);
    assert_eq!(q[4]["responses"].as_array().unwrap().len(), 3, "`show` picks three answers");
    assert_eq!(counts(&q[5]), [4, 2, 1, 1, 0]);
    assert_eq!(counts(&q[6]), [4, 4, 0, 0, 0]);
    assert_eq!(counts(&q[7]), [3, 5, 0, 0, 0]);
    // Equal counts print equal shares (1 of 8 is 12.5%, printed 13%).
    assert_eq!(percents(&q[5]), ["50%", "25%", "13%", "13%", "0%"]);
}

#[test]
fn the_sample_tallies_match_the_seed_and_print_in_the_report() {
    let t = tally("inputs/egov-sdg-istanbul-2022");
    let q = t["surveys"][0]["questions"].as_array().unwrap();
    assert_eq!(counts(&q[1]), [0, 0, 2, 3, 3]);
    let text = Pdf::load(&build(&root().join("inputs/egov-sdg-istanbul-2022"))).text();
    for expected in
        ["31:47", "Average time to complete", "57%", "6 (75%)", "Mean 4.25", "6 responses"]
    {
        assert!(text.contains(expected), "{expected:?} missing from the feedback annex");
    }
}

#[test]
fn json_keys_keep_their_documented_order() {
    let path = root().join("tests/fixtures/survey-kinds");
    let json = run(&["tally", path.to_str().unwrap(), "--format", "json"]).success().stdout();
    insta::assert_snapshot!("survey-kinds.json", json);
    let csv = run(&["tally", path.to_str().unwrap(), "--format", "csv"]).success().stdout();
    assert!(csv.starts_with(
        "annex,question,title,kind,option,count,percent,answered,not_answered,mean,median,top_two\n"
    ));
    assert!(csv.contains("II,3,Which topics interest you?,choice,Data,4,80%,5,1,,,\n"), "{csv}");
}

#[test]
fn answers_off_the_scale_name_the_file_line_and_column() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2023-05-04, end: 2023-05-04}\nannexes:\n  - feedback:\n\
         \x20     responses: r.csv\n      questions:\n        - {title: Q, scale: satisfaction}\n",
    );
    scratch.write("w/r.csv", "ID,Q\n1,Satisfied\n2,Rather happy\n");
    let err = run(&["tally", scratch.path_of("w").to_str().unwrap()]).status(1).stderr();
    assert!(
        err.contains(
            "error[unknown-answer]: `Rather happy` on line 3, field 2 (`Q`), is not an option"
        ),
        "{err}"
    );
    // Line and character column, as editors count them, with a caret under the answer.
    assert!(err.contains("w/r.csv:3:3"), "{err}");
    assert!(err.contains("map other spellings"), "{err}");

    // Mapped, it counts.
    scratch.write(
        "w/workshop.yaml",
        "title: T\ndates: {start: 2023-05-04, end: 2023-05-04}\nannexes:\n  - feedback:\n\
         \x20     responses: r.csv\n      questions:\n        - {title: Q, scale: satisfaction, map: {rather happy: Satisfied}}\n",
    );
    let out = run(&["tally", scratch.path_of("w").to_str().unwrap(), "--format", "csv"])
        .success()
        .stdout();
    assert!(out.contains("I,1,Q,scale,Satisfied,2,100%"), "{out}");
}

#[test]
fn scales_may_give_each_label_its_value() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2023-05-04, end: 2023-05-04}\nannexes:\n  - feedback:\n\
         \x20     responses: r.csv\n      questions:\n        - title: Q\n          scale:\n\
         \x20           - {label: Excellent, value: 4}\n            - {label: Good, value: 3}\n\
         \x20           - {label: Poor, value: 0}\n",
    );
    scratch.write("w/r.csv", "ID,Q\n1,Excellent\n2,Poor\n3,Good\n4,Good\n");
    let out = run(&["tally", scratch.path_of("w").to_str().unwrap(), "--format", "json"])
        .success()
        .stdout();
    let t: Value = serde_json::from_str(&out).unwrap();
    let q = &t["surveys"][0]["questions"][0];
    assert_eq!(counts(q), [1, 2, 1]);
    // (4 + 3 + 3 + 0) / 4
    assert_eq!(q["mean"], "2.50");
}
