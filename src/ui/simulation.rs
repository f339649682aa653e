//! The inspector's **Simulation** section: what a Task returns or throws, call by call, in the selected test
//! case of the workflow's mock file (`NAME.mocks.json` beside it, Step Functions Local's MockConfigFile), and
//! the test cases themselves (new, rename, duplicate, delete). The Run dialog runs the same test cases,
//! edits included, saved or not.
//!
//! The mock file is a [`MockFile`] (core: lossless, edits change only what they must). It is read in the
//! background when a document is opened; a file that cannot be read shows its line:col here and in the Run
//! dialog and is never edited or saved over. Edits are kept in memory (a workflow without a path keeps them
//! until it is saved) and written with File > Save, or the section's own Save, off the UI thread. Mock edits
//! have their own undo (the section's Undo / Redo).
//!
//! The test cases follow the workflow's edits: a state renamed (in the inspector, the code view, or by undo and
//! redo) is renamed in every test case of the workflow's state machine entry, told the way breakpoints tell
//! it ([`renamed_state`]); this is not a mock undo step (the mock edits' undo history is renamed too), it is
//! undone with the rename. A deleted state's entries stay (the delete may be undone); the section and the Run
//! dialog name the test cases that mock states the workflow lacks, with a Remove that is a mock edit.

use crate::asl::StateMachine;
use crate::edit::follow::{renamed_state, state_names};
use crate::examples;
use crate::json::{self, Json};
use crate::sim::mockfile::{MockFile, return_entry, throw_entry};
use crate::sim::typical;
use crate::ui::app::App;
use crate::ui::jobs::{self, Job};
use crate::ui::player::BUNDLED_PREFIX;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What the Run dialog's mock file field shows for mocks that exist only in memory (an untitled workflow).
pub const UNSAVED_PREFIX: &str = "unsaved:";

/// How many mock edits Undo goes back.
const UNDO_LIMIT: usize = 200;

/// Where the mocks came from.
#[derive(Clone, Debug, Default, PartialEq)]
enum Origin {
    /// Nowhere yet: a workflow without a mock file.
    #[default]
    Memory,
    Disk(PathBuf),
    /// A bundled example's mock file (by file name).
    Bundled(String),
}

/// A mock file being written: where, what, and whether a file already there may be replaced (only the one
/// the mocks were read from).
pub(crate) struct MockWrite {
    path: PathBuf,
    text: String,
    may_replace: bool,
}

impl MockWrite {
    /// Writes the file (atomically); refuses to replace a file the mocks were not read from.
    pub(crate) fn write(&self) -> Result<(), String> {
        if !self.may_replace && self.path.exists() {
            return Err(format!(
                "mocks not saved: {} exists and is not the mock file that was opened",
                self.path.display()
            ));
        }
        crate::fsutil::write_file(&self.path, self.text.as_bytes())
    }
}

type Loaded = (PathBuf, Result<MockFile, String>);
type Written = (MockWrite, Result<(), String>);

/// The workflow's mocks, the selected test case, and the section's editing state.
#[derive(Default)]
pub struct MockStore {
    /// The document (`bg.doc_id`) the mocks belong to.
    for_doc: Option<u64>,
    file: Option<MockFile>,
    origin: Origin,
    /// Why the mock file could not be read (with line:col): it is neither edited nor saved.
    error: Option<String>,
    load: Option<Job<Loaded>>,
    save: Option<Job<Written>>,
    /// The state machine entry of the file the workflow uses.
    machine: String,
    case: Option<String>,
    undo: Vec<MockFile>,
    redo: Vec<MockFile>,
    /// The field of the last edit: typing in one field is one undo step.
    coalesce: Option<String>,
    /// The text of the JSON box being typed in: `(box key, text)`.
    typing: Option<(String, String)>,
    /// The test case name box, while it differs from the name.
    rename: Option<(String, String)>,
    /// The last message (an edit that was refused, a save).
    pub(crate) notice: Option<String>,
    /// The Run dialog's mock field as this store last set it.
    pub(crate) last_field: String,
    /// The workflow's state names at a machine version (`Editor::machine_version`): renames are told by them.
    names: Option<(u64, HashSet<String>)>,
    /// Renames made while the mock file was being read, applied once it is.
    pending_renames: Vec<(String, String)>,
    /// Counts the changes of the mocks (edits, undo, redo, renames, reads, saves): the autosave tells by it
    /// whether the mocks changed since it last wrote.
    changes: u64,
}

