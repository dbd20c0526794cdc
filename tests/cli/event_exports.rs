//! The workshop as an event system has it: the agenda read from Indico's
//! timetable export or an iCalendar file, the participants from Indico's
//! registration export. Fixtures in `tests/fixtures/event-exports/`
//! (README.md says where each shape comes from).

use std::path::{Path, PathBuf};

use crate::support::{Scratch, copy_dir, root, run_in, run_limited};

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/event-exports")
}

/// `record` with its `agenda:` mapping replaced by `fragment`'s (a YAML
/// file whose one key is `agenda`), indented as the record's was.
fn splice(record: &str, fragment: &str) -> String {
    let lines: Vec<&str> = record.lines().collect();
    let at = lines.iter().position(|l| l.trim() == "agenda:").expect("the record has an agenda");
    let indent = lines[at].len() - lines[at].trim_start().len();
    let end = (at + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            !l.trim().is_empty() && l.len() - l.trim_start().len() <= indent
        })
        .unwrap_or(lines.len());
    let pad = " ".repeat(indent);
    let body: Vec<String> =
        fragment.lines().filter(|l| !l.starts_with('#')).map(|l| format!("{pad}{l}")).collect();
    let mut out: Vec<String> = lines[..at].iter().map(|l| l.to_string()).collect();
    out.extend(body);
    out.extend(lines[end..].iter().map(|l| l.to_string()));
    out.join("\n") + "\n"
}

/// A copy of the sample `name` whose agenda is read as `source`
/// (`indico` or `icalendar`) gives it, in `scratch`.
fn from_export(scratch: &Path, name: &str, source: &str) -> PathBuf {
    let dir = scratch.join(name);
    copy_dir(&root().join("inputs").join(name), &dir);
    copy_dir(&fixtures().join(name).join("exports"), &dir.join("exports"));
    let record = std::fs::read_to_string(dir.join("workshop.yaml")).unwrap();
    let fragment =
        std::fs::read_to_string(fixtures().join(name).join(format!("{source}.yaml"))).unwrap();
    std::fs::write(dir.join("workshop.yaml"), splice(&record, &fragment)).unwrap();
    dir
}

/// The Typst source `source` generates for the workshop at `dir`.
fn typst(dir: &Path) -> String {
    run_in(dir.parent().unwrap(), &["source", dir.file_name().unwrap().to_str().unwrap()])
        .success()
        .stdout()
}

#[test]
fn an_indico_timetable_builds_the_typed_agenda() {
    for name in ["egov-sdg-2022", "egov-arab-region-2023"] {
        let scratch = tempfile::tempdir().unwrap();
        let typed = typst(&root().join("inputs").join(name));
        let exported = typst(&from_export(scratch.path(), name, "indico"));
        assert!(typed.contains("#table("), "{name}: the typed agenda prints");
        assert_eq!(
            exported, typed,
            "{name}: the agenda from Indico's timetable differs from the typed one"
        );
    }
}

/// A workshop of the dates of the fixture event (10-11 March 2025), its
/// agenda as `agenda` says.
fn event_workshop(agenda: &str) -> Scratch {
    let record = format!(
        "title: Detector Workshop\nlanguage: en\ndates:\n  start: 2025-03-10\n  end: 2025-03-11\n\
         organisers:\n  - name: Example Organisation\nchapters:\n  - title: Background\n    text: A workshop.\n\
         annexes:\n  - agenda:\n{agenda}"
    );
    let scratch = Scratch::new("event", &record);
    copy_dir(&fixtures().join("indico"), &scratch.path_of("event/exports"));
    scratch
}

#[test]
fn an_event_kept_in_zurich_prints_for_hanoi_and_new_york() {
    let scratch = event_workshop(
        "      indico: exports/timetable.json\n      clock: 24h\n      time_zones:\n\
         \x20       - {label: Hanoi, zone: Asia/Ho_Chi_Minh}\n        - {label: New York, zone: America/New_York}\n",
    );
    let source = typst(&scratch.path_of("event"));
    // 09:00 in Zurich (UTC+1 in March) is 15:00 in Hanoi, 04:00 in New York
    // (summer time there from 9 March).
    assert!(source.contains("[15\\:00–15\\:20], [04\\:00–04\\:20]"), "{source}");
    // A session block: its session's and its own title, its conveners the
    // moderator, its contributions the topics and speakers, in time order.
    assert!(source.contains("#strong[Detector Physics\\: Morning]"), "{source}");
    assert!(source.contains("Moderator\\: Dr Giulia Rossi, INFN Pisa"), "{source}");
    let topics = source.find("[Silicon tracker upgrade status]").unwrap();
    assert!(topics < source.find("[Calorimeter test\\-beam results]").unwrap());
    assert!(source.contains("Jean Dupont, IN2P3 (30 min)"), "{source}");
    // A break nested in a session block is a row of its own.
    assert!(source.contains("#emph[Coffee break]"), "{source}");
    // Nothing of the export's e-mail addresses.
    assert!(!source.contains("in2p3.fr") && !source.contains("emailHash"), "{source}");
}

