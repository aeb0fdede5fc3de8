//! Search engine tests: a differential property test against a naive per-event evaluator
//! written here independently, and unit tests for each predicate kind, the result parts and
//! the pipe stages.

#![allow(clippy::unwrap_used)]

use std::net::IpAddr;

use auditlens_core::model::{Event, FailureKind};
use auditlens_core::query::{self, CmpOp, Expr, Field, FieldKind, FieldRef, Pred, Value};
use auditlens_core::search::{self, Bits, Cell, Index, SearchOptions, Sort};
use auditlens_core::{time, Dataset, LoadOptions};
use proptest::prelude::*;
use serde_json::{json, Value as J};

// ---------------------------------------------------------------------------------------------
// Test data: oCore-like NDJSON records.

const BASE: i64 = 1_769_904_000 * time::NS; // 2026-02-01T00:00:00Z

const ACTIONS: &[&str] = &[
    "auth.login",
    "auth.login_failed",
    "auth.logout",
    "api_key.created",
    "deployment.failed",
    "deployment.completed",
    "member.role_changed",
    "Secret.Read",
];
const USERS: &[(&str, &str)] = &[
    ("alice@example.com", "u1"),
    ("Bob@Example.com", "U2"),
    ("system", ""),
    ("ci-token", "ak_123"),
    ("carol", "u3"),
    ("", ""),
];
const IPS: &[&str] = &[
    "10.0.0.1",
    "10.1.2.3",
    "192.168.1.10",
    "203.0.113.9",
    "2001:db8::1",
    "2001:db8:1::5",
    "::ffff:10.9.8.7",
    "AWS Internal",
    "",
    "198.51.100.7:443",
];
const AGENTS: &[&str] = &[
    "curl/8.4",
    "Mozilla/5.0 (Windows NT 10.0)",
    "python-requests/2.31",
    "",
    "Terraform/1.6 mimikatz-scan",
];
const TARGETS: &[(&str, &str, &str)] = &[
    ("instance", "i-0abc", "prod-db"),
    ("api_key", "k-77", "Deploy Key"),
    ("member", "m-1", ""),
    ("", "", ""),
    ("bucket", "", "Logs-Bucket"),
];

#[derive(Debug, Clone)]
struct Rec {
    secs: i64,
    action: usize,
    user: usize,
    ip: usize,
    agent: usize,
    target: usize,
    reason: Option<usize>,
    code: Option<usize>,
    tags: Vec<usize>,
    deep: Option<usize>,
    file: bool,
}

const REASONS: &[&str] = &["wrong password", "MFA required", "Password expired"];
const CODES: &[&str] = &["403", "AccessDenied", "200", "429"];
const TAGS: &[&str] = &["prod", "pci", "Dev"];
const DEEP: &[&str] = &["Needle-X", "needle-y", "haystack"];

fn rec_json(k: usize, r: &Rec) -> String {
    let (user, uid) = USERS[r.user];
    let (tt, tid, tname) = TARGETS[r.target];
    let mut after = serde_json::Map::new();
    if let Some(c) = r.code {
        let v: J = match CODES[c].parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => json!(CODES[c]),
        };
        after.insert("code".into(), v);
    }
    if !r.tags.is_empty() {
        after.insert(
            "tags".into(),
            json!(r.tags.iter().map(|t| TAGS[*t]).collect::<Vec<_>>()),
        );
    }
    if let Some(d) = r.deep {
        after.insert("nested".into(), json!({ "deep": DEEP[d] }));
    }
    let mut o = json!({
        "id": format!("ev-{k:05}"),
        "action": ACTIONS[r.action],
        "createdAt": time::format_rfc3339_ms(BASE + r.secs * time::NS),
        "userId": uid,
        "userName": user,
        "ipAddress": IPS[r.ip],
        "userAgent": AGENTS[r.agent],
        "beforeState": {},
        "afterState": after,
    });
    if !tt.is_empty() || !tid.is_empty() || !tname.is_empty() {
        o["resourceType"] = json!(tt);
        o["resourceId"] = json!(tid);
        o["resourceName"] = json!(tname);
    }
    if let Some(x) = r.reason {
        o["details"] = json!({ "reason": REASONS[x] });
    }
    o.to_string()
}

fn load(recs: &[Rec]) -> Dataset {
    let mut files = [String::new(), String::new()];
    for (k, r) in recs.iter().enumerate() {
        let f = &mut files[usize::from(r.file)];
        f.push_str(&rec_json(k, r));
        f.push('\n');
    }
    let mut ds = Dataset::new();
    for (i, f) in files.iter().enumerate() {
        if !f.is_empty() {
            let s = ds.load(
                &format!("audit-{i}.ndjson"),
                f.as_bytes().to_vec(),
                &LoadOptions::default(),
            );
            assert!(s.ok, "{s:?}");
            assert_eq!(s.rejected, 0, "{s:?}");
        }
    }
    ds
}

fn rec_strategy() -> impl Strategy<Value = Rec> {
    (
        (
            0i64..7 * 86_400,
            0..ACTIONS.len(),
            0..USERS.len(),
            0..IPS.len(),
            0..AGENTS.len(),
            0..TARGETS.len(),
        ),
        (
            proptest::option::of(0..REASONS.len()),
            proptest::option::of(0..CODES.len()),
            proptest::collection::vec(0..TAGS.len(), 0..3),
            proptest::option::of(0..DEEP.len()),
            any::<bool>(),
        ),
    )
        .prop_map(
            |((secs, action, user, ip, agent, target), (reason, code, tags, deep, file))| Rec {
                secs,
                action,
                user,
                ip,
                agent,
                target,
                reason,
                code,
                tags,
                deep,
                file,
            },
        )
}

// ---------------------------------------------------------------------------------------------
// The naive evaluator: per event, straight from the definitions.

fn low(s: &str) -> String {
    s.to_lowercase()
}

fn is_sep(c: char) -> bool {
    c.is_whitespace() || "\"'`,;()[]{}<>=|\\".contains(c)
}

fn toks(s: &str) -> Vec<&str> {
    s.split(is_sep).filter(|t| !t.is_empty()).collect()
}

struct Naive<'a> {
    ds: &'a Dataset,
    now: i64,
}

