//! AWS CloudTrail.
//!
//! **Recognised by** `eventSource` + `eventName` together with one of `eventVersion`,
//! `userIdentity`, `awsRegion`, `recipientAccountId` or `eventID` (member names are matched
//! loosely, so the console's "Event history" CSV columns `Event name`, `Event source`,
//! `Event time`, `User name`, `AWS access key` map too). The outer record of
//! `aws cloudtrail lookup-events` (`EventId`, `EventName`, `EventTime`, `CloudTrailEvent`) is
//! recognised as well; ingest decodes its `CloudTrailEvent` string, and an already-decoded
//! `CloudTrailEvent` object or a record with only the outer fields is mapped here.
//!
//! **Containers**: `{"Records":[…]}` (S3 delivery, pretty or compact, `.json.gz`),
//! `{"Events":[…]}` (LookupEvents), bare arrays, NDJSON, console CSV — all split by the
//! container layer.
//!
//! **Fields**: time `eventTime`, else `@timestamp` (Logstash re-emits drop `eventTime`), else
//! `EventTime` (LookupEvents, local offset); action `eventName`; service `eventSource`;
//! actor from `userIdentity` by `type` (Root → the root ARN; IAMUser → `userName`;
//! AssumedRole → `sessionIssuer.userName/<session name from the ARN>`, kind Role;
//! FederatedUser → the federated name; AWSService → `invokedBy`, kind System; AWSAccount →
//! the calling account, kind by `principalId` prefix; IdentityCenterUser →
//! `onBehalfOf.userId`; Unknown → the typed `userName`, unverified); `principalId` →
//! actor id; `accessKeyId` → credential; MFA from `additionalEventData.MFAUsed` or
//! `sessionContext.attributes.mfaAuthenticated`; `sourceIPAddress` (may be a service DNS
//! name such as `ec2.amazonaws.com`, kept as raw source text); `userAgent`; targets from
//! `requestParameters` (user/role/group/policy/bucket/trail/instance/secret/function/…),
//! `resources[].ARN` and a created access key; tenant `recipientAccountId` (else
//! `userIdentity.accountId`); region `awsRegion` (never validated: anonymized exports use
//! invented region names); uid `eventID`; correlation `requestID`; the request parameters of
//! a non-read call become the "after" state.
//!
//! **Category**: `signin` → Authentication; `iam`/`sso`/`identitystore`/`rolesanywhere` →
//! Identity, or Credential for access keys, login profiles, MFA devices, SSH keys,
//! service-specific credentials, certificates and passwords; `sts` `AssumeRole*`,
//! `GetFederationToken`, `GetSessionToken` → Authentication; changes to
//! `cloudtrail`/`config`/`guardduty`/`securityhub`/`logs`/`organizations` and to logging
//! (flow logs, DNS query logs, bucket logging, event selectors) → Configuration;
//! `readOnly` (or, when absent, a read verb) → DataAccess; otherwise Resource. Activity comes
//! from the verb prefix of `eventName`.
//!
//! **Outcome**: `ConsoleLogin` (and other sign-in events) from
//! `responseElements.<eventName>` (`Success`/`Failure`; failure = AuthN, unverified actor);
//! otherwise `errorCode`/`errorMessage` → Failure (`AccessDenied*`, `*UnauthorizedOperation`
//! → AuthZ; throttling → Throttled; bad/expired tokens and signatures → AuthN; else
//! Operation); otherwise Success — CloudTrail records an `errorCode` for every failed call.
//!
//! **Quirks**: `requestParameters`/`responseElements` may be `null`; a failed console login
//! for a user that does not exist shows `userName: HIDDEN_DUE_TO_SECURITY_REASONS`; service
//! events (`AwsServiceEvent`) may have a `userIdentity` with only `invokedBy`; `readOnly` is
//! a string in LookupEvents; `resources[].ARN` may be null.

use std::borrow::Cow;

use super::{any_text, set_time_loose, text, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The AWS CloudTrail format.
pub struct CloudTrail;

/// Top-level member by exact name, else by folded name (CSV headers, LookupEvents casing).
fn member<'d, 'a>(rec: Val<'d, 'a>, exact: &str, folded: &str) -> Option<Val<'d, 'a>> {
    rec.get(exact)
        .or_else(|| rec.get_folded(folded))
        .filter(|v| !v.is_null())
}

fn member_text<'a>(rec: Val<'_, 'a>, exact: &str, folded: &str) -> Option<Cow<'a, str>> {
    text(member(rec, exact, folded))
}

impl Format for CloudTrail {
    fn id(&self) -> &'static str {
        "cloudtrail"
    }
    fn name(&self) -> &'static str {
        "AWS CloudTrail"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("aws", "cloudtrail")
    }

    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        sniff_record(rec)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        map_record(rec, ctx, d)
    }
}

fn sniff_record(rec: Val<'_, '_>) -> u32 {
    if rec.kind() != Kind::Obj {
        return 0;
    }
    if let Some(inner) = rec.get("CloudTrailEvent").filter(|v| v.kind() == Kind::Obj) {
        return sniff_record(inner).max(80);
    }
    let has = |n: &str| rec.get_folded(n).is_some();
    if !has("eventname") || !has("eventsource") {
        return 0;
    }
    let mut s: u32 = 0;
    for (k, w) in [
        ("eventversion", 25),
        ("useridentity", 25),
        ("awsregion", 10),
        ("recipientaccountid", 10),
        ("eventid", 10),
        ("eventtime", 10),
        ("requestid", 5),
        ("sourceipaddress", 5),
        ("awsaccesskey", 10),
        ("accesskeyid", 10),
        ("cloudtrailevent", 30),
    ] {
        if has(k) {
            s += w;
        }
    }
    if s == 0 {
        return 0;
    }
    (40 + s).min(98)
}

