//! The newer readers (workbooks, survey exports, Markdown files, terms,
//! language tags) attacked as the first round attacked the others: each
//! case made at test time, run under a time and memory limit, must fail
//! alone with its place named, and spare the rest of the batch.

use crate::support::{Pdf, Scratch, root, run_in, run_limited};

const RECORD: &str = "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\n\
                      chapters:\n  - {title: C, text: Some text.}\n";

/// The most memory a case may use (address space, as `ulimit -v` sets
/// it), and the longest time.
const MIB: u64 = 2048;
const SECONDS: u64 = 60;

fn limited(scratch: &Scratch, args: &[&str]) -> crate::support::Run {
    let run = run_limited(scratch.dir.path(), args, MIB, SECONDS)
        .unwrap_or_else(|| panic!("{args:?} did not finish in {SECONDS} s"));
    let code = run.code();
    assert!((0..=2).contains(&code), "exit {code}\n{}", run.stderr());
    run
}

/// A workshop whose feedback annex reads `export`, with one question.
fn survey(export: &str, question: &str) -> String {
    format!(
        "{RECORD}annexes:\n  - feedback:\n      responses: {export}\n      questions:\n        - {question}\n"
    )
}

#[test]
fn an_export_that_is_one_huge_line_is_refused_within_bounds() {
    let scratch = Scratch::new("w", &survey("r.csv", "{title: Q, options: [a, b]}"));
    // 100 MB of separators: a hundred million empty fields.
    std::fs::write(scratch.path_of("w/r.csv"), vec![b','; 100 << 20]).unwrap();
    let err = limited(&scratch, &["check", "w"]).stderr();
    assert!(err.contains("error[file-too-large]: line 1 is longer than 8 MiB"), "{err}");
    // A header of more columns than an export has.
    let header: Vec<String> = (0..6000).map(|i| format!("Q{i}")).collect();
    scratch.write("w/r.csv", &format!("{}\n", header.join(",")));
    let err = limited(&scratch, &["check", "w"]).stderr();
    assert!(
        err.contains("line 1 has 6000 fields; an export the tool reads has up to 5000 columns"),
        "{err}"
    );
    // 100 MB of line breaks: nothing to count, in bounded memory.
    std::fs::write(scratch.path_of("w/r.csv"), vec![b'\n'; 100 << 20]).unwrap();
    let err = limited(&scratch, &["check", "w"]).stderr();
    assert!(err.contains("`w/r.csv` is empty"), "{err}");
}

#[test]
fn a_table_of_one_huge_line_is_refused_before_it_is_split() {
    let scratch =
        Scratch::new("w", &format!("{RECORD}annexes:\n  - participants:\n      - file: p.csv\n"));
    std::fs::write(scratch.path_of("w/p.csv"), vec![b';'; 60 << 20]).unwrap();
    let err = limited(&scratch, &["check", "w"]).stderr();
    assert!(err.contains("line 1 is longer than 8 MiB"), "{err}");
    assert!(err.contains("w/p.csv:1:1"), "{err}");
}

#[test]
fn a_letter_under_ten_thousand_marks_is_refused_wherever_it_is() {
    let zalgo = format!("Z{}algo", "\u{0301}".repeat(10_000));
    // In a participants list, a Markdown file and a YAML escape.
    let escapes = format!("Z{}", "\\u0301".repeat(10_000));
    let scratch = Scratch::new(
        "w",
        &format!(
            "title: T\nplace: \"{escapes}\"\ndates: {{start: 2022-03-15, end: 2022-03-16}}\nchapters:\n  - {{title: C, text_file: c.md}}\nannexes:\n  - participants:\n      - file: p.csv\n"
        ),
    );
    scratch.write("w/p.csv", &format!("Name,Country\nAna,Chile\n{zalgo},Peru\n"));
    scratch.write("w/c.md", &format!("# Notes\n\nA word {zalgo} here.\n"));
    let run = limited(&scratch, &["check", "w"]);
    let err = run.stderr();
    assert_eq!(err.matches("error[combining-marks]").count(), 3, "{err}");
    assert!(err.contains("10001 code points (`Z` and 10000 marks or joiners on it)"), "{err}");
    for place in ["w/workshop.yaml:2:8", "w/p.csv:3:1", "w/c.md:3:8"] {
        assert!(err.contains(place), "{place} in {err}");
    }
}

