//! The pipeline's speed, end to end and by stage, for one report, fifty
//! reports, and a very large workshop; against the typst compiler alone
//! where the `typst` Python package (the same compiler) is installed.
//!
//! Run with `cargo bench --bench pipeline`; figures go to BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{TOOL, copy_dir, ms, timed_memory_of};
use workshop_report::render::Renderer;
use workshop_report::typeset::Typesetter;

mod common;

const RUNS: usize = 5;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("inputs/egov-sdg-2022");
    let tmp = tempfile::tempdir().unwrap();

    let (single, project, fonts) = one_report(&root, &sample, tmp.path());
    stages(&sample);
    fifty(&sample, tmp.path(), single, (&project, &fonts));
    flat_memory(&sample, tmp.path());
    thousand(tmp.path());
    large(tmp.path());
    diffs(&sample, tmp.path());
}

/// One report, process start to PDF on disk, and the typst compiler
/// alone on the same source: the median time of one report.
fn one_report(root: &Path, sample: &Path, tmp: &Path) -> (Duration, PathBuf, PathBuf) {
    // One report, process start to PDF on disk.
    let out = tmp.join("out1");
    let single = median(|| build(sample, &out));
    println!("one report, end to end (25 pages):         {:>8.1} ms", ms(single));

    // The same source through the typst compiler alone.
    let project = tmp.join("typst");
    tool(&["source", sample.to_str().unwrap(), "--out-dir", project.to_str().unwrap()]);
    let fonts = root.join("fonts");
    if let Some(t) = typst_alone(&project, &fonts) {
        println!(
            "typst alone, same source and fonts:        {:>8.1} ms  (process start to PDF)",
            ms(t)
        );
    } else {
        println!("typst alone: the `typst` Python package is not installed (pip install typst)");
    }
    (single, project, fonts)
}

/// The stages, in process.
fn stages(sample: &Path) {
    // The stages, in process, caches cleared before each run.
    let typesetter = Typesetter::new();
    let renderer = Renderer::new(None);
    let mut stages = [Duration::ZERO; 4];
    let mut all = Vec::new();
    for _ in 0..RUNS {
        workshop_report::typeset::evict(0);
        let t0 = Instant::now();
        let loaded = workshop_report::input::load(sample);
        let t1 = Instant::now();
        let read = loaded.value.unwrap();
        let (workshop, assets) = (read.workshop, read.assets);
        let source = renderer.render(&workshop).value.unwrap();
        let t2 = Instant::now();
        let typeset = typesetter.compile(&source, &assets).value.unwrap();
        let t3 = Instant::now();
        let _pdf = typesetter.pdf(&typeset, &workshop.id, &[]).value.unwrap();
        let t4 = Instant::now();
        all.push([t1 - t0, t2 - t1, t3 - t2, t4 - t3]);
    }
    for (i, stage) in stages.iter_mut().enumerate() {
        let mut times: Vec<Duration> = all.iter().map(|r| r[i]).collect();
        times.sort();
        *stage = times[RUNS / 2];
    }
    let total: Duration = stages.iter().sum();
    let ours = stages[0] + stages[1];
    println!(
        "stages: read+check+tally {:.1} ms, render {:.1} ms, typeset {:.1} ms, PDF {:.1} ms; \
         the tool's own stages {:.1}% of {:.1} ms",
        ms(stages[0]),
        ms(stages[1]),
        ms(stages[2]),
        ms(stages[3]),
        100.0 * ours.as_secs_f64() / total.as_secs_f64(),
        ms(total)
    );
}

