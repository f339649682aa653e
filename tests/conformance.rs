//! Runs every AWS-recorded execution in `$STATEWRIGHT_SHARED/conformance/**/*.json` (default `../shared`), one
//! test per record named `conformance::<area>/<record>`. Records the simulator does not reproduce yet are
//! listed, each with its reason, in `tests/expected-failures/conformance.txt`; see `tests/common/gate.rs`.

mod common;

use common::gate::{self, Case, Group};
use serde_json::Value;
use statewright::asl::StateMachine;
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

fn check_file(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let rec: Value = serde_json::from_str(&text).map_err(|e| format!("not a record: {e}"))?;
    run_record(&rec)
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
    gate::main("conformance", Vec::new(), vec![records])
}
