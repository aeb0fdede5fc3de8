//! Loading files into a [`Dataset`]: decode, split into records, recognise the format, map,
//! intern, and account for every record.
//!
//! Invariants: per file `read == loaded + rejected`; every rejected record has a location and
//! a reason; a file that cannot be read at all says why and the others still load; duplicates
//! across or within files are collapsed with a count, never dropped silently (`duplicates`,
//! and `merged` for multi-stage records such as Kubernetes audit stages).

use std::io::Read;
use std::ops::ControlFlow;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::container::{self, Item, Note, Shape};
use crate::derive;
use crate::formats::{self, generic, Ctx, Format};
use crate::json::{self, Doc, Kind, Val};
use crate::model::{parse_ip, Draft, Event, Interner, RawKind, RawText, SourceRef, Sym, Target};
use crate::time;

/// How many rejected records are listed per file (all are counted).
pub const MAX_LISTED_ERRORS: usize = 100;
/// Largest decompressed size accepted from a gzip file (1 GiB in 32-bit builds such as the
/// wasm page, whose whole memory is at most 4 GiB).
pub const MAX_DECOMPRESSED: u64 = if usize::BITS < 64 { 1 << 30 } else { 8 << 30 };
/// Largest expansion accepted from a gzip file once its content exceeds
/// [`MIN_BOMB_CHECK`]: real exports compress 5–20×; a decompression bomb ~1000×.
pub const MAX_GZIP_RATIO: u64 = 250;
/// Content size below which the expansion ratio is not checked.
pub const MIN_BOMB_CHECK: u64 = 64 << 20;

/// Options for loading one file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Seconds east of UTC assumed for zone-less timestamps in this file.
    pub assumed_offset: i32,
    /// Zone assumed for zone-less timestamps (IANA, with DST); wins over `assumed_offset`.
    pub zone: Option<time::Zone>,
    /// Force a format id instead of sniffing.
    pub format: Option<String>,
    /// Explicit field → column mapping (for the generic mapper).
    pub mapping: Vec<(String, String)>,
    /// The SHA-256 of the bytes (lower-case hex), when the caller already has it: the page
    /// computes it with WebCrypto, which is several times faster than hashing in wasm. Used as
    /// given when it is 64 hex digits; otherwise the core hashes the bytes itself.
    pub sha256: Option<String>,
}

