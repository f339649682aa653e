//! The Parallel state: every branch starts at the same virtual instant with the same input; the state ends
//! when the last branch does (or when the earliest failure happens), output in branch order. The branches'
//! events are interleaved by virtual time in the trace.

use super::executor::{Done, Exec, Lane, Scope, StateRun};
use super::failure::Failure;
use super::io_pipeline::{process_input, process_result};
use super::jsonata::Env;
use crate::trace::{PathSegment, Stages, TraceEvent};
use serde_json::Value;
use std::sync::Arc;

impl Exec<'_> {
    pub(crate) fn run_parallel<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
    ) -> Result<Done<'m>, Failure> {
        self.with_retry_catch(st, scope, |exec, scope, retry_count| {
            exec.parallel_attempt(st, scope, retry_count)
        })
    }

    fn parallel_attempt<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
        retry_count: u64,
    ) -> Result<Done<'m>, Failure> {
        let s = st.state;
        let ctx = self.ctx_for(st, scope, retry_count, None);
        let mut stages = Stages::default();
        let keep = self.keep_stages;
        let effective = if st.jsonata {
            let env = Env::entering(st, &ctx, scope.clock.now_ms());
            self.jn_arguments(st, &env, &mut stages)?
        } else {
            process_input(st, &ctx, &mut self.ev, &mut stages, keep)?.1
        };
        let started = self.emit(
            scope,
            TraceEvent::new("ParallelStateStarted", st.path.clone()),
        );
        let start = scope.clock;
        let mut results = Vec::new();
        let mut end = start;
        let mut first_failure: Option<(i64, Failure)> = None;
        let from = self.n_events;
        let mut lanes: Vec<Lane> = Vec::new();
        for (i, branch) in s.branches.iter().flatten().enumerate() {
            let lane_start = self.n_events;
            let mut sub = Scope {
                path: st.path.child(PathSegment::Branch(i)),
                clock: start,
                prev: started,
                map_item: None,
                vars: scope.vars.child(),
            };
            let r = self.run_machine(branch, effective.clone(), &mut sub);
            lanes.push((lane_start, self.n_events));
            end = end.max(sub.clock);
            match r {
                // Shared with the branch's last events when they are kept: then this is a copy.
                Ok(v) => results.push(Arc::unwrap_or_clone(v)),
                Err(mut f) if f.terminal => {
                    self.interleave(from, &lanes, &mut [&mut f]);
                    scope.clock = sub.clock;
                    return Err(f);
                }
                Err(f) => {
                    let t = sub.clock.now_ms();
                    if first_failure.as_ref().is_none_or(|(ft, _)| t < *ft) {
                        first_failure = Some((t, f));
                    }
                    results.push(Value::Null);
                }
            }
        }
        let mut pending: Vec<&mut Failure> = first_failure.iter_mut().map(|(_, f)| f).collect();
        self.interleave(from, &lanes, &mut pending);
        if let Some((t, f)) = first_failure {
            scope.clock = super::clock::VirtualClock::new(t);
            let mut ev = TraceEvent::new("ParallelStateFailed", st.path.clone());
            ev.detail_mut().error = Some(f.error.clone());
            ev.detail_mut().cause = f.cause.clone();
            self.emit(scope, ev);
            return Err(f);
        }
        scope.clock = end;
        let result = Arc::new(Value::Array(results));
        let mut ok = TraceEvent::new("ParallelStateSucceeded", st.path.clone());
        ok.output = self.keep(&result);
        self.emit(scope, ok);
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
}
