//! 1Password Events API: audit events, sign-in attempts and item usages.
//!
//! Recognised by the endpoint's own keys:
//! - audit events (`/api/v1|v2/auditevents`): `action` + `object_type` + `timestamp` with
//!   `actor_uuid`/`actor_details`;
//! - sign-in attempts (`/api/v1|v2/signinattempts`): `session_uuid` + `category` + `type` +
//!   `target_user`;
//! - item usages (`/api/v1|v2/itemusages`): `item_uuid` + `vault_uuid` + `used_version`.
//!
//! Containers: the API's `{"items":[…],"cursor","has_more"}` page, NDJSON, and the Cribl `_raw`
//! wrapper (decoded by ingest).
//!
//! Mapping:
//! - time `timestamp` (RFC 3339 with **nanoseconds**); uid `uuid`; correlation the session
//!   (`session.uuid` / `session_uuid`); tenant `account_uuid`.
//! - audit events: action `{object_type}.{action}` (`satoken.create`, `items.patch`; both codes
//!   verbatim); actor `actor_details.email` / `actor_uuid`, `actor_type` (`user`, service
//!   accounts); target `object_type` + `object_uuid` (+ `object_details`); `aux_info` and the
//!   `aux_*` ids kept for search. Category and activity from tables of the terse codes
//!   (`dlgsess` delegated session → authentication/logon; `gva`/`uva` vault access and `gm`
//!   group membership → identity assign/revoke; `satoken`, `mfa`, `ssotkn`, items → credential;
//!   `report`/`view` → data access); the log records completed actions only (success).
//! - sign-in attempts: action `signin_attempt`; `category` is the status code (`success`,
//!   `credentials_failed`, `mfa_failed`, `sso_failed`, `firewall_failed`, …) and `type` the
//!   reason (`password_secret_bad`, `totp_bad`, `country_blocked`, …); credential and MFA
//!   failures → AuthN with the unverified `target_user` as the actor, firewall → AuthZ.
//! - item usages: action `item_usage.{action}` (`reveal`, `secure-copy`, `fill`, `export`…) →
//!   data access; actor `user`; target the item (and its vault).
//! - source `session.ip` (audit) / `client.ip_address`; country `location.country` (or the
//!   sign-in attempt's `country`).
//!
//! Quirks: IPv6 addresses in full, zero-padded form (`2001:0db8:…:7334`; ingest parses them);
//! `object_uuid` may be empty; `aux_id` is a number.

use std::borrow::Cow;

use super::{any_text, set_time, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The 1Password Events API format.
pub struct OnePassword;

enum Shape {
    Audit,
    SignIn,
    ItemUsage,
}

fn shape(rec: Val<'_, '_>) -> Option<Shape> {
    let has = |k: &str| rec.get(k).is_some();
    if !has("timestamp") {
        return None;
    }
    if has("action") && has("object_type") && (has("actor_uuid") || has("actor_details")) {
        Some(Shape::Audit)
    } else if has("session_uuid")
        && has("category")
        && has("type")
        && (has("target_user") || has("client"))
    {
        Some(Shape::SignIn)
    } else if has("item_uuid") && has("vault_uuid") && (has("used_version") || has("user")) {
        Some(Shape::ItemUsage)
    } else {
        None
    }
}

impl Format for OnePassword {
    fn id(&self) -> &'static str {
        "onepassword"
    }
    fn name(&self) -> &'static str {
        "1Password Events API"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("onepassword", "audit")
    }
    fn completed_log(&self) -> bool {
        true
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let Some(s) = shape(rec) else { return 0 };
        let mut score = match s {
            Shape::Audit => 80,
            Shape::SignIn | Shape::ItemUsage => 78,
        };
        for k in ["uuid", "account_uuid", "location", "session"] {
            if rec.get(k).is_some() {
                score += 4;
            }
        }
        score.min(96)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        let s = shape(rec).ok_or("not a 1Password audit event, sign-in attempt or item usage")?;
        set_time(d, rec, &["timestamp"], ctx)?;
        d.uid = text(rec.get("uuid"));
        d.tenant = text(rec.get("account_uuid"));
        d.country = text(rec.path("location.country")).or_else(|| text(rec.get("country")));
        d.src = text(rec.path("session.ip")).or_else(|| text(rec.path("client.ip_address")));
        d.correlation = text(rec.path("session.uuid")).or_else(|| text(rec.get("session_uuid")));
        if let Some(c) = rec.get("client").filter(|c| c.kind() == Kind::Obj) {
            let parts: Vec<String> = [
                "app_name",
                "app_version",
                "platform_name",
                "os_name",
                "os_version",
            ]
            .iter()
            .filter_map(|k| text(c.get(k)).map(|s| s.into_owned()))
            .collect();
            if !parts.is_empty() {
                d.user_agent = Some(Cow::Owned(parts.join(" ")));
            }
        }
        match s {
            Shape::Audit => map_audit(rec, d),
            Shape::SignIn => map_signin(rec, d),
            Shape::ItemUsage => map_item_usage(rec, d),
        }
        Ok(())
    }
}

