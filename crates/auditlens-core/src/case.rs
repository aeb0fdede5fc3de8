//! The case file: an investigation's annotations (stars, tags, comments, analyst events, saved
//! queries, detection settings, the report draft), keyed by the input files' SHA-256 so that it
//! can be reopened with the same files, checked against other files, and merged with a
//! colleague's. Optionally it embeds the input files themselves for a fully portable case.
//!
//! Events are referred to by their [key](crate::ingest::event_key): `<file SHA-256>:<record>`,
//! which does not depend on load order or on other files being present.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::ingest::{event_key, Dataset};

/// The case-file format version this build writes and reads.
pub const CASE_VERSION: u32 = 1;

/// Largest case file accepted (embedded inputs included), in bytes of JSON text.
pub const MAX_CASE_BYTES: usize = 2 << 30;

/// An input file the case was built on.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseFile {
    /// File name as loaded.
    pub name: String,
    /// SHA-256 of the bytes as given (the file's identity).
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Detected format id.
    pub format: String,
}

/// A comment on an event.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct Comment {
    /// Who wrote it.
    pub author: String,
    /// When (RFC 3339, as the page or the analyst gave it).
    pub at: String,
    /// The text.
    pub text: String,
}

/// An event the analyst adds to the timeline ("10:30 the user received a phone call").
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalystEvent {
    /// Identifier, unique within the case.
    pub id: String,
    /// When it happened (RFC 3339).
    pub time: String,
    /// What happened.
    pub text: String,
    /// Who added it.
    pub author: String,
}

/// A named query.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    /// Name.
    pub name: String,
    /// Query text.
    pub query: String,
}

/// The report draft: scope and text the analyst chose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportDraft {
    /// Title.
    pub title: String,
    /// Analyst notes (plain text; paragraphs separated by blank lines).
    pub notes: String,
    /// Scope query (empty: every event).
    pub query: String,
    /// Scope start (RFC 3339; empty: open).
    pub from: String,
    /// Scope end (RFC 3339; empty: open).
    pub to: String,
    /// Rule ids of the findings to include; empty: all.
    pub findings: Vec<String>,
    /// Display time zone (`UTC`, `+02:00`, `Europe/Berlin`).
    pub tz: String,
}

/// An input file carried inside the case.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddedFile {
    /// File name.
    pub name: String,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// The bytes, base64 (RFC 4648, with padding).
    pub base64: String,
}

/// A case file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Case {
    /// Format version (always [`CASE_VERSION`] when written).
    pub auditlens_case: u32,
    /// Case id (free text: a ticket number).
    pub id: String,
    /// Case title.
    pub title: String,
    /// The input files.
    pub files: Vec<CaseFile>,
    /// Starred event keys.
    pub stars: BTreeSet<String>,
    /// Tags per event key.
    pub tags: BTreeMap<String, BTreeSet<String>>,
    /// Comments per event key.
    pub comments: BTreeMap<String, Vec<Comment>>,
    /// Analyst-added events.
    pub analyst_events: Vec<AnalystEvent>,
    /// Saved queries.
    pub saved_queries: Vec<SavedQuery>,
    /// Detection thresholds (the built-in rules' `Config`, partial JSON), if changed.
    pub detect_config: Option<serde_json::Value>,
    /// The report draft.
    pub report: ReportDraft,
    /// Input files carried in the case, if the analyst chose to embed them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedded: Vec<EmbeddedFile>,
}

impl Default for Case {
    fn default() -> Self {
        Case {
            auditlens_case: CASE_VERSION,
            id: String::new(),
            title: String::new(),
            files: Vec::new(),
            stars: BTreeSet::new(),
            tags: BTreeMap::new(),
            comments: BTreeMap::new(),
            analyst_events: Vec::new(),
            saved_queries: Vec::new(),
            detect_config: None,
            report: ReportDraft::default(),
            embedded: Vec::new(),
        }
    }
}

