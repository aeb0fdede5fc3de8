//! GCP Cloud Audit Logs (Cloud Logging `LogEntry` records).
//!
//! **Recognised by** `protoPayload.@type == type.googleapis.com/google.cloud.audit.AuditLog`
//! (or a `protoPayload` with `methodName` + `serviceName`); other `LogEntry` records
//! (`logName` + `insertId` + `jsonPayload`/`textPayload`/`protoPayload`) score lower, so a
//! mixed export stays one file of this format.
//!
//! **Containers**: Logs Explorer download and `gcloud logging read --format=json` (arrays),
//! sink / BigQuery exports (NDJSON), Elastic test wrappers — all split by the container layer.
//!
//! **Fields** (AuditLog): time `timestamp` (RFC 3339, up to nanoseconds; else
//! `receiveTimestamp`); action `protoPayload.methodName`; service `serviceName`; actor
//! `authenticationInfo.principalEmail` (`*.gserviceaccount.com` → ServiceAccount, else User),
//! or `principalSubject` when there is no email (workload identity federation
//! `principal://…` → ServiceAccount); `principalSubject` → actor id;
//! `serviceAccountKeyName` → credential; delegation chains are indexed as text; source
//! `requestMetadata.callerIp` (`gce-internal-ip`, `private` are kept as text); UA
//! `callerSuppliedUserAgent`; targets `resourceName` (typed by `resource.type`), the service
//! account of IAM Credentials calls, and `serviceData.policyDelta.bindingDeltas[]`
//! (member + role); tenant `resource.labels.project_id` (else the project in `logName`);
//! region `resource.labels.location`/`zone`/`region` or `resourceLocation.currentLocations`;
//! uid `insertId`; correlation `operation.id`; the policy delta (or the request of a write
//! call) becomes the "after" state.
//!
//! **Outcome**: `protoPayload.status.code` (google.rpc.Code): 0 or no status/`{}` → Success;
//! 7 PERMISSION_DENIED → AuthZ; 16 UNAUTHENTICATED → AuthN; 8 RESOURCE_EXHAUSTED → Throttled;
//! other codes → Operation; `status.message` is the reason. Without a status code, an
//! `authorizationInfo[]` entry with `granted: false` → AuthZ failure. Entries of the `policy`
//! log (policy-denied audit logs) without a status are AuthZ failures.
//!
//! **Category**: IAM policy/role/service-account management → Identity; service-account
//! keys, IAM Credentials token minting, HMAC and API keys, secret access → Credential;
//! logging sinks/exclusions/buckets, log deletion, org policy → Configuration; otherwise the
//! `logName` suffix: `data_access` → DataAccess, `activity`/`system_event` → Resource (read
//! methods → DataAccess). Activity from the method's verb tokens; `SetIamPolicy` → Assign when
//! a binding is added, Revoke when only removed.
//!
//! **Quirks**: `%2F` in `logName`; `status` may be `{}`; `authorizationInfo` is an array; the
//! first/last records of a long-running operation are separate entries sharing
//! `operation.id` (kept as two events, correlated); **non-AuditLog entries** (`jsonPayload`,
//! `textPayload`, other `@type`s) are kept as category Other with the log id as action and
//! their payload indexed as text, not dropped.

use std::borrow::Cow;

