//! Changes to lists of participants between two versions: lists matched
//! by title, people by the columns that name them, each cell compared.

use super::annex::list_details;
use super::matching::{At, Pair, pairs};
use super::{Area, Change, Changes, Kind, key, words};
use crate::model::ParticipantList;

/// The columns that name a person: those whose header says "name", or
/// "participant", "person", "delegate" or "attendee"; all columns if none
/// does.
pub fn name_columns(columns: &[String]) -> Vec<usize> {
    let named: Vec<usize> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let c = c.to_lowercase();
            c.contains("name")
                || ["participant", "person", "delegate", "attendee"].contains(&c.trim())
        })
        .map(|(i, _)| i)
        .collect();
    if named.is_empty() { (0..columns.len()).collect() } else { named }
}

/// A person on a list: their fields by column, the group among them.
struct Entry {
    name: String,
    key: String,
    fields: Vec<(String, String)>,
    /// Where the list prints them: its group.
    group: Option<String>,
    /// Their place on the list, from 0: changes are told in that order.
    row: usize,
}

fn entries(list: &ParticipantList, names: &[String]) -> Vec<Entry> {
    let name_at: Vec<usize> =
        names.iter().filter_map(|n| list.columns.iter().position(|c| c == n)).collect();
    let mut out = Vec::new();
    for group in &list.groups {
        for row in &group.rows {
            let name_parts: Vec<&str> = name_at
                .iter()
                .filter_map(|&i| row.get(i).map(String::as_str))
                .filter(|s| !s.trim().is_empty())
                .collect();
            let mut fields: Vec<(String, String)> =
                list.columns.iter().cloned().zip(row.iter().cloned()).collect();
            if let Some(by) = &list.group_by {
                fields.push((by.clone(), group.name.clone().unwrap_or_default()));
            }
            out.push(Entry {
                name: name_parts.join(" "),
                key: key(&name_parts.join(" ")),
                fields,
                group: group.name.clone(),
                row: out.len(),
            });
        }
    }
    // Whatever the order of the rows: people are matched by name, two of
    // the same name in the order of their other fields.
    out.sort_by(|a, b| (&a.key, &a.fields).cmp(&(&b.key, &b.fields)));
    out
}

/// Lists matched by title, people by the columns that name them.
pub(crate) fn compare(
    out: &mut Changes,
    place: &[String],
    old: &[ParticipantList],
    new: &[ParticipantList],
) {
    let a = Area::Participants;
    let title = |l: At<ParticipantList>| {
        l.title.clone().unwrap_or_else(|| format!("list {}", l.position()))
    };
    let matched = pairs(old, new, |l| key(&title(l))).renamed_when(|o, n| o.groups == n.groups);
    for pair in matched {
        match pair {
            Pair::Removed(o) => {
                out.push(Change::new(a, Kind::Removed, "list").named(title(o)).at(place).detail(
                    "people",
                    Some(o.len().to_string()),
                    None::<String>,
                ))
            }
            Pair::Added(n) => {
                out.push(Change::new(a, Kind::Added, "list").named(title(n)).at(place).detail(
                    "people",
                    None::<String>,
                    Some(n.len().to_string()),
                ))
            }
            Pair::Renamed { old: o, new: n } => {
                out.push(Change::new(a, Kind::Renamed, "list").named(title(n)).at(place).detail(
                    "",
                    Some(title(o)),
                    Some(title(n)),
                ));
            }
            Pair::Kept { old: o, new: n, .. } => {
                let mut here = place.to_vec();
                if new.len() > 1 || n.title.is_some() {
                    here.push(title(n));
                }
                list(out, &here, &o, &n);
            }
        }
    }
}

fn list(out: &mut Changes, place: &[String], old: &ParticipantList, new: &ParticipantList) {
    let a = Area::Participants;
    let all = |l: &ParticipantList| -> Vec<String> {
        let mut c = l.columns.clone();
        c.extend(l.group_by.clone());
        c
    };
    let (oc, nc) = (all(old), all(new));
    let columns = list_details("column", &oc, &nc);
    if !columns.is_empty() {
        out.push(Change::new(a, Kind::Changed, "columns").at(place).details_from(columns));
    }
    // Named by the name columns both versions have.
    let names: Vec<String> = name_columns(&new.columns)
        .into_iter()
        .map(|i| new.columns[i].clone())
        .filter(|c| old.columns.contains(c))
        .collect();
    let (oe, ne) = (entries(old, &names), entries(new, &names));
    // The same person in every field first, then by name; a name corrected
    // (one person removed and one added in the same group, with names
    // sharing half their words) is one person changed.
    let matched = pairs(&oe, &ne, |e| (e.key.clone(), e.fields.clone()))
        .then_by(|e| e.key.clone())
        .then_alike(|e| e.group.clone(), |o, n| words::alike(&o.name, &n.name));
    let at = |e: &Entry| {
        let mut p = place.to_vec();
        p.extend(e.group.clone());
        p
    };
    // Told in the order of the new list, then those removed in the order
    // of the old.
    let mut told: Vec<(usize, Change)> = Vec::new();
    let mut removed: Vec<(usize, Change)> = Vec::new();
    for pair in matched {
        match pair {
            Pair::Removed(o) => removed.push((
                o.row,
                Change::new(a, Kind::Removed, "participant").named(&o.name).at(&at(&o)),
            )),
            Pair::Added(n) => told.push((
                n.row,
                Change::new(a, Kind::Added, "participant").named(&n.name).at(&at(&n)),
            )),
            Pair::Kept { old: o, new: n, .. } | Pair::Renamed { old: o, new: n } => {
                let mut c = Change::new(a, Kind::Changed, "participant").named(&n.name).at(&at(&n));
                for (column, value) in &n.fields {
                    let before = o.fields.iter().find(|(c, _)| c == column).map(|(_, v)| v);
                    if let Some(before) = before.filter(|b| *b != value) {
                        c = c.detail(column, Some(before), Some(value));
                    }
                }
                if !c.details.is_empty() {
                    told.push((n.row, c));
                }
            }
        }
    }
    told.sort_by_key(|(row, _)| *row);
    removed.sort_by_key(|(row, _)| *row);
    for (_, change) in told.into_iter().chain(removed) {
        out.push(change);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_columns_are_found_by_their_header() {
        let cols = |list: &[&str]| -> Vec<String> { list.iter().map(|s| s.to_string()).collect() };
        assert_eq!(
            name_columns(&cols(&["Salutation", "First Name", "Last Name", "Country"])),
            [1, 2]
        );
        assert_eq!(name_columns(&cols(&["Member", "Participant", "Function"])), [1]);
        assert_eq!(name_columns(&cols(&["Country", "Ministry"])), [0, 1]);
    }
}
