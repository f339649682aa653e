//! Edits recorded as patches instead of copies: applying an [`Op`] records, for each primitive change, the
//! patch that takes the document back (the state entries it touched, a machine's own fields, a pin). A patch applied returns its own inverse, so the same patches serve undo and redo; what a step
//! costs is the size of what it changed, not the size of the document.
//!
//! What an operation may touch is its [`Footprint`], computed from the operation before it runs: within
//! the one machine (top level, Parallel branch or Map processor) it works in, the edited state's entry, the
//! entries that refer to a renamed state, the machine's own fields, a removed entry, appended entries.
//! Those parts are copied before the operation runs; after it, the ones that changed make the patches.

use super::{Applied, EditError, Op, Scope, find_scope, machine_at, machine_at_mut};
use crate::asl::{NamedState, StateMachine, States};
use crate::layout::Point;
use std::collections::BTreeMap;

/// Pins: user-placed top-left corners of states, by state name (graph units).
pub type Pins = BTreeMap<String, Point>;

/// One recorded change, holding what to put back. [`Patch::apply`] swaps it in and returns the inverse.
#[derive(Clone, Debug, PartialEq)]
pub enum Patch {
    /// The own fields (everything but the `States` entries) of the machine at `scope`. `states` of the
    /// stored machine is only a marker of whether `States` is present (`Some` empty) or not (`None`).
    Head(Scope, Box<StateMachine>),
    /// The entries `at..at + remove` of the `States` of the machine at `scope` are replaced by `insert`.
    Splice {
        scope: Scope,
        at: usize,
        remove: usize,
        insert: Vec<NamedState>,
    },
    /// The whole machine (the code view's edits).
    Whole(Box<StateMachine>),
    /// One pin (`None`: not pinned).
    Pin(String, Option<Point>),
    /// Every pin.
    AllPins(Pins),
}

impl Patch {
    /// Swaps the patch into `root`/`pins`; returns the patch that undoes that.
    pub fn apply(self, root: &mut StateMachine, pins: &mut Pins) -> Patch {
        match self {
            Patch::Head(scope, mut head) => {
                let root = scope_mut(root, &scope);
                let list = root.states.take();
                let present = head.states.is_some();
                std::mem::swap(root, &mut *head);
                head.states = list.is_some().then(States::default);
                root.states = if present {
                    Some(list.unwrap_or_default())
                } else {
                    debug_assert!(list.as_ref().is_none_or(States::is_empty));
                    None
                };
                Patch::Head(scope, head)
            }
            Patch::Splice {
                scope,
                at,
                remove,
                insert,
            } => {
                let count = insert.len();
                let list = &mut scope_mut(root, &scope)
                    .states
                    .get_or_insert_with(States::default)
                    .0;
                let removed: Vec<NamedState> = list.splice(at..at + remove, insert).collect();
                Patch::Splice {
                    scope,
                    at,
                    remove: count,
                    insert: removed,
                }
            }
            Patch::Whole(mut m) => {
                std::mem::swap(root, &mut *m);
                Patch::Whole(m)
            }
            Patch::Pin(name, at) => {
                let before = match at {
                    Some(p) => pins.insert(name.clone(), p),
                    None => pins.remove(&name),
                };
                Patch::Pin(name, before)
            }
            Patch::AllPins(mut all) => {
                std::mem::swap(pins, &mut all);
                Patch::AllPins(all)
            }
        }
    }

    /// Whether the patch changes the machine (not only pins).
    pub fn touches_machine(&self) -> bool {
        !matches!(self, Patch::Pin(..) | Patch::AllPins(_))
    }

    /// Whether the patch changes the `States` list's length or order.
    fn is_structural(&self) -> bool {
        matches!(self, Patch::Splice { remove, insert, .. } if *remove != 1 || insert.len() != 1)
    }

