//! The files a report carries inside its PDF (`build --attach-sources`):
//! what it was built from, so that it can be checked and built again.

use serde::{Deserialize, Serialize};

/// How an attached file relates to the report (PDF/A-3's
/// `AFRelationship`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relationship {
    /// What the report's text is written from: the record, its Markdown
    /// files, the branding, template overrides.
    Source,
    /// What its tables and figures are computed from: lists, exports,
    /// tables, pictures; and the manifest.
    Data,
}

/// One file the report was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its path in the folder a verifier rebuilds from: `<workshop>/...`
    /// for the workshop's files, `branding.yaml`, `templates/...`.
    pub name: String,
    /// Its bytes; `None` when it is larger than attached files may be (it
    /// is then only listed, with its digest).
    pub bytes: Option<Vec<u8>>,
    /// Its SHA-256, in hexadecimal.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// How it relates to the report.
    pub relationship: Relationship,
    /// Its media type, by its extension.
    pub mime: &'static str,
}

impl Attachment {
    /// The attachment of the file `name` holding `bytes`.
    pub fn new(name: String, bytes: Vec<u8>) -> Attachment {
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let extension = extension.as_deref().unwrap_or("");
        let source = matches!(extension, "yaml" | "yml" | "md" | "j2" | "typ");
        Attachment {
            sha256: crate::contract::sha256_hex(&bytes),
            size: bytes.len() as u64,
            relationship: if source { Relationship::Source } else { Relationship::Data },
            mime: mime(extension),
            name,
            bytes: Some(bytes),
        }
    }
}

/// The media type of a file by its extension.
pub fn mime(extension: &str) -> &'static str {
    match extension {
        "yaml" | "yml" => "application/yaml",
        "md" => "text/markdown",
        "csv" => "text/csv",
        "json" => "application/json",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls" => "application/vnd.ms-excel",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        "j2" | "typ" | "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// `manifest.json`, the last file a report carries: each file's digest,
/// and what else decides the PDF's bytes (docs/verify.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `workshop-report sources 1`.
    pub format: String,
    /// The workshop's id: the folder its files are under.
    pub workshop: String,
    /// The tool that built the PDF.
    pub tool: Tool,
    /// The typst version it was built with.
    pub typst: String,
    /// The settings that change the PDF's bytes.
    pub settings: Settings,
    /// How the PDF's dates are chosen.
    pub timestamps: String,
    /// Every file the report was built from, in name order.
    pub files: Vec<Listed>,
}

/// The manifest's format, written and expected.
pub const MANIFEST_FORMAT: &str = "workshop-report sources 1";

/// The tool that built a PDF.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// `workshop-report`.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its version, commit and typst version, as `--version` prints them.
    pub build: String,
}

/// The settings that change a PDF's bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The PDF standards, as `--pdf-standard` names them.
    pub standards: Vec<String>,
    /// The largest file attached (`--attach-limit`), in bytes.
    pub attach_limit: u64,
    /// The SHA-256 of the templates used, built-in and overridden.
    pub templates_sha256: String,
    /// Whether a `--templates` folder overrode any (it is attached).
    pub templates_overridden: bool,
    /// `--encoding`, if given.
    pub encoding: Option<String>,
    /// `--delimiter`, if given.
    pub delimiter: Option<String>,
}

/// A file of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    /// Its path, as the attachment is named.
    pub path: String,
    /// Its SHA-256, in hexadecimal.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// How it relates to the report.
    pub relationship: Relationship,
    /// Its media type.
    pub mime: String,
    /// Whether the PDF carries it (a file over the limit is only listed).
    pub attached: bool,
}