fn map_record<'a>(rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
    if rec.kind() != Kind::Obj {
        return Err("not a CloudTrail record (not an object)".into());
    }
    // LookupEvents with the inner record already decoded into an object.
    if let Some(inner) = rec.get("CloudTrailEvent").filter(|v| v.kind() == Kind::Obj) {
        return map_record(inner, ctx, d);
    }
    set_time_loose(d, rec, &["eventtime", "timestamp", "eventdatetime"], ctx)?;
    let name = member_text(rec, "eventName", "eventname")
        .ok_or("not a CloudTrail record: no eventName")?;
    let source = member_text(rec, "eventSource", "eventsource");
    let svc = source.as_deref().map(short_service).unwrap_or("");
    d.uid = member_text(rec, "eventID", "eventid");
    d.correlation = member_text(rec, "requestID", "requestid");
    d.region = member_text(rec, "awsRegion", "awsregion");
    d.src = member_text(rec, "sourceIPAddress", "sourceipaddress");
    d.user_agent = member_text(rec, "userAgent", "useragent");

    let ui = rec.get("userIdentity").filter(|v| v.kind() == Kind::Obj);
    if let Some(ui) = ui {
        actor(ui, d);
    } else {
        // LookupEvents outer record / console CSV: only a user name and an access key.
        d.actor_name = member_text(rec, "Username", "username");
        d.credential = member_text(rec, "AccessKeyId", "accesskeyid")
            .or_else(|| member_text(rec, "AWS access key", "awsaccesskey"));
        if d.actor_name.is_some() {
            d.actor_kind = Some(PrincipalKind::User);
        }
    }
    d.tenant = member_text(rec, "recipientAccountId", "recipientaccountid")
        .or_else(|| ui.and_then(|u| text(u.get("accountId"))));

    let extra = rec
        .get("additionalEventData")
        .filter(|v| v.kind() == Kind::Obj);
    if let Some(mfa) = extra.and_then(|x| text(x.get("MFAUsed"))) {
        d.mfa = yes_no(&mfa);
    }

    // Category and activity.
    let read_only = member(rec, "readOnly", "readonly").and_then(|v| v.as_bool());
    let act = activity(svc, &name);
    let is_read = read_only.unwrap_or(matches!(act, Some((Activity::Read, _))));
    d.category = Some(category(svc, &name, is_read));
    d.activity = act;

    // Outcome.
    let resp = rec
        .get("responseElements")
        .filter(|v| v.kind() == Kind::Obj);
    let err_code = member_text(rec, "errorCode", "errorcode");
    let err_msg = member_text(rec, "errorMessage", "errormessage");
    let login_result = resp.and_then(|r| text(r.get(&name)));
    if let Some(res) = login_result.filter(|_| svc == "signin") {
        d.status_code = Some(res.clone());
        if res.eq_ignore_ascii_case("success") {
            d.outcome = Some((
                Outcome::Success,
                FailureKind::None,
                "cloudtrail:responseElements.ConsoleLogin",
            ));
        } else {
            d.outcome = Some((
                Outcome::Failure,
                FailureKind::AuthN,
                "cloudtrail:responseElements.ConsoleLogin",
            ));
            d.actor_unverified = true;
        }
        d.reason = err_msg;
    } else if err_code.is_some() || err_msg.is_some() {
        let kind = match err_code.as_deref() {
            Some(c) => failure_kind(c),
            None if svc == "signin" => FailureKind::AuthN,
            None => FailureKind::Operation,
        };
        d.outcome = Some((Outcome::Failure, kind, "cloudtrail:errorCode"));
        if svc == "signin" {
            d.actor_unverified = true;
        }
        d.status_code = err_code;
        d.reason = err_msg;
    } else if member(rec, "eventType", "eventtype")
        .and_then(|v| v.as_str())
        .is_some_and(|t| t == "AwsCloudTrailInsight")
    {
        // Insight events describe API-rate anomalies, not an API call.
        d.outcome = Some((
            Outcome::Unknown,
            FailureKind::None,
            "cloudtrail:insight_event",
        ));
    } else {
        d.outcome = Some((
            Outcome::Success,
            FailureKind::None,
            "cloudtrail:no_errorCode",
        ));
    }
    if d.actor_name
        .as_deref()
        .is_some_and(|n| n == "HIDDEN_DUE_TO_SECURITY_REASONS")
    {
        d.actor_unverified = true;
    }

    // Targets.
    let params = rec
        .get("requestParameters")
        .filter(|v| v.kind() == Kind::Obj);
    // `resources[]` names S3 objects and SSM parameters by ARN; the same things named
    // again in the request parameters would only repeat them.
    let has_arns = member(rec, "resources", "resources")
        .is_some_and(|v| v.elements().any(|r| text(r.get("ARN")).is_some()));
    if let Some(p) = params {
        param_targets(svc, &name, p, has_arns, d);
    }
    if let Some(key) = resp.and_then(|r| text(r.path("accessKey.accessKeyId"))) {
        push_target(d, "AWS::IAM::AccessKey", Some(key), None);
    }
    // Instances a call started, stopped or created (RunInstances names them only here).
    for it in resp
        .and_then(|r| r.path("instancesSet.items"))
        .into_iter()
        .flat_map(|v| v.elements())
    {
        if let Some(i) = text(it.get("instanceId")) {
            push_target(d, "AWS::EC2::Instance", Some(i), None);
        }
    }
    for r in member(rec, "resources", "resources")
        .into_iter()
        .flat_map(|v| v.elements())
    {
        let kind = text(r.get("type")).or_else(|| text(r.get("ResourceType")));
        let arn = text(r.get("ARN")).or_else(|| text(r.get("arn")));
        let rname = text(r.get("ResourceName"));
        if arn.is_some() || rname.is_some() {
            push_target_cow(d, kind, arn, rname);
        }
    }

    // Changes: what a write call asked for.
    if !is_read {
        d.after = any_text(params);
    }
    if let Some(t) = any_text(extra) {
        d.text.push(t);
    }
    if let Some(t) = any_text(params) {
        d.text.push(t);
    }
    if let Some(et) = member_text(rec, "eventType", "eventtype") {
        d.text.push(et);
    }
    d.action = Some(name);
    d.service = source;
    Ok(())
}

