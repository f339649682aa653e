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
    let svg = render_svg(&doc.machine, &layout);
    let bytes = if ext.as_deref() == Some("png") {
        render_png(&svg, 1.0)?
    } else {
        svg.into_bytes()
    };
    crate::fsutil::write_file(output, &bytes)
}