impl MockStore {
    /// The Run dialog's mock file field for these mocks: the file's path, `bundled:NAME`, or `unsaved:NAME`
    /// for mocks only in memory (empty while there is nothing to run with).
    pub(crate) fn field(&self) -> String {
        match &self.origin {
            Origin::Disk(p) => p.display().to_string(),
            Origin::Bundled(n) => format!("{BUNDLED_PREFIX}{n}"),
            Origin::Memory => match &self.file {
                Some(f) if !f.cases().is_empty() => {
                    format!("{UNSAVED_PREFIX}{}.mocks.json", self.machine)
                }
                _ => String::new(),
            },
        }
    }

    /// Every `(state machine, test case)` of the file.
    pub(crate) fn cases(&self) -> Vec<(String, String)> {
        self.file.as_ref().map(MockFile::cases).unwrap_or_default()
    }

    /// The selected test case.
    pub(crate) fn selected(&self) -> Option<(String, String)> {
        self.case.clone().map(|c| (self.machine.clone(), c))
    }

    pub(crate) fn select(&mut self, machine: &str, case: &str) {
        self.machine = machine.to_owned();
        self.case = Some(case.to_owned());
        self.rename = None;
    }

    /// Why the mocks cannot be used: the file could not be read, or the selected test case has a problem.
    pub(crate) fn error_text(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(e.clone());
        }
        let file = self.file.as_ref()?;
        let (sm, tc) = self.selected()?;
        file.problems()
            .into_iter()
            .find(|(m, c, _)| *m == sm && *c == tc)
            .map(|(_, _, e)| format!("{}: {e}", self.display_name()))
    }

    /// The mocks as JSON, for a run.
    pub(crate) fn snapshot(&self) -> Option<serde_json::Value> {
        self.file.as_ref().map(MockFile::to_serde)
    }

    /// Whether there are mock edits not written yet.
    pub fn is_modified(&self) -> bool {
        self.error.is_none() && self.file.as_ref().is_some_and(MockFile::is_modified)
    }

    /// The selected test case's name.
    pub fn selected_case(&self) -> Option<&str> {
        self.case.as_deref()
    }

    /// Why the mock file could not be read.
    pub fn load_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether the mock file is being read or written.
    pub fn busy(&self) -> bool {
        self.load.is_some() || self.save.is_some()
    }

    /// The changes made to the mocks so far (see [`MockStore::changes`]).
    pub(crate) fn changes(&self) -> u64 {
        self.changes
    }

    /// The mocks to autosave with the document when their edits are not saved: the file they were read from
    /// (if any) and the file as edited (its text is made off the UI thread).
    pub(crate) fn unsaved(&self) -> Option<(Option<PathBuf>, MockFile)> {
        if !self.is_modified() {
            return None;
        }
        let path = match &self.origin {
            Origin::Disk(p) => Some(p.clone()),
            Origin::Bundled(_) | Origin::Memory => None,
        };
        self.file.clone().map(|f| (path, f))
    }

    /// Brings recovered mock edits back as one undoable, unsaved mock edit (File > Save writes them; nothing is
    /// written here).
    pub(crate) fn restore(&mut self, text: &str) -> Result<(), String> {
        if let Some(e) = &self.error {
            return Err(format!("the mock file cannot be edited: {e}"));
        }
        if self.file.is_none() {
            return Err("the mock file is not read yet".into());
        }
        if self.edit(None, |f| {
            f.restore_edits(text)
                .map_err(|e| format!("the recovered mocks do not read back ({e})"))
        }) {
            self.after_history();
            Ok(())
        } else {
            Err(self.notice.clone().unwrap_or_default())
        }
    }

    /// The mock file as it would be written now (tests and tools).
    pub fn text(&self) -> Option<String> {
        self.file.as_ref().map(MockFile::to_text)
    }

    fn display_name(&self) -> String {
        match &self.origin {
            Origin::Disk(p) => p.display().to_string(),
            Origin::Bundled(n) => format!("{n} (bundled)"),
            Origin::Memory => format!("{}.mocks.json (not saved yet)", self.machine),
        }
    }

    /// Picks the test case to show: the current one while it exists, else the first of the machine.
    fn settle_selection(&mut self) {
        let Some(file) = &self.file else {
            self.case = None;
            return;
        };
        let cases = file.test_cases(&self.machine);
        if self.case.as_ref().is_none_or(|c| !cases.contains(c)) {
            self.case = cases.into_iter().next();
        }
    }

    /// Applies an edit to the file (an undo step unless it continues the last edit of the same field).
    fn edit(
        &mut self,
        coalesce: Option<String>,
        f: impl FnOnce(&mut MockFile) -> Result<(), String>,
    ) -> bool {
        if self.error.is_some() {
            return false;
        }
        let Some(file) = self.file.as_mut() else {
            return false;
        };
        let before = file.clone();
        match f(file) {
            Ok(()) => {
                if before.tree() != file.tree() {
                    self.changes += 1;
                    if coalesce.is_none() || coalesce != self.coalesce {
                        self.undo.push(before);
                        if self.undo.len() > UNDO_LIMIT {
                            self.undo.remove(0);
                        }
                    }
                    self.redo.clear();
                    self.coalesce = coalesce;
                }
                self.notice = None;
                true
            }
            Err(e) => {
                *file = before;
                self.notice = Some(e);
                false
            }
        }
    }

    fn undo(&mut self) {
        if let (Some(prev), Some(file)) = (self.undo.pop(), self.file.as_mut()) {
            self.redo.push(std::mem::replace(file, prev));
            self.after_history();
        }
    }

    fn redo(&mut self) {
        if let (Some(next), Some(file)) = (self.redo.pop(), self.file.as_mut()) {
            self.undo.push(std::mem::replace(file, next));
            self.after_history();
        }
    }

    fn after_history(&mut self) {
        self.changes += 1;
        self.coalesce = None;
        self.typing = None;
        self.rename = None;
        self.settle_selection();
    }

    /// Adds a test case holding `mocks` (answers given during a run) under a free name based on `name`, as one
    /// undoable edit, and selects it. Returns the name used.
    pub(crate) fn add_answers(
        &mut self,
        name: &str,
        mocks: &crate::sim::TaskMocks,
    ) -> Result<String, String> {
        if self.file.is_none() || self.error.is_some() {
            return Err(self
                .error
                .clone()
                .unwrap_or_else(|| "the mock file is not read yet".into()));
        }
        let name = file_unique(self, name);
        let machine = self.machine.clone();
        if self.edit(None, |f| f.add_test_case(&machine, &name, mocks)) {
            self.select(&machine, &name);
            Ok(name)
        } else {
            Err(self.notice.clone().unwrap_or_default())
        }
    }

    /// Adds a test case holding `mocks` (ask-me answers) to the workflow's mocks as one undoable edit, named
    /// `base` (made unique), and selects it; File > Save writes it. Returns its name.
    pub(crate) fn add_test_case(
        &mut self,
        base: &str,
        mocks: &crate::sim::TaskMocks,
    ) -> Result<String, String> {
        if let Some(e) = &self.error {
            return Err(format!("the mock file cannot be edited: {e}"));
        }
        let name = file_unique(self, base);
        let machine = self.machine.clone();
        if self.edit(None, |f| f.add_test_case(&machine, &name, mocks)) {
            self.select(&machine, &name);
            Ok(name)
        } else {
            Err(self
                .notice
                .clone()
                .unwrap_or_else(|| "there are no mocks to add the test case to".into()))
        }
    }

    /// What File > Save writes beside `workflow`: the mocks, when edited. `NAME.mocks.json` beside it, or the
    /// file they were read from when that is this workflow's mock file.
    pub(crate) fn save_plan(&self, workflow: &Path) -> Option<MockWrite> {
        if !self.is_modified() {
            return None;
        }
        let file = self.file.as_ref()?;
        let name = examples::mock_file_name(workflow.file_name()?.to_str()?);
        let dir = workflow.parent().unwrap_or(Path::new("."));
        let own = [dir.join(&name), dir.join("mocks").join(&name)];
        let path = match &self.origin {
            Origin::Disk(p) if own.contains(p) => p.clone(),
            _ => own[0].clone(),
        };
        let may_replace = self.origin == Origin::Disk(path.clone());
        Some(MockWrite {
            path,
            text: file.to_text(),
            may_replace,
        })
    }

    /// A write finished: the written text is the baseline of the next save, and the mocks live there now.
    pub(crate) fn written(&mut self, w: MockWrite, result: Result<(), String>) -> Option<String> {
        match result {
            Ok(()) => {
                if let Some(file) = &mut self.file {
                    file.mark_saved(w.text);
                }
                self.changes += 1;
                self.origin = Origin::Disk(w.path.clone());
                self.notice = Some(format!("Saved {}", w.path.display()));
                None
            }
            Err(e) => {
                self.notice = Some(e.clone());
                Some(e)
            }
        }
    }

    /// Starts reading the mocks of the document `doc` (its path, or a bundled example's name).
    fn reload(&mut self, doc: u64, key: Option<PathBuf>, ctx: &egui::Context) {
        let last_field = std::mem::take(&mut self.last_field);
        *self = MockStore {
            for_doc: Some(doc),
            last_field,
            changes: self.changes + 1,
            ..MockStore::default()
        };
        let file_name = key
            .as_ref()
            .and_then(|k| k.file_name())
            .and_then(|n| n.to_str())
            .map_or_else(
                || "state-machine.mocks.json".to_owned(),
                examples::mock_file_name,
            );
        self.machine = file_name
            .strip_suffix(".mocks.json")
            .unwrap_or(&file_name)
            .to_owned();
        match crate::ui::player::default_mock_path(key.as_deref()) {
            None => self.loaded(Origin::Memory, Ok(MockFile::empty())),
            Some(field) => match field.strip_prefix(BUNDLED_PREFIX) {
                Some(name) => {
                    let read = examples::mock_text(name)
                        .ok_or_else(|| format!("no bundled mock file {name}"))
                        .and_then(|t| {
                            MockFile::parse(t).map_err(|e| format!("{name} (bundled):{e}"))
                        });
                    self.loaded(Origin::Bundled(name.to_owned()), read);
                }
                None => {
                    let path = PathBuf::from(field);
                    let label = format!(
                        "Reading {}",
                        path.file_name()
                            .map_or(String::new(), |n| n.to_string_lossy().into())
                    );
                    self.load = Some(Job::spawn(label, ctx, move |_| {
                        let read = std::fs::read(&path)
                            .map_err(|e| format!("cannot read {}: {e}", path.display()))
                            .and_then(|b| {
                                MockFile::from_bytes(&b)
                                    .map_err(|e| format!("{}:{e}", path.display()))
                            });
                        (path, read)
                    }));
                }
            },
        }
    }

    fn loaded(&mut self, origin: Origin, read: Result<MockFile, String>) {
        self.origin = origin;
        self.changes += 1;
        match read {
            Ok(file) => {
                self.machine = file.machine_for(&self.machine);
                self.file = Some(file);
                self.error = None;
                for (from, to) in std::mem::take(&mut self.pending_renames) {
                    self.follow_rename(&from, &to);
                }
            }
            Err(e) => {
                self.file = None;
                self.error = Some(e);
            }
        }
        self.settle_selection();
    }

    /// Keeps the test cases in step with the workflow at machine version `version`: when the state names
    /// changed by a rename since the last version seen, the state is renamed in the test cases. Cheap when
    /// nothing changed (one comparison of versions).
    pub(crate) fn follow_edits(&mut self, version: u64, machine: &StateMachine) {
        if self.names.as_ref().is_some_and(|(v, _)| *v == version) {
            return;
        }
        let now = state_names(machine);
        if let Some((_, before)) = self.names.take()
            && let Some((from, to)) = renamed_state(&before, &now)
        {
            self.follow_rename(from, to);
        }
        self.names = Some((version, now));
    }

    /// Renames the state `from` to `to` in the test cases of the workflow's state machine entry: in the file
    /// and in the mock undo history (whose steps then undo mock edits only, not the rename). A file still being
    /// read gets it when read; one that cannot be read is not edited.
    fn follow_rename(&mut self, from: &str, to: &str) {
        if self.load.is_some() {
            self.pending_renames.push((from.to_owned(), to.to_owned()));
            return;
        }
        if self.error.is_some() {
            return;
        }
        let Some(file) = self.file.as_mut() else {
            return;
        };
        let machine = self.machine.clone();
        match file.rename_state(&machine, from, to) {
            Ok(0) => {}
            Ok(n) => {
                self.changes += 1;
                let cases = if n == 1 { "test case" } else { "test cases" };
                self.notice = Some(format!("Renamed \"{from}\" to \"{to}\" in {n} {cases}"));
            }
            Err(e) => self.notice = Some(format!("Test cases not renamed: {e}")),
        }
        for f in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            // The same rename that the file took (it can only fail for a name the file refused too).
            let _ = f.rename_state(&machine, from, to);
        }
        // The JSON box being typed in is keyed by the state's name.
        self.typing = None;
        self.coalesce = None;
    }

    /// The test cases of the workflow's state machine entry that mock states the workflow lacks (deleted, or
    /// renamed in a way not followed), with those states in file order.
    pub(crate) fn lacking(&self) -> Vec<(String, Vec<String>)> {
        let (Some(file), Some((_, names)), None) = (&self.file, &self.names, &self.error) else {
            return Vec::new();
        };
        file.test_cases(&self.machine)
            .into_iter()
            .filter_map(|case| {
                let missing: Vec<String> = file
                    .mocked_states(&self.machine, &case)
                    .into_iter()
                    .filter(|s| !names.contains(s))
                    .collect();
                (!missing.is_empty()).then_some((case, missing))
            })
            .collect()
    }

    /// Stops mocking `states` in the test case `case` (one undoable mock edit; responses nobody else uses go).
    fn remove_states(&mut self, case: &str, states: &[String]) -> bool {
        let machine = self.machine.clone();
        self.edit(None, |f| {
            states
                .iter()
                .try_for_each(|s| f.set_sequence(&machine, case, s, &[]))
        })
    }
}

