//! Spreadsheets wherever a CSV file is accepted (tests/fixtures/workbooks,
//! written by its make.py): the same report as the CSV twins, cells as the
//! spreadsheet shows them, diagnostics naming the sheet and the cell.

use crate::support::{Scratch, root, run, run_in};

/// A workshop with a participant list, a table and a chart read from
/// `participants.<ext>` and `scores.<ext>`, with `extra` after each file
/// (the sheet and header row of a workbook).
fn record(ext: &str, extra: &str) -> String {
    format!(
        "title: T\ndates: {{start: 2024-05-14, end: 2024-05-14}}\n\
         chapters:\n  - title: C\n    body:\n\
         \x20     - table: {{file: scores.{ext}{extra}}}\n        caption: Scores.\n\
         \x20     - chart: {{file: scores.{ext}, label: Country, values: [Score]{extra}}}\n        caption: Scores.\n\
         annexes:\n  - participants:\n      - {{file: participants.{ext}, group_by: Country{extra}}}\n"
    )
}

/// A workshop with `record` and the fixtures' two workbooks.
fn with_workbooks(record: &str) -> Scratch {
    let scratch = Scratch::new("w", record);
    for f in ["participants.xlsx", "scores.xlsx"] {
        let from = root().join("tests/fixtures/workbooks").join(f);
        std::fs::copy(from, scratch.path_of("w").join(f)).unwrap();
    }
    scratch
}

/// The Typst source of a workshop with `record`, its files copied from the
/// fixtures.
fn source(record: &str) -> String {
    let scratch = Scratch::new("w", record);
    for f in std::fs::read_dir(root().join("tests/fixtures/workbooks")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, scratch.path_of("w").join(f.file_name().unwrap())).unwrap();
    }
    let dir = scratch.path_of("w");
    run(&["source", dir.to_str().unwrap()]).success().stdout()
}

#[test]
fn workbooks_build_the_report_their_csv_twins_build() {
    let csv = source(&record("csv", ""));
    assert!(csv.contains("Agency for Data, Statistics") && csv.contains("0\\.791"));
    for ext in ["xlsx", "ods"] {
        let workbook = source(&record(ext, ", sheet: Data, header_row: 3"));
        assert_eq!(workbook, csv, "{ext}");
    }
    // The sheet by its number; without `header_row`, the first row with
    // text is the header: here a title, which names no columns.
    let scratch = with_workbooks(&record("xlsx", ", sheet: 1"));
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("sheet `Data`, cell B1 names no column"), "{err}");
    assert!(err.contains("header_row"), "the hint says how to name the header's row: {err}");
}

#[test]
fn cells_print_as_the_spreadsheet_shows_them() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2024-05-14, end: 2024-05-14}\nchapters:\n  - title: C\n    body:\n      - table: {file: cells.xlsx}\n",
    );
    std::fs::copy(
        root().join("tests/fixtures/workbooks/cells.xlsx"),
        scratch.path_of("w/cells.xlsx"),
    )
    .unwrap();
    let source = run(&["source", scratch.path_of("w").to_str().unwrap()]).success().stdout();
    for shown in [
        "[date], [2024\\-05\\-14]",
        "[date and time], [2024\\-05\\-14 09\\:30]",
        "[time], [09\\:30]",
        "[tenth], [0\\.1]",
        // A formula by its cached value, without float noise.
        "[sum], [0\\.3]",
    ] {
        assert!(source.contains(shown), "{shown:?} not in\n{source}");
    }
    // A merged cell's value fills its area.
    assert_eq!(source.matches("[group]").count(), 2, "both cells of the merged area");
}

#[test]
fn workbook_problems_name_the_sheet_and_the_cell() {
    let scratch = with_workbooks(&record("xlsx", ", sheet: Registrations"));
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("has no sheet `Registrations`"), "{err}");
    assert!(err.contains("its sheets are: `Data`"), "{err}");

    // A survey export whose answer is not on the scale: the sheet and cell.
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2024-05-14, end: 2024-05-14}\nannexes:\n  - feedback:\n      responses: msforms.xlsx\n      questions:\n        - {title: How satisfied were you with the workshop?, scale: [Very satisfied, Satisfied, Unsatisfied]}\n",
    );
    std::fs::copy(
        root().join("tests/fixtures/exports/msforms.xlsx"),
        scratch.path_of("w/msforms.xlsx"),
    )
    .unwrap();
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("`Neutral`"), "{err}");
    assert!(err.contains("sheet `Sheet1`, cell G5"), "{err}");
}

