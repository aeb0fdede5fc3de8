//! Exports validated against what the receiving tools require: OCSF 1.3.0 class definitions
//! (required attributes, the attributes each class defines, object constraints), ECS field
//! values for an Elasticsearch `_bulk` import, Timesketch's required JSONL columns, RFC 4180 CSV
//! with formula-injection protection, and NDJSON. Plus determinism.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use auditlens_core::export::{self, ExportKind, ExportOptions, CSV_COLUMNS};
use auditlens_core::time::Zone;
use auditlens_core::{Dataset, LoadOptions};
use serde_json::Value;

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    vec![
        root.join("tests/report/incident-ocore.json"),
        root.join("../../tests/fixtures/okta-one-bad-line.ndjson"),
        root.join("../../tests/fixtures/hostile-ocore.json"),
        root.join("../../tests/fixtures/ocore-export.json"),
    ]
}

fn dataset() -> Dataset {
    let mut ds = Dataset::new();
    for f in fixtures() {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        ds.load(&name, std::fs::read(&f).unwrap(), &LoadOptions::default());
    }
    // Real exports too, when the shared fixtures are present: more shapes for the validators.
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/real");
    if real.is_dir() {
        for sub in [
            "aws-cloudtrail-stratus-red-team",
            "okta-system-log-cribl",
            "github-audit-elastic",
            "entra-id-signin-elastic",
            "gcp-audit-elastic",
            "kubernetes-audit-falco",
            "m365-purview-ual-huntress-ctf",
        ] {
            let Ok(rd) = std::fs::read_dir(real.join(sub)) else {
                continue;
            };
            let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for f in files.into_iter().filter(|f| f.is_file()).take(3) {
                let bytes = std::fs::read(&f).unwrap();
                if bytes.len() < 5_000_000 {
                    ds.load(&f.display().to_string(), bytes, &LoadOptions::default());
                }
            }
        }
    } else {
        println!(
            "shared real fixtures absent at {}: validating the repo's fixtures only",
            real.display()
        );
    }
    ds
}

fn all(ds: &Dataset, kind: ExportKind) -> String {
    export::to_string(ds, 0..ds.len(), kind, &ExportOptions::default())
}

// ------------------------------------------------------------------------------------------
// OCSF 1.3.0: per class, the attributes the schema requires and every attribute it defines
// (base event + category + class + the profiles we use), from the schema's definitions
// (events/base_event.json, events/iam/iam.json, events/iam/{authentication,account_change,
// user_access}.json, events/application/api_activity.json; objects/{metadata,user,actor,api,
// network_endpoint,product}.json).

const BASE_REQUIRED: &[&str] = &[
    "activity_id",
    "category_uid",
    "class_uid",
    "metadata",
    "severity_id",
    "time",
    "type_uid",
];
const BASE_DEFINED: &[&str] = &[
    "activity_id",
    "activity_name",
    "category_name",
    "category_uid",
    "class_name",
    "class_uid",
    "count",
    "duration",
    "end_time",
    "enrichments",
    "message",
    "metadata",
    "observables",
    "raw_data",
    "severity",
    "severity_id",
    "start_time",
    "status",
    "status_code",
    "status_detail",
    "status_id",
    "time",
    "timezone_offset",
    "type_name",
    "type_uid",
    "unmapped",
];

