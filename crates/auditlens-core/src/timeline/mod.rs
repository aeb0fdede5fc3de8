//! Timeline views over a dataset: histograms, lanes (who / from where / on what), sessions,
//! the context around one event, first/last seen, and before/after diffs of state changes.
//!
//! Every view takes an optional selection of event positions (from a query) or all events; the
//! events are already sorted by time, so everything is one pass with hash maps keyed by [`Sym`].

use std::net::IpAddr;

use hashbrown::{HashMap, HashSet};
use serde::Serialize;

use crate::ingest::Dataset;
use crate::json::{Doc, Kind, Val};
use crate::model::{Category, Event, Outcome, Sym};
use crate::time::{self, NS};

const MIN: i64 = 60 * NS;

/// Bucket sizes offered for histograms, smallest first.
pub const BUCKETS: &[(&str, i64)] = &[
    ("1s", NS),
    ("10s", 10 * NS),
    ("1m", MIN),
    ("5m", 5 * MIN),
    ("15m", 15 * MIN),
    ("30m", 30 * MIN),
    ("1h", 60 * MIN),
    ("3h", 180 * MIN),
    ("6h", 360 * MIN),
    ("12h", 720 * MIN),
    ("1d", 1440 * MIN),
    ("7d", 7 * 1440 * MIN),
    ("30d", 30 * 1440 * MIN),
];

/// Parses a duration: `90s`, `5m`, `1h`, `1d`, `2w` (a bare number is minutes).
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: i64 = n.parse().ok()?;
    let mul = match unit.trim().to_ascii_lowercase().as_str() {
        "s" | "sec" | "secs" => NS,
        "" | "m" | "min" | "mins" => MIN,
        "h" | "hr" | "hour" | "hours" => 60 * MIN,
        "d" | "day" | "days" => 1440 * MIN,
        "w" | "week" | "weeks" => 7 * 1440 * MIN,
        _ => return None,
    };
    n.checked_mul(mul).filter(|v| *v > 0)
}

/// A label for a bucket size (`5m`, `1h`, or the duration in seconds).
pub fn bucket_label(ns: i64) -> String {
    BUCKETS
        .iter()
        .find(|b| b.1 == ns)
        .map(|b| b.0.to_string())
        .unwrap_or_else(|| format!("{}s", ns / NS))
}

/// The smallest standard bucket that splits `span` into at most `max_buckets` buckets.
pub fn auto_bucket(span: i64, max_buckets: i64) -> i64 {
    let max_buckets = max_buckets.max(1);
    BUCKETS
        .iter()
        .map(|b| b.1)
        .find(|b| span / b < max_buckets)
        .unwrap_or(BUCKETS[BUCKETS.len() - 1].1)
}

/// How histogram bars are stacked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Stack {
    /// One series.
    #[default]
    None,
    /// success / failure / unknown.
    Outcome,
    /// One series per category.
    Category,
}

/// A histogram: `counts[series][bucket]`.
#[derive(Clone, Debug, Serialize, Default)]
pub struct Histogram {
    /// Start of the first bucket (UTC ns, aligned to the bucket size).
    pub start: i64,
    /// Bucket size in ns.
    pub bucket: i64,
    /// Bucket size label (`5m`).
    pub bucket_label: String,
    /// Series names (`all`, outcome or category names).
    pub series: Vec<String>,
    /// Counts per series and bucket.
    pub counts: Vec<Vec<u64>>,
    /// Total events counted.
    pub total: u64,
}

impl Histogram {
    /// Number of buckets.
    pub fn len(&self) -> usize {
        self.counts.first().map_or(0, |c| c.len())
    }
    /// No buckets?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Sum over series per bucket.
    pub fn totals(&self) -> Vec<u64> {
        (0..self.len())
            .map(|b| self.counts.iter().map(|s| s[b]).sum())
            .collect()
    }
}

/// The selected positions, or all.
fn positions<'a>(ds: &'a Dataset, sel: Option<&'a [u32]>) -> Box<dyn Iterator<Item = usize> + 'a> {
    match sel {
        Some(s) => Box::new(
            s.iter()
                .map(|&p| p as usize)
                .filter(|&p| p < ds.events.len()),
        ),
        None => Box::new(0..ds.events.len()),
    }
}

