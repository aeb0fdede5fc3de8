//! Microsoft 365 Unified Audit Log (Exchange, SharePoint/OneDrive, Entra, Teams … activity).
//!
//! **Recognised by** the UAL record: an `AuditData` column/member (Purview "Audit" search CSV
//! `RecordId,CreationDate,RecordType,Operation,UserId,AuditData,…`; PowerShell
//! `Search-UnifiedAuditLog` CSV `CreationDate,UserIds,Operations,AuditData`; Graph audit-search
//! records with `auditData`), a bare `AuditData` object (Management Activity API, JSONL:
//! `CreationTime` + `Operation` + `RecordType` + `Workload`/`UserKey`/`OrganizationId`), or a
//! Sentinel `OfficeActivity` row (`Type: "OfficeActivity"`, `OfficeWorkload`). The CSV reader
//! embeds an `AuditData` cell that parses as JSON; a cell holding JSON *text* is parsed here; a
//! cell that is not JSON at all (a truncated export) still yields an event from the CSV
//! columns.
//!
//! **Mapping.**
//! - time: `AuditData.CreationTime` — zone-less but UTC by definition, so it is read as UTC
//!   whatever zone is assumed for the file (still flagged zone-assumed) — preferred over the
//!   CSV `CreationDate` (US locale `9/20/2023 4:05:03 AM`, or ISO with a trailing space), which
//!   is the fallback, then `TimeGenerated` (Sentinel), `createdDateTime` (Graph).
//! - action `Operation` verbatim; service `Workload` (`OfficeWorkload`, Graph `service`), else
//!   the `RecordType` name ([`record_type_name`]: 1 ExchangeAdmin, 2 ExchangeItem, 6
//!   SharePointFileOperation, 8 AzureActiveDirectory, 15 AzureActiveDirectoryStsLogon, 18
//!   SecurityComplianceCenterEOPCmdlet, 25 MicrosoftTeams, 50 ExchangeItemAggregated …).
//! - category/activity: logons (`UserLoggedIn`/`UserLoginFailed`, RecordType 9/15, mailbox
//!   logins) → authentication/logon; Entra operations (RecordType 8, `Add member to role.`,
//!   `Reset user password.` …) through the Entra audit table
//!   ([`super::entra_audit::classify_activity`]); Exchange/compliance cmdlets (`Verb-Noun`) →
//!   configuration (inbox rules, mailbox and audit settings), or identity for permission and
//!   role cmdlets (`Add-MailboxPermission` → assign), credential for password/certificate
//!   ones, the activity from the verb; mailbox item operations (`MailItemsAccessed` → data
//!   access, `HardDelete`/`SoftDelete`/`MoveToDeletedItems` → delete, `UpdateInboxRules` →
//!   configuration, folder permissions → identity); SharePoint/OneDrive sharing (links,
//!   invitations, group adds → identity assign/revoke; link use and `WACTokenShared` → data
//!   access) and file operations by their verb suffix (`…Accessed/Downloaded/Viewed` → data access,
//!   `…Deleted…` → delete, `…Uploaded/Created` → create, `…Modified/Renamed/Moved` → update);
//!   DLP and label records (RecordType 11, 13, 33, 43) → other; the rest from the operation's
//!   tokens.
//! - outcome: `UserLoginFailed` → failure, whatever `ResultStatus` says (it reports that the
//!   *logging* succeeded): `ErrorNumber` is classified like an Entra sign-in error (a
//!   credential error → `authn`; an MFA/KMSI interrupt → `other`; an unlisted code → `authn`,
//!   the vendor having called it a failed login), `LogonError` is the reason; `UserLoggedIn` →
//!   success (the vendor's verdict; an interrupt code such as 50140 stays visible in
//!   `status_code`); otherwise `ResultStatus` Succeeded/Success/PartiallySucceeded/True →
//!   success, Failed/Failure/False → failure (`operation`). Without `ResultStatus`, an
//!   authentication record is unknown, and any other record is a completed action (the log
//!   records performed operations: Elastic's default too; the trace says it was assumed).
//! - actor `UserId` (UPN-like ids lower-cased, since exports mix `DebraB@…OnMicrosoft.com` and
//!   `debrab@…onmicrosoft.com` for one account; other ids verbatim); id `UserKey`; kind from
//!   the id (`NT AUTHORITY\SYSTEM (…)`, `app@sharepoint` → system; `anonymous`,
//!   `urn:spo:anon#…` → anonymous) and `UserType` (0 Regular/2 Admin → user; 3 DcAdmin/4
//!   System → system; 5 Application/6 ServicePrincipal → service); failed logins unverified.
//! - src `ClientIP` / `ClientIPAddress` / `ActorIpAddress` / `Client_IPAddress` (ports are
//!   stripped at ingest; the placeholder `0.0.0.0` is dropped); user agent `UserAgent`, else
//!   `ExtendedProperties[Name=UserAgent]` (Entra logons), else Exchange's `ClientInfoString`.
//! - targets: Entra records from `Target[]` (`Type` 5 = UPN, 1 = display name, a bare word =
//!   object type, a GUID = id) or `ObjectId`; logons: the application signed into; cmdlets:
//!   the object (`ObjectId`, named by the `Name`/`Identity` parameter, typed by the cmdlet
//!   noun) and the grantee of permission cmdlets (`User`/`Trustee`/`Member`); mailbox
//!   operations: the mailbox (`MailboxGuid`, `MailboxOwnerUPN`); SharePoint: the item
//!   (`ObjectId`, `SourceFileName`, `ItemType`) and the sharing target
//!   (`TargetUserOrGroupName`).
//! - changes: `ModifiedProperties[{Name, OldValue, NewValue}]` → before/after; a cmdlet's
//!   `Parameters[{Name, Value}]` → after (`{"From":"…","MoveToFolder":"…"}` for an inbox rule).
//! - uid `Id` (= CSV `RecordId`; Sentinel `OfficeId`); correlation `CorrelationId` /
//!   `InterSystemsId` / `AppAccessContext.CorrelationId`; tenant `OrganizationId`.

use std::borrow::Cow;

use super::entra_audit::{changes_from_props, classify_activity, Act, Cat};
use super::entra_signin::{classify_error, embedded_json, is_guid, own, parse_embedded};
use super::{any_text, loose, loose_text, text, Ctx, Format};
use crate::json::{write_str, Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};
use crate::time;

