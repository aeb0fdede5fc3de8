//! Loading files into a dataset (temporary minimal version).
use serde::Serialize;

/// Options for loading one file.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {}

/// Per-file load summary.
#[derive(Debug, Clone, Serialize)]
pub struct FileSummary {
    pub path: String,
    pub format: String,
    pub size: u64,
    pub sha256: String,
    pub read: u64,
    pub loaded: u64,
    pub rejected: u64,
    pub errors: Vec<RecordError>,
    pub warnings: Vec<String>,
}

/// One rejected record.
#[derive(Debug, Clone, Serialize)]
pub struct RecordError {
    pub record: u64,
    pub line: u64,
    pub reason: String,
}

/// The loaded investigation data.
#[derive(Debug, Default)]
pub struct Dataset {
    files: Vec<FileSummary>,
}

impl Dataset {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn load(&mut self, name: &str, bytes: Vec<u8>, _opts: &LoadOptions) -> FileSummary {
        let n = bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count() as u64;
        let s = FileSummary {
            path: name.to_string(),
            format: "unknown".into(),
            size: bytes.len() as u64,
            sha256: String::new(),
            read: n,
            loaded: n,
            rejected: 0,
            errors: vec![],
            warnings: vec![],
        };
        self.files.push(s.clone());
        s
    }
    pub fn files(&self) -> &[FileSummary] {
        &self.files
    }
    pub fn len(&self) -> usize {
        self.files.iter().map(|f| f.loaded as usize).sum()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
