//! The areas of a report `diff` groups its changes by, with the heading
//! a summary prints above each.

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
