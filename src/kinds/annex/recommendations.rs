//! A recommendations annex: recommendations or action points, numbered,
//! each with who is to act on it and when it is due.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Kind, Picture};
use crate::diag::{Code, Diagnostic};
use crate::diff::matching::{Pair, pairs};
use crate::diff::{Area, Change, Changes, Kind as Changed, key, words};
use crate::input::record::Spanned;
use crate::input::{Check, Checked, Context, Errors};
use crate::language::terms::Term;
use crate::model::DateRange;

register! {
    /// Numbered recommendations or action points.
    #[schemars(extend("x-hint" = "each recommendation starts with `- text:`, then `owner:`"))]
    6 => recommendations: Vec<RecommendationRecord>
}

/// A recommendation or action point.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(missing_docs)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Recommendation")]
pub struct RecommendationRecord {
    /// What is recommended or to be done (Markdown).
    #[schemars(extend("x-markdown" = true))]
    pub text: String,
    /// Who is to act on it: an organisation, a unit, a person.
    pub owner: String,
    /// When it is due: YYYY-MM-DD.
    #[schemars(extend("x-hint" = "write the due date as YYYY-MM-DD, e.g. 2023-06-30", "x-hint-alone" = true))]
    pub due: Option<Spanned<String>>,
}

/// Numbered recommendations or action points, each with an owner.
pub struct Recommendations;

/// What a recommendations annex prints: a numbered table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    /// The recommendations, numbered from 1 in the record's order.
    pub items: Vec<Recommendation>,
}

/// A recommendation or action point of the recommendations annex.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// Its number, from 1, in the record's order.
    pub number: usize,
    /// What is recommended or to be done (Markdown).
    pub text: String,
    /// Who is to act on it.
    pub owner: String,
    /// When it is due, if it is.
    pub due: Option<Date>,
    /// The due date as printed: "30 June 2024".
    pub due_text: Option<String>,
}

impl Kind for Recommendations {
    type Record = Record;
    type Content = Content;
    const TITLE: Option<&'static str> = Some("recommendations_title");
    const TERMS: &'static [Term] = &[];
    const AREA: Area = Area::Recommendations;

    fn check(items: &Record, cx: &mut Context, dates: Option<DateRange>) -> Option<Content> {
        cx.checked(|check| recommendations(items, dates, check))
    }

    /// Matched by their text; one whose text changed a little is the same
    /// recommendation edited.
    fn compare(out: &mut Changes, place: &[String], old: &Content, new: &Content) {
        let a = Area::Recommendations;
        let shown = |r: &Recommendation| words::excerpt(&r.text);
        let matched = pairs(&old.items, &new.items, |r| key(&r.text))
            .renamed_when(|o, n| words::alike(&o.text, &n.text));
        for pair in matched {
            let change = |kind, r: &Recommendation| {
                Change::new(a, kind, "recommendation").named(shown(r)).at(place)
            };
            let (o, n) = match pair {
                Pair::Removed(o) => {
                    out.push(change(Changed::Removed, &o));
                    continue;
                }
                Pair::Added(n) => {
                    out.push(change(Changed::Added, &n));
                    continue;
                }
                Pair::Kept { old, new, moved } => {
                    if moved {
                        let (from, to) = (old.position(), new.position());
                        out.push(change(Changed::Moved, &new).detail(
                            "number",
                            Some(from),
                            Some(to),
                        ));
                    }
                    (old, new)
                }
                Pair::Renamed { old, new } => (old, new),
            };
            let mut inner = place.to_vec();
            inner.push(format!("recommendation {}", n.number));
            out.value(a, &inner, "text", Some(&o.text), Some(&n.text));
            out.value(a, &inner, "owner", Some(&o.owner), Some(&n.owner));
            out.value(a, &inner, "due", o.due_text.as_deref(), n.due_text.as_deref());
        }
    }

    fn volume(_: &Content) -> Option<(&'static str, usize)> {
        // Its Markdown counts with the report's text.
        None
    }

    fn pictures(_: &Content) -> Vec<Picture<'_>> {
        Vec::new()
    }
}

/// Numbered; a due date must be a date of the calendar (a date before the
/// workshop is a warning).
fn recommendations(
    items: &Record,
    dates: Option<DateRange>,
    check: &mut Check,
) -> Checked<Content> {
    let mut errors = Errors::default();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let due = match &item.due {
            Some(due) => match crate::input::date(due) {
                Ok(date) => {
                    if dates.is_some_and(|d| date < d.start) {
                        check.warn(due, early(date));
                    }
                    Some(date)
                }
                Err(d) => {
                    errors.push(check.at(due, d));
                    None
                }
            },
            None => None,
        };
        out.push(Recommendation {
            number: i + 1,
            text: item.text.clone(),
            owner: item.owner.clone(),
            due_text: due.and_then(|d| check.language.map(|l| l.long_date(d))),
            due,
        });
    }
    errors.or(Content { items: out })
}

/// The warning of an action due before the workshop began.
fn early(date: Date) -> Diagnostic {
    Diagnostic::warning(
        Code::InvalidDate,
        format!("the action is due on {date}, before the workshop began"),
    )
    .hint("check the year; a due date comes after the workshop")
}
