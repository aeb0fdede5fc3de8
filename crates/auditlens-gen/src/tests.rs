//! Format-level tests: exact counts, determinism, time order, JSON/CSV validity and that the
//! ground truth matches the records written.

use super::*;
use serde_json::Value;

/// A strict RFC 4180 parser (quoted fields, `""` escapes, CRLF or LF records).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    assert!(
                        matches!(chars.peek(), None | Some(',' | '\r' | '\n')),
                        "closing quote must end the field"
                    );
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => {
                assert!(at_start, "quote inside an unquoted field: {field:?}");
                quoted = true;
                at_start = false;
            }
            ',' => {
                row.push(std::mem::take(&mut field));
                at_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' {
                    assert_eq!(chars.next(), Some('\n'), "bare CR");
                }
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                at_start = true;
            }
            _ => {
                field.push(c);
                at_start = false;
            }
        }
    }
    assert!(!quoted, "unterminated quoted field");
    assert!(
        field.is_empty() && row.is_empty(),
        "last record must end with a newline"
    );
    rows
}

/// (time, action, source ip) of every record, plus the parsed records for further checks.
struct Rec {
    time: i64,
    action: String,
    ip: String,
}

fn records(format: Format, bytes: &[u8]) -> Vec<Rec> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let time = |s: &str| parse_rfc3339(s).unwrap_or_else(|| panic!("bad time {s:?}"));
    match format {
        Format::OcoreCsv | Format::Ops0Csv | Format::VendoreCsv => {
            let rows = parse_csv(text);
            let header = &rows[0];
            let col = |name: &str| {
                header
                    .iter()
                    .position(|h| h == name)
                    .unwrap_or_else(|| panic!("no column {name}"))
            };
            let (t, a, ip) = match format {
                Format::OcoreCsv => (col("createdAt"), col("action"), col("ipAddress")),
                Format::Ops0Csv => (col("Timestamp"), col("Action"), col("IP Address")),
                _ => (col("Time"), col("Category"), col("IP address")),
            };
            rows[1..]
                .iter()
                .map(|r| {
                    assert_eq!(r.len(), header.len(), "row width: {r:?}");
                    Rec {
                        time: time(&r[t]),
                        action: r[a].clone(),
                        ip: r[ip].clone(),
                    }
                })
                .collect()
        }
        _ => {
            let v: Value = serde_json::from_str(text).expect("valid JSON");
            let items = match format {
                Format::OcoreJson | Format::OcoreApi => &v["items"],
                Format::OcoreAdmin => &v["logs"],
                Format::CloudtrailJson => &v["Records"],
                _ => &v,
            };
            let items = items.as_array().expect("array of records");
            let (t, a, ip) = match format {
                Format::Ops0Json => ("timestamp", "action", "ipAddress"),
                Format::VendoreJson => ("time", "category", "ipAddress"),
                Format::CloudtrailJson => ("eventTime", "eventName", "sourceIPAddress"),
                _ => ("createdAt", "action", "ipAddress"),
            };
            items
                .iter()
                .map(|r| Rec {
                    time: time(r[t].as_str().expect("time string")),
                    action: r[a].as_str().expect("action string").to_string(),
                    ip: r[ip].as_str().unwrap_or("").to_string(),
                })
                .collect()
        }
    }
}

fn gen(format: Format, events: u64, seed: u64, incident: bool) -> (Vec<u8>, GroundTruth) {
    let mut opts = Options::new(format, events);
    opts.seed = seed;
    opts.incident = incident;
    let mut out = Vec::new();
    let truth = generate(&opts, &mut out).expect("generate");
    (out, truth)
}

#[test]
fn names_round_trip() {
    assert_eq!(Format::all().len(), 10);
    for &f in Format::all() {
        assert_eq!(Format::from_name(f.name()), Some(f));
        assert_eq!(Format::from_name(&f.name().to_uppercase()), Some(f));
    }
    assert_eq!(Format::from_name("ocore"), None);
}

#[test]
fn same_seed_same_bytes() {
    for &f in Format::all() {
        let (a, ta) = gen(f, 1500, 9, true);
        let (b, tb) = gen(f, 1500, 9, true);
        assert!(a == b, "{f}: output differs between runs");
        assert_eq!(ta, tb);
        let (c, _) = gen(f, 1500, 10, true);
        assert!(a != c, "{f}: seed has no effect");
    }
}

#[test]
fn exact_counts_valid_and_ordered() {
    for &f in Format::all() {
        for (n, incident) in [
            (0, false),
            (1, false),
            (57, false),
            (INCIDENT_EVENTS, true),
            (1800, true),
            (2500, false),
        ] {
            let (bytes, truth) = gen(f, n, 3, incident);
            let recs = records(f, &bytes);
            assert_eq!(recs.len() as u64, n, "{f} n={n}");
            assert!(
                recs.windows(2).all(|w| w[0].time <= w[1].time),
                "{f} n={n}: time goes backwards"
            );
            assert!(
                recs.iter()
                    .all(|r| r.time >= truth.start && r.time < truth.end),
                "{f}: time outside the span"
            );
            assert!(
                recs.iter().all(|r| !r.action.is_empty()),
                "{f}: empty action"
            );
        }
    }
}

