//! Changes to the annexes: the agenda, the lists of participants and
//! contacts, the feedback survey, photos and text.

use std::collections::BTreeMap;

use super::body::{renames, text};
use super::{Area, Change, Changes, Detail, Kind, Step, key, match_keys, words};
use crate::model::survey::{QuestionResult, Survey};
use crate::model::{
    Agenda, Annex, AnnexContent, ContactGroup, ParticipantList, Person, Photo, Recommendation,
    Session,
};

pub(super) fn annexes(out: &mut Changes, old: &[Annex], new: &[Annex]) {
    let keys = |list: &[Annex]| -> Vec<String> {
        list.iter().map(|a| format!("{}:{}", a.content.kind().key(), key(&a.title))).collect()
    };
    let steps = match_keys(&keys(old), &keys(new));
    let renamed = renames(&steps, |i, j| old[i].content == new[j].content);
    let name = |a: &Annex| format!("Annex {}: {}", a.number, a.title);
    let c = Area::Chapters;
    for step in steps {
        match step {
            Step::Removed(i) if renamed.iter().any(|r| r.0 == i) => {}
            Step::Removed(i) => {
                out.push(Change::new(c, Kind::Removed, "annex").named(name(&old[i])))
            }
            Step::Added(j) => match renamed.iter().find(|r| r.1 == j) {
                Some(&(i, _)) => {
                    out.push(Change::new(c, Kind::Renamed, "annex").named(name(&new[j])).detail(
                        "title",
                        Some(&old[i].title),
                        Some(&new[j].title),
                    ));
                    annex(out, &old[i], &new[j]);
                }
                None => out.push(Change::new(c, Kind::Added, "annex").named(name(&new[j]))),
            },
            Step::Kept { old: i, new: j, moved } => {
                if moved {
                    out.push(Change::new(c, Kind::Moved, "annex").named(name(&new[j])).detail(
                        "number",
                        Some(&old[i].number),
                        Some(&new[j].number),
                    ));
                }
                annex(out, &old[i], &new[j]);
            }
        }
    }
}

fn annex(out: &mut Changes, old: &Annex, new: &Annex) {
    let place = [format!("Annex {}: {}", new.number, new.title)];
    match (&old.content, &new.content) {
        (AnnexContent::Agenda(o), AnnexContent::Agenda(n)) => agenda(out, &place, o, n),
        (AnnexContent::Participants { lists: o }, AnnexContent::Participants { lists: n }) => {
            lists(out, &place, o, n);
        }
        (
            AnnexContent::Feedback { text: ot, survey: os },
            AnnexContent::Feedback { text: nt, survey: ns },
        ) => {
            let paragraphs = |t: &Option<String>| t.as_deref().map(words::paragraphs);
            text(
                out,
                Area::Feedback,
                &place,
                &paragraphs(ot).unwrap_or_default(),
                &paragraphs(nt).unwrap_or_default(),
            );
            feedback(out, &place, os.as_ref(), ns.as_ref());
        }
        (AnnexContent::Photos { photos: o }, AnnexContent::Photos { photos: n }) => {
            photos(out, &place, o, n);
        }
        (AnnexContent::Contacts { groups: o }, AnnexContent::Contacts { groups: n }) => {
            contacts(out, &place, o, n);
        }
        (
            AnnexContent::Recommendations { items: o },
            AnnexContent::Recommendations { items: n },
        ) => {
            recommendations(out, &place, o, n);
        }
        (AnnexContent::Text { text: o }, AnnexContent::Text { text: n }) => {
            text(out, Area::Chapters, &place, &words::paragraphs(o), &words::paragraphs(n));
        }
        // Matched by kind: never two kinds.
        _ => {}
    }
}

