//! The query AST: what [`super::parse`] produces and the evaluator consumes.
//!
//! The parser normalizes as it builds, so an evaluator sees few shapes:
//! - `And`/`Or` are flat (no `And` directly inside `And`), have at least two children and no
//!   `All` child (`a AND *` is `a`, `a OR *` is `*`); `NOT NOT x` is `x`.
//! - Field aliases are resolved ([`FieldRef::Known`]); enum values are canonical lower-case.
//! - Absolute times are half-open intervals: `time:2026-02-01` is
//!   `Range { lo: 2026-02-01, hi: 2026-02-02, lo_incl: true, hi_incl: false }`, and comparisons
//!   against absolute times only use `>=` and `<` (`time>2026-02-01` is `time>=2026-02-02`).
//!   Relative times (`now-24h`) keep the operator as written.
//! - IP ranges are inclusive on both ends; CIDRs have their host bits cleared.
//!
//! Every node prints (via `Display`) as query text that parses back to an equal AST.

use std::fmt::{self, Write as _};
use std::net::IpAddr;

use regex::{Regex, RegexBuilder};

use super::fields::{Field, FieldKind, RAW_PREFIX};
use super::literals::{format_duration, format_time};

/// A parsed query: a filter and an optional pipe stage that aggregates the matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Which events match.
    pub expr: Expr,
    /// What to compute over the matching events, if anything (`| stats count by actor`).
    pub pipe: Option<Pipe>,
}

/// A boolean filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Every event (the empty query, or `*`).
    All,
    /// All children match (two or more, none of them an `And` or `All`).
    And(Vec<Expr>),
    /// Any child matches (two or more, none of them an `Or` or `All`).
    Or(Vec<Expr>),
    /// The child doesn't match (never directly a `Not`).
    Not(Box<Expr>),
    /// A single test.
    Term(Term),
}

/// One test against an event: a predicate on a field, or on the event's text if `field` is
/// `None` (free text searches every text field, including the raw record).
#[derive(Debug, Clone)]
pub struct Term {
    /// The field tested; `None` for free text.
    pub field: Option<FieldRef>,
    /// The test.
    pub pred: Pred,
    /// Byte range of the term in the query text (for highlighting matches and errors).
    /// Ignored by `==`: two terms are equal if they mean the same.
    pub span: (usize, usize),
}

impl PartialEq for Term {
    fn eq(&self, other: &Self) -> bool {
        self.field == other.field && self.pred == other.pred
    }
}

/// A field reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldRef {
    /// A normalized field (aliases already resolved).
    Known(Field),
    /// A path into the original record: `raw.userIdentity.type` is
    /// `Raw(["userIdentity", "type"])`. Segments are JSON object keys, case-sensitive; a
    /// segment of digits may index an array. An empty path (`raw:x`) means the whole record's
    /// text.
    Raw(Vec<String>),
}

impl FieldRef {
    /// The value type of a known field; `None` for raw paths, whose values are untyped JSON.
    pub fn kind(&self) -> Option<FieldKind> {
        match self {
            FieldRef::Known(f) => Some(f.kind()),
            FieldRef::Raw(_) => None,
        }
    }
}

