//! History events → trace events, checked against the definition.
//!
//! Where an event belongs is derived from the event structure, as AWS writes it:
//! - a `…StateEntered` event names its state; its scope is the scope of the event it follows
//!   (`previousEventId`), except after `MapIterationStarted` (the iteration of that index of the Map) and
//!   after `ParallelStateStarted` (the branch of that Parallel that holds the state);
//! - `…StateExited` names its state too; `MapIteration…` names its Map state and carries the index;
//! - the other state events (`TaskScheduled`, `LambdaFunctionFailed`, `MapStateStarted`, `ParallelStateSucceeded`,
//!   `TaskStateAborted`, …) name nothing: they belong to the nearest running state of their kind on the
//!   `previousEventId` chain (walking out of branches and iterations), else to the earliest running one of
//!   that kind (AWS links the aborts of all a Map's iterations to the one failure that caused them).
//!
//! Checked (each failure is a [`Mismatch`] on the event): the state exists in the scope it is entered in
//! (searching Parallel branches and Map `ItemProcessor`/`Iterator`); the event type's state kind is the state's
//! `Type`; two states entered one after the other in a scope are joined by a `Next`, a Choice rule, `Default`
//! or a `Catch`, and the first one is the scope's `StartAt`; every element is an event object with an `id`
//! and a known `type` (the types of the `HistoryEvent` API reference).

use super::{Mismatch, RawEvent, Replay};
use crate::asl::{State, StateMachine, StateType};
use crate::trace::{PathSegment, StatePath, Status, Timestamp, Trace, TraceEvent};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Every event type of the Step Functions `HistoryEvent` API reference.
pub const EVENT_TYPES: &[&str] = &[
    "ActivityFailed",
    "ActivityScheduled",
    "ActivityScheduleFailed",
    "ActivityStarted",
    "ActivitySucceeded",
    "ActivityTimedOut",
    "ChoiceStateEntered",
    "ChoiceStateExited",
    "ExecutionAborted",
    "ExecutionFailed",
    "ExecutionStarted",
    "ExecutionSucceeded",
    "ExecutionTimedOut",
    "FailStateEntered",
    "LambdaFunctionFailed",
    "LambdaFunctionScheduled",
    "LambdaFunctionScheduleFailed",
    "LambdaFunctionStarted",
    "LambdaFunctionStartFailed",
    "LambdaFunctionSucceeded",
    "LambdaFunctionTimedOut",
    "MapIterationAborted",
    "MapIterationFailed",
    "MapIterationStarted",
    "MapIterationSucceeded",
    "MapStateAborted",
    "MapStateEntered",
    "MapStateExited",
    "MapStateFailed",
    "MapStateStarted",
    "MapStateSucceeded",
    "ParallelStateAborted",
    "ParallelStateEntered",
    "ParallelStateExited",
    "ParallelStateFailed",
    "ParallelStateStarted",
    "ParallelStateSucceeded",
    "PassStateEntered",
    "PassStateExited",
    "SucceedStateEntered",
    "SucceedStateExited",
    "TaskFailed",
    "TaskScheduled",
    "TaskStarted",
    "TaskStartFailed",
    "TaskStateAborted",
    "TaskStateEntered",
    "TaskStateExited",
    "TaskSubmitFailed",
    "TaskSubmitted",
    "TaskSucceeded",
    "TaskTimedOut",
    "WaitStateAborted",
    "WaitStateEntered",
    "WaitStateExited",
    "MapRunAborted",
    "MapRunFailed",
    "MapRunStarted",
    "MapRunSucceeded",
    "ExecutionRedriven",
    "MapRunRedriven",
    "EvaluationFailed",
];

/// What an event type says about where the event belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `Execution…`: the execution itself.
    Execution,
    /// `<Type>StateEntered`
    Entered(StateType),
    /// `<Type>StateExited`
    Exited(StateType),
    /// `<Type>StateAborted`
    Aborted(StateType),
    /// `MapIteration…`
    Iteration,
    /// `EvaluationFailed` (names its state in `state`).
    Evaluation,
    /// Any other event of a running state of this type (`TaskScheduled`, `MapStateStarted`, …).
    Owned(StateType),
    /// Not a `HistoryEvent` type.
    Unknown,
}

fn kind(event_type: &str) -> Kind {
    if !EVENT_TYPES.contains(&event_type) {
        return Kind::Unknown;
    }
    if event_type.starts_with("Execution") {
        return Kind::Execution;
    }
    if event_type.starts_with("MapIteration") {
        return Kind::Iteration;
    }
    if event_type == "EvaluationFailed" {
        return Kind::Evaluation;
    }
    let state_kind = |prefix: &str| StateType::from_name(prefix);
    if let Some((prefix, rest)) = event_type.split_once("State")
        && let Some(t) = state_kind(prefix)
    {
        return match rest {
            "Entered" => Kind::Entered(t),
            "Exited" => Kind::Exited(t),
            "Aborted" => Kind::Aborted(t),
            _ => Kind::Owned(t),
        };
    }
    if ["Task", "Lambda", "Activity"]
        .iter()
        .any(|p| event_type.starts_with(p))
    {
        Kind::Owned(StateType::Task)
    } else {
        // MapRun…: the only types left.
        Kind::Owned(StateType::Map)
    }
}