/// A histogram of the selected events. `bucket` 0 chooses one (about 100 bars).
pub fn histogram(ds: &Dataset, sel: Option<&[u32]>, bucket: i64, stack: Stack) -> Histogram {
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for p in positions(ds, sel) {
        let t = ds.events[p].time;
        lo = lo.min(t);
        hi = hi.max(t);
    }
    let series: Vec<String> = match stack {
        Stack::None => vec!["all".into()],
        Stack::Outcome => Outcome::ALL.iter().map(|o| o.name().to_string()).collect(),
        Stack::Category => Category::ALL.iter().map(|c| c.name().to_string()).collect(),
    };
    if lo > hi {
        let b = if bucket > 0 { bucket } else { 60 * MIN };
        return Histogram {
            bucket: b,
            bucket_label: bucket_label(b),
            counts: vec![Vec::new(); series.len()],
            series,
            ..Histogram::default()
        };
    }
    let b = if bucket > 0 {
        bucket
    } else {
        auto_bucket(hi - lo, 100)
    };
    // Limit the bar count so a tiny bucket over a long span cannot exhaust memory.
    let b = b.max((hi - lo) / 100_000 + 1);
    let start = lo.div_euclid(b) * b;
    let n = ((hi - start) / b + 1) as usize;
    let mut counts = vec![vec![0u64; n]; series.len()];
    let mut total = 0;
    for p in positions(ds, sel) {
        let e = &ds.events[p];
        let k = ((e.time - start) / b) as usize;
        let s = match stack {
            Stack::None => 0,
            Stack::Outcome => e.outcome as usize,
            Stack::Category => e.category as usize,
        };
        counts[s][k] += 1;
        total += 1;
    }
    Histogram {
        start,
        bucket: b,
        bucket_label: bucket_label(b),
        series,
        counts,
        total,
    }
}

/// What lanes group by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneBy {
    /// Actor name (or id).
    Actor,
    /// Source IP (or the non-IP source text).
    Ip,
    /// Target (name, else id); an event with several targets is in several lanes.
    Target,
}

impl LaneBy {
    /// `actor`, `ip`, `target`.
    pub fn parse(s: &str) -> Option<LaneBy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "actor" | "user" | "who" => Some(LaneBy::Actor),
            "ip" | "src" | "source" | "src_ip" => Some(LaneBy::Ip),
            "target" | "resource" => Some(LaneBy::Target),
            _ => None,
        }
    }
}

/// One lane: the events sharing an actor, IP or target.
#[derive(Clone, Debug, Serialize)]
pub struct Lane {
    /// The shared value.
    pub key: String,
    /// First event time (RFC 3339).
    pub first: String,
    /// Last event time.
    pub last: String,
    /// First time, ns.
    #[serde(skip)]
    pub first_ns: i64,
    /// Last time, ns.
    #[serde(skip)]
    pub last_ns: i64,
    /// Events.
    pub count: u64,
    /// Failed events.
    pub failures: u64,
    /// Distinct actions.
    pub actions: u64,
    /// The most frequent actions (up to 5), most frequent first.
    pub top_actions: Vec<(String, u64)>,
}

#[derive(Default)]
struct LaneAcc {
    first: i64,
    last: i64,
    count: u64,
    failures: u64,
    actions: HashMap<Sym, u64>,
}

/// The actor key of an event: its name, else its id.
fn actor_of(e: &Event) -> Sym {
    if e.actor_name.is_some() {
        e.actor_name
    } else {
        e.actor_id
    }
}

