//! An in-house Sigma engine for audit logs: detection rules and correlation rules, evaluated
//! in batch over a loaded [`Dataset`].
//!
//! Rules arrive as text (`(name, text)` pairs; the CLI and the page read files, folders and
//! zips). Each YAML document is one rule; unsupported rules are listed with the reason, never
//! dropped silently.
//!
//! - **Logsources.** A rule applies to the events of every format whose
//!   [`Format::logsource`](crate::formats::Format::logsource) equals the rule's
//!   (product, service). `category: audit` without a product applies to every event, over the
//!   normalized fields (`audit.action`, `audit.outcome`, `actor.name`, `src_ip`, …).
//! - **Fields** are looked up in the raw record, then in a per-logsource alias table, then in
//!   the normalized model (see [`fields`]).
//! - **Filters** (Sigma filter documents) are ANDed into the rules they name, or into every rule
//!   of their logsource when they name none.
//! - **Findings.** A detection rule gives one finding per (rule, actor): the same rule firing
//!   for two accounts are two stories in an investigation, while one account's repeats are one.
//!   A correlation rule gives one finding per group-by value.
//!
//! ```
//! use auditlens_core::{sigma, Dataset, LoadOptions};
//! let rule = "title: Stop logging\nid: r1\nlevel: high\nlogsource: {product: aws, service: cloudtrail}\n\
//!             detection:\n  sel:\n    eventName: StopLogging\n  condition: sel\n";
//! let set = sigma::load_rules(&[("r.yml".to_string(), rule.to_string())]);
//! assert!(set.unsupported.is_empty());
//! let mut ds = Dataset::new();
//! ds.load("ct.json", br#"{"Records":[{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z",
//!   "eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"us-east-1",
//!   "userIdentity":{"type":"IAMUser","userName":"mallory"},"sourceIPAddress":"192.0.2.1"}]}"#.to_vec(),
//!   &LoadOptions::default());
//! let findings = sigma::run(&ds, &set);
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].explanation, "matched sel (eventName = StopLogging) on 1 event");
//! ```

pub mod cond;
pub mod correlation;
pub mod detection;
pub mod fields;
pub mod pattern;

use std::collections::BTreeMap;

use yaml_serde::Value;

use crate::detect::finding::{evidence_label, sort_findings, EventRef, Finding, RuleDoc, Severity};
use crate::formats;
use crate::ingest::Dataset;
use crate::json::{Doc, Val};
use crate::model::Event;
use crate::time;

pub use correlation::Correlation;
pub use detection::Detection;

/// A rule's `logsource`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogSource {
    /// `category`.
    pub category: Option<String>,
    /// `product`.
    pub product: Option<String>,
    /// `service`.
    pub service: Option<String>,
}

impl LogSource {
    /// Does this logsource select events of a format answering to (product, service)?
    pub fn selects(&self, product: &str, service: &str) -> bool {
        match (&self.product, &self.service) {
            (Some(p), s) => p == product && s.as_deref().is_none_or(|s| s == service),
            (None, Some(s)) => s == service,
            (None, None) => self.is_generic(),
        }
    }

    /// `category: audit` with no product: the normalized fields of every format.
    pub fn is_generic(&self) -> bool {
        self.product.is_none()
            && self.service.is_none()
            && self.category.as_deref() == Some("audit")
    }
}

/// What a rule evaluates.
#[derive(Debug, Clone)]
pub enum Body {
    /// A detection rule.
    Detection(Detection),
    /// A correlation rule.
    Correlation(Correlation),
    /// A Sigma filter: its condition is ANDed into the referenced detection rules (the
    /// sanctioned place for environment allow-lists such as "our CI role may call DeleteBucket").
    Filter(Filter),
}

/// A compiled Sigma filter document.
#[derive(Debug, Clone)]
pub struct Filter {
    /// The filter's identifiers and condition (usually `not selection`).
    pub detection: Detection,
    /// Referenced rules (ids or names); empty = every rule of the filter's logsource.
    pub rules: Vec<String>,
}

