//! What the designer derives from the document — the diagnostics and the layout before pins — kept out of
//! the frames that edit. For a small machine it is computed at once (it takes well under a millisecond);
//! for a big one on a worker thread, once the edits pause, while the canvas and the diagnostics panel show
//! the last results. Pins are placed over the unpinned layout on the UI thread, so a moved state lands
//! where it was dropped at once.
//!
//! The worker keeps its own copy of the document, a [`Mirror`]: the UI thread forwards every change it
//! makes to its [`Editor`] (the operation, an undo, …) and the worker replays it (operations are
//! deterministic), so starting a validation copies nothing on the UI thread.

use super::diagnostics::DiagnosticsCache;
use crate::asl::{Document, StateMachine};
use crate::edit::{Editor, Op};
use crate::layout::Unpinned;
use std::sync::mpsc;
use std::time::Duration;

/// Machines with at most this many states (nested ones included) are derived at once, in the frame.
pub const INLINE_MAX_STATES: usize = 300;
/// For bigger machines: how long the document must stay unchanged before deriving starts.
pub const PAUSE: Duration = Duration::from_millis(300);

/// The results for one version of the document.
#[derive(Default)]
pub struct Results {
    pub diagnostics: DiagnosticsCache,
    pub unpinned: Unpinned,
}

impl Results {
    pub fn compute(doc: &Document) -> Results {
        Results {
            diagnostics: DiagnosticsCache::compute(doc),
            unpinned: Unpinned::of(&doc.machine),
        }
    }
}

/// A change made to the UI thread's [`Editor`], replayed on the worker's copy.
pub enum Change {
    Apply(Op),
    ApplyInVisit(Op, String),
    EndVisit,
    Undo,
    Redo,
    /// The code view's text became the document's text.
    SetText(String),
    MarkSavedAs(String, crate::asl::SourceFormat),
}

impl Change {
    fn replay(self, e: &mut Editor) {
        match self {
            Change::Apply(op) => {
                let _ = e.apply(op);
            }
            Change::ApplyInVisit(op, visit) => {
                let _ = e.apply_in_visit(op, &visit);
            }
            Change::EndVisit => e.end_visit(),
            Change::Undo => {
                e.undo();
            }
            Change::Redo => {
                e.redo();
            }
            Change::SetText(text) => {
                let _ = e.set_text(text);
            }
            Change::MarkSavedAs(text, format) => {
                let _ = e.mark_saved_as(text, format);
            }
        }
    }
}

enum Msg {
    /// A change, and the UI editor's machine version after it.
    Change(Box<Change>, u64),
    /// Derive the document as it is after the changes so far.
    Derive,
}

/// The worker thread and its copy of the document.
struct Mirror {
    tx: mpsc::Sender<Msg>,
    rx: mpsc::Receiver<(u64, Results)>,
}