/// Fifty workshops in one build, against one alone and typst alone.
fn fifty(sample: &Path, tmp: &Path, single: Duration, (project, fonts): (&Path, &Path)) {
    // Fifty workshops in one build: generated copies of the sample, then
    // copies that differ in their title (on every page's running header,
    // so that no page's layout can be reused from another report).
    let copies = tmp.join("copies");
    for i in 0..50 {
        copy_dir(sample, &copies.join(format!("workshop-{i:02}")));
    }
    let out_copies = tmp.join("out-copies");
    let batch = median(|| build(&copies, &out_copies));
    println!(
        "50 copies in one build:                    {:>8.1} ms  ({:.1} ms a report, {:.0}% of one alone)",
        ms(batch),
        ms(batch) / 50.0,
        100.0 * ms(batch) / 50.0 / ms(single)
    );
    let fifty = tmp.join("fifty");
    for i in 0..50 {
        copy_dir(sample, &fifty.join(format!("workshop-{i:02}")));
        let record = fifty.join(format!("workshop-{i:02}/workshop.yaml"));
        let text = std::fs::read_to_string(&record).unwrap();
        std::fs::write(&record, text.replacen("title: ", &format!("title: No. {i} "), 1)).unwrap();
    }
    let out50 = tmp.join("out50");
    let batch = median(|| build(&fifty, &out50));
    println!(
        "50 distinct titles in one build:           {:>8.1} ms  ({:.1} ms a report, {:.0}% of one alone)",
        ms(batch),
        ms(batch) / 50.0,
        100.0 * ms(batch) / 50.0 / ms(single)
    );
    if let Some(t) = typst_alone(project, fonts) {
        println!(
            "50 typst runs (estimated from one):        {:>8.1} ms  (the build is {:.1}x faster)",
            ms(t) * 50.0,
            ms(t) * 50.0 / ms(batch)
        );
    }
}

/// Peak memory over batches of distinct reports, by workers.
fn flat_memory(sample: &Path, tmp: &Path) {
    // Batches of reports that differ on every page: the peak memory must
    // stay flat however many (typst's caches of earlier reports evicted).
    for jobs in ["1", "2"] {
        for n in [10, 60, 200] {
            let dir = tmp.join(format!("distinct-{n}"));
            if !dir.exists() {
                distinct_copies(sample, &dir, n);
            }
            let out = tmp.join(format!("out-distinct-{n}"));
            let mut args = build_args(&dir, &out).to_vec();
            args.extend(["--jobs", jobs]);
            let (time, kib) = timed_memory(&args);
            println!(
                "{n:>4} distinct reports, {jobs} worker(s):       {:>8.1} ms  ({:.1} ms a report), peak memory {:.0} MiB",
                ms(time),
                ms(time) / n as f64,
                kib as f64 / 1024.0
            );
        }
        let copies = tmp.join("copies");
        let out = tmp.join("out-copies-jobs");
        let mut args = build_args(&copies, &out).to_vec();
        args.extend(["--jobs", jobs]);
        let (time, kib) = timed_memory(&args);
        println!(
            "  50 copies, {jobs} worker(s):                  {:>8.1} ms  ({:.1} ms a report), peak memory {:.0} MiB",
            ms(time),
            ms(time) / 50.0,
            kib as f64 / 1024.0
        );
    }
}

/// A thousand small workshops, in one build and in shards.
fn thousand(tmp: &Path) {
    // A thousand small workshops in one build, then in four shards.
    let many = tmp.join("many");
    for i in 0..1000 {
        let dir = many.join(format!("workshop-{i:04}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("workshop.yaml"), small_record(i)).unwrap();
        let mut people = String::from("Name,Organisation,Country\n");
        for p in 0..12 {
            people.push_str(&format!("Participant {p} of {i},Ministry {p},Country {}\n", p % 4));
        }
        std::fs::write(dir.join("participants.csv"), people).unwrap();
    }
    let out = tmp.join("out-many");
    let (time, kib) = timed_memory(&build_args(&many, &out));
    println!(
        "1,000 small workshops, one build:          {:>8.1} ms  ({:.1} ms each), peak memory {:.0} MiB",
        ms(time),
        ms(time) / 1000.0,
        kib as f64 / 1024.0
    );
    for k in 1..=4 {
        let shard = format!("{k}/4");
        let out = tmp.join(format!("out-shard-{k}"));
        let mut args = build_args(&many, &out).to_vec();
        args.extend(["--shard", &shard]);
        let (time, kib) = timed_memory(&args);
        let built = std::fs::read_dir(&out)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "pdf"))
            .count();
        println!(
            "  shard {shard}: {built} workshops ({:+.1}% of an even share), {:>8.1} ms, peak memory {:.0} MiB",
            100.0 * (built as f64 / 250.0 - 1.0),
            ms(time),
            kib as f64 / 1024.0
        );
    }
}

