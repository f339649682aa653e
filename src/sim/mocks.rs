//! `TaskMocks`: what each call of a Task state returns, read from Step Functions Local's MockConfigFile format.
//!
//! ```json
//! { "StateMachines": { "Orders": { "TestCases": { "HappyPath": { "Charge": "ChargeOk" } } } },
//!   "MockedResponses": { "ChargeOk": { "0": { "Throw": { "Error": "Busy", "Cause": "try again" } },
//!                                      "1-2": { "Return": { "ok": true } } } } }
//! ```
//! Each call of a state (retries included) takes the next response; after the last one, the last repeats.
//! Besides `Return`/`Throw`, a response may carry `"LatencySeconds": n` (a statewright extension): how long
//! the call takes in virtual time, which `TimeoutSeconds`/`HeartbeatSeconds` are checked against.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// One mocked call.
#[derive(Clone, Debug, PartialEq)]
pub enum MockResponse {
    Return {
        value: Value,
        latency_secs: f64,
    },
    Throw {
        error: String,
        cause: Option<String>,
        latency_secs: f64,
    },
}

impl MockResponse {
    pub fn latency_secs(&self) -> f64 {
        match self {
            MockResponse::Return { latency_secs, .. }
            | MockResponse::Throw { latency_secs, .. } => *latency_secs,
        }
    }

    /// Reads `{"Return": ..}` or `{"Throw": {"Error", "Cause"}}` (plus optional `LatencySeconds`).
    pub fn from_json(v: &Value) -> Result<MockResponse, String> {
        let obj = v
            .as_object()
            .ok_or("a mocked response must be an object with \"Return\" or \"Throw\"")?;
        let latency_secs = match obj.get("LatencySeconds") {
            None => 0.0,
            Some(l) => l
                .as_f64()
                .filter(|l| *l >= 0.0)
                .ok_or("\"LatencySeconds\" must be a non-negative number")?,
        };
        match (obj.get("Return"), obj.get("Throw")) {
            (Some(value), None) => Ok(MockResponse::Return {
                value: value.clone(),
                latency_secs,
            }),
            (None, Some(t)) => {
                let error = match t.get("Error") {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(_) => return Err("\"Throw\".\"Error\" must be a string".into()),
                };
                let cause = match t.get("Cause") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(other) => Some(other.to_string()),
                };
                Ok(MockResponse::Throw {
                    error,
                    cause,
                    latency_secs,
                })
            }
            (Some(_), Some(_)) => Err("a mocked response has both \"Return\" and \"Throw\"".into()),
            (None, None) => Err("a mocked response needs \"Return\" or \"Throw\"".into()),
        }
    }
}

/// Why a mock file could not be used; `location` names where (a JSON-pointer-like path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockError {
    pub location: String,
    pub message: String,
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for MockError {}

fn err(location: impl Into<String>, message: impl Into<String>) -> MockError {
    MockError {
        location: location.into(),
        message: message.into(),
    }
}

/// The responses of each mocked Task state, by state name, in call order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskMocks {
    pub by_state: BTreeMap<String, Vec<MockResponse>>,
}

impl TaskMocks {
    /// The response for call number `call` (0-based) of `state`; `None` when the state is not mocked.
    pub fn response(&self, state: &str, call: usize) -> Option<&MockResponse> {
        let list = self.by_state.get(state)?;
        list.get(call).or(list.last())
    }

    /// Reads `{"State": [response, …]}` (the conformance records' form).
    pub fn from_lists(v: &Value) -> Result<TaskMocks, MockError> {
        let obj = v
            .as_object()
            .ok_or_else(|| err("/", "mocks must be an object of state name → list"))?;
        let mut by_state = BTreeMap::new();
        for (state, list) in obj {
            let items = list
                .as_array()
                .ok_or_else(|| err(format!("/{state}"), "expected a list of responses"))?;
            let mut out = Vec::new();
            for (i, r) in items.iter().enumerate() {
                out.push(MockResponse::from_json(r).map_err(|m| err(format!("/{state}/{i}"), m))?);
            }
            by_state.insert(state.clone(), out);
        }
        Ok(TaskMocks { by_state })
    }