fn person<'a>(d: &mut Draft<'a>, p: Option<Val<'_, 'a>>) {
    if let Some(p) = p.filter(|p| p.kind() == Kind::Obj) {
        d.actor_name = text(p.get("email")).or_else(|| text(p.get("name")));
        d.actor_id = text(p.get("uuid"));
        if let Some(n) = text(p.get("name")) {
            d.text.push(n);
        }
    }
}

fn map_audit<'a>(rec: Val<'_, 'a>, d: &mut Draft<'a>) {
    let action = text(rec.get("action")).unwrap_or_default();
    let object = text(rec.get("object_type")).unwrap_or_default();
    d.action = Some(Cow::Owned(format!("{object}.{action}")));
    person(d, rec.get("actor_details"));
    if d.actor_id.is_none() {
        d.actor_id = text(rec.get("actor_uuid"));
    }
    let atype = text(rec.get("actor_type")).map(|t| t.to_ascii_lowercase());
    d.actor_kind = Some(match atype.as_deref() {
        Some(t) if t.contains("service") || t == "sa" => PrincipalKind::ServiceAccount,
        Some("system") | Some("1password") => PrincipalKind::System,
        Some(_) => PrincipalKind::User,
        None if d.actor_id.is_some() => PrincipalKind::User,
        None => PrincipalKind::Unknown,
    });
    let od = rec.get("object_details");
    let oname = od.and_then(|o| text(o.get("email")).or_else(|| text(o.get("name"))));
    d.target(Some(object.clone()), text(rec.get("object_uuid")), oname);
    if let Some(ad) = rec.get("aux_details").filter(|a| a.kind() == Kind::Obj) {
        d.target(
            Some("aux".into()),
            text(ad.get("uuid")),
            text(ad.get("email")).or_else(|| text(ad.get("name"))),
        );
    }
    for k in ["aux_info", "aux_id", "aux_uuid", "action", "object_type"] {
        if let Some(t) = text(rec.get(k)) {
            d.text.push(t);
        }
    }
    const RULE: &str = "onepassword:action_object";
    if let Some((c, a)) = audit_table(&action, &object) {
        d.category = Some((c, RULE));
        if let Some(a) = a {
            d.activity = Some((a, RULE));
        }
    }
}

/// Category (and activity when the generic verb table would miss it) of an audit event.
fn audit_table(action: &str, object: &str) -> Option<(Category, Option<Activity>)> {
    let verb = match action {
        "create" | "join" | "provsn" | "send" | "share" => Some(Activity::Create),
        "delete" | "purge" | "sdelete" | "leave" | "trash" => Some(Activity::Delete),
        "update" | "patch" | "trename" | "rename" | "begin" | "beginr" | "complete"
        | "updatefw" | "updatea" => Some(Activity::Update),
        "suspend" | "disable" | "lock" => Some(Activity::Disable),
        "reactivate" | "unsuspend" | "enable" | "activate" | "unlock" | "untrash" => {
            Some(Activity::Enable)
        }
        "view" | "export" | "reveal" => Some(Activity::Read),
        "grant" => Some(Activity::Assign),
        "revoke" => Some(Activity::Revoke),
        "role" => Some(Activity::Assign),
        _ => None,
    };
    Some(match object {
        "dlgdsess" | "session" => (Category::Authentication, Some(Activity::Logon)),
        "gva" | "uva" | "gm" | "mbr" => {
            let a = match verb {
                Some(Activity::Create | Activity::Assign | Activity::Update) => Activity::Assign,
                Some(Activity::Delete | Activity::Revoke) => Activity::Revoke,
                v => v.unwrap_or(Activity::Other),
            };
            (Category::Identity, Some(a))
        }
        "user" | "group" | "invite" | "famchild" | "sa" | "role" | "guest" => {
            (Category::Identity, verb)
        }
        "satoken" | "mfa" | "ssotkn" | "vaultkey" | "cred" | "token" | "passkey" => {
            (Category::Credential, verb)
        }
        "item" | "items" | "itemhist" | "file" => match verb {
            Some(Activity::Read) => (Category::DataAccess, verb),
            _ => (Category::Credential, verb),
        },
        "report" => (Category::DataAccess, verb.or(Some(Activity::Read))),
        "vault" => match verb {
            Some(Activity::Read) => (Category::DataAccess, verb),
            _ => (Category::Resource, verb),
        },
        "account" | "sso" | "slackapp" | "template" | "cert" | "plnflr" | "ekmscfg"
        | "firewall" | "policy" | "ec" | "card" | "billing" | "domain" | "integration" => {
            (Category::Configuration, verb)
        }
        _ if action == "dlgsess" => (Category::Authentication, Some(Activity::Logon)),
        _ => return None,
    })
}

