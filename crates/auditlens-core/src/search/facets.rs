//! Summaries of a result: facets (top values per field), the time histogram, the pipe stages
//! (`stats`, `top`, `timechart`) and ordering for paging.

use std::collections::HashMap;

use serde::Serialize;

use super::bits::Bits;
use super::eval::Ctx;
use super::index::{Index, StrField};
use super::raw;
use crate::json::Doc;
use crate::query::{Field, FieldRef};
use crate::time::NS;
use crate::Dataset;

/// How many values a facet lists.
pub const FACET_SIZE: usize = 10;
/// Most rows a `stats` table returns (the number of groups is always reported).
pub const MAX_TABLE_ROWS: usize = 10_000;
/// Most buckets a `timechart` may have.
pub const MAX_BUCKETS: usize = 10_000;

/// The fields that results carry facets for, in display order.
pub const FACET_FIELDS: [Field; 8] = [
    Field::Action,
    Field::Actor,
    Field::SrcIp,
    Field::Outcome,
    Field::Category,
    Field::Format,
    Field::UserAgent,
    Field::Target,
];

/// One value of a facet and how many matching events have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    /// The value, as shown.
    pub value: String,
    /// Matching events with this value.
    pub count: u64,
}

/// The most frequent values of one field over the whole result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facet {
    /// The field.
    pub field: Field,
    /// Up to [`FACET_SIZE`] values, most frequent first (ties: the value seen first).
    pub values: Vec<FacetValue>,
    /// Matches counted for values beyond those listed.
    pub other: u64,
    /// Matching events without a value.
    pub missing: u64,
}

/// Event counts over time, stacked by outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Histogram {
    /// Bucket width in nanoseconds.
    pub bucket_ns: i64,
    /// Start of the first bucket (UTC nanoseconds, a multiple of the width).
    pub start_ns: i64,
    /// Successes per bucket.
    pub success: Vec<u64>,
    /// Failures per bucket.
    pub failure: Vec<u64>,
    /// Unknown outcomes per bucket.
    pub unknown: Vec<u64>,
}

impl Histogram {
    /// Number of buckets.
    pub fn len(&self) -> usize {
        self.success.len()
    }

    /// True when there are no buckets (no matches).
    pub fn is_empty(&self) -> bool {
        self.success.is_empty()
    }

    /// Total events in bucket `i`.
    pub fn total(&self, i: usize) -> u64 {
        self.success.get(i).copied().unwrap_or(0)
            + self.failure.get(i).copied().unwrap_or(0)
            + self.unknown.get(i).copied().unwrap_or(0)
    }
}

/// A cell of a pipe-stage table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// A field value or a time.
    Text(String),
    /// A count.
    Count(u64),
}

/// The output of a pipe stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// `stats`, `top` or `timechart`.
    pub kind: &'static str,
    /// Column names: the group-by fields and `count` (timechart: `time`, `count`, `success`,
    /// `failure`, `unknown`).
    pub columns: Vec<String>,
    /// Rows, most frequent first (timechart: in time order).
    pub rows: Vec<Vec<Cell>>,
    /// Number of groups (rows before truncation).
    pub groups: usize,
    /// Matching events left out because a group-by field had no value.
    pub missing: u64,
    /// Whether rows were cut at [`MAX_TABLE_ROWS`] (or at `N` for `top N`).
    pub truncated: bool,
    /// Bucket width for `timechart`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket_ns: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Facets

/// Counts of a dictionary-encoded column over `sel`, counting the complement when `sel` is
/// most of the data (the totals are a sequential pass).
fn column_counts(f: &StrField, sel: &Bits) -> Vec<u64> {
    let n = sel.len();
    let mut counts = vec![0u64; f.dict.len()];
    let c = sel.count();
    if c * 2 > n {
        f.col.count_into(None, n, &mut counts);
        let mut rest = vec![0u64; f.dict.len()];
        f.col.count_into(Some(&sel.not()), n, &mut rest);
        for (a, b) in counts.iter_mut().zip(rest) {
            *a -= b;
        }
    } else {
        f.col.count_into(Some(sel), n, &mut counts);
    }
    counts
}

