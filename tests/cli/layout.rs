//! The complete report layout, proven on both seed reports and on a
//! minimal workshop.

use std::path::Path;

use serde::Deserialize;

use crate::support::{Pdf, Scratch, build, fold, root, run};

/// Each seed's contents entries, as its table of contents lists them. The
/// photos annex of the second seed is left out: its pictures were lost.
const SEED_000_CONTENTS: &[&str] = &[
    "BACKGROUND",
    "OBJECTIVE",
    "SETTING THE SCENE",
    "Opening Remarks",
    "Global and Regional Trends and Insights from the 2020 UN E-Government Survey",
    "COUNTRY PRESENTATIONS",
    "Bangladesh",
    "Egypt",
    "Indonesia",
    "Malaysia",
    "Nigeria",
    "Turkey",
    "Islamic Republic of Iran",
    "THE WAY FORWARD",
    "Curriculum on Governance for the SDGs",
    "CONCLUSIONS AND NEXT STEPS",
    "Challenges",
    "Opportunities",
    "Areas of assistance",
    "Next steps",
    "ANNEXES",
    "Agenda of the Workshop",
    "List of Participants",
    "Workshop Evaluation",
];

const SEED_001_CONTENTS: &[&str] = &[
    "BACKGROUND",
    "OBJECTIVE",
    "SETTING THE SCENE",
    "PRINCIPLES OF EFFECTIVE GOVERNANCE FOR SUSTAINABLE DEVELOPMENT AND TRENDS IN E-GOVERNMENT",
    "CONDUCTING A SITUATION ANALYSIS",
    "IDENTIFYING PRIORITIES AND NEW APPROACHES FOR INCLUSIVE SERVICE DELIVERY",
    "COUNTRY PRESENTATIONS",
    "Bangladesh",
    "Indonesia",
    "Iran (Islamic Republic of)",
    "Malaysia",
    "Nigeria",
    "Pakistan",
    "Türkiye",
    "ESTABLISHING THE D-8 E-GOVERNMENT NETWORK",
    "CONCLUSIONS AND NEXT STEPS",
    "ANNEXES",
    "Annex I: Agenda",
    "Annex II: List of Participants from D8 Member Countries",
    "Annex III: Participants' Feedback",
    "Annex V: Contact Information",
];

/// A contents entry without its annex number, in lower case: "Annex V:
/// Contact Information" and "Annex IV: Contact Information" compare equal.
fn key(entry: &str) -> String {
    let entry = entry.trim();
    let entry = match entry.strip_prefix("Annex ").and_then(|rest| rest.split_once(": ")) {
        Some((number, title)) if number.chars().all(|c| "IVXLC".contains(c)) => title,
        _ => entry,
    };
    entry.to_lowercase()
}

/// Asserts that the PDF's top two bookmark levels hold `expected`, in
/// order (other entries may stand between them).
#[track_caller]
fn assert_bookmarks_follow(pdf: &Pdf, expected: &[&str]) {
    let bookmarks: Vec<String> =
        pdf.bookmarks().into_iter().filter(|(depth, _)| *depth <= 2).map(|(_, t)| t).collect();
    let mut remaining = bookmarks.iter().map(|b| key(b));
    for entry in expected {
        let wanted = key(entry);
        assert!(
            remaining.any(|b| b == wanted),
            "contents entry {entry:?} missing or out of order in bookmarks {bookmarks:#?}"
        );
    }
}

/// The parts of a record the tests read independently of the tool.
#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    annexes: Vec<Annex>,
}

#[derive(Deserialize)]
struct Annex {
    agenda: Option<Agenda>,
    participants: Option<Vec<List>>,
}

#[derive(Deserialize)]
struct Agenda {
    days: Vec<Day>,
}

#[derive(Deserialize)]
struct Day {
    sessions: Vec<Session>,
}

#[derive(Deserialize)]
struct Session {
    title: Option<String>,
    #[serde(rename = "break")]
    break_: Option<String>,
}

#[derive(Deserialize)]
struct List {
    file: String,
}

