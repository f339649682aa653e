//! The official JSONata test suite (jsonata-js 2.2.2, `../shared/jsonata-suite`) run through OUR module
//! `statewright::expr::jsonata` (not the engine crate directly): one named test per case
//! (`<group>/<file>` or `<group>/<file>/<index>` for files holding several cases). Cases expected to fail
//! are listed with their reason in `tests/expected-failures/jsonata-suite.txt`.
//!
//! Per case: `expr` (or `expr-file`), the input `data` or `dataset` (`null`: undefined), `bindings`,
//! `timelimit` (ms) and `depth` as [`Limits`], and the expectation: `result` (deep equality; arrays as
//! multisets when `unordered`), `undefinedResult`, or an error `code` (also `error.code`), compared by code.

mod common;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use common::gate::{self, Case, Group};
use serde_json::Value;
use statewright::expr::Rng;
use statewright::expr::jsonata::{Bindings, Jsonata, Limits};

fn main() -> ExitCode {
    gate::main(
        "jsonata-suite",
        vec![Case::new("harness/compares_values", harness_self_test)],
        vec![Group::new("jsonata-suite", build)],
    )
}

fn build(shared: &Path) -> Vec<Case> {
    let root = shared.join("jsonata-suite");
    let Ok(groups) = std::fs::read_dir(root.join("groups")) else {
        return Vec::new();
    };
    let mut group_dirs: Vec<PathBuf> = groups.flatten().map(|e| e.path()).collect();
    group_dirs.sort();
    let mut cases = Vec::new();
    for dir in group_dirs {
        let group = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let stem = file
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let name = format!("{group}/{stem}");
            let parsed = std::fs::read_to_string(&file)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()));
            match parsed {
                Err(e) => {
                    let msg = format!("cannot read {}: {e}", file.display());
                    cases.push(Case::new(name, move || Err(msg)));
                }
                Ok(Value::Array(list)) => {
                    for (i, case) in list.into_iter().enumerate() {
                        let (dir, root) = (dir.clone(), root.clone());
                        cases.push(Case::new(format!("{name}/{i}"), move || {
                            run_case(&case, &dir, &root)
                        }));
                    }
                }
                Ok(case) => {
                    let (dir, root) = (dir.clone(), root.clone());
                    cases.push(Case::new(name, move || run_case(&case, &dir, &root)));
                }
            }
        }
    }
    cases
}

fn run_case(case: &Value, group_dir: &Path, root: &Path) -> Result<(), String> {
    let expr = match (case.get("expr"), case.get("expr-file")) {
        (Some(Value::String(e)), _) => e.clone(),
        (_, Some(Value::String(f))) => std::fs::read_to_string(group_dir.join(f))
            .map_err(|e| format!("cannot read expr-file {f}: {e}"))?,
        _ => return Err("the case has no expr".into()),
    };
    let data: Option<Value> = match (case.get("data"), case.get("dataset")) {
        (Some(d), _) => Some(d.clone()),
        (None, Some(Value::String(name))) => {
            let path = root.join("datasets").join(format!("{name}.json"));
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Some(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?)
        }
        _ => None,
    };
    let mut limits = Limits::default();
    if let Some(ms) = case.get("timelimit").and_then(Value::as_u64) {
        limits.timeout = Some(Duration::from_millis(ms));
    }
    if let Some(depth) = case.get("depth").and_then(Value::as_u64) {
        limits.max_depth = Some(depth as usize);
    }
    let mut bindings = Bindings::new();
    if let Some(d) = &data {
        bindings.context_value(d);
    }
    if let Some(Value::Object(vars)) = case.get("bindings") {
        for (name, value) in vars {
            bindings.var(name, value);
        }
    }
    let outcome = Jsonata::parse(&expr).and_then(|e| e.eval(&bindings, &limits, &mut Rng::new(1)));

    let want_code = case
        .get("code")
        .or_else(|| case.get("error").and_then(|e| e.get("code")))
        .and_then(Value::as_str);
    if let Some(want) = want_code {
        return match outcome {
            Err(e) if e.code.as_deref() == Some(want) => Ok(()),
            Err(e) => Err(format!(
                "expected error {want}, got error {e} ({:?})",
                e.kind
            )),
            Ok(v) => Err(format!("expected error {want}, got {v:?}")),
        };
    }
    if case.get("undefinedResult") == Some(&Value::Bool(true)) {
        return match outcome {
            Ok(None) => Ok(()),
            Ok(Some(v)) => Err(format!("expected undefined, got {v}")),
            Err(e) => Err(format!("expected undefined, got error {e}")),
        };
    }
    let Some(want) = case.get("result") else {
        return Err("the case has no result, undefinedResult or code".into());
    };
    let unordered = case.get("unordered") == Some(&Value::Bool(true));
    match outcome {
        Ok(Some(got)) if same(&got, want, unordered) => Ok(()),
        Ok(Some(got)) => Err(format!("expected {want}, got {got}")),
        Ok(None) => Err(format!("expected {want}, got undefined")),
        Err(e) => Err(format!("expected {want}, got error {e}")),
    }
}

/// Deep equality of JSON values, numbers by value (`1` equals `1.0`); with `unordered`, the top-level
/// arrays as multisets.
fn same(a: &Value, b: &Value, unordered: bool) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) if unordered => {
            let mut rest: Vec<&Value> = y.iter().collect();
            x.len() == y.len()
                && x.iter().all(
                    |item| match rest.iter().position(|r| same(item, r, false)) {
                        Some(i) => {
                            rest.swap_remove(i);
                            true
                        }
                        None => false,
                    },
                )
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q, false))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same(v, w, false)))
        }
        _ => a == b,
    }
}

/// The comparison itself can fail: checked without the corpus.
fn harness_self_test() -> Result<(), String> {
    let checks = [
        (
            same(&serde_json::json!(1), &serde_json::json!(1.0), false),
            true,
        ),
        (
            same(
                &serde_json::json!([1, 2]),
                &serde_json::json!([2, 1]),
                false,
            ),
            false,
        ),
        (
            same(&serde_json::json!([1, 2]), &serde_json::json!([2, 1]), true),
            true,
        ),
        (
            same(&serde_json::json!([1, 1]), &serde_json::json!([1, 2]), true),
            false,
        ),
        (
            same(
                &serde_json::json!({"a": 1}),
                &serde_json::json!({"a": 2}),
                false,
            ),
            false,
        ),
    ];
    for (i, (got, want)) in checks.iter().enumerate() {
        if got != want {
            return Err(format!("comparison check {i}: got {got}, want {want}"));
        }
    }
    let case = serde_json::json!({"expr": "1 + 1", "result": 3});
    if run_case(&case, Path::new("."), Path::new(".")).is_ok() {
        return Err("a wrong result passed".into());
    }
    let case = serde_json::json!({"expr": "1 + 'a'", "code": "T2002"});
    run_case(&case, Path::new("."), Path::new("."))
}