/// The Microsoft 365 Unified Audit Log format.
pub struct M365;

/// The name of a numeric `RecordType` (Office 365 Management Activity API schema).
pub fn record_type_name(n: i64) -> Option<&'static str> {
    Some(match n {
        1 => "ExchangeAdmin",
        2 => "ExchangeItem",
        3 => "ExchangeItemGroup",
        4 => "SharePoint",
        6 => "SharePointFileOperation",
        7 => "OneDrive",
        8 => "AzureActiveDirectory",
        9 => "AzureActiveDirectoryAccountLogon",
        10 => "DataCenterSecurityCmdlet",
        11 => "ComplianceDLPSharePoint",
        12 => "Sway",
        13 => "ComplianceDLPExchange",
        14 => "SharePointSharingOperation",
        15 => "AzureActiveDirectoryStsLogon",
        16 => "SkypeForBusinessPSTNUsage",
        17 => "SkypeForBusinessUsersBlocked",
        18 => "SecurityComplianceCenterEOPCmdlet",
        19 => "ExchangeAggregatedOperation",
        20 => "PowerBIAudit",
        21 => "CRM",
        22 => "Yammer",
        23 => "SkypeForBusinessCmdlets",
        24 => "Discovery",
        25 => "MicrosoftTeams",
        28 => "ThreatIntelligence",
        29 => "MailSubmission",
        30 => "MicrosoftFlow",
        31 => "AeD",
        32 => "MicrosoftStream",
        33 => "ComplianceDLPSharePointClassification",
        34 => "ThreatFinder",
        35 => "Project",
        36 => "SharePointListOperation",
        37 => "SharePointCommentOperation",
        38 => "DataGovernance",
        39 => "Kaizala",
        40 => "SecurityComplianceAlerts",
        41 => "ThreatIntelligenceUrl",
        42 => "SecurityComplianceInsights",
        43 => "MIPLabel",
        44 => "WorkplaceAnalytics",
        45 => "PowerAppsApp",
        46 => "PowerAppsPlan",
        47 => "ThreatIntelligenceAtpContent",
        48 => "LabelContentExplorer",
        49 => "TeamsHealthcare",
        50 => "ExchangeItemAggregated",
        51 => "HygieneEvent",
        52 => "DataInsightsRestApiAudit",
        53 => "InformationBarrierPolicyApplication",
        54 => "SharePointListItemOperation",
        55 => "SharePointContentTypeOperation",
        56 => "SharePointFieldOperation",
        57 => "MicrosoftTeamsAdmin",
        58 => "HRSignal",
        59 => "MicrosoftTeamsDevice",
        60 => "MicrosoftTeamsAnalytics",
        61 => "InformationWorkerProtection",
        62 => "Campaign",
        63 => "DLPEndpoint",
        64 => "AirInvestigation",
        65 => "Quarantine",
        66 => "MicrosoftForms",
        67 => "ApplicationAudit",
        68 => "ComplianceSupervisionExchange",
        69 => "CustomerKeyServiceEncryption",
        70 => "OfficeNative",
        71 => "MipAutoLabelSharePointItem",
        72 => "MipAutoLabelSharePointPolicyLocation",
        73 => "MicrosoftTeamsShifts",
        75 => "MipAutoLabelExchangeItem",
        76 => "CortanaBriefing",
        78 => "WDATPAlerts",
        82 => "SensitivityLabelPolicyMatch",
        83 => "SensitivityLabelAction",
        84 => "SensitivityLabeledFileAction",
        85 => "AttackSim",
        86 => "AirManualInvestigation",
        87 => "SecurityComplianceRBAC",
        88 => "UserTraining",
        89 => "AirAdminActionInvestigation",
        90 => "MSTIC",
        98 => "MCASAlerts",
        101 => "ExchangeSearch",
        102 => "SharePointSearch",
        106 => "SecurityComplianceUserChange",
        _ => return None,
    })
}

/// The record type as a number, from a number, a numeric string or a name.
fn record_type_num(v: Option<Val<'_, '_>>) -> (Option<i64>, Option<String>) {
    let Some(v) = v.filter(|v| !v.is_empty()) else {
        return (None, None);
    };
    if let Some(f) = v.as_f64() {
        let n = f as i64;
        return (Some(n), record_type_name(n).map(str::to_string));
    }
    let name = v
        .as_str()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let num = name.as_deref().and_then(|s| {
        (1..=400).find(|n| record_type_name(*n).is_some_and(|x| x.eq_ignore_ascii_case(s)))
    });
    (num, name)
}

/// The record's main text converter: borrowed input stays borrowed; a document parsed from a
/// JSON string inside the record is copied out.
type Conv<'x, 'a> = dyn Fn(Option<Cow<'x, str>>) -> Option<Cow<'a, str>>;

impl Format for M365 {
    fn id(&self) -> &'static str {
        "m365"
    }
    fn name(&self) -> &'static str {
        "Microsoft 365 Unified Audit Log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("m365", "audit")
    }
    /// The UAL records operations that happened; only logins and a `ResultStatus` say otherwise.
    fn completed_log(&self) -> bool {
        true
    }

    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let has = |n: &str| rec.get_folded(n).is_some();
        if has("auditdata")
            && (has("operation")
                || has("operations")
                || has("recordtype")
                || has("creationdate")
                || has("recordid"))
        {
            return 97;
        }
        if rec
            .get_folded("type")
            .and_then(|t| t.as_str())
            .is_some_and(|t| t == "OfficeActivity")
        {
            return 96;
        }
        if has("officeworkload") && has("operation") {
            return 90;
        }
        if has("creationtime") && has("operation") && has("recordtype") {
            let extra = ["workload", "userkey", "organizationid", "usertype"]
                .iter()
                .filter(|k| has(k))
                .count() as u32;
            if extra > 0 {
                return 85 + 3 * extra;
            }
        }
        0
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        match rec.get_folded("auditdata") {
            Some(v) if v.kind() == Kind::Obj => map_audit(v, rec, ctx, d, &|x| x),
            Some(v) => {
                let t = embedded_json(Some(v));
                match parse_embedded(&t).filter(|doc| doc.root().kind() == Kind::Obj) {
                    Some(doc) => map_audit(doc.root(), rec, ctx, d, &|x| own(x)),
                    // AuditData missing or not JSON (e.g. cut at a spreadsheet's cell limit):
                    // what the CSV columns say.
                    None => {
                        if let Some(raw) = text(Some(v)) {
                            d.text.push(raw);
                        }
                        map_audit(rec, rec, ctx, d, &|x| x)
                    }
                }
            }
            None => map_audit(rec, rec, ctx, d, &|x| x),
        }
    }
}

