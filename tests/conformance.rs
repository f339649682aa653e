//! Runs every AWS-recorded execution in `$STATEWRIGHT_SHARED/conformance/**/*.json` (default `../shared`), one
//! test per record named `conformance::<area>/<record>`. Records the simulator does not reproduce yet are
//! listed, each with its reason, in `tests/expected-failures/conformance.txt`; see `tests/common/gate.rs`.

mod common;

use common::gate::{self, Case, Group};
use serde_json::{Value, json};
use statewright::asl::StateMachine;
use statewright::expr::{ExprError, Path as JsonPath, Rng, resolve_template};
use statewright::json::Json;
use statewright::sim::{ContextNames, SimConfig, TaskMocks, simulate};
use statewright::trace::Status;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// Simulates one record and compares with what AWS recorded.
fn run_record(rec: &Value) -> Result<(), String> {
    let def = &rec["definition"];
    let Some(machine) = StateMachine::from_json(&Json::from_serde(def)) else {
        return Err("definition is not an object".into());
    };
    let mocks = match TaskMocks::from_lists(rec.get("mocks").unwrap_or(&Value::Null)) {
        Ok(m) => m,
        Err(_) if rec.get("mocks").is_none_or(Value::is_null) => TaskMocks::default(),
        Err(e) => return Err(format!("bad mocks: {e}")),
    };
    let c = &rec["context"];
    let s = |k: &str, d: &str| c.get(k).and_then(Value::as_str).unwrap_or(d).to_owned();
    let names = ContextNames {
        state_machine_name: s("StateMachineName", "StateMachine"),
        execution_name: s("ExecutionName", "exec"),
        account_id: s("AccountId", "111111111111"),
        region: s("Region", "us-east-1"),
        role_arn: s("RoleArn", ""),
        execution_arn: c
            .get("ExecutionArn")
            .and_then(Value::as_str)
            .map(str::to_owned),
    };
    let config = SimConfig {
        mocks,
        names,
        ..SimConfig::default()
    };
    let trace = simulate(&machine, rec["input"].clone(), &config);
    let exp = &rec["expected"];
    let status = exp["status"].as_str().unwrap_or("");
    match (status, trace.status) {
        ("SUCCEEDED", Status::Succeeded) => {
            if trace.output.as_ref() == Some(&exp["output"]) {
                Ok(())
            } else {
                Err(format!(
                    "output {} != {}",
                    short(trace.output.as_ref()),
                    short(Some(&exp["output"]))
                ))
            }
        }
        ("FAILED", Status::Failed) | ("TIMED_OUT", Status::TimedOut) => {
            let err_ok = exp["error"].as_str() == trace.error.as_deref() || exp["error"].is_null();
            let cause_ok = match (&exp["cause"], &trace.cause) {
                (Value::Null, _) => true,
                (Value::String(e), Some(c))
                    if exp.get("cause_compare").and_then(Value::as_str) == Some("json") =>
                {
                    serde_json::from_str::<Value>(e).ok() == serde_json::from_str::<Value>(c).ok()
                }
                (Value::String(e), Some(c)) => e == c,
                _ => false,
            };
            if err_ok && cause_ok {
                Ok(())
            } else {
                Err(format!(
                    "error {:?} cause {:?}; expected {} {}",
                    trace.error, trace.cause, exp["error"], exp["cause"]
                ))
            }
        }
        _ => Err(format!(
            "status {:?} ({:?}: {:?}); expected {status} {}",
            trace.status,
            trace.error,
            trace.cause.as_deref().map(|c| &c[..c.len().min(200)]),
            short(exp.get("error"))
        )),
    }
}

fn short(v: Option<&Value>) -> String {
    let t = v.map_or("none".into(), |v| v.to_string());
    if t.len() > 300 {
        format!("{}…", &t[..t.floor_char_boundary(300)])
    } else {
        t
    }
}

// ---- the expression layer alone: chains of Pass states run through `statewright::expr` -----------------

fn record_context(rec: &Value, state: &str) -> Value {
    let c = &rec["context"];
    let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
    json!({
        "Execution": {"Id": s("ExecutionArn"), "Input": rec["input"].clone(), "Name": s("ExecutionName"),
                      "RoleArn": s("RoleArn"), "StartTime": "2024-01-01T00:00:00.000Z"},
        "State": {"EnteredTime": "2024-01-01T00:00:00.000Z", "Name": state, "RetryCount": 0},
        "StateMachine": {"Id": format!("arn:aws:states:{}:{}:stateMachine:{}", s("Region"), s("AccountId"), s("StateMachineName")),
                         "Name": s("StateMachineName")}
    })
}

/// Whether a definition is JSONPath and made of Pass states only.
fn is_pass_machine(def: &Value) -> bool {
    def.get("QueryLanguage").and_then(Value::as_str) != Some("JSONata")
        && def["States"].as_object().is_some_and(|states| {
            states
                .values()
                .all(|s| s["Type"] == "Pass" && s.get("QueryLanguage").is_none())
        })
}

