//! The ground floor: what every stage uses, using none of them.
//!
//! `contract` (what the stages agree on: the asset root, hashing), `diag`
//! (problems, their codes and rendering), `files` (the one way to read a
//! file, and a CSV file's encoding), `fonts` (the embedded fonts),
//! `language` (a report's words, dates and numbers) and `shown` (text from
//! the inputs escaped for each output format).

pub mod contract;
pub mod diag;
pub mod files;
pub mod fonts;
pub mod language;
pub mod shown;