impl App {
    /// The workflow's mocks (what the Simulation section edits).
    pub fn mock_store(&self) -> &MockStore {
        &self.mocks
    }

    /// Saves answers given during a run as a new test case of the workflow's mocks (named `name`, or `name 2`,
    /// … when taken), selected in the Simulation section and the Run dialog; undoable there, written with
    /// File > Save. Returns the name used.
    pub fn save_answers_as_test_case(
        &mut self,
        name: &str,
        mocks: &crate::sim::TaskMocks,
    ) -> Result<String, String> {
        self.mocks.add_answers(name, mocks)
    }
}

/// Keeps the mocks with the open document and applies finished reads and writes. Called once per frame.
pub fn poll(app: &mut App, ctx: &egui::Context) {
    let doc = app.bg.doc_id;
    if app.mocks.for_doc != Some(doc) {
        let key = app.mock_defaults_key();
        app.mocks.reload(doc, key, ctx);
    }
    app.mocks
        .follow_edits(app.editor.machine_version(), app.editor.machine());
    let store = &mut app.mocks;
    match jobs::take(&mut store.load) {
        Some(Ok((path, read))) => store.loaded(Origin::Disk(path), read),
        Some(Err(e)) => store.error = Some(e),
        None => {}
    }
    match jobs::take(&mut store.save) {
        Some(Ok((w, result))) => {
            if let Some(e) = store.written(w, result) {
                app.status = Some(e);
            }
        }
        Some(Err(e)) => store.notice = Some(e),
        None => {}
    }
    // Recovered mock edits wait for the document's mock file to be read, then come back on top of it.
    if let Some((for_doc, _)) = &app.bg.restore_mocks
        && (*for_doc != doc || app.mocks.load.is_none())
    {
        let (for_doc, text) = app.bg.restore_mocks.take().unwrap_or_default();
        if for_doc == doc
            && let Err(e) = app.mocks.restore(&text)
        {
            app.status = Some(format!("The recovered mock edits were not restored: {e}"));
            // Their autosave is kept (not removed as this window's when nothing is left unsaved).
            app.bg.written_key = None;
        }
    }
}

