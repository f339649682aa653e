//! The MockConfigFile document (`sim::mockfile`): unedited saves are byte-identical, each edit changes only
//! the lines it must, shared responses are copied before they are changed, bad files say line:col, and what is
//! saved drives `statewright simulate --mocks FILE --test-case NAME`.

use statewright::json::{self, Json};
use statewright::sim::mockfile::{MockFile, response_node, return_entry, throw_entry};
use statewright::sim::typical;
use statewright::sim::{MockResponse, SimulateArgs, TaskMocks};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The project's mock files: the bundled examples' and the test fixtures'.
fn mock_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["assets/examples/mocks", "tests/fixtures/mocks"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            out.push(e.unwrap().path());
        }
    }
    out.sort();
    assert!(out.len() >= 5, "{out:?}");
    out
}

fn read(rel: &str) -> (String, MockFile) {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    let file = MockFile::parse(&text).unwrap();
    (text, file)
}

/// The lines removed from `old` and added in `new` (a line diff by longest common subsequence).
fn changed_lines(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(b[j].trim().to_owned());
            j += 1;
        } else {
            removed.push(a[i].trim().to_owned());
            i += 1;
        }
    }
    (removed, added)
}

fn ret(v: serde_json::Value) -> Json {
    return_entry(Json::from_serde(&v))
}

#[test]
fn an_unedited_save_is_byte_identical() {
    for path in mock_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = MockFile::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!file.is_modified());
        assert_eq!(file.to_text(), text, "{}", path.display());
        assert!(
            file.problems().is_empty(),
            "{}: {:?}",
            path.display(),
            file.problems()
        );
        // Reading every sequence changes nothing either.
        for (sm, tc) in file.cases() {
            for state in file.mocked_states(&sm, &tc) {
                assert!(file.sequence(&sm, &tc, &state).unwrap().is_some());
            }
        }
        assert_eq!(file.to_text(), text);
    }
}

#[test]
fn sequences_expand_ranges_and_agree_with_the_simulators_reading() {
    let (_, file) = read("tests/fixtures/mocks/order-flow.mocks.json");
    let seq = file
        .sequence("OrderFlow", "RetryPath", "Charge")
        .unwrap()
        .unwrap();
    assert_eq!(seq.len(), 4);
    let mocks = file.task_mocks("OrderFlow", "RetryPath").unwrap();
    let read: Vec<MockResponse> = seq
        .iter()
        .map(|e| statewright::sim::mockfile::entry_response(e).unwrap())
        .collect();
    assert_eq!(read, mocks.by_state["Charge"]);
    assert!(
        matches!(&read[1], MockResponse::Throw { error, .. } if error == "Lambda.TooManyRequestsException")
    );
    assert_eq!(read[3].latency_secs(), 2.0);
    // The lossless entry keeps the number as written.
    let first = file
        .sequence("OrderFlow", "HappyPath", "Charge")
        .unwrap()
        .unwrap();
    assert!(json::compact_text(&first[0]).contains("200.0"));
    assert_eq!(
        file.sequence("OrderFlow", "NoNotify", "Notify").unwrap(),
        None
    );
}

