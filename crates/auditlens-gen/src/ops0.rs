//! ops0 (seed 002): infrastructure-as-code platform with projects, files, deployments,
//! integrations, policies and workflows.
//!
//! JSON export ("includes all fields"): a JSON array of
//! `{"eventId","timestamp","user","userId","action","category","resource":{"type","id","name"},
//! "status","ipAddress","userAgent","changes","request","response"}`; `timestamp` is RFC 3339 UTC.
//! CSV export ("summarized"): `Timestamp,User,Action,Resource,Status,IP Address,Details` with
//! `YYYY-MM-DD HH:MM:SS` UTC times and CRLF line ends; `Resource` is the resource name and
//! `Details` a one-line summary.
//!
//! Choices where the docs are silent (authentication actions are not listed): sign-ins are
//! `user.login` with `Status` `Success`/`Failed` (category Authentication, the failure reason in
//! `changes.reason`), sign-outs `user.logout`, MFA removal `user.mfa_disabled`, API keys
//! `api_key.created` (category Settings). Automated records have `user` `"system"` and empty
//! `userId`/`ipAddress`/`userAgent`; CI runs as the service user `ci-bot@<domain>`.

use crate::engine::{step, Cx, Dialect, Step, Who};
use crate::incident::{DelWhat, IncKind};
use crate::org::{AutoKind, Mfa, Org, Role};
use crate::out::{csv_field, json_str, key, kv, Obj};
use crate::rng::{Rng, LOWER_ALNUM};
use crate::timefmt::{write_rfc3339, write_space};

pub(crate) struct Ops0 {
    csv: bool,
    projects: Vec<(String, &'static str)>,
    integrations: Vec<(String, &'static str, &'static str)>,
    deploy_no: u64,
    /// The project each person is working on this session (most of their actions touch it).
    focus: Vec<usize>,
    /// Event ids come from their own stream so the CSV and JSON renderings of one seed describe
    /// the same events (the CSV has no id column).
    ids: Rng,
}

pub(crate) struct PEv {
    action: &'static str,
    category: &'static str,
    rtype: &'static str,
    rid: String,
    rname: String,
    ok: bool,
    changes: String,
    request: String,
    response: String,
    summary: String,
}

const PROJECTS: [&str; 12] = [
    "api-infrastructure",
    "vpc-production",
    "eks-platform",
    "data-pipeline",
    "edge-cdn",
    "monitoring-stack",
    "iam-baseline",
    "rds-production",
    "backup-vault",
    "staging-sandbox",
    "rds-analytics",
    "rds-reporting",
];
const FILES: [&str; 8] = [
    "main.tf",
    "variables.tf",
    "outputs.tf",
    "providers.tf",
    "terraform.tfvars",
    "modules/network/main.tf",
    "modules/compute/main.tf",
    "policies/s3.rego",
];
const INTEGRATIONS: [(&str, &str); 5] = [
    ("aws-production", "aws"),
    ("github", "github"),
    ("slack", "slack"),
    ("datadog", "datadog"),
    ("splunk-audit-export", "splunk"),
];
const POLICIES: [&str; 4] = [
    "s3-encryption-required",
    "no-public-ingress",
    "tagging-standard",
    "cost-guardrail",
];
const FAILURES: [&str; 4] = [
    "Policy violation: S3 encryption required",
    "Error: creating EC2 Instance: InsufficientInstanceCapacity",
    "Error acquiring the state lock",
    "Policy violation: security group allows 0.0.0.0/0",
];

const CI_EMAIL: &str = "ci-bot";
const CI_UA: &str = "ops0-cli/1.7.3 (linux; amd64) GitHub-Actions";

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner => "Owner",
        Role::Admin => "Admin",
        Role::Developer => "Developer",
        Role::Viewer => "Viewer",
        Role::Billing => "Billing",
    }
}

fn req(method: &str, path: &str) -> String {
    Obj::new().s("method", method).s("path", path).done()
}

fn resp(status: i64) -> String {
    Obj::new().n("status", status).done()
}

