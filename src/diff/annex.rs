//! Changes to the annexes: matched by kind and title, each pair then
//! compared by its kind (`kinds/annex/<key>.rs`), with the helpers the
//! kinds share.

use super::matching::{Pair, pairs};
use super::{Area, Change, Changes, Detail, Kind, key};
use crate::model::{Annex, Person};

pub(super) fn annexes(out: &mut Changes, old: &[Annex], new: &[Annex]) {
    let c = Area::Chapters;
    let name = |a: &Annex| format!("Annex {}: {}", a.number, a.title);
    let matched = pairs(old, new, |a| (a.content.kind().key(), key(&a.title)))
        .renamed_when(|o, n| o.content == n.content);
    for pair in matched {
        match pair {
            Pair::Removed(o) => out.push(Change::new(c, Kind::Removed, "annex").named(name(&o))),
            Pair::Added(n) => out.push(Change::new(c, Kind::Added, "annex").named(name(&n))),
            Pair::Renamed { old: o, new: n } => {
                out.push(Change::new(c, Kind::Renamed, "annex").named(name(&n)).detail(
                    "title",
                    Some(&o.title),
                    Some(&n.title),
                ));
                annex(out, &o, &n);
            }
            Pair::Kept { old: o, new: n, moved } => {
                if moved {
                    out.push(Change::new(c, Kind::Moved, "annex").named(name(&n)).detail(
                        "number",
                        Some(&o.number),
                        Some(&n.number),
                    ));
                }
                annex(out, &o, &n);
            }
        }
    }
}

fn annex(out: &mut Changes, old: &Annex, new: &Annex) {
    let place = [format!("Annex {}: {}", new.number, new.title)];
    crate::model::AnnexContent::compare(out, &place, &old.content, &new.content);
}

impl Change {
    pub(crate) fn details_from(mut self, details: Vec<Detail>) -> Change {
        self.details.extend(details);
        self
    }
}

/// A speaker as the agenda prints them.
pub(crate) fn person(p: &Person) -> String {
    let mut text = p.name.clone();
    let more: Vec<&str> =
        [&p.role, &p.organisation, &p.duration].iter().filter_map(|x| x.as_deref()).collect();
    if !more.is_empty() {
        text.push_str(&format!(" ({})", more.join(", ")));
    }
    text
}

/// The items of a list added, removed and changed, matched by `name`
/// and shown by `show`, each a detail called `field`.
pub(crate) fn by_name<T>(
    field: &str,
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &str,
    show: impl Fn(&T) -> String,
) -> Vec<Detail> {
    let mut details = Vec::new();
    for pair in pairs(old, new, |x| key(name(&x))) {
        let (o, n) = match pair {
            Pair::Removed(o) => (Some(show(&o)), None),
            Pair::Added(n) => (None, Some(show(&n))),
            Pair::Kept { old, new, .. } | Pair::Renamed { old, new } => {
                let (o, n) = (show(&old), show(&new));
                if o == n {
                    continue;
                }
                (Some(o), Some(n))
            }
        };
        details.push(Detail { field: field.to_owned(), old: o, new: n });
    }
    details
}

/// Strings added to and removed from a list.
pub(crate) fn list_details(field: &str, old: &[String], new: &[String]) -> Vec<Detail> {
    by_name(field, old, new, String::as_str, String::clone)
}
