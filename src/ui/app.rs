//! The designer `App`: owns the [`Editor`] (document + undo), the view state and the panels. Per frame:
//! shortcuts → panels → canvas → queued [`Command`]s applied at the end.

use super::canvas::CanvasState;
use super::files::{self, FilePicker};
use super::layout::{self, Layout, LayoutFile, Point};
use crate::asl::{Document, StateMachine};
use crate::edit::{Editor, Op};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// One keyboard zoom step of the canvas.
const ZOOM_STEP: f32 = 1.25;

/// What a user asked for; applied at the end of the frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Edit(Op),
    /// An edit that merges with the previous one of the same label (typing in a field).
    EditCoalesced(Op),
    Select(Option<String>),
    /// Adds a state to the selection, or removes it (shift-click).
    ToggleSelect(String),
    /// Selects exactly these states (a rubber band); the first is the primary one.
    SelectMany(Vec<String>),
    Undo,
    Redo,
    New,
    Open(PathBuf),
    OpenDialog,
    OpenExample(usize),
    Save,
    SaveAs(Option<PathBuf>),
    DeleteSelection,
    DuplicateSelection,
    Copy,
    Paste(String),
    /// Pins a state's box (top-left corner, in graph units).
    Pin(String, Point),
    AutoLayout,
    ZoomToFit,
    /// Zooms the canvas around the centre of the view (1.0 = 100%).
    SetZoom(f32),
    /// Multiplies the canvas zoom (keyboard zoom: Ctrl+Plus / Ctrl+Minus).
    ZoomBy(f32),
    ToggleCode,
    /// Writes a picture beside the file (`NAME.svg`, or `NAME.png` when `true`).
    Export {
        png: bool,
    },
    /// Run > Simulate and the player.
    Run(super::player::RunCommand),
    Quit,
}

/// An action waiting for the user to decide about unsaved changes (or for a save to finish).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Pending {
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
pub struct App {
    pub(crate) editor: Editor,
    pub(crate) path: Option<PathBuf>,
    /// The bundled example the document came from (it has no path): its mock file is found by its name.
    pub(crate) example: Option<&'static str>,
    /// The primary selected state (the inspector shows it).
    pub(crate) selection: Option<String>,
    /// The whole selection when more than one state is selected (it includes `selection`); ignored unless
    /// it contains `selection`, so code that sets `selection` alone makes a single selection.
    pub(crate) multi: Vec<String>,
    pub(crate) pins: BTreeMap<String, Point>,
    pub(crate) layout: Layout,
    /// What `layout` was computed for: the document revision and the pins.
    layout_for: Option<(u64, BTreeMap<String, Point>)>,
    /// Counts layout recomputations (the canvas keys its per-layout caches on it).
    pub(crate) layout_rev: u64,
    /// Counts changes of the document (edits, undo, redo, open, save): caches key on it.
    pub(crate) revision: u64,
    pub(crate) diagnostics: super::diagnostics::DiagnosticsCache,
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
    pub(crate) recent: Vec<PathBuf>,
    /// Background file work, autosave and recovery offers.
    pub(crate) bg: super::background::Background,
    clipboard: Option<String>,
    last_title: String,
    coalesce_label: Option<String>,
    quit_confirmed: bool,
    undo_count_at_coalesce: usize,
    pub(crate) run: super::player::RunState,
}

impl App {
    fn with_document(doc: Document, path: Option<PathBuf>) -> App {
        let mut app = App {
            editor: Editor::new(doc),
            path,
            example: None,
            selection: None,
            multi: Vec::new(),
            pins: BTreeMap::new(),
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
            status: None,
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
            coalesce_label: None,
            quit_confirmed: false,
            undo_count_at_coalesce: 0,
            run: Default::default(),
        };
        app.load_sidecar();
        // The first frame looks for unsaved work this document left behind.
        app.bg.lookup_wanted = app.path.is_some().then_some(false);
        app
    }

