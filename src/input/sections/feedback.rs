//! The feedback survey: question definitions from the record, and the
//! answers, streamed from a raw export or read from pre-tallied counts.

use crate::input::record::Spanned;

use crate::diag::{Code, Diagnostic};
use crate::input::Context;
use crate::input::record;
use crate::input::survey::Place;
use crate::input::survey::questionnaire::Questionnaire;
use crate::input::tables::Table;
use crate::model::survey::{
    self, Choice, Counts, Kind, Over, Question, QuestionResult, Survey, Tally, duration_text,
    normalise,
};

/// The refusal of a field of tallied surveys in a survey read from a raw
/// export, which counts it itself.
fn for_tallies(field: &str) -> Diagnostic {
    Diagnostic::error(
        Code::FeedbackSource,
        format!("`{field}` is for tallied surveys; with `responses:`, the export's rows give it"),
    )
    .hint(format!("remove `{field}:`, or give the counts with `tallies:` instead of `responses:`"))
}

/// The answers to a survey's questions, and what is known of those who
/// gave them.
struct Answers {
    tallies: Vec<Tally>,
    respondents: Option<u64>,
    /// The average time taken, as written.
    average: Option<String>,
}

/// The questions of a survey, each with the record's definition it comes
/// from: a matrix (grid) question is a question per row.
fn per_row(
    specs: &[Spanned<record::Question>],
    questions: Vec<Question>,
) -> (Vec<&Spanned<record::Question>>, Vec<Question>) {
    let mut definitions: Vec<&Spanned<record::Question>> = Vec::new();
    let mut expanded = Vec::new();
    for (spec, q) in specs.iter().zip(questions) {
        match &spec.value.rows {
            Some(rows) => {
                for (i, row) in rows.iter().enumerate() {
                    let mut one = q.clone();
                    one.title = format!("{} – {}", q.title, row.trim());
                    one.row = Some((i, row.trim().to_owned()));
                    definitions.push(spec);
                    expanded.push(one);
                }
            }
            None => {
                definitions.push(spec);
                expanded.push(q);
            }
        }
    }
    (definitions, expanded)
}

/// The largest count a tallies file holds.
const MAX_COUNT: u64 = 1_000_000_000;

impl Context {
    /// The survey of a feedback annex, if it has questions.
    pub(crate) fn survey(&mut self, f: &record::Feedback) -> Option<Option<Survey>> {
        if f.questions.is_empty() {
            if let Some(source) = f.responses.as_ref().or(f.tallies.as_ref()) {
                self.error_at(
                    source,
                    Diagnostic::error(Code::FeedbackQuestions, "the survey has no `questions`")
                        .hint("list the questions to print, each with its `title` and scale"),
                );
                return None;
            }
            return Some(None);
        }
        let asked = match &f.questionnaire {
            Some(path) => Some(self.questionnaire(path)?),
            None => None,
        };
        let questions: Vec<Option<Question>> =
            f.questions.iter().map(|q| self.question(q, asked.as_ref())).collect();
        let questions: Vec<Question> = questions.into_iter().collect::<Option<_>>()?;
        let (specs, questions) = per_row(&f.questions, questions);

        let Answers { tallies, respondents, average } = match (&f.responses, &f.tallies) {
            (Some(path), None) => self.exported(f, path, &questions, &specs)?,
            (None, Some(path)) => self.tallied(f, path, &questions, &specs)?,
            (both, _) => {
                let d = Diagnostic::error(
                    Code::FeedbackSource,
                    "a survey reads its answers from either `responses` or `tallies`",
                )
                .hint("`responses:` names a raw export, `tallies:` a CSV of question,option,count");
                match both {
                    Some(path) => self.error_at(path, d),
                    None => self.error_at(&f.questions[0], d),
                }
                return None;
            }
        };

        self.shown_answers(&specs, &questions, &tallies)?;
        self.invited_respondents(f, respondents)?;
        let language = self.language.as_ref()?;
        let results = questions
            .iter()
            .zip(&tallies)
            .enumerate()
            .map(|(i, (q, t))| QuestionResult::new(i + 1, q, t, language))
            .collect();
        Some(Some(Survey {
            respondents,
            invited: f.invited.as_ref().map(|i| i.value),
            response_rate: None,
            average_time: average.map(|a| language.localise_digits(&a)),
            questions: results,
            respondents_text: respondents.map(|r| language.integer(r)),
            response_rate_text: None,
        }))
    }

