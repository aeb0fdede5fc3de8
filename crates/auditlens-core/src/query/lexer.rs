//! The tokenizer. It is context-aware (a value after `field:` may contain `:` and `/`, as in
//! `ip:2001:db8::/32`) and total: every input becomes a token list, with problems such as an
//! unterminated quote reported as [`Tok::Error`] tokens for the parser to turn into errors and
//! for the highlighter to colour.
//!
//! Modes:
//! - *normal*: operators, keywords, `field` + operator, free-text words, phrases, regexes;
//! - *value* (one token after an operator): a bare value runs to white space, `(`, `)`, `"`,
//!   `|` or `&&`, so it may contain `:`, `/`, `<`, `*`…; or a phrase, regex, `(` group or
//!   `[`/`{` range;
//! - *group* (`field:( … )`): like normal, but words are values and there are no fields;
//! - *range* (`[a TO b]`): values, phrases and `TO` up to `]` or `}`;
//! - *pipe* (after a single `|`): words and commas.

/// An operator between a field and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldOp {
    /// `:`
    Colon,
    /// `=` (same as `:`)
    Eq,
    /// `!=` (negated `:`)
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
}

/// Token kinds. Word-like tokens keep their text in the source span (still escaped), so that
/// the parser can tell an escaped `\*` from a wildcard `*`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    LParen,
    RParen,
    /// `AND` or `&&`.
    And,
    /// `OR` or `||`.
    Or,
    /// `NOT` or `!`.
    Not,
    /// `-` directly before a term.
    Minus,
    /// A single `|`.
    Pipe,
    /// `,` in a pipe stage.
    Comma,
    /// `TO` inside a range.
    To,
    /// A field path directly before an operator, segments unescaped.
    Field(Vec<String>),
    Op(FieldOp),
    /// A free-text word.
    Word,
    /// A bare value (after an operator, in a value group or in a range).
    Value,
    /// A quoted phrase, unescaped.
    Phrase(String),
    /// A `/regex/`, with `\/` unescaped.
    Regex(String),
    /// `[` (true) or `{` (false).
    RangeOpen(bool),
    /// `]` (true) or `}` (false).
    RangeClose(bool),
    /// A word in a pipe stage.
    PipeWord,
    /// Something the lexer couldn't read.
    Error {
        message: String,
        expected: &'static str,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
    /// White space (or the start of input) directly before the token.
    pub ws_before: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    Group(usize),
    Pipe,
}

/// Characters of a bare field-path segment (`userIdentity`, `@timestamp`, `x-request-id`).
pub(crate) fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '$' | '#')
}

/// Field names start with a letter (or `_`, `@`, `$`), never a digit: that way IPv6
/// addresses and times (`2001:db8::1`, `12:00`) typed as free text aren't read as fields.
pub(crate) fn is_path_start(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '_' | '@' | '$')
}

/// Tokenizes a whole query. Never fails and always terminates: every step consumes input or
/// leaves a mode (modes only ever unwind).
pub(crate) fn lex(src: &str) -> Vec<Token> {
    let mut lx = Lexer {
        src,
        pos: 0,
        out: Vec::new(),
        mode: Mode::Normal,
        pending_value: false,
        in_range: false,
    };
    lx.run();
    lx.out
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    out: Vec<Token>,
    mode: Mode,
    pending_value: bool,
    in_range: bool,
}

