//! Literal values inside queries: dates, relative times, durations, numbers and IP networks.
//!
//! Everything here is pure and total: malformed input is an `Err(reason)`, never a panic, and
//! all arithmetic is checked (timestamps are `i64` nanoseconds, 1677-09-21 … 2262-04-11).

use std::net::IpAddr;

pub(crate) const NS_PER_SEC: i64 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;

/// Duration units accepted in `now-24h` and `| timechart 1h`, with their length in seconds.
pub(crate) const DURATION_UNITS: [(&str, i64); 5] = [
    ("w", 7 * SECS_PER_DAY),
    ("d", SECS_PER_DAY),
    ("h", 3600),
    ("m", 60),
    ("s", 1),
];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

const DATE_FORMS: &str =
    "use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]] with an optional Z or ±HH:MM, or now-24h";

/// Parses an absolute date or date-time into the half-open interval it denotes, in UTC
/// nanoseconds: `2026-02-01` is that whole day, `2026-02-01T12:00` that minute,
/// `2026-02-01T12:00:00.5Z` that tenth of a second. Zone-less values are UTC.
///
/// Accepted: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then `T`, `t` or a space, `HH:MM`, optional `:SS`,
/// optional `.f` (1–9 digits), optional zone `Z`, `UTC`, `±HH:MM`, `±HHMM` or `±HH`. Anything
/// else that [`crate::time::parse_timestamp`] reads (epoch numbers, `M/D/YYYY h:mm:ss AM`) is
/// the single nanosecond it names.
pub(crate) fn parse_time_interval(s: &str) -> Result<(i64, i64), String> {
    parse_calendar(s).or_else(|err| {
        // Whatever else the event-time parser reads (epoch seconds/ms/µs/ns, US-locale dates)
        // denotes that instant.
        match crate::time::parse_timestamp(s) {
            Some(ts) => Ok((ts.nanos, ts.nanos.saturating_add(1))),
            None => Err(err),
        }
    })
}

fn parse_calendar(s: &str) -> Result<(i64, i64), String> {
    let mut c = Cursor {
        b: s.trim().as_bytes(),
        i: 0,
    };
    let bad = || format!("invalid date \"{s}\": {DATE_FORMS}");
    let year = c.digits(4).ok_or_else(bad)?;
    if c.done() {
        let start = days_from_civil(year, 1, 1);
        let end = days_from_civil(year + 1, 1, 1);
        return interval(
            s,
            start * SECS_PER_DAY,
            0,
            (end - start) * SECS_PER_DAY * NS_PER_SEC,
        );
    }
    if !c.eat(b'-') {
        return Err(bad());
    }
    let month = c.digits(2).ok_or_else(bad)? as u32;
    if !(1..=12).contains(&month) {
        return Err(format!("invalid date \"{s}\": month {month} is not 1–12"));
    }
    if c.done() {
        let start = days_from_civil(year, month, 1);
        let end = if month == 12 {
            days_from_civil(year + 1, 1, 1)
        } else {
            days_from_civil(year, month + 1, 1)
        };
        return interval(
            s,
            start * SECS_PER_DAY,
            0,
            (end - start) * SECS_PER_DAY * NS_PER_SEC,
        );
    }
    if !c.eat(b'-') {
        return Err(bad());
    }
    let day = c.digits(2).ok_or_else(bad)? as u32;
    if day == 0 || day > days_in_month(year, month) {
        return Err(format!(
            "invalid date \"{s}\": {year:04}-{month:02} has no day {day}"
        ));
    }
    let days = days_from_civil(year, month, day);
    if c.done() {
        return interval(s, days * SECS_PER_DAY, 0, SECS_PER_DAY * NS_PER_SEC);
    }
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return Err(bad());
    }
    let hour = c.digits(2).ok_or_else(bad)?;
    if !c.eat(b':') {
        return Err(bad());
    }
    let minute = c.digits(2).ok_or_else(bad)?;
    let mut precision = 60 * NS_PER_SEC;
    let mut second = 0;
    let mut frac = 0i64;
    if c.eat(b':') {
        second = c.digits(2).ok_or_else(bad)?;
        precision = NS_PER_SEC;
        if c.eat(b'.') || c.eat(b',') {
            let start = c.i;
            while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                c.i += 1;
            }
            let n = c.i - start;
            if n == 0 || n > 9 {
                return Err(format!(
                    "invalid date \"{s}\": 1 to 9 fraction digits are allowed"
                ));
            }
            let digits = &c.b[start..c.i];
            frac = digits
                .iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
            let scale = 10i64.pow(9 - n as u32);
            frac *= scale;
            precision = scale;
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!(
            "invalid date \"{s}\": time {hour:02}:{minute:02}:{second:02} is out of range"
        ));
    }
    // Zone.
    while c.eat(b' ') {}
    let mut offset_secs = 0i64;
    if c.eat(b'Z') || c.eat(b'z') {
    } else if c.rest().eq_ignore_ascii_case(b"utc") || c.rest().eq_ignore_ascii_case(b"gmt") {
        c.i = c.b.len();
    } else if let Some(sign) = c.peek().filter(|b| *b == b'+' || *b == b'-') {
        c.i += 1;
        let oh = c.digits(2).ok_or_else(bad)?;
        c.eat(b':');
        let om = if c.done() {
            0
        } else {
            c.digits(2).ok_or_else(bad)?
        };
        if oh > 23 || om > 59 {
            return Err(format!("invalid date \"{s}\": bad UTC offset"));
        }
        offset_secs = (oh * 3600 + om * 60) * if sign == b'-' { -1 } else { 1 };
    }
    if !c.done() {
        return Err(bad());
    }
    let secs = days * SECS_PER_DAY + hour * 3600 + minute * 60 + second - offset_secs;
    interval(s, secs, frac, precision)
}

