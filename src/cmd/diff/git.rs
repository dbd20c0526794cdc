//! Workshops from a git repository's history, read without checking
//! anything out.
//!
//! A version written `REV:PATH` (`HEAD~1:inputs/x`) is copied, file by
//! file, from git's object store (`git ls-tree`, `git cat-file --batch`)
//! into a temporary folder, with the organisation's `branding.yaml` beside
//! it as it was at that revision; the usual reader then reads the copy, and
//! its diagnostics are renamed back to `REV:PATH/...`. The working tree,
//! the index and the current branch are never touched.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use workshop_report::diag::{Code, Diagnostic, Sources};
use workshop_report::input::{BRANDING, RECORD};

/// A workshop at a git revision: `REV:PATH`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Revision {
    /// The revision, as written before the colon: `HEAD~1`, `main`, a commit.
    pub rev: String,
    /// The workshop folder in the repository, as git reads it after the
    /// colon: from the top, or from the current folder with `./`.
    pub path: String,
}

impl Revision {
    /// Reads `REV:PATH`; `None` if the text is not of that form.
    pub fn parse(text: &str) -> Option<Revision> {
        let (rev, path) = text.split_once(':')?;
        let path = path.trim_end_matches('/');
        // A drive letter ("C:\...") is a path, not a revision.
        let drive = rev.len() == 1 && path.starts_with('\\');
        (!rev.is_empty() && !drive).then(|| Revision { rev: rev.to_owned(), path: path.to_owned() })
    }

    /// How the version is named: `HEAD~1:inputs/x`.
    pub fn spec(&self) -> String {
        format!("{}:{}", self.rev, self.path)
    }

    /// The folder that holds the workshop folder, where `branding.yaml` is.
    fn parent(&self) -> Option<String> {
        match self.path.rsplit_once('/') {
            Some((parent, _)) => Some(parent.to_owned()),
            None if self.path.is_empty() || self.path == "." => None,
            None => Some(String::new()),
        }
    }

    fn name(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or_default();
        if name.is_empty() || name == "." { "workshop" } else { name }
    }
}

/// A workshop copied out of git; the copy is deleted when this is dropped.
#[derive(Debug)]
pub struct Checkout {
    /// The temporary folder holding the workshop folder and branding.yaml.
    root: tempfile::TempDir,
    /// The copied workshop folder, to read like any other.
    pub workshop: PathBuf,
    revision: Revision,
}

impl Checkout {
    /// Renames a file of the copy (as diagnostics name it) to the name git
    /// gives it: `HEAD~1:inputs/x/workshop.yaml`.
    pub fn rename(&self, name: &str) -> String {
        let workshop = self.workshop.to_string_lossy().replace('\\', "/");
        let root = self.root.path().to_string_lossy().replace('\\', "/");
        let Revision { rev, path } = &self.revision;
        if let Some(rest) = name.strip_prefix(&workshop) {
            format!("{rev}:{path}{rest}")
        } else if let Some(rest) = name.strip_prefix(&root) {
            let parent = self.revision.parent().unwrap_or_default();
            let rest = if parent.is_empty() { rest.trim_start_matches('/') } else { rest };
            format!("{rev}:{parent}{rest}")
        } else {
            name.to_owned()
        }
    }

    /// Renames the files of diagnostics and their sources.
    pub fn rename_all(&self, diagnostics: &mut [Diagnostic], sources: Sources) -> Sources {
        for d in diagnostics {
            if let Some(file) = &mut d.file {
                *file = self.rename(file);
            }
        }
        let mut renamed = Sources::default();
        for (name, text) in sources.iter() {
            renamed.insert(self.rename(name), text);
        }
        renamed
    }
}

