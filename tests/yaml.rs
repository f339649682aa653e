//! YAML in, YAML out: a YAML workflow saves back as YAML. Unedited it is byte-identical; edited, only the
//! edited states' lines change and comments elsewhere are kept; JSON and YAML convert into each other
//! without changing the model.
//!
//! The checks (in `common/yaml_checks.rs`) run here on the bundled `hello.asl.yaml` and on hand-written texts;
//! `tests/yaml_corpus.rs` runs them over the corpus, one named test per file.

mod common;

use statewright::asl::{Document, SourceFormat};
use statewright::edit::{Editor, Op, Scope};
use statewright::json::{self, Json, Value};
use std::path::{Path, PathBuf};

#[path = "common/yaml_checks.rs"]
mod yaml_checks;
use yaml_checks::*;

fn check_all(files: &[PathBuf], check: fn(&Path) -> Result<(), String>) {
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| check(f).err().map(|e| format!("{}: {e}", f.display())))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

fn examples(ext: &str) -> Vec<PathBuf> {
    common::examples()
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// Bundled examples and hand-written texts

#[test]
fn bundled_yaml_example_saves_as_yaml() {
    let files = examples(".yaml");
    assert!(!files.is_empty(), "assets/examples has no YAML example");
    check_all(&files, check_yaml_workflow);
}

#[test]
fn bundled_examples_convert_between_json_and_yaml() {
    let files = common::examples();
    assert!(files.len() >= 8, "found {} examples", files.len());
    check_all(&files, |p| {
        let text = std::fs::read_to_string(p).map_err(|e| e.to_string())?;
        let doc = Document::parse(&text, SourceFormat::from_path(p)).map_err(|e| e.to_string())?;
        check_conversion(&doc)
    });
}

#[test]
fn an_edit_of_hello_changes_one_line_and_keeps_the_header_comment() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/hello.asl.yaml");
    let original = std::fs::read_to_string(path).unwrap();
    let mut e = Editor::new(Document::parse(&original, SourceFormat::Yaml).unwrap());
    e.apply(Op::SetField {
        name: "No".into(),
        key: "Cause".into(),
        value: Some(Json::string("Yes")),
    })
    .unwrap();
    let (text, _) = save_and_reopen(&e);
    assert_eq!(
        text,
        original.replace("    Cause: The request was rejected", "    Cause: \"Yes\"")
    );
    assert!(text.starts_with("# A SAM-style YAML definition"));
    // A second save splices into what the first one wrote, still as YAML.
    e.mark_saved();
    assert_eq!(e.doc.to_text(), text);
    e.apply(Op::Rename {
        from: "Yes".into(),
        to: "Approved".into(),
    })
    .unwrap();
    let (text2, _) = save_and_reopen(&e);
    assert_eq!(
        text2,
        text.replace("Next: Yes", "Next: Approved")
            .replace("  Yes:\n", "  Approved:\n")
    );
}

#[test]
fn hand_written_layout_outside_the_edit_is_kept() {
    // Multi-line scalars, odd spacing, flow collections, comments at every level, an indentless list.
    let text = "\
---
# header
Comment:   'a comment
  that folds'
StartAt: First   # where it starts
States:
  First:
    Type: Pass     # a pass
    Result: {a: 1,   b: [1, 2]}
    Next: Second
  # between states
  Second:
    Type: Choice
    Choices:
    - Variable: $.x
      NumericEquals: 1.50
      Next: First
    Default: Done
  Done: {Type: Succeed}
...
";
    let doc = Document::parse(text, SourceFormat::Yaml).unwrap();
    assert_eq!(doc.to_text(), text);
    let mut e = Editor::new(doc.clone());
    e.apply(Op::SetField {
        name: "First".into(),
        key: "Comment".into(),
        value: Some(Json::string("null")),
    })
    .unwrap();
    let (out, _) = save_and_reopen(&e);
    assert_eq!(
        out,
        text.replace(
            "    Next: Second\n",
            "    Next: Second\n    Comment: \"null\"\n"
        )
    );
    // A flow state edited is written back in block style at its indentation; the rest is untouched.
    let mut e = Editor::new(doc.clone());
    e.apply(Op::SetField {
        name: "Done".into(),
        key: "Comment".into(),
        value: Some(Json::string("end: here")),
    })
    .unwrap();
    let (out, _) = save_and_reopen(&e);
    assert_eq!(
        out,
        text.replace(
            "  Done: {Type: Succeed}\n",
            "  Done:\n    Type: Succeed\n    Comment: \"end: here\"\n"
        )
    );
    // Removing the top-level Comment removes its two lines only.
    let mut e = Editor::new(doc);
    e.apply(Op::SetMachineField {
        scope: Scope::root(),
        key: "Comment".into(),
        value: None,
    })
    .unwrap();
    let (out, _) = save_and_reopen(&e);
    assert_eq!(
        out,
        text.replace("Comment:   'a comment\n  that folds'\n", "")
    );
}

