//! The addresses a report links to: checked, since a link with another
//! scheme (`javascript:`, `file:`) would run or open something in a
//! reader's PDF viewer.

use crate::diag::{Code, Diagnostic};
use crate::input::record::Spanned;

/// The kinds of address a report links to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Link {
    /// `http://` or `https://`.
    Web,
    /// An e-mail address, linked as `mailto:`.
    Mail,
}

/// The address `value` holds, trimmed, if it is one of `kind`.
pub(crate) fn link(value: &Spanned<String>, kind: Link) -> Result<String, Diagnostic> {
    let text = value.value.trim();
    let ok = !text.contains(char::is_whitespace)
        && match kind {
            Link::Web => {
                let lower = text.to_ascii_lowercase();
                ["http://", "https://"]
                    .iter()
                    .any(|s| lower.starts_with(s) && lower.len() > s.len())
            }
            Link::Mail => text.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !host.contains('@')
            }),
        };
    if ok {
        return Ok(text.to_owned());
    }
    Err(match kind {
        Link::Web => Diagnostic::error(Code::InvalidLink, format!("`{text}` is not a web address"))
            .hint("write the whole address, starting with https:// (or http://)"),
        Link::Mail => {
            Diagnostic::error(Code::InvalidLink, format!("`{text}` is not an e-mail address"))
                .hint("write it as name@example.org")
        }
    })
}