/// The section's own Save: writes the mocks beside the saved workflow, in the background.
fn save_now(app: &mut App, ctx: &egui::Context) {
    let Some(path) = app.path.clone() else {
        return;
    };
    if app.mocks.save.is_some() {
        return;
    }
    if let Some(w) = app.mocks.save_plan(&path) {
        app.mocks.save = Some(Job::spawn("Saving the mocks", ctx, move |_| {
            let result = w.write();
            (w, result)
        }));
    }
}

/// The Simulation section for the Task `name`.
pub fn simulation_ui(app: &mut App, ui: &mut egui::Ui, name: &str, state: &crate::asl::State) {
    ui.separator();
    egui::CollapsingHeader::new("Simulation")
        .id_salt("simulation_section")
        .default_open(true)
        .show(ui, |ui| section_body(app, ui, name, state));
    ui.separator();
}

fn section_body(app: &mut App, ui: &mut egui::Ui, name: &str, state: &crate::asl::State) {
    let err_color = ui.visuals().error_fg_color;
    if let Some(j) = &app.mocks.load {
        ui.horizontal(|ui| jobs::progress_ui(ui, j, None));
        return;
    }
    if let Some(e) = app.mocks.error.clone() {
        ui.colored_label(err_color, format!("Mock file: {e}"));
        ui.label(
            egui::RichText::new(
                "The mock file is left as it is (not edited, not saved over) until it can be read. Fix it, then read it again.",
            )
            .weak(),
        );
        if ui.button("Read the mock file again").clicked() {
            app.mocks.for_doc = None;
        }
        return;
    }
    let store = &app.mocks;
    let modified = store.is_modified();
    ui.label(
        egui::RichText::new(format!(
            "Mocks: {}{}",
            store.display_name(),
            if modified { " (unsaved changes)" } else { "" }
        ))
        .weak(),
    );
    test_case_ui(app, ui);
    lacking_ui(&mut app.mocks, ui);
    let Some(case) = app.mocks.case.clone() else {
        ui.label("No test case yet: \"New test case\" makes one.");
        return;
    };
    let machine = app.mocks.machine.clone();
    let Some(file) = app.mocks.file.as_ref() else {
        return;
    };
    let entries = match file.sequence(&machine, &case, name) {
        Ok(list) => list.unwrap_or_default(),
        Err(e) => {
            ui.colored_label(err_color, format!("{}: {e}", app.mocks.display_name()));
            ui.label(
                egui::RichText::new("Setting new calls below replaces this state's response.")
                    .weak(),
            );
            Vec::new()
        }
    };
    let resource = state
        .field_json("Resource")
        .and_then(|r| r.as_str().map(str::to_owned))
        .unwrap_or_default();
    let params = state
        .field_json("Parameters")
        .or_else(|| state.field_json("Arguments"))
        .map(|p| p.to_serde());
    let ctx = TaskCtx {
        machine,
        case,
        state: name.to_owned(),
        resource,
        params,
    };
    sequence_ui(app, ui, &ctx, entries);
    ui.horizontal(|ui| {
        let store = &mut app.mocks;
        if ui
            .add_enabled(!store.undo.is_empty(), egui::Button::new("Undo mock edit"))
            .clicked()
        {
            store.undo();
        }
        if ui
            .add_enabled(!store.redo.is_empty(), egui::Button::new("Redo mock edit"))
            .clicked()
        {
            store.redo();
        }
        let can_save = modified && app.path.is_some() && store.save.is_none();
        let save = ui
            .add_enabled(can_save, egui::Button::new("Save mocks"))
            .on_disabled_hover_text(if app.path.is_none() {
                "Save the workflow first: the mocks are written beside it (File > Save writes both)"
            } else {
                "No unsaved mock edits"
            });
        if save.clicked() {
            save_now(app, ui.ctx());
        }
    });
    if let Some(j) = &app.mocks.save {
        ui.horizontal(|ui| jobs::progress_ui(ui, j, None));
    }
    if let Some(n) = &app.mocks.notice {
        ui.label(egui::RichText::new(n).weak());
    }
}

