//! Entra ID (Azure AD) sign-in logs.
//!
//! **Recognised by** a sign-in's signature: the diagnostic-settings / Event Hub schema
//! (`category` ∈ `SignInLogs`, `NonInteractiveUserSignInLogs`, `ServicePrincipalSignInLogs`,
//! `ManagedIdentitySignInLogs`, `MicrosoftServicePrincipalSignInLogs`, `ADFSSignInLogs`, with the
//! sign-in under `properties`), the Microsoft Graph `/auditLogs/signIns` object
//! (`createdDateTime` + `userPrincipalName` + `status.errorCode`, also when it arrived
//! double-encoded in a Cribl `_raw`, which ingest decodes), and the Log Analytics / Sentinel
//! `SigninLogs` family (`Type`, `ResultType`, `TimeGenerated`, PascalCase columns). Keys are
//! looked up case- and punctuation-insensitively, so camelCase and PascalCase exports share
//! one mapper; containers: JSON arrays, `{"value":[…]}` pages, NDJSON, CSV.
//!
//! **Mapping.**
//! - time: the diagnostic record's top-level `time` (UTC) — *not* `properties.createdDateTime`,
//!   which some exports write with the tenant's local offset (`…-05:00`, 7 fraction digits);
//!   both denote the same instant, `time` is the one the pipeline indexed. Graph:
//!   `createdDateTime`; Log Analytics: `TimeGenerated`.
//! - action: `operationName` verbatim when the record has one (`Sign-in activity`, what the
//!   diagnostic and Log Analytics exports call every sign-in), else the same `Sign-in activity`
//!   for Graph objects, so one action covers every shape. `service` = `appDisplayName` (the app
//!   signed into), also the first target (type `application`, `appId`); `resourceDisplayName`
//!   is a second target when it differs.
//! - outcome: `status.errorCode` / `resultType` / `ResultType`: `0` → success; the *interrupts*
//!   (MFA required, "keep me signed in", device or account selection, Seamless SSO fallbacks:
//!   see [`INTERRUPTS`]) → failure of kind `other`, **not** a credential failure, so they do not
//!   feed brute-force or spray counts; credential errors (50126 bad password, 50053 lockout,
//!   50055 expired password, 50057 disabled account, 500121 failed MFA …) → `authn`;
//!   Conditional Access blocks (53003 …) and `conditionalAccessStatus: failure` → `authz`; any
//!   other non-zero code → failure of kind `other` (unclassified, the code is kept in
//!   `status_code`). `reason` = `status.failureReason` (only for failures: successes carry a
//!   meaningless `"Other."`).
//! - actor: `userPrincipalName` (verbatim, even when an export holds a GUID there) / `userId`;
//!   service-principal and managed-identity sign-ins (by log category, `signInEventTypes`, or a
//!   `servicePrincipalName` with no user) → kind `service`, named by `servicePrincipalName`.
//!   Every failed sign-in marks the actor name unverified. `mfa` from
//!   `authenticationRequirement` (multi/single factor), `mfaDetail.authMethod`, or
//!   `status.additionalDetails` saying the MFA requirement was satisfied.
//! - src: `ipAddress` (IPv6 kept) / `callerIpAddress` / `IPAddress`; user agent: `userAgent`
//!   where exported (beta Graph, Log Analytics), otherwise a synthesized `browser (OS)` from
//!   `deviceDetail`; country: `location.countryOrRegion` (or `LocationDetails`, or the
//!   diagnostic top-level `location`).
//! - uid `id`, correlation `correlationId`, tenant `tenantId` (`homeTenantId`/`resourceTenantId`;
//!   for Log Analytics rows `AADTenantId`, since their `TenantId` is the workspace).
//!
//! **Quirks.** Log Analytics columns such as `Status`, `LocationDetails`, `DeviceDetail` may be
//! JSON *strings*; they are parsed. Sign-in ids repeat only when an export repeats the same
//! sign-in (the Elastic sample reuses one sanitized id for five records of one instant: they
//! collapse into one event, counted as duplicates).

use std::borrow::Cow;

