//! Rule-level tests: every modifier, null/empty, keywords, findings and correlations, over small
//! CloudTrail datasets.

use super::*;
use crate::LoadOptions;

fn ct(records: &[&str]) -> Dataset {
    let body = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            format!(
                r#"{{"eventVersion":"1.08","eventID":"ev{i}","eventTime":"2024-01-01T00:{:02}:00Z","awsRegion":"us-east-1",{r}}}"#,
                i % 60
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    let mut ds = Dataset::new();
    ds.load(
        "ct.json",
        format!(r#"{{"Records":[{body}]}}"#).into_bytes(),
        &LoadOptions::default(),
    );
    assert_eq!(ds.len(), records.len(), "{:?}", ds.summaries());
    ds
}

fn rule(detection: &str) -> String {
    format!(
        "title: T\nid: t-1\nlevel: high\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n{detection}"
    )
}

fn load(text: &str) -> RuleSet {
    let set = load_rules(&[("r.yml".to_string(), text.to_string())]);
    assert!(set.unsupported.is_empty(), "{:?}", set.unsupported);
    set
}

/// Which records (by eventID suffix) a detection matches.
fn hits(ds: &Dataset, detection: &str) -> Vec<String> {
    let set = load(&rule(detection));
    let mut v: Vec<String> = matches(ds, &set)[0]
        .iter()
        .map(|&i| ds.uid(&ds.events[i]).unwrap_or("").to_string())
        .collect();
    v.sort();
    v
}

fn sample() -> Dataset {
    ct(&[
        r#""eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","sourceIPAddress":"10.1.2.3","userIdentity":{"type":"IAMUser","userName":"alice","arn":"arn:aws:iam::1:user/alice"},"errorCode":null,"requestParameters":{"name":"trail-a"},"userAgent":"aws-cli/2.0 -enc""#,
        r#""eventSource":"s3.amazonaws.com","eventName":"DeleteBucket","sourceIPAddress":"192.0.2.7","userIdentity":{"type":"AssumedRole","userName":"bob"},"errorCode":"AccessDenied","responseElements":{"count":15},"resources":[{"ARN":"arn:a"},{"ARN":"arn:b"}],"userAgent":"Boto3","recipientAccountId":"bob""#,
        r#""eventSource":"iam.amazonaws.com","eventName":"CreateUser","sourceIPAddress":"2001:db8::5","userIdentity":{"type":"Root","userName":"root"},"responseElements":{"count":"3"},"userAgent":"console","additionalEventData":{"enc":"L2Jpbi9iYXNo"}"#,
    ])
}

#[test]
fn equality_lists_and_case() {
    let ds = sample();
    assert_eq!(
        hits(&ds, "  s:\n    eventName: stoplogging\n  condition: s"),
        ["ev0"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    eventName: [DeleteBucket, CreateUser]\n  condition: s"
        ),
        ["ev1", "ev2"]
    );
    // Map = AND; list of maps = OR.
    assert_eq!(
        hits(
            &ds,
            "  s:\n    eventName: DeleteBucket\n    userIdentity.type: Root\n  condition: s"
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    - eventName: DeleteBucket\n    - userIdentity.type: Root\n  condition: s"
        ),
        ["ev1", "ev2"]
    );
    assert_eq!(
        hits(&ds, "  s:\n    eventName: '*User'\n  condition: s"),
        ["ev2"]
    );
    assert_eq!(
        hits(&ds, "  s:\n    eventName: 'Delete?ucket'\n  condition: s"),
        ["ev1"]
    );
}

#[test]
fn string_modifiers() {
    let ds = sample();
    assert_eq!(
        hits(&ds, "  s:\n    eventName|contains: logg\n  condition: s"),
        ["ev0"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    eventName|startswith: delete\n  condition: s"
        ),
        ["ev1"]
    );
    assert_eq!(
        hits(&ds, "  s:\n    eventName|endswith: USER\n  condition: s"),
        ["ev2"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    eventName|contains|all: [Stop, Logging]\n  condition: s"
        ),
        ["ev0"]
    );
    assert!(hits(
        &ds,
        "  s:\n    eventName|contains|all: [Stop, Bucket]\n  condition: s"
    )
    .is_empty());
    assert!(hits(
        &ds,
        "  s:\n    eventName|cased: stoplogging\n  condition: s"
    )
    .is_empty());
    assert_eq!(
        hits(
            &ds,
            "  s:\n    eventName|cased: StopLogging\n  condition: s"
        ),
        ["ev0"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    userAgent|windash|contains: ' /enc'\n  condition: s"
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    userAgent|windash|contains: ' -enc'\n  condition: s"
        ),
        ["ev0"]
    );
    assert_eq!(
        hits(&ds, "  s:\n    eventName|neq: StopLogging\n  condition: s"),
        ["ev1", "ev2"]
    );
}

#[test]
fn regex_modifiers() {
    let ds = sample();
    assert_eq!(
        hits(&ds, "  s:\n    eventName|re: '^Stop.*g$'\n  condition: s"),
        ["ev0"]
    );
    // Case-sensitive unless `i`.
    assert!(hits(&ds, "  s:\n    eventName|re: '^stop'\n  condition: s").is_empty());
    assert_eq!(
        hits(&ds, "  s:\n    eventName|re|i: '^stop'\n  condition: s"),
        ["ev0"]
    );
    let set = load_rules(&[(
        "r.yml".into(),
        rule("  s:\n    eventName|re: '(a{100}){100}{100}'\n  condition: s"),
    )]);
    assert_eq!(set.unsupported.len(), 1);
    assert!(
        set.unsupported[0].2.contains("regex"),
        "{:?}",
        set.unsupported
    );
}

#[test]
fn numeric_cidr_exists_null() {
    let ds = sample();
    assert_eq!(
        hits(
            &ds,
            "  s:\n    responseElements.count|gt: 10\n  condition: s"
        ),
        ["ev1"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    responseElements.count|gte: 3\n  condition: s"
        ),
        ["ev1", "ev2"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    responseElements.count|lt: 4\n  condition: s"
        ),
        ["ev2"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    responseElements.count|lte: 15\n  condition: s"
        ),
        ["ev1", "ev2"]
    );
    // Loose: the number 3 equals the string "3" and vice versa.
    assert_eq!(
        hits(&ds, "  s:\n    responseElements.count: 3\n  condition: s"),
        ["ev2"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    responseElements.count: '15'\n  condition: s"
        ),
        ["ev1"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    sourceIPAddress|cidr: 10.0.0.0/8\n  condition: s"
        ),
        ["ev0"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    sourceIPAddress|cidr: '2001:db8::/32'\n  condition: s"
        ),
        ["ev2"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    responseElements|exists: true\n  condition: s"
        ),
        ["ev1", "ev2"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    responseElements|exists: false\n  condition: s"
        ),
        ["ev0"]
    );
    // null: absent or null.
    assert_eq!(
        hits(&ds, "  s:\n    errorCode: null\n  condition: s"),
        ["ev0", "ev2"]
    );
    assert_eq!(
        hits(&ds, "  s:\n    errorCode: ''\n  condition: s"),
        Vec::<String>::new()
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    errorCode: [AccessDenied, null]\n  condition: s"
        ),
        ["ev0", "ev1", "ev2"]
    );
    // Arrays: any element.
    assert_eq!(
        hits(&ds, "  s:\n    resources.ARN: arn:b\n  condition: s"),
        ["ev1"]
    );
}

#[test]
fn time_modifiers() {
    // Sample times are 2024-01-01T00:00, 00:01, 00:02 UTC.
    let ds = sample();
    assert_eq!(
        hits(&ds, "  s:\n    eventTime|minute: 1\n  condition: s"),
        ["ev1"]
    );
    assert_eq!(
        hits(&ds, "  s:\n    eventTime|minute|gte: 1\n  condition: s"),
        ["ev1", "ev2"]
    );
    assert_eq!(hits(&ds, "  s:\n    eventTime|hour|lt: 6\n    eventTime|month: 1\n    eventTime|year: 2024\n  condition: s").len(), 3);
    assert!(hits(&ds, "  s:\n    eventTime|day: 2\n  condition: s").is_empty());
    let set = load_rules(&[(
        "r.yml".into(),
        rule("  s:\n    eventTime|hour: night\n  condition: s"),
    )]);
    assert!(set.unsupported[0].2.contains("number"));
}

#[test]
fn encoding_and_fieldref() {
    let ds = sample();
    assert_eq!(
        hits(
            &ds,
            "  s:\n    additionalEventData.enc|base64: /bin/bash\n  condition: s"
        ),
        ["ev2"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    additionalEventData.enc|base64offset|contains: /bin/bash\n  condition: s"
        ),
        ["ev2"]
    );
    assert_eq!(
        hits(
            &ds,
            "  s:\n    recipientAccountId|fieldref: userIdentity.userName\n  condition: s"
        ),
        ["ev1"]
    );
}

#[test]
fn keywords_and_conditions() {
    let ds = sample();
    assert_eq!(
        hits(&ds, "  k:\n    - 'trail-a'\n    - nothing\n  condition: k"),
        ["ev0"]
    );
    assert_eq!(
        hits(&ds, "  a:\n    eventName|startswith: [Delete, Create]\n  f:\n    userIdentity.type: Root\n  condition: a and not f"),
        ["ev1"]
    );
    assert_eq!(
        hits(&ds, "  sel_a:\n    eventName: StopLogging\n  sel_b:\n    eventName: CreateUser\n  condition: 1 of sel_*"),
        ["ev0", "ev2"]
    );
    assert!(hits(&ds, "  sel_a:\n    eventName: StopLogging\n  sel_b:\n    eventName: CreateUser\n  condition: all of sel_*").is_empty());
    // Condition list: ORed.
    assert_eq!(
        hits(&ds, "  a:\n    eventName: StopLogging\n  b:\n    eventName: CreateUser\n  condition:\n    - a\n    - b"),
        ["ev0", "ev2"]
    );
}

#[test]
fn unsupported_rules_have_reasons() {
    let set = load_rules(&[
        (
            "a.yml".into(),
            rule("  s:\n    eventName|expand: '%x%'\n  condition: s"),
        ),
        (
            "b.yml".into(),
            rule("  s:\n    eventName: x\n  condition: s | count() > 5"),
        ),
        (
            "c.yml".into(),
            rule("  s:\n    eventName: x\n  condition: t"),
        ),
        ("d.yml".into(), "title: [unclosed".into()),
        (
            "e.yml".into(),
            rule("  s:\n    eventName: x\n  timeframe: 5m\n  condition: s"),
        ),
    ]);
    assert!(set.rules.is_empty());
    let reasons: Vec<&str> = set.unsupported.iter().map(|u| u.2.as_str()).collect();
    assert!(reasons[0].contains("expand"), "{reasons:?}");
    assert!(reasons[1].contains("obsolete"), "{reasons:?}");
    assert!(
        reasons[2].contains("unknown search identifier"),
        "{reasons:?}"
    );
    assert!(reasons[3].starts_with("YAML"), "{reasons:?}");
    assert!(reasons[4].contains("timeframe"), "{reasons:?}");
}

#[test]
fn findings_per_rule_and_actor() {
    let ds = ct(&[
        r#""eventSource":"s3.amazonaws.com","eventName":"DeleteBucket","userIdentity":{"type":"IAMUser","userName":"alice"},"sourceIPAddress":"192.0.2.1""#,
        r#""eventSource":"s3.amazonaws.com","eventName":"DeleteBucket","userIdentity":{"type":"IAMUser","userName":"alice"},"sourceIPAddress":"192.0.2.2""#,
        r#""eventSource":"s3.amazonaws.com","eventName":"DeleteBucket","userIdentity":{"type":"IAMUser","userName":"bob"},"sourceIPAddress":"192.0.2.3""#,
    ]);
    let set = load(&rule(
        "  sel:\n    eventName: DeleteBucket\n  condition: sel",
    ));
    let f = run(&ds, &set);
    assert_eq!(f.len(), 2);
    let alice = f.iter().find(|x| x.actors == ["alice"]).unwrap();
    assert_eq!(alice.count, 2);
    assert_eq!(alice.ips, ["192.0.2.1", "192.0.2.2"]);
    assert_eq!(alice.evidence, ["ev0", "ev1"]);
    assert_eq!(alice.severity, Severity::High);
    assert_eq!(alice.source, "sigma");
    assert_eq!(
        alice.explanation,
        "matched sel (eventName = DeleteBucket) on 2 events"
    );
    // Evidence is capped; the count is not.
    let many: Vec<String> = (0..60)
        .map(|_| r#""eventSource":"s3.amazonaws.com","eventName":"DeleteBucket","userIdentity":{"type":"IAMUser","userName":"carol"}"#.to_string())
        .collect();
    let big = ct(&many.iter().map(String::as_str).collect::<Vec<_>>());
    let fb = run(&big, &set);
    assert_eq!(
        (fb[0].count, fb[0].evidence.len(), fb[0].evidence_refs.len()),
        (60, MAX_EVIDENCE, MAX_EVIDENCE)
    );
    // Deterministic.
    let g = run(&ds, &set);
    assert_eq!(
        f.iter().map(|x| &x.evidence).collect::<Vec<_>>(),
        g.iter().map(|x| &x.evidence).collect::<Vec<_>>()
    );
}

fn correlated(extra: &str) -> RuleSet {
    let base = "title: Failed\nid: base-1\nname: failed\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    errorCode: AccessDenied\n  condition: s\n---\ntitle: Ok\nid: base-2\nname: ok\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    errorCode: null\n  condition: s\n---\n";
    load(&format!("{base}{extra}"))
}

fn attempts() -> Dataset {
    let mut r = Vec::new();
    for i in 0..5 {
        r.push(format!(
            r#""eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","errorCode":"AccessDenied","userIdentity":{{"type":"IAMUser","userName":"alice"}},"sourceIPAddress":"192.0.2.{i}""#
        ));
    }
    r.push(r#""eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser","userName":"alice"},"sourceIPAddress":"192.0.2.9""#.into());
    r.push(r#""eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","errorCode":"AccessDenied","userIdentity":{"type":"IAMUser","userName":"bob"},"sourceIPAddress":"192.0.2.1""#.into());
    let refs: Vec<&str> = r.iter().map(String::as_str).collect();
    ct(&refs)
}

#[test]
fn correlation_event_count_and_suppression() {
    let ds = attempts();
    let set = correlated("title: Many failures\nid: c-1\nlevel: high\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n  condition:\n    gte: 5\n");
    let f = run(&ds, &set);
    // base-1 is suppressed (generate: false); base-2 still fires; one correlation group.
    let c: Vec<_> = f.iter().filter(|x| x.rule == "c-1").collect();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].count, 5);
    assert_eq!(c[0].actors, ["alice"]);
    assert!(
        c[0].explanation
            .contains("grouped by userIdentity.userName=alice"),
        "{}",
        c[0].explanation
    );
    assert!(!f.iter().any(|x| x.rule == "base-1"));
    assert!(f.iter().any(|x| x.rule == "base-2"));
}

#[test]
fn correlation_value_count_temporal_and_chain() {
    let ds = attempts();
    let set = correlated("title: Many IPs\nid: c-2\ncorrelation:\n  type: value_count\n  rules: [failed]\n  group-by: [user]\n  aliases:\n    user:\n      failed: userIdentity.userName\n  timespan: 1h\n  condition:\n    gt: 4\n    field: sourceIPAddress\n");
    let f = run(&ds, &set);
    assert_eq!(f.iter().filter(|x| x.rule == "c-2").count(), 1);

    let set = correlated("title: Fail then ok\nid: c-3\ncorrelation:\n  type: temporal_ordered\n  rules: [failed, ok]\n  group-by: [userIdentity.userName]\n  timespan: 1h\n");
    let f = run(&ds, &set);
    let c: Vec<_> = f.iter().filter(|x| x.rule == "c-3").collect();
    assert_eq!(c.len(), 1, "{f:?}");
    assert_eq!(c[0].actors, ["alice"]);

    let set = correlated("title: Ok then fail\nid: c-4\ncorrelation:\n  type: temporal_ordered\n  rules: [ok, failed]\n  group-by: [userIdentity.userName]\n  timespan: 1h\n");
    assert!(!run(&ds, &set).iter().any(|x| x.rule == "c-4"));

    let set = correlated("title: Both\nid: c-5\ncorrelation:\n  type: temporal\n  rules: [ok, failed]\n  group-by: [userIdentity.userName]\n  timespan: 1h\n");
    assert_eq!(run(&ds, &set).iter().filter(|x| x.rule == "c-5").count(), 1);

    // Chained: a correlation over a correlation.
    let set = correlated("title: Many failures\nid: c-6\nname: many\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n  condition:\n    gte: 5\n---\ntitle: Then ok\nid: c-7\ncorrelation:\n  type: temporal_ordered\n  rules: [many, ok]\n  group-by: [userIdentity.userName]\n  timespan: 1h\n");
    let f = run(&ds, &set);
    assert_eq!(f.iter().filter(|x| x.rule == "c-7").count(), 1, "{f:?}");

    let set = load_rules(&[(
        "x.yml".into(),
        "title: X\nid: x\ncorrelation:\n  type: temporal\n  rules: [nope]\n  timespan: 1h\n".into(),
    )]);
    assert!(set.unsupported[0].2.contains("unknown rule"));
}

#[test]
fn generic_audit_logsource() {
    let ds = sample();
    let set = load("title: G\nid: g\nlogsource:\n  category: audit\ndetection:\n  s:\n    audit.action: DeleteBucket\n    src_ip|cidr: 192.0.2.0/24\n  condition: s\n");
    assert_eq!(matches(&ds, &set)[0], [1]);
    let set = load("title: G\nid: g\nlogsource:\n  category: audit\ndetection:\n  s:\n    actor.name: alice\n    audit.outcome: success\n  condition: s\n");
    assert_eq!(matches(&ds, &set)[0], [0]);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_rule_text(s in "\\PC{0,300}") {
            let set = load_rules(&[("x.yml".into(), s)]);
            let _ = run(&sample(), &set);
        }

        #[test]
        fn arbitrary_values_and_conditions(
            v in "[a-z*?\\\\|() ]{0,20}",
            m in prop::sample::select(vec!["", "|contains", "|startswith|cased", "|endswith", "|re", "|base64offset|contains", "|windash", "|cidr", "|gt", "|all"]),
            c in "(s|not|and|or|\\(|\\)|1 of|all of|them|s\\*| ){0,8}",
        ) {
            let text = format!(
                "title: T\nid: t\nlogsource: {{product: aws, service: cloudtrail}}\ndetection:\n  s:\n    eventName{m}: '{}'\n  condition: '{}'\n",
                v.replace('\'', "''"),
                c
            );
            let set = load_rules(&[("x.yml".into(), text)]);
            let _ = run(&sample(), &set);
        }
    }
}

#[test]
fn filters_and_into_referenced_rules() {
    let ds = sample();
    let base = rule("  s:\n    eventName|startswith: [Delete, Create, Stop]\n  condition: s\n");
    let by_id = "title: Allow root\nlogsource:\n  product: aws\n  service: cloudtrail\nfilter:\n  rules:\n    - t-1\n  selection:\n    userIdentity.type: Root\n  condition: not selection\n";
    let set = load(&format!("{base}---\n{by_id}"));
    assert_eq!(matches(&ds, &set)[0], [0, 1]);
    // Without `rules`, a filter applies to every rule of its logsource.
    let by_source = "title: Allow bob\nlogsource:\n  product: aws\nfilter:\n  selection:\n    userIdentity.userName: bob\n  condition: not selection\n";
    let set = load(&format!("{base}---\n{by_source}"));
    assert_eq!(matches(&ds, &set)[0], [0, 2]);
    // A filter naming another rule leaves this one alone.
    let other = by_id.replace("t-1", "other-rule");
    let set = load(&format!("{base}---\n{other}"));
    assert_eq!(matches(&ds, &set)[0], [0, 1, 2]);
}

#[test]
fn rule_info_and_doc() {
    let set = load("title: T\nid: t-9\nlevel: low\ndescription: Detects X.\ntags: [attack.t1078]\nfalsepositives: [Admins]\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  s:\n    eventName: X\n  condition: s\n");
    let i = set.rules[0].info();
    assert_eq!(
        (i.kind, i.logsource.as_str(), i.level),
        ("detection", "-/aws/cloudtrail", Severity::Low)
    );
    assert!(i.formats.contains(&"cloudtrail"));
    let d = set.rules[0].doc();
    assert_eq!(
        (d.what.as_str(), d.false_positives.as_str()),
        ("Detects X.", "Admins")
    );
}