/// What is kept about an event already converted: later events find their place through it.
#[derive(Clone, Debug)]
struct Seen {
    path: StatePath,
    event_type: String,
    index: Option<u64>,
}

/// The walk over the events.
struct Walker<'m> {
    root: &'m StateMachine,
    seen: HashMap<u64, Seen>,
    /// States entered and not yet exited (or aborted), in entry order.
    open: Vec<StatePath>,
    /// The last state entered in each scope.
    last_in_scope: HashMap<Vec<PathSegment>, Arc<str>>,
    /// The latest iteration started of each Map state.
    iterations: HashMap<StatePath, u64>,
    mismatches: Vec<Mismatch>,
    /// The event being converted: its id and position, for mismatches.
    at: (Option<u64>, usize, usize),
    /// The execution was redriven (`ExecutionRedriven`): it went on from where it failed, so the first state
    /// entered in a scope since then need not be the scope's `StartAt`.
    redriven: bool,
}

/// Replays parsed history events on `machine`.
pub fn replay_events(machine: &StateMachine, raw: &[RawEvent]) -> Replay {
    let mut w = Walker {
        root: machine,
        seen: HashMap::new(),
        open: Vec::new(),
        last_in_scope: HashMap::new(),
        iterations: HashMap::new(),
        mismatches: Vec::new(),
        at: (None, 1, 1),
        redriven: false,
    };
    // The events in id order (`--reverse-order` prints them newest first); elements that are not events are
    // reported and left out.
    let mut events: Vec<(&RawEvent, &Map<String, Value>)> = Vec::new();
    for r in raw {
        w.at = (None, r.line, r.column);
        match r.value.as_object() {
            Some(o) if o.get("type").and_then(Value::as_str).is_some() => events.push((r, o)),
            Some(_) => w.mismatch(format!(
                "events[{}] has no \"type\": it is not a history event",
                r.position
            )),
            None => w.mismatch(format!(
                "events[{}] is {}, not a history event object",
                r.position,
                json_type(&r.value)
            )),
        }
    }
    if events
        .iter()
        .all(|(_, o)| o.get("id").and_then(Value::as_u64).is_some())
    {
        events.sort_by_key(|(_, o)| o.get("id").and_then(Value::as_u64));
    }
    let mut trace_events = Vec::with_capacity(events.len());
    let mut states_entered = Vec::new();
    let mut ids = HashSet::new();
    let mut end: Option<(Status, &Map<String, Value>)> = None;
    let mut clock: Option<i64> = None;
    let mut untimed = std::collections::BTreeSet::new();
    let mut choices = Choices::default();
    for (r, o) in events {
        let id = o.get("id").and_then(Value::as_u64);
        w.at = (id, r.line, r.column);
        let id = match id {
            Some(id) => id,
            None => {
                w.mismatch("the event has no whole-number \"id\"".into());
                r.position as u64 + 1
            }
        };
        if !ids.insert(id) {
            w.mismatch(format!("another event has the id {id} too"));
        }
        let event_type = o.get("type").and_then(Value::as_str).unwrap_or_default();
        let details = details(o);
        let prev_id = o
            .get("previousEventId")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let prev = match w.seen.get(&prev_id) {
            Some(s) => s.clone(),
            None => {
                if prev_id != 0 {
                    w.mismatch(format!(
                        "previousEventId {prev_id} is not the id of an earlier event"
                    ));
                }
                Seen {
                    path: StatePath::default(),
                    event_type: String::new(),
                    index: None,
                }
            }
        };
        let name = details.and_then(|d| d.get("name")).and_then(Value::as_str);
        let index = details.and_then(|d| d.get("index")).and_then(Value::as_u64);
        let k = kind(event_type);
        if event_type == "ExecutionRedriven" {
            // Every scope goes on afresh from the state that failed.
            w.last_in_scope.clear();
            w.redriven = true;
            // The failure before it is not the end any more.
            end = None;
        }
        let path = match k {
            Kind::Execution => StatePath::default(),
            Kind::Entered(t) => match name {
                Some(n) => {
                    states_entered.push(n.to_owned());
                    let before = w.mismatches.len();
                    let p = w.entered(t, n, &prev);
                    // A state that does not fit is reported once, not also as against the rules.
                    let fits = w.mismatches.len() == before;
                    choices.entered(&mut w, t, n, &p, details, fits);
                    p
                }
                None => {
                    w.mismatch(format!(
                        "{event_type} has no stateEnteredEventDetails.name: which state it enters is unknown"
                    ));
                    prev.path.clone()
                }
            },
            Kind::Exited(t) => match name {
                Some(n) => w.exited(t, n, event_type, &prev),
                None => {
                    w.mismatch(format!(
                        "{event_type} has no stateExitedEventDetails.name: which state it leaves is unknown"
                    ));
                    prev.path.clone()
                }
            },
            Kind::Aborted(t) => {
                let p = w.owner(t, event_type, &prev);
                w.close(&p);
                p
            }
            Kind::Iteration => w.iteration(event_type, name, index, &prev),
            Kind::Evaluation => {
                let state = details.and_then(|d| d.get("state")).and_then(Value::as_str);
                state
                    .and_then(|s| w.find_named(s, &prev.path))
                    .unwrap_or_else(|| prev.path.clone())
            }
            Kind::Owned(t) => {
                let p = w.owner(t, event_type, &prev);
                if event_type == "MapStateStarted" || event_type == "ParallelStateStarted" {
                    // A Map retried (or re-entered) starts its iterations afresh.
                    w.last_in_scope
                        .retain(|scope, _| !(scope.len() > p.0.len() && scope.starts_with(&p.0)));
                    choices.restart(&p);
                }
                p
            }
            Kind::Unknown => {
                w.mismatch(format!(
                    "\"{event_type}\" is not a Step Functions history event type"
                ));
                prev.path.clone()
            }
        };
        if let Some(s) = match event_type {
            "ExecutionSucceeded" => Some(Status::Succeeded),
            "ExecutionFailed" => Some(Status::Failed),
            "ExecutionTimedOut" => Some(Status::TimedOut),
            "ExecutionAborted" => Some(Status::Aborted),
            _ => None,
        } {
            end = Some((s, details.unwrap_or(&EMPTY)));
        }
        let millis = timestamp_ms(o.get("timestamp")).unwrap_or_else(|| {
            untimed.insert(id);
            clock.map_or(crate::sim::config::DEFAULT_START_TIME_MS, |t| t + 1)
        });
        clock = Some(millis);
        w.seen.insert(
            id,
            Seen {
                path: path.clone(),
                event_type: event_type.to_owned(),
                index,
            },
        );
        let mut ev = trace_event(id, prev_id, millis, event_type, path, details, index);
        if k == Kind::Exited(StateType::Choice) {
            choices.exited(&w, &mut ev);
        }
        // After the decision: a Choice's own Assign takes effect when it is done.
        choices.assigned(&ev.path, details);
        trace_events.push(ev);
    }
    let (status, output, error, cause) = match end {
        Some((s, d)) => (
            s,
            d.get("output").map(decode),
            d.get("error").map(text),
            d.get("cause").map(text),
        ),
        None => (Status::Running, None, None, None),
    };
    let time = |e: Option<&TraceEvent>| e.map(|e| e.timestamp.to_rfc3339()).unwrap_or_default();
    Replay {
        trace: Trace {
            status,
            output,
            error,
            cause,
            seed: 0,
            start_time: time(trace_events.first()),
            end_time: time(trace_events.last()),
            transitions: states_entered.len() as u64,
            events: trace_events,
        },
        mismatches: w.mismatches,
        states_entered,
        events: raw.len(),
        choice_notes: choices.notes,
        untimed,
    }
}

