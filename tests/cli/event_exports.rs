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

/// Builds both samples with their agenda read as `source` gives it, and
/// compares their Typst source with the typed samples'.
fn same_as_typed(source: &str) {
    for name in ["egov-sdg-2022", "egov-arab-region-2023"] {
        let scratch = tempfile::tempdir().unwrap();
        let typed = typst(&root().join("inputs").join(name));
        let exported = typst(&from_export(scratch.path(), name, source));
        assert!(typed.contains("#table("), "{name}: the typed agenda prints");
        assert_eq!(
            exported, typed,
            "{name}: the agenda read from {source} differs from the typed one"
        );
    }
}

#[test]
fn an_indico_timetable_builds_the_typed_agenda() {
    same_as_typed("indico");
}

#[test]
fn an_icalendar_file_builds_the_typed_agenda() {
    same_as_typed("icalendar");
}

/// The record of a workshop of the dates of the fixture event (10-11 March
/// 2025), with `annexes` (YAML list items).
fn event_record(annexes: &str) -> String {
    format!(
        "title: Detector Workshop\nlanguage: en\ndates:\n  start: 2025-03-10\n  end: 2025-03-11\n\
         organisers:\n  - name: Example Organisation\nchapters:\n  - title: Background\n    text: A workshop.\n\
         annexes:\n{annexes}"
    )
}