fn class_def(
    uid: u64,
) -> (
    &'static [&'static str],
    &'static [&'static str],
    &'static [u64],
) {
    // (required beyond the base event, defined beyond the base event, activity ids)
    match uid {
        3002 => (
            &["user"],
            &[
                "actor",
                "auth_protocol",
                "auth_protocol_id",
                "certificate",
                "dst_endpoint",
                "http_request",
                "is_cleartext",
                "is_mfa",
                "is_new_logon",
                "is_remote",
                "logon_process",
                "logon_type",
                "logon_type_id",
                "service",
                "session",
                "src_endpoint",
                "user",
                "device",
            ],
            &[0, 1, 2, 3, 4, 5, 6, 99],
        ),
        3001 => (
            &["user"],
            &[
                "actor",
                "http_request",
                "policy",
                "src_endpoint",
                "user",
                "user_result",
                "device",
            ],
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 99],
        ),
        3005 => (
            &["privileges", "user"],
            &[
                "actor",
                "http_request",
                "privileges",
                "resource",
                "resources",
                "src_endpoint",
                "user",
                "device",
            ],
            &[0, 1, 2, 99],
        ),
        6003 => (
            &["actor", "api", "src_endpoint"],
            &[
                "actor",
                "api",
                "dst_endpoint",
                "http_request",
                "http_response",
                "resources",
                "src_endpoint",
                "device",
            ],
            &[0, 1, 2, 3, 4, 99],
        ),
        _ => panic!("unexpected class {uid}"),
    }
}

fn check_user(u: &Value, what: &str) {
    let o = u
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not an object"));
    assert!(
        ["account", "name", "uid"]
            .iter()
            .any(|k| o.contains_key(*k)),
        "{what}: user needs at least one of account, name, uid: {u}"
    );
    for k in o.keys() {
        assert!(
            [
                "name",
                "uid",
                "email_addr",
                "type",
                "type_id",
                "account",
                "domain",
                "full_name",
                "groups",
                "org",
                "credential_uid"
            ]
            .contains(&k.as_str()),
            "{what}: user.{k} is not an OCSF user attribute"
        );
    }
}

fn check_endpoint(e: &Value, what: &str) {
    let o = e.as_object().unwrap();
    assert!(
        [
            "ip",
            "name",
            "hostname",
            "uid",
            "domain",
            "instance_uid",
            "interface_uid",
            "interface_name",
            "svc_name"
        ]
        .iter()
        .any(|k| o.contains_key(*k)),
        "{what}: endpoint needs an identifying attribute: {e}"
    );
    if let Some(ip) = o.get("ip") {
        ip.as_str().unwrap().parse::<std::net::IpAddr>().unwrap();
    }
}