fn map_signin<'a>(rec: Val<'_, 'a>, d: &mut Draft<'a>) {
    d.action = Some("signin_attempt".into());
    person(d, rec.get("target_user"));
    d.actor_kind = Some(PrincipalKind::User);
    let cat = text(rec.get("category")).unwrap_or_default();
    let ty = text(rec.get("type"));
    const RULE: &str = "onepassword:signin_category";
    d.category = Some((Category::Authentication, RULE));
    d.activity = Some((Activity::Logon, RULE));
    let (o, k) = match &*cat {
        "success" | "firewall_reported_success" => (Outcome::Success, FailureKind::None),
        "credentials_failed" | "mfa_failed" | "sso_failed" => {
            (Outcome::Failure, FailureKind::AuthN)
        }
        "firewall_failed" => (Outcome::Failure, FailureKind::AuthZ),
        "" => (Outcome::Unknown, FailureKind::None),
        c if c.ends_with("_failed") => (Outcome::Failure, FailureKind::Other),
        _ => (Outcome::Unknown, FailureKind::None),
    };
    d.outcome = Some((o, k, RULE));
    if o == Outcome::Success {
        d.mfa = ty.as_deref().map(|t| t == "mfa_ok");
    } else if o == Outcome::Failure {
        d.actor_unverified = true;
    }
    if let Some(v) = any_text(rec.path("details.value")) {
        d.text.push(v);
    }
    d.status_code = Some(cat);
    d.reason = ty;
}

