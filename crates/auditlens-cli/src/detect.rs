//! `auditlens detect`: built-in detections (AL-xxx) plus Sigma rules, as text or JSON.

use std::io::Write;

use auditlens_core::detect::{self, Config, Finding};
use auditlens_core::sigma;

/// The rule options of `detect` and `report`.
#[derive(clap::Args)]
pub struct RuleArgs {
    /// Sigma rule files, directories of .yml/.yaml files, or zip packs (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<std::path::PathBuf>,
    /// Thresholds of the built-in rules as a JSON file (missing keys keep their defaults; for
    /// `report`, the case's thresholds when not given).
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Skip the built-in rules (only Sigma).
    #[arg(long)]
    pub no_builtin: bool,
}

impl RuleArgs {
    /// The built-in thresholds (`--config`, else `fallback`, else the defaults) and the Sigma
    /// rules (unsupported ones reported on standard error), or a usage message.
    pub fn load(
        &self,
        fallback: Option<&serde_json::Value>,
    ) -> Result<(Config, Option<sigma::RuleSet>), String> {
        let cfg: Config = match (&self.config, fallback) {
            (Some(p), _) => std::fs::read_to_string(p)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
                .map_err(|e| format!("--config {}: {e}", p.display()))?,
            (None, Some(v)) => serde_json::from_value(v.clone())
                .map_err(|e| format!("the case's detect_config: {e}"))?,
            (None, None) => Config::default(),
        };
        if self.rules.is_empty() {
            return Ok((cfg, None));
        }
        let files = read_rules(&self.rules).map_err(|e| format!("--rules {e}"))?;
        let set = sigma::load_rules(&files);
        for (file, title, why) in &set.unsupported {
            eprintln!("auditlens: {file}: rule {title:?} skipped: {why}");
        }
        Ok((cfg, Some(set)))
    }
}

/// Arguments of `auditlens detect`.
#[derive(clap::Args)]
pub struct DetectArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Print findings as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub load: crate::LoadArgs,
}

fn usage(msg: &str) -> i32 {
    eprintln!("auditlens: {msg}");
    2
}

/// Reads Sigma rule files: files as given, directories recursively (`.yml`/`.yaml`), and zip
/// archives (their `.yml`/`.yaml` entries).
fn read_rules(paths: &[std::path::PathBuf]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut stack: Vec<std::path::PathBuf> = paths.to_vec();
    stack.reverse();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(&p)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|q| {
                    q.is_dir()
                        || q.extension().is_some_and(|x| {
                            x.eq_ignore_ascii_case("yml") || x.eq_ignore_ascii_case("yaml")
                        })
                })
                .collect();
            entries.sort();
            entries.reverse();
            stack.extend(entries);
        } else {
            let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            if auditlens_core::zip::is_zip(&bytes) {
                // A rule pack: every .yml/.yaml inside, in archive order.
                let entries = auditlens_core::zip::entries(&bytes)
                    .map_err(|e| format!("{}: {e}", p.display()))?;
                for e in entries {
                    let lower = e.name.to_ascii_lowercase();
                    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
                        let text = String::from_utf8_lossy(&e.data).into_owned();
                        out.push((format!("{}:{}", p.display(), e.name), text));
                    }
                }
            } else {
                let text = String::from_utf8(bytes)
                    .map_err(|e| format!("{}: not UTF-8 text ({e})", p.display()))?;
                out.push((p.display().to_string(), text));
            }
        }
    }
    Ok(out)
}

/// Runs the command; returns the exit code (0, or 1 when a file failed to load).
pub fn run(a: &DetectArgs) -> i32 {
    let (cfg, sigma_rules) = match a.rules.load(None) {
        Ok(x) => x,
        Err(e) => return usage(&e),
    };
    let (ds, failed) = match crate::load(&a.load) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let builtin = (!a.rules.no_builtin).then_some(&cfg);
    let findings = detect::run_all(&ds, builtin, sigma_rules.as_ref());
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let res = if a.json {
        serde_json::to_writer_pretty(&mut out, &findings)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        print_findings(&mut out, &findings)
    };
    if let Err(e) = res.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("auditlens: {e}");
            return 1;
        }
    }
    i32::from(failed)
}

fn print_findings(out: &mut impl Write, f: &[Finding]) -> std::io::Result<()> {
    if f.is_empty() {
        return writeln!(out, "no findings");
    }
    for x in f {
        writeln!(
            out,
            "{:<8} {:<9} {}  {}",
            x.severity.name().to_uppercase(),
            x.rule,
            &x.first[..19],
            x.title
        )?;
        writeln!(out, "         {}", x.explanation)?;
        let mut who = Vec::new();
        if !x.actors.is_empty() {
            who.push(format!("actor {}", x.actors.join(", ")));
        }
        if !x.ips.is_empty() {
            who.push(format!("ip {}", x.ips.join(", ")));
        }
        if !who.is_empty() {
            writeln!(out, "         {}", who.join("  "))?;
        }
        let ev: Vec<&str> = x.evidence.iter().take(5).map(String::as_str).collect();
        writeln!(
            out,
            "         evidence ({}): {}{}",
            x.count,
            ev.join(", "),
            if x.evidence.len() > 5 { ", …" } else { "" }
        )?;
    }
    let n = |s: detect::Severity| f.iter().filter(|x| x.severity == s).count();
    writeln!(
        out,
        "\n{} findings: {} critical, {} high, {} medium, {} low",
        f.len(),
        n(detect::Severity::Critical),
        n(detect::Severity::High),
        n(detect::Severity::Medium),
        n(detect::Severity::Low)
    )
}
