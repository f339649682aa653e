//! The Task state: resolve the input, take the next mocked response (or echo the input when unmocked; in
//! ask-me mode take the answer for this call, or stop the run with a [`Question`](super::ask::Question)), and
//! apply TimeoutSeconds/HeartbeatSeconds against the mock's latency in virtual time.

use super::context::{Ctx, task_token};
use super::executor::{Done, Exec, Scope, StateRun};
use super::failure::Failure;
use super::io_pipeline::{process_input, process_result};
use super::jsonata::Env;
use super::mocks::MockResponse;
use crate::asl::NumberOrExpr;
use crate::json::JStr;
use crate::trace::{Stages, TraceEvent};
use serde_json::Value;
use std::sync::Arc;

/// AWS's default Task timeout when `TimeoutSeconds` is absent.
const DEFAULT_TASK_TIMEOUT_SECS: f64 = 99_999_999.0;

fn resource_name(s: &crate::asl::State) -> &str {
    s.resource.as_ref().map_or("", |r| r.as_str())
}

/// Which family of history events a resource produces.
fn event_prefix(resource: &str) -> &'static str {
    if resource.starts_with("arn:aws:lambda:") {
        "LambdaFunction"
    } else if resource.contains(":activity:") {
        "Activity"
    } else {
        "Task"
    }
}

/// `{prefix}{what}` as a static name, e.g. `LambdaFunctionScheduled`.
fn event_type(prefix: &'static str, what: &'static str) -> &'static str {
    macro_rules! names {
        ($($p:literal),*) => {
            match (prefix, what) {
                $(
                    ($p, "Scheduled") => concat!($p, "Scheduled"),
                    ($p, "Started") => concat!($p, "Started"),
                    ($p, "Succeeded") => concat!($p, "Succeeded"),
                    ($p, "Failed") => concat!($p, "Failed"),
                    ($p, "TimedOut") => concat!($p, "TimedOut"),
                )*
                _ => unreachable!("unknown task event {prefix}{what}"),
            }
        };
    }
    names!("LambdaFunction", "Activity", "Task")
}

