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
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("error[spreadsheet]: the workbook is damaged"), "{err}");
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
