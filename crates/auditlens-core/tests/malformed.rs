#![allow(clippy::unwrap_used)]
//! Malformed and hostile input: every case loads in a thread under a time bound, must not
//! panic, must keep `read == loaded + rejected`, must say what went wrong and where, and must
//! still load the good records of the same file. Big inputs are generated here, not committed.
//! Also: pathological regexes, wildcards and Sigma patterns finish in bounded time, and the
//! regressions the fuzzers (`fuzz/`) found.

use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use auditlens_core::search::{self, Index, SearchOptions};
use auditlens_core::{detect, ingest, sigma, time, Dataset, FileSummary, LoadOptions};

/// Per-case time bound. Generous: tests run unoptimized, on a shared 2-core machine.
const LIMIT: Duration = Duration::from_secs(30);

fn ocore(i: usize) -> String {
    format!(
        r#"{{"id":"evt-{i}","action":"auth.login","createdAt":"2026-02-01T10:{:02}:00Z","userId":"u{i}","userName":"user{i}@example.com","ipAddress":"203.0.113.{}","userAgent":"Mozilla/5.0","resourceType":"user","resourceId":"u{i}"}}"#,
        i % 60,
        i % 250
    )
}

fn csv_head() -> &'static str {
    "id,action,createdAt,userId,userName,ipAddress,userAgent\n"
}

fn csv_row(i: usize) -> String {
    format!(
        "evt-{i},auth.login,2026-02-01T10:{:02}:00Z,u{i},user{i}@example.com,203.0.113.{},Mozilla/5.0\n",
        i % 60,
        i % 250
    )
}

/// What a bounded load gives back: the summary, the number of events, how long it took.
struct Loaded {
    s: FileSummary,
    events: usize,
    took: Duration,
}

/// Loads one file in a thread; fails the test if it takes longer than [`LIMIT`] or panics.
fn load_bounded(name: &str, bytes: Vec<u8>) -> Loaded {
    load_opts(name, bytes, LoadOptions::default())
}

fn load_opts(name: &str, bytes: Vec<u8>, opts: LoadOptions) -> Loaded {
    let (tx, rx) = mpsc::channel();
    let n = name.to_string();
    let h = std::thread::spawn(move || {
        let t0 = Instant::now();
        let mut ds = Dataset::new();
        let s = ds.load(&n, bytes, &opts).clone();
        let _ = tx.send(Loaded {
            s,
            events: ds.len(),
            took: t0.elapsed(),
        });
    });
    let got = match rx.recv_timeout(LIMIT) {
        Ok(l) => l,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: no result within {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let e = h.join().err().map(|p| {
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            });
            panic!("{name}: load panicked: {e:?}")
        }
    };
    let s = &got.s;
    assert_eq!(
        s.read,
        s.loaded + s.rejected,
        "{name}: read must equal loaded + rejected"
    );
    assert!(
        got.events as u64 <= s.loaded,
        "{name}: more events than records"
    );
    if !s.ok {
        assert!(!s.errors.is_empty(), "{name}: unreadable without a reason");
    }
    if s.rejected > 0 {
        assert!(!s.errors.is_empty(), "{name}: rejections not listed");
    }
    for e in &s.errors {
        assert!(!e.reason.is_empty(), "{name}: error without a reason");
        if e.record > 0 {
            assert!(e.line > 0, "{name}: record error without a line: {e:?}");
        }
    }
    got
}

fn has_error(s: &FileSummary, needle: &str) -> bool {
    s.errors.iter().any(|e| e.reason.contains(needle))
}

fn gzip(b: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(b).unwrap();
    enc.finish().unwrap()
}

