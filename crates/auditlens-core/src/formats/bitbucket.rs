//! Bitbucket Server / Data Center audit log (`atlassian-bitbucket-audit.log`).
//!
//! A headerless text log, one event per line, fields separated by ` | `:
//! `ip(s) | event | user | epoch-ms | project/repo | JSON details | request id | session`,
//! with `-` for an empty field (the IP field can hold a comma-separated proxy chain).
//!
//! Recognised positionally: a record with 7–9 columns whose second is an event class name
//! (`RepositoryCreatedEvent`) and whose fourth is a 13-digit epoch in milliseconds. Fields
//! are read by position, not by name, because the file has no header.
//!
//! **Limitation (container):** the CSV reader treats the first line of a delimited file as
//! its header, so today the first event of such a file becomes the column names and is not
//! loaded (ingest reports one record fewer than the file has lines). Loading it needs a
//! container hook for headerless delimited text (a format that claims the first line as
//! data); the mapping here is already positional, so it would apply unchanged.
//!
//! Mapping: time column 4 (epoch ms); action column 2 verbatim; actor column 3 (`-` → none;
//! unauthenticated events such as a login carry no user); source column 1 (first IP of the
//! chain; the chain kept as text); target column 5 (`PROJECT/key` → project, else the
//! repository `project/repo`); the JSON details (column 6) kept as text and as the "after"
//! state; correlation the request id (column 7); the session id (column 8) kept as text.
//! Category/activity from the event class (`User*` → identity, `*Login*` → authentication,
//! `RestrictedRef*`/`*Permission*` → configuration, `Repository*`/`Project*` → resource) and
//! its verb; the log records completed actions (success).

use std::borrow::Cow;

use super::{any_text, text, Ctx, Format};
use crate::json::Val;
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The Bitbucket audit log format.
pub struct Bitbucket;

fn cols<'d, 'a>(rec: Val<'d, 'a>) -> Vec<Val<'d, 'a>> {
    rec.entries().map(|(_, v)| v).collect()
}

fn is_event_class(s: &str) -> bool {
    s.len() > 5
        && s.ends_with("Event")
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.bytes().all(|c| c.is_ascii_alphanumeric())
}

fn is_epoch_ms(s: &str) -> bool {
    s.len() == 13 && s.bytes().all(|c| c.is_ascii_digit())
}

/// Placeholder-aware text: `-` means empty.
fn field<'a>(v: Option<&Val<'_, 'a>>) -> Option<Cow<'a, str>> {
    text(v.copied()).filter(|s| s != "-")
}