/// What a term tests.
///
/// Suggested semantics for the evaluator (the parser only guarantees the shapes):
/// - Matching of text is case-insensitive, except [`Pred::Regex`].
/// - On free text, `Text` and `Phrase` are substring matches anywhere in the event's text
///   fields and raw record; `Wildcard` applies to each whitespace/punctuation-separated token.
/// - On keyword and enum fields, `Text`/`Phrase` match the whole value; on text fields
///   (`reason`, `user_agent`) and `raw` they match a substring.
#[derive(Debug, Clone, PartialEq)]
pub enum Pred {
    /// A bare word, unescaped (`mimikatz`, `actor:alice`). For enum fields it holds the
    /// canonical value (`outcome:Failed` → `failure`).
    Text(String),
    /// A quoted phrase, unescaped (`"wrong password"`).
    Phrase(String),
    /// A pattern with `*` (any run) and `?` (one character); see [`Wildcard::matches`].
    Wildcard(Wildcard),
    /// A regular expression (`/pattern/`), validated and compiled; unanchored, case-sensitive
    /// unless it starts with `(?i)`.
    Regex(RegexPred),
    /// An IP network (`ip:10.0.0.0/8`); a single IP is a full-length prefix (`/32`, `/128`).
    Cidr(Cidr),
    /// An inclusive IP range (`ip:[10.0.0.1 TO 10.0.0.255]`).
    IpRange(IpRange),
    /// A comparison (`status_code>=400`, `time>now-24h`).
    Cmp(CmpOp, Value),
    /// A range; a missing bound is open (`*`). Both bounds have the same value type, except
    /// that a time range may mix absolute and relative times.
    Range {
        /// Lower bound.
        lo: Option<Value>,
        /// Upper bound.
        hi: Option<Value>,
        /// `[` (true) or `{` (false); `true` when `lo` is open.
        lo_incl: bool,
        /// `]` (true) or `}` (false); `true` when `hi` is open.
        hi_incl: bool,
    },
    /// The field is present and non-empty (`field:*`).
    Exists,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
}

impl CmpOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
        }
    }

    /// Whether `ord` (the event value compared to the query value) satisfies the operator.
    pub fn accepts(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CmpOp::Gt => ord == Greater,
            CmpOp::Ge => ord != Less,
            CmpOp::Lt => ord == Less,
            CmpOp::Le => ord != Greater,
        }
    }
}

/// A comparison or range operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number (on `status_code` and raw paths).
    Number(f64),
    /// A time (on `time` and raw paths).
    Time(TimeExpr),
    /// Text, compared as strings (only on raw paths, when the value is neither a number nor a
    /// date).
    Text(String),
}

/// A point in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeExpr {
    /// UTC nanoseconds since the epoch.
    Abs(i64),
    /// Relative to "now", which the evaluator supplies (the latest event's time, or a time the
    /// caller passes in: core never reads the clock). `now-24h` is `offset_ns = -86_400e9`.
    Now {
        /// Offset from now in nanoseconds.
        offset_ns: i64,
    },
}

impl TimeExpr {
    /// The absolute time, given what "now" is.
    pub fn resolve(self, now_ns: i64) -> i64 {
        match self {
            TimeExpr::Abs(t) => t,
            TimeExpr::Now { offset_ns } => now_ns.saturating_add(offset_ns),
        }
    }
}

/// The aggregation after `|`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pipe {
    /// `stats count [by f1, f2, …]`: the number of matching events, per distinct combination
    /// of the `by` fields (one row when `by` is empty).
    Stats {
        /// Group-by fields, in order.
        by: Vec<FieldRef>,
    },
    /// `top [N] field`: the N most frequent values of a field (N defaults to 10).
    Top {
        /// How many values.
        n: usize,
        /// Which field.
        field: FieldRef,
    },
    /// `timechart [bucket]`: event counts over time; `None` lets the evaluator pick a bucket.
    Timechart {
        /// Bucket width in nanoseconds.
        bucket_ns: Option<i64>,
    },
}

/// A `*`/`?` pattern, matched case-insensitively against a whole string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wildcard {
    parts: Vec<WildPart>,
    /// `parts` flattened to lower-case characters, for matching.
    chars: Vec<WildChar>,
}

/// A piece of a [`Wildcard`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WildPart {
    /// Literal text (case as typed).
    Lit(String),
    /// `*`: any run of characters, possibly empty.
    Any,
    /// `?`: exactly one character.
    One,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WildChar {
    Lit(char),
    Any,
    One,
}

impl Wildcard {
    /// Builds a pattern, merging adjacent literals and runs of `*`.
    pub fn new(parts: impl IntoIterator<Item = WildPart>) -> Wildcard {
        let mut out: Vec<WildPart> = Vec::new();
        for p in parts {
            match (out.last_mut(), p) {
                (_, WildPart::Lit(s)) if s.is_empty() => {}
                (Some(WildPart::Lit(prev)), WildPart::Lit(s)) => prev.push_str(&s),
                (Some(WildPart::Any), WildPart::Any) => {}
                (_, p) => out.push(p),
            }
        }
        let chars = out
            .iter()
            .flat_map(|p| -> Vec<WildChar> {
                match p {
                    WildPart::Lit(s) => s
                        .chars()
                        .flat_map(char::to_lowercase)
                        .map(WildChar::Lit)
                        .collect(),
                    WildPart::Any => vec![WildChar::Any],
                    WildPart::One => vec![WildChar::One],
                }
            })
            .collect();
        Wildcard { parts: out, chars }
    }

