//! GitHub organisation / enterprise audit log.
//!
//! Recognised by a dotted `action` (`repo.create`) with an integer-or-text `@timestamp` or
//! `created_at`, plus the usual companions (`actor`, `org`, `actor_location`, `_document_id`).
//! Containers: the export/API JSON array, streaming NDJSON, and CSV exports (nested `data`
//! flattened into cells; the mapper reads the same names).
//!
//! Mapping:
//! - time `@timestamp` (epoch ms), else `created_at` (epoch ms, or text in CSV exports). The two
//!   can disagree (one record of the real export does, by 13 minutes); `@timestamp` is the
//!   event's own time and wins, `created_at` stays in the raw record.
//! - action `action` verbatim; uid `_document_id`; correlation `request_id`.
//! - actor `actor` / `actor_id`; bots (`[bot]` suffix, `actor_is_bot`) → service account, the
//!   `github` actor → system; a record without an actor (an anonymous `git.clone` of a public
//!   repository) → anonymous. `hashed_token` (else `token_id`) → credential, with
//!   `programmatic_access_type` and `token_scopes` kept for search.
//! - source `actor_ip` (present only when IP disclosure is enabled), `user_agent`, country
//!   `actor_location.country_code`; tenant `org`, else `business`.
//! - targets: `user`, `repo`/`repository`, `team` (also `data.team`), hook, integration,
//!   ruleset, pull request, and the repositories of `repositories_added_names`/`_removed_names`.
//! - category: `operation_type` `access` → data access and `authentication` → authentication;
//!   otherwise the prefix table of the design notes (A.7.2); the generic action tokens last.
//!   Activity from the verb that leads the action (`delete_workflow_run` → delete,
//!   `add_member` → create), else `operation_type` (create/modify/remove/restore/transfer/
//!   access); member-permission updates are assignments.
//! - outcome: GitHub has no outcome field, so the outcome is unknown — except for actions that
//!   record a refusal (`protected_branch.rejected_ref_update`, `*.request_denied`, `*.rejected`),
//!   which are authorization failures.
//!
//! Quirks: `events` is an array of strings in some records and of objects in others (kept as
//! text); some records lack `org`; strings may contain literal `\u003e` escapes (kept verbatim).

use super::{any_text, set_time, text, Ctx, Format};
use crate::json::Val;
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The GitHub audit log format.
pub struct GitHub;

