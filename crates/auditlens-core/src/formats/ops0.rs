//! ops0 audit log (seed 002).
//!
//! Containers: JSON export ("includes all fields": event id, timestamp, user email and id,
//! action, category, resource, status, IP, user agent, changes, request, response) and the
//! "summarized" CSV (`Timestamp,User,Action,Resource,Status,IP Address,Details`) whose times are
//! `YYYY-MM-DD HH:MM:SS` without a zone (UTC assumed, flagged).
//!
//! Quirks: category and status are explicit (the UI's filter values), so they win over action
//! heuristics; `policy.violation` is an authorization failure; `deployment.failed` an
//! operation failure.

use super::{any_text, first, loose, loose_text, set_time_loose, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The ops0 format.
pub struct Ops0;

impl Format for Ops0 {
    fn id(&self) -> &'static str {
        "ops0"
    }
    fn name(&self) -> &'static str {
        "ops0 audit log"
    }
    fn completed_log(&self) -> bool {
        true
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let has = |n: &str| rec.get_folded(n).is_some();
        if !(has("action")
            && has("status")
            && (has("user") || has("useremail"))
            && has("timestamp"))
        {
            return 0;
        }
        let mut s = 60;
        for k in [
            "resource",
            "ipaddress",
            "eventid",
            "category",
            "details",
            "changes",
        ] {
            if has(k) {
                s += 6;
            }
        }
        if has("createdat") || has("entitytype") {
            s -= 30;
        }
        s.min(95)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        set_time_loose(d, rec, &["timestamp", "time"], ctx)?;
        d.action = loose_text(rec, &["action"]);
        d.uid = loose_text(rec, &["eventid", "id"]);
        // User: an email string, or an object {email, id}.
        match loose(rec, &["user"]) {
            Some(u) if u.kind() == Kind::Obj => {
                d.actor_name = first(u, &["email", "name"]);
                d.actor_id = first(u, &["id", "userId"]);
            }
            u => d.actor_name = text(u),
        }
        if d.actor_name.is_none() {
            d.actor_name = loose_text(rec, &["useremail", "email"]);
        }
        if d.actor_id.is_none() {
            d.actor_id = loose_text(rec, &["userid"]);
        }
        d.actor_kind = Some(match d.actor_name.as_deref() {
            Some(n) if n.eq_ignore_ascii_case("system") => PrincipalKind::System,
            Some(_) => PrincipalKind::User,
            None => PrincipalKind::Unknown,
        });
        d.src = loose_text(rec, &["ipaddress", "ip"]);
        d.user_agent = loose_text(rec, &["useragent"]);
        match loose(rec, &["resource"]) {
            Some(r) if r.kind() == Kind::Obj => d.target(
                first(r, &["type", "resourceType"]),
                first(r, &["id", "resourceId"]),
                first(r, &["name", "resourceName"]),
            ),
            r => {
                let ty = loose_text(rec, &["resourcetype"]);
                let id = loose_text(rec, &["resourceid"]);
                d.target(ty, id, text(r));
            }
        }
        if let Some(c) = loose(rec, &["changes"]) {
            if c.kind() == Kind::Obj {
                d.before = any_text(c.get("before").or_else(|| c.get("old")));
                d.after = any_text(c.get("after").or_else(|| c.get("new")));
                if d.before.is_none() && d.after.is_none() {
                    d.after = any_text(Some(c));
                }
                if let Some(e) = first(c, &["error"]) {
                    d.reason = Some(e);
                }
            }
        }
        for k in ["details", "request", "response"] {
            if let Some(t) = any_text(loose(rec, &[k])) {
                d.text.push(t);
            }
        }
        if d.reason.is_none() {
            d.reason = loose(rec, &["details", "response"])
                .and_then(|v| first(v, &["error", "reason", "message"]));
        }
        if let Some(r) = loose(rec, &["request"]) {
            d.correlation = first(r, &["deployment_id", "request_id", "requestId", "id"]);
        }
        if let Some(cat) = loose_text(rec, &["category"]) {
            d.category = category(&cat).map(|c| (c, "ops0:category"));
        }
        let status = loose_text(rec, &["status"]);
        let failed = status.as_deref().is_some_and(|s| {
            let l = s.to_ascii_lowercase();
            l.starts_with("fail") || l == "error" || l == "denied"
        });
        let action = d.action.as_deref().unwrap_or("");
        d.outcome = Some(match (status.as_deref(), failed) {
            (_, true) if action == "policy.violation" => (
                Outcome::Failure,
                FailureKind::AuthZ,
                "ops0:policy.violation",
            ),
            (_, true)
                if matches!(d.category, Some((Category::Authentication, _)))
                    || action.contains("login") =>
            {
                (Outcome::Failure, FailureKind::AuthN, "ops0:status")
            }
            (_, true) => (Outcome::Failure, FailureKind::Operation, "ops0:status"),
            (Some(s), false)
                if s.eq_ignore_ascii_case("success") || s.eq_ignore_ascii_case("succeeded") =>
            {
                (Outcome::Success, FailureKind::None, "ops0:status")
            }
            _ => return Ok(()),
        });
        d.status_code = status;
        Ok(())
    }
}

/// The UI's category filter values → ours.
fn category(label: &str) -> Option<Category> {
    Some(match label.trim().to_ascii_lowercase().as_str() {
        "authentication" | "auth" => Category::Authentication,
        "users" | "user management" | "user" => Category::Identity,
        "projects" | "deployments" | "workflows" => Category::Resource,
        "integrations" | "policies" | "settings" => Category::Configuration,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        let mut d = Draft::default();
        Ops0.map(doc.root(), &Ctx::default(), &mut d).unwrap();
        crate::derive::apply(&mut d, true);
        d
    }

    #[test]
    fn summarized_csv_row() {
        let d = map(
            r#"{"Timestamp":"2024-01-15 10:30:45","User":"john@example.com","Action":"deployed","Resource":"vpc-production","Status":"Success","IP Address":"192.168.1.100","Details":"terraform apply"}"#,
        );
        assert_eq!(d.time.unwrap().flags, crate::time::ZONE_ASSUMED);
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
        assert_eq!(d.targets[0].2.as_deref(), Some("vpc-production"));
    }

    #[test]
    fn failed_deployment_with_changes() {
        let d = map(
            r#"{"eventId":"evt_abc123xyz","timestamp":"2024-01-15 14:30:45 UTC","user":"sarah@acme.com","userId":"usr_456","action":"deployment.failed","category":"Deployments","resource":{"type":"project","id":"prj_1","name":"api-infrastructure"},"status":"Failed","ipAddress":"192.168.1.50","userAgent":"Chrome/120.0","changes":{"error":"Policy violation: S3 encryption required","resources_planned":5},"request":{"deployment_id":"dep_789","trigger":"manual"}}"#,
        );
        assert_eq!(d.outcome.unwrap().1, FailureKind::Operation);
        assert_eq!(d.category.unwrap().0, Category::Resource);
        assert_eq!(d.correlation.as_deref(), Some("dep_789"));
        assert_eq!(
            d.reason.as_deref(),
            Some("Policy violation: S3 encryption required")
        );
        assert_eq!(d.uid.as_deref(), Some("evt_abc123xyz"));
    }

    #[test]
    fn failed_login_is_authn() {
        let d = map(
            r#"{"timestamp":"2024-01-15T10:00:00Z","user":"a@b.c","action":"user.login","category":"Authentication","status":"Failed"}"#,
        );
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthN);
    }
}