impl Naive<'_> {
    fn s(&self, x: auditlens_core::model::Sym) -> String {
        self.ds.str(x).to_string()
    }

    fn values(&self, e: &Event, f: Field) -> Vec<String> {
        let ts = self.ds.targets_of(e);
        let one = |v: String| vec![v];
        match f {
            Field::Action => one(self.s(e.action)),
            Field::Service => one(self.s(e.service)),
            Field::Category => one(e.category.name().into()),
            Field::Activity => one(e.activity.name().into()),
            Field::Outcome => one(e.outcome.name().into()),
            Field::FailureKind => one(e.failure.name().into()),
            Field::StatusCode => one(self.s(e.status_code)),
            Field::Reason => one(self.s(e.reason)),
            Field::Actor => one(self.s(e.actor_name)),
            Field::ActorId => one(self.s(e.actor_id)),
            Field::ActorKind => one(e.actor_kind.name().into()),
            Field::SrcIp => one(match e.src_ip {
                Some(ip) => ip.to_string(),
                None => self.s(e.src_raw),
            }),
            Field::UserAgent => one(self.s(e.user_agent)),
            Field::Country => one(self.s(e.country)),
            Field::Tenant => one(self.s(e.tenant)),
            Field::Region => one(self.s(e.region)),
            Field::Correlation => one(self.s(e.correlation)),
            Field::Uid => one(self.ds.uid(e).unwrap_or("").to_string()),
            Field::Format => one(self.ds.format_of(e).id().to_string()),
            Field::File => one(self.ds.files[e.src.file as usize].summary.path.clone()),
            Field::Target if ts.is_empty() => one(String::new()),
            Field::Target => ts
                .iter()
                .flat_map(|t| [self.s(t.name), self.s(t.id)])
                .collect(),
            Field::TargetId if ts.is_empty() => one(String::new()),
            Field::TargetId => ts.iter().map(|t| self.s(t.id)).collect(),
            Field::TargetType if ts.is_empty() => one(String::new()),
            Field::TargetType => ts.iter().map(|t| self.s(t.kind)).collect(),
            Field::Time => one(String::new()),
        }
    }

    fn free_values(&self, e: &Event) -> Vec<String> {
        let mut v = Vec::new();
        for f in [
            Field::Action,
            Field::Service,
            Field::StatusCode,
            Field::Reason,
            Field::Actor,
            Field::ActorId,
            Field::SrcIp,
            Field::UserAgent,
            Field::Country,
            Field::Tenant,
            Field::Region,
            Field::Correlation,
        ] {
            v.extend(self.values(e, f));
        }
        for t in self.ds.targets_of(e) {
            v.extend([self.s(t.kind), self.s(t.id), self.s(t.name)]);
        }
        v
    }

    fn expr(&self, x: &Expr, e: &Event) -> bool {
        match x {
            Expr::All => true,
            Expr::And(items) => items.iter().all(|i| self.expr(i, e)),
            Expr::Or(items) => items.iter().any(|i| self.expr(i, e)),
            Expr::Not(i) => !self.expr(i, e),
            Expr::Term(t) => match &t.field {
                None => self.free(&t.pred, e),
                Some(FieldRef::Known(Field::Time)) => self.time(&t.pred, e.time),
                Some(FieldRef::Known(f)) => {
                    let vals = self.values(e, *f);
                    if *f == Field::FailureKind && t.pred == Pred::Exists {
                        return e.failure != FailureKind::None;
                    }
                    vals.iter().any(|v| value_test(&t.pred, f.kind(), v))
                }
                Some(FieldRef::Raw(segs)) => self.raw(segs, &t.pred, e),
            },
        }
    }

    fn free(&self, p: &Pred, e: &Event) -> bool {
        let doc = String::from_utf8_lossy(self.ds.doc(e)).into_owned();
        let vals = self.free_values(e);
        match p {
            Pred::Exists => true,
            Pred::Text(s) | Pred::Phrase(s) => {
                let n = low(s);
                vals.iter().any(|v| low(v).contains(&n)) || low(&doc).contains(&n)
            }
            Pred::Wildcard(w) => {
                let lit_has_sep = w
                    .parts()
                    .iter()
                    .any(|p| matches!(p, query::WildPart::Lit(l) if l.chars().any(is_sep)));
                vals.iter()
                    .any(|v| w.matches(v) || toks(v).iter().any(|t| w.matches(t)))
                    || (!lit_has_sep && toks(&doc).iter().any(|t| w.matches(t)))
            }
            Pred::Regex(r) => vals.iter().any(|v| r.is_match(v)) || r.is_match(&doc),
            _ => false,
        }
    }

    fn time(&self, p: &Pred, t: i64) -> bool {
        time_test(p, t, self.now)
    }

    fn raw(&self, segs: &[String], p: &Pred, e: &Event) -> bool {
        let text = String::from_utf8_lossy(self.ds.doc(e)).into_owned();
        if segs.is_empty() {
            return match p {
                Pred::Exists => true,
                Pred::Text(s) | Pred::Phrase(s) => low(&text).contains(&low(s)),
                Pred::Regex(r) => r.is_match(&text),
                Pred::Wildcard(w) => toks(&text).iter().any(|t| w.matches(t)),
                _ => false,
            };
        }
        let Ok(root) = serde_json::from_str::<J>(&text) else {
            return false;
        };
        let mut vals = Vec::new();
        jwalk(&root, segs, &mut vals);
        vals.iter().any(|v| raw_test(p, v, self.now))
    }
}

fn is_time_pred(p: &Pred) -> bool {
    match p {
        Pred::Cmp(_, Value::Time(_)) => true,
        Pred::Range { lo, hi, .. } => {
            matches!(lo, Some(Value::Time(_))) || matches!(hi, Some(Value::Time(_)))
        }
        _ => false,
    }
}

fn time_test(p: &Pred, t: i64, now: i64) -> bool {
    let tv = |v: &Value| match v {
        Value::Time(x) => Some(x.resolve(now)),
        _ => None,
    };
    match p {
        Pred::Exists => true,
        Pred::Cmp(op, v) => tv(v).is_some_and(|b| op.accepts(t.cmp(&b))),
        Pred::Range {
            lo,
            hi,
            lo_incl,
            hi_incl,
        } => {
            let lo_ok = match lo {
                None => true,
                Some(v) => tv(v).is_some_and(|b| if *lo_incl { t >= b } else { t > b }),
            };
            let hi_ok = match hi {
                None => true,
                Some(v) => tv(v).is_some_and(|b| if *hi_incl { t <= b } else { t < b }),
            };
            lo_ok && hi_ok
        }
        _ => false,
    }
}

