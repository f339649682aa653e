//! Ask-me mode in the designer: with "Ask me" ticked in the run setup, a Task call with no mocked response
//! pauses the run there ([`crate::sim::simulate_until_question`]). The player shows the run so far with the
//! asking Task current on the canvas, and the "What does the task return?" window asks for its result:
//! return JSON (pre-filled with the task's effective input) or throw an error and cause. Continue records the
//! answer and runs again from the start in the background, with every answer so far (the simulator is
//! deterministic, so the run repeats itself up to the question and goes on from the answer). When the run has
//! ended, the answers can be saved as a new test case.
//!
//! "Run" (the setup's button, "Run again") starts a new ask session: the answers are forgotten.

use super::RunState;
use crate::sim::{Answers, MockResponse, Question, SimConfig, TaskMocks};
use crate::trace::Trace;
use crate::ui::app::App;
use crate::ui::jobs;
use crate::ui::theme;
use egui::RichText;

/// The answer being written: return JSON or throw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Return,
    Throw,
}

/// Ask-me mode's state in the run setup and between runs.
#[derive(Default)]
pub(crate) struct AskState {
    /// The setup's "Ask me" checkbox.
    pub enabled: bool,
    /// The answers of this session, given to every run of it.
    answers: Answers,
    /// The mocks (from the setup's test case) the session's last run had: part of a saved test case.
    mocks: TaskMocks,
    /// The question the shown run stopped at.
    question: Option<Question>,
    /// The document (`bg.doc_id`) the session's runs are of: another one opened ends the session.
    for_doc: u64,
    /// The session's last run ended (after at least one answer): offer to save the answers.
    ended: bool,
    kind: Kind,
    /// The question's effective input, pretty-printed once.
    input_text: String,
    /// The result JSON being edited (pre-filled with the effective input).
    result_text: String,
    error_text: String,
    cause_text: String,
    /// Where the next run's player starts: the first event after the question it answers.
    resume_at: Option<usize>,
    /// The new test case's name, and what saving it said.
    case_name: String,
    saved: Option<Result<String, String>>,
    /// Why the last answer could not be taken.
    problem: Option<String>,
}

impl AskState {
    /// The answers a run takes: `Some` in ask-me mode.
    pub(super) fn for_run(&self) -> Option<Answers> {
        self.enabled.then(|| self.answers.clone())
    }

    /// The test case that replays the session's run: the mocks it ran with and the answers (which are for the
    /// states that had no mocks).
    fn test_case(&self) -> TaskMocks {
        let mut case = self.mocks.clone();
        case.by_state.extend(self.answers.to_task_mocks().by_state);
        case
    }

    /// "Run": a new session.
    pub(super) fn new_session(&mut self) {
        *self = AskState {
            enabled: self.enabled,
            for_doc: self.for_doc,
            case_name: std::mem::take(&mut self.case_name),
            ..AskState::default()
        };
    }

    /// The player is closed: nothing to ask or save.
    pub(super) fn end(&mut self) {
        self.new_session();
    }
}

impl App {
    /// Ask-me mode: the question the run shown in the player stopped at.
    pub fn run_question(&self) -> Option<&Question> {
        self.run.ask.question.as_ref()
    }

    /// Ask-me mode: the answers given in this session.
    pub fn run_answers(&self) -> &Answers {
        &self.run.ask.answers
    }
}

/// The player's status line while the run is paused at a question.
pub(super) fn paused_status(run: &RunState) -> Option<String> {
    let q = run.ask.question.as_ref()?;
    Some(format!(
        "Status: PAUSED, asking what {} returns (call {})",
        q.state,
        q.call + 1
    ))
}

/// What the "Ran with" line adds for an ask-me run.
pub(super) fn ran_with(config: &SimConfig) -> String {
    match &config.ask {
        None => String::new(),
        Some(a) => match a.len() {
            0 => ", ask me".into(),
            1 => ", ask me (1 answer)".into(),
            n => format!(", ask me ({n} answers)"),
        },
    }
}

/// The setup window's "Ask me" checkbox.
pub(super) fn ask_checkbox(run: &mut RunState, ui: &mut egui::Ui) {
    ui.checkbox(&mut run.ask.enabled, "Ask me").on_hover_text(
        "When a Task has no mocked response, the run pauses there and asks what it returns \
         (or which error it throws), then goes on",
    );
}

