//! oCore (seeds 000/001): hosting platform with servers, instances, databases, backups,
//! deployments, members, API keys and webhooks.
//!
//! Choices where the docs are silent: sign-in method and failure reason go in `afterState`
//! (`{"method":"totp"}`, `{"method":"password","reason":"invalid_password"}`); auth records use
//! `resourceType` `user` with the account's id and e-mail; system records have `userName`
//! `"system"` and empty `userId`, `ipAddress` and `userAgent`; API-key records carry the key's
//! name in `userName` and its id in `userId`; deployments are `resourceType` `deployment` named
//! `<instance>#<build>`, completed/failed by `system`.

use crate::engine::{step, Cx, Dialect, Step, Who};
use crate::incident::{DelWhat, IncKind};
use crate::org::{AutoKind, Mfa, Org, Role};
use crate::out::{csv_field, json_str, key, kv, Obj};
use crate::rng::{Rng, Uuid};
use crate::timefmt::{civil_from_days, write_rfc3339, DAY};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    Export,
    Api,
    Admin,
    Csv,
}

pub(crate) struct Res {
    id: Uuid,
    name: String,
}

pub(crate) struct Ocore {
    c: Container,
    instances: Vec<Res>,
    servers: Vec<Res>,
    dbs: Vec<Res>,
    siem_hook: Res,
    build: u64,
    key_no: u64,
    /// The instance each person is working on this session.
    focus: Vec<usize>,
}

pub(crate) struct OEv {
    action: &'static str,
    rtype: &'static str,
    rid: Uuid,
    rname: String,
    before: String,
    after: String,
}

const APPS: [&str; 8] = [
    "shop", "crm", "erp", "portal", "billing", "api", "docs", "intranet",
];
const SERVERS: [&str; 6] = [
    "eu-fra-1", "eu-fra-2", "eu-ams-1", "eu-lon-1", "eu-lon-2", "eu-par-1",
];
/// Instances 0, 2, 4 are shop/crm/erp production: the nightly backups and the attack's targets.
const PROD_MAIN: [usize; 3] = [0, 2, 4];

const PASSKEYS: [&str; 4] = ["MacBook Touch ID", "YubiKey 5C", "iPhone", "Windows Hello"];
const CI_NAME: &str = "github-actions-deploy";
const CI_UA: &str = "ocore-cli/2.4.1 (linux; amd64) github-actions";
const TF_NAME: &str = "terraform-cloud";
const TF_UA: &str = "terraform-provider-ocore/0.14.2 (+https://www.terraform.io) Terraform/1.10.5";
const MON_NAME: &str = "uptime-monitor";
const MON_UA: &str = "ocore-go/1.9.0";

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner => "owner",
        Role::Admin => "admin",
        Role::Developer => "developer",
        Role::Viewer => "viewer",
        Role::Billing => "billing",
    }
}

fn date_tag(t: i64) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    format!("{y:04}{m:02}{d:02}")
}

fn ev(
    action: &'static str,
    rtype: &'static str,
    rid: Uuid,
    rname: impl Into<String>,
    before: String,
    after: String,
) -> OEv {
    OEv {
        action,
        rtype,
        rid,
        rname: rname.into(),
        before,
        after,
    }
}

fn empty() -> String {
    "{}".to_string()
}

#[derive(Clone, Copy)]
enum A {
    Deploy,
    Restart,
    Settings,
    StopStart,
    Backup,
    ServerUpdate,
    // rare
    DbCreate,
    DbNeutralize,
    BackupRestore,
    PreviewCreate,
    PreviewDelete,
    Invite,
    RoleChange,
    KeyCreate,
    KeyRevoke,
    WebhookCreate,
    PasswordChange,
    TotpEnable,
    PasskeyRegister,
    OrgSettings,
}

const W: u8 = 1; // writers (owner, admin, developer)
const ADM: u8 = 2; // admins (owner, admin)
const ANY: u8 = 4;
const OWN: u8 = 8;

const ROUTINE: &[(A, u64, u8)] = &[
    (A::Deploy, 30, W),
    (A::Settings, 12, W),
    (A::Restart, 8, W),
    (A::Backup, 3, W),
    (A::StopStart, 3, W),
    (A::ServerUpdate, 2, ADM),
];

