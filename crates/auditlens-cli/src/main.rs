//! `auditlens` — the native command line over auditlens-core: argument parsing and printing only.

use std::io::Write;
use std::process::ExitCode;

use auditlens_core::{time, Dataset, LoadOptions};
use clap::{Args, Parser, Subcommand};

mod bench;
mod case;
mod detect;
mod generate;
mod report;
mod search;
mod timeline;

#[derive(Parser)]
#[command(
    name = "auditlens",
    version,
    about = "Offline audit-log analyzer: ingest, search, timeline, detections and reports for exported audit logs."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Load files and report per-file counts, or print normalized events (--ndjson).
    Ingest(IngestArgs),
    /// Write synthetic audit logs in the seed formats (for tests, benchmarks and demos).
    Generate(generate::GenerateArgs),
    /// Measure ingest speed and memory on files.
    Bench(bench::BenchArgs),
    /// Search the events with the query language; tables for | stats, | top, | timechart.
    Search(search::SearchArgs),
    /// Histogram, lanes (--by actor|ip|target) or sessions (--by session) of the events.
    Timeline(timeline::TimelineArgs),
    /// Run the built-in detections (and Sigma rules with --rules) and print the findings.
    Detect(detect::DetectArgs),
    /// Write the incident report (Markdown, self-contained HTML, or JSON) for a scope.
    Report(report::ReportArgs),
    /// Export events as NDJSON, CSV, OCSF, ECS (_bulk) or Timesketch JSONL.
    Export(report::ExportArgs),
    /// Case files: merge two analysts' cases, check a case against files, embed or extract files.
    Case(case::CaseArgs),
}

/// Options shared by every command that loads files.
#[derive(Args, Clone, Debug)]
pub(crate) struct LoadArgs {
    /// Zone for timestamps that carry none: UTC (default), an offset like +02:00, or an IANA
    /// name like Europe/Berlin (daylight saving applied per timestamp).
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
    /// Force the format instead of detecting it (ocore, ops0, opsknight, vendore, generic, …).
    #[arg(long, value_name = "ID")]
    format: Option<String>,
    /// Map a normalized field to a column of an unrecognised file: time=When, actor=Who, …
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// Input files (JSON, NDJSON, CSV, optionally gzip-compressed).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<std::path::PathBuf>,
}

#[derive(Args)]
struct IngestArgs {
    /// Print the summary as JSON.
    #[arg(long, conflicts_with = "ndjson")]
    json: bool,
    /// Print one normalized event per line, sorted by time, file, record.
    #[arg(long)]
    ndjson: bool,
    #[command(flatten)]
    load: LoadArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.cmd {
        Cmd::Ingest(a) => ingest(a),
        Cmd::Generate(a) => generate::run(&a),
        Cmd::Bench(a) => bench::run(&a),
        Cmd::Search(a) => search::run(&a),
        Cmd::Timeline(a) => timeline::run(&a),
        Cmd::Detect(a) => detect::run(&a),
        Cmd::Report(a) => report::run_report(&a),
        Cmd::Export(a) => report::run_export(&a),
        Cmd::Case(a) => case::run(&a),
    };
    ExitCode::from(code as u8)
}

fn usage_error(msg: &str) -> i32 {
    eprintln!("auditlens: {msg}");
    2
}

/// Loads every file; returns the dataset and whether any file could not be read at all.
pub(crate) fn load(a: &LoadArgs) -> Result<(Dataset, bool), i32> {
    load_with(a, Vec::new())
}

