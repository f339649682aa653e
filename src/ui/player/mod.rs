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
//! `overlay` (what the canvas paints over the diagram), `anim` (the run index, the cached highlight, tokens),
//! `breakpoints` (states Play stops at), `timeline` (the strip under the canvas: markers, click or drag to
//! seek), `replay` (Run > Replay execution history: a real AWS run in the same player), `ask` (ask-me mode:
//! the run pauses at a Task with no mocked response and asks what it returns).

mod anim;
mod ask;
mod breakpoints;
mod controls;
mod details;
mod events;
mod overlay;
mod replay;
mod running;
mod setup;
mod substitutions;
mod timeline;

pub use anim::{RunOverlay, Token, follow_ui, run_overlay};
pub use breakpoints::{BREAKPOINT_COLOR, Breakpoints, paint_breakpoint};
pub use controls::{banner_ui, paint_stale_canvas, player_ui, run_menu_ui, shortcuts};
pub use details::details_panel_ui;
pub use events::events_panel_ui;
pub(crate) use overlay::paint_node_overlay;
pub use overlay::{CURRENT, VISITED, paint_edge_overlay, paint_tokens};
pub use replay::{ReplayInfo, replay_window};
pub use running::{poll, progress_ui};
pub use setup::{BUNDLED_PREFIX, default_mock_path, setup_window};
pub use timeline::{MarkKind, Marker, timeline_ui};

use crate::asl::StateMachine;
use crate::trace::{Status, Trace, TraceCursor};
use crate::ui::app::App;
use crate::ui::theme;
use egui::Color32;
use std::cell::Cell;
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
    /// Adds or removes the breakpoint on a state (its layout path).
    ToggleBreakpoint(Vec<String>),
    /// Adds or removes the breakpoint on the selected state (F9).
    ToggleBreakpointOnSelection,
    ClearBreakpoints,
    /// Forward to the next event that enters a state with a breakpoint (F8); the end when there is none.
    ContinueToBreakpoint,
    /// Forward to the last event, past every breakpoint (Shift+F8).
    RunToEnd,
    /// Opens the Replay execution history window.
    OpenReplay,
    /// Replays this AWS execution history on the current document (also "Replay again").
    Replay(PathBuf),
}

/// A finished run being replayed.
pub struct Player {
    pub trace: Trace,
    pub cursor: TraceCursor,
    /// The machine the run was made on: when the document differs, the trace is stale.
    pub machine: StateMachine,
    /// The document's machine version the run was made on, and the last version compared with `machine`
    /// and whether it differed: the stale check costs one comparison of versions per frame.
    stale_check: Cell<(u64, bool)>,
    /// A one-line summary of the setup it ran with (input, mocks, test case, seed).
    pub ran_with: String,
    playing: bool,
    next_tick: Option<f64>,
    /// Seconds per event while playing.
    pub interval: f64,
    /// The event list should scroll to this row next frame.
    scroll_to: Option<usize>,
    /// The timeline's markers, computed once for the trace.
    markers: Vec<timeline::Marker>,
    /// The events that enter a state with a breakpoint, for the [`Breakpoints::rev`] they were found for.
    hits: Option<(u64, Vec<usize>)>,
    /// Why the cursor stopped where it is (a breakpoint), shown in the player bar.
    note: Option<String>,
    /// Where the timeline's track was drawn last frame.
    track: timeline::Track,
    /// Set when the trace is a replayed AWS execution history, not a simulation.
    pub replay: Option<ReplayInfo>,
    /// The run index, the cached highlight, the tokens in flight.
    anim: anim::Anim,
}

impl Player {
    /// A trace made on `machine` (the document at machine version `machine_version`), cursor on its first event.
    pub fn new(
        trace: Trace,
        machine: StateMachine,
        machine_version: u64,
        ran_with: String,
    ) -> Player {
        let mut cursor = TraceCursor::new(&trace);
        cursor.seek(Some(0));
        let markers = timeline::markers(&trace);
        Player {
            trace,
            cursor,
            machine,
            stale_check: Cell::new((machine_version, false)),
            ran_with,
            playing: false,
            next_tick: None,
            interval: PLAY_INTERVAL,
            scroll_to: Some(0),
            markers,
            hits: None,
            note: None,
            track: Default::default(),
            replay: None,
            // Built on first use unless the run's background job hands one over.
            anim: anim::Anim::new(None),
        }
    }

    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// Why the cursor stopped where it is ("Stopped at the breakpoint on …"), if it did.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The events that enter a state with a breakpoint (found again only when the breakpoints changed).
    pub fn hits(&mut self, bps: &Breakpoints) -> &[usize] {
        if self.hits.as_ref().is_none_or(|(rev, _)| *rev != bps.rev()) {
            self.hits = Some((bps.rev(), bps.hits(&self.trace)));
        }
        self.last_hits()
    }

