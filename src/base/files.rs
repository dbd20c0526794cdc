//! The one way the tool reads a file it was given.
//!
//! A path written in a record is untrusted, and so is the folder it is
//! read from (it comes from a pull request). Every file the tool opens
//! (the record, CSV files, pictures, `branding.yaml`, template overrides)
//! is opened through a [`Folder`], the folder that owns it, which:
//! - takes only relative paths that stay inside the folder (no `..`, no
//!   absolute path, no symlink leading out);
//! - opens only regular files: a pipe, a device, a socket or a folder is
//!   refused before it is opened, so nothing can hang the tool or feed it
//!   without end;
//! - checks the size before reading and reads no more than it;
//! - keeps the SHA-256 of every file read, the inputs a report is made
//!   from (see [`Folder::digests`]).
//!
//! A diagnostic quotes only a file that passed these checks.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use sha2::Digest;

use crate::diag::{Code, Diagnostic};

mod encoding;

pub use encoding::{Detected, Encoding, Found, Sniffer, decode, not_in, utf8};

/// The SHA-256 of each file read, by its path relative to the workshop
/// folder (`../branding.yaml` for the organisation's branding).
pub type Digests = BTreeMap<String, [u8; 32]>;

/// A folder, the root that every path read through it is relative to.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
    /// How the log names this folder's files: a prefix to their path.
    prefix: String,
    /// What the folder is, for messages: "workshop folder".
    kind: &'static str,
    log: Arc<Mutex<Digests>>,
}

impl Folder {
    /// The workshop folder `root`: one that messages call "workshop folder".
    pub fn new(root: &Path) -> Self {
        Folder::of(root, "workshop folder")
    }

    /// A folder that messages call `kind` ("template folder").
    pub fn of(root: &Path, kind: &'static str) -> Self {
        Folder { root: root.to_path_buf(), prefix: String::new(), kind, log: Arc::default() }
    }

    /// Another folder, `root`, whose reads are logged with this one's,
    /// their paths prefixed with `prefix` (e.g. `../`).
    pub fn beside(&self, root: &Path, prefix: &str, kind: &'static str) -> Folder {
        Folder {
            root: root.to_path_buf(),
            prefix: prefix.to_owned(),
            kind,
            log: Arc::clone(&self.log),
        }
    }

    /// The folder's path, as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The digests of the files read so far through this folder and those
    /// beside it.
    pub fn digests(&self) -> Digests {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn record(&self, relative: &str, digest: [u8; 32]) {
        let name = format!("{}{}", self.prefix, normalise(relative));
        self.log.lock().unwrap_or_else(|e| e.into_inner()).insert(name, digest);
    }

    /// How diagnostics name `relative`: joined to the folder as the user
    /// gave it.
    pub fn display_name(&self, relative: &str) -> String {
        self.root.join(relative).to_string_lossy().replace('\\', "/")
    }

    /// Whether `relative` names something in the folder at all (a file, a
    /// folder, a link, even a dangling one).
    pub fn has(&self, relative: &str) -> bool {
        fs::symlink_metadata(self.root.join(relative)).is_ok()
    }

    /// Resolves `relative` to a regular file inside the folder.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf, Diagnostic> {
        let kind = self.kind;
        let outside = |why: String| {
            Diagnostic::error(Code::PathOutside, format!("`{relative}` {why}")).hint(format!(
                "name files by a path relative to the {kind}, e.g. `images/logo.png`"
            ))
        };
        if relative.trim().is_empty() {
            return Err(Diagnostic::error(Code::EmptyPath, "the file name is empty")
                .hint("name a file inside the workshop folder"));
        }
        if relative.contains('\\') {
            return Err(Diagnostic::error(
                Code::MissingFile,
                format!("cannot open `{relative}`: paths are written with `/`, not `\\`"),
            )
            .hint(format!(
                "write `{}`, which works on every system",
                relative.replace('\\', "/")
            )));
        }
        let path = Path::new(relative);
        for component in path.components() {
            match component {
                Component::Normal(_) | Component::CurDir => {}
                Component::ParentDir => return Err(outside(format!("leads out of the {kind}"))),
                Component::RootDir | Component::Prefix(_) => {
                    return Err(outside("is an absolute path".to_owned()));
                }
            }
        }
        let joined = self.root.join(path);
        let real = fs::canonicalize(&joined).map_err(|e| {
            Diagnostic::error(
                Code::MissingFile,
                format!("cannot open `{relative}`: {}", io_reason(&e)),
            )
            .hint(format!("check the name; it is looked for in {}", self.root.display()))
        })?;
        let root = fs::canonicalize(&self.root).map_err(|e| {
            Diagnostic::error(
                Code::MissingFile,
                format!("cannot open {}: {}", self.root.display(), io_reason(&e)),
            )
        })?;
        if !real.starts_with(&root) {
            return Err(outside(format!("is a link to a file outside the {kind}")));
        }
        let kind = fs::metadata(&real).map(|m| m.file_type()).map_err(|e| {
            Diagnostic::error(
                Code::MissingFile,
                format!("cannot open `{relative}`: {}", io_reason(&e)),
            )
        })?;
        if !kind.is_file() {
            return Err(not_a_file(relative, &kind));
        }
        Ok(real)
    }

