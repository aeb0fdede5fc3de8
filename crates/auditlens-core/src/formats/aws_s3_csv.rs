//! AWS S3 data-event CSV (alerting/honeypot exports derived from CloudTrail S3 data events).
//!
//! **Recognised by** the columns `Event Name` + `User ID` + `Request Parameters` with one of
//! `Event DateTime`, `Event ID`, `Request ID` or `Source IP`, and no `eventSource` (a real
//! CloudTrail record or console CSV has one and goes to the CloudTrail mapper).
//!
//! **Shape**: CSV (or the same columns as JSON). Header seen:
//! `Event Type,Event Name,Request ID,User ID,Request Parameters,Alert,Event ID,Event DateTime,
//! Alarm DateTime,Source IP,Request User Agent,Repeated Attempts`.
//!
//! **Fields**: time `Event DateTime` (else `Alarm DateTime`, when the alert fired); action
//! `Event Name` (`HeadBucket`, `ListObjects`, `PutObject` …); service `s3.amazonaws.com`;
//! actor from `User ID` — the calling account (`accountId`), id `principalId`, kind by id
//! (`ANONYMOUS_PRINCIPAL` → Anonymous, `AIDA…` → User, `AROA…` → Role); targets bucket
//! (`bucketName`) and object (`bucketName/key`); region from the `Host` endpoint
//! (`bucket.s3.eu-west-1.amazonaws.com`); IP `Source IP`; UA `Request User Agent`; uid
//! `Event ID`; correlation `Request ID`; `Alert`, `Event Type` and `Repeated Attempts` are
//! indexed as text. Category/activity reuse the CloudTrail verb table.
//!
//! **Outcome**: the export has no error column, so the outcome is Unknown.
//!
//! **Quirks**: `User ID` and `Request Parameters` hold **Python dict reprs** with single quotes
//! (`{'type': 'AWSAccount', 'principalId': '', 'accountId': 'ANONYMOUS_PRINCIPAL'}`), which
//! are not JSON — they are parsed here ([`py_dict`]); `Alert` has a leading space; rows are
//! not in time order.

use std::borrow::Cow;

use super::{cloudtrail, loose, loose_text, set_time_loose, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Category, Draft};

/// The AWS S3 data-event CSV format.
pub struct AwsS3Csv;

impl Format for AwsS3Csv {
    fn id(&self) -> &'static str {
        "aws_s3_csv"
    }
    fn name(&self) -> &'static str {
        "AWS S3 data-event CSV"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("aws", "cloudtrail")
    }

    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        if rec.kind() != Kind::Obj {
            return 0;
        }
        let has = |n: &str| rec.get_folded(n).is_some();
        if !has("eventname") || !has("userid") || !has("requestparameters") || has("eventsource") {
            return 0;
        }
        let mut s = 60;
        for k in [
            "eventdatetime",
            "eventid",
            "requestid",
            "sourceip",
            "requestuseragent",
            "alarmdatetime",
        ] {
            if has(k) {
                s += 6;
            }
        }
        s.min(95)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        set_time_loose(
            d,
            rec,
            &["eventdatetime", "eventtime", "alarmdatetime"],
            ctx,
        )?;
        let name = loose_text(rec, &["eventname"]).ok_or("no Event Name")?;
        d.uid = loose_text(rec, &["eventid"]);
        d.correlation = loose_text(rec, &["requestid"]);
        d.src = loose_text(rec, &["sourceip", "sourceipaddress"]);
        d.user_agent = loose_text(rec, &["requestuseragent", "useragent"]);

        // Who: a Python dict repr (or real JSON when re-exported).
        let user = dict(loose(rec, &["userid"]));
        let principal = user.get("principalId").filter(|s| !s.is_empty());
        let account = user.get("accountId").filter(|s| !s.is_empty());
        let kind = cloudtrail::principal_kind_by_id(principal, account);
        d.actor_kind = Some(kind);
        d.actor_name = account.or(principal).map(|s| Cow::Owned(s.to_string()));
        d.actor_id = principal.map(|s| Cow::Owned(s.to_string()));
        if let Some(t) = user.get("type") {
            d.text.push(Cow::Owned(t.to_string()));
        }

        // What on.
        let params = dict(loose(rec, &["requestparameters"]));
        let bucket = params.get("bucketName").filter(|s| !s.is_empty());
        if let Some(b) = bucket {
            d.target(
                Some("AWS::S3::Bucket".into()),
                None,
                Some(Cow::Owned(b.to_string())),
            );
            if let Some(k) = params.get("key").filter(|s| !s.is_empty()) {
                d.target(
                    Some("AWS::S3::Object".into()),
                    Some(Cow::Owned(format!("{b}/{k}"))),
                    None,
                );
            }
        }
        let host = params.get("Host");
        if bucket.is_some() || host.is_some_and(|h| h.contains("amazonaws.com")) {
            d.service = Some(Cow::Borrowed("s3.amazonaws.com"));
        }
        d.region = host.and_then(region_of_host).map(Cow::Owned);
        for p in params.pairs() {
            d.text.push(Cow::Owned(format!("{}={}", p.0, p.1)));
        }

        let act = cloudtrail::activity("s3", &name);
        let read = matches!(act, Some((crate::model::Activity::Read, _)));
        d.category = Some(if read {
            (Category::DataAccess, "aws_s3_csv:read_verb")
        } else {
            (Category::Resource, "aws_s3_csv:write_verb")
        });
        d.activity = act;
        for k in ["alert", "eventtype", "repeatedattempts", "alarmdatetime"] {
            if let Some(t) = loose_text(rec, &[k]) {
                d.text.push(t);
            }
        }
        d.action = Some(name);
        Ok(())
    }
}

