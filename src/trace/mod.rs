//! What a run produced: the execution history as plain serde data. This is the only thing the GUI replays.
//!
//! Event type names follow AWS Step Functions' execution history (`TaskStateEntered`, `TaskSucceeded`, …), so a
//! trace reads like `GetExecutionHistory`. Every event carries its virtual timestamp, the path of the state it
//! belongs to (which Parallel branch, which Map iteration) and the data at each processing stage.

pub mod cursor;
pub mod describe;
pub mod highlight;

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
    /// Stopped from outside (`StopExecution`, `ExecutionAborted`): only a replayed AWS history ends so; the
    /// simulator never aborts.
    Aborted,
    /// Not ended: a replayed AWS history without an execution-level result event (the execution was still
    /// running when it was exported, or the export is cut short). The simulator never produces it.
    Running,
}

impl Status {
    /// AWS's spelling: `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`, `RUNNING`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
            Status::Running => "RUNNING",
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
    /// JSONata: what `Arguments` evaluated to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Data>,
    /// JSONata: what `Assign` evaluated to (the object of name → value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assign: Option<Data>,
}

/// One comparison evaluated by a Choice state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// `$.Crawler.State` (shared: every evaluation of the rule uses one allocation)
    pub variable: Arc<str>,
    /// `StringEquals`
    pub operator: Cow<'static, str>,
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
///
/// The header (ids, time, type, path, input, output) is inline, the stages boxed; the fields most events
/// leave empty (error, cause, resource, unmocked, index, wait, Choice decision) sit in one boxed
/// [`EventDetail`], so the common event stays small. Serialized flat, exactly as if every field were inline (see [`EventWire`]).
#[derive(Clone, Debug, PartialEq)]
pub struct TraceEvent {
    /// 1-based, as in AWS's history.
    pub id: u64,
    /// The event this one follows (0 for the first).
    pub previous_event_id: u64,
    /// Virtual time, RFC 3339 with milliseconds.
    pub timestamp: Timestamp,
    /// AWS's event type name, e.g. `TaskStateEntered`.
    pub event_type: Cow<'static, str>,
    /// The state this event belongs to; empty for execution-level events.
    pub path: StatePath,
    pub input: Option<Data>,
    pub output: Option<Data>,
    /// The data at every stage (on `…StateExited` events at [`Record::Full`](crate::sim::Record::Full)).
    pub stages: Option<Box<Stages>>,
    /// The rarely-set fields; `None` when all of them are empty.
    pub detail: Option<Box<EventDetail>>,
}

/// The fields of a [`TraceEvent`] that most events leave empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventDetail {
    pub error: Option<String>,
    pub cause: Option<String>,
    /// Task resource ARN (Task events).
    pub resource: Option<String>,
    /// The Task had no mock: its result is its effective input.
    pub unmocked: bool,
    /// Retry attempt number (0 for the first call) on Task scheduling events; Map item index on iteration events.
    pub index: Option<u64>,
    /// Seconds waited before a retry, or by a Wait state.
    pub wait_seconds: Option<f64>,
    /// The Choice state's decision (on `ChoiceStateExited`).
    pub choice: Option<Box<ChoiceDecision>>,
    /// The workflow variables in scope at this event (`None`: none is), after the state's own assignments
    /// on its `…StateExited` event.
    pub variables: Option<crate::sim::Vars>,
    /// The variables the state assigned, in assignment order (on `…StateExited`).
    pub assigned: Option<Vec<Arc<str>>>,
}

/// A [`TraceEvent`] as it is written: every field inline, in this order.
#[derive(Serialize, Deserialize)]
struct EventWire<'a> {
    id: u64,
    previous_event_id: u64,
    timestamp: Timestamp,
    #[serde(rename = "type")]
    event_type: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "is_root")]
    path: Cow<'a, StatePath>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    input: Option<Cow<'a, Data>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    output: Option<Cow<'a, Data>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cause: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    unmocked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    index: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wait_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stages: Option<Cow<'a, Stages>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    choice: Option<Cow<'a, ChoiceDecision>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    variables: Option<Cow<'a, crate::sim::Vars>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assigned: Option<Cow<'a, [Arc<str>]>>,
}

