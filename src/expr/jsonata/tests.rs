//! Unit tests of the JSONata module: bindings, results, errors, AWS functions and bounds.

use serde_json::{Value, json};

use super::*;

fn eval_with(src: &str, b: &Bindings) -> Result<Option<Value>, JsonataError> {
    Jsonata::parse(src)?.eval(b, &Limits::default(), &mut Rng::new(1))
}

fn eval(src: &str) -> Result<Option<Value>, JsonataError> {
    eval_with(src, &Bindings::new())
}

fn value(src: &str) -> Value {
    eval(src)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
        .unwrap_or_else(|| panic!("{src}: undefined"))
}

fn code(src: &str) -> Option<String> {
    eval(src).expect_err(src).code
}

#[test]
fn states_and_variables_are_bound() {
    let (input, ctx, result, err, x) = (
        json!({"n": 41, "name": "a"}),
        json!({"Execution": {"Name": "e1"}}),
        json!({"r": true}),
        json!({"Error": "E"}),
        json!([1, 2]),
    );
    let mut b = Bindings::new();
    b.states(States {
        input: &input,
        context: &ctx,
        result: Some(&result),
        error_output: Some(&err),
    })
    .var("x", &x);
    let got = eval_with(
        "{'i': $states.input.n + 1, 'c': $states.context.Execution.Name, 'r': $states.result.r, \
         'e': $states.errorOutput.Error, 'x': $sum($x)}",
        &b,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        got,
        json!({"i": 42, "c": "e1", "r": true, "e": "E", "x": 3})
    );
    // Unset parts of $states are undefined; an unbound variable is undefined.
    let mut b2 = Bindings::new();
    b2.states(States {
        input: &input,
        context: &ctx,
        result: None,
        error_output: None,
    });
    assert_eq!(eval_with("$states.result", &b2).unwrap(), None);
    assert_eq!(eval_with("$nope", &b2).unwrap(), None);
    // `$` is undefined unless a context value is given.
    assert_eq!(eval("$").unwrap(), None);
    let mut b3 = Bindings::new();
    b3.context_value(&input);
    assert_eq!(eval_with("name", &b3).unwrap(), Some(json!("a")));
}

#[test]
fn numbers_come_out_as_javascript_writes_them() {
    assert_eq!(value("1.0").to_string(), "1");
    assert_eq!(value("6/3").to_string(), "2");
    assert_eq!(value("10/4").to_string(), "2.5");
    assert_eq!(value("-0").to_string(), "0");
    assert_eq!(
        js_json_text(&value("[2e20, 1e21, 1.5e-7, 0.1+0.2]")).unwrap(),
        "[200000000000000000000,1e+21,1.5e-7,0.30000000000000004]"
    );
    assert_eq!(value("$string(1e21)"), json!("1e+21"));
}

#[test]
fn key_order_is_kept() {
    let v = value("{'b': 1, 'a': 2, 'c': {'z': 1, 'y': 2}}");
    assert_eq!(
        js_json_text(&v).unwrap(),
        r#"{"b":1,"a":2,"c":{"z":1,"y":2}}"#
    );
}

#[test]
fn syntax_errors_have_code_and_position() {
    let e = Jsonata::parse("$states.input.(").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(
        e.code.as_deref().is_some_and(|c| c.starts_with("S02")),
        "{e:?}"
    );
    assert_eq!(e.position, Some(15));
    let e = Jsonata::parse("$foo(1,,2)").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.position, Some(7), "{e:?}");
    let e = Jsonata::parse("'abc").unwrap_err();
    assert_eq!(e.code.as_deref(), Some("S0101"));
    assert_eq!(e.position, Some(4));
    let e = Jsonata::parse("/* open").unwrap_err();
    assert_eq!(e.code.as_deref(), Some("S0106"));
}

#[test]
fn evaluation_errors_have_codes_and_js_wording() {
    let e = eval("$randomSeeded(1)").unwrap_err();
    assert_eq!(e.to_string(), "T1006: Attempted to invoke a non-function");
    assert_eq!(
        eval("1 + 'a'").unwrap_err().to_string(),
        "T2002: The right side of the \"+\" operator must evaluate to a number"
    );
    assert_eq!(
        eval("$number('abc')").unwrap_err().to_string(),
        "D3030: Unable to cast value to a number: \"abc\""
    );
    assert_eq!(code("{1: 2}").as_deref(), Some("T1003"));
    let e = eval("$error('boom')").unwrap_err();
    assert_eq!(e.code.as_deref(), Some("D3137"));
    assert!(e.message.contains("boom"), "{e:?}");
}

#[test]
fn functions_are_an_unsupported_result() {
    let e = eval("$fn := function($x){$x}").unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnsupportedResult);
    // Inside values they follow JSON.stringify.
    assert_eq!(value("{'a': 1, 'f': $sum}"), json!({"a": 1}));
}

