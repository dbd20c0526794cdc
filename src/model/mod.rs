//! The workshop as plain, validated data.
//!
//! Nothing here does IO: the `input` stage builds a [`Workshop`] from the
//! files of a workshop folder and checks it once; every later stage
//! (rendering, tallying, diffing) reads these types and nothing else.

pub mod date;

pub use date::DateRange;

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;

/// One workshop: everything its report is made from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workshop {
    /// The name of the workshop folder; names the PDF and identifies the
    /// document.
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// The kind of document, e.g. "Final Report".
    pub edition: Option<String>,
    pub dates: DateRange,
    /// Where the workshop took place, e.g. "Istanbul, Türkiye" or "Online".
    pub place: Option<String>,
    /// The date the report carries as its document date.
    #[serde(with = "date::iso")]
    pub published: Date,
    /// An ISO 639 language code, for hyphenation and the PDF metadata.
    pub language: String,
    pub organisers: Vec<Organiser>,
    pub chapters: Vec<Chapter>,
    pub participants: Vec<ParticipantList>,
}

/// An organisation that ran the workshop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organiser {
    pub name: String,
    pub short_name: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    pub logo: Option<ImageRef>,
    pub website: Option<String>,
}

/// A chapter, or a section of one: a title, Markdown text, and sections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    pub title: String,
    /// Markdown.
    pub text: Option<String>,
    pub sections: Vec<Chapter>,
}

/// A checked image that the inputs name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// The path inside the workshop folder, with `/` separators; also the
    /// path under which the typesetter serves the image.
    pub path: String,
}

/// A list of people, read from a CSV file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantList {
    pub title: Option<String>,
    /// The column whose value groups the rows, if any.
    pub group_by: Option<String>,
    /// The columns printed, in order (the grouping column excluded).
    pub columns: Vec<String>,
    /// The groups in order of first appearance; one unnamed group when the
    /// list is not grouped.
    pub groups: Vec<ParticipantGroup>,
}

/// The people of a list who share the value of the grouping column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantGroup {
    pub name: Option<String>,
    /// One row per person, one cell per printed column.
    pub rows: Vec<Vec<String>>,
}

impl ParticipantList {
    /// The number of people on the list.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.rows.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The bytes of the files a workshop's report embeds, by their path inside
/// the workshop folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assets {
    pub images: BTreeMap<String, Vec<u8>>,
}
