//! The feedback survey's raw exports: the survey tools that make them
//! (`tools/`, one file each), the columns of an export and where each
//! question's answers are among them (`columns.rs`), and the reading and
//! counting of an export's rows (`export.rs`).

pub mod columns;
mod export;
mod timing;
pub mod tools;

pub use export::Place;