use super::{loose, loose_text, text, Ctx, Format};
use crate::json::{Doc, Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The Entra ID sign-in logs format.
pub struct EntraSignin;

/// Diagnostic-settings categories of sign-in logs.
const DIAG_CATEGORIES: &[&str] = &[
    "SignInLogs",
    "NonInteractiveUserSignInLogs",
    "ServicePrincipalSignInLogs",
    "ManagedIdentitySignInLogs",
    "MicrosoftServicePrincipalSignInLogs",
    "ADFSSignInLogs",
];

/// Log Analytics table names (`Type`) of sign-in logs.
const LA_TABLES: &[&str] = &[
    "SigninLogs",
    "AADNonInteractiveUserSignInLogs",
    "AADServicePrincipalSignInLogs",
    "AADManagedIdentitySignInLogs",
    "ADFSSignInLogs",
];

/// AADSTS codes that interrupt a sign-in to ask for something more (MFA, "keep me signed in",
/// account selection, device authentication, a Seamless SSO fallback). The user has not failed
/// to prove who they are; counting these as bad passwords would invent brute force.
pub const INTERRUPTS: &[i64] = &[
    16000, 16001, 50058, 50072, 50074, 50076, 50079, 50097, 50125, 50140, 50158, 50199, 81010,
    81012,
];

/// AADSTS codes that mean the credentials (or the account) were refused.
pub const CREDENTIAL_ERRORS: &[i64] = &[
    50012,   // authentication failed
    50034,   // user account not found in the directory
    50053,   // account locked (smart lockout) or sign-in blocked from a malicious IP
    50055,   // password expired
    50056,   // invalid or null password
    50057,   // user account disabled
    50064,   // credential validation failure
    50126,   // invalid user name or password
    50128,   // invalid domain name
    50144,   // on-premises AD password expired
    500121,  // strong authentication (MFA) failed or was denied
    700027,  // client assertion signature validation failed
    7000215, // invalid client secret
    7000222, // expired client secret
];

/// AADSTS codes where the identity was proven but access was refused by policy.
pub const ACCESS_DENIED: &[i64] = &[
    50005, // device platform blocked by Conditional Access
    50105, // user not assigned to a role of the application
    50131, // Conditional Access failure
    53000, // device not compliant
    53001, // device not domain joined
    53002, // application not approved
    53003, // blocked by Conditional Access
    53004, // MFA registration blocked (risk)
];

/// Classifies an Entra/AADSTS error code (shared with the M365 `ErrorNumber`).
pub fn classify_error(code: i64) -> (Outcome, FailureKind, &'static str) {
    if code == 0 {
        (Outcome::Success, FailureKind::None, "entra:errorCode=0")
    } else if INTERRUPTS.contains(&code) {
        (Outcome::Failure, FailureKind::Other, "entra:interrupt")
    } else if CREDENTIAL_ERRORS.contains(&code) {
        (
            Outcome::Failure,
            FailureKind::AuthN,
            "entra:credential_error",
        )
    } else if ACCESS_DENIED.contains(&code) {
        (Outcome::Failure, FailureKind::AuthZ, "entra:access_denied")
    } else {
        (
            Outcome::Failure,
            FailureKind::Other,
            "entra:unclassified_error",
        )
    }
}

/// A member that may be a JSON object/array or a string holding one (Log Analytics columns,
/// Sentinel `InitiatedBy`, Azure `properties`): the JSON text, owned.
pub fn embedded_json(v: Option<Val<'_, '_>>) -> Option<String> {
    let v = v?;
    match v.kind() {
        Kind::Obj | Kind::Arr => Some(String::from_utf8_lossy(v.raw()).into_owned()),
        Kind::Str => {
            let s = v.as_str()?;
            let t = s.trim();
            ((t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']')))
                .then(|| t.to_string())
        }
        _ => None,
    }
}

/// Parses an [`embedded_json`] text.
pub fn parse_embedded(t: &Option<String>) -> Option<Doc<'_>> {
    Doc::parse(t.as_deref()?.as_bytes()).ok()
}

/// Detaches borrowed text from a temporary document.
pub fn own<'a>(c: Option<Cow<'_, str>>) -> Option<Cow<'a, str>> {
    c.map(|s| Cow::Owned(s.into_owned()))
}

/// A GUID-shaped string (8-4-4-4-12 alphanumerics; sanitized exports use non-hex letters).
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_alphanumeric()
            }
        })
}

/// An integer code from a number or a numeric string.
fn code_of(v: Option<Val<'_, '_>>) -> Option<i64> {
    let v = v?;
    let f = v.as_f64()?;
    (f.fract() == 0.0).then_some(f as i64)
}

