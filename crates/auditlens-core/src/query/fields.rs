//! The field table: every normalized field a query can name, as data.
//!
//! One static table ([`FIELDS`]) drives name resolution, alias handling, value validation,
//! "did you mean" suggestions and the UI's autocomplete and cheat sheet. Fields of the original
//! record are not listed here: they are reached through `raw.<path>` ([`super::FieldRef::Raw`]).

use serde::Serialize;

/// A normalized event field that queries can name.
///
/// The discriminants index [`FIELDS`]; [`Field::info`] is the way to reach the table row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Event time (UTC).
    Time,
    /// The vendor's action string, verbatim.
    Action,
    /// Service or event source.
    Service,
    /// Derived category.
    Category,
    /// Derived activity (verb).
    Activity,
    /// Derived outcome.
    Outcome,
    /// Why a failure failed.
    FailureKind,
    /// Source status or error code, verbatim.
    StatusCode,
    /// Failure or status message.
    Reason,
    /// Who performed the action: login, email, UPN, ARN.
    Actor,
    /// The actor's stable id.
    ActorId,
    /// The actor's kind.
    ActorKind,
    /// Source IP address (or the source's text when it isn't an IP).
    SrcIp,
    /// User agent string.
    UserAgent,
    /// Country, when the source provides geo data.
    Country,
    /// Target name or id.
    Target,
    /// Target resource type.
    TargetType,
    /// Target id.
    TargetId,
    /// Tenant: AWS account, GCP project, Azure subscription, organisation, cluster.
    Tenant,
    /// Cloud region.
    Region,
    /// The vendor's event id.
    Uid,
    /// Request or correlation id.
    Correlation,
    /// Detected source format of the event's file.
    Format,
    /// Name of the file the event came from.
    File,
}

/// How a field's values are typed, which decides what a query may say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "values", rename_all = "snake_case")]
pub enum FieldKind {
    /// Free-form text (messages, user agents): words match anywhere in the value.
    Text,
    /// An identifier-like string (names, actions, ids): values match the whole string.
    Keyword,
    /// An IP address: accepts single IPs, CIDRs and `[a TO b]` ranges, plus text for
    /// sources that record something other than an IP.
    Ip,
    /// A timestamp: accepts dates, `now-24h`, comparisons and ranges.
    Time,
    /// A code that is often numeric: `:` matches the text, `<` `>` and ranges compare numbers.
    Number,
    /// One of a fixed set of lower-case values.
    Enum(&'static [&'static str]),
}

/// One row of the field table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldInfo {
    /// The field.
    pub field: Field,
    /// Canonical name, used when a query is printed.
    pub name: &'static str,
    /// Other names people type for it (lower-case; matching is case-insensitive).
    pub aliases: &'static [&'static str],
    /// Value type.
    pub kind: FieldKind,
    /// One-line description for the cheat sheet.
    pub description: &'static str,
    /// An example query term.
    pub example: &'static str,
    /// Extra spellings accepted for enum values: `(typed, canonical)`.
    #[serde(skip)]
    pub value_aliases: &'static [(&'static str, &'static str)],
}

/// `outcome` values.
pub const OUTCOME_VALUES: &[&str] = &["success", "failure", "unknown"];
/// `category` values.
pub const CATEGORY_VALUES: &[&str] = &[
    "authentication",
    "identity",
    "credential",
    "configuration",
    "resource",
    "data_access",
    "other",
];
/// `activity` values.
pub const ACTIVITY_VALUES: &[&str] = &[
    "create", "read", "update", "delete", "logon", "logoff", "assign", "revoke", "enable",
    "disable", "other",
];
/// `actor_kind` values.
pub const ACTOR_KIND_VALUES: &[&str] = &[
    "user",
    "service",
    "api_key",
    "role",
    "system",
    "anonymous",
    "unknown",
];
/// `failure_kind` values.
pub const FAILURE_KIND_VALUES: &[&str] =
    &["authn", "authz", "operation", "throttled", "other", "none"];

