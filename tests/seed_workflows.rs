//! The seed workflows under the simulator, with the bundled mock files (`assets/examples/mocks/<name>.mocks.json`):
//! one test per mock test case that the execution is the same at every recording level, and the scenarios each
//! seed exists for. They run on the bundled copies (`assets/examples`), so a fresh clone checks them too; with
//! the corpus present, `seed-copies::<name>` checks that each copy is byte-identical to
//! `$STATEWRIGHT_SHARED/seed-workflows` (see `tests/common/gate.rs`).

mod common;

use common::gate::{self, Case, Group};
use common::sim::same_at_every_level;
use serde_json::{Value, json};
use statewright::asl::{Document, SourceFormat, StateMachine};
use statewright::sim::{SimConfig, TaskMocks, simulate};
use statewright::trace::{Status, Trace};
use std::path::Path;
use std::process::ExitCode;

fn load(name: &str) -> (StateMachine, Value) {
    let path = common::bundled_seed(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = Document::from_bytes(&bytes, SourceFormat::Json).expect("seed parses");
    let mocks_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("assets/examples/mocks/{name}.mocks.json"));
    let cfg: Value = serde_json::from_str(&std::fs::read_to_string(mocks_path).expect("mock file"))
        .expect("mock json");
    (doc.machine, cfg)
}

fn config(cfg: &Value, name: &str, case: &str) -> SimConfig {
    SimConfig {
        mocks: TaskMocks::from_mock_config(cfg, Some(name), Some(case)).expect("mock config"),
        ..SimConfig::default()
    }
}

fn seed(name: &str, case: &str) -> Trace {
    let (machine, cfg) = load(name);
    simulate(&machine, json!({}), &config(&cfg, name, case))
}

fn entered(t: &Trace, state: &str) -> usize {
    t.events
        .iter()
        .filter(|e| e.event_type == "TaskStateEntered" && e.path.state_name() == Some(state))
        .count()
}

fn medallion_crawler_polling_loop() {
    let t = seed("medallion-glue-crawlers", "HappyPath");
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
    // each GetCrawler: RUNNING, RUNNING, READY → three calls, two waits
    assert_eq!(entered(&t, "T1 Silver GetCrawler"), 3);
}

fn glue_findmatches() {
    let t = seed("glue-findmatches-dedup", "HappyPath");
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
}

fn fiap_success_and_catch_to_fail() {
    let t = seed("fiap-extract-transform-load", "HappyPath");
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
    let t = seed("fiap-extract-transform-load", "TransformJobFails");
    assert_eq!(t.status, Status::Failed);
    assert_eq!(t.error.as_deref(), Some("JobFailed"));
    assert!(t.event_types().contains(&"FailStateEntered"));
}

fn redshift_describe_statement_loop() {
    let t = seed("redshift-data-api-etl", "HappyPath");
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
    assert_eq!(entered(&t, "run_sp_deploy_redshift_status_check"), 3);
    let t = seed("redshift-data-api-etl", "FactLoadFails");
    assert_eq!(t.status, Status::Failed);
    assert_eq!(t.cause.as_deref(), Some("Failure on Sales Data Pipeline"));
}

/// A scenario: passes unless it panics.
fn scenario(name: &str, f: fn()) -> Case {
    Case::new(format!("scenario::{name}"), move || {
        f();
        Ok(())
    })
}

fn main() -> ExitCode {
    let mut cases = vec![
        scenario(
            "medallion_crawler_polling_loop",
            medallion_crawler_polling_loop,
        ),
        scenario("glue_findmatches", glue_findmatches),
        scenario(
            "fiap_success_and_catch_to_fail",
            fiap_success_and_catch_to_fail,
        ),
        scenario(
            "redshift_describe_statement_loop",
            redshift_describe_statement_loop,
        ),
    ];
    // Every test case of every seed's mock file runs the same at every recording level.
    for name in common::SEED_NAMES {
        let (machine, cfg) = load(name);
        let test_cases: Vec<String> = cfg["StateMachines"][name]["TestCases"]
            .as_object()
            .expect("test cases")
            .keys()
            .cloned()
            .collect();
        for case in test_cases {
            let (machine, config) = (machine.clone(), config(&cfg, name, &case));
            let what = format!("{name}/{case}");
            cases.push(Case::new(format!("recording-levels::{what}"), move || {
                same_at_every_level(&what, &machine, json!({}), &config);
                Ok(())
            }));
        }
    }
    let copies = Group::new("seed-copies", |shared| {
        let dir = shared.join("seed-workflows");
        let mut cases: Vec<Case> = common::SEED_NAMES
            .iter()
            .map(|name| {
                let (ours, theirs) = (
                    common::bundled_seed(name),
                    dir.join(format!("{name}.asl.json")),
                );
                Case::new(format!("seed-copies::{name}"), move || {
                    let theirs =
                        std::fs::read(&theirs).map_err(|e| format!("{}: {e}", theirs.display()))?;
                    if std::fs::read(&ours).map_err(|e| e.to_string())? == theirs {
                        Ok(())
                    } else {
                        Err(format!("{} differs from the corpus's seed", ours.display()))
                    }
                })
            })
            .collect();
        // A seed in the corpus that is not bundled.
        for f in common::asl_files(&dir) {
            let stem = f
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".asl.json", "");
            if !common::SEED_NAMES.contains(&stem.as_str()) {
                cases.push(Case::new(format!("seed-copies::{stem}"), move || {
                    Err(format!("{} is not bundled in assets/examples", f.display()))
                }));
            }
        }
        cases
    });
    gate::main("seed_workflows", cases, vec![copies])
}
