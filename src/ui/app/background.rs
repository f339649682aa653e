//! File work off the UI thread: opening, saving, autosaving, exporting, and the crash-recovery offers.
//!
//! Each starts a [`Job`] with copies of what it needs; its result is applied when a later frame polls it.
//! A result is checked against what the window holds by then: a save marks the document clean only if it still
//! is what was written; an open, a recovery lookup or a save for a document that was replaced meanwhile does
//! not touch the new one.
//!
//! Autosave: while there are unsaved changes the text is written every [`AUTOSAVE_SECS`] seconds (or
//! `$STATEWRIGHT_AUTOSAVE_SECS`) to the document's own recovery file ([`crate::recovery`]); the window asks
//! egui to wake it up when the next one is due, so an idle window autosaves too.

use super::template_doc::{self, MachineExtras};
use super::{App, Pending};
use crate::asl::{Document, SourceFormat, StateMachine};
use crate::edit::{Op, Pins};
use crate::layout::{LayoutFile, Point};
use crate::recovery::{self, RecoveredMocks, Recovery};
use crate::template::Template;
use crate::ui::files;
use crate::ui::jobs::{self, Job};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Seconds between autosaves while there are unsaved changes.
pub const AUTOSAVE_SECS: u64 = 30;

/// The autosave interval: `$STATEWRIGHT_AUTOSAVE_SECS` when it is a positive whole number, else
/// [`AUTOSAVE_SECS`].
pub fn autosave_interval() -> Duration {
    let secs = std::env::var("STATEWRIGHT_AUTOSAVE_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(AUTOSAVE_SECS);
    Duration::from_secs(secs)
}

/// A finished save.
pub(crate) struct Saved {
    doc_id: u64,
    path: PathBuf,
    /// The machine that was written, and the pins.
    machine: StateMachine,
    pins: Pins,
    then: Option<Pending>,
    /// The text written and its format (the target's extension picks it: Save As converts). For a save back
    /// into a template: the definition's text as the template now holds it.
    result: Result<(String, crate::asl::SourceFormat), String>,
    /// A save back into the document's template: the template read again, and what was written.
    into_template: Option<Result<SavedIntoTemplate, ()>>,
    /// The layout sidecar could not be written (the document was).
    sidecar_error: Option<String>,
    /// The mock file written with the document (when its mocks were edited), and how that went.
    mocks: Option<(crate::ui::simulation::MockWrite, Result<(), String>)>,
}

/// What a save back into a template wrote.
pub(crate) struct SavedIntoTemplate {
    template: Arc<Template>,
    written: Option<PathBuf>,
    note: Option<String>,
}

/// A finished open.
pub(crate) struct Opened {
    path: PathBuf,
    /// The document revision when the open started: edits made while it loaded are not thrown away silently.
    revision: u64,
    doc_id: u64,
    result: Result<Loaded, String>,
}

/// A file read for opening: an ASL document (with its pins and unsaved work), or a template (decided by the
/// content, not the extension) with each state machine's pins and unsaved work.
pub(crate) enum Loaded {
    Document {
        doc: Box<Document>,
        pins: BTreeMap<String, Point>,
        recovery: Result<Option<Recovery>, String>,
    },
    Template(Arc<Template>, BTreeMap<String, MachineExtras>),
}

/// Reads `path` for opening (on a background thread, or at startup before the window exists): a template when
/// its content is one ([`crate::template::is_template_text`]), else an ASL document.
pub(crate) fn load(path: &Path, config: Option<&Path>) -> Result<Loaded, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("could not open {}: {e}", path.display()))?;
    if let Ok(text) = std::str::from_utf8(&bytes)
        && crate::template::is_template_text(text)
    {
        let t = Template::parse(path, text.to_owned()).map_err(|e| e.to_string())?;
        let extras = template_doc::read_extras(&t, config);
        return Ok(Loaded::Template(Arc::new(t), extras));
    }
    let doc = Document::from_bytes(&bytes, SourceFormat::from_path(path))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let recovery = match config {
        Some(dir) => recovery::for_path(dir, path),
        None => Ok(None),
    };
    Ok(Loaded::Document {
        doc: Box::new(doc),
        pins: read_pins(path),
        recovery,
    })
}

