//! The report renderer (`report::build`, Markdown / HTML / JSON) and the exports (NDJSON, CSV,
//! OCSF, ECS, Timesketch) over data from the fuzzer.
//!
//! The first byte selects: bit 3 set — the rest is a case file (`case::Case::parse`) whose
//! annotations are reported over the fixed dataset; clear — the rest is an audit-log file
//! (bit 7 forces a format, low 5 bits pick it) loaded on its own and reported with the
//! built-in detections. Bit 5 shows times in `Europe/Berlin`.
#![no_main]

use auditlens_core::case::Case;
use auditlens_core::export::{self, ExportKind, ExportOptions};
use auditlens_core::report::{self, ReportInput, ReportRequest};
use auditlens_core::search::Index;
use auditlens_core::{detect, formats, time, Dataset, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let zone = if sel & 0x20 != 0 {
        time::Zone::parse("Europe/Berlin").unwrap_or_default()
    } else {
        time::Zone::default()
    };
    let cfg = detect::Config::default();
    if sel & 0x08 != 0 {
        let Ok(text) = std::str::from_utf8(body) else {
            return;
        };
        let Ok(case) = Case::parse(text) else {
            return;
        };
        let (ds, ix) = auditlens_fuzz::dataset();
        let _ = case.check(ds);
        let _ = case.to_json();
        render(ds, ix, &case, &cfg, zone);
        return;
    }
    let all = formats::all();
    let mut opts = LoadOptions::default();
    if sel & 0x80 != 0 {
        opts.format = Some(all[(sel & 0x1f) as usize % all.len()].id().to_string());
    }
    let mut ds = Dataset::new();
    ds.load("evidence.json", body.to_vec(), &opts);
    let ix = Index::build(&ds);
    let mut case = Case::default();
    case.set_files(&ds);
    render(&ds, &ix, &case, &cfg, zone.clone());
    let eo = ExportOptions {
        zone,
        ..Default::default()
    };
    for kind in ExportKind::ALL {
        let out = export::to_string(&ds, 0..ds.events.len(), kind, &eo);
        if kind == ExportKind::Csv {
            // Read back with the CSV reader: no cell starts a spreadsheet formula.
            let b = out.as_bytes();
            let mut r = auditlens_core::csv::Reader::new(b, 0, b',');
            let mut cells = Vec::new();
            while let Some(row) = r.next_row(&mut cells) {
                assert!(row.is_ok(), "the CSV export reads back");
                for c in &cells {
                    let t = auditlens_core::csv::cell_text(b, c);
                    assert!(
                        !matches!(t.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t')),
                        "CSV cell starts a formula: {t:?}"
                    );
                }
            }
        }
    }
});

fn render(ds: &Dataset, ix: &Index, case: &Case, cfg: &detect::Config, zone: time::Zone) {
    let req = ReportRequest {
        include_starred: true,
        zone,
        generated_at: 1_770_000_000_000_000_000,
        ..Default::default()
    };
    let input = ReportInput {
        ds,
        index: ix,
        case,
        config: Some(cfg),
        sigma: None,
    };
    let Ok(r) = report::build(&input, &req) else {
        return;
    };
    let json = r.to_json();
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "report JSON parses");
    let _ = r.to_markdown();
    let html = r.to_html();
    // Nothing from the data becomes markup: the only scripts/handlers are the renderer's own.
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script element in the HTML report");
    assert!(!lower.contains("<iframe"), "an iframe in the HTML report");
}
