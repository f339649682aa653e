//! Presentation mode (F11, View > Presentation mode; Esc leaves it) and the appearance settings.
//!
//! Presenting hides the editing panels (palette, inspector, diagnostics, code view, the File and Edit menus):
//! what is left is the canvas and, with a run loaded, the player (its bar, the current event's details, and
//! the event list when asked for). Everything is scaled up by egui's zoom factor (1.5x, or 2x from the View
//! menu), the window goes fullscreen, and the presentation's own look applies: by default the light theme
//! with high contrast, since projectors wash out dark themes and thin lines. Leaving puts back the zoom
//! factor, the fullscreen state, the canvas view and the editing look exactly as they were.
//!
//! The look (theme: dark, light or the system's; high contrast) is chosen separately for editing and for
//! presenting, from the View menu of each mode, and kept in `appearance.txt` in the config folder (beside
//! the recent-files list), so both survive a restart.

use crate::ui::app::App;
use crate::ui::{files, theme};
use egui::ThemePreference;
use std::path::{Path, PathBuf};

/// The settings file's name in the config folder.
pub const SETTINGS_FILE: &str = "appearance.txt";

/// The presentation scales offered.
pub const SCALES: [f32; 2] = [1.5, 2.0];

/// A theme and a contrast: how one mode (editing or presenting) looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Look {
    pub theme: ThemePreference,
    pub high_contrast: bool,
}

/// The appearance settings kept across restarts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Appearance {
    /// While editing: the system's theme and normal contrast unless chosen otherwise.
    pub editing: Look,
    /// While presenting: light and high contrast unless chosen otherwise.
    pub presenting: Look,
    /// The presentation's zoom, relative to the editing zoom (one of [`SCALES`]).
    pub scale: f32,
}

impl Default for Appearance {
    fn default() -> Self {
        Appearance {
            editing: Look {
                theme: ThemePreference::System,
                high_contrast: false,
            },
            presenting: Look {
                theme: ThemePreference::Light,
                high_contrast: true,
            },
            scale: SCALES[0],
        }
    }
}

fn theme_name(t: ThemePreference) -> &'static str {
    match t {
        ThemePreference::Dark => "dark",
        ThemePreference::Light => "light",
        ThemePreference::System => "system",
    }
}

fn parse_theme(s: &str) -> Option<ThemePreference> {
    match s {
        "dark" => Some(ThemePreference::Dark),
        "light" => Some(ThemePreference::Light),
        "system" => Some(ThemePreference::System),
        _ => None,
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

impl Appearance {
    /// The settings file's text: `key = value` lines.
    pub fn to_text(&self) -> String {
        format!(
            "theme = {}\nhigh_contrast = {}\npresentation_theme = {}\npresentation_high_contrast = {}\npresentation_scale = {}\n",
            theme_name(self.editing.theme),
            self.editing.high_contrast,
            theme_name(self.presenting.theme),
            self.presenting.high_contrast,
            self.scale,
        )
    }

    /// Reads the settings file's text. Lines that cannot be read keep their default and are reported as
    /// `line N: …` (blank lines and `#` comments are skipped).
    pub fn parse(text: &str) -> (Appearance, Vec<String>) {
        let mut a = Appearance::default();
        let mut problems = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                problems.push(format!("line {}: expected `key = value`", i + 1));
                continue;
            };
            let (key, value) = (key.trim(), value.trim());
            let ok = match key {
                "theme" => parse_theme(value).map(|t| a.editing.theme = t),
                "high_contrast" => parse_bool(value).map(|b| a.editing.high_contrast = b),
                "presentation_theme" => parse_theme(value).map(|t| a.presenting.theme = t),
                "presentation_high_contrast" => {
                    parse_bool(value).map(|b| a.presenting.high_contrast = b)
                }
                "presentation_scale" => value
                    .parse::<f32>()
                    .ok()
                    .filter(|s| SCALES.contains(s))
                    .map(|s| a.scale = s),
                _ => {
                    problems.push(format!("line {}: unknown setting `{key}`", i + 1));
                    continue;
                }
            };
            if ok.is_none() {
                problems.push(format!(
                    "line {}: `{value}` is not a value of `{key}` (kept the default)",
                    i + 1
                ));
            }
        }
        (a, problems)
    }

    /// Reads `dir/appearance.txt`; a missing file gives the defaults. Problems come back as messages naming
    /// the file.
    pub fn load(dir: Option<&Path>) -> (Appearance, Vec<String>) {
        let Some(path) = dir.map(|d| d.join(SETTINGS_FILE)) else {
            return (Appearance::default(), Vec::new());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let (a, problems) = Appearance::parse(&text);
                let shown = path.display();
                (
                    a,
                    problems
                        .into_iter()
                        .map(|p| format!("{shown}: {p}"))
                        .collect(),
                )
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (Appearance::default(), Vec::new())
            }
            Err(e) => (
                Appearance::default(),
                vec![format!("{}: {e}", path.display())],
            ),
        }
    }
}

