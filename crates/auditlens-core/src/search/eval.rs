//! Evaluating a filter expression to the set of matching events.
//!
//! Every node is evaluated *within* a candidate set and returns a subset of it: `AND` narrows
//! the candidates child by child (cheapest first, so raw-record scans only read what the index
//! terms left), `OR` only asks each child about events no earlier child matched, and `NOT` is
//! the candidates minus its child.

use super::bits::Bits;
use super::index::{Index, LocalSet, StrField};
use super::matcher::{lower, RawFind, StrMatch};
use super::raw;
use crate::query::{Expr, Field, FieldKind, FieldRef, Pred, Term, Value};
use crate::Dataset;

/// What evaluation needs: the data, its index, and what "now" is.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub ds: &'a Dataset,
    pub ix: &'a Index,
    pub now: i64,
    /// Whether free text also searches the raw records.
    pub raw_text: bool,
}

/// Relative cost of a node: index-only terms first, record scans last.
fn cost(e: &Expr) -> u8 {
    match e {
        Expr::All => 0,
        Expr::Term(t) => match &t.field {
            None => match t.pred {
                Pred::Regex(_) => 3,
                _ => 2,
            },
            Some(FieldRef::Known(Field::Uid)) => 1,
            Some(FieldRef::Known(_)) => 0,
            Some(FieldRef::Raw(_)) => 4,
        },
        Expr::Not(inner) => cost(inner),
        Expr::And(items) | Expr::Or(items) => items.iter().map(cost).max().unwrap_or(0),
    }
}

impl<'a> Ctx<'a> {
    /// The events of `within` that match `e`.
    pub fn expr(&self, e: &Expr, within: &Bits) -> Bits {
        if within.none() {
            return within.clone();
        }
        match e {
            Expr::All => within.clone(),
            Expr::And(items) => {
                let mut order: Vec<&Expr> = items.iter().collect();
                order.sort_by_key(|e| cost(e));
                let mut cur = within.clone();
                for c in order {
                    if cur.none() {
                        break;
                    }
                    cur = self.expr(c, &cur);
                }
                cur
            }
            Expr::Or(items) => {
                let mut order: Vec<&Expr> = items.iter().collect();
                order.sort_by_key(|e| cost(e));
                let mut acc = Bits::zeros(within.len());
                for c in order {
                    let mut rest = within.clone();
                    rest.and_not(&acc);
                    if rest.none() {
                        break;
                    }
                    acc.or(&self.expr(c, &rest));
                }
                acc
            }
            Expr::Not(inner) => {
                let r = self.expr(inner, within);
                let mut out = within.clone();
                out.and_not(&r);
                out
            }
            Expr::Term(t) => self.term(t, within),
        }
    }

    fn term(&self, t: &Term, within: &Bits) -> Bits {
        match &t.field {
            None => self.free_text(&t.pred, within),
            Some(FieldRef::Raw(segs)) => {
                raw::path(self.ds, self.ix, segs, &t.pred, self.now, within)
            }
            Some(FieldRef::Known(f)) => self.known(*f, &t.pred, within),
        }
    }