/// The test case combo and its operations.
fn test_case_ui(app: &mut App, ui: &mut egui::Ui) {
    let store = &mut app.mocks;
    let Some(file) = store.file.as_ref() else {
        return;
    };
    let cases = file.test_cases(&store.machine);
    let machine = store.machine.clone();
    let current = store.case.clone();
    egui::ComboBox::new("simulation_test_case", "Simulation test case")
        .selected_text(current.clone().unwrap_or_else(|| "(none)".into()))
        .show_ui(ui, |ui| {
            for c in &cases {
                if ui
                    .selectable_label(current.as_ref() == Some(c), c.as_str())
                    .clicked()
                {
                    store.select(&machine, c);
                }
            }
        });
    ui.horizontal_wrapped(|ui| {
        if ui.button("New test case").clicked() {
            let name = file_unique(store, "Test case");
            if store.edit(None, |f| f.create_test_case(&machine, &name)) {
                store.select(&machine, &name);
            }
        }
        if let Some(case) = current.clone() {
            if ui.button("Duplicate test case").clicked() {
                let name = file_unique(store, &format!("{case} copy"));
                if store.edit(None, |f| f.duplicate_test_case(&machine, &case, &name)) {
                    store.select(&machine, &name);
                }
            }
            if ui.button("Delete test case").clicked()
                && store.edit(None, |f| f.delete_test_case(&machine, &case))
            {
                store.case = None;
                store.settle_selection();
            }
        }
    });
    let Some(case) = current else {
        return;
    };
    ui.horizontal(|ui| {
        let label = ui.label("Test case name");
        let mut text = match &store.rename {
            Some((for_case, t)) if *for_case == case => t.clone(),
            _ => case.clone(),
        };
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .id_salt("simulation_case_name")
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
        if r.changed() {
            store.rename = Some((case.clone(), text.clone()));
        }
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let differs = text != case;
        if (ui
            .add_enabled(differs, egui::Button::new("Rename"))
            .clicked()
            || (enter && differs))
            && store.edit(None, |f| f.rename_test_case(&machine, &case, text.trim()))
        {
            store.select(&machine, text.trim());
        }
    });
}

