//! Vendor E (seed 004): a cloud console whose audit log has a human category label instead of
//! an action string. CSV: `Time,Category,Email,User ID,IP address,User agent,Detail`; JSON: an
//! array of `{"time","category","email","userId","ipAddress","userAgent","detail":{}}`.
//!
//! Choices where the docs are silent: `Time` is RFC 3339 at the console's +09:00 offset;
//! labels are the seed's (`Sign-in success`, `Password failure`, `OTP failure`,
//! `Resource list`, `Access token create`, `User role update`, …); service accounts
//! (`ci-deploy@…`, `terraform@…`, `automation@…`) act through SDK user agents; role
//! assignments are `User role update` with the target user in the detail; MFA removal is a
//! `Profile update` turning `otpEnabled` off; audit forwarding is a `log-forwarding` resource.

use crate::engine::{step, Cx, Dialect, Step, Who};
use crate::incident::{DelWhat, IncKind};
use crate::org::{AutoKind, Mfa, Org, Role};
use crate::out::{csv_field, key, kv, Obj};
use crate::rng::{Rng, HEX};
use crate::timefmt::write_rfc3339_offset;

/// The console renders times at +09:00.
const OFFSET_MIN: i32 = 540;
const REGIONS: [&str; 2] = ["jp-east-1", "jp-west-1"];

