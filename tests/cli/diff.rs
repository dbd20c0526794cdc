//! `workshop-report diff`: pairs of versions with known changes, each
//! summary stating exactly those changes and no others; git revisions and
//! `--git`; `--pages`.
//!
//! The old version of every case is `tests/diff/base`; the new one is a
//! copy of it with the files of `tests/diff/<case>/` laid over.

use std::path::Path;
use std::process::Command;

use crate::support::{Run, copy_dir, root, run_in};

/// A scratch folder holding `old/` (the base) and `new/` (the base with
/// `case` laid over).
fn versions(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = root().join("tests/diff");
    copy_dir(&fixtures.join("base"), &dir.path().join("old"));
    copy_dir(&fixtures.join("base"), &dir.path().join("new"));
    copy_dir(&fixtures.join(case), &dir.path().join("new"));
    dir
}

/// `diff old new` for `case`, with `extra` arguments.
fn diff(case: &str, extra: &[&str]) -> Run {
    let dir = versions(case);
    let mut args = vec!["diff", "old", "new"];
    args.extend(extra);
    run_in(dir.path(), &args)
}

#[test]
fn a_participant_removed() {
    let run = diff("participant-removed", &[]).status(1);
    assert_eq!(
        run.stdout(),
        "new: 1 change (old → new)\n\
         Participants\n  \
         - participant “Mr. Peter Kamau” removed (Annex II: List of Participants › Kenya)\n"
    );
}

#[test]
fn a_session_retimed() {
    let run = diff("session-retimed", &[]).status(1);
    assert_eq!(
        run.stdout(),
        "new: 1 change (old → new)\n\
         Agenda\n  \
         ~ session “Closing” retimed (Annex I: Agenda › May 7, 2025): 10:30–11:00 → 10:30–11:30\n"
    );
}

#[test]
fn a_paragraph_edited_shows_the_words_that_changed() {
    let run = diff("paragraph-edited", &[]).status(1);
    assert_eq!(
        run.stdout(),
        "new: 1 change (old → new)\n\
         Chapters and sections\n  \
         ~ paragraph 1 edited (Background)\n      \
         The workshop brought together officials from [-five-]{+six+} countries to discuss how local governments …\n"
    );
}

#[test]
fn a_feedback_count_changed_with_its_shares_and_mean() {
    let run = diff("feedback-count-changed", &[]).status(1);
    assert_eq!(
        run.stdout(),
        "new: 1 change (old → new)\n\
         Feedback\n  \
         ~ question 1 “Overall satisfaction” changed (Annex III: Evaluation)\n      \
         Satisfied: 3 (30%) → 4 (40%)\n      \
         Neutral: 1 (10%) → 0 (0%)\n      \
         mean: 4.50 → 4.60\n      \
         top two: 90% → 100%\n"
    );
}

#[test]
fn a_resorted_list_is_no_change() {
    let run = diff("csv-resorted", &[]).status(0);
    assert_eq!(run.stdout(), "new: no change in the report (old → new)\n");
    let json: serde_json::Value =
        serde_json::from_str(&diff("csv-resorted", &["--format", "json"]).status(0).stdout())
            .unwrap();
    assert_eq!(json["changed"], false);
    assert_eq!(json["workshops"][0]["status"], "unchanged");
    assert_eq!(json["workshops"][0]["changes"].as_array().unwrap().len(), 0);
}

#[test]
fn a_name_corrected_is_one_person_changed() {
    let dir = versions("base");
    let list = dir.path().join("new/participants.csv");
    let text = std::fs::read_to_string(&list).unwrap();
    std::fs::write(&list, text.replace("Ms. Ama Owusu,", "Ms. Ama Owusu-Ansah,")).unwrap();
    let run = run_in(dir.path(), &["diff", "old", "new"]).status(1);
    assert_eq!(
        run.stdout(),
        "new: 1 change (old → new)\n\
         Participants\n  \
         ~ participant “Ms. Ama Owusu-Ansah” changed (Annex II: List of Participants › Ghana)\n      \
         Name: Ms. Ama Owusu → Ms. Ama Owusu-Ansah\n"
    );
}

#[test]
fn recommendations_matched_by_their_text() {
    let run = diff("recommendations-changed", &[]).status(1);
    assert_eq!(
        run.stdout(),
        "new: 4 changes (old → new)\n\
         Recommendations\n  \
         ~ due changed (Annex IV: Next steps › recommendation 1): September 30, 2025 → December 31, 2025\n  \
         ~ text changed (Annex IV: Next steps › recommendation 2): Hold a follow-up workshop on data standards. → Hold a follow-up workshop on data standards and data quality.\n  \
         + recommendation “Translate the workshop's guidance into Swahili.” added (Annex IV: Next steps)\n  \
         - recommendation “Share the data standards agreed at the workshop.” removed (Annex IV: Next steps)\n"
    );
}