/// Runs git in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Diagnostic> {
    let output =
        Command::new("git").args(args).current_dir(dir).stdin(Stdio::null()).output().map_err(
            |e| {
                Diagnostic::error(Code::Git, format!("cannot run git: {e}"))
                    .hint("install git, or compare two workshop folders")
            },
        )?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let message = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("failed");
        Err(Diagnostic::error(Code::Git, format!("git {}: {}", args.join(" "), message.trim())))
    }
}

/// The path of `dir` from the top of its repository, ending in `/` (empty
/// at the top): what makes a path from `dir` one that `REV:PATH` takes.
pub fn prefix(dir: &Path) -> Result<String, Diagnostic> {
    let out = git(dir, &["rev-parse", "--show-prefix"])
        .map_err(|d| d.hint("run this inside a git repository, or compare two workshop folders"))?;
    Ok(String::from_utf8_lossy(&out).trim_end_matches(['\n', '\r']).to_owned())
}

/// Checks that `rev` names a commit.
fn commit(dir: &Path, rev: &str) -> Result<(), Diagnostic> {
    git(dir, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")]).map_err(|_| {
        Diagnostic::error(Code::GitRevision, format!("`{rev}` is not a revision of this repository"))
            .hint("name a commit, a branch or a tag, e.g. HEAD~1, main or origin/main; with a shallow clone, fetch the history first (git fetch --unshallow)")
    })?;
    Ok(())
}

/// Copies the workshop of `revision` (a folder of the repository that
/// `dir` is in) into a temporary folder.
pub fn checkout(dir: &Path, revision: &Revision) -> Result<Checkout, Diagnostic> {
    commit(dir, &revision.rev)?;
    let spec = revision.spec();
    let kind = git(dir, &["cat-file", "-t", &spec]).map_err(|_| {
        Diagnostic::error(Code::GitPath, format!("`{}` is not in {}", revision.path, revision.rev))
            .hint("name the workshop folder as git sees it from the repository's top, e.g. HEAD~1:inputs/my-workshop, or from here with ./")
    })?;
    if String::from_utf8_lossy(&kind).trim() != "tree" {
        return Err(Diagnostic::error(
            Code::GitPath,
            format!("`{}` is a file in {}, not a workshop folder", revision.path, revision.rev),
        )
        .hint("name the folder that holds workshop.yaml"));
    }
    let root = tempfile::Builder::new().prefix("workshop-report-").tempdir().map_err(|e| {
        Diagnostic::error(Code::TemporaryFolder, format!("cannot create a temporary folder: {e}"))
    })?;
    let workshop = root.path().join(revision.name());
    std::fs::create_dir_all(&workshop).map_err(|e| write_error(&workshop, &e))?;

    let listing = git(dir, &["ls-tree", "-r", "-z", "--full-tree", &spec])?;
    let mut files: Vec<(String, String, PathBuf)> = Vec::new(); // (mode, object, destination)
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, name)) = entry.split_once('\t') else { continue };
        let mut meta = meta.split(' ');
        let (Some(mode), Some(kind), Some(object)) = (meta.next(), meta.next(), meta.next()) else {
            continue;
        };
        // Submodules hold no workshop files.
        if kind != "blob" || name.split('/').any(|c| c == ".." || c.is_empty()) {
            continue;
        }
        files.push((mode.to_owned(), object.to_owned(), workshop.join(name)));
    }
    if let Some(parent) = revision.parent() {
        let branding =
            if parent.is_empty() { BRANDING.to_owned() } else { format!("{parent}/{BRANDING}") };
        let spec = format!("{}:{branding}", revision.rev);
        if let Ok(object) = git(dir, &["rev-parse", "--verify", "--quiet", &spec]) {
            let object = String::from_utf8_lossy(&object).trim().to_owned();
            files.push(("100644".to_owned(), object, root.path().join(BRANDING)));
        }
    }
    // Links last, after every file and folder: nothing is ever written
    // through one. Two entries of one name (a malformed tree) are refused.
    files.sort_by_key(|(mode, ..)| mode == "120000");
    let links: std::collections::HashSet<&PathBuf> =
        files.iter().filter(|(m, ..)| m == "120000").map(|(_, _, p)| p).collect();
    let mut seen = std::collections::HashSet::new();
    for (_, _, path) in &files {
        let under_link = path.ancestors().skip(1).any(|a| links.contains(&a.to_path_buf()));
        if !seen.insert(path.clone()) || under_link {
            return Err(Diagnostic::error(
                Code::Git,
                format!(
                    "the revision's tree holds two entries for `{}`",
                    path.strip_prefix(root.path()).unwrap_or(path).display()
                ),
            )
            .hint("the commit is malformed (git fsck says so); it is not read"));
        }
    }
    cat_files(dir, &files)?;
    Ok(Checkout { root, workshop, revision: revision.clone() })
}

fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::TemporaryFolder, format!("cannot write {}: {e}", path.display()))
}

/// The largest blob copied out of git: the largest file the reader takes.
/// A larger one is stood for by an empty file of its size, which the
/// reader refuses by its size as it would the real one.
const MAX_BLOB_BYTES: u64 = 256 << 20;

/// The most bytes a revision's workshop may hold in all.
const MAX_CHECKOUT_BYTES: u64 = 1 << 30;

/// Writes git objects to their destinations, `(mode, object, path)`, as
/// one `git cat-file` streams them: each blob goes to its file as it is
/// read, never whole into memory.
fn cat_files(dir: &Path, files: &[(String, String, PathBuf)]) -> Result<(), Diagnostic> {
    let failed = |e: std::io::Error| Diagnostic::error(Code::Git, format!("cannot run git: {e}"));
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(failed)?;
    let mut stdin =
        child.stdin.take().ok_or_else(|| failed(std::io::ErrorKind::BrokenPipe.into()))?;
    let request: String = files.iter().map(|(_, o, _)| format!("{o}\n")).collect();
    // Written from another thread: git answers while it reads.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let stdout =
        child.stdout.take().ok_or_else(|| failed(std::io::ErrorKind::BrokenPipe.into()))?;
    let mut reader = BufReader::new(stdout);
    let mut total = 0u64;
    let result = (|| {
        for (mode, object, path) in files {
            let mut header = String::new();
            reader.read_line(&mut header).map_err(failed)?;
            let size = header.split(' ').nth(2).and_then(|s| s.trim().parse::<u64>().ok());
            let Some(size) = size else {
                return Err(Diagnostic::error(
                    Code::Git,
                    format!("git cannot read object {object}"),
                ));
            };
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
            }
            let mut blob = (&mut reader).take(size);
            if mode == "120000" {
                // A symbolic link, kept as one: the reader refuses those
                // that lead out of the folder, as in a working tree.
                let mut target = Vec::new();
                (&mut blob).take(4096).read_to_end(&mut target).map_err(failed)?;
                std::io::copy(&mut blob, &mut std::io::sink()).map_err(failed)?;
                #[cfg(unix)]
                std::os::unix::fs::symlink(String::from_utf8_lossy(&target).as_ref(), path)
                    .map_err(|e| write_error(path, &e))?;
            } else if size > MAX_BLOB_BYTES {
                std::io::copy(&mut blob, &mut std::io::sink()).map_err(failed)?;
                std::fs::File::create(path)
                    .and_then(|file| file.set_len(size))
                    .map_err(|e| write_error(path, &e))?;
            } else {
                total += size;
                if total > MAX_CHECKOUT_BYTES {
                    return Err(Diagnostic::error(
                        Code::Git,
                        format!("the workshop folder holds more than {} MiB at this revision", MAX_CHECKOUT_BYTES >> 20),
                    )
                    .hint("keep large files out of workshop folders; a report reads only what its record names"));
                }
                let mut file = std::fs::File::create(path).map_err(|e| write_error(path, &e))?;
                std::io::copy(&mut blob, &mut file).map_err(|e| write_error(path, &e))?;
            }
            let mut newline = [0u8; 1];
            reader.read_exact(&mut newline).map_err(failed)?;
        }
        Ok(())
    })();
    drop(reader);
    let _ = writer.join();
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// A workshop folder whose files differ between a revision and the
/// working tree.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Changed {
    /// The folder, relative to the current folder, `/`-separated.
    pub path: String,
    /// Whether the revision has it.
    pub old: bool,
    /// Whether the working tree has it.
    pub new: bool,
}

