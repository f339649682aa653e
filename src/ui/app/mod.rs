//! The designer `App`: owns the [`Editor`] (document + undo), the view state and the panels. Per frame:
//! shortcuts → panels → canvas → queued [`Command`]s applied at the end.
//!
//! Split by concern: [`commands`] (the `Command` queue and how each is applied), `menus` (menu bar, banners,
//! the unsaved-changes dialog), `file_ops` (dialogs, the unsaved-changes guard, close, layout sidecar),
//! `background` (open, save, export and autosave off the UI thread; the crash-recovery offers), `shortcuts`,
//! `template_doc` (state machines inside CloudFormation / SAM / CDK templates: the picker, read-only forms,
//! saving back into the template).

mod background;
mod commands;
mod file_ops;
mod menus;
mod shortcuts;
mod template_doc;

pub use background::{AUTOSAVE_SECS, autosave_interval};
pub use commands::Command;
pub(crate) use template_doc::origin_text as substitution_origin;

use crate::asl::{Document, SourceFormat, StateMachine};
use crate::edit::Pins;
use crate::edit::{Editor, Op};
use crate::ui::canvas::CanvasState;
use crate::ui::derived::{self, Derived};
use crate::ui::files::{self, FilePicker};
use crate::ui::layout::{Layout, Unpinned};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// One keyboard zoom step of the canvas.
const ZOOM_STEP: f32 = 1.25;

/// An action waiting for the user to decide about unsaved changes (or for a save to finish).
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    New,
    Open(PathBuf),
    OpenDialog,
    OpenExample(usize),
    Quit,
}

/// A text field being edited: the widget key and the text as typed (may not parse yet).
#[derive(Clone, Debug, Default)]
pub struct FieldEdit {
    pub key: Option<String>,
    pub text: String,
}

/// The designer.
/// What [`App::inapplicable_fields`] finds, shared with the frame that shows it.
pub(crate) type InapplicableFields =
    std::sync::Arc<Vec<(String, Vec<crate::edit::query_language::Field>)>>;

pub struct App {
    pub(crate) editor: Editor,
    /// The fields that do not apply in their state's query language, for the machine panel, and the
    /// document version they were found for (recomputed only when the document changes).
    pub(crate) inapplicable: Option<(u64, InapplicableFields)>,
    pub(crate) path: Option<PathBuf>,
    /// The bundled example the document came from (it has no path): its mock file is found by its name.
    pub(crate) example: Option<&'static str>,
    /// The primary selected state (the inspector shows it).
    pub(crate) selection: Option<String>,
    /// The whole selection when more than one state is selected (it includes `selection`); ignored unless
    /// it contains `selection`, so code that sets `selection` alone makes a single selection.
    pub(crate) multi: Vec<String>,
    /// The layout before pins, for the document version `derived.installed` (maybe not the current one).
    unpinned: Unpinned,
    /// Counts installs of `unpinned` (and of the diagnostics with it): the states shown, their names and
    /// sizes change only then (pins move them).
    pub(crate) unpinned_rev: u64,
    derived: Derived,
    pub(crate) layout: Layout,
    /// What `layout` was computed for: `unpinned_rev` and the pins.
    layout_for: Option<(u64, Pins)>,
    /// Counts layout recomputations (the canvas keys its per-layout caches on it).
    pub(crate) layout_rev: u64,
    /// Counts changes of the document (edits, undo, redo, open, save): caches key on it.
    pub(crate) revision: u64,
    pub(crate) diagnostics: crate::ui::diagnostics::DiagnosticsCache,
    pub(crate) canvas: CanvasState,
    pub(crate) palette_filter: String,
    pub(crate) show_code: bool,
    pub(crate) code_text: String,
    /// A line:col (1-based, characters) to put the code view's cursor at and scroll to, next frame.
    pub(crate) code_goto: Option<(usize, usize)>,
    code_for: Option<StateMachine>,
    pub(crate) code_error: Option<String>,
    pub(crate) field_edit: FieldEdit,
    pub(crate) status: Option<String>,
    pub(crate) commands: Vec<Command>,
    pending: Option<Pending>,
    open_path_text: String,
    show_open_path: bool,
    /// The typed-path bar is for Save As (else for Open).
    path_bar_saves: bool,
    pub(crate) picker: Box<dyn FilePicker>,
    picking: Option<(bool, mpsc::Receiver<Option<PathBuf>>)>,
    recent: Vec<PathBuf>,
    /// Background file work, autosave and recovery offers.
    pub(crate) bg: background::Background,
    clipboard: Option<String>,
    last_title: String,
    /// The text field the user was in at the end of the last frame (a field visit is one undo step).
    last_field: Option<String>,
    quit_confirmed: bool,
    pub(crate) run: crate::ui::player::RunState,
    /// The template the document is a state machine of (`path` is then the template's path).
    pub(crate) source: Option<template_doc::TemplateSource>,
    /// A template's state machines offered for picking.
    template_picker: Option<template_doc::Picker>,
    /// An error shown in a banner until dismissed (an open that failed; the document stays as it was).
    pub(crate) notice: Option<String>,
    /// Presentation mode and the appearance settings (theme, high contrast).
    pub(crate) presentation: crate::ui::presentation::Presentation,
    /// The workflow's mock file, edited in the inspector's Simulation section.
    pub(crate) mocks: crate::ui::simulation::MockStore,
}

