//! Azure Activity Log (control-plane operations on subscriptions and resources).
//!
//! **Recognised by** an operation name plus a stage/status, in four shapes:
//! - diagnostic settings / Event Hub / storage blobs (`{"records":[…]}`): `time`, `resourceId`,
//!   `operationName` (a string, often upper-cased), `category`, `resultType` (Start, Accept,
//!   Success, Failure), `resultSignature`, `callerIpAddress`, `identity.{authorization,claims}`,
//!   `properties` (sometimes a JSON *string*);
//! - the REST API / portal JSON (`{"value":[…]}`): `eventTimestamp`, `operationName.value`,
//!   `status.value` (Started, Accepted, Succeeded, Failed), `subStatus`, `caller`, `claims`,
//!   `httpRequest.clientIpAddress`, `eventDataId`;
//! - the Python SDK / `az monitor activity-log list` output: the same in snake_case
//!   (`operation_name.value`, `event_timestamp`, `http_request.client_ip_address` …);
//! - the Log Analytics `AzureActivity` table: `OperationNameValue`, `ActivityStatusValue`,
//!   `Caller`, `CallerIpAddress`, `TimeGenerated`, `Claims`/`Properties` as JSON strings.
//!
//! Keys are matched case- and punctuation-insensitively, so camelCase, snake_case and PascalCase
//! need no separate code. Entra records that share the diagnostic envelope (`SignInLogs`,
//! `AuditLogs`, resource `/tenants/…/providers/Microsoft.aadiam`) are left to their formats.
//!
//! **Mapping.**
//! - action: the operation name verbatim (`MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE`,
//!   `Microsoft.Authorization/roleAssignments/write`); service: the resource provider
//!   (`resourceProviderName.value`, else the operation's first segment).
//! - category/activity from the operation: `…/delete` → delete; `…/write` → update, or create
//!   when the response status says `Created`; `…/read` → data access; `…/action` → other,
//!   except key and secret retrieval (`listKeys`, `listKeyValue`, `listCredentials`,
//!   `listAccountSas`, `regenerateKey` …) → credential read (update for regenerate).
//!   `Microsoft.Authorization/roleAssignments|roleDefinitions|elevateAccess` → identity (a
//!   role-assignment write is an assign, a delete a revoke); `Microsoft.Insights/
//!   diagnosticSettings|logProfiles|activityLogAlerts`, `Microsoft.OperationalInsights/…`,
//!   `Microsoft.Authorization/policy*|locks`, `Microsoft.Security/…` → configuration;
//!   `Microsoft.KeyVault/vaults/secrets|keys` → credential; health, advisory and alert
//!   categories (ServiceHealth, ResourceHealth, Recommendation, Alert, Autoscale) → other.
//! - outcome: `resultType`/`status.value`: Success/Succeeded → success; Failure/Failed →
//!   failure (`authz` for Forbidden/AuthorizationFailed and policy denials, `authn` for
//!   Unauthorized, `throttled` for TooManyRequests, else `operation`); Canceled → failure
//!   (`operation`); Start/Accept and any other status → unknown. `status_code` =
//!   `properties.statusCode` / `subStatus` / `resultSignature` / the status itself.
//! - **stages**: one operation logs Start (or Accept) and then Success or Failure with the same
//!   `correlationId`. They share a merge key (correlation id + operation + resource id, case
//!   folded) so they combine into one event, the terminal stage supplying the fields
//!   (rank: Success/Failure/Canceled 3 > Accept and other statuses 2 > Start 1). The key
//!   includes the operation and the resource because one deployment's correlation id spans
//!   many operations.
//! - actor: `caller` (a UPN → user; a GUID → service principal), or from the claims (upn,
//!   `name`, then `appid`); the kind also from `identity.authorization.evidence.principalType`
//!   and the `idtyp` claim; actor id = the `objectidentifier` claim; `mfa` from the
//!   `authnmethodsreferences` claim (`mfa` present → true, other methods → false). No caller at
//!   all on a health/advisory record → system.
//! - src `callerIpAddress` / `httpRequest.clientIpAddress` / the `ipaddr` claim.
//! - target: the `resourceId` (type = resource type, name = its last segment); for role
//!   assignments also the `principalId` and `roleDefinitionId` of the request body.
//! - tenant: the subscription id from `resourceId` (else `subscriptionId`, else the tenant
//!   claim); region: `location` unless `global`; uid `eventDataId`; correlation
//!   `correlationId`; the request body of a `…/write` becomes the `after` state.
//!
//! **Quirks.** Upper-cased operation names and resource ids in diagnostic records; claims keyed
//! by full URIs; `properties` and its `requestbody`/`responseBody` either objects or JSON
//! strings (parsed here, owned); sanitized GUIDs with non-hex letters; no user agent anywhere.

