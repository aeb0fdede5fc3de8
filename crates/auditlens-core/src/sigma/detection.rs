//! Detection sections: search identifiers compiled from YAML, and their evaluation on one event.

use yaml_serde::Value;

use super::cond::{self, Cond};
use super::fields::Leaf;
use super::pattern::{self, Anchor, NumOp, Pat};

/// A compiled `detection` section.
#[derive(Debug, Clone)]
pub struct Detection {
    /// Search identifier names, in rule order.
    pub names: Vec<String>,
    /// The identifiers, parallel to `names`.
    pub idents: Vec<Ident>,
    /// The condition(s); a list is ORed.
    pub conds: Vec<Cond>,
}

/// One search identifier.
#[derive(Debug, Clone)]
pub enum Ident {
    /// Keywords searched in the whole record text (any of them).
    Keywords(Vec<Pat>),
    /// A list of maps (OR) of field conditions (AND).
    Maps(Vec<Vec<FieldCond>>),
}

/// One `field|modifiers: value(s)` entry.
#[derive(Debug, Clone)]
pub struct FieldCond {
    /// The field as the rule names it (without modifiers).
    pub field: String,
    /// The test.
    pub test: Test,
}

/// What a field entry tests.
#[derive(Debug, Clone)]
pub enum Test {
    /// Values: any (or `all`) must match; each value may expand to alternatives (`windash`,
    /// `base64offset`). `null_ok`: a `null` in the list, so an absent field matches too.
    Values {
        /// `|all`.
        all: bool,
        /// Per value, its alternatives.
        pats: Vec<Vec<Pat>>,
        /// A `null` was listed.
        null_ok: bool,
    },
    /// `field: null`: absent or null.
    Null,
    /// `|exists: true/false`.
    Exists(bool),
    /// `|fieldref`: equal (or contains/startswith/endswith) to another field of the same event.
    FieldRef {
        /// The other fields (any).
        others: Vec<String>,
        /// Anchor.
        anchor: Anchor,
        /// Case-sensitive.
        cased: bool,
    },
}

/// Scalar YAML text (strings, numbers, booleans).
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        _ => None,
    }
}

const KNOWN: &[&str] = &[
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year",
    "contains",
    "startswith",
    "endswith",
    "all",
    "re",
    "i",
    "m",
    "s",
    "cidr",
    "exists",
    "fieldref",
    "base64",
    "base64offset",
    "windash",
    "cased",
    "gt",
    "gte",
    "lt",
    "lte",
    "neq",
    "utf16le",
    "utf16be",
    "utf16",
    "wide",
];

/// Compiles a `detection` mapping.
pub fn compile(det: &Value) -> Result<Detection, String> {
    let map = det.as_mapping().ok_or("`detection` is not a mapping")?;
    let mut names = Vec::new();
    let mut raw = Vec::new();
    let mut conds_raw: Vec<String> = Vec::new();
    for (k, v) in map {
        let k = scalar(k).ok_or("a detection key is not a string")?;
        if k == "condition" {
            match v {
                Value::Sequence(s) => {
                    for c in s {
                        conds_raw.push(scalar(c).ok_or("a condition is not a string")?);
                    }
                }
                other => conds_raw.push(scalar(other).ok_or("the condition is not a string")?),
            }
        } else if k == "timeframe" {
            return Err(
                "`timeframe` (legacy aggregation) is not supported; use a correlation rule".into(),
            );
        } else {
            names.push(k);
            raw.push(v);
        }
    }
    if conds_raw.is_empty() {
        return Err("no `condition`".into());
    }
    let mut idents = Vec::with_capacity(raw.len());
    for (n, v) in names.iter().zip(raw) {
        idents.push(ident(v).map_err(|e| format!("{n}: {e}"))?);
    }
    let conds = conds_raw
        .iter()
        .map(|c| cond::parse(c, &names))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Detection {
        names,
        idents,
        conds,
    })
}

fn ident(v: &Value) -> Result<Ident, String> {
    match v {
        Value::Mapping(_) => Ok(Ident::Maps(vec![field_map(v)?])),
        Value::Sequence(s) if s.iter().all(|x| x.is_mapping()) && !s.is_empty() => Ok(Ident::Maps(
            s.iter().map(field_map).collect::<Result<_, _>>()?,
        )),
        Value::Sequence(s) => {
            let mut pats = Vec::new();
            for x in s {
                let t = scalar(x).ok_or("a keyword list mixes strings with other values")?;
                pats.push(pattern::compile_str(&t, Anchor::Contains, false)?);
            }
            Ok(Ident::Keywords(pats))
        }
        Value::Tagged(t) => ident(&t.value),
        other => {
            let t = scalar(other).ok_or("an empty search identifier")?;
            Ok(Ident::Keywords(vec![pattern::compile_str(
                &t,
                Anchor::Contains,
                false,
            )?]))
        }
    }
}