impl App {
    fn with_document(doc: Document, path: Option<PathBuf>) -> App {
        let pins = path
            .as_deref()
            .map(background::read_pins)
            .unwrap_or_default();
        let (presentation, problems) = crate::ui::presentation::Presentation::load();
        let mut app = App {
            editor: Editor::with_pins(doc, pins),
            inapplicable: None,
            path,
            example: None,
            selection: None,
            multi: Vec::new(),
            unpinned: Unpinned::default(),
            unpinned_rev: 0,
            derived: Derived::default(),
            layout: Layout::default(),
            layout_for: None,
            layout_rev: 0,
            revision: 0,
            diagnostics: Default::default(),
            canvas: CanvasState::default(),
            palette_filter: String::new(),
            show_code: false,
            code_text: String::new(),
            code_goto: None,
            code_for: None,
            code_error: None,
            field_edit: FieldEdit::default(),
            status: (!problems.is_empty()).then(|| problems.join("; ")),
            commands: Vec::new(),
            pending: None,
            open_path_text: String::new(),
            show_open_path: false,
            path_bar_saves: false,
            picker: Box::new(files::NativePicker),
            picking: None,
            recent: files::load_recent(),
            bg: Default::default(),
            clipboard: None,
            last_title: String::new(),
            last_field: None,
            quit_confirmed: false,
            run: Default::default(),
            source: None,
            template_picker: None,
            notice: None,
            presentation,
            mocks: Default::default(),
        };
        // The first frame looks for unsaved work this document left behind.
        app.bg.lookup_wanted = app.path.is_some().then_some(false);
        app
    }

    /// The first bundled example.
    pub fn example() -> App {
        let (name, text) = crate::ui::EXAMPLES[0];
        let mut app = Self::from_text(text, None);
        app.example = Some(name);
        app
    }

    /// A document from text (a blank machine if it does not parse).
    pub fn from_text(text: &str, path: Option<PathBuf>) -> App {
        let format = path
            .as_deref()
            .map_or(SourceFormat::Json, SourceFormat::from_path);
        let doc = Document::parse(text, format)
            .unwrap_or_else(|_| Document::from_machine(StateMachine::default()));
        Self::with_document(doc, path)
    }

    /// Opens a file at startup (before the window exists, so it is read here): an ASL file, or a template
    /// (its one state machine, or an empty document with the picker over it when it holds several).
    pub fn open_path(path: &Path) -> Result<App, String> {
        match background::load(path, files::config_dir().as_deref())? {
            background::Loaded::Document { doc, .. } => {
                let mut app = Self::with_document(*doc, Some(path.to_path_buf()));
                files::push_recent(&mut app.recent, path);
                Ok(app)
            }
            loaded => {
                let mut app =
                    Self::with_document(Document::from_machine(StateMachine::default()), None);
                app.apply_loaded(path, loaded)?;
                app.status = None;
                Ok(app)
            }
        }
    }

