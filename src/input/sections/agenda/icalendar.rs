//! iCalendar files (RFC 5545) as Indico, Outlook and Google Calendar
//! export them, read with the `ical` crate (lines unfolded, properties and
//! their parameters split; it refuses broken nesting with an error instead
//! of recursing). Each `VEVENT` is a session: `SUMMARY` its title,
//! `DESCRIPTION` its description (plain text), `DTSTART`/`DTEND` (or
//! `DURATION`) its times: in UTC (`Z`), in a `TZID` (an IANA name, one
//! behind a prefix such as `/mozilla.org/…/Europe/Zurich`, or a Windows
//! name as Outlook writes, mapped by CLDR's table through ICU4X), or
//! floating (read in the agenda's first zone). A one-day all-day event
//! titles its day; a longer one is left out, with a warning. Cancelled
//! events are left out. Daily and weekly `RRULE`s are expanded within the
//! workshop's dates (`EXDATE`s and moved occurrences, `RECURRENCE-ID`,
//! heeded); other recurrences are refused.

use jiff::ToSpan;
use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;

use super::exported::{Entry, Export, Heading, MAX_ENTRIES, Place, When, plain_markdown};
use crate::diag::{Code, Diagnostic, Span};
use crate::input::Context;
use crate::input::checks::text;
use crate::input::record::Spanned;
use crate::model::DateRange;

/// The most days walked through to expand a calendar's recurrences
/// (those without `COUNT` jump to the workshop's dates).
const MAX_STEPS: usize = 1_000_000;

impl Context {
    /// The agenda of the iCalendar file at `path`; recurrences expanded
    /// within `dates`.
    pub(super) fn icalendar(
        &mut self,
        path: &Spanned<String>,
        dates: Option<DateRange>,
    ) -> Option<Export> {
        let (name, bytes) = self.export_bytes(path, "the calendar exported")?;
        // Shown in messages as written; read unfolded (RFC 5545 3.1: a
        // line break and one space or tab, anywhere, even inside a
        // character), which the parser would do dropping a space at the
        // fold.
        let source = String::from_utf8_lossy(&bytes).into_owned();
        self.sink.sources.insert(&name, source.as_str());
        let (unfolded, origin) = unfold(&bytes);
        let unfolded = match String::from_utf8(unfolded) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
                let line = origin.get(line).copied().unwrap_or(1);
                self.error(
                    Diagnostic::error(
                        Code::AgendaExport,
                        format!("line {line}: the calendar is not UTF-8 text"),
                    )
                    .hint("export the calendar again (iCalendar files are UTF-8)")
                    .in_file(&name)
                    .at(Span::line_of(&source, line)),
                );
                return None;
            }
        };
        self.glyphs.check(&name, "", &unfolded, 0, 0);
        let mut reader = Reader {
            name: &name,
            source: &source,
            unfolded: (&unfolded, &origin),
            dates,
            declared: None,
            steps: 0,
            left_out: (0, 0),
            problems: Vec::new(),
            warnings: Vec::new(),
        };
        let export = reader.calendar();
        let Reader { problems, warnings, .. } = reader;
        for d in warnings {
            self.error(d);
        }
        if !problems.is_empty() || export.is_none() {
            for d in problems {
                self.error(d);
            }
            return None;
        }
        export
    }
}

/// What reading a calendar gathers.
struct Reader<'a> {
    name: &'a str,
    /// The file as written, for messages.
    source: &'a str,
    /// Its lines unfolded, and the line of the file each starts on.
    unfolded: (&'a str, &'a [usize]),
    /// The workshop's dates: recurrences are expanded within them.
    dates: Option<DateRange>,
    /// The calendar's own zone (`X-WR-TIMEZONE`): floating times are in it.
    declared: Option<TimeZone>,
    /// The days walked through to expand recurrences, bounded by
    /// [`MAX_STEPS`] for the whole file.
    steps: usize,
    /// The events left out: on other days than the workshop's (a day's
    /// margin kept for the zones), private.
    left_out: (usize, usize),
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// A property of an event: its value and parameters.
struct Property<'a> {
    value: &'a str,
    params: &'a [(String, Vec<String>)],
}

