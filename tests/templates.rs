//! State machines inside templates, over `$STATEWRIGHT_SHARED/corpus/templates` (default `../shared`): one test
//! per template, named `templates::<file>`. For every state machine: it is found with the logical ID, type and
//! form SOURCES.md lists; `extract` gives a definition that validates as the standalone file would; `inject` of
//! the extracted definition gives the template back byte for byte; `inject` of an edited definition changes
//! only the definition's lines, and the result reads back as the same kind of template holding the new
//! definition (for `DefinitionUri`: the template is untouched and the referenced file holds it).
//!
//! Without the corpus the tests are ignored, saying why; with `STATEWRIGHT_REQUIRE_CORPUS=1` they fail instead.
//! The bad-input tests use the small fixtures in `tests/fixtures/templates/`.

mod common;

use common::gate::{self, Case, Group};
use statewright::json::{self, JStr, Json, Member, Value};
use statewright::template::{ErrorKind, Form, Template, same_content};
use statewright::validate::validate;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates")
}

/// One SOURCES.md row of a template: its file, and per state machine `(id, type, form)`.
struct Row {
    file: String,
    machines: Vec<(String, String, String)>,
}

fn rows(sources: &str) -> Vec<Row> {
    let mut out = Vec::new();
    for line in sources.lines().filter(|l| l.starts_with("| `")) {
        let cols: Vec<&str> = line.split(" | ").collect();
        if cols.len() < 7 || cols[5].starts_with("referenced by") {
            continue;
        }
        let file = cols[0]
            .trim_start_matches("| `")
            .trim_end_matches('`')
            .to_owned();
        let forms = cols[5];
        let mut machines = Vec::new();
        for entry in cols[6].trim_end_matches(" |").split("), ") {
            let (id, ty) = entry.split_once(" (").expect("ID (Type)");
            let ty = ty.trim_end_matches(')');
            let form = forms
                .split("; ")
                .find_map(|f| f.strip_prefix(&format!("{id}: ")))
                .map(|f| f.split(' ').next().unwrap_or("").to_owned())
                .unwrap_or_default();
            machines.push((id.to_owned(), ty.to_owned(), form));
        }
        out.push(Row { file, machines });
    }
    out
}