/// A finished autosave: the key it wrote under.
pub(crate) struct Autosaved {
    doc_id: u64,
    /// What it wrote: the document's revision and the mocks' change count.
    revision: (u64, u64),
    result: Result<String, String>,
}

/// The recovery offers found for a document (or, at startup, for untitled documents).
pub(crate) struct Lookup {
    doc_id: u64,
    found: Result<Vec<Recovery>, String>,
}

/// The designer's background jobs and autosave bookkeeping.
pub(crate) struct Background {
    /// Counts document replacements (open, new, example): results for an older id are for a document that is
    /// gone.
    pub(crate) doc_id: u64,
    save: Option<Job<Saved>>,
    /// A save asked for while one was running: started when it ends (two writes never race).
    save_queued: Option<(PathBuf, Option<Pending>)>,
    /// Close the window when the running save ends (the close was asked during the save).
    pub(crate) close_after_save: bool,
    open: Option<Job<Opened>>,
    export: Option<Job<Result<PathBuf, String>>>,
    autosave: Option<Job<Autosaved>>,
    lookup: Option<Job<Lookup>>,
    /// Look up the recovery offers for the current document when the next frame starts (no `egui::Context`
    /// exists before the first frame): `Some(true)` also lists untitled documents' autosaves.
    pub(crate) lookup_wanted: Option<bool>,
    /// Unsaved work from a crashed window, offered in a banner (the first is shown).
    pub(crate) offers: Vec<Recovery>,
    /// The key this window's autosaves of an untitled document go to (made on its first autosave).
    untitled_key: Option<String>,
    /// The recovery file this window wrote last (removed after a save or when the work is discarded).
    pub(crate) written_key: Option<String>,
    /// The document revision and mock change count the last autosave wrote.
    autosaved_revision: Option<(u64, u64)>,
    /// When the changes not autosaved yet began: the next autosave is due one interval later.
    unsaved_since: Option<Instant>,
    pub(crate) autosave_every: Duration,
    /// Recovered mock edits of the document `bg.doc_id` was then, restored once its mock file is read.
    pub(crate) restore_mocks: Option<(u64, String)>,
}

impl Default for Background {
    fn default() -> Self {
        Background {
            doc_id: 0,
            save: None,
            save_queued: None,
            close_after_save: false,
            open: None,
            export: None,
            autosave: None,
            lookup: None,
            lookup_wanted: None,
            offers: Vec::new(),
            untitled_key: None,
            written_key: None,
            autosaved_revision: None,
            unsaved_since: None,
            autosave_every: autosave_interval(),
            restore_mocks: None,
        }
    }
}

impl Background {
    /// Whether a save is being written.
    pub(crate) fn saving(&self) -> bool {
        self.save.is_some()
    }

    /// The current document was replaced (opened, new): forget what belonged to the old one.
    pub(crate) fn document_replaced(&mut self) {
        self.doc_id += 1;
        self.offers.clear();
        self.untitled_key = None;
        self.written_key = None;
        self.autosaved_revision = None;
        self.unsaved_since = None;
    }
}

/// The pins stored beside a document (none when there is no sidecar or it cannot be read).
pub fn read_pins(path: &Path) -> BTreeMap<String, Point> {
    LayoutFile::load(&files::sidecar_path(path))
        .map(|f| f.positions)
        .unwrap_or_default()
}

/// Writes (or, with no pins, removes) the layout sidecar of the document at `path`.
pub fn write_pins(path: &Path, pins: &BTreeMap<String, Point>) -> Result<(), String> {
    let side = files::sidecar_path(path);
    if pins.is_empty() {
        return match std::fs::remove_file(&side) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(format!("could not remove {}: {e}", side.display()))
            }
            _ => Ok(()),
        };
    }
    LayoutFile {
        positions: pins.clone(),
        ..LayoutFile::default()
    }
    .save(&side)
}

/// Parses recovered text: in the format it was written in, else as JSON.
fn parse_recovered(r: &Recovery) -> Result<Document, String> {
    Document::parse(&r.text, r.format)
        .or_else(|_| Document::parse(&r.text, SourceFormat::Json))
        .map_err(|e| format!("the recovered text does not read back ({e})"))
}

