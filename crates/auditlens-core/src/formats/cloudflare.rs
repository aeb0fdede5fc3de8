//! Cloudflare account audit logs (API `/accounts/{id}/audit_logs`, Logpush `audit_logs`).
//!
//! Recognised by an `action` object with `type` (+ `result`) next to `actor`, `resource` and
//! a `when` time (v1), or `action.time` with `actor`/`resource` (the v2 audit log API).
//! Containers: the API page `{"result":[…],"success":true,…}`, NDJSON (Logpush, SIEM exports).
//! A bare API envelope line (`{"errors":[],"messages":[],"result":[],"success":true}`) carries
//! no event; ingest rejects it with a reason.
//!
//! Mapping:
//! - time `when` (ISO, second or microsecond precision; v2: `action.time`); uid `id`.
//! - action `action.type` verbatim (`rec_add`, `token_create`, `rotate_API_key`, `login`);
//!   `action.info` kept as text; `interface` (`UI`, API) kept as text.
//! - outcome `action.result`: `true` → success, `false` → failure (AuthN for `login`,
//!   otherwise an operation failure); v2 `"success"`/`"failure"` strings likewise.
//! - actor `actor.email` / `actor.id`, `actor.type` `user` → user, `system`/`Cloudflare` →
//!   system, tokens → API key (`token_id` as the credential); source `actor.ip` (IPv4 or IPv6).
//! - targets: the API token of token events (`metadata.token_tag`/`token_name`; the resource
//!   of those is the account), then `resource.type` + `resource.id` named by the DNS record
//!   (`newValueJson.name` / `oldValueJson.name`) or the zone, then the zone a record or setting
//!   belongs to (`metadata.zone_id`/`zone_name`); tenant `owner.id` (the account; v2
//!   `account.id`).
//! - before/after: `oldValueJson`/`newValueJson` objects, else the `oldValue`/`newValue`
//!   strings — the literal string `"null"` and `""` mean no state.
//! - category/activity: a table of Cloudflare's action types (DNS `rec_*` → resource,
//!   `token_*`/`API_key_*` → credential, `login` → authentication, settings → configuration,
//!   `purge` → resource/other, not a deletion), the generic tokens otherwise.

use std::borrow::Cow;

use super::{set_time, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The Cloudflare audit log format.
pub struct Cloudflare;

impl Format for Cloudflare {
    fn id(&self) -> &'static str {
        "cloudflare"
    }
    fn name(&self) -> &'static str {
        "Cloudflare audit log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("cloudflare", "audit")
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let Some(action) = rec.get("action").filter(|a| a.kind() == Kind::Obj) else {
            return 0;
        };
        if action.get("type").is_none() || rec.get("actor").is_none() {
            return 0;
        }
        let v1 = rec.get("when").is_some();
        let v2 = action.get("time").is_some();
        if !v1 && !v2 {
            return 0;
        }
        let mut s = 70;
        for (k, w) in [
            ("resource", 10),
            ("owner", 6),
            ("id", 4),
            ("newValue", 3),
            ("oldValue", 3),
            ("metadata", 3),
            ("account", 4),
        ] {
            if rec.get(k).is_some() {
                s += w;
            }
        }
        s.min(96)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        set_time(d, rec, &["when", "action.time"], ctx)?;
        d.uid = text(rec.get("id"));
        d.action = text(rec.path("action.type"));
        let action = d.action.clone().unwrap_or_default();
        d.tenant = text(rec.path("owner.id")).or_else(|| text(rec.path("account.id")));
        for p in [
            "action.info",
            "action.description",
            "interface",
            "metadata.zone_name",
        ] {
            if let Some(t) = text(rec.path(p)) {
                d.text.push(t);
            }
        }

        // Actor.
        if let Some(a) = rec.get("actor").filter(|a| a.kind() == Kind::Obj) {
            d.actor_name = text(a.get("email"));
            d.actor_id = text(a.get("id"));
            d.src = text(a.get("ip")).or_else(|| text(a.get("ip_address")));
            let t = text(a.get("type")).map(|t| t.to_ascii_lowercase());
            d.credential = text(a.get("token_id"));
            d.actor_kind = Some(match t.as_deref() {
                Some("user") => PrincipalKind::User,
                Some("system" | "cloudflare" | "cloudflare_admin") => PrincipalKind::System,
                Some(t) if t.contains("token") || t.contains("key") => PrincipalKind::ApiKey,
                Some("account") => PrincipalKind::ServiceAccount,
                _ if d.actor_name.is_some() => PrincipalKind::User,
                _ => PrincipalKind::Unknown,
            });
            if let Some(n) = text(a.get("token_name")) {
                d.text.push(n);
            }
        }

        // State.
        d.before = state(rec, "oldValueJson", "oldValue");
        d.after = state(rec, "newValueJson", "newValue");

        // Targets: the token acted on (token events name the account as the resource), the
        // resource, and the zone a record or setting belongs to.
        if let Some(m) = rec.get("metadata").filter(|m| m.kind() == Kind::Obj) {
            d.target(
                Some("api_token".into()),
                text(m.get("token_tag")),
                text(m.get("token_name")),
            );
            if let Some(n) = text(m.get("name")) {
                d.text.push(n);
            }
        }
        let rtype = text(rec.path("resource.type"));
        let zone = text(rec.path("metadata.zone_name"));
        let is_zone = rtype.as_deref() == Some("zone");
        let name = text(rec.path("newValueJson.name"))
            .or_else(|| text(rec.path("oldValueJson.name")))
            .or_else(|| if is_zone { zone.clone() } else { None });
        d.target(rtype, text(rec.path("resource.id")), name);
        if !is_zone && zone.is_some() {
            d.target(
                Some("zone".into()),
                text(rec.path("metadata.zone_id")),
                zone,
            );
        }

        // Category / activity from the action type table.
        const RULE: &str = "cloudflare:action_type";
        if let Some((c, a)) = table(&action) {
            d.category = Some((c, RULE));
            if let Some(a) = a {
                d.activity = Some((a, RULE));
            }
        }

        // Outcome.
        const ORULE: &str = "cloudflare:action.result";
        let res = rec.path("action.result");
        let ok = res.and_then(|v| match v.kind() {
            Kind::Bool => v.as_bool(),
            Kind::Str => match v.as_str()?.to_ascii_lowercase().as_str() {
                "success" | "true" => Some(true),
                "failure" | "failed" | "false" => Some(false),
                _ => None,
            },
            _ => None,
        });
        d.outcome = Some(match ok {
            Some(true) => (Outcome::Success, FailureKind::None, ORULE),
            Some(false) if action == "login" => {
                d.actor_unverified = true;
                (Outcome::Failure, FailureKind::AuthN, ORULE)
            }
            Some(false) => (Outcome::Failure, FailureKind::Operation, ORULE),
            None => (Outcome::Unknown, FailureKind::None, ORULE),
        });
        if ok == Some(false) {
            d.reason = text(rec.path("action.info"));
        }
        Ok(())
    }
}

