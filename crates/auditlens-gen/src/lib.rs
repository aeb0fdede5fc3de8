//! Deterministic synthetic audit logs for auditlens tests, benchmarks and the sample dataset.
//!
//! [`generate`] writes exactly `events` records of a small organisation's activity in one of the
//! supported export [`Format`]s, streaming to any [`std::io::Write`] (memory use does not grow
//! with the event count). The same [`Options`] always produce the same bytes: the generator has
//! its own PRNG (xoshiro256** seeded through splitmix64), uses integer arithmetic only, and never
//! reads the clock.
//!
//! ```
//! use auditlens_gen::{generate, Format, Options};
//!
//! let mut opts = Options::new(Format::OcoreJson, 500);
//! opts.seed = 7;
//! opts.incident = true;
//! let mut out = Vec::new();
//! let truth = generate(&opts, &mut out).expect("generate");
//! assert!(out.starts_with(b"{\"items\":["));
//! assert!(truth.incident("brute_force").is_some_and(|i| i.count == 35));
//! ```
//!
//! # The organisation
//!
//! Forty people (2 owners, 3 admins, 25 developers, 7 viewers, 3 billing) in European zones
//! (UTC+0 and UTC+1), each with one stable home IP, one browser and fixed working hours
//! (sessions start 09:00–17:30 local, Monday–Friday, and end by 18:00 local). Most admins and
//! developers use TOTP or passkeys. Three automation identities: a CI pipeline (many runner IPs),
//! Terraform (two IPs) and the product's own scheduler/monitoring ("system"), which also runs a
//! nightly job at about 02:00 UTC when N is large enough for it to stay a small share.
//! The same seed gives the same people in every format.
//!
//! # Background
//!
//! Sessions: sign-in (2–7 % of sign-ins start with one mistyped password or code, followed by
//! success), a run of product actions picked by role with realistic frequencies, and usually a
//! sign-out. Admin and account actions (invites, role changes between non-admin roles, key
//! creation/revocation, settings) keep a constant absolute rate of about eight per day across the
//! org whatever N is. The background is "clean": no bursts of failures, no sprays (every person
//! has a distinct IP), no bulk or crown-jewel deletions (no database drop, no backup delete), no
//! MFA disabling, no audit-trail changes, no grants of admin/owner, and no human activity outside
//! working hours.
//!
//! # The planted incident
//!
//! With [`Options::incident`] these records are merged into the background (they count
//! towards `events`; [`INCIDENT_EVENTS`] in all). Times are UTC; A is 10:00 on the first
//! Monday–Friday at or after 55 % of the span (2026-02-09T10:00:00Z with the defaults). All
//! attacker records come from IPs the background never uses.
//!
//! | When | What | Records |
//! |---|---|---:|
//! | A+2 min … ≈A+25 min | password spray from one IP: one failed sign-in for each of 14 accounts, then a second round over 6 of them, 45–80 s apart | 20 |
//! | A+40 min … ≈A+49 min | brute force from another IP against the victim (a developer who uses TOTP), 12–17 s apart | 34 |
//! | +20–40 s | successful sign-in from that IP | 1 |
//! | then every 2.5–4 min | API key/token created; the victim grants itself owner/admin; MFA disabled; audit forwarding deleted | 4 |
//! | +3–5 min, 12–19 s apart | destructive burst: 6 backups, 3 databases, 16 instances, 3 servers (or the product's equivalents) | 28 |
//! | next Saturday/Sunday 03:00 (else the last one before A) | off-hours session from the attacker IP: sign-in, outside admin invited, key created, 3 large instances | 6 |
//!
//! [`GroundTruth`] reports each of these as a [`PlantedIncident`] (`brute_force`,
//! `password_spray`, `account_takeover`, `api_key_created`, `privilege_grant`, `mfa_disabled`,
//! `audit_tampering`, `bulk_deletion`, `off_hours`) with the vendor action names used, so tests
//! can check detections format by format.
//!
//! # Formats
//!
//! See [`Format`] for the layouts and the choices made where vendor documentation is silent.

#![warn(missing_docs)]

mod cloudtrail;
mod engine;
mod incident;
mod ocore;
mod ops0;
mod opsknight;
mod org;
mod out;
mod rng;
mod timefmt;
mod vendore;

use std::io::{self, Write};
use std::time::Duration;

