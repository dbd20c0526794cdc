//! A workshop folder comes from a pull request: an attacker may put
//! anything in it. These cases are made at test time (pipes, links, sparse
//! files, picture bombs) and run under a time and memory limit: none may
//! hang the tool, exhaust the machine, read outside the folders, print what
//! it should not, or stop the other workshops of a batch.

use std::io::Cursor;
use std::path::Path;

use crate::support::{Pdf, Scratch, run, run_in, run_limited, run_with};

const RECORD: &str = "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\n\
                      chapters:\n  - {title: C, text: Some text.}\n";

/// The most memory a hostile case may use, and the longest time.
const MIB: u64 = 1536;
const SECONDS: u64 = 60;

/// Builds `dirs` (relative to `scratch`) under the limits; the run.
fn build_limited(scratch: &Scratch, dirs: &[&str]) -> crate::support::Run {
    let mut args = vec!["build", "--out-dir", "out", "--force"];
    args.extend(dirs);
    let run = run_limited(scratch.dir.path(), &args, MIB, SECONDS)
        .unwrap_or_else(|| panic!("build {dirs:?} did not finish in {SECONDS} s"));
    let code = run.code();
    assert!(code == 0 || code == 1, "exit {code} (an abort?)\n{}", run.stderr());
    run
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// A PNG whose header claims `width` × `height` pixels, with a few bytes
/// of image data: 69 bytes that ask a decoder for gigabytes.
fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn encoded(format: image::ImageFormat, width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 120]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn with_logo(logo: &str) -> String {
    format!("{RECORD}organisers:\n  - {{name: O, logo: {logo}}}\n")
}

#[test]
fn a_pipe_anywhere_in_the_folder_hangs_nothing() {
    let scratch = Scratch::new("w", RECORD);
    mkfifo(&scratch.path_of("w/stray.fifo"));
    std::fs::create_dir_all(scratch.path_of("w/deep/er")).unwrap();
    mkfifo(&scratch.path_of("w/deep/er/pipe"));
    let run = build_limited(&scratch, &["w"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    // Named by the record, it is refused at once.
    scratch.write("w/workshop.yaml", &with_logo("stray.fifo"));
    let run = build_limited(&scratch, &["w"]);
    assert!(run.stderr().contains("`stray.fifo` is a pipe (FIFO), not a file"), "{}", run.stderr());
}

#[test]
fn an_unused_huge_file_is_never_read() {
    let scratch = Scratch::new("w", RECORD);
    // Sparse: 3 GiB that take no disk.
    let file = std::fs::File::create(scratch.path_of("w/huge.bin")).unwrap();
    file.set_len(3 << 30).unwrap();
    let run = build_limited(&scratch, &["w"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    // Named, it is refused by its size before a byte is read.
    scratch.write(
        "w/workshop.yaml",
        &format!("{RECORD}annexes:\n  - participants:\n      - file: huge.bin\n"),
    );
    let run = build_limited(&scratch, &["w"]);
    assert!(run.stderr().contains("`huge.bin` is larger than 64 MiB"), "{}", run.stderr());
}

#[cfg(unix)]
#[test]
fn branding_read_by_the_same_rules_leaks_nothing() {
    let scratch = Scratch::new("w", RECORD);
    let branding = scratch.path_of("branding.yaml");
    let canary = "c4n4ry-9e1d";
    // A link to the process environment (a CI's secrets).
    symlink("/proc/self/environ", &branding);
    let out = run_with(
        scratch.dir.path(),
        &["build", "w", "--out-dir", "out", "--force"],
        &[("HOSTILE_CANARY", canary)],
    );
    assert_eq!(out.code(), 1);
    assert!(!out.stderr().contains(canary) && !out.stdout().contains(canary));
    assert!(
        out.stderr().contains(
            "`branding.yaml` is a link to a file outside the folder that holds the workshop folders"
        ),
        "{}",
        out.stderr()
    );
    // To a system file: nothing of it is printed.
    std::fs::remove_file(&branding).unwrap();
    symlink("/etc/passwd", &branding);
    let out = run_in(scratch.dir.path(), &["check", "w"]).status(1);
    assert!(!out.stderr().contains("root:"), "{}", out.stderr());
    // To an endless device, and as a pipe: refused at once.
    std::fs::remove_file(&branding).unwrap();
    symlink("/dev/zero", &branding);
    assert_eq!(build_limited(&scratch, &["w"]).code(), 1);
    std::fs::remove_file(&branding).unwrap();
    mkfifo(&branding);
    let run = build_limited(&scratch, &["w"]);
    assert!(
        run.stderr().contains("`branding.yaml` is a pipe (FIFO), not a file"),
        "{}",
        run.stderr()
    );
}

#[cfg(unix)]
#[test]
fn a_workshop_folder_linked_from_elsewhere_is_refused() {
    let scratch = Scratch::new("elsewhere/w", RECORD);
    std::fs::create_dir_all(scratch.path_of("inputs")).unwrap();
    symlink(scratch.path_of("elsewhere/w"), &scratch.path_of("inputs/w"));
    let out = run_in(scratch.dir.path(), &["check", "inputs/w"]).status(1);
    assert!(out.stderr().contains("is a link to a folder elsewhere"), "{}", out.stderr());
}

#[test]
fn picture_bombs_are_refused_and_spare_the_batch() {
    let scratch = Scratch::new("good", RECORD);
    scratch.write("png/workshop.yaml", &with_logo("bomb.png"));
    std::fs::write(scratch.path_of("png/bomb.png"), png_bomb(100_000, 100_000)).unwrap();
    assert!(png_bomb(100_000, 100_000).len() < 100);
    // The same bomb inside an SVG.
    use base64::Engine;
    let inner = base64::engine::general_purpose::STANDARD.encode(png_bomb(100_000, 100_000));
    scratch.write("svg/workshop.yaml", &with_logo("bomb.svg"));
    scratch.write(
        "svg/bomb.svg",
        &format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="data:image/png;base64,{inner}" width="10" height="10"/></svg>"#
        ),
    );
    // 400 megapixels in 1.5 MB of a real PNG: over the budget too.
    scratch.write("big/workshop.yaml", &with_logo("big.png"));
    let big = image::GrayImage::new(20_000, 20_000);
    let mut bytes = Vec::new();
    big.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    std::fs::write(scratch.path_of("big/big.png"), bytes).unwrap();

    let run = build_limited(&scratch, &["good", "png", "svg", "big"]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(err.contains("`bomb.png` is 100000 × 100000 pixels"), "{err}");
    assert!(err.contains("a picture embedded in `bomb.svg` is 100000 × 100000 pixels"), "{err}");
    assert!(err.contains("`big.png` is 20000 × 20000 pixels (400 megapixels)"), "{err}");
    assert!(err.contains("a report takes pictures up to 64 megapixels"), "{err}");
    assert!(err.contains("1 built, 0 skipped (unchanged), 3 failed"), "{err}");
    assert!(scratch.path_of("out/good.pdf").is_file());
    // Each refusal points at the record's line that names the picture.
    assert!(err.contains("png/workshop.yaml:6:21"), "{err}");
}

#[test]
fn damaged_pictures_are_refused_not_printed_in_part() {
    let scratch = Scratch::new("w", &with_logo("cut.jpg"));
    let jpeg = encoded(image::ImageFormat::Jpeg, 300, 200);
    std::fs::write(scratch.path_of("w/cut.jpg"), &jpeg[..jpeg.len() * 3 / 10]).unwrap();
    let run = build_limited(&scratch, &["w"]);
    assert!(
        run.stderr().contains("error[image-corrupt]: `cut.jpg` cannot be read"),
        "{}",
        run.stderr()
    );

    let png = encoded(image::ImageFormat::Png, 300, 200);
    std::fs::write(scratch.path_of("w/cut.png"), &png[..png.len() / 2]).unwrap();
    scratch.write("w/workshop.yaml", &with_logo("cut.png"));
    let run = build_limited(&scratch, &["w"]);
    assert!(
        run.stderr().contains("error[image-corrupt]: `cut.png` cannot be read"),
        "{}",
        run.stderr()
    );

    // A truncated SVG is named, not blamed on a template.
    scratch.write("w/cut.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\"><rect");
    scratch.write("w/workshop.yaml", &with_logo("cut.svg"));
    let run = build_limited(&scratch, &["w"]);
    let err = run.stderr();
    assert!(err.contains("`cut.svg` cannot be read: the SVG is not well-formed XML"), "{err}");
    assert!(!err.contains("error[typst]") && !err.contains("<built-in>"), "{err}");
}

#[test]
fn svgs_that_reach_out_or_expand_are_refused() {
    let scratch = Scratch::new("w", &with_logo("x.svg"));
    let svg = |body: &str| {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{body}</svg>"#
        )
    };
    for (body, expected) in [
        (
            r#"<image xlink:href="file:///etc/passwd" width="5" height="5"/>"#,
            "refers to `file:///etc/passwd`",
        ),
        (r#"<image href="../secret.png" width="5" height="5"/>"#, "refers to `../secret.png`"),
        (
            r#"<image href="http://example.com/x.png" width="5" height="5"/>"#,
            "refers to `http://example.com/x.png`",
        ),
    ] {
        scratch.write("w/x.svg", &svg(body));
        let err = build_limited(&scratch, &["w"]).stderr();
        assert!(err.contains(expected), "{err}");
    }
    let lol = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"{}\">]>{}",
        "x".repeat(10_000),
        svg(&format!("<text>{}</text>", "&a;".repeat(10_000)))
    );
    scratch.write("w/x.svg", &lol);
    let err = build_limited(&scratch, &["w"]).stderr();
    assert!(err.contains("error[svg-too-complex]"), "{err}");
}

#[test]
fn escape_bytes_never_reach_the_terminal() {
    // A raw escape in a CSV cell, and an OSC sequence written as YAML
    // escapes in the record.
    let scratch = Scratch::new(
        "w",
        &format!(
            "{RECORD}annexes:\n  - participants:\n      - file: p.csv\n  - text: \"\\e]0;pwned\\a\\e[2J\"\n    title: X\n"
        ),
    );
    scratch.write("w/p.csv", "Name\nAda \u{1b}[31mLovelace\n");
    let err = run_in(scratch.dir.path(), &["--color", "never", "check", "w"]).status(1).stderr();
    assert!(!err.contains(['\u{7}', '\u{1b}']), "{err:?}");
    assert!(err.contains("Ada \\u{1b}[31mLovelace"), "{err}");
    // In colour, the escapes are the tool's own: none comes from the inputs.
    let err = run_in(scratch.dir.path(), &["--color", "always", "check", "w"]).status(1).stderr();
    assert!(!err.contains('\u{7}') && !err.contains("\u{1b}]0;"), "{err:?}");
    let err = run_in(scratch.dir.path(), &["check", "w"]).stderr();
    assert!(
        err.contains("error[control-character]: the text holds the control character U+001B"),
        "{err}"
    );
    // The YAML escape is reported at the record's line.
    assert!(err.contains("w/workshop.yaml:8:"), "{err}");
}

#[test]
fn every_slip_of_a_record_is_reported_in_one_run_in_file_order() {
    let scratch = Scratch::new(
        "w",
        "title: T
dates: {start: 2022-02-30, end: 2022-03-16}
organisers:
  - name: O
    websit: https://example.org
chapters:
  - title: C
    txt: Some text.
    presentations:
      - name: A presentation
annexes:
  - agenda:
      days:
        - date: 2022-03-15
          sessions:
            - start: \"09:00\"
              title: Opening
              moderator: Ana Silva
",
    );
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    let found: Vec<&str> = err.lines().filter(|l| l.starts_with("error[")).collect();
    assert_eq!(
        found,
        [
            "error[invalid-date]: `2022-02-30` is not a date of the calendar",
            "error[unknown-field]: unknown field `websit`",
            "error[unknown-field]: unknown field `txt`",
            "error[unknown-field]: unknown field `name`",
            "error[missing-field]: missing field `title`",
            "error[wrong-type]: `moderator` is a person, but here it is text",
        ],
        "{err}"
    );
    assert!(err.contains("did you mean `website`?"), "{err}");
    assert!(
        err.contains(
            "A person is a mapping with `name`, and optionally `role`, `organisation`, `duration`"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean `title`? a presentation needs it"), "{err}");
}

#[test]
fn a_ragged_row_of_a_windows_csv_is_on_its_own_line() {
    let scratch =
        Scratch::new("w", &format!("{RECORD}annexes:\n  - participants:\n      - file: p.csv\n"));
    scratch.write("w/p.csv", "Name,Country\r\nA,B\r\nC,D\r\n\r\nE,F,G\r\nH,I\r\n");
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("found 3 fields instead of 2 on line 5"), "{err}");
    assert!(err.contains("w/p.csv:5:1"), "{err}");
    assert!(err.contains("5 │ E,F,G\n"), "{err}");
}

#[test]
fn a_survey_column_the_export_lacks_is_the_record_s_mistake() {
    let scratch = Scratch::new(
        "w",
        &format!(
            "{RECORD}annexes:\n  - feedback:\n      responses: r.csv\n      questions:\n        - {{title: How satisfied were you?, scale: satisfaction}}\n"
        ),
    );
    scratch.write("w/r.csv", "ID,How satisfied were you\n1,Satisfied\n");
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("has no column `How satisfied were you?`"), "{err}");
    assert!(err.contains("w/workshop.yaml:9:11"), "{err}");
    assert!(err.contains("did you mean `How satisfied were you`?"), "{err}");
}

#[test]
fn a_break_is_a_label() {
    let scratch = Scratch::new(
        "w",
        &format!(
            "{RECORD}annexes:\n  - agenda:\n      days:\n        - date: 2022-03-15\n          sessions:\n            - {{start: \"10:00\", break: true}}\n"
        ),
    );
    let err = run_in(scratch.dir.path(), &["check", "w"]).status(1).stderr();
    assert!(err.contains("error[wrong-type]: `break` is text, but here it is `true`"), "{err}");
    assert!(err.contains("`break` is the label of a break, e.g. `break: Coffee break`"), "{err}");
}

#[test]
fn each_organiser_is_one_author() {
    let scratch = Scratch::new(
        "w",
        &format!(
            "{RECORD}organisers:\n  - name: Faculty of X, University Y\n  - name: Other Org\n"
        ),
    );
    let out = scratch.path_of("out");
    run(&["build", scratch.path_of("w").to_str().unwrap(), "--out-dir", out.to_str().unwrap()])
        .success();
    let pdf = Pdf::load(&std::fs::read(out.join("w.pdf")).unwrap());
    let info = pdf.doc.trailer.get(b"Info").and_then(|i| i.as_reference()).unwrap();
    let author = pdf.doc.get_dictionary(info).unwrap().get(b"Author").unwrap();
    let author = String::from_utf8_lossy(author.as_str().unwrap()).into_owned();
    assert_eq!(author, "Faculty of X, University Y; Other Org");
}

#[test]
fn a_failure_outside_the_workshops_is_in_the_json() {
    let scratch = Scratch::new("w", RECORD);
    // The manifest's place is taken by a folder.
    std::fs::create_dir_all(scratch.path_of("out/manifest.json")).unwrap();
    let out = run_in(scratch.dir.path(), &["build", "w", "--out-dir", "out", "--format", "json"])
        .status(1);
    let json: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
    assert_eq!(json["diagnostics"][0]["code"], "write", "{json}");
    assert!(json["diagnostics"][0]["message"].as_str().unwrap().contains("manifest.json"));
    assert_eq!(json["workshops"][0]["status"], "built");
}

#[test]
fn nothing_runs_off_the_page_or_is_cut_at_its_bottom() {
    let word = "W".repeat(5000);
    let cell = "lorem ipsum dolor sit amet ".repeat(1900);
    let speakers: String =
        (0..600).map(|i| format!("                - name: Speaker{i}\n")).collect();
    let scratch = Scratch::new(
        "w",
        &format!(
            "{RECORD}  - title: D\n    text: before {word} after\n    body:\n      - table:\n          columns: [A, B]\n          rows: [[x, \"{cell}\"]]\n\
             annexes:\n  - participants:\n      - file: p.csv\n  - agenda:\n      days:\n        - date: 2022-03-15\n          sessions:\n            - start: \"09:00\"\n              title: Long\n              speakers:\n{speakers}"
        ),
    );
    scratch.write("w/p.csv", &format!("Name,Note\nA,\"{cell}\"\n"));
    let run = build_limited(&scratch, &["w"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(!run.stderr().contains("off-page"), "{}", run.stderr());
    let text: String = Pdf::load(&std::fs::read(scratch.path_of("out/w.pdf")).unwrap())
        .text()
        .split_whitespace()
        .collect();
    assert_eq!(text.matches('W').count(), 5000, "the long word is whole");
    assert_eq!(text.matches("lorem").count(), 2 * 1900, "both long cells are whole");
    assert_eq!(text.matches("Speaker").count(), 600, "every speaker is printed");
}

#[test]
fn characters_no_font_has_are_named() {
    let scratch =
        Scratch::new("w", &format!("{RECORD}annexes:\n  - participants:\n      - file: p.csv\n"));
    // Thai: no bundled font draws it (Arabic, Chinese and the rest are drawn).
    scratch.write("w/p.csv", "Name,Country\nสมชาย,Thailand\nAda,😀\n");
    let err = run_in(scratch.dir.path(), &["check", "w"]).success().stderr();
    assert!(
        err.contains(
            "warning[missing-glyph]: no bundled font has U+0E2A `ส`: it would print as an empty box"
        ),
        "{err}"
    );
    assert!(err.contains("w/p.csv:2:1"), "{err}");
    assert!(err.contains("U+1F600"), "{err}");
    run_in(scratch.dir.path(), &["check", "w", "--deny-warnings"]).status(1);
}

#[test]
fn rows_that_end_before_they_start_are_left_out_of_the_average_time() {
    let scratch = Scratch::new(
        "w",
        &format!(
            "{RECORD}annexes:\n  - feedback:\n      responses: r.csv\n      questions:\n        - {{title: Q, scale: satisfaction}}\n"
        ),
    );
    scratch.write(
        "w/r.csv",
        "ID,Start time,Completion time,Q\n\
         1,2022-03-15 10:00:00,2022-03-15 10:04:00,Satisfied\n\
         2,2022-03-15 10:10:00,2022-03-15 10:02:00,Satisfied\n\
         3,2022-03-15 10:20:00,2022-03-15 10:26:00,Satisfied\n",
    );
    let out = run_in(scratch.dir.path(), &["tally", "w", "--format", "json"]).success();
    assert!(
        out.stderr().contains(
            "warning[invalid-time]: on line 3, the completion time is before the start time"
        ),
        "{}",
        out.stderr()
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
    let survey = &json["surveys"][0];
    assert_eq!(survey["respondents"], 3, "{json}");
    assert_eq!(survey["average_time"], "5:00", "the mean of 4 and 6 minutes: {json}");
}

#[test]
fn two_workshops_of_one_name_are_not_both_written_to_one_pdf() {
    let scratch = Scratch::new("a/same", RECORD);
    scratch.write("b/same/workshop.yaml", RECORD);
    let out =
        run_in(scratch.dir.path(), &["build", "a/same", "b/same", "--out-dir", "out"]).status(1);
    assert!(out.stderr().contains("a/same and b/same are both named `same`"), "{}", out.stderr());
    assert!(out.stderr().contains("1 built, 0 skipped (unchanged), 1 failed"), "{}", out.stderr());
}
