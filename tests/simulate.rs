//! Simulator scenarios, one per feature, each with the result AWS documents; a proptest. The seed workflows
//! are simulated in `tests/seed_workflows.rs`.

mod common;

use common::sim::same_at_every_level;
use serde_json::{Value, json};
use statewright::asl::{Document, StateMachine};
use statewright::json::Json;
use statewright::sim::{SimConfig, TaskMocks, simulate};
use statewright::trace::{PathSegment, Status, Trace, TraceCursor};
use std::path::Path;

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

fn runs(def: Value, input: Value, output: Value) {
    let t = run_with(def, input, json!({}));
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
    assert_eq!(t.output, Some(output));
}

fn fails(def: Value, input: Value, mocks: Value, error: &str) -> Trace {
    let t = run_with(def, input, mocks);
    assert_eq!(t.status, Status::Failed, "output {:?}", t.output);
    assert_eq!(t.error.as_deref(), Some(error), "cause {:?}", t.cause);
    t
}

#[test]
fn io_processing_order() {
    // AWS guide example: InputPath → Parameters → result → ResultSelector → ResultPath → OutputPath.
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "InputPath": "$.payload", "Parameters": {"n.$": "$.n", "fixed": 1, "name.$": "$$.State.Name"},
        "ResultSelector": {"value.$": "$.Payload.v"}, "ResultPath": "$.result", "OutputPath": "$.result", "End": true}}});
    let t = run_with(
        def,
        json!({"payload": {"n": 5}}),
        json!({"T": [{"Return": {"Payload": {"v": 42}}}]}),
    );
    assert_eq!(t.output, Some(json!({"value": 42})));
    let exited = t
        .events
        .iter()
        .find(|e| e.event_type == "TaskStateExited")
        .expect("exit");
    let st = exited.stages().expect("stages");
    assert_eq!(st.after_input_path.as_deref(), Some(&json!({"n": 5})));
    assert_eq!(
        st.after_parameters.as_deref(),
        Some(&json!({"n": 5, "fixed": 1, "name": "T"}))
    );
    assert_eq!(
        st.after_result_path.as_deref(),
        Some(&json!({"payload": {"n": 5}, "result": {"value": 42}}))
    );
}

#[test]
fn null_paths() {
    // InputPath null → {}; ResultPath null → input passes through; OutputPath null → {}.
    let def = |field: &str| json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"r": 1}, field: null, "End": true}}});
    runs(def("InputPath"), json!({"a": 1}), json!({"r": 1}));
    runs(def("ResultPath"), json!({"a": 1}), json!({"a": 1}));
    runs(def("OutputPath"), json!({"a": 1}), json!({}));
    let merge = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 7, "ResultPath": "$.x.y", "End": true}}});
    runs(merge, json!({"a": 1}), json!({"a": 1, "x": {"y": 7}}));
}

#[test]
fn path_failures() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.missing", "End": true}}});
    let t = fails(def, json!({}), json!({}), "States.Runtime");
    assert!(t.cause.unwrap().contains("Invalid path '$.missing'"));
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "$.nope"}, "End": true}}});
    fails(def, json!({}), json!({}), "States.ParameterPathFailure");
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": true}}});
    fails(
        def,
        json!({"a": "text"}),
        json!({}),
        "States.ResultPathMatchFailure",
    );
}

#[test]
fn context_object() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {
        "exec.$": "$$.Execution.Name", "input.$": "$$.Execution.Input", "state.$": "$$.State.Name",
        "entered.$": "$$.State.EnteredTime", "sm.$": "$$.StateMachine.Name", "retry.$": "$$.State.RetryCount"}, "End": true}}});
    let t = run_with(def, json!({"k": 1}), json!({}));
    let out = t.output.unwrap();
    assert_eq!(out["input"], json!({"k": 1}));
    assert_eq!(out["state"], json!("P"));
    assert_eq!(out["entered"], json!("2024-01-01T00:00:00.000Z"));
    assert_eq!(out["retry"], json!(0));
    assert_eq!(out["sm"], json!("StateMachine"));
}

