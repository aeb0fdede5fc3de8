//! OpsKnight audit log (seed 003).
//!
//! Records: `{"action","entityType","entityId","actorId","details":{…},"createdAt"}`. The UI
//! shows the latest 250 events only (an export of exactly 250 records may be truncated).
//!
//! Quirks: `action` mixes SCREAMING_CASE (`LOGIN_FAILED`, `LOGIN_BLOCKED`) and dotted style
//! (`user.role.updated`); case is normalized only for matching. `entityId` can be compound
//! (`team_123:user_456`); `details.userId` names the target user.

use super::{any_text, first, loose, loose_text, set_time_loose, Ctx, Format};
use crate::json::Val;
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The OpsKnight format.
pub struct OpsKnight;

impl Format for OpsKnight {
    fn id(&self) -> &'static str {
        "opsknight"
    }
    fn name(&self) -> &'static str {
        "OpsKnight audit log"
    }
    fn completed_log(&self) -> bool {
        true
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let has = |n: &str| rec.get_folded(n).is_some();
        if !has("action") || !(has("entitytype") || has("actorid")) {
            return 0;
        }
        let mut s = 60;
        for k in ["entitytype", "entityid", "actorid", "details", "createdat"] {
            if has(k) {
                s += 7;
            }
        }
        s.min(95)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        set_time_loose(d, rec, &["createdat", "timestamp"], ctx)?;
        d.action = loose_text(rec, &["action"]);
        d.uid = loose_text(rec, &["id"]);
        d.actor_id = loose_text(rec, &["actorid"]);
        let details = loose(rec, &["details"]);
        // `details.email` is the account a login attempt named (the actor of LOGIN_* and
        // PASSWORD_* events) but the *target* user's address on user.* / team.* events.
        let action_upper = loose_text(rec, &["action"])
            .map(|a| a.to_ascii_uppercase())
            .unwrap_or_default();
        let self_event = action_upper.starts_with("LOGIN_")
            || action_upper.starts_with("PASSWORD_")
            || action_upper == "LOGOUT";
        d.actor_name = loose_text(rec, &["actoremail", "actorname", "actor"])
            .or_else(|| details.and_then(|x| first(x, &["actorEmail", "actorName"])))
            .or_else(|| {
                if self_event {
                    details.and_then(|x| first(x, &["email"]))
                } else {
                    None
                }
            });
        d.actor_kind = Some(match (d.actor_id.as_deref(), d.actor_name.as_deref()) {
            (None, None) => PrincipalKind::System,
            (Some(i), _) | (None, Some(i)) if i.eq_ignore_ascii_case("system") => {
                PrincipalKind::System
            }
            _ => PrincipalKind::User,
        });
        d.src = loose_text(rec, &["ipaddress", "ip"])
            .or_else(|| details.and_then(|x| first(x, &["ipAddress", "ip"])));
        d.user_agent = loose_text(rec, &["useragent"])
            .or_else(|| details.and_then(|x| first(x, &["userAgent"])));
        d.target(
            loose_text(rec, &["entitytype"]),
            loose_text(rec, &["entityid"]),
            None,
        );
        if let Some(det) = details {
            if let Some(u) = first(det, &["userId", "targetUserId"]) {
                d.target(
                    Some("USER".into()),
                    Some(u),
                    first(det, &["email", "userEmail"]),
                );
            }
            d.reason = first(det, &["reason", "error"]);
            if det.get("oldRole").is_some() || det.get("newRole").is_some() {
                d.before = any_text(det.get("oldRole"));
                d.after = any_text(det.get("newRole"));
            } else if det.get("before").is_some() || det.get("after").is_some() {
                d.before = any_text(det.get("before"));
                d.after = any_text(det.get("after"));
            }
            if let Some(t) = any_text(Some(det)) {
                d.text.push(t);
            }
        }
        let a = d.action.as_deref().unwrap_or("").to_ascii_uppercase();
        let auth = |act, out, kind, rule| {
            (
                Some((Category::Authentication, rule)),
                Some((act, rule)),
                Some((out, kind, rule)),
            )
        };
        let (c, act, o) = match a.as_str() {
            "LOGIN_SUCCESS" => auth(
                Activity::Logon,
                Outcome::Success,
                FailureKind::None,
                "opsknight:LOGIN_SUCCESS",
            ),
            "LOGIN_FAILED" => auth(
                Activity::Logon,
                Outcome::Failure,
                FailureKind::AuthN,
                "opsknight:LOGIN_FAILED",
            ),
            "LOGIN_BLOCKED" => auth(
                Activity::Logon,
                Outcome::Failure,
                FailureKind::AuthN,
                "opsknight:LOGIN_BLOCKED",
            ),
            "LOGOUT" => auth(
                Activity::Logoff,
                Outcome::Success,
                FailureKind::None,
                "opsknight:LOGOUT",
            ),
            _ => (None, None, None),
        };
        if a.starts_with("LOGIN_") && o.map(|x| x.0) == Some(Outcome::Failure) {
            d.actor_unverified = true;
        }
        d.category = c;
        d.activity = act;
        d.outcome = o;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        let mut d = Draft::default();
        OpsKnight.map(doc.root(), &Ctx::default(), &mut d).unwrap();
        crate::derive::apply(&mut d, true);
        d
    }

    #[test]
    fn seed_example() {
        let d = map(
            r#"{"action":"team.member.added","entityType":"TEAM_MEMBER","entityId":"team_123:user_456","actorId":"user_admin_789","details":{"teamId":"team_123","userId":"user_456","role":"MEMBER"},"createdAt":"2024-01-15T10:30:45Z"}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Identity);
        assert_eq!(d.targets.len(), 2);
        assert_eq!(d.targets[1].1.as_deref(), Some("user_456"));
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
    }

    #[test]
    fn screaming_case_logins() {
        let d = map(
            r#"{"action":"LOGIN_BLOCKED","entityType":"USER","entityId":"u1","actorId":"u1","createdAt":"2024-01-15T10:30:45Z"}"#,
        );
        assert_eq!(
            d.outcome.unwrap(),
            (
                Outcome::Failure,
                FailureKind::AuthN,
                "opsknight:LOGIN_BLOCKED"
            )
        );
        assert_eq!(d.activity.unwrap().0, Activity::Logon);
        let d = map(
            r#"{"action":"LOGOUT","entityType":"USER","entityId":"u1","actorId":"u1","createdAt":"2024-01-15T10:30:45Z"}"#,
        );
        assert_eq!(d.activity.unwrap().0, Activity::Logoff);
    }

    #[test]
    fn details_email_is_the_target_on_user_events_and_the_actor_on_logins() {
        let d = map(
            r#"{"action":"user.role.updated","entityType":"USER","entityId":"u2","actorId":"admin1","details":{"userId":"u2","email":"bob@x.io","newRole":"ADMIN"},"createdAt":"2024-01-15T10:30:45Z"}"#,
        );
        assert_eq!(d.actor_name, None, "bob is the target, not the actor");
        assert!(d.targets.iter().any(|t| t.2.as_deref() == Some("bob@x.io")));
        let d = map(
            r#"{"action":"LOGIN_FAILED","entityType":"USER","entityId":"u2","actorId":"u2","details":{"email":"bob@x.io"},"createdAt":"2024-01-15T10:30:45Z"}"#,
        );
        assert_eq!(d.actor_name.as_deref(), Some("bob@x.io"));
    }
}
