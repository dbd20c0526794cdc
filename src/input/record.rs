//! The workshop record (`workshop.yaml`) exactly as written, before checks.
//!
//! These types mirror the YAML; values whose position a later check may need
//! to point at are [`Spanned`]. The rest of the tool never sees them: the
//! input stage turns them into the plain [`crate::model`] types.

use serde::Deserialize;
use serde_saphyr::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub title: String,
    pub subtitle: Option<String>,
    pub edition: Option<String>,
    pub dates: Dates,
    pub place: Option<String>,
    pub published: Option<Spanned<String>>,
    pub language: Option<Spanned<String>>,
    #[serde(default)]
    pub organisers: Vec<Organiser>,
    #[serde(default)]
    pub chapters: Vec<Chapter>,
    #[serde(default)]
    pub participants: Vec<ParticipantList>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    pub start: Spanned<String>,
    pub end: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organiser {
    pub name: String,
    pub short_name: Option<String>,
    pub description: Option<String>,
    pub logo: Option<Spanned<String>>,
    pub website: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    pub title: String,
    pub text: Option<String>,
    #[serde(default)]
    pub sections: Vec<Chapter>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantList {
    pub title: Option<String>,
    pub file: Spanned<String>,
    pub group_by: Option<Spanned<String>>,
    pub columns: Option<Vec<Spanned<String>>>,
}
