//! Google Workspace Admin SDK Reports API activities (`admin#reports#activity`).
//!
//! Recognised by `kind == "admin#reports#activity"`, or by an `id` object with `time` and
//! `applicationName` next to `events`. Containers: the API's `{"items":[…]}` page, a JSON
//! array, and NDJSON (SIEM exports). Applications: `login` in detail (the one with failed
//! sign-ins), `saml`, `admin`, `token`, `drive`, … through the same mapping.
//!
//! Mapping:
//! - time `id.time`; service `id.applicationName`; tenant `ownerDomain`, else `id.customerId`.
//! - action: the event `name` (`login_failure`, `2sv_disable`, `CHANGE_PASSWORD`); the event
//!   `type` (`login`, `account_warning`, `USER_SETTINGS`) is kept for search.
//! - `id.uniqueQualifier` only distinguishes activities that share a timestamp, and every
//!   event of one activity shares it, so it is the correlation id, not a unique event id.
//! - actor `actor.email` / `actor.profileId`; `callerType` `KEY` → API key (`actor.key` as the
//!   credential); source `ipAddress`.
//! - parameters `[{name, value | intValue | boolValue | multiValue | multiIntValue}]` are read
//!   by name and all kept as `name=value` text: `login_type`, `login_challenge_method` (MFA
//!   when a method other than a password was used), `is_suspicious`, `login_failure_type`
//!   (reason), `affected_email_address` / `USER_EMAIL` (target user).
//! - outcome: `login_failure` → AuthN failure (unverified actor); `login_challenge` /
//!   `login_verification` by `login_challenge_status` (passed → success, failed → AuthN
//!   failure); `login_success`/`logout` → success; `risky_sensitive_action_blocked` → AuthZ;
//!   `account_disabled_*` warnings → success (the account was disabled); other warnings
//!   (`suspicious_login`, `gov_attack_warning`, leaked password) → unknown. Admin-console
//!   activities record completed changes (unknown unless the event name says otherwise).
//!
//! Quirks: `events` is an array in the API but a single object in some exports (both are
//! read; the first event is the primary one, all names are kept as text); `uniqueQualifier`
//! and `profileId` are numbers or strings; `login_timestamp` is epoch **microseconds** (shown
//! as RFC 3339 in the text).

use std::borrow::Cow;