#[test]
fn choice_operators_and_default() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"And": [{"Variable": "$.n", "NumericGreaterThanEquals": 10}, {"Not": {"Variable": "$.s", "StringMatches": "log-*.txt"}}], "Next": "Big"},
            {"Variable": "$.t", "TimestampLessThan": "2020-01-01T00:00:00Z", "Next": "Old"},
            {"Variable": "$.s", "StringMatches": "a\\*b", "Next": "Star"}],
            "Default": "Other"},
        "Big": {"Type": "Pass", "Result": "big", "End": true},
        "Old": {"Type": "Pass", "Result": "old", "End": true},
        "Star": {"Type": "Pass", "Result": "star", "End": true},
        "Other": {"Type": "Pass", "Result": "other", "End": true}}});
    runs(
        def.clone(),
        json!({"n": 10, "s": "x", "t": "2030-01-01T00:00:00Z"}),
        json!("big"),
    );
    runs(
        def.clone(),
        json!({"n": 10, "s": "log-1.txt", "t": "2019-12-31T23:00:00-02:00"}),
        json!("other"),
    );
    runs(
        def.clone(),
        json!({"n": 1, "s": "a*b", "t": "2019-06-01T00:00:00Z"}),
        json!("old"),
    );
    runs(
        def.clone(),
        json!({"n": 1, "s": "a*b", "t": "2021-06-01T00:00:00Z"}),
        json!("star"),
    );
    runs(
        def.clone(),
        json!({"n": 1, "s": "aXb", "t": "2021-06-01T00:00:00Z"}),
        json!("other"),
    );
    let t = run_with(def, json!({"n": 12, "s": "x", "t": "x"}), json!({}));
    let ex = t
        .events
        .iter()
        .find(|e| e.event_type == "ChoiceStateExited")
        .unwrap();
    let c = ex.choice().unwrap();
    assert_eq!(c.matched_rule, Some(0));
    assert_eq!(c.comparisons[0].actual, Some(json!(12)));
    let none = json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "E"}]}, "E": {"Type": "Succeed"}}});
    fails(none, json!({}), json!({}), "States.NoChoiceMatched");
}

#[test]
fn wait_advances_virtual_clock() {
    let def = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 10, "Next": "W2"},
        "W2": {"Type": "Wait", "SecondsPath": "$.s", "Next": "W3"},
        "W3": {"Type": "Wait", "Timestamp": "2024-01-01T01:00:00Z", "End": true}}});
    let t = run_with(def, json!({"s": 5}), json!({}));
    assert_eq!(t.status, Status::Succeeded);
    assert_eq!(t.end_time, "2024-01-01T01:00:00.000Z");
    let def = json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}});
    fails(def, json!({"s": -1}), json!({}), "States.Runtime");
}

#[test]
fn retry_backoff_and_max_attempts() {
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Retry": [{"ErrorEquals": ["Never"], "MaxAttempts": 5},
                  {"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3, "MaxDelaySeconds": 10}],
        "End": true}}});
    let mocks = json!({"T": [{"Throw": {"Error": "Busy"}}, {"Throw": {"Error": "Busy"}}, {"Throw": {"Error": "Busy"}}, {"Return": "ok"}]});
    let t = run_with(def.clone(), json!({}), mocks);
    assert_eq!(t.output, Some(json!("ok")));
    // waits 2 + 6 + min(18, 10) = 18 s
    assert_eq!(t.end_time, "2024-01-01T00:00:18.000Z");
    let zero = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "x", "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}], "End": true}}});
    let t = fails(
        zero,
        json!({}),
        json!({"T": [{"Throw": {"Error": "E"}}, {"Return": 1}]}),
        "E",
    );
    assert_eq!(
        t.events
            .iter()
            .filter(|e| e.event_type == "TaskScheduled")
            .count(),
        1
    );
    let jitter = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "x", "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 100, "JitterStrategy": "FULL"}], "End": true}}});
    let t = run_with(
        jitter,
        json!({}),
        json!({"T": [{"Throw": {"Error": "E"}}, {"Return": 1}]}),
    );
    assert!(t.end_time.as_str() < "2024-01-01T00:01:40.000Z");
}

