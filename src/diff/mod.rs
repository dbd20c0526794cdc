//! Comparing two versions of a workshop: what changes in its report.
//!
//! [`compare`] reads two checked [`Workshop`]s (and the images they embed)
//! and lists the changes a reader of the report would notice, grouped by
//! [`Area`] in the order the report prints them: the cover, the chapters,
//! their tables and figures, then the annexes' agenda, participants and
//! feedback, and the images. Things are matched by what identifies them
//! (a chapter by its title, a participant by their name, a session by its
//! title and day), never by position in a file, so re-sorting a CSV file
//! or re-flowing a paragraph of YAML is no change.
//!
//! [`pages`] compares the typeset pages of two builds instead, and
//! [`format`](mod@format) prints a comparison as text, Markdown or JSON.

pub(crate) mod agenda;
mod annex;
mod area;
mod body;
pub(crate) mod feedback;
pub mod format;
pub(crate) mod matching;
pub mod pages;
pub(crate) mod participants;
pub(crate) mod words;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Assets, Workshop};
use matching::{At, Pair, pairs};
pub use words::{Op, Piece};

pub use area::Area;
pub(crate) use body::{each_block, grid, table, text};

/// What happened to a thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// New in the new version.
    Added,
    /// Gone from the new version.
    Removed,
    /// Put elsewhere: another position among its kind, another day, another
    /// chapter.
    Moved,
    /// Given another title or name, its content kept.
    Renamed,
    /// Its text changed (see [`Change::words`]).
    Edited,
    /// A session given other times.
    Retimed,
    /// An image given other bytes under the same name.
    Replaced,
    /// Some of its fields changed (see [`Change::details`]).
    Changed,
}

impl Kind {
    /// The past participle a summary prints.
    pub fn verb(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Moved => "moved",
            Kind::Renamed => "renamed",
            Kind::Edited => "edited",
            Kind::Retimed => "retimed",
            Kind::Replaced => "replaced",
            Kind::Changed => "changed",
        }
    }
}

/// One change to the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Where in the report it is; changes are grouped by it.
    pub area: Area,
    /// What happened to the thing.
    pub kind: Kind,
    /// What changed, in words: "title", "paragraph 3", "session",
    /// "participant".
    pub what: String,
    /// Its name, where it has one: the session's title, the person's name.
    pub name: Option<String>,
    /// Where it is in the report, outermost first: chapter and section
    /// titles, the annex and the list, the agenda day.
    pub place: Vec<String>,
    /// The fields that changed, each from its old to its new value; for an
    /// addition or a removal, what the thing holds.
    pub details: Vec<Detail>,
    /// For edited text: the words, kept, removed and inserted, with long
    /// unchanged runs shortened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<Piece>>,
}

/// One field's old and new value (`None`: not set in that version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detail {
    /// The field's name; empty when the change has a single value.
    pub field: String,
    /// The value in the old version.
    pub old: Option<String>,
    /// The value in the new version.
    pub new: Option<String>,
}

impl Change {
    /// A change of `kind` to `what` in `area`, without name, place or details.
    pub fn new(area: Area, kind: Kind, what: impl Into<String>) -> Change {
        Change {
            area,
            kind,
            what: what.into(),
            name: None,
            place: Vec::new(),
            details: Vec::new(),
            words: None,
        }
    }

    /// The change, naming the thing: a session's title, a person's name.
    pub fn named(mut self, name: impl Into<String>) -> Change {
        self.name = Some(name.into());
        self
    }

    /// The change, at `place` in the report: titles, outermost first.
    pub fn at(mut self, place: &[String]) -> Change {
        self.place = place.to_vec();
        self
    }

    /// The change, with one more field's old and new value (`None`: not set).
    pub fn detail(
        mut self,
        field: impl Into<String>,
        old: Option<impl Into<String>>,
        new: Option<impl Into<String>>,
    ) -> Change {
        self.details.push(Detail {
            field: field.into(),
            old: old.map(Into::into),
            new: new.map(Into::into),
        });
        self
    }

    /// The change, with the word diff of its edited text.
    pub fn words(mut self, words: Vec<Piece>) -> Change {
        self.words = Some(words);
        self
    }
}

/// The comparison of one workshop's two versions, as printed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comparison {
    /// The workshop: its folder as given, or its path in the repository.
    pub workshop: String,
    /// The old version as given (`HEAD~1:inputs/x`); `None`: the workshop
    /// is new.
    pub old: Option<String>,
    /// The new version as given; `None`: the workshop was removed.
    pub new: Option<String>,
    /// What came of the comparison.
    pub status: Status,
    /// The changes to the report, in the report's order.
    pub changes: Vec<Change>,
    /// The pages that changed, with `--pages`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<Vec<pages::PageChange>>,
    /// Why a version could not be read, built or compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// What came of comparing a workshop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Both versions print the same report.
    Unchanged,
    /// The report changes: its content, or (with `--pages`) its pages alone.
    Changed,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// A version has errors.
    Failed,
}

