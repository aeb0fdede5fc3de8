//! Searching the original records: free text over their JSON text, and `raw.<path>` fields.
//!
//! There is no index over the raw text (a token index over a million records costs more memory
//! than the records' own normalized form; see the module docs of [`super`]). Instead the
//! records are scanned in the order they sit in the file buffers, as runs of adjacent records,
//! so that one regex or `memmem` search covers many records per call; only records still in
//! question (not excluded by other terms, not already matched by normalized fields) are read.

use std::borrow::Cow;

use super::bits::Bits;
use super::index::{doc_loc, Index};
use super::matcher::{lower, required_literals, IpTest, RawFind, StrMatch};
use crate::json::{skip_value, Doc, Kind, Val};
use crate::query::{CmpOp, Pred, Value};
use crate::Dataset;

/// Largest gap between two records (`,\n`, CSV line ends…) still scanned as one run.
const MAX_GAP: usize = 1024;

/// Below this share of candidates (1/N of all events), records are searched one by one.
const PER_DOC_RATIO: usize = 16;

/// The events of `within` whose record matches `f`.
pub(crate) fn scan(ds: &Dataset, ix: &Index, within: &Bits, f: &RawFind) -> Bits {
    let n = ds.events.len();
    let mut out = Bits::zeros(n);
    if let RawFind::All = f {
        out.or(within);
        return out;
    }
    let cands = within.count();
    if cands == 0 {
        return out;
    }
    if f.per_doc() || cands * PER_DOC_RATIO < n {
        for i in within.iter() {
            if f.is_match(ds.doc(&ds.events[i])) {
                out.set(i);
            }
        }
        return out;
    }
    let mut run: Vec<(usize, usize, u32)> = Vec::new();
    let mut run_buf: Option<(u32, bool)> = None;
    let mut visit = |ev: u32, run: &mut Vec<(usize, usize, u32)>, out: &mut Bits| {
        let Some(e) = ds.events.get(ev as usize) else {
            return;
        };
        if !within.get(ev as usize) {
            scan_run(ds, run_buf, run, f, out);
            return;
        }
        let (file, side, s, end) = doc_loc(e);
        let adjacent = run_buf == Some((file, side))
            && run
                .last()
                .is_some_and(|&(_, pe, _)| s >= pe && s - pe <= MAX_GAP);
        if !adjacent {
            scan_run(ds, run_buf, run, f, out);
            run_buf = Some((file, side));
        }
        run.push((s, end, ev));
    };
    match &ix.raw_order {
        Some(order) => {
            for &ev in order {
                visit(ev, &mut run, &mut out);
            }
        }
        None => {
            for ev in 0..n as u32 {
                visit(ev, &mut run, &mut out);
            }
        }
    }
    scan_run(ds, run_buf, &mut run, f, &mut out);
    out
}

/// Searches one run of adjacent records (`(start, end, event)` in buffer order) and marks the
/// events whose record holds a match; empties the run.
fn scan_run(
    ds: &Dataset,
    buf: Option<(u32, bool)>,
    run: &mut Vec<(usize, usize, u32)>,
    f: &RawFind,
    out: &mut Bits,
) {
    let (Some((file, side)), Some(&(first, _, _)), Some(&(_, last, _))) =
        (buf, run.first(), run.last())
    else {
        run.clear();
        return;
    };
    let Some(lf) = ds.files.get(file as usize) else {
        run.clear();
        return;
    };
    let bytes = if side { &lf.side } else { &lf.bytes };
    let Some(hay) = bytes.get(first..last) else {
        run.clear();
        return;
    };
    let rel = |x: usize| x - first;
    let mut k = 0usize;
    let mut pos = 0usize;
    while k < run.len() {
        // The earliest end of any match starting at `pos` or later.
        let Some(e) = f.find_end_at(hay, pos) else {
            break;
        };
        // Records that end before it hold no match (one inside them would end earlier).
        while k < run.len() && rel(run[k].1) < e {
            k += 1;
        }
        let Some(&(ds_, de, ev)) = run.get(k) else {
            break;
        };
        let (ds_, de) = (rel(ds_), rel(de));
        if e < ds_ {
            // The match ends in the gap before this record: search again from its start.
            pos = ds_;
            continue;
        }
        // The match ends inside this record; it counts if it also starts there (known for
        // literals and for patterns that can't cover the record's `{`; otherwise ask the
        // record on its own).
        let inside = f.starts_inside(hay, ds_, e);
        if inside || f.is_match(&hay[ds_..de]) {
            out.set(ev as usize);
        }
        k += 1;
        match run.get(k) {
            Some(&(ns, _, _)) => pos = rel(ns),
            None => break,
        }
    }
    run.clear();
}

