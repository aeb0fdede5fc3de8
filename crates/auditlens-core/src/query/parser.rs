//! Recursive-descent parser from tokens to the AST, with validation of every literal.
//!
//! Recursion only happens at `(`, and is capped at [`MAX_DEPTH`]; chains of `NOT` are counted
//! in a loop. Every loop consumes a token or returns, so parsing is linear in the input.

use std::net::IpAddr;

use super::ast::{
    Cidr, CmpOp, Expr, FieldRef, IpRange, Pipe, Pred, Query, RegexPred, Term, TimeExpr, Value,
    WildPart, Wildcard,
};
use super::error::QueryError;
use super::fields::{all_field_names, closest, Field, FieldKind, RAW_PREFIX};
use super::lexer::{is_path_start, lex, scan_path, unescape, FieldOp, Tok, Token};
use super::literals::{
    mask, parse_cidr, parse_duration, parse_now, parse_number, parse_time_interval,
};

/// Deepest nesting of parentheses (including `field:( … )` groups) a query may have.
pub const MAX_DEPTH: usize = 64;
/// Longest query accepted, in bytes.
pub const MAX_QUERY_LEN: usize = 64 * 1024;
/// Largest N in `| top N field`.
pub const MAX_TOP: usize = 10_000;

const PIPE_COMMANDS: [&str; 3] = ["stats", "top", "timechart"];

/// Parses a query. See the [module documentation](super) for the language.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    if input.len() > MAX_QUERY_LEN {
        return Err(QueryError::new(
            input,
            MAX_QUERY_LEN,
            input.len(),
            format!(
                "the query is too long ({} bytes; the limit is {MAX_QUERY_LEN})",
                input.len()
            ),
        ));
    }
    let mut p = Parser {
        src: input,
        toks: lex(input),
        pos: 0,
    };
    p.query()
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
}

/// A resolved field and how its values are typed.
#[derive(Debug, Clone)]
struct Resolved {
    fref: FieldRef,
    /// `None` for raw paths.
    kind: Option<FieldKind>,
}

impl Resolved {
    fn name(&self) -> String {
        self.fref.to_string()
    }
}

/// Inside `field:( … )`, bare words are values of this field.
struct Group<'r> {
    field: &'r Resolved,
}

enum Word {
    Plain(String),
    Wild(Wildcard),
    /// Only `*`s.
    Any,
}

/// Splits a bare word (still escaped) into literal text and `*`/`?` wildcards.
fn classify_word(raw: &str) -> Word {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut wild = false;
    let mut only_stars = true;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    lit.push(n);
                }
                only_stars = false;
            }
            '*' | '?' => {
                wild = true;
                if !lit.is_empty() {
                    parts.push(WildPart::Lit(std::mem::take(&mut lit)));
                }
                if c == '*' {
                    parts.push(WildPart::Any);
                } else {
                    parts.push(WildPart::One);
                    only_stars = false;
                }
            }
            c => {
                lit.push(c);
                only_stars = false;
            }
        }
    }
    if !wild {
        Word::Plain(lit)
    } else if only_stars {
        Word::Any
    } else {
        if !lit.is_empty() {
            parts.push(WildPart::Lit(lit));
        }
        Word::Wild(Wildcard::new(parts))
    }
}

/// Whether a still-escaped word has a `:` that isn't escaped.
fn has_unescaped_colon(raw: &str) -> bool {
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            ':' => return true,
            _ => {}
        }
    }
    false
}

fn negate(e: Expr) -> Expr {
    match e {
        Expr::Not(inner) => *inner,
        e => Expr::Not(Box::new(e)),
    }
}

/// Joins the operands of AND (`and`) or OR: nested groups of the same operator are flattened,
/// and `*` is absorbed (`a AND *` is `a`, `a OR *` is `*`).
fn join(items: Vec<Expr>, and: bool) -> Expr {
    let mut out = Vec::with_capacity(items.len());
    for e in items {
        match e {
            Expr::All if and => {}
            Expr::All => return Expr::All,
            Expr::And(v) if and => out.extend(v),
            Expr::Or(v) if !and => out.extend(v),
            e => out.push(e),
        }
    }
    match out.len() {
        0 => Expr::All,
        1 => out.pop().unwrap_or(Expr::All),
        _ if and => Expr::And(out),
        _ => Expr::Or(out),
    }
}

fn describe(t: &Tok) -> &'static str {
    match t {
        Tok::LParen => "'('",
        Tok::RParen => "')'",
        Tok::And => "AND",
        Tok::Or => "OR",
        Tok::Not => "NOT",
        Tok::Minus => "'-'",
        Tok::Pipe => "'|'",
        Tok::Comma => "','",
        Tok::To => "TO",
        Tok::Field(_) => "a field",
        Tok::Op(_) => "an operator",
        Tok::Word | Tok::Value | Tok::PipeWord => "a word",
        Tok::Phrase(_) => "a phrase",
        Tok::Regex(_) => "a regex",
        Tok::RangeOpen(_) => "a range",
        Tok::RangeClose(_) => "the end of a range",
        Tok::Error { .. } => "an error",
    }
}

fn op_text(op: FieldOp) -> &'static str {
    match op {
        FieldOp::Colon => ":",
        FieldOp::Eq => "=",
        FieldOp::Ne => "!=",
        FieldOp::Gt => ">",
        FieldOp::Ge => ">=",
        FieldOp::Lt => "<",
        FieldOp::Le => "<=",
    }
}

