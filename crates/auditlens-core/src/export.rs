//! Exports of normalized events for the next tool: NDJSON, CSV (formula-safe), OCSF 1.3 JSON,
//! ECS NDJSON for an Elasticsearch/OpenSearch `_bulk` import, and Timesketch JSONL.
//!
//! Every export is deterministic: the same events in the same order give the same bytes.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::ingest::{event_key, Dataset};
use crate::model::{Activity, Category, Event, FailureKind, Outcome, PrincipalKind};
use crate::time::{self, Zone, NS};

/// The OCSF schema version the OCSF export follows.
pub const OCSF_VERSION: &str = "1.3.0";
/// The ECS version the ECS export follows.
pub const ECS_VERSION: &str = "8.11.0";
/// The index the ECS `_bulk` action lines name by default.
pub const ECS_DEFAULT_INDEX: &str = "auditlens";

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// One normalized event (the `ingest --ndjson` shape) per line.
    Ndjson,
    /// One header row and one row per event; formula prefixes neutralized.
    Csv,
    /// A JSON array of OCSF events (Authentication, Account Change, User Access Management,
    /// API Activity), each with `raw_data`.
    Ocsf,
    /// Elasticsearch/OpenSearch `_bulk` body: an action line and an ECS document per event.
    Ecs,
    /// Timesketch JSONL: `message`, `datetime`, `timestamp_desc` and attributes.
    Timesketch,
}

impl ExportKind {
    /// Every kind, in documentation order.
    pub const ALL: [ExportKind; 5] = [
        ExportKind::Ndjson,
        ExportKind::Csv,
        ExportKind::Ocsf,
        ExportKind::Ecs,
        ExportKind::Timesketch,
    ];

    /// Parses `ndjson`, `csv`, `ocsf`, `ecs`, `timesketch`.
    pub fn parse(s: &str) -> Result<ExportKind, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "ndjson" | "jsonl" => ExportKind::Ndjson,
            "csv" => ExportKind::Csv,
            "ocsf" => ExportKind::Ocsf,
            "ecs" | "elastic" | "opensearch" => ExportKind::Ecs,
            "timesketch" => ExportKind::Timesketch,
            _ => {
                return Err(format!(
                    "unknown export format {s:?} (known: ndjson, csv, ocsf, ecs, timesketch)"
                ))
            }
        })
    }

    /// The format's name.
    pub fn name(self) -> &'static str {
        match self {
            ExportKind::Ndjson => "ndjson",
            ExportKind::Csv => "csv",
            ExportKind::Ocsf => "ocsf",
            ExportKind::Ecs => "ecs",
            ExportKind::Timesketch => "timesketch",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportKind::Ndjson => "ndjson",
            ExportKind::Csv => "csv",
            ExportKind::Ocsf => "ocsf.json",
            ExportKind::Ecs => "ecs.ndjson",
            ExportKind::Timesketch => "timesketch.jsonl",
        }
    }

    /// The MIME type for a download.
    pub fn mime(self) -> &'static str {
        match self {
            ExportKind::Csv => "text/csv;charset=utf-8",
            ExportKind::Ocsf => "application/json",
            _ => "application/x-ndjson",
        }
    }
}

/// Export settings.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Zone for the human time columns (CSV `time_local`, Timesketch `datetime`).
    pub zone: Zone,
    /// Index named in the ECS `_bulk` action lines.
    pub ecs_index: String,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            zone: Zone::default(),
            ecs_index: ECS_DEFAULT_INDEX.to_string(),
        }
    }
}

