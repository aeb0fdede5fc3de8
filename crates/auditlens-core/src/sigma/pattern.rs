//! One Sigma value with its modifiers, compiled into a matcher over text.
//!
//! Case-insensitive by default (`cased` and `re` are case-sensitive), loose about types: a rule's
//! `0` matches the event's `0` and `"0"`, `true` matches `"True"`.

use std::net::IpAddr;

use regex::{Regex, RegexBuilder};

/// Compiled-size bound for every regex (rule `re` values and wildcard patterns): a hostile rule
/// cannot make the engine allocate without limit. Matching is linear-time in Rust's `regex`.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// How one value compares.
#[derive(Debug, Clone)]
pub enum Pat {
    /// Equal (already lower-cased unless `cased`).
    Eq(String, bool),
    /// Contains.
    Contains(String, bool),
    /// Starts with.
    Starts(String, bool),
    /// Ends with.
    Ends(String, bool),
    /// Wildcard pattern or `re`.
    Re(Regex),
    /// Numeric comparison.
    Num(NumOp, f64),
    /// Inside a network.
    Cidr(IpAddr, u8),
    /// Negation (`neq`).
    Not(Box<Pat>),
    /// Any of these.
    Any(Vec<Pat>),
    /// A part of a timestamp (`|hour`, `|month` …, in UTC) compared by the inner pattern.
    TimePart(TimePart, Box<Pat>),
}

/// The time modifiers of Sigma 2.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimePart {
    /// 0–59.
    Minute,
    /// 0–23.
    Hour,
    /// Day of the month, 1–31.
    Day,
    /// ISO week number, 1–53.
    Week,
    /// 1–12.
    Month,
    /// Year.
    Year,
}

impl TimePart {
    /// The modifier name.
    pub fn from_name(s: &str) -> Option<TimePart> {
        Some(match s {
            "minute" => TimePart::Minute,
            "hour" => TimePart::Hour,
            "day" => TimePart::Day,
            "week" => TimePart::Week,
            "month" => TimePart::Month,
            "year" => TimePart::Year,
            _ => return None,
        })
    }

    /// Extracts the part from a timestamp's text (any format the loader parses, or an epoch).
    pub fn of(self, text: &str) -> Option<i64> {
        let t = text.trim();
        let ts = crate::time::parse_timestamp(t).or_else(|| crate::time::parse_epoch_str(t))?;
        let secs = ts.nanos.div_euclid(crate::time::NS);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = crate::time::civil_from_days(days);
        Some(match self {
            TimePart::Minute => sod / 60 % 60,
            TimePart::Hour => sod / 3600,
            TimePart::Day => i64::from(d),
            TimePart::Month => i64::from(m),
            TimePart::Year => y,
            TimePart::Week => iso_week(days),
        })
    }
}

/// ISO 8601 week number of a day (days since 1970-01-01).
fn iso_week(days: i64) -> i64 {
    // 1970-01-01 was a Thursday; Monday = 1 … Sunday = 7.
    let wd = (days + 3).rem_euclid(7) + 1;
    // The Thursday of this week decides the ISO year.
    let thursday = days - wd + 4;
    let (y, _, _) = crate::time::civil_from_days(thursday);
    let jan1 = crate::time::days_from_civil(y, 1, 1);
    (thursday - jan1) / 7 + 1
}

/// A numeric comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumOp {
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
}

impl NumOp {
    /// Applies the operator.
    pub fn test(self, a: f64, b: f64) -> bool {
        match self {
            NumOp::Lt => a < b,
            NumOp::Lte => a <= b,
            NumOp::Gt => a > b,
            NumOp::Gte => a >= b,
        }
    }
}