/// The `k` most frequent non-zero entries of `counts`, most frequent first; ties go to the
/// value seen first (entry order), which keeps this a pass over integers even when a
/// million distinct values tie at one.
fn top_entries(counts: &[u64], k: usize) -> Vec<(u32, u64)> {
    let mut idx: Vec<(u32, u64)> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(i, c)| (i as u32, *c))
        .collect();
    let cmp = |a: &(u32, u64), b: &(u32, u64)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    if idx.len() > k {
        if k == 0 {
            return Vec::new();
        }
        idx.select_nth_unstable_by(k - 1, cmp);
        idx.truncate(k);
    }
    idx.sort_by(cmp);
    idx
}

/// Facet of a single-valued column.
fn column_facet(ds: &Dataset, field: Field, f: &StrField, sel: &Bits) -> Facet {
    let mut counts = column_counts(f, sel);
    let missing = std::mem::take(&mut counts[0]);
    let total: u64 = counts.iter().sum();
    let top = top_entries(&counts, FACET_SIZE)
        .into_iter()
        .map(|(i, c)| (f.dict.text(i, &ds.strings).to_string(), c))
        .collect();
    finish_facet(field, top, total, missing)
}

fn finish_facet(field: Field, top: Vec<(String, u64)>, total: u64, missing: u64) -> Facet {
    let shown: u64 = top.iter().map(|(_, c)| c).sum();
    Facet {
        field,
        values: top
            .into_iter()
            .map(|(value, count)| FacetValue { value, count })
            .collect(),
        other: total - shown,
        missing,
    }
}

/// The value a target shows as: its name, or its id when it has none. Local ids of the name
/// dictionary come first, then those of the id dictionary.
fn target_key(ix: &Index, id: u32, name: u32) -> Option<u32> {
    if name != 0 {
        Some(name)
    } else if id != 0 {
        Some(ix.tgt_name.dict.len() as u32 + id)
    } else {
        None
    }
}

fn target_text<'a>(ds: &'a Dataset, ix: &'a Index, key: u32) -> &'a str {
    let nn = ix.tgt_name.dict.len() as u32;
    if key < nn {
        ix.tgt_name.dict.text(key, &ds.strings)
    } else {
        ix.tgt_id.dict.text(key - nn, &ds.strings)
    }
}

/// The distinct target keys of event `i` (into `keys`, cleared first).
fn event_target_keys(ix: &Index, i: usize, extra_from: &mut usize, keys: &mut Vec<u32>) {
    keys.clear();
    if let Some(k) = target_key(ix, ix.tgt_id.col.get(i), ix.tgt_name.col.get(i)) {
        keys.push(k);
    }
    let ex = &ix.extra_targets;
    // `extra_targets` is sorted by event; callers visit events in ascending order.
    while *extra_from < ex.len() && (ex[*extra_from].event as usize) < i {
        *extra_from += 1;
    }
    let mut j = *extra_from;
    while j < ex.len() && ex[j].event as usize == i {
        if let Some(k) = target_key(ix, ex[j].id, ex[j].name) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        j += 1;
    }
}

fn target_facet(ds: &Dataset, ix: &Index, sel: &Bits) -> Facet {
    let nn = ix.tgt_name.dict.len();
    let mut counts = vec![0u64; nn + ix.tgt_id.dict.len()];
    let mut missing = 0u64;
    let mut total = 0u64;
    if ix.extra_targets.is_empty() {
        // One target at most per event: two column reads.
        for i in sel.iter() {
            match target_key(ix, ix.tgt_id.col.get(i), ix.tgt_name.col.get(i)) {
                Some(k) => {
                    counts[k as usize] += 1;
                    total += 1;
                }
                None => missing += 1,
            }
        }
    } else {
        let mut keys = Vec::new();
        let mut from = 0;
        for i in sel.iter() {
            event_target_keys(ix, i, &mut from, &mut keys);
            if keys.is_empty() {
                missing += 1;
            }
            for k in &keys {
                counts[*k as usize] += 1;
                total += 1;
            }
        }
    }
    // A name and another target's id may read the same: merge those among the leaders.
    let lead = top_entries(&counts, 2 * FACET_SIZE);
    let mut merged: Vec<(String, u64)> = Vec::new();
    for (k, c) in lead {
        let t = target_text(ds, ix, k);
        match merged.iter_mut().find(|(x, _)| x == t) {
            Some(m) => m.1 += c,
            None => merged.push((t.to_string(), c)),
        }
    }
    merged.sort_by_key(|m| std::cmp::Reverse(m.1)); // stable: ties keep first-seen order
    merged.truncate(FACET_SIZE);
    finish_facet(Field::Target, merged, total, missing)
}

