//! The wasm boundary as the page sees it, run in headless Chromium by `./x test`
//! (wasm-bindgen-test-runner + chromedriver; capabilities in tests/webdriver.json).
//! Behaviour belongs to core tests; these only check that calls cross the boundary intact.
#![cfg(target_arch = "wasm32")]

use auditlens_wasm::Session;
use serde_json::Value;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const OKTA_LINES: &[u8] = br#"{"uuid":"u-1","published":"2026-02-01T10:00:00.000Z","eventType":"user.session.start","actor":{"id":"00u1","type":"User","alternateId":"alice@example.com"},"outcome":{"result":"SUCCESS"}}
{"uuid":"u-2","published":"2026-02-01T10:05:00.000Z","eventType":"user.session.end","actor":{"id":"00u1","type":"User","alternateId":"alice@example.com"},"outcome":{"result":"SUCCESS"}}
"#;

/// Different events from [`OKTA_LINES`] (the core deduplicates identical events across files).
const MORE_OKTA_LINES: &[u8] = br#"{"uuid":"u-3","published":"2026-02-01T11:00:00.000Z","eventType":"user.session.start","actor":{"id":"00u2","type":"User","alternateId":"bob@example.com"},"outcome":{"result":"FAILURE"}}
"#;

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

#[wasm_bindgen_test]
fn load_returns_a_file_summary_for_that_file() {
    let mut session = Session::new();
    let s = json(&session.load("okta.ndjson", OKTA_LINES.to_vec(), None, None));
    assert_eq!(s["path"], "okta.ndjson");
    assert_eq!(s["size"], OKTA_LINES.len());
    for key in [
        "format", "sha256", "read", "loaded", "rejected", "errors", "warnings",
    ] {
        assert!(s.get(key).is_some(), "FileSummary has no {key}: {s}");
    }
    assert!(s["errors"].is_array() && s["warnings"].is_array());
}

