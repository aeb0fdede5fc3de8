//! Value predicates ([`StrMatch`], one per query term and field) and finders over the raw
//! records' text ([`RawFind`]).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt::Write as _;
use std::net::IpAddr;

use memchr::memmem;

use crate::query::{
    Cidr, CmpOp, FieldKind, IpRange, Pred, Value, WildPart, Wildcard, REGEX_DFA_SIZE_LIMIT,
    REGEX_SIZE_LIMIT,
};

/// Characters that separate tokens for wildcard matching in free text: white space and the
/// punctuation that delimits values in JSON, CSV and messages. `.`, `@`, `-`, `_`, `/` and `:`
/// stay inside tokens so that e-mail addresses, host names, ARNs, paths and IPs are one token.
pub(crate) const SEP_PUNCT: &str = "\"'`,;()[]{}<>=|\\";

/// The same set as a regex class body (inside `[…]`).
const SEP_CLASS: &str = r#"\s"'`,;()\[\]{}<>=|\\"#;

pub(crate) fn is_sep(c: char) -> bool {
    c.is_whitespace() || SEP_PUNCT.contains(c)
}

/// The tokens of `s`: maximal runs of non-separator characters.
pub(crate) fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_sep).filter(|t| !t.is_empty())
}

/// `s` lower-cased, borrowed when it already is.
pub(crate) fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// An IP test.
#[derive(Debug, Clone, Copy)]
pub(crate) enum IpTest {
    Cidr(Cidr),
    Range(IpRange),
}

impl IpTest {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match self {
            IpTest::Cidr(c) => c.contains(ip),
            IpTest::Range(r) => r.contains(ip),
        }
    }
}

/// A bound of a comparison: the value and whether it is included.
type Bound<T> = Option<(T, bool)>;

/// A predicate over one text value. An absent value is the empty string.
#[derive(Debug, Clone)]
pub(crate) enum StrMatch {
    /// Matches nothing.
    Never,
    /// The value is present (non-empty).
    Exists,
    /// The whole value equals the (lower-cased) text, ignoring case.
    Eq(String),
    /// The value contains the (lower-cased) text, ignoring case.
    Contains(String),
    /// The whole value (or, with `tokens`, any of its tokens) matches the pattern; `lit` is
    /// the pattern's longest literal, lower-cased, which every match contains.
    Wild {
        w: Wildcard,
        tokens: bool,
        lit: String,
    },
    /// The regex matches somewhere in the value (case-sensitive unless the pattern says).
    Regex(regex::Regex),
    /// The value is a number within the bounds.
    Num { lo: Bound<f64>, hi: Bound<f64> },
    /// The value is between the bounds as text (byte order).
    Text {
        lo: Bound<String>,
        hi: Bound<String>,
    },
    /// The value is an IP inside the network or range.
    Ip(IpTest),
}

impl StrMatch {
    /// The test a term applies to a normalized field of the given kind.
    pub fn for_field(pred: &Pred, kind: FieldKind) -> StrMatch {
        match pred {
            Pred::Text(s) | Pred::Phrase(s) => match kind {
                FieldKind::Text => StrMatch::Contains(lower(s).into_owned()),
                _ => StrMatch::Eq(lower(s).into_owned()),
            },
            Pred::Wildcard(w) => StrMatch::wild(w, kind == FieldKind::Text),
            Pred::Regex(r) => StrMatch::Regex(r.regex().clone()),
            Pred::Cidr(c) => StrMatch::Ip(IpTest::Cidr(*c)),
            Pred::IpRange(r) => StrMatch::Ip(IpTest::Range(*r)),
            Pred::Exists => StrMatch::Exists,
            Pred::Cmp(op, v) => {
                let (lo, hi) = match op {
                    CmpOp::Gt => (Some((v, false)), None),
                    CmpOp::Ge => (Some((v, true)), None),
                    CmpOp::Lt => (None, Some((v, false))),
                    CmpOp::Le => (None, Some((v, true))),
                };
                StrMatch::bounds(lo, hi)
            }
            Pred::Range {
                lo,
                hi,
                lo_incl,
                hi_incl,
            } => StrMatch::bounds(
                lo.as_ref().map(|v| (v, *lo_incl)),
                hi.as_ref().map(|v| (v, *hi_incl)),
            ),
        }
    }

