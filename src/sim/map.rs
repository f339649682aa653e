//! The Map state: items from ItemsPath (or a Distributed Map's ItemReader mock), ItemSelector per item,
//! MaxConcurrency slots in virtual time, output in item order, tolerated-failure thresholds.

use super::context::Ctx;
use super::executor::{Done, Exec, Lane, Scope, StateRun};
use super::failure::Failure;
use super::io_pipeline::{apply_path_shared, apply_template, process_result};
use super::jsonata::Env;
use super::mocks::MockResponse;
use super::vars::Vars;
use crate::asl::{Nullable, NumberOrExpr};
use crate::json::JStr;
use crate::trace::{PathSegment, Stages, TraceEvent};
use serde_json::{Map, Value};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

impl Exec<'_> {
    pub(crate) fn run_map<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
    ) -> Result<Done<'m>, Failure> {
        self.with_retry_catch(st, scope, |exec, scope, retry_count| {
            exec.map_attempt(st, scope, retry_count)
        })
    }

    fn map_attempt<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
        retry_count: u64,
    ) -> Result<Done<'m>, Failure> {
        let s = st.state;
        let rt = |m: &str| Failure::in_state("States.Runtime", st.name, st.at.entered_event_id, m);
        let ctx = self.ctx_for(st, scope, retry_count, None);
        let mut stages = Stages::default();
        let env = Env::entering(st, &ctx, scope.clock.now_ms());
        let effective = if st.jsonata {
            st.raw_input.clone()
        } else {
            apply_path_shared(
                s.input_path.as_ref(),
                st.raw_input,
                &ctx,
                &mut self.ev,
                &st.at,
            )?
        };
        let keep = self.keep_stages;
        if keep {
            stages.after_input_path = Some(effective.clone());
        }
        let Some(processor) = s.processor() else {
            return Err(rt("The Map state has no ItemProcessor"));
        };
        // Items: a Distributed Map's ItemReader result comes from the mock of the Map state itself.
        let items_value = if s.item_reader.is_some() {
            let call = self.mock_calls.entry(st.name.to_owned()).or_insert(0);
            let r = self.config.mocks.response(st.name, *call).cloned();
            *call += 1;
            match r {
                Some(MockResponse::Return { value, .. }) => value,
                Some(MockResponse::Throw { error, cause, .. }) => {
                    return Err(Failure::new(error, cause));
                }
                None => {
                    return Err(Failure::new(
                        "States.ItemReaderFailed",
                        Some(format!(
                            "no mock for the ItemReader of Map state '{}' (mock the Map state's name with the items array)",
                            st.name
                        )),
                    ));
                }
            }
        } else if st.jsonata {
            self.jn_items(st, &env)?
        } else {
            let items_path = match &s.items_path {
                Some(Nullable::Value(p)) => p.as_str(),
                _ => "$",
            };
            self.ev
                .select(items_path, &effective, &ctx)
                .map_err(|m| rt(&m))?
        };
        let Value::Array(mut items) = items_value else {
            return Err(rt(&format!(
                "Map state input must be an array but was: {}",
                super::io_pipeline::compact(&items_value)
            )));
        };
        if let Some(b) = &s.item_batcher
            && let Some(max) = b
                .max_items_per_batch
                .as_ref()
                .and_then(|j| j.as_number())
                .and_then(|n| n.as_integer())
            && max > 0
        {
            let batch_input = b.batch_input.as_ref().map(|j| j.to_serde());
            items = items
                .chunks(max as usize)
                .map(|c| {
                    let mut m = Map::new();
                    if let Some(bi) = &batch_input {
                        m.insert("BatchInput".into(), bi.clone());
                    }
                    m.insert("Items".into(), Value::Array(c.to_vec()));
                    Value::Object(m)
                })
                .collect();
        }
        let (max_conc, tol_count, tol_pct) = if st.jsonata {
            let int = |v: Option<f64>| v.map(|f| f as i64);
            (
                int(self.jn_number(s.max_concurrency.as_ref(), &env, "MaxConcurrency")?),
                int(self.jn_number(
                    s.tolerated_failure_count.as_ref(),
                    &env,
                    "ToleratedFailureCount",
                )?),
                self.jn_number(
                    s.tolerated_failure_percentage.as_ref(),
                    &env,
                    "ToleratedFailurePercentage",
                )?,
            )
        } else {
            let max_conc = self.int_field(
                st,
                s.max_concurrency.as_ref(),
                s.max_concurrency_path.as_ref(),
                "MaxConcurrency",
                &effective,
                &ctx,
            )?;
            let tol_count = self.int_field(
                st,
                s.tolerated_failure_count.as_ref(),
                s.tolerated_failure_count_path.as_ref(),
                "ToleratedFailureCount",
                &effective,
                &ctx,
            )?;
            let tol_pct = self.float_field(
                st,
                s.tolerated_failure_percentage.as_ref(),
                s.tolerated_failure_percentage_path.as_ref(),
                &effective,
                &ctx,
            )?;
            (max_conc, tol_count, tol_pct)
        };
        if tol_count.is_some_and(|c| c < 0) {
            return Err(rt("ToleratedFailureCount cannot be negative."));
        }
        if tol_pct.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
            return Err(rt("ToleratedFailurePercentage must be between 0 and 100."));
        }
        let selector = s.item_selector.as_ref().or(s.parameters.as_ref());
        // A Distributed Map's child executions see no outer variables.
        let distributed = processor
            .processor_config
            .as_ref()
            .and_then(|c| c.mode.as_ref())
            .is_some_and(|m| m.as_str() == "DISTRIBUTED");
        let started = self.emit(scope, TraceEvent::new("MapStateStarted", st.path.clone()));
        let start = scope.clock;
        let n = items.len();
        let slots_n = match max_conc {
            Some(c) if c > 0 => (c as usize).min(n.max(1)),
            _ => n.max(1),
        };
        // The free concurrency slots, earliest first (ties: lowest slot).
        let mut slots: BinaryHeap<Reverse<(i64, usize)>> =
            (0..slots_n).map(|k| Reverse((start.now_ms(), k))).collect();
        let mut end = start;
        let mut outputs = Vec::with_capacity(n);
        let mut failures: Vec<(usize, i64, Failure)> = Vec::new();
        let from = self.n_events;
        let mut lanes: Vec<Lane> = Vec::with_capacity(n);
        for (i, item) in items.into_iter().enumerate() {
            let lane_start = self.n_events;
            let Reverse((free_at, slot)) = slots.pop().expect("at least one slot");
            let mut sub = Scope {
                path: st.path.child(PathSegment::Iteration(i)),
                clock: super::clock::VirtualClock::new(free_at),
                prev: started,
                map_item: None,
                vars: if distributed {
                    Vars::isolated()
                } else {
                    scope.vars.child()
                },
            };
            let item_input = match selector {
                Some(t) => {
                    let item_ctx = self.ctx.for_state(
                        st.name,
                        st.entered_ms,
                        retry_count,
                        None,
                        Some((i, &item)),
                        &scope.vars,
                    );
                    let r = if st.jsonata {
                        let item_env = Env {
                            ctx: &item_ctx,
                            ..env
                        };
                        self.jn_eval(t, &item_env)
                    } else {
                        apply_template(Some(t), &effective, &item_ctx, &mut self.ev, &st.at)
                    };
                    match r {
                        Ok(v) => Arc::new(v),
                        Err(mut f) => {
                            // The iterations so far still go in time order.
                            self.interleave(from, &lanes, &mut [&mut f]);
                            return Err(f);
                        }
                    }
                }
                None => Arc::new(item),
            };
            let mut it = TraceEvent::new("MapIterationStarted", st.path.clone());
            it.detail_mut().index = Some(i as u64);
            self.emit(&mut sub, it);
            let r = self.run_machine(processor, item_input, &mut sub);
            let kind = if r.is_ok() {
                "MapIterationSucceeded"
            } else {
                "MapIterationFailed"
            };
            let mut done = TraceEvent::new(kind, st.path.clone());
            done.detail_mut().index = Some(i as u64);
            match r {
                // Shared with the iteration's last events when they are kept: then this is a copy.
                Ok(v) => outputs.push(Arc::unwrap_or_clone(v)),
                Err(mut f) if f.terminal => {
                    lanes.push((lane_start, self.n_events));
                    self.interleave(from, &lanes, &mut [&mut f]);
                    scope.clock = sub.clock;
                    return Err(f);
                }
                Err(f) => {
                    done.detail_mut().error = Some(f.error.clone());
                    done.detail_mut().cause = f.cause.clone();
                    outputs.push(Value::Null); // the error output, once its cause is final (below)
                    failures.push((i, sub.clock.now_ms(), f));
                }
            }
            self.emit(&mut sub, done);
            lanes.push((lane_start, self.n_events));
            slots.push(Reverse((sub.clock.now_ms(), slot)));
            end = end.max(sub.clock);
        }
        let mut pending: Vec<&mut Failure> = failures.iter_mut().map(|(_, _, f)| f).collect();
        self.interleave(from, &lanes, &mut pending);
        for (i, _, f) in &failures {
            outputs[*i] = f.to_error_output();
        }
        // The Map state's closing event follows the last iteration event in time.
        scope.prev = self.n_events as u64;
        if !failures.is_empty() {
            let tolerated = tol_count.is_some() || tol_pct.is_some();
            let count_ok = tol_count.is_some_and(|c| failures.len() as i64 <= c);
            let pct_ok =
                tol_pct.is_some_and(|p| n > 0 && (failures.len() as f64) * 100.0 / (n as f64) <= p);
            if !(tolerated && (count_ok || pct_ok)) {
                let f = if tolerated {
                    Failure::new(
                        "States.ExceedToleratedFailureThreshold",
                        Some("The specified tolerated failure threshold was exceeded".into()),
                    )
                } else {
                    let (_, t, f) = failures
                        .into_iter()
                        .min_by_key(|(i, t, _)| (*t, *i))
                        .expect("non-empty");
                    scope.clock = super::clock::VirtualClock::new(t);
                    f
                };
                let mut ev = TraceEvent::new("MapStateFailed", st.path.clone());
                ev.detail_mut().error = Some(f.error.clone());
                ev.detail_mut().cause = f.cause.clone();
                if tolerated {
                    scope.clock = end;
                }
                self.emit(scope, ev);
                return Err(f);
            }
        }
        scope.clock = end;
        let result = Arc::new(Value::Array(outputs));
        self.emit(scope, TraceEvent::new("MapStateSucceeded", st.path.clone()));
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

    fn int_field(
        &mut self,
        st: &StateRun,
        literal: Option<&NumberOrExpr>,
        path: Option<&JStr>,
        field: &str,
        data: &Value,
        ctx: &Ctx,
    ) -> Result<Option<i64>, Failure> {
        if let Some(n) = literal.and_then(NumberOrExpr::as_number) {
            return Ok(n.as_integer());
        }
        let Some(p) = path else { return Ok(None) };
        let p = p.as_str();
        let v = self.ev.select(p, data, ctx).map_err(|m| {
            Failure::in_state("States.Runtime", st.name, st.at.entered_event_id, &m)
        })?;
        // AWS reads a numeric string too ("1"), as Java's Integer.parseInt would.
        match v
            .as_i64()
            .or_else(|| v.as_str().and_then(|t| t.parse().ok()))
        {
            Some(i) => Ok(Some(i)),
            None => Err(Failure::in_state(
                "States.Runtime",
                st.name,
                st.at.entered_event_id,
                &format!(
                    "The {field}Path field refers to value \"{}\" which is not a valid integer: {p}",
                    shown(&v)
                ),
            )),
        }
    }

    fn float_field(
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
        let p = p.as_str();
        let v = self.ev.select(p, data, ctx).map_err(|m| {
            Failure::in_state("States.Runtime", st.name, st.at.entered_event_id, &m)
        })?;
        // A numeric string too, as Java's Double.parseDouble would read it.
        let parsed = v.as_str().and_then(|t| t.trim().parse::<f64>().ok());
        match v.as_f64().or(parsed.filter(|f| f.is_finite())) {
            Some(f) => Ok(Some(f)),
            None => Err(Failure::in_state(
                "States.Runtime",
                st.name,
                st.at.entered_event_id,
                &format!(
                    "The ToleratedFailurePercentagePath field refers to value \"{}\" which is not a valid float: {p}",
                    shown(&v)
                ),
            )),
        }
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
