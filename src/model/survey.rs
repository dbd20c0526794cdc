//! The feedback survey: questions, their scales, and the figures tallied
//! from the answers.
//!
//! Everything here is computation on plain data, fed one answer at a time
//! so that a survey of any size is tallied in constant memory (free-text
//! answers excepted: those a report prints are kept).
//!
//! A cell of several choices is split by the tool's separator and its
//! pieces matched against the question's options, longest first, so that
//! an option that holds the separator ("Data governance, privacy and
//! security") stays whole. A piece that is no option is a write-in:
//! counted as the question's `Other` option when it has one, its text kept.

use std::collections::HashMap;

use serde::Serialize;

use crate::language::Language;

/// The kind of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An ordered scale of labels, each with a value (satisfaction, ...).
    Scale,
    /// A numeric rating, e.g. 1 to 5, its ends labelled.
    Rating,
    /// Multiple choice: a respondent may pick several options.
    Choice,
    /// Free text.
    Text,
}

/// An option of a question: its printed label, the spellings that count as
/// it, and its value on an ordinal scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The option as printed: "Very satisfied", "1 - Not useful".
    pub label: String,
    /// Lower-cased, trimmed spellings that count as this option.
    pub spellings: Vec<String>,
    /// Its value on a scale or rating, for the mean and median; `None` for an
    /// option of a multiple-choice question.
    pub value: Option<f64>,
}

/// A question as the record defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The question as printed, after its number.
    pub title: String,
    /// The column of the export, or the question of the tallies file.
    pub source: String,
    /// Whether it is a scale, a rating, a multiple choice or free text.
    pub kind: Kind,
    /// The options, in the order they print (best first on scales, as
    /// written for choices; ascending for ratings).
    pub options: Vec<Choice>,
    /// Which free-text answers to print: all (`None`) or these, by their
    /// position among the answers (from 1).
    pub selected: Option<Vec<usize>>,
    /// For a row of a matrix (grid) question: its position among the rows
    /// (from 0) and its label, as the export heads its column.
    pub row: Option<(usize, String)>,
    /// The export's column that holds the write-ins of the `Other` option,
    /// where the survey tool keeps them apart from the choices.
    pub other_column: Option<String>,
}

/// The preset scales a record names (`scale: satisfaction`), their labels
/// terms of the report's language (`scale_satisfaction`).
pub const SCALES: &[&str] = &["satisfaction", "agreement", "likelihood"];

/// The named scale `name` in `language`: each label, best first, with its
/// value and its English label, which counts as the same answer (an export
/// in English tallies in a report in any language).
pub fn preset(name: &str, language: &Language) -> Option<Vec<(String, f64, String)>> {
    if !SCALES.contains(&name) {
        return None;
    }
    let key = format!("scale_{name}");
    let labels = language.terms().list(&key);
    let english = crate::language::terms::english_list(&key);
    Some(
        labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let value = (labels.len() - i) as f64;
                (label.clone(), value, english.get(i).cloned().unwrap_or_default())
            })
            .collect(),
    )
}

/// The names of the preset scales, for messages.
pub const PRESETS: &[&str] = &["satisfaction", "agreement", "likelihood", "1-5", "1-10"];

/// Normalises an answer for matching: trimmed, lower case, inner runs of
/// white space as one space.
pub fn normalise(answer: &str) -> String {
    let mut out = String::with_capacity(answer.len());
    normalise_into(&mut out, answer);
    out
}

/// [`normalise`] into a buffer reused from answer to answer.
pub fn normalise_into(out: &mut String, answer: &str) {
    out.clear();
    for word in answer.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
}

/// Whether an option is the "Other" of its question, which write-ins count as.
pub fn is_other(label: &str) -> bool {
    let l = normalise(label);
    l == "other" || l.starts_with("other ") || l.starts_with("other:") || l.starts_with("other (")
}

impl Question {
    /// The index of the option `answer` (normalised) stands for.
    pub fn option_of(&self, answer: &str) -> Option<usize> {
        self.options.iter().position(|o| o.spellings.iter().any(|s| s == answer))
    }

    /// The index of the question's "Other" option, which write-ins count
    /// as (see [`is_other`]).
    pub fn other(&self) -> Option<usize> {
        self.options.iter().position(|o| is_other(&o.label))
    }

    /// The choices of `cell` as options of the question, joined by the
    /// tool's `separator` (or, where that leaves pieces that are no option,
    /// by another common one that leaves fewer, or as many and finds more
    /// options: Google's CSV download joins by `;`, its Sheet by `, `): the
    /// options matched, and the pieces that are no option, as written.
    pub fn split_choices(&self, cell: &str, separator: &str) -> (Vec<usize>, Vec<String>) {
        let mut best = self.split_by(cell, separator);
        for other in [";", ", ", "; ", ","] {
            if best.1.is_empty() {
                break;
            }
            if other != separator {
                // Fewer pieces that are no option, then more options.
                let split = self.split_by(cell, other);
                if (split.1.len(), usize::MAX - split.0.len())
                    < (best.1.len(), usize::MAX - best.0.len())
                {
                    best = split;
                }
            }
        }
        best
    }