impl App {
    /// Whether background work (save, open, autosave, export, a simulation, a file read) is running.
    pub fn is_busy(&self) -> bool {
        let b = &self.bg;
        b.save.is_some()
            || b.open.is_some()
            || b.export.is_some()
            || b.autosave.is_some()
            || b.lookup.is_some()
            || b.lookup_wanted.is_some()
            || b.restore_mocks.is_some()
            || self.run_busy()
            || self.mocks.busy()
    }

    /// The unsaved work offered back in the banner, if any.
    pub fn recovery_offer(&self) -> Option<&Recovery> {
        self.bg.offers.first()
    }

    /// Autosaves every `every` instead of [`autosave_interval`] (tests).
    pub fn with_autosave_interval(mut self, every: Duration) -> App {
        self.bg.autosave_every = every;
        self
    }

    /// At startup without a file: also offer the autosaves of untitled documents whose window is gone.
    pub fn offer_untitled_recoveries(mut self) -> App {
        self.bg.lookup_wanted = Some(true);
        self
    }

    /// Starts writing the document to `path` (or queues it behind a running save). `then` runs once it is
    /// written and the document is still the one written.
    ///
    /// For a template's state machine, saving to the template's path writes the definition back into it
    /// ([`template_doc::save_into`]); any other path gets a standalone file and the document becomes that file.
    /// A standalone save never replaces a template file.
    pub(super) fn start_save(&mut self, path: PathBuf, then: Option<Pending>, ctx: &egui::Context) {
        if self.bg.save.is_some() {
            self.bg.save_queued = Some((path, then));
            return;
        }
        let into = self
            .source
            .clone()
            .filter(|s| recovery::canonical(s.template.path()) == recovery::canonical(&path));
        if let Some(reason) = into.as_ref().and_then(|s| s.read_only()) {
            self.status = Some(format!(
                "Not saved: {reason}. Save As writes a standalone .asl.json"
            ));
            return;
        }
        let doc = self.editor.doc.clone();
        let pins = self.editor.pins().clone();
        let mocks = self.mocks.save_plan(&path);
        let pins_path = match &into {
            Some(s) => s.standalone_path(SourceFormat::Json),
            None => path.clone(),
        };
        let doc_id = self.bg.doc_id;
        let label = format!(
            "Saving {}",
            path.file_name()
                .map_or(path.display().to_string(), |n| n.to_string_lossy().into())
        );
        self.bg.save = Some(Job::spawn(label, ctx, move |_| {
            let (result, into_template) = match into {
                Some(s) => match template_doc::save_into(&s.template, &s.id, &doc) {
                    Ok(done) => (
                        Ok((done.text, done.format)),
                        Some(Ok(SavedIntoTemplate {
                            template: done.template,
                            written: done.written,
                            note: done.note,
                        })),
                    ),
                    Err(e) => (Err(e), Some(Err(()))),
                },
                None => (
                    template_doc::refuse_template_target(&path)
                        .and_then(|()| files::save_document(&doc, &path)),
                    None,
                ),
            };
            // The pins are saved with the document (moving a state writes nothing by itself); no pins: no
            // sidecar.
            let sidecar_error = result
                .is_ok()
                .then(|| write_pins(&pins_path, &pins).err())
                .flatten();
            // The mocks go beside the document, once it is written.
            let mocks = mocks.filter(|_| result.is_ok()).map(|w| {
                let written = w.write();
                (w, written)
            });
            Saved {
                doc_id,
                path,
                machine: doc.machine,
                pins,
                then,
                result,
                into_template,
                sidecar_error,
                mocks,
            }
        }));
    }

    /// Saves to a path without dialogs, from the next frame on, in the background ([`App::is_busy`] until it is
    /// written).
    pub fn save_to(&mut self, path: &Path) {
        self.push(super::Command::SaveAs(Some(path.to_path_buf())));
    }