/// A state value: the `…Json` object, else the text value unless it is empty or `"null"`.
fn state<'a>(rec: Val<'_, 'a>, json_key: &str, text_key: &str) -> Option<Cow<'a, str>> {
    if let Some(v) = rec.get(json_key).filter(|v| !v.is_null() && !v.is_empty()) {
        return super::any_text(Some(v));
    }
    text(rec.get(text_key)).filter(|s| s != "null")
}

fn table(a: &str) -> Option<(Category, Option<Activity>)> {
    let lower = a.to_ascii_lowercase();
    Some(match lower.as_str() {
        "login" => (Category::Authentication, Some(Activity::Logon)),
        "logout" => (Category::Authentication, Some(Activity::Logoff)),
        "token_roll" => (Category::Credential, Some(Activity::Update)),
        "purge" => (Category::Resource, Some(Activity::Other)),
        "add" => (Category::Resource, Some(Activity::Create)),
        "pending" => (Category::Resource, Some(Activity::Update)),
        "delete" => (Category::Resource, Some(Activity::Delete)),
        l if l.starts_with("rec_") => (
            Category::Resource,
            match l {
                "rec_add" => Some(Activity::Create),
                "rec_del" => Some(Activity::Delete),
                "rec_set" | "rec_edit" | "rec_update" => Some(Activity::Update),
                _ => None,
            },
        ),
        l if l.starts_with("token_")
            || l.contains("api_key")
            || l.contains("_key_")
            || l.ends_with("_key") =>
        {
            (Category::Credential, None)
        }
        l if l.contains("setting") || l.contains("_settings_") || l.starts_with("change_") => (
            Category::Configuration,
            if l.ends_with("deployed") {
                Some(Activity::Update)
            } else {
                None
            },
        ),
        l if l.contains("member") || l.contains("invite") || l.contains("role") => {
            (Category::Identity, None)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).expect("json")));
        assert!(Cloudflare.sniff(doc.root(), &Ctx::default()) >= 70);
        let mut d = Draft::default();
        Cloudflare
            .map(doc.root(), &Ctx::default(), &mut d)
            .expect("maps");
        crate::derive::apply(&mut d, Cloudflare.completed_log());
        d
    }

    #[test]
    fn dns_delete_with_null_strings_and_old_value_json() {
        let d = map(
            r#"{"action":{"result":true,"type":"rec_del"},"actor":{"email":"ops@example.com","id":"u1","ip":"2a02:cf40::1","type":"user"},
            "id":"e1","interface":"UI","metadata":{"zone_name":"example.com"},"newValue":"null","oldValue":"null",
            "oldValueJson":{"content":"v=spf1","name":"example.com","type":"TXT"},"owner":{"id":"acct1"},
            "resource":{"id":"107","type":"DNS_record"},"when":"2021-08-09T10:20:00.289876Z"}"#,
        );
        assert_eq!(d.time.map(|t| t.nanos % 1_000_000_000), Some(289_876_000));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Resource));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Delete));
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Success));
        assert!(d.before.as_deref().is_some_and(|b| b.contains("v=spf1")));
        assert!(d.after.is_none(), "the string \"null\" is no state");
        assert_eq!(d.targets[0].2.as_deref(), Some("example.com"));
        assert_eq!(d.targets[1].0.as_deref(), Some("zone"), "the record's zone");
        assert_eq!(d.tenant.as_deref(), Some("acct1"));
        assert_eq!(d.src.as_deref(), Some("2a02:cf40::1"));
    }

    #[test]
    fn token_lifecycle_and_system_actor() {
        let d = map(
            r#"{"action":{"result":true,"type":"token_create"},"actor":{"email":"u@example.com","id":"u1","ip":"192.0.2.1","type":"user"},
            "id":"e2","interface":"","metadata":{"token_name":"ci","token_tag":"t"},"newValue":"","oldValue":"","owner":{"id":"u1"},
            "resource":{"id":"u1","type":"account"},"when":"2021-11-30T20:19:48Z"}"#,
        );
        assert_eq!(d.category.map(|c| c.0), Some(Category::Credential));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Create));
        assert_eq!(
            d.targets[0],
            (
                Some("api_token".into()),
                Some("t".into()),
                Some("ci".into())
            )
        );
        assert_eq!(d.targets[1].0.as_deref(), Some("account"));
        assert!(d.before.is_none() && d.after.is_none());
        let d = map(
            r#"{"action":{"result":true,"type":"tls_settings_deployed"},"actor":{"id":"1","type":"system"},"id":"e3",
            "newValueJson":{"min_tls_version":"TLSv1.0"},"owner":{"id":"a"},"resource":{"id":"z","type":"zone"},"metadata":{"zone_name":"example.com"},
            "when":"2021-10-10T10:13:46.214209Z"}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::System));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Configuration));
        assert_eq!(d.targets[0].2.as_deref(), Some("example.com"));
        assert!(d.after.as_deref().is_some_and(|a| a.contains("TLSv1.0")));
    }

    #[test]
    fn failed_login_is_authn() {
        let d = map(
            r#"{"action":{"result":false,"type":"login"},"actor":{"email":"x@example.com","ip":"198.51.100.1","type":"user"},"id":"e4","owner":{"id":"a"},"resource":{"type":"account"},"when":"2021-01-01T00:00:00Z"}"#,
        );
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthN))
        );
        assert!(d.actor_unverified);
        let d = map(
            r#"{"action":{"result":true,"type":"purge"},"actor":{"email":"x@example.com","type":"user"},"id":"e5","owner":{"id":"a"},"resource":{"id":"z","type":"zone"},"when":"2021-01-01T00:00:00Z"}"#,
        );
        assert_eq!(
            d.activity.map(|a| a.0),
            Some(Activity::Other),
            "a cache purge is not a deletion"
        );
    }

    #[test]
    fn v2_shape_with_string_result_and_token_actor() {
        let d = map(
            r#"{"account":{"id":"acc"},"action":{"description":"Add DNS record","result":"failure","time":"2024-04-26T17:31:07Z","type":"create"},
            "actor":{"id":"tok","token_id":"tok","token_name":"ci","type":"account_token","ip_address":"198.51.100.2"},"id":"e6",
            "resource":{"id":"r","product":"dns_records","type":"dns_record"}}"#,
        );
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::Operation))
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::ApiKey));
        assert_eq!(d.credential.as_deref(), Some("tok"));
        assert_eq!(d.src.as_deref(), Some("198.51.100.2"));
        assert_eq!(d.tenant.as_deref(), Some("acc"));
    }

    #[test]
    fn sniff_is_specific() {
        let s = |j: &str| {
            Cloudflare.sniff(
                Doc::parse(j.as_bytes()).expect("json").root(),
                &Ctx::default(),
            )
        };
        assert_eq!(
            s(r#"{"errors":[],"messages":[],"result":[],"success":true}"#),
            0
        );
        assert_eq!(
            s(r#"{"action":"rec_add","when":"2021-01-01T00:00:00Z","actor":{}}"#),
            0
        );
    }
}
