//! Workflow variables (`Assign`, `$name`) in JSONPath states, with the results the AWS developer guide
//! ("Passing data between states with variables") documents: evaluation order, scope across Parallel branches
//! and Map iterations, reserved and invalid names, size limits; and what the trace records.

mod common;

use common::sim::same_at_every_level;
use serde_json::{Value, json};
use statewright::asl::StateMachine;
use statewright::json::Json;
use statewright::sim::{SimConfig, TaskMocks, simulate};
use statewright::trace::{Status, Trace};

fn machine(def: Value) -> StateMachine {
    StateMachine::from_json(&Json::from_serde(&def)).expect("definition object")
}

fn run_with(def: Value, input: Value, mocks: Value) -> Trace {
    let config = SimConfig {
        mocks: TaskMocks::from_lists(&mocks).expect("mocks"),
        ..SimConfig::default()
    };
    simulate(&machine(def), input, &config)
}

fn runs(def: Value, input: Value, output: Value) -> Trace {
    let t = run_with(def, input, json!({}));
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
    assert_eq!(t.output, Some(output));
    t
}

fn fails(def: Value, input: Value, error: &str, cause_has: &str) -> Trace {
    let t = run_with(def, input, json!({}));
    assert_eq!(t.status, Status::Failed, "output {:?}", t.output);
    assert_eq!(t.error.as_deref(), Some(error), "cause {:?}", t.cause);
    let cause = t.cause.clone().unwrap_or_default();
    assert!(
        cause.contains(cause_has),
        "cause {cause:?} lacks {cause_has:?}"
    );
    t
}

/// A Pass state that outputs the given variables as an object (`{"x.$": "$x", …}`).
fn show(names: &[&str]) -> Value {
    let mut p = serde_json::Map::new();
    for n in names {
        p.insert(format!("{n}.$"), json!(format!("${n}")));
    }
    json!({"Type": "Pass", "Parameters": p, "End": true})
}

#[test]
fn assign_values_read_the_variables_from_before_the_state() {
    // "Assign" evaluates every value against the values at state entry: y gets the old x.
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
        "B": {"Type": "Pass", "Assign": {"x": 2, "y.$": "$x"}, "Next": "C"},
        "C": show(&["x", "y"])}});
    runs(def, json!({}), json!({"x": 2, "y": 1}));
}

#[test]
fn output_path_reads_the_values_from_before_the_state() {
    // Recorded on AWS (variables_assign/027): OutputPath does not see the state's own assignment.
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"answer": 42}, "Next": "B"},
        "B": {"Type": "Pass", "InputPath": "$answer", "ResultPath": "$.theAnswer",
              "OutputPath": "$answer", "Assign": {"answer": "new"}, "End": true}}});
    runs(def, json!({}), json!(42));
}

#[test]
fn pass_assign_reads_the_result_or_the_parameters() {
    let def = json!({"StartAt": "R", "States": {
        "R": {"Type": "Pass", "Result": {"answer": 42}, "ResultPath": "$.r", "Assign": {"a.$": "$.answer"}, "Next": "P"},
        "P": {"Type": "Pass", "Parameters": {"v.$": "$.in"}, "ResultPath": null, "Assign": {"b.$": "$.v"}, "Next": "S"},
        "S": show(&["a", "b"])}});
    runs(def, json!({"in": "x"}), json!({"a": 42, "b": "x"}));
}

#[test]
fn task_assign_reads_the_raw_result_before_result_selector() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "ResultSelector": {"v.$": "$.Payload.v"}, "ResultPath": "$.sel",
              "Assign": {"raw.$": "$.Payload.v", "code.$": "$.StatusCode"}, "Next": "S"},
        "S": {"Type": "Pass", "Parameters": {"raw.$": "$raw", "code.$": "$code", "sel.$": "$.sel"}, "End": true}}});
    let t = run_with(
        def,
        json!({}),
        json!({"T": [{"Return": {"Payload": {"v": 7}, "StatusCode": 200}}]}),
    );
    assert_eq!(t.status, Status::Succeeded, "{:?}", t.cause);
    assert_eq!(
        t.output,
        Some(json!({"raw": 7, "code": 200, "sel": {"v": 7}}))
    );
}

#[test]
fn assign_takes_context_paths_intrinsics_literals_and_nested_templates() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {
            "name.$": "$$.State.Name",
            "label.$": "States.Format('{}-{}', $.id, States.MathAdd($.n, 1))",
            "literal": "$.not.a.path",
            "nested": {"inner.$": "$.id", "list": [1, "$x"], "deep": {"k": null}},
            "n.$": "$.n"}, "Next": "B"},
        "B": {"Type": "Pass", "Assign": {"sum.$": "States.MathAdd($n, $n)", "first.$": "$nested.list[0]"}, "Next": "C"},
        "C": show(&["name", "label", "literal", "nested", "sum", "first"])}});
    runs(
        def,
        json!({"id": "x", "n": 4}),
        json!({"name": "A", "label": "x-5", "literal": "$.not.a.path",
               "nested": {"inner": "x", "list": [1, "$x"], "deep": {"k": null}}, "sum": 8, "first": 1}),
    );
}

