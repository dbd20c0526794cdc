//! Building the sample gives a real, complete, reproducible PDF.

use crate::support::{Pdf, Scratch, build, fold, sample};

/// The participants' names of a CSV list, read independently of the tool.
fn names(file: &str, column: usize) -> Vec<String> {
    let text = std::fs::read_to_string(sample().join(file)).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader.records().map(|r| r.unwrap()[column].trim().to_owned()).collect()
}

#[test]
fn sample_pdf_carries_title_chapters_and_every_participant() {
    let pdf = Pdf::load(&build(&sample()));
    assert!(pdf.pages() >= 15, "a real multi-page report, got {} pages", pdf.pages());
    let text = pdf.text();

    assert!(text.contains("New Approaches to E-Government for SDG Implementation"));
    // The sample is in British English: CLDR en-GB's range.
    assert!(text.contains("15–16 March 2022"), "{text}");
    // Chapter headings print in capitals; sections as written.
    for heading in
        ["BACKGROUND", "OBJECTIVE", "SETTING THE SCENE", "COUNTRY PRESENTATIONS", "Opening Remarks"]
    {
        assert!(text.contains(heading), "missing heading {heading:?}");
    }
    let participants = names("participants.csv", 1);
    assert_eq!(participants.len(), 32);
    let staff = names("staff.csv", 0);
    for name in participants.iter().chain(&staff) {
        assert!(text.contains(&fold(name)), "missing participant {name:?}");
    }
    // Latin Extended names come out intact (Turkish, Yoruba).
    assert!(text.contains("Dr. Uğur Karagöz"));
    assert!(text.contains("Mr. Níyì Adelami"));
}

#[test]
fn every_font_is_embedded() {
    let pdf = Pdf::load(&build(&sample()));
    assert!(pdf.font_count() > 0);
    assert_eq!(pdf.unembedded_fonts(), Vec::<String>::new());
}

#[test]
fn two_builds_give_identical_bytes() {
    let first = build(&sample());
    let second = build(&sample());
    assert!(first == second, "the two PDFs differ");
}

#[test]
fn latin_extended_names_print_correctly() {
    // Turkish, Vietnamese (stacked diacritics) and Yoruba (dot below). Names
    // with combining marks are proven at the typeset stage, whose glyphs
    // they are checked against: PDF text extraction mangles them.
    let names = [
        "Çağrı Öztürk",
        "Şebnem İnce",
        "Nguyễn Thị Minh Khai",
        "Trần Đức Lương",
        "Ọlánrewájú Adébáyọ",
        "Ṣadé Ọṣun",
    ];
    let scratch = Scratch::new(
        "names",
        "title: Names\ndates: {start: 2022-03-15, end: 2022-03-15}\n\
         annexes:\n  - participants:\n      - file: people.csv\n",
    );
    let csv: String = std::iter::once("Name,Country\n".to_owned())
        .chain(names.iter().map(|n| format!("{n},X\n")))
        .collect();
    scratch.write("names/people.csv", &csv);
    let text = Pdf::load(&build(&scratch.path_of("names"))).text();
    for name in names {
        assert!(text.contains(name), "{name:?} not printed as typed in:\n{text}");
    }
}

#[test]
fn recommendations_print_numbered_with_owner_and_due_date() {
    let scratch = Scratch::new(
        "next",
        "title: Next\ndates: {start: 2022-03-15, end: 2022-03-16}\n\
         annexes:\n  - recommendations:\n\
         \x20     - text: Organize a follow-up training on *open data* for staff.\n\
         \x20       owner: The secretariat\n\
         \x20       due: 2022-10-31\n\
         \x20     - text: Share the country presentations.\n\
         \x20       owner: Participants\n",
    );
    let pdf = Pdf::load(&build(&scratch.path_of("next")));
    // The default title, in the contents and the bookmarks.
    assert!(
        pdf.bookmarks().iter().any(|(_, t)| t == "Annex I: Recommendations and Next Steps"),
        "{:?}",
        pdf.bookmarks()
    );
    let text = pdf.text();
    for row in [
        "No. Recommendation Owner Due",
        "1. Organize a follow-up training on open data for staff. The secretariat October 31, 2022",
        "2. Share the country presentations. Participants –",
    ] {
        assert!(text.contains(row), "{row:?} not in:\n{text}");
    }
}

#[test]
fn documents_print_with_their_language_and_address() {
    let scratch = Scratch::new(
        "docs",
        "title: Docs\ndates: {start: 2022-03-15, end: 2022-03-16}\nlanguage: fr\n\
         annexes:\n  - documents:\n\
         \x20     - title: Note conceptuelle\n\
         \x20       language: Français\n\
         \x20       link: https://example.org/note.pdf\n\
         \x20     - title: Programme\n",
    );
    let pdf = Pdf::load(&build(&scratch.path_of("docs")));
    // French has no words of its own for the annex yet: English's print.
    assert!(
        pdf.bookmarks().iter().any(|(_, t)| t == "Annexe I\u{a0}: Documents of the Workshop"),
        "{:?}",
        pdf.bookmarks()
    );
    let text = fold(&pdf.text());
    for row in [
        "Document Language",
        "Note conceptuelle https://example.org/note.pdf Français",
        "Programme –",
    ] {
        assert!(text.contains(row), "{row:?} not in:\n{text}");
    }
}

#[test]
fn a_documents_address_that_is_not_a_web_address_is_refused() {
    let scratch = Scratch::new(
        "docs",
        "title: Docs\ndates: {start: 2022-03-15, end: 2022-03-16}\n\
         annexes:\n  - documents:\n\
         \x20     - title: Note\n\
         \x20       link: \"javascript:alert(1)\"\n",
    );
    let err = crate::support::run(&["check", scratch.path_of("docs").to_str().unwrap()])
        .status(1)
        .stderr();
    assert!(err.contains("workshop.yaml:6:15"), "{err}");
    assert!(err.contains("https://"), "{err}");
}

#[test]
fn the_version_names_the_commit_and_the_typesetter() {
    let out = crate::support::run(&["--version"]).success().stdout();
    let version = concat!("workshop-report ", env!("CARGO_PKG_VERSION"), " (");
    assert!(out.starts_with(version), "{out}");
    // The typst crate the build pins.
    let lock = std::fs::read_to_string(crate::support::root().join("Cargo.lock")).unwrap();
    let typst =
        lock.split("\n[[package]]\n").find(|p| p.starts_with("name = \"typst\"\n")).unwrap();
    let pinned = typst.lines().nth(1).unwrap().trim_start_matches("version = ").trim_matches('"');
    assert!(out.contains(&format!("typst {pinned})")), "{out}");
    // Built from a git checkout: the commit checked out.
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(crate::support::root())
        .output()
        .ok()
        .filter(|o| o.status.success());
    if let Some(head) = head {
        let head = String::from_utf8_lossy(&head.stdout);
        assert!(out.contains(&format!("(commit {}, ", &head[..12])), "{out}");
    }
}