fn record(dir: &Path) -> Record {
    let text = std::fs::read_to_string(dir.join("workshop.yaml")).unwrap();
    let options =
        serde_saphyr::options! { duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error };
    serde_saphyr::from_str_with_options(&text, options).unwrap()
}

/// Every agenda title and every participant row of `dir`'s record.
fn people_and_sessions(dir: &Path) -> (Vec<String>, Vec<String>) {
    let record = record(dir);
    let mut sessions = Vec::new();
    let mut people = Vec::new();
    for annex in &record.annexes {
        for day in annex.agenda.iter().flat_map(|a| &a.days) {
            for s in &day.sessions {
                sessions.extend(s.title.clone().or(s.break_.clone()));
            }
        }
        for list in annex.participants.iter().flatten() {
            let text = std::fs::read_to_string(dir.join(&list.file)).unwrap();
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            for row in reader.records() {
                // The name is in the columns printed side by side; a row's
                // cells read in order in the extracted text.
                let row = row.unwrap();
                people.push(fold(&row.iter().collect::<Vec<_>>().join(" ")));
            }
        }
    }
    (people, sessions)
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn check_seed(name: &str, contents: &[&str], captions: &[&str]) {
    let dir = root().join("inputs").join(name);
    let pdf = Pdf::load(&build(&dir));
    assert_bookmarks_follow(&pdf, contents);
    let text = pdf.text();
    // Lines break where the layout needs (after a `/`, say), which text
    // extraction reads as a space: compare without white space.
    let squeezed = squeeze(&text);
    let (people, sessions) = people_and_sessions(&dir);
    assert!(people.len() >= 10 && sessions.len() >= 4);
    for person in &people {
        // Grouped lists print the group once, above its rows.
        let found = squeezed.contains(&squeeze(person))
            || person.split_once(' ').is_some_and(|(_, rest)| squeezed.contains(&squeeze(rest)));
        assert!(found, "participant {person:?} missing");
    }
    for session in &sessions {
        assert!(squeezed.contains(&squeeze(session)), "agenda session {session:?} missing");
    }
    for caption in captions {
        assert!(squeezed.contains(&squeeze(caption)), "caption {caption:?} missing");
    }
}

#[test]
fn seed_000_comes_out_complete() {
    check_seed(
        "egov-sdg-2022",
        SEED_000_CONTENTS,
        &[
            "Table 1: D-8 Members in the United Nations E-Government Survey 2020.",
            "Table 2: Local E-Government development in the D-8 Members' most populous cities in 2020.",
            "Figure 1: EGDI Performance and Ranks for D-8 Members.",
            "Figure 2: LOSI Performance and Ranks for D-8 Members.",
            "Table 3: Summary of the D-8's areas of required support.",
        ],
    );
}

#[test]
fn seed_001_comes_out_complete() {
    check_seed("egov-sdg-istanbul-2022", SEED_001_CONTENTS, &[]);
    let text = Pdf::load(&build(&root().join("inputs/egov-sdg-istanbul-2022"))).text();
    for notice in ["Disclaimers", "Copyright © United Nations, 2023"] {
        assert!(text.contains(notice), "{notice:?} missing");
    }
    // A long address may break after its punctuation; the PDF reader used
    // here puts a space at each such place, which a reader's copy has not.
    let joined: String = text.split_whitespace().collect();
    assert!(joined.contains("biplob.tarafder@developing8.org"), "the address is missing");
}

#[test]
fn agenda_prints_each_time_zone_side_by_side() {
    let text = Pdf::load(&build(&root().join("inputs/egov-sdg-2022"))).text();
    assert!(text.contains("New York Istanbul Session"), "time zone header");
    assert!(text.contains("6 am–7 am 1 pm–2 pm Welcome and Opening Remarks"), "{text}");
}

#[test]
fn charts_print_their_values() {
    let text = Pdf::load(&build(&root().join("inputs/egov-sdg-2022"))).text();
    // Figure 1 draws Table 1's scores, one labelled bar per country.
    assert!(text.contains("Malaysia 0.7892 Turkey 0.7718"), "chart values missing");
}

#[test]
fn minimal_workshop_has_nothing_empty() {
    let scratch = Scratch::new(
        "minimal",
        "title: A Minimal Workshop\ndates: {start: 2023-05-04, end: 2023-05-04}\n\
         chapters:\n  - title: Background\n    text: Only this.\n",
    );
    let pdf = Pdf::load(&build(&scratch.path_of("minimal")));
    // A cover, the contents and the chapter; no inside cover, no annexes.
    assert_eq!(pdf.pages(), 3);
    let bookmarks: Vec<String> = pdf.bookmarks().into_iter().map(|(_, t)| t).collect();
    assert_eq!(bookmarks, ["Background"]);
    let text = pdf.text();
    // No `language:`: English, with CLDR en's dates.
    assert!(text.contains("May 4, 2023"), "{text}");
    assert!(!text.contains("ANNEXES") && !text.contains("Annex"));
}

#[test]
fn branding_comes_from_the_organisation_then_the_record() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2023-05-04, end: 2023-05-04}\nbranding:\n  font: Noto Serif\n",
    );
    scratch.write("branding.yaml", "colour: \"#AA3300\"\nfont: Noto Sans\n");
    let source = run(&["source", scratch.path_of("w").to_str().unwrap()]).success().stdout();
    assert!(source.contains(r##"#let accent = rgb("#aa3300")"##), "organisation colour");
    assert!(
        source.contains(r#"#let body-font = with-fallback("Noto Serif")"#),
        "the record's font wins"
    );
    let pdf = Pdf::load(&build(&scratch.path_of("w")));
    assert_eq!(pdf.unembedded_fonts(), Vec::<String>::new());
}

#[test]
fn generated_source_of_each_sample_is_kept_as_a_snapshot() {
    for name in [
        "egov-sdg-2022",
        "egov-sdg-istanbul-2022",
        "egov-afrique-2023",
        "egov-arab-region-2023",
        "egov-asia-pacific-2024",
    ] {
        let dir = root().join("inputs").join(name);
        let source = run(&["source", dir.to_str().unwrap()]).success().stdout();
        insta::assert_snapshot!(name, source);
    }
}

#[test]
fn figures_and_photos_carry_their_pictures_and_captions() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2023-05-04, end: 2023-05-04}\n\
         chapters:\n  - title: C\n    body:\n\
         \x20     - figure: {file: images/logo.svg, alt: The logo, width: 50%}\n\
         \x20       caption: The organisation's logo.\n\
         annexes:\n  - photos:\n\
         \x20     - {file: images/logo.svg, caption: Group picture}\n\
         \x20     - {file: images/logo.svg, caption: Closing session}\n",
    );
    let logo = std::fs::read_to_string(root().join("inputs/egov-sdg-2022/images/d-8.svg")).unwrap();
    scratch.write("w/images/logo.svg", &logo);
    let pdf = Pdf::load(&build(&scratch.path_of("w")));
    let text = squeeze(&pdf.text());
    for expected in [
        "Figure1:Theorganisation'slogo.",
        "AnnexI:WorkshopPhotos",
        "Grouppicture",
        "Closingsession",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }
    // Bookmarked: every heading, including those left out of the contents.
    let bookmarks: Vec<String> = pdf.bookmarks().into_iter().map(|(_, t)| t).collect();
    assert_eq!(bookmarks, ["C", "Annexes", "Annex I: Workshop Photos"]);
}