/// `iam.amazonaws.com` → `iam`.
fn short_service(s: &str) -> &str {
    s.strip_suffix(".amazonaws.com").unwrap_or(s)
}

fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" => Some(true),
        "no" | "false" => Some(false),
        _ => None,
    }
}

/// The last `/`-separated segment of an ARN (`…:assumed-role/Role/session` → `session`).
fn arn_tail(arn: &str) -> Option<&str> {
    arn.rsplit_once('/')
        .map(|(_, t)| t)
        .filter(|t| !t.is_empty())
}

/// The kind of a principal seen only by id: IAM users (`AIDA…`), roles (`AROA…`), an
/// account's root (12 digits), or the anonymous principal.
pub(crate) fn principal_kind_by_id(
    principal_id: Option<&str>,
    account_id: Option<&str>,
) -> PrincipalKind {
    if account_id.is_some_and(|a| a.eq_ignore_ascii_case("ANONYMOUS_PRINCIPAL"))
        || principal_id.is_some_and(|p| p.eq_ignore_ascii_case("anonymous"))
    {
        return PrincipalKind::Anonymous;
    }
    match principal_id {
        Some(p) if p.starts_with("AROA") => PrincipalKind::Role,
        Some(p) if p.starts_with("AIDA") => PrincipalKind::User,
        Some(p) if !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()) => PrincipalKind::User,
        _ => PrincipalKind::Unknown,
    }
}

fn actor<'a>(ui: Val<'_, 'a>, d: &mut Draft<'a>) {
    let typ = text(ui.get("type"));
    let arn = text(ui.get("arn"));
    let user_name = text(ui.get("userName"));
    let invoked_by = text(ui.get("invokedBy"));
    let sc = ui.get("sessionContext").filter(|v| v.kind() == Kind::Obj);
    let issuer_name = sc.and_then(|s| text(s.path("sessionIssuer.userName")));
    d.actor_id = text(ui.get("principalId"));
    d.credential = text(ui.get("accessKeyId"));
    d.mfa = sc
        .and_then(|s| s.path("attributes.mfaAuthenticated"))
        .and_then(|v| v.as_bool());
    let (name, kind): (Option<Cow<'a, str>>, PrincipalKind) = match typ.as_deref() {
        Some("Root") => (
            arn.clone().or(user_name).or(Some(Cow::Borrowed("root"))),
            PrincipalKind::User,
        ),
        Some("IAMUser") => (
            user_name.or_else(|| {
                arn.as_deref()
                    .and_then(arn_tail)
                    .map(|s| Cow::Owned(s.to_string()))
            }),
            PrincipalKind::User,
        ),
        Some("AssumedRole") => {
            let session = arn.as_deref().and_then(arn_tail);
            let n = match (issuer_name.as_deref(), session) {
                (Some(i), Some(s)) => Some(Cow::Owned(format!("{i}/{s}"))),
                (Some(_), None) => issuer_name.clone(),
                (None, Some(_)) => arn.clone(),
                (None, None) => d.actor_id.clone(),
            };
            (n, PrincipalKind::Role)
        }
        Some("FederatedUser") => (
            arn.as_deref()
                .and_then(|a| {
                    a.split_once(":federated-user/")
                        .map(|(_, n)| Cow::Owned(n.to_string()))
                })
                .or(user_name)
                .or_else(|| arn.clone()),
            PrincipalKind::User,
        ),
        Some("AWSService") => (invoked_by.clone(), PrincipalKind::System),
        Some("AWSAccount") => {
            let acct = text(ui.get("accountId"));
            let kind = principal_kind_by_id(d.actor_id.as_deref(), acct.as_deref());
            (acct.or_else(|| d.actor_id.clone()), kind)
        }
        Some("IdentityCenterUser") => {
            let uid = text(ui.path("onBehalfOf.userId"));
            if d.credential.is_none() {
                d.credential = text(ui.get("credentialId"));
            }
            if d.actor_id.is_none() {
                d.actor_id = uid.clone();
            }
            (user_name.or(uid), PrincipalKind::User)
        }
        Some("Unknown") => {
            // Failed sign-ins of unknown principals carry the typed name only.
            d.actor_unverified = true;
            (
                user_name.or_else(|| d.actor_id.clone()),
                PrincipalKind::User,
            )
        }
        Some(_) => (
            user_name
                .or_else(|| arn.clone())
                .or_else(|| d.actor_id.clone()),
            PrincipalKind::User,
        ),
        None if invoked_by.is_some() => (invoked_by.clone(), PrincipalKind::System),
        None => (user_name.or_else(|| arn.clone()), PrincipalKind::Unknown),
    };
    if let Some(ib) = invoked_by.filter(|_| typ.as_deref() != Some("AWSService") && typ.is_some()) {
        d.text.push(ib);
    }
    if let Some(a) = arn {
        d.text.push(a);
    }
    if name.is_some() || kind != PrincipalKind::Unknown {
        d.actor_kind = Some(kind);
    }
    d.actor_name = name;
}

