//! Which states and transitions a trace has visited, and which are current, at a cursor: what a viewer
//! highlights while replaying a run. Paths are layout paths (state names from the outermost scope down).
//!
//! [`RunIndex`] walks the trace once and keeps, per state *instance* (a trace path: which Parallel branch,
//! which Map iteration), its visits, how each turned out and the transitions out of it, so the highlight at
//! any cursor is a few binary searches per state: a frame of the player costs O(states), not O(events).
//! Inside a Map the highlight shows one iteration, the one followed ([`Follow`]: the one running at the
//! cursor unless the user picked another).

use super::{PathSegment, StatePath, Trace, TraceCursor};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    /// How each visited state turned out, as known at the cursor (its latest visit; none while it runs and
    /// has not failed).
    pub outcomes: BTreeMap<Vec<String>, Outcome>,
    /// How the latest taking of each transition went: [`Outcome::Caught`] when a `Catch` took it.
    pub edge_outcomes: BTreeMap<(Vec<String>, Vec<String>), Outcome>,
    /// How many times each state was entered up to the cursor (loops: more than 1).
    pub visits: BTreeMap<Vec<String>, usize>,
    /// The Parallel branches running at the cursor, one entry per branch.
    pub branches: Vec<RunningBranch>,
    /// Every Map visited up to the cursor: its iterations and the one followed.
    pub maps: BTreeMap<Vec<String>, MapProgress>,
    /// Every Wait state waiting at the cursor, with the virtual time it has waited.
    pub waits: BTreeMap<Vec<String>, WaitProgress>,
    /// Virtual time at the cursor, milliseconds since the execution started.
    pub time_ms: i64,
    /// The state instance shown for each layout state (index: the [`RunIndex`]'s state id).
    followed: Vec<Option<u32>>,
}

/// A Parallel branch that is running at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct RunningBranch {
    /// The Parallel state.
    pub parallel: Vec<String>,
    /// The branch, 0-based.
    pub branch: usize,
    /// The branch's state at the cursor: the one it is in, or its first state while it has not begun (the
    /// trace lists one branch after the other, but they run side by side).
    pub at: Vec<String>,
    /// Whether the trace has entered a state of this branch yet.
    pub started: bool,
}

/// A Map's iterations at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct MapProgress {
    /// The iteration (item index, 0-based) the highlight shows inside the Map; `None` before one started.
    pub following: Option<usize>,
    /// Whether the user picked `following` ([`Follow`]) rather than it being the one running.
    pub picked: bool,
    /// Iterations started up to the cursor.
    pub started: usize,
    /// Iterations of this run of the Map (the number of items).
    pub total: usize,
    /// The Map's instance and visit, for [`RunIndex::iterations`].
    instance: u32,
    visit: usize,
}

/// A Wait state waiting at the cursor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WaitProgress {
    /// Virtual time waited so far, milliseconds.
    pub elapsed_ms: i64,
    /// The whole wait, milliseconds (until the state exited; the rest of the run if it never did).
    pub total_ms: i64,
    /// The event index at which the wait ends (exits), if it does.
    pub ends_at: Option<usize>,
}

/// The Map iterations picked to follow, by the Map's layout path; a Map not listed follows the iteration
/// running at the cursor (or the last one started).
pub type Follow = BTreeMap<Vec<String>, usize>;

/// One iteration of a Map run.
#[derive(Clone, Debug, PartialEq)]
pub struct Iteration {
    /// The item index, 0-based.
    pub index: usize,
    /// The `MapIterationStarted` event's index.
    pub started: usize,
    /// The index of the event that ended it (`MapIterationSucceeded`/`Failed`), if any.
    pub ended: Option<usize>,
    /// How it ended, if it did.
    pub outcome: Option<Outcome>,
}

/// A transition taken, in trace order: a token travels along it when the player steps onto `event`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transition {
    /// The index of the event entering the target state.
    pub event: usize,
    /// Virtual time it was taken, milliseconds since the execution started.
    pub time_ms: i64,
    /// [`Outcome::Caught`] when a `Catch` took it, [`Outcome::Succeeded`] otherwise.
    pub outcome: Outcome,
    /// The states, as ids of the [`RunIndex`] ([`RunIndex::state_path`]).
    pub from: StateId,
    pub to: StateId,
    /// The target's instance (which iteration), to tell whether it is the one followed.
    to_instance: u32,
}

/// A layout state known to a [`RunIndex`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateId(u32);

/// How a state, or a transition into it, turned out in the run shown: the canvas colours it by this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Ran and left normally.
    Succeeded,
    /// Failed and nothing caught it (the error left the state's scope).
    Failed,
    /// Failed and a `Catch` sent the run on.
    Caught,
    /// Failed at least once and was retried.
    Retried,
}

impl Outcome {
    /// The colour of this outcome on a dark or light background, normal or high contrast. The one table of
    /// outcome colours: the canvas (through `ui::theme::outcome_color`), the timeline and the SVG/PNG
    /// exports all use it.
    pub fn rgb(self, dark: bool, high_contrast: bool) -> [u8; 3] {
        match (self, high_contrast, dark) {
            (Outcome::Succeeded, false, true) => [0x3f, 0xb9, 0x50],
            (Outcome::Succeeded, false, false) => [0x1f, 0x88, 0x3d],
            (Outcome::Succeeded, true, _) => [0x00, 0x9e, 0x2f],
            (Outcome::Failed, false, _) => [0xcc, 0x44, 0x44],
            (Outcome::Failed, true, _) => [0xe0, 0x00, 0x00],
            (Outcome::Caught, false, _) => [0xe0, 0x8a, 0x1e],
            (Outcome::Caught, true, _) => [0xff, 0x8c, 0x00],
            (Outcome::Retried, false, _) => [0x3b, 0x7d, 0xd8],
            (Outcome::Retried, true, _) => [0x00, 0x5f, 0xff],
        }
    }
}

