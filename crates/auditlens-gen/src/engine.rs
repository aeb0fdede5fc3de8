//! The format-independent simulation: when things happen, who does them, in which order.
//!
//! ## How exactly N records over a fixed span come out
//!
//! 1. *Fixed records* are planned first: the incident (if asked for) and the nightly scheduled
//!    job of each product. They have exact times.
//! 2. The remaining `N - fixed` *background* records are spread over the span minute by
//!    minute, proportionally to an activity weight (people inside their working hours, with a
//!    lunch dip and per-person day-to-day variation, plus a little automation at all hours).
//!    The allocation is integer arithmetic on the rounded cumulative weight, so it is exact and
//!    streaming; each minute's slots get stratified, ordered second offsets.
//! 3. Each slot is given to an *episode*: a person's session (sign-in, possibly after a
//!    mistyped password; a run of product actions; usually a sign-out) or an automation run
//!    (a CI deploy, a Terraform apply, a system job). An episode whose next step is due takes
//!    the slot; otherwise a new episode starts. A step's time is its due time (previous step +
//!    think time) or the slot time, whichever is earlier, never earlier than the last record:
//!    sessions stay compact at low volume and interleave at high volume.
//! 4. Background and fixed records are merged by time and rendered by the format's dialect.
//!
//! People only start sessions inside their working window (Mon–Fri, 09:00–17:30 local) and a
//! session is cut at 18:00 local, so human background activity never happens off-hours.

use std::collections::VecDeque;
use std::io::{self, Write};

use crate::incident::{self, Group, IncKind, IncStep, GROUPS};
use crate::org::{AttackNet, AutoKind, Org, PEOPLE};
use crate::rng::{hash3, Rng};
use crate::timefmt::{minute_of_day, weekday, DAY};
use crate::{GroundTruth, Options, PlantedIncident};

/// Who a record is attributed to (the dialect resolves ids, names, IPs and user agents).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Who {
    /// A member, from their home IP and browser.
    Person(usize),
    /// An automation identity; the second field picks one of its IPs.
    Key(AutoKind, usize),
    /// The product itself ("system").
    System,
    /// The attacker acting as (or trying to sign in as) a member.
    Attacker(usize, AttackNet),
}

/// One planned record: it happens `delay` seconds after the previous step of its episode.
pub(crate) struct Step<E> {
    pub delay: u32,
    pub who: Who,
    pub ev: E,
}

pub(crate) fn step<E>(delay: u32, who: Who, ev: E) -> Step<E> {
    Step { delay, who, ev }
}

/// Mutable simulation context handed to the dialects.
pub(crate) struct Cx {
    pub rng: Rng,
    pub org: Org,
    /// Chance (per million) that a session action is drawn from the product's *rare* list
    /// (admin and account changes): tuned so rare actions keep a realistic absolute rate per
    /// day (about eight across the org) whatever N is, instead of scaling with the volume.
    pub rare_ppm: u64,
    /// Time the step being planned is expected to happen (for names that embed dates).
    pub now: i64,
    /// Record counter (for ids that embed sequence numbers).
    pub seq: u64,
}

impl Cx {
    /// Should this session action come from the rare list?
    pub(crate) fn rare(&mut self) -> bool {
        self.rng.below(1_000_000) < self.rare_ppm
    }
}