use super::{any_text, first, set_time, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The GCP Cloud Audit Logs format.
pub struct Gcp;

const AUDIT_TYPE: &str = "type.googleapis.com/google.cloud.audit.AuditLog";

impl Format for Gcp {
    fn id(&self) -> &'static str {
        "gcp"
    }
    fn name(&self) -> &'static str {
        "GCP Cloud Audit Logs"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("gcp", "gcp.audit")
    }

    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        if rec.kind() != Kind::Obj {
            return 0;
        }
        if let Some(pp) = rec.get("protoPayload").filter(|v| v.kind() == Kind::Obj) {
            if pp
                .get("@type")
                .and_then(|v| v.as_str())
                .is_some_and(|t| t == AUDIT_TYPE)
            {
                return 96;
            }
            if pp.get("methodName").is_some() && pp.get("serviceName").is_some() {
                return 88;
            }
        }
        let entry = rec.get("logName").is_some()
            && (rec.get("insertId").is_some() || rec.get("receiveTimestamp").is_some())
            && ["protoPayload", "jsonPayload", "textPayload"]
                .iter()
                .any(|k| rec.get(k).is_some());
        if entry {
            60
        } else {
            0
        }
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        if rec.kind() != Kind::Obj {
            return Err("not a GCP LogEntry (not an object)".into());
        }
        set_time(
            d,
            rec,
            &[
                "timestamp",
                "receiveTimestamp",
                "protoPayload.requestMetadata.requestAttributes.time",
            ],
            ctx,
        )?;
        d.uid = text(rec.get("insertId"));
        d.correlation = text(rec.path("operation.id"));
        let log_name = text(rec.get("logName"));
        let log_id = log_name.as_deref().map(log_id).unwrap_or_default();
        let res = rec.get("resource").filter(|v| v.kind() == Kind::Obj);
        d.tenant = res
            .and_then(|r| text(r.path("labels.project_id")))
            .or_else(|| {
                log_name
                    .as_deref()
                    .and_then(|l| l.strip_prefix("projects/"))
                    .and_then(|l| l.split('/').next())
                    .map(|p| Cow::Owned(p.to_string()))
            });
        d.region = res.and_then(|r| first(r, &["labels.location", "labels.zone", "labels.region"]));
        let severity = text(rec.get("severity"));

        let pp = rec.get("protoPayload").filter(|v| v.kind() == Kind::Obj);
        let is_audit = pp.is_some_and(|p| {
            p.get("@type")
                .and_then(|v| v.as_str())
                .is_some_and(|t| t == AUDIT_TYPE)
                || (p.get("methodName").is_some() && p.get("serviceName").is_some())
        });
        let Some(pp) = pp.filter(|_| is_audit) else {
            return map_other(rec, &log_id, severity, d);
        };

        let method =
            text(pp.get("methodName")).ok_or("AuditLog entry without protoPayload.methodName")?;
        let service = text(pp.get("serviceName"));
        if d.region.is_none() {
            d.region = text(pp.path("resourceLocation.currentLocations.0"));
        }

        // Who.
        let auth = pp
            .get("authenticationInfo")
            .filter(|v| v.kind() == Kind::Obj);
        let email = auth.and_then(|a| text(a.get("principalEmail")));
        let subject = auth.and_then(|a| text(a.get("principalSubject")));
        d.credential = auth.and_then(|a| text(a.get("serviceAccountKeyName")));
        match (&email, &subject) {
            (Some(e), _) => {
                d.actor_kind = Some(if e.ends_with(".gserviceaccount.com") {
                    PrincipalKind::ServiceAccount
                } else {
                    PrincipalKind::User
                });
            }
            (None, Some(s)) => {
                d.actor_kind = Some(subject_kind(s));
            }
            (None, None) => {
                let anonymous = pp.path("status.code").and_then(|c| c.as_f64()) == Some(16.0)
                    || auth.is_some_and(|a| a.is_empty());
                d.actor_kind = Some(if anonymous {
                    PrincipalKind::Anonymous
                } else {
                    PrincipalKind::Unknown
                });
                if log_id == "system_event" {
                    d.actor_name = service.clone();
                    d.actor_kind = Some(PrincipalKind::System);
                }
            }
        }
        if email.is_some() {
            d.actor_id = subject.clone().filter(|s| Some(s) != email.as_ref());
            d.actor_name = email;
        } else if subject.is_some() {
            d.actor_name = subject;
        }
        if let Some(t) = auth.and_then(|a| any_text(a.get("serviceAccountDelegationInfo"))) {
            d.text.push(t);
        }
        if let Some(t) = any_text(pp.path("metadata.identityDelegationChain")) {
            d.text.push(t);
        }
        if let Some(t) = auth.and_then(|a| text(a.path("thirdPartyPrincipal.@type"))) {
            d.text.push(t);
        }

        let meta = pp.get("requestMetadata").filter(|v| v.kind() == Kind::Obj);
        d.src = meta.and_then(|m| text(m.get("callerIp")));
        d.user_agent = meta.and_then(|m| text(m.get("callerSuppliedUserAgent")));

        // What on.
        let res_type = res.and_then(|r| text(r.get("type")));
        let rname = text(pp.get("resourceName"));
        if rname.is_some() {
            d.target(res_type.clone(), rname, None);
        }
        if service.as_deref() == Some("iam.googleapis.com") {
            // The service account a call created or acted on (`resourceName` is the project).
            let sa =
                text(pp.path("response.email")).or_else(|| text(pp.path("request.account_id")));
            if let Some(sa) = sa {
                d.target(Some(Cow::Borrowed("service_account")), None, Some(sa));
            }
        }
        if service.as_deref() == Some("iamcredentials.googleapis.com") {
            if let Some(sa) = text(pp.path("request.name")) {
                d.target(Some(Cow::Borrowed("service_account")), Some(sa), None);
            }
        }
        let delta = pp
            .path("serviceData.policyDelta")
            .or_else(|| pp.path("metadata.datasetChange.bindingDeltas"));
        let (mut added, mut removed) = (0, 0);
        for bd in pp
            .path("serviceData.policyDelta.bindingDeltas")
            .into_iter()
            .flat_map(|v| v.elements())
        {
            match text(bd.get("action")).as_deref() {
                Some("ADD") => added += 1,
                Some("REMOVE") => removed += 1,
                _ => {}
            }
            d.target(
                Some(Cow::Borrowed("iam_member")),
                text(bd.get("member")),
                text(bd.get("role")),
            );
        }

        // Outcome.
        let status = pp.get("status").filter(|v| v.kind() == Kind::Obj);
        let code = status.and_then(|s| s.get("code")).and_then(|c| c.as_f64());
        d.reason = status.and_then(|s| text(s.get("message")));
        match code {
            Some(c) if c != 0.0 => {
                let kind = match c as i64 {
                    7 => FailureKind::AuthZ,
                    16 => FailureKind::AuthN,
                    8 => FailureKind::Throttled,
                    _ => FailureKind::Operation,
                };
                d.status_code = status.and_then(|s| text(s.get("code")));
                d.outcome = Some((Outcome::Failure, kind, "gcp:status.code"));
            }
            Some(_) => d.outcome = Some((Outcome::Success, FailureKind::None, "gcp:status.code")),
            None => {
                let denied = pp
                    .get("authorizationInfo")
                    .into_iter()
                    .flat_map(|v| v.elements())
                    .any(|a| a.get("granted").and_then(|g| g.as_bool()) == Some(false));
                d.outcome = Some(if denied {
                    (
                        Outcome::Failure,
                        FailureKind::AuthZ,
                        "gcp:authorizationInfo.granted",
                    )
                } else if log_id == "policy" {
                    (
                        Outcome::Failure,
                        FailureKind::AuthZ,
                        "gcp:policy_denied_log",
                    )
                } else {
                    (Outcome::Success, FailureKind::None, "gcp:no_error_status")
                });
            }
        }

        // Category and activity.
        let verb = last_segment(&method);
        let is_read = is_read_verb(verb);
        d.category = Some(category(
            &method,
            service.as_deref().unwrap_or(""),
            &log_id,
            is_read,
        ));
        if verb.eq_ignore_ascii_case("SetIamPolicy") {
            d.activity = Some(match (added, removed) {
                (a, _) if a > 0 => (Activity::Assign, "gcp:policyDelta.ADD"),
                (0, r) if r > 0 => (Activity::Revoke, "gcp:policyDelta.REMOVE"),
                _ => (Activity::Update, "gcp:SetIamPolicy"),
            });
        } else if is_read {
            d.activity = Some((Activity::Read, "gcp:method_verb"));
        }

        // Changes.
        if let Some(t) = any_text(delta) {
            d.after = Some(t);
        } else if !is_read {
            d.after = any_text(pp.get("request"));
        }
        if let Some(s) = severity {
            d.text.push(s);
        }
        d.text.push(Cow::Owned(log_id));
        d.action = Some(method);
        d.service = service;
        Ok(())
    }
}

