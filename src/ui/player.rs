//! Run > Simulate: the run setup window (execution input, mock file, test case, seed), the player panel that
//! steps through a [`Trace`] with a [`TraceCursor`], and the [`RunHighlight`] the canvas paints (visited
//! states, the current state(s), the transitions taken).
//!
//! The player is a pure view over `Trace` + `TraceCursor`: the engine ([`crate::sim::simulate`]) runs once, when
//! "Run" is pressed; stepping, seeking and playing only move the cursor.

use super::app::{App, Command};
use super::jobs::{self, Job};
use super::layout::{EdgeLayout, NodeLayout};
use super::theme;
use crate::asl::{StateMachine, StateType};
use crate::sim::{SimConfig, TaskMocks};
use crate::trace::{
    Comparison, Data, PathSegment, StatePath, Status, Trace, TraceCursor, TraceEvent,
};
use egui::{Color32, Pos2, Rect, RichText, Shape, Stroke, StrokeKind, Vec2};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Seconds between two events while playing.
const PLAY_INTERVAL: f64 = 0.5;

/// The play speeds offered (seconds per event).
const PLAY_INTERVALS: [f64; 5] = [1.0, 0.5, 0.25, 0.1, 0.04];

fn speed_label(interval: f64) -> String {
    format!("{interval} s / event")
}

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
    /// Reading the mock file's test cases: the path text it reads and what it found.
    cases_job: Option<Job<CasesRead>>,
    /// The simulation running in the background.
    running: Option<Job<RunDone>>,
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
        }
    }
}

/// What the canvas paints over the diagram while a trace is loaded. Paths are the layout's (state names from
/// the outermost scope down), so states inside Parallel branches and Map iterations land on their nested node.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunHighlight {
    /// States running at the cursor (several while Parallel branches are active), or the state the current
    /// event belongs to.
    pub current: BTreeSet<Vec<String>>,
    /// Every state entered up to the cursor.
    pub visited: BTreeSet<Vec<String>>,
    /// Transitions taken up to the cursor, `(from, to)`.
    pub edges: BTreeSet<(Vec<String>, Vec<String>)>,
}

