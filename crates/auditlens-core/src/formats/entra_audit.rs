//! Entra ID (Azure AD) audit logs: directory changes (users, groups, roles, applications,
//! policies).
//!
//! **Recognised by** `activityDisplayName` (or `OperationName`) with `initiatedBy` and
//! `targetResources`, in three shapes: the Microsoft Graph `directoryAudits` object
//! (camelCase), the diagnostic-settings record (`category: "AuditLogs"`, the entry under
//! `properties`), and the Log Analytics / Sentinel `AuditLogs` row (PascalCase; `Type:
//! "AuditLogs"`). Keys are looked up case- and punctuation-insensitively. Containers: JSON
//! arrays, `{"value":[…]}` pages, NDJSON, CSV.
//!
//! **Mapping.**
//! - time `activityDateTime` (else the diagnostic `time`, else `TimeGenerated`); uid `id`;
//!   correlation `correlationId`; tenant `tenantId` (Log Analytics: `AADTenantId`, not the
//!   workspace's `TenantId`); service `loggedByService`.
//! - action `activityDisplayName` **verbatim** (Sentinel exports carry an en dash and a trailing
//!   space: `Update application – Certificates and secrets management `); matching trims it.
//! - category/activity: a table of security-relevant activities first ([`classify_activity`]:
//!   `Add member to role` → identity/assign, `Disable Strong Authentication` →
//!   credential/disable, `Add service principal credentials` and `… – Certificates and secrets
//!   management` → credential, password resets → credential, consent and permission grants →
//!   identity/assign …), then the Entra `category` (UserManagement, GroupManagement,
//!   RoleManagement → identity; KeyManagement → credential; Policy, ApplicationManagement,
//!   DirectoryManagement → configuration; Device → resource), then `operationType` (Add,
//!   Update, Delete, Assign, Unassign).
//! - outcome `result`: success / failure (`authz` when `resultReason` speaks of denial, else
//!   `operation`) / timeout (failure, `other`); anything else unknown.
//! - actor `initiatedBy.user.userPrincipalName` (kind user; `id`, `ipAddress`) or
//!   `initiatedBy.app.displayName` (kind service; `servicePrincipalId`/`appId`).
//! - user agent: `additionalDetails[key=User-Agent]` (or a `UserAgent` column).
//! - targets `targetResources[]` (type, id, `userPrincipalName` or `displayName`); their
//!   `modifiedProperties[]` become the before/after documents (`{displayName: oldValue}` /
//!   `{displayName: newValue}`, values that hold JSON text embedded as JSON; the bookkeeping
//!   entry `Included Updated Properties` is left out).
//!
//! **Quirks.** Sentinel writes `InitiatedBy`, `TargetResources` and `AdditionalDetails` as JSON
//! *strings*: they are parsed here (owned copies). A Sentinel hunting query that expands
//! `modifiedProperties` emits one row per property with the same `Id`, time and activity (only
//! the `keyEvents` enrichment column differs): these are one audit event and collapse as
//! duplicates of it (the OTRF Golden SAML sample's first two rows).

use std::borrow::Cow;