impl Mirror {
    /// Starts a worker on a copy of `editor` (its history included, so that undo replays alike).
    fn start(editor: Editor) -> Option<Mirror> {
        let (tx, inbox) = mpsc::channel::<Msg>();
        let (outbox, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("statewright-derive".into())
            .spawn(move || {
                let mut editor = editor;
                let mut version = editor.machine_version();
                // Ends when the UI side drops its sender (another document, or the app closes).
                while let Ok(first) = inbox.recv() {
                    let mut derive = false;
                    for m in std::iter::once(first).chain(inbox.try_iter()) {
                        match m {
                            Msg::Change(c, v) => {
                                c.replay(&mut editor);
                                version = v;
                            }
                            Msg::Derive => derive = true,
                        }
                    }
                    if derive
                        && outbox
                            .send((version, Results::compute(&editor.doc)))
                            .is_err()
                    {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Mirror { tx, rx })
    }
}

/// Bookkeeping: which version the installed results are for, the worker, when the document last changed.
#[derive(Default)]
pub struct Derived {
    /// The [`Editor::machine_version`] the installed results are for.
    pub installed: Option<u64>,
    mirror: Option<Mirror>,
    /// A derivation was asked of the worker and has not come back.
    waiting: bool,
    /// The version last seen and when it was first seen (egui time, seconds).
    seen: Option<(u64, f64)>,
}

/// What [`Derived::poll`] asks the app to do.
pub enum Next {
    /// The installed results are current, or the worker is at it.
    Nothing,
    /// Install these results, for this version.
    Install(u64, Box<Results>),
    /// Derive now, in this frame (a small machine, or nothing shown yet, or no worker).
    ComputeNow,
    /// Ask for a frame after this long (waiting for the pause to end, or for the worker).
    WaitFor(Duration),
}

/// Frees a big value (results replaced by newer ones) on another thread: freeing a 5,000-state layout
/// takes milliseconds.
pub fn discard<T: Send + 'static>(value: T) {
    // If no thread can be started, the closure (and the value) is dropped here.
    let _ = std::thread::Builder::new()
        .name("statewright-free".into())
        .spawn(move || drop(value));
}

/// How many states a machine has, nested ones included (without collecting their names).
pub fn state_count(m: &StateMachine) -> usize {
    let mut n = 0;
    m.visit_machines(&mut |_, m| n += m.states().len());
    n
}

impl Derived {
    /// A new document (or a replaced editor): results and worker start afresh.
    pub fn reset(&mut self) {
        *self = Derived::default();
    }

    /// Forwards a change just made to the UI editor (now at `version`) to the worker's copy.
    pub fn forward(&mut self, change: Change, version: u64) {
        if let Some(m) = &self.mirror
            && m.tx.send(Msg::Change(Box::new(change), version)).is_err()
        {
            self.mirror = None;
            self.waiting = false;
        }
    }

    /// Decides what to do this frame for `editor`; `now` is egui's time.
    pub fn poll(&mut self, editor: &Editor, now: f64) -> Next {
        let version = editor.machine_version();
        let mut latest = None;
        if let Some(m) = &self.mirror {
            loop {
                match m.rx.try_recv() {
                    Ok(r) => latest = Some(r),
                    Err(mpsc::TryRecvError::Empty) => break,
                    Err(mpsc::TryRecvError::Disconnected) => {
                        // The worker died: derive inline from now on.
                        self.mirror = None;
                        self.waiting = false;
                        break;
                    }
                }
            }
        }
        if let Some((v, results)) = latest {
            self.waiting = false;
            return Next::Install(v, Box::new(results));
        }
        if self.waiting {
            return Next::WaitFor(Duration::from_millis(15));
        }
        if self.installed == Some(version) {
            return Next::Nothing;
        }
        let since = match self.seen {
            Some((v, t)) if v == version => now - t,
            _ => {
                self.seen = Some((version, now));
                0.0
            }
        };
        // Once a worker runs for this document it stays in charge (no count of states per frame).
        if self.installed.is_none()
            || (self.mirror.is_none() && state_count(editor.machine()) <= INLINE_MAX_STATES)
        {
            return Next::ComputeNow;
        }
        if self.mirror.is_none() {
            // A machine that grew past the threshold: one copy, then changes are forwarded.
            self.mirror = Mirror::start(editor.clone());
            if self.mirror.is_none() {
                return Next::ComputeNow;
            }
        }
        let pause = PAUSE.as_secs_f64();
        if since < pause {
            return Next::WaitFor(Duration::from_secs_f64(pause - since));
        }
        match &self.mirror {
            Some(m) if m.tx.send(Msg::Derive).is_ok() => {
                self.waiting = true;
                Next::WaitFor(Duration::from_millis(15))
            }
            _ => {
                self.mirror = None;
                Next::ComputeNow
            }
        }
    }

    /// For a big document just opened: start the worker's copy now (opening is not an editing frame).
    pub fn prepare(&mut self, editor: &Editor) {
        if self.mirror.is_none() && state_count(editor.machine()) > INLINE_MAX_STATES {
            self.mirror = Mirror::start(editor.clone());
        }
    }

    /// Whether a worker keeps a copy of the document (changes must then be forwarded).
    pub fn has_worker(&self) -> bool {
        self.mirror.is_some()
    }

    /// Whether the worker is deriving.
    pub fn busy(&self) -> bool {
        self.waiting
    }
}
