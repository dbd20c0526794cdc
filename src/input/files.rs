//! Safe access to the files of one workshop folder.
//!
//! A path written in a record is untrusted: it must be relative, stay inside
//! the workshop folder (no `..`, no absolute path, no symlink leading out),
//! name a regular file under a size limit, and, for images, really be a PNG,
//! JPEG or SVG by its bytes.

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::diag::Diagnostic;

/// The largest image read, in bytes.
pub const MAX_IMAGE_BYTES: u64 = 20 << 20;

/// A workshop folder, the root that every path of its record is relative to.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    pub fn new(root: &Path) -> Self {
        Folder { root: root.to_path_buf() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder's own name, which identifies the workshop.
    pub fn id(&self) -> String {
        let name = match self.root.file_name() {
            Some(name) => Some(name.to_os_string()),
            // `.` or a path ending in `..`: use the real name.
            None => fs::canonicalize(&self.root).ok().and_then(|p| p.file_name().map(Into::into)),
        };
        name.map_or_else(|| "workshop".to_owned(), |n| n.to_string_lossy().into_owned())
    }

    /// How diagnostics name `relative`: joined to the folder as the user
    /// gave it.
    pub fn display_name(&self, relative: &str) -> String {
        self.root.join(relative).to_string_lossy().replace('\\', "/")
    }

    /// Resolves `relative` to a regular file inside the folder.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf, Diagnostic> {
        let outside = |why: &str| {
            Diagnostic::error("path-outside", format!("`{relative}` {why}")).hint(
                "name files by a path relative to the workshop folder, e.g. `images/logo.png`",
            )
        };
        if relative.trim().is_empty() {
            return Err(Diagnostic::error("empty-path", "the file name is empty")
                .hint("name a file inside the workshop folder"));
        }
        let path = Path::new(relative);
        for component in path.components() {
            match component {
                Component::Normal(_) | Component::CurDir => {}
                Component::ParentDir => return Err(outside("leads out of the workshop folder")),
                Component::RootDir | Component::Prefix(_) => {
                    return Err(outside("is an absolute path"));
                }
            }
        }
        let joined = self.root.join(path);
        let real = fs::canonicalize(&joined).map_err(|e| {
            Diagnostic::error(
                "missing-file",
                format!("cannot open `{relative}`: {}", io_reason(&e)),
            )
            .hint(format!("check the name; it is looked for in {}", self.root.display()))
        })?;
        let root = fs::canonicalize(&self.root).map_err(|e| {
            Diagnostic::error("missing-file", format!("cannot open {}: {e}", self.root.display()))
        })?;
        if !real.starts_with(&root) {
            return Err(outside("is a link to a file outside the workshop folder"));
        }
        if !real.is_file() {
            return Err(Diagnostic::error("not-a-file", format!("`{relative}` is not a file"))
                .hint("name a file, not a folder"));
        }
        Ok(real)
    }

    /// Opens `relative` for streaming, refusing files larger than `limit`
    /// bytes; returns the file and its size.
    pub fn open(&self, relative: &str, limit: u64) -> Result<(fs::File, u64), Diagnostic> {
        let path = self.resolve(relative)?;
        let file = fs::File::open(&path).map_err(|e| {
            Diagnostic::error(
                "missing-file",
                format!("cannot open `{relative}`: {}", io_reason(&e)),
            )
        })?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if size > limit {
            return Err(Diagnostic::error(
                "file-too-large",
                format!("`{relative}` is larger than {} MiB", limit >> 20),
            )
            .hint("split the file, or keep only the columns the report needs"));
        }
        Ok((file, size))
    }

    /// Reads `relative` whole, refusing files larger than `limit` bytes.
    pub fn read_bytes(&self, relative: &str, limit: u64) -> Result<Vec<u8>, Diagnostic> {
        let path = self.resolve(relative)?;
        let file = fs::File::open(&path).map_err(|e| {
            Diagnostic::error(
                "missing-file",
                format!("cannot open `{relative}`: {}", io_reason(&e)),
            )
        })?;
        let mut bytes = Vec::new();
        file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| {
            Diagnostic::error("unreadable-file", format!("cannot read `{relative}`: {e}"))
        })?;
        if bytes.len() as u64 > limit {
            return Err(Diagnostic::error(
                "file-too-large",
                format!("`{relative}` is larger than {} MiB", limit >> 20),
            )
            .hint("use a smaller file"));
        }
        Ok(bytes)
    }

    /// Reads `relative` as UTF-8 text (a byte-order mark is dropped).
    pub fn read_text(&self, relative: &str, limit: u64) -> Result<String, Diagnostic> {
        let bytes = self.read_bytes(relative, limit)?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        String::from_utf8(bytes.to_vec()).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            Diagnostic::error(
                "not-utf8",
                format!("`{relative}` is not UTF-8 text (invalid byte on line {line})"),
            )
            .hint("save the file as UTF-8 (in a spreadsheet: CSV UTF-8)")
        })
    }

    /// Reads an image, checking by its bytes that it is a PNG, JPEG or SVG.
    /// Returns the key it is served under and its bytes.
    pub fn read_image(&self, relative: &str) -> Result<(String, Vec<u8>), Diagnostic> {
        let bytes = self.read_bytes(relative, MAX_IMAGE_BYTES)?;
        if image_kind(&bytes).is_none() {
            return Err(Diagnostic::error(
                "not-an-image",
                format!("`{relative}` is not a PNG, JPEG or SVG image"),
            )
            .hint("export the picture as PNG, JPEG or SVG"));
        }
        Ok((normalise(relative), bytes))
    }
}

/// The kind of image `bytes` hold, judged by their content.
pub fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("jpg");
    }
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let xml_like =
        head.starts_with("<?xml") || head.starts_with("<svg") || head.starts_with("<!--");
    if xml_like && head.contains("<svg") {
        return Some("svg");
    }
    None
}

/// `relative` with `/` separators and without `.` components.
fn normalise(relative: &str) -> String {
    Path::new(relative)
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(image_kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(image_kind(b"<?xml version=\"1.0\"?>\n<svg></svg>"), Some("svg"));
        assert_eq!(image_kind(b"GIF89a"), None);
        assert_eq!(image_kind(b"<html><body>"), None);
    }

    #[test]
    fn paths_may_not_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        assert_eq!(folder.resolve("../x").unwrap_err().code, "path-outside");
        assert_eq!(folder.resolve("/etc/passwd").unwrap_err().code, "path-outside");
        assert_eq!(folder.resolve("nope.png").unwrap_err().code, "missing-file");
        assert_eq!(normalise("./images//a.png"), "images/a.png");
    }
}