/// Recommendations matched by their text; one whose text changed a
/// little is edited, its owner or due date changed.
fn recommendations(
    out: &mut Changes,
    place: &[String],
    old: &[Recommendation],
    new: &[Recommendation],
) {
    let a = Area::Recommendations;
    let keys =
        |list: &[Recommendation]| -> Vec<String> { list.iter().map(|r| key(&r.text)).collect() };
    let steps = match_keys(&keys(old), &keys(new));
    let edited = renames(&steps, |i, j| words::alike(&old[i].text, &new[j].text));
    let shown = |r: &Recommendation| words::excerpt(&r.text);
    let compare = |out: &mut Changes, o: &Recommendation, n: &Recommendation| {
        let mut inner = place.to_vec();
        inner.push(format!("recommendation {}", n.number));
        out.value(a, &inner, "text", Some(&o.text), Some(&n.text));
        out.value(a, &inner, "owner", Some(&o.owner), Some(&n.owner));
        out.value(a, &inner, "due", o.due_text.as_deref(), n.due_text.as_deref());
    };
    for step in steps {
        match step {
            Step::Removed(i) if edited.iter().any(|e| e.0 == i) => {}
            Step::Removed(i) => out.push(
                Change::new(a, Kind::Removed, "recommendation").named(shown(&old[i])).at(place),
            ),
            Step::Added(j) => match edited.iter().find(|e| e.1 == j) {
                Some(&(i, _)) => compare(out, &old[i], &new[j]),
                None => out.push(
                    Change::new(a, Kind::Added, "recommendation").named(shown(&new[j])).at(place),
                ),
            },
            Step::Kept { old: i, new: j, moved } => {
                if moved {
                    out.push(
                        Change::new(a, Kind::Moved, "recommendation")
                            .named(shown(&new[j]))
                            .at(place)
                            .detail(
                                "number",
                                Some(old[i].number.to_string()),
                                Some(new[j].number.to_string()),
                            ),
                    );
                }
                compare(out, &old[i], &new[j]);
            }
        }
    }
}

/// "09:00–09:30", or the start alone.
fn time(s: &Session) -> String {
    match &s.end {
        Some(end) => format!("{}–{end}", s.start),
        None => s.start.clone(),
    }
}