#[allow(clippy::too_many_arguments)]
fn pev(
    action: &'static str,
    category: &'static str,
    rtype: &'static str,
    rid: &str,
    rname: &str,
    ok: bool,
    changes: String,
    request: String,
    response: String,
    summary: String,
) -> PEv {
    PEv {
        action,
        category,
        rtype,
        rid: rid.to_string(),
        rname: rname.to_string(),
        ok,
        changes,
        request,
        response,
        summary,
    }
}

#[derive(Clone, Copy)]
enum A {
    FileUpdate,
    Deploy,
    FileCreate,
    IntegrationTest,
    WorkflowRun,
    ProjectUpdate,
    Approve,
    // rare
    ProjectCreate,
    FileDelete,
    Invite,
    RoleChange,
    IntegrationUpdate,
    PolicyUpdate,
    PolicyCreate,
    SettingsUpdate,
    KeyCreate,
    DeployCancel,
}

const W: u8 = 1;
const ADM: u8 = 2;
const OWN: u8 = 4;

const ROUTINE: &[(A, u64, u8)] = &[
    (A::FileUpdate, 30, W),
    (A::Deploy, 18, W),
    (A::FileCreate, 4, W),
    (A::IntegrationTest, 3, W),
    (A::WorkflowRun, 4, W),
    (A::ProjectUpdate, 3, W),
    (A::Approve, 6, ADM),
];

const RARE: &[(A, u64, u8)] = &[
    (A::ProjectCreate, 4, W),
    (A::FileDelete, 6, W),
    (A::Invite, 4, ADM),
    (A::RoleChange, 4, ADM),
    (A::IntegrationUpdate, 3, ADM),
    (A::PolicyUpdate, 3, ADM),
    (A::PolicyCreate, 2, ADM),
    (A::SettingsUpdate, 2, OWN),
    (A::KeyCreate, 3, W),
    (A::DeployCancel, 4, W),
];

fn allowed(mask: u8, role: Role) -> bool {
    (mask & W != 0 && role.can_write())
        || (mask & ADM != 0 && role.is_admin())
        || (mask & OWN != 0 && role == Role::Owner)
}

impl Ops0 {
    pub(crate) fn new(csv: bool, seed: u64) -> Ops0 {
        let mut rng = Rng::new(seed, 0x0950);
        let projects = PROJECTS
            .iter()
            .map(|&p| (format!("prj_{}", rng.token(LOWER_ALNUM, 10)), p))
            .collect();
        let integrations = INTEGRATIONS
            .iter()
            .map(|&(n, t)| (format!("int_{}", rng.token(LOWER_ALNUM, 10)), n, t))
            .collect();
        Ops0 {
            csv,
            projects,
            integrations,
            deploy_no: 0,
            focus: vec![0; crate::org::PEOPLE],
            ids: Rng::new(seed, 0x1d5),
        }
    }

    fn project(&self, rng: &mut Rng) -> usize {
        // The first seven projects are the busy ones.
        if rng.chance(4, 5) {
            rng.below(7) as usize
        } else {
            rng.below(self.projects.len() as u64) as usize
        }
    }

    /// A project for `who`: usually the person's focus of the session.
    fn project_for(&self, rng: &mut Rng, who: Who) -> usize {
        match who {
            Who::Person(p) if rng.chance(7, 10) => self.focus[p],
            _ => self.project(rng),
        }
    }

    fn login_ev(&self, org: &Org, p: usize, ok: bool, reason: &str) -> PEv {
        let person = &org.people[p];
        if ok {
            let method = match org.mfa[p] {
                Mfa::None => "password",
                Mfa::Totp => "password+totp",
                Mfa::Passkey => "passkey",
            };
            let method = if person.sso { "sso" } else { method };
            pev(
                "user.login",
                "Authentication",
                "user",
                &person.short_id,
                &person.email,
                true,
                Obj::new().s("method", method).done(),
                req("POST", "/v1/auth/login"),
                resp(200),
                format!("Signed in ({method})"),
            )
        } else {
            pev(
                "user.login",
                "Authentication",
                "user",
                &person.short_id,
                &person.email,
                false,
                Obj::new().s("reason", reason).done(),
                req("POST", "/v1/auth/login"),
                Obj::new()
                    .n("status", 401)
                    .s("error", "invalid_credentials")
                    .done(),
                if reason == "invalid_totp" {
                    "Invalid TOTP code".to_string()
                } else {
                    "Invalid password".to_string()
                },
            )
        }
    }