/// A product's vocabulary and record layout.
pub(crate) trait Dialect {
    type Ev;
    /// Relative weights (percent) of the automation kinds [CI, Infra, Sys] in this product.
    fn auto_mix(&self) -> [u64; 3];
    /// How likely (percent) a person of this role is to open a session, relative to others:
    /// roles with little audited activity in a product sign in less often.
    fn role_weight(&self, _role: crate::org::Role) -> u64 {
        100
    }
    /// Container opening (e.g. `{"items":[`).
    fn head(&mut self, out: &mut Vec<u8>, total: u64);
    /// Container closing.
    fn tail(&mut self, out: &mut Vec<u8>, total: u64);
    /// Sign-in steps of a session (first step has delay 0), possibly after failed attempts.
    fn login(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<Self::Ev>>);
    /// One in-session action (one or more steps). Nothing pushed = nothing to do for this role.
    fn action(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<Self::Ev>>);
    /// Sign-out, if the product records one.
    fn logout(&mut self, cx: &mut Cx, p: usize, out: &mut Vec<Step<Self::Ev>>);
    /// An automation run; must push at least one step for `AutoKind::Sys`.
    fn auto(&mut self, cx: &mut Cx, kind: AutoKind, out: &mut Vec<Step<Self::Ev>>);
    /// The nightly scheduled job (02:00 UTC), possibly nothing.
    fn nightly(&mut self, cx: &mut Cx, out: &mut Vec<Step<Self::Ev>>);
    /// Render an incident step.
    fn incident(&mut self, cx: &mut Cx, kind: IncKind) -> Self::Ev;
    /// The vendor action string/label of a record (for the ground truth).
    fn action_name(&self, ev: &Self::Ev) -> &'static str;
    /// How the format names and identifies a member (for the ground truth).
    fn account(&self, org: &Org, p: usize) -> (String, String);
    /// Append one record (with its leading separator when `index > 0`).
    fn write(
        &mut self,
        out: &mut Vec<u8>,
        cx: &mut Cx,
        t: i64,
        who: Who,
        ev: &Self::Ev,
        index: u64,
    );
}

struct Episode<E> {
    person: Option<usize>,
    /// Pause after the session before the person opens another one.
    cooldown: i64,
    queue: VecDeque<Step<E>>,
    remaining: u64,
    logout: bool,
    due: i64,
    deadline: i64,
}

struct Fixed<E> {
    t: i64,
    who: Who,
    ev: E,
    kind: Option<IncKind>,
}

/// Per-group accumulator for the ground truth.
#[derive(Clone)]
struct Acc {
    first: i64,
    last: i64,
    count: u64,
    actions: Vec<&'static str>,
    ips: Vec<String>,
}

