//! What the page's investigation views read: one event's detail, its context, lanes and sessions.
//! Each method delegates to `auditlens_core::timeline` / `search` and returns JSON.

use auditlens_core::{time, timeline, Dataset};
use wasm_bindgen::prelude::*;

use crate::Session;

/// Most events a context / lane / session answer lists.
const MAX_LIST: usize = 2_000;

fn err(msg: impl std::fmt::Display) -> String {
    serde_json::json!({ "error": msg.to_string() }).to_string()
}

fn event_at(ds: &Dataset, pos: usize) -> serde_json::Value {
    serde_json::json!({ "index": pos, "event": ds.event_json(&ds.events[pos]) })
}

fn seen_json(ds: &Dataset, what: timeline::SeenOf, value: Option<&str>) -> serde_json::Value {
    match value.filter(|v| !v.is_empty()) {
        Some(v) => serde_json::to_value(timeline::seen(ds, what, v)).unwrap_or_default(),
        None => serde_json::Value::Null,
    }
}

impl Session {
    /// The positions matching `q` (its filter part; a pipe is ignored), or the query error.
    fn selection(&mut self, q: &str) -> Result<Option<Vec<u32>>, serde_json::Value> {
        let bits = self
            .matching(q)
            .map_err(|e| serde_json::json!({ "error": e }))?;
        Ok(bits.map(|b| b.iter().map(|p| p as u32).collect()))
    }
}

#[wasm_bindgen]
impl Session {
    /// Everything the detail panel shows for the event at time-order position `index`:
    /// `{"index", "event" (with "key"), "original" (the record's bytes as text, exactly as in
    /// the file), "doc" (the decoded JSON document when it differs from the original),
    /// "changes" ([{kind, path, before, after}]), "seen": {"actor", "ip"} ({first, last,
    /// count, first_pos, last_pos} or null)}`, or `{"error"}`.
    #[wasm_bindgen(js_name = viewDetail)]
    pub fn view_detail(&self, index: usize) -> String {
        let ds = &self.data;
        let Some(e) = ds.events.get(index) else {
            return err(format!("no event at position {index}"));
        };
        let original = String::from_utf8_lossy(ds.original(e)).into_owned();
        let doc = String::from_utf8_lossy(ds.doc(e)).into_owned();
        let ev = event_at(ds, index);
        let actor = ev["event"]["actor"]["name"]
            .as_str()
            .filter(|s| !s.is_empty())
            .or_else(|| ev["event"]["actor"]["id"].as_str())
            .map(str::to_string);
        let ip = ev["event"]["src_ip"]
            .as_str()
            .or_else(|| ev["event"]["src_raw"].as_str())
            .map(str::to_string);
        serde_json::json!({
            "index": index,
            "event": ev["event"],
            "original": original,
            "doc": if doc != original { Some(doc) } else { None },
            "changes": timeline::event_diff(ds, e),
            "seen": {
                "actor": seen_json(ds, timeline::SeenOf::Actor, actor.as_deref()),
                "ip": seen_json(ds, timeline::SeenOf::Ip, ip.as_deref()),
            },
        })
        .to_string()
    }

    /// The events within ± `window_ms` of the event at `index` that share its actor (`share`
    /// = "actor"), IP ("ip"), a target ("target") or any ("all"): `{"total", "events":
    /// [{index, event}…]}` (at most `limit`, 2 000).
    #[wasm_bindgen(js_name = viewContext)]
    pub fn view_context(&self, index: usize, window_ms: f64, share: &str, limit: usize) -> String {
        let share = match share {
            "actor" => timeline::Share::Actor,
            "ip" => timeline::Share::Ip,
            "target" => timeline::Share::Target,
            "all" => timeline::Share::All,
            other => return err(format!("unknown share {other:?} (actor, ip, target, all)")),
        };
        if index >= self.data.len() {
            return err(format!("no event at position {index}"));
        }
        let window = (window_ms.max(0.0) * 1e6) as i64;
        let pos = timeline::context(&self.data, index, window, share);
        let events: Vec<_> = pos
            .iter()
            .take(limit.min(MAX_LIST))
            .map(|&p| event_at(&self.data, p as usize))
            .collect();
        serde_json::json!({ "total": pos.len(), "events": events }).to_string()
    }

    /// Lanes of the events matching `q` grouped by `by` ("actor", "ip", "target"):
    /// `{"total", "lanes": [{key, first, last, count, failures, actions, top_actions}…]}`
    /// (at most `limit`), or `{"error": {…}}` for a bad query.
    #[wasm_bindgen(js_name = viewLanes)]
    pub fn view_lanes(&mut self, q: &str, by: &str, limit: usize) -> String {
        let Some(by) = timeline::LaneBy::parse(by) else {
            return err(format!("unknown lane kind {by:?} (actor, ip, target)"));
        };
        let sel = match self.selection(q) {
            Ok(s) => s,
            Err(e) => return e.to_string(),
        };
        let lanes = timeline::lanes(&self.data, sel.as_deref(), by);
        let total = lanes.len();
        let lanes: Vec<_> = lanes.into_iter().take(limit.min(MAX_LIST)).collect();
        serde_json::json!({ "total": total, "lanes": lanes }).to_string()
    }

    /// Sessions (login → actions → logout, or a pause over `maxpause_s` seconds; 0 = 30 min) of
    /// the events matching `q`: `{"total", "sessions": [{actor, start, end, duration_s, count,
    /// failures, ips, user_agents, login, logout}…]}` (at most `limit`).
    #[wasm_bindgen(js_name = viewSessions)]
    pub fn view_sessions(&mut self, q: &str, maxpause_s: f64, limit: usize) -> String {
        let sel = match self.selection(q) {
            Ok(s) => s,
            Err(e) => return e.to_string(),
        };
        let maxpause = (maxpause_s.max(0.0) * 1e9) as i64;
        let sessions = timeline::sessions(&self.data, sel.as_deref(), maxpause);
        let total = sessions.len();
        let list: Vec<_> = sessions.into_iter().take(limit.min(MAX_LIST)).collect();
        serde_json::json!({ "total": total, "sessions": list }).to_string()
    }

    /// The time range of all loaded events in ms since the epoch: `{"first_ms", "last_ms"}`
    /// (nulls when empty); for the histogram's brush and the report's default window.
    #[wasm_bindgen(js_name = viewRange)]
    pub fn view_range(&self) -> String {
        let r = self.data.time_range();
        serde_json::json!({
            "first_ms": r.map(|r| r.0.div_euclid(1_000_000)),
            "last_ms": r.map(|r| r.1.div_euclid(1_000_000)),
            "first": r.map(|r| time::format_rfc3339_ms(r.0)),
            "last": r.map(|r| time::format_rfc3339_ms(r.1)),
        })
        .to_string()
    }
}
