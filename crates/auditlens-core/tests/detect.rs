//! Built-in detections: a positive and a negative fixture per rule, a clean generated background
//! with no high/critical finding, and the planted incident found with the right actor, IP and
//! window in every seed format the generator writes.

#![allow(clippy::unwrap_used)]

use auditlens_core::detect::{rules, run_builtin, Config, Finding, Severity};
use auditlens_core::{Dataset, LoadOptions};
use auditlens_gen::{generate, Format, GroundTruth, Options};

fn load(ndjson: &str) -> Dataset {
    let mut ds = Dataset::new();
    let s = ds.load(
        "t.ndjson",
        ndjson.as_bytes().to_vec(),
        &LoadOptions::default(),
    );
    assert!(s.ok, "{:?}", s.errors);
    ds
}

fn gen(format: Format, n: u64, incident: bool) -> (Dataset, GroundTruth) {
    let mut opts = Options::new(format, n);
    opts.incident = incident;
    let mut buf = Vec::new();
    let truth = generate(&opts, &mut buf).unwrap();
    let mut ds = Dataset::new();
    let s = ds.load(
        &format!("gen.{}", format.extension()),
        buf,
        &LoadOptions::default(),
    );
    assert!(s.ok, "{:?}", s.errors);
    (ds, truth)
}

fn of<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    f.iter().filter(|x| x.rule == rule).collect()
}

static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// oCore JSON lines; `t` is minutes after 2026-03-02T10:00:00Z (a Monday).
fn ocore(t: i64, action: &str, user: &str, ip: &str, extra: &str) -> String {
    let ts = 1_772_445_600 + t * 60;
    let secs = ts.rem_euclid(86_400);
    let days = ts.div_euclid(86_400);
    // Civil date from days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!(
        r#"{{"id":"ev-{seq}-{action}-{user}","action":"{action}","createdAt":"{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z","userId":"id-{user}","userName":"{user}@ex.example","resourceType":"member","resourceId":"id-{user}","resourceName":"{user}@ex.example","ipAddress":"{ip}","userAgent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"{extra}}}"#,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn failed(t: i64, user: &str, ip: &str) -> String {
    let mut s = ocore(
        t,
        "auth.login_failed",
        user,
        ip,
        r#","details":{"reason":"invalid_password"}"#,
    );
    // Failed logins are unverified: keep the claimed name only.
    s = s.replace(&format!("\"userId\":\"id-{user}\","), "");
    s
}

fn lines(v: &[String]) -> String {
    let mut s = v.join("\n");
    s.push('\n');
    s
}

fn run(ds: &Dataset) -> Vec<Finding> {
    run_builtin(ds, &Config::default())
}

#[test]
fn brute_force_and_success_fire() {
    let mut v = Vec::new();
    for k in 0..12 {
        v.push(failed(k, "alice", "192.0.2.44"));
    }
    v.push(ocore(13, "auth.login", "alice", "192.0.2.44", ""));
    let f = run(&load(&lines(&v)));
    let bf = of(&f, "AL-001");
    assert_eq!(bf.len(), 1, "{f:#?}");
    assert_eq!(bf[0].count, 12);
    assert_eq!(bf[0].actors, ["alice@ex.example"]);
    assert_eq!(bf[0].ips, ["192.0.2.44"]);
    assert!(
        bf[0].explanation.contains("12 failed logins"),
        "{}",
        bf[0].explanation
    );
    let ok = of(&f, "AL-004");
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].severity, Severity::Critical);
    assert_eq!(ok[0].count, 13);
}

#[test]
fn few_failures_or_spread_out_are_not_brute_force() {
    let mut v = Vec::new();
    for k in 0..9 {
        v.push(failed(k, "alice", "192.0.2.44"));
    }
    for k in 0..12 {
        v.push(failed(100 + k * 15, "bob", "192.0.2.45"));
    }
    v.push(ocore(300, "auth.login", "alice", "192.0.2.44", ""));
    let f = run(&load(&lines(&v)));
    assert!(of(&f, "AL-001").is_empty(), "{f:#?}");
    assert!(of(&f, "AL-004").is_empty(), "{f:#?}");
}

