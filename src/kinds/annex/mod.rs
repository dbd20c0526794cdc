//! The kinds of annex, one file each: `<key>.rs` implements [`Kind`] and
//! registers the kind with a `register!` line, which `build.rs` reads to
//! write the record's [`Annex`] (one field per kind), the content enum
//! [`AnnexContent`], the enum of kinds [`AnnexKind`] and the dispatch
//! between them (the `kinds!` call at the end of this file). A kind the
//! dispatch lacks cannot be: the compiler asks every kind for each of
//! [`Kind`]'s items.

use std::fmt::Debug;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::diff::{Area, Changes};
use crate::input::Context;
use crate::language::terms::Term;
use crate::model::{DateRange, ImageRef};

/// An annex kind: what the record holds, what the check makes of it, and
/// what the later stages ask of that.
pub trait Kind {
    /// The field of the record's annex that holds this kind.
    type Record;
    /// What the check makes of the record: what the template sees (its
    /// fields beside the annex's `kind`, `number`, `title`...).
    type Content: Debug + Clone + PartialEq + Serialize;
    /// The term of the title an annex of this kind has unless the record
    /// gives one (`None`: the record must).
    const TITLE: Option<&'static str>;
    /// Terms of the kind's own, added to the catalogue after the common
    /// ones (each needs an English text in `templates/terms/en.yaml`; the
    /// other languages print it in English until they give one).
    const TERMS: &'static [Term];
    /// Where `diff` files the changes inside an annex of this kind.
    const AREA: Area;

    /// Checks the record's annex; `None` when a problem was reported to
    /// `cx`. `dates` are the workshop's, where the record's are valid.
    fn check(
        record: &Self::Record,
        cx: &mut Context,
        dates: Option<DateRange>,
    ) -> Option<Self::Content>;

    /// Adds to `out` what changed between two versions of an annex,
    /// `place` naming the annex.
    fn compare(out: &mut Changes, place: &[String], old: &Self::Content, new: &Self::Content);

    /// What the annex costs to lay out: what it holds, in words ("agenda
    /// entries"), and its units of the report's volume bound (see
    /// [`crate::input::volume`]); `None` when it costs nothing to speak of.
    fn volume(content: &Self::Content) -> Option<(&'static str, usize)>;

    /// The pictures the annex prints.
    fn pictures(content: &Self::Content) -> Vec<Picture<'_>>;
}

/// A picture an annex prints.
pub struct Picture<'a> {
    /// The picture.
    pub image: &'a ImageRef,
    /// Whether readers who cannot see it have words for it (PDF/UA-1).
    pub described: bool,
}

/// Registers the annex kind of the file it is in: its place among the
/// kinds (the order of the record's field list and of messages), then its
/// key (the file's name) and its record type, after the field's
/// documentation and schema attributes. `build.rs` reads the line; here
/// it names the record type.
macro_rules! register {
    ($(#[$attribute:meta])* $order:literal => $key:ident: $record:ty) => {
        /// The annex's field in the record.
        pub type Record = $record;
    };
}
#[allow(unused_imports)]
use register;

/// The content enum, the kinds' enum and the dispatch, for the kinds
/// `build.rs` found.
macro_rules! kinds {
    ($($key:ident => $module:ident :: $kind:ident,)*) => {
        /// What an annex holds; its `kind` picks the template that prints it.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "kind", rename_all = "snake_case")]
        pub enum AnnexContent {
            $(
                #[allow(missing_docs)]
                $kind(<$module::$kind as Kind>::Content),
            )*
        }

        /// The kinds of annex.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum AnnexKind {
            $(
                #[allow(missing_docs)]
                $kind,
            )*
        }

        impl AnnexKind {
            /// Every kind, in the order of the record's field list.
            pub const ALL: &[AnnexKind] = &[$(AnnexKind::$kind),*];

            /// The field of an annex in the record that gives it this kind.
            pub fn key(self) -> &'static str {
                match self {
                    $(AnnexKind::$kind => stringify!($key),)*
                }
            }

            /// The term of the default title (`None`: the record must give one).
            pub fn title_term(self) -> Option<&'static str> {
                match self {
                    $(AnnexKind::$kind => <$module::$kind as Kind>::TITLE,)*
                }
            }

            /// The kind's own terms.
            pub fn terms(self) -> &'static [Term] {
                match self {
                    $(AnnexKind::$kind => <$module::$kind as Kind>::TERMS,)*
                }
            }

            /// The template that prints an annex of this kind: `<key>.typ.j2`.
            pub fn template(self) -> String {
                format!("{}.typ.j2", self.key())
            }

            /// Where `diff` files the changes inside an annex of this kind.
            pub fn area(self) -> Area {
                match self {
                    $(AnnexKind::$kind => <$module::$kind as Kind>::AREA,)*
                }
            }

            /// Whether the record's annex gives this kind's field.
            pub fn given(self, annex: &Annex) -> bool {
                match self {
                    $(AnnexKind::$kind => annex.$key.is_some(),)*
                }
            }

            /// Checks the record's annex as this kind.
            pub(crate) fn check(
                self,
                annex: &Annex,
                cx: &mut Context,
                dates: Option<DateRange>,
            ) -> Option<AnnexContent> {
                match self {
                    $(AnnexKind::$kind => {
                        let record = annex.$key.as_ref()?;
                        <$module::$kind as Kind>::check(record, cx, dates).map(AnnexContent::$kind)
                    })*
                }
            }
        }

        impl AnnexContent {
            /// The kind of annex this is.
            pub fn kind(&self) -> AnnexKind {
                match self {
                    $(AnnexContent::$kind(_) => AnnexKind::$kind,)*
                }
            }

            /// What changed between two versions of an annex (of one kind).
            pub(crate) fn compare(out: &mut Changes, place: &[String], old: &Self, new: &Self) {
                match (old, new) {
                    $((AnnexContent::$kind(o), AnnexContent::$kind(n)) => {
                        <$module::$kind as Kind>::compare(out, place, o, n);
                    })*
                    // Annexes are matched by kind: never two kinds.
                    #[allow(unreachable_patterns)]
                    _ => {}
                }
            }

            /// What the annex holds and costs to lay out.
            pub fn volume(&self) -> Option<(&'static str, usize)> {
                match self {
                    $(AnnexContent::$kind(c) => <$module::$kind as Kind>::volume(c),)*
                }
            }

            /// The pictures the annex prints.
            pub fn pictures(&self) -> Vec<Picture<'_>> {
                match self {
                    $(AnnexContent::$kind(c) => <$module::$kind as Kind>::pictures(c),)*
                }
            }
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/annex_kinds.rs"));

/// The error of an annex that gives no kind or several.
pub(crate) fn not_one_kind(given: usize) -> Diagnostic {
    use crate::diag::Code;
    let all = super::alternatives(AnnexKind::ALL.iter().map(|k| k.key()));
    let hint = if given == 0 {
        let fields = AnnexKind::ALL.iter().map(|k| format!("{}:", k.key()));
        format!("say what the annex holds: {}", super::alternatives(fields))
    } else {
        "split it into one annex per kind, each starting with `- `".to_owned()
    };
    Diagnostic::error(Code::AnnexKind, format!("an annex holds exactly one of {all}")).hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The content enum and the kinds' enum are tagged alike: the
    /// templates pick an annex's template by its content's `kind`.
    #[test]
    fn every_kind_is_named_by_its_key() {
        for &kind in AnnexKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.key());
        }
    }
}