/// Facets over the whole result for [`FACET_FIELDS`].
pub(crate) fn facets(cx: &Ctx<'_>, sel: &Bits) -> Vec<Facet> {
    FACET_FIELDS
        .iter()
        .map(|&f| match cx.column(f) {
            Some(col) => column_facet(cx.ds, f, col, sel),
            None => target_facet(cx.ds, cx.ix, sel),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Histogram

const MIN: i64 = 60 * NS;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// Bucket widths the automatic histogram chooses from.
const STEPS: [i64; 24] = [
    NS,
    2 * NS,
    5 * NS,
    10 * NS,
    15 * NS,
    30 * NS,
    MIN,
    2 * MIN,
    5 * MIN,
    10 * MIN,
    15 * MIN,
    30 * MIN,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    7 * DAY,
    14 * DAY,
    30 * DAY,
    90 * DAY,
    365 * DAY,
];

/// Most buckets of the automatic histogram.
pub const AUTO_BUCKETS: i64 = 120;

/// The smallest step that covers `lo..=hi` in at most [`AUTO_BUCKETS`] aligned buckets.
pub fn auto_bucket(lo: i64, hi: i64) -> i64 {
    for s in STEPS {
        if buckets(lo, hi, s) <= AUTO_BUCKETS {
            return s;
        }
    }
    // Centuries of data: whole days, as many as needed to stay within the limit.
    let days = ((hi as i128 - lo as i128) / (DAY as i128 * AUTO_BUCKETS as i128) + 1) as i64;
    days.saturating_mul(DAY)
}

fn buckets(lo: i64, hi: i64, step: i64) -> i64 {
    let start = lo.div_euclid(step).saturating_mul(step);
    (hi.saturating_sub(start))
        .div_euclid(step)
        .saturating_add(1)
}

/// Counts of `sel` per time bucket (automatic width when `bucket` is `None`), stacked by
/// outcome. `None` when nothing matched.
pub(crate) fn histogram(
    ds: &Dataset,
    ix: &Index,
    sel: &Bits,
    bucket: Option<i64>,
) -> Option<Histogram> {
    let (first, last) = (sel.first()?, sel.last()?);
    let (lo, hi) = (ds.events[first].time, ds.events[last].time);
    let step = bucket
        .filter(|b| *b > 0)
        .unwrap_or_else(|| auto_bucket(lo, hi));
    let start = lo.div_euclid(step).saturating_mul(step);
    let nb = buckets(lo, hi, step).max(1) as usize;
    let mut h = Histogram {
        bucket_ns: step,
        start_ns: start,
        success: Vec::with_capacity(nb),
        failure: Vec::with_capacity(nb),
        unknown: Vec::with_capacity(nb),
    };
    let ev = &ds.events;
    let mut a = first;
    for b in 0..nb {
        let end_t = start.saturating_add((b as i64 + 1).saturating_mul(step));
        let z = a + ev[a..].partition_point(|e| e.time < end_t);
        let total = sel.count_range(a, z) as u64;
        let s = sel.count_range_and(a, z, &ix.success) as u64;
        let f = sel.count_range_and(a, z, &ix.failed) as u64;
        h.success.push(s);
        h.failure.push(f);
        h.unknown.push(total - s - f);
        a = z;
    }
    Some(h)
}

// ---------------------------------------------------------------------------------------------
// Pipe stages

/// Value ids of one group-by field, for one event.
enum Grouper<'a> {
    Col(&'a StrField),
    Target,
    /// Fields without a column (time, uid, raw paths): values interned per query.
    Text {
        ids: HashMap<String, u32>,
        texts: Vec<String>,
        get: TextGet<'a>,
    },
}

enum TextGet<'a> {
    Time,
    Uid,
    Raw(&'a [String]),
}

impl Grouper<'_> {
    fn keys(&mut self, cx: &Ctx<'_>, i: usize, from: &mut usize, out: &mut Vec<u32>) {
        out.clear();
        match self {
            Grouper::Col(f) => {
                let v = f.col.get(i);
                if v != 0 {
                    out.push(v);
                }
            }
            Grouper::Target => event_target_keys(cx.ix, i, from, out),
            Grouper::Text { ids, texts, get } => {
                let e = &cx.ds.events[i];
                let mut vals: Vec<String> = Vec::new();
                match get {
                    TextGet::Time => vals.push(crate::time::format_rfc3339_ms(e.time)),
                    TextGet::Uid => {
                        if let Some(u) = cx.ds.uid(e).filter(|u| !u.is_empty()) {
                            vals.push(u.to_string());
                        }
                    }
                    TextGet::Raw(segs) => {
                        if let Ok(doc) = Doc::parse(cx.ds.doc(e)) {
                            let mut vs = Vec::new();
                            raw::walk(doc.root(), segs, &mut vs);
                            for v in vs {
                                let t = match v.kind() {
                                    crate::json::Kind::Null => continue,
                                    crate::json::Kind::Obj | crate::json::Kind::Arr => {
                                        String::from_utf8_lossy(v.raw()).into_owned()
                                    }
                                    _ => v.as_text().map(|t| t.into_owned()).unwrap_or_default(),
                                };
                                if !t.is_empty() && !vals.contains(&t) {
                                    vals.push(t);
                                }
                            }
                        }
                    }
                }
                for v in vals {
                    let next = texts.len() as u32;
                    let id = *ids.entry(v.clone()).or_insert_with(|| {
                        texts.push(v);
                        next
                    });
                    out.push(id);
                }
            }
        }
    }

    fn text<'s>(&'s self, cx: &Ctx<'s>, id: u32) -> &'s str {
        match self {
            Grouper::Col(f) => f.dict.text(id, &cx.ds.strings),
            Grouper::Target => target_text(cx.ds, cx.ix, id),
            Grouper::Text { texts, .. } => texts.get(id as usize).map_or("", String::as_str),
        }
    }
}

fn grouper<'a>(cx: &Ctx<'a>, f: &'a FieldRef) -> Grouper<'a> {
    let text = |get| Grouper::Text {
        ids: HashMap::new(),
        texts: Vec::new(),
        get,
    };
    match f {
        FieldRef::Raw(segs) => text(TextGet::Raw(segs)),
        FieldRef::Known(Field::Time) => text(TextGet::Time),
        FieldRef::Known(Field::Uid) => text(TextGet::Uid),
        FieldRef::Known(Field::Target) => Grouper::Target,
        FieldRef::Known(k @ (Field::TargetId | Field::TargetType)) => {
            Grouper::Col(if *k == Field::TargetId {
                &cx.ix.tgt_id
            } else {
                &cx.ix.tgt_kind
            })
        }
        FieldRef::Known(k) => match cx.column(*k) {
            Some(c) => Grouper::Col(c),
            None => text(TextGet::Time),
        },
    }
}

/// `stats count [by …]` (and `top`, which is the same table cut at `n` rows).
pub(crate) fn stats(cx: &Ctx<'_>, sel: &Bits, by: &[FieldRef], top: Option<usize>) -> Table {
    let kind = if top.is_some() { "top" } else { "stats" };
    let mut columns: Vec<String> = by.iter().map(|f| f.to_string()).collect();
    columns.push("count".into());
    if by.is_empty() {
        return Table {
            kind,
            columns,
            rows: vec![vec![Cell::Count(sel.count() as u64)]],
            groups: 1,
            missing: 0,
            truncated: false,
            bucket_ns: None,
        };
    }
    let mut gs: Vec<Grouper<'_>> = by.iter().map(|f| grouper(cx, f)).collect();
    let mut missing = 0u64;
    // Group keys → counts. A single column is counted in an array (the common, fast case).
    let mut counts: HashMap<Vec<u32>, u64> = HashMap::new();
    let cols: Vec<&StrField> = gs
        .iter()
        .filter_map(|g| match g {
            Grouper::Col(f) => Some(*f),
            _ => None,
        })
        .collect();
    let radix: Option<Vec<u64>> =
        (cols.len() == gs.len()).then(|| cols.iter().map(|f| f.dict.len() as u64).collect());
    let space = radix
        .as_ref()
        .and_then(|r| r.iter().try_fold(1u64, |a, b| a.checked_mul(*b)));
    if let [Grouper::Col(f)] = gs.as_slice() {
        let c = column_counts(f, sel);
        missing = c.first().copied().unwrap_or(0);
        for (i, n) in c.into_iter().enumerate().skip(1) {
            if n > 0 {
                counts.insert(vec![i as u32], n);
            }
        }
    } else if let (Some(radix), Some(space)) = (radix, space) {
        // Only columns: one packed integer key per event, counted in an array when the key
        // space is small, in a map otherwise.
        let dense = space <= 1 << 22;
        let mut arr = if dense {
            vec![0u64; space as usize]
        } else {
            Vec::new()
        };
        let mut map: HashMap<u64, u64> = HashMap::new();
        'ev: for i in sel.iter() {
            let mut key = 0u64;
            for (f, r) in cols.iter().zip(&radix) {
                let v = f.col.get(i);
                if v == 0 {
                    missing += 1;
                    continue 'ev;
                }
                key = key * r + u64::from(v);
            }
            if dense {
                arr[key as usize] += 1;
            } else {
                *map.entry(key).or_default() += 1;
            }
        }
        let unpack = |mut key: u64| {
            let mut ids = vec![0u32; radix.len()];
            for (slot, r) in ids.iter_mut().zip(&radix).rev() {
                *slot = (key % r) as u32;
                key /= r;
            }
            ids
        };
        if dense {
            for (key, n) in arr.into_iter().enumerate() {
                if n > 0 {
                    counts.insert(unpack(key as u64), n);
                }
            }
        } else {
            for (key, n) in map {
                counts.insert(unpack(key), n);
            }
        }
    } else {
        let mut froms = vec![0usize; gs.len()];
        let mut keys: Vec<Vec<u32>> = vec![Vec::new(); gs.len()];
        let mut combo = Vec::with_capacity(gs.len());
        for i in sel.iter() {
            for (g, (k, from)) in gs.iter_mut().zip(keys.iter_mut().zip(froms.iter_mut())) {
                g.keys(cx, i, from, k);
            }
            if keys.iter().any(Vec::is_empty) {
                missing += 1;
                continue;
            }
            // Every combination of the fields' values (multi-valued fields fan out).
            let mut idx = vec![0usize; keys.len()];
            loop {
                combo.clear();
                combo.extend(idx.iter().zip(&keys).map(|(j, k)| k[*j]));
                match counts.get_mut(combo.as_slice()) {
                    Some(c) => *c += 1,
                    None => {
                        counts.insert(combo.clone(), 1);
                    }
                }
                let mut d = keys.len();
                loop {
                    if d == 0 {
                        break;
                    }
                    d -= 1;
                    idx[d] += 1;
                    if idx[d] < keys[d].len() {
                        break;
                    }
                    idx[d] = 0;
                }
                if idx.iter().all(|j| *j == 0) {
                    break;
                }
            }
        }
    }
    // Rows by text (a target name and an id with the same text are one value).
    let mut by_text: HashMap<Vec<&str>, u64> = HashMap::new();
    for (k, c) in &counts {
        let texts: Vec<&str> = k.iter().zip(&gs).map(|(id, g)| g.text(cx, *id)).collect();
        *by_text.entry(texts).or_default() += c;
    }
    let mut rows: Vec<(Vec<&str>, u64)> = by_text.into_iter().collect();
    let groups = rows.len();
    let limit = top.unwrap_or(MAX_TABLE_ROWS).min(MAX_TABLE_ROWS);
    let cmp =
        |a: &(Vec<&str>, u64), b: &(Vec<&str>, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0));
    if rows.len() > limit {
        rows.select_nth_unstable_by(limit, cmp);
        rows.truncate(limit);
    }
    rows.sort_by(cmp);
    Table {
        kind,
        columns,
        rows: rows
            .into_iter()
            .map(|(t, c)| {
                t.into_iter()
                    .map(|s| Cell::Text(s.to_string()))
                    .chain([Cell::Count(c)])
                    .collect()
            })
            .collect(),
        groups,
        missing,
        truncated: groups > limit,
        bucket_ns: None,
    }
}

