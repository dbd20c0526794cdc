//! The columns of a survey export, named as the record may name them, and
//! where each question's answers are among them: one cell, one cell of
//! several choices joined by the tool's separator, one column per option,
//! a matrix row.
//!
//! A cell of several choices is split by the tool's separator against the
//! question's options in the model ([`Question::split_choices`]).
//!
//! Two columns headed alike (two questions of one title, which Google
//! Forms and LimeSurvey's full-text headings write as they are) are told
//! apart by their order: the record's questions of that title take them
//! left to right, or `occurrence:` says which; they are never merged.

use super::tools::Tool;
use crate::model::survey::{Beside, Cells, Kind, Question, normalise};

/// The columns of an export.
pub struct Columns {
    /// The tool that made it.
    pub tool: &'static dyn Tool,
    /// Each column's heading (the first header row; for SurveyMonkey, a
    /// question's heading carried right over the blank cells that continue
    /// it).
    pub headings: Vec<String>,
    /// Other names each column answers to (see [`Tool::aliases`]).
    aliases: Vec<Vec<String>>,
    /// Under each heading, SurveyMonkey's second header row.
    under: Vec<String>,
    /// For each column, the first column of its heading (itself, but for
    /// SurveyMonkey's continued headings).
    group: Vec<usize>,
    /// The columns of the tool's metadata, which hold no answer.
    pub metadata: Vec<usize>,
}

/// Which of several columns headed alike a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Among {
    /// The record's `occurrence:` (from 1).
    pub occurrence: Option<usize>,
    /// The question's place among the record's questions of this heading
    /// (from 0), and their number.
    pub nth: usize,
    pub of: usize,
}

/// Why a question has no columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// No column has its heading.
    Absent,
    /// Several do (these), and the record does not say which.
    Ambiguous(Vec<usize>),
    /// `occurrence:` asks for one more than there are (this many).
    Occurrence(usize, usize),
}

impl Columns {
    /// The columns of `first` (and `second`, a second header row) of an
    /// export of `tool`, whose metadata columns are `metadata`.
    pub fn new(
        tool: &'static dyn Tool,
        first: Vec<String>,
        second: Option<Vec<String>>,
        metadata: Vec<usize>,
    ) -> Columns {
        let mut headings = first;
        let mut group: Vec<usize> = (0..headings.len()).collect();
        let under = second.unwrap_or_default();
        if tool.second_header() {
            let mut last = (String::new(), 0);
            for (i, h) in headings.iter_mut().enumerate() {
                if h.trim().is_empty() {
                    h.clone_from(&last.0);
                    group[i] = last.1;
                } else {
                    last = (h.clone(), i);
                }
            }
        }
        let aliases = headings.iter().map(|h| tool.aliases(h)).collect();
        Columns { tool, headings, aliases, under, group, metadata }
    }

    /// SurveyMonkey's second header row under column `i`.
    pub fn under(&self, i: usize) -> &str {
        self.under.get(i).map_or("", |s| s.trim())
    }

    /// The columns of the question whose heading column `column` is under
    /// (SurveyMonkey's continued headings), in order.
    pub fn same_question(&self, column: usize) -> Vec<usize> {
        let start = self.group.get(column).copied().unwrap_or(column);
        (0..self.headings.len()).filter(|&i| self.group[i] == start).collect()
    }

