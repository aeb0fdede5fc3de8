//! Source formats: one module per product, each with how it is recognised ([`Format::sniff`]),
//! how its fields map to the normalized [`Draft`] ([`Format::map`]), and its quirks.
//!
//! Every record reaches a mapper as a JSON value: JSON input as-is; CSV rows as an object
//! synthesized from the header (cells holding JSON are embedded as JSON); double-encoded
//! records (`_raw`, `CloudTrailEvent`) already decoded. So one mapper serves a product's JSON
//! and CSV exports alike.

use std::borrow::Cow;

use crate::json::{Kind, Val};
use crate::model::Draft;
use crate::time::{self, Ts};

pub mod auth0;
pub mod aws_s3_csv;
pub mod azure_activity;
pub mod bitbucket;
pub mod cloudflare;
pub mod cloudtrail;
pub mod entra_audit;
pub mod entra_signin;
pub mod gcp;
pub mod generic;
pub mod github;
pub mod gworkspace;
pub mod kubernetes;
pub mod m365;
pub mod ocore;
pub mod okta;
pub mod onepassword;
pub mod ops0;
pub mod opsknight;
pub mod slack;
pub mod vendore;

/// What a mapper knows about the file a record came from.
#[derive(Debug, Clone, Default)]
pub struct Ctx<'c> {
    /// The file name as given.
    pub file_name: &'c str,
    /// The wrapper key the records sat under (`items`, `logs`, `Records`), if any.
    pub wrapper: Option<&'c str>,
    /// The records came from CSV rows.
    pub from_csv: bool,
    /// Seconds east of UTC assumed for zone-less times (when `zone` is not set).
    pub assumed_offset: i32,
    /// Zone assumed for zone-less times (an IANA zone with DST rules); wins over `assumed_offset`.
    pub zone: Option<&'c time::Zone>,
    /// Explicit field → column mapping for the generic mapper (`time=When`).
    pub mapping: &'c [(String, String)],
}

/// A source format.
pub trait Format: Sync {
    /// Stable id (`ocore`, `cloudtrail`), used in output, queries (`format:`) and Sigma logsources.
    fn id(&self) -> &'static str;
    /// Human name.
    fn name(&self) -> &'static str;
    /// Sigma logsource (product, service) this format answers to.
    fn logsource(&self) -> (&'static str, &'static str) {
        (self.id(), "audit")
    }
    /// The source records only completed actions: an event without a failure signal succeeded.
    fn completed_log(&self) -> bool {
        false
    }
    /// How sure we are that `rec` is of this format: 0 = not at all; 100 = certain.
    fn sniff(&self, rec: Val<'_, '_>, ctx: &Ctx) -> u32;
    /// Maps one record. An `Err` rejects the record with that reason.
    fn map<'a>(&self, rec: Val<'_, 'a>, ctx: &Ctx, d: &mut Draft<'a>) -> Result<(), String>;
}

/// Every format, most specific first. The generic mapper is last and always applies.
pub fn all() -> &'static [&'static dyn Format] {
    static ALL: &[&dyn Format] = &[
        &ocore::Ocore,
        &ops0::Ops0,
        &opsknight::OpsKnight,
        &vendore::VendorE,
        &cloudtrail::CloudTrail,
        &aws_s3_csv::AwsS3Csv,
        &gcp::Gcp,
        &kubernetes::Kubernetes,
        &azure_activity::AzureActivity,
        &entra_signin::EntraSignin,
        &entra_audit::EntraAudit,
        &m365::M365,
        &okta::Okta,
        &github::GitHub,
        &gworkspace::GWorkspace,
        &onepassword::OnePassword,
        &cloudflare::Cloudflare,
        &slack::Slack,
        &auth0::Auth0,
        &bitbucket::Bitbucket,
        &generic::Generic,
    ];
    ALL
}

/// Index of a format by id.
pub fn index_of(id: &str) -> Option<usize> {
    all().iter().position(|f| f.id() == id)
}

/// The generic format's index.
pub fn generic_index() -> usize {
    all().len() - 1
}

/// Picks the best format for a single record: (index, score).
pub fn best_for(rec: Val<'_, '_>, ctx: &Ctx) -> (usize, u32) {
    let mut best = (generic_index(), 0);
    for (i, f) in all().iter().enumerate() {
        let s = f.sniff(rec, ctx);
        if s > best.1 {
            best = (i, s);
        }
    }
    best
}

// ---- helpers shared by mappers -------------------------------------------------------------

