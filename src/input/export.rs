//! Survey exports as the survey tools give them, recognised by their
//! shape: which columns hold the respondents' metadata (start and end
//! times), and how each question of the record is laid out in the export's
//! columns (one cell, one cell of several choices joined by the tool's
//! separator, one column per option, a matrix row).
//!
//! The shapes known (docs/feedback.md shows each header):
//!
//! | tool | recognised by | choices of a multiple-choice question |
//! | --- | --- | --- |
//! | Microsoft Forms | `ID`, `Start time`, `Completion time` | one cell, `;`-separated |
//! | Google Forms | `Timestamp` first | one cell, `, `-separated |
//! | SurveyMonkey | `Respondent ID`, `Collector ID`, two header rows | a column per option |
//! | KoboToolbox | `_id`, `_uuid`, `_submission_time` | a `question/option` column per option (1 or 0) |
//! | LimeSurvey | `id`, `submitdate`, `lastpage` (or their full-text headings) | a `Q[SQ001]` column per option (`Y`) |
//! | Indico | `Submitter`, `Submission Date` | one cell, `; `-separated |
//!
//! A choice cell is split by the tool's separator and its pieces matched
//! against the question's options, longest first, so that an option that
//! holds the separator ("Data governance, privacy and security") stays
//! whole. A piece that is no option is a write-in: counted as the
//! question's `Other` option when it has one, its text kept.

use crate::model::survey::{Kind, Question, normalise};

/// The survey tool an export comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    MicrosoftForms,
    GoogleForms,
    SurveyMonkey,
    Kobo,
    LimeSurvey,
    Indico,
    /// One column per question and no metadata the tool knows.
    Plain,
}

impl Shape {
    /// The tool's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Shape::MicrosoftForms => "Microsoft Forms",
            Shape::GoogleForms => "Google Forms",
            Shape::SurveyMonkey => "SurveyMonkey",
            Shape::Kobo => "KoboToolbox",
            Shape::LimeSurvey => "LimeSurvey",
            Shape::Indico => "Indico",
            Shape::Plain => "a plain table",
        }
    }

    /// How the tool joins the choices of one respondent in one cell.
    fn separator(self) -> &'static str {
        match self {
            Shape::GoogleForms => ", ",
            Shape::Indico => "; ",
            Shape::Kobo => " ",
            _ => ";",
        }
    }
}

/// The shapes the tool knows, for an error about one it does not.
pub const KNOWN: &str = "Microsoft Forms (ID, Start time, Completion time, ...), Google Forms (Timestamp, ...), \
SurveyMonkey (Respondent ID, Collector ID, ... over two header rows), KoboToolbox (..., _id, _uuid, _submission_time), \
LimeSurvey (id, submitdate, lastpage, ...) and Indico (Submitter, Submitter Email, Submission Date, ...)";

/// The shape of an export whose first row is `first`.
pub fn shape(first: &[String]) -> Shape {
    let has = |name: &str| first.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
    if has("Respondent ID") && has("Collector ID") {
        Shape::SurveyMonkey
    } else if has("_uuid") || has("_submission_time") {
        Shape::Kobo
    } else if (has("id") && has("submitdate") && has("lastpage"))
        || (has("Response ID") && has("Date submitted") && has("Last page"))
    {
        Shape::LimeSurvey
    } else if has("Submitter") && has("Submission Date") {
        Shape::Indico
    } else if has("Start time") && has("Completion time") {
        Shape::MicrosoftForms
    } else if first.first().is_some_and(|h| h.trim().eq_ignore_ascii_case("Timestamp")) {
        Shape::GoogleForms
    } else {
        Shape::Plain
    }
}

/// The columns of an export, named as the record may name them: the
/// header's text, and for SurveyMonkey's two header rows, the question
/// (carried right over the blank cells that continue it) and the cell
/// below it.
#[derive(Debug, Clone)]
pub struct Columns {
    pub shape: Shape,
    /// Each column's heading (the first header row).
    pub headings: Vec<String>,
    /// Under each heading, SurveyMonkey's second header row.
    pub under: Vec<String>,
}

