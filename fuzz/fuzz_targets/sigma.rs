//! The Sigma loader (`sigma::load_rules`: YAML, detection and correlation rules, modifiers,
//! wildcards, regexes) on arbitrary text, then every usable rule run over a small dataset.
#![no_main]

use auditlens_core::{detect, sigma};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let set = sigma::load_rules(&[("fuzz.yml".to_string(), text)]);
    for r in &set.rules {
        let _ = r.doc();
        let _ = r.info();
    }
    for (file, _title, reason) in &set.unsupported {
        assert!(!reason.is_empty(), "{file}: unsupported without a reason");
    }
    if set.rules.is_empty() {
        return;
    }
    let (ds, _) = auditlens_fuzz::dataset();
    let findings = detect::run_all(ds, None, Some(&set));
    for f in &findings {
        assert!(f.first_ns <= f.last_ns, "{}: first after last", f.rule);
    }
    for r in &set.rules {
        for e in ds.events.iter().take(20) {
            let _ = sigma::explain(ds, r, e);
        }
    }
});