#[test]
fn ocsf_events_satisfy_their_class_definitions() {
    let ds = dataset();
    let text = all(&ds, ExportKind::Ocsf);
    let v: Value = serde_json::from_str(&text).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), ds.len());
    let mut classes = BTreeSet::new();
    for (i, o) in arr.iter().enumerate() {
        let what = format!("event {i}");
        let m = o.as_object().unwrap();
        let uid = m["class_uid"].as_u64().unwrap();
        classes.insert(uid);
        let (req, defined, activities) = class_def(uid);
        for k in BASE_REQUIRED.iter().chain(req) {
            assert!(
                m.contains_key(*k),
                "{what} (class {uid}): required {k} missing"
            );
        }
        for k in m.keys() {
            assert!(
                BASE_DEFINED.contains(&k.as_str()) || defined.contains(&k.as_str()),
                "{what} (class {uid}): {k} is not an attribute of the class"
            );
        }
        let activity = m["activity_id"].as_u64().unwrap();
        assert!(
            activities.contains(&activity),
            "{what}: activity {activity} for {uid}"
        );
        assert_eq!(m["type_uid"].as_u64().unwrap(), uid * 100 + activity);
        assert_eq!(m["category_uid"].as_u64().unwrap(), uid / 1000);
        assert!((0..=6).contains(&m["severity_id"].as_u64().unwrap()) || m["severity_id"] == 99);
        assert!([0, 1, 2, 99].contains(&m["status_id"].as_u64().unwrap()));
        assert!(m["time"].is_i64());
        let meta = m["metadata"].as_object().unwrap();
        assert_eq!(meta["version"], "1.3.0");
        let product = meta["product"].as_object().unwrap();
        assert!(product.contains_key("name") || product.contains_key("uid"));
        for k in meta.keys() {
            assert!(
                [
                    "version",
                    "product",
                    "log_name",
                    "log_provider",
                    "original_time",
                    "uid",
                    "correlation_uid",
                    "logged_time",
                    "labels",
                    "profiles",
                    "sequence",
                    "event_code",
                    "processed_time",
                    "modified_time",
                    "log_version",
                    "extension",
                    "log_level"
                ]
                .contains(&k.as_str()),
                "{what}: metadata.{k} is not an OCSF metadata attribute"
            );
        }
        assert!(
            m["raw_data"].as_str().is_some_and(|r| !r.is_empty()),
            "{what}: raw_data"
        );
        if let Some(u) = m.get("user") {
            check_user(u, &what);
        }
        if let Some(a) = m.get("actor") {
            let a = a.as_object().unwrap();
            assert!(
                [
                    "process",
                    "user",
                    "invoked_by",
                    "session",
                    "app_name",
                    "app_uid",
                    "authorizations",
                    "idp"
                ]
                .iter()
                .any(|k| a.contains_key(*k)),
                "{what}: actor needs one of its identifying attributes"
            );
            if let Some(u) = a.get("user") {
                check_user(u, &what);
            }
        }
        if let Some(e) = m.get("src_endpoint") {
            check_endpoint(e, &what);
        }
        if uid == 6003 {
            assert!(
                m["api"]["operation"].as_str().is_some(),
                "{what}: api.operation is required"
            );
        }
        if uid == 3005 {
            assert!(m["privileges"].as_array().is_some_and(|p| !p.is_empty()));
        }
        if uid == 3002 {
            assert!(m.contains_key("service") || m.contains_key("dst_endpoint"));
        }
    }
    // The fixture investigation exercises every class we emit.
    for c in [3001, 3002, 3005, 6003] {
        assert!(classes.contains(&c), "class {c} not exercised: {classes:?}");
    }
}

// ------------------------------------------------------------------------------------------
// ECS 8.11 for `_bulk`.

const ECS_CATEGORIES: &[&str] = &[
    "api",
    "authentication",
    "configuration",
    "database",
    "driver",
    "email",
    "file",
    "host",
    "iam",
    "intrusion_detection",
    "library",
    "malware",
    "network",
    "package",
    "process",
    "registry",
    "session",
    "threat",
    "vulnerability",
    "web",
];
const ECS_TYPES: &[&str] = &[
    "access",
    "admin",
    "allowed",
    "change",
    "connection",
    "creation",
    "deletion",
    "denied",
    "end",
    "error",
    "group",
    "indicator",
    "info",
    "installation",
    "protocol",
    "start",
    "user",
];

