//! The Sigma condition grammar: `and`, `or`, `not`, parentheses, `1 of x*`, `all of x*`,
//! `N of them`. Precedence, loosest first: or < and < not < `x of` < `( )`.

/// A parsed condition over search identifiers (resolved to their indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    /// One identifier.
    Id(usize),
    /// All of.
    And(Vec<Cond>),
    /// Any of.
    Or(Vec<Cond>),
    /// Negation.
    Not(Box<Cond>),
    /// At least `n` of these identifiers (`usize::MAX` = all).
    Of(usize, Vec<usize>),
}

impl Cond {
    /// Evaluates with `id(i)` telling whether identifier `i` matched.
    pub fn eval(&self, id: &mut impl FnMut(usize) -> bool) -> bool {
        match self {
            Cond::Id(i) => id(*i),
            Cond::And(v) => v.iter().all(|c| c.eval(id)),
            Cond::Or(v) => v.iter().any(|c| c.eval(id)),
            Cond::Not(c) => !c.eval(id),
            Cond::Of(n, ids) => {
                if *n == usize::MAX {
                    ids.iter().all(|i| id(*i))
                } else {
                    ids.iter().filter(|i| id(**i)).take(*n).count() >= *n
                }
            }
        }
    }

    /// Identifiers that appear outside any `not` (what a match is explained by).
    pub fn positive(&self, out: &mut Vec<usize>) {
        match self {
            Cond::Id(i) => out.push(*i),
            Cond::And(v) | Cond::Or(v) => v.iter().for_each(|c| c.positive(out)),
            Cond::Not(_) => {}
            Cond::Of(_, ids) => out.extend(ids),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    And,
    Or,
    Not,
    Open,
    Close,
    Of(usize),
    Word(String),
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let words: Vec<String> = s
        .replace('(', " ( ")
        .replace(')', " ) ")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let lw = w.to_ascii_lowercase();
        let next_is_of = words
            .get(i + 1)
            .is_some_and(|n| n.eq_ignore_ascii_case("of"));
        out.push(match lw.as_str() {
            "and" => Tok::And,
            "or" => Tok::Or,
            "not" => Tok::Not,
            "(" => Tok::Open,
            ")" => Tok::Close,
            "|" => return Err(
                "aggregation in the condition (`| count() …`) is obsolete; use a correlation rule"
                    .into(),
            ),
            "all" | "any" if next_is_of => {
                i += 1;
                if lw == "all" {
                    Tok::Of(usize::MAX)
                } else {
                    Tok::Of(1)
                }
            }
            _ if next_is_of && lw.bytes().all(|b| b.is_ascii_digit()) => {
                i += 1;
                Tok::Of(lw.parse().map_err(|_| format!("bad count {w:?}"))?)
            }
            _ if w.contains('|') => return Err(
                "aggregation in the condition (`| count() …`) is obsolete; use a correlation rule"
                    .into(),
            ),
            _ => Tok::Word(w.clone()),
        });
        i += 1;
    }
    Ok(out)
}

/// Parses a condition; `names` are the rule's search identifiers.
pub fn parse(s: &str, names: &[String]) -> Result<Cond, String> {
    let toks = lex(s)?;
    let mut p = Parser {
        toks,
        pos: 0,
        names,
    };
    let c = p.or()?;
    if p.pos != p.toks.len() {
        return Err(format!("unexpected {:?} in condition {s:?}", p.toks[p.pos]));
    }
    Ok(c)
}

struct Parser<'n> {
    toks: Vec<Tok>,
    pos: usize,
    names: &'n [String],
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn or(&mut self) -> Result<Cond, String> {
        let mut v = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            v.push(self.and()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Cond::Or(v)
        })
    }

    fn and(&mut self) -> Result<Cond, String> {
        let mut v = vec![self.not()?];
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            v.push(self.not()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Cond::And(v)
        })
    }

    fn not(&mut self) -> Result<Cond, String> {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            return Ok(Cond::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Cond, String> {
        let t = self.peek().cloned().ok_or("condition ends too early")?;
        self.pos += 1;
        match t {
            Tok::Open => {
                let c = self.or()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err("missing `)` in condition".into());
                }
                self.pos += 1;
                Ok(c)
            }
            Tok::Of(n) => {
                let Some(Tok::Word(pat)) = self.peek().cloned() else {
                    return Err("`of` needs an identifier pattern or `them`".into());
                };
                self.pos += 1;
                let ids: Vec<usize> = if pat == "them" {
                    (0..self.names.len())
                        .filter(|i| !self.names[*i].starts_with('_'))
                        .collect()
                } else {
                    (0..self.names.len())
                        .filter(|i| glob(&pat, &self.names[*i]))
                        .collect()
                };
                if ids.is_empty() {
                    return Err(format!("`of {pat}` matches no search identifier"));
                }
                Ok(Cond::Of(n, ids))
            }
            Tok::Word(w) => match self.names.iter().position(|n| *n == w) {
                Some(i) => Ok(Cond::Id(i)),
                None => Err(format!("unknown search identifier {w:?}")),
            },
            t => Err(format!("unexpected {t:?} in condition")),
        }
    }
}