const fn row(
    field: Field,
    name: &'static str,
    aliases: &'static [&'static str],
    kind: FieldKind,
    description: &'static str,
    example: &'static str,
) -> FieldInfo {
    FieldInfo {
        field,
        name,
        aliases,
        kind,
        description,
        example,
        value_aliases: &[],
    }
}

/// The field table, in [`Field`] declaration order.
pub static FIELDS: [FieldInfo; 24] = [
    row(
        Field::Time,
        "time",
        &["@timestamp", "timestamp"],
        FieldKind::Time,
        "Event time, UTC unless the value has an offset",
        "time>=now-24h",
    ),
    row(
        Field::Action,
        "action",
        &["event", "operation"],
        FieldKind::Keyword,
        "The vendor's action, verbatim (eventName, methodName, operationName…)",
        "action:auth.*",
    ),
    row(
        Field::Service,
        "service",
        &["event_source"],
        FieldKind::Keyword,
        "Service or event source (iam.amazonaws.com, github, Exchange…)",
        "service:iam.amazonaws.com",
    ),
    FieldInfo {
        value_aliases: &[
            ("auth", "authentication"),
            ("iam", "identity"),
            ("config", "configuration"),
            ("data", "data_access"),
            ("access", "data_access"),
        ],
        ..row(
            Field::Category,
            "category",
            &["type"],
            FieldKind::Enum(CATEGORY_VALUES),
            "Derived category",
            "category:credential",
        )
    },
    FieldInfo {
        value_aliases: &[("login", "logon"), ("logout", "logoff")],
        ..row(
            Field::Activity,
            "activity",
            &["verb"],
            FieldKind::Enum(ACTIVITY_VALUES),
            "Derived activity",
            "activity:delete",
        )
    },
    FieldInfo {
        value_aliases: &[
            ("ok", "success"),
            ("succeeded", "success"),
            ("successful", "success"),
            ("fail", "failure"),
            ("failed", "failure"),
            ("error", "failure"),
            ("denied", "failure"),
        ],
        ..row(
            Field::Outcome,
            "outcome",
            &["status", "result"],
            FieldKind::Enum(OUTCOME_VALUES),
            "Derived outcome",
            "outcome:failure",
        )
    },
    FieldInfo {
        value_aliases: &[
            ("authentication", "authn"),
            ("authorization", "authz"),
            ("throttle", "throttled"),
            ("ratelimit", "throttled"),
        ],
        ..row(
            Field::FailureKind,
            "failure_kind",
            &["failure", "outcome_kind"],
            FieldKind::Enum(FAILURE_KIND_VALUES),
            "Why a failure failed: authn, authz, operation, throttled",
            "failure:authz",
        )
    },
    row(
        Field::StatusCode,
        "status_code",
        &["code", "error_code"],
        FieldKind::Number,
        "Source status or error code (AccessDenied, 403, 50126)",
        "status_code>=400",
    ),
    row(
        Field::Reason,
        "reason",
        &["message", "error"],
        FieldKind::Text,
        "Failure or status message",
        "reason:\"wrong password\"",
    ),
    row(
        Field::Actor,
        "actor",
        &["user", "principal", "username"],
        FieldKind::Keyword,
        "Who did it: login, email, UPN or ARN",
        "actor:*@example.com",
    ),
    row(
        Field::ActorId,
        "actor_id",
        &["user_id"],
        FieldKind::Keyword,
        "The actor's stable id",
        "actor_id:AIDA*",
    ),
    FieldInfo {
        value_aliases: &[
            ("service_account", "service"),
            ("serviceaccount", "service"),
            ("sa", "service"),
            ("human", "user"),
            ("key", "api_key"),
            ("token", "api_key"),
        ],
        ..row(
            Field::ActorKind,
            "actor_kind",
            &["actor_type", "user_type"],
            FieldKind::Enum(ACTOR_KIND_VALUES),
            "Kind of actor",
            "actor_kind:service",
        )
    },
    row(
        Field::SrcIp,
        "src_ip",
        &["ip", "source.ip", "source_ip", "client_ip"],
        FieldKind::Ip,
        "Source IP; accepts an IP, a CIDR or an [a TO b] range",
        "ip:10.0.0.0/8",
    ),
    row(
        Field::UserAgent,
        "user_agent",
        &["ua", "useragent"],
        FieldKind::Text,
        "User agent",
        "ua:*curl*",
    ),
    row(
        Field::Country,
        "country",
        &["geo"],
        FieldKind::Keyword,
        "Country, when the source provides it",
        "country:DE",
    ),
    row(
        Field::Target,
        "target",
        &["resource", "object"],
        FieldKind::Keyword,
        "Target name or id",
        "target:prod-db",
    ),
    row(
        Field::TargetType,
        "target_type",
        &["resource_type"],
        FieldKind::Keyword,
        "Target resource type",
        "target_type:AWS::S3::Bucket",
    ),
    row(
        Field::TargetId,
        "target_id",
        &["resource_id"],
        FieldKind::Keyword,
        "Target id",
        "target_id:i-0abc*",
    ),
    row(
        Field::Tenant,
        "tenant",
        &["account", "project", "org"],
        FieldKind::Keyword,
        "AWS account, GCP project, Azure subscription, organisation or cluster",
        "tenant:123456789012",
    ),
    row(
        Field::Region,
        "region",
        &[],
        FieldKind::Keyword,
        "Cloud region",
        "region:eu-*",
    ),
    row(
        Field::Uid,
        "uid",
        &["id", "event_id"],
        FieldKind::Keyword,
        "The vendor's event id",
        "uid:4f0c*",
    ),
    row(
        Field::Correlation,
        "correlation",
        &["request_id", "correlation_id"],
        FieldKind::Keyword,
        "Request, transaction or correlation id",
        "correlation:abc123",
    ),
    row(
        Field::Format,
        "format",
        &[],
        FieldKind::Keyword,
        "Source format of the event's file (cloudtrail, okta, github…)",
        "format:cloudtrail",
    ),
    row(
        Field::File,
        "file",
        &["filename"],
        FieldKind::Keyword,
        "Name of the file the event came from",
        "file:*2026-02*",
    ),
];

