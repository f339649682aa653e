//! JSONPath input/output processing: InputPath → Parameters → (action) → ResultSelector → ResultPath → OutputPath.
//!
//! Absent paths default to `$`. `InputPath: null` and `OutputPath: null` give `{}`; `ResultPath: null` discards
//! the result and passes the state input on.

use super::failure::Failure;
use super::paths;
use super::rng::SimRng;
use crate::asl::Nullable;
use crate::json::{JStr, Json};
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