#[test]
fn spray_fires_over_many_accounts_from_one_source() {
    let mut v = Vec::new();
    for k in 0..12 {
        v.push(failed(k * 2, &format!("user{k}"), "198.51.100.7"));
    }
    v.push(ocore(30, "auth.login", "user3", "198.51.100.7", ""));
    let f = run(&load(&lines(&v)));
    let s = of(&f, "AL-002");
    assert_eq!(s.len(), 1, "{f:#?}");
    assert_eq!(s[0].ips, ["198.51.100.7"]);
    assert!(
        s[0].explanation.contains("12 accounts"),
        "{}",
        s[0].explanation
    );
    let ok = of(&f, "AL-004");
    assert_eq!(ok.len(), 1, "{f:#?}");
    assert_eq!(ok[0].actors, ["user3@ex.example"]);
}

#[test]
fn spray_needs_many_accounts() {
    let mut v = Vec::new();
    for k in 0..20 {
        v.push(failed(k * 2, &format!("user{}", k % 4), "198.51.100.7"));
    }
    let f = run(&load(&lines(&v)));
    assert!(of(&f, "AL-002").is_empty(), "{f:#?}");
}

#[test]
fn lockout_events() {
    let v = [
        failed(0, "alice", "192.0.2.1").replace("invalid_password", "account_locked"),
        ocore(1, "auth.login", "bob", "192.0.2.2", ""),
    ];
    let f = run(&load(&lines(&v)));
    let l = of(&f, "AL-003");
    assert_eq!(l.len(), 1, "{f:#?}");
    assert_eq!(l[0].actors, ["alice@ex.example"]);
    let v = [failed(0, "alice", "192.0.2.1")];
    assert!(of(&run(&load(&lines(&v))), "AL-003").is_empty());
}

#[test]
fn mfa_disabled() {
    let v = [
        ocore(0, "auth.totp_disabled", "alice", "192.0.2.1", ""),
        ocore(1, "auth.totp_enabled", "bob", "192.0.2.2", ""),
    ];
    let f = run(&load(&lines(&v)));
    let m = of(&f, "AL-010");
    assert_eq!(m.len(), 1, "{f:#?}");
    assert_eq!(m[0].actors, ["alice@ex.example"]);
}

#[test]
fn privilege_grants_self_and_admin_are_critical() {
    let v = [
        ocore(
            0,
            "member.role_changed",
            "alice",
            "192.0.2.1",
            r#","beforeState":{"role":"developer"},"afterState":{"role":"owner"}"#,
        ),
        ocore(
            5,
            "member.role_changed",
            "bob",
            "192.0.2.2",
            r#","beforeState":{"role":"owner"},"afterState":{"role":"viewer"}"#,
        )
        .replace(
            "\"resourceName\":\"bob@ex.example\"",
            "\"resourceName\":\"carol@ex.example\"",
        )
        .replace("\"resourceId\":\"id-bob\"", "\"resourceId\":\"id-carol\""),
    ];
    let f = run(&load(&lines(&v)));
    let g = of(&f, "AL-020");
    assert_eq!(g.len(), 2, "{f:#?}");
    let alice = g.iter().find(|x| x.actors == ["alice@ex.example"]).unwrap();
    assert_eq!(alice.severity, Severity::Critical);
    assert!(alice.explanation.contains("self-grant"));
    let bob = g.iter().find(|x| x.actors == ["bob@ex.example"]).unwrap();
    assert!(bob.severity < Severity::High, "{bob:#?}");
}

#[test]
fn bulk_and_crown_jewel_deletion() {
    let mut v = Vec::new();
    for k in 0..22 {
        v.push(ocore(k / 3, "instance.deleted", "alice", "192.0.2.1", ""));
    }
    v.push(ocore(100, "database.dropped", "bob", "192.0.2.2", ""));
    for k in 0..5 {
        v.push(ocore(200 + k, "instance.deleted", "carol", "192.0.2.3", ""));
    }
    let f = run(&load(&lines(&v)));
    let d = of(&f, "AL-030");
    assert_eq!(d.len(), 2, "{f:#?}");
    assert!(d
        .iter()
        .any(|x| x.actors == ["alice@ex.example"] && x.count == 22));
    assert!(d
        .iter()
        .any(|x| x.actors == ["bob@ex.example"] && x.count == 1));
    assert!(!d.iter().any(|x| x.actors == ["carol@ex.example"]));
}