/// Activity from the verb prefix of an event name.
pub(crate) fn activity(svc: &str, name: &str) -> Option<(Activity, &'static str)> {
    const R: &str = "cloudtrail:name_prefix";
    let special = match name {
        "ConsoleLogin"
        | "CheckMfa"
        | "SwitchRole"
        | "Federate"
        | "Authenticate"
        | "CredentialVerification" => Some(Activity::Logon),
        "ExitRole" | "Logout" | "SignOut" | "ConsoleLogout" => Some(Activity::Logoff),
        _ => None,
    };
    if let Some(a) = special {
        return Some((a, "cloudtrail:name"));
    }
    if svc == "sts"
        && (name.starts_with("AssumeRole")
            || name == "GetFederationToken"
            || name == "GetSessionToken")
    {
        return Some((Activity::Logon, "cloudtrail:sts_session"));
    }
    let verb = first_word(name);
    let rest = &name[verb.len()..];
    let a = match verb {
        "Create" | "Run" | "Launch" | "Allocate" | "Import" | "Register" | "Copy" | "Upload"
        | "Generate" | "Request" | "Issue" | "Publish" | "Authorize" | "Invoke" | "Send"
        | "Post" => match verb {
            "Invoke" | "Send" | "Post" => return None,
            _ => Activity::Create,
        },
        "Put" if svc == "iam" && rest.ends_with("Policy") => Activity::Assign,
        "Put" if svc == "s3" && rest.starts_with("Object") => Activity::Create,
        "Put" => Activity::Update,
        "Attach" | "Associate" => Activity::Assign,
        "Add" if svc == "iam" || rest.contains("Permission") || rest.contains("ToGroup") => {
            Activity::Assign
        }
        "Add" => Activity::Create,
        "Get" | "List" | "Describe" | "Lookup" | "Head" | "Search" | "Scan" | "Query"
        | "Select" | "Download" | "Filter" | "Retrieve" | "View" | "Test" | "Validate"
        | "Estimate" | "Preview" => Activity::Read,
        "Batch" if ["Get", "Describe", "List"].contains(&first_word(rest)) => Activity::Read,
        "Update" | "Modify" | "Set" | "Change" | "Reset" | "Replace" | "Rotate" | "Tag"
        | "Untag" | "Restore" | "Edit" | "Apply" | "Rename" | "Reboot" | "Upgrade" => {
            Activity::Update
        }
        "Delete" | "Terminate" | "Deregister" | "Release" | "Destroy" | "Purge" | "Leave"
        | "Cancel" => Activity::Delete,
        "Remove" if svc == "iam" || svc == "sso" || svc == "identitystore" => Activity::Revoke,
        "Remove" => Activity::Delete,
        "Detach" | "Disassociate" | "Revoke" | "Unassign" => Activity::Revoke,
        "Enable" | "Activate" | "Start" | "Resume" => Activity::Enable,
        "Disable" | "Deactivate" | "Stop" | "Suspend" => Activity::Disable,
        _ => return None,
    };
    Some((a, R))
}

/// The leading CamelCase word (`DescribeInstances` → `Describe`).
fn first_word(s: &str) -> &str {
    let mut end = s.len();
    for (i, c) in s.char_indices().skip(1) {
        if c.is_ascii_uppercase() || c.is_ascii_digit() {
            end = i;
            break;
        }
    }
    &s[..end]
}

const CRED_PARTS: &[&str] = &[
    "AccessKey",
    "LoginProfile",
    "MFADevice",
    "SSHPublicKey",
    "ServiceSpecificCredential",
    "SigningCertificate",
    "ServerCertificate",
    "Password",
];

const LOGGING_PARTS: &[&str] = &[
    "Trail",
    "Logging",
    "FlowLogs",
    "QueryLogConfig",
    "EventSelectors",
    "InsightSelectors",
    "EventDataStore",
    "ConfigurationRecorder",
    "DeliveryChannel",
];

/// Category by service and event name (see the module doc).
pub(crate) fn category(svc: &str, name: &str, read_only: bool) -> (Category, &'static str) {
    match svc {
        "signin" => return (Category::Authentication, "cloudtrail:signin"),
        "sts"
            if name.starts_with("AssumeRole")
                || name == "GetFederationToken"
                || name == "GetSessionToken" =>
        {
            return (Category::Authentication, "cloudtrail:sts_session")
        }
        "iam" | "sso" | "sso-directory" | "identitystore" | "rolesanywhere" | "access-analyzer" => {
            if CRED_PARTS.iter().any(|p| name.contains(p)) {
                return (Category::Credential, "cloudtrail:iam_credential");
            }
            if name.contains("Login")
                || name.contains("Logout")
                || name == "Authenticate"
                || name == "Federate"
            {
                return (Category::Authentication, "cloudtrail:sso_login");
            }
            return (Category::Identity, "cloudtrail:iam");
        }
        _ => {}
    }
    if !read_only {
        if matches!(
            svc,
            "cloudtrail"
                | "config"
                | "guardduty"
                | "securityhub"
                | "logs"
                | "organizations"
                | "detective"
                | "macie2"
                | "inspector2"
                | "cloudtrail-data"
        ) {
            return (
                Category::Configuration,
                "cloudtrail:security_service_change",
            );
        }
        if LOGGING_PARTS.iter().any(|p| name.contains(p)) {
            return (Category::Configuration, "cloudtrail:logging_change");
        }
    }
    if read_only {
        (Category::DataAccess, "cloudtrail:readOnly")
    } else {
        (Category::Resource, "cloudtrail:default_resource")
    }
}

