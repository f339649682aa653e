//! A generated workflow of a given size for the benches: a top-level chain that cycles through every
//! state type — Tasks with Retry and Catch, Choices that loop back, Waits, Passes, Parallels with three
//! branches and Maps with an item processor (both with nested states) — ending in a Succeed and a Fail.

// Each bench (and the `generate` example) uses the generators it needs.
#![allow(dead_code)]

use serde_json::{Map, Value, json};

/// The ASL text of a workflow with exactly `n` states (nested ones included); `n` ≥ 3.
pub fn workflow(n: usize) -> String {
    assert!(n >= 3);
    let mut order: Vec<(String, Value)> = Vec::new();
    let mut count = 0;
    let mut k = 0;
    while count + 2 < n {
        let left = n - 2 - count;
        let (name, state, size) = match k % 8 {
            _ if left < 16 => (format!("Pass {k}"), json!({"Type": "Pass"}), 1),
            0 | 3 | 6 => (
                format!("Task {k}"),
                json!({
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": format!("step-{k}"), "Payload.$": "$"},
                    "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 3}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]
                }),
                1,
            ),
            1 => (
                format!("Check {k}"),
                json!({
                    "Type": "Choice",
                    "Choices": [{"Variable": format!("$.n{k}"), "NumericGreaterThan": k}],
                    // Loops back to the state before.
                    "Default": order.last().map_or("Failed".to_owned(), |(n, _)| n.clone())
                }),
                1,
            ),
            2 => (
                format!("Wait {k}"),
                json!({"Type": "Wait", "Seconds": 5}),
                1,
            ),
            4 => {
                let branches: Vec<Value> =
                    (0..3).map(|b| chain(&format!("P{k} B{b}"), 5)).collect();
                (
                    format!("Parallel {k}"),
                    json!({"Type": "Parallel", "Branches": branches}),
                    16,
                )
            }
            5 => (
                format!("Map {k}"),
                json!({
                    "Type": "Map",
                    "ItemsPath": "$.items",
                    "ItemProcessor": chain(&format!("M{k}"), 5)
                }),
                6,
            ),
            _ => (format!("Pass {k}"), json!({"Type": "Pass"}), 1),
        };
        order.push((name, state));
        count += size;
        k += 1;
    }
    let names: Vec<String> = order.iter().map(|(n, _)| n.clone()).collect();
    let mut states = Map::new();
    for (i, (name, mut state)) in order.into_iter().enumerate() {
        let next = names.get(i + 1).cloned().unwrap_or_else(|| "Done".into());
        if state["Type"] == "Choice" {
            state["Choices"][0]["Next"] = next.into();
        } else {
            state["Next"] = next.into();
        }
        states.insert(name, state);
    }
    states.insert("Done".into(), json!({"Type": "Succeed"}));
    states.insert(
        "Failed".into(),
        json!({"Type": "Fail", "Error": "Failed", "Cause": "a step failed"}),
    );
    let machine =
        json!({"Comment": format!("{n} generated states"), "StartAt": names[0], "States": states});
    serde_json::to_string_pretty(&machine).unwrap()
}

/// A nested machine: `len` states named `PREFIX S0…`, alternating Task and Pass, the last one ending it.
fn chain(prefix: &str, len: usize) -> Value {
    let mut states = Map::new();
    for j in 0..len {
        let mut s = if j % 2 == 0 {
            json!({"Type": "Task", "Resource": "arn:aws:states:::sns:publish"})
        } else {
            json!({"Type": "Pass"})
        };
        if j + 1 == len {
            s["End"] = true.into();
        } else {
            s["Next"] = format!("{prefix} S{}", j + 1).into();
        }
        states.insert(format!("{prefix} S{j}"), s);
    }
    json!({"StartAt": format!("{prefix} S0"), "States": states})
}

/// The ASL text of a top-level chain of exactly `n` states (`n` ≥ 2) that an execution walks from end to end:
/// Passes with a payload template, Tasks with Retry and a Catch that carries on to the next state, Choices whose
/// rule and default both go on, and Waits, ending in a Succeed. With input `{}` and no mocks the simulation
/// succeeds after `n` states. Every edge joins neighbours (no shared error handler far below: a layered layout
/// routes each such long edge through every rank it spans).
pub fn linear_chain(n: usize) -> String {
    assert!(n >= 2);
    let name = |i: usize| {
        if i + 1 == n {
            "Done".to_owned()
        } else {
            format!("Step {i}")
        }
    };
    let mut states = Map::new();
    for i in 0..n - 1 {
        let next = name(i + 1);
        let state = match i % 4 {
            0 => json!({
                "Type": "Pass",
                "Parameters": {"step": i, "from.$": "$$.State.Name"},
                "ResultPath": "$.pass",
                "Next": next
            }),
            1 => json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": format!("step-{i}"), "Payload.$": "$.pass"},
                "ResultPath": "$.last",
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": next}],
                "Next": next
            }),
            2 => json!({
                "Type": "Choice",
                "Choices": [{"Variable": "$.pass.step", "NumericGreaterThanEquals": 0, "Next": next}],
                "Default": next
            }),
            _ => json!({"Type": "Wait", "Seconds": 1, "Next": next}),
        };
        states.insert(name(i), state);
    }
    states.insert("Done".into(), json!({"Type": "Succeed"}));
    let machine =
        json!({"Comment": format!("a chain of {n} states"), "StartAt": name(0), "States": states});
    serde_json::to_string_pretty(&machine).unwrap()
}

/// The ASL text of a top-level chain of exactly `n` states (`n` ≥ 4) with long edges to shared states, the shape
/// that makes a layered layout quadratic when it gives each long edge a placeholder on every rank it crosses:
/// every Task (one state in three) has a Catch to one shared `Failed` state at the bottom, and every Choice (one
/// in three) loops back to the first state by its `Default`; the rest are Passes. With input `{}` and no mocks
/// the simulation walks the chain to the end (each Choice's rule goes on) and succeeds.
pub fn chain_with_shared_catch(n: usize) -> String {
    assert!(n >= 4);
    let name = |i: usize| {
        if i + 2 == n {
            "Done".to_owned()
        } else {
            format!("Step {i}")
        }
    };
    let mut states = Map::new();
    for i in 0..n - 2 {
        let next = name(i + 1);
        let state = match i % 3 {
            0 => json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": format!("step-{i}"), "Payload.$": "$"},
                "ResultPath": "$.last",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
                "Next": next
            }),
            1 => json!({"Type": "Pass", "Next": next}),
            _ => json!({
                "Type": "Choice",
                "Choices": [{"Variable": "$.again", "IsPresent": false, "Next": next}],
                "Default": name(0)
            }),
        };
        states.insert(name(i), state);
    }
    states.insert("Done".into(), json!({"Type": "Succeed"}));
    states.insert(
        "Failed".into(),
        json!({"Type": "Fail", "Error": "StepFailed", "Cause": "a step failed"}),
    );
    let machine = json!({
        "Comment": format!("a chain of {n} states with a shared Catch target"),
        "StartAt": name(0),
        "States": states
    });
    serde_json::to_string_pretty(&machine).unwrap()
}
