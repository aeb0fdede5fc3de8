//! OpsKnight (seed 003): incident-management tool with users, teams, services, escalation
//! policies and integrations. Output: a JSON array of
//! `{"id","action","entityType","entityId","actorId","details":{},"ipAddress","userAgent","createdAt"}`.
//!
//! Choices where the docs are silent: ids are Prisma-style cuids; `id`, `ipAddress` and
//! `userAgent` are top-level keys (the seed example shows neither); `actorId`, `ipAddress` and
//! `userAgent` are `null` for system records; `LOGIN_*` records have `entityType` `USER`, the
//! account's id in `entityId`/`actorId` and the attempted e-mail in `details.email`; a team
//! membership's `entityId` is `teamId:userId` as in the seed example. MFA removal is an
//! `oidc.config.updated` turning `requireMfa` off; the API token is an
//! `integration.secret_rotated`; audit forwarding is a `WEBHOOK` integration.

use crate::engine::{step, Cx, Dialect, Step, Who};
use crate::incident::{DelWhat, IncKind};
use crate::org::{AutoKind, Org, Role};
use crate::out::{key, kv, Obj};
use crate::rng::{Rng, LOWER_ALNUM};
use crate::timefmt::write_rfc3339;

pub(crate) struct OpsKnight {
    teams: Vec<(String, &'static str)>,
    services: Vec<(String, &'static str)>,
    policies: Vec<(String, &'static str)>,
    integrations: Vec<(String, &'static str, &'static str)>,
    ids: Rng,
}

pub(crate) struct KEv {
    action: &'static str,
    entity_type: &'static str,
    entity_id: String,
    details: String,
}

const TEAMS: [&str; 6] = ["Platform", "Payments", "Data", "Mobile", "SRE", "Support"];
const SERVICES: [&str; 16] = [
    "checkout-api",
    "payments-gateway",
    "search",
    "mobile-backend",
    "data-warehouse",
    "auth-service",
    "notifications",
    "status-page",
    "inventory",
    "pricing",
    "recommendations",
    "email-delivery",
    "reporting",
    "webhooks-ingest",
    "admin-portal",
    "media-cdn",
];
const POLICIES: [&str; 6] = [
    "Platform primary",
    "Payments 24x7",
    "Data business hours",
    "SRE default",
    "Mobile on-call",
    "Support escalation",
];
const INTEGRATIONS: [(&str, &str); 6] = [
    ("Datadog", "DATADOG"),
    ("Prometheus Alertmanager", "PROMETHEUS"),
    ("Grafana", "GRAFANA"),
    ("Sentry", "SENTRY"),
    ("Email", "EMAIL"),
    ("siem-audit-forwarder", "WEBHOOK"),
];

const CHANNELS: [&[&str]; 4] = [
    &["EMAIL", "PUSH"],
    &["EMAIL", "SMS", "PUSH"],
    &["PUSH"],
    &["EMAIL", "SLACK"],
];

fn cuid(rng: &mut Rng) -> String {
    format!("cm{}", rng.token(LOWER_ALNUM, 23))
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner | Role::Admin => "ADMIN",
        Role::Developer => "RESPONDER",
        Role::Viewer | Role::Billing => "USER",
    }
}

fn kev(
    action: &'static str,
    entity_type: &'static str,
    entity_id: impl Into<String>,
    details: String,
) -> KEv {
    KEv {
        action,
        entity_type,
        entity_id: entity_id.into(),
        details,
    }
}

fn change(field: &str, from: &str, to: &str) -> String {
    Obj::new()
        .raw(field, &Obj::new().s("from", from).s("to", to).done())
        .done()
}

#[derive(Clone, Copy)]
enum A {
    ServiceUpdate,
    PolicyUpdate,
    StepUpdate,
    Notifications,
    IntegrationStatus,
    TeamUpdate,
    // rare
    MemberAdd,
    MemberRemove,
    Invite,
    RoleChange,
    PolicyCreate,
    StepAdd,
    StepMove,
    IntegrationCreate,
    SecretRotate,
    PasswordUpdate,
}

const W: u8 = 1;
const ADM: u8 = 2;
const ANY: u8 = 4;

const ROUTINE: &[(A, u64, u8)] = &[
    (A::ServiceUpdate, 10, W),
    (A::PolicyUpdate, 4, W),
    (A::StepUpdate, 4, W),
    (A::Notifications, 3, ANY),
    (A::IntegrationStatus, 2, W),
    (A::TeamUpdate, 2, ADM),
];

const RARE: &[(A, u64, u8)] = &[
    (A::MemberAdd, 4, ADM),
    (A::MemberRemove, 3, ADM),
    (A::Invite, 3, ADM),
    (A::RoleChange, 3, ADM),
    (A::PolicyCreate, 2, ADM),
    (A::StepAdd, 3, W),
    (A::StepMove, 2, W),
    (A::IntegrationCreate, 2, W),
    (A::SecretRotate, 2, ADM),
    (A::PasswordUpdate, 4, ANY),
];

fn allowed(mask: u8, role: Role) -> bool {
    (mask & W != 0 && role.can_write()) || (mask & ADM != 0 && role.is_admin()) || mask & ANY != 0
}

impl OpsKnight {
    pub(crate) fn new(seed: u64) -> OpsKnight {
        let mut rng = Rng::new(seed, 0x0c4a);
        let teams = TEAMS.iter().map(|&n| (cuid(&mut rng), n)).collect();
        let services = SERVICES.iter().map(|&n| (cuid(&mut rng), n)).collect();
        let policies = POLICIES.iter().map(|&n| (cuid(&mut rng), n)).collect();
        let integrations = INTEGRATIONS
            .iter()
            .map(|&(n, t)| (cuid(&mut rng), n, t))
            .collect();
        OpsKnight {
            teams,
            services,
            policies,
            integrations,
            ids: Rng::new(seed, 0x1d6),
        }
    }

    fn auth(&self, org: &Org, p: usize, action: &'static str) -> KEv {
        let person = &org.people[p];
        let details = match action {
            "LOGIN_SUCCESS" => Obj::new()
                .s("email", &person.email)
                .s("method", if person.sso { "oidc" } else { "credentials" })
                .done(),
            "LOGIN_FAILED" => Obj::new()
                .s("email", &person.email)
                .s("reason", "INVALID_CREDENTIALS")
                .done(),
            _ => Obj::new().s("email", &person.email).done(),
        };
        kev(action, "USER", person.cuid.clone(), details)
    }

    fn human(&mut self, cx: &mut Cx, p: usize, a: A, out: &mut Vec<Step<KEv>>) {
        let me = Who::Person(p);
        let svc = &self.services[cx.rng.below(self.services.len() as u64) as usize];
        let pol = &self.policies[cx.rng.below(self.policies.len() as u64) as usize];
        let team = &self.teams[cx.rng.below(self.teams.len() as u64) as usize];
        let e = match a {
            A::ServiceUpdate => {
                let (field, from, to) = *cx.rng.pick(&[
                    ("urgency", "LOW", "HIGH"),
                    ("urgency", "HIGH", "LOW"),
                    ("escalationPolicy", "SRE default", "Platform primary"),
                    ("autoResolveMinutes", "240", "120"),
                    ("description", "", "Customer-facing checkout flow"),
                ]);
                let d = Obj::new()
                    .s("name", svc.1)
                    .raw("changes", &change(field, from, to))
                    .done();
                kev("service.updated", "SERVICE", svc.0.clone(), d)
            }
            A::PolicyUpdate => {
                let r = cx.rng.range(1, 3) as i64;
                let d = Obj::new()
                    .s("name", pol.1)
                    .raw(
                        "changes",
                        &Obj::new()
                            .raw(
                                "repeatCount",
                                &Obj::new().n("from", r).n("to", r + 1).done(),
                            )
                            .done(),
                    )
                    .done();
                kev(
                    "escalation_policy.updated",
                    "ESCALATION_POLICY",
                    pol.0.clone(),
                    d,
                )
            }
            A::StepUpdate | A::StepAdd | A::StepMove => {
                let idx = cx.rng.range(0, 2) as i64;
                let (action, d) = match a {
                    A::StepUpdate => {
                        let m = [5, 10, 15, 30][cx.rng.below(4) as usize];
                        (
                            "escalation_policy.step_updated",
                            Obj::new()
                                .s("policyId", &pol.0)
                                .n("stepIndex", idx)
                                .raw(
                                    "delayMinutes",
                                    &Obj::new().n("from", m).n("to", m * 2).done(),
                                )
                                .done(),
                        )
                    }
                    A::StepAdd => (
                        "escalation_policy.step_added",
                        Obj::new()
                            .s("policyId", &pol.0)
                            .n("stepIndex", idx + 1)
                            .s("targetType", "SCHEDULE")
                            .n("delayMinutes", 15)
                            .done(),
                    ),
                    _ => (
                        "escalation_policy.step_moved",
                        Obj::new()
                            .s("policyId", &pol.0)
                            .n("from", idx)
                            .n("to", idx + 1)
                            .done(),
                    ),
                };
                kev(action, "ESCALATION_POLICY", pol.0.clone(), d)
            }
            A::Notifications => {
                let person = &cx.org.people[p];
                let chans = *cx.rng.pick(&CHANNELS);
                let d = Obj::new()
                    .s("teamId", &team.0)
                    .s("userId", &person.cuid)
                    .strs("channels", chans)
                    .done();
                kev(
                    "team.member.notifications.updated",
                    "TEAM_MEMBER",
                    format!("{}:{}", team.0, person.cuid),
                    d,
                )
            }
            A::IntegrationStatus => {
                let i = &self.integrations[cx.rng.below(5) as usize];
                let on = cx.rng.chance(3, 4);
                let d = Obj::new()
                    .s("name", i.1)
                    .s("type", i.2)
                    .s("serviceId", &svc.0)
                    .b("enabled", on)
                    .done();
                kev("integration.status_updated", "INTEGRATION", i.0.clone(), d)
            }
            A::TeamUpdate => {
                let d = Obj::new()
                    .s("name", team.1)
                    .raw(
                        "changes",
                        &change("description", "", &format!("{} on-call team", team.1)),
                    )
                    .done();
                kev("team.updated", "TEAM", team.0.clone(), d)
            }
            A::MemberAdd | A::MemberRemove => {
                let q = cx.rng.below(cx.org.people.len() as u64) as usize;
                let user = &cx.org.people[q].cuid;
                let d = Obj::new()
                    .s("teamId", &team.0)
                    .s("userId", user)
                    .s("role", "MEMBER")
                    .done();
                let action = if matches!(a, A::MemberAdd) {
                    "team.member.added"
                } else {
                    "team.member.removed"
                };
                kev(action, "TEAM_MEMBER", format!("{}:{}", team.0, user), d)
            }
            A::Invite => {
                let first = *cx
                    .rng
                    .pick(&["sam", "alex", "robin", "kim", "jamie", "charlie"]);
                let last = *cx
                    .rng
                    .pick(&["turner", "meyer", "lopez", "brooks", "janssen"]);
                let d = Obj::new()
                    .s("email", &format!("{first}.{last}@{}", cx.org.domain))
                    .s("role", "RESPONDER")
                    .done();
                kev("user.invited", "USER", cuid(&mut cx.rng), d)
            }
            A::RoleChange => {
                let candidates: Vec<usize> = (0..cx.org.people.len())
                    .filter(|&q| {
                        q != p && matches!(cx.org.roles[q], Role::Developer | Role::Viewer)
                    })
                    .collect();
                if candidates.is_empty() {
                    return;
                }
                let q = *cx.rng.pick(&candidates);
                let from = cx.org.roles[q];
                let to = if from == Role::Developer {
                    Role::Viewer
                } else {
                    Role::Developer
                };
                cx.org.roles[q] = to;
                let target = &cx.org.people[q];
                let d = Obj::new()
                    .s("userId", &target.cuid)
                    .s("email", &target.email)
                    .s("from", role_name(from))
                    .s("to", role_name(to))
                    .done();
                kev("user.role.updated", "USER", target.cuid.clone(), d)
            }
            A::PolicyCreate => {
                let name = format!("{} follow-the-sun", team.1);
                let d = Obj::new()
                    .s("name", &name)
                    .s("teamId", &team.0)
                    .n("repeatCount", 1)
                    .done();
                kev(
                    "escalation_policy.created",
                    "ESCALATION_POLICY",
                    cuid(&mut cx.rng),
                    d,
                )
            }
            A::IntegrationCreate => {
                let (name, ty) = *cx.rng.pick(&[
                    ("Prometheus Alertmanager", "PROMETHEUS"),
                    ("Grafana", "GRAFANA"),
                    ("Sentry", "SENTRY"),
                ]);
                let d = Obj::new()
                    .s("serviceId", &svc.0)
                    .s("name", name)
                    .s("type", ty)
                    .done();
                kev("integration.created", "INTEGRATION", cuid(&mut cx.rng), d)
            }
            A::SecretRotate => {
                let i = &self.integrations[cx.rng.below(4) as usize];
                let d = Obj::new()
                    .s("name", i.1)
                    .s("type", i.2)
                    .s("serviceId", &svc.0)
                    .done();
                kev("integration.secret_rotated", "INTEGRATION", i.0.clone(), d)
            }
            A::PasswordUpdate => {
                let person = &cx.org.people[p];
                kev(
                    "user.password.updated",
                    "USER",
                    person.cuid.clone(),
                    Obj::new().s("email", &person.email).done(),
                )
            }
        };
        out.push(step(0, me, e));
    }
}

impl Dialect for OpsKnight {
    type Ev = KEv;

    fn auto_mix(&self) -> [u64; 3] {
        [0, 0, 100]
    }

    fn role_weight(&self, role: Role) -> u64 {
        if role.can_write() {
            100
        } else {
            40
        }
    }

    fn head(&mut self, out: &mut Vec<u8>, _total: u64) {
        out.push(b'[');
    }

    fn tail(&mut self, out: &mut Vec<u8>, _total: u64) {
        out.extend_from_slice(b"\n]\n");
    }

    fn login(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<KEv>>) {
        let me = Who::Person(p);
        if !cx.org.people[p].sso && cx.rng.below(1000) < cx.org.people[p].typo_permille {
            out.push(step(0, me, self.auth(&cx.org, p, "LOGIN_FAILED")));
            out.push(step(
                cx.rng.range(6, 40) as u32,
                me,
                self.auth(&cx.org, p, "LOGIN_SUCCESS"),
            ));
        } else {
            out.push(step(0, me, self.auth(&cx.org, p, "LOGIN_SUCCESS")));
        }
    }

    fn action(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<KEv>>) {
        let role = cx.org.roles[p];
        let rare = cx.rare();
        let pick = |list: &[(A, u64, u8)], rng: &mut Rng| {
            let w: Vec<u64> = list
                .iter()
                .map(|&(_, w, m)| if allowed(m, role) { w } else { 0 })
                .collect();
            rng.weighted(&w).map(|i| list[i].0)
        };
        let a = if rare {
            pick(RARE, &mut cx.rng).or_else(|| pick(ROUTINE, &mut cx.rng))
        } else {
            pick(ROUTINE, &mut cx.rng)
        };
        if let Some(a) = a {
            self.human(cx, p, a, out);
        }
    }

    fn logout(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<KEv>>) {
        out.push(step(0, Who::Person(p), self.auth(&cx.org, p, "LOGOUT")));
    }

    fn auto(&mut self, cx: &mut Cx, _kind: AutoKind, out: &mut Vec<Step<KEv>>) {
        // Status sync from monitoring integrations, attributed to the system.
        let svc = &self.services[cx.rng.below(self.services.len() as u64) as usize];
        let (from, to) = if cx.rng.chance(1, 2) {
            ("OPERATIONAL", "DEGRADED")
        } else {
            ("DEGRADED", "OPERATIONAL")
        };
        let d = Obj::new()
            .s("name", svc.1)
            .s("source", "integration-sync")
            .raw("changes", &change("status", from, to))
            .done();
        out.push(step(
            0,
            Who::System,
            kev("service.updated", "SERVICE", svc.0.clone(), d),
        ));
    }

    fn nightly(&mut self, _cx: &mut Cx, _out: &mut Vec<Step<KEv>>) {}

    fn incident(&mut self, cx: &mut Cx, kind: IncKind) -> KEv {
        let v = cx.org.victim;
        let victim = &cx.org.people[v];
        match kind {
            IncKind::SprayFail { target } => self.auth(&cx.org, target, "LOGIN_FAILED"),
            IncKind::BruteFail => self.auth(&cx.org, v, "LOGIN_FAILED"),
            IncKind::BruteSuccess | IncKind::OffLogin => kev(
                "LOGIN_SUCCESS",
                "USER",
                victim.cuid.clone(),
                Obj::new()
                    .s("email", &victim.email)
                    .s("method", "credentials")
                    .done(),
            ),
            IncKind::ApiKeyCreate => {
                let i = &self.integrations[0];
                let d = Obj::new()
                    .s("name", i.1)
                    .s("type", i.2)
                    .s("serviceId", &self.services[0].0)
                    .done();
                kev("integration.secret_rotated", "INTEGRATION", i.0.clone(), d)
            }
            IncKind::OffApiKey => {
                let d = Obj::new()
                    .s("serviceId", &self.services[1].0)
                    .s("name", "ci-runner-02")
                    .s("type", "API")
                    .done();
                kev("integration.created", "INTEGRATION", cuid(&mut cx.rng), d)
            }
            IncKind::SelfGrant => {
                let d = Obj::new()
                    .s("userId", &victim.cuid)
                    .s("email", &victim.email)
                    .s("from", role_name(victim.role))
                    .s("to", "ADMIN")
                    .done();
                kev("user.role.updated", "USER", victim.cuid.clone(), d)
            }
            IncKind::MfaDisable => {
                let d = Obj::new()
                    .s("provider", "okta")
                    .raw(
                        "changes",
                        &Obj::new()
                            .raw(
                                "requireMfa",
                                &Obj::new().b("from", true).b("to", false).done(),
                            )
                            .done(),
                    )
                    .done();
                kev("oidc.config.updated", "SYSTEM", "oidc", d)
            }
            IncKind::Tamper => {
                let i = &self.integrations[5];
                let d = Obj::new()
                    .s("name", i.1)
                    .s("type", i.2)
                    .s(
                        "url",
                        &format!("https://siem.{}/ingest/opsknight", cx.org.domain),
                    )
                    .done();
                kev("integration.deleted", "INTEGRATION", i.0.clone(), d)
            }
            IncKind::Delete { what, i } => match what {
                DelWhat::Backup => {
                    let p = &self.policies[i % self.policies.len()];
                    kev(
                        "escalation_policy.deleted",
                        "ESCALATION_POLICY",
                        p.0.clone(),
                        Obj::new().s("name", p.1).done(),
                    )
                }
                DelWhat::Database => {
                    let t = &self.teams[i % self.teams.len()];
                    kev(
                        "team.deleted",
                        "TEAM",
                        t.0.clone(),
                        Obj::new().s("name", t.1).done(),
                    )
                }
                DelWhat::Instance => {
                    let s = &self.services[i % self.services.len()];
                    kev(
                        "service.deleted",
                        "SERVICE",
                        s.0.clone(),
                        Obj::new().s("name", s.1).done(),
                    )
                }
                DelWhat::Server => {
                    let it = &self.integrations[i % 4];
                    kev(
                        "integration.deleted",
                        "INTEGRATION",
                        it.0.clone(),
                        Obj::new().s("name", it.1).s("type", it.2).done(),
                    )
                }
            },
            IncKind::OffInvite => {
                let d = Obj::new()
                    .s("email", "it.helpdesk.contractor@outlook.example")
                    .s("role", "ADMIN")
                    .done();
                kev("user.invited", "USER", cuid(&mut cx.rng), d)
            }
            IncKind::OffCreate { i } => {
                // Silence paging: detach escalation from the busiest services.
                let s = &self.services[i % self.services.len()];
                let d = Obj::new()
                    .s("name", s.1)
                    .raw("changes", &change("escalationPolicy", "Payments 24x7", ""))
                    .done();
                kev("service.updated", "SERVICE", s.0.clone(), d)
            }
        }
    }

    fn action_name(&self, ev: &KEv) -> &'static str {
        ev.action
    }

    fn account(&self, org: &Org, p: usize) -> (String, String) {
        (org.people[p].email.clone(), org.people[p].cuid.clone())
    }

    fn write(&mut self, out: &mut Vec<u8>, cx: &mut Cx, t: i64, who: Who, e: &KEv, index: u64) {
        out.extend_from_slice(if index == 0 { b"\n{" } else { b",\n{" });
        let id = cuid(&mut self.ids);
        kv(out, "id", &id);
        kv(out, "action", e.action);
        kv(out, "entityType", e.entity_type);
        kv(out, "entityId", &e.entity_id);
        let (actor, ip, ua): (Option<&str>, Option<&str>, Option<&str>) = match who {
            Who::Person(p) => {
                let person = &cx.org.people[p];
                (Some(&person.cuid), Some(&person.ip), Some(person.ua))
            }
            Who::Attacker(p, net) => {
                let (ip, ua) = cx.org.attack_net(net);
                (Some(&cx.org.people[p].cuid), Some(ip), Some(ua))
            }
            Who::Key(..) | Who::System => (None, None, None),
        };
        let opt = |out: &mut Vec<u8>, k: &str, v: Option<&str>| match v {
            Some(v) => kv(out, k, v),
            None => {
                key(out, k);
                out.extend_from_slice(b"null,");
            }
        };
        opt(out, "actorId", actor);
        out.extend_from_slice(b"\"details\":");
        out.extend_from_slice(e.details.as_bytes());
        out.push(b',');
        opt(out, "ipAddress", ip);
        opt(out, "userAgent", ua);
        key(out, "createdAt");
        out.push(b'"');
        write_rfc3339(out, t);
        out.extend_from_slice(b"\"}");
    }
}
