//! Tallying a large survey export: time and peak memory.
//!
//! Generates a Microsoft Forms-style export of N respondents × 20 questions
//! (scales, ratings, multiple choice and free text), then reads and tallies
//! it through the input stage several times, printing the median time. Peak
//! memory (the process's high-water mark) is read after a small export and
//! again after the large one: streaming keeps it flat.
//!
//! Run with `cargo bench --bench tally`; figures go to BENCHMARKS.md.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const QUESTIONS: usize = 20;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let small = dir.path().join("small");
    let large = dir.path().join("large");
    write_workshop(&small, 10_000);
    write_workshop(&large, 100_000);

    let (t_small, n_small) = measure(&small, 5);
    let mem_small = peak_memory_kib();
    let (t_large, n_large) = measure(&large, 5);
    let mem_large = peak_memory_kib();

    println!(
        "tally {n_small:>7} responses x {QUESTIONS} questions: {:>7.1} ms  (median of 5)",
        ms(t_small)
    );
    println!(
        "tally {n_large:>7} responses x {QUESTIONS} questions: {:>7.1} ms  (median of 5)",
        ms(t_large)
    );
    println!("time ratio 100k/10k: {:.2}", t_large.as_secs_f64() / t_small.as_secs_f64());
    println!("peak memory after 10k: {} KiB; after 100k: {} KiB", mem_small, mem_large);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The median time of `runs` loads of the workshop in `dir`, and the
/// number of respondents it counted.
fn measure(dir: &Path, runs: usize) -> (Duration, u64) {
    let mut times = Vec::new();
    let mut respondents = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = workshop_report::input::load(dir);
        times.push(start.elapsed());
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let workshop = loaded.value.expect("a valid workshop").workshop;
        respondents = workshop
            .annexes
            .iter()
            .find_map(|a| match &a.content {
                workshop_report::model::AnnexContent::Feedback(f) => f.survey.as_ref()?.respondents,
                _ => None,
            })
            .expect("a survey");
    }
    times.sort();
    (times[runs / 2], respondents)
}

/// The process's peak resident memory, from /proc (0 where there is none).
fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

const SATISFACTION: [&str; 5] =
    ["Very satisfied", "Satisfied", "Neutral", "Unsatisfied", "Very unsatisfied"];
const TOPICS: [&str; 4] = ["Smart cities", "Data", "Skills", "Finance"];

fn write_workshop(dir: &Path, rows: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut record = String::from(
        "title: Benchmark\ndates: {start: 2023-05-04, end: 2023-05-04}\n\
         annexes:\n  - feedback:\n      responses: responses.csv\n      questions:\n",
    );
    for q in 0..QUESTIONS {
        let spec = match q % 4 {
            0 | 1 => "scale: satisfaction",
            2 => "scale: 1-5",
            _ if q == QUESTIONS - 1 => "kind: text\n          show: [1, 2, 3]",
            _ => "options: [Smart cities, Data, Skills, Finance]",
        };
        record.push_str(&format!("        - title: Q{q}\n          {spec}\n"));
    }
    std::fs::write(dir.join("workshop.yaml"), record).unwrap();

    let file = std::fs::File::create(dir.join("responses.csv")).unwrap();
    let mut out = std::io::BufWriter::new(file);
    write!(out, "ID,Start time,Completion time,Email,Name").unwrap();
    for q in 0..QUESTIONS {
        write!(out, ",Q{q}").unwrap();
    }
    writeln!(out).unwrap();
    // A small linear congruential generator: the same export every run.
    let mut seed: u64 = 42;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for row in 0..rows {
        let minutes = 10 + next() % 40;
        write!(out, "{row},11/17/22 10:00:00,11/17/22 10:{minutes:02}:17,anonymous,").unwrap();
        for q in 0..QUESTIONS {
            let cell = match q % 4 {
                _ if next() % 20 == 0 => String::new(),
                0 | 1 => SATISFACTION[next() % 5].to_owned(),
                2 => (1 + next() % 5).to_string(),
                _ if q == QUESTIONS - 1 => "\"Useful, and well run\"".to_owned(),
                _ => format!("{};{}", TOPICS[next() % 4], TOPICS[next() % 4]),
            };
            write!(out, ",{cell}").unwrap();
        }
        writeln!(out).unwrap();
    }
    out.flush().unwrap();
}