/// Per-file load summary (the `ingest --json` contract).
#[derive(Debug, Clone, Serialize, Default)]
pub struct FileSummary {
    /// The file name as given.
    pub path: String,
    /// Detected format id (`ocore`, `cloudtrail`, …; `unrecognized` when nothing could be read).
    pub format: String,
    /// Human name of the format.
    pub format_name: String,
    /// Container layout (`json-array`, `json-wrapped:items`, `ndjson`, `csv`, `gzip+…`).
    pub container: String,
    /// Bytes as given.
    pub size: u64,
    /// SHA-256 of the bytes as given.
    pub sha256: String,
    /// SHA-256 of the decompressed content, for compressed files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256_content: Option<String>,
    /// Records found.
    pub read: u64,
    /// Records mapped to events.
    pub loaded: u64,
    /// Records that could not be read or mapped.
    pub rejected: u64,
    /// Loaded records collapsed into an identical earlier event.
    pub duplicates: u64,
    /// Loaded records merged into another stage of the same request.
    pub merged: u64,
    /// The first rejections, with location and reason.
    pub errors: Vec<RecordError>,
    /// Integrity warnings.
    pub warnings: Vec<String>,
    /// Earliest event time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
    /// Latest event time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<String>,
    /// For the generic mapper: which columns were used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mapping: Vec<generic::Choice>,
    /// Records whose format differed from the file's.
    #[serde(skip_serializing_if = "is_zero")]
    pub other_format_records: u64,
    /// False when the file could not be read at all.
    pub ok: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One rejected record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecordError {
    /// 1-based record number (0 for file-level errors).
    pub record: u64,
    /// 1-based line.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// A loaded file: its evidence bytes and derived buffers.
#[derive(Debug, Default)]
pub struct LoadedFile {
    /// Summary.
    pub summary: FileSummary,
    /// The (decompressed, UTF-8) bytes: the evidence buffer that spans point into.
    pub bytes: Vec<u8>,
    /// Side buffer: synthesized documents (CSV rows), decoded inner records, change states.
    pub side: Vec<u8>,
}

/// The loaded investigation data.
#[derive(Debug, Default)]
pub struct Dataset {
    /// Interned strings.
    pub strings: Interner,
    /// Events, sorted by time, file, record after [`Dataset::finish`].
    pub events: Vec<Event>,
    /// Targets, referenced by range from events.
    pub targets: Vec<Target>,
    /// Loaded files, in load order.
    pub files: Vec<LoadedFile>,
    /// Number of events already sorted and deduplicated.
    finished: usize,
    /// Memoized action-token derivations.
    derive_cache: derive::Cache,
    /// Interned "why" strings by rule triple (rule ids are static strings).
    why_cache: hashbrown::HashMap<(usize, usize, usize), Sym>,
    /// Record shapes (member-name signatures) already confirmed to sniff as a format.
    shape_ok: hashbrown::HashSet<(u64, usize)>,
}

/// What a record's mapper-visible document is.
enum DocLoc<'t> {
    File(usize, usize),
    Text(&'t str),
}

impl Dataset {
    /// An empty dataset.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads one file and finishes the dataset (sorted, deduplicated). Never panics on input.
    pub fn load(&mut self, name: &str, bytes: Vec<u8>, opts: &LoadOptions) -> &FileSummary {
        self.load_with_progress(name, bytes, opts, &mut |_, _| {})
    }

    /// Like [`Dataset::load`], reporting (bytes done, records read) every few thousand records.
    pub fn load_with_progress(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        opts: &LoadOptions,
        progress: &mut dyn FnMut(u64, u64),
    ) -> &FileSummary {
        let file_idx = self.files.len() as u32;
        let mut sum = FileSummary {
            path: name.to_string(),
            size: bytes.len() as u64,
            sha256: match &opts.sha256 {
                Some(h) if h.len() == 64 && h.bytes().all(|c| c.is_ascii_hexdigit()) => {
                    h.to_ascii_lowercase()
                }
                _ => sha256_hex(&bytes),
            },
            ok: true,
            ..Default::default()
        };
        let (content, prefix) = match decode(bytes, &mut sum) {
            Ok(x) => x,
            Err(reason) => {
                sum.ok = false;
                sum.format = "unrecognized".into();
                sum.errors.push(RecordError {
                    record: 0,
                    line: 0,
                    reason,
                });
                self.files.push(LoadedFile {
                    summary: sum,
                    ..Default::default()
                });
                return &self.files[file_idx as usize].summary;
            }
        };
        let bom = if content.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let mut side: Vec<u8> = Vec::new();

        // Pass 1: choose the format from the first records.
        // decode() guarantees UTF-8; validate once here, never per string.
        let text = std::str::from_utf8(&content).unwrap_or_default();
        let (fmt_idx, mapping, avg_record) = match choose_format(text, bom, name, opts) {
            Ok(x) => x,
            Err(reason) => {
                sum.ok = false;
                sum.format = "unrecognized".into();
                sum.errors.push(RecordError {
                    record: 0,
                    line: 0,
                    reason,
                });
                let _ = text;
                self.files.push(LoadedFile {
                    summary: sum,
                    bytes: content,
                    side,
                });
                return &self.files[file_idx as usize].summary;
            }
        };
        if let Some(est) = content.len().checked_div(avg_record) {
            // Reserve once instead of doubling (a doubling peak holds 1.5 tables at once).
            self.events.reserve(est + est / 16 + 16);
        }
        let fmt = formats::all()[fmt_idx];
        sum.format = fmt.id().to_string();
        sum.format_name = fmt.name().to_string();
        let explicit: Vec<(String, String)> = if mapping.is_empty() {
            opts.mapping.clone()
        } else {
            mapping
                .iter()
                .map(|c| (c.field.clone(), c.column.clone()))
                .collect()
        };
        sum.mapping = mapping;

        // Pass 2: map every record.
        let first_event = self.events.len();
        let mut stated_total = None;
        let mut paged = None;
        let mut column_mismatch = None;
        let mut zone_assumed = 0u64;
        let mut unwrapped = 0u64;
        let total_bytes = content.len() as u64;
        let mut wrapper_key: Option<String> = None;
        let shape = {
            let mut ctx = Ctx {
                file_name: name,
                wrapper: None,
                from_csv: false,
                assumed_offset: opts.assumed_offset,
                zone: opts.zone.as_ref(),
                mapping: &explicit,
            };
            let res = container::read(text, bom, |item| {
                match item {
                    Item::Note(Note::StatedTotal(n)) => stated_total = Some(n),
                    Item::Note(Note::Paged(k)) => paged = Some(k),
                    Item::Note(Note::ColumnMismatch(n, l)) => column_mismatch = Some((n, l)),
                    Item::Bad {
                        record,
                        line,
                        reason,
                        ..
                    } => {
                        sum.read += 1;
                        reject(&mut sum, record, line, reason);
                    }
                    Item::Rec(r) => {
                        sum.read += 1;
                        ctx.from_csv = r.synthesized.is_some();
                        let root = r.doc.root();
                        let outer = match r.synthesized {
                            Some(t) => DocLoc::Text(t),
                            None => DocLoc::File(r.start, r.end),
                        };
                        let res = self.map_record(
                            root,
                            outer,
                            &mut side,
                            fmt_idx,
                            &ctx,
                            file_idx,
                            &r,
                            &mut zone_assumed,
                            &mut unwrapped,
                        );
                        match res {
                            Ok(()) => sum.loaded += 1,
                            Err(reason) => reject(&mut sum, r.record, r.line, reason),
                        }
                        if sum.read % 16_384 == 0 {
                            progress(r.end as u64, sum.read);
                        }
                    }
                }
                ControlFlow::Continue(())
            });
            if let Ok(Shape::JsonWrapped(k)) = &res {
                wrapper_key = Some(k.clone());
            }
            res
        };
        let _ = wrapper_key;
        match shape {
            Ok(s) => {
                let d = s.describe();
                sum.container = if sum.container.is_empty() {
                    d
                } else {
                    format!("{}+{d}", sum.container)
                };
            }
            Err(reason) => {
                sum.ok = false;
                sum.errors.push(RecordError {
                    record: 0,
                    line: 1,
                    reason,
                });
            }
        }
        progress(total_bytes, sum.read);
        sum.other_format_records = self.events[first_event..]
            .iter()
            .filter(|e| e.format as usize != fmt_idx)
            .count() as u64;

        if fmt_idx == formats::generic_index() && sum.loaded == 0 && sum.read > 0 && sum.ok {
            sum.ok = false;
            let tried: Vec<&str> = formats::all().iter().map(|f| f.id()).collect();
            sum.errors.insert(0, RecordError {
                record: 0,
                line: 0,
                reason: format!(
                    "not recognised: no record matched a known format ({}) and none had a usable timestamp for the generic mapper (map columns explicitly to load it)",
                    tried.join(", ")
                ),
            });
        }
        if sum.read == 0 && sum.ok {
            sum.warnings.push("no records found in this file".into());
        }
        // Integrity warnings.
        let times: Vec<i64> = self.events[first_event..].iter().map(|e| e.time).collect();
        integrity(
            &mut sum,
            &times,
            stated_total,
            paged,
            column_mismatch,
            zone_assumed,
            unwrapped,
            opts,
        );
        if let (Some(a), Some(b)) = (times.iter().min(), times.iter().max()) {
            sum.first = Some(time::format_rfc3339_ms(*a));
            sum.last = Some(time::format_rfc3339_ms(*b));
        }
        self.files.push(LoadedFile {
            summary: sum,
            bytes: content,
            side,
        });
        let _ = prefix;
        let mut uids: Vec<u64> = self.events[first_event..]
            .iter()
            .filter_map(|e| self.uid(e).map(|u| fnv(u.as_bytes())))
            .collect();
        uids.sort_unstable();
        let repeated = uids.windows(2).filter(|w| w[0] == w[1]).count();
        if repeated > 0 {
            self.files[file_idx as usize].summary.warnings.push(format!(
                "{repeated} records reuse a vendor event id already used in this file (exact duplicates — same id and same content — are collapsed; the others are kept as separate events)"
            ));
        }
        self.finish();
        &self.files[file_idx as usize].summary
    }

    #[allow(clippy::too_many_arguments)]
    fn map_record<'x>(
        &mut self,
        root: Val<'_, 'x>,
        outer: DocLoc<'_>,
        side: &mut Vec<u8>,
        fmt_idx: usize,
        ctx: &Ctx,
        file_idx: u32,
        r: &container::Rec<'_, '_>,
        zone_assumed: &mut u64,
        unwrapped: &mut u64,
    ) -> Result<(), String> {
        if root.kind() != Kind::Obj {
            return Err(format!(
                "expected a JSON object, found {}",
                kind_name(root.kind())
            ));
        }
        if is_envelope(root) {
            return Err("API response envelope with no events (not an audit record)".into());
        }
        // Double-encoded records: decode once, map the inner record, keep both.
        if let Some(inner) = unwrap_text(root) {
            let doc = Doc::parse_str(&inner)
                .map_err(|e| format!("embedded record is not valid JSON: {e}"))?;
            *unwrapped += 1;
            let sig = doc.key_signature();
            return self.map_inner(
                doc.root(),
                DocLoc::Text(&inner),
                side,
                fmt_idx,
                ctx,
                file_idx,
                r,
                zone_assumed,
                sig,
            );
        }
        if let Some(inner) = unwrap_object(root) {
            let loc = match outer {
                DocLoc::File(..) => {
                    let (s, e) = inner.span();
                    DocLoc::File(s, e)
                }
                DocLoc::Text(_) => DocLoc::Text(std::str::from_utf8(inner.raw()).unwrap_or("{}")),
            };
            *unwrapped += 1;
            return self.map_inner(inner, loc, side, fmt_idx, ctx, file_idx, r, zone_assumed, 0);
        }
        let sig = r.doc.key_signature();
        self.map_inner(
            root,
            outer,
            side,
            fmt_idx,
            ctx,
            file_idx,
            r,
            zone_assumed,
            sig,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn map_inner<'x>(
        &mut self,
        root: Val<'_, 'x>,
        loc: DocLoc<'_>,
        side: &mut Vec<u8>,
        fmt_idx: usize,
        ctx: &Ctx,
        file_idx: u32,
        r: &container::Rec<'_, '_>,
        zone_assumed: &mut u64,
        doc_sig: u64,
    ) -> Result<(), String> {
        if root.kind() != Kind::Obj {
            return Err(format!(
                "expected a JSON object, found {}",
                kind_name(root.kind())
            ));
        }
        let all = formats::all();
        let mut d = Draft::default();
        let mut used = fmt_idx;
        // A record that does not look like the file's format (a mixed file): use the best match.
        // Records of one shape (the same member names) get the same verdict, so it is cached.
        let sig = doc_sig;
        let checked = sig != 0 && self.shape_ok.contains(&(sig, fmt_idx));
        if fmt_idx != formats::generic_index() && !checked && all[fmt_idx].sniff(root, ctx) == 0 {
            let (alt, score) = formats::best_for(root, ctx);
            if score > 0 {
                used = alt;
            }
        }
        if used == fmt_idx && !checked && sig != 0 && self.shape_ok.len() < 4096 {
            self.shape_ok.insert((sig, fmt_idx));
        }
        if let Err(first_err) = all[used].map(root, ctx, &mut d) {
            // A record of another format in a mixed file?
            let (alt, score) = formats::best_for(root, ctx);
            if alt == used || score == 0 {
                return Err(first_err);
            }
            d = Draft::default();
            all[alt].map(root, ctx, &mut d).map_err(|_| first_err)?;
            used = alt;
        }
        let f = all[used];
        let ts = d.time.ok_or("no timestamp")?;
        if ts.flags & time::ZONE_ASSUMED != 0 {
            *zone_assumed += 1;
        }
        self.derive_cache.apply(&mut d, f.completed_log());
        let (doc_in_side, doc_start, doc_len) = match loc {
            DocLoc::File(s, e) => (false, s as u64, (e - s) as u32),
            DocLoc::Text(t) => {
                let s = side.len();
                side.extend_from_slice(t.as_bytes());
                (true, s as u64, t.len() as u32)
            }
        };
        let src = SourceRef {
            file: file_idx,
            record: r.record as u32,
            line: r.line as u32,
            start: r.start as u64,
            len: (r.end - r.start) as u32,
            doc_in_side,
            doc_start,
            doc_len,
        };
        // Content hash only where there is no vendor id to deduplicate on.
        let key_content = if d.uid.is_none() && d.merge_key.is_none() {
            fnv(root.raw())
        } else {
            0
        };
        let time_raw = self.raw_text(root.raw(), d.time_raw.as_deref());
        let uid = self.raw_text(root.raw(), d.uid.as_deref());
        let changes = [
            state_text(root.raw(), d.before.as_deref(), side),
            state_text(root.raw(), d.after.as_deref(), side),
        ];
        let mut ev = self.intern(d, used as u16, src, key_content);
        ev.time_raw = time_raw;
        ev.uid = uid;
        ev.changes = changes;
        self.events.push(ev);
        Ok(())
    }

    fn intern(&mut self, d: Draft<'_>, format: u16, src: SourceRef, content_hash: u64) -> Event {
        let s = &mut self.strings;
        let mut i =
            |v: &Option<std::borrow::Cow<'_, str>>| v.as_deref().map_or(Sym::NONE, |x| s.intern(x));
        let (category, crule) = d.category.unwrap_or_default();
        let (activity, arule) = d.activity.unwrap_or_default();
        let (outcome, failure, orule) = d.outcome.unwrap_or_default();
        let why_key = (
            crule.as_ptr() as usize,
            arule.as_ptr() as usize,
            orule.as_ptr() as usize,
        );
        let (src_ip, src_raw) = match d.src.as_deref() {
            Some(t) => match parse_ip(t) {
                Some(ip) => (Some(ip), Sym::NONE),
                None => (None, i(&d.src)),
            },
            None => (None, Sym::NONE),
        };
        let tstart = self.targets.len() as u32;
        let ntargets = d.targets.len().min(u16::MAX as usize);
        let mut ev = Event {
            time: d.time.map_or(0, |t| t.nanos),
            time_raw: RawText::NONE,
            time_flags: d.time.map_or(0, |t| t.flags),
            action: i(&d.action),
            service: i(&d.service),
            category,
            activity,
            outcome,
            failure,
            status_code: i(&d.status_code),
            reason: i(&d.reason),
            why: Sym::NONE,
            actor_name: i(&d.actor_name),
            actor_id: i(&d.actor_id),
            actor_kind: d.actor_kind.unwrap_or_default(),
            actor_verified: !d.actor_unverified,
            credential: i(&d.credential),
            mfa: d.mfa,
            src_ip,
            src_raw,
            user_agent: i(&d.user_agent),
            country: i(&d.country),
            targets: (tstart, ntargets as u16),
            tenant: i(&d.tenant),
            region: i(&d.region),
            uid: RawText::NONE,
            correlation: i(&d.correlation),
            changes: Default::default(),
            src,
            format,
            dups: 0,
            dedup_key: 0,
            merge_rank: d.merge_rank,
        };
        ev.why = match self.why_cache.get(&why_key) {
            Some(w) => *w,
            None => {
                let w = self.strings.intern(&format!(
                    "category:{crule}; activity:{arule}; outcome:{orule}"
                ));
                self.why_cache.insert(why_key, w);
                w
            }
        };
        for (k, id, n) in d.targets.iter().take(ntargets) {
            let t = Target {
                kind: k.as_deref().map_or(Sym::NONE, |x| self.strings.intern(x)),
                id: id.as_deref().map_or(Sym::NONE, |x| self.strings.intern(x)),
                name: n.as_deref().map_or(Sym::NONE, |x| self.strings.intern(x)),
            };
            self.targets.push(t);
        }
        ev.dedup_key = match (&d.merge_key, d.uid.as_deref()) {
            (Some(m), _) => fnv_parts(&[b"merge", &format.to_le_bytes(), m.as_bytes()]) | 1,
            (None, Some(uid)) => {
                // Same vendor id *and* the same normalized content: a record exported twice
                // (possibly re-formatted). Records that merely share an id (sanitized or
                // reused ids) differ in some field and are kept.
                let s = |x: Sym| self.strings.get(x).as_bytes();
                let ip = ev.src_ip.map(|i| i.to_string()).unwrap_or_default();
                let tsyms: Vec<u8> = self.targets[tstart as usize..]
                    .iter()
                    .flat_map(|t| [t.kind.0, t.id.0, t.name.0])
                    .flat_map(u32::to_le_bytes)
                    .collect();
                fnv_parts(&[
                    b"uid",
                    &format.to_le_bytes(),
                    uid.as_bytes(),
                    &ev.time.to_le_bytes(),
                    s(ev.action),
                    s(ev.actor_name),
                    s(ev.actor_id),
                    ip.as_bytes(),
                    s(ev.src_raw),
                    s(ev.user_agent),
                    &[ev.outcome as u8, ev.category as u8],
                    s(ev.status_code),
                    &tsyms,
                ]) & !3
            }
            _ => {
                (fnv_parts(&[
                    b"content",
                    &format.to_le_bytes(),
                    &content_hash.to_le_bytes(),
                ]) & !3)
                    | 2
            }
        };
        ev
    }

    /// Text borrowed from the record's document becomes a span (no copy); anything else is
    /// interned.
    fn raw_text(&mut self, doc: &[u8], t: Option<&str>) -> RawText {
        let Some(t) = t else {
            return RawText::NONE;
        };
        let (b, p) = (doc.as_ptr() as usize, t.as_ptr() as usize);
        if p >= b && p + t.len() <= b + doc.len() {
            if let Some(r) = RawText::in_doc(p - b, t.len()) {
                return r;
            }
        }
        RawText::interned(self.strings.intern(t))
    }

    /// Sorts new events into place and collapses duplicates, in place (no second copy of the
    /// event table). Idempotent.
    pub fn finish(&mut self) {
        if self.finished == self.events.len() {
            return;
        }
        // (time, file, record) is unique per event, so an unstable sort is deterministic.
        self.events
            .sort_unstable_by_key(|e| (e.time, e.src.file, e.src.record));
        let n = self.events.len();
        // Group equal keys by sorting (key, position) pairs: half the memory of a hash map, and
        // within a group the first position is the earliest event.
        let mut keys: Vec<(u64, u32)> = self
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.dedup_key, i as u32))
            .collect();
        keys.sort_unstable();
        let mut dropped = vec![false; n];
        let mut moved = false;
        let mut g = 0;
        while g < keys.len() {
            let mut end = g + 1;
            while end < keys.len() && keys[end].0 == keys[g].0 {
                end += 1;
            }
            let key = keys[g].0;
            let k = keys[g].1 as usize;
            for &(_, i) in &keys[g + 1..end] {
                let i = i as usize;
                // A shared vendor id and equal normalized fields are not enough: the records
                // themselves must be the same (ignoring formatting white space).
                if key & 1 == 0
                    && canonical_hash(self.doc(&self.events[i]))
                        != canonical_hash(self.doc(&self.events[k]))
                {
                    continue;
                }
                // Without a vendor id, identical rows in one file are distinct events (two
                // failed logins in the same second); only copies across files are duplicates.
                if key & 3 == 2 && self.events[i].src.file == self.events[k].src.file {
                    continue;
                }
                let file = self.events[i].src.file as usize;
                if key & 1 == 1 {
                    // Stages of one request: keep the most complete stage's fields at the first slot.
                    self.files[file].summary.merged += 1;
                    let dups = self.events[k].dups + 1 + self.events[i].dups;
                    if self.events[i].merge_rank > self.events[k].merge_rank {
                        self.events.swap(i, k);
                        moved = true;
                    }
                    self.events[k].dups = dups;
                } else {
                    self.files[file].summary.duplicates += 1;
                    let d = self.events[i].dups;
                    self.events[k].dups += 1 + d;
                }
                dropped[i] = true;
            }
            g = end;
        }
        drop(keys);
        let mut idx = 0;
        self.events.retain(|_| {
            let keep = !dropped[idx];
            idx += 1;
            keep
        });
        if moved {
            self.events
                .sort_unstable_by_key(|e| (e.time, e.src.file, e.src.record));
        }
        self.events.shrink_to_fit();
        self.finished = self.events.len();
    }