/// Failure kind of an `errorCode`.
pub(crate) fn failure_kind(code: &str) -> FailureKind {
    let l = code.to_ascii_lowercase();
    let any = |xs: &[&str]| xs.iter().any(|x| l.contains(x));
    if any(&[
        "accessdenied",
        "unauthorizedoperation",
        "unauthorizedaccess",
        "forbidden",
        "notauthorized",
        "authorizationerror",
    ]) || l == "unauthorized"
    {
        FailureKind::AuthZ
    } else if any(&[
        "throttl",
        "requestlimitexceeded",
        "toomanyrequests",
        "slowdown",
        "rateexceeded",
    ]) {
        FailureKind::Throttled
    } else if any(&[
        "invalidclienttokenid",
        "signaturedoesnotmatch",
        "expiredtoken",
        "invalidaccesskeyid",
        "authfailure",
        "incompletesignature",
        "unrecognizedclient",
        "invalidtoken",
        "missingauthenticationtoken",
        "failedauthentication",
    ]) {
        FailureKind::AuthN
    } else {
        FailureKind::Operation
    }
}

fn push_target<'a>(
    d: &mut Draft<'a>,
    kind: &'static str,
    id: Option<Cow<'a, str>>,
    name: Option<Cow<'a, str>>,
) {
    push_target_cow(d, Some(Cow::Borrowed(kind)), id, name);
}

fn push_target_cow<'a>(
    d: &mut Draft<'a>,
    kind: Option<Cow<'a, str>>,
    id: Option<Cow<'a, str>>,
    name: Option<Cow<'a, str>>,
) {
    let dup = d.targets.iter().any(|(_, i, n)| {
        (id.is_some() && *i == id) || (id.is_none() && name.is_some() && *n == name)
    });
    if !dup {
        d.target(kind, id, name);
    }
}

/// Request parameters that name what a call acted on: (member, type, is a name rather than an id).
const PARAM_TARGETS: &[(&str, &str, bool)] = &[
    ("userName", "AWS::IAM::User", true),
    ("roleName", "AWS::IAM::Role", true),
    ("policyArn", "AWS::IAM::Policy", false),
    ("policyName", "AWS::IAM::Policy", true),
    ("instanceProfileName", "AWS::IAM::InstanceProfile", true),
    ("serialNumber", "AWS::IAM::MFADevice", false),
    ("accessKeyId", "AWS::IAM::AccessKey", false),
    ("roleArn", "AWS::IAM::Role", false),
    ("bucketName", "AWS::S3::Bucket", true),
    ("trailName", "AWS::CloudTrail::Trail", true),
    ("instanceId", "AWS::EC2::Instance", false),
    ("snapshotId", "AWS::EC2::Snapshot", false),
    ("imageId", "AWS::EC2::Image", false),
    ("groupId", "AWS::EC2::SecurityGroup", false),
    ("volumeId", "AWS::EC2::Volume", false),
    ("vpcId", "AWS::EC2::VPC", false),
    ("secretId", "AWS::SecretsManager::Secret", false),
    ("functionName", "AWS::Lambda::Function", true),
    ("dBSnapshotIdentifier", "AWS::RDS::DBSnapshot", true),
    ("dBInstanceIdentifier", "AWS::RDS::DBInstance", true),
    ("logGroupName", "AWS::Logs::LogGroup", true),
    ("detectorId", "AWS::GuardDuty::Detector", false),
    ("keyId", "AWS::KMS::Key", false),
    (
        "resolverQueryLogConfigId",
        "AWS::Route53Resolver::ResolverQueryLoggingConfig",
        false,
    ),
    ("modelId", "AWS::Bedrock::Model", false),
    ("documentName", "AWS::SSM::Document", true),
    ("target", "AWS::EC2::Instance", false),
    (
        "configurationRecorderName",
        "AWS::Config::ConfigurationRecorder",
        true,
    ),
];

