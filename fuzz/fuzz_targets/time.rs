//! Timestamp parsing (`time::parse_timestamp*`, epochs), zones (`Zone::parse`, offsets around
//! DST) and formatting, on arbitrary strings and numbers.
#![no_main]

use auditlens_core::time::{self, Zone};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let s = String::from_utf8_lossy(body);
    let offset = i32::from(i16::from_le_bytes([sel, sel.rotate_left(3)])) * 60;
    for ts in [
        time::parse_timestamp(&s),
        time::parse_timestamp_in(&s, offset),
        time::parse_epoch_str(&s),
    ]
    .into_iter()
    .flatten()
    {
        exercise(ts.nanos);
    }
    if let Some(off) = time::parse_fixed_offset(&s) {
        assert!(off.abs() < 48 * 3600, "offset {off} out of any real range");
        let _ = time::format_with_offset(0, off);
    }
    for zone in [Zone::parse(&s).ok(), Zone::parse("Europe/Berlin").ok()]
        .into_iter()
        .flatten()
    {
        let _ = zone.name();
        if let Some(ts) = time::parse_timestamp_zone(&s, &zone) {
            exercise(ts.nanos);
            let _ = zone.offset_at(ts.nanos);
            let _ = zone.offset_for_local(ts.nanos);
        }
    }
    // Raw numbers: as an f64 epoch (seconds, ms, µs or ns by magnitude) and as i64 nanos.
    if body.len() >= 8 {
        let b: [u8; 8] = body[..8].try_into().unwrap_or_default();
        if let Some(ts) = time::from_epoch_f64(f64::from_le_bytes(b)) {
            exercise(ts.nanos);
        }
        let n = i64::from_le_bytes(b);
        let _ = time::format_rfc3339_ms(n);
        let _ = time::format_with_offset(n, offset);
        let _ = time::civil_from_days(n / 86_400 / time::NS);
        if let Ok(z) = Zone::parse("America/New_York") {
            let _ = z.offset_at(n);
            let _ = z.offset_for_local(n);
        }
    }
});

fn exercise(nanos: i64) {
    let txt = time::format_rfc3339_ms(nanos);
    // What we print parses back to the same millisecond.
    if let Some(back) = time::parse_timestamp(&txt) {
        assert_eq!(
            back.nanos.div_euclid(1_000_000),
            nanos.div_euclid(1_000_000),
            "{txt} does not round-trip"
        );
    }
    let days = nanos.div_euclid(86_400 * time::NS);
    let (y, m, d) = time::civil_from_days(days);
    assert_eq!(time::days_from_civil(y, m, d), days);
}
