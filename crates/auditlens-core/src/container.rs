//! Containers: how records sit in a file, independent of the product that wrote them.
//!
//! JSON array; an object wrapping an array (`items`, `logs`, `Records`, `value`, … or the single
//! array-of-objects member of an envelope); NDJSON/JSONL and concatenated JSON values; a single
//! object; CSV per RFC 4180 with a sniffed delimiter. Each record reaches the callback parsed,
//! with its original byte span, line and record number. A broken record is reported with its
//! location and reading resumes at the next record boundary wherever one can be found.

use std::ops::ControlFlow;

use crate::csv;
use crate::json::{self, Doc};

/// How records were laid out in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// `[ {…}, {…} ]`
    JsonArray,
    /// `{"items": [ … ], …}` — the key the records sat under.
    JsonWrapped(String),
    /// One JSON value per line, or concatenated values.
    JsonLines,
    /// One JSON object.
    JsonSingle,
    /// CSV with this delimiter.
    Csv(u8),
    /// Nothing in the file.
    Empty,
}

impl Shape {
    /// Short description for summaries: `json-array`, `json-wrapped:items`, `ndjson`, `csv`.
    pub fn describe(&self) -> String {
        match self {
            Shape::JsonArray => "json-array".into(),
            Shape::JsonWrapped(k) => format!("json-wrapped:{k}"),
            Shape::JsonLines => "ndjson".into(),
            Shape::JsonSingle => "json-object".into(),
            Shape::Csv(b',') => "csv".into(),
            Shape::Csv(b';') => "csv(;)".into(),
            Shape::Csv(b'\t') => "tsv".into(),
            Shape::Csv(d) => format!("csv({})", *d as char),
            Shape::Empty => "empty".into(),
        }
    }
}

/// One record or one problem, as read.
pub enum Item<'s, 'd> {
    /// A parsed record.
    Rec(Rec<'s, 'd>),
    /// A record that could not be read.
    Bad {
        /// 1-based record number.
        record: u64,
        /// 1-based line.
        line: u64,
        /// Byte range of what was skipped.
        start: usize,
        /// End of the skipped range.
        end: usize,
        /// Why.
        reason: String,
    },
    /// A file-level observation (envelope metadata, column mismatches).
    Note(Note),
}

/// File-level observations a container makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// The wrapper object stated a total record count.
    StatedTotal(u64),
    /// The wrapper has a next-page link or token: this is one page.
    Paged(String),
    /// CSV rows whose cell count differs from the header (count, first line).
    ColumnMismatch(u64, u64),
}

/// A parsed record.
pub struct Rec<'s, 'd> {
    /// The record as JSON (for CSV: synthesized from the header and the row).
    pub doc: &'d Doc<'s>,
    /// The JSON text of `doc` when it is not a slice of the file (CSV rows).
    pub synthesized: Option<&'s str>,
    /// Original byte range in the file.
    pub start: usize,
    /// End of the original range.
    pub end: usize,
    /// 1-based line where the record starts.
    pub line: u64,
    /// 1-based record number.
    pub record: u64,
}

/// Counts lines incrementally.
struct Lines<'a> {
    src: &'a [u8],
    pos: usize,
    line: u64,
}

impl Lines<'_> {
    fn at(&mut self, p: usize) -> u64 {
        let p = p.min(self.src.len());
        if p < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.src[self.pos..p]).count() as u64;
        self.pos = p;
        self.line
    }
    fn col(&self, p: usize) -> usize {
        let p = p.min(self.src.len());
        let ls = memchr::memrchr(b'\n', &self.src[..p]).map_or(0, |k| k + 1);
        p - ls + 1
    }
}

fn skip_ws(src: &[u8], mut i: usize) -> usize {
    while i < src.len() && matches!(src[i], b' ' | b'\n' | b'\r' | b'\t') {
        i += 1;
    }
    i
}

/// Wrapper keys accepted as soon as they are seen with an array of objects.
const STRONG_WRAPPERS: &[&str] = &[
    "items",
    "Items",
    "logs",
    "Records",
    "records",
    "Events",
    "value",
    "auditEvents",
    "audit_events",
    "entries",
    "activities",
    "results",
    "result",
    "auditLogs",
    "audit_logs",
    "data_list",
    "rows",
    "hits",
];
/// More scalar members than this and an object with one unknown array member is a record.
const MAX_ENVELOPE_SCALARS: usize = 6;
/// Wrapper keys accepted only when every other member is a scalar (an envelope).
const WEAK_WRAPPERS: &[&str] = &[
    "events",
    "data",
    "list",
    "logEntries",
    "entities",
    "objects",
];

