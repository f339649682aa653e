//! JSONPath input/output processing: InputPath → Parameters → (action) → ResultSelector → ResultPath → OutputPath.
//!
//! Absent paths default to `$`. `InputPath: null` and `OutputPath: null` give `{}`; `ResultPath: null` discards
//! the result and passes the state input on.

use super::executor::{Done, StateRun, next_of};
use super::failure::Failure;
use super::paths;
use super::rng::SimRng;
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
    context: &Value,
    at: &At,
) -> Result<Value, Failure> {
    match field {
        None => Ok(data.clone()),
        Some(Nullable::Null) => Ok(Value::Object(Map::new())),
        Some(Nullable::Value(p)) => {
            paths::select(p.as_str(), data, context).map_err(|m| at.runtime(&m))
        }
    }
}

/// `Parameters`, `ResultSelector`, `ItemSelector`: a payload template, or the data itself when absent.
pub(crate) fn apply_template(
    template: Option<&Json>,
    data: &Value,
    context: &Value,
    rng: &mut SimRng,
    at: &At,
) -> Result<Value, Failure> {
    match template {
        None => Ok(data.clone()),
        Some(t) => paths::template(&t.to_serde(), data, context, rng).map_err(|e| {
            if e.error == "States.Runtime" {
                at.runtime(&e.cause)
            } else {
                Failure::new(e.error, Some(e.cause))
            }
        }),
    }
}

/// `InputPath` → `Parameters`, recording both stages. Returns the data after `InputPath` and the effective
/// input after `Parameters`.
pub(crate) fn process_input(
    st: &StateRun,
    context: &Value,
    rng: &mut SimRng,
    stages: &mut Stages,
) -> Result<(Value, Value), Failure> {
    let (s, raw_input, at) = (st.state, st.raw_input, &st.at);
    let after_input_path = apply_path(s.input_path.as_ref(), raw_input, context, at)?;
    stages.after_input_path = Some(after_input_path.clone());
    let effective = apply_template(s.parameters.as_ref(), &after_input_path, context, rng, at)?;
    if s.parameters.is_some() {
        stages.after_parameters = Some(effective.clone());
    }
    Ok((after_input_path, effective))
}

/// The state's result → `ResultSelector` (when the state type takes one) → `ResultPath` → `OutputPath`,
/// recording each stage; gives the finished state.
pub(crate) fn process_result(
    st: &StateRun,
    result_selector: Option<&Json>,
    result: Value,
    context: &Value,
    rng: &mut SimRng,
    mut stages: Stages,
) -> Result<Done, Failure> {
    let (s, raw_input, at) = (st.state, st.raw_input, &st.at);
    stages.result = Some(result.clone());
    let selected = apply_template(result_selector, &result, context, rng, at)?;
    if result_selector.is_some() {
        stages.after_result_selector = Some(selected.clone());
    }
    let after = apply_result_path(s.result_path.as_ref(), raw_input, selected, at)?;
    stages.after_result_path = Some(after.clone());
    let output = apply_path(s.output_path.as_ref(), &after, context, at)?;
    stages.output = Some(output.clone());
    Ok(Done::new(output, next_of(s), stages))
}

/// `ResultPath`: merges `result` into the raw state input.
pub(crate) fn apply_result_path(
    field: Option<&Nullable<JStr>>,
    raw_input: &Value,
    result: Value,
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
            paths::set(p, raw_input, result).map_err(|m| {
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
