//! Detections: built-in rules over the normalized model, and Sigma rules over the raw records.

pub mod builtin;
pub mod finding;

pub use builtin::{rules, run_builtin, Config, RuleInfo};
pub use finding::{EventRef, Finding, RuleDoc, Severity};

/// Every finding the page and the CLI show: the built-in rules (when `builtin` is given) and the
/// Sigma rules (when `sigma` is given), in the deterministic order of [`finding::sort_findings`].
pub fn run_all(
    ds: &crate::Dataset,
    builtin: Option<&Config>,
    sigma: Option<&crate::sigma::RuleSet>,
) -> Vec<Finding> {
    let mut findings = builtin.map(|cfg| run_builtin(ds, cfg)).unwrap_or_default();
    if let Some(set) = sigma {
        findings.extend(crate::sigma::run(ds, set));
    }
    finding::sort_findings(&mut findings);
    findings
}