#[test]
fn catch_result_path() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "x", "Catch": [{"ErrorEquals": ["Other"], "Next": "X"}, {"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.err", "Next": "H"}], "End": true},
        "X": {"Type": "Fail"}, "H": {"Type": "Pass", "End": true}}});
    let t = run_with(
        def,
        json!({"a": 1}),
        json!({"T": [{"Throw": {"Error": "Boom", "Cause": "why"}}]}),
    );
    assert_eq!(
        t.output,
        Some(json!({"a": 1, "err": {"Error": "Boom", "Cause": "why"}}))
    );
    let types = t.event_types();
    assert_eq!(
        &types[..6],
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskStateExited"
        ]
    );
}

#[test]
fn task_timeout_and_heartbeat_on_virtual_clock() {
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "x", "TimeoutSeconds": 30, "End": true}}});
    let t = fails(
        def,
        json!({}),
        json!({"T": [{"Return": 1, "LatencySeconds": 60}]}),
        "States.Timeout",
    );
    assert_eq!(t.end_time, "2024-01-01T00:00:30.000Z");
    assert!(t.event_types().contains(&"TaskTimedOut"));
    let hb = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "HeartbeatSeconds": 5, "End": true}}});
    fails(
        hb,
        json!({}),
        json!({"T": [{"Return": 1, "LatencySeconds": 6}]}),
        "States.HeartbeatTimeout",
    );
    let machine_timeout = json!({"TimeoutSeconds": 10, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}});
    let t = run_with(machine_timeout, json!({}), json!({}));
    assert_eq!(t.status, Status::TimedOut);
    assert_eq!(t.event_types().last(), Some(&"ExecutionTimedOut"));
}

#[test]
fn parallel_branches_in_virtual_time() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 10, "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": true}}}]}}});
    let t = run_with(def, json!({"x": 1}), json!({}));
    assert_eq!(t.output, Some(json!([{"x": 1}, "b"])));
    assert_eq!(t.end_time, "2024-01-01T00:00:10.000Z");
    let b = t
        .events
        .iter()
        .find(|e| e.event_type == "PassStateEntered")
        .unwrap();
    assert_eq!(b.path.0[1], PathSegment::Branch(1));
    assert_eq!(b.timestamp, "2024-01-01T00:00:00.000Z");
    let failing = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "BranchBroke", "Cause": "c"}}}]}}});
    fails(failing, json!({}), json!({}), "BranchBroke");
}

/// Ids run 1, 2, 3…, each event follows an earlier one, and timestamps never go back.
fn assert_history_in_time_order(t: &Trace) {
    for (k, e) in t.events.iter().enumerate() {
        assert_eq!(e.id, k as u64 + 1);
        assert!(
            e.previous_event_id < e.id,
            "event {} follows {}",
            e.id,
            e.previous_event_id
        );
        if k > 0 {
            assert!(
                t.events[k - 1].timestamp <= e.timestamp,
                "event {} goes back in time",
                e.id
            );
        }
    }
}

