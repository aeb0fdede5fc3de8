//! Built-in detections (AL-xxx) over the normalized model. One rule serves every format: rules
//! read `category`, `activity`, `outcome`, `failure`, the actor, source IP and targets, and use
//! vendor action names only for the lists of crown-jewel deletes, tamper actions and MFA changes.
//!
//! Everything is a single pass over the time-sorted events into per-key lists, then sliding
//! windows over those lists; maps are keyed by [`Sym`] so nothing is copied per event.

use std::net::IpAddr;

use hashbrown::{HashMap, HashSet};
use serde::{Deserialize, Serialize};

use super::finding::{evidence_label, sort_findings, EventRef, Finding, RuleDoc, Severity};
use crate::ingest::{human_duration, Dataset};
use crate::json::Doc;
use crate::model::{Activity, Category, Event, FailureKind, Outcome, PrincipalKind, Sym};
use crate::time::{self, Zone, NS};

const MIN: i64 = 60 * NS;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// Tunable thresholds of the built-in rules (JSON with defaults for every missing key).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Rules to skip (`["AL-050"]`).
    pub disabled: Vec<String>,
    /// AL-001: failed logins against one account …
    pub brute_force_count: usize,
    /// … within this many minutes.
    pub brute_force_minutes: i64,
    /// AL-002: distinct accounts failed from one source …
    pub spray_accounts: usize,
    /// … within this many minutes …
    pub spray_minutes: i64,
    /// … with at most this median number of attempts per account.
    pub spray_max_median_attempts: usize,
    /// AL-004: a success this many minutes after the failures.
    pub success_after_minutes: i64,
    /// AL-030: deletions by one actor …
    pub deletion_count: usize,
    /// … within this many minutes.
    pub deletion_minutes: i64,
    /// AL-031: reads/exports by one actor …
    pub access_count: usize,
    /// … within this many minutes.
    pub access_minutes: i64,
    /// AL-031: … and at least this many times the actor's usual rate per window (outside the
    /// burst), so tools that always read in bulk are not flagged.
    pub access_baseline_factor: f64,
    /// AL-040/041: learning period, as a fraction of the data's time span …
    pub learning_fraction: f64,
    /// … but at most this many days.
    pub learning_days: i64,
    /// AL-040: compare IPv4 addresses by this prefix length (24 = the /24).
    pub ipv4_prefix: u8,
    /// AL-040: compare IPv6 addresses by this prefix length.
    pub ipv6_prefix: u8,
    /// AL-040: actors with more distinct networks than this in the learning period are skipped.
    pub max_baseline_networks: usize,
    /// AL-050: working hours start (local hour, inclusive).
    pub work_start_hour: u32,
    /// AL-050: working hours end (local hour, exclusive).
    pub work_end_hour: u32,
    /// AL-050: working days, 1 = Monday … 7 = Sunday.
    pub work_days: Vec<u32>,
    /// AL-050: zone of the working hours (`UTC`, `+02:00`, `Europe/Berlin`).
    pub zone: String,
    /// AL-050: also flag service accounts, API keys and system actors.
    pub off_hours_non_human: bool,
    /// AL-060: a key created within this many minutes after a suspicious login.
    pub key_after_login_minutes: i64,
    /// AL-071: a gap counts when longer than this many times the median spacing …
    pub gap_median_factor: i64,
    /// … and at least this many hours.
    pub gap_min_hours: i64,
    /// AL-080: the whole chain within this many minutes of the login.
    pub chain_minutes: i64,
    /// Evidence labels kept per finding (the count is always complete).
    pub max_evidence: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            disabled: Vec::new(),
            brute_force_count: 10,
            brute_force_minutes: 10,
            spray_accounts: 10,
            spray_minutes: 60,
            spray_max_median_attempts: 3,
            success_after_minutes: 30,
            deletion_count: 20,
            deletion_minutes: 10,
            access_count: 200,
            access_minutes: 10,
            access_baseline_factor: 5.0,
            learning_fraction: 0.2,
            learning_days: 7,
            ipv4_prefix: 24,
            ipv6_prefix: 48,
            max_baseline_networks: 20,
            work_start_hour: 8,
            work_end_hour: 19,
            work_days: vec![1, 2, 3, 4, 5],
            zone: "UTC".into(),
            off_hours_non_human: false,
            key_after_login_minutes: 30,
            gap_median_factor: 10,
            gap_min_hours: 1,
            chain_minutes: 60,
            max_evidence: 50,
        }
    }
}

/// A built-in rule: id, title, default severity and documentation.
#[derive(Clone, Debug, Serialize)]
pub struct RuleInfo {
    /// Stable id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Default (highest) severity.
    pub severity: Severity,
    /// Documentation.
    pub doc: RuleDoc,
}

fn info(id: &'static str, title: &'static str, severity: Severity, d: [&str; 5]) -> RuleInfo {
    RuleInfo {
        id,
        title,
        severity,
        doc: RuleDoc {
            what: d[0].into(),
            why: d[1].into(),
            signals: d[2].into(),
            false_positives: d[3].into(),
            next_steps: d[4].into(),
        },
    }
}