/// Where the sign-in's fields live: `properties` for diagnostic records, the record otherwise.
fn body<'d, 'a>(rec: Val<'d, 'a>) -> (Val<'d, 'a>, bool) {
    let is_diag = rec
        .get("category")
        .and_then(|c| c.as_str())
        .is_some_and(|c| DIAG_CATEGORIES.iter().any(|k| k.eq_ignore_ascii_case(&c)));
    match rec.get("properties").filter(|p| p.kind() == Kind::Obj) {
        Some(p) if is_diag => (p, true),
        _ => (rec, false),
    }
}

impl Format for EntraSignin {
    fn id(&self) -> &'static str {
        "entra_signin"
    }
    fn name(&self) -> &'static str {
        "Entra ID sign-in logs"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("azure", "signinlogs")
    }

    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let (p, diag) = body(rec);
        if diag {
            return 96;
        }
        if let Some(t) = rec.get_folded("type").and_then(|t| t.as_str()) {
            if LA_TABLES.iter().any(|k| k.eq_ignore_ascii_case(&t)) {
                return 96;
            }
        }
        let has = |n: &str| p.get_folded(n).is_some();
        let who = has("userprincipalname") || has("serviceprincipalname");
        let status = p
            .get_folded("status")
            .is_some_and(|s| s.kind() == Kind::Obj && s.get_folded("errorcode").is_some())
            || has("resulttype");
        if !who || !status || has("activitydisplayname") {
            return 0;
        }
        let mut s = 70;
        for k in [
            "createddatetime",
            "appdisplayname",
            "ipaddress",
            "conditionalaccessstatus",
            "clientappused",
        ] {
            if has(k) {
                s += 5;
            }
        }
        s.min(95)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        let (p, diag) = body(rec);
        let l = |names: &[&str]| loose_text(p, names);

        // Time: the diagnostic envelope's UTC `time` first (see the module doc).
        if diag {
            super::set_time(d, rec, &["time", "properties.createdDateTime"], ctx)?;
        } else {
            super::set_time_loose(d, p, &["createddatetime", "timegenerated", "time"], ctx)?;
        }

        d.action = Some(
            loose_text(rec, &["operationname"])
                .filter(|a| !a.eq_ignore_ascii_case("sign-in"))
                .unwrap_or(Cow::Borrowed("Sign-in activity")),
        );
        d.category = Some((Category::Authentication, "entra_signin:sign-in"));
        d.activity = Some((Activity::Logon, "entra_signin:sign-in"));
        d.uid = l(&["id"]);
        d.correlation = l(&["correlationid"]).or_else(|| loose_text(rec, &["correlationid"]));
        // Log Analytics rows: `TenantId` is the workspace, `AADTenantId` the directory.
        let la = rec.get_folded("timegenerated").is_some();
        d.tenant = loose_text(rec, &["aadtenantid"])
            .or_else(|| loose_text(rec, &["tenantid"]).filter(|_| !la))
            .or_else(|| l(&["hometenantid", "resourcetenantid"]));

        // Status: an object (Graph, diagnostic), a JSON string (Log Analytics) or just a code.
        let status_txt = embedded_json(p.get_folded("status"));
        let status_doc = parse_embedded(&status_txt);
        let status = status_doc.as_ref().map(|s| s.root());
        let code = status
            .and_then(|s| code_of(s.get_folded("errorcode")))
            .or_else(|| code_of(rec.get_folded("resulttype")))
            .or_else(|| code_of(p.get_folded("resulttype")));
        let ca_failed =
            l(&["conditionalaccessstatus"]).is_some_and(|c| c.eq_ignore_ascii_case("failure"));
        if let Some(code) = code {
            d.status_code = Some(Cow::Owned(code.to_string()));
            let mut o = classify_error(code);
            if o.0 == Outcome::Failure && ca_failed && o.1 != FailureKind::AuthN {
                o = (
                    Outcome::Failure,
                    FailureKind::AuthZ,
                    "entra_signin:conditional_access_failure",
                );
            }
            d.outcome = Some(o);
            if o.0 == Outcome::Failure {
                d.reason = own(status.and_then(|s| text(s.get_folded("failurereason"))))
                    .or_else(|| loose_text(rec, &["resultdescription"]))
                    .or_else(|| l(&["resultdescription"]));
            }
        } else {
            d.outcome = Some((
                Outcome::Unknown,
                FailureKind::None,
                "entra_signin:no_error_code",
            ));
        }
        if let Some(det) = own(status.and_then(|s| text(s.get_folded("additionaldetails")))) {
            d.text.push(det);
        }

        // Actor.
        let category = text(rec.get("category")).or_else(|| loose_text(rec, &["type"]));
        let sp_log = category.as_deref().is_some_and(|c| {
            let c = c.to_ascii_lowercase();
            c.contains("serviceprincipal") || c.contains("managedidentity")
        });
        let sp_event = loose(p, &["signineventtypes"]).is_some_and(|v| {
            v.elements().any(|e| {
                e.as_str().is_some_and(|s| {
                    let s = s.to_ascii_lowercase();
                    s.contains("serviceprincipal") || s.contains("managedidentity")
                })
            })
        });
        let upn = l(&["userprincipalname"]);
        let spn = l(&["serviceprincipalname"]);
        if sp_log || sp_event || (upn.is_none() && spn.is_some()) {
            d.actor_kind = Some(PrincipalKind::ServiceAccount);
            d.actor_id = l(&["serviceprincipalid"]).or_else(|| l(&["userid"]));
            d.actor_name = spn.or(upn).or_else(|| l(&["appdisplayname"]));
        } else {
            d.actor_kind = Some(if upn.is_some() || l(&["userid"]).is_some() {
                PrincipalKind::User
            } else {
                PrincipalKind::Unknown
            });
            d.actor_id = l(&["userid"]);
            d.actor_name = upn.or_else(|| l(&["userdisplayname"]));
        }
        if matches!(d.outcome, Some((Outcome::Failure, _, _))) {
            d.actor_unverified = true;
        }
        d.mfa = mfa(p, status);
        if let Some(c) = category {
            d.text.push(c);
        }

        // Where from.
        d.src = l(&["ipaddress"]).or_else(|| loose_text(rec, &["calleripaddress"]));
        d.user_agent = l(&["useragent"]).or_else(|| device_agent(p));
        let short = |s: &Cow<'_, str>| s.len() <= 3;
        d.country = ["location", "locationdetails"]
            .iter()
            .find_map(|n| {
                let t = embedded_json(p.get_folded(n));
                let doc = parse_embedded(&t)?;
                own(text(doc.root().get_folded("countryorregion")))
            })
            .or_else(|| text(p.get_folded("location")).filter(short))
            .or_else(|| text(rec.get("location")).filter(short));

        // What was signed into.
        let app = l(&["appdisplayname"]);
        let resource = l(&["resourcedisplayname"]);
        d.service = app.clone();
        d.target(
            Some(Cow::Borrowed("application")),
            l(&["appid"]),
            app.clone(),
        );
        if resource.is_some() && resource != app {
            d.target(
                Some(Cow::Borrowed("resource")),
                l(&["resourceid"]).filter(|r| is_guid(r)),
                resource,
            );
        }
        if let Some(c) = l(&["clientappused"]) {
            d.text.push(c);
        }
        Ok(())
    }
}

