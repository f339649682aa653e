//! Structure-aware (via `arbitrary`) state machines and inputs → validate → simulate. Nothing may panic, hang
//! or overflow, and a run is reproducible (same machine, input and config ⇒ the same trace).
//!
//! The generator builds small machines of every state type in both query languages: JSONPath paths and
//! intrinsic calls and JSONata expressions from small grammars, `Assign` with a small pool of variable names,
//! Retry/Catch, Choice rules, Parallel branches and Map processors (nested two deep), and transitions among a
//! fixed pool of state names (so loops, unreachable states and dangling targets all occur). Tasks are left
//! unmocked (the simulator echoes their input); a transition cap bounds every run.
#![no_main]

use libfuzzer_sys::arbitrary::{Arbitrary, Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};
use statewright::asl::StateMachine;
use statewright::json::Json;
use statewright::sim::{Record, SimConfig, simulate};

#[derive(Debug)]
struct Case {
    definition: Value,
    input: Value,
    seed: u64,
}

impl<'a> Arbitrary<'a> for Case {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let jsonata = u.ratio(1, 3)?;
        let mut definition = machine(u, jsonata, 0)?;
        if jsonata && let Value::Object(m) = &mut definition {
            m.insert("QueryLanguage".into(), json!("JSONata"));
        }
        Ok(Case {
            definition,
            input: value(u, 0)?,
            seed: u.arbitrary()?,
        })
    }
}

const NAMES: &[&str] = &["A", "B", "C", "D", "E"];
const VARS: &[&str] = &["x", "y", "count", "states", "1bad", "z"];
const KEYS: &[&str] = &["a", "b", "n", "s", "items", "flag"];

fn pick<'a, T: Copy>(u: &mut Unstructured<'a>, items: &[T]) -> Result<T> {
    Ok(*u.choose(items)?)
}

/// A small JSON value: numbers (integral, fractional, huge), strings, booleans, null, arrays, objects.
fn value(u: &mut Unstructured, depth: usize) -> Result<Value> {
    let max = if depth >= 3 { 5 } else { 8 };
    Ok(match u.int_in_range(0..=max)? {
        0 => Value::Null,
        1 => json!(u.arbitrary::<bool>()?),
        2 => json!(u.int_in_range(-3i64..=12)?),
        3 => json!(pick(u, &[0.5, -1.25, 1e21, 2.5e-7, 9007199254740993.0])?),
        4 => json!(pick(u, &["", "a,b,c", "{\"k\":1}", "héllo", "2024-01-01T00:00:00Z", "States.ALL"])?),
        5 => json!(u.int_in_range(0i64..=3)?),
        6 | 7 => {
            let n = u.int_in_range(0..=3)?;
            Value::Array((0..n).map(|_| value(u, depth + 1)).collect::<Result<_>>()?)
        }
        _ => {
            let n = u.int_in_range(0..=4)?;
            let mut m = Map::new();
            for _ in 0..n {
                m.insert(pick(u, KEYS)?.into(), value(u, depth + 1)?);
            }
            Value::Object(m)
        }
    })
}

fn path(u: &mut Unstructured) -> Result<String> {
    Ok(pick(
        u,
        &[
            "$", "$.a", "$.n", "$.s", "$.items", "$.items[0]", "$.items[*]", "$.b.a", "$..a", "$x", "$x.a",
            "$count", "$$.Execution.Id", "$$.Map.Item.Value", "$$.State.RetryCount", "$.items[?(@.n > 1)]",
            "$.items.length()", "$.nope",
        ],
    )?
    .to_owned())
}