    /// The pattern's pieces.
    pub fn parts(&self) -> &[WildPart] {
        &self.parts
    }

    /// Whether the whole of `text` matches, ignoring case. Patterns of literals and `*` run in
    /// linear time; with `?` in O(len(text) × len(pattern)) at worst: there is no exponential
    /// backtracking.
    pub fn matches(&self, text: &str) -> bool {
        let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
        let p = &self.chars;
        if p.contains(&WildChar::Any) && !p.contains(&WildChar::One) {
            return match_stars(&t, p);
        }
        let (mut ti, mut pi) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            match p.get(pi) {
                Some(WildChar::Any) => {
                    star = Some((pi, ti));
                    pi += 1;
                }
                Some(WildChar::One) => {
                    ti += 1;
                    pi += 1;
                }
                Some(WildChar::Lit(c)) if *c == t[ti] => {
                    ti += 1;
                    pi += 1;
                }
                _ => match star {
                    Some((sp, st)) => {
                        pi = sp + 1;
                        ti = st + 1;
                        star = Some((sp, st + 1));
                    }
                    None => return false,
                },
            }
        }
        p[pi..].iter().all(|c| *c == WildChar::Any)
    }

    /// An equivalent regular expression source, anchored and case-insensitive.
    pub fn to_regex(&self) -> String {
        let mut s = String::from("(?is)^");
        for p in &self.parts {
            match p {
                WildPart::Lit(l) => s.push_str(&regex::escape(l)),
                WildPart::Any => s.push_str(".*"),
                WildPart::One => s.push('.'),
            }
        }
        s.push('$');
        s
    }
}

/// Compiled-size limit for query regexes (the regex crate's `size_limit`).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Lazy-DFA cache limit for query regexes (the regex crate's `dfa_size_limit`).
pub const REGEX_DFA_SIZE_LIMIT: usize = 2 << 20;

/// A validated regular expression and its source text. Equality compares the source.
#[derive(Debug, Clone)]
pub struct RegexPred {
    source: String,
    regex: Regex,
}

impl RegexPred {
    /// Compiles `source` with the query size limits. The regex crate guarantees linear-time
    /// matching, so a hostile pattern can cost memory (bounded here) but never exponential time.
    pub fn new(source: &str) -> Result<RegexPred, regex::Error> {
        let regex = RegexBuilder::new(source)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
            .build()?;
        Ok(RegexPred {
            source: source.to_string(),
            regex,
        })
    }

    /// The pattern as written (with `\/` unescaped).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The compiled regex.
    pub fn regex(&self) -> &Regex {
        &self.regex
    }

    /// Whether the pattern matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

impl PartialEq for RegexPred {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

/// An IP network: `addr` with its host bits cleared, and the prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    /// Network address.
    pub addr: IpAddr,
    /// Prefix length (0–32 for IPv4, 0–128 for IPv6).
    pub prefix: u8,
}

impl Cidr {
    /// Whether `ip` is inside the network. IPv4 and IPv4-mapped IPv6 (`::ffff:a.b.c.d`)
    /// addresses are treated as the same.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, unmap(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let shift = 32 - u32::from(self.prefix.min(32));
                shift == 32 || u32::from(net) >> shift == u32::from(ip) >> shift
            }
            (IpAddr::V6(net), ip) => {
                let ip = match ip {
                    IpAddr::V4(v4) => v4.to_ipv6_mapped(),
                    IpAddr::V6(v6) => v6,
                };
                let shift = 128 - u32::from(self.prefix.min(128));
                shift == 128 || u128::from(net) >> shift == u128::from(ip) >> shift
            }
            (IpAddr::V4(_), IpAddr::V6(_)) => false,
        }
    }

    /// Whether this is a single address (`/32` or `/128`).
    pub fn is_single(&self) -> bool {
        self.prefix == if self.addr.is_ipv4() { 32 } else { 128 }
    }
}