fn param_targets<'a>(svc: &str, name: &str, p: Val<'_, 'a>, has_arns: bool, d: &mut Draft<'a>) {
    for (key, kind, is_name) in PARAM_TARGETS {
        if has_arns && *key == "bucketName" {
            continue;
        }
        let Some(v) = text(p.get(key)) else { continue };
        if *key == "target" && svc != "ssm" {
            continue;
        }
        if *is_name {
            push_target(d, kind, None, Some(v));
        } else {
            push_target(d, kind, Some(v), None);
        }
    }
    // Members whose meaning depends on the service.
    if let Some(g) = text(p.get("groupName")) {
        let kind = if svc == "iam" {
            "AWS::IAM::Group"
        } else {
            "AWS::EC2::SecurityGroup"
        };
        push_target(d, kind, None, Some(g));
    }
    if let Some(n) = text(p.get("name")) {
        let kind = match svc {
            "cloudtrail" => Some("AWS::CloudTrail::Trail"),
            "ssm" => Some("AWS::SSM::Parameter"),
            "sts" if name == "GetFederationToken" => Some("AWS::STS::FederatedUser"),
            "rolesanywhere" => Some(if name.contains("TrustAnchor") {
                "AWS::RolesAnywhere::TrustAnchor"
            } else {
                "AWS::RolesAnywhere::Profile"
            }),
            _ => None,
        };
        if let Some(k) = kind {
            push_target(d, k, None, Some(n));
        }
    }
    // S3 object keys.
    if let (false, Some(b), Some(k)) = (has_arns, text(p.get("bucketName")), text(p.get("key"))) {
        push_target(
            d,
            "AWS::S3::Object",
            Some(Cow::Owned(format!("{b}/{k}"))),
            None,
        );
    }
    // Lists of instances, parameters and secrets.
    for path in ["instancesSet.items", "instancesSet.item"] {
        for it in p.path(path).into_iter().flat_map(|v| v.elements()) {
            if let Some(i) = text(it.get("instanceId")) {
                push_target(d, "AWS::EC2::Instance", Some(i), None);
            }
            if let Some(i) = text(it.get("imageId")) {
                push_target(d, "AWS::EC2::Image", Some(i), None);
            }
        }
    }
    for (key, kind) in [
        ("instanceIds", "AWS::EC2::Instance"),
        ("names", "AWS::SSM::Parameter"),
        ("secretIdList", "AWS::SecretsManager::Secret"),
        ("roleArns", "AWS::IAM::Role"),
    ] {
        if has_arns && (key == "names" || key == "secretIdList") {
            continue;
        }
        for it in p.get(key).into_iter().flat_map(|v| v.elements()) {
            if let Some(i) = text(Some(it)) {
                push_target(d, kind, Some(i), None);
            }
        }
    }
    // Sharing with other accounts (snapshot / AMI / DB snapshot attributes).
    for path in [
        "createVolumePermission.add.items",
        "launchPermission.add.items",
    ] {
        for it in p.path(path).into_iter().flat_map(|v| v.elements()) {
            if let Some(u) = text(it.get("userId")).or_else(|| text(it.get("group"))) {
                push_target(d, "AWS::Account", Some(u), None);
            }
        }
    }
    for it in p.get("valuesToAdd").into_iter().flat_map(|v| v.elements()) {
        if let Some(u) = text(Some(it)) {
            push_target(d, "AWS::Account", Some(u), None);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        let mut d = Draft::default();
        CloudTrail.map(doc.root(), &Ctx::default(), &mut d).unwrap();
        crate::derive::apply(&mut d, CloudTrail.completed_log());
        d
    }

    fn sniff(src: &str) -> u32 {
        let doc = Doc::parse(src.as_bytes()).unwrap();
        CloudTrail.sniff(doc.root(), &Ctx::default())
    }

    const ASSUMED: &str = r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:i-0abc","arn":"arn:aws:sts::111122223333:assumed-role/web-role/i-0abc","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/web-role","accountId":"111122223333","userName":"web-role"},"attributes":{"creationDate":"2024-01-01T00:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"2024-01-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2","requestParameters":{"Host":"s3.amazonaws.com"},"responseElements":null,"requestID":"R1","eventID":"E1","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#;

    #[test]
    fn sniff_is_specific() {
        assert!(sniff(ASSUMED) >= 90);
        assert_eq!(
            sniff(r#"{"eventName":"x","createdAt":"2024-01-01T00:00:00Z"}"#),
            0
        );
        assert_eq!(
            sniff(r#"{"action":"repo.create","actor":"a","created_at":1}"#),
            0
        );
        assert_eq!(
            sniff(r#"{"Event Name":"ListObjects","User ID":"{'type': 'AWSAccount'}"}"#),
            0
        );
    }

    #[test]
    fn assumed_role_actor_is_issuer_and_session() {
        let d = map(ASSUMED);
        assert_eq!(d.actor_name.as_deref(), Some("web-role/i-0abc"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::Role));
        assert_eq!(d.actor_id.as_deref(), Some("AROAEXAMPLE:i-0abc"));
        assert_eq!(d.credential.as_deref(), Some("ASIAEXAMPLE"));
        assert_eq!(d.mfa, Some(false));
        assert_eq!(d.tenant.as_deref(), Some("111122223333"));
        assert_eq!(d.region.as_deref(), Some("us-east-1"));
        assert_eq!(d.uid.as_deref(), Some("E1"));
        assert_eq!(d.correlation.as_deref(), Some("R1"));
        assert_eq!(d.service.as_deref(), Some("s3.amazonaws.com"));
        assert_eq!(d.category.unwrap().0, Category::DataAccess);
        assert_eq!(d.activity.unwrap().0, Activity::Read);
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
        assert!(d.after.is_none(), "read calls carry no change");
    }

    #[test]
    fn logstash_reemit_uses_at_timestamp() {
        let d = map(
            r#"{"@timestamp":"2020-09-14T00:44:23.000Z","@version":"1","eventVersion":"1.05","userIdentity":{"type":"IAMUser","userName":"pedro","principalId":"AIDAX","arn":"arn:aws:iam::123:user/pedro","accountId":"123","sessionContext":{"attributes":{"mfaAuthenticated":"true"}}},"eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","sourceIPAddress":"ec2.amazonaws.com","requestParameters":{"instancesSet":{"items":[{"instanceId":"i-1"}]}},"responseElements":null}"#,
        );
        assert_eq!(d.time_raw.as_deref(), Some("2020-09-14T00:44:23.000Z"));
        assert_eq!(d.actor_name.as_deref(), Some("pedro"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert_eq!(d.mfa, Some(true));
        assert_eq!(
            d.src.as_deref(),
            Some("ec2.amazonaws.com"),
            "a service DNS name is kept as text"
        );
        // No readOnly member: the read verb decides.
        assert_eq!(d.category.unwrap().0, Category::DataAccess);
        assert_eq!(d.targets[0].1.as_deref(), Some("i-1"));
    }

    #[test]
    fn console_login_failure_is_authn_with_unverified_hidden_user() {
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","accountId":"123","accessKeyId":"","userName":"HIDDEN_DUE_TO_SECURITY_REASONS"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","userAgent":"Mozilla","errorMessage":"No username found in supplied account","requestParameters":null,"responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"No","LoginTo":"https://console"},"eventID":"E","eventType":"AwsConsoleSignIn","recipientAccountId":"123"}"#,
        );
        assert_eq!(d.outcome.unwrap().0, Outcome::Failure);
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthN);
        assert!(d.actor_unverified);
        assert_eq!(d.category.unwrap().0, Category::Authentication);
        assert_eq!(d.activity.unwrap().0, Activity::Logon);
        assert_eq!(d.mfa, Some(false));
        assert_eq!(
            d.reason.as_deref(),
            Some("No username found in supplied account")
        );
        assert!(
            d.credential.is_none(),
            "an empty access key is no credential"
        );
    }

    #[test]
    fn console_login_success_with_mfa_flag() {
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"123","arn":"arn:aws:iam::123:root","accountId":"123"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"Yes"},"recipientAccountId":"123"}"#,
        );
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
        assert!(!d.actor_unverified);
        assert_eq!(d.mfa, Some(true));
        assert_eq!(d.actor_name.as_deref(), Some("arn:aws:iam::123:root"));
    }

    #[test]
    fn error_codes_map_to_failure_kinds() {
        let base = |code: &str| {
            format!(
                r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","userName":"bob"}},"eventTime":"2024-01-01T00:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","errorCode":"{code}","errorMessage":"m"}}"#
            )
        };
        let kind = |code: &str| {
            let s = base(code);
            let d = map(Box::leak(s.into_boxed_str()));
            assert_eq!(d.outcome.unwrap().0, Outcome::Failure);
            d.outcome.unwrap().1
        };
        assert_eq!(kind("Client.UnauthorizedOperation"), FailureKind::AuthZ);
        assert_eq!(kind("AccessDenied"), FailureKind::AuthZ);
        assert_eq!(kind("AccessDeniedException"), FailureKind::AuthZ);
        assert_eq!(kind("ThrottlingException"), FailureKind::Throttled);
        assert_eq!(kind("Client.RequestLimitExceeded"), FailureKind::Throttled);
        assert_eq!(kind("InvalidClientTokenId"), FailureKind::AuthN);
        assert_eq!(
            kind("EntityTemporarilyUnmodifiableException"),
            FailureKind::Operation
        );
    }

    #[test]
    fn iam_credential_and_identity_categories_with_targets() {
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"admin","accessKeyId":"AKIAADMIN"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","readOnly":false,"requestParameters":{"userName":"backdoor"},"responseElements":{"accessKey":{"accessKeyId":"AKIANEW","status":"Active","userName":"backdoor"}}}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Credential);
        assert_eq!(d.activity.unwrap().0, Activity::Create);
        assert_eq!(d.targets.len(), 2);
        assert_eq!(d.targets[0].2.as_deref(), Some("backdoor"));
        assert_eq!(d.targets[1].1.as_deref(), Some("AKIANEW"));
        assert_eq!(d.after.as_deref(), Some(r#"{"userName":"backdoor"}"#));
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"admin"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"iam.amazonaws.com","eventName":"AttachUserPolicy","requestParameters":{"policyArn":"arn:aws:iam::aws:policy/AdministratorAccess","userName":"backdoor"}}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Identity);
        assert_eq!(d.activity.unwrap().0, Activity::Assign);
        assert!(d
            .targets
            .iter()
            .any(|t| t.1.as_deref() == Some("arn:aws:iam::aws:policy/AdministratorAccess")));
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"admin"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"iam.amazonaws.com","eventName":"DeactivateMFADevice","requestParameters":{"userName":"bob","serialNumber":"arn:aws:iam::1:mfa/bob"}}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Credential);
        assert_eq!(d.activity.unwrap().0, Activity::Disable);
    }

    #[test]
    fn trail_tampering_is_configuration() {
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"x"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","readOnly":false,"requestParameters":{"name":"main-trail"}}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Configuration);
        assert_eq!(d.activity.unwrap().0, Activity::Disable);
        assert_eq!(d.targets[0].2.as_deref(), Some("main-trail"));
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"x"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"DeleteFlowLogs","readOnly":false}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Configuration);
        assert_eq!(d.activity.unwrap().0, Activity::Delete);
    }

    #[test]
    fn sts_sessions_are_authentication() {
        let d = map(
            r#"{"eventVersion":"1.05","userIdentity":{"type":"AWSService","invokedBy":"config.amazonaws.com"},"eventTime":"2017-12-11T15:04:51Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","sourceIPAddress":"config.amazonaws.com","requestParameters":{"roleArn":"arn:aws:iam::1:role/r","roleSessionName":"s"},"resources":[{"ARN":"arn:aws:iam::1:role/r","accountId":"1","type":"AWS::IAM::Role"}]}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Authentication);
        assert_eq!(d.activity.unwrap().0, Activity::Logon);
        assert_eq!(d.actor_name.as_deref(), Some("config.amazonaws.com"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::System));
        assert_eq!(
            d.targets.len(),
            1,
            "the role from requestParameters and resources[] is listed once"
        );
    }

    #[test]
    fn resources_arns_are_not_repeated_from_request_parameters() {
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"u"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","readOnly":true,"requestParameters":{"bucketName":"b","key":"k"},"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k"},{"accountId":"1","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"},{"type":"AWS::S3::Object","ARNPrefix":null}]}"#,
        );
        let ids: Vec<_> = d
            .targets
            .iter()
            .map(|t| t.1.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(ids, ["arn:aws:s3:::b/k", "arn:aws:s3:::b"]);
    }

    #[test]
    fn federated_and_identity_center_users() {
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"FederatedUser","principalId":"1:fed","arn":"arn:aws:sts::1:federated-user/fed","accountId":"1","accessKeyId":"ASIAF","sessionContext":{"sessionIssuer":{"userName":"issuer"},"attributes":{"mfaAuthenticated":"false"}}},"eventTime":"2024-01-01T00:00:00Z","eventSource":"sts.amazonaws.com","eventName":"GetCallerIdentity","readOnly":true}"#,
        );
        assert_eq!(d.actor_name.as_deref(), Some("fed"));
        assert_eq!(d.category.unwrap().0, Category::DataAccess);
        let d = map(
            r#"{"eventVersion":"1.09","userIdentity":{"type":"IdentityCenterUser","accountId":"1","onBehalfOf":{"userId":"u-123","identityStoreArn":"arn:aws:identitystore::1:identitystore/d-1"},"credentialId":"cred-1"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"sso.amazonaws.com","eventName":"ListApplications","readOnly":true}"#,
        );
        assert_eq!(d.actor_name.as_deref(), Some("u-123"));
        assert_eq!(d.credential.as_deref(), Some("cred-1"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
    }

    #[test]
    fn aws_account_and_service_event_actors() {
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"type":"AWSAccount","principalId":"AIDAOTHER","accountId":"999"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","readOnly":true,"requestParameters":{"bucketName":"b","key":"k.txt"}}"#,
        );
        assert_eq!(d.actor_name.as_deref(), Some("999"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert!(d.targets.iter().any(|t| t.1.as_deref() == Some("b/k.txt")));
        let d = map(
            r#"{"eventVersion":"1.08","userIdentity":{"accountId":"1","invokedBy":"ec2.amazonaws.com"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"SharedSnapshotVolumeCreated","readOnly":false,"eventType":"AwsServiceEvent"}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::System));
        assert_eq!(d.actor_name.as_deref(), Some("ec2.amazonaws.com"));
    }

    #[test]
    fn lookup_events_outer_record_and_embedded_object() {
        let d = map(
            r#"{"EventId":"E9","EventName":"StopInstances","ReadOnly":"false","AccessKeyId":"AKIAX","EventTime":"2022-02-08 09:23:37+11:00","EventSource":"ec2.amazonaws.com","Username":"fake","Resources":[{"ResourceType":"AWS::EC2::Instance","ResourceName":"i-1"}]}"#,
        );
        assert_eq!(
            d.time.unwrap().nanos,
            crate::time::parse_timestamp("2022-02-07T22:23:37Z")
                .unwrap()
                .nanos
        );
        assert_eq!(d.actor_name.as_deref(), Some("fake"));
        assert_eq!(d.credential.as_deref(), Some("AKIAX"));
        assert_eq!(d.category.unwrap().0, Category::Resource);
        assert_eq!(d.activity.unwrap().0, Activity::Disable);
        assert_eq!(d.targets[0].2.as_deref(), Some("i-1"));
        let d = map(
            r#"{"EventId":"E9","EventName":"ListBuckets","CloudTrailEvent":{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","userName":"in"},"eventTime":"2024-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets"}}"#,
        );
        assert_eq!(d.actor_name.as_deref(), Some("in"));
    }

    #[test]
    fn console_csv_columns_map_loosely() {
        let d = map(
            r#"{"Event ID":"e","Event time":"2024-01-01T00:00:00Z","User name":"alice","Event name":"DeleteBucket","Event source":"s3.amazonaws.com","AWS access key":"AKIA1","AWS region":"eu-west-1","Source IP address":"192.0.2.1","Error code":"AccessDenied","Read-only":"false"}"#,
        );
        assert_eq!(d.actor_name.as_deref(), Some("alice"));
        assert_eq!(d.credential.as_deref(), Some("AKIA1"));
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthZ);
        assert_eq!(d.activity.unwrap().0, Activity::Delete);
        assert_eq!(d.region.as_deref(), Some("eu-west-1"));
    }

    #[test]
    fn first_word_and_prefix_table() {
        assert_eq!(first_word("DescribeInstances"), "Describe");
        assert_eq!(first_word("UpdateFunctionCode20150331v2"), "Update");
        assert_eq!(
            activity("secretsmanager", "BatchGetSecretValue").unwrap().0,
            Activity::Read
        );
        assert_eq!(
            activity("iam", "PutUserPolicy").unwrap().0,
            Activity::Assign
        );
        assert_eq!(
            activity("iam", "RemoveUserFromGroup").unwrap().0,
            Activity::Revoke
        );
        assert_eq!(activity("s3", "PutObject").unwrap().0, Activity::Create);
        assert_eq!(
            activity("cloudtrail", "PutEventSelectors").unwrap().0,
            Activity::Update
        );
        assert_eq!(activity("ssm", "SendCommand"), None);
    }
}