fn map_item_usage<'a>(rec: Val<'_, 'a>, d: &mut Draft<'a>) {
    let action = text(rec.get("action"));
    d.action = Some(Cow::Owned(format!(
        "item_usage.{}",
        action.as_deref().unwrap_or("use")
    )));
    person(d, rec.get("user"));
    d.actor_kind = Some(PrincipalKind::User);
    d.target(Some("item".into()), text(rec.get("item_uuid")), None);
    d.target(Some("vault".into()), text(rec.get("vault_uuid")), None);
    const RULE: &str = "onepassword:item_usage";
    let (c, a) = match action.as_deref() {
        Some("server-create") => (Category::Credential, Activity::Create),
        Some("server-update") => (Category::Credential, Activity::Update),
        _ => (Category::DataAccess, Activity::Read),
    };
    d.category = Some((c, RULE));
    d.activity = Some((a, RULE));
    if let Some(v) = text(rec.get("used_version")) {
        d.text.push(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).expect("json")));
        assert!(OnePassword.sniff(doc.root(), &Ctx::default()) >= 78);
        let mut d = Draft::default();
        OnePassword
            .map(doc.root(), &Ctx::default(), &mut d)
            .expect("maps");
        crate::derive::apply(&mut d, OnePassword.completed_log());
        d
    }

    #[test]
    fn audit_event_with_nanoseconds_and_ipv6() {
        let d = map(
            r#"{"uuid":"E1","timestamp":"2025-07-29T15:51:49.145475868Z","actor_uuid":"A1",
            "actor_details":{"uuid":"A1","name":"Ann","email":"ann@example.com"},"action":"create","object_type":"satoken",
            "object_uuid":"O1","aux_info":"CI token","session":{"uuid":"S1","ip":"2001:0db8:85a3:0000:0000:8a2e:0370:7334"},
            "location":{"country":"Canada","city":"Ottawa"},"actor_type":"user","account_uuid":"ACC"}"#,
        );
        assert_eq!(d.time.map(|t| t.nanos % 1_000_000_000), Some(145_475_868));
        assert_eq!(d.action.as_deref(), Some("satoken.create"));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Credential));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Create));
        assert_eq!(
            d.outcome.map(|o| o.0),
            Some(Outcome::Success),
            "completed-action log"
        );
        assert_eq!(d.actor_name.as_deref(), Some("ann@example.com"));
        assert_eq!(
            d.src.as_deref(),
            Some("2001:0db8:85a3:0000:0000:8a2e:0370:7334")
        );
        assert_eq!(
            crate::model::parse_ip(d.src.as_deref().unwrap_or(""))
                .map(|i| i.to_string())
                .as_deref(),
            Some("2001:db8:85a3::8a2e:370:7334")
        );
        assert_eq!(d.country.as_deref(), Some("Canada"));
        assert_eq!(d.tenant.as_deref(), Some("ACC"));
        assert_eq!(d.correlation.as_deref(), Some("S1"));
        assert_eq!(d.targets[0].0.as_deref(), Some("satoken"));
        assert!(d.text.iter().any(|t| t == "CI token"));
    }

    #[test]
    fn delegated_session_and_vault_access_codes() {
        let base = r#""uuid":"E","timestamp":"2025-07-28T18:49:16Z","actor_uuid":"A","actor_details":{"email":"a@example.com"},"actor_type":"user""#;
        let d = map(Box::leak(
            format!(r#"{{{base},"action":"dlgsess","object_type":"dlgdsess","object_uuid":"X"}}"#)
                .into_boxed_str(),
        ));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Authentication));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Logon));
        let d = map(Box::leak(
            format!(r#"{{{base},"action":"delete","object_type":"uva","object_uuid":"V"}}"#)
                .into_boxed_str(),
        ));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Identity));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Revoke));
        let d = map(Box::leak(
            format!(r#"{{{base},"action":"view","object_type":"report","object_uuid":""}}"#)
                .into_boxed_str(),
        ));
        assert_eq!(d.category.map(|c| c.0), Some(Category::DataAccess));
        assert!(d.targets.is_empty(), "an empty object_uuid is no target");
        let d = map(Box::leak(
            format!(
                r#"{{{base},"action":"patch","object_type":"items","object_uuid":"I","aux_id":12}}"#
            )
            .into_boxed_str(),
        ));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Credential));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Update));
    }

    #[test]
    fn failed_sign_in_attempt_is_authn_with_unverified_user() {
        let d = map(
            r#"{"uuid":"S","session_uuid":"SS","timestamp":"2025-01-01T00:00:00.123456789Z","category":"credentials_failed",
            "type":"password_secret_bad","country":"DE","target_user":{"uuid":"U","name":"Bob","email":"bob@example.com"},
            "client":{"app_name":"1Password Browser Extension","app_version":"20240","platform_name":"Chrome","os_name":"MacOSX","ip_address":"198.51.100.3"},
            "location":{"country":"DE"},"account_uuid":"ACC"}"#,
        );
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthN))
        );
        assert!(d.actor_unverified);
        assert_eq!(d.actor_name.as_deref(), Some("bob@example.com"));
        assert_eq!(d.reason.as_deref(), Some("password_secret_bad"));
        assert_eq!(d.src.as_deref(), Some("198.51.100.3"));
        assert!(d
            .user_agent
            .as_deref()
            .is_some_and(|u| u.starts_with("1Password Browser Extension")));
        let d = map(
            r#"{"uuid":"S","session_uuid":"SS","timestamp":"2025-01-01T00:00:00Z","category":"firewall_failed","type":"country_blocked","target_user":{"email":"x@example.com"}}"#,
        );
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthZ))
        );
    }

    #[test]
    fn item_usage_is_data_access() {
        let d = map(
            r#"{"uuid":"IU","timestamp":"2025-01-01T00:00:00Z","used_version":3,"vault_uuid":"V","item_uuid":"I","user":{"uuid":"U","email":"c@example.com"},"client":{"ip_address":"192.0.2.1"},"action":"reveal"}"#,
        );
        assert_eq!(d.action.as_deref(), Some("item_usage.reveal"));
        assert_eq!(d.category.map(|c| c.0), Some(Category::DataAccess));
        assert_eq!(d.targets.len(), 2);
    }

    #[test]
    fn sniff_is_specific() {
        let doc =
            Doc::parse(br#"{"action":"repo.create","created_at":1,"actor":"x"}"#).expect("json");
        assert_eq!(OnePassword.sniff(doc.root(), &Ctx::default()), 0);
        let doc =
            Doc::parse(br#"{"action":"create","timestamp":"2025-01-01T00:00:00Z","user":"x"}"#)
                .expect("json");
        assert_eq!(OnePassword.sniff(doc.root(), &Ctx::default()), 0);
    }
}
