//! Search: evaluates [`crate::query`] queries against a loaded [`Dataset`].
//!
//! ```
//! use auditlens_core::{search, Dataset, LoadOptions};
//!
//! let mut ds = Dataset::new();
//! let ndjson = concat!(
//!     r#"{"id":"1","action":"auth.login_failed","createdAt":"2026-02-01T10:00:00Z","userId":"u1","userName":"alice@example.com","ipAddress":"203.0.113.9","userAgent":"curl/8","resourceType":"session","resourceId":"s1","resourceName":"web","beforeState":{},"afterState":{"reason":"wrong password"}}"#, "\n",
//!     r#"{"id":"2","action":"auth.login","createdAt":"2026-02-01T10:05:00Z","userId":"u2","userName":"bob@example.com","ipAddress":"10.1.2.3","userAgent":"Mozilla/5.0","resourceType":"session","resourceId":"s2","resourceName":"web","beforeState":{},"afterState":{}}"#, "\n",
//! );
//! ds.load("audit.json", ndjson.as_bytes().to_vec(), &LoadOptions::default());
//! let ix = search::Index::build(&ds);
//!
//! let r = search::run(&ds, &ix, "ip:10.0.0.0/8 OR password", &Default::default()).unwrap();
//! assert_eq!(r.total, 2);
//! let r = search::run(&ds, &ix, "user:alice* | stats count by ip", &Default::default()).unwrap();
//! assert_eq!(r.table.unwrap().rows.len(), 1);
//! assert!(search::run(&ds, &ix, "usr:alice", &Default::default()).is_err());
//! ```
//!
//! # Design
//!
//! [`Index::build`] turns the event table into dictionary-encoded columns: for each searchable
//! field, its distinct values (with a lower-cased copy) and one small integer per event (one
//! byte when the field has at most 256 distinct values, which most audit fields do). A term is
//! evaluated once per *distinct value* into a bitset over the dictionary, then the column is
//! scanned with that bitset; results are bitsets over events ([`Bits`]) combined word by word.
//! Events are sorted by time, so time terms are binary searches, matches iterate in time
//! order, and histogram buckets are popcounts over bit ranges.
//!
//! Free text searches the normalized text fields through the same dictionaries (one `memmem`
//! over each field's lower-cased values) and then the raw records, but only those of events
//! still in question: not excluded by the other `AND`-ed terms and not already matched by a
//! normalized field. Raw records are scanned in file order as runs of adjacent records. There
//! is no raw-text index: a token index over a million records costs more memory than the rest
//! of the index together, and the dataset must stay within 1.5× the input size in a browser
//! tab; `raw.<path>` terms parse only the records that contain the path's key (and the
//! searched text), among the events the other terms left.
//!
//! # Semantics
//!
//! - Text matching ignores case; `/regex/` doesn't (unless it starts with `(?i)`).
//! - An absent field is the empty string: `NOT actor:alice` includes events without an actor.
//! - Keyword fields (`action`, `actor`, ids, `src_ip` text, `target`…) match the whole value:
//!   `action:login` is not `auth.login`; use `action:*login*`. Text fields (`reason`,
//!   `user_agent`) and `raw.*` values match a substring; wildcards match their whole value or
//!   any token.
//! - `status_code>=400` compares values that are numbers; `status_code:AccessDenied` is text.
//! - `target` searches every target's name and id (`target_type`, `target_id` one of them); an
//!   event without targets has one empty target.
//! - Free text (`mimikatz`, `"wrong password"`) is a case-insensitive substring of any
//!   normalized text field (action, service, status code, reason, actor name and id, source,
//!   user agent, country, tenant, region, correlation id, targets) or of the raw record's JSON
//!   text, where it also finds the JSON-escaped forms of `/`, `"`, `<`, `>`, `&`, `'`,
//!   control and non-ASCII characters. Derived labels (category, outcome…), file names and
//!   formats are not free text: search them by field. A free-text wildcard matches a whole
//!   value or a token (a run without white space and `"'`,;()[]{}<>=|\`); a free-text regex
//!   matches a value or the record's JSON text as written.
//! - `raw.a.b` steps into objects, indexes arrays by number and applies other keys to every
//!   array element; arrays are flattened. Values are compared by their text (strings decoded,
//!   numbers as written, objects as JSON text), as numbers, or as times (timestamps or epoch
//!   numbers). `raw:x` searches the whole record.
//! - `now` in `time>now-24h` is the latest event's time unless the caller passes one.
//!
//! Results are paged ([`SearchOptions::offset`], [`SearchOptions::limit`]) and carry the total,
//! facets over the whole result ([`FACET_FIELDS`]), a histogram with an automatic bucket
//! (1 s … 1 d steps, at most [`AUTO_BUCKETS`] buckets) stacked by outcome, highlight ranges
//! for the page's events, and timings when the caller provides a clock (core has none).
#![deny(missing_docs)]