    /// Whether an earlier patch of the same step, `earlier`, already restores everything `self` does (so
    /// that `self` can be dropped when no structural patch lies between them).
    fn covered_by(&self, earlier: &Patch) -> bool {
        match (self, earlier) {
            (Patch::Head(..) | Patch::Splice { .. } | Patch::Whole(_), Patch::Whole(_)) => true,
            (Patch::Head(a, _), Patch::Head(b, _)) => a == b,
            (
                Patch::Splice {
                    scope: s, at: a, ..
                },
                Patch::Splice {
                    scope: t, at: b, ..
                },
            ) => !self.is_structural() && !earlier.is_structural() && s == t && a == b,
            (Patch::Pin(..) | Patch::AllPins(_), Patch::AllPins(_)) => true,
            (Patch::Pin(a, _), Patch::Pin(b, _)) => a == b,
            _ => false,
        }
    }
}

/// Applies a step's patches (last recorded first); returns the patches that re-apply the step, in the
/// order this function expects them.
pub fn apply_step(patches: Vec<Patch>, root: &mut StateMachine, pins: &mut Pins) -> Vec<Patch> {
    patches
        .into_iter()
        .rev()
        .map(|p| p.apply(root, pins))
        .collect()
}

/// Appends the patches of a later change to a step, dropping those the step already covers (keystrokes
/// into one field keep only the value from before the first).
pub fn merge_into(step: &mut Vec<Patch>, later: Vec<Patch>) {
    for p in later {
        let structural_seen = step.iter().any(Patch::is_structural);
        let covered =
            !structural_seen && !p.is_structural() && step.iter().any(|e| p.covered_by(e));
        if !covered {
            step.push(p);
        }
    }
}

/// The machine at `scope`, which a patch recorded there finds again: patches are applied in the reverse
/// order of their recording, so the document is as it was right after the change the patch undoes.
fn scope_mut<'a>(root: &'a mut StateMachine, scope: &Scope) -> &'a mut StateMachine {
    machine_at_mut(root, scope).expect("the scope of a recorded patch exists when it is applied")
}

/// Which parts of the machine a primitive operation may change: within the machine at `scope`, its own
/// fields, some entries in place, one removed entry, entries appended. Everything else stays as it is.
#[derive(Debug)]
struct Footprint {
    /// `None`: anything (the whole machine is kept).
    scope: Option<Scope>,
    head: bool,
    /// Entries changed in place.
    slots: Vec<usize>,
    /// An entry that may be removed (then no entry is changed in place).
    remove: Option<usize>,
}

impl Footprint {
    fn whole() -> Footprint {
        Footprint {
            scope: None,
            head: false,
            slots: Vec::new(),
            remove: None,
        }
    }

    /// The machine's fields, and entries appended.
    fn scope(scope: &Scope) -> Footprint {
        Footprint {
            scope: Some(scope.clone()),
            head: true,
            ..Footprint::whole()
        }
    }
}

/// Index of the first entry named `name` in the machine at `scope`.
fn position(root: &StateMachine, scope: &Scope, name: &str) -> Option<usize> {
    machine_at(root, scope)?
        .states()
        .iter()
        .position(|n| n.name.as_str() == name)
}

/// The state `name` itself: its entry in its scope.
fn state_footprint(root: &StateMachine, name: &str) -> Footprint {
    match find_scope(root, name) {
        Some(s) => Footprint {
            slots: position(root, &s, name).into_iter().collect(),
            scope: Some(s),
            head: false,
            remove: None,
        },
        None => Footprint::whole(),
    }
}

