//! The files a report was built from, read again to be attached to its PDF
//! (`build --attach-sources`): the workshop's files that were read, the
//! organisation's branding, a template override folder.

use std::io::Read as _;
use std::path::Path;

use crate::diag::{Code, Diagnostic, Outcome, Sources};
use crate::files::{Digests, Folder};
use crate::model::attachments::Attachment;

/// The most files a template override folder may attach.
const MAX_TEMPLATES: usize = 500;

/// The files read for the workshop in `dir` (`files`, as [`super::Read`]
/// logged them), and those of the template folder `templates`, each as
/// an attachment named as a verifier lays them out again. A file larger
/// than `limit` is listed with its digest, not attached, with a warning. A
/// file that changed since it was read is an error.
pub fn gather(
    dir: &Path,
    files: &Digests,
    templates: Option<&Path>,
    limit: u64,
) -> Outcome<Vec<Attachment>> {
    let id = super::workshop_id(dir);
    let workshop = Folder::new(dir);
    let parent = std::fs::canonicalize(dir).ok().and_then(|d| d.parent().map(Path::to_path_buf));
    let mut attached = Vec::new();
    let mut diagnostics = Vec::new();
    for (name, digest) in files {
        let (folder, relative, attached_as) = match name.strip_prefix("../") {
            Some(rest) => match &parent {
                Some(parent) => (Folder::of(parent, "folder of workshops"), rest, rest.to_owned()),
                None => continue,
            },
            None => (workshop.clone(), name.as_str(), format!("{id}/{name}")),
        };
        match attach(&folder, relative, attached_as, limit) {
            Ok(attachment)
                if attachment.bytes.is_some()
                    && attachment.sha256 != crate::contract::hex(digest) =>
            {
                diagnostics.push(changed(name));
            }
            Ok(attachment) => {
                if attachment.bytes.is_none() {
                    diagnostics.push(too_large(name, attachment.size, limit));
                }
                attached.push(attachment);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    if let Some(templates) = templates {
        diagnostics.extend(gather_templates(templates, limit, &mut attached));
    }
    attached.sort_by(|a, b| a.name.cmp(&b.name));
    if diagnostics.iter().any(Diagnostic::is_error) {
        Outcome::failed(diagnostics, Sources::default())
    } else {
        Outcome::ok(attached, diagnostics, Sources::default())
    }
}

/// The files of a template override folder and of its `terms/`.
fn gather_templates(dir: &Path, limit: u64, attached: &mut Vec<Attachment>) -> Vec<Diagnostic> {
    let folder = Folder::of(dir, "template folder");
    let mut names = Vec::new();
    for sub in ["", "terms/"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else { continue };
        for entry in entries.flatten().take(MAX_TEMPLATES) {
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                names.push(format!("{sub}{}", entry.file_name().to_string_lossy()));
            }
        }
    }
    names.sort();
    let mut diagnostics = Vec::new();
    for name in names.into_iter().take(MAX_TEMPLATES) {
        match attach(&folder, &name, format!("templates/{name}"), limit) {
            Ok(attachment) => {
                if attachment.bytes.is_none() {
                    diagnostics.push(too_large(&name, attachment.size, limit));
                }
                attached.push(attachment);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    diagnostics
}

/// The file `relative` of `folder`, attached as `name` if it is at most
/// `limit` bytes.
fn attach(
    folder: &Folder,
    relative: &str,
    name: String,
    limit: u64,
) -> Result<Attachment, Diagnostic> {
    let (mut reader, size) = folder.open(relative, u64::MAX)?;
    if size > limit {
        // Listed by its digest: read through, never held.
        use sha2::Digest as _;
        let mut hasher = sha2::Sha256::new();
        let mut buffer = vec![0; 1 << 16];
        loop {
            let n = reader.read(&mut buffer).map_err(|e| unreadable(relative, &e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        let mut attachment = Attachment::new(name, Vec::new());
        attachment.sha256 = crate::contract::hex(&hasher.finalize());
        attachment.size = size;
        attachment.bytes = None;
        return Ok(attachment);
    }
    let mut bytes = Vec::with_capacity(size as usize);
    reader.read_to_end(&mut bytes).map_err(|e| unreadable(relative, &e))?;
    Ok(Attachment::new(name, bytes))
}

fn unreadable(relative: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::UnreadableFile, format!("cannot read `{relative}` to attach it: {e}"))
}

fn changed(name: &str) -> Diagnostic {
    Diagnostic::error(Code::SourceChanged, format!("`{name}` changed while the report was built"))
        .hint("build again once the file is saved")
}

fn too_large(name: &str, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::warning(
        Code::AttachmentTooLarge,
        format!(
            "`{name}` ({}) is larger than the {} a file may attach: manifest.json lists it with its digest, the PDF does not carry it",
            crate::files::size(size),
            crate::files::size(limit)
        ),
    )
    .hint("raise `--attach-limit` to attach it")
}
