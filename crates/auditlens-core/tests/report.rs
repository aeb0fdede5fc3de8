//! Incident reports: golden snapshots of the Markdown, JSON and HTML reports for a fixture
//! investigation (`tests/report/`), determinism, scope, hostile content, and case files
//! (round trip, check, merge, embedding). `UPDATE_SNAPSHOTS=1` rewrites the snapshots.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use auditlens_core::case::{self, Case};
use auditlens_core::detect::Config;
use auditlens_core::report::{self, ReportInput, ReportRequest};
use auditlens_core::search::Index;
use auditlens_core::time::{self, Zone};
use auditlens_core::{Dataset, LoadOptions};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/report")
}

fn repo_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

fn load(files: &[PathBuf]) -> Dataset {
    let mut ds = Dataset::new();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        ds.load(&name, std::fs::read(f).unwrap(), &LoadOptions::default());
    }
    ds
}

fn fixture_case() -> Case {
    Case::parse(&std::fs::read_to_string(dir().join("case.json")).unwrap()).unwrap()
}

fn ns(t: &str) -> i64 {
    time::parse_timestamp(t).unwrap().nanos
}

fn request(case: &Case) -> ReportRequest {
    ReportRequest {
        zone: if case.report.tz.is_empty() {
            Zone::default()
        } else {
            Zone::parse(&case.report.tz).unwrap()
        },
        generated_at: ns("2026-03-04T12:00:00Z"),
        include_starred: true,
        ..Default::default()
    }
}

fn build(ds: &Dataset, case: &Case, req: &ReportRequest) -> report::Report {
    let ix = Index::build(ds);
    let cfg = Config::default();
    let input = ReportInput {
        ds,
        index: &ix,
        case,
        config: Some(&cfg),
        sigma: None,
    };
    report::build(&input, req).unwrap()
}

fn check_snapshot(name: &str, text: &str) {
    let path = dir().join("snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let old = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{name}: missing (UPDATE_SNAPSHOTS=1 to write it)"));
    if old != text {
        let line = old
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .map_or(old.lines().count().min(text.lines().count()), |i| i);
        panic!(
            "{name}: differs from the snapshot at line {} (UPDATE_SNAPSHOTS=1 to rewrite, then review the diff)\n  old: {:?}\n  new: {:?}",
            line + 1,
            old.lines().nth(line),
            text.lines().nth(line)
        );
    }
}

fn investigation() -> (Dataset, Case) {
    let ds = load(&[
        dir().join("incident-ocore.json"),
        repo_fixture("okta-one-bad-line.ndjson"),
    ]);
    (ds, fixture_case())
}

#[test]
fn golden_markdown_json_and_html_reports() {
    let (ds, case) = investigation();
    let r = build(&ds, &case, &request(&case));
    check_snapshot("report.md", &r.to_markdown());
    check_snapshot("report.json", &r.to_json());
    check_snapshot("report.html", &r.to_html());
}

