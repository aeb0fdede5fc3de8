//! Highlight ranges: where a result event's rendered fields match the query's terms.

use serde::Serialize;

use super::eval::is_text_kind;
use super::matcher::{lower, tokens, StrMatch};
use crate::model::{Event, FailureKind};
use crate::query::{Expr, Field, FieldRef, Pred, Term};
use crate::Dataset;

/// Matches in one rendered field of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldHighlight {
    /// Path of the field in the event's JSON (`action`, `actor.name`, `targets.0.id`,
    /// `source.file`…).
    pub path: String,
    /// Sorted, non-overlapping byte ranges `[start, end)` into the field's text.
    pub ranges: Vec<(usize, usize)>,
    /// The same ranges in UTF-16 code units (how JavaScript indexes strings).
    pub utf16: Vec<(usize, usize)>,
}

/// The rendered text fields of an event: `(path, field, text)`.
fn rendered(ds: &Dataset, e: &Event) -> Vec<(String, Field, String)> {
    let s = |x| ds.str(x).to_string();
    let mut v = vec![
        ("action".to_string(), Field::Action, s(e.action)),
        ("service".into(), Field::Service, s(e.service)),
        ("category".into(), Field::Category, e.category.name().into()),
        ("activity".into(), Field::Activity, e.activity.name().into()),
        ("outcome".into(), Field::Outcome, e.outcome.name().into()),
        ("status_code".into(), Field::StatusCode, s(e.status_code)),
        ("reason".into(), Field::Reason, s(e.reason)),
        ("actor.name".into(), Field::Actor, s(e.actor_name)),
        ("actor.id".into(), Field::ActorId, s(e.actor_id)),
        (
            "actor.kind".into(),
            Field::ActorKind,
            e.actor_kind.name().into(),
        ),
        ("user_agent".into(), Field::UserAgent, s(e.user_agent)),
        ("country".into(), Field::Country, s(e.country)),
        ("tenant".into(), Field::Tenant, s(e.tenant)),
        ("region".into(), Field::Region, s(e.region)),
        (
            "uid".into(),
            Field::Uid,
            ds.uid(e).unwrap_or_default().into(),
        ),
        ("correlation".into(), Field::Correlation, s(e.correlation)),
        (
            "source.file".into(),
            Field::File,
            ds.files
                .get(e.src.file as usize)
                .map(|f| f.summary.path.clone())
                .unwrap_or_default(),
        ),
        (
            "source.format".into(),
            Field::Format,
            ds.format_of(e).id().into(),
        ),
    ];
    if e.failure != FailureKind::None {
        v.push((
            "failure".into(),
            Field::FailureKind,
            e.failure.name().into(),
        ));
    }
    match e.src_ip {
        Some(ip) => v.push(("src_ip".into(), Field::SrcIp, ip.to_string())),
        None => v.push(("src_raw".into(), Field::SrcIp, s(e.src_raw))),
    }
    for (k, t) in ds.targets_of(e).iter().enumerate() {
        v.push((format!("targets.{k}.type"), Field::TargetType, s(t.kind)));
        v.push((format!("targets.{k}.id"), Field::TargetId, s(t.id)));
        v.push((format!("targets.{k}.name"), Field::Target, s(t.name)));
    }
    v.retain(|(_, _, t)| !t.is_empty());
    v
}

/// Does a term on `term_field` apply to a rendered field?
fn applies(term_field: Field, rendered: Field) -> bool {
    match term_field {
        Field::Target => matches!(rendered, Field::Target | Field::TargetId),
        f => f == rendered,
    }
}

/// Fields free text searches (derived labels, file names and formats are not; the event id
/// is found through the raw record).
fn free_text_field(f: Field) -> bool {
    !matches!(
        f,
        Field::Category
            | Field::Activity
            | Field::Outcome
            | Field::FailureKind
            | Field::ActorKind
            | Field::File
            | Field::Format
            | Field::Time
    )
}

fn positive_terms<'q>(e: &'q Expr, negated: bool, out: &mut Vec<&'q Term>) {
    match e {
        Expr::All => {}
        Expr::Term(t) => {
            if !negated {
                out.push(t);
            }
        }
        Expr::Not(inner) => positive_terms(inner, !negated, out),
        Expr::And(items) | Expr::Or(items) => {
            for i in items {
                positive_terms(i, negated, out);
            }
        }
    }
}