#[test]
fn editing_a_shared_response_copies_it_and_changes_only_those_lines() {
    let (text, mut file) = read("assets/examples/mocks/medallion-glue-crawlers.mocks.json");
    let sm = "medallion-glue-crawlers";
    let state = "T0 Dimension GetCrawler";
    let ready = ret(serde_json::json!({"Crawler": {"Name": "crawler", "State": "READY"}}));
    file.set_sequence(sm, "HappyPath", state, std::slice::from_ref(&ready))
        .unwrap();
    let out = file.to_text();
    let (removed, added) = changed_lines(&text, &out);
    assert_eq!(
        removed,
        ["\"T0 Dimension GetCrawler\": \"CrawlerRunningTwiceThenReady\","]
    );
    assert_eq!(
        added[0],
        "\"T0 Dimension GetCrawler\": \"HappyPathT0DimensionGetCrawler\","
    );
    // The rest added is the new response, after the last one.
    assert_eq!(added[1], "},");
    assert_eq!(added[2], "\"HappyPathT0DimensionGetCrawler\": {");
    assert!(added.iter().any(|l| l == "\"State\": \"READY\""));
    let again = MockFile::parse(&out).unwrap();
    assert_eq!(
        again.sequence(sm, "HappyPath", state).unwrap().unwrap(),
        [ready]
    );
    // The other states still poll twice.
    for other in ["T0 Fact GetCrawler", "T1 Silver GetCrawler"] {
        assert_eq!(
            again
                .sequence(sm, "HappyPath", other)
                .unwrap()
                .unwrap()
                .len(),
            3
        );
    }
    // Editing it again rewrites its own copy in place: nothing else moves.
    let mut twice = again.clone();
    let running = ret(serde_json::json!({"Crawler": {"Name": "crawler", "State": "RUNNING"}}));
    let before = twice.to_text();
    twice
        .set_sequence(sm, "HappyPath", state, &[running.clone(), running.clone()])
        .unwrap();
    let (removed, added) = changed_lines(&before, &twice.to_text());
    assert_eq!(removed, ["\"State\": \"READY\""]);
    assert_eq!(
        added
            .iter()
            .filter(|l| l.as_str() == "\"State\": \"RUNNING\"")
            .count(),
        2
    );
    assert!(
        !added
            .iter()
            .any(|l| l.contains("HappyPathT0DimensionGetCrawler2"))
    );
    // Setting the same sequence again is no edit.
    let same = twice.sequence(sm, "HappyPath", state).unwrap().unwrap();
    let t = twice.to_text();
    twice.set_sequence(sm, "HappyPath", state, &same).unwrap();
    assert_eq!(twice.to_text(), t);
}

