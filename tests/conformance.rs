//! Runs every AWS-recorded execution in `$STATEWRIGHT_SHARED/conformance/**/*.json` (default `../shared`) and
//! counts passes per area. The pass count must never drop below the measured floor.

use serde_json::Value;
use statewright::asl::StateMachine;
use statewright::json::Json;
use statewright::sim::{ContextNames, SimConfig, TaskMocks, simulate};
use statewright::trace::Status;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Measured pass count; raise it when the engine improves, never lower it.
const PASS_FLOOR: usize = 843;

fn shared_dir() -> PathBuf {
    std::env::var_os("STATEWRIGHT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

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

enum Verdict {
    Pass,
    Fail(String),
    Unsupported,
}

fn uses_unsupported(def: &Value) -> bool {
    let text = def.to_string();
    text.contains("\"JSONata\"") || text.contains("\"Assign\"")
}

fn run_record(rec: &Value) -> Verdict {
    let def = &rec["definition"];
    if uses_unsupported(def) {
        return Verdict::Unsupported;
    }
    let Some(machine) = StateMachine::from_json(&Json::from_serde(def)) else {
        return Verdict::Fail("definition is not an object".into());
    };
    let mocks = match TaskMocks::from_lists(rec.get("mocks").unwrap_or(&Value::Null)) {
        Ok(m) => m,
        Err(_) if rec.get("mocks").is_none_or(Value::is_null) => TaskMocks::default(),
        Err(e) => return Verdict::Fail(format!("bad mocks: {e}")),
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
                Verdict::Pass
            } else {
                Verdict::Fail(format!(
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
                Verdict::Pass
            } else {
                Verdict::Fail(format!(
                    "error {:?} cause {:?}; expected {} {}",
                    trace.error, trace.cause, exp["error"], exp["cause"]
                ))
            }
        }
        _ => Verdict::Fail(format!(
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

#[test]
fn aws_recorded_executions() {
    let dir = shared_dir().join("conformance");
    if !dir.is_dir() {
        println!(
            "SKIPPED: no conformance records at {} (set STATEWRIGHT_SHARED)",
            dir.display()
        );
        return;
    }
    let mut all = Vec::new();
    files(&dir, &mut all);
    let verbose = std::env::var_os("CONFORMANCE_VERBOSE").is_some();
    let mut table: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for f in &all {
        let area = f
            .parent()
            .and_then(|p| p.strip_prefix(&dir).ok())
            .map_or("?".into(), |p| p.display().to_string());
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let Ok(rec) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let row = table.entry(area).or_default();
        row[0] += 1;
        match run_record(&rec) {
            Verdict::Pass => row[1] += 1,
            Verdict::Unsupported => row[3] += 1,
            Verdict::Fail(why) => {
                row[2] += 1;
                if verbose {
                    println!("FAIL {}: {why}", f.display());
                }
            }
        }
    }
    println!(
        "{:<28} {:>7} {:>6} {:>6} {:>12}",
        "area", "records", "pass", "fail", "unsupported"
    );
    let mut total = [0usize; 4];
    for (area, r) in &table {
        println!(
            "{area:<28} {:>7} {:>6} {:>6} {:>12}",
            r[0], r[1], r[2], r[3]
        );
        for i in 0..4 {
            total[i] += r[i];
        }
    }
    println!(
        "{:<28} {:>7} {:>6} {:>6} {:>12}",
        "TOTAL", total[0], total[1], total[2], total[3]
    );
    assert!(
        total[1] >= PASS_FLOOR,
        "conformance passes dropped to {} (floor {PASS_FLOOR})",
        total[1]
    );
}