const RARE: &[(A, u64, u8)] = &[
    (A::DbCreate, 8, W),
    (A::DbNeutralize, 5, W),
    (A::BackupRestore, 5, W),
    (A::PreviewCreate, 6, W),
    (A::PreviewDelete, 4, W),
    (A::Invite, 4, ADM),
    (A::RoleChange, 4, ADM),
    (A::KeyCreate, 4, W),
    (A::KeyRevoke, 3, ADM),
    (A::WebhookCreate, 2, ADM),
    (A::PasswordChange, 5, ANY),
    (A::TotpEnable, 5, ANY),
    (A::PasskeyRegister, 3, ANY),
    (A::OrgSettings, 2, OWN),
];

fn allowed(mask: u8, role: Role) -> bool {
    (mask & W != 0 && role.can_write())
        || (mask & ADM != 0 && role.is_admin())
        || (mask & OWN != 0 && role == Role::Owner)
        || mask & ANY != 0
}

impl Ocore {
    pub(crate) fn new(c: Container, seed: u64) -> Ocore {
        let mut rng = Rng::new(seed, 0x0c07e);
        let servers: Vec<Res> = SERVERS
            .iter()
            .map(|s| Res {
                id: rng.uuid(),
                name: s.to_string(),
            })
            .collect();
        let mut instances = Vec::new();
        let mut dbs = Vec::new();
        for app in APPS {
            for env in ["prod", "staging"] {
                instances.push(Res {
                    id: rng.uuid(),
                    name: format!("{app}-{env}"),
                });
                dbs.push(Res {
                    id: rng.uuid(),
                    name: format!("{app}_{env}"),
                });
            }
        }
        let siem_hook = Res {
            id: rng.uuid(),
            name: "siem-audit-forwarder".to_string(),
        };
        Ocore {
            c,
            instances,
            servers,
            dbs,
            siem_hook,
            build: 1200 + rng.below(800),
            key_no: 1,
            focus: vec![0; crate::org::PEOPLE],
        }
    }

    fn instance(&self, rng: &mut Rng) -> usize {
        // Production instances get more attention than staging.
        let i = rng.below(self.instances.len() as u64) as usize;
        if rng.chance(1, 3) {
            i | 1
        } else {
            i & !1
        }
    }

    /// An instance for `who`: usually the person's focus of the session.
    fn instance_for(&self, rng: &mut Rng, who: Who) -> usize {
        match who {
            Who::Person(p) if rng.chance(7, 10) => self.focus[p],
            _ => self.instance(rng),
        }
    }

    fn deploy(&mut self, cx: &mut Cx, who: Who, trigger: &str, out: &mut Vec<Step<OEv>>) {
        let i = self.instance_for(&mut cx.rng, who);
        self.build += 1;
        let id = cx.rng.uuid();
        let name = format!("{}#{}", self.instances[i].name, self.build);
        let commit = cx.rng.hex(7);
        let branch = if i % 2 == 0 { "main" } else { "develop" };
        let after = Obj::new()
            .s("instance", &self.instances[i].name)
            .s("branch", branch)
            .s("commit", &commit)
            .s("trigger", trigger)
            .done();
        out.push(step(
            0,
            who,
            ev(
                "deployment.triggered",
                "deployment",
                id,
                name.clone(),
                empty(),
                after,
            ),
        ));
        let secs = cx.rng.range(70, 420);
        let before = Obj::new().s("status", "running").done();
        let r = cx.rng.below(100);
        if r < 90 {
            let after = Obj::new()
                .s("status", "success")
                .n("durationSec", secs as i64)
                .done();
            out.push(step(
                secs as u32,
                Who::System,
                ev(
                    "deployment.completed",
                    "deployment",
                    id,
                    name,
                    before,
                    after,
                ),
            ));
        } else {
            let err = *cx.rng.pick(&[
                "build step exited with code 1",
                "health check failed after 120s",
                "migration 0042 failed: duplicate key value",
                "image pull backoff",
            ]);
            let after = Obj::new()
                .s("status", "failed")
                .n("durationSec", secs as i64)
                .s("error", err)
                .done();
            out.push(step(
                secs as u32,
                Who::System,
                ev(
                    "deployment.failed",
                    "deployment",
                    id,
                    name.clone(),
                    before,
                    after,
                ),
            ));
            if matches!(who, Who::Person(_)) && cx.rng.chance(1, 2) {
                let before = Obj::new().s("status", "failed").s("commit", &commit).done();
                let prev = cx.rng.hex(7);
                let after = Obj::new()
                    .s("status", "rolled_back")
                    .s("commit", &prev)
                    .s("snapshot", &format!("snap-{}", cx.rng.hex(8)))
                    .done();
                out.push(step(
                    cx.rng.range(40, 200) as u32,
                    who,
                    ev(
                        "deployment.rolled_back",
                        "deployment",
                        id,
                        name,
                        before,
                        after,
                    ),
                ));
            }
        }
    }

