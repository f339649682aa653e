//! `statewright simulate`: the CLI front of the simulator. `main.rs` parses [`SimulateArgs`] and calls [`run`].
//!
//! Exit codes: 0 the execution succeeded, 1 it failed (or timed out), 2 the definition, input, mock or context
//! file could not be used (the message names the file and where).

use super::config::{DEFAULT_MAX_TRANSITIONS, Record, SimConfig};
use super::mocks::TaskMocks;
use crate::asl::{Document, SourceFormat};
use crate::trace::{Status, Trace};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Output format of `simulate`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable event log, then the result.
    #[default]
    Text,
    /// Exactly one JSON object: `{"status","output"}` or `{"status","error","cause"}`.
    Json,
}

/// Arguments of `statewright simulate`.
#[derive(Clone, Debug, clap::Args)]
pub struct SimulateArgs {
    /// The state machine definition (.asl.json, .json, .yaml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The execution input: a JSON file, or `-` for stdin. Default `{}`.
    #[arg(long, value_name = "FILE|-")]
    pub input: Option<String>,
    /// A Step Functions Local MockConfigFile.
    #[arg(long, value_name = "MOCKCONFIG")]
    pub mocks: Option<PathBuf>,
    /// The test case in the mock file (needed when the machine has several).
    #[arg(long, value_name = "NAME")]
    pub test_case: Option<String>,
    /// The state machine entry in the mock file (needed when there are several). For a template: the logical
    /// ID of its state machine (needed when it has several), also used as the mock file's entry when it has one.
    #[arg(long, value_name = "NAME")]
    pub state_machine: Option<String>,
    /// A JSON object merged into the context object (`$$`), e.g. `{"Execution":{"Name":"run-1"}}`.
    #[arg(long, value_name = "FILE")]
    pub context: Option<PathBuf>,
    /// Write the full trace (history events, data at every stage) to this file.
    #[arg(long, value_name = "OUT.json")]
    pub trace: Option<PathBuf>,
    /// RNG seed (retry jitter, States.UUID, States.MathRandom).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Stop after this many state transitions.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_TRANSITIONS)]
    pub max_transitions: u64,
    /// `text` or `json`.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs the command, writing the result to `out` (the CLI passes stdout through
/// [`crate::cli::PipeWriter`]); returns the process exit code.
pub fn run(args: &SimulateArgs, out: &mut dyn Write) -> i32 {
    let (doc, mut config, input) = match prepare(args) {
        Ok(x) => x,
        Err(message) => {
            eprintln!("error: {message}");
            return 2;
        }
    };
    config.record = record_level(args);
    let trace = super::simulate(&doc.machine, input, &config);
    if let Some(path) = &args.trace
        && let Err(e) =
            crate::fsutil::write_atomic(path, (trace.to_json_string() + "\n").as_bytes())
    {
        eprintln!("error: cannot write the trace to {}: {e}", path.display());
        return 2;
    }
    let written = match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string(&result_json(&trace)).unwrap_or_default()
        ),
        Format::Text => out.write_all(text_report(&trace).as_bytes()),
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        eprintln!("error: cannot write the result: {e}");
        return 2;
    }
    match trace.status {
        Status::Succeeded => 0,
        Status::Failed | Status::TimedOut | Status::Aborted | Status::Running => 1,
    }
}

/// The cheapest recording level the output needs: the trace file has every stage, the text log lists the events
/// (with each Choice decision), the JSON result needs none.
pub fn record_level(args: &SimulateArgs) -> Record {
    if args.trace.is_some() {
        Record::Full
    } else {
        match args.format {
            Format::Text => Record::Events,
            Format::Json => Record::ResultOnly,
        }
    }
}

/// `{"status":"SUCCEEDED","output":…}` or `{"status":"FAILED","error":…,"cause":…}`.
pub fn result_json(trace: &Trace) -> Value {
    match trace.status {
        Status::Succeeded => json!({ "status": trace.status.name(), "output": trace.output }),
        _ => json!({ "status": trace.status.name(), "error": trace.error, "cause": trace.cause }),
    }
}

