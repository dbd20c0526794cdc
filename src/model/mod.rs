//! The workshop as plain, validated data.
//!
//! Nothing here does IO: the `input` stage builds a [`Workshop`] from the
//! files of a workshop folder and checks it once; every later stage
//! (rendering, tallying, diffing) reads these types and nothing else.
//! Figures derived from the data (printed dates and times, annex numbers,
//! chart proportions) are computed here, in Rust, and serialised with the
//! data, ready to print.

pub mod date;
pub mod kinds;
pub mod survey;

pub use date::DateRange;

use std::collections::BTreeMap;

/// The longest title the running header of each page shows whole; a
/// longer one shows its first words.
pub const HEADER_TITLE: usize = 110;

use jiff::civil::Date;
use serde::Serialize;

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
    pub published: Date,
    /// An ISO 639 language code, for hyphenation and the PDF metadata.
    pub language: String,
    pub branding: Branding,
    pub organisers: Vec<Organiser>,
    /// Notices on the inside cover: disclaimers, copyright, websites.
    pub notices: Vec<Notice>,
    pub chapters: Vec<Chapter>,
    pub annexes: Vec<Annex>,
}

/// Colours and fonts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Branding {
    /// The accent colour, `#rrggbb`.
    pub colour: String,
    /// The body text font family.
    pub font: String,
    /// The font family of headings and the cover.
    pub heading_font: String,
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            colour: "#1f4e79".to_owned(),
            font: "Noto Sans".to_owned(),
            heading_font: "Noto Sans".to_owned(),
        }
    }
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

/// A notice of the inside cover.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    pub title: Option<String>,
    /// Markdown.
    pub text: String,
}

/// A chapter, or a section of one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    pub title: String,
    /// Markdown, printed first.
    pub text: Option<String>,
    pub body: Vec<Block>,
    pub presentations: Vec<Presentation>,
    pub sections: Vec<Chapter>,
}

/// A presentation by a country or a speaker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Presentation {
    pub title: String,
    pub speaker: Option<String>,
    pub text: Option<String>,
    pub body: Vec<Block>,
    pub parts: Vec<Part>,
}

/// A labelled part of a presentation, numbered I., II., ...
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// The part's number as printed, "I", "II", ...
    pub number: String,
    pub title: String,
    pub text: Option<String>,
    pub body: Vec<Block>,
}

/// A block of a body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// Markdown.
    Text {
        text: String,
    },
    Table(Table),
    Figure(Figure),
    Chart(Chart),
}

impl Block {
    /// The kind of block this is.
    pub fn kind(&self) -> kinds::BlockKind {
        use kinds::BlockKind;
        match self {
            Block::Text { .. } => BlockKind::Text,
            Block::Table(_) => BlockKind::Table,
            Block::Figure(_) => BlockKind::Figure,
            Block::Chart(_) => BlockKind::Chart,
        }
    }
}

/// A table, from CSV or written in the record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub caption: Option<String>,
    pub columns: Vec<String>,
    /// The rows; a cell merged into the one above it is left out, and the
    /// cell above spans it (`rowspan`).
    pub rows: Vec<Vec<Cell>>,
    /// Relative column widths, one per column; `None`: each column as
    /// wide as its content needs, within the page.
    pub widths: Option<Vec<f64>>,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub text: String,
    pub rowspan: usize,
}

/// A picture with a caption.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub caption: Option<String>,
    pub image: ImageRef,
    pub alt: Option<String>,
    /// The share of the text width, in percent (1 to 100).
    pub width: f64,
}

/// A bar chart, one bar (or group of bars) per row of its data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub caption: Option<String>,
    /// The data in words, for readers who cannot see the chart.
    pub alt: String,
    /// The names of the series (the value columns).
    pub series: Vec<String>,
    pub bars: Vec<Bar>,
    /// The axis maximum.
    pub max: f64,
}

/// One row of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub label: String,
    /// One value per series, as printed and as a share of the axis maximum
    /// (0 to 1); `None` where the data has no value.
    pub values: Vec<Option<BarValue>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarValue {
    pub text: String,
    pub ratio: f64,
}

/// A checked image that the inputs name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageRef {
    /// The path inside the workshop folder, with `/` separators; also the
    /// path under which the typesetter serves the image.
    pub path: String,
    /// Its height over its width, as it prints.
    pub aspect: f64,
}

impl ImageRef {
    /// The width (a percentage of `room`'s width, at most `wanted`) at
    /// which the picture is at most `tallest` times as tall as `room` is
    /// wide: a tall picture is narrowed to fit the page, never cut.
    pub fn fitted_width(&self, wanted: f64, tallest: f64) -> f64 {
        let fits = if self.aspect > 0.0 { 100.0 * tallest / self.aspect } else { wanted };
        (wanted.min(fits) * 10.0).round().max(10.0) / 10.0
    }
}