/// The Choice decisions of a replay: each Choice state's input from its `ChoiceStateEntered`, the decision on
/// its `ChoiceStateExited`, checked against the next state the history enters in the same scope.
#[derive(Default)]
struct Choices {
    /// The input of each Choice state entered and not yet exited, or why there is none to decide on.
    inputs: HashMap<StatePath, Result<Value, &'static str>>,
    /// By scope: the state the last Choice exited in it chose, its name and input, until the next state
    /// entered there.
    pending: HashMap<Vec<PathSegment>, (Option<String>, Arc<str>, Value)>,
    /// Why a `ChoiceStateExited` event has no decision.
    notes: std::collections::BTreeMap<u64, String>,
    /// The workflow variables each scope assigned (`assignedVariables`), by name (values the history cut short
    /// left out).
    vars: HashMap<Vec<PathSegment>, Map<String, Value>>,
}

impl Choices {
    /// A state `name` of type `t` entered at `path`: the choice it follows checked (unless the state already
    /// does not fit), a Choice's input kept.
    fn entered(
        &mut self,
        w: &mut Walker,
        t: StateType,
        name: &str,
        path: &StatePath,
        details: Option<&Map<String, Value>>,
        fits: bool,
    ) {
        if let Some((next, choice, input)) = self.pending.remove(scope_of(&path.0))
            && fits
            && next.as_deref() != Some(name)
        {
            let input = crate::trace::describe::shorten(&input.to_string(), 200);
            w.mismatch(match next {
                Some(next) => format!(
                    "the Choice rules of \"{choice}\" send input {input} to \"{next}\", but the history entered \"{name}\""
                ),
                None => format!(
                    "the Choice rules of \"{choice}\" match nothing for input {input} (no Default: States.NoChoiceMatched), but the history entered \"{name}\""
                ),
            });
        }
        if t == StateType::Choice {
            let truncated = details
                .and_then(|d| d.get("inputDetails"))
                .and_then(|t| t.get("truncated"))
                .and_then(Value::as_bool)
                == Some(true);
            let input = match details.and_then(|d| d.get("input")) {
                None => Err("the history has no data: the decision cannot be explained"),
                Some(_) if truncated => Err(
                    "the history cut the Choice's input short: the decision cannot be explained",
                ),
                Some(v) => Ok(decode(v)),
            };
            self.inputs.insert(path.clone(), input);
        }
    }