/// Lanes of the selected events, sorted by count (then key).
pub fn lanes(ds: &Dataset, sel: Option<&[u32]>, by: LaneBy) -> Vec<Lane> {
    #[derive(Hash, PartialEq, Eq, Clone, Copy)]
    enum K {
        S(Sym),
        Ip(IpAddr),
    }
    let mut m: HashMap<K, LaneAcc> = HashMap::new();
    let mut add = |k: K, e: &Event| {
        let a = m.entry(k).or_insert_with(|| LaneAcc {
            first: e.time,
            ..LaneAcc::default()
        });
        a.last = e.time;
        a.first = a.first.min(e.time);
        a.count += 1;
        if e.outcome == Outcome::Failure {
            a.failures += 1;
        }
        *a.actions.entry(e.action).or_default() += 1;
    };
    for p in positions(ds, sel) {
        let e = &ds.events[p];
        match by {
            LaneBy::Actor => {
                let s = actor_of(e);
                if s.is_some() {
                    add(K::S(s), e);
                }
            }
            LaneBy::Ip => match e.src_ip {
                Some(ip) => add(K::Ip(ip), e),
                None if e.src_raw.is_some() => add(K::S(e.src_raw), e),
                None => {}
            },
            LaneBy::Target => {
                let mut seen: HashSet<Sym> = HashSet::new();
                for t in ds.targets_of(e) {
                    let s = if t.name.is_some() { t.name } else { t.id };
                    if s.is_some() && seen.insert(s) {
                        add(K::S(s), e);
                    }
                }
            }
        }
    }
    let mut out: Vec<Lane> = m
        .into_iter()
        .map(|(k, a)| {
            let key = match k {
                K::S(s) => ds.str(s).to_string(),
                K::Ip(ip) => ip.to_string(),
            };
            let mut top: Vec<(String, u64)> = a
                .actions
                .iter()
                .map(|(s, c)| (ds.str(*s).to_string(), *c))
                .collect();
            top.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            top.truncate(5);
            Lane {
                key,
                first: time::format_rfc3339_ms(a.first),
                last: time::format_rfc3339_ms(a.last),
                first_ns: a.first,
                last_ns: a.last,
                count: a.count,
                failures: a.failures,
                actions: a.actions.len() as u64,
                top_actions: top,
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    out
}

/// One session of an actor.
#[derive(Clone, Debug, Serialize)]
pub struct Session {
    /// Actor.
    pub actor: String,
    /// Start (RFC 3339).
    pub start: String,
    /// End.
    pub end: String,
    /// Start, ns.
    #[serde(skip)]
    pub start_ns: i64,
    /// End, ns.
    #[serde(skip)]
    pub end_ns: i64,
    /// Duration in seconds.
    pub duration_s: i64,
    /// Events.
    pub count: u64,
    /// Failed events.
    pub failures: u64,
    /// Source IPs, in order of first use.
    pub ips: Vec<String>,
    /// User agents, in order of first use.
    pub user_agents: Vec<String>,
    /// Began with a login.
    pub login: bool,
    /// Ended with a logout.
    pub logout: bool,
    /// Event positions in the session.
    #[serde(skip)]
    pub events: Vec<u32>,
}

/// Sessions per actor: a successful login opens one, a logout closes it, and a pause longer than
/// `maxpause` (ns; 0 = 30 min) between two events ends it when there is no logout. Sorted by
/// start time, then actor.
pub fn sessions(ds: &Dataset, sel: Option<&[u32]>, maxpause: i64) -> Vec<Session> {
    use crate::model::Activity;
    let maxpause = if maxpause > 0 { maxpause } else { 30 * MIN };
    let mut open: HashMap<Sym, Session> = HashMap::new();
    let mut done: Vec<Session> = Vec::new();
    let new = |ds: &Dataset, a: Sym, e: &Event| Session {
        actor: ds.str(a).to_string(),
        start: String::new(),
        end: String::new(),
        start_ns: e.time,
        end_ns: e.time,
        duration_s: 0,
        count: 0,
        failures: 0,
        ips: Vec::new(),
        user_agents: Vec::new(),
        login: false,
        logout: false,
        events: Vec::new(),
    };
    for p in positions(ds, sel) {
        let e = &ds.events[p];
        let a = actor_of(e);
        if a.is_none() || !e.actor_verified {
            continue;
        }
        let auth = e.category == Category::Authentication;
        let login = auth && e.activity == Activity::Logon && e.outcome != Outcome::Failure;
        let logout = auth && e.activity == Activity::Logoff;
        let close = match open.get(&a) {
            Some(s) => login || e.time - s.end_ns > maxpause,
            None => false,
        };
        if close {
            if let Some(s) = open.remove(&a) {
                done.push(s);
            }
        }
        let s = open.entry(a).or_insert_with(|| {
            let mut s = new(ds, a, e);
            s.login = login;
            s
        });
        s.end_ns = e.time;
        s.count += 1;
        s.events.push(p as u32);
        if e.outcome == Outcome::Failure {
            s.failures += 1;
        }
        if let Some(ip) = e.src_ip {
            let ip = ip.to_string();
            if !s.ips.contains(&ip) {
                s.ips.push(ip);
            }
        }
        if e.user_agent.is_some() {
            let ua = ds.str(e.user_agent);
            if !s.user_agents.iter().any(|u| u == ua) {
                s.user_agents.push(ua.to_string());
            }
        }
        if logout {
            if let Some(mut s) = open.remove(&a) {
                s.logout = true;
                done.push(s);
            }
        }
    }
    done.extend(open.into_values());
    for s in &mut done {
        s.start = time::format_rfc3339_ms(s.start_ns);
        s.end = time::format_rfc3339_ms(s.end_ns);
        s.duration_s = (s.end_ns - s.start_ns) / NS;
    }
    done.sort_by(|a, b| {
        a.start_ns
            .cmp(&b.start_ns)
            .then_with(|| a.actor.cmp(&b.actor))
    });
    done
}

/// Which neighbours [`context`] keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Share {
    /// All events in the window.
    #[default]
    All,
    /// Same actor.
    Actor,
    /// Same source IP.
    Ip,
    /// A target in common.
    Target,
}

/// The events within ± `window` ns of the event at `pos`, keeping those that share its actor,
/// IP or a target (or all). Includes `pos` itself. Positions in time order.
pub fn context(ds: &Dataset, pos: usize, window: i64, share: Share) -> Vec<u32> {
    let Some(e) = ds.events.get(pos) else {
        return Vec::new();
    };
    let lo = ds.events.partition_point(|x| x.time < e.time - window);
    let hi = ds.events.partition_point(|x| x.time <= e.time + window);
    let targets: Vec<(Sym, Sym)> = ds.targets_of(e).iter().map(|t| (t.id, t.name)).collect();
    let actor = actor_of(e);
    (lo..hi)
        .filter(|&i| {
            let x = &ds.events[i];
            i == pos
                || match share {
                    Share::All => true,
                    Share::Actor => actor.is_some() && actor_of(x) == actor,
                    Share::Ip => e.src_ip.is_some() && x.src_ip == e.src_ip,
                    Share::Target => ds.targets_of(x).iter().any(|t| {
                        targets.iter().any(|(id, name)| {
                            (id.is_some() && *id == t.id) || (name.is_some() && *name == t.name)
                        })
                    }),
                }
        })
        .map(|i| i as u32)
        .collect()
}

/// First and last sighting of a value.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Seen {
    /// First time (RFC 3339).
    pub first: String,
    /// Last time.
    pub last: String,
    /// Events.
    pub count: u64,
    /// Position of the first event.
    pub first_pos: u32,
    /// Position of the last event.
    pub last_pos: u32,
}

/// What [`seen`] looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeenOf {
    /// Actor name or id.
    Actor,
    /// Source IP (or source text).
    Ip,
    /// User agent.
    UserAgent,
}