    /// Per-file summaries.
    pub fn summaries(&self) -> Vec<&FileSummary> {
        self.files.iter().map(|f| &f.summary).collect()
    }

    /// Number of events (after deduplication).
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// No events?
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The string of a symbol.
    pub fn str(&self, s: Sym) -> &str {
        self.strings.get(s)
    }

    /// Targets of an event.
    pub fn targets_of(&self, e: &Event) -> &[Target] {
        let (s, n) = e.targets;
        &self.targets[s as usize..s as usize + n as usize]
    }

    /// The exact original bytes of an event's record.
    pub fn original(&self, e: &Event) -> &[u8] {
        let f = &self.files[e.src.file as usize];
        let s = e.src.start as usize;
        f.bytes.get(s..s + e.src.len as usize).unwrap_or(&[])
    }

    /// The JSON document the event was mapped from (raw fields are looked up here).
    pub fn doc(&self, e: &Event) -> &[u8] {
        let f = &self.files[e.src.file as usize];
        let buf = if e.src.doc_in_side { &f.side } else { &f.bytes };
        let s = e.src.doc_start as usize;
        buf.get(s..s + e.src.doc_len as usize).unwrap_or(&[])
    }

    /// The time text exactly as written in the source.
    pub fn time_raw(&self, e: &Event) -> Option<&str> {
        self.text(e, e.time_raw)
    }