/// A run of the session is done and loaded in the player: remember its question (pre-filling the answer with
/// the effective input) and put the cursor on the asking Task, or where the answered run went on.
pub(super) fn run_loaded(app: &mut App, question: Option<Question>, mocks: TaskMocks) {
    let ask = &mut app.run.ask;
    ask.mocks = mocks;
    ask.for_doc = app.bg.doc_id;
    let Some(p) = app.run.player.as_mut() else {
        return;
    };
    let resume_at = ask.resume_at.take();
    match question {
        Some(q) => {
            ask.input_text = serde_json::to_string_pretty(&q.input).unwrap_or_default();
            ask.result_text = ask.input_text.clone();
            ask.kind = Kind::Return;
            if ask.error_text.is_empty() {
                ask.error_text = "States.TaskFailed".into();
            }
            ask.problem = None;
            p.cursor.seek(asking_event(&p.trace, &q).or(Some(0)));
            ask.question = Some(q);
            ask.ended = false;
        }
        None => {
            ask.question = None;
            ask.ended = !ask.answers.is_empty();
            ask.saved = None;
            if let Some(i) = resume_at {
                p.cursor
                    .seek(Some(i.min(p.trace.events.len().saturating_sub(1))));
            }
        }
    }
    if resume_at.is_some() || ask.question.is_some() {
        p.scroll_to = p.cursor.index();
    }
}

/// The asking Task's last event (its "started" event) in the paused trace.
fn asking_event(trace: &Trace, q: &Question) -> Option<usize> {
    trace.events.iter().rposition(|e| e.path == q.path)
}

/// The answer as written, or why it cannot be taken.
fn answer(ask: &AskState) -> Result<MockResponse, String> {
    match ask.kind {
        Kind::Return => serde_json::from_str(&ask.result_text)
            .map(|value| MockResponse::Return {
                value,
                latency_secs: 0.0,
            })
            .map_err(|e| format!("Not JSON: line {}, column {}: {e}", e.line(), e.column())),
        Kind::Throw => {
            let error = ask.error_text.trim();
            if error.is_empty() {
                return Err("The error needs a name, e.g. States.TaskFailed".into());
            }
            let cause = ask.cause_text.trim();
            Ok(MockResponse::Throw {
                error: error.to_owned(),
                cause: (!cause.is_empty()).then(|| cause.to_owned()),
                latency_secs: 0.0,
            })
        }
    }
}

/// Records the answer and runs again from the start, in the background.
fn continue_run(app: &mut App, ctx: &egui::Context) {
    let ask = &mut app.run.ask;
    let Some(q) = ask.question.clone() else {
        return;
    };
    let response = match answer(ask) {
        Ok(r) => r,
        Err(e) => {
            ask.problem = Some(e);
            return;
        }
    };
    if let Err(e) = ask.answers.answer(&q, response) {
        ask.problem = Some(e);
        return;
    }
    ask.problem = None;
    ask.resume_at = app
        .run
        .player
        .as_ref()
        .and_then(|p| asking_event(&p.trace, &q))
        .map(|i| i + 1);
    super::running::start_run(app, ctx);
}

/// The window that asks (while the player is paused at a question) or offers to save the answers (once the
/// run ended).
pub(super) fn ask_window(app: &mut App, ctx: &egui::Context) {
    if app.run.ask.for_doc != app.bg.doc_id {
        app.run.ask.new_session();
        app.run.ask.for_doc = app.bg.doc_id;
    }
    if app.run.player.is_none() || (app.run.ask.question.is_none() && !app.run.ask.ended) {
        return;
    }
    let mut open = true;
    let mut action = Action::Wait;
    let err_color = ctx.global_style().visuals.error_fg_color;
    let title = if app.run.ask.question.is_some() {
        "What does the task return?"
    } else {
        "Ask me: the run ended"
    };
    // Over the event details, at the top right: the canvas stays visible with the asking Task current.
    let corner = ctx.content_rect().right_top() + egui::vec2(-8.0, 40.0);
    // Out of the state while the window is drawn (put back below unless the user stopped asking).
    let question = app.run.ask.question.take();
    egui::Window::new(title)
        .open(&mut open)
        .default_width(460.0)
        .pivot(egui::Align2::RIGHT_TOP)
        .default_pos(corner)
        .collapsible(false)
        .show(ctx, |ui| match &question {
            Some(q) => action = question_ui(app, ui, q, err_color),
            None => save_ui(app, ui, err_color),
        });
    if !open {
        app.run.ask.ended = false;
        return;
    }
    match action {
        Action::Stop => {}
        Action::Wait => app.run.ask.question = question,
        Action::Continue => {
            app.run.ask.question = question;
            continue_run(app, ctx);
        }
    }
}

/// What the user did in the question window.
enum Action {
    Wait,
    Continue,
    /// "Stop asking": the player keeps the run so far.
    Stop,
}

