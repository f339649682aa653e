//! The interpreter loop: runs a machine state by state, emitting history events; one function per state kind.

use super::choice;
use super::clock::VirtualClock;
use super::config::{Record, SimConfig};
use super::context::{ContextBase, Ctx};
use super::failure::Failure;
use super::io_pipeline::{At, apply_path_owned, apply_path_shared, process_input, process_result};
use super::paths::Eval;
use crate::asl::{State, StateIndex, StateMachine, StateType};
use crate::trace::{ChoiceDecision, Data, PathSegment, Stages, StatePath, Timestamp, TraceEvent};
use serde_json::Value;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};
use std::sync::Arc;

/// AWS's payload quota: 256 KiB.
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// Whether `v` serializes to more than [`MAX_PAYLOAD_BYTES`]; counts the bytes of its compact JSON text
/// (as `serde_json::to_vec` writes it) without building the text, and stops at the limit.
pub(crate) fn exceeds_payload_limit(v: &Value) -> bool {
    json_len(v, MAX_PAYLOAD_BYTES) > MAX_PAYLOAD_BYTES
}

/// The length of `v`'s compact JSON text, or some number above `limit` once it is known to exceed it.
pub(crate) fn json_len(v: &Value, limit: usize) -> usize {
    fn digits(mut n: u64) -> usize {
        let mut d = 1;
        while n >= 10 {
            n /= 10;
            d += 1;
        }
        d
    }
    fn string_len(s: &str) -> usize {
        // serde_json escapes `"`, `\` and the control characters (short forms for five of them).
        2 + s
            .bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
                0..=0x1f => 6,
                _ => 1,
            })
            .sum::<usize>()
    }
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    match v {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                digits(u)
            } else if let Some(i) = n.as_i64() {
                1 + digits(i.unsigned_abs())
            } else {
                // Floats: the same shortest form the serializer writes.
                let mut c = Count(0);
                let _ = std::fmt::Write::write_fmt(&mut c, format_args!("{n}"));
                c.0
            }
        }
        Value::String(s) => string_len(s),
        Value::Array(items) => {
            let mut total = 2 + items.len().saturating_sub(1);
            for x in items {
                if total > limit {
                    break;
                }
                total += json_len(x, limit - total);
            }
            total
        }
        Value::Object(map) => {
            let mut total = 2 + map.len().saturating_sub(1);
            for (k, x) in map {
                if total > limit {
                    break;
                }
                total += string_len(k) + 1;
                total += json_len(x, limit.saturating_sub(total));
            }
            total
        }
    }
}

/// Where a nested run is: its path, its clock, the event it follows, and the Map item it processes.
#[derive(Clone, Debug)]
pub(crate) struct Scope {
    pub path: StatePath,
    pub clock: VirtualClock,
    pub prev: u64,
    pub map_item: Option<(usize, Value)>,
    /// The workflow variables in scope.
    pub vars: super::vars::Vars,
}

/// What a state hands on.
pub(crate) enum Step<'m> {
    Next(&'m str, Data),
    End(Data),
    Failed(Failure),
}

/// One run in progress.
pub(crate) struct Exec<'c> {
    pub config: &'c SimConfig,
    /// The recorded events (none at [`Record::ResultOnly`]).
    pub events: Vec<TraceEvent>,
    /// How many events were emitted, recorded or not: ids are the same at every recording level.
    pub n_events: usize,
    /// At [`Record::ResultOnly`]: the timestamps of the events from `stamp_base` on (the events since the last
    /// one of the top-level scope), which `interleave` orders concurrent runs by.
    pub stamps: Vec<i64>,
    pub stamp_base: usize,
    /// Whether events are kept, and whether with their stages and Choice comparisons.
    pub keep_events: bool,
    pub keep_stages: bool,
    /// Each state's name as the shared string its path segments use, and its path when it runs in the
    /// top-level scope, by the state's address (the machine is borrowed unchanged for the run).
    pub names: super::paths::FastMap<usize, (Arc<str>, StatePath)>,
    /// Each (top-level or nested) machine's name → state index, by the machine's address, built when the machine
    /// first runs: a transition is a hash lookup, not a scan of `States`.
    pub indexes: super::paths::FastMap<usize, StateIndex>,
    /// Parsed expressions and the seeded RNG.
    pub ev: Eval,
    pub ctx: ContextBase,
    pub transitions: u64,
    pub recent: VecDeque<String>,
    pub mock_calls: BTreeMap<String, usize>,
    pub deadline_ms: Option<i64>,
    /// Set once the run must stop (execution timeout, transition cap, a question); every scope unwinds.
    pub abort: Option<Failure>,
    /// Ask-me mode: the Task call the run stopped at (then `abort` holds its terminal failure).
    pub question: Option<super::ask::Question>,
    /// The machine's JSONata fields, compiled before the run.
    pub jn: super::jsonata::Compiled,
    /// Whether the states of the machine being run default to JSONata (its or an enclosing `QueryLanguage`).
    pub jsonata_default: bool,
}

