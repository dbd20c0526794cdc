//! `workshop-report new`: a starter workshop folder.

use std::process::ExitCode;

use workshop_report::diag::{Code, Diagnostic};

use crate::cli::NewArgs;

use super::{INVALID, Reporter, USAGE};

use std::collections::BTreeMap;

/// The starter record; `{name}` stands for a word of [`WORDS`].
const RECORD: &str = include_str!("starter/workshop.yaml");

/// The starter's words, by language tag.
const WORDS: &str = include_str!("starter/words.yaml");

/// The words of one language's starter.
#[derive(serde::Deserialize)]
struct Words {
    #[serde(flatten)]
    text: BTreeMap<String, String>,
    columns: Vec<String>,
}

/// The starter files, by name, in the language of `tag`; `None` if the
/// tool has no terms for it.
fn files(tag: &str) -> Option<[(&'static str, String); 3]> {
    use workshop_report::language::{Language, lookup_chain, parse_tag};
    let language = Language::built_in(tag)?;
    let all: BTreeMap<String, Words> =
        serde_saphyr::from_str(WORDS).expect("the starter's words are valid");
    let locale = parse_tag(tag).ok()?;
    let words = lookup_chain(&locale).iter().rev().find_map(|step| all.get(step))?;
    let mut record = RECORD.replace("{language}", language.tag());
    for (name, word) in &words.text {
        record = record.replace(&format!("{{{name}}}"), word);
    }
    record = record.replace("{country}", &words.columns[3]);
    let background = format!("{}\n", words.text.get("background_text").map_or("", String::as_str));
    Some([
        ("workshop.yaml", record),
        ("participants.csv", words.columns.join(",") + "\n"),
        ("chapters/background.md", background),
    ])
}

pub fn run(args: &NewArgs, reporter: &Reporter) -> ExitCode {
    let Some(files) = files(&args.language) else {
        reporter.fail(
            Diagnostic::error(
                Code::Usage,
                format!("there is no built-in starter for the language `{}`", args.language),
            )
            .hint(format!(
                "name one of {} (or a regional form such as fr-CA); for another language, start with one of them and add its terms file (docs/languages.md)",
                workshop_report::language::terms::BUILT_IN
                    .iter()
                    .map(|(tag, _)| *tag)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
        return ExitCode::from(USAGE);
    };
    let dir = &args.path;
    let occupied = std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false);
    if occupied {
        reporter.fail(
            Diagnostic::error(
                Code::Usage,
                format!("{} already exists and is not empty", dir.display()),
            )
            .hint("name a new folder; nothing was written"),
        );
        return ExitCode::from(USAGE);
    }
    let written = ["images", "chapters"]
        .iter()
        .try_for_each(|sub| std::fs::create_dir_all(dir.join(sub)))
        .and_then(|()| {
            files.iter().try_for_each(|(name, text)| std::fs::write(dir.join(name), text))
        });
    match written {
        Ok(()) => {
            reporter.result(&format!(
                "created {}: edit workshop.yaml, participants.csv and chapters/background.md, then\n  workshop-report build {}",
                dir.display(),
                dir.display()
            ));
            ExitCode::SUCCESS
        }
        Err(e) => {
            reporter.fail(Diagnostic::error(
                Code::Write,
                format!("cannot create {}: {e}", dir.display()),
            ));
            ExitCode::from(INVALID)
        }
    }
}