/// The question and the answer editor.
fn question_ui(app: &mut App, ui: &mut egui::Ui, q: &Question, err_color: egui::Color32) -> Action {
    let ask = &mut app.run.ask;
    ui.label(RichText::new(format!("Task: {}", q.state)).strong());
    if q.path.0.len() > 1 {
        ui.label(format!("In: {}", q.path));
    }
    ui.label(format!("Resource: {}", q.resource));
    let retry = match q.retry_count {
        0 => String::new(),
        1 => " (after 1 retry)".into(),
        n => format!(" (after {n} retries)"),
    };
    ui.label(format!("Call {} of this state{retry}", q.call + 1));
    ui.add_space(4.0);
    let label = ui.label("Effective input");
    let mut input: &str = &ask.input_text;
    let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
        theme::json_galley(ui, buf.as_str(), wrap_width)
    };
    egui::ScrollArea::vertical()
        .id_salt("ask_input_scroll")
        .max_height(120.0)
        .show(ui, |ui| {
            ui.add(
                egui::TextEdit::multiline(&mut input)
                    .id_salt("ask_input")
                    .code_editor()
                    .interactive(false)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY)
                    .layouter(&mut layouter),
            )
            .labelled_by(label.id);
        });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.radio_value(&mut ask.kind, Kind::Return, "Return JSON");
        ui.radio_value(&mut ask.kind, Kind::Throw, "Throw an error");
    });
    match ask.kind {
        Kind::Return => {
            let label = ui.label("Result JSON");
            egui::ScrollArea::vertical()
                .id_salt("ask_result_scroll")
                .max_height(200.0)
                .show(ui, |ui| {
                    ui.add(
                        egui::TextEdit::multiline(&mut ask.result_text)
                            .id_salt("ask_result")
                            .code_editor()
                            .desired_rows(5)
                            .desired_width(f32::INFINITY)
                            .layouter(&mut layouter),
                    )
                    .labelled_by(label.id);
                });
        }
        Kind::Throw => {
            egui::Grid::new("ask_throw").num_columns(2).show(ui, |ui| {
                let label = ui.label("Error");
                ui.add(
                    egui::TextEdit::singleline(&mut ask.error_text)
                        .id_salt("ask_error")
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Cause");
                ui.add(
                    egui::TextEdit::singleline(&mut ask.cause_text)
                        .id_salt("ask_cause")
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        }
    }
    let checked = answer(ask);
    match &checked {
        Err(e) => {
            ui.colored_label(err_color, e);
        }
        Ok(_) if ask.kind == Kind::Return => {
            ui.label(RichText::new("Valid JSON").weak());
        }
        Ok(_) => {}
    }
    if let Some(p) = &ask.problem {
        ui.colored_label(err_color, p);
    }
    let mut action = Action::Wait;
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let running = app.run.running.is_some();
        if ui
            .add_enabled(!running && checked.is_ok(), egui::Button::new("Continue"))
            .on_hover_text("Take this answer and run again from the start")
            .clicked()
        {
            action = Action::Continue;
        }
        if let Some(j) = &app.run.running {
            if jobs::progress_ui(ui, j, Some("Cancel run")) {
                j.cancel();
            }
        } else if ui
            .button("Stop asking")
            .on_hover_text("Leave the run here (the player keeps what ran so far)")
            .clicked()
        {
            action = Action::Stop;
        }
        let n = app.run.ask.answers.len();
        if n > 0 {
            ui.label(RichText::new(format!("{n} answered so far")).weak());
        }
    });
    action
}

/// After the run: the answers, and saving them as a new test case.
fn save_ui(app: &mut App, ui: &mut egui::Ui, err_color: egui::Color32) {
    let n = app.run.ask.answers.len();
    ui.label(format!(
        "The run ended after {n} {}.",
        if n == 1 { "answer" } else { "answers" }
    ));
    for (state, call, r) in app.run.ask.answers.iter() {
        let what = match r {
            MockResponse::Return { value, .. } => format!("returned {}", compact(value)),
            MockResponse::Throw { error, .. } => format!("threw {error}"),
        };
        ui.label(RichText::new(format!("{state}, call {}: {what}", call + 1)).weak());
    }
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let label = ui.label("Test case name");
        ui.add(
            egui::TextEdit::singleline(&mut app.run.ask.case_name)
                .id_salt("ask_case_name")
                .hint_text(DEFAULT_CASE_NAME)
                .desired_width(200.0),
        )
        .labelled_by(label.id);
        if ui.button("Save as a new test case").clicked() {
            let name = match app.run.ask.case_name.trim() {
                "" => DEFAULT_CASE_NAME.to_owned(),
                n => n.to_owned(),
            };
            let mocks = app.run.ask.test_case();
            app.run.ask.saved = Some(save_answers_as_test_case(app, &name, &mocks));
        }
    });
    match &app.run.ask.saved {
        Some(Ok(m)) => {
            ui.label(m);
        }
        Some(Err(e)) => {
            ui.colored_label(err_color, e);
        }
        None => {}
    }
}

/// The name of a test case saved from answers when none is typed.
const DEFAULT_CASE_NAME: &str = "Asked";

fn compact(v: &serde_json::Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}

/// Adds the answers (with the mocks the run had) as a new test case named `name` (made unique) to the
/// workflow's mocks, the lossless mock file document the inspector's Simulation section edits (one undo step
/// there); File > Save writes `NAME.mocks.json`, changing nothing else in it. Says what it did.
fn save_answers_as_test_case(
    app: &mut App,
    name: &str,
    mocks: &TaskMocks,
) -> Result<String, String> {
    let name = app
        .mocks
        .add_test_case(name, mocks)
        .map_err(|e| format!("Not saved: {e}"))?;
    Ok(format!(
        "Added the test case {name:?} to the workflow's mocks: File > Save writes them"
    ))
}