    /// The choices of `cell` joined by `separator`, matched against the
    /// options longest first, so that an option holding the separator stays
    /// whole. An option spans at most as many pieces as it holds
    /// separators, and one more: the work grows with the pieces, not with
    /// their square.
    fn split_by(&self, cell: &str, separator: &str) -> (Vec<usize>, Vec<String>) {
        let sep = separator.trim();
        let pieces: Vec<&str> = cell.split(sep).collect();
        let widest = self
            .options
            .iter()
            .flat_map(|o| &o.spellings)
            .map(|s| s.matches(sep).count() + 1)
            .max()
            .unwrap_or(1);
        let mut picked = Vec::new();
        let mut unknown = Vec::new();
        let mut i = 0;
        while i < pieces.len() {
            if pieces[i].trim().is_empty() {
                i += 1;
                continue;
            }
            let mut matched = None;
            for j in (i..pieces.len().min(i + widest)).rev() {
                let joined = pieces[i..=j].join(sep);
                if let Some(o) = self.option_of(&normalise(&joined)) {
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
}

/// One respondent's cells for a question, as the export lays them out,
/// read but not yet counted.
#[derive(Debug, Clone, PartialEq)]
pub enum Cells<'a> {
    /// The question is answered in one cell.
    One {
        /// The answer, or several choices joined by `separator`; blank
        /// where the tool writes that none was given.
        cell: &'a str,
        /// How the tool joins several choices in one cell.
        separator: &'a str,
        /// The write-in column beside it, where the tool keeps one.
        beside: Option<Beside<'a>>,
    },
    /// The question has a column per option.
    Columns {
        /// The options whose columns say they were chosen.
        picked: Vec<usize>,
        /// The write-ins: the headings of chosen columns of options the
        /// record does not list, then the text of the write-in column.
        written: Vec<String>,
        /// Whether the write-in column only marks `Other` as chosen.
        other_chosen: bool,
    },
}

/// The write-in column beside a question answered in one cell
/// (SurveyMonkey's `Other (please specify)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beside<'a> {
    /// The write-in, if any.
    pub text: &'a str,
    /// The column's label, which the answer cell repeats when the write-in
    /// is the answer.
    pub label: &'a str,
}

/// What one respondent's cells come to for a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer<'a> {
    /// No answer: it counts as blank.
    Blank,
    /// One option of a question answered in one cell, spelled as it is.
    One(usize),
    /// A free-text answer, as written.
    Text(&'a str),
    /// Options, write-ins, or answers that are no option.
    Options(Picks),
}

/// The options one respondent picked, with what they wrote in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Picks {
    /// The options picked, each once (`Other` among them for a write-in).
    pub options: Vec<usize>,
    /// Write-ins, counted as the question's `Other`, their text kept.
    pub write_ins: Vec<String>,
    /// Answers that are no option of the question, which has no `Other`
    /// to count them (or is no multiple choice): mistakes, as written.
    pub unknown: Vec<String>,
}

impl Question {
    /// How one respondent's `cells` answer the question, whose `Other`
    /// option is `other` ([`Question::other`], found once per question).
    pub fn answer<'a>(&self, cells: Cells<'a>, other: Option<usize>) -> Answer<'a> {
        match cells {
            Cells::One { cell, separator, beside } => {
                self.answer_in_cell(cell, separator, beside, other)
            }
            Cells::Columns { mut picked, written, other_chosen } => {
                if other_chosen
                    && let Some(o) = other
                    && !picked.contains(&o)
                {
                    picked.push(o);
                }
                if picked.is_empty() && written.is_empty() {
                    return Answer::Blank;
                }
                Answer::Options(self.picks(picked, written, other))
            }
        }
    }

    /// The answer in one cell, with the write-in column `beside` it.
    fn answer_in_cell<'a>(
        &self,
        mut cell: &'a str,
        separator: &str,
        beside: Option<Beside<'a>>,
        other: Option<usize>,
    ) -> Answer<'a> {
        let (mut picked, mut written) = (Vec::new(), Vec::new());
        if let Some(beside) = beside {
            if !beside.text.is_empty() {
                written.push(beside.text.to_owned());
            }
            // The cell says the write-in was chosen (SurveyMonkey writes
            // the label of its column): the write-in is the answer.
            if !beside.label.is_empty() && normalise(cell) == normalise(beside.label) {
                match other {
                    Some(o) if written.is_empty() => picked.push(o),
                    _ => {}
                }
                if written.is_empty() && other.is_none() {
                    written.push(cell.to_owned());
                }
                cell = "";
            }
        }
        if cell.is_empty() && written.is_empty() && picked.is_empty() {
            return Answer::Blank;
        }
        match self.kind {
            Kind::Text => return Answer::Text(cell),
            Kind::Choice => {
                let (found, unknown) = self.split_choices(cell, separator);
                picked.extend(found);
                written.extend(unknown);
            }
            Kind::Scale | Kind::Rating => match self.option_of(&normalise(cell)) {
                Some(o) if picked.is_empty() && written.is_empty() => return Answer::One(o),
                Some(o) => picked.push(o),
                None => written.push(cell.to_owned()),
            },
        }
        Answer::Options(self.picks(picked, written, other))
    }

    /// The options `picked` and the answers `written` in: write-ins that
    /// count as `other` for a multiple choice that has it, else mistakes.
    fn picks(&self, mut picked: Vec<usize>, written: Vec<String>, other: Option<usize>) -> Picks {
        match other {
            Some(o) if self.kind == Kind::Choice => {
                if !written.is_empty() && !picked.contains(&o) {
                    picked.push(o);
                }
                Picks { options: picked, write_ins: written, unknown: Vec::new() }
            }
            _ => Picks { options: picked, write_ins: Vec::new(), unknown: written },
        }
    }

    /// Whether the `n`th free-text answer (from 1) prints: `show:` picks it,
    /// or picks none.
    pub fn shows(&self, n: usize) -> bool {
        self.selected.as_ref().is_none_or(|s| s.contains(&n))
    }
}

/// The most characters of one free-text answer printed; a longer one is
/// cut, with a warning.
pub const MAX_ANSWER: usize = 5_000;

/// The most line breaks of one free-text answer printed.
pub const MAX_ANSWER_LINES: usize = 100;

/// A free-text answer cut to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// What prints: the answer up to the cut, an ellipsis after it.
    pub text: String,
    /// The characters of the answer.
    pub chars: usize,
    /// The characters left out.
    pub left: usize,
}