    /// Uses `picker` for file dialogs (tests pass [`files::NoPicker`]).
    pub fn with_picker(mut self, picker: Box<dyn FilePicker>) -> App {
        self.picker = picker;
        self
    }

    pub fn document(&self) -> &Document {
        &self.editor.doc
    }

    pub fn machine(&self) -> &StateMachine {
        self.editor.machine()
    }

    /// Every state's fields that do not apply in its query language ([`crate::edit::query_language::inapplicable`]),
    /// found again only when the document changed.
    pub(crate) fn inapplicable_fields(&mut self) -> InapplicableFields {
        let version = self.editor.machine_version();
        match &self.inapplicable {
            Some((v, found)) if *v == version => found.clone(),
            _ => {
                let found: InapplicableFields = std::sync::Arc::new(
                    crate::edit::query_language::inapplicable(self.editor.machine()),
                );
                self.inapplicable = Some((version, found.clone()));
                found
            }
        }
    }

    /// The states the user placed by hand (written to the layout sidecar by Save).
    pub fn pins(&self) -> &Pins {
        self.editor.pins()
    }

    pub fn selection(&self) -> Option<&str> {
        self.selection.as_deref()
    }

    /// Every selected state: the primary one first.
    pub fn selected(&self) -> Vec<String> {
        match &self.selection {
            None => Vec::new(),
            Some(p) if self.multi.contains(p) => {
                let mut out = vec![p.clone()];
                out.extend(self.multi.iter().filter(|n| *n != p).cloned());
                out
            }
            Some(p) => vec![p.clone()],
        }
    }

