//! The query language: parsing, highlighting, printing (which must parse back to the same AST),
//! and evaluating with `search::run` (facets, histogram, highlights, pipe stages, sorting)
//! over a small fixed dataset.
#![no_main]

use auditlens_core::query;
use auditlens_core::search::{self, SearchOptions, Sort};
use libfuzzer_sys::fuzz_target;

const SORTS: &[&str] = &["time", "-time", "actor", "-action", "ip", "outcome"];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(body);
    let classes = query::highlight(&text);
    let mut last = 0;
    for &(s, e, _) in &classes {
        assert!(s >= last && s <= e && e <= text.len(), "highlight spans {classes:?}");
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        last = e;
    }
    let q = match query::parse(&text) {
        Ok(q) => q,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let printed = q.to_string();
    match query::parse(&printed) {
        Ok(back) => assert_eq!(back, q, "{text:?} prints as {printed:?}, which parses differently"),
        Err(e) => panic!("{text:?} prints as {printed:?}, which does not parse: {e}"),
    }
    let (ds, ix) = auditlens_fuzz::dataset();
    let opts = SearchOptions {
        offset: (sel as usize >> 4) * 7,
        limit: 25,
        sort: Sort::parse(SORTS[sel as usize % SORTS.len()]).expect("sort"),
        facets: sel & 0x08 != 0,
        histogram: true,
        highlights: true,
        raw_text: sel & 0x04 != 0,
        ..Default::default()
    };
    let r = search::search(ds, ix, &q, &opts).expect("a parsed query runs");
    assert!(r.total <= ds.len());
    assert!(r.hits.len() <= 25);
    let _ = r.to_json(ds);
});
