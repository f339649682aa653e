//! The `$$` context object: Execution, State, StateMachine, Task and Map.Item, with deterministic values.

use super::clock::format_ms;
use super::config::SimConfig;
use serde_json::{Value, json};

/// The execution-wide part of the context object, built once per run.
#[derive(Clone, Debug)]
pub(crate) struct ContextBase {
    base: Value,
    overrides: Option<Value>,
}

impl ContextBase {
    pub fn new(config: &SimConfig, input: &Value) -> ContextBase {
        let n = &config.names;
        let base = json!({
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
        ContextBase {
            base,
            overrides: config.context_overrides.clone(),
        }
    }

    /// The context object as seen by one state. `task_token` is set for Task states; `map_item` inside a Map
    /// iteration (`(index, value)`).
    pub fn for_state(
        &self,
        state: &str,
        entered_ms: i64,
        retry_count: u64,
        task_token: Option<&str>,
        map_item: Option<(usize, &Value)>,
    ) -> Value {
        let mut ctx = self.base.clone();
        if let Value::Object(m) = &mut ctx {
            m.insert(
                "State".into(),
                json!({ "EnteredTime": format_ms(entered_ms), "Name": state, "RetryCount": retry_count }),
            );
            if let Some(token) = task_token {
                m.insert("Task".into(), json!({ "Token": token }));
            }
            if let Some((index, value)) = map_item {
                m.insert(
                    "Map".into(),
                    json!({ "Item": { "Index": index, "Value": value } }),
                );
            }
        }
        if let Some(o) = &self.overrides {
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