/// An annex, numbered in the order the record gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Annex {
    /// The annex number as printed: "I", "II", ...
    pub number: String,
    pub title: String,
    #[serde(flatten)]
    pub content: AnnexContent,
}

/// What an annex holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnnexContent {
    Agenda(Agenda),
    Participants { lists: Vec<ParticipantList> },
    Feedback { text: Option<String>, survey: Option<survey::Survey> },
    Photos { photos: Vec<Photo> },
    Contacts { groups: Vec<ContactGroup> },
    Recommendations { items: Vec<Recommendation> },
    Text { text: String },
}

impl AnnexContent {
    /// The kind of annex this is.
    pub fn kind(&self) -> kinds::AnnexKind {
        use kinds::AnnexKind;
        match self {
            AnnexContent::Agenda(_) => AnnexKind::Agenda,
            AnnexContent::Participants { .. } => AnnexKind::Participants,
            AnnexContent::Feedback { .. } => AnnexKind::Feedback,
            AnnexContent::Photos { .. } => AnnexKind::Photos,
            AnnexContent::Contacts { .. } => AnnexKind::Contacts,
            AnnexContent::Recommendations { .. } => AnnexKind::Recommendations,
            AnnexContent::Text { .. } => AnnexKind::Text,
        }
    }
}

/// A recommendation or action point of the recommendations annex.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// Its number, from 1, in the record's order.
    pub number: usize,
    /// What is recommended or to be done (Markdown).
    pub text: String,
    /// Who is to act on it.
    pub owner: String,
    /// When it is due, if it is.
    pub due: Option<Date>,
    /// The due date as printed: "30 June 2024".
    pub due_text: Option<String>,
}

/// The workshop's programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agenda {
    /// The labels of the time columns, one per time zone (empty: one column
    /// of times as written).
    pub zones: Vec<String>,
    pub days: Vec<AgendaDay>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaDay {
    pub date: Date,
    /// The date as printed: "15 March 2022".
    pub date_text: String,
    pub title: Option<String>,
    pub sessions: Vec<Session>,
}

/// A session, or a break.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    /// Start and end in the first time zone, `HH:MM`.
    pub start: String,
    pub end: Option<String>,
    /// The time range as printed, one per time zone: "6AM - 7AM".
    pub times: Vec<String>,
    pub title: String,
    pub is_break: bool,
    /// Markdown.
    pub description: Option<String>,
    pub topics: Vec<String>,
    pub speakers: Vec<Person>,
    pub moderator: Option<Person>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
    pub organisation: Option<String>,
    pub duration: Option<String>,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Photo {
    pub image: ImageRef,
    /// The width it prints at, a percentage of its column (a tall photo
    /// is narrowed to keep to a third of a page).
    pub width: f64,
    pub caption: Option<String>,
    pub alt: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactGroup {
    pub organisation: String,
    pub people: Vec<Contact>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub name: String,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub email: Option<String>,
}

/// The bytes of the files a workshop's report embeds, by their path inside
/// the workshop folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assets {
    pub images: BTreeMap<String, Vec<u8>>,
}

/// `n` (from 1) in Roman numerals, as annexes and parts are numbered.
pub fn roman(mut n: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        let got: Vec<String> = [1, 2, 4, 5, 9, 14, 40, 1994].into_iter().map(roman).collect();
        assert_eq!(got, ["I", "II", "IV", "V", "IX", "XIV", "XL", "MCMXCIV"]);
    }

    /// The templates pick an annex's template by the `kind` its content is
    /// serialized with: it must be the kind's key.
    #[test]
    fn annex_content_is_tagged_with_its_kind_key() {
        let contents = [
            AnnexContent::Agenda(Agenda { zones: Vec::new(), days: Vec::new() }),
            AnnexContent::Participants { lists: Vec::new() },
            AnnexContent::Feedback { text: None, survey: None },
            AnnexContent::Photos { photos: Vec::new() },
            AnnexContent::Contacts { groups: Vec::new() },
            AnnexContent::Recommendations { items: Vec::new() },
            AnnexContent::Text { text: String::new() },
        ];
        assert_eq!(contents.len(), kinds::AnnexKind::ALL.len());
        for content in contents {
            let json = serde_json::to_value(&content).unwrap();
            assert_eq!(json["kind"], content.kind().key());
        }
        for kind in kinds::BlockKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.key());
        }
    }
}