#[test]
fn container_totals() {
    for f in [Format::OcoreJson, Format::OcoreApi, Format::OcoreAdmin] {
        let (bytes, _) = gen(f, 321, 4, false);
        let v: Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(v["total"], 321);
        if f == Format::OcoreApi {
            assert_eq!(v["page"], 1);
            assert_eq!(v["perPage"], 321);
        }
    }
    let (bytes, _) = gen(Format::OcoreJson, 50, 4, false);
    let v: Value = serde_json::from_slice(&bytes).expect("json");
    let keys: Vec<&str> = v["items"][0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut want = vec![
        "id",
        "action",
        "createdAt",
        "userId",
        "userName",
        "resourceType",
        "resourceId",
        "resourceName",
        "ipAddress",
        "userAgent",
        "beforeState",
        "afterState",
    ];
    let mut keys = keys;
    keys.sort_unstable();
    want.sort_unstable();
    assert_eq!(
        keys, want,
        "oCore item keys are exactly the seed 001 schema"
    );
    for item in v["items"].as_array().expect("items") {
        assert!(item["beforeState"].is_object() && item["afterState"].is_object());
    }
}

#[test]
fn csv_quoting_and_embedded_json() {
    let (bytes, _) = gen(Format::OcoreCsv, 800, 5, true);
    let text = std::str::from_utf8(&bytes).expect("utf8");
    let rows = parse_csv(text);
    assert_eq!(rows[0].join(","), "id,action,createdAt,userId,userName,resourceType,resourceId,resourceName,ipAddress,userAgent,beforeState,afterState");
    let mut changed = 0;
    for r in &rows[1..] {
        for cell in &r[10..12] {
            let v: Value = serde_json::from_str(cell).expect("state is JSON");
            assert!(v.is_object());
            changed += usize::from(cell != "{}");
        }
    }
    assert!(changed > 400, "change events carry states");
    assert!(
        text.contains(r#""{""method"":"#),
        "JSON cells use doubled quotes"
    );
    assert!(text.contains("\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"), "commas force quoting");

    let (bytes, _) = gen(Format::VendoreCsv, 500, 5, true);
    let rows = parse_csv(std::str::from_utf8(&bytes).expect("utf8"));
    assert_eq!(
        rows[0].join(","),
        "Time,Category,Email,User ID,IP address,User agent,Detail"
    );
    for r in &rows[1..] {
        let v: Value = serde_json::from_str(&r[6]).expect("detail is JSON");
        assert!(v.is_object());
        assert!(r[0].ends_with("+09:00"), "{}", r[0]);
    }

    let (bytes, _) = gen(Format::Ops0Csv, 500, 5, true);
    let text = std::str::from_utf8(&bytes).expect("utf8");
    assert!(text.starts_with("Timestamp,User,Action,Resource,Status,IP Address,Details\r\n"));
    assert_eq!(text.matches("\r\n").count(), 501, "CRLF line ends");
    for r in &parse_csv(text)[1..] {
        assert_eq!(r[0].len(), 19, "YYYY-MM-DD HH:MM:SS: {}", r[0]);
        assert!(r[4] == "Success" || r[4] == "Failed");
    }
}

#[test]
fn csv_and_json_renderings_agree() {
    // Same seed and N: the summarized CSV and the JSON describe the same events.
    for (csv, json) in [
        (Format::Ops0Csv, Format::Ops0Json),
        (Format::VendoreCsv, Format::VendoreJson),
        (Format::OcoreCsv, Format::OcoreJson),
    ] {
        let a = records(csv, &gen(csv, 700, 8, true).0);
        let b = records(json, &gen(json, 700, 8, true).0);
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                (x.time, &x.action, &x.ip),
                (y.time, &y.action, &y.ip),
                "{csv} vs {json}"
            );
        }
    }
}

#[test]
fn ground_truth_matches_records() {
    for &f in Format::all() {
        let (bytes, truth) = gen(f, 3000, 11, true);
        let recs = records(f, &bytes);
        assert_eq!(truth.incidents.len(), 9, "{f}");
        for inc in &truth.incidents {
            let n = recs
                .iter()
                .filter(|r| r.ip == inc.ip && r.time >= inc.first && r.time <= inc.last)
                .count() as u64;
            let in_actions = recs
                .iter()
                .filter(|r| r.ip == inc.ip && r.time >= inc.first && r.time <= inc.last)
                .all(|r| inc.actions.contains(&r.action.as_str()));
            // The attacker IPs are never used by the background, so the window holds exactly
            // the planted records (single-step incidents share the takeover IP: count them by action).
            if matches!(
                inc.kind,
                "api_key_created" | "privilege_grant" | "mfa_disabled" | "audit_tampering"
            ) {
                assert_eq!(inc.count, 1, "{f} {}", inc.kind);
                assert_eq!(inc.first, inc.last);
            } else {
                assert_eq!(n, inc.count, "{f} {}", inc.kind);
                assert!(in_actions, "{f} {}: unexpected action in window", inc.kind);
            }
        }
        let bf = truth.incident("brute_force").expect("brute force");
        assert_eq!(bf.count, 35);
        assert!(bf.last - bf.first <= 600 + 40);
        let spray = truth.incident("password_spray").expect("spray");
        assert!(spray.accounts >= 12 && spray.last - spray.first <= 1800);
        let bulk = truth.incident("bulk_deletion").expect("bulk");
        assert!(bulk.count >= 25 && bulk.last - bulk.first <= 600);
        let chain = truth.incident("account_takeover").expect("takeover");
        assert!(chain.last - chain.first <= 3600);
        let off = truth.incident("off_hours").expect("off hours");
        assert!(
            timefmt::weekday(off.first, 0) >= 5 && timefmt::minute_of_day(off.first, 0) / 60 == 3
        );
        let json: Value = serde_json::from_str(&truth.to_json()).expect("truth JSON");
        assert_eq!(json["incidents"].as_array().map(Vec::len), Some(9));
        assert_eq!(json["format"], f.name());
    }
}

