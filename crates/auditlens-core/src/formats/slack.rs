//! Slack Enterprise Grid Audit Logs API (`/audit/v1/logs` entries).
//!
//! Recognised by `date_create` + `action` (a snake-case string) + an `actor` object with
//! `type` and `user`/`app`, next to `entity`/`context`. Containers: the API page
//! `{"entries":[…],"response_metadata":…}`, a JSON array, NDJSON (SIEM exports).
//!
//! Mapping:
//! - time `date_create` (epoch **seconds**); uid `id`; action `action` verbatim
//!   (`user_login`, `file_downloaded`, `role_change_to_admin`, `anomaly`).
//! - actor `actor.user.email` (else name) / `actor.user.id`; an app actor (`actor.app`) →
//!   service account; source `context.ip_address`, user agent `context.ua`; correlation
//!   `context.session_id`; tenant `context.location.domain` (else its id: the workspace or
//!   enterprise).
//! - target the `entity`: its `type` and the object under that key (`entity.user`,
//!   `entity.file`, `entity.channel`, `entity.workspace`, `entity.app`…), named by email for
//!   users and by name otherwise; `details` kept as text.
//! - category: `user_login`/`user_logout`/`user_session_*` → authentication; `role_change_*` →
//!   identity assignment; `pref_*` and app installs → configuration; file downloads/exports →
//!   data access; the generic tokens otherwise. The log records completed actions (success),
//!   except `anomaly`: an alert by Slack, with outcome unknown, whose `details.reason` list
//!   becomes the reason and `details.location` ("England, GB") the country.
//!
//! Quirks: `anomaly` carries its own `details.action_timestamp` in epoch **milliseconds**
//! (the time of the anomalous action; the event time stays `date_create`, the time Slack
//! logged it); `session_id` is a number.

use std::borrow::Cow;

