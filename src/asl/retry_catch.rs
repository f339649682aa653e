//! `Retry` and `Catch`: retriers and catchers of Task, Parallel and Map states.

use super::field::{Nullable, asl_object};
use crate::json::{JStr, Json, Number};

/// The error name that matches every error (and must stand alone, last).
pub const STATES_ALL: &str = "States.ALL";

/// The predefined error names of the States language.
pub const PREDEFINED_ERRORS: &[&str] = &[
    "States.ALL",
    "States.DataLimitExceeded",
    "States.ExceedToleratedFailureThreshold",
    "States.HeartbeatTimeout",
    "States.Http.Socket",
    "States.IntrinsicFailure",
    "States.ItemReaderFailed",
    "States.NoChoiceMatched",
    "States.ParameterPathFailure",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ResultWriterFailed",
    "States.Runtime",
    "States.TaskFailed",
    "States.Timeout",
    "States.BranchFailed",
    "States.QueryEvaluationError",
];

asl_object! {
    /// One retrier: which errors it handles and how it backs off.
    pub struct Retrier {
        error_equals: Vec<JStr> = "ErrorEquals",
        interval_seconds: Number = "IntervalSeconds",
        max_attempts: Number = "MaxAttempts",
        backoff_rate: Number = "BackoffRate",
        max_delay_seconds: Number = "MaxDelaySeconds",
        jitter_strategy: JStr = "JitterStrategy",
        comment: JStr = "Comment",
    }
}

asl_object! {
    /// One catcher: which errors it handles and where the machine goes then.
    pub struct Catcher {
        error_equals: Vec<JStr> = "ErrorEquals",
        next: JStr = "Next",
        result_path: Nullable<JStr> = "ResultPath",
        comment: JStr = "Comment",
        assign: Json = "Assign",
        output: Json = "Output",
    }
}

impl Retrier {
    /// `IntervalSeconds`, default 1.
    pub fn interval(&self) -> f64 {
        self.interval_seconds.as_ref().map_or(1.0, Number::as_f64)
    }
    /// `MaxAttempts`, default 3.
    pub fn attempts(&self) -> i64 {
        self.max_attempts
            .as_ref()
            .and_then(Number::as_integer)
            .unwrap_or(3)
    }
    /// `BackoffRate`, default 2.0.
    pub fn backoff(&self) -> f64 {
        self.backoff_rate.as_ref().map_or(2.0, Number::as_f64)
    }
}

/// Whether a retrier's or catcher's `ErrorEquals` list matches an error name.
pub fn error_matches(error_equals: &[JStr], error: &str) -> bool {
    error_equals.iter().any(|e| {
        let e = e.as_str();
        e == error
            // States.ALL matches every error except States.DataLimitExceeded and States.Runtime (AWS guide).
            || (e == STATES_ALL && error != "States.DataLimitExceeded" && error != "States.Runtime")
            // States.TaskFailed matches every error except States.Timeout (AWS guide).
            || (e == "States.TaskFailed"
                && !matches!(error, "States.Timeout" | "States.DataLimitExceeded" | "States.Runtime"))
    })
}