fn jwalk<'a>(v: &'a J, segs: &[String], out: &mut Vec<&'a J>) {
    match segs.split_first() {
        None => match v {
            J::Array(a) => a.iter().for_each(|x| jwalk(x, segs, out)),
            _ => out.push(v),
        },
        Some((s, rest)) => match v {
            J::Object(m) => {
                if let Some(c) = m.get(s) {
                    jwalk(c, rest, out)
                }
            }
            J::Array(a) => match s.parse::<usize>() {
                Ok(k) => {
                    if let Some(c) = a.get(k) {
                        jwalk(c, rest, out)
                    }
                }
                Err(_) => a.iter().for_each(|x| jwalk(x, segs, out)),
            },
            _ => {}
        },
    }
}

fn raw_test(p: &Pred, v: &J, now: i64) -> bool {
    let text = match v {
        J::Null => return false,
        J::String(s) => s.clone(),
        other => other.to_string(),
    };
    match p {
        Pred::Exists => match v {
            J::String(s) => !s.is_empty(),
            J::Array(a) => !a.is_empty(),
            J::Object(o) => !o.is_empty(),
            _ => true,
        },
        Pred::Text(s) | Pred::Phrase(s) => low(&text).contains(&low(s)),
        Pred::Wildcard(w) => w.matches(&text),
        Pred::Regex(r) => r.is_match(&text),
        _ if is_time_pred(p) => {
            let t = match v {
                J::String(s) => time::parse_timestamp(s).map(|t| t.nanos),
                J::Number(n) => n.as_f64().and_then(time::from_epoch_f64).map(|t| t.nanos),
                _ => None,
            };
            t.is_some_and(|t| time_test(p, t, now))
        }
        _ => value_test(p, FieldKind::Keyword, &text),
    }
}

/// The value test for normalized fields (and raw numeric/text comparisons).
fn value_test(p: &Pred, kind: FieldKind, v: &str) -> bool {
    let num = || {
        let t = v.trim();
        if t.is_empty()
            || !t
                .bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        {
            return None;
        }
        t.parse::<f64>().ok().filter(|x| x.is_finite())
    };
    let cmp_ok = |b: &Value, op: CmpOp| match b {
        Value::Number(n) => num().is_some_and(|x| op.accepts(x.partial_cmp(n).unwrap())),
        Value::Text(t) => op.accepts(v.cmp(t.as_str())),
        Value::Time(_) => false,
    };
    match p {
        Pred::Text(s) | Pred::Phrase(s) => {
            if kind == FieldKind::Text {
                low(v).contains(&low(s))
            } else {
                low(v) == low(s)
            }
        }
        Pred::Wildcard(w) => {
            w.matches(v) || (kind == FieldKind::Text && toks(v).iter().any(|t| w.matches(t)))
        }
        Pred::Regex(r) => r.is_match(v),
        Pred::Cidr(c) => v.trim().parse::<IpAddr>().is_ok_and(|ip| c.contains(ip)),
        Pred::IpRange(r) => v.trim().parse::<IpAddr>().is_ok_and(|ip| r.contains(ip)),
        Pred::Exists => !v.is_empty(),
        Pred::Cmp(op, b) => cmp_ok(b, *op),
        Pred::Range {
            lo,
            hi,
            lo_incl,
            hi_incl,
        } => {
            let both_num_or_text = [lo, hi].iter().all(|b| !matches!(b, Some(Value::Time(_))));
            both_num_or_text
                && lo
                    .as_ref()
                    .is_none_or(|b| cmp_ok(b, if *lo_incl { CmpOp::Ge } else { CmpOp::Gt }))
                && hi
                    .as_ref()
                    .is_none_or(|b| cmp_ok(b, if *hi_incl { CmpOp::Le } else { CmpOp::Lt }))
        }
    }
}

fn naive_matches(ds: &Dataset, q: &query::Query, now: i64) -> Vec<usize> {
    let n = Naive { ds, now };
    ds.events
        .iter()
        .enumerate()
        .filter(|(_, e)| n.expr(&q.expr, e))
        .map(|(i, _)| i)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Query generation.

const TERMS: &[&str] = &[
    "action:auth.login",
    "action:AUTH.LOGIN_FAILED",
    "action:auth.*",
    "action:*failed",
    "action:/^deploy/",
    "action:secret.read",
    "actor:alice@example.com",
    "user:*@example.com",
    "user:BOB*",
    "actor:*",
    "actor_id:u?",
    "ip:10.0.0.0/8",
    "ip:10.0.0.1",
    "ip:2001:db8::/32",
    "ip:[10.0.0.1 TO 10.1.255.255]",
    "ip:\"AWS Internal\"",
    "ip:*",
    "ip:198.51.100.7",
    "outcome:failure",
    "outcome:success",
    "failure:authn",
    "failure_kind:*",
    "category:authentication",
    "actor_kind:api_key",
    "ua:*curl*",
    "ua:mozilla",
    "ua:mimikatz*",
    "reason:\"wrong password\"",
    "reason:pass*",
    "reason:*",
    "target:prod-db",
    "target:k-77",
    "target:*bucket",
    "target_type:instance",
    "target_id:*",
    "format:ocore",
    "file:*-1.ndjson",
    "time>=now-3d",
    "time<now-5d",
    "time:[2026-02-03 TO 2026-02-05]",
    "time:[2026-02-02T12:00 TO *}",
    "time<2026-02-04T06:00",
    "time:2026-02-06",
    "raw.afterState.code>=400",
    "raw.afterState.code:AccessDenied",
    "raw.afterState.code:[200 TO 403]",
    "raw.afterState.tags:pci",
    "raw.afterState.tags.0:prod",
    "raw.afterState.nested.deep:needle*",
    "raw.afterState.nested:*needle*",
    "raw.afterState:*",
    "raw.createdAt>=2026-02-04",
    "raw:needle",
    "raw.details.reason:/Pass/",
    "alice",
    "PASSWORD",
    "\"wrong password\"",
    "needle-x",
    "mimikatz",
    "10.0.0",
    "example.com",
    "adm*",
    "ev-0001*",
    "/Needle-[A-Z]/",
    "/(?i)wrong pass/",
    "/needle-[xy]/",
    "/ev-000[0-9]+5/",
    "/deploy.*fail/",
    "/(?i:needle)-x?/",
    "raw.afterState.nested.deep:/(?i)needle/",
    "raw:/Dev\"\\]/",
    "/^\\{\"action\":\"auth/",
    "haystack",
    "deploy?key",
    "\"deploy key\"",
    "*",
];

fn query_strategy() -> impl Strategy<Value = String> {
    let leaf = (0..TERMS.len()).prop_map(|i| TERMS[i].to_string());
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 2..4)
                .prop_map(|v| format!("({})", v.join(" AND "))),
            proptest::collection::vec(inner.clone(), 2..4)
                .prop_map(|v| format!("({})", v.join(" OR "))),
            inner.clone().prop_map(|q| format!("NOT {q}")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("{a} -{b}")),
        ]
    })
}

