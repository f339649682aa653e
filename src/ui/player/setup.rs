//! The run setup window: execution input, mock file (with its test cases), seed, the transition cap; and
//! reading mock files.

use super::RunCommand;
use super::running::refresh_cases;
use crate::examples;
use crate::ui::app::{App, Command};
use crate::ui::jobs;
use crate::ui::theme;
use egui::{Pos2, RichText};
use serde_json::Value;
use std::path::{Path, PathBuf};

impl App {
    /// What the default mock file is looked up by: the document's path, or for a bundled example (which has
    /// no path) its file name.
    pub(crate) fn mock_defaults_key(&self) -> Option<PathBuf> {
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
}

/// What the mock file field holds for a bundled mock file: this prefix, then the file name.
pub const BUNDLED_PREFIX: &str = "bundled:";

/// The default mock file for a document, as the mock file field shows it: `NAME.mocks.json` beside it, in a
/// `mocks` folder beside it, or the bundled `NAME.mocks.json` (the bundled examples' mock files are embedded
/// in the binary: see [`examples`]).
pub fn default_mock_path(doc: Option<&Path>) -> Option<String> {
    let doc = doc?;
    let name = examples::mock_file_name(doc.file_name()?.to_str()?);
    let dir = doc.parent().unwrap_or(Path::new("."));
    [dir.join(&name), dir.join("mocks").join(&name)]
        .into_iter()
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
        .or_else(|| examples::mock_text(&name).map(|_| format!("{BUNDLED_PREFIX}{name}")))
}

/// Reads the mock file the field names (a path, or a bundled file); errors name the file and line:col.
pub(super) fn read_mock_config(field: &str) -> Result<Value, String> {
    if let Some(name) = field.strip_prefix(BUNDLED_PREFIX) {
        return examples::mock_config(name);
    }
    let path = Path::new(field);
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
pub(super) fn test_cases(config: &Value) -> Result<Vec<(String, String)>, String> {
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

/// When the mock file field names the workflow's own mocks (the ones the inspector's Simulation section edits),
/// the test cases come from them, edits included (saved or not), and picking one here picks it there too.
/// The field follows the mocks (a first test case made for an untitled workflow, a first save) while it shows
/// what it was set to.
pub(super) fn sync_with_mocks(app: &mut App) {
    let field = app.mocks.field();
    if field != app.mocks.last_field {
        if app.run.mock_path.trim() == app.mocks.last_field.trim() {
            app.run.mock_path = field.clone();
        }
        app.mocks.last_field = field.clone();
    }
    if field.is_empty() || app.run.mock_path.trim() != field {
        return;
    }
    let run = &mut app.run;
    run.cases = app.mocks.cases();
    run.cases_for = Some(run.mock_path.clone());
    run.cases_job = None;
    run.mock_error = app.mocks.error_text();
    if let Some(w) = run.wanted_case.take() {
        match run.cases.iter().find(|(_, c)| *c == w).cloned() {
            Some((sm, tc)) => app.mocks.select(&sm, &tc),
            None => run.wanted_case = Some(w),
        }
    }
    if let Some(i) = app
        .mocks
        .selected()
        .and_then(|sel| run.cases.iter().position(|c| *c == sel))
    {
        run.case_index = i;
    }
}

/// Whether the mock file field names the workflow's own mocks.
pub(super) fn field_is_own_mocks(app: &App) -> bool {
    let field = app.mocks.field();
    !field.is_empty() && app.run.mock_path.trim() == field
}

/// `line L, column C: message`, or `None` when the text is JSON.
pub(super) fn input_error(text: &str) -> Option<String> {
    serde_json::from_str::<Value>(text)
        .err()
        .map(|e| format!("line {}, column {}: {e}", e.line(), e.column()))
}

/// The run setup window.
pub fn setup_window(app: &mut App, ctx: &egui::Context) {
    // Run > Replay execution history and ask-me mode's questions have their own windows.
    super::replay::replay_window(app, ctx);
    super::ask::ask_window(app, ctx);
    if !app.run.setup_open {
        return;
    }
    if let Some(Some(p)) = crate::ui::files::poll_pick(&mut app.run.picking) {
        app.run.mock_path = p.display().to_string();
    }
    sync_with_mocks(app);
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
            sync_with_mocks(app);
            refresh_cases(&mut app.run, ui.ctx());
            if let Some(j) = &app.run.cases_job {
                ui.horizontal(|ui| jobs::progress_ui(ui, j, None));
            }
            if let Some(e) = &app.run.mock_error {
                ui.colored_label(err_color, e);
            } else if field_is_own_mocks(app) {
                ui.label(
                    RichText::new(
                        "The workflow's own mocks: select a Task to edit its calls and the test cases in the \
                         inspector's Simulation section.",
                    )
                    .weak(),
                );
                crate::ui::simulation::lacking_ui(&mut app.mocks, ui);
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
                let own = field_is_own_mocks(app);
                egui::ComboBox::new("run_test_case", "Test case")
                    .selected_text(selected)
                    .show_ui(ui, |ui| {
                        for (i, c) in app.run.cases.iter().enumerate() {
                            if ui
                                .selectable_label(i == app.run.case_index, name(c))
                                .clicked()
                            {
                                app.run.case_index = i;
                                if own {
                                    app.mocks.select(&c.0, &c.1);
                                }
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
            super::ask::ask_checkbox(&mut app.run, ui);
            super::substitutions::substitutions_ui(app, ui);
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