fn agenda(out: &mut Changes, place: &[String], old: &Agenda, new: &Agenda) {
    let a = Area::Agenda;
    out.list(a, place, "time zones", &old.zones, &new.zones);
    // Days by date; a day whose date changed pairs with one in its place.
    let dates = |agenda: &Agenda| -> Vec<String> {
        agenda.days.iter().map(|d| d.date.to_string()).collect()
    };
    let steps = match_keys(&dates(old), &dates(new));
    let removed: Vec<usize> = steps
        .iter()
        .filter_map(|s| if let Step::Removed(i) = s { Some(*i) } else { None })
        .collect();
    let added: Vec<usize> =
        steps.iter().filter_map(|s| if let Step::Added(j) = s { Some(*j) } else { None }).collect();
    // new day -> old day
    let mut day_of: BTreeMap<usize, usize> = BTreeMap::new();
    for step in &steps {
        if let Step::Kept { old: i, new: j, .. } = *step {
            day_of.insert(j, i);
        }
    }
    for (&i, &j) in removed.iter().zip(&added) {
        day_of.insert(j, i);
        out.push(
            Change::new(a, Kind::Changed, "date of day")
                .named(format!("Day {}", j + 1))
                .at(place)
                .detail("", Some(&old.days[i].date_text), Some(&new.days[j].date_text)),
        );
    }
    let paired_old: Vec<usize> = day_of.values().copied().collect();
    let day_place = |j: usize| {
        let mut p = place.to_vec();
        p.push(new.days[j].date_text.clone());
        p
    };
    for (&j, &i) in &day_of {
        out.value(
            a,
            &day_place(j),
            "day title",
            old.days[i].title.as_deref(),
            new.days[j].title.as_deref(),
        );
    }

    // Sessions: first within the same day, then across days (moved).
    let olds: Vec<(usize, usize)> = old
        .days
        .iter()
        .enumerate()
        .flat_map(|(d, day)| (0..day.sessions.len()).map(move |s| (d, s)))
        .collect();
    let session_old = |(d, s): (usize, usize)| &old.days[d].sessions[s];
    let mut taken = vec![false; olds.len()];
    // For each new session: the index into `olds` it pairs with.
    let mut pair: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (&j, &i) in &day_of {
        let news: Vec<String> = new.days[j].sessions.iter().map(|s| key(&s.title)).collect();
        let base = olds.iter().position(|&(d, _)| d == i).unwrap_or(0);
        let keys: Vec<String> = old.days[i].sessions.iter().map(|s| key(&s.title)).collect();
        for step in match_keys(&keys, &news) {
            if let Step::Kept { old: s, new: t, .. } = step {
                pair.insert((j, t), base + s);
                taken[base + s] = true;
            }
        }
    }
    let all_new: Vec<(usize, usize)> = new
        .days
        .iter()
        .enumerate()
        .flat_map(|(d, day)| (0..day.sessions.len()).map(move |s| (d, s)))
        .collect();
    // Across days, by title, in order.
    for &(j, t) in &all_new {
        if pair.contains_key(&(j, t)) {
            continue;
        }
        let k = key(&new.days[j].sessions[t].title);
        if let Some(x) =
            (0..olds.len()).find(|&x| !taken[x] && key(&session_old(olds[x]).title) == k)
        {
            pair.insert((j, t), x);
            taken[x] = true;
        }
    }
    // Renamed: same day, same start.
    for &(j, t) in &all_new {
        if pair.contains_key(&(j, t)) {
            continue;
        }
        let Some(&i) = day_of.get(&j) else { continue };
        let start = &new.days[j].sessions[t].start;
        if let Some(x) = (0..olds.len())
            .find(|&x| !taken[x] && olds[x].0 == i && &session_old(olds[x]).start == start)
        {
            pair.insert((j, t), x);
            taken[x] = true;
        }
    }

    for (j, day) in new.days.iter().enumerate() {
        let here = day_place(j);
        if !day_of.contains_key(&j) {
            out.push(Change::new(a, Kind::Added, "day").named(&day.date_text).at(place).detail(
                "sessions",
                None::<String>,
                Some(day.sessions.len().to_string()),
            ));
            // Sessions moved into a new day are still told.
        }
        for (t, n) in day.sessions.iter().enumerate() {
            match pair.get(&(j, t)) {
                Some(&x) => session(out, &here, old, olds[x], &day_of, j, n),
                None if day_of.contains_key(&j) => {
                    out.push(
                        Change::new(a, Kind::Added, what(n)).named(&n.title).at(&here).detail(
                            "time",
                            None::<String>,
                            Some(time(n)),
                        ),
                    );
                }
                None => {}
            }
        }
        // The sessions of the matching old day no longer anywhere.
        if let Some(&i) = day_of.get(&j) {
            for (x, &(d, s)) in olds.iter().enumerate() {
                if d == i && !taken[x] {
                    let o = &old.days[d].sessions[s];
                    out.push(
                        Change::new(a, Kind::Removed, what(o)).named(&o.title).at(&here).detail(
                            "time",
                            Some(time(o)),
                            None::<String>,
                        ),
                    );
                }
            }
        }
    }
    for (i, day) in old.days.iter().enumerate() {
        if !paired_old.contains(&i) {
            out.push(Change::new(a, Kind::Removed, "day").named(&day.date_text).at(place).detail(
                "sessions",
                Some(day.sessions.len().to_string()),
                None::<String>,
            ));
        }
    }
}

fn what(s: &Session) -> &'static str {
    if s.is_break { "break" } else { "session" }
}

