//! The Sigma engine against SigmaHQ's cloud/identity/SaaS rules and the real fixtures.
//!
//! The rules (DRL 1.1) and fixtures live in `shared/` beside the repository and are not copied
//! into it; each test skips, saying why, when they are absent.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use auditlens_core::sigma::{self, RuleSet};
use auditlens_core::{Dataset, LoadOptions};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            if let Ok(t) = std::fs::read_to_string(&p) {
                let name = p
                    .strip_prefix(shared().join("sigma"))
                    .unwrap_or(&p)
                    .display()
                    .to_string();
                out.push((name, t));
            }
        }
    }
}

fn sigmahq() -> Option<(Vec<(String, String)>, RuleSet)> {
    let dir = shared().join("sigma/rules");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return None;
    }
    let mut files = Vec::new();
    walk(&dir, &mut files);
    let set = sigma::load_rules(&files);
    Some((files, set))
}

fn fixture(rel: &[&str]) -> Option<Dataset> {
    let mut ds = Dataset::new();
    for r in rel {
        let p = shared().join("fixtures/real").join(r);
        let Ok(b) = std::fs::read(&p) else {
            eprintln!("skipped: {} is absent", p.display());
            return None;
        };
        ds.load(r, b, &LoadOptions::default());
    }
    Some(ds)
}

/// Rule ids (with counts) that fire on a dataset.
fn fired(ds: &Dataset, set: &RuleSet) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = Vec::new();
    for f in sigma::run(ds, set) {
        match v.iter_mut().find(|(r, _)| *r == f.rule) {
            Some(x) => x.1 += f.count,
            None => v.push((f.rule.clone(), f.count)),
        }
    }
    v.sort();
    v
}

fn rule_id(set: &RuleSet, file_suffix: &str) -> String {
    set.rules
        .iter()
        .find(|r| r.file.ends_with(file_suffix))
        .map(|r| r.id.clone())
        .unwrap_or_else(|| panic!("rule {file_suffix} did not load"))
}

#[test]
fn sigmahq_rules_load_and_compile() {
    let Some((files, set)) = sigmahq() else {
        return;
    };
    let total = set.rules.len() + set.unsupported.len();
    println!(
        "SigmaHQ: {} files, {} rules: {} loaded and compiled, {} unsupported, {} loaded without a format of ours",
        files.len(),
        total,
        set.rules.len(),
        set.unsupported.len(),
        set.without_format().len()
    );
    let mut no_format: Vec<String> = set
        .without_format()
        .iter()
        .map(|r| {
            let l = &r.logsource;
            format!(
                "{}/{}/{}",
                l.category.as_deref().unwrap_or("-"),
                l.product.as_deref().unwrap_or("-"),
                l.service.as_deref().unwrap_or("-")
            )
        })
        .collect();
    no_format.sort();
    no_format.dedup();
    println!(
        "  logsources without a format of ours: {}",
        no_format.join(", ")
    );
    for (name, title, why) in &set.unsupported {
        println!("  unsupported: {name} ({title}): {why}");
    }
    assert!(
        set.rules.len() * 100 >= total * 90,
        "only {}/{} rules load",
        set.rules.len(),
        total
    );
}

#[test]
fn cloudtrail_stop_and_delete_fire_disable_logging() {
    let Some((_, set)) = sigmahq() else { return };
    let id = rule_id(&set, "aws_cloudtrail_disable_logging.yml");
    for f in [
        "aws-cloudtrail-stratus-red-team/aws.defense-evasion.cloudtrail-stop.json",
        "aws-cloudtrail-stratus-red-team/aws.defense-evasion.cloudtrail-delete.json",
    ] {
        let Some(ds) = fixture(&[f]) else { return };
        let got = fired(&ds, &set);
        assert!(got.iter().any(|(r, _)| *r == id), "{f}: {got:?}");
        let finding = sigma::run(&ds, &set)
            .into_iter()
            .find(|x| x.rule == id)
            .unwrap();
        assert!(
            finding.explanation.starts_with(
                "matched selection_source (eventSource = cloudtrail.amazonaws.com, eventName = "
            ),
            "{}",
            finding.explanation
        );
        assert_eq!(finding.source, "sigma");
    }
}

