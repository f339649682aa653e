//! Validator rules for JSONata and variables (issue 10), each with a valid and an invalid case, built from the
//! examples of the AWS developer guide ("Transforming data with JSONata in Step Functions", "Passing data
//! between states with variables", the state type pages) where it has them:
//! - `jsonata-syntax` with the line and column of the error inside the string (JSON escapes, YAML scalars);
//! - `query-language`: JSONPath-only fields refused in JSONata states and the JSONata fields in JSONPath ones;
//! - `variable-name`, `variable-size`, `variable-scope`, and the `variable-unassigned` warning.

use statewright::asl::{Document, SourceFormat};
use statewright::validate::{CODES, Diagnostic, Severity, validate_document};

fn diags(text: &str, format: SourceFormat) -> Vec<Diagnostic> {
    let doc = Document::parse(text, format).expect("parses");
    validate_document(&doc)
}

fn json(text: &str) -> Vec<Diagnostic> {
    diags(text, SourceFormat::Json)
}

/// (code, severity, pointer, line, column) of a diagnostic.
type Found = (&'static str, Severity, String, Option<usize>, Option<usize>);

/// Every diagnostic with one of `codes`.
fn found(ds: &[Diagnostic], codes: &[&str]) -> Vec<Found> {
    ds.iter()
        .filter(|d| codes.contains(&d.code))
        .map(|d| {
            (
                d.code,
                d.severity,
                d.pointer.as_str().to_owned(),
                d.line,
                d.column,
            )
        })
        .collect()
}

fn clean(ds: &[Diagnostic]) {
    assert!(ds.is_empty(), "expected no diagnostics, got {ds:#?}");
}

#[test]
fn new_codes_are_documented() {
    for code in [
        "jsonata-syntax",
        "query-language",
        "variable-name",
        "variable-size",
        "variable-scope",
        "variable-unassigned",
    ] {
        assert!(CODES.iter().any(|(c, _)| *c == code), "{code} not in CODES");
    }
}

// ------------------------------------------------------------------------------------------------------
// JSONata syntax, at the character inside the string

#[test]
fn jsonata_guide_examples_validate() {
    // "Transforming data with JSONata": Arguments/Output/Assign with $states, $sum, a Choice Condition.
    clean(&json(
        r#"{
  "QueryLanguage": "JSONata",
  "StartAt": "Get",
  "States": {
    "Get": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"FunctionName": "arn:aws:lambda:us-east-1:111122223333:function:f", "Payload": "{% $states.input %}"},
      "Assign": {"total": "{% $sum($states.result.Payload.prices) %}"},
      "Output": {"greeting": "{% 'Hello ' & $states.input.name %}"},
      "Next": "Check"
    },
    "Check": {
      "Type": "Choice",
      "Choices": [{"Condition": "{% $total > 10 %}", "Next": "Big"}],
      "Default": "Small"
    },
    "Big": {"Type": "Succeed"},
    "Small": {"Type": "Fail", "Error": "Small", "Cause": "{% 'only ' & $string($total) %}"}
  }
}"#,
    ));
}

#[test]
fn jsonata_syntax_error_points_inside_a_json_string() {
    // The value is `{% "a" & $x + ) %}` with the quotes escaped: the ')' is character 15 of the value, but
    // column 33 of the line (two escapes add a character each).
    let text = r#"{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
  "P": {"Type": "Pass", "Output": "{% \"a\" & $states.input + ) %}", "End": true}}}"#;
    let ds = json(text);
    let f = found(&ds, &["jsonata-syntax"]);
    let col = text.lines().nth(1).unwrap().find(") %}").unwrap() + 1;
    assert_eq!(
        f,
        [(
            "jsonata-syntax",
            Severity::Error,
            "/States/P/Output".into(),
            Some(2),
            Some(col)
        )]
    );
    assert!(ds[0].message.contains("S0211"), "{}", ds[0].message);
}

#[test]
fn jsonata_syntax_error_points_inside_a_yaml_block_scalar() {
    let text = "QueryLanguage: JSONata\nStartAt: P\nStates:\n  P:\n    Type: Pass\n    Output: >-\n      {% $sum(\n        [1, 2\n      ) %}\n    End: true\n";
    let ds = diags(text, SourceFormat::Yaml);
    let f = found(&ds, &["jsonata-syntax"]);
    // The ')' on line 9 (the array is not closed): column 7, after the block's 6-space indentation.
    assert_eq!(
        f,
        [(
            "jsonata-syntax",
            Severity::Error,
            "/States/P/Output".into(),
            Some(9),
            Some(7)
        )]
    );
}

#[test]
fn jsonata_syntax_error_inside_a_template_in_yaml() {
    let text = "QueryLanguage: JSONata\nStartAt: P\nStates:\n  P:\n    Type: Pass\n    Output:\n      a: '{% $states.input.(x %}'\n    End: true\n";
    let ds = diags(text, SourceFormat::Yaml);
    let f = found(&ds, &["jsonata-syntax"]);
    // "Unexpected end of expression": at the end of the expression, the closing `%}`.
    let col = text.lines().nth(6).unwrap().find("%}'").unwrap() + 1;
    assert_eq!(
        f,
        [(
            "jsonata-syntax",
            Severity::Error,
            "/States/P/Output/a".into(),
            Some(7),
            Some(col)
        )]
    );
}