/// The changes to a session kept in both versions.
fn session(
    out: &mut Changes,
    here: &[String],
    old: &Agenda,
    (d, s): (usize, usize),
    day_of: &BTreeMap<usize, usize>,
    j: usize,
    n: &Session,
) {
    let a = Area::Agenda;
    let o = &old.days[d].sessions[s];
    let moved = day_of.get(&j) != Some(&d);
    if moved {
        let mut c = Change::new(a, Kind::Moved, what(n)).named(&n.title).at(here).detail(
            "day",
            Some(&old.days[d].date_text),
            Some(here.last().cloned().unwrap_or_default()),
        );
        if time(o) != time(n) {
            c = c.detail("time", Some(time(o)), Some(time(n)));
        }
        out.push(c);
    } else if time(o) != time(n) {
        out.push(Change::new(a, Kind::Retimed, what(n)).named(&n.title).at(here).detail(
            "",
            Some(time(o)),
            Some(time(n)),
        ));
    }
    if key(&o.title) != key(&n.title) {
        out.push(Change::new(a, Kind::Renamed, what(n)).named(&n.title).at(here).detail(
            "",
            Some(&o.title),
            Some(&n.title),
        ));
    }
    let mut inner = here.to_vec();
    inner.push(format!("{} “{}”", what(n), n.title));
    if key(&o.title) == key(&n.title) {
        out.value(a, &inner, "title", Some(&o.title), Some(&n.title));
    }
    if o.is_break != n.is_break {
        out.push(Change::new(a, Kind::Changed, "kind").at(&inner).detail(
            "",
            Some(what(o)),
            Some(what(n)),
        ));
    }
    out.value(a, &inner, "description", o.description.as_deref(), n.description.as_deref());
    if o.topics != n.topics {
        out.push(
            Change::new(a, Kind::Changed, "topics")
                .at(&inner)
                .details_from(list_details("topic", &o.topics, &n.topics)),
        );
    }
    let speakers = by_name("speaker", &o.speakers, &n.speakers, |p| p.name.as_str(), person);
    if !speakers.is_empty() {
        out.push(Change::new(a, Kind::Changed, "speakers").at(&inner).details_from(speakers));
    }
    let describe = |p: &Option<Person>| p.as_ref().map(person);
    out.value(
        a,
        &inner,
        "moderator",
        describe(&o.moderator).as_deref(),
        describe(&n.moderator).as_deref(),
    );
}

impl Change {
    fn details_from(mut self, details: Vec<Detail>) -> Change {
        self.details.extend(details);
        self
    }
}

/// A speaker as the agenda prints them.
fn person(p: &Person) -> String {
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
fn by_name<T>(
    field: &str,
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &str,
    show: impl Fn(&T) -> String,
) -> Vec<Detail> {
    let keys = |list: &[T]| -> Vec<String> { list.iter().map(|x| key(name(x))).collect() };
    let mut details = Vec::new();
    for step in match_keys(&keys(old), &keys(new)) {
        let (o, n) = match step {
            Step::Removed(i) => (Some(show(&old[i])), None),
            Step::Added(j) => (None, Some(show(&new[j]))),
            Step::Kept { old: i, new: j, .. } if show(&old[i]) != show(&new[j]) => {
                (Some(show(&old[i])), Some(show(&new[j])))
            }
            Step::Kept { .. } => continue,
        };
        details.push(Detail { field: field.to_owned(), old: o, new: n });
    }
    details
}

/// Strings added to and removed from a list.
fn list_details(field: &str, old: &[String], new: &[String]) -> Vec<Detail> {
    by_name(field, old, new, String::as_str, String::clone)
}

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
            });
        }
    }
    out
}

/// Pairs the people of two lists by name, whatever the order of the rows:
/// two people of the same name pair in the order of their other fields.
fn pair_people(old: &[Entry], new: &[Entry]) -> (Vec<Option<usize>>, Vec<bool>) {
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in old.iter().enumerate() {
        by_key.entry(e.key.as_str()).or_default().push(i);
    }
    let mut new_by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (j, e) in new.iter().enumerate() {
        new_by_key.entry(e.key.as_str()).or_default().push(j);
    }
    let mut pairs = vec![None; new.len()];
    let mut taken = vec![false; old.len()];
    for (k, mut js) in new_by_key {
        let Some(is) = by_key.get_mut(k) else { continue };
        // Those equal in every field first, then the rest in field order.
        js.retain(|&j| match is.iter().position(|&i| old[i].fields == new[j].fields) {
            Some(at) => {
                let i = is.remove(at);
                pairs[j] = Some(i);
                taken[i] = true;
                false
            }
            None => true,
        });
        is.sort_by(|&a, &b| old[a].fields.cmp(&old[b].fields));
        js.sort_by(|&a, &b| new[a].fields.cmp(&new[b].fields));
        for (&i, &j) in is.iter().zip(&js) {
            pairs[j] = Some(i);
            taken[i] = true;
        }
    }
    (pairs, taken)
}