pub(crate) struct VendorE {
    csv: bool,
    vms: Vec<(String, &'static str)>,
    volumes: Vec<(String, &'static str)>,
    dbs: Vec<(String, &'static str)>,
    buckets: Vec<(String, &'static str)>,
    token_no: u64,
}

pub(crate) struct VEv {
    category: &'static str,
    detail: String,
}

const VMS: [&str; 16] = [
    "web-01",
    "web-02",
    "web-03",
    "web-04",
    "api-01",
    "api-02",
    "api-03",
    "batch-01",
    "batch-02",
    "worker-01",
    "worker-02",
    "bastion-01",
    "ci-runner-01",
    "stg-web-01",
    "stg-api-01",
    "stg-batch-01",
];
const VOLUMES: [&str; 4] = ["web-data", "api-data", "batch-scratch", "shared-nfs"];
const DBS: [&str; 3] = ["orders-db", "users-db", "analytics-db"];
const BUCKETS: [&str; 3] = ["assets", "backups", "logs"];

fn rid(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}-{}", rng.token(HEX, 8))
}

fn ve(category: &'static str, detail: String) -> VEv {
    VEv { category, detail }
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner => "Owner",
        Role::Admin => "Admin",
        Role::Developer => "Member",
        Role::Viewer => "ReadOnly",
        Role::Billing => "Billing",
    }
}

#[derive(Clone, Copy)]
enum A {
    List,
    Read,
    NoticeList,
    NoticeRead,
    Refresh,
    Update,
    Create,
    TokenRead,
    // rare
    Delete,
    TokenCreate,
    TokenDelete,
    Invite,
    RoleUpdate,
    Profile,
    Password,
}

const W: u8 = 1;
const ADM: u8 = 2;
const ANY: u8 = 4;

const ROUTINE: &[(A, u64, u8)] = &[
    (A::List, 30, ANY),
    (A::Read, 20, ANY),
    (A::NoticeList, 3, ANY),
    (A::NoticeRead, 2, ANY),
    (A::Refresh, 6, ANY),
    (A::Update, 7, W),
    (A::Create, 3, W),
    (A::TokenRead, 1, W),
];

const RARE: &[(A, u64, u8)] = &[
    (A::Delete, 5, W),
    (A::TokenCreate, 3, W),
    (A::TokenDelete, 3, W),
    (A::Invite, 3, ADM),
    (A::RoleUpdate, 3, ADM),
    (A::Profile, 4, ANY),
    (A::Password, 4, ANY),
];

fn allowed(mask: u8, role: Role) -> bool {
    (mask & W != 0 && role.can_write()) || (mask & ADM != 0 && role.is_admin()) || mask & ANY != 0
}

impl VendorE {
    pub(crate) fn new(csv: bool, seed: u64) -> VendorE {
        let mut rng = Rng::new(seed, 0x0e0e);
        let vms = VMS.iter().map(|&n| (rid(&mut rng, "vm"), n)).collect();
        let volumes = VOLUMES.iter().map(|&n| (rid(&mut rng, "vol"), n)).collect();
        let dbs = DBS.iter().map(|&n| (rid(&mut rng, "db"), n)).collect();
        let buckets = BUCKETS.iter().map(|&n| (rid(&mut rng, "bkt"), n)).collect();
        VendorE {
            csv,
            vms,
            volumes,
            dbs,
            buckets,
            token_no: 0,
        }
    }

    fn resource(&self, rng: &mut Rng) -> (&'static str, String, &'static str) {
        match rng.below(10) {
            0..=5 => {
                let v = &self.vms[rng.below(self.vms.len() as u64) as usize];
                ("vm", v.0.clone(), v.1)
            }
            6 => {
                let v = &self.volumes[rng.below(self.volumes.len() as u64) as usize];
                ("volume", v.0.clone(), v.1)
            }
            7 | 8 => {
                let v = &self.dbs[rng.below(self.dbs.len() as u64) as usize];
                ("database", v.0.clone(), v.1)
            }
            _ => {
                let v = &self.buckets[rng.below(self.buckets.len() as u64) as usize];
                ("bucket", v.0.clone(), v.1)
            }
        }
    }

    fn list(&self, rng: &mut Rng) -> VEv {
        let (ty, count) = *rng.pick(&[
            ("vm", 16),
            ("volume", 4),
            ("database", 3),
            ("bucket", 3),
            ("network", 5),
            ("snapshot", 42),
        ]);
        ve(
            "Resource list",
            Obj::new()
                .s("resourceType", ty)
                .s("region", REGIONS[usize::from(rng.chance(1, 5))])
                .n("count", count)
                .done(),
        )
    }

    fn read(&self, rng: &mut Rng) -> VEv {
        let (ty, id, name) = self.resource(rng);
        ve(
            "Resource read",
            Obj::new()
                .s("resourceType", ty)
                .s("resourceId", &id)
                .s("name", name)
                .done(),
        )
    }

    fn update(&self, rng: &mut Rng) -> VEv {
        let v = &self.vms[rng.below(self.vms.len() as u64) as usize];
        let (field, from, to) = *rng.pick(&[
            ("flavor", "m2.large", "m2.xlarge"),
            ("flavor", "m2.xlarge", "m2.large"),
            ("image", "ubuntu-24.04-20260105", "ubuntu-24.04-20260128"),
            ("securityGroup", "sg-web", "sg-web-v2"),
            ("tags.owner", "platform", "payments"),
        ]);
        let changes = Obj::new()
            .raw(field, &Obj::new().s("before", from).s("after", to).done())
            .done();
        ve(
            "Resource update",
            Obj::new()
                .s("resourceType", "vm")
                .s("resourceId", &v.0)
                .s("name", v.1)
                .raw("changes", &changes)
                .done(),
        )
    }

    fn sign_in(&self, org: &Org, p: usize) -> VEv {
        if org.people[p].sso {
            ve(
                "OAuth sign-in success",
                Obj::new().s("provider", "google").done(),
            )
        } else {
            let method = if org.mfa[p] == Mfa::None {
                "password"
            } else {
                "password+otp"
            };
            ve("Sign-in success", Obj::new().s("method", method).done())
        }
    }

    fn human(&mut self, cx: &mut Cx, p: usize, a: A, out: &mut Vec<Step<VEv>>) {
        let me = Who::Person(p);
        let e = match a {
            A::List => {
                // Consoles list, then open one item.
                out.push(step(0, me, self.list(&mut cx.rng)));
                if cx.rng.chance(1, 2) {
                    let r = self.read(&mut cx.rng);
                    out.push(step(cx.rng.range(3, 30) as u32, me, r));
                }
                return;
            }
            A::Read => self.read(&mut cx.rng),
            A::NoticeList => ve(
                "Notice list read",
                Obj::new().n("page", 1).n("count", 20).done(),
            ),
            A::NoticeRead => ve(
                "Notice read",
                Obj::new()
                    .s("noticeId", &format!("ntc-{}", cx.rng.range(1400, 1460)))
                    .done(),
            ),
            A::Refresh => ve("Session refresh", Obj::new().n("expiresIn", 3600).done()),
            A::Update => self.update(&mut cx.rng),
            A::Create => {
                let (ty, name, extra) = *cx.rng.pick(&[
                    ("snapshot", "manual", "orders-db"),
                    ("vm", "stg-test", "m2.large"),
                    ("volume", "scratch", "100GB"),
                ]);
                let id = rid(
                    &mut cx.rng,
                    if ty == "vm" {
                        "vm"
                    } else if ty == "volume" {
                        "vol"
                    } else {
                        "snap"
                    },
                );
                let name = format!("{name}-{}", cx.rng.range(10, 99));
                ve(
                    "Resource create",
                    Obj::new()
                        .s("resourceType", ty)
                        .s("resourceId", &id)
                        .s("name", &name)
                        .s("spec", extra)
                        .done(),
                )
            }
            A::TokenRead => ve(
                "Access token read",
                Obj::new().s("tokenName", "terraform").done(),
            ),
            A::Delete => {
                let ty = *cx.rng.pick(&["vm", "volume", "snapshot"]);
                let id = rid(
                    &mut cx.rng,
                    if ty == "vm" {
                        "vm"
                    } else if ty == "volume" {
                        "vol"
                    } else {
                        "snap"
                    },
                );
                let name = format!("stg-tmp-{}", cx.rng.range(10, 99));
                ve(
                    "Resource delete",
                    Obj::new()
                        .s("resourceType", ty)
                        .s("resourceId", &id)
                        .s("name", &name)
                        .done(),
                )
            }
            A::TokenCreate | A::TokenDelete => {
                self.token_no += 1;
                let name = format!(
                    "{}-{}",
                    *cx.rng.pick(&["local-cli", "grafana", "backup-check"]),
                    self.token_no
                );
                if matches!(a, A::TokenCreate) {
                    ve(
                        "Access token create",
                        Obj::new()
                            .s("tokenName", &name)
                            .strs("scopes", &["read"])
                            .n("expiresInDays", 90)
                            .done(),
                    )
                } else {
                    ve(
                        "Access token delete",
                        Obj::new().s("tokenName", &name).done(),
                    )
                }
            }
            A::Invite => {
                let first = *cx
                    .rng
                    .pick(&["sam", "alex", "robin", "kim", "jamie", "charlie"]);
                let last = *cx
                    .rng
                    .pick(&["turner", "meyer", "lopez", "brooks", "janssen"]);
                ve(
                    "User invite started",
                    Obj::new()
                        .s("email", &format!("{first}.{last}@{}", cx.org.domain))
                        .s("role", "Member")
                        .done(),
                )
            }
            A::RoleUpdate => {
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
                    .s("targetUserId", &target.uuid.to_string_lossless())
                    .s("targetEmail", &target.email)
                    .s("before", role_name(from))
                    .s("after", role_name(to))
                    .done();
                ve("User role update", d)
            }
            A::Profile => {
                let lang = *cx.rng.pick(&["en", "ja", "de", "fr"]);
                ve(
                    "Profile update",
                    Obj::new()
                        .raw(
                            "changes",
                            &Obj::new()
                                .raw(
                                    "language",
                                    &Obj::new().s("before", "en").s("after", lang).done(),
                                )
                                .done(),
                        )
                        .done(),
                )
            }
            A::Password => ve("Password change", "{}".to_string()),
        };
        out.push(step(0, me, e));
    }

    fn actor(&self, org: &Org, who: Who) -> (String, String, String, &'static str) {
        match who {
            Who::Person(p) => {
                let person = &org.people[p];
                (
                    person.email.clone(),
                    person.uuid.to_string_lossless(),
                    person.ip.clone(),
                    person.ua,
                )
            }
            Who::Key(kind, slot) => {
                let k = &org.keys[kind as usize];
                let (name, ua) = match kind {
                    AutoKind::Ci => ("ci-deploy", "vendore-cli/3.2.0 (linux/amd64) GitHubActions"),
                    AutoKind::Infra => (
                        "terraform",
                        "terraform-provider-vendore/1.8.4 Terraform/1.10.5",
                    ),
                    AutoKind::Sys => ("automation", "vendore-sdk-go/2.3.1"),
                };
                (
                    format!("{name}@{}", org.domain),
                    k.uuid.to_string_lossless(),
                    k.ips[slot % k.ips.len()].clone(),
                    ua,
                )
            }
            Who::System => ("system".to_string(), String::new(), String::new(), ""),
            Who::Attacker(p, net) => {
                let person = &org.people[p];
                let (ip, ua) = org.attack_net(net);
                (
                    person.email.clone(),
                    person.uuid.to_string_lossless(),
                    ip.to_string(),
                    ua,
                )
            }
        }
    }
}

impl Dialect for VendorE {
    type Ev = VEv;

    fn auto_mix(&self) -> [u64; 3] {
        [100, 100, 100]
    }

    fn role_weight(&self, role: Role) -> u64 {
        if role.can_write() {
            100
        } else {
            50
        }
    }

    fn head(&mut self, out: &mut Vec<u8>, _total: u64) {
        if self.csv {
            out.extend_from_slice(b"Time,Category,Email,User ID,IP address,User agent,Detail\n");
        } else {
            out.push(b'[');
        }
    }

    fn tail(&mut self, out: &mut Vec<u8>, _total: u64) {
        if !self.csv {
            out.extend_from_slice(b"\n]\n");
        }
    }

    fn login(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<VEv>>) {
        let me = Who::Person(p);
        let person = &cx.org.people[p];
        if !person.sso && cx.rng.below(1000) < person.typo_permille {
            let otp = cx.org.mfa[p] != Mfa::None && cx.rng.chance(1, 3);
            let e = if otp {
                ve("OTP failure", Obj::new().s("reason", "invalid code").done())
            } else {
                ve(
                    "Password failure",
                    Obj::new().s("reason", "invalid password").done(),
                )
            };
            out.push(step(0, me, e));
            out.push(step(
                cx.rng.range(6, 40) as u32,
                me,
                self.sign_in(&cx.org, p),
            ));
        } else {
            out.push(step(0, me, self.sign_in(&cx.org, p)));
        }
    }

    fn action(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<VEv>>) {
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

    fn logout(&mut self, _cx: &mut Cx, p: usize, out: &mut Vec<Step<VEv>>) {
        out.push(step(0, Who::Person(p), ve("Sign-out", "{}".to_string())));
    }

    fn auto(&mut self, cx: &mut Cx, kind: AutoKind, out: &mut Vec<Step<VEv>>) {
        let who = Who::Key(kind, cx.rng.below(16) as usize);
        match kind {
            AutoKind::Ci => {
                out.push(step(0, who, self.list(&mut cx.rng)));
                let e = self.update(&mut cx.rng);
                out.push(step(cx.rng.range(2, 20) as u32, who, e));
            }
            AutoKind::Infra => {
                for i in 0..cx.rng.range(2, 4) {
                    let e = if i % 2 == 0 {
                        self.list(&mut cx.rng)
                    } else {
                        self.read(&mut cx.rng)
                    };
                    out.push(step(
                        if i == 0 { 0 } else { cx.rng.range(1, 5) as u32 },
                        who,
                        e,
                    ));
                }
                if cx.rng.chance(1, 3) {
                    let e = self.update(&mut cx.rng);
                    out.push(step(cx.rng.range(5, 40) as u32, who, e));
                }
            }
            AutoKind::Sys => out.push(step(0, who, self.list(&mut cx.rng))),
        }
    }

    fn nightly(&mut self, cx: &mut Cx, out: &mut Vec<Step<VEv>>) {
        let who = Who::Key(AutoKind::Sys, 0);
        for (i, db) in self.dbs.iter().enumerate() {
            let d = Obj::new()
                .s("resourceType", "snapshot")
                .s("resourceId", &rid(&mut cx.rng, "snap"))
                .s("name", &format!("{}-nightly", db.1))
                .s("source", &db.0)
                .done();
            out.push(step(
                if i == 0 {
                    0
                } else {
                    cx.rng.range(30, 120) as u32
                },
                who,
                ve("Resource create", d),
            ));
        }
    }

    fn incident(&mut self, cx: &mut Cx, kind: IncKind) -> VEv {
        let v = cx.org.victim;
        let victim = &cx.org.people[v];
        match kind {
            IncKind::SprayFail { .. } | IncKind::BruteFail => ve(
                "Password failure",
                Obj::new().s("reason", "invalid password").done(),
            ),
            IncKind::BruteSuccess | IncKind::OffLogin => ve(
                "Sign-in success",
                Obj::new().s("method", "password+otp").done(),
            ),
            IncKind::ApiKeyCreate | IncKind::OffApiKey => {
                let name = if kind == IncKind::ApiKeyCreate {
                    "backup-sync"
                } else {
                    "ci-runner-02"
                };
                ve(
                    "Access token create",
                    Obj::new()
                        .s("tokenName", name)
                        .strs("scopes", &["*"])
                        .null("expiresInDays")
                        .done(),
                )
            }
            IncKind::SelfGrant => ve(
                "User role update",
                Obj::new()
                    .s("targetUserId", &victim.uuid.to_string_lossless())
                    .s("targetEmail", &victim.email)
                    .s("before", role_name(victim.role))
                    .s("after", "Owner")
                    .done(),
            ),
            IncKind::MfaDisable => ve(
                "Profile update",
                Obj::new()
                    .raw(
                        "changes",
                        &Obj::new()
                            .raw(
                                "otpEnabled",
                                &Obj::new().b("before", true).b("after", false).done(),
                            )
                            .done(),
                    )
                    .done(),
            ),
            IncKind::Tamper => ve(
                "Resource delete",
                Obj::new()
                    .s("resourceType", "log-forwarding")
                    .s("resourceId", &rid(&mut cx.rng, "lf"))
                    .s("name", "audit-to-siem")
                    .s(
                        "destination",
                        &format!("https://siem.{}/ingest/vendore", cx.org.domain),
                    )
                    .done(),
            ),
            IncKind::Delete { what, i } => {
                let (ty, id, name) = match what {
                    DelWhat::Backup => (
                        "snapshot",
                        rid(&mut cx.rng, "snap"),
                        format!("{}-nightly", DBS[i % 3]),
                    ),
                    DelWhat::Database => (
                        "database",
                        self.dbs[i % 3].0.clone(),
                        self.dbs[i % 3].1.to_string(),
                    ),
                    DelWhat::Instance => (
                        "vm",
                        self.vms[i % 16].0.clone(),
                        self.vms[i % 16].1.to_string(),
                    ),
                    DelWhat::Server => (
                        "volume",
                        self.volumes[i % 4].0.clone(),
                        self.volumes[i % 4].1.to_string(),
                    ),
                };
                ve(
                    "Resource delete",
                    Obj::new()
                        .s("resourceType", ty)
                        .s("resourceId", &id)
                        .s("name", &name)
                        .done(),
                )
            }
            IncKind::OffInvite => ve(
                "User invite started",
                Obj::new()
                    .s("email", "it.helpdesk.contractor@outlook.example")
                    .s("role", "Admin")
                    .done(),
            ),
            IncKind::OffCreate { i } => ve(
                "Resource create",
                Obj::new()
                    .s("resourceType", "vm")
                    .s("resourceId", &rid(&mut cx.rng, "vm"))
                    .s("name", &format!("gpu-worker-{}", i + 1))
                    .s("spec", "g2.8xlarge")
                    .done(),
            ),
        }
    }

    fn action_name(&self, ev: &VEv) -> &'static str {
        ev.category
    }

    fn account(&self, org: &Org, p: usize) -> (String, String) {
        (
            org.people[p].email.clone(),
            org.people[p].uuid.to_string_lossless(),
        )
    }

    fn write(&mut self, out: &mut Vec<u8>, cx: &mut Cx, t: i64, who: Who, e: &VEv, index: u64) {
        let (email, uid, ip, ua) = self.actor(&cx.org, who);
        if self.csv {
            write_rfc3339_offset(out, t, OFFSET_MIN);
            out.push(b',');
            csv_field(out, e.category);
            out.push(b',');
            csv_field(out, &email);
            out.push(b',');
            csv_field(out, &uid);
            out.push(b',');
            csv_field(out, &ip);
            out.push(b',');
            csv_field(out, ua);
            out.push(b',');
            csv_field(out, &e.detail);
            out.push(b'\n');
            return;
        }
        out.extend_from_slice(if index == 0 { b"\n{" } else { b",\n{" });
        key(out, "time");
        out.push(b'"');
        write_rfc3339_offset(out, t, OFFSET_MIN);
        out.extend_from_slice(b"\",");
        kv(out, "category", e.category);
        kv(out, "email", &email);
        kv(out, "userId", &uid);
        kv(out, "ipAddress", &ip);
        kv(out, "userAgent", ua);
        out.extend_from_slice(b"\"detail\":");
        out.extend_from_slice(e.detail.as_bytes());
        out.push(b'}');
    }
}