#[test]
fn concurrent_events_interleave_in_virtual_time() {
    // Branch 0 waits 10 s, branch 1 waits 5 s: AWS's history shows branch 1 leaving its Wait first.
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 10, "Next": "A2"}, "A2": {"Type": "Pass", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 5, "Next": "B2"}, "B2": {"Type": "Pass", "End": true}}}]}}});
    let t = run_with(def, json!({}), json!({}));
    assert_eq!(t.status, Status::Succeeded);
    assert_history_in_time_order(&t);
    let order: Vec<String> = t
        .events
        .iter()
        .filter(|e| e.is_state_entered() || e.is_state_exited())
        .filter_map(|e| Some(format!("{} {}", e.event_type, e.path.state_name()?)))
        .collect();
    assert_eq!(
        order,
        [
            "ParallelStateEntered P",
            "WaitStateEntered A",
            "WaitStateEntered B",
            "WaitStateExited B",
            "PassStateEntered B2",
            "PassStateExited B2",
            "WaitStateExited A",
            "PassStateEntered A2",
            "PassStateExited A2",
            "ParallelStateExited P",
        ]
    );
    // Each branch's first event follows ParallelStateStarted; within a branch the chain is kept.
    let started = t
        .events
        .iter()
        .find(|e| e.event_type == "ParallelStateStarted")
        .unwrap();
    let entered_b = t
        .events
        .iter()
        .find(|e| e.path.state_name() == Some("B"))
        .unwrap();
    assert_eq!(entered_b.previous_event_id, started.id);
    let exited_b = t
        .events
        .iter()
        .find(|e| e.event_type == "WaitStateExited" && e.path.state_name() == Some("B"))
        .unwrap();
    assert_eq!(exited_b.previous_event_id, entered_b.id);

    // A Map with MaxConcurrency 2: item 1 (1 s) frees its slot for item 2 while item 0 (3 s) still runs.
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}, "End": true}}});
    let t = run_with(
        def,
        json!({"items": [{"s": 3}, {"s": 1}, {"s": 1}]}),
        json!({}),
    );
    assert_eq!(t.status, Status::Succeeded);
    assert_history_in_time_order(&t);
    let iterations: Vec<(String, u64)> = t
        .events
        .iter()
        .filter(|e| e.event_type.starts_with("MapIteration"))
        .map(|e| (e.event_type.to_string(), e.index().unwrap()))
        .collect();
    let it = |ty: &str, i: u64| (format!("MapIteration{ty}"), i);
    assert_eq!(
        iterations,
        [
            it("Started", 0),
            it("Started", 1),
            it("Succeeded", 1),
            it("Started", 2),
            it("Succeeded", 2),
            it("Succeeded", 0),
        ]
    );
    let mut in_flight = 0;
    for (ty, _) in &iterations {
        in_flight += if ty.ends_with("Started") { 1 } else { -1 };
        assert!(in_flight <= 2, "MaxConcurrency 2 exceeded");
    }
    // Same run, same trace.
    let again = run_with(
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}, "End": true}}}),
        json!({"items": [{"s": 3}, {"s": 1}, {"s": 1}]}),
        json!({}),
    );
    assert_eq!(again.to_json_string(), t.to_json_string());
}

#[test]
fn map_inline() {
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
        "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "k.$": "$.k"},
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}, "End": true}}});
    let t = run_with(def, json!({"items": ["a", "b", "c"], "k": 0}), json!({}));
    assert_eq!(
        t.output,
        Some(
            json!([{"v": "a", "i": 0, "k": 0}, {"v": "b", "i": 1, "k": 0}, {"v": "c", "i": 2, "k": 0}])
        )
    );
    // two slots: items 0,1 in parallel, item 2 after → 20 s
    assert_eq!(t.end_time, "2024-01-01T00:00:20.000Z");
    let tolerant = |count: u64| {
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ToleratedFailureCount": count,
        "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "F"}], "Default": "S"},
            "F": {"Type": "Fail", "Error": "Zero"}, "S": {"Type": "Succeed"}}}, "End": true}}})
    };
    let t = run_with(tolerant(1), json!([1, 0, 2]), json!({}));
    assert_eq!(t.status, Status::Succeeded);
    fails(
        tolerant(0),
        json!([1, 0, 0]),
        json!({}),
        "States.ExceedToleratedFailureThreshold",
    );
}

#[test]
fn distributed_map_item_reader_from_mock() {
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "k"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
    let t = run_with(def, json!({}), json!({"M": [{"Return": [1, 2, 3]}]}));
    assert_eq!(t.output, Some(json!([1, 2, 3])));
}

