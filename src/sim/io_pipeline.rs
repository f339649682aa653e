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
use crate::trace::{Data, Stages};
use serde_json::{Map, Value};
use std::sync::Arc;

/// The state being processed, for error messages.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub state: &'a str,
    pub entered_event_id: u64,
}

impl At<'_> {
    pub(crate) fn runtime(&self, message: &str) -> Failure {
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

/// [`apply_path`] on shared data: the same allocation when the path is absent.
pub(crate) fn apply_path_shared(
    field: Option<&Nullable<JStr>>,
    data: &Data,
    ctx: &Ctx,
    ev: &mut Eval,
    at: &At,
) -> Result<Data, Failure> {
    match field {
        None => Ok(data.clone()),
        _ => apply_path(field, data, ctx, ev, at).map(Arc::new),
    }
}

/// [`apply_path`] on data the caller hands over: no copy when the path is absent.
pub(crate) fn apply_path_owned(
    field: Option<&Nullable<JStr>>,
    data: Data,
    ctx: &Ctx,
    ev: &mut Eval,
    at: &At,
) -> Result<Data, Failure> {
    match field {
        None => Ok(data),
        _ => apply_path(field, &data, ctx, ev, at).map(Arc::new),
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

/// `InputPath` → `Parameters`, recording both stages when `keep`. Returns the data after `InputPath` and the
/// effective input after `Parameters` (the same allocation when there are no `Parameters`).
pub(crate) fn process_input(
    st: &StateRun,
    ctx: &Ctx,
    ev: &mut Eval,
    stages: &mut Stages,
    keep: bool,
) -> Result<(Data, Data), Failure> {
    let (s, raw_input, at) = (st.state, st.raw_input, &st.at);
    let after_input_path = apply_path_shared(s.input_path.as_ref(), raw_input, ctx, ev, at)?;
    let effective = match &s.parameters {
        Some(t) => Arc::new(apply_template(Some(t), &after_input_path, ctx, ev, at)?),
        None => after_input_path.clone(),
    };
    if keep {
        stages.after_input_path = Some(after_input_path.clone());
        if s.parameters.is_some() {
            stages.after_parameters = Some(effective.clone());
        }
    }
    Ok((after_input_path, effective))
}

/// The state's result → `ResultSelector` (when the state type takes one) → `ResultPath` → `OutputPath`,
/// recording each stage when `keep`; gives the finished state.
pub(crate) fn process_result<'m>(
    st: &StateRun<'_, 'm>,
    result_selector: Option<&Json>,
    result: Data,
    ctx: &Ctx,
    ev: &mut Eval,
    mut stages: Stages,
    keep: bool,
) -> Result<Done<'m>, Failure> {
    let (s, raw_input, at) = (st.state, st.raw_input, &st.at);
    // `Assign` reads the raw result (before ResultSelector) and the variables as the state entered.
    let assigned = super::vars::jsonpath_assign(s.assign.as_ref(), &result, ctx, ev, at)?;
    let selected = match result_selector {
        Some(_) => {
            let selected = Arc::new(apply_template(result_selector, &result, ctx, ev, at)?);
            if keep {
                stages.after_result_selector = Some(selected.clone());
                stages.result = Some(result);
            }
            selected
        }
        None => {
            if keep {
                stages.result = Some(result.clone());
            }
            result
        }
    };
    let after = apply_result_path(s.result_path.as_ref(), raw_input, selected, ev, at)?;
    if keep {
        stages.after_result_path = Some(after.clone());
    }
    let output = apply_path_owned(s.output_path.as_ref(), after, ctx, ev, at)?;
    if keep {
        stages.output = Some(output.clone());
    }
    let mut done = Done::new(output, next_of(s), keep.then_some(stages));
    done.assigned = assigned;
    Ok(done)
}

/// `ResultPath`: merges `result` into the raw state input.
pub(crate) fn apply_result_path(
    field: Option<&Nullable<JStr>>,
    raw_input: &Data,
    result: Data,
    ev: &mut Eval,
    at: &At,
) -> Result<Data, Failure> {
    match field {
        None => Ok(result),
        Some(Nullable::Null) => Ok(raw_input.clone()),
        Some(Nullable::Value(p)) => {
            let p = p.as_str();
            if p.trim() == "$" {
                return Ok(result);
            }
            // The input is shared (with its event, the previous state's output): the merge works on a copy.
            let merged = Value::clone(raw_input);
            ev.set(p, merged, Arc::unwrap_or_clone(result))
                .map(Arc::new)
                .map_err(|m| {
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
