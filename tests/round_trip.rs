//! Lossless round-trip: every example and every corpus file reads and writes back unchanged, one named test
//! per file (see `tests/common/gate.rs`).

mod common;

use common::gate::{self, Case, Group};
use statewright::asl::{Document, SourceFormat};
use statewright::json::{self, Style};
use std::path::Path;
use std::process::ExitCode;

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

fn an_edit_changes_only_that_states_text() {
    // A hand-written, non-canonical file: compact in places, odd spacing elsewhere.
    let text = "{\"Comment\":\"x\", \"StartAt\": \"A\",\n \"States\": {\n  \"A\": {\"Type\":\"Pass\",  \"Result\": 1.0, \"Next\":\"B\"},\n  \"B\":   {\"Type\": \"Succeed\"}\n }\n}";
    let mut doc = Document::parse_json(text).unwrap();
    doc.machine.state_mut("B").unwrap().comment = Some("done".into());
    let out = doc.to_text();
    let a_line = "  \"A\": {\"Type\":\"Pass\",  \"Result\": 1.0, \"Next\":\"B\"},";
    assert!(
        out.contains(a_line),
        "state A's text must be untouched:\n{out}"
    );
    assert!(
        out.starts_with("{\"Comment\":\"x\", \"StartAt\": \"A\",\n \"States\": {\n"),
        "{out}"
    );
    assert!(
        out.contains("\"B\":   {\"Type\": \"Succeed\", \"Comment\": \"done\"}"),
        "{out}"
    );
    let reread = Document::parse_json(&out).unwrap();
    assert_eq!(reread.to_json(), doc.to_json());
}

fn yaml_names_stay_strings_and_round_trip() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/hello.asl.yaml");
    let doc = Document::from_bytes(&std::fs::read(&path).unwrap(), SourceFormat::Yaml).unwrap();
    let names: Vec<&str> = doc
        .machine
        .states()
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(names, ["Ask", "Approved?", "Yes", "No"]);
    assert_eq!(
        doc.machine.state("Approved?").unwrap().default.as_deref(),
        Some("No")
    );
}

/// A plain test: `Ok` unless it panics (the harness reports the panic message).
fn plain(name: &str, f: fn()) -> Case {
    Case::new(name, move || {
        f();
        Ok(())
    })
}

fn main() -> ExitCode {
    let mut cases: Vec<Case> = common::examples()
        .into_iter()
        .map(|f| {
            let name = format!("examples::{}", f.file_name().unwrap().to_string_lossy());
            Case::new(name, move || check(&f))
        })
        .collect();
    assert!(
        cases.len() >= 8,
        "expected the bundled examples, found {}",
        cases.len()
    );
    cases.push(plain(
        "an_edit_changes_only_that_states_text",
        an_edit_changes_only_that_states_text,
    ));
    cases.push(plain(
        "yaml_names_stay_strings_and_round_trip",
        yaml_names_stay_strings_and_round_trip,
    ));
    let corpus = |sub: &'static str, prefix: &'static str| {
        Group::new(prefix, move |shared| {
            let dir = shared.join(sub);
            common::asl_files(&dir)
                .into_iter()
                .map(|f| {
                    let name = format!("{prefix}::{}", gate::rel_name(&f, &dir));
                    Case::new(name, move || check(&f))
                })
                .collect()
        })
    };
    gate::main(
        "round_trip",
        cases,
        vec![
            corpus("seed-workflows", "seed"),
            corpus("corpus/real-world", "real-world"),
        ],
    )
}