/// Writes the settings on a background thread (a save is an atomic write with fsync). Writes are numbered so
/// that a slow older write never replaces a newer one.
fn store(dir: PathBuf, a: Appearance) -> std::thread::JoinHandle<()> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    static WRITTEN: Mutex<u64> = Mutex::new(0);
    let seq = NEXT.fetch_add(1, Ordering::SeqCst);
    std::thread::spawn(move || {
        let mut written = WRITTEN.lock().unwrap_or_else(|e| e.into_inner());
        if *written > seq {
            return;
        }
        let _ = std::fs::create_dir_all(&dir);
        if let Err(e) = files::write_atomic(&dir.join(SETTINGS_FILE), a.to_text().as_bytes()) {
            eprintln!("statewright: the appearance settings were not saved: {e}");
        }
        *written = seq;
    })
}

/// What leaving presentation mode puts back.
#[derive(Clone, Debug)]
struct Saved {
    zoom_factor: f32,
    fullscreen: bool,
    scene_rect: egui::Rect,
}

/// The appearance settings and presentation mode's state.
pub struct Presentation {
    pub settings: Appearance,
    /// Set while presenting.
    saved: Option<Saved>,
    /// egui's own dark and light visuals, before high contrast was laid over them.
    base_visuals: Option<(egui::Visuals, egui::Visuals)>,
    /// The look last put into the context (`None`: not yet, the first frame does it).
    applied: Option<Look>,
    /// While presenting with a run loaded: show the event list (off: the canvas gets the room).
    pub show_events: bool,
    /// While presenting with a run loaded: show the current event's details.
    pub show_details: bool,
    /// Presenting on or off, asked for during this frame and done at its end (so that the next frame is
    /// laid out at the new zoom factor from its start).
    requested: Option<bool>,
    /// While presenting and until the user moves the view: the canvas size the view was fitted to and the
    /// view the fit gave (`Rect::ZERO` until the fit is done). The view is fitted again when the canvas
    /// changes size (the window going fullscreen, a panel shown or hidden).
    follow: Option<(egui::Vec2, egui::Rect)>,
    /// Settings writes still running: waited for when the app closes, so a choice made just before
    /// quitting is not lost.
    writes: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for Presentation {
    fn drop(&mut self) {
        for w in self.writes.drain(..) {
            let _ = w.join();
        }
    }
}

impl Presentation {
    /// The settings stored in the config folder (problems reading them are returned as messages).
    pub fn load() -> (Presentation, Vec<String>) {
        let (settings, problems) = Appearance::load(files::config_dir().as_deref());
        (
            Presentation {
                settings,
                saved: None,
                base_visuals: None,
                applied: None,
                show_events: false,
                show_details: true,
                requested: None,
                follow: None,
                writes: Vec::new(),
            },
            problems,
        )
    }

    pub fn is_on(&self) -> bool {
        self.saved.is_some()
    }

    /// The look of the current mode.
    pub fn look(&self) -> Look {
        if self.is_on() {
            self.settings.presenting
        } else {
            self.settings.editing
        }
    }

    fn look_mut(&mut self) -> &mut Look {
        if self.is_on() {
            &mut self.settings.presenting
        } else {
            &mut self.settings.editing
        }
    }