use super::{any_text, set_time, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The Slack audit log format.
pub struct Slack;

impl Format for Slack {
    fn id(&self) -> &'static str {
        "slack"
    }
    fn name(&self) -> &'static str {
        "Slack audit log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("slack", "audit")
    }
    fn completed_log(&self) -> bool {
        true
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        if rec.get("date_create").is_none() || text(rec.get("action")).is_none() {
            return 0;
        }
        let Some(actor) = rec.get("actor").filter(|a| a.kind() == Kind::Obj) else {
            return 0;
        };
        if actor.get("type").is_none() {
            return 0;
        }
        let mut s = 75;
        for (k, w) in [("entity", 8), ("context", 8), ("id", 3)] {
            if rec.get(k).is_some() {
                s += w;
            }
        }
        if actor.get("user").is_some() || actor.get("app").is_some() {
            s += 4;
        }
        s.min(96)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        set_time(d, rec, &["date_create"], ctx)?;
        d.uid = text(rec.get("id"));
        d.action = text(rec.get("action"));
        let action = d.action.clone().unwrap_or_default();

        // Actor.
        if let Some(u) = rec.path("actor.user").filter(|u| u.kind() == Kind::Obj) {
            d.actor_name = text(u.get("email")).or_else(|| text(u.get("name")));
            d.actor_id = text(u.get("id"));
            d.actor_kind = Some(PrincipalKind::User);
            if let Some(n) = text(u.get("name")) {
                d.text.push(n);
            }
        } else if let Some(a) = rec.path("actor.app").filter(|a| a.kind() == Kind::Obj) {
            d.actor_name = text(a.get("name"));
            d.actor_id = text(a.get("id"));
            d.actor_kind = Some(PrincipalKind::ServiceAccount);
        } else if text(rec.path("actor.type")).as_deref() == Some("workflow") {
            d.actor_kind = Some(PrincipalKind::ServiceAccount);
        }

        // Context.
        if let Some(c) = rec.get("context").filter(|c| c.kind() == Kind::Obj) {
            d.src = text(c.get("ip_address"));
            d.user_agent = text(c.get("ua"));
            d.correlation = text(c.get("session_id"));
            d.tenant = text(c.path("location.domain")).or_else(|| text(c.path("location.id")));
            if let Some(n) = text(c.path("location.name")) {
                d.text.push(n);
            }
        }

        // Target: the entity object named by its type.
        if let Some(e) = rec.get("entity").filter(|e| e.kind() == Kind::Obj) {
            let kind = text(e.get("type"));
            if let Some(o) = kind
                .as_deref()
                .and_then(|k| e.get(k))
                .filter(|o| o.kind() == Kind::Obj)
            {
                let name = if kind.as_deref() == Some("user") {
                    text(o.get("email")).or_else(|| text(o.get("name")))
                } else {
                    text(o.get("name")).or_else(|| text(o.get("title")))
                };
                d.target(kind.clone(), text(o.get("id")), name);
            }
        }
        if let Some(t) = any_text(rec.get("details")) {
            d.text.push(t);
        }

        const RULE: &str = "slack:action";
        let set = |d: &mut Draft<'a>, c: Category, a: Option<Activity>| {
            d.category = Some((c, RULE));
            if let Some(a) = a {
                d.activity = Some((a, RULE));
            }
        };
        match &*action {
            "anomaly" => {
                set(d, Category::Other, Some(Activity::Other));
                d.outcome = Some((Outcome::Unknown, FailureKind::None, RULE));
                if let Some(r) = rec.path("details.reason") {
                    let list: Vec<String> = r
                        .elements()
                        .filter_map(|x| text(Some(x)).map(|s| s.into_owned()))
                        .collect();
                    d.reason = if list.is_empty() {
                        text(Some(r))
                    } else {
                        Some(Cow::Owned(list.join(", ")))
                    };
                }
                d.country = text(rec.path("details.location")).and_then(country_code);
                if let Some(ts) = rec
                    .path("details.action_timestamp")
                    .and_then(|v| super::parse_time(v, ctx))
                {
                    d.text.push(Cow::Owned(format!(
                        "action_timestamp {}",
                        crate::time::format_rfc3339_ms(ts.nanos)
                    )));
                }
            }
            "user_login" => set(d, Category::Authentication, Some(Activity::Logon)),
            "user_logout" => set(d, Category::Authentication, Some(Activity::Logoff)),
            "user_login_failed" => {
                set(d, Category::Authentication, Some(Activity::Logon));
                d.outcome = Some((Outcome::Failure, FailureKind::AuthN, RULE));
                d.actor_unverified = true;
            }
            a if a.starts_with("user_session_") || a.starts_with("session_") => {
                set(d, Category::Authentication, None)
            }
            a if a.starts_with("role_change_to_") => {
                set(d, Category::Identity, Some(Activity::Assign))
            }
            a if a.starts_with("pref_") => set(d, Category::Configuration, Some(Activity::Update)),
            a if a.starts_with("app_") || a.starts_with("bot_") || a.starts_with("workflow_") => {
                set(d, Category::Configuration, None)
            }
            "file_downloaded"
            | "file_downloaded_blocked"
            | "file_public_link_created"
            | "file_shared" => set(d, Category::DataAccess, Some(Activity::Read)),
            a if a.contains("export") => set(d, Category::DataAccess, Some(Activity::Read)),
            _ => {}
        }
        if action.ends_with("_blocked") {
            d.outcome = Some((Outcome::Failure, FailureKind::AuthZ, RULE));
        }
        Ok(())
    }
}