#[test]
fn ecs_bulk_body_pairs_actions_with_valid_documents() {
    let ds = dataset();
    let text = all(&ds, ExportKind::Ecs);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), ds.len() * 2);
    assert!(text.ends_with('\n'), "_bulk bodies end with a newline");
    let mut ids = BTreeSet::new();
    for pair in lines.chunks(2) {
        let action: Value = serde_json::from_str(pair[0]).unwrap();
        let create = action["create"].as_object().expect("a create action");
        assert_eq!(create["_index"], "auditlens");
        assert!(
            ids.insert(create["_id"].as_str().unwrap().to_string()),
            "ids are unique"
        );
        let d: Value = serde_json::from_str(pair[1]).unwrap();
        let ts = d["@timestamp"].as_str().unwrap();
        assert!(auditlens_core::time::parse_timestamp(ts).is_some(), "{ts}");
        assert_eq!(d["ecs"]["version"], "8.11.0");
        let ev = &d["event"];
        assert_eq!(ev["kind"], "event");
        assert!(ev["action"].is_string() || ev["action"].is_null());
        assert!(["success", "failure", "unknown"].contains(&ev["outcome"].as_str().unwrap()));
        for c in ev["category"].as_array().into_iter().flatten() {
            assert!(
                ECS_CATEGORIES.contains(&c.as_str().unwrap()),
                "event.category {c}"
            );
        }
        for t in ev["type"].as_array().unwrap() {
            assert!(ECS_TYPES.contains(&t.as_str().unwrap()), "event.type {t}");
        }
        assert!(ev["original"].as_str().is_some_and(|o| !o.is_empty()));
        if let Some(ip) = d.get("source").and_then(|s| s.get("ip")) {
            ip.as_str().unwrap().parse::<std::net::IpAddr>().unwrap();
        }
        if let Some(ua) = d.get("user_agent") {
            assert!(ua["original"].is_string());
        }
        if let Some(u) = d.get("user") {
            assert!(u.get("name").or(u.get("id")).is_some());
        }
    }
    // The hostile fixture's user agent arrives verbatim (it is data for Elasticsearch).
    assert!(text.contains(r#""user_agent":{"original":"<img src=x onerror=alert('xss-ua')>"}"#));
}

// ------------------------------------------------------------------------------------------
// Timesketch JSONL.

#[test]
fn timesketch_jsonl_has_the_required_columns() {
    let ds = dataset();
    let text = all(&ds, ExportKind::Timesketch);
    let mut n = 0;
    for line in text.lines() {
        n += 1;
        let v: Value = serde_json::from_str(line).unwrap();
        let o = v.as_object().unwrap();
        for k in ["message", "datetime", "timestamp_desc"] {
            assert!(
                o[k].as_str().is_some_and(|s| !s.is_empty()),
                "{k} in {line}"
            );
        }
        // ISO 8601 with an explicit offset, and microseconds since the epoch.
        let dt = o["datetime"].as_str().unwrap();
        assert!(dt.ends_with("+00:00"), "{dt}");
        let t = auditlens_core::time::parse_timestamp(dt).unwrap().nanos;
        assert_eq!(o["timestamp"].as_i64().unwrap(), t / 1000);
        // Attributes are flat scalars.
        for (k, v) in o {
            assert!(!v.is_object() && !v.is_array(), "{k} is not a scalar");
        }
    }
    assert_eq!(n, ds.len());
    // Another zone changes datetime's offset, not the instant.
    let opts = ExportOptions {
        zone: Zone::parse("Europe/Berlin").unwrap(),
        ..Default::default()
    };
    let first = export::to_string(&ds, 0..1, ExportKind::Timesketch, &opts);
    let v: Value = serde_json::from_str(first.trim()).unwrap();
    let dt = v["datetime"].as_str().unwrap();
    assert!(dt.ends_with("+01:00") || dt.ends_with("+02:00"), "{dt}");
    assert_eq!(
        auditlens_core::time::parse_timestamp(dt).unwrap().nanos / 1000,
        v["timestamp"].as_i64().unwrap()
    );
}

// ------------------------------------------------------------------------------------------
// CSV and NDJSON.

#[test]
fn csv_is_rectangular_and_formula_safe() {
    let ds = dataset();
    let text = all(&ds, ExportKind::Csv);
    assert!(text.starts_with(&CSV_COLUMNS.join(",")));
    // Read it back with the project's RFC 4180 reader.
    let src = text.as_bytes();
    let mut reader = auditlens_core::csv::Reader::new(src, 0, b',');
    let mut cells = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(row) = reader.next_row(&mut cells) {
        row.unwrap();
        rows.push(
            cells
                .iter()
                .map(|c| auditlens_core::csv::cell_text(src, c).into_owned())
                .collect(),
        );
    }
    assert_eq!(
        rows.len(),
        ds.len() + 1,
        "one header row and one row per event"
    );
    for r in &rows {
        assert_eq!(r.len(), CSV_COLUMNS.len(), "{r:?}");
        for c in r {
            assert!(
                !matches!(
                    c.as_bytes().first(),
                    Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
                ),
                "cell starts a formula: {c:?}"
            );
        }
    }
    // The hostile values are there, neutralized with a leading quote.
    let cells: Vec<&String> = rows.iter().flatten().collect();
    assert!(cells.iter().any(|c| c.starts_with("'=HYPERLINK(")));
    assert!(cells.iter().any(|c| c.starts_with("'+cmd|")));
    assert!(cells
        .iter()
        .any(|c| *c == "member:@SUM(1+1)*cmd|' /C calc'!A0 (r1)"));
    assert!(cells.iter().any(|c| c.starts_with("'-2+3")));
    assert_eq!(export::csv_safe("\tTAB"), "'\tTAB");
    assert_eq!(export::csv_safe("@SUM(1)"), "'@SUM(1)");
    assert_eq!(export::csv_safe("\rCR"), "'\rCR");
}

#[test]
fn ndjson_is_one_normalized_event_per_line() {
    let ds = dataset();
    let text = all(&ds, ExportKind::Ndjson);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), ds.len());
    for (i, l) in lines.iter().enumerate() {
        let v: Value = serde_json::from_str(l).unwrap();
        assert_eq!(v, ds.event_json(&ds.events[i]));
        assert!(v["key"].as_str().unwrap().contains(':'));
    }
}

