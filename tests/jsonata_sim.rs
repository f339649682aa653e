//! The simulator in JSONata mode, one scenario per field, each with the result the AWS developer guide documents
//! ("Transforming data with JSONata in Step Functions", "Passing data between states with variables", the state
//! type pages) or that AWS recorded (the conformance records).

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

fn runs(def: Value, input: Value, mocks: Value, output: Value) -> Trace {
    let t = run_with(def, input, mocks);
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
    assert_eq!(t.output, Some(output));
    t
}

fn fails(def: Value, input: Value, mocks: Value, error: &str) -> Trace {
    let t = run_with(def, input, mocks);
    assert_eq!(t.status, Status::Failed, "output {:?}", t.output);
    assert_eq!(t.error.as_deref(), Some(error), "cause {:?}", t.cause);
    t
}

fn jsonata(states: Value) -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": states})
}

#[test]
fn pass_output_is_an_expression_or_a_template_with_expressions() {
    // Guide: a state's output is its Output; any string in it between {% %} is evaluated.
    runs(
        jsonata(json!({"A": {"Type": "Pass", "Output": {
            "total": "{% $states.input.a + $states.input.b %}",
            "list": [1, "{% $states.input.a %}", {"deep": "{% $uppercase('x') %}"}],
            "literal": "$states.input"
        }, "End": true}})),
        json!({"a": 1, "b": 2}),
        json!({}),
        json!({"total": 3, "list": [1, 1, {"deep": "X"}], "literal": "$states.input"}),
    );
    // Output may be any JSON value: the whole field one expression (AWS record merge_with_dynamic_args).
    runs(
        jsonata(
            json!({"A": {"Type": "Pass", "Output": "{% $merge([$states.input.p1, $states.input.p2]) %}", "End": true}}),
        ),
        json!({"p1": {"hello": "world"}, "p2": {"foo": "bar"}}),
        json!({}),
        json!({"hello": "world", "foo": "bar"}),
    );
    // Without Output a Pass state passes its input on; numbers come out as JSON writes them.
    runs(
        jsonata(
            json!({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Output": "{% 6 / 3 %}", "End": true}}),
        ),
        json!({"x": 1}),
        json!({}),
        json!(2),
    );
}

#[test]
fn task_arguments_then_output_with_the_result() {
    // Guide: Arguments (with $states.input) are what the task receives; Output sees $states.result.
    let t = runs(
        jsonata(json!({"A": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {"FunctionName": "f", "Payload": {"n": "{% $states.input.n * 2 %}"}},
            "Output": {"in": "{% $states.input.n %}", "got": "{% $states.result.Payload %}"},
            "End": true
        }})),
        json!({"n": 21}),
        json!({"A": [{"Return": {"Payload": "ok"}}]}),
        json!({"in": 21, "got": "ok"}),
    );
    let scheduled = t
        .events
        .iter()
        .find(|e| e.event_type == "TaskScheduled")
        .expect("scheduled");
    assert_eq!(
        scheduled.input.as_deref(),
        Some(&json!({"FunctionName": "f", "Payload": {"n": 42}}))
    );
    // Without Output the state's output is the task's result.
    runs(
        jsonata(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {}, "End": true}}),
        ),
        json!({"n": 1}),
        json!({"A": [{"Return": {"r": 1}}]}),
        json!({"r": 1}),
    );
}

#[test]
fn assign_takes_effect_after_the_state_and_output_sees_the_old_value() {
    // Guide ("Passing data between states with variables", evaluation order): Assign and Output of one state
    // both see the variables as they were when the state started.
    runs(
        jsonata(json!({
            "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Assign": {"x": "{% $x + 1 %}", "old": "{% $x %}"},
                  "Output": {"seen": "{% $x %}"}, "Next": "C"},
            "C": {"Type": "Pass", "Output": {"x": "{% $x %}", "old": "{% $old %}", "before": "{% $states.input %}"}, "End": true}
        })),
        json!({}),
        json!({}),
        json!({"x": 2, "old": 1, "before": {"seen": 1}}),
    );
}

