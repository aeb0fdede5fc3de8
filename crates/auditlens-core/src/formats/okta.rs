//! Okta System Log (`/api/v1/logs` LogEvent objects).
//!
//! Recognised by `eventType` + `published` with the `actor`/`outcome` objects and a `uuid`.
//! Containers: the API's JSON array, JSONL from log streaming / SIEM exports, and the Cribl
//! `_raw` wrapper (decoded by ingest before this mapper sees the record).
//!
//! Mapping:
//! - time `published`; action `eventType` (verbatim); uid `uuid`; correlation `transaction.id`
//!   (Okta writes `"unknown"` for system jobs; then `authenticationContext.externalSessionId`).
//! - actor `actor.alternateId` (the login) / `actor.id`; kind from `actor.type`: `User` → user,
//!   `SystemPrincipal` → system, `PublicClientApp`/`AppInstance`/`Client` → service account.
//! - source `client.ipAddress` (null for system events; then the first `request.ipChain[].ip`),
//!   user agent `client.userAgent.rawUserAgent`, country `client.geographicalContext.country`.
//! - targets `target[]` in order: type, id, and the login (`alternateId`) for users or the
//!   `displayName` otherwise.
//! - outcome `outcome.result`: SUCCESS/ALLOW → success; FAILURE/DENY → failure with
//!   `outcome.reason` (credential reasons such as INVALID_CREDENTIALS → AuthN, DENY → AuthZ,
//!   rate limits → throttled); CHALLENGE/SKIPPED/UNKNOWN → unknown (a challenge is neither).
//!   A failed authentication marks the actor name as unverified.
//! - category from the `eventType` prefix table of the design notes (A.7.2); activity from a
//!   few Okta-specific verbs (`session.start`, `auth_via_*`, `rollover`, `bootstrap`), the rest
//!   from the generic action tokens.
//!
//! Quirks: `debugContext.debugData` values are strings that embed `{k=v, …}` and JSON
//! (`logOnlySecurityData`): kept for search as text, not parsed; `alternateId`/`displayName`
//! are sometimes the literal `"unknown"`; the `target` array order is kept.

use std::borrow::Cow;

use super::{any_text, set_time, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The Okta System Log format.
pub struct Okta;

impl Format for Okta {
    fn id(&self) -> &'static str {
        "okta"
    }
    fn name(&self) -> &'static str {
        "Okta System Log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("okta", "okta")
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        if rec.get("eventType").is_none() || rec.get("published").is_none() {
            return 0;
        }
        let mut s = 60;
        for (k, w) in [
            ("actor", 10),
            ("outcome", 8),
            ("uuid", 8),
            ("displayMessage", 4),
            ("legacyEventType", 4),
            ("client", 3),
        ] {
            if rec.get(k).is_some() {
                s += w;
            }
        }
        s.min(97)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        set_time(d, rec, &["published"], ctx)?;
        d.action = text(rec.get("eventType"));
        let action = d.action.clone().unwrap_or_default();
        d.uid = text(rec.get("uuid"));
        d.correlation = known(text(rec.path("transaction.id")))
            .or_else(|| known(text(rec.path("authenticationContext.externalSessionId"))));

        if let Some(a) = rec.get("actor").filter(|a| a.kind() == Kind::Obj) {
            d.actor_id = known(text(a.get("id")));
            d.actor_name =
                known(text(a.get("alternateId"))).or_else(|| known(text(a.get("displayName"))));
            d.actor_kind = Some(actor_kind(text(a.get("type")).as_deref()));
            if let Some(dn) = known(text(a.get("displayName"))) {
                d.text.push(dn);
            }
        }

        if let Some(c) = rec.get("client").filter(|c| c.kind() == Kind::Obj) {
            d.src = text(c.get("ipAddress"));
            d.user_agent = known(text(c.path("userAgent.rawUserAgent")));
            d.country = text(c.path("geographicalContext.country"));
        }
        if d.src.is_none() {
            d.src = rec
                .path("request.ipChain")
                .and_then(|ch| ch.elements().find_map(|e| text(e.get("ip"))));
        }

        if let Some(ts) = rec.get("target") {
            for t in ts.elements() {
                let kind = text(t.get("type"));
                let is_user = kind
                    .as_deref()
                    .is_some_and(|k| k == "User" || k == "AppUser");
                let alt = known(text(t.get("alternateId")));
                let disp = known(text(t.get("displayName")));
                let name = if is_user { alt.or(disp) } else { disp.or(alt) };
                d.target(kind, known(text(t.get("id"))), name);
            }
        }

        for p in [
            "displayMessage",
            "legacyEventType",
            "severity",
            "transaction.type",
        ] {
            if let Some(t) = text(rec.path(p)) {
                d.text.push(t);
            }
        }
        if let Some(t) = any_text(rec.path("debugContext.debugData")) {
            d.text.push(t);
        }

        if let Some((c, rule)) = category(&action) {
            d.category = Some((c, rule));
        }
        if let Some(a) = activity(&action) {
            d.activity = Some((a, "okta:eventType"));
        }

        let result = text(rec.path("outcome.result"));
        let reason = text(rec.path("outcome.reason"));
        let auth = matches!(d.category, Some((Category::Authentication, _)));
        if let Some(r) = result.as_deref() {
            d.outcome = Some(outcome(r, reason.as_deref(), &action, auth));
        }
        if matches!(d.outcome, Some((Outcome::Failure, FailureKind::AuthN, _))) {
            d.actor_unverified = true;
        }
        d.status_code = result;
        d.reason = reason;
        Ok(())
    }
}

