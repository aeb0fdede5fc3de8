//! Calendar arithmetic and the timestamp renderings the formats use. Integer-only, no clock.

/// Seconds in a day.
pub(crate) const DAY: i64 = 86_400;

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date for a day number (inverse of [`days_from_civil`]).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day of week of a Unix time shifted by `offset_min`: 0 = Monday … 6 = Sunday.
pub(crate) fn weekday(t: i64, offset_min: i32) -> u32 {
    let local = t + i64::from(offset_min) * 60;
    (local.div_euclid(DAY) + 3).rem_euclid(7) as u32
}

/// Minute of the local day (0..1440).
pub(crate) fn minute_of_day(t: i64, offset_min: i32) -> u32 {
    let local = t + i64::from(offset_min) * 60;
    (local.rem_euclid(DAY) / 60) as u32
}

fn push2(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10 % 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

fn push_date_time(out: &mut Vec<u8>, local: i64, sep: u8) {
    let (y, m, d) = civil_from_days(local.div_euclid(DAY));
    let secs = local.rem_euclid(DAY) as u32;
    let y = y.clamp(0, 9999) as u32;
    push2(out, y / 100);
    push2(out, y % 100);
    out.push(b'-');
    push2(out, m);
    out.push(b'-');
    push2(out, d);
    out.push(sep);
    push2(out, secs / 3600);
    out.push(b':');
    push2(out, secs / 60 % 60);
    out.push(b':');
    push2(out, secs % 60);
}

/// `2026-02-01T09:15:22Z`
pub(crate) fn write_rfc3339(out: &mut Vec<u8>, t: i64) {
    push_date_time(out, t, b'T');
    out.push(b'Z');
}

/// `2026-02-01T18:15:22+09:00` (the same instant shown at a fixed offset).
pub(crate) fn write_rfc3339_offset(out: &mut Vec<u8>, t: i64, offset_min: i32) {
    push_date_time(out, t + i64::from(offset_min) * 60, b'T');
    out.push(if offset_min < 0 { b'-' } else { b'+' });
    let a = offset_min.unsigned_abs();
    push2(out, a / 60);
    out.push(b':');
    push2(out, a % 60);
}

/// `2026-02-01 09:15:22` (UTC, no zone: the ops0 list/CSV rendering).
pub(crate) fn write_space(out: &mut Vec<u8>, t: i64) {
    push_date_time(out, t, b' ');
}

/// RFC 3339 text for a Unix time (UTC, `Z`).
pub fn rfc3339(t: i64) -> String {
    let mut v = Vec::with_capacity(20);
    write_rfc3339(&mut v, t);
    String::from_utf8_lossy(&v).into_owned()
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    let mut v = 0i64;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// Parse an RFC 3339 timestamp (`2026-02-01T00:00:00Z`, `…+09:00`, optional fraction, which is
/// truncated) into Unix seconds. A bare date (`2026-02-01`) means its midnight UTC.
/// Also accepts a space instead of `T` and a missing zone (taken as UTC).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    let y = digits(b, 0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let mo = digits(b, 5, 2)?;
    let d = digits(b, 8, 2)?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let day = days_from_civil(y, mo as u32, d as u32);
    if b.len() == 10 {
        return Some(day * DAY);
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let h = digits(b, 11, 2)?;
    let mi = digits(b, 14, 2)?;
    let se = digits(b, 17, 2)?;
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
            let v = digits(b, i + 1, 2)? * 3600 + digits(b, i + 4, 2)? * 60;
            if sign == b'-' {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    Some(day * DAY + h * 3600 + mi * 60 + se - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for z in [-1000, 0, 1, 20_485, 20_500, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(2026, 2, 1), 20_485);
    }

    #[test]
    fn renders_and_parses() {
        let t = parse_rfc3339("2026-02-01T00:00:00Z").expect("parse");
        assert_eq!(t, 1_769_904_000);
        assert_eq!(rfc3339(t + 3 * 3600 + 62), "2026-02-01T03:01:02Z");
        let mut v = Vec::new();
        write_rfc3339_offset(&mut v, t, 540);
        assert_eq!(v, b"2026-02-01T09:00:00+09:00");
        assert_eq!(parse_rfc3339("2026-02-01T09:00:00+09:00"), Some(t));
        assert_eq!(parse_rfc3339("2026-02-01 00:00:00"), Some(t));
        assert_eq!(parse_rfc3339("2026-02-01T00:00:00.123Z"), Some(t));
        assert_eq!(parse_rfc3339("2026-02-01"), Some(t));
        assert_eq!(parse_rfc3339("2026-02-01T00:00:00X"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
        v.clear();
        write_space(&mut v, t);
        assert_eq!(v, b"2026-02-01 00:00:00");
        // 2026-02-01 is a Sunday.
        assert_eq!(weekday(t, 0), 6);
        assert_eq!(weekday(t + DAY, 0), 0);
        assert_eq!(minute_of_day(t + 3600, 60), 120);
    }
}