fn intrinsic(u: &mut Unstructured, depth: usize) -> Result<String> {
    let arg = |u: &mut Unstructured| -> Result<String> {
        if depth < 2 && u.ratio(1, 4)? {
            intrinsic(u, depth + 1)
        } else if u.ratio(1, 2)? {
            path(u)
        } else {
            Ok(pick(u, &["1", "2.5", "-3", "'x'", "'{}'", "null", "true", "'a,b'"])?.to_owned())
        }
    };
    let (name, arity) = pick(
        u,
        &[
            ("States.Format", 2),
            ("States.StringToJson", 1),
            ("States.JsonToString", 1),
            ("States.Array", 2),
            ("States.ArrayPartition", 2),
            ("States.ArrayContains", 2),
            ("States.ArrayRange", 3),
            ("States.ArrayGetItem", 2),
            ("States.ArrayLength", 1),
            ("States.ArrayUnique", 1),
            ("States.Base64Encode", 1),
            ("States.Base64Decode", 1),
            ("States.Hash", 2),
            ("States.JsonMerge", 3),
            ("States.MathRandom", 2),
            ("States.MathAdd", 2),
            ("States.StringSplit", 2),
            ("States.UUID", 0),
        ],
    )?;
    let mut args = Vec::new();
    for i in 0..arity {
        if name == "States.Format" && i == 0 {
            args.push("'{} and {}'".to_owned());
        } else if name == "States.Hash" && i == 1 {
            args.push(pick(u, &["'SHA-1'", "'MD5'", "'nope'"])?.to_owned());
        } else {
            args.push(arg(u)?);
        }
    }
    Ok(format!("{name}({})", args.join(", ")))
}

/// A JSONata expression from a small grammar (not always well-formed: a few broken ones on purpose).
fn expr(u: &mut Unstructured, depth: usize) -> Result<String> {
    if depth >= 3 || u.ratio(1, 3)? {
        return Ok(pick(
            u,
            &[
                "$states.input", "$states.input.a", "$states.input.n", "$states.input.items",
                "$states.result", "$states.errorOutput", "$states.context.Execution.Id",
                "$states.context.Map.Item.Value", "$x", "$count", "$y.a", "1", "0", "-2.5", "1e300", "'s'",
                "\"t\"", "true", "null", "[1, 2, 3]", "{'k': 1}", "$uuid()", "$random()", "$now()",
                "$millis()", "undefined_name", "(", "$states.input.items[0]",
            ],
        )?
        .to_owned());
    }
    let a = expr(u, depth + 1)?;
    let b = expr(u, depth + 1)?;
    Ok(match u.int_in_range(0..=17)? {
        0 => format!("{a} + {b}"),
        1 => format!("{a} * {b}"),
        2 => format!("{a} & {b}"),
        3 => format!("{a} = {b}"),
        4 => format!("({a} > {b}) and $exists({b})"),
        5 => format!("{a} ? {b} : {a}"),
        6 => format!("$count({a})"),
        7 => format!("$sum({a})"),
        8 => format!("$string({a})"),
        9 => format!("$map({a}, function($v) {{ $v }})"),
        10 => format!("$partition({a}, {b})"),
        11 => format!("$range(0, {b}, 1)"),
        12 => format!("$hash($string({a}))"),
        13 => format!("$parse($string({a}))"),
        14 => format!("{{'r': {a}, 'q': {b}}}"),
        15 => format!("($t := {a}; $t)"),
        16 => format!("$random({b})"),
        _ => format!("[{a}, {b}][0]"),
    })
}

fn jsonata(u: &mut Unstructured) -> Result<String> {
    Ok(format!("{{% {} %}}", expr(u, 0)?))
}

/// A payload template: literals, `.$` paths/intrinsics (JSONPath) or `{% %}` strings (JSONata).
fn template(u: &mut Unstructured, jsonata_mode: bool) -> Result<Value> {
    if jsonata_mode && u.ratio(1, 4)? {
        return Ok(json!(jsonata(u)?));
    }
    let n = u.int_in_range(0..=3)?;
    let mut m = Map::new();
    for _ in 0..n {
        let key = pick(u, KEYS)?;
        if jsonata_mode {
            let v = if u.ratio(2, 3)? { json!(jsonata(u)?) } else { value(u, 2)? };
            m.insert(key.into(), v);
        } else if u.ratio(2, 3)? {
            let v = if u.ratio(1, 2)? { path(u)? } else { intrinsic(u, 0)? };
            m.insert(format!("{key}.$"), json!(v));
        } else {
            m.insert(key.into(), value(u, 2)?);
        }
    }
    Ok(Value::Object(m))
}

