//! The search index: dictionary-encoded columns over the event table.
//!
//! Every searchable string field gets a [`StrDict`] (its distinct values, in first-seen order,
//! with a lower-cased copy for case-insensitive matching) and a [`Col`] holding each event's
//! local value id, stored in the narrowest integer type that fits (most audit fields have a
//! few hundred distinct values, so most columns are one byte per event). Local id 0 is always
//! "absent" (the empty string).
//!
//! A predicate is evaluated once per distinct value ([`StrDict::eval`] → a small bitset over
//! local ids), then the column is scanned with a bitset lookup ([`Col::scan_into`]). Time needs
//! no column: events are sorted by time, so time ranges are binary searches over the event
//! table.

use std::borrow::Cow;
use std::net::IpAddr;

use memchr::memmem;

use super::bits::Bits;
use super::matcher::{lower, StrMatch};
use crate::model::{Activity, Category, Event, FailureKind, Interner, Outcome, PrincipalKind, Sym};
use crate::Dataset;

/// A set of local value ids of one dictionary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LocalSet {
    pub words: Vec<u64>,
    pub len: usize,
}

impl LocalSet {
    pub fn empty(len: usize) -> LocalSet {
        LocalSet {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    #[inline]
    pub fn has(&self, i: u32) -> bool {
        let i = i as usize;
        self.words
            .get(i >> 6)
            .is_some_and(|w| (w >> (i & 63)) & 1 == 1)
    }

    #[inline]
    pub fn add(&mut self, i: u32) {
        let i = i as usize;
        if i < self.len {
            self.words[i >> 6] |= 1 << (i & 63);
        }
    }

    pub fn remove(&mut self, i: u32) {
        let i = i as usize;
        if i < self.len {
            self.words[i >> 6] &= !(1 << (i & 63));
        }
    }

    pub fn is_none(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    fn only(&self) -> Option<u32> {
        if self.count() != 1 {
            return None;
        }
        self.words
            .iter()
            .enumerate()
            .find(|(_, w)| **w != 0)
            .map(|(k, w)| (k * 64) as u32 + w.trailing_zeros())
    }
}

/// One value id per event, in the narrowest width that fits the dictionary.
#[derive(Debug)]
pub(crate) enum Col {
    /// Every event has the same value.
    Const(u32),
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Col {
    fn from_u32(v: Vec<u32>, dict_len: usize) -> Col {
        match v.first() {
            None => return Col::Const(0),
            Some(&f) if v.iter().all(|x| *x == f) => return Col::Const(f),
            _ => {}
        }
        if dict_len <= 1 << 8 {
            Col::U8(v.iter().map(|x| *x as u8).collect())
        } else if dict_len <= 1 << 16 {
            Col::U16(v.iter().map(|x| *x as u16).collect())
        } else {
            Col::U32(v)
        }
    }

    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        match self {
            Col::Const(c) => *c,
            Col::U8(v) => v.get(i).map_or(0, |x| u32::from(*x)),
            Col::U16(v) => v.get(i).map_or(0, |x| u32::from(*x)),
            Col::U32(v) => v.get(i).copied().unwrap_or(0),
        }
    }

    pub fn bytes(&self) -> usize {
        match self {
            Col::Const(_) => 0,
            Col::U8(v) => v.capacity(),
            Col::U16(v) => v.capacity() * 2,
            Col::U32(v) => v.capacity() * 4,
        }
    }

    /// `out |= { i ∈ within : keep(col[i]) }`.
    pub fn scan_into(&self, keep: &LocalSet, within: &Bits, out: &mut Bits) {
        if keep.is_none() {
            return;
        }
        match self {
            Col::Const(c) => {
                if keep.has(*c) {
                    out.or(within);
                }
            }
            Col::U8(v) => {
                let mut lut = [0u8; 256];
                for (x, l) in lut.iter_mut().enumerate() {
                    *l = u8::from(keep.has(x as u32));
                }
                scan_words(within, out, |base, len| {
                    let mut m = 0u64;
                    for (j, x) in v[base..base + len].iter().enumerate() {
                        m |= u64::from(lut[*x as usize]) << j;
                    }
                    m
                });
            }
            Col::U16(v) => match keep.only() {
                Some(only) => {
                    let only = only as u16;
                    scan_words(within, out, |base, len| {
                        let mut m = 0u64;
                        for (j, x) in v[base..base + len].iter().enumerate() {
                            m |= u64::from(*x == only) << j;
                        }
                        m
                    })
                }
                None => scan_words(within, out, |base, len| {
                    let mut m = 0u64;
                    for (j, x) in v[base..base + len].iter().enumerate() {
                        m |= u64::from(keep.has(u32::from(*x))) << j;
                    }
                    m
                }),
            },
            Col::U32(v) => match keep.only() {
                Some(only) => scan_words(within, out, |base, len| {
                    let mut m = 0u64;
                    for (j, x) in v[base..base + len].iter().enumerate() {
                        m |= u64::from(*x == only) << j;
                    }
                    m
                }),
                None => scan_words(within, out, |base, len| {
                    let mut m = 0u64;
                    for (j, x) in v[base..base + len].iter().enumerate() {
                        m |= u64::from(keep.has(*x)) << j;
                    }
                    m
                }),
            },
        }
    }

    /// `counts[col[i]] += 1` for every `i` in `sel` (or every event when `sel` is `None`).
    pub fn count_into(&self, sel: Option<&Bits>, n: usize, counts: &mut [u64]) {
        fn go<T: Copy>(v: &[T], sel: Option<&Bits>, counts: &mut [u64], f: impl Fn(T) -> usize) {
            match sel {
                None => {
                    for x in v {
                        if let Some(c) = counts.get_mut(f(*x)) {
                            *c += 1;
                        }
                    }
                }
                Some(sel) => {
                    for (k, &w) in sel.words().iter().enumerate() {
                        if w == 0 {
                            continue;
                        }
                        let base = k * 64;
                        if w == u64::MAX {
                            for x in &v[base..(base + 64).min(v.len())] {
                                if let Some(c) = counts.get_mut(f(*x)) {
                                    *c += 1;
                                }
                            }
                            continue;
                        }
                        let mut w = w;
                        while w != 0 {
                            let j = w.trailing_zeros() as usize;
                            w &= w - 1;
                            if let Some(c) = v.get(base + j).and_then(|x| counts.get_mut(f(*x))) {
                                *c += 1;
                            }
                        }
                    }
                }
            }
        }
        match self {
            Col::Const(c) => {
                let k = sel.map_or(n, Bits::count) as u64;
                if let Some(slot) = counts.get_mut(*c as usize) {
                    *slot += k;
                }
            }
            Col::U8(v) => go(v, sel, counts, |x| x as usize),
            Col::U16(v) => go(v, sel, counts, |x| x as usize),
            Col::U32(v) => go(v, sel, counts, |x| x as usize),
        }
    }
}

/// Runs `f(base, len) -> match mask` for every word of `within` that has members, and ORs
/// `mask & within` into `out`.
#[inline]
fn scan_words(within: &Bits, out: &mut Bits, f: impl Fn(usize, usize) -> u64) {
    let n = within.len();
    let out = out.words_mut();
    for (k, &w) in within.words().iter().enumerate() {
        if w == 0 {
            continue;
        }
        let base = k * 64;
        let len = (n - base).min(64);
        out[k] |= f(base, len) & w;
    }
}

/// Where a dictionary's original (not lower-cased) texts live.
#[derive(Debug)]
pub(crate) enum Orig {
    /// Interned strings of the dataset.
    Syms(Vec<Sym>),
    /// Texts owned by the index (file names, format ids, IP addresses, enum names).
    Own(Vec<String>),
}

/// Dictionaries whose text is larger than this are not kept lower-cased: they are lowered in
/// chunks when searched (a few milliseconds per query instead of their size in memory; target
/// ids and names of a million events are tens of megabytes).
pub(crate) const ARENA_MAX: usize = 4 << 20;

/// Text lowered per chunk when a dictionary has no arena.
const CHUNK: usize = 256 << 10;

/// Memory/speed trade-offs of the index (tests shrink them to exercise every path).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub arena_max: usize,
    pub chunk: usize,
}

/// Lower-cased texts, each followed by a NUL byte (so substring hits never straddle two
/// entries), and the start of each entry (plus the end).
#[derive(Debug, Default)]
struct Arena {
    lower: Vec<u8>,
    off: Vec<u32>,
}

impl Arena {
    fn push(&mut self, t: &str) {
        self.off.push(self.lower.len() as u32);
        if t.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
            self.lower.extend_from_slice(t.to_lowercase().as_bytes());
        } else {
            self.lower.extend_from_slice(t.as_bytes());
        }
        self.lower.push(0);
    }

    fn seal(&mut self) {
        self.off.push(self.lower.len() as u32);
    }

    fn clear(&mut self) {
        self.lower.clear();
        self.off.clear();
    }

    fn entry(&self, i: usize) -> &str {
        match (self.off.get(i), self.off.get(i + 1)) {
            (Some(&a), Some(&b)) => {
                std::str::from_utf8(&self.lower[a as usize..b as usize - 1]).unwrap_or_default()
            }
            _ => "",
        }
    }

    /// Calls `f(first + entry, hit_is_at_entry_start)` once per entry containing the needle.
    fn hits(&self, finder: &memmem::Finder<'_>, first: u32, f: &mut impl FnMut(u32, bool)) {
        let mut pos = 0usize;
        let end = self.lower.len();
        while pos < end {
            let Some(h) = finder.find(&self.lower[pos..]) else {
                break;
            };
            let at = pos + h;
            // The entry containing `at`: the last start <= at.
            let i = self
                .off
                .partition_point(|&o| o as usize <= at)
                .saturating_sub(1);
            f(first + i as u32, self.off[i] as usize == at);
            pos = self.off.get(i + 1).map_or(end, |o| *o as usize);
        }
    }
}

/// The distinct values of one field. Entry 0 is the absent value (the empty string).
#[derive(Debug)]
pub(crate) struct StrDict {
    /// The lower-cased texts, for dictionaries of at most [`ARENA_MAX`] bytes.
    arena: Option<Arena>,
    orig: Orig,
    /// Bytes lowered per chunk when there is no arena.
    chunk: usize,
}

impl StrDict {
    fn new(orig: Orig, strings: &Interner, limits: Limits) -> StrDict {
        let mut d = StrDict {
            arena: None,
            orig,
            chunk: limits.chunk,
        };
        let size: usize = (0..d.len() as u32)
            .map(|i| d.text(i, strings).len() + 1)
            .sum();
        if size <= limits.arena_max {
            let mut a = Arena::default();
            a.lower.reserve(size);
            a.off.reserve(d.len() + 1);
            for i in 0..d.len() as u32 {
                a.push(d.text(i, strings));
            }
            a.seal();
            a.lower.shrink_to_fit();
            d.arena = Some(a);
        }
        d
    }

