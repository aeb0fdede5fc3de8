//! Kubernetes API server audit events (`audit.k8s.io/v1` and `v1beta1`).
//!
//! **Recognised by** `kind == "Event"` with `auditID` and `verb`, or (events written without
//! `apiVersion`/`kind`, as some collectors do) `auditID` + `verb` + one of `requestURI`,
//! `objectRef`, `stage`. Any other object with a `kind` member gets a token score so that a
//! lone malformed event (`{"kind": 0}`) or a Kubernetes object that is not an audit event is
//! rejected here with a clear reason instead of being guessed at.
//!
//! **Containers**: the log backend's JSONL, an `EventList` (`items`), single events.
//!
//! **Fields**: time `requestReceivedTimestamp` (else `stageTimestamp`, v1beta1 `timestamp`,
//! `metadata.creationTimestamp`); action `verb resource[/subresource]` (`create pods/exec`;
//! non-resource requests: `verb /path`); service `objectRef.apiGroup` or `core`; actor
//! `user.username` (`system:serviceaccount:ns:name` → ServiceAccount, `system:anonymous` →
//! Anonymous, `system:node:*` and other `system:` users → System, else User), id `user.uid`,
//! groups and `impersonatedUser` indexed as text (the impersonated user is also a target);
//! source `sourceIPs[0]`; UA `userAgent`; targets `objectRef` (type = resource, id =
//! `namespace/name`, name = name — from the response object when the request used
//! `generateName`), plus `roleRef` and `subjects[]` of role bindings; uid and correlation
//! `auditID`; the `requestObject` of create/update/patch becomes the "after" state.
//!
//! **Stages**: one request is logged once per stage (`RequestReceived`, `ResponseStarted`,
//! `ResponseComplete`, `Panic`). All stages get the merge key `auditID` + user name and a
//! rank (ResponseComplete/Panic 3 > ResponseStarted 2 > RequestReceived 1), so they combine
//! into one event described by its most complete stage. (The user name is part of the key
//! because stages of one request always share it, while hand-edited copies of an event that
//! reuse an `auditID` for another user are different events.)
//!
//! **Outcome**: `authorization.k8s.io/decision=forbid` → AuthZ failure; else
//! `responseStatus.code`: 1xx/2xx/3xx → Success (101 is the upgrade of `exec`/`attach`),
//! 401 → AuthN, 403 → AuthZ, 429 → Throttled, other ≥ 400 → Operation, with
//! `responseStatus.message`/`reason`; a `RequestReceived` stage without a response → Unknown.
//!
//! **Category**: `secrets`, `serviceaccounts/token`, certificate signing requests → Credential;
//! RBAC objects, service accounts and the verbs `bind`/`escalate`/`impersonate` → Identity;
//! `get`/`list`/`watch` → DataAccess; deleting `events` and changing admission webhooks,
//! audit sinks and policies → Configuration; otherwise Resource.

use std::borrow::Cow;