impl Serialize for TraceEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.detail.as_deref();
        EventWire {
            id: self.id,
            previous_event_id: self.previous_event_id,
            timestamp: self.timestamp,
            event_type: Cow::Borrowed(&self.event_type),
            path: Cow::Borrowed(&self.path),
            input: self.input.as_ref().map(Cow::Borrowed),
            output: self.output.as_ref().map(Cow::Borrowed),
            error: d.and_then(|d| d.error.as_deref()).map(Cow::Borrowed),
            cause: d.and_then(|d| d.cause.as_deref()).map(Cow::Borrowed),
            resource: d.and_then(|d| d.resource.as_deref()).map(Cow::Borrowed),
            unmocked: d.is_some_and(|d| d.unmocked),
            index: d.and_then(|d| d.index),
            wait_seconds: d.and_then(|d| d.wait_seconds),
            stages: self.stages.as_deref().map(Cow::Borrowed),
            choice: d.and_then(|d| d.choice.as_deref()).map(Cow::Borrowed),
            variables: d.and_then(|d| d.variables.as_ref()).map(Cow::Borrowed),
            assigned: d.and_then(|d| d.assigned.as_deref()).map(Cow::Borrowed),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for TraceEvent {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let w = EventWire::deserialize(de)?;
        let detail = EventDetail {
            error: w.error.map(Cow::into_owned),
            cause: w.cause.map(Cow::into_owned),
            resource: w.resource.map(Cow::into_owned),
            unmocked: w.unmocked,
            index: w.index,
            wait_seconds: w.wait_seconds,
            choice: w.choice.map(|c| Box::new(c.into_owned())),
            variables: w.variables.map(Cow::into_owned),
            assigned: w.assigned.map(Cow::into_owned),
        };
        Ok(TraceEvent {
            id: w.id,
            previous_event_id: w.previous_event_id,
            timestamp: w.timestamp,
            event_type: Cow::Owned(w.event_type.into_owned()),
            path: w.path.into_owned(),
            input: w.input.map(Cow::into_owned),
            output: w.output.map(Cow::into_owned),
            stages: w.stages.map(|s| Box::new(s.into_owned())),
            detail: (detail != EventDetail::default()).then(|| Box::new(detail)),
        })
    }
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
            stages: None,
            detail: None,
        }
    }

    /// The rarely-set fields, created (empty) on first use.
    pub fn detail_mut(&mut self) -> &mut EventDetail {
        self.detail.get_or_insert_with(Box::default)
    }

    pub fn error(&self) -> Option<&str> {
        self.detail.as_ref()?.error.as_deref()
    }

    pub fn cause(&self) -> Option<&str> {
        self.detail.as_ref()?.cause.as_deref()
    }

    pub fn resource(&self) -> Option<&str> {
        self.detail.as_ref()?.resource.as_deref()
    }

    pub fn unmocked(&self) -> bool {
        self.detail.as_ref().is_some_and(|d| d.unmocked)
    }

    pub fn index(&self) -> Option<u64> {
        self.detail.as_ref()?.index
    }

    pub fn wait_seconds(&self) -> Option<f64> {
        self.detail.as_ref()?.wait_seconds
    }

    pub fn stages(&self) -> Option<&Stages> {
        self.stages.as_deref()
    }

    pub fn choice(&self) -> Option<&ChoiceDecision> {
        self.detail.as_ref()?.choice.as_deref()
    }

    /// The workflow variables in scope at this event (`None` when there are none).
    pub fn variables(&self) -> Option<&crate::sim::Vars> {
        self.detail.as_ref()?.variables.as_ref()
    }

    /// The variables this state assigned (on its `…StateExited` event).
    pub fn assigned(&self) -> Option<&[Arc<str>]> {
        self.detail.as_ref()?.assigned.as_deref()
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
