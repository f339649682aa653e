//! Every JSONata evaluation is bounded: hostile built-in arguments, strings and values that grow without
//! bound, deep recursion, long loops and huge sequences end in a clean error (never a hang, an abort or a
//! panic), and the guards change no result of a legitimate expression.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use statewright::expr::Rng;
use statewright::expr::jsonata::{Bindings, Cancel, ErrorKind, Jsonata, JsonataError, Limits};

fn eval_limited(src: &str, limits: &Limits) -> Result<Option<Value>, JsonataError> {
    Jsonata::parse(src)?.eval(&Bindings::new(), limits, &mut Rng::new(1))
}

fn eval(src: &str) -> Result<Option<Value>, JsonataError> {
    eval_limited(src, &Limits::default())
}

/// `src` fails with a bound ([`ErrorKind::Limit`]) quickly.
fn limited(src: &str) -> JsonataError {
    let start = Instant::now();
    let e = eval(src).expect_err(src);
    assert_eq!(e.kind, ErrorKind::Limit, "{src}: {e:?}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{src}: took {:?}",
        start.elapsed()
    );
    e
}

fn value(src: &str) -> Value {
    eval(src)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
        .unwrap_or_else(|| panic!("{src}: undefined"))
}

#[test]
fn pad_with_a_huge_width_is_refused() {
    for src in [
        "$pad('x', 1e300)",
        "$pad('x', -1e300)",
        "$pad('x', 1e9)",
        "($s := 'x'; $s.$pad(1e300))",
    ] {
        let e = limited(src);
        assert!(e.message.contains("would exceed the limit"), "{src}: {e}");
    }
    // Ordinary widths are untouched.
    assert_eq!(value("$pad('x', 4, '#')"), json!("x###"));
    assert_eq!(value("$pad('x', -4)"), json!("   x"));
}

#[test]
fn substring_with_huge_indexes_is_what_javascript_gives() {
    assert_eq!(value("$substring('abc', 1e300)"), json!(""));
    assert_eq!(value("$substring('abc', 1, 1e300)"), json!("bc"));
    assert_eq!(value("$substring('abc', -1e300, 1e300)"), json!("abc"));
    assert_eq!(value("$substring('abc', -1e300, 2)"), json!("ab"));
    assert_eq!(value("'abc' ~> $substring(1e300)"), json!(""));
    assert_eq!(
        value("$map(['abc'], function($v){$substring($v, -1, 1e300)})"),
        json!("c")
    );
    // The guard passes non-numbers on: the built-in's own type error stays.
    assert_eq!(
        eval("$substring('abc', 'x')").unwrap_err().code.as_deref(),
        Some("T0410")
    );
}

#[test]
fn other_size_arguments_stay_bounded() {
    assert_eq!(value("$split('a,b', ',', 1e300)"), json!(["a", "b"]));
    assert!(eval("$round(1.5, 1e300)").is_err());
    assert_eq!(value("$round(1.25, 1)"), json!(1.2));
    let long = value("$formatNumber(1e300, '#')");
    assert_eq!(long.as_str().map(str::len), Some(301));
    assert!(value("$formatInteger(1e21, 'w')").as_str().is_some());
    assert_eq!(value("$formatBase(255, 2)"), json!("11111111"));
}

#[test]
fn strings_cannot_grow_without_bound() {
    // Doubling a string: stopped once it passes the limit (at most twice the limit is ever built).
    limited("$reduce([1..40], function($a, $b){$a & $a}, 'x')");
    // $join of a long sequence, or with a long separator, is measured before it is built.
    limited("($s := $pad('', 1000000, 'x'); $join([1..100].$s))");
    limited("($s := $pad('', 1000000, 'x'); $join([1..100].$s, ''))");
    limited("($s := $pad('', 100000, 'x'); $join([1..1000].('a'), $s))");
    // $string of a value shared many times.
    limited("($s := $pad('', 1000000, 'x'); $string([1..100].$s))");
    // A result shared many times inside the engine is not copied out in full.
    limited("($s := $pad('', 1000000, 'x'); [1..100].$s)");
    // Small ones are untouched.
    assert_eq!(value("'a' & 'b' & 1"), json!("ab1"));
    assert_eq!(value("$join(['a', 'b'], ', ')"), json!("a, b"));
    assert_eq!(
        value("$join($join(['a', 'b'], '-') ~> $split('-'), $join(['+', '+']))"),
        json!("a++b")
    );
    assert_eq!(value("$string({'a': [1, 2]})"), json!("{\"a\":[1,2]}"));
    // A smaller limit applies.
    let small = Limits {
        max_string_chars: 10,
        ..Limits::default()
    };
    let e = eval_limited("'abcdef' & 'ghijkl'", &small).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
}

#[test]
fn sequences_are_bounded() {
    for src in ["[1..1e12]", "$count([1..1e12])"] {
        assert_eq!(limited(src).code.as_deref(), Some("D2014"));
    }
    let small = Limits {
        max_sequence: 1000,
        ..Limits::default()
    };
    let e = eval_limited("[1..5000].($ * 2)", &small).unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Limit, Some("D2015"))
    );
    let e = eval_limited("$range(1, 5000)", &small).unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Limit, Some("D2015"))
    );
}

#[test]
fn time_is_bounded() {
    let short = Limits {
        timeout: Some(Duration::from_millis(200)),
        ..Limits::default()
    };
    let start = Instant::now();
    let e = eval_limited("($f := function($n){$f($n + 1)}; $f(0))", &short).unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Limit, Some("D1012"))
    );
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn depth_is_bounded() {
    let src = "($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(100000))";
    let e = eval(src).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit, "{e}");
    let shallow = Limits {
        max_depth: Some(200),
        ..Limits::default()
    };
    let e = eval_limited(
        "($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(1000))",
        &shallow,
    )
    .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Limit, Some("D1011"))
    );
    // Within the bound it works.
    assert_eq!(
        eval_limited(
            "($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(10))",
            &shallow
        )
        .unwrap(),
        Some(json!(10))
    );
}

#[test]
fn deep_values_are_refused_at_the_boundary_without_overflowing_the_stack() {
    let e = eval("$reduce([1..200000], function($a, $b){{'x': $a}}, {})").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.message.contains("nested deeper"), "{e}");
    let ok = value("$reduce([1..900], function($a, $b){{'x': $a}}, {})");
    assert!(ok.is_object());
    // Deep inputs too (deeper than the boundary's 1000 levels; serde_json itself drops values
    // recursively, so not much deeper in a test thread).
    let mut deep = json!(1);
    for _ in 0..1200 {
        deep = json!([deep]);
    }
    let mut b = Bindings::new();
    b.var("deep", &deep);
    let e = Jsonata::parse("$count($deep)")
        .unwrap()
        .eval(&b, &Limits::default(), &mut Rng::new(1))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
}

#[test]
fn a_cancelled_evaluation_stops() {
    let cancel = Cancel::new();
    cancel.cancel();
    let limits = Limits {
        cancel: Some(cancel),
        ..Limits::default()
    };
    let e = eval_limited("($f := function($n){$f($n + 1)}; $f(0))", &limits).unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Limit, Some("U1003"))
    );
}

#[test]
fn deeply_nested_expressions_are_an_error_not_a_crash() {
    let src = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    match Jsonata::parse(&src) {
        Ok(e) => {
            let _ = e.eval(&Bindings::new(), &Limits::default(), &mut Rng::new(1));
        }
        Err(e) => assert!(matches!(
            e.kind,
            ErrorKind::Syntax | ErrorKind::Limit | ErrorKind::Internal
        )),
    }
}