#[test]
fn a_term_cannot_be_long_enough_to_multiply() {
    // A separator printed between each speaker's name, role and
    // organisation: 10,000 characters would print 600 times.
    let speakers: String = (0..600)
        .map(|i| format!("                - {{name: S{i}, role: R, organisation: O}}\n"))
        .collect();
    let scratch = Scratch::new(
        "w",
        &format!(
            "{RECORD}branding:\n  terms:\n    separator: \"{}\"\nannexes:\n  - agenda:\n      days:\n        - date: 2022-03-15\n          sessions:\n            - start: \"09:00\"\n              title: Long\n              speakers:\n{speakers}",
            "x".repeat(10_000)
        ),
    );
    let err = limited(&scratch, &["check", "w"]).stderr();
    assert!(err.contains("error[invalid-term]: a term is a word or a short phrase, of up to 200 characters; this one has 10000"), "{err}");
}

#[test]
fn a_very_long_free_text_answer_is_cut_with_a_warning() {
    let scratch = Scratch::new("w", &survey("r.csv", "{title: Comments, kind: text}"));
    let long = "word ".repeat(20_000);
    scratch.write("w/r.csv", &format!("Comments\nShort.\n{long}\n"));
    let run = limited(&scratch, &["build", "w", "--out-dir", "out"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains("warning[answer-cut]: the answer on line 3, field 1 is 99999 characters long: its last 94999 characters are left out of the report"),
        "{err}"
    );
    let text = Pdf::load(&std::fs::read(scratch.path_of("out/w.pdf")).unwrap()).text();
    assert_eq!(text.matches("word").count(), 1000, "the beginning is printed");
}

#[test]
fn a_folder_named_with_control_characters_is_shown_escaped_everywhere() {
    let name = "w\u{1b}]0;owned\u{7}\u{1b}[2J";
    let scratch = Scratch::new(name, RECORD);
    std::fs::create_dir_all(scratch.path_of("old")).unwrap();
    scratch.write("old/workshop.yaml", &RECORD.replace("title: T", "title: Old"));
    let raw = |text: &str| text.contains(['\u{1b}', '\u{7}']);
    let run = run_in(scratch.dir.path(), &["build", name, "--out-dir", "out"]).success();
    assert!(!raw(&run.stdout()) && !raw(&run.stderr()), "{:?}", run.stdout());
    assert!(run.stdout().contains("w\\u{1b}]0;owned"), "{}", run.stdout());
    let run = run_in(scratch.dir.path(), &["check", name, "--format", "json"]).success();
    assert!(!raw(&run.stdout()) && !raw(&run.stderr()), "{:?}", run.stdout());
    for format in ["text", "markdown", "json"] {
        let run = run_in(scratch.dir.path(), &["diff", "old", name, "--format", format]).status(1);
        assert!(!raw(&run.stdout()) && !raw(&run.stderr()), "{format}: {:?}", run.stdout());
    }
}

#[test]
fn tallies_as_csv_never_hold_a_formula() {
    let scratch = Scratch::new(
        "w",
        &format!(
            "{RECORD}annexes:\n  - feedback:\n      tallies: t.csv\n      respondents: 2\n      questions:\n        - title: \"=HYPERLINK(\\\"http://x\\\")\"\n          options: [\"+1\", \"@SUM(A1)\", \"-2\"]\n"
        ),
    );
    scratch.write("w/t.csv", "question,option,count\n\"=HYPERLINK(\"\"http://x\"\")\",+1,2\n");
    let out = run_in(scratch.dir.path(), &["tally", "w", "--format", "csv"]).success().stdout();
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(!cell.starts_with(['=', '+', '@']), "{cell:?} in\n{out}");
        }
    }
    assert!(
        out.contains("'=HYPERLINK") && out.contains("'+1") && out.contains("'@SUM(A1)"),
        "{out}"
    );
}