/// Reads every record of `src` (already decompressed and transcoded to UTF-8; `start` skips a
/// BOM). Returns the shape, or an error when the file is not JSON or CSV at all.
pub fn read<F>(text: &str, start: usize, mut f: F) -> Result<Shape, String>
where
    F: for<'s, 'd> FnMut(Item<'s, 'd>) -> ControlFlow<()>,
{
    let src = text.as_bytes();
    let i = skip_ws(src, start);
    if i >= src.len() {
        return Ok(Shape::Empty);
    }
    match src[i] {
        b'[' | b'{' => Ok(read_json(text, i, &mut f)),
        _ => read_csv(text, i, &mut f),
    }
}

fn read_json<F>(text: &str, i: usize, f: &mut F) -> Shape
where
    F: for<'s, 'd> FnMut(Item<'s, 'd>) -> ControlFlow<()>,
{
    let src = text.as_bytes();
    let mut st = JsonState {
        lines: Lines {
            src,
            pos: 0,
            line: 1,
        },
        doc: Doc::default(),
        text,
        rec: 0,
    };
    if src[i] == b'[' {
        // Arrays one after another (API pages appended to one file) are all read; anything
        // else after the array is reported, never dropped silently (found by the
        // malformed-input suite: text after `]` used to vanish without a word).
        let mut pos = i;
        while let Ok(end) = st.array(src, pos, f) {
            pos = skip_ws(src, end);
            if pos >= src.len() {
                break;
            }
            if src[pos] != b'[' {
                st.bad_from(src, pos, "unexpected data after the records array", f);
                break;
            }
        }
        return Shape::JsonArray;
    }
    match find_wrapper(src, i) {
        Some(_) => {
            let mut key_seen = String::new();
            let mut pos = i;
            loop {
                pos = skip_ws(src, pos);
                if pos >= src.len() {
                    break;
                }
                if src[pos] != b'{' {
                    st.bad_from(src, pos, "expected another wrapper object", f);
                    break;
                }
                match find_wrapper(src, pos) {
                    Some((key, arr)) => {
                        key_seen = key;
                        match st.wrapper(src, pos, arr, f) {
                            Ok(end) => pos = end,
                            Err(()) => break,
                        }
                    }
                    None => match st.sequence_one(src, pos, false, f) {
                        Some(end) => pos = end,
                        None => break,
                    },
                }
            }
            Shape::JsonWrapped(key_seen)
        }
        None => {
            let first_end = json::skip_value(src, i).unwrap_or(src.len());
            let single_line = memchr::memchr(b'\n', &src[i..first_end]).is_none();
            let mut pos = i;
            let mut n = 0u64;
            loop {
                pos = skip_ws(src, pos);
                if pos >= src.len() {
                    break;
                }
                n += 1;
                match st.sequence_one(src, pos, single_line, f) {
                    Some(end) => pos = end,
                    None => break,
                }
            }
            if n == 1 {
                Shape::JsonSingle
            } else {
                Shape::JsonLines
            }
        }
    }
}