use std::borrow::Cow;

use super::entra_signin::{embedded_json, is_guid, own, parse_embedded};
use super::{loose, loose_text, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The Azure Activity Log format.
pub struct AzureActivity;

/// Diagnostic categories that belong to Entra ID, not to the Activity Log.
const ENTRA_CATEGORIES: &[&str] = &[
    "signinlogs",
    "noninteractiveusersigninlogs",
    "serviceprincipalsigninlogs",
    "managedidentitysigninlogs",
    "microsoftserviceprincipalsigninlogs",
    "adfssigninlogs",
    "auditlogs",
    "provisioninglogs",
    "riskyusers",
    "userriskevents",
];

/// Operations (last segments before `/action`) that hand out keys, secrets or tokens.
const KEY_READ: &[&str] = &[
    "listkeys",
    "listkeyvalue",
    "listcredentials",
    "listclusteradmincredential",
    "listclusterusercredential",
    "listaccountsas",
    "listservicesas",
    "listconnectionstrings",
    "listsecrets",
    "getsecret",
    "listadmincredentials",
    "listpublishingcredentials",
];

const CLAIM_UPN: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
const CLAIM_NAME: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
const CLAIM_OID: &str = "http://schemas.microsoft.com/identity/claims/objectidentifier";
const CLAIM_TID: &str = "http://schemas.microsoft.com/identity/claims/tenantid";
const CLAIM_AMR: &str = "http://schemas.microsoft.com/claims/authnmethodsreferences";

/// A value that is either text or a `{value, localizedValue}` object (REST/SDK shapes).
fn value_text<'a>(v: Option<Val<'_, 'a>>) -> Option<Cow<'a, str>> {
    let v = v?;
    if v.kind() == Kind::Obj {
        text(v.get_folded("value"))
    } else {
        text(Some(v))
    }
}

/// The operation name of any shape.
fn operation<'a>(rec: Val<'_, 'a>) -> Option<Cow<'a, str>> {
    loose_text(rec, &["operationnamevalue"]).or_else(|| value_text(rec.get_folded("operationname")))
}

/// The stage/status of any shape.
fn status<'a>(rec: Val<'_, 'a>) -> Option<Cow<'a, str>> {
    value_text(rec.get_folded("resulttype"))
        .or_else(|| loose_text(rec, &["activitystatusvalue"]))
        .or_else(|| value_text(rec.get_folded("status")))
        .or_else(|| loose_text(rec, &["activitystatus"]))
}

/// Stage rank for merging: terminal statuses win.
fn rank(status: &str) -> u8 {
    match status.to_ascii_lowercase().as_str() {
        "start" | "started" => 1,
        "success" | "succeeded" | "failure" | "failed" | "canceled" | "cancelled" => 3,
        _ => 2,
    }
}

/// The subscription id in a resource id (`/subscriptions/<id>/…`, any case).
fn subscription(resource_id: &str) -> Option<&str> {
    let mut it = resource_id.split('/');
    while let Some(seg) = it.next() {
        if seg.eq_ignore_ascii_case("subscriptions") {
            return it.next().filter(|s| !s.is_empty());
        }
    }
    None
}

/// Resource type of a resource id: `Microsoft.Compute/virtualMachines` (provider + type
/// segments after the last `providers`).
fn resource_type(resource_id: &str) -> Option<String> {
    let segs: Vec<&str> = resource_id.split('/').filter(|s| !s.is_empty()).collect();
    let p = segs
        .iter()
        .rposition(|s| s.eq_ignore_ascii_case("providers"))?;
    let rest = &segs[p + 1..];
    let ns = rest.first()?;
    let mut ty = vec![*ns];
    // Type names sit at odd offsets after the namespace: ns/type/name/type/name…
    ty.extend(rest.iter().skip(1).step_by(2));
    if ty.len() == 1 {
        return Some(ns.to_string());
    }
    Some(ty.join("/"))
}

/// Category and activity from the operation name (lower-cased) and the record's category.
fn classify(
    op: &str,
    record_category: Option<&str>,
    created: bool,
) -> (Category, Activity, &'static str) {
    let o = op.to_ascii_lowercase();
    let segs: Vec<&str> = o.split('/').collect();
    let verb = segs.last().copied().unwrap_or("");
    let before_verb = if segs.len() >= 2 {
        segs[segs.len() - 2]
    } else {
        ""
    };
    let provider = segs.first().copied().unwrap_or("");
    let has = |w: &str| o.contains(w);

    let activity = match verb {
        "delete" => Activity::Delete,
        "write" if created => Activity::Create,
        "write" => Activity::Update,
        "read" => Activity::Read,
        _ => Activity::Other,
    };
    if verb == "action" && KEY_READ.contains(&before_verb) {
        return (
            Category::Credential,
            Activity::Read,
            "azure_activity:key_retrieval",
        );
    }
    if verb == "action"
        && (before_verb.starts_with("regenerate") || before_verb.starts_with("rotate"))
    {
        return (
            Category::Credential,
            Activity::Update,
            "azure_activity:key_regeneration",
        );
    }
    if provider == "microsoft.authorization"
        && (has("/roleassignments")
            || has("/roledefinitions")
            || has("/elevateaccess")
            || has("/denyassignments"))
    {
        let a = match (has("/roleassignments"), activity) {
            (true, Activity::Create | Activity::Update) => Activity::Assign,
            (true, Activity::Delete) => Activity::Revoke,
            (_, Activity::Other) if has("/elevateaccess") => Activity::Assign,
            (_, a) => a,
        };
        return (Category::Identity, a, "azure_activity:authorization");
    }
    if provider == "microsoft.managedidentity" {
        return (
            Category::Identity,
            activity,
            "azure_activity:managed_identity",
        );
    }
    if provider == "microsoft.keyvault" && (has("/secrets") || has("/keys") || has("/certificates"))
    {
        return (Category::Credential, activity, "azure_activity:key_vault");
    }
    let config = (provider == "microsoft.insights"
        && (has("/diagnosticsettings")
            || has("/logprofiles")
            || has("/activitylogalerts")
            || has("/datacollectionrules")))
        || provider == "microsoft.operationalinsights"
        || provider == "microsoft.security"
        || provider == "microsoft.policyinsights"
        || (provider == "microsoft.authorization" && (has("/policy") || has("/locks")));
    if config {
        return (
            Category::Configuration,
            activity,
            "azure_activity:settings_and_policy",
        );
    }
    if let Some(c) = record_category {
        let c = c.to_ascii_lowercase();
        if matches!(
            c.as_str(),
            "servicehealth" | "resourcehealth" | "recommendation" | "alert" | "autoscale"
        ) {
            return (
                Category::Other,
                Activity::Other,
                "azure_activity:health_or_advisory_category",
            );
        }
    }
    match activity {
        Activity::Read => (Category::DataAccess, activity, "azure_activity:read"),
        _ => (
            Category::Resource,
            activity,
            "azure_activity:operation_verb",
        ),
    }
}

impl Format for AzureActivity {
    fn id(&self) -> &'static str {
        "azure_activity"
    }
    fn name(&self) -> &'static str {
        "Azure Activity Log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("azure", "activitylogs")
    }

    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let has = |n: &str| rec.get_folded(n).is_some();
        let Some(op) = operation(rec) else { return 0 };
        let cat = value_text(rec.get_folded("category")).map(|c| c.to_ascii_lowercase());
        if cat
            .as_deref()
            .is_some_and(|c| ENTRA_CATEGORIES.contains(&c))
        {
            return 0;
        }
        let rid = loose_text(rec, &["resourceid"]).map(|r| r.to_ascii_lowercase());
        if rid
            .as_deref()
            .is_some_and(|r| r.contains("/providers/microsoft.aadiam"))
            || has("activitydisplayname")
        {
            return 0;
        }
        let provider_like = op.contains('/') && op.to_ascii_lowercase().starts_with("microsoft.");
        // REST / SDK: operationName and status as {value, localizedValue}.
        let nested = rec
            .get_folded("operationname")
            .is_some_and(|v| v.kind() == Kind::Obj);
        let mut s = 0;
        if (nested && (has("eventtimestamp") || has("eventdataid")))
            || (has("operationnamevalue") && (has("activitystatusvalue") || has("categoryvalue")))
        {
            s = 90;
        } else if has("resulttype") && has("time") && (has("resourceid") || has("calleripaddress"))
        {
            s = if provider_like { 88 } else { 60 };
        } else if provider_like
            && (has("correlationid") || has("caller"))
            && (has("status") || has("resulttype"))
        {
            s = 60;
        }
        if s > 0 && (has("calleripaddress") || has("claims") || has("identity") || has("caller")) {
            s += 5;
        }
        s.min(96)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        let l = |names: &[&str]| loose_text(rec, names);
        let ts = ["eventtimestamp", "time", "timegenerated"]
            .iter()
            .find_map(|n| rec.get_folded(n).filter(|v| !v.is_empty()).map(|v| (n, v)));
        match ts {
            Some((_, v)) if v.kind() == Kind::Obj => {
                // {value, localizedValue}
                super::set_time_loose(d, v, &["value"], ctx)?;
            }
            Some((n, _)) => super::set_time_loose(d, rec, &[n], ctx)?,
            None => {
                return Err("no timestamp (looked for eventTimestamp, time, TimeGenerated)".into())
            }
        }
        let op = operation(rec).ok_or("no operation name (operationName)")?;
        d.action = Some(op.clone());
        let st = status(rec);
        let record_category =
            value_text(rec.get_folded("category")).or_else(|| l(&["categoryvalue"]));

        // Properties: an object or a JSON string.
        let props_txt = embedded_json(loose(rec, &["properties"]));
        let props_doc = parse_embedded(&props_txt);
        let props = props_doc
            .as_ref()
            .map(|p| p.root())
            .filter(|p| p.kind() == Kind::Obj);
        let status_code = own(props.and_then(|p| text(p.get_folded("statuscode"))));

        let created = status_code
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case("Created") || c == "201");
        let (cat, act, rule) = classify(&op, record_category.as_deref(), created);
        d.category = Some((cat, rule));
        d.activity = Some((act, rule));

        // Outcome and stage.
        let sub_status =
            value_text(rec.get_folded("substatus")).or_else(|| l(&["activitysubstatusvalue"]));
        let signature = l(&["resultsignature"]);
        let hint = [
            status_code.as_deref(),
            sub_status.as_deref(),
            signature.as_deref(),
        ]
        .iter()
        .flatten()
        .map(|s| s.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
        let opl = op.to_ascii_lowercase();
        d.outcome = Some(
            match st.as_deref().map(|s| s.to_ascii_lowercase()).as_deref() {
                Some("success" | "succeeded") => {
                    (Outcome::Success, FailureKind::None, "azure_activity:status")
                }
                Some("failure" | "failed") => {
                    let k = if hint.contains("forbidden")
                        || hint.contains("authorizationfailed")
                        || hint.contains("403")
                        || opl.contains("/policies/deny/")
                    {
                        FailureKind::AuthZ
                    } else if hint.contains("unauthorized") || hint.contains("401") {
                        FailureKind::AuthN
                    } else if hint.contains("toomanyrequests") || hint.contains("429") {
                        FailureKind::Throttled
                    } else {
                        FailureKind::Operation
                    };
                    (Outcome::Failure, k, "azure_activity:status")
                }
                Some("canceled" | "cancelled") => (
                    Outcome::Failure,
                    FailureKind::Operation,
                    "azure_activity:status_canceled",
                ),
                Some("start" | "started" | "accept" | "accepted") => (
                    Outcome::Unknown,
                    FailureKind::None,
                    "azure_activity:intermediate_stage",
                ),
                _ if opl.contains("/policies/deny/") => (
                    Outcome::Failure,
                    FailureKind::AuthZ,
                    "azure_activity:policy_deny",
                ),
                _ => (
                    Outcome::Unknown,
                    FailureKind::None,
                    "azure_activity:no_terminal_status",
                ),
            },
        );
        d.status_code = status_code
            .or(sub_status)
            .or(signature)
            .or_else(|| st.clone());
        if matches!(d.outcome, Some((Outcome::Failure, _, _))) {
            d.reason = own(props.and_then(|p| {
                let m = p.get_folded("statusmessage")?;
                let t = embedded_json(Some(m));
                let from_json = parse_embedded(&t).and_then(|doc| {
                    let r = doc.root();
                    text(r.path("error.message"))
                        .or_else(|| text(r.get_folded("message")))
                        .map(|c| c.into_owned())
                });
                from_json.map(Cow::Owned).or_else(|| text(Some(m)))
            }));
        }

        // Merge stages of one operation.
        let resource_id =
            l(&["resourceid"]).or_else(|| own(props.and_then(|p| text(p.get_folded("entity")))));
        let correlation = l(&["correlationid"]);
        if let Some(c) = &correlation {
            d.merge_key = Some(Cow::Owned(format!(
                "{}|{}|{}",
                c.to_ascii_lowercase(),
                op.to_ascii_lowercase(),
                resource_id.as_deref().unwrap_or("").to_ascii_lowercase()
            )));
            d.merge_rank = st.as_deref().map_or(2, rank);
        }
        d.correlation = correlation;
        d.uid = l(&["eventdataid"]);

        // Actor.
        let identity = rec.get_folded("identity").filter(|v| v.kind() == Kind::Obj);
        let claims_txt = embedded_json(
            identity
                .and_then(|i| i.get_folded("claims"))
                .or_else(|| loose(rec, &["claims"])),
        );
        let claims_doc = parse_embedded(&claims_txt);
        let claims = claims_doc
            .as_ref()
            .map(|c| c.root())
            .filter(|c| c.kind() == Kind::Obj);
        let claim = |keys: &[&str]| -> Option<Cow<'a, str>> {
            own(claims.and_then(|c| keys.iter().find_map(|k| text(c.get(k)))))
        };
        let caller = l(&["caller"]);
        let upn = claim(&[CLAIM_UPN, "upn", "unique_name"]);
        let name_claim = claim(&[CLAIM_NAME]).filter(|n| n.contains('@'));
        let appid = claim(&["appid", "azp"]);
        d.actor_id = claim(&[CLAIM_OID, "oid"]).or_else(|| {
            own(identity.and_then(|i| text(i.path("authorization.evidence.principalId"))))
        });
        d.actor_name = caller
            .clone()
            .or(upn)
            .or(name_claim)
            .or_else(|| appid.clone())
            .or_else(|| d.actor_id.clone());
        let principal_type =
            own(identity.and_then(|i| text(i.path("authorization.evidence.principalType"))));
        let idtyp = claim(&["idtyp"]);
        d.actor_kind = Some(actor_kind(
            d.actor_name.as_deref(),
            principal_type.as_deref(),
            idtyp.as_deref(),
            appid.is_some(),
            record_category.as_deref(),
        ));
        if d.actor_kind == Some(PrincipalKind::ServiceAccount)
            && appid.is_some()
            && d.actor_name != appid
        {
            d.text.push(appid.clone().unwrap_or_default());
        }
        if let Some(amr) = claim(&[CLAIM_AMR, "amr"]) {
            d.mfa = Some(amr.to_ascii_lowercase().contains("mfa"));
        }
        if let Some(n) = claim(&["name"]) {
            d.text.push(n);
        }

        // Source.
        d.src = l(&["calleripaddress"])
            .or_else(|| {
                rec.get_folded("httprequest")
                    .and_then(|h| loose_text(h, &["clientipaddress"]))
            })
            .or_else(|| claim(&["ipaddr"]));

        // Target, tenant, region.
        d.service = value_text(rec.get_folded("resourceprovidername"))
            .or_else(|| l(&["resourceprovidervalue"]))
            .or_else(|| {
                op.split('/')
                    .next()
                    .filter(|s| !s.is_empty())
                    .map(|s| Cow::Owned(s.to_string()))
            });
        if let Some(rid) = &resource_id {
            let ty = value_text(rec.get_folded("resourcetype"))
                .or_else(|| resource_type(rid).map(Cow::Owned));
            let name = rid
                .rsplit('/')
                .find(|s| !s.is_empty())
                .map(|s| Cow::Owned(s.to_string()));
            d.target(ty, Some(rid.clone()), name);
            d.tenant = subscription(rid).map(|s| Cow::Owned(s.to_string()));
        }
        if d.tenant.is_none() {
            d.tenant = l(&["subscriptionid"]).or_else(|| claim(&[CLAIM_TID, "tid"]));
        }
        d.region = l(&["location"]).filter(|r| !r.eq_ignore_ascii_case("global"));

        // Request body: role-assignment principals, and the requested state of a write.
        let body_txt = embedded_json(props.and_then(|p| p.get_folded("requestbody")));
        if let Some(body) = parse_embedded(&body_txt) {
            let b = body.root();
            let p = b.get_folded("properties").unwrap_or(b);
            let principal = own(text(p.get_folded("principalid")));
            if principal.is_some() {
                d.target(
                    own(text(p.get_folded("principaltype"))).or(Some(Cow::Borrowed("principal"))),
                    principal,
                    None,
                );
            }
            let role = own(text(p.get_folded("roledefinitionid")));
            if role.is_some() {
                let short = role
                    .as_deref()
                    .and_then(|r| r.rsplit('/').next())
                    .map(|s| Cow::Owned(s.to_string()));
                d.target(Some(Cow::Borrowed("roleDefinition")), role, short);
            }
            if opl.ends_with("/write") {
                d.after = body_txt.clone().map(Cow::Owned);
            }
        }
        if let Some(desc) = l(&["description", "resultdescription"]) {
            d.text.push(desc);
        }
        if let Some(m) = own(props.and_then(|p| text(p.get_folded("message")))) {
            d.text.push(m);
        }
        Ok(())
    }
}