    /// Puts the current mode's look into the context when it differs from what was put there last.
    pub fn apply(&mut self, ctx: &egui::Context) {
        let look = self.look();
        if self.applied == Some(look) {
            return;
        }
        let (dark, light) = self
            .base_visuals
            .get_or_insert_with(|| {
                (
                    ctx.style_of(egui::Theme::Dark).visuals.clone(),
                    ctx.style_of(egui::Theme::Light).visuals.clone(),
                )
            })
            .clone();
        let (dark, light) = if look.high_contrast {
            (
                theme::high_contrast_visuals(&dark),
                theme::high_contrast_visuals(&light),
            )
        } else {
            (dark, light)
        };
        ctx.set_visuals_of(egui::Theme::Dark, dark);
        ctx.set_visuals_of(egui::Theme::Light, light);
        ctx.set_theme(look.theme);
        theme::set_high_contrast(ctx, look.high_contrast);
        self.applied = Some(look);
        ctx.request_repaint();
    }

    fn changed(&mut self, ctx: &egui::Context) {
        self.apply(ctx);
        self.writes.retain(|w| !w.is_finished());
        if let Some(dir) = files::config_dir() {
            self.writes.push(store(dir, self.settings));
        }
    }

    /// Chooses the current mode's theme (and stores it).
    pub fn set_theme(&mut self, ctx: &egui::Context, t: ThemePreference) {
        self.look_mut().theme = t;
        self.changed(ctx);
    }

    /// Switches the current mode's high contrast (and stores it).
    pub fn set_high_contrast(&mut self, ctx: &egui::Context, on: bool) {
        self.look_mut().high_contrast = on;
        self.changed(ctx);
    }

    /// Chooses the presentation scale (and stores it); applied at once while presenting.
    pub fn set_scale(&mut self, ctx: &egui::Context, scale: f32) {
        self.settings.scale = scale;
        if let Some(s) = &self.saved {
            ctx.set_zoom_factor(s.zoom_factor * scale);
        }
        self.changed(ctx);
    }
}

impl App {
    /// Whether presentation mode is on.
    pub fn is_presenting(&self) -> bool {
        self.presentation.is_on()
    }

    /// The appearance settings (both looks and the presentation scale).
    pub fn appearance(&self) -> Appearance {
        self.presentation.settings
    }

    /// Enters or leaves presentation mode at the end of this frame.
    pub fn request_presenting(&mut self, on: bool) {
        self.presentation.requested = Some(on);
    }

    /// Does what [`App::request_presenting`] asked for (called at the end of the frame).
    pub(crate) fn finish_presentation_request(&mut self, ctx: &egui::Context) {
        if let Some(on) = self.presentation.requested.take() {
            self.set_presenting(ctx, on);
        }
    }

    fn set_presenting(&mut self, ctx: &egui::Context, on: bool) {
        if on == self.is_presenting() {
            return;
        }
        let p = &mut self.presentation;
        if on {
            let zoom_factor = ctx.zoom_factor();
            p.saved = Some(Saved {
                zoom_factor,
                fullscreen: ctx.input(|i| i.viewport().fullscreen).unwrap_or(false),
                scene_rect: self.canvas.scene_rect,
            });
            ctx.set_zoom_factor(zoom_factor * p.settings.scale);
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
            // The canvas gets another size: show the whole workflow (again whenever its size changes).
            self.refit_canvas();
            self.presentation.follow = Some((egui::Vec2::ZERO, egui::Rect::ZERO));
        } else if let Some(s) = p.saved.take() {
            p.follow = None;
            ctx.set_zoom_factor(s.zoom_factor);
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(s.fullscreen));
            self.canvas.scene_rect = s.scene_rect;
        }
        self.presentation.apply(ctx);
    }

    /// Fits the canvas view to the workflow, then, with a run loaded, brings the run's current state into view:
    /// a big workflow does not fit at a readable size, and the class must see where the run is.
    fn refit_canvas(&mut self) {
        self.canvas.fit_next_frame();
        let current = self
            .run
            .player
            .as_ref()
            .and_then(|p| p.cursor.current(&p.trace))
            .and_then(|e| e.path.state_name())
            .map(str::to_owned);
        if let Some(name) = current {
            self.canvas.reveal(name);
        }
    }