    /// Number of entries, including the absent entry 0.
    pub fn len(&self) -> usize {
        match &self.orig {
            Orig::Syms(s) => s.len(),
            Orig::Own(s) => s.len(),
        }
    }

    pub fn bytes(&self) -> usize {
        self.arena
            .as_ref()
            .map_or(0, |a| a.lower.capacity() + a.off.capacity() * 4)
            + match &self.orig {
                Orig::Syms(s) => s.capacity() * 4,
                Orig::Own(s) => s.iter().map(|x| x.capacity() + 24).sum(),
            }
    }

    /// The lower-cased text of entry `i`.
    pub fn lower<'a>(&'a self, i: u32, strings: &'a Interner) -> Cow<'a, str> {
        match &self.arena {
            Some(a) => Cow::Borrowed(a.entry(i as usize)),
            None => lower(self.text(i, strings)),
        }
    }

    /// The original text of entry `i`.
    pub fn text<'a>(&'a self, i: u32, strings: &'a Interner) -> &'a str {
        match &self.orig {
            Orig::Syms(s) => s.get(i as usize).map_or("", |s| strings.get(*s)),
            Orig::Own(s) => s.get(i as usize).map_or("", String::as_str),
        }
    }

    /// The entries whose value satisfies `m`.
    pub fn eval(&self, m: &StrMatch, strings: &Interner) -> LocalSet {
        let n = self.len();
        let mut set = LocalSet::empty(n);
        match m {
            StrMatch::Never => {}
            StrMatch::Exists => {
                for i in 1..n {
                    set.add(i as u32);
                }
            }
            StrMatch::Eq(needle) | StrMatch::Contains(needle) if needle.is_empty() => {
                if matches!(m, StrMatch::Eq(_)) {
                    set.add(0);
                } else {
                    for i in 0..n {
                        set.add(i as u32);
                    }
                }
            }
            StrMatch::Eq(needle) if !needle.contains('\0') => {
                self.hits(needle.as_bytes(), strings, |i, at_start| {
                    if at_start && self.lower(i, strings).len() == needle.len() {
                        set.add(i);
                    }
                });
            }
            StrMatch::Contains(needle) if !needle.contains('\0') => {
                self.hits(needle.as_bytes(), strings, |i, _| set.add(i));
            }
            StrMatch::Wild { lit, .. } if lit.len() >= 2 && !lit.contains('\0') => {
                // Every match contains the pattern's longest literal: test only those entries.
                self.hits(lit.as_bytes(), strings, |i, _| {
                    if m.test(self.text(i, strings), &self.lower(i, strings)) {
                        set.add(i);
                    }
                });
                if m.test("", "") {
                    set.add(0);
                }
            }
            _ => {
                for i in 0..n as u32 {
                    if m.test(self.text(i, strings), &self.lower(i, strings)) {
                        set.add(i);
                    }
                }
            }
        }
        set
    }