    /// The vendor event id.
    pub fn uid(&self, e: &Event) -> Option<&str> {
        self.text(e, e.uid)
    }

    /// Resolves a [`RawText`](crate::model::RawText) of an event.
    pub fn text(&self, e: &Event, t: crate::model::RawText) -> Option<&str> {
        match t.get() {
            RawKind::None => None,
            RawKind::Interned(s) => self.strings.opt(s),
            RawKind::Side(off, len) => {
                let side = &self.files[e.src.file as usize].side;
                std::str::from_utf8(side.get(off as usize..(off + len) as usize)?).ok()
            }
            RawKind::InDoc(off, len) => {
                std::str::from_utf8(self.doc(e).get(off as usize..(off + len) as usize)?).ok()
            }
        }
    }

    /// The `{"before":…,"after":…}` document, when the event carries state.
    pub fn changes(&self, e: &Event) -> Option<String> {
        let [b, a] = e.changes;
        if b.is_none() && a.is_none() {
            return None;
        }
        let mut s = String::from("{\"before\":");
        let put = |s: &mut String, t: Option<&str>| match t {
            None => s.push_str("null"),
            Some(t) if Doc::parse_str(t).is_ok() => s.push_str(t),
            Some(t) => json::write_str(s, t),
        };
        put(&mut s, self.text(e, b));
        s.push_str(",\"after\":");
        put(&mut s, self.text(e, a));
        s.push('}');
        Some(s)
    }

