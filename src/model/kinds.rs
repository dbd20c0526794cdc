//! The kinds of annex and of block: each kind one variant, carrying its
//! key in the record, its default title, the template that prints it and
//! the area of the report `diff` files its changes under.
//!
//! The input, render and diff stages dispatch on these with exhaustive
//! `match`es, so a new kind is a compile error wherever it must be
//! handled; the templates include a kind's template by its name, so a
//! missing template is an error, never an empty annex. ARCHITECTURE.md
//! lists the steps of adding a kind.

use serde::{Deserialize, Serialize};

/// Where in the report something is; the order is the report's. `diff`
/// groups its changes by area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// The cover, inside cover and the document's metadata.
    Cover,
    /// Chapters, sections, presentations, their text; the annexes.
    Chapters,
    /// Tables, figures and charts.
    Tables,
    /// The agenda annex.
    Agenda,
    /// Lists of participants and contacts.
    Participants,
    /// The feedback survey.
    Feedback,
    /// Recommendations and action points.
    Recommendations,
    /// The pictures the report embeds.
    Images,
}

impl Area {
    /// The heading a summary prints above the area's changes.
    pub fn title(self) -> &'static str {
        match self {
            Area::Cover => "Cover and metadata",
            Area::Chapters => "Chapters and sections",
            Area::Tables => "Tables and figures",
            Area::Agenda => "Agenda",
            Area::Participants => "Participants",
            Area::Feedback => "Feedback",
            Area::Recommendations => "Recommendations",
            Area::Images => "Images",
        }
    }
}

/// The kinds of annex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnexKind {
    /// The programme, day by day, in one or more time zones.
    Agenda,
    /// Lists of participants, from CSV files.
    Participants,
    /// The feedback survey, tallied.
    Feedback,
    /// Photos with captions.
    Photos,
    /// Contact information, by organisation.
    Contacts,
    /// Numbered recommendations or action points, each with an owner.
    Recommendations,
    /// Free Markdown text.
    Text,
}

impl AnnexKind {
    /// Every kind, in the order the record's documentation lists them.
    pub const ALL: [AnnexKind; 7] = [
        AnnexKind::Agenda,
        AnnexKind::Participants,
        AnnexKind::Feedback,
        AnnexKind::Photos,
        AnnexKind::Contacts,
        AnnexKind::Recommendations,
        AnnexKind::Text,
    ];

    /// The field of an annex in the record that gives it this kind.
    pub fn key(self) -> &'static str {
        match self {
            AnnexKind::Agenda => "agenda",
            AnnexKind::Participants => "participants",
            AnnexKind::Feedback => "feedback",
            AnnexKind::Photos => "photos",
            AnnexKind::Contacts => "contacts",
            AnnexKind::Recommendations => "recommendations",
            AnnexKind::Text => "text",
        }
    }

    /// The term of the title an annex of this kind has unless the record
    /// gives one (`None`: the record must).
    pub fn title_term(self) -> Option<&'static str> {
        match self {
            AnnexKind::Agenda => Some("agenda_title"),
            AnnexKind::Participants => Some("participants_title"),
            AnnexKind::Feedback => Some("feedback_title"),
            AnnexKind::Photos => Some("photos_title"),
            AnnexKind::Contacts => Some("contacts_title"),
            AnnexKind::Recommendations => Some("recommendations_title"),
            AnnexKind::Text => None,
        }
    }

    /// The template that prints an annex of this kind: `<key>.typ.j2`.
    pub fn template(self) -> String {
        format!("{}.typ.j2", self.key())
    }

    /// Where `diff` files the changes inside an annex of this kind.
    pub fn area(self) -> Area {
        match self {
            AnnexKind::Agenda => Area::Agenda,
            AnnexKind::Participants | AnnexKind::Contacts => Area::Participants,
            AnnexKind::Feedback => Area::Feedback,
            AnnexKind::Photos => Area::Tables,
            AnnexKind::Recommendations => Area::Recommendations,
            AnnexKind::Text => Area::Chapters,
        }
    }
}

/// The kinds of block of a chapter's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Markdown text.
    Text,
    /// A table, from CSV or written in the record.
    Table,
    /// A picture.
    Figure,
    /// A bar chart drawn from a CSV file.
    Chart,
}

impl BlockKind {
    /// Every kind.
    pub const ALL: [BlockKind; 4] =
        [BlockKind::Text, BlockKind::Table, BlockKind::Figure, BlockKind::Chart];

    /// The field of a block in the record that gives it this kind.
    pub fn key(self) -> &'static str {
        match self {
            BlockKind::Text => "text",
            BlockKind::Table => "table",
            BlockKind::Figure => "figure",
            BlockKind::Chart => "chart",
        }
    }

    /// The template that prints a block of this kind: `block-<key>.typ.j2`.
    pub fn template(self) -> String {
        format!("block-{}.typ.j2", self.key())
    }

    /// Where `diff` files the changes of a block of this kind.
    pub fn area(self) -> Area {
        match self {
            BlockKind::Text => Area::Chapters,
            BlockKind::Table | BlockKind::Figure | BlockKind::Chart => Area::Tables,
        }
    }
}

/// The kinds' keys as the record's messages list them: "`a`, `b` or `c`".
pub fn alternatives<K: std::fmt::Display>(keys: impl IntoIterator<Item = K>) -> String {
    let keys: Vec<String> = keys.into_iter().map(|k| format!("`{k}`")).collect();
    match keys.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => keys.join(""),
    }
}