/// What kind of state an instance is (from its `…StateEntered` event).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Other,
    Wait,
    Parallel,
    Map,
    Fail,
}

/// One visit of a state instance: entered at `entered`, over at `ended` (`usize::MAX`: never).
#[derive(Clone, Debug)]
struct Visit {
    entered: usize,
    ended: usize,
    entered_ms: i64,
    ended_ms: Option<i64>,
    /// Parallel: per branch, the event index of its last event and the states entered directly in it.
    branches: Vec<BranchRec>,
    /// Map: its iterations in start order.
    iterations: Vec<Iteration>,
}

#[derive(Clone, Debug, Default)]
struct BranchRec {
    last_event: usize,
    entries: Vec<(usize, u32)>,
}

/// A state instance: one trace path (which branch, which iteration).
#[derive(Clone, Debug)]
struct Instance {
    state: u32,
    kind: Kind,
    visits: Vec<Visit>,
    /// `(event index, outcome)` whenever the outcome of its latest visit changed.
    outcomes: Vec<(usize, Outcome)>,
    /// Transitions out of it: the target instance and each taking, `(event index, outcome)`.
    out: Vec<(u32, Vec<(usize, Outcome)>)>,
}

/// A visit not over yet, during the walk.
struct Open {
    instance: u32,
    path: StatePath,
    /// Failed, and not (yet) retried or caught.
    failed: bool,
    retried: bool,
}

/// The trace walked once: per state instance its visits, outcomes and transitions, so that
/// [`RunIndex::highlight`] at any cursor costs a few binary searches per state. Build it once per trace
/// (off the UI thread for big traces).
#[derive(Clone, Debug, Default)]
pub struct RunIndex {
    len: usize,
    /// Virtual time of every event, milliseconds since the first.
    times: Vec<i64>,
    /// Layout paths by state id.
    states: Vec<Vec<String>>,
    /// Per state id: the enclosing Maps' state ids, outermost first.
    maps_of: Vec<Vec<u32>>,
    /// State ids, outer scopes first (a Map before the states inside it).
    by_depth: Vec<u32>,
    instances: Vec<Instance>,
    /// `(state id, followed iteration of each enclosing Map)` → instance.
    instance_of: HashMap<(u32, Vec<usize>), u32>,
    transitions: Vec<Transition>,
}

/// The failure events of a state (`TaskFailed`, `LambdaFunctionTimedOut`, `ParallelStateFailed`, …), not an
/// iteration's or the execution's.
fn is_failure(ty: &str, path: &StatePath) -> bool {
    !path.0.is_empty()
        && ty != "MapIterationFailed"
        && (ty.ends_with("Failed") || ty.ends_with("TimedOut"))
}

impl RunIndex {
    /// Walks `trace` once.
    pub fn new(trace: &Trace) -> RunIndex {
        Builder::default().build(trace)
    }

    /// Number of events of the trace it was built from.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The layout path of a state id.
    pub fn state_path(&self, id: StateId) -> &Vec<String> {
        &self.states[id.0 as usize]
    }

    /// Every transition taken, in trace order.
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    /// The transitions taken by events after `after` up to and including `upto`.
    pub fn transitions_between(&self, after: Option<usize>, upto: usize) -> &[Transition] {
        let lo = after.map_or(0, |a| self.transitions.partition_point(|t| t.event <= a));
        let hi = self.transitions.partition_point(|t| t.event <= upto);
        &self.transitions[lo.min(hi)..hi]
    }

    /// Whether `hl` shows the iteration `t` was taken in (inside a Map, only the followed iteration's
    /// transitions are animated).
    pub fn is_followed(&self, hl: &RunHighlight, t: &Transition) -> bool {
        hl.followed.get(t.to.0 as usize) == Some(&Some(t.to_instance))
    }

    /// The iterations of the Map run `m` describes, in start order.
    pub fn iterations(&self, m: &MapProgress) -> &[Iteration] {
        self.instances
            .get(m.instance as usize)
            .and_then(|i| i.visits.get(m.visit))
            .map_or(&[], |v| &v.iterations)
    }

