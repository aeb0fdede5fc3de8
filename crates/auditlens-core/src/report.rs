//! The incident report: a deterministic document an auditor can hand over, built from the loaded
//! data, the findings, and the case's annotations, rendered as Markdown, a self-contained HTML
//! file (print stylesheet, no script, strict CSP) or JSON with the same content.
//!
//! Nothing here reads a clock: "generated at" is given by the caller. Every piece of log content
//! is escaped for the output format, and invisible or direction-changing characters are shown as
//! `[U+202E]` so that an attacker-chosen value reads as what it is.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::case::{base64_encode, Case};
use crate::detect::{self, Finding, RuleDoc, Severity};
use crate::export::{message, rfc3339_in, targets_text};
use crate::ingest::{event_key, human_duration, Dataset};
use crate::model::{Event, Outcome};
use crate::search::{self, Bits, Index};
use crate::time::{self, Zone};
use crate::timeline;

/// Most timeline entries rendered (the rest are counted).
pub const MAX_TIMELINE: usize = 1000;
/// Most rows per entity table.
pub const MAX_ENTITIES: usize = 50;
/// Most events with changes rendered.
pub const MAX_CHANGES: usize = 200;
/// Most characters of one value shown in Markdown/HTML (JSON keeps values whole).
pub const MAX_VALUE_CHARS: usize = 400;

/// What the report covers and how it is labelled.
#[derive(Debug, Clone, Default)]
pub struct ReportRequest {
    /// Title (defaults to the case title, then "Incident report").
    pub title: String,
    /// Case id.
    pub case_id: String,
    /// Scope query (empty: every event).
    pub query: String,
    /// Scope start (UTC nanoseconds, inclusive).
    pub from: Option<i64>,
    /// Scope end (UTC nanoseconds, inclusive).
    pub to: Option<i64>,
    /// Rule ids of the findings to include; `None`: all.
    pub findings: Option<Vec<String>>,
    /// Include starred events in the timeline.
    pub include_starred: bool,
    /// Display zone for every time in the report.
    pub zone: Zone,
    /// When the report was generated (UTC nanoseconds), given by the caller.
    pub generated_at: i64,
    /// `now` for relative times in the query (defaults to the latest event).
    pub now: Option<i64>,
}

/// The report's content (the JSON format is exactly this).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Title.
    pub title: String,
    /// Case id.
    pub case_id: String,
    /// Tool name and version.
    pub tool: String,
    /// When it was generated (RFC 3339 in the display zone).
    pub generated_at: String,
    /// Display zone.
    pub timezone: String,
    /// What the report covers.
    pub scope: Scope,
    /// Executive summary: plain sentences computed from the data.
    pub summary: Vec<String>,
    /// Key findings.
    pub findings: Vec<ReportFinding>,
    /// Significant events in time order.
    pub timeline: Vec<TimelineEntry>,
    /// Timeline entries left out (over [`MAX_TIMELINE`]).
    pub timeline_omitted: usize,
    /// Actors, source IPs, user agents and resources involved.
    pub entities: Entities,
    /// Before/after changes.
    pub changes: Vec<ChangeEntry>,
    /// Events with changes left out (over [`MAX_CHANGES`]).
    pub changes_omitted: usize,
    /// Analyst notes (paragraphs).
    pub notes: Vec<String>,
    /// Recommended next steps, from the rules' documentation.
    pub next_steps: Vec<NextStep>,
    /// Methodology and evidence.
    pub methodology: Methodology,
}

/// The report's scope.
#[derive(Debug, Clone, Serialize)]
pub struct Scope {
    /// Query (empty: every event).
    pub query: String,
    /// Start (display zone), if limited.
    pub from: Option<String>,
    /// End (display zone), if limited.
    pub to: Option<String>,
    /// Finding selection: `all` or the rule ids.
    pub findings: Vec<String>,
    /// Whether starred events are included.
    pub starred: bool,
    /// Events loaded in total.
    pub events_total: u64,
    /// Events in scope (query and time window).
    pub events_in_scope: u64,
    /// First and last event time in scope.
    pub first: Option<String>,
    /// Last event time in scope.
    pub last: Option<String>,
}

/// A finding in the report.
#[derive(Debug, Clone, Serialize)]
pub struct ReportFinding {
    /// Rule id.
    pub rule: String,
    /// Title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// `builtin` or `sigma`.
    pub source: String,
    /// First evidence (display zone).
    pub first: String,
    /// Last evidence (display zone).
    pub last: String,
    /// Evidence events.
    pub count: u64,
    /// The numbers, in one line.
    pub explanation: String,
    /// Actors.
    pub actors: Vec<String>,
    /// Source IPs.
    pub ips: Vec<String>,
    /// Targets.
    pub targets: Vec<String>,
    /// Evidence labels (vendor ids or `file#record`).
    pub evidence: Vec<String>,
    /// Rule documentation.
    pub doc: RuleDoc,
}

/// One significant event.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// Time (display zone).
    pub time: String,
    /// Why it is here: `finding AL-001`, `starred`, `analyst`.
    pub marks: Vec<String>,
    /// One-line description.
    pub text: String,
    /// Actor.
    pub actor: String,
    /// Action.
    pub action: String,
    /// Outcome.
    pub outcome: String,
    /// Source IP (or raw source).
    pub source: String,
    /// Targets.
    pub targets: String,
    /// Event key (empty for analyst events).
    pub key: String,
    /// Evidence location: `file#record (line N)`.
    pub location: String,
    /// Tags from the case.
    pub tags: Vec<String>,
    /// Comments from the case: `author (at): text`.
    pub comments: Vec<String>,
    /// Time, UTC nanoseconds (for ordering; not rendered).
    #[serde(skip)]
    pub ns: i64,
}

/// Actors, IPs, user agents and resources.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Entities {
    /// Actors.
    pub actors: Vec<Entity>,
    /// Source IPs.
    pub ips: Vec<Entity>,
    /// User agents.
    pub user_agents: Vec<Entity>,
    /// Resources (targets).
    pub resources: Vec<Entity>,
}

/// One entity with its activity in scope.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// Value.
    pub value: String,
    /// Events in scope.
    pub events: u64,
    /// Failed events in scope.
    pub failures: u64,
    /// First seen in scope (display zone).
    pub first: String,
    /// Last seen in scope.
    pub last: String,
    /// Whether it appears in a finding or a starred event.
    pub flagged: bool,
}

/// An event that changed state.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeEntry {
    /// Time (display zone).
    pub time: String,
    /// Actor.
    pub actor: String,
    /// Action.
    pub action: String,
    /// Targets.
    pub targets: String,
    /// Event key.
    pub key: String,
    /// The differences.
    pub changes: Vec<timeline::Change>,
}

/// A recommended next step.
#[derive(Debug, Clone, Serialize)]
pub struct NextStep {
    /// Rule id.
    pub rule: String,
    /// Rule title.
    pub title: String,
    /// What to do.
    pub text: String,
}

