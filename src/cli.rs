//! The command-line interface: `validate`, `fmt`, `replay` (and, wired in `main.rs`, `simulate`, `render`, the
//! designer).
//!
//! Exit codes are a public contract: 0 fine, 1 the ASL is invalid / not canonical / the history does not fit
//! the definition, 2 a file cannot be read or is not JSON/YAML (or not an execution history),
//! [`EXIT_BROKEN_PIPE`] (141) the reader of stdout went away (`… | head`).

use crate::asl::{Document, LoadError, SourceFormat};
use crate::validate::{Diagnostic, has_errors, validate_document};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The exit code of every subcommand whose stdout reader goes away before the output is written
/// (`statewright simulate … | head`): 128 + SIGPIPE, the status a shell reports for a program that a closed
/// pipe ends (`cat`, `grep`), so `set -o pipefail` scripts see the same as with those; never 0, which would
/// claim a result (valid, succeeded) that nobody read to the end.
pub const EXIT_BROKEN_PIPE: i32 = 141;

/// The CLI's stdout: when the reader has gone away (`BrokenPipe`) the process ends at once and quietly (no
/// message, no panic) with [`EXIT_BROKEN_PIPE`]; any other error is returned to the caller.
pub struct PipeWriter<W: Write>(pub W);

impl<W: Write> Write for PipeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        exit_on_broken_pipe(self.0.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        exit_on_broken_pipe(self.0.flush())
    }
}

fn exit_on_broken_pipe<T>(result: std::io::Result<T>) -> std::io::Result<T> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            std::process::exit(EXIT_BROKEN_PIPE)
        }
        r => r,
    }
}

/// Output format of `validate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// ASL files (.json, .asl.json, .yaml, .yml)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// `text`: file:line:col: error[CODE]: message; `json`: one JSON array of diagnostics
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// The ASL file to format
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Rewrite the file in place (atomically) instead of printing
    #[arg(long, conflicts_with = "check")]
    pub write: bool,
    /// Exit 1 if the file is not in canonical form; print nothing
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The state machine definition (.asl.json, .json, .yaml) or a CloudFormation/SAM/CDK template
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The execution history: what `aws stepfunctions get-execution-history` prints (`{"events": [...]}`), a
    /// bare array of events, or a record with "history"
    #[arg(long, value_name = "HISTORY.json")]
    pub history: PathBuf,
    /// For a template: the logical ID of the state machine (needed when it has several)
    #[arg(long, value_name = "ID")]
    pub state_machine: Option<String>,
    /// `text`: the events, then the mismatches as HISTORY:line:col; `json`: one object
    /// `{"status","states_entered","events","mismatches"}`
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// `statewright replay`: replays an AWS execution history on a definition; returns the exit code (0 the
/// history fits the definition, 1 it does not, 2 a file cannot be read or is not a definition / history).
pub fn replay_cmd(args: &ReplayArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let doc = match load_machine(&args.file, args.state_machine.as_deref()) {
        Ok(d) => d,
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            return 2;
        }
    };
    let replay = match crate::replay::replay_file(&doc.machine, &args.history) {
        Ok(r) => r,
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            return 2;
        }
    };
    let written = match args.format {
        OutputFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string(&replay.summary_json()).unwrap_or_default()
        ),
        OutputFormat::Text => out.write_all(replay.text_report(&args.history).as_bytes()),
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        let _ = writeln!(err, "error: cannot write the result: {e}");
        return 2;
    }
    if replay.fits() { 0 } else { 1 }
}

/// The state machine of an ASL file (JSON or YAML) or of a template's state machine (`id` picks it when it
/// holds several); the error names the file and, for a syntax error, the line and column.
pub fn load_machine(path: &Path, id: Option<&str>) -> Result<Document, String> {
    let doc = match crate::template::cli::template_document(path, id, false)? {
        Some((doc, _)) => doc,
        None => load(path)?,
    };
    if !doc.root_is_object() || doc.machine.start_at().is_none() {
        return Err(format!(
            "{}: not a state machine (the top level needs \"StartAt\" and \"States\")",
            path.display()
        ));
    }
    Ok(doc)
}

/// Reads and parses a file; the error is a one-line message with `path:line:col`.
pub fn load(path: &Path) -> Result<Document, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    Document::from_vec(bytes, SourceFormat::from_path(path)).map_err(|e| load_error(path, &e))
}