fn footprint(root: &StateMachine, op: &Op) -> Footprint {
    match op {
        Op::AddState { scope, .. }
        | Op::SetMachineField { scope, .. }
        | Op::Paste { scope, .. } => Footprint::scope(scope),
        Op::Delete { name } => match find_scope(root, name) {
            Some(s) => Footprint {
                remove: position(root, &s, name),
                ..Footprint::scope(&s)
            },
            None => Footprint::whole(),
        },
        Op::Rename { from, .. } => match find_scope(root, from) {
            Some(s) => Footprint {
                slots: machine_at(root, &s)
                    .map(|m| m.states())
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| {
                        n.name.as_str() == from || n.state.edges().iter().any(|e| e.target == from)
                    })
                    .map(|(i, _)| i)
                    .collect(),
                ..Footprint::scope(&s)
            },
            None => Footprint::whole(),
        },
        Op::Connect { from: name, .. }
        | Op::SetEnd { name }
        | Op::AddBranch { parallel: name }
        | Op::SetField { name, .. } => state_footprint(root, name),
        Op::InsertIntoEdge { scope, from, .. } => Footprint {
            slots: from
                .as_deref()
                .and_then(|n| position(root, scope, n))
                .into_iter()
                .collect(),
            ..Footprint::scope(scope)
        },
        Op::Duplicate { name } => match find_scope(root, name) {
            Some(s) => Footprint::scope(&s),
            None => Footprint::whole(),
        },
        Op::SetQueryLanguage {
            state: Some(name), ..
        } => state_footprint(root, name),
        Op::SetQueryLanguage { state: None, .. } => Footprint::scope(&Scope::root()),
        Op::ReplaceMachine(_)
        | Op::RemoveInapplicable { .. }
        | Op::DeleteMany { .. }
        | Op::DuplicateMany { .. }
        | Op::Group(_)
        | Op::Pin { .. }
        | Op::ClearPins => Footprint::whole(),
    }
}

/// The machine without its `States` entries (a marker of whether `States` is present).
fn head_of(m: &mut StateMachine) -> StateMachine {
    let list = m.states.take();
    let mut head = m.clone();
    head.states = list.is_some().then(States::default);
    m.states = list;
    head
}

/// A recording of primitive changes.
struct Recorder<'a> {
    root: &'a mut StateMachine,
    pins: &'a mut Pins,
    log: Vec<Patch>,
}