pub(crate) fn run<D: Dialect, W: Write>(
    mut d: D,
    opts: &Options,
    mut out: W,
) -> io::Result<GroundTruth> {
    let start = opts.start;
    let span = opts.span.as_secs() as i64;
    let end = start + span;
    let org = Org::new(opts.seed);
    let mut cx = Cx {
        rng: Rng::new(opts.seed, 0xB4C6_0000),
        org,
        rare_ppm: 0,
        now: start,
        seq: 0,
    };

    // ---- fixed records -------------------------------------------------------------------
    let inc_steps: Vec<IncStep> = if opts.incident {
        incident::plan(&cx.org, opts.seed, start, span)
    } else {
        Vec::new()
    };
    let mut fixed: Vec<Fixed<D::Ev>> = Vec::new();
    for s in &inc_steps {
        cx.now = s.t;
        let ev = d.incident(&mut cx, s.kind);
        fixed.push(Fixed {
            t: s.t,
            who: s.who,
            ev,
            kind: Some(s.kind),
        });
    }
    // The nightly job only when it stays a small share of the file.
    let nights = span / DAY + 1;
    let room = opts.events.saturating_sub(fixed.len() as u64);
    if room >= (nights as u64) * 40 {
        let mut buf = Vec::new();
        let mut day = start.div_euclid(DAY);
        while day * DAY < end {
            let mut t = day * DAY + 2 * 3600 + cx.rng.below(600) as i64;
            buf.clear();
            cx.now = t;
            d.nightly(&mut cx, &mut buf);
            for (i, s) in buf.drain(..).enumerate() {
                if i > 0 {
                    t += i64::from(s.delay);
                }
                if t >= start && t < end {
                    fixed.push(Fixed {
                        t,
                        who: s.who,
                        ev: s.ev,
                        kind: None,
                    });
                }
            }
            day += 1;
        }
    }
    fixed.sort_by_key(|f| f.t);
    if fixed.len() as u64 > opts.events {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the planted incident needs at least {} events", fixed.len()),
        ));
    }
    let n_bg = opts.events - fixed.len() as u64;

    // ---- calibration --------------------------------------------------------------------
    let minutes = ((span + 59) / 60) as u64;
    let sim = Sim {
        seed: opts.seed,
        mix: d.auto_mix(),
    };
    let workdays = (0..span.div_euclid(DAY).max(1))
        .filter(|i| weekday(start + i * DAY, 0) < 5)
        .count()
        .max(1) as u64;
    let days = (span as u64).div_ceil(DAY as u64).max(1);
    cx.rare_ppm = (8 * days * 1_000_000 / n_bg.max(1)).min(100_000);
    let per_person_day = n_bg * 9 / 10 / (PEOPLE as u64 * workdays);
    let mean_len = (per_person_day * 2 / 5).clamp(4, 2000);
    // One weight per minute (memory grows with the span, never with N).
    let weights = sim.minute_weights(&cx.org, start, minutes as usize);
    let total_w: u128 = weights.iter().map(|w| u128::from(w.0)).sum::<u128>().max(1);

    // ---- main loop ----------------------------------------------------------------------
    let mut w = Writer {
        buf: Vec::with_capacity(1 << 17),
        index: 0,
    };
    d.head(&mut w.buf, opts.events);
    let mut st = State::<D::Ev> {
        active: Vec::new(),
        busy: vec![false; PEOPLE],
        free_at: vec![i64::MIN; PEOPLE],
        last: start,
        mean_len,
        scratch: Vec::new(),
    };
    let mut accs: Vec<Option<Acc>> = vec![None; GROUPS.len()];
    let mut fixed = fixed.into_iter().peekable();
    let mut cum: u128 = 0;
    for (m, &(wsum, human, auto)) in weights.iter().enumerate() {
        let mstart = start + m as i64 * 60;
        let c0 = (2 * u128::from(n_bg) * cum + total_w) / (2 * total_w);
        cum += u128::from(wsum);
        let c1 = (2 * u128::from(n_bg) * cum + total_w) / (2 * total_w);
        let k = (c1 - c0) as i64;
        if k == 0 {
            continue;
        }
        let mlen = (end - mstart).min(60);
        for i in 0..k {
            let t = mstart + (i * mlen + cx.rng.below(mlen as u64) as i64) / k;
            let (time, who, ev) = st.next(&mut d, &mut cx, &sim, t, human, auto);
            while let Some(f) = fixed.next_if(|f| f.t < time) {
                emit_fixed(&mut d, &mut cx, &mut w, &mut out, f, &mut accs)?;
            }
            cx.seq = w.index;
            d.write(&mut w.buf, &mut cx, time, who, &ev, w.index);
            w.index += 1;
            w.flush_if_full(&mut out)?;
        }
    }
    for f in fixed {
        emit_fixed(&mut d, &mut cx, &mut w, &mut out, f, &mut accs)?;
    }
    d.tail(&mut w.buf, opts.events);
    out.write_all(&w.buf)?;
    out.flush()?;
    debug_assert_eq!(w.index, opts.events);

    // ---- ground truth -------------------------------------------------------------------
    let victim = cx.org.victim;
    let (victim_name, victim_id) = d.account(&cx.org, victim);
    let mut incidents = Vec::new();
    for (g, acc) in GROUPS.iter().zip(accs) {
        let Some(acc) = acc else { continue };
        let (actor, actor_id, accounts) = if *g == Group::Spray {
            (None, None, cx.org.spray_targets.len() as u64)
        } else {
            (Some(victim_name.clone()), Some(victim_id.clone()), 1)
        };
        incidents.push(PlantedIncident {
            kind: g.kind(),
            actor,
            actor_id,
            ip: acc.ips.join(","),
            first: acc.first,
            last: acc.last,
            count: acc.count,
            accounts,
            actions: acc.actions,
        });
    }
    Ok(GroundTruth {
        format: opts.format,
        seed: opts.seed,
        events: opts.events,
        start,
        end,
        org: cx.org.name.to_string(),
        domain: cx.org.domain.clone(),
        victim: opts.incident.then_some((victim_name, victim_id)),
        incidents,
    })
}