#[test]
fn aws_partition() {
    assert_eq!(
        value("$partition([1,2,3,4,5], 2)"),
        json!([[1, 2], [3, 4], [5]])
    );
    assert_eq!(value("$partition([0], 1)"), json!([[0]]));
    assert_eq!(value("$partition([0, 1], 5)"), json!([[0, 1]]));
    assert_eq!(value("$partition([], 2)"), json!([]));
    assert!(eval("$partition([1], 0)").is_err());
    assert!(eval("$partition([1], 'a')").is_err());
    assert_eq!(
        value("[[1,2,3],[4]] ~> $map($partition(?, 2))"),
        json!([[[1, 2], [3]], [[4]]])
    );
}

#[test]
fn aws_range() {
    assert_eq!(value("$range(0, 9, 3)"), json!([0, 3, 6, 9]));
    assert_eq!(value("$range(0, 10, 3)"), json!([0, 3, 6, 9]));
    assert_eq!(value("$range(1, 9, 9)"), json!(1));
    assert_eq!(value("$range(0, 10, 2)"), json!([0, 2, 4, 6, 8, 10]));
    assert_eq!(value("$range(5, 1, -2)"), json!([5, 3, 1]));
    assert_eq!(eval("$range(5, 1, 1)").unwrap(), None);
    assert!(eval("$range(0, 1, 0)").is_err());
    let e = eval("$range(0, 1e12, 1)").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
}

