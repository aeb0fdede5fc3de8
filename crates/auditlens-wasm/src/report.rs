//! The report, export and case-file methods of [`Session`]: JSON in, text out, errors thrown as
//! JS `Error`s with a message. All behaviour is in `auditlens_core::{report, export, case}`.

use auditlens_core::case::{self, Case};
use auditlens_core::detect::Config;
use auditlens_core::export::{self, ExportKind, ExportOptions};
use auditlens_core::report::{self, ReportInput, ReportRequest};
use auditlens_core::{sigma, time};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::Session;

/// Largest export built in the page (a JS string holds at most about 512 MiB).
const EXPORT_CAP: usize = 400 << 20;

fn zone(v: Option<&str>) -> Result<time::Zone, JsError> {
    match v.filter(|z| !z.trim().is_empty()) {
        None => Ok(time::Zone::default()),
        Some(z) => time::Zone::parse(z).map_err(|e| JsError::new(&format!("tz: {e}"))),
    }
}

fn parse_case(v: Option<&Value>) -> Result<Case, JsError> {
    match v {
        None | Some(Value::Null) => Ok(Case::default()),
        Some(Value::String(s)) => Case::parse(s).map_err(|e| JsError::new(&e)),
        Some(v) => Case::parse(&v.to_string()).map_err(|e| JsError::new(&e)),
    }
}

