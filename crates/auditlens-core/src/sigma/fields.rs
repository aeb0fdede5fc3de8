//! Field lookup for Sigma rules: the raw record by dotted path, then the per-logsource alias
//! table, then the normalized model.
//!
//! Path walking is forgiving in the ways real exports need:
//! - keys are tried exactly, then ASCII case-insensitively (`OperationName` vs `operationName`);
//! - keys that contain dots (`gcp.audit.method_name` in Elastic documents) are tried whole;
//! - arrays are descended into: any element may match;
//! - `[{Name, Value}]` lists (M365 `Parameters`, `ExtendedProperties`, `ModifiedProperties`,
//!   Sentinel `AdditionalDetails`) are also maps from name to value;
//! - strings that hold JSON (Sentinel columns) are parsed and descended into;
//! - Azure's localizable strings (`{"value": …, "localizedValue": …}`) read as their `value`.

use std::borrow::Cow;

use crate::ingest::Dataset;
use crate::json::{Doc, Kind, Val};
use crate::model::Event;

/// One value found for a field: its text, or `None` for JSON `null`.
pub type Leaf<'a> = Option<Cow<'a, str>>;

/// What one rule's field names resolve against.
#[derive(Debug, Clone, Copy)]
pub struct Aliases {
    /// Field → alternative paths, tried in order when the rule's own path finds nothing.
    pub fields: &'static [(&'static str, &'static [&'static str])],
    /// Prefixes tried in front of a field that finds nothing (`properties.`, `AuditData.`).
    pub prefixes: &'static [&'static str],
    /// Prefixes stripped from a field that finds nothing (`data.` in GCP rules).
    pub strip: &'static [&'static str],
}

const NONE: Aliases = Aliases {
    fields: &[],
    prefixes: &[],
    strip: &[],
};

/// The alias table of a Sigma logsource (product, service). Built from the field names SigmaHQ's
/// cloud rules use, against the shapes of our fixtures (Graph JSON, Azure diagnostic settings,
/// Sentinel/Log Analytics columns, Elastic documents).
pub fn aliases(product: &str, service: &str) -> Aliases {
    match (product, service) {
        ("gcp", "gcp.audit") => Aliases {
            fields: &[
                (
                    "gcp.audit.method_name",
                    &["protoPayload.methodName", "methodName"],
                ),
                (
                    "gcp.audit.service_name",
                    &["protoPayload.serviceName", "serviceName"],
                ),
                (
                    "gcp.audit.resource_name",
                    &["protoPayload.resourceName", "resourceName"],
                ),
                (
                    "gcp.audit.authentication_info.principal_email",
                    &["protoPayload.authenticationInfo.principalEmail"],
                ),
            ],
            prefixes: &["protoPayload."],
            strip: &["data.", "json."],
        },
        ("gcp", s) if s.starts_with("google_workspace") => Aliases {
            fields: &[
                ("eventService", &["protoPayload.serviceName"]),
                (
                    "eventName",
                    &["protoPayload.metadata.event.eventName", "events.name"],
                ),
            ],
            prefixes: &["protoPayload."],
            strip: &["data."],
        },
        ("azure", "signinlogs") => Aliases {
            fields: &[
                (
                    "ResultType",
                    &[
                        "status.errorCode",
                        "properties.status.errorCode",
                        "resultType",
                    ],
                ),
                (
                    "ResultDescription",
                    &[
                        "status.failureReason",
                        "properties.status.failureReason",
                        "resultDescription",
                    ],
                ),
                ("Status", &["status", "properties.status"]),
                ("userAgent", &["properties.userAgent"]),
                (
                    "DeviceDetail.trusttype",
                    &[
                        "deviceDetail.trustType",
                        "properties.deviceDetail.trustType",
                    ],
                ),
                (
                    "Location",
                    &[
                        "location.countryOrRegion",
                        "properties.location.countryOrRegion",
                    ],
                ),
            ],
            prefixes: &["properties."],
            strip: &[],
        },
        ("azure", "auditlogs") => Aliases {
            fields: &[
                (
                    "properties.message",
                    &[
                        "activityDisplayName",
                        "properties.activityDisplayName",
                        "OperationName",
                        "operationName",
                    ],
                ),
                (
                    "OperationName",
                    &["activityDisplayName", "properties.activityDisplayName"],
                ),
                ("ActivityDisplayName", &["OperationName", "operationName"]),
                ("Status", &["result", "properties.result", "Result"]),
                ("LoggedByService", &["properties.loggedByService"]),
                ("Category", &["properties.category"]),
                (
                    "Initiatedby",
                    &[
                        "initiatedBy.user.userPrincipalName",
                        "properties.initiatedBy.user.userPrincipalName",
                    ],
                ),
            ],
            prefixes: &["properties."],
            strip: &[],
        },
        ("azure", "activitylogs") => Aliases {
            fields: &[
                (
                    "operationName",
                    &["OperationNameValue", "properties.operationName"],
                ),
                ("OperationNameValue", &["operationName"]),
                ("CategoryValue", &["category"]),
                (
                    "ResourceProviderValue",
                    &["resourceProviderName", "properties.resourceProviderName"],
                ),
                ("ResourceId", &["resourceId"]),
                (
                    "properties.message",
                    &[
                        "properties.message",
                        "properties.operationName",
                        "operationName",
                    ],
                ),
            ],
            prefixes: &["properties."],
            strip: &[],
        },
        ("m365", _) => Aliases {
            fields: &[],
            prefixes: &["AuditData."],
            strip: &[],
        },
        _ => NONE,
    }
}