/// Every built-in rule with its documentation.
pub fn rules() -> Vec<RuleInfo> {
    use Severity::*;
    vec![
        info("AL-001", "Brute force against one account", High, [
            "Many failed logins with bad credentials against one account in a short window (default 10 in 10 min).",
            "Password guessing against a single account; a success right after means the account may be taken over.",
            "Authentication events with outcome failure and failure kind authn (oCore auth.login_failed, OpsKnight LOGIN_FAILED, Vendor E Password/OTP failure, CloudTrail ConsoleLogin Failure, Okta user.session.start FAILURE, M365 UserLoginFailed, Entra credential errors, ops0 user.login Failed). MFA interrupts and permission denials do not count. The account is the claimed user name or the target user.",
            "A user who forgot a changed password; a misconfigured client retrying with an old secret.",
            "Check the source IPs and user agents; whether a success followed (AL-004); reset the password and review the account's sessions.",
        ]),
        info("AL-002", "Password spray from one source", High, [
            "Failed logins for many different accounts from one source IP (or user agent when there is no IP), few attempts per account (default 10 accounts in 60 min, median attempts ≤ 3).",
            "Spraying a few common passwords over many accounts avoids lockouts; it is a common first step of account takeover.",
            "The same authentication failures as AL-001, grouped by source instead of account.",
            "A shared NAT or proxy address where many users mistype passwords at the start of the day; a broken SSO integration.",
            "Block or investigate the source; check every sprayed account for a later success (AL-004).",
        ]),
        info("AL-003", "Account lockout or login rate limit", Medium, [
            "Lockout, blocked-login and rate-limit events (OpsKnight LOGIN_BLOCKED, Vendor E Sign-in attempts exceeded, Okta user.account.lock, failures whose kind is throttled or whose reason says locked).",
            "The vendor itself decided that the login attempts were abusive.",
            "Authentication events with failure kind throttled, or an action/reason naming a lock, block or exceeded attempts.",
            "Users locking themselves out.",
            "Look for the failed logins before it (AL-001/AL-002) and for a success after the lock is lifted.",
        ]),
        info("AL-004", "Failed logins followed by a success", Critical, [
            "A brute force (AL-001) or password spray (AL-002) followed by a successful login for an attacked account within the window (default 30 min).",
            "The guessing worked: the account is likely compromised.",
            "Successful logon events for the same account after the failures, preferably from the same source.",
            "The real user finally typing the right password after many tries from their usual address.",
            "Treat as an account takeover: disable the sessions, reset credentials and MFA, and review everything the account did afterwards (timeline --by session).",
        ]),
        info("AL-010", "MFA disabled or weakened", High, [
            "A second factor removed, deactivated or reset, or an MFA requirement switched off.",
            "Removing MFA is how an attacker keeps access after taking over an account.",
            "oCore auth.totp_disabled; ops0 user.mfa_disabled; OpsKnight oidc.config.updated with requireMfa switched off; Vendor E Profile update with otpEnabled → false; CloudTrail DeactivateMFADevice/DeleteVirtualMFADevice; Okta user.mfa.factor.deactivate/reset_all; M365/Entra Disable Strong Authentication; GitHub disable_two_factor_requirement.",
            "A user replacing a lost phone; help-desk MFA resets.",
            "Confirm with the user; check who made the change, from where, and what the account did next.",
        ]),
        info("AL-020", "Privilege grant or escalation", Critical, [
            "A role, admin right or policy granted; critical when the actor grants itself or the granted role is owner/admin.",
            "Escalation turns one compromised account into control of the whole tenant.",
            "Identity events with activity assign (oCore member.role_changed with afterState role owner/admin, ops0 user.role_changed, OpsKnight user.role.updated, Vendor E User role update, CloudTrail AttachUserPolicy/PutUserPolicy with AdministratorAccess, Okta privilege.grant, Entra Add member to role, GCP SetIamPolicy roles/owner, K8s clusterrolebindings to cluster-admin).",
            "Planned promotions by an administrator.",
            "Confirm the change was requested; check who granted it and whether the grantee just logged in from a new place.",
        ]),
        info("AL-030", "Bulk or destructive deletion", High, [
            "A burst of deletions by one actor (default 20 in 10 min), and single deletions of crown jewels: databases, backups and snapshots, buckets, repositories, namespaces.",
            "Destruction of data and backups is the end goal of many intrusions (sabotage, ransom).",
            "Events with activity delete; crown-jewel lists per format (oCore database.dropped/backup.deleted, CloudTrail DeleteDBInstance/DeleteDBSnapshot/DeleteBucket, GitHub repo.destroy, GCP storage.buckets.delete, K8s namespaces delete).",
            "Clean-ups and tear-downs of test environments; retention jobs deleting old backups (system actors are not counted for crown jewels).",
            "Check whether the deleted objects can be restored; who the actor is and how they logged in.",
        ]),
        info("AL-031", "Bulk data access or export", Medium, [
            "Many reads, downloads or exports by one actor in a short window (default 200 in 10 min).",
            "Collection and exfiltration before or after a takeover.",
            "Events with category data access (CloudTrail Get*/List*, M365 FileDownloaded, Vendor E Resource read/list, K8s get/list).",
            "Backup and sync tools; dashboards polling APIs.",
            "Check what was read, by which credential, and from where.",
        ]),
        info("AL-040", "New source network for an actor", Medium, [
            "An actor active from a network (IPv4 /24, IPv6 /48) not seen for it during the learning period (the first 20 % of the data, at most 7 days).",
            "A login from somewhere new is the most common sign of a stolen credential.",
            "Source IP per event (ipAddress, sourceIPAddress, callerIp, ClientIP, client.ipAddress, actor_ip, sourceIPs).",
            "Travel, new home networks, mobile networks; actors with many networks in the learning period are skipped.",
            "Check the network's owner and whether the user confirms the activity.",
        ]),
        info("AL-041", "New user agent for an actor", Low, [
            "An actor using a user-agent family (browser or tool and operating system) not seen for it during the learning period.",
            "Attackers often use different tooling (scripts, CLIs, another OS) than the real user.",
            "User agent per event, reduced to product and OS.",
            "Browser and OS upgrades, new devices.",
            "Correlate with AL-040 and the actions taken with that agent.",
        ]),
        info("AL-050", "Off-hours activity", Medium, [
            "A human actor's activity outside working hours/days (default 08–19, Monday–Friday, UTC; configurable zone).",
            "Attackers work when defenders sleep; sensitive changes at night deserve a look.",
            "Event time in the configured zone; identity, credential and configuration changes raise the severity.",
            "On-call work, other time zones, deadlines.",
            "Confirm with the user; check the source IP and what changed.",
        ]),
        info("AL-060", "API key or token created after a suspicious login", High, [
            "An API key, token or access key created within 30 min after a suspicious login (failed-then-success or new network) or from a network new for the creator.",
            "A key gives the attacker persistence that survives a password reset.",
            "oCore api_key.created, ops0 api_key.created, OpsKnight integration.secret_rotated, Vendor E Access token create, CloudTrail CreateAccessKey, GCP CreateServiceAccountKey, Okta system.api_token.create, GitHub personal_access_token/deploy_key creation.",
            "Legitimate automation set up from a new office.",
            "Revoke the key unless confirmed; search for its use (credential field).",
        ]),
        info("AL-070", "Audit-trail tampering", High, [
            "Logging disabled, trails or log forwarding deleted, retention cut, audit webhooks removed.",
            "Defense evasion: the attacker removes the record of what they do next.",
            "CloudTrail StopLogging/DeleteTrail/UpdateTrail/PutEventSelectors/DeleteFlowLogs; GCP DeleteSink/UpdateSink/CreateExclusion; Azure diagnosticSettings delete; M365 Set-AdminAuditLogConfig; Okta log_stream deactivate/delete; GitHub audit_log_streaming.destroy; K8s delete events; oCore webhook_endpoint.deleted (SIEM forwarding) and retention cuts; deletion of integrations or webhooks named for audit/SIEM/log forwarding.",
            "Planned migration of the logging pipeline.",
            "Restore logging; treat everything after the change as unlogged elsewhere; look at the actor's other actions.",
        ]),
        info("AL-071", "Logging gap", Medium, [
            "No events from a source for longer than 10× the median spacing (at least 1 h) where the neighbouring periods are busy.",
            "A gap can be a disabled trail, a truncated export or a stopped forwarder.",
            "Event times per file.",
            "Quiet weekends and nights in low-volume logs (only gaps longer than the usual night/weekend gaps count).",
            "Check the export's completeness and the trail's status for that period.",
        ]),
        info("AL-080", "Suspicious sequence: login, credential, privilege, destruction", Critical, [
            "Within an hour, the same actor: a suspicious successful login (new network or after failures) → a credential created → a privilege granted → deletion or tampering.",
            "This is the shape of an account takeover carried through to impact.",
            "The events of AL-004/AL-040, AL-060, AL-020 and AL-030/AL-070 for one actor in time order.",
            "Rare: an administrator setting up a new environment from a new network and tearing down the old one.",
            "Incident response: contain the account, revoke keys, restore logging and backups.",
        ]),
    ]
}

// ---------------------------------------------------------------------------------------------
// Action classification, cached per (format, action).

const C_MFA_OFF: u16 = 1;
const C_MFA_MAYBE: u16 = 2;
const C_GRANT: u16 = 4;
const C_CROWN: u16 = 8;
const C_TAMPER: u16 = 16;
const C_TAMPER_MAYBE: u16 = 32;
const C_KEY_CREATE: u16 = 64;
const C_LOCK: u16 = 128;
const C_LOGIN: u16 = 256;
const C_KEY_REVOKE: u16 = 512;

fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            cur.extend(c.to_lowercase());
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn classify(action: &str, e: &Event) -> u16 {
    let a = action.to_ascii_lowercase();
    let t = tokens(action);
    let has = |w: &[&str]| t.iter().any(|x| w.contains(&x.as_str()));
    let mut c = 0;
    // MFA.
    const MFA_OFF: &[&str] = &[
        "auth.totp_disabled",
        "user.mfa_disabled",
        "deactivatemfadevice",
        "deletevirtualmfadevice",
        "user.mfa.factor.deactivate",
        "user.mfa.factor.reset_all",
        "disable strong authentication",
        "disable strong authentication.",
        "org.disable_two_factor_requirement",
        "business.disable_two_factor_requirement",
    ];
    // Tenant-wide settings (not per-object settings such as an instance's).
    let org_settings = has(&["settings", "setting", "config"])
        && has(&[
            "org",
            "organization",
            "tenant",
            "account",
            "workspace",
            "system",
        ]);
    let mfa_word = has(&["mfa", "totp", "otp", "2fa", "factor", "webauthn", "passkey"])
        || a.contains("two_factor")
        || a.contains("strong authentication");
    let off_word = has(&[
        "disable",
        "disabled",
        "deactivate",
        "deactivated",
        "delete",
        "deleted",
        "remove",
        "removed",
        "reset",
    ]);
    if MFA_OFF.contains(&a.as_str())
        || (mfa_word && off_word && !a.contains("register") && !a.contains("enable"))
    {
        c |= C_MFA_OFF;
    }
    if e.activity == Activity::Update
        && matches!(
            e.category,
            Category::Identity | Category::Credential | Category::Configuration
        )
        && (has(&[
            "profile", "oidc", "sso", "saml", "security", "mfa", "otp", "auth", "policy", "factor",
        ]) || org_settings)
    {
        c |= C_MFA_MAYBE;
    }
    // Grants.
    const GRANTS: &[&str] = &[
        "attachuserpolicy",
        "attachrolepolicy",
        "attachgrouppolicy",
        "putuserpolicy",
        "putrolepolicy",
        "putgrouppolicy",
        "addusertogroup",
        "setdefaultpolicyversion",
        "updateassumerolepolicy",
        "setiampolicy",
        "add member to role",
        "add eligible member to role",
        "add-rolegroupmember",
        "new-managementroleassignment",
        "user.account.privilege.grant",
        "group.privilege.grant",
        "iam.resourceset.bindings.add",
        "org.update_member",
        "business.add_admin",
        "team.promote_maintainer",
    ];
    let k8s_binding = (a.contains("clusterrolebindings") || a.contains("rolebindings"))
        && has(&["create", "update", "patch"]);
    if GRANTS.iter().any(|g| a == *g || a.ends_with(g))
        || a.contains("roleassignments/write")
        || k8s_binding
        || (e.activity == Activity::Assign && e.category == Category::Identity)
    {
        c |= C_GRANT;
    }
    // Tampering.
    const TAMPER: &[&str] = &[
        "stoplogging",
        "deletetrail",
        "updatetrail",
        "puteventselectors",
        "putinsightselectors",
        "deleteeventdatastore",
        "stopeventdatastoreingestion",
        "deleteflowlogs",
        "deletedetector",
        "disablesecurityhub",
        "stopconfigurationrecorder",
        "deleteconfigurationrecorder",
        "deletesink",
        "updatesink",
        "createexclusion",
        "updateexclusion",
        "deletelog",
        "set-adminauditlogconfig",
        "set-mailboxauditbypassassociation",
        "system.log_stream.lifecycle.deactivate",
        "system.log_stream.lifecycle.delete",
        "audit_log_streaming.destroy",
        "audit_log_streaming.update",
        "microsoft.insights/diagnosticsettings/delete",
        "microsoft.operationalinsights/workspaces/delete",
        "microsoft.operationalinsights/workspaces/purge/action",
    ];
    if TAMPER
        .iter()
        .any(|x| a == *x || a.ends_with(&format!(".{x}")))
        || (t.len() == 2
            && t[1] == "events"
            && matches!(t[0].as_str(), "delete" | "deletecollection"))
    {
        c |= C_TAMPER;
    }
    const LOGGING: &[&str] = &[
        "forwarding",
        "forwarder",
        "sink",
        "stream",
        "trail",
        "audit",
        "log",
        "logs",
        "logging",
        "siem",
        "retention",
    ];
    let tamper_maybe = match e.activity {
        Activity::Delete | Activity::Disable => {
            has(LOGGING) || has(&["webhook", "integration", "export", "resource"])
        }
        Activity::Update => has(LOGGING) || org_settings,
        _ => false,
    };
    if tamper_maybe {
        c |= C_TAMPER_MAYBE;
    }
    // Crown jewels (deletes of data stores and backups).
    const CROWN: &[&str] = &[
        "database.dropped",
        "backup.deleted",
        "deletedbinstance",
        "deletedbcluster",
        "deletedbsnapshot",
        "deletedbclustersnapshot",
        "deletebucket",
        "deletebackup",
        "deletebackupvault",
        "deleterecoverypoint",
        "deletetable",
        "repo.destroy",
        "storage.buckets.delete",
        "cloudsql.instances.delete",
    ];
    let crown_word = has(&[
        "database",
        "db",
        "backup",
        "backups",
        "snapshot",
        "bucket",
        "repo",
        "repository",
        "vault",
        "keyvault",
        "namespace",
        "namespaces",
    ]);
    if CROWN.iter().any(|x| a == *x || a.ends_with(x))
        || (e.activity == Activity::Delete
            && crown_word
            && has(&[
                "drop",
                "dropped",
                "delete",
                "deleted",
                "destroy",
                "destroyed",
                "purge",
            ]))
    {
        c |= C_CROWN;
    }
    // Key/token creation.
    let key_word = has(&["key", "keys", "token", "tokens", "secret", "accesskey"])
        || a.contains("api_key")
        || a.contains("access token")
        || a.contains("accesskey")
        || a.contains("serviceaccountkey");
    let create_word = e.activity == Activity::Create
        || has(&[
            "create",
            "created",
            "rotate",
            "rotated",
            "generate",
            "generated",
        ]);
    if key_word
        && create_word
        && matches!(
            e.category,
            Category::Credential | Category::Configuration | Category::Identity
        )
        && !has(&["password"])
    {
        c |= C_KEY_CREATE;
    }
    if key_word
        && (matches!(
            e.activity,
            Activity::Revoke | Activity::Delete | Activity::Disable
        ) || has(&[
            "revoke",
            "revoked",
            "delete",
            "deleted",
            "deactivate",
            "disable",
        ]))
        && !has(&["password"])
    {
        c |= C_KEY_REVOKE;
    }
    // Lockout / rate limit.
    if e.category == Category::Authentication
        && (has(&[
            "lock",
            "locked",
            "lockout",
            "blocked",
            "exceeded",
            "throttled",
        ]) || a.contains("rate_limit"))
    {
        c |= C_LOCK;
    }
    if e.category == Category::Authentication && e.activity == Activity::Logon {
        c |= C_LOGIN;
    }
    c
}