/// The kind of a field with its article, for messages: "a keyword", "an IP".
fn kind_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "a text",
        FieldKind::Keyword => "a keyword",
        FieldKind::Ip => "an IP",
        FieldKind::Time => "a time",
        FieldKind::Number => "a number",
        FieldKind::Enum(_) => "an enum",
    }
}

/// Resolves a field path: `raw.…`, a canonical name or an alias.
pub(crate) fn resolve_path(segs: &[String]) -> Option<(FieldRef, Option<FieldKind>)> {
    let first = segs.first()?;
    if first.eq_ignore_ascii_case(RAW_PREFIX) {
        return Some((FieldRef::Raw(segs[1..].to_vec()), None));
    }
    let f = Field::from_name(&segs.join("."))?;
    Some((FieldRef::Known(f), Some(f.kind())))
}

impl<'a> Parser<'a> {
    // --- token access -------------------------------------------------------------------------

    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn peek_tok(&self) -> Option<&Tok> {
        self.peek().map(|t| &t.tok)
    }

    fn bump(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn text(&self, t: &Token) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or_default()
    }

    fn err(&self, start: usize, end: usize, message: impl Into<String>) -> QueryError {
        QueryError::new(self.src, start, end, message)
    }

    /// An error at the current token, or at the end of the query.
    fn err_here(&self, message: impl Into<String>) -> QueryError {
        match self.peek() {
            Some(t) => self.err(t.start, t.end, message),
            None => self.err(self.src.len(), self.src.len(), message),
        }
    }

    fn lex_error(&self, t: &Token) -> QueryError {
        match &t.tok {
            Tok::Error { message, expected } => self
                .err(t.start, t.end, message.clone())
                .expected([*expected]),
            other => self.err(t.start, t.end, format!("unexpected {}", describe(other))),
        }
    }

    fn at_term_end(&self) -> bool {
        matches!(
            self.peek_tok(),
            None | Some(Tok::RParen | Tok::Pipe | Tok::Or | Tok::And)
        )
    }

    /// After `AND`, `OR` or `NOT` there must be a term.
    fn require_term_after(&self, op: &Token) -> Result<(), QueryError> {
        if !self.at_term_end() {
            return Ok(());
        }
        let name = self.text(op);
        let message = match self.peek_tok() {
            None => format!("{name} at the end of the query"),
            Some(t) => format!("{name} is followed by {}", describe(t)),
        };
        Err(self
            .err(op.start, op.end, message)
            .expected(["a term after it"]))
    }

    // --- expressions --------------------------------------------------------------------------

    fn query(&mut self) -> Result<Query, QueryError> {
        let expr = if matches!(self.peek_tok(), None | Some(Tok::Pipe)) {
            Expr::All
        } else {
            self.or_expr(None, 0)?
        };
        let pipe = if matches!(self.peek_tok(), Some(Tok::Pipe)) {
            Some(self.pipe()?)
        } else {
            None
        };
        if let Some(t) = self.peek() {
            return Err(match t.tok {
                Tok::RParen => self
                    .err(t.start, t.end, "unbalanced ')': there is no '(' to close")
                    .hint("remove it or add a '(' before"),
                _ => self.lex_error(t),
            });
        }
        Ok(Query { expr, pipe })
    }

    fn or_expr(&mut self, group: Option<&Group>, depth: usize) -> Result<Expr, QueryError> {
        let mut items = vec![self.and_expr(group, depth)?];
        while matches!(self.peek_tok(), Some(Tok::Or)) {
            let or = self.bump();
            if let Some(or) = &or {
                self.require_term_after(or)?;
            }
            items.push(self.and_expr(group, depth)?);
        }
        Ok(join(items, false))
    }

    fn and_expr(&mut self, group: Option<&Group>, depth: usize) -> Result<Expr, QueryError> {
        let mut items = vec![self.unary(group, depth)?];
        loop {
            match self.peek_tok() {
                Some(Tok::And) => {
                    if let Some(and) = self.bump() {
                        self.require_term_after(&and)?;
                    }
                }
                None | Some(Tok::RParen | Tok::Pipe | Tok::Or) => break,
                Some(_) => self.check_separated()?,
            }
            items.push(self.unary(group, depth)?);
        }
        Ok(join(items, true))
    }

    /// Two terms written without space between them (`"a"b`, `action:Get(x)`) are almost
    /// always a value that needed quotes, not an implicit AND.
    fn check_separated(&self) -> Result<(), QueryError> {
        let (Some(prev), Some(cur)) = (self.toks.get(self.pos.wrapping_sub(1)), self.peek()) else {
            return Ok(());
        };
        let ends_atom = matches!(
            prev.tok,
            Tok::Word
                | Tok::Value
                | Tok::Phrase(_)
                | Tok::Regex(_)
                | Tok::RangeClose(_)
                | Tok::RParen
        );
        let starts_atom = matches!(
            cur.tok,
            Tok::Word
                | Tok::Value
                | Tok::Phrase(_)
                | Tok::Regex(_)
                | Tok::Field(_)
                | Tok::LParen
                | Tok::Minus
                | Tok::RangeOpen(_)
        );
        if ends_atom && starts_atom && !cur.ws_before && prev.end == cur.start {
            let text = self.src.get(prev.start..cur.end).unwrap_or_default();
            return Err(self
                .err(prev.start, cur.end, format!("missing space in \"{text}\""))
                .hint(
                    "separate terms with a space, or put a value with special characters in quotes",
                ));
        }
        Ok(())
    }

