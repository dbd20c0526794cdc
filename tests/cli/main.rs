//! End-to-end tests: the `workshop-report` binary run on real workshop
//! folders, its PDFs read back the way a reader sees them.

mod attach;
mod batch;
mod browser;
mod build;
mod diff;
mod errors;
mod escaping;
mod event_exports;
mod exports;
mod failures;
mod feedback;
mod hostile;
mod isolation;
mod languages;
mod layout;
mod markdown_files;
mod packaging;
mod preview;
mod readers;
mod support;
mod verify;
mod watch;
mod workbooks;
