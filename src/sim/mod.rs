//! The interpreter: deterministic, instant, virtual time.
//!
//! [`simulate`] runs a state machine against an input with mocked Task results and returns a [`Trace`]: the
//! AWS-style execution history plus the result. A failed run is a trace with status `FAILED`, never a panic.
//! Both query languages are simulated (JSONPath and JSONata, also mixed in one machine); a field the engine
//! does not run refuses the run before it starts, with a clear `States.Runtime`.
//!
//! ```
//! use statewright::asl::Document;
//! use statewright::sim::{SimConfig, simulate};
//! let doc = Document::parse_json(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","End":true}}}"#).unwrap();
//! let trace = simulate(&doc.machine, serde_json::json!({"a":0}), &SimConfig::default());
//! assert_eq!(trace.output, Some(serde_json::json!({"a":0,"r":{"x":1}})));
//! ```

pub mod ask;
pub mod choice;
pub mod cli;
pub mod clock;
pub mod config;
mod context;
mod executor;
pub mod failure;
mod io_pipeline;
mod jsonata;
mod map;
pub mod mockfile;
pub mod mocks;
mod parallel;
mod paths;
mod retry;
pub mod rng;
mod task;
pub mod typical;
pub mod vars;

pub use ask::{Answers, Question, SimOutcome};
pub use cli::{SimulateArgs, run};
pub use clock::VirtualClock;
pub use config::{
    CANCELLED_CAUSE, CancelFlag, ContextNames, DEFAULT_MAX_TRANSITIONS, Record, SimConfig,
};
pub use executor::MAX_PAYLOAD_BYTES;
pub use failure::Failure;
pub use mocks::{MockError, MockResponse, TaskMocks};
pub use vars::{Assignments, Vars};

use crate::asl::StateMachine;
use crate::trace::{StatePath, Status, Trace, TraceEvent};
use executor::{Exec, Scope};
use serde_json::Value;
use std::sync::Arc;

/// Runs `machine` on `input`. Same machine, input and config ⇒ the same trace, byte for byte.
///
/// In ask-me mode ([`SimConfig::ask`]) a Task call with neither a mock nor an answer ends the run as `FAILED`
/// (`States.Runtime`, [`Question::cause`]); [`simulate_until_question`] stops there instead.
pub fn simulate(machine: &StateMachine, input: Value, config: &SimConfig) -> Trace {
    run_to_end_or_question(machine, input, config, false).0
}

/// Runs `machine` on `input` like [`simulate`], but in ask-me mode ([`SimConfig::ask`]) stops at the first
/// Task call with neither a mock nor an answer: [`SimOutcome::Paused`] with the trace so far and the
/// [`Question`]. Answer it and run again from the start (see [`ask`] for what stays the same).
///
/// ```
/// use statewright::asl::Document;
/// use statewright::sim::{Answers, MockResponse, SimConfig, SimOutcome, simulate_until_question};
/// use serde_json::json;
/// let doc = Document::parse_json(r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}"#).unwrap();
/// let mut config = SimConfig { ask: Some(Answers::default()), ..SimConfig::default() };
/// let SimOutcome::Paused { question, .. } = simulate_until_question(&doc.machine, json!({"n": 1}), &config) else { panic!() };
/// assert_eq!((question.state.as_str(), question.call, &question.input), ("T", 0, &json!({"n": 1})));
/// let answer = MockResponse::Return { value: json!({"ok": true}), latency_secs: 0.0 };
/// config.ask.as_mut().unwrap().answer(&question, answer).unwrap();
/// let SimOutcome::Finished(trace) = simulate_until_question(&doc.machine, json!({"n": 1}), &config) else { panic!() };
/// assert_eq!(trace.output, Some(json!({"ok": true})));
/// ```
pub fn simulate_until_question(
    machine: &StateMachine,
    input: Value,
    config: &SimConfig,
) -> SimOutcome {
    match run_to_end_or_question(machine, input, config, true) {
        (trace, Some(question)) => SimOutcome::Paused { trace, question },
        (trace, None) => SimOutcome::Finished(trace),
    }
}

/// The run; with `pause`, a question ends it without the `ExecutionFailed` event and is returned.
fn run_to_end_or_question(
    machine: &StateMachine,
    input: Value,
    config: &SimConfig,
    pause: bool,
) -> (Trace, Option<Question>) {
    let mut exec = Exec::new(
        config,
        paths::Eval::new(config.seed),
        context::ContextBase::new(config, &input),
    );
    let input = Arc::new(input);
    let mut scope = Scope {
        path: StatePath::default(),
        clock: VirtualClock::new(config.start_time_ms),
        prev: 0,
        map_item: None,
        vars: vars::Vars::new(),
    };
    let mut started = TraceEvent::new("ExecutionStarted", StatePath::default());
    started.input = exec.keep(&input);
    exec.emit(&mut scope, started);
    let result = check_machine(machine, &input, config, &mut exec).and_then(|()| {
        if let Some(t) = machine.timeout_seconds.as_ref().and_then(|t| t.as_number()) {
            exec.deadline_ms = Some(
                config
                    .start_time_ms
                    .saturating_add((t.as_f64() * 1000.0) as i64),
            );
        }
        exec.run_machine(machine, input, &mut scope)
    });
    let (status, output, error, cause) = match result {
        Ok(out) => {
            let mut ev = TraceEvent::new("ExecutionSucceeded", StatePath::default());
            ev.output = exec.keep(&out);
            exec.emit(&mut scope, ev);
            // A copy only when the events share it.
            (
                Status::Succeeded,
                Some(Arc::unwrap_or_clone(out)),
                None,
                None,
            )
        }
        Err(f) => {
            let (status, kind) = if f.execution_timed_out {
                (Status::TimedOut, "ExecutionTimedOut")
            } else {
                (Status::Failed, "ExecutionFailed")
            };
            if !(pause && exec.question.is_some()) {
                let mut ev = TraceEvent::new(kind, StatePath::default());
                ev.detail_mut().error = Some(f.error.clone());
                ev.detail_mut().cause = f.cause.clone();
                exec.emit(&mut scope, ev);
            }
            (status, None, Some(f.error), f.cause)
        }
    };
    let question = if pause { exec.question.take() } else { None };
    let trace = Trace {
        status,
        output,
        error,
        cause,
        seed: config.seed,
        start_time: clock::format_ms(config.start_time_ms),
        end_time: scope.clock.rfc3339(),
        transitions: exec.transitions,
        events: exec.events,
    };
    (trace, question)
}

/// What the engine refuses before running: fields it does not run (or of the other query language), JSONata
/// expressions that do not parse, and oversized input. Compiles the JSONata fields for the run.
fn check_machine(
    machine: &StateMachine,
    input: &Value,
    config: &SimConfig,
    exec: &mut Exec,
) -> Result<(), Failure> {
    exec.jn
        .prepare(machine, false)
        .map_err(|m| Failure::runtime(format!("The simulator cannot run this machine: {m}")))?;
    vars::check_definition(machine).map_err(Failure::runtime)?;
    if config.enforce_payload_limit && executor::exceeds_payload_limit(input) {
        return Err(Failure::new(
            "States.DataLimitExceeded",
            Some("The execution input exceeds the maximum number of bytes service limit.".into()),
        ));
    }
    Ok(())
}
