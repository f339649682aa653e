//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The `shared/` folder with the corpora: `$STATEWRIGHT_SHARED`, else `../shared` beside the project.
/// Prints a clear line and returns `None` when neither exists, so corpus tests skip instead of failing.
pub fn shared_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("STATEWRIGHT_SHARED") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.is_dir(),
            "STATEWRIGHT_SHARED={} is not a directory",
            dir.display()
        );
        return Some(dir);
    }
    let fallback = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if fallback.is_dir() {
        return Some(fallback);
    }
    eprintln!(
        "SKIPPED: STATEWRIGHT_SHARED is not set and ../shared does not exist; corpus checks did not run"
    );
    None
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