    /// The format of an event.
    pub fn format_of(&self, e: &Event) -> &'static dyn Format {
        formats::all()[e.format as usize]
    }

    /// The time-order position of the first event of each (file index, record) reference given;
    /// references without an event are left out. One pass over the events.
    pub fn positions_of(
        &self,
        refs: impl IntoIterator<Item = (u32, u32)>,
    ) -> hashbrown::HashMap<(u32, u32), usize> {
        let mut want: hashbrown::HashMap<(u32, u32), usize> =
            refs.into_iter().map(|r| (r, usize::MAX)).collect();
        if !want.is_empty() {
            for (p, e) in self.events.iter().enumerate() {
                if let Some(v) = want.get_mut(&(e.src.file, e.src.record)) {
                    if *v == usize::MAX {
                        *v = p;
                    }
                }
            }
        }
        want.retain(|_, v| *v != usize::MAX);
        want
    }

    /// Earliest and latest event time.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        Some((self.events.first()?.time, self.events.last()?.time))
    }

    /// The normalized event as JSON (the `--ndjson` contract).
    pub fn event_json(&self, e: &Event) -> serde_json::Value {
        let s = |x: Sym| self.strings.opt(x);
        let f = &self.files[e.src.file as usize].summary;
        serde_json::json!({
            "time": time::format_rfc3339_ms(e.time),
            "time_raw": self.time_raw(e),
            "action": s(e.action),
            "service": s(e.service),
            "category": e.category.name(),
            "activity": e.activity.name(),
            "outcome": e.outcome.name(),
            "failure": if e.failure == crate::model::FailureKind::None { None } else { Some(e.failure.name()) },
            "status_code": s(e.status_code),
            "reason": s(e.reason),
            "actor": {
                "name": s(e.actor_name),
                "id": s(e.actor_id),
                "kind": e.actor_kind.name(),
                "verified": e.actor_verified,
                "credential": s(e.credential),
                "mfa": e.mfa,
            },
            "src_ip": e.src_ip.map(|i| i.to_string()),
            "src_raw": s(e.src_raw),
            "user_agent": s(e.user_agent),
            "country": s(e.country),
            "targets": self.targets_of(e).iter().map(|t| serde_json::json!({
                "type": s(t.kind), "id": s(t.id), "name": s(t.name),
            })).collect::<Vec<_>>(),
            "tenant": s(e.tenant),
            "region": s(e.region),
            "uid": self.text(e, e.uid),
            "correlation": s(e.correlation),
            "duplicates": e.dups,
            "why": s(e.why),
            "key": event_key(f, e),
            "source": {
                "file": f.path,
                "format": self.format_of(e).id(),
                "record": e.src.record,
                "line": e.src.line,
            },
        })
    }
}