// ---------------------------------------------------------------------------------------------
// The run.

struct Ctx<'a> {
    ds: &'a Dataset,
    cfg: &'a Config,
    /// Actor key per event (name, else the name known for the id, else the id).
    actor: Vec<Sym>,
    class: Vec<u16>,
    out: Vec<Finding>,
}

fn net_of(ip: IpAddr, cfg: &Config) -> u128 {
    match ip {
        IpAddr::V4(v4) => {
            let p = cfg.ipv4_prefix.min(32) as u32;
            let m = if p == 0 { 0 } else { u32::MAX << (32 - p) };
            (u32::from(v4) & m) as u128 | (1u128 << 127)
        }
        IpAddr::V6(v6) => {
            let p = cfg.ipv6_prefix.min(128) as u32;
            let m = if p == 0 { 0 } else { u128::MAX << (128 - p) };
            u128::from(v6) & m & !(1u128 << 127)
        }
    }
}

/// Product and OS of a user agent (`chrome/windows`, `aws-cli`, `curl`).
pub fn ua_family(ua: &str) -> String {
    let l = ua.to_ascii_lowercase();
    let os = if l.contains("windows") {
        "windows"
    } else if l.contains("android") {
        "android"
    } else if l.contains("iphone") || l.contains("ipad") || l.contains("ios") {
        "ios"
    } else if l.contains("mac os") || l.contains("macintosh") || l.contains("darwin") {
        "macos"
    } else if l.contains("linux") {
        "linux"
    } else {
        ""
    };
    let prod = if l.starts_with("mozilla/") {
        if l.contains("edg/") || l.contains("edge/") {
            "edge".to_string()
        } else if l.contains("firefox/") {
            "firefox".to_string()
        } else if l.contains("chrome/") || l.contains("crios/") {
            "chrome".to_string()
        } else if l.contains("safari/") {
            "safari".to_string()
        } else {
            "browser".to_string()
        }
    } else {
        l.split(|c: char| c == '/' || c.is_whitespace() || c == '[')
            .next()
            .unwrap_or("")
            .to_string()
    };
    if os.is_empty() {
        prod
    } else {
        format!("{prod}/{os}")
    }
}

impl<'a> Ctx<'a> {
    fn ev(&self, i: usize) -> &'a Event {
        &self.ds.events[i]
    }

    fn name(&self, s: Sym) -> String {
        self.ds.str(s).to_string()
    }

    /// The account a failed login was aimed at.
    fn account(&self, i: usize) -> Sym {
        let e = self.ev(i);
        if e.actor_name.is_some() {
            return e.actor_name;
        }
        for t in self.ds.targets_of(e) {
            let k = self.ds.str(t.kind).to_ascii_lowercase();
            if k.contains("user") || k.contains("member") || k.is_empty() {
                if t.name.is_some() {
                    return t.name;
                }
                if t.id.is_some() {
                    return t.id;
                }
            }
        }
        self.actor[i]
    }

    fn is_authn_failure(e: &Event) -> bool {
        e.category == Category::Authentication
            && e.outcome == Outcome::Failure
            && e.failure == FailureKind::AuthN
    }

    fn is_login_success(&self, i: usize) -> bool {
        let e = self.ev(i);
        self.class[i] & C_LOGIN != 0 && e.outcome == Outcome::Success
    }

    fn is_human(e: &Event) -> bool {
        matches!(e.actor_kind, PrincipalKind::User | PrincipalKind::Unknown)
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        rule: &str,
        severity: Severity,
        evidence: &[usize],
        actors: Vec<String>,
        targets: Vec<String>,
        explanation: String,
    ) -> Finding {
        let title = rules()
            .into_iter()
            .find(|r| r.id == rule)
            .map(|r| r.title)
            .unwrap_or("");
        let mut ev: Vec<usize> = evidence.to_vec();
        ev.sort_unstable();
        ev.dedup();
        let first = ev.first().map_or(0, |&i| self.ev(i).time);
        let last = ev.last().map_or(0, |&i| self.ev(i).time);
        let mut ips: Vec<IpAddr> = ev.iter().filter_map(|&i| self.ev(i).src_ip).collect();
        ips.sort_unstable();
        ips.dedup();
        let keep = &ev[..ev.len().min(self.cfg.max_evidence.max(1))];
        let mut actors = actors;
        actors.retain(|a| !a.is_empty());
        actors.dedup();
        let mut targets = targets;
        targets.retain(|a| !a.is_empty());
        targets.sort();
        targets.dedup();
        Finding {
            rule: rule.to_string(),
            title: title.to_string(),
            severity,
            first: time::format_rfc3339_ms(first),
            last: time::format_rfc3339_ms(last),
            first_ns: first,
            last_ns: last,
            count: ev.len() as u64,
            actors,
            ips: ips.iter().map(|i| i.to_string()).collect(),
            targets,
            evidence: keep
                .iter()
                .map(|&i| evidence_label(self.ds, self.ev(i)))
                .collect(),
            evidence_refs: keep.iter().map(|&i| EventRef::of(self.ev(i))).collect(),
            explanation,
            source: "builtin",
        }
    }

    fn target_names(&self, ev: &[usize]) -> Vec<String> {
        let mut v = Vec::new();
        for &i in ev {
            for t in self.ds.targets_of(self.ev(i)) {
                let s = if t.name.is_some() { t.name } else { t.id };
                if s.is_some() {
                    v.push(self.name(s));
                }
            }
        }
        v.sort();
        v.dedup();
        v
    }
}

/// Marks the events of `times` that lie in some window of length `w` holding ≥ `n` events, and
/// returns the runs of marked events as index ranges into `times`.
fn bursts(times: &[i64], w: i64, n: usize) -> Vec<(usize, usize)> {
    let n = n.max(1);
    let mut marked_to: Option<usize> = None; // exclusive end of the current run
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut lo = 0;
    for hi in 0..times.len() {
        while times[hi] - times[lo] > w {
            lo += 1;
        }
        if hi + 1 - lo >= n {
            match (marked_to, runs.last_mut()) {
                (Some(end), Some(r)) if lo < end => r.1 = hi + 1,
                _ => runs.push((lo, hi + 1)),
            }
            marked_to = Some(hi + 1);
        }
    }
    runs
}

/// Splits a time-sorted list into clusters separated by gaps longer than `gap`.
fn clusters(times: &[i64], gap: i64) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for i in 1..=times.len() {
        if i == times.len() || times[i] - times[i - 1] > gap {
            if s < i {
                out.push((s, i));
            }
            s = i;
        }
    }
    out
}