    /// The answers of a survey read from the raw export at `path`, once
    /// the record is found not to say what the export says itself.
    fn exported(
        &mut self,
        f: &record::Feedback,
        path: &Spanned<String>,
        questions: &[Question],
        specs: &[&Spanned<record::Question>],
    ) -> Option<Answers> {
        if self.told_of_export(f) {
            return None;
        }
        let (tallies, respondents, average) = self.tally_export(path, questions, specs, f)?;
        let average = average.map(duration_text);
        Some(Answers { tallies, respondents: Some(respondents), average })
    }

    /// Reports each field of tallied surveys that a survey read from a raw
    /// export gives; whether there was one.
    fn told_of_export(&mut self, f: &record::Feedback) -> bool {
        // What a raw export says itself, the record may not say.
        let mut told = false;
        if let Some(r) = &f.respondents {
            told = true;
            self.error_at(r, for_tallies("respondents"));
        }
        if let Some(t) = &f.average_time {
            told = true;
            self.error_at(t, for_tallies("average_time"));
        }
        for spec in &f.questions {
            if let Some(a) = &spec.value.answers {
                told = true;
                self.error_at(a, for_tallies("answers"));
            }
            if let Some(a) = &spec.value.answered {
                told = true;
                self.error_at(a, for_tallies("answered"));
            }
        }
        told
    }

    /// The answers of a survey read from the tallies file at `path`, with
    /// the free-text answers of its text questions, checked against the
    /// record's `respondents`.
    fn tallied(
        &mut self,
        f: &record::Feedback,
        path: &Spanned<String>,
        questions: &[Question],
        specs: &[&Spanned<record::Question>],
    ) -> Option<Answers> {
        let respondents = f.respondents.as_ref().map(|r| r.value);
        let mut tallies = self.tally_counts(path, questions, respondents, f)?;
        for ((spec, q), tally) in specs.iter().copied().zip(questions).zip(&mut tallies) {
            self.text_answers(&spec.value, q, tally, respondents)?;
        }
        if let Some(r) = &f.respondents {
            self.over_respondents(r, questions, &tallies)?;
        }
        let average = self.average_time(f);
        Some(Answers { tallies, respondents, average })
    }

    /// The `average_time` of a tallied survey, as written; one that is not
    /// a duration is reported.
    fn average_time(&mut self, f: &record::Feedback) -> Option<String> {
        match &f.average_time {
            Some(t) if is_duration(&t.value) => Some(t.value.trim().to_owned()),
            Some(t) => {
                self.error_at(
                    t,
                    Diagnostic::error(
                        Code::InvalidDuration,
                        format!("`{}` is not a duration", t.value),
                    )
                    .hint("write minutes and seconds as \"31:47\", or \"1:02:03\""),
                );
                None
            }
            None => None,
        }
    }

    /// Refuses a `show` that picks an answer the question does not have.
    fn shown_answers(
        &mut self,
        specs: &[&Spanned<record::Question>],
        questions: &[Question],
        tallies: &[Tally],
    ) -> Option<()> {
        // The answers `show` picks must exist.
        for ((spec, q), tally) in specs.iter().copied().zip(questions).zip(tallies) {
            let (Some(selected), Some(show)) = (&q.selected, &spec.value.show) else { continue };
            if let Some(&past) = selected.iter().find(|&&n| n as u64 > tally.text_count) {
                self.error_at(
                    show,
                    Diagnostic::error(
                        Code::QuestionShow,
                        format!(
                            "`show` picks answer {past}, but the question has {}",
                            super::body::plural(tally.text_count as usize, "answer")
                        ),
                    )
                    .hint("number the answers as the export lists them, from 1"),
                );
                return None;
            }
        }
        Some(())
    }

    /// Refuses an `invited` smaller than the number who answered.
    fn invited_respondents(
        &mut self,
        f: &record::Feedback,
        respondents: Option<u64>,
    ) -> Option<()> {
        if let (Some(invited), Some(respondents)) = (&f.invited, respondents)
            && invited.value < respondents
        {
            let d = Diagnostic::error(
                Code::OutOfRange,
                format!(
                    "`invited` is {}, fewer than the {respondents} who answered",
                    invited.value
                ),
            )
            .hint("`invited` counts everyone asked to answer, respondents included");
            self.error_at(invited, d);
            return None;
        }
        Some(())
    }

