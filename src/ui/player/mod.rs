//! Run > Simulate: the run setup window (execution input, mock file, test case, seed), the player panel that
//! steps through a [`Trace`] with a [`TraceCursor`], and the run highlight the canvas paints (visited
//! states, the current state(s), the transitions taken; computed by [`crate::trace::highlight`]).
//!
//! The player is a pure view over `Trace` + `TraceCursor`: the engine ([`crate::sim::simulate`]) runs once, when
//! "Run" is pressed; stepping, seeking and playing only move the cursor.
//!
//! Split by concern: `setup` (the setup window, input and mock file), `substitutions` (a template's
//! placeholders and the values the run uses), `running` (the run in the background,
//! its progress and Cancel), `controls` (Run menu, shortcuts, the
//! player bar), `events` (the event list), `details` (the current event: data-flow stages, choice decision),
//! `overlay` (what the canvas paints over the diagram), `anim` (the run index, the cached highlight, tokens).

mod anim;
mod controls;
mod details;
mod events;
mod overlay;
mod running;
mod setup;
mod substitutions;

pub use anim::{RunOverlay, Token, follow_ui, run_overlay};
pub use controls::{banner_ui, player_ui, run_menu_ui, shortcuts};
pub use details::details_panel_ui;
pub use events::events_panel_ui;
pub use overlay::{CURRENT, VISITED, paint_edge_overlay, paint_node_overlay, paint_tokens};
pub use running::{poll, progress_ui};
pub use setup::{BUNDLED_PREFIX, default_mock_path, setup_window};

use crate::asl::StateMachine;
use crate::trace::{Status, Trace, TraceCursor};
use crate::ui::app::App;
use crate::ui::theme;
use egui::Color32;
use std::path::PathBuf;
use std::sync::mpsc;

/// Seconds between two events while playing.
const PLAY_INTERVAL: f64 = 0.5;

/// What the Run menu, the setup window and the player ask for; applied with the other [`Command`]s.
#[derive(Clone, Debug, PartialEq)]
pub enum RunCommand {
    /// Opens the run setup window.
    OpenSetup,
    /// Runs the current document with the setup (also "Run again").
    Run,
    /// Leaves player mode.
    Stop,
    First,
    Back,
    Forward,
    Last,
    NextState,
    TogglePlay,
    /// Moves the cursor to an event index (`None`: before the first); the event list scrolls to it.
    Seek(Option<usize>),
    /// A row of the event list was clicked: seek there without scrolling the list.
    SeekFromList(usize),
}

/// A finished run being replayed.
pub struct Player {
    pub trace: Trace,
    pub cursor: TraceCursor,
    /// The machine the run was made on: when the document differs, the trace is stale.
    pub machine: StateMachine,
    /// A one-line summary of the setup it ran with (input, mocks, test case, seed).
    pub ran_with: String,
    playing: bool,
    next_tick: Option<f64>,
    /// Seconds per event while playing.
    pub interval: f64,
    /// The event list should scroll to this row next frame.
    scroll_to: Option<usize>,
    /// The run index, the cached highlight, the tokens in flight.
    anim: anim::Anim,
}

impl Player {
    pub fn is_playing(&self) -> bool {
        self.playing
    }
}

/// Everything Run > Simulate keeps between frames.
pub struct RunState {
    pub setup_open: bool,
    pub input_text: String,
    pub mock_path: String,
    pub seed_text: String,
    /// The cap on state transitions (a run that exceeds it fails as a probable endless loop).
    pub max_transitions_text: String,
    /// `(state machine, test case)` pairs read from the mock file.
    cases: Vec<(String, String)>,
    /// The test case asked for by name ([`App::set_run_setup`]), chosen once the mock file is read.
    wanted_case: Option<String>,
    /// Reading the mock file's test cases in the background.
    cases_job: Option<crate::ui::jobs::Job<running::CasesRead>>,
    /// The simulation running in the background.
    running: Option<crate::ui::jobs::Job<running::RunDone>>,
    pub case_index: usize,
    /// The mock path text `cases` was read for, and why it could not be read.
    cases_for: Option<String>,
    mock_error: Option<String>,
    /// Why the last "Run" did not start.
    pub error: Option<String>,
    pub player: Option<Player>,
    /// The document path the default mock path was chosen for.
    defaults_for: Option<Option<PathBuf>>,
    picking: Option<mpsc::Receiver<Option<PathBuf>>>,
    /// A template's state machine: its placeholders, their values and the user's overrides.
    pub(crate) subs: substitutions::Substitutions,
}