/// Okta writes `"unknown"` (and sometimes `"null"`) where it has no value.
fn known(v: Option<Cow<'_, str>>) -> Option<Cow<'_, str>> {
    v.filter(|s| !s.eq_ignore_ascii_case("unknown") && !s.eq_ignore_ascii_case("null"))
}

fn actor_kind(t: Option<&str>) -> PrincipalKind {
    match t {
        Some("User") => PrincipalKind::User,
        Some("SystemPrincipal") => PrincipalKind::System,
        Some("PublicClientApp" | "AppInstance" | "Client" | "ServiceApp") => {
            PrincipalKind::ServiceAccount
        }
        Some(_) | None => PrincipalKind::Unknown,
    }
}

/// The prefix table of the design notes (A.7.2), most specific first.
fn category(a: &str) -> Option<(Category, &'static str)> {
    const RULE: &str = "okta:eventType_prefix";
    let starts = |p: &[&str]| p.iter().any(|x| a.starts_with(x));
    let c = if starts(&[
        "user.session.",
        "user.authentication.",
        "policy.evaluate_sign_on",
        "user.account.lock",
        "user.account.unlock",
    ]) {
        Category::Authentication
    } else if starts(&[
        "user.mfa.",
        "user.account.update_password",
        "user.account.reset_password",
        "user.credential.",
        "user.factor.",
        "system.api_token.",
        "app.oauth2.",
        "oauth2.claim.",
        "credential.",
    ]) {
        Category::Credential
    } else if starts(&[
        "user.lifecycle.",
        "user.account.privilege.",
        "user.account.",
        "group.",
        "application.user_membership.",
        "app.user_management",
        "iam.",
        "directory.user_profile.",
        "directory.app_user_profile.",
    ]) || a.contains(".privilege.")
    {
        Category::Identity
    } else if starts(&[
        "policy.",
        "zone.",
        "system.",
        "application.",
        "event_hook.",
        "inline_hook.",
        "security.",
        "directory.",
        "oauth2.",
        "org.",
        "brand.",
        "domain.",
    ]) {
        Category::Configuration
    } else {
        return None;
    };
    Some((c, RULE))
}

/// Okta-specific verbs the generic token heuristic would get wrong.
fn activity(a: &str) -> Option<Activity> {
    Some(
        if a.starts_with("user.session.start")
            || a.starts_with("user.authentication.")
            || a == "policy.evaluate_sign_on"
        {
            Activity::Logon
        } else if a.starts_with("user.session.end") {
            Activity::Logoff
        } else if a.contains("_membership.add") {
            Activity::Assign
        } else if a.contains("_membership.remove") {
            Activity::Revoke
        } else if a.ends_with(".rollover") {
            Activity::Update
        } else if a.ends_with(".bootstrap") {
            Activity::Create
        } else if a == "user.account.lock" || a.starts_with("user.account.lock.") {
            Activity::Disable
        } else if a == "user.account.unlock" || a.starts_with("user.account.unlock") {
            Activity::Enable
        } else {
            return None;
        },
    )
}

fn outcome(
    result: &str,
    reason: Option<&str>,
    action: &str,
    auth: bool,
) -> (Outcome, FailureKind, &'static str) {
    const RULE: &str = "okta:outcome.result";
    match result.to_ascii_uppercase().as_str() {
        "SUCCESS" | "ALLOW" => (Outcome::Success, FailureKind::None, RULE),
        "FAILURE" | "DENY" => {
            let r = reason.unwrap_or("").to_ascii_uppercase();
            let kind = if action.contains("rate_limit")
                || r.contains("RATE_LIMIT")
                || r.contains("TOO_MANY")
            {
                FailureKind::Throttled
            } else if [
                "INVALID_CREDENTIALS",
                "VERIFICATION_ERROR",
                "LOCKED_OUT",
                "INVALID_CREDENTIAL",
                "PASSWORD_EXPIRED",
                "UNKNOWN_USER",
                "INVALID_FACTOR",
                "MFA_ENROLL_REQUIRED",
            ]
            .iter()
            .any(|x| r.contains(x))
            {
                FailureKind::AuthN
            } else if result.eq_ignore_ascii_case("DENY")
                || r.contains("DENIED")
                || r.contains("NOT_ASSIGNED")
                || r.contains("POLICY")
            {
                FailureKind::AuthZ
            } else if auth {
                FailureKind::AuthN
            } else {
                FailureKind::Operation
            };
            (Outcome::Failure, kind, RULE)
        }
        _ => (Outcome::Unknown, FailureKind::None, RULE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).expect("json")));
        assert!(Okta.sniff(doc.root(), &Ctx::default()) >= 70);
        let mut d = Draft::default();
        Okta.map(doc.root(), &Ctx::default(), &mut d).expect("maps");
        crate::derive::apply(&mut d, Okta.completed_log());
        d
    }

    const LOGIN_FAIL: &str = r#"{"uuid":"u-1","published":"2025-01-02T03:04:05.678Z","eventType":"user.session.start",
        "actor":{"id":"00u1","type":"User","alternateId":"mallory@example.com","displayName":"unknown"},
        "client":{"userAgent":{"rawUserAgent":"curl/8.0","os":"Unknown","browser":"UNKNOWN"},"ipAddress":"198.51.100.4",
          "geographicalContext":{"country":"Germany","city":"Berlin"}},
        "outcome":{"result":"FAILURE","reason":"INVALID_CREDENTIALS"},
        "transaction":{"type":"WEB","id":"tx-9"},"target":[]}"#;

    #[test]
    fn failed_sign_in_is_an_authn_failure_with_an_unverified_actor() {
        let d = map(LOGIN_FAIL);
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthN))
        );
        assert_eq!(d.category.map(|c| c.0), Some(Category::Authentication));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Logon));
        assert!(d.actor_unverified);
        assert_eq!(d.actor_name.as_deref(), Some("mallory@example.com"));
        assert_eq!(d.reason.as_deref(), Some("INVALID_CREDENTIALS"));
        assert_eq!(d.status_code.as_deref(), Some("FAILURE"));
        assert_eq!(d.country.as_deref(), Some("Germany"));
        assert_eq!(d.user_agent.as_deref(), Some("curl/8.0"));
        assert_eq!(d.correlation.as_deref(), Some("tx-9"));
        assert_eq!(d.uid.as_deref(), Some("u-1"));
    }

    #[test]
    fn system_principal_without_client_ip_and_unknown_transaction() {
        let d = map(
            r#"{"uuid":"u-2","published":"2025-01-02T03:04:05Z","eventType":"user.account.privilege.grant",
            "actor":{"id":"spr1","type":"SystemPrincipal","alternateId":"system@okta.com","displayName":"Okta System"},
            "client":{"userAgent":null,"ipAddress":null,"geographicalContext":null},
            "authenticationContext":{"externalSessionId":"trs-1"},
            "outcome":{"result":"SUCCESS","reason":null},"transaction":{"type":null,"id":"unknown","detail":{}},
            "request":{"ipChain":[]},
            "target":[{"id":"00u2","type":"User","alternateId":"jdoe@example.com","displayName":"John Doe"},
                      {"id":"SuperOrgAdmin","type":"ROLE","alternateId":"KNK","displayName":"Super Organization Administrator"}]}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::System));
        assert!(d.src.is_none());
        assert_eq!(
            d.correlation.as_deref(),
            Some("trs-1"),
            "transaction id 'unknown' is skipped"
        );
        assert_eq!(d.category.map(|c| c.0), Some(Category::Identity));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Assign));
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Success));
        assert_eq!(d.targets.len(), 2);
        assert_eq!(
            d.targets[0].2.as_deref(),
            Some("jdoe@example.com"),
            "users are named by login"
        );
        assert_eq!(
            d.targets[1].2.as_deref(),
            Some("Super Organization Administrator")
        );
    }

    #[test]
    fn challenge_is_unknown_not_failure() {
        let d = map(
            r#"{"uuid":"u-3","published":"2025-01-02T03:04:05Z","eventType":"policy.evaluate_sign_on",
            "actor":{"id":"00u1","type":"User","alternateId":"a@example.com"},
            "client":{"ipAddress":null},"request":{"ipChain":[{"ip":"203.0.113.7"}]},
            "outcome":{"result":"CHALLENGE","reason":"Sign-on policy evaluation resulted in ENROLL"}}"#,
        );
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Unknown));
        assert!(!d.actor_unverified);
        assert_eq!(
            d.src.as_deref(),
            Some("203.0.113.7"),
            "falls back to request.ipChain"
        );
        assert_eq!(d.category.map(|c| c.0), Some(Category::Authentication));
    }

    #[test]
    fn deny_is_authz_and_rate_limit_is_throttled() {
        let d = map(
            r#"{"uuid":"u-4","published":"2025-01-02T03:04:05Z","eventType":"policy.evaluate_sign_on",
            "actor":{"type":"User","alternateId":"a@example.com"},"outcome":{"result":"DENY","reason":"Denied by policy"}}"#,
        );
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthZ))
        );
        let d = map(
            r#"{"uuid":"u-5","published":"2025-01-02T03:04:05Z","eventType":"system.org.rate_limit.violation",
            "actor":{"type":"PublicClientApp","id":"0oa1","alternateId":"my-app"},"outcome":{"result":"FAILURE"}}"#,
        );
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::Throttled))
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
    }

    #[test]
    fn category_prefix_table() {
        let c = |a: &str| category(a).map(|x| x.0);
        assert_eq!(c("user.mfa.factor.deactivate"), Some(Category::Credential));
        assert_eq!(c("system.api_token.create"), Some(Category::Credential));
        assert_eq!(
            c("system.log_stream.lifecycle.deactivate"),
            Some(Category::Configuration)
        );
        assert_eq!(c("group.user_membership.add"), Some(Category::Identity));
        assert_eq!(
            c("application.lifecycle.update"),
            Some(Category::Configuration)
        );
        assert_eq!(
            c("user.authentication.auth_via_mfa"),
            Some(Category::Authentication)
        );
        assert_eq!(c("something.new"), None);
    }

    #[test]
    fn sniff_rejects_other_formats() {
        let doc =
            Doc::parse(br#"{"action":"repo.create","created_at":1,"actor":"x"}"#).expect("json");
        assert_eq!(Okta.sniff(doc.root(), &Ctx::default()), 0);
    }
}