/// Scalar text of a value, trimmed, `None` when empty, null or a container.
pub fn text<'a>(v: Option<Val<'_, 'a>>) -> Option<Cow<'a, str>> {
    let t = v?.as_text()?;
    let tr = t.trim();
    if tr.is_empty() {
        return None;
    }
    if tr.len() == t.len() {
        Some(t)
    } else {
        Some(Cow::Owned(tr.to_string()))
    }
}

/// Text of a value of any kind: scalars as text, containers as their raw JSON.
pub fn any_text<'a>(v: Option<Val<'_, 'a>>) -> Option<Cow<'a, str>> {
    let v = v?;
    match v.kind() {
        Kind::Obj | Kind::Arr => {
            if v.is_empty() {
                None
            } else {
                std::str::from_utf8(v.raw()).ok().map(Cow::Borrowed)
            }
        }
        _ => text(Some(v)),
    }
}

/// The first of several dotted paths with a non-empty scalar value.
pub fn first<'a>(rec: Val<'_, 'a>, paths: &[&str]) -> Option<Cow<'a, str>> {
    paths.iter().find_map(|p| text(rec.path(p)))
}

/// Loose lookup by folded names (`ipaddress` matches `ipAddress`, `IP Address`, `ip_address`).
pub fn loose<'d, 'a>(rec: Val<'d, 'a>, folded: &[&str]) -> Option<Val<'d, 'a>> {
    folded
        .iter()
        .find_map(|n| rec.get_folded(n).filter(|v| !v.is_null()))
}

/// Loose lookup returning non-empty scalar text.
pub fn loose_text<'a>(rec: Val<'_, 'a>, folded: &[&str]) -> Option<Cow<'a, str>> {
    folded.iter().find_map(|n| text(rec.get_folded(n)))
}

/// Does the object have a member with this folded name?
pub fn has_loose(rec: Val<'_, '_>, folded: &str) -> bool {
    rec.get_folded(folded).is_some()
}

/// Parses a time value (string or epoch number).
pub fn parse_time(v: Val<'_, '_>, ctx: &Ctx) -> Option<Ts> {
    match v.kind() {
        // Integer literals exactly (epoch ms × 10⁶ overflows f64's 53-bit mantissa).
        Kind::Num => std::str::from_utf8(v.raw())
            .ok()
            .and_then(time::parse_epoch_str)
            .or_else(|| time::from_epoch_f64(v.as_f64()?)),
        Kind::Str => match ctx.zone {
            Some(z) => time::parse_timestamp_zone(&v.as_str()?, z),
            None => time::parse_timestamp_in(&v.as_str()?, ctx.assumed_offset),
        },
        _ => None,
    }
}

/// Sets the draft's time from the first candidate path that parses; errors name the fields.
pub fn set_time<'a>(
    d: &mut Draft<'a>,
    rec: Val<'_, 'a>,
    paths: &[&str],
    ctx: &Ctx,
) -> Result<(), String> {
    for p in paths {
        if let Some(v) = rec.path(p).filter(|v| !v.is_null()) {
            if let Some(ts) = parse_time(v, ctx) {
                d.time = Some(ts);
                d.time_raw = any_text(Some(v));
                return Ok(());
            }
            return Err(format!("unreadable timestamp in {p}: {}", short(v.raw())));
        }
    }
    Err(format!("no timestamp (looked for {})", paths.join(", ")))
}

/// Like [`set_time`] with loose (folded) names.
pub fn set_time_loose<'a>(
    d: &mut Draft<'a>,
    rec: Val<'_, 'a>,
    folded: &[&str],
    ctx: &Ctx,
) -> Result<(), String> {
    for n in folded {
        if let Some(v) = rec.get_folded(n).filter(|v| !v.is_null() && !v.is_empty()) {
            if let Some(ts) = parse_time(v, ctx) {
                d.time = Some(ts);
                d.time_raw = any_text(Some(v));
                return Ok(());
            }
            return Err(format!("unreadable timestamp in {n}: {}", short(v.raw())));
        }
    }
    Err(format!("no timestamp (looked for {})", folded.join(", ")))
}

/// A short printable excerpt of raw bytes for error messages.
pub fn short(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// Lower-cased comparison helper.
pub fn eq_ci(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Counts how many of the folded names the object has.
pub fn count_loose(rec: Val<'_, '_>, folded: &[&str]) -> usize {
    folded
        .iter()
        .filter(|n| rec.get_folded(n).is_some())
        .count()
}