/// How a case relates to the loaded files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CaseCheck {
    /// Files the case names that are not loaded.
    pub missing: Vec<CaseFile>,
    /// Loaded files the case does not name.
    pub extra: Vec<CaseFile>,
    /// Annotated event keys (stars, tags, comments) whose file is loaded but whose record is not
    /// an event (for example a record the parser rejected in this version).
    pub unknown_events: Vec<String>,
    /// Annotated event keys whose file is missing.
    pub keys_in_missing_files: usize,
}

impl Case {
    /// Parses a case file. Unknown members are ignored (newer writers may add some); a newer
    /// format version is refused.
    pub fn parse(text: &str) -> Result<Case, String> {
        if text.len() > MAX_CASE_BYTES {
            return Err(format!(
                "case file too large: {} bytes (limit {MAX_CASE_BYTES})",
                text.len()
            ));
        }
        if !text.trim_start().starts_with('{') {
            return Err("case file: expected a JSON object".into());
        }
        let c: Case = serde_json::from_str(text).map_err(|e| format!("case file: {e}"))?;
        if c.auditlens_case == 0 || c.auditlens_case > CASE_VERSION {
            return Err(format!(
                "case file version {} is not supported (this build reads version {CASE_VERSION})",
                c.auditlens_case
            ));
        }
        Ok(c)
    }

