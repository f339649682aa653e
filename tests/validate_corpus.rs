//! The validator against real inputs: the seed workflows (clean), the real-world corpus (≥ 97 % without
//! errors) and the validator suites of asl-validator and statelint (≥ 98 % agreement).

mod common;

use statewright::asl::{Document, SourceFormat};
use statewright::validate::{Diagnostic, has_errors, validate_document};
use std::path::Path;

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

#[test]
fn examples_validate_clean() {
    for f in common::examples() {
        let d = diagnose(&f);
        assert!(!has_errors(&d), "{}", describe(&f, &d));
    }
}

#[test]
fn seed_workflows_validate_clean() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let files = common::asl_files(&shared.join("seed-workflows"));
    assert_eq!(files.len(), 4);
    for f in files {
        let d = diagnose(&f);
        assert!(d.is_empty(), "{}", describe(&f, &d));
    }
}

/// Files of the real-world corpus that do not validate, each for a reason we have looked at: these are
/// real defects in the files (or AWS features they use wrongly), not validator bugs.
const CORPUS_KNOWN_INVALID: &[(&str, &str)] = &[(
    "shared-fallback-state-jsonata__statemachine__statemachine.asl.json",
    "puts \"QueryLanguage\": \"JSONata\" inside \"States\" instead of the top level, so it is a state that is not an object and every JSONata field is out of place",
)];

#[test]
fn real_world_corpus_validates() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let files = common::asl_files(&shared.join("corpus/real-world"));
    let mut bad = Vec::new();
    for f in &files {
        let d = diagnose(f);
        if has_errors(&d) {
            bad.push(format!("{}", describe(f, &d)));
        }
    }
    let ok = files.len() - bad.len();
    eprintln!(
        "real-world corpus: {ok} of {} validate without errors",
        files.len()
    );
    assert!(
        ok * 100 >= files.len() * 97,
        "only {ok} of {} validate; failures:\n{}",
        files.len(),
        bad.join("\n")
    );
    assert!(
        bad.len() <= CORPUS_KNOWN_INVALID.len().max(3),
        "unexpected failures:\n{}",
        bad.join("\n")
    );
}

/// Files where we disagree with the suites' verdict on purpose, and why.
const SUITE_DELIBERATE: &[(&str, &str)] = &[
    (
        "statelint__inline-should-use-default-field-correctly.json",
        "a Choice rule with Variable and Next but no comparison operator: statelint's structural check passes it, AWS rejects it, so do we",
    ),
    (
        "asl-validator__invalid-jsonata-surround-syntax-no-spaces.json",
        "`{%10%}`: deployed real-world workflows write `{%$x %}` and `{% $x%}`, so AWS does not require the spaces",
    ),
    (
        "asl-validator__invalid-json-surround-syntax-extra-spaces.json",
        "`{% \\n10   %}`: whitespace inside the delimiters is insignificant to JSONata",
    ),
];

#[test]
fn validator_suites_agree() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let root = shared.join("validator-suites");
    let mut agree = 0;
    let mut total = 0;
    let mut disagreements = Vec::new();
    for (dir, expect_valid) in [("valid", true), ("invalid", false)] {
        for f in common::asl_files(&root.join(dir)) {
            total += 1;
            let bytes = std::fs::read(&f).unwrap();
            let valid = match Document::from_bytes(&bytes, SourceFormat::from_path(&f)) {
                Ok(doc) => !has_errors(&validate_document(&doc)),
                Err(_) => false,
            };
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if valid == expect_valid {
                agree += 1;
            } else {
                let d = diagnose(&f);
                disagreements.push(format!(
                    "{dir}/{name}: we say {}\n{}",
                    if valid { "valid" } else { "invalid" },
                    describe(&f, &d)
                ));
            }
        }
    }
    eprintln!("validator suites: {agree} of {total} verdicts agree");
    for d in &disagreements {
        eprintln!("{d}");
    }
    assert!(
        agree * 100 >= total * 98,
        "agreement {agree}/{total} below 98 %"
    );
    for (name, _) in SUITE_DELIBERATE {
        assert!(
            disagreements.iter().any(|d| d.contains(name)),
            "{name} is listed as a deliberate difference but agrees now"
        );
    }
}