/// First-seen / last-seen of an actor, IP or user agent (exact match).
pub fn seen(ds: &Dataset, what: SeenOf, value: &str) -> Option<Seen> {
    let sym = ds.strings.lookup(value);
    let ip: Option<IpAddr> = value.trim().parse().ok();
    let hit = |e: &Event| match what {
        SeenOf::Actor => sym.is_some_and(|s| s.is_some() && (e.actor_name == s || e.actor_id == s)),
        SeenOf::Ip => match ip {
            Some(ip) => e.src_ip == Some(ip),
            None => sym.is_some_and(|s| s.is_some() && e.src_raw == s),
        },
        SeenOf::UserAgent => sym.is_some_and(|s| s.is_some() && e.user_agent == s),
    };
    let mut first = None;
    let mut last = 0;
    let mut count = 0;
    for (i, e) in ds.events.iter().enumerate() {
        if hit(e) {
            first.get_or_insert(i);
            last = i;
            count += 1;
        }
    }
    let first = first?;
    Some(Seen {
        first: time::format_rfc3339_ms(ds.events[first].time),
        last: time::format_rfc3339_ms(ds.events[last].time),
        count,
        first_pos: first as u32,
        last_pos: last as u32,
    })
}

/// One difference between the before and after state.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Change {
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// Path (`settings.retention.days`, `roles[2]`); empty for the whole value.
    pub path: String,
    /// The value before (JSON text), when there was one.
    pub before: Option<String>,
    /// The value after (JSON text).
    pub after: Option<String>,
}

/// The structured diff of an event's state ([`Dataset::changes`]); empty when it has none.
pub fn event_diff(ds: &Dataset, e: &Event) -> Vec<Change> {
    ds.changes(e).map(|c| diff_changes(&c)).unwrap_or_default()
}

/// Diffs a `{"before":…,"after":…}` document (either side may be null or absent).
pub fn diff_changes(text: &str) -> Vec<Change> {
    let Ok(doc) = Doc::parse_str(text) else {
        return Vec::new();
    };
    let root = doc.root();
    let b = root.get("before").filter(|v| !v.is_null());
    let a = root.get("after").filter(|v| !v.is_null());
    let mut out = Vec::new();
    diff_vals(b, a, &mut String::new(), &mut out, 0);
    out
}