mod bits;
mod eval;
mod facets;
mod highlight;
mod index;
mod matcher;
mod raw;

use serde::Serialize;
use serde_json::json;

pub use bits::{Bits, Ones, OnesRev};
pub use facets::{
    auto_bucket, Cell, Facet, FacetValue, Histogram, Table, AUTO_BUCKETS, FACET_FIELDS, FACET_SIZE,
    MAX_BUCKETS, MAX_TABLE_ROWS,
};
pub use highlight::{utf16_ranges, FieldHighlight};
pub use index::{Index, IndexPart};

use crate::query::{self, Expr, Field, Pipe, Query, QueryError};
use crate::time::format_rfc3339_ms;
use crate::Dataset;

/// What results are ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Event time (ties in load order).
    Time,
    /// A single-valued field's value, ignoring case; ties in time order.
    Field(Field),
}

/// Result order: a key and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// What to order by.
    pub key: SortKey,
    /// Descending (events without a value stay last either way).
    pub desc: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Time,
            desc: false,
        }
    }
}

impl Sort {
    /// Parses `time`, `-time`, `actor`, `-actor`… (field names and aliases as in queries).
    pub fn parse(s: &str) -> Result<Sort, String> {
        let s = s.trim();
        let (desc, name) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let field = Field::from_name(name).ok_or_else(|| {
            format!("can't sort by {name:?}: not a field (try time, -time, actor, action, ip…)")
        })?;
        let key = match field {
            Field::Time => SortKey::Time,
            Field::Target | Field::TargetId | Field::TargetType => {
                return Err(format!(
                    "can't sort by {}: an event can have several",
                    field.name()
                ))
            }
            Field::Uid => return Err("can't sort by uid (it is not indexed)".into()),
            f => SortKey::Field(f),
        };
        Ok(Sort { key, desc })
    }
}

impl std::fmt::Display for Sort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.desc {
            f.write_str("-")?;
        }
        match self.key {
            SortKey::Time => f.write_str("time"),
            SortKey::Field(x) => f.write_str(x.name()),
        }
    }
}

/// How to run a search.
#[derive(Clone, Copy)]
pub struct SearchOptions<'c> {
    /// What `now` means in relative times; the latest event's time when `None`.
    pub now: Option<i64>,
    /// Skip this many matches (paging).
    pub offset: usize,
    /// Return at most this many matches.
    pub limit: usize,
    /// Result order.
    pub sort: Sort,
    /// Compute facets over the whole result.
    pub facets: bool,
    /// Compute the time histogram of the result.
    pub histogram: bool,
    /// Compute highlight ranges for the returned events.
    pub highlights: bool,
    /// Free text also searches the raw records (the slow part: a scan of their text). Off, it
    /// searches the normalized fields only — a quick first answer while someone types, to be
    /// labelled as such; `raw.*` terms are unaffected.
    pub raw_text: bool,
    /// A clock in milliseconds, for [`Timing`] (core reads no clock of its own).
    pub clock: Option<&'c dyn Fn() -> f64>,
}

impl Default for SearchOptions<'_> {
    fn default() -> Self {
        SearchOptions {
            now: None,
            offset: 0,
            limit: 50,
            sort: Sort::default(),
            facets: true,
            histogram: true,
            highlights: true,
            raw_text: true,
            clock: None,
        }
    }
}

impl std::fmt::Debug for SearchOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchOptions")
            .field("now", &self.now)
            .field("offset", &self.offset)
            .field("limit", &self.limit)
            .field("sort", &self.sort)
            .field("facets", &self.facets)
            .field("histogram", &self.histogram)
            .field("highlights", &self.highlights)
            .field("raw_text", &self.raw_text)
            .finish()
    }
}

/// One returned event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// Index into [`Dataset::events`].
    pub index: usize,
    /// Where its rendered fields match the query.
    pub highlights: Vec<FieldHighlight>,
}

/// Milliseconds spent per phase (zero without a clock).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Timing {
    /// Evaluating the filter.
    pub filter_ms: f64,
    /// Ordering and paging.
    pub order_ms: f64,
    /// Facets.
    pub facets_ms: f64,
    /// Histogram.
    pub histogram_ms: f64,
    /// The pipe stage.
    pub pipe_ms: f64,
    /// Highlights.
    pub highlight_ms: f64,
    /// Everything.
    pub total_ms: f64,
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct SearchResult {
    /// The query in canonical form.
    pub query: String,
    /// Number of matching events.
    pub total: usize,
    /// Every matching event (bit `i` is `Dataset::events[i]`).
    pub matches: Bits,
    /// The page's offset.
    pub offset: usize,
    /// The page's limit.
    pub limit: usize,
    /// The order of `hits`.
    pub sort: Sort,
    /// The `now` relative times were resolved against.
    pub now: i64,
    /// Whether free text searched the raw records too ([`SearchOptions::raw_text`]).
    pub raw_text: bool,
    /// The page of matching events.
    pub hits: Vec<Hit>,
    /// Facets over all matches (empty when not asked for, or for pipe queries).
    pub facets: Vec<Facet>,
    /// The matches over time (`None` when not asked for, or nothing matched).
    pub histogram: Option<Histogram>,
    /// The pipe stage's table, for `| stats`, `| top` and `| timechart` queries.
    pub table: Option<Table>,
    /// Time spent.
    pub timing: Timing,
}