fn assign(u: &mut Unstructured, jsonata_mode: bool) -> Result<Value> {
    let n = u.int_in_range(1..=2)?;
    let mut m = Map::new();
    for _ in 0..n {
        let var = pick(u, VARS)?;
        if jsonata_mode {
            let v = if u.ratio(2, 3)? { json!(jsonata(u)?) } else { value(u, 2)? };
            m.insert(var.into(), v);
        } else if u.ratio(2, 3)? {
            let v = if u.ratio(1, 2)? { path(u)? } else { intrinsic(u, 0)? };
            m.insert(format!("{var}.$"), json!(v));
        } else {
            m.insert(var.into(), value(u, 2)?);
        }
    }
    Ok(Value::Object(m))
}

fn errors(u: &mut Unstructured) -> Result<Value> {
    Ok(json!(pick(
        u,
        &[
            &["States.ALL"][..],
            &["States.TaskFailed"],
            &["States.QueryEvaluationError", "States.Runtime"],
            &["States.IntrinsicFailure"],
            &["Custom.Error"],
            &["States.BranchFailed", "States.ALL"],
        ],
    )?))
}

fn target(u: &mut Unstructured, n: usize) -> Result<String> {
    // Mostly a state of this machine; now and then one that does not exist.
    let i = u.int_in_range(0..=n)?;
    Ok(NAMES.get(i).copied().unwrap_or("Nowhere").to_owned())
}

fn machine(u: &mut Unstructured, jsonata_mode: bool, depth: usize) -> Result<Value> {
    let n = u.int_in_range(1..=NAMES.len())?;
    let mut states = Map::new();
    for (i, name) in NAMES.iter().take(n).enumerate() {
        states.insert((*name).into(), state(u, jsonata_mode, depth, n, i)?);
    }
    Ok(json!({"StartAt": NAMES[0], "States": states}))
}