/// Maps an `AuditData` object `a`, with the outer record (CSV row, Graph record, or `a`
/// itself) for fallbacks.
fn map_audit<'a, 'x>(
    a: Val<'_, 'x>,
    outer: Val<'_, 'a>,
    ctx: &Ctx,
    d: &mut Draft<'a>,
    c: &Conv<'x, 'a>,
) -> Result<(), String> {
    let at = |names: &[&str]| c(loose_text(a, names));
    let ot = |names: &[&str]| loose_text(outer, names);

    // Time: CreationTime is UTC by definition.
    match a.get_folded("creationtime").filter(|v| !v.is_empty()) {
        Some(v) => {
            let raw = v.as_text().unwrap_or_default();
            let ts = time::parse_timestamp(&raw).ok_or_else(|| {
                format!(
                    "unreadable timestamp in CreationTime: {}",
                    super::short(v.raw())
                )
            })?;
            d.time = Some(ts);
            d.time_raw = c(text(Some(v)));
        }
        None => super::set_time_loose(
            d,
            outer,
            &[
                "creationdate",
                "timegenerated",
                "createddatetime",
                "creationtime",
            ],
            ctx,
        )?,
    }

    let op = at(&["operation"]).or_else(|| ot(&["operation", "operations"]));
    d.action = op.clone();
    let op_s = op.as_deref().unwrap_or("").trim().to_string();
    let opl = op_s.to_ascii_lowercase();
    let (rt, rt_name) = {
        let (n, name) = record_type_num(a.get_folded("recordtype"));
        if n.is_some() || name.is_some() {
            (n, name)
        } else {
            record_type_num(loose(outer, &["recordtype", "auditlogrecordtype"]))
        }
    };
    let workload = at(&["workload"]).or_else(|| ot(&["officeworkload", "workload", "service"]));
    d.service = workload.clone().or_else(|| rt_name.clone().map(Cow::Owned));
    d.uid = at(&["id"]).or_else(|| ot(&["recordid", "officeid", "id"]));
    d.correlation = at(&["correlationid", "intersystemsid"]).or_else(|| {
        c(a.get_folded("appaccesscontext")
            .and_then(|x| text(x.get_folded("correlationid"))))
    });
    // Not Sentinel's `TenantId`: that is the Log Analytics workspace.
    d.tenant = at(&["organizationid"]).or_else(|| ot(&["organizationid"]));

    // Category and activity.
    let (cat, act) = classify(&op_s, rt, workload.as_deref());
    d.category = cat;
    d.activity = act;
    let is_auth = matches!(d.category, Some((Category::Authentication, _)));

    // Actor.
    let user = at(&["userid"]).or_else(|| ot(&["userid", "userids", "userprincipalname"]));
    let user_type = a
        .get_folded("usertype")
        .or_else(|| outer.get_folded("usertype"));
    d.actor_kind = Some(actor_kind(user.as_deref(), user_type));
    d.actor_name = user.map(|u| {
        if looks_upn(&u) {
            Cow::Owned(u.to_lowercase())
        } else {
            u
        }
    });
    d.actor_id = at(&["userkey"]).filter(|k| {
        !k.eq_ignore_ascii_case("Not Available") && Some(k.as_ref()) != d.actor_name.as_deref()
    });

    // Source and client.
    d.src = at(&["clientip", "clientipaddress", "actoripaddress"])
        .or_else(|| ot(&["clientipaddress", "clientip"]))
        .filter(|ip| !matches!(ip.trim(), "0.0.0.0" | "::" | "-"));
    let ext = a.get_folded("extendedproperties");
    d.user_agent = at(&["useragent"])
        .or_else(|| c(ext.and_then(|e| name_value(e, "UserAgent"))))
        .or_else(|| at(&["clientinfostring"]));

    // Outcome.
    let result = at(&["resultstatus"]).or_else(|| ot(&["resultstatus"]));
    let error_number = at(&["errornumber"]);
    match opl.as_str() {
        "userloginfailed" => {
            let code = error_number
                .as_deref()
                .and_then(|e| e.trim().parse::<i64>().ok());
            let mut o = match code.map(classify_error) {
                Some((Outcome::Failure, k, r)) if r != "entra:unclassified_error" => {
                    (Outcome::Failure, k, r)
                }
                _ => (Outcome::Failure, FailureKind::AuthN, "m365:UserLoginFailed"),
            };
            if o.2 == "entra:credential_error" {
                o.2 = "m365:UserLoginFailed";
            }
            d.outcome = Some(o);
            d.status_code = error_number.or(result);
            d.reason = at(&["logonerror"]);
            d.actor_unverified = true;
        }
        "userloggedin" => {
            d.outcome = Some((Outcome::Success, FailureKind::None, "m365:UserLoggedIn"));
            d.status_code = error_number.or(result);
        }
        _ => {
            d.outcome = match result
                .as_deref()
                .map(|r| r.trim().to_ascii_lowercase())
                .as_deref()
            {
                Some("succeeded" | "success" | "partiallysucceeded" | "true") => {
                    Some((Outcome::Success, FailureKind::None, "m365:ResultStatus"))
                }
                Some("failed" | "failure" | "false") => Some((
                    Outcome::Failure,
                    FailureKind::Operation,
                    "m365:ResultStatus",
                )),
                _ if is_auth => {
                    Some((Outcome::Unknown, FailureKind::None, "m365:no_result_status"))
                }
                _ => None, // a completed action: derived as an assumed success
            };
            d.status_code = result.or(error_number);
            d.reason = at(&["logonerror"]);
        }
    }

    // Targets and changes.
    let object_id = at(&["objectid"]).or_else(|| ot(&["officeobjectid", "objectid"]));
    let params_txt = embedded_json(
        a.get_folded("parameters")
            .or_else(|| outer.get_folded("parameters")),
    );
    let params_doc = parse_embedded(&params_txt);
    let params = params_doc
        .as_ref()
        .map(|p| p.root())
        .filter(|p| p.kind() == Kind::Arr);
    if is_cmdlet(&op_s) {
        let noun = op_s.split_once('-').map(|(_, n)| n.to_string());
        // Named by the `Name` parameter (inbox rules …), else the object path's last segment.
        let pname = own(params.and_then(|p| name_value(p, "Name"))).or_else(|| {
            let o = object_id.as_deref()?;
            let last = o.rsplit(['\\', '/']).next()?;
            (!last.is_empty() && last.len() < o.len()).then(|| Cow::Owned(last.to_string()))
        });
        d.target(noun.map(Cow::Owned), object_id.clone(), pname);
        if let Some(p) = params {
            for k in ["User", "Trustee", "Member", "Members"] {
                if let Some(g) = name_value(p, k) {
                    d.target(Some(Cow::Borrowed("principal")), None, own(Some(g)));
                }
            }
            d.after = params_object(p).map(Cow::Owned);
        }
    } else if is_auth {
        let app = object_id.clone().or_else(|| at(&["applicationid"]));
        d.target(Some(Cow::Borrowed("application")), app, None);
    } else if let Some(list) = a
        .get_folded("target")
        .filter(|t| t.kind() == Kind::Arr && !t.is_empty())
    {
        let (kind, id, name) = aad_target(list);
        let id = id
            .map(Cow::Owned)
            .or_else(|| object_id.clone().filter(|o| is_guid(o)));
        let name = name
            .map(Cow::Owned)
            .or_else(|| object_id.clone().filter(|o| !is_guid(o)));
        d.target(kind.map(Cow::Owned), id, name);
    } else if let Some(upn) = at(&["mailboxownerupn"]) {
        d.target(
            Some(Cow::Borrowed("mailbox")),
            at(&["mailboxguid"]),
            Some(upn),
        );
    } else {
        d.target(
            at(&["itemtype"]),
            object_id.clone(),
            at(&["sourcefilename"]),
        );
    }
    if let Some(who) = at(&["targetuserorgroupname"]) {
        d.target(at(&["targetuserorgrouptype"]), None, Some(who));
    }
    if let Some(m) = a
        .get_folded("modifiedproperties")
        .filter(|m| m.kind() == Kind::Arr && !m.is_empty())
    {
        let (before, after) = changes_from_props(m.elements());
        d.before = before.map(Cow::Owned);
        if after.is_some() {
            d.after = after.map(Cow::Owned);
        }
    }

    // Searchable details.
    for k in [
        "parameters",
        "extendedproperties",
        "operationproperties",
        "folders",
    ] {
        if let Some(t) = c(any_text(a.get_folded(k))) {
            d.text.push(t);
        }
    }
    Ok(())
}