    /// The highlight at the cursor, following the Map iterations in `follow`.
    pub fn highlight(&self, trace: &Trace, cursor: &TraceCursor, follow: &Follow) -> RunHighlight {
        let mut hl = RunHighlight::default();
        let Some(i) = cursor.index().filter(|&i| i < self.len) else {
            return hl;
        };
        hl.time_ms = self.times[i];
        let n = self.states.len();
        let mut followed: Vec<Option<u32>> = vec![None; n];
        let mut iteration: Vec<Option<usize>> = vec![None; n];
        for &s in &self.by_depth {
            let key: Option<Vec<usize>> = self.maps_of[s as usize]
                .iter()
                .map(|&m| iteration[m as usize])
                .collect();
            let Some(&inst) = key.and_then(|k| self.instance_of.get(&(s, k))) else {
                continue;
            };
            let d = &self.instances[inst as usize];
            let seen = d.visits.partition_point(|v| v.entered <= i);
            if seen == 0 {
                continue;
            }
            followed[s as usize] = Some(inst);
            let path = &self.states[s as usize];
            let visit = &d.visits[seen - 1];
            let active = visit.ended > i;
            hl.visited.insert(path.clone());
            hl.visits.insert(path.clone(), seen);
            if active {
                hl.current.insert(path.clone());
            }
            let oc = d.outcomes.partition_point(|(e, _)| *e <= i);
            if oc > 0 {
                hl.outcomes.insert(path.clone(), d.outcomes[oc - 1].1);
            }
            for (to, takings) in &d.out {
                let k = takings.partition_point(|(e, _)| *e <= i);
                if k > 0 {
                    let to = &self.states[self.instances[*to as usize].state as usize];
                    let edge = (path.clone(), to.clone());
                    hl.edge_outcomes.insert(edge.clone(), takings[k - 1].1);
                    hl.edges.insert(edge);
                }
            }
            match d.kind {
                Kind::Map => {
                    let started = visit.iterations.partition_point(|it| it.started <= i);
                    let picked = follow.get(path).copied();
                    let following = picked
                        .or_else(|| started.checked_sub(1).map(|k| visit.iterations[k].index));
                    iteration[s as usize] = following;
                    hl.maps.insert(
                        path.clone(),
                        MapProgress {
                            following,
                            picked: picked.is_some(),
                            started,
                            total: visit.iterations.len(),
                            instance: inst,
                            visit: seen - 1,
                        },
                    );
                }
                Kind::Parallel if active && i > visit.entered => {
                    for (b, rec) in visit.branches.iter().enumerate() {
                        if rec.entries.is_empty() || rec.last_event <= i {
                            continue;
                        }
                        let k = rec.entries.partition_point(|(e, _)| *e <= i);
                        let at = rec.entries[k.saturating_sub(1)].1;
                        let Some(at) = self.instances.get(at as usize) else {
                            continue;
                        };
                        hl.branches.push(RunningBranch {
                            parallel: path.clone(),
                            branch: b,
                            at: self.states[at.state as usize].clone(),
                            started: k > 0,
                        });
                    }
                }
                // On its Exited event a Wait shows the whole wait as done.
                Kind::Wait if visit.ended >= i => {
                    let end = visit.ended_ms.unwrap_or(*self.times.last().unwrap_or(&0));
                    hl.waits.insert(
                        path.clone(),
                        WaitProgress {
                            elapsed_ms: hl.time_ms - visit.entered_ms,
                            total_ms: end - visit.entered_ms,
                            ends_at: (visit.ended != usize::MAX).then_some(visit.ended),
                        },
                    );
                }
                _ => {}
            }
        }
        // The state the current event belongs to is current too (e.g. on its Exited event), when shown.
        if let Some(e) = cursor.current(trace)
            && !e.path.0.is_empty()
        {
            let lp = layout_path(&e.path);
            if hl.visited.contains(&lp) {
                hl.current.insert(lp);
            }
        }
        // At a Choice state's decision, the rule's target is already shown as taken.
        if let Some(e) = cursor.current(trace)
            && let Some(next) = e.choice().and_then(|c| c.next.as_ref())
        {
            let from = layout_path(&e.path);
            if hl.visited.contains(&from) {
                let mut to = from.clone();
                to.pop();
                to.push(next.clone());
                hl.edges.insert((from, to));
            }
        }
        hl.followed = followed;
        hl
    }
}

/// The walk that builds a [`RunIndex`].
#[derive(Default)]
struct Builder {
    ix: RunIndex,
    state_ids: HashMap<Vec<String>, u32>,
    instance_by_path: HashMap<StatePath, u32>,
    open: Vec<Open>,
    /// Per scope (the parent trace path of its states): the state last entered there and whether it was left
    /// through a Catch.
    last_in_scope: BTreeMap<StatePath, (u32, bool)>,
}

impl Builder {
    fn build(mut self, trace: &Trace) -> RunIndex {
        let t0 = trace.events.first().map_or(0, |e| e.timestamp.0);
        self.ix.len = trace.events.len();
        self.ix.times = trace.events.iter().map(|e| e.timestamp.0 - t0).collect();
        for (j, e) in trace.events.iter().enumerate() {
            self.event(j, e);
        }
        let ix = &mut self.ix;
        let mut by_depth: Vec<u32> = (0..ix.states.len() as u32).collect();
        by_depth.sort_by_key(|&s| ix.states[s as usize].len());
        ix.by_depth = by_depth;
        self.ix
    }

    fn state_id(&mut self, layout: Vec<String>) -> u32 {
        if let Some(&id) = self.state_ids.get(&layout) {
            return id;
        }
        let id = self.ix.states.len() as u32;
        // The enclosing Maps: the state before each Iteration segment.
        self.ix.states.push(layout.clone());
        self.ix.maps_of.push(Vec::new());
        self.state_ids.insert(layout, id);
        id
    }

    fn instance(&mut self, path: &StatePath, kind: Kind) -> u32 {
        if let Some(&i) = self.instance_by_path.get(path) {
            return i;
        }
        let state = self.state_id(layout_path(path));
        let mut maps = Vec::new();
        let mut key = Vec::new();
        for (k, seg) in path.0.iter().enumerate() {
            if let PathSegment::Iteration(n) = seg {
                let map = StatePath(path.0[..k].into());
                maps.push(self.state_id(layout_path(&map)));
                key.push(*n);
            }
        }
        self.ix.maps_of[state as usize] = maps;
        let id = self.ix.instances.len() as u32;
        self.ix.instances.push(Instance {
            state,
            kind,
            visits: Vec::new(),
            outcomes: Vec::new(),
            out: Vec::new(),
        });
        self.ix.instance_of.insert((state, key), id);
        self.instance_by_path.insert(path.clone(), id);
        id
    }