impl<'c> Exec<'c> {
    pub fn new(config: &'c SimConfig, ev: Eval, ctx: ContextBase) -> Exec<'c> {
        Exec {
            config,
            events: Vec::new(),
            n_events: 0,
            stamps: Vec::new(),
            stamp_base: 0,
            keep_events: config.record >= Record::Events,
            keep_stages: config.record >= Record::Full,
            names: Default::default(),
            indexes: Default::default(),
            ev,
            ctx,
            transitions: 0,
            recent: VecDeque::new(),
            mock_calls: BTreeMap::new(),
            deadline_ms: None,
            abort: None,
            question: None,
            jn: Default::default(),
            jsonata_default: false,
        }
    }

    pub fn emit(&mut self, scope: &mut Scope, mut ev: TraceEvent) -> u64 {
        self.n_events += 1;
        let id = self.n_events as u64;
        let now = scope.clock.now_ms();
        if self.keep_events {
            if !scope.vars.is_empty() {
                ev.detail_mut().variables = Some(scope.vars.clone());
            }
            ev.id = id;
            ev.previous_event_id = scope.prev;
            ev.timestamp = Timestamp(now);
            self.events.push(ev);
        } else {
            // Outside every Parallel branch and Map iteration no reordering is pending: forget the stamps.
            if scope.path.0.is_empty() {
                self.stamps.clear();
                self.stamp_base = self.n_events - 1;
            }
            self.stamps.push(now);
        }
        scope.prev = id;
        id
    }

    /// The virtual time of the event at `index` (0-based).
    fn stamp_of(&self, index: usize) -> i64 {
        if self.keep_events {
            self.events[index].timestamp.0
        } else {
            self.stamps[index - self.stamp_base]
        }
    }

    /// `data` for a trace event: a shared handle when events are kept.
    pub fn keep(&self, data: &Data) -> Option<Data> {
        self.keep_events.then(|| data.clone())
    }

    /// Advances a scope's clock, stopping at the execution deadline.
    pub fn advance(&mut self, scope: &mut Scope, secs: f64) -> Result<(), Failure> {
        scope.clock.advance_secs(secs);
        self.check_deadline(scope)
    }

    pub fn check_deadline(&mut self, scope: &mut Scope) -> Result<(), Failure> {
        if let Some(f) = &self.abort {
            return Err(f.clone());
        }
        if let Some(d) = self.deadline_ms
            && scope.clock.now_ms() > d
        {
            scope.clock = VirtualClock::new(d);
            let f = Failure {
                error: "States.Timeout".into(),
                cause: None,
                terminal: true,
                execution_timed_out: true,
            };
            self.abort = Some(f.clone());
            return Err(f);
        }
        Ok(())
    }

    /// Runs a (top-level or nested) machine from `StartAt` to its end.
    pub fn run_machine(
        &mut self,
        machine: &StateMachine,
        input: Data,
        scope: &mut Scope,
    ) -> Result<Data, Failure> {
        let Some(start) = machine.start_at() else {
            return Err(Failure::runtime("the state machine has no StartAt"));
        };
        let saved_default = self.jsonata_default;
        if let Some(q) = &machine.query_language {
            self.jsonata_default = q.as_str() == "JSONata";
        }
        let r = self.run_states(machine, start, input, scope);
        self.jsonata_default = saved_default;
        r
    }

    fn run_states(
        &mut self,
        machine: &StateMachine,
        start: &str,
        input: Data,
        scope: &mut Scope,
    ) -> Result<Data, Failure> {
        let mut name = start;
        let mut input = input;
        loop {
            if let Some(f) = &self.abort {
                return Err(f.clone());
            }
            if self
                .config
                .cancel
                .as_ref()
                .is_some_and(super::config::CancelFlag::is_cancelled)
            {
                let f = Failure::runtime(super::config::CANCELLED_CAUSE);
                self.abort = Some(f.clone());
                return Err(f);
            }
            self.count_transition(name)?;
            let index = self
                .indexes
                .entry(std::ptr::from_ref(machine) as usize)
                .or_insert_with(|| StateIndex::new(machine));
            let Some(state) = index.get(machine, name).map(|n| &n.state) else {
                return Err(Failure::runtime(format!(
                    "the state {name:?} does not exist"
                )));
            };
            match self.run_state(name, state, input, scope) {
                Step::Next(next, out) => {
                    name = next;
                    input = out;
                }
                Step::End(out) => return Ok(out),
                Step::Failed(f) => return Err(f),
            }
        }
    }

    fn count_transition(&mut self, name: &str) -> Result<(), Failure> {
        self.transitions += 1;
        // A ring of the last 64 names, reusing its strings.
        let mut slot = if self.recent.len() >= 64 {
            self.recent.pop_front().unwrap_or_default()
        } else {
            String::new()
        };
        slot.clear();
        slot.push_str(name);
        self.recent.push_back(slot);
        if self.transitions > self.config.max_transitions {
            let mut names: Vec<&str> = Vec::new();
            for n in self.recent.iter().rev().take(32) {
                if !names.contains(&n.as_str()) {
                    names.push(n);
                }
            }
            names.reverse();
            let f = Failure {
                error: "States.Runtime".into(),
                cause: Some(format!(
                    "The run exceeded the simulator's cap of {} state transitions (probably an endless loop through: {}). Raise it with --max-transitions if the loop is intended.",
                    self.config.max_transitions,
                    names.join(" → ")
                )),
                terminal: true,
                execution_timed_out: false,
            };
            self.abort = Some(f.clone());
            return Err(f);
        }
        Ok(())
    }

    fn run_state<'m>(
        &mut self,
        name: &'m str,
        state: &'m State,
        input: Data,
        scope: &mut Scope,
    ) -> Step<'m> {
        let (shared_name, root_path) = self
            .names
            .entry(std::ptr::from_ref(state) as usize)
            .or_insert_with(|| {
                let n: Arc<str> = Arc::from(name);
                let p = StatePath::default().child(PathSegment::State(n.clone()));
                (n, p)
            });
        let path = if scope.path.0.is_empty() {
            root_path.clone()
        } else {
            scope.path.child(PathSegment::State(shared_name.clone()))
        };
        let Some(ty) = state.state_type() else {
            return Step::Failed(Failure::runtime(format!(
                "the state {name:?} has no valid Type"
            )));
        };
        let (entered_type, exited_type) = event_types(ty);
        let mut entered = TraceEvent::new(entered_type, path.clone());
        entered.input = self.keep(&input);
        let entered_id = self.emit(scope, entered);
        let entered_ms = scope.clock.now_ms();
        let jsonata = state
            .query_language
            .as_ref()
            .map_or(self.jsonata_default, |q| q.as_str() == "JSONata");
        let at = At {
            state: name,
            entered_event_id: entered_id,
        };
        let st = StateRun {
            name,
            state,
            path: &path,
            at,
            entered_ms,
            raw_input: &input,
            jsonata,
        };
        let outcome = match ty {
            StateType::Pass
            | StateType::Succeed
            | StateType::Fail
            | StateType::Choice
            | StateType::Wait
                if jsonata =>
            {
                self.run_jsonata_simple(ty, &st, scope)
            }
            StateType::Pass => self.run_pass(&st, scope),
            StateType::Succeed => self.run_succeed(&st, scope),
            StateType::Fail => Err(self.run_fail(&st, scope)),
            StateType::Choice => self.run_choice(&st, scope),
            StateType::Wait => self.run_wait(&st, scope),
            StateType::Task => self.run_task(&st, scope),
            StateType::Parallel => self.run_parallel(&st, scope),
            StateType::Map => self.run_map(&st, scope),
        };
        let Done {
            output,
            next,
            stages,
            choice,
            assigned,
        } = match outcome {
            Ok(d) => d,
            Err(f) => return Step::Failed(f),
        };
        if self.config.enforce_payload_limit && exceeds_payload_limit(&output) {
            return Step::Failed(Failure::new(
                "States.DataLimitExceeded",
                Some(format!(
                    "The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit."
                )),
            ));
        }
        // The state's assignments take effect as it exits.
        let assigned_names = match assigned {
            Some(a) if !a.is_empty() => {
                let names = self.keep_events.then(|| a.names().cloned().collect());
                let at = At {
                    state: name,
                    entered_event_id: entered_id,
                };
                if let Err(f) = scope.vars.commit(a, &at) {
                    return Step::Failed(f);
                }
                names
            }
            _ => None,
        };
        let mut exited = TraceEvent::new(exited_type, path);
        exited.output = self.keep(&output);
        if let Some(names) = assigned_names {
            exited.detail_mut().assigned = Some(names);
        }
        exited.stages = stages.map(Box::new);
        if let Some(c) = choice {
            exited.detail_mut().choice = Some(Box::new(c));
        }
        self.emit(scope, exited);
        match next {
            Some(n) => Step::Next(n, output),
            None => Step::End(output),
        }
    }

    /// The expression context of a state attempt (`$$.State`, `$$.Map.Item` of the enclosing iteration, …).
    pub(crate) fn ctx_for<'a>(
        &self,
        st: &StateRun<'_, 'a>,
        scope: &Scope,
        retry_count: u64,
        token: Option<&str>,
    ) -> Ctx<'a> {
        let item = scope.map_item.as_ref().map(|(i, v)| (*i, v));
        self.ctx.for_state(
            st.name,
            st.entered_ms,
            retry_count,
            token,
            item,
            &scope.vars,
        )
    }

    fn run_pass<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
    ) -> Result<Done<'m>, Failure> {
        let s = st.state;
        let ctx = self.ctx_for(st, scope, 0, None);
        let mut stages = Stages::default();
        let keep = self.keep_stages;
        let (_, effective) = process_input(st, &ctx, &mut self.ev, &mut stages, keep)?;
        let result = s
            .result
            .as_ref()
            .map_or(effective, |r| Arc::new(r.to_serde()));
        // Pass takes no ResultSelector.
        process_result(st, None, result, &ctx, &mut self.ev, stages, keep)
    }

    fn run_succeed<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
    ) -> Result<Done<'m>, Failure> {
        let s = st.state;
        let ctx = self.ctx_for(st, scope, 0, None);
        let effective = apply_path_shared(
            s.input_path.as_ref(),
            st.raw_input,
            &ctx,
            &mut self.ev,
            &st.at,
        )?;
        let output = apply_path_owned(
            s.output_path.as_ref(),
            effective.clone(),
            &ctx,
            &mut self.ev,
            &st.at,
        )?;
        Ok(self.done_io(output, None, effective))
    }

    fn run_fail(&mut self, st: &StateRun, scope: &mut Scope) -> Failure {
        let s = st.state;
        let ctx = self.ctx_for(st, scope, 0, None);
        let pick = |exec: &mut Self,
                    lit: Option<&crate::json::JStr>,
                    path: Option<&crate::json::JStr>,
                    field: &str| {
            if let Some(l) = lit {
                return Ok(Some(l.as_str().to_owned()));
            }
            let Some(p) = path else { return Ok(None) };
            let p = p.as_str();
            let v = if p.trim_start().starts_with("States.") {
                exec.ev.intrinsic(p, st.raw_input, &ctx).map_err(|e| {
                    Failure::in_state(&e.error, st.name, st.at.entered_event_id, &e.cause)
                })?
            } else {
                exec.ev.select(p, st.raw_input, &ctx).map_err(|m| {
                    Failure::in_state("States.Runtime", st.name, st.at.entered_event_id, &m)
                })?
            };
            match v {
                Value::String(s) => Ok(Some(s)),
                other => Err(Failure::in_state(
                    "States.Runtime",
                    st.name,
                    st.at.entered_event_id,
                    &format!(
                        "The {field} field must resolve to a string, not {}",
                        super::io_pipeline::compact(&other)
                    ),
                )),
            }
        };
        let error = match pick(self, s.error.as_ref(), s.error_path.as_ref(), "ErrorPath") {
            Ok(e) => e,
            Err(f) => return f,
        };
        let cause = match pick(self, s.cause.as_ref(), s.cause_path.as_ref(), "CausePath") {
            Ok(c) => c,
            Err(f) => return f,
        };
        let mut f = Failure::new(error.unwrap_or_default(), cause);
        // A Fail state ends its scope; the error propagates but is not itself a runtime error.
        f.terminal = false;
        f
    }

    fn run_choice<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
    ) -> Result<Done<'m>, Failure> {
        let s = st.state;
        let ctx = self.ctx_for(st, scope, 0, None);
        let effective = apply_path_shared(
            s.input_path.as_ref(),
            st.raw_input,
            &ctx,
            &mut self.ev,
            &st.at,
        )?;
        // One comparison per top-level rule at most, unless rules nest (And/Or/Not).
        let mut comparisons = if self.keep_stages {
            Vec::with_capacity(s.choices.as_ref().map_or(0, Vec::len))
        } else {
            Vec::new()
        };
        let log = self.keep_stages.then_some(&mut comparisons);
        let choice::Chosen {
            matched_rule,
            next,
            assign,
        } = choice::choose(s, &effective, &ctx, &mut self.ev, log).map_err(|m| {
            Failure::in_state("States.Runtime", st.name, st.at.entered_event_id, &m)
        })?;
        let Some(next_state) = next else {
            return Err(Failure::new(
                "States.NoChoiceMatched",
                Some("No Matches!".into()),
            ));
        };
        let assigned =
            super::vars::jsonpath_assign(assign, &effective, &ctx, &mut self.ev, &st.at)?;
        let output = apply_path_owned(
            s.output_path.as_ref(),
            effective.clone(),
            &ctx,
            &mut self.ev,
            &st.at,
        )?;
        let mut d = self.done_io(output, Some(next_state), effective);
        d.assigned = assigned;
        if self.keep_events {
            d.choice = Some(ChoiceDecision {
                matched_rule,
                next: next.map(str::to_owned),
                comparisons,
            });
        }
        Ok(d)
    }

    fn run_wait<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
    ) -> Result<Done<'m>, Failure> {
        let s = st.state;
        let ctx = self.ctx_for(st, scope, 0, None);
        let effective = apply_path_shared(
            s.input_path.as_ref(),
            st.raw_input,
            &ctx,
            &mut self.ev,
            &st.at,
        )?;
        let rt =
            |m: String| Failure::in_state("States.Runtime", st.name, st.at.entered_event_id, &m);
        let now_ms = scope.clock.now_ms();
        let wait_secs: f64 = if let Some(secs) = &s.seconds {
            secs.as_number().map_or(0.0, |n| n.as_f64())
        } else if let Some(p) = &s.seconds_path {
            let p = p.as_str();
            let v = self.ev.select(p, &effective, &ctx).map_err(|_| {
                rt(format!(
                    "The SecondsPath parameter does not reference an input value: {p}"
                ))
            })?;
            let shown = match &v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match v.as_i64().or_else(|| v.as_u64().map(|u| u as i64)) {
                Some(n) if n < 0 => {
                    return Err(rt(format!(
                        "The SecondsPath parameter references a negative value: {p} == {shown}"
                    )));
                }
                Some(n) => n as f64,
                None => {
                    return Err(rt(format!(
                        "The SecondsPath parameter cannot be parsed as a long value: {p} == {shown}"
                    )));
                }
            }
        } else if let Some(t) = &s.timestamp {
            let t = choice::parse_timestamp(t.as_str()).ok_or_else(|| {
                rt("The Timestamp field is not a valid ISO-8601 extended offset date-time".into())
            })?;
            ((t.timestamp_millis() - now_ms).max(0)) as f64 / 1000.0
        } else if let Some(p) = &s.timestamp_path {
            let p = p.as_str();
            let v = self.ev.select(p, &effective, &ctx).map_err(|_| {
                rt(format!(
                    "The TimestampPath parameter does not reference an input value: {p}"
                ))
            })?;
            let shown = match &v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let t = v.as_str().and_then(choice::parse_timestamp).ok_or_else(|| {
                rt(format!("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {p} == {shown}"))
            })?;
            ((t.timestamp_millis() - now_ms).max(0)) as f64 / 1000.0
        } else {
            0.0
        };
        if wait_secs > i32::MAX as f64 {
            return Err(rt("Wait state delay is too long.".into()));
        }
        self.advance(scope, wait_secs)?;
        let assigned = super::vars::jsonpath_assign(
            s.assign.as_ref(),
            &effective,
            &ctx,
            &mut self.ev,
            &st.at,
        )?;
        let output = apply_path_owned(
            s.output_path.as_ref(),
            effective.clone(),
            &ctx,
            &mut self.ev,
            &st.at,
        )?;
        let mut d = self.done_io(output, next_of(s), effective);
        d.assigned = assigned;
        Ok(d)
    }

    /// A Succeed, Choice or Wait state is done: stages after `InputPath` and the output (when kept).
    fn done_io<'m>(&self, output: Data, next: Option<&'m str>, effective: Data) -> Done<'m> {
        let stages = self.keep_stages.then(|| Stages {
            after_input_path: Some(effective),
            output: Some(output.clone()),
            ..Stages::default()
        });
        Done {
            output,
            next,
            stages,
            choice: None,
            assigned: None,
        }
    }
}

