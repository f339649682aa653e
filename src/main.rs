//! The `statewright` binary: CLI subcommands; with the `gui` feature and no subcommand, the designer.

use clap::{Parser, Subcommand};
use statewright::cli;

#[derive(Parser)]
#[command(
    name = "statewright",
    version,
    about = "Design, validate and simulate AWS Step Functions state machines"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no subcommand: the ASL file to open in the designer (a bundled example when omitted)
    #[arg(value_name = "FILE")]
    file: Option<std::path::PathBuf>,
}

#[cfg(feature = "gui")]
fn designer(file: Option<std::path::PathBuf>) -> i32 {
    match statewright::ui::run_designer(file) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("statewright: {e}");
            2
        }
    }
}

#[cfg(not(feature = "gui"))]
fn designer(_file: Option<std::path::PathBuf>) -> i32 {
    use clap::CommandFactory;
    let _ = Cli::command().print_help();
    eprintln!("\n(built without the `gui` feature: the designer is not available)");
    0
}

#[derive(Subcommand)]
enum Command {
    /// Check ASL files and print diagnostics (exit 0 valid, 1 invalid, 2 unreadable)
    Validate(cli::ValidateArgs),
    /// Print the canonical form (2-space indent, key order and numbers as written)
    Fmt(cli::FmtArgs),
    /// Run a state machine with mocked task results (exit 0 succeeded, 1 failed, 2 bad input)
    Simulate(statewright::sim::cli::SimulateArgs),
    /// Replay an AWS execution history on a definition and check that it fits (exit 0 fits, 1 mismatches,
    /// 2 unreadable or not a history)
    Replay(cli::ReplayArgs),
    /// Draw the diagram (same layout as the designer) to an SVG or PNG file
    Render {
        /// The ASL file
        #[arg(value_name = "FILE")]
        file: std::path::PathBuf,
        /// Output file; the extension (.svg or .png) picks the format
        #[arg(short = 'o', long = "output", value_name = "OUT")]
        output: std::path::PathBuf,
        /// For a template: the logical ID of the state machine (needed when it has several)
        #[arg(long, value_name = "ID")]
        state_machine: Option<String>,
        /// Draw a run over the diagram: a trace written by `simulate --trace`
        #[arg(long, value_name = "TRACE.json")]
        trace: Option<std::path::PathBuf>,
        /// With --trace: the step to show (event number, from 1); the end of the run by default
        #[arg(long, value_name = "N", requires = "trace")]
        at: Option<usize>,
    },
    /// Print a state machine's definition from a CloudFormation/SAM/CDK template as ASL JSON (exit 2: several
    /// state machines and no --state-machine, unknown ID, unreadable template)
    Extract(statewright::template::cli::ExtractArgs),
    /// Put a definition into a template, changing only the definition's text (exit 1: the definition is
    /// read-only, e.g. a CDK Fn::Join; 2: unreadable input or unknown ID)
    Inject(statewright::template::cli::InjectArgs),
}

fn main() {
    let parsed = Cli::parse();
    // A closed stdout (`… | head`) ends every subcommand quietly with cli::EXIT_BROKEN_PIPE.
    let mut out = cli::PipeWriter(std::io::stdout().lock());
    let mut err = std::io::stderr().lock();
    let code = match parsed.command {
        Some(Command::Validate(a)) => cli::validate_cmd(&a, &mut out, &mut err),
        Some(Command::Fmt(a)) => cli::fmt_cmd(&a, &mut out, &mut err),
        Some(Command::Render {
            file,
            output,
            state_machine,
            trace,
            at,
        }) => match statewright::render::render_cmd_with_run(
            &file,
            &output,
            state_machine.as_deref(),
            trace.as_deref().map(|t| (t, at)),
        ) {
            Ok(()) => 0,
            Err(msg) => {
                use std::io::Write;
                let _ = writeln!(err, "{msg}");
                2
            }
        },
        Some(Command::Extract(a)) => {
            statewright::template::cli::extract_cmd(&a, &mut out, &mut err)
        }
        Some(Command::Inject(a)) => statewright::template::cli::inject_cmd(&a, &mut out, &mut err),
        Some(Command::Simulate(a)) => statewright::sim::cli::run(&a, &mut out),
        Some(Command::Replay(a)) => cli::replay_cmd(&a, &mut out, &mut err),
        None => designer(parsed.file),
    };
    // Flushing here (not in exit's cleanup) lets a broken pipe on the last buffered line end quietly too.
    let _ = std::io::Write::flush(&mut out);
    drop(out);
    drop(err);
    std::process::exit(code);
}
