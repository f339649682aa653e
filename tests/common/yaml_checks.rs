//! The YAML save/convert checks, shared by `tests/yaml.rs` (bundled and hand-written files) and
//! `tests/yaml_corpus.rs` (the corpus, one named test per file).
#![allow(dead_code)]

use statewright::asl::{Document, SourceFormat, StateType};
use statewright::edit::{Editor, Op, Scope, templates};
use statewright::json::{self, Json, LineIndex};
use std::path::Path;

/// Lines `first..=last` (1-based) of the entry of every state named `name` (key line to the end of its value).
pub fn state_lines(doc: &Document, name: &str) -> (usize, usize) {
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
pub fn changed_lines(before: &str, after: &str) -> Option<(usize, usize)> {
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

pub fn comment_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect()
}

/// Saves, checks the text is YAML that reads back as the edited model, and returns it.
pub fn save_and_reopen(editor: &Editor) -> (String, Document) {
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
pub fn check_yaml_workflow(path: &Path) -> Result<(), String> {
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
pub fn check_conversion(doc: &Document) -> Result<(), String> {
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