impl Recorder<'_> {
    fn set_pin(&mut self, name: &str, at: Option<Point>) {
        if self.pins.get(name) != at.as_ref() {
            let undo = Patch::Pin(name.to_owned(), at).apply(self.root, self.pins);
            self.log.push(undo);
        }
    }

    /// One machine operation (not a composite one), recorded by its footprint.
    fn primitive(&mut self, op: &Op) -> Result<Applied, EditError> {
        let fp = footprint(self.root, op);
        let Some(scope) = fp.scope.filter(|s| machine_at(self.root, s).is_some()) else {
            let before = self.root.clone();
            let result = super::apply_in_place(self.root, op);
            if result.is_ok() && *self.root != before {
                self.log.push(Patch::Whole(Box::new(before)));
            } else {
                *self.root = before;
            }
            return result;
        };
        let m = scope_mut(self.root, &scope);
        let head = fp.head.then(|| head_of(m));
        let list = m.states();
        let before_len = list.len();
        let slots: Vec<(usize, NamedState)> =
            fp.slots.iter().map(|&i| (i, list[i].clone())).collect();
        let removable = fp.remove.map(|i| list[i].clone());
        let result = super::apply_in_place(self.root, op);
        let m = scope_mut(self.root, &scope);
        let mut patches = Vec::new();
        if let Some(head) = head
            && head_of(m) != head
        {
            patches.push(Patch::Head(scope.clone(), Box::new(head)));
        }
        let after_len = m.states().len();
        let splice = |at, remove, insert| Patch::Splice {
            scope: scope.clone(),
            at,
            remove,
            insert,
        };
        if after_len < before_len {
            let (Some(i), Some(entry), true) = (fp.remove, removable, after_len + 1 == before_len)
            else {
                panic!("edit footprint: {op:?} removed entries it did not declare");
            };
            patches.push(splice(i, 0, vec![entry]));
        } else {
            for (i, entry) in slots {
                if m.states()[i] != entry {
                    patches.push(splice(i, 1, vec![entry]));
                }
            }
            if after_len > before_len {
                patches.push(splice(before_len, after_len - before_len, Vec::new()));
            }
        }
        match result {
            Ok(applied) => {
                self.log.extend(patches);
                Ok(applied)
            }
            Err(e) => {
                // A refused operation changes nothing.
                apply_step(patches, self.root, self.pins);
                Err(e)
            }
        }
    }

    fn op(&mut self, op: &Op) -> Result<Applied, EditError> {
        match op {
            Op::Pin { name, at } => {
                if at.is_some() && find_scope(self.root, name).is_none() {
                    return Err(EditError::NoSuchState(name.clone()));
                }
                self.set_pin(name, *at);
                let verb = if at.is_some() { "Move" } else { "Unpin" };
                // Moving keeps the selection as it is (several states move together).
                Ok(super::applied(format!("{verb} {name}"), None))
            }
            Op::ClearPins => {
                if !self.pins.is_empty() {
                    let undo = Patch::AllPins(Pins::new()).apply(self.root, self.pins);
                    self.log.push(undo);
                }
                Ok(super::applied("Auto-layout", None))
            }
            Op::Group(ops) => {
                let mut first = None;
                for op in ops {
                    let a = self.op(op)?;
                    first.get_or_insert(a);
                }
                let mut a = first.ok_or_else(|| EditError::NotAllowed("nothing to do".into()))?;
                if ops.len() > 1 && ops.iter().all(|o| matches!(o, Op::Pin { at: Some(_), .. })) {
                    a.label = format!("Move {} states", ops.len());
                }
                Ok(a)
            }
            Op::DeleteMany { names } => {
                if names.is_empty() {
                    return Err(EditError::NotAllowed("nothing to delete".into()));
                }
                for name in names {
                    find_scope(self.root, name)
                        .ok_or_else(|| EditError::NoSuchState(name.clone()))?;
                }
                for name in super::unique(names) {
                    // A state inside a container deleted before it went with the container.
                    if find_scope(self.root, name).is_some() {
                        self.op(&Op::Delete { name: name.clone() })?;
                    }
                }
                Ok(super::applied(super::many_label("Delete", names), None))
            }
            Op::DuplicateMany { names } => {
                if names.is_empty() {
                    return Err(EditError::NotAllowed("nothing to duplicate".into()));
                }
                let mut out: Vec<String> = Vec::new();
                for (scope, group) in super::group_by_scope(self.root, names)? {
                    let states = super::copy_states(self.root, &group);
                    let a = self.primitive(&Op::Paste { scope, states })?;
                    out.extend(a.select);
                    out.extend(a.also_select);
                }
                let mut a = super::applied(
                    super::many_label("Duplicate", names),
                    out.first().map(String::as_str),
                );
                a.also_select = out.into_iter().skip(1).collect();
                Ok(a)
            }
            Op::Delete { name } => {
                // The pins of the state and of every state nested in it go with it.
                let gone: Vec<String> = super::find_state(self.root, name)
                    .map(|s| {
                        let mut v = vec![name.clone()];
                        for m in s.child_machines() {
                            v.extend(m.all_state_names().into_iter().map(str::to_owned));
                        }
                        v
                    })
                    .unwrap_or_default();
                let a = self.primitive(op)?;
                for n in gone {
                    self.set_pin(&n, None);
                }
                Ok(a)
            }
            Op::Rename { from, to } => {
                let a = self.primitive(op)?;
                if from != to
                    && let Some(p) = self.pins.get(from).copied()
                {
                    self.set_pin(from, None);
                    self.set_pin(to, Some(p));
                }
                Ok(a)
            }
            _ => self.primitive(op),
        }
    }
}

/// Applies `op` to `root` and `pins`; returns what it did and the patches that undo it (applied with
/// [`apply_step`]). On error nothing is changed.
pub fn apply_recorded(
    root: &mut StateMachine,
    pins: &mut Pins,
    op: &Op,
) -> Result<(Applied, Vec<Patch>), EditError> {
    let mut rec = Recorder {
        root,
        pins,
        log: Vec::new(),
    };
    match rec.op(op) {
        Ok(a) => Ok((a, rec.log)),
        Err(e) => {
            let log = std::mem::take(&mut rec.log);
            apply_step(log, rec.root, rec.pins);
            Err(e)
        }
    }
}