    fn settings_change(&self, cx: &mut Cx, who: Who) -> OEv {
        let i = self.instance_for(&mut cx.rng, who);
        let (before, after) = match cx.rng.below(6) {
            0 => {
                let w = cx.rng.range(1, 4) as i64;
                (
                    Obj::new().n("workers", w).done(),
                    Obj::new().n("workers", w * 2).done(),
                )
            }
            1 => {
                let m = [512, 1024, 2048][cx.rng.below(3) as usize];
                (
                    Obj::new().n("memoryLimitMb", m).done(),
                    Obj::new().n("memoryLimitMb", m * 2).done(),
                )
            }
            2 => {
                let on = cx.rng.chance(1, 2);
                (
                    Obj::new().b("cronEnabled", on).done(),
                    Obj::new().b("cronEnabled", !on).done(),
                )
            }
            3 => (
                Obj::new().s("logLevel", "info").done(),
                Obj::new().s("logLevel", "debug").done(),
            ),
            4 => {
                let v = cx.rng.range(14, 16) as i64;
                (
                    Obj::new()
                        .s("pythonVersion", &format!("3.{}", v - 3))
                        .done(),
                    Obj::new()
                        .s("pythonVersion", &format!("3.{}", v - 2))
                        .done(),
                )
            }
            _ => {
                let n = cx.rng.range(2, 6) as i64;
                (
                    Obj::new().n("httpTimeoutSec", n * 30).done(),
                    Obj::new().n("httpTimeoutSec", n * 60).done(),
                )
            }
        };
        let r = &self.instances[i];
        ev(
            "instance.settings_updated",
            "instance",
            r.id,
            r.name.clone(),
            before,
            after,
        )
    }

    fn server_update(&self, cx: &mut Cx) -> OEv {
        let s = &self.servers[cx.rng.below(self.servers.len() as u64) as usize];
        let (before, after) = if cx.rng.chance(1, 2) {
            let v = cx.rng.range(2, 8) as i64;
            (
                Obj::new().n("maxInstances", v * 2).done(),
                Obj::new().n("maxInstances", v * 2 + 2).done(),
            )
        } else {
            (
                Obj::new().s("maintenanceWindow", "sun 02:00-04:00").done(),
                Obj::new().s("maintenanceWindow", "sat 03:00-05:00").done(),
            )
        };
        ev(
            "server.updated",
            "server",
            s.id,
            s.name.clone(),
            before,
            after,
        )
    }

    fn backup(&self, cx: &mut Cx, db: usize, trigger: &str, t: i64) -> OEv {
        let d = &self.dbs[db];
        // Sizes grow slowly from a per-database base (staging copies are smaller).
        let base = 400 + (db as i64 * 1_733) % 7_000;
        let base = if db % 2 == 1 { base / 4 } else { base };
        let day = (t - crate::DEFAULT_START).div_euclid(DAY).max(0);
        let size = base + day * (base / 200 + 1) + cx.rng.below(12) as i64;
        let after = Obj::new()
            .s("database", &d.name)
            .s("trigger", trigger)
            .n("sizeMb", size)
            .n("retentionDays", 30)
            .done();
        let name = format!(
            "{}-{}-{}",
            d.name,
            date_tag(t),
            if trigger == "scheduled" {
                "0200"
            } else {
                "manual"
            }
        );
        ev(
            "backup.created",
            "backup",
            cx.rng.uuid(),
            name,
            empty(),
            after,
        )
    }

    fn login_ev(&self, org: &Org, p: usize, method: &str) -> OEv {
        let person = &org.people[p];
        ev(
            "auth.login",
            "user",
            person.uuid,
            person.email.clone(),
            empty(),
            Obj::new().s("method", method).done(),
        )
    }