#[test]
fn pass_succeed_fail() {
    runs(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"a": 1}, "Next": "S"}, "S": {"Type": "Succeed", "OutputPath": "$.a"}}}),
        json!({}),
        json!(1),
    );
    let t = fails(
        json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}}}),
        json!({"e": "E1", "c": "C1"}),
        json!({}),
        "E1",
    );
    assert_eq!(t.cause.as_deref(), Some("C1"));
}

#[test]
fn payload_limit() {
    let big = "x".repeat(300 * 1024);
    let def =
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": big, "End": true}}});
    fails(def, json!({}), json!({}), "States.DataLimitExceeded");
}

#[test]
fn transition_cap_names_the_loop() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}});
    let config = SimConfig {
        max_transitions: 100,
        ..SimConfig::default()
    };
    let t = simulate(&machine(def), json!({}), &config);
    assert_eq!(t.status, Status::Failed);
    let cause = t.cause.unwrap();
    assert!(
        cause.contains("100") && cause.contains("A → B") || cause.contains("B → A"),
        "{cause}"
    );
}

#[test]
fn jsonata_machines_run() {
    // The bundled JSONata example: a short name takes the Default branch; the Pass output reads the input.
    let doc = statewright::asl::Document::parse_json(
        statewright::examples::example_text("jsonata-greeting.asl.json").expect("bundled"),
    )
    .expect("parses");
    let t = simulate(&doc.machine, json!({"name": "Ada"}), &SimConfig::default());
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
    assert!(t.events.iter().any(|e| e.event_type == "ChoiceStateExited"));
    assert_eq!(t.output, Some(json!({"message": "Hello, Ada"})));
    let t = simulate(&doc.machine, json!({}), &SimConfig::default());
    assert_eq!(t.output, Some(json!({"message": "Hello, world"})));
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $states.input.a %}", "End": true}}});
    runs(def, json!({"a": [1]}), json!([1]));
}

#[test]
fn mocks_config_file_ranges_and_repeat_last() {
    let cfg = json!({"StateMachines": {"M": {"TestCases": {"Retry": {"T": "R"}}}},
        "MockedResponses": {"R": {"0": {"Throw": {"Error": "E", "Cause": "c"}}, "1-2": {"Return": {"n": 1}}}}});
    let mocks = TaskMocks::from_mock_config(&cfg, None, Some("Retry")).unwrap();
    assert_eq!(mocks.by_state["T"].len(), 3);
    assert_eq!(mocks.response("T", 9), mocks.by_state["T"].last());
    let unmocked = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"m.$": "$.x"}, "End": true}}});
    let t = run_with(unmocked, json!({"x": 3}), json!({}));
    assert_eq!(t.output, Some(json!({"m": 3})));
    assert!(t.events.iter().any(|e| e.unmocked()));
    let bad = json!({"StateMachines": {"M": {"TestCases": {"C": {"T": "R"}}}}, "MockedResponses": {"R": {"1": {"Return": 1}}}});
    assert!(
        TaskMocks::from_mock_config(&bad, None, None)
            .unwrap_err()
            .to_string()
            .contains("/MockedResponses/R")
    );
}

#[test]
fn trace_is_deterministic_and_cursor_walks_it() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Next": "W", "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}]}, "W": {"Type": "Wait", "Seconds": 1, "End": true}}});
    let a = run_with(def.clone(), json!({}), json!({})).to_json_string();
    let b = run_with(def.clone(), json!({}), json!({})).to_json_string();
    assert_eq!(a, b);
    let t = run_with(def, json!({}), json!({}));
    let back: Trace = serde_json::from_str(&a).unwrap();
    assert_eq!(back, t);
    let mut c = TraceCursor::new(&t);
    assert!(c.active(&t).is_empty());
    c.step_forward(); // ExecutionStarted
    c.step_forward(); // ParallelStateEntered
    assert_eq!(c.active(&t).len(), 1);
    c.step_forward(); // ParallelStateStarted
    c.step_forward(); // PassStateEntered in branch 0
    assert_eq!(c.active(&t).len(), 2);
    c.seek_end();
    assert!(c.active(&t).is_empty());
    assert_eq!(c.visited(&t).len(), 3);
    c.step_backward();
    assert_eq!(c.active(&t).len(), 0);
    c.seek_start();
    assert!(c.step_to_next_state(&t));
    assert_eq!(c.current(&t).unwrap().event_type, "ParallelStateEntered");
}

