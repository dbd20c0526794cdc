//! The kinds of annex and of block. A kind cuts across the stages: its
//! record (what `workshop.yaml` holds), its check (the input stage), its
//! content (the model the templates see), its comparison (`diff`), the
//! volume it lays out and the pictures it prints. An annex kind is one
//! file of `annex/`, found by `build.rs`, with its template
//! `templates/<key>.typ.j2` and its English title in
//! `templates/terms/en.yaml`.

pub mod annex;
pub mod block;

pub use annex::{AnnexContent, AnnexKind};
pub use block::BlockKind;

/// The kinds' keys as the record's messages list them: "`a`, `b` or `c`".
pub fn alternatives<K: std::fmt::Display>(keys: impl IntoIterator<Item = K>) -> String {
    let keys: Vec<String> = keys.into_iter().map(|k| format!("`{k}`")).collect();
    match keys.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => keys.join(""),
    }
}