/// An inclusive range of IP addresses of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpRange {
    /// Lowest address.
    pub lo: IpAddr,
    /// Highest address.
    pub hi: IpAddr,
}

impl IpRange {
    /// Whether `ip` is inside the range (IPv4-mapped IPv6 counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.lo, self.hi, unmap(ip)) {
            (IpAddr::V4(lo), IpAddr::V4(hi), IpAddr::V4(ip)) => lo <= ip && ip <= hi,
            (IpAddr::V6(lo), IpAddr::V6(hi), IpAddr::V6(ip)) => lo <= ip && ip <= hi,
            (IpAddr::V6(lo), IpAddr::V6(hi), IpAddr::V4(ip)) => {
                let ip = ip.to_ipv6_mapped();
                lo <= ip && ip <= hi
            }
            _ => false,
        }
    }
}

fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

// ---------------------------------------------------------------------------------------------
// Display: canonical query text.

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)?;
        if let Some(pipe) = &self.pipe {
            write!(f, " | {pipe}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::All => f.write_str("*"),
            Expr::Term(t) => write!(f, "{t}"),
            Expr::Not(inner) => {
                f.write_str("NOT ")?;
                write_child(f, inner, |e| !matches!(e, Expr::Term(_) | Expr::All))
            }
            Expr::And(items) | Expr::Or(items) if items.is_empty() => f.write_str("*"),
            Expr::And(items) => {
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" AND ")?;
                    }
                    write_child(f, e, |e| matches!(e, Expr::And(_) | Expr::Or(_)))?;
                }
                Ok(())
            }
            Expr::Or(items) => {
                for (i, e) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    write_child(f, e, |e| matches!(e, Expr::Or(_)))?;
                }
                Ok(())
            }
        }
    }
}

fn write_child(
    f: &mut fmt::Formatter<'_>,
    e: &Expr,
    parens: impl Fn(&Expr) -> bool,
) -> fmt::Result {
    if parens(e) {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(field) = &self.field else {
            return match &self.pred {
                Pred::Exists => f.write_str("*"),
                pred => write_pred_value(f, pred),
            };
        };
        match &self.pred {
            Pred::Cmp(op, v) => write!(f, "{field}{}{v}", op.as_str()),
            pred => {
                write!(f, "{field}:")?;
                write_pred_value(f, pred)
            }
        }
    }
}

fn write_pred_value(f: &mut fmt::Formatter<'_>, pred: &Pred) -> fmt::Result {
    match pred {
        Pred::Text(s) => f.write_str(&escape_word(s)),
        Pred::Phrase(s) => f.write_str(&quote(s)),
        Pred::Wildcard(w) => write!(f, "{w}"),
        Pred::Regex(r) => write!(f, "{r}"),
        Pred::Cidr(c) => write!(f, "{c}"),
        Pred::IpRange(r) => write!(f, "[{} TO {}]", r.lo, r.hi),
        Pred::Cmp(op, v) => write!(f, "{}{v}", op.as_str()),
        Pred::Range {
            lo,
            hi,
            lo_incl,
            hi_incl,
        } => {
            f.write_char(if *lo_incl { '[' } else { '{' })?;
            match lo {
                Some(v) => write!(f, "{v}")?,
                None => f.write_char('*')?,
            }
            f.write_str(" TO ")?;
            match hi {
                Some(v) => write!(f, "{v}")?,
                None => f.write_char('*')?,
            }
            f.write_char(if *hi_incl { ']' } else { '}' })
        }
        Pred::Exists => f.write_char('*'),
    }
}

impl fmt::Display for Pred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_pred_value(f, self)
    }
}

impl fmt::Display for FieldRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldRef::Known(field) => f.write_str(field.name()),
            FieldRef::Raw(segs) => {
                f.write_str(RAW_PREFIX)?;
                for seg in segs {
                    f.write_char('.')?;
                    if !seg.is_empty() && seg.chars().all(super::lexer::is_path_char) {
                        f.write_str(seg)?;
                    } else {
                        f.write_str(&quote(seg))?;
                    }
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Time(t) => write!(f, "{t}"),
            Value::Text(s) => f.write_str(&escape_word(s)),
        }
    }
}