    /// The test free text applies to each normalized value.
    pub fn for_free_text(pred: &Pred) -> StrMatch {
        match pred {
            Pred::Text(s) | Pred::Phrase(s) => StrMatch::Contains(lower(s).into_owned()),
            Pred::Wildcard(w) => StrMatch::wild(w, true),
            Pred::Regex(r) => StrMatch::Regex(r.regex().clone()),
            Pred::Exists => StrMatch::Exists,
            _ => StrMatch::Never,
        }
    }

    pub fn wild(w: &Wildcard, tokens: bool) -> StrMatch {
        StrMatch::Wild {
            w: w.clone(),
            tokens,
            lit: longest_literal(w),
        }
    }

    fn bounds(lo: Option<(&Value, bool)>, hi: Option<(&Value, bool)>) -> StrMatch {
        let num = |b: Option<(&Value, bool)>| match b {
            None => Ok(None),
            Some((Value::Number(n), incl)) => Ok(Some((*n, incl))),
            Some(_) => Err(()),
        };
        if let (Ok(lo), Ok(hi)) = (num(lo), num(hi)) {
            return StrMatch::Num { lo, hi };
        }
        let text = |b: Option<(&Value, bool)>| match b {
            None => Ok(None),
            Some((Value::Text(t), incl)) => Ok(Some((t.clone(), incl))),
            Some(_) => Err(()),
        };
        match (text(lo), text(hi)) {
            (Ok(lo), Ok(hi)) => StrMatch::Text { lo, hi },
            // Times only compare on `time` and raw paths.
            _ => StrMatch::Never,
        }
    }

    /// Whether a value matches; `lower` is `orig` lower-cased.
    pub fn test(&self, orig: &str, lower: &str) -> bool {
        match self {
            StrMatch::Never => false,
            StrMatch::Exists => !orig.is_empty(),
            StrMatch::Eq(n) => lower == n,
            StrMatch::Contains(n) => lower.contains(n.as_str()),
            StrMatch::Wild { w, tokens: t, .. } => {
                w.matches(orig) || (*t && tokens(orig).any(|tok| w.matches(tok)))
            }
            StrMatch::Regex(r) => r.is_match(orig),
            StrMatch::Num { lo, hi } => parse_num(orig).is_some_and(|v| within(v, lo, hi)),
            StrMatch::Text { lo, hi } => {
                lo.as_ref().is_none_or(|(b, incl)| {
                    accepts(
                        orig.cmp(b.as_str()),
                        if *incl { CmpOp::Ge } else { CmpOp::Gt },
                    )
                }) && hi.as_ref().is_none_or(|(b, incl)| {
                    accepts(
                        orig.cmp(b.as_str()),
                        if *incl { CmpOp::Le } else { CmpOp::Lt },
                    )
                })
            }
            StrMatch::Ip(t) => orig.trim().parse::<IpAddr>().is_ok_and(|ip| t.contains(ip)),
        }
    }

    /// Whether a number satisfies a numeric test (used for raw JSON numbers).
    pub fn test_num(&self, v: f64) -> bool {
        match self {
            StrMatch::Num { lo, hi } => v.is_finite() && within(v, lo, hi),
            _ => false,
        }
    }
}

fn accepts(ord: Ordering, op: CmpOp) -> bool {
    op.accepts(ord)
}

fn within(v: f64, lo: &Bound<f64>, hi: &Bound<f64>) -> bool {
    let ok_lo = lo.is_none_or(|(b, incl)| if incl { v >= b } else { v > b });
    let ok_hi = hi.is_none_or(|(b, incl)| if incl { v <= b } else { v < b });
    ok_lo && ok_hi
}