    fn failed_ev(&self, org: &Org, p: usize, method: &str, reason: &str) -> OEv {
        let person = &org.people[p];
        let after = Obj::new().s("method", method).s("reason", reason).done();
        ev(
            "auth.login_failed",
            "user",
            person.uuid,
            person.email.clone(),
            empty(),
            after,
        )
    }

    fn human(&mut self, cx: &mut Cx, p: usize, a: A, out: &mut Vec<Step<OEv>>) {
        let me = Who::Person(p);
        let now = cx.now;
        match a {
            A::Deploy => self.deploy(cx, me, "manual", out),
            A::Settings => {
                let e = self.settings_change(cx, me);
                out.push(step(0, me, e));
            }
            A::Restart => {
                let i = self.instance_for(&mut cx.rng, me);
                let r = &self.instances[i];
                let before = Obj::new()
                    .s("status", "running")
                    .n("uptimeHours", cx.rng.range(2, 900) as i64)
                    .done();
                let after = Obj::new()
                    .s("status", "running")
                    .s("reason", "manual")
                    .done();
                out.push(step(
                    0,
                    me,
                    ev(
                        "instance.restarted",
                        "instance",
                        r.id,
                        r.name.clone(),
                        before,
                        after,
                    ),
                ));
            }
            A::StopStart => {
                let i = self.instance_for(&mut cx.rng, me) | 1; // staging only
                let r = &self.instances[i];
                let running = Obj::new().s("status", "running").done();
                let stopped = Obj::new().s("status", "stopped").done();
                out.push(step(
                    0,
                    me,
                    ev(
                        "instance.stopped",
                        "instance",
                        r.id,
                        r.name.clone(),
                        running.clone(),
                        stopped.clone(),
                    ),
                ));
                let later = cx.rng.range(300, 2400) as u32;
                out.push(step(
                    later,
                    me,
                    ev(
                        "instance.started",
                        "instance",
                        r.id,
                        r.name.clone(),
                        stopped,
                        running,
                    ),
                ));
            }
            A::Backup => {
                let db = self.instance_for(&mut cx.rng, me);
                let e = self.backup(cx, db, "manual", now);
                out.push(step(0, me, e));
            }
            A::ServerUpdate => {
                let e = self.server_update(cx);
                out.push(step(0, me, e));
            }
            A::DbCreate => {
                let app = *cx.rng.pick(&APPS);
                let name = format!("{app}_staging_{}", cx.rng.range(2, 9));
                let after = Obj::new()
                    .s("name", &name)
                    .s("engine", "postgres")
                    .s("version", "16.6")
                    .n("sizeGb", 20)
                    .done();
                out.push(step(
                    0,
                    me,
                    ev(
                        "database.created",
                        "database",
                        cx.rng.uuid(),
                        name,
                        empty(),
                        after,
                    ),
                ));
            }
            A::DbNeutralize => {
                let i = self.instance(&mut cx.rng) | 1;
                let d = &self.dbs[i];
                let before = Obj::new().b("neutralized", false).done();
                let after = Obj::new()
                    .b("neutralized", true)
                    .s("source", &d.name.replace("staging", "prod"))
                    .done();
                out.push(step(
                    0,
                    me,
                    ev(
                        "database.neutralized",
                        "database",
                        d.id,
                        d.name.clone(),
                        before,
                        after,
                    ),
                ));
            }
            A::BackupRestore => {
                let i = self.instance(&mut cx.rng) | 1;
                let d = &self.dbs[i];
                let name = format!(
                    "{}-{}-0200",
                    d.name.replace("staging", "prod"),
                    date_tag(now - DAY)
                );
                let after = Obj::new()
                    .s("targetDatabase", &d.name)
                    .s("backup", &name)
                    .s("status", "restored")
                    .done();
                out.push(step(
                    0,
                    me,
                    ev(
                        "backup.restored",
                        "backup",
                        cx.rng.uuid(),
                        name,
                        empty(),
                        after,
                    ),
                ));
            }
            A::PreviewCreate | A::PreviewDelete => {
                let pr = cx.rng.range(1800, 2400);
                let name = format!("preview-pr-{pr}");
                let state = Obj::new()
                    .s("plan", "small")
                    .s("branch", &format!("pr-{pr}"))
                    .s("server", &self.servers[0].name)
                    .done();
                let (action, before, after) = if matches!(a, A::PreviewCreate) {
                    ("instance.created", empty(), state)
                } else {
                    ("instance.deleted", state, empty())
                };
                out.push(step(
                    0,
                    me,
                    ev(action, "instance", cx.rng.uuid(), name, before, after),
                ));
            }
            A::Invite => {
                let first = *cx.rng.pick(&[
                    "sam", "alex", "robin", "kim", "jamie", "charlie", "dana", "eli",
                ]);
                let last = *cx
                    .rng
                    .pick(&["turner", "meyer", "lopez", "brooks", "janssen", "moretti"]);
                let email = format!("{first}.{last}@{}", cx.org.domain);
                let role = if cx.rng.chance(3, 4) {
                    "developer"
                } else {
                    "viewer"
                };
                let after = Obj::new()
                    .s("email", &email)
                    .s("role", role)
                    .s("status", "pending")
                    .done();
                out.push(step(
                    0,
                    me,
                    ev(
                        "member.invited",
                        "member",
                        cx.rng.uuid(),
                        email,
                        empty(),
                        after,
                    ),
                ));
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
                let before = Obj::new().s("role", role_name(from)).done();
                let after = Obj::new().s("role", role_name(to)).done();
                out.push(step(
                    0,
                    me,
                    ev(
                        "member.role_changed",
                        "member",
                        target.uuid,
                        target.email.clone(),
                        before,
                        after,
                    ),
                ));
            }
            A::KeyCreate | A::KeyRevoke => {
                self.key_no += 1;
                let base = *cx.rng.pick(&[
                    "deploy-bot",
                    "metrics-export",
                    "staging-sync",
                    "backup-check",
                ]);
                let name = format!("{base}-{}", self.key_no);
                let state = Obj::new()
                    .s("name", &name)
                    .strs(
                        "scopes",
                        &[if base == "deploy-bot" {
                            "deployments:write"
                        } else {
                            "instances:read"
                        }],
                    )
                    .s("expiresAt", &crate::timefmt::rfc3339(now + 90 * DAY))
                    .done();
                let (action, before, after) = if matches!(a, A::KeyCreate) {
                    ("api_key.created", empty(), state)
                } else {
                    ("api_key.revoked", state, empty())
                };
                out.push(step(
                    0,
                    me,
                    ev(action, "api_key", cx.rng.uuid(), name, before, after),
                ));
            }
            A::WebhookCreate => {
                let after = Obj::new()
                    .s(
                        "url",
                        &format!(
                            "https://hooks.slack.com/services/T0{}/B0{}",
                            cx.rng.token(crate::rng::UPPER_ALNUM, 8),
                            cx.rng.token(crate::rng::UPPER_ALNUM, 8)
                        ),
                    )
                    .strs("events", &["deployment.failed", "backup.restored"])
                    .b("enabled", true)
                    .done();
                out.push(step(
                    0,
                    me,
                    ev(
                        "webhook_endpoint.created",
                        "webhook_endpoint",
                        cx.rng.uuid(),
                        "slack-deploy-alerts",
                        empty(),
                        after,
                    ),
                ));
            }
            A::PasswordChange => {
                let person = &cx.org.people[p];
                out.push(step(
                    0,
                    me,
                    ev(
                        "auth.password_changed",
                        "user",
                        person.uuid,
                        person.email.clone(),
                        empty(),
                        empty(),
                    ),
                ));
            }
            A::TotpEnable => {
                if cx.org.mfa[p] != Mfa::None {
                    return;
                }
                cx.org.mfa[p] = Mfa::Totp;
                let person = &cx.org.people[p];
                let before = Obj::new().b("totpEnabled", false).done();
                let after = Obj::new().b("totpEnabled", true).done();
                out.push(step(
                    0,
                    me,
                    ev(
                        "auth.totp_enabled",
                        "user",
                        person.uuid,
                        person.email.clone(),
                        before,
                        after,
                    ),
                ));
            }
            A::PasskeyRegister => {
                let person = &cx.org.people[p];
                let device = *cx.rng.pick(&PASSKEYS);
                let after = Obj::new().s("name", device).done();
                out.push(step(
                    0,
                    me,
                    ev(
                        "auth.passkey_registered",
                        "user",
                        person.uuid,
                        person.email.clone(),
                        empty(),
                        after,
                    ),
                ));
            }
            A::OrgSettings => {
                let (before, after) = if cx.rng.chance(1, 2) {
                    (
                        Obj::new().s("defaultRegion", "eu-west").done(),
                        Obj::new().s("defaultRegion", "eu-central").done(),
                    )
                } else {
                    (
                        Obj::new().n("sessionTimeoutMin", 480).done(),
                        Obj::new().n("sessionTimeoutMin", 720).done(),
                    )
                };
                let org_id = self.servers[0].id; // any stable id stands in for the org id
                out.push(step(
                    0,
                    me,
                    ev(
                        "org.settings_updated",
                        "organization",
                        org_id,
                        cx.org.slug,
                        before,
                        after,
                    ),
                ));
            }
        }
    }

