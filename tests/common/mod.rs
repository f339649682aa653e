//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The corpus (`../shared`): every test that reads it runs through [`gate::main`], so it shows as ignored
/// when the corpus is absent and fails when `STATEWRIGHT_REQUIRE_CORPUS=1`.
pub mod gate;
pub mod sim;

/// Every `.json`/`.yaml`/`.yml` file under `dir`, sorted.
pub fn asl_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml" | "yml")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The project's own examples.
pub fn examples() -> Vec<PathBuf> {
    asl_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples"))
        .into_iter()
        .filter(|p| {
            !p.to_string_lossy().contains(".mocks.")
                && !p.to_string_lossy().ends_with(".layout.json")
        })
        .collect()
}

/// The four seed workflows as bundled with the project (`assets/examples`, byte-identical to
/// `shared/seed-workflows`; `tests/seed_workflows.rs` checks that when the corpus is present).
pub const SEED_NAMES: [&str; 4] = [
    "fiap-extract-transform-load",
    "glue-findmatches-dedup",
    "medallion-glue-crawlers",
    "redshift-data-api-etl",
];

/// The bundled copy of a seed workflow.
pub fn bundled_seed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("assets/examples/{name}.asl.json"))
}