fn raw(v: &Val<'_, '_>) -> String {
    String::from_utf8_lossy(v.raw()).into_owned()
}

fn diff_vals(
    b: Option<Val<'_, '_>>,
    a: Option<Val<'_, '_>>,
    path: &mut String,
    out: &mut Vec<Change>,
    depth: usize,
) {
    match (b, a) {
        (None, None) => {}
        (None, Some(a)) => out.push(Change {
            kind: "added",
            path: path.clone(),
            before: None,
            after: Some(raw(&a)),
        }),
        (Some(b), None) => out.push(Change {
            kind: "removed",
            path: path.clone(),
            before: Some(raw(&b)),
            after: None,
        }),
        (Some(b), Some(a)) => {
            if b.kind() == Kind::Obj && a.kind() == Kind::Obj && depth < 32 {
                let mut keys: Vec<String> = b.entries().map(|(k, _)| k.into_owned()).collect();
                for (k, _) in a.entries() {
                    if !keys.iter().any(|x| *x == k) {
                        keys.push(k.into_owned());
                    }
                }
                for k in keys {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&k);
                    diff_vals(b.get(&k), a.get(&k), path, out, depth + 1);
                    path.truncate(len);
                }
            } else if b.kind() == Kind::Arr && a.kind() == Kind::Arr && depth < 32 {
                let bv: Vec<_> = b.elements().collect();
                let av: Vec<_> = a.elements().collect();
                for i in 0..bv.len().max(av.len()) {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    diff_vals(bv.get(i).copied(), av.get(i).copied(), path, out, depth + 1);
                    path.truncate(len);
                }
            } else if canonical(&b) != canonical(&a) {
                out.push(Change {
                    kind: "changed",
                    path: path.clone(),
                    before: Some(raw(&b)),
                    after: Some(raw(&a)),
                });
            }
        }
    }
}