    /// The variables an event's state assigned (`assignedVariables`, JSON text or already decoded), kept in
    /// the scope the state runs in. Values the history cut short are forgotten: a decision that reads one is
    /// not explained.
    fn assigned(&mut self, path: &StatePath, details: Option<&Map<String, Value>>) {
        let Some(d) = details else { return };
        let Some(assigned) = d.get("assignedVariables").and_then(Value::as_object) else {
            return;
        };
        let truncated = d
            .get("assignedVariablesDetails")
            .and_then(|t| t.get("truncated"))
            .and_then(Value::as_bool)
            == Some(true);
        let scope = self.vars.entry(scope_of(&path.0).to_vec()).or_default();
        for (name, v) in assigned {
            if truncated {
                scope.remove(name);
            } else {
                scope.insert(name.clone(), decode(v));
            }
        }
    }

    /// Forgets the variables of the scopes inside `path` (a Map or Parallel starting afresh).
    fn restart(&mut self, path: &StatePath) {
        let p = &path.0;
        self.vars
            .retain(|scope, _| !(scope.len() > p.len() && scope.starts_with(p)));
    }

    /// The variables a state at `path` reads: its own scope's and every enclosing scope's.
    fn visible(&self, path: &StatePath) -> Map<String, Value> {
        let scope = scope_of(&path.0);
        let mut out = Map::new();
        for k in 0..=scope.len() {
            if let Some(vars) = self.vars.get(&scope[..k]) {
                out.extend(vars.iter().map(|(n, v)| (n.clone(), v.clone())));
            }
        }
        out
    }

    /// A Choice state exited (`ev`, its path set): its decision attached, or a note saying why there is none.
    fn exited(&mut self, w: &Walker, ev: &mut TraceEvent) {
        let Some(name) = ev.path.state_name().map(Arc::<str>::from) else {
            return;
        };
        let Some(state) = w.state_at(&ev.path.0) else {
            // Not a state of the definition: already a mismatch.
            return;
        };
        let input = match self.inputs.remove(&ev.path) {
            Some(Ok(input)) => input,
            Some(Err(why)) => {
                self.notes.insert(ev.id, why.into());
                return;
            }
            // Exited without being entered: already a mismatch, or the history starts after the entry.
            None => {
                self.notes.insert(
                    ev.id,
                    "the history does not show the Choice entered: the decision cannot be explained"
                        .into(),
                );
                return;
            }
        };
        let jsonata = state
            .query_language
            .as_deref()
            .or(w.root.query_language.as_deref())
            == Some("JSONata");
        let vars = self.visible(&ev.path);
        match crate::sim::choice::decide(&name, state, jsonata, &input, &vars) {
            Ok(d) => {
                self.pending
                    .insert(scope_of(&ev.path.0).to_vec(), (d.next.clone(), name, input));
                ev.detail_mut().choice = Some(Box::new(d));
            }
            Err(why) => {
                self.notes
                    .insert(ev.id, format!("the decision cannot be explained: {why}"));
            }
        }
    }
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

/// The event's `…EventDetails` object.
fn details(o: &Map<String, Value>) -> Option<&Map<String, Value>> {
    o.iter()
        .find(|(k, v)| k.ends_with("EventDetails") && v.is_object())
        .and_then(|(_, v)| v.as_object())
}

/// A payload as the API sends it (JSON text) or already decoded: the JSON value. Text that is not JSON (a
/// truncated payload) stays a string.
fn decode(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        _ => v.clone(),
    }
}

/// An error or cause as text (a cause the export decoded into an object is written back as JSON).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Epoch seconds (a number, as the API and boto3 give them) or ISO 8601 text (as the AWS CLI prints them);
/// `None` for anything else (a placeholder such as `"timestamp"`).
fn timestamp_ms(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n
            .as_f64()
            .filter(|f| f.is_finite())
            .map(|f| (f * 1000.0).round() as i64),
        Value::String(s) => Timestamp::parse(s.trim()).map(Timestamp::millis),
        _ => None,
    }
}

