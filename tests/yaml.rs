//! YAML in, YAML out: a YAML workflow saves back as YAML. Unedited it is byte-identical; edited, only the
//! edited states' lines change and comments elsewhere are kept; JSON and YAML convert into each other
//! without changing the model.
//!
//! The checks run on the bundled `hello.asl.yaml` and on hand-written texts; the same checks over the corpus's
//! YAML definitions are in the last section of this file.

mod common;

use statewright::asl::{Document, SourceFormat, StateType};
use statewright::edit::{Editor, Op, Scope, templates};
use statewright::json::{self, Json, LineIndex, Value};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------------------
// Checks, shared by the bundled and the corpus files

/// Lines `first..=last` (1-based) of the entry of every state named `name` (key line to the end of its value).
fn state_lines(doc: &Document, name: &str) -> (usize, usize) {
    let text = doc.source();
    let index = LineIndex::new(text);
    let mut found = None;
    doc.original().walk(&mut |ptr, node| {
        let parent_is_states = ptr.tokens().last().as_deref() == Some("States");
        if let (true, Some(members)) = (parent_is_states, node.as_object())
            && let Some(m) = members.iter().find(|m| m.key.as_str() == name)
            && let (Some(k), Some(v)) = (m.key_span.range(), m.value.span.range())
        {
            found = Some((
                index.line_col(text, k.start).0,
                index.line_col(text, v.end).0,
            ));
        }
    });
    found.unwrap_or_else(|| panic!("no state entry named {name:?}"))
}

/// The lines of `before` that are not in the common prefix or suffix of `before` and `after` (1-based,
/// inclusive; `None` when `after` only inserts lines).
fn changed_lines(before: &str, after: &str) -> Option<(usize, usize)> {
    let b: Vec<&str> = before.split_inclusive('\n').collect();
    let a: Vec<&str> = after.split_inclusive('\n').collect();
    let prefix = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let rest = b.len().min(a.len()) - prefix;
    let suffix = b
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take(rest)
        .take_while(|(x, y)| x == y)
        .count();
    (prefix < b.len() - suffix).then(|| (prefix + 1, b.len() - suffix))
}

fn comment_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect()
}

/// Saves, checks the text is YAML that reads back as the edited model, and returns it.
fn save_and_reopen(editor: &Editor) -> (String, Document) {
    let text = editor.doc.to_text();
    let reopened = Document::parse(&text, SourceFormat::Yaml)
        .unwrap_or_else(|e| panic!("the saved text is not YAML: {e}\n{text}"));
    assert!(
        json::parse(&text).is_err(),
        "a YAML document was saved as JSON:\n{text}"
    );
    assert_eq!(
        reopened.to_json(),
        editor.doc.to_json(),
        "the saved text does not read back as the edited model:\n{text}"
    );
    (text, reopened)
}

