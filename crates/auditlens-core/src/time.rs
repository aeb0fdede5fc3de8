//! Timestamps: one parser for every format seen in audit exports, normalized to UTC nanoseconds.
//!
//! Accepted (after trimming white space):
//! - RFC 3339 / ISO 8601 with `T` or a space, 0–9 fraction digits, and `Z`, `±hh:mm`, `±hhmm`,
//!   `±hh`, ` UTC` or ` GMT`; without a zone the value is taken in the caller's assumed zone
//!   (UTC by default) and flagged [`ZONE_ASSUMED`]; seconds are optional (`2026-02-01T12:00`);
//!   a bare date means midnight.
//! - US locale `M/D/YYYY h:mm[:ss] [AM|PM]` (Purview CSV, Excel re-saves), flagged
//!   [`LOCALE_PARSED`] and [`ZONE_ASSUMED`].
//! - Epoch numbers: by digit count seconds (≤ 11), milliseconds (12–14), microseconds (15–17),
//!   nanoseconds (18–19); a fraction is allowed on seconds (`1721573301.123`).

/// The value carried no zone; the assumed zone (UTC unless overridden) was applied.
pub const ZONE_ASSUMED: u8 = 1;
/// Parsed from a locale-dependent (US) layout.
pub const LOCALE_PARSED: u8 = 2;
/// Parsed from an epoch number.
pub const FROM_EPOCH: u8 = 4;
/// The event had no usable time of its own; a fallback field was used.
pub const FALLBACK_FIELD: u8 = 8;

/// A parsed timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ts {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    pub nanos: i64,
    /// `ZONE_ASSUMED` | `LOCALE_PARSED` | `FROM_EPOCH` | `FALLBACK_FIELD`.
    pub flags: u8,
}

/// Nanoseconds per second.
pub const NS: i64 = 1_000_000_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
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
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// Parses a timestamp string; zone-less values are taken as UTC.
pub fn parse_timestamp(s: &str) -> Option<Ts> {
    parse_timestamp_in(s, 0)
}

/// Parses a timestamp string; zone-less values are taken at `assumed_offset_secs` east of UTC.
pub fn parse_timestamp_in(s: &str, assumed_offset_secs: i32) -> Option<Ts> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 64 {
        return None;
    }
    if b.iter().all(|c| c.is_ascii_digit() || *c == b'.') && b[0].is_ascii_digit() {
        return parse_epoch_str(s);
    }
    if b.len() >= 10 && b[4] == b'-' {
        return parse_iso(b, assumed_offset_secs);
    }
    if b.contains(&b'/') {
        return parse_us(b, assumed_offset_secs);
    }
    None
}

/// Interprets an epoch number given as text (integer or decimal seconds).
pub fn parse_epoch_str(s: &str) -> Option<Ts> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if int.is_empty() || int.len() > 19 || !int.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v: i64 = int.parse().ok()?;
    let n = int.len();
    let nanos = match n {
        0..=11 => {
            let mut ns = v.checked_mul(NS)?;
            if let Some(f) = frac {
                if !f.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                ns = ns.checked_add(frac_nanos(f.as_bytes()))?;
            }
            ns
        }
        12..=14 if frac.is_none() => v.checked_mul(1_000_000)?,
        15..=17 if frac.is_none() => v.checked_mul(1_000)?,
        18..=19 if frac.is_none() => v,
        _ => return None,
    };
    Some(Ts {
        nanos,
        flags: FROM_EPOCH,
    })
}

/// Interprets an epoch number from a JSON number (by magnitude, like [`parse_epoch_str`]).
pub fn from_epoch_f64(v: f64) -> Option<Ts> {
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    let nanos = if v < 1e11 {
        (v * 1e9) as i64
    } else if v < 1e14 {
        (v * 1e6) as i64
    } else if v < 1e17 {
        (v * 1e3) as i64
    } else if v < 9.2e18 {
        v as i64
    } else {
        return None;
    };
    Some(Ts {
        nanos,
        flags: FROM_EPOCH,
    })
}

fn frac_nanos(f: &[u8]) -> i64 {
    let mut ns = 0i64;
    for i in 0..9 {
        ns = ns * 10 + f.get(i).map_or(0, |c| (c - b'0') as i64);
    }
    ns
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |a, c| a * 10 + (c - b'0') as u32))
}