/// Category and activity of an operation.
fn classify(op: &str, rt: Option<i64>, workload: Option<&str>) -> (Cat, Act) {
    let o = op.to_ascii_lowercase();
    let r = |c: Category, a: Activity, rule: &'static str| (Some((c, rule)), Some((a, rule)));
    // Logons.
    if matches!(
        o.as_str(),
        "userloggedin" | "userloginfailed" | "mailboxlogin" | "signinevent"
    ) || matches!(rt, Some(9 | 15))
    {
        let a = if o.contains("logout") || o.contains("loggedout") || o.contains("logoff") {
            Activity::Logoff
        } else {
            Activity::Logon
        };
        return r(Category::Authentication, a, "m365:logon");
    }
    // Entra directory operations.
    if rt == Some(8) || workload.is_some_and(|w| w.eq_ignore_ascii_case("AzureActiveDirectory")) {
        let (c, a) = classify_activity(op, None, None);
        if c.is_some() || a.is_some() {
            return (c, a);
        }
    }
    // Exchange / compliance cmdlets.
    if is_cmdlet(op) {
        return cmdlet(op);
    }
    // DLP and sensitivity-label records are detections, not actions.
    if matches!(rt, Some(11 | 13 | 33 | 43)) {
        return r(Category::Other, Activity::Other, "m365:dlp_or_label_record");
    }
    // Mailbox item operations.
    match o.as_str() {
        "mailitemsaccessed" | "searchqueryinitiatedexchange" | "messagebind" | "folderbind" => {
            return r(Category::DataAccess, Activity::Read, "m365:mailbox_access")
        }
        "harddelete" | "softdelete" | "movetodeleteditems" => {
            return r(Category::Resource, Activity::Delete, "m365:mailbox_delete")
        }
        "send" | "sendas" | "sendonbehalf" => {
            return r(Category::Resource, Activity::Create, "m365:mailbox_send")
        }
        "updateinboxrules" => {
            return r(
                Category::Configuration,
                Activity::Update,
                "m365:inbox_rules",
            )
        }
        "addfolderpermissions" | "updatecalendardelegation" => {
            return r(
                Category::Identity,
                Activity::Assign,
                "m365:folder_permissions",
            )
        }
        "modifyfolderpermissions" | "updatefolderpermissions" => {
            return r(
                Category::Identity,
                Activity::Update,
                "m365:folder_permissions",
            )
        }
        "removefolderpermissions" => {
            return r(
                Category::Identity,
                Activity::Revoke,
                "m365:folder_permissions",
            )
        }
        _ => {}
    }
    // SharePoint / OneDrive sharing.
    let grants = [
        "anonymouslinkcreated",
        "companylinkcreated",
        "securelinkcreated",
        "sharinginvitationcreated",
        "sharingset",
        "addedtosecurelink",
        "addedtogroup",
        "addedtolink",
        "accessrequestapproved",
        "sharinggrant",
    ];
    let revokes = [
        "anonymouslinkremoved",
        "companylinkremoved",
        "securelinkdeleted",
        "sharinginvitationrevoked",
        "sharingrevoked",
        "removedfromsecurelink",
        "removedfromgroup",
    ];
    let uses = [
        "wactokenshared", // Office for the web was handed a token to render the file
        "anonymouslinkused",
        "companylinkused",
        "securelinkused",
        "sharinginvitationaccepted",
    ];
    if grants.contains(&o.as_str()) {
        return r(Category::Identity, Activity::Assign, "m365:sharing_grant");
    }
    if revokes.contains(&o.as_str()) {
        return r(Category::Identity, Activity::Revoke, "m365:sharing_revoke");
    }
    if uses.contains(&o.as_str()) {
        return r(
            Category::DataAccess,
            Activity::Read,
            "m365:sharing_link_used",
        );
    }
    if matches!(
        o.as_str(),
        "sharinginheritancebroken" | "sharinginheritancereset" | "permissionlevelmodified"
    ) {
        return r(
            Category::Identity,
            Activity::Update,
            "m365:sharing_permissions",
        );
    }
    if matches!(o.as_str(), "permissionleveladded" | "groupadded") {
        return r(
            Category::Identity,
            Activity::Create,
            "m365:sharing_permissions",
        );
    }
    if matches!(
        o.as_str(),
        "memberadded" | "memberroleupdated" | "memberrolechanged"
    ) {
        return r(
            Category::Identity,
            if o == "memberadded" {
                Activity::Assign
            } else {
                Activity::Update
            },
            "m365:team_membership",
        );
    }
    if o == "memberremoved" {
        return r(Category::Identity, Activity::Revoke, "m365:team_membership");
    }
    // File and item operations by their verb.
    if o.contains("deleted") || o.contains("recycled") {
        return r(Category::Resource, Activity::Delete, "m365:item_verb");
    }
    for w in [
        "accessed",
        "downloaded",
        "previewed",
        "viewed",
        "syncdownloaded",
    ] {
        if o.contains(w) {
            return r(Category::DataAccess, Activity::Read, "m365:item_verb");
        }
    }
    for w in ["uploaded", "created", "copied", "syncuploaded"] {
        if o.contains(w) {
            return r(Category::Resource, Activity::Create, "m365:item_verb");
        }
    }
    for w in [
        "modified",
        "renamed",
        "moved",
        "restored",
        "updated",
        "checkedin",
        "checkedout",
    ] {
        if o.contains(w) {
            return r(Category::Resource, Activity::Update, "m365:item_verb");
        }
    }
    (None, None)
}