/// Very large workshops.
fn large(tmp: &Path) {
    // A very large workshop, and one a tenth of its size.
    for (people, responses) in [(1_000, 10_000), (10_000, 100_000)] {
        let dir = tmp.join(format!("large-{people}"));
        large_workshop(&dir, people, responses);
        let out = tmp.join(format!("out-large-{people}"));
        let (time, kib) = timed_memory(&build_args(&dir, &out));
        println!(
            "{people:>6} participants, {responses:>6} responses: {:>8.1} ms, peak memory {:.0} MiB",
            ms(time),
            kib as f64 / 1024.0
        );
    }
}

/// `diff` of two versions, small and very large.
fn diffs(sample: &Path, tmp: &Path) {
    // `diff`: the sample against itself with one paragraph edited.
    let (old, new) = (tmp.join("diff/old/w"), tmp.join("diff/new/w"));
    copy_dir(sample, &old);
    copy_dir(sample, &new);
    let record = new.join("workshop.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replacen("available here.", "available online.", 1)).unwrap();
    let (o, n) = (old.to_str().unwrap(), new.to_str().unwrap());
    let summary = median(|| tool_exit(&["diff", o, n], 1));
    println!("diff, summary of two versions:             {:>8.1} ms", ms(summary));
    let pages = median(|| tool_exit(&["diff", o, n, "--pages"], 1));
    println!("diff --pages (build and render both):      {:>8.1} ms", ms(pages));
    let shots = tmp.join("diff/shots");
    let args = ["diff", o, n, "--pages", "--out-dir", shots.to_str().unwrap()];
    let pictures = median(|| tool_exit(&args, 1));
    println!("diff --pages --out-dir (one picture):      {:>8.1} ms", ms(pictures));

    // `diff` of the very large workshop, one participant removed.
    let (old, new) = (tmp.join("large-10000"), tmp.join("diff/large/large-10000"));
    copy_dir(&old, &new);
    let list = new.join("participants.csv");
    let text = std::fs::read_to_string(&list).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(1);
    std::fs::write(&list, lines.join("\n") + "\n").unwrap();
    let (time, kib) = timed_memory_exit(&["diff", old.to_str().unwrap(), new.to_str().unwrap()], 1);
    println!(
        "diff, 10,000 participants, 100,000 responses: {:>8.1} ms, peak memory {:.0} MiB",
        ms(time),
        kib as f64 / 1024.0
    );
    let args = ["diff", old.to_str().unwrap(), new.to_str().unwrap(), "--pages"];
    let (time, kib) = timed_memory_exit(&args, 1);
    println!(
        "diff --pages, the same:                    {:>8.1} ms, peak memory {:.0} MiB",
        ms(time),
        kib as f64 / 1024.0
    );
}

fn median(mut run: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    times.sort();
    times[RUNS / 2]
}

/// The arguments of a forced, quiet build of `dir` into `out`.
fn build_args<'a>(dir: &'a Path, out: &'a Path) -> [&'a str; 6] {
    ["build", dir.to_str().unwrap(), "--out-dir", out.to_str().unwrap(), "--force", "-q"]
}

/// Builds `dir` into `out`, forced and quiet; returns how long it took.
fn build(dir: &Path, out: &Path) -> Duration {
    tool(&build_args(dir, out))
}

/// Runs the tool; returns how long the process took.
fn tool(args: &[&str]) -> Duration {
    tool_exit(args, 0)
}

/// Runs the tool, expecting exit status `code`, its output dropped;
/// returns how long the process took.
fn tool_exit(args: &[&str], code: i32) -> Duration {
    let start = Instant::now();
    let status =
        Command::new(TOOL).args(args).stdout(std::process::Stdio::null()).status().unwrap();
    assert_eq!(status.code(), Some(code), "workshop-report {args:?}");
    start.elapsed()
}