/// The default `now`: the latest event's time (0 without events).
pub fn default_now(ds: &Dataset) -> i64 {
    ds.time_range().map_or(0, |r| r.1)
}

/// The events matching a filter expression.
pub fn filter(ds: &Dataset, ix: &Index, expr: &Expr, now: i64) -> Bits {
    let n = ds.events.len().min(ix.n);
    eval::Ctx {
        ds,
        ix,
        now,
        raw_text: true,
    }
    .expr(expr, &Bits::ones(n))
}

/// Events `offset..offset+limit` of `sel` in the given order.
pub fn order(
    ds: &Dataset,
    ix: &Index,
    sel: &Bits,
    sort: Sort,
    offset: usize,
    limit: usize,
) -> Vec<usize> {
    if limit == 0 {
        return Vec::new();
    }
    let field = match sort.key {
        SortKey::Time => {
            let it: Box<dyn Iterator<Item = usize>> = if sort.desc {
                match sel.nth_rev(offset) {
                    Some(p) => Box::new(sel.iter_rev_from(p)),
                    None => return Vec::new(),
                }
            } else {
                match sel.nth(offset) {
                    Some(p) => Box::new(sel.iter_from(p)),
                    None => return Vec::new(),
                }
            };
            return it.take(limit).collect();
        }
        SortKey::Field(f) => f,
    };
    let cx = eval::Ctx {
        ds,
        ix,
        now: 0,
        raw_text: true,
    };
    let Some(col) = cx.column(field) else {
        return order(
            ds,
            ix,
            sel,
            Sort {
                key: SortKey::Time,
                ..sort
            },
            offset,
            limit,
        );
    };
    let cached = ix
        .ranks
        .lock()
        .ok()
        .and_then(|c| c.iter().find(|(f, _)| *f == field).map(|(_, r)| r.clone()));
    let ranks = match cached {
        Some(r) => r,
        None => {
            let r = std::sync::Arc::new(facets::ranks(ds, ix, field, col));
            if let Ok(mut c) = ix.ranks.lock() {
                c.push((field, r.clone()));
            }
            r
        }
    };
    facets::order_by_column(col, &ranks, sel, sort.desc, offset, limit)
}

/// Parses and runs a query.
pub fn run(
    ds: &Dataset,
    ix: &Index,
    text: &str,
    opts: &SearchOptions<'_>,
) -> Result<SearchResult, QueryError> {
    let q = query::parse(text)?;
    search_inner(ds, ix, &q, opts, text)
}

/// Runs a parsed query.
pub fn search(
    ds: &Dataset,
    ix: &Index,
    q: &Query,
    opts: &SearchOptions<'_>,
) -> Result<SearchResult, QueryError> {
    search_inner(ds, ix, q, opts, "")
}