#[test]
fn identical_versions_are_no_change() {
    diff("base", &[]).status(0);
}

#[test]
fn many_changes_in_the_report_order() {
    let run = diff("many-changes", &[]).status(1);
    let expected = "\
new: 10 changes (old → new)
Cover and metadata
  ~ place changed: Nairobi, Kenya → Mombasa, Kenya
Chapters and sections
  ~ presentation “Ghana” moved (Country presentations)
      position: 2 → 1
  + section “Next steps” added (Conclusions)
Tables and figures
  ~ row 2 “Ghana” changed (Conclusions › table “Open data portals by country.”)
      Datasets: 85 → 92
  + row 3 “Tanzania” added (Conclusions › table “Open data portals by country.”): Tanzania | 2 | 40
Agenda
  ~ speakers changed (Annex I: Agenda › May 6, 2025 › session “Opening”)
      speaker: — → Mr. Juma Said (Statistician)
  ~ session “Group work” moved (Annex I: Agenda › May 6, 2025)
      day: May 7, 2025 → May 6, 2025
      time: 09:00–10:30 → 11:15–12:45
Participants
  ~ participant “Mr. Juma Said” changed (Annex II: List of Participants › Tanzania)
      Position: Statistician → Chief Statistician
Feedback
  ~ question 1 “Overall satisfaction” changed (Annex III: Evaluation)
      Very satisfied: 6 (60%) → 7 (70%)
      Neutral: 1 (10%) → 0 (0%)
      mean: 4.50 → 4.70
      top two: 90% → 100%
Images
  ~ image “images/logo.svg” replaced
      sha256: 130c97e5efe9 → 27f5af7ec718
";
    assert_eq!(run.stdout(), expected);
}

#[test]
fn markdown_for_a_pull_request_comment() {
    let run = diff("many-changes", &["--format", "markdown"]).status(1);
    insta::assert_snapshot!(run.stdout());
}