/// The readable log: one line per event, then the result.
pub fn text_report(trace: &Trace) -> String {
    let mut out = String::new();
    for e in &trace.events {
        let mut line = format!("{:>4}  {}  {:<26}", e.id, e.timestamp, e.event_type);
        if !e.path.0.is_empty() {
            line.push_str(&format!(" {}", e.path));
        }
        if let Some(i) = e.index()
            && e.event_type.starts_with("MapIteration")
        {
            line.push_str(&format!(" [item {i}]"));
        }
        if e.unmocked() {
            line.push_str("  (unmocked: result = input)");
        }
        if let Some(err) = e.error() {
            line.push_str(&format!("  error={err}"));
        }
        if let Some(c) = e.choice() {
            match (c.matched_rule, &c.next) {
                (Some(i), Some(n)) => line.push_str(&format!("  rule #{i} → {n}")),
                (None, Some(n)) => line.push_str(&format!("  Default → {n}")),
                _ => {}
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&format!("status: {}\n", trace.status.name()));
    match trace.status {
        Status::Succeeded => {
            let o = trace.output.as_ref().map_or("null".into(), |o| {
                serde_json::to_string_pretty(o).unwrap_or_default()
            });
            out.push_str(&format!("output: {o}\n"));
        }
        Status::Running => {}
        _ => {
            out.push_str(&format!(
                "error: {}\n",
                trace.error.as_deref().unwrap_or("")
            ));
            if let Some(c) = &trace.cause {
                out.push_str(&format!("cause: {c}\n"));
            }
        }
    }
    out
}

fn prepare(args: &SimulateArgs) -> Result<(Document, SimConfig, Value), String> {
    // A template: `--state-machine` picks its state machine (and the mock file's entry of that name, when
    // there is one); the definition runs with its placeholders substituted.
    let template =
        crate::template::cli::template_document(&args.file, args.state_machine.as_deref(), true)?;
    let template_machine = template.as_ref().map(|(_, id)| id.clone());
    let doc = match template {
        Some((doc, _)) => doc,
        None => {
            let bytes = std::fs::read(&args.file)
                .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
            Document::from_vec(bytes, SourceFormat::from_path(&args.file))
                .map_err(|e| format!("{}:{e}", args.file.display()))?
        }
    };
    if !doc.root_is_object() || doc.machine.start_at().is_none() {
        return Err(format!(
            "{}: not a state machine (the top level needs \"StartAt\" and \"States\")",
            args.file.display()
        ));
    }
    let input = match args.input.as_deref() {
        None => json!({}),
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read the input from stdin: {e}"))?;
            parse_json_text(&text, "<stdin>")?
        }
        Some(path) => read_json(Path::new(path))?,
    };
    let mut config = SimConfig {
        seed: args.seed,
        max_transitions: args.max_transitions,
        ..SimConfig::default()
    };
    if let Some(m) = &args.mocks {
        let v = read_json(m)?;
        let entry = match &template_machine {
            Some(id) => v
                .get("StateMachines")
                .and_then(|m| m.get(id))
                .map(|_| id.as_str()),
            None => args.state_machine.as_deref(),
        };
        config.mocks = TaskMocks::from_mock_config(&v, entry, args.test_case.as_deref())
            .map_err(|e| format!("{}: {e}", m.display()))?;
    }
    if let Some(c) = &args.context {
        let v = read_json(c)?;
        if !v.is_object() {
            return Err(format!(
                "{}: the context file must hold a JSON object",
                c.display()
            ));
        }
        config.context_overrides = Some(v);
    }
    Ok((doc, config, input))
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_json_text(&text, &path.display().to_string())
}

fn parse_json_text(text: &str, name: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{name}:{}:{}: {e}", e.line(), e.column()))
}
