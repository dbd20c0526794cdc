//! `workshop-report tally`: every figure of a workshop's feedback surveys,
//! as text, JSON or CSV.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use workshop_report::diag::{Code, Diagnostic, Sources};
use workshop_report::model::survey::{Kind, Survey};
use workshop_report::model::{AnnexContent, Workshop};
use workshop_report::{input, shown};

use super::{INVALID, Reporter, worker};
use crate::cli::{TallyArgs, TallyFormat};

/// The JSON document: keys in this order (documented in docs/feedback.md).
#[derive(Serialize)]
struct Tallies<'a> {
    workshop: &'a str,
    surveys: Vec<SurveyOut<'a>>,
}

#[derive(Serialize)]
struct SurveyOut<'a> {
    annex: &'a str,
    title: &'a str,
    #[serde(flatten)]
    survey: &'a Survey,
}

/// What tallying a workshop gave: the text to print, if it could be read.
#[derive(Serialize, Deserialize)]
struct Done {
    out: Option<String>,
    diagnostics: Vec<Diagnostic>,
    sources: Sources,
}

/// The workshop to tally: its folder.
#[derive(Serialize, Deserialize)]
struct Task(#[serde(with = "super::worker::path")] std::path::PathBuf);

pub fn run(args: &TallyArgs, reporter: &Reporter) -> ExitCode {
    let tasks = [Task(args.path.clone())];
    let done = worker::run(
        &tasks,
        1,
        args.isolation.limits(),
        |_, stage| tally(args, stage),
        |Task(dir), done| {
            done.unwrap_or_else(|failed| {
                let record = dir.join(input::RECORD).to_string_lossy().replace('\\', "/");
                let d = failed.diagnostic(&dir.display().to_string(), Some(record));
                Done { out: None, diagnostics: vec![d], sources: Sources::default() }
            })
        },
    );
    let Some(done) = done.into_iter().next() else { return ExitCode::from(INVALID) };
    reporter.emit(&done.sources, &done.diagnostics);
    let Some(out) = done.out else { return ExitCode::from(INVALID) };
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            reporter.fail(Diagnostic::error(Code::Write, format!("cannot write the tallies: {e}")));
            ExitCode::from(INVALID)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// The worker's side of `tally`.
pub fn serve(args: &TallyArgs) -> ExitCode {
    worker::serve(args.isolation.limits(), |_: &Task, stage| tally(args, stage))
}

/// Reads the workshop and prints its tallies in the format asked for.
fn tally(args: &TallyArgs, stage: &dyn Fn(worker::Stage)) -> Done {
    stage(worker::Stage::Read);
    let loaded = input::load_with(&args.path, args.input.options());
    let Some(workshop) = loaded.value.map(|read| read.workshop) else {
        return Done { out: None, diagnostics: loaded.diagnostics, sources: loaded.sources };
    };
    let tallies = Tallies { workshop: &workshop.id, surveys: surveys(&workshop) };
    let out = match args.format {
        TallyFormat::Json => {
            let mut value = serde_json::to_value(&tallies).unwrap_or_default();
            without_wording(&mut value);
            let mut json = shown::json(&value);
            json.push('\n');
            json
        }
        TallyFormat::Csv => csv(&tallies),
        TallyFormat::Text => text(&tallies),
    };
    Done { out: Some(out), diagnostics: loaded.diagnostics, sources: loaded.sources }
}

/// `value` without the report's wording of its figures (the `*_text`
/// fields the templates print, in the report's language): the JSON holds
/// the figures, with the same keys in every language.
fn without_wording(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|key, _| !key.ends_with("_text"));
            map.values_mut().for_each(without_wording);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_wording),
        _ => {}
    }
}

/// The tallies of a workshop's surveys as `tally` prints them for people;
/// `None` when it has no survey.
pub fn as_text(workshop: &Workshop) -> Option<String> {
    let surveys = surveys(workshop);
    (!surveys.is_empty()).then(|| text(&Tallies { workshop: &workshop.id, surveys }))
}

