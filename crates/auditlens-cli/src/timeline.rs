//! `auditlens timeline`: a histogram of the (matching) events, or lanes / sessions.

use std::io::Write;

use auditlens_core::search::{self, Index};
use auditlens_core::timeline::{self, LaneBy, Stack};
use auditlens_core::{query, time, Dataset};

macro_rules! print_json {
    ($out:expr, $v:expr) => {
        serde_json::to_writer_pretty(&mut *$out, $v)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!($out))
    };
}

/// Arguments of `auditlens timeline`.
#[derive(clap::Args)]
pub struct TimelineArgs {
    /// Only events matching this query (the search syntax).
    #[arg(short = 'q', long = "query", value_name = "QUERY")]
    pub query: Option<String>,
    /// Bucket size of the histogram: 1m, 5m, 15m, 1h, 6h, 1d… (default: about 100 bars).
    #[arg(long, value_name = "DUR")]
    pub bucket: Option<String>,
    /// Stack the histogram by outcome or category.
    #[arg(long, value_name = "outcome|category")]
    pub stack: Option<String>,
    /// Show lanes (actor, ip, target) or sessions instead of the histogram.
    #[arg(long, value_name = "actor|ip|target|session")]
    pub by: Option<String>,
    /// Sessions: a pause longer than this ends a session without a logout.
    #[arg(long, value_name = "DUR", default_value = "30m")]
    pub maxpause: String,
    /// At most this many lanes or sessions (0 = all).
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub load: crate::LoadArgs,
}

fn usage(msg: &str) -> i32 {
    eprintln!("auditlens: {msg}");
    2
}

/// Runs the command; returns the exit code.
pub fn run(a: &TimelineArgs) -> i32 {
    let bucket = match a.bucket.as_deref() {
        None => 0,
        Some(b) => match timeline::parse_duration(b) {
            Some(ns) => ns,
            None => {
                return usage(&format!(
                    "--bucket {b:?}: expected a duration like 5m, 1h, 1d"
                ))
            }
        },
    };
    let maxpause = match timeline::parse_duration(&a.maxpause) {
        Some(ns) => ns,
        None => {
            return usage(&format!(
                "--maxpause {:?}: expected a duration like 30m",
                a.maxpause
            ))
        }
    };
    let stack = match a.stack.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("none") => Stack::None,
        Some("outcome") => Stack::Outcome,
        Some("category") => Stack::Category,
        Some(s) => return usage(&format!("--stack {s:?}: expected outcome or category")),
    };
    enum View {
        Histogram,
        Lanes(LaneBy),
        Sessions,
    }
    let view = match a.by.as_deref() {
        None => View::Histogram,
        Some(s) if s.eq_ignore_ascii_case("session") || s.eq_ignore_ascii_case("sessions") => {
            View::Sessions
        }
        Some(s) => match LaneBy::parse(s) {
            Some(b) => View::Lanes(b),
            None => {
                return usage(&format!(
                    "--by {s:?}: expected actor, ip, target or session"
                ))
            }
        },
    };
    let parsed =
        match a.query.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            None => None,
            Some(q) => match query::parse(q) {
                Ok(p) if p.pipe.is_some() => return usage(
                    "-q: a pipe (| stats …) makes no sense for a timeline; use `auditlens search`",
                ),
                Ok(p) => Some(p),
                Err(e) => return usage(&format!("bad query: {e}")),
            },
        };
    let (ds, failed) = match crate::load(&a.load) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let sel: Option<Vec<u32>> = parsed.map(|q| {
        let ix = Index::build(&ds);
        let bits = search::filter(&ds, &ix, &q.expr, search::default_now(&ds));
        bits.iter().map(|i| i as u32).collect()
    });
    let sel = sel.as_deref();
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let res = match view {
        View::Histogram => {
            let h = timeline::histogram(&ds, sel, bucket, stack);
            if a.json {
                print_json!(&mut out, &h)
            } else {
                print_histogram(&mut out, &h)
            }
        }
        View::Lanes(by) => {
            let mut l = timeline::lanes(&ds, sel, by);
            if a.limit > 0 {
                l.truncate(a.limit);
            }
            if a.json {
                print_json!(&mut out, &l)
            } else {
                print_lanes(&mut out, &l)
            }
        }
        View::Sessions => {
            let mut s = timeline::sessions(&ds, sel, maxpause);
            if a.limit > 0 {
                s.truncate(a.limit);
            }
            if a.json {
                print_json!(&mut out, &s)
            } else {
                print_sessions(&mut out, &s, &ds)
            }
        }
    };
    if let Err(e) = res.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("auditlens: {e}");
            return 1;
        }
    }
    i32::from(failed)
}

fn print_histogram(out: &mut impl Write, h: &timeline::Histogram) -> std::io::Result<()> {
    writeln!(out, "{} events, bucket {}", h.total, h.bucket_label)?;
    let totals = h.totals();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    const W: u64 = 50;
    let marks = ['#', 'x', '.', '+', '=', '*', 'o'];
    if h.series.len() > 1 {
        let legend: Vec<String> = h
            .series
            .iter()
            .zip(marks.iter().cycle())
            .map(|(s, m)| format!("{m} {s}"))
            .collect();
        writeln!(out, "{}", legend.join("  "))?;
    }
    for (b, t) in totals.iter().enumerate() {
        let start = h.start + b as i64 * h.bucket;
        let mut bar = String::new();
        for (s, m) in h.counts.iter().zip(marks.iter().cycle()) {
            let n = (s[b] * W).div_ceil(max);
            bar.extend(std::iter::repeat_n(*m, n as usize));
        }
        writeln!(
            out,
            "{}  {:>7}  {bar}",
            &time::format_rfc3339_ms(start)[..16].replace('T', " "),
            t
        )?;
    }
    Ok(())
}

fn print_lanes(out: &mut impl Write, l: &[timeline::Lane]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<40} {:>8} {:>8} {:>7}  {:<20} {:<20} top actions",
        "lane", "events", "failures", "actions", "first", "last"
    )?;
    for x in l {
        let top: Vec<String> = x
            .top_actions
            .iter()
            .take(3)
            .map(|(a, c)| format!("{a} ({c})"))
            .collect();
        writeln!(
            out,
            "{:<40} {:>8} {:>8} {:>7}  {:<20} {:<20} {}",
            x.key,
            x.count,
            x.failures,
            x.actions,
            &x.first[..19],
            &x.last[..19],
            top.join(", ")
        )?;
    }
    Ok(())
}

fn print_sessions(
    out: &mut impl Write,
    s: &[timeline::Session],
    _ds: &Dataset,
) -> std::io::Result<()> {
    for x in s {
        writeln!(
            out,
            "{}  {}  {} → {} ({}), {} events, {} failed{}{}  IPs: {}",
            &x.start[..19],
            x.actor,
            &x.start[11..19],
            &x.end[11..19],
            auditlens_core::ingest::human_duration(x.duration_s * 1_000_000_000),
            x.count,
            x.failures,
            if x.login { ", login" } else { "" },
            if x.logout { ", logout" } else { "" },
            x.ips.join(", ")
        )?;
    }
    Ok(())
}
