//! Detections: built-in rules over the normalized model, and Sigma rules over the raw records.

pub mod finding;

pub use finding::{EventRef, Finding, RuleDoc, Severity};