#[test]
fn columns_pick_order_and_rename_a_registration_export() {
    let record = "title: T\ndates: {start: 2024-05-14, end: 2024-05-14}\nannexes:\n  - participants:\n      - file: participants.xlsx\n        sheet: Data\n        header_row: 3\n        group_by: Country\n        columns: [{Name: Full name}, Organisation]\n";
    let source = source(record);
    assert!(source.contains("[Full name]]") && source.contains("[Organisation]]"), "{source}");
    assert!(!source.contains("[Function]]"), "a column not picked is left out");
    assert!(source.contains("[Amina Diallo], [Ministry of ICT]"), "{source}");
}

#[test]
fn damaged_and_oversized_workbooks_are_refused_without_a_crash() {
    let record = |file: &str| {
        format!(
            "title: T\ndates: {{start: 2024-05-14, end: 2024-05-14}}\nannexes:\n  - participants:\n      - file: {file}\n"
        )
    };
    // A sheet whose XML makes the workbook reader fail (found by mutating
    // a workbook's XML): an error, not a panic.
    let scratch = Scratch::new("w", &record("damaged.xlsx"));
    std::fs::copy(
        root().join("tests/fixtures/workbooks/damaged.xlsx"),
        scratch.path_of("w/damaged.xlsx"),
    )
    .unwrap();
    // (A debug build's reader panics on an overflow and the panic is
    // caught; a release build's wraps and a later check refuses the cell:
    // either way, an error naming the file.)
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("error[spreadsheet]: "), "{err}");
    assert!(err.contains("in w/damaged.xlsx"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    // A ZIP bomb: 600 MiB of spaces in a few hundred kilobytes.
    let scratch = Scratch::new("w", &record("bomb.xlsx"));
    let file = std::fs::File::create(scratch.path_of("w/bomb.xlsx")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..600 {
        std::io::Write::write_all(&mut zip, &zeros).unwrap();
    }
    zip.finish().unwrap();
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("unpacks to more than 256 MiB"), "{err}");
}

/// A workshop whose participants annex reads `file` from
/// tests/fixtures/hostile.
fn hostile(file: &str, annex: &str) -> Scratch {
    let scratch = Scratch::new(
        "w",
        &format!("title: T\ndates: {{start: 2024-05-14, end: 2024-05-14}}\nannexes:\n{annex}"),
    );
    std::fs::copy(
        root().join("tests/fixtures/hostile").join(file),
        scratch.path_of("w").join(file),
    )
    .unwrap();
    scratch
}

#[test]
fn an_xls_workbook_is_read_within_its_bounds() {
    let scratch =
        hostile("plain.xls", "  - participants:\n      - {file: plain.xls, group_by: Country}\n");
    let source = run_in(scratch.dir.path(), &["source", "w"]).success().stdout();
    for name in ["Amina Diallo", "Bruno Costa", "Chen Wei"] {
        assert!(source.contains(name), "{name} in\n{source}");
    }
}

#[test]
fn a_merged_area_as_large_as_the_sheet_costs_what_the_table_holds() {
    // 2,000 merged areas of 17 billion cells each, over a table of 3 rows.
    let scratch = hostile(
        "merged-whole-sheet.xlsx",
        "  - participants:\n      - file: merged-whole-sheet.xlsx\n",
    );
    let started = std::time::Instant::now();
    run_in(scratch.dir.path(), &["check", "w"]).success();
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[test]
fn no_column_of_a_streamed_export_is_dropped() {
    // 1,200 questions: the answers to the 1,100th are counted.
    let scratch = hostile(
        "wide-export.xlsx",
        "  - feedback:\n      responses: wide-export.xlsx\n      questions:\n        - {title: Q1100, options: [Kenya, Ghana, Peru]}\n",
    );
    let out = run_in(scratch.dir.path(), &["tally", "w", "--format", "json"]).success().stdout();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let survey = &json["surveys"][0];
    assert_eq!(survey["respondents"], 3, "{json}");
    let counts: Vec<u64> = survey["questions"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [1, 1, 1], "{json}");
}

// The hostile workbooks a workshop reads (tests/fixtures/hostile, see its
// README): each as its user would notice it.

/// A workshop whose participants annex lists `file`, from
/// tests/fixtures/hostile.
fn listed(file: &str, group_by: &str) -> Scratch {
    hostile(file, &format!("  - participants:\n      - {{file: {file}{group_by}}}\n"))
}

#[test]
fn an_xls_workbook_is_read_from_the_stream_its_directory_links() {
    // Before the linked `Workbook` stream, a first entry of that name that
    // no tree links (a stream, then a storage), whose stream declares
    // 4,294,967,295 rows: the reader that took it ran out of memory.
    for file in ["orphan-stream.xls", "workbook-storage.xls"] {
        let scratch = listed(file, "");
        let check = run_in(scratch.dir.path(), &["check", "w"]).success();
        assert!(check.stderr().is_empty(), "{file}: {}", check.stderr());
        let source = run_in(scratch.dir.path(), &["source", "w"]).success().stdout();
        for row in ["[Amina Diallo], [Senegal]", "[Bruno Costa], [Brazil]", "[Chen Wei], [China]"] {
            assert!(source.contains(row), "{file}: {row} in\n{source}");
        }
    }
}

/// `bytes` with its one merged area (a MERGEDCELLS record of one Ref8)
/// written from its start to its end.
fn merged_in_order(bytes: &[u8]) -> Vec<u8> {
    let header = [0xE5, 0x00, 10, 0, 1, 0];
    let found: Vec<usize> = (0..bytes.len() - 6).filter(|&i| bytes[i..i + 6] == header).collect();
    assert_eq!(found.len(), 1, "one MERGEDCELLS record of one area");
    let mut bytes = bytes.to_vec();
    let at = found[0] + 6;
    let get = |i: usize| u16::from_le_bytes([bytes[at + i], bytes[at + i + 1]]);
    let (r0, r1, c0, c1) = (get(0), get(2), get(4), get(6));
    assert!(r0 > r1 || c0 > c1, "the fixture's area is written from its end");
    for (i, v) in [r0.min(r1), r0.max(r1), c0.min(c1), c0.max(c1)].into_iter().enumerate() {
        bytes[at + 2 * i..at + 2 * i + 2].copy_from_slice(&v.to_le_bytes());
    }
    bytes
}

#[test]
fn a_merged_area_written_from_its_end_fills_the_group_as_written_from_its_start() {
    // Kenya's cell merged down over the rows below it, the area's rows
    // (then columns) written last to first: the tool crashed on it.
    for (file, kenya) in [
        ("merged-reversed-rows.xls", ["[Amina Diallo]", "[Bruno Costa]", "[Chen Wei]"].as_slice()),
        (
            "merged-reversed-columns.xls",
            &["[Kenya], [Kenya], [Amina Diallo]", "[Kenya], [Kenya], [Bruno Costa]"],
        ),
    ] {
        let scratch = listed(file, ", group_by: Country");
        let check = run_in(scratch.dir.path(), &["check", "w"]).success();
        assert!(check.stderr().is_empty(), "no participant without a group: {}", check.stderr());
        let source = run_in(scratch.dir.path(), &["source", "w"]).success().stdout();
        let (start, end) = (source.find("#strong[Kenya]"), source.find("#strong[Peru]"));
        let (Some(start), Some(end)) = (start, end) else {
            panic!("{file}: two groups in\n{source}")
        };
        for row in kenya {
            let at = source.find(row).unwrap_or_else(|| panic!("{file}: {row} in\n{source}"));
            assert!(start < at && at < end, "{file}: {row} in Kenya's group\n{source}");
        }

        // The same file with the area written from its start.
        let twin = Scratch::new(
            "w",
            &std::fs::read_to_string(scratch.path_of("w/workshop.yaml")).unwrap(),
        );
        let bytes = std::fs::read(scratch.path_of("w").join(file)).unwrap();
        std::fs::write(twin.path_of("w").join(file), merged_in_order(&bytes)).unwrap();
        let expected = run_in(twin.dir.path(), &["source", "w"]).success().stdout();
        assert_eq!(source, expected, "{file}");
    }
}

#[test]
fn an_xls_formula_of_many_spaces_is_read_at_once() {
    // Formulas of 16,000 (then 3 of 2,050) tokens of 255 spaces each, whose
    // text took the workbook reader minutes to build: their values are
    // read, their text never built.
    for file in ["formula-spaces.xls", "formula-spaces-x3.xls"] {
        let scratch = listed(file, "");
        let started = std::time::Instant::now();
        let check = run_in(scratch.dir.path(), &["check", "w"]).success();
        assert!(started.elapsed().as_secs() < 10, "{file}: {:?}", started.elapsed());
        assert!(check.stderr().is_empty(), "{file}: {}", check.stderr());
        let source = run_in(scratch.dir.path(), &["source", "w"]).success().stdout();
        for row in [
            "[Amina Diallo], [Senegal], [2]",
            "[Bruno Costa], [Brazil], [3]",
            "[Chen Wei], [China], [1]",
        ] {
            assert!(source.contains(row), "{file}: {row} in\n{source}");
        }
    }
}

/// A workshop whose feedback annex reads the Microsoft Forms export
/// `file` (the answers of tests/fixtures/exports/msforms.xlsx), from
/// tests/fixtures/hostile.
fn survey(file: &str) -> Scratch {
    hostile(
        file,
        &format!(
            "  - feedback:\n      responses: {file}\n      questions:\n\
             \x20       - title: How satisfied were you with the workshop?\n\
             \x20         scale: [Very satisfied, Satisfied, Neutral, Unsatisfied, Very unsatisfied]\n\
             \x20       - title: Which topics were most useful?\n\
             \x20         options: [Data governance, privacy and security, 'Digital identity; interoperability', Open data, Other]\n\
             \x20       - title: How would you rate the sessions?\n\
             \x20         rows: [Opening session, Country presentations]\n\
             \x20         scale: [Excellent, Good, Fair, Poor]\n\
             \x20       - {{title: What should be improved?, kind: text}}\n"
        ),
    )
}

#[test]
fn a_start_time_that_is_not_a_time_is_named_and_left_out_of_the_average() {
    // The first start time's style is 4294967295, which no format has: a
    // plain number. The other five take 4:48 on average (all six, 4:40).
    let scratch = survey("style-out-of-range.xlsx");
    let tally = run_in(scratch.dir.path(), &["tally", "w"]).success();
    let (out, err) = (tally.stdout(), tally.stderr());
    assert!(err.contains("warning[invalid-time]: on sheet `Sheet1`, row 2,"), "{err}");
    assert!(err.contains("style-out-of-range.xlsx"), "{err}");
    assert!(out.contains("6 responses, average time to complete 4:48"), "{out}");
}

#[test]
fn a_long_answer_in_a_workbook_export_is_cut_with_a_warning() {
    // 70,000 characters, then 1,200 short lines, in the first respondent's
    // free-text answer (cell K2): printed up to 5,000 characters on 100
    // lines, the rest left out with a warning; the survey is tallied.
    for (file, chars, lines) in
        [("long-answer.xlsx", 70_000, 1), ("many-lines-answer.xlsx", 4_799, 1_200)]
    {
        let scratch = survey(file);
        let tally = run_in(scratch.dir.path(), &["tally", "w", "--format", "json"]).success();
        let err = tally.stderr();
        assert!(
            err.contains(&format!(
                "warning[answer-cut]: the answer on sheet `Sheet1`, cell K2 is {chars} characters long"
            )),
            "{file}: {err}"
        );
        let json: serde_json::Value = serde_json::from_str(&tally.stdout()).unwrap();
        let survey = &json["surveys"][0];
        assert_eq!(survey["respondents"], 6, "{file}: {json}");
        let answers = survey["questions"][4]["responses"].as_array().unwrap();
        assert_eq!(answers.len(), 3, "{file}: {json}");
        let cut = answers[0].as_str().unwrap();
        assert!(cut.ends_with('…'), "{file}: {cut}");
        assert!(cut.chars().count() <= 5_001, "{file}: {} characters", cut.chars().count());
        assert_eq!(cut.lines().count(), lines.min(100), "{file}");
    }
}