    fn actor<'a>(&self, org: &'a Org, who: Who) -> (Option<Uuid>, &'a str, &'a str, &'static str) {
        match who {
            Who::Person(p) => {
                let person = &org.people[p];
                (Some(person.uuid), &person.email, &person.ip, person.ua)
            }
            Who::Key(kind, slot) => {
                let k = &org.keys[kind as usize];
                let (name, ua) = match kind {
                    AutoKind::Ci => (CI_NAME, CI_UA),
                    AutoKind::Infra => (TF_NAME, TF_UA),
                    AutoKind::Sys => (MON_NAME, MON_UA),
                };
                (Some(k.uuid), name, &k.ips[slot % k.ips.len()], ua)
            }
            Who::System => (None, "system", "", ""),
            Who::Attacker(p, net) => {
                let person = &org.people[p];
                let (ip, ua) = org.attack_net(net);
                (Some(person.uuid), &person.email, ip, ua)
            }
        }
    }
}

impl Dialect for Ocore {
    type Ev = OEv;

    fn auto_mix(&self) -> [u64; 3] {
        [100, 100, 100]
    }

    fn role_weight(&self, role: Role) -> u64 {
        // oCore does not audit reads: viewers and billing rarely leave a trace.
        if role.can_write() {
            100
        } else {
            15
        }
    }

