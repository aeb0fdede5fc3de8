//! The `report` and `export` command contracts: flags, formats, output files, determinism.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_auditlens"))
}

fn core_fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../auditlens-core/tests/report")
        .join(p)
}

fn repo_fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(p)
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("auditlens-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn report_is_deterministic_in_every_format() {
    let data = core_fixture("incident-ocore.json");
    let case = core_fixture("case.json");
    let (d, c) = (data.to_str().unwrap(), case.to_str().unwrap());
    for fmt in ["md", "html", "json"] {
        let a = tmp(&format!("a.{fmt}"));
        let args = |o: &Path| {
            vec![
                "report".to_string(),
                "--case".into(),
                c.into(),
                "--generated-at".into(),
                "2026-03-04T12:00:00Z".into(),
                "--format".into(),
                fmt.into(),
                "-o".into(),
                o.to_str().unwrap().into(),
                d.into(),
            ]
        };
        let st = bin().args(args(&a)).status().unwrap();
        assert!(st.success());
        let b = tmp(&format!("b.{fmt}"));
        assert!(bin().args(args(&b)).status().unwrap().success());
        let (ta, tb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        assert_eq!(ta, tb, "{fmt} differs between runs");
        let text = String::from_utf8(ta).unwrap();
        assert!(
            text.contains("Account takeover of dana@corp.example"),
            "{fmt}"
        );
        if fmt == "json" {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["case_id"], "INC-2026-0042");
            assert_eq!(v["timezone"], "Europe/Berlin");
        }
        if fmt == "html" {
            assert!(text.starts_with("<!DOCTYPE html>"));
            assert!(!text.contains("<script"));
        }
    }
    // The same report on standard output as in the file.
    let (code, md, _) = run(&[
        "report",
        "--case",
        c,
        "--generated-at",
        "2026-03-04T12:00:00Z",
        d,
    ]);
    assert_eq!(code, 0);
    assert_eq!(md.as_bytes(), std::fs::read(tmp("a.md")).unwrap());
}