/// The events of `within` whose record has a value at `segs` that satisfies `pred`
/// (`segs` empty: the record's whole text).
pub(crate) fn path(
    ds: &Dataset,
    ix: &Index,
    segs: &[String],
    pred: &Pred,
    now: i64,
    within: &Bits,
) -> Bits {
    let n = ds.events.len();
    if segs.is_empty() {
        let f = match pred {
            Pred::Exists => RawFind::All,
            Pred::Text(s) | Pred::Phrase(s) => RawFind::contains(s),
            Pred::Wildcard(w) => match RawFind::token_wild(w) {
                Some(f) => f,
                None => return Bits::zeros(n),
            },
            Pred::Regex(r) => {
                let f = RawFind::regex(r.source(), r.regex());
                let cand = literal_prefilter(ds, ix, within.clone(), r.source(), false);
                return scan(ds, ix, &cand, &f);
            }
            _ => return Bits::zeros(n),
        };
        return scan(ds, ix, within, &f);
    }
    let test = RawTest::new(pred, now);
    // Cheap prefilters on the bytes: the key must appear, and so must the searched text.
    let mut cand = within.clone();
    if let Some(key) = segs
        .iter()
        .rev()
        .find(|s| !s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| RawFind::key(s))
    {
        cand = scan(ds, ix, &cand, &key);
    }
    let needle = match pred {
        Pred::Text(s) | Pred::Phrase(s) if !s.is_empty() => Some(RawFind::contains(s)),
        Pred::Wildcard(w) => {
            let lit = super::matcher::longest_literal(w);
            (lit.chars().count() >= 3).then(|| RawFind::contains(&lit))
        }
        _ => None,
    };
    if let Some(f) = needle {
        cand = scan(ds, ix, &cand, &f);
    }
    if let Pred::Regex(r) = pred {
        cand = literal_prefilter(ds, ix, cand, r.source(), true);
    }
    let mut out = Bits::zeros(n);
    let mut spans = Vec::new();
    for i in cand.iter() {
        let src = ds.doc(&ds.events[i]);
        spans.clear();
        lookup(src, 0, segs, 0, &mut spans);
        let hit = spans.iter().any(|&(s, e)| {
            let Some(b) = src.get(s..e) else {
                return false;
            };
            match test.test_plain_string(b) {
                Some(r) => r,
                None => Doc::parse(b).is_ok_and(|d| test.test(d.root())),
            }
        });
        if hit {
            out.set(i);
        }
    }
    out
}

/// Narrows `cand` to records containing every (up to three) literal the regex `src` requires
/// (a `memmem` pass each, much faster than the regex itself). `decoded`: the regex runs on
/// decoded JSON values, so look for the literals' escaped forms too.
pub(crate) fn literal_prefilter(
    ds: &Dataset,
    ix: &Index,
    mut cand: Bits,
    src: &str,
    decoded: bool,
) -> Bits {
    let (lits, ci) = required_literals(src);
    for lit in lits.iter().take(3) {
        if cand.none() {
            break;
        }
        let f = if decoded {
            RawFind::contains(lit)
        } else {
            RawFind::literal(lit, ci)
        };
        cand = scan(ds, ix, &cand, &f);
    }
    cand
}