#[test]
fn markdown_prints_what_users_typed_as_typed() {
    let dir = versions("base");
    let record = dir.path().join("new/workshop.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let title = "title: \"*Open* <b>data</b> for @team [x](y) | `code`\"";
    let text = text.replace("title: Workshop on Open Data for Local Government", title);
    std::fs::write(&record, text).unwrap();
    let run = run_in(dir.path(), &["diff", "old", "new", "--format", "markdown"]).status(1);
    let line = run.stdout().lines().find(|l| l.contains("title")).unwrap().to_owned();
    assert_eq!(
        line,
        r"- **changed** title: Workshop on Open Data for Local Government → \*Open\* \<b\>data\</b\> for \@team \[x\](y) \| \`code\`"
    );
}

#[test]
fn json_lists_each_change_with_its_area_kind_and_values() {
    let run = diff("many-changes", &["--format", "json"]).status(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["changed"], true);
    let workshop = &json["workshops"][0];
    assert_eq!((workshop["old"].as_str(), workshop["new"].as_str()), (Some("old"), Some("new")));
    assert_eq!(workshop["status"], "changed");
    let changes = workshop["changes"].as_array().unwrap();
    let summary: Vec<String> = changes
        .iter()
        .map(|c| format!("{} {} {}", c["area"], c["kind"], c["what"]).replace('"', ""))
        .collect();
    assert_eq!(
        summary,
        [
            "cover changed place",
            "chapters moved presentation",
            "chapters added section",
            "tables changed row 2",
            "tables added row 3",
            "agenda changed speakers",
            "agenda moved session",
            "participants changed participant",
            "feedback changed question 1",
            "images replaced image",
        ]
    );
    let row = &changes[3];
    assert_eq!(row["name"], "Ghana");
    assert_eq!(row["details"][0]["field"], "Datasets");
    assert_eq!(
        (row["details"][0]["old"].as_str(), row["details"][0]["new"].as_str()),
        (Some("85"), Some("92"))
    );
}

#[test]
fn word_diffs_are_structured_in_json() {
    let run = diff("paragraph-edited", &["--format", "json"]).status(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let words = &json["workshops"][0]["changes"][0]["words"];
    let changed: Vec<(String, String)> = words
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["op"] != "equal")
        .map(|p| (p["op"].as_str().unwrap().to_owned(), p["text"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        changed,
        [("delete".to_owned(), "five".to_owned()), ("insert".into(), "six".into())]
    );
}

#[test]
fn pages_lists_the_changed_page_and_draws_it() {
    let dir = versions("paragraph-edited");
    let run =
        run_in(dir.path(), &["diff", "old", "new", "--pages", "--out-dir", "shots"]).status(1);
    let stdout = run.stdout();
    assert!(stdout.contains("Pages\n  ~ changed: 3\n      shots/new/page-003.png\n"), "{stdout}");
    let png = std::fs::read(dir.path().join("shots/new/page-003.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // The old and the new page side by side: wider than tall.
    let (width, height) = (
        u32::from_be_bytes(png[16..20].try_into().unwrap()),
        u32::from_be_bytes(png[20..24].try_into().unwrap()),
    );
    assert!(width > height, "{width}x{height}");
    let names: Vec<_> = std::fs::read_dir(dir.path().join("shots/new")).unwrap().collect();
    assert_eq!(names.len(), 1, "only the changed page is drawn");

    let json = run_in(dir.path(), &["diff", "old", "new", "--pages", "--format", "json"]).status(1);
    let json: serde_json::Value = serde_json::from_str(&json.stdout()).unwrap();
    let pages = json["workshops"][0]["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!((pages[0]["old"].as_u64(), pages[0]["new"].as_u64()), (Some(3), Some(3)));
    let region = &pages[0]["regions"][0];
    // The edited line, not the whole page (A4 is 595 x 842 points).
    assert!(region["height"].as_f64().unwrap() < 100.0, "{region}");
}

#[test]
fn pages_of_identical_versions_are_unchanged() {
    let run = diff("base", &["--pages"]).status(0);
    assert!(run.stdout().contains("Pages: none changed"), "{}", run.stdout());
}

#[test]
fn a_page_added_is_told_as_added() {
    let dir = versions("base");
    let record = dir.path().join("new/workshop.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let long = "A new paragraph that fills the page. ".repeat(200);
    let text = text.replace(
        "      Participants agreed to share their data standards.\n",
        &format!("      Participants agreed to share their data standards.\n\n      {long}\n"),
    );
    std::fs::write(&record, text).unwrap();
    let run = run_in(dir.path(), &["diff", "old", "new", "--pages", "--format", "json"]).status(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let pages = json["workshops"][0]["pages"].as_array().unwrap();
    assert!(pages.iter().any(|p| p["kind"] == "added"), "{pages:?}");
}

#[test]
fn usage_and_missing_versions_are_trouble() {
    let dir = versions("base");
    let run = run_in(dir.path(), &["diff", "old"]).status(2);
    assert!(run.stderr().contains("diff compares two versions"), "{}", run.stderr());
    let run = run_in(dir.path(), &["diff", "old", "nowhere"]).status(2);
    assert!(run.stderr().contains("no folder nowhere"), "{}", run.stderr());
}

#[test]
fn an_invalid_version_is_trouble_and_named() {
    let dir = versions("base");
    std::fs::write(dir.path().join("new/workshop.yaml"), "title: [\n").unwrap();
    let run = run_in(dir.path(), &["diff", "old", "new"]).status(2);
    assert!(run.stderr().contains("new/workshop.yaml:1:8"), "{}", run.stderr());
    assert!(run.stdout().contains("new: could not be compared"), "{}", run.stdout());
}

/// Runs git in `dir`, asserting success.
pub fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// A repository with two workshops committed: `inputs/kept` and
/// `inputs/edited`, both the base.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base = root().join("tests/diff/base");
    copy_dir(&base, &dir.path().join("inputs/kept"));
    copy_dir(&base, &dir.path().join("inputs/edited"));
    copy_dir(&base, &dir.path().join("inputs/dropped"));
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "Workshops"]);
    dir
}

#[test]
fn a_git_revision_is_read_without_checking_out() {
    let repo = repository();
    let fixtures = root().join("tests/diff");
    copy_dir(&fixtures.join("participant-removed"), &repo.path().join("inputs/edited"));
    let run = run_in(repo.path(), &["diff", "HEAD:inputs/edited", "inputs/edited"]).status(1);
    assert_eq!(
        run.stdout(),
        "inputs/edited: 1 change (HEAD:inputs/edited → inputs/edited)\n\
         Participants\n  \
         - participant “Mr. Peter Kamau” removed (Annex II: List of Participants › Kenya)\n"
    );
    // The working tree is as it was.
    let csv = std::fs::read_to_string(repo.path().join("inputs/edited/participants.csv")).unwrap();
    assert!(!csv.contains("Peter Kamau"));
}

#[test]
fn errors_in_a_revision_are_named_as_git_names_them() {
    let repo = repository();
    std::fs::write(repo.path().join("inputs/edited/workshop.yaml"), "title: [\n").unwrap();
    git(repo.path(), &["commit", "-q", "-am", "Break it"]);
    let run = run_in(repo.path(), &["diff", "HEAD:inputs/edited", "inputs/kept"]).status(2);
    assert!(run.stderr().contains("HEAD:inputs/edited/workshop.yaml:1:8"), "{}", run.stderr());
    let run = run_in(repo.path(), &["diff", "NOPE:inputs/edited", "inputs/kept"]).status(2);
    assert!(run.stderr().contains("`NOPE` is not a revision"), "{}", run.stderr());
}

#[test]
fn git_base_compares_every_changed_workshop() {
    let repo = repository();
    let fixtures = root().join("tests/diff");
    copy_dir(&fixtures.join("session-retimed"), &repo.path().join("inputs/edited"));
    std::fs::remove_dir_all(repo.path().join("inputs/dropped")).unwrap();
    copy_dir(&fixtures.join("base"), &repo.path().join("inputs/fresh"));
    // Not a workshop: ignored.
    std::fs::write(repo.path().join("inputs/notes.txt"), "notes").unwrap();
    let run = run_in(repo.path(), &["diff", "--git", "HEAD"]).status(1);
    assert_eq!(
        run.stdout(),
        "inputs/dropped: workshop removed (only in HEAD:inputs/dropped)\n\
         \n\
         inputs/edited: 1 change (HEAD:inputs/edited → inputs/edited)\n\
         Agenda\n  \
         ~ session “Closing” retimed (Annex I: Agenda › May 7, 2025): 10:30–11:00 → 10:30–11:30\n\
         \n\
         inputs/fresh: new workshop (only in inputs/fresh)\n"
    );
    let run = run_in(repo.path(), &["diff", "--git", "HEAD", "--format", "markdown"]).status(1);
    assert!(run.stdout().contains("### inputs/edited\n"), "{}", run.stdout());
}

#[test]
fn git_base_with_nothing_changed_is_silent_success() {
    let repo = repository();
    let run = run_in(repo.path(), &["diff", "--git", "HEAD"]).status(0);
    assert_eq!(run.stdout(), "");
    // A change the report does not show (a comment) is no change.
    let record = repo.path().join("inputs/kept/workshop.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, format!("# A comment.\n{text}")).unwrap();
    let run = run_in(repo.path(), &["diff", "--git", "HEAD"]).status(0);
    assert_eq!(
        run.stdout(),
        "inputs/kept: no change in the report (HEAD:inputs/kept → inputs/kept)\n"
    );
}

#[test]
fn a_changed_branding_file_changes_every_workshop_beside_it() {
    let repo = repository();
    std::fs::write(repo.path().join("inputs/branding.yaml"), "colour: \"#aa0000\"\n").unwrap();
    let run = run_in(repo.path(), &["diff", "--git", "HEAD", "--format", "json"]).status(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let names: Vec<&str> = json["workshops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["workshop"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["inputs/dropped", "inputs/edited", "inputs/kept"]);
    let change = &json["workshops"][0]["changes"][0];
    assert_eq!(change["what"], "accent colour");
}

#[test]
fn documents_matched_by_their_title() {
    let record = |documents: &str| {
        format!(
            "title: T\ndates: {{start: 2022-03-15, end: 2022-03-16}}\nannexes:\n  - documents:\n{documents}"
        )
    };
    let scratch = crate::support::Scratch::new(
        "old",
        &record(
            "      - title: Concept note\n        language: English\n        link: https://example.org/a.pdf\n      - title: Programme\n",
        ),
    );
    scratch.write(
        "new/workshop.yaml",
        &record(
            "      - title: Concept note\n        language: French\n        link: https://example.org/a.pdf\n      - title: Final report\n",
        ),
    );
    let out = run_in(scratch.path_of("").as_path(), &["diff", "old", "new"]).status(1).stdout();
    for change in [
        "~ language changed (Annex I: Documents of the Workshop › document “Concept note”): English → French",
        "+ document “Final report” added (Annex I: Documents of the Workshop)",
        "- document “Programme” removed (Annex I: Documents of the Workshop)",
    ] {
        assert!(out.contains(change), "{change:?} not in:\n{out}");
    }
    assert!(out.contains("3 changes"), "{out}");
}