/// One loaded rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Sigma `id` (or, when missing, the file name and document number).
    pub id: String,
    /// Sigma `name` (what correlations may reference).
    pub name: Option<String>,
    /// Title.
    pub title: String,
    /// The (file) name it came from.
    pub file: String,
    /// From `level` (medium when absent).
    pub level: Severity,
    /// `status`.
    pub status: Option<String>,
    /// `description`.
    pub description: String,
    /// `falsepositives`.
    pub falsepositives: Vec<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `logsource`.
    pub logsource: LogSource,
    /// Detection or correlation.
    pub body: Body,
}

/// Loaded rules, and those that could not be used: (name, title, reason).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Usable rules.
    pub rules: Vec<Rule>,
    /// Rules the engine cannot evaluate: (file name, title, reason).
    pub unsupported: Vec<(String, String, String)>,
}

/// A rule as the CLI and the page list it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleInfo {
    /// Sigma id.
    pub id: String,
    /// Title.
    pub title: String,
    /// File it came from.
    pub file: String,
    /// Severity.
    pub level: Severity,
    /// `detection`, `correlation` or `filter`.
    pub kind: &'static str,
    /// `category/product/service`, `-` for absent parts.
    pub logsource: String,
    /// Ids of our formats whose events it applies to (empty: it cannot fire on our data).
    pub formats: Vec<&'static str>,
}

impl Rule {
    /// The rule's documentation in the shape the built-in rules use (UI and report).
    pub fn doc(&self) -> RuleDoc {
        let ls = &self.logsource;
        RuleDoc {
            what: self.description.trim().to_string(),
            why: if self.tags.is_empty() {
                String::new()
            } else {
                format!("Tags: {}", self.tags.join(", "))
            },
            signals: format!(
                "Sigma logsource {}/{}/{}",
                ls.category.as_deref().unwrap_or("-"),
                ls.product.as_deref().unwrap_or("-"),
                ls.service.as_deref().unwrap_or("-")
            ),
            false_positives: self.falsepositives.join("; "),
            next_steps: String::new(),
        }
    }

    /// Listing entry.
    pub fn info(&self) -> RuleInfo {
        let ls = &self.logsource;
        let formats = match self.body {
            Body::Correlation(_) => Vec::new(),
            _ => formats::all()
                .iter()
                .filter(|f| {
                    let (p, s) = f.logsource();
                    ls.selects(p, s)
                })
                .map(|f| f.id())
                .collect(),
        };
        RuleInfo {
            id: self.id.clone(),
            title: self.title.clone(),
            file: self.file.clone(),
            level: self.level,
            kind: match self.body {
                Body::Detection(_) => "detection",
                Body::Correlation(_) => "correlation",
                Body::Filter(_) => "filter",
            },
            logsource: format!(
                "{}/{}/{}",
                ls.category.as_deref().unwrap_or("-"),
                ls.product.as_deref().unwrap_or("-"),
                ls.service.as_deref().unwrap_or("-")
            ),
            formats,
        }
    }
}

impl RuleSet {
    /// Detection rules whose logsource no format of ours produces (they load but cannot fire).
    pub fn without_format(&self) -> Vec<&Rule> {
        self.rules
            .iter()
            .filter(|r| matches!(r.body, Body::Detection(_)))
            .filter(|r| {
                !formats::all().iter().any(|f| {
                    let (p, s) = f.logsource();
                    r.logsource.selects(p, s)
                })
            })
            .collect()
    }
}

fn text_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Sequence(s)) => s.iter().filter_map(detection::scalar).collect(),
        Some(x) => detection::scalar(x).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Parses and compiles rules from `(name, YAML text)` pairs. Multi-document files (`---`) give
/// one rule per document. Never fails: what cannot be used is listed in
/// [`RuleSet::unsupported`] with the reason.
pub fn load_rules(files: &[(String, String)]) -> RuleSet {
    let mut set = RuleSet::default();
    for (name, text) in files {
        let mut docs = Vec::new();
        for (i, de) in yaml_serde::Deserializer::from_str(text).enumerate() {
            match <Value as serde::Deserialize>::deserialize(de) {
                Ok(Value::Null) => {}
                Ok(v) => docs.push((i, v)),
                Err(e) => {
                    set.unsupported
                        .push((name.clone(), String::new(), format!("YAML: {e}")));
                    break;
                }
            }
        }
        let multi = docs.len() > 1;
        for (i, doc) in docs {
            let title = doc
                .get("title")
                .and_then(detection::scalar)
                .unwrap_or_default();
            match compile_rule(name, i, multi, &doc) {
                Ok(r) => set.rules.push(r),
                Err(reason) => set.unsupported.push((name.clone(), title, reason)),
            }
        }
    }
    resolve_correlations(&mut set);
    set
}