fn opts() -> SearchOptions<'static> {
    SearchOptions::default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn indexed_evaluation_equals_naive(
        recs in proptest::collection::vec(rec_strategy(), 0..260),
        queries in proptest::collection::vec(query_strategy(), 1..8),
    ) {
        let ds = load(&recs);
        let ix = Index::build(&ds);
        // Dictionaries lowered on the fly, in tiny chunks, must give the same answers.
        let chunked = Index::build_with_limits(&ds, 0, 7);
        let now = search::default_now(&ds);
        for q in &queries {
            let parsed = query::parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            let want = naive_matches(&ds, &parsed, now);
            let got = search::filter(&ds, &ix, &parsed.expr, now);
            let got: Vec<usize> = got.iter().collect();
            prop_assert_eq!(&got, &want, "query {}", q);
            let got: Vec<usize> = search::filter(&ds, &chunked, &parsed.expr, now).iter().collect();
            prop_assert_eq!(&got, &want, "query {} (chunked)", q);
            // The full search agrees, and its parts are consistent with the matches.
            let r = search::run(&ds, &ix, q, &SearchOptions { limit: 7, offset: 3, ..opts() }).unwrap();
            prop_assert_eq!(r.total, want.len());
            let page: Vec<usize> = r.hits.iter().map(|h| h.index).collect();
            let expect: Vec<usize> = want.iter().copied().skip(3).take(7).collect();
            prop_assert_eq!(page, expect);
            if let Some(h) = &r.histogram {
                let sum: u64 = (0..h.len()).map(|i| h.total(i)).sum();
                prop_assert_eq!(sum as usize, want.len());
                prop_assert!(h.len() as i64 <= search::AUTO_BUCKETS);
            } else {
                prop_assert!(want.is_empty());
            }
            for f in &r.facets {
                let listed: u64 = f.values.iter().map(|v| v.count).sum();
                if f.field != Field::Target {
                    prop_assert_eq!(listed + f.other + f.missing, want.len() as u64, "{:?}", f.field);
                }
            }
        }
    }

    #[test]
    fn stats_by_field_equals_naive_counts(
        recs in proptest::collection::vec(rec_strategy(), 1..200),
        q in query_strategy(),
    ) {
        let ds = load(&recs);
        let ix = Index::build(&ds);
        let now = search::default_now(&ds);
        let parsed = query::parse(&q).unwrap();
        let want = naive_matches(&ds, &parsed, now);
        let n = Naive { ds: &ds, now };
        for by in ["actor", "ip", "target", "action, outcome", "raw.afterState.code"] {
            let r = search::run(&ds, &ix, &format!("{q} | stats count by {by}"), &opts()).unwrap();
            let t = r.table.unwrap();
            let mut expect: std::collections::BTreeMap<Vec<String>, u64> = Default::default();
            let mut missing = 0;
            for &i in &want {
                let e = &ds.events[i];
                let keys: Vec<Vec<String>> = by.split(", ").map(|f| match f {
                    "target" => {
                        let mut v: Vec<String> = ds.targets_of(e).iter()
                            .map(|t| if t.name.is_some() { n.s(t.name) } else { n.s(t.id) })
                            .filter(|s| !s.is_empty()).collect();
                        v.dedup();
                        v
                    }
                    "raw.afterState.code" => {
                        let j: J = serde_json::from_slice(ds.doc(e)).unwrap();
                        match &j["afterState"]["code"] {
                            J::Null => vec![],
                            J::String(s) => vec![s.clone()],
                            o => vec![o.to_string()],
                        }
                    }
                    f => {
                        let v = n.values(e, Field::from_name(f).unwrap()).remove(0);
                        if v.is_empty() { vec![] } else { vec![v] }
                    }
                }).collect();
                if keys.iter().any(Vec::is_empty) { missing += 1; continue; }
                // The test data has at most one target, so no fan-out is needed here.
                *expect.entry(keys.into_iter().map(|mut k| k.remove(0)).collect()).or_default() += 1;
            }
            prop_assert_eq!(t.missing, missing, "{} by {}", q, by);
            let got: std::collections::BTreeMap<Vec<String>, u64> = t.rows.iter().map(|row| {
                let (count, vals) = row.split_last().unwrap();
                let Cell::Count(c) = count else { panic!("count cell") };
                (vals.iter().map(|c| match c { Cell::Text(s) => s.clone(), Cell::Count(n) => n.to_string() }).collect(), *c)
            }).collect();
            prop_assert_eq!(got, expect, "{} by {}", q, by);
            // Sorted by count desc, then value.
            let counts: Vec<u64> = t.rows.iter().map(|r| match r.last() { Some(Cell::Count(c)) => *c, _ => 0 }).collect();
            prop_assert!(counts.windows(2).all(|w| w[0] >= w[1]));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Unit tests on a fixed dataset.

fn fixture() -> Dataset {
    let recs = [
        // k=0: alice logs in from 10.0.0.1
        (0, 0, 0, 0, 1, 0, None, None, vec![], None),
        // k=1: failed login, wrong password, from v6
        (3_600, 1, 1, 4, 0, 3, Some(0), Some(0), vec![1], None),
        // k=2: deployment failed by system, AWS Internal, nested needle
        (86_400, 4, 2, 7, 3, 0, None, Some(1), vec![0, 1], Some(0)),
        // k=3: api key created by ci-token from v4-mapped, mimikatz agent
        (
            2 * 86_400 + 5,
            3,
            3,
            6,
            4,
            1,
            None,
            Some(2),
            vec![],
            Some(2),
        ),
        // k=4: secret read by carol with port in ip
        (
            3 * 86_400,
            7,
            4,
            9,
            2,
            4,
            Some(2),
            Some(3),
            vec![2],
            Some(1),
        ),
        // k=5: logout by nobody, no ip, no target
        (3 * 86_400 + 60, 2, 5, 8, 3, 3, None, None, vec![], None),
    ];
    let recs: Vec<Rec> = recs
        .into_iter()
        .map(
            |(secs, action, user, ip, agent, target, reason, code, tags, deep)| Rec {
                secs,
                action,
                user,
                ip,
                agent,
                target,
                reason,
                code,
                tags,
                deep,
                file: false,
            },
        )
        .collect();
    load(&recs)
}

/// Matching events of a query, as their `ev-NNNNN` ids' numbers.
fn ids(ds: &Dataset, ix: &Index, q: &str) -> Vec<usize> {
    let r = search::run(
        ds,
        ix,
        q,
        &SearchOptions {
            limit: 1000,
            ..opts()
        },
    )
    .unwrap_or_else(|e| panic!("{q}: {e}"));
    let mut v: Vec<usize> = r
        .hits
        .iter()
        .map(|h| {
            ds.uid(&ds.events[h.index]).unwrap()[3..]
                .parse::<usize>()
                .unwrap()
        })
        .collect();
    v.sort_unstable();
    v
}

#[test]
fn keyword_fields_match_whole_values_ignoring_case() {
    let ds = fixture();
    let ix = Index::build(&ds);
    assert_eq!(ids(&ds, &ix, "action:AUTH.LOGIN"), [0]);
    assert_eq!(ids(&ds, &ix, "action:auth.login_failed"), [1]);
    assert_eq!(ids(&ds, &ix, "action:login"), Vec::<usize>::new());
    assert_eq!(ids(&ds, &ix, "user:bob@example.com"), [1]);
    assert_eq!(ids(&ds, &ix, "actor_id:AK_123"), [3]);
    assert_eq!(ids(&ds, &ix, "target:prod-db"), [0, 2]);
    assert_eq!(ids(&ds, &ix, "target:I-0ABC"), [0, 2]);
    assert_eq!(ids(&ds, &ix, "target_type:bucket"), [4]);
    assert_eq!(ids(&ds, &ix, "uid:EV-00003"), [3]);
    assert_eq!(ids(&ds, &ix, "format:ocore").len(), 6);
    assert_eq!(ids(&ds, &ix, "file:audit-0.ndjson").len(), 6);
}

#[test]
fn text_fields_match_substrings_and_tokens() {
    let ds = fixture();
    let ix = Index::build(&ds);
    assert_eq!(ids(&ds, &ix, "ua:mozilla"), [0]);
    assert_eq!(ids(&ds, &ix, "reason:\"WRONG password\""), [1]);
    assert_eq!(ids(&ds, &ix, "reason:password"), [1, 4]);
    assert_eq!(ids(&ds, &ix, "reason:pass*"), [1, 4]);
    assert_eq!(ids(&ds, &ix, "reason:*"), [1, 4]);
    assert_eq!(ids(&ds, &ix, "NOT reason:*"), [0, 2, 3, 5]);
}

#[test]
fn wildcards_and_regexes() {
    let ds = fixture();
    let ix = Index::build(&ds);
    assert_eq!(ids(&ds, &ix, "action:auth.*"), [0, 1, 5]);
    assert_eq!(ids(&ds, &ix, "action:*.log?n"), [0]);
    assert_eq!(ids(&ds, &ix, "user:*@example.com"), [0, 1]);
    assert_eq!(ids(&ds, &ix, "action:/^auth\\.log(in|out)$/"), [0, 5]);
    // Regexes are case-sensitive unless they say otherwise.
    assert_eq!(ids(&ds, &ix, "action:/secret/"), Vec::<usize>::new());
    assert_eq!(ids(&ds, &ix, "action:/(?i)secret/"), [4]);
    // Free-text wildcards apply to tokens; free-text regexes to values and the raw record.
    assert_eq!(ids(&ds, &ix, "mimi*"), [3]);
    assert_eq!(ids(&ds, &ix, "/Needle-[A-Z]/"), [2]);
    assert_eq!(ids(&ds, &ix, "/needle-[a-z]/"), [4]);
}

#[test]
fn boolean_logic() {
    let ds = fixture();
    let ix = Index::build(&ds);
    assert_eq!(
        ids(&ds, &ix, "action:auth.* AND NOT outcome:failure"),
        [0, 5]
    );
    assert_eq!(ids(&ds, &ix, "action:auth.* -outcome:failure"), [0, 5]);
    assert_eq!(ids(&ds, &ix, "outcome:failure OR user:carol"), [1, 2, 4]);
    assert_eq!(
        ids(&ds, &ix, "(user:carol OR user:system) AND ip:*"),
        [2, 4]
    );
    assert_eq!(ids(&ds, &ix, "!(ip:*)"), [5]);
    assert_eq!(ids(&ds, &ix, "NOT actor:alice@example.com").len(), 5);
    assert_eq!(ids(&ds, &ix, "*").len(), 6);
    assert_eq!(ids(&ds, &ix, "").len(), 6);
    assert_eq!(ids(&ds, &ix, "NOT *"), Vec::<usize>::new());
}

#[test]
fn time_ranges_absolute_and_relative() {
    let ds = fixture();
    let ix = Index::build(&ds);
    assert_eq!(ids(&ds, &ix, "time:2026-02-01"), [0, 1]);
    assert_eq!(ids(&ds, &ix, "time:[2026-02-02 TO 2026-02-03]"), [2, 3]);
    assert_eq!(ids(&ds, &ix, "time:{2026-02-02 TO 2026-02-04}"), [3]);
    assert_eq!(ids(&ds, &ix, "time<2026-02-01T01:00"), [0]);
    assert_eq!(ids(&ds, &ix, "time<=2026-02-01T01:00"), [0, 1]);
    assert_eq!(ids(&ds, &ix, "time>2026-02-03"), [4, 5]);
    // now = the latest event (2026-02-04T00:01:00Z).
    assert_eq!(ids(&ds, &ix, "time>=now-60s"), [4, 5]);
    assert_eq!(ids(&ds, &ix, "time>now-60s"), [5]);
    assert_eq!(ids(&ds, &ix, "time:[now-2d TO now-1d]"), [3]);
    // A caller-supplied now.
    let now = BASE + 3_600 * time::NS;
    let r = search::run(
        &ds,
        &ix,
        "time>=now-1h",
        &SearchOptions {
            now: Some(now),
            ..opts()
        },
    )
    .unwrap();
    assert_eq!(r.total, 6);
    let r = search::run(
        &ds,
        &ix,
        "time<=now",
        &SearchOptions {
            now: Some(now),
            ..opts()
        },
    )
    .unwrap();
    assert_eq!(r.total, 2);
    assert_eq!(r.now, now);
}

#[test]
fn ip_networks_ranges_and_text() {
    let ds = fixture();
    let ix = Index::build(&ds);
    // 10.9.8.7 arrives as ::ffff:10.9.8.7 and counts as IPv4.
    assert_eq!(ids(&ds, &ix, "ip:10.0.0.0/8"), [0, 3]);
    assert_eq!(ids(&ds, &ix, "ip:10.0.0.1"), [0]);
    assert_eq!(ids(&ds, &ix, "ip:::ffff:10.9.8.7"), [3]);
    assert_eq!(ids(&ds, &ix, "ip:2001:db8::/32"), [1]);
    assert_eq!(ids(&ds, &ix, "ip:2001:db8::1"), [1]);
    assert_eq!(ids(&ds, &ix, "ip:[10.0.0.0 TO 10.0.0.255]"), [0]);
    assert_eq!(ids(&ds, &ix, "ip:198.51.100.7"), [4]); // the port was stripped
    assert_eq!(ids(&ds, &ix, "ip:\"aws internal\""), [2]);
    assert_eq!(ids(&ds, &ix, "ip:*"), [0, 1, 2, 3, 4]);
    assert_eq!(ids(&ds, &ix, "ip:0.0.0.0/0"), [0, 3, 4]);
}

#[test]
fn raw_paths() {
    let ds = fixture();
    let ix = Index::build(&ds);
    assert_eq!(ids(&ds, &ix, "raw.afterState.code>=400"), [1, 4]);
    assert_eq!(ids(&ds, &ix, "raw.afterState.code:[200 TO 429]"), [1, 3, 4]);
    assert_eq!(ids(&ds, &ix, "raw.afterState.code:{200 TO 429}"), [1]);
    assert_eq!(ids(&ds, &ix, "raw.afterState.code:accessdenied"), [2]);
    assert_eq!(ids(&ds, &ix, "raw.afterState.tags:pci"), [1, 2]);
    assert_eq!(ids(&ds, &ix, "raw.afterState.tags.1:pci"), [2]);
    assert_eq!(ids(&ds, &ix, "raw.afterState.nested.deep:needle*"), [2, 4]);
    assert_eq!(ids(&ds, &ix, "raw.afterState.nested:*haystack*"), [3]);
    assert_eq!(ids(&ds, &ix, "raw.afterState:*"), [1, 2, 3, 4]);
    assert_eq!(ids(&ds, &ix, "raw.createdAt>=2026-02-03"), [3, 4, 5]);
    assert_eq!(ids(&ds, &ix, "raw.details.reason:/Pass/"), [4]);
    assert_eq!(ids(&ds, &ix, "raw:HAYSTACK"), [3]);
    assert_eq!(ids(&ds, &ix, "raw.nope:*"), Vec::<usize>::new());
    // Restricted to what other terms selected, and combined with NOT.
    assert_eq!(
        ids(&ds, &ix, "outcome:failure raw.afterState.tags:pci"),
        [1, 2]
    );
    assert_eq!(ids(&ds, &ix, "NOT raw.afterState.tags:pci"), [0, 3, 4, 5]);
}

#[test]
fn free_text_covers_normalized_fields_and_the_raw_record() {
    let ds = fixture();
    let ix = Index::build(&ds);
    assert_eq!(ids(&ds, &ix, "ALICE"), [0]);
    assert_eq!(ids(&ds, &ix, "\"wrong password\""), [1]);
    assert_eq!(ids(&ds, &ix, "mimikatz"), [3]);
    // Only in the raw record (afterState.nested.deep), not in any normalized field.
    assert_eq!(ids(&ds, &ix, "haystack"), [3]);
    assert_eq!(ids(&ds, &ix, "needle"), [2, 4]);
    assert_eq!(ids(&ds, &ix, "ev-00004"), [4]);
    assert_eq!(ids(&ds, &ix, "10.0.0"), [0]);
    assert_eq!(ids(&ds, &ix, "zzz-not-there"), Vec::<usize>::new());
    // Normalized fields only: the raw-only word is not found, field words are.
    let fields_only = SearchOptions {
        raw_text: false,
        ..opts()
    };
    assert_eq!(
        search::run(&ds, &ix, "haystack", &fields_only)
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        search::run(&ds, &ix, "mimikatz", &fields_only)
            .unwrap()
            .total,
        1
    );
    assert_eq!(search::run(&ds, &ix, "*", &fields_only).unwrap().total, 6);
    assert_eq!(
        search::run(&ds, &ix, "raw:haystack", &fields_only)
            .unwrap()
            .total,
        1
    );
}

#[test]
fn free_text_finds_json_escaped_text_and_csv_rows() {
    let mut ds = Dataset::new();
    let rec = r#"{"id":"x1","action":"webhook.created","createdAt":"2026-02-01T00:00:00Z","userName":"alice@example.com","afterState":{"url":"https:\/\/hooks.example.com\/a?x=1\u0026y=2","note":"M\u00fcller \"quoted\""}}"#;
    ds.load("a.json", rec.as_bytes().to_vec(), &LoadOptions::default());
    let csv = "id,action,createdAt,userName,ipAddress\nc1,auth.login,2026-02-01T00:00:05Z,dave@corp.io,10.2.3.4\nc2,auth.logout,2026-02-01T00:00:06Z,erin@corp.io,10.2.3.5\n";
    let s = ds.load("b.csv", csv.as_bytes().to_vec(), &LoadOptions::default());
    assert!(s.ok, "{s:?}");
    let ix = Index::build(&ds);
    let n = |q: &str| search::run(&ds, &ix, q, &opts()).unwrap().total;
    assert_eq!(n("\"https://hooks.example.com/a?x=1&y=2\""), 1);
    assert_eq!(n("müller"), 1);
    assert_eq!(n("MÜLLER"), 1);
    assert_eq!(n("\"\\\"quoted\\\"\""), 1);
    assert_eq!(n("\"\\\"quoted\""), 1);
    assert_eq!(n("\"quoted\\\" x\""), 0);
    assert_eq!(n("\"Müller \\\"quoted\\\"\""), 1);
    assert_eq!(n("dave"), 1);
    assert_eq!(n("raw:erin"), 1);
    assert_eq!(n("c2"), 1);
    assert_eq!(n("ip:10.2.3.0/24"), 2);
}

#[test]
fn facets_count_the_whole_result() {
    let ds = fixture();
    let ix = Index::build(&ds);
    let r = search::run(&ds, &ix, "*", &SearchOptions { limit: 1, ..opts() }).unwrap();
    assert_eq!(r.facets.len(), search::FACET_FIELDS.len());
    let f = |field: Field| r.facets.iter().find(|f| f.field == field).unwrap();
    let outcome = f(Field::Outcome);
    assert_eq!(outcome.values[0].value, "success");
    assert_eq!(outcome.values[0].count, 4);
    assert_eq!(outcome.values[1].value, "failure");
    assert_eq!(outcome.values[1].count, 2);
    let actor = f(Field::Actor);
    assert_eq!(actor.missing, 1);
    assert_eq!(actor.values.len(), 5);
    let ip = f(Field::SrcIp);
    assert_eq!(ip.missing, 1);
    assert!(ip.values.iter().any(|v| v.value == "10.9.8.7"));
    // Targets show their name, or their id when unnamed.
    let tg = f(Field::Target);
    assert_eq!(tg.values[0].value, "prod-db");
    assert_eq!(tg.values[0].count, 2);
    assert!(tg.values.iter().any(|v| v.value == "Logs-Bucket"));
    assert_eq!(tg.missing, 2);
    // Facets follow the filter.
    let r = search::run(&ds, &ix, "outcome:failure", &opts()).unwrap();
    let o = r.facets.iter().find(|f| f.field == Field::Outcome).unwrap();
    assert_eq!(
        o.values,
        vec![search::FacetValue {
            value: "failure".into(),
            count: 2
        }]
    );
    // More than ten values: the rest is "other".
    let recs: Vec<Rec> = (0..30)
        .map(|k| Rec {
            secs: k,
            action: (k as usize) % ACTIONS.len(),
            user: 0,
            ip: 0,
            agent: 0,
            target: 0,
            reason: None,
            code: None,
            tags: vec![],
            deep: None,
            file: false,
        })
        .collect();
    let ds = load(&recs);
    let ix = Index::build(&ds);
    let r = search::run(&ds, &ix, "*", &opts()).unwrap();
    let a = r.facets.iter().find(|f| f.field == Field::Action).unwrap();
    assert_eq!(a.values.len(), ACTIONS.len());
    assert_eq!(a.other, 0);
}

#[test]
fn histogram_picks_a_bucket_and_stacks_outcomes() {
    let ds = fixture();
    let ix = Index::build(&ds);
    let r = search::run(&ds, &ix, "*", &opts()).unwrap();
    let h = r.histogram.unwrap();
    // 3 days and a minute → 1h buckets (73 of them).
    assert_eq!(h.bucket_ns, 3_600 * time::NS);
    assert_eq!(h.start_ns, BASE);
    assert_eq!(h.len(), 73);
    assert!(h.len() as i64 <= search::AUTO_BUCKETS && h.len() >= 30);
    assert_eq!((h.success[0], h.failure[0], h.unknown[0]), (1, 0, 0));
    assert_eq!((h.success[1], h.failure[1]), (0, 1));
    assert_eq!(h.failure[24], 1);
    assert_eq!(h.total(72), 2);
    let sum: u64 = (0..h.len()).map(|i| h.total(i)).sum();
    assert_eq!(sum, 6);
    assert_eq!(search::auto_bucket(0, 59 * time::NS), time::NS);
    assert_eq!(
        search::auto_bucket(0, 86_400 * time::NS),
        15 * 60 * time::NS
    );
    assert_eq!(
        search::auto_bucket(0, 30 * 86_400 * time::NS),
        12 * 3_600 * time::NS
    );
    assert!(search::run(&ds, &ix, "nothing-matches-this", &opts())
        .unwrap()
        .histogram
        .is_none());
}

#[test]
fn stats_top_and_timechart() {
    let ds = fixture();
    let ix = Index::build(&ds);
    let t = search::run(&ds, &ix, "* | stats count", &opts())
        .unwrap()
        .table
        .unwrap();
    assert_eq!(t.rows, vec![vec![Cell::Count(6)]]);
    let t = search::run(&ds, &ix, "* | stats count by outcome", &opts())
        .unwrap()
        .table
        .unwrap();
    assert_eq!(t.columns, ["outcome", "count"]);
    assert_eq!(
        t.rows,
        vec![
            vec![Cell::Text("success".into()), Cell::Count(4)],
            vec![Cell::Text("failure".into()), Cell::Count(2)],
        ]
    );
    let t = search::run(&ds, &ix, "* | stats count by outcome, actor_kind", &opts())
        .unwrap()
        .table
        .unwrap();
    assert_eq!(t.groups, t.rows.len());
    assert_eq!(
        t.rows
            .iter()
            .map(|r| match r[2] {
                Cell::Count(c) => c,
                _ => 0,
            })
            .sum::<u64>(),
        6
    );
    let t = search::run(&ds, &ix, "* | top 2 ip", &opts())
        .unwrap()
        .table
        .unwrap();
    assert_eq!(t.kind, "top");
    assert_eq!(t.rows.len(), 2);
    assert!(t.truncated);
    assert_eq!(t.missing, 1);
    let t = search::run(&ds, &ix, "* | stats count by raw.afterState.tags", &opts())
        .unwrap()
        .table
        .unwrap();
    assert_eq!(t.rows[0], vec![Cell::Text("pci".into()), Cell::Count(2)]);
    let t = search::run(&ds, &ix, "* | timechart 1d", &opts())
        .unwrap()
        .table
        .unwrap();
    assert_eq!(
        t.columns,
        ["time", "count", "success", "failure", "unknown"]
    );
    assert_eq!(t.rows.len(), 4);
    assert_eq!(t.rows[0][0], Cell::Text("2026-02-01T00:00:00.000Z".into()));
    assert_eq!(t.rows[0][1], Cell::Count(2));
    assert_eq!(t.rows[3][1], Cell::Count(2));
    assert_eq!(t.bucket_ns, Some(86_400 * time::NS));
    let t = search::run(&ds, &ix, "* | timechart", &opts())
        .unwrap()
        .table
        .unwrap();
    assert_eq!(t.bucket_ns, Some(3_600 * time::NS));
    let e = search::run(&ds, &ix, "* | timechart 1s", &opts()).unwrap_err();
    assert!(e.message.contains("buckets"), "{e}");
    assert_eq!(e.start, 4);
}

#[test]
fn paging_and_sorting() {
    let ds = fixture();
    let ix = Index::build(&ds);
    let page = |q: &str, sort: &str, offset, limit| -> Vec<String> {
        let r = search::run(
            &ds,
            &ix,
            q,
            &SearchOptions {
                sort: Sort::parse(sort).unwrap(),
                offset,
                limit,
                ..opts()
            },
        )
        .unwrap();
        r.hits
            .iter()
            .map(|h| ds.uid(&ds.events[h.index]).unwrap().to_string())
            .collect()
    };
    assert_eq!(page("*", "time", 0, 2), ["ev-00000", "ev-00001"]);
    assert_eq!(page("*", "time", 4, 10), ["ev-00004", "ev-00005"]);
    assert_eq!(page("*", "-time", 0, 2), ["ev-00005", "ev-00004"]);
    assert_eq!(page("*", "-time", 5, 2), ["ev-00000"]);
    assert_eq!(page("*", "time", 6, 2), Vec::<String>::new());
    // By field: case-insensitive value order, missing values last.
    assert_eq!(
        page("*", "actor", 0, 10),
        ["ev-00000", "ev-00001", "ev-00004", "ev-00003", "ev-00002", "ev-00005"]
    );
    assert_eq!(
        page("*", "-actor", 0, 10),
        ["ev-00002", "ev-00003", "ev-00004", "ev-00001", "ev-00000", "ev-00005"]
    );
    assert_eq!(page("*", "actor", 2, 2), ["ev-00004", "ev-00003"]);
    assert_eq!(page("*", "ip", 0, 3), ["ev-00000", "ev-00003", "ev-00004"]);
    assert!(Sort::parse("target").is_err());
    assert!(Sort::parse("nope").is_err());
    assert_eq!(Sort::parse("-time").unwrap().to_string(), "-time");
}

#[test]
fn bad_queries_are_errors_not_empty_results() {
    let ds = fixture();
    let ix = Index::build(&ds);
    let e = search::run(&ds, &ix, "usr:alice", &opts()).unwrap_err();
    assert_eq!(e.suggestion.as_deref(), Some("user"));
    assert_eq!(e.column, 1);
    let e = search::run(&ds, &ix, "action:x AND (", &opts()).unwrap_err();
    assert!(e.start > 0);
    // A stale index is an error too.
    let mut ds2 = fixture();
    let ix2 = Index::build(&ds2);
    ds2.load(
        "more.json",
        rec_json(9, &fixture_rec()).into_bytes(),
        &LoadOptions::default(),
    );
    assert!(!ix2.is_current(&ds2));
    assert!(search::run(&ds2, &ix2, "*", &opts()).is_err());
}

fn fixture_rec() -> Rec {
    Rec {
        secs: 10,
        action: 0,
        user: 0,
        ip: 0,
        agent: 0,
        target: 0,
        reason: None,
        code: None,
        tags: vec![],
        deep: None,
        file: false,
    }
}

#[test]
fn highlights_point_at_matches() {
    let ds = fixture();
    let ix = Index::build(&ds);
    let r = search::run(&ds, &ix, "password OR ua:mozilla NOT actor:carol", &opts()).unwrap();
    let hl = |i: usize| {
        r.hits
            .iter()
            .find(|h| ds.uid(&ds.events[h.index]) == Some(&format!("ev-{i:05}")))
            .unwrap()
            .highlights
            .clone()
    };
    let h1 = hl(1);
    let reason = h1.iter().find(|h| h.path == "reason").unwrap();
    assert_eq!(reason.ranges, vec![(6, 14)]);
    let h0 = hl(0);
    let ua = h0.iter().find(|h| h.path == "user_agent").unwrap();
    assert_eq!(ua.ranges, vec![(0, 7)]);
    // Negated terms don't highlight.
    assert!(h0.iter().all(|h| h.path != "actor.name"));
    let r = search::run(&ds, &ix, "target:prod-db action:auth.*", &opts()).unwrap();
    let h = &r.hits[0].highlights;
    assert!(h
        .iter()
        .any(|h| h.path == "targets.0.name" && h.ranges == vec![(0, 7)]));
    assert!(h
        .iter()
        .any(|h| h.path == "action" && h.ranges == vec![(0, 10)]));
}

#[test]
fn json_result_shape() {
    let ds = fixture();
    let ix = Index::build(&ds);
    let r = search::run(
        &ds,
        &ix,
        "outcome:failure",
        &SearchOptions { limit: 1, ..opts() },
    )
    .unwrap();
    let j = r.to_json(&ds);
    assert_eq!(j["total"], 2);
    assert_eq!(j["hits"].as_array().unwrap().len(), 1);
    assert_eq!(j["hits"][0]["event"]["outcome"], "failure");
    assert_eq!(j["hits"][0]["highlights"]["outcome"], json!([[0, 7]]));
    assert_eq!(j["facets"][0]["field"], "action");
    assert_eq!(j["histogram"]["bucket"], "15m");
    assert!(j["histogram"]["success"].is_array());
    assert_eq!(j["query"], "outcome:failure");
    assert!(j["timing_ms"]["total_ms"].is_number());
    let j = search::run(&ds, &ix, "* | top 3 action", &opts())
        .unwrap()
        .to_json(&ds);
    assert_eq!(j["table"]["kind"], "top");
    assert_eq!(j["table"]["rows"][0][1], 1);
}

#[test]
fn empty_dataset_and_clock() {
    let ds = Dataset::new();
    let ix = Index::build(&ds);
    assert!(ix.is_empty());
    let ticks = std::cell::Cell::new(0.0);
    let clock = || {
        ticks.set(ticks.get() + 1.0);
        ticks.get()
    };
    for q in [
        "*",
        "alice",
        "raw.a:b",
        "time>now-1d",
        "* | stats count by actor",
        "* | timechart",
    ] {
        let r = search::run(
            &ds,
            &ix,
            q,
            &SearchOptions {
                clock: Some(&clock),
                ..opts()
            },
        )
        .unwrap();
        assert_eq!(r.total, 0, "{q}");
        assert!(r.timing.total_ms > 0.0);
    }
    assert!(Bits::zeros(0).none());
}

#[test]
fn index_memory_is_reported() {
    let ds = fixture();
    let ix = Index::build(&ds);
    let parts = ix.memory();
    assert!(parts.iter().any(|p| p.name == "action" && p.distinct == 6));
    assert_eq!(
        parts.iter().map(|p| p.bytes).sum::<usize>(),
        ix.memory_bytes()
    );
}
