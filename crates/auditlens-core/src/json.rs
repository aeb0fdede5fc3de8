//! A small, fast JSON reader that records every value as a node on a flat tape with its byte span.
//!
//! Why not `serde_json::Value`: audit exports are large (a million records), mappers read a
//! dozen fields per record, and the original bytes of each record must be kept exactly. The tape
//! parses without allocating per string (strings are decoded only when a mapper asks, and are
//! borrowed when they hold no escapes), nodes carry spans into the source, and containers carry a
//! skip pointer so that lookups jump over nested values.
//!
//! The reader is strict about structure (it reports the byte offset of the first error) and
//! bounded (nesting depth is limited, so hostile input cannot exhaust the stack).

use std::borrow::Cow;

/// Maximum nesting depth of arrays and objects.
pub const MAX_DEPTH: usize = 512;

/// The type of a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool,
    /// a number
    Num,
    /// a string
    Str,
    /// an object
    Obj,
    /// an array
    Arr,
}

/// One value on the tape.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    /// The value's type.
    pub kind: Kind,
    /// For strings: the content holds backslash escapes.
    pub esc: bool,
    /// Byte offset of the value in the source (for strings: after the opening quote).
    pub start: u32,
    /// Byte offset just past the value (for strings: at the closing quote).
    pub end: u32,
    /// Index of the next node that is not a descendant of this one.
    pub next: u32,
}

/// A parse error: byte offset into the source and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Absolute byte offset in the source.
    pub pos: usize,
    /// What was expected or found.
    pub msg: &'static str,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.msg, self.pos)
    }
}

/// A parsed JSON value: the source bytes and the tape of nodes.
#[derive(Debug, Default, Clone)]
pub struct Doc<'a> {
    src: &'a [u8],
    /// The same source as text, when known to be valid UTF-8 (strings are then sliced, not
    /// re-validated).
    text: Option<&'a str>,
    base: usize,
    nodes: Vec<Node>,
    /// Folded-key index of the root object, built on the first loose lookup.
    root_fold: std::cell::RefCell<Option<Vec<(u64, u32)>>>,
}