/// The changes between two versions of a workshop, in the report's order.
pub fn compare(old: (&Workshop, &Assets), new: (&Workshop, &Assets)) -> Vec<Change> {
    let mut out = Changes::default();
    out.cover(old.0, new.0);
    body::chapters(&mut out, &old.0.chapters, &new.0.chapters);
    annex::annexes(&mut out, &old.0.annexes, &new.0.annexes);
    images(&mut out, old.1, new.1);
    let mut changes = out.0;
    if changes.is_empty() && !same_report(old.0, new.0) {
        changes.extend(otherwise(old.0, new.0));
    }
    // Stable: each area keeps the report's order.
    changes.sort_by_key(|c| c.area);
    changes
}

/// Whether two versions print the same report, the folder name and the
/// order of the people on lists aside.
fn same_report(old: &Workshop, new: &Workshop) -> bool {
    canonical(old) == canonical(new)
}

/// A workshop without what a comparison leaves aside: its folder name, and
/// the order of rows and groups of participant lists (people are matched
/// by name, so re-sorting a list is no change).
fn canonical(workshop: &Workshop) -> Workshop {
    let mut w = workshop.clone();
    w.id.clear();
    for annex in &mut w.annexes {
        if let crate::model::AnnexContent::Participants(p) = &mut annex.content {
            for list in &mut p.lists {
                for group in &mut list.groups {
                    group.rows.sort();
                }
                list.groups.sort_by(|a, b| a.name.cmp(&b.name));
            }
        }
    }
    w
}

/// A list of changes being gathered.
#[derive(Debug, Default)]
pub struct Changes(Vec<Change>);