#[test]
fn a_batch_of_hostile_workbooks_spares_the_others() {
    // Every hostile workbook of the corpus, each in a workshop of its own,
    // and a plain workshop beside them.
    let scratch = Scratch::new("good", RECORD);
    let corpus = root().join("tests/errors");
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("err_workbook_") {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let to = scratch.path_of(&name).join(file.file_name().unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&file, to).unwrap();
        }
        cases.push(name);
    }
    assert!(cases.len() >= 12);
    let mut args = vec!["build", "--out-dir", "out", "--force", "good"];
    args.extend(cases.iter().map(String::as_str));
    let run = limited(&scratch, &args);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(
        err.contains(&format!("1 built, 0 skipped (unchanged), {} failed", cases.len())),
        "{err}"
    );
    assert!(!err.contains("error[crashed]") && !err.contains("error[out-of-memory]"), "{err}");
    assert!(scratch.path_of("out/good.pdf").is_file());
}

/// `tally w` of a workshop whose survey reads `r.csv` holding `export`.
fn tally(question: &str, export: &[u8]) -> crate::support::Run {
    let scratch = Scratch::new("w", &survey("r.csv", question));
    std::fs::write(scratch.path_of("w/r.csv"), export).unwrap();
    limited(&scratch, &["tally", "w"])
}

#[test]
fn times_written_day_first_are_read_day_first() {
    // Microsoft Forms as a European Excel saves it: 01/06 is 1 June; the
    // first answer crosses midnight, the third is on the 14th.
    let run = tally(
        "{title: Q, scale: satisfaction}",
        b"ID,Start time,Completion time,Email,Name,Q\n\
          1,01/06/2024 23:58:00,02/06/2024 00:03:00,anonymous,,Satisfied\n\
          2,01/06/2024 10:00:00,01/06/2024 10:05:00,anonymous,,Satisfied\n\
          3,14/06/2024 10:00:00,14/06/2024 10:05:00,anonymous,,Satisfied\n",
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stdout().contains("3 responses, average time to complete 5:00"),
        "{}",
        run.stdout()
    );
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
}