/// Methodology and evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Methodology {
    /// Every input file.
    pub files: Vec<FileEvidence>,
    /// Records read, loaded, rejected in total.
    pub read: u64,
    /// Loaded.
    pub loaded: u64,
    /// Rejected.
    pub rejected: u64,
    /// Display zone.
    pub timezone: String,
    /// Queries and filters used.
    pub queries: Vec<String>,
    /// The case's saved queries.
    pub saved_queries: Vec<String>,
    /// Rules run, with versions.
    pub rules: Vec<RuleVersion>,
    /// Detection thresholds in effect.
    pub detect_config: serde_json::Value,
    /// Tool version.
    pub tool_version: String,
    /// Generated at (RFC 3339 UTC).
    pub generated_at_utc: String,
}

/// An input file as evidence.
#[derive(Debug, Clone, Serialize)]
pub struct FileEvidence {
    /// Name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Format id.
    pub format: String,
    /// Container.
    pub container: String,
    /// SHA-256 of the bytes as given.
    pub sha256: String,
    /// SHA-256 of the decompressed content, if compressed.
    pub sha256_content: Option<String>,
    /// Records read.
    pub read: u64,
    /// Loaded.
    pub loaded: u64,
    /// Rejected.
    pub rejected: u64,
    /// Duplicates collapsed.
    pub duplicates: u64,
    /// Stages merged.
    pub merged: u64,
    /// Integrity warnings.
    pub warnings: Vec<String>,
    /// First rejections: `record N, line L: reason`.
    pub errors: Vec<String>,
}

/// A rule and its version.
#[derive(Debug, Clone, Serialize)]
pub struct RuleVersion {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// `builtin` or `sigma`.
    pub source: String,
    /// Built-in: the tool version; Sigma: the rule file and status.
    pub version: String,
    /// Findings it raised in the whole data.
    pub findings: usize,
}

/// Everything the report is built from.
pub struct ReportInput<'a> {
    /// The data.
    pub ds: &'a Dataset,
    /// Its search index (current).
    pub index: &'a Index,
    /// The case (annotations, notes); may be empty.
    pub case: &'a Case,
    /// Built-in detection thresholds; `None`: built-in rules not run.
    pub config: Option<&'a detect::Config>,
    /// Sigma rules, if loaded.
    pub sigma: Option<&'a crate::sigma::RuleSet>,
}

/// Builds the report.
pub fn build(input: &ReportInput<'_>, req: &ReportRequest) -> Result<Report, String> {
    let ds = input.ds;
    let zone = &req.zone;
    let t = |ns: i64| rfc3339_in(ns, zone);
    if !input.index.is_current(ds) {
        return Err("the search index is out of date".into());
    }
    if let (Some(a), Some(b)) = (req.from, req.to) {
        if a > b {
            return Err("the scope's start is after its end".into());
        }
    }

    // Scope: the query and the time window.
    let n = ds.events.len();
    let mut sel = if req.query.trim().is_empty() {
        Bits::ones(n)
    } else {
        let q = crate::query::parse(&req.query).map_err(|e| format!("query: {e}"))?;
        let now = req.now.unwrap_or_else(|| search::default_now(ds));
        search::filter(ds, input.index, &q.expr, now)
    };
    let in_window = |ns: i64| req.from.is_none_or(|f| ns >= f) && req.to.is_none_or(|x| ns <= x);
    if req.from.is_some() || req.to.is_some() {
        let lo = ds
            .events
            .partition_point(|e| req.from.is_some_and(|f| e.time < f));
        let hi = ds
            .events
            .partition_point(|e| req.to.is_none_or(|x| e.time <= x));
        let mut w = Bits::zeros(n);
        if lo < hi {
            w.set_range(lo, hi);
        }
        sel.and(&w);
    }
    let scope_count = sel.count() as u64;

    // Findings.
    let all_findings = detect::run_all(ds, input.config, input.sigma);
    let chosen: Vec<&Finding> = all_findings
        .iter()
        .filter(|f| {
            req.findings
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|i| i == &f.rule))
        })
        .filter(|f| {
            req.from.is_none_or(|a| f.last_ns >= a) && req.to.is_none_or(|b| f.first_ns <= b)
        })
        .collect();
    let docs = rule_docs(input.sigma);

    // Significant events: position → marks.
    let mut marks: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    let pos_of = ds.positions_of(
        chosen
            .iter()
            .flat_map(|f| f.evidence_refs.iter().map(|r| (r.file, r.record))),
    );
    for f in &chosen {
        for r in &f.evidence_refs {
            if let Some(&p) = pos_of.get(&(r.file, r.record)) {
                if in_window(ds.events[p].time) {
                    marks
                        .entry(p)
                        .or_default()
                        .insert(format!("finding {}", f.rule));
                }
            }
        }
    }
    let case = input.case;
    if req.include_starred {
        let found = crate::case::resolve_keys(ds, case.stars.iter().map(String::as_str));
        for p in found.values() {
            if in_window(ds.events[*p].time) {
                marks.entry(*p).or_default().insert("starred".into());
            }
        }
    }

    let mut entries: Vec<TimelineEntry> = marks
        .iter()
        .map(|(&p, m)| {
            let e = &ds.events[p];
            let f = &ds.files[e.src.file as usize].summary;
            let key = event_key(f, e);
            TimelineEntry {
                time: t(e.time),
                marks: m.iter().cloned().collect(),
                text: message(ds, e),
                actor: name_of(ds, e),
                action: ds.strings.opt(e.action).unwrap_or("").to_string(),
                outcome: e.outcome.name().to_string(),
                source: source_of(ds, e),
                targets: targets_text(ds, e),
                location: format!("{}#{} (line {})", f.path, e.src.record, e.src.line),
                tags: case
                    .tags
                    .get(&key)
                    .map(|t| t.iter().cloned().collect())
                    .unwrap_or_default(),
                comments: case
                    .comments
                    .get(&key)
                    .map(|c| {
                        c.iter()
                            .map(|c| format!("{} ({}): {}", c.author, c.at, c.text))
                            .collect()
                    })
                    .unwrap_or_default(),
                key,
                ns: e.time,
            }
        })
        .collect();
    for a in &case.analyst_events {
        let Some(ts) = time::parse_timestamp(&a.time) else {
            continue;
        };
        if !in_window(ts.nanos) {
            continue;
        }
        entries.push(TimelineEntry {
            time: t(ts.nanos),
            marks: vec!["analyst".into()],
            text: a.text.clone(),
            actor: a.author.clone(),
            action: String::new(),
            outcome: String::new(),
            source: String::new(),
            targets: String::new(),
            key: String::new(),
            location: format!("analyst event {}", a.id),
            tags: Vec::new(),
            comments: Vec::new(),
            ns: ts.nanos,
        });
    }
    entries.sort_by(|a, b| {
        a.ns.cmp(&b.ns)
            .then_with(|| a.key.is_empty().cmp(&b.key.is_empty()))
            .then_with(|| a.location.cmp(&b.location))
    });
    let timeline_omitted = entries.len().saturating_sub(MAX_TIMELINE);
    entries.truncate(MAX_TIMELINE);

    // Entities.
    let flagged: Vec<usize> = marks.keys().copied().collect();
    let entities = entities(ds, &sel, &flagged, zone);

    // Changes: significant events first, then (for a limited scope) the others in scope.
    let limited = !req.query.trim().is_empty() || req.from.is_some() || req.to.is_some();
    let mut change_pos: Vec<usize> = flagged
        .iter()
        .copied()
        .filter(|&p| has_changes(&ds.events[p]))
        .collect();
    let mut changes_total = change_pos.len();
    if limited {
        for p in sel.iter() {
            let e = &ds.events[p];
            if has_changes(e) && !marks.contains_key(&p) {
                changes_total += 1;
                if change_pos.len() < MAX_CHANGES {
                    change_pos.push(p);
                }
            }
        }
    }
    change_pos.sort_unstable();
    change_pos.truncate(MAX_CHANGES);
    let changes: Vec<ChangeEntry> = change_pos
        .iter()
        .filter_map(|&p| {
            let e = &ds.events[p];
            let diff = timeline::event_diff(ds, e);
            if diff.is_empty() {
                return None;
            }
            Some(ChangeEntry {
                time: t(e.time),
                actor: name_of(ds, e),
                action: ds.strings.opt(e.action).unwrap_or("").to_string(),
                targets: targets_text(ds, e),
                key: event_key(&ds.files[e.src.file as usize].summary, e),
                changes: diff,
            })
        })
        .collect();
    let changes_omitted = changes_total.saturating_sub(change_pos.len());

    // Findings in the report.
    let findings: Vec<ReportFinding> = chosen
        .iter()
        .map(|f| ReportFinding {
            rule: f.rule.clone(),
            title: f.title.clone(),
            severity: f.severity,
            source: f.source.to_string(),
            first: t(f.first_ns),
            last: t(f.last_ns),
            count: f.count,
            explanation: f.explanation.clone(),
            actors: f.actors.clone(),
            ips: f.ips.clone(),
            targets: f.targets.clone(),
            evidence: f.evidence.clone(),
            doc: docs.get(f.rule.as_str()).cloned().unwrap_or_default(),
        })
        .collect();

    let mut next_steps = Vec::new();
    let mut seen_rules = BTreeSet::new();
    for f in &findings {
        if seen_rules.insert(f.rule.clone()) && !f.doc.next_steps.trim().is_empty() {
            next_steps.push(NextStep {
                rule: f.rule.clone(),
                title: f.title.clone(),
                text: f.doc.next_steps.clone(),
            });
        }
    }

    let range = sel.first().zip(sel.last());
    let scope = Scope {
        query: req.query.trim().to_string(),
        from: req.from.map(t),
        to: req.to.map(t),
        findings: req.findings.clone().unwrap_or_else(|| vec!["all".into()]),
        starred: req.include_starred,
        events_total: n as u64,
        events_in_scope: scope_count,
        first: range.map(|(a, _)| t(ds.events[a].time)),
        last: range.map(|(_, b)| t(ds.events[b].time)),
    };

    let methodology = methodology(input, req, &all_findings);
    let title = [
        req.title.trim(),
        case.report.title.trim(),
        case.title.trim(),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .unwrap_or("Incident report")
    .to_string();
    let case_id = if req.case_id.trim().is_empty() {
        case.id.clone()
    } else {
        req.case_id.trim().to_string()
    };
    let mut report = Report {
        title,
        case_id,
        tool: format!("auditlens {}", crate::VERSION),
        generated_at: t(req.generated_at),
        timezone: zone.name(),
        scope,
        summary: Vec::new(),
        findings,
        timeline: entries,
        timeline_omitted,
        entities,
        changes,
        changes_omitted,
        notes: paragraphs(&case.report.notes),
        next_steps,
        methodology,
    };
    report.summary = summary(ds, &sel, &report, case);
    Ok(report)
}