fn span_text(ns: i64) -> String {
    let m = ns / MIN;
    if m < 1 {
        format!("{} s", (ns / NS).max(0))
    } else if m < 120 {
        format!("{m} min")
    } else {
        human_duration(ns)
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Runs every enabled built-in rule; findings sorted with [`sort_findings`].
pub fn run_builtin(ds: &Dataset, cfg: &Config) -> Vec<Finding> {
    let n = ds.events.len();
    // Actor identity: names for ids, so events that carry only an id join the same actor.
    let mut id_name: HashMap<Sym, Sym> = HashMap::new();
    for e in &ds.events {
        if e.actor_id.is_some() && e.actor_name.is_some() && e.actor_verified {
            id_name.entry(e.actor_id).or_insert(e.actor_name);
        }
    }
    let actor: Vec<Sym> = ds
        .events
        .iter()
        .map(|e| {
            if e.actor_name.is_some() {
                e.actor_name
            } else if let Some(n) = id_name.get(&e.actor_id) {
                *n
            } else {
                e.actor_id
            }
        })
        .collect();
    let mut cache: HashMap<(u16, Sym, u8, u8), u16> = HashMap::new();
    let class: Vec<u16> = ds
        .events
        .iter()
        .map(|e| {
            *cache
                .entry((e.format, e.action, e.category as u8, e.activity as u8))
                .or_insert_with(|| classify(ds.str(e.action), e))
        })
        .collect();
    let mut cx = Ctx {
        ds,
        cfg,
        actor,
        class,
        out: Vec::new(),
    };
    let on = |id: &str| !cfg.disabled.iter().any(|d| d.eq_ignore_ascii_case(id));
    let _ = n;

    let suspicious_logins = auth_rules(&mut cx, &on);
    let mut state = State::default();
    baseline_rules(&mut cx, &on, &mut state);
    single_event_rules(&mut cx, &on, &mut state);
    volume_rules(&mut cx, &on, &mut state);
    if on("AL-050") {
        off_hours(&mut cx);
    }
    if on("AL-071") {
        gaps(&mut cx);
    }
    let mut susp = suspicious_logins;
    susp.extend(state.new_net_logins.iter().copied());
    susp.sort_unstable();
    susp.dedup();
    if on("AL-060") {
        key_lifecycle(&mut cx, &susp, &state);
    }
    if on("AL-080") {
        chain(&mut cx, &susp, &state);
    }
    let mut out = std::mem::take(&mut cx.out);
    out.retain(|f| on(&f.rule));
    sort_findings(&mut out);
    out
}

#[derive(Default)]
struct State {
    /// Event positions of successful logins from a network new for the actor.
    new_net_logins: Vec<usize>,
    /// Events (any kind) from a network new for the actor.
    new_net: HashSet<usize>,
    grants: Vec<usize>,
    destruct: Vec<usize>,
}

/// AL-001, AL-002, AL-003, AL-004. Returns the successful logins that followed failures.
fn auth_rules(cx: &mut Ctx<'_>, on: &dyn Fn(&str) -> bool) -> Vec<usize> {
    let cfg = cx.cfg;
    let mut by_account: HashMap<Sym, Vec<usize>> = HashMap::new();
    let mut by_source: HashMap<(Option<IpAddr>, Sym), Vec<usize>> = HashMap::new();
    let mut success_by_account: HashMap<Sym, Vec<usize>> = HashMap::new();
    let mut locks: HashMap<Sym, Vec<usize>> = HashMap::new();
    for (i, e) in cx.ds.events.iter().enumerate() {
        if Ctx::is_authn_failure(e) {
            let acct = cx.account(i);
            by_account.entry(acct).or_default().push(i);
            let key = match e.src_ip {
                Some(ip) => (Some(ip), Sym::NONE),
                None => (None, e.user_agent),
            };
            if key.0.is_some() || key.1.is_some() {
                by_source.entry(key).or_default().push(i);
            }
        } else if cx.is_login_success(i) {
            success_by_account.entry(cx.actor[i]).or_default().push(i);
        }
        if e.category == Category::Authentication
            && (cx.class[i] & C_LOCK != 0
                || e.failure == FailureKind::Throttled
                || (e.outcome == Outcome::Failure
                    && e.reason.is_some()
                    && cx.ds.str(e.reason).to_ascii_lowercase().contains("locked")))
        {
            let acct = cx.account(i);
            locks.entry(acct).or_default().push(i);
        }
    }
    let t_after = cfg.success_after_minutes * MIN;
    let mut followed = Vec::new();
    // A success for `acct` within `t_after` after `last`, preferring one from an attacking IP.
    let success_after = |cx: &Ctx<'_>, acct: Sym, last: i64, ips: &[IpAddr]| -> Option<usize> {
        let list = success_by_account.get(&acct)?;
        let start = list.partition_point(|&j| cx.ev(j).time < last);
        let cands: Vec<usize> = list[start..]
            .iter()
            .copied()
            .take_while(|&j| cx.ev(j).time <= last + t_after)
            .collect();
        cands
            .iter()
            .copied()
            .find(|&j| cx.ev(j).src_ip.is_some_and(|ip| ips.contains(&ip)))
            .or_else(|| cands.first().copied())
    };

    let mut accounts: Vec<&Sym> = by_account.keys().collect();
    accounts.sort_unstable_by_key(|s| (cx.ds.str(**s), s.0));
    for acct in accounts {
        let list = &by_account[acct];
        let times: Vec<i64> = list.iter().map(|&i| cx.ev(i).time).collect();
        for (a, b) in bursts(&times, cfg.brute_force_minutes * MIN, cfg.brute_force_count) {
            let ev = &list[a..b];
            let mut ips: Vec<IpAddr> = ev.iter().filter_map(|&i| cx.ev(i).src_ip).collect();
            ips.sort_unstable();
            ips.dedup();
            let who = cx.name(*acct);
            let from = match ips.as_slice() {
                [] => String::new(),
                [one] => format!(" from {one}"),
                many => format!(" from {} IPs", many.len()),
            };
            let span = times[b - 1] - times[a];
            if on("AL-001") {
                let f = cx.finding(
                    "AL-001",
                    Severity::High,
                    ev,
                    vec![who.clone()],
                    vec![who.clone()],
                    format!(
                        "{} for {who}{from} in {}",
                        plural(ev.len(), "failed login", "failed logins"),
                        span_text(span)
                    ),
                );
                cx.out.push(f);
            }
            if let Some(s) = success_after(cx, *acct, times[b - 1], &ips) {
                followed.push(s);
                if on("AL-004") {
                    let mut all = ev.to_vec();
                    all.push(s);
                    let sip = cx.ev(s).src_ip.map(|i| i.to_string()).unwrap_or_default();
                    let f = cx.finding(
                        "AL-004",
                        Severity::Critical,
                        &all,
                        vec![who.clone()],
                        vec![who.clone()],
                        format!(
                            "successful login for {who}{} {} after {}{from}",
                            if sip.is_empty() {
                                String::new()
                            } else {
                                format!(" from {sip}")
                            },
                            span_text(cx.ev(s).time - times[b - 1]),
                            plural(ev.len(), "failed login", "failed logins"),
                        ),
                    );
                    cx.out.push(f);
                }
            }
        }
    }

    let mut sources: Vec<&(Option<IpAddr>, Sym)> = by_source.keys().collect();
    sources.sort_unstable_by_key(|k| (k.0, cx.ds.str(k.1)));
    for key in sources {
        let list = &by_source[key];
        let times: Vec<i64> = list.iter().map(|&i| cx.ev(i).time).collect();
        let w = cfg.spray_minutes * MIN;
        for (a, b) in clusters(&times, w) {
            // Largest distinct-account count over any window in the cluster.
            let accts: Vec<Sym> = list[a..b].iter().map(|&i| cx.account(i)).collect();
            let mut cnt: HashMap<Sym, usize> = HashMap::new();
            let (mut lo, mut best, mut best_range) = (0, 0, (0, 0));
            for hi in 0..accts.len() {
                *cnt.entry(accts[hi]).or_default() += 1;
                while times[a + hi] - times[a + lo] > w {
                    let c = cnt.get_mut(&accts[lo]).map(|c| {
                        *c -= 1;
                        *c
                    });
                    if c == Some(0) {
                        cnt.remove(&accts[lo]);
                    }
                    lo += 1;
                }
                if cnt.len() > best {
                    best = cnt.len();
                    best_range = (lo, hi + 1);
                }
            }
            if best < cfg.spray_accounts {
                continue;
            }
            // The whole cluster is the spray (both rounds), not only its densest window.
            let _ = best_range;
            let ev = &list[a..b];
            let mut per: HashMap<Sym, usize> = HashMap::new();
            // Attempts per account *per product*: one spray seen by several products (an IdP and
            // the apps behind it) must not look like repeated guessing against each account.
            let mut per_source: HashMap<(Sym, u16), usize> = HashMap::new();
            for &i in ev {
                *per.entry(cx.account(i)).or_default() += 1;
                *per_source
                    .entry((cx.account(i), cx.ev(i).format))
                    .or_default() += 1;
            }
            let mut counts: Vec<usize> = per_source.values().copied().collect();
            counts.sort_unstable();
            let median = counts[counts.len() / 2];
            if median > cfg.spray_max_median_attempts {
                continue;
            }
            let mut names: Vec<String> = per.keys().map(|s| cx.name(*s)).collect();
            names.sort();
            let src = match key.0 {
                Some(ip) => ip.to_string(),
                None => format!("user agent {}", cx.ds.str(key.1)),
            };
            let span = cx.ev(ev[ev.len() - 1]).time - cx.ev(ev[0]).time;
            if on("AL-002") {
                let f = cx.finding(
                    "AL-002",
                    Severity::High,
                    ev,
                    Vec::new(),
                    names.clone(),
                    format!(
                        "{} for {} from {src} in {}",
                        plural(ev.len(), "failed login", "failed logins"),
                        plural(names.len(), "account", "accounts"),
                        span_text(span)
                    ),
                );
                cx.out.push(f);
            }
            // A sprayed account that then logged in from the spraying source.
            let last = cx.ev(ev[ev.len() - 1]).time;
            let mut accts_sorted: Vec<&Sym> = per.keys().collect();
            accts_sorted.sort_unstable_by_key(|s| (cx.ds.str(**s), s.0));
            for acct in accts_sorted {
                let Some(list) = success_by_account.get(acct) else {
                    continue;
                };
                let first = cx.ev(ev[0]).time;
                let hit = list.iter().copied().find(|&j| {
                    let t = cx.ev(j).time;
                    t >= first && t <= last + cfg.success_after_minutes * MIN && {
                        cx.ev(j).src_ip.is_some() && cx.ev(j).src_ip == key.0
                    }
                });
                if let Some(s) = hit {
                    followed.push(s);
                    if on("AL-004") {
                        let mut all: Vec<usize> = ev
                            .iter()
                            .copied()
                            .filter(|&i| cx.account(i) == *acct)
                            .collect();
                        all.push(s);
                        let who = cx.name(*acct);
                        let f = cx.finding(
                            "AL-004",
                            Severity::Critical,
                            &all,
                            vec![who.clone()],
                            vec![who.clone()],
                            format!(
                                "successful login for {who} from {src} during a password spray over {}",
                                plural(names.len(), "account", "accounts")
                            ),
                        );
                        cx.out.push(f);
                    }
                }
            }
        }
    }

    if on("AL-003") {
        let mut accts: Vec<&Sym> = locks.keys().collect();
        accts.sort_unstable_by_key(|s| (cx.ds.str(**s), s.0));
        for acct in accts {
            let list = &locks[acct];
            let times: Vec<i64> = list.iter().map(|&i| cx.ev(i).time).collect();
            for (a, b) in clusters(&times, HOUR) {
                let ev = &list[a..b];
                let who = cx.name(*acct);
                let what = cx.ds.str(cx.ev(ev[0]).action).to_string();
                let f = cx.finding(
                    "AL-003",
                    Severity::Medium,
                    ev,
                    vec![who.clone()],
                    vec![who.clone()],
                    format!(
                        "{} ({what}) for {who} in {}",
                        plural(
                            ev.len(),
                            "lockout/rate-limit event",
                            "lockout/rate-limit events"
                        ),
                        span_text(times[b - 1] - times[a])
                    ),
                );
                cx.out.push(f);
            }
        }
    }
    followed.sort_unstable();
    followed.dedup();
    followed
}

/// AL-040, AL-041: networks and user-agent families per actor after a learning period.
fn baseline_rules(cx: &mut Ctx<'_>, on: &dyn Fn(&str) -> bool, st: &mut State) {
    let cfg = cx.cfg;
    let Some((t0, t1)) = cx.ds.time_range() else {
        return;
    };
    let learn = ((t1 - t0) as f64 * cfg.learning_fraction.clamp(0.0, 1.0)) as i64;
    let learn_end = t0 + learn.min(cfg.learning_days.max(0) * DAY);
    let mut nets: HashMap<Sym, HashSet<u128>> = HashMap::new();
    let mut uas: HashMap<Sym, HashSet<Sym>> = HashMap::new();
    let mut fam_cache: HashMap<Sym, Sym> = HashMap::new();
    let mut fam_strings: crate::model::Interner = crate::model::Interner::default();
    // New (actor, net) → events.
    let mut new_nets: HashMap<(Sym, u128), Vec<usize>> = HashMap::new();
    let mut new_uas: HashMap<(Sym, Sym), Vec<usize>> = HashMap::new();
    let mut order_net: Vec<(Sym, u128)> = Vec::new();
    let mut order_ua: Vec<(Sym, Sym)> = Vec::new();
    for (i, e) in cx.ds.events.iter().enumerate() {
        let a = cx.actor[i];
        if a.is_none()
            || !e.actor_verified
            || e.outcome == Outcome::Failure
            || matches!(
                e.actor_kind,
                PrincipalKind::System | PrincipalKind::Anonymous
            )
        {
            continue;
        }
        let fam = if e.user_agent.is_some() {
            *fam_cache
                .entry(e.user_agent)
                .or_insert_with(|| fam_strings.intern(&ua_family(cx.ds.str(e.user_agent))))
        } else {
            Sym::NONE
        };
        if e.time < learn_end {
            if let Some(ip) = e.src_ip {
                nets.entry(a).or_default().insert(net_of(ip, cfg));
            }
            if fam.is_some() {
                uas.entry(a).or_default().insert(fam);
            }
            continue;
        }
        if let Some(ip) = e.src_ip {
            if let Some(known) = nets.get(&a) {
                if known.len() <= cfg.max_baseline_networks {
                    let net = net_of(ip, cfg);
                    if !known.contains(&net) {
                        let v = new_nets.entry((a, net)).or_default();
                        if v.is_empty() {
                            order_net.push((a, net));
                        }
                        v.push(i);
                        st.new_net.insert(i);
                        if cx.is_login_success(i) {
                            st.new_net_logins.push(i);
                        }
                    }
                }
            }
        }
        if fam.is_some() {
            if let Some(known) = uas.get(&a) {
                if known.len() <= cfg.max_baseline_networks && !known.contains(&fam) {
                    let v = new_uas.entry((a, fam)).or_default();
                    if v.is_empty() {
                        order_ua.push((a, fam));
                    }
                    v.push(i);
                }
            }
        }
    }
    if on("AL-040") {
        for k in &order_net {
            let ev = &new_nets[k];
            let who = cx.name(k.0);
            let ip = cx
                .ev(ev[0])
                .src_ip
                .map(|i| i.to_string())
                .unwrap_or_default();
            let f = cx.finding(
                "AL-040",
                Severity::Medium,
                ev,
                vec![who.clone()],
                cx.target_names(&ev[..ev.len().min(20)]),
                format!(
                    "{who} active from {ip}, a network not seen for it in the learning period ({} from there)",
                    plural(ev.len(), "event", "events")
                ),
            );
            cx.out.push(f);
        }
    }
    if on("AL-041") {
        for k in &order_ua {
            let ev = &new_uas[k];
            let who = cx.name(k.0);
            let f = cx.finding(
                "AL-041",
                Severity::Low,
                ev,
                vec![who.clone()],
                Vec::new(),
                format!(
                    "{who} used a new user-agent family {} ({})",
                    fam_strings.get(k.1),
                    plural(ev.len(), "event", "events")
                ),
            );
            cx.out.push(f);
        }
    }
}

/// Text of the "after" side of an event's state: the `after` of [`Dataset::changes`], else the
/// record's values under keys that name a new value or a role.
fn after_text(ds: &Dataset, e: &Event) -> String {
    let mut out = String::new();
    if let Some(ch) = ds.changes(e) {
        if let Ok(doc) = Doc::parse_str(&ch) {
            if let Some(a) = doc.root().get("after") {
                out.push_str(&String::from_utf8_lossy(a.raw()).to_ascii_lowercase());
                return out;
            }
        }
    }
    if let Ok(doc) = Doc::parse(ds.doc(e)) {
        collect_after(doc.root(), false, 0, &mut out);
    }
    out
}

fn collect_after(v: crate::json::Val<'_, '_>, inside: bool, depth: usize, out: &mut String) {
    use crate::json::Kind;
    if depth > 12 {
        return;
    }
    match v.kind() {
        Kind::Obj => {
            for (k, c) in v.entries() {
                let k = k.to_ascii_lowercase();
                if matches!(
                    k.as_str(),
                    "from" | "before" | "old" | "oldvalue" | "beforestate" | "previous"
                ) {
                    continue;
                }
                let now_inside = inside
                    || matches!(
                        k.as_str(),
                        "to" | "after"
                            | "new"
                            | "newvalue"
                            | "afterstate"
                            | "role"
                            | "roles"
                            | "rolename"
                            | "roleref"
                            | "policyarn"
                            | "policyname"
                            | "permission"
                            | "roledefinitionname"
                            | "modifiedproperties"
                    );
                collect_after(c, now_inside, depth + 1, out);
            }
        }
        Kind::Arr => {
            for c in v.elements() {
                collect_after(c, inside, depth + 1, out);
            }
        }
        _ => {
            if inside {
                if let Some(s) = v.as_text() {
                    out.push_str(&s.to_ascii_lowercase());
                    out.push(' ');
                }
            }
        }
    }
}

fn privileged(text: &str) -> bool {
    [
        "owner",
        "admin",
        "administratoraccess",
        "cluster-admin",
        "roles/editor",
        "superuser",
        "root",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// Does the event's state show MFA being switched off?
/// ASCII case-insensitive substring test on bytes (`needle` in lower case), no allocation.
fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && hay.len() >= needle.len()
        && hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

fn mfa_switched_off(ds: &Dataset, e: &Event) -> bool {
    // Cheap pre-check on the record before any copy or parse.
    if ![&b"mfa"[..], b"otp", b"2fa", b"factor"]
        .iter()
        .any(|w| contains_ci(ds.doc(e), w))
    {
        return false;
    }
    let raw = String::from_utf8_lossy(ds.doc(e)).to_ascii_lowercase();
    let ch = ds.changes(e).map(|c| c.to_ascii_lowercase());
    let text = ch.as_deref().unwrap_or(&raw);
    let mfa = ["mfa", "otp", "2fa", "twofactor", "two_factor", "factor"]
        .iter()
        .any(|w| text.contains(w));
    if !mfa {
        return false;
    }
    // The key's after/to value is false/none/disabled.
    let Ok(doc) = Doc::parse(text.as_bytes()) else {
        return false;
    };
    let mut found = false;
    walk_mfa(doc.root(), false, 0, &mut found);
    found
}

fn walk_mfa(v: crate::json::Val<'_, '_>, mfa_ctx: bool, depth: usize, found: &mut bool) {
    use crate::json::Kind;
    if depth > 12 || *found {
        return;
    }
    if let Kind::Obj = v.kind() {
        for (k, c) in v.entries() {
            let k = k.to_ascii_lowercase();
            let m = mfa_ctx
                || ["mfa", "otp", "2fa", "twofactor", "two_factor", "factor"]
                    .iter()
                    .any(|w| k.contains(w));
            if m && matches!(k.as_str(), "to" | "after" | "new" | "newvalue")
                || (m && !matches!(c.kind(), Kind::Obj | Kind::Arr) && !mfa_ctx)
            {
                if matches!(k.as_str(), "from" | "before" | "old" | "oldvalue") {
                    continue;
                }
                let val = c.as_text().map(|s| s.to_ascii_lowercase());
                if matches!(
                    val.as_deref(),
                    Some("false" | "none" | "disabled" | "off" | "0" | "")
                ) || c.as_bool() == Some(false)
                {
                    *found = true;
                    return;
                }
            }
            walk_mfa(c, m, depth + 1, found);
        }
    } else if let Kind::Arr = v.kind() {
        for c in v.elements() {
            walk_mfa(c, mfa_ctx, depth + 1, found);
        }
    }
}

/// Is a maybe-tamper event about audit logging / forwarding?
fn tamper_by_target(ds: &Dataset, e: &Event, class: u16) -> bool {
    const WORDS: &[&str] = &[
        "siem", "audit", "splunk", "forward", "log-", "logs", "logging", "trail", "sentinel",
        "datadog", "sumo", "elastic", "syslog", "log_", "sink",
    ];
    let hit = |s: &str| {
        let l = s.to_ascii_lowercase();
        WORDS.iter().any(|w| l.contains(w))
    };
    let action = ds.str(e.action).to_ascii_lowercase();
    let delete = matches!(e.activity, Activity::Delete | Activity::Disable);
    if delete {
        for t in ds.targets_of(e) {
            if hit(ds.str(t.name)) || hit(ds.str(t.kind)) || hit(ds.str(t.id)) {
                return true;
            }
        }
        // Integrations and webhooks named only by id: look at the record's text.
        if (action.contains("integration") || action.contains("webhook"))
            && hit(&String::from_utf8_lossy(ds.doc(e)))
        {
            return true;
        }
    }
    // Retention cut or audit logging switched off in a settings change.
    let doc = ds.doc(e);
    if e.activity == Activity::Update
        && class & C_TAMPER_MAYBE != 0
        && [&b"retention"[..], b"audit", b"logging"]
            .iter()
            .any(|w| contains_ci(doc, w))
    {
        if let Some(ch) = ds.changes(e) {
            if let Ok(doc) = Doc::parse_str(&ch) {
                let (b, a) = (doc.root().get("before"), doc.root().get("after"));
                if let (Some(b), Some(a)) = (b, a) {
                    for (k, av) in a.entries() {
                        let kl = k.to_ascii_lowercase();
                        let bv = b.get(&k);
                        if kl.contains("retention") {
                            if let (Some(x), Some(y)) = (bv.and_then(|v| v.as_f64()), av.as_f64()) {
                                if y < x {
                                    return true;
                                }
                            }
                        }
                        if (kl.contains("audit") || kl.contains("logging"))
                            && av.as_bool() == Some(false)
                            && bv.and_then(|v| v.as_bool()) == Some(true)
                        {
                            return true;
                        }
                    }
                }
            }
        }
    }
    false
}

/// AL-010, AL-020, AL-030 (crown jewels), AL-070.
fn single_event_rules(cx: &mut Ctx<'_>, on: &dyn Fn(&str) -> bool, st: &mut State) {
    let ds = cx.ds;
    let mut crown: HashMap<Sym, Vec<usize>> = HashMap::new();
    for i in 0..ds.events.len() {
        let e = cx.ev(i);
        let c = cx.class[i];
        if c & !(C_LOGIN | C_LOCK | C_KEY_REVOKE) == 0 || e.outcome == Outcome::Failure {
            continue;
        }
        let who = cx.name(cx.actor[i]);
        let action = ds.str(e.action);
        // MFA.
        let mfa = c & C_MFA_OFF != 0 || (c & C_MFA_MAYBE != 0 && mfa_switched_off(ds, e));
        if mfa && on("AL-010") {
            let targets = cx.target_names(&[i]);
            let other = !targets.is_empty()
                && !targets.iter().any(|t| t == &who)
                && ds
                    .targets_of(e)
                    .iter()
                    .all(|t| t.id != e.actor_id || t.id.is_none())
                && targets.iter().any(|t| t.contains('@'));
            let f = cx.finding(
                "AL-010",
                Severity::High,
                &[i],
                vec![who.clone()],
                targets.clone(),
                format!(
                    "{action}: MFA turned off{} by {who}{}",
                    if targets.is_empty() {
                        String::new()
                    } else {
                        format!(" for {}", targets.join(", "))
                    },
                    if other {
                        " (another user's account)"
                    } else {
                        ""
                    }
                ),
            );
            cx.out.push(f);
        }
        // Grants.
        if c & C_GRANT != 0 && e.activity != Activity::Revoke {
            st.grants.push(i);
            if on("AL-020") {
                let targets = cx.target_names(&[i]);
                // Ids first: some sources name the actor with the target's e-mail.
                let ts = ds.targets_of(e);
                let by_id = e.actor_id.is_some() && ts.iter().any(|t| t.id.is_some());
                let self_grant = if by_id {
                    ts.iter().any(|t| t.id == e.actor_id)
                } else {
                    ts.iter().any(|t| {
                        t.name.is_some() && (t.name == cx.actor[i] || t.name == e.actor_name)
                    })
                };
                let mut after = after_text(ds, e);
                // Role names given as targets (Okta, Entra): not e-mail addresses.
                for t in ts {
                    let n = ds.str(t.name);
                    if !n.contains('@') {
                        after.push(' ');
                        after.push_str(&n.to_ascii_lowercase());
                    }
                }
                let admin = privileged(&after);
                let sev = if self_grant || admin {
                    Severity::Critical
                } else {
                    Severity::Medium
                };
                let mut what = Vec::new();
                if self_grant {
                    what.push("self-grant");
                }
                if admin {
                    what.push("owner/admin");
                }
                let f = cx.finding(
                    "AL-020",
                    sev,
                    &[i],
                    vec![who.clone()],
                    targets.clone(),
                    format!(
                        "{action} by {who} for {}{}",
                        if targets.is_empty() {
                            "?".to_string()
                        } else {
                            targets.join(", ")
                        },
                        if what.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", what.join(", "))
                        }
                    ),
                );
                cx.out.push(f);
            }
        }
        // Tampering.
        let tamper = c & C_TAMPER != 0 || (c & C_TAMPER_MAYBE != 0 && tamper_by_target(ds, e, c));
        if tamper {
            st.destruct.push(i);
            if on("AL-070") {
                let targets = cx.target_names(&[i]);
                let f = cx.finding(
                    "AL-070",
                    Severity::High,
                    &[i],
                    vec![who.clone()],
                    targets.clone(),
                    format!(
                        "{action} by {who}{}: audit logging or forwarding reduced",
                        if targets.is_empty() {
                            String::new()
                        } else {
                            format!(" on {}", targets.join(", "))
                        }
                    ),
                );
                cx.out.push(f);
            }
        } else if c & C_CROWN != 0
            && !matches!(
                e.actor_kind,
                PrincipalKind::System | PrincipalKind::ServiceAccount
            )
        {
            crown.entry(cx.actor[i]).or_default().push(i);
        }
    }
    if on("AL-030") {
        let mut actors: Vec<&Sym> = crown.keys().collect();
        actors.sort_unstable_by_key(|s| (ds.str(**s), s.0));
        for a in actors {
            let list = &crown[a];
            let times: Vec<i64> = list.iter().map(|&i| cx.ev(i).time).collect();
            for (x, y) in clusters(&times, HOUR) {
                let ev = &list[x..y];
                let who = cx.name(*a);
                let targets = cx.target_names(ev);
                let mut kinds: Vec<String> = ev
                    .iter()
                    .map(|&i| ds.str(cx.ev(i).action).to_string())
                    .collect();
                kinds.sort();
                kinds.dedup();
                let f = cx.finding(
                    "AL-030",
                    Severity::High,
                    ev,
                    vec![who.clone()],
                    targets.clone(),
                    format!(
                        "{} of data stores or backups by {who} ({}) in {}",
                        plural(ev.len(), "deletion", "deletions"),
                        kinds.join(", "),
                        span_text(times[y - 1] - times[x])
                    ),
                );
                cx.out.push(f);
            }
        }
    }
}

/// AL-030 (bursts) and AL-031.
fn volume_rules(cx: &mut Ctx<'_>, on: &dyn Fn(&str) -> bool, st: &mut State) {
    let cfg = cx.cfg;
    let ds = cx.ds;
    let tamper: HashSet<usize> = st.destruct.iter().copied().collect();
    let mut dels: HashMap<Sym, Vec<usize>> = HashMap::new();
    let mut reads: HashMap<Sym, Vec<usize>> = HashMap::new();
    for (i, e) in ds.events.iter().enumerate() {
        if e.outcome == Outcome::Failure || cx.actor[i].is_none() {
            continue;
        }
        if e.activity == Activity::Delete && !tamper.contains(&i) {
            dels.entry(cx.actor[i]).or_default().push(i);
        } else if e.category == Category::DataAccess {
            reads.entry(cx.actor[i]).or_default().push(i);
        }
    }
    for (rule, map, w, n) in [
        ("AL-030", &dels, cfg.deletion_minutes, cfg.deletion_count),
        ("AL-031", &reads, cfg.access_minutes, cfg.access_count),
    ] {
        let mut actors: Vec<&Sym> = map.keys().collect();
        actors.sort_unstable_by_key(|s| (ds.str(**s), s.0));
        for a in actors {
            let list = &map[a];
            if rule == "AL-030" {
                st.destruct.extend(list.iter().copied());
            }
            if !on(rule) {
                continue;
            }
            let times: Vec<i64> = list.iter().map(|&i| cx.ev(i).time).collect();
            let win = (w * MIN).max(1);
            let buckets = |t: &[i64]| {
                let mut b: Vec<i64> = t.iter().map(|x| x.div_euclid(win)).collect();
                b.dedup();
                b.len()
            };
            let all_buckets = buckets(&times);
            for (x, y) in bursts(&times, w * MIN, n) {
                let ev = &list[x..y];
                if rule == "AL-031" {
                    // The actor's usual rate outside this burst, per window with activity.
                    let inside = buckets(&times[x..y]);
                    let other = (times.len() - (y - x)) as f64;
                    let other_b = all_buckets.saturating_sub(inside).max(1) as f64;
                    let rate = (y - x) as f64 / inside.max(1) as f64;
                    if rate < cfg.access_baseline_factor * other / other_b {
                        continue;
                    }
                }
                let who = cx.name(*a);
                let targets = cx.target_names(&ev[..ev.len().min(50)]);
                let mut ips: Vec<IpAddr> = ev.iter().filter_map(|&i| cx.ev(i).src_ip).collect();
                ips.sort_unstable();
                ips.dedup();
                let from = match ips.as_slice() {
                    [one] => format!(" from {one}"),
                    [] => String::new(),
                    m => format!(" from {} IPs", m.len()),
                };
                let (sev, what) = if rule == "AL-030" {
                    (Severity::High, "deletions")
                } else {
                    (Severity::Medium, "reads/exports")
                };
                let f = cx.finding(
                    rule,
                    sev,
                    ev,
                    vec![who.clone()],
                    targets.clone(),
                    format!(
                        "{} {what} by {who}{from} in {}{}",
                        ev.len(),
                        span_text(times[y - 1] - times[x]),
                        if targets.is_empty() {
                            String::new()
                        } else {
                            format!(" ({} distinct objects)", targets.len())
                        }
                    ),
                );
                cx.out.push(f);
            }
        }
    }
    st.destruct.sort_unstable();
    st.destruct.dedup();
}

/// AL-050.
fn off_hours(cx: &mut Ctx<'_>) {
    let cfg = cx.cfg;
    let ds = cx.ds;
    let zone = Zone::parse(&cfg.zone).unwrap_or_default();
    let mut per: HashMap<Sym, Vec<usize>> = HashMap::new();
    for (i, e) in ds.events.iter().enumerate() {
        if cx.actor[i].is_none() || !e.actor_verified || e.outcome == Outcome::Failure {
            continue;
        }
        if !cfg.off_hours_non_human && !Ctx::is_human(e) {
            continue;
        }
        // Saturating: an event time near the end of i64 (a 19-digit epoch) must not overflow.
        let local = e.time.saturating_add(zone.offset_at(e.time) as i64 * NS);
        let days = local.div_euclid(DAY);
        let hour = (local.rem_euclid(DAY) / HOUR) as u32;
        // 1970-01-01 was a Thursday (ISO 4).
        let wd = ((days + 3).rem_euclid(7) + 1) as u32;
        let working =
            cfg.work_days.contains(&wd) && hour >= cfg.work_start_hour && hour < cfg.work_end_hour;
        if !working {
            per.entry(cx.actor[i]).or_default().push(i);
        }
    }
    let mut actors: Vec<&Sym> = per.keys().collect();
    actors.sort_unstable_by_key(|s| (ds.str(**s), s.0));
    for a in actors {
        let list = &per[a];
        let times: Vec<i64> = list.iter().map(|&i| cx.ev(i).time).collect();
        for (x, y) in clusters(&times, HOUR) {
            let ev = &list[x..y];
            let sensitive = ev.iter().filter(|&&i| {
                matches!(
                    cx.ev(i).category,
                    Category::Identity | Category::Credential | Category::Configuration
                ) && cx.ev(i).activity != Activity::Read
            });
            let ns = sensitive.count();
            let sev = if ns > 0 {
                Severity::Medium
            } else {
                Severity::Low
            };
            let who = cx.name(*a);
            let local = times[x].saturating_add(zone.offset_at(times[x]) as i64 * NS);
            let f = cx.finding(
                "AL-050",
                sev,
                ev,
                vec![who.clone()],
                cx.target_names(&ev[..ev.len().min(20)]),
                format!(
                    "{} by {who} outside working hours starting {} {} ({} identity/credential/configuration changes)",
                    plural(ev.len(), "event", "events"),
                    &time::format_rfc3339_ms(local)[..16].replace('T', " "),
                    zone.name(),
                    ns
                ),
            );
            cx.out.push(f);
        }
    }
}

/// AL-071: per file, gaps much longer than the usual spacing and than the other long gaps.
fn gaps(cx: &mut Ctx<'_>) {
    let cfg = cx.cfg;
    let ds = cx.ds;
    let mut per: Vec<Vec<usize>> = vec![Vec::new(); ds.files.len()];
    for (i, e) in ds.events.iter().enumerate() {
        if let Some(v) = per.get_mut(e.src.file as usize) {
            v.push(i);
        }
    }
    for list in per {
        if list.len() < 20 {
            continue;
        }
        let mut g: Vec<(i64, usize)> = list
            .windows(2)
            .enumerate()
            .map(|(k, w)| (cx.ev(w[1]).time - cx.ev(w[0]).time, k))
            .collect();
        let mut sorted: Vec<i64> = g.iter().map(|x| x.0).collect();
        sorted.sort_unstable();
        let median = sorted[sorted.len() / 2].max(1);
        // The usual long gaps (nights, weekends): a gap must be at least twice the second
        // longest, so a pattern of similar long gaps never fires.
        let second = sorted[sorted.len().saturating_sub(2)];
        let thr = (median.saturating_mul(cfg.gap_median_factor))
            .max(cfg.gap_min_hours * HOUR)
            .max(second.saturating_mul(2));
        // A source that is silent on weekends: weekend time inside a gap is not missing logging.
        // Day 0 (1970-01-01) was a Thursday: (days + 3) mod 7 is 0 for Monday … 5, 6 for the weekend.
        let weekend = |t: i64| (t.div_euclid(86_400 * time::NS) + 3).rem_euclid(7) >= 5;
        let weekend_events = list.iter().filter(|&&i| weekend(cx.ev(i).time)).count();
        let weekday_only = weekend_events * 20 < list.len(); // under 5 % of the events
        g.retain(|&(len, k)| {
            let mut effective = len;
            if weekday_only {
                let (a, b) = (cx.ev(list[k]).time, cx.ev(list[k + 1]).time);
                let day = 86_400 * time::NS;
                let mut d = a.div_euclid(day);
                while d <= b.div_euclid(day) {
                    if (d + 3).rem_euclid(7) >= 5 {
                        let (lo, hi) = ((d * day).max(a), ((d + 1) * day).min(b));
                        effective -= (hi - lo).max(0);
                    }
                    d += 1;
                }
            }
            effective > thr
        });
        for (len, k) in g {
            let ev = [list[k], list[k + 1]];
            let f = cx.finding(
                "AL-071",
                Severity::Medium,
                &ev,
                Vec::new(),
                Vec::new(),
                format!(
                    "no events in {} for {} (median spacing {}) between {} and {}",
                    ds.files[cx.ev(list[k]).src.file as usize].summary.path,
                    human_duration(len),
                    human_duration(median),
                    time::format_rfc3339_ms(cx.ev(list[k]).time),
                    time::format_rfc3339_ms(cx.ev(list[k + 1]).time)
                ),
            );
            cx.out.push(f);
        }
    }
}

/// AL-060: key creation after a suspicious login, and key use from a new network or after revocation.
fn key_lifecycle(cx: &mut Ctx<'_>, susp: &[usize], st: &State) {
    key_creation(cx, susp, st);
    key_use(cx);
}

/// The key ids and names an event creates or revokes (its credential-like targets).
fn key_syms(ds: &Dataset, e: &Event) -> Vec<Sym> {
    let mut v = Vec::new();
    for t in ds.targets_of(e) {
        let k = ds.str(t.kind).to_ascii_lowercase();
        if ["key", "token", "credential", "secret"]
            .iter()
            .any(|w| k.contains(w))
        {
            v.extend([t.id, t.name].into_iter().filter(|s| s.is_some()));
        }
    }
    v
}

/// AL-060: a created key used from a network its creator never used, or used after revocation.
fn key_use(cx: &mut Ctx<'_>) {
    let ds = cx.ds;
    let cfg = cx.cfg;
    // key → (creator, create event); key → revoke event.
    let mut created: HashMap<Sym, (Sym, usize)> = HashMap::new();
    let mut revoked: HashMap<Sym, usize> = HashMap::new();
    let mut nets: HashMap<Sym, HashSet<u128>> = HashMap::new();
    // (key, reason) → evidence; in order of first occurrence.
    let mut hits: HashMap<(Sym, bool), Vec<usize>> = HashMap::new();
    let mut order: Vec<(Sym, bool)> = Vec::new();
    for i in 0..ds.events.len() {
        let e = cx.ev(i);
        if e.outcome == Outcome::Failure {
            continue;
        }
        let c = cx.class[i];
        // A use: the event's credential, or an API-key actor, names a created key.
        let used = [
            e.credential,
            if e.actor_kind == PrincipalKind::ApiKey {
                e.actor_name
            } else {
                Sym::NONE
            },
            if e.actor_kind == PrincipalKind::ApiKey {
                e.actor_id
            } else {
                Sym::NONE
            },
        ]
        .into_iter()
        .find(|k| k.is_some() && created.contains_key(k));
        if let Some(k) = used {
            let (creator, ci) = created[&k];
            let after_revoke = revoked.get(&k).is_some_and(|&r| cx.ev(r).time <= e.time);
            let new_net = e.src_ip.is_some_and(|ip| {
                nets.get(&creator)
                    .is_some_and(|n| !n.contains(&net_of(ip, cfg)))
            });
            if after_revoke || new_net {
                let key = (k, after_revoke);
                let v = hits.entry(key).or_default();
                if v.is_empty() {
                    order.push(key);
                    v.push(ci);
                    if let Some(&r) = revoked.get(&k) {
                        if after_revoke {
                            v.push(r);
                        }
                    }
                }
                v.push(i);
            }
        }
        if e.actor_verified && cx.actor[i].is_some() && e.actor_kind != PrincipalKind::ApiKey {
            if let Some(ip) = e.src_ip {
                nets.entry(cx.actor[i]).or_default().insert(net_of(ip, cfg));
            }
        }
        if c & C_KEY_CREATE != 0 {
            for k in key_syms(ds, e) {
                created.entry(k).or_insert((cx.actor[i], i));
            }
        } else if c & C_KEY_REVOKE != 0 {
            for k in key_syms(ds, e) {
                revoked.entry(k).or_insert(i);
            }
        }
    }
    for key in order {
        let ev = &hits[&key];
        let (creator, _) = created[&key.0];
        let who = cx.name(creator);
        let kname = cx.name(key.0);
        let uses = ev.len() - if key.1 { 2 } else { 1 };
        let ips: Vec<String> = ev
            .iter()
            .skip(1)
            .filter_map(|&i| cx.ev(i).src_ip.map(|x| x.to_string()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let explanation = if key.1 {
            format!(
                "key {kname} (created by {who}) used {} after it was revoked",
                plural(uses, "time", "times")
            )
        } else {
            format!(
                "key {kname} created by {who} used {} from {}, never used by {who}",
                plural(uses, "time", "times"),
                ips.join(", ")
            )
        };
        let f = cx.finding(
            "AL-060",
            Severity::High,
            ev,
            vec![who.clone()],
            vec![kname],
            explanation,
        );
        cx.out.push(f);
    }
}

/// AL-060: keys created right after a suspicious login or from a network new for the creator.
fn key_creation(cx: &mut Ctx<'_>, susp: &[usize], st: &State) {
    let cfg = cx.cfg;
    let ds = cx.ds;
    let w = cfg.key_after_login_minutes * MIN;
    let mut susp_by_actor: HashMap<Sym, Vec<usize>> = HashMap::new();
    for &s in susp {
        susp_by_actor.entry(cx.actor[s]).or_default().push(s);
    }
    for i in 0..ds.events.len() {
        if cx.class[i] & C_KEY_CREATE == 0 || cx.ev(i).outcome == Outcome::Failure {
            continue;
        }
        let e = cx.ev(i);
        let a = cx.actor[i];
        let login = susp_by_actor.get(&a).and_then(|l| {
            l.iter()
                .rev()
                .copied()
                .find(|&s| cx.ev(s).time <= e.time && e.time - cx.ev(s).time <= w)
        });
        let new_ip = st.new_net.contains(&i);
        if login.is_none() && !new_ip {
            continue;
        }
        let who = cx.name(a);
        let targets = cx.target_names(&[i]);
        let mut ev = vec![i];
        let why = match login {
            Some(s) => {
                ev.push(s);
                format!(
                    "{} after a suspicious login{}",
                    span_text(e.time - cx.ev(s).time),
                    cx.ev(s)
                        .src_ip
                        .map(|ip| format!(" from {ip}"))
                        .unwrap_or_default()
                )
            }
            None => format!(
                "from {}, a network new for {who}",
                e.src_ip.map(|i| i.to_string()).unwrap_or_default()
            ),
        };
        let f = cx.finding(
            "AL-060",
            Severity::High,
            &ev,
            vec![who.clone()],
            targets.clone(),
            format!(
                "{} {} by {who} {why}",
                ds.str(e.action),
                if targets.is_empty() {
                    String::new()
                } else {
                    targets.join(", ")
                }
            ),
        );
        cx.out.push(f);
    }
}

/// AL-080: suspicious login → credential → grant → destruction within the window, one actor.
fn chain(cx: &mut Ctx<'_>, susp: &[usize], st: &State) {
    let cfg = cx.cfg;
    let ds = cx.ds;
    let w = cfg.chain_minutes * MIN;
    let by_actor = |list: &[usize]| {
        let mut m: HashMap<Sym, Vec<usize>> = HashMap::new();
        for &i in list {
            m.entry(cx.actor[i]).or_default().push(i);
        }
        m
    };
    let creds: Vec<usize> = (0..ds.events.len())
        .filter(|&i| {
            let e = cx.ev(i);
            e.outcome != Outcome::Failure
                && (cx.class[i] & C_KEY_CREATE != 0
                    || (e.category == Category::Credential && e.activity == Activity::Create))
        })
        .collect();
    let creds = by_actor(&creds);
    let grants = by_actor(&st.grants);
    let destr = by_actor(&st.destruct);
    let mut done: HashSet<Sym> = HashSet::new();
    for &s in susp {
        let a = cx.actor[s];
        if a.is_none() || done.contains(&a) {
            continue;
        }
        let t0 = cx.ev(s).time;
        let next = |m: &HashMap<Sym, Vec<usize>>, after: i64| -> Option<usize> {
            m.get(&a)?
                .iter()
                .copied()
                .find(|&j| cx.ev(j).time >= after && cx.ev(j).time <= t0 + w)
        };
        let Some(c) = next(&creds, t0) else { continue };
        let Some(g) = next(&grants, cx.ev(c).time) else {
            continue;
        };
        let Some(d) = next(&destr, cx.ev(g).time) else {
            continue;
        };
        done.insert(a);
        let who = cx.name(a);
        let ev = [s, c, g, d];
        let steps: Vec<String> = ev
            .iter()
            .map(|&i| ds.str(cx.ev(i).action).to_string())
            .collect();
        let f = cx.finding(
            "AL-080",
            Severity::Critical,
            &ev,
            vec![who.clone()],
            cx.target_names(&ev[1..]),
            format!(
                "{who}: {} within {}{}",
                steps.join(" → "),
                span_text(cx.ev(d).time - t0),
                cx.ev(s)
                    .src_ip
                    .map(|ip| format!(" from {ip}"))
                    .unwrap_or_default()
            ),
        );
        cx.out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_mark_dense_runs_only() {
        let t: Vec<i64> = [0, 1, 2, 3, 100, 101, 102, 103, 104, 500]
            .iter()
            .map(|x| x * MIN)
            .collect();
        assert_eq!(bursts(&t, 5 * MIN, 4), vec![(0, 4), (4, 9)]);
        assert_eq!(bursts(&t, 5 * MIN, 5), vec![(4, 9)]);
        assert!(bursts(&t, 5 * MIN, 6).is_empty());
    }

    #[test]
    fn tokens_split_camel_and_separators() {
        assert_eq!(tokens("DeactivateMFADevice"), ["deactivate", "mfadevice"]);
        assert_eq!(tokens("auth.totp_disabled"), ["auth", "totp", "disabled"]);
    }

    #[test]
    fn ua_families() {
        assert_eq!(
            ua_family("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36"),
            "chrome/windows"
        );
        assert_eq!(
            ua_family("aws-cli/2.15.0 Python/3.11 Linux/6.1"),
            "aws-cli/linux"
        );
        assert_eq!(ua_family("curl/8.4.0"), "curl");
    }

    #[test]
    fn config_defaults_from_partial_json() {
        let c: Config = serde_json::from_str(r#"{"brute_force_count": 5}"#).unwrap();
        assert_eq!(c.brute_force_count, 5);
        assert_eq!(c.deletion_count, 20);
    }

    #[test]
    fn every_rule_is_documented() {
        for r in rules() {
            assert!(
                !r.doc.what.is_empty() && !r.doc.next_steps.is_empty(),
                "{}",
                r.id
            );
        }
    }
}