/// A workshop of the dates of the fixture event (10-11 March 2025), its
/// agenda as `agenda` says.
fn event_workshop(agenda: &str) -> Scratch {
    let scratch = Scratch::new("event", &event_record(&format!("  - agenda:\n{agenda}")));
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
    let cases: [(&str, &str, &str); 6] = [
        ("event.json", "an Indico export of events (`Conference`), not an event's timetable", ""),
        ("truncated.json", "is not JSON Indico wrote", "truncated.json:"),
        ("other.json", "not an export of Indico's HTTP API", ""),
        ("bad-zone.json", "`Europe/Atlantis` is not a time zone", "/startDate/tz"),
        ("timetable.unpublished.json", "holds no entries", ""),
        ("timetable.nodata.json", "holds no entries", ""),
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
    let record = &event_record(
        "  - participants:\n      - file: registrations.csv\n        group_by: Country\n",
    );
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

/// A workshop from `start` to `end` whose agenda is the calendar `ics`,
/// printed in `zones` (YAML flow mappings).
fn calendar_workshop(dates: (&str, &str), zones: &[&str], ics: &str) -> Scratch {
    let zones: String = zones.iter().map(|z| format!("        - {z}\n")).collect();
    let record = format!(
        "title: Calendar Workshop\nlanguage: en\ndates:\n  start: {}\n  end: {}\n\
         organisers:\n  - name: Example Organisation\nchapters:\n  - title: Background\n    text: A workshop.\n\
         annexes:\n  - agenda:\n      icalendar: calendar.ics\n      clock: 24h\n      time_zones:\n{zones}",
        dates.0, dates.1
    );
    let scratch = Scratch::new("cal", &record);
    scratch.write("cal/calendar.ics", ics);
    scratch
}

/// A calendar of `events` (each a VEVENT's lines), CRLF as RFC 5545 has it.
fn ics(events: &[&str]) -> String {
    let mut lines = vec!["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//Calendar//EN"];
    let bodies: Vec<String> =
        events.iter().map(|e| format!("BEGIN:VEVENT\n{e}\nEND:VEVENT")).collect();
    lines.extend(bodies.iter().map(String::as_str));
    lines.push("END:VCALENDAR");
    lines.join("\n").replace('\n', "\r\n") + "\r\n"
}

#[test]
fn calendar_times_across_midnight_and_a_clock_change() {
    // Europe moved to summer time on 30 March 2025, New York on 9 March:
    // 09:00 in Zurich is 04:00 in New York before, 03:00 after.
    let calendar = ics(&[
        "UID:a\nSUMMARY:Morning\nDTSTART;TZID=Europe/Zurich:20250329T090000\nDTEND;TZID=Europe/Zurich:20250329T100000",
        "UID:b\nSUMMARY:Night session\nDTSTART;TZID=Europe/Zurich:20250329T233000\nDTEND;TZID=Europe/Zurich:20250330T003000",
        "UID:c\nSUMMARY:Morning again\nDTSTART:20250330T070000Z\nDTEND:20250330T080000Z",
        "UID:d\nSUMMARY:Day one\nDTSTART;VALUE=DATE:20250329\nDTEND;VALUE=DATE:20250330",
    ]);
    let zones =
        ["{label: Geneva, zone: Europe/Zurich}", "{label: New York, zone: America/New_York}"];
    let scratch = calendar_workshop(("2025-03-29", "2025-03-30"), &zones, &calendar);
    let source = typst(&scratch.path_of("cal"));
    assert!(
        source.contains("[09\\:00–10\\:00], [04\\:00–05\\:00], [\n    #strong[Morning]"),
        "{source}"
    );
    assert!(
        source.contains(
            "[23\\:30–00\\:30 \\(next day\\)], [18\\:30–19\\:30], [\n    #strong[Night session]"
        ),
        "{source}"
    );
    assert!(
        source.contains("[09\\:00–10\\:00], [03\\:00–04\\:00], [\n    #strong[Morning again]"),
        "{source}"
    );
    // A one-day all-day event titles its day.
    assert!(source.contains("· Day one]"), "{source}");
}

#[test]
fn recurrences_expand_within_the_workshop_or_are_refused() {
    let calendar = ics(&[
        "UID:r\nSUMMARY:Daily briefing\nDTSTART;TZID=Europe/Zurich:20250301T083000\nDTEND;TZID=Europe/Zurich:20250301T085000\n\
         RRULE:FREQ=DAILY\nEXDATE;TZID=Europe/Zurich:20250311T083000",
        "UID:r\nSUMMARY:Briefing (moved)\nRECURRENCE-ID;TZID=Europe/Zurich:20250312T083000\n\
         DTSTART;TZID=Europe/Zurich:20250312T090000\nDTEND;TZID=Europe/Zurich:20250312T092000",
    ]);
    let zones = ["{label: Geneva, zone: Europe/Zurich}"];
    let scratch = calendar_workshop(("2025-03-10", "2025-03-12"), &zones, &calendar);
    let source = typst(&scratch.path_of("cal"));
    // Expanded on the workshop's days only: the 10th, not the 11th
    // (excluded), and the 12th's occurrence moved to 09:00.
    assert_eq!(source.matches("#strong[Daily briefing]").count(), 1, "{source}");
    assert!(source.contains("[09\\:00–09\\:20], [\n    #strong[Briefing \\(moved\\)]"), "{source}");
    // Every second for a year: refused at once, naming the line.
    let bomb = ics(&[
        "UID:x\nSUMMARY:Tick\nDTSTART:20250101T000000Z\nDTEND:20250101T000001Z\nRRULE:FREQ=SECONDLY;COUNT=31536000",
    ]);
    let scratch = calendar_workshop(("2025-03-10", "2025-03-12"), &zones, &bomb);
    let run =
        run_limited(scratch.dir.path(), &["check", "cal"], 2048, 10).expect("refused in time");
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(err.contains("error[recurrence]") && err.contains("repeats secondly"), "{err}");
    assert!(err.contains("calendar.ics:4:"), "{err}");
}

#[test]
fn bad_calendars_are_refused_clearly() {
    let zones = ["{label: Geneva, zone: Europe/Zurich}"];
    let cases: Vec<(String, &str)> = vec![
        (ics(&[]), "the calendar has no events"),
        (
            ics(&[
                "UID:z\nSUMMARY:Lost\nDTSTART;TZID=Mars/Olympus:20250310T090000\nDTEND;TZID=Mars/Olympus:20250310T100000",
            ]),
            "`Mars/Olympus` is not a time zone the tool knows",
        ),
        ("{\"results\": {}}".to_owned(), "this is not an iCalendar file"),
        (ics(&["UID:t\nSUMMARY:Cut"])[..60].to_owned(), "the calendar cannot be read"),
    ];
    for (text, message) in cases {
        let scratch = calendar_workshop(("2025-03-10", "2025-03-12"), &zones, &text);
        let run = run_in(scratch.dir.path(), &["check", "cal"]).status(1);
        assert!(run.stderr().contains(message), "{message}: {}", run.stderr());
        assert!(run.stderr().contains("cal/calendar.ics"), "{}", run.stderr());
    }
    // 50 MB: refused by its size before it is read.
    let mut big = ics(&["UID:b\nSUMMARY:Big\nDTSTART:20250310T090000Z"]);
    big.push_str(&"X-PAD:".repeat((50 << 20) / 6));
    let scratch = calendar_workshop(("2025-03-10", "2025-03-12"), &zones, &big);
    let run =
        run_limited(scratch.dir.path(), &["check", "cal"], 2048, 20).expect("refused in time");
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("MiB"), "{}", run.stderr());
}

#[test]
fn outlook_and_google_calendars_read_as_exported() {
    let dir = fixtures().join("icalendar");
    let zones = ["{label: Geneva, zone: Europe/Zurich}", "{label: Hanoi, zone: Asia/Ho_Chi_Minh}"];
    // Outlook: a Windows zone name, a description folded after "\, ".
    let outlook = std::fs::read_to_string(dir.join("outlook-windows-tzid.ics")).unwrap();
    let scratch = calendar_workshop(("2026-10-15", "2026-10-16"), &zones, &outlook);
    let source = typst(&scratch.path_of("cal"));
    assert!(
        source.contains("[10\\:00–11\\:30], [15\\:00–16\\:30], [\n    #strong[Quarterly review]"),
        "{source}"
    );
    assert!(source.contains("00 00, PIN 1234"), "the space at the fold is kept: {source}");
    // Google: a weekly recurrence, one occurrence moved, one excluded.
    let google = std::fs::read_to_string(dir.join("google-europe-zurich.ics")).unwrap();
    let scratch = calendar_workshop(("2026-11-02", "2026-11-09"), &zones, &google);
    let run = run_in(scratch.dir.path(), &["check", "cal"]);
    assert!(run.stderr().contains("left out") || run.code() == 0, "{}", run.stderr());
    let source = typst(&scratch.path_of("cal"));
    assert!(source.contains("#strong[Group meeting \\(moved\\)]"), "{source}");
    assert!(!source.contains("November 2, 2026"), "the excluded Monday prints no day: {source}");
    // Indico's calendar of contributions: times in UTC, printed in the zones.
    let indico = std::fs::read_to_string(dir.join("indico-event-contributions.ics")).unwrap();
    let scratch = calendar_workshop(("2026-10-12", "2026-10-13"), &zones, &indico);
    let source = typst(&scratch.path_of("cal"));
    assert!(
        source.contains(
            "[09\\:00–09\\:15], [14\\:00–14\\:15], [\n    #strong[Welcome and introduction]"
        ),
        "{source}"
    );
    assert!(source.contains("#strong[Status of the LHC Run 3 \\[Plenary\\]]"), "{source}");
}

#[test]
fn indico_questionnaire_orders_the_scales() {
    let record = &event_record(
        "  - title: Evaluation\n    feedback:\n      responses: results.csv\n      questionnaire: survey.json\n\
         \x20     questions:\n        - title: Rating of the workshop\n          column: 'About you: Overall rating'\n\
         \x20       - title: How did you hear about the workshop?\n          column: 'About you: How did you hear about the workshop?'\n\
         \x20         kind: choice\n",
    );
    let scratch = Scratch::new("event", record);
    std::fs::copy(fixtures().join("indico/survey.json"), scratch.path_of("event/survey.json"))
        .unwrap();
    scratch.write(
        "event/results.csv",
        "Submitter,Submitter Email,Submission Date,About you: How did you hear about the workshop?,About you: Overall rating\n\
         Anonymous,,2025-03-12 10:00:00,Colleague,Good\nAnonymous,,2025-03-12 10:05:00,Mailing list,Poor\n\
         Anonymous,,2025-03-12 10:09:00,Colleague,Excellent\n",
    );
    let run = run_in(scratch.dir.path(), &["tally", "event"]).success();
    let out = run.stdout();
    // Found by its column (the record titles it otherwise), its options in
    // the survey's order, best first, although no answer said "Fair".
    let at = |label: &str| out.find(label).unwrap_or_else(|| panic!("{label}: {out}"));
    assert!(
        at("Excellent") < at("Good") && at("Good") < at("Fair") && at("Fair") < at("Poor"),
        "{out}"
    );
    assert!(out.contains("Mailing list"), "{out}");
    // A questionnaire of another shape is refused.
    scratch.write("event/survey.json", "{\"results\": []}");
    let run = run_in(scratch.dir.path(), &["check", "event"]).status(1);
    assert!(run.stderr().contains("not Indico's questionnaire export"), "{}", run.stderr());
}

#[test]
fn a_refreshed_export_diffs_as_a_typed_agenda_would() {
    let old = event_workshop("      indico: exports/timetable.json\n");
    let dir = old.dir.path();
    copy_dir(&dir.join("event"), &dir.join("new"));
    // The export refreshed: the opening moved by ten minutes, a second
    // presenter on the first talk of the morning block, the closing renamed.
    let path = dir.join("new/exports/timetable.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replacen("\"time\":\"09:00:00\"", "\"time\":\"09:10:00\"", 1)
        .replacen("\"time\":\"09:20:00\"", "\"time\":\"09:30:00\"", 1)
        .replace("\"title\":\"Closing remarks\"", "\"title\":\"Closing remarks and next steps\"")
        .replacen(
            "\"presenters\":[",
            "\"presenters\":[{\"firstName\":\"Ana\",\"familyName\":\"Silva\",\"affiliation\":\"LIP\",\"name\":\"Ana Silva\"},",
            1,
        );
    std::fs::write(&path, text).unwrap();
    let run = run_in(dir, &["diff", "event", "new"]).status(1);
    let out = run.stdout();
    assert!(out.contains("retimed") && out.contains("09:00–09:20 → 09:10–09:30"), "{out}");
    assert!(out.contains("Closing remarks → Closing remarks and next steps"), "{out}");
    assert!(out.contains("speaker: — → Ana Silva (LIP, 30 min)"), "{out}");
}

#[test]
fn registration_states_the_tool_does_not_know_are_errors() {
    let record = &event_record(
        "  - participants:\n      - file: registrations.csv\n        group_by: Country\n",
    );
    let scratch = Scratch::new("event", record);
    let export = std::fs::read_to_string(fixtures().join("indico/registrations.csv")).unwrap();
    // Exported in French: the states translated, the header not.
    let french = export
        .replace(",Completed,", ",Terminé,")
        .replace(",Withdrawn,", ",Retiré,")
        .replace(",Pending,", ",En attente,");
    scratch.write("event/registrations.csv", &french);
    let run = run_in(scratch.dir.path(), &["check", "event"]).status(1);
    let err = run.stderr();
    assert!(
        err.contains("`Terminé` on line 4 is not a registration state the tool knows"),
        "{err}"
    );
    assert!(err.contains("states: [Terminé]"), "{err}");
    // Said which count, the French export prints its complete registrations.
    let told =
        record.replace("group_by: Country\n", "group_by: Country\n        states: [Terminé]\n");
    scratch.write("event/workshop.yaml", &told);
    let source = typst(&scratch.path_of("event"));
    assert!(
        source.contains("[Alice Martin]")
            && !source.contains("Jean Dupont")
            && !source.contains("Sarah"),
        "{source}"
    );
    // A row added by hand (a walk-in, no ID) or a total row: the export is
    // still one, its columns still hidden, the row's state checked.
    let walk_in = format!("{export},Walk-in Guest,,,guest@example.com,,,Switzerland,,,,,\r\n");
    scratch.write("event/workshop.yaml", record);
    scratch.write("event/registrations.csv", &walk_in);
    let run = run_in(scratch.dir.path(), &["check", "event"]).status(1);
    assert!(run.stderr().contains("the registration on line 8 has no state"), "{}", run.stderr());
    assert!(!run.stderr().contains("guest@example.com"), "{}", run.stderr());
}

#[test]
fn calendars_as_their_owners_meant_them() {
    let zones = ["{label: Geneva, zone: Europe/Zurich}", "{label: Hanoi, zone: Asia/Ho_Chi_Minh}"];
    let calendar = ics(&[
        // Daily at 23:00 in Los Angeles: 07:00 the next morning in Geneva,
        // the first on the workshop's first day although its own date is
        // the day before.
        "UID:la\nSUMMARY:Sync with Los Angeles\nDTSTART;TZID=America/Los_Angeles:20250309T230000\n\
         DTEND;TZID=America/Los_Angeles:20250309T233000\nRRULE:FREQ=DAILY;COUNT=5",
        // Weekly since 1700, without a count: jumps to the workshop.
        "UID:old\nSUMMARY:Old series\nDTSTART;TZID=Europe/Zurich:17000101T120000\n\
         DTEND;TZID=Europe/Zurich:17000101T130000\nRRULE:FREQ=DAILY",
        // Private: never printed.
        "UID:p\nSUMMARY:Doctor\nCLASS:PRIVATE\nDTSTART;TZID=Europe/Zurich:20250310T170000",
        // HTML in a description, as Google writes it.
        "UID:h\nSUMMARY:Panel\nDTSTART;TZID=Europe/Zurich:20250311T140000\n\
         DESCRIPTION:<b>Chair</b>: Ana<br>Room <i>A</i><script>alert(1)</script>",
        // Another year: left out, counted.
        "UID:y\nSUMMARY:Last year\nDTSTART:20240310T090000Z",
    ]);
    let scratch = calendar_workshop(("2025-03-10", "2025-03-11"), &zones, &calendar);
    let run = run_in(scratch.dir.path(), &["check", "cal"]);
    let err = run.stderr();
    assert!(err.contains("`cal/calendar.ics`: 1 private event(s) left out"), "{err}");
    assert!(err.contains("event(s) not on the workshop's days"), "{err}");
    let source = typst(&scratch.path_of("cal"));
    assert_eq!(source.matches("#strong[Sync with Los Angeles]").count(), 2, "{source}");
    assert!(
        source.contains(
            "[07\\:00–07\\:30], [13\\:00–13\\:30], [\n    #strong[Sync with Los Angeles]"
        ),
        "{source}"
    );
    assert_eq!(source.matches("#strong[Old series]").count(), 2, "{source}");
    assert!(
        !source.contains("Doctor") && !source.contains("alert") && !source.contains("<b>"),
        "{source}"
    );
    assert!(source.contains("Chair\\: Ana"), "{source}");
    // Floating times in a calendar that names its zone are in that zone.
    let hanoi =
        ics(&["UID:f\nSUMMARY:Hanoi morning\nDTSTART:20250310T090000\nDTEND:20250310T100000"])
            .replace("VERSION:2.0", "VERSION:2.0\r\nX-WR-TIMEZONE:Asia/Ho_Chi_Minh");
    let scratch = calendar_workshop(("2025-03-10", "2025-03-11"), &zones, &hanoi);
    let source = typst(&scratch.path_of("cal"));
    assert!(
        source.contains("[03\\:00–04\\:00], [09\\:00–10\\:00], [\n    #strong[Hanoi morning]"),
        "{source}"
    );
}

#[test]
fn an_agenda_without_sessions_is_refused_once() {
    // Neither days nor an export: said so.
    let scratch = event_workshop("      clock: 24h\n");
    let run = run_in(scratch.dir.path(), &["check", "event"]).status(1);
    assert!(
        run.stderr().contains("the agenda has no `days`, and reads no export"),
        "{}",
        run.stderr()
    );
    // A misspelt source: the unknown field alone.
    let scratch = event_workshop("      ics: exports/agenda.ics\n");
    let run = run_in(scratch.dir.path(), &["check", "event"]).status(1);
    assert!(run.stderr().contains("unknown field `ics`"), "{}", run.stderr());
    assert!(run.stderr().contains("icalendar"), "the hint names the field: {}", run.stderr());
    assert!(!run.stderr().contains("has no `days`"), "{}", run.stderr());
}