#[test]
fn yaml_syntax_errors_have_line_and_column() {
    let e = Document::parse(
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n   End: true\n",
        SourceFormat::Yaml,
    )
    .unwrap_err();
    assert_eq!(
        (e.line, e.message.starts_with("invalid YAML")),
        (5, true),
        "{e}"
    );
    let e = Document::parse("StartAt: A\nStates: {A: [1, 2}\n", SourceFormat::Yaml).unwrap_err();
    assert_eq!(e.line, 2, "{e}");
}

#[test]
fn yaml_positions_point_into_the_yaml_text() {
    let text = "# c\nStartAt: A\nStates:\n  'A':\n    Type: Pass\n    Next: Missing\n";
    let doc = Document::parse(text, SourceFormat::Yaml).unwrap();
    let diags = statewright::validate::validate_document(&doc);
    let d = diags
        .iter()
        .find(|d| d.message.contains("Missing"))
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!((d.line, d.column), (Some(6), Some(5)), "{d:?}");
    // Edited, the positions are those of the YAML text a save would write.
    let mut e = Editor::new(doc);
    e.apply(Op::SetMachineField {
        scope: Scope::root(),
        key: "Comment".into(),
        value: Some(Json::string("two\nlines")),
    })
    .unwrap();
    let diags = statewright::validate::validate_document(&e.doc);
    let d = diags
        .iter()
        .find(|d| d.message.contains("Missing"))
        .unwrap();
    let saved = e.doc.to_text();
    assert_eq!(
        saved.lines().nth(d.line.unwrap() - 1),
        Some("    Next: Missing"),
        "{saved}"
    );
    let root = json::parse_yaml(text).unwrap();
    let a = root.get("States").unwrap().member("A").unwrap();
    assert_eq!(&text[a.key_span.range().unwrap()], "'A'");
    match &a.value.value {
        Value::Object(m) => assert_eq!(m.len(), 2),
        _ => panic!("A is not a mapping"),
    }
}

#[test]
fn an_edit_in_a_large_yaml_workflow_touches_one_line() {
    let n = 5_000;
    let mut text = String::from("# generated\nStartAt: S0\nStates:\n");
    for i in 0..n {
        text.push_str(&format!("  S{i}:   # state {i}\n    Type: Pass\n"));
        if i + 1 < n {
            text.push_str(&format!("    Next: S{}\n", i + 1));
        } else {
            text.push_str("    End: true\n");
        }
    }
    let mut e = Editor::new(Document::parse(&text, SourceFormat::Yaml).unwrap());
    e.apply(Op::SetField {
        name: "S2500".into(),
        key: "Comment".into(),
        value: Some(Json::string("middle")),
    })
    .unwrap();
    let started = std::time::Instant::now();
    let out = e.doc.to_text();
    let took = started.elapsed();
    let expected = text.replace(
        "    Next: S2501\n",
        "    Next: S2501\n    Comment: middle\n",
    );
    assert!(
        out == expected,
        "changed lines: {:?}",
        changed_lines(&expected, &out)
    );
    eprintln!("splicing one edit into {n} states took {took:?}");
}