fn compile_rule(file: &str, i: usize, multi: bool, doc: &Value) -> Result<Rule, String> {
    let m = doc
        .as_mapping()
        .ok_or("a YAML document that is not a mapping")?;
    let s = |k: &str| m.get(Value::String(k.into())).and_then(detection::scalar);
    if m.contains_key("action") {
        return Err("Sigma 1 rule collections (`action: global`) are not supported".into());
    }
    let id = s("id").unwrap_or_else(|| {
        if multi {
            format!("{file}#{}", i + 1)
        } else {
            file.to_string()
        }
    });
    let title = s("title").unwrap_or_else(|| id.clone());
    let level = match s("level") {
        Some(l) => Severity::from_name(&l).ok_or_else(|| format!("unknown level {l:?}"))?,
        None => Severity::Medium,
    };
    let ls = m.get(Value::String("logsource".into()));
    let lf = |k: &str| {
        ls.and_then(|l| l.get(k))
            .and_then(detection::scalar)
            .map(|x| x.to_ascii_lowercase())
    };
    let logsource = LogSource {
        category: lf("category"),
        product: lf("product"),
        service: lf("service"),
    };
    let body = if let Some(c) = m.get(Value::String("correlation".into())) {
        Body::Correlation(correlation::compile(c, false)?)
    } else if let Some(Value::Mapping(f)) = m.get(Value::String("filter".into())) {
        let mut det = f.clone();
        let rules = text_list(det.remove(Value::String("rules".into())).as_ref());
        Body::Filter(Filter {
            detection: detection::compile(&Value::Mapping(det))?,
            rules,
        })
    } else if let Some(d) = m.get(Value::String("detection".into())) {
        if ls.is_none() {
            return Err("no `logsource`".into());
        }
        Body::Detection(detection::compile(d)?)
    } else {
        return Err("neither `detection`, `correlation` nor `filter`".into());
    };
    Ok(Rule {
        id,
        name: s("name"),
        title,
        file: file.to_string(),
        level,
        status: s("status"),
        description: s("description").unwrap_or_default(),
        falsepositives: text_list(m.get(Value::String("falsepositives".into()))),
        tags: text_list(m.get(Value::String("tags".into()))),
        logsource,
        body,
    })
}

/// Resolves correlation references (by id or name); a correlation that references an unknown
/// rule, or a cycle, is moved to `unsupported`.
fn resolve_correlations(set: &mut RuleSet) {
    loop {
        let index: BTreeMap<String, usize> = set
            .rules
            .iter()
            .enumerate()
            .flat_map(|(i, r)| {
                let mut v = vec![(r.id.clone(), i)];
                if let Some(n) = &r.name {
                    v.push((n.clone(), i));
                }
                v
            })
            .collect();
        let mut bad = None;
        for (i, r) in set.rules.iter_mut().enumerate() {
            if let Body::Correlation(c) = &mut r.body {
                let mut res = Vec::new();
                for name in &c.rules {
                    match index.get(name) {
                        Some(&j) if j != i => res.push(j),
                        Some(_) => bad = Some((i, "a correlation references itself".to_string())),
                        None => bad = Some((i, format!("references unknown rule {name:?}"))),
                    }
                }
                c.resolved = res;
            }
            if bad.is_some() {
                break;
            }
        }
        if bad.is_none() {
            bad = find_cycle(set);
        }
        match bad {
            Some((i, why)) => {
                let r = set.rules.remove(i);
                set.unsupported.push((r.file, r.title, why));
            }
            None => return,
        }
    }
}

