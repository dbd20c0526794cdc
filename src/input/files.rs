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
        let (file, _) = self.open(relative, limit)?;
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
        self.read_text_in(relative, limit, Encoding::Utf8)
    }

    /// Reads `relative` as text in `encoding`.
    pub fn read_text_in(
        &self,
        relative: &str,
        limit: u64,
        encoding: Encoding,
    ) -> Result<String, Diagnostic> {
        let bytes = self.read_bytes(relative, limit)?;
        decode(&bytes, encoding).map_err(|d| d.in_file(self.display_name(relative)))
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

/// The encoding of CSV files: UTF-8 unless the command line says otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encoding {
    #[default]
    Utf8,
    Windows1252,
    /// Little-endian unless a byte-order mark says otherwise.
    Utf16,
}

impl Encoding {
    pub fn encoding_rs(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
            Encoding::Utf16 => encoding_rs::UTF_16LE,
        }
    }
}

/// Decodes `bytes` as `encoding`. UTF-8 is strict (a byte-order mark is
/// dropped); other bytes are an error whose hint names the encoding the
/// file seems to be in.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, Diagnostic> {
    if encoding != Encoding::Utf8 {
        let (text, _, _) = encoding.encoding_rs().decode(bytes);
        return Ok(text.into_owned());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        let (seems, flag) = if utf16 {
            ("it looks like UTF-16", "utf-16")
        } else {
            ("it may be Windows-1252 (Western European)", "windows-1252")
        };
        Diagnostic::error("not-utf8", format!("the file is not UTF-8 text (invalid byte on line {line})"))
            .at(crate::diag::Span { line, column: 1, bytes: 0..0 })
            .hint(format!(
                "{seems}: save it as UTF-8 (in a spreadsheet: CSV UTF-8), or read it with `--encoding {flag}`"
            ))
    })
}

/// The delimiter of a CSV file whose header row is `header`: the one of
/// `,`, `;` and tab that occurs most often outside quotes (a comma when
/// none does). Spreadsheets in many locales write `;`.
pub fn sniff_delimiter(header: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { [b',', b';', b'\t'][best] }
}

/// Refuses the characters that cannot print as typed, naming the first
/// one and its place: control characters other than tab and line breaks
/// (they cannot print, and mostly come from copying text out of other
/// programs), and the bidirectional embeddings, overrides and isolates
/// (they reorder the text around them, so that what prints is not what was
/// typed). The marks U+200E and U+200F and the zero-width characters are
/// kept: they print as typed, invisibly.
pub fn check_controls(text: &str) -> Result<(), Diagnostic> {
    let Some((offset, c)) = text.char_indices().find(|&(_, c)| unprintable(c)) else {
        return Ok(());
    };
    let span = crate::diag::Span::from_offset(text, offset, c.len_utf8());
    let d = if c.is_control() {
        Diagnostic::error(
            "control-character",
            format!("the text holds the control character U+{:04X}, which cannot print", c as u32),
        )
        .hint("delete it (it is invisible in most editors; it often comes from copying text out of another program)")
    } else {
        Diagnostic::error(
            "bidi-control",
            format!(
                "the text holds the bidirectional control U+{:04X}, which would reorder what prints",
                c as u32
            ),
        )
        .hint("delete it; right-to-left text prints in its own direction without it")
    };
    Err(d.at(span))
}

/// Whether `c` is refused by [`check_controls`].
pub fn unprintable(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
    fn delimiters_are_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter("Name,Country"), b',');
        assert_eq!(sniff_delimiter("Name;Country;\"A, B\""), b';');
        assert_eq!(sniff_delimiter("Name\tCountry"), b'\t');
        assert_eq!(sniff_delimiter("Name"), b',');
    }

    #[test]
    fn other_encodings_are_read_when_asked_and_named_when_not() {
        let latin1 = b"Name\nRen\xe9 M\xfcller\n";
        let err = decode(latin1, Encoding::Utf8).unwrap_err();
        assert!(err.hint.unwrap().contains("--encoding windows-1252"));
        assert_eq!(decode(latin1, Encoding::Windows1252).unwrap(), "Name\nRené Müller\n");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Aé".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(decode(&utf16, Encoding::Utf8).unwrap_err().hint.unwrap().contains("utf-16"));
        assert_eq!(decode(&utf16, Encoding::Utf16).unwrap(), "Aé");
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