impl Lexer<'_> {
    fn run(&mut self) {
        loop {
            let ws = self.skip_ws();
            let Some(c) = self.peek() else { break };
            let before = (self.pos, self.pending_value, self.in_range, self.mode);
            if self.in_range {
                self.range_item(c, ws);
            } else if std::mem::take(&mut self.pending_value) {
                self.value_start(c, ws);
            } else {
                match self.mode {
                    Mode::Normal => self.normal(c, ws),
                    Mode::Group(depth) => self.group(c, ws, depth),
                    Mode::Pipe => self.pipe(c, ws),
                }
            }
            if (self.pos, self.pending_value, self.in_range, self.mode) == before {
                // Defensive: no step may stall. Unreachable by construction.
                let end = self.pos + c.len_utf8();
                self.error(self.pos, end, ws, format!("unexpected '{c}'"), "a term");
            }
        }
    }

    fn rest(&self) -> &str {
        self.src.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn skip_ws(&mut self) -> bool {
        let n = self.rest().len() - self.rest().trim_start().len();
        self.pos += n;
        n > 0 || self.pos == 0
    }

    fn push(&mut self, tok: Tok, start: usize, end: usize, ws_before: bool) {
        self.out.push(Token {
            tok,
            start,
            end,
            ws_before,
        });
        self.pos = end;
    }

    fn single(&mut self, tok: Tok, len: usize, ws: bool) {
        self.push(tok, self.pos, self.pos + len, ws);
    }

    fn error(
        &mut self,
        start: usize,
        end: usize,
        ws: bool,
        message: String,
        expected: &'static str,
    ) {
        self.push(Tok::Error { message, expected }, start, end, ws);
    }

    fn normal(&mut self, c: char, ws: bool) {
        match c {
            '(' => self.single(Tok::LParen, 1, ws),
            ')' => self.single(Tok::RParen, 1, ws),
            '|' if self.rest().starts_with("||") => self.single(Tok::Or, 2, ws),
            '|' => {
                self.single(Tok::Pipe, 1, ws);
                self.mode = Mode::Pipe;
            }
            '&' if self.rest().starts_with("&&") => self.single(Tok::And, 2, ws),
            '!' => self.single(Tok::Not, 1, ws),
            '-' if self.peek2().is_some_and(|n| !n.is_whitespace()) => {
                self.single(Tok::Minus, 1, ws)
            }
            '"' => self.quoted(ws, '"'),
            '/' => self.quoted(ws, '/'),
            _ => {
                if let Some((segs, path_end, op, op_end)) = self.scan_field() {
                    let start = self.pos;
                    let op_start = op_end - op_len(op);
                    self.push(Tok::Field(segs), start, path_end, ws);
                    self.push(Tok::Op(op), op_start, op_end, false);
                    self.pending_value = true;
                } else {
                    self.word(Tok::Word, ws, &[], true);
                }
            }
        }
    }

    fn value_start(&mut self, c: char, ws: bool) {
        match c {
            '(' => {
                self.single(Tok::LParen, 1, ws);
                self.mode = Mode::Group(1);
            }
            '[' | '{' => {
                self.single(Tok::RangeOpen(c == '['), 1, ws);
                self.in_range = true;
            }
            '"' => self.quoted(ws, '"'),
            '/' => self.quoted(ws, '/'),
            // No value here: the parser reports it.
            ')' | '|' => {}
            '&' if self.rest().starts_with("&&") => {}
            // After `field: ` a keyword is a missing value, not the value "AND".
            _ => self.word(Tok::Value, ws, &[], ws),
        }
    }

    fn group(&mut self, c: char, ws: bool, depth: usize) {
        match c {
            '(' => {
                self.single(Tok::LParen, 1, ws);
                self.mode = Mode::Group(depth + 1);
            }
            ')' => {
                self.single(Tok::RParen, 1, ws);
                self.mode = if depth <= 1 {
                    Mode::Normal
                } else {
                    Mode::Group(depth - 1)
                };
            }
            '|' if self.rest().starts_with("||") => self.single(Tok::Or, 2, ws),
            '|' => {
                self.single(Tok::Pipe, 1, ws);
                self.mode = Mode::Pipe;
            }
            '&' if self.rest().starts_with("&&") => self.single(Tok::And, 2, ws),
            '!' => self.single(Tok::Not, 1, ws),
            '-' if self.peek2().is_some_and(|n| !n.is_whitespace()) => {
                self.single(Tok::Minus, 1, ws)
            }
            '"' => self.quoted(ws, '"'),
            '/' => self.quoted(ws, '/'),
            '[' | '{' => {
                self.single(Tok::RangeOpen(c == '['), 1, ws);
                self.in_range = true;
            }
            _ => self.word(Tok::Value, ws, &[], true),
        }
    }

    fn range_item(&mut self, c: char, ws: bool) {
        match c {
            ']' | '}' => {
                self.single(Tok::RangeClose(c == ']'), 1, ws);
                self.in_range = false;
            }
            // Leave the range; the parser reports the missing bracket.
            '(' | ')' | '|' => self.in_range = false,
            '"' => self.quoted(ws, '"'),
            _ => self.word(Tok::Value, ws, &[']', '}'], false),
        }
    }

    fn pipe(&mut self, c: char, ws: bool) {
        match c {
            ',' => self.single(Tok::Comma, 1, ws),
            '|' => self.single(Tok::Pipe, 1, ws),
            _ => {
                let start = self.pos;
                let mut it = self.rest().char_indices().peekable();
                let mut end = self.src.len();
                while let Some((i, ch)) = it.next() {
                    if ch.is_whitespace() || ch == ',' || ch == '|' {
                        end = start + i;
                        break;
                    }
                    if ch == '"' {
                        // A quoted raw-path segment: skip to its closing quote.
                        let mut closed = false;
                        while let Some((_, q)) = it.next() {
                            if q == '\\' {
                                it.next();
                            } else if q == '"' {
                                closed = true;
                                break;
                            }
                        }
                        if !closed {
                            let len = self.src.len();
                            self.error(start, len, ws, "unterminated quote".into(), "closing \"");
                            return;
                        }
                    }
                }
                self.push(Tok::PipeWord, start, end, ws);
            }
        }
    }

    /// A bare word up to white space, `(`, `)`, `"`, `|`, `&&` or one of `stop`. Backslash
    /// escapes the next character. With `keywords`, `AND`/`OR`/`NOT` become operators (and in
    /// a range, `TO` always does).
    fn word(&mut self, kind: Tok, ws: bool, stop: &[char], keywords: bool) {
        let start = self.pos;
        let rest = self.rest();
        let mut end = self.src.len();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                if chars.next().is_none() {
                    let len = self.src.len();
                    self.error(
                        start + i,
                        len,
                        ws && i == 0,
                        "a backslash at the end of the query escapes nothing".into(),
                        "a character after \\",
                    );
                    if i > 0 {
                        // Keep the word before the backslash as its own token.
                        self.out.insert(
                            self.out.len() - 1,
                            Token {
                                tok: kind,
                                start,
                                end: start + i,
                                ws_before: ws,
                            },
                        );
                    }
                    return;
                }
                continue;
            }
            let ends = c.is_whitespace()
                || matches!(c, '(' | ')' | '"' | '|')
                || stop.contains(&c)
                || (c == '&' && rest[i..].starts_with("&&"));
            if ends {
                end = start + i;
                break;
            }
        }
        if end == start {
            return; // Nothing to read; the caller's mode change (or the stall guard) moves on.
        }
        let text = &self.src[start..end];
        let tok = match text {
            "TO" if !stop.is_empty() => Tok::To,
            "AND" if keywords => Tok::And,
            "OR" if keywords => Tok::Or,
            "NOT" if keywords => Tok::Not,
            _ => kind,
        };
        self.push(tok, start, end, ws);
    }

    /// A `"phrase"` or `/regex/` starting at the current position.
    fn quoted(&mut self, ws: bool, q: char) {
        let start = self.pos;
        match scan_quoted(self.src, start, q) {
            Some((text, end)) => {
                let tok = if q == '"' {
                    Tok::Phrase(text)
                } else {
                    Tok::Regex(text)
                };
                self.push(tok, start, end, ws);
            }
            None => {
                let len = self.src.len();
                let (message, expected) = if q == '"' {
                    ("unterminated quoted phrase", "closing \"")
                } else {
                    ("unterminated regex", "closing /")
                };
                self.error(start, len, ws, message.into(), expected);
            }
        }
    }

    /// `path` [white space] `op`, at the current position: returns the unescaped segments, the
    /// end of the path, the operator and the end of the operator.
    fn scan_field(&self) -> Option<(Vec<String>, usize, FieldOp, usize)> {
        let (segs, path_end) = scan_path(self.src, self.pos)?;
        let after = &self.src[path_end..];
        let op_at = path_end + (after.len() - after.trim_start().len());
        let rest = &self.src[op_at..];
        let op = [
            (">=", FieldOp::Ge),
            ("<=", FieldOp::Le),
            ("!=", FieldOp::Ne),
            (">", FieldOp::Gt),
            ("<", FieldOp::Lt),
            (":", FieldOp::Colon),
            ("=", FieldOp::Eq),
        ]
        .into_iter()
        .find(|(s, _)| rest.starts_with(s))?;
        Some((segs, path_end, op.1, op_at + op.0.len()))
    }
}