/// Highlights for event `i` under the filter `expr`.
pub(crate) fn highlights(ds: &Dataset, expr: &Expr, i: usize) -> Vec<FieldHighlight> {
    let mut terms = Vec::new();
    positive_terms(expr, false, &mut terms);
    let Some(e) = ds.events.get(i) else {
        return Vec::new();
    };
    if terms.is_empty() {
        return Vec::new();
    }
    let fields = rendered(ds, e);
    // (path, rendered text, byte ranges)
    type Found<'t> = (String, &'t str, Vec<(usize, usize)>);
    let mut out: Vec<Found<'_>> = Vec::new();
    for t in terms {
        let (m, free) = match &t.field {
            None => (StrMatch::for_free_text(&t.pred), true),
            Some(FieldRef::Known(Field::Time)) | Some(FieldRef::Raw(_)) => continue,
            Some(FieldRef::Known(f)) => (StrMatch::for_field(&t.pred, f.kind()), false),
        };
        if matches!(t.pred, Pred::Exists) && free {
            continue;
        }
        for (path, rf, text) in &fields {
            let ok = match &t.field {
                None => free_text_field(*rf),
                Some(FieldRef::Known(f)) => applies(*f, *rf),
                Some(FieldRef::Raw(_)) => false,
            };
            if !ok || !m.test(text, &lower(text)) {
                continue;
            }
            let token_ok = free || matches!(&t.field, Some(FieldRef::Known(f)) if is_text_kind(*f));
            let ranges = ranges(&m, text, token_ok);
            if ranges.is_empty() {
                continue;
            }
            match out.iter_mut().find(|h| &h.0 == path) {
                Some(h) => h.2.extend(ranges),
                None => out.push((path.clone(), text, ranges)),
            }
        }
    }
    let mut res: Vec<FieldHighlight> = out
        .into_iter()
        .map(|(path, text, mut ranges)| {
            ranges.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
            for r in ranges {
                match merged.last_mut() {
                    Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
                    _ => merged.push(r),
                }
            }
            FieldHighlight {
                utf16: utf16_ranges(text, &merged),
                path,
                ranges: merged,
            }
        })
        .collect();
    res.sort_by(|a, b| a.path.cmp(&b.path));
    res
}

/// Where a matching value matches.
fn ranges(m: &StrMatch, text: &str, tokens_ok: bool) -> Vec<(usize, usize)> {
    let whole = vec![(0, text.len())];
    match m {
        StrMatch::Contains(n) => find_ci(text, n),
        StrMatch::Regex(r) => r
            .find_iter(text)
            .filter(|m| m.start() < m.end())
            .map(|m| (m.start(), m.end()))
            .collect(),
        StrMatch::Wild { w, .. } => {
            if w.matches(text) || !tokens_ok {
                return whole;
            }
            let base = text.as_ptr() as usize;
            tokens(text)
                .filter(|t| w.matches(t))
                .map(|t| {
                    let s = t.as_ptr() as usize - base;
                    (s, s + t.len())
                })
                .collect()
        }
        _ => whole,
    }
}

/// Byte ranges of `needle` (lower-cased) in `hay`, ignoring case.
pub(crate) fn find_ci(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    // Lower-case character by character, remembering where each lower byte came from.
    let mut low = String::with_capacity(hay.len());
    let mut from: Vec<(usize, usize)> = Vec::with_capacity(hay.len());
    for (i, c) in hay.char_indices() {
        let end = i + c.len_utf8();
        for l in c.to_lowercase() {
            low.push(l);
            for _ in 0..l.len_utf8() {
                from.push((i, end));
            }
        }
    }
    memchr::memmem::find_iter(low.as_bytes(), needle.as_bytes())
        .filter_map(|p| {
            let (s, _) = *from.get(p)?;
            let (_, e) = *from.get(p + needle.len() - 1)?;
            Some((s, e))
        })
        .collect()
}

/// Converts byte ranges of `text` to UTF-16 code unit ranges (what JavaScript strings index).
pub fn utf16_ranges(text: &str, ranges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    if text.is_ascii() {
        return ranges.to_vec();
    }
    let at = |b: usize| {
        text.get(..b)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum::<usize>())
    };
    ranges.iter().map(|&(s, e)| (at(s), at(e))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_ranges_map_back() {
        assert_eq!(
            find_ci("Wrong PASSWORD pass", "pass"),
            vec![(6, 10), (15, 19)]
        );
        assert_eq!(find_ci("ÄBC äbc", "äb"), vec![(0, 3), (5, 8)]);
        assert_eq!(utf16_ranges("ÄBC 😀x", &[(9, 10)]), vec![(6, 7)]);
    }
}
