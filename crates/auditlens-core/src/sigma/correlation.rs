//! Sigma correlation rules, evaluated in batch: each group's matches are a time-sorted vector and
//! every window is found with two pointers (no streaming state, no clock).

use yaml_serde::Value;

use super::detection::scalar;

/// Correlation type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Number of events in the window.
    EventCount,
    /// Number of distinct values of a field in the window.
    ValueCount,
    /// All referenced rules matched in the window (any order).
    Temporal,
    /// All referenced rules matched in the window, in the listed order.
    TemporalOrdered,
}

impl Kind {
    /// Sigma name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::EventCount => "event_count",
            Kind::ValueCount => "value_count",
            Kind::Temporal => "temporal",
            Kind::TemporalOrdered => "temporal_ordered",
        }
    }
}

/// Comparison of a correlation condition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cmp {
    /// `>`
    Gt(f64),
    /// `>=`
    Gte(f64),
    /// `<`
    Lt(f64),
    /// `<=`
    Lte(f64),
    /// `==`
    Eq(f64),
    /// `!=`
    Neq(f64),
}

impl Cmp {
    /// Tests a count.
    pub fn test(self, n: usize) -> bool {
        let n = n as f64;
        match self {
            Cmp::Gt(x) => n > x,
            Cmp::Gte(x) => n >= x,
            Cmp::Lt(x) => n < x,
            Cmp::Lte(x) => n <= x,
            Cmp::Eq(x) => n == x,
            Cmp::Neq(x) => n != x,
        }
    }

    /// `≥ 10`.
    pub fn describe(self) -> String {
        match self {
            Cmp::Gt(x) => format!("> {x}"),
            Cmp::Gte(x) => format!("≥ {x}"),
            Cmp::Lt(x) => format!("< {x}"),
            Cmp::Lte(x) => format!("≤ {x}"),
            Cmp::Eq(x) => format!("= {x}"),
            Cmp::Neq(x) => format!("≠ {x}"),
        }
    }
}

/// A compiled `correlation` section.
#[derive(Debug, Clone)]
pub struct Correlation {
    /// Type.
    pub kind: Kind,
    /// Referenced rules (ids or names), in order.
    pub rules: Vec<String>,
    /// Resolved indices into the rule set (filled by the loader).
    pub resolved: Vec<usize>,
    /// Group-by fields (alias names or field names).
    pub group_by: Vec<String>,
    /// Window length in nanoseconds.
    pub timespan_ns: i64,
    /// Timespan as written (`10m`).
    pub timespan: String,
    /// Condition (defaults: temporal types need every rule).
    pub cond: Option<Cmp>,
    /// Field for `value_count`.
    pub field: Option<String>,
    /// Alias → (rule id or name → field).
    pub aliases: Vec<(String, Vec<(String, String)>)>,
    /// Referenced rules also produce their own findings.
    pub generate: bool,
}

/// Parses `30s`, `10m`, `1h`, `2d`, `1w`.
pub fn parse_timespan(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num.parse().map_err(|_| format!("bad timespan {s:?}"))?;
    let mult: i64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(format!("bad timespan unit in {s:?}")),
    };
    n.checked_mul(mult)
        .and_then(|x| x.checked_mul(1_000_000_000))
        .ok_or_else(|| format!("timespan {s:?} too large"))
}