    fn deploy(&mut self, cx: &mut Cx, who: Who, trigger: &str, out: &mut Vec<Step<PEv>>) {
        let pi = self.project_for(&mut cx.rng, who);
        let (pid, pname) = (self.projects[pi].0.clone(), self.projects[pi].1);
        self.deploy_no += 1;
        let dep = format!("dep_{}", cx.rng.token(LOWER_ALNUM, 10));
        let planned = cx.rng.range(1, 24) as i64;
        let request = Obj::new()
            .s("deployment_id", &dep)
            .s("trigger", trigger)
            .s("command", "terraform apply")
            .done();
        out.push(step(
            0,
            who,
            pev(
                "deployment.started",
                "Deployments",
                "project",
                &pid,
                pname,
                true,
                Obj::new().n("resources_planned", planned).done(),
                request.clone(),
                resp(202),
                "terraform apply".to_string(),
            ),
        ));
        let secs = cx.rng.range(40, 400) as u32;
        if cx.rng.chance(9, 10) {
            let changes = Obj::new()
                .n("resources_planned", planned)
                .n("resources_applied", planned)
                .n("duration_sec", i64::from(secs))
                .done();
            out.push(step(
                secs,
                who,
                pev(
                    "deployment.completed",
                    "Deployments",
                    "project",
                    &pid,
                    pname,
                    true,
                    changes,
                    request,
                    resp(200),
                    format!("Applied {planned} resources in {secs}s"),
                ),
            ));
        } else {
            let err = *cx.rng.pick(&FAILURES);
            let applied = cx.rng.below(planned as u64) as i64;
            if err.starts_with("Policy violation") {
                let policy = if err.contains("S3") {
                    POLICIES[0]
                } else {
                    POLICIES[1]
                };
                out.push(step(
                    secs / 2,
                    who,
                    pev(
                        "policy.violation",
                        "Policies",
                        "policy",
                        &format!("pol_{}", &pid[4..]),
                        policy,
                        false,
                        Obj::new()
                            .s("policy", policy)
                            .s("deployment_id", &dep)
                            .done(),
                        request.clone(),
                        resp(403),
                        err.to_string(),
                    ),
                ));
            }
            let changes = Obj::new()
                .s("error", err)
                .n("resources_planned", planned)
                .n("resources_applied", applied)
                .done();
            out.push(step(
                secs - secs / 2,
                who,
                pev(
                    "deployment.failed",
                    "Deployments",
                    "project",
                    &pid,
                    pname,
                    false,
                    changes,
                    request,
                    resp(200),
                    err.to_string(),
                ),
            ));
        }
    }

