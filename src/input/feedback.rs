//! The feedback survey: question definitions from the record, and the
//! answers, streamed from a raw export or read from pre-tallied counts.

use std::io::BufReader;

use serde_saphyr::Spanned;

use super::Context;
use super::record;
use crate::diag::{Code, Diagnostic, Span};
use crate::model::survey::{
    self, Choice, Kind, Question, QuestionResult, Survey, Tally, duration_text, normalise,
};

/// The largest raw export read, in bytes. It is streamed, never held whole.
const MAX_EXPORT_BYTES: u64 = 128 << 20;

/// Exports up to this size are also kept whole, so that diagnostics can
/// show the offending line.
const SHOWN_EXPORT_BYTES: u64 = 1 << 20;

/// The refusal of a field of tallied surveys in a survey read from a raw
/// export, which counts it itself.
fn for_tallies(field: &str) -> Diagnostic {
    Diagnostic::error(
        Code::FeedbackSource,
        format!("`{field}` is for tallied surveys; with `responses:`, the export's rows give it"),
    )
    .hint(format!("remove `{field}:`, or give the counts with `tallies:` instead of `responses:`"))
}

/// The most free-text answers of an export printed in all.
const MAX_KEPT_ANSWERS: usize = 20_000;

/// The largest count a tallies file holds.
const MAX_COUNT: u64 = 1_000_000_000;

/// Unknown answers reported per file before the rest are only counted.
const MAX_ANSWER_ERRORS: usize = 20;