#[wasm_bindgen]
impl Session {
    /// Builds the incident report and returns the file's text. `request` (JSON):
    /// `{"format": "md"|"html"|"json", "title", "caseId", "query", "from", "to",
    /// "findings": "all" | ["AL-001", …], "starred": bool, "tz", "generatedAt" (required),
    /// "case": {…case file…}, "detectConfig": {…}, "sigma": [[name, yaml], …]}`.
    pub fn report(&mut self, request: &str) -> Result<String, JsError> {
        let v: Value = serde_json::from_str(request)
            .map_err(|e| JsError::new(&format!("report request: {e}")))?;
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let case = parse_case(v.get("case"))?;
        let tz = s("tz");
        let zone = zone(Some(if tz.is_empty() {
            case.report.tz.as_str()
        } else {
            tz.as_str()
        }))?;
        let generated = s("generatedAt");
        let generated_at = time::parse_timestamp(&generated)
            .ok_or_else(|| JsError::new("report request: generatedAt must be an RFC 3339 time"))?
            .nanos;
        let bound = |k: &str, end: bool| -> Result<Option<i64>, JsError> {
            let t = s(k);
            if t.trim().is_empty() {
                return Ok(None);
            }
            report::parse_bound(&t, end, &zone)
                .map(Some)
                .map_err(|e| JsError::new(&format!("{k}: {e}")))
        };
        let from = bound("from", false)?;
        let to = bound("to", true)?;
        let findings = match v.get("findings") {
            Some(Value::Array(a)) => Some(
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => None,
        };
        let cfg_value = v
            .get("detectConfig")
            .filter(|c| !c.is_null())
            .or(case.detect_config.as_ref());
        let cfg: Config = match cfg_value {
            Some(c) => serde_json::from_value(c.clone())
                .map_err(|e| JsError::new(&format!("detectConfig: {e}")))?,
            None => Config::default(),
        };
        let sigma_set = match v.get("sigma").filter(|x| !x.is_null()) {
            Some(x) => {
                let files: Vec<(String, String)> = serde_json::from_value(x.clone())
                    .map_err(|e| JsError::new(&format!("sigma: {e}")))?;
                Some(sigma::load_rules(&files))
            }
            None => None,
        };
        let req = ReportRequest {
            title: s("title"),
            case_id: s("caseId"),
            query: s("query"),
            from,
            to,
            findings,
            include_starred: v.get("starred").and_then(Value::as_bool).unwrap_or(true),
            zone,
            generated_at,
            now: None,
        };
        let (data, ix, _) = self.current_index();
        let input = ReportInput {
            ds: data,
            index: ix,
            case: &case,
            config: Some(&cfg),
            sigma: sigma_set.as_ref(),
        };
        let rep = report::build(&input, &req).map_err(|e| JsError::new(&e))?;
        Ok(match s("format").as_str() {
            "html" => rep.to_html(),
            "json" => rep.to_json(),
            _ => rep.to_markdown(),
        })
    }

    /// Exports the events matching `query` (every event for an empty query) as `kind`:
    /// `ndjson`, `csv`, `ocsf`, `ecs` or `timesketch`. `tz` sets the local-time columns.
    pub fn export(&mut self, kind: &str, q: &str, tz: Option<String>) -> Result<String, JsError> {
        let kind = ExportKind::parse(kind).map_err(|e| JsError::new(&e))?;
        let opts = ExportOptions {
            zone: zone(tz.as_deref())?,
            ..Default::default()
        };
        let sel = self
            .matching(q)
            .map_err(|e| JsError::new(&format!("query: {e}")))?;
        let text = match sel {
            None => export::to_string_capped(
                &self.data,
                0..self.data.events.len(),
                kind,
                &opts,
                EXPORT_CAP,
            ),
            Some(bits) => {
                export::to_string_capped(&self.data, bits.iter(), kind, &opts, EXPORT_CAP)
            }
        };
        text.map_err(|e| JsError::new(&e))
    }

    /// A new case file for the loaded files (JSON).
    #[wasm_bindgen(js_name = caseNew)]
    pub fn case_new(&self) -> String {
        let mut c = Case::default();
        c.set_files(&self.data);
        c.to_json()
    }

    /// Compares a case with the loaded files: `{"missing": [CaseFile…], "extra": […],
    /// "unknown_events": [key…], "keys_in_missing_files": n}`.
    #[wasm_bindgen(js_name = caseCheck)]
    pub fn case_check(&self, case_json: &str) -> Result<String, JsError> {
        let c = Case::parse(case_json).map_err(|e| JsError::new(&e))?;
        serde_json::to_string(&c.check(&self.data)).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Merges two case files (JSON) without losing either side's annotations.
    #[wasm_bindgen(js_name = caseMerge)]
    pub fn case_merge(a: &str, b: &str) -> Result<String, JsError> {
        case::merge_json(a, b).map_err(|e| JsError::new(&e))
    }

    /// Canonical form of a case file (sorted, deduplicated), with the loaded files recorded.
    #[wasm_bindgen(js_name = caseNormalize)]
    pub fn case_normalize(&self, case_json: &str) -> Result<String, JsError> {
        let mut c = Case::parse(case_json).map_err(|e| JsError::new(&e))?;
        c.set_files(&self.data);
        Ok(c.to_json())
    }

    /// Embeds an input file in a case (base64, with its SHA-256): a portable case.
    #[wasm_bindgen(js_name = caseEmbed)]
    pub fn case_embed(case_json: &str, name: &str, bytes: &[u8]) -> Result<String, JsError> {
        let mut c = Case::parse(case_json).map_err(|e| JsError::new(&e))?;
        c.embed(name, bytes);
        Ok(c.to_json())
    }

    /// The files embedded in a case, each checked against its SHA-256, as an array of
    /// `[name, Uint8Array]`; an error names a file whose bytes do not match.
    #[wasm_bindgen(js_name = caseEmbedded)]
    pub fn case_embedded(case_json: &str) -> Result<js_sys::Array, JsError> {
        let c = Case::parse(case_json).map_err(|e| JsError::new(&e))?;
        let files = c.embedded_files().map_err(|e| JsError::new(&e))?;
        let out = js_sys::Array::new();
        for (name, bytes) in files {
            let pair = js_sys::Array::new();
            pair.push(&JsValue::from_str(&name));
            pair.push(&js_sys::Uint8Array::from(&bytes[..]).into());
            out.push(&pair.into());
        }
        Ok(out)
    }

    /// The events with the given keys (a JSON array of `"<sha256>:<record>"`), in time order,
    /// as a JSON array of `{"index", "event"}`; unknown keys are left out.
    #[wasm_bindgen(js_name = eventsByKeys)]
    pub fn events_by_keys(&self, keys_json: &str) -> Result<String, JsError> {
        let keys: Vec<String> =
            serde_json::from_str(keys_json).map_err(|e| JsError::new(&format!("keys: {e}")))?;
        let found = case::resolve_keys(&self.data, keys.iter().map(String::as_str));
        let mut pos: Vec<usize> = found.values().copied().collect();
        pos.sort_unstable();
        let v: Vec<Value> = pos
            .into_iter()
            .map(|p| serde_json::json!({"index": p, "event": self.data.event_json(&self.data.events[p])}))
            .collect();
        Ok(Value::Array(v).to_string())
    }
}