fn civil_to_nanos(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, ns: i64) -> Option<i64> {
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 24 || mi > 59 || s > 60
    {
        return None;
    }
    if h == 24 && (mi != 0 || s != 0 || ns != 0) {
        return None;
    }
    let s = s.min(59); // a leap second folds onto :59
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h as i64 * 3600 + mi as i64 * 60 + s as i64;
    secs.checked_mul(NS)?.checked_add(ns)
}

fn parse_iso(b: &[u8], assumed: i32) -> Option<Ts> {
    let y = num(&b[0..4])? as i64;
    if b[7] != b'-' {
        return None;
    }
    let mo = num(&b[5..7])?;
    let d = num(&b[8..10])?;
    let mut i = 10;
    let (mut h, mut mi, mut s, mut ns) = (0, 0, 0, 0i64);
    if i < b.len() && (b[i] == b'T' || b[i] == b't' || b[i] == b' ') && b.len() >= i + 6 {
        i += 1;
        h = num(&b[i..i + 2])?;
        if b[i + 2] != b':' {
            return None;
        }
        mi = num(&b[i + 3..i + 5])?;
        i += 5;
        if i < b.len() && b[i] == b':' {
            s = num(b.get(i + 1..i + 3)?)?;
            i += 3;
            if i < b.len() && (b[i] == b'.' || b[i] == b',') {
                let st = i + 1;
                let mut e = st;
                while e < b.len() && b[e].is_ascii_digit() {
                    e += 1;
                }
                if e == st || e - st > 12 {
                    return None;
                }
                ns = frac_nanos(&b[st..e]);
                i = e;
            }
        }
    }
    let (offset, flags) = parse_zone(&b[i..], assumed)?;
    let nanos = civil_to_nanos(y, mo, d, h, mi, s, ns)?;
    Some(Ts {
        nanos: nanos.checked_sub(offset as i64 * NS)?,
        flags,
    })
}

/// Parses a trailing zone designator: returns (offset seconds east, flags).
fn parse_zone(z: &[u8], assumed: i32) -> Option<(i32, u8)> {
    let z = trim_ascii(z);
    match z {
        b"" => return Some((assumed, ZONE_ASSUMED)),
        b"Z" | b"z" | b"UTC" | b"GMT" | b"Z UTC" => return Some((0, 0)),
        _ => {}
    }
    let z = if z.starts_with(b"UTC") || z.starts_with(b"GMT") {
        &z[3..]
    } else {
        z
    };
    let sign = match z.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let r = &z[1..];
    let (hh, mm) = match r.len() {
        2 => (num(r)?, 0),
        4 => (num(&r[0..2])?, num(&r[2..4])?),
        5 if r[2] == b':' => (num(&r[0..2])?, num(&r[3..5])?),
        _ => return None,
    };
    if hh > 23 || mm > 59 {
        return None;
    }
    Some((sign * (hh as i32 * 3600 + mm as i32 * 60), 0))
}

