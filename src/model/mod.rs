//! The workshop as plain, validated data.
//!
//! Nothing here does IO: the `input` stage builds a [`Workshop`] from the
//! files of a workshop folder and checks it once; every later stage
//! (rendering, tallying, diffing) reads these types and nothing else.
//! Figures derived from the data (printed dates and times, annex numbers,
//! chart proportions) are computed here, in Rust, and serialised with the
//! data, ready to print.

pub mod attachments;
pub mod date;
pub mod survey;

pub use date::DateRange;

pub use crate::kinds::AnnexContent;
pub use crate::kinds::annex::contacts::{Contact, ContactGroup};
pub use crate::kinds::annex::photos::Photo;
pub use crate::kinds::annex::recommendations::Recommendation;
/// A block of a body: its kind's content (`kinds/block/<key>.rs`).
pub use crate::kinds::block::BlockContent as Block;

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
    /// The report's title: on the cover, in the running header and in the PDF's
    /// metadata.
    pub title: String,
    /// Printed under the title on the cover; `None` when the record gives none.
    pub subtitle: Option<String>,
    /// The kind of document, e.g. "Final Report".
    pub edition: Option<String>,
    /// The first and last day of the workshop.
    pub dates: DateRange,
    /// The dates as printed on the cover, in the report's language:
    /// "15–16 March 2022", "15–16 mars 2022".
    pub dates_text: String,
    /// Where the workshop took place, e.g. "Istanbul, Türkiye" or "Online".
    pub place: Option<String>,
    /// The date the report carries as its document date.
    pub published: Date,
    /// The document date as printed, in the report's language.
    pub published_text: String,
    /// The report's language.
    pub language: Locale,
    /// The words the report prints itself, by key (the text terms of
    /// docs/languages.md): `terms.contents` is "Contents" in English.
    pub terms: BTreeMap<String, String>,
    /// The colours and fonts: the organisation's `branding.yaml`, overridden
    /// field by field by the record's `branding:`.
    pub branding: Branding,
    /// The organisations that ran the workshop, in the order their logos appear
    /// on the cover.
    pub organisers: Vec<Organiser>,
    /// Notices on the inside cover: disclaimers, copyright, websites.
    pub notices: Vec<Notice>,
    /// The chapters, in the order they print.
    pub chapters: Vec<Chapter>,
    /// The annexes, in the order they print, numbered Annex I, Annex II, ...
    pub annexes: Vec<Annex>,
}

/// The report's language, as the typesetter needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Locale {
    /// The BCP 47 tag as the record gives it: "fr", "zh-Hant", "ar-EG".
    pub tag: String,
    /// The language alone (ISO 639), for hyphenation and the PDF's
    /// metadata: "fr", "zh".
    pub code: String,
    /// The region, where the tag names one: "EG", "TW".
    pub region: Option<String>,
    /// The script (ISO 15924), as likely for the tag: "Latn", "Arab",
    /// "Hans", "Hant".
    pub script: String,
    /// The direction text runs in.
    pub direction: crate::language::Direction,
    /// The digits, zero first: "0123456789", or "٠١٢٣٤٥٦٧٨٩".
    pub digits: String,
}

impl Locale {
    /// The locale of `language`.
    pub fn of(language: &crate::language::Language) -> Locale {
        Locale {
            tag: language.tag().to_owned(),
            code: language.code(),
            region: language.region(),
            script: language.script(),
            direction: language.direction(),
            digits: language.digits().iter().collect(),
        }
    }
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
    /// Whether each chapter starts a new page.
    pub chapter_break: bool,
    /// Whether the PDF carries the files it was built from (the
    /// organisation's `attach_sources: true`, as `--attach-sources`).
    pub attach_sources: bool,
}

impl Default for Branding {
    fn default() -> Self {
        Branding {
            colour: "#1f4e79".to_owned(),
            font: "Noto Sans".to_owned(),
            heading_font: "Noto Sans".to_owned(),
            chapter_break: true,
            attach_sources: false,
        }
    }
}

