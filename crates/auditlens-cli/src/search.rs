//! `auditlens search -q QUERY FILE…`: runs a query over files and prints the matching events
//! (a table, normalized NDJSON or JSON), just their number, or a pipe stage's table.
//! Argument parsing and printing only; the search itself is `auditlens_core::search`.

use std::io::Write;
use std::time::Instant;

use auditlens_core::query::{self, QueryError};
use auditlens_core::search::{self, Cell, Index, SearchOptions, SearchResult, Sort, Table};
use auditlens_core::{time, Dataset};

/// Arguments of `auditlens search`.
#[derive(clap::Args, Debug, Clone)]
pub struct SearchArgs {
    /// The query, e.g. 'user:alice* AND NOT outcome:success' or '* | stats count by actor'.
    #[arg(
        short = 'q',
        long = "query",
        value_name = "QUERY",
        allow_hyphen_values = true
    )]
    pub query: String,
    /// Print only the number of matching events.
    #[arg(long, conflicts_with_all = ["ndjson", "json"])]
    pub count: bool,
    /// Print the matching events as normalized NDJSON (as `ingest --ndjson` does); tables of
    /// pipe stages as one JSON object per row.
    #[arg(long, conflicts_with = "json")]
    pub ndjson: bool,
    /// Print the result as JSON: total, events, facets, histogram (or the stage's table).
    #[arg(long)]
    pub json: bool,
    /// Print at most N events [default: 50; all with --ndjson].
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Order of events: time, -time (newest first), or a field such as actor or -actor.
    #[arg(
        long,
        value_name = "ORDER",
        default_value = "time",
        allow_hyphen_values = true
    )]
    pub sort: String,
    /// What "now" means in relative times (RFC 3339) [default: the latest event's time].
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    #[command(flatten)]
    pub load: crate::LoadArgs,
}

fn usage(msg: &str) -> i32 {
    eprintln!("auditlens: {msg}");
    2
}

/// Prints a query error with the query and a caret under the offending text.
fn query_error(q: &str, e: &QueryError) -> i32 {
    eprintln!("auditlens: bad query: {e}");
    if !q.contains('\n') {
        let width = q
            .get(e.start..e.end)
            .map_or(1, |s| s.chars().count().max(1));
        eprintln!("  {q}");
        eprintln!("  {}{}", " ".repeat(e.column - 1), "^".repeat(width));
    }
    2
}

/// Runs `auditlens search`; returns the exit code (2: bad query or usage, 1: a file could not
/// be read, 0 otherwise).
pub fn run(a: &SearchArgs) -> i32 {
    // Check the query before reading gigabytes.
    let q = match query::parse(&a.query) {
        Ok(q) => q,
        Err(e) => return query_error(&a.query, &e),
    };
    let sort = match Sort::parse(&a.sort) {
        Ok(s) => s,
        Err(e) => return usage(&format!("--sort: {e}")),
    };
    let now = match &a.now {
        None => None,
        Some(t) => match time::parse_timestamp(t) {
            Some(ts) => Some(ts.nanos),
            None => return usage(&format!("--now {t:?}: expected an RFC 3339 time")),
        },
    };
    let (ds, failed) = match crate::load(&a.load) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let ix = Index::build(&ds);
    let start = Instant::now();
    let clock = || start.elapsed().as_secs_f64() * 1000.0;
    let pipe = q.pipe.is_some();
    let limit = match a.limit {
        Some(n) => n,
        None if a.ndjson => usize::MAX,
        None => 50,
    };
    let sopts = SearchOptions {
        now,
        offset: 0,
        limit: if a.count || (a.ndjson && !pipe) {
            0
        } else {
            limit
        },
        sort,
        facets: a.json,
        histogram: a.json,
        highlights: a.json,
        raw_text: true,
        clock: Some(&clock),
    };
    // `run` (not `search`) so that errors found while running point into the query text.
    let r = match search::run(&ds, &ix, &a.query, &sopts) {
        Ok(r) => r,
        Err(e) => return query_error(&a.query, &e),
    };
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let res = if a.count {
        writeln!(out, "{}", r.total)
    } else if a.json {
        serde_json::to_writer_pretty(&mut out, &r.to_json(&ds))
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else if let Some(t) = &r.table {
        if a.ndjson {
            print_table_ndjson(&mut out, t)
        } else {
            print_table(&mut out, t, r.total)
        }
    } else if a.ndjson {
        (|| -> std::io::Result<()> {
            for i in search::order(&ds, &ix, &r.matches, sort, 0, limit) {
                serde_json::to_writer(&mut out, &ds.event_json(&ds.events[i]))?;
                out.write_all(b"\n")?;
            }
            Ok(())
        })()
    } else {
        print_events(&mut out, &ds, &r)
    };
    if let Err(e) = res.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("auditlens: {e}");
            return 1;
        }
    }
    i32::from(failed)
}