#[test]
fn report_content_covers_every_section() {
    let (ds, case) = investigation();
    let r = build(&ds, &case, &request(&case));
    assert_eq!(r.title, "Account takeover of dana@corp.example");
    assert_eq!(r.case_id, "INC-2026-0042");
    assert_eq!(r.timezone, "Europe/Berlin");
    // Generated-at is in the display zone (UTC+1 in March).
    assert_eq!(r.generated_at, "2026-03-04T13:00:00.000+01:00");
    assert_eq!(r.scope.events_total, ds.len() as u64);
    assert_eq!(r.scope.events_in_scope, ds.len() as u64);
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
    for want in ["AL-001", "AL-004", "AL-020", "AL-060", "AL-070", "AL-080"] {
        assert!(rules.contains(&want), "{want} missing from {rules:?}");
    }
    assert!(r.findings.iter().all(|f| !f.doc.what.is_empty()));
    // Timeline: finding evidence, the starred event, the analyst event, each marked.
    let marks: Vec<String> = r.timeline.iter().flat_map(|t| t.marks.clone()).collect();
    assert!(marks.iter().any(|m| m == "starred"));
    assert!(marks.iter().any(|m| m == "analyst"));
    assert!(marks.iter().any(|m| m == "finding AL-004"));
    let analyst = r.timeline.iter().find(|t| t.marks == ["analyst"]).unwrap();
    assert_eq!(analyst.time, "2026-03-02T11:30:00.000+01:00");
    let tagged = r.timeline.iter().find(|t| !t.tags.is_empty()).unwrap();
    assert_eq!(tagged.action, "member.role_changed");
    assert_eq!(tagged.tags, ["confirmed", "escalation"]);
    assert_eq!(tagged.comments.len(), 1);
    // Times ascend.
    assert!(r.timeline.windows(2).all(|w| w[0].ns <= w[1].ns));
    // Entities: dana's IP with 17 events (12 failures) first seen at the first failure.
    let ip = r
        .entities
        .ips
        .iter()
        .find(|e| e.value == "198.51.100.66")
        .unwrap();
    assert_eq!((ip.events, ip.failures, ip.flagged), (17, 12, true));
    assert_eq!(ip.first, "2026-03-02T11:00:00.000+01:00");
    assert!(r
        .entities
        .user_agents
        .iter()
        .any(|e| e.value == "python-requests/2.31"));
    assert!(r
        .entities
        .resources
        .iter()
        .any(|e| e.value == "webhook_endpoint:siem-forwarder"));
    // Changes: the role change as a diff.
    let role = r
        .changes
        .iter()
        .find(|c| c.action == "member.role_changed")
        .unwrap();
    assert_eq!(role.changes[0].path, "role");
    assert_eq!(role.changes[0].before.as_deref(), Some("\"member\""));
    assert_eq!(role.changes[0].after.as_deref(), Some("\"owner\""));
    assert_eq!(r.notes.len(), 2);
    assert!(r.next_steps.iter().any(|s| s.rule == "AL-004"));
    // Methodology: files with hashes and counts that reconcile, the rules with versions.
    let m = &r.methodology;
    assert_eq!(m.files.len(), 2);
    assert_eq!(m.read, m.loaded + m.rejected);
    assert_eq!(m.rejected, 1, "the okta fixture has one broken line");
    assert!(m.files.iter().all(|f| f.sha256.len() == 64));
    assert!(m.files[1].errors[0].contains("line 2"));
    assert!(m
        .rules
        .iter()
        .any(|x| x.id == "AL-004" && x.version == auditlens_core::VERSION));
    assert_eq!(
        m.saved_queries,
        ["dana's activity: actor:dana@corp.example"]
    );
    // The summary states facts from the data.
    let s = r.summary.join(" ");
    assert!(s.contains("Detections raised"), "{s}");
    assert!(s.contains("dana@corp.example"), "{s}");
    assert!(s.contains("198.51.100.66"), "{s}");
}

#[test]
fn reports_are_byte_identical_across_runs() {
    let (ds, case) = investigation();
    let req = request(&case);
    let a = build(&ds, &case, &req);
    let (ds2, case2) = investigation();
    let b = build(&ds2, &case2, &req);
    assert_eq!(a.to_markdown(), b.to_markdown());
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(a.to_html(), b.to_html());
    // Another generated-at changes only that.
    let mut req2 = req.clone();
    req2.generated_at += time::NS;
    let c = build(&ds, &case, &req2);
    assert_ne!(a.to_json(), c.to_json());
    assert_eq!(
        a.to_json()
            .lines()
            .filter(|l| !l.contains("generated_at"))
            .count(),
        c.to_json()
            .lines()
            .filter(|l| !l.contains("generated_at"))
            .count()
    );
}