use super::{set_time, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The Google Workspace Reports format.
pub struct GWorkspace;

impl Format for GWorkspace {
    fn id(&self) -> &'static str {
        "gworkspace"
    }
    fn name(&self) -> &'static str {
        "Google Workspace audit (Reports API)"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("gcp", "google_workspace.admin")
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        if text(rec.get("kind")).as_deref() == Some("admin#reports#activity") {
            return 98;
        }
        let id = rec.get("id").filter(|v| v.kind() == Kind::Obj);
        match id {
            Some(id)
                if id.get("time").is_some()
                    && id.get("applicationName").is_some()
                    && rec.get("events").is_some() =>
            {
                85
            }
            _ => 0,
        }
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        set_time(d, rec, &["id.time"], ctx)?;
        let app = text(rec.path("id.applicationName"));
        d.service = app.clone();
        d.tenant = text(rec.get("ownerDomain")).or_else(|| text(rec.path("id.customerId")));
        d.correlation = text(rec.path("id.uniqueQualifier"));

        // Events: an array (API) or a single object (some exports).
        let evs: Vec<Val<'_, 'a>> = match rec.get("events") {
            Some(e) if e.kind() == Kind::Arr => {
                e.elements().filter(|x| x.kind() == Kind::Obj).collect()
            }
            Some(e) if e.kind() == Kind::Obj => vec![e],
            _ => Vec::new(),
        };
        let ev = evs.first().copied().ok_or("no events in the activity")?;
        d.action = text(ev.get("name"));
        let name = d.action.clone().unwrap_or_default();
        let etype = text(ev.get("type")).unwrap_or_default();
        for e in &evs {
            for k in ["type", "name"] {
                if let Some(t) = text(e.get(k)) {
                    d.text.push(t);
                }
            }
            if let Some(ps) = e.get("parameters") {
                for p in ps.elements() {
                    if let (Some(n), Some(v)) = (text(p.get("name")), param_value(p)) {
                        d.text.push(Cow::Owned(format!("{n}={}", render(&n, &v))));
                    }
                }
            }
        }
        let param = |n: &str| -> Option<Cow<'a, str>> {
            ev.get("parameters")?
                .elements()
                .find(|p| text(p.get("name")).as_deref() == Some(n))
                .and_then(param_value)
        };

        // Actor.
        d.actor_name = text(rec.path("actor.email"));
        d.actor_id = text(rec.path("actor.profileId"));
        let caller = text(rec.path("actor.callerType"));
        d.actor_kind = Some(match caller.as_deref() {
            Some("KEY") => {
                d.credential = text(rec.path("actor.key"));
                PrincipalKind::ApiKey
            }
            _ if d
                .actor_name
                .as_deref()
                .is_some_and(|n| n.ends_with(".gserviceaccount.com")) =>
            {
                PrincipalKind::ServiceAccount
            }
            Some(_) => PrincipalKind::User,
            None if d.actor_name.is_some() || d.actor_id.is_some() => PrincipalKind::User,
            None => PrincipalKind::Unknown,
        });
        d.src = text(rec.get("ipAddress"));

        // Targets.
        for (p, kind) in [
            ("affected_email_address", "user"),
            ("USER_EMAIL", "user"),
            ("GROUP_EMAIL", "group"),
            ("ROLE_NAME", "role"),
            ("doc_title", "document"),
            ("APP_NAME", "application"),
            ("app_name", "application"),
        ] {
            if let Some(v) = param(p) {
                d.target(Some(kind.into()), None, Some(v));
            }
        }
        if let Some(doc) = param("doc_id") {
            if !d.targets.iter().any(|t| t.0.as_deref() == Some("document")) {
                d.target(Some("document".into()), Some(doc), None);
            } else if let Some(t) = d
                .targets
                .iter_mut()
                .find(|t| t.0.as_deref() == Some("document"))
            {
                t.1 = Some(doc);
            }
        }

        // MFA from the challenge method(s): set below for sign-ins that did not fail.
        let strong = param("login_challenge_method").map(|m| {
            m.split(',')
                .map(str::trim)
                .any(|x| !x.is_empty() && x != "password" && x != "none")
        });
        if param("is_suspicious").as_deref() == Some("true") {
            d.reason = Some("is_suspicious=true".into());
        }

        // Category, activity, outcome.
        const RULE: &str = "gworkspace:event_name";
        let set =
            |d: &mut Draft<'a>, c: Category, a: Activity, o: Option<(Outcome, FailureKind)>| {
                d.category = Some((c, RULE));
                d.activity = Some((a, RULE));
                if let Some((o, k)) = o {
                    d.outcome = Some((o, k, RULE));
                }
            };
        let status = param("login_challenge_status").map(|s| s.to_ascii_lowercase());
        let challenge_outcome = match status.as_deref() {
            Some(s) if s.contains("pass") => Some((Outcome::Success, FailureKind::None)),
            Some(s) if s.contains("fail") => Some((Outcome::Failure, FailureKind::AuthN)),
            _ => Some((Outcome::Unknown, FailureKind::None)),
        };
        match &*name {
            "login_success" => set(
                d,
                Category::Authentication,
                Activity::Logon,
                Some((Outcome::Success, FailureKind::None)),
            ),
            "login_failure" => {
                set(
                    d,
                    Category::Authentication,
                    Activity::Logon,
                    Some((Outcome::Failure, FailureKind::AuthN)),
                );
                d.actor_unverified = true;
                d.reason = param("login_failure_type").or(d.reason.take());
            }
            "login_challenge" | "login_verification" => {
                set(
                    d,
                    Category::Authentication,
                    Activity::Other,
                    challenge_outcome,
                );
                if matches!(d.outcome, Some((Outcome::Failure, _, _))) {
                    d.actor_unverified = true;
                }
                d.status_code = param("login_challenge_status");
            }
            "logout" => set(
                d,
                Category::Authentication,
                Activity::Logoff,
                Some((Outcome::Success, FailureKind::None)),
            ),
            "risky_sensitive_action_allowed" => set(
                d,
                Category::Authentication,
                Activity::Other,
                Some((Outcome::Success, FailureKind::None)),
            ),
            "risky_sensitive_action_blocked" => set(
                d,
                Category::Authentication,
                Activity::Other,
                Some((Outcome::Failure, FailureKind::AuthZ)),
            ),
            "password_edit"
            | "recovery_email_edit"
            | "recovery_phone_edit"
            | "recovery_secret_qa_edit" => set(
                d,
                Category::Credential,
                Activity::Update,
                Some((Outcome::Success, FailureKind::None)),
            ),
            "2sv_enroll" | "titanium_enroll" => set(
                d,
                Category::Credential,
                Activity::Enable,
                Some((Outcome::Success, FailureKind::None)),
            ),
            "2sv_disable" | "titanium_unenroll" => set(
                d,
                Category::Credential,
                Activity::Disable,
                Some((Outcome::Success, FailureKind::None)),
            ),
            n if n.starts_with("account_disabled_") => set(
                d,
                Category::Identity,
                Activity::Disable,
                Some((Outcome::Success, FailureKind::None)),
            ),
            n if n.starts_with("suspicious_login")
                || n.starts_with("suspicious_programmatic_login") =>
            {
                set(
                    d,
                    Category::Authentication,
                    Activity::Logon,
                    Some((Outcome::Unknown, FailureKind::None)),
                )
            }
            _ if etype == "account_warning" => set(
                d,
                Category::Other,
                Activity::Other,
                Some((Outcome::Unknown, FailureKind::None)),
            ),
            _ => {
                if app.as_deref() == Some("login") && etype == "login" {
                    d.category = Some((Category::Authentication, "gworkspace:event_type"));
                }
            }
        }
        let signin = name.starts_with("login_") || name == "risky_sensitive_action_allowed";
        if signin && !matches!(d.outcome, Some((Outcome::Failure, _, _))) {
            d.mfa = strong;
        }
        Ok(())
    }
}

