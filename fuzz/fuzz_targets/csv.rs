//! The CSV row reader (`csv::Reader`, `csv::sniff_delimiter`, `csv::cell_text`) and the
//! container reader (`container::read`: JSON array / wrapper / lines / single object / CSV)
//! on arbitrary text.
#![no_main]

use std::ops::ControlFlow;

use auditlens_core::container::{self, Item};
use auditlens_core::csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    // The row reader over raw bytes, with the sniffed or a chosen delimiter.
    let header_end = memchr_nl(body);
    let delim = match sel & 0x7 {
        0 => b',',
        1 => b';',
        2 => b'\t',
        3 => b'|',
        _ => csv::sniff_delimiter(&body[..header_end]),
    };
    let mut r = csv::Reader::new(body, 0, delim);
    let mut cells = Vec::new();
    let mut last_pos = 0;
    let mut last_line = 0;
    while let Some(row) = r.next_row(&mut cells) {
        // Always moves forward: no row is read twice, the reader cannot loop.
        assert!(r.pos() > last_pos || r.pos() == body.len(), "reader did not advance");
        last_pos = r.pos();
        match row {
            Ok(info) => {
                assert!(info.start <= info.end && info.end <= body.len());
                assert!(info.line >= last_line, "line numbers go backwards");
                last_line = info.line;
                for c in &cells {
                    assert!(c.start <= c.end && c.end <= body.len());
                    let _ = csv::cell_text(body, c);
                }
            }
            Err(e) => {
                assert!(e.line >= 1 && e.start <= body.len() && !e.reason.is_empty());
            }
        }
    }
    // The container reader over text (as ingest hands it over: valid UTF-8).
    let text = String::from_utf8_lossy(body);
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut recs = 0u64;
    let mut last_record = 0u64;
    let stop = (sel >> 3) as u64; // also exercise stopping early (format sniffing does)
    let res = container::read(&text, bom, |item| {
        match item {
            Item::Rec(rec) => {
                recs += 1;
                assert!(rec.start <= rec.end && rec.end <= text.len() + 1);
                assert!(rec.line >= 1);
                assert!(rec.record > last_record, "record numbers must increase");
                last_record = rec.record;
                let root = rec.doc.root();
                let _ = root.kind();
                for (k, v) in root.entries() {
                    let _ = (k, v.as_text());
                }
                if let Some(t) = rec.synthesized {
                    // CSV rows are synthesized as JSON objects that must parse.
                    assert!(auditlens_core::json::Doc::parse_str(t).is_ok(), "{t}");
                }
            }
            Item::Bad {
                record,
                line,
                start,
                end,
                reason,
            } => {
                assert!(record > last_record, "record numbers must increase");
                last_record = record;
                assert!(line >= 1 && start <= end && !reason.is_empty());
            }
            Item::Note(_) => {}
        }
        if stop > 0 && recs >= stop {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    if let Ok(shape) = res {
        let _ = shape.describe();
    }
});

fn memchr_nl(b: &[u8]) -> usize {
    b.iter().position(|c| *c == b'\n').unwrap_or(b.len())
}