#[test]
fn every_heading_is_bookmarked() {
    let pdf = Pdf::load(&build(&root().join("inputs/egov-sdg-2022")));
    let bookmarks: Vec<(usize, String)> = pdf.bookmarks();
    // Parts of presentations (level 3, not in the contents) and agenda days.
    assert!(bookmarks.contains(&(3, "I. Challenges".to_owned())), "{bookmarks:?}");
    assert!(bookmarks.contains(&(3, "15 March 2022 · Session One".to_owned())), "{bookmarks:?}");
    assert!(bookmarks.contains(&(3, "UN DESA participants included".to_owned())));
}

#[test]
fn a_template_folder_overrides_templates_by_name() {
    let scratch = Scratch::new("w", "title: T\ndates: {start: 2023-05-04, end: 2023-05-04}\n");
    scratch.write("templates/cover.typ.j2", "#page[Custom cover for {{ workshop.title }}]\n");
    let templates = scratch.path_of("templates");
    let dir = scratch.path_of("w");
    let args = ["source", dir.to_str().unwrap(), "--templates", templates.to_str().unwrap()];
    let source = run(&args).success().stdout();
    assert!(source.contains("#page[Custom cover for T]"));
    // The other templates are still the built-in ones.
    assert!(source.contains("#set document("));

    // A mistake in an override names the template file and line.
    scratch.write("templates/cover.typ.j2", "#page[\n{{ workshop.titel }}]\n");
    let err = run(&args).status(1).stderr();
    assert!(err.contains("templates/cover.typ.j2:2:"), "{err}");
    assert!(err.contains("error[template]"), "{err}");
}

