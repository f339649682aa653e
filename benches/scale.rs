//! `cargo bench --no-default-features --bench scale`: how the four CLI commands' work grows with the number of
//! states, on generated chains of 5,000 and 40,000 states (`support/generate.rs`, `linear_chain`). The target
//! (issue 11): 8x the states costs at most 10x the time. Each benchmark times only what its name says; the text
//! is parsed once, up front:
//! - `scale/parse/N`: text → document (lossless tree and model), which every command does first;
//! - `scale/validate/N`: `validate_document` (every rule, and line:col for each finding);
//! - `scale/simulate/N`: `simulate` at the CLI's `--format json` recording level, walking all N states;
//! - `scale/fmt/N`: `Document::canonical_text`, what `statewright fmt` prints;
//! - `scale/render/N`: layout plus SVG text, what `statewright render -o OUT.svg` writes;
//! - `scale/layout-shared-catch/N` and `scale/render-shared-catch/N`: the layout alone, and layout plus SVG, of a
//!   chain of N states whose Tasks all catch to one `Failed` at the bottom and whose Choices all loop back to the
//!   first state (`chain_with_shared_catch`): long edges to shared targets, which a layered layout with a
//!   placeholder per rank and edge makes quadratic.
//!
//! `benches/scale.sh` measures the same commands end to end with the release CLI (time ratios and peak memory).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use statewright::asl::Document;
use statewright::sim::{Record, SimConfig, simulate};
use statewright::trace::Status;
use std::time::Duration;

#[path = "support/generate.rs"]
mod generate;

const SIZES: [usize; 2] = [5_000, 40_000];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for n in SIZES {
        let text = generate::linear_chain(n);
        let doc = Document::parse_json(&text).expect("generated chain parses");
        assert_eq!(doc.machine.states().len(), n);
        assert!(
            statewright::validate::validate_document(&doc).is_empty(),
            "the generated chain is valid"
        );
        let config = SimConfig {
            record: Record::ResultOnly,
            max_transitions: 10 * n as u64,
            ..SimConfig::default()
        };
        let run = simulate(&doc.machine, serde_json::json!({}), &config);
        assert_eq!(run.status, Status::Succeeded, "{:?}", run.cause);
        assert_eq!(run.transitions, n as u64, "the run walks every state");

        group.bench_with_input(BenchmarkId::new("parse", n), &text, |b, text| {
            b.iter(|| Document::parse_json(text).expect("parses"))
        });
        group.bench_with_input(BenchmarkId::new("validate", n), &doc, |b, doc| {
            b.iter(|| statewright::validate::validate_document(doc))
        });
        group.bench_with_input(BenchmarkId::new("simulate", n), &doc, |b, doc| {
            b.iter(|| simulate(&doc.machine, serde_json::json!({}), &config))
        });
        group.bench_with_input(BenchmarkId::new("fmt", n), &doc, |b, doc| {
            b.iter(|| doc.canonical_text())
        });
        group.bench_with_input(BenchmarkId::new("render", n), &doc, |b, doc| {
            b.iter(|| {
                let layout = statewright::layout::layout(&doc.machine);
                statewright::render::render_svg(&doc.machine, &layout)
            })
        });

        let shared = Document::parse_json(&generate::chain_with_shared_catch(n))
            .expect("generated shared-catch chain parses");
        assert_eq!(shared.machine.states().len(), n);
        group.bench_with_input(
            BenchmarkId::new("layout-shared-catch", n),
            &shared,
            |b, doc| b.iter(|| statewright::layout::layout(&doc.machine)),
        );
        group.bench_with_input(
            BenchmarkId::new("render-shared-catch", n),
            &shared,
            |b, doc| {
                b.iter(|| {
                    let layout = statewright::layout::layout(&doc.machine);
                    statewright::render::render_svg(&doc.machine, &layout)
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