/// The typed value of a `parameters[]` entry as text (lists joined with `,`).
fn param_value<'a>(p: Val<'_, 'a>) -> Option<Cow<'a, str>> {
    for k in ["value", "intValue", "boolValue"] {
        if let Some(t) = text(p.get(k)) {
            return Some(t);
        }
    }
    for k in ["multiValue", "multiIntValue"] {
        if let Some(a) = p.get(k).filter(|a| a.kind() == Kind::Arr) {
            let parts: Vec<String> = a
                .elements()
                .filter_map(|e| text(Some(e)).map(|s| s.into_owned()))
                .collect();
            if !parts.is_empty() {
                return Some(Cow::Owned(parts.join(",")));
            }
        }
    }
    if let Some(m) = p.get("messageValue") {
        return super::any_text(Some(m));
    }
    None
}

/// `login_timestamp` is epoch microseconds: show it as RFC 3339 too.
fn render(name: &str, v: &str) -> String {
    if name.ends_with("_timestamp") {
        if let Some(ts) = crate::time::parse_epoch_str(v) {
            return format!("{v} ({})", crate::time::format_rfc3339_ms(ts.nanos));
        }
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: impl Into<String>) -> Draft<'static> {
        let src: &'static str = Box::leak(src.into().into_boxed_str());
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).expect("json")));
        assert!(GWorkspace.sniff(doc.root(), &Ctx::default()) >= 80);
        let mut d = Draft::default();
        GWorkspace
            .map(doc.root(), &Ctx::default(), &mut d)
            .expect("maps");
        crate::derive::apply(&mut d, GWorkspace.completed_log());
        d
    }

    const HEAD: &str = r#"{"kind":"admin#reports#activity","id":{"time":"2024-05-01T10:00:00Z","uniqueQualifier":42,"applicationName":"login","customerId":"C01"},"actor":{"callerType":"USER","email":"ann@example.com","profileId":7},"ownerDomain":"example.com","ipAddress":"203.0.113.5","#;

    #[test]
    fn login_failure_with_events_as_an_object() {
        let d = map(format!(
            r#"{HEAD}"events":{{"type":"login","name":"login_failure","parameters":[{{"name":"login_failure_type","value":"login_failure_invalid_password"}},{{"name":"login_type","value":"google_password"}}]}}}}"#
        ));
        assert_eq!(d.action.as_deref(), Some("login_failure"));
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthN))
        );
        assert!(d.actor_unverified);
        assert_eq!(d.reason.as_deref(), Some("login_failure_invalid_password"));
        assert_eq!(d.service.as_deref(), Some("login"));
        assert_eq!(d.tenant.as_deref(), Some("example.com"));
        assert_eq!(
            d.correlation.as_deref(),
            Some("42"),
            "uniqueQualifier is a correlation id"
        );
        assert!(d.uid.is_none());
        assert_eq!(d.actor_id.as_deref(), Some("7"), "numeric profileId");
        assert!(d.text.iter().any(|t| t == "login_type=google_password"));
    }

    #[test]
    fn events_as_an_array_with_mfa_and_suspicious_flag() {
        let d = map(format!(
            r#"{HEAD}"events":[{{"type":"login","name":"login_success","parameters":[{{"name":"login_challenge_method","multiValue":["password","security_key"]}},{{"name":"is_suspicious","boolValue":true}}]}}]}}"#
        ));
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Success));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Logon));
        assert_eq!(d.mfa, Some(true));
        assert_eq!(d.reason.as_deref(), Some("is_suspicious=true"));
        let d = map(format!(
            r#"{HEAD}"events":[{{"type":"login","name":"login_success","parameters":[{{"name":"login_challenge_method","value":"password"}}]}}]}}"#
        ));
        assert_eq!(d.mfa, Some(false));
    }

    #[test]
    fn challenge_outcome_from_status() {
        let d = map(format!(
            r#"{HEAD}"events":{{"type":"login","name":"login_verification","parameters":[{{"name":"login_challenge_status","value":"Challenge Failed."}}]}}}}"#
        ));
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthN))
        );
        let d = map(format!(
            r#"{HEAD}"events":{{"type":"login","name":"login_challenge","parameters":[{{"name":"login_challenge_status","value":"passed"}}]}}}}"#
        ));
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Success));
    }

    #[test]
    fn account_warnings_and_microsecond_login_timestamp() {
        let d = map(format!(
            r#"{HEAD}"events":{{"type":"account_warning","name":"suspicious_login","parameters":[{{"name":"affected_email_address","value":"bob@example.com"}},{{"name":"login_timestamp","intValue":1593695305123456}}]}}}}"#
        ));
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Unknown));
        assert_eq!(d.targets.len(), 1);
        assert_eq!(d.targets[0].2.as_deref(), Some("bob@example.com"));
        assert!(
            d.text
                .iter()
                .any(|t| t.contains("2020-07-02T13:08:25.123Z")),
            "{:?}",
            d.text
        );
        let d = map(format!(
            r#"{HEAD}"events":{{"type":"account_warning","name":"account_disabled_hijacked"}}}}"#
        ));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Identity));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Disable));
        let d = map(format!(
            r#"{HEAD}"events":{{"type":"account_warning","name":"gov_attack_warning"}}}}"#
        ));
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Unknown));
    }

    #[test]
    fn admin_activity_uses_generic_tokens_and_api_key_actor() {
        let d = map(
            r#"{"kind":"admin#reports#activity","id":{"time":"2024-05-01T10:00:00Z","uniqueQualifier":"1","applicationName":"admin","customerId":"C01"},"actor":{"callerType":"KEY","key":"SYSTEM"},"events":[{"type":"USER_SETTINGS","name":"CHANGE_PASSWORD","parameters":[{"name":"USER_EMAIL","value":"bob@example.com"}]}]}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::ApiKey));
        assert_eq!(d.credential.as_deref(), Some("SYSTEM"));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Credential));
        assert_eq!(d.tenant.as_deref(), Some("C01"));
    }

    #[test]
    fn sniff_is_specific() {
        let doc =
            Doc::parse(br#"{"id":"x","time":"2024-01-01T00:00:00Z","events":[]}"#).expect("json");
        assert_eq!(GWorkspace.sniff(doc.root(), &Ctx::default()), 0);
    }
}
