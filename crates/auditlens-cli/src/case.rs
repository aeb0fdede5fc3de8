//! `auditlens case`: merge two analysts' case files, check a case against files, embed the input
//! files in a case (a portable investigation), and extract them again.

use std::io::Write;
use std::path::{Path, PathBuf};

use auditlens_core::case::Case;

/// Arguments of `auditlens case`.
#[derive(clap::Args)]
pub struct CaseArgs {
    #[command(subcommand)]
    pub cmd: CaseCmd,
}

/// What to do with case files.
#[derive(clap::Subcommand)]
pub enum CaseCmd {
    /// Merge case files (two analysts' work) into one without losing either side's notes.
    Merge {
        /// Case files, merged left to right (the first one's single values win).
        #[arg(required = true, num_args = 2.., value_name = "CASE")]
        cases: Vec<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Say which files a case expects that are not given, which given files it does not name,
    /// and which annotated events cannot be found. Exit 1 when files are missing.
    Check {
        /// The case file.
        #[arg(value_name = "CASE")]
        case: PathBuf,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        load: crate::LoadArgs,
    },
    /// Record the files in the case and embed their bytes (base64) for a portable case.
    Embed {
        /// The case file (created when it does not exist).
        #[arg(value_name = "CASE")]
        case: PathBuf,
        /// Input files to embed.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Write to this file instead of rewriting CASE.
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Write the files embedded in a case into a directory (each checked against its SHA-256).
    Extract {
        /// The case file.
        #[arg(value_name = "CASE")]
        case: PathBuf,
        /// Target directory (created if needed).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

fn read_case(p: &Path) -> Result<Case, String> {
    let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
    Case::parse(&text).map_err(|e| format!("{}: {e}", p.display()))
}

fn write_out(path: Option<&Path>, text: &str) -> Result<(), String> {
    match path {
        Some(p) => std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display())),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string()),
    }
}

/// Runs `auditlens case …`.
pub fn run(a: &CaseArgs) -> i32 {
    match run_inner(&a.cmd) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("auditlens: {e}");
            2
        }
    }
}

fn run_inner(cmd: &CaseCmd) -> Result<i32, String> {
    match cmd {
        CaseCmd::Merge { cases, output } => {
            let mut it = cases.iter();
            let mut acc = match it.next() {
                Some(p) => read_case(p)?,
                None => return Err("case merge: no case file".into()),
            };
            for p in it {
                acc.merge(&read_case(p)?);
            }
            write_out(output.as_deref(), &acc.to_json())?;
            Ok(0)
        }
        CaseCmd::Check { case, json, load } => {
            let c = read_case(case)?;
            let (ds, _) = crate::load(load).map_err(|_| "could not load the files".to_string())?;
            let chk = c.check(&ds);
            if *json {
                let text = serde_json::to_string_pretty(&chk).map_err(|e| e.to_string())? + "\n";
                write_out(None, &text)?;
            } else {
                let mut out = String::new();
                for f in &chk.missing {
                    out.push_str(&format!("missing  {} (sha256 {})\n", f.name, f.sha256));
                }
                for f in &chk.extra {
                    out.push_str(&format!("extra    {} (sha256 {})\n", f.name, f.sha256));
                }
                for k in &chk.unknown_events {
                    out.push_str(&format!("unknown  event {k}\n"));
                }
                if chk.keys_in_missing_files > 0 {
                    out.push_str(&format!(
                        "{} annotated events are in missing files\n",
                        chk.keys_in_missing_files
                    ));
                }
                if out.is_empty() {
                    out.push_str("the case matches the files\n");
                }
                write_out(None, &out)?;
            }
            Ok(i32::from(!chk.missing.is_empty()))
        }
        CaseCmd::Embed {
            case,
            files,
            output,
        } => {
            let mut c = if case.exists() {
                read_case(case)?
            } else {
                Case::default()
            };
            let mut ds = auditlens_core::Dataset::new();
            for f in files {
                let bytes = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
                let name = f.file_name().map_or_else(
                    || f.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                c.embed(&name, &bytes);
                ds.load(&name, bytes, &auditlens_core::LoadOptions::default());
            }
            c.set_files(&ds);
            write_out(Some(output.as_deref().unwrap_or(case)), &c.to_json())?;
            Ok(0)
        }
        CaseCmd::Extract { case, dir } => {
            let c = read_case(case)?;
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for (name, bytes) in c.embedded_files()? {
                // Only the file name: an embedded name cannot write outside the directory.
                let safe = Path::new(&name)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .filter(|n| !n.is_empty() && n != "." && n != "..")
                    .unwrap_or_else(|| {
                        format!("embedded-{}", auditlens_core::ingest::sha256_hex(&bytes))
                    });
                let p = dir.join(safe);
                std::fs::write(&p, &bytes).map_err(|e| format!("{}: {e}", p.display()))?;
                eprintln!("auditlens: wrote {}", p.display());
            }
            Ok(0)
        }
    }
}
