//! The tape JSON parser (`json::Doc`) on arbitrary bytes, and every accessor over the result.
#![no_main]

use auditlens_core::json::{self, Doc, Kind, Val};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = Doc::parse(data);
    // The fast skipper must agree on where a well-formed value ends.
    if let Ok(d) = &parsed {
        let (s, e) = d.span();
        assert!(s <= e && e <= data.len());
        if let Some(end) = json::skip_value(data, 0) {
            assert_eq!(end, e, "skip_value and the parser disagree on the value's end");
        }
        walk(d.root(), 0);
        let _ = d.key_signature();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let p2 = Doc::parse_str(text);
        assert_eq!(p2.is_ok(), parsed.is_ok(), "parse and parse_str disagree");
        if let Ok(d) = &p2 {
            walk(d.root(), 0);
        }
        // Values one after another, as the NDJSON / concatenated reader sees them.
        let mut doc = Doc::default();
        let mut pos = 0;
        for _ in 0..64 {
            match doc.parse_value_at_str(text, pos) {
                Ok(end) if end > pos && end <= text.len() => pos = end,
                _ => break,
            }
        }
        let _ = json::fold_key(text);
        let mut out = String::new();
        json::write_str(&mut out, text);
        // write_str produces a JSON string that parses back to the same text.
        let back = Doc::parse_str(&out).expect("write_str output parses");
        assert_eq!(back.root().as_str().as_deref(), Some(text));
    }
    let _ = json::unescape(data);
});

fn walk(v: Val<'_, '_>, depth: usize) {
    if depth > 600 {
        panic!("deeper than json::MAX_DEPTH");
    }
    let _ = v.raw();
    let (s, e) = v.span();
    assert!(s <= e);
    let _ = (v.is_null(), v.as_str(), v.as_text(), v.as_f64(), v.as_bool(), v.is_empty());
    match v.kind() {
        Kind::Obj => {
            let mut n = 0;
            for (k, child) in v.entries() {
                n += 1;
                // get finds every member by its decoded key (keys with invalid UTF-8 excepted:
                // ingest repairs the text before parsing, so they never reach a mapper).
                if !k.contains('\u{fffd}') {
                    assert!(v.get(&k).is_some(), "get({k:?}) misses a member");
                }
                let _ = v.get_folded(&json::fold_key(&k));
                let _ = v.path(&k);
                let _ = v.path_segs(&[k.as_ref(), "0", "x"]);
                walk(child, depth + 1);
            }
            assert_eq!(n, v.len());
        }
        Kind::Arr => {
            let mut n = 0;
            for child in v.elements() {
                n += 1;
                walk(child, depth + 1);
            }
            assert_eq!(n, v.len());
            let _ = v.path("0.a.1");
        }
        _ => {}
    }
}