/// Identifier patterns: `*` any run, `?` one character.
fn glob(p: &str, s: &str) -> bool {
    let (p, s): (Vec<char>, Vec<char>) = (p.chars().collect(), s.chars().collect());
    let (mut pi, mut si, mut star, mut mark) = (0, 0, None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn ev(c: &str, n: &[&str], truth: &[bool]) -> bool {
        parse(c, &names(n)).unwrap().eval(&mut |i| truth[i])
    }

    #[test]
    fn precedence_or_and_not() {
        let n = ["a", "b", "c"];
        // a or (b and c)
        assert!(ev("a or b and c", &n, &[true, false, false]));
        assert!(!ev("a or b and c", &n, &[false, true, false]));
        // (not a) and b
        assert!(ev("not a and b", &n, &[false, true, false]));
        assert!(!ev("not a and b", &n, &[true, true, false]));
        // parentheses win
        assert!(!ev("(a or b) and c", &n, &[true, false, false]));
        assert!(ev("not (a and b)", &n, &[true, false, false]));
        assert!(ev("not not a", &n, &[true, false, false]));
        assert_eq!(
            parse("a or b and not c", &names(&n)).unwrap(),
            Cond::Or(vec![
                Cond::Id(0),
                Cond::And(vec![Cond::Id(1), Cond::Not(Box::new(Cond::Id(2)))])
            ])
        );
    }

    #[test]
    fn of_patterns_and_them() {
        let n = ["selection_a", "selection_b", "filter", "_hidden"];
        assert!(ev("1 of selection_*", &n, &[false, true, false, false]));
        assert!(!ev("all of selection_*", &n, &[false, true, false, false]));
        assert!(ev(
            "all of selection_* and not filter",
            &n,
            &[true, true, false, false]
        ));
        assert!(ev("all of them", &n, &[true, true, true, false]));
        assert!(!ev("1 of them", &n, &[false, false, false, true]));
        assert!(ev("2 of them", &n, &[true, false, true, false]));
        assert!(ev("not 1 of filter*", &n, &[true, false, false, false]));
        assert!(ev(
            "selection_? or filter",
            &["selection_?", "filter"],
            &[true, false]
        ));
    }

    #[test]
    fn errors() {
        let n = names(&["sel"]);
        assert!(parse("sel | count() > 5", &n).is_err());
        assert!(parse("sel and other", &n).is_err());
        assert!(parse("1 of nothing*", &n).is_err());
        assert!(parse("(sel", &n).is_err());
        assert!(parse("sel sel", &n).is_err());
        assert!(parse("", &n).is_err());
    }
}