    pub fn is_selected(&self, name: &str) -> bool {
        match &self.selection {
            None => false,
            Some(p) if p == name => true,
            Some(p) => self.multi.contains(p) && self.multi.iter().any(|n| n == name),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Unsaved edits of the workflow or of its mocks.
    pub fn is_dirty(&self) -> bool {
        self.editor.is_dirty() || self.mocks.is_modified()
    }

    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// Queues a command (tests and menus use this).
    pub fn push(&mut self, c: Command) {
        self.commands.push(c);
    }

    /// Window title: file name (for a template's state machine `template.yaml › LogicalId`) and `*` when
    /// unsaved.
    pub fn title(&self) -> String {
        let mut name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or("untitled".into(), |n| n.to_string_lossy().into_owned());
        if let Some(s) = &self.source {
            name = format!("{name} › {}", s.id);
            if s.read_only().is_some() {
                name.push_str(" (read-only)");
            }
        }
        format!(
            "{}{name} — statewright",
            if self.is_dirty() { "*" } else { "" }
        )
    }

    /// The on-screen rectangle of a state's box (after the last frame), for tests and tools.
    pub fn node_screen_rect(&self, name: &str) -> Option<egui::Rect> {
        let n = self.layout.nodes.iter().find(|n| n.name == name)?;
        Some(self.canvas.to_screen(crate::ui::theme::rect(n.rect)))
    }

    /// The on-screen position of a point in graph units.
    pub fn screen_pos(&self, p: egui::Pos2) -> egui::Pos2 {
        self.canvas.to_screen(egui::Rect::from_min_max(p, p)).min
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The on-screen rectangle of the canvas (after the last frame).
    pub fn canvas_screen_rect(&self) -> egui::Rect {
        self.canvas.viewport
    }

    /// Where the palette item being dragged would go, as the canvas highlights it (while over the canvas).
    pub fn drop_preview(&self) -> Option<&crate::ui::DropTarget> {
        self.canvas.drop_preview.as_ref()
    }

    /// The diagnostics of the current document (validated now if the panel still shows older ones).
    pub fn diagnostics(&mut self) -> &[crate::validate::Diagnostic] {
        if !self.derived_is_current() {
            self.derive_now();
        }
        self.diagnostics.list()
    }

    /// Whether the diagnostics and the layout shown are those of the current document (big machines are
    /// validated and laid out once edits pause, off the UI thread).
    pub fn derived_is_current(&self) -> bool {
        self.derived.installed == Some(self.editor.machine_version()) && !self.derived.busy()
    }

    fn install(&mut self, version: u64, results: derived::Results) {
        derived::discard((
            std::mem::replace(&mut self.diagnostics, results.diagnostics),
            std::mem::replace(&mut self.unpinned, results.unpinned),
        ));
        self.unpinned_rev += 1;
        self.derived.installed = Some(version);
    }

    fn derive_now(&mut self) {
        let version = self.editor.machine_version();
        self.install(version, derived::Results::compute(&self.editor.doc));
    }

    /// Keeps the diagnostics and the unpinned layout up to date without blocking an editing frame.
    fn refresh_derived(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        match self.derived.poll(&self.editor, now) {
            derived::Next::Nothing => {}
            derived::Next::Install(v, results) => {
                // Results for an older version never replace those of the current one.
                let current = self.editor.machine_version();
                if v == current || self.derived.installed != Some(current) {
                    self.install(v, *results);
                }
                ctx.request_repaint();
            }
            derived::Next::ComputeNow => {
                self.derive_now();
                self.derived.prepare(&self.editor);
            }
            derived::Next::WaitFor(d) => ctx.request_repaint_after(d),
        }
    }

    /// Sets a new editor (another document): what was derived from the old one is dropped.
    pub(crate) fn set_editor(&mut self, editor: Editor) {
        self.editor = editor;
        self.derived.reset();
    }

    /// Ends the current field visit (here and in the worker's copy).
    pub(crate) fn end_visit(&mut self) {
        self.editor.end_visit();
        self.derived
            .forward(derived::Change::EndVisit, self.editor.machine_version());
    }

    /// Undoes (`redo` false) or redoes the last step; returns its label.
    pub(crate) fn undo_redo(&mut self, redo: bool) -> Option<String> {
        let (label, change) = if redo {
            (self.editor.redo(), derived::Change::Redo)
        } else {
            (self.editor.undo(), derived::Change::Undo)
        };
        if label.is_some() {
            self.derived.forward(change, self.editor.machine_version());
        }
        label
    }

    /// Places the pins over the unpinned layout when either changed. When pins were only added or moved
    /// (a drag, a drop), the states concerned are moved in the current layout; otherwise (pins removed,
    /// new results) the layout is rebuilt from the unpinned one.
    fn refresh_layout(&mut self) {
        let pins = self.editor.pins();
        match &self.layout_for {
            Some((rev, old)) if *rev == self.unpinned_rev && old == pins => {}
            Some((rev, old))
                if *rev == self.unpinned_rev && old.keys().all(|k| pins.contains_key(k)) =>
            {
                let moved: Pins = pins
                    .iter()
                    .filter(|(k, v)| old.get(*k) != Some(v))
                    .map(|(k, v)| (k.clone(), *v))
                    .collect();
                self.unpinned.move_pins(&mut self.layout, &moved);
                self.layout_for = Some((self.unpinned_rev, pins.clone()));
                self.layout_rev += 1;
            }
            _ => {
                derived::discard(std::mem::replace(
                    &mut self.layout,
                    self.unpinned.with_pins(pins),
                ));
                self.layout_for = Some((self.unpinned_rev, pins.clone()));
                self.layout_rev += 1;
            }
        }
    }

    /// A field visit ends when the focus leaves the field: the next keystroke is a new undo step.
    fn track_field_visit(&mut self) {
        if self.field_edit.key != self.last_field {
            self.end_visit();
            self.last_field = self.field_edit.key.clone();
        }
    }

    /// Draws one frame (the whole window).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.presentation.apply(ui.ctx());
        self.poll_background(ui.ctx());
        crate::ui::simulation::poll(self, ui.ctx());
        crate::ui::player::poll(self);
        self.poll_picker();
        self.handle_dropped_files(ui.ctx());
        self.presentation_shortcuts(ui.ctx());
        self.shortcuts(ui.ctx());
        crate::ui::player::shortcuts(self, ui.ctx());
        self.refresh_derived(ui.ctx());
        self.refresh_layout();
        self.sync_code_text();
        self.follow_canvas_size();

        // Presenting: the canvas and the player only (no palette, inspector, diagnostics or code view).
        let presenting = self.is_presenting();
        if presenting {
            egui::Panel::top("presentation_bar").show(ui, |ui| self.presentation_bar_ui(ui));
        } else {
            egui::Panel::top("menu_bar").show(ui, |ui| self.menu_bar_ui(ui));
            egui::Panel::bottom("diagnostics")
                .resizable(true)
                .default_size(120.0)
                .show(ui, |ui| {
                    crate::ui::diagnostics::diagnostics_ui(self, ui);
                });
        }
        if self.run.player.is_some() {
            egui::Panel::bottom("player")
                .resizable(false)
                .show(ui, |ui| crate::ui::player::player_ui(self, ui));
        }
        if self.run.player.is_some() && presenting {
            // Own panel ids: the editing layout's widths are kept for when presenting ends.
            let width = ui.available_width();
            if self.presentation.show_events {
                egui::Panel::left("present_events")
                    .resizable(true)
                    .default_size(width * 0.22)
                    .show(ui, |ui| crate::ui::player::events_panel_ui(self, ui));
            }
            if self.presentation.show_details {
                egui::Panel::right("present_details")
                    .resizable(true)
                    .default_size(width * 0.34)
                    .max_size(width * 0.5)
                    .show(ui, |ui| crate::ui::player::details_panel_ui(self, ui));
            }
        } else if self.run.player.is_some() {
            // Player mode: the event list and the current event replace the palette and the inspector.
            egui::Panel::left("player_events")
                .resizable(true)
                .default_size(340.0)
                .show(ui, |ui| crate::ui::player::events_panel_ui(self, ui));
            egui::Panel::right("player_details")
                .resizable(true)
                .default_size(440.0)
                .show(ui, |ui| crate::ui::player::details_panel_ui(self, ui));
        } else if !presenting {
            egui::Panel::left("palette")
                .resizable(true)
                .default_size(200.0)
                .show(ui, |ui| {
                    crate::ui::palette::palette_ui(self, ui);
                });
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(310.0)
                .show(ui, |ui| {
                    crate::ui::inspector::inspector_ui(self, ui);
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if !presenting {
                self.banners_ui(ui);
            }
            crate::ui::player::banner_ui(self, ui);
            crate::ui::player::timeline_ui(self, ui);
            if self.show_code && !presenting {
                crate::ui::diagnostics::code_view_ui(self, ui);
            } else {
                crate::ui::canvas::canvas_ui(self, ui);
            }
        });
        crate::ui::player::setup_window(self, ui.ctx());
        self.template_picker_ui(ui.ctx());
        self.dialogs_ui(ui.ctx());
        self.track_field_visit();
        self.apply_commands(ui.ctx());
        self.finish_presentation_request(ui.ctx());
        self.close_request(ui.ctx());
        let title = self.title();
        if title != self.last_title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
    }

    /// Regenerates the code view's text when the document changed elsewhere.
    fn sync_code_text(&mut self) {
        if !self.show_code {
            return;
        }
        if self.code_for.as_ref() != Some(self.editor.machine()) {
            self.code_text = self.editor.doc.to_text();
            self.code_for = Some(self.editor.machine().clone());
            self.code_error = None;
        }
    }

    /// The code view's text changed: apply it if it reads as a document, else show where it breaks.
    pub(crate) fn code_edited(&mut self) {
        if self.refuse_read_only() {
            // The text goes back to the document's next frame.
            self.code_for = None;
            return;
        }
        // What was typed (comments, layout) becomes the text saves write; diagnostics point into it.
        match self.editor.set_text(self.code_text.clone()) {
            Ok(()) => {
                if self.derived.has_worker() {
                    let version = self.editor.machine_version();
                    self.derived
                        .forward(derived::Change::SetText(self.code_text.clone()), version);
                }
                self.code_error = None;
                self.revision += 1;
                let machine =
                    StateMachine::from_json(self.editor.doc.original()).unwrap_or_default();
                if machine != *self.editor.machine() {
                    self.code_for = Some(machine.clone());
                    self.commands
                        .push(Command::EditCoalesced(Op::ReplaceMachine(Box::new(
                            machine,
                        ))));
                }
            }
            Err(e) => self.code_error = Some(format!("{}:{}: {}", e.line, e.column, e.message)),
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }
}