/// Compiles a `correlation` mapping.
pub fn compile(v: &Value, generate_default: bool) -> Result<Correlation, String> {
    let m = v.as_mapping().ok_or("`correlation` is not a mapping")?;
    let get = |k: &str| m.get(Value::String(k.into()));
    let ty = get("type")
        .and_then(scalar)
        .ok_or("correlation without `type`")?;
    let kind = match ty.as_str() {
        "event_count" => Kind::EventCount,
        "value_count" => Kind::ValueCount,
        "temporal" => Kind::Temporal,
        "temporal_ordered" => Kind::TemporalOrdered,
        other => return Err(format!("correlation type `{other}` is not supported")),
    };
    let list = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::Sequence(s)) => s.iter().filter_map(scalar).collect(),
            Some(x) => scalar(x).into_iter().collect(),
            None => Vec::new(),
        }
    };
    let rules = list(get("rules"));
    if rules.is_empty() {
        return Err("correlation without `rules`".into());
    }
    let group_by = list(get("group-by"));
    let timespan = get("timespan")
        .or_else(|| get("timeframe"))
        .and_then(scalar)
        .ok_or("correlation without `timespan`")?;
    let timespan_ns = parse_timespan(&timespan)?;
    let mut cond = None;
    let mut field = None;
    if let Some(c) = get("condition") {
        let cm = c
            .as_mapping()
            .ok_or("correlation `condition` is not a mapping")?;
        for (k, v) in cm {
            let k = scalar(k).unwrap_or_default();
            if k == "field" {
                field = scalar(v);
                continue;
            }
            let x: f64 = scalar(v)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| format!("correlation condition `{k}` needs a number"))?;
            cond = Some(match k.as_str() {
                "gt" => Cmp::Gt(x),
                "gte" => Cmp::Gte(x),
                "lt" => Cmp::Lt(x),
                "lte" => Cmp::Lte(x),
                "eq" => Cmp::Eq(x),
                "neq" => Cmp::Neq(x),
                other => return Err(format!("correlation condition `{other}` is not supported")),
            });
        }
    }
    if matches!(kind, Kind::EventCount | Kind::ValueCount) && cond.is_none() {
        return Err(format!("{ty} correlation without a condition"));
    }
    if kind == Kind::ValueCount && field.is_none() {
        return Err("value_count correlation without `condition.field`".into());
    }
    let mut aliases = Vec::new();
    if let Some(Value::Mapping(am)) = get("aliases") {
        for (k, v) in am {
            let name = scalar(k).ok_or("bad alias name")?;
            let per = v
                .as_mapping()
                .ok_or("an alias is not a mapping of rule → field")?
                .iter()
                .filter_map(|(r, f)| Some((scalar(r)?, scalar(f)?)))
                .collect();
            aliases.push((name, per));
        }
    }
    let generate = get("generate")
        .and_then(|g| g.as_bool())
        .unwrap_or(generate_default);
    Ok(Correlation {
        kind,
        rules,
        resolved: Vec::new(),
        group_by,
        timespan_ns,
        timespan,
        cond,
        field,
        aliases,
        generate,
    })
}

/// One matched event of a referenced rule, within one group.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Event time, ns.
    pub time: i64,
    /// Position of the referenced rule in `Correlation::rules`.
    pub rule: usize,
    /// Event index in the dataset.
    pub event: usize,
    /// The `value_count` field's value.
    pub value: Option<String>,
}