#[wasm_bindgen_test]
fn summary_lists_every_loaded_file_and_counts_events() {
    let mut session = Session::new();
    let a = json(&session.load("a.ndjson", OKTA_LINES.to_vec(), None, None));
    let b = json(&session.load("b.ndjson", MORE_OKTA_LINES.to_vec(), None, None));
    let sum = json(&session.summary());
    let names: Vec<&str> = sum["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(names, ["a.ndjson", "b.ndjson"]);
    let loaded = a["loaded"].as_u64().expect("loaded") + b["loaded"].as_u64().expect("loaded");
    assert_eq!(sum["events"].as_u64(), Some(loaded));
}

#[wasm_bindgen_test]
fn empty_input_is_a_summary_not_a_trap() {
    let mut session = Session::new();
    let s = json(&session.load("empty.json", Vec::new(), None, None));
    assert_eq!(s["path"], "empty.json");
    assert_eq!(s["loaded"], 0);
}

#[wasm_bindgen_test]
fn version_is_not_empty() {
    assert!(!Session::version().is_empty());
}

/// The fixture investigation of the core's report tests, loaded through the boundary: the report
/// must equal the native golden snapshots byte for byte (the page and the CLI agree).
const INCIDENT: &[u8] = include_bytes!("../../auditlens-core/tests/report/incident-ocore.json");
const OKTA_FIXTURE: &[u8] = include_bytes!("../../../tests/fixtures/okta-one-bad-line.ndjson");
const CASE: &str = include_str!("../../auditlens-core/tests/report/case.json");
const GOLDEN_MD: &str = include_str!("../../auditlens-core/tests/report/snapshots/report.md");
const GOLDEN_JSON: &str = include_str!("../../auditlens-core/tests/report/snapshots/report.json");
const GOLDEN_HTML: &str = include_str!("../../auditlens-core/tests/report/snapshots/report.html");

fn incident_session() -> Session {
    let mut s = Session::new();
    s.load("incident-ocore.json", INCIDENT.to_vec(), None, None);
    s.load(
        "okta-one-bad-line.ndjson",
        OKTA_FIXTURE.to_vec(),
        None,
        None,
    );
    s
}

#[wasm_bindgen_test]
fn report_in_wasm_equals_the_native_golden_reports() {
    let mut s = incident_session();
    let case = json(CASE);
    for (format, golden) in [
        ("md", GOLDEN_MD),
        ("json", GOLDEN_JSON),
        ("html", GOLDEN_HTML),
    ] {
        let req = serde_json::json!({
            "format": format,
            "generatedAt": "2026-03-04T12:00:00Z",
            "case": case,
        });
        let text = s
            .report(&req.to_string())
            .unwrap_or_else(|_| panic!("report {format}"));
        assert!(
            text == golden,
            "{format} report differs from the native snapshot"
        );
    }
}

#[wasm_bindgen_test]
fn export_and_case_methods_cross_the_boundary() {
    let mut s = incident_session();
    let csv = s.export("csv", "outcome:failure", None).unwrap_or_default();
    assert_eq!(csv.lines().count(), 13, "header + 12 failed logins");
    let ocsf = json(
        &s.export("ocsf", "", Some("Europe/Berlin".into()))
            .unwrap_or_default(),
    );
    assert_eq!(ocsf.as_array().map(Vec::len), Some(21));
    let check = json(&s.case_check(CASE).unwrap_or_default());
    assert_eq!(check["missing"].as_array().map(Vec::len), Some(0));
    assert_eq!(check["extra"].as_array().map(Vec::len), Some(1));
    let fresh = s.case_new();
    let merged = json(&Session::case_merge(CASE, &fresh).unwrap_or_default());
    assert_eq!(merged["files"].as_array().map(Vec::len), Some(2));
    let keys = serde_json::to_string(&merged["stars"]).unwrap_or_default();
    let events = json(&s.events_by_keys(&keys).unwrap_or_default());
    assert_eq!(events[0]["event"]["action"], "api_key.created");
}

#[wasm_bindgen_test]
fn exports_in_wasm_equal_the_native_golden_exports() {
    let mut s = incident_session();
    for (kind, golden) in [
        (
            "ndjson",
            include_str!("../../auditlens-core/tests/report/snapshots/export.ndjson"),
        ),
        (
            "csv",
            include_str!("../../auditlens-core/tests/report/snapshots/export.csv"),
        ),
        (
            "ocsf",
            include_str!("../../auditlens-core/tests/report/snapshots/export.ocsf.json"),
        ),
        (
            "ecs",
            include_str!("../../auditlens-core/tests/report/snapshots/export.ecs.ndjson"),
        ),
        (
            "timesketch",
            include_str!("../../auditlens-core/tests/report/snapshots/export.timesketch.jsonl"),
        ),
    ] {
        let text = s.export(kind, "", None).unwrap_or_default();
        assert!(
            text == golden,
            "{kind} export differs from the native snapshot"
        );
    }
}

#[wasm_bindgen_test]
fn a_case_embeds_its_files_and_gives_them_back() {
    let case = Session::case_embed(CASE, "incident-ocore.json", INCIDENT).unwrap_or_default();
    assert!(case.contains("\"embedded\""));
    let files = Session::case_embedded(&case).unwrap_or_else(|_| js_sys::Array::new());
    assert_eq!(files.length(), 1);
    let pair = js_sys::Array::from(&files.get(0));
    assert_eq!(
        pair.get(0).as_string().as_deref(),
        Some("incident-ocore.json")
    );
    let bytes = js_sys::Uint8Array::new(&pair.get(1)).to_vec();
    assert_eq!(bytes, INCIDENT);
    // Tampered bytes are refused.
    let tampered = case.replacen("\"base64\": \"", "\"base64\": \"AAAA", 1);
    assert!(Session::case_embedded(&tampered).is_err());
}