impl<'a> Doc<'a> {
    /// Parses exactly one JSON value spanning `src` (surrounding white space allowed).
    pub fn parse(src: &'a [u8]) -> Result<Doc<'a>, JsonError> {
        let mut d = Doc {
            src,
            text: std::str::from_utf8(src).ok(),
            base: 0,
            nodes: Vec::new(),
            root_fold: Default::default(),
        };
        let end = d.parse_at(0)?;
        let end = skip_ws(src, end);
        if end != src.len() {
            return Err(JsonError {
                pos: end,
                msg: "unexpected data after the JSON value",
            });
        }
        Ok(d)
    }

    /// [`Doc::parse`] over text (no UTF-8 re-validation).
    pub fn parse_str(src: &'a str) -> Result<Doc<'a>, JsonError> {
        let mut d = Doc::default();
        let end = d.parse_value_at_str(src, 0)?;
        let end = skip_ws(src.as_bytes(), end);
        if end != src.len() {
            return Err(JsonError {
                pos: end,
                msg: "unexpected data after the JSON value",
            });
        }
        Ok(d)
    }

    /// A hash of the root object's member names (order-sensitive): records with the same
    /// signature have the same shape.
    pub fn key_signature(&self) -> u64 {
        let root = self.root();
        if root.kind() != Kind::Obj {
            return 0;
        }
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (k, _, _) in root.raw_entries() {
            for &c in k {
                h ^= c as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            h ^= 0xff;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    }

    /// Parses one value starting at `pos` (after white space) into this doc, replacing its
    /// content; returns the offset just past the value. Reuses the node buffer.
    pub fn parse_value_at(&mut self, src: &'a [u8], pos: usize) -> Result<usize, JsonError> {
        self.text = None;
        self.parse_bytes_at(src, pos)
    }

    /// [`Doc::parse_value_at`] over text already known to be UTF-8 (faster string access).
    pub fn parse_value_at_str(&mut self, src: &'a str, pos: usize) -> Result<usize, JsonError> {
        let r = self.parse_bytes_at(src.as_bytes(), pos);
        self.text = Some(src);
        r
    }

    fn parse_bytes_at(&mut self, src: &'a [u8], pos: usize) -> Result<usize, JsonError> {
        self.src = src;
        self.nodes.clear();
        if let Some(v) = self.root_fold.get_mut() {
            v.clear();
        }
        let start = skip_ws(src, pos);
        self.base = start;
        if src.len() - start > u32::MAX as usize {
            // Spans are u32 relative to the value start; cap records at 4 GiB.
            let mut p = Parser {
                src: &src[..start + u32::MAX as usize],
                base: start,
                nodes: &mut self.nodes,
            };
            return p.value(start, 0);
        }
        let mut p = Parser {
            src,
            base: start,
            nodes: &mut self.nodes,
        };
        p.value(start, 0)
    }

    fn parse_at(&mut self, pos: usize) -> Result<usize, JsonError> {
        let (src, text) = (self.src, self.text);
        let r = self.parse_bytes_at(src, pos);
        self.text = text;
        r
    }

    /// The root value.
    pub fn root(&self) -> Val<'_, 'a> {
        Val { doc: self, idx: 0 }
    }

    /// Number of nodes on the tape.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The absolute byte range of the root value in the source.
    pub fn span(&self) -> (usize, usize) {
        match self.nodes.first() {
            Some(n) => self.abs_span(n),
            None => (self.base, self.base),
        }
    }

    fn abs_span(&self, n: &Node) -> (usize, usize) {
        let (s, e) = (self.base + n.start as usize, self.base + n.end as usize);
        if n.kind == Kind::Str {
            (s - 1, e + 1)
        } else {
            (s, e)
        }
    }
}

struct Parser<'p, 'a> {
    src: &'a [u8],
    base: usize,
    nodes: &'p mut Vec<Node>,
}

#[inline]
fn skip_ws(src: &[u8], mut i: usize) -> usize {
    while i < src.len() && matches!(src[i], b' ' | b'\n' | b'\r' | b'\t') {
        i += 1;
    }
    i
}

impl Parser<'_, '_> {
    #[inline]
    fn push(&mut self, kind: Kind, esc: bool, start: usize, end: usize) -> usize {
        let idx = self.nodes.len();
        self.nodes.push(Node {
            kind,
            esc,
            start: (start - self.base) as u32,
            end: (end - self.base) as u32,
            next: idx as u32 + 1,
        });
        idx
    }

    fn err<T>(&self, pos: usize, msg: &'static str) -> Result<T, JsonError> {
        Err(JsonError { pos, msg })
    }

    fn value(&mut self, i: usize, depth: usize) -> Result<usize, JsonError> {
        let src = self.src;
        let i = skip_ws(src, i);
        let Some(&c) = src.get(i) else {
            return self.err(i, "unexpected end of input, expected a value");
        };
        match c {
            b'{' => self.object(i, depth),
            b'[' => self.array(i, depth),
            b'"' => {
                let (end, esc) = self.string(i)?;
                self.push(Kind::Str, esc, i + 1, end);
                Ok(end + 1)
            }
            b't' => self.lit(i, b"true", Kind::Bool),
            b'f' => self.lit(i, b"false", Kind::Bool),
            b'n' => self.lit(i, b"null", Kind::Null),
            b'-' | b'0'..=b'9' => {
                let end = self.number(i)?;
                self.push(Kind::Num, false, i, end);
                Ok(end)
            }
            _ => self.err(i, "expected a JSON value"),
        }
    }

    fn lit(&mut self, i: usize, word: &[u8], kind: Kind) -> Result<usize, JsonError> {
        if self.src.get(i..i + word.len()) == Some(word) {
            self.push(kind, false, i, i + word.len());
            Ok(i + word.len())
        } else {
            self.err(i, "invalid literal")
        }
    }

    fn number(&self, mut i: usize) -> Result<usize, JsonError> {
        let s = self.src;
        let start = i;
        if s.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |mut i: usize| {
            let st = i;
            while i < s.len() && s[i].is_ascii_digit() {
                i += 1;
            }
            (i, i - st)
        };
        let (j, n) = digits(i);
        if n == 0 {
            return self.err(start, "invalid number");
        }
        i = j;
        if s.get(i) == Some(&b'.') {
            let (j, n) = digits(i + 1);
            if n == 0 {
                return self.err(i, "invalid number: digits expected after '.'");
            }
            i = j;
        }
        if matches!(s.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(s.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let (j, n) = digits(i);
            if n == 0 {
                return self.err(i, "invalid number: digits expected in exponent");
            }
            i = j;
        }
        Ok(i)
    }

    /// Scans a string starting at the opening quote; returns (offset of closing quote, has escapes).
    fn string(&self, i: usize) -> Result<(usize, bool), JsonError> {
        let s = self.src;
        let mut j = i + 1;
        let mut esc = false;
        loop {
            match memchr::memchr2(b'"', b'\\', &s[j..]) {
                None => return self.err(i, "unterminated string"),
                Some(k) => {
                    j += k;
                    if s[j] == b'"' {
                        return Ok((j, esc));
                    }
                    esc = true;
                    match s.get(j + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => j += 2,
                        Some(b'u') => {
                            let hex = s.get(j + 2..j + 6).unwrap_or(&[]);
                            if hex.len() != 4 || !hex.iter().all(u8::is_ascii_hexdigit) {
                                return self.err(j, "invalid \\u escape in string");
                            }
                            j += 6;
                        }
                        _ => return self.err(j, "invalid escape in string"),
                    }
                }
            }
        }
    }

    fn object(&mut self, i: usize, depth: usize) -> Result<usize, JsonError> {
        if depth >= MAX_DEPTH {
            return self.err(i, "nesting too deep");
        }
        let me = self.push(Kind::Obj, false, i, i);
        let src = self.src;
        let mut j = skip_ws(src, i + 1);
        if src.get(j) == Some(&b'}') {
            return Ok(self.close(me, j + 1));
        }
        loop {
            if src.get(j) != Some(&b'"') {
                return self.err(j, "expected a string key in object");
            }
            let (end, esc) = self.string(j)?;
            self.push(Kind::Str, esc, j + 1, end);
            j = skip_ws(src, end + 1);
            if src.get(j) != Some(&b':') {
                return self.err(j, "expected ':' after object key");
            }
            j = self.value(j + 1, depth + 1)?;
            j = skip_ws(src, j);
            match src.get(j) {
                Some(b',') => j = skip_ws(src, j + 1),
                Some(b'}') => return Ok(self.close(me, j + 1)),
                Some(_) => return self.err(j, "expected ',' or '}' in object"),
                None => return self.err(j, "unexpected end of input inside an object"),
            }
        }
    }

    fn array(&mut self, i: usize, depth: usize) -> Result<usize, JsonError> {
        if depth >= MAX_DEPTH {
            return self.err(i, "nesting too deep");
        }
        let me = self.push(Kind::Arr, false, i, i);
        let src = self.src;
        let mut j = skip_ws(src, i + 1);
        if src.get(j) == Some(&b']') {
            return Ok(self.close(me, j + 1));
        }
        loop {
            j = self.value(j, depth + 1)?;
            j = skip_ws(src, j);
            match src.get(j) {
                Some(b',') => j += 1,
                Some(b']') => return Ok(self.close(me, j + 1)),
                Some(_) => return self.err(j, "expected ',' or ']' in array"),
                None => return self.err(j, "unexpected end of input inside an array"),
            }
        }
    }

    fn close(&mut self, me: usize, end: usize) -> usize {
        let next = self.nodes.len() as u32;
        let n = &mut self.nodes[me];
        n.end = (end - self.base) as u32;
        n.next = next;
        end
    }
}

/// A reference to one value of a [`Doc`].
#[derive(Clone, Copy)]
pub struct Val<'d, 'a> {
    doc: &'d Doc<'a>,
    idx: u32,
}

impl std::fmt::Debug for Val<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", String::from_utf8_lossy(self.raw()))
    }
}

impl<'d, 'a> Val<'d, 'a> {
    fn node(&self) -> &'d Node {
        &self.doc.nodes[self.idx as usize]
    }

    /// The value's type.
    pub fn kind(&self) -> Kind {
        self.node().kind
    }

    /// The exact source bytes of the value (strings include their quotes).
    pub fn raw(&self) -> &'a [u8] {
        let (s, e) = self.doc.abs_span(self.node());
        &self.doc.src[s..e]
    }

    /// The absolute byte span of the value in the source.
    pub fn span(&self) -> (usize, usize) {
        self.doc.abs_span(self.node())
    }

    /// Is this `null`?
    pub fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    /// The decoded string, if this is a string (borrowed when it has no escapes).
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        let n = self.node();
        if n.kind != Kind::Str {
            return None;
        }
        let (s, e) = (
            self.doc.base + n.start as usize,
            self.doc.base + n.end as usize,
        );
        if !n.esc {
            if let Some(t) = self.doc.text.and_then(|t| t.get(s..e)) {
                return Some(Cow::Borrowed(t));
            }
        }
        let b = &self.doc.src[s..e];
        if !n.esc {
            return match std::str::from_utf8(b) {
                Ok(s) => Some(Cow::Borrowed(s)),
                Err(_) => Some(Cow::Owned(String::from_utf8_lossy(b).into_owned())),
            };
        }
        Some(Cow::Owned(unescape(b)))
    }