use super::{any_text, first, set_time, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The Kubernetes audit format.
pub struct Kubernetes;

impl Format for Kubernetes {
    fn id(&self) -> &'static str {
        "kubernetes"
    }
    fn name(&self) -> &'static str {
        "Kubernetes audit"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("kubernetes", "audit")
    }

    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        if rec.kind() != Kind::Obj {
            return 0;
        }
        let kind = rec.get("kind");
        let kind_str = kind.and_then(|k| k.as_str());
        let has_id = rec.get("auditID").is_some();
        let has_verb = rec.get("verb").is_some();
        if has_id && has_verb {
            let mut s = 70;
            if kind_str.as_deref() == Some("Event") {
                s += 15;
            }
            if rec
                .get("apiVersion")
                .and_then(|v| v.as_str())
                .is_some_and(|v| v.starts_with("audit.k8s.io/"))
            {
                s += 10;
            }
            for k in [
                "requestURI",
                "objectRef",
                "stage",
                "sourceIPs",
                "requestReceivedTimestamp",
            ] {
                if rec.get(k).is_some() {
                    s += 3;
                }
            }
            return s.min(98);
        }
        // Some other object with a `kind`: only a token score (see the module doc).
        match kind_str {
            Some(k) if k.contains('#') => 0, // Google APIs (`admin#reports#activity`)
            _ if kind.is_some() => 2,
            _ => 0,
        }
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        if rec.kind() != Kind::Obj {
            return Err("not a Kubernetes audit event (not an object)".into());
        }
        match rec.get("kind") {
            None => {}
            Some(k) => match k.as_str() {
                Some(s) if s == "Event" => {}
                Some(s) => {
                    return Err(format!(
                        "not a Kubernetes audit event: kind is {s:?}, expected \"Event\""
                    ));
                }
                None => {
                    return Err(format!(
                        "malformed Kubernetes audit event: kind is {} (expected the string \"Event\")",
                        String::from_utf8_lossy(k.raw())
                    ));
                }
            },
        }
        let verb = text(rec.get("verb"));
        let audit_id = text(rec.get("auditID"));
        if verb.is_none() && audit_id.is_none() {
            return Err("malformed Kubernetes audit event: no verb and no auditID".into());
        }
        set_time(
            d,
            rec,
            &[
                "requestReceivedTimestamp",
                "stageTimestamp",
                "timestamp",
                "metadata.creationTimestamp",
            ],
            ctx,
        )?;

        let obj = rec.get("objectRef").filter(|v| v.kind() == Kind::Obj);
        let resource = obj.and_then(|o| text(o.get("resource")));
        let sub = obj.and_then(|o| text(o.get("subresource")));
        let res_full: Option<String> = resource.as_deref().map(|r| match sub.as_deref() {
            Some(s) => format!("{r}/{s}"),
            None => r.to_string(),
        });
        let verb_s = verb.as_deref().unwrap_or("unknown");
        let action = match &res_full {
            Some(r) => format!("{verb_s} {r}"),
            None => match text(rec.get("requestURI")) {
                Some(u) => format!("{verb_s} {}", u.split('?').next().unwrap_or(&u)),
                None => verb_s.to_string(),
            },
        };
        if obj.is_some() {
            d.service = Some(
                obj.and_then(|o| text(o.get("apiGroup")))
                    .unwrap_or(Cow::Borrowed("core")),
            );
        }

        // Who.
        let user = rec.get("user").filter(|v| v.kind() == Kind::Obj);
        let username = user.and_then(|u| text(u.get("username")));
        d.actor_id = user.and_then(|u| text(u.get("uid")));
        d.actor_kind = Some(match username.as_deref() {
            Some(u) => user_kind(u),
            None => PrincipalKind::Unknown,
        });
        if let Some(g) = user.and_then(|u| any_text(u.get("groups"))) {
            d.text.push(g);
        }
        let imp = rec
            .get("impersonatedUser")
            .filter(|v| v.kind() == Kind::Obj);
        if let Some(iu) = imp.and_then(|i| text(i.get("username"))) {
            d.target(
                Some(Cow::Borrowed("impersonated_user")),
                None,
                Some(iu.clone()),
            );
            d.text.push(iu);
        }
        d.src = text(rec.path("sourceIPs.0"));
        if let Some(more) = rec.get("sourceIPs").filter(|v| v.len() > 1) {
            if let Some(t) = any_text(Some(more)) {
                d.text.push(t);
            }
        }
        d.user_agent = text(rec.get("userAgent"));

        // What on.
        if let Some(o) = obj {
            let ns = text(o.get("namespace"));
            let name = text(o.get("name"))
                .or_else(|| text(rec.path("responseObject.metadata.name")))
                .or_else(|| text(rec.path("requestObject.metadata.name")));
            let kind = resource.clone();
            // A namespace object's `namespace` is itself.
            let ns = ns.filter(|_| resource.as_deref() != Some("namespaces"));
            match (&ns, &name) {
                (Some(n), Some(nm)) => {
                    d.target(kind, Some(Cow::Owned(format!("{n}/{nm}"))), name.clone())
                }
                (None, Some(nm)) => d.target(kind, Some(nm.clone()), name.clone()),
                (Some(n), None) => {
                    d.target(Some(Cow::Borrowed("namespaces")), Some(n.clone()), None)
                }
                (None, None) => {}
            }
        }
        let req = rec.get("requestObject").filter(|v| v.kind() == Kind::Obj);
        if let Some(r) = req {
            if let Some(rr) = r.get("roleRef").filter(|v| v.kind() == Kind::Obj) {
                d.target(
                    text(rr.get("kind")),
                    text(rr.get("name")),
                    text(rr.get("name")),
                );
            }
            for s in r.get("subjects").into_iter().flat_map(|v| v.elements()) {
                let nm = text(s.get("name"));
                let id = match (text(s.get("namespace")), &nm) {
                    (Some(n), Some(x)) => Some(Cow::Owned(format!("{n}/{x}"))),
                    _ => nm.clone(),
                };
                d.target(text(s.get("kind")), id, nm);
            }
        }

        // Outcome.
        let decision = text(rec.path_segs(&["annotations", "authorization.k8s.io/decision"]));
        let status = rec.get("responseStatus").filter(|v| v.kind() == Kind::Obj);
        let code = status
            .and_then(|s| s.get("code"))
            .and_then(|c| c.as_f64())
            .map(|c| c as i64);
        d.status_code = status.and_then(|s| text(s.get("code")));
        d.reason = status.and_then(|s| first(s, &["message", "reason"]));
        let stage = text(rec.get("stage"));
        d.outcome = Some(if decision.as_deref() == Some("forbid") {
            (
                Outcome::Failure,
                FailureKind::AuthZ,
                "kubernetes:decision=forbid",
            )
        } else {
            match code {
                Some(c) if c < 400 => (
                    Outcome::Success,
                    FailureKind::None,
                    "kubernetes:responseStatus.code",
                ),
                Some(401) => (
                    Outcome::Failure,
                    FailureKind::AuthN,
                    "kubernetes:responseStatus.code",
                ),
                Some(403) => (
                    Outcome::Failure,
                    FailureKind::AuthZ,
                    "kubernetes:responseStatus.code",
                ),
                Some(429) => (
                    Outcome::Failure,
                    FailureKind::Throttled,
                    "kubernetes:responseStatus.code",
                ),
                Some(_) => (
                    Outcome::Failure,
                    FailureKind::Operation,
                    "kubernetes:responseStatus.code",
                ),
                None if stage.as_deref() == Some("RequestReceived") => (
                    Outcome::Unknown,
                    FailureKind::None,
                    "kubernetes:stage=RequestReceived",
                ),
                None => (
                    Outcome::Unknown,
                    FailureKind::None,
                    "kubernetes:no_response_status",
                ),
            }
        });
        if matches!(code, Some(401)) {
            d.actor_unverified = true;
        }
        if let Some(r) = text(rec.path_segs(&["annotations", "authorization.k8s.io/reason"])) {
            d.text.push(r);
        }

        // Category and activity.
        let res = resource.as_deref().unwrap_or("");
        d.category = Some(category(verb_s, res, sub.as_deref()));
        d.activity = Some(activity(verb_s, res));

        // Stages of one request combine; the most complete one describes it.
        if let Some(id) = &audit_id {
            d.merge_key = Some(Cow::Owned(format!(
                "{id}|{}",
                username.as_deref().unwrap_or("")
            )));
        }
        d.merge_rank = match stage.as_deref() {
            Some("ResponseComplete") | Some("Panic") => 3,
            Some("ResponseStarted") => 2,
            Some("RequestReceived") => 1,
            _ => 0,
        };
        if matches!(verb_s, "create" | "update" | "patch") {
            d.after = any_text(req);
        }
        if let Some(u) = text(rec.get("requestURI")) {
            d.text.push(u);
        }
        if let Some(s) = stage {
            d.text.push(s);
        }
        d.uid = audit_id.clone();
        d.correlation = audit_id;
        d.actor_name = username;
        d.action = Some(Cow::Owned(action));
        Ok(())
    }
}