fn search_inner(
    ds: &Dataset,
    ix: &Index,
    q: &Query,
    opts: &SearchOptions<'_>,
    text: &str,
) -> Result<SearchResult, QueryError> {
    if !ix.is_current(ds) {
        return Err(QueryError::new(
            text,
            0,
            0,
            "the search index is out of date: rebuild it after loading files",
        ));
    }
    let clock = || opts.clock.map_or(0.0, |c| c());
    let t0 = clock();
    let now = opts.now.unwrap_or_else(|| default_now(ds));
    let cx = eval::Ctx {
        ds,
        ix,
        now,
        raw_text: opts.raw_text,
    };
    let mut timing = Timing::default();

    let matches = cx.expr(&q.expr, &Bits::ones(ds.events.len()));
    let total = matches.count();
    let t1 = clock();
    timing.filter_ms = t1 - t0;

    let mut result = SearchResult {
        query: q.to_string(),
        total,
        matches,
        offset: opts.offset,
        limit: opts.limit,
        sort: opts.sort,
        now,
        raw_text: opts.raw_text,
        hits: Vec::new(),
        facets: Vec::new(),
        histogram: None,
        table: None,
        timing,
    };

    if let Some(pipe) = &q.pipe {
        result.table = Some(match pipe {
            Pipe::Stats { by } => facets::stats(&cx, &result.matches, by, None),
            Pipe::Top { n, field } => {
                facets::stats(&cx, &result.matches, std::slice::from_ref(field), Some(*n))
            }
            Pipe::Timechart { bucket_ns } => {
                if let (Some(b), Some(first), Some(last)) =
                    (bucket_ns, result.matches.first(), result.matches.last())
                {
                    let span = ds.events[last].time.saturating_sub(ds.events[first].time);
                    let nb = span / (*b).max(1) + 1;
                    if nb > MAX_BUCKETS as i64 {
                        let (s, e) = pipe_span(text);
                        let suggested = auto_bucket(ds.events[first].time, ds.events[last].time);
                        return Err(QueryError::new(
                            text,
                            s,
                            e,
                            format!("timechart would have {nb} buckets (at most {MAX_BUCKETS})"),
                        )
                        .hint(format!(
                            "use a larger bucket, e.g. timechart {}, or leave it out to choose one",
                            duration_label(suggested)
                        )));
                    }
                }
                let h = facets::histogram(ds, ix, &result.matches, *bucket_ns);
                facets::timechart(h.as_ref(), bucket_ns.unwrap_or(0))
            }
        });
        let t2 = clock();
        result.timing.pipe_ms = t2 - t1;
        result.timing.total_ms = t2 - t0;
        return Ok(result);
    }

    let page = order(ds, ix, &result.matches, opts.sort, opts.offset, opts.limit);
    let t2 = clock();
    result.timing.order_ms = t2 - t1;
    if opts.facets {
        result.facets = facets::facets(&cx, &result.matches);
    }
    let t3 = clock();
    result.timing.facets_ms = t3 - t2;
    if opts.histogram {
        result.histogram = facets::histogram(ds, ix, &result.matches, None);
    }
    let t4 = clock();
    result.timing.histogram_ms = t4 - t3;
    result.hits = page
        .into_iter()
        .map(|i| Hit {
            index: i,
            highlights: if opts.highlights {
                highlight::highlights(ds, &q.expr, i)
            } else {
                Vec::new()
            },
        })
        .collect();
    let t5 = clock();
    result.timing.highlight_ms = t5 - t4;
    result.timing.total_ms = t5 - t0;
    Ok(result)
}

/// Byte range of the pipe stage in the query text (after the last `|`).
fn pipe_span(text: &str) -> (usize, usize) {
    match text.rfind('|') {
        Some(p) => {
            let rest = &text[p + 1..];
            let start = p + 1 + (rest.len() - rest.trim_start().len());
            (start.min(text.len()), text.trim_end().len().max(start))
        }
        None => (0, 0),
    }
}

/// A bucket width as query text (`30s`, `5m`, `1h`, `7d`).
pub fn duration_label(ns: i64) -> String {
    const UNITS: [(i64, &str); 5] = [
        (7 * 86_400 * crate::time::NS, "w"),
        (86_400 * crate::time::NS, "d"),
        (3_600 * crate::time::NS, "h"),
        (60 * crate::time::NS, "m"),
        (crate::time::NS, "s"),
    ];
    for (u, name) in UNITS {
        if ns >= u && ns % u == 0 {
            return format!("{}{name}", ns / u);
        }
    }
    format!("{}ms", ns / 1_000_000)
}

impl SearchResult {
    /// The result as JSON for the page (the wasm `Session.query` contract): hits carry the
    /// normalized event and highlight ranges in UTF-16 code units, keyed by the field's path
    /// in the event JSON; times in the histogram are epoch milliseconds.
    pub fn to_json(&self, ds: &Dataset) -> serde_json::Value {
        let hits: Vec<serde_json::Value> = self
            .hits
            .iter()
            .filter_map(|h| {
                let e = ds.events.get(h.index)?;
                let mut hl = serde_json::Map::new();
                for f in &h.highlights {
                    hl.insert(f.path.clone(), json!(f.utf16));
                }
                Some(json!({
                    "index": h.index,
                    "event": ds.event_json(e),
                    "highlights": hl,
                }))
            })
            .collect();
        let histogram = self.histogram.as_ref().map(|h| {
            json!({
                "bucket_ms": h.bucket_ns / 1_000_000,
                "bucket": duration_label(h.bucket_ns),
                "start_ms": h.start_ns.div_euclid(1_000_000),
                "start": format_rfc3339_ms(h.start_ns),
                "success": h.success,
                "failure": h.failure,
                "unknown": h.unknown,
            })
        });
        json!({
            "query": self.query,
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "sort": self.sort.to_string(),
            "now": format_rfc3339_ms(self.now),
            "raw_text": self.raw_text,
            "hits": hits,
            "facets": self.facets,
            "histogram": histogram,
            "table": self.table,
            "timing_ms": self.timing,
        })
    }
}
