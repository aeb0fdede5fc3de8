//! The sample dataset committed in `web/sample/` is exactly what the generator produces: if the
//! generator changes its output, this test says which file to regenerate (commands in
//! `web/sample/README.md`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use auditlens_gen::{generate, Format, Options, DEFAULT_START};

/// (file, format, events): seed 7, 2026-02-01 + 14 days, incident planted.
const SAMPLES: [(&str, Format, u64); 4] = [
    ("ocore-export.json", Format::OcoreJson, 1500),
    ("ops0-export.csv", Format::Ops0Csv, 500),
    ("opsknight-audit.json", Format::OpsknightJson, 300),
    ("vendore-audit.csv", Format::VendoreCsv, 300),
];

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/sample")
}

fn options(format: Format, events: u64) -> Options {
    Options {
        format,
        events,
        seed: 7,
        start: DEFAULT_START,
        span: Duration::from_secs(14 * 86_400),
        incident: true,
    }
}

#[test]
fn committed_sample_files_are_reproducible() {
    let dir = sample_dir();
    for (name, format, events) in SAMPLES {
        let mut out = Vec::new();
        let truth = generate(&options(format, events), &mut out).expect("generate");
        let committed =
            std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("web/sample/{name}: {e}"));
        assert!(
            committed == out,
            "web/sample/{name} differs from the generator's output: regenerate it with the command in web/sample/README.md"
        );
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let truth_path = dir.join("truth").join(format!("{stem}.truth.json"));
        let committed_truth = std::fs::read_to_string(&truth_path)
            .unwrap_or_else(|e| panic!("{}: {e}", truth_path.display()));
        assert_eq!(
            committed_truth,
            truth.to_json(),
            "web/sample/truth/{stem}.truth.json is stale"
        );
    }
}

#[test]
fn manifest_lists_the_samples() {
    let manifest = std::fs::read_to_string(sample_dir().join("manifest.json")).expect("manifest");
    let v: serde_json::Value = serde_json::from_str(&manifest).expect("manifest JSON");
    let files: Vec<&str> = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    let want: Vec<&str> = SAMPLES.iter().map(|s| s.0).collect();
    assert_eq!(files, want);
    let total: u64 = want
        .iter()
        .map(|f| std::fs::metadata(sample_dir().join(f)).map_or(0, |m| m.len()))
        .sum();
    assert!(
        total < 1_500_000,
        "the sample stays small enough to embed in the single-file page ({total} bytes)"
    );
}
