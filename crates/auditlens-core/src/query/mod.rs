//! The query language: a Kibana/Lucene-like filter with an optional aggregation stage.
//!
//! This module is the front end only — lexer, parser, AST, errors, field table and
//! highlighting. Evaluation against the index lives elsewhere and consumes [`Query`].
//!
//! ```
//! use auditlens_core::query::{parse, Expr, Pipe};
//!
//! let q = parse("user:alice* AND NOT outcome:success ip:10.0.0.0/8 | top 5 action").unwrap();
//! assert!(matches!(q.expr, Expr::And(_)));
//! assert!(matches!(q.pipe, Some(Pipe::Top { n: 5, .. })));
//! // Printing gives canonical query text that parses back to the same AST.
//! assert_eq!(
//!     q.to_string(),
//!     "actor:alice* AND NOT outcome:success AND src_ip:10.0.0.0/8 | top 5 action"
//! );
//! assert_eq!(parse(&q.to_string()).unwrap(), q);
//!
//! let err = parse("usr:alice").unwrap_err();
//! assert_eq!(err.to_string(), r#"unknown field "usr" — did you mean "user"? at column 1"#);
//! ```
//!
//! # Syntax
//!
//! | Write | Means |
//! |---|---|
//! | `mimikatz` | the word anywhere (any text field or the raw record), ignoring case |
//! | `"wrong password"` | the phrase; `\"` and `\\` escape inside quotes |
//! | `admin*`, `a?c` | wildcards: `*` any run, `?` one character |
//! | `/mimi.*z/` | a Rust regex, unanchored and **case-sensitive** (start with `(?i)` to ignore case); `\/` is a slash |
//! | `field:value`, `field:"a b"`, `field:a*`, `field:/re/` | a field's value (`=` works like `:`, `!=` negates) |
//! | `field:*` | the field is present |
//! | `field:(a OR b -c)` | several values of one field |
//! | `raw.userIdentity.type:Root` | a field of the original record; quote segments with dots: `raw.annotations."authorization.k8s.io/decision":allow` |
//! | `ip:10.0.0.0/8`, `ip:2001:db8::/32`, `ip:192.0.2.4`, `ip:[10.0.0.1 TO 10.0.0.255]` | IP networks and ranges |
//! | `time>=2026-02-01`, `time>now-24h`, `time:[2026-02-01 TO 2026-02-03T12:00]`, `time:2026-02-01` | times (UTC unless an offset is given); `[ ]` inclusive, `{ }` exclusive, `*` open; units s m h d w |
//! | `status_code>=400`, `raw.responseStatus.code:[400 TO 499]` | numbers |
//! | `a b`, `a AND b`, `a && b` | both (implicit AND) |
//! | `a OR b`, `a \|\| b` | either |
//! | `NOT a`, `!a`, `-a` | not; precedence NOT > AND > OR; parentheses group |
//! | `* \| stats count by actor, ip` · `\| top 10 ip` · `\| timechart 1h` | aggregate the matches |
//!
//! Keywords (`AND`, `OR`, `NOT`, `TO`) are upper-case; lower-case `and` is a word. A backslash
//! escapes any character in a bare word (`http\://x`). An empty query, or `*`, matches
//! everything. Field names and aliases are listed by [`fields()`]; they are case-insensitive.
//!
//! A date alone denotes its whole extent: `time:2026-02-01` is that day,
//! `time<=2026-02-01` includes all of it, `time>2026-02-01` starts the next day, and
//! `[2026-02-01 TO 2026-02-03]` runs to the end of the 3rd. `now` is resolved when the query is
//! evaluated (the latest event, or a time the caller passes in).
//!
//! # Grammar
//!
//! ```text
//! query    = [ or_expr ] [ "|" stage ] ;
//! or_expr  = and_expr { ( "OR" | "||" ) and_expr } ;
//! and_expr = unary { [ "AND" | "&&" ] unary } ;              (* adjacent terms: implicit AND *)
//! unary    = { "NOT" | "!" | "-" } primary ;
//! primary  = "(" or_expr ")" | field_term | free_term ;
//! free_term  = word | phrase | regex ;                        (* "*" alone: all events *)
//! field_term = path ( ":" | "=" | "!=" ) value
//!            | path ( ">" | ">=" | "<" | "<=" ) ( word | phrase ) ;
//! value    = word | phrase | regex | range | "(" value_or ")" ;
//! value_or = like or_expr, over values instead of terms ;
//! range    = ( "[" | "{" ) bound "TO" bound ( "]" | "}" ) ;
//! bound    = "*" | word { word } | phrase ;
//! path     = segment { "." ( segment | phrase ) } ;          (* "raw." paths, names, aliases *)
//! stage    = "stats" "count" [ "by" path { [ "," ] path } ]
//!          | "top" [ integer ] path
//!          | "timechart" [ duration ] ;
//! duration = integer ( "s" | "m" | "h" | "d" | "w" ) ;
//! ```
//!
//! # Limits
//!
//! Queries are at most [`MAX_QUERY_LEN`] bytes and nest at most [`MAX_DEPTH`] parentheses.
//! Regexes compile with a [`REGEX_SIZE_LIMIT`]-byte limit, and the regex engine matches in
//! linear time. Parsing never panics; every failure is a [`QueryError`] with a position.
#![deny(missing_docs)]