fn field_map(v: &Value) -> Result<Vec<FieldCond>, String> {
    let m = v.as_mapping().ok_or("not a mapping")?;
    let mut out = Vec::new();
    for (k, val) in m {
        let k = scalar(k).ok_or("a field name is not a string")?;
        out.push(field_cond(&k, val)?);
    }
    Ok(out)
}

/// Compiles one `field|mods: value(s)` entry.
pub fn field_cond(key: &str, val: &Value) -> Result<FieldCond, String> {
    let mut parts = key.split('|');
    let field = parts.next().unwrap_or("").to_string();
    let mods: Vec<&str> = parts.collect();
    if field.is_empty() {
        return Err(format!("keyless modifiers ({key:?}) are not supported"));
    }
    for m in &mods {
        if !KNOWN.contains(m) {
            return Err(format!("modifier `{m}` is not supported"));
        }
    }
    let has = |m: &str| mods.contains(&m);
    let values: Vec<&Value> = match val {
        Value::Sequence(s) => s.iter().collect(),
        v => vec![v],
    };
    if has("exists") {
        let b = match val {
            Value::Bool(b) => *b,
            other => scalar(other)
                .and_then(|s| s.parse::<bool>().ok())
                .ok_or("`exists` needs true or false")?,
        };
        return Ok(FieldCond {
            field,
            test: Test::Exists(b),
        });
    }
    let cased = has("cased");
    let anchor = if has("contains") {
        Anchor::Contains
    } else if has("startswith") {
        Anchor::Starts
    } else if has("endswith") {
        Anchor::Ends
    } else {
        Anchor::Exact
    };
    if has("fieldref") {
        let others = values
            .iter()
            .map(|v| scalar(v).ok_or("`fieldref` needs field names"))
            .collect::<Result<_, _>>()?;
        return Ok(FieldCond {
            field,
            test: Test::FieldRef {
                others,
                anchor,
                cased,
            },
        });
    }
    if matches!(val, Value::Null) {
        return Ok(FieldCond {
            field,
            test: Test::Null,
        });
    }
    let mut pats = Vec::new();
    let mut null_ok = false;
    for v in values {
        if matches!(v, Value::Null) {
            null_ok = true;
            continue;
        }
        let s = scalar(v).ok_or_else(|| format!("{key}: a value is not a scalar"))?;
        let mut alts = value_pats(&s, &mods, anchor, cased)?;
        if has("neq") {
            let inner = if alts.len() == 1 {
                alts.remove(0)
            } else {
                Pat::Any(alts)
            };
            alts = vec![Pat::Not(Box::new(inner))];
        }
        pats.push(alts);
    }
    Ok(FieldCond {
        field,
        test: Test::Values {
            all: has("all"),
            pats,
            null_ok,
        },
    })
}