/// `Verb-Noun` (PowerShell cmdlet names: Exchange admin and compliance center records).
fn is_cmdlet(op: &str) -> bool {
    let Some((v, n)) = op.split_once('-') else {
        return false;
    };
    !v.is_empty()
        && !n.is_empty()
        && v.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && v.chars().all(|c| c.is_ascii_alphabetic())
        && n.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Category and activity of a cmdlet: configuration by default; identity for permission and
/// role cmdlets and mailbox/user lifecycle; credential for passwords and certificates.
fn cmdlet(op: &str) -> (Cat, Act) {
    let (verb, noun) = op.split_once('-').unwrap_or((op, ""));
    let (v, n) = (verb.to_ascii_lowercase(), noun.to_ascii_lowercase());
    let lifecycle = matches!(v.as_str(), "new" | "remove" | "enable" | "disable");
    let cat = if n.contains("password") || n.contains("certificate") {
        (Category::Credential, "m365:cmdlet_credential")
    } else if n.contains("permission")
        || n.contains("role")
        || n.contains("groupmember")
        || n.contains("grouplinks")
        || (lifecycle
            && matches!(
                n.as_str(),
                "mailbox" | "mailuser" | "user" | "serviceprincipal"
            ))
    {
        (Category::Identity, "m365:cmdlet_identity")
    } else {
        (Category::Configuration, "m365:cmdlet")
    };
    let identity = cat.0 == Category::Identity;
    let a = match v.as_str() {
        "new" | "install" | "import" => Activity::Create,
        "add" if identity => Activity::Assign,
        "add" => Activity::Create,
        "set" | "update" | "edit" | "rename" | "reset" | "move" => Activity::Update,
        "remove" if identity && !lifecycle_noun(&n) => Activity::Revoke,
        "remove" | "delete" | "uninstall" => Activity::Delete,
        "enable" | "start" | "resume" => Activity::Enable,
        "disable" | "stop" | "suspend" => Activity::Disable,
        "get" | "search" | "export" | "test" | "read" => Activity::Read,
        _ => Activity::Other,
    };
    (Some(cat), Some((a, "m365:cmdlet_verb")))
}

fn lifecycle_noun(n: &str) -> bool {
    matches!(n, "mailbox" | "mailuser" | "user" | "serviceprincipal")
}

/// The value of the `{Name, Value}` entry called `name` in a list.
fn name_value<'x>(list: Val<'_, 'x>, name: &str) -> Option<Cow<'x, str>> {
    list.elements().find_map(|e| {
        let n = text(e.get_folded("name"))?;
        n.eq_ignore_ascii_case(name)
            .then(|| text(e.get_folded("value")))?
    })
}

/// `[{Name, Value}]` → `{"Name":"Value",…}` (values kept as text).
fn params_object(list: Val<'_, '_>) -> Option<String> {
    let mut s = String::from("{");
    let mut n = 0;
    for e in list.elements() {
        let Some(k) = text(e.get_folded("name")) else {
            continue;
        };
        if n > 0 {
            s.push(',');
        }
        write_str(&mut s, &k);
        s.push(':');
        match e.get_folded("value") {
            Some(v) if v.kind() == Kind::Str => write_str(&mut s, &v.as_str().unwrap_or_default()),
            Some(v) if !v.is_null() => s.push_str(&String::from_utf8_lossy(v.raw())),
            _ => s.push_str("null"),
        }
        n += 1;
    }
    s.push('}');
    (n > 0).then_some(s)
}

/// The target of an Entra record from `Target[{ID, Type}]`: (type, id, name). `Type` 5 holds
/// the UPN, 1 a display name; a bare word (`User`, `ServicePrincipal`) is the object type;
/// the first GUID is the object id.
fn aad_target(list: Val<'_, '_>) -> (Option<String>, Option<String>, Option<String>) {
    let items: Vec<(String, i64)> = list
        .elements()
        .filter_map(|e| {
            let id = text(e.get_folded("id"))?.into_owned();
            let ty = e
                .get_folded("type")
                .and_then(|t| t.as_f64())
                .unwrap_or(-1.0) as i64;
            Some((id, ty))
        })
        .collect();
    let name = items
        .iter()
        .find(|(_, t)| *t == 5)
        .or_else(|| items.iter().find(|(_, t)| *t == 1))
        .map(|(s, _)| s.clone());
    let id = items
        .iter()
        .find(|(s, _)| is_guid(s))
        .map(|(s, _)| s.clone());
    let kind = items
        .iter()
        .find(|(s, t)| *t == 2 && s.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|(s, _)| s.clone());
    (kind, id, name)
}

/// A user principal name (or an e-mail): lower-cased for grouping.
fn looks_upn(s: &str) -> bool {
    s.contains('@')
        && !s.contains(char::is_whitespace)
        && !s.starts_with("urn:")
        && !s.eq_ignore_ascii_case("app@sharepoint")
}

/// Actor kind from the user id and `UserType` (number or name).
fn actor_kind(user: Option<&str>, user_type: Option<Val<'_, '_>>) -> PrincipalKind {
    if let Some(u) = user {
        let l = u.to_ascii_lowercase();
        if l.starts_with("nt authority\\") || l == "app@sharepoint" {
            return PrincipalKind::System;
        }
        if l == "anonymous" || l.starts_with("urn:spo:anon") {
            return PrincipalKind::Anonymous;
        }
    }
    let ut = user_type.and_then(|v| match v.as_f64() {
        Some(n) => Some(n as i64),
        None => {
            let s = v.as_str()?.to_ascii_lowercase();
            [
                "regular",
                "reserved",
                "admin",
                "dcadmin",
                "system",
                "application",
                "serviceprincipal",
                "custompolicy",
                "systempolicy",
                "partnertechnician",
                "guest",
            ]
            .iter()
            .position(|x| *x == s)
            .map(|p| p as i64)
        }
    });
    match ut {
        Some(3 | 4 | 7 | 8) => PrincipalKind::System,
        Some(5 | 6) => PrincipalKind::ServiceAccount,
        Some(0 | 1 | 2 | 9 | 10) if user.is_some() => PrincipalKind::User,
        _ => match user {
            Some(u) if u.contains('@') => PrincipalKind::User,
            Some(u) if is_guid(u) => PrincipalKind::ServiceAccount,
            Some(_) => PrincipalKind::User,
            None => PrincipalKind::Unknown,
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map_ctx(src: &str, ctx: &Ctx) -> Draft<'static> {
        let src: &'static str = Box::leak(src.to_string().into_boxed_str());
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        assert!(M365.sniff(doc.root(), ctx) > 0, "sniff");
        let mut d = Draft::default();
        M365.map(doc.root(), ctx, &mut d).unwrap();
        crate::derive::apply(&mut d, M365.completed_log());
        d
    }

    fn map(src: &str) -> Draft<'static> {
        map_ctx(src, &Ctx::default())
    }

    fn ca(d: &Draft<'_>) -> (Category, Activity) {
        (d.category.unwrap().0, d.activity.unwrap().0)
    }

    const LOGIN_FAILED: &str = r#"{"CreationTime":"2023-09-26T01:51:13","Id":"b21a","Operation":"UserLoginFailed","OrganizationId":"org-1","RecordType":15,"ResultStatus":"Success","UserKey":"f757","UserType":0,"Workload":"AzureActiveDirectory","ClientIP":"185.73.124.135","ObjectId":"00000003-0000-0000-c000-000000000000","UserId":"DebraB@Contoso.OnMicrosoft.com","ExtendedProperties":[{"Name":"ResultStatusDetail","Value":"Success"},{"Name":"UserAgent","Value":"Mozilla/5.0 Firefox/114.0"}],"ErrorNumber":"50126","LogonError":"InvalidUserNameOrPassword","InterSystemsId":"x-1"}"#;

    #[test]
    fn user_login_failed_is_authn_despite_result_status_success() {
        let d = map(LOGIN_FAILED);
        assert_eq!(d.outcome.unwrap().0, Outcome::Failure);
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthN);
        assert_eq!(d.status_code.as_deref(), Some("50126"));
        assert_eq!(d.reason.as_deref(), Some("InvalidUserNameOrPassword"));
        assert!(d.actor_unverified);
        assert_eq!(ca(&d), (Category::Authentication, Activity::Logon));
        assert_eq!(
            d.user_agent.as_deref(),
            Some("Mozilla/5.0 Firefox/114.0"),
            "from ExtendedProperties"
        );
        assert_eq!(
            d.actor_name.as_deref(),
            Some("debrab@contoso.onmicrosoft.com"),
            "UPN case folded"
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert_eq!(d.targets[0].0.as_deref(), Some("application"));
        assert_eq!(d.correlation.as_deref(), Some("x-1"));
        assert_eq!(d.service.as_deref(), Some("AzureActiveDirectory"));
        assert_eq!(d.tenant.as_deref(), Some("org-1"));
        assert_eq!(
            d.time.unwrap().flags & time::ZONE_ASSUMED,
            time::ZONE_ASSUMED
        );
    }

    #[test]
    fn login_failed_with_interrupt_code_is_other() {
        let d = map(&LOGIN_FAILED.replace("50126", "50074"));
        assert_eq!(d.outcome.unwrap().1, FailureKind::Other);
        let d = map(&LOGIN_FAILED.replace(r#""ErrorNumber":"50126","#, ""));
        assert_eq!(d.outcome.unwrap().1, FailureKind::AuthN);
    }

    #[test]
    fn user_logged_in_is_success_keeping_the_code() {
        let d = map(&LOGIN_FAILED
            .replace("UserLoginFailed", "UserLoggedIn")
            .replace("50126", "50140"));
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
        assert_eq!(d.status_code.as_deref(), Some("50140"));
        assert!(!d.actor_unverified);
    }

    #[test]
    fn creation_time_is_utc_even_with_an_assumed_offset() {
        let ctx = Ctx {
            assumed_offset: 7200,
            ..Default::default()
        };
        let d = map_ctx(LOGIN_FAILED, &ctx);
        assert_eq!(
            d.time.unwrap().nanos,
            time::parse_timestamp("2023-09-26T01:51:13Z").unwrap().nanos
        );
    }

    #[test]
    fn purview_csv_row_with_embedded_audit_data_and_port_in_ip() {
        let src = r#"{"RecordId":"85d2","CreationDate":"9/26/2023 1:56:15 AM","RecordType":"1","Operation":"New-InboxRule","UserId":"DebraB@Contoso.OnMicrosoft.com","AuditData":{"CreationTime":"2023-09-26T01:56:15","Id":"85d2","Operation":"New-InboxRule","OrganizationId":"org","RecordType":1,"ResultStatus":"True","UserKey":"1003","UserType":2,"Workload":"Exchange","ClientIP":"185.73.124.135:19823","ObjectId":"NAM/Contoso/f757\\f","UserId":"DebraB@Contoso.OnMicrosoft.com","Parameters":[{"Name":"From","Value":"flag@ctf.com"},{"Name":"MoveToFolder","Value":"Conversation History"},{"Name":"Name","Value":"f"},{"Name":"MarkAsRead","Value":"True"}]},"AssociatedAdminUnits":"","AssociatedAdminUnitsNames":""}"#;
        let d = map(src);
        assert_eq!(
            d.time_raw.as_deref(),
            Some("2023-09-26T01:56:15"),
            "CreationTime preferred over CreationDate"
        );
        assert_eq!(
            d.src.as_deref(),
            Some("185.73.124.135:19823"),
            "the port is stripped at ingest"
        );
        assert_eq!(ca(&d), (Category::Configuration, Activity::Create));
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
        assert_eq!(d.targets[0].0.as_deref(), Some("InboxRule"));
        assert_eq!(d.targets[0].2.as_deref(), Some("f"));
        assert_eq!(
            d.after.as_deref(),
            Some(
                r#"{"From":"flag@ctf.com","MoveToFolder":"Conversation History","Name":"f","MarkAsRead":"True"}"#
            )
        );
        assert_eq!(d.uid.as_deref(), Some("85d2"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
    }

    #[test]
    fn csv_row_with_unparseable_audit_data_uses_the_columns() {
        let src = r#"{"RecordId":"r1","CreationDate":"9/20/2023 4:05:03 AM","RecordType":"8","Operation":"Reset user password.","UserId":"admin@contoso.com","AuditData":"{\"CreationTime\":\"2023-09-20T04:05:03\",\"Id\":\"r1\",\"Oper"}"#;
        let d = map(src);
        assert_eq!(
            d.time.unwrap().flags & time::LOCALE_PARSED,
            time::LOCALE_PARSED
        );
        assert_eq!(d.uid.as_deref(), Some("r1"));
        assert_eq!(
            d.service.as_deref(),
            Some("AzureActiveDirectory"),
            "RecordType name"
        );
        assert_eq!(ca(&d), (Category::Credential, Activity::Update));
        assert_eq!(d.outcome.unwrap().2, "assumed_success_completed_action_log");
    }

    #[test]
    fn audit_data_as_json_text_is_parsed() {
        let src = r#"{"CreationDate":"2024-01-01T00:00:00Z","UserIds":"a@x.io","Operations":"FileDownloaded","AuditData":"{\"CreationTime\":\"2024-01-01T00:00:00\",\"Id\":\"i\",\"Operation\":\"FileDownloaded\",\"RecordType\":6,\"UserId\":\"a@x.io\",\"Workload\":\"SharePoint\",\"ClientIP\":\"10.0.0.9\",\"ObjectId\":\"https://x/doc.docx\",\"SourceFileName\":\"doc.docx\",\"ItemType\":\"File\"}"}"#;
        let d = map(src);
        assert_eq!(ca(&d), (Category::DataAccess, Activity::Read));
        assert_eq!(d.src.as_deref(), Some("10.0.0.9"));
        assert_eq!(d.targets[0].0.as_deref(), Some("File"));
        assert_eq!(d.targets[0].2.as_deref(), Some("doc.docx"));
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
    }

    #[test]
    fn system_anonymous_and_service_actors() {
        let base = r#"{"CreationTime":"2022-05-07T12:55:53","Id":"c9","Operation":"Set-AdminAuditLogConfig","OrganizationId":"o","RecordType":1,"ResultStatus":"True","UserKey":"NT AUTHORITY\\SYSTEM (Microsoft.Exchange.Servicehost)","UserType":3,"Workload":"Exchange","ObjectId":"o\\Admin Audit Log Settings","UserId":"NT AUTHORITY\\SYSTEM (Microsoft.Exchange.Servicehost)","ClientIP":"0.0.0.0","Parameters":[{"Name":"AdminAuditLogEnabled","Value":"True"}]}"#;
        let d = map(base);
        assert_eq!(d.actor_kind, Some(PrincipalKind::System));
        assert_eq!(
            d.actor_name.as_deref(),
            Some("NT AUTHORITY\\SYSTEM (Microsoft.Exchange.Servicehost)"),
            "verbatim"
        );
        assert!(d.actor_id.is_none(), "UserKey repeats the name");
        assert!(d.src.is_none(), "0.0.0.0 is a placeholder");
        assert_eq!(ca(&d), (Category::Configuration, Activity::Update));
        let d = map(
            r#"{"CreationTime":"2023-09-26T02:16:40","Id":"a","Operation":"AnonymousLinkUsed","RecordType":14,"UserKey":"anonymous","UserType":0,"Workload":"OneDrive","ClientIP":"185.73.124.135","UserId":"anonymous","ObjectId":"https://x/y.png"}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::Anonymous));
        assert_eq!(ca(&d), (Category::DataAccess, Activity::Read));
        let d = map(
            r#"{"CreationTime":"2023-09-20T04:05:03","Id":"s","Operation":"Add service principal.","RecordType":8,"ResultStatus":"Success","UserKey":"Not Available","UserType":4,"Workload":"AzureActiveDirectory","ObjectId":"6624","UserId":"Certificate","Target":[{"ID":"ServicePrincipal_691e82fd-babf-451c-8a3d-826f69957567","Type":2},{"ID":"691e82fd-babf-451c-8a3d-826f69957567","Type":2},{"ID":"ServicePrincipal","Type":2},{"ID":"IAMTenantCrawler","Type":1}],"ModifiedProperties":[{"Name":"AccountEnabled","NewValue":"[\r\n  true\r\n]","OldValue":"[]"},{"Name":"Included Updated Properties","NewValue":"AccountEnabled","OldValue":""}]}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::System));
        assert!(d.actor_id.is_none());
        assert_eq!(ca(&d), (Category::Configuration, Activity::Create));
        assert_eq!(
            d.targets[0],
            (
                Some("ServicePrincipal".into()),
                Some("691e82fd-babf-451c-8a3d-826f69957567".into()),
                Some("IAMTenantCrawler".into())
            )
        );
        assert_eq!(d.before.as_deref(), Some(r#"{"AccountEnabled":[]}"#));
        assert_eq!(
            d.after.as_deref(),
            Some("{\"AccountEnabled\":[\r\n  true\r\n]}")
        );
    }

    #[test]
    fn aad_target_prefers_upn() {
        let d = map(
            r#"{"CreationTime":"2023-09-20T04:05:03","Id":"p","Operation":"Reset user password.","RecordType":8,"ResultStatus":"Success","UserType":0,"Workload":"AzureActiveDirectory","ObjectId":"AdeleV@Contoso.com","UserId":"admin@Contoso.com","Target":[{"ID":"User_68cebb9f-0933-41b5-affa-37d95c29d9d6","Type":2},{"ID":"68cebb9f-0933-41b5-affa-37d95c29d9d6","Type":2},{"ID":"User","Type":2},{"ID":"AdeleV@Contoso.com","Type":5}]}"#,
        );
        assert_eq!(
            d.targets[0],
            (
                Some("User".into()),
                Some("68cebb9f-0933-41b5-affa-37d95c29d9d6".into()),
                Some("AdeleV@Contoso.com".into())
            )
        );
        assert_eq!(ca(&d), (Category::Credential, Activity::Update));
    }

    #[test]
    fn permission_cmdlet_names_the_grantee() {
        let d = map(
            r#"{"CreationTime":"2023-09-23T04:26:29","Id":"e","Operation":"Add-MailboxPermission","RecordType":1,"ResultStatus":"True","UserType":2,"Workload":"Exchange","ObjectId":"mbx","UserId":"admin@x.io","Parameters":[{"Name":"Identity","Value":"mbx"},{"Name":"User","Value":"eve@x.io"},{"Name":"AccessRights","Value":"FullAccess"}]}"#,
        );
        assert_eq!(ca(&d), (Category::Identity, Activity::Assign));
        assert!(d.targets.iter().any(|t| t.2.as_deref() == Some("eve@x.io")));
        let d = map(
            r#"{"CreationTime":"2023-09-23T04:26:29","Id":"e","Operation":"Set-Mailbox","RecordType":1,"ResultStatus":"False","Workload":"Exchange","UserId":"admin@x.io","Parameters":[{"Name":"AuditEnabled","Value":"False"}]}"#,
        );
        assert_eq!(d.outcome.unwrap().0, Outcome::Failure);
        assert_eq!(d.outcome.unwrap().1, FailureKind::Operation);
    }

    #[test]
    fn record_type_only_as_service_when_no_workload() {
        let d = map(
            r#"{"CreationTime":"2023-09-26T02:16:30","Id":"l","Operation":"ListColumnCreated","RecordType":56,"UserId":"app@sharepoint","UserKey":"i:0i.t|x|app@sharepoint","UserType":0}"#,
        );
        assert_eq!(d.service.as_deref(), Some("SharePointFieldOperation"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::System));
        assert_eq!(d.actor_name.as_deref(), Some("app@sharepoint"));
        assert_eq!(ca(&d), (Category::Resource, Activity::Create));
    }

    #[test]
    fn sentinel_office_activity_row() {
        let src = r#"{"TenantId":"t","RecordType":"50","TimeGenerated":"2021-08-02T13:32:07Z","Operation":"MailItemsAccessed","OrganizationId":"org","UserType":"Regular","UserKey":"1003","OfficeWorkload":"Exchange","ResultStatus":"Succeeded","UserId":"pg@lab.com","Client_IPAddress":"1.2.3.4","MailboxGuid":"mg","MailboxOwnerUPN":"pg@lab.com","ClientInfoString":"Client=REST;;","Folders":"[{\"Path\":\"\\\\Inbox\"}]","OfficeId":"699e","OperationProperties":"[{\"Name\":\"MailAccessType\",\"Value\":\"Bind\"}]","Type":"OfficeActivity"}"#;
        let d = map(src);
        assert_eq!(ca(&d), (Category::DataAccess, Activity::Read));
        assert_eq!(d.outcome.unwrap().0, Outcome::Success);
        assert_eq!(d.src.as_deref(), Some("1.2.3.4"));
        assert_eq!(d.service.as_deref(), Some("Exchange"));
        assert_eq!(d.uid.as_deref(), Some("699e"));
        assert_eq!(
            d.targets[0],
            (
                Some("mailbox".into()),
                Some("mg".into()),
                Some("pg@lab.com".into())
            )
        );
        assert_eq!(d.user_agent.as_deref(), Some("Client=REST;;"));
        assert_eq!(d.actor_kind, Some(PrincipalKind::User));
        assert_eq!(d.tenant.as_deref(), Some("org"));
    }

    #[test]
    fn auth_record_without_result_status_is_unknown() {
        let d = map(
            r#"{"CreationTime":"2024-01-01T00:00:00","Id":"m","Operation":"MailboxLogin","RecordType":2,"UserId":"a@x.io","Workload":"Exchange"}"#,
        );
        assert_eq!(d.outcome.unwrap().0, Outcome::Unknown);
        assert_eq!(ca(&d), (Category::Authentication, Activity::Logon));
    }

    #[test]
    fn sniff_is_specific() {
        let s = Doc::parse(br#"{"createdDateTime":"2025-08-15T15:20:26Z","userPrincipalName":"a@b.c","status":{"errorCode":0}}"#).unwrap();
        assert_eq!(M365.sniff(s.root(), &Ctx::default()), 0);
        let ct = Doc::parse(br#"{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateUser","eventTime":"2024-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(M365.sniff(ct.root(), &Ctx::default()), 0);
        assert_eq!(
            record_type_num(Some(Doc::parse(br#""ExchangeAdmin""#).unwrap().root())).0,
            Some(1)
        );
    }
}