#[test]
fn a_time_that_cannot_be_read_is_left_out_with_a_warning() {
    // A Kobo export whose first `end` lacks the offset of its `start`.
    let run = tally(
        "{title: Q, scale: satisfaction}",
        b"start,end,Q,_id,_uuid,_submission_time\n\
          2024-05-14T09:00:00.000+02:00,2024-05-14T09:04:00,Satisfied,1,u1,2024-05-14T07:04:05\n\
          2024-05-14T09:00:00.000+02:00,2024-05-14T09:06:00.000+02:00,Satisfied,2,u2,2024-05-14T07:06:05\n",
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains("warning[invalid-time]: on line 2, the start or completion time cannot be read as a time"),
        "{err}"
    );
    assert!(err.contains("w/r.csv:2:1"), "{err}");
    assert!(
        run.stdout().contains("2 responses, average time to complete 6:00"),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_surveymonkey_write_in_counts_as_other() {
    let export = "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,Which country are you from?,\n\
                  ,,,,,,,,,Response,Other (please specify)\n\
                  1,9,05/14/2024 09:00:00 AM,05/14/2024 09:04:00 AM,198.51.100.1,,,,,Kenya,\n\
                  2,9,05/14/2024 09:00:00 AM,05/14/2024 09:04:00 AM,198.51.100.2,,,,,,Chile\n\
                  3,9,05/14/2024 09:00:00 AM,05/14/2024 09:04:00 AM,198.51.100.3,,,,,Peru,\n";
    let question = "{title: Which country are you from?, options: [Kenya, Peru, Other]}";
    // The write-in alone, and after the label `Other (please specify)`
    // picked in the answer column.
    let labelled = export.replace(",,,,,,Chile", ",,,,,Other (please specify),Chile");
    for export in [export.to_owned(), labelled] {
        let run = tally(question, export.as_bytes());
        assert_eq!(run.code(), 0, "{}", run.stderr());
        let out = run.stdout();
        assert!(
            out.contains("Other      1   33%\n     - Chile\n     3 answered; 0 did not"),
            "{out}"
        );
    }
}

#[test]
fn utf16_without_a_byte_order_mark_is_recognised() {
    let export =
        "Timestamp,Q\n2024/05/14 9:04:00 AM GMT+2,Satisfied\n2024/05/14 9:05:00 AM GMT+2,Neutral\n";
    let little: Vec<u8> = export.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let big: Vec<u8> = export.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (bytes, name) in [(little, "UTF-16LE"), (big, "UTF-16BE")] {
        let run = tally("{title: Q, scale: satisfaction}", &bytes);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        let err = run.stderr();
        assert!(
            err.contains(&format!("it was read as {name}, which its bytes look like")),
            "{err}"
        );
        assert!(run.stdout().contains("2 answered; 0 did not"), "{}", run.stdout());
    }
}

#[test]
fn a_long_word_of_punctuation_breaks_within_the_page() {
    for word in ["[".repeat(20_000), "<".repeat(20_000), "&amp;".repeat(20_000)] {
        let scratch = Scratch::new(
            "w",
            "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\nchapters:\n  - {title: C, text_file: c.md}\n",
        );
        scratch.write("w/c.md", &format!("{word}\n"));
        let run = limited(&scratch, &["check", "w"]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        assert!(!run.stderr().contains("off-page"), "{}", run.stderr());
    }
}

#[test]
fn raw_html_counts_toward_the_bounds_of_a_paragraph() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\nchapters:\n  - {title: C, text_file: c.md}\n",
    );
    scratch.write("w/c.md", &format!("<div>\n{}\n</div>\n", "<b> ".repeat(40_000)));
    let run = limited(&scratch, &["check", "w"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains("error[out-of-range]: a paragraph of more than 65536 characters"),
        "{err}"
    );
    assert!(err.contains("w/c.md:1:1"), "{err}");
}

#[test]
fn thousands_of_characters_no_font_has_are_named_once_each_up_to_a_dozen() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\nchapters:\n  - {title: C, text_file: c.md}\n",
    );
    let unseen: String = (0x40000..0x40000 + 30_000).filter_map(char::from_u32).collect();
    scratch.write("w/c.md", &format!("{unseen}\n"));
    let run = limited(&scratch, &["check", "w"]);
    let err = run.stderr();
    assert_eq!(err.matches("warning[missing-glyph]: no bundled font has").count(), 12, "{err}");
    assert!(
        err.contains("warning[missing-glyph]: 29988 more characters no bundled font has"),
        "{err}"
    );
}

#[test]
fn long_cells_and_many_groups_count_toward_the_volume_before_layout() {
    // 15,000 participants in 4 columns of 95 characters (5.7 million
    // characters: over 4 GB to lay out), and 29,000 groups of one each
    // (a minute to lay out): both refused by the volume, at once.
    let record = |group: &str| {
        format!("{RECORD}annexes:\n  - participants:\n      - {{file: p.csv{group}}}\n")
    };
    let cell = "word ".repeat(19);
    let long: String = (0..15_000).map(|i| format!("{i} {cell},{cell},{cell},{cell}\n")).collect();
    let groups: String = (0..29_000).map(|i| format!("P{i},C{i}\n")).collect();
    for (group, rows) in [
        ("", format!("A,B,C,D\n{long}")),
        (", group_by: Country", format!("Name,Country\n{groups}")),
    ] {
        let scratch = Scratch::new("w", &record(group));
        scratch.write("w/p.csv", &rows);
        let run = limited(&scratch, &["check", "w"]);
        assert_eq!(run.code(), 1, "{}", run.stderr());
        let err = run.stderr();
        assert!(err.contains("error[out-of-range]: the report would print"), "{err}");
        assert!(
            err.contains("cells of participant lists")
                && err.contains("a report prints up to 60000"),
            "{err}"
        );
    }
}