#[test]
fn aws_hash() {
    assert_eq!(
        value("$hash('abc', 'MD5')"),
        json!("900150983cd24fb0d6963f7d28e17f72")
    );
    assert_eq!(
        value("$hash('abc', 'SHA-1')"),
        json!("a9993e364706816aba3e25717850c26c9cd0d89d")
    );
    assert_eq!(
        value("$hash('abc', 'SHA-256')"),
        json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert_eq!(value("$length($hash('abc', 'SHA-384'))"), json!(96));
    assert_eq!(value("$length($hash('abc', 'SHA-512'))"), json!(128));
    assert!(
        eval("$hash('abc', 'SHA-999')")
            .unwrap_err()
            .message
            .contains("SHA-256")
    );
}

#[test]
fn aws_parse() {
    assert_eq!(value("$parse('-0')").to_string(), "0");
    assert_eq!(value("$parse('1.1')"), json!(1.1));
    assert_eq!(
        value("$parse('[1, 2, \"HelloWorld\"]')"),
        json!([1, 2, "HelloWorld"])
    );
    assert_eq!(
        value("$parse('{\"Arg1\": 1, \"Arg2\": []}')"),
        json!({"Arg1": 1, "Arg2": []})
    );
    assert!(eval("$parse('{')").is_err());
}

#[test]
fn aws_random_and_uuid_draw_from_the_injected_rng() {
    let e = Jsonata::parse("[$random(), $random(), $uuid()]").unwrap();
    let run = |seed| {
        e.eval(&Bindings::new(), &Limits::default(), &mut Rng::new(seed))
            .unwrap()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
    let v = run(5).unwrap();
    let (a, b) = (v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
    assert!((0.0..1.0).contains(&a) && (0.0..1.0).contains(&b) && a != b);
    let u = v[2].as_str().unwrap();
    assert_eq!((u.len(), &u[14..15]), (36, "4"));
    // The caller's RNG advances.
    let mut rng = Rng::new(9);
    let before = rng.clone();
    e.eval(&Bindings::new(), &Limits::default(), &mut rng)
        .unwrap();
    assert_ne!(rng, before);
    // Seeded: the same number for the same seed, whatever the RNG.
    let s = Jsonata::parse("$random(42)").unwrap();
    let x = s
        .eval(&Bindings::new(), &Limits::default(), &mut Rng::new(1))
        .unwrap();
    let y = s
        .eval(&Bindings::new(), &Limits::default(), &mut Rng::new(2))
        .unwrap();
    assert_eq!(x, y);
    assert_ne!(value("$random(1)"), value("$random(2)"));
}

#[test]
fn eval_is_refused_as_aws_refuses_it() {
    let e = eval("$eval('1 + 1')").unwrap_err();
    assert_eq!(e.to_string(), "T1006: Attempted to invoke a non-function");
}

#[test]
fn clock_fixes_now_and_millis() {
    let mut b = Bindings::new();
    b.clock(1_700_000_000_123);
    assert_eq!(
        eval_with("[$millis(), $now(), $now('[Y0001]')]", &b).unwrap(),
        Some(json!([
            1_700_000_000_123_i64,
            "2023-11-14T22:13:20.123Z",
            "2023"
        ]))
    );
    // Without a clock they read the system clock.
    assert!(value("$millis()").as_f64().unwrap() > 1.7e12);
}

#[test]
fn only_the_states_fields_read_are_bound() {
    assert_eq!(
        states_fields("$states.input.a + $states.context.b").map(|s| s.len()),
        Some(2)
    );
    assert_eq!(states_fields("$string($states)"), None);
    assert_eq!(states_fields("$states.*"), None);
    let (input, ctx) = (json!({"a": 1}), json!({"c": 2}));
    let mut b = Bindings::new();
    b.states(States {
        input: &input,
        context: &ctx,
        result: None,
        error_output: None,
    });
    assert_eq!(eval_with("$states.input.a", &b).unwrap(), Some(json!(1)));
    assert_eq!(
        eval_with("$keys($states)", &b).unwrap(),
        Some(json!(["input", "context"]))
    );
}

#[test]
fn syntax_error_positions_point_at_the_offending_token() {
    for (src, at) in [
        ("1 + * 2", 6),
        ("foo bar", 4),
        ("{'a': 1,}", 8),
        ("$x := ]", 6),
        ("(\n  $a := 1;\n  $a + )\n)", 20),
        ("'é' & ]", 6),
    ] {
        let e = Jsonata::parse(src).expect_err(src);
        assert_eq!(e.position, Some(at), "{src:?}: {e:?}");
    }
}

#[test]
fn parsed_expressions_can_be_shared_between_threads() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    let e = Jsonata::parse("$states.input.n * 2").unwrap();
    send_sync(&e);
    let input = json!({"n": 21});
    let ctx = json!({});
    let out = std::thread::scope(|s| {
        s.spawn(|| {
            let mut b = Bindings::new();
            b.states(States {
                input: &input,
                context: &ctx,
                result: None,
                error_output: None,
            });
            e.eval(&b, &Limits::default(), &mut Rng::new(1)).unwrap()
        })
        .join()
        .unwrap()
    });
    assert_eq!(out, Some(json!(42)));
    assert_eq!(e.source(), "$states.input.n * 2");
    assert!(e.mentions("states") && !e.mentions("x"));
}

/// The shortcut for simple expressions (`fast`) gives exactly the engine's answers: each case is evaluated
/// both ways (the engine's by dropping the simple form) and the results, errors included, must be equal.
#[test]
fn simple_expressions_answer_as_the_engine_does() {
    let simple = [
        "$states.input.i + 1",
        "$states.input.i < 100000",
        "$states.input.n + $states.input.index",
        "$states.input.i",
        "$states.context.Map.Item.Value",
        "$i",
        "$i + 1",
        "$i < 100000",
        "$i - 2 * $j / 4",
        "$i = $j",
        "$i != 3",
        "$i >= $j",
        "$i <= 0.5",
        "$i > $states.input.i",
        "$i / 0",
        "$states.result.a.b",
        "$states.errorOutput.Error",
        "'item ' & $states.input.n & ' -> ' & $states.input.i",
        "$i & $j",
        "$i & 'x' & 3 & $states.input.a.b",
    ];
    for src in simple {
        assert!(Jsonata::parse(src).unwrap().is_simple(), "{src}");
    }
    for src in [
        "$states",
        "$states.input.i[0]",
        "$states.input.i[]",
        "$i[]",
        "$i.a@$x",
        "$states.input.*",
        "$i /* $j */",
        "-$i",
        "$count($i)",
    ] {
        assert!(!Jsonata::parse(src).unwrap().is_simple(), "{src}");
    }
    let mut deep = json!(1);
    for _ in 0..1005 {
        deep = json!({ "a": deep });
    }
    let values = [
        json!(1),
        json!(-0.0),
        json!(2.5),
        json!(1e308),
        json!(12345678901234567891u64),
        json!("7"),
        json!(null),
        json!(true),
        json!([1, 2]),
        json!([[1]]),
        json!({"i": 3, "a": {"b": [4]}}),
        json!({"i": "3", "n": 1, "index": 2}),
        json!({"n": "a", "i": 999999999999999.0, "a": {"b": "c"}}),
        json!(1e15),
        json!(-123),
        json!({"Error": "E", "i": 1e308}),
        json!({"Map": {"Item": {"Value": {"x": [1, {"y": 2}]}}}}),
        deep,
    ];
    let ctx = json!({"Map": {"Item": {"Value": {"n": 1}, "Index": 0}}});
    let mut compared = 0;
    for src in simple {
        let fast = Jsonata::parse(src).unwrap();
        let engine = Jsonata {
            simple: None,
            ..fast.clone()
        };
        for input in &values {
            for var in &values {
                let mut b = Bindings::new();
                b.states(States {
                    input,
                    context: &ctx,
                    result: Some(input),
                    error_output: Some(var),
                });
                b.var("i", var).var("j", input);
                let run = |e: &Jsonata| {
                    e.eval(&b, &Limits::default(), &mut Rng::new(1))
                        .map_err(|e| e.to_string())
                };
                assert_eq!(run(&fast), run(&engine), "{src} with {input} and {var}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, simple.len() * values.len() * values.len());
    // A variable named `states` wins over `$states`, as in the engine; a later binding wins.
    let e = Jsonata::parse("$states.input + $i").unwrap();
    let (one, two, obj) = (json!(1), json!(2), json!({"input": 40}));
    let mut b = Bindings::new();
    b.states(States {
        input: &one,
        context: &one,
        result: None,
        error_output: None,
    });
    b.var("states", &obj).var("i", &one).var("i", &two);
    assert_eq!(
        e.eval(&b, &Limits::default(), &mut Rng::new(1)).unwrap(),
        Some(json!(42))
    );
}
