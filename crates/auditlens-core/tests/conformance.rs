#![allow(clippy::unwrap_used)]
//! Conformance over the real public exports in `../shared/fixtures/real` (not in the repo: their
//! licences vary). Every data file there must be listed in one of `tests/conformance/*.tsv`
//! with the record counts worked out independently (by hand / jq / a CSV reader), and a few
//! normalized events per file are compared with the snapshots in `tests/conformance/snapshots/`
//! (`UPDATE_SNAPSHOTS=1 cargo test --test conformance` rewrites them; review the diff).
//!
//! TSV columns: path (relative to fixtures/real), format, read, loaded, rejected, events after
//! deduplication/merging, note.

use std::path::{Path, PathBuf};

use auditlens_core::{Dataset, LoadOptions};

fn fixtures() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/real");
    if p.is_dir() {
        Some(p)
    } else {
        println!("SKIP: {} not found — the real-export conformance test needs the shared fixtures beside the repo", p.display());
        None
    }
}

struct Expect {
    path: String,
    format: String,
    read: u64,
    loaded: u64,
    rejected: u64,
    events: u64,
}

fn expectations() -> Vec<Expect> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/conformance")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read tsv");
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let c: Vec<&str> = line.split('\t').collect();
            assert!(
                c.len() >= 6,
                "{}:{}: expected 6+ tab-separated columns",
                f.display(),
                n + 1
            );
            let num = |i: usize| {
                c[i].trim().parse::<u64>().unwrap_or_else(|_| {
                    panic!("{}:{}: column {} not a number", f.display(), n + 1, i + 1)
                })
            };
            out.push(Expect {
                path: c[0].trim().to_string(),
                format: c[1].trim().to_string(),
                read: num(2),
                loaded: num(3),
                rejected: num(4),
                events: num(5),
            });
        }
    }
    out
}

fn data_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_name()
                .is_some_and(|n| n != "PROVENANCE.md" && n != "LICENSE")
            {
                out.push(
                    p.strip_prefix(root)
                        .expect("prefix")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_real_export_loads_with_the_expected_counts() {
    let Some(root) = fixtures() else { return };
    let exp = expectations();
    let mut failures = Vec::new();
    for e in &exp {
        let bytes =
            std::fs::read(root.join(&e.path)).unwrap_or_else(|err| panic!("{}: {err}", e.path));
        let mut ds = Dataset::new();
        let s = ds.load(&e.path, bytes, &LoadOptions::default()).clone();
        let got = (
            s.format.as_str(),
            s.read,
            s.loaded,
            s.rejected,
            ds.len() as u64,
        );
        let want = (e.format.as_str(), e.read, e.loaded, e.rejected, e.events);
        if got != want {
            failures.push(format!(
                "{}: got (format, read, loaded, rejected, events) = {got:?}, want {want:?}; errors: {:?}",
                e.path,
                s.errors.iter().take(3).map(|x| &x.reason).collect::<Vec<_>>()
            ));
        }
        assert_eq!(
            s.read,
            s.loaded + s.rejected,
            "{}: read != loaded + rejected",
            e.path
        );
    }
    assert!(
        failures.is_empty(),
        "{} files differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_real_export_is_listed() {
    let Some(root) = fixtures() else { return };
    let listed: Vec<String> = expectations().into_iter().map(|e| e.path).collect();
    let missing: Vec<String> = data_files(&root)
        .into_iter()
        .filter(|p| !listed.contains(p))
        .collect();
    assert!(
        missing.is_empty(),
        "fixtures without expectations in tests/conformance/*.tsv:\n{}",
        missing.join("\n")
    );
}

#[test]
fn normalized_event_snapshots() {
    let Some(root) = fixtures() else { return };
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let snap_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/snapshots");
    let mut failures = Vec::new();
    for e in expectations() {
        let bytes = std::fs::read(root.join(&e.path)).expect("read");
        let mut ds = Dataset::new();
        ds.load(&e.path, bytes, &LoadOptions::default());
        // The first, a middle and the last event: a readable sample per file.
        let n = ds.len();
        let mut picks: Vec<usize> = vec![0, n / 2, n.saturating_sub(1)];
        picks.dedup();
        let sample: Vec<_> = picks
            .into_iter()
            .filter(|i| *i < n)
            .map(|i| {
                let mut v = ds.event_json(&ds.events[i]);
                // The key repeats the file's SHA-256: covered by the ingest tests, noise here.
                if let Some(o) = v.as_object_mut() {
                    o.remove("key");
                }
                v
            })
            .collect();
        let text = serde_json::to_string_pretty(&sample).expect("json") + "\n";
        let name = e.path.replace('/', "__") + ".snap.json";
        let path = snap_dir.join(&name);
        if update {
            std::fs::write(&path, &text).expect("write snapshot");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(old) if old == text => {}
            Ok(_) => failures.push(format!(
                "{name}: differs (UPDATE_SNAPSHOTS=1 to rewrite, then review the diff)"
            )),
            Err(_) => failures.push(format!("{name}: missing (UPDATE_SNAPSHOTS=1 to write it)")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