/// Every check on one YAML workflow; `Err` says which failed.
fn check_yaml_workflow(path: &Path) -> Result<(), String> {
    let original = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let doc =
        Document::parse(&original, SourceFormat::from_path(path)).map_err(|e| e.to_string())?;
    if doc.format() != SourceFormat::Yaml {
        return Err("not read as YAML".into());
    }
    if doc.to_text() != original {
        return Err("unedited save changed the text".into());
    }
    let names: Vec<String> = doc
        .machine
        .all_state_names()
        .into_iter()
        .map(String::from)
        .collect();
    if names.is_empty() {
        return Err("no states".into());
    }

    // A new Comment on each state, nested ones included: only that state's lines change, every comment stays.
    for name in &names {
        let mut e = Editor::new(doc.clone());
        let comment = format!("edited: {name} (\"#1\")");
        e.apply(Op::SetField {
            name: name.clone(),
            key: "Comment".into(),
            value: Some(Json::string(comment.as_str())),
        })
        .map_err(|err| format!("{name}: {err}"))?;
        let (text, reopened) = save_and_reopen(&e);
        let state = statewright::edit::find_state(&reopened.machine, name).unwrap();
        if state.comment.as_deref() != Some(comment.as_str()) {
            return Err(format!("{name}: the Comment did not survive the save"));
        }
        let (first, last) = state_lines(&doc, name);
        if let Some((a, b)) = changed_lines(&original, &text)
            && (a < first || b > last)
        {
            return Err(format!(
                "{name}: editing its Comment changed lines {a}..={b}, outside its lines {first}..={last}:\n{text}"
            ));
        }
        if comment_lines(&text) != comment_lines(&original) {
            return Err(format!("{name}: comments were lost:\n{text}"));
        }
    }

    let top: Vec<String> = doc
        .machine
        .states()
        .iter()
        .map(|n| n.name.to_string())
        .collect();
    let last = top.last().unwrap().clone();

    // Rename: the state's key line and the lines that refer to it change, nothing else.
    let mut e = Editor::new(doc.clone());
    e.apply(Op::Rename {
        from: last.clone(),
        to: "Renamed by test".into(),
    })
    .map_err(|err| format!("rename {last}: {err}"))?;
    let (text, reopened) = save_and_reopen(&e);
    if reopened.machine.state("Renamed by test").is_none() {
        return Err("the renamed state is missing after reopening".into());
    }
    let key_line = state_lines(&doc, &last).0;
    let (before, after): (Vec<&str>, Vec<&str>) =
        (original.lines().collect(), text.lines().collect());
    if before.len() != after.len() {
        return Err(format!(
            "rename {last}: the number of lines changed:\n{text}"
        ));
    }
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        if b != a && i + 1 != key_line && !b.contains(last.as_str()) {
            return Err(format!(
                "rename {last}: line {} changed: {b:?} → {a:?}",
                i + 1
            ));
        }
    }

    // Add a state: the original lines all stay, in order; the new state is inserted into `States`.
    let mut e = Editor::new(doc.clone());
    let added = e
        .apply(Op::AddState {
            scope: Scope::root(),
            template: templates::new_state(StateType::Pass),
            name: None,
        })
        .map_err(|err| format!("add: {err}"))?
        .select
        .unwrap();
    let (text, reopened) = save_and_reopen(&e);
    if reopened.machine.state(&added).is_none() {
        return Err(format!(
            "the added state {added} is missing after reopening"
        ));
    }
    if changed_lines(&original, &text).is_some() {
        return Err(format!("adding a state changed existing lines:\n{text}"));
    }

    // Delete a state: exactly its lines go.
    let mut e = Editor::new(doc.clone());
    e.apply(Op::Delete { name: last.clone() })
        .map_err(|err| format!("delete {last}: {err}"))?;
    let (text, reopened) = save_and_reopen(&e);
    if reopened.machine.state(&last).is_some() {
        return Err(format!("the deleted state {last} is back after reopening"));
    }
    let (first, end) = state_lines(&doc, &last);
    let kept: Vec<&str> = original
        .split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| !(first..=end).contains(&(i + 1)))
        .map(|(_, l)| l)
        .collect();
    if top.len() == 1 {
        // The only state: `States` becomes an empty mapping, in place of the state's lines.
        let states = doc.original().member("States").unwrap();
        let (k, v) = (
            states.key_span.range().unwrap(),
            states.value.span.range().unwrap(),
        );
        let expected = format!("{}States: {{}}{}", &original[..k.start], &original[v.end..]);
        if text != expected {
            return Err(format!("deleting the only state {last} gave:\n{text}"));
        }
    } else if kept.concat() != text
        // Without a final newline in the file, deleting the last state leaves none either.
        && (original.ends_with('\n') || kept.concat().strip_suffix('\n') != Some(text.as_str()))
    {
        return Err(format!(
            "deleting {last} did not remove exactly lines {first}..={end}:\n{text}"
        ));
    }

    check_conversion(&doc)?;
    Ok(())
}