/// The kind of a Kubernetes user name.
fn user_kind(u: &str) -> PrincipalKind {
    if u.starts_with("system:serviceaccount:") {
        PrincipalKind::ServiceAccount
    } else if u == "system:anonymous" {
        PrincipalKind::Anonymous
    } else if u.starts_with("system:") {
        PrincipalKind::System
    } else {
        PrincipalKind::User
    }
}

const RBAC: &[&str] = &[
    "roles",
    "rolebindings",
    "clusterroles",
    "clusterrolebindings",
];
const CONFIG: &[&str] = &[
    "validatingwebhookconfigurations",
    "mutatingwebhookconfigurations",
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
    "auditsinks",
    "podsecuritypolicies",
    "networkpolicies",
];

fn category(verb: &str, res: &str, sub: Option<&str>) -> (Category, &'static str) {
    let read = matches!(verb, "get" | "list" | "watch");
    if res == "secrets"
        || (res == "serviceaccounts" && sub == Some("token"))
        || res == "certificatesigningrequests"
    {
        return (Category::Credential, "kubernetes:credential_resource");
    }
    if RBAC.contains(&res)
        || matches!(verb, "bind" | "escalate" | "impersonate")
        || res == "serviceaccounts"
    {
        return (Category::Identity, "kubernetes:rbac");
    }
    if res == "tokenreviews" {
        return (Category::Authentication, "kubernetes:tokenreview");
    }
    if read || res.ends_with("accessreviews") || res.ends_with("rulesreviews") {
        return (Category::DataAccess, "kubernetes:read_verb");
    }
    if res == "events" && matches!(verb, "delete" | "deletecollection") {
        return (Category::Configuration, "kubernetes:events_deleted");
    }
    if CONFIG.contains(&res) {
        return (Category::Configuration, "kubernetes:policy_resource");
    }
    (Category::Resource, "kubernetes:default_resource")
}