#[test]
fn kubectl_exec_fires_and_other_k8s_files_do_not() {
    let Some((_, set)) = sigmahq() else { return };
    let id = rule_id(&set, "kubernetes_audit_exec_into_container.yml");
    let Some(ds) = fixture(&["kubernetes-audit-falco/exec_pod.json"]) else {
        return;
    };
    assert!(fired(&ds, &set).iter().any(|(r, _)| *r == id));
    for f in [
        "kubernetes-audit-falco/create_configmap.json",
        "kubernetes-audit-falco/create_deployment.json",
        "kubernetes-audit-falco/attach_pod.json",
    ] {
        let Some(ds) = fixture(&[f]) else { return };
        assert!(!fired(&ds, &set).iter().any(|(r, _)| *r == id), "{f}");
    }
}

#[test]
fn github_new_org_member_fires() {
    let Some((_, set)) = sigmahq() else { return };
    let id = rule_id(&set, "github_new_org_member.yml");
    let Some(ds) = fixture(&["github-audit-elastic/test-organisation-audit-json.log"]) else {
        return;
    };
    let got = fired(&ds, &set);
    let n = got.iter().find(|(r, _)| *r == id).map(|x| x.1);
    assert!(n.is_some_and(|n| n > 0), "{got:?}");
}

#[test]
fn okta_mfa_reset_fires_on_a_reset_event_only() {
    let Some((_, set)) = sigmahq() else { return };
    let id = rule_id(&set, "okta_mfa_reset_or_deactivated.yml");
    // The real Okta sample has no MFA reset: nothing fires.
    let Some(ds) = fixture(&["okta-system-log-cribl/okta_system_log_unwrapped.derived.json"])
    else {
        return;
    };
    assert!(!fired(&ds, &set).iter().any(|(r, _)| *r == id));
    // One real record with its eventType changed to a reset.
    let p =
        shared().join("fixtures/real/okta-system-log-cribl/okta_system_log_unwrapped.derived.json");
    let text = std::fs::read_to_string(p).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let mut rec = match &v {
        serde_json::Value::Array(a) => a[0].clone(),
        other => other.clone(),
    };
    rec["eventType"] = "user.mfa.factor.reset_all".into();
    let mut ds = Dataset::new();
    ds.load(
        "okta-reset.json",
        serde_json::to_vec(&vec![rec]).unwrap_or_default(),
        &LoadOptions::default(),
    );
    assert_eq!(ds.len(), 1);
    assert!(fired(&ds, &set).iter().any(|(r, _)| *r == id));
}

#[test]
fn unrelated_fixtures_stay_quiet() {
    let Some((_, set)) = sigmahq() else { return };
    let trail = rule_id(&set, "aws_cloudtrail_disable_logging.yml");
    let exec = rule_id(&set, "kubernetes_audit_exec_into_container.yml");
    let member = rule_id(&set, "github_new_org_member.yml");
    for f in [
        "aws-cloudtrail-stratus-red-team/aws.credential-access.ec2-get-password-data.json",
        "aws-cloudtrail-stratus-red-team/aws.execution.ssm-send-command.json",
        "kubernetes-audit-falco/create_nginx_pod_unprivileged.json",
        "okta-system-log-cribl/okta_system_log_unwrapped.derived.json",
    ] {
        let Some(ds) = fixture(&[f]) else { return };
        let got = fired(&ds, &set);
        for r in [&trail, &exec, &member] {
            assert!(!got.iter().any(|(x, _)| x == r), "{f}: {r} fired");
        }
    }
}

