//! auditlens core: parsing, normalization, indexing, query, timeline, detections and reports
//! for exported audit logs. No I/O, no clock, no wasm: callers hand in bytes and times.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod case;
pub mod container;
pub mod csv;
pub mod derive;
pub mod detect;
pub mod export;
pub mod formats;
pub mod ingest;
pub mod json;
pub mod model;
pub mod query;
pub mod report;
pub mod search;
pub mod sigma;
pub mod time;
pub mod timeline;
pub mod zip;

pub use ingest::{Dataset, FileSummary, LoadOptions};

/// The tool version, shown in reports and `--version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