/// One line per test case that mocks states the workflow lacks, each with a Remove (a mock edit).
pub(crate) fn lacking_ui(store: &mut MockStore, ui: &mut egui::Ui) {
    let lacking = store.lacking();
    if lacking.is_empty() {
        return;
    }
    let warn = ui.visuals().warn_fg_color;
    for (case, states) in lacking {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                warn,
                format!(
                    "Test case \"{case}\" mocks states the workflow lacks: {}",
                    states.join(", ")
                ),
            );
            if ui
                .button("Remove")
                .on_hover_text(
                    "Stop mocking these states in this test case (Undo mock edit brings them back)",
                )
                .accessible_name(format!("Remove the missing states from \"{case}\""))
                .clicked()
            {
                store.remove_states(&case, &states);
            }
        });
    }
}

fn file_unique(store: &MockStore, base: &str) -> String {
    store.file.as_ref().map_or_else(
        || base.to_owned(),
        |f| f.unique_case_name(&store.machine, base),
    )
}

/// The Task an outcome sequence is edited for.
struct TaskCtx {
    machine: String,
    case: String,
    state: String,
    resource: String,
    params: Option<serde_json::Value>,
}

impl TaskCtx {
    fn typical_return(&self) -> Json {
        return_entry(typical::typical_return(
            &self.resource,
            self.params.as_ref(),
        ))
    }

