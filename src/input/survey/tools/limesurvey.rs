//! LimeSurvey (CSV or `.xlsx`), in any of its heading styles: question
//! codes (`id, submitdate, lastpage, startlanguage, seed, [token],
//! [startdate, datestamp], [ipaddr], [refurl], G01Q01, G01Q02[SQ001],
//! ...`), full texts (`Response ID, Date submitted, Last page, ...`), or
//! "question code & question text" (`id. Response ID, ..., G01Q02[SQ001].
//! Which topics? [Open data]`). A multiple choice has a `Q[SQ00n]` column
//! per option, `Y` (or `Yes`, in "full answers") when chosen, `N/A` for a
//! question never shown, in the order of the record's options; the
//! write-in in `Q[other]`. Read from LimeSurvey's `Writer.php` and
//! `viewHelper.php` (the heading styles) and `SurveyObj.php` (answers).

use super::{Layout, Tool, optional, required};
use crate::input::survey::columns::{Chosen, Columns, Plan};
use crate::model::survey::{Question, is_other};

register! { 5 => LimeSurvey }

pub struct LimeSurvey;

impl Tool for LimeSurvey {
    fn key(&self) -> &'static str {
        "limesurvey"
    }

    fn name(&self) -> &'static str {
        "LimeSurvey"
    }

    fn layout(&self) -> Layout {
        const LAYOUT: Layout = Layout {
            lead: &[
                required(&["id", "Response ID"]),
                required(&["submitdate", "Date submitted"]),
                required(&["lastpage", "Last page"]),
                required(&["startlanguage", "Start language"]),
                optional(&["seed", "Seed"]),
                optional(&["token", "Access code", "Token"]),
                optional(&["startdate", "Date started"]),
                optional(&["datestamp", "Date last action"]),
                optional(&["ipaddr", "IP address"]),
                optional(&["refurl", "Referrer URL"]),
            ],
            tail: &[],
            anywhere: &[],
        };
        LAYOUT
    }

    fn times(&self, columns: &Columns) -> (Option<usize>, Option<usize>) {
        (columns.find("startdate"), columns.find("submitdate"))
    }

    fn separator(&self) -> &'static str {
        ";"
    }

    /// A "code. text" heading answers to its code and to its text:
    /// `G01Q02[SQ001]. Which topics? [Open data]` to `G01Q02[SQ001]` and
    /// `Which topics? [Open data]`.
    fn aliases(&self, heading: &str) -> Vec<String> {
        let Some((code, text)) = heading.split_once(". ") else { return Vec::new() };
        let stem = code.split('[').next().unwrap_or("");
        let coded = !stem.is_empty()
            && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && code[stem.len()..]
                .split_inclusive(']')
                .all(|p| p.starts_with('[') && p.ends_with(']'));
        if coded { vec![code.to_owned(), text.trim().to_owned()] } else { Vec::new() }
    }

    fn blank(&self, cell: &str) -> bool {
        cell.eq_ignore_ascii_case("N/A")
    }

    /// `Q2[SQ001]`...: the options in the record's order; or full-text
    /// headings `Question [Option]`.
    fn option_columns(&self, columns: &Columns, q: &Question) -> Option<Plan> {
        let (mut options, mut other, mut by_code) = (Vec::new(), None, Vec::new());
        let mut found = columns.prefixed(&format!("{}[", q.source));
        found.extend(columns.prefixed(&format!("{} [", q.source)));
        found.sort_by_key(|(i, _)| *i);
        found.dedup_by_key(|(i, _)| *i);
        for (i, rest) in found {
            let Some(inner) = rest.strip_suffix(']') else { continue };
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
            .filter(|o| !options.iter().any(|(_, p)| p == o) && !is_other(&q.options[*o].label))
            .collect();
        for (k, i) in by_code.into_iter().enumerate() {
            options.push((i, unused.get(k).copied().unwrap_or(usize::MAX)));
        }
        if options.is_empty() {
            return None;
        }
        Some(Plan::Options { options, other, chosen: Chosen::Yes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_text_headings_answer_to_both() {
        let t = LimeSurvey;
        assert_eq!(
            t.aliases("G01Q04[SQ001]. Which sessions? [Session 1]"),
            ["G01Q04[SQ001]", "Which sessions? [Session 1]"]
        );
        assert_eq!(t.aliases("id. Response ID"), ["id", "Response ID"]);
        assert_eq!(
            t.aliases("G01Q06[SQ001][1]. Q [sub][Scale 1]"),
            ["G01Q06[SQ001][1]", "Q [sub][Scale 1]"]
        );
        assert!(t.aliases("How satisfied were you. Really?").is_empty());
        assert!(t.aliases("G01Q01").is_empty());
    }
}