fn find_cycle(set: &RuleSet) -> Option<(usize, String)> {
    for start in 0..set.rules.len() {
        let mut stack = vec![(start, 0usize)];
        while let Some((i, depth)) = stack.pop() {
            if depth > set.rules.len() {
                return Some((start, "correlation references form a cycle".into()));
            }
            if let Body::Correlation(c) = &set.rules[i].body {
                for &j in &c.resolved {
                    if j == start {
                        return Some((start, "correlation references form a cycle".into()));
                    }
                    stack.push((j, depth + 1));
                }
            }
        }
    }
    None
}

/// Why one event matched a detection rule: the matched identifiers with the field values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// (identifier, [(field, the event's value)]); keyword identifiers list `("keywords", kw)`.
    pub idents: Vec<(String, Vec<(String, String)>)>,
}

impl Explanation {
    /// `sel (eventName = StopLogging), filter…`.
    pub fn text(&self) -> String {
        self.idents
            .iter()
            .map(|(n, f)| {
                if f.is_empty() {
                    n.clone()
                } else {
                    let fs: Vec<String> = f
                        .iter()
                        .map(|(k, v)| format!("{k} = {}", short(v)))
                        .collect();
                    format!("{n} ({})", fs.join(", "))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Per-event evaluation context: the parsed record, lazily lower-cased text for keywords.
struct EvCtx<'a, 'd> {
    ds: &'a Dataset,
    e: &'a Event,
    root: Option<Val<'d, 'a>>,
    lower: Option<String>,
    /// Field values already looked up for this event (many rules test the same fields).
    cache: Vec<(CacheKey, String, Vec<fields::Leaf<'a>>)>,
}

/// Which alias table and mode a cached lookup used.
type CacheKey = (usize, usize, usize, bool);

fn cache_key(al: &fields::Aliases, generic: bool) -> CacheKey {
    (
        al.fields.as_ptr() as usize,
        al.prefixes.as_ptr() as usize,
        al.strip.as_ptr() as usize,
        generic,
    )
}

impl<'a> EvCtx<'a, '_> {
    fn lookup(&self, al: &fields::Aliases, generic: bool, field: &str) -> Vec<fields::Leaf<'a>> {
        if generic {
            let mut out = Vec::new();
            fields::normalized(self.ds, self.e, field, &mut out);
            if !out.is_empty() {
                return out;
            }
        }
        fields::lookup(self.ds, self.e, self.root, al, field)
    }

    /// Index into `cache` of the field's values.
    fn lookup_cached(&mut self, al: &fields::Aliases, generic: bool, field: &str) -> usize {
        let key = cache_key(al, generic);
        if let Some(i) = self
            .cache
            .iter()
            .position(|(k, f, _)| *k == key && f == field)
        {
            return i;
        }
        let v = self.lookup(al, generic, field);
        self.cache.push((key, field.to_string(), v));
        self.cache.len() - 1
    }

    fn raw_lower(&mut self) -> &str {
        let ds = self.ds;
        let e = self.e;
        self.lower.get_or_insert_with(|| {
            let doc = ds.doc(e);
            let b = if doc.is_empty() { ds.original(e) } else { doc };
            String::from_utf8_lossy(b).to_lowercase()
        })
    }
}

/// Evaluates identifier `i`; with `explain`, collects the matched field values.
fn eval_ident(
    det: &Detection,
    i: usize,
    ctx: &mut EvCtx<'_, '_>,
    al: &fields::Aliases,
    generic: bool,
    explain: Option<&mut Vec<(String, String)>>,
) -> bool {
    match &det.idents[i] {
        detection::Ident::Keywords(pats) => {
            let hay = ctx.raw_lower();
            pats.iter().any(|p| p.matches(hay))
        }
        detection::Ident::Maps(maps) => {
            'maps: for fcs in maps {
                let mut got = Vec::new();
                for fc in fcs {
                    let idx = ctx.lookup_cached(al, generic, &fc.field);
                    let ctx_ref = &*ctx;
                    let leaves = &ctx_ref.cache[idx].2;
                    let mut other = |f: &str| ctx_ref.lookup(al, generic, f);
                    match fc.eval(leaves, &mut other) {
                        Some(v) => got.push((fc.field.clone(), v)),
                        None => continue 'maps,
                    }
                }
                if let Some(ex) = explain {
                    ex.extend(got);
                }
                return true;
            }
            false
        }
    }
}

fn eval_detection(
    det: &Detection,
    ctx: &mut EvCtx<'_, '_>,
    al: &fields::Aliases,
    generic: bool,
) -> bool {
    let mut memo: Vec<Option<bool>> = vec![None; det.idents.len()];
    det.conds.iter().any(|c| {
        c.eval(&mut |i| {
            if let Some(v) = memo[i] {
                return v;
            }
            let v = eval_ident(det, i, ctx, al, generic, None);
            memo[i] = Some(v);
            v
        })
    })
}

fn explain_detection(
    det: &Detection,
    ctx: &mut EvCtx<'_, '_>,
    al: &fields::Aliases,
    generic: bool,
) -> Explanation {
    let mut pos = Vec::new();
    for c in &det.conds {
        c.positive(&mut pos);
    }
    let mut seen = Vec::new();
    let mut idents = Vec::new();
    for i in pos {
        if seen.contains(&i) {
            continue;
        }
        seen.push(i);
        let mut f = Vec::new();
        if eval_ident(det, i, ctx, al, generic, Some(&mut f)) {
            idents.push((det.names[i].clone(), f));
        }
    }
    Explanation { idents }
}

fn rule_aliases(r: &Rule) -> (fields::Aliases, bool) {
    let generic = r.logsource.is_generic();
    let al = fields::aliases(
        r.logsource.product.as_deref().unwrap_or(""),
        r.logsource.service.as_deref().unwrap_or(""),
    );
    (al, generic)
}

/// Explains why event `e` matches detection rule `rule` (`None` if it does not, or the rule is
/// not a detection rule). Filters are not consulted: call it for events [`matches()`] returned.
pub fn explain(ds: &Dataset, rule: &Rule, e: &Event) -> Option<Explanation> {
    let Body::Detection(det) = &rule.body else {
        return None;
    };
    let doc = Doc::parse(ds.doc(e)).ok();
    let mut ctx = EvCtx {
        ds,
        e,
        root: doc.as_ref().map(|d| d.root()),
        lower: None,
        cache: Vec::new(),
    };
    let (al, generic) = rule_aliases(rule);
    if !eval_detection(det, &mut ctx, &al, generic) {
        return None;
    }
    Some(explain_detection(det, &mut ctx, &al, generic))
}

/// The filters that apply to each rule.
fn filters_per_rule(rules: &RuleSet) -> Vec<Vec<&Detection>> {
    rules
        .rules
        .iter()
        .map(|r| {
            if !matches!(r.body, Body::Detection(_)) {
                return Vec::new();
            }
            rules
                .rules
                .iter()
                .filter_map(|f| match &f.body {
                    Body::Filter(flt) => {
                        let named = flt
                            .rules
                            .iter()
                            .any(|x| *x == r.id || Some(x) == r.name.as_ref());
                        let by_source = flt.rules.is_empty()
                            && (f.logsource == r.logsource
                                || (f.logsource.product.is_some()
                                    && f.logsource.product == r.logsource.product
                                    && f.logsource.service.is_none()));
                        (named || by_source).then_some(&flt.detection)
                    }
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// Matched event indices per rule, after filters (detections only; others are empty).
pub fn matches(ds: &Dataset, rules: &RuleSet) -> Vec<Vec<usize>> {
    let fmts = formats::all();
    let per_format: Vec<Vec<usize>> = fmts
        .iter()
        .map(|f| {
            let (p, s) = f.logsource();
            rules
                .rules
                .iter()
                .enumerate()
                .filter(|(_, r)| matches!(r.body, Body::Detection(_)) && r.logsource.selects(p, s))
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    let prepared: Vec<(fields::Aliases, bool)> = rules.rules.iter().map(rule_aliases).collect();
    let filters = filters_per_rule(rules);
    let mut out = vec![Vec::new(); rules.rules.len()];
    for (ei, e) in ds.events.iter().enumerate() {
        let Some(applicable) = per_format.get(e.format as usize) else {
            continue;
        };
        if applicable.is_empty() {
            continue;
        }
        let doc = Doc::parse(ds.doc(e)).ok();
        let mut ctx = EvCtx {
            ds,
            e,
            root: doc.as_ref().map(|d| d.root()),
            lower: None,
            cache: Vec::new(),
        };
        for &ri in applicable {
            let Body::Detection(det) = &rules.rules[ri].body else {
                continue;
            };
            let (al, generic) = &prepared[ri];
            if eval_detection(det, &mut ctx, al, *generic)
                && filters[ri]
                    .iter()
                    .all(|f| eval_detection(f, &mut ctx, al, *generic))
            {
                out[ri].push(ei);
            }
        }
    }
    out
}

/// Runs every rule over the dataset: one finding per (detection rule, actor) and per
/// (correlation rule, group). Deterministic order ([`sort_findings`]).
pub fn run(ds: &Dataset, rules: &RuleSet) -> Vec<Finding> {
    let mut m = matches(ds, rules);
    let mut suppressed = vec![false; rules.rules.len()];
    let mut findings = Vec::new();
    // Correlations in dependency order: a chained correlation consumes its inputs' evidence.
    let order = correlation_order(rules);
    for ci in order {
        let Body::Correlation(c) = &rules.rules[ci].body else {
            continue;
        };
        if !c.generate {
            for &j in &c.resolved {
                suppressed[j] = true;
            }
        }
        let (fs, evidence) = run_correlation(ds, rules, ci, c, &m);
        m[ci] = evidence;
        findings.extend(fs);
    }
    for (ri, r) in rules.rules.iter().enumerate() {
        if suppressed[ri] || !matches!(r.body, Body::Detection(_)) || m[ri].is_empty() {
            continue;
        }
        let mut by_actor: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &ei in &m[ri] {
            let e = &ds.events[ei];
            let actor = ds
                .strings
                .opt(e.actor_name)
                .or_else(|| ds.strings.opt(e.actor_id))
                .unwrap_or("")
                .to_string();
            by_actor.entry(actor).or_default().push(ei);
        }
        for (actor, evs) in by_actor {
            let first = &ds.events[evs[0]];
            let why = explain(ds, r, first).map(|x| x.text()).unwrap_or_default();
            let n = evs.len();
            let explanation = format!(
                "matched {why} on {n} event{}",
                if n == 1 { "" } else { "s" }
            );
            findings.push(finding(ds, r, &evs, actor, explanation));
        }
    }
    sort_findings(&mut findings);
    findings
}

fn correlation_order(rules: &RuleSet) -> Vec<usize> {
    let mut done = vec![false; rules.rules.len()];
    let mut order = Vec::new();
    fn visit(rules: &RuleSet, i: usize, done: &mut Vec<bool>, order: &mut Vec<usize>) {
        if done[i] {
            return;
        }
        done[i] = true;
        if let Body::Correlation(c) = &rules.rules[i].body {
            for &j in &c.resolved {
                visit(rules, j, done, order);
            }
            order.push(i);
        }
    }
    for i in 0..rules.rules.len() {
        visit(rules, i, &mut done, &mut order);
    }
    order
}

fn run_correlation(
    ds: &Dataset,
    rules: &RuleSet,
    ci: usize,
    c: &Correlation,
    m: &[Vec<usize>],
) -> (Vec<Finding>, Vec<usize>) {
    let rule = &rules.rules[ci];
    // Field name for (group-by alias or value field) in referenced rule k.
    let field_for = |name: &str, k: usize| -> String {
        let r = &rules.rules[c.resolved[k]];
        for (alias, per) in &c.aliases {
            if alias == name {
                if let Some((_, f)) = per.iter().find(|(rid, _)| {
                    *rid == r.id || Some(rid) == r.name.as_ref() || *rid == c.rules[k]
                }) {
                    return f.clone();
                }
            }
        }
        name.to_string()
    };
    let mut groups: BTreeMap<Vec<String>, Vec<correlation::Hit>> = BTreeMap::new();
    for (k, &ri) in c.resolved.iter().enumerate() {
        let base = &rules.rules[ri];
        let (al, generic) = rule_aliases(base);
        for &ei in &m[ri] {
            let e = &ds.events[ei];
            let doc = Doc::parse(ds.doc(e)).ok();
            let ctx = EvCtx {
                ds,
                e,
                root: doc.as_ref().map(|d| d.root()),
                lower: None,
                cache: Vec::new(),
            };
            let first = |f: &str| -> Option<String> {
                ctx.lookup(&al, generic, f)
                    .into_iter()
                    .flatten()
                    .next()
                    .map(|c| c.into_owned())
            };
            let key: Vec<String> = c
                .group_by
                .iter()
                .map(|g| first(&field_for(g, k)).unwrap_or_default())
                .collect();
            let value = c.field.as_deref().and_then(|f| first(&field_for(f, k)));
            groups.entry(key).or_default().push(correlation::Hit {
                time: e.time,
                rule: k,
                event: ei,
                value,
            });
        }
    }
    let mut out = Vec::new();
    let mut evidence = Vec::new();
    for (key, mut hits) in groups {
        hits.sort_by_key(|h| (h.time, h.event, h.rule));
        let (idx, best) = correlation::eval_group(c, &hits);
        if idx.is_empty() {
            continue;
        }
        let mut evs: Vec<usize> = idx.iter().map(|&i| hits[i].event).collect();
        evs.sort_unstable();
        evs.dedup();
        evidence.extend(&evs);
        let group = if c.group_by.is_empty() {
            String::new()
        } else {
            let kv: Vec<String> = c
                .group_by
                .iter()
                .zip(&key)
                .map(|(g, v)| format!("{g}={v}"))
                .collect();
            format!(" grouped by {}", kv.join(", "))
        };
        let what = match c.kind {
            correlation::Kind::EventCount => format!("{best} events"),
            correlation::Kind::ValueCount => {
                format!("{best} distinct {}", c.field.as_deref().unwrap_or("values"))
            }
            correlation::Kind::Temporal => format!("{best} of {} rules", c.rules.len()),
            correlation::Kind::TemporalOrdered => {
                format!("{best} of {} rules in order", c.rules.len())
            }
        };
        let cond = c
            .cond
            .map(|x| format!(" (condition {})", x.describe()))
            .unwrap_or_default();
        let explanation = format!(
            "{} of [{}] within {}{group}: {what}{cond}",
            c.kind.name(),
            c.rules.join(", "),
            c.timespan
        );
        let actor = ds
            .strings
            .opt(ds.events[evs[0]].actor_name)
            .unwrap_or("")
            .to_string();
        out.push(finding(ds, rule, &evs, actor, explanation));
    }
    evidence.sort_unstable();
    evidence.dedup();
    (out, evidence)
}

/// Evidence listed per finding (the count covers all), as the built-in rules' default.
pub const MAX_EVIDENCE: usize = 50;

fn finding(ds: &Dataset, r: &Rule, evs: &[usize], actor: String, explanation: String) -> Finding {
    let mut ips = std::collections::BTreeSet::new();
    let mut targets = std::collections::BTreeSet::new();
    let mut actors = std::collections::BTreeSet::new();
    if !actor.is_empty() {
        actors.insert(actor);
    }
    let mut first_ns = i64::MAX;
    let mut last_ns = i64::MIN;
    let mut evidence = Vec::new();
    let mut evidence_refs = Vec::new();
    for &ei in evs {
        let e = &ds.events[ei];
        first_ns = first_ns.min(e.time);
        last_ns = last_ns.max(e.time);
        if let Some(a) = ds.strings.opt(e.actor_name) {
            actors.insert(a.to_string());
        }
        if let Some(ip) = e.src_ip {
            ips.insert(ip.to_string());
        }
        for t in ds.targets_of(e) {
            if let Some(n) = ds.strings.opt(t.name).or_else(|| ds.strings.opt(t.id)) {
                targets.insert(n.to_string());
            }
        }
        if evidence.len() < MAX_EVIDENCE {
            evidence.push(evidence_label(ds, e));
            evidence_refs.push(EventRef::of(e));
        }
    }
    Finding {
        rule: r.id.clone(),
        title: r.title.clone(),
        severity: r.level,
        first: time::format_rfc3339_ms(first_ns),
        last: time::format_rfc3339_ms(last_ns),
        first_ns,
        last_ns,
        count: evs.len() as u64,
        actors: actors.into_iter().collect(),
        ips: ips.into_iter().collect(),
        targets: targets.into_iter().collect(),
        evidence,
        evidence_refs,
        explanation,
        source: "sigma",
    }
}

#[cfg(test)]
mod tests;