    fn typical_throw(&self) -> Json {
        let (e, c) = typical::typical_errors(&self.resource)[0];
        throw_entry(e, c)
    }

    /// Sets the sequence (an undo step unless `coalesce` continues the last edit).
    fn set(&self, store: &mut MockStore, coalesce: Option<String>, entries: Vec<Json>) {
        store.edit(coalesce, |f| {
            f.set_sequence(&self.machine, &self.case, &self.state, &entries)
        });
    }
}

fn sequence_ui(app: &mut App, ui: &mut egui::Ui, t: &TaskCtx, entries: Vec<Json>) {
    let store = &mut app.mocks;
    if entries.is_empty() {
        ui.label(
            egui::RichText::new(format!(
                "Not mocked in \"{}\": the Task returns its input. Add what each call returns or throws:",
                t.case
            ))
            .weak(),
        );
    } else {
        ui.label(format!("Calls: {}", sequence_summary(&entries)));
        ui.label(
            egui::RichText::new(
                "Call by call (retries and loop turns included); later calls repeat the last.",
            )
            .weak(),
        );
    }
    let n = entries.len();
    for (i, entry) in entries.iter().enumerate() {
        let call = i + 1;
        let mut next: Option<(Option<String>, Vec<Json>)> = None;
        ui.group(|ui| {
            let is_throw = entry.get("Throw").is_some();
            ui.horizontal(|ui| {
                ui.strong(format!("Call {call}"));
                let mut kind = if is_throw { 1 } else { 0 };
                egui::ComboBox::new(("simulation_kind", i), "")
                    .selected_text(if is_throw { "Throw" } else { "Return" })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut kind, 0, "Return");
                        ui.selectable_value(&mut kind, 1, "Throw");
                    })
                    .response
                    .accessible_name(format!("Call {call} outcome"));
                if kind != usize::from(is_throw) {
                    let mut list = entries.clone();
                    list[i] = if kind == 1 {
                        t.typical_throw()
                    } else {
                        t.typical_return()
                    };
                    next = Some((None, list));
                }
                let small = |ui: &mut egui::Ui, enabled: bool, text: &str, name: String| {
                    ui.add_enabled(enabled, egui::Button::new(text).small())
                        .accessible_name(name)
                        .clicked()
                };
                if small(ui, i > 0, "Up", format!("Move call {call} up")) {
                    let mut list = entries.clone();
                    list.swap(i, i - 1);
                    next = Some((None, list));
                }
                if small(ui, i + 1 < n, "Down", format!("Move call {call} down")) {
                    let mut list = entries.clone();
                    list.swap(i, i + 1);
                    next = Some((None, list));
                }
                if small(ui, true, "Copy", format!("Duplicate call {call}")) {
                    let mut list = entries.clone();
                    list.insert(i, entry.clone());
                    next = Some((None, list));
                }
                if small(ui, true, "Remove", format!("Remove call {call}")) {
                    let mut list = entries.clone();
                    list.remove(i);
                    next = Some((None, list));
                }
            });
            let key = format!("{}/{}/{}/{i}", t.machine, t.case, t.state);
            let edited = if is_throw {
                throw_ui(ui, t, entry, call, &key)
            } else {
                return_ui(ui, store, entry, call, &key)
            };
            if let Some(e) = edited {
                let mut list = entries.clone();
                list[i] = e;
                next = Some((Some(key), list));
            }
        });
        if let Some((coalesce, list)) = next {
            if coalesce.is_none() {
                store.typing = None;
            }
            t.set(store, coalesce, list);
        }
    }
    ui.horizontal_wrapped(|ui| {
        let mut add: Option<Json> = None;
        if ui.button("Add return").clicked() {
            add = Some(t.typical_return());
        }
        if ui.button("Add throw").clicked() {
            add = Some(t.typical_throw());
        }
        for p in typical::presets(&t.resource, t.params.as_ref()) {
            if ui
                .button(format!("Add {}", p.label))
                .on_hover_text(format!(
                    "A call that returns {}",
                    json::compact_text(&p.value)
                ))
                .clicked()
            {
                add = Some(return_entry(p.value));
            }
        }
        if !entries.is_empty() && ui.button("Clear calls").clicked() {
            t.set(store, None, Vec::new());
        }
        if let Some(e) = add {
            let mut list = entries.clone();
            list.push(e);
            store.typing = None;
            t.set(store, None, list);
        }
    });
}