/// Runs the tool under /usr/bin/time: elapsed time and peak memory (KiB).
fn timed_memory(args: &[&str]) -> (Duration, u64) {
    timed_memory_exit(args, 0)
}

/// As [`timed_memory`], expecting exit status `code`.
fn timed_memory_exit(args: &[&str], code: i32) -> (Duration, u64) {
    timed_memory_of(Path::new(TOOL), args, code)
}

/// `n` copies of `sample` under `dir`, each with its own title: reports
/// that differ on every page (the title is in the running header).
fn distinct_copies(sample: &Path, dir: &Path, n: usize) {
    for i in 0..n {
        let copy = dir.join(format!("workshop-{i:03}"));
        copy_dir(sample, &copy);
        let record = copy.join("workshop.yaml");
        let text = std::fs::read_to_string(&record).unwrap();
        std::fs::write(&record, text.replacen("title: ", &format!("title: No. {i} "), 1)).unwrap();
    }
}

/// The record of the `i`-th small workshop: two short chapters and a
/// participant list (a four-page report).
fn small_record(i: usize) -> String {
    format!(
        "title: Workshop number {i}\ndates: {{start: 2024-05-14, end: 2024-05-15}}\n\
         chapters:\n  - title: Background\n    text: Workshop {i} met for two days.\n\
         \x20 - title: Conclusions\n    text: It agreed on next steps.\n\
         annexes:\n  - participants:\n      - {{file: participants.csv, group_by: Country}}\n"
    )
}

/// The median time of compiling `project/main.typ` with typst alone, each
/// run a new process, as `typst compile` would be.
fn typst_alone(project: &Path, fonts: &Path) -> Option<Duration> {
    let script = format!(
        "import typst\ntypst.compile({main:?}, output={out:?}, root={root:?}, font_paths=[{fonts:?}], ignore_system_fonts=True)",
        main = project.join("main.typ"),
        out = project.join("main.pdf"),
        root = project,
        fonts = fonts,
    );
    let ok = Command::new("python3").args(["-c", "import typst"]).status().ok()?.success();
    if !ok {
        return None;
    }
    Some(median(|| {
        let start = Instant::now();
        let status = Command::new("python3").args(["-c", &script]).status().unwrap();
        assert!(status.success());
        start.elapsed()
    }))
}

/// A workshop with `people` participants and `responses` survey answers.
fn large_workshop(dir: &Path, people: usize, responses: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut record = String::from(
        "title: A Very Large Workshop\ndates: {start: 2024-01-10, end: 2024-01-12}\n\
         chapters:\n  - {title: Background, text: Many took part.}\n\
         annexes:\n  - participants:\n      - {file: participants.csv, group_by: Country}\n\
         \x20 - feedback:\n      responses: responses.csv\n      questions:\n",
    );
    for q in 0..20 {
        record.push_str(&format!(
            "        - {{title: Question {q}, column: Q{q}, scale: satisfaction}}\n"
        ));
    }
    std::fs::write(dir.join("workshop.yaml"), record).unwrap();
    let mut csv = String::from("Name,Function,Organisation,Country\n");
    for i in 0..people {
        csv.push_str(&format!("Participant {i},Officer,Ministry {},Country {}\n", i % 37, i % 50));
    }
    std::fs::write(dir.join("participants.csv"), csv).unwrap();
    let labels = ["Very satisfied", "Satisfied", "Neutral", "Unsatisfied", "Very unsatisfied"];
    let mut export = String::from("ID,Start time,Completion time");
    for q in 0..20 {
        export.push_str(&format!(",Q{q}"));
    }
    export.push('\n');
    for r in 0..responses {
        export.push_str(&format!("{r},1/10/24 10:00:00,1/10/24 10:{:02}:00", 10 + r % 40));
        for q in 0..20 {
            export.push(',');
            export.push_str(labels[(r * 7 + q * 3) % 5]);
        }
        export.push('\n');
    }
    std::fs::write(dir.join("responses.csv"), export).unwrap();
}
