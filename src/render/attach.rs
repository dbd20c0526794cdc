//! The Typst that attaches a report's source files to its PDF
//! (`build --attach-sources`): one `pdf.attach` per file carried, its bytes
//! read from where the typesetter serves them.

use crate::model::attachments::{Attachment, Relationship};
use crate::render::escape;

/// The calls attaching `attachments` (those carried: a file only listed
/// has no bytes and no call).
pub fn source(attachments: &[Attachment]) -> String {
    let mut out = String::from("\n// The files this report was built from (--attach-sources).\n");
    for (i, a) in attachments.iter().enumerate() {
        if a.bytes.is_none() {
            continue;
        }
        let relationship = match a.relationship {
            Relationship::Source => "source",
            Relationship::Data => "data",
        };
        out.push_str(&format!(
            "#pdf.attach({}, read({}, encoding: none), relationship: \"{relationship}\", mime-type: {}, description: {})\n",
            escape::string(&a.name),
            escape::string(&crate::contract::attached(i)),
            escape::string(a.mime),
            escape::string(&format!("SHA-256 {}", a.sha256)),
        ));
    }
    out
}