#[test]
fn scope_by_query_window_and_finding_selection() {
    let (ds, case) = investigation();
    let mut req = request(&case);
    req.query = "actor:erik@corp.example".into();
    let r = build(&ds, &case, &req);
    assert_eq!(r.scope.events_in_scope, 2);
    assert!(r.methodology.queries[0].contains("actor:erik@corp.example"));

    let mut req = request(&case);
    req.from = Some(report::parse_bound("2026-03-02T10:07:00Z", false, &Zone::default()).unwrap());
    req.to = Some(report::parse_bound("2026-03-02T10:12:00Z", true, &Zone::default()).unwrap());
    req.findings = Some(vec!["AL-020".into(), "AL-060".into()]);
    let r = build(&ds, &case, &req);
    assert_eq!(r.scope.events_in_scope, 2, "api key + role change");
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["AL-020", "AL-060"]);
    assert!(r
        .timeline
        .iter()
        .all(|t| t.ns >= req.from.unwrap() && t.ns <= req.to.unwrap()));
    assert!(r
        .timeline
        .iter()
        .all(|t| !t.marks.iter().any(|m| m == "analyst")));

    // A bad query is an error, not an empty report.
    let mut req = request(&case);
    req.query = "actor:(".into();
    let ix = Index::build(&ds);
    let cfg = Config::default();
    let input = ReportInput {
        ds: &ds,
        index: &ix,
        case: &case,
        config: Some(&cfg),
        sigma: None,
    };
    assert!(report::build(&input, &req)
        .unwrap_err()
        .starts_with("query:"));
    // Date bounds cover the whole day.
    let z = Zone::default();
    assert_eq!(
        report::parse_bound("2026-03-02", true, &z).unwrap(),
        ns("2026-03-03T00:00:00Z") - 1
    );
    assert!(report::parse_bound("yesterday", false, &z).is_err());
}

/// Every tag the HTML report may contain; anything else came from data.
const HTML_TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "dl",
    "dt", "dd", "section", "p", "article", "span", "table", "thead", "tbody", "tr", "th", "td",
    "div", "ul", "li", "strong", "code",
];

#[test]
fn hostile_content_is_inert_in_every_format() {
    let ds = load(&[repo_fixture("hostile-ocore.json")]);
    let mut case = Case::default();
    case.set_files(&ds);
    // Star everything so every hostile value reaches the timeline, and annotate with markup.
    for p in 0..ds.len() {
        case.stars.insert(case::key_at(&ds, p).unwrap());
    }
    case.report.notes = "<script>alert('notes')</script>\n\n# not a heading".into();
    let r = build(&ds, &case, &request(&case));
    assert_eq!(r.timeline.len(), ds.len());

    let html = r.to_html();
    let mut rest = html.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        assert!(
            HTML_TAGS.iter().any(|t| t.eq_ignore_ascii_case(&name)),
            "tag <{name}> in the HTML report: {}",
            &rest[..rest.len().min(80)]
        );
    }
    // Present only escaped (as text), never as markup.
    for bad in ["<script", "<img", "<svg", "<textarea", "<b>"] {
        assert!(!html.contains(bad), "{bad} in HTML");
    }
    assert!(html.contains("&lt;img src=x onerror="));
    assert!(!html.contains("href="), "the report links nothing");
    assert!(html.contains("&lt;script&gt;alert(&#39;xss-actor&#39;)&lt;/script&gt;"));
    assert!(html.contains("admin[U+202E]gnp.exe"), "RTL override shown");
    assert!(html.contains("zero[U+200B]width"), "zero-width shown");
    assert!(html.contains("more characters)"), "20 kB token shortened");
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));

    let md = r.to_markdown();
    for bad in ["<script", "<img", "<svg", "<style", "</textarea", "<b>"] {
        assert!(!md.contains(bad), "{bad} in Markdown");
    }
    assert!(
        !md.replace("\\](", "").contains("](javascript"),
        "no Markdown link from data"
    );
    assert!(md.contains("\\[click\\](javascript"));
    assert!(
        !md.contains("\n# not a heading"),
        "notes cannot start a block"
    );
    for line in md.lines().filter(|l| l.starts_with('|')) {
        // A data `|` never adds a table column: every row of a table has its header's count.
        let cells = line.matches('|').count() - line.matches("\\|").count();
        assert!(cells >= 2, "{line}");
    }
    let header_cols = |l: &str| l.matches('|').count() - l.matches("\\|").count();
    let mut expect = 0;
    for line in md.lines() {
        if !line.starts_with('|') {
            expect = 0;
            continue;
        }
        if expect == 0 {
            expect = header_cols(line);
        }
        assert_eq!(header_cols(line), expect, "row breaks its table: {line}");
    }

    let json = r.to_json();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    // JSON keeps values whole (it is data, not markup).
    assert!(v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["actor"] == "<script>alert('xss-actor')</script>@evil.example"));
}

