//! `auditlens report` (incident report as Markdown, HTML or JSON) and `auditlens export`
//! (normalized events as NDJSON, CSV, OCSF, ECS or Timesketch JSONL).

use std::io::Write;

use auditlens_core::case::Case;
use auditlens_core::export::{self, ExportKind, ExportOptions};
use auditlens_core::report::{self, ReportInput, ReportRequest};
use auditlens_core::search::{self, Index};
use auditlens_core::time::{self, Zone};
use auditlens_core::Dataset;

/// Arguments of `auditlens report`.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// Scope: only events matching this query (the search language).
    #[arg(short = 'q', long = "query", value_name = "QUERY")]
    pub query: Option<String>,
    /// Scope start: RFC 3339 time or a date (inclusive).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Scope end: RFC 3339 time or a date (inclusive: a date means to the end of that day).
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Case file with stars, tags, comments, analyst events and notes.
    #[arg(long = "case", value_name = "FILE")]
    pub case: Option<std::path::PathBuf>,
    /// "Generated at" time printed in the report (RFC 3339); default: now. Give it to make
    /// reports reproducible byte for byte.
    #[arg(long = "generated-at", value_name = "TIME")]
    pub generated_at: Option<String>,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value = "md", value_parser = ["md", "markdown", "html", "json"])]
    pub format: String,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<std::path::PathBuf>,
    /// Report title (default: the case's, else "Incident report").
    #[arg(long)]
    pub title: Option<String>,
    /// Case id printed in the report (default: the case's).
    #[arg(long = "case-id", value_name = "ID")]
    pub case_id: Option<String>,
    /// Zone the report shows times in (UTC, +02:00, Europe/Berlin); default: the case's, else
    /// --tz, else UTC.
    #[arg(long = "display-tz", value_name = "ZONE")]
    pub display_tz: Option<String>,
    /// Only these findings (rule ids, comma-separated); default: the case's selection, else all.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub findings: Vec<String>,
    /// Leave starred events out of the timeline.
    #[arg(long)]
    pub no_starred: bool,
    #[command(flatten)]
    pub rules: crate::detect::RuleArgs,
    #[command(flatten)]
    pub load: ReportLoadArgs,
}

/// The loading options of `report`: as for the other commands, but `--format` names the
/// report's format, so forcing the input format is `--input-format`.
#[derive(clap::Args, Clone, Debug)]
pub struct ReportLoadArgs {
    /// Zone for timestamps that carry none: UTC (default), an offset like +02:00, or an IANA name.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Force the input format instead of detecting it (ocore, ops0, cloudtrail, generic, …).
    #[arg(long = "input-format", value_name = "ID")]
    pub input_format: Option<String>,
    /// Map a normalized field to a column of an unrecognised file: time=When, actor=Who, …
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,
    /// Input files (JSON, NDJSON, CSV, optionally gzip-compressed). Without any, the files
    /// embedded in the case (`--case`) are used.
    #[arg(value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
}

impl ReportLoadArgs {
    fn to_load_args(&self) -> crate::LoadArgs {
        crate::LoadArgs {
            tz: self.tz.clone(),
            format: self.input_format.clone(),
            map: self.map.clone(),
            files: self.files.clone(),
        }
    }
}

/// Arguments of `auditlens export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long = "to", value_name = "FORMAT", value_parser = ["ndjson", "csv", "ocsf", "ecs", "timesketch"])]
    pub to: String,
    /// Only events matching this query.
    #[arg(short = 'q', long = "query", value_name = "QUERY")]
    pub query: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<std::path::PathBuf>,
    /// Zone for the local-time columns (CSV time_local, Timesketch datetime); default --tz, else UTC.
    #[arg(long = "display-tz", value_name = "ZONE")]
    pub display_tz: Option<String>,
    /// Index named in the ECS _bulk action lines.
    #[arg(long = "index", value_name = "NAME", default_value = export::ECS_DEFAULT_INDEX)]
    pub index: String,
    #[command(flatten)]
    pub load: crate::LoadArgs,
}

fn usage(msg: &str) -> i32 {
    eprintln!("auditlens: {msg}");
    2
}

fn zone(display: Option<&str>, fallback: Option<&str>) -> Result<Zone, String> {
    match display.or(fallback) {
        Some(z) if !z.trim().is_empty() => Zone::parse(z),
        _ => Ok(Zone::default()),
    }
}

/// Opens the output: the file given, or standard output.
fn output(path: Option<&std::path::Path>) -> std::io::Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

fn finish(res: std::io::Result<()>, failed: bool) -> i32 {
    match res {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("auditlens: {e}");
            1
        }
        _ => i32::from(failed),
    }
}