/// The layout path of a trace path: its state names, without branch and iteration segments.
pub fn layout_path(p: &StatePath) -> Vec<String> {
    p.0.iter()
        .filter_map(|s| match s {
            PathSegment::State(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// The highlight at the cursor: computed from the trace alone.
pub fn highlight(trace: &Trace, cursor: &TraceCursor) -> RunHighlight {
    let mut current: BTreeSet<Vec<String>> = cursor.active(trace).iter().map(layout_path).collect();
    if let Some(e) = cursor.current(trace)
        && !e.path.0.is_empty()
    {
        current.insert(layout_path(&e.path));
    }
    let visited = cursor.visited(trace).iter().map(layout_path).collect();
    // A transition is two states entered one after the other in the same scope (same branch, same iteration).
    let mut last_in_scope: BTreeMap<&[PathSegment], Vec<String>> = BTreeMap::new();
    let mut edges = BTreeSet::new();
    let n = cursor.index().map_or(0, |i| i + 1).min(trace.events.len());
    for e in trace.events[..n].iter().filter(|e| e.is_state_entered()) {
        let scope = &e.path.0[..e.path.0.len().saturating_sub(1)];
        let to = layout_path(&e.path);
        if let Some(from) = last_in_scope.insert(scope, to.clone()) {
            edges.insert((from, to));
        }
    }
    // At a Choice state's decision, the rule's target is already shown as taken.
    if let Some(e) = cursor.current(trace)
        && let Some(next) = e.choice().and_then(|c| c.next.as_ref())
    {
        let from = layout_path(&e.path);
        let mut to = from.clone();
        to.pop();
        to.push(next.clone());
        edges.insert((from, to));
    }
    RunHighlight {
        current,
        visited,
        edges,
    }
}

impl App {
    /// The canvas highlight, while a trace is loaded.
    pub fn run_highlight(&self) -> Option<RunHighlight> {
        self.run
            .player
            .as_ref()
            .map(|p| highlight(&p.trace, &p.cursor))
    }

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

    /// What the default mock file is looked up by: the document's path, or for a bundled example (which has
    /// no path) its file name.
    fn mock_defaults_key(&self) -> Option<PathBuf> {
        self.path
            .clone()
            .or_else(|| self.example.map(PathBuf::from))
    }

    /// The setup fields, for tests and tools: execution input, mock file path, test case name (chosen once
    /// the mock file has been read).
    pub fn set_run_setup(&mut self, input: &str, mock_path: &str, test_case: Option<&str>) {
        self.run.input_text = input.to_owned();
        self.run.mock_path = mock_path.to_owned();
        self.run.defaults_for = Some(self.mock_defaults_key());
        self.run.wanted_case = test_case.map(str::to_owned);
        if let Some(i) = test_case.and_then(|tc| self.run.cases.iter().position(|(_, c)| c == tc)) {
            self.run.case_index = i;
        }
    }

    /// The setup's cap on state transitions.
    pub fn set_max_transitions(&mut self, n: u64) {
        self.run.max_transitions_text = n.to_string();
    }

    /// Whether a simulation or a mock file read is running in the background.
    pub fn run_busy(&self) -> bool {
        self.run.running.is_some() || self.run.cases_job.is_some()
    }
}

/// The mock path text a background read was for, and the `(state machine, test case)` pairs it found.
type CasesRead = (String, Result<Vec<(String, String)>, String>);

/// A finished background run.
struct RunDone {
    doc_id: u64,
    machine: StateMachine,
    cancelled: bool,
    result: Result<(Trace, String), String>,
}

/// The default mock file for a document: `NAME.mocks.json` beside it, in a `mocks` folder beside it, or in the
/// bundled `assets/examples/mocks`.
pub fn default_mock_path(doc: Option<&Path>) -> Option<PathBuf> {
    let doc = doc?;
    let file = doc.file_name()?.to_str()?;
    let stem = [
        ".asl.json",
        ".asl.yaml",
        ".asl.yml",
        ".json",
        ".yaml",
        ".yml",
    ]
    .iter()
    .find_map(|ext| file.strip_suffix(ext))
    .unwrap_or(file);
    let name = format!("{stem}.mocks.json");
    let dir = doc.parent().unwrap_or(Path::new("."));
    [
        dir.join(&name),
        dir.join("mocks").join(&name),
        Path::new("assets/examples/mocks").join(&name),
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/examples/mocks")
            .join(&name),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// Reads a JSON file; errors name the file and line:col.
fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: line {}, column {}: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// The `(state machine, test case)` pairs of a MockConfigFile.
fn test_cases(config: &Value) -> Result<Vec<(String, String)>, String> {
    let machines = config
        .get("StateMachines")
        .and_then(Value::as_object)
        .ok_or("not a mock file: \"StateMachines\" is missing or not an object")?;
    let mut out = Vec::new();
    for (sm, v) in machines {
        if let Some(cases) = v.get("TestCases").and_then(Value::as_object) {
            out.extend(cases.keys().map(|c| (sm.clone(), c.clone())));
        }
    }
    if out.is_empty() {
        return Err("the mock file has no \"TestCases\"".into());
    }
    Ok(out)
}

/// Re-reads the test cases, in the background, when the mock path text changed.
fn refresh_cases(run: &mut RunState, ctx: &egui::Context) {
    if run.cases_for.as_deref() == Some(run.mock_path.as_str()) {
        return;
    }
    let text = run.mock_path.clone();
    run.cases_for = Some(text.clone());
    run.mock_error = None;
    if text.trim().is_empty() {
        run.cases.clear();
        run.cases_job = None;
        return;
    }
    run.cases_job = Some(Job::spawn("Reading the mock file", ctx, move |_| {
        let found = read_json(Path::new(text.trim())).and_then(|v| test_cases(&v));
        (text, found)
    }));
}

/// Applies the test cases read in the background (if they are for the path typed now).
fn cases_read(run: &mut RunState, text: String, found: Result<Vec<(String, String)>, String>) {
    if run.cases_for.as_deref() != Some(text.as_str()) {
        return;
    }
    let previous = run.cases.get(run.case_index).cloned();
    run.cases.clear();
    match found {
        Ok(c) => run.cases = c,
        Err(e) => run.mock_error = Some(e),
    }
    let wanted = run
        .wanted_case
        .as_ref()
        .and_then(|w| run.cases.iter().position(|(_, c)| c == w));
    run.case_index = wanted
        .or_else(|| previous.and_then(|p| run.cases.iter().position(|c| *c == p)))
        .unwrap_or(0);
}

/// `line L, column C: message`, or `None` when the text is JSON.
fn input_error(text: &str) -> Option<String> {
    serde_json::from_str::<Value>(text)
        .err()
        .map(|e| format!("line {}, column {}: {e}", e.line(), e.column()))
}

/// What a run needs besides the machine, checked on the UI thread (cheap); the mock file is read by the run.
struct Prepared {
    input: Value,
    config: SimConfig,
    /// The mock file, the `(state machine, test case)` chosen in the setup if the file was read already, and
    /// the test case asked for by name.
    mocks: Option<MockChoice>,
    ran_with: String,
}

type MockChoice = (PathBuf, Option<(String, String)>, Option<String>);

/// Checks the setup's input, seed and cap, or says what is wrong.
fn prepare(run: &RunState) -> Result<Prepared, String> {
    let input: Value = serde_json::from_str(&run.input_text).map_err(|e| {
        format!(
            "Execution input: line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    let seed: u64 = run
        .seed_text
        .trim()
        .parse()
        .map_err(|_| format!("Seed: {:?} is not a whole number", run.seed_text.trim()))?;
    let max_transitions: u64 = run
        .max_transitions_text
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            format!(
                "Max transitions: {:?} is not a positive whole number",
                run.max_transitions_text.trim()
            )
        })?;
    let config = SimConfig {
        seed,
        max_transitions,
        ..SimConfig::default()
    };
    let path = run.mock_path.trim();
    let mocks = (!path.is_empty()).then(|| {
        let fresh = run.cases_for.as_deref() == Some(run.mock_path.as_str());
        let chosen = fresh
            .then(|| run.cases.get(run.case_index).cloned())
            .flatten();
        (PathBuf::from(path), chosen, run.wanted_case.clone())
    });
    Ok(Prepared {
        input,
        config,
        mocks,
        ran_with: format!("seed {seed}"),
    })
}

/// The run itself (on a background thread): reads the mock file, picks the test case, simulates.
fn run_prepared(machine: &StateMachine, p: Prepared) -> Result<(Trace, String), String> {
    let Prepared {
        input,
        mut config,
        mocks,
        mut ran_with,
    } = p;
    match mocks {
        Some((path, chosen, wanted)) => {
            let v = read_json(&path).map_err(|e| format!("Mock file: {e}"))?;
            let cases = test_cases(&v).map_err(|e| format!("Mock file: {e}"))?;
            let (sm, tc) = chosen
                .filter(|c| cases.contains(c))
                .or_else(|| wanted.and_then(|w| cases.iter().find(|(_, c)| *c == w).cloned()))
                .unwrap_or_else(|| cases[0].clone());
            config.mocks = TaskMocks::from_mock_config(&v, Some(&sm), Some(&tc))
                .map_err(|e| format!("Mock file {}: {e}", path.display()))?;
            let file = path.file_name().map_or(path.display().to_string(), |f| {
                f.to_string_lossy().into_owned()
            });
            ran_with = format!("{file}, test case {tc}, {ran_with}");
        }
        None => ran_with = format!("no mocks (tasks return their input), {ran_with}"),
    }
    Ok((crate::sim::simulate(machine, input, &config), ran_with))
}

/// Starts the run in the background (a running one is cancelled first).
fn start_run(app: &mut App, ctx: &egui::Context) {
    let prepared = match prepare(&app.run) {
        Ok(p) => p,
        Err(e) => {
            app.run.error = Some(e);
            app.run.setup_open = true;
            return;
        }
    };
    if let Some(old) = &app.run.running {
        old.cancel();
    }
    app.run.error = None;
    let machine = app.editor.machine().clone();
    let doc_id = app.bg.doc_id;
    app.run.running = Some(Job::spawn("Simulating", ctx, move |flag| {
        let mut prepared = prepared;
        prepared.config.cancel = Some(flag.clone());
        let result = run_prepared(&machine, prepared);
        RunDone {
            doc_id,
            machine,
            cancelled: flag.is_cancelled(),
            result,
        }
    }));
}

/// Applies a finished run or mock file read. Called at the start of every frame.
pub fn poll(app: &mut App) {
    if let Some(r) = jobs::take(&mut app.run.cases_job) {
        match r {
            Ok((text, found)) => cases_read(&mut app.run, text, found),
            Err(e) => app.run.mock_error = Some(e),
        }
    }
    let Some(done) = jobs::take(&mut app.run.running) else {
        return;
    };
    let done = match done {
        Ok(d) => d,
        Err(e) => {
            app.run.error = Some(e);
            return;
        }
    };
    if done.cancelled {
        app.status = Some("Run cancelled".into());
        return;
    }
    if done.doc_id != app.bg.doc_id {
        // Another document was opened while it ran: the trace is not about it.
        return;
    }
    match done.result {
        Ok((trace, ran_with)) => {
            let mut cursor = TraceCursor::new(&trace);
            cursor.seek(Some(0));
            app.run.player = Some(Player {
                trace,
                cursor,
                machine: done.machine,
                ran_with,
                playing: false,
                next_tick: None,
                interval: PLAY_INTERVAL,
                scroll_to: Some(0),
            });
            app.run.error = None;
            app.run.setup_open = false;
            app.canvas.fit_next_frame();
        }
        Err(e) => {
            app.run.error = Some(e);
            app.run.setup_open = true;
        }
    }
}

/// The run's progress (spinner, seconds, Cancel run) in the status bar while the setup window is closed.
pub fn progress_ui(app: &mut App, ui: &mut egui::Ui) {
    if app.run.setup_open {
        return;
    }
    if let Some(j) = &app.run.running
        && jobs::progress_ui(ui, j, Some("Cancel run"))
    {
        j.cancel();
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
                    app.run.mock_path = p.display().to_string();
                }
            }
        }
        RunCommand::Run => start_run(app, ctx),
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

/// The Run menu.
pub fn run_menu_ui(app: &mut App, ui: &mut egui::Ui) {
    if ui
        .add(egui::Button::new("Simulate...").shortcut_text("Ctrl+R / F5"))
        .on_hover_text("Run the workflow with mocked task results and step through it")
        .clicked()
    {
        app.push(Command::Run(RunCommand::OpenSetup));
    }
    let loaded = app.run.player.is_some();
    if ui
        .add_enabled(loaded, egui::Button::new("Run again"))
        .on_disabled_hover_text("Nothing has run yet: use Simulate...")
        .clicked()
    {
        app.push(Command::Run(RunCommand::Run));
    }
    if ui
        .add_enabled(loaded, egui::Button::new("Stop simulation"))
        .on_hover_text("Leave the player and go back to editing")
        .clicked()
    {
        app.push(Command::Run(RunCommand::Stop));
    }
}

/// Ctrl+R / F5 open the setup; with a trace loaded (and no text field focused) ←/→ step, Home/End seek, Space
/// plays or pauses.
pub fn shortcuts(app: &mut App, ctx: &egui::Context) {
    use egui::{Key, KeyboardShortcut, Modifiers};
    let typing = ctx.egui_wants_keyboard_input();
    let loaded = app.run.player.is_some();
    let mut cmds = Vec::new();
    ctx.input_mut(|i| {
        if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::R))
            || i.consume_key(Modifiers::NONE, Key::F5)
        {
            cmds.push(RunCommand::OpenSetup);
        }
        if loaded && !typing {
            for (key, c) in [
                (Key::ArrowRight, RunCommand::Forward),
                (Key::ArrowLeft, RunCommand::Back),
                (Key::Home, RunCommand::First),
                (Key::End, RunCommand::Last),
                (Key::Space, RunCommand::TogglePlay),
            ] {
                if i.consume_key(Modifiers::NONE, key) {
                    cmds.push(c);
                }
            }
        }
    });
    app.commands.extend(cmds.into_iter().map(Command::Run));
}

/// The run setup window.
pub fn setup_window(app: &mut App, ctx: &egui::Context) {
    if !app.run.setup_open {
        return;
    }
    if let Some(rx) = &app.run.picking {
        match rx.try_recv() {
            Ok(p) => {
                if let Some(p) = p {
                    app.run.mock_path = p.display().to_string();
                }
                app.run.picking = None;
            }
            Err(mpsc::TryRecvError::Disconnected) => app.run.picking = None,
            Err(mpsc::TryRecvError::Empty) => {}
        }
    }
    refresh_cases(&mut app.run, ctx);
    let mut open = true;
    let mut run_now = false;
    let err_color = ctx.global_style().visuals.error_fg_color;
    egui::Window::new("Simulate")
        .open(&mut open)
        .default_width(520.0)
        .default_pos(Pos2::new(420.0, 120.0))
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(
                RichText::new(
                    "Runs the workflow in the simulator: Task results come from the mock file's test case \
                     (Step Functions Local MockConfigFile); time is virtual.",
                )
                .weak(),
            );
            ui.add_space(4.0);
            let label = ui.label("Execution input");
            let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
                theme::json_galley(ui, buf.as_str(), wrap_width)
            };
            egui::ScrollArea::vertical()
                .id_salt("run_input_scroll")
                .max_height(180.0)
                .show(ui, |ui| {
                    ui.add(
                        egui::TextEdit::multiline(&mut app.run.input_text)
                            .id_salt("run_input")
                            .code_editor()
                            .desired_rows(6)
                            .desired_width(f32::INFINITY)
                            .layouter(&mut layouter),
                    )
                    .labelled_by(label.id);
                });
            match input_error(&app.run.input_text) {
                Some(e) => {
                    ui.colored_label(err_color, format!("Not JSON: {e}"));
                }
                None => {
                    ui.label(RichText::new("Valid JSON").weak());
                }
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let label = ui.label("Mock file");
                ui.add(
                    egui::TextEdit::singleline(&mut app.run.mock_path)
                        .id_salt("run_mock_path")
                        .hint_text("(none: tasks return their input)")
                        .desired_width(330.0),
                )
                .labelled_by(label.id);
                let available = app.picker.available();
                if ui
                    .add_enabled(available, egui::Button::new("Browse..."))
                    .on_disabled_hover_text(
                        "No native file dialog here (no display, or STATEWRIGHT_NO_NATIVE_DIALOGS is set): type the path",
                    )
                    .clicked()
                {
                    app.run.picking = Some(app.picker.pick(false, ui.ctx().clone()));
                }
            });
            refresh_cases(&mut app.run, ui.ctx());
            if let Some(j) = &app.run.cases_job {
                ui.horizontal(|ui| jobs::progress_ui(ui, j, None));
            }
            if let Some(e) = &app.run.mock_error {
                ui.colored_label(err_color, e);
            }
            ui.horizontal(|ui| {
                let several_machines = app
                    .run
                    .cases
                    .windows(2)
                    .any(|w| w[0].0 != w[1].0);
                let name = |(sm, tc): &(String, String)| {
                    if several_machines {
                        format!("{sm}: {tc}")
                    } else {
                        tc.clone()
                    }
                };
                let selected = app
                    .run
                    .cases
                    .get(app.run.case_index)
                    .map_or("(no test cases)".to_owned(), name);
                egui::ComboBox::new("run_test_case", "Test case")
                    .selected_text(selected)
                    .show_ui(ui, |ui| {
                        for (i, c) in app.run.cases.iter().enumerate() {
                            if ui
                                .selectable_label(i == app.run.case_index, name(c))
                                .clicked()
                            {
                                app.run.case_index = i;
                            }
                        }
                    });
                ui.add_space(12.0);
                let label = ui.label("Seed");
                ui.add(
                    egui::TextEdit::singleline(&mut app.run.seed_text)
                        .id_salt("run_seed")
                        .desired_width(80.0),
                )
                .labelled_by(label.id)
                .on_hover_text("Seeds retry jitter, States.UUID and States.MathRandom");
                ui.add_space(12.0);
                let label = ui.label("Max transitions");
                ui.add(
                    egui::TextEdit::singleline(&mut app.run.max_transitions_text)
                        .id_salt("run_max_transitions")
                        .desired_width(90.0),
                )
                .labelled_by(label.id)
                .on_hover_text("A run that takes more state transitions stops as a probable endless loop");
            });
            if let Some(e) = &app.run.error {
                ui.colored_label(err_color, e);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let running = app.run.running.is_some();
                if ui
                    .add_enabled(!running, egui::Button::new("Run"))
                    .clicked()
                {
                    run_now = true;
                }
                if let Some(j) = &app.run.running {
                    if jobs::progress_ui(ui, j, Some("Cancel run")) {
                        j.cancel();
                    }
                } else if ui.button("Close").clicked() {
                    app.run.setup_open = false;
                }
            });
        });
    if !open {
        app.run.setup_open = false;
    }
    if run_now {
        app.push(Command::Run(RunCommand::Run));
    }
}