// ------------------------------------------------------------------------------------------------------
// Fields per query language

#[test]
fn jsonpath_fields_are_refused_in_jsonata_states() {
    let ds = json(
        r#"{"QueryLanguage": "JSONata", "StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"a.$": "$.a"},
        "InputPath": "$.x", "ResultPath": "$.r", "OutputPath": "$", "ResultSelector": {"b.$": "$.b"}, "Next": "M"},
  "M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "Next": "W"},
  "W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}"#,
    );
    let mut pointers: Vec<String> = found(&ds, &["query-language"])
        .into_iter()
        .map(|f| f.2)
        .collect();
    pointers.sort();
    assert_eq!(
        pointers,
        [
            "/States/M/ItemsPath",
            "/States/T/InputPath",
            "/States/T/OutputPath",
            "/States/T/Parameters",
            "/States/T/ResultPath",
            "/States/T/ResultSelector",
            "/States/W/SecondsPath",
        ]
    );
}

#[test]
fn jsonata_fields_are_refused_in_jsonpath_states() {
    let ds = json(
        r#"{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"a": 1}, "Output": {"b": 2},
        "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "C"}], "Next": "C"},
  "C": {"Type": "Choice", "Choices": [{"Condition": "{% true %}", "Output": {"c": 1}, "Next": "M"}], "Default": "M"},
  "M": {"Type": "Map", "Items": [1, 2], "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}}"#,
    );
    let mut pointers: Vec<String> = found(&ds, &["query-language"])
        .into_iter()
        .map(|f| f.2)
        .collect();
    pointers.sort();
    assert_eq!(
        pointers,
        [
            "/States/C/Choices/0/Condition",
            "/States/C/Choices/0/Output",
            "/States/M/Items",
            "/States/T/Arguments",
            "/States/T/Catch/0/Output",
            "/States/T/Output",
        ]
    );
    // The same fields in a JSONata state (set on the state, in a JSONPath machine) are fine.
    clean(&json(
        r#"{"StartAt": "T", "States": {
  "T": {"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"a": 1},
        "Output": {"b": 2}, "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "C"}], "Next": "C"},
  "C": {"Type": "Choice", "QueryLanguage": "JSONata", "Choices": [{"Condition": "{% true %}", "Next": "M"}], "Default": "M"},
  "M": {"Type": "Map", "QueryLanguage": "JSONata", "Items": [1, 2], "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}}"#,
    ));
}

// ------------------------------------------------------------------------------------------------------
// Variable names, sizes and scopes

#[test]
fn guide_assign_examples_validate() {
    // "Passing data between states with variables": literal values, and JSONPath `.$` keys with a path and an
    // intrinsic call; the variables are read by the next state.
    clean(&json(
        r#"{"StartAt": "Store", "States": {
  "Store": {"Type": "Pass", "Assign": {"productName": "product1", "count": 42, "available": true,
            "x.$": "$.x", "joined.$": "States.Format('{} {}', $.a, $.b)"}, "Next": "Use"},
  "Use": {"Type": "Pass", "Parameters": {"name.$": "$productName", "n.$": "States.MathAdd($count, 1)"}, "Next": "Pick"},
  "Pick": {"Type": "Choice", "Choices": [{"Variable": "$available", "BooleanEquals": true, "Next": "Done"}], "Default": "Done"},
  "Done": {"Type": "Succeed"}}}"#,
    ));
}

#[test]
fn invalid_and_reserved_variable_names() {
    let ds = json(
        r#"{"StartAt": "A", "States": {
  "A": {"Type": "Pass", "Assign": {"states": 1, "1st": 2, "my-var.$": "$.x", "ok_name": 3}, "Next": "B"},
  "B": {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"x.$": "{% 1 %}"}, "End": true}}}"#,
    );
    let mut f: Vec<(String, Severity)> = found(&ds, &["variable-name"])
        .into_iter()
        .map(|f| (f.2, f.1))
        .collect();
    f.sort();
    assert_eq!(
        f,
        [
            ("/States/A/Assign/1st".to_owned(), Severity::Error),
            ("/States/A/Assign/my-var.$".to_owned(), Severity::Error),
            ("/States/A/Assign/states".to_owned(), Severity::Error),
            ("/States/B/Assign/x.$".to_owned(), Severity::Error),
        ]
    );
    assert!(
        ds.iter()
            .any(|d| d.message.contains("'$states' is a reserved variable name"))
    );
}

#[test]
fn literal_values_over_256_kib() {
    let big = "x".repeat(256 * 1024);
    let text = format!(
        r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "Assign": {{"big": "{big}", "small": "{}"}}, "End": true}}}}}}"#,
        &big[..1000]
    );
    let f = found(&json(&text), &["variable-size"]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].2, "/States/A/Assign/big");
}