fn skip_ws(src: &[u8], mut i: usize) -> usize {
    while src
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
    {
        i += 1;
    }
    i
}

fn key_eq(key: &[u8], seg: &str) -> bool {
    if key.contains(&b'\\') {
        crate::json::unescape(key) == seg
    } else {
        key == seg.as_bytes()
    }
}

/// The byte spans of the values at `segs` in the JSON text `src` (from the value at `i`),
/// with the same rules as [`walk`], skipping every member not on the path unparsed.
pub(crate) fn lookup(
    src: &[u8],
    i: usize,
    segs: &[String],
    depth: usize,
    out: &mut Vec<(usize, usize)>,
) {
    if depth > crate::json::MAX_DEPTH {
        return;
    }
    let i = skip_ws(src, i);
    let Some(&c) = src.get(i) else {
        return;
    };
    match (c, segs.split_first()) {
        (b'[', _) => {
            let index = segs
                .first()
                .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse::<usize>().ok());
            let mut j = skip_ws(src, i + 1);
            if src.get(j) == Some(&b']') {
                return;
            }
            let mut k = 0usize;
            loop {
                match index {
                    Some(want) if k == want => {
                        lookup(src, j, &segs[1..], depth + 1, out);
                        return;
                    }
                    Some(_) => {}
                    None => lookup(src, j, segs, depth + 1, out),
                }
                let Some(e) = skip_value(src, j) else {
                    return;
                };
                j = skip_ws(src, e);
                if src.get(j) != Some(&b',') {
                    return;
                }
                j += 1;
                k += 1;
            }
        }
        (b'{', Some((seg, rest))) => {
            let mut j = skip_ws(src, i + 1);
            loop {
                if src.get(j) != Some(&b'"') {
                    return;
                }
                let Some(ke) = skip_value(src, j) else {
                    return;
                };
                let key = src.get(j + 1..ke.saturating_sub(1)).unwrap_or_default();
                let mut v = skip_ws(src, ke);
                if src.get(v) != Some(&b':') {
                    return;
                }
                v = skip_ws(src, v + 1);
                if key_eq(key, seg) {
                    // The first member of that name, as `Val::get` does.
                    lookup(src, v, rest, depth + 1, out);
                    return;
                }
                let Some(e) = skip_value(src, v) else {
                    return;
                };
                j = skip_ws(src, e);
                if src.get(j) != Some(&b',') {
                    return;
                }
                j = skip_ws(src, j + 1);
            }
        }
        (_, None) => {
            if let Some(e) = skip_value(src, i) {
                out.push((i, e));
            }
        }
        _ => {}
    }
}

/// Collects the values at `segs`: object keys step in, digit segments index arrays, other
/// segments apply to every element of an array; arrays at the end are flattened.
pub(crate) fn walk<'d, 'a>(v: Val<'d, 'a>, segs: &[String], out: &mut Vec<Val<'d, 'a>>) {
    match segs.split_first() {
        None => {
            if v.kind() == Kind::Arr {
                for el in v.elements() {
                    walk(el, segs, out);
                }
            } else {
                out.push(v);
            }
        }
        Some((seg, rest)) => match v.kind() {
            Kind::Obj => {
                if let Some(c) = v.get(seg) {
                    walk(c, rest, out);
                }
            }
            Kind::Arr => match seg.parse::<usize>() {
                Ok(k) if seg.bytes().all(|b| b.is_ascii_digit()) => {
                    if let Some(c) = v.elements().nth(k) {
                        walk(c, rest, out);
                    }
                }
                _ => {
                    for el in v.elements() {
                        walk(el, segs, out);
                    }
                }
            },
            _ => {}
        },
    }
}

/// A predicate on raw JSON values.
pub(crate) enum RawTest {
    Str(StrMatch),
    /// Times: strings are parsed as timestamps, numbers as epochs.
    Time {
        lo: Option<(i64, bool)>,
        hi: Option<(i64, bool)>,
    },
    Never,
}

