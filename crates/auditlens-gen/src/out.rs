//! Hand-rolled JSON and CSV writing: the generator has no dependencies and writes each record
//! straight into a reusable byte buffer.

/// Append `s` as a JSON string literal (with quotes).
pub(crate) fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEXU[(c >> 4) as usize]);
            out.push(HEXU[(c & 15) as usize]);
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

const HEXU: &[u8] = b"0123456789ABCDEF";

/// Append `"key":`.
pub(crate) fn key(out: &mut Vec<u8>, k: &str) {
    out.push(b'"');
    out.extend_from_slice(k.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Append `"key":"value",` (note the trailing comma).
pub(crate) fn kv(out: &mut Vec<u8>, k: &str, v: &str) {
    key(out, k);
    json_str(out, v);
    out.push(b',');
}

/// Append a decimal integer.
pub(crate) fn int(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let neg = v < 0;
    let mut u = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if neg {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[i..]);
}

/// A small JSON object built as text (states, details, request parameters).
#[derive(Default)]
pub(crate) struct Obj {
    buf: Vec<u8>,
}

impl Obj {
    pub(crate) fn new() -> Obj {
        Obj {
            buf: Vec::with_capacity(96),
        }
    }

    fn sep(&mut self, k: &str) {
        self.buf.push(if self.buf.is_empty() { b'{' } else { b',' });
        key(&mut self.buf, k);
    }

    /// A string member.
    pub(crate) fn s(mut self, k: &str, v: &str) -> Obj {
        self.sep(k);
        json_str(&mut self.buf, v);
        self
    }

    /// An integer member.
    pub(crate) fn n(mut self, k: &str, v: i64) -> Obj {
        self.sep(k);
        int(&mut self.buf, v);
        self
    }

    /// A boolean member.
    pub(crate) fn b(mut self, k: &str, v: bool) -> Obj {
        self.sep(k);
        self.buf
            .extend_from_slice(if v { b"true" } else { b"false" });
        self
    }

    /// A member whose value is already JSON text.
    pub(crate) fn raw(mut self, k: &str, json: &str) -> Obj {
        self.sep(k);
        self.buf.extend_from_slice(json.as_bytes());
        self
    }

    /// A `null` member.
    pub(crate) fn null(mut self, k: &str) -> Obj {
        self.sep(k);
        self.buf.extend_from_slice(b"null");
        self
    }

    /// An array of strings.
    pub(crate) fn strs(mut self, k: &str, vs: &[&str]) -> Obj {
        self.sep(k);
        self.buf.push(b'[');
        for (i, v) in vs.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            json_str(&mut self.buf, v);
        }
        self.buf.push(b']');
        self
    }

    /// The object text (`{}` when empty).
    pub(crate) fn done(mut self) -> String {
        if self.buf.is_empty() {
            return "{}".to_string();
        }
        self.buf.push(b'}');
        // Only ever built from &str pieces and ASCII punctuation.
        String::from_utf8(self.buf).unwrap_or_default()
    }
}

/// Append one CSV field per RFC 4180: quoted (with `"` doubled) when it contains a comma, a
/// quote, CR or LF, or has leading/trailing spaces; verbatim otherwise.
pub(crate) fn csv_field(out: &mut Vec<u8>, s: &str) {
    let needs = s.bytes().any(|c| matches!(c, b',' | b'"' | b'\r' | b'\n'))
        || s.starts_with(' ')
        || s.ends_with(' ');
    if !needs {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    out.push(b'"');
    for c in s.bytes() {
        if c == b'"' {
            out.push(b'"');
        }
        out.push(c);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_json() {
        let mut v = Vec::new();
        json_str(&mut v, "a\"b\\c\nd\u{1}é");
        assert_eq!(
            String::from_utf8(v).expect("utf8"),
            "\"a\\\"b\\\\c\\nd\\u0001é\""
        );
    }

    #[test]
    fn builds_objects() {
        assert_eq!(Obj::new().done(), "{}");
        let o = Obj::new()
            .s("a", "x")
            .n("b", -3)
            .b("c", true)
            .null("d")
            .strs("e", &["p", "q"]);
        assert_eq!(
            o.done(),
            r#"{"a":"x","b":-3,"c":true,"d":null,"e":["p","q"]}"#
        );
    }

    #[test]
    fn quotes_csv() {
        let mut v = Vec::new();
        csv_field(&mut v, "plain");
        v.push(b'|');
        csv_field(&mut v, r#"{"a":"b, c"}"#);
        v.push(b'|');
        csv_field(&mut v, "");
        assert_eq!(
            String::from_utf8(v).expect("utf8"),
            r#"plain|"{""a"":""b, c""}"|"#
        );
    }
}