/// The trace event of a history event: header, payloads, error, cause, resource, index.
fn trace_event(
    id: u64,
    prev_id: u64,
    millis: i64,
    event_type: &str,
    path: StatePath,
    details: Option<&Map<String, Value>>,
    index: Option<u64>,
) -> TraceEvent {
    let mut ev = TraceEvent::new(Cow::Owned(event_type.to_owned()), path);
    ev.id = id;
    ev.previous_event_id = prev_id;
    ev.timestamp = Timestamp(millis);
    let Some(d) = details else {
        return ev;
    };
    // `TaskScheduled` sends the task its `parameters`.
    ev.input = d
        .get("input")
        .or_else(|| d.get("parameters"))
        .map(|v| Arc::new(decode(v)));
    ev.output = d.get("output").map(|v| Arc::new(decode(v)));
    if let Some(e) = d.get("error") {
        ev.detail_mut().error = Some(text(e));
    }
    if let Some(c) = d.get("cause") {
        ev.detail_mut().cause = Some(text(c));
    }
    // Service integrations come as `resourceType` + `resource` (`lambda` + `invoke`): written back as the
    // definition's `Resource` (`arn:aws:states:::lambda:invoke`); Lambda and activity events carry the ARN.
    let resource = d.get("resource").and_then(Value::as_str);
    match (d.get("resourceType").and_then(Value::as_str), resource) {
        (Some(t), Some(r)) => ev.detail_mut().resource = Some(format!("arn:aws:states:::{t}:{r}")),
        (None, Some(r)) => ev.detail_mut().resource = Some(r.to_owned()),
        _ => {}
    }
    if event_type.starts_with("MapIteration") {
        ev.detail_mut().index = index;
    }
    if let Some(vars) = d.get("assignedVariables").and_then(Value::as_object) {
        ev.detail_mut().assigned = Some(vars.keys().map(|k| Arc::from(k.as_str())).collect());
    }
    ev
}

/// The scope a state path's state sits in: the path without its last segment.
fn scope_of(path: &[PathSegment]) -> &[PathSegment] {
    &path[..path.len().saturating_sub(1)]
}

fn with(prefix: &[PathSegment], seg: PathSegment) -> Vec<PathSegment> {
    let mut v = prefix.to_vec();
    v.push(seg);
    v
}

/// A scope in words: `the top level`, `branch 2 of "P"`, `the iterations of "M"`.
fn scope_name(scope: &[PathSegment]) -> String {
    match scope {
        [] => "the top level".into(),
        [.., PathSegment::State(p), PathSegment::Branch(b)] => {
            format!("branch {} of \"{p}\"", b + 1)
        }
        [.., PathSegment::State(m), PathSegment::Iteration(_)] => {
            format!("the iterations of \"{m}\"")
        }
        other => StatePath::new(other.to_vec()).to_string(),
    }
}

impl<'m> Walker<'m> {
    fn mismatch(&mut self, message: String) {
        let (event_id, line, column) = self.at;
        self.mismatches.push(Mismatch {
            event_id,
            message,
            line,
            column,
        });
    }

