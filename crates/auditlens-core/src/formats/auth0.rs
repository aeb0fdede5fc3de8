//! Auth0 tenant logs.
//!
//! Recognised by a `log_id` with a `data` object holding `date` + `type` (Log Streams:
//! webhook, EventBridge, Event Grid), or by the flat Management API `/api/v2/logs` object
//! (`date` + a known `type` code + `log_id`/`_id`). Containers: JSON arrays, NDJSON, and
//! Elastic's pipeline-test wrapper `{"events":[{"json":{…}}]}` (ingest unwraps `json`).
//!
//! Mapping:
//! - time `data.date`; uid `log_id`; tenant `hostname` (the tenant domain); service the
//!   application (`client_name`); correlation `details.session_id` (or `session_connection`).
//! - action: the terse `type` code (`f`, `fp`, `s`, `limit_wc`, `gd_auth_failed`, …) through
//!   the table below to a stable kebab-case name in the style of Elastic's integration
//!   (`failed-login-incorrect-password`); the code itself stays searchable, and an unknown
//!   code is used verbatim. The same table gives category, activity, outcome and failure kind.
//! - actor `user_name` / `user_id` (a failed login's user name is an unverified claim); for
//!   client-credential exchanges and Management API calls without a user, the client
//!   (`client_id`/`client_name`) as a service account; for Management API calls the
//!   `details.request.auth.user`.
//! - source `ip`, user agent `user_agent`; targets the application (`client_id`,
//!   `client_name`) and the connection, and for Management API calls the request path.
//! - reason `description` / `details.error.message` on failures; status code
//!   `details.error.type`/`oauthError` or the API response status.
//! - Management API operations (`sapi`/`fapi`/`mgmt_api_read`): category from the request
//!   path (`/users`, `/roles` → identity; `/clients` secrets, `/keys`, authenticators →
//!   credential; other tenant objects → configuration; `/logs` → data access) and activity from
//!   the method (GET read, POST create, PATCH/PUT update, DELETE delete; role and permission
//!   grants → assign/revoke); a 401/403 response → AuthZ.
//!
//! Quirks: the generic failed-login code `f` also covers client misconfiguration (callback URL
//! mismatch, a disabled connection): those are failures of kind *other*, not bad credentials,
//! so they don't feed brute-force detections; `user_id`/`connection_id` are often empty strings.

use std::borrow::Cow;