fn surveys(workshop: &Workshop) -> Vec<SurveyOut<'_>> {
    workshop
        .annexes
        .iter()
        .filter_map(|annex| {
            // The surveys are the feedback annexes' alone.
            let AnnexContent::Feedback(feedback) = &annex.content else { return None };
            let survey = feedback.survey.as_ref()?;
            Some(SurveyOut { annex: &annex.number, title: &annex.title, survey })
        })
        .collect()
}

/// One row per option (one per free-text question), with the question's
/// figures repeated on each; a text a spreadsheet would run as a formula
/// is led by a `'` (see [`shown::csv_cell`]).
fn csv(tallies: &Tallies) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "annex",
        "question",
        "title",
        "kind",
        "option",
        "count",
        "percent",
        "answered",
        "not_answered",
        "mean",
        "median",
        "top_two",
    ];
    let _ = writer.write_record(header);
    for s in &tallies.surveys {
        for q in &s.survey.questions {
            let kind = kind_name(q.kind);
            let number = q.number.to_string();
            let (answered, blank) = (q.answered.to_string(), q.not_answered.to_string());
            let stats = [
                q.mean.as_deref().unwrap_or(""),
                q.median.as_deref().unwrap_or(""),
                q.top_two.as_deref().unwrap_or(""),
            ];
            let (annex, title) = (shown::csv_cell(s.annex), shown::csv_cell(&q.title));
            if q.options.is_empty() {
                let row = [&annex, &*number, &title, kind, "", &answered, "", &answered, &blank];
                let _ = writer.write_record(row.iter().copied().chain(stats));
            }
            for o in &q.options {
                let count = o.count.to_string();
                let label = shown::csv_cell(&o.label);
                let row =
                    [&annex, &*number, &title, kind, &label, &count, &o.percent, &answered, &blank];
                let _ = writer.write_record(row.iter().copied().chain(stats));
            }
        }
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn text(tallies: &Tallies) -> String {
    let mut out = String::new();
    if tallies.surveys.is_empty() {
        let _ = writeln!(out, "{}: no feedback survey", shown::line(tallies.workshop));
    }
    for s in &tallies.surveys {
        let survey = s.survey;
        let _ = writeln!(
            out,
            "{} · Annex {}: {}",
            shown::line(tallies.workshop),
            shown::line(s.annex),
            shown::line(s.title)
        );
        let mut summary = Vec::new();
        if let Some(r) = survey.respondents {
            summary.push(match r {
                1 => "1 response".to_owned(),
                r => format!("{r} responses"),
            });
        }
        if let (Some(rate), Some(r), Some(i)) =
            (&survey.response_rate, survey.respondents, survey.invited)
        {
            summary.push(format!("response rate {rate} ({r} of {i})"));
        }
        if let Some(t) = &survey.average_time {
            summary.push(format!("average time to complete {t}"));
        }
        if !summary.is_empty() {
            let _ = writeln!(out, "  {}", summary.join(", "));
        }
        for q in &survey.questions {
            let _ = writeln!(out, "\n  {}. {}", q.number, shown::line(&q.title));
            let width = q.options.iter().map(|o| o.label.chars().count()).max().unwrap_or(0);
            for o in &q.options {
                let pad = width - o.label.chars().count();
                let _ = writeln!(
                    out,
                    "     {}{}  {:>5}  {:>4}",
                    shown::line(&o.label),
                    " ".repeat(pad),
                    o.count,
                    o.percent
                );
            }
            for r in &q.responses {
                let _ = writeln!(out, "     - {}", shown::line(r));
            }
            let mut figures =
                vec![format!("{} answered", q.answered), format!("{} did not", q.not_answered)];
            if let Some(m) = &q.mean {
                figures.push(format!("mean {m}"));
            }
            if let Some(m) = &q.median {
                figures.push(format!("median {m}"));
            }
            if let Some(t) = &q.top_two {
                figures.push(format!("top two {t}"));
            }
            let _ = writeln!(out, "     {}", figures.join("; "));
        }
        out.push('\n');
    }
    out
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Scale => "scale",
        Kind::Rating => "rating",
        Kind::Choice => "choice",
        Kind::Text => "text",
    }
}
