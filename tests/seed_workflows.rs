//! The seed workflows of `$STATEWRIGHT_SHARED/seed-workflows` under the simulator, with the bundled mock files
//! (`assets/examples/mocks/<name>.mocks.json`): one test per mock test case that the execution is the same at
//! every recording level, and the scenarios each seed exists for (see `tests/common/gate.rs`).

mod common;

use common::gate::{self, Case, Group};
use common::sim::same_at_every_level;
use serde_json::{Value, json};
use statewright::asl::{Document, SourceFormat, StateMachine};
use statewright::sim::{SimConfig, TaskMocks, simulate};
use statewright::trace::{Status, Trace};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const SEEDS: [&str; 4] = [
    "fiap-extract-transform-load",
    "glue-findmatches-dedup",
    "medallion-glue-crawlers",
    "redshift-data-api-etl",
];

fn load(shared: &Path, name: &str) -> (StateMachine, Value) {
    let path = shared.join(format!("seed-workflows/{name}.asl.json"));
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

fn seed(shared: &Path, name: &str, case: &str) -> Trace {
    let (machine, cfg) = load(shared, name);
    simulate(&machine, json!({}), &config(&cfg, name, case))
}

fn entered(t: &Trace, state: &str) -> usize {
    t.events
        .iter()
        .filter(|e| e.event_type == "TaskStateEntered" && e.path.state_name() == Some(state))
        .count()
}

fn medallion_crawler_polling_loop(shared: &Path) {
    let t = seed(shared, "medallion-glue-crawlers", "HappyPath");
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
    // each GetCrawler: RUNNING, RUNNING, READY → three calls, two waits
    assert_eq!(entered(&t, "T1 Silver GetCrawler"), 3);
}

fn glue_findmatches(shared: &Path) {
    let t = seed(shared, "glue-findmatches-dedup", "HappyPath");
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
}

fn fiap_success_and_catch_to_fail(shared: &Path) {
    let t = seed(shared, "fiap-extract-transform-load", "HappyPath");
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
    let t = seed(shared, "fiap-extract-transform-load", "TransformJobFails");
    assert_eq!(t.status, Status::Failed);
    assert_eq!(t.error.as_deref(), Some("JobFailed"));
    assert!(t.event_types().contains(&"FailStateEntered"));
}

fn redshift_describe_statement_loop(shared: &Path) {
    let t = seed(shared, "redshift-data-api-etl", "HappyPath");
    assert_eq!(t.status, Status::Succeeded, "{:?} {:?}", t.error, t.cause);
    assert_eq!(entered(&t, "run_sp_deploy_redshift_status_check"), 3);
    let t = seed(shared, "redshift-data-api-etl", "FactLoadFails");
    assert_eq!(t.status, Status::Failed);
    assert_eq!(t.cause.as_deref(), Some("Failure on Sales Data Pipeline"));
}

/// A scenario on the corpus at `shared`: passes unless it panics.
fn scenario(name: &str, shared: &Path, f: fn(&Path)) -> Case {
    let shared: PathBuf = shared.to_path_buf();
    Case::new(format!("scenario::{name}"), move || {
        f(&shared);
        Ok(())
    })
}

fn main() -> ExitCode {
    let seeds = Group::new("seed-workflows", |shared| {
        let mut cases = vec![
            scenario(
                "medallion_crawler_polling_loop",
                shared,
                medallion_crawler_polling_loop,
            ),
            scenario("glue_findmatches", shared, glue_findmatches),
            scenario(
                "fiap_success_and_catch_to_fail",
                shared,
                fiap_success_and_catch_to_fail,
            ),
            scenario(
                "redshift_describe_statement_loop",
                shared,
                redshift_describe_statement_loop,
            ),
        ];
        // Every test case of every seed's mock file runs the same at every recording level.
        for name in SEEDS {
            let (machine, cfg) = load(shared, name);
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
        cases
    });
    gate::main("seed_workflows", Vec::new(), vec![seeds])
}