/// Runs a chain of Pass states (InputPath, Parameters, Result, ResultPath, OutputPath). `None` when the
/// definition is not such a chain.
fn run_pass_chain(rec: &Value) -> Option<Result<Value, ExprError>> {
    let def = &rec["definition"];
    if !is_pass_machine(def) {
        return None;
    }
    let states = def["States"].as_object()?;
    let mut name = def["StartAt"].as_str()?.to_string();
    let mut data = rec["input"].clone();
    let mut rng = Rng::new(0);
    for _ in 0..states.len() {
        let st = states.get(&name)?;
        let ctx = record_context(rec, &name);
        let step = (|| -> Result<Value, ExprError> {
            let effective = match st.get("InputPath") {
                Some(Value::Null) => json!({}),
                Some(Value::String(p)) => JsonPath::parse(p).unwrap().select(&data, &ctx)?,
                _ => data.clone(),
            };
            let result = match (st.get("Parameters"), st.get("Result")) {
                (Some(t), _) => resolve_template(t, &effective, &ctx, &mut rng)?,
                (None, Some(r)) => r.clone(),
                _ => effective.clone(),
            };
            let mut out = match st.get("ResultPath") {
                Some(Value::Null) => data.clone(),
                Some(Value::String(p)) => {
                    let mut d = data.clone();
                    JsonPath::parse(p).unwrap().set(&mut d, result)?;
                    d
                }
                _ => result,
            };
            out = match st.get("OutputPath") {
                Some(Value::Null) => json!({}),
                Some(Value::String(p)) => JsonPath::parse(p).unwrap().select(&out, &ctx)?,
                _ => out,
            };
            Ok(out)
        })();
        match step {
            Err(e) => return Some(Err(e)),
            Ok(v) => data = v,
        }
        match st.get("Next").and_then(Value::as_str) {
            Some(n) => name = n.to_string(),
            None => return Some(Ok(data)),
        }
    }
    None
}

/// Runs a record that is a chain of Pass states through the expression functions alone.
fn check_pass_chain(rec: &Value) -> Result<(), String> {
    let got =
        run_pass_chain(rec).ok_or("the Pass states do not form a chain from StartAt to an end")?;
    let exp = &rec["expected"];
    let ok = match (&got, exp["status"].as_str()) {
        (Ok(v), Some("SUCCEEDED")) => *v == exp["output"],
        (Err(e), Some("FAILED")) => Some(e.error.as_str()) == exp["error"].as_str(),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("got {got:?}, expected {exp}"))
    }
}

fn check_file(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let rec: Value = serde_json::from_str(&text).map_err(|e| format!("not a record: {e}"))?;
    run_record(&rec)
}

/// The gate's own rules: listed failures pass, listed passes fail, lists need reasons.
fn gate_rules() -> Result<(), String> {
    let list = "# comment\n\na/b  # why\nc # because\n";
    let parsed = gate::parse_expected(list, "t.txt")?;
    assert_eq!(parsed.get("a/b").map(String::as_str), Some("why"));
    assert_eq!(parsed.len(), 2);
    assert!(
        gate::parse_expected("a/b\n", "t.txt").is_err(),
        "a reason is required"
    );
    assert!(
        gate::parse_expected("a #\n", "t.txt").is_err(),
        "an empty reason"
    );
    assert!(
        gate::parse_expected("a # x\na # y\n", "t.txt").is_err(),
        "listed twice"
    );
    assert_eq!(gate::judge(Ok(()), None, "t.txt"), Ok(()));
    assert_eq!(
        gate::judge(Err("boom".into()), Some("why"), "t.txt"),
        Ok(())
    );
    assert_eq!(
        gate::judge(Err("boom".into()), None, "t.txt"),
        Err("boom".into())
    );
    let now = gate::judge(Ok(()), Some("why"), "t.txt").unwrap_err();
    assert!(
        now.starts_with("now passes: remove it from the list t.txt"),
        "{now}"
    );
    Ok(())
}

fn main() -> ExitCode {
    let records = Group::new("conformance", |shared| {
        let dir = shared.join("conformance");
        let mut all = Vec::new();
        files(&dir, &mut all);
        all.into_iter()
            .map(|f| {
                let name = gate::rel_name(&f.with_extension(""), &dir);
                Case::new(format!("conformance::{name}"), move || check_file(&f))
            })
            .collect()
    });
    // The records of these areas that are chains of Pass states, through the expression layer alone.
    let expr = Group::new("expr", |shared| {
        let mut cases = Vec::new();
        for area in ["input_output_processing", "intrinsic_functions"] {
            let dir = shared.join("conformance").join(area);
            let mut all = Vec::new();
            files(&dir, &mut all);
            for f in all {
                let rec: Value = match std::fs::read_to_string(&f)
                    .map_err(|e| e.to_string())
                    .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
                {
                    Ok(rec) => rec,
                    Err(e) => {
                        let name = format!("expr::{area}/{}", gate::rel_name(&f, &dir));
                        cases.push(Case::new(name, move || Err(e)));
                        continue;
                    }
                };
                if !is_pass_machine(&rec["definition"]) {
                    continue;
                }
                let name = gate::rel_name(&f.with_extension(""), &dir);
                cases.push(Case::new(format!("expr::{area}/{name}"), move || {
                    check_pass_chain(&rec)
                }));
            }
        }
        cases
    });
    let plain = vec![Case::new("gate::rules", gate_rules)];
    gate::main("conformance", plain, vec![records, expr])
}
