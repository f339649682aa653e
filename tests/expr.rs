//! Integration tests of `statewright::expr`: paths, ResultPath, intrinsics, templates. The AWS-recorded
//! Pass-state records are run through these functions in `tests/conformance.rs` (`expr::…`).

use serde_json::{Value, json};
use statewright::expr::{
    ExprError, FUNCTIONS, Path, Rng, Template, check_template, parse_intrinsic, resolve_template,
};

// ---------------------------------------------------------------------------------------------------------
// helpers

fn ctx() -> Value {
    json!({
        "Execution": {"Id": "arn:aws:states:us-east-1:111111111111:execution:sm:exec-1", "Input": {"in": 1},
                      "Name": "exec-1", "RoleArn": "arn:aws:iam::111111111111:role/r", "StartTime": "2024-01-01T00:00:00Z"},
        "State": {"EnteredTime": "2024-01-01T00:00:00Z", "Name": "S", "RetryCount": 0},
        "StateMachine": {"Id": "arn:aws:states:us-east-1:111111111111:stateMachine:sm-a-b", "Name": "sm-a-b"}
    })
}

fn sel(path: &str, data: Value) -> Value {
    Path::parse(path).unwrap().select(&data, &ctx()).unwrap()
}

fn sel_err(path: &str, data: Value) -> String {
    Path::parse(path)
        .unwrap()
        .select(&data, &ctx())
        .unwrap_err()
        .cause
}

fn call(text: &str, data: Value) -> Value {
    parse_intrinsic(text)
        .unwrap()
        .eval(&data, &ctx(), &mut Rng::new(1))
        .unwrap()
}

fn call_err(text: &str, data: Value) -> ExprError {
    parse_intrinsic(text)
        .unwrap()
        .eval(&data, &ctx(), &mut Rng::new(1))
        .unwrap_err()
}

fn set(path: &str, data: Value, v: Value) -> Result<Value, String> {
    let mut d = data;
    Path::parse(path)
        .unwrap()
        .set(&mut d, v)
        .map(|_| d)
        .map_err(|e| e.error)
}

fn tpl(t: Value, data: Value) -> Result<Value, ExprError> {
    resolve_template(&t, &data, &ctx(), &mut Rng::new(1))
}