/// The workshop folders under `roots` (relative to `dir`, a folder of a
/// git repository) whose files differ between `base` and the working tree:
/// changed, added or removed files, untracked ones included. A changed
/// `branding.yaml` changes every workshop beside it.
pub fn changed(dir: &Path, base: &str, roots: &[String]) -> Result<Vec<Changed>, Diagnostic> {
    commit(dir, base)?;
    let split = |bytes: Vec<u8>| -> Vec<String> {
        bytes
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect()
    };
    let mut args = vec!["diff", "--name-only", "-z", "--no-renames", "--relative", base, "--"];
    args.extend(roots.iter().map(String::as_str));
    let mut files = split(git(dir, &args)?);
    let mut args = vec!["ls-files", "--others", "--exclude-standard", "-z", "--"];
    args.extend(roots.iter().map(String::as_str));
    files.extend(split(git(dir, &args)?));
    let mut args = vec!["ls-tree", "-r", "--name-only", "-z", base, "--"];
    args.extend(roots.iter().map(String::as_str));
    let record = format!("/{RECORD}");
    let in_base: BTreeSet<String> = split(git(dir, &args)?)
        .into_iter()
        .filter_map(|p| p.strip_suffix(&record).map(str::to_owned))
        .collect();

    let is_workshop = |d: &str| in_base.contains(d) || dir.join(d).join(RECORD).is_file();
    let mut found: BTreeSet<String> = BTreeSet::new();
    for file in &files {
        let mut ancestor = file.as_str();
        let mut owner = None;
        while let Some((up, _)) = ancestor.rsplit_once('/') {
            if is_workshop(up) {
                owner = Some(up.to_owned());
                break;
            }
            ancestor = up;
        }
        match owner {
            Some(owner) => {
                found.insert(owner);
            }
            None if file.rsplit('/').next() == Some(BRANDING) => {
                let parent = file.rsplit_once('/').map_or("", |(p, _)| p);
                let beside = |d: &str| d.rsplit_once('/').map_or("", |(p, _)| p) == parent;
                found.extend(in_base.iter().filter(|d| beside(d)).cloned());
                let folder = if parent.is_empty() { dir.to_path_buf() } else { dir.join(parent) };
                if let Ok(entries) = std::fs::read_dir(folder) {
                    for entry in entries.flatten() {
                        if entry.path().join(RECORD).is_file() {
                            let name = entry.file_name().to_string_lossy().into_owned();
                            found.insert(if parent.is_empty() {
                                name
                            } else {
                                format!("{parent}/{name}")
                            });
                        }
                    }
                }
            }
            None => {}
        }
    }
    Ok(found
        .into_iter()
        .map(|path| Changed {
            old: in_base.contains(&path),
            new: dir.join(&path).join(RECORD).is_file(),
            path,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_are_told_from_paths() {
        let r = Revision::parse("HEAD~1:inputs/x/").unwrap();
        assert_eq!((r.rev.as_str(), r.path.as_str()), ("HEAD~1", "inputs/x"));
        assert_eq!(r.parent().as_deref(), Some("inputs"));
        assert_eq!(r.name(), "x");
        assert_eq!(Revision::parse("main:x").unwrap().parent().as_deref(), Some(""));
        assert_eq!(Revision::parse("inputs/x"), None);
        assert_eq!(Revision::parse(":inputs/x"), None);
        assert_eq!(Revision::parse("C:\\inputs\\x"), None);
    }
}
