#![allow(clippy::unwrap_used)]
//! Ingestion contract: containers, malformed input, accounting, integrity warnings, dedup.

use std::io::Write;

use auditlens_core::{Dataset, FileSummary, LoadOptions};

fn ocore_item(i: usize, action: &str, time: &str) -> String {
    format!(
        r#"{{"id":"evt-{i}","action":"{action}","createdAt":"{time}","userId":"u{i}","userName":"user{i}@example.com","ipAddress":"203.0.113.{}","userAgent":"Mozilla/5.0","resourceType":"instance","resourceId":"i-{i}","resourceName":"web-{i}","beforeState":{{}},"afterState":{{}}}}"#,
        i % 250
    )
}

fn load(name: &str, bytes: impl Into<Vec<u8>>) -> (Dataset, FileSummary) {
    let mut ds = Dataset::new();
    let s = ds.load(name, bytes.into(), &LoadOptions::default()).clone();
    assert_eq!(
        s.read,
        s.loaded + s.rejected,
        "{name}: read must equal loaded + rejected"
    );
    (ds, s)
}

#[test]
fn ocore_export_wrapper_loads_and_reconciles() {
    let items: Vec<String> = (0..5)
        .map(|i| ocore_item(i, "instance.created", &format!("2026-02-01T10:0{i}:00Z")))
        .collect();
    let src = format!(r#"{{"items":[{}],"total":5}}"#, items.join(","));
    let (ds, s) = load("export.json", src);
    assert_eq!(
        (s.format.as_str(), s.read, s.loaded, s.rejected),
        ("ocore", 5, 5, 0)
    );
    assert_eq!(s.container, "json-wrapped:items");
    assert_eq!(ds.len(), 5);
    assert_eq!(s.sha256.len(), 64);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // The original bytes of each record are kept exactly.
    let e = &ds.events[2];
    assert_eq!(std::str::from_utf8(ds.original(e)).unwrap(), items[2]);
}

#[test]
fn stated_total_larger_than_content_is_flagged() {
    let src = format!(
        r#"{{"items":[{}],"page":1,"perPage":1,"total":40}}"#,
        ocore_item(1, "auth.login", "2026-02-01T10:00:00Z")
    );
    let (_, s) = load("page.json", src);
    assert!(
        s.warnings.iter().any(|w| w.contains("total=40")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn export_cap_is_flagged() {
    let items: Vec<String> = (0..10_000)
        .map(|i| ocore_item(i, "instance.started", "2026-02-01T10:00:00Z"))
        .collect();
    let (_, s) = load(
        "capped.json",
        format!(r#"{{"items":[{}],"total":10000}}"#, items.join(",")),
    );
    assert_eq!(s.loaded, 10_000);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("exactly 10000 records")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn truncated_json_keeps_what_it_can_and_says_where() {
    let src = format!(
        "[{},{}",
        ocore_item(1, "auth.login", "2026-02-01T10:00:00Z"),
        &ocore_item(2, "auth.login", "2026-02-01T10:01:00Z")[..40]
    );
    let (_, s) = load("trunc.json", src);
    assert_eq!((s.loaded, s.rejected), (1, 1));
    assert!(s.errors[0].reason.contains("truncated"), "{:?}", s.errors);
    assert_eq!(s.errors[0].record, 2);
}

#[test]
fn ndjson_garbage_line_is_reported_with_its_line() {
    let src = format!(
        "{}\nthis is not json\n{}\n",
        ocore_item(1, "auth.login", "2026-02-01T10:00:00Z"),
        ocore_item(2, "auth.logout", "2026-02-01T10:05:00Z")
    );
    let (_, s) = load("x.ndjson", src);
    assert_eq!((s.read, s.loaded, s.rejected), (3, 2, 1));
    assert_eq!(s.errors[0].line, 2);
}

#[test]
fn records_without_time_are_rejected_with_the_reason() {
    let src = format!(
        "{}\n{{\"action\":\"auth.login\",\"createdAt\":\"yesterday\",\"userId\":\"u\"}}\n",
        ocore_item(1, "auth.login", "2026-02-01T10:00:00Z")
    );
    let (_, s) = load("x.ndjson", src);
    assert_eq!(s.rejected, 1);
    assert!(
        s.errors[0].reason.contains("unreadable timestamp"),
        "{:?}",
        s.errors
    );
}

#[test]
fn binary_zip_and_empty_files() {
    let (_, s) = load("data.json", vec![0u8, 1, 2, 3, 0, 0, 9]);
    assert!(
        !s.ok && s.errors[0].reason.contains("binary"),
        "{:?}",
        s.errors
    );
    let (_, s) = load("data.csv", b"PK\x03\x04\x14\x00rest".to_vec());
    assert!(
        !s.ok && s.errors[0].reason.contains("zip"),
        "{:?}",
        s.errors
    );
    let (ds, s) = load("empty.json", Vec::new());
    assert!(s.ok);
    assert_eq!((s.read, ds.len()), (0, 0));
    let (_, s) = load("prose.txt", b"Dear auditor,\nhere are the logs".to_vec());
    assert!(!s.ok, "prose is not an export");
}

#[test]
fn deep_nesting_and_huge_fields_do_not_crash() {
    let deep = format!("{{\"createdAt\":\"2026-02-01T10:00:00Z\",\"action\":\"x\",\"userId\":\"u\",\"nested\":{}{}}}\n", "[".repeat(10_000), "]".repeat(10_000));
    let big = format!("{{\"createdAt\":\"2026-02-01T10:00:00Z\",\"action\":\"x\",\"userId\":\"u\",\"userAgent\":\"{}\"}}\n", "A".repeat(10 << 20));
    let (_, s) = load("hostile.ndjson", format!("{deep}{big}"));
    assert_eq!((s.loaded, s.rejected), (1, 1));
    assert!(
        s.errors[0].reason.contains("nesting too deep"),
        "{:?}",
        s.errors
    );
}

#[test]
fn invalid_utf8_is_warned_and_the_record_still_loads() {
    let mut src = ocore_item(1, "auth.login", "2026-02-01T10:00:00Z").into_bytes();
    let pos = src.windows(7).position(|w| w == b"Mozilla").unwrap();
    src[pos] = 0xFF;
    let (ds, s) = load("bad-utf8.json", src);
    assert_eq!(s.loaded, 1);
    assert!(
        s.warnings.iter().any(|w| w.contains("invalid UTF-8")),
        "{:?}",
        s.warnings
    );
    assert!(ds.str(ds.events[0].user_agent).contains('\u{FFFD}'));
}

#[test]
fn utf16_with_bom_is_converted() {
    let text = format!("[{}]", ocore_item(1, "auth.login", "2026-02-01T10:00:00Z"));
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let (_, s) = load("utf16.json", bytes);
    assert_eq!((s.format.as_str(), s.loaded), ("ocore", 1));
}

#[test]
fn gzip_is_detected_by_magic_and_both_hashes_are_kept() {
    let text = format!("[{}]", ocore_item(1, "auth.login", "2026-02-01T10:00:00Z"));
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    let (_, s) = load("export.bin", gz.clone());
    assert_eq!(s.loaded, 1);
    assert!(s.container.starts_with("gzip+"));
    assert!(s.sha256_content.is_some() && s.sha256_content.as_deref() != Some(s.sha256.as_str()));
    let (_, s) = load("broken.json.gz", gz[..gz.len() / 2].to_vec());
    assert!(
        !s.ok && s.errors[0].reason.contains("gzip"),
        "{:?}",
        s.errors
    );
}

#[test]
fn csv_with_bom_crlf_multiline_and_semicolons() {
    let src = "\u{FEFF}id;action;createdAt;userName;afterState\r\n1;auth.login;2026-02-01T10:00:00Z;a@x.io;\"{\"\"note\"\":\"\"line1\nline2\"\"}\"\r\n2;member.role_changed;2026-02-01T10:01:00Z;b@x.io;\"{\"\"role\"\":\"\"owner\"\"}\"\r\n";
    let (ds, s) = load("export.csv", src);
    assert_eq!(
        (s.format.as_str(), s.container.as_str(), s.loaded),
        ("ocore", "csv(;)", 2)
    );
    assert_eq!(
        ds.events[1].src.line, 4,
        "line numbers count the embedded line break"
    );
    assert_eq!(
        ds.changes(&ds.events[1]).as_deref(),
        Some(r#"{"before":null,"after":{"role":"owner"}}"#)
    );
}

#[test]
fn duplicates_across_files_collapse_with_a_count() {
    let a = format!(
        "[{},{}]",
        ocore_item(1, "auth.login", "2026-02-01T10:00:00Z"),
        ocore_item(2, "auth.login", "2026-02-01T10:01:00Z")
    );
    let b = format!(
        "[{},{}]",
        ocore_item(2, "auth.login", "2026-02-01T10:01:00Z"),
        ocore_item(3, "auth.login", "2026-02-01T10:02:00Z")
    );
    let mut ds = Dataset::new();
    ds.load("a.json", a.into_bytes(), &LoadOptions::default());
    let s = ds
        .load("b.json", b.into_bytes(), &LoadOptions::default())
        .clone();
    assert_eq!((s.loaded, s.duplicates), (2, 1));
    assert_eq!(ds.len(), 3);
    assert_eq!(ds.events[1].dups, 1);
}

#[test]
fn events_are_sorted_by_time_then_file_then_record() {
    let a = format!(
        "{}\n{}\n",
        ocore_item(1, "x.a", "2026-02-01T10:05:00Z"),
        ocore_item(2, "x.b", "2026-02-01T10:00:00Z")
    );
    let b = format!("{}\n", ocore_item(3, "x.c", "2026-02-01T10:00:00Z"));
    let mut ds = Dataset::new();
    ds.load("a.ndjson", a.into_bytes(), &LoadOptions::default());
    ds.load("b.ndjson", b.into_bytes(), &LoadOptions::default());
    let order: Vec<&str> = ds.events.iter().map(|e| ds.str(e.action)).collect();
    assert_eq!(order, vec!["x.b", "x.c", "x.a"]);
}

#[test]
fn assumed_zone_applies_to_zone_less_times_only() {
    let src = "Timestamp,User,Action,Resource,Status,IP Address,Details\n2024-01-15 10:30:45,john@example.com,deployment.started,vpc,Success,192.168.1.100,x\n";
    let mut ds = Dataset::new();
    let s = ds
        .load(
            "ops0.csv",
            src.as_bytes().to_vec(),
            &LoadOptions {
                assumed_offset: 3600,
                ..Default::default()
            },
        )
        .clone();
    assert_eq!(s.format, "ops0");
    assert_eq!(s.first.as_deref(), Some("2024-01-15T09:30:45.000Z"));
    assert!(
        s.warnings.iter().any(|w| w.contains("+01:00")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn mixed_formats_in_one_file_each_map_with_their_own_format() {
    let src = format!(
        "{}\n{}\n{}\n",
        ocore_item(1, "auth.login", "2026-02-01T10:00:00Z"),
        ocore_item(2, "auth.logout", "2026-02-01T10:05:00Z"),
        r#"{"action":"LOGIN_FAILED","entityType":"USER","entityId":"u1","actorId":"u1","createdAt":"2026-02-01T10:06:00Z"}"#
    );
    let (ds, s) = load("mixed.ndjson", src);
    assert_eq!(
        (s.format.as_str(), s.loaded, s.other_format_records),
        ("ocore", 3, 1)
    );
    assert_eq!(ds.format_of(&ds.events[2]).id(), "opsknight");
}

#[test]
fn unknown_json_uses_the_generic_mapper_and_reports_its_choices() {
    let src = r#"[{"when":"2026-02-01T10:00:00Z","who":"a@x.io","event":"thing.done","client_ip":"10.1.2.3","result":"failed"}]"#;
    let (ds, s) = load("other.json", src);
    assert_eq!(s.format, "generic");
    assert!(s
        .mapping
        .iter()
        .any(|c| c.field == "src_ip" && c.column == "client_ip"));
    let e = &ds.events[0];
    assert_eq!(e.outcome, auditlens_core::model::Outcome::Failure);
    assert_eq!(e.src_ip.unwrap().to_string(), "10.1.2.3");
}

#[test]
fn ndjson_event_contract_keys() {
    let (ds, _) = load(
        "a.json",
        format!(
            "[{}]",
            ocore_item(7, "auth.login_failed", "2026-02-01T10:00:00.5Z")
        ),
    );
    let v = ds.event_json(&ds.events[0]);
    assert_eq!(v["time"], "2026-02-01T10:00:00.500Z");
    assert_eq!(v["action"], "auth.login_failed");
    assert_eq!(v["category"], "authentication");
    assert_eq!(v["outcome"], "failure");
    assert_eq!(v["actor"]["name"], "user7@example.com");
    assert_eq!(v["actor"]["kind"], "user");
    assert_eq!(v["src_ip"], "203.0.113.7");
    assert_eq!(v["targets"][0]["type"], "instance");
    assert_eq!(v["uid"], "evt-7");
    assert_eq!(v["source"]["file"], "a.json");
    assert_eq!(v["source"]["format"], "ocore");
    assert_eq!(v["source"]["record"], 1);
}

#[test]
fn identical_rows_without_ids_are_distinct_within_a_file_and_duplicates_across_files() {
    let row =
        "2024-01-15 10:30:45,eve@example.com,user.login,web,Failed,198.51.100.9,bad password\n";
    let csv = format!("Timestamp,User,Action,Resource,Status,IP Address,Details\n{row}{row}");
    let mut ds = Dataset::new();
    let a = ds
        .load("a.csv", csv.clone().into_bytes(), &LoadOptions::default())
        .clone();
    assert_eq!(
        (a.loaded, a.duplicates, ds.len()),
        (2, 0, 2),
        "two failed logins in one second are two events"
    );
    let b = ds
        .load("b.csv", csv.into_bytes(), &LoadOptions::default())
        .clone();
    assert_eq!(
        (b.loaded, b.duplicates, ds.len()),
        (2, 2, 2),
        "the second export repeats them"
    );
}

#[test]
fn logging_gap_warning_ignores_nights_and_flags_an_outlier() {
    let day = |d: u32, h: u32, m: u32| format!("2026-02-{d:02}T{h:02}:{m:02}:00Z");
    // Office hours on ten days: regular nightly gaps, no warning.
    let mut items = Vec::new();
    for d in 2..12 {
        for m in 0..6 {
            items.push(ocore_item(
                items.len(),
                "instance.started",
                &day(d, 9 + m, m * 7),
            ));
        }
    }
    let (_, s) = load("regular.json", format!("[{}]", items.join(",")));
    assert!(
        !s.warnings.iter().any(|w| w.contains("gap")),
        "{:?}",
        s.warnings
    );
    // The same with five silent days in the middle.
    let mut items = Vec::new();
    for d in (2..8).chain(13..17) {
        for m in 0..6 {
            items.push(ocore_item(
                items.len(),
                "instance.started",
                &day(d, 9 + m, m * 7),
            ));
        }
    }
    let (_, s) = load("gap.json", format!("[{}]", items.join(",")));
    assert!(
        s.warnings.iter().any(|w| w.contains("gap of 5d")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn a_caller_given_sha256_is_used_and_a_malformed_one_ignored() {
    let bytes = br#"{"items":[{"id":"1","action":"auth.login","createdAt":"2026-02-01T10:00:00Z","userName":"a@example.com"}]}"#.to_vec();
    let real = auditlens_core::ingest::sha256_hex(&bytes);
    let mut ds = Dataset::new();
    let given = "AB".repeat(32);
    let s = ds
        .load(
            "a.json",
            bytes.clone(),
            &LoadOptions {
                sha256: Some(given.clone()),
                ..Default::default()
            },
        )
        .clone();
    assert_eq!(s.sha256, given.to_ascii_lowercase());
    let s = ds
        .load(
            "b.json",
            bytes,
            &LoadOptions {
                sha256: Some("not a hash".into()),
                ..Default::default()
            },
        )
        .clone();
    assert_eq!(s.sha256, real);
}