#[test]
fn bulk_access() {
    let mut v = Vec::new();
    for k in 0..210 {
        v.push(ocore(k / 30, "backup.downloaded", "alice", "192.0.2.1", ""));
    }
    for k in 0..50 {
        v.push(ocore(k, "backup.downloaded", "bob", "192.0.2.2", ""));
    }
    // A sync tool that always reads in bulk: no burst above its own usual rate.
    for s in 0..8 {
        for k in 0..220 {
            v.push(ocore(
                s * 120 + k / 40,
                "backup.downloaded",
                "carol",
                "192.0.2.3",
                "",
            ));
        }
    }
    let ds = load(&lines(&v));
    let f = run(&ds);
    let d = of(&f, "AL-031");
    assert_eq!(d.len(), 1, "{f:#?}");
    assert_eq!(d[0].actors, ["alice@ex.example"]);
}

#[test]
fn new_ip_and_user_agent_after_learning() {
    let mut v = Vec::new();
    for k in 0..50 {
        v.push(ocore(k * 60, "instance.started", "alice", "192.0.2.1", ""));
        v.push(ocore(
            k * 60 + 1,
            "instance.started",
            "bob",
            "192.0.2.2",
            "",
        ));
    }
    v.push(
        ocore(3000, "instance.stopped", "alice", "203.0.113.9", "")
            .replace("Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", "curl/8.0"),
    );
    v.push(ocore(3001, "instance.stopped", "bob", "192.0.2.77", ""));
    let f = run(&load(&lines(&v)));
    let n = of(&f, "AL-040");
    assert_eq!(n.len(), 1, "{f:#?}");
    assert_eq!(n[0].actors, ["alice@ex.example"]);
    assert_eq!(n[0].ips, ["203.0.113.9"]);
    let u = of(&f, "AL-041");
    assert_eq!(u.len(), 1, "{f:#?}");
    assert!(u[0].explanation.contains("curl"));
}

#[test]
fn off_hours_with_zone() {
    // 10:00 UTC Monday is a working hour in UTC and 19:00 (off) at +09:00; 23:00 UTC is off in
    // UTC and 08:00 the next morning (working) at +09:00.
    let v = [
        ocore(0, "member.invited", "alice", "192.0.2.1", ""),
        ocore(13 * 60, "member.invited", "bob", "192.0.2.2", ""),
    ];
    let ds = load(&lines(&v));
    let f = run(&ds);
    let o = of(&f, "AL-050");
    assert_eq!(o.len(), 1, "{f:#?}");
    assert_eq!(o[0].actors, ["bob@ex.example"]);
    let cfg = Config {
        zone: "+09:00".into(),
        ..Config::default()
    };
    let f = run_builtin(&ds, &cfg);
    let o = of(&f, "AL-050");
    assert_eq!(o.len(), 1, "{f:#?}");
    assert_eq!(o[0].actors, ["alice@ex.example"]);
}

#[test]
fn key_after_suspicious_login() {
    let mut v = Vec::new();
    for k in 0..12 {
        v.push(failed(k, "alice", "192.0.2.44"));
    }
    v.push(ocore(13, "auth.login", "alice", "192.0.2.44", ""));
    v.push(ocore(15, "api_key.created", "alice", "192.0.2.44", ""));
    v.push(ocore(16, "api_key.created", "bob", "192.0.2.45", ""));
    let f = run(&load(&lines(&v)));
    let k = of(&f, "AL-060");
    assert_eq!(k.len(), 1, "{f:#?}");
    assert_eq!(k[0].actors, ["alice@ex.example"]);
}

#[test]
fn audit_tampering() {
    let v = [
        ocore(0, "webhook_endpoint.deleted", "alice", "192.0.2.1", "").replace(
            "\"resourceName\":\"alice@ex.example\"",
            "\"resourceName\":\"siem-audit-forwarder\"",
        ),
        ocore(1, "webhook_endpoint.deleted", "bob", "192.0.2.2", "").replace(
            "\"resourceName\":\"bob@ex.example\"",
            "\"resourceName\":\"slack-deploys\"",
        ),
    ];
    let f = run(&load(&lines(&v)));
    let t = of(&f, "AL-070");
    assert_eq!(t.len(), 1, "{f:#?}");
    assert_eq!(t[0].actors, ["alice@ex.example"]);
}