fn op_len(op: FieldOp) -> usize {
    match op {
        FieldOp::Ge | FieldOp::Le | FieldOp::Ne => 2,
        _ => 1,
    }
}

/// A dotted field path at `start`: bare segments of [`is_path_char`], and after the first, also
/// quoted segments (`raw.annotations."authorization.k8s.io/decision"`). Returns the unescaped
/// segments and the end of the path.
pub(crate) fn scan_path(src: &str, start: usize) -> Option<(Vec<String>, usize)> {
    let mut i = start;
    let mut segs = Vec::new();
    loop {
        let rest = src.get(i..)?;
        let first = rest.chars().next()?;
        if first == '"' && !segs.is_empty() {
            let (text, end) = scan_quoted(src, i, '"')?;
            segs.push(text);
            i = end;
        } else {
            if segs.is_empty() && !is_path_start(first) {
                return None;
            }
            let n: usize = rest
                .chars()
                .take_while(|c| is_path_char(*c))
                .map(char::len_utf8)
                .sum();
            if n == 0 {
                return None;
            }
            segs.push(rest[..n].to_string());
            i += n;
        }
        if src[i..].starts_with('.') {
            i += 1;
        } else {
            return Some((segs, i));
        }
    }
}

/// A quoted string starting with `q` at `start`; returns the unescaped text and the end.
/// In phrases (`"`) `\"` and `\\` are escapes; in regexes (`/`) only `\/` is, and other
/// backslash pairs are kept for the regex engine. `None` if unterminated.
fn scan_quoted(src: &str, start: usize, q: char) -> Option<(String, usize)> {
    let mut out = String::new();
    let body = src.get(start + q.len_utf8()..)?;
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            let (_, n) = chars.next()?;
            if n == q || (q == '"' && n == '\\') {
                out.push(n);
            } else {
                out.push('\\');
                out.push(n);
            }
        } else if c == q {
            return Some((out, start + q.len_utf8() + i + 1));
        } else {
            out.push(c);
        }
    }
    None
}