impl Property<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.first())
            .map(String::as_str)
    }
}

/// One `VEVENT`, its properties by name.
struct Event<'a> {
    at: Place,
    properties: &'a [ical::property::Property],
}

impl<'a> Event<'a> {
    fn get(&self, name: &str) -> Option<Property<'a>> {
        let p = self.properties.iter().find(|p| p.name.eq_ignore_ascii_case(name))?;
        Some(Property {
            value: p.value.as_deref().unwrap_or(""),
            params: p.params.as_deref().unwrap_or(&[]),
        })
    }

    fn all(&self, name: &'a str) -> impl Iterator<Item = Property<'a>> + 'a {
        self.properties.iter().filter(move |p| p.name.eq_ignore_ascii_case(name)).map(|p| {
            Property {
                value: p.value.as_deref().unwrap_or(""),
                params: p.params.as_deref().unwrap_or(&[]),
            }
        })
    }
}

/// A time as an event gives it.
enum Time {
    At(When),
    Day(Date),
}

impl Reader<'_> {
    fn refuse(&mut self, at: Option<&Place>, code: Code, message: String, hint: &str) {
        let mut d = Diagnostic::error(code, message).hint(hint.to_owned()).in_file(self.name);
        if let Some(at) = at {
            d = text::placed(d, &at.text);
            if let Some(span) = &at.span {
                d = d.at(span.clone());
            }
        }
        self.problems.push(d);
    }

    /// Reads the file's one calendar into an export.
    fn calendar(&mut self) -> Option<Export> {
        if !self.source.trim_start_matches('\u{feff}').trim_start().starts_with("BEGIN:VCALENDAR") {
            let hint = if self.source.trim_start().starts_with('{') {
                "this looks like JSON: an Indico timetable export goes under `indico:`"
            } else {
                "give the `.ics` file the calendar exported, unchanged"
            };
            self.refuse(
                None,
                Code::AgendaExport,
                "this is not an iCalendar file: it does not begin with `BEGIN:VCALENDAR`".into(),
                hint,
            );
            return None;
        }
        let calendar = self.parse()?;
        let lines = event_lines(self.source);
        let events: Vec<Event> = calendar
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let line = lines.get(i).copied().unwrap_or(1);
                Event {
                    at: Place {
                        text: format!("line {line}"),
                        span: Some(Span::line_of(self.source, line)),
                    },
                    properties: &e.properties,
                }
            })
            .collect();
        if events.is_empty() {
            self.refuse(
                None,
                Code::AgendaExport,
                "the calendar has no events".into(),
                "export the calendar that holds the workshop's sessions",
            );
            return None;
        }
        let declared = calendar
            .properties
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case("X-WR-TIMEZONE"))
            .and_then(|p| p.value.as_deref())
            .and_then(zone);
        self.declared = declared.clone();
        let mut export = Export {
            name: self.name.to_owned(),
            zone: declared,
            entries: Vec::new(),
            headings: Vec::new(),
            others_left_out: true,
            left_out: 0,
        };
        self.events(&events, &mut export);
        export.left_out = self.left_out.0;
        if self.left_out.1 > 0 {
            self.warnings.push(
                Diagnostic::warning(
                    Code::AgendaEntry,
                    format!("`{}`: {} private event(s) left out", self.name, self.left_out.1),
                )
                .hint("a calendar's private and confidential events never print; export only the workshop's calendar")
                .in_file(self.name),
            );
        }
        Some(export)
    }

    /// The file's calendar, as the parser reads it.
    fn parse(&mut self) -> Option<ical::parser::ical::component::IcalCalendar> {
        let (unfolded, origin) = self.unfolded;
        let mut parser = ical::IcalParser::new(unfolded.trim_start_matches('\u{feff}').as_bytes());
        match parser.next() {
            Some(Ok(calendar)) => Some(calendar),
            Some(Err(e)) => {
                let message = e.to_string();
                let line = message
                    .split("Line ")
                    .nth(1)
                    .and_then(|r| r.split(':').next())
                    .and_then(|n| n.trim().parse::<usize>().ok())
                    .map(|n| origin.get(n.saturating_sub(1)).copied().unwrap_or(n));
                let at = line.map(|n: usize| Place {
                    text: format!("line {n}"),
                    span: Some(Span::line_of(self.source, n)),
                });
                self.refuse(
                    at.as_ref(),
                    Code::AgendaExport,
                    format!("the calendar cannot be read: {message}"),
                    "export it again; a file cut short ends without `END:VCALENDAR`",
                );
                None
            }
            None => {
                self.refuse(
                    None,
                    Code::AgendaExport,
                    "the file holds no calendar".into(),
                    "export the calendar again",
                );
                None
            }
        }
    }

    /// Reads every event into `export`: moved occurrences replace the
    /// ones they move.
    fn events(&mut self, events: &[Event], export: &mut Export) {
        let mut moved: Vec<(String, jiff::Timestamp)> = Vec::new();
        for e in events {
            if let (Some(uid), Some(Ok(Time::At(w)))) =
                (e.get("UID"), e.get("RECURRENCE-ID").map(|p| self.time(&p)))
            {
                moved.push((uid.value.to_owned(), instant(&w)));
            }
        }
        for e in events {
            if e.get("CLASS").is_some_and(|c| {
                ["PRIVATE", "CONFIDENTIAL"].iter().any(|k| c.value.eq_ignore_ascii_case(k))
            }) {
                self.left_out.1 += 1;
                continue;
            }
            if export.entries.len() > MAX_ENTRIES {
                self.refuse(Some(&e.at), Code::AgendaExport, format!("the calendar has more than {MAX_ENTRIES} events; an agenda holds up to {MAX_ENTRIES}"), "export only the workshop's calendar");
                return;
            }
            if e.get("STATUS").is_some_and(|s| s.value.eq_ignore_ascii_case("CANCELLED")) {
                continue;
            }
            self.event(e, &moved, export);
        }
    }

    /// Reads one event (and its recurrences).
    fn event(&mut self, e: &Event, moved: &[(String, jiff::Timestamp)], export: &mut Export) {
        let title = e.get("SUMMARY").map(|p| unescape(p.value)).unwrap_or_default();
        let title = title.trim();
        if title.is_empty() {
            self.refuse(
                Some(&e.at),
                Code::AgendaExport,
                "an event without a `SUMMARY`".into(),
                "give the event a title in the calendar and export it again",
            );
            return;
        }
        if let Err(d) = text::check_value(title) {
            self.problems.push(text::placed(d, &e.at.text).in_file(self.name));
            return;
        }
        let Some(start) = e.get("DTSTART") else {
            self.refuse(
                Some(&e.at),
                Code::AgendaExport,
                format!("`{title}` has no `DTSTART`"),
                "export the calendar again",
            );
            return;
        };
        let start = match self.time(&start) {
            Ok(t) => t,
            Err((message, hint)) => {
                return self.refuse(Some(&e.at), Code::AgendaExport, message, hint);
            }
        };
        let end = match (e.get("DTEND"), e.get("DURATION")) {
            (Some(end), _) => match self.time(&end) {
                Ok(t) => Some(t),
                Err((message, hint)) => {
                    return self.refuse(Some(&e.at), Code::AgendaExport, message, hint);
                }
            },
            (None, Some(d)) => match (&start, d.value.trim().parse::<jiff::Span>()) {
                (Time::At(When::Zoned(z)), Ok(span)) => {
                    z.checked_add(span).ok().map(|z| Time::At(When::Zoned(z)))
                }
                (Time::At(When::Floating(t)), Ok(span)) => {
                    t.checked_add(span).ok().map(|t| Time::At(When::Floating(t)))
                }
                (Time::Day(d), Ok(span)) => d.checked_add(span).ok().map(Time::Day),
                (_, Err(_)) => {
                    return self.refuse(
                        Some(&e.at),
                        Code::AgendaExport,
                        format!("`{}` is not a duration", d.value),
                        "export the calendar again",
                    );
                }
            },
            (None, None) => None,
        };
        match (start, end) {
            (Time::Day(day), end) => self.all_day(e, title, day, end, export),
            (Time::At(start), Some(Time::Day(_))) | (Time::At(start), None) => {
                self.push(e, title, (start, None), moved, export)
            }
            (Time::At(start), Some(Time::At(end))) => {
                self.push(e, title, (start, Some(end)), moved, export)
            }
        }
    }

    /// An all-day event: a day's title if it lasts one day.
    fn all_day(
        &mut self,
        e: &Event,
        title: &str,
        day: Date,
        end: Option<Time>,
        export: &mut Export,
    ) {
        if e.get("RRULE").is_some() {
            self.warnings.push(
                text::placed(
                    Diagnostic::warning(
                        Code::Recurrence,
                        format!(
                            "`{title}` is a recurring all-day event: it titles its first day only"
                        ),
                    ),
                    &e.at.text,
                )
                .hint("give the days' titles under `days:`")
                .in_file(self.name),
            );
        }
        let last = match end {
            Some(Time::Day(end)) => end.yesterday().unwrap_or(end),
            _ => day,
        };
        if last > day {
            self.warnings.push(
                text::placed(
                    Diagnostic::warning(Code::AgendaEntry, format!("`{title}` is an all-day event from {day} to {last}; it is left out (an all-day event of one day titles that day)")),
                    &e.at.text,
                )
                .hint("leave it out of the calendar, or give each day's title under `days:`")
                .in_file(self.name)
                .at(e.at.span.clone().unwrap_or(Span { line: 0, column: 0, bytes: 0..0 })),
            );
            return;
        }
        export.headings.push(Heading { date: day, title: title.to_owned() });
    }

    /// Adds the event as an entry, once or as its recurrence repeats it.
    fn push(
        &mut self,
        e: &Event,
        title: &str,
        (start, end): (When, Option<When>),
        moved: &[(String, jiff::Timestamp)],
        export: &mut Export,
    ) {
        let uid = e.get("UID").map(|p| p.value.to_owned()).unwrap_or_default();
        let description =
            e.get("DESCRIPTION").map(|p| unescape(p.value)).filter(|d| !d.trim().is_empty());
        if let Some(d) = &description
            && let Err(problem) = text::check_value(d)
        {
            self.problems.push(text::placed(problem, &e.at.text).in_file(self.name));
            return;
        }
        let description = description.map(|d| match super::exported::looks_like_html(&d) {
            true => plain_markdown(&super::exported::html_text(&d)),
            false => plain_markdown(&d),
        });
        let occurrences = match e.get("RRULE") {
            None if !self.near(&start) => {
                self.left_out.0 += 1;
                return;
            }
            None => vec![start.clone()],
            Some(rule) => {
                let excluded: Vec<Time> = e.all("EXDATE").flat_map(|p| self.times(&p)).collect();
                match self.recur(e, &start, rule.value) {
                    Some(list) => list
                        .into_iter()
                        .filter(|w| {
                            let at = instant(w);
                            !excluded.iter().any(|x| match x {
                                Time::At(x) => instant(x) == at,
                                Time::Day(day) => local(w).date() == *day,
                            }) && !moved.iter().any(|(u, m)| *u == uid && *m == at)
                        })
                        .collect(),
                    None => return,
                }
            }
        };
        let occurrence = e.get("RRULE").is_some();
        let length = end.as_ref().map(|end| instant(end).duration_since(instant(&start)));
        for at in occurrences {
            let end = length.and_then(|l| shift(&at, l));
            export.entries.push(Entry {
                at: e.at.clone(),
                id: uid.clone(),
                title: title.to_owned(),
                start: at,
                end,
                is_break: false,
                description: description.clone(),
                topics: Vec::new(),
                speakers: Vec::new(),
                moderators: Vec::new(),
                occurrence,
            });
        }
    }

    /// Whether `w` is on the workshop's days, a day's margin kept (its
    /// day in the agenda's first zone is told later).
    fn near(&self, w: &When) -> bool {
        match self.window() {
            Some((lo, hi)) => (lo..=hi).contains(&local(w).date()),
            None => true,
        }
    }

    /// The workshop's dates and a day either side.
    fn window(&self) -> Option<(Date, Date)> {
        let dates = self.dates?;
        Some((
            dates.start.yesterday().unwrap_or(dates.start),
            dates.end.tomorrow().unwrap_or(dates.end),
        ))
    }

    /// The occurrences of a recurring event on the workshop's days (a
    /// day's margin kept); a rule the tool does not expand is refused if
    /// it may fall on them.
    fn recur(&mut self, e: &Event, start: &When, rule: &str) -> Option<Vec<When>> {
        let Some((lo, hi)) = self.window() else {
            self.refuse(Some(&e.at), Code::Recurrence, "a recurring event, but the workshop's dates cannot be read to expand it within them".into(), "correct the workshop's `dates`");
            return None;
        };
        let first = local(start);
        let rule = match Rule::parse(rule) {
            Ok(rule) => rule,
            // A rule that ends before the workshop, or starts after it,
            // has nothing to print, whatever it is.
            Err(_)
                if first.date() > hi
                    || until_of(rule).is_some_and(|u| u.to_zoned(TimeZone::UTC).date() < lo) =>
            {
                return Some(Vec::new());
            }
            Err(message) => {
                self.refuse(
                    Some(&e.at),
                    Code::Recurrence,
                    message,
                    "give the sessions as events of their own, or repeat them daily or weekly",
                );
                return None;
            }
        };
        // Without a count, the walk starts a whole cycle before the window.
        let cycle = if rule.weekly { 7 * rule.interval } else { rule.interval };
        let before = (lo - first.date()).get_days() as i64;
        let skip =
            if rule.count.is_none() && before > cycle { (before / cycle - 1) * cycle } else { 0 };
        let mut out = Vec::new();
        let mut count = 0u64;
        for step in skip.. {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                self.refuse(Some(&e.at), Code::Recurrence, format!("the calendar's recurrences take more than {MAX_STEPS} days to expand to the workshop's"), "give the sessions as events of their own; a recurrence started long ago with a `COUNT` is walked from its start");
                return None;
            }
            let Ok(day) = first.date().checked_add(step.days()) else { break };
            let at = day.to_datetime(first.time());
            if day > hi || rule.until.is_some_and(|u| instant_at(start, at).is_some_and(|t| t > u))
            {
                break;
            }
            if !rule.on(first.date(), day) {
                continue;
            }
            count += 1;
            if rule.count.is_some_and(|c| count > c) {
                break;
            }
            if day >= lo
                && let Some(w) = with_time(start, at)
            {
                out.push(w);
            }
            if out.len() > MAX_ENTRIES {
                self.refuse(Some(&e.at), Code::Recurrence, format!("the event repeats more than {MAX_ENTRIES} times within the workshop's dates"), "give the sessions as events of their own");
                return None;
            }
        }
        Some(out)
    }

    /// A `DTSTART`, `DTEND` or `RECURRENCE-ID`.
    fn time(&self, p: &Property) -> Result<Time, (String, &'static str)> {
        let value = p.value.trim();
        let bad = || {
            (
                format!("`{}` is not a date or a date and time", crate::diag::visible_line(value)),
                "export the calendar again",
            )
        };
        if p.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || value.len() == 8 {
            return jiff::fmt::strtime::parse("%Y%m%d", value)
                .and_then(|t| t.to_date())
                .map(Time::Day)
                .map_err(|_| bad());
        }
        let (text, utc) = match value.strip_suffix('Z').or(value.strip_suffix('z')) {
            Some(t) => (t, true),
            None => (value, false),
        };
        let civil: DateTime = jiff::fmt::strtime::parse("%Y%m%dT%H%M%S", text)
            .and_then(|t| t.to_datetime())
            .map_err(|_| bad())?;
        if utc {
            return civil
                .to_zoned(TimeZone::UTC)
                .map(|z| Time::At(When::Zoned(z)))
                .map_err(|_| bad());
        }
        match (p.param("TZID"), &self.declared) {
            (None, None) => Ok(Time::At(When::Floating(civil))),
            (None, Some(zone)) => {
                civil.to_zoned(zone.clone()).map(|z| Time::At(When::Zoned(z))).map_err(|_| bad())
            }
            (Some(tzid), _) => {
                let Some(zone) = zone(tzid) else {
                    return Err((
                        format!(
                            "`{}` is not a time zone the tool knows",
                            crate::diag::visible_line(tzid)
                        ),
                        "export the calendar with IANA zone names (`Europe/Zurich`) or Windows ones (`W. Europe Standard Time`)",
                    ));
                };
                civil.to_zoned(zone).map(|z| Time::At(When::Zoned(z))).map_err(|_| bad())
            }
        }
    }

    /// The times of an `EXDATE` (a list of them, comma-separated; dates
    /// exclude their whole day).
    fn times(&self, p: &Property) -> Vec<Time> {
        p.value
            .split(',')
            .filter_map(|v| self.time(&Property { value: v, params: p.params }).ok())
            .collect()
    }
}