    fn question(
        &mut self,
        spanned: &Spanned<record::Question>,
        asked: Option<&Questionnaire>,
    ) -> Option<Question> {
        // A question that lost a value to a problem already reported would
        // only be tallied wrongly.
        if self.sink.damaged(spanned) {
            return None;
        }
        let q = &spanned.value;
        let source = q.column.clone().unwrap_or_else(|| q.title.clone());
        // Where the record gives no points, the questionnaire's order.
        let found = asked.and_then(|a| a.find(&source, &q.title));
        if asked.is_some()
            && found.is_none()
            && q.kind.is_none()
            && q.scale.is_none()
            && q.options.is_none()
        {
            self.sink.error_at(
                spanned,
                Diagnostic::warning(
                    Code::QuestionKind,
                    format!(
                        "`{}` is not a question of the questionnaire; it prints as free text",
                        q.title
                    ),
                )
                .hint("give the question's title as the survey has it, or its `kind`"),
            );
        }
        let surveyed = match (&q.scale, &q.options, found) {
            (None, None, Some(f)) if !f.options.is_empty() => {
                Some((f.options.as_slice(), f.kind == "multiselect"))
            }
            _ => None,
        };
        let kind = match (&q.kind, surveyed) {
            (None, Some((_, true))) => Kind::Choice,
            (None, Some((_, false))) => Kind::Scale,
            _ => self.question_kind(q)?,
        };
        let surveyed = surveyed.map(|(labels, _)| labels);
        let mut options = match surveyed {
            Some(labels) if matches!(kind, Kind::Scale | Kind::Choice) => labels
                .iter()
                .enumerate()
                .map(|(i, l)| Choice {
                    label: l.clone(),
                    spellings: vec![normalise(l)],
                    value: (kind == Kind::Scale).then_some((labels.len() - i) as f64),
                })
                .collect(),
            _ => self.choices(spanned, kind)?,
        };
        self.map_answers(spanned, &mut options)?;
        let selected = self.selected(q)?;
        Some(Question {
            title: q.title.clone(),
            source,
            kind,
            options,
            selected,
            row: None,
            other_column: q.other_column.clone(),
        })
    }

    /// The kind of a question: as its `kind` says, else as its scale or
    /// options make it.
    fn question_kind(&mut self, q: &record::Question) -> Option<Kind> {
        match &q.kind {
            Some(k) => match k.value.trim() {
                "scale" => Some(Kind::Scale),
                "rating" => Some(Kind::Rating),
                "choice" => Some(Kind::Choice),
                "text" => Some(Kind::Text),
                other => {
                    self.error_at(
                        k,
                        Diagnostic::error(
                            Code::QuestionKind,
                            format!("`{other}` is not a kind of question"),
                        )
                        .hint("the kinds are `scale`, `rating`, `choice` and `text`"),
                    );
                    None
                }
            },
            None => match (&q.scale, &q.options) {
                (Some(s), _) if matches!(&s.value, record::Scale::Named(n) if range(n).is_some()) => {
                    Some(Kind::Rating)
                }
                (Some(_), _) => Some(Kind::Scale),
                (None, Some(_)) => Some(Kind::Choice),
                (None, None) => Some(Kind::Text),
            },
        }
    }

    /// The options a question of `kind` offers: its scale's points, its
    /// `options`, or none for free text.
    fn choices(&mut self, spanned: &Spanned<record::Question>, kind: Kind) -> Option<Vec<Choice>> {
        let q = &spanned.value;
        match kind {
            Kind::Scale | Kind::Rating => {
                let Some(scale) = &q.scale else {
                    self.error_at(
                        spanned,
                        Diagnostic::error(
                            Code::QuestionScale,
                            format!("question `{}` has no `scale`", q.title),
                        )
                        .hint(format!(
                            "name a scale ({}) or list its labels, best first",
                            survey::PRESETS.join(", ")
                        )),
                    );
                    return None;
                };
                self.scale(scale, kind, q.labels.as_ref())
            }
            Kind::Choice => {
                let Some(list) = &q.options else {
                    self.error_at(
                        spanned,
                        Diagnostic::error(
                            Code::QuestionOptions,
                            format!("question `{}` has no `options`", q.title),
                        )
                        .hint("list the options a respondent may pick"),
                    );
                    return None;
                };
                Some(
                    list.iter()
                        .map(|o| Choice {
                            label: o.clone(),
                            spellings: vec![normalise(o)],
                            value: None,
                        })
                        .collect(),
                )
            }
            Kind::Text => Some(Vec::new()),
        }
    }