/// Lower-cases for case-insensitive comparison (Unicode-aware, allocation-free for ASCII-lower).
pub fn fold(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(|c| c.is_uppercase()) {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

impl Pat {
    /// Does `text` (the event value's text) match?
    pub fn matches(&self, text: &str) -> bool {
        match self {
            // ASCII needles compare without lower-casing (allocating) the event's text.
            Pat::Eq(n, false) if n.is_ascii() => {
                text.eq_ignore_ascii_case(n) || loose_num_eq(n, text)
            }
            Pat::Starts(n, false) if n.is_ascii() => text
                .as_bytes()
                .get(..n.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(n.as_bytes())),
            Pat::Ends(n, false) if n.is_ascii() => text
                .len()
                .checked_sub(n.len())
                .and_then(|i| text.as_bytes().get(i..))
                .is_some_and(|h| h.eq_ignore_ascii_case(n.as_bytes())),
            Pat::Eq(n, cased) => {
                cmp_text(text, *cased, |h| h == n.as_str()) || loose_num_eq(n, text)
            }
            Pat::Contains(n, cased) => cmp_text(text, *cased, |h| h.contains(n.as_str())),
            Pat::Starts(n, cased) => cmp_text(text, *cased, |h| h.starts_with(n.as_str())),
            Pat::Ends(n, cased) => cmp_text(text, *cased, |h| h.ends_with(n.as_str())),
            Pat::Re(r) => r.is_match(text),
            Pat::Num(op, v) => text.trim().parse::<f64>().is_ok_and(|x| op.test(x, *v)),
            Pat::Cidr(net, len) => text
                .trim()
                .parse::<IpAddr>()
                .is_ok_and(|ip| in_net(ip, *net, *len)),
            Pat::Not(p) => !p.matches(text),
            Pat::Any(v) => v.iter().any(|p| p.matches(text)),
            Pat::TimePart(part, inner) => {
                part.of(text).is_some_and(|n| inner.matches(&n.to_string()))
            }
        }
    }
}

fn cmp_text(text: &str, cased: bool, f: impl Fn(&str) -> bool) -> bool {
    if cased {
        f(text)
    } else {
        f(&fold(text))
    }
}

/// Loose numbers: the rule's `1` equals the event's `1.0`.
fn loose_num_eq(needle: &str, text: &str) -> bool {
    if !needle.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
        return false;
    }
    match (needle.parse::<f64>(), text.trim().parse::<f64>()) {
        (Ok(a), Ok(b)) => a == b && !needle.is_empty(),
        _ => false,
    }
}

fn in_net(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let m = if len == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(len))
            };
            u32::from(a) & m == u32::from(b) & m
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let m = if len == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(len))
            };
            u128::from(a) & m == u128::from(b) & m
        }
        _ => false,
    }
}

/// Parses `10.0.0.0/8`, `2001:db8::/32` or a bare address.
pub fn parse_cidr(s: &str) -> Result<(IpAddr, u8), String> {
    let (a, l) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let ip: IpAddr = a
        .trim()
        .parse()
        .map_err(|_| format!("bad cidr address {s:?}"))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let len = match l {
        Some(l) => l
            .trim()
            .parse::<u8>()
            .map_err(|_| format!("bad cidr prefix {s:?}"))?,
        None => max,
    };
    if len > max {
        return Err(format!("bad cidr prefix {s:?}"));
    }
    Ok((ip, len))
}

/// A piece of a Sigma string value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Star,
    One,
}

/// Splits a Sigma string into literal characters and wildcards, honouring `\*`, `\?` and `\\`.
fn tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.peek() {
                Some(&n @ ('*' | '?' | '\\')) => {
                    it.next();
                    out.push(Tok::Lit(n));
                }
                _ => out.push(Tok::Lit('\\')),
            },
            '*' => out.push(Tok::Star),
            '?' => out.push(Tok::One),
            c => out.push(Tok::Lit(c)),
        }
    }
    out
}

/// Where a string must sit in the event value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Whole value.
    Exact,
    /// Anywhere.
    Contains,
    /// At the start.
    Starts,
    /// At the end.
    Ends,
}

