//! The `statewright` command line as users' scripts see it: exit codes, output shapes, bad input.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_statewright"))
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples")
        .join(name)
}

fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statewright-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn validate_exit_codes_and_formats() {
    let (code, out, _) = run(bin()
        .arg("validate")
        .arg(example("every-state-type.asl.json")));
    assert_eq!(code, 0, "{out}");

    let bad = scratch(
        "bad.asl.json",
        b"{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"Next\": \"Nowhere\"\n    }\n  }\n}\n",
    );
    let (code, out, _) = run(bin().arg("validate").arg(&bad));
    assert_eq!(code, 1);
    assert!(
        out.contains("bad.asl.json:6:7: error[target-missing]:"),
        "{out}"
    );

    let (code, out, _) = run(bin().args(["validate", "--format", "json"]).arg(&bad));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "target-missing")
        .unwrap();
    assert_eq!(first["code"], "target-missing");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["pointer"], "/States/A/Next");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(6), Some(7))
    );

    let (code, _, err) = run(bin().arg("validate").arg("/nonexistent/x.json"));
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn bad_input_gets_a_located_error_not_a_crash() {
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        ("truncated.json", b"{\n  \"StartAt\": \"A\",\n  \"States\": {".to_vec(), 2, ":3:"),
        ("array.json", b"[1, 2]".to_vec(), 1, "error[not-an-object]"),
        ("states.json", br#"{"StartAt": "A", "States": []}"#.to_vec(), 1, "error[field-type]"),
        (
            "type.json",
            br#"{"StartAt": "A", "States": {"A": {"Type": "Teleport", "End": true}}}"#.to_vec(),
            1,
            "error[unknown-state-type]",
        ),
        (
            "types.json",
            br#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": "five", "End": "yes"}}}"#.to_vec(),
            1,
            "error[field-type]",
        ),
        ("deep.json", ("[".repeat(10_000) + &"]".repeat(10_000)).into_bytes(), 2, "nest deeper"),
        ("utf8.json", b"{\"StartAt\": \"\xff\"}".to_vec(), 2, "not UTF-8"),
        ("empty.json", Vec::new(), 2, "empty"),
        ("bad.yaml", b"StartAt: A\nStates: [1, 2\n".to_vec(), 2, "invalid YAML"),
    ];
    for (name, bytes, want, needle) in cases {
        let p = scratch(name, &bytes);
        let (code, out, err) = run(bin().arg("validate").arg(&p));
        assert_eq!(code, want, "{name}: {out}{err}");
        assert!(
            out.contains(needle) || err.contains(needle),
            "{name}: expected {needle:?} in {out}{err}"
        );
    }
}

#[test]
fn large_file_is_answered() {
    // A 50 MB definition: one Pass state whose Result is a long array.
    let mut text = String::from(
        "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true, \"Result\": [",
    );
    let item = "{\"key\": \"some value\", \"n\": 12345.678},";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(item);
    }
    text.push_str("0]}}}");
    let p = scratch("big.json", text.as_bytes());
    let (code, out, err) = run(bin().arg("validate").arg(&p));
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn fmt_prints_checks_and_writes() {
    let canonical = example("every-state-type.asl.json");
    let (code, out, _) = run(bin().arg("fmt").arg(&canonical));
    assert_eq!(code, 0);
    assert_eq!(out, std::fs::read_to_string(&canonical).unwrap());
    assert_eq!(run(bin().args(["fmt", "--check"]).arg(&canonical)).0, 0);

    let compact = scratch(
        "compact.json",
        br#"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1.50,"End":true}}}"#,
    );
    assert_eq!(run(bin().args(["fmt", "--check"]).arg(&compact)).0, 1);
    let (code, out, _) = run(bin().arg("fmt").arg(&compact));
    assert_eq!(code, 0);
    assert!(out.contains("\"Result\": 1.50,\n"), "{out}");
    #[cfg(unix)]
    std::fs::set_permissions(
        &compact,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    assert_eq!(run(bin().args(["fmt", "--write"]).arg(&compact)).0, 0);
    assert_eq!(std::fs::read_to_string(&compact).unwrap(), out);
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&compact).unwrap().permissions()
        ) & 0o777,
        0o600,
        "fmt --write keeps a private file private"
    );
    assert_eq!(run(bin().args(["fmt", "--check"]).arg(&compact)).0, 0);

    let broken = scratch("broken.json", b"{\"StartAt\": ");
    let before = std::fs::read(&broken).unwrap();
    assert_eq!(run(bin().args(["fmt", "--write"]).arg(&broken)).0, 2);
    assert_eq!(
        std::fs::read(&broken).unwrap(),
        before,
        "a broken file is never overwritten"
    );
}