/// Parses a scope bound: RFC 3339 (or any timestamp form the loader reads), or a date
/// (`2026-02-01`: the start of that day for a start bound, its last nanosecond for an end bound),
/// or a minute (`2026-02-01T10:30`). Zone-less forms are read in `zone`.
pub fn parse_bound(s: &str, end: bool, zone: &Zone) -> Result<i64, String> {
    let s = s.trim();
    let b = s.as_bytes();
    let date_only = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    let minute = b.len() == 16 && b[4] == b'-' && (b[10] == b'T' || b[10] == b' ');
    let text = if date_only {
        format!("{s}T00:00:00")
    } else if minute {
        format!("{s}:00")
    } else {
        s.to_string()
    };
    let ts = time::parse_timestamp_zone(&text, zone)
        .or_else(|| time::parse_timestamp(&text))
        .ok_or_else(|| {
            format!(
                "{s:?}: expected a time such as 2026-02-01T10:00:00Z or a date such as 2026-02-01"
            )
        })?;
    let span = if date_only {
        86_400 * time::NS
    } else if minute {
        60 * time::NS
    } else {
        0
    };
    Ok(if end && span > 0 {
        ts.nanos + span - 1
    } else {
        ts.nanos
    })
}

fn has_changes(e: &Event) -> bool {
    !e.changes[0].is_none() || !e.changes[1].is_none()
}

fn name_of(ds: &Dataset, e: &Event) -> String {
    ds.strings
        .opt(e.actor_name)
        .or(ds.strings.opt(e.actor_id))
        .unwrap_or("")
        .to_string()
}

fn source_of(ds: &Dataset, e: &Event) -> String {
    e.src_ip
        .map(|i| i.to_string())
        .or_else(|| ds.strings.opt(e.src_raw).map(str::to_string))
        .unwrap_or_default()
}

fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn rule_docs(sigma: Option<&crate::sigma::RuleSet>) -> BTreeMap<String, RuleDoc> {
    let mut m: BTreeMap<String, RuleDoc> = detect::rules()
        .into_iter()
        .map(|r| (r.id.to_string(), r.doc))
        .collect();
    if let Some(set) = sigma {
        for r in &set.rules {
            let ls = &r.logsource;
            let signals = [
                ls.product.as_deref().map(|p| format!("product: {p}")),
                ls.service.as_deref().map(|p| format!("service: {p}")),
                ls.category.as_deref().map(|p| format!("category: {p}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            m.entry(r.id.clone()).or_insert_with(|| RuleDoc {
                what: r.description.clone(),
                why: r.tags.join(", "),
                signals: format!("Sigma rule {} (logsource {signals})", r.file),
                false_positives: r.falsepositives.join("; "),
                next_steps: String::new(),
            });
        }
    }
    m
}

fn methodology(input: &ReportInput<'_>, req: &ReportRequest, all: &[Finding]) -> Methodology {
    let ds = input.ds;
    let mut read = 0;
    let mut loaded = 0;
    let mut rejected = 0;
    let files = ds
        .files
        .iter()
        .map(|f| {
            let s = &f.summary;
            read += s.read;
            loaded += s.loaded;
            rejected += s.rejected;
            FileEvidence {
                name: s.path.clone(),
                size: s.size,
                format: s.format.clone(),
                container: s.container.clone(),
                sha256: s.sha256.clone(),
                sha256_content: s.sha256_content.clone(),
                read: s.read,
                loaded: s.loaded,
                rejected: s.rejected,
                duplicates: s.duplicates,
                merged: s.merged,
                warnings: s.warnings.clone(),
                errors: s
                    .errors
                    .iter()
                    .map(|e| format!("record {}, line {}: {}", e.record, e.line, e.reason))
                    .collect(),
            }
        })
        .collect();
    let mut queries = Vec::new();
    if !req.query.trim().is_empty() {
        queries.push(format!("scope query: {}", req.query.trim()));
    }
    if let Some(f) = req.from {
        queries.push(format!("from: {}", time::format_rfc3339_ms(f)));
    }
    if let Some(x) = req.to {
        queries.push(format!("to: {}", time::format_rfc3339_ms(x)));
    }
    if let Some(ids) = &req.findings {
        queries.push(format!("findings: {}", ids.join(", ")));
    }
    if queries.is_empty() {
        queries.push("none: every loaded event".into());
    }
    let count = |id: &str| all.iter().filter(|f| f.rule == id).count();
    let mut rules: Vec<RuleVersion> = Vec::new();
    if input.config.is_some() {
        for r in detect::rules() {
            rules.push(RuleVersion {
                id: r.id.to_string(),
                title: r.title.to_string(),
                source: "builtin".into(),
                version: crate::VERSION.to_string(),
                findings: count(r.id),
            });
        }
    }
    if let Some(set) = input.sigma {
        for r in &set.rules {
            rules.push(RuleVersion {
                id: r.id.clone(),
                title: r.title.clone(),
                source: "sigma".into(),
                version: format!(
                    "{} ({})",
                    r.file,
                    r.status.as_deref().unwrap_or("no status")
                ),
                findings: count(&r.id),
            });
        }
    }
    Methodology {
        files,
        read,
        loaded,
        rejected,
        timezone: req.zone.name(),
        queries,
        saved_queries: input
            .case
            .saved_queries
            .iter()
            .map(|q| format!("{}: {}", q.name, q.query))
            .collect(),
        rules,
        detect_config: input
            .config
            .and_then(|c| serde_json::to_value(c).ok())
            .unwrap_or(serde_json::Value::Null),
        tool_version: crate::VERSION.to_string(),
        generated_at_utc: time::format_rfc3339_ms(req.generated_at),
    }
}

#[derive(Default)]
struct Tally {
    events: u64,
    failures: u64,
    first: i64,
    last: i64,
    flagged: bool,
}

fn entities(ds: &Dataset, sel: &Bits, flagged: &[usize], zone: &Zone) -> Entities {
    // Keys per kind: actor, ip, user agent, resource.
    let keys = |e: &Event| -> [Vec<String>; 4] {
        let mut res = Vec::new();
        for t in ds.targets_of(e) {
            if let Some(v) = ds.strings.opt(t.name).or(ds.strings.opt(t.id)) {
                let v = match ds.strings.opt(t.kind) {
                    Some(k) => format!("{k}:{v}"),
                    None => v.to_string(),
                };
                if !res.contains(&v) {
                    res.push(v);
                }
            }
        }
        [
            Some(name_of(ds, e))
                .filter(|s| !s.is_empty())
                .into_iter()
                .collect(),
            Some(source_of(ds, e))
                .filter(|s| !s.is_empty())
                .into_iter()
                .collect(),
            ds.strings
                .opt(e.user_agent)
                .map(str::to_string)
                .into_iter()
                .collect(),
            res,
        ]
    };
    let mut tallies: [BTreeMap<String, Tally>; 4] = Default::default();
    // With significant events, the entities are those involved in them; otherwise the busiest.
    let restrict = !flagged.is_empty();
    if restrict {
        for &p in flagged {
            for (k, vals) in keys(&ds.events[p]).into_iter().enumerate() {
                for v in vals {
                    tallies[k].entry(v).or_default().flagged = true;
                }
            }
        }
    }
    for p in sel.iter() {
        let e = &ds.events[p];
        for (k, vals) in keys(e).into_iter().enumerate() {
            for v in vals {
                let t = if restrict {
                    match tallies[k].get_mut(&v) {
                        Some(t) => t,
                        None => continue,
                    }
                } else {
                    tallies[k].entry(v).or_default()
                };
                if t.events == 0 {
                    t.first = e.time;
                }
                t.events += 1;
                t.last = e.time;
                if e.outcome == Outcome::Failure {
                    t.failures += 1;
                }
            }
        }
    }
    let fmt = |m: BTreeMap<String, Tally>| -> Vec<Entity> {
        let mut v: Vec<(String, Tally)> = m.into_iter().collect();
        // Flagged first, then busiest, then by value: deterministic.
        v.sort_by(|a, b| {
            b.1.flagged
                .cmp(&a.1.flagged)
                .then(b.1.events.cmp(&a.1.events))
                .then(a.0.cmp(&b.0))
        });
        v.truncate(MAX_ENTITIES);
        v.into_iter()
            .map(|(value, t)| Entity {
                value,
                events: t.events,
                failures: t.failures,
                first: if t.events > 0 {
                    rfc3339_in(t.first, zone)
                } else {
                    String::new()
                },
                last: if t.events > 0 {
                    rfc3339_in(t.last, zone)
                } else {
                    String::new()
                },
                flagged: t.flagged,
            })
            .collect()
    };
    let [a, i, u, r] = tallies;
    Entities {
        actors: fmt(a),
        ips: fmt(i),
        user_agents: fmt(u),
        resources: fmt(r),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group(n), if n == 1 { one } else { many })
}

/// 1234567 → `1,234,567`.
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn list(v: &[String], max: usize) -> String {
    let mut s = v.iter().take(max).cloned().collect::<Vec<_>>().join(", ");
    if v.len() > max {
        let _ = write!(s, " and {} more", v.len() - max);
    }
    s
}

fn summary(ds: &Dataset, sel: &Bits, r: &Report, case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    let formats: BTreeSet<&str> = ds.files.iter().map(|f| f.summary.format.as_str()).collect();
    out.push(format!(
        "The data comprises {} from {} ({}).",
        plural(r.scope.events_total, "event", "events"),
        plural(ds.files.len() as u64, "file", "files"),
        formats.into_iter().collect::<Vec<_>>().join(", ")
    ));
    let limited = !r.scope.query.is_empty() || r.scope.from.is_some() || r.scope.to.is_some();
    match (&r.scope.first, &r.scope.last) {
        (Some(a), Some(b)) => out.push(format!(
            "{}{} in scope, from {a} to {b} (times in {}).",
            if limited { "" } else { "All " },
            plural(r.scope.events_in_scope, "event is", "events are"),
            r.timezone
        )),
        _ => out.push("No event is in scope.".into()),
    }
    if r.findings.is_empty() {
        out.push("The detections selected for this report raised no finding.".into());
    } else {
        let mut by: BTreeMap<std::cmp::Reverse<Severity>, usize> = BTreeMap::new();
        for f in &r.findings {
            *by.entry(std::cmp::Reverse(f.severity)).or_default() += 1;
        }
        let parts: Vec<String> = by
            .iter()
            .map(|(s, n)| format!("{n} {}", s.0.name()))
            .collect();
        out.push(format!(
            "Detections raised {}: {}.",
            plural(r.findings.len() as u64, "finding", "findings"),
            parts.join(", ")
        ));
        for f in r.findings.iter().take(3) {
            out.push(format!(
                "{} {} ({}, {}): {} First seen {}, last seen {}.",
                f.rule,
                f.title,
                f.severity.name(),
                plural(f.count, "event", "events"),
                f.explanation.trim_end_matches('.').to_string() + ".",
                f.first,
                f.last
            ));
        }
        let mut actors: Vec<String> = Vec::new();
        let mut ips: Vec<String> = Vec::new();
        for f in &r.findings {
            for a in &f.actors {
                if !actors.contains(a) {
                    actors.push(a.clone());
                }
            }
            for i in &f.ips {
                if !ips.contains(i) {
                    ips.push(i.clone());
                }
            }
        }
        if !actors.is_empty() {
            out.push(format!(
                "Accounts involved in the findings: {}.",
                list(&actors, 8)
            ));
        }
        if !ips.is_empty() {
            out.push(format!(
                "Source addresses involved in the findings: {}.",
                list(&ips, 8)
            ));
        }
    }
    let mut failed = 0u64;
    let mut changed = 0u64;
    for p in sel.iter() {
        let e = &ds.events[p];
        if e.outcome == Outcome::Failure {
            failed += 1;
        }
        if has_changes(e) {
            changed += 1;
        }
    }
    if r.scope.events_in_scope > 0 {
        out.push(format!(
            "In scope, {} failed ({:.1}%) and {} a recorded before/after state.",
            plural(failed, "event", "events"),
            failed as f64 * 100.0 / r.scope.events_in_scope as f64,
            plural(changed, "event carries", "events carry")
        ));
    }
    if let (Some(a), Some(b)) = (sel.first(), sel.last()) {
        let span = ds.events[b].time - ds.events[a].time;
        if span > 0 {
            out.push(format!("The scope spans {}.", human_duration(span)));
        }
    }
    let starred = r
        .timeline
        .iter()
        .filter(|t| t.marks.iter().any(|m| m == "starred"))
        .count();
    let analyst = r
        .timeline
        .iter()
        .filter(|t| t.marks.iter().any(|m| m == "analyst"))
        .count();
    if starred + analyst > 0 || !case.comments.is_empty() {
        out.push(format!(
            "The analysts starred {} and added {} to the timeline.",
            plural(starred as u64, "event", "events"),
            plural(analyst as u64, "event", "events")
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Escaping

/// Makes invisible and direction-changing characters visible (`[U+202E]`), replaces other
/// control characters the same way, and shortens very long values.
pub fn visible(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars * 4));
    for (n, c) in s.chars().enumerate() {
        if n >= max_chars {
            let total = n + s[s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)..]
                .chars()
                .count();
            let _ = write!(out, "… ({} more characters)", total - n);
            break;
        }
        let cp = c as u32;
        let hidden = matches!(cp,
            0x00..=0x08 | 0x0B..=0x1F | 0x7F..=0x9F
            | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x061C | 0x180E);
        if hidden {
            let _ = write!(out, "[U+{cp:04X}]");
        } else if c == '\n' || c == '\r' || c == '\t' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes text for Markdown (inline: table cells, list items, paragraphs). HTML-significant
/// characters become entities; Markdown punctuation is backslash-escaped.
pub fn md(s: &str) -> String {
    md_n(s, MAX_VALUE_CHARS)
}

/// [`md`] for a value that starts a line (a paragraph): block markers (`#`, `-`, `1.`, …) at
/// its start are escaped too.
pub fn md_para(s: &str, max: usize) -> String {
    let out = md_n(s, max);
    let b = out.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let block = matches!(b.first(), Some(b'#' | b'-' | b'+' | b'=' | b'>' | b' '))
        || (digits > 0 && matches!(b.get(digits), Some(b'.' | b')')));
    if !block {
        return out;
    }
    let mut o = String::with_capacity(out.len() + 1);
    o.push_str(&out[..digits]);
    o.push('\\');
    o.push_str(&out[digits..]);
    o
}

fn md_n(s: &str, max: usize) -> String {
    let v = visible(s, max);
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    // No autolinks: GFM links bare `http://…` and `www.…`.
    out.replace("://", "\\://").replace("www.", "www\\.")
}

/// Escapes text for HTML element content and attribute values.
pub fn html(s: &str) -> String {
    html_n(s, MAX_VALUE_CHARS)
}

fn html_n(s: &str, max: usize) -> String {
    let v = visible(s, max);
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Markdown

impl Report {
    /// The report as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The report as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut o = String::new();
        let _ = self.write_markdown(&mut o);
        o
    }

    fn write_markdown(&self, o: &mut String) -> std::fmt::Result {
        writeln!(o, "# {}\n", md(&self.title))?;
        if !self.case_id.is_empty() {
            writeln!(o, "- **Case:** {}", md(&self.case_id))?;
        }
        writeln!(
            o,
            "- **Generated:** {} by {}",
            md(&self.generated_at),
            md(&self.tool)
        )?;
        writeln!(o, "- **Times in:** {}", md(&self.timezone))?;
        let s = &self.scope;
        writeln!(
            o,
            "- **Scope:** {}; {} to {}; findings: {}; starred events {}",
            if s.query.is_empty() {
                "every event".to_string()
            } else {
                format!("query {}", md(&s.query))
            },
            md(s.from.as_deref().unwrap_or("start")),
            md(s.to.as_deref().unwrap_or("end")),
            md(&s.findings.join(", ")),
            if s.starred {
                "included"
            } else {
                "not included"
            }
        )?;
        writeln!(
            o,
            "- **Events in scope:** {} of {}\n",
            group(s.events_in_scope),
            group(s.events_total)
        )?;

        writeln!(o, "## Executive summary\n")?;
        for p in &self.summary {
            writeln!(o, "{}\n", md_para(p, 4000))?;
        }

        writeln!(o, "## Key findings\n")?;
        if self.findings.is_empty() {
            writeln!(o, "No finding.\n")?;
        }
        for f in &self.findings {
            writeln!(
                o,
                "### {} {} ({})\n",
                md(&f.rule),
                md(&f.title),
                f.severity.name()
            )?;
            writeln!(o, "{}\n", md_para(&f.explanation, 4000))?;
            writeln!(
                o,
                "- **When:** {} to {} ({})",
                md(&f.first),
                md(&f.last),
                plural(f.count, "event", "events")
            )?;
            if !f.actors.is_empty() {
                writeln!(o, "- **Actors:** {}", md_list(&f.actors))?;
            }
            if !f.ips.is_empty() {
                writeln!(o, "- **Source IPs:** {}", md_list(&f.ips))?;
            }
            if !f.targets.is_empty() {
                writeln!(o, "- **Targets:** {}", md_list(&f.targets))?;
            }
            writeln!(o, "- **Evidence:** {}", md_list(&f.evidence))?;
            writeln!(o, "- **Rule:** {} ({})", md(&f.rule), md(&f.source))?;
            let d = &f.doc;
            for (label, text) in [
                ("What it detects", &d.what),
                ("Why it matters", &d.why),
                ("Signals", &d.signals),
                ("Known false positives", &d.false_positives),
            ] {
                if !text.trim().is_empty() {
                    writeln!(o, "- **{label}:** {}", md_n(text, 4000))?;
                }
            }
            writeln!(o)?;
        }

        writeln!(o, "## Timeline\n")?;
        if self.timeline.is_empty() {
            writeln!(o, "No significant event in scope.\n")?;
        } else {
            writeln!(
                o,
                "| Time | Marked as | Event | Actor | Source | Evidence |"
            )?;
            writeln!(o, "|---|---|---|---|---|---|")?;
            for t in &self.timeline {
                let mut ev = md(&t.text);
                for tag in &t.tags {
                    let _ = write!(ev, " \\[tag: {}\\]", md(tag));
                }
                for c in &t.comments {
                    let _ = write!(ev, "<br>comment: {}", md(c));
                }
                writeln!(
                    o,
                    "| {} | {} | {} | {} | {} | {} |",
                    md(&t.time),
                    md(&t.marks.join(", ")),
                    ev,
                    md(&t.actor),
                    md(&t.source),
                    md(&t.location)
                )?;
            }
            writeln!(o)?;
            if self.timeline_omitted > 0 {
                writeln!(
                    o,
                    "{} more entries are not shown.\n",
                    group(self.timeline_omitted as u64)
                )?;
            }
        }

        writeln!(o, "## Actors, sources and resources\n")?;
        for (label, v) in self.entity_tables() {
            writeln!(o, "### {label}\n")?;
            if v.is_empty() {
                writeln!(o, "None.\n")?;
                continue;
            }
            writeln!(
                o,
                "| Value | Events | Failures | First seen | Last seen | In findings or starred |"
            )?;
            writeln!(o, "|---|---:|---:|---|---|---|")?;
            for e in v {
                writeln!(
                    o,
                    "| {} | {} | {} | {} | {} | {} |",
                    md(&e.value),
                    group(e.events),
                    group(e.failures),
                    md(&e.first),
                    md(&e.last),
                    if e.flagged { "yes" } else { "" }
                )?;
            }
            writeln!(o)?;
        }

        writeln!(o, "## Changes made\n")?;
        if self.changes.is_empty() {
            writeln!(o, "No before/after state recorded in scope.\n")?;
        }
        for c in &self.changes {
            writeln!(
                o,
                "### {} {} {}\n",
                md(&c.time),
                md(&c.actor),
                md(&c.action)
            )?;
            if !c.targets.is_empty() {
                writeln!(o, "Target: {}\n", md(&c.targets))?;
            }
            writeln!(o, "| Change | Field | Before | After |")?;
            writeln!(o, "|---|---|---|---|")?;
            for d in &c.changes {
                writeln!(
                    o,
                    "| {} | {} | {} | {} |",
                    d.kind,
                    md(if d.path.is_empty() {
                        "(whole value)"
                    } else {
                        &d.path
                    }),
                    md(d.before.as_deref().unwrap_or("")),
                    md(d.after.as_deref().unwrap_or(""))
                )?;
            }
            writeln!(o)?;
        }
        if self.changes_omitted > 0 {
            writeln!(
                o,
                "{} more events with changes are not shown.\n",
                group(self.changes_omitted as u64)
            )?;
        }

        writeln!(o, "## Analyst notes\n")?;
        if self.notes.is_empty() {
            writeln!(o, "None.\n")?;
        }
        for p in &self.notes {
            writeln!(o, "{}\n", md_para(p, 20_000))?;
        }

        writeln!(o, "## Recommended next steps\n")?;
        if self.next_steps.is_empty() {
            writeln!(o, "None from the rules.\n")?;
        }
        for s in &self.next_steps {
            writeln!(
                o,
                "- **{} {}:** {}",
                md(&s.rule),
                md(&s.title),
                md_n(&s.text, 4000)
            )?;
        }
        if !self.next_steps.is_empty() {
            writeln!(o)?;
        }

        let m = &self.methodology;
        writeln!(o, "## Methodology and evidence\n")?;
        writeln!(
            o,
            "Records read {}, loaded {}, rejected {}. Times are shown in {}. Tool version {}. Generated at {} (UTC).\n",
            group(m.read),
            group(m.loaded),
            group(m.rejected),
            md(&m.timezone),
            md(&m.tool_version),
            md(&m.generated_at_utc)
        )?;
        writeln!(o, "### Input files\n")?;
        writeln!(
            o,
            "| File | Size | Format | SHA-256 | Read | Loaded | Rejected |"
        )?;
        writeln!(o, "|---|---:|---|---|---:|---:|---:|")?;
        for f in &m.files {
            writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} |",
                md(&f.name),
                group(f.size),
                md(&format!("{} ({})", f.format, f.container)),
                md(&f.sha256),
                group(f.read),
                group(f.loaded),
                group(f.rejected)
            )?;
        }
        writeln!(o)?;
        for f in &m.files {
            if f.warnings.is_empty() && f.errors.is_empty() && f.sha256_content.is_none() {
                continue;
            }
            writeln!(o, "{}:\n", md(&f.name))?;
            if let Some(c) = &f.sha256_content {
                writeln!(o, "- SHA-256 of the decompressed content: {}", md(c))?;
            }
            for w in &f.warnings {
                writeln!(o, "- integrity warning: {}", md(w))?;
            }
            for e in &f.errors {
                writeln!(o, "- rejected: {}", md(e))?;
            }
            writeln!(o)?;
        }
        writeln!(o, "### Queries and filters\n")?;
        for q in &m.queries {
            writeln!(o, "- {}", md(q))?;
        }
        for q in &m.saved_queries {
            writeln!(o, "- saved query {}", md(q))?;
        }
        writeln!(o)?;
        writeln!(o, "### Rules\n")?;
        if m.rules.is_empty() {
            writeln!(o, "No rule was run.\n")?;
        } else {
            writeln!(o, "| Rule | Title | Source | Version | Findings |")?;
            writeln!(o, "|---|---|---|---|---:|")?;
            for r in &m.rules {
                writeln!(
                    o,
                    "| {} | {} | {} | {} | {} |",
                    md(&r.id),
                    md(&r.title),
                    md(&r.source),
                    md(&r.version),
                    r.findings
                )?;
            }
            writeln!(o)?;
        }
        Ok(())
    }

    fn entity_tables(&self) -> [(&'static str, &Vec<Entity>); 4] {
        [
            ("Actors", &self.entities.actors),
            ("Source IPs", &self.entities.ips),
            ("User agents", &self.entities.user_agents),
            ("Resources", &self.entities.resources),
        ]
    }

    /// The report as one self-contained HTML file: no script, no external request (a CSP that
    /// allows only its own inline style), a print stylesheet for print-to-PDF.
    pub fn to_html(&self) -> String {
        let mut b = String::new();
        let _ = self.write_html_body(&mut b);
        let hash = base64_encode(&Sha256::digest(STYLE.as_bytes()));
        let mut o = String::with_capacity(b.len() + STYLE.len() + 600);
        let _ = write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'\">\n\
             <meta name=\"referrer\" content=\"no-referrer\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"{}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            html(&self.tool),
            html(&self.title)
        );
        o.push_str(&b);
        o.push_str("</body>\n</html>\n");
        o
    }

    fn write_html_body(&self, o: &mut String) -> std::fmt::Result {
        let s = &self.scope;
        writeln!(
            o,
            "<header>\n<h1>{}</h1>\n<dl class=\"meta\">",
            html(&self.title)
        )?;
        if !self.case_id.is_empty() {
            writeln!(o, "<dt>Case</dt><dd>{}</dd>", html(&self.case_id))?;
        }
        writeln!(
            o,
            "<dt>Generated</dt><dd>{} by {}</dd>",
            html(&self.generated_at),
            html(&self.tool)
        )?;
        writeln!(o, "<dt>Times in</dt><dd>{}</dd>", html(&self.timezone))?;
        writeln!(
            o,
            "<dt>Scope</dt><dd>{}; {} to {}; findings: {}; starred events {}</dd>",
            if s.query.is_empty() {
                "every event".to_string()
            } else {
                format!("query <code>{}</code>", html(&s.query))
            },
            html(s.from.as_deref().unwrap_or("start")),
            html(s.to.as_deref().unwrap_or("end")),
            html(&s.findings.join(", ")),
            if s.starred {
                "included"
            } else {
                "not included"
            }
        )?;
        writeln!(
            o,
            "<dt>Events in scope</dt><dd>{} of {}</dd>\n</dl>\n</header>",
            group(s.events_in_scope),
            group(s.events_total)
        )?;

        writeln!(o, "<section id=\"summary\">\n<h2>Executive summary</h2>")?;
        for p in &self.summary {
            writeln!(o, "<p>{}</p>", html_n(p, 4000))?;
        }
        writeln!(o, "</section>")?;

        writeln!(o, "<section id=\"findings\">\n<h2>Key findings</h2>")?;
        if self.findings.is_empty() {
            writeln!(o, "<p>No finding.</p>")?;
        }
        for f in &self.findings {
            writeln!(
                o,
                "<article class=\"finding sev-{}\">\n<h3><span class=\"sev\">{}</span> {} {}</h3>\n<p>{}</p>\n<dl>",
                f.severity.name(),
                f.severity.name(),
                html(&f.rule),
                html(&f.title),
                html_n(&f.explanation, 4000)
            )?;
            writeln!(
                o,
                "<dt>When</dt><dd>{} to {} ({})</dd>",
                html(&f.first),
                html(&f.last),
                plural(f.count, "event", "events")
            )?;
            for (label, v) in [
                ("Actors", &f.actors),
                ("Source IPs", &f.ips),
                ("Targets", &f.targets),
                ("Evidence", &f.evidence),
            ] {
                if !v.is_empty() {
                    writeln!(o, "<dt>{label}</dt><dd>{}</dd>", html_list(v))?;
                }
            }
            writeln!(
                o,
                "<dt>Rule</dt><dd>{} ({})</dd>",
                html(&f.rule),
                html(&f.source)
            )?;
            let d = &f.doc;
            for (label, text) in [
                ("What it detects", &d.what),
                ("Why it matters", &d.why),
                ("Signals", &d.signals),
                ("Known false positives", &d.false_positives),
            ] {
                if !text.trim().is_empty() {
                    writeln!(o, "<dt>{label}</dt><dd>{}</dd>", html_n(text, 4000))?;
                }
            }
            writeln!(o, "</dl>\n</article>")?;
        }
        writeln!(o, "</section>")?;

        writeln!(o, "<section id=\"timeline\">\n<h2>Timeline</h2>")?;
        if self.timeline.is_empty() {
            writeln!(o, "<p>No significant event in scope.</p>")?;
        } else {
            writeln!(o, "<table>\n<thead><tr><th>Time</th><th>Marked as</th><th>Event</th><th>Actor</th><th>Source</th><th>Evidence</th></tr></thead>\n<tbody>")?;
            for t in &self.timeline {
                let class = if t.marks.iter().any(|m| m == "analyst") {
                    " class=\"analyst\""
                } else if t.outcome == "failure" {
                    " class=\"failure\""
                } else {
                    ""
                };
                write!(
                    o,
                    "<tr{class}><td class=\"t\">{}</td><td>{}</td><td>{}",
                    html(&t.time),
                    html(&t.marks.join(", ")),
                    html(&t.text)
                )?;
                for tag in &t.tags {
                    write!(o, " <span class=\"tag\">{}</span>", html(tag))?;
                }
                for c in &t.comments {
                    write!(o, "<div class=\"comment\">{}</div>", html(c))?;
                }
                writeln!(
                    o,
                    "</td><td>{}</td><td>{}</td><td class=\"loc\">{}</td></tr>",
                    html(&t.actor),
                    html(&t.source),
                    html(&t.location)
                )?;
            }
            writeln!(o, "</tbody>\n</table>")?;
            if self.timeline_omitted > 0 {
                writeln!(
                    o,
                    "<p>{} more entries are not shown.</p>",
                    group(self.timeline_omitted as u64)
                )?;
            }
        }
        writeln!(o, "</section>")?;

        writeln!(
            o,
            "<section id=\"entities\">\n<h2>Actors, sources and resources</h2>"
        )?;
        for (label, v) in self.entity_tables() {
            writeln!(o, "<h3>{label}</h3>")?;
            if v.is_empty() {
                writeln!(o, "<p>None.</p>")?;
                continue;
            }
            writeln!(o, "<table>\n<thead><tr><th>Value</th><th class=\"n\">Events</th><th class=\"n\">Failures</th><th>First seen</th><th>Last seen</th><th>In findings or starred</th></tr></thead>\n<tbody>")?;
            for e in v {
                writeln!(
                    o,
                    "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"t\">{}</td><td class=\"t\">{}</td><td>{}</td></tr>",
                    html(&e.value),
                    group(e.events),
                    group(e.failures),
                    html(&e.first),
                    html(&e.last),
                    if e.flagged { "yes" } else { "" }
                )?;
            }
            writeln!(o, "</tbody>\n</table>")?;
        }
        writeln!(o, "</section>")?;

        writeln!(o, "<section id=\"changes\">\n<h2>Changes made</h2>")?;
        if self.changes.is_empty() {
            writeln!(o, "<p>No before/after state recorded in scope.</p>")?;
        }
        for c in &self.changes {
            writeln!(
                o,
                "<h3>{} {} {}</h3>",
                html(&c.time),
                html(&c.actor),
                html(&c.action)
            )?;
            if !c.targets.is_empty() {
                writeln!(o, "<p>Target: {}</p>", html(&c.targets))?;
            }
            writeln!(o, "<table class=\"diff\">\n<thead><tr><th>Change</th><th>Field</th><th>Before</th><th>After</th></tr></thead>\n<tbody>")?;
            for d in &c.changes {
                writeln!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td class=\"del\">{}</td><td class=\"ins\">{}</td></tr>",
                    d.kind,
                    html(if d.path.is_empty() { "(whole value)" } else { &d.path }),
                    html(d.before.as_deref().unwrap_or("")),
                    html(d.after.as_deref().unwrap_or(""))
                )?;
            }
            writeln!(o, "</tbody>\n</table>")?;
        }
        if self.changes_omitted > 0 {
            writeln!(
                o,
                "<p>{} more events with changes are not shown.</p>",
                group(self.changes_omitted as u64)
            )?;
        }
        writeln!(o, "</section>")?;

        writeln!(o, "<section id=\"notes\">\n<h2>Analyst notes</h2>")?;
        if self.notes.is_empty() {
            writeln!(o, "<p>None.</p>")?;
        }
        for p in &self.notes {
            writeln!(o, "<p>{}</p>", html_n(p, 20_000))?;
        }
        writeln!(o, "</section>")?;

        writeln!(
            o,
            "<section id=\"next-steps\">\n<h2>Recommended next steps</h2>"
        )?;
        if self.next_steps.is_empty() {
            writeln!(o, "<p>None from the rules.</p>")?;
        } else {
            writeln!(o, "<ul>")?;
            for s in &self.next_steps {
                writeln!(
                    o,
                    "<li><strong>{} {}:</strong> {}</li>",
                    html(&s.rule),
                    html(&s.title),
                    html_n(&s.text, 4000)
                )?;
            }
            writeln!(o, "</ul>")?;
        }
        writeln!(o, "</section>")?;

        let m = &self.methodology;
        writeln!(
            o,
            "<section id=\"methodology\">\n<h2>Methodology and evidence</h2>"
        )?;
        writeln!(
            o,
            "<p>Records read {}, loaded {}, rejected {}. Times are shown in {}. Tool version {}. Generated at {} (UTC).</p>",
            group(m.read),
            group(m.loaded),
            group(m.rejected),
            html(&m.timezone),
            html(&m.tool_version),
            html(&m.generated_at_utc)
        )?;
        writeln!(o, "<h3>Input files</h3>\n<table>\n<thead><tr><th>File</th><th class=\"n\">Size</th><th>Format</th><th>SHA-256</th><th class=\"n\">Read</th><th class=\"n\">Loaded</th><th class=\"n\">Rejected</th></tr></thead>\n<tbody>")?;
        for f in &m.files {
            writeln!(
                o,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{} ({})</td><td class=\"hash\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                html(&f.name),
                group(f.size),
                html(&f.format),
                html(&f.container),
                html(&f.sha256),
                group(f.read),
                group(f.loaded),
                group(f.rejected)
            )?;
        }
        writeln!(o, "</tbody>\n</table>")?;
        for f in &m.files {
            if f.warnings.is_empty() && f.errors.is_empty() && f.sha256_content.is_none() {
                continue;
            }
            writeln!(o, "<p>{}:</p>\n<ul>", html(&f.name))?;
            if let Some(c) = &f.sha256_content {
                writeln!(
                    o,
                    "<li>SHA-256 of the decompressed content: <span class=\"hash\">{}</span></li>",
                    html(c)
                )?;
            }
            for w in &f.warnings {
                writeln!(o, "<li>integrity warning: {}</li>", html(w))?;
            }
            for e in &f.errors {
                writeln!(o, "<li>rejected: {}</li>", html(e))?;
            }
            writeln!(o, "</ul>")?;
        }
        writeln!(o, "<h3>Queries and filters</h3>\n<ul>")?;
        for q in &m.queries {
            writeln!(o, "<li>{}</li>", html(q))?;
        }
        for q in &m.saved_queries {
            writeln!(o, "<li>saved query {}</li>", html(q))?;
        }
        writeln!(o, "</ul>\n<h3>Rules</h3>")?;
        if m.rules.is_empty() {
            writeln!(o, "<p>No rule was run.</p>")?;
        } else {
            writeln!(o, "<table>\n<thead><tr><th>Rule</th><th>Title</th><th>Source</th><th>Version</th><th class=\"n\">Findings</th></tr></thead>\n<tbody>")?;
            for r in &m.rules {
                writeln!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                    html(&r.id),
                    html(&r.title),
                    html(&r.source),
                    html(&r.version),
                    r.findings
                )?;
            }
            writeln!(o, "</tbody>\n</table>")?;
        }
        writeln!(o, "</section>")?;
        Ok(())
    }
}

