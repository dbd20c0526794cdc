//! A documents annex: the workshop's documents (concept note,
//! programme, presentations, the report's own versions in other
//! languages), each with its language and, where it is online, its
//! address, so that a reader of the printed report can find them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Kind, Picture};
use crate::diff::matching::{Pair, pairs};
use crate::diff::{Area, Change, Changes, Kind as Changed, key};
use crate::input::checks::link::{self, Link};
use crate::input::record::Spanned;
use crate::input::{Check, Checked, Context, Errors, volume};
use crate::language::terms::{Term, text};
use crate::model::DateRange;

register! {
    /// The workshop's documents, each with its title, language and address.
    #[schemars(extend("x-hint" = "each document starts with `- title:`, then `language:` and `link:`"))]
    8 => documents: Vec<DocumentRecord>
}

// A document as the record gives it (no doc comment: the schema would print it).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Document")]
#[allow(missing_docs)]
pub struct DocumentRecord {
    pub title: String,
    /// The language it is written in, as readers name it: `English`, `Français`.
    pub language: Option<String>,
    /// Where it is online: a web address (`https://...`).
    pub link: Option<Spanned<String>>,
}

/// The workshop's documents.
pub struct Documents;

/// What a documents annex prints: a table of the documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    /// The documents, in the record's order.
    pub documents: Vec<Document>,
}

/// A document of the documents annex.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Its title.
    pub title: String,
    /// The language it is written in; `None`: not said.
    pub language: Option<String>,
    /// Its checked web address, printed under the title and linked.
    pub link: Option<String>,
}

impl Kind for Documents {
    type Record = Record;
    type Content = Content;
    const TITLE: Option<&'static str> = Some("documents_title");
    const TERMS: &'static [Term] = &[
        text("documents_title", "The title of a documents annex the record gives no title."),
        text("document", "The heading of the documents annex's column of titles."),
        text("document_language", "The heading of the documents annex's column of languages."),
    ];
    const AREA: Area = Area::Chapters;

    fn check(documents: &Record, cx: &mut Context, _: Option<DateRange>) -> Option<Content> {
        cx.checked(|check| check_documents(documents, check))
    }

    /// Documents matched by title; a changed language or address is told.
    fn compare(out: &mut Changes, place: &[String], old: &Content, new: &Content) {
        let a = Area::Chapters;
        for pair in pairs(&old.documents, &new.documents, |d| key(&d.title)) {
            let (o, n) = match pair {
                Pair::Removed(o) => {
                    let c = Change::new(a, Changed::Removed, "document").named(&o.title);
                    out.push(c.at(place));
                    continue;
                }
                Pair::Added(n) => {
                    let c = Change::new(a, Changed::Added, "document").named(&n.title);
                    out.push(c.at(place));
                    continue;
                }
                Pair::Kept { old, new, .. } | Pair::Renamed { old, new } => (old, new),
            };
            let mut inner = place.to_vec();
            inner.push(format!("document “{}”", n.title));
            out.value(a, &inner, "language", o.language.as_deref(), n.language.as_deref());
            out.value(a, &inner, "link", o.link.as_deref(), n.link.as_deref());
        }
    }

    fn volume(content: &Content) -> Option<(&'static str, usize)> {
        let cells = content.documents.iter().map(|d| {
            let optional = [&d.language, &d.link].into_iter().flatten();
            volume::text(&d.title) + optional.map(|s| volume::text(s)).sum::<usize>()
        });
        Some(("documents", cells.sum()))
    }

    fn pictures(_: &Content) -> Vec<Picture<'_>> {
        Vec::new()
    }
}

/// The documents, each address checked as a web address (a `javascript:`
/// or `file:` link would run or open something in a reader's viewer).
fn check_documents(documents: &Record, check: &mut Check) -> Checked<Content> {
    let mut errors = Errors::default();
    let mut out = Vec::new();
    for d in documents {
        let link = d
            .link
            .as_ref()
            .and_then(|l| link::link(l, Link::Web).map_err(|e| errors.push(check.at(l, e))).ok());
        let language = d.language.clone().filter(|l| !l.trim().is_empty());
        out.push(Document { title: d.title.clone(), language, link });
    }
    errors.or(Content { documents: out })
}
