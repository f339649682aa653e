//! The bundled examples, embedded in the binary: the workflows File > Open Example lists and the mock files
//! (Step Functions Local MockConfigFile) their simulations use. Nothing here reads the disk.

use serde_json::Value;

/// The bundled examples, `(file name, text)`; the first (a seed workflow: Parallel crawlers, retries,
/// catches) is opened when no file is given.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "medallion-glue-crawlers.asl.json",
        include_str!("../assets/examples/medallion-glue-crawlers.asl.json"),
    ),
    (
        "hello.asl.json",
        include_str!("../assets/examples/hello.asl.json"),
    ),
    (
        "fiap-extract-transform-load.asl.json",
        include_str!("../assets/examples/fiap-extract-transform-load.asl.json"),
    ),
    (
        "glue-findmatches-dedup.asl.json",
        include_str!("../assets/examples/glue-findmatches-dedup.asl.json"),
    ),
    (
        "redshift-data-api-etl.asl.json",
        include_str!("../assets/examples/redshift-data-api-etl.asl.json"),
    ),
    (
        "every-state-type.asl.json",
        include_str!("../assets/examples/every-state-type.asl.json"),
    ),
    (
        "distributed-map.asl.json",
        include_str!("../assets/examples/distributed-map.asl.json"),
    ),
    (
        "jsonata-greeting.asl.json",
        include_str!("../assets/examples/jsonata-greeting.asl.json"),
    ),
];

/// The bundled mock files, `(file name, text)`: `NAME.mocks.json` belongs to the example `NAME.asl.json`.
pub const MOCKS: &[(&str, &str)] = &[
    (
        "medallion-glue-crawlers.mocks.json",
        include_str!("../assets/examples/mocks/medallion-glue-crawlers.mocks.json"),
    ),
    (
        "fiap-extract-transform-load.mocks.json",
        include_str!("../assets/examples/mocks/fiap-extract-transform-load.mocks.json"),
    ),
    (
        "glue-findmatches-dedup.mocks.json",
        include_str!("../assets/examples/mocks/glue-findmatches-dedup.mocks.json"),
    ),
    (
        "redshift-data-api-etl.mocks.json",
        include_str!("../assets/examples/mocks/redshift-data-api-etl.mocks.json"),
    ),
];

/// The text of a bundled example by file name.
pub fn example_text(name: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The mock file name that goes with a workflow file name: `NAME.asl.json` (or `.asl.yaml`, `.json`, …)
/// → `NAME.mocks.json`.
pub fn mock_file_name(workflow_file: &str) -> String {
    let stem = [
        ".asl.json",
        ".asl.yaml",
        ".asl.yml",
        ".json",
        ".yaml",
        ".yml",
    ]
    .iter()
    .find_map(|ext| workflow_file.strip_suffix(ext))
    .unwrap_or(workflow_file);
    format!("{stem}.mocks.json")
}

/// The text of a bundled mock file by file name (`NAME.mocks.json`).
pub fn mock_text(mock_file: &str) -> Option<&'static str> {
    MOCKS.iter().find(|(n, _)| *n == mock_file).map(|(_, t)| *t)
}

/// A bundled mock file as JSON; errors name the file and line:col.
pub fn mock_config(mock_file: &str) -> Result<Value, String> {
    let text = mock_text(mock_file).ok_or_else(|| format!("no bundled mock file {mock_file}"))?;
    serde_json::from_str(text).map_err(|e| {
        format!(
            "{mock_file} (bundled): line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::Document;
    use crate::sim::{SimConfig, TaskMocks, simulate};
    use crate::trace::Status;

    #[test]
    fn mock_file_names_follow_the_workflow_name() {
        assert_eq!(mock_file_name("a.asl.json"), "a.mocks.json");
        assert_eq!(mock_file_name("a.asl.yaml"), "a.mocks.json");
        assert_eq!(mock_file_name("a.json"), "a.mocks.json");
        assert_eq!(mock_file_name("a"), "a.mocks.json");
    }

    /// Every bundled mock file belongs to a bundled example, reads from the embedded copy, and each of its test
    /// cases drives a simulation of that example to an end without a task left unmocked.
    #[test]
    fn every_bundled_examples_mocks_load_from_the_binary() {
        assert!(!MOCKS.is_empty());
        let mut with_mocks = 0;
        for (name, text) in EXAMPLES {
            let mock_name = mock_file_name(name);
            let Some(_) = mock_text(&mock_name) else {
                continue;
            };
            with_mocks += 1;
            let config = mock_config(&mock_name).unwrap();
            let machine = Document::parse_json(text).unwrap().machine;
            let machines = config["StateMachines"].as_object().unwrap();
            let mut cases = 0;
            for (sm, v) in machines {
                for tc in v["TestCases"].as_object().unwrap().keys() {
                    cases += 1;
                    let mocks = TaskMocks::from_mock_config(&config, Some(sm), Some(tc))
                        .unwrap_or_else(|e| panic!("{mock_name} {sm}/{tc}: {e}"));
                    let trace = simulate(
                        &machine,
                        serde_json::json!({}),
                        &SimConfig {
                            mocks,
                            ..SimConfig::default()
                        },
                    );
                    let unmocked = trace.events.iter().filter(|e| e.unmocked()).count();
                    assert_eq!(unmocked, 0, "{name} with {sm}/{tc}: a task is not mocked");
                    assert!(
                        matches!(trace.status, Status::Succeeded | Status::Failed),
                        "{name} with {sm}/{tc}: {:?}",
                        trace.status
                    );
                }
            }
            assert!(cases > 0, "{mock_name} has no test case");
        }
        assert_eq!(
            with_mocks,
            MOCKS.len(),
            "a bundled mock file matches no example"
        );
    }
}
