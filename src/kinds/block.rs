//! The kinds of block of a chapter's body: text, table, figure, chart.

use serde::Serialize;

use crate::diff::Area;

/// The kinds of block of a chapter's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Markdown text.
    Text,
    /// A table, from CSV or written in the record.
    Table,
    /// A picture.
    Figure,
    /// A bar chart drawn from a CSV file.
    Chart,
}

impl BlockKind {
    /// Every kind.
    pub const ALL: [BlockKind; 4] =
        [BlockKind::Text, BlockKind::Table, BlockKind::Figure, BlockKind::Chart];

    /// The field of a block in the record that gives it this kind.
    pub fn key(self) -> &'static str {
        match self {
            BlockKind::Text => "text",
            BlockKind::Table => "table",
            BlockKind::Figure => "figure",
            BlockKind::Chart => "chart",
        }
    }

    /// The template that prints a block of this kind: `block-<key>.typ.j2`.
    pub fn template(self) -> String {
        format!("block-{}.typ.j2", self.key())
    }

    /// Where `diff` files the changes of a block of this kind.
    pub fn area(self) -> Area {
        match self {
            BlockKind::Text => Area::Chapters,
            BlockKind::Table | BlockKind::Figure | BlockKind::Chart => Area::Tables,
        }
    }
}
