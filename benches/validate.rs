//! `cargo bench --bench validate`: parse + validate every file of the real-world corpus and the seed
//! workflows (from `$STATEWRIGHT_SHARED` or `../shared`), and report the time per file.
//!
//! Plain timing with `std::time::Instant` (best of several rounds), no framework: the number we report is
//! the mean time per file of the fastest round.

use statewright::asl::{Document, SourceFormat};
use statewright::validate::validate_document;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

fn main() {
    let shared = std::env::var_os("STATEWRIGHT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let mut paths = Vec::new();
    files(&shared.join("corpus/real-world"), &mut paths);
    files(&shared.join("seed-workflows"), &mut paths);
    if paths.is_empty() {
        files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples"),
            &mut paths,
        );
        eprintln!(
            "corpus not found under {}; benchmarking the bundled examples",
            shared.display()
        );
    }
    paths.sort();
    let inputs: Vec<(PathBuf, Vec<u8>)> = paths
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    let mut best = f64::INFINITY;
    let mut diagnostics = 0;
    for _ in 0..20 {
        let start = Instant::now();
        diagnostics = 0;
        for (path, bytes) in &inputs {
            let doc = Document::from_bytes(bytes, SourceFormat::from_path(path))
                .expect("corpus files parse");
            diagnostics += std::hint::black_box(validate_document(&doc)).len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    let per_file_us = best / inputs.len() as f64 * 1e6;
    println!(
        "parse+validate: {} files, {:.1} µs per file ({:.2} ms total, best of 20 rounds; {diagnostics} diagnostics)",
        inputs.len(),
        per_file_us,
        best * 1e3
    );
}