/// The stable key of an event across sessions and load orders: `<file SHA-256>:<record>` (what
/// case files key stars, tags and comments by).
pub fn event_key(f: &FileSummary, e: &Event) -> String {
    format!("{}:{}", f.sha256, e.src.record)
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Null => "null",
        Kind::Bool => "a boolean",
        Kind::Num => "a number",
        Kind::Str => "a string",
        Kind::Obj => "an object",
        Kind::Arr => "an array",
    }
}

fn reject(sum: &mut FileSummary, record: u64, line: u64, reason: String) {
    sum.rejected += 1;
    if sum.errors.len() < MAX_LISTED_ERRORS {
        sum.errors.push(RecordError {
            record,
            line,
            reason,
        });
    }
}

/// An API envelope: every member is an empty array, a boolean, null or a short scalar, and at
/// least one is an empty array (`{"errors":[],"messages":[],"result":[],"success":true}`).
fn is_envelope(root: Val<'_, '_>) -> bool {
    let mut empty_arrays = 0;
    for (_, v) in root.entries() {
        match v.kind() {
            Kind::Arr if v.is_empty() => empty_arrays += 1,
            Kind::Bool | Kind::Null => {}
            _ => return false,
        }
    }
    empty_arrays > 0
}

/// A record whose real content is a JSON string member: Cribl's `_raw`, CloudTrail
/// LookupEvents' `CloudTrailEvent`.
fn unwrap_text(root: Val<'_, '_>) -> Option<String> {
    let key = if root.get("_raw").is_some()
        && (root.get("_time").is_some()
            || root.get("cribl_breaker").is_some()
            || root.get("host").is_some())
    {
        "_raw"
    } else if root.get("CloudTrailEvent").is_some()
        && (root.get("EventId").is_some() || root.get("EventName").is_some())
    {
        "CloudTrailEvent"
    } else {
        return None;
    };
    let s = root.get(key)?.as_str()?;
    let t = s.trim_start();
    if t.starts_with('{') {
        Some(s.into_owned())
    } else {
        None
    }
}

/// A record wrapped in a single object member (Elastic pipeline tests: `{"json": {…}}`).
fn unwrap_object<'d, 'a>(root: Val<'d, 'a>) -> Option<Val<'d, 'a>> {
    let mut it = root.entries();
    let (k, v) = it.next()?;
    if it.next().is_some() || v.kind() != Kind::Obj {
        return None;
    }
    matches!(k.as_ref(), "json" | "event" | "record" | "_source").then_some(v)
}