/// `timechart [bucket]`: the histogram as a table, one row per bucket.
pub(crate) fn timechart(h: Option<&Histogram>, bucket_ns: i64) -> Table {
    let mut rows = Vec::new();
    if let Some(h) = h {
        for i in 0..h.len() {
            rows.push(vec![
                Cell::Text(crate::time::format_rfc3339_ms(
                    h.start_ns
                        .saturating_add(h.bucket_ns.saturating_mul(i as i64)),
                )),
                Cell::Count(h.total(i)),
                Cell::Count(h.success[i]),
                Cell::Count(h.failure[i]),
                Cell::Count(h.unknown[i]),
            ]);
        }
    }
    Table {
        kind: "timechart",
        columns: ["time", "count", "success", "failure", "unknown"]
            .map(String::from)
            .to_vec(),
        groups: rows.len(),
        rows,
        missing: 0,
        truncated: false,
        bucket_ns: Some(h.map_or(bucket_ns, |h| h.bucket_ns)),
    }
}

// ---------------------------------------------------------------------------------------------
// Ordering

/// The sort ranks of a column's dictionary entries: by value ignoring case (IP addresses
/// numerically, before other source texts), the absent value last.
pub(crate) fn ranks(ds: &Dataset, ix: &Index, field: Field, f: &StrField) -> Vec<u32> {
    let n = f.dict.len();
    let st = &ds.strings;
    let mut ids: Vec<u32> = (1..n as u32).collect();
    if field == Field::SrcIp {
        ids.sort_by(|a, b| {
            let ka = (ix.src_ips[*a as usize].is_none(), ix.src_ips[*a as usize]);
            let kb = (ix.src_ips[*b as usize].is_none(), ix.src_ips[*b as usize]);
            ka.cmp(&kb)
                .then_with(|| f.dict.lower(*a, st).cmp(&f.dict.lower(*b, st)))
                .then_with(|| {
                    f.dict
                        .text(*a, &ds.strings)
                        .cmp(f.dict.text(*b, &ds.strings))
                })
        });
    } else {
        ids.sort_by(|a, b| {
            f.dict
                .lower(*a, st)
                .cmp(&f.dict.lower(*b, st))
                .then_with(|| {
                    f.dict
                        .text(*a, &ds.strings)
                        .cmp(f.dict.text(*b, &ds.strings))
                })
        });
    }
    let mut r = vec![0u32; n];
    for (rank, id) in ids.iter().enumerate() {
        r[*id as usize] = rank as u32;
    }
    if let Some(slot) = r.first_mut() {
        *slot = n as u32 - 1; // absent: after every value
    }
    r
}