    /// Opens `relative` for streaming, refusing files larger than `limit`
    /// bytes before anything is read; returns a reader that reads no more
    /// than the limit, and the file's size.
    pub fn open(&self, relative: &str, limit: u64) -> Result<(Reader, u64), Diagnostic> {
        let path = self.resolve(relative)?;
        let too_large = || {
            Diagnostic::error(
                Code::FileTooLarge,
                format!("`{relative}` is larger than {}", size(limit)),
            )
            .hint("split the file, or keep only what the report needs")
        };
        let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if size > limit {
            return Err(too_large());
        }
        let file = fs::File::open(&path).map_err(|e| {
            Diagnostic::error(
                Code::MissingFile,
                format!("cannot open `{relative}`: {}", io_reason(&e)),
            )
        })?;
        // The file opened is the one checked: still regular, still small.
        let meta = file.metadata().map_err(|e| {
            Diagnostic::error(Code::UnreadableFile, format!("cannot read `{relative}`: {e}"))
        })?;
        if !meta.file_type().is_file() {
            return Err(not_a_file(relative, &meta.file_type()));
        }
        if meta.len() > limit {
            return Err(too_large());
        }
        let reader = Reader {
            inner: file.take(limit.saturating_add(1)),
            hasher: sha2::Sha256::new(),
            limit,
            read: 0,
            done: Some((self.clone(), relative.to_owned())),
        };
        Ok((reader, meta.len()))
    }

    /// Reads `relative` whole, refusing files larger than `limit` bytes.
    pub fn read_bytes(&self, relative: &str, limit: u64) -> Result<Vec<u8>, Diagnostic> {
        let (mut reader, length) = self.open(relative, limit)?;
        let mut bytes = Vec::with_capacity(length as usize);
        reader.read_to_end(&mut bytes).map_err(|e| {
            let d =
                Diagnostic::error(Code::UnreadableFile, format!("cannot read `{relative}`: {e}"));
            if e.kind() == std::io::ErrorKind::FileTooLarge {
                Diagnostic::error(
                    Code::FileTooLarge,
                    format!("`{relative}` is larger than {}", size(limit)),
                )
                .hint("use a smaller file")
            } else {
                d
            }
        })?;
        Ok(bytes)
    }

    /// Reads `relative` as UTF-8 text (a byte-order mark is dropped), as
    /// the tool's own files are.
    pub fn read_text(&self, relative: &str, limit: u64) -> Result<String, Diagnostic> {
        let bytes = self.read_bytes(relative, limit)?;
        utf8(&bytes).map_err(|d| d.in_file(self.display_name(relative)))
    }
}

/// A file opened by [`Folder::open`]: reads at most its size limit (more
/// is an error of kind `FileTooLarge`), and logs the file's digest in its
/// folder once read to the end.
pub struct Reader {
    inner: std::io::Take<fs::File>,
    hasher: sha2::Sha256,
    limit: u64,
    read: u64,
    done: Option<(Folder, String)>,
}

impl Read for Reader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            // The file grew since it was measured.
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                "the file grew while read",
            ));
        }
        self.hasher.update(&buf[..n]);
        if n == 0
            && !buf.is_empty()
            && let Some((folder, relative)) = self.done.take()
        {
            folder.record(&relative, self.hasher.clone().finalize().into());
        }
        Ok(n)
    }
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("read", &self.read).finish()
    }
}

/// The refusal of something that is not a regular file.
fn not_a_file(relative: &str, kind: &fs::FileType) -> Diagnostic {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_dir() {
            "a folder"
        } else if kind.is_fifo() {
            "a pipe (FIFO)"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_block_device() || kind.is_char_device() {
            "a device"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let what = if kind.is_dir() { "a folder" } else { "not a regular file" };
    Diagnostic::error(Code::NotAFile, format!("`{relative}` is {what}, not a file"))
        .hint("name a regular file inside the folder")
}

/// A size in words: "64 MiB", "512 KiB".
/// The bytes of the regular file at `path` (not a link), read up to one
/// byte more than `limit` (more than `limit` shows it is not a file of that
/// size); `None` when there is no such file or it cannot be read.
pub fn read_capped(path: &Path, limit: u64) -> Option<Vec<u8>> {
    if !fs::symlink_metadata(path).ok()?.file_type().is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    fs::File::open(path).ok()?.take(limit.saturating_add(1)).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// A size for people: `4 MiB`, `512 KiB`.
pub fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 { format!("{} MiB", bytes >> 20) } else { format!("{} KiB", bytes >> 10) }
}

/// `relative` with `/` separators and without `.` components.
pub fn normalise(relative: &str) -> String {
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
        // ELOOP: too many levels of symbolic links.
        _ if error.raw_os_error() == Some(40) => "it is a link that leads in a circle".to_owned(),
        std::io::ErrorKind::InvalidFilename => "the name is not a valid file name".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_may_not_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        assert_eq!(folder.resolve("../x").unwrap_err().code, Code::PathOutside);
        assert_eq!(folder.resolve("/etc/passwd").unwrap_err().code, Code::PathOutside);
        assert_eq!(folder.resolve("nope.png").unwrap_err().code, Code::MissingFile);
        assert_eq!(normalise("./images//a.png"), "images/a.png");
    }
}
