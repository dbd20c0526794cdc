//! The checks of the record's sections, each building its part of the
//! model.

mod agenda;
mod annex;
mod body;
pub mod branding;
mod feedback;
mod prose;
pub mod terms;