impl Columns {
    /// The columns of `first` (and `second`, SurveyMonkey's second header
    /// row).
    pub fn new(first: Vec<String>, second: Option<Vec<String>>) -> Columns {
        let shape = shape(&first);
        let mut headings = first;
        let under = second.unwrap_or_default();
        if shape == Shape::SurveyMonkey {
            let mut last = String::new();
            for h in &mut headings {
                if h.trim().is_empty() {
                    h.clone_from(&last);
                } else {
                    last.clone_from(h);
                }
            }
        }
        Columns { shape, headings, under }
    }

    fn under(&self, i: usize) -> &str {
        self.under.get(i).map_or("", |s| s.trim())
    }

    /// The column whose heading is `name` (compared as answers are).
    fn find(&self, name: &str) -> Option<usize> {
        let name = normalise(name);
        self.headings.iter().position(|h| normalise(h) == name)
    }

    /// The columns whose heading is `name`, in order.
    fn all(&self, name: &str) -> Vec<usize> {
        let name = normalise(name);
        (0..self.headings.len()).filter(|&i| normalise(&self.headings[i]) == name).collect()
    }

    /// The columns of the respondents' start and end times, where the
    /// tool has both.
    pub fn times(&self) -> (Option<usize>, Option<usize>) {
        let pick = |names: &[&str]| names.iter().find_map(|n| self.find(n));
        match self.shape {
            Shape::MicrosoftForms | Shape::Plain => {
                (pick(&["Start time"]), pick(&["Completion time"]))
            }
            Shape::SurveyMonkey => (pick(&["Start Date"]), pick(&["End Date"])),
            Shape::Kobo => (pick(&["start"]), pick(&["end"])),
            Shape::LimeSurvey => {
                (pick(&["startdate", "Date started"]), pick(&["submitdate", "Date submitted"]))
            }
            Shape::GoogleForms | Shape::Indico => (None, None),
        }
    }

    /// Where the answers to `q` (its export name `source`, and for a
    /// matrix row, its `row`) are: `None` if the export has no such column.
    pub fn plan(&self, q: &Question) -> Option<Plan> {
        let source = q.source.as_str();
        // A matrix row: the question's heading with the row, as each tool
        // writes it; the row alone (Microsoft Forms, KoboToolbox); or
        // LimeSurvey's `Q3[SQ001]`, the record's rows in order.
        if let Some((index, row)) = &q.row {
            let candidates = [
                format!("{source} [{row}]"),
                format!("{source}.{row}"),
                format!("{source}/{row}"),
                format!("{source} - {row}"),
                format!("{source}: {row}"),
            ];
            if self.shape == Shape::SurveyMonkey {
                let n = normalise(row);
                return self
                    .all(source)
                    .into_iter()
                    .find(|&i| normalise(self.under(i)) == n)
                    .map(|column| Plan::Cell { column, split: false });
            }
            let coded = || {
                let prefix = format!("{}[", normalise(source));
                let coded: Vec<usize> = (0..self.headings.len())
                    .filter(|&i| normalise(&self.headings[i]).starts_with(&prefix))
                    .collect();
                coded.get(*index).copied()
            };
            let alone = || Some(self.all(row)).filter(|c| c.len() == 1).map(|c| c[0]);
            return candidates
                .iter()
                .find_map(|c| self.find(c))
                .or_else(coded)
                .or_else(alone)
                .map(|column| Plan::Cell { column, split: false });
        }
        if q.kind == Kind::Choice
            && let Some(plan) = self.option_columns(q)
        {
            return Some(plan);
        }
        let column = match self.shape {
            // The first column of the question: `Response` or
            // `Open-Ended Response` below it.
            Shape::SurveyMonkey => self.all(source).into_iter().next(),
            _ => self.find(source),
        }?;
        Some(Plan::Cell { column, split: q.kind == Kind::Choice })
    }