    /// Adds to `options` the spellings a question's `map` sends to them.
    fn map_answers(
        &mut self,
        spanned: &Spanned<record::Question>,
        options: &mut [Choice],
    ) -> Option<()> {
        let q = &spanned.value;
        for (from, to) in q.map.iter().flatten() {
            match options.iter_mut().find(|o| normalise(&o.label) == normalise(to)) {
                Some(option) => option.spellings.push(normalise(from)),
                None => {
                    let labels: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
                    self.error_at(
                        spanned,
                        Diagnostic::error(
                            Code::UnknownOption,
                            format!(
                                "`map` sends `{from}` to `{to}`, which is not an option of `{}`",
                                q.title
                            ),
                        )
                        .hint(format!("the options are: {}", labels.join(", "))),
                    );
                    return None;
                }
            }
        }
        Some(())
    }

    /// The answers a free-text question's `show` picks, by number; `None`
    /// for all of them.
    fn selected(&mut self, q: &record::Question) -> Option<Option<Vec<usize>>> {
        let selected = match &q.show {
            None => None,
            Some(show) => match &show.value {
                record::Show::Word(w) if w.trim() == "all" => None,
                record::Show::Word(w) if w.trim() == "none" => Some(Vec::new()),
                record::Show::Numbers(n) if n.iter().all(|&i| i > 0) => Some(n.clone()),
                _ => {
                    self.error_at(
                        show,
                        Diagnostic::error(
                            Code::QuestionShow,
                            "`show` is `all`, `none` or a list of answer numbers",
                        )
                        .hint("e.g. `show: [1, 4, 7]` prints the 1st, 4th and 7th answers"),
                    );
                    return None;
                }
            },
        };
        Some(selected)
    }

    /// The points of a question's scale, each with its value.
    fn scale(
        &mut self,
        scale: &Spanned<record::Scale>,
        kind: Kind,
        labels: Option<&std::collections::BTreeMap<i64, String>>,
    ) -> Option<Vec<Choice>> {
        match &scale.value {
            record::Scale::Named(name) => match range(name) {
                Some(range) => self.rating(scale, range, labels),
                None => self.named_scale(scale, name, kind, labels),
            },
            record::Scale::Valued(list) => {
                Some(list.iter().map(|l| choice(l.label.clone(), l.value, Vec::new())).collect())
            }
            record::Scale::Labels(list) => {
                let n = list.len();
                Some(
                    list.iter()
                        .enumerate()
                        .map(|(i, l)| choice(l.clone(), (n - i) as f64, Vec::new()))
                        .collect(),
                )
            }
        }
    }

    /// The points of a rating from `low` to `high`, those in `labels` with
    /// their label.
    fn rating(
        &mut self,
        scale: &Spanned<record::Scale>,
        (low, high): (i64, i64),
        labels: Option<&std::collections::BTreeMap<i64, String>>,
    ) -> Option<Vec<Choice>> {
        if let Some(off) =
            labels.into_iter().flatten().map(|(v, _)| *v).find(|v| !(low..=high).contains(v))
        {
            self.error_at(
                scale,
                Diagnostic::error(
                    Code::QuestionScale,
                    format!("`labels` names the value {off}, which is not on the scale {low}-{high}"),
                )
                .hint(format!("label values from {low} to {high}, e.g. `{{{low}: Not useful, {high}: Very useful}}`")),
            );
            return None;
        }
        // A rating: "1 - Not useful", "2", ... "5 - Very useful".
        Some(
            (low..=high)
                .map(|v| {
                    let number = v.to_string();
                    match labels.and_then(|l| l.get(&v)) {
                        Some(text) => {
                            choice(format!("{v} - {text}"), v as f64, vec![number, text.clone()])
                        }
                        None => choice(number, v as f64, Vec::new()),
                    }
                })
                .collect(),
        )
    }