/// Actor kind from the caller, the authorization evidence and the claims.
fn actor_kind(
    name: Option<&str>,
    principal_type: Option<&str>,
    idtyp: Option<&str>,
    has_appid: bool,
    category: Option<&str>,
) -> PrincipalKind {
    if let Some(t) = principal_type {
        match t.to_ascii_lowercase().as_str() {
            "user" | "group" => return PrincipalKind::User,
            "serviceprincipal" | "application" | "managedidentity" | "msi" => {
                return PrincipalKind::ServiceAccount
            }
            _ => {}
        }
    }
    match name {
        Some(n) if n.contains('@') => PrincipalKind::User,
        Some(_) if idtyp.is_some_and(|t| t.eq_ignore_ascii_case("user")) => PrincipalKind::User,
        Some(n)
            if is_guid(n) || idtyp.is_some_and(|t| t.eq_ignore_ascii_case("app")) || has_appid =>
        {
            PrincipalKind::ServiceAccount
        }
        Some(n) if n.to_ascii_lowercase().starts_with("microsoft.") => PrincipalKind::System,
        Some(_) => PrincipalKind::User,
        None => {
            let platform = category.is_some_and(|c| {
                matches!(
                    c.to_ascii_lowercase().as_str(),
                    "servicehealth" | "resourcehealth" | "recommendation" | "alert" | "autoscale"
                )
            });
            if platform {
                PrincipalKind::System
            } else {
                PrincipalKind::Unknown
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'static> {
        let src: &'static str = Box::leak(src.to_string().into_boxed_str());
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        assert!(
            AzureActivity.sniff(doc.root(), &Ctx::default()) > 0,
            "sniff"
        );
        let mut d = Draft::default();
        AzureActivity
            .map(doc.root(), &Ctx::default(), &mut d)
            .unwrap();
        crate::derive::apply(&mut d, AzureActivity.completed_log());
        d
    }

    const DIAG_LISTKEYS: &str = r#"{"callerIpAddress":"81.2.69.144","category":"Action","correlationId":"C-1","identity":{"authorization":{"action":"Microsoft.EventHub/namespaces/authorizationRules/listKeys/action","evidence":{"principalId":"p-1","principalType":"ServicePrincipal"}},"claims":{"appid":"app-1","http://schemas.microsoft.com/identity/claims/objectidentifier":"oid-1","http://schemas.microsoft.com/identity/claims/tenantid":"tid-1"}},"level":"Information","location":"global","operationName":"MICROSOFT.EVENTHUB/NAMESPACES/AUTHORIZATIONRULES/LISTKEYS/ACTION","resourceId":"/SUBSCRIPTIONS/SUB-1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.EVENTHUB/NAMESPACES/NS1/AUTHORIZATIONRULES/ROOTKEY","resultSignature":"Started.","resultType":"Start","time":"2019-10-24T00:13:46.3554259Z"}"#;

    #[test]
    fn diagnostic_listkeys_is_credential_read_by_a_service_principal() {
        let d = map(DIAG_LISTKEYS);
        assert_eq!(
            d.action.as_deref(),
            Some("MICROSOFT.EVENTHUB/NAMESPACES/AUTHORIZATIONRULES/LISTKEYS/ACTION")
        );
        assert_eq!(d.category.unwrap().0, Category::Credential);
        assert_eq!(d.activity.unwrap().0, Activity::Read);
        assert_eq!(
            d.outcome.unwrap().0,
            Outcome::Unknown,
            "a Start stage has no outcome yet"
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
        assert_eq!(d.actor_name.as_deref(), Some("app-1"));
        assert_eq!(d.actor_id.as_deref(), Some("oid-1"));
        assert_eq!(d.src.as_deref(), Some("81.2.69.144"));
        assert_eq!(d.tenant.as_deref(), Some("SUB-1"));
        assert!(d.region.is_none(), "global is no region");
        assert_eq!(d.service.as_deref(), Some("MICROSOFT.EVENTHUB"));
        assert_eq!(
            d.targets[0].0.as_deref(),
            Some("MICROSOFT.EVENTHUB/NAMESPACES/AUTHORIZATIONRULES")
        );
        assert_eq!(d.targets[0].2.as_deref(), Some("ROOTKEY"));
        assert_eq!(d.merge_rank, 1);
    }

    #[test]
    fn start_and_success_share_a_merge_key_and_success_ranks_higher() {
        let start = map(DIAG_LISTKEYS);
        let done = map(&DIAG_LISTKEYS
            .replace(r#""resultType":"Start""#, r#""resultType":"Success""#)
            .replace("Started.", "Succeeded.OK"));
        assert_eq!(start.merge_key, done.merge_key);
        assert!(done.merge_rank > start.merge_rank);
        assert_eq!(done.outcome.unwrap().0, Outcome::Success);
        let other_op = map(&DIAG_LISTKEYS.replace("LISTKEYS/ACTION", "WRITE"));
        assert_ne!(
            other_op.merge_key, start.merge_key,
            "same correlation, another operation"
        );
    }

    #[test]
    fn rest_shape_role_assignment_with_string_request_body() {
        let src = r#"{"caller":"admin@example.com","claims":{"http://schemas.microsoft.com/claims/authnmethodsreferences":"pwd,mfa","ipaddr":"203.0.113.5","name":"Admin"},"correlationId":"c2","eventDataId":"e2","eventTimestamp":"2024-05-01T12:00:00.1234567Z","operationName":{"value":"Microsoft.Authorization/roleAssignments/write","localizedValue":"Create role assignment"},"status":{"value":"Succeeded"},"subStatus":{"value":"Created"},"httpRequest":{"clientIpAddress":"203.0.113.5","method":"PUT"},"resourceId":"/subscriptions/sub-2/providers/Microsoft.Authorization/roleAssignments/ra-1","resourceProviderName":{"value":"Microsoft.Authorization"},"properties":{"statusCode":"Created","requestbody":"{\"Id\":\"ra-1\",\"Properties\":{\"PrincipalId\":\"victim-oid\",\"PrincipalType\":\"User\",\"RoleDefinitionId\":\"/subscriptions/sub-2/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635\",\"Scope\":\"/subscriptions/sub-2\"}}"}}"#;
        let d = map(src);
        assert_eq!(d.category.unwrap().0, Category::Identity);
        assert_eq!(d.activity.unwrap().0, Activity::Assign);
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert_eq!(d.actor_name.as_deref(), Some("admin@example.com"));
        assert_eq!(d.mfa, Some(true));
        assert_eq!(d.uid.as_deref(), Some("e2"));
        assert_eq!(d.tenant.as_deref(), Some("sub-2"));
        assert_eq!(d.service.as_deref(), Some("Microsoft.Authorization"));
        assert_eq!(d.status_code.as_deref(), Some("Created"));
        assert!(d
            .targets
            .iter()
            .any(|t| t.1.as_deref() == Some("victim-oid") && t.0.as_deref() == Some("User")));
        assert!(d
            .targets
            .iter()
            .any(|t| t.2.as_deref() == Some("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")));
        assert!(d.after.as_deref().unwrap().contains("victim-oid"));
    }

    #[test]
    fn sdk_snake_case_with_guid_caller() {
        let src = r#"{"caller":"12345678-9abc-defg-hijk-lmnopqrstuvw","claims":{"appid":"12345678-9abc-defg-hijk-lmnopqrstuvw","idtyp":"app"},"correlation_id":"c3","event_data_id":"e3","operation_name":{"value":"Microsoft.Compute/disks/delete","localized_value":"Microsoft.Compute/disks/delete"},"category":{"value":"Administrative"},"http_request":{"client_ip_address":"1.2.3.4","method":"DELETE"},"resource_id":"/subscriptions/12345678-9abc-defg-hijk-lmnopqrstuvw/resourceGroups/RG/providers/Microsoft.Compute/disks/d1","resource_type":{"value":"Microsoft.Compute/disks"},"status":{"value":"Started"},"sub_status":{"value":""},"event_timestamp":"2022-02-09T03:04:54.297853Z","subscription_id":"12345678-9abc-defg-hijk-lmnopqrstuvw"}"#;
        let d = map(src);
        assert_eq!(d.category.unwrap().0, Category::Resource);
        assert_eq!(d.activity.unwrap().0, Activity::Delete);
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
        assert_eq!(d.src.as_deref(), Some("1.2.3.4"));
        assert_eq!(d.targets[0].0.as_deref(), Some("Microsoft.Compute/disks"));
        assert_eq!(d.targets[0].2.as_deref(), Some("d1"));
        assert_eq!(d.status_code.as_deref(), Some("Started"));
        assert_eq!(d.outcome.unwrap().0, Outcome::Unknown);
        assert_eq!(d.time.unwrap().nanos % 1_000_000_000, 297_853_000);
    }

    #[test]
    fn failure_kinds_and_properties_as_json_string() {
        let src = r#"{"time":"2024-01-01T00:00:00Z","resourceId":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Insights/diagnosticSettings/ds","operationName":"Microsoft.Insights/diagnosticSettings/delete","category":"Administrative","resultType":"Failure","callerIpAddress":"10.1.1.1","correlationId":"c","properties":"{\"statusCode\":\"Forbidden\",\"statusMessage\":\"{\\\"error\\\":{\\\"code\\\":\\\"AuthorizationFailed\\\",\\\"message\\\":\\\"The client does not have authorization\\\"}}\"}"}"#;
        let d = map(src);
        assert_eq!(d.category.unwrap().0, Category::Configuration);
        assert_eq!(d.activity.unwrap().0, Activity::Delete);
        assert_eq!(d.outcome.unwrap().0, Outcome::Failure);
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthZ);
        assert_eq!(d.status_code.as_deref(), Some("Forbidden"));
        assert_eq!(
            d.reason.as_deref(),
            Some("The client does not have authorization")
        );
    }

    #[test]
    fn health_record_without_caller_is_system_other() {
        let src = r#"{"category":"ResourceHealth","correlationId":"c","operationName":"Microsoft.Resourcehealth/healthevent/Updated/action","properties":{"eventCategory":"ResourceHealth","eventProperties":{"cause":"PlatformInitiated"}},"resourceId":"/subscriptions/0000/providers/Microsoft.domainRegistration","resultType":"Updated","time":"2025-10-17T11:50:07.22Z"}"#;
        let d = map(src);
        assert_eq!(d.category.unwrap().0, Category::Other);
        assert_eq!(d.actor_kind, Some(PrincipalKind::System));
        assert_eq!(d.outcome.unwrap().0, Outcome::Unknown);
        assert_eq!(d.tenant.as_deref(), Some("0000"));
    }

    #[test]
    fn write_created_is_create() {
        let src = r#"{"time":"2024-01-01T00:00:00Z","resourceId":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/sa","operationName":"Microsoft.Storage/storageAccounts/write","resultType":"Success","callerIpAddress":"10.1.1.1","correlationId":"c","properties":{"statusCode":"Created"}}"#;
        assert_eq!(map(src).activity.unwrap().0, Activity::Create);
        let d = map(&src.replace("Created", "OK"));
        assert_eq!(d.activity.unwrap().0, Activity::Update);
    }

    #[test]
    fn log_analytics_azure_activity_row() {
        let src = r#"{"TimeGenerated":"2024-01-01T00:00:00Z","OperationNameValue":"MICROSOFT.KEYVAULT/VAULTS/SECRETS/WRITE","ActivityStatusValue":"Success","CategoryValue":"Administrative","Caller":"ops@example.com","CallerIpAddress":"10.2.2.2","CorrelationId":"c","ResourceId":"/SUBSCRIPTIONS/S9/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/V/SECRETS/DB","SubscriptionId":"S9","Claims":"{\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn\":\"ops@example.com\"}"}"#;
        let d = map(src);
        assert_eq!(d.category.unwrap().0, Category::Credential);
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert_eq!(d.tenant.as_deref(), Some("S9"));
    }

    #[test]
    fn sniff_leaves_entra_records_alone() {
        let s = Doc::parse(br#"{"time":"2019-10-18T09:45:48Z","category":"SignInLogs","operationName":"Sign-in activity","resultType":"0","callerIpAddress":"1.1.1.1","resourceId":"/tenants/t/providers/Microsoft.aadiam","properties":{}}"#).unwrap();
        assert_eq!(AzureActivity.sniff(s.root(), &Ctx::default()), 0);
        let a = Doc::parse(br#"{"time":"2019-10-18T09:45:48Z","category":"AuditLogs","operationName":"Add user","resultType":"","resourceId":"/tenants/t/providers/Microsoft.aadiam","properties":{}}"#).unwrap();
        assert_eq!(AzureActivity.sniff(a.root(), &Ctx::default()), 0);
        let ct = Doc::parse(br#"{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateUser","eventTime":"2024-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(AzureActivity.sniff(ct.root(), &Ctx::default()), 0);
    }

    #[test]
    fn resource_type_from_id() {
        assert_eq!(
            resource_type("/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/vm1/extensions/e").as_deref(),
            Some("Microsoft.Compute/virtualMachines/extensions")
        );
        assert_eq!(
            resource_type("/subscriptions/s/providers/Microsoft.domainRegistration").as_deref(),
            Some("Microsoft.domainRegistration")
        );
        assert_eq!(
            subscription("/SUBSCRIPTIONS/ABC/RESOURCEGROUPS/x"),
            Some("ABC")
        );
    }
}