/// A state text: a span of the record when it is a slice of it, else a copy in the side buffer.
fn state_text(doc: &[u8], t: Option<&str>, side: &mut Vec<u8>) -> RawText {
    let Some(t) = t else {
        return RawText::NONE;
    };
    let (b, p) = (doc.as_ptr() as usize, t.as_ptr() as usize);
    if p >= b && p + t.len() <= b + doc.len() {
        if let Some(r) = RawText::in_doc(p - b, t.len()) {
            return r;
        }
    }
    let off = side.len();
    side.extend_from_slice(t.as_bytes());
    // A side buffer beyond 4 GiB cannot be addressed: the state is then not kept (rare).
    RawText::side(off, t.len()).unwrap_or(RawText::NONE)
}

/// Decompresses and transcodes the input into UTF-8 text; rejects binaries.
fn decode(bytes: Vec<u8>, sum: &mut FileSummary) -> Result<(Vec<u8>, usize), String> {
    let mut bytes = bytes;
    if bytes.is_empty() {
        return Ok((bytes, 0));
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        // Bounded: never more than MAX_DECOMPRESSED, nor more than MAX_GZIP_RATIO times the
        // compressed size beyond MIN_BOMB_CHECK (a small file must not exhaust memory).
        let limit = MAX_DECOMPRESSED.min(
            (bytes.len() as u64)
                .saturating_mul(MAX_GZIP_RATIO)
                .max(MIN_BOMB_CHECK),
        );
        let mut out = Vec::new();
        let mut dec = flate2::read::MultiGzDecoder::new(&bytes[..]).take(limit + 1);
        let res = dec.read_to_end(&mut out);
        if out.len() as u64 > limit {
            return Err(format!(
                "gzip content expands beyond {} MiB ({} bytes compressed; the limit is {} GiB, and {MAX_GZIP_RATIO}× the compressed size above {} MiB): not loaded — a decompression bomb, or an export too large to load whole (split it)",
                limit >> 20,
                bytes.len(),
                MAX_DECOMPRESSED >> 30,
                MIN_BOMB_CHECK >> 20
            ));
        }
        if let Err(e) = res {
            if out.is_empty() {
                return Err(format!("gzip data is corrupt or truncated: {e}"));
            }
            // Keep the evidence that could be read: the records before the break still load
            // (the one cut in half is rejected with its location).
            sum.ok = false;
            sum.errors.push(RecordError {
                record: 0,
                line: 0,
                reason: format!(
                    "gzip data is corrupt or truncated after {} decompressed bytes ({e}): the records before that point were loaded",
                    out.len()
                ),
            });
        }
        sum.sha256_content = Some(sha256_hex(&out));
        sum.container = "gzip".into();
        bytes = out;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(
            "this is a zip archive, not a JSON or CSV export: extract it and load the files inside"
                .into(),
        );
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        let s = String::from_utf16_lossy(&units);
        sum.warnings.push(format!(
            "file is UTF-16 ({}); converted to UTF-8 (byte offsets refer to the converted text)",
            if le { "LE" } else { "BE" }
        ));
        sum.sha256_content = Some(sha256_hex(s.as_bytes()));
        bytes = s.into_bytes();
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(
            "binary data (NUL bytes in the first 8 KiB): not a JSON or CSV text export".into(),
        );
    }
    if let Err(e) = std::str::from_utf8(&bytes) {
        let at = e.valid_up_to();
        let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count();
        sum.warnings.push(format!(
            "invalid UTF-8 at byte {at} (line {line}); invalid bytes were replaced with U+FFFD (byte offsets refer to the repaired text; the SHA-256 is of the original)"
        ));
        let fixed = String::from_utf8_lossy(&bytes).into_owned();
        sum.sha256_content = Some(sha256_hex(fixed.as_bytes()));
        bytes = fixed.into_bytes();
    }
    Ok((bytes, 0))
}

