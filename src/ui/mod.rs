//! The egui designer (feature `gui`): everything that names egui lives under this module.
//!
//! Module map: [`app`] (the `App`: panels, commands, menus, file operations), `canvas` (the diagram), [`player`]
//! (Run > Simulate), `palette`, `inspector`, `diagnostics` (with the code view), `files` (open/save/recent/
//! autosave), `theme`.

pub mod app;
mod canvas;
mod derived;
mod diagnostics;
pub mod files;
mod inspector;
mod palette;
pub mod player;
mod theme;

pub(crate) use crate::layout;
pub use app::App;

use std::path::PathBuf;

/// The bundled examples, `(file name, text)`; the first (a seed workflow: Parallel crawlers, retries,
/// catches) is opened when no file is given. File > Open Example lists them all.
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "medallion-glue-crawlers.asl.json",
        include_str!("../../assets/examples/medallion-glue-crawlers.asl.json"),
    ),
    (
        "hello.asl.json",
        include_str!("../../assets/examples/hello.asl.json"),
    ),
    (
        "fiap-extract-transform-load.asl.json",
        include_str!("../../assets/examples/fiap-extract-transform-load.asl.json"),
    ),
    (
        "glue-findmatches-dedup.asl.json",
        include_str!("../../assets/examples/glue-findmatches-dedup.asl.json"),
    ),
    (
        "redshift-data-api-etl.asl.json",
        include_str!("../../assets/examples/redshift-data-api-etl.asl.json"),
    ),
    (
        "every-state-type.asl.json",
        include_str!("../../assets/examples/every-state-type.asl.json"),
    ),
    (
        "distributed-map.asl.json",
        include_str!("../../assets/examples/distributed-map.asl.json"),
    ),
    (
        "jsonata-greeting.asl.json",
        include_str!("../../assets/examples/jsonata-greeting.asl.json"),
    ),
];

/// The text of a bundled example by file name.
pub fn example_text(name: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Opens the designer window on `path`, or on the bundled example when `None`. Returns when the window closes.
pub fn run_designer(path: Option<PathBuf>) -> Result<(), String> {
    let app = match path {
        Some(p) => App::open_path(&p)?,
        None => App::example(),
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1400.0, 900.0])
            .with_title(app.title())
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native("statewright", options, Box::new(|_cc| Ok(Box::new(app))))
        .map_err(|e| e.to_string())
}