#[test]
fn additions_name_entries_the_export_has() {
    let scratch = event_workshop(
        "      indico: exports/timetable.json\n      add:\n        - entry: Welcome and opening\n\
         \x20         description: Opening *words*.\n        - entry: c5013\n          speakers:\n\
         \x20           - {name: Jean Dupont, role: Project leader}\n        - entry: Welcome and openin\n\
         \x20         description: x\n",
    );
    let run = run_in(scratch.dir.path(), &["check", "event"]).status(1);
    let err = run.stderr();
    assert!(
        err.contains(
            "`add` names `Welcome and openin`, but `event/exports/timetable.json` has no entry"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean `Welcome and opening`?"), "{err}");
    assert!(err.contains("workshop.yaml:"), "points at the record: {err}");
}

#[test]
fn the_wrong_indico_export_is_refused() {
    let cases: [(&str, &str, &str); 4] = [
        ("event.json", "an Indico export of events (`Conference`), not an event's timetable", ""),
        ("truncated.json", "is not JSON Indico wrote", "truncated.json:"),
        ("other.json", "not an export of Indico's HTTP API", ""),
        ("bad-zone.json", "`Europe/Atlantis` is not a time zone", "/startDate/tz"),
    ];
    let whole = std::fs::read_to_string(fixtures().join("indico/timetable.json")).unwrap();
    for (file, message, place) in cases {
        let scratch = event_workshop(&format!("      indico: exports/{file}\n"));
        let exports = scratch.path_of("event/exports");
        std::fs::write(exports.join("truncated.json"), &whole[..whole.len() / 2]).unwrap();
        std::fs::write(exports.join("other.json"), "{\"results\": []}").unwrap();
        std::fs::write(
            exports.join("bad-zone.json"),
            whole.replacen("\"tz\":\"Europe\\/Zurich", "\"tz\":\"Europe\\/Atlantis", 1),
        )
        .unwrap();
        let run = run_in(scratch.dir.path(), &["check", "event"]).status(1);
        let err = run.stderr();
        assert!(err.contains(message), "{file}: {err}");
        assert!(err.contains(place), "{file}: {err}");
        assert!(err.contains("error[agenda-export]"), "{file}: {err}");
    }
}

#[test]
fn a_huge_export_is_refused_quickly() {
    let scratch = event_workshop("      indico: exports/huge.json\n");
    let mut huge = String::from("{\"_type\":\"HTTPAPIResult\",\"results\":{\"1\":{\"20250310\":{");
    while huge.len() < 50 << 20 {
        huge.push_str("\"c1\":{\"title\":\"x\"},");
    }
    huge.push_str("}}}}");
    std::fs::write(scratch.path_of("event/exports/huge.json"), huge).unwrap();
    let run = run_limited(scratch.dir.path(), &["check", "event"], 2048, 20)
        .expect("a 50 MB export is refused in time");
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("MiB"), "{}", run.stderr());
}

#[test]
fn indico_registrations_print_complete_ones_and_no_personal_column() {
    let record = "title: Detector Workshop\nlanguage: en\ndates:\n  start: 2025-03-10\n  end: 2025-03-11\n\
         organisers:\n  - name: Example Organisation\nchapters:\n  - title: Background\n    text: A workshop.\n\
         annexes:\n  - participants:\n      - file: registrations.csv\n        group_by: Country\n";
    let scratch = Scratch::new("event", record);
    std::fs::copy(
        fixtures().join("indico/registrations.csv"),
        scratch.path_of("event/registrations.csv"),
    )
    .unwrap();
    let source = typst(&scratch.path_of("event"));
    for complete in [
        "Alice Martin",
        "Hans Müller",
        "Liam O\\'Brien",
        "Giulia Rossi",
        "Staff Physicist",
        "ETH Zürich",
    ] {
        assert!(source.contains(complete), "{complete}: {source}");
    }
    for left_out in ["Jean Dupont", "Sarah Johnson", "Withdrawn", "Pending", "Completed"] {
        assert!(!source.contains(left_out), "{left_out} printed: {source}");
    }
    for personal in [
        "cern\\.ch",
        "cern.ch",
        "41 22 767 1234",
        "Phone",
        "Email",
        "2025\\-01\\-14",
        "Speaker",
        "VIP",
    ] {
        assert!(!source.contains(personal), "{personal} printed: {source}");
    }
    // A column the record names prints, personal or not.
    let named = record.replace(
        "group_by: Country\n",
        "group_by: Country\n        columns: [Name, Email Address]\n",
    );
    std::fs::write(scratch.path_of("event/workshop.yaml"), named).unwrap();
    let source = typst(&scratch.path_of("event"));
    assert!(source.contains("[Alice Martin], [alice\\.martin\\@cern\\.ch]"), "{source}");
    assert!(!source.contains("sjohnson"), "a pending registration printed: {source}");
}