/// YAML texts with the layouts the splice must keep: comments everywhere, flow collections, multi-line and
/// quoted scalars, indentless and indented lists, empty values, CRLF, directives and document markers, anchors
/// and aliases, tags, explicit keys.
const ODD_TEXTS: [&str; 5] = [
    "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Comment: |+\n      kept\n\n\n    End: true\n  B:\n    Type: Pass\n    Comment: >-\n      folded\n      here\n\n  # last\n",
    "%YAML 1.2\n---\nStartAt: A\nStates:\n  A: &st\n    Type: Pass\n    End: true\n  B: *st\n  C: !!str 12\n  ? D\n  : {Type: Fail}\n",
    "# head\nStartAt: A # c\nStates:\n  A:\n    Type: Pass\n    Result: {x: [1, 2], 'y': \"z\"}\n    # inside\n    Parameters:\n      k.$: $.v\n      list:\n      - 1\n      - {a: b}\n      - - nested\n    Next: B\n  B: {Type: Succeed}\n...\n",
    "StartAt: A\r\nStates:\r\n    A:\r\n        Type: Wait\r\n        Comment: >\r\n          folded\r\n          text\r\n        Seconds: 5\r\n        ResultPath:\r\n        End: true\r\n",
    "Comment: 'multi\n  line'\nStartAt: A\nStates:\n  A:\n    Type: Choice\n    Choices:\n      - Variable: $.x\n        StringEquals: |\n          keep\n          # not a comment\n        Next: A\n    Default: A\n",
];

/// The node at `pointer`, mutable.
fn node_mut<'a>(root: &'a mut Json, pointer: &json::Pointer) -> Option<&'a mut Json> {
    let mut node = root;
    for token in pointer.tokens() {
        node = match &mut node.value {
            Value::Object(members) => {
                &mut members.iter_mut().find(|m| m.key.as_str() == token)?.value
            }
            Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// A value to put somewhere: tricky scalars, and small collections.
fn sample_value(k: usize) -> Json {
    const STRINGS: [&str; 10] = [
        "Yes",
        "null",
        "1.0",
        " pad ",
        "a: b",
        "#x",
        "two\nlines",
        "plain",
        "",
        "é",
    ];
    match k % 14 {
        0..=9 => Json::string(STRINGS[k % 10]),
        10 => Json::number(json::parse("2.50").unwrap().as_number().unwrap().clone()),
        11 => Value::Bool(k.is_multiple_of(2)).into(),
        12 => json::parse(r#"{"n": {"m": [1, {"o": "Off"}]}, "e": {}}"#).unwrap(),
        _ => json::parse(r#"[["a"], [], {"b": null}]"#).unwrap(),
    }
}

/// Applies one random change to a tree (the shapes of change an edit can make).
fn mutate(tree: &mut Json, (which, kind, pos, k): (usize, u8, usize, usize)) {
    let mut pointers = Vec::new();
    tree.walk(&mut |p, _| pointers.push(p.clone()));
    let pointer = &pointers[which % pointers.len()];
    let Some(node) = node_mut(tree, pointer) else {
        return;
    };
    match (&mut node.value, kind % 6) {
        (Value::Object(members), 1) => {
            let key = format!("{} {k}", ["New", "Yes", "#k", "k: v"][k % 4]);
            if members.iter().all(|m| m.key.as_str() != key) {
                let at = pos % (members.len() + 1);
                members.insert(at, json::Member::new(key.as_str(), sample_value(k)));
            }
        }
        (Value::Object(members), 2) if !members.is_empty() => {
            members.remove(pos % members.len());
        }
        (Value::Object(members), 3) if !members.is_empty() => {
            let key = format!("Renamed {k}");
            if members.iter().all(|m| m.key.as_str() != key) {
                let at = pos % members.len();
                members[at].key = key.as_str().into();
            }
        }
        (Value::Array(items), 4) => {
            if k.is_multiple_of(2) || items.is_empty() {
                items.insert(pos % (items.len() + 1), sample_value(k));
            } else {
                items.remove(pos % items.len());
            }
        }
        _ => *node = sample_value(k),
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn any_tree_edit_splices_into_yaml_that_reads_back(
        doc in 0usize..6,
        edits in proptest::collection::vec((0usize..10_000, 0u8..6, 0usize..100, 0usize..1_000), 1..6),
    ) {
        let hello = include_str!("../assets/examples/hello.asl.yaml");
        let text = ODD_TEXTS.get(doc).copied().unwrap_or(hello);
        let old = json::parse_yaml(text).unwrap();
        let mut new = old.clone();
        for e in edits {
            mutate(&mut new, e);
        }
        let out = json::splice_yaml(text, &old, &new);
        let back = json::parse_yaml(&out);
        proptest::prop_assert!(back.is_ok(), "{:?}\n{}", back.err(), out);
        proptest::prop_assert_eq!(back.unwrap(), new, "{}", out);
    }
}