struct Writer {
    buf: Vec<u8>,
    index: u64,
}

impl Writer {
    fn flush_if_full<W: Write>(&mut self, out: &mut W) -> io::Result<()> {
        if self.buf.len() >= 1 << 16 {
            out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

fn emit_fixed<D: Dialect, W: Write>(
    d: &mut D,
    cx: &mut Cx,
    w: &mut Writer,
    out: &mut W,
    f: Fixed<D::Ev>,
    accs: &mut [Option<Acc>],
) -> io::Result<()> {
    cx.seq = w.index;
    d.write(&mut w.buf, cx, f.t, f.who, &f.ev, w.index);
    w.index += 1;
    if let Some(kind) = f.kind {
        let action = d.action_name(&f.ev);
        let ip = match f.who {
            Who::Attacker(_, net) => cx.org.attack_net(net).0.to_string(),
            _ => String::new(),
        };
        for g in kind.groups() {
            let Some(slot) = GROUPS.iter().position(|x| x == g) else {
                continue;
            };
            let acc = accs[slot].get_or_insert_with(|| Acc {
                first: f.t,
                last: f.t,
                count: 0,
                actions: Vec::new(),
                ips: Vec::new(),
            });
            acc.last = f.t;
            acc.count += 1;
            if !acc.actions.contains(&action) {
                acc.actions.push(action);
            }
            if !ip.is_empty() && !acc.ips.contains(&ip) {
                acc.ips.push(ip.clone());
            }
        }
    }
    w.flush_if_full(out)
}

/// Stateless activity model: weights per minute.
struct Sim {
    seed: u64,
    mix: [u64; 3],
}

impl Sim {
    /// Person `p`'s activity factor for the local day containing `t` (0 = day off).
    fn day_factor(&self, org: &Org, p: usize, t: i64) -> u64 {
        let local_day = (t + i64::from(org.people[p].tz_min) * 60).div_euclid(DAY);
        let h = hash3(self.seed, p as u64, local_day as u64);
        if h % 100 < 8 {
            0
        } else {
            60 + (h >> 8) % 81
        }
    }

    /// Weight of person `p` at `t` (0 when not working).
    fn person_weight(&self, org: &Org, p: usize, t: i64) -> u64 {
        if !org.working(p, t) {
            return 0;
        }
        let f = self.day_factor(org, p, t);
        let m = minute_of_day(t, org.people[p].tz_min);
        // Lunch dip and a slow start.
        if (720..810).contains(&m) || m < org.people[p].day_start + 20 {
            f / 2
        } else {
            f
        }
    }

    /// (total, human, [auto per kind]) for each minute slot `start + 60 m`. Only the minutes
    /// inside someone's working window are visited per person.
    fn minute_weights(&self, org: &Org, start: i64, minutes: usize) -> Vec<(u64, u64, [u64; 3])> {
        let mut human = vec![0u64; minutes];
        let slot_at_or_after =
            |t: i64| ((t - start + 59).div_euclid(60)).clamp(0, minutes as i64) as usize;
        for (p, person) in org.people.iter().enumerate() {
            let off = i64::from(person.tz_min) * 60;
            let first_day = (start + off).div_euclid(DAY);
            let last_day = (start + minutes as i64 * 60 + off).div_euclid(DAY);
            for d in first_day..=last_day {
                let midnight = d * DAY - off;
                let lo = slot_at_or_after(midnight + i64::from(person.day_start) * 60);
                let hi = slot_at_or_after(midnight + i64::from(person.day_end) * 60);
                for (m, h) in human.iter_mut().enumerate().take(hi).skip(lo) {
                    *h += self.person_weight(org, p, start + m as i64 * 60);
                }
            }
        }
        human
            .into_iter()
            .enumerate()
            .map(|(m, h)| self.weights_with(start + m as i64 * 60, h))
            .collect()
    }

    /// (total, human, [auto per kind]) at the minute starting at `t`, given the human weight.
    fn weights_with(&self, t: i64, human: u64) -> (u64, u64, [u64; 3]) {
        let daytime = weekday(t, 0) < 5 && (480..1080).contains(&minute_of_day(t, 0));
        let base = if daytime { [120, 50, 6] } else { [8, 2, 6] };
        let auto = [
            base[0] * self.mix[0] / 100,
            base[1] * self.mix[1] / 100,
            base[2] * self.mix[2] / 100,
        ];
        let total = (human + auto.iter().sum::<u64>()).max(1);
        (total, human, auto)
    }
}

struct State<E> {
    active: Vec<Episode<E>>,
    busy: Vec<bool>,
    free_at: Vec<i64>,
    last: i64,
    mean_len: u64,
    scratch: Vec<Step<E>>,
}

impl<E> State<E> {
    fn earliest(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, e) in self.active.iter().enumerate() {
            if best.is_none_or(|b| e.due < self.active[b].due) {
                best = Some(i);
            }
        }
        best
    }

    fn drop_episode(&mut self, i: usize) {
        let e = self.active.swap_remove(i);
        if let Some(p) = e.person {
            self.busy[p] = false;
            self.free_at[p] = self.last + e.cooldown;
        }
    }

    fn think(rng: &mut Rng) -> u32 {
        let mut s = 20 + rng.below(100) as u32;
        if rng.chance(1, 4) {
            s += rng.below(400) as u32;
        }
        s
    }

    /// The next background record for slot time `t`.
    fn next<D: Dialect<Ev = E>>(
        &mut self,
        d: &mut D,
        cx: &mut Cx,
        sim: &Sim,
        t: i64,
        human: u64,
        auto: [u64; 3],
    ) -> (i64, Who, E) {
        loop {
            // 1. An episode whose next step is due.
            if let Some(i) = self.earliest() {
                if self.active[i].due <= t {
                    let time = self.last.max(self.active[i].due);
                    if time > self.active[i].deadline {
                        self.drop_episode(i);
                        continue;
                    }
                    return self.emit(d, cx, i, time);
                }
            }
            // 2. A new episode, human or automation by the minute's weights.
            let auto_sum: u64 = auto.iter().sum();
            let want_human = cx.rng.below(human + auto_sum) < human;
            if want_human {
                if let Some(p) = self.pick_person(d, cx, sim, t) {
                    if let Some(i) = self.start_session(d, cx, p, t) {
                        return self.emit(d, cx, i, self.last.max(t));
                    }
                    continue;
                }
            } else {
                let kind = match cx.rng.weighted(&auto) {
                    Some(0) => AutoKind::Ci,
                    Some(1) => AutoKind::Infra,
                    _ => AutoKind::Sys,
                };
                if let Some(i) = self.start_auto(d, cx, kind, t) {
                    return self.emit(d, cx, i, self.last.max(t));
                }
            }
            // 3. Everyone is busy: bring the earliest episode forward.
            if let Some(i) = self.earliest() {
                let time = self.last.max(t);
                if time > self.active[i].deadline {
                    self.drop_episode(i);
                    continue;
                }
                return self.emit(d, cx, i, time);
            }
            // 4. Nothing else possible: the product's own background job.
            if let Some(i) = self.start_auto(d, cx, AutoKind::Sys, t) {
                return self.emit(d, cx, i, self.last.max(t));
            }
        }
    }

    fn pick_person<D: Dialect<Ev = E>>(
        &self,
        d: &D,
        cx: &mut Cx,
        sim: &Sim,
        t: i64,
    ) -> Option<usize> {
        let mut weights = [0u64; PEOPLE];
        for (p, w) in weights.iter_mut().enumerate() {
            if !self.busy[p] && t >= self.free_at[p] && cx.org.session_deadline(p, t) - t >= 15 * 60
            {
                *w = sim.person_weight(&cx.org, p, t) * d.role_weight(cx.org.roles[p]);
            }
        }
        cx.rng.weighted(&weights)
    }

    fn start_session<D: Dialect<Ev = E>>(
        &mut self,
        d: &mut D,
        cx: &mut Cx,
        p: usize,
        t: i64,
    ) -> Option<usize> {
        cx.now = t;
        self.scratch.clear();
        d.login(cx, p, &mut self.scratch);
        if self.scratch.is_empty() {
            return None;
        }
        let lo = (self.mean_len / 2).max(1);
        let remaining = cx.rng.range(lo, self.mean_len + lo);
        let logout = cx.rng.chance(65, 100);
        let deadline = cx.org.session_deadline(p, t).min(t + 4 * 3600);
        self.busy[p] = true;
        let cooldown = cx.rng.range(20 * 60, 100 * 60) as i64;
        self.active.push(Episode {
            person: Some(p),
            cooldown,
            queue: self.scratch.drain(..).collect(),
            remaining,
            logout,
            due: t,
            deadline,
        });
        Some(self.active.len() - 1)
    }

    fn start_auto<D: Dialect<Ev = E>>(
        &mut self,
        d: &mut D,
        cx: &mut Cx,
        kind: AutoKind,
        t: i64,
    ) -> Option<usize> {
        cx.now = t;
        self.scratch.clear();
        d.auto(cx, kind, &mut self.scratch);
        if self.scratch.is_empty() {
            return None;
        }
        self.active.push(Episode {
            person: None,
            cooldown: 0,
            queue: self.scratch.drain(..).collect(),
            remaining: 0,
            logout: false,
            due: t,
            deadline: t + 2 * 3600,
        });
        Some(self.active.len() - 1)
    }

    /// Emit the head step of episode `i` at `time` and plan its next step.
    fn emit<D: Dialect<Ev = E>>(
        &mut self,
        d: &mut D,
        cx: &mut Cx,
        i: usize,
        time: i64,
    ) -> (i64, Who, E) {
        self.last = time;
        let Some(step) = self.active[i].queue.pop_front() else {
            // Never planned empty; be defensive and hand out a system record.
            self.drop_episode(i);
            self.scratch.clear();
            d.auto(cx, AutoKind::Sys, &mut self.scratch);
            let s = self.scratch.remove(0);
            return (time, s.who, s.ev);
        };
        let e = &mut self.active[i];
        if e.queue.is_empty() {
            if let Some(p) = e.person {
                cx.now = time;
                while e.queue.is_empty() && e.remaining > 0 {
                    e.remaining -= 1;
                    self.scratch.clear();
                    d.action(cx, p, &mut self.scratch);
                    if self.scratch.is_empty() {
                        // Nothing this role does in this product: end the session.
                        e.remaining = 0;
                        break;
                    }
                    self.scratch[0].delay = Self::think(&mut cx.rng);
                    e.queue.extend(self.scratch.drain(..));
                }
                if e.queue.is_empty() && e.logout {
                    e.logout = false;
                    self.scratch.clear();
                    d.logout(cx, p, &mut self.scratch);
                    if let Some(first) = self.scratch.first_mut() {
                        first.delay = 5 + cx.rng.below(60) as u32;
                    }
                    e.queue.extend(self.scratch.drain(..));
                }
            }
        }
        let e = &mut self.active[i];
        match e.queue.front() {
            Some(next) => e.due = time + i64::from(next.delay),
            None => self.drop_episode(i),
        }
        (time, step.who, step.ev)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minute_weights_match_the_definition() {
        let org = Org::new(3);
        let sim = Sim {
            seed: 3,
            mix: [100, 50, 100],
        };
        // Not minute-aligned, spanning a weekend and weekdays.
        let start = crate::DEFAULT_START - 37;
        let minutes = 3 * 1440 + 17;
        let fast = sim.minute_weights(&org, start, minutes);
        assert_eq!(fast.len(), minutes);
        let mut busy = 0;
        for (m, w) in fast.iter().enumerate() {
            let t = start + m as i64 * 60;
            let h: u64 = (0..PEOPLE).map(|p| sim.person_weight(&org, p, t)).sum();
            assert_eq!(*w, sim.weights_with(t, h), "minute {m}");
            busy += usize::from(h > 0);
        }
        assert!(busy > 900, "two working days are in the range");
    }
}
