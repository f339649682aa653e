//! `SimConfig`: everything besides the definition and input that decides a run (mocks, seed, limits, clock).

use super::ask::Answers;
use super::mocks::TaskMocks;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The default cap on state transitions before a run is stopped as a probable infinite loop.
pub const DEFAULT_MAX_TRANSITIONS: u64 = 25_000;

/// The names AWS puts in the context object (`$$`). Defaults are fixed strings, so runs are reproducible.
#[derive(Clone, Debug, PartialEq)]
pub struct ContextNames {
    pub state_machine_name: String,
    pub execution_name: String,
    pub account_id: String,
    pub region: String,
    pub role_arn: String,
    /// `$$.Execution.Id`; derived from the names above when `None`.
    pub execution_arn: Option<String>,
}

impl Default for ContextNames {
    fn default() -> Self {
        ContextNames {
            state_machine_name: "StateMachine".into(),
            execution_name: "00000000-0000-4000-8000-000000000000".into(),
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
            role_arn: "arn:aws:iam::123456789012:role/StatewrightSimulation".into(),
            execution_arn: None,
        }
    }
}

impl ContextNames {
    /// `$$.StateMachine.Id`
    pub fn state_machine_arn(&self) -> String {
        format!(
            "arn:aws:states:{}:{}:stateMachine:{}",
            self.region, self.account_id, self.state_machine_name
        )
    }

    /// `$$.Execution.Id`
    pub fn execution_arn(&self) -> String {
        self.execution_arn.clone().unwrap_or_else(|| {
            format!(
                "arn:aws:states:{}:{}:execution:{}:{}",
                self.region, self.account_id, self.state_machine_name, self.execution_name
            )
        })
    }
}

/// How much of the run a [`Trace`](crate::trace::Trace) keeps. The execution is the same at every level (same
/// output, status, error, cause, transitions, end time); only the bookkeeping differs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Record {
    /// No events: only the status, output or error, counters and times.
    ResultOnly,
    /// The history events with their input and output and each Choice state's decision, but no per-stage data
    /// and no list of the comparisons a Choice state evaluated.
    Events,
    /// Every event with the data at every processing stage and every Choice comparison: what the designer's
    /// player and `simulate --trace` show.
    #[default]
    Full,
}

/// How to run a simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// Task results per state name.
    pub mocks: TaskMocks,
    /// Seeds the RNG (retry jitter, `States.UUID`, `States.MathRandom`).
    pub seed: u64,
    /// Stop after this many state transitions (see [`DEFAULT_MAX_TRANSITIONS`]).
    pub max_transitions: u64,
    /// The names used in the context object.
    pub names: ContextNames,
    /// A JSON object merged (deeply) into the context object after it is built, e.g. `{"Execution": {"Name": "x"}}`.
    pub context_overrides: Option<Value>,
    /// Virtual start time, milliseconds since the Unix epoch.
    pub start_time_ms: i64,
    /// Reject payloads above 256 KiB with `States.DataLimitExceeded` (AWS's quota).
    pub enforce_payload_limit: bool,
    /// How much of the run the trace keeps (default [`Record::Full`]).
    pub record: Record,
    /// Stops the run at the next state transition once set (the designer's Cancel button).
    pub cancel: Option<CancelFlag>,
    /// Ask-me mode (see [`super::ask`]): `Some` gives a Task call that has no mocked response the answer given
    /// for it, and stops the run with a question where there is none
    /// ([`simulate_until_question`](super::simulate_until_question)). `None` (the default): an unmocked Task
    /// returns its effective input.
    pub ask: Option<Answers>,
}

/// A shared "stop now" flag: cloned into a [`SimConfig`] on another thread, set from the UI thread. A run that
/// sees it set ends as `FAILED` with `States.Runtime` and the cause [`CANCELLED_CAUSE`].
#[derive(Clone, Debug, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

/// The cause of a run stopped through its [`CancelFlag`].
pub const CANCELLED_CAUSE: &str = "The run was cancelled.";

impl CancelFlag {
    pub fn new() -> CancelFlag {
        CancelFlag::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Two flags are equal when they are the same flag.
impl PartialEq for CancelFlag {
    fn eq(&self, other: &CancelFlag) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// 2024-01-01T00:00:00Z: a fixed start so traces are reproducible.
pub const DEFAULT_START_TIME_MS: i64 = 1_704_067_200_000;

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            mocks: TaskMocks::default(),
            seed: 0,
            max_transitions: DEFAULT_MAX_TRANSITIONS,
            names: ContextNames::default(),
            context_overrides: None,
            start_time_ms: DEFAULT_START_TIME_MS,
            enforce_payload_limit: true,
            record: Record::Full,
            cancel: None,
            ask: None,
        }
    }
}