/// `bucket.s3.eu-west-1.amazonaws.com` / `bucket.s3-eu-west-1.amazonaws.com` → `eu-west-1`.
fn region_of_host(host: &str) -> Option<String> {
    let h = host.strip_suffix(".amazonaws.com")?;
    let tail = h
        .rsplit_once("s3.")
        .map(|(_, t)| t)
        .or_else(|| h.rsplit_once("s3-").map(|(_, t)| t))?;
    let ok = !tail.is_empty()
        && tail.contains('-')
        && tail.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
    ok.then(|| tail.to_string())
}

/// A flat string map parsed from a Python dict repr or a JSON object.
#[derive(Debug, Default, PartialEq)]
pub struct PyDict(Vec<(String, String)>);

impl PyDict {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    /// All pairs, in order.
    pub fn pairs(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter()
    }
}

fn dict(v: Option<Val<'_, '_>>) -> PyDict {
    let Some(v) = v else { return PyDict::default() };
    match v.kind() {
        Kind::Obj => PyDict(
            v.entries()
                .map(|(k, x)| {
                    (
                        k.into_owned(),
                        text(Some(x)).map(|t| t.into_owned()).unwrap_or_default(),
                    )
                })
                .collect(),
        ),
        Kind::Str => v.as_str().and_then(|s| py_dict(&s)).unwrap_or_default(),
        _ => PyDict::default(),
    }
}

