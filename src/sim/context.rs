//! The `$$` context object: Execution, State, StateMachine, Task and Map.Item, with deterministic values.

use super::clock::format_ms;
use super::config::SimConfig;
use super::vars::Vars;
use serde_json::{Map, Value, json};
use std::cell::OnceCell;
use std::rc::Rc;

/// The execution-wide part of the context object, built once per run; cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct ContextBase(Rc<Bases>);

#[derive(Debug)]
struct Bases {
    /// With `Execution.Input`.
    full: Value,
    /// The same without `Execution.Input`: what most expressions read (`$$.Map.Item`, `$$.State.Name`).
    light: Value,
    overrides: Option<Value>,
}

impl ContextBase {
    pub fn new(config: &SimConfig, input: &Value) -> ContextBase {
        let n = &config.names;
        let full = json!({
            "Execution": {
                "Id": n.execution_arn(),
                "Input": input,
                "StartTime": format_ms(config.start_time_ms),
                "Name": n.execution_name,
                "RoleArn": n.role_arn,
                "RedriveCount": 0,
            },
            "StateMachine": {
                "Id": n.state_machine_arn(),
                "Name": n.state_machine_name,
            },
        });
        let mut light = full.clone();
        if let Some(Value::Object(e)) = light.get_mut("Execution") {
            e.shift_remove("Input");
        }
        ContextBase(Rc::new(Bases {
            full,
            light,
            overrides: config.context_overrides.clone(),
        }))
    }

    /// The context object as seen by one state, built when an expression first reads it. `task_token` is set
    /// for Task states; `map_item` inside a Map iteration (`(index, value)`).
    pub fn for_state<'a>(
        &self,
        state: &'a str,
        entered_ms: i64,
        retry_count: u64,
        task_token: Option<&str>,
        map_item: Option<(usize, &Value)>,
        vars: &Vars,
    ) -> Ctx<'a> {
        Ctx {
            vars: vars.clone(),
            base: self.clone(),
            state,
            entered_ms,
            retry_count,
            task_token: task_token.map(str::to_owned),
            map_item: map_item.map(|(i, v)| (i, v.clone())),
            map: OnceCell::new(),
            light: OnceCell::new(),
            full: OnceCell::new(),
        }
    }
}

/// How much of the context object an expression may read (see `paths::Eval`), least first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Need {
    /// No `$$` at all.
    None,
    /// Only `$$.Map…`.
    Map,
    /// Nothing under `$$.Execution.Input`.
    Light,
    /// Anything.
    Full,
}

/// One state's context object (`$$`), built lazily: most states never read it, and copying the execution input
/// into it for every state would dominate runs with a big input.
pub(crate) struct Ctx<'a> {
    base: ContextBase,
    state: &'a str,
    entered_ms: i64,
    retry_count: u64,
    task_token: Option<String>,
    map_item: Option<(usize, Value)>,
    map: OnceCell<Value>,
    light: OnceCell<Value>,
    full: OnceCell<Value>,
    /// The workflow variables as the state entered (its own assignments are committed after it).
    vars: Vars,
}

impl Ctx<'_> {
    /// The variables the state's expressions read.
    pub fn vars(&self) -> &Vars {
        &self.vars
    }

    /// The context object, at least as much of it as `need` says an expression reads (`null` for none: it
    /// is never looked at then). Parts that are not needed may be missing.
    pub fn value(&self, need: Need) -> &Value {
        static NULL: Value = Value::Null;
        if let Some(v) = self.full.get() {
            return v;
        }
        match need {
            Need::None => &NULL,
            Need::Map if self.light.get().is_none() => self
                .map
                .get_or_init(|| self.build(&Value::Object(Map::new()), false)),
            Need::Map | Need::Light => self
                .light
                .get_or_init(|| self.build(&self.base.0.light, true)),
            Need::Full => self
                .full
                .get_or_init(|| self.build(&self.base.0.full, true)),
        }
    }

    /// `base` plus the per-state parts (`State` and `Task` when `state`; `Map` always), then the overrides.
    fn build(&self, base: &Value, state: bool) -> Value {
        let mut ctx = base.clone();
        if let Value::Object(m) = &mut ctx {
            if state {
                m.insert(
                    "State".into(),
                    json!({ "EnteredTime": format_ms(self.entered_ms), "Name": self.state, "RetryCount": self.retry_count }),
                );
                if let Some(token) = &self.task_token {
                    m.insert("Task".into(), json!({ "Token": token }));
                }
            }
            if let Some((index, value)) = &self.map_item {
                m.insert(
                    "Map".into(),
                    json!({ "Item": { "Index": index, "Value": value } }),
                );
            }
        }
        if let Some(o) = &self.base.0.overrides {
            merge(&mut ctx, o);
        }
        ctx
    }
}

/// Deep-merges `patch` into `target` (objects merge key by key; anything else replaces).
pub(crate) fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                match t.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// A deterministic task token for a state entry.
pub(crate) fn task_token(execution_name: &str, event_id: u64) -> String {
    format!(
        "AQAAAA{:016x}{}",
        event_id.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        hex(execution_name)
    )
}

fn hex(s: &str) -> String {
    s.bytes().take(16).map(|b| format!("{b:02x}")).collect()
}