    fn head(&mut self, out: &mut Vec<u8>, _total: u64) {
        match self.c {
            Container::Export | Container::Api => out.extend_from_slice(b"{\"items\":["),
            Container::Admin => out.extend_from_slice(b"{\"logs\":["),
            Container::Csv => out.extend_from_slice(
                b"id,action,createdAt,userId,userName,resourceType,resourceId,resourceName,ipAddress,userAgent,beforeState,afterState\n",
            ),
        }
    }

    fn tail(&mut self, out: &mut Vec<u8>, total: u64) {
        let total = total as i64;
        match self.c {
            Container::Export | Container::Admin => {
                out.extend_from_slice(b"\n],\"total\":");
                crate::out::int(out, total);
                out.extend_from_slice(b"}\n");
            }
            Container::Api => {
                out.extend_from_slice(b"\n],\"page\":1,\"perPage\":");
                crate::out::int(out, total);
                out.extend_from_slice(b",\"total\":");
                crate::out::int(out, total);
                out.extend_from_slice(b"}\n");
            }
            Container::Csv => {}
        }
    }

    fn login(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<OEv>>) {
        self.focus[p] = self.instance(&mut cx.rng);
        let method = match cx.org.mfa[p] {
            Mfa::None => "password",
            Mfa::Totp => "totp",
            Mfa::Passkey => "passkey",
        };
        let me = Who::Person(p);
        if cx.rng.below(1000) < cx.org.people[p].typo_permille {
            let (m, reason) = if method == "totp" && cx.rng.chance(1, 3) {
                ("totp", "invalid_totp")
            } else {
                ("password", "invalid_password")
            };
            out.push(step(0, me, self.failed_ev(&cx.org, p, m, reason)));
            out.push(step(
                cx.rng.range(6, 40) as u32,
                me,
                self.login_ev(&cx.org, p, method),
            ));
        } else {
            out.push(step(0, me, self.login_ev(&cx.org, p, method)));
        }
    }

    fn action(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<OEv>>) {
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
        let a = match a {
            Some(a) => a,
            // Viewers and billing have no routine write actions in oCore (reads are not
            // audited), but sometimes manage their own account.
            None if rare => *cx
                .rng
                .pick(&[A::PasswordChange, A::PasskeyRegister, A::TotpEnable]),
            None => return,
        };
        self.human(cx, p, a, out);
    }