    /// Calls `f(entry, hit_is_at_entry_start)` once for each entry whose lower-cased text
    /// contains `needle` (non-empty, NUL-free), in entry order.
    fn hits(&self, needle: &[u8], strings: &Interner, mut f: impl FnMut(u32, bool)) {
        let finder = memmem::Finder::new(needle);
        if let Some(a) = &self.arena {
            a.hits(&finder, 0, &mut f);
            return;
        }
        let mut chunk = Arena::default();
        let mut first = 0u32;
        for i in 0..self.len() as u32 {
            chunk.push(self.text(i, strings));
            if chunk.lower.len() >= self.chunk {
                chunk.seal();
                chunk.hits(&finder, first, &mut f);
                chunk.clear();
                first = i + 1;
            }
        }
        chunk.seal();
        chunk.hits(&finder, first, &mut f);
    }
}

/// A dictionary-encoded field.
#[derive(Debug)]
pub(crate) struct StrField {
    pub dict: StrDict,
    pub col: Col,
}

impl StrField {
    pub fn bytes(&self) -> usize {
        self.dict.bytes() + self.col.bytes()
    }

    /// Events in `within` whose value satisfies `m`.
    pub fn eval(&self, m: &StrMatch, strings: &Interner, within: &Bits, out: &mut Bits) {
        let keep = self.dict.eval(m, strings);
        self.col.scan_into(&keep, within, out);
    }
}

/// A target beyond an event's first one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExtraTarget {
    pub event: u32,
    pub kind: u32,
    pub id: u32,
    pub name: u32,
}