fn value_pats(s: &str, mods: &[&str], anchor: Anchor, cased: bool) -> Result<Vec<Pat>, String> {
    let has = |m: &str| mods.contains(&m);
    if let Some(part) = mods.iter().find_map(|m| pattern::TimePart::from_name(m)) {
        let rest: Vec<&str> = mods
            .iter()
            .copied()
            .filter(|m| pattern::TimePart::from_name(m).is_none())
            .collect();
        let inner = if rest
            .iter()
            .any(|m| matches!(*m, "gt" | "gte" | "lt" | "lte"))
        {
            value_pats(s, &rest, anchor, cased)?.remove(0)
        } else {
            s.trim()
                .parse::<f64>()
                .map_err(|_| format!("a time modifier needs a number, got {s:?}"))?;
            Pat::Eq(s.trim().to_string(), false)
        };
        return Ok(vec![Pat::TimePart(part, Box::new(inner))]);
    }
    for (m, op) in [
        ("gt", NumOp::Gt),
        ("gte", NumOp::Gte),
        ("lt", NumOp::Lt),
        ("lte", NumOp::Lte),
    ] {
        if has(m) {
            let n: f64 = s
                .trim()
                .parse()
                .map_err(|_| format!("`{m}` needs a number, got {s:?}"))?;
            return Ok(vec![Pat::Num(op, n)]);
        }
    }
    if has("cidr") {
        let (ip, len) = pattern::parse_cidr(s)?;
        return Ok(vec![Pat::Cidr(ip, len)]);
    }
    if has("re") {
        let r = pattern::build_regex(s, has("i"), has("m"), has("s"))?;
        return Ok(vec![Pat::Re(r)]);
    }
    let mut strs = if has("windash") {
        pattern::windash(s)
    } else {
        vec![s.to_string()]
    };
    let wide = has("utf16le") || has("wide") || has("utf16be") || has("utf16");
    if has("base64") || has("base64offset") {
        let mut enc = Vec::new();
        for x in &strs {
            let bytes: Vec<u8> = if has("utf16le") || has("wide") {
                x.encode_utf16().flat_map(u16::to_le_bytes).collect()
            } else if has("utf16be") {
                x.encode_utf16().flat_map(u16::to_be_bytes).collect()
            } else if has("utf16") {
                let mut b = vec![0xFF, 0xFE];
                b.extend(x.encode_utf16().flat_map(u16::to_le_bytes));
                b
            } else {
                x.as_bytes().to_vec()
            };
            if has("base64offset") {
                enc.extend(pattern::base64_offsets(&bytes));
            } else {
                enc.push(pattern::base64(&bytes));
            }
        }
        // Encoded text is matched as is: base64 is case-sensitive.
        return enc
            .iter()
            .map(|e| pattern::compile_str(e, anchor, true))
            .collect();
    } else if wide {
        return Err("utf16/wide modifiers are only supported before base64/base64offset".into());
    }
    strs.dedup();
    strs.iter()
        .map(|x| pattern::compile_str(x, anchor, cased))
        .collect()
}

impl FieldCond {
    /// Evaluates against the field's values; `other` looks up another field (for `fieldref`).
    /// Returns the matched value text for explanations (`Some("")` when matched on absence).
    pub fn eval<'a>(
        &self,
        leaves: &[Leaf<'a>],
        other: &mut dyn FnMut(&str) -> Vec<Leaf<'a>>,
    ) -> Option<String> {
        let texts = || leaves.iter().filter_map(|l| l.as_deref());
        match &self.test {
            Test::Null => leaves.iter().all(Option::is_none).then(String::new),
            Test::Exists(want) => {
                let present = leaves.iter().any(Option::is_some);
                (present == *want).then(|| {
                    if present {
                        texts().next().unwrap_or("").to_string()
                    } else {
                        String::new()
                    }
                })
            }
            Test::FieldRef {
                others,
                anchor,
                cased,
            } => {
                for o in others {
                    let ov = other(o);
                    for a in texts() {
                        for b in ov.iter().filter_map(|l| l.as_deref()) {
                            let (a2, b2) = if *cased {
                                (a.to_string(), b.to_string())
                            } else {
                                (a.to_lowercase(), b.to_lowercase())
                            };
                            let ok = match anchor {
                                Anchor::Exact => a2 == b2,
                                Anchor::Contains => a2.contains(&b2),
                                Anchor::Starts => a2.starts_with(&b2),
                                Anchor::Ends => a2.ends_with(&b2),
                            };
                            if ok {
                                return Some(a.to_string());
                            }
                        }
                    }
                }
                None
            }
            Test::Values { all, pats, null_ok } => {
                if texts().next().is_none() {
                    if *null_ok {
                        return Some(String::new());
                    }
                    // `neq` holds on an absent field.
                    let negs = pats
                        .iter()
                        .all(|alts| alts.iter().all(|p| matches!(p, Pat::Not(_))));
                    return (negs && !pats.is_empty()).then(String::new);
                }
                let one = |alts: &Vec<Pat>| -> Option<&str> {
                    alts.iter().find_map(|p| match p {
                        Pat::Not(inner) => (!texts().any(|t| inner.matches(t)))
                            .then(|| texts().next().unwrap_or("")),
                        p => texts().find(|t| p.matches(t)),
                    })
                };
                if *all {
                    let mut first = None;
                    for alts in pats {
                        let t = one(alts)?;
                        first.get_or_insert(t);
                    }
                    Some(first.unwrap_or("").to_string())
                } else {
                    pats.iter().find_map(one).map(str::to_string)
                }
            }
        }
    }
}