    fn unary(&mut self, group: Option<&Group>, depth: usize) -> Result<Expr, QueryError> {
        let mut negated = false;
        let mut last = None;
        while matches!(self.peek_tok(), Some(Tok::Not | Tok::Minus)) {
            last = self.bump();
            negated = !negated;
        }
        if let Some(op) = &last {
            self.require_term_after(op)?;
        }
        let e = self.primary(group, depth)?;
        Ok(if negated { negate(e) } else { e })
    }

    fn primary(&mut self, group: Option<&Group>, depth: usize) -> Result<Expr, QueryError> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.err_here("the query ends here").expected(["a term"]));
        };
        match &t.tok {
            Tok::LParen => self.parenthesized(group, depth),
            Tok::RParen => Err(self
                .err(t.start, t.end, "unbalanced ')': there is no '(' to close")
                .hint("remove it or add a '(' before")),
            Tok::And | Tok::Or => Err(self
                .err(
                    t.start,
                    t.end,
                    format!("{} needs a term before it", self.text(&t)),
                )
                .expected(["a term"])),
            Tok::Field(segs) if group.is_none() => {
                self.bump();
                self.field_term(segs, &t, depth)
            }
            Tok::Word | Tok::Value | Tok::Phrase(_) | Tok::Regex(_) => {
                self.bump();
                match group {
                    Some(g) => self.value_term(g.field, &t, t.start),
                    None => self.free_term(&t),
                }
            }
            Tok::RangeOpen(_) => match group {
                Some(g) => self.range(g.field, t.start),
                None => Err(self.lex_error(&t)),
            },
            _ => Err(self.lex_error(&t)),
        }
    }

    /// `( expr )`, or `( values )` inside a field group.
    fn parenthesized(&mut self, group: Option<&Group>, depth: usize) -> Result<Expr, QueryError> {
        let Some(open) = self.bump() else {
            return Err(self.err_here("expected '('"));
        };
        if depth >= MAX_DEPTH {
            return Err(self.err(
                open.start,
                open.end,
                format!("too many nested parentheses (the limit is {MAX_DEPTH})"),
            ));
        }
        if let Some(close) = self.peek().filter(|t| t.tok == Tok::RParen) {
            return Err(self
                .err(open.start, close.end, "empty parentheses")
                .expected(["a term inside"]));
        }
        let e = self.or_expr(group, depth + 1)?;
        match self.peek_tok() {
            Some(Tok::RParen) => {
                self.bump();
                Ok(e)
            }
            other => {
                let found = other.map_or("the end of the query", describe);
                Err(self
                    .err(
                        open.start,
                        open.end,
                        format!("unclosed '(': found {found} before its ')'"),
                    )
                    .expected(["')'"]))
            }
        }
    }

    // --- terms --------------------------------------------------------------------------------

    fn free_term(&self, t: &Token) -> Result<Expr, QueryError> {
        let span = (t.start, t.end);
        let term = |pred| {
            Ok(Expr::Term(Term {
                field: None,
                pred,
                span,
            }))
        };
        match &t.tok {
            Tok::Phrase(text) => term(Pred::Phrase(text.clone())),
            Tok::Regex(src) => term(Pred::Regex(self.regex(src, t)?)),
            _ => {
                let raw = self.text(t);
                // `foo+bar:x` was probably meant as a field; `2001:db8::1` and `12:00` are text.
                if raw.starts_with(is_path_start) && has_unescaped_colon(raw) {
                    return Err(self
                        .err(t.start, t.end, format!("\"{raw}\" isn't a field:value term"))
                        .hint("field names are letters, digits, _ and dots; to search for text with ':', put it in quotes"));
                }
                match classify_word(raw) {
                    Word::Any => Ok(Expr::All),
                    Word::Wild(w) => term(Pred::Wildcard(w)),
                    Word::Plain(s) => term(Pred::Text(s)),
                }
            }
        }
    }

    fn resolve(&self, segs: &[String], t: &Token) -> Result<Resolved, QueryError> {
        if let Some((fref, kind)) = resolve_path(segs) {
            return Ok(Resolved { fref, kind });
        }
        let name = segs.join(".");
        let suggestion = closest(&name, all_field_names().chain([RAW_PREFIX]))
            .map(str::to_string)
            .or_else(|| {
                // `rwa.x` → `raw.x`
                let rest = segs.get(1..).filter(|r| !r.is_empty())?;
                closest(segs.first()?, [RAW_PREFIX])?;
                Some(FieldRef::Raw(rest.to_vec()).to_string())
            });
        let mut e = self
            .err(t.start, t.end, format!("unknown field \"{name}\""))
            .suggest(suggestion.as_deref());
        if segs.len() > 1 && suggestion.is_none() {
            e = e.hint(format!(
                "fields of the original record are written {RAW_PREFIX}.{name}"
            ));
        } else if suggestion.is_none() {
            e = e.hint("to search for text containing ':', put it in quotes");
        }
        Err(e)
    }

    fn field_term(
        &mut self,
        segs: &[String],
        ft: &Token,
        depth: usize,
    ) -> Result<Expr, QueryError> {
        let field = self.resolve(segs, ft)?;
        let Some(op_tok) = self.bump() else {
            return Err(self.err_here("expected an operator"));
        };
        let Tok::Op(op) = op_tok.tok else {
            return Err(self.lex_error(&op_tok));
        };
        let missing = |p: &Self, what: &[&str]| {
            let found = p.peek_tok().map_or("the end of the query", describe);
            p.err(
                op_tok.start,
                op_tok.end,
                format!(
                    "missing value after \"{}{}\" (found {found})",
                    field.name(),
                    op_text(op)
                ),
            )
            .expected(what.iter().copied())
        };
        let cmp = match op {
            FieldOp::Colon | FieldOp::Eq | FieldOp::Ne => None,
            FieldOp::Gt => Some(CmpOp::Gt),
            FieldOp::Ge => Some(CmpOp::Ge),
            FieldOp::Lt => Some(CmpOp::Lt),
            FieldOp::Le => Some(CmpOp::Le),
        };
        if let Some(cmp) = cmp {
            return match self.peek_tok() {
                Some(Tok::Value | Tok::Phrase(_)) => {
                    let v = self
                        .bump()
                        .ok_or_else(|| self.err_here("expected a value"))?;
                    self.cmp_term(&field, cmp, &v, ft.start)
                }
                Some(Tok::Error { .. }) => Err(self.lex_error(&self.toks[self.pos])),
                _ => Err(missing(self, &["a number", "a date", "now-24h"])),
            };
        }
        let e = match self.peek_tok() {
            Some(Tok::LParen) => {
                let group = Group { field: &field };
                self.parenthesized(Some(&group), depth)?
            }
            Some(Tok::RangeOpen(_)) => self.range(&field, ft.start)?,
            Some(Tok::Value | Tok::Phrase(_) | Tok::Regex(_)) => {
                let v = self
                    .bump()
                    .ok_or_else(|| self.err_here("expected a value"))?;
                self.value_term(&field, &v, ft.start)?
            }
            Some(Tok::Error { .. }) => return Err(self.lex_error(&self.toks[self.pos])),
            _ => {
                return Err(missing(
                    self,
                    &[
                        "a value",
                        "\"a phrase\"",
                        "/regex/",
                        "*",
                        "(a OR b)",
                        "[a TO b]",
                    ],
                ))
            }
        };
        Ok(if op == FieldOp::Ne { negate(e) } else { e })
    }

    /// `field:value`, `field:"phrase"`, `field:/regex/` (or a value inside `field:( … )`).
    fn value_term(&self, field: &Resolved, t: &Token, start: usize) -> Result<Expr, QueryError> {
        let span = (start, t.end);
        let term = |pred| {
            Ok(Expr::Term(Term {
                field: Some(field.fref.clone()),
                pred,
                span,
            }))
        };
        let kind = field.kind;
        match &t.tok {
            Tok::Regex(src) => {
                if kind == Some(FieldKind::Time) {
                    return Err(self.err(t.start, t.end, "a regex can't match a time").hint(
                        "use a range like time:[2026-02-01 TO 2026-02-03] or time>=now-24h",
                    ));
                }
                term(Pred::Regex(self.regex(src, t)?))
            }
            Tok::Phrase(text) => match kind {
                Some(FieldKind::Time) => term(self.time_eq(text, t)?),
                Some(FieldKind::Ip) => match ip_pred(text) {
                    Ok(p) => term(p),
                    Err(_) => term(Pred::Phrase(text.clone())),
                },
                Some(FieldKind::Enum(values)) => term(self.enum_value(field, values, text, t)?),
                _ => term(Pred::Phrase(text.clone())),
            },
            _ => {
                let raw = self.text(t);
                let word = classify_word(raw);
                if let Word::Any = word {
                    return term(Pred::Exists);
                }
                match (kind, word) {
                    (Some(FieldKind::Time), Word::Wild(_)) => Err(self
                        .err(t.start, t.end, "wildcards don't apply to time")
                        .hint("use a range like time:[2026-02-01 TO 2026-02-03} or time>=now-24h")),
                    (Some(FieldKind::Time), _) => term(self.time_eq(&unescape(raw), t)?),
                    (Some(FieldKind::Ip), Word::Plain(s)) => match ip_pred(&s) {
                        Ok(p) => term(p),
                        Err(msg) => Err(self.err(t.start, t.end, msg).hint(
                            "to match a source that isn't an IP address, quote it: ip:\"AWS Internal\"",
                        )),
                    },
                    (Some(FieldKind::Enum(values)), Word::Wild(w)) => {
                        if values.iter().any(|v| w.matches(v)) {
                            term(Pred::Wildcard(w))
                        } else {
                            Err(self
                                .err(t.start, t.end, format!("\"{raw}\" matches no {} value", field.name()))
                                .expected(values.iter().copied()))
                        }
                    }
                    (Some(FieldKind::Enum(values)), Word::Plain(s)) => {
                        term(self.enum_value(field, values, &s, t)?)
                    }
                    (_, Word::Wild(w)) => term(Pred::Wildcard(w)),
                    (_, Word::Plain(s)) => term(Pred::Text(s)),
                    (_, Word::Any) => term(Pred::Exists),
                }
            }
        }
    }

    fn enum_value(
        &self,
        field: &Resolved,
        values: &'static [&'static str],
        typed: &str,
        t: &Token,
    ) -> Result<Pred, QueryError> {
        let canonical = match &field.fref {
            FieldRef::Known(f) => f.canonical_value(typed),
            FieldRef::Raw(_) => None,
        };
        match canonical {
            Some(v) => Ok(Pred::Text(v.to_string())),
            None => Err(self
                .err(
                    t.start,
                    t.end,
                    format!("unknown {} value \"{typed}\"", field.name()),
                )
                .expected(values.iter().copied())
                .suggest(closest(typed, values.iter().copied()))),
        }
    }

    /// `time:2026-02-01` is the whole day: a half-open range.
    fn time_eq(&self, text: &str, t: &Token) -> Result<Pred, QueryError> {
        if parse_now(text).is_some() {
            return Err(self
                .err(
                    t.start,
                    t.end,
                    format!("time:{text} matches a single instant"),
                )
                .hint(format!("compare instead: time>={text}")));
        }
        let (a, b) = parse_time_interval(text).map_err(|m| self.err(t.start, t.end, m))?;
        Ok(Pred::Range {
            lo: Some(Value::Time(TimeExpr::Abs(a))),
            hi: Some(Value::Time(TimeExpr::Abs(b))),
            lo_incl: true,
            hi_incl: false,
        })
    }

    /// A time operand for a comparison, normalized so that absolute times use `>=` and `<`.
    fn time_cmp(&self, op: CmpOp, text: &str, t: &Token) -> Result<Pred, QueryError> {
        if let Some(r) = parse_now(text) {
            let offset_ns = r.map_err(|m| self.err(t.start, t.end, m))?;
            return Ok(Pred::Cmp(op, Value::Time(TimeExpr::Now { offset_ns })));
        }
        let (a, b) = parse_time_interval(text).map_err(|m| self.err(t.start, t.end, m))?;
        let abs = |ns| Value::Time(TimeExpr::Abs(ns));
        Ok(match op {
            CmpOp::Ge => Pred::Cmp(CmpOp::Ge, abs(a)),
            CmpOp::Gt => Pred::Cmp(CmpOp::Ge, abs(b)),
            CmpOp::Lt => Pred::Cmp(CmpOp::Lt, abs(a)),
            CmpOp::Le => Pred::Cmp(CmpOp::Lt, abs(b)),
        })
    }

    fn cmp_term(
        &self,
        field: &Resolved,
        op: CmpOp,
        t: &Token,
        start: usize,
    ) -> Result<Expr, QueryError> {
        let text = match &t.tok {
            Tok::Phrase(s) => s.clone(),
            _ => unescape(self.text(t)),
        };
        let pred = match field.kind {
            _ if text == "*" && !matches!(t.tok, Tok::Phrase(_)) => {
                return Err(self
                    .err(
                        t.start,
                        t.end,
                        format!(
                            "can't compare with \"*\"; to test presence write {}:*",
                            field.name()
                        ),
                    )
                    .expected(["a number", "a date"]))
            }
            Some(FieldKind::Time) => self.time_cmp(op, &text, t)?,
            Some(FieldKind::Number) => match parse_number(&text) {
                Some(n) => Pred::Cmp(op, Value::Number(n)),
                None => {
                    return Err(self
                        .err(t.start, t.end, format!("\"{text}\" is not a number"))
                        .expected(["a number"]))
                }
            },
            None => {
                if let Some(n) = parse_number(&text) {
                    Pred::Cmp(op, Value::Number(n))
                } else if parse_now(&text).is_some() || parse_time_interval(&text).is_ok() {
                    self.time_cmp(op, &text, t)?
                } else {
                    Pred::Cmp(op, Value::Text(text))
                }
            }
            Some(kind) => {
                let mut e = self.err(
                    t.start.min(start + field.name().len()),
                    t.end,
                    format!(
                        "{} is {} field: '{}' only compares numbers and times",
                        field.name(),
                        kind_name(kind),
                        op.as_str()
                    ),
                );
                e = match kind {
                    FieldKind::Ip => e.hint(format!(
                        "use a CIDR ({0}:10.0.0.0/8) or a range ({0}:[10.0.0.1 TO 10.0.0.9])",
                        field.name()
                    )),
                    _ => e.hint("numbers compare on status_code and raw.* paths, times on time"),
                };
                return Err(e);
            }
        };
        Ok(Expr::Term(Term {
            field: Some(field.fref.clone()),
            pred,
            span: (start, t.end),
        }))
    }

    fn regex(&self, src: &str, t: &Token) -> Result<RegexPred, QueryError> {
        RegexPred::new(src).map_err(|e| {
            let detail = match &e {
                regex::Error::CompiledTooBig(limit) => {
                    format!("regex is too large (over the {limit}-byte compiled size limit)")
                }
                regex::Error::Syntax(s) => {
                    let reason = s
                        .lines()
                        .rev()
                        .find_map(|l| l.trim().strip_prefix("error: "))
                        .unwrap_or("syntax error");
                    format!("invalid regex: {reason}")
                }
                other => format!("invalid regex: {other}"),
            };
            self.err(t.start, t.end, detail)
                .hint("/…/ uses Rust regex syntax; add (?i) for case-insensitive matching")
        })
    }

    // --- ranges -------------------------------------------------------------------------------

    /// One bound of `[lo TO hi]`: one or more words (joined with spaces, so
    /// `2026-02-01 12:00` works) or a phrase; `*` alone is open.
    fn range_bound(&mut self, what: &str) -> Result<(Option<String>, Token), QueryError> {
        let mut parts: Vec<String> = Vec::new();
        let mut open = false;
        let mut first: Option<Token> = None;
        let mut last: Option<Token> = None;
        while let Some(t) = self.peek().cloned() {
            match &t.tok {
                Tok::Value => {
                    let raw = self.text(&t);
                    open = raw == "*" && parts.is_empty();
                    parts.push(unescape(raw));
                }
                Tok::Phrase(s) => {
                    open = false;
                    parts.push(s.clone());
                }
                Tok::Error { .. } => return Err(self.lex_error(&t)),
                _ => break,
            }
            self.bump();
            first.get_or_insert_with(|| t.clone());
            last = Some(t);
        }
        match (first, last) {
            (Some(f), Some(l)) => {
                let span = Token {
                    tok: Tok::Value,
                    start: f.start,
                    end: l.end,
                    ws_before: f.ws_before,
                };
                Ok(((!(open && parts.len() == 1)).then(|| parts.join(" ")), span))
            }
            _ => {
                let found = self.peek_tok().map_or("the end of the query", describe);
                Err(self
                    .err_here(format!("missing {what} in range, found {found}"))
                    .expected([what]))
            }
        }
    }

    fn range(&mut self, field: &Resolved, start: usize) -> Result<Expr, QueryError> {
        let Some(open) = self.bump() else {
            return Err(self.err_here("expected '['"));
        };
        let Tok::RangeOpen(lo_incl) = open.tok else {
            return Err(self.lex_error(&open));
        };
        let (lo, lo_tok) = self.range_bound("a lower bound")?;
        match self.peek_tok() {
            Some(Tok::To) => {
                self.bump();
            }
            other => {
                let found = other.map_or("the end of the query", describe);
                return Err(self
                    .err_here(format!("missing TO in range, found {found}"))
                    .expected(["TO"])
                    .hint("write ranges as [low TO high], with TO in capitals"));
            }
        }
        let (hi, hi_tok) = self.range_bound("an upper bound")?;
        let hi_incl = match self.peek_tok() {
            Some(Tok::RangeClose(incl)) => {
                let incl = *incl;
                self.bump();
                incl
            }
            other => {
                let found = other.map_or("the end of the query", describe);
                return Err(self
                    .err(
                        open.start,
                        open.end,
                        format!("unclosed range: found {found} before ']' or '}}'"),
                    )
                    .expected(["']'", "'}'"]));
            }
        };
        let end = self
            .toks
            .get(self.pos - 1)
            .map_or(self.src.len(), |t| t.end);
        let pred = self.range_pred(field, (lo, &lo_tok, lo_incl), (hi, &hi_tok, hi_incl))?;
        Ok(Expr::Term(Term {
            field: Some(field.fref.clone()),
            pred,
            span: (start, end),
        }))
    }

    fn range_pred(
        &self,
        field: &Resolved,
        (lo, lo_tok, lo_incl): (Option<String>, &Token, bool),
        (hi, hi_tok, hi_incl): (Option<String>, &Token, bool),
    ) -> Result<Pred, QueryError> {
        if lo.is_none() && hi.is_none() {
            return Ok(Pred::Exists);
        }
        let empty = |p: &Self| {
            p.err(
                lo_tok.start,
                hi_tok.end,
                "empty range: the lower bound is above the upper bound",
            )
        };
        match field.kind {
            Some(FieldKind::Ip) => {
                let parse = |s: &Option<String>, t: &Token| -> Result<Option<IpAddr>, QueryError> {
                    s.as_deref()
                        .map(|s| {
                            s.parse::<IpAddr>().map_err(|_| {
                                self.err(t.start, t.end, format!("invalid IP address \"{s}\""))
                            })
                        })
                        .transpose()
                };
                let (a, b) = (parse(&lo, lo_tok)?, parse(&hi, hi_tok)?);
                let v4 = a.or(b).is_some_and(|ip| ip.is_ipv4());
                let (min, max): (IpAddr, IpAddr) = if v4 {
                    ([0u8; 4].into(), [255u8; 4].into())
                } else {
                    ([0u16; 8].into(), [0xffffu16; 8].into())
                };
                let (a, b) = (a.unwrap_or(min), b.unwrap_or(max));
                if a.is_ipv4() != b.is_ipv4() {
                    return Err(self.err(
                        lo_tok.start,
                        hi_tok.end,
                        "an IP range can't mix IPv4 and IPv6",
                    ));
                }
                let a = if lo_incl || lo.is_none() {
                    Some(a)
                } else {
                    ip_step(a, true)
                };
                let b = if hi_incl || hi.is_none() {
                    Some(b)
                } else {
                    ip_step(b, false)
                };
                match (a, b) {
                    (Some(lo), Some(hi)) if lo <= hi => Ok(Pred::IpRange(IpRange { lo, hi })),
                    _ => Err(empty(self)),
                }
            }
            Some(FieldKind::Time) => self.time_range((lo, lo_tok, lo_incl), (hi, hi_tok, hi_incl)),
            Some(FieldKind::Number) => {
                let num = |s: &Option<String>, t: &Token| -> Result<Option<Value>, QueryError> {
                    s.as_deref()
                        .map(|s| {
                            parse_number(s).map(Value::Number).ok_or_else(|| {
                                self.err(t.start, t.end, format!("\"{s}\" is not a number"))
                                    .expected(["a number", "*"])
                            })
                        })
                        .transpose()
                };
                let (a, b) = (num(&lo, lo_tok)?, num(&hi, hi_tok)?);
                number_range(a, b, lo_incl, hi_incl).ok_or_else(|| empty(self))
            }
            None => {
                let all = |f: &dyn Fn(&str) -> bool| {
                    [&lo, &hi].iter().all(|b| b.as_deref().is_none_or(f))
                };
                if all(&|s| parse_number(s).is_some()) {
                    let n =
                        |s: &Option<String>| s.as_deref().and_then(parse_number).map(Value::Number);
                    number_range(n(&lo), n(&hi), lo_incl, hi_incl).ok_or_else(|| empty(self))
                } else if all(&|s| {
                    parse_now(s).is_some_and(|r| r.is_ok()) || parse_time_interval(s).is_ok()
                }) {
                    self.time_range((lo, lo_tok, lo_incl), (hi, hi_tok, hi_incl))
                } else {
                    if let (Some(a), Some(b)) = (&lo, &hi) {
                        if a > b {
                            return Err(empty(self));
                        }
                    }
                    Ok(Pred::Range {
                        lo_incl: lo_incl || lo.is_none(),
                        hi_incl: hi_incl || hi.is_none(),
                        lo: lo.map(Value::Text),
                        hi: hi.map(Value::Text),
                    })
                }
            }
            Some(kind) => Err(self
                .err(
                    lo_tok.start,
                    hi_tok.end,
                    format!(
                        "{} is {} field: ranges need numbers, times or IPs",
                        field.name(),
                        kind_name(kind)
                    ),
                )
                .hint("ranges work on time, src_ip, status_code and raw.* paths")),
        }
    }

    /// A time range; absolute bounds become a half-open `[start, end)` over whole intervals
    /// (`[2026-02-01 TO 2026-02-03]` ends at the end of the 3rd).
    fn time_range(
        &self,
        (lo, lo_tok, lo_incl): (Option<String>, &Token, bool),
        (hi, hi_tok, hi_incl): (Option<String>, &Token, bool),
    ) -> Result<Pred, QueryError> {
        let bound =
            |s: &str, t: &Token, is_lo: bool, incl: bool| -> Result<(TimeExpr, bool), QueryError> {
                if let Some(r) = parse_now(s) {
                    let offset_ns = r.map_err(|m| self.err(t.start, t.end, m))?;
                    return Ok((TimeExpr::Now { offset_ns }, incl));
                }
                let (a, b) = parse_time_interval(s).map_err(|m| self.err(t.start, t.end, m))?;
                Ok(match (is_lo, incl) {
                    (true, true) => (TimeExpr::Abs(a), true),
                    (true, false) => (TimeExpr::Abs(b), true),
                    (false, true) => (TimeExpr::Abs(b), false),
                    (false, false) => (TimeExpr::Abs(a), false),
                })
            };
        let lo = lo
            .as_deref()
            .map(|s| bound(s, lo_tok, true, lo_incl))
            .transpose()?;
        let hi = hi
            .as_deref()
            .map(|s| bound(s, hi_tok, false, hi_incl))
            .transpose()?;
        if let (Some((TimeExpr::Abs(a), _)), Some((TimeExpr::Abs(b), _))) = (&lo, &hi) {
            if a >= b {
                return Err(self.err(
                    lo_tok.start,
                    hi_tok.end,
                    "empty time range: it ends before it starts",
                ));
            }
        }
        Ok(Pred::Range {
            lo_incl: lo.is_none_or(|(_, incl)| incl),
            hi_incl: hi.is_none_or(|(_, incl)| incl),
            lo: lo.map(|(t, _)| Value::Time(t)),
            hi: hi.map(|(t, _)| Value::Time(t)),
        })
    }

    // --- pipe ---------------------------------------------------------------------------------

    fn pipe(&mut self) -> Result<Pipe, QueryError> {
        let Some(bar) = self.bump() else {
            return Err(self.err_here("expected '|'"));
        };
        let mut items: Vec<Token> = Vec::new();
        while let Some(t) = self.peek().cloned() {
            match t.tok {
                Tok::PipeWord | Tok::Comma => items.push(t),
                Tok::Pipe => {
                    return Err(self
                        .err(t.start, t.end, "only one pipe stage is supported")
                        .hint("use a single | stats, | top or | timechart"))
                }
                _ => return Err(self.lex_error(&t)),
            }
            self.bump();
        }
        let mut it = items.into_iter().peekable();
        let Some(cmd) = it.next().filter(|t| t.tok == Tok::PipeWord) else {
            return Err(self
                .err(bar.start, bar.end, "missing command after '|'")
                .expected(PIPE_COMMANDS));
        };
        let cmd_text = self.text(&cmd).to_ascii_lowercase();
        let word = |t: &Token| self.text(t).to_ascii_lowercase();
        let pipe = match cmd_text.as_str() {
            "stats" => {
                match it.next() {
                    Some(t) if t.tok == Tok::PipeWord && word(&t) == "count" => {}
                    Some(t) => {
                        return Err(self
                            .err(
                                t.start,
                                t.end,
                                format!("unknown statistic \"{}\"", self.text(&t)),
                            )
                            .expected(["count"])
                            .suggest(Some("count")))
                    }
                    None => {
                        return Err(self
                            .err(cmd.start, cmd.end, "missing statistic after stats")
                            .expected(["count"]))
                    }
                }
                let mut by = Vec::new();
                match it.next() {
                    None => {}
                    Some(t) if t.tok == Tok::PipeWord && word(&t) == "by" => {
                        let mut want_field = true;
                        let mut last = t;
                        for t in it.by_ref() {
                            match (&t.tok, want_field) {
                                (Tok::PipeWord, _) => {
                                    by.push(self.pipe_field(&t)?);
                                    want_field = false;
                                }
                                (Tok::Comma, false) => want_field = true,
                                _ => {
                                    return Err(self
                                        .err(t.start, t.end, "unexpected ','")
                                        .expected(["a field"]))
                                }
                            }
                            last = t;
                        }
                        if want_field {
                            return Err(self
                                .err(
                                    last.start,
                                    last.end,
                                    format!("missing field after \"{}\"", self.text(&last)),
                                )
                                .expected(["a field"]));
                        }
                    }
                    Some(t) => {
                        return Err(self
                            .err(
                                t.start,
                                t.end,
                                format!("unexpected \"{}\" after stats count", self.text(&t)),
                            )
                            .expected(["by", "the end of the query"]))
                    }
                }
                Pipe::Stats { by }
            }
            "top" => {
                let mut n = 10;
                let mut next = it.next();
                if let Some(t) = next.as_ref().filter(|t| {
                    t.tok == Tok::PipeWord && self.text(t).bytes().all(|b| b.is_ascii_digit())
                }) {
                    n = self
                        .text(t)
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_TOP).contains(n))
                        .ok_or_else(|| {
                            self.err(
                                t.start,
                                t.end,
                                format!("top needs a count from 1 to {MAX_TOP}"),
                            )
                        })?;
                    next = it.next();
                }
                let field = match next {
                    Some(t) if t.tok == Tok::PipeWord => self.pipe_field(&t)?,
                    Some(t) => {
                        return Err(self
                            .err(t.start, t.end, "unexpected ','")
                            .expected(["a field"]))
                    }
                    None => {
                        return Err(self
                            .err(cmd.start, self.src.len(), "missing field after top")
                            .expected(["a field"])
                            .hint("for example: | top 10 src_ip"))
                    }
                };
                Pipe::Top { n, field }
            }
            "timechart" => {
                let bucket_ns = match it.next() {
                    None => None,
                    Some(t) => {
                        let text = self.text(&t);
                        Some(parse_duration(text).map_err(|m| {
                            self.err(t.start, t.end, format!("invalid bucket \"{text}\": {m}"))
                                .expected(["a duration like 1h", "the end of the query"])
                        })?)
                    }
                };
                Pipe::Timechart { bucket_ns }
            }
            _ => {
                return Err(self
                    .err(
                        cmd.start,
                        cmd.end,
                        format!("unknown pipe command \"{}\"", self.text(&cmd)),
                    )
                    .expected(PIPE_COMMANDS)
                    .suggest(closest(&cmd_text, PIPE_COMMANDS)))
            }
        };
        if let Some(t) = it.next() {
            return Err(self
                .err(
                    t.start,
                    t.end,
                    format!(
                        "unexpected \"{}\" at the end of the pipe stage",
                        self.text(&t)
                    ),
                )
                .expected(["the end of the query"])
                .hint(format!("the stage reads: {pipe}")));
        }
        Ok(pipe)
    }

    fn pipe_field(&self, t: &Token) -> Result<FieldRef, QueryError> {
        match scan_path(self.src, t.start) {
            Some((segs, end)) if end == t.end => Ok(self.resolve(&segs, t)?.fref),
            _ => Err(self
                .err(
                    t.start,
                    t.end,
                    format!("\"{}\" is not a field name", self.text(t)),
                )
                .expected(["a field"])),
        }
    }
}