    /// The points of the preset scale named `name`, in the workshop's
    /// language.
    fn named_scale(
        &mut self,
        scale: &Spanned<record::Scale>,
        name: &str,
        kind: Kind,
        labels: Option<&std::collections::BTreeMap<i64, String>>,
    ) -> Option<Vec<Choice>> {
        if kind == Kind::Rating {
            self.error_at(
                scale,
                Diagnostic::error(Code::QuestionScale, format!("`{name}` is not a rating range"))
                    .hint("write the range of a rating as `1-5` or `1-10`"),
            );
            return None;
        }
        if labels.is_some() && survey::SCALES.contains(&name.trim()) {
            self.error_at(
                scale,
                Diagnostic::error(
                    Code::QuestionScale,
                    format!("`labels` name the values of a rating, but `{name}` is a scale with labels of its own"),
                )
                .hint("remove `labels:`, or list the scale's labels yourself: `scale: [Excellent, Good, Poor]`"),
            );
            return None;
        }
        let preset = self.language.as_ref().and_then(|l| survey::preset(name.trim(), l));
        let Some(preset) = preset else {
            let d = if wide_range(name) {
                Diagnostic::error(
                    Code::QuestionScale,
                    format!("`{name}` spans more than {MAX_RATING_SPAN} points, too many to chart"),
                )
                .hint("a rating runs over at most 21 values, e.g. `0-10`; group wider answers into ranges with `options:`")
            } else {
                Diagnostic::error(Code::QuestionScale, format!("no scale named `{name}`")).hint(
                    format!(
                        "the named scales are {}; or list the labels, best first",
                        survey::PRESETS.join(", ")
                    ),
                )
            };
            self.error_at(scale, d);
            return None;
        };
        Some(preset.into_iter().map(|(l, v, english)| choice(l, v, vec![english])).collect())
    }

    /// Reads the free-text answers of a tallied survey's question from its
    /// `answers` file (the column named by `column`, else the first).
    fn text_answers(
        &mut self,
        spec: &record::Question,
        q: &Question,
        tally: &mut Tally,
        respondents: Option<u64>,
    ) -> Option<()> {
        if q.kind != Kind::Text {
            return Some(());
        }
        if let Some(path) = &spec.answers {
            let (_, table) = self.csv(path)?;
            let column = spec.column.as_deref().and_then(|c| table.column(c)).unwrap_or(0);
            for (i, row) in table.rows.iter().enumerate() {
                if q.shows(i + 1) {
                    tally.texts.push(row[column].clone());
                }
            }
            tally.text_count = table.rows.len() as u64;
        }
        tally.tallied_texts(spec.answered.as_ref().map(|a| a.value), respondents);
        Some(())
    }

    /// Refuses tallies that count more answers (for a choice: more picks of
    /// one option) than `respondents`, which would print shares over 100%.
    fn over_respondents(
        &mut self,
        respondents: &Spanned<u64>,
        questions: &[Question],
        tallies: &[Tally],
    ) -> Option<()> {
        let mut ok = true;
        for (q, tally) in questions.iter().zip(tallies) {
            let over = tally.over(q, respondents.value).map(|over| match over {
                Over::Picks { option, count } => {
                    format!("{count} picks of `{}`", q.options[option].label)
                }
                Over::Answers(n) => format!("{n} answers"),
            });
            if let Some(over) = over {
                ok = false;
                self.error_at(
                    respondents,
                    Diagnostic::error(
                        Code::CountOverRespondents,
                        format!(
                            "`{}` counts {over}, more than the {} respondents",
                            q.title, respondents.value
                        ),
                    )
                    .hint("`respondents` is everyone who answered the survey; check it and the counts"),
                );
            }
        }
        ok.then_some(())
    }

    /// The count in `cell` on `line` of the tallies file `name`.
    fn count(
        &mut self,
        name: &str,
        table: &Table,
        line: usize,
        cell: &str,
        column: usize,
    ) -> Option<u64> {
        match cell.trim().parse() {
            Ok(c) if c <= MAX_COUNT => Some(c),
            _ => {
                let d = Diagnostic::error(
                    Code::NotACount,
                    format!("`{cell}` on {} is not a count", table.place(line, Some(column))),
                )
                .hint("counts are whole numbers up to a billion: 0, 1, 2, ...");
                let d = self.at_row(d, name, table, line);
                self.error(d);
                None
            }
        }
    }

