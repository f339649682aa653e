//! What the designer derives from the document — the diagnostics and the layout before pins — kept out of
//! the frames that edit. For a small machine it is computed at once (it takes well under a millisecond);
//! for a big one on a worker thread, once the edits pause, while the canvas and the diagnostics panel show
//! the last results. Pins are placed over the unpinned layout on the UI thread (cheap), so a moved state
//! lands where it was dropped in the same frame.

use super::diagnostics::DiagnosticsCache;
use crate::asl::{Document, StateMachine};
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

/// Bookkeeping: which version the installed results are for, the job in flight, when the document last
/// changed.
#[derive(Default)]
pub struct Derived {
    /// The [`Editor::machine_version`](crate::edit::Editor::machine_version) the installed results are for.
    pub installed: Option<u64>,
    job: Option<(u64, mpsc::Receiver<Results>)>,
    /// The version last seen and when it was first seen (egui time, seconds).
    seen: Option<(u64, f64)>,
}

/// What [`Derived::poll`] asks the app to do.
pub enum Next {
    /// The installed results are current, or a job is running.
    Nothing,
    /// Install these results, for this version.
    Install(u64, Box<Results>),
    /// Derive now, in this frame (a small machine, or nothing shown yet).
    ComputeNow,
    /// Start a worker on a copy of the document.
    Spawn,
    /// Ask for a frame after this long (waiting for the pause to end, or for the job).
    WaitFor(Duration),
}

/// How many states a machine has, nested ones included (without collecting their names).
pub fn state_count(m: &StateMachine) -> usize {
    let mut n = 0;
    m.visit_machines(&mut |_, m| n += m.states().len());
    n
}

impl Derived {
    /// Decides what to do this frame for the document at `version`; `now` is egui's time.
    pub fn poll(&mut self, version: u64, now: f64, machine: &StateMachine) -> Next {
        if let Some((v, rx)) = &self.job {
            match rx.try_recv() {
                Ok(results) => {
                    let v = *v;
                    self.job = None;
                    return Next::Install(v, Box::new(results));
                }
                Err(mpsc::TryRecvError::Empty) => return Next::WaitFor(Duration::from_millis(15)),
                // The worker panicked: try again below (inline at worst).
                Err(mpsc::TryRecvError::Disconnected) => self.job = None,
            }
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
        if self.installed.is_none() || state_count(machine) <= INLINE_MAX_STATES {
            return Next::ComputeNow;
        }
        let pause = PAUSE.as_secs_f64();
        if since >= pause {
            Next::Spawn
        } else {
            Next::WaitFor(Duration::from_secs_f64(pause - since))
        }
    }

    /// Starts deriving `doc` (a copy of the document at `version`) on a worker thread; `false` if no
    /// thread could be started.
    pub fn spawn(&mut self, version: u64, doc: Document) -> bool {
        let (tx, rx) = mpsc::channel();
        let started = std::thread::Builder::new()
            .name("statewright-derive".into())
            .spawn(move || {
                let _ = tx.send(Results::compute(&doc));
            });
        if started.is_ok() {
            self.job = Some((version, rx));
        }
        started.is_ok()
    }

    /// Whether results for another version are being computed.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }
}
