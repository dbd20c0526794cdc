//! The kinds of block of a body, one file each: `<key>.rs` implements
//! [`Kind`] and registers the kind with a `register!` line, which
//! `build.rs` reads to write the record's [`Block`] (one field per kind,
//! with `text_file` and `caption`), the content enum [`BlockContent`]
//! (the model's `Block`), the enum of kinds [`BlockKind`] and the
//! dispatch between them (the `kinds!` call at the end of this file).

use std::fmt::Debug;

use serde::Serialize;

use crate::diff::{Area, Changes};
use crate::input::Context;
use crate::input::record::Spanned;

pub use super::annex::Picture;

/// A block kind: what the record holds, what the check makes of it, and
/// what the later stages ask of that.
pub trait Kind {
    /// The field of the record's block that holds this kind.
    type Record;
    /// What the check makes of the record: what the template
    /// `block-<key>.typ.j2` sees (its fields beside the block's `kind`).
    type Content: Debug + Clone + PartialEq + Serialize;
    /// Where `diff` files the changes of a block of this kind.
    const AREA: Area;

    /// Checks the record's block; `None` when a problem was reported to
    /// `cx`. `caption` is the block's, trimmed, within its bound.
    fn check(
        record: &Self::Record,
        block: &Spanned<Block>,
        caption: Option<String>,
        cx: &mut Context,
    ) -> Option<Self::Content>;

    /// Adds to `out` what changed between the blocks of this kind of two
    /// versions of one chapter, section or part (`place`); each kind
    /// matches its own.
    fn compare(out: &mut Changes, place: &[String], old: &[&Self::Content], new: &[&Self::Content]);

    /// The paragraphs the block adds to its place's text, which `diff`
    /// compares word by word with the text around it.
    fn paragraphs(content: &Self::Content) -> Vec<String>;

    /// What the block costs to lay out, in units of the report's volume
    /// bound (see [`crate::input::volume`]).
    fn volume(content: &Self::Content) -> usize;

    /// The pictures the block prints.
    fn pictures(content: &Self::Content) -> Vec<Picture<'_>>;
}

/// Registers the block kind of the file it is in: its place among the
/// kinds, then its key (the file's name) and its record type, after the
/// field's documentation and schema attributes. `build.rs` reads the
/// line; here it names the record type.
macro_rules! register {
    ($(#[$attribute:meta])* $order:literal => $key:ident: $record:ty) => {
        /// The block's field in the record.
        pub type Record = $record;
    };
}

/// The content enum, the kinds' enum and the dispatch, for the kinds
/// `build.rs` found.
macro_rules! kinds {
    ($($key:ident => $module:ident :: $kind:ident,)*) => {
        /// A block of a body, as checked; its `kind` picks the template.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum BlockContent {
            $(
                #[allow(missing_docs)]
                $kind(<$module::$kind as Kind>::Content),
            )*
        }

        /// The kinds of block.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum BlockKind {
            $(
                #[allow(missing_docs)]
                $kind,
            )*
        }

        impl BlockKind {
            /// Every kind, in the order of the record's field list.
            pub const ALL: &[BlockKind] = &[$(BlockKind::$kind),*];

            /// The field of a block in the record that gives it this kind.
            pub fn key(self) -> &'static str {
                match self {
                    $(BlockKind::$kind => stringify!($key),)*
                }
            }

            /// The template that prints a block of this kind: `block-<key>.typ.j2`.
            pub fn template(self) -> String {
                format!("block-{}.typ.j2", self.key())
            }

            /// Where `diff` files the changes of a block of this kind.
            pub fn area(self) -> Area {
                match self {
                    $(BlockKind::$kind => <$module::$kind as Kind>::AREA,)*
                }
            }

            /// Whether the record's block gives this kind's field.
            pub fn given(self, block: &Block) -> bool {
                match self {
                    $(BlockKind::$kind => block.$key.is_some(),)*
                }
            }

            /// Checks the record's block as this kind.
            pub(crate) fn check(
                self,
                block: &Spanned<Block>,
                caption: Option<String>,
                cx: &mut Context,
            ) -> Option<BlockContent> {
                match self {
                    $(BlockKind::$kind => {
                        let record = block.value.$key.as_ref()?;
                        <$module::$kind as Kind>::check(record, block, caption, cx)
                            .map(BlockContent::$kind)
                    })*
                }
            }
        }

        impl BlockContent {
            /// The kind of block this is.
            pub fn kind(&self) -> BlockKind {
                match self {
                    $(BlockContent::$kind(_) => BlockKind::$kind,)*
                }
            }

            /// What changed between the blocks of two versions of a place,
            /// kind by kind.
            pub(crate) fn compare(out: &mut Changes, place: &[String], old: &[Self], new: &[Self]) {
                $({
                    fn of_kind(
                        blocks: &[BlockContent],
                    ) -> Vec<&<$module::$kind as Kind>::Content> {
                        blocks
                            .iter()
                            .filter_map(|b| if let BlockContent::$kind(c) = b { Some(c) } else { None })
                            .collect()
                    }
                    <$module::$kind as Kind>::compare(out, place, &of_kind(old), &of_kind(new));
                })*
            }

            /// The paragraphs the block adds to its place's text.
            pub fn paragraphs(&self) -> Vec<String> {
                match self {
                    $(BlockContent::$kind(c) => <$module::$kind as Kind>::paragraphs(c),)*
                }
            }

            /// What the block costs to lay out.
            pub fn volume(&self) -> usize {
                match self {
                    $(BlockContent::$kind(c) => <$module::$kind as Kind>::volume(c),)*
                }
            }

            /// The pictures the block prints.
            pub fn pictures(&self) -> Vec<Picture<'_>> {
                match self {
                    $(BlockContent::$kind(c) => <$module::$kind as Kind>::pictures(c),)*
                }
            }
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/block_kinds.rs"));

/// The error of a block that gives no kind or several.
pub(crate) fn not_one_kind(given: usize) -> crate::diag::Diagnostic {
    use crate::diag::{Code, Diagnostic};
    let all = super::alternatives(BlockKind::ALL.iter().map(|k| k.key()));
    let hint = if given == 0 {
        let fields = BlockKind::ALL.iter().map(|k| format!("{}:", k.key()));
        format!("say what the block is: {}", super::alternatives(fields))
    } else {
        "split it into one block per kind, each starting with `- `".to_owned()
    };
    Diagnostic::error(Code::BlockKind, format!("a block holds exactly one of {all}")).hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The templates pick a block's template by its content's `kind`.
    #[test]
    fn every_kind_is_named_by_its_key() {
        for &kind in BlockKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.key());
        }
    }
}