    /// While presenting, fits the canvas view again when the canvas changed size, until the user moves the
    /// view (called before the canvas is drawn; the canvas's size is the last frame's).
    pub(crate) fn follow_canvas_size(&mut self) {
        let Some((size, fitted)) = self.presentation.follow else {
            return;
        };
        let (now, scene) = (self.canvas.viewport.size(), self.canvas.scene_rect);
        self.presentation.follow = if scene == egui::Rect::ZERO {
            Some((now, fitted))
        } else if now != size {
            self.refit_canvas();
            Some((now, egui::Rect::ZERO))
        } else if fitted == egui::Rect::ZERO {
            Some((size, scene))
        } else if fitted != scene {
            // Panned, zoomed or framed a state: the view is the user's now.
            None
        } else {
            Some((size, fitted))
        };
    }

    /// F11 toggles presentation mode; Esc leaves it (when no text field has the keyboard).
    pub(crate) fn presentation_shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, Modifiers};
        let typing = ctx.egui_wants_keyboard_input();
        let presenting = self.is_presenting();
        let toggle = ctx.input_mut(|i| {
            i.consume_key(Modifiers::NONE, Key::F11)
                || (presenting && !typing && i.consume_key(Modifiers::NONE, Key::Escape))
        });
        if toggle {
            self.request_presenting(!presenting);
        }
    }

    /// The View menu's presentation and appearance entries.
    pub(crate) fn appearance_menu_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let presenting = self.is_presenting();
        if ui
            .add(
                egui::Button::new("Presentation mode")
                    .selected(presenting)
                    .shortcut_text("F11"),
            )
            .on_hover_text("Canvas and player only, larger text, fullscreen (Esc leaves)")
            .clicked()
        {
            self.request_presenting(!presenting);
        }
        let p = &mut self.presentation;
        ui.horizontal(|ui| {
            ui.label("Presentation size:");
            for s in SCALES {
                if ui
                    .radio(p.settings.scale == s, format!("{s}x"))
                    .on_hover_text(format!("Text and controls {s} times larger"))
                    .clicked()
                {
                    p.set_scale(&ctx, s);
                }
            }
        });
        if presenting && self.run.player.is_some() {
            ui.checkbox(&mut p.show_details, "Event details")
                .on_hover_text("The current event's data and Choice decisions");
            ui.checkbox(&mut p.show_events, "Event list");
        }
        ui.separator();
        ui.label(if presenting {
            "Presentation look"
        } else {
            "Editing look"
        })
        .on_hover_text("Editing and presentation mode each keep their own theme and contrast");
        let current = p.look();
        for (t, label) in [
            (ThemePreference::Dark, "Dark theme"),
            (ThemePreference::Light, "Light theme"),
            (ThemePreference::System, "Follow system theme"),
        ] {
            if ui.radio(current.theme == t, label).clicked() {
                p.set_theme(&ctx, t);
            }
        }
        let mut hc = current.high_contrast;
        if ui
            .checkbox(&mut hc, "High contrast")
            .on_hover_text(
                "Stronger text, wider lines and outcome colours that survive a projector",
            )
            .changed()
        {
            p.set_high_contrast(&ctx, hc);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_their_text() {
        let a = Appearance {
            editing: Look {
                theme: ThemePreference::Dark,
                high_contrast: true,
            },
            presenting: Look {
                theme: ThemePreference::System,
                high_contrast: false,
            },
            scale: 2.0,
        };
        assert_eq!(Appearance::parse(&a.to_text()), (a, Vec::new()));
    }

    #[test]
    fn bad_lines_keep_their_default_and_are_reported_by_line() {
        let (a, problems) = Appearance::parse(
            "# mine\ntheme = light\nhigh_contrast = maybe\npresentation_scale = 3\ncolour = red\nnonsense\n",
        );
        assert_eq!(a.editing.theme, ThemePreference::Light);
        assert!(!a.editing.high_contrast);
        assert_eq!(a.scale, 1.5);
        assert_eq!(
            problems,
            vec![
                "line 3: `maybe` is not a value of `high_contrast` (kept the default)",
                "line 4: `3` is not a value of `presentation_scale` (kept the default)",
                "line 5: unknown setting `colour`",
                "line 6: expected `key = value`",
            ]
        );
    }
}
