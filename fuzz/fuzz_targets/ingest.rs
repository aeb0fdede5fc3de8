//! `Dataset::load` on arbitrary bytes: gzip/UTF-16/UTF-8 decoding, container sniffing, the JSON
//! and CSV record readers, format sniffing, and — with the format forced — every mapper.
//!
//! The first byte selects the options: bit 7 forces a format (low 5 bits pick it from
//! `formats::all()`), bit 6 also runs the analysis layers (index, searches, built-in
//! detections, timeline), bit 5 assumes `Europe/Berlin` for zone-less times, bit 4 loads the
//! bytes a second time as another file (cross-file duplicates). The rest is the file.
#![no_main]

use auditlens_core::{detect, formats, ingest, search, time, timeline, Dataset, LoadOptions};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &["export.json", "audit.csv", "events.log", "trail.json.gz"];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let all = formats::all();
    let mut opts = LoadOptions::default();
    if sel & 0x80 != 0 {
        opts.format = Some(all[(sel & 0x1f) as usize % all.len()].id().to_string());
    }
    if sel & 0x20 != 0 {
        opts.zone = time::Zone::parse("Europe/Berlin").ok();
    }
    let name = NAMES[(sel & 0x3) as usize];
    let mut ds = Dataset::new();
    let s = ds.load(name, body.to_vec(), &opts).clone();
    check(&ds, &s, body.len());
    if sel & 0x10 != 0 {
        let s2 = ds.load("second.json", body.to_vec(), &opts).clone();
        check(&ds, &s2, body.len());
    }
    let expected = ds
        .files
        .iter()
        .map(|f| f.summary.loaded - f.summary.duplicates - f.summary.merged)
        .sum::<u64>();
    assert_eq!(ds.len() as u64, expected, "events = loaded - duplicates - merged");
    for e in &ds.events {
        let _ = ds.original(e);
        let _ = ds.doc(e);
        let _ = ds.time_raw(e);
        let _ = ds.uid(e);
        let _ = ds.changes(e);
        assert!(!ds.event_json(e).to_string().is_empty());
    }
    if sel & 0x40 != 0 {
        analyze(&ds);
    }
});

fn check(ds: &Dataset, s: &ingest::FileSummary, size: usize) {
    assert_eq!(s.read, s.loaded + s.rejected, "read = loaded + rejected");
    assert_eq!(s.size, size as u64);
    assert_eq!(s.sha256.len(), 64);
    assert!(s.errors.len() <= ingest::MAX_LISTED_ERRORS + 2, "{}", s.errors.len());
    for e in &s.errors {
        assert!(!e.reason.is_empty(), "an error without a reason");
    }
    if !s.ok {
        assert!(!s.errors.is_empty(), "an unreadable file must say why");
    }
    if s.rejected > 0 {
        assert!(!s.errors.is_empty(), "rejected records must be listed");
    }
    assert!(s.duplicates + s.merged <= s.loaded);
    if let (Some(a), Some(b)) = (&s.first, &s.last) {
        assert!(a <= b, "first {a} after last {b}");
    }
    let _ = ds.time_range();
}

fn analyze(ds: &Dataset) {
    let ix = search::Index::build(ds);
    for q in [
        "*",
        "failed",
        "outcome:failure | stats count by actor, ip",
        "action:*delete* | top 5 actor",
        "/(?i)admin/ | timechart 1h",
        "raw.a.b:* OR ip:10.0.0.0/8",
        "time>now-24h -outcome:success",
    ] {
        let opts = search::SearchOptions {
            facets: true,
            histogram: true,
            highlights: true,
            ..Default::default()
        };
        let r = search::run(ds, &ix, q, &opts).expect("fixed queries parse");
        assert!(r.total <= ds.len());
    }
    let _ = detect::run_all(ds, Some(&detect::Config::default()), None);
    let _ = timeline::histogram(ds, None, 3_600 * time::NS, timeline::Stack::Outcome);
    for by in ["actor", "ip", "target", "session"] {
        if let Some(by) = timeline::LaneBy::parse(by) {
            let _ = timeline::lanes(ds, None, by);
        }
    }
    let _ = timeline::sessions(ds, None, 30 * 60 * time::NS);
}
