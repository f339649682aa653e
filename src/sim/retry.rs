//! Retry and Catch around a Task, Parallel or Map attempt: ordered retriers with back-off (virtual time,
//! `MaxDelaySeconds`, FULL jitter from the seeded RNG), then ordered catchers.

use super::executor::{Done, Exec, Scope, StateRun};
use super::failure::Failure;
use super::io_pipeline::apply_result_path;
use crate::trace::Stages;
use std::sync::Arc;

impl Exec<'_> {
    /// Runs `attempt(retry_count)` until it succeeds, no retrier applies, or the matching one is spent; then
    /// tries the catchers. A caught failure continues at the catcher's `Next`.
    pub(crate) fn with_retry_catch<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
        mut attempt: impl FnMut(&mut Self, &mut Scope, u64) -> Result<Done<'m>, Failure>,
    ) -> Result<Done<'m>, Failure> {
        let s = st.state;
        let retriers = s.retry.as_deref().unwrap_or(&[]);
        let mut used = vec![0i64; retriers.len()];
        let mut retry_count = 0u64;
        let failure = loop {
            let f = match attempt(self, scope, retry_count) {
                Ok(d) => return Ok(d),
                Err(f) => f,
            };
            if f.terminal {
                return Err(f);
            }
            let Some(i) = retriers
                .iter()
                .position(|r| f.matched_by(r.error_equals.as_deref().unwrap_or(&[])))
            else {
                break f;
            };
            let r = &retriers[i];
            if used[i] >= r.attempts() {
                break f;
            }
            let mut delay = r.interval() * r.backoff().powi(used[i].min(1000) as i32);
            if let Some(max) = &r.max_delay_seconds {
                delay = delay.min(max.as_f64());
            }
            if r.jitter_strategy.as_deref() == Some("FULL") {
                delay *= self.ev.rng.next_f64();
            }
            used[i] += 1;
            retry_count += 1;
            self.advance(scope, delay)?;
        };
        let catchers = s.catch.as_deref().unwrap_or(&[]);
        let Some(c) = catchers
            .iter()
            .find(|c| failure.matched_by(c.error_equals.as_deref().unwrap_or(&[])))
        else {
            return Err(failure);
        };
        let error_output = Arc::new(failure.to_error_output());
        if st.jsonata {
            let ctx = self.ctx_for(st, scope, 0, None);
            let env = super::jsonata::Env {
                input: st.raw_input,
                result: None,
                error_output: Some(&error_output),
                ctx: &ctx,
                now_ms: scope.clock.now_ms(),
                at: &st.at,
            };
            let stages = self.keep_stages.then(|| Stages {
                result: Some(error_output.clone()),
                ..Stages::default()
            });
            return self.jn_finish(
                c.assign.as_ref(),
                c.output.as_ref(),
                &env,
                error_output.clone(),
                c.next.as_ref().map(|n| n.as_str()),
                stages,
            );
        }
        // The catcher's Assign reads the error output, in the scope of the state that failed.
        let assigned = {
            let ctx = self.ctx_for(st, scope, 0, None);
            super::vars::jsonpath_assign(
                c.assign.as_ref(),
                &error_output,
                &ctx,
                &mut self.ev,
                &st.at,
            )?
        };
        let output = apply_result_path(
            c.result_path.as_ref(),
            st.raw_input,
            error_output.clone(),
            &mut self.ev,
            &st.at,
        )?;
        let stages = self.keep_stages.then(|| Stages {
            result: Some(error_output),
            after_result_path: Some(output.clone()),
            output: Some(output.clone()),
            ..Stages::default()
        });
        let mut done = Done::new(output, c.next.as_ref().map(|n| n.as_str()), stages);
        done.assigned = assigned;
        Ok(done)
    }
}