#[test]
fn inner_scopes_may_read_but_not_assign_outer_variables() {
    let text = |inner_key: &str| {
        format!(
            r#"{{"StartAt": "Init", "States": {{
  "Init": {{"Type": "Pass", "Assign": {{"total": 0}}, "Next": "Par"}},
  "Par": {{"Type": "Parallel", "Branches": [{{"StartAt": "B", "States": {{
      "B": {{"Type": "Pass", "Parameters": {{"t.$": "$total"}}, "Assign": {{"{inner_key}": 1}}, "End": true}}}}}}]
   , "End": true}}}}}}"#
        )
    };
    clean(&json(&text("local")));
    let f = found(&json(&text("total")), &["variable-scope"]);
    assert_eq!(
        f.iter().map(|f| f.2.as_str()).collect::<Vec<_>>(),
        ["/States/Par/Branches/0/States/B/Assign/total"]
    );
}

// ------------------------------------------------------------------------------------------------------
// Reads where a variable may not have been assigned

#[test]
fn read_on_a_path_that_skips_the_assignment_warns() {
    // Only the `Yes` rule assigns $discount; `Apply` is reached from the Default too.
    let text = r#"{"QueryLanguage": "JSONata", "StartAt": "Check", "States": {
  "Check": {"Type": "Choice",
            "Choices": [{"Condition": "{% $states.input.member %}", "Assign": {"discount": 10}, "Next": "Apply"}],
            "Default": "Apply"},
  "Apply": {"Type": "Pass", "Output": {"price": "{% $states.input.price - $discount %}"}, "End": true}}}"#;
    let ds = json(text);
    let f = found(&ds, &["variable-unassigned"]);
    // At the `$discount` inside the string.
    let col = text.lines().nth(4).unwrap().find("$discount").unwrap() + 1;
    assert_eq!(
        f,
        [(
            "variable-unassigned",
            Severity::Warning,
            "/States/Apply/Output/price".into(),
            Some(5),
            Some(col)
        )]
    );
    assert!(!statewright::validate::has_errors(&ds));
    // Assigned on both paths (the state's own Assign goes with the Default): no warning.
    clean(&json(&text.replace(
        r#""Default": "Apply"},"#,
        r#""Default": "Apply", "Assign": {"discount": 0}},"#,
    )));
}

#[test]
fn a_state_does_not_see_its_own_assign() {
    // Assign and Output read the values the state was entered with.
    let ds = json(
        r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
  "A": {"Type": "Pass", "Assign": {"n": 1}, "Output": "{% $n %}", "Next": "B"},
  "B": {"Type": "Pass", "Output": "{% $n + 1 %}", "End": true}}}"#,
    );
    let f = found(&ds, &["variable-unassigned"]);
    assert_eq!(
        f.iter().map(|f| f.2.as_str()).collect::<Vec<_>>(),
        ["/States/A/Output"]
    );
}

#[test]
fn catchers_carry_their_own_assign_and_loops_converge() {
    // JSONPath: the Task's Assign does not run when it fails; the catcher's does. A loop back to the Task
    // keeps what is assigned on every path.
    let ds = json(
        r#"{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Assign": {"tries": 0}, "Next": "Call"},
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"n.$": "$tries"},
           "Assign": {"result.$": "$.Payload"},
           "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"err.$": "$.Error"}, "Next": "Failed"}],
           "Next": "Again"},
  "Again": {"Type": "Choice", "Choices": [{"Variable": "$result", "IsPresent": true, "Next": "Done"}], "Default": "Call"},
  "Failed": {"Type": "Pass", "Parameters": {"e.$": "$err", "r.$": "$result"}, "End": true},
  "Done": {"Type": "Pass", "Parameters": {"r.$": "States.JsonToString($result)"}, "End": true}}}"#,
    );
    let f = found(&ds, &["variable-unassigned"]);
    // $result may be unassigned in Failed (the first call can fail); everything else is assigned.
    assert_eq!(
        f.iter().map(|f| f.2.as_str()).collect::<Vec<_>>(),
        ["/States/Failed/Parameters/r.$"]
    );
}

#[test]
fn inner_scopes_see_what_is_assigned_before_the_parallel_state() {
    let text = |distributed: bool| {
        let config = if distributed {
            r#""ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "#
        } else {
            ""
        };
        format!(
            r#"{{"QueryLanguage": "JSONata", "StartAt": "Init", "States": {{
  "Init": {{"Type": "Pass", "Assign": {{"rate": 2}}, "Next": "Each"}},
  "Each": {{"Type": "Map", "Items": "{{% [1, 2] %}}", "ItemProcessor": {{{config}"StartAt": "Mul", "States": {{
      "Mul": {{"Type": "Pass", "Output": "{{% $states.input * $rate * $unknown %}}", "End": true}}}}}},
   "End": true}}}}}}"#
        )
    };
    let reads = |ds: &[Diagnostic]| -> Vec<String> {
        ds.iter()
            .filter(|d| d.code == "variable-unassigned")
            .map(|d| d.message.split(' ').next().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(reads(&json(&text(false))), ["$unknown"]);
    // A Distributed Map's iterations see no outer variable.
    assert_eq!(reads(&json(&text(true))), ["$rate", "$unknown"]);
}
