//! `auditlens generate`: deterministic synthetic audit logs (auditlens-gen) for tests,
//! benchmarks and demos. Argument parsing and file handling only.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use auditlens_gen::{generate, parse_rfc3339, rfc3339, Format, Options, DEFAULT_START};

/// `auditlens generate --format ocore-json -n 100000 --seed 7 --incident -o out.json`
#[derive(clap::Args, Debug, Clone)]
pub struct GenerateArgs {
    /// Output format: ocore-json, ocore-api, ocore-admin, ocore-csv, ops0-json, ops0-csv,
    /// opsknight-json, vendore-csv, vendore-json or cloudtrail-json.
    #[arg(long, value_name = "NAME", default_value = "ocore-json", value_parser = parse_format)]
    pub format: Format,
    /// Exact number of records to write (the planted incident's records included).
    #[arg(short = 'n', long, value_name = "N", default_value_t = 1000)]
    pub events: u64,
    /// PRNG seed: the same seed gives the same organisation and the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Start of the covered period, RFC 3339 [default: 2026-02-01T00:00:00Z].
    #[arg(long, value_name = "RFC3339", value_parser = parse_start)]
    pub start: Option<i64>,
    /// Length of the covered period in days (at least 7 with --incident).
    #[arg(long, value_name = "D", default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub days: u32,
    /// Plant the attack story (spray, brute force, takeover chain, off-hours session).
    #[arg(long)]
    pub incident: bool,
    /// Write the records to FILE instead of standard output ("-" = standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the ground truth (what was planted, when, by whom) as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub truth: Option<PathBuf>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Format::all().iter().map(|f| f.name()).collect();
        format!(
            "unknown format {s:?}; expected one of: {}",
            names.join(", ")
        )
    })
}

fn parse_start(s: &str) -> Result<i64, String> {
    parse_rfc3339(s)
        .ok_or_else(|| format!("{s:?} is not an RFC 3339 time (e.g. 2026-02-01T00:00:00Z)"))
}

impl GenerateArgs {
    /// The generator options these arguments describe.
    pub fn options(&self) -> Options {
        Options {
            format: self.format,
            events: self.events,
            seed: self.seed,
            start: self.start.unwrap_or(DEFAULT_START),
            span: Duration::from_secs(u64::from(self.days) * 86_400),
            incident: self.incident,
        }
    }
}

/// Counts what passes through, so the summary can say how much was written.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn to_stdout(path: Option<&Path>) -> bool {
    path.is_none_or(|p| p.as_os_str() == "-")
}

/// Run `auditlens generate`; returns the process exit code (0 ok, 1 I/O error, 2 bad request).
pub fn run(args: &GenerateArgs) -> i32 {
    let opts = args.options();
    let result = if to_stdout(args.output.as_deref()) {
        let stdout = io::stdout();
        let mut w = Counting {
            inner: BufWriter::with_capacity(1 << 16, stdout.lock()),
            bytes: 0,
        };
        generate(&opts, &mut w).map(|t| (t, w.bytes))
    } else {
        let path = args.output.as_deref().unwrap_or(Path::new("-"));
        match File::create(path) {
            Ok(f) => {
                let mut w = Counting {
                    inner: BufWriter::with_capacity(1 << 16, f),
                    bytes: 0,
                };
                generate(&opts, &mut w).map(|t| (t, w.bytes))
            }
            Err(e) => {
                eprintln!("auditlens: cannot create {}: {e}", path.display());
                return 1;
            }
        }
    };
    let (truth, bytes) = match result {
        Ok(r) => r,
        Err(e) if e.kind() == io::ErrorKind::InvalidInput => {
            eprintln!("auditlens: {e}");
            return 2;
        }
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return 0,
        Err(e) => {
            eprintln!("auditlens: generate failed: {e}");
            return 1;
        }
    };
    if let Some(path) = &args.truth {
        if let Err(e) = std::fs::write(path, truth.to_json()) {
            eprintln!("auditlens: cannot write {}: {e}", path.display());
            return 1;
        }
    }
    let dest = match &args.output {
        Some(p) if !to_stdout(Some(p)) => p.display().to_string(),
        _ => "standard output".to_string(),
    };
    let mut summary = format!(
        "auditlens: wrote {} {} records ({} bytes, {} .. {}, seed {}) to {dest}",
        truth.events,
        truth.format,
        bytes,
        rfc3339(truth.start),
        rfc3339(truth.end),
        truth.seed
    );
    if let Some((victim, _)) = &truth.victim {
        summary.push_str(&format!("; incident planted against {victim}"));
    }
    eprintln!("{summary}");
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: GenerateArgs,
    }

    fn parse(argv: &[&str]) -> Result<GenerateArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("generate").chain(argv.iter().copied())).map(|c| c.args)
    }

    #[test]
    fn defaults_and_flags() {
        let a = parse(&[]).expect("defaults");
        assert_eq!(a.options(), Options::new(Format::OcoreJson, 1000));
        let a = parse(&[
            "--format",
            "vendore-csv",
            "-n",
            "500",
            "--seed",
            "9",
            "--start",
            "2026-03-01T00:00:00+01:00",
            "--days",
            "10",
            "--incident",
            "-o",
            "x.csv",
            "--truth",
            "t.json",
        ])
        .expect("all flags");
        let o = a.options();
        assert_eq!(
            (o.format, o.events, o.seed, o.incident),
            (Format::VendoreCsv, 500, 9, true)
        );
        assert_eq!(
            o.start,
            parse_rfc3339("2026-02-28T23:00:00Z").expect("time")
        );
        assert_eq!(o.span, Duration::from_secs(10 * 86_400));
        assert!(parse(&["--format", "splunk"]).is_err());
        assert!(parse(&["--start", "yesterday"]).is_err());
        assert!(parse(&["--days", "0"]).is_err());
    }

    #[test]
    fn writes_records_and_truth() {
        let dir = std::env::temp_dir().join(format!("auditlens-generate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp dir");
        let out = dir.join("o.json");
        let truth = dir.join("t.json");
        let a = parse(&[
            "--format",
            "ocore-json",
            "-n",
            "300",
            "--incident",
            "-o",
            out.to_str().expect("utf8 path"),
            "--truth",
            truth.to_str().expect("utf8 path"),
        ])
        .expect("args");
        assert_eq!(run(&a), 0);
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&out).expect("output")).expect("json");
        assert_eq!(v["total"], 300);
        let t: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&truth).expect("truth")).expect("truth json");
        assert_eq!(t["incidents"].as_array().map(Vec::len), Some(9));
        // Too few events for the story: a usage error, not an I/O error.
        let a = parse(&[
            "-n",
            "10",
            "--incident",
            "-o",
            out.to_str().expect("utf8 path"),
        ])
        .expect("args");
        assert_eq!(run(&a), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