/// An organisation that ran the workshop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organiser {
    /// The organisation's full name.
    pub name: String,
    /// A short name, e.g. "UN DESA"; the logo's alternative text when given.
    pub short_name: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// The logo on the cover: PNG, JPEG or SVG; `None` when the record names
    /// none.
    pub logo: Option<ImageRef>,
    /// A checked `http://` or `https://` link, printed with the organiser on
    /// the inside cover.
    pub website: Option<String>,
}

/// A notice of the inside cover.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    /// The notice's heading, e.g. "Disclaimers"; `None`: the text alone.
    pub title: Option<String>,
    /// Markdown.
    pub text: String,
}

/// A chapter, or a section of one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    /// The title, printed as its heading; chapters and their sections (not
    /// deeper ones) are also listed in the contents.
    pub title: String,
    /// Markdown, printed first.
    pub text: Option<String>,
    /// Blocks printed after `text`, in order: more text, tables, figures and
    /// charts.
    pub body: Vec<Block>,
    /// Presentations, printed after the text and body and before the sections.
    pub presentations: Vec<Presentation>,
    /// The sections: the same fields as a chapter, nested up to 20 levels deep.
    pub sections: Vec<Chapter>,
}

/// A presentation by a country or a speaker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Presentation {
    /// The presentation's heading: a country, or the talk's title.
    pub title: String,
    /// Who presented, as written ("Mr. Md Shakil Sahrior, ICT Division");
    /// printed in italics under the heading.
    pub speaker: Option<String>,
    /// Markdown, printed first.
    pub text: Option<String>,
    /// Blocks printed after `text`.
    pub body: Vec<Block>,
    /// The labelled parts, printed after the text and body.
    pub parts: Vec<Part>,
}

/// A labelled part of a presentation, numbered I., II., ...
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// The part's number as printed, "I", "II", ...
    pub number: String,
    /// The part's heading, printed after its number: "I. Challenges".
    pub title: String,
    /// Markdown, printed first.
    pub text: Option<String>,
    /// Blocks printed after `text`.
    pub body: Vec<Block>,
}

/// A table, from CSV or written in the record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// The caption, numbered "Table 1", "Table 2", ...; `None`: neither caption
    /// nor number.
    pub caption: Option<String>,
    /// The header row as printed, in order; the `group_by` column comes first.
    pub columns: Vec<String>,
    /// The rows; a cell merged into the one above it is left out, and the
    /// cell above spans it (`rowspan`).
    pub rows: Vec<Vec<Cell>>,
    /// Relative column widths, one per column (the record's, or each
    /// column's longest cell, within bounds): the table spans the text
    /// width. `None` for tables built otherwise.
    pub widths: Option<Vec<f64>>,
    /// Whether each column holds numbers only (aligned on the right).
    pub numeric: Vec<bool>,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The cell's text as printed.
    pub text: String,
    /// The number of rows the cell spans: 1, or more where equal values of the
    /// grouping column are merged.
    pub rowspan: usize,
}

/// A picture with a caption.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The caption, numbered "Figure 1", "Figure 2", ...; `None`: neither
    /// caption nor number (a warning).
    pub caption: Option<String>,
    /// The picture printed.
    pub image: ImageRef,
    /// Describes the picture for readers who cannot see it; `None` when the
    /// record gives none.
    pub alt: Option<String>,
    /// The share of the text width, in percent (1 to 100).
    pub width: f64,
}

/// A bar chart, one bar (or group of bars) per row of its data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// The caption, numbered "Figure 1", "Figure 2", ... with the figures;
    /// `None`: neither caption nor number.
    pub caption: Option<String>,
    /// The data in words, for readers who cannot see the chart.
    pub alt: String,
    /// The names of the series (the value columns).
    pub series: Vec<String>,
    /// One bar, or group of bars, per row of the data, in the file's order.
    pub bars: Vec<Bar>,
    /// The axis maximum.
    pub max: f64,
}

/// One row of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// The bar's label: the row's value in the chart's `label` column.
    pub label: String,
    /// One value per series, as printed and as a share of the axis maximum
    /// (0 to 1); `None` where the data has no value.
    pub values: Vec<Option<BarValue>>,
}