/// Evaluates one group (hits sorted by time). Returns the indices of `hits` that lie in a
/// window satisfying the correlation, and the best count seen; empty when it does not fire.
pub fn eval_group(c: &Correlation, hits: &[Hit]) -> (Vec<usize>, usize) {
    let n = hits.len();
    let nrules = c.rules.len();
    let mut mark = vec![false; n];
    let mut best = 0usize;
    match c.kind {
        Kind::EventCount | Kind::ValueCount | Kind::Temporal => {
            let mut j = 0;
            let mut vals: hashbrown::HashMap<&str, usize> = hashbrown::HashMap::new();
            let mut per_rule = vec![0usize; nrules];
            let mut distinct_rules = 0;
            for i in 0..n {
                while j < n && hits[j].time - hits[i].time <= c.timespan_ns {
                    if let Some(v) = hits[j].value.as_deref() {
                        *vals.entry(v).or_insert(0) += 1;
                    }
                    per_rule[hits[j].rule] += 1;
                    if per_rule[hits[j].rule] == 1 {
                        distinct_rules += 1;
                    }
                    j += 1;
                }
                let count = match c.kind {
                    Kind::EventCount => j - i,
                    Kind::ValueCount => vals.len(),
                    _ => distinct_rules,
                };
                let ok = match (c.kind, c.cond) {
                    (Kind::Temporal, None) => count == nrules,
                    (_, Some(cmp)) => cmp.test(count),
                    (_, None) => false,
                };
                if ok {
                    best = best.max(count);
                    mark[i..j].iter_mut().for_each(|m| *m = true);
                }
                // Slide: drop hit i.
                if let Some(v) = hits[i].value.as_deref() {
                    if let Some(x) = vals.get_mut(v) {
                        *x -= 1;
                        if *x == 0 {
                            vals.remove(v);
                        }
                    }
                }
                per_rule[hits[i].rule] -= 1;
                if per_rule[hits[i].rule] == 0 {
                    distinct_rules -= 1;
                }
            }
        }
        Kind::TemporalOrdered => {
            // Greedy earliest chain from each occurrence of the first rule.
            for i in 0..n {
                if hits[i].rule != 0 {
                    continue;
                }
                let mut chain = vec![i];
                let mut want = 1;
                for (k, h) in hits.iter().enumerate().skip(i + 1) {
                    if want == nrules || h.time - hits[i].time > c.timespan_ns {
                        break;
                    }
                    if h.rule == want {
                        chain.push(k);
                        want += 1;
                    }
                }
                let ok = match c.cond {
                    None => want == nrules,
                    Some(cmp) => cmp.test(want),
                };
                if ok {
                    best = best.max(want);
                    for k in chain {
                        mark[k] = true;
                    }
                }
            }
        }
    }
    let out: Vec<usize> = (0..n).filter(|i| mark[*i]).collect();
    (out, best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corr(yaml: &str) -> Correlation {
        let v: Value = yaml_serde::from_str(yaml).unwrap();
        compile(&v, false).unwrap()
    }

    fn hits(v: &[(i64, usize, Option<&str>)]) -> Vec<Hit> {
        v.iter()
            .enumerate()
            .map(|(i, (t, r, val))| Hit {
                time: t * 1_000_000_000,
                rule: *r,
                event: i,
                value: val.map(str::to_string),
            })
            .collect()
    }

    #[test]
    fn timespans() {
        assert_eq!(parse_timespan("10m").unwrap(), 600_000_000_000);
        assert_eq!(parse_timespan("1d").unwrap(), 86_400_000_000_000);
        assert!(parse_timespan("10y").is_err() && parse_timespan("m").is_err());
    }

    #[test]
    fn event_count_window() {
        let c = corr(
            "type: event_count\nrules: [a]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gte: 3}",
        );
        // 3 within 60 s (0, 30, 60): fires; the one at 200 s is outside every window of 3.
        let (m, best) = eval_group(
            &c,
            &hits(&[(0, 0, None), (30, 0, None), (60, 0, None), (200, 0, None)]),
        );
        assert_eq!((m, best), (vec![0, 1, 2], 3));
        let (m, _) = eval_group(&c, &hits(&[(0, 0, None), (61, 0, None), (122, 0, None)]));
        assert!(m.is_empty());
    }

    #[test]
    fn value_count_distinct() {
        let c = corr("type: value_count\nrules: [a]\ntimespan: 10m\ncondition: {gt: 2, field: Ip}");
        let h = hits(&[
            (0, 0, Some("1")),
            (1, 0, Some("1")),
            (2, 0, Some("2")),
            (3, 0, Some("3")),
        ]);
        let (m, best) = eval_group(&c, &h);
        assert_eq!((m.len(), best), (4, 3));
        let h = hits(&[
            (0, 0, Some("1")),
            (1, 0, Some("2")),
            (2, 0, Some("2")),
            (3, 0, None),
        ]);
        assert!(eval_group(&c, &h).0.is_empty());
    }

    #[test]
    fn temporal_any_order_and_ordered() {
        let t = corr("type: temporal\nrules: [a, b]\ntimespan: 1m");
        let o = corr("type: temporal_ordered\nrules: [a, b]\ntimespan: 1m");
        let ba = hits(&[(0, 1, None), (10, 0, None)]);
        assert_eq!(eval_group(&t, &ba).0, vec![0, 1]);
        assert!(eval_group(&o, &ba).0.is_empty());
        let ab = hits(&[(0, 0, None), (10, 1, None)]);
        assert_eq!(eval_group(&o, &ab).0, vec![0, 1]);
        let far = hits(&[(0, 0, None), (100, 1, None)]);
        assert!(eval_group(&o, &far).0.is_empty() && eval_group(&t, &far).0.is_empty());
    }

    #[test]
    fn compile_errors() {
        let bad = |y: &str| compile(&yaml_serde::from_str::<Value>(y).unwrap(), false).is_err();
        assert!(bad(
            "type: value_sum\nrules: [a]\ntimespan: 1m\ncondition: {gt: 1}"
        ));
        assert!(bad("type: event_count\nrules: [a]\ntimespan: 1m"));
        assert!(bad(
            "type: value_count\nrules: [a]\ntimespan: 1m\ncondition: {gt: 1}"
        ));
        assert!(bad("type: temporal\nrules: []\ntimespan: 1m"));
    }
}
