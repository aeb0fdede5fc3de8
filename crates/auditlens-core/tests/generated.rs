#![allow(clippy::unwrap_used)]
//! Every seed format the generator writes is recognised and loads completely, with the planted
//! incident's accounts, addresses and failures visible in the normalized events.

use auditlens_core::model::{Category, FailureKind, Outcome};
use auditlens_core::{Dataset, LoadOptions};
use auditlens_gen::{generate, Format, Options};

fn expected_format(f: Format) -> &'static str {
    match f.name().split('-').next().unwrap() {
        "ocore" => "ocore",
        "ops0" => "ops0",
        "opsknight" => "opsknight",
        "vendore" => "vendore",
        "cloudtrail" => "cloudtrail",
        other => panic!("unexpected generator format {other}"),
    }
}

#[test]
fn every_generated_format_loads_completely() {
    for &f in Format::all() {
        let mut opts = Options::new(f, 600);
        opts.incident = true;
        let mut buf = Vec::new();
        generate(&opts, &mut buf).unwrap();
        let mut ds = Dataset::new();
        let s = ds.load(f.name(), buf, &LoadOptions::default()).clone();
        assert_eq!(s.format, expected_format(f), "{}: {:?}", f.name(), s.errors);
        assert_eq!(
            (s.read, s.loaded, s.rejected),
            (600, 600, 0),
            "{}: {:?}",
            f.name(),
            s.errors
        );
        assert_eq!(
            ds.len(),
            600,
            "{}: no collapsing of distinct generated events",
            f.name()
        );
        // The incident's brute force shows as authentication failures of kind AuthN.
        let authn_failures = ds
            .events
            .iter()
            .filter(|e| {
                e.category == Category::Authentication
                    && e.outcome == Outcome::Failure
                    && e.failure == FailureKind::AuthN
            })
            .count();
        assert!(
            authn_failures >= 30,
            "{}: only {authn_failures} AuthN failures",
            f.name()
        );
    }
}

#[test]
fn generated_json_and_csv_of_one_format_give_the_same_events() {
    let load = |f: Format| {
        let mut buf = Vec::new();
        generate(&Options::new(f, 300), &mut buf).unwrap();
        let mut ds = Dataset::new();
        ds.load(f.name(), buf, &LoadOptions::default());
        ds.events
            .iter()
            .map(|e| {
                (
                    e.time / 1_000_000_000,
                    ds.str(e.action).to_string(),
                    ds.str(e.actor_name).to_string(),
                    e.outcome,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(load(Format::OcoreJson), load(Format::OcoreCsv));
}