    fn human(&mut self, cx: &mut Cx, p: usize, a: A, out: &mut Vec<Step<PEv>>) {
        let me = Who::Person(p);
        let pi = self.project_for(&mut cx.rng, me);
        let (pid, pname) = (self.projects[pi].0.clone(), self.projects[pi].1);
        let file = *cx.rng.pick(&FILES);
        let path_files = format!("/v1/projects/{pid}/files/{file}");
        match a {
            A::FileUpdate | A::FileCreate | A::FileDelete => {
                let (action, method, summary, changes) = match a {
                    A::FileUpdate => {
                        let add = cx.rng.range(1, 60) as i64;
                        let del = cx.rng.range(0, 30) as i64;
                        (
                            "project.file_updated",
                            "PUT",
                            format!("{file} (+{add} -{del})"),
                            Obj::new()
                                .s("file", file)
                                .n("lines_added", add)
                                .n("lines_removed", del)
                                .done(),
                        )
                    }
                    A::FileCreate => (
                        "project.file_created",
                        "POST",
                        format!("{file} created"),
                        Obj::new()
                            .s("file", file)
                            .n("lines_added", cx.rng.range(5, 120) as i64)
                            .done(),
                    ),
                    _ => (
                        "project.file_deleted",
                        "DELETE",
                        format!("{file} deleted"),
                        Obj::new().s("file", file).done(),
                    ),
                };
                out.push(step(
                    0,
                    me,
                    pev(
                        action,
                        "Projects",
                        "project",
                        &pid,
                        pname,
                        true,
                        changes,
                        req(method, &path_files),
                        resp(200),
                        summary,
                    ),
                ));
            }
            A::Deploy => self.deploy(cx, me, "manual", out),
            A::Approve | A::DeployCancel => {
                let dep = format!("dep_{}", cx.rng.token(LOWER_ALNUM, 10));
                let (action, summary) = if matches!(a, A::Approve) {
                    ("deployment.approved", "Approval granted")
                } else {
                    ("deployment.cancelled", "Deployment stopped")
                };
                let request = Obj::new().s("deployment_id", &dep).done();
                out.push(step(
                    0,
                    me,
                    pev(
                        action,
                        "Deployments",
                        "project",
                        &pid,
                        pname,
                        true,
                        empty(),
                        request,
                        resp(200),
                        summary.to_string(),
                    ),
                ));
            }
            A::IntegrationTest | A::IntegrationUpdate => {
                let (iid, iname, itype) = self.integrations[cx.rng.below(4) as usize].clone();
                let (action, summary, changes) = if matches!(a, A::IntegrationTest) {
                    (
                        "integration.tested",
                        "Connection OK".to_string(),
                        Obj::new()
                            .s("result", "ok")
                            .n("latency_ms", cx.rng.range(80, 900) as i64)
                            .done(),
                    )
                } else {
                    (
                        "integration.updated",
                        "Credentials updated".to_string(),
                        Obj::new().s("field", "credentials").s("type", itype).done(),
                    )
                };
                let path = format!("/v1/integrations/{iid}");
                out.push(step(
                    0,
                    me,
                    pev(
                        action,
                        "Integrations",
                        "integration",
                        &iid,
                        iname,
                        true,
                        changes,
                        req("POST", &path),
                        resp(200),
                        summary,
                    ),
                ));
            }
            A::WorkflowRun => {
                let wf = *cx.rng.pick(&["pr-plan", "cost-estimate", "security-scan"]);
                let wid = format!("wfr_{}", cx.rng.token(LOWER_ALNUM, 10));
                let request = Obj::new().s("run_id", &wid).s("trigger", "manual").done();
                out.push(step(
                    0,
                    me,
                    pev(
                        "workflow.executed",
                        "Workflows",
                        "workflow",
                        &wid,
                        wf,
                        true,
                        empty(),
                        request.clone(),
                        resp(202),
                        format!("{wf} started"),
                    ),
                ));
                let secs = cx.rng.range(20, 240) as u32;
                let ok = cx.rng.chance(19, 20);
                let action = if ok {
                    "workflow.completed"
                } else {
                    "workflow.failed"
                };
                let changes = Obj::new().n("duration_sec", i64::from(secs)).done();
                out.push(step(
                    secs,
                    me,
                    pev(
                        action,
                        "Workflows",
                        "workflow",
                        &wid,
                        wf,
                        ok,
                        changes,
                        request,
                        resp(200),
                        format!("{wf} {}", if ok { "finished" } else { "failed" }),
                    ),
                ));
            }
            A::ProjectUpdate | A::ProjectCreate => {
                let (action, rid, name, changes, summary) = if matches!(a, A::ProjectUpdate) {
                    let v = cx.rng.range(6, 10);
                    (
                        "project.updated",
                        pid,
                        pname.to_string(),
                        Obj::new()
                            .s("terraform_version", &format!("1.{v}.0"))
                            .done(),
                        format!("terraform_version 1.{v}.0"),
                    )
                } else {
                    let name = format!(
                        "{}-{}",
                        *cx.rng.pick(&["sandbox", "poc", "lab"]),
                        cx.rng.range(2, 40)
                    );
                    (
                        "project.created",
                        format!("prj_{}", cx.rng.token(LOWER_ALNUM, 10)),
                        name.clone(),
                        Obj::new().s("name", &name).s("provider", "aws").done(),
                        format!("{name} created"),
                    )
                };
                out.push(step(
                    0,
                    me,
                    pev(
                        action,
                        "Projects",
                        "project",
                        &rid,
                        &name,
                        true,
                        changes,
                        req("POST", "/v1/projects"),
                        resp(200),
                        summary,
                    ),
                ));
            }
            A::Invite => {
                let first = *cx
                    .rng
                    .pick(&["sam", "alex", "robin", "kim", "jamie", "charlie"]);
                let last = *cx
                    .rng
                    .pick(&["turner", "meyer", "lopez", "brooks", "janssen"]);
                let email = format!("{first}.{last}@{}", cx.org.domain);
                let changes = Obj::new().s("email", &email).s("role", "Developer").done();
                out.push(step(
                    0,
                    me,
                    pev(
                        "user.invited",
                        "Users",
                        "user",
                        "",
                        &email,
                        true,
                        changes,
                        req("POST", "/v1/org/invitations"),
                        resp(201),
                        format!("Invited {email}"),
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
                let changes = Obj::new()
                    .raw(
                        "role",
                        &Obj::new()
                            .s("from", role_name(from))
                            .s("to", role_name(to))
                            .done(),
                    )
                    .done();
                let path = format!("/v1/org/members/{}", target.short_id);
                out.push(step(
                    0,
                    me,
                    pev(
                        "user.role_changed",
                        "Users",
                        "user",
                        &target.short_id,
                        &target.email,
                        true,
                        changes,
                        req("PATCH", &path),
                        resp(200),
                        format!("Role: {} -> {}", role_name(from), role_name(to)),
                    ),
                ));
            }
            A::PolicyUpdate | A::PolicyCreate => {
                let (action, name) = if matches!(a, A::PolicyUpdate) {
                    (
                        "policy.updated",
                        POLICIES[cx.rng.below(4) as usize].to_string(),
                    )
                } else {
                    (
                        "policy.created",
                        format!(
                            "{}-{}",
                            *cx.rng.pick(&[
                                "require-tags",
                                "deny-public-s3",
                                "limit-instance-size"
                            ]),
                            cx.rng.range(2, 9)
                        ),
                    )
                };
                let pid = format!("pol_{}", cx.rng.token(LOWER_ALNUM, 10));
                let changes = Obj::new().s("enforcement", "blocking").done();
                out.push(step(
                    0,
                    me,
                    pev(
                        action,
                        "Policies",
                        "policy",
                        &pid,
                        &name,
                        true,
                        changes,
                        req("PUT", "/v1/policies"),
                        resp(200),
                        format!("{name} (blocking)"),
                    ),
                ));
            }
            A::SettingsUpdate => {
                let changes = Obj::new()
                    .raw(
                        "default_region",
                        &Obj::new()
                            .s("from", "eu-west-1")
                            .s("to", "eu-central-1")
                            .done(),
                    )
                    .done();
                out.push(step(
                    0,
                    me,
                    pev(
                        "settings.updated",
                        "Settings",
                        "organization",
                        "",
                        cx.org.slug,
                        true,
                        changes,
                        req("PATCH", "/v1/org/settings"),
                        resp(200),
                        "default_region eu-west-1 -> eu-central-1".to_string(),
                    ),
                ));
            }
            A::KeyCreate => {
                let name = format!(
                    "{}-{}",
                    *cx.rng
                        .pick(&["terraform-runner", "local-cli", "ci-preview"]),
                    cx.rng.range(2, 9)
                );
                let kid = format!("key_{}", cx.rng.token(LOWER_ALNUM, 10));
                let changes = Obj::new()
                    .s("name", &name)
                    .s("scope", "projects:write")
                    .n("expires_in_days", 90)
                    .done();
                out.push(step(
                    0,
                    me,
                    pev(
                        "api_key.created",
                        "Settings",
                        "api_key",
                        &kid,
                        &name,
                        true,
                        changes,
                        req("POST", "/v1/api-keys"),
                        resp(201),
                        format!("API key {name}"),
                    ),
                ));
            }
        }
    }

    fn actor<'a>(&self, org: &'a Org, who: Who) -> (String, &'a str, &'a str, &'static str) {
        match who {
            Who::Person(p) => {
                let person = &org.people[p];
                (
                    person.email.clone(),
                    &person.short_id,
                    &person.ip,
                    person.ua,
                )
            }
            Who::Key(kind, slot) => {
                let k = &org.keys[kind as usize];
                (
                    format!("{CI_EMAIL}@{}", org.domain),
                    &k.short_id,
                    &k.ips[slot % k.ips.len()],
                    CI_UA,
                )
            }
            Who::System => ("system".to_string(), "", "", ""),
            Who::Attacker(p, net) => {
                let person = &org.people[p];
                let (ip, ua) = org.attack_net(net);
                (person.email.clone(), &person.short_id, ip, ua)
            }
        }
    }
}

fn empty() -> String {
    "{}".to_string()
}

impl Dialect for Ops0 {
    type Ev = PEv;

    fn auto_mix(&self) -> [u64; 3] {
        [100, 0, 40]
    }

    fn role_weight(&self, role: Role) -> u64 {
        if role.can_write() {
            100
        } else {
            15
        }
    }

    fn head(&mut self, out: &mut Vec<u8>, _total: u64) {
        if self.csv {
            out.extend_from_slice(b"Timestamp,User,Action,Resource,Status,IP Address,Details\r\n");
        } else {
            out.push(b'[');
        }
    }

    fn tail(&mut self, out: &mut Vec<u8>, _total: u64) {
        if !self.csv {
            out.extend_from_slice(b"\n]\n");
        }
    }

    fn login(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<PEv>>) {
        self.focus[p] = self.project(&mut cx.rng);
        let me = Who::Person(p);
        if cx.rng.below(1000) < cx.org.people[p].typo_permille && !cx.org.people[p].sso {
            let reason = if cx.org.mfa[p] == Mfa::Totp && cx.rng.chance(1, 3) {
                "invalid_totp"
            } else {
                "invalid_password"
            };
            out.push(step(0, me, self.login_ev(&cx.org, p, false, reason)));
            out.push(step(
                cx.rng.range(6, 40) as u32,
                me,
                self.login_ev(&cx.org, p, true, ""),
            ));
        } else {
            out.push(step(0, me, self.login_ev(&cx.org, p, true, "")));
        }
    }

    fn action(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<PEv>>) {
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

    fn logout(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<PEv>>) {
        let person = &cx.org.people[p];
        out.push(step(
            0,
            Who::Person(p),
            pev(
                "user.logout",
                "Authentication",
                "user",
                &person.short_id,
                &person.email,
                true,
                empty(),
                req("POST", "/v1/auth/logout"),
                resp(204),
                "Signed out".to_string(),
            ),
        ));
    }

    fn auto(&mut self, cx: &mut Cx, kind: AutoKind, out: &mut Vec<Step<PEv>>) {
        match kind {
            AutoKind::Ci | AutoKind::Infra => {
                let who = Who::Key(AutoKind::Ci, cx.rng.below(16) as usize);
                self.deploy(cx, who, "webhook", out);
            }
            AutoKind::Sys => {
                let (iid, iname, _) = self.integrations[cx.rng.below(4) as usize].clone();
                let changes = Obj::new()
                    .s("result", "ok")
                    .s("check", "scheduled")
                    .n("latency_ms", cx.rng.range(80, 900) as i64)
                    .done();
                let path = format!("/v1/integrations/{iid}/test");
                out.push(step(
                    0,
                    Who::System,
                    pev(
                        "integration.tested",
                        "Integrations",
                        "integration",
                        &iid,
                        iname,
                        true,
                        changes,
                        req("POST", &path),
                        resp(200),
                        "Scheduled connection test OK".to_string(),
                    ),
                ));
            }
        }
    }

    fn nightly(&mut self, cx: &mut Cx, out: &mut Vec<Step<PEv>>) {
        let wid = format!("wfr_{}", cx.rng.token(LOWER_ALNUM, 10));
        let request = Obj::new()
            .s("run_id", &wid)
            .s("trigger", "schedule")
            .s("cron", "0 2 * * *")
            .done();
        out.push(step(
            0,
            Who::System,
            pev(
                "workflow.executed",
                "Workflows",
                "workflow",
                &wid,
                "drift-detection",
                true,
                empty(),
                request.clone(),
                resp(202),
                "drift-detection started".to_string(),
            ),
        ));
        let secs = cx.rng.range(60, 300) as u32;
        let drift = cx.rng.below(3) as i64;
        let changes = Obj::new()
            .n("projects_checked", 12)
            .n("drifted_resources", drift)
            .n("duration_sec", i64::from(secs))
            .done();
        out.push(step(
            secs,
            Who::System,
            pev(
                "workflow.completed",
                "Workflows",
                "workflow",
                &wid,
                "drift-detection",
                true,
                changes,
                request,
                resp(200),
                format!("drift-detection finished: {drift} drifted"),
            ),
        ));
    }

    fn incident(&mut self, cx: &mut Cx, kind: IncKind) -> PEv {
        let v = cx.org.victim;
        let victim = &cx.org.people[v];
        match kind {
            IncKind::SprayFail { target } => {
                self.login_ev(&cx.org, target, false, "invalid_password")
            }
            IncKind::BruteFail => self.login_ev(&cx.org, v, false, "invalid_password"),
            IncKind::BruteSuccess | IncKind::OffLogin => {
                let mut e = self.login_ev(&cx.org, v, true, "");
                e.changes = Obj::new().s("method", "password+totp").done();
                e.summary = "Signed in (password+totp)".to_string();
                e
            }
            IncKind::ApiKeyCreate | IncKind::OffApiKey => {
                let name = if kind == IncKind::ApiKeyCreate {
                    "backup-sync"
                } else {
                    "ci-runner-02"
                };
                let kid = format!("key_{}", cx.rng.token(LOWER_ALNUM, 10));
                let changes = Obj::new()
                    .s("name", name)
                    .s("scope", "*")
                    .null("expires_in_days")
                    .done();
                pev(
                    "api_key.created",
                    "Settings",
                    "api_key",
                    &kid,
                    name,
                    true,
                    changes,
                    req("POST", "/v1/api-keys"),
                    resp(201),
                    format!("API key {name}"),
                )
            }
            IncKind::SelfGrant => {
                let changes = Obj::new()
                    .raw(
                        "role",
                        &Obj::new()
                            .s("from", role_name(victim.role))
                            .s("to", "Owner")
                            .done(),
                    )
                    .done();
                let path = format!("/v1/org/members/{}", victim.short_id);
                pev(
                    "user.role_changed",
                    "Users",
                    "user",
                    &victim.short_id,
                    &victim.email,
                    true,
                    changes,
                    req("PATCH", &path),
                    resp(200),
                    format!("Role: {} -> Owner", role_name(victim.role)),
                )
            }
            IncKind::MfaDisable => {
                let changes = Obj::new()
                    .raw("mfa", &Obj::new().s("from", "totp").s("to", "none").done())
                    .done();
                pev(
                    "user.mfa_disabled",
                    "Authentication",
                    "user",
                    &victim.short_id,
                    &victim.email,
                    true,
                    changes,
                    req("DELETE", "/v1/me/mfa/totp"),
                    resp(204),
                    "TOTP disabled".to_string(),
                )
            }
            IncKind::Tamper => {
                let (iid, iname, _) = &self.integrations[4];
                let changes = Obj::new()
                    .s("type", "splunk")
                    .s("forwards", "audit_logs")
                    .done();
                let path = format!("/v1/integrations/{iid}");
                pev(
                    "integration.deleted",
                    "Integrations",
                    "integration",
                    iid,
                    iname,
                    true,
                    changes,
                    req("DELETE", &path),
                    resp(204),
                    format!("{iname} removed"),
                )
            }
            IncKind::Delete { what, i } => {
                // ops0 holds infrastructure code, not databases: the attacker deletes the
                // projects and files that define the databases, backups and compute.
                let (project, file) = match what {
                    DelWhat::Backup => (
                        8,
                        Some(
                            [
                                "vault.tf",
                                "plans.tf",
                                "selections.tf",
                                "rds-plan.tf",
                                "s3-plan.tf",
                                "variables.tf",
                            ][i % 6],
                        ),
                    ),
                    DelWhat::Database => ([7, 10, 11][i % 3], None),
                    DelWhat::Instance => (i % 7, Some(FILES[i % FILES.len()])),
                    DelWhat::Server => ([1, 2, 4][i % 3], None),
                };
                let (pid, pname) = (&self.projects[project].0, self.projects[project].1);
                match file {
                    Some(f) => {
                        let path = format!("/v1/projects/{pid}/files/{f}");
                        pev(
                            "project.file_deleted",
                            "Projects",
                            "project",
                            pid,
                            pname,
                            true,
                            Obj::new().s("file", f).done(),
                            req("DELETE", &path),
                            resp(200),
                            format!("{f} deleted"),
                        )
                    }
                    None => {
                        let path = format!("/v1/projects/{pid}");
                        pev(
                            "project.deleted",
                            "Projects",
                            "project",
                            pid,
                            pname,
                            true,
                            Obj::new().s("name", pname).done(),
                            req("DELETE", &path),
                            resp(204),
                            format!("{pname} deleted"),
                        )
                    }
                }
            }
            IncKind::OffInvite => {
                let email = "it.helpdesk.contractor@outlook.example";
                let changes = Obj::new().s("email", email).s("role", "Admin").done();
                pev(
                    "user.invited",
                    "Users",
                    "user",
                    "",
                    email,
                    true,
                    changes,
                    req("POST", "/v1/org/invitations"),
                    resp(201),
                    format!("Invited {email}"),
                )
            }
            IncKind::OffCreate { i } => {
                let name = format!("gpu-workers-{}", i + 1);
                let pid = format!("prj_{}", cx.rng.token(LOWER_ALNUM, 10));
                pev(
                    "project.created",
                    "Projects",
                    "project",
                    &pid,
                    &name,
                    true,
                    Obj::new()
                        .s("name", &name)
                        .s("provider", "aws")
                        .s("region", "us-east-1")
                        .done(),
                    req("POST", "/v1/projects"),
                    resp(200),
                    format!("{name} created"),
                )
            }
        }
    }

    fn action_name(&self, ev: &PEv) -> &'static str {
        ev.action
    }

    fn account(&self, org: &Org, p: usize) -> (String, String) {
        (org.people[p].email.clone(), org.people[p].short_id.clone())
    }

    fn write(&mut self, out: &mut Vec<u8>, cx: &mut Cx, t: i64, who: Who, e: &PEv, index: u64) {
        let (user, uid, ip, ua) = self.actor(&cx.org, who);
        let status = if e.ok { "Success" } else { "Failed" };
        if self.csv {
            write_space(out, t);
            out.push(b',');
            csv_field(out, &user);
            out.push(b',');
            csv_field(out, e.action);
            out.push(b',');
            csv_field(
                out,
                if e.category == "Authentication" {
                    ""
                } else {
                    &e.rname
                },
            );
            out.push(b',');
            out.extend_from_slice(status.as_bytes());
            out.push(b',');
            csv_field(out, ip);
            out.push(b',');
            csv_field(out, &e.summary);
            out.extend_from_slice(b"\r\n");
            return;
        }
        out.extend_from_slice(if index == 0 { b"\n{" } else { b",\n{" });
        key(out, "eventId");
        out.extend_from_slice(b"\"evt_");
        let id = self.ids.token(LOWER_ALNUM, 16);
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(b"\",");
        key(out, "timestamp");
        out.push(b'"');
        write_rfc3339(out, t);
        out.extend_from_slice(b"\",");
        kv(out, "user", &user);
        kv(out, "userId", uid);
        kv(out, "action", e.action);
        kv(out, "category", e.category);
        out.extend_from_slice(b"\"resource\":{");
        kv(out, "type", e.rtype);
        kv(out, "id", &e.rid);
        key(out, "name");
        json_str(out, &e.rname);
        out.extend_from_slice(b"},");
        kv(out, "status", status);
        kv(out, "ipAddress", ip);
        kv(out, "userAgent", ua);
        out.extend_from_slice(b"\"changes\":");
        out.extend_from_slice(e.changes.as_bytes());
        out.extend_from_slice(b",\"request\":");
        out.extend_from_slice(e.request.as_bytes());
        out.extend_from_slice(b",\"response\":");
        out.extend_from_slice(e.response.as_bytes());
        out.push(b'}');
    }
}