/// Parses a flat Python dict repr: `{'a': 'x', "b": 1, 'c': None, 'd': True}`. Nested
/// containers are kept as their source text. `None` on anything that is not a dict.
pub fn py_dict(s: &str) -> Option<PyDict> {
    let b = s.trim().as_bytes();
    if b.first() != Some(&b'{') {
        return None;
    }
    let mut i = 1;
    let mut out = Vec::new();
    let ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    loop {
        ws(&mut i);
        match b.get(i)? {
            b'}' => return Some(PyDict(out)),
            b',' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let k = py_value(b, &mut i)?;
        ws(&mut i);
        if b.get(i)? != &b':' {
            return None;
        }
        i += 1;
        ws(&mut i);
        let v = py_value(b, &mut i)?;
        out.push((k, v));
    }
}

/// One Python literal: a quoted string (with `\\` escapes), or a bare token / nested
/// container up to the next top-level `,` or `}`.
fn py_value(b: &[u8], i: &mut usize) -> Option<String> {
    let q = *b.get(*i)?;
    if q == b'\'' || q == b'"' {
        *i += 1;
        let mut v: Vec<u8> = Vec::new();
        while *i < b.len() {
            let c = b[*i];
            if c == b'\\' && *i + 1 < b.len() {
                let n = b[*i + 1];
                v.push(match n {
                    b'n' => b'\n',
                    b't' => b'\t',
                    b'r' => b'\r',
                    other => other,
                });
                *i += 2;
                continue;
            }
            if c == q {
                *i += 1;
                return Some(String::from_utf8_lossy(&v).into_owned());
            }
            v.push(c);
            *i += 1;
        }
        return None;
    }
    let start = *i;
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    while *i < b.len() {
        let c = b[*i];
        match quote {
            Some(qc) => {
                if c == b'\\' {
                    *i += 1;
                } else if c == qc {
                    quote = None;
                }
            }
            None => match c {
                b'\'' | b'"' => quote = Some(c),
                b'{' | b'[' | b'(' => depth += 1,
                b'}' | b']' | b')' if depth > 0 => depth -= 1,
                b',' | b'}' | b':' if depth == 0 => break,
                _ => {}
            },
        }
        *i += 1;
    }
    let t = String::from_utf8_lossy(&b[start..*i]).trim().to_string();
    Some(if t == "None" { String::new() } else { t })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::json::Doc;
    use crate::model::{Activity, Outcome, PrincipalKind};

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        let mut d = Draft::default();
        AwsS3Csv.map(doc.root(), &Ctx::default(), &mut d).unwrap();
        crate::derive::apply(&mut d, AwsS3Csv.completed_log());
        d
    }

    const ROW: &str = r#"{"Event Type":"AwsApiCall","Event Name":"PutObject","Request ID":"RQ1","User ID":"{'type': 'AWSAccount', 'principalId': 'AIDAEXAMPLE', 'accountId': '111122223333'}","Request Parameters":"{'bucketName': 'honey', 'Host': 'honey.s3.eu-west-1.amazonaws.com', 'key': 'it\\'s.txt'}","Alert":" 7-2021-03-20T23:58:15Z","Event ID":"EV1","Event DateTime":"2021-03-20T23:58:15Z","Alarm DateTime":"2021-03-21T00:00:02.516503+00:00","Source IP":"192.0.2.10","Request User Agent":"aws-cli/1","Repeated Attempts":"1"}"#;

    #[test]
    fn sniffs_only_its_columns() {
        let doc = Doc::parse(ROW.as_bytes()).unwrap();
        assert!(AwsS3Csv.sniff(doc.root(), &Ctx::default()) >= 90);
        let ct = Doc::parse(br#"{"eventName":"PutObject","eventSource":"s3.amazonaws.com","userIdentity":{},"requestParameters":{}}"#).unwrap();
        assert_eq!(AwsS3Csv.sniff(ct.root(), &Ctx::default()), 0);
    }

    #[test]
    fn python_dict_reprs_are_read() {
        let d = map(ROW);
        assert_eq!(d.actor_name.as_deref(), Some("111122223333"));
        assert_eq!(d.actor_id.as_deref(), Some("AIDAEXAMPLE"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert_eq!(d.targets[0].2.as_deref(), Some("honey"));
        assert_eq!(d.targets[1].1.as_deref(), Some("honey/it's.txt"));
        assert_eq!(d.region.as_deref(), Some("eu-west-1"));
        assert_eq!(d.service.as_deref(), Some("s3.amazonaws.com"));
        assert_eq!(d.activity.unwrap().0, Activity::Create);
        assert_eq!(d.category.unwrap().0, Category::Resource);
        assert_eq!(
            d.outcome.unwrap().0,
            Outcome::Unknown,
            "no error column: the outcome is not known"
        );
        assert_eq!(d.uid.as_deref(), Some("EV1"));
        assert_eq!(d.correlation.as_deref(), Some("RQ1"));
        assert_eq!(d.time_raw.as_deref(), Some("2021-03-20T23:58:15Z"));
    }

    #[test]
    fn anonymous_principal_and_reads() {
        let d = map(
            r#"{"Event Name":"HeadBucket","User ID":"{'type': 'AWSAccount', 'principalId': '', 'accountId': 'ANONYMOUS_PRINCIPAL'}","Request Parameters":"{'bucketName': 'honey', 'Host': 'honey.s3.amazonaws.com'}","Event DateTime":"2022-02-18T17:34:57Z","Source IP":"203.0.113.1"}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::Anonymous));
        assert_eq!(d.actor_name.as_deref(), Some("ANONYMOUS_PRINCIPAL"));
        assert!(d.actor_id.is_none());
        assert_eq!(d.category.unwrap().0, Category::DataAccess);
        assert_eq!(d.activity.unwrap().0, Activity::Read);
        assert!(d.region.is_none(), "the global endpoint names no region");
    }

    #[test]
    fn py_dict_forms() {
        let p = py_dict(r#"{'a': 'x', "b": "it's", 'n': 3, 'z': None, 't': True, 'l': ['p', 'q'], 'd': {'k': 'v'}}"#).unwrap();
        assert_eq!(p.get("a"), Some("x"));
        assert_eq!(p.get("b"), Some("it's"));
        assert_eq!(p.get("n"), Some("3"));
        assert_eq!(p.get("z"), Some(""));
        assert_eq!(p.get("t"), Some("True"));
        assert_eq!(p.get("l"), Some("['p', 'q']"));
        assert_eq!(p.get("d"), Some("{'k': 'v'}"));
        assert_eq!(py_dict("{}"), Some(PyDict::default()));
        assert_eq!(py_dict("not a dict"), None);
        assert_eq!(py_dict("{'unterminated"), None);
        assert_eq!(
            region_of_host("b.s3-eu-west-1.amazonaws.com").as_deref(),
            Some("eu-west-1")
        );
    }
}
