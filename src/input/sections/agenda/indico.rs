//! Indico's timetable export, as its HTTP API gives it for
//! `/export/timetable/<event>.json` (`indico/web/http_api/` and the
//! timetable serializer, `indico/modules/events/timetable/legacy.py`): an
//! envelope `{count, additionalInfo, ts, url, results, _type:
//! "HTTPAPIResult"}` whose `results` hold one event's days (`YYYYMMDD`),
//! each its entries by id: session blocks (`s…`, entry type `Session`,
//! their contributions and breaks nested under `entries`), contributions
//! (`c…`) and breaks (`b…`), each with `startDate`/`endDate` as `{date,
//! time, tz}`.
//!
//! A top-level contribution is a session of the agenda, its presenters the
//! speakers; a session block is one, its conveners the moderator, its
//! contributions' titles the topics and their presenters the speakers
//! (with the contribution's length); a break, nested or not, is a break.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use super::exported::{Entry, Export, MAX_ENTRIES, Place, When};
use crate::diag::{Code, Diagnostic, Span};
use crate::input::Context;
use crate::input::checks::text;
use crate::input::record::Spanned;
use crate::model::Person;

impl Context {
    /// The agenda of the Indico timetable export at `path`.
    pub(super) fn indico_timetable(&mut self, path: &Spanned<String>) -> Option<Export> {
        let (name, source) = self.export_text(path, "the timetable Indico exported")?;
        let value: Value = match serde_json::from_str(&source) {
            Ok(value) => value,
            Err(e) => {
                let d = Diagnostic::error(
                    Code::AgendaExport,
                    format!("`{name}` is not JSON Indico wrote: {e}"),
                )
                .hint("export the timetable again (`/export/timetable/<event>.json`); a file cut short ends early")
                .in_file(&name)
                .at(Span::from_line_column(&source, e.line(), e.column()));
                self.error(d);
                return None;
            }
        };
        let minutes = |n: u64| match &self.language {
            Some(language) => language.count("minutes", n),
            None => n.to_string(),
        };
        let colon = self.language.as_ref().map_or(": ".to_owned(), |l| l.say("colon", &[]));
        let mut reader = Reader {
            name: &name,
            entries: Vec::new(),
            problems: Vec::new(),
            minutes: &minutes,
            colon,
        };
        let zone = reader.timetable(&value);
        let Reader { entries, mut problems, .. } = reader;
        if problems.is_empty() && entries.is_empty() {
            problems.push(
                Diagnostic::error(Code::AgendaExport, format!("`{name}` holds no entries: the event's timetable is empty, or not published"))
                    .hint("publish the contributions in Indico (or export with a manager's token), then export the timetable again")
                    .in_file(&name),
            );
        }
        if !problems.is_empty() {
            for d in problems {
                self.error(d);
            }
            return None;
        }
        Some(Export {
            name,
            zone,
            entries,
            headings: Vec::new(),
            others_left_out: false,
            left_out: 0,
        })
    }
}

/// What reading a timetable gathers.
struct Reader<'a> {
    name: &'a str,
    entries: Vec<Entry>,
    problems: Vec<Diagnostic>,
    /// "20 min", in the report's language.
    minutes: &'a dyn Fn(u64) -> String,
    /// The language's colon: between a session's title and its block's.
    colon: String,
}

/// A place in the JSON: its pointer (RFC 6901).
fn pointer(parent: &str, key: &str) -> String {
    format!("{parent}/{}", key.replace('~', "~0").replace('/', "~1"))
}