fn trim_ascii(mut b: &[u8]) -> &[u8] {
    while let [f, rest @ ..] = b {
        if f.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., l] = b {
        if l.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// `M/D/YYYY h:mm[:ss][.fff] [AM|PM]` — US order; zone-less.
fn parse_us(b: &[u8], assumed: i32) -> Option<Ts> {
    let s = std::str::from_utf8(b).ok()?;
    let (date, rest) = match s.find(' ') {
        Some(p) => (&s[..p], s[p + 1..].trim()),
        None => (s, ""),
    };
    let mut dp = date.split('/');
    let mo = num(dp.next()?.as_bytes())?;
    let d = num(dp.next()?.as_bytes())?;
    let y = num(dp.next()?.as_bytes())? as i64;
    if dp.next().is_some() || y < 1000 {
        return None;
    }
    let (mut h, mut mi, mut sec, mut ns) = (0, 0, 0, 0i64);
    if !rest.is_empty() {
        let (clock, ampm) = match rest.rsplit_once(' ') {
            Some((c, a)) => (c.trim(), Some(a.trim())),
            None => (rest, None),
        };
        let (clock, ampm) = match ampm {
            Some(a) if a.eq_ignore_ascii_case("AM") || a.eq_ignore_ascii_case("PM") => {
                (clock, Some(a.eq_ignore_ascii_case("PM")))
            }
            Some(_) => return None,
            None => {
                let upper = clock.to_ascii_uppercase();
                if let Some(c) = upper.strip_suffix("PM") {
                    (&clock[..c.len()], Some(true))
                } else if let Some(c) = upper.strip_suffix("AM") {
                    (&clock[..c.len()], Some(false))
                } else {
                    (clock, None)
                }
            }
        };
        let mut cp = clock.split(':');
        h = num(cp.next()?.as_bytes())?;
        mi = num(cp.next()?.as_bytes())?;
        if let Some(sp) = cp.next() {
            let (si, sf) = match sp.split_once('.') {
                Some((a, f)) => (a, Some(f)),
                None => (sp, None),
            };
            sec = num(si.as_bytes())?;
            if let Some(f) = sf {
                if f.is_empty() || !f.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                ns = frac_nanos(f.as_bytes());
            }
        }
        if let Some(pm) = ampm {
            if h == 0 || h > 12 {
                return None;
            }
            h = match (h, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        }
    }
    let nanos = civil_to_nanos(y, mo, d, h, mi, sec, ns)?;
    Some(Ts {
        nanos: nanos.checked_sub(assumed as i64 * NS)?,
        flags: ZONE_ASSUMED | LOCALE_PARSED,
    })
}

/// A zone for timestamps that carry none: a fixed offset, or an IANA zone with its DST rules
/// (from the tz database bundled into the binary, so the CLI and the page agree).
#[derive(Clone, Debug)]
pub enum Zone {
    /// Seconds east of UTC.
    Fixed(i32),
    /// An IANA zone (`Europe/Berlin`) and its rules.
    Iana(String, jiff::tz::TimeZone),
}

impl Default for Zone {
    fn default() -> Self {
        Zone::Fixed(0)
    }
}

impl Zone {
    /// `UTC`, `+02:00`, `-0530`, `UTC+9` or an IANA name.
    pub fn parse(s: &str) -> Result<Zone, String> {
        if let Some(off) = parse_fixed_offset(s) {
            return Ok(Zone::Fixed(off));
        }
        match jiff::tz::db().get(s.trim()) {
            Ok(tz) => Ok(Zone::Iana(s.trim().to_string(), tz)),
            Err(_) => Err(format!(
                "unknown time zone {s:?}: use UTC, an offset such as +02:00, or an IANA name such as Europe/Berlin"
            )),
        }
    }

    /// The zone's name as given (`UTC`, `+02:00`, `Europe/Berlin`).
    pub fn name(&self) -> String {
        match self {
            Zone::Fixed(0) => "UTC".into(),
            Zone::Fixed(o) => format_with_offset(0, *o)[20..].to_string(),
            Zone::Iana(n, _) => n.clone(),
        }
    }

    /// Offset (seconds east) in force at a UTC instant.
    pub fn offset_at(&self, utc_nanos: i64) -> i32 {
        match self {
            Zone::Fixed(o) => *o,
            Zone::Iana(_, tz) => jiff::Timestamp::from_nanosecond(utc_nanos as i128)
                .map(|t| tz.to_offset(t).seconds())
                .unwrap_or(0),
        }
    }

    /// Offset in force at a local wall-clock time (given as nanoseconds as if it were UTC).
    /// In a DST gap or overlap the offset before the transition is used.
    pub fn offset_for_local(&self, local_nanos: i64) -> i32 {
        match self {
            Zone::Fixed(o) => *o,
            Zone::Iana(..) => {
                // Saturating: times at the ends of the i64 range must not overflow (fuzzer).
                let guess = self.offset_at(local_nanos);
                let second = self.offset_at(local_nanos.saturating_sub(guess as i64 * NS));
                if second == guess {
                    guess
                } else {
                    // Near a transition: prefer the offset that maps back to the same wall time.
                    let back = self.offset_at(local_nanos.saturating_sub(second as i64 * NS));
                    if back == second {
                        second
                    } else {
                        guess.max(second)
                    }
                }
            }
        }
    }
}

/// Parses a timestamp; zone-less values are taken in `zone` (flagged [`ZONE_ASSUMED`]).
pub fn parse_timestamp_zone(s: &str, zone: &Zone) -> Option<Ts> {
    let mut t = parse_timestamp_in(s, 0)?;
    if t.flags & ZONE_ASSUMED != 0 {
        t.nanos = t
            .nanos
            .checked_sub(zone.offset_for_local(t.nanos) as i64 * NS)?;
    }
    Some(t)
}

/// Formats as RFC 3339 UTC with milliseconds: `2026-02-01T10:00:00.123Z`.
pub fn format_rfc3339_ms(nanos: i64) -> String {
    let secs = nanos.div_euclid(NS);
    let ms = nanos.rem_euclid(NS) / 1_000_000;
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        sod / 3600,
        sod / 60 % 60,
        sod % 60
    )
}

/// Formats with a fixed offset (seconds east of UTC): `2026-02-01 11:00:00 +01:00`.
pub fn format_with_offset(nanos: i64, offset_secs: i32) -> String {
    // Saturating: a time at the ends of the i64 range must not overflow (the fuzzer found it).
    let local = nanos.saturating_add(offset_secs as i64 * NS);
    let secs = local.div_euclid(NS);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let sign = if offset_secs < 0 { '-' } else { '+' };
    let off = offset_secs.unsigned_abs();
    format!(
        "{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02} {sign}{:02}:{:02}",
        sod / 3600,
        sod / 60 % 60,
        sod % 60,
        off / 3600,
        off / 60 % 60
    )
}

/// Parses a zone for display/assumption: `UTC`, `Z`, `+02:00`, `-0530`, `UTC+2`.
/// Returns seconds east of UTC. IANA names are resolved by the caller (the page uses `Intl`).
pub fn parse_fixed_offset(s: &str) -> Option<i32> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("gmt")
    {
        return Some(0);
    }
    let u = t.to_ascii_uppercase();
    let r = u
        .strip_prefix("UTC")
        .or_else(|| u.strip_prefix("GMT"))
        .unwrap_or(&u);
    let sign = match r.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &r[1..];
    let (h, m) = if let Some((h, m)) = body.split_once(':') {
        (num(h.as_bytes())?, num(m.as_bytes())?)
    } else if body.len() == 4 {
        (num(&body.as_bytes()[..2])?, num(&body.as_bytes()[2..])?)
    } else {
        (num(body.as_bytes())?, 0)
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h as i32 * 3600 + m as i32 * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> (String, u8) {
        let t = parse_timestamp(s).unwrap_or_else(|| panic!("no parse: {s:?}"));
        (format_rfc3339_ms(t.nanos), t.flags)
    }

    #[test]
    fn rfc3339_variants() {
        assert_eq!(
            p("2023-07-19T21:33:41Z"),
            ("2023-07-19T21:33:41.000Z".into(), 0)
        );
        assert_eq!(p("2021-11-18T09:41:02-08:00").0, "2021-11-18T17:41:02.000Z");
        assert_eq!(
            p("2024-01-15T10:30:45.123456789Z").0,
            "2024-01-15T10:30:45.123Z"
        );
        assert_eq!(
            parse_timestamp("2024-01-15T10:30:45.123456789Z")
                .unwrap()
                .nanos
                % NS,
            123_456_789
        );
        assert_eq!(
            p("2018-09-19T19:57:51.6021772Z").0,
            "2018-09-19T19:57:51.602Z"
        );
        assert_eq!(
            p("2019-10-18T04:45:48.0729893-05:00").0,
            "2019-10-18T09:45:48.072Z"
        );
        assert_eq!(p("2026-02-03T09:15:22+0900").0, "2026-02-03T00:15:22.000Z");
        assert_eq!(p("2026-02-03T09:15:22+09").0, "2026-02-03T00:15:22.000Z");
    }

    #[test]
    fn purview_trailing_space_and_seven_digits() {
        assert_eq!(
            p("2026-01-24T06:54:24.0000000Z ").0,
            "2026-01-24T06:54:24.000Z"
        );
    }

    #[test]
    fn zone_less_is_flagged_and_assumed_utc() {
        assert_eq!(
            p("2023-09-20T04:05:03"),
            ("2023-09-20T04:05:03.000Z".into(), ZONE_ASSUMED)
        );
        let t = parse_timestamp_in("2023-09-20T04:05:03", 3600).unwrap();
        assert_eq!(format_rfc3339_ms(t.nanos), "2023-09-20T03:05:03.000Z");
    }

    #[test]
    fn space_separated_with_and_without_zone() {
        assert_eq!(
            p("2024-01-15 10:30:45"),
            ("2024-01-15T10:30:45.000Z".into(), ZONE_ASSUMED)
        );
        assert_eq!(
            p("2024-01-15 14:30:45 UTC"),
            ("2024-01-15T14:30:45.000Z".into(), 0)
        );
        assert_eq!(p("2022-02-08 09:23:37+11:00").0, "2022-02-07T22:23:37.000Z");
    }

    #[test]
    fn minutes_only_and_date_only() {
        assert_eq!(p("2026-02-03T12:00").0, "2026-02-03T12:00:00.000Z");
        assert_eq!(
            p("2026-02-01"),
            ("2026-02-01T00:00:00.000Z".into(), ZONE_ASSUMED)
        );
    }

    #[test]
    fn us_locale() {
        assert_eq!(
            p("9/20/2023 4:05:03 AM"),
            (
                "2023-09-20T04:05:03.000Z".into(),
                ZONE_ASSUMED | LOCALE_PARSED
            )
        );
        assert_eq!(p("9/20/2023 12:05:03 AM").0, "2023-09-20T00:05:03.000Z");
        assert_eq!(p("9/20/2023 12:05:03 PM").0, "2023-09-20T12:05:03.000Z");
        assert_eq!(p("1/9/2007 9:41:00 PM").0, "2007-01-09T21:41:00.000Z");
        assert_eq!(p("01/09/2007 09:41:00").0, "2007-01-09T09:41:00.000Z");
        assert!(parse_timestamp("13/45/2023 4:05:03 AM").is_none());
    }

    #[test]
    fn epochs() {
        assert_eq!(p("1583364251").0, "2020-03-04T23:24:11.000Z");
        assert_eq!(p("1583364251067").0, "2020-03-04T23:24:11.067Z");
        assert_eq!(p("1583364251067123").0, "2020-03-04T23:24:11.067Z");
        assert_eq!(p("1583364251067123456").0, "2020-03-04T23:24:11.067Z");
        assert_eq!(p("1721573301.5").0, "2024-07-21T14:48:21.500Z");
        assert_eq!(p("1583364251067").1, FROM_EPOCH);
        assert_eq!(
            format_rfc3339_ms(from_epoch_f64(1583364251067.0).unwrap().nanos),
            "2020-03-04T23:24:11.067Z"
        );
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "abc",
            "2023-13-01T00:00:00Z",
            "2023-02-30",
            "2023-01-01T25:00",
            "2023-01-01Tx",
            "2023-01-01T10:00:00+99:00",
            "99999999999999999999",
            "1/2",
        ] {
            assert!(parse_timestamp(s).is_none(), "{s:?} should not parse");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 59, 365, 10_957, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn iana_zones_follow_dst() {
        let z = Zone::parse("Europe/Berlin").unwrap();
        let winter = parse_timestamp_zone("2026-01-15 12:00:00", &z).unwrap();
        assert_eq!(format_rfc3339_ms(winter.nanos), "2026-01-15T11:00:00.000Z");
        let summer = parse_timestamp_zone("2026-07-15 12:00:00", &z).unwrap();
        assert_eq!(format_rfc3339_ms(summer.nanos), "2026-07-15T10:00:00.000Z");
        // Explicit offsets are never re-interpreted.
        let explicit = parse_timestamp_zone("2026-07-15T12:00:00Z", &z).unwrap();
        assert_eq!(
            format_rfc3339_ms(explicit.nanos),
            "2026-07-15T12:00:00.000Z"
        );
        assert!(Zone::parse("Mars/Olympus").is_err());
        assert_eq!(Zone::parse("+02:00").unwrap().name(), "+02:00");
        assert_eq!(
            Zone::parse("America/New_York")
                .unwrap()
                .offset_at(winter.nanos),
            -5 * 3600
        );
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_fixed_offset("UTC"), Some(0));
        assert_eq!(parse_fixed_offset("+02:00"), Some(7200));
        assert_eq!(parse_fixed_offset("-0530"), Some(-19800));
        assert_eq!(parse_fixed_offset("UTC+9"), Some(32400));
        assert_eq!(parse_fixed_offset("Mars/Olympus"), None);
        assert_eq!(format_with_offset(0, 3600), "1970-01-01 01:00:00 +01:00");
    }
}