    /// Text of a scalar: strings decoded, numbers and booleans as written; `None` for null and
    /// containers.
    pub fn as_text(&self) -> Option<Cow<'a, str>> {
        match self.kind() {
            Kind::Str => self.as_str(),
            Kind::Num | Kind::Bool => std::str::from_utf8(self.raw()).ok().map(Cow::Borrowed),
            _ => None,
        }
    }

    /// A number (also from a numeric string).
    pub fn as_f64(&self) -> Option<f64> {
        match self.kind() {
            Kind::Num => std::str::from_utf8(self.raw()).ok()?.parse().ok(),
            Kind::Str => self.as_str()?.trim().parse().ok(),
            _ => None,
        }
    }

    /// A boolean (also from the strings "true"/"false").
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind() {
            Kind::Bool => Some(self.raw() == b"true"),
            Kind::Str => match self.as_str()?.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The member `key` of an object (exact match; the first one if duplicated).
    pub fn get(&self, key: &str) -> Option<Val<'d, 'a>> {
        let kb = key.as_bytes();
        self.raw_entries()
            .find(|(k, esc, _)| if *esc { unescape(k) == key } else { *k == kb })
            .map(|(_, _, v)| v)
    }

    /// Members as (raw key bytes without quotes, key has escapes, value), without decoding.
    fn raw_entries(&self) -> impl Iterator<Item = (&'a [u8], bool, Val<'d, 'a>)> + 'd {
        let doc = self.doc;
        let mut it = self.entries_idx();
        std::iter::from_fn(move || {
            let (ki, vi) = it.next()?;
            let n = &doc.nodes[ki as usize];
            let k = &doc.src[doc.base + n.start as usize..doc.base + n.end as usize];
            Some((k, n.esc, Val { doc, idx: vi }))
        })
    }

    fn entries_idx(&self) -> impl Iterator<Item = (u32, u32)> + 'd {
        let doc = self.doc;
        let n = self.node();
        let (mut i, end) = if n.kind == Kind::Obj {
            (self.idx + 1, n.next)
        } else {
            (0, 0)
        };
        std::iter::from_fn(move || {
            if i >= end {
                return None;
            }
            let k = i;
            i = doc.nodes[i as usize + 1].next;
            Some((k, k + 1))
        })
    }

    /// Looks up a dotted path (`userIdentity.sessionContext.mfaAuthenticated`); array elements
    /// can be addressed by index (`sourceIPs.0`).
    pub fn path(&self, path: &str) -> Option<Val<'d, 'a>> {
        let mut v = *self;
        for seg in path.split('.') {
            v = v.step(seg)?;
        }
        Some(v)
    }

    /// Looks up a path given as segments (keys may contain dots).
    pub fn path_segs<S: AsRef<str>>(&self, segs: &[S]) -> Option<Val<'d, 'a>> {
        let mut v = *self;
        for seg in segs {
            v = v.step(seg.as_ref())?;
        }
        Some(v)
    }

    fn step(&self, seg: &str) -> Option<Val<'d, 'a>> {
        match self.kind() {
            Kind::Obj => self.get(seg),
            Kind::Arr => self.elements().nth(seg.parse().ok()?),
            _ => None,
        }
    }

    /// Case- and punctuation-insensitive member lookup: `ip_address`, `IP Address` and
    /// `ipAddress` all match the name `ipaddress`. `name` must already be folded with [`fold_key`].
    pub fn get_folded(&self, name: &str) -> Option<Val<'d, 'a>> {
        if self.idx == 0 && self.kind() == Kind::Obj {
            // Mappers query the root object many times: index its folded keys once.
            let doc = self.doc;
            let mut cache = doc.root_fold.borrow_mut();
            let idx = cache.get_or_insert_with(Vec::new);
            if idx.is_empty() {
                for (k, esc, v) in self.raw_entries() {
                    let h = if esc {
                        fold_hash(fold_key(&unescape(k)).as_bytes())
                    } else {
                        fold_hash_raw(k)
                    };
                    idx.push((h, v.idx));
                }
                if idx.is_empty() {
                    idx.push((0, u32::MAX));
                }
            }
            let h = fold_hash(name.as_bytes());
            return idx
                .iter()
                .find(|(kh, vi)| *kh == h && *vi != u32::MAX)
                .map(|(_, vi)| Val { doc, idx: *vi });
        }
        self.raw_entries()
            .find(|(k, esc, _)| {
                if *esc {
                    folded_eq(&unescape(k), name)
                } else {
                    folded_eq_bytes(k, name.as_bytes())
                }
            })
            .map(|(_, _, v)| v)
    }

    /// Iterates over the members of an object (empty for other kinds).
    pub fn entries(&self) -> Entries<'d, 'a> {
        let n = self.node();
        let (i, end) = if n.kind == Kind::Obj {
            (self.idx + 1, n.next)
        } else {
            (0, 0)
        };
        Entries {
            doc: self.doc,
            i,
            end,
        }
    }

    /// Iterates over the elements of an array (empty for other kinds).
    pub fn elements(&self) -> Elements<'d, 'a> {
        let n = self.node();
        let (i, end) = if n.kind == Kind::Arr {
            (self.idx + 1, n.next)
        } else {
            (0, 0)
        };
        Elements {
            doc: self.doc,
            i,
            end,
        }
    }

    /// Number of members or elements.
    pub fn len(&self) -> usize {
        match self.kind() {
            Kind::Obj => self.entries().count(),
            Kind::Arr => self.elements().count(),
            _ => 0,
        }
    }

    /// True for an empty container, an empty string or null.
    pub fn is_empty(&self) -> bool {
        match self.kind() {
            Kind::Obj | Kind::Arr => self.len() == 0,
            Kind::Str => self.node().start == self.node().end,
            Kind::Null => true,
            _ => false,
        }
    }
}