pub use timefmt::{parse_rfc3339, rfc3339};

/// 2026-02-01T00:00:00Z, the default start.
pub const DEFAULT_START: i64 = 1_769_904_000;

/// Default span: 14 days.
pub const DEFAULT_SPAN: Duration = Duration::from_secs(14 * 86_400);

/// Records the planted incident adds (they count towards [`Options::events`]).
pub const INCIDENT_EVENTS: u64 = incident::INCIDENT_RECORDS;

/// Output format. [`Format::name`] is the stable name used on the command line.
///
/// | Name | Layout |
/// |---|---|
/// | `ocore-json` | oCore export: `{"items":[…],"total":N}`; item keys `id`, `action`, `createdAt`, `userId`, `userName`, `resourceType`, `resourceId`, `resourceName`, `ipAddress`, `userAgent`, `beforeState`, `afterState` (seed 001). One item per line. |
/// | `ocore-api` | oCore list API page: `{"items":[…],"page":1,"perPage":N,"total":N}` |
/// | `ocore-admin` | oCore admin list: `{"logs":[…],"total":N}` (same element schema) |
/// | `ocore-csv` | CSV, header = the item keys; states as JSON text (RFC 4180 quoting, `""` escapes); LF line ends |
/// | `ops0-json` | ops0 "all fields" export: a JSON array of `{"eventId":"evt_…","timestamp":"…Z","user":email,"userId":"usr_…","action","category","resource":{"type","id","name"},"status":"Success"/"Failed","ipAddress","userAgent","changes":{},"request":{},"response":{}}` |
/// | `ops0-csv` | ops0 "summarized" CSV: `Timestamp,User,Action,Resource,Status,IP Address,Details`, times `YYYY-MM-DD HH:MM:SS` (UTC, no zone), CRLF line ends |
/// | `opsknight-json` | OpsKnight: a JSON array of `{"id","action","entityType","entityId","actorId","details":{},"ipAddress","userAgent","createdAt"}` (seed 003 keys plus `id`, `ipAddress`, `userAgent` at top level; `actorId`/`ipAddress`/`userAgent` are `null` for system records; failed sign-ins carry the attempted `details.email`) |
/// | `vendore-csv` | vendor E: `Time,Category,Email,User ID,IP address,User agent,Detail`, `Time` at +09:00 (`2026-02-03T18:15:22+09:00`), `Category` the human label, `Detail` JSON |
/// | `vendore-json` | vendor E as a JSON array of `{"time","category","email","userId","ipAddress","userAgent","detail":{}}` |
/// | `cloudtrail-json` | AWS CloudTrail `{"Records":[…]}` with IAM users for people, an IAM user with an access key for CI, AWS service principals for scheduled jobs |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// oCore JSON export.
    #[default]
    OcoreJson,
    /// oCore list/resource API page.
    OcoreApi,
    /// oCore admin audit-log list.
    OcoreAdmin,
    /// oCore CSV export.
    OcoreCsv,
    /// ops0 JSON export (all fields).
    Ops0Json,
    /// ops0 CSV export (summarized).
    Ops0Csv,
    /// OpsKnight JSON.
    OpsknightJson,
    /// Vendor E CSV.
    VendoreCsv,
    /// Vendor E JSON.
    VendoreJson,
    /// AWS CloudTrail JSON.
    CloudtrailJson,
}

const ALL: [Format; 10] = [
    Format::OcoreJson,
    Format::OcoreApi,
    Format::OcoreAdmin,
    Format::OcoreCsv,
    Format::Ops0Json,
    Format::Ops0Csv,
    Format::OpsknightJson,
    Format::VendoreCsv,
    Format::VendoreJson,
    Format::CloudtrailJson,
];