/// Unescapes a bare word: `\x` → `x`.
pub(crate) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Tok, &str)> {
        lex(src)
            .into_iter()
            .map(|t| {
                let text = &src[t.start..t.end];
                (t.tok, text)
            })
            .collect()
    }

    #[test]
    fn field_values_keep_colons_and_slashes() {
        let k = kinds("ip:2001:db8::/32 x");
        assert_eq!(k[0], (Tok::Field(vec!["ip".into()]), "ip"));
        assert_eq!(k[1], (Tok::Op(FieldOp::Colon), ":"));
        assert_eq!(k[2], (Tok::Value, "2001:db8::/32"));
        assert_eq!(k[3], (Tok::Word, "x"));
    }

    #[test]
    fn operators_and_keywords() {
        let k: Vec<Tok> = kinds("a AND b && c OR d || !e -f NOT g - h and")
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        use Tok::*;
        assert_eq!(
            k,
            vec![
                Word, And, Word, And, Word, Or, Word, Or, Not, Word, Minus, Word, Not, Word, Word,
                Word, Word
            ]
        );
    }

    #[test]
    fn quoted_segments_and_escapes() {
        let k = kinds(r#"raw.annotations."authorization.k8s.io/decision":allow"#);
        assert_eq!(
            k[0].0,
            Tok::Field(vec![
                "raw".into(),
                "annotations".into(),
                "authorization.k8s.io/decision".into()
            ])
        );
        assert_eq!(k[2], (Tok::Value, "allow"));
        let k = kinds(r#""a \"b\" \\ \n" /x\/y\d/"#);
        assert_eq!(k[0].0, Tok::Phrase(r#"a "b" \ \n"#.into()));
        assert_eq!(k[1].0, Tok::Regex(r"x/y\d".into()));
        assert_eq!(unescape(r"a\ b\:c\\"), r"a b:c\");
    }

    #[test]
    fn ranges_groups_and_pipes() {
        let k: Vec<Tok> = kinds(
            "time:[2026-02-01 12:00 TO *} actor:(a OR \"b c\") | stats count by ip, raw.\"x y\"",
        )
        .into_iter()
        .map(|(t, _)| t)
        .collect();
        use Tok::*;
        assert_eq!(
            k,
            vec![
                Field(vec!["time".into()]),
                Op(FieldOp::Colon),
                RangeOpen(true),
                Value,
                Value,
                To,
                Value,
                RangeClose(false),
                Field(vec!["actor".into()]),
                Op(FieldOp::Colon),
                LParen,
                Value,
                Or,
                Phrase("b c".into()),
                RParen,
                Pipe,
                PipeWord,
                PipeWord,
                PipeWord,
                PipeWord,
                Comma,
                PipeWord,
            ]
        );
    }

    #[test]
    fn comparison_operators() {
        for (src, op) in [
            ("a>1", FieldOp::Gt),
            ("a>=1", FieldOp::Ge),
            ("a<1", FieldOp::Lt),
            ("a<=1", FieldOp::Le),
            ("a=1", FieldOp::Eq),
            ("a!=1", FieldOp::Ne),
            ("a : 1", FieldOp::Colon),
        ] {
            assert_eq!(kinds(src)[1].0, Tok::Op(op), "{src}");
            assert_eq!(kinds(src)[2].1, "1", "{src}");
        }
    }

    #[test]
    fn errors_are_tokens() {
        assert!(matches!(kinds("\"abc")[0].0, Tok::Error { .. }));
        assert!(matches!(kinds("/abc")[0].0, Tok::Error { .. }));
        let k = kinds(r"abc\");
        assert_eq!(k[0], (Tok::Word, "abc"));
        assert!(matches!(k[1].0, Tok::Error { .. }));
        assert!(matches!(kinds("| top raw.\"x")[2].0, Tok::Error { .. }));
    }
}