/// The banner above the canvas while a trace is loaded.
pub fn banner_ui(app: &mut App, ui: &mut egui::Ui) {
    if !app.run_is_stale() {
        return;
    }
    ui.horizontal(|ui| {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "The workflow changed since this run: the trace may not match it.",
        );
        if ui.button("Run again").clicked() {
            app.push(Command::Run(RunCommand::Run));
        }
    });
}

fn status_color(status: Status) -> Color32 {
    match status {
        Status::Succeeded => Color32::from_rgb(0x2e, 0xa0, 0x43),
        Status::Failed | Status::TimedOut => theme::CATCH_COLOR,
    }
}

/// The player controls (the bottom panel while a trace is loaded): buttons, slider, status.
pub fn player_ui(app: &mut App, ui: &mut egui::Ui) {
    let Some(p) = app.run.player.as_mut() else {
        return;
    };
    let mut cmds: Vec<RunCommand> = Vec::new();
    // Auto-advance.
    if p.playing {
        let now = ui.input(|i| i.time);
        match p.next_tick {
            None => p.next_tick = Some(now + p.interval),
            Some(t) if now >= t => {
                // One step forward, exactly as the button does (the list and the canvas follow).
                cmds.push(RunCommand::Forward);
                p.next_tick = Some(now + p.interval);
            }
            Some(_) => {}
        }
        if let Some(t) = p.next_tick.filter(|_| p.playing) {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64((t - now).max(0.0)));
        }
    }
    let trace = &p.trace;
    let len = trace.events.len();
    ui.horizontal_wrapped(|ui| {
        let at_first = p.cursor.index().is_none_or(|i| i == 0);
        let at_end = p.cursor.at_end();
        if ui
            .add_enabled(!at_first, egui::Button::new("First event"))
            .clicked()
        {
            cmds.push(RunCommand::First);
        }
        if ui
            .add_enabled(!at_first, egui::Button::new("Step back"))
            .on_hover_text("Left arrow key")
            .clicked()
        {
            cmds.push(RunCommand::Back);
        }
        let play = if p.playing { "Pause" } else { "Play" };
        if ui
            .add_enabled(p.playing || !at_end, egui::Button::new(play))
            .on_hover_text("Space")
            .clicked()
        {
            cmds.push(RunCommand::TogglePlay);
        }
        let speed = egui::ComboBox::new("play_speed", "Speed")
            .selected_text(speed_label(p.interval))
            .width(90.0)
            .show_ui(ui, |ui| {
                for v in PLAY_INTERVALS {
                    ui.selectable_value(&mut p.interval, v, speed_label(v));
                }
            });
        speed.response.on_hover_text("Play speed: time per event");
        if ui
            .add_enabled(!at_end, egui::Button::new("Step forward"))
            .on_hover_text("Right arrow key")
            .clicked()
        {
            cmds.push(RunCommand::Forward);
        }
        if ui
            .add_enabled(!at_end, egui::Button::new("Next state"))
            .on_hover_text("Forward to the next state entered")
            .clicked()
        {
            cmds.push(RunCommand::NextState);
        }
        if ui
            .add_enabled(!at_end, egui::Button::new("Last event"))
            .clicked()
        {
            cmds.push(RunCommand::Last);
        }
        let mut idx = p.cursor.index().unwrap_or(0);
        let slider = ui.add(
            egui::Slider::new(&mut idx, 0..=len.saturating_sub(1))
                .text("Event")
                .custom_formatter(|v, _| format!("{}", v as usize + 1)),
        );
        if slider.changed() {
            cmds.push(RunCommand::Seek(Some(idx)));
        }
        ui.separator();
        let status = match (&trace.error, &trace.cause) {
            (Some(e), Some(c)) => format!("Status: {} ({e}: {c})", trace.status.name()),
            (Some(e), None) => format!("Status: {} ({e})", trace.status.name()),
            _ => format!("Status: {}", trace.status.name()),
        };
        ui.label(
            RichText::new(status)
                .strong()
                .color(status_color(trace.status)),
        );
        ui.label(
            RichText::new(format!(
                "{} transitions, virtual time {} to {}",
                trace.transitions,
                short_time(&trace.start_time),
                short_time(&trace.end_time)
            ))
            .weak(),
        );
        ui.separator();
        if ui.button("Run again").clicked() {
            cmds.push(RunCommand::Run);
        }
        if ui.button("Stop simulation").clicked() {
            cmds.push(RunCommand::Stop);
        }
    });
    ui.label(RichText::new(format!("Ran with {}", p.ran_with)).weak());
    app.commands.extend(cmds.into_iter().map(Command::Run));
}