/// `answer` cut to print, if it is longer than [`MAX_ANSWER`] characters
/// or [`MAX_ANSWER_LINES`] lines.
pub fn cut_answer(answer: &str) -> Option<Cut> {
    let end = cut_at(answer);
    if end == answer.len() {
        return None;
    }
    let chars = answer.chars().count();
    let left = chars - answer[..end].chars().count();
    Some(Cut { text: format!("{}…", answer[..end].trim_end()), chars, left })
}

/// Where a free-text answer is cut: after [`MAX_ANSWER`] characters or
/// before its [`MAX_ANSWER_LINES`]th line break, whichever comes first
/// (its length if neither does).
fn cut_at(answer: &str) -> usize {
    let mut breaks = 0;
    for (n, (i, c)) in answer.char_indices().enumerate() {
        if n == MAX_ANSWER {
            return i;
        }
        if c == '\n' {
            breaks += 1;
            if breaks == MAX_ANSWER_LINES {
                return i;
            }
        }
    }
    answer.len()
}

/// Counts the answers to one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// The number of respondents who picked each option, in the order of the
    /// question's options.
    pub counts: Vec<u64>,
    /// Respondents who answered (for choices: picked at least one option).
    pub answered: u64,
    /// Respondents who left it blank.
    pub blank: u64,
    /// Free-text answers kept for printing.
    pub texts: Vec<String>,
    /// The number of free-text answers seen.
    pub text_count: u64,
}

impl Tally {
    /// An empty tally for `question`: a zero count per option.
    pub fn new(question: &Question) -> Tally {
        Tally {
            counts: vec![0; question.options.len()],
            answered: 0,
            blank: 0,
            texts: Vec::new(),
            text_count: 0,
        }
    }

    /// Records a blank answer.
    pub fn add_blank(&mut self) {
        self.blank += 1;
    }

    /// Records one respondent's options (several for a choice question).
    pub fn add_options(&mut self, options: &[usize]) {
        if options.is_empty() {
            self.blank += 1;
            return;
        }
        self.answered += 1;
        for &o in options {
            self.counts[o] += 1;
        }
    }

    /// Records one respondent's picks: their options (blank if none), and
    /// the text of their write-ins.
    pub fn add_picks(&mut self, picks: Picks) {
        self.add_options(&picks.options);
        self.texts.extend(picks.write_ins);
    }

    /// Records a free-text answer, keeping it if `keep`.
    pub fn add_text(&mut self, text: &str, keep: bool) {
        self.answered += 1;
        self.text_count += 1;
        if keep {
            self.texts.push(text.to_owned());
        }
    }
}

/// What a tally counts beyond the survey's respondents, which would print
/// shares over 100%.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// More picks of an option (of a multiple choice) than respondents.
    Picks {
        /// The option.
        option: usize,
        /// Its picks.
        count: u64,
    },
    /// More answers than respondents.
    Answers(u64),
}

impl Tally {
    /// Completes the tally of a question given as counts: those who
    /// answered (for a multiple choice, every respondent where their number
    /// is known, else the picks; else the counts), and the rest of the
    /// `respondents` blank.
    pub fn tallied(&mut self, kind: Kind, respondents: Option<u64>) {
        let counted: u64 = self.counts.iter().sum();
        self.answered = match kind {
            Kind::Choice => respondents.unwrap_or(counted),
            _ => counted,
        };
        self.blank = respondents.map_or(0, |r| r.saturating_sub(self.answered));
    }

    /// Completes the tally of a free-text question of a tallied survey:
    /// `answered` answers where the record gives their number, else those
    /// read; the rest of the `respondents` blank.
    pub fn tallied_texts(&mut self, answered: Option<u64>, respondents: Option<u64>) {
        self.text_count = answered.unwrap_or(self.text_count);
        self.answered = self.text_count;
        self.blank = respondents.map_or(0, |r| r.saturating_sub(self.answered));
    }

    /// What the tally of `question` counts beyond `respondents`: the first
    /// option of a multiple choice picked more often, or more answers.
    pub fn over(&self, question: &Question, respondents: u64) -> Option<Over> {
        match question.kind {
            Kind::Choice => self
                .counts
                .iter()
                .position(|&c| c > respondents)
                .map(|option| Over::Picks { option, count: self.counts[option] }),
            _ => (self.answered > respondents).then_some(Over::Answers(self.answered)),
        }
    }
}

/// A survey's tallies given as counts (`tallies:`), a row per question and
/// option, added row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts<'a> {
    questions: &'a [Question],
    tallies: Vec<Tally>,
    /// Where each (question, option) was counted: a second row for one
    /// would be summed with the first without a word.
    seen: HashMap<(usize, usize), usize>,
}

impl<'a> Counts<'a> {
    /// No counts yet of `questions`.
    pub fn new(questions: &'a [Question]) -> Counts<'a> {
        Counts {
            questions,
            tallies: questions.iter().map(Tally::new).collect(),
            seen: HashMap::new(),
        }
    }

    /// The question a row names: the first whose source it is, compared as
    /// answers are.
    pub fn question(&self, name: &str) -> Option<usize> {
        self.questions.iter().position(|q| normalise(&q.source) == normalise(name))
    }

    /// Counts `count` picks of option `option` of question `question`, on
    /// the row at `at` (its line); `Err` with the place of the row before
    /// that counted the same option, this count left out.
    pub fn add(
        &mut self,
        question: usize,
        option: usize,
        count: u64,
        at: usize,
    ) -> Result<(), usize> {
        if let Some(first) = self.seen.insert((question, option), at) {
            return Err(first);
        }
        self.tallies[question].counts[option] = count;
        Ok(())
    }

    /// The tallies, each completed with the survey's `respondents`.
    pub fn finish(mut self, respondents: Option<u64>) -> Vec<Tally> {
        for (q, tally) in self.questions.iter().zip(&mut self.tallies) {
            tally.tallied(q.kind, respondents);
        }
        self.tallies
    }
}

/// The survey's figures, ready to print.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Survey {
    /// The number of respondents, where known.
    pub respondents: Option<u64>,
    /// The number of people invited (the participants), where known.
    pub invited: Option<u64>,
    /// Respondents as a share of those invited, "57%".
    pub response_rate: Option<String>,
    /// The average time to complete, "31:47".
    pub average_time: Option<String>,
    /// The figures of each question, in the record's order.
    pub questions: Vec<QuestionResult>,
    /// The number of respondents as printed, in the report's digits.
    pub respondents_text: Option<String>,
    /// The respondents among those invited as printed: "8 of 32".
    pub response_rate_text: Option<String>,
}

