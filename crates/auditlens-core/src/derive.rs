//! Generic derivation of category, activity and outcome from an action string.
//!
//! Mappers set what their format states explicitly (a status column, a category label, a
//! per-format action table); whatever is left is derived here from the action's tokens, and
//! every value records the id of the rule that produced it (shown as "why" in the UI and the
//! report). See the design notes, A.4.

use crate::model::{Activity, Category, Draft, FailureKind, Outcome};

/// Splits an action into lower-case tokens on `.`, `_`, `-`, `/`, `:`, spaces and camelCase.
pub fn tokens(action: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = action.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn has(t: &[String], words: &[&str]) -> bool {
    t.iter().any(|x| words.contains(&x.as_str()))
}

fn has_pair(t: &[String], a: &str, b: &[&str]) -> bool {
    t.windows(2)
        .any(|w| w[0] == a && b.contains(&w[1].as_str()))
}

const AUTH_WORDS: &[&str] = &[
    "login",
    "logon",
    "signin",
    "logout",
    "logoff",
    "signout",
    "authenticate",
    "authentication",
    "authenticated",
    "session",
    "sso",
    "loggedin",
    "loggedout",
];
const CRED_WORDS: &[&str] = &[
    "password",
    "passwords",
    "mfa",
    "totp",
    "otp",
    "factor",
    "passkey",
    "webauthn",
    "apikey",
    "token",
    "tokens",
    "accesskey",
    "secret",
    "secrets",
    "credential",
    "credentials",
    "certificate",
    "certificates",
    "2fa",
    "twofactor",
    "key",
    "keys",
];
const CHANGE_VERBS: &[&str] = &[
    "create",
    "created",
    "add",
    "added",
    "delete",
    "deleted",
    "remove",
    "removed",
    "enable",
    "enabled",
    "disable",
    "disabled",
    "register",
    "registered",
    "reset",
    "change",
    "changed",
    "update",
    "updated",
    "rotate",
    "rotated",
    "revoke",
    "revoked",
    "deactivate",
    "deactivated",
    "activate",
    "activated",
    "cleared",
    "set",
    "requested",
    "completed",
    "new",
    "generate",
    "generated",
    "issue",
    "issued",
    "destroy",
    "expire",
    "expired",
];
const IDENTITY_WORDS: &[&str] = &[
    "user",
    "users",
    "member",
    "members",
    "membership",
    "group",
    "groups",
    "team",
    "teams",
    "role",
    "roles",
    "permission",
    "permissions",
    "privilege",
    "privileges",
    "invite",
    "invited",
    "invitation",
    "account",
    "admin",
    "owner",
    "collaborator",
    "serviceaccount",
];
const CONFIG_WORDS: &[&str] = &[
    "setting",
    "settings",
    "config",
    "configuration",
    "policy",
    "policies",
    "audit",
    "log",
    "logs",
    "logging",
    "trail",
    "sink",
    "retention",
    "webhook",
    "hook",
    "hooks",
    "integration",
    "oidc",
    "saml",
    "org",
    "organization",
    "selector",
    "selectors",
    "detector",
    "rule",
    "rules",
    "encryption",
    "streaming",
    "domain",
    "zone",
];
const READ_VERBS: &[&str] = &[
    "get",
    "list",
    "describe",
    "read",
    "view",
    "viewed",
    "download",
    "downloaded",
    "export",
    "exported",
    "search",
    "lookup",
    "query",
    "accessed",
    "access",
    "clone",
    "fetch",
    "head",
    "preview",
    "previewed",
    "retrieve",
    "batch",
];

/// Category from action tokens.
pub fn category(t: &[String]) -> (Category, &'static str) {
    let cred = has(t, CRED_WORDS)
        || has_pair(t, "api", &["key", "keys"])
        || has_pair(t, "access", &["key", "keys"]);
    let auth = has(t, AUTH_WORDS)
        || has_pair(t, "sign", &["in", "out"])
        || has_pair(t, "log", &["in", "out"]);
    if cred && (has(t, CHANGE_VERBS) || !auth) {
        return (Category::Credential, "action_tokens:credential");
    }
    if auth {
        return (Category::Authentication, "action_tokens:authentication");
    }
    if has(t, IDENTITY_WORDS) {
        return (Category::Identity, "action_tokens:identity");
    }
    if has(t, CONFIG_WORDS) {
        return (Category::Configuration, "action_tokens:configuration");
    }
    if t.first().is_some_and(|f| READ_VERBS.contains(&f.as_str()))
        || t.last().is_some_and(|f| READ_VERBS.contains(&f.as_str()))
    {
        return (Category::DataAccess, "action_tokens:read_verb");
    }
    (Category::Resource, "action_tokens:default_resource")
}

/// Activity from action tokens (the last verb-like token wins over earlier ones).
pub fn activity(t: &[String]) -> (Activity, &'static str) {
    let mut found = None;
    for w in t {
        let a = match w.as_str() {
            "login" | "logon" | "signin" | "loggedin" | "authenticate" | "authenticated" => {
                Activity::Logon
            }
            "logout" | "logoff" | "signout" | "loggedout" => Activity::Logoff,
            "grant" | "granted" | "assign" | "assigned" | "attach" | "attached" | "promote"
            | "promoted" | "bind" | "escalate" => Activity::Assign,
            "revoke" | "revoked" | "detach" | "detached" | "unassign" | "unassigned" | "demote" => {
                Activity::Revoke
            }
            "create" | "created" | "add" | "added" | "new" | "invite" | "invited" | "register"
            | "registered" | "put" | "insert" | "upload" | "uploaded" | "run" | "launch"
            | "generate" | "generated" | "issue" | "issued" | "joined" | "copy" => Activity::Create,
            "delete" | "deleted" | "remove" | "removed" | "destroy" | "destroyed" | "drop"
            | "dropped" | "purge" | "purged" | "terminate" | "terminated" | "neutralized"
            | "deletecollection" | "del" => Activity::Delete,
            "disable" | "disabled" | "deactivate" | "deactivated" | "suspend" | "suspended"
            | "stop" | "stopped" | "block" | "blocked" => Activity::Disable,
            "enable" | "enabled" | "activate" | "activated" | "start" | "started" | "resume"
            | "reactivated" | "unblock" => Activity::Enable,
            "update" | "updated" | "modify" | "modified" | "change" | "changed" | "set"
            | "edit" | "edited" | "rotate" | "rotated" | "patch" | "reset" | "rename"
            | "transfer" | "replace" | "restore" | "restored" | "rolled" | "move" => {
                Activity::Update
            }
            "get" | "list" | "describe" | "read" | "view" | "viewed" | "download"
            | "downloaded" | "export" | "exported" | "search" | "lookup" | "query" | "accessed"
            | "clone" | "watch" | "fetch" | "retrieve" => Activity::Read,
            _ => continue,
        };
        found = Some(a);
        if matches!(a, Activity::Logon | Activity::Logoff) {
            break;
        }
    }
    match found {
        Some(Activity::Update) if has(t, &["role", "roles", "privilege", "permission"]) => {
            (Activity::Assign, "action_tokens:role_change")
        }
        Some(a) => (a, "action_tokens:verb"),
        None => (Activity::Other, "action_tokens:none"),
    }
}

/// Outcome from action tokens, when the action itself says so.
pub fn outcome(t: &[String]) -> Option<(Outcome, FailureKind, &'static str)> {
    let auth = has(t, AUTH_WORDS) || has(t, &["password", "otp", "totp", "mfa", "signin", "sign"]);
    for w in t {
        match w.as_str() {
            "failed" | "failure" | "fail" | "failures" | "error" | "errored" => {
                let k = if auth {
                    FailureKind::AuthN
                } else {
                    FailureKind::Operation
                };
                return Some((Outcome::Failure, k, "action_tokens:failed"));
            }
            "denied" | "forbidden" | "unauthorized" | "violation" | "rejected" | "refused" => {
                return Some((Outcome::Failure, FailureKind::AuthZ, "action_tokens:denied"));
            }
            "blocked" | "exceeded" | "locked" | "lockout" => {
                let k = if auth {
                    FailureKind::AuthN
                } else {
                    FailureKind::AuthZ
                };
                return Some((Outcome::Failure, k, "action_tokens:blocked"));
            }
            "throttled" | "ratelimited" => {
                return Some((
                    Outcome::Failure,
                    FailureKind::Throttled,
                    "action_tokens:throttled",
                ))
            }
            "success" | "succeeded" | "successful" => {
                return Some((Outcome::Success, FailureKind::None, "action_tokens:success"))
            }
            _ => {}
        }
    }
    None
}

/// The token rules' verdicts for one action string.
#[derive(Clone, Copy, Debug)]
struct Rules {
    category: (Category, &'static str),
    activity: (Activity, &'static str),
    outcome: Option<(Outcome, FailureKind, &'static str)>,
}

fn rules(action: &str) -> Rules {
    let t = tokens(action);
    Rules {
        category: category(&t),
        activity: activity(&t),
        outcome: outcome(&t),
    }
}

/// Caches the token rules per action string: actions repeat, tokenizing every record is waste.
#[derive(Debug, Default)]
pub struct Cache {
    map: hashbrown::HashMap<String, Rules>,
}

impl Cache {
    /// [`apply`] with memoized token rules.
    pub fn apply(&mut self, d: &mut Draft<'_>, completed_log: bool) {
        let action = d.action.as_deref().unwrap_or("");
        let r = match self.map.get(action) {
            Some(r) => *r,
            None => {
                let r = rules(action);
                if self.map.len() < 65_536 {
                    self.map.insert(action.to_string(), r);
                }
                r
            }
        };
        apply_rules(d, completed_log, r);
    }
}

/// Fills what the mapper left unset. `completed_log`: the source only records completed
/// actions, so an event without a failure signal is taken as a success (and says so).
pub fn apply(d: &mut Draft<'_>, completed_log: bool) {
    let r = rules(d.action.as_deref().unwrap_or(""));
    apply_rules(d, completed_log, r);
}

fn apply_rules(d: &mut Draft<'_>, completed_log: bool, r: Rules) {
    if d.category.is_none() {
        d.category = Some(r.category);
    }
    if d.activity.is_none() {
        d.activity = Some(r.activity);
    }
    if d.outcome.is_none() {
        d.outcome = r.outcome.or(if completed_log {
            Some((
                Outcome::Success,
                FailureKind::None,
                "assumed_success_completed_action_log",
            ))
        } else {
            Some((Outcome::Unknown, FailureKind::None, "no_outcome_signal"))
        });
    }
    if let Some((Outcome::Failure, _, _)) = d.outcome {
        if matches!(d.category, Some((Category::Authentication, _))) && d.actor_kind.is_none() {
            d.actor_unverified = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<String> {
        tokens(s)
    }

    #[test]
    fn tokenizes_styles() {
        assert_eq!(t("auth.login_failed"), vec!["auth", "login", "failed"]);
        assert_eq!(t("ConsoleLogin"), vec!["console", "login"]);
        assert_eq!(t("CreateAccessKey"), vec!["create", "access", "key"]);
        assert_eq!(t("LOGIN_FAILED"), vec!["login", "failed"]);
        assert_eq!(
            t("Sign-in attempts exceeded"),
            vec!["sign", "in", "attempts", "exceeded"]
        );
        assert_eq!(
            t("MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE"),
            vec!["microsoft", "compute", "virtualmachines", "delete"]
        );
        assert_eq!(t("getHTTPResponse"), vec!["get", "http", "response"]);
    }

    #[test]
    fn categories() {
        let c = |s: &str| category(&t(s)).0;
        assert_eq!(c("auth.login"), Category::Authentication);
        assert_eq!(c("auth.login_failed"), Category::Authentication);
        assert_eq!(c("auth.totp_disabled"), Category::Credential);
        assert_eq!(c("auth.password_changed"), Category::Credential);
        assert_eq!(c("api_key.created"), Category::Credential);
        assert_eq!(c("member.role_changed"), Category::Identity);
        assert_eq!(c("webhook_endpoint.deleted"), Category::Configuration);
        assert_eq!(c("org.settings_updated"), Category::Configuration);
        assert_eq!(c("database.dropped"), Category::Resource);
        assert_eq!(c("ListBuckets"), Category::DataAccess);
        assert_eq!(
            c("user.authentication.auth_via_mfa"),
            Category::Authentication
        );
        assert_eq!(c("LOGOUT"), Category::Authentication);
        assert_eq!(c("session.revoked_all"), Category::Authentication);
    }

    #[test]
    fn activities_and_outcomes() {
        let a = |s: &str| activity(&t(s)).0;
        assert_eq!(a("instance.deleted"), Activity::Delete);
        assert_eq!(a("member.role_changed"), Activity::Assign);
        assert_eq!(a("auth.login_failed"), Activity::Logon);
        assert_eq!(a("auth.totp_disabled"), Activity::Disable);
        assert_eq!(a("api_key.revoked"), Activity::Revoke);
        let o = |s: &str| outcome(&t(s)).map(|x| (x.0, x.1));
        assert_eq!(
            o("auth.login_failed"),
            Some((Outcome::Failure, FailureKind::AuthN))
        );
        assert_eq!(
            o("deployment.failed"),
            Some((Outcome::Failure, FailureKind::Operation))
        );
        assert_eq!(
            o("policy.violation"),
            Some((Outcome::Failure, FailureKind::AuthZ))
        );
        assert_eq!(
            o("LOGIN_BLOCKED"),
            Some((Outcome::Failure, FailureKind::AuthN))
        );
        assert_eq!(
            o("LOGIN_SUCCESS"),
            Some((Outcome::Success, FailureKind::None))
        );
        assert_eq!(o("instance.created"), None);
    }

    #[test]
    fn apply_marks_assumed_success() {
        let mut d = Draft {
            action: Some("instance.created".into()),
            ..Default::default()
        };
        apply(&mut d, true);
        assert_eq!(d.outcome.unwrap().2, "assumed_success_completed_action_log");
        let mut d = Draft {
            action: Some("auth.login_failed".into()),
            ..Default::default()
        };
        apply(&mut d, true);
        assert_eq!(d.outcome.unwrap().0, Outcome::Failure);
        assert!(d.actor_unverified);
    }
}