/// A recurrence the tool expands: daily or weekly, on some weekdays,
/// every `interval`, `count` times or `until`.
#[derive(Debug)]
struct Rule {
    weekly: bool,
    /// The day weeks start on (`WKST`), for weekly rules every other week.
    week_start: Weekday,
    interval: i64,
    count: Option<u64>,
    until: Option<jiff::Timestamp>,
    days: Vec<Weekday>,
}

impl Rule {
    fn parse(rule: &str) -> Result<Rule, String> {
        let mut r = Rule {
            weekly: false,
            week_start: Weekday::Monday,
            interval: 1,
            count: None,
            until: None,
            days: Vec::new(),
        };
        let mut freq = None;
        for part in rule.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let bad = || format!("`{part}` of the recurrence `{rule}` cannot be read");
            match key.to_ascii_uppercase().as_str() {
                "FREQ" => freq = Some(value.to_ascii_uppercase()),
                "INTERVAL" => {
                    r.interval =
                        value.parse().ok().filter(|&n| (1..=1000).contains(&n)).ok_or_else(bad)?
                }
                "COUNT" => r.count = Some(value.parse().ok().filter(|&n| n > 0).ok_or_else(bad)?),
                "UNTIL" => {
                    let (text, date_only) = (value.trim_end_matches(['Z', 'z']), value.len() == 8);
                    let civil = if date_only {
                        jiff::fmt::strtime::parse("%Y%m%d", text)
                            .and_then(|t| t.to_date())
                            .map(|d| d.to_datetime(jiff::civil::time(23, 59, 59, 0)))
                    } else {
                        jiff::fmt::strtime::parse("%Y%m%dT%H%M%S", text)
                            .and_then(|t| t.to_datetime())
                    };
                    r.until = Some(
                        civil
                            .ok()
                            .and_then(|c| c.to_zoned(TimeZone::UTC).ok())
                            .ok_or_else(bad)?
                            .timestamp(),
                    );
                }
                "BYDAY" => {
                    for d in value.split(',') {
                        r.days.push(weekday(d).ok_or_else(|| format!("`{d}` in `{rule}` is a weekday the tool does not expand (`MO`..`SU`, without a number)"))?);
                    }
                }
                "WKST" => r.week_start = weekday(value).ok_or_else(bad)?,
                other => {
                    return Err(format!(
                        "the event repeats by `{other}` (`{rule}`), which the tool does not expand"
                    ));
                }
            }
        }
        match freq.as_deref() {
            Some("DAILY") if r.days.is_empty() => {}
            Some("DAILY") => {
                return Err(format!(
                    "the event repeats daily on some weekdays (`{rule}`), which the tool does not expand"
                ));
            }
            Some("WEEKLY") => r.weekly = true,
            Some(f @ ("SECONDLY" | "MINUTELY" | "HOURLY")) => {
                return Err(format!(
                    "the event repeats {} (`{rule}`): an agenda's sessions do not",
                    f.to_lowercase()
                ));
            }
            Some(f) => {
                return Err(format!(
                    "the event repeats `{f}` (`{rule}`); the tool expands daily and weekly sessions"
                ));
            }
            None => return Err(format!("the recurrence `{rule}` has no `FREQ`")),
        }
        Ok(r)
    }

    /// Whether the rule, started on `first`, falls on `day`.
    fn on(&self, first: Date, day: Date) -> bool {
        let days = (day - first).get_days() as i64;
        if !self.weekly {
            return days % self.interval == 0;
        }
        let week_start = |d: Date| {
            let back = (d.weekday().to_monday_zero_offset()
                - self.week_start.to_monday_zero_offset())
            .rem_euclid(7);
            d.checked_sub((back as i64).days()).unwrap_or(d)
        };
        let weeks = (week_start(day) - week_start(first)).get_days() as i64 / 7;
        let wanted = if self.days.is_empty() {
            day.weekday() == first.weekday()
        } else {
            self.days.contains(&day.weekday())
        };
        weeks % self.interval == 0 && wanted
    }
}

