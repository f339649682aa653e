//! `Failure`: a States error as a value. It flows through Retry and Catch; `terminal` ones end the run.

/// A failed state or run.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The error name, e.g. `States.TaskFailed` or a custom `OrderRejected`.
    pub error: String,
    pub cause: Option<String>,
    /// Not retried or caught: `States.Runtime` and `States.DataLimitExceeded` (AWS: terminal errors), an
    /// execution timeout, the transition cap.
    pub terminal: bool,
    /// The execution's own `TimeoutSeconds` elapsed.
    pub execution_timed_out: bool,
}

impl Failure {
    pub fn new(error: impl Into<String>, cause: Option<String>) -> Failure {
        let error = error.into();
        let terminal = matches!(
            error.as_str(),
            "States.Runtime" | "States.DataLimitExceeded"
        );
        Failure {
            error,
            cause,
            terminal,
            execution_timed_out: false,
        }
    }

    /// Whether a retrier's or catcher's `ErrorEquals` handles this failure. Terminal failures match nothing;
    /// `States.ALL` matches every other one (AWS catches even a Task's own `States.DataLimitExceeded`).
    pub fn matched_by(&self, error_equals: &[crate::json::JStr]) -> bool {
        !self.terminal
            && (error_equals
                .iter()
                .any(|e| e.as_str() == crate::asl::STATES_ALL)
                || crate::asl::error_matches(error_equals, &self.error))
    }

    /// A terminal `States.Runtime` error.
    pub fn runtime(cause: impl Into<String>) -> Failure {
        Failure::new("States.Runtime", Some(cause.into()))
    }

    /// AWS's wording for a runtime error in a state.
    pub fn in_state(error: &str, state: &str, entered_event_id: u64, message: &str) -> Failure {
        Failure::new(
            error,
            Some(format!(
                "An error occurred while executing the state '{state}' (entered at the event id #{entered_event_id}). {message}"
            )),
        )
    }

    /// The `{"Error", "Cause"}` object a Catch passes on.
    pub fn to_error_output(&self) -> serde_json::Value {
        // AWS always passes both keys: a failure without an error name (a bare `SendTaskFailure`) gives
        // `null`s; otherwise a missing cause is `""`.
        let mut m = serde_json::Map::new();
        if self.error.is_empty() && self.cause.is_none() {
            m.insert("Error".into(), serde_json::Value::Null);
            m.insert("Cause".into(), serde_json::Value::Null);
        } else {
            m.insert("Error".into(), self.error.clone().into());
            m.insert(
                "Cause".into(),
                self.cause.clone().unwrap_or_default().into(),
            );
        }
        serde_json::Value::Object(m)
    }
}
