//! What a run produced: the execution history as plain serde data. This is the only thing the GUI replays.
//!
//! Event type names follow AWS Step Functions' execution history (`TaskStateEntered`, `TaskSucceeded`, …), so a
//! trace reads like `GetExecutionHistory`. Every event carries its virtual timestamp, the path of the state it
//! belongs to (which Parallel branch, which Map iteration) and the data at each processing stage.

pub mod cursor;

pub use cursor::TraceCursor;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::borrow::Cow;
use std::sync::Arc;

/// A JSON value in a trace, shared: a state's output, the next state's input and the stages a state left
/// unchanged are one allocation. Serializes exactly like the value itself.
pub type Data = Arc<Value>;

/// A virtual instant, milliseconds since the Unix epoch. Serialized (and shown) as RFC 3339 with milliseconds,
/// `2024-01-01T00:00:00.000Z`; formatted only when asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// RFC 3339 with milliseconds, UTC.
    pub fn to_rfc3339(self) -> String {
        crate::sim::clock::format_ms(self.0)
    }

    /// Parses RFC 3339 (as written by [`Timestamp::to_rfc3339`]).
    pub fn parse(s: &str) -> Option<Timestamp> {
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| Timestamp(t.timestamp_millis()))
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl PartialEq<str> for Timestamp {
    fn eq(&self, other: &str) -> bool {
        self.to_rfc3339() == other
    }
}

impl PartialEq<&str> for Timestamp {
    fn eq(&self, other: &&str) -> bool {
        self.to_rfc3339() == *other
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(d)?;
        Timestamp::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 timestamp: {text}")))
    }
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Succeeded,
    Failed,
    TimedOut,
}

impl Status {
    /// AWS's spelling: `SUCCEEDED`, `FAILED`, `TIMED_OUT`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
        }
    }
}

/// A complete run: the result and the history that led to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub status: Status,
    /// The execution output (`SUCCEEDED` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// The error name (`FAILED`/`TIMED_OUT`), e.g. `States.TaskFailed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause text, when the error has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The RNG seed the run used (jitter, `States.UUID`, `States.MathRandom`).
    pub seed: u64,
    /// Virtual start and end of the execution (RFC 3339).
    pub start_time: String,
    pub end_time: String,
    /// How many states were entered.
    pub transitions: u64,
    pub events: Vec<TraceEvent>,
}

/// One segment of a state's location: nested machines are reached through a Parallel branch or a Map iteration.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathSegment {
    /// A state, by name (shared: every event of the state, and every run of it, uses one allocation).
    State(Arc<str>),
    /// The `n`-th branch of the Parallel state before it.
    Branch(usize),
    /// The `n`-th iteration (item index) of the Map state before it.
    Iteration(usize),
}

/// Where a state sits: `[State("Fan out"), Branch(1), State("Load")]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StatePath(pub Arc<[PathSegment]>);

impl StatePath {
    pub fn new(segments: Vec<PathSegment>) -> StatePath {
        StatePath(segments.into())
    }

    pub fn child(&self, seg: PathSegment) -> StatePath {
        StatePath(self.0.iter().cloned().chain(std::iter::once(seg)).collect())
    }

    /// The name of the innermost state, if the path ends at a state.
    pub fn state_name(&self) -> Option<&str> {
        match self.0.last() {
            Some(PathSegment::State(s)) => Some(s),
            _ => None,
        }
    }
}

impl std::fmt::Display for StatePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" / ")?;
            }
            match seg {
                PathSegment::State(s) => f.write_str(s)?,
                PathSegment::Branch(b) => write!(f, "branch {b}")?,
                PathSegment::Iteration(n) => write!(f, "item {n}")?,
            }
        }
        Ok(())
    }
}

/// The data of a state at every processing stage (JSONPath mode). Absent stages did not run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stages {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_input_path: Option<Data>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_parameters: Option<Data>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Data>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_result_selector: Option<Data>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_result_path: Option<Data>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Data>,
}

/// One comparison evaluated by a Choice state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// `$.Crawler.State`
    pub variable: String,
    /// `StringEquals`
    pub operator: String,
    /// The value found at `variable` (absent when the path found nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
    /// The value compared against (resolved, for the `…Path` operators).
    pub expected: Value,
    pub matched: bool,
}

/// What a Choice state decided.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoiceDecision {
    /// Index of the matching rule in `Choices`; `None` when `Default` was taken (or nothing matched).
    pub matched_rule: Option<usize>,
    /// The state chosen.
    pub next: Option<String>,
    /// Every comparison evaluated, in evaluation order.
    pub comparisons: Vec<Comparison>,
}

/// One history event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// 1-based, as in AWS's history.
    pub id: u64,
    /// The event this one follows (0 for the first).
    pub previous_event_id: u64,
    /// Virtual time, RFC 3339 with milliseconds.
    pub timestamp: Timestamp,
    /// AWS's event type name, e.g. `TaskStateEntered`.
    #[serde(rename = "type")]
    pub event_type: Cow<'static, str>,
    /// The state this event belongs to; empty for execution-level events.
    #[serde(default, skip_serializing_if = "is_root")]
    pub path: StatePath,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Data>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Data>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Task resource ARN (Task events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The Task had no mock: its result is its effective input.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unmocked: bool,
    /// Retry attempt number (0 for the first call) on Task scheduling events; Map item index on iteration events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
    /// Seconds waited before a retry, or by a Wait state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_seconds: Option<f64>,
    /// The data at every stage (on `…StateExited` events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stages: Option<Box<Stages>>,
    /// The Choice state's decision (on `ChoiceStateExited`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<Box<ChoiceDecision>>,
}

fn is_root(p: &StatePath) -> bool {
    p.0.is_empty()
}

impl TraceEvent {
    /// An event with only its header filled in.
    pub fn new(event_type: impl Into<Cow<'static, str>>, path: StatePath) -> TraceEvent {
        TraceEvent {
            id: 0,
            previous_event_id: 0,
            timestamp: Timestamp::default(),
            event_type: event_type.into(),
            path,
            input: None,
            output: None,
            error: None,
            cause: None,
            resource: None,
            unmocked: false,
            index: None,
            wait_seconds: None,
            stages: None,
            choice: None,
        }
    }

    /// Whether this event enters a state (`…StateEntered`).
    pub fn is_state_entered(&self) -> bool {
        self.event_type.ends_with("StateEntered")
    }

    /// Whether this event leaves a state (`…StateExited`).
    pub fn is_state_exited(&self) -> bool {
        self.event_type.ends_with("StateExited")
    }
}

impl Trace {
    /// The trace as pretty JSON; identical runs give byte-identical text.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The event types in order (compare with AWS's `GetExecutionHistory`).
    pub fn event_types(&self) -> Vec<&str> {
        self.events.iter().map(|e| &*e.event_type).collect()
    }
}
