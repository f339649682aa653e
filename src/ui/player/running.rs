//! A run in the background: the setup is checked on the UI thread (cheap), then a [`Job`] reads the mock file,
//! picks the test case and simulates with a cancel flag, while frames go on; the setup window (or the status
//! bar) shows a spinner, the seconds so far and "Cancel run". The mock file's test cases for the setup's
//! combo box are read in the background too.

use super::setup::{BUNDLED_PREFIX, read_mock_config, test_cases};
use super::{Player, RunState};
use crate::asl::StateMachine;
use crate::sim::{SimConfig, SimOutcome, TaskMocks};
use crate::trace::highlight::RunIndex;
use crate::ui::app::App;
use crate::ui::jobs::{self, Job};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// The mock path text a background read was for, and the `(state machine, test case)` pairs it found.
pub(super) type CasesRead = (String, Result<Vec<(String, String)>, String>);

/// A finished background run.
pub(super) struct RunDone {
    doc_id: u64,
    machine: StateMachine,
    /// The document's machine version `machine` is.
    machine_version: u64,
    cancelled: bool,
    /// The run's outcome, its "ran with" line and the mocks it ran with (from the test case).
    result: Result<(SimOutcome, String, TaskMocks), String>,
    /// The trace walked once for the player (built here, off the UI thread).
    index: Option<Arc<RunIndex>>,
}

impl App {
    /// The setup's cap on state transitions.
    pub fn set_max_transitions(&mut self, n: u64) {
        self.run.max_transitions_text = n.to_string();
    }

    /// Whether a simulation or a mock file read is running in the background.
    pub fn run_busy(&self) -> bool {
        self.run.running.is_some() || self.run.cases_job.is_some() || self.run.replay.job.is_some()
    }
}

/// Re-reads the test cases, in the background, when the mock path text changed.
pub(super) fn refresh_cases(run: &mut RunState, ctx: &egui::Context) {
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
        let found = read_mock_config(text.trim()).and_then(|v| test_cases(&v));
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

/// What a run needs besides the machine, checked on the UI thread (cheap); the mock file is read by the run.
struct Prepared {
    input: Value,
    config: SimConfig,
    /// The mock file, the `(state machine, test case)` chosen in the setup if the file was read already, and
    /// the test case asked for by name.
    mocks: Option<MockChoice>,
    ran_with: String,
}

/// The mock file field, the `(state machine, test case)` chosen, the test case asked for by name, and the
/// workflow's own mocks as they are in memory when the field names them.
type MockChoice = (
    String,
    Option<(String, String)>,
    Option<String>,
    Option<Value>,
);

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
        ask: run.ask.for_run(),
        ..SimConfig::default()
    };
    let path = run.mock_path.trim();
    let mocks = (!path.is_empty()).then(|| {
        let fresh = run.cases_for.as_deref() == Some(run.mock_path.as_str());
        let chosen = fresh
            .then(|| run.cases.get(run.case_index).cloned())
            .flatten();
        (path.to_owned(), chosen, run.wanted_case.clone(), None)
    });
    let ran_with = format!("seed {seed}{}", super::ask::ran_with(&config));
    Ok(Prepared {
        input,
        config,
        mocks,
        ran_with,
    })
}