impl Format for GitHub {
    fn id(&self) -> &'static str {
        "github"
    }
    fn name(&self) -> &'static str {
        "GitHub audit log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("github", "audit")
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let Some(action) = text(rec.get("action")) else {
            return 0;
        };
        // GitHub actions are `namespace.verb` with lower-case snake case.
        let dotted = action.contains('.')
            && !action.starts_with('.')
            && action
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'.');
        let time = rec.get("@timestamp").or_else(|| rec.get("created_at"));
        if !dotted || time.is_none() {
            return 0;
        }
        let mut s = 55;
        for (k, w) in [
            ("actor", 10),
            ("actor_location", 12),
            ("org", 8),
            ("_document_id", 10),
            ("business", 8),
            ("operation_type", 6),
            ("actor_id", 5),
            ("repo", 4),
            ("user", 3),
            ("data", 3),
        ] {
            if rec.get(k).is_some() {
                s += w;
            }
        }
        // Other products with a dotted action and a created_at (oCore's `createdAt` is camel case).
        if rec.get("eventType").is_some() || rec.get("resourceType").is_some() {
            return 0;
        }
        s.min(95)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        set_time(d, rec, &["@timestamp", "created_at"], ctx)?;
        d.action = text(rec.get("action"));
        let action = d.action.clone().unwrap_or_default();
        d.uid = text(rec.get("_document_id"));
        d.correlation = text(rec.get("request_id"));

        // Actor.
        d.actor_name = text(rec.get("actor"));
        d.actor_id = text(rec.get("actor_id")).filter(|s| s != "0");
        let bot = rec.get("actor_is_bot").and_then(|v| v.as_bool()) == Some(true);
        d.actor_kind = Some(match d.actor_name.as_deref() {
            Some(n) if n.ends_with("[bot]") || bot => PrincipalKind::ServiceAccount,
            Some("github") => PrincipalKind::System,
            Some(_) => PrincipalKind::User,
            None if d.actor_id.is_none() && action.starts_with("git.") => PrincipalKind::Anonymous,
            None => PrincipalKind::Unknown,
        });
        d.credential = text(rec.get("hashed_token")).or_else(|| text(rec.get("token_id")));
        for k in [
            "programmatic_access_type",
            "token_scopes",
            "permission",
            "old_permission",
            "visibility",
        ] {
            if let Some(t) = text(rec.get(k)) {
                d.text.push(t);
            }
        }

        d.src = text(rec.get("actor_ip"));
        d.user_agent = text(rec.get("user_agent"));
        d.country = text(rec.path("actor_location.country_code"));
        d.tenant = text(rec.get("org")).or_else(|| text(rec.get("business")));

        // Targets.
        d.target(
            Some("user".into()),
            text(rec.get("user_id")).filter(|s| s != "0"),
            text(rec.get("user")),
        );
        let repo = text(rec.get("repo")).or_else(|| text(rec.get("repository")));
        d.target(Some("repo".into()), text(rec.get("repo_id")), repo);
        let team = text(rec.get("team")).or_else(|| text(rec.path("data.team")));
        d.target(Some("team".into()), None, team);
        d.target(Some("hook".into()), text(rec.get("hook_id")), None);
        d.target(
            Some("integration".into()),
            None,
            text(rec.get("integration")),
        );
        d.target(
            Some("ruleset".into()),
            text(rec.get("ruleset_id")),
            text(rec.get("ruleset_name")),
        );
        d.target(
            Some("pull_request".into()),
            text(rec.get("pull_request_id")),
            text(rec.get("pull_request_title")),
        );
        for k in ["repositories_added_names", "repositories_removed_names"] {
            if let Some(a) = rec.get(k) {
                for r in a.elements() {
                    d.target(Some("repo".into()), None, text(Some(r)));
                }
            }
        }
        for k in ["data", "events", "name"] {
            if let Some(t) = any_text(rec.get(k)) {
                d.text.push(t);
            }
        }

        // Category and activity.
        let op = text(rec.get("operation_type"));
        let op = op.as_deref();
        d.category = match op {
            Some("access") => Some((Category::DataAccess, "github:operation_type")),
            Some("authentication") => Some((Category::Authentication, "github:operation_type")),
            _ => None,
        }
        .or_else(|| category(&action).map(|c| (c, "github:action_prefix")));
        d.activity = activity(&action).map(|a| (a, "github:action")).or_else(|| {
            op.and_then(op_activity)
                .map(|a| (a, "github:operation_type"))
        });

        // Outcome.
        d.outcome = Some(if refusal(&action) {
            (
                Outcome::Failure,
                FailureKind::AuthZ,
                "github:refusal_action",
            )
        } else {
            (
                Outcome::Unknown,
                FailureKind::None,
                "github:no_outcome_field",
            )
        });
        Ok(())
    }
}

fn refusal(a: &str) -> bool {
    a == "protected_branch.rejected_ref_update"
        || a.ends_with(".request_denied")
        || a.ends_with(".rejected")
        || a.ends_with(".deny")
        || a.ends_with("_denied")
}

fn op_activity(op: &str) -> Option<Activity> {
    Some(match op {
        "create" => Activity::Create,
        "modify" | "update" | "transfer" | "restore" => Activity::Update,
        "remove" => Activity::Delete,
        "access" => Activity::Read,
        "authentication" => Activity::Logon,
        _ => return None,
    })
}

/// Verbs the operation type and the tokens would get wrong.
fn activity(a: &str) -> Option<Activity> {
    Some(match a {
        "org.update_member"
        | "business.update_member"
        | "team.promote_maintainer"
        | "business.add_admin"
        | "enterprise.add_admin"
        | "repo.update_member"
        | "team.update_repository_permission" => Activity::Assign,
        "team.demote_maintainer" | "business.remove_admin" => Activity::Revoke,
        "git.clone"
        | "git.fetch"
        | "repo.download_zip"
        | "org.audit_log_export"
        | "org.audit_log_git_event_export" => Activity::Read,
        "git.push" => Activity::Update,
        "user.login" => Activity::Logon,
        "user.logout" => Activity::Logoff,
        _ => {
            // `namespace.verb_object`: the verb leads (`delete_workflow_run`, `add_member`).
            let verb = a.split_once('.').map_or("", |x| x.1);
            match verb.split('_').next().unwrap_or("") {
                "create" | "add" | "invite" => Activity::Create,
                "delete" | "destroy" | "remove" => Activity::Delete,
                "update" | "change" | "rename" | "transfer" | "merge" | "edit" => Activity::Update,
                "enable" | "enabled" => Activity::Enable,
                "disable" | "disabled" => Activity::Disable,
                "revoke" => Activity::Revoke,
                _ => return None,
            }
        }
    })
}