/// One question's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    /// The question's number as printed, from 1, in the record's order.
    pub number: usize,
    /// The question as printed.
    pub title: String,
    /// Whether it is a scale, a rating, a multiple choice or free text.
    pub kind: Kind,
    /// Respondents who answered (for choices: picked at least one option).
    pub answered: u64,
    /// Respondents who left it blank (for tallied surveys: the respondents less
    /// those counted).
    pub not_answered: u64,
    /// Each option's figures, in the order they print; empty for free text.
    pub options: Vec<OptionResult>,
    /// The mean value on ordinal scales, to two decimals: "4.25".
    pub mean: Option<String>,
    /// The label of the median answer on ordinal scales.
    pub median: Option<String>,
    /// The share of the two best options on ordinal scales: "100%".
    pub top_two: Option<String>,
    /// Free text: the number of answers, and those printed.
    pub responses: Vec<String>,
    /// The figures in words, for readers who cannot see the chart.
    pub alt: String,
    /// How many answered, as printed: "8 answered".
    pub answered_text: String,
    /// How many did not, as printed: "2 did not".
    pub not_answered_text: String,
    /// Free text: the number of answers as printed: "15 responses".
    pub responses_text: String,
}

/// One option's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionResult {
    /// The option as printed.
    pub label: String,
    /// The number of respondents who picked it.
    pub count: u64,
    /// The share of those who answered, rounded as described in
    /// [`rounded_percent`], as the report prints it: "75%", "75 %".
    pub percent: String,
    /// The share as a number from 0 to 1, for bar lengths.
    pub ratio: f64,
    /// The count and share as a chart prints them: "6 (75%)".
    pub count_text: String,
}

impl QuestionResult {
    /// The figures of `question` from its tally, printed in `language`.
    pub fn new(
        number: usize,
        question: &Question,
        tally: &Tally,
        language: &Language,
    ) -> QuestionResult {
        let answered = tally.answered;
        // Each share rounded on its own, as a reader checks it.
        let percents: Vec<u64> =
            tally.counts.iter().map(|&c| rounded_percent(c, answered)).collect();
        let options: Vec<OptionResult> = question
            .options
            .iter()
            .zip(&tally.counts)
            .zip(&percents)
            .map(|((option, &count), &percent)| {
                let percent = language.percent(percent);
                OptionResult {
                    label: option.label.clone(),
                    count,
                    count_text: language.say(
                        "count_share",
                        &[("count", &language.integer(count)), ("share", &percent)],
                    ),
                    percent,
                    ratio: if answered == 0 { 0.0 } else { count as f64 / answered as f64 },
                }
            })
            .collect();

        let ordinal = matches!(question.kind, Kind::Scale | Kind::Rating) && answered > 0;
        let (mean, median, top_two) = if ordinal {
            (
                mean(question, tally).map(|h| language.hundredths(h)),
                median(question, tally),
                Some(language.percent(rounded_percent(top_two(question, tally), answered))),
            )
        } else {
            (None, None, None)
        };
        let responses_text = language.count("answers", tally.text_count);
        let alt = match question.kind {
            Kind::Text => responses_text.clone(),
            _ => options
                .iter()
                .map(|o| format!("{} {}", o.label, language.integer(o.count)))
                .collect::<Vec<_>>()
                .join(language.terms().text("separator")),
        };
        QuestionResult {
            number,
            title: question.title.clone(),
            kind: question.kind,
            answered,
            not_answered: tally.blank,
            options,
            mean,
            median,
            top_two,
            responses: tally.texts.clone(),
            alt,
            answered_text: language.say("answered", &[("n", &language.integer(answered))]),
            not_answered_text: language
                .say("not_answered", &[("n", &language.integer(tally.blank))]),
            responses_text,
        }
    }
}

/// `part` of `whole` as a whole-number percentage, halves rounded up.
///
/// Every share is rounded on its own, so that each prints as a reader
/// checks it with a calculator (3 of 8 is 37.5%, printed 38%) and equal
/// counts print equal shares; a question's shares may then add up to
/// 99% or 101%.
pub fn rounded_percent(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    let (part, whole) = (u128::from(part), u128::from(whole));
    u64::try_from((part * 200 + whole) / (whole * 2)).unwrap_or(u64::MAX)
}

/// The mean value in hundredths, halves rounded up (4.125 is 413, printed
/// "4.13"), computed exactly when the values are whole numbers.
fn mean(question: &Question, tally: &Tally) -> Option<i128> {
    let values: Vec<f64> = question.options.iter().map(|o| o.value).collect::<Option<_>>()?;
    let n = tally.answered;
    if values.iter().all(|v| v.fract() == 0.0 && v.abs() < 1e9) {
        let sum: i128 =
            values.iter().zip(&tally.counts).map(|(v, &c)| *v as i128 * c as i128).sum();
        // Hundredths, rounded half up: floor((200·sum + n) / 2n).
        return Some((200 * sum + n as i128).div_euclid(2 * n as i128));
    }
    let sum: f64 = values.iter().zip(&tally.counts).map(|(v, &c)| v * c as f64).sum();
    let mean = sum / n as f64;
    Some((mean * 100.0 + 0.5).floor() as i128)
}