// ---- property: never panics, always ends within the cap ------------------------------------------------

mod property {
    use super::*;
    use proptest::prelude::*;

    fn state(names: &'static [&'static str]) -> impl Strategy<Value = Value> {
        let target = proptest::sample::select(names);
        prop_oneof![
            (target.clone(), any::<bool>()).prop_map(|(n, end)| if end { json!({"Type": "Pass", "End": true}) } else { json!({"Type": "Pass", "Next": n, "ResultPath": "$.p"}) }),
            (target.clone(), 0u8..3).prop_map(|(n, s)| json!({"Type": "Wait", "Seconds": s, "Next": n})),
            (target.clone(), target.clone(), -2i64..3).prop_map(|(a, b, v)| json!({"Type": "Choice", "Choices": [{"Variable": "$.v", "NumericGreaterThan": v, "Next": a}], "Default": b})),
            (target.clone(), target.clone()).prop_map(|(a, b)| json!({"Type": "Task", "Resource": "x", "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}], "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": b}], "Next": a})),
            Just(json!({"Type": "Fail", "Error": "E"})),
            Just(json!({"Type": "Succeed", "InputPath": "$.missing"})),
            target.clone().prop_map(|n| json!({"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "Next": n})),
            target.prop_map(|n| json!({"Type": "Parallel", "Branches": [{"StartAt": "I", "States": {"I": {"Type": "Fail", "Error": "B"}}}], "Next": n})),
        ]
    }

    const NAMES: &[&str] = &["A", "B", "C", "D"];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn never_panics_and_ends(states in proptest::collection::vec(state(NAMES), 4), v in -3i64..4, items in proptest::collection::vec(0u8..5, 0..4), throw in any::<bool>()) {
            let mut map = serde_json::Map::new();
            for (n, s) in NAMES.iter().zip(states) {
                map.insert((*n).into(), s);
            }
            let def = json!({"StartAt": "A", "States": map});
            let mocks = if throw { json!({"D": [{"Throw": {"Error": "X"}}]}) } else { json!({}) };
            let mocks = TaskMocks::from_lists(&mocks).unwrap();
            let config = SimConfig { mocks, max_transitions: 500, ..SimConfig::default() };
            let t = simulate(&machine(def), json!({"v": v, "items": items}), &config);
            prop_assert!(t.transitions <= 501);
            prop_assert!(!t.events.is_empty());
            let last = &*t.events.last().unwrap().event_type;
            prop_assert!(matches!(last, "ExecutionSucceeded" | "ExecutionFailed" | "ExecutionTimedOut"));
        }
    }
}

// ---- recording levels -----------------------------------------------------------------------------------

#[test]
fn recording_levels_run_the_same_execution() {
    // Concurrent iterations that fail at different virtual times: the error's cause names the event id of the
    // state it happened in, which depends on how the iterations' events interleave.
    let def = json!({
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {
            "StartAt": "W",
            "States": {
                "W": {"Type": "Wait", "SecondsPath": "$.w", "Next": "C"},
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "D"}],
                      "Default": "Bad"},
                "Bad": {"Type": "Pass", "InputPath": "$.missing", "End": true},
                "D": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($.w, 1)"}, "End": true}
            }}, "End": true}}
    });
    let items = json!({"items": [
        {"w": 5, "ok": true}, {"w": 3, "ok": false}, {"w": 1, "ok": false}, {"w": 2, "ok": true}
    ]});
    let m = machine(def.clone());
    same_at_every_level("failing map", &m, items, &SimConfig::default());
    let t = run_with(
        def.clone(),
        json!({"items": [{"w": 5, "ok": true}, {"w": 3, "ok": false}, {"w": 1, "ok": false}]}),
        json!({}),
    );
    assert_eq!(t.status, Status::Failed);
    assert!(
        t.cause
            .as_deref()
            .unwrap_or("")
            .contains("entered at the event id #"),
        "{:?}",
        t.cause
    );
    let ok = json!({"items": [{"w": 5, "ok": true}, {"w": 1, "ok": true}]});
    same_at_every_level("succeeding map", &m, ok, &SimConfig::default());
    // Parallel branches and a caught, retried task.
    let par = json!({
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 2, "Next": "A2"},
                                        "A2": {"Type": "Pass", "InputPath": "$.nope", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}], "End": true}}}
        ], "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "S"}], "Next": "S"},
        "S": {"Type": "Succeed"}}
    });
    same_at_every_level(
        "parallel",
        &machine(par),
        json!({"x": 1}),
        &SimConfig::default(),
    );
}