/// The event list (the left panel while a trace is loaded): one row per event; a click seeks.
pub fn events_panel_ui(app: &mut App, ui: &mut egui::Ui) {
    let Some(p) = app.run.player.as_mut() else {
        return;
    };
    let mut cmds = Vec::new();
    ui.heading("Events");
    let current = p.cursor.index();
    let scroll_to = p.scroll_to.take();
    event_list_ui(ui, &p.trace, current, scroll_to, &mut cmds);
    app.commands.extend(cmds.into_iter().map(Command::Run));
}

/// The current event (the right panel while a trace is loaded): type, state, time, data stages, decisions.
pub fn details_panel_ui(app: &mut App, ui: &mut egui::Ui) {
    let Some(p) = app.run.player.as_ref() else {
        return;
    };
    let len = p.trace.events.len();
    egui::ScrollArea::vertical()
        .id_salt("player_details")
        .auto_shrink([false, false])
        .show(ui, |ui| match p.cursor.current(&p.trace) {
            Some(e) => event_details_ui(ui, &p.trace, e, len, &p.machine),
            None => {
                ui.label("Before the first event.");
            }
        });
}

fn event_list_ui(
    ui: &mut egui::Ui,
    trace: &Trace,
    current: Option<usize>,
    scroll_to: Option<usize>,
    cmds: &mut Vec<RunCommand>,
) {
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("player_events")
        .auto_shrink([false, false]);
    if let Some(i) = scroll_to {
        let visible = ui.available_height();
        area = area.vertical_scroll_offset((i as f32 * row_h - visible / 2.0).max(0.0));
    }
    area.show_rows(ui, row_h, trace.events.len(), |ui, rows| {
        for i in rows {
            let e = &trace.events[i];
            let mut text = format!("{:>3}  {}", e.id, e.event_type);
            if let Some(name) = e.path.state_name() {
                text.push_str("  ");
                text.push_str(name);
            }
            let mut rich = RichText::new(text).monospace();
            if e.error().is_some() {
                rich = rich.color(theme::CATCH_COLOR);
            } else if Some(i) == current {
                rich = rich.strong();
            } else if !e.is_state_entered() && !e.event_type.starts_with("Execution") {
                rich = rich.weak();
            }
            let r = ui.add(egui::Button::selectable(Some(i) == current, rich).truncate());
            if r.clicked() {
                cmds.push(RunCommand::SeekFromList(i));
            }
        }
    });
}