    /// Reads pre-tallied counts, `question, option, count`.
    fn tally_counts(
        &mut self,
        path: &Spanned<String>,
        questions: &[Question],
        respondents: Option<u64>,
        f: &record::Feedback,
    ) -> Option<Vec<Tally>> {
        let (name, table) = self.table_file(crate::input::TableRef {
            file: path,
            sheet: f.sheet.as_ref(),
            header_row: f.header_row.as_ref(),
            encoding: f.encoding.as_ref(),
        })?;
        let mut ok = true;
        let mut column = |cx: &mut Self, wanted: &str| {
            let found = table.column(wanted);
            if found.is_none() {
                ok = false;
                cx.error(
                    Diagnostic::error(
                        Code::UnknownColumn,
                        format!("`{name}` has no column `{wanted}`"),
                    )
                    .in_file(&name)
                    .at(cx.line_span(&name, 1))
                    .hint("a tallies file has the columns question, option and count"),
                );
            }
            found
        };
        let (qc, oc, cc) =
            (column(self, "question"), column(self, "option"), column(self, "count"));
        let (Some(qc), Some(oc), Some(cc)) = (qc, oc, cc) else { return None };
        let mut counts = Counts::new(questions);
        let mut failed = false;
        for (row, &line) in table.rows.iter().zip(&table.lines) {
            let Some(qi) = counts.question(&row[qc]) else { continue };
            let q = &questions[qi];
            let Some(count) = self.count(&name, &table, line, &row[cc], cc) else {
                failed = true;
                continue;
            };
            let Some(o) = q.option_of(&normalise(&row[oc])) else {
                failed = true;
                let place = match &table.origin {
                    Some(origin) => Place::Sheet(origin.clone()),
                    None => Place::Csv(table.delimiter),
                };
                let d = self.unknown_answer(&name, &place, line, oc, &table.headers, &row[oc], q);
                self.error(d);
                continue;
            };
            if let Err(first) = counts.add(qi, o, count, line) {
                failed = true;
                let d = Diagnostic::error(
                    Code::CountedTwice,
                    format!(
                        "`{}` of `{}` is counted on {} and again on {}",
                        q.options[o].label,
                        q.title,
                        table.place(first, None),
                        table.place(line, None)
                    ),
                )
                .hint("keep one row per question and option, with the whole count");
                let d = self.at_row(d, &name, &table, line);
                self.error(d);
            }
        }
        if failed {
            return None;
        }
        Some(counts.finish(respondents))
    }
}

/// A point of a scale: its label and value, answered as its label or as
/// any of `extra`.
fn choice(label: String, value: f64, extra: Vec<String>) -> Choice {
    let mut spellings = vec![normalise(&label)];
    spellings.extend(extra.iter().map(|e| normalise(e)));
    Choice { label, spellings, value: Some(value) }
}

/// A "1-5" range of ratings.
/// The most points a rating spans (`0-10` is eleven).
const MAX_RATING_SPAN: i64 = 20;

fn range(name: &str) -> Option<(i64, i64)> {
    let (low, high) = name.trim().split_once('-')?;
    let (low, high): (i64, i64) = (low.trim().parse().ok()?, high.trim().parse().ok()?);
    (low < high && high - low <= MAX_RATING_SPAN).then_some((low, high))
}

/// Whether `name` is a range of numbers too wide to be a rating.
fn wide_range(name: &str) -> bool {
    let Some((low, high)) = name.trim().split_once('-') else { return false };
    matches!((low.trim().parse::<i64>(), high.trim().parse::<i64>()), (Ok(l), Ok(h)) if h > l)
}

fn is_duration(text: &str) -> bool {
    let parts: Vec<&str> = text.trim().split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts[1..].iter().all(|p| p.len() == 2 && p < &"60")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_durations() {
        assert_eq!(range("1-5"), Some((1, 5)));
        assert_eq!(range("0 - 10"), Some((0, 10)));
        assert_eq!(range("satisfaction"), None);
        assert!(is_duration("31:47") && is_duration("1:02:03"));
        assert!(!is_duration("31:7") && !is_duration("31 min") && !is_duration("1:60"));
    }
}