    fn set_outcome(&mut self, inst: u32, j: usize, o: Outcome) {
        let v = &mut self.ix.instances[inst as usize].outcomes;
        match v.last_mut() {
            Some((at, last)) if *at == j => *last = o,
            Some((_, last)) if *last == o => {}
            _ => v.push((j, o)),
        }
    }

    /// Ends the open visit at `pos` (by event `j`), with the outcome it gets.
    fn close(&mut self, pos: usize, j: usize, ms: i64, outcome: Option<Outcome>) -> Open {
        let o = self.open.remove(pos);
        let d = &mut self.ix.instances[o.instance as usize];
        if let Some(v) = d.visits.last_mut() {
            v.ended = j;
            v.ended_ms = Some(ms);
        }
        if let Some(out) = outcome {
            self.set_outcome(o.instance, j, out);
        }
        o
    }

    /// Ends every open visit strictly inside `scope`; `failed`: the scope failed, so did they.
    fn close_inside(&mut self, scope: &[PathSegment], j: usize, ms: i64, failed: bool) {
        let mut k = self.open.len();
        while k > 0 {
            k -= 1;
            let p = &self.open[k].path.0;
            if p.len() > scope.len() && p.starts_with(scope) {
                let fail_state =
                    self.ix.instances[self.open[k].instance as usize].kind == Kind::Fail;
                let outcome =
                    (failed || self.open[k].failed || fail_state).then_some(Outcome::Failed);
                self.close(k, j, ms, outcome);
            }
        }
    }

    /// Forgets which state was last entered in the scopes inside `container` (it starts again).
    fn reset_scopes(&mut self, container: &StatePath) {
        let inside: Vec<StatePath> = self
            .last_in_scope
            .range(container.clone()..)
            .take_while(|(k, _)| k.0.starts_with(&container.0))
            .filter(|(k, _)| k.0.len() > container.0.len())
            .map(|(k, _)| k.clone())
            .collect();
        for k in inside {
            self.last_in_scope.remove(&k);
        }
    }

