//! `manifest.json`: what each build wrote, from what, and how long it
//! took. CI archives it; the next build reads it to skip workshops whose
//! inputs did not change.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The file name of the manifest in the output folder.
pub const MANIFEST: &str = "manifest.json";

/// The manifest: one entry per workshop, by id (sorted, so that it diffs
/// cleanly). Entries of workshops not built in a run (another shard's) are
/// kept.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// The tool that wrote it, with what identifies its build:
    /// "workshop-report 0.1.0 (commit 0123456789ab, typst 0.15.1)".
    pub tool: String,
    /// The entries, by workshop id (the workshop folder's name).
    pub workshops: BTreeMap<String, Entry>,
}

/// What one workshop's last build wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// The PDF, as the build named it.
    pub pdf: String,
    /// The number of pages of the PDF.
    pub pages: usize,
    /// SHA-256 of the PDF's bytes.
    pub sha256: String,
    /// SHA-256 of everything that went in: the workshop folder's files, the
    /// organisation's branding, the templates, the fonts, the tool's
    /// version and the build's settings.
    pub inputs: String,
    /// The warnings, one line each.
    pub warnings: Vec<String>,
    /// Seconds the build took.
    pub seconds: f64,
}

impl Manifest {
    /// The manifest in `dir`, or an empty one (also when it is unreadable:
    /// the worst that follows is a rebuild).
    pub fn read(dir: &Path) -> Manifest {
        std::fs::read_to_string(dir.join(MANIFEST))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Writes the manifest to `dir`, atomically.
    pub fn write(&mut self, dir: &Path) -> std::io::Result<()> {
        self.tool = format!("{} {}", env!("CARGO_PKG_NAME"), env!("WORKSHOP_REPORT_BUILD"));
        let mut json = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        json.push('\n');
        super::write_atomic(&dir.join(MANIFEST), json.as_bytes())
    }

    /// Whether `id`'s PDF is up to date: built from inputs with this hash,
    /// and still on disk as it was written.
    pub fn is_current(&self, id: &str, inputs: &str, pdf: &Path) -> bool {
        let Some(entry) = self.workshops.get(id) else { return false };
        entry.inputs == inputs
            && std::fs::read(pdf)
                .is_ok_and(|bytes| crate::contract::sha256_hex(&bytes) == entry.sha256)
    }
}