/// One value of a bar: as printed, and as a share of the axis maximum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarValue {
    /// The value as written in the CSV file: "0.7892".
    pub text: String,
    /// The value over the axis maximum, from 0 to 1: the bar's length.
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
    /// The annex number as printed: "I", "II", ... (or as the language
    /// numbers annexes).
    pub number: String,
    /// The annex's label: "Annex I".
    pub label: String,
    /// Its heading: "Annex I: Agenda of the Workshop".
    pub heading: String,
    /// The title, printed "Annex I: Agenda of the Workshop"; the kind's default
    /// title ("Agenda", ...) unless the record gives one.
    pub title: String,
    /// What the annex holds; its kind picks the template that prints it.
    #[serde(flatten)]
    pub content: AnnexContent,
}

/// The workshop's programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agenda {
    /// The labels of the time columns, one per time zone (empty: one column
    /// of times as written).
    pub zones: Vec<String>,
    /// The days, in the record's order, one table each.
    pub days: Vec<AgendaDay>,
}

/// One day of the agenda.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaDay {
    /// The day's date, within the workshop's dates; printed as `date_text`.
    pub date: Date,
    /// The date as printed: "15 March 2022".
    pub date_text: String,
    /// Printed after the date: "Session One"; `None`: the date alone.
    pub title: Option<String>,
    /// The sessions and breaks, in time order.
    pub sessions: Vec<Session>,
}

/// A session, or a break.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    /// Start and end in the first time zone, `HH:MM`.
    pub start: String,
    /// The end, `HH:MM` in the first time zone; `None` when the record gives
    /// none.
    pub end: Option<String>,
    /// The time range as printed, one per time zone: "6AM - 7AM".
    pub times: Vec<String>,
    /// The session's title, or a break's text: "Coffee break".
    pub title: String,
    /// Whether it is a break, printed as a shaded row of its own.
    pub is_break: bool,
    /// Markdown.
    pub description: Option<String>,
    /// Topics, printed as a bulleted list.
    pub topics: Vec<String>,
    /// The speakers, in the record's order.
    pub speakers: Vec<Person>,
    /// The moderators (Indico's conveners; the record gives one at most),
    /// printed after the speakers.
    pub moderators: Vec<Person>,
}

/// A speaker or the moderator of a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    /// The person's name as printed: "Mr. Juwang Zhu".
    pub name: String,
    /// Their function, printed in italics after the name.
    pub role: Option<String>,
    /// Their organisation; where the agenda lists `organisations`, one of them
    /// or an organiser's name.
    pub organisation: Option<String>,
    /// How long they speak, as written: "7 min".
    pub duration: Option<String>,
}

/// A list of people, read from a CSV file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipantList {
    /// A heading printed above the list; `None`: no heading.
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
    /// The group's value in the grouping column, printed as a heading row;
    /// `None` when the list is not grouped.
    pub name: Option<String>,
    /// One row per person, one cell per printed column.
    pub rows: Vec<Vec<String>>,
}

impl ParticipantList {
    /// The number of people on the list.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.rows.len()).sum()
    }

    /// Whether the list has no one on it.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The bytes of the files a workshop's report embeds, by their path inside
/// the workshop folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assets {
    /// The bytes of each image, by the key [`ImageRef::path`] holds.
    pub images: BTreeMap<String, Vec<u8>>,
    /// The files the PDF carries (`build --attach-sources`), in order.
    pub attachments: Vec<attachments::Attachment>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::annex::{contacts, feedback, participants, photos, recommendations, text};

    /// The templates pick an annex's template by the `kind` its content is
    /// serialized with: it must be the kind's key.
    #[test]
    fn annex_content_is_tagged_with_its_kind_key() {
        let contents = [
            AnnexContent::Agenda(Agenda { zones: Vec::new(), days: Vec::new() }),
            AnnexContent::Participants(participants::Content { lists: Vec::new() }),
            AnnexContent::Feedback(feedback::Content { text: None, survey: None }),
            AnnexContent::Photos(photos::Content { photos: Vec::new() }),
            AnnexContent::Contacts(contacts::Content { groups: Vec::new() }),
            AnnexContent::Recommendations(recommendations::Content { items: Vec::new() }),
            AnnexContent::Text(text::Content { text: String::new() }),
        ];
        for content in contents {
            let json = serde_json::to_value(&content).unwrap();
            assert_eq!(json["kind"], content.kind().key());
        }
        for kind in crate::kinds::BlockKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.key());
        }
    }
}