    fn event(&mut self, j: usize, e: &super::TraceEvent) {
        let ty: &str = &e.event_type;
        let ms = self.ix.times[j];
        let path = &e.path;
        // Every enclosing Parallel branch saw an event; a state entered directly in a branch is noted (with
        // its instance, filled in below once it has one).
        for (k, seg) in path.0.iter().enumerate() {
            if let PathSegment::Branch(b) = *seg
                && let Some(o) = self.open.iter().rev().find(|o| *o.path.0 == path.0[..k])
                && let Some(v) = self.ix.instances[o.instance as usize].visits.last_mut()
            {
                if v.branches.len() <= b {
                    v.branches.resize_with(b + 1, BranchRec::default);
                }
                v.branches[b].last_event = j;
                if e.is_state_entered() && path.0.len() == k + 2 {
                    v.branches[b].entries.push((j, u32::MAX));
                }
            }
        }
        if e.is_state_entered() {
            let kind = match ty {
                "WaitStateEntered" => Kind::Wait,
                "ParallelStateEntered" => Kind::Parallel,
                "MapStateEntered" => Kind::Map,
                "FailStateEntered" => Kind::Fail,
                _ => Kind::Other,
            };
            let inst = self.instance(path, kind);
            let parent = StatePath(path.0[..path.0.len().saturating_sub(1)].into());
            // A sibling still open failed into a Catch (or was left without an Exited event).
            let mut k = self.open.len();
            while k > 0 {
                k -= 1;
                let p = &self.open[k].path.0;
                if p.len() == path.0.len() && p[..p.len() - 1] == *parent.0 {
                    let failed = self.open[k].failed;
                    let retried = self.open[k].retried;
                    let outcome = if failed {
                        Outcome::Caught
                    } else if retried {
                        Outcome::Retried
                    } else {
                        Outcome::Succeeded
                    };
                    let o = self.close(k, j, ms, Some(outcome));
                    if let Some(last) = self.last_in_scope.get_mut(&parent)
                        && last.0 == o.instance
                    {
                        last.1 = failed;
                    }
                }
            }
            if let Some((from, caught)) = self.last_in_scope.insert(parent, (inst, false)) {
                let outcome = if caught {
                    Outcome::Caught
                } else {
                    Outcome::Succeeded
                };
                let out = &mut self.ix.instances[from as usize].out;
                match out.iter_mut().find(|(to, _)| *to == inst) {
                    Some((_, takings)) => takings.push((j, outcome)),
                    None => out.push((inst, vec![(j, outcome)])),
                }
                self.ix.transitions.push(Transition {
                    event: j,
                    time_ms: ms,
                    outcome,
                    from: StateId(self.ix.instances[from as usize].state),
                    to: StateId(self.ix.instances[inst as usize].state),
                    to_instance: inst,
                });
            }
            self.ix.instances[inst as usize].visits.push(Visit {
                entered: j,
                ended: usize::MAX,
                entered_ms: ms,
                ended_ms: None,
                branches: Vec::new(),
                iterations: Vec::new(),
            });
            // The branch entry noted above gets its instance.
            for (k, seg) in path.0.iter().enumerate() {
                if let PathSegment::Branch(b) = *seg
                    && path.0.len() == k + 2
                    && let Some(o) = self.open.iter().rev().find(|o| *o.path.0 == path.0[..k])
                    && let Some(v) = self.ix.instances[o.instance as usize].visits.last_mut()
                    && let Some(last) = v.branches.get_mut(b).and_then(|r| r.entries.last_mut())
                {
                    last.1 = inst;
                }
            }
            if matches!(kind, Kind::Parallel | Kind::Map) {
                self.reset_scopes(path);
            }
            let fail_state = kind == Kind::Fail;
            if fail_state {
                self.set_outcome(inst, j, Outcome::Failed);
            }
            self.open.push(Open {
                instance: inst,
                path: path.clone(),
                failed: fail_state,
                retried: false,
            });
            return;
        }
        if path.0.is_empty() {
            if ty.starts_with("Execution") && ty != "ExecutionStarted" {
                let failed = ty != "ExecutionSucceeded" && ty != "ExecutionAborted";
                self.close_inside(&[], j, ms, failed);
            }
            return;
        }
        let Some(pos) = self.open.iter().rposition(|o| o.path == *path) else {
            return;
        };
        let inst = self.open[pos].instance;
        if e.is_state_exited() {
            let o = &self.open[pos];
            let fail_state = self.ix.instances[inst as usize].kind == Kind::Fail;
            let caught = o.failed && !fail_state;
            let outcome = if fail_state {
                Outcome::Failed
            } else if caught {
                Outcome::Caught
            } else if o.retried {
                Outcome::Retried
            } else {
                Outcome::Succeeded
            };
            self.close_inside(&path.0, j, ms, false);
            let pos = self
                .open
                .iter()
                .rposition(|o| o.path == *path)
                .unwrap_or(pos);
            self.close(pos, j, ms, Some(outcome));
            let parent = StatePath(path.0[..path.0.len() - 1].into());
            if let Some(last) = self.last_in_scope.get_mut(&parent)
                && last.0 == inst
            {
                last.1 = caught;
            }
            return;
        }
        match ty {
            "MapIterationStarted" => {
                let index = e.index().unwrap_or(0) as usize;
                let scope = path.child(PathSegment::Iteration(index));
                self.reset_scopes(&scope);
                if let Some(v) = self.ix.instances[inst as usize].visits.last_mut() {
                    v.iterations.push(Iteration {
                        index,
                        started: j,
                        ended: None,
                        outcome: None,
                    });
                }
                return;
            }
            "MapIterationSucceeded" | "MapIterationFailed" | "MapIterationAborted" => {
                let index = e.index().unwrap_or(0) as usize;
                let failed = ty == "MapIterationFailed";
                let scope = path.child(PathSegment::Iteration(index));
                self.close_inside(&scope.0, j, ms, failed);
                if let Some(v) = self.ix.instances[inst as usize].visits.last_mut()
                    && let Some(it) = v.iterations.iter_mut().rev().find(|it| it.index == index)
                {
                    it.ended = Some(j);
                    it.outcome = match ty {
                        "MapIterationSucceeded" => Some(Outcome::Succeeded),
                        "MapIterationFailed" => Some(Outcome::Failed),
                        _ => None,
                    };
                }
                return;
            }
            "ParallelStateSucceeded"
            | "MapStateSucceeded"
            | "ParallelStateAborted"
            | "MapStateAborted" => {
                self.close_inside(&path.0, j, ms, false);
                return;
            }
            "ParallelStateStarted" | "MapStateStarted" => self.reset_scopes(path),
            _ => {}
        }
        if is_failure(ty, path) {
            if matches!(ty, "ParallelStateFailed" | "MapStateFailed") {
                self.close_inside(&path.0, j, ms, true);
            }
            if let Some(o) = self.open.iter_mut().rev().find(|o| o.path == *path) {
                o.failed = true;
            }
            self.set_outcome(inst, j, Outcome::Failed);
        } else if self.open[pos].failed {
            // Anything else the failed state does is a retry (the task scheduled again, the branches started
            // again).
            self.open[pos].failed = false;
            self.open[pos].retried = true;
            self.set_outcome(inst, j, Outcome::Retried);
        }
    }
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

/// The highlight at the cursor, computed from the trace alone (walks the whole trace: to show many
/// cursors, build a [`RunIndex`] once and ask it).
pub fn highlight(trace: &Trace, cursor: &TraceCursor) -> RunHighlight {
    RunIndex::new(trace).highlight(trace, cursor, &Follow::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::Document;
    use crate::sim::{SimConfig, simulate};
    use serde_json::json;

    fn run(asl: serde_json::Value, input: serde_json::Value) -> Trace {
        let doc = Document::parse_json(&asl.to_string()).expect("test machine parses");
        simulate(&doc.machine, input, &SimConfig::default())
    }

    fn p(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn choice_machine() -> serde_json::Value {
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.x", "NumericEquals": 1, "Next": "B"}], "Default": "D"},
            "B": {"Type": "Pass", "End": true},
            "D": {"Type": "Pass", "End": true}}})
    }

    #[test]
    fn visited_and_taken_up_to_the_cursor() {
        let trace = run(choice_machine(), json!({"x": 1}));
        let mut cursor = TraceCursor::new(&trace);
        cursor.seek_end();
        let hl = highlight(&trace, &cursor);
        assert_eq!(hl.visited, [p(&["A"]), p(&["B"]), p(&["C"])].into());
        assert_eq!(
            hl.edges,
            [(p(&["A"]), p(&["C"])), (p(&["C"]), p(&["B"]))].into()
        );
        assert!(!hl.visited.contains(&p(&["D"])));

        cursor.seek(Some(0));
        let start = highlight(&trace, &cursor);
        assert!(start.edges.is_empty());
        assert!(start.visited.is_empty());
    }

