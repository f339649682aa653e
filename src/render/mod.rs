//! Pictures of a state machine: SVG text built from the layout ([`svg`]), rasterised to PNG ([`png`]), and the
//! `statewright render FILE -o OUT.svg|OUT.png` command behind [`render_cmd`].

pub mod overlay;
pub mod png;
pub mod svg;

pub use overlay::RunOverlay;
pub use png::render_png;
pub use svg::{render_svg, render_svg_with_run};

use crate::asl::{Document, SourceFormat};
use std::path::Path;

/// Reads an ASL file (JSON or YAML by extension), lays it out and writes an `.svg` or `.png` picture, chosen by
/// the output's extension. Positions saved in the sidecar `NAME.layout.json` are honoured when it exists.
/// For a template, `state_machine` picks the state machine (needed when it has several).
pub fn render_cmd(input: &Path, output: &Path, state_machine: Option<&str>) -> Result<(), String> {
    render_cmd_with_run(input, output, state_machine, None)
}

/// Reads a trace written by `statewright simulate --trace` and builds the overlay at step `at` (1-based event
/// number, as in "Run at step N of M"; the last event when `None`).
pub fn load_run(trace: &Path, at: Option<usize>) -> Result<RunOverlay, String> {
    let text = std::fs::read_to_string(trace).map_err(|e| format!("{}: {e}", trace.display()))?;
    let trace_data: crate::trace::Trace = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not a trace written by `simulate --trace`: {e}",
            trace.display(),
            e.line(),
            e.column()
        )
    })?;
    let events = trace_data.events.len();
    let mut cursor = crate::trace::TraceCursor::new(&trace_data);
    match at {
        None => cursor.seek_end(),
        Some(n) if (1..=events).contains(&n) => cursor.seek(Some(n - 1)),
        Some(n) => {
            return Err(format!(
                "--at {n}: {} has {events} events (steps 1 to {events})",
                trace.display()
            ));
        }
    }
    Ok(RunOverlay::at(&trace_data, &cursor))
}

/// [`render_cmd`] with a run drawn over the diagram: `run` is a trace file and the step to show (see
/// [`load_run`]).
pub fn render_cmd_with_run(
    input: &Path,
    output: &Path,
    state_machine: Option<&str>,
    run: Option<(&Path, Option<usize>)>,
) -> Result<(), String> {
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("svg" | "png")) {
        return Err(format!(
            "{}: the output must end in .svg or .png",
            output.display()
        ));
    }
    // A template: the chosen state machine's definition (the layout sidecar belongs to ASL files).
    let (doc, layout) = match crate::template::cli::template_document(input, state_machine, false)?
    {
        Some((doc, _)) => {
            let layout = crate::layout::layout(&doc.machine);
            (doc, layout)
        }
        None => {
            let bytes = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
            let doc = Document::from_vec(bytes, SourceFormat::from_path(input))
                .map_err(|e| format!("{}:{e}", input.display()))?;
            let sidecar = crate::layout::sidecar_path(input);
            let layout = if sidecar.is_file() {
                let pins = crate::layout::LayoutFile::load(&sidecar)?.positions;
                crate::layout::layout_with_pins(&doc.machine, &pins)
            } else {
                crate::layout::layout(&doc.machine)
            };
            (doc, layout)
        }
    };
    let run = run.map(|(trace, at)| load_run(trace, at)).transpose()?;
    let svg = render_svg_with_run(&doc.machine, &layout, run.as_ref());
    let bytes = if ext.as_deref() == Some("png") {
        render_png(&svg, 1.0)?
    } else {
        svg.into_bytes()
    };
    crate::fsutil::write_file(output, &bytes)
}