fn md_list(v: &[String]) -> String {
    v.iter().map(|s| md(s)).collect::<Vec<_>>().join(", ")
}

fn html_list(v: &[String]) -> String {
    v.iter().map(|s| html(s)).collect::<Vec<_>>().join(", ")
}

/// The report's stylesheet (screen and print).
const STYLE: &str = "
:root{--fg:#1a1d21;--muted:#5b6470;--line:#d5d9de;--bad:#b42318;--warn:#b54708;--ok:#067647;--bg:#fff;--soft:#f4f6f8}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);background:var(--bg);max-width:1100px;margin:2rem auto;padding:0 1.5rem}
h1{font-size:1.8rem;margin:0 0 .5rem}
h2{font-size:1.3rem;border-bottom:2px solid var(--line);padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
dl.meta,article dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.4rem 0}
dt{color:var(--muted);font-weight:600}
dd{margin:0}
h1,h2,h3,dd,td,p,li,div{overflow-wrap:anywhere;word-break:break-word}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;table-layout:auto}
th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:var(--soft)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.t{white-space:nowrap;font-variant-numeric:tabular-nums}
.hash,td.loc,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
tr.failure td{background:#fef3f2}
tr.analyst td{background:#eff8ff;font-style:italic}
.comment{color:var(--muted);font-size:.9em;margin-top:.2rem}
.tag{display:inline-block;border:1px solid var(--line);border-radius:3px;padding:0 .3rem;font-size:.85em}
article.finding{border-left:4px solid var(--line);padding:.2rem 0 .2rem .8rem;margin:1rem 0}
article.sev-critical,article.sev-high{border-left-color:var(--bad)}
article.sev-medium{border-left-color:var(--warn)}
.sev{text-transform:uppercase;font-size:.75em;letter-spacing:.04em;border:1px solid currentColor;border-radius:3px;padding:0 .3rem;margin-right:.3rem}
.sev-critical .sev,.sev-high .sev{color:var(--bad)}
.sev-medium .sev{color:var(--warn)}
table.diff td.del{background:#fef3f2}
table.diff td.ins{background:#ecfdf3}
@media print{
 body{margin:0;max-width:none;font-size:10pt;padding:0}
 h2{break-after:avoid;page-break-after:avoid}
 h3{break-after:avoid}
 tr,article.finding{break-inside:avoid;page-break-inside:avoid}
 thead{display:table-header-group}
 th{background:#eee !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 tr.failure td,table.diff td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 @page{margin:15mm}
}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_neutralizes_markup() {
        let s = md("<script>alert(1)</script> [x](javascript:alert(1)) | **b** # h");
        assert!(!s.contains('<'));
        assert!(s.contains("\\[x\\](javascript\\:") || s.contains("\\[x\\](javascript:"));
        assert!(!s.replace("\\]", "").contains(']'));
        assert_eq!(md_para("# h", 10), "\\# h");
        assert_eq!(md_para("12. x", 10), "12\\. x");
        assert_eq!(md("198.51.100.7"), "198.51.100.7");
        assert_eq!(md("see https://evil.example"), "see https\\://evil.example");
        assert!(s.contains("\\|"));
        assert!(s.contains("\\*\\*b\\*\\*"));
    }

    #[test]
    fn html_escaping_and_visible_controls() {
        let s = html("<img src=x onerror=\"alert(1)\">'");
        assert_eq!(s, "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;");
        assert_eq!(visible("a\u{202E}b\u{200B}c", 100), "a[U+202E]b[U+200B]c");
        assert_eq!(visible("abcdef", 3), "abc… (3 more characters)");
        assert_eq!(visible("a\nb", 10), "a b");
    }

    #[test]
    fn grouping() {
        assert_eq!(group(0), "0");
        assert_eq!(group(1234), "1,234");
        assert_eq!(group(1_234_567), "1,234,567");
    }
}