impl Default for RunState {
    fn default() -> Self {
        RunState {
            setup_open: false,
            input_text: "{}".into(),
            mock_path: String::new(),
            seed_text: "0".into(),
            max_transitions_text: crate::sim::DEFAULT_MAX_TRANSITIONS.to_string(),
            cases: Vec::new(),
            wanted_case: None,
            cases_job: None,
            running: None,
            case_index: 0,
            cases_for: None,
            mock_error: None,
            error: None,
            player: None,
            defaults_for: None,
            picking: None,
            subs: Default::default(),
        }
    }
}

impl App {
    /// The trace being replayed and the cursor over it.
    pub fn run_player(&self) -> Option<&Player> {
        self.run.player.as_ref()
    }

    /// Why the last run did not start (bad input, bad mock file).
    pub fn run_error(&self) -> Option<&str> {
        self.run.error.as_deref()
    }

    /// Whether the document changed since the trace was made.
    pub fn run_is_stale(&self) -> bool {
        self.run
            .player
            .as_ref()
            .is_some_and(|p| p.machine != *self.editor.machine())
    }
}

/// Applies a [`RunCommand`].
pub fn apply(app: &mut App, c: RunCommand, ctx: &egui::Context) {
    match c {
        RunCommand::OpenSetup => {
            app.run.setup_open = true;
            let doc = app.mock_defaults_key();
            if app.run.defaults_for.as_ref() != Some(&doc) {
                app.run.defaults_for = Some(doc.clone());
                app.run.mock_path.clear();
                if let Some(p) = default_mock_path(doc.as_deref()) {
                    app.run.mock_path = p;
                }
            }
        }
        RunCommand::Run => running::start_run(app, ctx),
        RunCommand::Stop => {
            app.run.player = None;
            app.run.setup_open = false;
        }
        c => {
            let Some(p) = app.run.player.as_mut() else {
                return;
            };
            match c {
                RunCommand::First => p.cursor.seek(Some(0)),
                RunCommand::Back => {
                    // Stay on the first event: "before the first" shows nothing.
                    if p.cursor.index().is_some_and(|i| i > 0) {
                        p.cursor.step_backward();
                    }
                }
                RunCommand::Forward => {
                    p.cursor.step_forward();
                }
                RunCommand::Last => p.cursor.seek_end(),
                RunCommand::NextState => {
                    if !p.cursor.step_to_next_state(&p.trace) {
                        p.cursor.seek_end();
                    }
                }
                RunCommand::TogglePlay => {
                    p.playing = !p.playing && !p.cursor.at_end();
                    p.next_tick = None;
                }
                RunCommand::Seek(i) => p.cursor.seek(i.or(Some(0))),
                RunCommand::SeekFromList(i) => p.cursor.seek(Some(i)),
                RunCommand::OpenSetup | RunCommand::Run | RunCommand::Stop => {}
            }
            if !matches!(c, RunCommand::TogglePlay) {
                p.playing = p.playing && matches!(c, RunCommand::Forward);
            }
            if p.cursor.at_end() {
                p.playing = false;
            }
            p.scroll_to = if matches!(c, RunCommand::SeekFromList(_)) {
                None
            } else {
                p.cursor.index()
            };
            // The canvas follows the run: the current event's state is scrolled into view.
            let current = p
                .cursor
                .current(&p.trace)
                .and_then(|e| e.path.state_name())
                .map(str::to_owned);
            if let Some(name) = current {
                app.canvas.reveal(name);
            }
        }
    }
}

fn status_color(status: Status) -> Color32 {
    match status {
        Status::Succeeded => Color32::from_rgb(0x2e, 0xa0, 0x43),
        Status::Failed | Status::TimedOut => theme::CATCH_COLOR,
    }
}