#[test]
fn exports_are_deterministic() {
    for kind in ExportKind::ALL {
        let a = all(&dataset(), kind);
        let b = all(&dataset(), kind);
        assert_eq!(a, b, "{}", kind.name());
        assert_eq!(ExportKind::parse(kind.name()).unwrap(), kind);
    }
    assert!(ExportKind::parse("xlsx").is_err());
    assert_eq!(export::csv_safe("=1+1"), "'=1+1");
    assert_eq!(export::csv_safe("a=1"), "a=1");
}

/// Golden exports of the report fixture investigation (the wasm tests compare the page's exports
/// with these byte for byte). `UPDATE_SNAPSHOTS=1` rewrites them.
#[test]
fn golden_exports_of_the_fixture_investigation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ds = Dataset::new();
    for (name, path) in [
        (
            "incident-ocore.json",
            root.join("tests/report/incident-ocore.json"),
        ),
        (
            "okta-one-bad-line.ndjson",
            root.join("../../tests/fixtures/okta-one-bad-line.ndjson"),
        ),
    ] {
        ds.load(name, std::fs::read(path).unwrap(), &LoadOptions::default());
    }
    for kind in ExportKind::ALL {
        let text = all(&ds, kind);
        let path = root
            .join("tests/report/snapshots")
            .join(format!("export.{}", kind.extension()));
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let old = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{}: missing (UPDATE_SNAPSHOTS=1)", path.display()));
        assert!(
            old == text,
            "{} differs from the snapshot (UPDATE_SNAPSHOTS=1 to rewrite, then review)",
            path.display()
        );
    }
}

#[test]
fn a_capped_export_refuses_with_advice_instead_of_growing() {
    let ds = dataset();
    let full = all(&ds, ExportKind::Ocsf);
    let ok = export::to_string_capped(
        &ds,
        0..ds.len(),
        ExportKind::Ocsf,
        &ExportOptions::default(),
        full.len(),
    )
    .unwrap();
    assert_eq!(ok, full);
    let err = export::to_string_capped(
        &ds,
        0..ds.len(),
        ExportKind::Ocsf,
        &ExportOptions::default(),
        full.len() / 2,
    )
    .unwrap_err();
    assert!(err.contains("too large to build in the browser"), "{err}");
    assert!(err.contains("auditlens export --to ocsf"), "{err}");
}

#[test]
fn every_format_has_an_ocsf_vendor() {
    for f in auditlens_core::formats::all() {
        let v = export::vendor(f.id());
        assert!(
            v != "unknown" || f.id() == "generic",
            "{} has no vendor",
            f.id()
        );
    }
}