use super::entra_signin::{embedded_json, own, parse_embedded};
use super::{loose_text, text, Ctx, Format};
use crate::json::{write_str, Doc, Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The Entra ID audit logs format.
pub struct EntraAudit;

/// A derived category and the rule that chose it, if any.
pub type Cat = Option<(Category, &'static str)>;
/// A derived activity and the rule that chose it, if any.
pub type Act = Option<(Activity, &'static str)>;

/// Category and activity of a directory activity, from its display name (trimmed, a trailing
/// `.` ignored, as the M365 audit log writes them), its Entra `category` and `operationType`.
/// Shared with the M365 mapper for `AzureActiveDirectory` records.
pub fn classify_activity(name: &str, category: Option<&str>, op_type: Option<&str>) -> (Cat, Act) {
    let n = name.trim().trim_end_matches('.').trim().to_lowercase();
    let starts = |w: &str| n.starts_with(w);
    let has = |w: &str| n.contains(w);
    let verb_act = || -> Act {
        let a = if starts("add") || starts("create") || starts("register") || has("registered") {
            Activity::Create
        } else if starts("delete") || starts("remove") || has("deleted") {
            Activity::Delete
        } else if starts("disable") {
            Activity::Disable
        } else if starts("enable") {
            Activity::Enable
        } else if starts("update")
            || starts("change")
            || starts("reset")
            || starts("set")
            || has("updated")
            || has("reset")
        {
            Activity::Update
        } else {
            return None;
        };
        Some((a, "entra_audit:activity_verb"))
    };
    let cred = |a: Act| {
        (
            Some((Category::Credential, "entra_audit:credential_activity")),
            a,
        )
    };

    if has("member to role") || has("member from role") {
        let a = if starts("add") {
            Activity::Assign
        } else {
            Activity::Revoke
        };
        return (
            Some((Category::Identity, "entra_audit:role_membership")),
            Some((a, "entra_audit:role_membership")),
        );
    }
    if has("strong authentication") {
        let a = if starts("disable") {
            Activity::Disable
        } else if starts("enable") {
            Activity::Enable
        } else {
            Activity::Update
        };
        return cred(Some((a, "entra_audit:strong_authentication")));
    }
    if has("stsrefreshtokenvalidfrom")
        || has("revoke sign-in sessions")
        || has("invalidate all refresh tokens")
    {
        return cred(Some((Activity::Revoke, "entra_audit:sessions_revoked")));
    }
    if has("security info")
        || has("password")
        || has("credentials")
        || has("certificates and secrets")
        || has("authentication method")
    {
        return cred(verb_act());
    }
    if has("consent to application") || has("permission grant") || has("app role assignment") {
        let a = if starts("remove") || starts("revoke") || starts("delete") {
            Activity::Revoke
        } else {
            Activity::Assign
        };
        return (
            Some((Category::Identity, "entra_audit:permission_grant")),
            Some((a, "entra_audit:permission_grant")),
        );
    }
    if (has("member to group") || has("owner to")) && starts("add") {
        return (
            Some((Category::Identity, "entra_audit:membership")),
            Some((Activity::Assign, "entra_audit:membership")),
        );
    }
    if (has("member from group") || has("owner from")) && starts("remove") {
        return (
            Some((Category::Identity, "entra_audit:membership")),
            Some((Activity::Revoke, "entra_audit:membership")),
        );
    }

    let cat = category.and_then(|c| {
        let k = match c.trim().to_ascii_lowercase().as_str() {
            "usermanagement"
            | "groupmanagement"
            | "rolemanagement"
            | "administrativeunit"
            | "entitlementmanagement"
            | "contact"
            | "authorization" => Category::Identity,
            "keymanagement" => Category::Credential,
            "policy"
            | "authorizationpolicy"
            | "permissiongrantpolicy"
            | "directorymanagement"
            | "deviceconfiguration"
            | "applicationmanagement"
            | "label"
            | "kerberosdomain"
            | "crosstenantaccesssettings" => Category::Configuration,
            "device" | "resourcemanagement" => Category::Resource,
            _ => return None,
        };
        Some((k, "entra_audit:category"))
    });
    let cat = cat.or_else(|| {
        // No Entra category (M365 AzureActiveDirectory records): the object the name speaks of.
        let k = if has("user") || has("group") || has("role") || has("member") {
            Category::Identity
        } else if has("policy")
            || has("service principal")
            || has("application")
            || has("domain")
            || has("company")
        {
            Category::Configuration
        } else {
            return None;
        };
        Some((k, "entra_audit:activity_object"))
    });
    // Enable/disable in the name says more than the generic operation type ("Update").
    let act = match verb_act() {
        Some((a @ (Activity::Enable | Activity::Disable), r)) => Some((a, r)),
        _ => op_type.and_then(|t| {
            let a = match t.trim().to_ascii_lowercase().as_str() {
                "add" | "create" => Activity::Create,
                "update" => Activity::Update,
                "delete" => Activity::Delete,
                "assign" => Activity::Assign,
                "unassign" => Activity::Revoke,
                _ => return None,
            };
            Some((a, "entra_audit:operationType"))
        }),
    };
    (cat, act.or_else(verb_act))
}

/// Builds before/after JSON objects from a `[{name, oldValue, newValue}]` list (Entra
/// `modifiedProperties`, M365 `ModifiedProperties`). Values holding JSON text are embedded as
/// JSON; `Included Updated Properties` (a list of the changed names) is skipped.
pub fn changes_from_props<'d, 'x: 'd>(
    items: impl Iterator<Item = Val<'d, 'x>>,
) -> (Option<String>, Option<String>) {
    let (mut before, mut after) = (String::from("{"), String::from("{"));
    let (mut n, mut any_old, mut any_new) = (0, false, false);
    let mut seen: Vec<String> = Vec::new();
    for it in items {
        let Some(name) = loose_text(it, &["displayname", "name"]) else {
            continue;
        };
        if name.eq_ignore_ascii_case("Included Updated Properties") {
            continue;
        }
        let mut key = name.into_owned();
        if seen.contains(&key) {
            key = format!("{key} ({})", n + 1);
        }
        let sep = if n > 0 { "," } else { "" };
        for (buf, field, any) in [
            (&mut before, "oldvalue", &mut any_old),
            (&mut after, "newvalue", &mut any_new),
        ] {
            buf.push_str(sep);
            write_str(buf, &key);
            buf.push(':');
            *any |= put_value(buf, it.get_folded(field));
        }
        seen.push(key);
        n += 1;
    }
    before.push('}');
    after.push('}');
    (any_old.then_some(before), any_new.then_some(after))
}

/// Writes a property value: JSON text as JSON, other text as a string; true if non-empty.
fn put_value(buf: &mut String, v: Option<Val<'_, '_>>) -> bool {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        buf.push_str("null");
        return false;
    };
    match v.kind() {
        Kind::Str => {
            let s = v.as_str().unwrap_or_default();
            let t = s.trim();
            if t.is_empty() {
                buf.push_str("null");
                return false;
            }
            let looks_json = t.starts_with(['{', '[', '"'])
                || t == "true"
                || t == "false"
                || t.parse::<f64>().is_ok();
            if looks_json && Doc::parse(t.as_bytes()).is_ok() {
                buf.push_str(t);
            } else {
                write_str(buf, &s);
            }
            true
        }
        _ => {
            buf.push_str(&String::from_utf8_lossy(v.raw()));
            true
        }
    }
}

/// Number of elements in a JSON-array text (`"[…]"`), if it is one.
fn array_len(v: Option<Val<'_, '_>>) -> Option<usize> {
    let s = v?.as_str()?;
    let d = Doc::parse(s.trim().as_bytes()).ok()?;
    (d.root().kind() == Kind::Arr).then(|| d.root().len())
}

/// Where the entry's fields live: `properties` for diagnostic records, the record otherwise.
fn body<'d, 'a>(rec: Val<'d, 'a>) -> (Val<'d, 'a>, bool) {
    let diag = rec
        .get("category")
        .and_then(|c| c.as_str())
        .is_some_and(|c| c.eq_ignore_ascii_case("AuditLogs"));
    match rec.get("properties").filter(|p| p.kind() == Kind::Obj) {
        Some(p) if diag => (p, true),
        _ => (rec, false),
    }
}

impl Format for EntraAudit {
    fn id(&self) -> &'static str {
        "entra_audit"
    }
    fn name(&self) -> &'static str {
        "Entra ID audit logs"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("azure", "auditlogs")
    }

    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let (p, diag) = body(rec);
        let has = |n: &str| p.get_folded(n).is_some();
        if diag && has("activitydisplayname") {
            return 96;
        }
        let la = rec
            .get_folded("type")
            .and_then(|t| t.as_str())
            .is_some_and(|t| t == "AuditLogs");
        let named = has("activitydisplayname") || has("operationname");
        if !named {
            return 0;
        }
        let parts = has("initiatedby") as u32 + has("targetresources") as u32;
        match (la, parts) {
            (true, _) => 96,
            (_, 2) => 92,
            (_, 1) if has("activitydatetime") || has("loggedbyservice") => 80,
            _ if has("activitydisplayname") && has("activitydatetime") && has("category") => 70,
            _ => 0,
        }
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        let (p, diag) = body(rec);
        let l = |names: &[&str]| loose_text(p, names);
        if p.get_folded("activitydatetime")
            .is_some_and(|v| !v.is_empty())
        {
            super::set_time_loose(d, p, &["activitydatetime"], ctx)?;
        } else if diag {
            super::set_time(d, rec, &["time"], ctx)?;
        } else {
            super::set_time_loose(d, p, &["timegenerated", "time"], ctx)?;
        }

        // Verbatim (a trailing space included); matching below uses the trimmed form.
        d.action = ["activitydisplayname", "operationname"]
            .iter()
            .find_map(|n| {
                p.get_folded(n)
                    .and_then(|v| v.as_str())
                    .filter(|s| !s.trim().is_empty())
            })
            .or_else(|| loose_text(rec, &["operationname"]));
        d.service = l(&["loggedbyservice"]);
        d.uid = l(&["id"]);
        d.correlation = l(&["correlationid"]).or_else(|| loose_text(rec, &["correlationid"]));
        // Log Analytics rows: `TenantId` is the workspace, `AADTenantId` the directory.
        let la = rec.get_folded("timegenerated").is_some();
        d.tenant = loose_text(rec, &["aadtenantid"])
            .or_else(|| loose_text(rec, &["tenantid"]).filter(|_| !la))
            .or_else(|| l(&["aadtenantid", "tenantid"]).filter(|_| !la));
        let category = l(&["category"]);
        let op_type = l(&["operationtype", "aadoperationtype"]);
        let (cat, mut act) = classify_activity(
            d.action.as_deref().unwrap_or(""),
            category.as_deref(),
            op_type.as_deref(),
        );
        d.category = cat;

        // Outcome.
        let reason = l(&["resultreason"]);
        d.outcome = match l(&["result"])
            .map(|r| r.trim().to_ascii_lowercase())
            .as_deref()
        {
            Some("success") => Some((Outcome::Success, FailureKind::None, "entra_audit:result")),
            Some("failure") => {
                let denied = reason.as_deref().is_some_and(|r| {
                    let r = r.to_ascii_lowercase();
                    [
                        "denied",
                        "insufficient",
                        "forbidden",
                        "not authorized",
                        "unauthorized",
                    ]
                    .iter()
                    .any(|w| r.contains(w))
                });
                let k = if denied {
                    FailureKind::AuthZ
                } else {
                    FailureKind::Operation
                };
                Some((Outcome::Failure, k, "entra_audit:result"))
            }
            Some("timeout") => Some((
                Outcome::Failure,
                FailureKind::Other,
                "entra_audit:result_timeout",
            )),
            _ => Some((Outcome::Unknown, FailureKind::None, "entra_audit:no_result")),
        };
        d.status_code = l(&["result"]);
        d.reason = reason;
        if let Some(c) = category {
            d.text.push(c);
        }

        // Actor (the member may be a JSON string: Sentinel).
        let ib_txt = embedded_json(p.get_folded("initiatedby"));
        if let Some(ib) = parse_embedded(&ib_txt) {
            let ib = ib.root();
            let user = ib.get_folded("user").filter(|u| u.kind() == Kind::Obj);
            let app = ib.get_folded("app").filter(|u| u.kind() == Kind::Obj);
            let user_name = user.and_then(|u| {
                text(u.get_folded("userprincipalname"))
                    .or_else(|| text(u.get_folded("displayname")))
            });
            let user_id = user.and_then(|u| text(u.get_folded("id")));
            if user_name.is_some() || user_id.is_some() {
                d.actor_kind = Some(PrincipalKind::User);
                d.actor_name = own(user_name);
                d.actor_id = own(user_id);
                d.src = own(user.and_then(|u| text(u.get_folded("ipaddress"))));
            } else if let Some(app) = app {
                d.actor_kind = Some(PrincipalKind::ServiceAccount);
                d.actor_name = own(text(app.get_folded("displayname"))
                    .or_else(|| text(app.get_folded("serviceprincipalname"))));
                d.actor_id = own(text(app.get_folded("serviceprincipalid"))
                    .or_else(|| text(app.get_folded("appid"))));
            }
        }
        if d.src.is_none() {
            d.src = loose_text(rec, &["calleripaddress"]);
        }

        // User agent from additionalDetails [{key, value}].
        let ad_txt = embedded_json(p.get_folded("additionaldetails"));
        if let Some(ad) = parse_embedded(&ad_txt) {
            d.user_agent = own(ad.root().elements().find_map(|e| {
                let k = text(e.get_folded("key"))?;
                k.eq_ignore_ascii_case("User-Agent")
                    .then(|| text(e.get_folded("value")))?
            }));
            d.text.push(Cow::Owned(ad_txt.clone().unwrap_or_default()));
        }
        if d.user_agent.is_none() {
            d.user_agent = l(&["useragent"]);
        }

        // Targets and their modified properties.
        let tr_txt = embedded_json(p.get_folded("targetresources"));
        if let Some(tr) = parse_embedded(&tr_txt) {
            let root = tr.root();
            let list: Vec<Val<'_, '_>> = match root.kind() {
                Kind::Arr => root.elements().collect(),
                Kind::Obj => vec![root],
                _ => Vec::new(),
            };
            for t in &list {
                let name = text(t.get_folded("userprincipalname"))
                    .or_else(|| text(t.get_folded("displayname")));
                d.target(
                    own(text(t.get_folded("type"))),
                    own(text(t.get_folded("id"))),
                    own(name),
                );
            }
            let props = || {
                list.iter().flat_map(|t| {
                    t.get_folded("modifiedproperties")
                        .into_iter()
                        .flat_map(|m| m.elements())
                })
            };
            let (before, after) = changes_from_props(props());
            d.before = before.map(Cow::Owned);
            d.after = after.map(Cow::Owned);
            // A credential added to or removed from an application: compare the key lists.
            if matches!(d.category, Some((Category::Credential, _))) {
                if let Some(k) = props().find(|m| {
                    text(m.get_folded("displayname"))
                        .is_some_and(|n| n.eq_ignore_ascii_case("KeyDescription"))
                }) {
                    if let (Some(o), Some(n)) = (
                        array_len(k.get_folded("oldvalue")),
                        array_len(k.get_folded("newvalue")),
                    ) {
                        let a = match n.cmp(&o) {
                            std::cmp::Ordering::Greater => Activity::Create,
                            std::cmp::Ordering::Less => Activity::Delete,
                            std::cmp::Ordering::Equal => Activity::Update,
                        };
                        act = Some((a, "entra_audit:key_list_change"));
                    }
                }
            }
        }
        d.activity = act;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn map(src: &str) -> Draft<'static> {
        let src: &'static str = Box::leak(src.to_string().into_boxed_str());
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        assert!(EntraAudit.sniff(doc.root(), &Ctx::default()) > 0, "sniff");
        let mut d = Draft::default();
        EntraAudit.map(doc.root(), &Ctx::default(), &mut d).unwrap();
        crate::derive::apply(&mut d, EntraAudit.completed_log());
        d
    }

    fn ca(d: &Draft<'_>) -> (Category, Activity) {
        (d.category.unwrap().0, d.activity.unwrap().0)
    }

    #[test]
    fn graph_role_assignment_is_identity_assign() {
        let d = map(
            r#"{"id":"Directory_1","category":"RoleManagement","correlationId":"c1","result":"success","activityDisplayName":"Add member to role","activityDateTime":"2024-03-01T10:00:00Z","loggedByService":"Core Directory","operationType":"Assign","initiatedBy":{"user":{"id":"u1","userPrincipalName":"admin@example.com","ipAddress":"198.51.100.4"}},"targetResources":[{"id":"u2","type":"User","userPrincipalName":"eve@example.com","modifiedProperties":[{"displayName":"Role.DisplayName","oldValue":null,"newValue":"\"Global Administrator\""}]}],"additionalDetails":[{"key":"User-Agent","value":"Mozilla/5.0"}]}"#,
        );
        assert_eq!(ca(&d), (Category::Identity, Activity::Assign));
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
        assert_eq!(d.actor_name.as_deref(), Some("admin@example.com"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert_eq!(d.src.as_deref(), Some("198.51.100.4"));
        assert_eq!(d.user_agent.as_deref(), Some("Mozilla/5.0"));
        assert_eq!(d.targets[0].2.as_deref(), Some("eve@example.com"));
        assert_eq!(
            d.after.as_deref(),
            Some(r#"{"Role.DisplayName":"Global Administrator"}"#)
        );
        assert!(d.before.is_none());
        assert_eq!(d.service.as_deref(), Some("Core Directory"));
    }

    #[test]
    fn disable_strong_authentication_is_credential_disable() {
        let d = map(
            r#"{"id":"x","category":"UserManagement","result":"success","activityDisplayName":"Disable Strong Authentication","activityDateTime":"2024-03-01T10:00:00Z","operationType":"Update","initiatedBy":{"user":{"userPrincipalName":"a@x.io"}},"targetResources":[{"type":"User","userPrincipalName":"b@x.io"}]}"#,
        );
        assert_eq!(ca(&d), (Category::Credential, Activity::Disable));
    }

    #[test]
    fn sentinel_row_with_json_strings_en_dash_and_trailing_space() {
        let src = r#"{"TimeGenerated":"2021-08-02T13:29:25.983Z","OperationName":"Update application – Certificates and secrets management ","Category":"ApplicationManagement","CorrelationId":"c","Id":"Directory_c_X_1","Result":"success","LoggedByService":"Core Directory","AADTenantId":"t","ActivityDisplayName":"Update application – Certificates and secrets management ","ActivityDateTime":"2021-08-02T13:29:25.983Z","AADOperationType":"Update","Type":"AuditLogs","InitiatedBy":"{\"user\":{\"id\":\"u\",\"displayName\":null,\"userPrincipalName\":\"pg@lab.com\",\"ipAddress\":null}}","TargetResources":"[{\"id\":\"app-1\",\"displayName\":\"LabApp\",\"type\":\"Application\",\"modifiedProperties\":[{\"displayName\":\"KeyDescription\",\"oldValue\":\"[]\",\"newValue\":\"[\\\"[KeyIdentifier=k1,KeyType=Password]\\\"]\"},{\"displayName\":\"Included Updated Properties\",\"oldValue\":null,\"newValue\":\"\\\"KeyDescription\\\"\"}]}]","AdditionalDetails":"[{\"key\":\"User-Agent\",\"value\":\"WindowsPowerShell/5.1\"}]"}"#;
        let d = map(src);
        assert_eq!(
            d.action.as_deref(),
            Some("Update application – Certificates and secrets management "),
            "verbatim"
        );
        assert_eq!(
            ca(&d),
            (Category::Credential, Activity::Create),
            "a key was added"
        );
        assert_eq!(d.activity.unwrap().1, "entra_audit:key_list_change");
        assert_eq!(d.actor_name.as_deref(), Some("pg@lab.com"));
        assert_eq!(d.actor_id.as_deref(), Some("u"));
        assert!(d.src.is_none(), "null ipAddress");
        assert_eq!(d.user_agent.as_deref(), Some("WindowsPowerShell/5.1"));
        assert_eq!(d.targets.len(), 1);
        assert_eq!(d.targets[0].0.as_deref(), Some("Application"));
        assert_eq!(d.targets[0].2.as_deref(), Some("LabApp"));
        assert_eq!(d.before.as_deref(), Some(r#"{"KeyDescription":[]}"#));
        assert_eq!(
            d.after.as_deref(),
            Some(r#"{"KeyDescription":["[KeyIdentifier=k1,KeyType=Password]"]}"#)
        );
        assert_eq!(d.tenant.as_deref(), Some("t"));
        assert_eq!(d.uid.as_deref(), Some("Directory_c_X_1"));
    }

    #[test]
    fn app_initiator_and_failure_reason() {
        let d = map(
            r#"{"id":"x","category":"ApplicationManagement","result":"failure","resultReason":"Insufficient privileges to complete the operation.","activityDisplayName":"Add service principal credentials","activityDateTime":"2024-03-01T10:00:00Z","initiatedBy":{"app":{"displayName":"Terraform","servicePrincipalId":"sp-9"}},"targetResources":[{"id":"sp-1","type":"ServicePrincipal","displayName":"api"}]}"#,
        );
        assert_eq!(ca(&d), (Category::Credential, Activity::Create));
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
        assert_eq!(d.actor_name.as_deref(), Some("Terraform"));
        assert_eq!(d.actor_id.as_deref(), Some("sp-9"));
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthZ);
    }

    #[test]
    fn diagnostic_shape_and_category_fallbacks() {
        let d = map(
            r#"{"time":"2024-03-01T10:00:01Z","category":"AuditLogs","operationName":"Update conditional access policy","tenantId":"t9","properties":{"id":"p","category":"Policy","result":"success","activityDisplayName":"Update conditional access policy","activityDateTime":"2024-03-01T10:00:00Z","operationType":"Update","initiatedBy":{"user":{"userPrincipalName":"a@x.io"}},"targetResources":[{"id":"pol","type":"Policy","displayName":"Require MFA"}]}}"#,
        );
        assert_eq!(ca(&d), (Category::Configuration, Activity::Update));
        assert_eq!(d.time_raw.as_deref(), Some("2024-03-01T10:00:00Z"));
        assert_eq!(d.tenant.as_deref(), Some("t9"));
        let d = map(
            r#"{"id":"y","category":"GroupManagement","result":"success","activityDisplayName":"Add member to group","activityDateTime":"2024-03-01T10:00:00Z","initiatedBy":{},"targetResources":[{"id":"g","type":"Group","displayName":"admins"}]}"#,
        );
        assert_eq!(ca(&d), (Category::Identity, Activity::Assign));
        assert_eq!(d.actor_kind, None);
    }

    #[test]
    fn ual_style_names_with_trailing_dot() {
        let c = |n: &str| {
            let (c, a) = classify_activity(n, None, None);
            (c.map(|x| x.0), a.map(|x| x.0))
        };
        assert_eq!(
            c("Reset user password."),
            (Some(Category::Credential), Some(Activity::Update))
        );
        assert_eq!(
            c("Add service principal."),
            (Some(Category::Configuration), Some(Activity::Create))
        );
        assert_eq!(
            c("Update StsRefreshTokenValidFrom Timestamp."),
            (Some(Category::Credential), Some(Activity::Revoke))
        );
        assert_eq!(
            c("Disable Strong Authentication."),
            (Some(Category::Credential), Some(Activity::Disable))
        );
        assert_eq!(
            c("Add member to role."),
            (Some(Category::Identity), Some(Activity::Assign))
        );
        assert_eq!(
            c("Consent to application."),
            (Some(Category::Identity), Some(Activity::Assign))
        );
        assert_eq!(
            c("Add user."),
            (Some(Category::Identity), Some(Activity::Create))
        );
    }

    #[test]
    fn sniff_is_specific() {
        let signin = Doc::parse(br#"{"createdDateTime":"2025-08-15T15:20:26Z","userPrincipalName":"a@b.c","status":{"errorCode":0}}"#).unwrap();
        assert_eq!(EntraAudit.sniff(signin.root(), &Ctx::default()), 0);
        let azure = Doc::parse(br#"{"time":"2019-10-24T00:13:46Z","operationName":"MICROSOFT.EVENTHUB/NAMESPACES/AUTHORIZATIONRULES/LISTKEYS/ACTION","resultType":"Start","category":"Action","resourceId":"/SUBSCRIPTIONS/x"}"#).unwrap();
        assert_eq!(EntraAudit.sniff(azure.root(), &Ctx::default()), 0);
    }
}