#[test]
fn report_scope_flags_and_case_warnings() {
    let data = core_fixture("incident-ocore.json");
    let okta = repo_fixture("okta-one-bad-line.ndjson");
    let case = core_fixture("case.json");
    let (code, json, err) = run(&[
        "report",
        "-q",
        "outcome:failure",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-02T10:03",
        "--format",
        "json",
        "--generated-at",
        "2026-03-04T12:00:00Z",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    // Failures from 10:00:00 to 10:03:59.999: 8 of the 12.
    assert_eq!(v["scope"]["events_in_scope"], 8);
    assert_eq!(v["scope"]["query"], "outcome:failure");
    // A case with a file that is not loaded: a warning naming it; exit 1 for the okta file's
    // bad line is not expected (it loads with one rejected record).
    let (code, _, err) = run(&[
        "report",
        "--case",
        case.to_str().unwrap(),
        "--generated-at",
        "2026-03-04T12:00:00Z",
        okta.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(
        err.contains("incident-ocore.json") && err.contains("not loaded"),
        "{err}"
    );
    // Bad input is a usage error with a reason.
    let (code, _, err) = run(&["report", "--from", "soon", data.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("--from"), "{err}");
    let (code, _, err) = run(&["report", "-q", "actor:(", data.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("query"), "{err}");
}

#[test]
fn export_formats_and_query() {
    let data = core_fixture("incident-ocore.json");
    let d = data.to_str().unwrap();
    for to in ["ndjson", "csv", "ocsf", "ecs", "timesketch"] {
        let (code, out, err) = run(&["export", "--to", to, d]);
        assert_eq!(code, 0, "{to}: {err}");
        assert!(!out.is_empty(), "{to}");
        let (_, again, _) = run(&["export", "--to", to, d]);
        assert_eq!(out, again, "{to} is deterministic");
    }
    let o = tmp("out.csv");
    let (code, _, err) = run(&[
        "export",
        "--to",
        "csv",
        "-q",
        "action:api_key.created OR action:member.role_changed",
        "-o",
        o.to_str().unwrap(),
        d,
    ]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(&o).unwrap();
    assert_eq!(csv.lines().count(), 3, "header + 2 rows:\n{csv}");
    assert!(csv.starts_with("time,time_local,"));
    let (code, out, _) = run(&["export", "--to", "ndjson", "-q", "outcome:failure", d]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 12);
    let (code, _, err) = run(&["export", "--to", "xlsx", d]);
    assert_eq!(code, 2);
    assert!(err.contains("xlsx"), "{err}");
}

#[test]
fn case_commands_embed_check_merge_extract() {
    let data = core_fixture("incident-ocore.json");
    let case = core_fixture("case.json");
    let portable = tmp("portable.json");
    let _ = std::fs::remove_file(&portable);
    // A case embedding its input, merged with the analyst's case.
    let (code, _, err) = run(&[
        "case",
        "embed",
        portable.to_str().unwrap(),
        data.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let merged = tmp("merged.json");
    let (code, _, err) = run(&[
        "case",
        "merge",
        case.to_str().unwrap(),
        portable.to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    // The portable case alone gives the same report as the case with the file.
    // (Run beside the file so that both name it "incident-ocore.json".)
    let report = |args: &[&str]| {
        let mut all = vec![
            "report",
            "--generated-at",
            "2026-03-04T12:00:00Z",
            "--case",
            merged.to_str().unwrap(),
        ];
        all.extend_from_slice(args);
        let out = bin()
            .args(&all)
            .current_dir(data.parent().unwrap())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let with_file = report(&["incident-ocore.json"]);
    let from_case = report(&[]);
    assert!(with_file == from_case, "the portable case's report differs");
    assert!(from_case.contains("The user received a phone call"));
    // Check: the okta file is extra, nothing missing → 0; with only okta → missing → 1.
    let okta = repo_fixture("okta-one-bad-line.ndjson");
    let (code, out, _) = run(&[
        "case",
        "check",
        merged.to_str().unwrap(),
        data.to_str().unwrap(),
        okta.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("extra"), "{out}");
    let (code, out, _) = run(&[
        "case",
        "check",
        "--json",
        merged.to_str().unwrap(),
        okta.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["missing"][0]["name"], "incident-ocore.json");
    // Extract writes the embedded bytes back, identical.
    let dir = tmp("extracted");
    let (code, _, err) = run(&[
        "case",
        "extract",
        merged.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read(dir.join("incident-ocore.json")).unwrap(),
        std::fs::read(&data).unwrap()
    );
}

#[test]
fn detect_and_report_share_the_rule_options() {
    let data = core_fixture("incident-ocore.json");
    let rule = tmp("webhook.yml");
    std::fs::write(
        &rule,
        "title: Webhook deleted\nid: 4b1d3f0e-0000-4000-8000-000000000001\nlevel: high\nlogsource:\n  product: ocore\ndetection:\n  sel:\n    action: webhook_endpoint.deleted\n  condition: sel\n",
    )
    .unwrap();
    let (code, out, err) = run(&[
        "detect",
        "--json",
        "--no-builtin",
        "--rules",
        rule.to_str().unwrap(),
        data.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{out}");
    assert_eq!(v[0]["rule"], "4b1d3f0e-0000-4000-8000-000000000001");
    let (code, json, err) = run(&[
        "report",
        "--format",
        "json",
        "--generated-at",
        "2026-03-04T12:00:00Z",
        "--rules",
        rule.to_str().unwrap(),
        data.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rules = r["methodology"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .any(|x| x["source"] == "sigma" && x["findings"] == 1));
    assert!(rules.iter().any(|x| x["id"] == "AL-004"));
    let (code, _, err) = run(&[
        "detect",
        "--config",
        "/nonexistent.json",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--config"), "{err}");
}
