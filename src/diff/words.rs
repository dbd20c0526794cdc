//! Word-level differences of edited text, shortened to the changes and a
//! few words around them.

use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

/// Words kept on either side of a change.
const CONTEXT: usize = 6;

/// Text longer than this many words is shown as a word diff rather than
/// as its old and new value.
const SHORT: usize = 12;

/// What happened to a run of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Words in both versions.
    Equal,
    /// Words only in the old version: removed.
    Delete,
    /// Words only in the new version: inserted.
    Insert,
}

/// A run of words of an edited text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// Whether the words were kept, removed or inserted.
    pub op: Op,
    /// The words, with the spaces between them; a long kept run is cut to a few
    /// words around the changes, with "…".
    pub text: String,
}

/// The text as a reader sees it: runs of white space within a paragraph
/// are one space, and paragraphs are separated by one blank line.
pub fn normalise(text: &str) -> String {
    paragraphs(text).join("\n\n")
}

/// The paragraphs of a Markdown text (separated by blank lines), each
/// with its white space collapsed.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.extend(line.split_whitespace());
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// Whether a value is better shown as a word diff.
pub fn is_long(text: &str) -> bool {
    text.contains('\n') || text.split_whitespace().nth(SHORT).is_some()
}

/// Whether two paragraphs are alike enough to be one paragraph edited
/// rather than one replaced by another: at least half their words shared.
pub fn alike(old: &str, new: &str) -> bool {
    let (a, b) = (old.split_whitespace().count(), new.split_whitespace().count());
    // Half the words cannot be shared between texts of very different
    // lengths; and long texts are compared whole (a word diff of them
    // takes time growing with the square of their length).
    if a.max(b) > 2 * a.min(b) + 2 {
        return false;
    }
    if a.max(b) > MAX_DIFF_WORDS {
        return old == new;
    }
    TextDiff::from_words(old, new).ratio() >= 0.5
}

/// The most words of a paragraph diffed word by word; a longer one that
/// changed is shown replaced.
pub const MAX_DIFF_WORDS: usize = 2_000;

/// The beginning of a text, for naming a paragraph added or removed.
pub fn excerpt(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= SHORT { words.join(" ") } else { format!("{} …", words[..SHORT].join(" ")) }
}

/// The words of `new` against those of `old` (both normalised), with
/// unchanged runs shortened to a few words around each change.
pub fn diff(old: &str, new: &str) -> Vec<Piece> {
    let longest = old.split_whitespace().count().max(new.split_whitespace().count());
    if longest > MAX_DIFF_WORDS {
        return vec![
            Piece { op: Op::Delete, text: excerpt(old) },
            Piece { op: Op::Insert, text: excerpt(new) },
        ];
    }
    let diff = TextDiff::from_words(old, new);
    let mut pieces: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => Op::Equal,
            ChangeTag::Delete => Op::Delete,
            ChangeTag::Insert => Op::Insert,
        };
        pieces.push(Piece { op, text: change.value().to_owned() });
    }
    shorten(group(pieces))
}

/// Joins each run of changes into one deletion followed by one insertion;
/// the spaces between changed words belong to the change.
fn group(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let mut in_run = false;
    let flush = |out: &mut Vec<Piece>, deleted: &mut String, inserted: &mut String| {
        for (op, text) in [(Op::Delete, deleted), (Op::Insert, inserted)] {
            if !text.is_empty() {
                out.push(Piece { op, text: std::mem::take(text) });
            }
        }
    };
    for (i, piece) in pieces.iter().enumerate() {
        let blank = piece.text.trim().is_empty();
        let next_changes = pieces.get(i + 1).is_some_and(|p| p.op != Op::Equal);
        match piece.op {
            Op::Equal if in_run && blank && next_changes => {
                deleted.push_str(&piece.text);
                inserted.push_str(&piece.text);
            }
            Op::Equal => {
                flush(&mut out, &mut deleted, &mut inserted);
                in_run = false;
                match out.last_mut() {
                    Some(last) if last.op == Op::Equal => last.text.push_str(&piece.text),
                    _ => out.push(piece.clone()),
                }
            }
            Op::Delete => {
                in_run = true;
                deleted.push_str(&piece.text);
            }
            Op::Insert => {
                in_run = true;
                inserted.push_str(&piece.text);
            }
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

/// Shortens unchanged runs to the words next to a change.
fn shorten(pieces: Vec<Piece>) -> Vec<Piece> {
    if pieces.iter().all(|p| p.op == Op::Equal) {
        return pieces;
    }
    let last = pieces.len() - 1;
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, piece)| {
            if piece.op != Op::Equal {
                return piece;
            }
            let words: Vec<&str> = piece.text.split_whitespace().collect();
            let lead = if piece.text.starts_with(char::is_whitespace) { " " } else { "" };
            let trail = if piece.text.ends_with(char::is_whitespace) { " " } else { "" };
            let text = if i == 0 && words.len() > CONTEXT {
                format!("… {}{trail}", words[words.len() - CONTEXT..].join(" "))
            } else if i == last && words.len() > CONTEXT {
                format!("{lead}{} …", words[..CONTEXT].join(" "))
            } else if i != 0 && i != last && words.len() > 2 * CONTEXT + 1 {
                format!(
                    "{lead}{} … {}{trail}",
                    words[..CONTEXT].join(" "),
                    words[words.len() - CONTEXT..].join(" ")
                )
            } else {
                return piece;
            };
            Piece { op: Op::Equal, text }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p.op {
                Op::Equal => p.text.clone(),
                Op::Delete => format!("[-{}-]", p.text),
                Op::Insert => format!("{{+{}+}}", p.text),
            })
            .collect()
    }

    #[test]
    fn a_changed_word() {
        let d = diff("the workshop was held online", "the workshop is held online");
        assert_eq!(show(&d), "the workshop [-was-]{+is+} held online");
    }

    #[test]
    fn neighbouring_changes_are_one() {
        let d = diff("one two three four", "one 2 3 four");
        assert_eq!(show(&d), "one [-two three-]{+2 3+} four");
    }

    #[test]
    fn long_unchanged_runs_are_shortened() {
        let old = "a b c d e f g h i j k l m n o p q r s t u v w x y z";
        let new = "a b c d e f g h i j k l M n o p q r s t u v w x y z";
        assert_eq!(show(&diff(old, new)), "… g h i j k l [-m-]{+M+} n o p q r s …");
    }

    #[test]
    fn paragraphs_ignore_line_breaks_and_spacing() {
        assert_eq!(paragraphs("one  two\nthree\n\n\nfour\n"), ["one two three", "four"]);
        assert_eq!(normalise("a\n b\n\nc"), "a b\n\nc");
    }

    #[test]
    fn excerpts_end_with_an_ellipsis_when_cut() {
        assert_eq!(excerpt("short text"), "short text");
        assert_eq!(
            excerpt("one two three four five six seven eight nine ten eleven twelve thirteen"),
            "one two three four five six seven eight nine ten eleven twelve …"
        );
    }
}
