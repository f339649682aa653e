//! Lossless round-trip: every example and every corpus file reads and writes back unchanged.

mod common;

use statewright::asl::{Document, SourceFormat};
use statewright::json::{self, Style};
use std::path::Path;

/// Checks one file: unedited save is byte-identical; the canonical text parses to the same tree (same keys,
/// same order, same number text); canonical input is its own canonical form.
fn check(path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let doc =
        Document::from_bytes(&bytes, SourceFormat::from_path(path)).map_err(|e| e.to_string())?;
    let text = std::str::from_utf8(&bytes).unwrap();
    if doc.to_text() != text {
        return Err("unedited save changed the text".into());
    }
    if doc.to_json() != *doc.original() {
        return Err("the model does not reproduce the tree it was read from".into());
    }
    let canonical = doc.canonical_text();
    let reparsed =
        json::parse(&canonical).map_err(|e| format!("canonical text does not parse: {e}"))?;
    if reparsed != *doc.original() {
        return Err("canonical text differs in content or key order".into());
    }
    if doc.format() == SourceFormat::Json
        && json::canonical_text(doc.original(), Style::of(text)) == text
        && canonical != text
    {
        return Err("canonical input was not reproduced byte for byte".into());
    }
    Ok(())
}

fn check_all(files: &[std::path::PathBuf]) -> usize {
    let mut failures = Vec::new();
    for f in files {
        if let Err(e) = check(f) {
            failures.push(format!("{}: {e}", f.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    files.len()
}

#[test]
fn examples_round_trip() {
    let files = common::examples();
    assert!(
        files.len() >= 8,
        "expected the bundled examples, found {}",
        files.len()
    );
    check_all(&files);
}

#[test]
fn corpus_and_seeds_round_trip() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut files = common::asl_files(&shared.join("corpus/real-world"));
    files.extend(common::asl_files(&shared.join("seed-workflows")));
    assert!(
        files.len() >= 120,
        "corpus not found under {}",
        shared.display()
    );
    let n = check_all(&files);
    let canonical = files
        .iter()
        .filter(|f| {
            let t = std::fs::read_to_string(f).unwrap();
            json::parse(&t).is_ok_and(|j| json::canonical_text(&j, Style::of(&t)) == t)
        })
        .count();
    eprintln!(
        "{n} files round-trip; {canonical} of them are canonical and came back byte-identical"
    );
}