/// The JSON box of a Return entry; the new entry when valid JSON was typed. Invalid JSON is shown with its
/// line:col and not applied.
fn return_ui(
    ui: &mut egui::Ui,
    store: &mut MockStore,
    entry: &Json,
    call: usize,
    key: &str,
) -> Option<Json> {
    let value = entry.get("Return").cloned().unwrap_or_else(Json::null);
    let mut text = match &store.typing {
        Some((k, t)) if k == key => t.clone(),
        _ => json::canonical_text(
            &value,
            json::Style {
                crlf: false,
                final_newline: false,
            },
        ),
    };
    let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
        crate::ui::theme::json_galley(ui, buf.as_str(), wrap_width)
    };
    let r = ui
        .add(
            egui::TextEdit::multiline(&mut text)
                .id_salt(("simulation_return", key))
                .code_editor()
                .desired_rows(2)
                .desired_width(f32::INFINITY)
                .layouter(&mut layouter),
        )
        .accessible_name(format!("Call {call} returns"));
    let mut out = None;
    match json::parse(&text) {
        Ok(v) => {
            if r.changed() && v != value {
                out = Some(replace_member(entry, "Return", v));
            }
        }
        Err(e) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("Not JSON (not applied): {e}"),
            );
        }
    }
    if r.changed() || r.has_focus() {
        store.typing = Some((key.to_owned(), text));
    } else if store.typing.as_ref().is_some_and(|(k, _)| k == key) && json::parse(&text).is_ok() {
        store.typing = None;
    }
    out
}

/// The Error and Cause of a Throw entry; the new entry when either changed.
fn throw_ui(ui: &mut egui::Ui, t: &TaskCtx, entry: &Json, call: usize, key: &str) -> Option<Json> {
    let body = entry.get("Throw");
    let get = |k: &str| {
        body.and_then(|b| b.get(k))
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let (mut error, mut cause) = (get("Error"), get("Cause"));
    let mut changed = false;
    ui.horizontal(|ui| {
        ui.label("Error");
        changed |= ui
            .add(
                egui::TextEdit::singleline(&mut error)
                    .id_salt(("simulation_error", key))
                    .desired_width(170.0),
            )
            .accessible_name(format!("Call {call} error"))
            .changed();
        egui::ComboBox::new(("simulation_errors", key), "")
            .selected_text("Typical")
            .width(70.0)
            .show_ui(ui, |ui| {
                for (e, c) in typical::typical_errors(&t.resource) {
                    if ui.selectable_label(error == e, e).clicked() {
                        error = e.to_owned();
                        cause = c.to_owned();
                        changed = true;
                    }
                }
            })
            .response
            .accessible_name(format!("Call {call} typical errors"));
    });
    ui.horizontal(|ui| {
        ui.label("Cause");
        changed |= ui
            .add(
                egui::TextEdit::singleline(&mut cause)
                    .id_salt(("simulation_cause", key))
                    .desired_width(f32::INFINITY),
            )
            .accessible_name(format!("Call {call} cause"))
            .changed();
    });
    changed.then(|| {
        let fresh = throw_entry(&error, &cause);
        replace_member(
            entry,
            "Throw",
            fresh.get("Throw").cloned().unwrap_or_else(Json::null),
        )
    })
}

/// The calls in a few words: `RUNNING, RUNNING, READY`, `return, throw Glue.EntityNotFoundException`.
fn sequence_summary(entries: &[Json]) -> String {
    entries
        .iter()
        .map(|e| match (e.get("Return"), e.get("Throw")) {
            (Some(v), _) => typical::status_of(v).unwrap_or_else(|| "return".into()),
            (_, Some(t)) => format!(
                "throw {}",
                t.get("Error").and_then(Json::as_str).unwrap_or("")
            ),
            _ => "?".into(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `entry` with its member `key` set to `value` (other members, such as `LatencySeconds`, kept).
fn replace_member(entry: &Json, key: &str, value: Json) -> Json {
    let mut members: Vec<json::Member> = entry.as_object().map(<[_]>::to_vec).unwrap_or_default();
    match members.iter_mut().find(|m| m.key.as_str() == key) {
        Some(m) => m.value = value,
        None => members.push(json::Member::new(key, value)),
    }
    Json::object(members)
}
