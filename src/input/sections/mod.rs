//! The checks of the record's sections, each building its part of the
//! model.

pub(crate) mod agenda;
mod annex;
pub(crate) mod body;
pub mod branding;
mod feedback;
mod prose;
pub mod terms;