#[rustfmt::skip]
mod cases {
use super::*;

// ---------------------------------------------------------------------------------------------------------
// paths: parsing

#[test] fn parse_root() { assert!(Path::parse("$").is_ok()); }
#[test] fn parse_context_root() { assert!(Path::parse("$$").unwrap().is_context()); }
#[test] fn parse_hyphen() { assert_eq!(sel("$.input-foo-bar", json!({"input-foo-bar": 1})), json!(1)); }
#[test] fn parse_unicode_name() { assert_eq!(sel("$.café", json!({"café": 1})), json!(1)); }
#[test] fn parse_trailing_dot_fails() { assert!(Path::parse("$.a.").is_err()); }
#[test] fn parse_no_dollar_fails() { assert!(Path::parse("a.b").is_err()); }
#[test] fn parse_empty_fails() { assert!(Path::parse("").is_err()); }
#[test] fn parse_unclosed_bracket_fails() { assert_eq!(Path::parse("$.a[0").unwrap_err().offset, 5); }
#[test] fn parse_unclosed_quote_fails() { assert!(Path::parse("$['a").is_err()); }
#[test] fn parse_space_inside_fails() { assert!(Path::parse("$.a b").is_err()); }
#[test] fn parse_regex_unsupported() { assert!(Path::parse("$[?(@.a =~ /x/)]").is_err()); }
#[test] fn parse_slice_step_unsupported() { assert!(Path::parse("$[0:4:2]").is_err()); }
#[test] fn parse_unknown_function_fails() { assert!(Path::parse("$.a.foo()").is_err()); }
#[test] fn path_garbage_never_panics() { for s in ["$[", "$[?(", "$..", "$.[", "$['\\", "$[?(@.a ==", "$[?(!", "$[-", "$[1:", "$$$", "$[?(@ in [1,)]", "$.é[", "$[?(@.a == 'x\\"] {let _ = Path::parse(s); } }
#[test] fn reference_path_simple() { assert!(Path::parse("$.a['b'][0]").unwrap().is_reference_path()); }
#[test] fn reference_path_root() { assert!(Path::parse("$").unwrap().is_reference_path()); }
#[test] fn reference_path_not_wildcard() { assert!(!Path::parse("$.a[*]").unwrap().is_reference_path()); }
#[test] fn reference_path_not_filter() { assert!(!Path::parse("$.a[?(@.x)]").unwrap().is_reference_path()); }
#[test] fn reference_path_not_descent() { assert!(!Path::parse("$..a").unwrap().is_reference_path()); }
#[test] fn reference_path_not_negative() { assert!(!Path::parse("$.a[-1]").unwrap().is_reference_path()); }
#[test] fn path_display_keeps_text() { assert_eq!(Path::parse(" $.a[0] ").unwrap().to_string(), "$.a[0]"); }

// paths: selection

#[test] fn sel_root() { assert_eq!(sel("$", json!({"a": 1})), json!({"a": 1})); }
#[test] fn sel_dot() { assert_eq!(sel("$.a.b", json!({"a": {"b": 2}})), json!(2)); }
#[test] fn sel_bracket_single() { assert_eq!(sel("$['a']['b c']", json!({"a": {"b c": 2}})), json!(2)); }
#[test] fn sel_bracket_double() { assert_eq!(sel("$[\"a\"]", json!({"a": 3})), json!(3)); }
#[test] fn sel_bracket_escaped_quote() { assert_eq!(sel("$['it\\'s']", json!({"it's": 4})), json!(4)); }
#[test] fn sel_index() { assert_eq!(sel("$.a[1]", json!({"a": [1, 2, 3]})), json!(2)); }
#[test] fn sel_negative_index() { assert_eq!(sel("$.a[-1]", json!({"a": [1, 2, 3]})), json!(3)); }
#[test] fn sel_wildcard_array() { assert_eq!(sel("$.a[*]", json!({"a": [1, 2]})), json!([1, 2])); }
#[test] fn sel_wildcard_object() { assert_eq!(sel("$.*", json!({"a": 1, "b": 2})), json!([1, 2])); }
#[test] fn sel_wildcard_then_field() { assert_eq!(sel("$.a[*].x", json!({"a": [{"x": 1}, {"y": 2}, {"x": 3}]})), json!([1, 3])); }
#[test] fn sel_descent() { assert_eq!(sel("$..x", json!({"x": 1, "a": {"x": 2, "b": [{"x": 3}]}})), json!([1, 2, 3])); }
#[test] fn sel_descent_wildcard() { assert_eq!(sel("$..*", json!({"a": {"b": 1}})), json!([{"b": 1}, 1])); }
#[test] fn sel_descent_index() { assert_eq!(sel("$..[0]", json!({"a": [1, [2]]})), json!([1, 2])); }
#[test] fn sel_slice() { assert_eq!(sel("$[1:3]", json!([0, 1, 2, 3])), json!([1, 2])); }
#[test] fn sel_slice_open_end() { assert_eq!(sel("$[2:]", json!([0, 1, 2, 3])), json!([2, 3])); }
#[test] fn sel_slice_open_start() { assert_eq!(sel("$[:2]", json!([0, 1, 2, 3])), json!([0, 1])); }
#[test] fn sel_slice_negative() { assert_eq!(sel("$[-2:]", json!([0, 1, 2, 3])), json!([2, 3])); }
#[test] fn sel_slice_past_end() { assert_eq!(sel("$[2:99]", json!([0, 1, 2])), json!([2])); }
#[test] fn sel_union_indexes() { assert_eq!(sel("$[0,2]", json!([0, 1, 2])), json!([0, 2])); }
#[test] fn sel_union_names_merge() { assert_eq!(sel("$['a','c']", json!({"a": 1, "b": 2, "c": 3})), json!({"a": 1, "c": 3})); }
#[test] fn sel_filter_eq() { assert_eq!(sel("$.u[?(@.s == 0)]", json!({"u": [{"s": 0}, {"s": 1}]})), json!([{"s": 0}])); }
#[test] fn sel_filter_ne() { assert_eq!(sel("$.u[?(@.s != 0)]", json!({"u": [{"s": 0}, {"s": 1}]})), json!([{"s": 1}])); }
#[test] fn sel_filter_gt() { assert_eq!(sel("$[?(@.p > 10)].n", json!([{"p": 5, "n": "a"}, {"p": 15, "n": "b"}])), json!(["b"])); }
#[test] fn sel_filter_ge_le() { assert_eq!(sel("$[?(@ >= 2 && @ <= 3)]", json!([1, 2, 3, 4])), json!([2, 3])); }
#[test] fn sel_filter_lt_or() { assert_eq!(sel("$[?(@ < 2 || @ > 3)]", json!([1, 2, 3, 4])), json!([1, 4])); }
#[test] fn sel_filter_string() { assert_eq!(sel("$[?(@.c == 'x')]", json!([{"c": "x"}, {"c": "y"}])), json!([{"c": "x"}])); }
#[test] fn sel_filter_double_quoted() { assert_eq!(sel("$[?(@.c == \"y\")]", json!([{"c": "x"}, {"c": "y"}])), json!([{"c": "y"}])); }
#[test] fn sel_filter_exists() { assert_eq!(sel("$[?(@.isbn)]", json!([{"isbn": 1}, {"t": 2}])), json!([{"isbn": 1}])); }
#[test] fn sel_filter_not_exists() { assert_eq!(sel("$[?(!@.isbn)]", json!([{"isbn": 1}, {"t": 2}])), json!([{"t": 2}])); }
#[test] fn sel_filter_parens() { assert_eq!(sel("$[?((@ == 1 || @ == 2) && @ != 2)]", json!([1, 2, 3])), json!([1])); }
#[test] fn sel_filter_root_ref() { assert_eq!(sel("$.a[?(@ == $.k)]", json!({"k": 2, "a": [1, 2]})), json!([2])); }
#[test] fn sel_filter_length_fn() { assert_eq!(sel("$[?(@.t.length() > 1)]", json!([{"t": [1]}, {"t": [1, 2]}])), json!([{"t": [1, 2]}])); }
#[test] fn sel_filter_in() { assert_eq!(sel("$[?(@ in [1, 3])]", json!([1, 2, 3])), json!([1, 3])); }
#[test] fn sel_filter_nin() { assert_eq!(sel("$[?(@ nin [1, 3])]", json!([1, 2, 3])), json!([2])); }
#[test] fn sel_filter_number_string_coercion() { assert_eq!(sel("$[?(@.a == '1')]", json!([{"a": 1}, {"a": 2}])), json!([{"a": 1}])); }
#[test] fn sel_filter_int_float_equal() { assert_eq!(sel("$[?(@ == 1.0)]", json!([1, 2])), json!([1])); }
#[test] fn sel_filter_on_object() { assert_eq!(sel("$.o[?(@.a == 1)]", json!({"o": {"a": 1}})), json!([{"a": 1}])); }
#[test] fn sel_filter_missing_field_ne_true() { assert_eq!(sel("$[?(@.a != 1)]", json!([{"b": 1}])), json!([{"b": 1}])); }
#[test] fn sel_length_function() { assert_eq!(sel("$.a.length()", json!({"a": [1, 2, 3]})), json!(3)); }
#[test] fn sel_context() { assert_eq!(sel("$$.Execution.Name", json!({})), json!("exec-1")); }
#[test] fn sel_context_root() { assert_eq!(sel("$$.State.RetryCount", json!(null)), json!(0)); }
#[test] fn sel_null_value_is_found() { assert_eq!(sel("$.a", json!({"a": null})), json!(null)); }
#[test] fn sel_indefinite_missing_is_empty() { assert_eq!(sel("$.item.items[*]", json!({})), json!([])); }
#[test] fn sel_indefinite_slice_missing_is_empty() { assert_eq!(sel("$.items[1:5].v", json!({})), json!([])); }
#[test] fn sel_missing_leaf_error() { assert_eq!(sel_err("$.NoSuchInputPath", json!({})), "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"); }
#[test] fn sel_missing_mid_error() { assert_eq!(sel_err("$.no.such.result.path", json!({})), "Invalid path '$.no.such.result.path' : Missing property in path $['no']"); }
#[test] fn sel_index_oob_error() { assert_eq!(sel_err("$.a[5]", json!({"a": [1]})), "Invalid path '$.a[5]' : No results for path: $['a'][5]"); }
#[test] fn sel_field_of_scalar_error() { assert!(sel_err("$.a.b", json!({"a": 1})) .contains("Expected to find an object with property ['b'] in path $['a']")); }
#[test] fn sel_error_name_is_runtime() { assert_eq!(Path::parse("$.x") .unwrap() .select(&json!({}), &json!({})) .unwrap_err() .error, "States.Runtime"); }
#[test] fn select_opt_missing() { assert_eq!(Path::parse("$.x") .unwrap() .select_opt(&json!({}), &json!({})), None); }
#[test] fn select_opt_present_null() { assert_eq!(Path::parse("$.x") .unwrap() .select_opt(&json!({"x": null}), &json!({})), Some(json!(null))); }
#[test] fn select_opt_indefinite_empty() { assert_eq!(Path::parse("$.x[*]") .unwrap() .select_opt(&json!({"x": []}), &json!({})), None); }
#[test]
fn deep_data_descent_no_stack_overflow() {
    let mut v = json!(1);
    for _ in 0..5000 {
        v = Value::Array(vec![v]);
    }
    assert_eq!(
        Path::parse("$..[1]")
            .unwrap()
            .select(&v, &json!({}))
            .unwrap(),
        json!([])
    );
    std::mem::forget(v); // dropping a 5000-deep Value recurses inside serde_json; not our code
}

// ResultPath set

#[test] fn set_root_replaces() { assert_eq!(set("$", json!({"a": 1}), json!(5)), Ok(json!(5))); }
#[test] fn set_new_field() { assert_eq!(set("$.r", json!({"a": 1}), json!(5)), Ok(json!({"a": 1, "r": 5}))); }
#[test] fn set_overwrite_field() { assert_eq!(set("$.a", json!({"a": 1}), json!(5)), Ok(json!({"a": 5}))); }
#[test] fn set_creates_intermediates() { assert_eq!(set("$.x.y.z", json!({}), json!(1)), Ok(json!({"x": {"y": {"z": 1}}}))); }
#[test] fn set_into_existing_object() { assert_eq!(set("$.x.y", json!({"x": {"k": 0}}), json!(1)), Ok(json!({"x": {"k": 0, "y": 1}}))); }
#[test] fn set_bracket_name() { assert_eq!(set("$['a b']", json!({}), json!(1)), Ok(json!({"a b": 1}))); }
#[test] fn set_array_index() { assert_eq!(set("$.a[1]", json!({"a": [0, 0]}), json!(1)), Ok(json!({"a": [0, 1]}))); }
#[test] fn set_array_index_oob_fails() { assert_eq!(set("$.a[5]", json!({"a": [0]}), json!(1)), Err("States.ResultPathMatchFailure".into())); }
#[test] fn set_through_scalar_fails() { assert_eq!(set("$.a.b", json!({"a": 1}), json!(1)), Err("States.ResultPathMatchFailure".into())); }
#[test] fn set_into_non_object_root_fails() { assert_eq!(set("$.a", json!("str"), json!(1)), Err("States.ResultPathMatchFailure".into())); }
#[test] fn set_into_array_root_fails() { assert_eq!(set("$.a", json!([1]), json!(1)), Err("States.ResultPathMatchFailure".into())); }
#[test] fn set_wildcard_fails() { assert_eq!(set("$.a[*]", json!({"a": [1]}), json!(1)), Err("States.ResultPathMatchFailure".into())); }
#[test] fn set_context_fails() { assert_eq!(set("$$.a", json!({}), json!(1)), Err("States.ResultPathMatchFailure".into())); }
#[test] fn set_failure_keeps_input() { let mut d = json!({"a": 1}); let _ = Path::parse("$.a.b").unwrap().set(&mut d, json!(2)); assert_eq!(d, json!({"a": 1})); }

// ---------------------------------------------------------------------------------------------------------
// intrinsics: parsing

#[test] fn parse_simple_call() { let c = parse_intrinsic("States.Array(1, 'b')").unwrap(); assert_eq!((c.name.as_str(), c.args.len()), ("States.Array", 2)); }
#[test] fn parse_no_args() { assert_eq!(parse_intrinsic("States.UUID()").unwrap().args.len(), 0); }
#[test] fn parse_whitespace() { assert!(parse_intrinsic("  States.Array( 1 ,  'a' , $.x )  ").is_ok()); }
#[test] fn parse_nested() { assert!(parse_intrinsic("States.Format('{}', States.Array(States.Array()))").is_ok()); }
#[test] fn parse_unterminated_string() { assert!(parse_intrinsic("States.Format('abc)").is_err()); }
#[test] fn parse_missing_paren() { assert!(parse_intrinsic("States.Array(1, 2").is_err()); }
#[test] fn parse_trailing_garbage() { assert!(parse_intrinsic("States.Array() x").is_err()); }
#[test] fn parse_not_states_prefix() { assert_eq!(parse_intrinsic("Foo.Bar()").unwrap_err().offset, 0); }
#[test] fn parse_bad_arg() { assert!(parse_intrinsic("States.Array(@)").is_err()); }
#[test] fn parse_bad_path_arg() { assert!(parse_intrinsic("States.Array($.a[)").is_err()); }
#[test] fn parse_path_with_filter_arg() { assert_eq!(call("States.ArrayLength($.a[?(@ > 1)])", json!({"a": [1, 2, 3]})), json!(2)); }
#[test] fn parse_depth_limit() { let s = format!("{}{}", "States.Array(".repeat(100), ")".repeat(100)); assert!(parse_intrinsic(&s).is_err()); }
#[test] fn parse_depth_64_ok() { let s = format!("{}{}", "States.Array(".repeat(64), ")".repeat(64)); assert!(parse_intrinsic(&s).is_ok()); }
#[test] fn intrinsic_garbage_never_panics() { for s in ["States.", "States.A(", "States.A('", "States.A('\\", "States.A(-", "States.A(1e)", "States.A($", "States.A($[", "States.A(tru)", "States.Aé(", "States.A(,)", "States.A(1,)"] {let _ = parse_intrinsic(s); } }
#[test] fn registry_has_all() { assert_eq!(FUNCTIONS.len(), 18); }

// escapes

#[test] fn escape_quote() { assert_eq!(call("States.Format('it\\'s')", json!({})), json!("it's")); }
#[test] fn escape_braces_literal() { assert_eq!(call("States.Format('\\{\\} and {}', 1)", json!({})), json!("{} and 1")); }
#[test] fn escape_backslash() { assert_eq!(call("States.Format('a\\\\b')", json!({})), json!("a\\b")); }
#[test] fn escape_in_array_arg() { assert_eq!(call("States.Array('\\{x\\}')", json!({})), json!(["{x}"])); }
#[test] fn escape_newline_literal_char() { assert_eq!(call("States.StringSplit('Hello\nWorld', '\n')", json!({})), json!(["Hello", "World"])); }

// static checks

#[test] fn check_ok() { assert!(parse_intrinsic("States.Format('{}', $.a)") .unwrap() .check() .is_empty()); }
#[test] fn check_unknown_function() { assert_eq!(parse_intrinsic("States.Nope()").unwrap().check().len(), 1); }
#[test] fn check_arity() { assert_eq!(parse_intrinsic("States.MathAdd(1)").unwrap().check().len(), 1); }
#[test] fn check_nested_unknown() { assert_eq!(parse_intrinsic("States.Array(States.Foo())") .unwrap() .check() .len(), 1); }
#[test] fn check_format_holes() { assert_eq!(parse_intrinsic("States.Format('{} {}', 1)") .unwrap() .check() .len(), 1); }
#[test] fn check_hash_algorithm() { assert_eq!(parse_intrinsic("States.Hash('x', 'SHA-3')") .unwrap() .check() .len(), 1); }
#[test] fn check_json_merge_deep() { assert_eq!(parse_intrinsic("States.JsonMerge($.a, $.b, true)") .unwrap() .check() .len(), 1); }
#[test] fn check_nesting_over_10() { let s = format!("{}{}", "States.Array(".repeat(11), ")".repeat(11)); assert_eq!(parse_intrinsic(&s).unwrap().check().len(), 1); }

// intrinsics: every function

#[test] fn format_basic() { assert_eq!(call("States.Format('Hello, my name is {}.', $.name)", json!({"name": "Arnav"})), json!("Hello, my name is Arnav.")); }
#[test] fn format_template_from_path() { assert_eq!(call("States.Format($.t, $.n)", json!({"t": "Hi {}", "n": 1})), json!("Hi 1")); }
#[test] fn format_null_number_float() { assert_eq!(call("States.Format('{} {} {}', null, 1, 1.5)", json!({})), json!("null 1 1.5")); }
#[test] fn format_object_java_style() { assert_eq!(call("States.Format('{}', $.o)", json!({"o": {"A": 1, "B": [1, "x"]}})), json!("{A=1, B=[1, x]}")); }
#[test] fn format_too_few_args() { assert_eq!(call_err("States.Format('{} {}', 1)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn format_too_many_args() { assert_eq!(call_err("States.Format('{}', 1, 2)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn format_non_string_template() { assert_eq!(call_err("States.Format(1)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn string_to_json_object() { assert_eq!(call("States.StringToJson($.s)", json!({"s": "{\"foo\": \"bar\"}"})), json!({"foo": "bar"})); }
#[test] fn string_to_json_blank() { assert_eq!(call("States.StringToJson(' ')", json!({})), json!(null)); }
#[test] fn string_to_json_minus_zero() { assert_eq!(call("States.StringToJson('-0')", json!({})), json!(0)); }
#[test] fn string_to_json_invalid() { assert_eq!(call_err("States.StringToJson('{x')", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn string_to_json_non_string() { assert_eq!(call_err("States.StringToJson(1)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn json_to_string_object() { assert_eq!(call("States.JsonToString($.o)", json!({"o": {"foo": "bar", "n": [1, 1.5]}})), json!("{\"foo\":\"bar\",\"n\":[1,1.5]}")); }
#[test] fn json_to_string_float_java() { assert_eq!(call("States.JsonToString($.f)", json!({"f": 1e21})), json!("1.0E21")); }
#[test] fn json_to_string_string() { assert_eq!(call("States.JsonToString('a\"b')", json!({})), json!("\"a\\\"b\"")); }
#[test] fn array_values() { assert_eq!(call("States.Array(1, 'b', true, null, $.x)", json!({"x": [1]})), json!([1, "b", true, null, [1]])); }
#[test] fn array_empty() { assert_eq!(call("States.Array()", json!({})), json!([])); }
#[test] fn array_partition() { assert_eq!(call("States.ArrayPartition($.a, 2)", json!({"a": [1, 2, 3]})), json!([[1, 2], [3]])); }
#[test] fn array_partition_zero() { assert_eq!(call_err("States.ArrayPartition($.a, 0)", json!({"a": [1]})).error, "States.IntrinsicFailure"); }
#[test] fn array_partition_not_array() { assert_eq!(call_err("States.ArrayPartition('x', 1)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn array_contains_true() { assert_eq!(call("States.ArrayContains($.a, $.v)", json!({"a": [[1, 2]], "v": [1, 2]})), json!(true)); }
#[test] fn array_contains_false() { assert_eq!(call("States.ArrayContains($.a, 3)", json!({"a": [1, 2]})), json!(false)); }
#[test] fn array_range_up() { assert_eq!(call("States.ArrayRange(1, 9, 2)", json!({})), json!([1, 3, 5, 7, 9])); }
#[test] fn array_range_down() { assert_eq!(call("States.ArrayRange(5, 1, -2)", json!({})), json!([5, 3, 1])); }
#[test] fn array_range_empty() { assert_eq!(call("States.ArrayRange(5, 1, 1)", json!({})), json!([])); }
#[test] fn array_range_zero_step() { assert_eq!(call_err("States.ArrayRange(1, 5, 0)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn array_range_too_long() { assert_eq!(call_err("States.ArrayRange(1, 1001, 1)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn array_range_1000_ok() { assert_eq!(call("States.ArrayLength(States.ArrayRange(1, 1000, 1))", json!({})), json!(1000)); }
// The developer guide: non-integer numeric arguments are rounded to the nearest integer (halves up, as Java).
#[test] fn array_range_rounds_its_arguments() { assert_eq!(call("States.ArrayRange(1.5, 6.4, 1.5)", json!({})), json!([2, 4, 6])); }
#[test] fn array_range_rounds_paths_too() { assert_eq!(call("States.ArrayRange($.a, $.b, $.c)", json!({"a": -0.5, "b": 2.49, "c": 0.5})), json!([0, 1, 2])); }
#[test] fn array_range_step_rounding_to_zero_fails() { assert_eq!(call_err("States.ArrayRange(1, 5, 0.4)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn array_range_string_fails() { assert_eq!(call_err("States.ArrayRange('1', 5, 1)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn array_partition_rounds_the_chunk_size() { assert_eq!(call("States.ArrayPartition($.a, 1.5)", json!({"a": [1, 2, 3]})), json!([[1, 2], [3]])); }
#[test] fn array_partition_chunk_rounding_to_zero_fails() { assert_eq!(call_err("States.ArrayPartition($.a, 0.49)", json!({"a": [1]})).error, "States.IntrinsicFailure"); }
#[test] fn math_random_rounds_start_and_end() { for s in 0..50 { let v = parse_intrinsic("States.MathRandom(0.5, 2.4)").unwrap().eval(&json!({}), &json!({}), &mut Rng::new(s)).unwrap(); assert_eq!(v, json!(1)); } }
#[test] fn math_add_rounds_half_up() { assert_eq!(call("States.MathAdd($.a, $.b)", json!({"a": -2.5, "b": 2.5})), json!(1)); }
#[test] fn array_get_item_index_is_not_rounded() { assert_eq!(call_err("States.ArrayGetItem($.a, 0.5)", json!({"a": ["x", "y"]})).error, "States.IntrinsicFailure"); }
#[test] fn array_get_item() { assert_eq!(call("States.ArrayGetItem($.a, 1)", json!({"a": ["x", "y"]})), json!("y")); }
#[test] fn array_get_item_oob() { assert_eq!(call_err("States.ArrayGetItem($.a, 2)", json!({"a": ["x", "y"]})).error, "States.IntrinsicFailure"); }
#[test] fn array_get_item_negative() { assert_eq!(call_err("States.ArrayGetItem($.a, -1)", json!({"a": ["x"]})).error, "States.IntrinsicFailure"); }
#[test] fn array_length() { assert_eq!(call("States.ArrayLength($.a)", json!({"a": [1, 2, 3]})), json!(3)); }
#[test] fn array_length_not_array() { assert_eq!(call_err("States.ArrayLength($.a)", json!({"a": "x"})).error, "States.IntrinsicFailure"); }
#[test] fn array_unique() { assert_eq!(call("States.ArrayUnique($.a)", json!({"a": [1, 2, 1, {"a": 1, "b": 2}, {"b": 2, "a": 1}, null, null]})), json!([1, 2, {"a": 1, "b": 2}, null])); }
#[test] fn base64_encode() { assert_eq!(call("States.Base64Encode('Data to encode')", json!({})), json!("RGF0YSB0byBlbmNvZGU=")); }
#[test] fn base64_decode() { assert_eq!(call("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", json!({})), json!("Data to encode")); }
#[test] fn base64_decode_invalid() { assert_eq!(call_err("States.Base64Decode('%%%')", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn base64_encode_too_long() { assert_eq!(call_err("States.Base64Encode($.s)", json!({"s": "a".repeat(10001)})).error, "States.IntrinsicFailure"); }
#[test] fn hash_md5() { assert_eq!(call("States.Hash('input data', 'MD5')", json!({})), json!("812f45842bc6d66ee14572ce20db8e86")); }
#[test] fn hash_sha1() { assert_eq!(call("States.Hash('input data', 'SHA-1')", json!({})), json!("aaff4a450a104cd177d28d18d74485e8cae074b7")); }
#[test] fn hash_sha256() { assert_eq!(call("States.Hash('input data', 'SHA-256')", json!({})), json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")); }
#[test] fn hash_sha384() { assert_eq!(call("States.Hash('input data', 'SHA-384')", json!({})), json!("d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562")); }
#[test] fn hash_sha512() { assert_eq!(call("States.Hash('input data', 'SHA-512')", json!({})), json!("6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4")); }
#[test] fn hash_bad_algorithm() { assert_eq!(call_err("States.Hash('x', 'SHA3')", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn json_merge_shallow() { assert_eq!(call("States.JsonMerge($.a, $.b, false)", json!({"a": {"x": {"p": 1}, "y": 1}, "b": {"x": {"q": 2}}})), json!({"x": {"q": 2}, "y": 1})); }
#[test] fn json_merge_deep_refused() { assert_eq!(call_err("States.JsonMerge($.a, $.a, true)", json!({"a": {}})).error, "States.IntrinsicFailure"); }
#[test] fn json_merge_not_object() { assert_eq!(call_err("States.JsonMerge($.a, 1, false)", json!({"a": {}})).error, "States.IntrinsicFailure"); }
#[test] fn math_random_in_range() { for s in 0..50 {let v = parse_intrinsic("States.MathRandom(1, 10)") .unwrap() .eval(&json!({}), &json!({}), &mut Rng::new(s)) .unwrap(); assert!((1..10).contains(&v.as_i64().unwrap())); } }
#[test] fn math_random_seeded_deterministic() { assert_eq!(call("States.MathRandom(0, 1000, 42)", json!({})), parse_intrinsic("States.MathRandom(0, 1000, 42)") .unwrap() .eval(&json!({}), &json!({}), &mut Rng::new(99)) .unwrap()); }
#[test] fn math_random_bad_range() { assert_eq!(call_err("States.MathRandom(5, 5)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn math_add() { assert_eq!(call("States.MathAdd(111, -1)", json!({})), json!(110)); }
#[test] fn math_add_rounds_java_style() { assert_eq!(call("States.MathAdd(-2.5, 1.5)", json!({})), json!(0)); }
#[test] fn math_add_out_of_int32() { assert_eq!(call_err("States.MathAdd(2147483648, 1)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn math_add_not_number() { assert_eq!(call_err("States.MathAdd('1', 1)", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn string_split() { assert_eq!(call("States.StringSplit('1,2,3', ',')", json!({})), json!(["1", "2", "3"])); }
#[test] fn string_split_multi_delims() { assert_eq!(call("States.StringSplit('a.b+c', '.+')", json!({})), json!(["a", "b", "c"])); }
#[test] fn string_split_drops_empty() { assert_eq!(call("States.StringSplit(',,a,,', ',')", json!({})), json!(["a"])); }
#[test] fn uuid_v4_shape() { let u = call("States.UUID()", json!({})); let s = u.as_str().unwrap(); assert_eq!((s.len(), &s[14..15]), (36, "4")); }
#[test] fn uuid_deterministic() { assert_eq!(call("States.UUID()", json!({})), call("States.UUID()", json!({}))); }
#[test] fn nested_calls() { assert_eq!(call("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))", json!({})), json!("b")); }
#[test] fn context_path_arg() { assert_eq!(call("States.Format('{}', $$.Execution.Name)", json!({})), json!("exec-1")); }
#[test] fn whole_input_arg() { assert_eq!(call("States.JsonToString($)", json!({"a": 1})), json!("{\"a\":1}")); }
#[test] fn missing_path_arg_fails() { assert_eq!(call_err("States.Array($.nope)", json!({})).error, "States.Runtime"); }
#[test] fn unknown_function_eval() { assert_eq!(call_err("States.Nope()", json!({})).error, "States.IntrinsicFailure"); }
#[test] fn arity_eval() { assert_eq!(call_err("States.UUID(1)", json!({})).error, "States.IntrinsicFailure"); }

// ---------------------------------------------------------------------------------------------------------
// templates

#[test] fn tpl_static() { assert_eq!(tpl(json!({"a": 1, "b": "$.x"}), json!({})), Ok(json!({"a": 1, "b": "$.x"}))); }
#[test] fn tpl_path() { assert_eq!(tpl(json!({"a.$": "$.x"}), json!({"x": 5})), Ok(json!({"a": 5}))); }
#[test] fn tpl_context() { assert_eq!(tpl(json!({"n.$": "$$.Execution.Name"}), json!({})), Ok(json!({"n": "exec-1"}))); }
#[test] fn tpl_intrinsic() { assert_eq!(tpl(json!({"a.$": "States.Array($.x)"}), json!({"x": 5})), Ok(json!({"a": [5]}))); }
#[test] fn tpl_nested_object() { assert_eq!(tpl(json!({"o": {"p.$": "$.x"}}), json!({"x": 1})), Ok(json!({"o": {"p": 1}}))); }
#[test] fn tpl_objects_in_arrays() { assert_eq!(tpl(json!({"l": [{"p.$": "$.x"}, 2]}), json!({"x": 1})), Ok(json!({"l": [{"p": 1}, 2]}))); }
#[test] fn tpl_indefinite_path() { assert_eq!(tpl(json!({"i.$": "$.items[*]"}), json!({})), Ok(json!({"i": []}))); }
#[test] fn tpl_missing_path() { let e = tpl(json!({"a.$": "$.x"}), json!({"y": 1})).unwrap_err(); assert_eq!((e.error.as_str(), e.cause.as_str()), ("States.ParameterPathFailure", "The JSONPath '$.x' specified for the field 'a.$' could not be found in the input '{\"y\":1}'")); }
#[test] fn tpl_non_string_dollar_value() { assert!(tpl(json!({"a.$": 1}), json!({})).is_err()); }
#[test] fn tpl_intrinsic_failure_kept() { assert_eq!(tpl(json!({"a.$": "States.ArrayLength(1)"}), json!({})) .unwrap_err() .error, "States.IntrinsicFailure"); }
#[test] fn tpl_root_scalar() { assert_eq!(tpl(json!("x"), json!({})), Ok(json!("x"))); }
#[test] fn tpl_compile_once_resolve_many() { let t = Template::compile(&json!({"a.$": "$.x"})).unwrap(); for i in 0..3 {assert_eq!(t.resolve(&json!({"x": i}), &json!({}), &mut Rng::new(0)) .unwrap(), json!({"a": i})); } }
#[test] fn check_template_clean() { assert!(check_template(&json!({"a.$": "$.x", "b": {"c.$": "States.UUID()"}})).is_empty()); }
#[test] fn check_template_bad_path() { assert_eq!(check_template(&json!({"o": {"a.$": "$.x["}}))[0].0, "/o/a.$"); }
#[test] fn check_template_bad_intrinsic() { assert_eq!(check_template(&json!({"a.$": "States.Format('x"}))[0].0, "/a.$"); }
#[test] fn check_template_unknown_fn() { assert_eq!(check_template(&json!({"a.$": "States.Nope()"})).len(), 1); }
#[test] fn check_template_not_string() { assert_eq!(check_template(&json!({"a.$": 3})).len(), 1); }
#[test] fn check_template_not_path_or_call() { assert_eq!(check_template(&json!({"a.$": "hello"})).len(), 1); }
#[test] fn check_template_pointer_escapes() { assert_eq!(check_template(&json!({"a/b": {"c~d.$": 1}}))[0].0, "/a~1b/c~0d.$"); }
#[test] fn check_template_in_array() { assert_eq!(check_template(&json!({"l": [{"a.$": 1}]}))[0].0, "/l/0/a.$"); }
#[test] fn check_template_duplicate_key() { assert_eq!(check_template(&json!({"a": 1, "a.$": "$.x"})).len(), 1); }

}