/// `projects/p/logs/cloudaudit.googleapis.com%2Factivity` → `activity`;
/// `projects/p/logs/testlog` → `testlog`.
fn log_id(name: &str) -> String {
    let tail = name.rsplit_once("/logs/").map_or(name, |(_, t)| t);
    let dec = tail.replace("%2F", "/").replace("%2f", "/");
    match dec.strip_prefix("cloudaudit.googleapis.com/") {
        Some(k) => k.to_string(),
        None => dec,
    }
}

/// The last dotted segment of a method (`google.iam.admin.v1.CreateRole` → `CreateRole`).
fn last_segment(m: &str) -> &str {
    m.rsplit('.').next().unwrap_or(m)
}

fn is_read_verb(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    [
        "get",
        "list",
        "search",
        "lookup",
        "query",
        "read",
        "aggregatedlist",
        "testiampermissions",
        "batchget",
        "export",
        "download",
        "fetch",
        "watch",
    ]
    .iter()
    .any(|p| l.starts_with(p))
}

/// Workload identity and other principals named only by subject.
fn subject_kind(s: &str) -> PrincipalKind {
    if s.starts_with("user:") {
        PrincipalKind::User
    } else if s.starts_with("serviceAccount:")
        || s.starts_with("principal://")
        || s.starts_with("principalSet://")
        || s.contains("gserviceaccount.com")
    {
        PrincipalKind::ServiceAccount
    } else {
        PrincipalKind::Unknown
    }
}