    /// A multiple-choice question laid out one column per option.
    fn option_columns(&self, q: &Question) -> Option<Plan> {
        let source = q.source.as_str();
        let mut options = Vec::new();
        let mut other = None;
        match self.shape {
            Shape::SurveyMonkey => {
                let columns = self.all(source);
                if columns.len() < 2 {
                    return None;
                }
                for (k, &i) in columns.iter().enumerate() {
                    let under = self.under(i);
                    if under.to_lowercase().starts_with("other") {
                        other = Some(i);
                    } else if let Some(o) = q.option_of(&normalise(under)) {
                        options.push((i, o));
                    } else if k == 0 && under.eq_ignore_ascii_case("Response") {
                        return None;
                    } else {
                        options.push((i, usize::MAX));
                    }
                }
                Some(Plan::Options { options, other, chosen: Chosen::NotEmpty })
            }
            Shape::Kobo => {
                let prefix = format!("{}/", normalise(source));
                for (i, h) in self.headings.iter().enumerate() {
                    let h = normalise(h);
                    let Some(option) = h.strip_prefix(&prefix) else { continue };
                    match q.option_of(option) {
                        Some(o) => options.push((i, o)),
                        None if option == "other" => {}
                        None => options.push((i, usize::MAX)),
                    }
                }
                if options.is_empty() {
                    return None;
                }
                // The write-ins: a column headed by the question's XML
                // name and `_other` (`Which_topics_were_most_useful_other`).
                let stem = squash(source);
                other = self.headings.iter().position(|h| {
                    let s = squash(h);
                    !h.contains('/')
                        && s.len() > stem.len()
                        && s.starts_with(&stem)
                        && s.ends_with("other")
                });
                Some(Plan::Options { options, other, chosen: Chosen::One })
            }
            Shape::LimeSurvey => {
                // `Q2[SQ001]`...: the options in the record's order; or
                // full-text headings `Question [Option]`.
                let prefix = format!("{}[", normalise(source));
                let mut by_code = Vec::new();
                for (i, h) in self.headings.iter().enumerate() {
                    let h = normalise(h);
                    let inner = h
                        .strip_prefix(&prefix)
                        .or_else(|| h.strip_prefix(&format!("{} [", normalise(source))))
                        .and_then(|r| r.strip_suffix(']'));
                    let Some(inner) = inner else { continue };
                    if inner == "other" {
                        other = Some(i);
                    } else if inner.ends_with("comment") {
                    } else if let Some(o) = q.option_of(inner) {
                        options.push((i, o));
                    } else {
                        by_code.push(i);
                    }
                }
                // Codes, not texts: the record's options in order.
                let unused: Vec<usize> = (0..q.options.len())
                    .filter(|o| {
                        !options.iter().any(|(_, p)| p == o) && !is_other(&q.options[*o].label)
                    })
                    .collect();
                for (k, i) in by_code.into_iter().enumerate() {
                    options.push((i, unused.get(k).copied().unwrap_or(usize::MAX)));
                }
                if options.is_empty() {
                    return None;
                }
                Some(Plan::Options { options, other, chosen: Chosen::Yes })
            }
            _ => None,
        }
    }

    /// How the tool joins several choices in one cell.
    pub fn separator(&self) -> &'static str {
        self.shape.separator()
    }
}

/// Where a question's answers are in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// One cell: the answer, or (`split`) the choices joined by the tool's
    /// separator.
    Cell { column: usize, split: bool },
    /// A column per option (`(column, option)`; `usize::MAX` for a column
    /// of an option the record does not list), and the write-in column.
    Options { options: Vec<(usize, usize)>, other: Option<usize>, chosen: Chosen },
}

/// What an option's column holds when the option was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// Anything (SurveyMonkey writes the option's text).
    NotEmpty,
    /// `1` (KoboToolbox).
    One,
    /// `Y` or `Yes` (LimeSurvey).
    Yes,
}

impl Chosen {
    pub fn matches(self, cell: &str) -> bool {
        let cell = cell.trim();
        match self {
            Chosen::NotEmpty => !cell.is_empty() && cell != "0",
            Chosen::One => cell == "1" || cell.eq_ignore_ascii_case("true"),
            Chosen::Yes => cell.eq_ignore_ascii_case("y") || cell.eq_ignore_ascii_case("yes"),
        }
    }
}