use super::{any_text, set_time, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The Auth0 tenant log format.
pub struct Auth0;

use Activity as A;
use Category as C;
use FailureKind as K;
use Outcome as O;

/// (code, action name, category, activity, outcome, failure kind)
type Row = (
    &'static str,
    &'static str,
    Category,
    Activity,
    Outcome,
    FailureKind,
);

/// Auth0 log event type codes (Auth0 docs, "Log Event Type Codes").
#[rustfmt::skip]
const CODES: &[Row] = &[
    ("s", "success-login", C::Authentication, A::Logon, O::Success, K::None),
    ("ssa", "success-silent-auth", C::Authentication, A::Logon, O::Success, K::None),
    ("scoa", "success-cross-origin-authentication", C::Authentication, A::Logon, O::Success, K::None),
    ("sens", "success-exchange-native-social-login", C::Authentication, A::Logon, O::Success, K::None),
    ("seacft", "success-exchange-authorization-code-for-access-token", C::Authentication, A::Other, O::Success, K::None),
    ("seccft", "success-exchange-client-credentials-for-access-token", C::Authentication, A::Other, O::Success, K::None),
    ("sede", "success-exchange-device-code-for-access-token", C::Authentication, A::Other, O::Success, K::None),
    ("seoobft", "success-exchange-password-and-oob-for-access-token", C::Authentication, A::Other, O::Success, K::None),
    ("seotpft", "success-exchange-password-and-otp-for-access-token", C::Authentication, A::Other, O::Success, K::None),
    ("sepft", "success-exchange-password-for-access-token", C::Authentication, A::Other, O::Success, K::None),
    ("sepotpft", "success-exchange-passwordless-otp-for-access-token", C::Authentication, A::Other, O::Success, K::None),
    ("sercft", "success-exchange-mfa-recovery-code-for-access-token", C::Authentication, A::Other, O::Success, K::None),
    ("sertft", "success-exchange-refresh-token-for-access-token", C::Authentication, A::Other, O::Success, K::None),
    ("srrt", "success-revocation-of-refresh-token", C::Credential, A::Revoke, O::Success, K::None),
    ("slo", "success-logout", C::Authentication, A::Logoff, O::Success, K::None),
    ("sd", "success-delegation", C::Authentication, A::Other, O::Success, K::None),
    ("ss", "success-signup", C::Identity, A::Create, O::Success, K::None),
    ("sdu", "success-user-deletion", C::Identity, A::Delete, O::Success, K::None),
    ("du", "deleted-user", C::Identity, A::Delete, O::Success, K::None),
    ("sce", "success-change-email", C::Identity, A::Update, O::Success, K::None),
    ("scu", "success-change-username", C::Identity, A::Update, O::Success, K::None),
    ("scpn", "success-change-phone-number", C::Identity, A::Update, O::Success, K::None),
    ("scp", "success-change-password", C::Credential, A::Update, O::Success, K::None),
    ("scpr", "success-change-password-request", C::Credential, A::Other, O::Success, K::None),
    ("scph", "success-post-change-password-hook", C::Credential, A::Other, O::Success, K::None),
    ("sv", "success-verification-email", C::Identity, A::Other, O::Success, K::None),
    ("svr", "success-verification-email-request", C::Identity, A::Other, O::Success, K::None),
    ("si", "success-invite-accept", C::Identity, A::Create, O::Success, K::None),
    ("sui", "success-users-import", C::Identity, A::Create, O::Success, K::None),
    ("sapi", "success-api-operation", C::Configuration, A::Other, O::Success, K::None),
    ("mgmt_api_read", "management-api-read-operation", C::DataAccess, A::Read, O::Success, K::None),
    ("cs", "code-sent", C::Authentication, A::Other, O::Success, K::None),
    ("cls", "code-link-sent", C::Authentication, A::Other, O::Success, K::None),
    ("ublkdu", "user-login-block-released", C::Authentication, A::Enable, O::Success, K::None),
    ("pwd_leak", "breached-password", C::Authentication, A::Logon, O::Unknown, K::None),
    ("reset_pwd_leak", "breached-password-reset", C::Credential, A::Update, O::Success, K::None),
    ("limit_wc", "blocked-account", C::Authentication, A::Logon, O::Failure, K::AuthN),
    ("limit_mu", "blocked-ip-address", C::Authentication, A::Logon, O::Failure, K::AuthN),
    ("limit_sul", "blocked-user-too-many-logins", C::Authentication, A::Logon, O::Failure, K::AuthN),
    ("limit_delegation", "too-many-calls-to-delegation", C::Authentication, A::Other, O::Failure, K::Throttled),
    ("api_limit", "api-rate-limit", C::Other, A::Other, O::Failure, K::Throttled),
    ("api_limit_warning", "api-rate-limit-warning", C::Other, A::Other, O::Unknown, K::None),
    ("f", "failed-login", C::Authentication, A::Logon, O::Failure, K::AuthN),
    ("fp", "failed-login-incorrect-password", C::Authentication, A::Logon, O::Failure, K::AuthN),
    ("fu", "failed-login-invalid-email-username", C::Authentication, A::Logon, O::Failure, K::AuthN),
    ("fc", "failed-by-connector", C::Authentication, A::Logon, O::Failure, K::AuthN),
    ("fco", "failed-by-cors", C::Authentication, A::Logon, O::Failure, K::AuthZ),
    ("fcoa", "failed-cross-origin-authentication", C::Authentication, A::Logon, O::Failure, K::AuthN),
    ("fsa", "failed-silent-auth", C::Authentication, A::Logon, O::Failure, K::Other),
    ("fens", "failed-exchange-native-social-login", C::Authentication, A::Logon, O::Failure, K::AuthN),
    ("feacft", "failed-exchange-authorization-code-for-access-token", C::Authentication, A::Other, O::Failure, K::Other),
    ("feccft", "failed-exchange-client-credentials-for-access-token", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("fede", "failed-exchange-device-code-for-access-token", C::Authentication, A::Other, O::Failure, K::Other),
    ("feoobft", "failed-exchange-password-and-oob-for-access-token", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("feotpft", "failed-exchange-password-and-otp-for-access-token", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("fepft", "failed-exchange-password-for-access-token", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("fepotpft", "failed-exchange-passwordless-otp-for-access-token", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("fercft", "failed-exchange-mfa-recovery-code-for-access-token", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("fertft", "failed-exchange-refresh-token-for-access-token", C::Authentication, A::Other, O::Failure, K::Other),
    ("ferrt", "failed-exchange-rotating-refresh-token", C::Authentication, A::Other, O::Failure, K::Other),
    ("flo", "failed-logout", C::Authentication, A::Logoff, O::Failure, K::Other),
    ("fd", "failed-delegation", C::Authentication, A::Other, O::Failure, K::Other),
    ("fdeac", "failed-device-activation", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("fdeaz", "failed-device-authorization-request", C::Authentication, A::Other, O::Failure, K::Other),
    ("fdecc", "user-canceled-device-confirmation", C::Authentication, A::Other, O::Failure, K::Other),
    ("fpar", "failed-pushed-authorization-request", C::Authentication, A::Other, O::Failure, K::Other),
    ("fs", "failed-signup", C::Identity, A::Create, O::Failure, K::Operation),
    ("fdu", "failed-user-deletion", C::Identity, A::Delete, O::Failure, K::Operation),
    ("fce", "failed-change-email", C::Identity, A::Update, O::Failure, K::Operation),
    ("fcu", "failed-change-username", C::Identity, A::Update, O::Failure, K::Operation),
    ("fcpn", "failed-change-phone-number", C::Identity, A::Update, O::Failure, K::Operation),
    ("fcp", "failed-change-password", C::Credential, A::Update, O::Failure, K::Operation),
    ("fcpr", "failed-change-password-request", C::Credential, A::Other, O::Failure, K::Operation),
    ("fcph", "failed-post-change-password-hook", C::Credential, A::Other, O::Failure, K::Operation),
    ("fv", "failed-verification-email", C::Identity, A::Other, O::Failure, K::Operation),
    ("fvr", "failed-verification-email-request", C::Identity, A::Other, O::Failure, K::Operation),
    ("fi", "failed-invite-accept", C::Identity, A::Create, O::Failure, K::Operation),
    ("fui", "failed-users-import", C::Identity, A::Create, O::Failure, K::Operation),
    ("fpurh", "failed-post-user-registration-hook", C::Identity, A::Create, O::Failure, K::Operation),
    ("fcpro", "failed-connector-provisioning", C::Identity, A::Create, O::Failure, K::Operation),
    ("fn", "failed-sending-notification", C::Other, A::Other, O::Failure, K::Operation),
    ("fapi", "failed-api-operation", C::Configuration, A::Other, O::Failure, K::Operation),
    ("gd_auth_succeed", "mfa-auth-success", C::Authentication, A::Other, O::Success, K::None),
    ("gd_auth_failed", "mfa-auth-failed", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("gd_auth_rejected", "mfa-auth-rejected", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("gd_otp_rate_limit_exceed", "mfa-too-many-failures", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("gd_recovery_succeed", "mfa-recovery-success", C::Authentication, A::Other, O::Success, K::None),
    ("gd_recovery_failed", "mfa-recovery-failed", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("gd_recovery_rate_limit_exceed", "mfa-recovery-too-many-failures", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("gd_webauthn_challenge_failed", "mfa-webauthn-challenge-failed", C::Authentication, A::Other, O::Failure, K::AuthN),
    ("gd_start_auth", "mfa-second-factor-started", C::Authentication, A::Other, O::Success, K::None),
    ("gd_send_pn", "mfa-push-notification-sent", C::Authentication, A::Other, O::Success, K::None),
    ("gd_send_sms", "mfa-sms-sent", C::Authentication, A::Other, O::Success, K::None),
    ("gd_send_voice", "mfa-voice-call-made", C::Authentication, A::Other, O::Success, K::None),
    ("gd_send_email", "mfa-email-sent", C::Authentication, A::Other, O::Success, K::None),
    ("gd_send_pn_failure", "mfa-push-notification-failure", C::Authentication, A::Other, O::Failure, K::Operation),
    ("gd_send_sms_failure", "mfa-sms-failure", C::Authentication, A::Other, O::Failure, K::Operation),
    ("gd_send_voice_failure", "mfa-voice-call-failure", C::Authentication, A::Other, O::Failure, K::Operation),
    ("gd_start_enroll", "mfa-enrollment-started", C::Credential, A::Create, O::Success, K::None),
    ("gd_start_enroll_failed", "mfa-enrollment-start-failed", C::Credential, A::Create, O::Failure, K::Operation),
    ("gd_enrollment_complete", "mfa-enrollment-complete", C::Credential, A::Create, O::Success, K::None),
    ("gd_webauthn_enrollment_failed", "mfa-webauthn-enrollment-failed", C::Credential, A::Create, O::Failure, K::Operation),
    ("gd_unenroll", "mfa-device-unenrolled", C::Credential, A::Delete, O::Success, K::None),
    ("gd_update_device_account", "mfa-device-account-updated", C::Credential, A::Update, O::Success, K::None),
    ("gd_tenant_update", "mfa-tenant-settings-updated", C::Configuration, A::Update, O::Success, K::None),
    ("mfar", "mfa-required", C::Authentication, A::Other, O::Unknown, K::None),
    ("pla", "pre-login-assessment", C::Authentication, A::Other, O::Unknown, K::None),
    ("w", "warning-during-login", C::Authentication, A::Other, O::Unknown, K::None),
    ("wum", "warning-user-management", C::Identity, A::Other, O::Unknown, K::None),
    ("oidc_backchannel_logout_succeeded", "oidc-back-channel-logout-success", C::Authentication, A::Logoff, O::Success, K::None),
    ("oidc_backchannel_logout_failed", "oidc-back-channel-logout-failed", C::Authentication, A::Logoff, O::Failure, K::Operation),
    ("resource_cleanup", "refresh-tokens-cleaned-up", C::Credential, A::Delete, O::Success, K::None),
    ("admin_update_launch", "auth0-update-launched", C::Configuration, A::Update, O::Success, K::None),
    ("depnote", "deprecation-notice", C::Other, A::Other, O::Unknown, K::None),
    ("acls_summary", "ip-allow-deny-list-summary", C::Configuration, A::Other, O::Unknown, K::None),
];

/// The table row of a type code.
fn lookup(code: &str) -> Option<&'static Row> {
    CODES.iter().find(|r| r.0 == code)
}

/// The event object: `data` in Log Streams, the record itself in the Management API shape.
fn event<'d, 'a>(rec: Val<'d, 'a>) -> Option<Val<'d, 'a>> {
    match rec.get("data") {
        Some(d) if d.kind() == Kind::Obj && d.get("type").is_some() && d.get("date").is_some() => {
            Some(d)
        }
        _ if rec.get("type").is_some() && rec.get("date").is_some() => Some(rec),
        _ => None,
    }
}

impl Format for Auth0 {
    fn id(&self) -> &'static str {
        "auth0"
    }
    fn name(&self) -> &'static str {
        "Auth0 tenant logs"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("auth0", "audit")
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let Some(ev) = event(rec) else { return 0 };
        let code = text(ev.get("type")).unwrap_or_default();
        let known = lookup(&code).is_some();
        let nested =
            matches!(rec.get("data"), Some(x) if x.kind() == Kind::Obj && x.get("type").is_some());
        let has = |k: &str| ev.get(k).is_some();
        let mut s: u32 = if nested && rec.get("log_id").is_some() {
            80
        } else if has("log_id") || has("_id") {
            60
        } else {
            return 0;
        };
        if known {
            s += 10;
        }
        for k in ["client_id", "ip", "description", "hostname", "user_agent"] {
            if has(k) {
                s += 2;
            }
        }
        if !known && !nested {
            // The flat shape needs a known code to tell it from other `type`/`date` records.
            return 0;
        }
        s.min(96)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        let ev = event(rec).ok_or("not an Auth0 log event (no data.type/data.date)")?;
        set_time(d, ev, &["date"], ctx)?;
        let code = text(ev.get("type")).unwrap_or_default();
        let row = lookup(&code);
        d.uid = text(rec.get("log_id"))
            .or_else(|| text(ev.get("log_id")))
            .or_else(|| text(ev.get("_id")));
        d.tenant = text(ev.get("hostname"));
        d.service = text(ev.get("client_name"));
        d.correlation =
            text(ev.path("details.session_id")).or_else(|| text(ev.get("session_connection")));
        d.src = text(ev.get("ip"));
        d.user_agent = text(ev.get("user_agent"));
        d.country = text(ev.path("location_info.country_code"));
        d.text.push(code.clone());
        let description = text(ev.get("description"));
        if let Some(t) = &description {
            d.text.push(t.clone());
        }
        if let Some(t) = any_text(ev.get("details")) {
            d.text.push(t);
        }

        // Actor.
        d.actor_name = text(ev.get("user_name"));
        d.actor_id = text(ev.get("user_id"));
        if d.actor_name.is_some() || d.actor_id.is_some() {
            d.actor_kind = Some(PrincipalKind::User);
        }
        let api = matches!(&*code, "sapi" | "fapi" | "mgmt_api_read");
        if api {
            if let Some(u) = ev
                .path("details.request.auth.user")
                .filter(|u| u.kind() == Kind::Obj)
            {
                d.actor_name = text(u.get("email"))
                    .or_else(|| text(u.get("name")))
                    .or(d.actor_name.take());
                d.actor_id = text(u.get("user_id")).or(d.actor_id.take());
                d.actor_kind = Some(PrincipalKind::User);
            }
        }
        if d.actor_kind.is_none() && (api || code == "seccft" || code == "feccft") {
            d.actor_name = text(ev.get("client_name"));
            d.actor_id = text(ev.get("client_id"));
            if d.actor_name.is_some() || d.actor_id.is_some() {
                d.actor_kind = Some(PrincipalKind::ServiceAccount);
            }
        }

        // Targets.
        d.target(
            Some("client".into()),
            text(ev.get("client_id")),
            text(ev.get("client_name")),
        );
        d.target(
            Some("connection".into()),
            text(ev.get("connection_id")),
            text(ev.get("connection")),
        );

        // Action, category, activity, outcome.
        const RULE: &str = "auth0:type_code";
        match row {
            Some(&(_, name, c, a, o, k)) => {
                d.action = Some(Cow::Borrowed(name));
                d.category = Some((c, RULE));
                d.activity = Some((a, RULE));
                d.outcome = Some((o, k, RULE));
            }
            None => d.action = Some(code.clone()),
        }
        if api {
            api_operation(ev, d);
        }
        if matches!(&*code, "f" | "fc") {
            refine_failed_login(ev, description.as_deref(), d);
        }
        let error_type = text(ev.path("details.error.type"))
            .or_else(|| text(ev.path("details.error.oauthError")));
        if let Some(Outcome::Failure) = d.outcome.map(|o| o.0) {
            d.reason = text(ev.path("details.error.message")).or(description);
            d.status_code = d.status_code.take().or(error_type);
            if d.category.is_some_and(|c| c.0 == Category::Authentication)
                && d.actor_kind != Some(PrincipalKind::ServiceAccount)
            {
                d.actor_unverified = true;
            }
        }
        if row.is_some_and(|r| r.0 == "gd_auth_succeed") {
            d.mfa = Some(true);
        }
        Ok(())
    }
}

/// The generic `f` (and connector `fc`) covers client and request errors as well as bad
/// credentials; only the latter are authentication failures of kind AuthN.
fn refine_failed_login(ev: Val<'_, '_>, description: Option<&str>, d: &mut Draft<'_>) {
    let etype = text(ev.path("details.error.type"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let desc = description.unwrap_or("").to_ascii_lowercase();
    let credential = [
        "password",
        "wrong",
        "invalid user",
        "invalid_user_password",
        "blocked",
        "mfa",
        "otp",
        "locked",
    ]
    .iter()
    .any(|w| desc.contains(w) || etype.contains(w));
    let client_error = etype.contains("callback")
        || etype.contains("request-error")
        || desc.contains("callback url mismatch")
        || desc.contains("connection is not enabled")
        || desc.contains("not enabled")
        || text(ev.path("details.error.oauthError")).as_deref() == Some("invalid_request");
    if client_error && !credential {
        d.outcome = Some((
            Outcome::Failure,
            FailureKind::Other,
            "auth0:failed_login_client_error",
        ));
    }
}

/// Category and activity of a Management API operation from its request.
fn api_operation<'a>(ev: Val<'_, 'a>, d: &mut Draft<'a>) {
    let method = text(ev.path("details.request.method")).map(|m| m.to_ascii_uppercase());
    let path = text(ev.path("details.request.path"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let status = ev
        .path("details.response.statusCode")
        .and_then(|v| v.as_f64());
    if !path.is_empty() {
        d.target(
            Some("api_path".into()),
            None,
            text(ev.path("details.request.path")),
        );
    }
    const RULE: &str = "auth0:management_api_request";
    let seg = |s: &str| path.contains(&format!("/{s}"));
    let grant = seg("roles") && (seg("users") || seg("permissions")) || seg("permissions");
    let cat = if seg("logs") {
        Some(Category::DataAccess)
    } else if seg("keys")
        || seg("device-credentials")
        || seg("authenticators")
        || seg("multifactor")
        || seg("rotate-secret")
        || seg("enrollments")
    {
        Some(Category::Credential)
    } else if seg("users")
        || seg("roles")
        || seg("jobs/users")
        || seg("organizations") && seg("members")
    {
        Some(Category::Identity)
    } else if !path.is_empty() {
        Some(Category::Configuration)
    } else {
        None
    };
    let act = match method.as_deref() {
        Some("GET") => Some(Activity::Read),
        Some("POST") if grant => Some(Activity::Assign),
        Some("DELETE") if grant => Some(Activity::Revoke),
        Some("POST") => Some(if path.ends_with("/rotate-secret") {
            Activity::Update
        } else {
            Activity::Create
        }),
        Some("PATCH" | "PUT") => Some(Activity::Update),
        Some("DELETE") => Some(Activity::Delete),
        _ => None,
    };
    if let Some(c) = cat {
        let c = if act == Some(Activity::Read) && c != Category::Credential {
            Category::DataAccess
        } else {
            c
        };
        d.category = Some((c, RULE));
    }
    if let Some(a) = act {
        d.activity = Some((a, RULE));
    }
    if let Some(st) = status {
        d.status_code = Some(Cow::Owned(format!("{st}")));
        if st == 401.0 || st == 403.0 {
            d.outcome = Some((
                Outcome::Failure,
                FailureKind::AuthZ,
                "auth0:management_api_status",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).expect("json")));
        assert!(Auth0.sniff(doc.root(), &Ctx::default()) >= 70, "sniff");
        let mut d = Draft::default();
        Auth0
            .map(doc.root(), &Ctx::default(), &mut d)
            .expect("maps");
        crate::derive::apply(&mut d, Auth0.completed_log());
        d
    }

    #[test]
    fn wrong_password_is_authn_failure_with_unverified_user() {
        let d = map(
            r#"{"log_id":"L1","data":{"date":"2021-11-03T08:25:14.466Z","type":"fp","description":"Wrong email or password.",
            "connection":"Username-Password-Authentication","connection_id":"con_1","client_id":"c1","client_name":"Default App",
            "ip":"81.2.69.143","user_agent":"Mozilla/5.0","details":{"error":{"message":"Wrong email or password."}},
            "user_id":"auth0|61","user_name":"new@example.com","strategy":"auth0","hostname":"dev-x.eu.auth0.com","log_id":"L1"}}"#,
        );
        assert_eq!(d.action.as_deref(), Some("failed-login-incorrect-password"));
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthN))
        );
        assert_eq!(d.category.map(|c| c.0), Some(Category::Authentication));
        assert!(d.actor_unverified);
        assert_eq!(d.actor_name.as_deref(), Some("new@example.com"));
        assert_eq!(d.reason.as_deref(), Some("Wrong email or password."));
        assert_eq!(d.uid.as_deref(), Some("L1"));
        assert_eq!(d.tenant.as_deref(), Some("dev-x.eu.auth0.com"));
        assert_eq!(d.service.as_deref(), Some("Default App"));
        assert!(
            d.text.iter().any(|t| t == "fp"),
            "the type code stays searchable"
        );
        assert_eq!(d.targets.len(), 2);
    }

    #[test]
    fn generic_failed_login_from_a_callback_mismatch_is_not_a_credential_failure() {
        let d = map(
            r#"{"log_id":"L2","data":{"date":"2021-11-03T03:06:05.696Z","type":"f","description":"Callback URL mismatch. http://localhost:3000/callback is not in the list of allowed callback URLs",
            "connection_id":"","ip":"81.2.69.143","details":{"error":{"message":"Callback URL mismatch.","type":"callback-url-mismatch"}}}}"#,
        );
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::Other))
        );
        assert_eq!(d.status_code.as_deref(), Some("callback-url-mismatch"));
        assert!(d.actor_name.is_none());
        assert!(d.targets.is_empty(), "empty ids are no targets");
        let d = map(
            r#"{"log_id":"L3","data":{"date":"2021-11-03T03:06:05Z","type":"f","description":"Wrong email or password.","user_name":"x@example.com"}}"#,
        );
        assert_eq!(d.outcome.map(|o| o.1), Some(FailureKind::AuthN));
    }

    #[test]
    fn code_table_covers_lockout_mfa_and_success() {
        let get = |c: &str| lookup(c).map(|r| (r.2, r.4, r.5));
        assert_eq!(
            get("limit_wc"),
            Some((
                Category::Authentication,
                Outcome::Failure,
                FailureKind::AuthN
            ))
        );
        assert_eq!(
            get("gd_auth_failed"),
            Some((
                Category::Authentication,
                Outcome::Failure,
                FailureKind::AuthN
            ))
        );
        assert_eq!(
            get("gd_unenroll"),
            Some((Category::Credential, Outcome::Success, FailureKind::None))
        );
        assert_eq!(
            get("s"),
            Some((
                Category::Authentication,
                Outcome::Success,
                FailureKind::None
            ))
        );
        assert_eq!(
            get("api_limit"),
            Some((Category::Other, Outcome::Failure, FailureKind::Throttled))
        );
        let mut seen = std::collections::HashSet::new();
        assert!(CODES.iter().all(|r| seen.insert(r.0)), "codes are unique");
        let d = map(
            r#"{"log_id":"L4","data":{"date":"2021-11-03T03:06:05Z","type":"s","user_name":"ok@example.com","user_id":"auth0|1","ip":"192.0.2.1"}}"#,
        );
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Success));
        assert!(!d.actor_unverified);
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Logon));
    }

    #[test]
    fn management_api_operation_from_the_request() {
        let d = map(
            r#"{"date":"2024-02-01T10:00:00.000Z","type":"sapi","description":"Assign roles to a user","client_id":"mgmt","client_name":"",
            "ip":"198.51.100.9","details":{"request":{"method":"post","path":"/api/v2/users/auth0|5/roles",
            "auth":{"user":{"user_id":"google-oauth2|9","email":"admin@example.com"},"strategy":"jwt"}},"response":{"statusCode":204}},
            "log_id":"900201"}"#,
        );
        assert_eq!(d.action.as_deref(), Some("success-api-operation"));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Identity));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Assign));
        assert_eq!(d.actor_name.as_deref(), Some("admin@example.com"));
        assert_eq!(d.uid.as_deref(), Some("900201"));
        let d = map(
            r#"{"date":"2024-02-01T10:00:00.000Z","type":"fapi","description":"Delete a client","client_id":"m2m","client_name":"Terraform",
            "details":{"request":{"method":"delete","path":"/api/v2/clients/abc"},"response":{"statusCode":403}},"log_id":"900202"}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
        assert_eq!(d.actor_name.as_deref(), Some("Terraform"));
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthZ))
        );
        assert_eq!(d.category.map(|c| c.0), Some(Category::Configuration));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Delete));
    }

    #[test]
    fn unknown_code_is_kept_verbatim() {
        let d = map(
            r#"{"log_id":"L5","data":{"date":"2021-11-03T03:06:05Z","type":"brand_new_code"}}"#,
        );
        assert_eq!(d.action.as_deref(), Some("brand_new_code"));
    }

    #[test]
    fn sniff_is_specific() {
        let s = |j: &str| {
            Auth0.sniff(
                Doc::parse(j.as_bytes()).expect("json").root(),
                &Ctx::default(),
            )
        };
        assert_eq!(s(r#"{"type":"user","date":"2024-01-01","id":"x"}"#), 0);
        assert_eq!(s(r#"{"type":"s","date":"2024-01-01"}"#), 0);
        assert!(
            s(r#"{"type":"s","date":"2024-01-01T00:00:00Z","log_id":"1","ip":"1.2.3.4"}"#) >= 60
        );
    }
}