#[test]
fn a_response_used_once_is_edited_in_place_keeping_the_untouched_calls() {
    let (text, mut file) = read("tests/fixtures/mocks/order-flow.mocks.json");
    let mut seq = file
        .sequence("OrderFlow", "RetryPath", "Charge")
        .unwrap()
        .unwrap();
    seq[3] = throw_entry("States.Timeout", "took too long");
    file.set_sequence("OrderFlow", "RetryPath", "Charge", &seq)
        .unwrap();
    let out = file.to_text();
    // Ranges are written one call per key; the first call's text is kept as it was (escapes included).
    assert!(
        out.contains(r#""0":{"Throw":{"Error":"Lambda.ServiceException","Cause":"busy \u00e9"}}"#),
        "{out}"
    );
    assert!(!out.contains("\"1-2\""));
    let again = MockFile::parse(&out).unwrap();
    let read = again.task_mocks("OrderFlow", "RetryPath").unwrap();
    assert_eq!(read.by_state["Charge"].len(), 4);
    assert!(
        matches!(&read.by_state["Charge"][3], MockResponse::Throw { error, .. } if error == "States.Timeout")
    );
    // Everything outside ChargeFlaky is byte for byte the same.
    let start = text.find("\"ChargeFlaky\":{").unwrap();
    assert_eq!(out[..start], text[..start]);
    let tail = text.find("        \"NotifyOk\"").unwrap();
    assert!(out.ends_with(&text[tail - 2..]), "{out}");
}

#[test]
fn removing_a_states_sequence_drops_a_response_nobody_else_uses() {
    let (text, mut file) = read("tests/fixtures/mocks/order-flow.mocks.json");
    file.set_sequence("OrderFlow", "RetryPath", "Charge", &[])
        .unwrap();
    let out = file.to_text();
    assert!(!out.contains("ChargeFlaky"));
    assert!(out.contains("\"ChargeOk\""));
    // Only the mapping and the response's lines went.
    let (removed, added) = changed_lines(&text, &out);
    assert!(added.len() <= 1, "{added:?}");
    assert!(
        removed
            .iter()
            .all(|l| l.contains("Charge") || l.starts_with('"') || l == "},"),
        "{removed:?}"
    );
    assert_eq!(
        MockFile::parse(&out)
            .unwrap()
            .mocked_states("OrderFlow", "RetryPath"),
        ["Notify"]
    );
}

#[test]
fn test_case_operations_change_only_their_lines() {
    let (text, file) = read("assets/examples/mocks/fiap-extract-transform-load.mocks.json");
    let sm = "fiap-extract-transform-load";

    let mut f = file.clone();
    f.create_test_case(sm, "Empty").unwrap();
    let (removed, added) = changed_lines(&text, &f.to_text());
    assert_eq!(removed, ["}"]);
    assert_eq!(added, ["},", "\"Empty\": {}"]);
    assert!(f.create_test_case(sm, "Empty").is_err());

    let mut f = file.clone();
    f.rename_test_case(sm, "TransformJobFails", "Transform fails")
        .unwrap();
    let (removed, added) = changed_lines(&text, &f.to_text());
    assert_eq!(removed, ["\"TransformJobFails\": {"]);
    assert_eq!(added, ["\"Transform fails\": {"]);
    assert!(
        f.rename_test_case(sm, "HappyPath", "Transform fails")
            .is_err()
    );

    let mut f = file.clone();
    f.duplicate_test_case(sm, "HappyPath", "HappyPath copy")
        .unwrap();
    let (removed, added) = changed_lines(&text, &f.to_text());
    // The copy (four lines) and a comma (the diff may pair the closing braces either way).
    assert!(removed.len() <= 1, "{removed:?}");
    assert_eq!(added.len(), 5 + removed.len(), "{added:?}");
    assert!(added.iter().any(|l| l == "\"HappyPath copy\": {"));
    assert_eq!(
        f.task_mocks(sm, "HappyPath copy").unwrap(),
        f.task_mocks(sm, "HappyPath").unwrap()
    );
    // Editing the copy leaves the original's responses alone.
    f.set_sequence(
        sm,
        "HappyPath copy",
        "LoadJob",
        &[throw_entry("States.TaskFailed", "")],
    )
    .unwrap();
    assert!(matches!(
        f.task_mocks(sm, "HappyPath").unwrap().by_state["LoadJob"][0],
        MockResponse::Return { .. }
    ));
    assert!(f.to_text().contains("\"HappyPathcopyLoadJob\""));

    let mut f = file.clone();
    f.delete_test_case(sm, "TransformJobFails").unwrap();
    let out = f.to_text();
    // GlueJobFailed was used only there; ExtractSucceeded is HappyPath's too.
    assert!(!out.contains("GlueJobFailed"));
    assert!(out.contains("\"ExtractSucceeded\": {"));
    assert_eq!(f.test_cases(sm), ["HappyPath"]);
    let (removed, added) = changed_lines(&text, &out);
    assert!(added.is_empty(), "{added:?}");
    assert!(removed.iter().any(|l| l == "\"TransformJobFails\": {"));
}

#[test]
fn renaming_a_state_changes_only_its_keys_in_the_test_cases() {
    let (text, file) = read("assets/examples/mocks/fiap-extract-transform-load.mocks.json");
    let sm = "fiap-extract-transform-load";
    let mut f = file.clone();
    assert_eq!(f.rename_state(sm, "TransformJob", "Transform").unwrap(), 2);
    let out = f.to_text();
    // Both test cases' keys, and nothing else: not the response names (TransformSucceeded), not the values.
    assert_eq!(
        out,
        text.replace("\"TransformJob\": \"", "\"Transform\": \"")
    );
    let (removed, added) = changed_lines(&text, &out);
    assert_eq!(
        removed,
        [
            "\"TransformJob\": \"TransformSucceeded\",",
            "\"TransformJob\": \"GlueJobFailed\""
        ]
    );
    assert_eq!(
        added,
        [
            "\"Transform\": \"TransformSucceeded\",",
            "\"Transform\": \"GlueJobFailed\""
        ]
    );
    for case in ["HappyPath", "TransformJobFails"] {
        let before = file.task_mocks(sm, case).unwrap().by_state;
        let after = f.task_mocks(sm, case).unwrap().by_state;
        assert_eq!(after["Transform"], before["TransformJob"], "{case}");
        assert!(!after.contains_key("TransformJob"));
        assert_eq!(after.len(), before.len());
    }
    // Renamed back: the text read, byte for byte, and nothing to save.
    assert_eq!(f.rename_state(sm, "Transform", "TransformJob").unwrap(), 2);
    assert!(!f.is_modified());
    assert_eq!(f.to_text(), text);
    // A state no test case mocks, another machine, the same name: nothing changes. No name: refused.
    assert_eq!(f.rename_state(sm, "FailState", "Failed").unwrap(), 0);
    assert_eq!(f.rename_state("other", "LoadJob", "Load").unwrap(), 0);
    assert_eq!(f.rename_state(sm, "LoadJob", "LoadJob").unwrap(), 0);
    assert!(f.rename_state(sm, "LoadJob", " ").is_err());
    assert!(!f.is_modified());
}

#[test]
fn a_state_rename_keeps_other_machines_spellings_and_swaps_a_taken_name() {
    // Someone else's layout: one line, odd spacing, an escaped key, two state machines mocking "Charge".
    let text = "{\"StateMachines\":{\"Shop\":{\"TestCases\":{\"T1\":{\"Charge\":\"R1\" ,  \"Ship\\u0020It\":\"R2\"},\n\
                \"T2\":{\"Pay\":\"R2\",\"Charge\":\"R1\"}}},\n\
                \"Other\":{\"TestCases\":{\"T1\":{\"Charge\":\"R1\"}}}},\n\
                \"MockedResponses\":{\"R1\":{\"0\":{\"Return\":1.50}},\"R2\":{\"0\":{\"Return\":2}}}}\n";
    let file = MockFile::parse(text).unwrap();
    let mut f = file.clone();
    // T1 renames its key; T2 mocks the new name already: the two keys swap (the old name keeps T2's other
    // response, so renaming back restores it). "Other" is another workflow's: untouched.
    assert_eq!(f.rename_state("Shop", "Charge", "Pay").unwrap(), 2);
    let out = f.to_text();
    assert_eq!(
        out,
        text.replacen("{\"Charge\":\"R1\" ,", "{\"Pay\":\"R1\" ,", 1)
            .replacen(
                "{\"Pay\":\"R2\",\"Charge\":\"R1\"}",
                "{\"Charge\":\"R2\",\"Pay\":\"R1\"}",
                1
            )
    );
    let t2 = f.task_mocks("Shop", "T2").unwrap().by_state;
    assert_eq!(
        t2["Pay"],
        file.task_mocks("Shop", "T2").unwrap().by_state["Charge"]
    );
    assert_eq!(
        t2["Charge"],
        file.task_mocks("Shop", "T2").unwrap().by_state["Pay"]
    );
    assert_eq!(f.mocked_states("Other", "T1"), ["Charge"]);
    assert_eq!(f.rename_state("Shop", "Pay", "Charge").unwrap(), 2);
    assert_eq!(f.to_text(), text);
    assert!(!f.is_modified());

    // The escaped key: renamed, then back with its spelling as read.
    assert_eq!(f.rename_state("Shop", "Ship It", "Ship").unwrap(), 1);
    assert_eq!(
        f.to_text(),
        text.replacen("\"Ship\\u0020It\"", "\"Ship\"", 1)
    );
    assert_eq!(f.rename_state("Shop", "Ship", "Ship It").unwrap(), 1);
    assert_eq!(f.to_text(), text);
    assert!(!f.is_modified());
}

#[test]
fn a_new_file_gets_a_state_machine_entry_and_unique_names() {
    let mut f = MockFile::empty();
    assert_eq!(f.machine_for("orders"), "orders");
    f.create_test_case("orders", "Happy").unwrap();
    f.set_sequence(
        "orders",
        "Happy",
        "Get Item",
        &[ret(serde_json::json!({"a": 1}))],
    )
    .unwrap();
    f.duplicate_test_case("orders", "Happy", "Happy 2").unwrap();
    // Both now share "HappyGetItem": editing the copy makes a new name, not a clash.
    f.set_sequence(
        "orders",
        "Happy 2",
        "Get Item",
        &[ret(serde_json::json!({"a": 2}))],
    )
    .unwrap();
    let names: Vec<String> = f
        .tree()
        .get("MockedResponses")
        .unwrap()
        .as_object()
        .unwrap()
        .iter()
        .map(|m| m.key.to_string())
        .collect();
    assert_eq!(names, ["HappyGetItem", "Happy2GetItem"]);
    assert_eq!(f.unique_case_name("orders", "Happy"), "Happy 3");
    assert_eq!(f.machine_for("other"), "orders");
    let text = f.to_text();
    let again = MockFile::parse(&text).unwrap();
    assert_eq!(again.to_text(), text);
    assert!(again.problems().is_empty());
}

#[test]
fn answers_saved_as_a_test_case_read_back_as_the_same_mocks() {
    let (_, mut file) = read("tests/fixtures/mocks/order-flow.mocks.json");
    let mocks = TaskMocks::from_lists(&serde_json::json!({
        "Charge": [ {"Throw": {"Error": "Busy", "Cause": "later"}}, {"Return": {"ok": true}, "LatencySeconds": 1.5} ],
        "Notify": [ {"Return": {"MessageId": "x"}} ]
    }))
    .unwrap();
    file.add_test_case("OrderFlow", "Answers", &mocks).unwrap();
    let again = MockFile::parse(&file.to_text()).unwrap();
    assert_eq!(again.task_mocks("OrderFlow", "Answers").unwrap(), mocks);
    assert!(file.add_test_case("OrderFlow", "Answers", &mocks).is_err());
    // response_node is the inverse of the simulator's reading.
    for list in mocks.by_state.values() {
        for r in list {
            assert_eq!(
                &statewright::sim::mockfile::entry_response(&response_node(r)).unwrap(),
                r
            );
        }
    }
}

#[test]
fn bad_files_say_line_and_column() {
    let e = MockFile::parse("{\n  \"StateMachines\": {\n    \"a\": {,\n").unwrap_err();
    assert_eq!((e.line, e.column), (3, 11), "{e}");
    let e = MockFile::parse("{\n  \"StateMachines\": []\n}").unwrap_err();
    assert_eq!((e.line, e.column), (2, 3), "{e}");
    assert!(e.to_string().starts_with("2:3: "), "{e}");
    let e = MockFile::parse("{\"MockedResponses\": {}}").unwrap_err();
    assert!(e.message.contains("StateMachines"), "{e}");
    let e =
        MockFile::parse("{\"StateMachines\": {\"m\": {\"TestCases\": {\n  \"T\": {\"S\": 3}}}}}")
            .unwrap_err();
    assert_eq!((e.line, e.column), (2, 9), "{e}");
    let e = MockFile::from_bytes(b"{\n \"a\xff\": 1}").unwrap_err();
    assert_eq!((e.line, e.column), (2, 4), "{e}");
    // A test case that names a missing response, or a response with a gap, leaves the file usable and says
    // where.
    let text = "{\"StateMachines\": {\"m\": {\"TestCases\": {\n  \"Good\": {\"S\": \"R\"},\n  \"Bad\": {\"S\": \"Nope\"},\n  \"Gap\": {\"S\": \"G\"}}}},\n \"MockedResponses\": {\"R\": {\"0\": {\"Return\": 1}},\n  \"G\": {\"0\": {\"Return\": 1}, \"2\": {\"Return\": 2}}}}";
    let f = MockFile::parse(text).unwrap();
    let p = f.problems();
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(p[0].1, "Bad");
    assert_eq!((p[0].2.line, p[0].2.column), (3, 11), "{}", p[0].2);
    assert!(p[0].2.message.contains("Nope"));
    assert_eq!(p[1].1, "Gap");
    assert_eq!((p[1].2.line, p[1].2.column), (6, 3), "{}", p[1].2);
    assert!(f.task_mocks("m", "Good").is_ok());
    // Garbage of any kind is an error, never a panic.
    for bad in [
        "",
        "[]",
        "null",
        "{\"StateMachines\": {\"m\": 1}}",
        "{\"StateMachines\": {}, \"MockedResponses\": {\"x\": []}}",
        "\u{feff}{",
    ] {
        assert!(MockFile::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn a_saved_file_drives_statewright_simulate() {
    let (_, mut file) = read("assets/examples/mocks/fiap-extract-transform-load.mocks.json");
    let sm = "fiap-extract-transform-load";
    file.create_test_case(sm, "Extract fails").unwrap();
    file.set_sequence(
        sm,
        "Extract fails",
        "ExtractJob",
        &[throw_entry("Glue.EntityNotFoundException", "no such job")],
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("statewright-mockfile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mocks = dir.join("fiap.mocks.json");
    statewright::fsutil::write_atomic(&mocks, file.to_text().as_bytes()).unwrap();
    let args = SimulateArgs {
        file: root().join("assets/examples/fiap-extract-transform-load.asl.json"),
        input: None,
        mocks: Some(mocks.clone()),
        test_case: Some("Extract fails".into()),
        state_machine: None,
        context: None,
        trace: None,
        seed: 0,
        max_transitions: 1000,
        format: statewright::sim::cli::Format::Json,
    };
    let mut out = Vec::new();
    let code = statewright::sim::run(&args, &mut out);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["status"], "FAILED", "{v}");
    // The Catch (States.ALL → FailState) was taken: the Fail state's error, not the Task's.
    assert_ne!(v["error"], "Glue.EntityNotFoundException", "{v}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every Task of the seed workflows gets a default return fitting its integration, and a polled status
/// check gets presets.
#[test]
fn seed_workflow_tasks_get_fitting_defaults() {
    let mut dirs = vec![root().join("assets/examples")];
    if let Ok(shared) = std::env::var("STATEWRIGHT_SHARED") {
        dirs.push(Path::new(&shared).join("seed-workflows"));
    }
    let mut tasks = 0;
    for dir in dirs {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let doc = statewright::asl::Document::parse_json(&std::fs::read_to_string(&p).unwrap())
                .unwrap();
            doc.to_json().walk(&mut |_, node| {
                if node.get("Type").and_then(Json::as_str) == Some("Task")
                    && let Some(r) = node.get("Resource").and_then(Json::as_str)
                    && r.starts_with("arn:")
                    && !r.contains(":activity:")
                {
                    tasks += 1;
                    assert!(typical::known(r), "{}: {r}", p.display());
                    assert!(!typical::typical_errors(r).is_empty());
                    if r.ends_with("getCrawler") || r.ends_with("describeStatement") {
                        assert!(typical::presets(r, None).len() >= 2, "{r}");
                    }
                }
            });
        }
    }
    assert!(tasks >= 40, "{tasks}");
}

#[test]
fn restored_edits_are_unsaved_edits_of_the_file_read() {
    let (text, file) = read("assets/examples/mocks/fiap-extract-transform-load.mocks.json");
    let sm = "fiap-extract-transform-load";
    let mut edited = file.clone();
    edited.create_test_case(sm, "Empty").unwrap();
    let recovered = edited.to_text();

    // The file read from disk takes the recovered text: modified, and saving changes only the edited lines.
    let mut f = file.clone();
    f.restore_edits(&recovered).unwrap();
    assert!(f.is_modified());
    assert_eq!(f.to_text(), recovered);
    assert!(f.test_cases(sm).contains(&"Empty".to_owned()));
    let (removed, added) = changed_lines(&text, &f.to_text());
    assert_eq!(removed, ["}"]);
    assert_eq!(added, ["},", "\"Empty\": {}"]);

    // Text that is not a mock file says where, and changes nothing.
    let mut f = file.clone();
    let e = f.restore_edits("{\n  \"StateMachines\": [").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    assert!(!f.is_modified());
    assert_eq!(f.to_text(), text);
}