    fn logout(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<OEv>>) {
        let person = &cx.org.people[p];
        out.push(step(
            0,
            Who::Person(p),
            ev(
                "auth.logout",
                "user",
                person.uuid,
                person.email.clone(),
                empty(),
                empty(),
            ),
        ));
    }

    fn auto(&mut self, cx: &mut Cx, kind: AutoKind, out: &mut Vec<Step<OEv>>) {
        let slot = cx.rng.below(16) as usize;
        match kind {
            AutoKind::Ci => self.deploy(cx, Who::Key(AutoKind::Ci, slot), "push", out),
            AutoKind::Infra => {
                let who = Who::Key(AutoKind::Infra, slot);
                let e = if cx.rng.chance(3, 4) {
                    self.settings_change(cx, who)
                } else {
                    self.server_update(cx)
                };
                out.push(step(0, who, e));
            }
            AutoKind::Sys => {
                let i = self.instance(&mut cx.rng);
                let r = &self.instances[i];
                let before = Obj::new()
                    .s("status", "unhealthy")
                    .n("failedChecks", cx.rng.range(3, 5) as i64)
                    .done();
                let after = Obj::new()
                    .s("status", "running")
                    .s("reason", "health_check_failed")
                    .done();
                out.push(step(
                    0,
                    Who::System,
                    ev(
                        "instance.restarted",
                        "instance",
                        r.id,
                        r.name.clone(),
                        before,
                        after,
                    ),
                ));
            }
        }
    }

    fn nightly(&mut self, cx: &mut Cx, out: &mut Vec<Step<OEv>>) {
        for (n, &i) in PROD_MAIN.iter().enumerate() {
            let e = self.backup(cx, i, "scheduled", cx.now);
            out.push(step(
                if n == 0 {
                    0
                } else {
                    cx.rng.range(40, 200) as u32
                },
                Who::System,
                e,
            ));
        }
    }

    fn incident(&mut self, cx: &mut Cx, kind: IncKind) -> OEv {
        let v = cx.org.victim;
        let victim = &cx.org.people[v];
        let now = cx.now;
        match kind {
            IncKind::SprayFail { target } => {
                self.failed_ev(&cx.org, target, "password", "invalid_password")
            }
            IncKind::BruteFail => self.failed_ev(&cx.org, v, "password", "invalid_password"),
            IncKind::BruteSuccess | IncKind::OffLogin => self.login_ev(&cx.org, v, "totp"),
            IncKind::ApiKeyCreate | IncKind::OffApiKey => {
                let name = if kind == IncKind::ApiKeyCreate {
                    "backup-sync"
                } else {
                    "ci-runner-02"
                };
                let after = Obj::new()
                    .s("name", name)
                    .strs("scopes", &["*"])
                    .null("expiresAt")
                    .done();
                ev(
                    "api_key.created",
                    "api_key",
                    cx.rng.uuid(),
                    name,
                    empty(),
                    after,
                )
            }
            IncKind::SelfGrant => {
                let before = Obj::new().s("role", role_name(victim.role)).done();
                let after = Obj::new().s("role", "owner").done();
                ev(
                    "member.role_changed",
                    "member",
                    victim.uuid,
                    victim.email.clone(),
                    before,
                    after,
                )
            }
            IncKind::MfaDisable => ev(
                "auth.totp_disabled",
                "user",
                victim.uuid,
                victim.email.clone(),
                Obj::new().b("totpEnabled", true).done(),
                Obj::new().b("totpEnabled", false).done(),
            ),
            IncKind::Tamper => {
                let before = Obj::new()
                    .s(
                        "url",
                        &format!("https://siem.{}/ingest/ocore-audit", cx.org.domain),
                    )
                    .strs("events", &["*"])
                    .b("enabled", true)
                    .done();
                ev(
                    "webhook_endpoint.deleted",
                    "webhook_endpoint",
                    self.siem_hook.id,
                    self.siem_hook.name.clone(),
                    before,
                    empty(),
                )
            }
            IncKind::Delete { what, i } => match what {
                DelWhat::Backup => {
                    let db = &self.dbs[PROD_MAIN[i % 3]];
                    let day = now - DAY * (1 + i as i64 / 3);
                    let before = Obj::new()
                        .s("database", &db.name)
                        .s("trigger", "scheduled")
                        .done();
                    ev(
                        "backup.deleted",
                        "backup",
                        cx.rng.uuid(),
                        format!("{}-{}-0200", db.name, date_tag(day)),
                        before,
                        empty(),
                    )
                }
                DelWhat::Database => {
                    let d = &self.dbs[PROD_MAIN[i % 3]];
                    let before = Obj::new().s("name", &d.name).s("engine", "postgres").done();
                    ev(
                        "database.dropped",
                        "database",
                        d.id,
                        d.name.clone(),
                        before,
                        empty(),
                    )
                }
                DelWhat::Instance => {
                    let r = &self.instances[i % self.instances.len()];
                    let before = Obj::new()
                        .s("status", "running")
                        .s("server", &self.servers[i % self.servers.len()].name)
                        .done();
                    ev(
                        "instance.deleted",
                        "instance",
                        r.id,
                        r.name.clone(),
                        before,
                        empty(),
                    )
                }
                DelWhat::Server => {
                    let s = &self.servers[i % self.servers.len()];
                    let before = Obj::new().s("region", "eu").s("status", "active").done();
                    ev(
                        "server.deleted",
                        "server",
                        s.id,
                        s.name.clone(),
                        before,
                        empty(),
                    )
                }
            },
            IncKind::OffInvite => {
                let email = "it.helpdesk.contractor@outlook.example".to_string();
                let after = Obj::new()
                    .s("email", &email)
                    .s("role", "admin")
                    .s("status", "pending")
                    .done();
                ev(
                    "member.invited",
                    "member",
                    cx.rng.uuid(),
                    email,
                    empty(),
                    after,
                )
            }
            IncKind::OffCreate { i } => {
                let after = Obj::new()
                    .s("plan", "gpu-xl")
                    .s("region", "us-east")
                    .s("server", &self.servers[0].name)
                    .done();
                ev(
                    "instance.created",
                    "instance",
                    cx.rng.uuid(),
                    format!("worker-gpu-{}", i + 1),
                    empty(),
                    after,
                )
            }
        }
    }