/// Iterator over object members.
pub struct Entries<'d, 'a> {
    doc: &'d Doc<'a>,
    i: u32,
    end: u32,
}

impl<'d, 'a> Iterator for Entries<'d, 'a> {
    type Item = (Cow<'a, str>, Val<'d, 'a>);
    fn next(&mut self) -> Option<Self::Item> {
        if self.i >= self.end {
            return None;
        }
        let k = Val {
            doc: self.doc,
            idx: self.i,
        };
        let v = Val {
            doc: self.doc,
            idx: self.i + 1,
        };
        self.i = self.doc.nodes[self.i as usize + 1].next;
        Some((k.as_str().unwrap_or_default(), v))
    }
}

/// Iterator over array elements.
pub struct Elements<'d, 'a> {
    doc: &'d Doc<'a>,
    i: u32,
    end: u32,
}

impl<'d, 'a> Iterator for Elements<'d, 'a> {
    type Item = Val<'d, 'a>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.i >= self.end {
            return None;
        }
        let v = Val {
            doc: self.doc,
            idx: self.i,
        };
        self.i = self.doc.nodes[self.i as usize].next;
        Some(v)
    }
}

/// Decodes JSON string content (without quotes). Invalid surrogates become U+FFFD.
pub fn unescape(b: &[u8]) -> String {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = b.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'u' => {
                let hex = |at: usize| -> Option<u32> {
                    let h = b.get(at..at + 4)?;
                    u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
                };
                let mut cp = hex(i).unwrap_or(0xFFFD);
                i += 4;
                if (0xD800..0xDC00).contains(&cp)
                    && b.get(i) == Some(&b'\\')
                    && b.get(i + 1) == Some(&b'u')
                {
                    if let Some(lo) = hex(i + 2).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
            other => out.push(other),
        }
    }
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Folds a key for loose matching: lower-case ASCII letters and digits only.
pub fn fold_key(k: &str) -> String {
    k.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// FNV-1a of already folded bytes.
fn fold_hash(folded: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in folded {
        h ^= c as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// FNV-1a of a raw key, folded on the fly (ASCII); non-ASCII keys fold via [`fold_key`].
fn fold_hash_raw(key: &[u8]) -> u64 {
    if !key.is_ascii() {
        return fold_hash(
            std::str::from_utf8(key)
                .map(fold_key)
                .unwrap_or_default()
                .as_bytes(),
        );
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in key {
        if c.is_ascii_alphanumeric() {
            h ^= c.to_ascii_lowercase() as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// [`folded_eq`] over raw (UTF-8) key bytes.
#[inline]
pub fn folded_eq_bytes(key: &[u8], folded: &[u8]) -> bool {
    // Fast reject: the first alphanumeric byte must match.
    let mut f = folded.iter();
    for &c in key {
        if c.is_ascii_alphanumeric() {
            if Some(&c.to_ascii_lowercase()) != f.next() {
                return false;
            }
        } else if !c.is_ascii() {
            return std::str::from_utf8(key).is_ok_and(|k| fold_key(k).as_bytes() == folded);
        }
    }
    f.next().is_none()
}

/// Compares a raw key with an already folded name without allocating.
pub fn folded_eq(key: &str, folded: &str) -> bool {
    let mut f = folded.bytes();
    for c in key.bytes() {
        if c.is_ascii_alphanumeric() {
            if Some(c.to_ascii_lowercase()) != f.next() {
                return false;
            }
        } else if !c.is_ascii() {
            return fold_key(key) == folded;
        }
    }
    f.next().is_none()
}

/// Writes `s` as a JSON string literal (with quotes) into `out`.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    // Fast path: nothing to escape (no quote, backslash, control or line-separator character).
    if !s
        .bytes()
        .any(|b| b == b'"' || b == b'\\' || b < 0x20 || b == 0xE2)
    {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Finds the end of the JSON value starting at `i` without building a tape (brackets and
/// strings only; used to skip large values quickly). Returns `None` when unterminated.
pub fn skip_value(src: &[u8], i: usize) -> Option<usize> {
    let i = skip_ws(src, i);
    match *src.get(i)? {
        b'"' => {
            let mut j = i + 1;
            loop {
                let k = memchr::memchr2(b'"', b'\\', src.get(j..)?)?;
                j += k;
                if src[j] == b'\\' {
                    j += 2;
                } else {
                    return Some(j + 1);
                }
            }
        }
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < src.len() {
                match src[j] {
                    b'"' => {
                        j = skip_value(src, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < src.len()
                && !matches!(src[j], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
            {
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_and_keeps_spans() {
        let src = br#" {"a": [1, -2.5e3, "x\"y"], "b": {"c": null, "d": true}, "e": ""} "#;
        let d = Doc::parse(src).unwrap();
        let r = d.root();
        assert_eq!(r.kind(), Kind::Obj);
        let a = r.get("a").unwrap();
        let els: Vec<_> = a.elements().collect();
        assert_eq!(els.len(), 3);
        assert_eq!(els[1].as_f64(), Some(-2500.0));
        assert_eq!(els[2].as_str().unwrap(), "x\"y");
        assert_eq!(els[2].raw(), br#""x\"y""#);
        assert!(r.path("b.c").unwrap().is_null());
        assert_eq!(r.path("b.d").unwrap().as_bool(), Some(true));
        assert_eq!(r.path("a.0").unwrap().as_f64(), Some(1.0));
        assert_eq!(r.get("e").unwrap().as_str().unwrap(), "");
        assert_eq!(r.entries().count(), 3);
        assert_eq!(r.raw(), &src[1..src.len() - 1]);
    }

    #[test]
    fn unicode_escapes_and_surrogates() {
        let d = Doc::parse(br#""\u00e9\ud83d\ude00\u2013 \n""#).unwrap();
        assert_eq!(d.root().as_str().unwrap(), "é😀– \n");
    }

    #[test]
    fn errors_have_positions() {
        let e = Doc::parse(br#"{"a": 1,}"#).unwrap_err();
        assert_eq!(e.pos, 8);
        assert!(Doc::parse(br#"{"a" 1}"#).is_err());
        assert!(Doc::parse(br#"[1 2]"#).is_err());
        assert!(Doc::parse(br#""abc"#).is_err());
        assert!(Doc::parse(br#"{"a":tru}"#).is_err());
        assert!(Doc::parse(br#"01.e"#).is_err());
        assert!(Doc::parse(b"{} x").is_err());
        assert!(Doc::parse(br#"["\x"]"#).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "[".repeat(100_000);
        let e = Doc::parse(s.as_bytes()).unwrap_err();
        assert_eq!(e.msg, "nesting too deep");
    }

    #[test]
    fn loose_keys() {
        let d = Doc::parse(br#"{"IP Address": "1.2.3.4", "user_agent": "x"}"#).unwrap();
        assert_eq!(
            d.root().get_folded("ipaddress").unwrap().as_str().unwrap(),
            "1.2.3.4"
        );
        assert_eq!(
            d.root().get_folded("useragent").unwrap().as_str().unwrap(),
            "x"
        );
        assert!(d.root().get_folded("ip").is_none());
        assert_eq!(fold_key("Event ID"), "eventid");
    }

    #[test]
    fn parse_value_at_reuses_buffer() {
        let src = br#"[{"a":1}, {"b":[2,3]}]"#;
        let mut d = Doc::default();
        let end = d.parse_value_at(src, 1).unwrap();
        assert_eq!(&src[1..end], br#"{"a":1}"#);
        let end2 = d.parse_value_at(src, end + 1).unwrap();
        assert_eq!(&src[end + 2..end2], br#"{"b":[2,3]}"#);
        assert_eq!(d.root().path("b.1").unwrap().as_f64(), Some(3.0));
    }

    #[test]
    fn skip_value_matches_parser() {
        let src = br#"{"a":"]}\"","b":[1,{"c":2}]} rest"#;
        let end = skip_value(src, 0).unwrap();
        assert_eq!(&src[end..], b" rest");
        assert_eq!(skip_value(b"123,", 0), Some(3));
        assert_eq!(skip_value(b"[1,2", 0), None);
    }

    #[test]
    fn write_str_escapes() {
        let mut s = String::new();
        write_str(&mut s, "a\"b\\\n\u{1}");
        assert_eq!(s, r#""a\"b\\\n\u0001""#);
        assert_eq!(
            Doc::parse(s.as_bytes()).unwrap().root().as_str().unwrap(),
            "a\"b\\\n\u{1}"
        );
    }
}
