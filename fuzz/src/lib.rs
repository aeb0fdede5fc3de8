//! Shared pieces of the fuzz targets: a small fixed dataset to run queries and rules against.

use auditlens_core::search::Index;
use auditlens_core::{Dataset, LoadOptions};
use auditlens_gen::{Format, Options};

/// A small dataset built once per process: the repository's fixtures (including the
/// hostile-content one) and a few hundred generated records in several formats, with the planted
/// incident so that detections and correlations have something to find.
pub fn dataset() -> &'static (Dataset, Index) {
    static DS: std::sync::OnceLock<(Dataset, Index)> = std::sync::OnceLock::new();
    DS.get_or_init(|| {
        let mut ds = Dataset::new();
        let opts = LoadOptions::default();
        for (name, bytes) in [
            ("ocore-export.json", &include_bytes!("../../tests/fixtures/ocore-export.json")[..]),
            ("hostile-ocore.json", &include_bytes!("../../tests/fixtures/hostile-ocore.json")[..]),
            (
                "okta-one-bad-line.ndjson",
                &include_bytes!("../../tests/fixtures/okta-one-bad-line.ndjson")[..],
            ),
        ] {
            ds.load(name, bytes.to_vec(), &opts);
        }
        for (fmt, n) in [
            (Format::CloudtrailJson, 300),
            (Format::OcoreCsv, 120),
            (Format::OpsknightJson, 80),
            (Format::VendoreCsv, 60),
        ] {
            let mut o = Options::new(fmt, n);
            o.incident = fmt == Format::CloudtrailJson;
            let mut out = Vec::new();
            auditlens_gen::generate(&o, &mut out).expect("generator");
            ds.load(&format!("gen.{}", fmt.extension()), out, &opts);
        }
        let ix = Index::build(&ds);
        (ds, ix)
    })
}