#[test]
fn variables_in_every_jsonpath_field() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"items": [1, 2, 3], "cfg": {"wait": 0, "conc": 2}, "limit": 2, "err": "E", "cause": "C"}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$items", "MaxConcurrencyPath": "$cfg.conc",
              "ItemSelector": {"v.$": "$$.Map.Item.Value", "lim.$": "$limit"},
              "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "OutputPath": "$.v", "End": true}}},
              "ResultSelector": {"all.$": "$", "lim.$": "$limit"}, "Next": "W"},
        "W": {"Type": "Wait", "SecondsPath": "$cfg.wait", "Next": "C"},
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$limit", "NumericGreaterThanPath": "$cfg.conc", "Next": "Bad"},
            {"Variable": "$.lim", "NumericEqualsPath": "$limit", "Next": "F"}], "Default": "Bad"},
        "Bad": {"Type": "Succeed"},
        "F": {"Type": "Fail", "ErrorPath": "$err", "CausePath": "States.Format('{}:{}', $cause, $.all[2])"}}});
    let t = run_with(def, json!({}), json!({}));
    assert_eq!(t.status, Status::Failed);
    assert_eq!(t.error.as_deref(), Some("E"));
    assert_eq!(t.cause.as_deref(), Some("C:3"));
}

#[test]
fn an_undefined_variable_fails_with_its_name() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$nope.x", "End": true}}});
    fails(
        def,
        json!({}),
        "States.Runtime",
        "the variable $nope is not defined",
    );
}

#[test]
fn parallel_branches_read_outer_variables_and_keep_their_own() {
    // Each branch reads x; what a branch assigns stays inside it; data leaves through the output.
    let branch = |n: i64| {
        json!({"StartAt": "B", "States": {
            "B": {"Type": "Pass", "Assign": {"mine.$": "States.MathAdd($x, $.k)"}, "Parameters": {"k": n}, "Next": "R"},
            "R": {"Type": "Pass", "Parameters": {"x.$": "$x", "mine.$": "$mine"}, "End": true}}})
    };
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 10}, "Next": "P"},
        "P": {"Type": "Parallel", "Branches": [branch(1), branch(2)], "Next": "After"},
        "After": {"Type": "Pass", "Parameters": {"out.$": "$", "x.$": "$x"}, "End": true}}});
    runs(
        def.clone(),
        json!({}),
        json!({"out": [{"x": 10, "mine": 11}, {"x": 10, "mine": 12}], "x": 10}),
    );
    // After the Parallel state the branches' variables are out of scope.
    let mut leaked = def;
    leaked["States"]["After"] = json!({"Type": "Pass", "InputPath": "$mine", "End": true});
    fails(
        leaked,
        json!({}),
        "States.Runtime",
        "the variable $mine is not defined",
    );
}

#[test]
fn concurrent_branches_do_not_see_each_other() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "W", "States": {"W": {"Type": "Pass", "Assign": {"a": 1}, "End": true}}},
        {"StartAt": "R", "States": {"R": {"Type": "Wait", "Seconds": 1, "Next": "R2"},
                                    "R2": {"Type": "Pass", "InputPath": "$a", "End": true}}}]}}});
    fails(
        def,
        json!({}),
        "States.Runtime",
        "the variable $a is not defined",
    );
}

#[test]
fn map_iterations_have_their_own_scope() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"base": 100}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
              "ItemProcessor": {"StartAt": "Set", "States": {
                  "Set": {"Type": "Pass", "Assign": {"v.$": "States.MathAdd($base, $)"}, "Next": "Get"},
                  "Get": {"Type": "Pass", "Parameters": {"v.$": "$v"}, "OutputPath": "$.v", "End": true}}},
              "End": true}}});
    runs(def, json!({"items": [1, 2, 3]}), json!([101, 102, 103]));
}

#[test]
fn distributed_map_iterations_see_no_outer_variables() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.items",
              "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                  "StartAt": "I", "States": {"I": {"Type": "Pass", "InputPath": "$x", "End": true}}},
              "End": true}}});
    fails(
        def,
        json!({"items": [1]}),
        "States.Runtime",
        "the variable $x is not defined",
    );
}