#[test]
fn what_fires_on_every_real_fixture() {
    // A survey, printed for the report: which SigmaHQ rules fire on which fixture folder.
    let Some((_, set)) = sigmahq() else { return };
    let dir = shared().join("fixtures/real");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    };
    let mut folders: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for d in folders {
        let mut ds = Dataset::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .map(|r| r.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            if let Ok(b) = std::fs::read(&f) {
                ds.load(&f.display().to_string(), b, &LoadOptions::default());
            }
        }
        let titles: Vec<String> = sigma::run(&ds, &set)
            .into_iter()
            .map(|f| format!("{} ×{}", f.title, f.count))
            .collect();
        println!("{}: {} events; {:?}", d.display(), ds.len(), titles);
    }
}

fn one_rule(product: &str, service: &str, detection: &str) -> RuleSet {
    let text = format!(
        "title: Alias check\nid: alias-1\nlogsource:\n  product: {product}\n  service: {service}\ndetection:\n{detection}"
    );
    let set = sigma::load_rules(&[("alias.yml".to_string(), text)]);
    assert!(set.unsupported.is_empty(), "{:?}", set.unsupported);
    set
}

fn count(ds: &Dataset, set: &RuleSet) -> u64 {
    sigma::run(ds, set).iter().map(|f| f.count).sum()
}

#[test]
fn signin_result_type_alias_on_graph_and_diagnostic_shapes() {
    // Graph JSON (status.errorCode, inside Cribl's `_raw` string) and Azure diagnostic settings
    // (properties.status.errorCode / resultType): the Log Analytics name `ResultType` finds both.
    let ok = one_rule(
        "azure",
        "signinlogs",
        "  s:\n    ResultType: 0\n  condition: s\n",
    );
    let fail = one_rule(
        "azure",
        "signinlogs",
        "  s:\n    ResultType: 50140\n  condition: s\n",
    );
    if let Some(ds) = fixture(&["entra-id-signin-graph-cribl/7cieEB.json"]) {
        assert_eq!((count(&ds, &ok), count(&ds, &fail)), (ds.len() as u64, 0));
    }
    if let Some(ds) = fixture(&["entra-id-signin-elastic/test-signinlogs-raw.log"]) {
        assert_eq!((count(&ds, &ok), count(&ds, &fail)), (0, ds.len() as u64));
    }
}

#[test]
fn gcp_elastic_method_name_alias() {
    let Some(ds) = fixture(&["gcp-audit-elastic/test-iamcredentials-googleapis-com.log"]) else {
        return;
    };
    let set = one_rule(
        "gcp",
        "gcp.audit",
        "  s:\n    gcp.audit.method_name: GenerateAccessToken\n  condition: s\n",
    );
    assert_eq!(count(&ds, &set), 1);
    let set = one_rule(
        "gcp",
        "gcp.audit",
        "  s:\n    data.protoPayload.methodName|endswith: accesstoken\n  condition: s\n",
    );
    assert_eq!(count(&ds, &set), 1);
}

#[test]
fn m365_csv_audit_data_and_sentinel_json_strings() {
    if let Some(ds) = fixture(&["m365-purview-ual-huntress-ctf/purview.csv"]) {
        // `Operation` is a CSV column; `Workload` only exists inside the AuditData JSON cell.
        let set = one_rule(
            "m365",
            "audit",
            "  s:\n    Operation: New-InboxRule\n    Workload: Exchange\n  condition: s\n",
        );
        assert_eq!(count(&ds, &set), 38);
    }
    if let Some(ds) = fixture(&["entra-id-m365-sentinel-otrf/AADAuditEvents.json"]) {
        // Sentinel's AdditionalDetails is a JSON string holding a [{key, value}] list.
        let set = one_rule(
            "azure",
            "auditlogs",
            "  s:\n    AdditionalDetails.User-Agent|contains: WindowsPowerShell\n  condition: s\n",
        );
        assert!(count(&ds, &set) >= 1);
    }
}
