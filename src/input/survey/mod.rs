//! The feedback survey's raw exports: the survey tools that make them
//! (`tools/`, one file each), the reading of an export's rows as they
//! stream (`rows.rs`), the columns of an export and where each question's
//! answers are among them (`columns.rs`), and the counting of its rows
//! through the model's tally (`export.rs`); Indico's questionnaire
//! (`questionnaire.rs`), the order of its single-choice options.

pub mod columns;
mod export;
pub mod questionnaire;
mod rows;
mod timing;
pub mod tools;

pub use rows::Place;
