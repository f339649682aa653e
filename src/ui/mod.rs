//! The egui designer (feature `gui`): everything that names egui lives under this module.
//!
//! Module map: [`app`] (the `App`: panels, commands, menus, file operations), `canvas` (the diagram), [`player`]
//! (Run > Simulate), `palette`, `inspector`, `diagnostics` (with the code view), `files` (paths, recent files,
//! dialogs), `background` (open, save, autosave, export and recovery off the UI thread), [`jobs`] (background
//! work), [`presentation`] (presentation mode; the theme and contrast settings), `theme`.

pub mod app;
mod canvas;
mod derived;
mod diagnostics;
mod expr_field;
pub mod files;
mod inspector;
pub mod jobs;
mod palette;
pub mod player;
pub mod presentation;
pub mod simulation;
mod theme;

pub use crate::examples::{EXAMPLES, example_text};
pub(crate) use crate::layout;
pub use app::App;
pub use canvas::DropTarget;
pub use theme::high_contrast;

use std::path::PathBuf;

/// Opens the designer window on `path`, or on the bundled example when `None`. Returns when the window closes.
pub fn run_designer(path: Option<PathBuf>) -> Result<(), String> {
    let app = match path {
        Some(p) => App::open_path(&p)?,
        // Without a file, unsaved work of untitled documents from windows that crashed is offered too.
        None => App::example().offer_untitled_recoveries(),
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