/// A finite number written as text (`403`, ` 4.5 `, `1e3`).
pub(crate) fn parse_num(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The longest literal piece of a pattern, lower-cased.
pub(crate) fn longest_literal(w: &Wildcard) -> String {
    w.parts()
        .iter()
        .filter_map(|p| match p {
            WildPart::Lit(s) => Some(lower(s).into_owned()),
            _ => None,
        })
        .max_by_key(|s| s.len())
        .unwrap_or_default()
}

/// ASCII substring search, optionally ignoring ASCII case, in safe portable code: a "packed
/// pair" filter tests two rare needle bytes at eight positions at once in a `u64`, then
/// candidates are checked exactly. On wasm32 (no SIMD substring search there) this is several
/// times faster than the regex engine for case-insensitive needles.
#[derive(Debug, Clone)]
pub(crate) struct PairFinder {
    /// The needle (lower-cased when ignoring case).
    needle: Vec<u8>,
    fold: bool,
    /// Needle offsets of the two filter bytes, their values and the OR-masks that fold case.
    i1: usize,
    i2: usize,
    w1: u64,
    w2: u64,
    f1: u64,
    f2: u64,
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Rough commonness of a byte in JSON audit records (higher: more common).
fn byte_rank(b: u8) -> u8 {
    match b.to_ascii_lowercase() {
        b'"' | b':' | b',' | b'e' | b't' | b'a' | b'0' | b'-' => 9,
        b'o' | b'i' | b'n' | b's' | b'r' | b'1' | b'2' | b'.' | b' ' => 8,
        b'c' | b'd' | b'l' | b'u' | b'm' | b'p' | b'3' | b'4' | b'5' => 7,
        b'6' | b'7' | b'8' | b'9' | b'h' | b'g' | b'f' | b'b' | b'y' | b'/' | b'_' => 6,
        b'w' | b'v' | b'k' | b'@' | b'{' | b'}' => 4,
        b'x' | b'q' | b'j' | b'z' => 2,
        _ => 3,
    }
}

impl PairFinder {
    /// `needle` must be non-empty ASCII.
    pub fn new(needle: &[u8], fold: bool) -> PairFinder {
        let needle: Vec<u8> = if fold {
            needle.to_ascii_lowercase()
        } else {
            needle.to_vec()
        };
        // The rarest byte, then the rarest other byte (preferring distance between them).
        let by_rank = |skip: Option<usize>| {
            (0..needle.len())
                .filter(|i| Some(*i) != skip)
                .min_by_key(|i| (byte_rank(needle[*i]), usize::MAX - i))
        };
        let i1 = by_rank(None).unwrap_or(0);
        let i2 = by_rank(Some(i1)).unwrap_or(i1);
        let mask = |b: u8| {
            if fold && b.is_ascii_alphabetic() {
                0x2020_2020_2020_2020
            } else {
                0
            }
        };
        PairFinder {
            w1: LO * u64::from(needle[i1]),
            w2: LO * u64::from(needle[i2]),
            f1: mask(needle[i1]),
            f2: mask(needle[i2]),
            i1,
            i2,
            needle,
            fold,
        }
    }

    pub fn len(&self) -> usize {
        self.needle.len()
    }

    #[inline]
    fn at(&self, hay: &[u8], s: usize) -> bool {
        hay.get(s..s + self.needle.len()).is_some_and(|w| {
            if self.fold {
                w.eq_ignore_ascii_case(&self.needle)
            } else {
                w == self.needle.as_slice()
            }
        })
    }

    /// The start of the first match at or after `pos`.
    pub fn find_from(&self, hay: &[u8], pos: usize) -> Option<usize> {
        let n = self.needle.len();
        if n == 0 || hay.len() < n || pos > hay.len() - n {
            return None;
        }
        let last = hay.len() - n;
        // Byte by byte from a slice of known length: one 8-byte load once optimized, and no
        // `memcpy` call in size-optimized wasm builds.
        let word = |i: usize| -> u64 {
            let b = &hay[i..i + 8];
            u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        };
        let mut s = pos;
        let reach = self.i1.max(self.i2) + 8;
        while s + reach <= hay.len() {
            let x = ((word(s + self.i1) | self.f1) ^ self.w1)
                | ((word(s + self.i2) | self.f2) ^ self.w2);
            let mut z = x.wrapping_sub(LO) & !x & HI;
            while z != 0 {
                let c = s + (z.trailing_zeros() / 8) as usize;
                if c <= last && self.at(hay, c) {
                    return Some(c);
                }
                z &= z - 1;
            }
            s += 8;
        }
        (s..=last).find(|&c| self.at(hay, c))
    }
}

/// A search over the raw records' bytes (the JSON text as written).
#[derive(Debug, Clone)]
pub(crate) enum RawFind {
    /// Every record matches.
    All,
    /// A byte string (needles without letters need no case folding).
    Lit(Box<memmem::Finder<'static>>),
    /// An ASCII string, possibly ignoring case, found with the portable [`PairFinder`].
    Pair(Box<PairFinder>),
    /// A regex over the bytes; `per_doc` when it must see each record on its own (anchors).
    /// `contained` (non-zero) when a match that ends at least that many bytes into a record
    /// can't have started before it (it can't hold the record's opening `{` there), so the
    /// match needs no second look.
    Re {
        re: regex::bytes::Regex,
        per_doc: bool,
        contained: u8,
    },
    /// A regex that only compiles for `str` (never expected; kept so a term is never dropped).
    StrRe(regex::Regex),
    /// Lower-cased substring, record by record (the fallback when a needle's regex is too big).
    Lower(String),
}

impl RawFind {
    /// Case-insensitive substring, also matching the JSON-escaped forms of characters that
    /// encoders escape (`/` as `\/`, `"` as `\"`, `<` as `\u003c`, non-ASCII as `\uXXXX`, …).
    pub fn contains(needle: &str) -> RawFind {
        if needle.is_empty() {
            return RawFind::All;
        }
        let plain = needle
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_control() && !needs_alt(b));
        if plain
            && !needle.bytes().any(|b| b.is_ascii_alphabetic())
            && !cfg!(target_arch = "wasm32")
        {
            return RawFind::Lit(Box::new(
                memmem::Finder::new(needle.as_bytes()).into_owned(),
            ));
        }
        if plain && cfg!(target_arch = "wasm32") {
            // No SIMD substring search in wasm: the portable pair filter is faster there.
            return RawFind::Pair(Box::new(PairFinder::new(needle.as_bytes(), true)));
        }
        let mut pat = String::new();
        let mut run = String::new();
        let flush = |pat: &mut String, run: &mut String| {
            if !run.is_empty() {
                let _ = write!(pat, "(?i-u:{})", regex::escape(run));
                run.clear();
            }
        };
        for c in needle.chars() {
            if c.is_ascii() && !c.is_ascii_control() && !needs_alt(c as u8) {
                run.push(c);
                continue;
            }
            flush(&mut pat, &mut run);
            pat.push_str(&json_char_alternatives(c));
        }
        flush(&mut pat, &mut run);
        match compile_bytes(&pat, false) {
            // The pattern only matches the needle's characters (or their escapes), so it
            // can't cover a `{` unless the needle has one.
            Some(f) if !needle.contains('{') => contained(f, 1),
            Some(f) => f,
            None => RawFind::Lower(lower(needle).into_owned()),
        }
    }

    /// A wildcard matched against the tokens of the JSON text; `None` when no token can match
    /// (a literal piece holds a separator).
    pub fn token_wild(w: &Wildcard) -> Option<RawFind> {
        let mut body = String::new();
        for p in w.parts() {
            match p {
                WildPart::Lit(s) => {
                    if s.chars().any(is_sep) {
                        return None;
                    }
                    for c in s.chars() {
                        if c.is_ascii() {
                            let _ = write!(body, "(?i-u:{})", regex::escape(&c.to_string()));
                        } else {
                            let _ = write!(body, "(?i:{})", regex::escape(&c.to_string()));
                        }
                    }
                }
                WildPart::Any => {
                    let _ = write!(body, "[^{SEP_CLASS}]*");
                }
                WildPart::One => {
                    let _ = write!(body, "[^{SEP_CLASS}]");
                }
            }
        }
        let pat = format!("(?:^|[{SEP_CLASS}]){body}(?:$|[{SEP_CLASS}])");
        // Separators (`{` among them) only open and close a match: a match that reaches two
        // bytes into a record can't have started before it.
        compile_bytes(&pat, false).map(|f| contained(f, 2))
    }

    /// A user regex over the JSON text as written.
    pub fn regex(src: &str, fallback: &regex::Regex) -> RawFind {
        // Anchors must see one record at a time; everything else can scan runs of records.
        let per_doc = src.contains('^')
            || src.contains('$')
            || src.contains("\\A")
            || src.contains("\\z")
            || src.contains("\\Z");
        compile_bytes(src, per_doc).unwrap_or_else(|| RawFind::StrRe(fallback.clone()))
    }

    /// A literal as written, ignoring case (Unicode rules), for regex prefilters.
    pub fn literal(lit: &str, ignore_case: bool) -> RawFind {
        if cfg!(target_arch = "wasm32") && lit.is_ascii() && !lit.is_empty() {
            return RawFind::Pair(Box::new(PairFinder::new(lit.as_bytes(), ignore_case)));
        }
        if !ignore_case || !lit.chars().any(char::is_alphabetic) {
            return RawFind::Lit(Box::new(memmem::Finder::new(lit.as_bytes()).into_owned()));
        }
        compile_bytes(&format!("(?i){}", regex::escape(lit)), false)
            .unwrap_or_else(|| RawFind::Lower(lower(lit).into_owned()))
    }

    /// The JSON text of an object key, `"key"`, when it needs no escaping.
    pub fn key(seg: &str) -> Option<RawFind> {
        let quoted = serde_json::to_string(seg).ok()?;
        if quoted.len() != seg.len() + 2 || seg.is_empty() {
            return None;
        }
        if cfg!(target_arch = "wasm32") && quoted.is_ascii() {
            return Some(RawFind::Pair(Box::new(PairFinder::new(
                quoted.as_bytes(),
                false,
            ))));
        }
        Some(RawFind::Lit(Box::new(
            memmem::Finder::new(quoted.as_bytes()).into_owned(),
        )))
    }

    /// Must records be searched one by one (not as runs of adjacent records)?
    pub fn per_doc(&self) -> bool {
        matches!(
            self,
            RawFind::Re { per_doc: true, .. } | RawFind::StrRe(_) | RawFind::Lower(_)
        )
    }

    pub fn is_match(&self, hay: &[u8]) -> bool {
        match self {
            RawFind::All => true,
            RawFind::Lit(f) => f.find(hay).is_some(),
            RawFind::Pair(f) => f.find_from(hay, 0).is_some(),
            RawFind::Re { re, .. } => re.is_match(hay),
            RawFind::StrRe(re) => std::str::from_utf8(hay).is_ok_and(|s| re.is_match(s)),
            RawFind::Lower(n) => String::from_utf8_lossy(hay)
                .to_lowercase()
                .contains(n.as_str()),
        }
    }

    /// The end of the earliest-ending match that starts at or after `pos` (the engine stops
    /// there, without extending the match).
    pub fn find_end_at(&self, hay: &[u8], pos: usize) -> Option<usize> {
        if pos > hay.len() {
            return None;
        }
        match self {
            RawFind::All => Some(pos),
            RawFind::Lit(f) => f.find(&hay[pos..]).map(|i| pos + i + f.needle().len()),
            RawFind::Pair(f) => f.find_from(hay, pos).map(|i| i + f.len()),
            RawFind::Re { re, .. } => re.shortest_match_at(hay, pos),
            RawFind::StrRe(re) => {
                let s = std::str::from_utf8(hay).ok()?;
                if !s.is_char_boundary(pos) {
                    return None;
                }
                re.shortest_match_at(s, pos)
            }
            RawFind::Lower(_) => self.is_match(&hay[pos..]).then_some(hay.len()),
        }
    }

    /// Whether a match ending at `end`, inside the record that starts at `start` (with `{`),
    /// certainly started inside it too.
    pub fn starts_inside(&self, hay: &[u8], start: usize, end: usize) -> bool {
        match self {
            RawFind::Lit(f) => end >= start + f.needle().len(),
            RawFind::Pair(f) => end >= start + f.len(),
            RawFind::Re { contained, .. } if *contained > 0 => {
                end >= start + usize::from(*contained) && hay.get(start) == Some(&b'{')
            }
            _ => false,
        }
    }
}

/// Literal strings that every match of the regex `src` contains, longest first, and whether
/// they must be compared ignoring case. Conservative: anything not understood (alternation,
/// nested classes, `\x`/`\p` escapes, verbose mode) gives no literals, never wrong ones.
pub(crate) fn required_literals(src: &str) -> (Vec<String>, bool) {
    let none = (Vec::new(), false);
    let c: Vec<char> = src.chars().collect();
    let mut ci = false;
    let mut lits: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut groups: Vec<usize> = Vec::new();
    let finish = |run: &mut String, lits: &mut Vec<String>| {
        if !run.is_empty() {
            lits.push(std::mem::take(run));
        }
    };
    let mut i = 0;
    while i < c.len() {
        let (atom, next): (Option<char>, usize) = match c[i] {
            '\\' => match c.get(i + 1) {
                Some(d) if "dDwWsSbBAz".contains(*d) => (None, i + 2),
                Some(d) if d.is_ascii_alphanumeric() => return none,
                Some(d) => (Some(*d), i + 2),
                None => return none,
            },
            '[' => {
                let mut j = i + 1;
                if c.get(j) == Some(&'^') {
                    j += 1;
                }
                if c.get(j) == Some(&']') {
                    j += 1;
                }
                while j < c.len() && c[j] != ']' {
                    match c[j] {
                        '\\' => j += 2,
                        '[' => return none,
                        _ => j += 1,
                    }
                }
                if j >= c.len() {
                    return none;
                }
                (None, j + 1)
            }
            '(' => {
                finish(&mut run, &mut lits);
                if c.get(i + 1) != Some(&'?') {
                    groups.push(lits.len());
                    i += 1;
                    continue;
                }
                if matches!(c.get(i + 2), Some('P' | '<')) {
                    // Named group: skip the name.
                    let Some(gt) = c[i..].iter().position(|x| *x == '>') else {
                        return none;
                    };
                    groups.push(lits.len());
                    i += gt + 1;
                    continue;
                }
                let mut j = i + 2;
                let mut on = true;
                while j < c.len() && c[j] != ':' && c[j] != ')' {
                    match c[j] {
                        '-' => on = false,
                        'x' => return none,
                        'i' if on => ci = true,
                        _ => {}
                    }
                    j += 1;
                }
                match c.get(j) {
                    Some(':') => groups.push(lits.len()),
                    Some(')') => {}
                    _ => return none,
                }
                i = j + 1;
                continue;
            }
            ')' => {
                finish(&mut run, &mut lits);
                let Some(mark) = groups.pop() else {
                    return none;
                };
                let (optional, _, after) = quantifier(&c, i + 1);
                if optional {
                    lits.truncate(mark);
                }
                i = after;
                continue;
            }
            '|' => return none,
            '?' | '*' | '+' | '{' => return none,
            '.' | '^' | '$' => (None, i + 1),
            ch => (Some(ch), i + 1),
        };
        let (optional, repeats, after) = quantifier(&c, next);
        match atom {
            Some(ch) if !optional => {
                run.push(ch);
                if repeats {
                    finish(&mut run, &mut lits);
                }
            }
            _ => finish(&mut run, &mut lits),
        }
        i = after;
    }
    finish(&mut run, &mut lits);
    if !groups.is_empty() {
        return none;
    }
    let mut lits: Vec<String> = lits
        .into_iter()
        .map(|l| if ci { lower(&l).into_owned() } else { l })
        .filter(|l| l.len() >= 3)
        .collect();
    lits.sort_by_key(|l| std::cmp::Reverse(l.len()));
    (lits, ci)
}

/// The quantifier at `i`, if any: (may match zero times, may repeat, index after it).
fn quantifier(c: &[char], i: usize) -> (bool, bool, usize) {
    let (opt, rep, mut next) = match c.get(i) {
        Some('?') => (true, false, i + 1),
        Some('*') => (true, true, i + 1),
        Some('+') => (false, true, i + 1),
        Some('{') => {
            let Some(close) = c[i..].iter().position(|x| *x == '}') else {
                return (true, true, i + 1);
            };
            let body: String = c[i + 1..i + close].iter().collect();
            let (lo, hi) = match body.split_once(',') {
                Some((a, b)) => (a.trim().to_string(), Some(b.trim().to_string())),
                None => (body.trim().to_string(), None),
            };
            let Ok(lo) = lo.parse::<u32>() else {
                return (true, true, i + close + 1);
            };
            // `{n}` is exactly n, `{n,}` unbounded, `{n,m}` at most m.
            let at_most_one = match hi.as_deref() {
                None => lo <= 1,
                Some(h) => h == "1" || h == "0",
            };
            (lo == 0, !at_most_one, i + close + 1)
        }
        _ => (false, false, i),
    };
    if (opt || rep) && c.get(next) == Some(&'?') {
        next += 1; // lazy
    }
    (opt, rep, next)
}

fn compile_bytes(pat: &str, per_doc: bool) -> Option<RawFind> {
    regex::bytes::RegexBuilder::new(pat)
        .size_limit(REGEX_SIZE_LIMIT * 4)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT * 4)
        .build()
        .ok()
        .map(|re| RawFind::Re {
            re,
            per_doc,
            contained: 0,
        })
}

/// Marks a finder whose matches can't hold a `{` except as their last byte (`min_end` 2) or
/// at all (`min_end` 1).
fn contained(f: RawFind, min_end: u8) -> RawFind {
    match f {
        RawFind::Re { re, per_doc, .. } => RawFind::Re {
            re,
            per_doc,
            contained: min_end,
        },
        other => other,
    }
}

/// ASCII characters that JSON encoders may write escaped.
fn needs_alt(b: u8) -> bool {
    matches!(b, b'"' | b'\\' | b'/' | b'<' | b'>' | b'&' | b'\'')
}

/// A regex matching `c` as written or as any of its JSON escapes (and, for letters, those of
/// its other case).
fn json_char_alternatives(c: char) -> String {
    let mut alts = vec![format!("(?i:{})", regex::escape(&c.to_string()))];
    match c {
        '"' => alts.push(r#"\\""#.into()),
        '\\' => alts.insert(0, r"\\\\".into()),
        '/' => alts.push(r"\\/".into()),
        '\n' => alts.push(r"\\n".into()),
        '\r' => alts.push(r"\\r".into()),
        '\t' => alts.push(r"\\t".into()),
        '\u{8}' => alts.push(r"\\b".into()),
        '\u{c}' => alts.push(r"\\f".into()),
        _ => {}
    }
    let mut variants = vec![c];
    for v in c.to_lowercase().chain(c.to_uppercase()) {
        if !variants.contains(&v) && c.to_lowercase().count() == 1 && c.to_uppercase().count() == 1
        {
            variants.push(v);
        }
    }
    if !c.is_ascii() || c.is_ascii_control() || matches!(c, '<' | '>' | '&' | '\'') {
        for v in variants {
            let mut buf = [0u16; 2];
            let mut esc = String::new();
            for u in v.encode_utf16(&mut buf) {
                let _ = write!(esc, r"\\u{u:04x}");
            }
            alts.push(format!("(?i:{esc})"));
        }
    }
    format!("(?:{})", alts.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Wildcard {
        Wildcard::new(s.split_inclusive(['*', '?']).flat_map(|piece| {
            let (lit, op) = match piece.strip_suffix('*') {
                Some(l) => (l, Some(WildPart::Any)),
                None => match piece.strip_suffix('?') {
                    Some(l) => (l, Some(WildPart::One)),
                    None => (piece, None),
                },
            };
            [Some(WildPart::Lit(lit.to_string())), op]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
        }))
    }

    #[test]
    fn raw_contains_is_case_insensitive_and_escape_aware() {
        let f = RawFind::contains("Mimikatz");
        assert!(f.is_match(br#"{"a":"run MIMIKATZ.exe"}"#));
        assert!(!f.is_match(br#"{"a":"mimi katz"}"#));
        let f = RawFind::contains("https://x/y");
        assert!(f.is_match(br#"{"u":"https:\/\/x\/y"}"#));
        assert!(f.is_match(br#"{"u":"https://x/y"}"#));
        let f = RawFind::contains("a<b&c");
        assert!(f.is_match(br#"{"u":"a\u003cb\u0026c"}"#));
        let f = RawFind::contains("Müller");
        assert!(f.is_match("{\"n\":\"MÜLLER\"}".as_bytes()));
        assert!(f.is_match(br#"{"n":"M\u00fcller"}"#));
        assert!(f.is_match(br#"{"n":"M\u00DCLLER"}"#));
        let f = RawFind::contains(r#"say "hi""#);
        assert!(f.is_match(br#"{"m":"say \"hi\""}"#));
        let f = RawFind::contains(r"C:\Windows");
        assert!(f.is_match(br#"{"p":"c:\\windows"}"#));
        let f = RawFind::contains("10.0.0.1");
        assert!(matches!(f, RawFind::Lit(_)));
        assert!(f.is_match(br#"{"ip":"10.0.0.1"}"#));
        assert!(matches!(RawFind::contains(""), RawFind::All));
    }

    #[test]
    fn token_wildcards() {
        let f = RawFind::token_wild(&w("admin*")).expect("compiles");
        assert!(f.is_match(br#"{"u":"Administrator"}"#));
        assert!(f.is_match(br#"{"u":"the admin user"}"#));
        assert!(!f.is_match(br#"{"u":"sysadmin"}"#));
        let f = RawFind::token_wild(&w("*@example.com")).expect("compiles");
        assert!(f.is_match(br#"{"u":"bob@Example.com"}"#));
        assert!(!f.is_match(br#"{"u":"bob@example.com.evil"}"#));
        assert!(RawFind::token_wild(&w("a,b*")).is_none());
        let f = RawFind::token_wild(&w("us?r")).expect("compiles");
        assert!(f.is_match(br#"{"k":"user"}"#) && !f.is_match(br#"{"k":"usr"}"#));
    }

    #[test]
    fn value_tests() {
        let m = StrMatch::Contains("pass".into());
        assert!(m.test("Wrong Password", "wrong password"));
        let m = StrMatch::Eq("alice".into());
        assert!(m.test("Alice", "alice") && !m.test("alice2", "alice2"));
        let m = StrMatch::wild(&w("pass*"), true);
        assert!(m.test("wrong password", "wrong password"));
        let m = StrMatch::wild(&w("pass*"), false);
        assert!(!m.test("wrong password", "wrong password"));
        let m = StrMatch::Num {
            lo: Some((400.0, true)),
            hi: Some((500.0, false)),
        };
        assert!(m.test("403", "403") && !m.test("500", "500") && !m.test("AccessDenied", ""));
        assert!(!m.test("inf", "inf") && !m.test("NaN", "nan"));
        assert!(StrMatch::Exists.test("x", "x") && !StrMatch::Exists.test("", ""));
        assert_eq!(longest_literal(&w("a*Bcd*ef")), "bcd");
        assert_eq!(tokens("a b,c{d}").collect::<Vec<_>>(), ["a", "b", "c", "d"]);
    }

    proptest::proptest! {
        #[test]
        fn pair_finder_agrees_with_regex(
            hay in "[a-cA-C{}\"x@`0-9 ]{0,80}",
            needle in "[a-cA-C{x@`0-9]{1,5}",
            pos in 0usize..90,
            fold in proptest::bool::ANY,
        ) {
            let f = PairFinder::new(needle.as_bytes(), fold);
            let pat = if fold {
                format!("(?i-u:{})", regex::escape(&needle))
            } else {
                regex::escape(&needle)
            };
            let re = regex::bytes::Regex::new(&pat).unwrap();
            let want = (pos <= hay.len()).then(|| re.find_at(hay.as_bytes(), pos).map(|m| m.start())).flatten();
            proptest::prop_assert_eq!(f.find_from(hay.as_bytes(), pos), want);
        }
    }

    #[test]
    fn pair_finder_on_long_input() {
        let mut hay = "x".repeat(10_000);
        hay.push_str("MiMiKaTz");
        hay.push_str(&"y".repeat(100));
        let f = PairFinder::new(b"mimikatz", true);
        assert_eq!(f.find_from(hay.as_bytes(), 0), Some(10_000));
        assert_eq!(f.find_from(hay.as_bytes(), 10_001), None);
        let f = PairFinder::new(b"mimikatz", false);
        assert_eq!(f.find_from(hay.as_bytes(), 0), None);
        let f = PairFinder::new(b"y", false);
        assert_eq!(f.find_from(hay.as_bytes(), 0), Some(10_008));
        let g = RawFind::Pair(Box::new(PairFinder::new(b"katz", true)));
        assert_eq!(g.find_end_at(hay.as_bytes(), 0), Some(10_008));
        assert!(g.starts_inside(hay.as_bytes(), 10_000, 10_008));
    }

    #[test]
    fn regex_literals() {
        let l = |s: &str| required_literals(s);
        assert_eq!(
            l("deploy.*fail"),
            (vec!["deploy".into(), "fail".into()], false)
        );
        assert_eq!(
            l("(?i)Mimi.*Katz"),
            (vec!["mimi".into(), "katz".into()], true)
        );
        assert_eq!(l("abcd?ef"), (vec!["abc".into()], false));
        assert_eq!(l("ab+cde"), (vec!["cde".into()], false));
        assert_eq!(l("xyz(abc)?def"), (vec!["xyz".into(), "def".into()], false));
        assert_eq!(l("(?:abc)+def"), (vec!["abc".into(), "def".into()], false));
        assert_eq!(
            l("a\\.bcd[0-9]{2,}efg"),
            (vec!["a.bcd".into(), "efg".into()], false)
        );
        assert_eq!(l("abc{0,2}"), (vec![], false));
        assert_eq!(l("foo|bar"), (vec![], false));
        assert_eq!(l("(?x)foo bar"), (vec![], false));
        assert_eq!(l("\\x41bcd"), (vec![], false));
        assert_eq!(l("(?P<n>abc)"), (vec!["abc".into()], false));
        assert_eq!(l("^auth\\.log(in|out)$"), (vec![], false));
        assert_eq!(
            l("user[0-9]+@example"),
            (vec!["@example".into(), "user".into()], false)
        );
    }
}