fn state(u: &mut Unstructured, machine_jsonata: bool, depth: usize, n: usize, i: usize) -> Result<Value> {
    let mut s = Map::new();
    let jsonata_mode = match u.int_in_range(0..=5)? {
        0 => {
            s.insert("QueryLanguage".into(), json!("JSONata"));
            true
        }
        1 if !machine_jsonata => {
            s.insert("QueryLanguage".into(), json!("JSONPath"));
            false
        }
        _ => machine_jsonata,
    };
    let kinds: &[&str] = if depth >= 2 {
        &["Pass", "Task", "Choice", "Wait", "Succeed", "Fail"]
    } else {
        &["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]
    };
    let ty = pick(u, kinds)?;
    s.insert("Type".into(), json!(ty));
    let terminal_next = |u: &mut Unstructured, s: &mut Map<String, Value>| -> Result<()> {
        // Later states more often end, so that most runs finish.
        if i + 1 == n || u.ratio(1, 3)? {
            s.insert("End".into(), json!(true));
        } else {
            s.insert("Next".into(), json!(target(u, n)?));
        }
        Ok(())
    };
    let io = |u: &mut Unstructured, s: &mut Map<String, Value>, result: bool| -> Result<()> {
        if jsonata_mode {
            if u.ratio(1, 2)? {
                s.insert("Output".into(), if u.ratio(1, 2)? { json!(jsonata(u)?) } else { template(u, true)? });
            }
        } else {
            for (field, p) in [("InputPath", 4), ("OutputPath", 4)] {
                if u.ratio(1, p)? {
                    s.insert(field.into(), json!(path(u)?));
                }
            }
            if result && u.ratio(1, 3)? {
                s.insert("ResultPath".into(), json!(pick(u, &["$.r", "$", "$.a.b", "$x"])?));
            }
            if result && u.ratio(1, 4)? {
                s.insert("ResultSelector".into(), template(u, false)?);
            }
        }
        if u.ratio(1, 3)? {
            s.insert("Assign".into(), assign(u, jsonata_mode)?);
        }
        Ok(())
    };
    let retry_catch = |u: &mut Unstructured, s: &mut Map<String, Value>| -> Result<()> {
        if u.ratio(1, 3)? {
            let mut r = Map::new();
            r.insert("ErrorEquals".into(), errors(u)?);
            r.insert("MaxAttempts".into(), json!(u.int_in_range(0..=3)?));
            r.insert("IntervalSeconds".into(), json!(u.int_in_range(1..=3)?));
            if u.ratio(1, 2)? {
                r.insert("BackoffRate".into(), json!(pick(u, &[1.0, 2.0, 1.5])?));
            }
            if u.ratio(1, 3)? {
                r.insert("JitterStrategy".into(), json!("FULL"));
                r.insert("MaxDelaySeconds".into(), json!(5));
            }
            s.insert("Retry".into(), json!([r]));
        }
        if u.ratio(1, 3)? {
            let mut c = Map::new();
            c.insert("ErrorEquals".into(), errors(u)?);
            c.insert("Next".into(), json!(target(u, n)?));
            if jsonata_mode {
                if u.ratio(1, 2)? {
                    c.insert("Output".into(), json!(jsonata(u)?));
                }
            } else if u.ratio(1, 2)? {
                c.insert("ResultPath".into(), json!(pick(u, &["$.error", "$", "$x"])?));
            }
            if u.ratio(1, 3)? {
                c.insert("Assign".into(), assign(u, jsonata_mode)?);
            }
            s.insert("Catch".into(), json!([c]));
        }
        Ok(())
    };
    match ty {
        "Pass" => {
            if u.ratio(1, 3)? {
                if jsonata_mode {
                    s.insert("Output".into(), template(u, true)?);
                } else if u.ratio(1, 2)? {
                    s.insert("Result".into(), value(u, 1)?);
                } else {
                    s.insert("Parameters".into(), template(u, false)?);
                }
            }
            io(u, &mut s, true)?;
            terminal_next(u, &mut s)?;
        }
        "Task" => {
            s.insert(
                "Resource".into(),
                json!(pick(u, &["arn:aws:states:::lambda:invoke", "arn:aws:lambda:us-east-1:111111111111:function:f", "arn:aws:states:::dynamodb:getItem"])?),
            );
            if u.ratio(1, 2)? {
                if jsonata_mode {
                    s.insert("Arguments".into(), template(u, true)?);
                } else {
                    s.insert("Parameters".into(), template(u, false)?);
                }
            }
            if u.ratio(1, 4)? {
                s.insert("TimeoutSeconds".into(), json!(u.int_in_range(1..=5)?));
            }
            io(u, &mut s, true)?;
            retry_catch(u, &mut s)?;
            terminal_next(u, &mut s)?;
        }
        "Choice" => {
            let rules = u.int_in_range(1..=2)?;
            let mut list = Vec::new();
            for _ in 0..rules {
                let mut r = Map::new();
                if jsonata_mode {
                    r.insert("Condition".into(), json!(jsonata(u)?));
                } else {
                    let cmp = match u.int_in_range(0..=5)? {
                        0 => json!({"NumericGreaterThan": u.int_in_range(-1..=5)?}),
                        1 => json!({"StringEquals": "a,b,c"}),
                        2 => json!({"IsPresent": u.arbitrary::<bool>()?}),
                        3 => json!({"BooleanEquals": true}),
                        4 => json!({"NumericEqualsPath": path(u)?}),
                        _ => json!({"IsNumeric": true}),
                    };
                    let mut leaf = cmp.as_object().cloned().unwrap_or_default();
                    leaf.insert("Variable".into(), json!(path(u)?));
                    if u.ratio(1, 4)? {
                        r.insert("Not".into(), Value::Object(leaf));
                    } else {
                        r.extend(leaf);
                    }
                }
                r.insert("Next".into(), json!(target(u, n)?));
                if u.ratio(1, 4)? {
                    r.insert("Assign".into(), assign(u, jsonata_mode)?);
                }
                if jsonata_mode && u.ratio(1, 4)? {
                    r.insert("Output".into(), json!(jsonata(u)?));
                }
                list.push(Value::Object(r));
            }
            s.insert("Choices".into(), Value::Array(list));
            if u.ratio(2, 3)? {
                s.insert("Default".into(), json!(target(u, n)?));
            }
            if u.ratio(1, 4)? {
                s.insert("Assign".into(), assign(u, jsonata_mode)?);
            }
        }
        "Wait" => {
            match (jsonata_mode, u.int_in_range(0..=2)?) {
                (_, 0) => s.insert("Seconds".into(), json!(u.int_in_range(0..=100)?)),
                (true, 1) => s.insert("Seconds".into(), json!(jsonata(u)?)),
                (true, _) => s.insert("Timestamp".into(), json!(jsonata(u)?)),
                (false, 1) => s.insert("SecondsPath".into(), json!(path(u)?)),
                (false, _) => s.insert("TimestampPath".into(), json!(path(u)?)),
            };
            io(u, &mut s, false)?;
            terminal_next(u, &mut s)?;
        }
        "Succeed" => {
            if jsonata_mode && u.ratio(1, 3)? {
                s.insert("Output".into(), json!(jsonata(u)?));
            }
        }
        "Fail" => {
            if jsonata_mode {
                if u.ratio(1, 2)? {
                    s.insert("Error".into(), json!(jsonata(u)?));
                    s.insert("Cause".into(), json!(jsonata(u)?));
                }
            } else if u.ratio(1, 2)? {
                s.insert("ErrorPath".into(), json!(path(u)?));
                s.insert("CausePath".into(), json!(if u.ratio(1, 2)? { intrinsic(u, 0)? } else { path(u)? }));
            } else {
                s.insert("Error".into(), json!("Custom.Error"));
                s.insert("Cause".into(), json!("because"));
            }
        }
        "Parallel" => {
            let branches = u.int_in_range(1..=2)?;
            let list = (0..branches)
                .map(|_| machine(u, jsonata_mode, depth + 1))
                .collect::<Result<Vec<_>>>()?;
            s.insert("Branches".into(), Value::Array(list));
            if jsonata_mode && u.ratio(1, 3)? {
                s.insert("Arguments".into(), template(u, true)?);
            }
            io(u, &mut s, true)?;
            retry_catch(u, &mut s)?;
            terminal_next(u, &mut s)?;
        }
        _ => {
            let mut processor = machine(u, jsonata_mode, depth + 1)?;
            if let Value::Object(p) = &mut processor {
                let mode = if u.ratio(1, 4)? { "DISTRIBUTED" } else { "INLINE" };
                p.insert("ProcessorConfig".into(), json!({"Mode": mode, "ExecutionType": "STANDARD"}));
            }
            s.insert("ItemProcessor".into(), processor);
            if jsonata_mode {
                if u.ratio(2, 3)? {
                    s.insert("Items".into(), if u.ratio(1, 2)? { json!(jsonata(u)?) } else { value(u, 1)? });
                }
            } else if u.ratio(2, 3)? {
                s.insert("ItemsPath".into(), json!(path(u)?));
            }
            if u.ratio(1, 3)? {
                s.insert("ItemSelector".into(), template(u, jsonata_mode)?);
            }
            if u.ratio(1, 3)? {
                s.insert("MaxConcurrency".into(), json!(u.int_in_range(0..=3)?));
            }
            if u.ratio(1, 4)? {
                s.insert("ToleratedFailurePercentage".into(), json!(u.int_in_range(0..=100)?));
            }
            io(u, &mut s, true)?;
            retry_catch(u, &mut s)?;
            terminal_next(u, &mut s)?;
        }
    }
    if u.ratio(1, 6)? {
        s.insert("Comment".into(), json!("c"));
    }
    Ok(Value::Object(s))
}

fuzz_target!(|case: Case| {
    let root = Json::from_serde(&case.definition);
    let _ = statewright::validate::validate(&root);
    let Some(machine) = StateMachine::from_json(&root) else {
        return;
    };
    let config = SimConfig {
        seed: case.seed,
        max_transitions: 300,
        record: if case.seed % 2 == 0 { Record::Full } else { Record::Events },
        ..SimConfig::default()
    };
    let first = simulate(&machine, case.input.clone(), &config);
    // Reproducible: the same machine, input and config give the same trace.
    let again = simulate(&machine, case.input, &config);
    assert_eq!(first, again, "two runs of the same case differ");
});
