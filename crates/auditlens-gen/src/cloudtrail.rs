//! AWS CloudTrail: `{"Records":[…]}`, one management event per line.
//!
//! People are IAM users named after their e-mail's local part, signing in to the console
//! (`ConsoleLogin` with `responseElements.ConsoleLogin` and `additionalEventData.MFAUsed`) and
//! then calling APIs with console session credentials (`ASIA…`, `sessionContext` with
//! `mfaAuthenticated`). CI is the IAM user `ci-deployer` with a long-term key (`AKIA…`), Terraform
//! the IAM user `terraform`; scheduled work shows as `AWSService` identities (`invokedBy`).
//! Failures carry `errorCode`/`errorMessage` (`AccessDenied`, `Client.UnauthorizedOperation`,
//! `Failed authentication`). The console has no sign-out event.

use crate::engine::{step, Cx, Dialect, Step, Who};
use crate::incident::{DelWhat, IncKind};
use crate::org::{AttackNet, AutoKind, Mfa, Org, Role};
use crate::out::{json_str, key, kv, Obj};
use crate::rng::{Rng, HEX, UPPER_ALNUM};
use crate::timefmt::write_rfc3339;

const MAIN: &str = "eu-west-1";
const GLOBAL: &str = "us-east-1";
const CI_UA: &str = "aws-cli/2.22.35 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0-1021-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 prompt/off";
const TF_UA: &str = "APN/1.0 HashiCorp/1.0 Terraform/1.10.5 (+https://www.terraform.io) terraform-provider-aws/5.84.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.0 os/linux lang/go#1.23.4";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Api,
    Console { ok: bool, mfa: bool },
    Service(&'static str),
}

pub(crate) struct CtEv {
    source: &'static str,
    name: &'static str,
    region: &'static str,
    read_only: bool,
    kind: Kind,
    req: String,
    resp: String,
    error: Option<(&'static str, String)>,
}

pub(crate) struct CloudTrail {
    instances: Vec<(String, &'static str)>,
    session_keys: Vec<String>,
    attacker_key: String,
    session_start: Vec<i64>,
    ids: Rng,
}

const INSTANCES: [&str; 16] = [
    "web-1",
    "web-2",
    "web-3",
    "web-4",
    "api-1",
    "api-2",
    "api-3",
    "worker-1",
    "worker-2",
    "worker-3",
    "batch-1",
    "bastion",
    "stg-web-1",
    "stg-api-1",
    "stg-worker-1",
    "stg-batch-1",
];
const DBS: [&str; 3] = ["orders-db", "users-db", "analytics-db"];
const FUNCTIONS: [&str; 4] = [
    "checkout-webhook",
    "image-resize",
    "nightly-report",
    "stripe-events",
];
const SERVICES: [&str; 4] = ["checkout-api", "catalog", "search", "notifications"];

fn api(
    source: &'static str,
    name: &'static str,
    region: &'static str,
    read_only: bool,
    req: String,
    resp: String,
) -> CtEv {
    CtEv {
        source,
        name,
        region,
        read_only,
        kind: Kind::Api,
        req,
        resp,
        error: None,
    }
}

fn null() -> String {
    "null".to_string()
}

fn items(k: &str, v: &str) -> String {
    format!("{{\"items\":[{}]}}", Obj::new().s(k, v).done())
}

#[derive(Clone, Copy)]
enum A {
    DescribeInstances,
    DescribeSecurityGroups,
    DescribeVpcs,
    ListBuckets,
    DescribeDb,
    ListFunctions,
    GetMetricData,
    DescribeLogGroups,
    DescribeServices,
    GetCost,
    LookupEvents,
    ListUsers,
    StopStart,
    Reboot,
    CreateTags,
    ModifyInstance,
    UpdateFunction,
    ModifyDb,
    DbSnapshot,
    PutAlarm,
    UpdateService,
    // rare
    RunInstances,
    Terminate,
    CreateBucket,
    CreateUser,
    AttachReadOnly,
    KeyRotate,
    ChangePassword,
    Denied,
}

const R: u8 = 1; // anyone
const W: u8 = 2;
const ADM: u8 = 4;
const BILL: u8 = 8;
const NONADM: u8 = 16;

const ROUTINE: &[(A, u64, u8)] = &[
    (A::DescribeInstances, 20, R),
    (A::DescribeSecurityGroups, 6, R),
    (A::DescribeVpcs, 3, R),
    (A::ListBuckets, 6, R),
    (A::DescribeDb, 6, R),
    (A::ListFunctions, 4, R),
    (A::GetMetricData, 8, R),
    (A::DescribeLogGroups, 4, R),
    (A::DescribeServices, 5, R),
    (A::GetCost, 12, BILL),
    (A::LookupEvents, 3, ADM),
    (A::ListUsers, 3, ADM),
    (A::StopStart, 3, W),
    (A::Reboot, 2, W),
    (A::CreateTags, 3, W),
    (A::ModifyInstance, 2, W),
    (A::UpdateFunction, 4, W),
    (A::ModifyDb, 1, W),
    (A::DbSnapshot, 1, W),
    (A::PutAlarm, 2, W),
    (A::UpdateService, 4, W),
];

const RARE: &[(A, u64, u8)] = &[
    (A::RunInstances, 4, W),
    (A::Terminate, 3, W),
    (A::CreateBucket, 2, W),
    (A::CreateUser, 2, ADM),
    (A::AttachReadOnly, 2, ADM),
    (A::KeyRotate, 3, W),
    (A::ChangePassword, 3, R),
    (A::Denied, 4, NONADM),
];

fn allowed(mask: u8, role: Role) -> bool {
    mask & R != 0
        || (mask & W != 0 && role.can_write())
        || (mask & ADM != 0 && role.is_admin())
        || (mask & BILL != 0 && matches!(role, Role::Billing | Role::Owner))
        || (mask & NONADM != 0 && !role.is_admin())
}

impl CloudTrail {
    pub(crate) fn new(seed: u64) -> CloudTrail {
        let mut rng = Rng::new(seed, 0x0c7);
        let instances = INSTANCES
            .iter()
            .map(|&n| (format!("i-0{}", rng.token(HEX, 16)), n))
            .collect();
        let session_keys = (0..crate::org::PEOPLE)
            .map(|_| format!("ASIA{}", rng.token(UPPER_ALNUM, 16)))
            .collect();
        let attacker_key = format!("ASIA{}", rng.token(UPPER_ALNUM, 16));
        CloudTrail {
            instances,
            session_keys,
            attacker_key,
            session_start: vec![0; crate::org::PEOPLE],
            ids: Rng::new(seed, 0x1d7),
        }
    }