/// The run itself (on a background thread): reads the mock file, picks the test case, simulates (in ask-me
/// mode up to the first question).
fn run_prepared(
    machine: &StateMachine,
    p: Prepared,
) -> Result<(SimOutcome, String, TaskMocks), String> {
    let Prepared {
        input,
        mut config,
        mocks,
        mut ran_with,
    } = p;
    match mocks {
        Some((path, chosen, wanted, own)) => {
            let v = match own {
                Some(v) => v,
                None => read_mock_config(&path).map_err(|e| format!("Mock file: {e}"))?,
            };
            let cases = test_cases(&v).map_err(|e| format!("Mock file: {e}"))?;
            let (sm, tc) = chosen
                .filter(|c| cases.contains(c))
                .or_else(|| wanted.and_then(|w| cases.iter().find(|(_, c)| *c == w).cloned()))
                .unwrap_or_else(|| cases[0].clone());
            config.mocks = TaskMocks::from_mock_config(&v, Some(&sm), Some(&tc))
                .map_err(|e| format!("Mock file {path}: {e}"))?;
            let file = match path.strip_prefix(BUNDLED_PREFIX) {
                Some(name) => format!("{name} (bundled)"),
                None if path.starts_with(crate::ui::simulation::UNSAVED_PREFIX) => format!(
                    "{} (not saved yet)",
                    &path[crate::ui::simulation::UNSAVED_PREFIX.len()..]
                ),
                None => Path::new(&path)
                    .file_name()
                    .map_or(path.clone(), |f| f.to_string_lossy().into_owned()),
            };
            ran_with = format!("{file}, test case {tc}, {ran_with}");
        }
        None if config.ask.is_some() => ran_with = format!("no mocks, {ran_with}"),
        None => ran_with = format!("no mocks (tasks return their input), {ran_with}"),
    }
    let outcome = crate::sim::simulate_until_question(machine, input, &config);
    Ok((outcome, ran_with, config.mocks))
}

/// Starts the run in the background (a running one is cancelled first).
pub(super) fn start_run(app: &mut App, ctx: &egui::Context) {
    super::setup::sync_with_mocks(app);
    if let Some(e) = super::setup::field_is_own_mocks(app)
        .then(|| app.mocks.error_text())
        .flatten()
    {
        app.run.error = Some(format!("Mock file: {e}"));
        app.run.setup_open = true;
        return;
    }
    let prepared = match prepare(&app.run) {
        Ok(mut p) => {
            if super::setup::field_is_own_mocks(app)
                && let Some(m) = &mut p.mocks
            {
                m.3 = app.mocks.snapshot();
            }
            p
        }
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
    let machine_version = app.editor.machine_version();
    let doc_id = app.bg.doc_id;
    // A template's state machine runs with its placeholders substituted (the player still shows the design).
    let template = super::substitutions::template_run(app);
    app.run.running = Some(Job::spawn("Simulating", ctx, move |flag| {
        let mut prepared = prepared;
        prepared.config.cancel = Some(flag.clone());
        let result = match &template {
            None => run_prepared(&machine, prepared),
            Some(t) => t.machine().and_then(|m| {
                run_prepared(&m, prepared).map(|(outcome, ran_with, mocks)| {
                    let n = t.overridden();
                    let ran_with = match n {
                        0 => format!("{ran_with}, template substitutions"),
                        n => format!("{ran_with}, template substitutions ({n} overridden)"),
                    };
                    (outcome, ran_with, mocks)
                })
            }),
        };
        let index = result
            .as_ref()
            .ok()
            .map(|(outcome, _, _)| Arc::new(RunIndex::new(outcome.trace())));
        RunDone {
            doc_id,
            machine,
            machine_version,
            cancelled: flag.is_cancelled(),
            result,
            index,
        }
    }));
}

/// Applies a finished run or mock file read, keeps the breakpoints in step with edits. Called at the start
/// of every frame.
pub fn poll(app: &mut App) {
    app.run.breakpoints.follow_edits(
        app.bg.doc_id,
        app.editor.machine_version(),
        app.editor.machine(),
    );
    super::replay::poll(app);
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
        Ok((outcome, ran_with, mocks)) => {
            let (trace, question) = outcome.into_parts();
            let mut player = Player::new(trace, done.machine, done.machine_version, ran_with);
            // The run index was built in the background with the run.
            player.anim = super::anim::Anim::new(done.index);
            app.run.player = Some(player);
            app.run.error = None;
            app.run.setup_open = false;
            app.canvas.fit_next_frame();
            super::ask::run_loaded(app, question, mocks);
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