    /// The case as pretty JSON with a final newline; byte-identical for equal cases.
    pub fn to_json(&self) -> String {
        let mut c = self.clone();
        c.normalize();
        let mut s = serde_json::to_string_pretty(&c).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Sorts and deduplicates the lists, drops empty entries: the canonical form.
    pub fn normalize(&mut self) {
        self.auditlens_case = CASE_VERSION;
        self.files
            .sort_by(|a, b| a.sha256.cmp(&b.sha256).then(a.name.cmp(&b.name)));
        self.files.dedup_by(|a, b| a.sha256 == b.sha256);
        self.tags.retain(|_, t| !t.is_empty());
        for c in self.comments.values_mut() {
            c.sort();
            c.dedup();
        }
        self.comments.retain(|_, c| !c.is_empty());
        self.analyst_events
            .sort_by(|a, b| a.time.cmp(&b.time).then(a.id.cmp(&b.id)));
        self.analyst_events.dedup();
        self.saved_queries.dedup();
        self.embedded.sort();
        self.embedded.dedup_by(|a, b| a.sha256 == b.sha256);
    }

    /// Records the loaded files as the case's inputs (keeping files already named).
    pub fn set_files(&mut self, ds: &Dataset) {
        for f in &ds.files {
            let s = &f.summary;
            if !self.files.iter().any(|c| c.sha256 == s.sha256) {
                self.files.push(CaseFile {
                    name: s.path.clone(),
                    sha256: s.sha256.clone(),
                    size: s.size,
                    format: s.format.clone(),
                });
            }
        }
        self.normalize();
    }

    /// Every event key the case annotates (stars, tags, comments), sorted.
    pub fn annotated_keys(&self) -> BTreeSet<&str> {
        let mut k: BTreeSet<&str> = self.stars.iter().map(String::as_str).collect();
        k.extend(self.tags.keys().map(String::as_str));
        k.extend(self.comments.keys().map(String::as_str));
        k
    }

    /// Compares the case with the loaded files.
    pub fn check(&self, ds: &Dataset) -> CaseCheck {
        let loaded: BTreeSet<&str> = ds.files.iter().map(|f| f.summary.sha256.as_str()).collect();
        let named: BTreeSet<&str> = self.files.iter().map(|f| f.sha256.as_str()).collect();
        let mut out = CaseCheck {
            missing: self
                .files
                .iter()
                .filter(|f| !loaded.contains(f.sha256.as_str()))
                .cloned()
                .collect(),
            extra: ds
                .files
                .iter()
                .filter(|f| !named.contains(f.summary.sha256.as_str()))
                .map(|f| CaseFile {
                    name: f.summary.path.clone(),
                    sha256: f.summary.sha256.clone(),
                    size: f.summary.size,
                    format: f.summary.format.clone(),
                })
                .collect(),
            ..Default::default()
        };
        let keys = self.annotated_keys();
        let found = resolve_keys(ds, keys.iter().copied());
        for k in keys {
            let sha = k.split(':').next().unwrap_or("");
            if !loaded.contains(sha) {
                out.keys_in_missing_files += 1;
            } else if !found.contains_key(k) {
                out.unknown_events.push(k.to_string());
            }
        }
        out
    }

    /// Merges another analyst's case into this one without losing either side's work: files,
    /// stars, tags, comments, analyst events, saved queries and embedded files are united;
    /// report notes that differ are both kept; for single values (title, id, detection
    /// settings, report scope) this side wins where it has one.
    pub fn merge(&mut self, other: &Case) {
        if self.id.is_empty() {
            self.id = other.id.clone();
        }
        if self.title.is_empty() {
            self.title = other.title.clone();
        }
        for f in &other.files {
            if !self.files.iter().any(|x| x.sha256 == f.sha256) {
                self.files.push(f.clone());
            }
        }
        self.stars.extend(other.stars.iter().cloned());
        for (k, t) in &other.tags {
            self.tags
                .entry(k.clone())
                .or_default()
                .extend(t.iter().cloned());
        }
        for (k, c) in &other.comments {
            let mine = self.comments.entry(k.clone()).or_default();
            for x in c {
                if !mine.contains(x) {
                    mine.push(x.clone());
                }
            }
        }
        for ev in &other.analyst_events {
            // The same event (renamed in an earlier merge or not) is not added twice.
            if self
                .analyst_events
                .iter()
                .any(|x| x.time == ev.time && x.text == ev.text && x.author == ev.author)
            {
                continue;
            }
            let mut ev = ev.clone();
            // Same id, different content: both are kept, the incoming one renamed.
            let mut n = 2;
            let base = ev.id.clone();
            while self.analyst_events.iter().any(|x| x.id == ev.id) {
                ev.id = format!("{base}~{n}");
                n += 1;
            }
            self.analyst_events.push(ev);
        }
        for q in &other.saved_queries {
            let renamed = |x: &SavedQuery| {
                x.name == q.name
                    || x.name
                        .strip_prefix(q.name.as_str())
                        .is_some_and(|r| r.starts_with(" ("))
            };
            if self
                .saved_queries
                .iter()
                .any(|x| x.query == q.query && renamed(x))
            {
                continue;
            }
            let mut q = q.clone();
            let mut n = 2;
            let base = q.name.clone();
            while self.saved_queries.iter().any(|x| x.name == q.name) {
                q.name = format!("{base} ({n})");
                n += 1;
            }
            self.saved_queries.push(q);
        }
        if self.detect_config.is_none() {
            self.detect_config = other.detect_config.clone();
        }
        let (r, o) = (&mut self.report, &other.report);
        if r.title.is_empty() {
            r.title = o.title.clone();
        }
        let on = o.notes.trim();
        if !on.is_empty() && !r.notes.contains(on) {
            if r.notes.trim().is_empty() {
                r.notes = o.notes.clone();
            } else {
                r.notes = format!("{}\n\n{}", r.notes.trim_end(), on);
            }
        }
        if r.query.is_empty() {
            r.query = o.query.clone();
        }
        if r.from.is_empty() {
            r.from = o.from.clone();
        }
        if r.to.is_empty() {
            r.to = o.to.clone();
        }
        if r.findings.is_empty() {
            r.findings = o.findings.clone();
        }
        if r.tz.is_empty() {
            r.tz = o.tz.clone();
        }
        for e in &other.embedded {
            if !self.embedded.iter().any(|x| x.sha256 == e.sha256) {
                self.embedded.push(e.clone());
            }
        }
        self.normalize();
    }

    /// Embeds an input file (base64) in the case.
    pub fn embed(&mut self, name: &str, bytes: &[u8]) {
        let sha = crate::ingest::sha256_hex(bytes);
        if self.embedded.iter().any(|e| e.sha256 == sha) {
            return;
        }
        self.embedded.push(EmbeddedFile {
            name: name.to_string(),
            sha256: sha,
            base64: base64_encode(bytes),
        });
        self.normalize();
    }

    /// The embedded files, decoded and checked against their SHA-256.
    pub fn embedded_files(&self) -> Result<Vec<(String, Vec<u8>)>, String> {
        self.embedded
            .iter()
            .map(|e| {
                let bytes = base64_decode(&e.base64)
                    .map_err(|err| format!("embedded file {:?}: {err}", e.name))?;
                let sha = crate::ingest::sha256_hex(&bytes);
                if sha != e.sha256 {
                    return Err(format!(
                        "embedded file {:?}: SHA-256 {sha} does not match the recorded {}",
                        e.name, e.sha256
                    ));
                }
                Ok((e.name.clone(), bytes))
            })
            .collect()
    }
}

/// Merges two case files given as JSON text.
pub fn merge_json(a: &str, b: &str) -> Result<String, String> {
    let mut a = Case::parse(a)?;
    let b = Case::parse(b)?;
    a.merge(&b);
    Ok(a.to_json())
}

/// Finds the events with the given keys: key → position in the event table.
pub fn resolve_keys<'k>(
    ds: &Dataset,
    keys: impl IntoIterator<Item = &'k str>,
) -> BTreeMap<String, usize> {
    // key → its (file index, record) references (a file loaded twice has two)
    let mut refs: Vec<(&str, (u32, u32))> = Vec::new();
    for k in keys {
        let Some((sha, rec)) = k.rsplit_once(':') else {
            continue;
        };
        let Ok(rec) = rec.parse::<u32>() else {
            continue;
        };
        for (i, f) in ds.files.iter().enumerate() {
            if f.summary.sha256 == sha {
                refs.push((k, (i as u32, rec)));
            }
        }
    }
    let found = ds.positions_of(refs.iter().map(|(_, r)| *r));
    let mut out: BTreeMap<String, usize> = BTreeMap::new();
    for (k, r) in refs {
        if let Some(&p) = found.get(&r) {
            let e = out.entry(k.to_string()).or_insert(p);
            *e = (*e).min(p);
        }
    }
    out
}

