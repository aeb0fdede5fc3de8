//! oCore organisation audit log (seeds 000/001).
//!
//! Containers: export JSON `{"items":[…],"total"}` (max 10 000 records), list/resource API
//! `{"items":[…],"page","perPage","total"}`, admin `{"logs":[…],"total"}`, and CSV export
//! (header sniffed; `beforeState`/`afterState` as JSON text in cells).
//!
//! Quirks: the actor of automated events is `"system"`; API-key calls carry the key's name and
//! id instead of a user email; the log records completed actions, so only `auth.login_failed`
//! and `deployment.failed` are failures (the latter an operation failure, not a security one).

use super::{any_text, first, loose, loose_text, set_time_loose, Ctx, Format};
use crate::json::Val;
use crate::model::{Draft, FailureKind, Outcome, PrincipalKind};

/// The oCore format.
pub struct Ocore;

impl Format for Ocore {
    fn id(&self) -> &'static str {
        "ocore"
    }
    fn name(&self) -> &'static str {
        "oCore audit log"
    }
    fn completed_log(&self) -> bool {
        true
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let has = |n: &str| rec.get_folded(n).is_some();
        if !has("action") || !has("createdat") {
            return 0;
        }
        let mut s: u32 = 40;
        for k in [
            "resourcetype",
            "resourceid",
            "userid",
            "username",
            "beforestate",
            "afterstate",
            "ipaddress",
        ] {
            if has(k) {
                s += 8;
            }
        }
        // OpsKnight also has action/createdAt but uses entityType/actorId.
        if has("entitytype") || has("actorid") {
            s = s.saturating_sub(40);
        }
        s.min(95)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        set_time_loose(d, rec, &["createdat", "timestamp"], ctx)?;
        d.action = loose_text(rec, &["action"]);
        d.uid = loose_text(rec, &["id"]);
        let name = loose_text(rec, &["username", "useremail", "email", "actor"]);
        let id = loose_text(rec, &["userid", "apikeyid", "actorid"]);
        d.actor_kind = Some(actor_kind(name.as_deref(), id.as_deref()));
        if d.actor_kind == Some(PrincipalKind::ApiKey) {
            d.credential = id.clone().or_else(|| name.clone());
        }
        d.actor_name = name;
        d.actor_id = id;
        d.src = loose_text(rec, &["ipaddress", "ip", "sourceip"]);
        d.user_agent = loose_text(rec, &["useragent"]);
        d.target(
            loose_text(rec, &["resourcetype"]),
            loose_text(rec, &["resourceid"]),
            loose_text(rec, &["resourcename"]),
        );
        d.before = any_text(loose(rec, &["beforestate"]));
        d.after = any_text(loose(rec, &["afterstate"]));
        if let Some(det) = loose(rec, &["details", "metadata"]) {
            d.reason = first(det, &["reason", "failureReason", "error"]);
            if let Some(t) = any_text(Some(det)) {
                d.text.push(t);
            }
            if d.src.is_none() {
                d.src = first(det, &["ipAddress", "ip"]);
            }
            if d.user_agent.is_none() {
                d.user_agent = first(det, &["userAgent"]);
            }
        }
        if d.reason.is_none() {
            d.reason = loose_text(rec, &["reason", "failurereason"]);
        }
        match d.action.as_deref() {
            Some("auth.login_failed") => {
                d.outcome = Some((
                    Outcome::Failure,
                    FailureKind::AuthN,
                    "ocore:auth.login_failed",
                ));
                d.actor_unverified = true;
            }
            Some("deployment.failed") => {
                d.outcome = Some((
                    Outcome::Failure,
                    FailureKind::Operation,
                    "ocore:deployment.failed",
                ));
            }
            _ => {}
        }
        Ok(())
    }
}

/// oCore actor kind: `system` → System; an email → User; a key-looking name/id → API key.
fn actor_kind(name: Option<&str>, id: Option<&str>) -> PrincipalKind {
    match name {
        Some(n) if n.eq_ignore_ascii_case("system") => PrincipalKind::System,
        Some(n) if n.contains('@') => PrincipalKind::User,
        _ => {
            let looks_key = |s: &str| {
                let l = s.to_ascii_lowercase();
                l.contains("key")
                    || l.contains("token")
                    || l.starts_with("ak_")
                    || l.starts_with("api")
            };
            if name.is_some_and(looks_key) || id.is_some_and(looks_key) {
                PrincipalKind::ApiKey
            } else if name.is_some() || id.is_some() {
                PrincipalKind::User
            } else {
                PrincipalKind::Unknown
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;
    use crate::model::Category;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        let mut d = Draft::default();
        Ocore.map(doc.root(), &Ctx::default(), &mut d).unwrap();
        crate::derive::apply(&mut d, true);
        d
    }

    #[test]
    fn login_failed_is_authn_failure_with_unverified_actor() {
        let d = map(
            r#"{"id":"1","action":"auth.login_failed","createdAt":"2026-02-01T10:00:00Z","userId":"u1","userName":"alice@example.com","ipAddress":"203.0.113.9","userAgent":"curl/8","resourceType":"session","resourceId":"s","resourceName":"web","beforeState":{},"afterState":{"reason":"wrong password"}}"#,
        );
        assert_eq!(d.outcome.unwrap().0, Outcome::Failure);
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthN);
        assert!(d.actor_unverified);
        assert_eq!(d.category.unwrap().0, Category::Authentication);
        assert_eq!(d.after.as_deref(), Some(r#"{"reason":"wrong password"}"#));
        assert!(d.before.is_none(), "an empty state is no state");
    }

    #[test]
    fn deployment_failed_is_an_operation_failure() {
        let d = map(
            r#"{"action":"deployment.failed","createdAt":"2026-02-01T10:00:00Z","userName":"bob@example.com"}"#,
        );
        assert_eq!(d.outcome.unwrap().1, FailureKind::Operation);
    }

    #[test]
    fn system_and_api_key_actors() {
        let d = map(
            r#"{"action":"backup.created","createdAt":"2026-02-01T10:00:00Z","userName":"system"}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::System));
        let d = map(
            r#"{"action":"instance.started","createdAt":"2026-02-01T10:00:00Z","userName":"ci-deploy-key","userId":"key_123"}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::ApiKey));
        assert_eq!(d.credential.as_deref(), Some("key_123"));
        assert_eq!(d.outcome.unwrap().2, "assumed_success_completed_action_log");
    }

    #[test]
    fn csv_style_column_variants() {
        let d = map(
            r#"{"Action":"member.role_changed","Created At":"2026-02-01 10:00:00","user_name":"a@x.io","IP Address":"10.0.0.1","resource_type":"member","resource_id":"m1"}"#,
        );
        assert_eq!(d.action.as_deref(), Some("member.role_changed"));
        assert_eq!(d.src.as_deref(), Some("10.0.0.1"));
        assert_eq!(d.targets.len(), 1);
        assert_eq!(d.time.unwrap().flags, crate::time::ZONE_ASSUMED);
    }
}