impl Reader<'_> {
    fn refuse(&mut self, at: &str, message: impl Into<String>, hint: &str) {
        let at = if at.is_empty() { "/" } else { at };
        let d = Diagnostic::error(Code::AgendaExport, message).hint(hint.to_owned());
        self.problems.push(text::placed(d, at).in_file(self.name));
    }

    /// Reads the envelope and the one event's days; the zone of its times.
    fn timetable(&mut self, root: &Value) -> Option<TimeZone> {
        let Some(envelope) = root
            .as_object()
            .filter(|o| o.get("_type").and_then(Value::as_str) == Some("HTTPAPIResult"))
        else {
            self.refuse(
                "",
                "this is not an export of Indico's HTTP API (it has no `\"_type\": \"HTTPAPIResult\"` envelope)",
                "give the file Indico sends for `/export/timetable/<event>.json`, unchanged",
            );
            return None;
        };
        let results = match envelope.get("results") {
            Some(Value::Object(results)) => results,
            Some(Value::Array(list)) => {
                let kind = list
                    .first()
                    .and_then(|r| r.get("_type"))
                    .and_then(Value::as_str)
                    .unwrap_or("a list");
                self.refuse(
                    "/results",
                    format!("this is an Indico export of events (`{kind}`), not an event's timetable"),
                    "export the timetable: `/export/timetable/<event>.json` (the event's id is in its address)",
                );
                return None;
            }
            _ => {
                self.refuse(
                    "/results",
                    "the export has no `results`",
                    "export the timetable again",
                );
                return None;
            }
        };
        let mut events = results.iter();
        let (Some((id, days)), None) = (events.next(), events.next()) else {
            self.refuse(
                "/results",
                format!(
                    "the export holds {} events' timetables; an agenda is one event's",
                    results.len()
                ),
                "export one event's timetable: `/export/timetable/<event>.json`",
            );
            return None;
        };
        let at = pointer("/results", id);
        let Some(days) = days.as_object() else {
            self.refuse(
                &at,
                "the event's timetable is not a set of days",
                "export the timetable again",
            );
            return None;
        };
        let mut zone = None;
        for (day, entries) in days {
            let at = pointer(&at, day);
            if day.len() != 8 || !day.bytes().all(|b| b.is_ascii_digit()) {
                self.refuse(
                    &at,
                    format!("`{day}` is not a day (YYYYMMDD)"),
                    "export the timetable again",
                );
                continue;
            }
            match entries.as_object() {
                Some(entries) => {
                    for (key, entry) in entries {
                        zone = self.entry(&pointer(&at, key), key, entry, false).or(zone);
                    }
                }
                None => {
                    self.refuse(&at, "a day's entries are not a set", "export the timetable again")
                }
            }
        }
        zone
    }

    /// Reads one entry (with its nested ones); the zone of its times.
    fn entry(&mut self, at: &str, key: &str, value: &Value, nested: bool) -> Option<TimeZone> {
        if self.entries.len() >= MAX_ENTRIES {
            if self.problems.iter().all(|d| !d.message.contains("entries; an agenda")) {
                self.refuse(
                    at,
                    format!("the timetable has more than {MAX_ENTRIES} entries; an agenda holds up to {MAX_ENTRIES}"),
                    "export the timetable of one event, not a whole conference's archive",
                );
            }
            return None;
        }
        let Some(o) = value.as_object() else {
            self.refuse(at, "an entry is not an object", "export the timetable again");
            return None;
        };
        let kind = o.get("entryType").and_then(Value::as_str).unwrap_or("");
        let (start, zone) = self.when(at, o, "startDate")?;
        let (end, _) = self.when(at, o, "endDate")?;
        let title = self.title(at, o, kind)?;
        let id = o.get("id").and_then(Value::as_str).unwrap_or(key).to_owned();
        let description = self.description(at, o);
        let place = Place { text: at.to_owned(), span: None };
        let mut entry = Entry {
            at: place,
            id,
            title,
            start: When::Zoned(start),
            end: Some(When::Zoned(end)),
            is_break: kind == "Break",
            description,
            topics: Vec::new(),
            speakers: Vec::new(),
            moderators: Vec::new(),
            occurrence: false,
        };
        match kind {
            "Break" => {}
            "Contribution" if !nested => entry.speakers = self.people(at, o, "presenters", None),
            "Session" if !nested => {
                entry.moderators = self.people(at, o, "conveners", None);
                self.children(at, o, &mut entry);
            }
            other => {
                let what = if other.is_empty() {
                    "no `entryType`".to_owned()
                } else {
                    format!("entry type `{other}`")
                };
                self.refuse(
                    at,
                    format!("an entry of {what}; a timetable holds `Session`, `Contribution` and `Break` entries, sessions holding the others"),
                    "export the timetable again",
                );
                return None;
            }
        }
        self.entries.push(entry);
        Some(zone)
    }

    /// The contributions and breaks of a session block: the breaks rows
    /// of their own, the contributions its topics and speakers, in time
    /// order.
    fn children(&mut self, at: &str, o: &Map<String, Value>, block: &mut Entry) {
        let Some(children) = o.get("entries") else { return };
        let Some(children) = children.as_object() else {
            self.refuse(
                &pointer(at, "entries"),
                "a session's `entries` are not a set",
                "export the timetable again",
            );
            return;
        };
        let mut contributions = Vec::new();
        for (key, child) in children {
            let at = pointer(&pointer(at, "entries"), key);
            match child.get("entryType").and_then(Value::as_str) {
                Some("Contribution") => contributions.push((at, child)),
                _ => {
                    self.entry(&at, key, child, true);
                }
            }
        }
        let mut timed = Vec::new();
        for (at, c) in contributions {
            let Some(o) = c.as_object() else { continue };
            let (Some((start, _)), Some((end, _))) =
                (self.when(&at, o, "startDate"), self.when(&at, o, "endDate"))
            else {
                continue;
            };
            timed.push((start, end, at, o));
        }
        timed.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        for (start, end, at, o) in timed {
            let Some(title) = self.title(&at, o, "Contribution") else { continue };
            let minutes = end.duration_since(&start).as_secs() / 60;
            let length = (minutes > 0).then(|| (self.minutes)(minutes.unsigned_abs()));
            block.topics.push(title);
            let presenters = self.people(&at, o, "presenters", length);
            block.speakers.extend(presenters);
        }
    }

    /// A `startDate` or `endDate`: `{date, time, tz}`.
    fn when(
        &mut self,
        at: &str,
        o: &Map<String, Value>,
        field: &str,
    ) -> Option<(jiff::Zoned, TimeZone)> {
        let at = pointer(at, field);
        let part = |p: &str| o.get(field).and_then(|d| d.get(p)).and_then(Value::as_str);
        let (Some(date), Some(time), Some(tz)) = (part("date"), part("time"), part("tz")) else {
            self.refuse(
                &at,
                format!("`{field}` is not `{{date, time, tz}}`"),
                "export the timetable again",
            );
            return None;
        };
        let Ok(zone) = jiff::tz::db().get(tz) else {
            self.refuse(
                &pointer(&at, "tz"),
                format!("`{}` is not a time zone", crate::diag::visible_line(tz)),
                "export with an IANA zone (`?tz=Europe/Zurich`), or leave `tz` out to get the event's",
            );
            return None;
        };
        let (Ok(d), Ok(t)) = (date.parse::<Date>(), time.parse::<Time>()) else {
            self.refuse(
                &at,
                format!("`{date} {time}` is not a date and time"),
                "export the timetable again",
            );
            return None;
        };
        match d.to_datetime(t).to_zoned(zone.clone()) {
            Ok(z) => Some((z, zone)),
            Err(e) => {
                self.refuse(
                    &at,
                    format!("`{date} {time}` in {tz}: {e}"),
                    "export the timetable again",
                );
                None
            }
        }
    }

    /// An entry's title: a session block's is its session's, then its
    /// own where it has one ("Detector physics: Morning").
    fn title(&mut self, at: &str, o: &Map<String, Value>, kind: &str) -> Option<String> {
        let field =
            |f: &str| o.get(f).and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty());
        let title = match (kind, field("title"), field("slotTitle")) {
            ("Session", Some(session), Some(slot)) if session != slot => {
                Some(format!("{session}{}{slot}", self.colon))
            }
            ("Session", session, slot) => session.or(slot).map(str::to_owned),
            _ => field("title").map(str::to_owned),
        };
        let Some(title) = title else {
            self.refuse(
                at,
                "an entry without a title",
                "give the entry a title in Indico and export again",
            );
            return None;
        };
        self.value(&pointer(at, "title"), &title)
    }

    /// A text value, checked as every value read from a file is.
    fn value(&mut self, at: &str, value: &str) -> Option<String> {
        match text::check_value(value) {
            Ok(()) => Some(value.to_owned()),
            Err(d) => {
                self.problems.push(text::placed(d, at).in_file(self.name));
                None
            }
        }
    }

    /// An entry's description as Markdown: Indico keeps them in Markdown,
    /// or in HTML, whose text is taken.
    fn description(&mut self, at: &str, o: &Map<String, Value>) -> Option<String> {
        let d = o
            .get("description")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|d| !d.is_empty())?;
        let d = if super::exported::looks_like_html(d) {
            super::exported::plain_markdown(&super::exported::html_text(d))
        } else {
            d.to_owned()
        };
        if let Err(problem) = text::check_printable(&d) {
            self.problems
                .push(text::placed(problem, &pointer(at, "description")).in_file(self.name));
            return None;
        }
        if let Some((problem, _)) = text::markdown_problem(&d) {
            self.problems
                .push(text::placed(problem, &pointer(at, "description")).in_file(self.name));
            return None;
        }
        Some(d)
    }

    /// The people of `field` (presenters, conveners), each as its `name`
    /// (or first and family names) and affiliation.
    fn people(
        &mut self,
        at: &str,
        o: &Map<String, Value>,
        field: &str,
        duration: Option<String>,
    ) -> Vec<Person> {
        let Some(list) = o.get(field).and_then(Value::as_array) else { return Vec::new() };
        let mut out = Vec::new();
        for (i, p) in list.iter().enumerate() {
            let at = pointer(&pointer(at, field), &i.to_string());
            let part =
                |f: &str| p.get(f).and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty());
            let name = match (part("name"), part("firstName"), part("familyName")) {
                (Some(name), _, _) => name.to_owned(),
                (None, first, family) => {
                    first.into_iter().chain(family).collect::<Vec<_>>().join(" ")
                }
            };
            if name.is_empty() {
                continue;
            }
            let Some(name) = self.value(&pointer(&at, "name"), &name) else { continue };
            let organisation = match part("affiliation") {
                Some(a) => self.value(&pointer(&at, "affiliation"), a),
                None => None,
            };
            out.push(Person { name, role: None, organisation, duration: duration.clone() });
        }
        out
    }
}