fn category(method: &str, service: &str, log_id: &str, is_read: bool) -> (Category, &'static str) {
    let verb = last_segment(method);
    let m = method.to_ascii_lowercase();
    let cred = [
        "serviceaccountkey",
        "hmackey",
        "generateaccesstoken",
        "generateidtoken",
        "signblob",
        "signjwt",
        "accesssecretversion",
    ];
    if cred.iter().any(|c| m.contains(c))
        || service == "iamcredentials.googleapis.com"
        || service == "apikeys.googleapis.com"
    {
        return (Category::Credential, "gcp:method_credential");
    }
    let config = [
        "configservicev2",
        "loggingservicev2.deletelog",
        "sink",
        "exclusion",
        "orgpolicy",
        "setorgpolicy",
        "accesspolicies",
        "serviceperimeter",
    ];
    if config.iter().any(|c| m.contains(c)) || service == "logging.googleapis.com" && !is_read {
        return (Category::Configuration, "gcp:method_configuration");
    }
    let identity = [
        "iampolicy",
        "google.iam.admin",
        "serviceaccount",
        "createrole",
        "updaterole",
        "deleterole",
        "undeleterole",
    ];
    if identity.iter().any(|c| m.contains(c))
        || (service == "iam.googleapis.com" && !verb.is_empty())
    {
        return (Category::Identity, "gcp:method_identity");
    }
    match log_id {
        "data_access" => (Category::DataAccess, "gcp:logName.data_access"),
        _ if is_read => (Category::DataAccess, "gcp:method_read"),
        "activity" => (Category::Resource, "gcp:logName.activity"),
        "system_event" => (Category::Resource, "gcp:logName.system_event"),
        _ => (Category::Resource, "gcp:default_resource"),
    }
}