    #[test]
    fn a_choice_decision_shows_its_target_as_taken() {
        let trace = run(choice_machine(), json!({"x": 2}));
        let at = trace
            .events
            .iter()
            .position(|e| e.choice().is_some())
            .expect("the Choice state records its decision");
        let mut cursor = TraceCursor::new(&trace);
        cursor.seek(Some(at));
        let hl = highlight(&trace, &cursor);
        assert!(hl.current.contains(&p(&["C"])));
        assert!(hl.edges.contains(&(p(&["C"]), p(&["D"]))));
        assert!(!hl.visited.contains(&p(&["D"])), "D is not entered yet");
    }

    #[test]
    fn states_in_parallel_branches_have_nested_paths() {
        let trace = run(
            json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "X", "States": {
                    "X": {"Type": "Pass", "Next": "Y"},
                    "Y": {"Type": "Pass", "End": true}}}]}}}),
            json!({}),
        );
        let mut cursor = TraceCursor::new(&trace);
        cursor.seek_end();
        let hl = highlight(&trace, &cursor);
        assert!(hl.visited.contains(&p(&["P", "X"])));
        assert!(hl.visited.contains(&p(&["P", "Y"])));
        assert!(hl.edges.contains(&(p(&["P", "X"]), p(&["P", "Y"]))));
        assert!(!hl.visited.contains(&p(&["X"])));
    }

    fn run_mocked(
        asl: serde_json::Value,
        input: serde_json::Value,
        mocks: serde_json::Value,
    ) -> Trace {
        let doc = Document::parse_json(&asl.to_string()).expect("test machine parses");
        let config = SimConfig {
            mocks: crate::sim::TaskMocks::from_lists(&mocks).expect("test mocks"),
            ..SimConfig::default()
        };
        simulate(&doc.machine, input, &config)
    }

    /// The index and a cursor at event `at` (the last event when `None`).
    fn at(trace: &Trace, at: Option<usize>) -> (RunIndex, TraceCursor) {
        let mut cursor = TraceCursor::new(trace);
        match at {
            Some(i) => cursor.seek(Some(i)),
            None => cursor.seek_end(),
        }
        (RunIndex::new(trace), cursor)
    }

    fn hl_at(trace: &Trace, i: Option<usize>) -> RunHighlight {
        let (ix, cursor) = at(trace, i);
        ix.highlight(trace, &cursor, &Follow::new())
    }

    /// The index of the `nth` event of type `ty` (for the state `state`, if given).
    fn find(trace: &Trace, ty: &str, state: Option<&str>, nth: usize) -> usize {
        trace
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.event_type == ty && state.is_none_or(|s| e.path.state_name() == Some(s))
            })
            .nth(nth)
            .unwrap_or_else(|| panic!("no {ty} #{nth} for {state:?}"))
            .0
    }

    const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

    #[test]
    fn the_index_agrees_with_the_walk_at_every_cursor() {
        // Outside Maps, the cursor's own active/visited sets (a walk up to the cursor) and the index agree
        // everywhere.
        for trace in [
            run(choice_machine(), json!({"x": 1})),
            run(parallel_machine(), json!({})),
            polling(),
        ] {
            let ix = RunIndex::new(&trace);
            let mut cursor = TraceCursor::new(&trace);
            while cursor.step_forward() {
                let hl = ix.highlight(&trace, &cursor, &Follow::new());
                let visited: BTreeSet<Vec<String>> =
                    cursor.visited(&trace).iter().map(layout_path).collect();
                assert_eq!(hl.visited, visited, "at {:?}", cursor.index());
                for a in cursor.active(&trace) {
                    assert!(
                        hl.current.contains(&layout_path(&a)),
                        "at {:?}",
                        cursor.index()
                    );
                }
            }
        }
    }

    #[test]
    fn a_retried_task_is_retried_then_succeeded_stays_retried() {
        let trace = run_mocked(
            json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": LAMBDA, "End": true,
                "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 2}]}}}),
            json!({}),
            json!({"T": [{"Throw": {"Error": "Boom", "Cause": "x"}}, {"Return": {"ok": true}}]}),
        );
        let failed = find(&trace, "LambdaFunctionFailed", Some("T"), 0);
        assert_eq!(
            hl_at(&trace, Some(failed)).outcomes[&p(&["T"])],
            Outcome::Failed
        );
        let retry = find(&trace, "LambdaFunctionScheduled", Some("T"), 1);
        assert_eq!(
            hl_at(&trace, Some(retry)).outcomes[&p(&["T"])],
            Outcome::Retried
        );
        let end = hl_at(&trace, None);
        assert_eq!(end.outcomes[&p(&["T"])], Outcome::Retried);
        assert_eq!(end.visits[&p(&["T"])], 1, "a retry is not a second visit");
        // Before the failure the running task has no outcome yet.
        let entered = find(&trace, "TaskStateEntered", Some("T"), 0);
        assert!(
            !hl_at(&trace, Some(entered))
                .outcomes
                .contains_key(&p(&["T"]))
        );
    }

    #[test]
    fn a_caught_failure_colours_the_state_and_the_catch_transition() {
        let trace = run_mocked(
            json!({"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": LAMBDA, "Next": "Done",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}]},
                "Handle": {"Type": "Pass", "Next": "Done"},
                "Done": {"Type": "Succeed"}}}),
            json!({}),
            json!({"T": [{"Throw": {"Error": "Boom", "Cause": "x"}}]}),
        );
        let hl = hl_at(&trace, None);
        assert_eq!(hl.outcomes[&p(&["T"])], Outcome::Caught);
        assert_eq!(hl.outcomes[&p(&["Handle"])], Outcome::Succeeded);
        assert_eq!(hl.outcomes[&p(&["Done"])], Outcome::Succeeded);
        assert_eq!(
            hl.edge_outcomes[&(p(&["T"]), p(&["Handle"]))],
            Outcome::Caught
        );
        assert_eq!(
            hl.edge_outcomes[&(p(&["Handle"]), p(&["Done"]))],
            Outcome::Succeeded
        );
        assert!(!hl.edges.contains(&(p(&["T"]), p(&["Done"]))));
        let ix = RunIndex::new(&trace);
        let caught: Vec<(&Vec<String>, &Vec<String>, Outcome)> = ix
            .transitions()
            .iter()
            .map(|t| (ix.state_path(t.from), ix.state_path(t.to), t.outcome))
            .collect();
        assert_eq!(
            caught,
            [
                (&p(&["T"]), &p(&["Handle"]), Outcome::Caught),
                (&p(&["Handle"]), &p(&["Done"]), Outcome::Succeeded)
            ]
        );
    }

    #[test]
    fn an_uncaught_failure_is_failed() {
        let trace = run_mocked(
            json!({"StartAt": "A", "States": {
                "A": {"Type": "Pass", "Next": "T"},
                "T": {"Type": "Task", "Resource": LAMBDA, "End": true}}}),
            json!({}),
            json!({"T": [{"Throw": {"Error": "Boom", "Cause": "x"}}]}),
        );
        assert_eq!(trace.status, crate::trace::Status::Failed);
        let hl = hl_at(&trace, None);
        assert_eq!(hl.outcomes[&p(&["T"])], Outcome::Failed);
        assert_eq!(hl.outcomes[&p(&["A"])], Outcome::Succeeded);
        assert!(hl.current.is_empty());
    }

    #[test]
    fn a_failed_parallel_branch_caught_by_the_parallel() {
        let trace = run(
            json!({"StartAt": "P", "States": {
                "P": {"Type": "Parallel", "Next": "Ok",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Stop"}],
                    "Branches": [
                        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                        {"StartAt": "B", "States": {"B": {"Type": "Fail", "Error": "E"}}}]},
                "Ok": {"Type": "Succeed"},
                "Stop": {"Type": "Fail", "Error": "Final"}}}),
            json!({}),
        );
        let hl = hl_at(&trace, None);
        assert_eq!(hl.outcomes[&p(&["P", "A"])], Outcome::Succeeded);
        assert_eq!(hl.outcomes[&p(&["P", "B"])], Outcome::Failed);
        assert_eq!(hl.outcomes[&p(&["P"])], Outcome::Caught);
        assert_eq!(hl.outcomes[&p(&["Stop"])], Outcome::Failed);
        assert_eq!(
            hl.edge_outcomes[&(p(&["P"]), p(&["Stop"]))],
            Outcome::Caught
        );
    }

    /// A polling loop: Check (Task), then a Choice back through a 10 s Wait until the job is done.
    fn polling() -> Trace {
        run_mocked(
            json!({"StartAt": "Check", "States": {
                "Check": {"Type": "Task", "Resource": LAMBDA, "Next": "Done?"},
                "Done?": {"Type": "Choice", "Default": "Pause", "Choices": [
                    {"Variable": "$.state", "StringEquals": "READY", "Next": "Finish"}]},
                "Pause": {"Type": "Wait", "Seconds": 10, "Next": "Check"},
                "Finish": {"Type": "Succeed"}}}),
            json!({}),
            json!({"Check": [{"Return": {"state": "RUNNING"}}, {"Return": {"state": "RUNNING"}},
                {"Return": {"state": "READY"}}]}),
        )
    }

    #[test]
    fn loops_count_visits_up_to_the_cursor() {
        let trace = polling();
        let hl = hl_at(&trace, None);
        assert_eq!(hl.visits[&p(&["Check"])], 3);
        assert_eq!(hl.visits[&p(&["Done?"])], 3);
        assert_eq!(hl.visits[&p(&["Pause"])], 2);
        assert_eq!(hl.visits[&p(&["Finish"])], 1);
        let second = find(&trace, "TaskStateEntered", Some("Check"), 1);
        let mid = hl_at(&trace, Some(second));
        assert_eq!(mid.visits[&p(&["Check"])], 2);
        assert_eq!(mid.visits[&p(&["Pause"])], 1);
        assert!(!mid.visits.contains_key(&p(&["Finish"])));
        assert!(mid.current.contains(&p(&["Check"])));
        assert!(!mid.current.contains(&p(&["Pause"])));
    }

    #[test]
    fn transitions_in_order_with_their_virtual_time() {
        let trace = polling();
        let ix = RunIndex::new(&trace);
        let taken: Vec<(String, String, i64)> = ix
            .transitions()
            .iter()
            .map(|t| {
                (
                    ix.state_path(t.from).join("/"),
                    ix.state_path(t.to).join("/"),
                    t.time_ms,
                )
            })
            .collect();
        let t = |a: &str, b: &str, ms: i64| (a.to_owned(), b.to_owned(), ms);
        assert_eq!(
            taken,
            [
                t("Check", "Done?", 0),
                t("Done?", "Pause", 0),
                t("Pause", "Check", 10_000),
                t("Check", "Done?", 10_000),
                t("Done?", "Pause", 10_000),
                t("Pause", "Check", 20_000),
                t("Check", "Done?", 20_000),
                t("Done?", "Finish", 20_000),
            ]
        );
        // The transitions a step onto an event takes.
        let second = find(&trace, "TaskStateEntered", Some("Check"), 1);
        let step = ix.transitions_between(Some(second - 1), second);
        assert_eq!(step.len(), 1);
        assert_eq!(ix.state_path(step[0].to), &p(&["Check"]));
        assert!(ix.transitions_between(Some(second), second).is_empty());
        assert_eq!(ix.transitions_between(None, trace.events.len()).len(), 8);
    }

    #[test]
    fn a_wait_shows_its_virtual_time_and_the_cursor_its_time() {
        let trace = polling();
        let entered = find(&trace, "WaitStateEntered", Some("Pause"), 1);
        let hl = hl_at(&trace, Some(entered));
        assert_eq!(hl.time_ms, 10_000);
        let w = hl.waits[&p(&["Pause"])];
        assert_eq!((w.elapsed_ms, w.total_ms), (0, 10_000));
        assert_eq!(w.ends_at, Some(entered + 1));
        let exited = hl_at(&trace, Some(entered + 1));
        assert_eq!(exited.time_ms, 20_000);
        let w = exited.waits[&p(&["Pause"])];
        assert_eq!((w.elapsed_ms, w.total_ms), (10_000, 10_000));
        // Once the next state is entered the Wait is over.
        assert!(hl_at(&trace, Some(entered + 2)).waits.is_empty());
    }

    fn parallel_machine() -> serde_json::Value {
        json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "X", "States": {
                "X": {"Type": "Pass", "Next": "Y"},
                "Y": {"Type": "Pass", "End": true}}},
            {"StartAt": "Z", "States": {"Z": {"Type": "Wait", "Seconds": 5, "End": true}}}]}}})
    }

    #[test]
    fn running_parallel_branches_at_the_cursor() {
        let trace = run(parallel_machine(), json!({}));
        let branches = |i: usize| -> Vec<(usize, String, bool)> {
            hl_at(&trace, Some(i))
                .branches
                .iter()
                .map(|b| {
                    assert_eq!(b.parallel, p(&["P"]));
                    (b.branch, b.at.join("/"), b.started)
                })
                .collect()
        };
        let started = find(&trace, "ParallelStateStarted", Some("P"), 0);
        assert_eq!(
            branches(started),
            [(0, "P/X".into(), false), (1, "P/Z".into(), false)]
        );
        let y = find(&trace, "PassStateEntered", Some("Y"), 0);
        assert_eq!(
            branches(y),
            [(0, "P/Y".into(), true), (1, "P/Z".into(), false)]
        );
        // Branch 0 is over once Y exits; branch 1 runs until its Wait exits.
        let z = find(&trace, "WaitStateEntered", Some("Z"), 0);
        assert_eq!(branches(z), [(1, "P/Z".into(), true)]);
        assert!(branches(trace.events.len() - 1).is_empty());
        assert!(branches(find(&trace, "ParallelStateEntered", Some("P"), 0)).is_empty());
    }

    /// A Map over three items whose iterator takes a different path for odd and even items.
    fn map_trace() -> Trace {
        run(
            json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "End": true,
                "ItemProcessor": {"StartAt": "Which", "States": {
                    "Which": {"Type": "Choice", "Default": "Odd", "Choices": [
                        {"Variable": "$.even", "BooleanEquals": true, "Next": "Even"}]},
                    "Even": {"Type": "Pass", "End": true},
                    "Odd": {"Type": "Pass", "End": true}}}}}}),
            json!({"items": [{"even": true}, {"even": false}, {"even": true}]}),
        )
    }

    #[test]
    fn a_map_follows_the_running_iteration_or_the_one_picked() {
        let trace = map_trace();
        let m = p(&["M"]);
        // In the middle of iteration 1 (odd): its path, and only its.
        let odd = find(&trace, "PassStateEntered", Some("Odd"), 0);
        let hl = hl_at(&trace, Some(odd));
        let mp = &hl.maps[&m];
        assert_eq!(
            (mp.following, mp.picked, mp.started, mp.total),
            (Some(1), false, 2, 3)
        );
        assert!(hl.visited.contains(&p(&["M", "Odd"])));
        assert!(!hl.visited.contains(&p(&["M", "Even"])));
        assert_eq!(
            hl.visits[&p(&["M", "Which"])],
            1,
            "visits of the followed iteration"
        );
        assert!(hl.current.contains(&p(&["M", "Odd"])));
        // At the end the last iteration (even) is shown; picking 1 shows the odd path again.
        let (ix, cursor) = at(&trace, None);
        let end = ix.highlight(&trace, &cursor, &Follow::new());
        assert_eq!(end.maps[&m].following, Some(2));
        assert!(end.visited.contains(&p(&["M", "Even"])));
        assert!(!end.visited.contains(&p(&["M", "Odd"])));
        let follow: Follow = [(m.clone(), 1)].into();
        let picked = ix.highlight(&trace, &cursor, &follow);
        assert_eq!(
            (picked.maps[&m].following, picked.maps[&m].picked),
            (Some(1), true)
        );
        assert!(picked.visited.contains(&p(&["M", "Odd"])));
        assert!(!picked.visited.contains(&p(&["M", "Even"])));
        assert!(
            picked
                .edges
                .contains(&(p(&["M", "Which"]), p(&["M", "Odd"])))
        );
        assert!(
            !picked
                .edges
                .contains(&(p(&["M", "Which"]), p(&["M", "Even"])))
        );
        // The iterations, for picking one.
        let its = ix.iterations(&end.maps[&m]);
        assert_eq!(its.iter().map(|it| it.index).collect::<Vec<_>>(), [0, 1, 2]);
        assert!(its.iter().all(|it| it.outcome == Some(Outcome::Succeeded)));
        // Only the followed iteration's transitions are animated.
        let followed: Vec<usize> = ix
            .transitions()
            .iter()
            .filter(|t| ix.is_followed(&picked, t))
            .map(|t| t.event)
            .collect();
        assert_eq!(followed, [odd]);
    }
}