    /// The names column `i` answers to, normalised: its aliases, then its
    /// heading.
    pub fn names(&self, i: usize) -> impl Iterator<Item = String> + '_ {
        self.aliases[i].iter().chain(std::iter::once(&self.headings[i])).map(|n| normalise(n))
    }

    /// The first column named `name` (compared as answers are).
    pub fn find(&self, name: &str) -> Option<usize> {
        let name = normalise(name);
        (0..self.headings.len()).find(|&i| self.names(i).any(|n| n == name))
    }

    /// The columns named `name`, in order.
    pub fn all(&self, name: &str) -> Vec<usize> {
        let name = normalise(name);
        (0..self.headings.len()).filter(|&i| self.names(i).any(|n| n == name)).collect()
    }

    /// The columns whose names start with `prefix` (normalised), with the
    /// rest of the name.
    pub fn prefixed(&self, prefix: &str) -> Vec<(usize, String)> {
        let prefix = normalise(prefix);
        (0..self.headings.len())
            .filter_map(|i| {
                self.names(i).find_map(|n| n.strip_prefix(&prefix).map(|rest| (i, rest.to_owned())))
            })
            .collect()
    }

    /// Of `columns` (headed alike), the one `among` takes: by
    /// `occurrence:`, else by the question's place among those of this
    /// heading when there are as many questions as columns.
    fn pick(&self, columns: Vec<usize>, among: Among) -> Result<usize, Miss> {
        // Columns of one SurveyMonkey question are one heading: the first
        // of each question stands for it.
        let mut firsts: Vec<usize> = Vec::new();
        for c in columns {
            if firsts.last().is_none_or(|&f| self.group[f] != self.group[c]) {
                firsts.push(c);
            }
        }
        match (firsts.len(), among.occurrence) {
            (0, _) => Err(Miss::Absent),
            (n, Some(k)) if k == 0 || k > n => Err(Miss::Occurrence(k, n)),
            (_, Some(k)) => Ok(firsts[k - 1]),
            (1, None) => Ok(firsts[0]),
            (n, None) if n == among.of => Ok(firsts[among.nth]),
            _ => Err(Miss::Ambiguous(firsts)),
        }
    }

    /// Where the answers to `q` (its export name `source`, and for a
    /// matrix row, its `row`) are.
    pub fn plan(&self, q: &Question, among: Among) -> Result<Plan, Miss> {
        let source = q.source.as_str();
        if let Some((index, row)) = &q.row {
            return self.matrix_row(source, *index, row, among);
        }
        if q.kind == Kind::Choice
            && let Some(plan) = self.tool.option_columns(self, q)
        {
            return Ok(plan);
        }
        let column = self.pick(self.all(source), among)?;
        Ok(Plan::Cell { column, split: q.kind == Kind::Choice })
    }

    /// A matrix row: the question's heading with the row, as each tool
    /// writes it; the row alone (Microsoft Forms, KoboToolbox); the row
    /// under the question (SurveyMonkey); or LimeSurvey's `Q3[SQ001]`, the
    /// record's rows in order.
    fn matrix_row(
        &self,
        source: &str,
        index: usize,
        row: &str,
        among: Among,
    ) -> Result<Plan, Miss> {
        let cell = |column| Plan::Cell { column, split: false };
        if self.tool.second_header() {
            let n = normalise(row);
            let columns: Vec<usize> =
                self.all(source).into_iter().filter(|&i| normalise(self.under(i)) == n).collect();
            return self.pick(columns, among).map(cell);
        }
        let candidates = [
            format!("{source} [{row}]"),
            format!("{source}.{row}"),
            format!("{source}/{row}"),
            format!("{source} - {row}"),
            format!("{source}: {row}"),
        ];
        if let Some(columns) = candidates.iter().map(|c| self.all(c)).find(|c| !c.is_empty()) {
            return self.pick(columns, among).map(cell);
        }
        let coded: Vec<usize> =
            self.prefixed(&format!("{source}[")).into_iter().map(|(i, _)| i).collect();
        if let Some(&column) = coded.get(index) {
            return Ok(cell(column));
        }
        let alone = self.all(row);
        match alone.len() {
            1 => Ok(cell(alone[0])),
            _ => Err(Miss::Absent),
        }
    }

    /// The columns of the respondents' start and end times, where the
    /// tool has both.
    pub fn times(&self) -> (Option<usize>, Option<usize>) {
        self.tool.times(self)
    }

    /// How the tool joins several choices in one cell.
    pub fn separator(&self) -> &'static str {
        self.tool.separator()
    }

    /// The cells of a respondent's `row` that answer the question planned
    /// as `plan`, `beside` the write-in column of a question answered in one
    /// cell, where it has one; every cell trimmed.
    pub fn cells<'a>(&'a self, plan: &Plan, beside: Option<usize>, row: &'a [String]) -> Cells<'a> {
        let cell_of = |i: usize| row.get(i).map_or("", |c| c.trim());
        match plan {
            Plan::Cell { column, .. } => {
                let cell = cell_of(*column);
                Cells::One {
                    cell: if self.tool.blank(cell) { "" } else { cell },
                    separator: self.separator(),
                    beside: beside.map(|c| Beside { text: cell_of(c), label: self.under(c) }),
                }
            }
            Plan::Options { options, other, chosen } => {
                let (mut picked, mut written) = (Vec::new(), Vec::new());
                for &(c, o) in options {
                    if chosen.matches(cell_of(c)) {
                        if o == usize::MAX {
                            written.push(self.headings[c].clone());
                        } else if !picked.contains(&o) {
                            picked.push(o);
                        }
                    }
                }
                let mut other_chosen = false;
                if let Some(c) = other {
                    let text = cell_of(*c);
                    if !text.is_empty() && !chosen_marker(text) {
                        written.push(text.to_owned());
                    } else {
                        other_chosen = chosen.matches(text);
                    }
                }
                Cells::Columns { picked, written, other_chosen }
            }
        }
    }

    /// Whether a row is a respondent's: it holds an answer in a column of
    /// no metadata (for a plain table, whose metadata the tool does not
    /// know, in one of `read`, the columns the record's questions read).
    pub fn answered(&self, row: &[String], read: &[usize]) -> bool {
        let answer = |(i, cell): (usize, &String)| {
            let cell = cell.trim();
            !cell.is_empty() && !self.tool.blank(cell) && !self.metadata.contains(&i)
        };
        if self.tool.key() == super::tools::PLAIN.key() {
            return read.iter().filter_map(|&i| row.get(i).map(|c| (i, c))).any(answer);
        }
        row.iter().enumerate().any(answer)
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

impl Plan {
    /// The column its diagnostics point at: its cell, or its first option's.
    pub fn column(&self) -> usize {
        match self {
            Plan::Cell { column, .. } => *column,
            Plan::Options { options, .. } => options.first().map_or(0, |(c, _)| *c),
        }
    }

    /// The columns it reads.
    pub fn columns(&self) -> Vec<usize> {
        match self {
            Plan::Cell { column, .. } => vec![*column],
            Plan::Options { options, other, .. } => {
                options.iter().map(|(c, _)| *c).chain(*other).collect()
            }
        }
    }
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

/// Whether a write-in column holds only a mark that its option was chosen.
fn chosen_marker(text: &str) -> bool {
    matches!(text.trim().to_lowercase().as_str(), "1" | "0" | "y" | "yes" | "true" | "false")
}

/// `text` lower-cased, letters and digits only: a question's label and
/// its XML name (`Which_topics_were_most_useful`) squash alike.
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::survey::tests::choice;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_cell_is_read_trimmed_and_a_tools_blank_is_blank() {
        let header = row(&["id", "submitdate", "lastpage", "startlanguage", "Q1", "Q4"]);
        let lime = super::super::tools::by_key("limesurvey").unwrap();
        let columns = Columns::new(lime, header.clone(), None, vec![0, 1, 2, 3]);
        let plan = Plan::Cell { column: 4, split: false };
        let one = |cell| Cells::One { cell, separator: ";", beside: None };
        let reads = |r: &[&str], cells| assert_eq!(columns.cells(&plan, None, &row(r)), cells);
        reads(&["1", "", "1", "en", " Neutral ", ""], one("Neutral"));
        reads(&["1", "", "1", "en", "N/A", ""], one(""));
        // A row shorter than the header.
        reads(&["1", "", "1", "en"], one(""));
        // `N/A` is an answer where the tool does not write it for none.
        let plain = Columns::new(super::super::tools::PLAIN, header, None, Vec::new());
        let r = row(&["1", "", "1", "en", "N/A", ""]);
        assert_eq!(plain.cells(&plan, None, &r), one("N/A"));
    }

    #[test]
    fn the_write_in_column_beside_a_cell_is_read_with_its_label() {
        let first = row(&["Respondent ID", "Collector ID", "Start Date", "End Date", "Q", ""]);
        let second = row(&["", "", "", "", "Response", " Other (please specify) "]);
        let monkey = super::super::tools::by_key("surveymonkey").unwrap();
        let columns = Columns::new(monkey, first, Some(second), vec![0, 1, 2, 3]);
        let plan = Plan::Cell { column: 4, split: false };
        assert_eq!(columns.tool.other_column(&columns, 4), Some(5));
        let r = row(&["1", "2", "", "", "Other (please specify)", " AI "]);
        let beside = Beside { text: "AI", label: "Other (please specify)" };
        assert_eq!(
            columns.cells(&plan, Some(5), &r),
            Cells::One { cell: "Other (please specify)", separator: ";", beside: Some(beside) }
        );
    }

    #[test]
    fn a_column_per_option_is_read_as_chosen_options_and_write_ins() {
        let header = row(&["id", "Q2[SQ001]", "Q2[SQ002]", "Q2[SQ003]", "Q2[other]"]);
        let lime = super::super::tools::by_key("limesurvey").unwrap();
        let columns = Columns::new(lime, header, None, vec![0]);
        // The third column is of an option the record does not list.
        let plan = Plan::Options {
            options: vec![(1, 0), (2, 1), (3, usize::MAX)],
            other: Some(4),
            chosen: Chosen::Yes,
        };
        assert_eq!(plan.column(), 1);
        let reads = |r: &[&str], cells| assert_eq!(columns.cells(&plan, None, &row(r)), cells);
        let columns_of = |picked: &[usize], written: &[&str], other_chosen| Cells::Columns {
            picked: picked.to_vec(),
            written: written.iter().map(|w| (*w).to_owned()).collect(),
            other_chosen,
        };
        reads(&["1", "Yes", "No", "No", ""], columns_of(&[0], &[], false));
        reads(&["1", "N/A", "N/A", "N/A", ""], columns_of(&[], &[], false));
        reads(&["1", "y", "YES", "Yes", " AI "], columns_of(&[0, 1], &["Q2[SQ003]", "AI"], false));
        // The write-in column holding only a mark.
        reads(&["1", "No", "No", "No", "Y"], columns_of(&[], &[], true));
        reads(&["1", "No", "No", "No", "0"], columns_of(&[], &[], false));
        let kobo =
            Plan::Options { options: vec![(1, 0), (2, 0)], other: None, chosen: Chosen::One };
        assert_eq!(
            columns.cells(&kobo, None, &row(&["1", "1", "true"])),
            columns_of(&[0], &[], false)
        );
    }

    #[test]
    fn what_a_column_of_an_option_holds_when_chosen() {
        assert!(Chosen::NotEmpty.matches(" Open data ") && !Chosen::NotEmpty.matches("0"));
        assert!(!Chosen::NotEmpty.matches(" "));
        assert!(
            Chosen::One.matches("1") && Chosen::One.matches("TRUE") && !Chosen::One.matches("0")
        );
        assert!(
            Chosen::Yes.matches("Y") && Chosen::Yes.matches("yes") && !Chosen::Yes.matches("No")
        );
        assert!(chosen_marker(" Yes ") && chosen_marker("0") && !chosen_marker("AI"));
    }

    #[test]
    fn columns_headed_alike_are_told_apart_by_their_order() {
        let first: Vec<String> =
            ["Timestamp", "Comments", "Q", "Comments"].iter().map(|s| s.to_string()).collect();
        let columns = Columns::new(super::super::tools::PLAIN, first, None, Vec::new());
        let mut q = choice(&["a"]);
        q.kind = Kind::Text;
        q.source = "Comments".into();
        let plan = |among| columns.plan(&q, among);
        let nth = |nth, of| Among { occurrence: None, nth, of };
        assert_eq!(plan(nth(0, 2)), Ok(Plan::Cell { column: 1, split: false }));
        assert_eq!(plan(nth(1, 2)), Ok(Plan::Cell { column: 3, split: false }));
        // One question for two columns: which is not said.
        assert_eq!(plan(nth(0, 1)), Err(Miss::Ambiguous(vec![1, 3])));
        let second = Among { occurrence: Some(2), nth: 0, of: 1 };
        assert_eq!(plan(second), Ok(Plan::Cell { column: 3, split: false }));
        assert_eq!(plan(Among { occurrence: Some(3), nth: 0, of: 1 }), Err(Miss::Occurrence(3, 2)));
    }
}
