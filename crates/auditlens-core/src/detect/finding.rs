//! What every detection produces, built-in or Sigma: one shape for the CLI, the page and the report.

use serde::Serialize;

use crate::ingest::Dataset;
use crate::model::Event;

/// Severity, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Informational,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// Lower-case name (`high`), as in Sigma's `level`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Informational => "informational",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a Sigma `level` / a severity name.
    pub fn from_name(s: &str) -> Option<Severity> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "informational" | "info" => Severity::Informational,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
}

/// A stable reference to an event: its file (by load order) and record number. Positions in the
/// event table change as files are added; these do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EventRef {
    /// File index in load order.
    pub file: u32,
    /// 1-based record number in that file.
    pub record: u32,
}

impl EventRef {
    /// The reference of an event.
    pub fn of(e: &Event) -> EventRef {
        EventRef {
            file: e.src.file,
            record: e.src.record,
        }
    }
}

/// Documentation every rule carries (the UI and the report show it).
#[derive(Debug, Clone, Serialize, Default)]
pub struct RuleDoc {
    /// What it detects.
    pub what: String,
    /// Why it matters.
    pub why: String,
    /// Signals it uses, per format.
    pub signals: String,
    /// Known false positives.
    pub false_positives: String,
    /// What to check next.
    pub next_steps: String,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable rule id (`AL-001`, or a Sigma rule's id).
    pub rule: String,
    /// Rule title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// First evidence time (RFC 3339 UTC).
    pub first: String,
    /// Last evidence time.
    pub last: String,
    /// First evidence time, nanoseconds.
    #[serde(skip)]
    pub first_ns: i64,
    /// Last evidence time, nanoseconds.
    #[serde(skip)]
    pub last_ns: i64,
    /// Number of evidence events.
    pub count: u64,
    /// Actors involved.
    pub actors: Vec<String>,
    /// Source IPs involved.
    pub ips: Vec<String>,
    /// Targets involved.
    pub targets: Vec<String>,
    /// Evidence: vendor ids where the events have them, else `file#record` references.
    pub evidence: Vec<String>,
    /// The evidence as stable event references.
    #[serde(skip)]
    pub evidence_refs: Vec<EventRef>,
    /// One line with the numbers ("31 failed logins for 6 accounts from 192.0.2.44 in 12 min").
    pub explanation: String,
    /// `builtin` or `sigma`.
    pub source: &'static str,
}

/// The evidence label of an event: its vendor id, or `file#record`.
pub fn evidence_label(ds: &Dataset, e: &Event) -> String {
    match ds.uid(e) {
        Some(u) => u.to_string(),
        None => format!(
            "{}#{}",
            ds.files[e.src.file as usize].summary.path, e.src.record
        ),
    }
}

/// Deterministic order: severity (highest first), first time, rule, first evidence.
pub fn sort_findings(f: &mut [Finding]) {
    f.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.first_ns.cmp(&b.first_ns))
            .then(a.rule.cmp(&b.rule))
            .then(a.evidence_refs.first().cmp(&b.evidence_refs.first()))
    });
}