/// Finds the records array of a wrapper object starting at `i`: (key, offset of `[`).
fn find_wrapper(src: &[u8], i: usize) -> Option<(String, usize)> {
    let mut j = skip_ws(src, i + 1);
    let mut arrays: Vec<(String, usize)> = Vec::new();
    let mut non_scalar = false;
    let mut scalars = 0usize;
    loop {
        if src.get(j) != Some(&b'"') {
            return None;
        }
        let kend = json::skip_value(src, j)?;
        let key = json::unescape(&src[j + 1..kend - 1]);
        j = skip_ws(src, kend);
        if src.get(j) != Some(&b':') {
            return None;
        }
        j = skip_ws(src, j + 1);
        let v = *src.get(j)?;
        if v == b'[' {
            let first = skip_ws(src, j + 1);
            let objs = matches!(src.get(first), Some(b'{') | Some(b']'));
            if objs && STRONG_WRAPPERS.contains(&key.as_str()) {
                return Some((key, j));
            }
            if objs {
                arrays.push((key, j));
            } else {
                non_scalar = true;
            }
        } else if v == b'{' {
            non_scalar = true;
        } else {
            scalars += 1;
        }
        j = skip_ws(src, json::skip_value(src, j)?);
        match src.get(j) {
            Some(b',') => j = skip_ws(src, j + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    // Envelopes carry a few metadata scalars (total, page, cursor, success); an object with
    // many is a record that happens to hold one list (CloudTrail LookupEvents' `Resources`).
    if scalars > MAX_ENVELOPE_SCALARS {
        return None;
    }
    if !non_scalar && arrays.len() == 1 {
        return arrays.pop();
    }
    if !non_scalar {
        if let Some(k) = arrays
            .iter()
            .position(|(k, _)| WEAK_WRAPPERS.contains(&k.as_str()))
        {
            return Some(arrays.swap_remove(k));
        }
    }
    None
}

struct JsonState<'a> {
    lines: Lines<'a>,
    doc: Doc<'a>,
    text: &'a str,
    rec: u64,
}

impl<'a> JsonState<'a> {
    fn bad_from<F>(&mut self, src: &'a [u8], pos: usize, why: &str, f: &mut F)
    where
        F: for<'s, 'd> FnMut(Item<'s, 'd>) -> ControlFlow<()>,
    {
        self.rec += 1;
        let line = self.lines.at(pos);
        let _ = f(Item::Bad {
            record: self.rec,
            line,
            start: pos,
            end: src.len(),
            reason: format!(
                "{why} at line {line}; the remaining {} bytes could not be read",
                src.len() - pos
            ),
        });
    }

    /// Parses one record at `i`, emits it (or a Bad item), and returns where to continue.
    /// `None` stops reading (callback break, or nothing recoverable remains).
    fn one<F>(&mut self, src: &'a [u8], i: usize, line_resync: bool, f: &mut F) -> Option<usize>
    where
        F: for<'s, 'd> FnMut(Item<'s, 'd>) -> ControlFlow<()>,
    {
        self.rec += 1;
        let line = self.lines.at(i);
        debug_assert!(std::ptr::eq(src, self.text.as_bytes()));
        match self.doc.parse_value_at_str(self.text, i) {
            Ok(end) => {
                let flow = f(Item::Rec(Rec {
                    doc: &self.doc,
                    synthesized: None,
                    start: i,
                    end,
                    line,
                    record: self.rec,
                }));
                if flow.is_break() {
                    return None;
                }
                Some(end)
            }
            Err(e) => {
                let eline = self.lines.at(e.pos);
                let col = self.lines.col(e.pos);
                let resync = if line_resync {
                    let eol = memchr::memchr(b'\n', &src[i..]).map_or(src.len(), |k| i + k + 1);
                    // Values concatenated on one line (`{…}{…}{…}`): when the broken value
                    // closes on its line and another value follows it there, resume at that
                    // value instead of dropping the rest of the line (found by the
                    // malformed-input suite: one bad record lost a whole single-line file).
                    // (Bounded to the line: a run of truncated lines must not rescan the file.)
                    match json::skip_value(&src[..eol], i) {
                        Some(end) => {
                            let next = skip_ws(src, end);
                            if next < eol && matches!(src[next], b'{' | b'[') {
                                Some(next)
                            } else {
                                Some(eol)
                            }
                        }
                        _ => Some(eol),
                    }
                } else {
                    json::skip_value(src, i)
                };
                let (end, tail) = match resync {
                    Some(end) if end > i => (end, ""),
                    _ => (src.len(), "; the file ends inside this record (truncated?)"),
                };
                let reason = if line_resync && eline > line {
                    format!(
                        "invalid JSON at line {line}: the line ends before the record is complete"
                    )
                } else {
                    format!(
                        "invalid JSON at line {eline}, column {col}: {}{tail}",
                        e.msg
                    )
                };
                let flow = f(Item::Bad {
                    record: self.rec,
                    line,
                    start: i,
                    end,
                    reason,
                });
                if flow.is_break() || end >= src.len() {
                    return None;
                }
                Some(end)
            }
        }
    }

    /// Streams the elements of the array at `i` (which holds `[`). Returns the end offset.
    fn array<F>(&mut self, src: &'a [u8], i: usize, f: &mut F) -> Result<usize, ()>
    where
        F: for<'s, 'd> FnMut(Item<'s, 'd>) -> ControlFlow<()>,
    {
        let mut j = skip_ws(src, i + 1);
        if src.get(j) == Some(&b']') {
            return Ok(j + 1);
        }
        loop {
            if j >= src.len() {
                self.bad_from(
                    src,
                    j,
                    "the file ends inside the records array (truncated?)",
                    f,
                );
                return Err(());
            }
            j = self.one(src, j, false, f).ok_or(())?;
            j = skip_ws(src, j);
            match src.get(j) {
                Some(b',') => j = skip_ws(src, j + 1),
                Some(b']') => return Ok(j + 1),
                None => {
                    self.bad_from(
                        src,
                        j,
                        "the file ends inside the records array (truncated?)",
                        f,
                    );
                    return Err(());
                }
                Some(_) => {
                    self.bad_from(src, j, "expected ',' or ']' between records", f);
                    return Err(());
                }
            }
        }
    }

    /// Reads a wrapper object at `i` whose records array starts at `arr`; notes metadata.
    fn wrapper<F>(&mut self, src: &'a [u8], i: usize, arr: usize, f: &mut F) -> Result<usize, ()>
    where
        F: for<'s, 'd> FnMut(Item<'s, 'd>) -> ControlFlow<()>,
    {
        // Metadata before the array.
        self.meta(src, i + 1, arr, f);
        let after = self.array(src, arr, f)?;
        // The rest of the wrapper object.
        let mut j = skip_ws(src, after);
        let meta_start = j;
        let mut depth_end = None;
        while j < src.len() {
            match src[j] {
                b'}' => {
                    depth_end = Some(j + 1);
                    break;
                }
                b'"' | b'{' | b'[' => j = json::skip_value(src, j).unwrap_or(src.len()),
                _ => j += 1,
            }
        }
        self.meta(src, meta_start, j, f);
        match depth_end {
            Some(e) => Ok(e),
            None => {
                self.bad_from(src, j, "the wrapper object is not closed (truncated?)", f);
                Err(())
            }
        }
    }

    fn meta<F>(&mut self, src: &'a [u8], from: usize, to: usize, f: &mut F)
    where
        F: for<'s, 'd> FnMut(Item<'s, 'd>) -> ControlFlow<()>,
    {
        // `"key": value` pairs at the top level of the wrapper between `from` and `to`.
        let mut j = from;
        while j < to {
            j = skip_ws(src, j);
            if j >= to || src[j] != b'"' {
                j += 1;
                continue;
            }
            let Some(kend) = json::skip_value(src, j) else {
                return;
            };
            let key = json::unescape(&src[j + 1..kend - 1]);
            let mut k = skip_ws(src, kend);
            if src.get(k) != Some(&b':') {
                j = kend;
                continue;
            }
            k = skip_ws(src, k + 1);
            if k >= to {
                // The value is the records array itself (or beyond the scanned range).
                return;
            }
            let Some(vend) = json::skip_value(src, k) else {
                return;
            };
            let val = String::from_utf8_lossy(&src[k..vend])
                .trim_matches('"')
                .to_string();
            match key.as_str() {
                "total" | "totalCount" | "total_count" | "count" | "Total" => {
                    if let Ok(n) = val.parse::<u64>() {
                        let _ = f(Item::Note(Note::StatedTotal(n)));
                    }
                }
                "nextLink" | "@odata.nextLink" | "nextPageToken" | "next" | "NextToken"
                | "next_page" | "cursor"
                    if !val.is_empty() && val != "null" =>
                {
                    let _ = f(Item::Note(Note::Paged(key.clone())));
                }
                _ => {}
            }
            j = vend;
        }
    }

    fn sequence_one<F>(
        &mut self,
        src: &'a [u8],
        i: usize,
        line_resync: bool,
        f: &mut F,
    ) -> Option<usize>
    where
        F: for<'s, 'd> FnMut(Item<'s, 'd>) -> ControlFlow<()>,
    {
        self.one(src, i, line_resync, f)
    }
}

fn read_csv<F>(text: &str, i: usize, f: &mut F) -> Result<Shape, String>
where
    F: for<'s, 'd> FnMut(Item<'s, 'd>) -> ControlFlow<()>,
{
    let src = text.as_bytes();
    let first_line_end = memchr::memchr(b'\n', &src[i..]).map_or(src.len(), |k| i + k);
    let header_line = &src[i..first_line_end];
    let delim = csv::sniff_delimiter(header_line);
    if !header_line.contains(&delim) {
        return Err("not JSON, and not CSV: the first line has no delimiter".into());
    }
    let mut reader = csv::Reader::new(src, i, delim);
    let mut cells = Vec::new();
    let header: Vec<String> = match reader.next_row(&mut cells) {
        Some(Ok(_)) => {
            // Hashed, with a next suffix per name: a header of a million (equal) names must
            // not take quadratic time (found by the malformed-input suite).
            let mut names: Vec<String> = Vec::new();
            let mut seen: hashbrown::HashSet<String> = hashbrown::HashSet::new();
            let mut next_dup: hashbrown::HashMap<String, usize> = hashbrown::HashMap::new();
            for (k, c) in cells.iter().enumerate() {
                let mut n = csv::cell_text(src, c).trim().to_string();
                if n.is_empty() {
                    n = format!("column{}", k + 1);
                }
                if seen.contains(&n) {
                    let base = n;
                    let dup = next_dup.entry(base.clone()).or_insert(2);
                    loop {
                        n = format!("{base}_{dup}");
                        *dup += 1;
                        if !seen.contains(&n) {
                            break;
                        }
                    }
                }
                seen.insert(n.clone());
                names.push(n);
            }
            names
        }
        Some(Err(e)) => {
            return Err(format!(
                "CSV header unreadable at line {}: {}",
                e.line, e.reason
            ))
        }
        None => return Ok(Shape::Empty),
    };
    // A first row of data (an IP, a timestamp, an epoch) means the file has no header:
    // name the columns by position and read that row as a record.
    let header = if header.iter().any(|h| looks_like_data(h)) {
        reader = csv::Reader::new(src, i, delim);
        (1..=header.len()).map(|k| format!("column{k}")).collect()
    } else {
        header
    };
    let mut header_json: Vec<String> = header
        .iter()
        .map(|h| {
            let mut s = String::new();
            json::write_str(&mut s, h);
            s
        })
        .collect();
    let mut scratch = String::new();
    let mut rec = 0u64;
    let mut mismatch = (0u64, 0u64);
    while let Some(row) = reader.next_row(&mut cells) {
        rec += 1;
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let flow = f(Item::Bad {
                    record: rec,
                    line: e.line,
                    start: e.start,
                    end: reader.pos(),
                    reason: format!("invalid CSV at line {}: {}", e.line, e.reason),
                });
                if flow.is_break() {
                    break;
                }
                continue;
            }
        };
        if cells.len() != header.len() {
            if mismatch.0 == 0 {
                mismatch.1 = row.line;
            }
            mismatch.0 += 1;
        }
        while header_json.len() < cells.len() {
            let mut s = String::new();
            json::write_str(&mut s, &format!("column{}", header_json.len() + 1));
            header_json.push(s);
        }
        scratch.clear();
        scratch.push('{');
        for (k, c) in cells.iter().enumerate() {
            if k > 0 {
                scratch.push(',');
            }
            scratch.push_str(&header_json[k]);
            scratch.push(':');
            let t = cell_str(text, c);
            let tt = t.trim();
            if ((tt.starts_with('{') && tt.ends_with('}'))
                || (tt.starts_with('[') && tt.ends_with(']')))
                && Doc::parse_str(tt).is_ok()
            {
                scratch.push_str(tt);
                continue;
            }
            json::write_str(&mut scratch, &t);
        }
        scratch.push('}');
        let doc_buf = match Doc::parse_str(&scratch) {
            Ok(d) => d,
            Err(e) => {
                let _ = f(Item::Bad {
                    record: rec,
                    line: row.line,
                    start: row.start,
                    end: row.end,
                    reason: format!("internal: row could not be represented ({e})"),
                });
                continue;
            }
        };
        let flow = f(Item::Rec(Rec {
            doc: &doc_buf,
            synthesized: Some(scratch.as_str()),
            start: row.start,
            end: row.end,
            line: row.line,
            record: rec,
        }));
        if flow.is_break() {
            break;
        }
    }
    if mismatch.0 > 0 {
        let _ = f(Item::Note(Note::ColumnMismatch(mismatch.0, mismatch.1)));
    }
    Ok(Shape::Csv(delim))
}

/// A cell's text, sliced from the (already validated) file text; `""` unescaped.
fn cell_str<'t>(text: &'t str, c: &csv::Cell) -> std::borrow::Cow<'t, str> {
    let raw = text.get(c.start..c.end).unwrap_or_default();
    if c.escaped {
        std::borrow::Cow::Owned(raw.replace("\"\"", "\""))
    } else {
        std::borrow::Cow::Borrowed(raw)
    }
}

/// A header cell never holds an address, a timestamp or an epoch; a data cell often does.
fn looks_like_data(cell: &str) -> bool {
    let c = cell.trim();
    if c.len() < 7 {
        return false;
    }
    let digits = c.bytes().filter(u8::is_ascii_digit).count();
    (c.bytes().all(|b| b.is_ascii_digit()) && c.len() >= 9)
        || (digits >= 4 && crate::model::parse_ip(c.split(',').next().unwrap_or(c)).is_some())
        || (digits >= 6 && crate::time::parse_timestamp(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headerless_delimited_text_keeps_its_first_line() {
        let (s, o) = run("10.0.0.1 | UserLoggedInEvent | alice | 1583364251067\n10.0.0.2 | UserLoggedOutEvent | alice | 1583364252067\n");
        assert_eq!(s, Shape::Csv(b'|'));
        assert_eq!(o.len(), 2, "{o:?}");
        assert!(
            matches!(&o[0], Out::R(1, 1, t) if t.contains("column2") && t.contains("UserLoggedInEvent")),
            "{:?}",
            o[0]
        );
    }

    #[test]
    fn real_headers_stay_headers() {
        let (_, o) = run("Timestamp,User,IP Address\n2024-01-15 10:30:45,a@b.c,10.0.0.1\n");
        assert_eq!(o.len(), 1);
        assert!(
            matches!(&o[0], Out::R(1, 2, t) if t.contains("\"IP Address\":\"10.0.0.1\"")),
            "{:?}",
            o[0]
        );
    }

    #[derive(Debug, PartialEq)]
    enum Out {
        R(u64, u64, String),
        B(u64, u64, String),
        N(Note),
    }

    fn run(src: &str) -> (Shape, Vec<Out>) {
        let mut out = vec![];
        let shape = read(src, 0, |it| {
            out.push(match it {
                Item::Rec(r) => {
                    let txt = match r.synthesized {
                        Some(s) => s.to_string(),
                        None => src[r.start..r.end].to_string(),
                    };
                    Out::R(r.record, r.line, txt)
                }
                Item::Bad {
                    record,
                    line,
                    reason,
                    ..
                } => Out::B(record, line, reason),
                Item::Note(n) => Out::N(n),
            });
            ControlFlow::Continue(())
        })
        .unwrap();
        (shape, out)
    }

    #[test]
    fn array_of_objects() {
        let (s, o) = run("[\n {\"a\":1},\n {\"a\":2}\n]");
        assert_eq!(s, Shape::JsonArray);
        assert_eq!(
            o,
            vec![
                Out::R(1, 2, "{\"a\":1}".into()),
                Out::R(2, 3, "{\"a\":2}".into())
            ]
        );
    }

    #[test]
    fn wrapper_with_metadata() {
        let (s, o) = run(r#"{"items":[{"a":1},{"a":2}],"page":1,"perPage":2,"total":7}"#);
        assert_eq!(s, Shape::JsonWrapped("items".into()));
        assert!(o.contains(&Out::N(Note::StatedTotal(7))));
        assert_eq!(o.iter().filter(|x| matches!(x, Out::R(..))).count(), 2);
    }

    #[test]
    fn record_with_one_list_is_not_an_envelope() {
        // CloudTrail LookupEvents output, one event per line, each with a `Resources` list.
        let line = |id: &str, res: &str| {
            format!(
                r#"{{"EventId":"{id}","EventName":"StopInstances","ReadOnly":"false","AccessKeyId":"AKIA","EventTime":"2022-02-08 09:23:37+11:00","EventSource":"ec2.amazonaws.com","Username":"u","Resources":{res},"CloudTrailEvent":"{{}}"}}"#
            )
        };
        let src = [
            line("1", "[]"),
            line(
                "2",
                r#"[{"ResourceType":"AWS::EC2::Instance","ResourceName":"i-1"}]"#,
            ),
        ]
        .join("\n");
        let (s, o) = run(&src);
        assert_eq!(s, Shape::JsonLines);
        assert_eq!(o.iter().filter(|x| matches!(x, Out::R(..))).count(), 2);
    }

    #[test]
    fn envelope_with_unknown_single_array_key() {
        let (s, _) = run(r#"{"success":true,"auditRows":[{"a":1}],"count":1}"#);
        assert_eq!(s, Shape::JsonWrapped("auditRows".into()));
    }

    #[test]
    fn single_event_with_array_of_objects_is_a_record() {
        let (s, o) = run(r#"{"eventType":"x","actor":{"id":"1"},"target":[{"id":"t"}]}"#);
        assert_eq!(s, Shape::JsonSingle);
        assert_eq!(o.len(), 1);
    }

    #[test]
    fn ndjson_with_garbage_line_and_no_trailing_newline() {
        let (s, o) = run("{\"a\":1}\n\n{\"a\":2\n{\"a\":3}");
        assert_eq!(s, Shape::JsonLines);
        assert_eq!(o[0], Out::R(1, 1, "{\"a\":1}".into()));
        assert!(
            matches!(&o[1], Out::B(2, 3, r) if r.contains("line 3")),
            "{:?}",
            o[1]
        );
        assert_eq!(o[2], Out::R(3, 4, "{\"a\":3}".into()));
    }

    #[test]
    fn concatenated_pretty_objects() {
        let (s, o) = run("{\n \"a\": 1\n}\n{\n \"a\": 2\n}\n");
        assert_eq!(s, Shape::JsonLines);
        assert_eq!(o.len(), 2);
    }

    #[test]
    fn array_recovers_after_a_bad_record() {
        let (_, o) = run("[{\"a\":1},{\"a\":tru},{\"a\":3}]");
        assert!(
            matches!(&o[1], Out::B(2, 1, r) if r.contains("column 15")),
            "{:?}",
            o[1]
        );
        assert_eq!(o[2], Out::R(3, 1, "{\"a\":3}".into()));
    }

    #[test]
    fn truncated_array_is_reported() {
        let (_, o) = run("[{\"a\":1},{\"a\":2");
        assert_eq!(o[0], Out::R(1, 1, "{\"a\":1}".into()));
        assert!(
            matches!(&o[1], Out::B(2, 1, r) if r.contains("truncated")),
            "{:?}",
            o[1]
        );
        assert_eq!(o.len(), 2);
    }

    #[test]
    fn csv_rows_become_objects_with_json_cells_embedded() {
        let src =
            "id,action,afterState\r\n1,x.y,\"{\"\"role\"\":\"\"owner\"\"}\"\r\n2,x.z,plain\r\n";
        let (s, o) = run(src);
        assert_eq!(s, Shape::Csv(b','));
        assert_eq!(
            o[0],
            Out::R(
                1,
                2,
                r#"{"id":"1","action":"x.y","afterState":{"role":"owner"}}"#.into()
            )
        );
        assert_eq!(
            o[1],
            Out::R(
                2,
                3,
                r#"{"id":"2","action":"x.z","afterState":"plain"}"#.into()
            )
        );
    }

    #[test]
    fn csv_semicolon_and_column_mismatch() {
        let (s, o) = run("a;b\n1;2;3\n4\n");
        assert_eq!(s, Shape::Csv(b';'));
        assert!(o.contains(&Out::N(Note::ColumnMismatch(2, 2))));
        assert_eq!(
            o[0],
            Out::R(1, 2, r#"{"a":"1","b":"2","column3":"3"}"#.into())
        );
    }

    #[test]
    fn not_csv() {
        assert!(read("hello world\nmore", 0, |_| ControlFlow::Continue(())).is_err());
    }
}
