//! `auditlens bench`: times ingest (and later queries) on real files, with peak memory.
//! Timing lives here, not in core (core has no clock) and never in unit tests.

use std::time::Instant;

use auditlens_core::{Dataset, LoadOptions};

/// Arguments of `auditlens bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Repeat the measurement this many times and report the best and the median.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Time the built-in detections (default thresholds) instead of ingest.
    #[arg(long)]
    pub detect: bool,
    /// Time a bare `serde_json::from_slice::<serde_json::Value>` of each file instead of ingest:
    /// the physical floor that any JSON ingest is compared with (docs/PERFORMANCE.md).
    #[arg(long, conflicts_with = "detect")]
    pub floor: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also time this query over the loaded data (repeatable); reports the index too.
    #[arg(long = "query", value_name = "Q", allow_hyphen_values = true)]
    pub queries: Vec<String>,
    /// Input files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
}

/// Loads once, then times `detect::run_builtin` `runs` times.
fn detect_bench(a: &BenchArgs, inputs: Vec<(String, Vec<u8>)>) -> i32 {
    let mut ds = Dataset::new();
    for (name, b) in inputs {
        ds.load(&name, b, &LoadOptions::default());
    }
    let cfg = auditlens_core::detect::Config::default();
    let mut times = Vec::new();
    let mut findings = 0;
    for _ in 0..a.runs.max(1) {
        let t = Instant::now();
        findings = auditlens_core::detect::run_builtin(&ds, &cfg).len();
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(|x, y| x.total_cmp(y));
    let (best, median) = (times[0], times[times.len() / 2]);
    if a.json {
        println!(
            "{}",
            serde_json::json!({"events": ds.len(), "findings": findings, "runs": times.len(),
                "detect_best_s": best, "detect_median_s": median})
        );
    } else {
        println!(
            "detect       {} events, {findings} findings: best {best:.3} s, median {median:.3} s over {} runs",
            ds.len(),
            times.len()
        );
    }
    0
}

/// Times `serde_json::from_slice::<serde_json::Value>` over every input, `runs` times: the cost of
/// merely parsing the bytes into a generic tree, with no normalization or index.
fn floor_bench(a: &BenchArgs, inputs: &[(String, Vec<u8>)]) -> i32 {
    let bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    let mut times = Vec::new();
    for _ in 0..a.runs.max(1) {
        let t = Instant::now();
        for (name, b) in inputs {
            match serde_json::from_slice::<serde_json::Value>(b) {
                Ok(v) => drop(std::hint::black_box(v)),
                Err(e) => {
                    eprintln!("auditlens: {name}: not one JSON document: {e}");
                    return 1;
                }
            }
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(|x, y| x.total_cmp(y));
    let (best, median) = (times[0], times[times.len() / 2]);
    let mb = bytes as f64 / 1e6;
    if a.json {
        println!(
            "{}",
            serde_json::json!({"bytes": bytes, "runs": times.len(), "floor_best_s": best,
                "floor_median_s": median, "mb_per_s": mb / best,
                "peak_rss_mib": peak_rss_kib().unwrap_or(0) as f64 / 1024.0})
        );
    } else {
        println!(
            "floor        serde_json::Value parse of {mb:.1} MB: best {best:.3} s, median {median:.3} s over {} runs ({:.0} MB/s)",
            times.len(),
            mb / best
        );
    }
    0
}

/// CPU time this thread has run, from /proc/thread-self/schedstat (Linux; nanoseconds, but only
/// brought up to date at scheduler ticks: good for seconds, not for a millisecond query). Unlike
/// wall time it hardly changes when other processes compete for the cores, so a loaded machine
/// still gives a usable ingest number (the core is single-threaded).
fn thread_cpu_s() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<u64>().ok()? as f64 / 1e9)
}

fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the benchmark; returns the exit code.
pub fn run(a: &BenchArgs) -> i32 {
    let mut inputs = Vec::new();
    for p in &a.files {
        match std::fs::read(p) {
            Ok(b) => inputs.push((p.display().to_string(), b)),
            Err(e) => {
                eprintln!("auditlens: {}: {e}", p.display());
                return 1;
            }
        }
    }
    if a.detect {
        return detect_bench(a, inputs);
    }
    if a.floor {
        return floor_bench(a, &inputs);
    }
    let bytes: u64 = inputs.iter().map(|(_, b)| b.len() as u64).sum();
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut events = 0;
    let mut sizes = (0usize, 0usize);
    for _ in 0..a.runs.max(1) {
        let copies: Vec<(String, Vec<u8>)> = inputs.clone();
        let c = thread_cpu_s();
        let t = Instant::now();
        let mut ds = Dataset::new();
        for (name, b) in copies {
            ds.load(&name, b, &LoadOptions::default());
        }
        times.push(t.elapsed().as_secs_f64());
        if let (Some(c0), Some(c1)) = (c, thread_cpu_s()) {
            cpu.push(c1 - c0);
        }
        events = ds.len();
        sizes = (
            ds.strings.bytes(),
            ds.events.capacity() * std::mem::size_of::<auditlens_core::model::Event>(),
        );
        drop(ds);
    }
    times.sort_by(|x, y| x.total_cmp(y));
    cpu.sort_by(|x, y| x.total_cmp(y));
    let best = times[0];
    let median = times[times.len() / 2];
    let cpu_best = cpu.first().copied();
    let mb = bytes as f64 / 1e6;
    let rss = peak_rss_kib().unwrap_or(0) as f64 / 1024.0;
    // Peak RSS includes the input copy held for repeated runs: report the ratio without it.
    let input_mib = bytes as f64 / (1 << 20) as f64;
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "bytes": bytes, "events": events, "runs": times.len(),
                "best_s": best, "median_s": median, "cpu_best_s": cpu_best,
                "mb_per_s": mb / best, "events_per_s": events as f64 / best,
                "peak_rss_mib": rss, "input_mib": input_mib,
                "interned_bytes": sizes.0, "event_table_bytes": sizes.1,
            })
        );
    } else {
        println!(
            "input        {mb:.1} MB in {} file(s), {events} events",
            inputs.len()
        );
        println!(
            "ingest       best {best:.3} s, median {median:.3} s over {} runs{}",
            times.len(),
            cpu_best.map_or(String::new(), |c| format!(" (best CPU time {c:.3} s)"))
        );
        println!(
            "throughput   {:.0} MB/s, {:.0} events/s",
            mb / best,
            events as f64 / best
        );
        println!("memory       peak RSS {rss:.0} MiB (includes one {input_mib:.0} MiB input copy kept for re-runs)");
        println!(
            "             strings {:.0} MiB, event table {:.0} MiB ({} B/event)",
            sizes.0 as f64 / 1048576.0,
            sizes.1 as f64 / 1048576.0,
            std::mem::size_of::<auditlens_core::model::Event>()
        );
    }
    if !a.queries.is_empty() {
        return queries(a, inputs);
    }
    0
}

