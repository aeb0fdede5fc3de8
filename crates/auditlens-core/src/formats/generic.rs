//! Unknown JSON/CSV: infer time, actor, action, target, IP, user agent and outcome from member
//! names (and, for time, values), or follow an explicit mapping (`time=When,actor=Who`).
//!
//! [`infer`] reports which member it chose for each field and how sure it is, so the page's
//! mapping dialog and the CLI can show it and the user can correct it.

use serde::Serialize;

use super::{any_text, parse_time, text, Ctx, Format};
use crate::json::{fold_key, Kind, Val};
use crate::model::{Draft, FailureKind, Outcome};

/// The generic format.
pub struct Generic;

/// The normalized fields a mapping can name.
pub const FIELDS: &[&str] = &[
    "time",
    "action",
    "actor",
    "actor_id",
    "src_ip",
    "user_agent",
    "target",
    "outcome",
    "uid",
];

const CANDIDATES: &[(&str, &[&str])] = &[
    (
        "time",
        &[
            "timestamp",
            "time",
            "eventtime",
            "createdat",
            "created",
            "date",
            "datetime",
            "published",
            "when",
            "timegenerated",
            "creationtime",
            "creationdate",
            "occurredat",
            "eventdatetime",
            "ts",
            "logtime",
            "loggedat",
        ],
    ),
    (
        "action",
        &[
            "action",
            "eventname",
            "eventtype",
            "event",
            "operation",
            "operationname",
            "activity",
            "activitydisplayname",
            "method",
            "methodname",
            "type",
            "eventaction",
            "verb",
        ],
    ),
    (
        "actor",
        &[
            "user",
            "username",
            "useremail",
            "email",
            "actor",
            "actorname",
            "actoremail",
            "principal",
            "principalemail",
            "login",
            "userprincipalname",
            "caller",
            "initiatedby",
            "who",
            "userid",
            "actorid",
        ],
    ),
    ("actor_id", &["userid", "actorid", "principalid", "uid"]),
    (
        "src_ip",
        &[
            "ip",
            "ipaddress",
            "sourceip",
            "sourceipaddress",
            "clientip",
            "clientipaddress",
            "srcip",
            "remoteaddr",
            "remoteip",
            "callerip",
            "calleripaddress",
            "actorip",
        ],
    ),
    (
        "user_agent",
        &[
            "useragent",
            "ua",
            "agent",
            "requestuseragent",
            "clientuseragent",
        ],
    ),
    (
        "target",
        &[
            "target",
            "resource",
            "resourcename",
            "resourceid",
            "object",
            "objectid",
            "entity",
            "entityid",
            "targetname",
            "item",
        ],
    ),
    (
        "outcome",
        &[
            "outcome",
            "status",
            "result",
            "resulttype",
            "success",
            "succeeded",
        ],
    ),
    ("uid", &["id", "eventid", "uuid", "logid", "recordid"]),
];

/// Which member was chosen for a field, and how sure.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Choice {
    /// Normalized field.
    pub field: String,
    /// Member (column) name in the data.
    pub column: String,
    /// 0.0–1.0.
    pub confidence: f32,
    /// "explicit", "name" or "value".
    pub by: &'static str,
}

/// Infers a mapping from one sample record (explicit mapping entries win).
pub fn infer(rec: Val<'_, '_>, ctx: &Ctx) -> Vec<Choice> {
    let mut out: Vec<Choice> = Vec::new();
    for (field, col) in ctx.mapping {
        out.push(Choice {
            field: field.clone(),
            column: col.clone(),
            confidence: 1.0,
            by: "explicit",
        });
    }
    let keys: Vec<(String, String)> = rec
        .entries()
        .map(|(k, _)| (fold_key(&k), k.into_owned()))
        .collect();
    for (field, cands) in CANDIDATES {
        if out.iter().any(|c| c.field == *field) {
            continue;
        }
        let mut best: Option<(usize, &String)> = None;
        for (rank, cand) in cands.iter().enumerate() {
            if let Some((_, k)) = keys.iter().find(|(f, _)| f == cand) {
                if *field == "actor_id" && out.iter().any(|c| c.field == "actor" && &c.column == k)
                {
                    continue;
                }
                best = Some((rank, k));
                break;
            }
        }
        if let Some((rank, k)) = best {
            out.push(Choice {
                field: field.to_string(),
                column: k.clone(),
                confidence: (1.0 - rank as f32 * 0.04).max(0.5),
                by: "name",
            });
        } else if *field == "time" {
            // By value: the first member whose value parses as a timestamp.
            for (k, v) in rec.entries() {
                if v.kind() == Kind::Str && parse_time(v, ctx).is_some() {
                    out.push(Choice {
                        field: "time".into(),
                        column: k.into_owned(),
                        confidence: 0.4,
                        by: "value",
                    });
                    break;
                }
            }
        }
    }
    out
}