/// The prefix that addresses fields of the original record (`raw.userIdentity.type`).
pub const RAW_PREFIX: &str = "raw";

impl Field {
    /// Every field, in table order.
    pub fn all() -> impl Iterator<Item = Field> {
        FIELDS.iter().map(|f| f.field)
    }

    /// This field's table row.
    pub fn info(self) -> &'static FieldInfo {
        // The table is in declaration order; `fields_table_is_in_declaration_order` pins it.
        &FIELDS[self as usize]
    }

    /// Canonical name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Value type.
    pub fn kind(self) -> FieldKind {
        self.info().kind
    }

    /// Resolves a canonical name or an alias, case-insensitively.
    pub fn from_name(name: &str) -> Option<Field> {
        FIELDS
            .iter()
            .find(|f| {
                f.name.eq_ignore_ascii_case(name)
                    || f.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
            })
            .map(|f| f.field)
    }

    /// The canonical enum value for a typed one (`Failed` → `failure`), if this is an enum field
    /// and the value names one of its values or value aliases. Case, `-`, `_` and spaces are
    /// ignored when comparing.
    pub fn canonical_value(self, typed: &str) -> Option<&'static str> {
        let info = self.info();
        let FieldKind::Enum(values) = info.kind else {
            return None;
        };
        let key = enum_key(typed);
        values
            .iter()
            .copied()
            .find(|v| enum_key(v) == key)
            .or_else(|| {
                info.value_aliases
                    .iter()
                    .find(|(a, _)| enum_key(a) == key)
                    .map(|(_, v)| *v)
            })
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

fn enum_key(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every name a field can be typed as: canonical names first, then aliases.
pub(crate) fn all_field_names() -> impl Iterator<Item = &'static str> {
    FIELDS
        .iter()
        .map(|f| f.name)
        .chain(FIELDS.iter().flat_map(|f| f.aliases.iter().copied()))
}