impl Format {
    /// Every format, in a stable order.
    pub fn all() -> &'static [Format] {
        &ALL
    }

    /// The stable name (`ocore-json`, `ops0-csv`, …).
    pub fn name(self) -> &'static str {
        match self {
            Format::OcoreJson => "ocore-json",
            Format::OcoreApi => "ocore-api",
            Format::OcoreAdmin => "ocore-admin",
            Format::OcoreCsv => "ocore-csv",
            Format::Ops0Json => "ops0-json",
            Format::Ops0Csv => "ops0-csv",
            Format::OpsknightJson => "opsknight-json",
            Format::VendoreCsv => "vendore-csv",
            Format::VendoreJson => "vendore-json",
            Format::CloudtrailJson => "cloudtrail-json",
        }
    }

    /// Look a format up by its [`name`](Format::name) (case-insensitive).
    pub fn from_name(name: &str) -> Option<Format> {
        ALL.iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }

    /// `"json"` or `"csv"`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::OcoreCsv | Format::Ops0Csv | Format::VendoreCsv => "csv",
            _ => "json",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Output format.
    pub format: Format,
    /// Exact number of records to write (including the incident's).
    pub events: u64,
    /// PRNG seed: same seed, same organisation and same bytes.
    pub seed: u64,
    /// Start of the covered period, Unix seconds (UTC). Default [`DEFAULT_START`].
    pub start: i64,
    /// Length of the covered period (at least one hour; seven days with `incident`).
    pub span: Duration,
    /// Plant the attack story (see the crate docs).
    pub incident: bool,
}

impl Options {
    /// Defaults: seed 1, start 2026-02-01T00:00:00Z, 14 days, no incident.
    pub fn new(format: Format, events: u64) -> Options {
        Options {
            format,
            events,
            seed: 1,
            start: DEFAULT_START,
            span: DEFAULT_SPAN,
            incident: false,
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        Options::new(Format::OcoreJson, 1000)
    }
}

/// One planted incident, as a detection should find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlantedIncident {
    /// `brute_force`, `password_spray`, `account_takeover`, `api_key_created`,
    /// `privilege_grant`, `mfa_disabled`, `audit_tampering`, `bulk_deletion` or `off_hours`.
    pub kind: &'static str,
    /// The account attacked / acted as, as the format names it (e-mail, or the IAM user name
    /// for CloudTrail); `None` for the password spray (many accounts).
    pub actor: Option<String>,
    /// The format's id for that account (`userId`, `usr_…`, cuid, `AIDA…`).
    pub actor_id: Option<String>,
    /// Source IP of the planted records.
    pub ip: String,
    /// Time of the first planted record (Unix seconds).
    pub first: i64,
    /// Time of the last planted record (Unix seconds).
    pub last: i64,
    /// Number of planted records in this incident. For `brute_force` that is the failures plus
    /// the final success (34 + 1); `account_takeover` spans from that success to the last
    /// deletion and overlaps the single-step incidents.
    pub count: u64,
    /// Distinct accounts targeted (14 for the spray, else 1).
    pub accounts: u64,
    /// The vendor action names / labels used by these records, in order of first appearance.
    pub actions: Vec<&'static str>,
}

/// What was generated, including what was planted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroundTruth {
    /// Format written.
    pub format: Format,
    /// Seed used.
    pub seed: u64,
    /// Records written.
    pub events: u64,
    /// Start of the period (Unix seconds).
    pub start: i64,
    /// End of the period (exclusive).
    pub end: i64,
    /// Organisation name.
    pub org: String,
    /// E-mail domain of the organisation.
    pub domain: String,
    /// The taken-over account (name, id) when an incident was planted.
    pub victim: Option<(String, String)>,
    /// Planted incidents (empty without `incident`).
    pub incidents: Vec<PlantedIncident>,
}

impl GroundTruth {
    /// The planted incident of a kind.
    pub fn incident(&self, kind: &str) -> Option<&PlantedIncident> {
        self.incidents.iter().find(|i| i.kind == kind)
    }

