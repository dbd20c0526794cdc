//! A raw survey export, as its tool gave it, tallied row by row: its rows
//! streamed (`rows.rs`: a CSV file in its own encoding, or a sheet of a
//! workbook), its tool recognised from its header, each question of the
//! record found among its columns, then each row's cells counted by the
//! model ([`Question::answer`], [`Tally`]) as it streams, never held whole;
//! what the count says happened (an answer that is no option, a long
//! answer cut) is turned into diagnostics here.
//!
//! A respondent is a row with an answer: a row that holds only the tool's
//! metadata (an incomplete response of LimeSurvey's "all responses", a
//! blank submission) is no respondent, and counts in no question.

use std::borrow::Cow;

use crate::input::record::Spanned;

use super::columns::{Among, Columns, Miss, Plan};
use super::rows::{Place, Row, Rows};
use super::timing::Timing;
use super::tools::{self, Recognised, Tool};
use crate::diag::{Code, Diagnostic};
use crate::input::checks::text;
use crate::input::tables::csv as table;
use crate::input::tables::workbook;
use crate::input::{Context, record};
use crate::model::survey::{
    Answer, Cut, Kind, MAX_ANSWER, MAX_ANSWER_LINES, Picks, Question, Tally, cut_answer, normalise,
};

/// The most free-text answers of an export printed in all.
const MAX_KEPT_ANSWERS: usize = 20_000;

/// Unknown answers reported per file before the rest are only counted.
const MAX_ANSWER_ERRORS: usize = 20;

/// A survey's answers being counted, row by row.
struct Walk<'a> {
    name: &'a str,
    place: Place,
    columns: &'a Columns,
    questions: &'a [Question],
    plans: Vec<Plan>,
    /// Each question's write-in column the record names.
    other_columns: Vec<Option<usize>>,
    /// Each question's `Other` option.
    others: Vec<Option<usize>>,
    /// The columns the questions read.
    read: Vec<usize>,
    times: (Option<usize>, Option<usize>),
    timing: Timing,
    tallies: Vec<Tally>,
    /// The rows with a value, and those of respondents.
    rows: u64,
    respondents: u64,
    /// Answers that are no option of their question, and rows of another
    /// number of fields than the header's.
    errors: usize,
    ragged: usize,
    /// The free-text answers kept to print.
    kept: usize,
    /// The first free-text answer cut, and how many were.
    cut: Option<(usize, usize, usize)>,
}

impl Context {
    /// Tallies a raw export, as its survey tool gave it (a CSV file,
    /// streamed, or a workbook; the tool recognised by the export's
    /// metadata, or named by the record): the counts of each question, the
    /// respondents, and their average time to complete in seconds where
    /// the export has start and end times.
    pub(crate) fn tally_export(
        &mut self,
        path: &Spanned<String>,
        questions: &[Question],
        specs: &[&Spanned<record::Question>],
        f: &record::Feedback,
    ) -> Option<(Vec<Tally>, u64, Option<u64>)> {
        let name = self.folder.display_name(&path.value);
        let mut rows = self.open_export(path, f, &name)?;
        let (columns, pending) = self.export_header(&mut rows, &name, f)?;
        let mut walk = self.export_plan(&name, rows.place(), &columns, questions, specs)?;
        let mut pending = pending.map(Ok);
        while let Some(row) = pending.take().or_else(|| rows.next(self, &name)) {
            let Ok((line, record)) = row else { return None };
            self.tally_row(&mut walk, line, &record)?;
        }
        self.export_done(walk, path)
    }

    /// Reads the export's header: its first row, and for a tool with two
    /// header rows the second, when it is one (else it is a respondent's
    /// row, handed back). The tool is the one the record names, else the
    /// one whose metadata layout the header has.
    fn export_header(
        &mut self,
        rows: &mut Rows,
        name: &str,
        f: &record::Feedback,
    ) -> Option<(Columns, Option<Row>)> {
        let first = self.header_row(rows, name)?;
        let (tool, metadata) = self.export_tool(&first, name, f)?;
        let (second, pending) = if tool.second_header() {
            self.second_header_row(rows, name, &metadata)?
        } else {
            (None, None)
        };
        Some((Columns::new(tool, first, second, metadata), pending))
    }