fn activity(verb: &str, res: &str) -> (Activity, &'static str) {
    const R: &str = "kubernetes:verb";
    let binding = res == "rolebindings" || res == "clusterrolebindings";
    let a = match verb {
        "create" if binding => Activity::Assign,
        "create" => Activity::Create,
        "get" | "list" | "watch" => Activity::Read,
        "update" | "patch" | "approve" => Activity::Update,
        "delete" | "deletecollection" if binding => Activity::Revoke,
        "delete" | "deletecollection" => Activity::Delete,
        "bind" | "escalate" => Activity::Assign,
        _ => Activity::Other,
    };
    (a, R)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        let mut d = Draft::default();
        Kubernetes.map(doc.root(), &Ctx::default(), &mut d).unwrap();
        crate::derive::apply(&mut d, Kubernetes.completed_log());
        d
    }

    fn err(src: &str) -> String {
        let doc = Doc::parse(src.as_bytes()).unwrap();
        let mut d = Draft::default();
        Kubernetes
            .map(doc.root(), &Ctx::default(), &mut d)
            .unwrap_err()
    }

    fn sniff(src: &str) -> u32 {
        Kubernetes.sniff(Doc::parse(src.as_bytes()).unwrap().root(), &Ctx::default())
    }

    const EXEC: &str = r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"a-1","stage":"ResponseStarted","requestURI":"/api/v1/namespaces/default/pods/web-1/exec?command=sh","verb":"create","user":{"username":"alice","uid":"u-1","groups":["system:masters"]},"sourceIPs":["::1","10.0.0.2"],"userAgent":"kubectl/v1.28","objectRef":{"resource":"pods","namespace":"default","name":"web-1","apiVersion":"v1","subresource":"exec"},"responseStatus":{"metadata":{},"code":101},"requestReceivedTimestamp":"2020-04-13T11:52:22.018392Z","stageTimestamp":"2020-04-13T11:52:22.100000Z","annotations":{"authorization.k8s.io/decision":"allow"}}"#;

    #[test]
    fn sniff_signals() {
        assert!(sniff(EXEC) >= 95);
        assert!(
            sniff(
                r#"{"auditID":"a","verb":"get","requestURI":"/healthz","stage":"ResponseComplete"}"#
            ) >= 70,
            "no kind/apiVersion"
        );
        assert_eq!(sniff(r#"{"kind":0}"#), 2, "token score only");
        assert_eq!(sniff(r#"{"kind":"admin#reports#activity","id":{}}"#), 0);
        assert_eq!(sniff(r#"{"eventName":"x"}"#), 0);
    }

    #[test]
    fn exec_event_fields() {
        let d = map(EXEC);
        assert_eq!(d.action.as_deref(), Some("create pods/exec"));
        assert_eq!(d.service.as_deref(), Some("core"));
        assert_eq!(d.actor_name.as_deref(), Some("alice"));
        assert_eq!(d.actor_id.as_deref(), Some("u-1"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert_eq!(d.src.as_deref(), Some("::1"));
        assert_eq!(d.user_agent.as_deref(), Some("kubectl/v1.28"));
        assert_eq!(d.targets[0].0.as_deref(), Some("pods"));
        assert_eq!(d.targets[0].1.as_deref(), Some("default/web-1"));
        assert_eq!(
            d.outcome.unwrap().0,
            Outcome::Success,
            "101 upgrade is success"
        );
        assert_eq!(d.category.unwrap().0, Category::Resource);
        assert_eq!(d.activity.unwrap().0, Activity::Create);
        assert_eq!(d.time_raw.as_deref(), Some("2020-04-13T11:52:22.018392Z"));
        assert_eq!(d.merge_rank, 2);
        assert_eq!(d.merge_key.as_deref(), Some("a-1|alice"));
        assert_eq!(d.uid.as_deref(), Some("a-1"));
    }

    #[test]
    fn malformed_kind_is_rejected_with_reason() {
        let e = err(r#"{"kind": 0}"#);
        assert!(e.contains("malformed") && e.contains("kind is 0"), "{e}");
        let e = err(r#"{"kind":"Pod","metadata":{"name":"x"}}"#);
        assert!(e.contains("kind is \"Pod\""), "{e}");
    }

    #[test]
    fn user_kinds() {
        assert_eq!(
            user_kind("system:serviceaccount:kube-system:replicaset-controller"),
            PrincipalKind::ServiceAccount
        );
        assert_eq!(user_kind("system:anonymous"), PrincipalKind::Anonymous);
        assert_eq!(user_kind("system:node:minikube"), PrincipalKind::System);
        assert_eq!(
            user_kind("system:kube-controller-manager"),
            PrincipalKind::System
        );
        assert_eq!(user_kind("minikube-user"), PrincipalKind::User);
    }

    #[test]
    fn status_codes_and_decision() {
        let ev = |code: &str, decision: &str| {
            let s = format!(
                r#"{{"kind":"Event","auditID":"x","stage":"ResponseComplete","verb":"list","user":{{"username":"system:anonymous"}},"objectRef":{{"resource":"secrets","namespace":"kube-system"}},"responseStatus":{{"code":{code},"message":"m"}},"annotations":{{"authorization.k8s.io/decision":"{decision}"}},"requestReceivedTimestamp":"2020-01-01T00:00:00Z"}}"#
            );
            map(Box::leak(s.into_boxed_str()))
        };
        let d = ev("401", "allow");
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthN);
        assert!(d.actor_unverified);
        assert_eq!(d.actor_kind, Some(PrincipalKind::Anonymous));
        assert_eq!(ev("403", "allow").outcome.unwrap().1, FailureKind::AuthZ);
        assert_eq!(ev("200", "forbid").outcome.unwrap().1, FailureKind::AuthZ);
        assert_eq!(
            ev("500", "allow").outcome.unwrap().1,
            FailureKind::Operation
        );
        assert_eq!(
            ev("429", "allow").outcome.unwrap().1,
            FailureKind::Throttled
        );
        let d = ev("200", "allow");
        assert_eq!(d.category.unwrap().0, Category::Credential);
        assert_eq!(d.activity.unwrap().0, Activity::Read);
        assert_eq!(d.targets[0].0.as_deref(), Some("namespaces"));
        assert_eq!(d.status_code.as_deref(), Some("200"));
    }

    #[test]
    fn request_received_stage_is_unknown_and_ranks_lowest() {
        let d = map(
            r#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"s","stage":"RequestReceived","verb":"delete","user":{"username":"bob"},"objectRef":{"resource":"namespaces","namespace":"foo","name":"foo"},"requestReceivedTimestamp":"2020-01-01T00:00:00Z"}"#,
        );
        assert_eq!(d.outcome.unwrap().0, Outcome::Unknown);
        assert_eq!(d.outcome.unwrap().2, "kubernetes:stage=RequestReceived");
        assert_eq!(d.merge_rank, 1);
        assert_eq!(d.activity.unwrap().0, Activity::Delete);
        assert!(d.after.is_none());
        assert_eq!(
            d.targets[0].1.as_deref(),
            Some("foo"),
            "a namespace is cluster-scoped"
        );
    }

    #[test]
    fn v1beta1_without_api_version_and_cluster_admin_binding() {
        let d = map(
            r#"{"auditID":"b","stage":"ResponseComplete","verb":"create","user":{"username":"minikube-user"},"sourceIPs":["192.168.99.1"],"objectRef":{"resource":"clusterrolebindings","apiGroup":"rbac.authorization.k8s.io","name":"evil"},"responseStatus":{"code":201},"requestObject":{"kind":"ClusterRoleBinding","metadata":{"name":"evil"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"ServiceAccount","name":"sa","namespace":"ns"}]},"timestamp":"2018-10-25T13:58:49Z","metadata":{"creationTimestamp":"2018-10-25T13:58:49Z"}}"#,
        );
        assert_eq!(d.time_raw.as_deref(), Some("2018-10-25T13:58:49Z"));
        assert_eq!(d.service.as_deref(), Some("rbac.authorization.k8s.io"));
        assert_eq!(d.category.unwrap().0, Category::Identity);
        assert_eq!(d.activity.unwrap().0, Activity::Assign);
        assert!(d
            .targets
            .iter()
            .any(|t| t.0.as_deref() == Some("ClusterRole")
                && t.1.as_deref() == Some("cluster-admin")));
        assert!(d.targets.iter().any(|t| t.1.as_deref() == Some("ns/sa")));
        assert!(d.after.as_deref().unwrap().contains("cluster-admin"));
    }

    #[test]
    fn generated_name_comes_from_the_response_and_events_deletion_is_tampering() {
        let d = map(
            r#"{"kind":"Event","auditID":"g","stage":"ResponseComplete","verb":"create","user":{"username":"system:serviceaccount:kube-system:replicaset-controller"},"objectRef":{"resource":"pods","namespace":"default"},"responseStatus":{"code":201},"responseObject":{"metadata":{"name":"web-abc12"}},"requestReceivedTimestamp":"2020-01-01T00:00:00Z"}"#,
        );
        assert_eq!(d.targets[0].1.as_deref(), Some("default/web-abc12"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
        let d = map(
            r#"{"kind":"Event","auditID":"e","stage":"ResponseComplete","verb":"deletecollection","user":{"username":"x"},"objectRef":{"resource":"events","namespace":"default"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2020-01-01T00:00:00Z"}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Configuration);
        assert_eq!(d.activity.unwrap().0, Activity::Delete);
        let d = map(
            r#"{"kind":"Event","auditID":"h","stage":"ResponseComplete","verb":"get","user":{"username":"system:anonymous"},"requestURI":"/healthz?verbose","responseStatus":{"code":200},"requestReceivedTimestamp":"2020-01-01T00:00:00Z"}"#,
        );
        assert_eq!(d.action.as_deref(), Some("get /healthz"));
        assert!(d.service.is_none());
    }

    #[test]
    fn stages_merge_in_a_dataset() {
        let log = [
            r#"{"kind":"Event","auditID":"m","stage":"RequestReceived","verb":"delete","user":{"username":"bob"},"objectRef":{"resource":"secrets","namespace":"a","name":"s"},"requestReceivedTimestamp":"2020-01-01T00:00:00.000001Z","stageTimestamp":"2020-01-01T00:00:00.000001Z"}"#,
            r#"{"kind":"Event","auditID":"m","stage":"ResponseComplete","verb":"delete","user":{"username":"bob"},"objectRef":{"resource":"secrets","namespace":"a","name":"s"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2020-01-01T00:00:00.000001Z","stageTimestamp":"2020-01-01T00:00:00.5Z"}"#,
        ]
        .join("\n");
        let mut ds = crate::Dataset::new();
        let s = ds
            .load(
                "audit.log",
                log.into_bytes(),
                &crate::LoadOptions::default(),
            )
            .clone();
        assert_eq!(s.format, "kubernetes");
        assert_eq!((s.read, s.loaded, s.merged), (2, 2, 1));
        assert_eq!(ds.len(), 1);
        assert_eq!(
            ds.events[0].outcome,
            Outcome::Success,
            "the ResponseComplete stage describes the request"
        );
    }
}