    fn action_name(&self, ev: &OEv) -> &'static str {
        ev.action
    }

    fn account(&self, org: &Org, p: usize) -> (String, String) {
        (
            org.people[p].email.clone(),
            org.people[p].uuid.to_string_lossless(),
        )
    }

    fn write(&mut self, out: &mut Vec<u8>, cx: &mut Cx, t: i64, who: Who, e: &OEv, index: u64) {
        let id = cx.rng.uuid();
        let (uid, name, ip, ua) = self.actor(&cx.org, who);
        if self.c == Container::Csv {
            id.write(out);
            out.push(b',');
            csv_field(out, e.action);
            out.push(b',');
            write_rfc3339(out, t);
            out.push(b',');
            if let Some(u) = uid {
                u.write(out);
            }
            out.push(b',');
            csv_field(out, name);
            out.push(b',');
            csv_field(out, e.rtype);
            out.push(b',');
            e.rid.write(out);
            out.push(b',');
            csv_field(out, &e.rname);
            out.push(b',');
            csv_field(out, ip);
            out.push(b',');
            csv_field(out, ua);
            out.push(b',');
            csv_field(out, &e.before);
            out.push(b',');
            csv_field(out, &e.after);
            out.push(b'\n');
            return;
        }
        out.extend_from_slice(if index == 0 { b"\n{" } else { b",\n{" });
        key(out, "id");
        out.push(b'"');
        id.write(out);
        out.extend_from_slice(b"\",");
        kv(out, "action", e.action);
        key(out, "createdAt");
        out.push(b'"');
        write_rfc3339(out, t);
        out.extend_from_slice(b"\",");
        key(out, "userId");
        out.push(b'"');
        if let Some(u) = uid {
            u.write(out);
        }
        out.extend_from_slice(b"\",");
        kv(out, "userName", name);
        kv(out, "resourceType", e.rtype);
        key(out, "resourceId");
        out.push(b'"');
        e.rid.write(out);
        out.extend_from_slice(b"\",");
        kv(out, "resourceName", &e.rname);
        kv(out, "ipAddress", ip);
        key(out, "userAgent");
        json_str(out, ua);
        out.extend_from_slice(b",\"beforeState\":");
        out.extend_from_slice(e.before.as_bytes());
        out.extend_from_slice(b",\"afterState\":");
        out.extend_from_slice(e.after.as_bytes());
        out.push(b'}');
    }
}