/// The state being run.
pub(crate) struct StateRun<'a, 'm> {
    pub name: &'m str,
    pub state: &'m State,
    pub path: &'a StatePath,
    pub at: At<'m>,
    pub entered_ms: i64,
    pub raw_input: &'a Data,
    /// The state runs in JSONata mode.
    pub jsonata: bool,
}

/// A state finished: its output, where to go (`None` = end of its machine) and what it did.
pub(crate) struct Done<'m> {
    pub output: Data,
    pub next: Option<&'m str>,
    pub stages: Option<Stages>,
    pub choice: Option<ChoiceDecision>,
    /// The variables the state assigns, committed once it is done (`None`: it has no `Assign`).
    pub assigned: Option<super::vars::Assignments>,
}

impl<'m> Done<'m> {
    /// `stages` only when they are kept.
    pub fn new(output: Data, next: Option<&'m str>, stages: Option<Stages>) -> Done<'m> {
        Done {
            output,
            next,
            stages,
            choice: None,
            assigned: None,
        }
    }
}

/// A state type's `…StateEntered` and `…StateExited` event names.
fn event_types(ty: StateType) -> (&'static str, &'static str) {
    match ty {
        StateType::Pass => ("PassStateEntered", "PassStateExited"),
        StateType::Succeed => ("SucceedStateEntered", "SucceedStateExited"),
        StateType::Fail => ("FailStateEntered", "FailStateExited"),
        StateType::Choice => ("ChoiceStateEntered", "ChoiceStateExited"),
        StateType::Wait => ("WaitStateEntered", "WaitStateExited"),
        StateType::Task => ("TaskStateEntered", "TaskStateExited"),
        StateType::Parallel => ("ParallelStateEntered", "ParallelStateExited"),
        StateType::Map => ("MapStateEntered", "MapStateExited"),
    }
}

pub(crate) fn next_of(s: &State) -> Option<&str> {
    s.next.as_ref().map(|n| n.as_str())
}

/// The events of one concurrent run (a Parallel branch, a Map iteration): `self.events[start..end]`.
pub(crate) type Lane = (usize, usize);

impl Exec<'_> {
    /// Orders the events of concurrent runs by virtual time, as AWS's history interleaves branches and
    /// iterations that run at once. The lanes were run one after another and their events appended from
    /// `self.events[from..]`; each lane keeps its own order, and events at the same instant go by lane order
    /// (branch index, item index), so the trace stays deterministic. Event ids are renumbered and every
    /// `previous_event_id` and "(entered at the event id #N)" in a cause follows; `failures` are causes
    /// computed during the lanes, updated the same way.
    pub(crate) fn interleave(
        &mut self,
        from: usize,
        lanes: &[Lane],
        failures: &mut [&mut Failure],
    ) {
        let tail_len = self.n_events - from;
        if lanes.len() < 2 || (from..self.n_events).all(|i| self.stamp_of(i) == self.stamp_of(from))
        {
            return;
        }
        // A k-way merge: the earliest head next, ties by lane.
        let mut heads: BinaryHeap<Reverse<(i64, usize, usize)>> = lanes
            .iter()
            .enumerate()
            .filter(|(_, (s, e))| s < e)
            .map(|(k, &(s, _))| Reverse((self.stamp_of(s), k, s)))
            .collect();
        let mut order = Vec::with_capacity(tail_len);
        while let Some(Reverse((_, k, i))) = heads.pop() {
            order.push(i);
            if i + 1 < lanes[k].1 {
                heads.push(Reverse((self.stamp_of(i + 1), k, i + 1)));
            }
        }
        debug_assert_eq!(order.len(), tail_len, "lanes cover the tail");
        // Old position → new id.
        let mut new_id = vec![0u64; tail_len];
        for (j, &i) in order.iter().enumerate() {
            new_id[i - from] = (from + j) as u64 + 1;
        }
        let remap = |id: u64| -> u64 {
            match (id as usize).checked_sub(from + 1) {
                Some(k) if k < new_id.len() => new_id[k],
                _ => id,
            }
        };
        if self.keep_events {
            let mut old: Vec<Option<TraceEvent>> = self.events.drain(from..).map(Some).collect();
            for i in order {
                let mut ev = old[i - from].take().expect("each event once");
                ev.id = remap(ev.id);
                ev.previous_event_id = remap(ev.previous_event_id);
                if let Some(c) = ev.detail.as_mut().and_then(|d| d.cause.as_mut()) {
                    remap_entered_id(c, &remap);
                }
                self.events.push(ev);
            }
        } else {
            // Only the times are kept: put them in the new order, for an enclosing interleave.
            let base = self.stamp_base;
            let reordered: Vec<i64> = order.iter().map(|&i| self.stamps[i - base]).collect();
            self.stamps.truncate(from - base);
            self.stamps.extend(reordered);
        }
        for f in failures {
            if let Some(c) = &mut f.cause {
                remap_entered_id(c, &remap);
            }
        }
    }
}