/// Save As to the other format and back: the model is unchanged each way, and the saved document continues
/// in its new format.
fn check_conversion(doc: &Document) -> Result<(), String> {
    let other = match doc.format() {
        SourceFormat::Json => SourceFormat::Yaml,
        SourceFormat::Yaml => SourceFormat::Json,
    };
    let converted_text = doc.text_as(other);
    let converted = Document::parse(&converted_text, other).map_err(|e| {
        format!("converted to {other:?}, the text does not read: {e}\n{converted_text}")
    })?;
    if converted.to_json() != doc.to_json() {
        return Err(format!(
            "converting to {other:?} changed the model:\n{converted_text}"
        ));
    }
    let back_text = converted.text_as(doc.format());
    let back = Document::parse(&back_text, doc.format()).map_err(|e| e.to_string())?;
    if back.to_json() != doc.to_json() {
        return Err(format!(
            "converting back from {other:?} changed the model:\n{back_text}"
        ));
    }
    let mut saved = doc.clone();
    saved
        .mark_saved_as(converted_text.clone(), other)
        .map_err(|e| e.to_string())?;
    if saved.format() != other || saved.to_text() != converted_text || saved.is_modified() {
        return Err("after Save As the document is not the saved text in the new format".into());
    }
    Ok(())
}

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

// ---------------------------------------------------------------------------------------------------------
// Corpus: every YAML state machine definition under shared/ (CloudFormation templates are not workflows)

/// The YAML files under `shared/corpus` whose top level is a state machine (`StartAt` and `States`).
fn corpus_yaml_workflows() -> Option<Vec<PathBuf>> {
    let shared = common::shared_dir()?;
    let files: Vec<PathBuf> = common::asl_files(&shared.join("corpus"))
        .into_iter()
        .filter(|p| SourceFormat::from_path(p) == SourceFormat::Yaml)
        .filter(|p| {
            std::fs::read_to_string(p)
                .ok()
                .and_then(|t| json::parse_yaml(&t).ok())
                .is_some_and(|j| j.get("StartAt").is_some() && j.get("States").is_some())
        })
        .collect();
    Some(files)
}

#[test]
fn corpus_yaml_workflows_save_as_yaml() {
    let Some(files) = corpus_yaml_workflows() else {
        return;
    };
    assert!(
        files.len() >= 7,
        "found only {} YAML workflows",
        files.len()
    );
    check_all(&files, check_yaml_workflow);
    let states: usize = files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let doc = Document::parse(&text, SourceFormat::Yaml).unwrap();
            doc.machine.all_state_names().len()
        })
        .sum();
    eprintln!(
        "{} YAML workflows: unedited byte-identical; {states} states each given a Comment alone; per file a rename, an add, a delete",
        files.len()
    );
}

#[test]
fn corpus_yaml_templates_read() {
    // Not workflows, but the same YAML reader: every template (tags, comments, odd flow indentation) reads.
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let files: Vec<PathBuf> = common::asl_files(&shared.join("corpus/templates"))
        .into_iter()
        .filter(|p| SourceFormat::from_path(p) == SourceFormat::Yaml)
        .collect();
    assert!(files.len() >= 33, "found only {} YAML files", files.len());
    check_all(&files, |p| {
        let text = std::fs::read_to_string(p).map_err(|e| e.to_string())?;
        let doc = Document::parse(&text, SourceFormat::Yaml).map_err(|e| e.to_string())?;
        (doc.to_text() == text)
            .then_some(())
            .ok_or_else(|| "unedited save changed the text".into())
    });
}

#[test]
fn corpus_json_workflows_convert_to_yaml_and_back() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut files = common::asl_files(&shared.join("corpus/real-world"));
    files.extend(common::asl_files(&shared.join("seed-workflows")));
    assert!(files.len() >= 120, "found only {} files", files.len());
    check_all(&files, |p| {
        let bytes = std::fs::read(p).map_err(|e| e.to_string())?;
        let doc =
            Document::from_bytes(&bytes, SourceFormat::from_path(p)).map_err(|e| e.to_string())?;
        check_conversion(&doc)
    });
}