/// Scalars compare by value (`"x"` written with or without escapes), containers by their text
/// without white space.
fn canonical(v: &Val<'_, '_>) -> String {
    match v.kind() {
        Kind::Str => format!("s:{}", v.as_str().unwrap_or_default()),
        _ => raw(v).split_whitespace().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadOptions;

    fn ds() -> Dataset {
        let lines = [
            r#"{"id":"1","action":"auth.login","createdAt":"2026-03-02T10:00:00Z","userId":"u1","userName":"alice@x.example","resourceType":"user","resourceId":"u1","resourceName":"alice@x.example","ipAddress":"192.0.2.1","userAgent":"UA1"}"#,
            r#"{"id":"2","action":"instance.deleted","createdAt":"2026-03-02T10:05:00Z","userId":"u1","userName":"alice@x.example","resourceType":"instance","resourceId":"i1","resourceName":"web-1","ipAddress":"192.0.2.1","userAgent":"UA1"}"#,
            r#"{"id":"3","action":"instance.deleted","createdAt":"2026-03-02T10:07:00Z","userId":"u2","userName":"bob@x.example","resourceType":"instance","resourceId":"i1","resourceName":"web-1","ipAddress":"192.0.2.9","userAgent":"UA2"}"#,
            r#"{"id":"4","action":"auth.logout","createdAt":"2026-03-02T10:20:00Z","userId":"u1","userName":"alice@x.example","resourceType":"user","resourceId":"u1","resourceName":"alice@x.example","ipAddress":"192.0.2.1","userAgent":"UA1"}"#,
            r#"{"id":"5","action":"instance.started","createdAt":"2026-03-02T12:00:00Z","userId":"u2","userName":"bob@x.example","resourceType":"instance","resourceId":"i2","resourceName":"web-2","ipAddress":"192.0.2.10","userAgent":"UA2"}"#,
            r#"{"id":"6","action":"member.role_changed","createdAt":"2026-03-02T12:01:00Z","userId":"u2","userName":"bob@x.example","resourceType":"member","resourceId":"u1","resourceName":"alice@x.example","ipAddress":"192.0.2.10","userAgent":"UA2","beforeState":{"role":"developer","teams":["a"],"x":{"y":1}},"afterState":{"role":"owner","teams":["a","b"],"z":true}}"#,
        ];
        let mut d = Dataset::new();
        let s = d.load(
            "t.ndjson",
            lines.join("\n").into_bytes(),
            &LoadOptions::default(),
        );
        assert!(s.ok, "{:?}", s.errors);
        d
    }

    #[test]
    fn durations_and_buckets() {
        assert_eq!(parse_duration("5m"), Some(5 * MIN));
        assert_eq!(parse_duration("1h"), Some(60 * MIN));
        assert_eq!(parse_duration("2d"), Some(2 * 1440 * MIN));
        assert_eq!(parse_duration("30"), Some(30 * MIN));
        assert_eq!(parse_duration("x"), None);
        assert_eq!(auto_bucket(14 * 1440 * MIN, 100), 360 * MIN);
        assert_eq!(bucket_label(15 * MIN), "15m");
    }

    #[test]
    fn histogram_stacks() {
        let d = ds();
        let h = histogram(&d, None, 60 * MIN, Stack::Outcome);
        assert_eq!(h.len(), 3);
        assert_eq!(h.total, 6);
        assert_eq!(h.totals(), vec![4, 0, 2]);
        let h = histogram(&d, Some(&[1, 2]), 0, Stack::Category);
        assert_eq!(h.total, 2);
        let res = h.series.iter().position(|s| s == "resource").unwrap();
        assert_eq!(h.counts[res].iter().sum::<u64>(), 2);
        assert!(histogram(&d, Some(&[]), 0, Stack::None).is_empty());
    }

    #[test]
    fn lanes_by_actor_ip_target() {
        let d = ds();
        let l = lanes(&d, None, LaneBy::Actor);
        assert_eq!(l[0].key, "alice@x.example");
        assert_eq!(l[0].count, 3);
        assert_eq!(l[1].count, 3);
        let l = lanes(&d, None, LaneBy::Target);
        let web1 = l.iter().find(|x| x.key == "web-1").unwrap();
        assert_eq!(web1.count, 2);
        assert_eq!(web1.actions, 1);
        let l = lanes(&d, None, LaneBy::Ip);
        assert_eq!(l.len(), 3);
    }

    #[test]
    fn sessions_login_logout_and_gap() {
        let d = ds();
        let s = sessions(&d, None, 0);
        let alice: Vec<_> = s.iter().filter(|x| x.actor == "alice@x.example").collect();
        assert_eq!(alice.len(), 1);
        assert!(alice[0].login && alice[0].logout);
        assert_eq!(alice[0].count, 3);
        assert_eq!(alice[0].duration_s, 20 * 60);
        let bob: Vec<_> = s.iter().filter(|x| x.actor == "bob@x.example").collect();
        assert_eq!(bob.len(), 2, "{bob:#?}");
        assert_eq!(bob[1].ips, ["192.0.2.10"]);
        assert_eq!(
            sessions(&d, None, 3 * 60 * MIN)
                .iter()
                .filter(|x| x.actor == "bob@x.example")
                .count(),
            1
        );
    }

    #[test]
    fn context_and_seen() {
        let d = ds();
        assert_eq!(context(&d, 1, 10 * MIN, Share::All), vec![0, 1, 2]);
        assert_eq!(context(&d, 1, 10 * MIN, Share::Actor), vec![0, 1]);
        assert_eq!(context(&d, 1, 10 * MIN, Share::Target), vec![1, 2]);
        assert_eq!(context(&d, 1, 10 * MIN, Share::Ip), vec![0, 1]);
        let s = seen(&d, SeenOf::Actor, "bob@x.example").unwrap();
        assert_eq!(s.count, 3);
        assert_eq!(s.first, "2026-03-02T10:07:00.000Z");
        assert_eq!(seen(&d, SeenOf::Ip, "192.0.2.1").unwrap().count, 3);
        assert_eq!(seen(&d, SeenOf::UserAgent, "UA2").unwrap().last_pos, 5);
        assert!(seen(&d, SeenOf::Actor, "nobody").is_none());
    }

    #[test]
    fn diff_nested_paths() {
        let d = ds();
        let c = event_diff(&d, &d.events[5]);
        let find = |p: &str| {
            c.iter()
                .find(|x| x.path == p)
                .unwrap_or_else(|| panic!("{p}: {c:#?}"))
        };
        assert_eq!(find("role").kind, "changed");
        assert_eq!(find("role").after.as_deref(), Some("\"owner\""));
        assert_eq!(find("teams[1]").kind, "added");
        assert_eq!(find("x").kind, "removed");
        assert_eq!(find("z").kind, "added");
        assert!(!c.iter().any(|x| x.path == "teams[0]"));
        assert!(event_diff(&d, &d.events[0]).is_empty());
        let c = diff_changes(r#"{"before":null,"after":{"a":1}}"#);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].kind, "added");
        assert_eq!(c[0].path, "");
    }
}