/// The next (`up`) or previous IP address, if any.
fn ip_step(ip: IpAddr, up: bool) -> Option<IpAddr> {
    match ip {
        IpAddr::V4(v) => {
            let n = u32::from(v);
            let n = if up {
                n.checked_add(1)
            } else {
                n.checked_sub(1)
            }?;
            Some(IpAddr::V4(n.into()))
        }
        IpAddr::V6(v) => {
            let n = u128::from(v);
            let n = if up {
                n.checked_add(1)
            } else {
                n.checked_sub(1)
            }?;
            Some(IpAddr::V6(n.into()))
        }
    }
}

fn number_range(
    lo: Option<Value>,
    hi: Option<Value>,
    lo_incl: bool,
    hi_incl: bool,
) -> Option<Pred> {
    if let (Some(Value::Number(a)), Some(Value::Number(b))) = (&lo, &hi) {
        if a > b || (a == b && !(lo_incl && hi_incl)) {
            return None;
        }
    }
    Some(Pred::Range {
        lo_incl: lo_incl || lo.is_none(),
        hi_incl: hi_incl || hi.is_none(),
        lo,
        hi,
    })
}

/// A single IP (as a full-length CIDR) or a CIDR.
fn ip_pred(s: &str) -> Result<Pred, String> {
    if s.contains('/') {
        let (addr, prefix) = parse_cidr(s)?;
        return Ok(Pred::Cidr(Cidr { addr, prefix }));
    }
    let ip: IpAddr = s
        .parse()
        .map_err(|_| format!("invalid IP address \"{s}\""))?;
    let prefix = if ip.is_ipv4() { 32 } else { 128 };
    Ok(Pred::Cidr(Cidr {
        addr: mask(ip, prefix),
        prefix,
    }))
}