/// Writes the events at `positions` (indices into `ds.events`, in the order given).
pub fn write(
    ds: &Dataset,
    positions: impl IntoIterator<Item = usize>,
    kind: ExportKind,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut it = positions.into_iter().filter_map(|p| ds.events.get(p));
    match kind {
        ExportKind::Ndjson => {
            for e in it {
                serde_json::to_writer(&mut *out, &ds.event_json(e))?;
                out.write_all(b"\n")?;
            }
        }
        ExportKind::Csv => {
            write_csv_row(out, CSV_COLUMNS.iter().copied())?;
            for e in it {
                let row = csv_row(ds, e, &opts.zone);
                write_csv_row(out, row.iter().map(String::as_str))?;
            }
        }
        ExportKind::Ocsf => {
            out.write_all(b"[")?;
            let mut first = true;
            for e in it.by_ref() {
                out.write_all(if first { b"\n" } else { b",\n" })?;
                first = false;
                serde_json::to_writer(&mut *out, &ocsf_event(ds, e))?;
            }
            out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
        }
        ExportKind::Ecs => {
            for e in it {
                let f = &ds.files[e.src.file as usize].summary;
                let action = json!({"create": {"_index": opts.ecs_index, "_id": event_key(f, e)}});
                serde_json::to_writer(&mut *out, &action)?;
                out.write_all(b"\n")?;
                serde_json::to_writer(&mut *out, &ecs_event(ds, e))?;
                out.write_all(b"\n")?;
            }
        }
        ExportKind::Timesketch => {
            for e in it {
                serde_json::to_writer(&mut *out, &timesketch_event(ds, e, &opts.zone))?;
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

/// The export as a string (for the page and tests).
pub fn to_string(
    ds: &Dataset,
    positions: impl IntoIterator<Item = usize>,
    kind: ExportKind,
    opts: &ExportOptions,
) -> String {
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(ds, positions, kind, opts, &mut buf);
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A writer into memory that refuses to grow past a cap.
struct Capped {
    buf: Vec<u8>,
    cap: usize,
}

impl Write for Capped {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        if self.buf.len() + b.len() > self.cap {
            return Err(io::Error::other("cap"));
        }
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// [`to_string`], refusing (with a message saying what to do) an export larger than `cap` bytes:
/// the page's strings and downloads cannot hold gigabytes.
pub fn to_string_capped(
    ds: &Dataset,
    positions: impl IntoIterator<Item = usize>,
    kind: ExportKind,
    opts: &ExportOptions,
    cap: usize,
) -> Result<String, String> {
    let mut w = Capped {
        buf: Vec::new(),
        cap,
    };
    let mut n = 0usize;
    let counted = positions.into_iter().inspect(|_| n += 1);
    if write(ds, counted, kind, opts, &mut w).is_err() {
        return Err(format!(
            "the {} export is larger than {} MiB after {n} events: too large to build in the browser; narrow the query (or the time range), or export with the command line (auditlens export --to {})",
            kind.name(),
            cap >> 20,
            kind.name()
        ));
    }
    String::from_utf8(w.buf).map_err(|e| e.to_string())
}

/// RFC 3339 with milliseconds and the zone's offset at that instant (`Z` for UTC).
pub fn rfc3339_in(nanos: i64, zone: &Zone) -> String {
    let off = zone.offset_at(nanos);
    if off == 0 {
        return time::format_rfc3339_ms(nanos);
    }
    let local = nanos + i64::from(off) * NS;
    let mut s = time::format_rfc3339_ms(local);
    s.pop(); // the Z
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    s.push_str(&format!("{sign}{:02}:{:02}", a / 3600, a / 60 % 60));
    s
}

// ---------------------------------------------------------------------------------------------
// CSV

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 30] = [
    "time",
    "time_local",
    "time_raw",
    "action",
    "service",
    "category",
    "activity",
    "outcome",
    "failure",
    "status_code",
    "reason",
    "actor_name",
    "actor_id",
    "actor_kind",
    "credential",
    "mfa",
    "src_ip",
    "src_raw",
    "user_agent",
    "country",
    "targets",
    "tenant",
    "region",
    "uid",
    "correlation",
    "duplicates",
    "file",
    "format",
    "record",
    "key",
];

fn csv_row(ds: &Dataset, e: &Event, zone: &Zone) -> Vec<String> {
    let s = |x| ds.strings.opt(x).unwrap_or("").to_string();
    let f = &ds.files[e.src.file as usize].summary;
    vec![
        time::format_rfc3339_ms(e.time),
        rfc3339_in(e.time, zone),
        ds.time_raw(e).unwrap_or("").to_string(),
        s(e.action),
        s(e.service),
        e.category.name().to_string(),
        e.activity.name().to_string(),
        e.outcome.name().to_string(),
        if e.failure == FailureKind::None {
            String::new()
        } else {
            e.failure.name().to_string()
        },
        s(e.status_code),
        s(e.reason),
        s(e.actor_name),
        s(e.actor_id),
        e.actor_kind.name().to_string(),
        s(e.credential),
        e.mfa.map(|m| m.to_string()).unwrap_or_default(),
        e.src_ip.map(|i| i.to_string()).unwrap_or_default(),
        s(e.src_raw),
        s(e.user_agent),
        s(e.country),
        targets_text(ds, e),
        s(e.tenant),
        s(e.region),
        ds.text(e, e.uid).unwrap_or("").to_string(),
        s(e.correlation),
        e.dups.to_string(),
        f.path.clone(),
        ds.format_of(e).id().to_string(),
        e.src.record.to_string(),
        event_key(f, e),
    ]
}

/// `type:name (id); …` for an event's targets.
pub fn targets_text(ds: &Dataset, e: &Event) -> String {
    let mut out = String::new();
    for t in ds.targets_of(e) {
        if !out.is_empty() {
            out.push_str("; ");
        }
        let (k, id, name) = (
            ds.strings.opt(t.kind),
            ds.strings.opt(t.id),
            ds.strings.opt(t.name),
        );
        if let Some(k) = k {
            out.push_str(k);
            out.push(':');
        }
        match (name, id) {
            (Some(n), Some(i)) if n != i => {
                out.push_str(n);
                out.push_str(" (");
                out.push_str(i);
                out.push(')');
            }
            (Some(n), _) => out.push_str(n),
            (None, Some(i)) => out.push_str(i),
            (None, None) => {}
        }
    }
    out
}

/// Neutralizes a cell a spreadsheet would run as a formula: a cell starting with `=`, `+`, `-`,
/// `@`, tab or carriage return gets a leading `'` (OWASP's CSV-injection advice).
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn write_csv_row<'a>(out: &mut dyn Write, cells: impl Iterator<Item = &'a str>) -> io::Result<()> {
    let mut first = true;
    for c in cells {
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        let c = csv_safe(c);
        if c.contains([',', '"', '\n', '\r']) || c.starts_with(' ') || c.ends_with(' ') {
            out.write_all(b"\"")?;
            out.write_all(c.replace('"', "\"\"").as_bytes())?;
            out.write_all(b"\"")?;
        } else {
            out.write_all(c.as_bytes())?;
        }
    }
    out.write_all(b"\r\n")
}

// ---------------------------------------------------------------------------------------------
// OCSF

/// The OCSF class an event maps to: (class_uid, activity_id).
pub fn ocsf_class(ds: &Dataset, e: &Event) -> (u32, u32) {
    let action = ds.strings.opt(e.action).unwrap_or("").to_ascii_lowercase();
    match e.category {
        Category::Authentication => {
            let a = match e.activity {
                Activity::Logon => 1,
                Activity::Logoff => 2,
                _ => 99,
            };
            (3002, a)
        }
        Category::Identity if matches!(e.activity, Activity::Assign | Activity::Revoke) => {
            let role = action.contains("role");
            let a = match (e.activity, role) {
                (Activity::Assign, false) => 1,
                (Activity::Revoke, false) => 2,
                (Activity::Assign, true) => 3,
                _ => 4,
            };
            // Roles 3/4 are OCSF 1.4+; in 1.3 role changes are privilege changes.
            (3005, if a > 2 { a - 2 } else { a })
        }
        Category::Identity | Category::Credential if is_account_change(e, &action) => {
            let a = if action.contains("mfa")
                || action.contains("totp")
                || action.contains("factor")
                || action.contains("2fa")
            {
                match e.activity {
                    Activity::Disable | Activity::Delete | Activity::Revoke => 11,
                    _ => 10,
                }
            } else if action.contains("password") && action.contains("reset") {
                4
            } else if action.contains("password") {
                3
            } else if action.contains("unlock") {
                12
            } else if action.contains("lock") {
                9
            } else {
                match e.activity {
                    Activity::Create => 1,
                    Activity::Enable => 2,
                    Activity::Disable => 5,
                    Activity::Delete => 6,
                    _ => 99,
                }
            };
            (3001, a)
        }
        _ => {
            let a = match e.activity {
                Activity::Create | Activity::Assign => 1,
                Activity::Read => 2,
                Activity::Update | Activity::Enable | Activity::Disable => 3,
                Activity::Delete | Activity::Revoke => 4,
                _ => 99,
            };
            (6003, a)
        }
    }
}

fn is_account_change(e: &Event, action: &str) -> bool {
    e.category == Category::Identity
        && !action.contains("group")
        && !action.contains("team")
        && !action.contains("role")
        || action.contains("password")
        || action.contains("mfa")
        || action.contains("totp")
        || action.contains("factor")
}

/// The company behind a format's product (OCSF `metadata.product.vendor_name`).
pub fn vendor(format_id: &str) -> &'static str {
    match format_id {
        "ocore" => "oCore",
        "ops0" => "ops0",
        "opsknight" => "OpsKnight",
        "vendore" => "Vendor E",
        "cloudtrail" | "aws_s3_csv" => "Amazon Web Services",
        "gcp" | "gworkspace" => "Google",
        "kubernetes" => "Kubernetes",
        "azure_activity" | "entra_signin" | "entra_audit" | "m365" => "Microsoft",
        "okta" => "Okta",
        "auth0" => "Auth0",
        "github" => "GitHub",
        "onepassword" => "1Password",
        "cloudflare" => "Cloudflare",
        "slack" => "Slack",
        "bitbucket" => "Atlassian",
        _ => "unknown",
    }
}

fn ocsf_status(o: Outcome) -> (u32, &'static str) {
    match o {
        Outcome::Success => (1, "Success"),
        Outcome::Failure => (2, "Failure"),
        Outcome::Unknown => (0, "Unknown"),
    }
}

fn ocsf_user(name: Option<&str>, uid: Option<&str>, kind: PrincipalKind) -> Value {
    let mut u = Map::new();
    if let Some(n) = name {
        u.insert("name".into(), json!(n));
        if n.contains('@') {
            u.insert("email_addr".into(), json!(n));
        }
    }
    if let Some(i) = uid {
        u.insert("uid".into(), json!(i));
    }
    if !u.contains_key("name") && !u.contains_key("uid") {
        u.insert("name".into(), json!("unknown"));
    }
    let (type_id, ty) = match kind {
        PrincipalKind::User => (1, "User"),
        PrincipalKind::Unknown => (0, "Unknown"),
        _ => (99, kind.name()),
    };
    u.insert("type_id".into(), json!(type_id));
    u.insert("type".into(), json!(ty));
    Value::Object(u)
}

fn ocsf_endpoint(ds: &Dataset, e: &Event) -> Value {
    let mut ep = Map::new();
    if let Some(ip) = e.src_ip {
        ep.insert("ip".into(), json!(ip.to_string()));
    } else if let Some(r) = ds.strings.opt(e.src_raw) {
        ep.insert("name".into(), json!(r));
    } else {
        ep.insert("name".into(), json!("unknown"));
    }
    if let Some(c) = ds.strings.opt(e.country) {
        ep.insert("location".into(), json!({"country": c}));
    }
    Value::Object(ep)
}

/// One event as an OCSF object.
pub fn ocsf_event(ds: &Dataset, e: &Event) -> Value {
    let s = |x| ds.strings.opt(x);
    let (class_uid, activity_id) = ocsf_class(ds, e);
    let (class_name, category_uid, category_name) = match class_uid {
        3001 => ("Account Change", 3, "Identity & Access Management"),
        3002 => ("Authentication", 3, "Identity & Access Management"),
        3005 => ("User Access Management", 3, "Identity & Access Management"),
        _ => ("API Activity", 6, "Application Activity"),
    };
    let (status_id, status) = ocsf_status(e.outcome);
    let f = &ds.files[e.src.file as usize].summary;
    let fmt = ds.format_of(e);
    let actor_user = ocsf_user(s(e.actor_name), s(e.actor_id), e.actor_kind);
    let first_target = ds.targets_of(e).first();
    let target_user = first_target
        .map(|t| ocsf_user(s(t.name), s(t.id), PrincipalKind::Unknown))
        .unwrap_or_else(|| actor_user.clone());
    let mut metadata = json!({
        "version": OCSF_VERSION,
        "product": {"name": fmt.name(), "vendor_name": vendor(fmt.id()), "feature": {"name": fmt.id()}},
        "log_name": f.path,
        "log_provider": "auditlens",
    });
    if let Some(t) = ds.time_raw(e) {
        metadata["original_time"] = json!(t);
    }
    if let Some(u) = ds.text(e, e.uid) {
        metadata["uid"] = json!(u);
    }
    if let Some(c) = s(e.correlation) {
        metadata["correlation_uid"] = json!(c);
    }
    // What OCSF has no attribute for in these classes.
    let mut unmapped = Map::new();
    if let Some(t) = s(e.tenant) {
        unmapped.insert("tenant".into(), json!(t));
    }
    if let Some(r) = s(e.region) {
        unmapped.insert("region".into(), json!(r));
    }
    if let Some(c) = ds.changes(e) {
        unmapped.insert("changes".into(), json!(c));
    }
    unmapped.insert("auditlens_key".into(), json!(event_key(f, e)));
    let mut o = json!({
        "class_uid": class_uid,
        "class_name": class_name,
        "category_uid": category_uid,
        "category_name": category_name,
        "activity_id": activity_id,
        "type_uid": class_uid * 100 + activity_id,
        "severity_id": 1,
        "severity": "Informational",
        "time": e.time / 1_000_000,
        "status_id": status_id,
        "status": status,
        "message": message(ds, e),
        "metadata": metadata,
        "raw_data": String::from_utf8_lossy(ds.original(e)),
    });
    if let Some(r) = s(e.reason) {
        o["status_detail"] = json!(r);
    }
    if let Some(c) = s(e.status_code) {
        o["status_code"] = json!(c);
    }
    if activity_id == 99 {
        o["activity_name"] = json!(s(e.action).unwrap_or("Other"));
    }
    let actor = json!({"user": actor_user});
    if let Some(ua) = s(e.user_agent) {
        o["http_request"] = json!({"user_agent": ua});
    }
    match class_uid {
        3002 => {
            o["user"] = if e.actor_name.is_none() && e.actor_id.is_none() {
                target_user
            } else {
                actor_user
            };
            o["service"] = json!({"name": s(e.service).unwrap_or(fmt.name())});
            o["src_endpoint"] = ocsf_endpoint(ds, e);
            if let Some(m) = e.mfa {
                o["is_mfa"] = json!(m);
            }
        }
        3001 => {
            o["user"] = target_user;
            o["actor"] = actor;
            o["src_endpoint"] = ocsf_endpoint(ds, e);
        }
        3005 => {
            o["user"] = target_user;
            o["actor"] = actor;
            o["privileges"] = json!([s(e.action).unwrap_or("privilege")]);
            o["src_endpoint"] = ocsf_endpoint(ds, e);
        }
        _ => {
            o["actor"] = actor;
            o["api"] = json!({
                "operation": s(e.action).unwrap_or("unknown"),
                "service": {"name": s(e.service).unwrap_or(fmt.name())},
            });
            o["src_endpoint"] = ocsf_endpoint(ds, e);
            let res: Vec<Value> = ds
                .targets_of(e)
                .iter()
                .map(|t| {
                    let mut r = Map::new();
                    if let Some(k) = s(t.kind) {
                        r.insert("type".into(), json!(k));
                    }
                    if let Some(n) = s(t.name) {
                        r.insert("name".into(), json!(n));
                    }
                    if let Some(i) = s(t.id) {
                        r.insert("uid".into(), json!(i));
                    }
                    Value::Object(r)
                })
                .collect();
            if !res.is_empty() {
                o["resources"] = json!(res);
            }
        }
    }
    o["unmapped"] = Value::Object(unmapped);
    o
}

// ---------------------------------------------------------------------------------------------
// ECS

fn ecs_category_type(e: &Event) -> (Vec<&'static str>, Vec<&'static str>) {
    let cat = match e.category {
        Category::Authentication => {
            if matches!(e.activity, Activity::Logon | Activity::Logoff) {
                vec!["authentication", "session"]
            } else {
                vec!["authentication"]
            }
        }
        Category::Identity | Category::Credential => vec!["iam"],
        Category::Configuration => vec!["configuration"],
        Category::Resource | Category::DataAccess => vec!["api"],
        Category::Other => vec![],
    };
    let mut ty = match e.activity {
        Activity::Create => vec!["creation"],
        Activity::Read => vec!["access"],
        Activity::Update | Activity::Enable | Activity::Disable => vec!["change"],
        Activity::Delete => vec!["deletion"],
        Activity::Logon => vec!["start"],
        Activity::Logoff => vec!["end"],
        Activity::Assign | Activity::Revoke => vec!["change", "admin"],
        Activity::Other => vec!["info"],
    };
    if e.outcome == Outcome::Failure && e.failure == FailureKind::AuthZ {
        ty.push("denied");
    }
    if e.category == Category::Identity && !ty.contains(&"user") {
        ty.push("user");
    }
    (cat, ty)
}

/// One event as an ECS document.
pub fn ecs_event(ds: &Dataset, e: &Event) -> Value {
    let s = |x| ds.strings.opt(x);
    let f = &ds.files[e.src.file as usize].summary;
    let (cat, ty) = ecs_category_type(e);
    let mut event = json!({
        "kind": "event",
        "action": s(e.action),
        "outcome": e.outcome.name(),
        "module": "auditlens",
        "dataset": format!("auditlens.{}", ds.format_of(e).id()),
        "original": String::from_utf8_lossy(ds.original(e)),
        "created": time::format_rfc3339_ms(e.time),
    });
    if !cat.is_empty() {
        event["category"] = json!(cat);
    }
    event["type"] = json!(ty);
    if let Some(p) = s(e.service) {
        event["provider"] = json!(p);
    }
    if let Some(u) = ds.text(e, e.uid) {
        event["id"] = json!(u);
    }
    if let Some(r) = s(e.reason) {
        event["reason"] = json!(r);
    }
    let mut doc = json!({
        "@timestamp": time::format_rfc3339_ms(e.time),
        "ecs": {"version": ECS_VERSION},
        "event": event,
        "log": {"file": {"path": f.path}, "offset": e.src.start},
        "labels": {"auditlens_key": event_key(f, e), "auditlens_category": e.category.name()},
    });
    let mut user = Map::new();
    if let Some(n) = s(e.actor_name) {
        user.insert("name".into(), json!(n));
        if n.contains('@') {
            user.insert("email".into(), json!(n));
        }
    }
    if let Some(i) = s(e.actor_id) {
        user.insert("id".into(), json!(i));
    }
    if let Some(t) = ds.targets_of(e).first() {
        let mut tu = Map::new();
        if let Some(n) = s(t.name) {
            tu.insert("name".into(), json!(n));
        }
        if let Some(i) = s(t.id) {
            tu.insert("id".into(), json!(i));
        }
        if !tu.is_empty() && e.category == Category::Identity {
            user.insert("target".into(), Value::Object(tu));
        }
    }
    if !user.is_empty() {
        doc["user"] = Value::Object(user);
    }
    if let Some(ip) = e.src_ip {
        doc["source"] = json!({"ip": ip.to_string()});
    } else if let Some(r) = s(e.src_raw) {
        doc["source"] = json!({"address": r});
    }
    if let Some(c) = s(e.country) {
        doc["source"]["geo"] = json!({"country_name": c});
    }
    if let Some(ua) = s(e.user_agent) {
        doc["user_agent"] = json!({"original": ua});
    }
    if let Some(r) = s(e.region) {
        doc["cloud"] = json!({"region": r});
    }
    if let Some(t) = s(e.tenant) {
        doc["organization"] = json!({"id": t});
    }
    if let Some(c) = s(e.correlation) {
        doc["labels"]["correlation"] = json!(c);
    }
    let mut related_user: Vec<&str> = Vec::new();
    related_user.extend(s(e.actor_name));
    for t in ds.targets_of(e) {
        if let Some(n) = s(t.name) {
            if n.contains('@') && !related_user.contains(&n) {
                related_user.push(n);
            }
        }
    }
    let mut related = Map::new();
    if !related_user.is_empty() {
        related.insert("user".into(), json!(related_user));
    }
    if let Some(ip) = e.src_ip {
        related.insert("ip".into(), json!([ip.to_string()]));
    }
    if !related.is_empty() {
        doc["related"] = Value::Object(related);
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// Timesketch

/// A one-line description of an event (Timesketch's `message`, the report's timeline).
pub fn message(ds: &Dataset, e: &Event) -> String {
    let s = |x| ds.strings.opt(x);
    let mut m = String::new();
    m.push_str(
        s(e.actor_name)
            .or(s(e.actor_id))
            .unwrap_or("(unknown actor)"),
    );
    m.push(' ');
    m.push_str(s(e.action).unwrap_or("(no action)"));
    let t = targets_text(ds, e);
    if !t.is_empty() {
        m.push_str(" → ");
        m.push_str(&t);
    }
    if e.outcome != Outcome::Unknown {
        m.push_str(" [");
        m.push_str(e.outcome.name());
        if let Some(r) = s(e.reason) {
            m.push_str(": ");
            m.push_str(r);
        }
        m.push(']');
    }
    if let Some(ip) = e.src_ip {
        m.push_str(" from ");
        m.push_str(&ip.to_string());
    } else if let Some(r) = s(e.src_raw) {
        m.push_str(" from ");
        m.push_str(r);
    }
    m
}

/// One event as a Timesketch JSONL object.
pub fn timesketch_event(ds: &Dataset, e: &Event, zone: &Zone) -> Value {
    let s = |x| ds.strings.opt(x).unwrap_or("");
    let f = &ds.files[e.src.file as usize].summary;
    let mut dt = rfc3339_in(e.time, zone);
    // Microseconds, as precise as `timestamp`.
    if let Some(dot) = dt.find('.') {
        let us = e.time.rem_euclid(NS) / 1000 % 1000;
        dt.insert_str(dot + 4, &format!("{us:03}"));
    }
    if dt.ends_with('Z') {
        dt.pop();
        dt.push_str("+00:00");
    }
    json!({
        "message": message(ds, e),
        "datetime": dt,
        "timestamp": e.time.div_euclid(1000),
        "timestamp_desc": "Event Recorded",
        "data_type": format!("auditlens:{}", ds.format_of(e).id()),
        "action": s(e.action),
        "service": s(e.service),
        "category": e.category.name(),
        "activity": e.activity.name(),
        "outcome": e.outcome.name(),
        "failure": if e.failure == FailureKind::None { "" } else { e.failure.name() },
        "reason": s(e.reason),
        "actor": s(e.actor_name),
        "actor_id": s(e.actor_id),
        "actor_kind": e.actor_kind.name(),
        "src_ip": e.src_ip.map(|i| i.to_string()).unwrap_or_default(),
        "user_agent": s(e.user_agent),
        "country": s(e.country),
        "targets": targets_text(ds, e),
        "tenant": s(e.tenant),
        "region": s(e.region),
        "event_uid": ds.text(e, e.uid).unwrap_or(""),
        "source_file": f.path,
        "source_record": e.src.record,
        "auditlens_key": event_key(f, e),
    })
}