/// The candidate closest to `input` by edit distance (optimal string alignment,
/// case-insensitive), if it is close enough to be a plausible typo, or if `input` is a prefix
/// of it (at least three characters typed).
pub(crate) fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let typed: Vec<char> = input.chars().flat_map(char::to_lowercase).collect();
    if typed.is_empty() || typed.len() > 64 {
        return None;
    }
    let limit = if typed.len() <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, &'a str)> = None;
    let mut prefix: Option<&'a str> = None;
    for cand in candidates {
        let c: Vec<char> = cand.chars().flat_map(char::to_lowercase).collect();
        let d = osa_distance(&typed, &c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
        if prefix.is_none() && typed.len() >= 3 && c.starts_with(&typed) {
            prefix = Some(cand);
        }
    }
    best.map(|(_, c)| c).or(prefix)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
fn osa_distance(a: &[char], b: &[char]) -> usize {
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_table_is_in_declaration_order() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert_eq!(f.field as usize, i, "{} is out of order", f.name);
        }
    }

    #[test]
    fn names_and_aliases_are_unique_lowercase_and_not_raw() {
        let mut seen = std::collections::HashSet::new();
        for n in all_field_names() {
            assert_eq!(n, n.to_lowercase());
            assert!(seen.insert(n), "duplicate field name {n}");
            assert_ne!(n, RAW_PREFIX);
        }
    }

    #[test]
    fn aliases_from_the_spec_resolve() {
        let cases = [
            ("user", Field::Actor),
            ("actor", Field::Actor),
            ("ip", Field::SrcIp),
            ("src_ip", Field::SrcIp),
            ("source.ip", Field::SrcIp),
            ("resource", Field::Target),
            ("target", Field::Target),
            ("ua", Field::UserAgent),
            ("user_agent", Field::UserAgent),
            ("status", Field::Outcome),
            ("outcome", Field::Outcome),
            ("type", Field::Category),
            ("category", Field::Category),
            ("format", Field::Format),
            ("file", Field::File),
            ("id", Field::Uid),
            ("uid", Field::Uid),
            ("failure", Field::FailureKind),
            ("failure_kind", Field::FailureKind),
            ("USER", Field::Actor),
            ("Status_Code", Field::StatusCode),
        ];
        for (name, field) in cases {
            assert_eq!(Field::from_name(name), Some(field), "{name}");
        }
        assert_eq!(Field::from_name("usr"), None);
    }

    #[test]
    fn enum_values_canonicalize() {
        assert_eq!(Field::Outcome.canonical_value("Failed"), Some("failure"));
        assert_eq!(Field::Outcome.canonical_value("SUCCESS"), Some("success"));
        assert_eq!(
            Field::Category.canonical_value("data-access"),
            Some("data_access")
        );
        assert_eq!(
            Field::Category.canonical_value("DataAccess"),
            Some("data_access")
        );
        assert_eq!(
            Field::ActorKind.canonical_value("service_account"),
            Some("service")
        );
        assert_eq!(Field::Outcome.canonical_value("maybe"), None);
        assert_eq!(Field::Actor.canonical_value("x"), None);
        for info in &FIELDS {
            if let FieldKind::Enum(values) = info.kind {
                for (_, canon) in info.value_aliases {
                    assert!(values.contains(canon), "{} alias → {canon}", info.name);
                }
            }
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest("usr", all_field_names()), Some("user"));
        assert_eq!(closest("atcor", all_field_names()), Some("actor"));
        assert_eq!(closest("servce", all_field_names()), Some("service"));
        assert_eq!(closest("categ", all_field_names()), Some("category"));
        assert_eq!(closest("xyzzy", all_field_names()), None);
        assert_eq!(closest("", all_field_names()), None);
        assert_eq!(osa_distance(&['a', 'b'], &['b', 'a']), 1);
    }
}