/// `text` lower-cased, letters and digits only: a question's label and
/// its XML name (`Which_topics_were_most_useful`) squash alike.
fn squash(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Whether an option is the "Other" of its question, which write-ins count as.
pub fn is_other(label: &str) -> bool {
    let l = normalise(label);
    l == "other" || l.starts_with("other ") || l.starts_with("other:") || l.starts_with("other (")
}

/// The choices of `cell` as options of `q`, joined by the tool's
/// `separator` (or, where that leaves pieces that are no option, by
/// another common one that leaves fewer, or as many and finds more
/// options: Google's CSV download joins by `;`, its Sheet by `, `): the
/// options matched, and the pieces that are no option, as written.
pub fn split_choices(cell: &str, separator: &str, q: &Question) -> (Vec<usize>, Vec<String>) {
    let mut best = split_by(cell, separator, q);
    for other in [";", ", ", "; ", ","] {
        if best.1.is_empty() {
            break;
        }
        if other != separator {
            // Fewer pieces that are no option, then more options.
            let split = split_by(cell, other, q);
            if (split.1.len(), usize::MAX - split.0.len())
                < (best.1.len(), usize::MAX - best.0.len())
            {
                best = split;
            }
        }
    }
    best
}

/// The choices of `cell` joined by `separator`, matched against the options
/// longest first, so that an option holding the separator stays whole.
fn split_by(cell: &str, separator: &str, q: &Question) -> (Vec<usize>, Vec<String>) {
    let pieces: Vec<&str> = cell.split(separator.trim()).collect();
    let mut picked = Vec::new();
    let mut unknown = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        if pieces[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let mut matched = None;
        for j in (i..pieces.len()).rev() {
            let joined = pieces[i..=j].join(separator.trim());
            if let Some(o) = q.option_of(&normalise(&joined)) {
                matched = Some((j, o));
                break;
            }
        }
        match matched {
            Some((j, o)) => {
                if !picked.contains(&o) {
                    picked.push(o);
                }
                i = j + 1;
            }
            None => {
                unknown.push(pieces[i].trim().to_owned());
                i += 1;
            }
        }
    }
    (picked, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::survey::Choice;

    fn choice(options: &[&str]) -> Question {
        Question {
            title: "Q".into(),
            source: "Q".into(),
            kind: Kind::Choice,
            options: options
                .iter()
                .map(|o| Choice { label: (*o).into(), spellings: vec![normalise(o)], value: None })
                .collect(),
            selected: None,
            row: None,
            other_column: None,
        }
    }

    #[test]
    fn choices_holding_the_separator_stay_whole() {
        let q = choice(&[
            "Data governance, privacy and security",
            "Digital identity; interoperability",
            "Open data",
            "Other",
        ]);
        let (picked, unknown) =
            split_choices("Data governance, privacy and security, Open data", ", ", &q);
        assert_eq!((picked, unknown.len()), (vec![0, 2], 0));
        let (picked, unknown) =
            split_choices("Digital identity; interoperability;Open data;", ";", &q);
        assert_eq!((picked, unknown.len()), (vec![1, 2], 0));
        let (picked, unknown) = split_choices("Open data;Cybersecurity;", ";", &q);
        assert_eq!((picked, unknown), (vec![2], vec!["Cybersecurity".to_owned()]));
    }

    #[test]
    fn shapes_are_recognised_by_their_metadata() {
        let s = |h: &[&str]| shape(&h.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            s(&["ID", "Start time", "Completion time", "Email", "Name", "Q"]),
            Shape::MicrosoftForms
        );
        assert_eq!(s(&["Timestamp", "Email Address", "Q"]), Shape::GoogleForms);
        assert_eq!(s(&["Respondent ID", "Collector ID", "Start Date", "Q"]), Shape::SurveyMonkey);
        assert_eq!(s(&["start", "end", "Q", "_id", "_uuid", "_submission_time"]), Shape::Kobo);
        assert_eq!(s(&["id", "submitdate", "lastpage", "startlanguage", "Q1"]), Shape::LimeSurvey);
        assert_eq!(s(&["Submitter", "Submitter Email", "Submission Date", "Q"]), Shape::Indico);
        assert_eq!(s(&["Q1", "Q2"]), Shape::Plain);
    }
}
