//! Changes to the annexes: the agenda, the lists of participants and
//! contacts, the feedback survey, photos and text.

use super::body::text;
use super::matching::{At, Pair, pairs};
use super::{Area, Change, Changes, Detail, Kind, key, words};
use crate::model::survey::{QuestionResult, Survey};
use crate::model::{
    Agenda, AgendaDay, Annex, AnnexContent, ContactGroup, ParticipantList, Person, Photo,
    Recommendation, Session,
};

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
/// little is the same recommendation edited.
fn recommendations(
    out: &mut Changes,
    place: &[String],
    old: &[Recommendation],
    new: &[Recommendation],
) {
    let a = Area::Recommendations;
    let shown = |r: &Recommendation| words::excerpt(&r.text);
    let matched =
        pairs(old, new, |r| key(&r.text)).renamed_when(|o, n| words::alike(&o.text, &n.text));
    for pair in matched {
        let (o, n) = match pair {
            Pair::Removed(o) => {
                out.push(
                    Change::new(a, Kind::Removed, "recommendation").named(shown(&o)).at(place),
                );
                continue;
            }
            Pair::Added(n) => {
                out.push(Change::new(a, Kind::Added, "recommendation").named(shown(&n)).at(place));
                continue;
            }
            Pair::Kept { old, new, moved } => {
                if moved {
                    out.push(
                        Change::new(a, Kind::Moved, "recommendation")
                            .named(shown(&new))
                            .at(place)
                            .detail("number", Some(old.position()), Some(new.position())),
                    );
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

/// "09:00–09:30", or the start alone.
fn time(s: &Session) -> String {
    match &s.end {
        Some(end) => format!("{}–{end}", s.start),
        None => s.start.clone(),
    }
}

/// A session of an agenda, with its day.
struct Slot<'a> {
    day: &'a AgendaDay,
    session: &'a Session,
    /// The day of the new version it belongs to: its own for a new
    /// session; for an old one, the new day its day pairs with (`None`:
    /// its day was removed).
    home: Option<&'a AgendaDay>,
}

impl Slot<'_> {
    fn home_is(&self, day: &AgendaDay) -> bool {
        self.home.is_some_and(|h| std::ptr::eq(h, day))
    }
}

fn agenda<'a>(out: &mut Changes, place: &[String], old: &'a Agenda, new: &'a Agenda) {
    let a = Area::Agenda;
    out.list(a, place, "time zones", &old.zones, &new.zones);
    // Days by date; a day whose date changed pairs with one left over.
    let days: Vec<Pair<AgendaDay>> =
        pairs(&old.days, &new.days, |d| d.date).then_by(|_| ()).into_iter().collect();
    let both: Vec<(At<AgendaDay>, At<AgendaDay>)> = days
        .iter()
        .filter_map(|p| match *p {
            Pair::Kept { old, new, .. } | Pair::Renamed { old, new } => Some((old, new)),
            _ => None,
        })
        .collect();
    let day_place = |d: &AgendaDay| {
        let mut p = place.to_vec();
        p.push(d.date_text.clone());
        p
    };
    for pair in &days {
        if let Pair::Renamed { old: o, new: n } = pair {
            out.push(
                Change::new(a, Kind::Changed, "date of day")
                    .named(format!("Day {}", n.position()))
                    .at(place)
                    .detail("", Some(&o.date_text), Some(&n.date_text)),
            );
        }
    }
    for (o, n) in &both {
        out.value(a, &day_place(n), "day title", o.title.as_deref(), n.title.as_deref());
    }

    // Sessions: by title within the same day, then by title across days
    // (moved), then by start within the same day (renamed).
    let new_home = |day: &'a AgendaDay| {
        both.iter().find(|(o, _)| std::ptr::eq(o.item, day)).map(|(_, n)| n.item)
    };
    let slots = |agenda: &'a Agenda, home: &dyn Fn(&'a AgendaDay) -> Option<&'a AgendaDay>| {
        let mut slots = Vec::new();
        for day in &agenda.days {
            let home = home(day);
            slots.extend(day.sessions.iter().map(|session| Slot { day, session, home }));
        }
        slots
    };
    let (old_slots, new_slots) = (slots(old, &new_home), slots(new, &Some));
    let home = |s: &Slot| s.home.map(|d| d.date);
    let sessions: Vec<Pair<Slot>> =
        pairs(&old_slots, &new_slots, |s| (home(&s), key(&s.session.title)))
            .then_by(|s| key(&s.session.title))
            .then_by(|s| (home(&s), s.session.start.clone()))
            .into_iter()
            .collect();

    for pair in &days {
        let (old_day, day) = match *pair {
            Pair::Removed(_) => continue,
            Pair::Added(n) => (None, n),
            Pair::Kept { old, new, .. } | Pair::Renamed { old, new } => (Some(old), new),
        };
        let here = day_place(&day);
        if old_day.is_none() {
            // Sessions moved into a new day are still told.
            out.push(Change::new(a, Kind::Added, "day").named(&day.date_text).at(place).detail(
                "sessions",
                None::<String>,
                Some(day.sessions.len().to_string()),
            ));
        }
        for pair in &sessions {
            match pair {
                Pair::Kept { old: o, new: n, .. } | Pair::Renamed { old: o, new: n }
                    if std::ptr::eq(n.day, day.item) =>
                {
                    session(out, &here, o, n);
                }
                Pair::Added(n) if std::ptr::eq(n.day, day.item) && old_day.is_some() => {
                    let s = n.session;
                    out.push(
                        Change::new(a, Kind::Added, what(s)).named(&s.title).at(&here).detail(
                            "time",
                            None::<String>,
                            Some(time(s)),
                        ),
                    );
                }
                _ => {}
            }
        }
        // The sessions of the matching old day no longer anywhere.
        if let Some(old_day) = old_day {
            for pair in &sessions {
                if let Pair::Removed(o) = pair
                    && std::ptr::eq(o.day, old_day.item)
                {
                    let s = o.session;
                    out.push(
                        Change::new(a, Kind::Removed, what(s)).named(&s.title).at(&here).detail(
                            "time",
                            Some(time(s)),
                            None::<String>,
                        ),
                    );
                }
            }
        }
    }
    for pair in &days {
        if let Pair::Removed(day) = pair {
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
fn session(out: &mut Changes, here: &[String], old: &Slot, new: &Slot) {
    let a = Area::Agenda;
    let (o, n) = (old.session, new.session);
    let moved = !new.home.is_some_and(|d| old.home_is(d));
    if moved {
        let mut c = Change::new(a, Kind::Moved, what(n)).named(&n.title).at(here).detail(
            "day",
            Some(&old.day.date_text),
            Some(&new.day.date_text),
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

fn lists(out: &mut Changes, place: &[String], old: &[ParticipantList], new: &[ParticipantList]) {
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
    for pair in pairs(&o, &n, |c| key(&c.0)) {
        match pair {
            Pair::Removed(o) => {
                out.push(Change::new(a, Kind::Removed, "contact").named(&o.0).at(place));
            }
            Pair::Added(n) => {
                out.push(Change::new(a, Kind::Added, "contact").named(&n.0).at(place))
            }
            Pair::Kept { old: o, new: n, .. } | Pair::Renamed { old: o, new: n } => {
                let mut c = Change::new(a, Kind::Changed, "contact").named(&n.0).at(place);
                for ((field, ov), (_, nv)) in o.1.iter().zip(&n.1) {
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
    let name = |p: &Photo| p.caption.clone().unwrap_or_else(|| p.image.path.clone());
    for pair in pairs(old, new, |p| p.image.path.clone()) {
        let (o, n) = match pair {
            Pair::Removed(o) => {
                out.push(Change::new(a, Kind::Removed, "photo").named(name(&o)).at(place));
                continue;
            }
            Pair::Added(n) => {
                out.push(Change::new(a, Kind::Added, "photo").named(name(&n)).at(place));
                continue;
            }
            Pair::Kept { old, new, moved } => {
                if moved {
                    out.push(Change::new(a, Kind::Moved, "photo").named(name(&new)).at(place));
                }
                (old, new)
            }
            Pair::Renamed { old, new } => (old, new),
        };
        let mut inner = place.to_vec();
        inner.push(format!("photo “{}”", n.image.path));
        out.value(a, &inner, "caption", o.caption.as_deref(), n.caption.as_deref());
        out.value(a, &inner, "alternative text", o.alt.as_deref(), n.alt.as_deref());
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
