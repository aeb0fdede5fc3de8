//! Minimal driver without the CLI: `gen FORMAT EVENTS [SEED] [--incident] [--days D]`.
//! Writes the records to stdout and the ground truth to stderr. Handy for timing:
//! `cargo build --release -p auditlens-gen --example gen && time target/release/examples/gen ocore-json 1000000 > /dev/null`

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(format) = positional
        .first()
        .and_then(|n| auditlens_gen::Format::from_name(n))
    else {
        eprintln!("usage: gen FORMAT EVENTS [SEED] [--incident] [--days=D]");
        return ExitCode::from(2);
    };
    let events = positional
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let mut opts = auditlens_gen::Options::new(format, events);
    opts.seed = positional.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    opts.incident = args.iter().any(|a| a == "--incident");
    if let Some(d) = args
        .iter()
        .find_map(|a| a.strip_prefix("--days="))
        .and_then(|d| d.parse::<u64>().ok())
    {
        opts.span = std::time::Duration::from_secs(d * 86_400);
    }
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match auditlens_gen::generate(&opts, out) {
        Ok(truth) => {
            let _ = std::io::stderr().write_all(truth.to_json().as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen: {e}");
            ExitCode::FAILURE
        }
    }
}
