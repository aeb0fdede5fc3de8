//! Parser tests: every construct, every error message, round-trips, and property tests.

use std::net::IpAddr;

use proptest::prelude::*;

use super::literals::NS_PER_SEC;
use super::*;

const H: i64 = 3600 * NS_PER_SEC;
const D: i64 = 24 * H;
/// 2026-02-01T00:00:00Z
const FEB1: i64 = 1_769_904_000 * NS_PER_SEC;

fn p(s: &str) -> Query {
    match parse(s) {
        Ok(q) => q,
        Err(e) => panic!("{s:?} failed: {e}"),
    }
}

fn e(s: &str) -> QueryError {
    match parse(s) {
        Ok(q) => panic!("{s:?} should fail, parsed as {q:?}"),
        Err(e) => e,
    }
}

fn term(s: &str) -> Term {
    match p(s).expr {
        Expr::Term(t) => t,
        other => panic!("{s:?} is not a single term: {other:?}"),
    }
}

fn pred(s: &str) -> Pred {
    term(s).pred
}

fn known(f: Field) -> Option<FieldRef> {
    Some(FieldRef::Known(f))
}

fn raw(path: &[&str]) -> Option<FieldRef> {
    Some(FieldRef::Raw(path.iter().map(|s| s.to_string()).collect()))
}

fn ip(s: &str) -> IpAddr {
    match s.parse() {
        Ok(ip) => ip,
        Err(err) => panic!("{s}: {err}"),
    }
}

fn text(s: &str) -> Pred {
    Pred::Text(s.into())
}

fn abs(ns: i64) -> Option<Value> {
    Some(Value::Time(TimeExpr::Abs(ns)))
}

fn t(field: Option<FieldRef>, pred: Pred) -> Expr {
    Expr::Term(Term {
        field,
        pred,
        span: (0, 0),
    })
}

fn free(s: &str) -> Expr {
    t(None, text(s))
}

/// Parse, print, parse again: same AST; and printing is a fixed point.
fn round_trip(s: &str) -> String {
    let q = p(s);
    let printed = q.to_string();
    let again = match parse(&printed) {
        Ok(q) => q,
        Err(err) => panic!("{s:?} printed as {printed:?}, which fails: {err}"),
    };
    assert_eq!(q, again, "{s:?} printed as {printed:?}");
    assert_eq!(again.to_string(), printed, "{s:?}");
    printed
}

// --- free text ---------------------------------------------------------------------------------

#[test]
fn empty_and_star_match_everything() {
    for s in ["", "   ", "*", "**", " * "] {
        assert_eq!(
            p(s),
            Query {
                expr: Expr::All,
                pipe: None
            },
            "{s:?}"
        );
    }
}