#[test]
fn default_incident_timeline_is_documented() {
    let (_, truth) = gen(Format::OcoreJson, 2000, 1, true);
    let day = |kind: &str| {
        truth
            .incident(kind)
            .map(|i| rfc3339(i.first)[..13].to_string())
    };
    assert_eq!(day("password_spray").as_deref(), Some("2026-02-09T10"));
    assert_eq!(day("brute_force").as_deref(), Some("2026-02-09T10"));
    assert_eq!(day("off_hours").as_deref(), Some("2026-02-14T03"));
}

#[test]
fn background_is_clean() {
    // No incident: no failures bursts, one IP per person, nothing destructive or sensitive,
    // humans only inside 08:00-19:00 UTC on weekdays.
    let (bytes, _) = gen(Format::OcoreJson, 30_000, 2, false);
    let v: Value = serde_json::from_slice(&bytes).expect("json");
    let items = v["items"].as_array().expect("items");
    let mut ip_of: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    let mut fails: std::collections::HashMap<&str, Vec<i64>> = std::collections::HashMap::new();
    for it in items {
        let user = it["userName"].as_str().expect("user");
        let action = it["action"].as_str().expect("action");
        let t = parse_rfc3339(it["createdAt"].as_str().expect("time")).expect("time");
        assert!(
            !matches!(
                action,
                "auth.totp_disabled"
                    | "webhook_endpoint.deleted"
                    | "database.dropped"
                    | "backup.deleted"
                    | "server.deleted"
                    | "role.updated"
            ),
            "sensitive action in background: {action}"
        );
        if action == "member.role_changed" {
            let to = it["afterState"]["role"].as_str().expect("role");
            assert!(to != "owner" && to != "admin", "admin grant in background");
        }
        if user.contains('@') {
            let ip = it["ipAddress"].as_str().expect("ip");
            assert_eq!(*ip_of.entry(user).or_insert(ip), ip, "{user} changed IP");
            let hour = timefmt::minute_of_day(t, 0) / 60;
            assert!(
                timefmt::weekday(t, 0) < 5 && (8..19).contains(&hour),
                "{user} active off-hours at {}",
                rfc3339(t)
            );
            if action == "auth.login_failed" {
                fails.entry(user).or_default().push(t);
            }
        }
    }
    for (user, ts) in fails {
        for w in ts.windows(3) {
            assert!(w[2] - w[0] > 600, "{user}: 3 failures within 10 minutes");
        }
    }
}

#[test]
fn rejects_impossible_requests() {
    let mut opts = Options::new(Format::OcoreJson, INCIDENT_EVENTS - 1);
    opts.incident = true;
    let err = generate(&opts, std::io::sink()).expect_err("too few events");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    opts.events = 1000;
    opts.span = Duration::from_secs(3 * 86_400);
    assert!(
        generate(&opts, std::io::sink()).is_err(),
        "span too short for the story"
    );
    opts.incident = false;
    opts.span = Duration::from_secs(60);
    assert!(generate(&opts, std::io::sink()).is_err());
    opts.span = Duration::from_secs(3600);
    let mut out = Vec::new();
    generate(&opts, &mut out).expect("one hour is enough without an incident");
    assert_eq!(records(Format::OcoreJson, &out).len(), 1000);
}

#[test]
fn custom_start_and_span() {
    let mut opts = Options::new(Format::CloudtrailJson, 2000);
    opts.start = parse_rfc3339("2025-06-02T00:00:00Z").expect("start");
    opts.span = Duration::from_secs(30 * 86_400);
    opts.incident = true;
    let mut out = Vec::new();
    let truth = generate(&opts, &mut out).expect("generate");
    let recs = records(Format::CloudtrailJson, &out);
    assert_eq!(recs.len(), 2000);
    assert!(recs[0].time >= opts.start && recs[1999].time < opts.start + 30 * 86_400);
    assert!(truth
        .incidents
        .iter()
        .all(|i| i.first >= opts.start && i.last < truth.end));
}
