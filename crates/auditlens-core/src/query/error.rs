//! Query syntax errors, with position, expectation and a suggested fix.

use std::fmt;

use serde::Serialize;

/// Why a query didn't parse, and where.
///
/// `start..end` is the byte range of the offending text in the query (empty at the end of the
/// query); `column` is the 1-based character column of `start`, for people. When `suggestion`
/// is set, replacing `start..end` with it is the likely fix (`usr` → `user`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryError {
    /// What went wrong, in one sentence without position.
    pub message: String,
    /// Byte offset where the problem starts.
    pub start: usize,
    /// Byte offset where it ends (exclusive).
    pub end: usize,
    /// 1-based character column of `start`.
    pub column: usize,
    /// What would have been valid here (`")"`, `"a term"`, allowed enum values).
    pub expected: Vec<String>,
    /// A replacement for `start..end`, when one is likely (a close field name or value).
    pub suggestion: Option<String>,
    /// Advice on how to write what was probably meant.
    pub hint: Option<String>,
}

impl QueryError {
    pub(crate) fn new(src: &str, start: usize, end: usize, message: impl Into<String>) -> Self {
        let start = start.min(src.len());
        let column = src.get(..start).map_or(start, |s| s.chars().count()) + 1;
        QueryError {
            message: message.into(),
            start,
            end: end.clamp(start, src.len()),
            column,
            expected: Vec::new(),
            suggestion: None,
            hint: None,
        }
    }

    pub(crate) fn expected<S: Into<String>>(mut self, e: impl IntoIterator<Item = S>) -> Self {
        self.expected = e.into_iter().map(Into::into).collect();
        self
    }

    pub(crate) fn suggest(mut self, s: Option<&str>) -> Self {
        self.suggestion = s.map(str::to_string);
        self
    }

    pub(crate) fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
}

/// Joins alternatives for a sentence: `a`, `a or b`, `a, b or c`.
pub(crate) fn one_of<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", init.join(", "), last.as_ref())
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.expected.is_empty() {
            write!(f, ": expected {}", one_of(&self.expected))?;
        }
        if let Some(s) = &self.suggestion {
            write!(f, " — did you mean \"{s}\"?")?;
        }
        if let Some(h) = &self.hint {
            write!(f, " ({h})")?;
        }
        write!(f, " at column {}", self.column)
    }
}

impl std::error::Error for QueryError {}