/// Collects every value at `path` under `v` into `out`.
pub fn walk<'a>(v: Val<'_, 'a>, segs: &[&str], out: &mut Vec<Leaf<'a>>, depth: u8) {
    if depth > 12 {
        return;
    }
    if segs.is_empty() {
        leaf(v, out, depth);
        return;
    }
    match v.kind() {
        Kind::Arr => {
            for el in v.elements() {
                if el.kind() == Kind::Obj {
                    if let Some(val) = name_value(el, segs[0]) {
                        walk(val, &segs[1..], out, depth + 1);
                        continue;
                    }
                }
                walk(el, segs, out, depth + 1);
            }
        }
        Kind::Obj => {
            for k in (1..=segs.len()).rev() {
                let key = if k == 1 {
                    Cow::Borrowed(segs[0])
                } else {
                    Cow::Owned(segs[..k].join("."))
                };
                let found = v.get(&key).or_else(|| {
                    v.entries()
                        .find(|(n, _)| n.eq_ignore_ascii_case(&key))
                        .map(|(_, x)| x)
                });
                if let Some(c) = found {
                    walk(c, &segs[k..], out, depth + 1);
                    return;
                }
            }
        }
        Kind::Str => {
            let Some(s) = v.as_str() else { return };
            if let Some(doc) = json_in_string(&s) {
                let mut inner = Vec::new();
                walk(doc.root(), segs, &mut inner, depth + 1);
                out.extend(
                    inner
                        .into_iter()
                        .map(|l| l.map(|c| Cow::Owned(c.into_owned()))),
                );
            }
        }
        _ => {}
    }
}

fn json_in_string(s: &str) -> Option<Doc<'_>> {
    let t = s.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    Doc::parse_str(s).ok()
}

/// `{Name: n, Value: v}` (also `key`/`value`, `NewValue`) when `n` equals `name`.
fn name_value<'d, 'a>(el: Val<'d, 'a>, name: &str) -> Option<Val<'d, 'a>> {
    let n = el
        .entries()
        .find(|(k, _)| k.eq_ignore_ascii_case("name") || k.eq_ignore_ascii_case("key"))?;
    if !n.1.as_str().is_some_and(|s| s.eq_ignore_ascii_case(name)) {
        return None;
    }
    el.entries()
        .find(|(k, _)| k.eq_ignore_ascii_case("value") || k.eq_ignore_ascii_case("newvalue"))
        .map(|(_, v)| v)
}

fn leaf<'a>(v: Val<'_, 'a>, out: &mut Vec<Leaf<'a>>, depth: u8) {
    if depth > 24 {
        return;
    }
    match v.kind() {
        Kind::Null => out.push(None),
        Kind::Str | Kind::Num | Kind::Bool => out.push(v.as_text()),
        Kind::Arr => {
            for el in v.elements() {
                leaf(el, out, depth + 1);
            }
        }
        Kind::Obj => {
            // Azure's localizable strings read as their value.
            if let Some(x) = v.get("value").filter(|x| x.kind() == Kind::Str) {
                out.push(x.as_text());
            }
            out.push(std::str::from_utf8(v.raw()).ok().map(Cow::Borrowed));
        }
    }
}

/// Values for `field` in the record `root`, trying the rule's path, then aliases, prefixes and
/// stripped prefixes, then the normalized event. Empty when the field is absent.
pub fn lookup<'a>(
    ds: &'a Dataset,
    e: &Event,
    root: Option<Val<'_, 'a>>,
    al: &Aliases,
    field: &str,
) -> Vec<Leaf<'a>> {
    let mut out = Vec::new();
    if let Some(root) = root {
        let segs: Vec<&str> = field.split('.').collect();
        walk(root, &segs, &mut out, 0);
        if !out.is_empty() {
            return out;
        }
        for (f, alts) in al.fields {
            if f.eq_ignore_ascii_case(field) {
                for a in *alts {
                    let segs: Vec<&str> = a.split('.').collect();
                    walk(root, &segs, &mut out, 0);
                    if !out.is_empty() {
                        return out;
                    }
                }
            }
        }
        for p in al.prefixes {
            let full = format!("{p}{field}");
            let segs: Vec<&str> = full.split('.').collect();
            walk(root, &segs, &mut out, 0);
            if !out.is_empty() {
                return out;
            }
        }
        for p in al.strip {
            if let Some(rest) = field.strip_prefix(p) {
                let segs: Vec<&str> = rest.split('.').collect();
                walk(root, &segs, &mut out, 0);
                if !out.is_empty() {
                    return out;
                }
                for p2 in al.prefixes {
                    let full = format!("{p2}{rest}");
                    let segs: Vec<&str> = full.split('.').collect();
                    walk(root, &segs, &mut out, 0);
                    if !out.is_empty() {
                        return out;
                    }
                }
            }
        }
    }
    normalized(ds, e, field, &mut out);
    out
}