#[test]
fn undefined_values_raise_query_evaluation_error_with_the_field_path() {
    // AWS records (variables_assign/undefined_reference): the cause names the field path inside the template.
    let t = fails(
        jsonata(
            json!({"A": {"Type": "Pass", "Output": {"result": "{% $doesNotExist %}"}, "End": true}}),
        ),
        json!({}),
        json!({}),
        "States.QueryEvaluationError",
    );
    assert_eq!(
        t.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'A' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined)."
        )
    );
    let t = fails(
        jsonata(json!({"A": {"Type": "Pass", "Assign": {"v": "{% $nope %}"}, "End": true}})),
        json!({}),
        json!({}),
        "States.QueryEvaluationError",
    );
    assert!(
        t.cause
            .unwrap()
            .contains("for the field 'Assign/v' returned nothing")
    );
}

#[test]
fn query_evaluation_error_is_caught_by_states_all() {
    // A Task whose Output fails is caught like any error; the catcher's Output sees $states.errorOutput.
    runs(
        jsonata(json!({
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {},
                  "Output": "{% $states.result.missing %}",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput.Error %}", "Next": "B"}],
                  "End": true},
            "B": {"Type": "Pass", "End": true}
        })),
        json!({}),
        json!({"A": [{"Return": {"r": 1}}]}),
        json!("States.QueryEvaluationError"),
    );
}

#[test]
fn catch_output_and_assign_see_the_error_output_and_the_input() {
    // AWS records error_handling/task_catch_error_output and catch_error_variable_sampling.
    runs(
        jsonata(json!({
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {},
                  "Catch": [{"ErrorEquals": ["States.ALL"],
                             "Assign": {"err": "{% $states.errorOutput %}"},
                             "Output": {"in": "{% $states.input %}"},
                             "Next": "B"}],
                  "End": true},
            "B": {"Type": "Pass", "Output": {"in": "{% $states.input.in %}", "err": "{% $err %}"}, "End": true}
        })),
        json!({"k": 1}),
        json!({"A": [{"Throw": {"Error": "Boom", "Cause": "bad"}}]}),
        json!({"in": {"k": 1}, "err": {"Error": "Boom", "Cause": "bad"}}),
    );
    // Without Output a catcher passes the error output on.
    runs(
        jsonata(json!({
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Catch": [{"ErrorEquals": ["Boom"], "Next": "B"}], "End": true},
            "B": {"Type": "Pass", "End": true}
        })),
        json!({}),
        json!({"A": [{"Throw": {"Error": "Boom", "Cause": "bad"}}]}),
        json!({"Error": "Boom", "Cause": "bad"}),
    );
}

#[test]
fn choice_condition_with_rule_and_default_output_and_assign() {
    // AWS records jsonata/output_in_choice and variables_assign/assign_in_choice.
    let def = jsonata(json!({
        "A": {"Type": "Choice",
              "Choices": [{"Condition": "{% $states.input.n > 10 %}", "Next": "Big",
                           "Output": "big", "Assign": {"which": "rule"}}],
              "Default": "Small", "Output": "small", "Assign": {"which": "default"}},
        "Big": {"Type": "Pass", "Output": {"in": "{% $states.input %}", "which": "{% $which %}"}, "End": true},
        "Small": {"Type": "Pass", "Output": {"in": "{% $states.input %}", "which": "{% $which %}"}, "End": true}
    }));
    runs(
        def.clone(),
        json!({"n": 11}),
        json!({}),
        json!({"in": "big", "which": "rule"}),
    );
    runs(
        def,
        json!({"n": 1}),
        json!({}),
        json!({"in": "small", "which": "default"}),
    );
    // A Condition that is not a boolean is a QueryEvaluationError.
    let t = fails(
        jsonata(
            json!({"A": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.n %}", "Next": "B"}], "Default": "B"},
                       "B": {"Type": "Succeed"}}),
        ),
        json!({"n": 3}),
        json!({}),
        "States.QueryEvaluationError",
    );
    assert!(
        t.cause
            .unwrap()
            .contains("Expected 'boolean', but was 'number'")
    );
    // No rule matches and no Default.
    fails(
        jsonata(
            json!({"A": {"Type": "Choice", "Choices": [{"Condition": "{% false %}", "Next": "B"}]},
                       "B": {"Type": "Succeed"}}),
        ),
        json!({}),
        json!({}),
        "States.NoChoiceMatched",
    );
}

