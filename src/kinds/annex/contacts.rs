//! A contacts annex: the people to contact, by organisation.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Kind, Picture};
use crate::diff::matching::{Pair, pairs};
use crate::diff::{Area, Change, Changes, Kind as Changed, key};
use crate::input::checks::link::{self, Link};
use crate::input::record::Spanned;
use crate::input::{Check, Checked, Context, Errors};
use crate::language::terms::Term;
use crate::model::DateRange;

register! {
    5 => contacts: Vec<ContactGroupRecord>
}

// An organisation's people, as the record gives them.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(missing_docs)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ContactGroup", extend("x-noun" = "a group of contacts"))]
pub struct ContactGroupRecord {
    pub organisation: String,
    pub people: Vec<ContactRecord>,
}

// A person to contact, as the record gives them.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(missing_docs)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Contact")]
pub struct ContactRecord {
    pub name: String,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub email: Option<Spanned<String>>,
}

/// Contact information, by organisation.
pub struct Contacts;

/// What a contacts annex prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    /// One group per organisation, in the record's order.
    pub groups: Vec<ContactGroup>,
}

/// The people to contact at one organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactGroup {
    /// The organisation's name, printed above its people.
    pub organisation: String,
    /// Its people, in the record's order.
    pub people: Vec<Contact>,
}

/// A person to contact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    /// The person's name, printed in bold.
    pub name: String,
    /// Their job title: "Governance and Public Administration Officer".
    pub title: Option<String>,
    /// Their unit within the organisation: "DPIDG/DGB".
    pub unit: Option<String>,
    /// A checked e-mail address, printed as a `mailto:` link.
    pub email: Option<String>,
}

impl Kind for Contacts {
    type Record = Record;
    type Content = Content;
    const TITLE: Option<&'static str> = Some("contacts_title");
    const TERMS: &'static [Term] = &[];
    const AREA: Area = Area::Participants;

    fn check(groups: &Record, cx: &mut Context, _: Option<DateRange>) -> Option<Content> {
        cx.checked(|check| contacts(groups, check))
    }

    /// People matched by name, each field of theirs compared.
    fn compare(out: &mut Changes, place: &[String], old: &Content, new: &Content) {
        let a = Area::Participants;
        let (o, n) = (flat(&old.groups), flat(&new.groups));
        for pair in pairs(&o, &n, |c| key(&c.0)) {
            match pair {
                Pair::Removed(o) => {
                    out.push(Change::new(a, Changed::Removed, "contact").named(&o.0).at(place));
                }
                Pair::Added(n) => {
                    out.push(Change::new(a, Changed::Added, "contact").named(&n.0).at(place))
                }
                Pair::Kept { old: o, new: n, .. } | Pair::Renamed { old: o, new: n } => {
                    let mut c = Change::new(a, Changed::Changed, "contact").named(&n.0).at(place);
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

    fn volume(content: &Content) -> Option<(&'static str, usize)> {
        Some(("contacts", crate::input::volume::contacts(&content.groups)))
    }

    fn pictures(_: &Content) -> Vec<Picture<'_>> {
        Vec::new()
    }
}

/// Each person with their fields by name, the organisation among them.
fn flat(groups: &[ContactGroup]) -> Vec<(String, Vec<(String, String)>)> {
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
                let fields =
                    fields.iter().map(|(k, v)| (k.to_string(), v.cloned().unwrap_or_default()));
                (p.name.clone(), fields.collect())
            })
        })
        .collect()
}

/// The contacts, each e-mail address checked.
fn contacts(groups: &Record, check: &mut Check) -> Checked<Content> {
    let mut errors = Errors::default();
    let mut contact = |p: &ContactRecord| Contact {
        name: p.name.clone(),
        title: p.title.clone(),
        unit: p.unit.clone(),
        email: p
            .email
            .as_ref()
            .and_then(|e| link::link(e, Link::Mail).map_err(|d| errors.push(check.at(e, d))).ok()),
    };
    let groups = groups
        .iter()
        .map(|g| ContactGroup {
            organisation: g.organisation.clone(),
            people: g.people.iter().map(&mut contact).collect(),
        })
        .collect();
    errors.or(Content { groups })
}