#[test]
fn an_inner_scope_cannot_assign_an_outer_name() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "P"},
        "P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"x.$": "$.v"}, "End": true}}}]}}});
    let t = fails(
        def,
        json!({}),
        "States.Runtime",
        "State 'B' assigns the variable 'x'",
    );
    // Refused before the run: only the execution's start and failure.
    assert_eq!(t.event_types(), ["ExecutionStarted", "ExecutionFailed"]);
    // A name the Parallel state's own catcher assigns may be assigned in a branch (recorded on AWS:
    // error_handling/046); the catcher assigns it in the outer scope once the branch is gone.
    let def = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"v": "inner"}, "Next": "F"},
                                        "F": {"Type": "Fail", "Error": "Boom"}}}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"v": "outer"}, "Next": "S"}], "End": true},
        "S": show(&["v"])}});
    runs(def, json!({}), json!({"v": "outer"}));
    // A Distributed Map's processor is a scope of its own: it may reuse the name.
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "M"},
        "M": {"Type": "Map", "End": true, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
            "StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"x.$": "$"}, "End": true}}}}}});
    runs(def, json!([5]), json!([5]));
}

#[test]
fn reserved_and_invalid_names_are_refused() {
    for (name, says) in [
        ("states", "reserved"),
        ("1x", "not a valid variable name"),
        ("a-b", "not a valid variable name"),
        ("", "not a valid variable name"),
    ] {
        let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {name: 1}, "End": true}}});
        fails(def, json!({}), "States.Runtime", says);
    }
    let long = "v".repeat(81);
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {long: 1}, "End": true}}});
    fails(
        def,
        json!({}),
        "States.Runtime",
        "longer than 80 characters",
    );
    // Unicode identifiers are valid names, and `$name` paths read them.
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"größe": 3, "_tmp": 4}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"g.$": "$größe", "t.$": "$_tmp"}, "End": true}}});
    runs(def, json!({}), json!({"g": 3, "t": 4}));
}

#[test]
fn size_limits() {
    let big = "x".repeat(256 * 1024);
    // One variable over 256 KiB (from an input the payload quota would refuse: lift the quota).
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"v.$": "$.s"}, "End": true}}});
    let config = SimConfig {
        enforce_payload_limit: false,
        ..SimConfig::default()
    };
    let t = simulate(&machine(def), json!({"s": big}), &config);
    assert_eq!(t.error.as_deref(), Some("States.Runtime"));
    assert!(
        t.cause
            .unwrap()
            .contains("exceeds the limit of 262144 bytes"),
        "per-variable limit"
    );
    // Two of 150 KiB in one Assign: over 256 KiB for the Assign.
    let half = "y".repeat(150 * 1024);
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"a.$": "$.s", "b.$": "$.s"}, "End": true}}});
    fails(def, json!({"s": half}), "States.Runtime", "for one Assign");
    // The same two in separate states are fine.
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"a.$": "$.s"}, "Next": "B"},
        "B": {"Type": "Pass", "Assign": {"b.$": "$.s"}, "OutputPath": "$.n", "End": true}}});
    runs(def, json!({"s": "y".repeat(150 * 1024), "n": 1}), json!(1));
}

#[test]
fn choice_assigns_the_matched_rule_or_the_state_on_default() {
    let def = |input: Value| {
        let def = json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericEquals": 1, "Assign": {"picked": "one", "n.$": "$.n"}, "Next": "S"}],
                "Assign": {"picked": "default"}, "Default": "S"},
            "S": show(&["picked"])}});
        run_with(def, input, json!({}))
    };
    assert_eq!(def(json!({"n": 1})).output, Some(json!({"picked": "one"})));
    assert_eq!(
        def(json!({"n": 2})).output,
        Some(json!({"picked": "default"}))
    );
    // A rule that does not match assigns nothing (recorded on AWS: variables_assign/012, 013).
    let t = def(json!({"n": 2}));
    let exited = t
        .events
        .iter()
        .find(|e| e.event_type == "ChoiceStateExited")
        .unwrap();
    assert_eq!(
        exited
            .assigned()
            .map(|a| a.iter().map(|n| &**n).collect::<Vec<_>>()),
        Some(vec!["picked"])
    );
}

#[test]
fn a_loop_on_variables() {
    let def = json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"i": 0, "sum": 0}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$i", "NumericLessThan": 5, "Next": "Step"}], "Default": "Done"},
        "Step": {"Type": "Pass", "Assign": {"i.$": "States.MathAdd($i, 1)", "sum.$": "States.MathAdd($sum, $i)"}, "Next": "Check"},
        "Done": show(&["i", "sum"])}});
    runs(def.clone(), json!({}), json!({"i": 5, "sum": 10}));
    same_at_every_level(
        "variable loop",
        &machine(def),
        json!({}),
        &SimConfig::default(),
    );
}