impl fmt::Display for TimeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TimeExpr::Abs(ns) => f.write_str(&format_time(ns)),
            TimeExpr::Now { offset_ns: 0 } => f.write_str("now"),
            TimeExpr::Now { offset_ns } => {
                let d = format_duration(offset_ns);
                if offset_ns < 0 {
                    write!(f, "now{d}")
                } else {
                    write!(f, "now+{d}")
                }
            }
        }
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pipe::Stats { by } => {
                f.write_str("stats count")?;
                for (i, field) in by.iter().enumerate() {
                    f.write_str(if i == 0 { " by " } else { ", " })?;
                    write!(f, "{field}")?;
                }
                Ok(())
            }
            Pipe::Top { n, field } => write!(f, "top {n} {field}"),
            Pipe::Timechart { bucket_ns: None } => f.write_str("timechart"),
            Pipe::Timechart {
                bucket_ns: Some(ns),
            } => write!(f, "timechart {}", format_duration(*ns)),
        }
    }
}

/// Literals separated by `*`: the text starts with the first piece, ends with the last, and
/// holds the others in order between them — the leftmost occurrence of each is always the best
/// choice, and each is found in linear time. (The general matcher backtracks to the last `*`,
/// O(text × pattern): `*aaaa…b` over a long run of `a`s took seconds per value.)
fn match_stars(t: &[char], p: &[WildChar]) -> bool {
    let pieces: Vec<Vec<char>> = p
        .split(|c| *c == WildChar::Any)
        .map(|s| {
            s.iter()
                .filter_map(|c| match c {
                    WildChar::Lit(ch) => Some(*ch),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return true;
    };
    if pieces.len() < 2 {
        return t == first.as_slice();
    }
    if t.len() < first.len() + last.len() || !t.starts_with(first) || !t.ends_with(last) {
        return false;
    }
    let (mut pos, end) = (first.len(), t.len() - last.len());
    for piece in &pieces[1..pieces.len() - 1] {
        match find_chars(&t[pos..end], piece) {
            Some(i) => pos += i + piece.len(),
            None => return false,
        }
    }
    true
}

/// The first occurrence of `needle` in `hay` (Knuth–Morris–Pratt: linear time).
fn find_chars(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let mut fail = vec![0usize; needle.len()];
    let mut k = 0;
    for i in 1..needle.len() {
        while k > 0 && needle[i] != needle[k] {
            k = fail[k - 1];
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        fail[i] = k;
    }
    let mut k = 0;
    for (i, c) in hay.iter().enumerate() {
        while k > 0 && *c != needle[k] {
            k = fail[k - 1];
        }
        if *c == needle[k] {
            k += 1;
            if k == needle.len() {
                return Some(i + 1 - k);
            }
        }
    }
    None
}

impl fmt::Display for Wildcard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.parts {
            match p {
                WildPart::Lit(s) => f.write_str(&escape_word(s))?,
                WildPart::Any => f.write_char('*')?,
                WildPart::One => f.write_char('?')?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for RegexPred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('/')?;
        let mut chars = self.source.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    f.write_char('\\')?;
                    if let Some(n) = chars.next() {
                        f.write_char(n)?;
                    }
                }
                '/' => f.write_str("\\/")?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('/')
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_single() {
            write!(f, "{}", self.addr)
        } else {
            write!(f, "{}/{}", self.addr, self.prefix)
        }
    }
}

/// Escapes a bare word so that the lexer reads it back as the same text: every character that
/// could end the word or change its meaning gets a backslash, as do a leading `-` or `/` and
/// the keywords `AND`, `OR`, `NOT`, `TO`.
pub(crate) fn escape_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    if matches!(s, "AND" | "OR" | "NOT" | "TO") {
        out.push('\\');
    }
    for (i, c) in s.chars().enumerate() {
        let special = c.is_whitespace()
            || matches!(
                c,
                '\\' | '('
                    | ')'
                    | '"'
                    | '|'
                    | '&'
                    | '*'
                    | '?'
                    | ':'
                    | '<'
                    | '>'
                    | '='
                    | '!'
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | ','
            )
            || (i == 0 && matches!(c, '-' | '/'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Quotes a phrase: `"` and `\` get a backslash.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        match s.parse() {
            Ok(ip) => ip,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn wildcard_matching() {
        let w = |parts: Vec<WildPart>| Wildcard::new(parts);
        let lit = |s: &str| WildPart::Lit(s.into());
        let auth = w(vec![lit("auth."), WildPart::Any]);
        assert!(auth.matches("auth.login"));
        assert!(auth.matches("AUTH."));
        assert!(!auth.matches("xauth.login"));
        let dom = w(vec![WildPart::Any, lit("@example.com")]);
        assert!(dom.matches("alice@Example.com"));
        assert!(!dom.matches("alice@example.com.evil"));
        let q = w(vec![lit("a"), WildPart::One, lit("c")]);
        assert!(q.matches("abc") && !q.matches("ac") && !q.matches("abbc"));
        let many = w(vec![
            WildPart::Any,
            lit("a"),
            WildPart::Any,
            lit("b"),
            WildPart::Any,
        ]);
        assert!(many.matches("xxaxxbxx") && !many.matches("bbbaaa"));
        assert_eq!(
            w(vec![WildPart::Any, WildPart::Any, lit("")]).parts(),
            &[WildPart::Any]
        );
        // Pathological pattern stays fast.
        let long = "a".repeat(5000);
        let p = w((0..50)
            .flat_map(|_| [WildPart::Any, lit("a")])
            .chain([lit("b")])
            .collect::<Vec<_>>());
        assert!(!p.matches(&long));
        assert_eq!(auth.to_regex(), r"(?is)^auth\..*$");
    }

    #[test]
    fn cidr_and_range_membership() {
        let net = Cidr {
            addr: ip("10.0.0.0"),
            prefix: 8,
        };
        assert!(net.contains(ip("10.255.0.1")));
        assert!(net.contains(ip("::ffff:10.1.2.3")));
        assert!(!net.contains(ip("11.0.0.0")));
        assert!(!net.contains(ip("2001:db8::1")));
        let all = Cidr {
            addr: ip("0.0.0.0"),
            prefix: 0,
        };
        assert!(all.contains(ip("255.255.255.255")));
        let v6 = Cidr {
            addr: ip("2001:db8::"),
            prefix: 32,
        };
        assert!(v6.contains(ip("2001:db8:ffff::1")) && !v6.contains(ip("2001:db9::")));
        let all6 = Cidr {
            addr: ip("::"),
            prefix: 0,
        };
        assert!(all6.contains(ip("1.2.3.4")));
        let r = IpRange {
            lo: ip("10.0.0.1"),
            hi: ip("10.0.0.255"),
        };
        assert!(r.contains(ip("10.0.0.1")) && r.contains(ip("10.0.0.255")));
        assert!(!r.contains(ip("10.0.1.0")) && !r.contains(ip("::1")));
        assert!(r.contains(ip("::ffff:10.0.0.9")));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_word("a b"), r"a\ b");
        assert_eq!(escape_word("-x"), r"\-x");
        assert_eq!(escape_word("x-y"), "x-y");
        assert_eq!(escape_word("AND"), r"\AND");
        assert_eq!(escape_word("http://x"), r"http\://x");
        assert_eq!(quote(r#"say "hi" \o/"#), r#""say \"hi\" \\o/""#);
    }

    #[test]
    fn cmp_ops() {
        use std::cmp::Ordering::*;
        assert!(CmpOp::Ge.accepts(Equal) && CmpOp::Ge.accepts(Greater) && !CmpOp::Ge.accepts(Less));
        assert!(CmpOp::Lt.accepts(Less) && !CmpOp::Lt.accepts(Equal));
        assert_eq!(TimeExpr::Now { offset_ns: -5 }.resolve(100), 95);
        assert_eq!(TimeExpr::Abs(7).resolve(100), 7);
    }
}