/// Memory used by one part of the index.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndexPart {
    /// What it is (`action`, `target_id`, `raw_order`, …).
    pub name: &'static str,
    /// Distinct values (for dictionary-encoded fields).
    pub distinct: usize,
    /// Bytes held.
    pub bytes: usize,
}

/// The search index over a [`Dataset`]: build it after loading (and again after each further
/// load; [`Index::is_current`] tells), then query it with [`super::search`].
#[derive(Debug)]
pub struct Index {
    pub(crate) n: usize,
    pub(crate) files: usize,
    pub(crate) action: StrField,
    pub(crate) service: StrField,
    pub(crate) status_code: StrField,
    pub(crate) reason: StrField,
    pub(crate) actor: StrField,
    pub(crate) actor_id: StrField,
    pub(crate) user_agent: StrField,
    pub(crate) country: StrField,
    pub(crate) tenant: StrField,
    pub(crate) region: StrField,
    pub(crate) correlation: StrField,
    /// Source address: an IP's text or the source's text when it isn't an IP.
    pub(crate) src: StrField,
    /// Parallel to `src.dict`: the parsed IP of each entry.
    pub(crate) src_ips: Vec<Option<IpAddr>>,
    pub(crate) format: StrField,
    pub(crate) file: StrField,
    pub(crate) category: StrField,
    pub(crate) activity: StrField,
    pub(crate) outcome: StrField,
    pub(crate) failure: StrField,
    pub(crate) actor_kind: StrField,
    /// First target of each event.
    pub(crate) tgt_kind: StrField,
    pub(crate) tgt_id: StrField,
    pub(crate) tgt_name: StrField,
    /// Second and later targets, by event.
    pub(crate) extra_targets: Vec<ExtraTarget>,
    /// Events whose outcome is success / failure (for stacked histograms).
    pub(crate) success: Bits,
    pub(crate) failed: Bits,
    /// Events in the order of their documents in the file buffers, when that is not the
    /// event order itself (raw scans read buffers front to back).
    pub(crate) raw_order: Option<Vec<u32>>,
    /// Sort ranks of dictionary entries, computed on first use per field.
    pub(crate) ranks: std::sync::Mutex<Vec<(crate::query::Field, std::sync::Arc<Vec<u32>>)>>,
}

