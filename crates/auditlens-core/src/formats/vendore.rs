//! Vendor E audit log (seed 004): human category labels instead of action names.
//!
//! Columns: Time (local offset), Category ("Password failure", "Sign-in attempts exceeded",
//! "Resource delete", "Access token create", …), Email (+ user id), IP address, User agent,
//! and a JSON detail naming the resource. The label is the action; a label table gives
//! category, activity and outcome, matched case-insensitively; unknown labels fall back to the
//! generic token rules.

use super::{any_text, first, loose, loose_text, set_time_loose, Ctx, Format};
use crate::json::{Kind, Val};
use crate::model::{Activity, Category, Draft, FailureKind, Outcome, PrincipalKind};

/// The vendor E format.
pub struct VendorE;

type Label = (&'static str, Category, Activity, Outcome, FailureKind);

const LABELS: &[Label] = &[
    (
        "resource list",
        Category::DataAccess,
        Activity::Read,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "resource read",
        Category::DataAccess,
        Activity::Read,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "resource create",
        Category::Resource,
        Activity::Create,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "resource update",
        Category::Resource,
        Activity::Update,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "resource delete",
        Category::Resource,
        Activity::Delete,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "user create",
        Category::Identity,
        Activity::Create,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "user update",
        Category::Identity,
        Activity::Update,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "user delete",
        Category::Identity,
        Activity::Delete,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "profile update",
        Category::Identity,
        Activity::Update,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "password change",
        Category::Credential,
        Activity::Update,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "user invite started",
        Category::Identity,
        Activity::Create,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "user invite completed",
        Category::Identity,
        Activity::Create,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "user role create",
        Category::Identity,
        Activity::Create,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "user role update",
        Category::Identity,
        Activity::Assign,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "user role delete",
        Category::Identity,
        Activity::Delete,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "sign-in success",
        Category::Authentication,
        Activity::Logon,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "sign-out",
        Category::Authentication,
        Activity::Logoff,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "password failure",
        Category::Authentication,
        Activity::Logon,
        Outcome::Failure,
        FailureKind::AuthN,
    ),
    (
        "otp failure",
        Category::Authentication,
        Activity::Logon,
        Outcome::Failure,
        FailureKind::AuthN,
    ),
    (
        "sign-in attempts exceeded",
        Category::Authentication,
        Activity::Logon,
        Outcome::Failure,
        FailureKind::AuthN,
    ),
    (
        "oauth sign-in success",
        Category::Authentication,
        Activity::Logon,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "password reset started",
        Category::Credential,
        Activity::Update,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "password reset completed",
        Category::Credential,
        Activity::Update,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "session refresh",
        Category::Authentication,
        Activity::Other,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "access token create",
        Category::Credential,
        Activity::Create,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "access token read",
        Category::Credential,
        Activity::Read,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "access token delete",
        Category::Credential,
        Activity::Delete,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "notice read",
        Category::DataAccess,
        Activity::Read,
        Outcome::Success,
        FailureKind::None,
    ),
    (
        "notice list read",
        Category::DataAccess,
        Activity::Read,
        Outcome::Success,
        FailureKind::None,
    ),
];

/// Looks up a category label.
pub fn label(l: &str) -> Option<&'static Label> {
    let l = l.trim();
    LABELS
        .iter()
        .find(|x| x.0.eq_ignore_ascii_case(l) || x.0.replace('-', " ").eq_ignore_ascii_case(l))
}