#[test]
fn map_items_and_item_selector() {
    // Guide (Map state, JSONata): Items gives the array; ItemSelector sees $states.context.Map.Item.
    runs(
        jsonata(json!({"A": {
            "Type": "Map",
            "Items": "{% $states.input.xs %}",
            "ItemSelector": {"v": "{% $states.context.Map.Item.Value * 10 %}", "i": "{% $states.context.Map.Item.Index %}"},
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $states.input.v + $states.input.i %}", "End": true}}},
            "Output": {"sum": "{% $sum($states.result) %}"},
            "End": true
        }})),
        json!({"xs": [1, 2, 3]}),
        json!({}),
        json!({"sum": 63}),
    );
    // Items as a literal array with expressions inside (AWS record jsonata/base_map-ITEMS).
    runs(
        jsonata(
            json!({"A": {"Type": "Map", "Items": [1, "{% $number(\"2\") %}", 3], "MaxConcurrency": "{% 1 %}",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}),
        ),
        json!({}),
        json!({}),
        json!([1, 2, 3]),
    );
    // Items that are not an array (AWS record map/map_state_items_eval_jsonata_fail-object).
    let t = fails(
        jsonata(json!({"A": {"Type": "Map", "Items": "{% {'foo': 'bar'} %}",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}})),
        json!({}),
        json!({}),
        "States.QueryEvaluationError",
    );
    assert_eq!(
        t.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'A' (entered at the event id #2). The JSONata expression '{'foo': 'bar'}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}"
        )
    );
    // Iterations read the outer variables.
    runs(
        jsonata(json!({
            "A": {"Type": "Pass", "Assign": {"k": 100}, "Next": "M"},
            "M": {"Type": "Map", "Items": [1, 2],
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $states.input + $k %}", "End": true}}},
                  "End": true}
        })),
        json!({}),
        json!({}),
        json!([101, 102]),
    );
}

#[test]
fn wait_seconds_and_timestamp_expressions() {
    let t = runs(
        jsonata(json!({"A": {"Type": "Wait", "Seconds": "{% $states.input.s %}", "End": true}})),
        json!({"s": 5}),
        json!({}),
        json!({"s": 5}),
    );
    let start = t.events.first().unwrap().timestamp.0;
    let end = t.events.last().unwrap().timestamp.0;
    assert_eq!(end - start, 5000);
    // AWS record wait/wait_timestamp_jsonata-NO_Z.
    let t = fails(
        jsonata(json!({"A": {"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": true}})),
        json!({"t": "2016-12-05T21:29:29"}),
        json!({}),
        "States.QueryEvaluationError",
    );
    assert_eq!(
        t.cause.as_deref(),
        Some(
            "An error occurred while executing the state 'A' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05T21:29:29"
        )
    );
}

#[test]
fn fail_error_and_cause_expressions() {
    let t = fails(
        jsonata(
            json!({"A": {"Type": "Fail", "Error": "{% $states.input.e %}", "Cause": "{% 'because ' & $states.input.c %}"}}),
        ),
        json!({"e": "Custom", "c": "x"}),
        json!({}),
        "Custom",
    );
    assert_eq!(t.cause.as_deref(), Some("because x"));
}

#[test]
fn mixed_machines_hand_data_between_the_query_languages() {
    // A JSONPath machine with one JSONata state, and back (AWS records jsonata/output_to_state-*).
    runs(
        json!({"StartAt": "P1", "States": {
            "P1": {"Type": "Pass", "Parameters": {"v.$": "$.a"}, "Next": "J"},
            "J": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"w": "{% $states.input.v * 2 %}"}, "Next": "P2"},
            "P2": {"Type": "Pass", "InputPath": "$.w", "End": true}
        }}),
        json!({"a": 4}),
        json!({}),
        json!(8),
    );
}