fn members(j: &mut Json) -> &mut Vec<Member> {
    match &mut j.value {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

/// The definition with its first state's Comment changed (or added) and a new Pass state at the end.
fn edited(def: &Json) -> Json {
    let mut new = def.clone();
    let states = members(
        &mut members(&mut new)
            .iter_mut()
            .find(|m| m.key.as_str() == "States")
            .expect("States")
            .value,
    );
    let first = states
        .iter_mut()
        .find(|s| s.value.as_object().is_some())
        .map(|s| members(&mut s.value))
        .expect("a state");
    let comment = Json::string("edited by the template test: \"quoted\" ${Kept}");
    match first.iter_mut().find(|m| m.key.as_str() == "Comment") {
        Some(m) => m.value = comment,
        None => first.push(Member::new("Comment", comment)),
    }
    states.push(Member::new(
        JStr::new("Added By Test"),
        Json::object(vec![
            Member::new("Type", Json::string("Pass")),
            Member::new("End", Value::Bool(true).into()),
        ]),
    ));
    new
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

fn check_template(path: &Path, row: &Row) -> Result<(), String> {
    let t = Template::open(path).map_err(|e| format!("does not open: {e}"))?;
    let found: Vec<(String, String, String)> = t
        .machines()
        .iter()
        .map(|m| {
            (
                m.logical_id.clone(),
                m.resource_type.clone(),
                m.form.name().to_owned(),
            )
        })
        .collect();
    let listed: Vec<(String, String, String)> = row.machines.clone();
    if found != listed {
        return Err(format!("found {found:?}, SOURCES.md lists {listed:?}"));
    }
    let original = t.text().to_owned();
    for m in t.machines() {
        let id = &m.logical_id;
        let def = m
            .definition
            .as_ref()
            .map_err(|e| format!("{id}: no definition: {e}"))?;
        if def.tree.get("StartAt").is_none() || def.tree.get("States").is_none() {
            return Err(format!("{id}: the definition has no StartAt/States"));
        }
        // extract: the text reads back as the definition and validates as the standalone file would.
        let doc = m.document().map_err(|e| format!("{id}: {e}"))?;
        if !same_content(&doc.to_json(), &def.tree) {
            return Err(format!("{id}: the document differs from the definition"));
        }
        let codes = |tree: &Json| -> Vec<(String, &'static str)> {
            validate(tree)
                .into_iter()
                .map(|d| (d.pointer.as_str().to_owned(), d.code))
                .collect()
        };
        let standalone = match m.file() {
            Some(file) => {
                let text = std::fs::read_to_string(file).map_err(|e| format!("{id}: {e}"))?;
                statewright::asl::SourceFormat::from_path(file)
                    .parse(&text)
                    .map_err(|e| format!("{id}: the standalone file does not parse: {e}"))?
            }
            None => json::parse(&def.text).map_err(|e| format!("{id}: extract: {e}"))?,
        };
        if codes(&standalone) != codes(&def.tree) {
            return Err(format!(
                "{id}: validates as {:?}, the standalone file as {:?}",
                codes(&def.tree),
                codes(&standalone)
            ));
        }
        // inject of the extracted definition: byte for byte.
        if m.read_only.is_some() {
            let e = t
                .inject(id, &def.tree)
                .expect_err("a read-only form refuses inject");
            if e.kind != ErrorKind::ReadOnly || !matches!(m.form, Form::Join | Form::S3 { .. }) {
                return Err(format!("{id}: read-only for the wrong reason: {e}"));
            }
            continue;
        }
        let same = t.inject(id, &def.tree).map_err(|e| format!("{id}: {e}"))?;
        let unchanged = match m.file() {
            Some(_) => same.text == def.text,
            None => same.text == original,
        };
        if !unchanged || same.changed {
            return Err(format!("{id}: an unedited inject changed the text"));
        }
        // inject of an edited definition.
        let new = edited(&def.tree);
        let out = t
            .inject(id, &new)
            .map_err(|e| format!("{id}: edited: {e}"))?;
        if !out.changed {
            return Err(format!("{id}: the edit changed nothing"));
        }
        if let Some(file) = m.file() {
            if out.path != file {
                return Err(format!("{id}: the edit goes to {}", out.path.display()));
            }
            let back = statewright::asl::SourceFormat::from_path(file)
                .parse(&out.text)
                .map_err(|e| format!("{id}: the edited file does not parse: {e}"))?;
            if !same_content(&back, &new) {
                return Err(format!("{id}: the edited file does not hold the edit"));
            }
            continue;
        }
        if out.path != t.path() {
            return Err(format!("{id}: the edit goes to {}", out.path.display()));
        }
        let lo = line_start(&original, m.region.start);
        let hi = line_end(&original, m.region.end);
        if !out.text.starts_with(&original[..lo]) || !out.text.ends_with(&original[hi..]) {
            return Err(format!(
                "{id}: the edit changed the template outside the definition's lines (bytes {lo}..{hi})"
            ));
        }
        let back = Template::parse(path, out.text.clone())
            .map_err(|e| format!("{id}: the edited template does not read back: {e}"))?;
        if back.format() != t.format() {
            return Err(format!("{id}: the edited template changed format"));
        }
        for (a, b) in t.machines().iter().zip(back.machines()) {
            let bd = b
                .definition
                .as_ref()
                .map_err(|e| format!("{id}: after the edit, {}: {e}", b.logical_id))?;
            let want = if a.logical_id == *id {
                &new
            } else {
                &a.definition.as_ref().expect("read above").tree
            };
            if a.logical_id != b.logical_id || a.form != b.form || !same_content(&bd.tree, want) {
                return Err(format!(
                    "{id}: after the edit, {} does not hold the expected definition",
                    b.logical_id
                ));
            }
        }
        // Everything outside the definition reads back the same.
        let mut a_tree = t.tree().clone();
        let mut b_tree = back.tree().clone();
        for tree in [&mut a_tree, &mut b_tree] {
            let res = members(
                &mut members(tree)
                    .iter_mut()
                    .find(|m| m.key.as_str() == "Resources")
                    .expect("Resources")
                    .value,
            );
            let r = res
                .iter_mut()
                .find(|r| r.key.as_str() == *id)
                .expect("resource");
            let props = members(
                &mut members(&mut r.value)
                    .iter_mut()
                    .find(|m| m.key.as_str() == "Properties")
                    .expect("Properties")
                    .value,
            );
            props.retain(|p| {
                !p.key.starts_with("Definition") || p.key.as_str() == "DefinitionSubstitutions"
            });
        }
        if !same_content(&a_tree, &b_tree) {
            return Err(format!(
                "{id}: the edit changed the template outside the definition"
            ));
        }
    }
    Ok(())
}

/// A bad-input fixture: opening it (or its machine's definition) fails with `want` in the message, at
/// `line:col`.
fn bad_input(file: &str, want: &str, line: usize, column: usize) -> Case {
    let name = format!("templates::bad_input::{file}");
    let file = file.to_owned();
    let want = want.to_owned();
    Case::new(name, move || {
        let path = fixtures().join(&file);
        let e = match Template::open(&path) {
            Err(e) => e,
            Ok(t) => t
                .machines()
                .iter()
                .find_map(|m| m.definition.as_ref().err().cloned())
                .ok_or("the template opened without an error")?,
        };
        if !e.message.contains(&want) || (e.line, e.column) != (line, column) {
            return Err(format!("got {e}; want {want:?} at {line}:{column}"));
        }
        Ok(())
    })
}

fn main() -> std::process::ExitCode {
    let plain = vec![
        bad_input("not-yaml.yaml", "not a YAML template", 4, 15),
        bad_input("not-json.json", "not a JSON template", 4, 2),
        bad_input("anchor.yaml", "the anchor &common", 6, 19),
        bad_input("alias.yaml", "the alias *common", 15, 19),
        bad_input("unknown-tag.yaml", "unknown tag !Frobnicate", 11, 23),
        bad_input(
            "definition-not-json.yaml",
            "the definition string is not JSON",
            11,
            25,
        ),
        bad_input(
            "definition-not-json.json",
            "the definition string is not JSON",
            6,
            106,
        ),
        bad_input("missing-uri.yaml", "does not exist", 6, 22),
        bad_input("no-state-machine.yaml", "has no state machine", 2, 1),
        bad_input(
            "s3-uri.yaml",
            "(s3://my-bucket/machines/orders.asl.json): not reachable offline",
            6,
            22,
        ),
        Case::new("templates::bad_input::s3-location-read-only", || {
            let t = Template::open(&fixtures().join("s3-uri.yaml")).map_err(|e| e.to_string())?;
            if t.machines().len() != 2 {
                return Err(format!("{} machines, want 2", t.machines().len()));
            }
            for m in t.machines() {
                let why = m
                    .read_only
                    .as_deref()
                    .ok_or(format!("{} is not read-only", m.logical_id))?;
                if !why.contains("not reachable offline") {
                    return Err(format!("{}: {why}", m.logical_id));
                }
                if m.definition.is_ok() {
                    return Err(format!("{} has a definition", m.logical_id));
                }
            }
            Ok(())
        }),
    ];
    let corpus = Group::new("templates", |shared| {
        let root = shared.join("corpus/templates");
        let sources = match std::fs::read_to_string(root.join("SOURCES.md")) {
            Ok(s) => s,
            Err(e) => {
                let msg = format!("{}: {e}", root.join("SOURCES.md").display());
                return vec![Case::new("templates::sources", move || Err(msg))];
            }
        };
        rows(&sources)
            .into_iter()
            .map(|row| {
                let path = root.join(&row.file);
                Case::new(format!("templates::{}", row.file), move || {
                    check_template(&path, &row)
                })
            })
            .collect()
    });
    gate::main("templates", plain, vec![corpus])
}