impl Format for Bitbucket {
    fn id(&self) -> &'static str {
        "bitbucket"
    }
    fn name(&self) -> &'static str {
        "Bitbucket Server audit log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("bitbucket", "audit")
    }
    fn completed_log(&self) -> bool {
        true
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let c = cols(rec);
        if !(7..=9).contains(&c.len()) {
            return 0;
        }
        let ev = text(c.get(1).copied());
        let ts = text(c.get(3).copied());
        match (ev, ts) {
            (Some(e), Some(t)) if is_event_class(&e) && is_epoch_ms(&t) => 90,
            _ => 0,
        }
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, _ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        let c = cols(rec);
        if c.len() < 4 {
            return Err(format!(
                "expected 8 ` | `-separated fields, found {}",
                c.len()
            ));
        }
        let t = field(c.get(3)).ok_or("no epoch-ms time in field 4")?;
        d.time = Some(
            crate::time::parse_epoch_str(&t)
                .ok_or_else(|| format!("unreadable time in field 4: {t}"))?,
        );
        d.time_raw = Some(t);
        d.action = field(c.get(1));
        let action = d.action.clone().unwrap_or_default();
        d.actor_name = field(c.get(2));
        d.actor_kind = Some(if d.actor_name.is_some() {
            PrincipalKind::User
        } else {
            PrincipalKind::Unknown
        });
        if let Some(ips) = field(c.first()) {
            if ips.contains(',') {
                d.text.push(ips.clone());
            }
            d.src = Some(Cow::Owned(
                ips.split(',').next().unwrap_or("").trim().to_string(),
            ));
        }
        if let Some(obj) = field(c.get(4)) {
            let (kind, name) = match obj.split_once('/') {
                Some(("PROJECT", key)) => ("project", Cow::Owned(key.to_string())),
                _ => ("repository", obj.clone()),
            };
            d.target(Some(kind.into()), None, Some(name));
        }
        if let Some(det) = c.get(5).filter(|v| v.kind() != crate::json::Kind::Str) {
            d.after = any_text(Some(*det));
            if let Some(t) = any_text(Some(*det)) {
                d.text.push(t);
            }
        } else if let Some(t) = field(c.get(5)) {
            d.text.push(t);
        }
        d.correlation = field(c.get(6));
        if let Some(s) = field(c.get(7)) {
            d.text.push(s);
        }

        const RULE: &str = "bitbucket:event_class";
        let has = |w: &str| action.contains(w);
        let cat = if has("Login")
            || has("Logout")
            || has("LoggedIn")
            || has("LoggedOut")
            || has("Authentication")
        {
            Category::Authentication
        } else if has("AccessToken") || has("SshKey") || has("GpgKey") || has("Password") {
            Category::Credential
        } else if has("Permission")
            || has("RestrictedRef")
            || has("BranchPermission")
            || has("Settings")
            || has("Hook")
        {
            Category::Configuration
        } else if has("User") || has("Group") {
            Category::Identity
        } else {
            Category::Resource
        };
        d.category = Some((cat, RULE));
        let act = if has("LoggedIn") || has("LoginSucceeded") {
            Some(Activity::Logon)
        } else if has("LoggedOut") || has("Logout") {
            Some(Activity::Logoff)
        } else if has("PermissionGranted") {
            Some(Activity::Assign)
        } else if has("PermissionRevoked") {
            Some(Activity::Revoke)
        } else {
            None
        };
        if let Some(a) = act {
            d.activity = Some((a, RULE));
        }
        if has("Failed") || has("Failure") {
            d.outcome = Some((
                Outcome::Failure,
                if cat == Category::Authentication {
                    FailureKind::AuthN
                } else {
                    FailureKind::Operation
                },
                RULE,
            ));
            if cat == Category::Authentication {
                d.actor_unverified = true;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn row(cells: &[&str]) -> String {
        // The shape the CSV container synthesizes: keys from the header, values by position.
        let mut s = String::from("{");
        for (k, c) in cells.iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            if c.trim_start().starts_with('{') {
                s.push_str(&format!("\"c{k}\":{c}"));
            } else {
                s.push_str(&format!(
                    "\"c{k}\":{}",
                    serde_json::Value::String((*c).to_string())
                ));
            }
        }
        s.push('}');
        s
    }

    fn map(src: String) -> Draft<'static> {
        let src: &'static str = Box::leak(src.into_boxed_str());
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).expect("json")));
        let ctx = Ctx {
            from_csv: true,
            ..Default::default()
        };
        assert_eq!(Bitbucket.sniff(doc.root(), &ctx), 90);
        let mut d = Draft::default();
        Bitbucket.map(doc.root(), &ctx, &mut d).expect("maps");
        crate::derive::apply(&mut d, Bitbucket.completed_log());
        d
    }

    #[test]
    fn repository_created_with_ip_chain_and_details() {
        let d = map(row(&[
            "63.246.22.199,172.16.1.187 ",
            " RepositoryCreatedEvent ",
            " jsmith ",
            " 1400681373433 ",
            " PROJECT/myproject ",
            r#"{"id":2,"name":"my-repo"}"#,
            " @8KJQAG ",
            " tmpqqw",
        ]));
        assert_eq!(d.time.map(|t| t.nanos), Some(1_400_681_373_433_000_000));
        assert_eq!(d.action.as_deref(), Some("RepositoryCreatedEvent"));
        assert_eq!(d.src.as_deref(), Some("63.246.22.199"));
        assert_eq!(d.actor_name.as_deref(), Some("jsmith"));
        assert_eq!(
            d.targets[0],
            (Some("project".into()), None, Some("myproject".into()))
        );
        assert_eq!(d.category.map(|c| c.0), Some(Category::Resource));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Create));
        assert_eq!(d.outcome.map(|o| o.0), Some(Outcome::Success));
        assert_eq!(d.correlation.as_deref(), Some("@8KJQAG"));
        assert!(d.after.as_deref().is_some_and(|a| a.contains("my-repo")));
    }

    #[test]
    fn placeholders_and_login() {
        let d = map(row(&[
            "10.1.1.100 ",
            " UserLoggedInEvent ",
            " - ",
            " 1400681410000 ",
            " - ",
            " - ",
            " - ",
            " -",
        ]));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Authentication));
        assert_eq!(d.activity.map(|a| a.0), Some(Activity::Logon));
        assert!(d.actor_name.is_none() && d.targets.is_empty() && d.correlation.is_none());
        let d = map(row(&[
            "::1 ",
            " RestrictedRefAddedEvent ",
            " admin ",
            " 1400681361906 ",
            " BITBUCKET/bitbucket ",
            r#"{"id":1}"#,
            " @x ",
            " s",
        ]));
        assert_eq!(d.category.map(|c| c.0), Some(Category::Configuration));
        assert_eq!(d.targets[0].0.as_deref(), Some("repository"));
    }

    #[test]
    fn sniff_needs_event_class_and_epoch_ms_in_place() {
        let ctx = Ctx {
            from_csv: true,
            ..Default::default()
        };
        let s = |j: String| Bitbucket.sniff(Doc::parse(j.as_bytes()).expect("json").root(), &ctx);
        assert_eq!(s(row(&["a", "b", "c", "d", "e", "f", "g", "h"])), 0);
        assert_eq!(
            s(row(&[
                "1.2.3.4",
                "UserCreatedEvent",
                "admin",
                "1400681400000"
            ])),
            0,
            "too few columns"
        );
    }
}