impl Format for VendorE {
    fn id(&self) -> &'static str {
        "vendore"
    }
    fn name(&self) -> &'static str {
        "Vendor E audit log (category labels)"
    }
    fn completed_log(&self) -> bool {
        true
    }
    fn sniff(&self, rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        let Some(cat) = loose_text(rec, &["category"]) else {
            return 0;
        };
        if rec.get_folded("action").is_some() {
            return 0;
        }
        let base = if label(&cat).is_some() { 85 } else { 30 };
        let has = |n: &str| rec.get_folded(n).is_some();
        let mut s = base;
        for k in ["email", "ipaddress", "useragent", "time"] {
            if has(k) {
                s += 3;
            }
        }
        s.min(97)
    }

    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String> {
        set_time_loose(d, rec, &["time", "timestamp", "date"], ctx)?;
        let cat = loose_text(rec, &["category"]);
        if let Some(l) = cat.as_deref().and_then(label) {
            d.category = Some((l.1, "vendore:label"));
            d.activity = Some((l.2, "vendore:label"));
            d.outcome = Some((l.3, l.4, "vendore:label"));
            if l.3 == Outcome::Failure {
                d.actor_unverified = true;
            }
        }
        d.action = cat;
        d.actor_name = loose_text(rec, &["email", "user", "useremail"]);
        d.actor_id = loose_text(rec, &["userid"]);
        d.actor_kind = Some(if d.actor_name.is_some() || d.actor_id.is_some() {
            PrincipalKind::User
        } else {
            PrincipalKind::System
        });
        d.src = loose_text(rec, &["ipaddress", "ip"]);
        d.user_agent = loose_text(rec, &["useragent"]);
        d.uid = loose_text(rec, &["id", "eventid"]);
        if let Some(det) = loose(rec, &["detail", "details", "jsondetail"]) {
            if det.kind() == Kind::Obj {
                let res = det
                    .get("resource")
                    .filter(|r| r.kind() == Kind::Obj)
                    .unwrap_or(det);
                d.target(
                    first(res, &["type", "resourceType", "kind"]),
                    first(res, &["id", "resourceId"]),
                    first(res, &["name", "resourceName"]),
                );
                d.reason = first(det, &["reason", "error"]);
                d.before = any_text(det.get("before"));
                d.after = any_text(det.get("after"));
            }
            if let Some(t) = any_text(Some(det)) {
                d.text.push(t);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Doc;

    fn map(src: &str) -> Draft<'_> {
        let doc = Box::leak(Box::new(Doc::parse(src.as_bytes()).unwrap()));
        let mut d = Draft::default();
        VendorE.map(doc.root(), &Ctx::default(), &mut d).unwrap();
        crate::derive::apply(&mut d, true);
        d
    }

    #[test]
    fn labels_drive_outcome_and_local_offset_is_applied() {
        let d = map(
            r#"{"Time":"2026-02-03T09:15:22+09:00","Category":"Sign-in attempts exceeded","Email":"kim@example.com","User ID":"u9","IP address":"198.51.100.7","User agent":"Mozilla/5.0","Detail":{}}"#,
        );
        assert_eq!(d.outcome.unwrap().0, Outcome::Failure);
        assert_eq!(d.category.unwrap().0, Category::Authentication);
        assert_eq!(
            crate::time::format_rfc3339_ms(d.time.unwrap().nanos),
            "2026-02-03T00:15:22.000Z"
        );
        assert_eq!(d.time.unwrap().flags, 0);
    }

    #[test]
    fn resource_delete_names_its_target() {
        let d = map(
            r#"{"Time":"2026-02-03T09:15:22+09:00","Category":"resource DELETE","Email":"kim@example.com","Detail":{"resource":{"type":"vm","id":"vm-1","name":"db-prod"}}}"#,
        );
        assert_eq!(d.activity.unwrap().0, Activity::Delete);
        assert_eq!(d.targets[0].2.as_deref(), Some("db-prod"));
    }

    #[test]
    fn unknown_label_falls_back_to_tokens() {
        let d = map(
            r#"{"Time":"2026-02-03T09:15:22Z","Category":"Webhook delete","Email":"kim@example.com"}"#,
        );
        assert_eq!(d.category.unwrap().0, Category::Configuration);
        assert_eq!(d.activity.unwrap().0, Activity::Delete);
    }
}
