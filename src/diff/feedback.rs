//! Changes to a feedback survey between two versions: its respondents and
//! rate, questions matched by title, each option's count and share.

use super::annex::list_details;
use super::matching::{Pair, pairs};
use super::{Area, Change, Changes, Detail, Kind, key};
use crate::model::survey::{QuestionResult, Survey};

/// "10 (45%)": an option's count and share.
fn count(o: &crate::model::survey::OptionResult) -> String {
    format!("{} ({})", o.count, o.percent)
}

/// Questions matched by title, each one's figures compared.
pub(crate) fn compare(
    out: &mut Changes,
    place: &[String],
    old: Option<&Survey>,
    new: Option<&Survey>,
) {
    let a = Area::Feedback;
    let (old, new) = match (old, new) {
        (None, None) => return,
        (Some(_), None) => {
            out.push(Change::new(a, Kind::Removed, "survey").at(place));
            return;
        }
        (None, Some(n)) => {
            out.push(Change::new(a, Kind::Added, "survey").at(place).detail(
                "questions",
                None::<String>,
                Some(n.questions.len().to_string()),
            ));
            return;
        }
        (Some(o), Some(n)) => (o, n),
    };
    let mut c = Change::new(a, Kind::Changed, "survey").at(place);
    let number = |x: Option<u64>| x.map(|x| x.to_string());
    for (field, o, n) in [
        ("respondents", number(old.respondents), number(new.respondents)),
        ("invited", number(old.invited), number(new.invited)),
        ("response rate", old.response_rate.clone(), new.response_rate.clone()),
        ("average time", old.average_time.clone(), new.average_time.clone()),
    ] {
        if o != n {
            c = c.detail(field, o, n);
        }
    }
    if !c.details.is_empty() {
        out.push(c);
    }
    let name = |q: &QuestionResult| format!("question {}", q.number);
    for pair in pairs(&old.questions, &new.questions, |q| key(&q.title)) {
        let (o, n, moved) = match pair {
            Pair::Removed(q) => {
                out.push(Change::new(a, Kind::Removed, name(&q)).named(&q.title).at(place));
                continue;
            }
            Pair::Added(q) => {
                out.push(Change::new(a, Kind::Added, name(&q)).named(&q.title).at(place).detail(
                    "answered",
                    None::<String>,
                    Some(q.answered.to_string()),
                ));
                continue;
            }
            Pair::Kept { old, new, moved } => (old, new, moved),
            Pair::Renamed { old, new } => (old, new, false),
        };
        let mut c = Change::new(a, Kind::Changed, name(&n)).named(&n.title).at(place);
        if moved {
            c = c.detail("number", Some(o.number.to_string()), Some(n.number.to_string()));
        }
        c.details.extend(question(&o, &n));
        if !c.details.is_empty() {
            if c.details.iter().all(|d| d.field == "number") {
                c.kind = Kind::Moved;
            }
            out.push(c);
        }
    }
}

/// How a question's figures changed: each option's count and share, the
/// number answering, and the mean, median and top-two share.
fn question(o: &QuestionResult, n: &QuestionResult) -> Vec<Detail> {
    let mut details = Vec::new();
    let mut push = |field: &str, old: Option<String>, new: Option<String>| {
        if old != new {
            details.push(Detail { field: field.to_owned(), old, new });
        }
    };
    if o.kind != n.kind {
        push(
            "kind",
            Some(format!("{:?}", o.kind).to_lowercase()),
            Some(format!("{:?}", n.kind).to_lowercase()),
        );
    }
    for pair in pairs(&o.options, &n.options, |x| key(&x.label)) {
        match pair {
            Pair::Removed(x) => push(&x.label, Some(count(&x)), None),
            Pair::Added(x) => push(&x.label, None, Some(count(&x))),
            Pair::Kept { old, new, .. } | Pair::Renamed { old, new } => {
                push(&new.label, Some(count(&old)), Some(count(&new)));
            }
        }
    }
    push("answered", Some(o.answered.to_string()), Some(n.answered.to_string()));
    push("not answered", Some(o.not_answered.to_string()), Some(n.not_answered.to_string()));
    push("mean", o.mean.clone(), n.mean.clone());
    push("median", o.median.clone(), n.median.clone());
    push("top two", o.top_two.clone(), n.top_two.clone());
    details.extend(list_details("response", &o.responses, &n.responses));
    details
}