    /// The tool of an export whose header is `first`: the one `tool:`
    /// names, or the one whose metadata layout the header has.
    fn export_tool(
        &mut self,
        first: &[String],
        name: &str,
        f: &record::Feedback,
    ) -> Option<(&'static dyn Tool, Vec<usize>)> {
        if let Some(key) = &f.tool {
            let Some(tool) = tools::by_key(&key.value) else {
                let d = Diagnostic::error(
                    Code::ExportShape,
                    format!("`{}` is not a survey tool the tool knows", key.value.trim()),
                )
                .hint(format!("`tool:` is one of {}", tools::keys()));
                self.error_at(key, d);
                return None;
            };
            // Its metadata where its layout puts it, else by name anywhere.
            let metadata = tools::metadata(tool, first).unwrap_or_else(|| {
                let layout = tool.layout();
                let names: Vec<&str> = layout
                    .lead
                    .iter()
                    .chain(layout.tail)
                    .flat_map(|m| m.names.iter().copied())
                    .chain(layout.anywhere.iter().copied())
                    .collect();
                (0..first.len())
                    .filter(|&i| names.iter().any(|n| first[i].eq_ignore_ascii_case(n)))
                    .collect()
            });
            return Some((tool, metadata));
        }
        match tools::recognise(first) {
            Recognised::One(tool, metadata) => Some((tool, metadata)),
            Recognised::Plain => Some((tools::PLAIN, Vec::new())),
            Recognised::Many(candidates) => {
                let names: Vec<String> = candidates
                    .iter()
                    .map(|t| format!("{} (`tool: {}`)", t.name(), t.key()))
                    .collect();
                let d = Diagnostic::error(
                    Code::ExportShape,
                    format!(
                        "`{name}` has the metadata columns of several survey tools: {}",
                        names.join(", ")
                    ),
                )
                .hint("say which tool made it with `tool:` in the feedback annex");
                match &f.responses {
                    Some(r) => self.error_at(r, d),
                    None => self.error(d.in_file(name)),
                }
                None
            }
        }
    }
}