#[test]
fn free_text_words_phrases_and_wildcards() {
    assert_eq!(
        term("mimikatz"),
        Term {
            field: None,
            pred: text("mimikatz"),
            span: (0, 8)
        }
    );
    assert_eq!(term("mimikatz").span, (0, 8));
    assert_eq!(
        pred("\"wrong password\""),
        Pred::Phrase("wrong password".into())
    );
    assert_eq!(
        pred(r#""say \"hi\" \\ C:\Users""#),
        Pred::Phrase(r#"say "hi" \ C:\Users"#.into())
    );
    assert_eq!(pred("\"\""), Pred::Phrase(String::new()));
    let Pred::Wildcard(w) = pred("admin*") else {
        panic!("not a wildcard")
    };
    assert_eq!(w.parts(), &[WildPart::Lit("admin".into()), WildPart::Any]);
    assert!(w.matches("Administrator"));
    let Pred::Wildcard(w) = pred("a?c") else {
        panic!("not a wildcard")
    };
    assert!(w.matches("abc") && !w.matches("abbc"));
    // Escapes make special characters literal.
    assert_eq!(pred(r"http\://x"), text("http://x"));
    assert_eq!(pred(r"\*"), text("*"));
    assert_eq!(pred(r"a\ b"), text("a b"));
    assert_eq!(pred(r"\AND"), text("AND"));
    assert_eq!(pred("- "), text("-"));
    // Lower-case keywords are words.
    assert_eq!(
        p("a and b").expr,
        Expr::And(vec![free("a"), free("and"), free("b")])
    );
    // Non-ASCII text.
    assert_eq!(pred("пароль"), text("пароль"));
}

// --- fields ------------------------------------------------------------------------------------

#[test]
fn field_values() {
    assert_eq!(
        term("actor:alice"),
        Term {
            field: known(Field::Actor),
            pred: text("alice"),
            span: (0, 11)
        }
    );
    assert_eq!(term("user:alice").field, known(Field::Actor));
    assert_eq!(term("USER:alice").field, known(Field::Actor));
    assert_eq!(term("actor=alice"), term("actor:alice"));
    assert_eq!(term("actor : alice"), term("actor:alice"));
    assert_eq!(pred("actor:\"a b\""), Pred::Phrase("a b".into()));
    assert_eq!(pred("actor:*"), Pred::Exists);
    assert_eq!(pred("reason:**"), Pred::Exists);
    let Pred::Wildcard(w) = pred("action:auth.*") else {
        panic!()
    };
    assert!(w.matches("auth.login_failed") && !w.matches("oauth.login"));
    let Pred::Wildcard(w) = pred("actor:*@example.com") else {
        panic!()
    };
    assert!(w.matches("Alice@EXAMPLE.com"));
    let Pred::Wildcard(w) = pred("region:eu-?") else {
        panic!()
    };
    assert!(w.matches("eu-1") && !w.matches("eu-10"));
    assert_eq!(pred("action:-dash"), text("-dash"));
    assert_eq!(pred("action:a:b/c<d"), text("a:b/c<d"));
    assert_eq!(pred(r"actor:\AND"), text("AND"));
    assert_eq!(pred("actor:AND"), text("AND"));
}

#[test]
fn every_field_name_and_alias_resolves() {
    let names = [
        ("user", Field::Actor),
        ("actor", Field::Actor),
        ("ip", Field::SrcIp),
        ("src_ip", Field::SrcIp),
        ("source.ip", Field::SrcIp),
        ("resource", Field::Target),
        ("target", Field::Target),
        ("ua", Field::UserAgent),
        ("user_agent", Field::UserAgent),
        ("status", Field::Outcome),
        ("outcome", Field::Outcome),
        ("type", Field::Category),
        ("category", Field::Category),
        ("format", Field::Format),
        ("file", Field::File),
        ("action", Field::Action),
        ("service", Field::Service),
        ("actor_id", Field::ActorId),
        ("actor_kind", Field::ActorKind),
        ("target_type", Field::TargetType),
        ("target_id", Field::TargetId),
        ("activity", Field::Activity),
        ("reason", Field::Reason),
        ("status_code", Field::StatusCode),
        ("uid", Field::Uid),
        ("id", Field::Uid),
        ("correlation", Field::Correlation),
        ("tenant", Field::Tenant),
        ("region", Field::Region),
        ("time", Field::Time),
        ("failure", Field::FailureKind),
        ("failure_kind", Field::FailureKind),
        ("country", Field::Country),
        ("@timestamp", Field::Time),
    ];
    for (name, field) in names {
        let q = format!("{name}:*");
        assert_eq!(
            term(&q),
            Term {
                field: known(field),
                pred: Pred::Exists,
                span: (0, 0)
            },
            "{q}"
        );
    }
    for info in fields() {
        for name in std::iter::once(&info.name).chain(info.aliases) {
            assert_eq!(
                term(&format!("{name}:*")).field,
                known(info.field),
                "{name}"
            );
        }
    }
}

#[test]
fn raw_paths() {
    assert_eq!(
        term("raw.userIdentity.type:Root"),
        Term {
            field: raw(&["userIdentity", "type"]),
            pred: text("Root"),
            span: (0, 0)
        }
    );
    assert_eq!(pred("raw.requestParameters.bucketName:*"), Pred::Exists);
    assert_eq!(
        term(r#"raw.annotations."authorization.k8s.io/decision":allow"#).field,
        raw(&["annotations", "authorization.k8s.io/decision"])
    );
    assert_eq!(
        term(r#"raw."key with spaces".x:1"#).field,
        raw(&["key with spaces", "x"])
    );
    assert_eq!(term("raw.sourceIPs.0:10.*").field, raw(&["sourceIPs", "0"]));
    assert_eq!(term("raw.@timestamp:*").field, raw(&["@timestamp"]));
    assert_eq!(
        term("raw:mimikatz"),
        Term {
            field: raw(&[]),
            pred: text("mimikatz"),
            span: (0, 0)
        }
    );
    // Raw segments keep their case; the prefix doesn't care.
    assert_eq!(term("RAW.UserName:x").field, raw(&["UserName"]));
}

// --- booleans ----------------------------------------------------------------------------------

#[test]
fn boolean_operators_and_precedence() {
    let and = Expr::And(vec![free("a"), free("b")]);
    for s in ["a AND b", "a b", "a && b", "a&&b", "(a b)", "((a) (b))"] {
        assert_eq!(p(s).expr, and, "{s}");
    }
    let or = Expr::Or(vec![free("a"), free("b")]);
    for s in ["a OR b", "a || b", "a||b", "(a OR b)"] {
        assert_eq!(p(s).expr, or, "{s}");
    }
    let not = Expr::Not(Box::new(free("a")));
    for s in [
        "NOT a",
        "!a",
        "-a",
        "! a",
        "NOT (a)",
        "NOT NOT NOT a",
        "-(-(-a))",
    ] {
        assert_eq!(p(s).expr, not, "{s}");
    }
    assert_eq!(p("NOT NOT a").expr, free("a"));
    assert_eq!(p("-!a").expr, free("a"));
    assert_eq!(
        p("a -b").expr,
        Expr::And(vec![free("a"), Expr::Not(Box::new(free("b")))])
    );
    // NOT > AND > OR.
    assert_eq!(
        p("a OR b AND c").expr,
        Expr::Or(vec![free("a"), Expr::And(vec![free("b"), free("c")])])
    );
    assert_eq!(
        p("a b OR c").expr,
        Expr::Or(vec![Expr::And(vec![free("a"), free("b")]), free("c")])
    );
    assert_eq!(
        p("NOT a AND b").expr,
        Expr::And(vec![Expr::Not(Box::new(free("a"))), free("b")])
    );
    assert_eq!(
        p("(a OR b) c").expr,
        Expr::And(vec![Expr::Or(vec![free("a"), free("b")]), free("c")])
    );
    assert_eq!(
        p("-(a b)").expr,
        Expr::Not(Box::new(Expr::And(vec![free("a"), free("b")])))
    );
    // Flattening.
    assert_eq!(
        p("a (b c) d").expr,
        Expr::And(vec![free("a"), free("b"), free("c"), free("d")])
    );
    assert_eq!(
        p("a OR (b OR c)").expr,
        Expr::Or(vec![free("a"), free("b"), free("c")])
    );
    // `*` is absorbed.
    assert_eq!(p("a *").expr, free("a"));
    assert_eq!(p("* AND * *").expr, Expr::All);
    assert_eq!(p("a OR * OR b").expr, Expr::All);
    assert_eq!(p("a (b OR *)").expr, free("a"));
    assert_eq!(p("NOT *").expr, Expr::Not(Box::new(Expr::All)));
}

#[test]
fn not_equal_and_field_groups() {
    let alice = t(known(Field::Actor), text("alice"));
    assert_eq!(p("actor!=alice").expr, Expr::Not(Box::new(alice.clone())));
    assert_eq!(p("NOT actor!=alice").expr, alice);
    assert_eq!(
        p("actor:(alice OR bob)").expr,
        Expr::Or(vec![
            t(known(Field::Actor), text("alice")),
            t(known(Field::Actor), text("bob"))
        ])
    );
    assert_eq!(
        p("outcome:(failure OR Unknown) x").expr,
        Expr::And(vec![
            Expr::Or(vec![
                t(known(Field::Outcome), text("failure")),
                t(known(Field::Outcome), text("unknown"))
            ]),
            free("x")
        ])
    );
    assert_eq!(
        p("actor:(a -\"b c\" (d || e*))").expr,
        Expr::And(vec![
            t(known(Field::Actor), text("a")),
            Expr::Not(Box::new(t(known(Field::Actor), Pred::Phrase("b c".into())))),
            Expr::Or(vec![
                t(known(Field::Actor), text("d")),
                t(known(Field::Actor), pred("actor:e*")),
            ]),
        ])
    );
    assert_eq!(
        p("status_code:([400 TO 499] OR 200)").expr,
        Expr::Or(vec![
            t(known(Field::StatusCode), pred("status_code:[400 TO 499]")),
            t(known(Field::StatusCode), text("200")),
        ])
    );
    assert_eq!(
        p("actor!=(a OR b)").expr,
        Expr::Not(Box::new(Expr::Or(vec![
            t(known(Field::Actor), text("a")),
            t(known(Field::Actor), text("b"))
        ])))
    );
    assert_eq!(p("actor:(*)").expr, t(known(Field::Actor), Pred::Exists));
}

// --- regex -------------------------------------------------------------------------------------

#[test]
fn regexes() {
    let Pred::Regex(r) = pred("/mimi.*z/") else {
        panic!()
    };
    assert_eq!(r.source(), "mimi.*z");
    assert!(
        r.is_match("xx mimikatz") && !r.is_match("MIMIKATZ"),
        "case-sensitive by default"
    );
    let Pred::Regex(r) = pred("/(?i)mimi.*z/") else {
        panic!()
    };
    assert!(r.is_match("MIMIKATZ"));
    let tm = term(r"action:/^Get[A-Z]\w+$/");
    assert_eq!(tm.field, known(Field::Action));
    let Pred::Regex(r) = tm.pred else { panic!() };
    assert!(r.is_match("GetObject") && !r.is_match("getObject"));
    let Pred::Regex(r) = pred(r"/a\/b\d/") else {
        panic!()
    };
    assert_eq!(r.source(), r"a/b\d");
    assert!(r.is_match("a/b1"));
    let Pred::Regex(r) = pred(r"ip:/^10\./") else {
        panic!()
    };
    assert!(r.is_match("10.0.0.1"));
    assert!(matches!(pred("raw.x:/a|b/"), Pred::Regex(_)));
}

#[test]
fn regex_errors() {
    let err = e("x /a(/ y");
    assert_eq!(err.message, "invalid regex: unclosed group");
    assert_eq!((err.start, err.end), (2, 6));
    assert!(err.hint.as_deref().is_some_and(|h| h.contains("(?i)")));
    let err = e(r"/\w{5000}\w{5000}/");
    assert!(err.message.contains("too large"), "{}", err.message);
    let err = e("/abc");
    assert_eq!(err.message, "unterminated regex");
    assert_eq!(err.expected, vec!["closing /"]);
    assert_eq!((err.start, err.end), (0, 4));
    let err = e("time:/2026/");
    assert_eq!(err.message, "a regex can't match a time");
    // A path needs quotes, or the regex ends at the second slash.
    let err = e("file:/var/log/auth.log");
    assert!(err.message.starts_with("missing space"), "{}", err.message);
}

// --- IPs ---------------------------------------------------------------------------------------

#[test]
fn ip_networks_and_ranges() {
    assert_eq!(
        pred("ip:10.0.0.0/8"),
        Pred::Cidr(Cidr {
            addr: ip("10.0.0.0"),
            prefix: 8
        })
    );
    assert_eq!(
        pred("ip:10.1.2.3/8"),
        Pred::Cidr(Cidr {
            addr: ip("10.0.0.0"),
            prefix: 8
        })
    );
    assert_eq!(
        pred("ip:2001:db8::/32"),
        Pred::Cidr(Cidr {
            addr: ip("2001:db8::"),
            prefix: 32
        })
    );
    assert_eq!(
        pred("ip:192.0.2.4"),
        Pred::Cidr(Cidr {
            addr: ip("192.0.2.4"),
            prefix: 32
        })
    );
    assert_eq!(
        pred("ip:::1"),
        Pred::Cidr(Cidr {
            addr: ip("::1"),
            prefix: 128
        })
    );
    assert_eq!(pred("source.ip:\"192.0.2.4\""), pred("ip:192.0.2.4"));
    assert_eq!(
        pred("ip:[10.0.0.1 TO 10.0.0.255]"),
        Pred::IpRange(IpRange {
            lo: ip("10.0.0.1"),
            hi: ip("10.0.0.255")
        })
    );
    assert_eq!(
        pred("ip:{10.0.0.0 TO 10.0.1.0}"),
        Pred::IpRange(IpRange {
            lo: ip("10.0.0.1"),
            hi: ip("10.0.0.255")
        })
    );
    assert_eq!(
        pred("ip:[10.0.0.0 TO *]"),
        Pred::IpRange(IpRange {
            lo: ip("10.0.0.0"),
            hi: ip("255.255.255.255")
        })
    );
    assert_eq!(
        pred("ip:[* TO 2001:db8::1]"),
        Pred::IpRange(IpRange {
            lo: ip("::"),
            hi: ip("2001:db8::1")
        })
    );
    assert_eq!(pred("ip:[* TO *]"), Pred::Exists);
    assert!(matches!(pred("ip:10.0.*"), Pred::Wildcard(_)));
    assert_eq!(
        pred("ip:\"AWS Internal\""),
        Pred::Phrase("AWS Internal".into())
    );
    let Pred::Cidr(c) = pred("ip:10.0.0.0/8") else {
        panic!()
    };
    assert!(c.contains(ip("10.9.9.9")) && !c.contains(ip("11.0.0.0")));
}

#[test]
fn ip_errors() {
    let err = e("ip:10.0.0.0/33");
    assert_eq!(
        err.message,
        "invalid CIDR \"10.0.0.0/33\": prefix length must be 0–32 for IPv4"
    );
    assert_eq!((err.start, err.end), (3, 14));
    assert_eq!(
        e("ip:2001:db8::/129").message,
        "invalid CIDR \"2001:db8::/129\": prefix length must be 0–128 for IPv6"
    );
    assert_eq!(
        e("ip:10.0.0/8").message,
        "invalid CIDR \"10.0.0/8\": \"10.0.0\" is not an IP address"
    );
    let err = e("ip:10.0.0.300");
    assert_eq!(err.message, "invalid IP address \"10.0.0.300\"");
    assert!(err.hint.as_deref().is_some_and(|h| h.contains("quote")));
    assert_eq!(
        e("ip:[10.0.0.1 TO ::1]").message,
        "an IP range can't mix IPv4 and IPv6"
    );
    assert_eq!(
        e("ip:[10.0.0.9 TO 10.0.0.1]").message,
        "empty range: the lower bound is above the upper bound"
    );
    assert_eq!(
        e("ip:{10.0.0.1 TO 10.0.0.2}").message,
        "empty range: the lower bound is above the upper bound"
    );
    assert_eq!(e("ip:[x TO 10.0.0.1]").message, "invalid IP address \"x\"");
    let err = e("ip>10.0.0.1");
    assert_eq!(
        err.message,
        "src_ip is an IP field: '>' only compares numbers and times"
    );
    assert!(err.hint.as_deref().is_some_and(|h| h.contains("CIDR")));
}

// --- time --------------------------------------------------------------------------------------

fn range(lo: Option<Value>, hi: Option<Value>, lo_incl: bool, hi_incl: bool) -> Pred {
    Pred::Range {
        lo,
        hi,
        lo_incl,
        hi_incl,
    }
}

#[test]
fn time_ranges() {
    // Inclusive upper bound covers the whole minute.
    assert_eq!(
        pred("time:[2026-02-01 TO 2026-02-03T12:00]"),
        range(
            abs(FEB1),
            abs(FEB1 + 2 * D + 12 * H + 60 * NS_PER_SEC),
            true,
            false
        )
    );
    assert_eq!(
        pred("time:[2026-02-01 TO 2026-02-03]"),
        range(abs(FEB1), abs(FEB1 + 3 * D), true, false)
    );
    // Exclusive brackets exclude whole days.
    assert_eq!(
        pred("time:{2026-02-01 TO 2026-02-03}"),
        range(abs(FEB1 + D), abs(FEB1 + 2 * D), true, false)
    );
    assert_eq!(
        pred("time:[2026-02-01 TO 2026-02-03}"),
        range(abs(FEB1), abs(FEB1 + 2 * D), true, false)
    );
    assert_eq!(
        pred("time:[* TO 2026-02-01]"),
        range(None, abs(FEB1 + D), true, false)
    );
    assert_eq!(
        pred("time:{2026-02-01 TO *]"),
        range(abs(FEB1 + D), None, true, true)
    );
    assert_eq!(pred("time:[* TO *]"), Pred::Exists);
    // Multi-word and quoted bounds.
    assert_eq!(
        pred("time:[2026-02-01 12:00:00 TO \"2026-02-01 13:00:00\"]"),
        range(
            abs(FEB1 + 12 * H),
            abs(FEB1 + 13 * H + NS_PER_SEC),
            true,
            false
        )
    );
    // Relative bounds keep their brackets.
    let now = |offset_ns| Some(Value::Time(TimeExpr::Now { offset_ns }));
    assert_eq!(
        pred("time:[now-7d TO now}"),
        range(now(-7 * D), now(0), true, false)
    );
    assert_eq!(
        pred("time:{now-1d TO 2026-02-01]"),
        range(now(-D), abs(FEB1 + D), false, false)
    );
    // A date alone is its day / minute / second.
    assert_eq!(
        pred("time:2026-02-01"),
        range(abs(FEB1), abs(FEB1 + D), true, false)
    );
    assert_eq!(
        pred("time:\"2026-02-01 12:00\""),
        range(
            abs(FEB1 + 12 * H),
            abs(FEB1 + 12 * H + 60 * NS_PER_SEC),
            true,
            false
        )
    );
    assert_eq!(
        pred("time:2026-02"),
        range(abs(FEB1), abs(FEB1 + 28 * D), true, false)
    );
    assert_eq!(pred("time:*"), Pred::Exists);
    assert_eq!(term("@timestamp:2026-02-01").field, known(Field::Time));
}

#[test]
fn time_comparisons() {
    let cmp = |op, ns| Pred::Cmp(op, Value::Time(TimeExpr::Abs(ns)));
    assert_eq!(pred("time>=2026-02-01"), cmp(CmpOp::Ge, FEB1));
    assert_eq!(pred("time>2026-02-01"), cmp(CmpOp::Ge, FEB1 + D));
    assert_eq!(pred("time<2026-02-01"), cmp(CmpOp::Lt, FEB1));
    assert_eq!(pred("time<=2026-02-01"), cmp(CmpOp::Lt, FEB1 + D));
    assert_eq!(
        pred("time>=2026-02-01T12:00"),
        cmp(CmpOp::Ge, FEB1 + 12 * H)
    );
    assert_eq!(
        pred("time>=\"2026-02-01 12:00:00\""),
        cmp(CmpOp::Ge, FEB1 + 12 * H)
    );
    assert_eq!(
        pred("time>=2026-02-01T12:00:00+02:00"),
        cmp(CmpOp::Ge, FEB1 + 10 * H)
    );
    assert_eq!(
        pred("time>=2026-02-01T12:00:00.5Z"),
        cmp(CmpOp::Ge, FEB1 + 12 * H + NS_PER_SEC / 2)
    );
    assert_eq!(
        pred("time>2026-02-01T00:00:00.000000001Z"),
        cmp(CmpOp::Ge, FEB1 + 2)
    );
    let now = |op, offset_ns| Pred::Cmp(op, Value::Time(TimeExpr::Now { offset_ns }));
    assert_eq!(pred("time>now-24h"), now(CmpOp::Gt, -24 * H));
    assert_eq!(pred("time>=now-7d"), now(CmpOp::Ge, -7 * D));
    assert_eq!(pred("time<=now"), now(CmpOp::Le, 0));
    assert_eq!(pred("time < now+1w"), now(CmpOp::Lt, 7 * D));
    assert_eq!(pred("time>=now-30m"), now(CmpOp::Ge, -30 * 60 * NS_PER_SEC));
    assert_eq!(pred("time>=now-90s"), now(CmpOp::Ge, -90 * NS_PER_SEC));
    assert_eq!(pred("time>now-1d-12h"), now(CmpOp::Gt, -36 * H));
}

#[test]
fn time_errors() {
    let err = e("time>=2026-13-01");
    assert_eq!(
        err.message,
        "invalid date \"2026-13-01\": month 13 is not 1–12"
    );
    assert_eq!((err.start, err.end), (6, 16));
    assert!(e("time>=2026-02-30").message.contains("has no day 30"));
    assert!(e("time>=yesterday")
        .message
        .starts_with("invalid date \"yesterday\""));
    assert!(e("time>=now-7d/d").message.contains("rounding"));
    assert!(e("time>now-1y").message.contains("unknown unit \"y\""));
    assert_eq!(
        e("time:[2026-02-03 TO 2026-02-01]").message,
        "empty time range: it ends before it starts"
    );
    assert_eq!(
        e("time:{2026-02-01 TO 2026-02-02}").message,
        "empty time range: it ends before it starts"
    );
    let err = e("time:now-1h");
    assert_eq!(err.message, "time:now-1h matches a single instant");
    assert_eq!(err.hint.as_deref(), Some("compare instead: time>=now-1h"));
    assert_eq!(e("time:2026*").message, "wildcards don't apply to time");
    assert!(e("time>=3000-01-01").message.contains("out of range"));
    assert_eq!(
        e("time>*").message,
        "can't compare with \"*\"; to test presence write time:*"
    );
}

// --- numbers and raw comparisons ---------------------------------------------------------------

#[test]
fn numbers_and_raw_comparisons() {
    let n = |op, v| Pred::Cmp(op, Value::Number(v));
    assert_eq!(
        term("status_code>=400"),
        Term {
            field: known(Field::StatusCode),
            pred: n(CmpOp::Ge, 400.0),
            span: (0, 16)
        }
    );
    assert_eq!(pred("status_code<500"), n(CmpOp::Lt, 500.0));
    assert_eq!(pred("status_code>-1.5"), n(CmpOp::Gt, -1.5));
    assert_eq!(pred("status_code<=4e2"), n(CmpOp::Le, 400.0));
    assert_eq!(pred("status_code:AccessDenied"), text("AccessDenied"));
    assert_eq!(pred("status_code:403"), text("403"));
    assert_eq!(
        pred("status_code:[400 TO 499]"),
        range(
            Some(Value::Number(400.0)),
            Some(Value::Number(499.0)),
            true,
            true
        )
    );
    assert_eq!(
        pred("status_code:{400 TO *]"),
        range(Some(Value::Number(400.0)), None, false, true)
    );
    assert_eq!(
        pred("status_code:[5 TO 5]"),
        range(
            Some(Value::Number(5.0)),
            Some(Value::Number(5.0)),
            true,
            true
        )
    );
    let tm = term("raw.responseStatus.code>=400");
    assert_eq!(tm.field, raw(&["responseStatus", "code"]));
    assert_eq!(tm.pred, n(CmpOp::Ge, 400.0));
    assert_eq!(
        pred("raw.eventTime>2026-02-01"),
        Pred::Cmp(CmpOp::Ge, Value::Time(TimeExpr::Abs(FEB1 + D)))
    );
    assert_eq!(
        pred("raw.eventTime<now-1h"),
        Pred::Cmp(CmpOp::Lt, Value::Time(TimeExpr::Now { offset_ns: -H }))
    );
    assert_eq!(
        pred("raw.version>=\"v2 beta\""),
        Pred::Cmp(CmpOp::Ge, Value::Text("v2 beta".into()))
    );
    assert_eq!(
        pred("raw.code:[400 TO 499]"),
        pred("status_code:[400 TO 499]")
    );
    assert_eq!(
        pred("raw.t:[2026-02-01 TO 2026-02-01]"),
        range(abs(FEB1), abs(FEB1 + D), true, false)
    );
    assert_eq!(
        pred("raw.name:[a TO m}"),
        range(
            Some(Value::Text("a".into())),
            Some(Value::Text("m".into())),
            true,
            false
        )
    );
}

#[test]
fn number_and_comparison_errors() {
    let err = e("status_code>abc");
    assert_eq!(err.message, "\"abc\" is not a number");
    assert_eq!(err.expected, vec!["a number"]);
    assert_eq!(e("status_code:[400 TO x]").message, "\"x\" is not a number");
    assert_eq!(
        e("status_code:[500 TO 400]").message,
        "empty range: the lower bound is above the upper bound"
    );
    assert_eq!(
        e("status_code:{5 TO 5]").message,
        "empty range: the lower bound is above the upper bound"
    );
    assert_eq!(
        e("raw.name:[m TO a]").message,
        "empty range: the lower bound is above the upper bound"
    );
    let err = e("actor>5");
    assert_eq!(
        err.message,
        "actor is a keyword field: '>' only compares numbers and times"
    );
    assert!(err.hint.is_some());
    assert_eq!(
        e("reason<=x").message,
        "reason is a text field: '<=' only compares numbers and times"
    );
    assert_eq!(
        e("actor:[a TO b]").message,
        "actor is a keyword field: ranges need numbers, times or IPs"
    );
    assert_eq!(
        e("outcome:[a TO b]").message,
        "outcome is an enum field: ranges need numbers, times or IPs"
    );
}

// --- enums -------------------------------------------------------------------------------------

#[test]
fn enum_values() {
    assert_eq!(pred("outcome:failure"), text("failure"));
    assert_eq!(pred("status:Failed"), text("failure"));
    assert_eq!(pred("outcome:\"SUCCESS\""), text("success"));
    assert_eq!(pred("type:data-access"), text("data_access"));
    assert_eq!(pred("category:DataAccess"), text("data_access"));
    assert_eq!(pred("actor_kind:service_account"), text("service"));
    assert_eq!(pred("failure:authz"), text("authz"));
    assert_eq!(pred("activity:login"), text("logon"));
    assert!(matches!(pred("category:data*"), Pred::Wildcard(_)));
    assert!(matches!(pred("outcome:/fail/"), Pred::Regex(_)));
    assert_eq!(pred("outcome:*"), Pred::Exists);
}

#[test]
fn enum_errors_list_the_allowed_values() {
    let err = e("outcome:maybe");
    assert_eq!(err.message, "unknown outcome value \"maybe\"");
    assert_eq!(err.expected, vec!["success", "failure", "unknown"]);
    assert_eq!(
        err.to_string(),
        "unknown outcome value \"maybe\": expected success, failure or unknown at column 9"
    );
    assert_eq!((err.start, err.end), (8, 13));
    let err = e("outcome:failur");
    assert_eq!(err.suggestion.as_deref(), Some("failure"));
    assert_eq!(
        err.to_string(),
        "unknown outcome value \"failur\": expected success, failure or unknown — did you mean \"failure\"? at column 9"
    );
    let err = e("category:identiy");
    assert_eq!(err.suggestion.as_deref(), Some("identity"));
    assert_eq!(err.expected.len(), 7);
    assert_eq!(
        e("category:xyz*").message,
        "\"xyz*\" matches no category value"
    );
    assert_eq!(e("actor_kind:robot").expected, ACTOR_KIND_VALUES.to_vec());
}

// --- pipes -------------------------------------------------------------------------------------

#[test]
fn pipe_stages() {
    let stats = |by: Vec<Field>| {
        Some(Pipe::Stats {
            by: by.into_iter().map(FieldRef::Known).collect(),
        })
    };
    assert_eq!(
        p("error | stats count by actor"),
        Query {
            expr: free("error"),
            pipe: stats(vec![Field::Actor])
        }
    );
    assert_eq!(
        p("| stats count by ip, action").pipe,
        stats(vec![Field::SrcIp, Field::Action])
    );
    assert_eq!(
        p("| stats count by ip action").pipe,
        stats(vec![Field::SrcIp, Field::Action])
    );
    assert_eq!(p("* | STATS COUNT BY user").pipe, stats(vec![Field::Actor]));
    assert_eq!(
        p("| stats count"),
        Query {
            expr: Expr::All,
            pipe: stats(vec![])
        }
    );
    assert_eq!(
        p("| stats count by raw.userIdentity.arn, raw.\"a.b\"").pipe,
        Some(Pipe::Stats {
            by: vec![
                FieldRef::Raw(vec!["userIdentity".into(), "arn".into()]),
                FieldRef::Raw(vec!["a.b".into()])
            ]
        })
    );
    assert_eq!(
        p("| top 10 ip"),
        Query {
            expr: Expr::All,
            pipe: Some(Pipe::Top {
                n: 10,
                field: FieldRef::Known(Field::SrcIp)
            })
        }
    );
    assert_eq!(
        p("| top ua").pipe,
        Some(Pipe::Top {
            n: 10,
            field: FieldRef::Known(Field::UserAgent)
        })
    );
    assert_eq!(
        p("x|top 3 action").pipe,
        Some(Pipe::Top {
            n: 3,
            field: FieldRef::Known(Field::Action)
        })
    );
    assert_eq!(
        p("| timechart 1h").pipe,
        Some(Pipe::Timechart { bucket_ns: Some(H) })
    );
    assert_eq!(
        p("| timechart 15m").pipe,
        Some(Pipe::Timechart {
            bucket_ns: Some(15 * 60 * NS_PER_SEC)
        })
    );
    assert_eq!(
        p("| timechart").pipe,
        Some(Pipe::Timechart { bucket_ns: None })
    );
    assert_eq!(
        p("outcome:failure | timechart 1d").expr,
        t(known(Field::Outcome), text("failure"))
    );
    // `||` is OR, not an empty pipe.
    assert_eq!(p("a || b").pipe, None);
}

#[test]
fn pipe_errors() {
    let err = e("|");
    assert_eq!(err.message, "missing command after '|'");
    assert_eq!(err.expected, vec!["stats", "top", "timechart"]);
    let err = e("| stat count");
    assert_eq!(err.message, "unknown pipe command \"stat\"");
    assert_eq!(err.suggestion.as_deref(), Some("stats"));
    assert_eq!(e("| stats").message, "missing statistic after stats");
    let err = e("| stats sum");
    assert_eq!(err.message, "unknown statistic \"sum\"");
    assert_eq!(err.expected, vec!["count"]);
    assert_eq!(
        e("| stats count ip").message,
        "unexpected \"ip\" after stats count"
    );
    assert_eq!(e("| stats count by").message, "missing field after \"by\"");
    assert_eq!(
        e("| stats count by ip,").message,
        "missing field after \",\""
    );
    assert_eq!(e("| stats count by ip,,action").message, "unexpected ','");
    let err = e("| stats count by usr");
    assert_eq!(err.message, "unknown field \"usr\"");
    assert_eq!(err.suggestion.as_deref(), Some("user"));
    assert_eq!((err.start, err.end), (17, 20));
    assert_eq!(e("| top 0 ip").message, "top needs a count from 1 to 10000");
    assert_eq!(
        e("| top 99999999999999999999999 ip").message,
        "top needs a count from 1 to 10000"
    );
    assert_eq!(e("| top 10").message, "missing field after top");
    assert_eq!(
        e("| top 10 ip action").message,
        "unexpected \"action\" at the end of the pipe stage"
    );
    assert_eq!(
        e("| timechart 1x").message,
        "invalid bucket \"1x\": unknown unit \"x\": use s, m, h, d or w"
    );
    assert_eq!(
        e("| timechart 0h").message,
        "invalid bucket \"0h\": a duration must be greater than zero"
    );
    assert_eq!(
        e("a | top 10 ip | stats count").message,
        "only one pipe stage is supported"
    );
    assert_eq!(e("| top 10 ip+x").message, "\"ip+x\" is not a field name");
    assert_eq!(e("| top raw.\"x").message, "unterminated quote");
}

// --- syntax errors -----------------------------------------------------------------------------

#[test]
fn unknown_fields_suggest_the_closest_name() {
    let err = e("usr:alice");
    assert_eq!(err.message, "unknown field \"usr\"");
    assert_eq!(err.suggestion.as_deref(), Some("user"));
    assert_eq!((err.start, err.end, err.column), (0, 3, 1));
    assert_eq!(
        err.to_string(),
        "unknown field \"usr\" — did you mean \"user\"? at column 1"
    );
    assert_eq!(e("x atcor:y").suggestion.as_deref(), Some("actor"));
    assert_eq!(e("servce:x").suggestion.as_deref(), Some("service"));
    assert_eq!(
        e("sttaus_code>1").suggestion.as_deref(),
        Some("status_code")
    );
    assert_eq!(e("rwa.x:1").suggestion.as_deref(), Some("raw.x"));
    assert_eq!(
        e("rwa.\"a b\".c:1").suggestion.as_deref(),
        Some("raw.\"a b\".c")
    );
    assert_eq!(e("source.ipp:1").suggestion.as_deref(), Some("source.ip"));
    let err = e("userIdentity.type:Root");
    assert_eq!(
        err.hint.as_deref(),
        Some("fields of the original record are written raw.userIdentity.type")
    );
    let err = e("http://example.com");
    assert_eq!(err.message, "unknown field \"http\"");
    assert_eq!(
        err.hint.as_deref(),
        Some("to search for text containing ':', put it in quotes")
    );
    assert_eq!(
        pred("\"http://example.com\""),
        Pred::Phrase("http://example.com".into())
    );
    // The column counts characters, the range bytes.
    let err = e("ünï usr:x");
    assert_eq!((err.start, err.end, err.column), (6, 9, 5));
}

#[test]
fn unbalanced_parentheses_and_quotes() {
    let err = e("(a OR b");
    assert_eq!(
        err.message,
        "unclosed '(': found the end of the query before its ')'"
    );
    assert_eq!(err.expected, vec!["')'"]);
    assert_eq!((err.start, err.end), (0, 1));
    let err = e("((a) b");
    assert_eq!((err.start, err.end), (0, 1));
    let err = e("a OR b)");
    assert_eq!(err.message, "unbalanced ')': there is no '(' to close");
    assert_eq!((err.start, err.end), (6, 7));
    assert_eq!(e(")").message, "unbalanced ')': there is no '(' to close");
    let err = e("()");
    assert_eq!(err.message, "empty parentheses");
    assert_eq!(err.expected, vec!["a term inside"]);
    let err = e("x \"wrong password");
    assert_eq!(err.message, "unterminated quoted phrase");
    assert_eq!(err.expected, vec!["closing \""]);
    assert_eq!((err.start, err.end), (2, 17));
    assert_eq!(e(r#""abc\""#).message, "unterminated quoted phrase");
    assert_eq!(
        e("actor:(a OR b").message,
        "unclosed '(': found the end of the query before its ')'"
    );
    assert_eq!(
        e("time:[2026-02-01 TO 2026-02-02").message,
        "unclosed range: found the end of the query before ']' or '}'"
    );
    assert_eq!(
        e("ip:[(x) TO y]").message,
        "missing a lower bound in range, found '('"
    );
    assert_eq!(
        e("(time:[2026-02-01 TO 2026-02-02)").message,
        "unclosed range: found ')' before ']' or '}'"
    );
    let err = e("time:[2026-02-01 2026-02-02]");
    assert_eq!(err.message, "missing TO in range, found the end of a range");
    assert_eq!(
        err.hint.as_deref(),
        Some("write ranges as [low TO high], with TO in capitals")
    );
    assert_eq!(
        e("time:[2026-02-01 to 2026-02-02]").message,
        "missing TO in range, found the end of a range"
    );
    let err = e("time:[2026-02-01 12:00 12:00 TO 2026-02-02]");
    assert_eq!(err.message, "invalid date \"2026-02-01 12:00 12:00\": use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]] with an optional Z or ±HH:MM, or now-24h");
    assert_eq!(
        e("status_code:[1 2]").message,
        "missing TO in range, found the end of a range"
    );
    assert_eq!(
        e("status_code:[TO 2]").message,
        "missing a lower bound in range, found TO"
    );
    assert_eq!(
        e("status_code:[1 TO]").message,
        "missing an upper bound in range, found the end of a range"
    );
    assert_eq!(
        e(r"abc\").message,
        "a backslash at the end of the query escapes nothing"
    );
}

#[test]
fn dangling_operators() {
    let err = e("a AND");
    assert_eq!(err.message, "AND at the end of the query");
    assert_eq!(err.expected, vec!["a term after it"]);
    assert_eq!((err.start, err.end), (2, 5));
    assert_eq!(
        err.to_string(),
        "AND at the end of the query: expected a term after it at column 3"
    );
    assert_eq!(e("a OR").message, "OR at the end of the query");
    assert_eq!(e("a &&").message, "&& at the end of the query");
    assert_eq!(e("NOT").message, "NOT at the end of the query");
    // A lone '-' is a word, not a dangling negation.
    assert_eq!(p("a -").expr, Expr::And(vec![free("a"), free("-")]));
    assert_eq!(e("!").message, "! at the end of the query");
    assert_eq!(e("a AND OR b").message, "AND is followed by OR");
    assert_eq!(e("(a AND)").message, "AND is followed by ')'");
    assert_eq!(e("a OR | top ip").message, "OR is followed by '|'");
    let err = e("AND a");
    assert_eq!(err.message, "AND needs a term before it");
    assert_eq!((err.start, err.end), (0, 3));
    assert_eq!(e("OR a").message, "OR needs a term before it");
}

#[test]
fn missing_values() {
    let err = e("actor:");
    assert_eq!(
        err.message,
        "missing value after \"actor:\" (found the end of the query)"
    );
    assert_eq!((err.start, err.end), (5, 6));
    assert!(err.expected.contains(&"a value".to_string()));
    assert_eq!(
        e("actor: AND b").message,
        "missing value after \"actor:\" (found AND)"
    );
    assert_eq!(
        e("(actor:)").message,
        "missing value after \"actor:\" (found ')')"
    );
    assert_eq!(
        e("status_code>=").message,
        "missing value after \"status_code>=\" (found the end of the query)"
    );
    assert_eq!(
        e("time>=[a TO b]").message,
        "missing value after \"time>=\" (found a range)"
    );
    assert_eq!(e("user:()").message, "empty parentheses");
}

#[test]
fn text_with_colons_and_touching_terms() {
    let err = e("foo+bar:x");
    assert_eq!(err.message, "\"foo+bar:x\" isn't a field:value term");
    assert!(err.hint.as_deref().is_some_and(|h| h.contains("quotes")));
    let err = e("\"a\"b");
    assert_eq!(err.message, "missing space in \"\"a\"b\"");
    assert_eq!((err.start, err.end), (0, 4));
    assert_eq!(e("action:Get(x)").message, "missing space in \"Get(\"");
    assert_eq!(e("a(b)").message, "missing space in \"a(\"");
    // Text that can't be a field (it starts with a digit or a colon) may contain colons.
    assert_eq!(pred("2001:db8::1"), text("2001:db8::1"));
    assert_eq!(pred("10.0.0.1:443"), text("10.0.0.1:443"));
    assert_eq!(pred("::1"), text("::1"));
    assert_eq!(
        p("2026-02-01T12:00 12:30:00").expr,
        Expr::And(vec![free("2026-02-01T12:00"), free("12:30:00")])
    );
    // With a space they are separate terms.
    assert_eq!(
        p("\"a\" b").expr,
        Expr::And(vec![t(None, Pred::Phrase("a".into())), free("b")])
    );
}

#[test]
fn nesting_is_bounded() {
    let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(p(&ok).expr, free("a"));
    let deep = format!(
        "{}a{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    let err = e(&deep);
    assert_eq!(err.message, "too many nested parentheses (the limit is 64)");
    assert_eq!(err.start, MAX_DEPTH);
    // Far deeper input fails fast instead of overflowing the stack.
    let huge = "(".repeat(60_000);
    assert!(parse(&huge).is_err());
    let huge = format!("actor:{}", "(".repeat(60_000));
    assert!(parse(&huge).is_err());
    // Negation chains don't recurse.
    assert_eq!(p(&format!("{}a", "!".repeat(50_000))).expr, free("a"));
    assert_eq!(
        p(&format!("{}a", "NOT ".repeat(10_001))).expr,
        Expr::Not(Box::new(free("a")))
    );
}

#[test]
fn long_queries_are_rejected_with_a_position() {
    let long = "a ".repeat(MAX_QUERY_LEN);
    let err = e(&long);
    assert!(err.message.starts_with("the query is too long"));
    assert_eq!(err.start, MAX_QUERY_LEN);
    // Many terms under the limit are fine.
    let many = "a ".repeat(MAX_QUERY_LEN / 2 - 1);
    assert!(matches!(p(&many).expr, Expr::And(v) if v.len() == MAX_QUERY_LEN / 2 - 1));
}

#[test]
fn error_positions_are_char_boundaries_and_in_range() {
    for s in [
        "ü(", "\"ü", "é AND", "usr:é", "ip:é", "time>é", "| top é", "/é(/", "ü)",
    ] {
        let err = e(s);
        assert!(err.start <= err.end && err.end <= s.len(), "{s}: {err:?}");
        assert!(
            s.is_char_boundary(err.start) && s.is_char_boundary(err.end),
            "{s}"
        );
        assert_eq!(err.column, s[..err.start].chars().count() + 1);
    }
}

// --- printing ----------------------------------------------------------------------------------

#[test]
fn canonical_printing() {
    let cases = [
        ("", "*"),
        ("user:alice", "actor:alice"),
        ("a b OR c", "a AND b OR c"),
        ("(a OR b) c", "(a OR b) AND c"),
        ("-a !b", "NOT a AND NOT b"),
        ("-(a OR b)", "NOT (a OR b)"),
        ("actor!=x", "NOT actor:x"),
        ("actor:(a OR b)", "actor:a OR actor:b"),
        ("ip:10.1.2.3/8", "src_ip:10.0.0.0/8"),
        ("source.ip:192.0.2.4", "src_ip:192.0.2.4"),
        (
            "ip:{10.0.0.0 TO 10.0.1.0}",
            "src_ip:[10.0.0.1 TO 10.0.0.255]",
        ),
        ("time:2026-02-01", "time:[2026-02-01 TO 2026-02-02}"),
        ("time>2026-02-01", "time>=2026-02-02"),
        ("time<=2026-02-01T12:00", "time<2026-02-01T12:01:00Z"),
        ("time>now-24h", "time>now-1d"),
        ("time>=now-90m", "time>=now-90m"),
        ("time:[now-168h TO now]", "time:[now-1w TO now]"),
        ("status:Failed", "outcome:failure"),
        ("status_code:[400 TO 499]", "status_code:[400 TO 499]"),
        ("status_code>=4e2", "status_code>=400"),
        ("r\\:x", "r\\:x"),
        (r#""a \"b\"""#, r#""a \"b\"""#),
        (r"/a\/b/", r"/a\/b/"),
        (
            r#"raw.annotations."authorization.k8s.io/decision":allow"#,
            r#"raw.annotations."authorization.k8s.io/decision":allow"#,
        ),
        ("raw.\"plain\":x", "raw.plain:x"),
        ("| top ip", "* | top 10 src_ip"),
        (
            "x | stats count by user ua",
            "x | stats count by actor, user_agent",
        ),
        ("| timechart 60m", "* | timechart 1h"),
        ("| timechart", "* | timechart"),
        ("\\AND", "\\AND"),
        ("a\\*b*", "a\\*b*"),
    ];
    for (input, want) in cases {
        assert_eq!(p(input).to_string(), want, "{input}");
        round_trip(input);
    }
}

#[test]
fn round_trips() {
    for s in [
        "mimikatz",
        "\"wrong password\"",
        r#""C:\\Users\\x""#,
        "actor:*@example.com action:auth.* region:eu-?",
        "raw.userIdentity.type:Root AND raw.requestParameters.bucketName:*",
        "a OR b AND NOT (c OR d) -e",
        "NOT (a b) OR NOT c",
        "ip:2001:db8::/32 OR ip:[10.0.0.1 TO 10.0.0.255] OR ip:::ffff:1.2.3.4 OR ip:\"AWS Internal\"",
        "ip:[* TO 10.0.0.1] ip:{::1 TO *]",
        "time:[2026-02-01 TO 2026-02-03T12:00] time>=2026-02-01 time<2026-03-01T00:00:00.123Z",
        "time:{now-7d TO now-1d] OR time:[* TO now-30d}",
        "time>=2026-02-01T12:00:00+05:30",
        "status_code>=400 status_code:{400 TO *] raw.responseStatus.code<=-1.25",
        "raw.x>=abc raw.y:[a TO b} raw.z:[1 TO 2] raw.t:[2026-01-01 TO now]",
        "outcome:(failure OR unknown) category:data* actor_kind:sa",
        "/(?i)mimi.*z/ action:/^Get/ ip:/^10\\./",
        "actor:(a -b (c OR d*))",
        "x\\ y \\-z \\!w \\(v\\) a\\:b \\\"q",
        "* | stats count by ip, action",
        "| stats count",
        "a | top 3 raw.\"x.y\"",
        "NOT * OR a",
        "NOT * a",
        "пароль AND actor:\"José\"",
        "time:2026-02 failure:authz",
        "2001:db8::1 10.0.0.1:443 12:00 ::1",
    ] {
        round_trip(s);
    }
}

// --- helpers for the UI ------------------------------------------------------------------------

#[test]
fn field_table_for_the_ui() {
    let all = fields();
    assert_eq!(all.len(), 24);
    let outcome = all.iter().find(|f| f.name == "outcome");
    assert!(outcome.is_some_and(
        |f| f.aliases.contains(&"status") && f.kind == FieldKind::Enum(OUTCOME_VALUES)
    ));
    for f in all {
        assert!(!f.description.is_empty(), "{}", f.name);
        // Every example in the cheat sheet parses.
        let q = p(f.example);
        let Expr::Term(t) = q.expr else {
            panic!("{}", f.example)
        };
        assert_eq!(t.field, known(f.field), "{}", f.example);
    }
    let json = serde_json::to_string(&all[3]).unwrap_or_default();
    assert!(json.contains("\"values\":[\"authentication\""), "{json}");
}

#[test]
fn highlighting() {
    use TokenClass::*;
    let q = "user:alice AND \"x y\" -/re/ ip:[1.2.3.4 TO *] | top 10 ip";
    let spans: Vec<(&str, TokenClass)> = highlight(q)
        .into_iter()
        .map(|(s, e, c)| (&q[s..e], c))
        .collect();
    assert_eq!(
        spans,
        vec![
            ("user", Field),
            (":", Operator),
            ("alice", Value),
            ("AND", Keyword),
            ("\"x y\"", Phrase),
            ("-", Operator),
            ("/re/", Regex),
            ("ip", Field),
            (":", Operator),
            ("[", Operator),
            ("1.2.3.4", Value),
            ("TO", Keyword),
            ("*", Value),
            ("]", Operator),
            ("|", Pipe),
            ("top", Keyword),
            ("10", Value),
            ("ip", Field),
        ]
    );
    let classes = |q: &str| {
        highlight(q)
            .into_iter()
            .map(|(_, _, c)| c)
            .collect::<Vec<_>>()
    };
    assert_eq!(classes("usr:x"), vec![Error, Operator, Value]);
    assert_eq!(classes("(a"), vec![Error, Text]);
    assert_eq!(classes("a \"b"), vec![Text, Error]);
    assert_eq!(classes("a AND"), vec![Text, Error]);
    assert_eq!(
        classes("| stats count by ip, usr"),
        vec![Pipe, Keyword, Keyword, Keyword, Field, Operator, Error]
    );
    assert_eq!(classes(""), vec![]);
    assert_eq!(classes(&"x".repeat(MAX_QUERY_LEN + 1)), vec![Error]);
}

// --- properties --------------------------------------------------------------------------------

fn check_invariants(s: &str) -> Result<(), TestCaseError> {
    let hl = highlight(s);
    let mut last = 0;
    for (start, end, _) in &hl {
        prop_assert!(
            last <= *start && start < end && *end <= s.len(),
            "{s:?}: {hl:?}"
        );
        prop_assert!(s.is_char_boundary(*start) && s.is_char_boundary(*end));
        last = *end;
    }
    match parse(s) {
        Ok(q) => {
            let printed = q.to_string();
            let again = parse(&printed);
            prop_assert!(
                again.is_ok(),
                "{s:?} printed as {printed:?}: {:?}",
                again.err()
            );
            if let Ok(again) = again {
                prop_assert_eq!(&again, &q, "{:?} printed as {:?}", s, printed);
                prop_assert_eq!(again.to_string(), printed);
            }
        }
        Err(err) => {
            prop_assert!(err.start <= err.end && err.end <= s.len(), "{s:?}: {err:?}");
            prop_assert!(s.is_char_boundary(err.start) && s.is_char_boundary(err.end));
            prop_assert!(!err.message.is_empty());
        }
    }
    Ok(())
}

const PIECES: &[&str] = &[
    "a",
    "mimikatz",
    "*",
    "?",
    "a*b",
    "\"x y\"",
    "\"",
    "\\",
    "\\*",
    "/re/",
    "/a\\/b/",
    "/(/",
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "&&",
    "||",
    "!",
    "-",
    "|",
    ":",
    "=",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "[",
    "]",
    "{",
    "}",
    "TO",
    ",",
    "user",
    "actor",
    "ip",
    "time",
    "raw",
    ".",
    "raw.a.b",
    "raw.\"k.x\"",
    "status_code",
    "outcome",
    "category",
    "failure",
    "10.0.0.0/8",
    "2001:db8::/32",
    "192.0.2.4",
    "10.0.0.1",
    "2026-02-01",
    "2026-02-01T12:00",
    "now-24h",
    "now",
    "400",
    "-1.5",
    "success",
    "Failed",
    "data*",
    "stats",
    "count",
    "by",
    "top",
    "10",
    "timechart",
    "1h",
    "usr",
    "é",
    "ü\"",
    "\t",
    "\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        check_invariants(&s)?;
    }

    #[test]
    fn query_like_strings_never_panic(s in "[a-z:*?\"()\\[\\]{}|&!<>=/\\\\ .,-]{0,40}") {
        check_invariants(&s)?;
    }

    #[test]
    fn token_sequences_parse_or_fail_cleanly_and_round_trip(
        pieces in prop::collection::vec((prop::sample::select(PIECES), prop::sample::select(&["", " ", " ", "  "][..])), 0..16)
    ) {
        let s: String = pieces.iter().flat_map(|(p, sep)| [*p, *sep]).collect();
        check_invariants(&s)?;
    }

    #[test]
    fn field_values_never_panic(
        prefix in prop::sample::select(&[
            "time>=", "time:", "time:[", "time:[* TO ", "ip:", "ip:[", "raw.x>", "raw.x:[", "status_code<",
            "status_code:[1 TO ", "outcome:", "category:", "| timechart ", "| top ", "| stats count by ", "actor:(",
        ][..]),
        value in "\\PC{0,30}",
    ) {
        check_invariants(&format!("{prefix}{value}"))?;
    }

    #[test]
    fn generated_valid_queries_round_trip(
        terms in prop::collection::vec(prop::sample::select(&[
            "mimikatz", "\"wrong password\"", "admin*", "/mimi.*z/", "user:alice", "actor:*@example.com",
            "action:auth.*", "ip:10.0.0.0/8", "ip:2001:db8::/32", "ip:[10.0.0.1 TO 10.0.0.255]",
            "time:[2026-02-01 TO 2026-02-03T12:00]", "time>=2026-02-01", "time>now-24h", "time:{* TO now}",
            "status_code>=400", "raw.responseStatus.code>=400", "raw.userIdentity.type:Root",
            "outcome:failure", "category:(credential OR identity)", "reason:*", "-actor:root", "NOT ua:curl*",
        ][..]), 1..6),
        ops in prop::collection::vec(prop::sample::select(&[" ", " AND ", " OR ", " && ", " || "][..]), 6),
        pipe in prop::sample::select(&["", " | stats count by actor, ip", " | top 5 action", " | timechart 1h", " | timechart"][..]),
        parens in any::<bool>(),
    ) {
        let mut s = String::new();
        for (i, term) in terms.iter().enumerate() {
            if i > 0 {
                s.push_str(ops[i % ops.len()]);
            }
            s.push_str(term);
        }
        if parens {
            s = format!("NOT ({s})");
        }
        s.push_str(pipe);
        prop_assert!(parse(&s).is_ok(), "{s:?}: {:?}", parse(&s).err());
        check_invariants(&s)?;
    }
}