/// Compiles a Sigma string (with wildcards) into a pattern.
pub fn compile_str(s: &str, anchor: Anchor, cased: bool) -> Result<Pat, String> {
    let mut t = tokens(s);
    if matches!(anchor, Anchor::Contains | Anchor::Ends) && t.first() != Some(&Tok::Star) {
        t.insert(0, Tok::Star);
    }
    if matches!(anchor, Anchor::Contains | Anchor::Starts) && t.last() != Some(&Tok::Star) {
        t.push(Tok::Star);
    }
    let lead = t.first() == Some(&Tok::Star);
    let trail = t.len() > 1 && t.last() == Some(&Tok::Star);
    let inner = &t[usize::from(lead)..t.len() - usize::from(trail)];
    if inner.iter().all(|x| matches!(x, Tok::Lit(_))) {
        let lit: String = inner
            .iter()
            .map(|x| match x {
                Tok::Lit(c) => *c,
                _ => ' ',
            })
            .collect();
        let lit = if cased { lit } else { lit.to_lowercase() };
        return Ok(match (lead, trail) {
            (false, false) => Pat::Eq(lit, cased),
            (true, true) => Pat::Contains(lit, cased),
            (true, false) => Pat::Ends(lit, cased),
            (false, true) => Pat::Starts(lit, cased),
        });
    }
    let mut re = String::from("^");
    for x in &t {
        match x {
            Tok::Star => re.push_str(".*"),
            Tok::One => re.push('.'),
            Tok::Lit(c) => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    re.push('$');
    build_regex(&re, !cased, false, true).map(Pat::Re)
}

/// Builds a size-limited regex.
pub fn build_regex(re: &str, ci: bool, multi: bool, dot_nl: bool) -> Result<Regex, String> {
    RegexBuilder::new(re)
        .case_insensitive(ci)
        .multi_line(multi)
        .dot_matches_new_line(dot_nl)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("regex {re:?}: {}", first_line(&e.to_string())))
}

fn first_line(s: &str) -> &str {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The three `base64offset` variants: the value's encoding at each byte offset, trimmed to the
/// characters that do not depend on the surrounding bytes (as pySigma does).
pub fn base64_offsets(b: &[u8]) -> Vec<String> {
    (0..3)
        .map(|i| {
            let mut v = vec![b' '; i];
            v.extend_from_slice(b);
            let enc = base64(&v);
            let start = [0, 2, 3][i];
            let end_trim = [0, 3, 2][(b.len() + i) % 3];
            enc.get(start..enc.len().saturating_sub(end_trim))
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// `windash` variants: every `-` replaced by each Windows option-prefix character.
pub fn windash(s: &str) -> Vec<String> {
    let mut out = vec![s.to_string()];
    if s.contains('-') {
        for d in ['/', '\u{2013}', '\u{2014}', '\u{2015}'] {
            out.push(s.replace('-', &d.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_escapes() {
        let p = compile_str("Stop*ing", Anchor::Exact, false).unwrap();
        assert!(p.matches("StopLogging") && p.matches("stoping") && !p.matches("xStopLogging"));
        let p = compile_str("a?c", Anchor::Exact, false).unwrap();
        assert!(p.matches("abc") && !p.matches("ac"));
        let p = compile_str(r"a\*b", Anchor::Exact, false).unwrap();
        assert!(p.matches("a*b") && !p.matches("axb"));
        let p = compile_str(r"a\?b", Anchor::Exact, false).unwrap();
        assert!(p.matches("a?b") && !p.matches("axb"));
        let p = compile_str(r"c:\\windows\*", Anchor::Exact, false).unwrap();
        assert!(p.matches(r"C:\Windows*") && !p.matches(r"C:\Windows\x"));
        let p = compile_str(r"c:\windows", Anchor::Exact, false).unwrap();
        assert!(p.matches(r"C:\WINDOWS"));
    }

    #[test]
    fn anchors_and_case() {
        assert!(compile_str("Log", Anchor::Contains, false)
            .unwrap()
            .matches("StopLOGging"));
        assert!(compile_str("stop", Anchor::Starts, false)
            .unwrap()
            .matches("StopLogging"));
        assert!(!compile_str("stop", Anchor::Starts, false)
            .unwrap()
            .matches("xStop"));
        assert!(compile_str("ging", Anchor::Ends, false)
            .unwrap()
            .matches("StopLogging"));
        assert!(!compile_str("stop", Anchor::Exact, true)
            .unwrap()
            .matches("Stop"));
        assert!(compile_str("Stop", Anchor::Exact, true)
            .unwrap()
            .matches("Stop"));
        assert!(compile_str("Sto*g", Anchor::Contains, true)
            .unwrap()
            .matches("xStoLogx"));
        assert!(!compile_str("sto*g", Anchor::Contains, true)
            .unwrap()
            .matches("xStoLogx"));
    }

    #[test]
    fn loose_numbers() {
        let p = compile_str("0", Anchor::Exact, false).unwrap();
        assert!(p.matches("0") && p.matches("0.0") && !p.matches("50126"));
        assert!(
            Pat::Num(NumOp::Gt, 10.0).matches("11") && !Pat::Num(NumOp::Gt, 10.0).matches("10")
        );
        assert!(Pat::Num(NumOp::Gte, 10.0).matches("10"));
        assert!(
            Pat::Num(NumOp::Lt, 10.0).matches("9.5") && !Pat::Num(NumOp::Lt, 10.0).matches("x")
        );
        assert!(Pat::Num(NumOp::Lte, 10.0).matches("10"));
    }

    #[test]
    fn time_parts() {
        let t = "2024-12-30T23:05:09Z";
        assert_eq!(TimePart::Hour.of(t), Some(23));
        assert_eq!(TimePart::Minute.of(t), Some(5));
        assert_eq!(TimePart::Day.of(t), Some(30));
        assert_eq!(TimePart::Month.of(t), Some(12));
        assert_eq!(TimePart::Year.of(t), Some(2024));
        // 2024-12-30 is a Monday in ISO week 1 of 2025; 2021-01-03 a Sunday in week 53 of 2020.
        assert_eq!(TimePart::Week.of(t), Some(1));
        assert_eq!(TimePart::Week.of("2021-01-03T00:00:00Z"), Some(53));
        assert_eq!(TimePart::Week.of("2024-06-15T00:00:00Z"), Some(24));
        // Offsets convert to UTC.
        assert_eq!(TimePart::Hour.of("2024-01-01T01:00:00+02:00"), Some(23));
        let p = Pat::TimePart(TimePart::Hour, Box::new(Pat::Num(NumOp::Gte, 22.0)));
        assert!(p.matches(t) && !p.matches("2024-01-01T08:00:00Z") && !p.matches("nope"));
    }

    #[test]
    fn cidr() {
        let (n, l) = parse_cidr("10.0.0.0/8").unwrap();
        let p = Pat::Cidr(n, l);
        assert!(p.matches("10.1.2.3") && !p.matches("11.0.0.1") && !p.matches("x"));
        assert!(p.matches("::ffff:10.0.0.1"));
        let (n, l) = parse_cidr("2001:db8::/32").unwrap();
        assert!(Pat::Cidr(n, l).matches("2001:db8::1") && !Pat::Cidr(n, l).matches("2001:db9::1"));
        assert!(parse_cidr("10.0.0.0/33").is_err());
    }

    #[test]
    fn base64_encodings() {
        assert_eq!(base64(b"hello"), "aGVsbG8=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(
            base64_offsets(b"/bin/bash"),
            vec!["L2Jpbi9iYXNo", "9iaW4vYmFza", "vYmluL2Jhc2"]
        );
    }

    #[test]
    fn windash_variants() {
        let v = windash("-enc");
        assert!(v.contains(&"/enc".to_string()) && v.contains(&"\u{2013}enc".to_string()));
    }

    #[test]
    fn pathological_regex_is_bounded() {
        // Exponential in a backtracking engine; linear here.
        let r = build_regex("^(a+)+$", false, false, false).unwrap();
        let s = format!("{}b", "a".repeat(100_000));
        assert!(!r.is_match(&s));
        // Compiled-size bomb: rejected, not allocated.
        assert!(build_regex("(((a{100}){100}){100}){100}", false, false, false).is_err());
    }
}