// ---------------------------------------------------------------------------------------------------------
// robustness: random inputs never panic

#[test]
fn random_inputs_never_panic() {
    const ALPHABET: &[&str] = &[
        "$",
        "$$",
        ".",
        "..",
        "[",
        "]",
        "(",
        ")",
        "?",
        "@",
        "*",
        ":",
        ",",
        "'",
        "\"",
        "\\",
        "-",
        "0",
        "1",
        "a",
        "b",
        " ",
        "==",
        "!=",
        "<",
        ">=",
        "&&",
        "||",
        "!",
        "in",
        " nin ",
        "States.",
        "Format",
        "Array",
        "ArrayRange",
        "MathAdd",
        "StringSplit",
        "Hash",
        "{}",
        "{",
        "}",
        "true",
        "null",
        "1.5e3",
        "é",
        "length()",
        "'MD5'",
    ];
    let data = json!({"a": [1, {"b": 2}, "x"], "b": {"a": null}, "1": -1});
    let mut rng = Rng::new(12345);
    for _ in 0..50_000 {
        let n = 1 + rng.below(16) as usize;
        let prefix =
            ["", "$", "$.a", "States.Array(", "States.Format('{}', "][rng.below(5) as usize];
        let body: String = (0..n)
            .map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize])
            .collect();
        let text = format!("{prefix}{body}");
        if let Ok(p) = Path::parse(&text) {
            let _ = p.select(&data, &ctx());
            let _ = p.select_opt(&data, &ctx());
            let mut d = data.clone();
            let _ = p.set(&mut d, json!(1));
        }
        if let Ok(c) = parse_intrinsic(&text) {
            let _ = c.check();
            let _ = c.eval(&data, &ctx(), &mut rng);
        }
        let _ = check_template(&json!({ "k.$": text }));
    }
}