/// Cuts `s` to `w` characters, ending with `…` when cut.
fn fit(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_string();
    }
    let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
    t.push('…');
    t
}

fn print_rows(out: &mut impl Write, head: &[String], rows: &[Vec<String>]) -> std::io::Result<()> {
    let mut w: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(x) = w.get_mut(i) {
                *x = (*x).max(c.chars().count());
            }
        }
    }
    let line = |cells: &[String]| {
        let last = cells.len().saturating_sub(1);
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    c.clone()
                } else {
                    format!("{c:<width$}", width = w[i])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(out, "{}", line(head).trim_end())?;
    for r in rows {
        writeln!(out, "{}", line(r).trim_end())?;
    }
    Ok(())
}

fn print_events(out: &mut impl Write, ds: &Dataset, r: &SearchResult) -> std::io::Result<()> {
    let head = ["time", "outcome", "action", "actor", "src_ip", "target"].map(String::from);
    let rows: Vec<Vec<String>> = r
        .hits
        .iter()
        .filter_map(|h| ds.events.get(h.index))
        .map(|e| {
            let s = |x| ds.str(x);
            let src = match e.src_ip {
                Some(ip) => ip.to_string(),
                None => s(e.src_raw).to_string(),
            };
            let target = ds
                .targets_of(e)
                .iter()
                .map(|t| if t.name.is_some() { s(t.name) } else { s(t.id) })
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                time::format_rfc3339_ms(e.time),
                e.outcome.name().to_string(),
                fit(s(e.action), 40),
                fit(s(e.actor_name), 40),
                fit(&src, 39),
                fit(&target, 60),
            ]
        })
        .collect();
    if !rows.is_empty() {
        print_rows(out, &head, &rows)?;
    }
    let shown = rows.len();
    let order = if r.sort == Sort::default() {
        String::new()
    } else {
        format!(", sorted by {}", r.sort)
    };
    if shown < r.total {
        writeln!(
            out,
            "{shown} of {} matching events{order} (--limit N for more, --count for the number)",
            r.total
        )
    } else {
        writeln!(
            out,
            "{} matching event{}{order}",
            r.total,
            if r.total == 1 { "" } else { "s" }
        )
    }
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Count(n) => n.to_string(),
    }
}

fn print_table(out: &mut impl Write, t: &Table, total: usize) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| fit(&cell_text(c), 80)).collect())
        .collect();
    print_rows(out, &t.columns, &rows)?;
    let mut notes = vec![format!("{total} matching events")];
    if t.kind != "timechart" {
        notes.push(format!(
            "{} group{}",
            t.groups,
            if t.groups == 1 { "" } else { "s" }
        ));
    }
    if let Some(b) = t.bucket_ns {
        notes.push(format!("bucket {}", search::duration_label(b)));
    }
    if t.truncated {
        notes.push(format!("first {} shown", t.rows.len()));
    }
    if t.missing > 0 {
        notes.push(format!("{} without a value", t.missing));
    }
    writeln!(out, "{}", notes.join(", "))
}

fn print_table_ndjson(out: &mut impl Write, t: &Table) -> std::io::Result<()> {
    for r in &t.rows {
        let obj: serde_json::Map<String, serde_json::Value> = t
            .columns
            .iter()
            .zip(r)
            .map(|(c, v)| (c.clone(), serde_json::to_value(v).unwrap_or_default()))
            .collect();
        serde_json::to_writer(&mut *out, &obj)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
