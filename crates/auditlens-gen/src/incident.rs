//! The planted attack story. Its timing depends only on the seed, start and span, so every
//! format generated with the same options tells the same story at the same instants (the
//! crate docs carry the same table).
//!
//! Timeline (times in UTC; "A" is the anchor, 10:00 on the first Monday–Friday at or after
//! 55 % of the span; with the defaults A = 2026-02-09T10:00:00Z, a Monday):
//!
//! | When | What | Records |
//! |---|---|---|
//! | A+2m … A+~25m | password spray from the spray IP: 14 accounts, one round over all, a second round over 6 (45–80 s apart) | 20 failures |
//! | A+40m … A+~49m | brute force from the attacker IP against the victim (12–17 s apart) | 34 failures |
//! | +20–40 s | success from the same IP | 1 |
//! | +2.5–4 min each | API key/token created; victim grants itself owner/admin; MFA disabled; audit forwarding deleted | 4 |
//! | +3–5 min | destructive burst (12–19 s apart): 6 backups, 3 databases, 16 instances, 3 servers | 28 |
//! | next Sat/Sun 03:00 (or the last one before A if the span ends first) | off-hours session from the attacker IP: sign-in, invite an outside account, create a key, create 3 large instances | 6 |

use crate::engine::Who;
use crate::org::{AttackNet, Org};
use crate::rng::Rng;
use crate::timefmt::{weekday, DAY};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DelWhat {
    Backup,
    Database,
    Instance,
    Server,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IncKind {
    SprayFail { target: usize },
    BruteFail,
    BruteSuccess,
    ApiKeyCreate,
    SelfGrant,
    MfaDisable,
    Tamper,
    Delete { what: DelWhat, i: usize },
    OffLogin,
    OffInvite,
    OffApiKey,
    OffCreate { i: usize },
}

/// The ground-truth groups; one record can belong to several (the takeover chain overlaps the
/// individual steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Group {
    Spray,
    Brute,
    Takeover,
    ApiKey,
    Grant,
    Mfa,
    Tamper,
    Bulk,
    OffHours,
}

pub(crate) const GROUPS: [Group; 9] = [
    Group::Brute,
    Group::Spray,
    Group::Takeover,
    Group::ApiKey,
    Group::Grant,
    Group::Mfa,
    Group::Tamper,
    Group::Bulk,
    Group::OffHours,
];

impl Group {
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Group::Spray => "password_spray",
            Group::Brute => "brute_force",
            Group::Takeover => "account_takeover",
            Group::ApiKey => "api_key_created",
            Group::Grant => "privilege_grant",
            Group::Mfa => "mfa_disabled",
            Group::Tamper => "audit_tampering",
            Group::Bulk => "bulk_deletion",
            Group::OffHours => "off_hours",
        }
    }
}