#[test]
fn case_file_round_trip_check_and_merge() {
    let (ds, case) = investigation();
    // Canonical JSON is stable: parse → write → parse → write.
    let text = case.to_json();
    let again = Case::parse(&text).unwrap();
    assert_eq!(again, {
        let mut c = case.clone();
        c.normalize();
        c
    });
    assert_eq!(again.to_json(), text);

    // With its files: nothing missing; the okta file is extra; every key resolves.
    let chk = case.check(&ds);
    assert!(chk.missing.is_empty());
    assert_eq!(chk.extra.len(), 1);
    assert!(chk.unknown_events.is_empty(), "{:?}", chk.unknown_events);
    let found = case::resolve_keys(&ds, case.stars.iter().map(String::as_str));
    assert_eq!(found.len(), 1);
    assert_eq!(
        ds.strings
            .get(ds.events[*found.values().next().unwrap()].action),
        "api_key.created"
    );

    // With other files: the case's file is reported missing.
    let other = load(&[repo_fixture("okta-one-bad-line.ndjson")]);
    let chk = case.check(&other);
    assert_eq!(chk.missing.len(), 1);
    assert_eq!(chk.missing[0].name, "incident-ocore.json");
    assert_eq!(chk.keys_in_missing_files, 2);

    // Two analysts: both sides' stars, tags, comments, events, queries and notes survive.
    let mut a = case.clone();
    let mut b = case.clone();
    let k = case::key_at(&ds, 0).unwrap();
    b.stars.insert(k.clone());
    b.tags
        .entry(k.clone())
        .or_default()
        .insert("baseline".into());
    let role_key = a.tags.keys().next().unwrap().clone();
    b.comments
        .entry(role_key.clone())
        .or_default()
        .push(case::Comment {
            author: "ben".into(),
            at: "2026-03-03T09:00:00Z".into(),
            text: "Also seen in the VPN logs.".into(),
        });
    // Same id, different text: both kept.
    b.analyst_events[0].text = "Phone call lasted 4 minutes.".into();
    b.saved_queries.push(case::SavedQuery {
        name: "dana's activity".into(),
        query: "actor:dana* AND outcome:failure".into(),
    });
    b.report.notes = "Ben: the VPN logs agree.".into();
    a.stars.insert("ffff:1".into());
    let merged = case::merge_json(&a.to_json(), &b.to_json()).unwrap();
    let m = Case::parse(&merged).unwrap();
    assert!(m.stars.contains(&k) && m.stars.contains("ffff:1"));
    assert_eq!(m.stars.len(), 3);
    assert!(m.tags[&k].contains("baseline"));
    assert_eq!(m.comments[&role_key].len(), 2);
    assert_eq!(m.analyst_events.len(), 2);
    assert!(m.analyst_events.iter().any(|e| e.id == "a1~2"));
    assert_eq!(m.saved_queries.len(), 2);
    assert!(m
        .saved_queries
        .iter()
        .any(|q| q.name == "dana's activity (2)"));
    assert!(m.report.notes.contains("reused from a 2024 breach"));
    assert!(m.report.notes.contains("Ben: the VPN logs agree."));
    // Merging is idempotent and symmetric in content.
    let twice = case::merge_json(&merged, &b.to_json()).unwrap();
    assert_eq!(twice, merged);
    let ba = Case::parse(&case::merge_json(&b.to_json(), &a.to_json()).unwrap()).unwrap();
    assert_eq!(ba.stars, m.stars);
    assert_eq!(ba.tags, m.tags);
    assert_eq!(ba.comments, m.comments);
    assert_eq!(ba.analyst_events.len(), m.analyst_events.len());
}

#[test]
fn case_embeds_its_files_for_a_portable_investigation() {
    let path = dir().join("incident-ocore.json");
    let bytes = std::fs::read(&path).unwrap();
    let mut case = fixture_case();
    case.embed("incident-ocore.json", &bytes);
    let text = case.to_json();
    let back = Case::parse(&text).unwrap();
    let files = back.embedded_files().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].1, bytes);
    // Loading the embedded file restores the investigation: every annotation resolves.
    let mut ds = Dataset::new();
    ds.load(&files[0].0, files[0].1.clone(), &LoadOptions::default());
    assert!(back.check(&ds).missing.is_empty());
    assert!(back.check(&ds).unknown_events.is_empty());
    // A tampered embedded file is refused.
    let mut bad = back.clone();
    bad.embedded[0].base64 = case::base64_encode(b"tampered");
    assert!(bad.embedded_files().unwrap_err().contains("does not match"));
}