#[test]
fn cloudtrail_stop_logging() {
    let rec = |name: &str| {
        format!(
            r#"{{"eventVersion":"1.10","userIdentity":{{"type":"IAMUser","principalId":"AIDA1","arn":"arn:aws:iam::1:user/mallory","accountId":"1","userName":"mallory"}},"eventTime":"2026-03-02T10:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"{name}","awsRegion":"eu-west-1","sourceIPAddress":"192.0.2.9","userAgent":"aws-cli/2","requestParameters":{{"name":"main"}},"responseElements":null,"eventID":"{name}-1","readOnly":false,"eventType":"AwsApiCall"}}"#
        )
    };
    let ds = load(&format!(
        "{{\"Records\":[{},{}]}}",
        rec("StopLogging"),
        rec("DescribeTrails")
    ));
    let f = run(&ds);
    let t = of(&f, "AL-070");
    assert_eq!(t.len(), 1, "{f:#?}");
    assert_eq!(t[0].actors, ["mallory"]);
}

#[test]
fn logging_gap() {
    let mut v = Vec::new();
    for k in 0..200 {
        v.push(ocore(k * 2, "instance.started", "alice", "192.0.2.1", ""));
    }
    for k in 0..200 {
        v.push(ocore(
            2000 + k * 2,
            "instance.started",
            "alice",
            "192.0.2.1",
            "",
        ));
    }
    let f = run(&load(&lines(&v)));
    assert_eq!(of(&f, "AL-071").len(), 1, "{f:#?}");
    let v: Vec<String> = (0..400)
        .map(|k| ocore(k * 2, "instance.started", "alice", "192.0.2.1", ""))
        .collect();
    assert!(of(&run(&load(&lines(&v))), "AL-071").is_empty());
}

#[test]
fn chain_within_an_hour() {
    let mut v = Vec::new();
    for k in 0..12 {
        v.push(failed(k, "alice", "192.0.2.44"));
    }
    v.push(ocore(13, "auth.login", "alice", "192.0.2.44", ""));
    v.push(ocore(15, "api_key.created", "alice", "192.0.2.44", ""));
    v.push(ocore(
        18,
        "member.role_changed",
        "alice",
        "192.0.2.44",
        r#","beforeState":{"role":"developer"},"afterState":{"role":"owner"}"#,
    ));
    v.push(ocore(25, "database.dropped", "alice", "192.0.2.44", ""));
    let f = run(&load(&lines(&v)));
    let c = of(&f, "AL-080");
    assert_eq!(c.len(), 1, "{f:#?}");
    assert_eq!(c[0].count, 4);
    // The same steps spread over three hours are no chain.
    let late: Vec<String> = v.iter().map(|l| l.replace("T10:25:", "T13:25:")).collect();
    assert!(of(&run(&load(&lines(&late))), "AL-080").is_empty());
}

#[test]
fn rules_are_listed_and_disabled_rules_are_skipped() {
    let ids: Vec<&str> = rules().iter().map(|r| r.id).collect();
    assert!(ids.len() >= 15, "{ids:?}");
    let v = [ocore(0, "auth.totp_disabled", "alice", "192.0.2.1", "")];
    let cfg = Config {
        disabled: vec!["AL-010".into()],
        ..Config::default()
    };
    assert!(of(&run_builtin(&load(&lines(&v)), &cfg), "AL-010").is_empty());
}

const GEN_FORMATS: &[Format] = &[
    Format::OcoreJson,
    Format::OcoreCsv,
    Format::Ops0Json,
    Format::Ops0Csv,
    Format::OpsknightJson,
    Format::VendoreCsv,
    Format::VendoreJson,
    Format::CloudtrailJson,
];

#[test]
fn clean_background_has_no_high_or_critical_finding() {
    for &fmt in GEN_FORMATS {
        let (ds, _) = gen(fmt, 20_000, false);
        let f = run(&ds);
        let bad: Vec<_> = f.iter().filter(|x| x.severity >= Severity::High).collect();
        assert!(bad.is_empty(), "{fmt}: {bad:#?}");
    }
}

