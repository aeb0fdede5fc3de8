//! Detections: built-in rules over the normalized model, and Sigma rules over the raw records.

pub mod builtin;
pub mod finding;

pub use builtin::{rules, run_builtin, Config, RuleInfo};
pub use finding::{EventRef, Finding, RuleDoc, Severity};