mod ast;
mod error;
mod fields;
mod lexer;
mod literals;
mod parser;

#[cfg(test)]
mod tests;

use serde::Serialize;

pub use ast::{
    Cidr, CmpOp, Expr, FieldRef, IpRange, Pipe, Pred, Query, RegexPred, Term, TimeExpr, Value,
    WildPart, Wildcard, REGEX_DFA_SIZE_LIMIT, REGEX_SIZE_LIMIT,
};
pub use error::QueryError;
pub use fields::{
    Field, FieldInfo, FieldKind, ACTIVITY_VALUES, ACTOR_KIND_VALUES, CATEGORY_VALUES,
    FAILURE_KIND_VALUES, FIELDS, OUTCOME_VALUES, RAW_PREFIX,
};
pub use parser::{parse, MAX_DEPTH, MAX_QUERY_LEN, MAX_TOP};

use lexer::Tok;

/// The field table, for autocomplete and the cheat sheet.
pub fn fields() -> &'static [FieldInfo] {
    &FIELDS
}

/// What a highlighted span of query text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenClass {
    /// A known field name (or `raw.` path), before an operator or in a pipe stage.
    Field,
    /// `:`, `=`, `!=`, `>`, `>=`, `<`, `<=`, `-`, `[`, `]`, `{`, `}`, `,`.
    Operator,
    /// `AND`, `OR`, `NOT`, `&&`, `||`, `!`, `TO`, and pipe commands (`stats`, `count`, `by`, `top`, `timechart`).
    Keyword,
    /// A free-text word.
    Text,
    /// A field value (or a number or duration in a pipe stage).
    Value,
    /// A quoted phrase.
    Phrase,
    /// A `/regex/`.
    Regex,
    /// `(` or `)`.
    Paren,
    /// The `|` before a pipe stage.
    Pipe,
    /// Text that doesn't parse: an unknown field, an unterminated quote, or the span of the
    /// query's first syntax error.
    Error,
}

/// Classifies the query text for syntax highlighting: sorted, non-overlapping
/// `(start, end, class)` byte ranges (white space is not covered). Works on incomplete and
/// invalid queries, marking the first error's span as [`TokenClass::Error`].
pub fn highlight(input: &str) -> Vec<(usize, usize, TokenClass)> {
    if input.len() > MAX_QUERY_LEN {
        return vec![(0, input.len(), TokenClass::Error)];
    }
    let mut pipe_words = 0usize;
    let mut out: Vec<(usize, usize, TokenClass)> = lexer::lex(input)
        .into_iter()
        .map(|t| {
            let class = match &t.tok {
                Tok::LParen | Tok::RParen => TokenClass::Paren,
                Tok::And | Tok::Or | Tok::Not | Tok::To => TokenClass::Keyword,
                Tok::Minus | Tok::Op(_) | Tok::RangeOpen(_) | Tok::RangeClose(_) | Tok::Comma => {
                    TokenClass::Operator
                }
                Tok::Pipe => TokenClass::Pipe,
                Tok::Field(segs) => match parser::resolve_path(segs) {
                    Some(_) => TokenClass::Field,
                    None => TokenClass::Error,
                },
                Tok::Word => TokenClass::Text,
                Tok::Value => TokenClass::Value,
                Tok::Phrase(_) => TokenClass::Phrase,
                Tok::Regex(_) => TokenClass::Regex,
                Tok::PipeWord => {
                    pipe_words += 1;
                    pipe_word_class(
                        input.get(t.start..t.end).unwrap_or_default(),
                        pipe_words == 1,
                    )
                }
                Tok::Error { .. } => TokenClass::Error,
            };
            (t.start, t.end, class)
        })
        .collect();
    if let Err(e) = parse(input) {
        for (start, end, class) in &mut out {
            let overlaps = *start < e.end.max(e.start + 1) && e.start < *end;
            if overlaps {
                *class = TokenClass::Error;
            }
        }
    }
    out
}

fn pipe_word_class(text: &str, first: bool) -> TokenClass {
    let lower = text.to_ascii_lowercase();
    if first || matches!(lower.as_str(), "count" | "by") {
        return TokenClass::Keyword;
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return TokenClass::Value;
    }
    match lexer::scan_path(text, 0) {
        Some((segs, end)) if end == text.len() && parser::resolve_path(&segs).is_some() => {
            TokenClass::Field
        }
        _ => TokenClass::Error,
    }
}
