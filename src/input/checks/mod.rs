//! Checks of what a record names or holds, whatever the section: links,
//! pictures (before the typesetter sees them) and text values (controls,
//! marks, Markdown nesting, characters no font has).

pub mod link;
pub mod picture;
pub mod text;