fn weekday(d: &str) -> Option<Weekday> {
    Some(match d.trim().to_ascii_uppercase().as_str() {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

/// A time on its own wall clock.
fn local(w: &When) -> DateTime {
    match w {
        When::Zoned(z) => z.datetime(),
        When::Floating(t) => *t,
    }
}

/// The `UNTIL` of a rule, read alone (for a rule the tool does not expand).
fn until_of(rule: &str) -> Option<jiff::Timestamp> {
    let value = rule.split(';').find_map(|p| p.strip_prefix("UNTIL="))?;
    Rule::parse(&format!("FREQ=DAILY;UNTIL={value}")).ok()?.until
}

/// The instant of a time; a floating one read in UTC (only compared with
/// others of its event, floating too).
fn instant(w: &When) -> jiff::Timestamp {
    match w {
        When::Zoned(z) => z.timestamp(),
        When::Floating(t) => t.to_zoned(TimeZone::UTC).map(|z| z.timestamp()).unwrap_or_default(),
    }
}

/// `at`, on the clocks of `like`'s zone (or floating, as it is).
fn with_time(like: &When, at: DateTime) -> Option<When> {
    match like {
        When::Zoned(z) => at.to_zoned(z.time_zone().clone()).ok().map(When::Zoned),
        When::Floating(_) => Some(When::Floating(at)),
    }
}

fn instant_at(like: &When, at: DateTime) -> Option<jiff::Timestamp> {
    with_time(like, at).map(|w| instant(&w))
}

/// `w` moved on by `length`.
fn shift(w: &When, length: jiff::SignedDuration) -> Option<When> {
    match w {
        When::Zoned(z) => z.checked_add(length).ok().map(When::Zoned),
        When::Floating(t) => t.checked_add(length).ok().map(When::Floating),
    }
}

/// The zone a `TZID` names: an IANA name (also behind a prefix, as
/// `/mozilla.org/20050126_1/Europe/Zurich`), or a Windows one
/// (CLDR's `windowsZones`, through ICU4X).
pub(super) fn zone(tzid: &str) -> Option<TimeZone> {
    let name = tzid.trim().trim_matches('"');
    if let Ok(zone) = jiff::tz::db().get(name) {
        return Some(zone);
    }
    if name.starts_with('/') {
        let parts: Vec<&str> = name.split('/').collect();
        return (1..parts.len()).find_map(|i| jiff::tz::db().get(&parts[i..].join("/")).ok());
    }
    let bcp47 = icu_time::zone::WindowsParser::new().parse(name, None)?;
    let iana = icu_time::zone::iana::IanaParserExtended::new()
        .iter()
        .find(|t| t.time_zone == bcp47)?
        .canonical;
    jiff::tz::db().get(iana).ok()
}

/// The bytes with their folded lines unfolded (RFC 5545 3.1: a line
/// break and one space or tab), lines ending CRLF, and the line of the
/// file each line starts on.
fn unfold(bytes: &[u8]) -> (Vec<u8>, Vec<usize>) {
    let mut out = Vec::with_capacity(bytes.len());
    let mut origin = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match line.first() {
            Some(b' ' | b'\t') if !origin.is_empty() => out.extend_from_slice(&line[1..]),
            _ => {
                if !origin.is_empty() {
                    out.extend_from_slice(b"\r\n");
                }
                origin.push(i + 1);
                out.extend_from_slice(line);
            }
        }
    }
    out.extend_from_slice(b"\r\n");
    (out, origin)
}

/// The line each `BEGIN:VEVENT` is on, in order.
fn event_lines(source: &str) -> Vec<usize> {
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim().eq_ignore_ascii_case("BEGIN:VEVENT"))
        .map(|(i, _)| i + 1)
        .collect()
}

/// A TEXT value as written: `\n`, `\,`, `\;` and `\\` read.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_by_iana_prefixed_and_windows_names() {
        let name = |t: &str| zone(t).and_then(|z| z.iana_name().map(str::to_owned));
        assert_eq!(name("Europe/Zurich").as_deref(), Some("Europe/Zurich"));
        assert_eq!(name("/mozilla.org/20050126_1/Europe/Zurich").as_deref(), Some("Europe/Zurich"));
        assert_eq!(name("W. Europe Standard Time").as_deref(), Some("Europe/Berlin"));
        assert_eq!(name("SE Asia Standard Time").as_deref(), Some("Asia/Bangkok"));
        assert_eq!(name("Mars/Olympus_Mons"), None);
    }

    #[test]
    fn folds_keep_their_spaces() {
        let (text, origin) = unfold("A:one\r\n two\r\n\tthree \r\n four\nB:x".as_bytes());
        assert_eq!(text, b"A:onetwothree four\r\nB:x\r\n");
        assert_eq!(origin, [1, 5]);
        // A fold inside a character: "é" is C3 A9.
        let (text, _) = unfold(b"A:caf\xc3\r\n \xa9");
        assert_eq!(String::from_utf8(text).unwrap(), "A:café\r\n");
    }

    #[test]
    fn recurrences_daily_and_weekly_only() {
        assert!(Rule::parse("FREQ=SECONDLY;COUNT=31536000").unwrap_err().contains("secondly"));
        assert!(Rule::parse("FREQ=MONTHLY;BYMONTHDAY=1").is_err());
        assert!(Rule::parse("FREQ=WEEKLY;BYDAY=1MO").is_err());
        let weekly = Rule::parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE").unwrap();
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert!(weekly.on(d("2026-12-07"), d("2026-12-09")));
        assert!(!weekly.on(d("2026-12-07"), d("2026-12-14")));
        assert!(weekly.on(d("2026-12-07"), d("2026-12-21")));
        assert_eq!(unescape("a\\, b\\; c\\nd\\\\"), "a, b; c\nd\\");
        // Every other week from a Sunday, weeks starting on Sunday (as
        // Outlook writes): the 9th and 10th, then the 23rd and 24th.
        let outlook = Rule::parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO;WKST=SU").unwrap();
        let on: Vec<i8> = (9..=24)
            .filter(|&n| outlook.on(d("2025-03-09"), d(&format!("2025-03-{n:02}"))))
            .collect();
        assert_eq!(on, [9, 10, 23, 24]);
        assert!(Rule::parse("FREQ=DAILY;COUNT=0").is_err());
        assert!(Rule::parse("FREQ=DAILY;BYDAY=MO").unwrap_err().contains("daily on some weekdays"));
    }
}
