//! The feedback survey's raw exports: the survey tools that make them
//! (`tools/`, one file each), the reading of an export's rows as they
//! stream (`rows.rs`), the columns of an export and where each question's
//! answers are among them (`columns.rs`), and the counting of its rows
//! through the model's tally (`export.rs`).

pub mod columns;
mod export;
mod rows;
mod timing;
pub mod tools;

pub use rows::Place;