/// Pass 1: sniff the first records and choose the file's format.
fn choose_format(
    src: &str,
    bom: usize,
    name: &str,
    opts: &LoadOptions,
) -> Result<(usize, Vec<generic::Choice>, usize), String> {
    let all = formats::all();
    if let Some(f) = &opts.format {
        let i = formats::index_of(f).ok_or_else(|| {
            format!(
                "unknown format {f:?} (known: {})",
                all.iter().map(|f| f.id()).collect::<Vec<_>>().join(", ")
            )
        })?;
        return Ok((i, Vec::new(), 0));
    }
    let mut scores = vec![0u64; all.len()];
    let mut sampled = 0;
    let mut first_mapping: Option<Vec<generic::Choice>> = None;
    let ctx = Ctx {
        file_name: name,
        assumed_offset: opts.assumed_offset,
        zone: opts.zone.as_ref(),
        mapping: &opts.mapping,
        ..Default::default()
    };
    let mut rec_bytes = 0usize;
    let res = container::read(src, bom, |item| {
        if let Item::Rec(r) = item {
            rec_bytes += r.end - r.start + 1;
            let root = r.doc.root();
            if root.kind() == Kind::Obj && !is_envelope(root) {
                let inner_text = unwrap_text(root);
                let inner_doc = inner_text
                    .as_ref()
                    .and_then(|t| Doc::parse(t.as_bytes()).ok());
                let rec = match (&inner_doc, unwrap_object(root)) {
                    (Some(d), _) => d.root(),
                    (None, Some(o)) => o,
                    (None, None) => root,
                };
                for (i, f) in all.iter().enumerate() {
                    scores[i] += f.sniff(rec, &ctx) as u64;
                }
                if first_mapping.is_none() {
                    first_mapping = Some(generic::infer(rec, &ctx));
                }
                sampled += 1;
            }
            if sampled >= 64 {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    });
    res?;
    if sampled == 0 {
        return Ok((formats::generic_index(), Vec::new(), 0));
    }
    let avg = rec_bytes / sampled;
    let (best, score) = scores
        .iter()
        .enumerate()
        .max_by_key(|(i, s)| (**s, usize::MAX - i))
        .map(|(i, s)| (i, *s))
        .unwrap_or((0, 0));
    if score == 0 || best == formats::generic_index() {
        return Ok((
            formats::generic_index(),
            first_mapping.unwrap_or_default(),
            avg,
        ));
    }
    Ok((best, Vec::new(), avg))
}

#[allow(clippy::too_many_arguments)]
fn integrity(
    sum: &mut FileSummary,
    times: &[i64],
    stated_total: Option<u64>,
    paged: Option<String>,
    column_mismatch: Option<(u64, u64)>,
    zone_assumed: u64,
    unwrapped: u64,
    opts: &LoadOptions,
) {
    let n = sum.read;
    let cap = match sum.format.as_str() {
        "ocore" => Some((10_000, "oCore's export maximum")),
        "opsknight" => Some((250, "OpsKnight's UI table limit")),
        "m365" => Some((50_000, "Microsoft 365 audit search export limit")),
        _ => None,
    };
    for (limit, what) in cap.into_iter().chain([
        (10_000u64, "a common export cap"),
        (50_000, "a common export cap"),
    ]) {
        if n == limit {
            sum.warnings.push(format!(
                "exactly {limit} records — {what}; the export may be truncated"
            ));
            break;
        }
    }
    if let Some(t) = stated_total {
        if t > n {
            sum.warnings.push(format!(
                "the file says total={t} but holds {n} records: {} are missing from this export",
                t - n
            ));
        }
    }
    if let Some(k) = paged {
        sum.warnings.push(format!(
            "the file has a next-page marker ({k}): it is one page of a longer result"
        ));
    }
    if let Some((c, l)) = column_mismatch {
        sum.warnings.push(format!(
            "{c} CSV rows have a different number of cells than the header (first at line {l})"
        ));
    }
    if zone_assumed > 0 {
        let zone = match &opts.zone {
            Some(z) => z.name(),
            None => time::Zone::Fixed(opts.assumed_offset).name(),
        };
        sum.warnings.push(format!(
            "{zone_assumed} timestamps carry no zone and were taken as {zone}"
        ));
    }
    if unwrapped > 0 {
        sum.warnings.push(format!("{unwrapped} records were double-encoded (JSON inside a string or wrapper) and were decoded"));
    }
    if times.len() >= 3 {
        let asc = times.windows(2).filter(|w| w[1] >= w[0]).count();
        let desc = times.windows(2).filter(|w| w[1] <= w[0]).count();
        let pairs = times.len() - 1;
        let (sorted_dir, ok) = if asc >= desc {
            ("ascending", asc)
        } else {
            ("descending", desc)
        };
        if ok < pairs && ok * 100 >= pairs * 95 {
            let pos = times
                .windows(2)
                .position(|w| {
                    if sorted_dir == "ascending" {
                        w[1] < w[0]
                    } else {
                        w[1] > w[0]
                    }
                })
                .unwrap_or(0);
            sum.warnings.push(format!(
                "time goes backwards {} times in an otherwise {sorted_dir} file (first after record {})",
                pairs - ok,
                pos + 1
            ));
        }
        if times.len() >= 20 {
            let mut sorted = times.to_vec();
            sorted.sort_unstable();
            let mut gaps: Vec<i64> = sorted.windows(2).map(|w| w[1] - w[0]).collect();
            let (mut gi, mut gmax) = (0, 0);
            for (i, g) in gaps.iter().enumerate() {
                if *g > gmax {
                    gmax = *g;
                    gi = i;
                }
            }
            gaps.sort_unstable();
            let median = gaps[gaps.len() / 2].max(1);
            let hour = 3600 * time::NS;
            // Nights and weekends make regular long gaps; only a gap that stands out against
            // the file's other long gaps (at least twice the second longest) is suspicious.
            let second = gaps.get(gaps.len().wrapping_sub(2)).copied().unwrap_or(0);
            if gmax >= 6 * hour
                && gmax >= median.saturating_mul(50)
                && gmax >= second.saturating_mul(2)
            {
                sum.warnings.push(format!(
                    "gap of {} with no events between {} and {} (median spacing {})",
                    human_duration(gmax),
                    time::format_rfc3339_ms(sorted[gi]),
                    time::format_rfc3339_ms(sorted[gi + 1]),
                    human_duration(median)
                ));
            }
        }
    }
}

/// `3d 4h`, `12m 5s`, `850ms`.
pub fn human_duration(ns: i64) -> String {
    let s = ns / time::NS;
    if s == 0 {
        return format!("{}ms", ns / 1_000_000);
    }
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{sec}s"),
        (0, 0, _) => format!("{m}m {sec}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(b: &[u8]) -> String {
    let d = Sha256::digest(b);
    let mut s = String::with_capacity(64);
    for x in d {
        s.push_str(&format!("{x:02x}"));
    }
    s
}

/// Hash of a JSON text ignoring white space outside strings (pretty and compact copies of a
/// record hash alike).
fn canonical_hash(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let (mut in_str, mut esc) = (false, false);
    for &c in b {
        if !in_str && matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
            continue;
        }
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' {
            in_str = true;
        }
        h ^= c as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn fnv(b: &[u8]) -> u64 {
    fnv_parts(&[b])
}

fn fnv_parts(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &x in *p {
            h ^= x as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