fn interval(s: &str, secs: i64, frac: i64, len: i64) -> Result<(i64, i64), String> {
    // i128 so that the floor of i64::MIN (a second boundary below it) plus its fraction fits.
    let start = i128::from(secs) * i128::from(NS_PER_SEC) + i128::from(frac);
    // The end saturates: only the very last representable instant has no successor.
    let end = (start + i128::from(len)).min(i128::from(i64::MAX));
    match (i64::try_from(start), i64::try_from(end)) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(format!(
            "date \"{s}\" is out of range (supported: 1677-09-22 to 2262-04-11)"
        )),
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
    fn rest(&self) -> &[u8] {
        self.b.get(self.i..).unwrap_or_default()
    }
    fn eat(&mut self, ch: u8) -> bool {
        if self.peek() == Some(ch) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<i64> {
        let d = self.b.get(self.i..self.i + n)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(d.iter().fold(0, |acc, x| acc * 10 + i64::from(x - b'0')))
    }
}

/// Parses `now`, `now-24h`, `now+1d`, `now-1d-12h`. `None` if `s` isn't a `now` expression at
/// all; `Some(Err)` if it starts like one but is malformed.
pub(crate) fn parse_now(s: &str) -> Option<Result<i64, String>> {
    let head = s.get(..3)?;
    if !head.eq_ignore_ascii_case("now") {
        return None;
    }
    let mut rest = &s[3..];
    if !(rest.is_empty() || rest.starts_with(['+', '-', '/'])) {
        return None;
    }
    let mut total: i64 = 0;
    while !rest.is_empty() {
        let sign = match rest.as_bytes()[0] {
            b'+' => 1,
            b'-' => -1,
            b'/' => {
                return Some(Err(format!(
                    "rounding (\"{rest}\") isn't supported in \"{s}\": write e.g. now-24h"
                )))
            }
            _ => {
                return Some(Err(format!(
                    "invalid relative time \"{s}\": expected + or - after now"
                )))
            }
        };
        rest = &rest[1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let unit_len = rest[digits..]
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        let (num, unit) = (&rest[..digits], &rest[digits..digits + unit_len]);
        let d = match parse_duration_parts(num, unit) {
            Ok(d) => d,
            Err(e) => return Some(Err(format!("invalid relative time \"{s}\": {e}"))),
        };
        total = match total.checked_add(sign * d) {
            Some(t) => t,
            None => return Some(Err(format!("relative time \"{s}\" is too large"))),
        };
        rest = &rest[digits + unit_len..];
    }
    Some(Ok(total))
}

/// Parses a duration such as `1h`, `15m`, `7d`, `2w`, `30s` into nanoseconds (> 0).
pub(crate) fn parse_duration(s: &str) -> Result<i64, String> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let d = parse_duration_parts(&s[..digits], &s[digits..])?;
    if d == 0 {
        return Err("a duration must be greater than zero".into());
    }
    Ok(d)
}

fn parse_duration_parts(num: &str, unit: &str) -> Result<i64, String> {
    if num.is_empty() {
        return Err("expected a number followed by a unit (s, m, h, d, w), like 24h".into());
    }
    let secs = DURATION_UNITS
        .iter()
        .find(|(u, _)| *u == unit)
        .map(|(_, secs)| *secs)
        .ok_or_else(|| {
            if unit.is_empty() {
                format!("\"{num}\" needs a unit: s, m, h, d or w")
            } else {
                format!("unknown unit \"{unit}\": use s, m, h, d or w")
            }
        })?;
    num.parse::<i64>()
        .ok()
        .and_then(|n| n.checked_mul(secs))
        .and_then(|n| n.checked_mul(NS_PER_SEC))
        .ok_or_else(|| format!("duration {num}{unit} is too large"))
}

/// Formats a duration in nanoseconds with the largest unit that divides it (`86400s` → `1d`).
/// Durations that aren't whole seconds are rounded down to seconds.
pub(crate) fn format_duration(ns: i64) -> String {
    let secs = ns / NS_PER_SEC;
    for (unit, len) in DURATION_UNITS {
        if secs % len == 0 && secs != 0 {
            return format!("{}{unit}", secs / len);
        }
    }
    "0s".into()
}

/// Formats UTC nanoseconds compactly and re-parseably: a date alone at midnight, otherwise
/// `YYYY-MM-DDTHH:MM:SS[.fffffffff]Z` with trailing zeros of the fraction trimmed.
pub(crate) fn format_time(ns: i64) -> String {
    let secs = ns.div_euclid(NS_PER_SEC);
    let frac = ns.rem_euclid(NS_PER_SEC);
    let days = secs.div_euclid(SECS_PER_DAY);
    let sod = secs.rem_euclid(SECS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    if sod == 0 && frac == 0 {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    let mut out = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    );
    if frac != 0 {
        let f = format!("{frac:09}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// Parses a plain decimal number (`400`, `-1.5`, `2e3`). Unlike `str::parse::<f64>` it rejects
/// `inf`, `NaN` and anything that isn't written with digits.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    i += int;
    let mut frac = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac;
    }
    if int + frac == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return None;
        }
        i += exp;
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Parses `addr/len` into a network address (host bits cleared) and prefix length.
pub(crate) fn parse_cidr(s: &str) -> Result<(IpAddr, u8), String> {
    let (addr, len) = s
        .split_once('/')
        .ok_or_else(|| format!("invalid CIDR \"{s}\": expected address/prefix-length"))?;
    let ip: IpAddr = addr
        .parse()
        .map_err(|_| format!("invalid CIDR \"{s}\": \"{addr}\" is not an IP address"))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let prefix = len
        .parse::<u8>()
        .ok()
        .filter(|p| *p <= max && !len.starts_with('+'))
        .ok_or_else(|| {
            format!(
                "invalid CIDR \"{s}\": prefix length must be 0–{max} for {}",
                if ip.is_ipv4() { "IPv4" } else { "IPv6" }
            )
        })?;
    Ok((mask(ip, prefix), prefix))
}

/// Clears the host bits of `ip` beyond `prefix`.
pub(crate) fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let m = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(prefix.min(32)))
            };
            IpAddr::V4((bits & m).into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let m = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix.min(128)))
            };
            IpAddr::V6((bits & m).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(s: &str) -> (i64, i64) {
        match parse_time_interval(s) {
            Ok(v) => v,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    const FEB1: i64 = 1_769_904_000 * NS_PER_SEC; // 2026-02-01T00:00:00Z

    #[test]
    fn dates_denote_intervals() {
        assert_eq!(iv("2026-02-01"), (FEB1, FEB1 + 86_400 * NS_PER_SEC));
        assert_eq!(
            iv("2026-02-01T12:00"),
            (
                FEB1 + 12 * 3600 * NS_PER_SEC,
                FEB1 + (12 * 3600 + 60) * NS_PER_SEC
            )
        );
        assert_eq!(iv("2026-02-01 12:00:00").0, FEB1 + 12 * 3600 * NS_PER_SEC);
        assert_eq!(
            iv("2026-02-01 12:00:00").1 - iv("2026-02-01 12:00:00").0,
            NS_PER_SEC
        );
        assert_eq!(
            iv("2026-02-01T00:00:00.5Z"),
            (FEB1 + 500_000_000, FEB1 + 600_000_000)
        );
        assert_eq!(
            iv("2026-02-01T00:00:00.123456789Z").1 - iv("2026-02-01T00:00:00.123456789Z").0,
            1
        );
        assert_eq!(iv("2026-02-01T02:00:00+02:00").0, FEB1);
        assert_eq!(iv("2026-02-01T02:00:00+0200").0, FEB1);
        assert_eq!(iv("2026-02-01T02:00+02").0, FEB1);
        assert_eq!(iv("2026-01-31T22:00:00-02:00").0, FEB1);
        assert_eq!(iv("2026-02-01 00:00:00 UTC").0, FEB1);
        assert_eq!(iv("2026-02"), (FEB1, FEB1 + 28 * 86_400 * NS_PER_SEC));
        assert_eq!(iv("2024-12").1, iv("2025-01-01").0);
        assert_eq!(iv("1970-01-01").0, 0);
        assert_eq!(iv("2026"), (iv("2026-01-01").0, iv("2027-01-01").0));
        // Via the event-time parser: epochs and US-locale dates are instants.
        assert_eq!(iv("1769904000"), (FEB1, FEB1 + 1));
        assert_eq!(iv("1769904000000"), (FEB1, FEB1 + 1));
        assert_eq!(iv("2/1/2026 12:00:00 AM"), (FEB1, FEB1 + 1));
        assert!(iv("1969-12-31").0 < 0);
    }

    #[test]
    fn bad_dates_are_errors() {
        for s in [
            "2026-13-01",
            "2026-02-30",
            "2026-02-01T25:00",
            "2026-02-01T12",
            "2026-2-1",
            "2026-02-01X",
            "3000-01-01",
            "1600-01-01",
            "2026-02-01T12:00+25:00",
            "",
            "now",
        ] {
            assert!(parse_time_interval(s).is_err(), "{s}");
        }
        assert!(parse_time_interval("2024-02-29").is_ok());
        assert!(parse_time_interval("2023-02-29").is_err());
    }

    #[test]
    fn relative_times_and_durations() {
        let h = 3600 * NS_PER_SEC;
        assert_eq!(parse_now("now"), Some(Ok(0)));
        assert_eq!(parse_now("NOW-24h"), Some(Ok(-24 * h)));
        assert_eq!(parse_now("now+1d-12h"), Some(Ok(12 * h)));
        assert_eq!(parse_now("now-2w"), Some(Ok(-14 * 24 * h)));
        assert_eq!(parse_now("nowhere"), None);
        assert_eq!(parse_now("no"), None);
        assert!(matches!(parse_now("now-7d/d"), Some(Err(e)) if e.contains("rounding")));
        assert!(matches!(parse_now("now-1y"), Some(Err(e)) if e.contains("unknown unit")));
        assert!(matches!(parse_now("now-h"), Some(Err(_))));
        assert!(
            matches!(parse_now("now-99999999999999w"), Some(Err(e)) if e.contains("too large"))
        );
        assert_eq!(parse_duration("1h"), Ok(h));
        assert!(parse_duration("0h").is_err());
        assert!(parse_duration("1").is_err());
        assert!(parse_duration("h").is_err());
        assert_eq!(format_duration(h), "1h");
        assert_eq!(format_duration(24 * h), "1d");
        assert_eq!(format_duration(90 * NS_PER_SEC), "90s");
        assert_eq!(format_duration(-48 * h), "-2d");
    }

    #[test]
    fn time_formatting_round_trips() {
        for ns in [
            0,
            FEB1,
            FEB1 + 1,
            FEB1 + 500_000_000,
            -1,
            i64::MIN,
            i64::MAX,
            1_234_567_890_123_456_789,
        ] {
            let s = format_time(ns);
            assert_eq!(iv(&s).0, ns, "{s}");
        }
        assert_eq!(format_time(FEB1), "2026-02-01");
        assert_eq!(format_time(FEB1 + 500_000_000), "2026-02-01T00:00:00.5Z");
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("400"), Some(400.0));
        assert_eq!(parse_number("-1.5"), Some(-1.5));
        assert_eq!(parse_number("2e3"), Some(2000.0));
        assert_eq!(parse_number(".5"), Some(0.5));
        for s in ["", "-", "inf", "NaN", "1e", "1x", "1e999", "0x10", "1.2.3"] {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }

    #[test]
    fn cidrs() {
        let ok = |s: &str| match parse_cidr(s) {
            Ok(v) => v,
            Err(e) => panic!("{s}: {e}"),
        };
        assert_eq!(ok("10.1.2.3/8"), (IpAddr::from([10, 0, 0, 0]), 8));
        assert_eq!(ok("2001:db8::/32").1, 32);
        assert_eq!(ok("0.0.0.0/0").1, 0);
        for s in [
            "10.0.0.0/33",
            "10.0.0/8",
            "10.0.0.0/",
            "10.0.0.0/x",
            "2001:db8::/129",
            "::/+1",
        ] {
            assert!(parse_cidr(s).is_err(), "{s}");
        }
    }
}