    /// The machine of a scope (`[]`, `[State(P), Branch(1)]`, `[State(M), Iteration(3)]`, …).
    fn machine_at(&self, scope: &[PathSegment]) -> Option<&'m StateMachine> {
        let mut m = self.root;
        let mut st: Option<&'m State> = None;
        for seg in scope {
            match seg {
                PathSegment::State(n) => st = Some(m.state(n)?),
                PathSegment::Branch(b) => {
                    m = st?.branches.as_ref()?.get(*b)?;
                    st = None;
                }
                PathSegment::Iteration(_) => {
                    m = st?.processor()?;
                    st = None;
                }
            }
        }
        st.is_none().then_some(m)
    }

    /// The state a path ends at.
    fn state_at(&self, path: &[PathSegment]) -> Option<&'m State> {
        match path.split_last()? {
            (PathSegment::State(n), scope) => self.machine_at(scope)?.state(n),
            _ => None,
        }
    }

    fn type_at(&self, path: &[PathSegment]) -> Option<StateType> {
        self.state_at(path).and_then(State::state_type)
    }

    /// Where the definition has a state of this name, as a path (a Map's iteration: the latest started).
    fn find_in_definition(&self, name: &str) -> Option<Vec<PathSegment>> {
        fn walk(
            w: &Walker<'_>,
            m: &StateMachine,
            prefix: Vec<PathSegment>,
            name: &str,
        ) -> Option<Vec<PathSegment>> {
            if m.state(name).is_some() {
                return Some(with(&prefix, PathSegment::State(name.into())));
            }
            for n in m.states() {
                let at = with(&prefix, PathSegment::State(n.name.as_str().into()));
                for (b, branch) in n.state.branches.iter().flatten().enumerate() {
                    if let Some(p) = walk(w, branch, with(&at, PathSegment::Branch(b)), name) {
                        return Some(p);
                    }
                }
                if let Some(proc) = n.state.processor() {
                    let i = w
                        .iterations
                        .get(&StatePath::new(at.clone()))
                        .copied()
                        .unwrap_or(0);
                    let scope = with(&at, PathSegment::Iteration(i as usize));
                    if let Some(p) = walk(w, proc, scope, name) {
                        return Some(p);
                    }
                }
            }
            None
        }
        walk(self, self.root, Vec::new(), name)
    }

    /// Checks that a state of this type is what the event says it is.
    fn check_type(&mut self, t: StateType, name: &str, path: &[PathSegment], event_type: &str) {
        let Some(actual) = self.state_at(path).map(State::state_type) else {
            return;
        };
        match actual {
            Some(a) if a == t => {}
            Some(a) => self.mismatch(format!(
                "{event_type} for \"{name}\", but \"{name}\" is a {a} state in the definition"
            )),
            None => self.mismatch(format!(
                "{event_type} for \"{name}\", but \"{name}\" has no valid Type in the definition"
            )),
        }
    }

    /// A `…StateEntered` event: the path of the state, with the checks of where it is and how it was reached.
    fn entered(&mut self, t: StateType, name: &str, prev: &Seen) -> StatePath {
        let event_type = format!("{t}StateEntered");
        let scope: Vec<PathSegment> = match prev.event_type.as_str() {
            "MapIterationStarted" => with(
                &prev.path.0,
                PathSegment::Iteration(prev.index.unwrap_or(0) as usize),
            ),
            "ParallelStateStarted" => {
                let branch = self
                    .state_at(&prev.path.0)
                    .and_then(|p| {
                        p.branches
                            .iter()
                            .flatten()
                            .position(|b| b.state(name).is_some())
                    })
                    .unwrap_or(0);
                with(&prev.path.0, PathSegment::Branch(branch))
            }
            _ => scope_of(&prev.path.0).to_vec(),
        };
        let here = self.machine_at(&scope).filter(|m| m.state(name).is_some());
        let path = match here {
            Some(m) => {
                let path = with(&scope, PathSegment::State(name.into()));
                match self.last_in_scope.get(&scope).cloned() {
                    // A state the definition lacks was reported when it was entered.
                    Some(from) if m.state(&from).is_none() => {}
                    Some(from) => {
                        let targets: Vec<&str> = m
                            .state(&from)
                            .map(|s| s.edges().iter().map(|e| e.target).collect())
                            .unwrap_or_default();
                        if !targets.contains(&name) {
                            let goes = if targets.is_empty() {
                                format!("\"{from}\" has no transition")
                            } else {
                                let list: Vec<String> =
                                    targets.iter().map(|t| format!("\"{t}\"")).collect();
                                format!("\"{from}\" goes to {}", list.join(", "))
                            };
                            self.mismatch(format!(
                                "\"{name}\" is entered after \"{from}\", but the definition has no transition \
                                 from \"{from}\" to \"{name}\" ({goes})"
                            ));
                        }
                    }
                    None => {
                        if m.start_at() != Some(name) && !self.redriven {
                            self.mismatch(format!(
                                "\"{name}\" is the first state entered in {}, but its StartAt is \"{}\"",
                                scope_name(&scope),
                                m.start_at().unwrap_or_default()
                            ));
                        }
                    }
                }
                path
            }
            None => match self.find_in_definition(name) {
                Some(elsewhere) => {
                    self.mismatch(format!(
                        "\"{name}\" is entered in {}, but the definition has it in {}",
                        scope_name(&scope),
                        scope_name(scope_of(&elsewhere))
                    ));
                    elsewhere
                }
                None => {
                    self.mismatch(format!("the definition has no state \"{name}\""));
                    with(&scope, PathSegment::State(name.into()))
                }
            },
        };
        self.check_type(t, name, &path, &event_type);
        let scope = scope_of(&path).to_vec();
        // The states nested in a state entered again start afresh.
        self.last_in_scope
            .retain(|s, _| !(s.len() > path.len() && s.starts_with(&path)));
        self.last_in_scope.insert(scope.clone(), name.into());
        // Whatever ran in this scope before is over (a state that failed into a Catch has no Exited event).
        self.open
            .retain(|p| !(p.0.len() > scope.len() && p.0.starts_with(&scope)));
        let path = StatePath::new(path);
        self.open.push(path.clone());
        path
    }

    /// A `…StateExited` event: the running state of that name.
    fn exited(&mut self, t: StateType, name: &str, event_type: &str, prev: &Seen) -> StatePath {
        let path = match self.find_named(name, &prev.path) {
            Some(p) => p,
            None => {
                if self.find_in_definition(name).is_none() {
                    self.mismatch(format!("the definition has no state \"{name}\""));
                } else {
                    self.mismatch(format!(
                        "{event_type} for \"{name}\", which was not entered (or has exited already)"
                    ));
                }
                StatePath::new(with(
                    scope_of(&prev.path.0),
                    PathSegment::State(name.into()),
                ))
            }
        };
        self.check_type(t, name, &path.0, event_type);
        self.close(&path);
        path
    }

    /// A `MapIteration…` event: the Map state it names, the index in the event's detail.
    fn iteration(
        &mut self,
        event_type: &str,
        name: Option<&str>,
        index: Option<u64>,
        prev: &Seen,
    ) -> StatePath {
        let path = match name {
            Some(n) => self.find_named(n, &prev.path),
            None => None,
        };
        let path = match path {
            Some(p) => {
                self.check_type(StateType::Map, name.unwrap_or_default(), &p.0, event_type);
                p
            }
            None => {
                let found = self.owner_of_kind(StateType::Map, &prev.path);
                if name.is_some_and(|n| self.find_in_definition(n).is_none()) {
                    self.mismatch(format!(
                        "the definition has no state \"{}\"",
                        name.unwrap_or_default()
                    ));
                } else if found.is_none() {
                    self.mismatch(format!("{event_type} outside any running Map state"));
                }
                found.unwrap_or_else(|| prev.path.clone())
            }
        };
        if index.is_none() {
            self.mismatch(format!("{event_type} has no iteration \"index\""));
        }
        if event_type == "MapIterationStarted"
            && let Some(i) = index
        {
            self.iterations.insert(path.clone(), i);
        }
        path
    }

    /// The state an unnamed event of a state of type `t` belongs to.
    fn owner(&mut self, t: StateType, event_type: &str, prev: &Seen) -> StatePath {
        match self.owner_of_kind(t, &prev.path) {
            Some(p) => p,
            // The event follows one of a state the definition lacks: that was reported when it was entered.
            None if prev.path.state_name().is_some() && self.state_at(&prev.path.0).is_none() => {
                prev.path.clone()
            }
            None => {
                self.mismatch(format!("{event_type} outside any running {t} state"));
                prev.path.clone()
            }
        }
    }

    /// The nearest running state of type `t` on the `previousEventId` chain (the path, then the states
    /// around it), else the earliest running one of that type, else the nearest one on the chain.
    fn owner_of_kind(&self, t: StateType, from: &StatePath) -> Option<StatePath> {
        let ancestors: Vec<&[PathSegment]> = (1..=from.0.len())
            .rev()
            .map(|k| &from.0[..k])
            .filter(|p| matches!(p.last(), Some(PathSegment::State(_))))
            .filter(|p| self.type_at(p) == Some(t))
            .collect();
        ancestors
            .iter()
            .find(|p| self.open.iter().any(|o| *o.0 == ***p))
            .map(|p| StatePath::new(p.to_vec()))
            .or_else(|| {
                self.open
                    .iter()
                    .find(|o| self.type_at(&o.0) == Some(t))
                    .cloned()
            })
            .or_else(|| ancestors.first().map(|p| StatePath::new(p.to_vec())))
    }

    /// The state named `name` on the path `from` (it or a state around it), else the latest running one of
    /// that name.
    fn find_named(&self, name: &str, from: &StatePath) -> Option<StatePath> {
        (1..=from.0.len())
            .rev()
            .find(|&k| matches!(&from.0[k - 1], PathSegment::State(s) if &**s == name))
            .map(|k| StatePath::new(from.0[..k].to_vec()))
            .or_else(|| {
                self.open
                    .iter()
                    .rev()
                    .find(|p| p.state_name() == Some(name))
                    .cloned()
            })
    }

    /// The state has exited or was aborted: it and everything in it stop running.
    fn close(&mut self, path: &StatePath) {
        self.open.retain(|p| !p.0.starts_with(&path.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_are_classified() {
        assert_eq!(kind("TaskStateEntered"), Kind::Entered(StateType::Task));
        assert_eq!(kind("FailStateEntered"), Kind::Entered(StateType::Fail));
        assert_eq!(kind("MapStateStarted"), Kind::Owned(StateType::Map));
        assert_eq!(
            kind("ParallelStateSucceeded"),
            Kind::Owned(StateType::Parallel)
        );
        assert_eq!(kind("TaskStateAborted"), Kind::Aborted(StateType::Task));
        assert_eq!(
            kind("LambdaFunctionScheduled"),
            Kind::Owned(StateType::Task)
        );
        assert_eq!(kind("ActivityTimedOut"), Kind::Owned(StateType::Task));
        assert_eq!(kind("MapRunStarted"), Kind::Owned(StateType::Map));
        assert_eq!(kind("MapIterationAborted"), Kind::Iteration);
        assert_eq!(kind("ExecutionAborted"), Kind::Execution);
        assert_eq!(kind("EvaluationFailed"), Kind::Evaluation);
        assert_eq!(kind("TaskStateEnteredX"), Kind::Unknown);
        for t in EVENT_TYPES {
            assert_ne!(kind(t), Kind::Unknown, "{t}");
        }
    }

    fn replay_json(machine: serde_json::Value, events: serde_json::Value) -> Replay {
        let doc = crate::asl::Document::parse_json(&machine.to_string()).expect("machine");
        let text = serde_json::json!({ "events": events }).to_string();
        super::super::replay(&doc.machine, &text).expect("a history")
    }

    fn ev(id: u64, prev: u64, ty: &str, name: Option<&str>) -> serde_json::Value {
        let mut e = serde_json::json!({"id": id, "previousEventId": prev, "timestamp": id as f64, "type": ty});
        if let Some(n) = name {
            let key = if ty.ends_with("Entered") {
                "stateEnteredEventDetails"
            } else {
                "stateExitedEventDetails"
            };
            e[key] = serde_json::json!({ "name": n });
        }
        e
    }

    #[test]
    fn a_redriven_execution_goes_on_from_the_failed_state() {
        let machine = serde_json::json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
        let mut events = vec![
            ev(1, 0, "ExecutionStarted", None),
            ev(2, 1, "PassStateEntered", Some("A")),
            ev(3, 2, "PassStateExited", Some("A")),
            ev(4, 3, "TaskStateEntered", Some("B")),
            ev(5, 4, "TaskFailed", None),
            ev(6, 5, "ExecutionFailed", None),
            ev(7, 6, "ExecutionRedriven", None),
            ev(8, 7, "TaskStateEntered", Some("B")),
        ];
        let r = replay_json(machine.clone(), serde_json::json!(events));
        assert!(r.fits(), "{:?}", r.mismatches);
        assert_eq!(
            r.trace.status,
            Status::Running,
            "redriven and not ended yet"
        );
        events.push(ev(9, 8, "TaskSucceeded", None));
        events.push(ev(10, 9, "TaskStateExited", Some("B")));
        events.push(ev(11, 10, "ExecutionSucceeded", None));
        let r = replay_json(machine, serde_json::json!(events));
        assert!(r.fits(), "{:?}", r.mismatches);
        assert_eq!(r.trace.status, Status::Succeeded);
        assert_eq!(r.states_entered, ["A", "B", "B"]);
        assert_eq!(
            r.trace.events[8].path.to_string(),
            "B",
            "TaskSucceeded is B's"
        );
    }

    #[test]
    fn a_state_entered_in_the_wrong_scope_is_reported_where_it_is() {
        let machine = serde_json::json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "Z", "Branches": [
                {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}]},
            "Z": {"Type": "Pass", "End": true}}});
        let events = vec![
            ev(1, 0, "ExecutionStarted", None),
            ev(2, 1, "PassStateEntered", Some("X")),
        ];
        let r = replay_json(machine, serde_json::json!(events));
        assert_eq!(r.mismatches.len(), 1, "{:?}", r.mismatches);
        assert_eq!(r.mismatches[0].event_id, Some(2));
        assert_eq!(
            r.mismatches[0].message,
            "\"X\" is entered in the top level, but the definition has it in branch 1 of \"P\""
        );
        assert_eq!(r.trace.events[1].path.to_string(), "P / branch 0 / X");
    }

    #[test]
    fn placeholder_timestamps_become_a_virtual_clock() {
        let machine =
            serde_json::json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
        let mut events = vec![
            ev(1, 0, "ExecutionStarted", None),
            ev(2, 1, "PassStateEntered", Some("A")),
            ev(3, 2, "PassStateExited", Some("A")),
            ev(4, 3, "ExecutionSucceeded", None),
        ];
        for e in &mut events {
            e["timestamp"] = serde_json::json!("timestamp");
        }
        // A real time in the middle: the clock goes on from it.
        events[2]["timestamp"] = serde_json::json!("2024-06-01T12:00:00Z");
        let r = replay_json(machine, serde_json::json!(events));
        let times: Vec<String> = r
            .trace
            .events
            .iter()
            .map(|e| e.timestamp.to_rfc3339())
            .collect();
        assert_eq!(
            times,
            [
                "2024-01-01T00:00:00.000Z",
                "2024-01-01T00:00:00.001Z",
                "2024-06-01T12:00:00.000Z",
                "2024-06-01T12:00:00.001Z"
            ]
        );
        assert_eq!(r.trace.start_time, "2024-01-01T00:00:00.000Z");
        assert_eq!(r.trace.end_time, "2024-06-01T12:00:00.001Z");
    }

    #[test]
    fn timestamps_from_epoch_seconds_and_iso_text() {
        assert_eq!(
            timestamp_ms(Some(&serde_json::json!(1704067200.5))),
            Some(1_704_067_200_500)
        );
        assert_eq!(
            timestamp_ms(Some(&serde_json::json!("2024-01-01T00:00:01.250000+00:00"))),
            Some(1_704_067_201_250)
        );
        assert_eq!(timestamp_ms(Some(&serde_json::json!("timestamp"))), None);
        assert_eq!(timestamp_ms(None), None);
    }
}