fn matches_actor(f: &Finding, truth: &auditlens_gen::PlantedIncident) -> bool {
    let names: Vec<&str> = [truth.actor.as_deref(), truth.actor_id.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    f.actors.iter().any(|a| names.contains(&a.as_str()))
}

#[test]
fn planted_incident_is_found_in_every_format() {
    for &fmt in GEN_FORMATS {
        let (ds, truth) = gen(fmt, 20_000, true);
        let f = run(&ds);
        let ns = 1_000_000_000i64;
        let within = |f: &Finding, kind: &str| {
            let t = truth.incident(kind).unwrap();
            f.first_ns <= t.last * ns + 60 * ns && f.last_ns >= t.first * ns - 60 * ns
        };
        let check = |rule: &str, kind: &str, need_actor: bool| {
            let t = truth.incident(kind).unwrap();
            let hit = f.iter().any(|x| {
                x.rule == rule
                    && x.ips.contains(&t.ip)
                    && within(x, kind)
                    && (!need_actor || matches_actor(x, t))
            });
            assert!(
                hit,
                "{fmt}: {rule} for {kind} ({t:?}) not found in {:#?}",
                f.iter().filter(|x| x.rule == rule).collect::<Vec<_>>()
            );
        };
        check("AL-001", "brute_force", true);
        check("AL-004", "brute_force", true);
        check("AL-002", "password_spray", false);
        check("AL-060", "api_key_created", true);
        check("AL-020", "privilege_grant", true);
        check("AL-010", "mfa_disabled", true);
        check("AL-070", "audit_tampering", true);
        check("AL-030", "bulk_deletion", true);
        check("AL-080", "account_takeover", true);
        check("AL-050", "off_hours", true);
        check("AL-040", "account_takeover", true);
        // The brute force's numbers match the ground truth.
        let bt = truth.incident("brute_force").unwrap();
        let b = f
            .iter()
            .find(|x| x.rule == "AL-004" && matches_actor(x, bt))
            .unwrap();
        assert_eq!(b.count, bt.count, "{fmt}: {b:#?}");
        assert_eq!(b.first_ns, bt.first * ns, "{fmt}");
        assert_eq!(b.last_ns, bt.last * ns, "{fmt}");
        let st = truth.incident("password_spray").unwrap();
        let s = f
            .iter()
            .find(|x| x.rule == "AL-002" && x.ips.contains(&st.ip))
            .unwrap();
        assert_eq!(s.count, st.count, "{fmt}: {s:#?}");
        assert_eq!(s.targets.len() as u64, st.accounts, "{fmt}: {s:#?}");
        let gt = truth.incident("privilege_grant").unwrap();
        assert!(
            f.iter().any(|x| x.rule == "AL-020"
                && x.severity == Severity::Critical
                && x.first_ns == gt.first * ns),
            "{fmt}"
        );
        // Nothing high or critical outside the planted story.
        let (a, z) = (
            truth.incidents.iter().map(|i| i.first).min().unwrap() * ns,
            truth.incidents.iter().map(|i| i.last).max().unwrap() * ns,
        );
        let stray: Vec<_> = f
            .iter()
            .filter(|x| x.severity >= Severity::High && (x.last_ns < a || x.first_ns > z))
            .collect();
        assert!(stray.is_empty(), "{fmt}: {stray:#?}");
    }
}

/// An oCore record whose actor is an API key (the key's name as actor, no user id).
fn key_use(t: i64, key: &str, ip: &str) -> String {
    ocore(t, "instance.restarted", "x", ip, "")
        .replace("\"userId\":\"id-x\",", "\"apiKeyId\":\"key-1\",")
        .replace(
            "\"userName\":\"x@ex.example\"",
            &format!("\"userName\":\"{key}\""),
        )
}

#[test]
fn key_used_from_a_new_network_or_after_revocation() {
    let created = ocore(0, "api_key.created", "alice", "192.0.2.1", "")
        .replace(
            "\"resourceType\":\"member\"",
            "\"resourceType\":\"api_key\"",
        )
        .replace(
            "\"resourceName\":\"alice@ex.example\"",
            "\"resourceName\":\"deploy-key\"",
        )
        .replace("\"resourceId\":\"id-alice\"", "\"resourceId\":\"key-1\"");
    let mut v = vec![created.clone(), key_use(5, "deploy-key", "192.0.2.1")];
    let ds = load(&lines(&v));
    let kinds: Vec<_> = ds.events.iter().map(|e| e.actor_kind).collect();
    let f = run(&ds);
    assert!(of(&f, "AL-060").is_empty(), "{kinds:?} {f:#?}");
    v.push(key_use(10, "deploy-key", "203.0.113.50"));
    let f = run(&load(&lines(&v)));
    let k = of(&f, "AL-060");
    assert_eq!(k.len(), 1, "{kinds:?} {f:#?}");
    assert!(
        k[0].explanation.contains("203.0.113.50"),
        "{}",
        k[0].explanation
    );
    let revoked = ocore(20, "api_key.revoked", "alice", "192.0.2.1", "")
        .replace(
            "\"resourceType\":\"member\"",
            "\"resourceType\":\"api_key\"",
        )
        .replace(
            "\"resourceName\":\"alice@ex.example\"",
            "\"resourceName\":\"deploy-key\"",
        )
        .replace("\"resourceId\":\"id-alice\"", "\"resourceId\":\"key-1\"");
    let v = [created, revoked, key_use(30, "deploy-key", "192.0.2.1")];
    let f = run(&load(&lines(&v)));
    let k = of(&f, "AL-060");
    assert_eq!(k.len(), 1, "{f:#?}");
    assert!(
        k[0].explanation.contains("after it was revoked"),
        "{}",
        k[0].explanation
    );
}

fn real(rel: &str) -> Option<Dataset> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/real")
        .join(rel);
    let Ok(bytes) = std::fs::read(&p) else {
        println!("SKIP: {} not found", p.display());
        return None;
    };
    let mut ds = Dataset::new();
    ds.load(rel, bytes, &LoadOptions::default());
    Some(ds)
}