/// MFA used: `authenticationRequirement`, `mfaDetail`, or the status' additional details.
fn mfa(p: Val<'_, '_>, status: Option<Val<'_, '_>>) -> Option<bool> {
    if let Some(r) = loose_text(p, &["authenticationrequirement"]) {
        let r = r.to_ascii_lowercase();
        if r.contains("multifactor") {
            return Some(true);
        }
        if r.contains("singlefactor") {
            return Some(false);
        }
    }
    let mfa_txt = embedded_json(p.get_folded("mfadetail"));
    if let Some(doc) = parse_embedded(&mfa_txt) {
        if text(doc.root().get_folded("authmethod")).is_some() {
            return Some(true);
        }
    }
    let details = status.and_then(|s| text(s.get_folded("additionaldetails")))?;
    let det = details.to_ascii_lowercase();
    (det.contains("mfa requirement satisfied") || det.contains("mfa completed")).then_some(true)
}

/// `Chrome 77.0.3865 (MacOs)` from `deviceDetail`, when no user agent was exported.
fn device_agent<'a>(p: Val<'_, 'a>) -> Option<Cow<'a, str>> {
    let t = embedded_json(p.get_folded("devicedetail"));
    let doc = parse_embedded(&t)?;
    let r = doc.root();
    let browser = text(r.get_folded("browser"));
    let os = text(r.get_folded("operatingsystem"));
    match (browser, os) {
        (Some(b), Some(o)) => Some(Cow::Owned(format!("{b} ({o})"))),
        (Some(b), None) => Some(Cow::Owned(b.into_owned())),
        (None, Some(o)) => Some(Cow::Owned(format!("({o})"))),
        (None, None) => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::time;

    fn map(src: &str) -> Draft<'static> {
        let src: &'static str = Box::leak(src.to_string().into_boxed_str());
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        assert!(EntraSignin.sniff(doc.root(), &Ctx::default()) > 0, "sniff");
        let mut d = Draft::default();
        EntraSignin
            .map(doc.root(), &Ctx::default(), &mut d)
            .unwrap();
        crate::derive::apply(&mut d, EntraSignin.completed_log());
        d
    }

    const GRAPH_OK: &str = r#"{"id":"s1","createdDateTime":"2025-08-15T15:20:26Z","userDisplayName":"Ann","userPrincipalName":"ann@example.com","userId":"u-1","appId":"a-1","appDisplayName":"Graph Explorer","ipAddress":"2001:db8::5","clientAppUsed":"Browser","correlationId":"c-1","conditionalAccessStatus":"notApplied","isInteractive":true,"resourceDisplayName":"Microsoft Graph","resourceId":"00000003-0000-0000-c000-000000000000","status":{"errorCode":0,"failureReason":"Other.","additionalDetails":"MFA requirement satisfied by claim in the token"},"deviceDetail":{"browser":"Chrome 139.0.0","operatingSystem":"MacOs"},"location":{"city":"Hillsboro","countryOrRegion":"US"}}"#;

    #[test]
    fn graph_success_maps_actor_app_country_and_mfa() {
        let d = map(GRAPH_OK);
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
        assert_eq!(d.action.as_deref(), Some("Sign-in activity"));
        assert_eq!(d.category.unwrap().0, Category::Authentication);
        assert_eq!(d.activity.unwrap().0, Activity::Logon);
        assert_eq!(d.actor_name.as_deref(), Some("ann@example.com"));
        assert_eq!(d.actor_id.as_deref(), Some("u-1"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert!(!d.actor_unverified);
        assert_eq!(d.service.as_deref(), Some("Graph Explorer"));
        assert_eq!(d.targets.len(), 2);
        assert_eq!(d.targets[0].2.as_deref(), Some("Graph Explorer"));
        assert_eq!(d.country.as_deref(), Some("US"));
        assert_eq!(d.mfa, Some(true));
        assert_eq!(d.src.as_deref(), Some("2001:db8::5"));
        assert_eq!(d.user_agent.as_deref(), Some("Chrome 139.0.0 (MacOs)"));
        assert!(d.reason.is_none(), "a success's 'Other.' is not a reason");
        assert_eq!(d.status_code.as_deref(), Some("0"));
    }

    #[test]
    fn interrupt_is_failure_other_not_authn() {
        let d = map(&GRAPH_OK.replace(r#""errorCode":0"#, r#""errorCode":50074"#));
        assert_eq!(d.outcome.unwrap().0, Outcome::Failure);
        assert_eq!(d.outcome.unwrap().1, FailureKind::Other);
        assert!(d.actor_unverified);
        assert_eq!(d.reason.as_deref(), Some("Other."));
    }

    #[test]
    fn bad_password_and_lockout_are_authn() {
        for c in [50126, 50053, 50055, 50057] {
            let d = map(&GRAPH_OK.replace(r#""errorCode":0"#, &format!(r#""errorCode":{c}"#)));
            assert_eq!(d.outcome.unwrap().1, FailureKind::AuthN, "{c}");
            assert!(d.actor_unverified);
        }
    }

    #[test]
    fn conditional_access_block_is_authz() {
        let d = map(&GRAPH_OK.replace(r#""errorCode":0"#, r#""errorCode":53003"#));
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthZ);
        let d = map(&GRAPH_OK
            .replace(r#""errorCode":0"#, r#""errorCode":99999"#)
            .replace("notApplied", "failure"));
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthZ);
        assert_eq!(
            d.outcome.unwrap().2,
            "entra_signin:conditional_access_failure"
        );
    }

    #[test]
    fn diagnostic_record_prefers_utc_time_over_local_created_date() {
        let src = r#"{"time":"2019-10-18T09:45:48.0729893Z","category":"SignInLogs","operationName":"Sign-in activity","resultType":"50140","callerIpAddress":"81.2.69.144","tenantId":"t-1","location":"FR","properties":{"id":"x","createdDateTime":"2019-10-18T04:45:48.0729893-05:00","userPrincipalName":"c3813493-bf92-5123-2717-8a8b2979c38b","userId":"u","appDisplayName":"Office 365","status":{"errorCode":50140},"location":{"countryOrRegion":"FR"}}}"#;
        let d = map(src);
        assert_eq!(d.time_raw.as_deref(), Some("2019-10-18T09:45:48.0729893Z"));
        let local = time::parse_timestamp("2019-10-18T04:45:48.0729893-05:00").unwrap();
        assert_eq!(
            d.time.unwrap().nanos,
            local.nanos,
            "the same instant either way"
        );
        assert_eq!(
            d.outcome.unwrap().1,
            FailureKind::Other,
            "50140 is the KMSI interrupt"
        );
        assert_eq!(
            d.actor_name.as_deref(),
            Some("c3813493-bf92-5123-2717-8a8b2979c38b")
        );
        assert_eq!(d.tenant.as_deref(), Some("t-1"));
        assert_eq!(d.src.as_deref(), Some("81.2.69.144"));
        assert_eq!(d.country.as_deref(), Some("FR"));
    }

    #[test]
    fn service_principal_sign_ins_are_service_accounts() {
        let src = r#"{"time":"2024-01-01T00:00:00Z","category":"ServicePrincipalSignInLogs","resultType":"0","properties":{"id":"x","servicePrincipalName":"deploy-bot","servicePrincipalId":"sp-1","appDisplayName":"deploy-bot","status":{"errorCode":0},"ipAddress":"10.0.0.1"}}"#;
        let d = map(src);
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
        assert_eq!(d.actor_name.as_deref(), Some("deploy-bot"));
        assert_eq!(d.actor_id.as_deref(), Some("sp-1"));
        let src = r#"{"createdDateTime":"2024-01-01T00:00:00Z","servicePrincipalName":"app2","servicePrincipalId":"sp-2","appDisplayName":"app2","status":{"errorCode":7000215},"signInEventTypes":["servicePrincipal"]}"#;
        let d = map(src);
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
        assert_eq!(
            d.outcome.unwrap().1,
            FailureKind::AuthN,
            "invalid client secret"
        );
    }

    #[test]
    fn log_analytics_columns_with_json_strings() {
        let src = r#"{"TimeGenerated":"2024-02-01T10:00:00Z","Type":"SigninLogs","OperationName":"Sign-in activity","ResultType":"50126","ResultDescription":"Invalid username or password.","UserPrincipalName":"bob@example.com","UserId":"u-2","AppDisplayName":"Azure Portal","IPAddress":"203.0.113.7","UserAgent":"Mozilla/5.0","AuthenticationRequirement":"singleFactorAuthentication","Status":"{\"errorCode\":50126,\"failureReason\":\"Invalid username or password.\"}","LocationDetails":"{\"countryOrRegion\":\"DE\"}","Id":"la-1","CorrelationId":"c","TenantId":"t"}"#;
        let d = map(src);
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthN);
        assert_eq!(d.reason.as_deref(), Some("Invalid username or password."));
        assert_eq!(d.country.as_deref(), Some("DE"));
        assert_eq!(d.user_agent.as_deref(), Some("Mozilla/5.0"));
        assert_eq!(d.mfa, Some(false));
        assert_eq!(d.uid.as_deref(), Some("la-1"));
        assert!(
            d.tenant.is_none(),
            "TenantId is the Log Analytics workspace"
        );
        let d = map(&src.replace(
            r#""TenantId":"t""#,
            r#""TenantId":"ws","AADTenantId":"dir""#,
        ));
        assert_eq!(d.tenant.as_deref(), Some("dir"));
        assert!(d.actor_unverified);
    }

    #[test]
    fn sniff_rejects_other_microsoft_shapes() {
        let audit = Doc::parse(br#"{"activityDisplayName":"Add user","initiatedBy":{},"targetResources":[],"activityDateTime":"2024-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(EntraSignin.sniff(audit.root(), &Ctx::default()), 0);
        let ual = Doc::parse(br#"{"CreationTime":"2022-05-08T15:13:41","Operation":"UserLoggedIn","RecordType":15,"UserId":"a@b.c","Workload":"AzureActiveDirectory"}"#).unwrap();
        assert_eq!(EntraSignin.sniff(ual.root(), &Ctx::default()), 0);
    }

    #[test]
    fn guid_shape() {
        assert!(is_guid("12345678-9abc-defg-hijk-lmnopqrstuvw"));
        assert!(!is_guid("fakeemail@fakedomain.com"));
    }
}
