//! Thin wasm-bindgen boundary over `auditlens-core`: one [`Session`] handle owns the loaded data.
//! Methods take bytes and strings and return JSON strings; no logic lives here.

use auditlens_core::{Dataset, LoadOptions};
use wasm_bindgen::prelude::*;

/// One investigation: the loaded files and everything derived from them.
#[wasm_bindgen]
#[derive(Default)]
pub struct Session {
    data: Dataset,
}

#[wasm_bindgen]
impl Session {
    /// Creates an empty session.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session::default()
    }

    /// Loads one file; returns the per-file summary as JSON.
    pub fn load(&mut self, name: &str, bytes: Vec<u8>) -> String {
        let s = self.data.load(name, bytes, &LoadOptions::default());
        serde_json::to_string(s).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The summary of every loaded file and the event count, as JSON.
    pub fn summary(&self) -> String {
        let range = self.data.time_range();
        serde_json::json!({
            "files": self.data.summaries(),
            "events": self.data.len(),
            "first": range.map(|r| auditlens_core::time::format_rfc3339_ms(r.0)),
            "last": range.map(|r| auditlens_core::time::format_rfc3339_ms(r.1)),
        })
        .to_string()
    }

    /// The core version.
    pub fn version() -> String {
        auditlens_core::VERSION.to_string()
    }
}