    /// Reads a Step Functions Local MockConfigFile and picks one test case. `state_machine` may be omitted when
    /// the file has exactly one state machine; `test_case` when that machine has exactly one test case.
    pub fn from_mock_config(
        config: &Value,
        state_machine: Option<&str>,
        test_case: Option<&str>,
    ) -> Result<TaskMocks, MockError> {
        let machines = config
            .get("StateMachines")
            .and_then(Value::as_object)
            .ok_or_else(|| err("/StateMachines", "missing or not an object"))?;
        let (sm_name, sm) = pick(
            machines,
            state_machine,
            "/StateMachines",
            "state machine",
            "--state-machine",
        )?;
        let cases = sm
            .get("TestCases")
            .and_then(Value::as_object)
            .ok_or_else(|| {
                err(
                    format!("/StateMachines/{sm_name}/TestCases"),
                    "missing or not an object",
                )
            })?;
        let case_loc = format!("/StateMachines/{sm_name}/TestCases");
        let (case_name, case) = pick(cases, test_case, &case_loc, "test case", "--test-case")?;
        let case = case.as_object().ok_or_else(|| {
            err(
                format!("{case_loc}/{case_name}"),
                "a test case must map state names to response names",
            )
        })?;
        let responses = config.get("MockedResponses").and_then(Value::as_object);
        let mut by_state = BTreeMap::new();
        for (state, response_name) in case {
            let loc = format!("{case_loc}/{case_name}/{state}");
            let response_name = response_name
                .as_str()
                .ok_or_else(|| err(&loc, "expected a response name"))?;
            let response = responses
                .and_then(|r| r.get(response_name))
                .ok_or_else(|| {
                    err(
                        &loc,
                        format!("no MockedResponses entry named {response_name:?}"),
                    )
                })?;
            let list = expand_response(response, &format!("/MockedResponses/{response_name}"))?;
            by_state.insert(state.clone(), list);
        }
        Ok(TaskMocks { by_state })
    }
}

fn pick<'a>(
    map: &'a Map<String, Value>,
    wanted: Option<&str>,
    loc: &str,
    what: &str,
    flag: &str,
) -> Result<(&'a str, &'a Value), MockError> {
    match wanted {
        Some(name) => map
            .get_key_value(name)
            .map(|(k, v)| (k.as_str(), v))
            .ok_or_else(|| {
                let have: Vec<&str> = map.keys().map(String::as_str).collect();
                err(
                    loc,
                    format!("no {what} named {name:?} (have: {})", have.join(", ")),
                )
            }),
        None if map.len() == 1 => Ok(map
            .iter()
            .next()
            .map(|(k, v)| (k.as_str(), v))
            .expect("len 1")),
        None => {
            let have: Vec<&str> = map.keys().map(String::as_str).collect();
            Err(err(
                loc,
                format!(
                    "{} {what}s ({}); choose one with {flag}",
                    map.len(),
                    have.join(", ")
                ),
            ))
        }
    }
}

/// `{"0": r, "1-2": r}` → `[r, r, r]`. Ranges must start at 0 and leave no gaps.
fn expand_response(v: &Value, loc: &str) -> Result<Vec<MockResponse>, MockError> {
    let obj = v
        .as_object()
        .ok_or_else(|| err(loc, "expected an object of \"0\", \"1-2\", … keys"))?;
    let mut ranges = Vec::new();
    for (key, r) in obj {
        let kloc = format!("{loc}/{key}");
        let (a, b) = call_range(key).map_err(|m| err(&kloc, m))?;
        ranges.push((a, b, MockResponse::from_json(r).map_err(|m| err(&kloc, m))?));
    }
    expand_ranges(ranges).map_err(|m| err(loc, m))
}

/// The calls a MockedResponses key covers: `"0"` → `(0, 0)`, `"1-2"` → `(1, 2)`.
pub(crate) fn call_range(key: &str) -> Result<(u64, u64), String> {
    let parse = |s: &str| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| "keys are call numbers like \"0\" or \"1-2\"".to_owned())
    };
    let (a, b) = match key.split_once('-') {
        Some((a, b)) => (parse(a)?, parse(b)?),
        None => {
            let n = parse(key)?;
            (n, n)
        }
    };
    if b < a || b - a > 100_000 {
        return Err("invalid range".into());
    }
    Ok((a, b))
}

/// `(first call, last call, response)` ranges → one response per call, in call order. The ranges must cover
/// 0, 1, 2, … without gaps.
pub(crate) fn expand_ranges<T: Clone>(mut ranges: Vec<(u64, u64, T)>) -> Result<Vec<T>, String> {
    ranges.sort_by_key(|r| r.0);
    let mut out = Vec::new();
    for (a, b, r) in ranges {
        if a != out.len() as u64 {
            return Err(format!(
                "call {} has no response (keys must cover 0, 1, 2, … without gaps)",
                out.len()
            ));
        }
        for _ in a..=b {
            out.push(r.clone());
        }
    }
    if out.is_empty() {
        return Err("no responses".into());
    }
    Ok(out)
}