/// Maps interned symbols to local ids, reusing one scratch table across fields.
struct SymDicts {
    map: Vec<u32>,
    limits: Limits,
}

impl SymDicts {
    fn field(&mut self, ds: &Dataset, get: impl Fn(&Event) -> Sym) -> StrField {
        let mut syms = vec![Sym::NONE];
        let mut locals = Vec::with_capacity(ds.events.len());
        for e in &ds.events {
            locals.push(self.local(get(e), &mut syms));
        }
        self.finish(ds, syms, locals)
    }

    fn local(&mut self, s: Sym, syms: &mut Vec<Sym>) -> u32 {
        if s.is_none() {
            return 0;
        }
        let Some(slot) = self.map.get_mut(s.0 as usize) else {
            return 0;
        };
        if *slot == 0 {
            *slot = syms.len() as u32;
            syms.push(s);
        }
        *slot
    }

    fn finish(&mut self, ds: &Dataset, syms: Vec<Sym>, locals: Vec<u32>) -> StrField {
        for s in &syms {
            if let Some(slot) = self.map.get_mut(s.0 as usize) {
                *slot = 0;
            }
        }
        let col = Col::from_u32(locals, syms.len());
        StrField {
            dict: StrDict::new(Orig::Syms(syms), &ds.strings, self.limits),
            col,
        }
    }
}

fn enum_field<T: Copy>(
    ds: &Dataset,
    limits: Limits,
    all: &[T],
    name: impl Fn(T) -> &'static str,
    get: impl Fn(&Event) -> u8,
) -> StrField {
    let mut names = vec![String::new()];
    names.extend(all.iter().map(|v| name(*v).to_string()));
    let locals = ds.events.iter().map(|e| u32::from(get(e)) + 1).collect();
    StrField {
        col: Col::from_u32(locals, names.len()),
        dict: StrDict::new(Orig::Own(names), &ds.strings, limits),
    }
}

fn own_field(ds: &Dataset, limits: Limits, names: Vec<String>, locals: Vec<u32>) -> StrField {
    StrField {
        col: Col::from_u32(locals, names.len()),
        dict: StrDict::new(Orig::Own(names), &ds.strings, limits),
    }
}

impl Index {
    /// Builds the index over every event of `ds`. Linear in the number of events.
    pub fn build(ds: &Dataset) -> Index {
        Index::build_with(
            ds,
            Limits {
                arena_max: ARENA_MAX,
                chunk: CHUNK,
            },
        )
    }

    /// [`Index::build`] with a different limit for keeping dictionaries lower-cased and a
    /// different chunk size otherwise (for tests of both paths; results are the same).
    #[doc(hidden)]
    pub fn build_with_limits(ds: &Dataset, arena_max: usize, chunk: usize) -> Index {
        Index::build_with(
            ds,
            Limits {
                arena_max,
                chunk: chunk.max(1),
            },
        )
    }