fn col<'d, 'a>(rec: Val<'d, 'a>, m: &[Choice], field: &str) -> Option<Val<'d, 'a>> {
    let c = m.iter().find(|c| c.field == field)?;
    rec.get(&c.column).or_else(|| rec.path(&c.column))
}

impl Format for Generic {
    fn id(&self) -> &'static str {
        "generic"
    }
    fn name(&self) -> &'static str {
        "Unrecognised JSON/CSV (inferred mapping)"
    }
    fn sniff(&self, rec: Val<'_, '_>, ctx: &Ctx) -> u32 {
        if rec.kind() != Kind::Obj {
            return 0;
        }
        if infer(rec, ctx).iter().any(|c| c.field == "time") {
            1
        } else {
            0
        }
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        if rec.kind() != Kind::Obj {
            return Err("record is not a JSON object".into());
        }
        let m = infer(rec, ctx);
        let Some(tv) = col(rec, &m, "time") else {
            return Err("no timestamp field found (map one with --map time=COLUMN)".into());
        };
        let ts = parse_time(tv, ctx)
            .ok_or_else(|| format!("unreadable timestamp: {}", super::short(tv.raw())))?;
        d.time = Some(ts);
        d.time_raw = any_text(Some(tv));
        d.action = text(col(rec, &m, "action"));
        let actor = col(rec, &m, "actor");
        d.actor_name = match actor {
            Some(a) if a.kind() == Kind::Obj => {
                super::first(a, &["email", "name", "alternateId", "login", "id"])
            }
            a => text(a),
        };
        d.actor_id = text(col(rec, &m, "actor_id"));
        d.src = text(col(rec, &m, "src_ip"));
        d.user_agent = text(col(rec, &m, "user_agent"));
        d.uid = text(col(rec, &m, "uid"));
        match col(rec, &m, "target") {
            Some(t) if t.kind() == Kind::Obj => d.target(
                super::first(t, &["type", "kind"]),
                super::first(t, &["id", "uid"]),
                super::first(t, &["name", "displayName"]),
            ),
            t => d.target(None, None, text(t)),
        }
        if let Some(o) = col(rec, &m, "outcome") {
            let s = o
                .as_text()
                .map(|s| s.to_ascii_lowercase())
                .unwrap_or_default();
            let out = match s.as_str() {
                "success" | "succeeded" | "ok" | "true" | "allow" | "allowed" | "passed" | "0"
                | "200" => Some((Outcome::Success, FailureKind::None)),
                "failure" | "failed" | "fail" | "false" | "deny" | "denied" | "error"
                | "blocked" => Some((Outcome::Failure, FailureKind::Other)),
                _ => None,
            };
            if let Some((o, k)) = out {
                d.outcome = Some((o, k, "generic:outcome_column"));
            }
            d.status_code = text(Some(o));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    #[test]
    fn infers_by_name_and_value() {
        let doc = Doc::parse(br#"{"When":"2026-02-01T10:00:00Z","Who":"a@b.c","What":"x.y","Client IP":"1.2.3.4","Result":"failed"}"#).unwrap();
        let m = infer(doc.root(), &Ctx::default());
        let get = |f: &str| {
            m.iter()
                .find(|c| c.field == f)
                .map(|c| (c.column.as_str(), c.by))
        };
        assert_eq!(get("time"), Some(("When", "name")));
        assert_eq!(get("src_ip"), Some(("Client IP", "name")));
        assert_eq!(get("outcome"), Some(("Result", "name")));
        assert_eq!(get("actor"), Some(("Who", "name")));
        assert_eq!(get("action"), None, "What is not a known name");
        let doc = Doc::parse(br#"{"stamp":"2026-02-01T10:00:00Z","x":1}"#).unwrap();
        let m = infer(doc.root(), &Ctx::default());
        assert_eq!(m[0].by, "value");
    }

    #[test]
    fn explicit_mapping_wins() {
        let mapping = vec![
            ("actor".to_string(), "Who".to_string()),
            ("action".to_string(), "What".to_string()),
        ];
        let ctx = Ctx {
            mapping: &mapping,
            ..Default::default()
        };
        let doc = Doc::parse(
            br#"{"When":"2026-02-01T10:00:00Z","Who":"a@b.c","What":"x.y","Result":"failed"}"#,
        )
        .unwrap();
        let mut d = Draft::default();
        Generic.map(doc.root(), &ctx, &mut d).unwrap();
        assert_eq!(d.actor_name.as_deref(), Some("a@b.c"));
        assert_eq!(d.action.as_deref(), Some("x.y"));
        assert_eq!(d.outcome.unwrap().0, Outcome::Failure);
    }

    #[test]
    fn no_time_is_a_clear_error() {
        let doc = Doc::parse(br#"{"a":1}"#).unwrap();
        let e = Generic
            .map(doc.root(), &Ctx::default(), &mut Draft::default())
            .unwrap_err();
        assert!(e.contains("no timestamp"));
    }
}