/// `2024-01-01T00:00:05.000Z` → `00:00:05.000`.
fn short_time(ts: &str) -> &str {
    ts.split_once('T')
        .map_or(ts, |(_, t)| t.trim_end_matches('Z'))
}

fn event_details_ui(
    ui: &mut egui::Ui,
    trace: &Trace,
    e: &TraceEvent,
    len: usize,
    machine: &StateMachine,
) {
    ui.label(
        RichText::new(format!("Event {} of {len}: {}", e.id, e.event_type))
            .strong()
            .size(15.0),
    );
    let name = e.path.state_name();
    match name {
        Some(n) => {
            ui.label(RichText::new(format!("State: {n}")).strong());
        }
        None => {
            ui.label("State: (the execution)");
        }
    }
    if e.path.0.len() > 1 {
        ui.label(format!("Path: {}", e.path));
    }
    ui.label(format!("Time: {} (virtual)", e.timestamp));
    if let Some(r) = e.resource() {
        ui.label(format!("Resource: {r}"));
    }
    if e.unmocked() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "No mock for this task: its result is its input.",
        );
    }
    if let Some(i) = e.index() {
        if e.event_type.starts_with("MapIteration") {
            ui.label(format!("Map item {i}"));
        } else if i > 0 {
            ui.label(format!("Retry attempt {i}"));
        }
    }
    if let Some(w) = e.wait_seconds() {
        ui.label(format!("Waits {w} s"));
    }
    if let Some(err) = e.error() {
        ui.colored_label(
            theme::CATCH_COLOR,
            match e.cause() {
                Some(c) => format!("Error: {err}: {c}"),
                None => format!("Error: {err}"),
            },
        );
    }
    if let Some(c) = e.choice() {
        ui.add_space(4.0);
        ui.label(RichText::new("Choice decision").strong());
        for line in choice_lines(c) {
            ui.label(RichText::new(line).monospace());
        }
    }
    ui.add_space(4.0);
    let state = name.and_then(|n| crate::edit::find_state(machine, n));
    let field = |key: &str| -> Option<String> {
        let s = state?;
        let v = s.to_json().to_serde();
        Some(serde_json::to_string(v.get(key)?).unwrap_or_default())
    };
    if let Some(st) = e.stages() {
        ui.label(RichText::new("Data flow").strong());
        let stages: [(&str, &str, &Option<Data>, Option<&str>); 6] = [
            (
                "1. After InputPath",
                "the part of the state input the state works on",
                &st.after_input_path,
                Some("InputPath"),
            ),
            (
                "2. After Parameters",
                "the request built from it",
                &st.after_parameters,
                Some("Parameters"),
            ),
            (
                "3. Result",
                "what the task (mocked) or Pass returned",
                &st.result,
                None,
            ),
            (
                "4. After ResultSelector",
                "the result reshaped",
                &st.after_result_selector,
                Some("ResultSelector"),
            ),
            (
                "5. After ResultPath",
                "the result placed into the state input",
                &st.after_result_path,
                Some("ResultPath"),
            ),
            (
                "6. Output",
                "after OutputPath: what the next state receives",
                &st.output,
                Some("OutputPath"),
            ),
        ];
        for (title, what, value, key) in stages {
            let Some(v) = value else { continue };
            let note = key.and_then(|k| field(k).map(|f| format!("{k}: {}", shorten(&f, 300))));
            json_section(
                ui,
                &format!("{title}: {what}"),
                note.as_deref(),
                v,
                title.starts_with('6'),
            );
        }
    } else {
        if let Some(v) = &e.input {
            json_section(ui, "Input", None, v, true);
        }
        if let Some(v) = &e.output {
            json_section(ui, "Output", None, v, true);
        }
    }
    if e.event_type == "ExecutionSucceeded" || e.event_type == "ExecutionFailed" {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!("The execution ended: {}", trace.status.name()))
                .color(status_color(trace.status)),
        );
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() > max {
        format!("{}...", s.chars().take(max - 3).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// A collapsible stage: its title, the field that produced it (when set), the data as pretty JSON.
fn json_section(ui: &mut egui::Ui, title: &str, note: Option<&str>, v: &Value, open: bool) {
    egui::CollapsingHeader::new(title)
        .id_salt(title)
        .default_open(open)
        .show(ui, |ui| {
            if let Some(n) = note {
                ui.add(egui::Label::new(RichText::new(n).weak().monospace()).wrap());
            }
            let text = serde_json::to_string_pretty(v).unwrap_or_default();
            ui.add(egui::Label::new(RichText::new(text).monospace()).wrap());
        });
}

/// The decision of a Choice state in plain words: one line per comparison, then the outcome.
pub fn choice_lines(c: &crate::trace::ChoiceDecision) -> Vec<String> {
    let mut out: Vec<String> = c.comparisons.iter().map(comparison_text).collect();
    if c.comparisons.is_empty() {
        out.push("No comparison was evaluated.".into());
    }
    out.push(match (c.matched_rule, &c.next) {
        (Some(i), Some(n)) => format!("Rule {} of Choices matched, so next: {n}", i + 1),
        (None, Some(n)) => format!("No rule matched, so Default: {n}"),
        (_, None) => "No rule matched and there is no Default: States.NoChoiceMatched".into(),
    });
    out
}

/// `$.Crawler.State = "RUNNING", so StringEquals "READY" is false`
pub fn comparison_text(c: &Comparison) -> String {
    let actual = match &c.actual {
        Some(v) => format!("{} = {}", c.variable, compact(v)),
        None => format!("{} is absent", c.variable),
    };
    format!(
        "{actual}, so {} {} is {}",
        c.operator,
        compact(&c.expected),
        c.matched
    )
}

fn compact(v: &Value) -> String {
    shorten(&serde_json::to_string(v).unwrap_or_default(), 80)
}

/// Paints the run state over a node the canvas has just drawn: unvisited states dimmed, visited ones tinted,
/// the current one(s) ringed.
pub fn paint_node_overlay(
    painter: &egui::Painter,
    n: &NodeLayout,
    r: Rect,
    hl: &RunHighlight,
    dark: bool,
) {
    let container = !n.lanes.is_empty();
    let current = hl.current.contains(&n.path);
    let visited = hl.visited.contains(&n.path);
    let shape = |fill: Color32, stroke: Stroke, grow: f32| -> Shape {
        let r = r.expand(grow);
        match n.state_type {
            Some(StateType::Choice) if !container => {
                Shape::convex_polygon(theme::choice_outline(r), fill, stroke)
            }
            Some(StateType::Succeed | StateType::Fail) if !container => {
                rounded(r, r.height() / 2.0, fill, stroke)
            }
            _ => rounded(r, if container { 10.0 } else { 8.0 }, fill, stroke),
        }
    };
    if current {
        for (grow, alpha) in [(9.0, 40), (6.0, 70)] {
            painter.add(shape(
                Color32::TRANSPARENT,
                Stroke::new(
                    3.0,
                    Color32::from_rgba_unmultiplied(0x1f, 0x8f, 0xff, alpha),
                ),
                grow,
            ));
        }
        painter.add(shape(
            if container {
                Color32::TRANSPARENT
            } else {
                Color32::from_rgba_unmultiplied(0x1f, 0x8f, 0xff, 30)
            },
            Stroke::new(3.5, CURRENT),
            3.0,
        ));
    } else if visited {
        if !container {
            painter.add(shape(VISITED_FILL, Stroke::new(2.0, VISITED), 0.0));
        } else {
            painter.add(shape(Color32::TRANSPARENT, Stroke::new(2.0, VISITED), 0.0));
        }
    } else if !container {
        let bg = if dark {
            Color32::from_rgba_unmultiplied(27, 27, 27, 150)
        } else {
            Color32::from_rgba_unmultiplied(248, 248, 248, 160)
        };
        painter.add(shape(bg, Stroke::NONE, 0.5));
    }
}

/// The current state's ring.
pub const CURRENT: Color32 = Color32::from_rgb(0x1f, 0x8f, 0xff);
/// Visited states and taken transitions.
pub const VISITED: Color32 = Color32::from_rgb(0x2e, 0xa0, 0x43);
const VISITED_FILL: Color32 = Color32::from_rgba_premultiplied(0x05, 0x14, 0x08, 0x20);

/// Repaints a transition the run took, over the edge the canvas drew.
pub fn paint_edge_overlay(painter: &egui::Painter, e: &EdgeLayout, off: Vec2, hl: &RunHighlight) {
    if !hl.edges.contains(&(e.from.clone(), e.to.clone())) {
        return;
    }
    let pts: Vec<Pos2> = e.points.iter().map(|p| theme::pos(*p) + off).collect();
    if pts.len() < 2 {
        return;
    }
    painter.add(Shape::line(pts.clone(), Stroke::new(3.5, VISITED)));
    let tip = pts[pts.len() - 1];
    let dir = (tip - pts[pts.len() - 2]).normalized();
    let nrm = Vec2::new(-dir.y, dir.x);
    painter.add(Shape::convex_polygon(
        vec![
            tip,
            tip - dir * 11.0 + nrm * 6.0,
            tip - dir * 11.0 - nrm * 6.0,
        ],
        VISITED,
        Stroke::NONE,
    ));
}

/// A rounded rectangle with fill and outline.
fn rounded(r: Rect, radius: f32, fill: Color32, stroke: Stroke) -> Shape {
    Shape::Rect(egui::epaint::RectShape::new(
        r,
        radius,
        fill,
        stroke,
        StrokeKind::Outside,
    ))
}