    /// The first bundled example.
    pub fn example() -> App {
        let (name, text) = super::EXAMPLES[0];
        let mut app = Self::from_text(text, None);
        app.example = Some(name);
        app
    }

    /// A document from text (a blank machine if it does not parse).
    pub fn from_text(text: &str, path: Option<PathBuf>) -> App {
        let doc = Document::parse_json(text)
            .unwrap_or_else(|_| Document::from_machine(StateMachine::default()));
        Self::with_document(doc, path)
    }

    pub fn open_path(path: &Path) -> Result<App, String> {
        let doc = read_document(path)?;
        let mut app = Self::with_document(doc, Some(path.to_path_buf()));
        files::push_recent(&mut app.recent, path);
        Ok(app)
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

    pub fn is_dirty(&self) -> bool {
        self.editor.is_dirty()
    }

    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// Queues a command (tests and menus use this).
    pub fn push(&mut self, c: Command) {
        self.commands.push(c);
    }

    /// Window title: file name and `*` when unsaved.
    pub fn title(&self) -> String {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or("untitled".into(), |n| n.to_string_lossy().into_owned());
        format!(
            "{}{name} — statewright",
            if self.is_dirty() { "*" } else { "" }
        )
    }

    /// The on-screen rectangle of a state's box (after the last frame), for tests and tools.
    pub fn node_screen_rect(&self, name: &str) -> Option<egui::Rect> {
        let n = self.layout.nodes.iter().find(|n| n.name == name)?;
        Some(self.canvas.to_screen(super::theme::rect(n.rect)))
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

    /// The diagnostics shown in the bottom panel (recomputed when the document changes).
    pub fn diagnostics(&mut self) -> &[crate::validate::Diagnostic] {
        self.diagnostics.refresh(&self.editor, self.revision);
        self.diagnostics.list()
    }

    fn refresh_layout(&mut self) {
        let fresh = self
            .layout_for
            .as_ref()
            .is_some_and(|(rev, pins)| *rev == self.revision && *pins == self.pins);
        if !fresh {
            self.layout = layout::layout_with_pins(self.editor.machine(), &self.pins);
            self.layout_for = Some((self.revision, self.pins.clone()));
            self.layout_rev += 1;
        }
    }

    fn load_sidecar(&mut self) {
        self.pins = self
            .path
            .as_deref()
            .map(super::background::read_pins)
            .unwrap_or_default();
    }

    fn save_sidecar(&mut self) {
        let Some(p) = &self.path else { return };
        let side = files::sidecar_path(p);
        if self.pins.is_empty() {
            let _ = std::fs::remove_file(&side);
            return;
        }
        let f = LayoutFile {
            positions: self.pins.clone(),
            ..LayoutFile::default()
        };
        if let Err(e) = f.save(&side) {
            self.status = Some(format!("layout not saved: {e}"));
        }
    }

    /// Draws one frame (the whole window).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        self.poll_background(ui.ctx());
        super::player::poll(self);
        self.poll_picker();
        self.handle_dropped_files(ui.ctx());
        self.shortcuts(ui.ctx());
        super::player::shortcuts(self, ui.ctx());
        self.refresh_layout();
        self.sync_code_text();

        egui::Panel::top("menu_bar").show(ui, |ui| self.menu_bar_ui(ui));
        egui::Panel::bottom("diagnostics")
            .resizable(true)
            .default_size(120.0)
            .show(ui, |ui| {
                super::diagnostics::diagnostics_ui(self, ui);
            });
        if self.run.player.is_some() {
            egui::Panel::bottom("player")
                .resizable(false)
                .show(ui, |ui| super::player::player_ui(self, ui));
        }
        if self.run.player.is_some() {
            // Player mode: the event list and the current event replace the palette and the inspector.
            egui::Panel::left("player_events")
                .resizable(true)
                .default_size(340.0)
                .show(ui, |ui| super::player::events_panel_ui(self, ui));
            egui::Panel::right("player_details")
                .resizable(true)
                .default_size(440.0)
                .show(ui, |ui| super::player::details_panel_ui(self, ui));
        } else {
            egui::Panel::left("palette")
                .resizable(true)
                .default_size(200.0)
                .show(ui, |ui| {
                    super::palette::palette_ui(self, ui);
                });
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(310.0)
                .show(ui, |ui| {
                    super::inspector::inspector_ui(self, ui);
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.banners_ui(ui);
            super::player::banner_ui(self, ui);
            if self.show_code {
                super::diagnostics::code_view_ui(self, ui);
            } else {
                super::canvas::canvas_ui(self, ui);
            }
        });
        super::player::setup_window(self, ui.ctx());
        self.dialogs_ui(ui.ctx());
        self.apply_commands(ui.ctx());
        self.close_request(ui.ctx());
        let title = self.title();
        if title != self.last_title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
    }

    fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New").clicked() {
                    self.push(Command::New);
                }
                if ui.button("Open...").clicked() {
                    self.push(Command::OpenDialog);
                }
                ui.menu_button("Open Recent", |ui| {
                    if self.recent.is_empty() {
                        ui.label("(none)");
                    }
                    for p in self.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.push(Command::Open(p));
                        }
                    }
                });
                ui.menu_button("Open Example", |ui| {
                    for (i, (name, _)) in super::EXAMPLES.iter().enumerate() {
                        if ui.button(*name).clicked() {
                            self.push(Command::OpenExample(i));
                        }
                    }
                });
                ui.separator();
                if ui.button("Save").clicked() {
                    self.push(Command::Save);
                }
                if ui.button("Save As...").clicked() {
                    self.push(Command::SaveAs(None));
                }
                ui.separator();
                if ui
                    .button("Export SVG")
                    .on_hover_text("Writes NAME.svg beside the file")
                    .clicked()
                {
                    self.push(Command::Export { png: false });
                }
                if ui
                    .button("Export PNG")
                    .on_hover_text("Writes NAME.png beside the file")
                    .clicked()
                {
                    self.push(Command::Export { png: true });
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    self.push(Command::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo = self
                    .editor
                    .undo_label()
                    .map_or("Undo".into(), |l| format!("Undo {l}"));
                if ui
                    .add_enabled(self.editor.undo_label().is_some(), egui::Button::new(undo))
                    .clicked()
                {
                    self.push(Command::Undo);
                }
                let redo = self
                    .editor
                    .redo_label()
                    .map_or("Redo".into(), |l| format!("Redo {l}"));
                if ui
                    .add_enabled(self.editor.redo_label().is_some(), egui::Button::new(redo))
                    .clicked()
                {
                    self.push(Command::Redo);
                }
                ui.separator();
                let has_sel = self.selection.is_some();
                if ui.add_enabled(has_sel, egui::Button::new("Copy")).clicked() {
                    self.push(Command::Copy);
                }
                if ui
                    .add_enabled(self.clipboard.is_some(), egui::Button::new("Paste"))
                    .clicked()
                    && let Some(c) = self.clipboard.clone()
                {
                    self.push(Command::Paste(c));
                }
                if ui
                    .add_enabled(has_sel, egui::Button::new("Duplicate"))
                    .clicked()
                {
                    self.push(Command::DuplicateSelection);
                }
                if ui
                    .add_enabled(has_sel, egui::Button::new("Delete"))
                    .clicked()
                {
                    self.push(Command::DeleteSelection);
                }
            });
            ui.menu_button("View", |ui| {
                if ui.button("Zoom to fit").clicked() {
                    self.push(Command::ZoomToFit);
                }
                if ui.button("Actual size (100%)").clicked() {
                    self.push(Command::SetZoom(1.0));
                }
                if ui
                    .add(egui::Button::new("Zoom in").shortcut_text("Ctrl++"))
                    .clicked()
                {
                    self.push(Command::ZoomBy(ZOOM_STEP));
                }
                if ui
                    .add(egui::Button::new("Zoom out").shortcut_text("Ctrl+-"))
                    .clicked()
                {
                    self.push(Command::ZoomBy(1.0 / ZOOM_STEP));
                }
                if ui.button("Auto-layout").clicked() {
                    self.push(Command::AutoLayout);
                }
                let label = if self.show_code {
                    "Show diagram"
                } else {
                    "Show code"
                };
                if ui.button(label).clicked() {
                    self.push(Command::ToggleCode);
                }
            });
            ui.menu_button("Run", |ui| super::player::run_menu_ui(self, ui));
            ui.menu_button("Help", |ui| {
                ui.label("statewright: design AWS Step Functions state machines.");
                ui.label(
                    "Drag states from the palette; drag from a state's bottom handle to connect.",
                );
                ui.label("Ctrl+Z undo · Ctrl+Shift+Z redo · Del delete · Ctrl+D duplicate · F fit · Ctrl+0 100%");
            });
            ui.separator();
            let code_label = if self.show_code { "Diagram" } else { "Code" };
            if ui
                .selectable_label(self.show_code, code_label)
                .on_hover_text("Switch between the diagram and the ASL JSON")
                .clicked()
            {
                self.push(Command::ToggleCode);
            }
            if ui.button("Auto-layout").clicked() {
                self.push(Command::AutoLayout);
            }
            if ui.button("Fit").on_hover_text("Zoom to fit").clicked() {
                self.push(Command::ZoomToFit);
            }
            if self.is_busy() {
                ui.separator();
                self.file_progress_ui(ui);
                super::player::progress_ui(self, ui);
            }
            if let Some(s) = &self.status {
                ui.separator();
                ui.label(egui::RichText::new(s).weak());
            }
        });
    }

    fn banners_ui(&mut self, ui: &mut egui::Ui) {
        self.recovery_banner_ui(ui);
        if self.show_open_path {
            let saves = self.path_bar_saves;
            let typed = PathBuf::from(self.open_path_text.trim());
            // Typing the path of another existing file asks for a second, explicit click.
            let overwrites =
                saves && self.path.as_deref() != Some(typed.as_path()) && typed.is_file();
            ui.horizontal(|ui| {
                let label = ui.label(if saves { "Save as:" } else { "Path to open:" });
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.open_path_text).desired_width(420.0))
                    .labelled_by(label.id);
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let p = PathBuf::from(self.open_path_text.trim());
                let confirm = match (saves, overwrites) {
                    (false, _) => "Open path",
                    (true, false) => "Save to path",
                    (true, true) => "Overwrite",
                };
                if ui.button(confirm).clicked() || (enter && !overwrites) {
                    self.show_open_path = false;
                    self.push(if saves {
                        Command::SaveAs(Some(p))
                    } else {
                        Command::Open(p)
                    });
                }
                if ui.add_enabled(self.picker.available(), egui::Button::new("Browse..."))
                    .on_disabled_hover_text("No native file dialog here (no display, or STATEWRIGHT_NO_NATIVE_DIALOGS is set)")
                    .clicked()
                {
                    self.picking = Some((saves, self.picker.pick(saves, ui.ctx().clone())));
                }
                if ui.button("Cancel").clicked() {
                    self.show_open_path = false;
                }
            });
            if overwrites {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{} exists: Overwrite replaces it", typed.display()),
                );
            }
        }
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context) {
        let Some(pending) = self.pending.clone() else {
            return;
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::NULL.with("unsaved_changes")).show(ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label(format!(
                "Save the changes to {} first?",
                self.path
                    .as_ref()
                    .map_or("this document".into(), |p| p.display().to_string())
            ));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(0);
                }
                if ui.button("Discard changes").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(2);
                }
            });
        });
        match choice {
            Some(0) => {
                self.pending = None;
                // The pending action runs once the save is written.
                self.save(Some(pending), ctx);
            }
            Some(1) => {
                self.pending = None;
                self.run_pending(pending, ctx);
            }
            Some(_) => self.pending = None,
            None => {}
        }
    }

    pub(crate) fn run_pending(&mut self, p: Pending, ctx: &egui::Context) {
        match p {
            Pending::New => {
                self.replace_document(Document::from_machine(StateMachine::default()), None)
            }
            Pending::Open(path) => self.start_open(path, ctx),
            Pending::OpenDialog => self.start_open_dialog(ctx),
            Pending::OpenExample(i) => {
                if let Some((name, text)) = super::EXAMPLES.get(i)
                    && let Ok(d) = Document::parse_json(text)
                {
                    self.replace_document(d, None);
                    self.example = Some(name);
                }
            }
            Pending::Quit => {
                self.quit_confirmed = true;
                // Quitting without saving: the unsaved work was discarded on purpose.
                self.clear_own_recovery();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn guard(&mut self, p: Pending, ctx: &egui::Context) {
        if self.is_dirty() {
            self.pending = Some(p);
        } else {
            self.run_pending(p, ctx);
        }
    }

    pub(crate) fn replace_document(&mut self, doc: Document, path: Option<PathBuf>) {
        // The old document's changes were saved or discarded: its autosave is no longer needed.
        self.clear_own_recovery();
        self.bg.document_replaced();
        self.editor = Editor::new(doc);
        self.revision += 1;
        self.path = path;
        self.selection = None;
        self.multi.clear();
        // An opened file's pins arrive with it (see `open_done`).
        self.pins.clear();
        self.canvas.fit_next_frame();
        self.code_for = None;
        self.code_error = None;
        self.run.player = None;
    }

    fn start_open_dialog(&mut self, ctx: &egui::Context) {
        self.show_open_path = true;
        self.path_bar_saves = false;
        if self.picker.available() {
            self.picking = Some((false, self.picker.pick(false, ctx.clone())));
        }
    }

    /// Save As: the typed-path bar (prefilled with the current path), and the native dialog where there is one.
    fn start_save_dialog(&mut self, ctx: &egui::Context) {
        self.show_open_path = true;
        self.path_bar_saves = true;
        self.open_path_text = self.path.as_ref().map_or_else(
            || "state-machine.asl.json".into(),
            |p| p.display().to_string(),
        );
        if self.picker.available() {
            self.picking = Some((true, self.picker.pick(true, ctx.clone())));
        }
    }

    fn poll_picker(&mut self) {
        let Some((save, rx)) = &self.picking else {
            return;
        };
        let save = *save;
        match rx.try_recv() {
            Ok(Some(p)) => {
                self.picking = None;
                self.show_open_path = false;
                self.commands.push(if save {
                    Command::SaveAs(Some(p))
                } else {
                    Command::Open(p)
                });
            }
            Ok(None) | Err(mpsc::TryRecvError::Disconnected) => self.picking = None,
            Err(mpsc::TryRecvError::Empty) => {}
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(p) = dropped.into_iter().next().map(|f| f.path().to_path_buf()) {
            self.commands.push(Command::Open(p));
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let typing = ctx.egui_wants_keyboard_input();
        let mut cmds = Vec::new();
        ctx.input_mut(|i| {
            if i.consume_shortcut(&KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::Z,
            )) || i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y))
            {
                cmds.push(Command::Redo);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Z)) {
                cmds.push(Command::Undo);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::S,
            )) {
                cmds.push(Command::SaveAs(None));
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::S)) {
                cmds.push(Command::Save);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O)) {
                cmds.push(Command::OpenDialog);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::N)) {
                cmds.push(Command::New);
            }
            if !typing {
                if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::D)) {
                    cmds.push(Command::DuplicateSelection);
                }
                if i.consume_key(Modifiers::NONE, Key::Delete)
                    || i.consume_key(Modifiers::NONE, Key::Backspace)
                {
                    cmds.push(Command::DeleteSelection);
                }
                if i.consume_key(Modifiers::NONE, Key::Escape) {
                    cmds.push(Command::Select(None));
                }
                if i.consume_key(Modifiers::NONE, Key::F) {
                    cmds.push(Command::ZoomToFit);
                }
                if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0)) {
                    cmds.push(Command::SetZoom(1.0));
                }
                // Consumed here, so egui's own whole-window zoom does not also react.
                while i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus))
                    || i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals))
                {
                    cmds.push(Command::ZoomBy(ZOOM_STEP));
                }
                while i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus)) {
                    cmds.push(Command::ZoomBy(1.0 / ZOOM_STEP));
                }
                for e in &i.events {
                    match e {
                        egui::Event::Copy => cmds.push(Command::Copy),
                        egui::Event::Paste(text) => cmds.push(Command::Paste(text.clone())),
                        _ => {}
                    }
                }
            }
        });
        self.commands.extend(cmds);
    }

    fn apply_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        for c in commands {
            self.apply_command(c, ctx);
        }
    }

    fn edit(&mut self, op: Op, coalesce: bool) {
        let before_len = self.editor.undo_label().map(str::to_owned);
        let merge = coalesce && self.coalesce_label.is_some() && self.coalesce_label == before_len;
        let snapshot = merge.then(|| self.editor.clone());
        match self.editor.apply(op) {
            Ok(applied) => {
                self.revision += 1;
                if let Some(mut prev) = snapshot
                    && prev.undo_label() == Some(applied.label.as_str())
                {
                    // Merge: keep the older undo entry, move the document forward.
                    prev.doc.machine = self.editor.doc.machine.clone();
                    self.editor = prev;
                }
                self.coalesce_label = coalesce.then(|| applied.label.clone());
                self.undo_count_at_coalesce += 1;
                if let Some(s) = applied.select {
                    if self.selection.as_deref() != Some(s.as_str()) {
                        self.field_edit = FieldEdit::default();
                    }
                    // A state just added (or pasted, duplicated) may lie outside the view.
                    self.canvas.reveal(s.clone());
                    self.multi = if applied.also_select.is_empty() {
                        Vec::new()
                    } else {
                        std::iter::once(s.clone())
                            .chain(applied.also_select)
                            .collect()
                    };
                    self.selection = Some(s);
                } else if self
                    .selection
                    .as_ref()
                    .is_some_and(|s| crate::edit::find_state(self.editor.machine(), s).is_none())
                {
                    self.selection = None;
                    self.multi.clear();
                }
                self.status = None;
            }
            Err(e) => self.status = Some(e.to_string()),
        }
    }

    fn apply_command(&mut self, c: Command, ctx: &egui::Context) {
        if !matches!(c, Command::EditCoalesced(_)) {
            self.coalesce_label = None;
        }
        match c {
            Command::Edit(op) => self.edit(op, false),
            Command::EditCoalesced(op) => self.edit(op, true),
            Command::Select(s) => {
                if s != self.selection {
                    self.field_edit = FieldEdit::default();
                }
                self.selection = s;
                self.multi.clear();
            }
            Command::ToggleSelect(name) => {
                let mut all = self.selected();
                if let Some(i) = all.iter().position(|n| *n == name) {
                    all.remove(i);
                } else {
                    all.push(name);
                }
                self.set_selected(all);
            }
            Command::SelectMany(names) => self.set_selected(names),
            Command::Undo => {
                if let Some(l) = self.editor.undo() {
                    self.revision += 1;
                    self.status = Some(format!("Undid {l}"));
                    self.field_edit = FieldEdit::default();
                    self.fix_selection();
                }
            }
            Command::Redo => {
                if let Some(l) = self.editor.redo() {
                    self.revision += 1;
                    self.status = Some(format!("Redid {l}"));
                    self.field_edit = FieldEdit::default();
                    self.fix_selection();
                }
            }
            Command::New => self.guard(Pending::New, ctx),
            Command::Open(p) => self.guard(Pending::Open(p), ctx),
            Command::OpenDialog => self.guard(Pending::OpenDialog, ctx),
            Command::OpenExample(i) => self.guard(Pending::OpenExample(i), ctx),
            Command::Save => self.save(None, ctx),
            Command::SaveAs(p) => match p {
                Some(p) => self.start_save(p, None, ctx),
                None => self.start_save_dialog(ctx),
            },
            Command::DeleteSelection => match self.selected().as_slice() {
                [] => {}
                [one] => self.edit(Op::Delete { name: one.clone() }, false),
                many => self.edit(
                    Op::DeleteMany {
                        names: many.to_vec(),
                    },
                    false,
                ),
            },
            Command::DuplicateSelection => match self.selected().as_slice() {
                [] => {}
                [one] => self.edit(Op::Duplicate { name: one.clone() }, false),
                many => self.edit(
                    Op::DuplicateMany {
                        names: many.to_vec(),
                    },
                    false,
                ),
            },
            Command::Copy => {
                let names = self.selected();
                if !names.is_empty() {
                    let json = crate::edit::copy_states(self.editor.machine(), &names);
                    let text = crate::json::canonical_text(&json, crate::json::Style::default());
                    ctx.copy_text(text.clone());
                    self.clipboard = Some(text);
                }
            }
            Command::Paste(text) => match crate::json::parse(&text) {
                Ok(states) => {
                    let scope = self
                        .selection
                        .as_ref()
                        .and_then(|s| crate::edit::find_scope(self.editor.machine(), s))
                        .unwrap_or_default();
                    self.edit(Op::Paste { scope, states }, false);
                }
                Err(_) => self.status = Some("The clipboard does not hold states".into()),
            },
            Command::Pin(name, p) => {
                self.pins.insert(name, p);
                self.save_sidecar();
            }
            Command::AutoLayout => {
                self.pins.clear();
                self.save_sidecar();
                self.canvas.fit_next_frame();
            }
            Command::ZoomToFit => self.canvas.fit_next_frame(),
            Command::SetZoom(z) => self.canvas.zoom_next_frame(z),
            Command::ZoomBy(f) => self.canvas.zoom_by(f),
            Command::ToggleCode => {
                self.show_code = !self.show_code;
                self.code_for = None;
            }
            Command::Export { png } => self.start_export(png, ctx),
            Command::Run(c) => super::player::apply(self, c, ctx),
            Command::Quit => self.guard(Pending::Quit, ctx),
        }
    }

    fn fix_selection(&mut self) {
        let m = self.editor.machine();
        self.multi
            .retain(|s| crate::edit::find_state(m, s).is_some());
        if self
            .selection
            .as_ref()
            .is_some_and(|s| crate::edit::find_state(m, s).is_none())
        {
            self.selection = self.multi.first().cloned();
        }
    }

    /// Selects exactly `names` (the first is the primary one).
    fn set_selected(&mut self, names: Vec<String>) {
        let primary = names.first().cloned();
        if primary != self.selection {
            self.field_edit = FieldEdit::default();
        }
        self.selection = primary;
        self.multi = if names.len() > 1 { names } else { Vec::new() };
    }

    /// Saves to the current path (or asks for one); `then` runs once the document is written.
    fn save(&mut self, then: Option<Pending>, ctx: &egui::Context) {
        match self.path.clone() {
            Some(path) => self.start_save(path, then, ctx),
            None => self.start_save_dialog(ctx),
        }
    }

    fn close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        if self.bg.saving() {
            // A save is being written: close when it is done, not halfway.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.bg.close_after_save = true;
        } else if !self.quit_confirmed {
            if self.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.pending = Some(Pending::Quit);
            } else {
                self.clear_own_recovery();
            }
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
        match Document::parse_json(&self.code_text) {
            Ok(doc) => {
                self.code_error = None;
                if doc.machine != *self.editor.machine() {
                    self.code_for = Some(doc.machine.clone());
                    self.commands
                        .push(Command::EditCoalesced(Op::ReplaceMachine(Box::new(
                            doc.machine,
                        ))));
                }
            }
            Err(e) => self.code_error = Some(format!("{}:{}: {}", e.line, e.column, e.message)),
        }
    }
}

pub use super::background::read_document;

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }
}