    /// A normalized field's column, for single-valued string fields.
    pub fn column(&self, f: Field) -> Option<&'a StrField> {
        let ix = self.ix;
        Some(match f {
            Field::Action => &ix.action,
            Field::Service => &ix.service,
            Field::Category => &ix.category,
            Field::Activity => &ix.activity,
            Field::Outcome => &ix.outcome,
            Field::FailureKind => &ix.failure,
            Field::StatusCode => &ix.status_code,
            Field::Reason => &ix.reason,
            Field::Actor => &ix.actor,
            Field::ActorId => &ix.actor_id,
            Field::ActorKind => &ix.actor_kind,
            Field::SrcIp => &ix.src,
            Field::UserAgent => &ix.user_agent,
            Field::Country => &ix.country,
            Field::Tenant => &ix.tenant,
            Field::Region => &ix.region,
            Field::Correlation => &ix.correlation,
            Field::Format => &ix.format,
            Field::File => &ix.file,
            Field::Time | Field::Target | Field::TargetType | Field::TargetId | Field::Uid => {
                return None
            }
        })
    }

    fn known(&self, f: Field, pred: &Pred, within: &Bits) -> Bits {
        let (ds, ix) = (self.ds, self.ix);
        let strings = &ds.strings;
        let mut out = Bits::zeros(within.len());
        let m = StrMatch::for_field(pred, f.kind());
        match f {
            Field::Time => return self.time(pred, within),
            Field::Uid => {
                for i in within.iter() {
                    let u = ds.uid(&ds.events[i]).unwrap_or_default();
                    if m.test(u, &lower(u)) {
                        out.set(i);
                    }
                }
            }
            Field::Target | Field::TargetId | Field::TargetType => {
                let (id, name, kind) = match f {
                    Field::Target => (true, true, false),
                    Field::TargetId => (true, false, false),
                    _ => (false, false, true),
                };
                self.targets(&m, (kind, id, name), within, &mut out);
            }
            Field::SrcIp => {
                let keep = match pred {
                    Pred::Cidr(_) | Pred::IpRange(_) => {
                        let StrMatch::Ip(t) = &m else {
                            return out;
                        };
                        let mut keep = LocalSet::empty(ix.src.dict.len());
                        for (i, ip) in ix.src_ips.iter().enumerate() {
                            if ip.is_some_and(|ip| t.contains(ip)) {
                                keep.add(i as u32);
                            }
                        }
                        keep
                    }
                    _ => ix.src.dict.eval(&m, strings),
                };
                ix.src.col.scan_into(&keep, within, &mut out);
            }
            Field::FailureKind if matches!(pred, Pred::Exists) => {
                // A failure kind is present when it is not "none".
                let mut keep = ix.failure.dict.eval(&m, strings);
                for i in 0..ix.failure.dict.len() as u32 {
                    if ix.failure.dict.lower(i, strings) == "none" {
                        keep.remove(i);
                    }
                }
                ix.failure.col.scan_into(&keep, within, &mut out);
            }
            _ => {
                if let Some(col) = self.column(f) {
                    col.eval(&m, strings, within, &mut out);
                }
            }
        }
        out
    }

    /// Target attributes: each target contributes its type, id and/or name (a missing one is
    /// empty); an event without targets has one empty target.
    fn targets(
        &self,
        m: &StrMatch,
        (kind, id, name): (bool, bool, bool),
        within: &Bits,
        out: &mut Bits,
    ) {
        let ix = self.ix;
        let strings = &self.ds.strings;
        let none = || LocalSet::empty(0);
        let kk = if kind {
            ix.tgt_kind.dict.eval(m, strings)
        } else {
            none()
        };
        let ki = if id {
            ix.tgt_id.dict.eval(m, strings)
        } else {
            none()
        };
        let kn = if name {
            ix.tgt_name.dict.eval(m, strings)
        } else {
            none()
        };
        ix.tgt_kind.col.scan_into(&kk, within, out);
        ix.tgt_id.col.scan_into(&ki, within, out);
        ix.tgt_name.col.scan_into(&kn, within, out);
        if kk.is_none() && ki.is_none() && kn.is_none() {
            return;
        }
        for x in &ix.extra_targets {
            let ev = x.event as usize;
            if within.get(ev) && (kk.has(x.kind) || ki.has(x.id) || kn.has(x.name)) {
                out.set(ev);
            }
        }
    }

    /// Fields that free text searches, besides targets and the raw record.
    fn free_text_fields(&self) -> [&StrField; 12] {
        let ix = self.ix;
        [
            &ix.action,
            &ix.service,
            &ix.status_code,
            &ix.reason,
            &ix.actor,
            &ix.actor_id,
            &ix.src,
            &ix.user_agent,
            &ix.country,
            &ix.tenant,
            &ix.region,
            &ix.correlation,
        ]
    }

    fn free_text(&self, pred: &Pred, within: &Bits) -> Bits {
        let (raw_find, m) = match pred {
            Pred::Exists => return within.clone(),
            _ if !self.raw_text => (None, StrMatch::for_free_text(pred)),
            Pred::Text(s) | Pred::Phrase(s) => {
                (Some(RawFind::contains(s)), StrMatch::for_free_text(pred))
            }
            Pred::Wildcard(w) => (RawFind::token_wild(w), StrMatch::for_free_text(pred)),
            Pred::Regex(r) => (
                Some(RawFind::regex(r.source(), r.regex())),
                StrMatch::for_free_text(pred),
            ),
            _ => return Bits::zeros(within.len()),
        };
        let strings = &self.ds.strings;
        let mut out = Bits::zeros(within.len());
        for f in self.free_text_fields() {
            f.eval(&m, strings, within, &mut out);
        }
        self.targets(&m, (true, true, true), within, &mut out);
        if let Some(f) = raw_find {
            let mut rest = within.clone();
            rest.and_not(&out);
            match pred {
                Pred::Regex(r) => {
                    rest = raw::literal_prefilter(self.ds, self.ix, rest, r.source(), false);
                }
                Pred::Wildcard(w) => {
                    let lit = super::matcher::longest_literal(w);
                    if lit.chars().count() >= 3 {
                        rest = raw::scan(self.ds, self.ix, &rest, &RawFind::literal(&lit, true));
                    }
                }
                _ => {}
            }
            if !rest.none() {
                out.or(&raw::scan(self.ds, self.ix, &rest, &f));
            }
        }
        out
    }

    fn time(&self, pred: &Pred, within: &Bits) -> Bits {
        let n = within.len();
        let now = self.now;
        let t = |v: &Value| match v {
            Value::Time(t) => Some(t.resolve(now)),
            _ => None,
        };
        let (lo, hi) = match pred {
            Pred::Exists => return within.clone(),
            Pred::Cmp(op, v) => {
                let Some(v) = t(v) else {
                    return Bits::zeros(n);
                };
                use crate::query::CmpOp::*;
                match op {
                    Gt => (Some((v, false)), None),
                    Ge => (Some((v, true)), None),
                    Lt => (None, Some((v, false))),
                    Le => (None, Some((v, true))),
                }
            }
            Pred::Range {
                lo,
                hi,
                lo_incl,
                hi_incl,
            } => {
                let b = |v: &Option<Value>, incl: bool| match v {
                    None => Ok(None),
                    Some(v) => t(v).map(|x| Some((x, incl))).ok_or(()),
                };
                match (b(lo, *lo_incl), b(hi, *hi_incl)) {
                    (Ok(lo), Ok(hi)) => (lo, hi),
                    _ => return Bits::zeros(n),
                }
            }
            _ => return Bits::zeros(n),
        };
        let (a, b) = time_span(self.ds, lo, hi);
        let mut out = Bits::zeros(n);
        out.set_range(a, b);
        out.and(within);
        out
    }
}

/// The event index range whose times are within the bounds (events are sorted by time).
pub(crate) fn time_span(
    ds: &Dataset,
    lo: Option<(i64, bool)>,
    hi: Option<(i64, bool)>,
) -> (usize, usize) {
    let ev = &ds.events;
    let a = match lo {
        None => 0,
        Some((v, true)) => ev.partition_point(|e| e.time < v),
        Some((v, false)) => ev.partition_point(|e| e.time <= v),
    };
    let b = match hi {
        None => ev.len(),
        Some((v, true)) => ev.partition_point(|e| e.time <= v),
        Some((v, false)) => ev.partition_point(|e| e.time < v),
    };
    (a, b.max(a))
}

/// Whether a known field is matched with substring semantics (for highlighting).
pub(crate) fn is_text_kind(f: Field) -> bool {
    f.kind() == FieldKind::Text
}