/// Loads once more, builds the search index, then times each query (a full UI search: page of
/// 50, facets, histogram, highlights) `runs` times.
fn queries(a: &BenchArgs, inputs: Vec<(String, Vec<u8>)>) -> i32 {
    use auditlens_core::search::{self, Index, SearchOptions};
    let input: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    let mut ds = Dataset::new();
    for (name, b) in inputs {
        ds.load(&name, b, &LoadOptions::default());
    }
    let c = thread_cpu_s();
    let t = Instant::now();
    let ix = Index::build(&ds);
    let build_s = t.elapsed().as_secs_f64();
    let build_cpu_s = c.zip(thread_cpu_s()).map(|(c0, c1)| c1 - c0);
    let data: usize = ds
        .files
        .iter()
        .map(|f| f.bytes.capacity() + f.side.capacity())
        .sum::<usize>()
        + ds.events.capacity() * std::mem::size_of::<auditlens_core::model::Event>()
        + ds.targets.capacity() * std::mem::size_of::<auditlens_core::model::Target>()
        + ds.strings.bytes();
    let index = ix.memory_bytes();
    let mib = |b: usize| b as f64 / 1048576.0;
    let mut rows = Vec::new();
    for q in &a.queries {
        let parsed = match auditlens_core::query::parse(q) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("auditlens: bad query {q:?}: {e}");
                return 2;
            }
        };
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let mut last = None;
        for _ in 0..a.runs.max(1) {
            let c = thread_cpu_s();
            let start = Instant::now();
            let clock = || start.elapsed().as_secs_f64() * 1000.0;
            let opts = SearchOptions {
                clock: Some(&clock),
                ..Default::default()
            };
            last = search::search(&ds, &ix, &parsed, &opts).ok();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            if let (Some(c0), Some(c1)) = (c, thread_cpu_s()) {
                cpu.push((c1 - c0) * 1000.0);
            }
        }
        times.sort_by(|x, y| x.total_cmp(y));
        cpu.sort_by(|x, y| x.total_cmp(y));
        let Some(r) = last else { continue };
        rows.push(serde_json::json!({
            "query": q, "matches": r.total, "best_ms": times[0],
            "median_ms": times[times.len() / 2], "cpu_best_ms": cpu.first(), "phases_ms": r.timing,
        }));
    }
    if a.json {
        let parts = ix.memory();
        println!(
            "{}",
            serde_json::json!({
                "index_build_s": build_s, "index_build_cpu_s": build_cpu_s, "index_bytes": index, "dataset_bytes": data,
                "input_bytes": input, "index_parts": parts, "queries": rows,
            })
        );
        return 0;
    }
    println!("index        built in {build_s:.3} s, {:.1} MiB ({:.1}% of the input); dataset with index {:.0} MiB = {:.2}x the input", mib(index), 100.0 * index as f64 / input as f64, mib(data + index), (data + index) as f64 / input as f64);
    for p in ix.memory().iter().filter(|p| p.bytes >= 1 << 20) {
        println!(
            "             {:<14} {:>7.1} MiB  {} distinct",
            p.name,
            mib(p.bytes),
            p.distinct
        );
    }
    for r in &rows {
        let ph = &r["phases_ms"];
        println!(
            "query        {:>8.2} ms best, {:>8.2} median  (filter {:.2}, order {:.2}, facets {:.2}, histogram {:.2}, pipe {:.2})  {:>8} matches  {}",
            r["best_ms"].as_f64().unwrap_or(0.0), r["median_ms"].as_f64().unwrap_or(0.0),
            ph["filter_ms"].as_f64().unwrap_or(0.0), ph["order_ms"].as_f64().unwrap_or(0.0),
            ph["facets_ms"].as_f64().unwrap_or(0.0), ph["histogram_ms"].as_f64().unwrap_or(0.0),
            ph["pipe_ms"].as_f64().unwrap_or(0.0), r["matches"], r["query"].as_str().unwrap_or(""),
        );
    }
    0
}