impl RawTest {
    pub fn new(pred: &Pred, now: i64) -> RawTest {
        let time = |v: &Value| match v {
            Value::Time(t) => Some(t.resolve(now)),
            _ => None,
        };
        match pred {
            // Raw values are untyped: words match inside them, like text fields.
            Pred::Text(s) | Pred::Phrase(s) => RawTest::Str(StrMatch::Contains(lower(s).into())),
            Pred::Wildcard(w) => RawTest::Str(StrMatch::wild(w, false)),
            Pred::Cmp(op, v @ Value::Time(_)) => {
                let t = time(v).unwrap_or_default();
                let (lo, hi) = match op {
                    CmpOp::Gt => (Some((t, false)), None),
                    CmpOp::Ge => (Some((t, true)), None),
                    CmpOp::Lt => (None, Some((t, false))),
                    CmpOp::Le => (None, Some((t, true))),
                };
                RawTest::Time { lo, hi }
            }
            Pred::Range {
                lo,
                hi,
                lo_incl,
                hi_incl,
            } if [lo, hi].iter().any(|b| matches!(b, Some(Value::Time(_)))) => {
                let b = |v: &Option<Value>, incl: bool| -> Result<Option<(i64, bool)>, ()> {
                    match v {
                        None => Ok(None),
                        Some(v) => time(v).map(|t| Some((t, incl))).ok_or(()),
                    }
                };
                match (b(lo, *lo_incl), b(hi, *hi_incl)) {
                    (Ok(lo), Ok(hi)) => RawTest::Time { lo, hi },
                    _ => RawTest::Never,
                }
            }
            Pred::Cidr(c) => RawTest::Str(StrMatch::Ip(IpTest::Cidr(*c))),
            Pred::IpRange(r) => RawTest::Str(StrMatch::Ip(IpTest::Range(*r))),
            other => RawTest::Str(StrMatch::for_field(other, crate::query::FieldKind::Keyword)),
        }
    }

    /// The test on a JSON string literal without escapes (`"text"`), without parsing it;
    /// `None` for anything else.
    pub fn test_plain_string(&self, b: &[u8]) -> Option<bool> {
        let RawTest::Str(m) = self else {
            return None;
        };
        let inner = b.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
        if inner.contains(&b'\\') || matches!(m, StrMatch::Num { .. }) {
            return None;
        }
        let t = std::str::from_utf8(inner).ok()?;
        Some(match m {
            StrMatch::Exists => !t.is_empty(),
            m => m.test(t, &lower(t)),
        })
    }

    /// Whether a value satisfies the test. Scalars are tested by their text (strings decoded,
    /// numbers as written); objects by their JSON text as written.
    pub fn test(&self, v: Val<'_, '_>) -> bool {
        match self {
            RawTest::Never => false,
            RawTest::Time { lo, hi } => {
                let t = match v.kind() {
                    Kind::Str => v
                        .as_str()
                        .and_then(|s| crate::time::parse_timestamp(&s))
                        .map(|t| t.nanos),
                    Kind::Num => v
                        .as_f64()
                        .and_then(crate::time::from_epoch_f64)
                        .map(|t| t.nanos),
                    _ => None,
                };
                t.is_some_and(|t| {
                    lo.is_none_or(|(b, incl)| if incl { t >= b } else { t > b })
                        && hi.is_none_or(|(b, incl)| if incl { t <= b } else { t < b })
                })
            }
            RawTest::Str(m) => {
                if let (StrMatch::Num { .. }, Kind::Num) = (m, v.kind()) {
                    return v.as_f64().is_some_and(|x| m.test_num(x));
                }
                if let StrMatch::Exists = m {
                    return !v.is_empty();
                }
                let text: Cow<'_, str> = match v.kind() {
                    Kind::Null => return false,
                    Kind::Obj | Kind::Arr => String::from_utf8_lossy(v.raw()),
                    _ => match v.as_text() {
                        Some(t) => t,
                        None => return false,
                    },
                };
                m.test(&text, &lower(&text))
            }
        }
    }
}