impl Context {
    /// The survey of a feedback annex, if it has questions.
    pub(super) fn survey(&mut self, f: &record::Feedback) -> Option<Option<Survey>> {
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
        let questions: Vec<Option<Question>> =
            f.questions.iter().map(|q| self.question(q)).collect();
        let questions: Vec<Question> = questions.into_iter().collect::<Option<_>>()?;
        // A matrix (grid) question is a question per row, each with the
        // record's definition.
        let mut specs: Vec<&Spanned<record::Question>> = Vec::new();
        let mut expanded = Vec::new();
        for (spec, q) in f.questions.iter().zip(questions) {
            match &spec.value.rows {
                Some(rows) => {
                    for (i, row) in rows.iter().enumerate() {
                        let mut one = q.clone();
                        one.title = format!("{} – {}", q.title, row.trim());
                        one.row = Some((i, row.trim().to_owned()));
                        specs.push(spec);
                        expanded.push(one);
                    }
                }
                None => {
                    specs.push(spec);
                    expanded.push(q);
                }
            }
        }
        let questions = expanded;

        let (tallies, respondents, average) = match (&f.responses, &f.tallies) {
            (Some(path), None) => {
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
                if told {
                    return None;
                }
                let (tallies, respondents, average) =
                    self.tally_export(path, &questions, &specs, f)?;
                let average = average.map(duration_text);
                (tallies, Some(respondents), average)
            }
            (None, Some(path)) => {
                let respondents = f.respondents.as_ref().map(|r| r.value);
                let mut tallies = self.tally_counts(path, &questions, respondents, f)?;
                for ((spec, q), tally) in specs.iter().copied().zip(&questions).zip(&mut tallies) {
                    self.text_answers(&spec.value, q, tally, respondents)?;
                }
                let average = match &f.average_time {
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
                };
                (tallies, respondents, average)
            }
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

        // The answers `show` picks must exist.
        for ((spec, q), tally) in specs.iter().copied().zip(&questions).zip(&tallies) {
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

    fn question(&mut self, spanned: &Spanned<record::Question>) -> Option<Question> {
        // A question that lost a value to a problem already reported would
        // only be tallied wrongly.
        if self.damaged(spanned) {
            return None;
        }
        let q = &spanned.value;
        let source = q.column.clone().unwrap_or_else(|| q.title.clone());
        let kind = match &q.kind {
            Some(k) => match k.value.trim() {
                "scale" => Kind::Scale,
                "rating" => Kind::Rating,
                "choice" => Kind::Choice,
                "text" => Kind::Text,
                other => {
                    self.error_at(
                        k,
                        Diagnostic::error(
                            Code::QuestionKind,
                            format!("`{other}` is not a kind of question"),
                        )
                        .hint("the kinds are `scale`, `rating`, `choice` and `text`"),
                    );
                    return None;
                }
            },
            None => match (&q.scale, &q.options) {
                (Some(s), _) if matches!(&s.value, record::Scale::Named(n) if range(n).is_some()) => {
                    Kind::Rating
                }
                (Some(_), _) => Kind::Scale,
                (None, Some(_)) => Kind::Choice,
                (None, None) => Kind::Text,
            },
        };

        let mut options: Vec<Choice> = match kind {
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
                self.scale(scale, kind, q.labels.as_ref())?
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
                list.iter()
                    .map(|o| Choice {
                        label: o.clone(),
                        spellings: vec![normalise(o)],
                        value: None,
                    })
                    .collect()
            }
            Kind::Text => Vec::new(),
        };
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

    fn scale(
        &mut self,
        scale: &Spanned<record::Scale>,
        kind: Kind,
        labels: Option<&std::collections::BTreeMap<i64, String>>,
    ) -> Option<Vec<Choice>> {
        let choice = |label: String, value: f64, extra: Vec<String>| {
            let mut spellings = vec![normalise(&label)];
            spellings.extend(extra.iter().map(|e| normalise(e)));
            Choice { label, spellings, value: Some(value) }
        };
        match &scale.value {
            record::Scale::Named(name) => {
                if let Some((low, high)) = range(name) {
                    if let Some(off) = labels
                        .into_iter()
                        .flatten()
                        .map(|(v, _)| *v)
                        .find(|v| !(low..=high).contains(v))
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
                    return Some(
                        (low..=high)
                            .map(|v| {
                                let number = v.to_string();
                                match labels.and_then(|l| l.get(&v)) {
                                    Some(text) => choice(
                                        format!("{v} - {text}"),
                                        v as f64,
                                        vec![number, text.clone()],
                                    ),
                                    None => choice(number, v as f64, Vec::new()),
                                }
                            })
                            .collect(),
                    );
                }
                if kind == Kind::Rating {
                    self.error_at(
                        scale,
                        Diagnostic::error(
                            Code::QuestionScale,
                            format!("`{name}` is not a rating range"),
                        )
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
                        Diagnostic::error(Code::QuestionScale, format!("no scale named `{name}`"))
                            .hint(format!(
                                "the named scales are {}; or list the labels, best first",
                                survey::PRESETS.join(", ")
                            ))
                    };
                    self.error_at(scale, d);
                    return None;
                };
                Some(
                    preset.into_iter().map(|(l, v, english)| choice(l, v, vec![english])).collect(),
                )
            }
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

    /// Tallies a raw export, as its survey tool gave it (a CSV file,
    /// streamed, or a workbook; the tool recognised by the export's shape):
    /// the counts of each question, the respondents, and their average time
    /// to complete in seconds where the export has start and end times.
    fn tally_export(
        &mut self,
        path: &Spanned<String>,
        questions: &[Question],
        specs: &[&Spanned<record::Question>],
        f: &record::Feedback,
    ) -> Option<(Vec<Tally>, u64, Option<u64>)> {
        let name = self.folder.display_name(&path.value);
        let (mut file, size) = match self.folder.open(&path.value, MAX_EXPORT_BYTES) {
            Ok(opened) => opened,
            Err(d) => {
                self.error_at(path, d);
                return None;
            }
        };
        let mut head = [0u8; 8];
        let got = std::io::Read::read(&mut file, &mut head).unwrap_or(0);
        let head = &head[..got];
        let mut rows = if super::sheet::is_workbook(head) {
            let mut bytes = head.to_vec();
            if let Err(e) = std::io::Read::read_to_end(&mut file, &mut bytes) {
                self.error(
                    Diagnostic::error(Code::UnreadableFile, format!("cannot read `{name}`: {e}"))
                        .in_file(&name),
                );
                return None;
            }
            let which = super::sheet::Which {
                sheet: f.sheet.as_ref().map(|s| match &s.value {
                    record::SheetName::Number(n) => super::sheet::SheetRef::Number(*n as usize),
                    record::SheetName::Name(n) => super::sheet::SheetRef::Name(n.clone()),
                }),
                header_row: f.header_row.as_ref().map(|h| h.value as usize),
            };
            // A sheet streams row by row.
            match super::sheet::stream(std::mem::take(&mut bytes), &which) {
                Ok((sheet, rows)) => {
                    Rows::Stream { rows, origin: super::sheet::Origin { sheet, first_column: 0 } }
                }
                Err(d) => {
                    self.error(d.in_file(&name));
                    return None;
                }
            }
        } else {
            if size <= SHOWN_EXPORT_BYTES
                && let Ok(text) =
                    self.folder.read_text_in(&path.value, SHOWN_EXPORT_BYTES, self.options.encoding)
            {
                self.out.sources.insert(&name, text);
            }
            let file = std::io::Read::chain(std::io::Cursor::new(head.to_vec()), file);
            // Decoded as it streams: UTF-8 strictly (bad bytes are a CSV
            // error naming the line), other encodings as the command line
            // says.
            let decoded: Box<dyn std::io::Read> = match self.options.encoding {
                crate::files::Encoding::Utf8 => Box::new(file),
                other => Box::new(
                    encoding_rs_io::DecodeReaderBytesBuilder::new()
                        .encoding(Some(other.encoding_rs()))
                        .build(file),
                ),
            };
            let mut buffered = BufReader::new(decoded);
            let delimiter = match self.options.delimiter {
                Some(d) => d,
                None => {
                    use std::io::BufRead;
                    let head = buffered.fill_buf().map(|b| b.to_vec()).unwrap_or_default();
                    let first = String::from_utf8_lossy(&head);
                    super::table::sniff_delimiter(first.lines().next().unwrap_or(""))
                }
            };
            let reader = csv::ReaderBuilder::new()
                .flexible(true)
                .has_headers(false)
                .delimiter(delimiter)
                .from_reader(super::table::Lines::new(buffered));
            Rows::Csv { reader: Box::new(reader), delimiter, record: csv::StringRecord::new() }
        };
        let place = rows.place();
        // The header row, and SurveyMonkey's second one.
        let first = match rows.next(self, &name) {
            Some(Ok((_, cells))) => cells,
            Some(Err(())) => return None,
            None => {
                self.error(
                    Diagnostic::error(Code::CsvNoHeader, format!("`{name}` is empty"))
                        .in_file(&name)
                        .hint("download the export again from the survey tool"),
                );
                return None;
            }
        };
        let first: Vec<String> =
            first.iter().map(|s| s.trim_start_matches('\u{feff}').trim().to_owned()).collect();
        let second = if super::export::shape(&first) == super::export::Shape::SurveyMonkey {
            match rows.next(self, &name) {
                Some(Ok((_, cells))) => Some(cells),
                Some(Err(())) => return None,
                None => None,
            }
        } else {
            None
        };
        let columns = super::export::Columns::new(first, second);
        let headers = columns.headings.clone();
        let mut plans = Vec::new();
        for (q, spec) in questions.iter().zip(specs) {
            match columns.plan(q) {
                Some(plan) => plans.push(plan),
                None => {
                    // The record names the column: the problem is there.
                    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
                    let wanted = match &q.row {
                        Some((_, row)) => format!("{} [{row}]", q.source),
                        None => q.source.clone(),
                    };
                    let hint = match super::closest(&wanted, &names) {
                        Some(best) => format!(
                            "did you mean `{best}`? Name the export's column with `column:`, exactly as its header reads"
                        ),
                        None if columns.shape == super::export::Shape::Plain => format!(
                            "name the export's column with `column:`, exactly as its header reads; its columns are: {}. \
                             The export's shape is none the tool knows: {}",
                            names.join(", "),
                            super::export::KNOWN
                        ),
                        None => format!(
                            "name the export's column with `column:`, exactly as its header reads (a {} export); its columns are: {}",
                            columns.shape.name(),
                            names.join(", ")
                        ),
                    };
                    let d = Diagnostic::error(
                        Code::UnknownColumn,
                        format!("`{name}` has no column `{wanted}`"),
                    )
                    .hint(hint);
                    self.error_at(spec, d);
                }
            }
        }
        // The columns of write-ins the record names.
        let mut other_columns = Vec::new();
        for (q, spec) in questions.iter().zip(specs) {
            let column = match &q.other_column {
                Some(wanted) => {
                    match headers.iter().position(|h| normalise(h) == normalise(wanted)) {
                        Some(c) => Some(c),
                        None => {
                            self.error_at(
                                spec,
                                Diagnostic::error(
                                    Code::UnknownColumn,
                                    format!("`{name}` has no column `{wanted}` (`other_column`)"),
                                )
                                .hint(format!("its columns are: {}", headers.join(", "))),
                            );
                            None
                        }
                    }
                }
                None => None,
            };
            other_columns.push(column);
        }
        if plans.len() != questions.len()
            || other_columns
                .iter()
                .zip(questions)
                .any(|(c, q)| c.is_none() && q.other_column.is_some())
        {
            return None;
        }
        let (start, completion) = columns.times();
        let separator = columns.separator();

        let mut tallies: Vec<Tally> = questions.iter().map(Tally::new).collect();
        let others: Vec<Option<usize>> = questions
            .iter()
            .map(|q| q.options.iter().position(|o| super::export::is_other(&o.label)))
            .collect();
        let mut respondents = 0u64;
        let (mut seconds, mut timed) = (0u64, 0u64);
        let mut errors = 0usize;
        // Rows with more or fewer fields than the header.
        let mut ragged = 0usize;
        // The free-text answers kept to print.
        let mut kept = 0usize;
        // The first row that ends before it starts, and how many do.
        let mut backwards: Option<(usize, usize)> = None;
        let mut picked = Vec::new();
        while let Some(row) = rows.next(self, &name) {
            let Ok((line, record)) = row else { return None };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if self.options.encoding != crate::files::Encoding::Utf8
                && let Some(field) = record.iter().position(|cell| cell.contains('\u{fffd}'))
            {
                let d = Diagnostic::error(
                    Code::NotUtf8,
                    format!(
                        "{} holds bytes that are not text in the encoding given",
                        place.line(line)
                    ),
                )
                .hint("check the encoding the file was saved in; UTF-8 needs no `--encoding`");
                let d = self.at_cell(d, &name, &place, line, field, "");
                self.error(d);
                return None;
            }
            if let Some((field, c)) = record
                .iter()
                .enumerate()
                .find_map(|(i, cell)| super::text::unprintable(cell).map(|(_, c)| (i, c)))
            {
                let d =
                    self.at_cell(super::text::unprintable_error(c), &name, &place, line, field, "");
                self.error(d);
                return None;
            }
            if record.len() != headers.len() && place.is_csv() {
                ragged += 1;
                if ragged <= MAX_ANSWER_ERRORS {
                    let (message, hint) = super::table::field_count(
                        record.len(),
                        headers.len(),
                        line,
                        place.delimiter(),
                    );
                    let span = self.line_span(&name, line);
                    self.error(
                        Diagnostic::error(Code::CsvFieldCount, message)
                            .in_file(&name)
                            .at(span)
                            .hint(hint),
                    );
                }
                continue;
            }
            respondents += 1;
            let cell_of = |i: usize| record.get(i).map_or("", |c| c.trim());
            if let (Some(s), Some(c)) = (start, completion)
                && let (Some(s), Some(c)) = (parse_time(cell_of(s)), parse_time(cell_of(c)))
            {
                if c >= s {
                    seconds += (c - s) as u64;
                    timed += 1;
                } else {
                    backwards.get_or_insert((line, 0)).1 += 1;
                }
            }
            for (qi, q) in questions.iter().enumerate() {
                let tally = &mut tallies[qi];
                let (column, cell, mut written) = match &plans[qi] {
                    super::export::Plan::Cell { column, .. } => {
                        (*column, cell_of(*column), Vec::new())
                    }
                    super::export::Plan::Options { options, other, chosen } => {
                        picked.clear();
                        let mut written = Vec::new();
                        for &(c, o) in options {
                            if chosen.matches(cell_of(c)) {
                                if o == usize::MAX {
                                    written.push(headers[c].clone());
                                } else if !picked.contains(&o) {
                                    picked.push(o);
                                }
                            }
                        }
                        if let Some(c) = other {
                            let text = cell_of(*c);
                            if !text.is_empty() && !chosen_marker(text) {
                                written.push(text.to_owned());
                            } else if chosen.matches(text)
                                && let Some(o) = others[qi]
                                && !picked.contains(&o)
                            {
                                picked.push(o);
                            }
                        }
                        if picked.is_empty() && written.is_empty() {
                            tally.add_blank();
                            continue;
                        }
                        let column = options.first().map_or(0, |(c, _)| *c);
                        (column, "", written)
                    }
                };
                if let (Some(c), super::export::Plan::Cell { .. }) = (other_columns[qi], &plans[qi])
                {
                    let text = cell_of(c);
                    if !text.is_empty() {
                        written.push(text.to_owned());
                    }
                }
                if matches!(plans[qi], super::export::Plan::Cell { .. }) {
                    if cell.is_empty() && written.is_empty() {
                        tally.add_blank();
                        continue;
                    }
                    if q.kind == Kind::Text {
                        if cell.chars().count() > super::text::MAX_PARAGRAPH {
                            let d = super::text::too_long(cell.chars().count());
                            let d = self.at_cell(d, &name, &place, line, column, "");
                            self.error(d);
                            return None;
                        }
                        let n = tally.text_count as usize + 1;
                        let keep = q.selected.as_ref().is_none_or(|s| s.contains(&n));
                        if keep {
                            kept += 1;
                            if kept > MAX_KEPT_ANSWERS {
                                self.error_at(
                                    path,
                                    Diagnostic::error(
                                        Code::OutOfRange,
                                        format!("the export holds more than {MAX_KEPT_ANSWERS} free-text answers to print"),
                                    )
                                    .hint("print a selection of each question's answers with `show: [1, 5, 9]`, or `show: none`"),
                                );
                                return None;
                            }
                            self.check_answer_glyphs(&name, &place, line, column, cell);
                        }
                        tally.add_text(cell, keep);
                        continue;
                    }
                    picked.clear();
                    if q.kind == Kind::Choice {
                        let (found, unknown) = super::export::split_choices(cell, separator, q);
                        picked.extend(found);
                        written.extend(unknown);
                    } else {
                        match q.option_of(&normalise(cell)) {
                            Some(o) => picked.push(o),
                            None => written.push(cell.to_owned()),
                        }
                    }
                }
                // Write-ins count as the question's "Other", their text kept;
                // without an "Other", they are mistakes.
                for text in written {
                    match others[qi] {
                        Some(o) if q.kind == Kind::Choice => {
                            if !picked.contains(&o) {
                                picked.push(o);
                            }
                            self.check_answer_glyphs(&name, &place, line, column, &text);
                            tally.texts.push(text);
                        }
                        _ => {
                            errors += 1;
                            if errors <= MAX_ANSWER_ERRORS {
                                let d = self.unknown_answer(
                                    &name, &place, line, column, &headers, &text, q,
                                );
                                self.error(d);
                            }
                        }
                    }
                }
                tally.add_options(&picked);
            }
        }
        if errors > MAX_ANSWER_ERRORS {
            self.error(
                Diagnostic::error(
                    Code::UnknownAnswer,
                    format!(
                        "{} more answers are not on their question's scale",
                        errors - MAX_ANSWER_ERRORS
                    ),
                )
                .in_file(&name)
                .hint("map other spellings to options with `map:` in the question"),
            );
        }
        if ragged > MAX_ANSWER_ERRORS {
            self.error(
                Diagnostic::error(
                    Code::CsvFieldCount,
                    format!(
                        "{} more rows have more or fewer fields than the header",
                        ragged - MAX_ANSWER_ERRORS
                    ),
                )
                .in_file(&name),
            );
        }
        if errors > 0 || ragged > 0 {
            return None;
        }
        if respondents == 0 {
            self.error_at(
                path,
                Diagnostic::error(Code::FeedbackSource, format!("`{name}` holds no responses, only its header"))
                    .hint("download the export again once the survey has answers, or leave the feedback annex out"),
            );
            return None;
        }
        if let Some((line, count)) = backwards {
            let more = match count {
                1 => String::new(),
                n => format!(" (and {} more rows)", n - 1),
            };
            let d = Diagnostic::warning(
                Code::InvalidTime,
                format!("on {}{more}, the completion time is before the start time", place.line(line)),
            )
            .hint("such rows are left out of the average time to complete; check the export's clock columns");
            let d = match &place {
                Place::Csv(_) => d.in_file(&name).at(self.line_span(&name, line)),
                Place::Sheet(_) => d.in_file(&name),
            };
            self.error(d);
        }
        let average = (timed > 0).then(|| (seconds + timed / 2) / timed);
        Some((tallies, respondents, average))
    }

    /// `d` at the cell of `field` (0-based) on `line` of the export `name`
    /// (a CSV line, or a sheet's row), pointing at `answer` in it where the
    /// CSV file's text is kept.
    fn at_cell(
        &self,
        d: Diagnostic,
        name: &str,
        place: &Place,
        line: usize,
        field: usize,
        answer: &str,
    ) -> Diagnostic {
        match place {
            Place::Csv(delimiter) => {
                d.in_file(name).at(self.cell_span(name, line, field, *delimiter, answer))
            }
            Place::Sheet(origin) => {
                let mut d = d.in_file(name);
                d.message = format!("{} ({})", d.message, origin.cell(line, field));
                d
            }
        }
    }

    /// Notes the characters of a printed answer that no font has.
    fn check_answer_glyphs(
        &mut self,
        name: &str,
        place: &Place,
        line: usize,
        field: usize,
        text: &str,
    ) {
        match place {
            Place::Csv(delimiter) => {
                let span = self.cell_span(name, line, field, *delimiter, text);
                let source = self.out.sources.get(name).unwrap_or("").to_owned();
                self.glyphs.check_at(name, &source, text, span);
            }
            Place::Sheet(_) => self.glyphs.check(name, "", text, 0, 0),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn unknown_answer(
        &self,
        file: &str,
        place: &Place,
        line: usize,
        field: usize,
        headers: &[String],
        answer: &str,
        q: &Question,
    ) -> Diagnostic {
        let labels: Vec<&str> = q.options.iter().map(|o| o.label.as_str()).collect();
        let d = Diagnostic::error(
            Code::UnknownAnswer,
            format!(
                "`{answer}` on {}, field {} (`{}`), is not an option of this question",
                place.line(line),
                field + 1,
                headers.get(field).map_or("", String::as_str)
            ),
        )
        .hint(format!(
            "the options are: {}; map other spellings with `map: {{{answer}: ...}}`{}",
            labels.join(", "),
            if q.kind == Kind::Choice {
                ", or add an `Other` option to count write-ins"
            } else {
                ""
            }
        ));
        self.at_cell(d, file, place, line, field, answer)
    }

    /// The span of `answer` in field `field` (0-based) of `line`, where the
    /// file's text is kept; else the line alone (its column unknown).
    fn cell_span(
        &self,
        file: &str,
        line: usize,
        field: usize,
        delimiter: u8,
        answer: &str,
    ) -> Span {
        let whole = self.line_span(file, line);
        let Some(text) = self.out.sources.get(file) else { return whole };
        let line_text = &text[whole.bytes.clone()];
        let Some(cell) = super::table::field_spans(line_text, delimiter).get(field).cloned() else {
            return whole;
        };
        let start = whole.bytes.start + cell.start;
        match line_text[cell.clone()].find(answer).filter(|_| !answer.is_empty()) {
            Some(i) => Span::from_offset(text, start + i, answer.len()),
            None => Span::from_offset(text, start, cell.len()),
        }
    }

    /// The span of `line` in `file` if its text is kept, else the bare line.
    fn line_span(&self, file: &str, line: usize) -> Span {
        match self.out.sources.get(file) {
            Some(text) => Span::line_of(text, line),
            None => Span { line, column: 1, bytes: 0..0 },
        }
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
                let keep = q.selected.as_ref().is_none_or(|s| s.contains(&(i + 1)));
                if keep {
                    tally.texts.push(row[column].clone());
                }
            }
            tally.text_count = table.rows.len() as u64;
        }
        tally.text_count = spec.answered.as_ref().map_or(tally.text_count, |a| a.value);
        tally.answered = tally.text_count;
        tally.blank = respondents.map_or(0, |r| r.saturating_sub(tally.answered));
        Some(())
    }

    /// Reads pre-tallied counts, `question, option, count`.
    fn tally_counts(
        &mut self,
        path: &Spanned<String>,
        questions: &[Question],
        respondents: Option<u64>,
        f: &record::Feedback,
    ) -> Option<Vec<Tally>> {
        let (name, table) = self.table_file(path, f.sheet.as_ref(), f.header_row.as_ref())?;
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
        let mut tallies: Vec<Tally> = questions.iter().map(Tally::new).collect();
        let mut failed = false;
        for (row, &line) in table.rows.iter().zip(&table.lines) {
            let Some(qi) =
                questions.iter().position(|q| normalise(&q.source) == normalise(&row[qc]))
            else {
                continue;
            };
            let q = &questions[qi];
            let count: u64 = match row[cc].trim().parse() {
                Ok(c) if c <= MAX_COUNT => c,
                _ => {
                    failed = true;
                    let d = Diagnostic::error(
                        Code::NotACount,
                        format!("`{}` on {} is not a count", row[cc], table.place(line, Some(cc))),
                    )
                    .hint("counts are whole numbers up to a billion: 0, 1, 2, ...");
                    let d = self.at_row(d, &name, &table, line);
                    self.error(d);
                    continue;
                }
            };
            match q.option_of(&normalise(&row[oc])) {
                Some(o) => tallies[qi].counts[o] = tallies[qi].counts[o].saturating_add(count),
                None => {
                    failed = true;
                    let place = match &table.origin {
                        Some(origin) => Place::Sheet(origin.clone()),
                        None => Place::Csv(table.delimiter),
                    };
                    let d =
                        self.unknown_answer(&name, &place, line, oc, &table.headers, &row[oc], q);
                    self.error(d);
                }
            }
        }
        if failed {
            return None;
        }
        for (q, tally) in questions.iter().zip(&mut tallies) {
            let counted: u64 = tally.counts.iter().sum();
            tally.answered = match q.kind {
                Kind::Choice => respondents.unwrap_or(counted),
                _ => counted,
            };
            tally.blank = respondents.map_or(0, |r| r.saturating_sub(tally.answered));
        }
        Some(tallies)
    }
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

/// A timestamp of a survey export, as seconds since the epoch (UTC; only
/// differences matter). Microsoft Forms writes `11/17/22 10:03:12` or with a
/// four-digit year, others ISO 8601.
/// Where an export's rows come from, for diagnostics.
enum Place {
    /// A CSV file with this delimiter: rows are lines of its text.
    Csv(u8),
    /// A sheet of a workbook: rows are its rows.
    Sheet(super::sheet::Origin),
}

impl Place {
    /// "line 5", "row 5 of sheet `Responses`".
    fn line(&self, line: usize) -> String {
        match self {
            Place::Csv(_) => format!("line {line}"),
            Place::Sheet(origin) => origin.row(line),
        }
    }

    fn is_csv(&self) -> bool {
        matches!(self, Place::Csv(_))
    }

    fn delimiter(&self) -> u8 {
        match self {
            Place::Csv(d) => *d,
            Place::Sheet(_) => b',',
        }
    }
}

/// A CSV export, decoded and read as it streams.
type CsvReader = csv::Reader<super::table::Lines<BufReader<Box<dyn std::io::Read>>>>;

/// The rows of an export, header rows first: streamed from a CSV file or
/// from a sheet.
enum Rows {
    Csv {
        reader: Box<CsvReader>,
        delimiter: u8,
        record: csv::StringRecord,
    },
    /// A sheet, as it streams, from its header row on.
    Stream {
        rows: super::sheet::Stream,
        origin: super::sheet::Origin,
    },
}

impl Rows {
    fn place(&self) -> Place {
        match self {
            Rows::Csv { delimiter, .. } => Place::Csv(*delimiter),
            Rows::Stream { origin, .. } => Place::Sheet(origin.clone()),
        }
    }

    /// The next row and the line (or sheet row) it is on; `Err` once a
    /// problem that stops the reading is reported.
    fn next(&mut self, cx: &mut Context, name: &str) -> Option<Result<(usize, Vec<String>), ()>> {
        match self {
            Rows::Csv { reader, record, .. } => match reader.read_record(record) {
                Ok(true) => {
                    let line =
                        record.position().map_or(0, |p| reader.get_ref().breaks.line_at(p.byte()));
                    Some(Ok((line, record.iter().map(str::to_owned).collect())))
                }
                Ok(false) => None,
                Err(e) => {
                    cx.error(Diagnostic::error(Code::Csv, e.to_string()).in_file(name));
                    Some(Err(()))
                }
            },
            Rows::Stream { rows, .. } => match rows.recv().ok()? {
                Err(d) => {
                    cx.error(d.in_file(name));
                    Some(Err(()))
                }
                Ok(row) => Some(Ok(row)),
            },
        }
    }
}

/// Whether a write-in column holds only a mark that its option was chosen.
fn chosen_marker(text: &str) -> bool {
    matches!(text.trim().to_lowercase().as_str(), "1" | "0" | "y" | "yes" | "true" | "false")
}

fn parse_time(text: &str) -> Option<i64> {
    let text = text.trim();
    // With an offset (KoboToolbox: `2024-05-14T09:00:00.000+02:00`).
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Some(t.as_second());
    }
    for format in [
        "%Y-%m-%d %H:%M",
        "%m/%d/%y %H:%M:%S",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%y %I:%M:%S %p",
        "%m/%d/%y %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(time) = jiff::civil::DateTime::strptime(format, text) {
            return time.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp().as_second());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_timestamps_parse_in_the_usual_forms() {
        let a = parse_time("11/17/22 10:03:12").unwrap();
        let b = parse_time("11/17/2022 10:34:59").unwrap();
        assert_eq!(b - a, 31 * 60 + 47);
        assert_eq!(parse_time("11/17/2022 10:34:59 AM"), Some(b));
        assert_eq!(parse_time("2022-11-17 10:34:59"), Some(b));
        assert_eq!(parse_time("yesterday"), None);
        let kobo = parse_time("2024-05-14T09:04:00.000+02:00").unwrap();
        assert_eq!(kobo - parse_time("2024-05-14T09:00:00.000+02:00").unwrap(), 240);
        assert_eq!(
            parse_time("2024-05-14 09:04").unwrap() - parse_time("2024-05-14 09:00:00").unwrap(),
            240
        );
    }

    #[test]
    fn ranges_and_durations() {
        assert_eq!(range("1-5"), Some((1, 5)));
        assert_eq!(range("0 - 10"), Some((0, 10)));
        assert_eq!(range("satisfaction"), None);
        assert!(is_duration("31:47") && is_duration("1:02:03"));
        assert!(!is_duration("31:7") && !is_duration("31 min") && !is_duration("1:60"));
    }
}