/// `"England, GB"` → `GB`: a trailing two-letter code.
fn country_code(loc: Cow<'_, str>) -> Option<Cow<'_, str>> {
    let last = loc.rsplit(',').next()?.trim();
    (last.len() == 2 && last.bytes().all(|c| c.is_ascii_uppercase()))
        .then(|| Cow::Owned(last.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).expect("json")));
        assert!(Slack.sniff(doc.root(), &Ctx::default()) >= 75);
        let mut d = Draft::default();
        Slack
            .map(doc.root(), &Ctx::default(), &mut d)
            .expect("maps");
        crate::derive::apply(&mut d, Slack.completed_log());
        d
    }

    #[test]
    fn login_with_epoch_seconds() {
        let d = map(
            r#"{"id":"e1","date_create":1521214343,"action":"user_login","actor":{"type":"user","user":{"id":"W1","name":"Ann","email":"ann@example.com"}},
            "entity":{"type":"user","user":{"id":"W1","name":"Ann","email":"ann@example.com"}},
            "context":{"location":{"type":"enterprise","id":"E1","name":"Acme","domain":"acme"},"ua":"Mozilla/5.0","ip_address":"192.0.2.4"}}"#,
        );
        assert_eq!(d.time.map(|t| t.nanos), Some(1_521_214_343_000_000_000));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Authentication));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Logon));
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Success));
        assert_eq!(d.actor_name.as_deref(), Some("ann@example.com"));
        assert_eq!(d.tenant.as_deref(), Some("acme"));
        assert_eq!(d.src.as_deref(), Some("192.0.2.4"));
        assert_eq!(d.targets[0].2.as_deref(), Some("ann@example.com"));
    }

    #[test]
    fn file_download_targets_the_file() {
        let d = map(
            r#"{"action":"file_downloaded","actor":{"type":"user","user":{"email":"u@example.com","id":"U"}},
            "context":{"ip_address":"192.0.2.5","session_id":913888259765,"ua":"app"},"date_create":1683836275,
            "entity":{"file":{"filetype":"image/png","id":"F","name":"image.png"},"type":"file"},"id":"e2"}"#,
        );
        assert_eq!(d.category.map(|c| c.0), Some(Category::DataAccess));
        assert_eq!(d.correlation.as_deref(), Some("913888259765"));
        assert_eq!(d.targets[0].0.as_deref(), Some("file"));
        assert_eq!(d.targets[0].2.as_deref(), Some("image.png"));
    }

    #[test]
    fn anomaly_is_unknown_with_reason_and_country() {
        let d = map(
            r#"{"id":"e3","date_create":1673631531,"action":"anomaly","actor":{"type":"user","user":{"id":"U","email":"r@example.com"}},
            "entity":{"type":"user","user":{"id":"X","email":"x@example.com"}},"context":{"ip_address":"192.0.2.6"},
            "details":{"action_timestamp":1673631621862,"location":"England, GB","previous_ip_address":"198.51.100.64","reason":["asn","ip_address"]}}"#,
        );
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Unknown));
        assert_eq!(d.reason.as_deref(), Some("asn, ip_address"));
        assert_eq!(d.country.as_deref(), Some("GB"));
        assert_eq!(
            d.time.map(|t| t.nanos),
            Some(1_673_631_531_000_000_000),
            "date_create, not action_timestamp"
        );
        assert!(d
            .text
            .iter()
            .any(|t| t.contains("2023-01-13T17:40:21.862Z")));
    }

    #[test]
    fn role_change_and_app_actor() {
        let d = map(
            r#"{"id":"e4","date_create":1673631531,"action":"role_change_to_admin","actor":{"type":"app","app":{"id":"A1","name":"Provisioner"}},"entity":{"type":"user","user":{"id":"X","email":"x@example.com"}}}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Identity));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Assign));
    }

    #[test]
    fn sniff_is_specific() {
        let s = |j: &str| {
            Slack.sniff(
                Doc::parse(j.as_bytes()).expect("json").root(),
                &Ctx::default(),
            )
        };
        assert_eq!(
            s(r#"{"action":"repo.create","created_at":1,"actor":"x"}"#),
            0
        );
        assert_eq!(
            s(r#"{"action":"user_login","date_create":1,"actor":"x"}"#),
            0
        );
    }
}