#[test]
fn catch_assign_reads_the_error_output_and_the_state_assign_is_skipped() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Assign": {"ok": true},
              "Retry": [{"ErrorEquals": ["Flaky"], "MaxAttempts": 1, "IntervalSeconds": 1}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err",
                         "Assign": {"error.$": "$.Error", "cause.$": "$.Cause", "at.$": "$$.State.Name"}, "Next": "H"}],
              "End": true},
        "H": {"Type": "Pass", "Parameters": {"error.$": "$error", "cause.$": "$cause", "at.$": "$at", "input.$": "$.err.Error"}, "End": true}}});
    let t = run_with(
        def.clone(),
        json!({}),
        json!({"T": [{"Throw": {"Error": "Flaky", "Cause": "1"}}, {"Throw": {"Error": "Boom", "Cause": "2"}}]}),
    );
    assert_eq!(t.status, Status::Succeeded, "{:?}", t.cause);
    assert_eq!(
        t.output,
        Some(json!({"error": "Boom", "cause": "2", "at": "T", "input": "Boom"}))
    );
    // The state's own Assign did not run: $ok is undefined afterwards.
    let mut reads_ok = def;
    reads_ok["States"]["H"] = json!({"Type": "Pass", "InputPath": "$ok", "End": true});
    let t = run_with(
        reads_ok,
        json!({}),
        json!({"T": [{"Throw": {"Error": "Boom", "Cause": "2"}}]}),
    );
    assert_eq!(t.error.as_deref(), Some("States.Runtime"));
}

#[test]
fn catch_assign_of_a_map_runs_in_the_outer_scope() {
    let def = json!({"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.items",
              "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Bad", "Cause": "c"}}},
              "Catch": [{"ErrorEquals": ["Bad"], "Assign": {"failed.$": "$.Error"}, "Next": "After"}], "End": true},
        "After": show(&["failed"])}});
    runs(def, json!({"items": [1]}), json!({"failed": "Bad"}));
}

#[test]
fn wait_assigns_after_waiting() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"secs": 5}, "Next": "W"},
        "W": {"Type": "Wait", "SecondsPath": "$secs", "Assign": {"secs": 0, "seen.$": "$secs"}, "Next": "S"},
        "S": show(&["secs", "seen"])}});
    let t = runs(def, json!({}), json!({"secs": 0, "seen": 5}));
    assert_eq!(t.end_time, "2024-01-01T00:00:05.000Z");
}

#[test]
fn the_trace_records_variables_in_scope_and_assignments() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 1, "y": [true]}, "Next": "B"},
        "B": {"Type": "Pass", "End": true}}});
    let t = runs(def, json!({"in": 0}), json!({"in": 0}));
    let by_type = |ty: &str| t.events.iter().find(|e| e.event_type == ty).unwrap();
    assert!(by_type("ExecutionStarted").variables().is_none());
    assert!(
        by_type("PassStateEntered").variables().is_none(),
        "A entered before assigning"
    );
    let a_exit = by_type("PassStateExited");
    assert_eq!(
        serde_json::to_value(a_exit.variables().unwrap()).unwrap(),
        json!({"x": 1, "y": [true]})
    );
    assert_eq!(
        a_exit
            .assigned()
            .unwrap()
            .iter()
            .map(|n| &**n)
            .collect::<Vec<_>>(),
        ["x", "y"]
    );
    let b_exit = t
        .events
        .iter()
        .filter(|e| e.event_type == "PassStateExited")
        .nth(1)
        .unwrap();
    assert!(b_exit.assigned().is_none());
    assert!(b_exit.variables().is_some());
    // Written and read back unchanged.
    let text = t.to_json_string();
    assert!(text.contains("\"variables\""));
    assert!(text.contains("\"assigned\""));
    let back: Trace = serde_json::from_str(&text).unwrap();
    assert_eq!(back, t);
}

#[test]
fn a_machine_without_variables_writes_no_variable_fields() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": 1, "ResultPath": "$.r", "Next": "P"},
        "P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}});
    let t = runs(def, json!({}), json!([{"r": 1}]));
    assert!(
        t.events
            .iter()
            .all(|e| e.variables().is_none() && e.assigned().is_none())
    );
    let text = t.to_json_string();
    assert!(!text.contains("\"variables\"") && !text.contains("\"assigned\""));
}

#[test]
fn assign_failures_inside_a_state_name_the_state() {
    // A path in Assign that selects nothing fails the state like a Parameters path does.
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"v.$": "$.missing"}, "End": true}}});
    fails(def, json!({}), "States.ParameterPathFailure", "$.missing");
    // An Assign that is not an object is refused before the run.
    let def =
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": [1], "End": true}}});
    fails(def, json!({}), "States.Runtime", "must be a JSON object");
}