/// The label of the middle answer in value order; with an even number of
/// answers, the lower of the two middle ones.
fn median(question: &Question, tally: &Tally) -> Option<String> {
    let mut by_value: Vec<(f64, &str, u64)> = question
        .options
        .iter()
        .zip(&tally.counts)
        .map(|(o, &c)| Some((o.value?, o.label.as_str(), c)))
        .collect::<Option<_>>()?;
    by_value.sort_by(|a, b| a.0.total_cmp(&b.0));
    let middle = tally.answered.div_ceil(2);
    let mut seen = 0;
    for (_, label, count) in by_value {
        seen += count;
        if seen >= middle {
            return Some(label.to_owned());
        }
    }
    None
}

/// How many answers fall on the two best options.
fn top_two(question: &Question, tally: &Tally) -> u64 {
    let mut by_value: Vec<(f64, u64)> = question
        .options
        .iter()
        .zip(&tally.counts)
        .filter_map(|(o, &c)| Some((o.value?, c)))
        .collect();
    by_value.sort_by(|a, b| b.0.total_cmp(&a.0));
    by_value.iter().take(2).map(|(_, c)| c).sum()
}

/// Seconds as printed: "31:47", or "1:02:03" from an hour up.
pub fn duration_text(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn en() -> Language {
        Language::built_in("en").unwrap()
    }

    fn scale(name: &str) -> Question {
        scale_in(name, &en())
    }

    fn scale_in(name: &str, language: &Language) -> Question {
        let options = preset(name, language)
            .unwrap()
            .into_iter()
            .map(|(label, value, _)| Choice {
                spellings: vec![normalise(&label)],
                label,
                value: Some(value),
            })
            .collect();
        Question {
            title: "Q".into(),
            source: "Q".into(),
            kind: Kind::Scale,
            options,
            selected: None,
            row: None,
            other_column: None,
        }
    }

    /// A multiple-choice question of `options` (also for the input
    /// stage's tests).
    pub(crate) fn choice(options: &[&str]) -> Question {
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

    /// The options of the fixtures' second question.
    const TOPICS: [&str; 4] = [
        "Data governance, privacy and security",
        "Digital identity; interoperability",
        "Open data",
        "Other",
    ];

    fn tally(question: &Question, answers: &[&str]) -> Tally {
        let mut tally = Tally::new(question);
        for answer in answers {
            let answer = normalise(answer);
            if answer.is_empty() {
                tally.add_blank();
            } else {
                tally.add_options(&[question.option_of(&answer).expect(&answer)]);
            }
        }
        tally
    }

    #[test]
    fn each_share_rounds_half_up_on_its_own() {
        assert_eq!(rounded_percent(3, 8), 38);
        assert_eq!(rounded_percent(1, 8), 13);
        assert_eq!(rounded_percent(1, 3), 33);
        assert_eq!(rounded_percent(2, 3), 67);
        assert_eq!(rounded_percent(0, 0), 0);
    }

    #[test]
    fn a_hand_counted_satisfaction_question() {
        // Seed 001, question 6: 4 very satisfied, 2 satisfied, 1 neutral,
        // 1 unsatisfied; two blanks; spellings vary in case and spaces.
        let q = scale("satisfaction");
        let t = tally(
            &q,
            &[
                "Very satisfied",
                "very Satisfied ",
                "VERY SATISFIED",
                " Very  satisfied",
                "Satisfied",
                "satisfied",
                "Neutral",
                "Unsatisfied",
                "",
                "  ",
            ],
        );
        let r = QuestionResult::new(6, &q, &t, &en());
        let counts: Vec<u64> = r.options.iter().map(|o| o.count).collect();
        assert_eq!(counts, [4, 2, 1, 1, 0]);
        let percents: Vec<&str> = r.options.iter().map(|o| o.percent.as_str()).collect();
        // Equal counts, equal shares, whatever the total (here 101%).
        assert_eq!(percents, ["50%", "25%", "13%", "13%", "0%"]);
        assert_eq!((r.answered, r.not_answered), (8, 2));
        // (4·5 + 2·4 + 3 + 2) / 8 = 33 / 8
        assert_eq!(r.mean.as_deref(), Some("4.13"));
        // Values in order: 2 3 4 4 5 5 5 5: the 4th is 4.
        assert_eq!(r.median.as_deref(), Some("Satisfied"));
        assert_eq!(r.top_two.as_deref(), Some("75%"));
        assert_eq!(
            r.alt,
            "Very satisfied 4, Satisfied 2, Neutral 1, Unsatisfied 1, Very unsatisfied 0"
        );
    }

    #[test]
    fn multiple_choice_shares_are_of_respondents() {
        let q = Question {
            title: "Topics".into(),
            source: "Topics".into(),
            kind: Kind::Choice,
            options: ["A", "B", "C"]
                .iter()
                .map(|l| Choice { label: (*l).into(), spellings: vec![normalise(l)], value: None })
                .collect(),
            selected: None,
            row: None,
            other_column: None,
        };
        let mut t = Tally::new(&q);
        t.add_options(&[0, 1]);
        t.add_options(&[0]);
        t.add_options(&[0, 1, 2]);
        t.add_options(&[]);
        let r = QuestionResult::new(1, &q, &t, &en());
        let percents: Vec<&str> = r.options.iter().map(|o| o.percent.as_str()).collect();
        assert_eq!(percents, ["100%", "67%", "33%"]);
        assert_eq!((r.answered, r.not_answered), (3, 1));
        assert_eq!(r.mean, None);
    }

    /// The same tally printed in French: shares, mean and the chart's
    /// counts as French writes numbers.
    #[test]
    fn figures_print_in_the_reports_language() {
        let fr = Language::built_in("fr").unwrap();
        let q = scale_in("satisfaction", &fr);
        let t = tally(&q, &["Très satisfait", "Satisfait", "satisfait"]);
        let r = QuestionResult::new(1, &q, &t, &fr);
        assert_eq!(r.options[0].label, "Très satisfait");
        assert_eq!(r.options[1].percent, "67\u{a0}%");
        assert_eq!(r.mean.as_deref(), Some("4,33"));
        assert_eq!(r.options[1].count_text, "2 (67\u{a0}%)");
    }

    #[test]
    fn choices_holding_the_separator_stay_whole() {
        let q = choice(&TOPICS);
        let (picked, unknown) =
            q.split_choices("Data governance, privacy and security, Open data", ", ");
        assert_eq!((picked, unknown.len()), (vec![0, 2], 0));
        let (picked, unknown) =
            q.split_choices("Digital identity; interoperability;Open data;", ";");
        assert_eq!((picked, unknown.len()), (vec![1, 2], 0));
        let (picked, unknown) = q.split_choices("Open data;Cybersecurity;", ";");
        assert_eq!((picked, unknown), (vec![2], vec!["Cybersecurity".to_owned()]));
    }

    #[test]
    fn empty_pieces_are_no_choice_and_a_choice_counts_once() {
        let q = choice(&TOPICS);
        // Microsoft Forms ends every choice with `;`.
        assert_eq!(q.split_choices("Open data;", ";"), (vec![2], vec![]));
        assert_eq!(q.split_choices(";; ;", ";"), (vec![], vec![]));
        assert_eq!(q.split_choices("", ";"), (vec![], vec![]));
        assert_eq!(q.split_choices("Open data; open  DATA ;Open data", ";"), (vec![2], vec![]));
    }

    #[test]
    fn choices_match_their_spellings_in_any_case() {
        let mut q = choice(&TOPICS);
        q.options[2].spellings.push(normalise("OD"));
        let (picked, unknown) = q.split_choices("od;DIGITAL IDENTITY;  interoperability", ";");
        assert_eq!((picked, unknown), (vec![2, 1], vec![]));
    }

    #[test]
    fn another_separator_is_tried_where_the_tools_own_leaves_pieces_unknown() {
        let q = choice(&TOPICS);
        // Google's CSV download joins by `;`, its Sheet by `, `.
        let cell = "Open data;Data governance, privacy and security";
        assert_eq!(q.split_choices(cell, ", "), (vec![2, 0], vec![]));
        let cell = "Open data, Digital identity; interoperability";
        assert_eq!(q.split_choices(cell, ";"), (vec![2, 1], vec![]));
        // No separator does better: the tool's stands, its unknown pieces
        // as written.
        let (picked, unknown) = q.split_choices("Open data;Cybersecurity", ";");
        assert_eq!((picked, unknown), (vec![2], vec!["Cybersecurity".to_owned()]));
        let (picked, unknown) = q.split_choices("AI in government", "; ");
        assert_eq!((picked, unknown), (vec![], vec!["AI in government".to_owned()]));
    }

    #[test]
    fn the_other_option_is_found_by_its_label() {
        assert_eq!(choice(&TOPICS).other(), Some(3));
        assert_eq!(choice(&["A", "Other (please specify)"]).other(), Some(1));
        assert_eq!(choice(&["Other: what?", "B"]).other(), Some(0));
        assert_eq!(choice(&["OTHER topics", "B"]).other(), Some(0));
        assert_eq!(choice(&["Others", "Otherwise"]).other(), None);
        assert_eq!(choice(&[]).other(), None);
    }

    /// A rating from 1 to 5 whose ends are labelled, as the record's
    /// `scale: 1-5` with `labels:` makes it.
    fn rating() -> Question {
        let options = (1..=5)
            .map(|v: i32| {
                let (label, extra) = match v {
                    1 => ("1 - Not useful".to_owned(), vec!["1", "Not useful"]),
                    5 => ("5 - Very useful".to_owned(), vec!["5", "Very useful"]),
                    _ => (v.to_string(), Vec::new()),
                };
                let spellings =
                    std::iter::once(label.as_str()).chain(extra).map(normalise).collect();
                Choice { label, spellings, value: Some(f64::from(v)) }
            })
            .collect();
        Question { kind: Kind::Rating, options, ..scale("satisfaction") }
    }

    fn text(selected: Option<Vec<usize>>) -> Question {
        Question { kind: Kind::Text, options: Vec::new(), selected, ..scale("satisfaction") }
    }

    /// An answer in one cell, without a write-in column beside it.
    fn in_cell<'a>(q: &Question, cell: &'a str, separator: &'a str) -> Answer<'a> {
        q.answer(Cells::One { cell, separator, beside: None }, q.other())
    }

    /// Picks of these options and write-ins, and these unknown answers.
    fn picks(options: &[usize], write_ins: &[&str], unknown: &[&str]) -> Answer<'static> {
        let owned = |texts: &[&str]| texts.iter().map(|t| (*t).to_owned()).collect();
        Answer::Options(Picks {
            options: options.to_vec(),
            write_ins: owned(write_ins),
            unknown: owned(unknown),
        })
    }

    #[test]
    fn a_blank_cell_is_a_blank_answer() {
        for q in [scale("satisfaction"), rating(), choice(&TOPICS), text(None)] {
            assert_eq!(in_cell(&q, "", ";"), Answer::Blank);
        }
        // Only separators: a choice cell with no choice in it.
        assert_eq!(in_cell(&choice(&TOPICS), ";;", ";"), picks(&[], &[], &[]));
        let mut t = Tally::new(&choice(&TOPICS));
        t.add_blank();
        t.add_picks(Picks::default());
        assert_eq!((t.answered, t.blank, t.counts.clone()), (0, 2, vec![0; 4]));
    }

    #[test]
    fn a_scale_answer_is_one_option_however_spelled() {
        let q = scale("satisfaction");
        assert_eq!(in_cell(&q, "Very satisfied", ";"), Answer::One(0));
        assert_eq!(in_cell(&q, "very  SATISFIED", ";"), Answer::One(0));
        assert_eq!(in_cell(&q, "Neutral", ";"), Answer::One(2));
        // A scale's answer is never split.
        assert_eq!(in_cell(&q, "Neutral;Satisfied", ";"), picks(&[], &[], &["Neutral;Satisfied"]));
    }

    #[test]
    fn a_rating_counts_by_its_label_and_by_its_value() {
        let q = rating();
        for answer in ["1", "Not useful", "1 - Not useful", " not USEFUL "] {
            assert_eq!(in_cell(&q, answer, ";"), Answer::One(0), "{answer}");
        }
        assert_eq!(in_cell(&q, "3", ";"), Answer::One(2));
        assert_eq!(in_cell(&q, "Very useful", ";"), Answer::One(4));
        assert_eq!(in_cell(&q, "6", ";"), picks(&[], &[], &["6"]));
        let mut t = Tally::new(&q);
        for answer in ["1", "Not useful", "5", "3", ""] {
            match in_cell(&q, answer, ";") {
                Answer::One(o) => t.add_options(&[o]),
                Answer::Blank => t.add_blank(),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!((t.counts.clone(), t.answered, t.blank), (vec![2, 0, 1, 0, 1], 4, 1));
    }

    #[test]
    fn several_picks_count_once_each_for_one_respondent() {
        let q = choice(&TOPICS);
        let answer = in_cell(&q, "Data governance, privacy and security;Open data;Open data", ";");
        assert_eq!(answer, picks(&[0, 2], &[], &[]));
        let mut t = Tally::new(&q);
        let Answer::Options(p) = answer else { unreachable!() };
        t.add_picks(p);
        t.add_options(&[2]);
        assert_eq!((t.counts.clone(), t.answered, t.blank), (vec![1, 0, 2, 0], 2, 0));
        assert!(t.texts.is_empty());
    }

    #[test]
    fn a_write_in_counts_as_other_its_text_kept() {
        let q = choice(&TOPICS);
        let answer = in_cell(&q, "Open data;AI in government", ";");
        assert_eq!(answer, picks(&[2, 3], &["AI in government"], &[]));
        let answer = in_cell(&q, "Cybersecurity", ";");
        assert_eq!(answer, picks(&[3], &["Cybersecurity"], &[]));
        let mut t = Tally::new(&q);
        let Answer::Options(p) = answer else { unreachable!() };
        t.add_picks(p);
        t.add_picks(Picks { options: vec![2, 3], write_ins: vec!["AI".into()], unknown: vec![] });
        assert_eq!(t.counts, [0, 0, 1, 2]);
        assert_eq!(t.texts, ["Cybersecurity", "AI"]);
        assert_eq!((t.answered, t.text_count), (2, 0));
    }

    #[test]
    fn an_answer_of_no_option_is_unknown() {
        // A multiple choice without `Other`: the write-in is a mistake.
        let q = choice(&TOPICS[..3]);
        let answer = in_cell(&q, "Open data;Cybersecurity", ";");
        assert_eq!(answer, picks(&[2], &[], &["Cybersecurity"]));
        // A scale with an option labelled `Other` counts no write-in.
        let mut q = scale("satisfaction");
        q.options[4] =
            Choice { label: "Other".into(), spellings: vec!["other".into()], value: None };
        assert_eq!(in_cell(&q, "Fantastic", ";"), picks(&[], &[], &["Fantastic"]));
    }

    #[test]
    fn the_write_in_column_beside_a_cell() {
        // SurveyMonkey: `Other (please specify)` beside the answer's cell.
        let q = choice(&TOPICS);
        let label = "Other (please specify)";
        let beside = |text| Some(Beside { text, label });
        let answer = |q: &Question, cell, text| {
            q.answer(Cells::One { cell, separator: ";", beside: beside(text) }, q.other())
        };
        assert_eq!(answer(&q, "Open data", "AI"), picks(&[2, 3], &["AI"], &[]));
        assert_eq!(answer(&q, "", ""), Answer::Blank);
        assert_eq!(answer(&q, "", "AI"), picks(&[3], &["AI"], &[]));
        // The cell names the write-in column: the write-in is the answer,
        // or `Other` alone when none is written.
        assert_eq!(answer(&q, "other (please  specify)", "AI"), picks(&[3], &["AI"], &[]));
        assert_eq!(answer(&q, label, ""), picks(&[3], &[], &[]));
        // Without `Other`, the cell itself is no option.
        let without = choice(&TOPICS[..3]);
        assert_eq!(answer(&without, label, ""), picks(&[], &[], &[label]));
        assert_eq!(answer(&without, label, "AI"), picks(&[], &[], &["AI"]));
        // A write-in and a piece that is no option: `Other` once, both kept.
        assert_eq!(answer(&q, "Cybersecurity", "AI"), picks(&[3], &["AI", "Cybersecurity"], &[]));
    }

    #[test]
    fn a_column_per_option() {
        let q = choice(&TOPICS);
        let columns = |picked: &[usize], written: &[&str], other_chosen| Cells::Columns {
            picked: picked.to_vec(),
            written: written.iter().map(|w| (*w).to_owned()).collect(),
            other_chosen,
        };
        assert_eq!(q.answer(columns(&[], &[], false), q.other()), Answer::Blank);
        assert_eq!(q.answer(columns(&[0, 2], &[], false), q.other()), picks(&[0, 2], &[], &[]));
        assert_eq!(q.answer(columns(&[0], &[], true), q.other()), picks(&[0, 3], &[], &[]));
        assert_eq!(q.answer(columns(&[3], &[], true), q.other()), picks(&[3], &[], &[]));
        assert_eq!(
            q.answer(columns(&[], &["Cybersecurity"], true), q.other()),
            picks(&[3], &["Cybersecurity"], &[])
        );
        // `Other` marked where the question has none: nothing counts.
        let without = choice(&TOPICS[..3]);
        assert_eq!(without.answer(columns(&[], &[], true), without.other()), Answer::Blank);
        assert_eq!(
            without.answer(columns(&[1], &["Extra option"], false), without.other()),
            picks(&[1], &[], &["Extra option"])
        );
    }

    #[test]
    fn free_text_is_kept_where_show_picks_it() {
        let all = text(None);
        assert_eq!(
            in_cell(&all, "Share the slides; please", ";"),
            Answer::Text("Share the slides; please")
        );
        assert!(all.shows(1) && all.shows(1000));
        let some = text(Some(vec![2, 3]));
        assert!(!some.shows(1) && some.shows(2) && some.shows(3) && !some.shows(4));
        assert!(!text(Some(Vec::new())).shows(1));
        let mut t = Tally::new(&some);
        for (n, answer) in ["first", "second", "third", "fourth"].into_iter().enumerate() {
            t.add_text(answer, some.shows(n + 1));
        }
        t.add_blank();
        assert_eq!(t.texts, ["second", "third"]);
        assert_eq!((t.text_count, t.answered, t.blank), (4, 4, 1));
    }

    #[test]
    fn long_answers_are_cut_at_a_bound() {
        assert_eq!(cut_at("short"), 5);
        let long = "é".repeat(MAX_ANSWER + 10);
        assert_eq!(cut_at(&long), 2 * MAX_ANSWER);
        let lines = "a\n".repeat(200);
        assert_eq!(cut_at(&lines), 2 * MAX_ANSWER_LINES - 1);
        assert_eq!(cut_answer("short"), None);
        assert_eq!(cut_answer(&"a".repeat(MAX_ANSWER)), None);
        let cut = cut_answer(&format!("{} {}", "é".repeat(MAX_ANSWER - 1), "b".repeat(9))).unwrap();
        assert_eq!((cut.chars, cut.left), (MAX_ANSWER + 9, 9));
        assert_eq!(cut.text, format!("{}…", "é".repeat(MAX_ANSWER - 1)));
        let cut = cut_answer(&lines).unwrap();
        assert_eq!((cut.chars, cut.left), (400, 201));
        assert!(cut.text.ends_with("a…") && cut.text.matches('\n').count() == MAX_ANSWER_LINES - 1);
    }

    #[test]
    fn counts_are_added_row_by_row_to_the_question_they_name() {
        let questions = [
            Question { source: "How satisfied?".into(), ..scale("satisfaction") },
            choice(&TOPICS),
        ];
        let mut counts = Counts::new(&questions);
        assert_eq!(counts.question(" how  SATISFIED? "), Some(0));
        assert_eq!(counts.question("Q"), Some(1));
        assert_eq!(counts.question("How useful?"), None);
        assert_eq!(counts.add(0, 0, 4, 2), Ok(()));
        assert_eq!(counts.add(0, 2, 1, 3), Ok(()));
        assert_eq!(counts.add(1, 0, 2, 4), Ok(()));
        assert_eq!(counts.add(1, 3, 3, 5), Ok(()));
        let tallies = counts.clone().finish(Some(8));
        assert_eq!(tallies[0].counts, [4, 0, 1, 0, 0]);
        // A scale's answers are its counts; a multiple choice's, every
        // respondent (their picks add up to more).
        assert_eq!((tallies[0].answered, tallies[0].blank), (5, 3));
        assert_eq!(tallies[1].counts, [2, 0, 0, 3]);
        assert_eq!((tallies[1].answered, tallies[1].blank), (8, 0));
        // Without the respondents, the picks; nobody counts as blank.
        let tallies = counts.finish(None);
        assert_eq!((tallies[0].answered, tallies[0].blank), (5, 0));
        assert_eq!((tallies[1].answered, tallies[1].blank), (5, 0));
    }

    #[test]
    fn a_second_row_for_one_option_is_refused() {
        let questions = [scale("satisfaction")];
        let mut counts = Counts::new(&questions);
        assert_eq!(counts.add(0, 1, 4, 2), Ok(()));
        assert_eq!(counts.add(0, 2, 1, 3), Ok(()));
        assert_eq!(counts.add(0, 1, 6, 5), Err(2));
        // A third names the second.
        assert_eq!(counts.add(0, 1, 7, 9), Err(5));
        // The first count stands.
        assert_eq!(counts.finish(None)[0].counts, [0, 4, 1, 0, 0]);
    }

    #[test]
    fn counts_over_the_respondents() {
        let q = choice(&TOPICS);
        let mut t = Tally::new(&q);
        t.counts = vec![3, 5, 6, 1];
        t.tallied(q.kind, Some(5));
        assert_eq!(t.over(&q, 5), Some(Over::Picks { option: 2, count: 6 }));
        assert_eq!(t.over(&q, 6), None);
        let q = scale("satisfaction");
        let mut t = Tally::new(&q);
        t.counts = vec![3, 2, 1, 0, 0];
        t.tallied(q.kind, Some(5));
        assert_eq!((t.answered, t.blank), (6, 0));
        assert_eq!(t.over(&q, 5), Some(Over::Answers(6)));
        assert_eq!(t.over(&q, 6), None);
        let q = text(None);
        let mut t = Tally::new(&q);
        t.tallied_texts(Some(7), Some(5));
        assert_eq!((t.answered, t.blank), (7, 0));
        assert_eq!(t.over(&q, 5), Some(Over::Answers(7)));
    }

    #[test]
    fn a_tallied_surveys_free_text_answers() {
        let q = text(None);
        let mut t = Tally::new(&q);
        t.texts = vec!["a".into(), "b".into()];
        t.text_count = 2;
        t.tallied_texts(None, Some(10));
        assert_eq!((t.text_count, t.answered, t.blank), (2, 2, 8));
        // The record's `answered:` counts answers the file does not list.
        t.tallied_texts(Some(6), None);
        assert_eq!((t.text_count, t.answered, t.blank), (6, 6, 0));
        assert_eq!(t.texts, ["a", "b"]);
    }

    #[test]
    fn durations_print_as_minutes_and_seconds() {
        assert_eq!(duration_text(31 * 60 + 47), "31:47");
        assert_eq!(duration_text(59), "0:59");
        assert_eq!(duration_text(3723), "1:02:03");
    }
}