    fn instance(&self, rng: &mut Rng, staging: bool) -> &(String, &'static str) {
        let i = if staging {
            12 + rng.below(4)
        } else {
            rng.below(12)
        } as usize;
        &self.instances[i]
    }

    fn console(&self, ok: bool, mfa: bool) -> CtEv {
        let add = Obj::new()
            .s("LoginTo", "https://console.aws.amazon.com/console/home")
            .s("MobileVersion", "No")
            .s("MFAUsed", if mfa { "Yes" } else { "No" })
            .done();
        CtEv {
            source: "signin.amazonaws.com",
            name: "ConsoleLogin",
            region: GLOBAL,
            read_only: false,
            kind: Kind::Console { ok, mfa },
            req: add,
            resp: Obj::new()
                .s("ConsoleLogin", if ok { "Success" } else { "Failure" })
                .done(),
            error: if ok {
                None
            } else {
                Some(("", "Failed authentication".to_string()))
            },
        }
    }

    fn human(&mut self, cx: &mut Cx, p: usize, a: A, out: &mut Vec<Step<CtEv>>) {
        let me = Who::Person(p);
        let region = if cx.rng.chance(4, 5) {
            MAIN
        } else {
            "eu-central-1"
        };
        let acct = cx.org.aws_account.clone();
        let slug = cx.org.slug;
        let login = cx.org.people[p].login.clone();
        let e = match a {
            A::DescribeInstances => api("ec2.amazonaws.com", "DescribeInstances", region, true, r#"{"instancesSet":{},"filterSet":{}}"#.into(), null()),
            A::DescribeSecurityGroups => api("ec2.amazonaws.com", "DescribeSecurityGroups", region, true, r#"{"securityGroupSet":{},"securityGroupIdSet":{},"filterSet":{}}"#.into(), null()),
            A::DescribeVpcs => api("ec2.amazonaws.com", "DescribeVpcs", region, true, r#"{"vpcSet":{},"filterSet":{}}"#.into(), null()),
            A::ListBuckets => api("s3.amazonaws.com", "ListBuckets", region, true, Obj::new().s("Host", &format!("s3.{region}.amazonaws.com")).done(), null()),
            A::DescribeDb => api("rds.amazonaws.com", "DescribeDBInstances", region, true, null(), null()),
            A::ListFunctions => api("lambda.amazonaws.com", "ListFunctions20150331", region, true, null(), null()),
            A::GetMetricData => api("monitoring.amazonaws.com", "GetMetricData", region, true, Obj::new().n("maxDatapoints", 1440).s("scanBy", "TimestampDescending").done(), null()),
            A::DescribeLogGroups => api("logs.amazonaws.com", "DescribeLogGroups", region, true, Obj::new().n("limit", 50).done(), null()),
            A::DescribeServices => {
                let svc = *cx.rng.pick(&SERVICES);
                api("ecs.amazonaws.com", "DescribeServices", region, true, format!(r#"{{"cluster":"prod","services":["{svc}"]}}"#), null())
            }
            A::GetCost => api(
                "ce.amazonaws.com",
                "GetCostAndUsage",
                GLOBAL,
                true,
                r#"{"timePeriod":{"start":"2026-01-01","end":"2026-02-01"},"granularity":"DAILY","metrics":["UnblendedCost"]}"#.into(),
                null(),
            ),
            A::LookupEvents => api("cloudtrail.amazonaws.com", "LookupEvents", region, true, Obj::new().n("maxResults", 50).done(), null()),
            A::ListUsers => api("iam.amazonaws.com", "ListUsers", GLOBAL, true, null(), null()),
            A::StopStart => {
                let (id, _) = self.instance(&mut cx.rng, true).clone();
                let req = Obj::new().raw("instancesSet", &items("instanceId", &id)).done();
                out.push(step(0, me, api("ec2.amazonaws.com", "StopInstances", MAIN, false, Obj::new().raw("instancesSet", &items("instanceId", &id)).b("force", false).done(), null())));
                out.push(step(cx.rng.range(300, 2400) as u32, me, api("ec2.amazonaws.com", "StartInstances", MAIN, false, req, null())));
                return;
            }
            A::Reboot => {
                let (id, _) = self.instance(&mut cx.rng, false).clone();
                api("ec2.amazonaws.com", "RebootInstances", MAIN, false, Obj::new().raw("instancesSet", &items("instanceId", &id)).done(), null())
            }
            A::CreateTags => {
                let (id, _) = self.instance(&mut cx.rng, false).clone();
                let tag = format!(r#"{{"items":[{{"key":"owner","value":"{}"}}]}}"#, *cx.rng.pick(&["platform", "payments", "data"]));
                api("ec2.amazonaws.com", "CreateTags", MAIN, false, Obj::new().raw("resourcesSet", &items("resourceId", &id)).raw("tagSet", &tag).done(), null())
            }
            A::ModifyInstance => {
                let (id, _) = self.instance(&mut cx.rng, true).clone();
                let ty = *cx.rng.pick(&["m7i.large", "m7i.xlarge", "c7i.large"]);
                api("ec2.amazonaws.com", "ModifyInstanceAttribute", MAIN, false, Obj::new().s("instanceId", &id).raw("instanceType", &Obj::new().s("value", ty).done()).done(), null())
            }
            A::UpdateFunction => {
                let f = *cx.rng.pick(&FUNCTIONS);
                if cx.rng.chance(2, 3) {
                    api("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", MAIN, false, Obj::new().s("functionName", f).b("publish", true).done(), null())
                } else {
                    api("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", MAIN, false, Obj::new().s("functionName", f).n("timeout", cx.rng.range(10, 60) as i64).done(), null())
                }
            }
            A::ModifyDb => {
                let db = *cx.rng.pick(&DBS);
                api("rds.amazonaws.com", "ModifyDBInstance", MAIN, false, Obj::new().s("dBInstanceIdentifier", db).n("allocatedStorage", 200).b("applyImmediately", false).done(), null())
            }
            A::DbSnapshot => {
                let db = *cx.rng.pick(&DBS);
                let snap = format!("{db}-manual-{}", cx.rng.token(HEX, 6));
                api("rds.amazonaws.com", "CreateDBSnapshot", MAIN, false, Obj::new().s("dBSnapshotIdentifier", &snap).s("dBInstanceIdentifier", db).done(), null())
            }
            A::PutAlarm => {
                let svc = *cx.rng.pick(&SERVICES);
                api("monitoring.amazonaws.com", "PutMetricAlarm", MAIN, false, Obj::new().s("alarmName", &format!("{svc}-5xx-rate")).s("comparisonOperator", "GreaterThanThreshold").n("evaluationPeriods", 3).done(), null())
            }
            A::UpdateService => {
                let svc = *cx.rng.pick(&SERVICES);
                api("ecs.amazonaws.com", "UpdateService", MAIN, false, Obj::new().s("cluster", "prod").s("service", svc).b("forceNewDeployment", true).done(), null())
            }
            A::RunInstances => {
                let id = format!("i-0{}", cx.rng.token(HEX, 16));
                let req = Obj::new()
                    .raw("instancesSet", &format!(r#"{{"items":[{{"imageId":"ami-0{}","minCount":1,"maxCount":1}}]}}"#, cx.rng.token(HEX, 16)))
                    .s("instanceType", "t3.medium")
                    .done();
                api("ec2.amazonaws.com", "RunInstances", MAIN, false, req, Obj::new().raw("instancesSet", &items("instanceId", &id)).done())
            }
            A::Terminate => {
                let id = format!("i-0{}", cx.rng.token(HEX, 16));
                api("ec2.amazonaws.com", "TerminateInstances", MAIN, false, Obj::new().raw("instancesSet", &items("instanceId", &id)).done(), null())
            }
            A::CreateBucket => {
                let b = format!("{slug}-scratch-{}", cx.rng.token(HEX, 6));
                api("s3.amazonaws.com", "CreateBucket", MAIN, false, Obj::new().s("bucketName", &b).s("Host", "s3.eu-west-1.amazonaws.com").done(), null())
            }
            A::CreateUser | A::AttachReadOnly => {
                let q = cx.rng.below(cx.org.people.len() as u64) as usize;
                let target = cx.org.people[q].login.clone();
                if matches!(a, A::CreateUser) {
                    let name = format!("{}.{}", *cx.rng.pick(&["sam", "alex", "robin", "kim"]), *cx.rng.pick(&["turner", "meyer", "lopez"]));
                    api("iam.amazonaws.com", "CreateUser", GLOBAL, false, Obj::new().s("userName", &name).done(), Obj::new().raw("user", &Obj::new().s("userName", &name).s("arn", &format!("arn:aws:iam::{acct}:user/{name}")).done()).done())
                } else {
                    api("iam.amazonaws.com", "AttachUserPolicy", GLOBAL, false, Obj::new().s("userName", &target).s("policyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess").done(), null())
                }
            }
            A::KeyRotate => {
                let key = format!("AKIA{}", cx.rng.token(UPPER_ALNUM, 16));
                let resp = Obj::new().raw("accessKey", &Obj::new().s("accessKeyId", &key).s("status", "Active").s("userName", &login).done()).done();
                out.push(step(0, me, api("iam.amazonaws.com", "CreateAccessKey", GLOBAL, false, Obj::new().s("userName", &login).done(), resp)));
                let old = format!("AKIA{}", cx.rng.token(UPPER_ALNUM, 16));
                out.push(step(cx.rng.range(60, 600) as u32, me, api("iam.amazonaws.com", "DeleteAccessKey", GLOBAL, false, Obj::new().s("userName", &login).s("accessKeyId", &old).done(), null())));
                return;
            }
            A::ChangePassword => api("iam.amazonaws.com", "ChangePassword", GLOBAL, false, null(), null()),
            A::Denied => {
                let arn = format!("arn:aws:iam::{acct}:user/{login}");
                if cx.rng.chance(1, 2) {
                    let mut e = api("iam.amazonaws.com", "ListUsers", GLOBAL, true, null(), null());
                    e.error = Some(("AccessDenied", format!("User: {arn} is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::{acct}:user/ because no identity-based policy allows the iam:ListUsers action")));
                    e
                } else {
                    let (id, _) = self.instance(&mut cx.rng, false).clone();
                    let mut e = api("ec2.amazonaws.com", "StopInstances", MAIN, false, Obj::new().raw("instancesSet", &items("instanceId", &id)).b("force", false).done(), null());
                    e.error = Some(("Client.UnauthorizedOperation", format!("You are not authorized to perform this operation. User: {arn} is not authorized to perform: ec2:StopInstances on resource: arn:aws:ec2:{MAIN}:{acct}:instance/{id} because no identity-based policy allows the ec2:StopInstances action.")));
                    e
                }
            }
        };
        out.push(step(0, me, e));
    }

    fn user_identity(&self, out: &mut Vec<u8>, org: &Org, who: Who, e: &CtEv) {
        let acct = &org.aws_account;
        let iam_user = |out: &mut Vec<u8>,
                        pid: &str,
                        name: &str,
                        access_key: Option<&str>,
                        session: Option<(i64, bool)>| {
            out.extend_from_slice(b"{\"type\":\"IAMUser\",");
            kv(out, "principalId", pid);
            key_arn(out, acct, name);
            kv(out, "accountId", acct);
            if let Some(k) = access_key {
                kv(out, "accessKeyId", k);
            }
            key(out, "userName");
            json_str(out, name);
            if let Some((created, mfa)) = session {
                out.extend_from_slice(b",\"sessionContext\":{\"sessionIssuer\":{},\"webIdFederationData\":{},\"attributes\":{\"creationDate\":\"");
                write_rfc3339(out, created);
                out.extend_from_slice(b"\",\"mfaAuthenticated\":\"");
                out.extend_from_slice(if mfa { b"true" } else { b"false" });
                out.extend_from_slice(b"\"}}");
            }
            out.push(b'}');
        };
        let console = matches!(e.kind, Kind::Console { .. });
        match (who, e.kind) {
            (_, Kind::Service(svc)) => {
                out.extend_from_slice(b"{\"type\":\"AWSService\",");
                key(out, "invokedBy");
                json_str(out, svc);
                out.push(b'}');
            }
            (Who::Person(p), _) => {
                let person = &org.people[p];
                let key = (!console).then_some(self.session_keys[p].as_str());
                let session =
                    (!console).then_some((self.session_start[p], org.mfa[p] != Mfa::None));
                iam_user(out, &person.iam_id, &person.login, key, session);
            }
            (Who::Attacker(p, net), _) => {
                let person = &org.people[p];
                let key =
                    (!console && net == AttackNet::Browser).then_some(self.attacker_key.as_str());
                let session = (!console).then_some((self.session_start[p], true));
                iam_user(out, &person.iam_id, &person.login, key, session);
            }
            (Who::Key(kind, _), _) => {
                let k = &org.keys[kind as usize];
                let name = if kind == AutoKind::Infra {
                    "terraform"
                } else {
                    "ci-deployer"
                };
                iam_user(out, &k.iam_id, name, Some(&k.access_key), None);
            }
            (Who::System, _) => {
                out.extend_from_slice(
                    b"{\"type\":\"AWSService\",\"invokedBy\":\"events.amazonaws.com\"}",
                );
            }
        }
    }
}

fn key_arn(out: &mut Vec<u8>, acct: &str, name: &str) {
    key(out, "arn");
    json_str(out, &format!("arn:aws:iam::{acct}:user/{name}"));
    out.push(b',');
}

impl Dialect for CloudTrail {
    type Ev = CtEv;

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
        out.extend_from_slice(b"{\"Records\":[");
    }

    fn tail(&mut self, out: &mut Vec<u8>, _total: u64) {
        out.extend_from_slice(b"\n]}\n");
    }

    fn login(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<CtEv>>) {
        let me = Who::Person(p);
        let mfa = cx.org.mfa[p] != Mfa::None;
        if cx.rng.below(1000) < cx.org.people[p].typo_permille {
            out.push(step(0, me, self.console(false, false)));
            out.push(step(
                cx.rng.range(6, 40) as u32,
                me,
                self.console(true, mfa),
            ));
        } else {
            out.push(step(0, me, self.console(true, mfa)));
        }
    }

    fn action(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<CtEv>>) {
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

    fn logout(&mut self, _cx: &mut Cx, _p: usize, _out: &mut Vec<Step<CtEv>>) {}

    fn auto(&mut self, cx: &mut Cx, kind: AutoKind, out: &mut Vec<Step<CtEv>>) {
        let slot = cx.rng.below(16) as usize;
        match kind {
            AutoKind::Ci => {
                let who = Who::Key(AutoKind::Ci, slot);
                out.push(step(
                    0,
                    who,
                    api(
                        "ecr.amazonaws.com",
                        "GetAuthorizationToken",
                        MAIN,
                        true,
                        Obj::new().strs("registryIds", &[]).done(),
                        null(),
                    ),
                ));
                let svc = *cx.rng.pick(&SERVICES);
                out.push(step(
                    cx.rng.range(40, 240) as u32,
                    who,
                    api(
                        "ecs.amazonaws.com",
                        "UpdateService",
                        MAIN,
                        false,
                        Obj::new()
                            .s("cluster", "prod")
                            .s("service", svc)
                            .b("forceNewDeployment", true)
                            .done(),
                        null(),
                    ),
                ));
                out.push(step(
                    cx.rng.range(20, 120) as u32,
                    who,
                    api(
                        "ecs.amazonaws.com",
                        "DescribeServices",
                        MAIN,
                        true,
                        format!(r#"{{"cluster":"prod","services":["{svc}"]}}"#),
                        null(),
                    ),
                ));
            }
            AutoKind::Infra => {
                let who = Who::Key(AutoKind::Infra, slot);
                for (i, (src, name, req)) in [
                    (
                        "ec2.amazonaws.com",
                        "DescribeInstances",
                        r#"{"instancesSet":{},"filterSet":{}}"#,
                    ),
                    (
                        "ec2.amazonaws.com",
                        "DescribeVpcs",
                        r#"{"vpcSet":{},"filterSet":{}}"#,
                    ),
                    ("rds.amazonaws.com", "DescribeDBInstances", "null"),
                ]
                .into_iter()
                .enumerate()
                {
                    out.push(step(
                        if i == 0 { 0 } else { cx.rng.range(1, 4) as u32 },
                        who,
                        api(src, name, MAIN, true, req.to_string(), null()),
                    ));
                }
                if cx.rng.chance(1, 3) {
                    let (id, _) = self.instance(&mut cx.rng, false).clone();
                    let tag = r#"{"items":[{"key":"managed-by","value":"terraform"}]}"#;
                    out.push(step(
                        cx.rng.range(5, 30) as u32,
                        who,
                        api(
                            "ec2.amazonaws.com",
                            "CreateTags",
                            MAIN,
                            false,
                            Obj::new()
                                .raw("resourcesSet", &items("resourceId", &id))
                                .raw("tagSet", tag)
                                .done(),
                            null(),
                        ),
                    ));
                }
            }
            AutoKind::Sys => {
                let (svc, role) = *cx.rng.pick(&[
                    ("ecs-tasks.amazonaws.com", "ecsTaskExecutionRole"),
                    ("lambda.amazonaws.com", "lambda-exec-checkout"),
                ]);
                let req = Obj::new()
                    .s(
                        "roleArn",
                        &format!("arn:aws:iam::{}:role/{role}", cx.org.aws_account),
                    )
                    .s("roleSessionName", &cx.rng.hex(12))
                    .done();
                let resp = Obj::new()
                    .raw(
                        "credentials",
                        &Obj::new()
                            .s(
                                "accessKeyId",
                                &format!("ASIA{}", cx.rng.token(UPPER_ALNUM, 16)),
                            )
                            .done(),
                    )
                    .done();
                let mut e = api("sts.amazonaws.com", "AssumeRole", MAIN, true, req, resp);
                e.kind = Kind::Service(svc);
                out.push(step(0, Who::System, e));
            }
        }
    }

    fn nightly(&mut self, cx: &mut Cx, out: &mut Vec<Step<CtEv>>) {
        for (i, db) in DBS.iter().enumerate() {
            let req = Obj::new()
                .s(
                    "dBSnapshotIdentifier",
                    &format!("awsbackup:job-{}", cx.rng.hex(8)),
                )
                .s("dBInstanceIdentifier", db)
                .done();
            let mut e = api(
                "rds.amazonaws.com",
                "CreateDBSnapshot",
                MAIN,
                false,
                req,
                null(),
            );
            e.kind = Kind::Service("backup.amazonaws.com");
            out.push(step(
                if i == 0 {
                    0
                } else {
                    cx.rng.range(30, 120) as u32
                },
                Who::System,
                e,
            ));
        }
    }

    fn incident(&mut self, cx: &mut Cx, kind: IncKind) -> CtEv {
        let v = cx.org.victim;
        let victim = cx.org.people[v].login.clone();
        let acct = cx.org.aws_account.clone();
        match kind {
            IncKind::SprayFail { .. } | IncKind::BruteFail => self.console(false, false),
            IncKind::BruteSuccess | IncKind::OffLogin => self.console(true, true),
            IncKind::ApiKeyCreate | IncKind::OffApiKey => {
                let user = if kind == IncKind::ApiKeyCreate {
                    victim
                } else {
                    "support-svc".to_string()
                };
                let key = format!("AKIA{}", cx.rng.token(UPPER_ALNUM, 16));
                let resp = Obj::new()
                    .raw(
                        "accessKey",
                        &Obj::new()
                            .s("accessKeyId", &key)
                            .s("status", "Active")
                            .s("userName", &user)
                            .done(),
                    )
                    .done();
                api(
                    "iam.amazonaws.com",
                    "CreateAccessKey",
                    GLOBAL,
                    false,
                    Obj::new().s("userName", &user).done(),
                    resp,
                )
            }
            IncKind::SelfGrant => api(
                "iam.amazonaws.com",
                "AttachUserPolicy",
                GLOBAL,
                false,
                Obj::new()
                    .s("userName", &victim)
                    .s("policyArn", "arn:aws:iam::aws:policy/AdministratorAccess")
                    .done(),
                null(),
            ),
            IncKind::MfaDisable => api(
                "iam.amazonaws.com",
                "DeactivateMFADevice",
                GLOBAL,
                false,
                Obj::new()
                    .s("userName", &victim)
                    .s("serialNumber", &format!("arn:aws:iam::{acct}:mfa/{victim}"))
                    .done(),
                null(),
            ),
            IncKind::Tamper => api(
                "cloudtrail.amazonaws.com",
                "DeleteTrail",
                MAIN,
                false,
                Obj::new()
                    .s(
                        "name",
                        &format!("arn:aws:cloudtrail:{MAIN}:{acct}:trail/siem-forwarder"),
                    )
                    .done(),
                null(),
            ),
            IncKind::Delete { what, i } => match what {
                DelWhat::Backup => {
                    let snap = format!("rds:{}-2026-02-0{}-02-05", DBS[i % 3], 7 + i / 3);
                    api(
                        "rds.amazonaws.com",
                        "DeleteDBSnapshot",
                        MAIN,
                        false,
                        Obj::new().s("dBSnapshotIdentifier", &snap).done(),
                        null(),
                    )
                }
                DelWhat::Database => api(
                    "rds.amazonaws.com",
                    "DeleteDBInstance",
                    MAIN,
                    false,
                    Obj::new()
                        .s("dBInstanceIdentifier", DBS[i % 3])
                        .b("skipFinalSnapshot", true)
                        .b("deleteAutomatedBackups", true)
                        .done(),
                    null(),
                ),
                DelWhat::Instance => {
                    let id = self.instances[i % self.instances.len()].0.clone();
                    api(
                        "ec2.amazonaws.com",
                        "TerminateInstances",
                        MAIN,
                        false,
                        Obj::new()
                            .raw("instancesSet", &items("instanceId", &id))
                            .done(),
                        null(),
                    )
                }
                DelWhat::Server => {
                    let b = format!("{}-{}", cx.org.slug, ["assets", "backups", "logs"][i % 3]);
                    api(
                        "s3.amazonaws.com",
                        "DeleteBucket",
                        MAIN,
                        false,
                        Obj::new()
                            .s("bucketName", &b)
                            .s("Host", &format!("{b}.s3.eu-west-1.amazonaws.com"))
                            .done(),
                        null(),
                    )
                }
            },
            IncKind::OffInvite => api(
                "iam.amazonaws.com",
                "CreateUser",
                GLOBAL,
                false,
                Obj::new().s("userName", "support-svc").done(),
                Obj::new()
                    .raw(
                        "user",
                        &Obj::new()
                            .s("userName", "support-svc")
                            .s("arn", &format!("arn:aws:iam::{acct}:user/support-svc"))
                            .done(),
                    )
                    .done(),
            ),
            IncKind::OffCreate { .. } => {
                let id = format!("i-0{}", cx.rng.token(HEX, 16));
                let req = Obj::new()
                    .raw(
                        "instancesSet",
                        &format!(
                            r#"{{"items":[{{"imageId":"ami-0{}","minCount":1,"maxCount":1}}]}}"#,
                            cx.rng.token(HEX, 16)
                        ),
                    )
                    .s("instanceType", "g5.12xlarge")
                    .done();
                api(
                    "ec2.amazonaws.com",
                    "RunInstances",
                    "us-east-1",
                    false,
                    req,
                    Obj::new()
                        .raw("instancesSet", &items("instanceId", &id))
                        .done(),
                )
            }
        }
    }

    fn action_name(&self, ev: &CtEv) -> &'static str {
        ev.name
    }

    fn account(&self, org: &Org, p: usize) -> (String, String) {
        (org.people[p].login.clone(), org.people[p].iam_id.clone())
    }

    fn write(&mut self, out: &mut Vec<u8>, cx: &mut Cx, t: i64, who: Who, e: &CtEv, index: u64) {
        if let (Kind::Console { ok: true, .. }, Who::Person(p) | Who::Attacker(p, _)) =
            (e.kind, who)
        {
            self.session_start[p] = t;
        }
        out.extend_from_slice(if index == 0 { b"\n{" } else { b",\n{" });
        kv(out, "eventVersion", "1.10");
        key(out, "userIdentity");
        self.user_identity(out, &cx.org, who, e);
        out.push(b',');
        key(out, "eventTime");
        out.push(b'"');
        write_rfc3339(out, t);
        out.extend_from_slice(b"\",");
        kv(out, "eventSource", e.source);
        kv(out, "eventName", e.name);
        kv(out, "awsRegion", e.region);
        let (ip, ua): (&str, &str) = match (who, e.kind) {
            (_, Kind::Service(svc)) => (svc, svc),
            (Who::Person(p), _) => (&cx.org.people[p].ip, cx.org.people[p].ua),
            (Who::Attacker(_, net), _) => cx.org.attack_net(net),
            (Who::Key(k, slot), _) => {
                let key = &cx.org.keys[k as usize];
                (
                    &key.ips[slot % key.ips.len()],
                    if k == AutoKind::Infra { TF_UA } else { CI_UA },
                )
            }
            (Who::System, _) => ("events.amazonaws.com", "events.amazonaws.com"),
        };
        kv(out, "sourceIPAddress", ip);
        kv(out, "userAgent", ua);
        if let Some((code, msg)) = &e.error {
            if !code.is_empty() {
                kv(out, "errorCode", code);
            }
            kv(out, "errorMessage", msg);
        }
        let console = matches!(e.kind, Kind::Console { .. });
        out.extend_from_slice(b"\"requestParameters\":");
        out.extend_from_slice(if console { b"null" } else { e.req.as_bytes() });
        out.extend_from_slice(b",\"responseElements\":");
        out.extend_from_slice(e.resp.as_bytes());
        out.push(b',');
        if console {
            out.extend_from_slice(b"\"additionalEventData\":");
            out.extend_from_slice(e.req.as_bytes());
            out.push(b',');
        } else {
            out.extend_from_slice(b"\"requestID\":\"");
            self.ids.uuid().write(out);
            out.extend_from_slice(b"\",");
        }
        out.extend_from_slice(b"\"eventID\":\"");
        self.ids.uuid().write(out);
        out.extend_from_slice(b"\",\"readOnly\":");
        out.extend_from_slice(if e.read_only { b"true" } else { b"false" });
        out.extend_from_slice(if console {
            b",\"eventType\":\"AwsConsoleSignIn\""
        } else {
            b",\"eventType\":\"AwsApiCall\""
        });
        out.extend_from_slice(b",\"managementEvent\":true,");
        kv(out, "recipientAccountId", &cx.org.aws_account);
        out.extend_from_slice(b"\"eventCategory\":\"Management\"");
        if !console
            && matches!(who, Who::Person(_) | Who::Attacker(..))
            && !matches!(e.kind, Kind::Service(_))
        {
            out.extend_from_slice(b",\"sessionCredentialFromConsole\":\"true\"");
        }
        out.push(b'}');
    }
}
