//! The command line in pipes (`statewright simulate … | head`): when the reader of stdout goes away, every
//! subcommand ends at once and quietly — no panic, no backtrace, nothing on stderr — with exit code 141
//! (128 + SIGPIPE, what a shell reports for `cat` or `grep` in the same place; see `cli::EXIT_BROKEN_PIPE`).
//! The outputs here are megabytes, far beyond a pipe's buffer, so the command is still writing when the
//! reader leaves.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const EXIT_BROKEN_PIPE: i32 = 141;

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statewright-pipes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A chain of `n` Pass states; with `broken`, every `Next` names a missing state (one error per state).
fn workflow(dir: &Path, name: &str, n: usize, broken: bool) -> PathBuf {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let state = if broken {
            serde_json::json!({"Type": "Pass", "Next": format!("Missing {i}")})
        } else if i + 1 == n {
            serde_json::json!({"Type": "Pass", "Result": {"step": i}, "End": true})
        } else {
            serde_json::json!({"Type": "Pass", "Result": {"step": i}, "ResultPath": "$.last", "Next": format!("Step {}", i + 1)})
        };
        states.insert(format!("Step {i}"), state);
    }
    let def = serde_json::json!({"StartAt": "Step 0", "States": states});
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&def).unwrap()).unwrap();
    path
}

/// A 5,000-state chain; `test` names the file (tests run in parallel).
fn big(test: &str) -> PathBuf {
    workflow(&scratch(), &format!("{test}-chain.asl.json"), 5000, false)
}

/// 2,500 states, each with an error (validating 5,000 takes seconds in a debug build).
fn broken(test: &str) -> PathBuf {
    workflow(&scratch(), &format!("{test}-broken.asl.json"), 2500, true)
}

enum Reader {
    /// Closes the read end before reading anything.
    ClosesAtOnce,
    /// Reads one line, then closes it (`| head -1`).
    ReadsOneLine,
}

/// Runs the binary with `args`, stdout into a pipe that the reader leaves; returns (exit code, stderr).
fn run_into_closed_pipe(args: &[&std::ffi::OsStr], reader: Reader) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_statewright"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("RUST_BACKTRACE", "1")
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    match reader {
        Reader::ClosesAtOnce => drop(stdout),
        Reader::ReadsOneLine => {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).unwrap();
            assert!(!line.is_empty(), "{args:?}: no output at all");
        }
    }
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    (status.code(), err)
}

/// The command ends quietly with [`EXIT_BROKEN_PIPE`] for both kinds of reader.
fn ends_quietly(args: &[&std::ffi::OsStr]) {
    ends_quietly_with(args, [Reader::ClosesAtOnce, Reader::ReadsOneLine]);
}

fn ends_quietly_with<const N: usize>(args: &[&std::ffi::OsStr], readers: [Reader; N]) {
    for reader in readers {
        let (code, err) = run_into_closed_pipe(args, reader);
        assert!(!err.contains("panicked"), "{args:?} panicked:\n{err}");
        assert!(err.is_empty(), "{args:?} wrote to stderr:\n{err}");
        assert_eq!(code, Some(EXIT_BROKEN_PIPE), "{args:?}");
    }
}

#[test]
fn simulate_text_log_into_a_closed_pipe() {
    let f = big("simulate");
    ends_quietly(&["simulate".as_ref(), f.as_os_str()]);
}

#[test]
fn simulate_json_result_into_a_closed_pipe() {
    // One line of JSON: the output of a Pass state is its input, ~200 KB (under the 256 KiB payload limit).
    // A reader of one line would read all of it, so only the reader that leaves at once applies.
    let dir = scratch();
    let input = dir.join("big-input.json");
    let items: Vec<String> = (0..15_000).map(|i| format!("item {i}")).collect();
    std::fs::write(&input, serde_json::json!({ "items": items }).to_string()).unwrap();
    let f = dir.join("pass-through.asl.json");
    std::fs::write(
        &f,
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#,
    )
    .unwrap();
    let args = [
        "simulate".as_ref(),
        f.as_os_str(),
        "--input".as_ref(),
        input.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ];
    let out = Command::new(env!("CARGO_BIN_EXE_statewright"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.len() > 128 << 10,
        "only {} bytes",
        out.stdout.len()
    );
    ends_quietly_with(&args, [Reader::ClosesAtOnce]);
}

#[test]
fn validate_text_and_json_into_a_closed_pipe() {
    let f = broken("validate");
    ends_quietly(&["validate".as_ref(), f.as_os_str()]);
    ends_quietly(&[
        "validate".as_ref(),
        f.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
}

#[test]
fn fmt_into_a_closed_pipe() {
    let f = big("fmt");
    ends_quietly(&["fmt".as_ref(), f.as_os_str()]);
}

#[test]
fn the_outputs_are_bigger_than_a_pipe() {
    // Guards the tests above: with a small output the command could finish before the reader leaves. 512 KiB
    // is 8 times a default Linux pipe buffer.
    let (f, b) = (big("sizes"), broken("sizes"));
    for args in [
        vec!["simulate".as_ref(), f.as_os_str()],
        vec!["validate".as_ref(), b.as_os_str()],
        vec!["fmt".as_ref(), f.as_os_str()],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_statewright"))
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.stdout.len() > 512 << 10,
            "{args:?}: only {} bytes",
            out.stdout.len()
        );
    }
}

#[test]
fn render_and_help_with_a_closed_stdout() {
    // `render` writes to its -o file, not stdout: a closed stdout changes nothing.
    let f = big("render");
    let out = scratch().join("render-chain.svg");
    let (code, err) = run_into_closed_pipe(
        &[
            "render".as_ref(),
            f.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        Reader::ClosesAtOnce,
    );
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<svg"));
    // clap's own output (help, version) into a closed pipe: no panic.
    for args in [["--help"], ["--version"]] {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        let (code, err) = run_into_closed_pipe(&args, Reader::ClosesAtOnce);
        assert!(!err.contains("panicked"), "{args:?}:\n{err}");
        assert!(code.is_some(), "{args:?} was killed");
    }
}