/// The prefix table of the design notes (A.7.2), most specific first.
fn category(a: &str) -> Option<Category> {
    let (ns, verb) = a.split_once('.').unwrap_or((a, ""));
    Some(match ns {
        "oauth_authorization"
        | "oauth_access"
        | "personal_access_token"
        | "public_key"
        | "deploy_key"
        | "ssh_certificate_authority"
        | "ssh_certificate_requirement"
        | "org_credential_authorization"
        | "two_factor_authentication"
        | "passkey"
        | "user_license" => Category::Credential,
        "hook"
        | "audit_log_streaming"
        | "protected_branch"
        | "repository_ruleset"
        | "required_status_check"
        | "repository_vulnerability_alerts"
        | "repository_vulnerability_alert"
        | "secret_scanning"
        | "secret_scanning_alert"
        | "secret_scanning_push_protection"
        | "integration_installation"
        | "oauth_application"
        | "ip_allow_list"
        | "ip_allow_list_entry"
        | "org_secret_scanning_custom_pattern"
        | "dependabot_alerts"
        | "dependabot_security_updates"
        | "organization_default_label"
        | "environment"
        | "codeql"
        | "actions" => Category::Configuration,
        "team" => Category::Identity,
        "git" => {
            if verb == "push" {
                Category::Resource
            } else {
                Category::DataAccess
            }
        }
        "org" | "business" | "enterprise" | "repo" => {
            if verb.contains("two_factor")
                || verb.contains("saml")
                || verb.contains("oauth_app")
                || verb.contains("sso")
            {
                Category::Configuration
            } else if verb.contains("member")
                || verb.contains("admin")
                || verb.contains("collaborator")
                || verb.contains("invite")
                || verb.contains("owner")
                || verb.contains("role")
            {
                Category::Identity
            } else if verb.starts_with("audit_log") || verb == "download_zip" {
                Category::DataAccess
            } else if ns == "repo" {
                if verb == "access"
                    || verb.contains("visibility")
                    || verb.contains("setting")
                    || verb.starts_with("actions_")
                {
                    Category::Configuration
                } else {
                    Category::Resource
                }
            } else {
                Category::Configuration
            }
        }
        "user" if verb == "login" || verb == "logout" || verb.starts_with("failed_login") => {
            Category::Authentication
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
        assert!(GitHub.sniff(doc.root(), &Ctx::default()) >= 70, "sniff");
        let mut d = Draft::default();
        GitHub
            .map(doc.root(), &Ctx::default(), &mut d)
            .expect("maps");
        crate::derive::apply(&mut d, GitHub.completed_log());
        d
    }

    #[test]
    fn old_style_created_at_epoch_ms_and_no_outcome() {
        let d = map(
            r#"{"actor":"octo","data":{"team":"Acme/admins"},"org":"Acme","created_at":1611618266125,"action":"team.add_member","actor_location":{"country_code":"US"},"user":"hubot"}"#,
        );
        assert_eq!(d.time.map(|t| t.nanos), Some(1_611_618_266_125_000_000));
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Unknown));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Identity));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Create));
        assert_eq!(d.tenant.as_deref(), Some("Acme"));
        assert_eq!(d.country.as_deref(), Some("US"));
        let kinds: Vec<_> = d
            .targets
            .iter()
            .map(|t| t.0.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(kinds, vec!["user", "team"]);
    }

    #[test]
    fn at_timestamp_wins_when_it_disagrees_with_created_at() {
        let d = map(
            r#"{"@timestamp":1674454040515,"created_at":1674454840535,"action":"hook.create","actor":"octo","org":"Acme","events":[{"test":"yes"}],"hook_id":7}"#,
        );
        assert_eq!(d.time.map(|t| t.nanos), Some(1_674_454_040_515_000_000));
        assert_eq!(d.time_raw.as_deref(), Some("1674454040515"));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Configuration));
        assert!(
            d.text.iter().any(|t| t.contains("\"test\"")),
            "events objects kept as text"
        );
        let d = map(
            r#"{"@timestamp":1674454840535,"action":"hook.create","actor":"octo","org":"Acme","events":["push"]}"#,
        );
        assert!(
            d.text.iter().any(|t| t.contains("push")),
            "events strings kept as text"
        );
    }

    #[test]
    fn streaming_record_with_token_ip_and_document_id() {
        let d = map(
            r#"{"@timestamp":1695226401262,"_document_id":"doc-1","action":"git.clone","actor":"dev","actor_ip":"81.2.69.144","actor_location":{"country_code":"US"},"business":"biz","hashed_token":"abc=","org":"acme","programmatic_access_type":"OAuth access token","repo":"acme/r","repository":"acme/r","user_agent":"git/2.39","user_id":0}"#,
        );
        assert_eq!(d.uid.as_deref(), Some("doc-1"));
        assert_eq!(d.credential.as_deref(), Some("abc="));
        assert_eq!(d.src.as_deref(), Some("81.2.69.144"));
        assert_eq!(d.user_agent.as_deref(), Some("git/2.39"));
        assert_eq!(d.category.map(|c| c.0), Some(Category::DataAccess));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Read));
        assert_eq!(
            d.targets.len(),
            1,
            "user_id 0 and an empty user are no target"
        );
    }

    #[test]
    fn anonymous_clone_and_bot_actor() {
        let d = map(
            r#"{"@timestamp":1692989148721,"action":"git.clone","business":"biz","org":"acme","repo":"acme/4","repository_public":true,"user_id":0}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::Anonymous));
        let d = map(
            r#"{"@timestamp":1655872622832,"action":"git.clone","actor":"github-actions[bot]","actor_location":{"country_code":"US"},"org":"x","repo":"x/y"}"#,
        );
        assert_eq!(d.actor_kind, Some(PrincipalKind::ServiceAccount));
    }

    #[test]
    fn refusals_are_authz_failures() {
        let d = map(
            r#"{"actor":"dev","org":"acme","repo":"acme/r","created_at":1611618266125,"action":"protected_branch.rejected_ref_update","actor_location":{"country_code":"US"}}"#,
        );
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthZ))
        );
        let d = map(
            r#"{"actor":"dev","org":"acme","created_at":1611618266125,"action":"personal_access_token.request_denied"}"#,
        );
        assert_eq!(
            d.outcome.map(|o| (o.0, o.1)),
            Some((Outcome::Failure, FailureKind::AuthZ))
        );
        assert_eq!(d.category.map(|c| c.0), Some(Category::Credential));
    }

    #[test]
    fn operation_type_and_member_permission_update() {
        let d = map(
            r#"{"@timestamp":1692655003441,"_document_id":"d","action":"org.update_member","actor":"admin","operation_type":"modify","org":"acme","permission":"admin","user":"dev","user_id":45}"#,
        );
        assert_eq!(d.category.map(|c| c.0), Some(Category::Identity));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Assign));
        assert_eq!(d.targets[0].1.as_deref(), Some("45"));
        let d = map(
            r#"{"@timestamp":1692655003441,"action":"integration_installation.repositories_removed","actor":"admin","operation_type":"remove","org":"acme","repositories_removed_names":["acme/25"]}"#,
        );
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Delete));
        assert_eq!(d.targets[0].2.as_deref(), Some("acme/25"));
        let d = map(
            r#"{"@timestamp":1,"action":"repo.access","actor":"a","org":"acme","operation_type":"access"}"#,
        );
        assert_eq!(
            d.category.map(|c| c.0),
            Some(Category::DataAccess),
            "operation_type access wins"
        );
    }

    #[test]
    fn leading_verb_decides_the_activity() {
        let d = map(
            r#"{"actor":"dev","data":{"workflow_run_id":1},"org":"acme","repo":"acme/r","created_at":1614296047285,"action":"workflows.delete_workflow_run"}"#,
        );
        assert_eq!(
            d.activity.map(|a| a.0),
            Some(Activity::Delete),
            "not `run` → create"
        );
        let d = map(
            r#"{"actor":"dev","org":"acme","repo":"acme/r","created_at":1614296047285,"action":"pull_request.merge"}"#,
        );
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Update));
    }

    #[test]
    fn sniff_is_specific() {
        let s = |j: &str| {
            GitHub.sniff(
                Doc::parse(j.as_bytes()).expect("json").root(),
                &Ctx::default(),
            )
        };
        assert_eq!(
            s(r#"{"action":"dlgsess","timestamp":"2025-01-01T00:00:00Z"}"#),
            0
        );
        assert_eq!(s(r#"{"action":"user_login","date_create":1521214343}"#), 0);
        assert_eq!(
            s(r#"{"action":{"type":"login"},"when":"2021-01-01T00:00:00Z"}"#),
            0
        );
        assert!(
            s(r#"{"action":"repo.create","created_at":1611618266125,"actor":"a","org":"o"}"#) >= 70
        );
    }
}