    fn build_with(ds: &Dataset, limits: Limits) -> Index {
        let n = ds.events.len();
        let mut d = SymDicts {
            map: vec![0; ds.strings.len()],
            limits,
        };
        let action = d.field(ds, |e| e.action);
        let service = d.field(ds, |e| e.service);
        let status_code = d.field(ds, |e| e.status_code);
        let reason = d.field(ds, |e| e.reason);
        let actor = d.field(ds, |e| e.actor_name);
        let actor_id = d.field(ds, |e| e.actor_id);
        let user_agent = d.field(ds, |e| e.user_agent);
        let country = d.field(ds, |e| e.country);
        let tenant = d.field(ds, |e| e.tenant);
        let region = d.field(ds, |e| e.region);
        let correlation = d.field(ds, |e| e.correlation);

        // Targets: the first one per event in columns, the rest in a side list.
        let (mut ks, mut is, mut ns) = (vec![Sym::NONE], vec![Sym::NONE], vec![Sym::NONE]);
        let (mut kl, mut il, mut nl) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let mut extra = Vec::new();
        // Three scratch tables: ids of one dictionary must not leak into another.
        let mut dk = SymDicts {
            map: vec![0; ds.strings.len()],
            limits,
        };
        let mut di = SymDicts {
            map: vec![0; ds.strings.len()],
            limits,
        };
        for (ev, e) in ds.events.iter().enumerate() {
            let ts = ds.targets_of(e);
            match ts.first() {
                Some(t) => {
                    kl.push(dk.local(t.kind, &mut ks));
                    il.push(di.local(t.id, &mut is));
                    nl.push(d.local(t.name, &mut ns));
                }
                None => {
                    kl.push(0);
                    il.push(0);
                    nl.push(0);
                }
            }
            for t in ts.iter().skip(1) {
                extra.push(ExtraTarget {
                    event: ev as u32,
                    kind: dk.local(t.kind, &mut ks),
                    id: di.local(t.id, &mut is),
                    name: d.local(t.name, &mut ns),
                });
            }
        }
        let tgt_kind = dk.finish(ds, ks, kl);
        let tgt_id = di.finish(ds, is, il);
        drop((dk, di));
        let tgt_name = d.finish(ds, ns, nl);
        extra.shrink_to_fit();

        // Source: IP text or the source's own text.
        let mut src_names = vec![String::new()];
        let mut src_ips = vec![None];
        let mut by_ip: hashbrown::HashMap<IpAddr, u32> = hashbrown::HashMap::new();
        let mut raw_syms = vec![Sym::NONE];
        let mut raw_local: Vec<u32> = Vec::new();
        let mut src_l = Vec::with_capacity(n);
        for e in &ds.events {
            let l = match e.src_ip {
                Some(ip) => *by_ip.entry(ip).or_insert_with(|| {
                    src_names.push(ip.to_string());
                    src_ips.push(Some(ip));
                    (src_names.len() - 1) as u32
                }),
                None if e.src_raw.is_some() => {
                    let r = d.local(e.src_raw, &mut raw_syms) as usize;
                    if raw_local.len() <= r {
                        raw_local.resize(r + 1, 0);
                    }
                    if raw_local[r] == 0 {
                        src_names.push(ds.str(e.src_raw).to_string());
                        src_ips.push(None);
                        raw_local[r] = (src_names.len() - 1) as u32;
                    }
                    raw_local[r]
                }
                None => 0,
            };
            src_l.push(l);
        }
        for s in &raw_syms {
            if let Some(slot) = d.map.get_mut(s.0 as usize) {
                *slot = 0;
            }
        }
        drop(d);
        let src = own_field(ds, limits, src_names, src_l);
        src_ips.shrink_to_fit();

        // Format and file: few distinct values.
        let fmts = crate::formats::all();
        let mut fmt_local = vec![0u32; fmts.len()];
        let mut fmt_names = vec![String::new()];
        let format_l = ds
            .events
            .iter()
            .map(|e| {
                let f = e.format as usize;
                match fmt_local.get_mut(f) {
                    Some(slot) => {
                        if *slot == 0 {
                            fmt_names.push(fmts[f].id().to_string());
                            *slot = (fmt_names.len() - 1) as u32;
                        }
                        *slot
                    }
                    None => 0,
                }
            })
            .collect();
        let format = own_field(ds, limits, fmt_names, format_l);
        let mut file_names = vec![String::new()];
        file_names.extend(ds.files.iter().map(|f| f.summary.path.clone()));
        let file_l = ds.events.iter().map(|e| e.src.file + 1).collect();
        let file = own_field(ds, limits, file_names, file_l);

        let category = enum_field(ds, limits, Category::ALL, Category::name, |e| {
            e.category as u8
        });
        let activity = enum_field(ds, limits, Activity::ALL, Activity::name, |e| {
            e.activity as u8
        });
        let outcome = enum_field(ds, limits, Outcome::ALL, Outcome::name, |e| e.outcome as u8);
        let failure = enum_field(ds, limits, FailureKind::ALL, FailureKind::name, |e| {
            e.failure as u8
        });
        let actor_kind = enum_field(ds, limits, PrincipalKind::ALL, PrincipalKind::name, |e| {
            e.actor_kind as u8
        });

        let mut success = Bits::zeros(n);
        let mut failed = Bits::zeros(n);
        for (i, e) in ds.events.iter().enumerate() {
            match e.outcome {
                Outcome::Success => success.set(i),
                Outcome::Failure => failed.set(i),
                Outcome::Unknown => {}
            }
        }

        Index {
            n,
            files: ds.files.len(),
            action,
            service,
            status_code,
            reason,
            actor,
            actor_id,
            user_agent,
            country,
            tenant,
            region,
            correlation,
            src,
            src_ips,
            format,
            file,
            category,
            activity,
            outcome,
            failure,
            actor_kind,
            tgt_kind,
            tgt_id,
            tgt_name,
            extra_targets: extra,
            success,
            failed,
            raw_order: raw_order(ds),
            ranks: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Whether the index was built from `ds` as it is now (same events and files).
    pub fn is_current(&self, ds: &Dataset) -> bool {
        self.n == ds.events.len() && self.files == ds.files.len()
    }

    /// Number of indexed events.
    pub fn len(&self) -> usize {
        self.n
    }

    /// True when no events are indexed.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    fn fields(&self) -> [(&'static str, &StrField); 22] {
        [
            ("action", &self.action),
            ("service", &self.service),
            ("status_code", &self.status_code),
            ("reason", &self.reason),
            ("actor", &self.actor),
            ("actor_id", &self.actor_id),
            ("user_agent", &self.user_agent),
            ("country", &self.country),
            ("tenant", &self.tenant),
            ("region", &self.region),
            ("correlation", &self.correlation),
            ("src_ip", &self.src),
            ("format", &self.format),
            ("file", &self.file),
            ("category", &self.category),
            ("activity", &self.activity),
            ("outcome", &self.outcome),
            ("failure_kind", &self.failure),
            ("actor_kind", &self.actor_kind),
            ("target_type", &self.tgt_kind),
            ("target_id", &self.tgt_id),
            ("target_name", &self.tgt_name),
        ]
    }

    /// Memory held by each part of the index.
    pub fn memory(&self) -> Vec<IndexPart> {
        let mut parts: Vec<IndexPart> = self
            .fields()
            .iter()
            .map(|(name, f)| IndexPart {
                name,
                distinct: f.dict.len() - 1,
                bytes: f.bytes(),
            })
            .collect();
        parts.push(IndexPart {
            name: "src_ip_table",
            distinct: self.src_ips.len().saturating_sub(1),
            bytes: self.src_ips.capacity() * std::mem::size_of::<Option<IpAddr>>(),
        });
        parts.push(IndexPart {
            name: "extra_targets",
            distinct: self.extra_targets.len(),
            bytes: self.extra_targets.capacity() * std::mem::size_of::<ExtraTarget>(),
        });
        parts.push(IndexPart {
            name: "outcome_bits",
            distinct: 2,
            bytes: (self.success.words().len() + self.failed.words().len()) * 8,
        });
        parts.push(IndexPart {
            name: "raw_order",
            distinct: 0,
            bytes: self.raw_order.as_ref().map_or(0, |v| v.capacity() * 4),
        });
        parts
    }

    /// Total bytes held by the index.
    pub fn memory_bytes(&self) -> usize {
        self.memory().iter().map(|p| p.bytes).sum()
    }
}

/// Where an event's document lives: (file, in side buffer, start, end).
pub(crate) fn doc_loc(e: &Event) -> (u32, bool, usize, usize) {
    let s = e.src.doc_start as usize;
    (e.src.file, e.src.doc_in_side, s, s + e.src.doc_len as usize)
}

/// The events in buffer order, or `None` when that is the event order already.
fn raw_order(ds: &Dataset) -> Option<Vec<u32>> {
    let key = |e: &Event| {
        let (f, side, s, _) = doc_loc(e);
        (f, side, s)
    };
    let sorted = ds.events.windows(2).all(|w| key(&w[0]) <= key(&w[1]));
    if sorted {
        return None;
    }
    let mut order: Vec<u32> = (0..ds.events.len() as u32).collect();
    order.sort_unstable_by_key(|&i| key(&ds.events[i as usize]));
    Some(order)
}