/// Events `offset..offset+limit` of `sel` ordered by the column's value (ties in time order;
/// `desc` reverses the whole order, but events without a value stay last).
pub(crate) fn order_by_column(
    f: &StrField,
    ranks: &[u32],
    sel: &Bits,
    desc: bool,
    offset: usize,
    limit: usize,
) -> Vec<usize> {
    let nr = ranks.len();
    if nr == 0 {
        return Vec::new();
    }
    let absent = nr - 1;
    // Group position of each rank in output order.
    let pos = |r: usize| -> usize {
        if r == absent {
            absent
        } else if desc {
            absent - 1 - r
        } else {
            r
        }
    };
    let mut counts = vec![0usize; nr];
    for i in sel.iter() {
        counts[pos(ranks[f.col.get(i) as usize] as usize)] += 1;
    }
    // Which groups the page covers, and how many of the first one to skip.
    let end = offset.saturating_add(limit);
    let mut start_of = vec![0usize; nr];
    let mut acc = 0usize;
    for (g, c) in counts.iter().enumerate() {
        start_of[g] = acc;
        acc += c;
    }
    let mut slots: Vec<Vec<usize>> = vec![Vec::new(); nr];
    let mut seen = vec![0usize; nr];
    let mut take = |i: usize| {
        let g = pos(ranks[f.col.get(i) as usize] as usize);
        let p = start_of[g] + seen[g];
        seen[g] += 1;
        if p >= offset && p < end {
            slots[g].push(i);
        }
    };
    if desc {
        sel.iter_rev().for_each(&mut take);
    } else {
        sel.iter().for_each(&mut take);
    }
    slots.into_iter().flatten().collect()
}
