//! `cargo bench --bench sim`: runs the simulator on the workloads in `benches/workloads/` (the three JSONPath ones
//! are the files `benches/compare-peer.sh` gives aws-local-stepfunctions; the others are their JSONata twins) and
//! reports the time per run.
//!
//! Plain timing with `std::time::Instant`, no framework: one warm-up run, then timed runs until five are done or
//! three seconds have passed; the number reported is the fastest run. Only `simulate` is timed (the definition
//! and the input are parsed once, up front). Each workload is timed at two recording levels, one line each:
//! `[full]` records the full trace (every event with the data at every stage), as the designer and
//! `simulate --trace` do; `[result-only]` keeps only the result and counters, as `simulate --format json` does.
//! Both levels run the same execution; the outputs are checked to be equal.

use serde_json::Value;
use statewright::asl::{Document, SourceFormat};
use statewright::sim::{Record, SimConfig, simulate};
use statewright::trace::Status;
use std::path::Path;
use std::time::{Duration, Instant};

/// The workloads, by file stem under `benches/workloads/` (`NAME.asl.json` + `NAME.input.json`). The
/// `-jsonata` ones are the JSONata twins of the JSONPath ones (the same work written with `Output`, `Assign`,
/// `Condition` and `Items`); `loop-100k-vars-jsonata` keeps its counter in a workflow variable.
const WORKLOADS: [&str; 6] = [
    "loop-100k",
    "map-10k",
    "parallel-8x1k",
    "loop-100k-jsonata",
    "loop-100k-vars-jsonata",
    "map-10k-jsonata",
];

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/workloads");
    // The 100,000-iteration loop makes 200,000 transitions, far above the default cap.
    let config = SimConfig {
        max_transitions: 10_000_000,
        ..SimConfig::default()
    };
    // `cargo bench --bench sim -- loop-100k`: only the workloads named (cargo adds `--bench`).
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let chosen = WORKLOADS
        .iter()
        .filter(|w| only.is_empty() || only.iter().any(|o| o == *w));
    for (name, (label, record)) in chosen.flat_map(|w| {
        [("full", Record::Full), ("result-only", Record::ResultOnly)].map(|l| (*w, l))
    }) {
        let config = SimConfig {
            record,
            ..config.clone()
        };
        let def_path = dir.join(format!("{name}.asl.json"));
        let bytes = std::fs::read(&def_path).expect("workload definition");
        let doc = Document::from_bytes(&bytes, SourceFormat::from_path(&def_path))
            .expect("workload parses");
        let input: Value = serde_json::from_slice(
            &std::fs::read(dir.join(format!("{name}.input.json"))).expect("workload input"),
        )
        .expect("input is JSON");
        let warm = simulate(&doc.machine, input.clone(), &config);
        assert_eq!(
            warm.status,
            Status::Succeeded,
            "{name}: {:?} {:?}",
            warm.error,
            warm.cause
        );
        let full = simulate(
            &doc.machine,
            input.clone(),
            &SimConfig {
                record: Record::Full,
                ..config.clone()
            },
        );
        assert_eq!(
            warm.output, full.output,
            "{name}: the same output at every level"
        );
        let (transitions, events) = (warm.transitions, warm.events.len());
        drop((warm, full));
        let mut best = Duration::MAX;
        let mut runs = 0;
        let budget = Instant::now();
        while runs < 5 && (runs == 0 || budget.elapsed() < Duration::from_secs(3)) {
            let input = input.clone();
            let start = Instant::now();
            let trace = std::hint::black_box(simulate(&doc.machine, input, &config));
            best = best.min(start.elapsed());
            drop(trace);
            runs += 1;
        }
        println!(
            "{name} [{label}]: {:.2} ms per run (best of {runs}; {transitions} transitions, {events} events kept)",
            best.as_secs_f64() * 1e3
        );
    }
}
