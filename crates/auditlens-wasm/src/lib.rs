//! Thin wasm-bindgen boundary over `auditlens-core`: one [`Session`] handle owns the loaded data.
//! Methods take bytes and strings and return JSON strings; no logic lives here.

mod report;
mod view;

use std::sync::Mutex;

use auditlens_core::{query, search, time, Dataset, LoadOptions};
use wasm_bindgen::prelude::*;

/// The message of the last Rust panic (a panic aborts the wasm instance; the page reads this
/// afterwards to say what happened instead of "unreachable").
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut m) = LAST_PANIC.lock() {
            *m = info.to_string();
        }
    }));
}

/// One investigation: the loaded files and everything derived from them.
#[wasm_bindgen]
#[derive(Default)]
pub struct Session {
    data: Dataset,
    /// The search index, rebuilt on the first query after a load.
    index: Option<search::Index>,
}

/// `performance.now()` in milliseconds (for result timings; `Date.now()` where there is none).
#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &JsValue::from_str("performance"))
        .ok()
        .and_then(|p| {
            let f: js_sys::Function = js_sys::Reflect::get(&p, &JsValue::from_str("now"))
                .ok()?
                .dyn_into()
                .ok()?;
            f.call0(&p).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// Query options: `{"sort": "-time" | "actor", "now": "2026-02-03T00:00:00Z",
/// "facets": true, "histogram": true, "highlights": true, "rawText": true}` (all optional).
fn query_options(json: Option<String>) -> Result<search::SearchOptions<'static>, String> {
    let mut o = search::SearchOptions::default();
    let Some(j) = json.filter(|j| !j.trim().is_empty()) else {
        return Ok(o);
    };
    let v: serde_json::Value = serde_json::from_str(&j).map_err(|e| format!("options: {e}"))?;
    if let Some(s) = v.get("sort").and_then(|s| s.as_str()) {
        o.sort = search::Sort::parse(s).map_err(|e| format!("options.sort: {e}"))?;
    }
    if let Some(t) = v.get("now").and_then(|t| t.as_str()) {
        o.now = Some(
            time::parse_timestamp(t)
                .ok_or_else(|| format!("options.now {t:?}: expected an RFC 3339 time"))?
                .nanos,
        );
    }
    let flag = |k: &str, d: bool| v.get(k).and_then(|b| b.as_bool()).unwrap_or(d);
    o.facets = flag("facets", o.facets);
    o.histogram = flag("histogram", o.histogram);
    o.highlights = flag("highlights", o.highlights);
    o.raw_text = flag("rawText", o.raw_text);
    Ok(o)
}

fn options(json: Option<String>) -> Result<LoadOptions, String> {
    let mut o = LoadOptions::default();
    let Some(j) = json.filter(|j| !j.trim().is_empty()) else {
        return Ok(o);
    };
    let v: serde_json::Value = serde_json::from_str(&j).map_err(|e| format!("options: {e}"))?;
    if let Some(tz) = v.get("tz").and_then(|t| t.as_str()) {
        o.zone = Some(time::Zone::parse(tz).map_err(|e| format!("options.tz: {e}"))?);
    }
    if let Some(off) = v.get("tzOffsetSeconds").and_then(|t| t.as_i64()) {
        o.assumed_offset = off as i32;
    }
    o.format = v.get("format").and_then(|f| f.as_str()).map(str::to_string);
    o.sha256 = v.get("sha256").and_then(|f| f.as_str()).map(str::to_string);
    if let Some(m) = v.get("mapping").and_then(|m| m.as_object()) {
        for (field, col) in m {
            if let Some(c) = col.as_str() {
                o.mapping.push((field.clone(), c.to_string()));
            }
        }
    }
    Ok(o)
}

impl Session {
    /// The data with its search index (rebuilt first when files were loaded since it was
    /// built), and whether it was rebuilt now.
    fn current_index(&mut self) -> (&Dataset, &search::Index, bool) {
        let stale = !self
            .index
            .as_ref()
            .is_some_and(|ix| ix.is_current(&self.data));
        if stale {
            self.index = None;
        }
        let data = &self.data;
        let ix = self.index.get_or_insert_with(|| search::Index::build(data));
        (data, ix, stale)
    }

    /// The time-order positions matching the filter part of `q` (a pipe is ignored); `None` for
    /// a query that matches every event.
    fn matching(&mut self, q: &str) -> Result<Option<search::Bits>, query::QueryError> {
        let parsed = query::parse(q)?;
        if matches!(parsed.expr, query::Expr::All) {
            return Ok(None);
        }
        let (data, ix, _) = self.current_index();
        let now = search::default_now(data);
        Ok(Some(search::filter(data, ix, &parsed.expr, now)))
    }
}

#[wasm_bindgen]
impl Session {
    /// Creates an empty session.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        install_panic_hook();
        Session::default()
    }

    /// The message of the last panic, or an empty string.
    pub fn last_panic() -> String {
        LAST_PANIC.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Loads one file; returns the per-file summary as JSON. `options` (JSON, optional):
    /// `{"tz": "+02:00" | "tzOffsetSeconds": 7200, "format": "ocore", "mapping": {"time": "When"},
    /// "sha256": "<hex>"}` (`sha256`: the caller's hash of the bytes, e.g. from WebCrypto).
    /// `progress` (optional) is called as `progress(bytesDone, recordsRead)`.
    pub fn load(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        options_json: Option<String>,
        progress: Option<js_sys::Function>,
    ) -> String {
        let opts = match options(options_json) {
            Ok(o) => o,
            Err(e) => return serde_json::json!({ "error": e }).to_string(),
        };
        let mut cb = |done: u64, recs: u64| {
            if let Some(f) = &progress {
                let _ = f.call2(
                    &JsValue::NULL,
                    &JsValue::from_f64(done as f64),
                    &JsValue::from_f64(recs as f64),
                );
            }
        };
        let s = self.data.load_with_progress(name, bytes, &opts, &mut cb);
        serde_json::to_string(s)
            .unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string())
    }

    /// The summary of every loaded file and the event count, as JSON.
    pub fn summary(&self) -> String {
        let range = self.data.time_range();
        serde_json::json!({
            "files": self.data.summaries(),
            "events": self.data.len(),
            "first": range.map(|r| time::format_rfc3339_ms(r.0)),
            "last": range.map(|r| time::format_rfc3339_ms(r.1)),
        })
        .to_string()
    }

    /// Normalized events `offset..offset+limit` in time order, as a JSON array.
    pub fn events(&self, offset: usize, limit: usize) -> String {
        let end = offset
            .saturating_add(limit.min(10_000))
            .min(self.data.len());
        let start = offset.min(end);
        let v: Vec<_> = self.data.events[start..end]
            .iter()
            .map(|e| self.data.event_json(e))
            .collect();
        serde_json::Value::Array(v).to_string()
    }

    /// Runs a query and returns matches `offset..offset+limit` (at most 10 000) with the total,
    /// facets, histogram, highlights and timings as JSON (`SearchResult::to_json` in core), or
    /// `{"error": {message, start, end, column, expected, suggestion, hint}}` for a query that
    /// doesn't parse. `options` (JSON, optional): `{"sort": "-time", "now": "…",
    /// "facets": bool, "histogram": bool, "highlights": bool, "rawText": bool}` (`rawText:
    /// false`: free text searches normalized fields only, for a quick first answer).
    pub fn query(
        &mut self,
        q: &str,
        offset: usize,
        limit: usize,
        options_json: Option<String>,
    ) -> String {
        let mut opts = match query_options(options_json) {
            Ok(o) => o,
            Err(e) => return serde_json::json!({ "error": { "message": e } }).to_string(),
        };
        opts.offset = offset;
        opts.limit = limit.min(10_000);
        #[cfg(target_arch = "wasm32")]
        {
            opts.clock = Some(&now_ms);
        }
        let t0 = opts.clock.map_or(0.0, |c| c());
        let (data, ix, was_rebuilt) = self.current_index();
        let rebuilt = was_rebuilt.then(|| opts.clock.map_or(0.0, |c| c()) - t0);
        match search::run(data, ix, q, &opts) {
            Ok(r) => {
                let mut v = r.to_json(data);
                if let Some(ms) = rebuilt {
                    v["index_ms"] = serde_json::json!(ms);
                    v["index_bytes"] = serde_json::json!(ix.memory_bytes());
                }
                v.to_string()
            }
            Err(e) => serde_json::json!({ "error": e }).to_string(),
        }
    }

    /// Runs the built-in detections (and the Sigma rules given, if any) and returns
    /// `{"findings": [Finding…], "rules": [RuleInfo…], "sigma_unsupported": [[name, title, reason]…]}`.
    /// `config_json`: the built-in rules' thresholds (partial JSON; defaults fill the rest).
    /// `sigma`: optional JSON array of `[name, yaml]` pairs.
    pub fn detect(&self, config_json: Option<String>, sigma_json: Option<String>) -> String {
        let cfg: auditlens_core::detect::Config = match config_json.filter(|c| !c.trim().is_empty())
        {
            Some(c) => match serde_json::from_str(&c) {
                Ok(c) => c,
                Err(e) => {
                    return serde_json::json!({ "error": format!("config: {e}") }).to_string()
                }
            },
            None => Default::default(),
        };
        let mut sigma = None;
        if let Some(s) = sigma_json.filter(|s| !s.trim().is_empty()) {
            let files: Vec<(String, String)> = match serde_json::from_str(&s) {
                Ok(f) => f,
                Err(e) => return serde_json::json!({ "error": format!("sigma: {e}") }).to_string(),
            };
            sigma = Some(auditlens_core::sigma::load_rules(&files));
        }
        let findings = auditlens_core::detect::run_all(&self.data, Some(&cfg), sigma.as_ref());
        let unsupported = sigma.map(|s| s.unsupported).unwrap_or_default();
        serde_json::json!({
            "findings": findings,
            "rules": auditlens_core::detect::rules(),
            "sigma_unsupported": unsupported,
        })
        .to_string()
    }

    /// Known format ids and names, as JSON.
    pub fn formats() -> String {
        let v: Vec<_> = auditlens_core::formats::all()
            .iter()
            .map(|f| serde_json::json!({"id": f.id(), "name": f.name()}))
            .collect();
        serde_json::Value::Array(v).to_string()
    }

    /// The core version.
    pub fn version() -> String {
        auditlens_core::VERSION.to_string()
    }
}