/// Rewrites the event id in AWS's "(entered at the event id #N)" cause text.
fn remap_entered_id(cause: &mut String, remap: &impl Fn(u64) -> u64) {
    const MARK: &str = "(entered at the event id #";
    let Some(at) = cause.find(MARK) else { return };
    let start = at + MARK.len();
    let end = cause[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(cause.len(), |n| start + n);
    if let Ok(id) = cause[start..end].parse::<u64>() {
        cause.replace_range(start..end, &remap(id).to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::json_len;
    use serde_json::json;

    #[test]
    fn json_len_is_the_compact_text_length() {
        let values = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-1),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(1.5),
            json!(-0.0),
            json!(1e300),
            json!(1.0e-7),
            json!(123456789.125),
            json!(""),
            json!("a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}é✓😀"),
            json!([]),
            json!({}),
            json!([1, [2, [3, {}]], {"k\"": "v", "x": [null, true]}]),
            json!({"i": 100000, "nested": {"a": [1.25, -3, "s"], "b": {}}}),
        ];
        for v in values {
            let text = serde_json::to_vec(&v).unwrap();
            assert_eq!(json_len(&v, usize::MAX / 2), text.len(), "{v}");
        }
    }

    #[test]
    fn json_len_stops_above_the_limit() {
        let big = json!({"a": "x".repeat(1000), "b": "y".repeat(1000)});
        assert!(json_len(&big, 100) > 100);
        assert!(!super::exceeds_payload_limit(&big));
        let huge = json!(["z".repeat(200 * 1024), "z".repeat(100 * 1024)]);
        assert!(super::exceeds_payload_limit(&huge));
    }
}