impl Context {
    /// Finds each question's columns among the export's (every question
    /// not found reported at the record's question); the walk over its
    /// rows, ready.
    fn export_plan<'a>(
        &mut self,
        name: &'a str,
        place: Place,
        columns: &'a Columns,
        questions: &'a [Question],
        specs: &[&Spanned<record::Question>],
    ) -> Option<Walk<'a>> {
        // Questions named alike take the columns headed alike in order.
        let key = |q: &Question| (normalise(&q.source), q.row.as_ref().map(|(_, r)| normalise(r)));
        let keys: Vec<_> = questions.iter().map(key).collect();
        let (mut plans, mut failed) = (Vec::new(), false);
        for (i, (q, spec)) in questions.iter().zip(specs).enumerate() {
            let among = Among {
                occurrence: spec.value.occurrence.as_ref().map(|o| o.value as usize),
                nth: keys[..i].iter().filter(|k| **k == keys[i]).count(),
                of: keys.iter().filter(|k| **k == keys[i]).count(),
            };
            match columns.plan(q, among) {
                Ok(plan) => plans.push(plan),
                Err(miss) => {
                    failed = true;
                    let d = self.missing_column(name, columns, q, miss);
                    self.error_at(spec, d);
                }
            }
        }
        let mut other_columns = Vec::new();
        for ((q, spec), plan) in questions.iter().zip(specs).zip(&plans) {
            let Some(wanted) = &q.other_column else {
                // The tool's own, beside a question answered in one cell.
                other_columns.push(match plan {
                    Plan::Cell { column, .. } => columns.tool.other_column(columns, *column),
                    Plan::Options { .. } => None,
                });
                continue;
            };
            let found = columns.find(wanted);
            if found.is_none() {
                failed = true;
                let d = Diagnostic::error(
                    Code::UnknownColumn,
                    format!("`{name}` has no column `{wanted}` (`other_column`)"),
                )
                .hint(format!("its columns are: {}", columns.headings.join(", ")));
                self.error_at(spec, d);
            }
            other_columns.push(found);
        }
        if failed {
            return None;
        }
        let mut read: Vec<usize> = plans
            .iter()
            .flat_map(Plan::columns)
            .chain(other_columns.iter().flatten().copied())
            .collect();
        read.sort_unstable();
        read.dedup();
        Some(Walk {
            name,
            place,
            columns,
            questions,
            plans,
            other_columns,
            others: questions.iter().map(Question::other).collect(),
            read,
            times: columns.times(),
            timing: Timing::default(),
            tallies: questions.iter().map(Tally::new).collect(),
            rows: 0,
            respondents: 0,
            errors: 0,
            ragged: 0,
            kept: 0,
            cut: None,
        })
    }

    /// Why the export has no column for `q`, in words.
    fn missing_column(
        &self,
        name: &str,
        columns: &Columns,
        q: &Question,
        miss: Miss,
    ) -> Diagnostic {
        let wanted = match &q.row {
            Some((_, row)) => format!("{} [{row}]", q.source),
            None => q.source.clone(),
        };
        let letters = |cs: &[usize]| {
            cs.iter().map(|&c| workbook::column_name(c)).collect::<Vec<_>>().join(", ")
        };
        match miss {
            Miss::Ambiguous(found) => Diagnostic::error(
                Code::UnknownColumn,
                format!("`{name}` has {} columns headed `{wanted}` (columns {}), and the record names one question of that heading", found.len(), letters(&found)),
            )
            .hint("list a question for each of them, in their order, or say which this is with `occurrence:` (1 for the first, 2 for the second, ...)"),
            Miss::Occurrence(k, n) => Diagnostic::error(
                Code::UnknownColumn,
                format!("`occurrence: {k}` asks for column {k} of those headed `{wanted}`, but `{name}` has {n}"),
            )
            .hint(format!("write a number from 1 to {n}")),
            Miss::Absent => {
                let names: Vec<&str> = columns.headings.iter().map(String::as_str).collect();
                let hint = match crate::input::closest(&wanted, &names) {
                    Some(best) => format!("did you mean `{best}`? Name the export's column with `column:`, exactly as its header reads"),
                    None if columns.tool.key() == tools::PLAIN.key() => format!(
                        "name the export's column with `column:`, exactly as its header reads; its columns are: {}. \
                         The export's shape is none the tool knows: {}",
                        names.join(", "),
                        tools::known()
                    ),
                    None => format!(
                        "name the export's column with `column:`, exactly as its header reads (a {} export); its columns are: {}",
                        columns.tool.name(),
                        names.join(", ")
                    ),
                };
                Diagnostic::error(Code::UnknownColumn, format!("`{name}` has no column `{wanted}`")).hint(hint)
            }
        }
    }

    /// Counts the row on `line`, if it is a respondent's; `None` once a
    /// problem stops the reading.
    fn tally_row(&mut self, walk: &mut Walk, line: usize, record: &[String]) -> Option<()> {
        if record.iter().all(|c| c.trim().is_empty()) {
            return Some(());
        }
        let (name, place) = (walk.name, walk.place.clone());
        if let Some(field) = record.iter().position(|cell| cell.contains('\u{fffd}')) {
            let d = Diagnostic::error(Code::NotUtf8, format!("{} holds bytes that are not text in the file's encoding", place.field(line, field)))
                .hint("name the file's encoding in the record (`encoding: windows-1252`), or save it as UTF-8");
            let d = self.at_cell(d, name, &place, line, field, "");
            self.error(d);
            return None;
        }
        if let Some((field, d)) = record
            .iter()
            .enumerate()
            .find_map(|(i, cell)| text::check_printable(cell).err().map(|d| (i, d)))
        {
            // A long free-text answer is cut where it is kept, not refused.
            let d = text::placed(d, &place.field(line, field));
            let d = self.at_cell(d, name, &place, line, field, "");
            self.error(d);
            return None;
        }
        if record.len() != walk.columns.headings.len() && place.is_csv() {
            walk.ragged += 1;
            if walk.ragged <= MAX_ANSWER_ERRORS {
                let (message, hint) = table::field_count(
                    record.len(),
                    walk.columns.headings.len(),
                    line,
                    place.delimiter(),
                );
                let span = self.line_span(name, line);
                self.error(
                    Diagnostic::error(Code::CsvFieldCount, message)
                        .in_file(name)
                        .at(span)
                        .hint(hint),
                );
            }
            return Some(());
        }
        walk.rows += 1;
        if !walk.columns.answered(record, &walk.read) {
            return Some(());
        }
        walk.respondents += 1;
        let cell_of = |i: usize| record.get(i).map_or("", |c| c.trim());
        if let (Some(s), Some(c)) = walk.times {
            walk.timing.add(line, cell_of(s), cell_of(c));
        }
        for qi in 0..walk.questions.len() {
            self.tally_answer(walk, qi, line, record)?;
        }
        Some(())
    }

    /// Counts the answer of the row on `line` to question `qi`.
    fn tally_answer(
        &mut self,
        walk: &mut Walk,
        qi: usize,
        line: usize,
        record: &[String],
    ) -> Option<()> {
        let (columns, questions) = (walk.columns, walk.questions);
        let plan = &walk.plans[qi];
        let column = plan.column();
        let cells = columns.cells(plan, walk.other_columns[qi], record);
        match questions[qi].answer(cells, walk.others[qi]) {
            Answer::Blank => walk.tallies[qi].add_blank(),
            Answer::One(o) => walk.tallies[qi].add_options(&[o]),
            Answer::Text(text) => self.tally_text(walk, qi, line, column, text)?,
            Answer::Options(picks) => {
                self.write_ins(walk, qi, line, column, &picks);
                walk.tallies[qi].add_picks(picks);
            }
        }
        Some(())
    }

    /// Counts a free-text answer, kept to print if `show` picks it; one
    /// longer than [`MAX_ANSWER`] characters is cut, with a warning.
    fn tally_text(
        &mut self,
        walk: &mut Walk,
        qi: usize,
        line: usize,
        column: usize,
        cell: &str,
    ) -> Option<()> {
        let q = &walk.questions[qi];
        let keep = q.shows(walk.tallies[qi].text_count as usize + 1);
        let cell = match cut_answer(cell) {
            Some(Cut { text, chars, left }) => {
                let cut = walk.cut.get_or_insert((line, column, 0));
                cut.2 += 1;
                if walk.cut.is_some_and(|c| c.2 == 1) {
                    let d = Diagnostic::warning(
                        Code::AnswerCut,
                        format!("the answer on {} is {chars} characters long: its last {left} characters are left out of the report", walk.place.field(line, column)),
                    )
                    .hint(format!("a free-text answer prints up to {MAX_ANSWER} characters on {MAX_ANSWER_LINES} lines; shorten it in the export, or leave it out with `show:`"));
                    let d = self.at_cell(d, walk.name, &walk.place, line, column, "");
                    self.error(d);
                }
                Cow::Owned(text)
            }
            None => Cow::Borrowed(cell),
        };
        if keep {
            walk.kept += 1;
            if walk.kept > MAX_KEPT_ANSWERS {
                let d = Diagnostic::error(Code::OutOfRange, format!("the export holds more than {MAX_KEPT_ANSWERS} free-text answers to print"))
                    .hint("print a selection of each question's answers with `show: [1, 5, 9]`, or `show: none`");
                self.error(d.in_file(walk.name));
                return None;
            }
            self.check_answer_glyphs(walk.name, &walk.place.clone(), line, column, &cell);
        }
        walk.tallies[qi].add_text(&cell, keep);
        Some(())
    }

    /// The diagnostics of a respondent's `picks`: the characters of their
    /// write-ins that no font has, and their answers that are no option.
    fn write_ins(&mut self, walk: &mut Walk, qi: usize, line: usize, column: usize, picks: &Picks) {
        for text in &picks.write_ins {
            self.check_answer_glyphs(walk.name, &walk.place.clone(), line, column, text);
        }
        for text in &picks.unknown {
            walk.errors += 1;
            if walk.errors <= MAX_ANSWER_ERRORS {
                let d = self.unknown_answer(
                    walk.name,
                    &walk.place,
                    line,
                    column,
                    &walk.columns.headings,
                    text,
                    &walk.questions[qi],
                );
                self.error(d);
            }
        }
    }

    /// The end of the export: the problems counted, the respondents and the
    /// average time to complete.
    fn export_done(
        &mut self,
        mut walk: Walk,
        path: &Spanned<String>,
    ) -> Option<(Vec<Tally>, u64, Option<u64>)> {
        let name = walk.name;
        if walk.errors > MAX_ANSWER_ERRORS {
            let d = Diagnostic::error(
                Code::UnknownAnswer,
                format!(
                    "{} more answers are not on their question's scale",
                    walk.errors - MAX_ANSWER_ERRORS
                ),
            )
            .hint("map other spellings to options with `map:` in the question");
            self.error(d.in_file(name));
        }
        if walk.ragged > MAX_ANSWER_ERRORS {
            let d = Diagnostic::error(
                Code::CsvFieldCount,
                format!(
                    "{} more rows have more or fewer fields than the header",
                    walk.ragged - MAX_ANSWER_ERRORS
                ),
            );
            self.error(d.in_file(name));
        }
        if walk.errors > 0 || walk.ragged > 0 {
            return None;
        }
        if walk.respondents == 0 {
            let d = match walk.rows {
                0 => Diagnostic::error(Code::FeedbackSource, format!("`{name}` holds no responses, only its header"))
                    .hint("download the export again once the survey has answers, or leave the feedback annex out"),
                n => Diagnostic::error(
                    Code::FeedbackSource,
                    format!("`{name}` holds no responses: none of its {n} rows answers a question"),
                )
                .hint("download the export again with the complete responses, or leave the feedback annex out"),
            };
            self.error_at(path, d);
            return None;
        }
        if let Some((_, _, n)) = walk.cut
            && n > 1
        {
            let d = Diagnostic::warning(
                Code::AnswerCut,
                format!(
                    "{} more free-text answers are longer than {MAX_ANSWER} characters, and are cut",
                    n - 1
                ),
            );
            self.error(d.in_file(name));
        }
        let timed = std::mem::take(&mut walk.timing).finish();
        let more = |count: usize| match count {
            1 => String::new(),
            n => format!(" (and {} more rows)", n - 1),
        };
        let left_out = [
            timed.unread.map(|(line, n)| (line, format!("on {}{}, the start or completion time cannot be read as a time", walk.place.line(line), more(n)),
                "such rows are left out of the average time to complete; the tool reads ISO 8601 times (2024-05-14 09:30:00, with or without an offset on both) and the survey tools' own (11/17/22 10:03:12)")),
            timed.backwards.map(|(line, n)| (line, format!("on {}{}, the completion time is before the start time", walk.place.line(line), more(n)),
                "such rows are left out of the average time to complete; check the export's clock columns")),
        ];
        for (line, message, hint) in left_out.into_iter().flatten() {
            let d = Diagnostic::warning(Code::InvalidTime, message).hint(hint);
            let d = match &walk.place {
                Place::Csv(_) => d.in_file(name).at(self.line_span(name, line)),
                Place::Sheet(_) => d.in_file(name),
            };
            self.error(d);
        }
        Some((walk.tallies, walk.respondents, timed.average))
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
                let source = self.sink.sources.get(name).unwrap_or("").to_owned();
                self.glyphs.check_at(name, &source, text, span);
            }
            Place::Sheet(_) => self.glyphs.check(name, "", text, 0, 0),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn unknown_answer(
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
                "`{answer}` on {} (`{}`), is not an option of this question",
                place.field(line, field),
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
}