    fn save_done(&mut self, s: Saved, ctx: &egui::Context) {
        if s.doc_id != self.bg.doc_id {
            // Another document is open now: it is not the one saved.
            self.status = Some(match s.result {
                Ok(_) => format!("Saved {}", s.path.display()),
                Err(e) => e,
            });
            return;
        }
        let (text, format) = match s.result {
            Ok(written) => written,
            Err(e) => {
                self.status = Some(e);
                self.bg.close_after_save = false;
                return;
            }
        };
        let mocks_error = s
            .mocks
            .and_then(|(w, written)| self.mocks.written(w, written));
        let recovery_before = self.recovery_path();
        let mut template_note = None;
        match s.into_template {
            // Written into the template: the template as it is now is the baseline of the next save.
            Some(Ok(t)) => {
                if let Some(src) = &mut self.source {
                    src.template = t.template;
                }
                template_note = Some(match (t.written, t.note) {
                    (None, _) => "unchanged: the file was not rewritten".to_owned(),
                    (Some(w), Some(n)) => format!("wrote {} ({n})", w.display()),
                    (Some(w), None) => format!("wrote {}", w.display()),
                });
            }
            Some(Err(())) => {}
            // A standalone file: the document is that file now, no longer the template's.
            None => self.source = None,
        }
        let moved = self.recovery_path() != recovery_before
            || self.path.as_deref() != Some(s.path.as_path());
        self.path = Some(s.path.clone());
        files::push_recent(&mut self.recent, &s.path);
        let still_same = *self.editor.machine() == s.machine && *self.editor.pins() == s.pins;
        if still_same {
            let forward = self.derived.has_worker().then(|| text.clone());
            // The text was read back before it was written, so this cannot fail.
            let _ = self.editor.mark_saved_as(text, format);
            if let Some(text) = forward {
                let version = self.editor.machine_version();
                self.derived.forward(
                    crate::ui::derived::Change::MarkSavedAs(text, format),
                    version,
                );
            }
            // The code view shows the document's own text, which may now be in the other format.
            self.code_for = None;
            self.revision += 1;
            self.clear_own_recovery();
        } else if moved {
            // Saved under a new name while edits went on: the old name's autosave is no longer this window's.
            self.clear_own_recovery();
        }
        let saved = match (&self.source, template_note) {
            (Some(src), Some(n)) => format!("{} › {}: {n}", s.path.display(), src.id),
            _ => s.path.display().to_string(),
        };
        self.status = Some(match (&s.sidecar_error, still_same) {
            _ if mocks_error.is_some() => {
                format!(
                    "Saved {saved}, but not the mocks: {}",
                    mocks_error.unwrap_or_default()
                )
            }
            (Some(e), _) => format!("Saved {saved}, but the layout was not: {e}"),
            (None, true) => format!("Saved {saved}"),
            (None, false) => format!(
                "Saved {saved} as it was when Save was chosen; later edits are not saved yet"
            ),
        });
        if still_same && let Some(p) = s.then {
            self.run_pending(p, ctx);
        }
        if self.bg.close_after_save && self.bg.save_queued.is_none() {
            self.bg.close_after_save = false;
            self.push(super::Command::Quit);
        }
    }

    /// Starts reading `path`; it replaces the document when it arrives (see [`App::is_busy`]).
    pub(crate) fn start_open(&mut self, path: PathBuf, ctx: &egui::Context) {
        let revision = self.revision;
        let doc_id = self.bg.doc_id;
        let config = files::config_dir();
        let label = format!(
            "Opening {}",
            path.file_name()
                .map_or(path.display().to_string(), |n| n.to_string_lossy().into())
        );
        self.bg.open = Some(Job::spawn(label, ctx, move |_| {
            let result = load(&path, config.as_deref());
            Opened {
                path,
                revision,
                doc_id,
                result,
            }
        }));
    }

    fn open_done(&mut self, o: Opened) {
        if o.doc_id != self.bg.doc_id || (o.revision != self.revision && self.is_dirty()) {
            // The document was replaced or edited while the file loaded: its edits are not thrown away; the
            // open is dropped with a note (opening again asks about the unsaved changes).
            self.status = Some(format!(
                "{} was not opened: the document changed while it loaded",
                o.path.display()
            ));
            return;
        }
        if let Err(e) = o.result.and_then(|l| self.apply_loaded(&o.path, l)) {
            // The document that was open stays open; the banner says what is wrong and where.
            self.notice = Some(e.clone());
            self.status = Some(e);
        }
    }