    /// The breakpoint hits as last found by [`Player::hits`].
    fn last_hits(&self) -> &[usize] {
        self.hits.as_ref().map_or(&[], |(_, h)| h.as_slice())
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
    /// The states Play stops at (kept while the document is open, with or without a run).
    pub breakpoints: Breakpoints,
    /// The document path the default mock path was chosen for.
    defaults_for: Option<Option<PathBuf>>,
    picking: Option<mpsc::Receiver<Option<PathBuf>>>,
    /// A template's state machine: its placeholders, their values and the user's overrides.
    pub(crate) subs: substitutions::Substitutions,
    /// Run > Replay execution history.
    pub replay: replay::ReplayState,
    /// Ask-me mode: the checkbox, the answers given, the question the run stopped at.
    pub(crate) ask: ask::AskState,
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
            breakpoints: Breakpoints::default(),
            defaults_for: None,
            picking: None,
            subs: Default::default(),
            replay: Default::default(),
            ask: Default::default(),
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

    /// Whether the document changed since the trace was made. Cheap per frame: the machines are compared
    /// once per document version (an undo back to the machine that ran is not stale).
    pub fn run_is_stale(&self) -> bool {
        let Some(p) = self.run.player.as_ref() else {
            return false;
        };
        let version = self.editor.machine_version();
        let (checked, stale) = p.stale_check.get();
        if checked == version {
            return stale;
        }
        let stale = p.machine != *self.editor.machine();
        p.stale_check.set((version, stale));
        stale
    }

    /// The states with a breakpoint.
    pub fn breakpoints(&self) -> &Breakpoints {
        &self.run.breakpoints
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
                // The workflow's own mocks (edited in the Simulation section), wherever they live now.
                let own = app.mocks.field();
                if !own.is_empty() {
                    app.run.mock_path = own.clone();
                }
                app.mocks.last_field = own;
            }
        }
        RunCommand::Run => {
            app.run.ask.new_session();
            running::start_run(app, ctx);
        }
        RunCommand::OpenReplay => app.run.replay.open = true,
        RunCommand::Replay(path) => replay::start(app, path, ctx),
        RunCommand::Stop => {
            app.run.ask.end();
            app.run.player = None;
            app.run.setup_open = false;
        }
        RunCommand::ToggleBreakpoint(path) => toggle_breakpoint(app, path),
        RunCommand::ToggleBreakpointOnSelection => {
            let path = app
                .selection
                .as_deref()
                .and_then(|name| breakpoints::path_of(app.editor.machine(), name));
            match path {
                Some(path) => toggle_breakpoint(app, path),
                None => app.status = Some("Select a state to put a breakpoint on it".into()),
            }
        }
        RunCommand::ClearBreakpoints => {
            app.run.breakpoints.clear();
            app.status = Some("Breakpoints cleared".into());
        }
        c => {
            let run = &mut app.run;
            let Some(p) = run.player.as_mut() else {
                return;
            };
            p.note = None;
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
                RunCommand::ContinueToBreakpoint => {
                    let after = p.cursor.index().map_or(0, |i| i + 1);
                    let hits = p.hits(&run.breakpoints);
                    match hits.get(hits.partition_point(|&h| h < after)).copied() {
                        Some(i) => {
                            p.cursor.seek(Some(i));
                            p.note = Some(stopped_note(p, i));
                        }
                        None => {
                            p.cursor.seek_end();
                            p.note = Some(if run.breakpoints.is_empty() {
                                "No breakpoints: ran to the end".into()
                            } else {
                                "No breakpoint ahead: ran to the end".into()
                            });
                        }
                    }
                }
                RunCommand::RunToEnd => p.cursor.seek_end(),
                RunCommand::OpenSetup
                | RunCommand::Run
                | RunCommand::Stop
                | RunCommand::ToggleBreakpoint(_)
                | RunCommand::ToggleBreakpointOnSelection
                | RunCommand::ClearBreakpoints
                | RunCommand::OpenReplay
                | RunCommand::Replay(_) => {}
            }
            if !matches!(c, RunCommand::TogglePlay) {
                p.playing = p.playing && matches!(c, RunCommand::Forward);
            }
            // Play stops on entering a state with a breakpoint (a step of Play lands on its event).
            if p.playing
                && matches!(c, RunCommand::Forward)
                && let Some(i) = p.cursor.index()
                && p.hits(&run.breakpoints).binary_search(&i).is_ok()
            {
                p.playing = false;
                p.note = Some(stopped_note(p, i));
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

/// "Stopped at the breakpoint on STATE (event N)".
fn stopped_note(p: &Player, i: usize) -> String {
    let e = &p.trace.events[i];
    format!("Stopped at the breakpoint on {} (event {})", e.path, e.id)
}

/// Adds or removes the breakpoint on a state; says which in the status bar.
fn toggle_breakpoint(app: &mut App, path: Vec<String>) {
    let name = path.join(" / ");
    let version = app.editor.machine_version();
    let on = app
        .run
        .breakpoints
        .toggle(path, app.editor.machine(), version);
    app.status = Some(if on {
        format!("Breakpoint on {name}")
    } else {
        format!("Breakpoint removed from {name}")
    });
}

/// The colour a run's status is written in: the outcome colours of the theme (light or dark, high contrast
/// or not), so "SUCCEEDED" stays readable on a projector's white.
fn status_color(ctx: &egui::Context, status: Status) -> Color32 {
    use crate::trace::highlight::Outcome;
    match status {
        Status::Succeeded => theme::outcome_color(ctx, Outcome::Succeeded),
        Status::Failed | Status::TimedOut | Status::Aborted => {
            theme::outcome_color(ctx, Outcome::Failed)
        }
        Status::Running => ctx.global_style().visuals.hyperlink_color,
    }
}