#[test]
fn real_exports_cloudtrail_kubernetes_okta() {
    for (file, rule, sev, needle) in [
        (
            "aws-cloudtrail-stratus-red-team/aws.defense-evasion.cloudtrail-stop.json",
            "AL-070",
            Severity::High,
            "StopLogging",
        ),
        (
            "aws-cloudtrail-stratus-red-team/aws.defense-evasion.cloudtrail-delete.json",
            "AL-070",
            Severity::High,
            "DeleteTrail",
        ),
        (
            "aws-cloudtrail-stratus-red-team/aws.defense-evasion.vpc-remove-flow-logs.json",
            "AL-070",
            Severity::High,
            "DeleteFlowLogs",
        ),
        (
            "aws-cloudtrail-stratus-red-team/aws.persistence.iam-create-admin-user.json",
            "AL-020",
            Severity::Critical,
            "AdministratorAccess",
        ),
        (
            "kubernetes-audit-falco/attach_cluster_admin_role.json",
            "AL-020",
            Severity::Critical,
            "cluster-admin",
        ),
        (
            "okta-system-log-cribl/I4942I.json",
            "AL-020",
            Severity::Critical,
            "Super Organization Administrator",
        ),
    ] {
        let Some(ds) = real(file) else { continue };
        let f = run(&ds);
        assert!(
            f.iter()
                .any(|x| x.rule == rule && x.severity == sev && x.explanation.contains(needle)),
            "{file}: {f:#?}"
        );
    }
}

/// Regression: the same spray logged by several products (every sample file) is still a spray —
/// attempts per account are counted per product, not summed across them.
#[test]
fn spray_seen_by_several_products_is_still_a_spray() {
    let mut ds = Dataset::new();
    for f in [
        Format::OcoreJson,
        Format::Ops0Csv,
        Format::OpsknightJson,
        Format::VendoreCsv,
    ] {
        let mut opts = Options::new(f, 2000);
        opts.incident = true;
        let mut buf = Vec::new();
        generate(&opts, &mut buf).unwrap();
        ds.load(
            &format!("gen.{}", f.extension()),
            buf,
            &LoadOptions::default(),
        );
    }
    let findings = run(&ds);
    let spray = of(&findings, "AL-002");
    assert_eq!(
        spray.len(),
        1,
        "{:?}",
        findings.iter().map(|f| &f.explanation).collect::<Vec<_>>()
    );
    assert!(
        spray[0].explanation.contains("14 accounts") || spray[0].actors.len() >= 10,
        "{}",
        spray[0].explanation
    );
}

/// Regression: office-hours data is silent at night and over the weekend; that is not a
/// logging gap (the sample data produced five such false findings).
#[test]
fn weekends_and_nights_are_not_logging_gaps() {
    for f in [
        Format::OcoreJson,
        Format::Ops0Csv,
        Format::OpsknightJson,
        Format::VendoreCsv,
    ] {
        let (ds, _) = gen(f, 400, true);
        let gaps = of(&run(&ds), "AL-071")
            .into_iter()
            .map(|x| x.explanation.clone())
            .collect::<Vec<_>>();
        assert!(gaps.is_empty(), "{}: {gaps:?}", f.name());
    }
}