/// Deterministic pseudo-random bytes (xorshift).
fn noise(n: usize, mut x: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

// ---- truncation ----------------------------------------------------------------------------

#[test]
fn truncated_json_array_keeps_the_complete_records() {
    let full = format!("[{},{},{}]", ocore(1), ocore(2), ocore(3));
    // Cut inside the third record's string, and inside its member list.
    for cut in [full.len() - 20, full.len() - 60] {
        let l = load_bounded("trunc.json", full.as_bytes()[..cut].to_vec());
        assert_eq!(
            (l.s.loaded, l.events),
            (2, 2),
            "cut at {cut}: {:?}",
            l.s.errors
        );
        assert_eq!(l.s.rejected, 1, "cut at {cut}");
        let e = &l.s.errors[0];
        assert_eq!(e.record, 3, "{e:?}");
        assert!(e.line >= 1 && e.reason.contains("truncated"), "{e:?}");
    }
    // Only the closing bracket missing: every record loads, the truncation is still reported.
    let l = load_bounded(
        "no-bracket.json",
        full.as_bytes()[..full.len() - 1].to_vec(),
    );
    assert_eq!(l.s.loaded, 3, "{:?}", l.s.errors);
    assert!(has_error(&l.s, "truncated"), "{:?}", l.s.errors);
}

#[test]
fn truncated_ndjson_and_wrapper_keep_the_complete_records() {
    let nd = format!("{}\n{}\n{}", ocore(1), ocore(2), &ocore(3)[..50]);
    let l = load_bounded("trunc.ndjson", nd.into_bytes());
    assert_eq!((l.s.loaded, l.s.rejected), (2, 1), "{:?}", l.s.errors);
    assert_eq!((l.s.errors[0].record, l.s.errors[0].line), (3, 3));

    let wrapped = format!(
        r#"{{"items":[{},{},{}"#,
        ocore(1),
        ocore(2),
        &ocore(3)[..70]
    );
    let l = load_bounded("trunc-wrapped.json", wrapped.into_bytes());
    assert_eq!((l.s.loaded, l.s.rejected), (2, 1), "{:?}", l.s.errors);
}

#[test]
fn truncated_csv_keeps_the_complete_rows() {
    // Cut in the middle of a row: the row is short (a column mismatch) but the others load.
    let mut src = csv_head().to_string();
    for i in 0..5 {
        src.push_str(&csv_row(i));
    }
    let cut = src.len() - 30;
    let l = load_bounded("trunc.csv", src.as_bytes()[..cut].to_vec());
    assert!(l.s.loaded >= 4, "{:?}", l.s.errors);

    // Cut inside a quoted multi-line field: the unterminated field is reported with its line.
    let src = format!(
        "{}{}evt-9,auth.login,2026-02-01T10:09:00Z,u9,x@example.com,203.0.113.9,\"Mozilla/5.0\n(cut",
        csv_head(),
        csv_row(1)
    );
    let l = load_bounded("trunc-quoted.csv", src.into_bytes());
    assert_eq!(l.s.loaded, 1, "{:?}", l.s.errors);
    // The unterminated row, then its second line read as a row of its own (no timestamp).
    assert_eq!(l.s.rejected, 2, "{:?}", l.s.errors);
    assert!(has_error(&l.s, "unterminated"), "{:?}", l.s.errors);
    assert_eq!(l.s.errors[0].line, 3, "{:?}", l.s.errors);
}

#[test]
fn truncated_gzip_loads_the_records_before_the_break() {
    let mut src = String::new();
    for i in 0..2000 {
        src.push_str(&ocore(i));
        src.push('\n');
    }
    let gz = gzip(src.as_bytes());
    let l = load_bounded("cut.ndjson.gz", gz[..gz.len() * 3 / 4].to_vec());
    assert!(!l.s.ok, "a truncated archive is an error");
    assert!(
        has_error(&l.s, "gzip data is corrupt or truncated"),
        "{:?}",
        l.s.errors
    );
    assert!(
        l.s.loaded > 500 && l.s.loaded < 2000,
        "the records before the break load: {}",
        l.s.loaded
    );
    // Cut inside the header: nothing can be read, and it says so.
    let l = load_bounded("header.json.gz", gz[..6].to_vec());
    assert!(!l.s.ok && has_error(&l.s, "gzip"), "{:?}", l.s.errors);
    assert_eq!(l.s.read, 0);
}

// ---- wrong types, encodings, NUL -----------------------------------------------------------

#[test]
fn wrong_types_in_known_fields_reject_or_load_but_never_break_the_file() {
    let odd = [
        r#"{"id":1,"action":["auth.login"],"createdAt":"2026-02-01T10:00:00Z","userId":{"x":1},"userName":42,"ipAddress":true,"userAgent":null}"#,
        r#"{"id":"a","action":"auth.login","createdAt":{"$date":"2026-02-01"},"userId":"u"}"#,
        r#"{"id":"b","action":"auth.login","createdAt":[2026,2,1],"userId":"u"}"#,
        r#"{"id":"c","action":"auth.login","createdAt":1e400,"userId":"u"}"#,
        r#"{"id":"d","action":"auth.login","createdAt":-1,"userId":"u"}"#,
        r#"{"id":"e","action":"auth.login","createdAt":"2026-13-45T99:99:99Z","userId":"u"}"#,
        r#"{"id":"f","action":null,"createdAt":"2026-02-01T10:00:00Z","userId":null,"ipAddress":"999.1.1.1"}"#,
        r#"["not","an","object"]"#,
        r#""a string record""#,
        "12345",
    ];
    let mut src = String::new();
    src.push_str(&ocore(1));
    src.push('\n');
    for o in odd {
        src.push_str(o);
        src.push('\n');
    }
    src.push_str(&ocore(2));
    src.push('\n');
    let l = load_bounded("types.ndjson", src.into_bytes());
    assert_eq!(l.s.read, 12);
    assert!(l.s.loaded >= 2, "the good records load: {:?}", l.s.errors);
    assert!(l.s.rejected >= 3, "{:?}", l.s.errors);
    for e in &l.s.errors {
        assert!((2..=11).contains(&e.line) && e.record == e.line, "{e:?}");
    }
    assert!(
        has_error(&l.s, "expected a JSON object"),
        "non-object records say so: {:?}",
        l.s.errors
    );
}

#[test]
fn invalid_utf8_everywhere_is_repaired_and_warned() {
    let mut src = Vec::new();
    src.extend_from_slice(ocore(1).as_bytes());
    src.push(b'\n');
    let mut bad = ocore(2).into_bytes();
    let p = bad.windows(7).position(|w| w == b"user2@e").unwrap();
    bad.splice(p..p + 1, [0xC3, 0x28, 0xF0, 0x9F, 0xFF, 0xC0, 0x80]);
    src.extend_from_slice(&bad);
    src.push(b'\n');
    // A lone continuation byte in a key, and a truncated sequence at the very end.
    src.extend_from_slice(
        ocore(3)
            .replace("\"userAgent\"", "\"user\u{80}Agent\"")
            .as_bytes(),
    );
    let last = src.len() - 5;
    src[last] = 0xE2;
    let l = load_bounded("utf8.ndjson", src);
    assert!(
        l.s.warnings
            .iter()
            .any(|w| w.contains("invalid UTF-8") && w.contains("line 2")),
        "{:?}",
        l.s.warnings
    );
    assert!(l.s.loaded >= 2, "{:?}", l.s.errors);
}

#[test]
fn utf16_le_and_be_with_bom_load_like_utf8() {
    let text = format!("[{},{}]", ocore(1), ocore(2));
    for (le, name) in [(true, "le.json"), (false, "be.json")] {
        let mut b = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            b.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let l = load_bounded(name, b);
        assert_eq!((l.s.format.as_str(), l.s.loaded), ("ocore", 2), "{name}");
        assert!(
            l.s.warnings.iter().any(|w| w.contains("UTF-16")),
            "{:?}",
            l.s.warnings
        );
        assert!(l.s.sha256_content.is_some());
    }
    // CSV in UTF-16 LE with an odd trailing byte and an unpaired surrogate.
    let mut b = vec![0xFF, 0xFE];
    let csv = format!("{}{}{}", csv_head(), csv_row(1), csv_row(2));
    for u in csv.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    b.extend_from_slice(&0xD800u16.to_le_bytes());
    b.push(b'x');
    let l = load_bounded("utf16.csv", b);
    assert_eq!(l.s.loaded, 2, "{:?}", l.s.errors);
}

#[test]
fn nul_bytes_are_binary_up_front_and_a_bad_record_later() {
    // In the first 8 KiB: the file is binary, and says so.
    let mut b = ocore(1).into_bytes();
    b.insert(20, 0);
    let l = load_bounded("nul.json", b);
    assert!(!l.s.ok && has_error(&l.s, "binary"), "{:?}", l.s.errors);

    // After 8 KiB: only the record holding the NUL (a raw control character inside a JSON
    // string) is affected; the others load.
    let mut src = Vec::new();
    for i in 0..100 {
        src.extend_from_slice(ocore(i).as_bytes());
        src.push(b'\n');
    }
    let mut bad = ocore(100).into_bytes();
    let p = bad.windows(7).position(|w| w == b"Mozilla").unwrap();
    bad[p + 3] = 0;
    src.extend_from_slice(&bad);
    src.push(b'\n');
    src.extend_from_slice(ocore(101).as_bytes());
    let l = load_bounded("late-nul.ndjson", src);
    assert_eq!(l.s.read, 102);
    assert!(l.s.loaded >= 101, "{:?}", l.s.errors);
}

// ---- size ----------------------------------------------------------------------------------

#[test]
fn a_10_mb_field_loads_in_json_and_csv() {
    let huge = "A".repeat(10 << 20);
    let rec = ocore(7).replace("Mozilla/5.0", &huge);
    let src = format!("[{},{rec},{}]", ocore(1), ocore(2));
    let l = load_bounded("huge-field.json", src.into_bytes());
    assert_eq!((l.s.loaded, l.s.rejected), (3, 0), "{:?}", l.s.errors);

    let src = format!(
        "{}{}{}",
        csv_head(),
        csv_row(1).replace("Mozilla/5.0", &format!("\"{huge}\"")),
        csv_row(2)
    );
    let l = load_bounded("huge-field.csv", src.into_bytes());
    assert_eq!((l.s.loaded, l.s.rejected), (2, 0), "{:?}", l.s.errors);

    // A 10 MB key, a 10 MB number and a 10 MB line of white space.
    let src = format!(
        "{}\n{{\"{huge}\":1,\"createdAt\":\"2026-02-01T10:00:00Z\",\"action\":\"x\",\"userId\":\"u\"}}\n{{\"n\":{}}}\n{}\n{}",
        ocore(1),
        "9".repeat(10 << 20),
        " ".repeat(10 << 20),
        ocore(2)
    );
    let l = load_bounded("huge-key.ndjson", src.into_bytes());
    assert!(l.s.loaded >= 2, "{:?}", l.s.errors);
}

#[test]
fn ten_thousand_deep_nesting_is_rejected_per_record() {
    let deep_arr = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let unclosed = "[{\"a\":".repeat(10_000);
    for (what, deep) in [
        ("array", &deep_arr),
        ("object", &deep_obj),
        ("unclosed", &unclosed),
    ] {
        // As a field of a record between good records.
        let src = format!(
            "{}\n{{\"createdAt\":\"2026-02-01T10:00:00Z\",\"action\":\"x\",\"userId\":\"u\",\"n\":{deep}}}\n{}\n",
            ocore(1),
            ocore(2)
        );
        let l = load_bounded(&format!("deep-{what}.ndjson"), src.into_bytes());
        assert_eq!(
            (l.s.loaded, l.s.rejected),
            (2, 1),
            "{what}: {:?}",
            l.s.errors
        );
        assert!(
            has_error(&l.s, "nesting too deep"),
            "{what}: {:?}",
            l.s.errors
        );
        assert_eq!(l.s.errors[0].line, 2, "{what}");
        // As the whole file.
        let l = load_bounded(&format!("deep-{what}.json"), deep.clone().into_bytes());
        assert_eq!(l.s.loaded, 0, "{what}");
        assert!(!l.s.errors.is_empty(), "{what}: says why");
    }
    // Exactly at the limit still parses.
    let at = format!(
        "{}\n{{\"createdAt\":\"2026-02-01T10:00:00Z\",\"action\":\"x\",\"userId\":\"u\",\"n\":{}{}}}\n",
        ocore(1),
        "[".repeat(auditlens_core::json::MAX_DEPTH - 2),
        "]".repeat(auditlens_core::json::MAX_DEPTH - 2)
    );
    let l = load_bounded("at-limit.ndjson", at.into_bytes());
    assert_eq!(l.s.loaded, 2, "{:?}", l.s.errors);
}

#[test]
fn very_wide_csv_headers_and_json_objects_are_not_quadratic() {
    // Header names were de-duplicated with a linear scan per column: quadratic in the number
    // of columns, and worse for equal names (a suffix search per duplicate). Pinned at 200 000
    // columns here (tests are unoptimized; the old code needed minutes for this); a million
    // columns (10 MB) take about 10 s in a release build, a 1M-member JSON record about 6 s.
    let n = 200_000;
    let mut src = String::with_capacity(16 * n);
    src.push_str("createdAt,action,userId");
    for i in 3..n {
        src.push_str(",c");
        src.push_str(&i.to_string());
    }
    src.push('\n');
    src.push_str("2026-02-01T10:00:00Z,auth.login,u1\n");
    src.push_str("2026-02-01T10:00:00Z,auth.login,u2");
    src.push_str(&",v".repeat(n - 3));
    src.push('\n');
    let l = load_bounded("wide.csv", src.into_bytes());
    assert_eq!(l.s.read, 2, "{:?}", l.s.errors);
    assert_eq!(l.s.loaded, 2, "{:?}", l.s.errors);
    eprintln!("{n} columns: {:?}", l.took);

    // Equal names: each becomes name_2, name_3, … in one pass.
    let mut src = String::from("createdAt,action,userId");
    src.push_str(&",x".repeat(50_000));
    src.push_str("\n2026-02-01T10:00:00Z,auth.login,u1\n");
    let l = load_bounded("same-names.csv", src.into_bytes());
    assert_eq!(l.s.loaded, 1, "{:?}", l.s.errors);
    eprintln!("50 000 equal names: {:?}", l.took);

    // JSON: one record with 200 000 members, between good records.
    let mut obj = String::with_capacity(16 * n);
    obj.push_str(r#"{"createdAt":"2026-02-01T10:00:00Z","action":"x","userId":"u""#);
    for i in 0..n {
        obj.push_str(&format!(",\"k{i}\":{i}"));
    }
    obj.push('}');
    let src = format!("{}\n{obj}\n{}\n", ocore(1), ocore(2));
    let l = load_bounded("wide.ndjson", src.into_bytes());
    assert_eq!(l.s.read, 3);
    assert!(l.s.loaded >= 2, "{:?}", l.s.errors);
    eprintln!("{n} keys: {:?}", l.took);
}

#[test]
fn many_tiny_records_and_a_million_blank_lines_are_fast_enough() {
    // 200 000 here (tests are unoptimized); a million take 1.6 s in a release build.
    let src = "{}\n".repeat(200_000);
    let l = load_bounded("empties.ndjson", src.into_bytes());
    assert_eq!(l.s.read, 200_000);
    assert_eq!(l.s.loaded, 0);
    assert!(
        l.s.errors.len() <= ingest::MAX_LISTED_ERRORS + 1,
        "the listing is capped"
    );
    let src = format!("{}{}{}", ocore(1), "\n".repeat(1_000_000), ocore(2));
    let l = load_bounded("blank-lines.ndjson", src.into_bytes());
    assert_eq!(l.s.loaded, 2);
    assert_eq!(l.s.errors.len(), 0);
}

// ---- shape ---------------------------------------------------------------------------------

#[test]
fn mixed_formats_in_one_file_keep_every_record_accounted() {
    let okta = r#"{"uuid":"o1","published":"2026-02-01T10:00:00.000Z","eventType":"user.session.start","actor":{"id":"00u1","type":"User","alternateId":"alice@example.com"},"client":{"ipAddress":"203.0.113.5"},"outcome":{"result":"FAILURE"}}"#;
    let ct = r#"{"eventVersion":"1.08","eventTime":"2026-02-01T10:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userIdentity":{"type":"IAMUser","userName":"bob"},"eventID":"c1"}"#;
    let src = format!(
        "{}\n{okta}\n{ct}\nid,action,createdAt\nevt-x,auth.login,2026-02-01T10:00:00Z\n{}\n",
        ocore(1),
        ocore(2)
    );
    let l = load_bounded("mixed.ndjson", src.into_bytes());
    assert_eq!(l.s.read, 6, "{:?}", l.s.errors);
    assert!(l.s.loaded >= 2);
    assert!(
        l.s.rejected >= 2,
        "the CSV lines are not JSON: {:?}",
        l.s.errors
    );
    assert!(has_error(&l.s, ""), "{:?}", l.s.errors);

    // JSON array followed by CSV text in one file.
    let src = format!("[{}]\n{}{}", ocore(1), csv_head(), csv_row(2));
    let l = load_bounded("json-then-csv.json", src.into_bytes());
    assert!(l.s.loaded >= 1, "{:?}", l.s.errors);
    assert!(!l.s.errors.is_empty(), "the trailing text is reported");
}

#[test]
fn a_bad_value_in_single_line_concatenated_json_loses_only_itself() {
    // `{…}{…}{…}` on one line was read like NDJSON: after a broken value the reader resumed
    // at the next line, dropping every record after it without a word.
    let good = |i: usize| ocore(i);
    let mut src = String::new();
    for i in 0..1000 {
        src.push_str(&good(i));
        if i % 100 == 50 {
            src.push_str(r#"{"x" 1}"#);
        }
    }
    let l = load_bounded("concat.json", src.into_bytes());
    assert_eq!(
        (l.s.read, l.s.loaded, l.s.rejected),
        (1010, 1000, 10),
        "{:?}",
        l.s.errors
    );
    assert!(l.s.errors.iter().all(|e| e.line == 1), "{:?}", l.s.errors);

    // Many truncated NDJSON lines: each is rejected on its own, in linear time.
    let mut src = good(0);
    src.push('\n');
    for i in 0..20_000 {
        src.push_str(&good(i)[..40]);
        src.push('\n');
    }
    src.push_str(&good(1));
    let l = load_bounded("truncated-lines.ndjson", src.into_bytes());
    assert_eq!((l.s.loaded, l.s.rejected), (2, 20_000));
    eprintln!("20 000 truncated lines: {:?}", l.took);
}

#[test]
fn empty_files_load_nothing_and_say_so() {
    for (name, b) in [
        ("zero.json", &b""[..]),
        ("spaces.json", b"   \n\t\r\n  "),
        ("array.json", b"[]"),
        ("object.json", b"{}"),
        ("bom.csv", b"\xEF\xBB\xBF"),
        ("newlines.ndjson", b"\n\n\n"),
        ("wrapped.json", br#"{"items":[],"total":0}"#),
        ("header-only.csv", b"id,action,createdAt\n"),
        ("nulls.json", b"[null,null]"),
    ] {
        let l = load_bounded(name, b.to_vec());
        assert_eq!((l.s.loaded, l.events), (0, 0), "{name}");
        assert!(
            !l.s.warnings.is_empty() || !l.s.errors.is_empty(),
            "{name}: an empty file is worth a word: {:?}",
            l.s
        );
    }
}

#[test]
fn binary_files_with_a_json_name_are_refused_clearly() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(noise(4096, 7));
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.extend(noise(4096, 9));
    for (name, b) in [("image.json", png), ("program.json", elf)] {
        let l = load_bounded(name, b);
        assert!(
            !l.s.ok && has_error(&l.s, "binary"),
            "{name}: {:?}",
            l.s.errors
        );
        assert_eq!(l.s.loaded, 0);
    }
    // Random bytes without NULs: invalid UTF-8 repaired, then not recognised as an export.
    for seed in 1..6 {
        let b: Vec<u8> = noise(256 << 10, seed)
            .into_iter()
            .map(|c| c.max(1))
            .collect();
        let l = load_bounded("random.json", b);
        assert!(
            !l.s.ok || l.s.loaded == 0 || l.s.format == "generic",
            "seed {seed}: {:?}",
            l.s.errors.first()
        );
    }
}

#[test]
fn a_zip_with_a_csv_name_is_refused_clearly() {
    // A real (stored) zip archive holding a CSV.
    let content = format!("{}{}", csv_head(), csv_row(1));
    let mut z = Vec::new();
    let crc = crc32(content.as_bytes());
    let name = b"export.csv";
    z.extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0");
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&(content.len() as u32).to_le_bytes());
    z.extend_from_slice(&(content.len() as u32).to_le_bytes());
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z.extend_from_slice(name);
    z.extend_from_slice(content.as_bytes());
    let l = load_bounded("export.csv", z.clone());
    assert!(
        !l.s.ok && has_error(&l.s, "zip archive"),
        "{:?}",
        l.s.errors
    );
    // Gzipped zip: the same message after decompression.
    let l = load_bounded("export.csv.gz", gzip(&z));
    assert!(
        !l.s.ok && has_error(&l.s, "zip archive"),
        "{:?}",
        l.s.errors
    );
}

fn crc32(b: &[u8]) -> u32 {
    let mut c = !0u32;
    for &x in b {
        c ^= x as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[test]
fn gzip_bomb_is_refused_with_a_clear_error() {
    // 80 MiB of spaces compress to ~80 KiB (a 1000× expansion): refused at the ratio bound
    // after at most 64 MiB, instead of expanding without limit.
    let gz = {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..80 {
            enc.write_all(&chunk).unwrap();
        }
        enc.finish().unwrap()
    };
    assert!(gz.len() < 200 << 10, "{}", gz.len());
    let l = load_bounded("bomb.json.gz", gz);
    assert!(!l.s.ok, "{:?}", l.s);
    assert!(has_error(&l.s, "decompression bomb"), "{:?}", l.s.errors);
    assert_eq!(l.s.read, 0);
    // Nested: a gzip inside a gzip is not decompressed twice (the inner one is binary data).
    let inner = gzip(ocore(1).as_bytes());
    let l = load_bounded("double.json.gz", gzip(&inner));
    assert!(!l.s.ok, "{:?}", l.s);
    // A big but ordinary compressed export is not a bomb.
    let mut src = String::new();
    for i in 0..20_000 {
        src.push_str(&ocore(i));
        src.push('\n');
    }
    let l = load_bounded("big.ndjson.gz", gzip(src.as_bytes()));
    assert_eq!(l.s.loaded, 20_000, "{:?}", l.s.errors);
}

#[test]
fn every_forced_format_survives_hostile_records() {
    // Each mapper, forced, over records of the wrong shape and over the hostile fixture.
    let hostile = include_bytes!("../../../tests/fixtures/hostile-ocore.json");
    let junk = format!(
        "{}\n{{\"a\":{{\"b\":[1,{{\"c\":null}}]}},\"time\":\"x\",\"eventTime\":12,\"published\":[],\"@timestamp\":{{}}}}\n[]\n{}\n",
        ocore(1),
        "{\"x\":".repeat(100) + "1" + &"}".repeat(100)
    );
    for f in auditlens_core::formats::all() {
        for (name, b) in [
            ("hostile.json", hostile.to_vec()),
            ("junk.ndjson", junk.clone().into_bytes()),
            (
                "rows.csv",
                format!("{}{}", csv_head(), csv_row(1)).into_bytes(),
            ),
        ] {
            let opts = LoadOptions {
                format: Some(f.id().to_string()),
                ..Default::default()
            };
            let l = load_opts(&format!("{}:{name}", f.id()), b, opts);
            assert_eq!(l.s.format, f.id());
        }
    }
}

// ---- pathological patterns -----------------------------------------------------------------

fn long_field_dataset() -> Dataset {
    // Fields of 100 000 'a's ending in '!', the classic catastrophic-backtracking subject.
    let long = format!("{}!", "a".repeat(100_000));
    let mut src = String::new();
    for i in 0..20 {
        src.push_str(
            &ocore(i)
                .replace("Mozilla/5.0", &long)
                .replace(&format!("user{i}@example.com"), &long),
        );
        src.push('\n');
    }
    let mut ds = Dataset::new();
    let s = ds.load("long.ndjson", src.into_bytes(), &LoadOptions::default());
    assert_eq!(s.loaded, 20, "{:?}", s.errors);
    ds
}

fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no result within {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panicked"),
    }
}

#[test]
fn pathological_query_regexes_and_wildcards_are_bounded() {
    let ds = std::sync::Arc::new(long_field_dataset());
    let alternation = format!(
        "/({})$/",
        (0..2000)
            .map(|i| format!("a{i}b|a+c{i}"))
            .collect::<Vec<_>>()
            .join("|")
    );
    let star_chain = format!("actor:{}b", "*a".repeat(200));
    let stars_lit = format!("ua:*{}b", "a".repeat(2000));
    for q in [
        "/(a+)+$/".to_string(),
        "/(a|aa)+$/".to_string(),
        "/(a*)*b/".to_string(),
        "/^(a?){50}a{50}$/".to_string(),
        "ua:/(a+)+b$/".to_string(),
        alternation,
        star_chain,
        stars_lit,
        "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b".to_string(),
    ] {
        let ds = ds.clone();
        let q2 = q.clone();
        let r = bounded(&q, move || {
            let t0 = Instant::now();
            let ix = Index::build(&ds);
            let r = search::run(&ds, &ix, &q2, &SearchOptions::default()).map(|r| r.total);
            (r, t0.elapsed())
        });
        eprintln!("{:.60}: {:?}", q, r);
        // Either it ran (nothing matches: every field ends in '!') or the regex was refused as
        // too big, with a message.
        match r.0 {
            Ok(total) => assert_eq!(total, 0, "{q}"),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    // A regex too big to compile is an error, not a stall.
    let huge = r"/(\w{500}){20}/".to_string();
    let r = bounded("huge regex", move || {
        search::run(&ds, &Index::build(&ds), &huge, &SearchOptions::default()).map(|r| r.total)
    });
    assert!(r.is_err(), "{r:?}");
}

#[test]
fn query_wildcard_star_chains_are_linear() {
    // `*aaaa…a!*` over distinct 100 000-character values: the general wildcard matcher
    // backtracked to the last `*` at every position (17 s for 50 such values in a release
    // build); literal-and-star patterns are now matched piece by piece in linear time.
    let mut src = String::new();
    for i in 0..30 {
        let long = format!("{}!{i}", "a".repeat(100_000));
        src.push_str(&ocore(i).replace("Mozilla/5.0", &long));
        src.push('\n');
    }
    let ds = std::sync::Arc::new({
        let mut ds = Dataset::new();
        ds.load("long.ndjson", src.into_bytes(), &LoadOptions::default());
        ds
    });
    for q in [
        format!("ua:*{}\\!*", "a".repeat(2000)),
        format!("*{}\\!*", "a".repeat(2000)),
        format!("ua:*{}b*", "a".repeat(2000)),
    ] {
        let ds = ds.clone();
        let q2 = q.clone();
        let (n, took) = bounded(&q[q.len() - 4..], move || {
            let t0 = Instant::now();
            let ix = Index::build(&ds);
            let r = search::run(&ds, &ix, &q2, &SearchOptions::default()).map(|r| r.total);
            (r, t0.elapsed())
        });
        eprintln!("{}: {n:?} in {took:?}", &q[q.len() - 4..]);
        let want = if q.ends_with("b*") { 0 } else { 30 };
        assert_eq!(n.unwrap(), want, "{}", &q[q.len() - 8..]);
    }
}

#[test]
fn query_wildcard_matcher_agrees_with_its_regex() {
    use auditlens_core::query::{WildPart, Wildcard};
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    for _ in 0..20_000 {
        let parts: Vec<WildPart> = (0..1 + next(6))
            .map(|_| match next(5) {
                0 | 1 => WildPart::Any,
                2 if next(3) == 0 => WildPart::One,
                _ => WildPart::Lit(["a", "b", "ab", "A", "ba"][next(5) as usize].to_string()),
            })
            .collect();
        let w = Wildcard::new(parts);
        let re = regex::Regex::new(&w.to_regex()).unwrap();
        for _ in 0..8 {
            let t: String = (0..next(9))
                .map(|_| ['a', 'b', 'B'][next(3) as usize])
                .collect();
            assert_eq!(w.matches(&t), re.is_match(&t), "{w} on {t:?}");
        }
    }
}

#[test]
fn pathological_sigma_patterns_are_bounded() {
    let ds = std::sync::Arc::new(long_field_dataset());
    let wild = "*a".repeat(500);
    let rules = format!(
        r#"title: nested quantifiers
id: p-1
logsource:
  category: generic
detection:
  s:
    userAgent|re: '^(a+)+$'
  t:
    userName|re: '(a|aa)+b'
  condition: s or t
---
title: wildcard chain
id: p-2
logsource:
  category: generic
detection:
  s:
    userAgent: '{wild}b'
    userName|contains|all:
      - '{wild}'
      - 'b'
  condition: s
---
title: keyword wildcards
id: p-3
logsource:
  category: generic
detection:
  keywords:
    - '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'
    - '{wild}?b'
  condition: keywords
---
title: oversized regex
id: p-4
logsource:
  category: generic
detection:
  s:
    userAgent|re: '{big}'
  condition: s
"#,
        big = r"(\w{500}){20}"
    );
    let r = bounded("sigma", move || {
        let set = sigma::load_rules(&[("pathological.yml".to_string(), rules)]);
        let findings = detect::run_all(&ds, None, Some(&set));
        (set.rules.len(), set.unsupported.clone(), findings.len())
    });
    eprintln!("sigma: {r:?}");
    assert!(r.0 >= 3, "the bounded rules compile: {:?}", r.1);
    assert_eq!(r.2, 0, "nothing matches: every field ends in '!'");
    assert!(
        r.1.iter()
            .any(|(_, t, why)| t == "oversized regex" && !why.is_empty()),
        "an oversized regex is listed as unsupported with the reason: {:?}",
        r.1
    );
}

// ---- fuzzer regressions ----------------------------------------------------------------------

#[test]
fn format_with_offset_saturates_at_the_ends_of_time() {
    // fuzz/time: `nanos + offset` overflowed for times near i64::MAX.
    for n in [i64::MAX, i64::MIN, i64::MAX - 1, i64::MIN + 1] {
        for off in [-14 * 3600, 0, 14 * 3600, i32::MAX, i32::MIN] {
            assert!(!time::format_with_offset(n, off).is_empty());
        }
        assert!(!time::format_rfc3339_ms(n).is_empty());
    }
}

#[test]
fn zone_offset_for_local_saturates_at_the_ends_of_time() {
    // fuzz/time: `local - offset` overflowed in offset_for_local for times near i64::MIN.
    for z in [
        "UTC",
        "Europe/Berlin",
        "America/New_York",
        "Pacific/Kiritimati",
    ] {
        let z = time::Zone::parse(z).unwrap();
        for n in [i64::MAX, i64::MIN, 0] {
            let _ = z.offset_for_local(n);
            let _ = z.offset_at(n);
        }
    }
}

#[test]
fn epoch_at_the_end_of_i64_loads_and_is_analysed_without_overflow() {
    // The largest 19-digit epoch is a valid nanosecond time (year 2262): it loads, and the
    // analysis layers (index, search, detections with a zone, timeline) cope with it.
    let src = format!(
        "{}\n{}\n{}\n",
        ocore(1),
        ocore(2).replace("\"2026-02-01T10:02:00Z\"", "9223372036854775807"),
        ocore(3).replace("\"2026-02-01T10:03:00Z\"", "\"2262-04-11T23:47:16.854Z\"")
    );
    let mut ds = Dataset::new();
    let s = ds.load(
        "edge.ndjson",
        src.into_bytes(),
        &LoadOptions {
            zone: time::Zone::parse("Pacific/Kiritimati").ok(),
            ..Default::default()
        },
    );
    assert_eq!(s.read, s.loaded + s.rejected);
    let ix = Index::build(&ds);
    for q in [
        "*",
        "time>now-24h",
        "* | timechart 1h",
        "* | stats count by actor",
    ] {
        // An error (too many timechart buckets over 236 years) is fine; a panic is not.
        let _ = search::run(&ds, &ix, q, &SearchOptions::default());
    }
    let cfg = detect::Config {
        zone: "Pacific/Kiritimati".into(),
        ..Default::default()
    };
    let _ = detect::run_all(&ds, Some(&cfg), None);
    for e in &ds.events {
        let _ = time::format_with_offset(e.time, 14 * 3600);
        let _ = ds.event_json(e);
    }
}