/// The key of the event at a position.
pub fn key_at(ds: &Dataset, pos: usize) -> Option<String> {
    let e = ds.events.get(pos)?;
    Some(event_key(&ds.files.get(e.src.file as usize)?.summary, e))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 (RFC 4648, standard alphabet, padded).
pub fn base64_encode(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        s.push(B64[(n >> 18) as usize & 63] as char);
        s.push(B64[(n >> 12) as usize & 63] as char);
        s.push(if c.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        s.push(if c.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    s
}

/// Decodes base64 (standard alphabet; padding optional; ASCII whitespace ignored).
pub fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    let mut pad = false;
    for (i, ch) in s.bytes().enumerate() {
        let v = match ch {
            b'A'..=b'Z' => ch - b'A',
            b'a'..=b'z' => ch - b'a' + 26,
            b'0'..=b'9' => ch - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad = true;
                continue;
            }
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return Err(format!("invalid base64 character at offset {i}")),
        };
        if pad {
            return Err(format!("base64 data after padding at offset {i}"));
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        for n in 0..40usize {
            let b: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&b)).unwrap(), b);
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert!(base64_decode("Zm9v!").is_err());
        assert!(base64_decode("Zg==Zg").is_err());
    }

    #[test]
    fn newer_version_refused_unknown_fields_ignored() {
        assert!(Case::parse(r#"{"auditlens_case": 99}"#).is_err());
        let c = Case::parse(r#"{"auditlens_case": 1, "future": true, "stars": ["a:1"]}"#).unwrap();
        assert!(c.stars.contains("a:1"));
        assert!(Case::parse("[]").is_err());
    }
}
