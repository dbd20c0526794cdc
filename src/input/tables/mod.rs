//! Tables the record names: a CSV file or a sheet of a workbook, read into
//! the same [`Table`], or streamed row by row for a survey export.

pub mod csv;
pub mod workbook;

pub use csv::Table;