impl Changes {
    pub(crate) fn push(&mut self, change: Change) {
        self.0.push(change);
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Records a changed value, if it changed: a short one from old to new,
    /// a long one as a word diff.
    pub(crate) fn value(
        &mut self,
        area: Area,
        place: &[String],
        what: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        let (o, n) = (old.map(words::normalise), new.map(words::normalise));
        if o == n {
            return;
        }
        let change = Change::new(area, Kind::Changed, what).at(place);
        match (o, n) {
            (Some(o), Some(n)) if words::is_long(&o) || words::is_long(&n) => {
                self.push(Change { kind: Kind::Edited, ..change }.words(words::diff(&o, &n)));
            }
            (o, n) => self.push(change.detail("", o, n)),
        }
    }

    /// Records a changed list of names (columns, series, time zones), if
    /// it changed, from the old names to the new.
    pub(crate) fn list(
        &mut self,
        area: Area,
        place: &[String],
        what: &str,
        old: &[String],
        new: &[String],
    ) {
        if old != new {
            self.push(Change::new(area, Kind::Changed, what).at(place).detail(
                "",
                Some(old.join(", ")),
                Some(new.join(", ")),
            ));
        }
    }

    fn cover(&mut self, old: &Workshop, new: &Workshop) {
        let a = Area::Cover;
        let none: &[String] = &[];
        self.value(a, none, "title", Some(&old.title), Some(&new.title));
        self.value(a, none, "subtitle", old.subtitle.as_deref(), new.subtitle.as_deref());
        self.value(a, none, "edition", old.edition.as_deref(), new.edition.as_deref());
        self.value(a, none, "dates", Some(&old.dates_text), Some(&new.dates_text));
        self.value(a, none, "place", old.place.as_deref(), new.place.as_deref());
        self.value(
            a,
            none,
            "publication date",
            Some(&old.published_text),
            Some(&new.published_text),
        );
        self.value(a, none, "language", Some(&old.language.tag), Some(&new.language.tag));
        let (ob, nb) = (&old.branding, &new.branding);
        self.value(a, none, "accent colour", Some(&ob.colour), Some(&nb.colour));
        self.value(a, none, "body font", Some(&ob.font), Some(&nb.font));
        self.value(a, none, "heading font", Some(&ob.heading_font), Some(&nb.heading_font));

        for pair in pairs(&old.organisers, &new.organisers, |o| key(&o.name)) {
            let what = "organiser";
            let (o, n) = match pair {
                Pair::Removed(o) => {
                    self.push(Change::new(a, Kind::Removed, what).named(&o.name));
                    continue;
                }
                Pair::Added(n) => {
                    self.push(Change::new(a, Kind::Added, what).named(&n.name));
                    continue;
                }
                Pair::Kept { old, new, moved } => {
                    if moved {
                        self.push(Change::new(a, Kind::Moved, what).named(&new.name).detail(
                            "position",
                            Some(old.position()),
                            Some(new.position()),
                        ));
                    }
                    (old, new)
                }
                Pair::Renamed { old, new } => (old, new),
            };
            let place = [format!("organiser “{}”", n.name)];
            self.value(a, &place, "name", Some(&o.name), Some(&n.name));
            self.value(a, &place, "short name", o.short_name.as_deref(), n.short_name.as_deref());
            self.value(
                a,
                &place,
                "description",
                o.description.as_deref(),
                n.description.as_deref(),
            );
            let logo = |x: &crate::model::Organiser| x.logo.as_ref().map(|l| l.path.clone());
            self.value(a, &place, "logo", logo(&o).as_deref(), logo(&n).as_deref());
            self.value(a, &place, "website", o.website.as_deref(), n.website.as_deref());
        }

        // Notices by title; one without a title by its number.
        let title = |n: At<crate::model::Notice>| {
            n.title.clone().unwrap_or_else(|| format!("notice {}", n.position()))
        };
        for pair in pairs(&old.notices, &new.notices, |n| key(&title(n))) {
            let (o, n, moved) = match pair {
                Pair::Removed(o) => {
                    self.push(Change::new(a, Kind::Removed, "notice").named(title(o)).detail(
                        "",
                        Some(words::excerpt(&o.text)),
                        None::<String>,
                    ));
                    continue;
                }
                Pair::Added(n) => {
                    self.push(Change::new(a, Kind::Added, "notice").named(title(n)).detail(
                        "",
                        None::<String>,
                        Some(words::excerpt(&n.text)),
                    ));
                    continue;
                }
                Pair::Kept { old, new, moved } => (old, new, moved),
                Pair::Renamed { old, new } => (old, new, false),
            };
            let name = title(n);
            if moved {
                self.push(Change::new(a, Kind::Moved, "notice").named(&name));
            }
            let place = [format!("notice “{name}”")];
            self.value(a, &place, "text", Some(&o.text), Some(&n.text));
        }
    }
}

/// The changes to the embedded images, by path and content hash.
fn images(out: &mut Changes, old: &Assets, new: &Assets) {
    use sha2::Digest;
    let hash = |bytes: &[u8]| crate::contract::hex(&sha2::Sha256::digest(bytes));
    let short = |h: &str| h[..12].to_owned();
    let olds: BTreeMap<&str, String> =
        old.images.iter().map(|(p, b)| (p.as_str(), hash(b))).collect();
    let news: BTreeMap<&str, String> =
        new.images.iter().map(|(p, b)| (p.as_str(), hash(b))).collect();
    let a = Area::Images;
    let mut renamed_from = Vec::new();
    for (path, h) in &news {
        match olds.get(path) {
            Some(old) if old == h => {}
            Some(old) => out.push(Change::new(a, Kind::Replaced, "image").named(*path).detail(
                "sha256",
                Some(short(old)),
                Some(short(h)),
            )),
            None => {
                // The same bytes under a name no longer used: a rename.
                let source = olds.iter().find(|(p, oh)| {
                    *oh == h && !news.contains_key(*p) && !renamed_from.contains(*p)
                });
                match source {
                    Some((p, _)) => {
                        renamed_from.push(*p);
                        out.push(Change::new(a, Kind::Renamed, "image").named(*path).detail(
                            "path",
                            Some(*p),
                            Some(*path),
                        ));
                    }
                    None => out.push(Change::new(a, Kind::Added, "image").named(*path).detail(
                        "sha256",
                        None::<String>,
                        Some(short(h)),
                    )),
                }
            }
        }
    }
    for (path, h) in &olds {
        if !news.contains_key(path) && !renamed_from.contains(path) {
            out.push(Change::new(a, Kind::Removed, "image").named(*path).detail(
                "sha256",
                Some(short(h)),
                None::<String>,
            ));
        }
    }
}

/// The last resort when the report changes in a way no area describes:
/// the fields that differ, by their path in the data.
fn otherwise(old: &Workshop, new: &Workshop) -> Vec<Change> {
    let (Ok(o), Ok(n)) =
        (serde_json::to_value(canonical(old)), serde_json::to_value(canonical(new)))
    else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    leaves(&o, &n, String::new(), &mut paths);
    let mut change = Change::new(Area::Cover, Kind::Changed, "other content");
    for (path, old, new) in paths.into_iter().take(20) {
        change = change.detail(path, old, new);
    }
    vec![change]
}

fn leaves(
    old: &serde_json::Value,
    new: &serde_json::Value,
    path: String,
    out: &mut Vec<(String, Option<String>, Option<String>)>,
) {
    use serde_json::Value;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            for (k, ov) in o {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                leaves(ov, n.get(k).unwrap_or(&Value::Null), p, out);
            }
        }
        (Value::Array(o), Value::Array(n)) if o.len() == n.len() => {
            for (i, (ov, nv)) in o.iter().zip(n).enumerate() {
                leaves(ov, nv, format!("{path}[{i}]"), out);
            }
        }
        (o, n) if o != n => out.push((path, Some(text(o)), Some(text(n)))),
        _ => {}
    }
}

/// The form of a name or title things are matched by: case, spacing and
/// punctuation around it do not matter.
pub(crate) fn key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}