fn lists(out: &mut Changes, place: &[String], old: &[ParticipantList], new: &[ParticipantList]) {
    let titles = |list: &[ParticipantList]| -> Vec<String> {
        list.iter()
            .enumerate()
            .map(|(i, l)| l.title.clone().unwrap_or_else(|| format!("list {}", i + 1)))
            .collect()
    };
    let (ot, nt) = (titles(old), titles(new));
    let keys = |t: &[String]| -> Vec<String> { t.iter().map(|s| key(s)).collect() };
    let steps = match_keys(&keys(&ot), &keys(&nt));
    let renamed = renames(&steps, |i, j| old[i].groups == new[j].groups);
    let a = Area::Participants;
    for step in steps {
        match step {
            Step::Removed(i) if renamed.iter().any(|r| r.0 == i) => {}
            Step::Removed(i) => {
                out.push(Change::new(a, Kind::Removed, "list").named(&ot[i]).at(place).detail(
                    "people",
                    Some(old[i].len().to_string()),
                    None::<String>,
                ))
            }
            Step::Added(j) => match renamed.iter().find(|r| r.1 == j) {
                Some(&(i, _)) => {
                    out.push(Change::new(a, Kind::Renamed, "list").named(&nt[j]).at(place).detail(
                        "",
                        Some(&ot[i]),
                        Some(&nt[j]),
                    ));
                }
                None => {
                    out.push(Change::new(a, Kind::Added, "list").named(&nt[j]).at(place).detail(
                        "people",
                        None::<String>,
                        Some(new[j].len().to_string()),
                    ))
                }
            },
            Step::Kept { old: i, new: j, .. } => {
                let mut here = place.to_vec();
                if new.len() > 1 || new[j].title.is_some() {
                    here.push(nt[j].clone());
                }
                list(out, &here, &old[i], &new[j]);
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
    let (mut pairs, mut taken) = pair_people(&oe, &ne);
    // A name corrected: one person removed and one added in the same group
    // with names alike (half their words shared) is one person changed.
    for (j, n) in ne.iter().enumerate() {
        if pairs[j].is_some() {
            continue;
        }
        let alike = (0..oe.len())
            .find(|&i| !taken[i] && oe[i].group == n.group && words::alike(&oe[i].name, &n.name));
        if let Some(i) = alike {
            pairs[j] = Some(i);
            taken[i] = true;
        }
    }
    let at = |e: &Entry| {
        let mut p = place.to_vec();
        p.extend(e.group.clone());
        p
    };
    for (j, n) in ne.iter().enumerate() {
        match pairs[j] {
            None => out.push(Change::new(a, Kind::Added, "participant").named(&n.name).at(&at(n))),
            Some(i) => {
                let o = &oe[i];
                let mut c = Change::new(a, Kind::Changed, "participant").named(&n.name).at(&at(n));
                for (column, value) in &n.fields {
                    let before = o.fields.iter().find(|(c, _)| c == column).map(|(_, v)| v);
                    if let Some(before) = before.filter(|b| *b != value) {
                        c = c.detail(column, Some(before), Some(value));
                    }
                }
                if !c.details.is_empty() {
                    out.push(c);
                }
            }
        }
    }
    for (i, o) in oe.iter().enumerate() {
        if !taken[i] {
            out.push(Change::new(a, Kind::Removed, "participant").named(&o.name).at(&at(o)));
        }
    }
}

fn contacts(out: &mut Changes, place: &[String], old: &[ContactGroup], new: &[ContactGroup]) {
    let a = Area::Participants;
    let flat = |groups: &[ContactGroup]| -> Vec<(String, Vec<(String, String)>)> {
        groups
            .iter()
            .flat_map(|g| {
                g.people.iter().map(move |p| {
                    let fields = [
                        ("organisation", Some(&g.organisation)),
                        ("title", p.title.as_ref()),
                        ("unit", p.unit.as_ref()),
                        ("email", p.email.as_ref()),
                    ];
                    let fields = fields
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.cloned().unwrap_or_default()))
                        .collect();
                    (p.name.clone(), fields)
                })
            })
            .collect()
    };
    let (o, n) = (flat(old), flat(new));
    let keys = |l: &[(String, Vec<(String, String)>)]| -> Vec<String> {
        l.iter().map(|(name, _)| key(name)).collect()
    };
    for step in match_keys(&keys(&o), &keys(&n)) {
        match step {
            Step::Removed(i) => {
                out.push(Change::new(a, Kind::Removed, "contact").named(&o[i].0).at(place));
            }
            Step::Added(j) => {
                out.push(Change::new(a, Kind::Added, "contact").named(&n[j].0).at(place))
            }
            Step::Kept { old: i, new: j, .. } => {
                let mut c = Change::new(a, Kind::Changed, "contact").named(&n[j].0).at(place);
                for ((field, ov), (_, nv)) in o[i].1.iter().zip(&n[j].1) {
                    if ov != nv {
                        let opt = |v: &String| (!v.is_empty()).then(|| v.clone());
                        c = c.detail(field, opt(ov), opt(nv));
                    }
                }
                if !c.details.is_empty() {
                    out.push(c);
                }
            }
        }
    }
}

fn photos(out: &mut Changes, place: &[String], old: &[Photo], new: &[Photo]) {
    let a = Area::Tables;
    let keys = |l: &[Photo]| -> Vec<String> { l.iter().map(|p| p.image.path.clone()).collect() };
    let name = |p: &Photo| p.caption.clone().unwrap_or_else(|| p.image.path.clone());
    for step in match_keys(&keys(old), &keys(new)) {
        match step {
            Step::Removed(i) => {
                out.push(Change::new(a, Kind::Removed, "photo").named(name(&old[i])).at(place))
            }
            Step::Added(j) => {
                out.push(Change::new(a, Kind::Added, "photo").named(name(&new[j])).at(place))
            }
            Step::Kept { old: i, new: j, moved } => {
                if moved {
                    out.push(Change::new(a, Kind::Moved, "photo").named(name(&new[j])).at(place));
                }
                let mut inner = place.to_vec();
                inner.push(format!("photo “{}”", new[j].image.path));
                let (o, n) = (&old[i], &new[j]);
                out.value(a, &inner, "caption", o.caption.as_deref(), n.caption.as_deref());
                out.value(a, &inner, "alternative text", o.alt.as_deref(), n.alt.as_deref());
            }
        }
    }
}

/// "10 (45%)": an option's count and share.
fn count(o: &crate::model::survey::OptionResult) -> String {
    format!("{} ({})", o.count, o.percent)
}

fn feedback(out: &mut Changes, place: &[String], old: Option<&Survey>, new: Option<&Survey>) {
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
    let titles =
        |s: &Survey| -> Vec<String> { s.questions.iter().map(|q| key(&q.title)).collect() };
    let name = |q: &QuestionResult| format!("question {}", q.number);
    for step in match_keys(&titles(old), &titles(new)) {
        match step {
            Step::Removed(i) => {
                let q = &old.questions[i];
                out.push(Change::new(a, Kind::Removed, name(q)).named(&q.title).at(place));
            }
            Step::Added(j) => {
                let q = &new.questions[j];
                out.push(Change::new(a, Kind::Added, name(q)).named(&q.title).at(place).detail(
                    "answered",
                    None::<String>,
                    Some(q.answered.to_string()),
                ));
            }
            Step::Kept { old: i, new: j, moved } => {
                let (o, n) = (&old.questions[i], &new.questions[j]);
                let mut c = Change::new(a, Kind::Changed, name(n)).named(&n.title).at(place);
                if moved {
                    c = c.detail("number", Some(o.number.to_string()), Some(n.number.to_string()));
                }
                c.details.extend(question(o, n));
                if !c.details.is_empty() {
                    if c.details.iter().all(|d| d.field == "number") {
                        c.kind = Kind::Moved;
                    }
                    out.push(c);
                }
            }
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
    let labels =
        |q: &QuestionResult| -> Vec<String> { q.options.iter().map(|x| key(&x.label)).collect() };
    for step in match_keys(&labels(o), &labels(n)) {
        match step {
            Step::Removed(i) => push(&o.options[i].label, Some(count(&o.options[i])), None),
            Step::Added(j) => push(&n.options[j].label, None, Some(count(&n.options[j]))),
            Step::Kept { old: i, new: j, .. } => {
                push(&n.options[j].label, Some(count(&o.options[i])), Some(count(&n.options[j])));
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