#[test]
fn the_page_flow_follows_the_house_style() {
    // tests/fixtures/long-groups: `chapter_break: none`, groups longer
    // than a page, five survey questions.
    let dir = root().join("tests/fixtures/long-groups");
    let pdf = Pdf::load(&build(&dir));
    // The last page a text is on (the contents name the headings first).
    let page_of = |needle: &str| {
        (1..=pdf.pages()).rev().find(|&p| {
            let pages: Vec<u32> = vec![p as u32];
            pdf.doc.extract_text(&pages).unwrap_or_default().contains(needle)
        })
    };
    // Short chapters run on, one after another on the same page.
    assert_eq!(page_of("BACKGROUND"), page_of("CONCLUSIONS"), "chapters run on");
    // Annexes start a page each.
    let (agenda, list, feedback) =
        (page_of("Annex I: Agenda"), page_of("Annex II: List"), page_of("Annex III:"));
    assert!(agenda < list && list < feedback, "{agenda:?} {list:?} {feedback:?}");
    let text = pdf.text();
    // A group that runs onto a new page repeats its row there, marked.
    assert!(squeeze(&text).contains("UnitedRepublicofTanzania(continued)"), "{text}");
    // A session crossing midnight says which end is on the day before.
    assert!(text.contains("23:00 (previous day)–00:30"), "{text}");
}

#[test]
fn tables_span_the_text_width_with_numbers_on_the_right() {
    let source =
        run(&["source", root().join("inputs/egov-sdg-2022").to_str().unwrap()]).success().stdout();
    // Table 1: country, region, sub-region, group, score, rank.
    assert!(source.contains("align: (start, start, start, start, end, end, ),"), "numbers right");
    assert!(
        source.contains("columns: (28.0fr, 8.0fr, 20.0fr, 12.0fr, 8.0fr, 13.0fr, ),"),
        "proportional widths"
    );
    assert!(source.contains("set figure.caption(position: top)"), "captions above tables");
}

#[test]
fn a_caption_never_parts_from_its_table() {
    // Text of every length around the one that once left the caption at
    // the foot of a page and the table on the next.
    let rows: String = (0..40).map(|i| format!("Country {i},{},{}\n", i * 3, i * 7)).collect();
    let words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore ";
    for length in (480..=540).step_by(12) {
        let many = words.repeat(60);
        let text: Vec<&str> = many.split_whitespace().take(length).collect();
        let scratch = Scratch::new(
            "w",
            &format!(
                "title: T\ndates: {{start: 2024-05-14, end: 2024-05-14}}\nchapters:\n  - title: C\n    text: \"{}.\"\n    body:\n      - table: {{file: t.csv}}\n        caption: The caption of the table.\n",
                text.join(" ")
            ),
        );
        scratch.write("w/t.csv", &format!("Country,A,B\n{rows}"));
        let pdf = Pdf::load(&build(&scratch.path_of("w")));
        let page_of = |needle: &str| {
            (1..=pdf.pages()).find(|&p| {
                crate::support::fold(&pdf.doc.extract_text(&[p as u32]).unwrap_or_default())
                    .contains(needle)
            })
        };
        let caption = page_of("The caption of the table.");
        assert!(caption.is_some());
        assert_eq!(caption, page_of("Country 0 0 0"), "{length} words");
    }
}