/// A LogEntry that is not an audit record: kept, as category Other, with its log id as action.
fn map_other<'a>(
    rec: Val<'_, 'a>,
    log_id: &str,
    severity: Option<Cow<'a, str>>,
    d: &mut Draft<'a>,
) -> Result<(), String> {
    if log_id.is_empty() && rec.get("jsonPayload").is_none() && rec.get("textPayload").is_none() {
        return Err("not a GCP LogEntry: no logName and no payload".into());
    }
    let action = if log_id.is_empty() {
        "log_entry".to_string()
    } else {
        log_id.to_string()
    };
    d.action = Some(Cow::Owned(action));
    d.service = text(rec.path("resource.type"));
    d.category = Some((Category::Other, "gcp:non_audit_log_entry"));
    d.activity = Some((Activity::Other, "gcp:non_audit_log_entry"));
    let failed = severity
        .as_deref()
        .is_some_and(|s| matches!(s, "ERROR" | "CRITICAL" | "ALERT" | "EMERGENCY"));
    d.outcome = Some(if failed {
        (Outcome::Failure, FailureKind::Other, "gcp:severity")
    } else {
        (
            Outcome::Unknown,
            FailureKind::None,
            "gcp:non_audit_log_entry",
        )
    });
    for k in ["textPayload", "jsonPayload", "protoPayload"] {
        if let Some(t) = any_text(rec.get(k)) {
            d.text.push(t);
        }
    }
    if let Some(t) = any_text(rec.get("labels")) {
        d.text.push(t);
    }
    if let Some(s) = severity {
        d.text.push(s);
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        let mut d = Draft::default();
        Gcp.map(doc.root(), &Ctx::default(), &mut d).unwrap();
        crate::derive::apply(&mut d, Gcp.completed_log());
        d
    }

    fn sniff(src: &str) -> u32 {
        Gcp.sniff(Doc::parse(src.as_bytes()).unwrap().root(), &Ctx::default())
    }

    const INSERT: &str = r#"{"insertId":"i1","logName":"projects/demo/logs/cloudaudit.googleapis.com%2Factivity","operation":{"id":"op-1","first":true},"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"alice@example.com"},"authorizationInfo":[{"granted":true,"permission":"compute.instances.create"}],"methodName":"v1.compute.instances.insert","request":{"name":"vm-1"},"requestMetadata":{"callerIp":"198.51.100.4","callerSuppliedUserAgent":"gcloud"},"resourceName":"projects/demo/zones/us-central1-a/instances/vm-1","serviceName":"compute.googleapis.com","status":{}},"resource":{"labels":{"project_id":"demo","zone":"us-central1-a"},"type":"gce_instance"},"severity":"NOTICE","timestamp":"2021-10-19T02:57:39.354769123Z"}"#;

    #[test]
    fn sniff_prefers_audit_logs_and_keeps_other_entries() {
        assert!(sniff(INSERT) >= 95);
        assert_eq!(
            sniff(
                r#"{"insertId":"x","logName":"projects/p/logs/app","textPayload":"hi","timestamp":"2021-01-01T00:00:00Z"}"#
            ),
            60
        );
        assert_eq!(sniff(r#"{"kind":"Event","auditID":"a","verb":"get"}"#), 0);
        assert_eq!(sniff(r#"{"eventName":"x","eventSource":"y"}"#), 0);
    }

    #[test]
    fn audit_entry_fields() {
        let d = map(INSERT);
        assert_eq!(d.action.as_deref(), Some("v1.compute.instances.insert"));
        assert_eq!(d.service.as_deref(), Some("compute.googleapis.com"));
        assert_eq!(d.actor_name.as_deref(), Some("alice@example.com"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert_eq!(d.src.as_deref(), Some("198.51.100.4"));
        assert_eq!(d.user_agent.as_deref(), Some("gcloud"));
        assert_eq!(d.tenant.as_deref(), Some("demo"));
        assert_eq!(d.region.as_deref(), Some("us-central1-a"));
        assert_eq!(d.uid.as_deref(), Some("i1"));
        assert_eq!(d.correlation.as_deref(), Some("op-1"));
        assert_eq!(
            d.time.unwrap().nanos % 1_000_000_000,
            354_769_123,
            "nanoseconds kept"
        );
        assert_eq!(
            d.outcome.unwrap().0,
            Outcome::Success,
            "status {{}} means success"
        );
        assert_eq!(d.category.unwrap().0, Category::Resource);
        assert_eq!(d.activity.unwrap().0, Activity::Create);
        assert_eq!(d.targets[0].0.as_deref(), Some("gce_instance"));
        assert_eq!(d.after.as_deref(), Some(r#"{"name":"vm-1"}"#));
    }

    #[test]
    fn status_codes_and_granted_fallback() {
        let with = |status: &str, authz: &str| {
            let s = format!(
                r#"{{"insertId":"x","logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{{"principalEmail":"ci@p.iam.gserviceaccount.com"}},"methodName":"google.iam.admin.v1.CreateServiceAccount","serviceName":"iam.googleapis.com"{status}{authz}}},"timestamp":"2024-12-03T17:58:44.882119699Z"}}"#
            );
            let d = map(Box::leak(s.into_boxed_str()));
            (d.outcome.unwrap().0, d.outcome.unwrap().1, d)
        };
        let (o, k, d) = with(r#","status":{"code":7,"message":"Permission denied"}"#, "");
        assert_eq!((o, k), (Outcome::Failure, FailureKind::AuthZ));
        assert_eq!(d.reason.as_deref(), Some("Permission denied"));
        assert_eq!(d.status_code.as_deref(), Some("7"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
        assert_eq!(d.category.unwrap().0, Category::Identity);
        assert!(d.targets.is_empty(), "no account named in this request");
        assert_eq!(with(r#","status":{"code":16}"#, "").1, FailureKind::AuthN);
        assert_eq!(
            with(r#","status":{"code":13}"#, "").1,
            FailureKind::Operation
        );
        assert_eq!(with(r#","status":{"code":0}"#, "").0, Outcome::Success);
        let (o, k, _) = with(
            "",
            r#","authorizationInfo":[{"granted":false,"permission":"x"}]"#,
        );
        assert_eq!((o, k), (Outcome::Failure, FailureKind::AuthZ));
        assert_eq!(
            with("", "").0,
            Outcome::Success,
            "no status at all: success"
        );
    }

    #[test]
    fn workload_identity_subject_and_credentials_category() {
        let d = map(
            r#"{"insertId":"15","logName":"projects/p/logs/cloudaudit.googleapis.com%2Fdata_access","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalSubject":"principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/pool/subject/x","serviceAccountDelegationInfo":[{}]},"metadata":{"identityDelegationChain":["projects/-/serviceAccounts/ci@p.iam.gserviceaccount.com"]},"methodName":"GenerateAccessToken","request":{"name":"projects/-/serviceAccounts/ci@p.iam.gserviceaccount.com"},"requestMetadata":{"callerIp":"gce-internal-ip"},"resourceName":"projects/-/serviceAccounts/1","serviceName":"iamcredentials.googleapis.com","status":{}},"resource":{"labels":{"project_id":"p"},"type":"service_account"},"timestamp":"2024-11-19T00:49:55.293368631Z"}"#,
        );
        assert!(d.actor_name.as_deref().unwrap().starts_with("principal://"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
        assert_eq!(d.category.unwrap().0, Category::Credential);
        assert_eq!(d.src.as_deref(), Some("gce-internal-ip"));
        assert!(d
            .targets
            .iter()
            .any(|t| t.1.as_deref()
                == Some("projects/-/serviceAccounts/ci@p.iam.gserviceaccount.com")));
        assert!(d
            .text
            .iter()
            .any(|t| t.contains("identityDelegationChain") || t.contains("ci@p.iam")));
    }

    #[test]
    fn created_service_account_is_a_target() {
        let d = map(
            r#"{"insertId":"c","logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"a@example.com"},"methodName":"google.iam.admin.v1.CreateServiceAccount","serviceName":"iam.googleapis.com","resourceName":"projects/p","request":{"account_id":"test-1"},"response":{"email":"test-1@p.iam.gserviceaccount.com"}},"resource":{"type":"service_account","labels":{"project_id":"p"}},"timestamp":"2021-10-19T02:43:48.064377809Z"}"#,
        );
        assert_eq!(d.targets.len(), 2);
        assert_eq!(
            d.targets[1].2.as_deref(),
            Some("test-1@p.iam.gserviceaccount.com")
        );
    }

    #[test]
    fn service_account_key_is_the_credential() {
        let d = map(
            r#"{"insertId":"k","logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"sa@p.iam.gserviceaccount.com","serviceAccountKeyName":"//iam.googleapis.com/projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com/keys/abc"},"methodName":"google.iam.admin.v1.CreateServiceAccountKey","serviceName":"iam.googleapis.com","resourceName":"projects/-/serviceAccounts/1"},"timestamp":"2024-01-01T00:00:00Z"}"#,
        );
        assert!(d.credential.as_deref().unwrap().ends_with("/keys/abc"));
        assert_eq!(d.category.unwrap().0, Category::Credential);
        assert_eq!(d.activity.unwrap().0, Activity::Create);
    }

    #[test]
    fn set_iam_policy_delta_is_an_assignment_with_targets() {
        let d = map(
            r#"{"insertId":"s","logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"admin@example.com"},"methodName":"SetIamPolicy","serviceName":"cloudresourcemanager.googleapis.com","resourceName":"projects/p","serviceData":{"@type":"type.googleapis.com/google.iam.v1.logging.AuditData","policyDelta":{"bindingDeltas":[{"action":"ADD","role":"roles/owner","member":"user:mallory@example.com"}]}}},"resource":{"type":"project","labels":{"project_id":"p"}},"timestamp":"2024-01-01T00:00:00Z"}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Identity);
        assert_eq!(d.activity.unwrap().0, Activity::Assign);
        assert!(d
            .targets
            .iter()
            .any(|t| t.1.as_deref() == Some("user:mallory@example.com")
                && t.2.as_deref() == Some("roles/owner")));
        assert!(d.after.as_deref().unwrap().contains("bindingDeltas"));
    }

    #[test]
    fn logging_sink_deletion_is_configuration() {
        let d = map(
            r#"{"insertId":"d","logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"a@example.com"},"methodName":"google.logging.v2.ConfigServiceV2.DeleteSink","serviceName":"logging.googleapis.com","resourceName":"projects/p/sinks/siem"},"timestamp":"2024-01-01T00:00:00Z"}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Configuration);
        assert_eq!(d.activity.unwrap().0, Activity::Delete);
    }

    #[test]
    fn non_audit_entries_are_kept_as_other() {
        let d = map(
            r#"{"insertId":"t","logName":"projects/p/logs/testlog","resource":{"type":"generic_node","labels":{"project_id":"p"}},"textPayload":"This is a text payload","timestamp":"2021-10-19T02:04:00.272384509Z"}"#,
        );
        assert_eq!(d.action.as_deref(), Some("testlog"));
        assert_eq!(d.category.unwrap().0, Category::Other);
        assert_eq!(d.outcome.unwrap().0, Outcome::Unknown);
        assert_eq!(d.tenant.as_deref(), Some("p"));
        assert!(d.text.iter().any(|t| t.contains("text payload")));
        let d = map(
            r#"{"insertId":"j","logName":"projects/p/logs/app%2Fevents","jsonPayload":{"msg":"x"},"timestamp":"2021-10-19T02:04:00Z"}"#,
        );
        assert_eq!(d.action.as_deref(), Some("app/events"));
    }
}