    /// JSON rendering (stable key order, one incident per line).
    pub fn to_json(&self) -> String {
        use out::{json_str, key};
        let mut o = Vec::with_capacity(2048);
        let s = |o: &mut Vec<u8>, k: &str, v: &str| {
            key(o, k);
            json_str(o, v);
        };
        o.push(b'{');
        s(&mut o, "format", self.format.name());
        o.extend_from_slice(b",\n");
        key(&mut o, "seed");
        out::int(&mut o, self.seed as i64);
        o.push(b',');
        key(&mut o, "events");
        out::int(&mut o, self.events as i64);
        o.push(b',');
        s(&mut o, "start", &rfc3339(self.start));
        o.push(b',');
        s(&mut o, "end", &rfc3339(self.end));
        o.extend_from_slice(b",\n");
        s(&mut o, "org", &self.org);
        o.push(b',');
        s(&mut o, "domain", &self.domain);
        o.extend_from_slice(b",\n");
        key(&mut o, "victim");
        match &self.victim {
            Some((name, id)) => {
                o.push(b'{');
                s(&mut o, "name", name);
                o.push(b',');
                s(&mut o, "id", id);
                o.push(b'}');
            }
            None => o.extend_from_slice(b"null"),
        }
        o.extend_from_slice(b",\n");
        key(&mut o, "incidents");
        o.push(b'[');
        for (n, i) in self.incidents.iter().enumerate() {
            o.extend_from_slice(if n == 0 { b"\n" } else { b",\n" });
            o.push(b'{');
            s(&mut o, "kind", i.kind);
            o.push(b',');
            key(&mut o, "actor");
            match &i.actor {
                Some(a) => json_str(&mut o, a),
                None => o.extend_from_slice(b"null"),
            }
            o.push(b',');
            key(&mut o, "actorId");
            match &i.actor_id {
                Some(a) => json_str(&mut o, a),
                None => o.extend_from_slice(b"null"),
            }
            o.push(b',');
            s(&mut o, "ip", &i.ip);
            o.push(b',');
            s(&mut o, "first", &rfc3339(i.first));
            o.push(b',');
            s(&mut o, "last", &rfc3339(i.last));
            o.push(b',');
            key(&mut o, "count");
            out::int(&mut o, i.count as i64);
            o.push(b',');
            key(&mut o, "accounts");
            out::int(&mut o, i.accounts as i64);
            o.push(b',');
            key(&mut o, "actions");
            o.push(b'[');
            for (k, a) in i.actions.iter().enumerate() {
                if k > 0 {
                    o.push(b',');
                }
                json_str(&mut o, a);
            }
            o.extend_from_slice(b"]}");
        }
        if !self.incidents.is_empty() {
            o.push(b'\n');
        }
        o.extend_from_slice(b"]}\n");
        String::from_utf8_lossy(&o).into_owned()
    }
}

/// Write `opts.events` records in `opts.format` to `out` and describe what was planted.
///
/// Errors: `InvalidInput` for a span under one hour, an incident with a span under seven days
/// or fewer than [`INCIDENT_EVENTS`] events, or a period outside years 1970–9998; otherwise
/// whatever `out` returns.
pub fn generate<W: Write>(opts: &Options, out: W) -> io::Result<GroundTruth> {
    let bad = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
    let span = opts.span.as_secs();
    if span < 3600 {
        return bad("the span must be at least one hour".into());
    }
    if opts.start < 0 || opts.start.saturating_add(span as i64) > 253_370_764_800 {
        return bad("the period must lie within years 1970-9998".into());
    }
    if opts.incident {
        if span < 7 * 86_400 {
            return bad("a planted incident needs a span of at least 7 days".into());
        }
        if opts.events < INCIDENT_EVENTS {
            return bad(format!(
                "a planted incident needs at least {INCIDENT_EVENTS} events"
            ));
        }
    }
    match opts.format {
        Format::OcoreJson => engine::run(
            ocore::Ocore::new(ocore::Container::Export, opts.seed),
            opts,
            out,
        ),
        Format::OcoreApi => engine::run(
            ocore::Ocore::new(ocore::Container::Api, opts.seed),
            opts,
            out,
        ),
        Format::OcoreAdmin => engine::run(
            ocore::Ocore::new(ocore::Container::Admin, opts.seed),
            opts,
            out,
        ),
        Format::OcoreCsv => engine::run(
            ocore::Ocore::new(ocore::Container::Csv, opts.seed),
            opts,
            out,
        ),
        Format::Ops0Json => engine::run(ops0::Ops0::new(false, opts.seed), opts, out),
        Format::Ops0Csv => engine::run(ops0::Ops0::new(true, opts.seed), opts, out),
        Format::OpsknightJson => engine::run(opsknight::OpsKnight::new(opts.seed), opts, out),
        Format::VendoreCsv => engine::run(vendore::VendorE::new(true, opts.seed), opts, out),
        Format::VendoreJson => engine::run(vendore::VendorE::new(false, opts.seed), opts, out),
        Format::CloudtrailJson => engine::run(cloudtrail::CloudTrail::new(opts.seed), opts, out),
    }
}

#[cfg(test)]
mod tests;