/// Runs `auditlens report`.
pub fn run_report(a: &ReportArgs) -> i32 {
    let case = match &a.case {
        None => Case::default(),
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| Case::parse(&t))
        {
            Ok(c) => c,
            Err(e) => return usage(&format!("--case {}: {e}", p.display())),
        },
    };
    let zone = match zone(
        a.display_tz
            .as_deref()
            .or(Some(case.report.tz.as_str()).filter(|z| !z.is_empty())),
        a.load.tz.as_deref(),
    ) {
        Ok(z) => z,
        Err(e) => return usage(&format!("--display-tz: {e}")),
    };
    let generated_at = match &a.generated_at {
        Some(t) => match time::parse_timestamp(t) {
            Some(ts) => ts.nanos,
            None => return usage(&format!("--generated-at {t:?}: expected an RFC 3339 time")),
        },
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64),
    };
    let bound = |flag: &str, v: Option<&str>, end: bool| -> Result<Option<i64>, i32> {
        match v.filter(|s| !s.trim().is_empty()) {
            None => Ok(None),
            Some(s) => report::parse_bound(s, end, &zone)
                .map(Some)
                .map_err(|e| usage(&format!("{flag} {e}"))),
        }
    };
    let from = match bound(
        "--from",
        a.from.as_deref().or(Some(&case.report.from)),
        false,
    ) {
        Ok(v) => v,
        Err(c) => return c,
    };
    let to = match bound("--to", a.to.as_deref().or(Some(&case.report.to)), true) {
        Ok(v) => v,
        Err(c) => return c,
    };
    let (cfg, sigma_rules) = match a.rules.load(case.detect_config.as_ref()) {
        Ok(x) => x,
        Err(e) => return usage(&e),
    };
    // Without input files, a portable case brings its own.
    let embedded = if a.load.files.is_empty() {
        match case.embedded_files() {
            Ok(f) if !f.is_empty() => f,
            Ok(_) => return usage("no input files (give FILE… or a --case with embedded files)"),
            Err(e) => return usage(&format!("--case: {e}")),
        }
    } else {
        Vec::new()
    };
    let (ds, failed) = match crate::load_with(&a.load.to_load_args(), embedded) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if a.case.is_some() {
        let check = case.check(&ds);
        for f in &check.missing {
            eprintln!(
                "auditlens: warning: the case names {} (sha256 {}) which is not loaded; its annotations are left out",
                f.name, f.sha256
            );
        }
        for k in &check.unknown_events {
            eprintln!("auditlens: warning: case annotation {k}: no such event");
        }
    }
    let ix = Index::build(&ds);
    let findings = if a.findings.is_empty() {
        (!case.report.findings.is_empty()).then(|| case.report.findings.clone())
    } else {
        Some(a.findings.clone())
    };
    let req = ReportRequest {
        title: a.title.clone().unwrap_or_default(),
        case_id: a.case_id.clone().unwrap_or_default(),
        query: a.query.clone().unwrap_or_else(|| case.report.query.clone()),
        from,
        to,
        findings,
        include_starred: !a.no_starred,
        zone,
        generated_at,
        now: None,
    };
    let input = ReportInput {
        ds: &ds,
        index: &ix,
        case: &case,
        config: (!a.rules.no_builtin).then_some(&cfg),
        sigma: sigma_rules.as_ref(),
    };
    let rep = match report::build(&input, &req) {
        Ok(r) => r,
        Err(e) => return usage(&e),
    };
    let text = match a.format.as_str() {
        "html" => rep.to_html(),
        "json" => rep.to_json(),
        _ => rep.to_markdown(),
    };
    let res = output(a.output.as_deref()).and_then(|mut o| {
        o.write_all(text.as_bytes())?;
        o.flush()
    });
    finish(res, failed)
}

/// The positions of the events matching `query` (all events without one), in time order.
fn select(ds: &Dataset, query: Option<&str>) -> Result<Vec<usize>, String> {
    match query.filter(|q| !q.trim().is_empty()) {
        None => Ok((0..ds.events.len()).collect()),
        Some(q) => {
            let ix = Index::build(ds);
            let parsed = auditlens_core::query::parse(q).map_err(|e| format!("-q: {e}"))?;
            let bits = search::filter(ds, &ix, &parsed.expr, search::default_now(ds));
            Ok(bits.iter().collect())
        }
    }
}

/// Runs `auditlens export`.
pub fn run_export(a: &ExportArgs) -> i32 {
    let kind = match ExportKind::parse(&a.to) {
        Ok(k) => k,
        Err(e) => return usage(&e),
    };
    let zone = match zone(a.display_tz.as_deref(), a.load.tz.as_deref()) {
        Ok(z) => z,
        Err(e) => return usage(&format!("--display-tz: {e}")),
    };
    let (ds, failed) = match crate::load(&a.load) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let sel = match select(&ds, a.query.as_deref()) {
        Ok(s) => s,
        Err(e) => return usage(&e),
    };
    let opts = ExportOptions {
        zone,
        ecs_index: a.index.clone(),
    };
    let res = output(a.output.as_deref()).and_then(|mut o| {
        export::write(&ds, sel, kind, &opts, &mut o)?;
        o.flush()
    });
    finish(res, failed)
}