#[test]
fn version_and_help() {
    let (code, out, _) = run(bin().arg("--version"));
    assert_eq!(code, 0);
    assert!(out.starts_with("statewright "), "{out}");
    let (code, out, _) = run(bin().arg("help"));
    assert_eq!(code, 0);
    assert!(out.contains("validate") && out.contains("fmt"), "{out}");
}

fn template_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/templates")
        .join(name)
}

#[test]
fn templates_extract_inject_validate_render_simulate() {
    let two = template_fixture("two-machines.yaml");
    let original = std::fs::read_to_string(&two).unwrap();
    // Several state machines and no --state-machine: listed, exit 2.
    let (code, out, err) = run(bin().arg("extract").arg(&two));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("Greeter") && err.contains("Regional"), "{err}");
    // extract keeps the placeholders.
    let (code, def, err) = run(bin()
        .args(["extract", "--state-machine", "Greeter"])
        .arg(&two));
    assert_eq!(code, 0, "{err}");
    assert!(def.contains("\"${Greeting}\""), "{def}");
    // inject of the extracted definition: byte for byte.
    let extracted = scratch("greeter.asl.json", def.as_bytes());
    let (code, out, err) = run(bin()
        .args(["inject", "--state-machine", "Greeter", "--definition"])
        .arg(&extracted)
        .arg(&two));
    assert_eq!((code, out.as_str()), (0, original.as_str()), "{err}");
    // inject of an edit, written in place: only the definition's lines change.
    let copy = scratch("two-machines.yaml", original.as_bytes());
    let edited = scratch(
        "greeter-edited.asl.json",
        def.replace("\"Greets\"", "\"Greets, edited\"").as_bytes(),
    );
    let (code, out, err) = run(bin()
        .args([
            "inject",
            "--write",
            "--state-machine",
            "Greeter",
            "--definition",
        ])
        .arg(&edited)
        .arg(&copy));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let written = std::fs::read_to_string(&copy).unwrap();
    assert_eq!(
        written,
        original.replace("Comment: Greets\n", "Comment: Greets, edited\n")
    );
    // Unknown ID: 2. A CDK Fn::Join: read-only, 1.
    let (code, _, err) = run(bin()
        .args(["inject", "--state-machine", "Nope", "--definition"])
        .arg(&extracted)
        .arg(&two));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Greeter, Regional"), "{err}");
    let join = template_fixture("cdk-join.json");
    let (code, joined, err) = run(bin().arg("extract").arg(&join));
    assert_eq!(code, 0, "{err}");
    assert!(joined.contains("\"Resource\":\"${Fn.Arn}\""), "{joined}");
    let joined_file = scratch("joined.asl.json", joined.as_bytes());
    let (code, _, err) = run(bin()
        .args(["inject", "--state-machine", "Machine", "--definition"])
        .arg(&joined_file)
        .arg(&join));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("Fn::Join"), "{err}");
    // validate: the Regional machine's missing Next target, at its line:col in the template, with its ID.
    let (code, out, err) = run(bin().arg("validate").arg(&two));
    assert_eq!(code, 1, "{out}{err}");
    let line = out
        .lines()
        .find(|l| l.contains("target-missing"))
        .unwrap_or_else(|| panic!("{out}"));
    let at = original.find("\"Next\": \"Missing\"").unwrap();
    let want_line = original[..at].matches('\n').count() + 1;
    let want_col = at - original[..at].rfind('\n').unwrap();
    assert!(
        line.starts_with(&format!("{}:{want_line}:{want_col}: error", two.display()))
            && line.ends_with("[Regional]"),
        "{line}"
    );
    // simulate: placeholders substituted (a literal, and a stand-in for !GetAtt).
    let (code, out, err) = run(bin()
        .args(["simulate", "--format", "json", "--state-machine", "Greeter"])
        .arg(&two));
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["output"]["text"], "hello");
    assert_eq!(
        v["output"]["function"],
        "arn:aws:lambda:us-east-1:123456789012:function:GreetFunction"
    );
    // render: the chosen machine.
    let svg = std::env::temp_dir().join(format!("statewright-cli-{}-t.svg", std::process::id()));
    let (code, _, err) = run(bin()
        .args(["render", "--state-machine", "Greeter", "-o"])
        .arg(&svg)
        .arg(&two));
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&svg).unwrap().contains("Say"));
}