fn load_error(path: &Path, e: &LoadError) -> String {
    let (line, col) = e.line_col();
    let msg = match e {
        LoadError::NotUtf8 { offset, .. } => {
            format!("the file is not UTF-8 text (invalid byte at offset {offset})")
        }
        LoadError::Syntax(p) => p.message.clone(),
    };
    format!("{}:{line}:{col}: error: {msg}", path.display())
}

/// `statewright validate`: returns the exit code.
pub fn validate_cmd(args: &ValidateArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut worst = 0;
    let mut all_json = Vec::new();
    for path in &args.files {
        if crate::template::cli::is_template_file(path) {
            let code = validate_template_file(path, args.format, out, err, &mut all_json);
            worst = worst.max(code);
            continue;
        }
        let doc = match load(path) {
            Ok(d) => d,
            Err(msg) => {
                let _ = writeln!(err, "{msg}");
                worst = 2;
                continue;
            }
        };
        let diags = validate_document(&doc);
        if has_errors(&diags) {
            worst = worst.max(1);
        }
        match args.format {
            OutputFormat::Text => {
                for d in &diags {
                    let _ = writeln!(out, "{}", text_line(path, d));
                }
            }
            OutputFormat::Json => {
                for d in diags {
                    let mut v = serde_json::to_value(&d).unwrap_or_default();
                    if let Some(o) = v.as_object_mut() {
                        o.insert("file".into(), path.display().to_string().into());
                    }
                    all_json.push(v);
                }
            }
        }
    }
    if args.format == OutputFormat::Json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&all_json).unwrap_or_else(|_| "[]".into())
        );
    }
    worst
}

/// Validates every state machine of a template: diagnostics carry the template's (or the referenced
/// file's) line:col and the logical ID. Returns the exit code for this file.
fn validate_template_file(
    path: &Path,
    format: OutputFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
    all_json: &mut Vec<serde_json::Value>,
) -> i32 {
    let (diags, unreadable) = match crate::template::cli::validate_template(path) {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 2;
        }
    };
    let mut worst = 0;
    for e in &unreadable {
        let _ = writeln!(err, "{e}");
        worst = 2;
    }
    if diags.iter().any(|d| d.diagnostic.is_error()) {
        worst = worst.max(1);
    }
    for d in diags {
        match format {
            OutputFormat::Text => {
                let _ = writeln!(
                    out,
                    "{} [{}]",
                    text_line(&d.file, &d.diagnostic),
                    d.logical_id
                );
            }
            OutputFormat::Json => {
                let mut v = serde_json::to_value(&d.diagnostic).unwrap_or_default();
                if let Some(o) = v.as_object_mut() {
                    o.insert("file".into(), d.file.display().to_string().into());
                    o.insert("state_machine".into(), d.logical_id.into());
                }
                all_json.push(v);
            }
        }
    }
    worst
}

/// `file:line:col: error[CODE]: message`
pub fn text_line(path: &Path, d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}[{}]: {} (at {})",
        path.display(),
        d.line.unwrap_or(1),
        d.column.unwrap_or(1),
        d.severity.name(),
        d.code,
        d.message,
        d.pointer
    )
}

/// `statewright fmt`: returns the exit code.
pub fn fmt_cmd(args: &FmtArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let doc = match load(&args.file) {
        Ok(d) => d,
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            return 2;
        }
    };
    let canonical = doc.canonical_text();
    if args.check {
        if canonical == doc.source() {
            return 0;
        }
        let _ = writeln!(
            err,
            "{}: not in canonical form (run `statewright fmt --write`)",
            args.file.display()
        );
        return 1;
    }
    if args.write {
        if canonical == doc.source() {
            return 0;
        }
        let target = if doc.format() == SourceFormat::Yaml {
            let _ = writeln!(
                err,
                "{}: YAML files are formatted to stdout only; --write would turn them into JSON",
                args.file.display()
            );
            return 2;
        } else {
            &args.file
        };
        if let Err(e) = crate::fsutil::write_atomic(target, canonical.as_bytes()) {
            let _ = writeln!(err, "{}: cannot write: {e}", target.display());
            return 2;
        }
        return 0;
    }
    let _ = out.write_all(canonical.as_bytes());
    0
}