/// The normalized fields of the generic `category: audit` logsource (also a last resort for
/// product logsources).
pub const NORMALIZED: &[&str] = &[
    "audit.action",
    "audit.service",
    "audit.category",
    "audit.activity",
    "audit.outcome",
    "audit.failure",
    "audit.status_code",
    "audit.reason",
    "actor.name",
    "actor.id",
    "actor.kind",
    "actor.credential",
    "actor.mfa",
    "src_ip",
    "user_agent",
    "country",
    "target.name",
    "target.id",
    "target.type",
    "tenant",
    "region",
    "format",
];

/// Values of a normalized field.
pub fn normalized<'a>(ds: &'a Dataset, e: &Event, field: &str, out: &mut Vec<Leaf<'a>>) {
    let f = field.to_ascii_lowercase();
    let f = f.strip_prefix("audit.").unwrap_or(&f);
    let sym = |s| ds.strings.opt(s).map(Cow::Borrowed);
    let v: Leaf<'a> = match f {
        "action" => sym(e.action),
        "service" => sym(e.service),
        "category" => Some(Cow::Borrowed(e.category.name())),
        "activity" => Some(Cow::Borrowed(e.activity.name())),
        "outcome" => Some(Cow::Borrowed(e.outcome.name())),
        "failure" => Some(Cow::Borrowed(e.failure.name())),
        "status_code" => sym(e.status_code),
        "reason" => sym(e.reason),
        "actor.name" | "user" | "user.name" => sym(e.actor_name),
        "actor.id" => sym(e.actor_id),
        "actor.kind" => Some(Cow::Borrowed(e.actor_kind.name())),
        "actor.credential" => sym(e.credential),
        "actor.mfa" => e
            .mfa
            .map(|m| Cow::Borrowed(if m { "true" } else { "false" })),
        "src_ip" | "source.ip" => e.src_ip.map(|i| Cow::Owned(i.to_string())),
        "user_agent" => sym(e.user_agent),
        "country" => sym(e.country),
        "tenant" => sym(e.tenant),
        "region" => sym(e.region),
        "format" => Some(Cow::Borrowed(ds.format_of(e).id())),
        "target.name" | "target.id" | "target.type" => {
            for t in ds.targets_of(e) {
                let s = match f {
                    "target.name" => t.name,
                    "target.id" => t.id,
                    _ => t.kind,
                };
                if let Some(x) = sym(s) {
                    out.push(Some(x));
                }
            }
            return;
        }
        _ => return,
    };
    if let Some(v) = v {
        out.push(Some(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(json: &str, path: &str) -> Vec<Option<String>> {
        let doc = Doc::parse_str(json).unwrap();
        let mut out = Vec::new();
        let segs: Vec<&str> = path.split('.').collect();
        walk(doc.root(), &segs, &mut out, 0);
        out.into_iter().map(|l| l.map(|c| c.into_owned())).collect()
    }

    #[test]
    fn paths_arrays_and_case() {
        let j = r#"{"a":{"b":[{"c":1},{"c":"x"}]},"Op":"Y","gcp.audit.method_name":"m","n":null}"#;
        assert_eq!(at(j, "a.b.c"), vec![Some("1".into()), Some("x".into())]);
        assert_eq!(at(j, "op"), vec![Some("Y".into())]);
        assert_eq!(at(j, "gcp.audit.method_name"), vec![Some("m".into())]);
        assert_eq!(at(j, "n"), vec![None]);
        assert!(at(j, "missing").is_empty());
    }

    #[test]
    fn name_value_lists_and_json_strings() {
        let j = r#"{"Parameters":[{"Name":"Identity","Value":"bob"},{"Name":"Enabled","Value":"False"}],
            "AdditionalDetails":"[{\"key\":\"User-Agent\",\"value\":\"ps\"}]",
            "operationName":{"value":"MICROSOFT.X/WRITE","localizedValue":"Write X"}}"#;
        assert_eq!(at(j, "Parameters.Identity"), vec![Some("bob".into())]);
        assert_eq!(
            at(j, "Parameters.Name"),
            vec![Some("Identity".into()), Some("Enabled".into())]
        );
        assert_eq!(
            at(j, "AdditionalDetails.User-Agent"),
            vec![Some("ps".into())]
        );
        assert_eq!(at(j, "operationName")[0], Some("MICROSOFT.X/WRITE".into()));
    }
}