impl Exec<'_> {
    pub(crate) fn run_task<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
    ) -> Result<Done<'m>, Failure> {
        self.with_retry_catch(st, scope, |exec, scope, retry_count| {
            exec.task_attempt(st, scope, retry_count)
        })
    }

    fn task_attempt<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
        retry_count: u64,
    ) -> Result<Done<'m>, Failure> {
        let s = st.state;
        let resource = s.resource.as_ref().map_or("", |r| r.as_str()).to_owned();
        let wait_for_token = resource.ends_with(".waitForTaskToken");
        let submitted =
            wait_for_token || resource.ends_with(".sync") || resource.contains(".sync:");
        let token = wait_for_token
            .then(|| task_token(&self.config.names.execution_name, st.at.entered_event_id));
        let ctx = self.ctx_for(st, scope, retry_count, token.as_deref());
        let mut stages = Stages::default();
        let keep = self.keep_stages;
        let (params, timeout, heartbeat) = if st.jsonata {
            let env = Env::entering(st, &ctx, scope.clock.now_ms());
            let params = self.jn_arguments(st, &env, &mut stages)?;
            let timeout = self.jn_number(s.timeout_seconds.as_ref(), &env, "TimeoutSeconds")?;
            let heartbeat =
                self.jn_number(s.heartbeat_seconds.as_ref(), &env, "HeartbeatSeconds")?;
            (params, timeout, heartbeat)
        } else {
            let (effective, params) = process_input(st, &ctx, &mut self.ev, &mut stages, keep)?;
            let timeout = self.seconds_field(
                st,
                s.timeout_seconds.as_ref(),
                s.timeout_seconds_path.as_ref(),
                &effective,
                &ctx,
            )?;
            let heartbeat = self.seconds_field(
                st,
                s.heartbeat_seconds.as_ref(),
                s.heartbeat_seconds_path.as_ref(),
                &effective,
                &ctx,
            )?;
            (params, timeout, heartbeat)
        };
        let prefix = event_prefix(&resource);
        let mut scheduled = TraceEvent::new(event_type(prefix, "Scheduled"), st.path.clone());
        scheduled.detail_mut().resource = self.keep_events.then(|| resource.clone());
        scheduled.input = self.keep(&params);
        scheduled.detail_mut().index = Some(retry_count);
        self.emit(scope, scheduled);
        self.emit(
            scope,
            TraceEvent::new(event_type(prefix, "Started"), st.path.clone()),
        );
        if submitted && prefix == "Task" {
            self.emit(scope, TraceEvent::new("TaskSubmitted", st.path.clone()));
        }
        let counter = self.mock_calls.entry(st.name.to_owned()).or_insert(0);
        let call = *counter;
        *counter += 1;
        let response = match self.config.mocks.response(st.name, call) {
            Some(r) => Some(r.clone()),
            None => match &self.config.ask {
                None => None,
                Some(answers) => match answers.get(st.name, call) {
                    Some(r) => Some(r.clone()),
                    // Ask-me mode: no mock and no answer for this call: stop here with the question.
                    None => {
                        let question = super::ask::Question {
                            state: st.name.to_owned(),
                            path: st.path.clone(),
                            call,
                            resource,
                            input: Arc::unwrap_or_clone(params),
                            retry_count,
                        };
                        let f = Failure::runtime(question.cause());
                        self.question = Some(question);
                        self.abort = Some(f.clone());
                        return Err(f);
                    }
                },
            },
        };
        let latency = response.as_ref().map_or(0.0, MockResponse::latency_secs);
        let timeout = timeout.unwrap_or(DEFAULT_TASK_TIMEOUT_SECS);
        let limit = match heartbeat {
            Some(h) if h < timeout => Some((h, "States.HeartbeatTimeout")),
            _ => Some((timeout, "States.Timeout")),
        };
        if let Some((limit_secs, error)) = limit
            && latency > limit_secs
        {
            self.advance(scope, limit_secs)?;
            let mut ev = TraceEvent::new(event_type(prefix, "TimedOut"), st.path.clone());
            ev.detail_mut().error = Some(error.into());
            self.emit(scope, ev);
            return Err(Failure::new(error, None));
        }
        self.advance(scope, latency)?;
        let (result, unmocked) = match response {
            None => (params, true),
            Some(MockResponse::Return { value, .. }) => (Arc::new(value), false),
            Some(MockResponse::Throw { error, cause, .. }) => {
                let timed_out =
                    matches!(error.as_str(), "States.Timeout" | "States.HeartbeatTimeout");
                let kind = if timed_out { "TimedOut" } else { "Failed" };
                let mut ev = TraceEvent::new(event_type(prefix, kind), st.path.clone());
                ev.detail_mut().error = Some(error.clone());
                ev.detail_mut().cause = cause.clone();
                self.emit(scope, ev);
                // A thrown error is the task's own failure: even States.Runtime or States.DataLimitExceeded
                // reported by a service can be caught.
                let mut f = Failure::new(error, cause);
                f.terminal = false;
                return Err(f);
            }
        };
        let mut ok = TraceEvent::new(event_type(prefix, "Succeeded"), st.path.clone());
        ok.output = self.keep(&result);
        if unmocked {
            ok.detail_mut().unmocked = true;
        }
        ok.detail_mut().resource = self.keep_events.then_some(resource);
        self.emit(scope, ok);
        if self.config.enforce_payload_limit && super::executor::exceeds_payload_limit(&result) {
            return Err(Failure::new(
                "States.DataLimitExceeded",
                Some(format!(
                    "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                    if prefix == "Task" {
                        st.name
                    } else {
                        resource_name(s)
                    }
                )),
            ));
        }
        if st.jsonata {
            return self.jn_result(st, &ctx, scope.clock.now_ms(), result, stages);
        }
        process_result(
            st,
            s.result_selector.as_ref(),
            result,
            &ctx,
            &mut self.ev,
            stages,
            keep,
        )
    }

    /// `TimeoutSeconds`/`TimeoutSecondsPath` (or the Heartbeat pair), in seconds.
    fn seconds_field(
        &mut self,
        st: &StateRun,
        literal: Option<&NumberOrExpr>,
        path: Option<&JStr>,
        data: &Value,
        ctx: &Ctx,
    ) -> Result<Option<f64>, Failure> {
        if let Some(n) = literal.and_then(NumberOrExpr::as_number) {
            return Ok(Some(n.as_f64()));
        }
        let Some(p) = path else { return Ok(None) };
        let v = self.ev.select(p.as_str(), data, ctx).map_err(|m| {
            Failure::in_state("States.Runtime", st.name, st.at.entered_event_id, &m)
        })?;
        match v.as_f64() {
            Some(n) if n > 0.0 => Ok(Some(n)),
            _ => Err(Failure::in_state(
                "States.Runtime",
                st.name,
                st.at.entered_event_id,
                &format!("The value at {} must be a positive integer", p.as_str()),
            )),
        }
    }
}