#[test]
fn fields_of_the_other_language_or_unknown_fields_refuse_the_run_before_it_starts() {
    for (def, what) in [
        (
            jsonata(json!({"A": {"Type": "Pass", "InputPath": "$.x", "End": true}})),
            "'InputPath' is JSONPath-only",
        ),
        (
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {"a": 1}, "End": true}}}),
            "'Output' is JSONata-only",
        ),
        (
            jsonata(json!({"A": {"Type": "Pass", "Output": "{% $states.input. %}", "End": true}})),
            "is invalid",
        ),
        (
            jsonata(json!({"A": {"Type": "Pass", "Bogus": 1, "End": true}})),
            "'Bogus' is not a field",
        ),
    ] {
        let t = fails(def, json!({}), json!({}), "States.Runtime");
        let cause = t.cause.unwrap_or_default();
        assert!(cause.contains(what), "{cause}");
        assert!(cause.contains("State 'A'"), "{cause}");
        // Refused before running: no state was entered.
        assert!(
            !t.events
                .iter()
                .any(|e| e.event_type.ends_with("StateEntered")),
            "{:?}",
            t.events.iter().map(|e| &e.event_type).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_trace_shows_what_arguments_output_and_assign_evaluated_to() {
    let t = runs(
        jsonata(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {"x": "{% $states.input.x %}"}, "Assign": {"y": "{% $states.result.r %}"},
            "Output": {"z": "{% $states.result.r + 1 %}"}, "End": true}}),
        ),
        json!({"x": 1}),
        json!({"A": [{"Return": {"r": 5}}]}),
        json!({"z": 6}),
    );
    let exited = t
        .events
        .iter()
        .find(|e| e.event_type == "TaskStateExited")
        .expect("exited");
    let stages = exited
        .stages
        .as_ref()
        .expect("stages at the full recording level");
    assert_eq!(stages.arguments.as_deref(), Some(&json!({"x": 1})));
    assert_eq!(stages.assign.as_deref(), Some(&json!({"y": 5})));
    assert_eq!(stages.output.as_deref(), Some(&json!({"z": 6})));
    assert_eq!(stages.result.as_deref(), Some(&json!({"r": 5})));
}

#[test]
fn parallel_branches_read_outer_variables_and_keep_their_own() {
    // Guide (variable scope): a branch reads the outer variables; what it assigns stays in the branch (data
    // leaves through the branch's output).
    runs(
        jsonata(json!({
            "A": {"Type": "Pass", "Assign": {"base": 10}, "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "B1", "States": {
                    "B1": {"Type": "Pass", "Assign": {"inner": "{% $base + 1 %}"}, "Next": "B2"},
                    "B2": {"Type": "Pass", "Output": "{% $inner %}", "End": true}}},
                {"StartAt": "C1", "States": {"C1": {"Type": "Pass", "Output": "{% $base * 2 %}", "End": true}}}
            ], "Next": "After"},
            "After": {"Type": "Pass", "Output": {"r": "{% $states.input %}", "inner": "{% $exists($inner) %}"}, "End": true}
        })),
        json!({}),
        json!({}),
        json!({"r": [11, 20], "inner": false}),
    );
}

#[test]
fn jsonpath_assign_is_read_by_a_jsonata_state_and_back() {
    // AWS record jsonata/variable_sampling-JSONPATH_ASSIGN_JSONATA_REF: variables cross the query languages.
    runs(
        json!({"StartAt": "P", "States": {
            "P": {"Type": "Pass", "Assign": {"answer.$": "$.n"}, "Next": "J"},
            "J": {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"twice": "{% $answer * 2 %}"}, "Next": "Q"},
            "Q": {"Type": "Pass", "Parameters": {"a.$": "$answer", "t.$": "$twice"}, "End": true}
        }}),
        json!({"n": 21}),
        json!({}),
        json!({"a": 21, "t": 42}),
    );
}
