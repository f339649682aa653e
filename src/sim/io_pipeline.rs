//! JSONPath input/output processing: InputPath → Parameters → (action) → ResultSelector → ResultPath → OutputPath.
//!
//! Absent paths default to `$`. `InputPath: null` and `OutputPath: null` give `{}`; `ResultPath: null` discards
//! the result and passes the state input on.

use super::context::Ctx;
use super::executor::{Done, StateRun, next_of};
use super::failure::Failure;
use super::paths::Eval;
use crate::asl::Nullable;
use crate::json::{JStr, Json};
use crate::trace::Stages;
use serde_json::{Map, Value};

/// The state being processed, for error messages.
pub(crate) struct At<'a> {
    pub state: &'a str,
    pub entered_event_id: u64,
}

impl At<'_> {
    fn runtime(&self, message: &str) -> Failure {
        Failure::in_state("States.Runtime", self.state, self.entered_event_id, message)
    }
}

/// `InputPath` (and `OutputPath`, which works the same way).
pub(crate) fn apply_path(
    field: Option<&Nullable<JStr>>,
    data: &Value,
    ctx: &Ctx,
    ev: &mut Eval,
    at: &At,
) -> Result<Value, Failure> {
    match field {
        None => Ok(data.clone()),
        Some(Nullable::Null) => Ok(Value::Object(Map::new())),
        Some(Nullable::Value(p)) => ev.select(p.as_str(), data, ctx).map_err(|m| at.runtime(&m)),
    }
}

/// [`apply_path`] on data the caller hands over: no copy when the path is absent.
pub(crate) fn apply_path_owned(
    field: Option<&Nullable<JStr>>,
    data: Value,
    ctx: &Ctx,
    ev: &mut Eval,
    at: &At,
) -> Result<Value, Failure> {
    match field {
        None => Ok(data),
        _ => apply_path(field, &data, ctx, ev, at),
    }
}

/// `Parameters`, `ResultSelector`, `ItemSelector`: a payload template, or the data itself when absent.
/// `template` must be a node of the machine being run: [`Eval`] keeps it compiled by its address for the run.
pub(crate) fn apply_template(
    template: Option<&Json>,
    data: &Value,
    ctx: &Ctx,
    ev: &mut Eval,
    at: &At,
) -> Result<Value, Failure> {
    match template {
        None => Ok(data.clone()),
        Some(t) => ev.template(t, data, ctx).map_err(|e| {
            if e.error == "States.Runtime" {
                at.runtime(&e.cause)
            } else {
                Failure::new(e.error, Some(e.cause))
            }
        }),
    }
}

/// `InputPath` → `Parameters`, recording both stages (the data after `InputPath` is in
/// `stages.after_input_path`). Returns the effective input after `Parameters`.
pub(crate) fn process_input(
    st: &StateRun,
    ctx: &Ctx,
    ev: &mut Eval,
    stages: &mut Stages,
) -> Result<Value, Failure> {
    let (s, raw_input, at) = (st.state, st.raw_input, &st.at);
    let after_input_path =
        stages
            .after_input_path
            .insert(apply_path(s.input_path.as_ref(), raw_input, ctx, ev, at)?);
    match &s.parameters {
        Some(t) => {
            let effective = apply_template(Some(t), after_input_path, ctx, ev, at)?;
            stages.after_parameters = Some(effective.clone());
            Ok(effective)
        }
        None => Ok(after_input_path.clone()),
    }
}

/// The state's result → `ResultSelector` (when the state type takes one) → `ResultPath` → `OutputPath`,
/// recording each stage; gives the finished state.
pub(crate) fn process_result(
    st: &StateRun,
    result_selector: Option<&Json>,
    result: Value,
    ctx: &Ctx,
    ev: &mut Eval,
    mut stages: Stages,
) -> Result<Done, Failure> {
    let (s, raw_input, at) = (st.state, st.raw_input, &st.at);
    let selected = match result_selector {
        Some(_) => {
            let selected = apply_template(result_selector, &result, ctx, ev, at)?;
            stages.after_result_selector = Some(selected.clone());
            stages.result = Some(result);
            selected
        }
        None => {
            stages.result = Some(result.clone());
            result
        }
    };
    let after = apply_result_path(s.result_path.as_ref(), raw_input, selected, ev, at)?;
    stages.after_result_path = Some(after.clone());
    let output = apply_path_owned(s.output_path.as_ref(), after, ctx, ev, at)?;
    stages.output = Some(output.clone());
    Ok(Done::new(output, next_of(s), stages))
}

/// `ResultPath`: merges `result` into the raw state input.
pub(crate) fn apply_result_path(
    field: Option<&Nullable<JStr>>,
    raw_input: &Value,
    result: Value,
    ev: &mut Eval,
    at: &At,
) -> Result<Value, Failure> {
    match field {
        None => Ok(result),
        Some(Nullable::Null) => Ok(raw_input.clone()),
        Some(Nullable::Value(p)) => {
            let p = p.as_str();
            if p.trim() == "$" {
                return Ok(result);
            }
            ev.set(p, raw_input.clone(), result).map_err(|m| {
                Failure::in_state(
                    "States.ResultPathMatchFailure",
                    at.state,
                    at.entered_event_id,
                    &format!(
                        "Unable to apply ResultPath '{p}' to input {}: {m}",
                        compact(raw_input)
                    ),
                )
            })
        }
    }
}

pub(crate) fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}