impl IncKind {
    pub(crate) fn groups(self) -> &'static [Group] {
        match self {
            IncKind::SprayFail { .. } => &[Group::Spray],
            IncKind::BruteFail => &[Group::Brute],
            IncKind::BruteSuccess => &[Group::Brute, Group::Takeover],
            IncKind::ApiKeyCreate => &[Group::Takeover, Group::ApiKey],
            IncKind::SelfGrant => &[Group::Takeover, Group::Grant],
            IncKind::MfaDisable => &[Group::Takeover, Group::Mfa],
            IncKind::Tamper => &[Group::Takeover, Group::Tamper],
            IncKind::Delete { .. } => &[Group::Takeover, Group::Bulk],
            IncKind::OffLogin
            | IncKind::OffInvite
            | IncKind::OffApiKey
            | IncKind::OffCreate { .. } => &[Group::OffHours],
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct IncStep {
    pub t: i64,
    pub kind: IncKind,
    pub who: Who,
}

/// Number of records the incident adds.
pub(crate) const INCIDENT_RECORDS: u64 = 20 + 34 + 1 + 4 + 28 + 6;

/// Deletions in the destructive burst, in order.
pub(crate) const BULK: [(DelWhat, usize); 4] = [
    (DelWhat::Backup, 6),
    (DelWhat::Database, 3),
    (DelWhat::Instance, 16),
    (DelWhat::Server, 3),
];

/// The anchor (A) of the takeover day for a span.
pub(crate) fn anchor(start: i64, span: i64) -> i64 {
    let mut day = (start + span * 55 / 100).div_euclid(DAY);
    while weekday(day * DAY, 0) >= 5 {
        day += 1;
    }
    let a = day * DAY + 10 * 3600;
    if a < start + 3600 {
        a + DAY
    } else {
        a
    }
}

/// 03:00 UTC on the first Saturday/Sunday after the takeover day, or the last one before it.
pub(crate) fn off_hours_start(start: i64, end: i64, a: i64) -> i64 {
    let first_day = (a + 3 * 3600).div_euclid(DAY) + 1;
    let mut d = first_day;
    while d * DAY + 3 * 3600 + 3600 < end {
        if weekday(d * DAY, 0) >= 5 {
            return d * DAY + 3 * 3600;
        }
        d += 1;
    }
    let mut d = a.div_euclid(DAY) - 1;
    while d * DAY + 3 * 3600 >= start {
        if weekday(d * DAY, 0) >= 5 {
            return d * DAY + 3 * 3600;
        }
        d -= 1;
    }
    // Spans of at least 7 days always contain a weekend; fall back to the first night.
    (start.div_euclid(DAY) + 1) * DAY + 3 * 3600
}

/// Plan every incident record, sorted by time.
pub(crate) fn plan(org: &Org, seed: u64, start: i64, span: i64) -> Vec<IncStep> {
    let mut rng = Rng::new(seed, 0x1_dead_beef);
    let v = org.victim;
    let mut steps = Vec::with_capacity(INCIDENT_RECORDS as usize);
    let a = anchor(start, span);

    // (2) Password spray: one round over all 14 targets, a second over the first 6.
    let mut t = a + 120 + rng.below(60) as i64;
    let targets = &org.spray_targets;
    let rounds = targets.iter().chain(targets.iter().take(6));
    for (i, &target) in rounds.enumerate() {
        if i > 0 {
            t += rng.range(45, 80) as i64;
        }
        steps.push(IncStep {
            t,
            kind: IncKind::SprayFail { target },
            who: Who::Attacker(target, AttackNet::Spray),
        });
    }

    // (1) Brute force against the victim, then success from the same IP.
    let mut t = a + 40 * 60 + rng.below(60) as i64;
    for i in 0..34 {
        if i > 0 {
            t += rng.range(12, 17) as i64;
        }
        steps.push(IncStep {
            t,
            kind: IncKind::BruteFail,
            who: Who::Attacker(v, AttackNet::Brute),
        });
    }
    t += rng.range(20, 40) as i64;
    steps.push(IncStep {
        t,
        kind: IncKind::BruteSuccess,
        who: Who::Attacker(v, AttackNet::Brute),
    });

    // (3) The takeover chain, from the victim's account and the attacker IP.
    for kind in [
        IncKind::ApiKeyCreate,
        IncKind::SelfGrant,
        IncKind::MfaDisable,
        IncKind::Tamper,
    ] {
        t += rng.range(150, 240) as i64;
        steps.push(IncStep {
            t,
            kind,
            who: Who::Attacker(v, AttackNet::Browser),
        });
    }
    t += rng.range(180, 300) as i64;
    let mut first = true;
    for (what, n) in BULK {
        for i in 0..n {
            if !first {
                t += rng.range(12, 19) as i64;
            }
            first = false;
            steps.push(IncStep {
                t,
                kind: IncKind::Delete { what, i },
                who: Who::Attacker(v, AttackNet::Browser),
            });
        }
    }

    // (4) Off-hours: 03:00 on a weekend.
    let end = start + span;
    let mut t = off_hours_start(start, end, a) + rng.range(60, 240) as i64;
    let off = [
        IncKind::OffLogin,
        IncKind::OffInvite,
        IncKind::OffApiKey,
        IncKind::OffCreate { i: 0 },
        IncKind::OffCreate { i: 1 },
        IncKind::OffCreate { i: 2 },
    ];
    for (i, kind) in off.into_iter().enumerate() {
        if i > 0 {
            t += rng.range(60, 200) as i64;
        }
        steps.push(IncStep {
            t,
            kind,
            who: Who::Attacker(v, AttackNet::Browser),
        });
    }

    steps.sort_by_key(|s| s.t);
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::parse_rfc3339;

    #[test]
    fn default_timeline() {
        let start = parse_rfc3339("2026-02-01T00:00:00Z").expect("start");
        let span = 14 * DAY;
        assert_eq!(
            Some(anchor(start, span)),
            parse_rfc3339("2026-02-09T10:00:00Z")
        );
        let a = anchor(start, span);
        assert_eq!(
            Some(off_hours_start(start, start + span, a)),
            parse_rfc3339("2026-02-14T03:00:00Z")
        );
        let org = Org::new(1);
        let steps = plan(&org, 1, start, span);
        assert_eq!(steps.len() as u64, INCIDENT_RECORDS);
        let brute: Vec<i64> = steps
            .iter()
            .filter(|s| s.kind == IncKind::BruteFail)
            .map(|s| s.t)
            .collect();
        assert_eq!(brute.len(), 34);
        assert!(brute[33] - brute[0] < 600);
        let spray: Vec<i64> = steps
            .iter()
            .filter(|s| matches!(s.kind, IncKind::SprayFail { .. }))
            .map(|s| s.t)
            .collect();
        assert!(spray[spray.len() - 1] - spray[0] < 1800);
        let del: Vec<i64> = steps
            .iter()
            .filter(|s| matches!(s.kind, IncKind::Delete { .. }))
            .map(|s| s.t)
            .collect();
        assert_eq!(del.len(), 28);
        assert!(del[27] - del[0] < 600);
        let success = steps
            .iter()
            .find(|s| s.kind == IncKind::BruteSuccess)
            .map(|s| s.t);
        assert!(success.is_some_and(|s| del[27] - s < 3600));
    }

    #[test]
    fn off_hours_falls_back_before_anchor() {
        // 7-day span starting on a Saturday: the takeover Monday is followed by no weekend.
        let start = parse_rfc3339("2026-02-07T00:00:00Z").expect("start");
        let span = 7 * DAY;
        let a = anchor(start, span);
        let off = off_hours_start(start, start + span, a);
        assert!(off >= start && off < start + span);
        assert!(weekday(off, 0) >= 5);
    }
}