#[test]
fn recording_levels_run_the_same_workloads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/workloads");
    let config = SimConfig {
        max_transitions: 10_000_000,
        ..SimConfig::default()
    };
    for name in ["loop-100k", "map-10k", "parallel-8x1k"] {
        let bytes = std::fs::read(dir.join(format!("{name}.asl.json"))).expect("workload");
        let doc =
            Document::from_bytes(&bytes, statewright::asl::SourceFormat::Json).expect("parses");
        let input: Value = serde_json::from_slice(
            &std::fs::read(dir.join(format!("{name}.input.json"))).expect("input"),
        )
        .expect("json");
        same_at_every_level(name, &doc.machine, input, &config);
    }
}

/// The three service integration patterns: request-response, `.sync` (run a job) and `.waitForTaskToken`
/// (callback): AWS records `TaskSubmitted` for the two that wait, and `$$.Task.Token` exists only for the callback.
#[test]
fn integration_patterns_and_task_token() {
    let task = |resource: &str, params: Value| json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "Parameters": params, "End": true}}});
    let types = |t: &Trace| -> Vec<String> {
        t.events
            .iter()
            .filter(|e| e.path.state_name() == Some("T"))
            .map(|e| e.event_type.to_string())
            .collect()
    };
    let plain = run_with(
        task("arn:aws:states:::sns:publish", json!({"m": 1})),
        json!({}),
        json!({}),
    );
    assert_eq!(
        types(&plain),
        [
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited"
        ]
    );
    let sync = run_with(
        task("arn:aws:states:::glue:startJobRun.sync", json!({"m": 1})),
        json!({}),
        json!({}),
    );
    assert_eq!(
        types(&sync),
        [
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited"
        ]
    );
    let callback = run_with(
        task(
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            json!({"token.$": "$$.Task.Token"}),
        ),
        json!({}),
        json!({}),
    );
    assert_eq!(callback.status, Status::Succeeded);
    assert!(types(&callback).contains(&"TaskSubmitted".to_owned()));
    let token = callback.output.as_ref().unwrap()["token"].clone();
    assert!(token.as_str().is_some_and(|t| !t.is_empty()), "{token}");
    // Same run, same token: the trace is deterministic.
    let again = run_with(
        task(
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            json!({"token.$": "$$.Task.Token"}),
        ),
        json!({}),
        json!({}),
    );
    assert_eq!(again.output, callback.output);
    // Without the callback pattern there is no task token to read.
    fails(
        task(
            "arn:aws:states:::sns:publish",
            json!({"token.$": "$$.Task.Token"}),
        ),
        json!({}),
        json!({}),
        "States.ParameterPathFailure",
    );
}
