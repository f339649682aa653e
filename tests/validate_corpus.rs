//! The validator against real inputs, one named test per file: the bundled examples and the seed workflows
//! validate clean, every real-world corpus file validates without errors, and on every file of the
//! validator suites of asl-validator and statelint we give the suite's verdict. The exceptions are listed by
//! name with their reasons in `tests/expected-failures/validate_corpus.txt` (see `tests/common/gate.rs`).

mod common;

use common::gate::{self, Case, Group};
use statewright::asl::{Document, SourceFormat};
use statewright::validate::{Diagnostic, has_errors, validate_document};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn diagnose(path: &Path) -> Vec<Diagnostic> {
    let bytes = std::fs::read(path).unwrap();
    match Document::from_bytes(&bytes, SourceFormat::from_path(path)) {
        Ok(doc) => validate_document(&doc),
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

fn describe(path: &Path, diags: &[Diagnostic]) -> String {
    let lines: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| statewright::cli::text_line(path, d))
        .collect();
    lines.join("\n")
}

fn validates_without_errors(f: PathBuf) -> Result<(), String> {
    let d = diagnose(&f);
    if has_errors(&d) {
        Err(describe(&f, &d))
    } else {
        Ok(())
    }
}

/// A seed workflow gets no finding at all, not even a warning.
fn seed_clean(f: PathBuf) -> Result<(), String> {
    let d = diagnose(&f);
    if d.is_empty() {
        Ok(())
    } else {
        let all: Vec<String> = d
            .iter()
            .map(|d| statewright::cli::text_line(&f, d))
            .collect();
        Err(all.join("\n"))
    }
}

/// Whether we give the suite's verdict (`expect_valid`) on one of its files.
fn suite_verdict(f: PathBuf, expect_valid: bool) -> Result<(), String> {
    let bytes = std::fs::read(&f).map_err(|e| e.to_string())?;
    let (valid, why) = match Document::from_bytes(&bytes, SourceFormat::from_path(&f)) {
        Ok(doc) => {
            let d = validate_document(&doc);
            (!has_errors(&d), describe(&f, &d))
        }
        Err(e) => (false, format!("{}: {e}", f.display())),
    };
    match (expect_valid, valid) {
        (true, false) => Err(format!("the suite says valid, we say invalid:\n{why}")),
        (false, true) => Err("the suite says invalid, we find no error".into()),
        _ => Ok(()),
    }
}

fn main() -> ExitCode {
    let examples = common::examples()
        .into_iter()
        .map(|f| {
            let name = format!("examples::{}", f.file_name().unwrap().to_string_lossy());
            Case::new(name, move || validates_without_errors(f))
        })
        .collect();
    let seeds = Group::new("seed-workflows", |shared| {
        let dir = shared.join("seed-workflows");
        common::asl_files(&dir)
            .into_iter()
            .map(|f| {
                let name = format!("seed::{}", gate::rel_name(&f, &dir));
                Case::new(name, move || seed_clean(f))
            })
            .collect()
    });
    let real_world = Group::new("real-world", |shared| {
        let dir = shared.join("corpus/real-world");
        common::asl_files(&dir)
            .into_iter()
            .map(|f| {
                let name = format!("real-world::{}", gate::rel_name(&f, &dir));
                Case::new(name, move || validates_without_errors(f))
            })
            .collect()
    });
    let suites = Group::new("validator-suites", |shared| {
        let root = shared.join("validator-suites");
        let mut cases = Vec::new();
        for (dir, expect_valid) in [("valid", true), ("invalid", false)] {
            for f in common::asl_files(&root.join(dir)) {
                let name = format!("validator-suites::{}", gate::rel_name(&f, &root));
                cases.push(Case::new(name, move || suite_verdict(f, expect_valid)));
            }
        }
        cases
    });
    gate::main("validate_corpus", examples, vec![seeds, real_world, suites])
}