/// [`load`], then the in-memory files given (name, bytes), e.g. those embedded in a case file.
pub(crate) fn load_with(
    a: &LoadArgs,
    extra: Vec<(String, Vec<u8>)>,
) -> Result<(Dataset, bool), i32> {
    let mut opts = LoadOptions {
        format: a.format.clone(),
        ..Default::default()
    };
    if let Some(tz) = &a.tz {
        match time::Zone::parse(tz) {
            Ok(z) => opts.zone = Some(z),
            Err(e) => return Err(usage_error(&format!("--tz: {e}"))),
        }
    }
    for m in &a.map {
        match m.split_once('=') {
            Some((f, c)) if auditlens_core::formats::generic::FIELDS.contains(&f.trim()) => {
                opts.mapping.push((f.trim().to_string(), c.to_string()))
            }
            _ => {
                return Err(usage_error(&format!(
                    "--map {m:?}: expected FIELD=COLUMN with FIELD one of {}",
                    auditlens_core::formats::generic::FIELDS.join(", ")
                )))
            }
        }
    }
    if let Some(f) = &opts.format {
        if auditlens_core::formats::index_of(f).is_none() {
            let ids: Vec<_> = auditlens_core::formats::all()
                .iter()
                .map(|f| f.id())
                .collect();
            return Err(usage_error(&format!(
                "--format {f:?}: unknown (known: {})",
                ids.join(", ")
            )));
        }
    }
    let mut ds = Dataset::new();
    let mut failed = false;
    for (name, bytes) in extra {
        let s = ds.load(&name, bytes, &opts);
        if !s.ok {
            failed = true;
            for e in &s.errors {
                eprintln!("auditlens: {}: {}", s.path, e.reason);
            }
        }
    }
    for path in &a.files {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => {
                let s = ds.load(&name, bytes, &opts);
                if !s.ok {
                    failed = true;
                    for e in &s.errors {
                        eprintln!("auditlens: {}: {}", s.path, e.reason);
                    }
                }
            }
            Err(e) => {
                eprintln!("auditlens: {name}: {e}");
                failed = true;
            }
        }
    }
    Ok((ds, failed))
}

fn ingest(a: IngestArgs) -> i32 {
    let (ds, failed) = match load(&a.load) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let range = ds.time_range();
    let res = if a.ndjson {
        (|| -> std::io::Result<()> {
            for e in &ds.events {
                serde_json::to_writer(&mut out, &ds.event_json(e))?;
                out.write_all(b"\n")?;
            }
            Ok(())
        })()
    } else if a.json {
        let v = serde_json::json!({
            "files": ds.summaries(),
            "events": ds.len(),
            "first": range.map(|r| time::format_rfc3339_ms(r.0)),
            "last": range.map(|r| time::format_rfc3339_ms(r.1)),
        });
        serde_json::to_writer_pretty(&mut out, &v)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        print_summary(&mut out, &ds)
    };
    if let Err(e) = res.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("auditlens: {e}");
            return 1;
        }
    }
    if failed {
        1
    } else {
        0
    }
}

fn print_summary(out: &mut impl Write, ds: &Dataset) -> std::io::Result<()> {
    for s in ds.summaries() {
        writeln!(out, "{}", s.path)?;
        writeln!(
            out,
            "  format    {} ({}) [{}]",
            s.format, s.format_name, s.container
        )?;
        writeln!(out, "  sha256    {}", s.sha256)?;
        if let Some(c) = &s.sha256_content {
            writeln!(out, "  content   {c} (decompressed)")?;
        }
        write!(
            out,
            "  records   read {}  loaded {}  rejected {}",
            s.read, s.loaded, s.rejected
        )?;
        if s.duplicates > 0 {
            write!(out, "  duplicates {}", s.duplicates)?;
        }
        if s.merged > 0 {
            write!(out, "  merged {}", s.merged)?;
        }
        writeln!(out)?;
        if let (Some(a), Some(b)) = (&s.first, &s.last) {
            writeln!(out, "  time      {a} .. {b}")?;
        }
        for c in &s.mapping {
            writeln!(
                out,
                "  mapping   {} <- {:?} ({}, {:.0}%)",
                c.field,
                c.column,
                c.by,
                c.confidence * 100.0
            )?;
        }
        for w in &s.warnings {
            writeln!(out, "  warning   {w}")?;
        }
        for e in s.errors.iter().take(10) {
            if e.record == 0 {
                writeln!(out, "  error     {}", e.reason)?;
            } else {
                writeln!(
                    out,
                    "  rejected  record {} (line {}): {}",
                    e.record, e.line, e.reason
                )?;
            }
        }
        if s.rejected as usize > 10 {
            writeln!(out, "  …         {} more rejected records", s.rejected - 10)?;
        }
    }
    match ds.time_range() {
        Some((a, b)) => writeln!(
            out,
            "{} events, {} .. {}",
            ds.len(),
            time::format_rfc3339_ms(a),
            time::format_rfc3339_ms(b)
        ),
        None => writeln!(out, "0 events"),
    }
}
