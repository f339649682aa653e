//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub mod gate;
pub mod sim;

/// The `shared/` folder with the corpora: `$STATEWRIGHT_SHARED`, else `../shared` beside the project. For
/// tests that check the bundled examples and, when present, the corpus too: `None` (with a note) when it is
/// absent, and a failure when `STATEWRIGHT_REQUIRE_CORPUS=1`. Suites made only of corpus checks use
/// [`gate::main`] instead, which shows them as ignored.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = gate::corpus_dir();
    if dir.is_none() {
        assert!(
            !gate::corpus_required(),
            "STATEWRIGHT_REQUIRE_CORPUS=1 but the corpus is missing ({})",
            gate::MISSING
        );
        eprintln!(
            "note: {}; only the bundled examples were checked",
            gate::MISSING
        );
    }
    dir
}

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