    /// Makes what [`load`] read the document (a template may first show its picker).
    pub(super) fn apply_loaded(&mut self, path: &Path, loaded: Loaded) -> Result<(), String> {
        match loaded {
            Loaded::Document {
                doc,
                pins,
                recovery,
            } => {
                self.replace_document(*doc, Some(path.to_owned()), pins);
                files::push_recent(&mut self.recent, path);
                self.status = Some(format!("Opened {}", path.display()));
                match recovery {
                    Ok(r) => self.bg.offers.extend(r),
                    Err(e) => self.status = Some(format!("Recovery file not read: {e}")),
                }
                Ok(())
            }
            Loaded::Template(t, extras) => self.template_opened(t, extras),
        }
    }

    /// Renders the diagram (with the current pins) beside the document, in the background; `with_run`: with
    /// the loaded run at the player's current step drawn over it.
    pub(crate) fn start_export(&mut self, png: bool, with_run: bool, ctx: &egui::Context) {
        let Some(path) = self.names_path() else {
            self.status = Some("Save the document first: the picture is written beside it".into());
            return;
        };
        if self.bg.export.is_some() {
            self.status = Some("An export is still being written".into());
            return;
        }
        let side = files::sidecar_path(&path);
        let stem = side
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".layout.json"))
            .unwrap_or("machine")
            .to_owned();
        let run = match (with_run, self.run_player()) {
            (false, _) => None,
            (true, Some(p)) => {
                // The player's own highlight: the picture shows what the canvas shows (Map item followed).
                let mut run = crate::render::RunOverlay::new(&p.highlight(), &p.trace, &p.cursor);
                run.high_contrast = crate::ui::theme::high_contrast(ctx);
                Some((run, p.cursor.index().map_or(0, |i| i + 1)))
            }
            (true, None) => {
                self.status = Some("Run the workflow first: there is no run to draw".into());
                return;
            }
        };
        let ext = if png { "png" } else { "svg" };
        let out = match &run {
            Some((_, step)) => path.with_file_name(format!("{stem}.step-{step}.{ext}")),
            None => path.with_file_name(format!("{stem}.{ext}")),
        };
        let machine = self.editor.machine().clone();
        let layout = self.layout.clone();
        let label = format!("Exporting {}", if png { "PNG" } else { "SVG" });
        self.bg.export = Some(Job::spawn(label, ctx, move |_| {
            let svg =
                crate::render::render_svg_with_run(&machine, &layout, run.as_ref().map(|(r, _)| r));
            let bytes = if png {
                crate::render::render_png(&svg, 2.0)?
            } else {
                svg.into_bytes()
            };
            crate::fsutil::write_atomic(&out, &bytes)
                .map_err(|e| format!("could not write {}: {e}", out.display()))?;
            Ok(out)
        }));
    }

    /// Before the window closes without saving: stops an autosave being written (waiting a moment for it, so
    /// it cannot land after the file is removed), then removes this window's recovery file.
    pub(crate) fn discard_recovery_now(&mut self) {
        if let Some(job) = self.bg.autosave.take() {
            job.cancel();
            if let jobs::Polled::Done(a) = job.wait(Duration::from_secs(2))
                && let (Ok(key), Some(dir)) = (a.result, files::config_dir())
            {
                recovery::clear(&dir, &key);
            }
        }
        self.clear_own_recovery();
    }

    /// Removes the recovery file this window wrote (after a save, or when its work was discarded).
    pub(crate) fn clear_own_recovery(&mut self) {
        if let (Some(key), Some(dir)) = (self.bg.written_key.take(), files::config_dir()) {
            recovery::clear(&dir, &key);
        }
        self.bg.autosaved_revision = None;
    }

    /// Writes the autosave when one is due, and asks to be woken up for the next.
    fn autosave(&mut self, ctx: &egui::Context) {
        if !self.is_dirty() {
            // Back to the saved state (undo): the autosave describes nothing unsaved any more.
            if self.bg.written_key.is_some() && self.bg.autosave.is_none() {
                self.clear_own_recovery();
            }
            return;
        }
        let stamp = (self.revision, self.mocks.changes());
        if self.bg.autosaved_revision == Some(stamp)
            || self.bg.autosave.is_some()
            // An unanswered offer for this document (offers with a path are only made for the open one): its
            // work is not overwritten before the user decides.
            || self.bg.offers.iter().any(|o| o.path.is_some())
        {
            return;
        }
        let now = Instant::now();
        let due = *self.bg.unsaved_since.get_or_insert(now) + self.bg.autosave_every;
        if now < due {
            // Wakes an idle window up when the autosave is due.
            ctx.request_repaint_after(due - now);
            return;
        }
        let Some(dir) = files::config_dir() else {
            return;
        };
        self.bg.unsaved_since = None;
        // A template's state machine is filed under `TEMPLATE#ID`, never under the template's own path.
        let path = self.recovery_path();
        let untitled = match &path {
            Some(_) => None,
            None => Some(
                self.bg
                    .untitled_key
                    .get_or_insert_with(recovery::untitled_key)
                    .clone(),
            ),
        };
        let doc = self.editor.doc.clone();
        // The mocks' unsaved edits go in the same record (their text is made in the background too).
        let mocks = self.mocks.unsaved();
        let (doc_id, revision) = (self.bg.doc_id, stamp);
        let previous = self.bg.written_key.clone();
        self.bg.autosave = Some(Job::spawn("Autosaving", ctx, move |flag| {
            let key = untitled.unwrap_or_else(|| {
                recovery::key_for_path(path.as_deref().unwrap_or(Path::new("")))
            });
            let path = path.map(|p| recovery::canonical(&p));
            let mocks = mocks.map(|(path, file)| RecoveredMocks {
                path,
                text: file.to_text(),
            });
            let r = Recovery::new(key.clone(), path, doc.format(), doc.to_text()).with_mocks(mocks);
            if flag.is_cancelled() {
                // The work was discarded (the window is closing without saving).
                return Autosaved {
                    doc_id,
                    revision,
                    result: Err("cancelled".into()),
                };
            }
            let result = recovery::write(&dir, &r).map(|()| {
                // Saved under a new name since the last autosave: the old file is superseded.
                if let Some(old) = previous.filter(|o| *o != key) {
                    recovery::clear(&dir, &old);
                }
                key
            });
            Autosaved {
                doc_id,
                revision,
                result,
            }
        }));
    }

    fn autosave_done(&mut self, a: Autosaved) {
        if a.doc_id != self.bg.doc_id {
            // Written for a document that was closed meanwhile (its changes discarded): remove it.
            if let (Ok(key), Some(dir)) = (a.result, files::config_dir()) {
                recovery::clear(&dir, &key);
            }
            return;
        }
        match a.result {
            Ok(key) => {
                self.bg.written_key = Some(key);
                self.bg.autosaved_revision = Some(a.revision);
                if !self.is_dirty() {
                    // Saved while the autosave was written.
                    self.clear_own_recovery();
                }
            }
            Err(e) => self.status = Some(format!("Autosave failed: {e}")),
        }
    }

    fn start_lookup(&mut self, untitled: bool, ctx: &egui::Context) {
        let Some(dir) = files::config_dir() else {
            return;
        };
        let path = self.recovery_path();
        let doc_id = self.bg.doc_id;
        self.bg.lookup = Some(Job::spawn("Looking for unsaved work", ctx, move |_| {
            recovery::migrate_legacy(&dir);
            let mut found = match &path {
                Some(p) => recovery::for_path(&dir, p).map(|r| r.into_iter().collect()),
                None => Ok(Vec::new()),
            };
            if untitled && let Ok(list) = &mut found {
                list.extend(recovery::untitled(&dir));
            }
            Lookup { doc_id, found }
        }));
    }

    /// Polls the background jobs and applies what finished; starts what is due. Called first in every frame.
    pub(crate) fn poll_background(&mut self, ctx: &egui::Context) {
        if let Some(untitled) = self.bg.lookup_wanted.take() {
            self.start_lookup(untitled, ctx);
        }
        if let Some(r) = jobs::take(&mut self.bg.lookup) {
            match r {
                Ok(l) if l.doc_id == self.bg.doc_id => match l.found {
                    Ok(list) => self.bg.offers.extend(list),
                    Err(e) => self.status = Some(format!("Recovery file not read: {e}")),
                },
                Ok(_) => {}
                Err(e) => self.status = Some(e),
            }
        }
        match jobs::take(&mut self.bg.save) {
            Some(Ok(s)) => {
                self.save_done(s, ctx);
                if let Some((path, then)) = self.bg.save_queued.take() {
                    self.start_save(path, then, ctx);
                }
            }
            Some(Err(e)) => {
                self.status = Some(e);
                self.bg.save_queued = None;
                self.bg.close_after_save = false;
            }
            None => {}
        }
        match jobs::take(&mut self.bg.open) {
            Some(Ok(o)) => self.open_done(o),
            Some(Err(e)) => self.status = Some(e),
            None => {}
        }
        if let Some(r) = jobs::take(&mut self.bg.export) {
            self.status = Some(match r.and_then(|r| r) {
                Ok(out) => format!("Exported {}", out.display()),
                Err(e) => format!("Export failed: {e}"),
            });
        }
        match jobs::take(&mut self.bg.autosave) {
            Some(Ok(a)) => self.autosave_done(a),
            Some(Err(e)) => self.status = Some(e),
            None => {}
        }
        self.autosave(ctx);
    }

    /// The status bar's progress line for file work (spinner and label).
    pub(crate) fn file_progress_ui(&mut self, ui: &mut egui::Ui) {
        let b = &self.bg;
        if let Some(j) = &b.save {
            jobs::progress_ui(ui, j, None);
        } else if let Some(j) = &b.open {
            jobs::progress_ui(ui, j, None);
        } else if let Some(j) = &b.export {
            jobs::progress_ui(ui, j, None);
        }
    }

    /// The "unsaved work was recovered" banner: Restore brings the text back as an (undoable, unsaved) edit of
    /// the document it belongs to; Discard deletes it.
    pub(crate) fn recovery_banner_ui(&mut self, ui: &mut egui::Ui) {
        let Some(r) = self.bg.offers.first().cloned() else {
            return;
        };
        let from = r
            .path
            .as_ref()
            .map_or("an untitled document".into(), |p| p.display().to_string());
        let when = chrono::DateTime::from_timestamp_millis(r.written_ms)
            .map(|t| format!(" (autosaved {} UTC)", t.format("%Y-%m-%d %H:%M")))
            .unwrap_or_default();
        ui.add(
            egui::Label::new(format!(
                "Unsaved work from {from}{when} was recovered: its window closed without saving."
            ))
            .wrap(),
        );
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                self.restore(&r);
            }
            if ui
                .button("Discard")
                .on_hover_text("Delete the recovered work")
                .clicked()
            {
                if let Some(dir) = files::config_dir() {
                    recovery::clear(&dir, &r.key);
                }
                self.bg.offers.remove(0);
            }
        });
    }

    fn restore(&mut self, r: &Recovery) {
        if r.mocks.is_some()
            && r.path.is_some()
            && let Some(e) = self.mocks.load_error()
        {
            // Restoring only the workflow would lose the mock edits: the offer stays until the file reads.
            self.status = Some(format!(
                "Not restored: the recovered work has mock edits, and the mock file cannot be read ({e})"
            ));
            return;
        }
        let doc = match parse_recovered(r) {
            Ok(d) => d,
            Err(e) => {
                self.status = Some(e);
                return;
            }
        };
        let same_path = |a: &Path, b: &Path| recovery::canonical(a) == recovery::canonical(b);
        match &r.path {
            // The current document's work: it comes back as one undoable edit.
            Some(p) if self.recovery_path().is_some_and(|q| same_path(p, &q)) => {}
            Some(p) => {
                self.status = Some(format!("Open {} to restore its work", p.display()));
                return;
            }
            None if self.is_dirty() => {
                self.status = Some("Save or discard the current changes first".into());
                return;
            }
            None => {
                let others = std::mem::take(&mut self.bg.offers);
                self.replace_document(
                    Document::from_machine(StateMachine::default()),
                    None,
                    Pins::new(),
                );
                self.bg.offers = others;
                // Autosaves of the restored work go on in its own file.
                self.bg.untitled_key = Some(r.key.clone());
            }
        }
        self.bg.offers.retain(|o| o.key != r.key);
        self.bg.written_key = Some(r.key.clone());
        // Only the mocks were unsaved: the workflow stays as it is (no edit that changes nothing).
        if doc.machine != *self.editor.machine() {
            self.push(super::Command::Edit(Op::ReplaceMachine(Box::new(
                doc.machine,
            ))));
        }
        // The mock edits come back in memory once the mock file is read; its file is not written here.
        self.bg.restore_mocks = r.mocks.as_ref().map(|m| (self.bg.doc_id, m.text.clone()));
        self.status = Some("Restored the recovered work (not saved yet)".into());
    }
}
