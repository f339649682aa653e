//! Edits recorded as patches instead of copies: applying an [`Op`] records, for each primitive change, the
//! patch that takes the document back (the top-level state entries it touched, the machine's own fields,
//! a pin). A patch applied returns its own inverse, so the same patches serve undo and redo; what a step
//! costs is the size of what it changed, not the size of the document.
//!
//! Which top-level entries an operation may touch is its [`Footprint`], computed from the operation
//! before it runs: the entries of a state's top-level ancestor (any edit inside a Parallel or Map is a
//! change of that one top-level entry), or, for edits of the top-level scope, the machine's own fields,
//! the entries that refer to a renamed state, a removed entry, and appended entries.

use super::{Applied, EditError, Op, Scope, find_scope};
use crate::asl::{NamedState, StateMachine, States};
use crate::layout::Point;
use std::collections::BTreeMap;

/// Pins: user-placed top-left corners of states, by state name (graph units).
pub type Pins = BTreeMap<String, Point>;

/// One recorded change, holding what to put back. [`Patch::apply`] swaps it in and returns the inverse.
#[derive(Clone, Debug, PartialEq)]
pub enum Patch {
    /// The machine's own fields (everything but the `States` entries). `states` of the stored machine is
    /// only a marker of whether `States` is present (`Some` empty) or not (`None`).
    Head(Box<StateMachine>),
    /// The top-level entries `at..at + remove` are replaced by `insert`.
    Splice {
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
            Patch::Head(mut head) => {
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
                Patch::Head(head)
            }
            Patch::Splice { at, remove, insert } => {
                let count = insert.len();
                let list = &mut root.states.get_or_insert_with(States::default).0;
                let removed: Vec<NamedState> = list.splice(at..at + remove, insert).collect();
                Patch::Splice {
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

    /// Whether the patch changes the `States` list's length or order.
    fn is_structural(&self) -> bool {
        matches!(self, Patch::Splice { remove, insert, .. } if *remove != 1 || insert.len() != 1)
    }

    /// Whether an earlier patch of the same step, `earlier`, already restores everything `self` does (so
    /// that `self` can be dropped when no structural patch lies between them).
    fn covered_by(&self, earlier: &Patch) -> bool {
        match (self, earlier) {
            (Patch::Head(_) | Patch::Splice { .. } | Patch::Whole(_), Patch::Whole(_)) => true,
            (Patch::Head(_), Patch::Head(_)) => true,
            (Patch::Splice { at: a, .. }, Patch::Splice { at: b, .. }) => {
                !self.is_structural() && !earlier.is_structural() && a == b
            }
            (Patch::Pin(..) | Patch::AllPins(_), Patch::AllPins(_)) => true,
            (Patch::Pin(a, _), Patch::Pin(b, _)) => a == b,
            _ => false,
        }
    }

    /// Bytes this patch keeps alive (an estimate from the serialized size of the states it holds).
    pub fn held_bytes(&self) -> usize {
        use crate::asl::FieldValue;
        fn json_len(j: &crate::json::Json) -> usize {
            crate::json::compact_text(j).len()
        }
        std::mem::size_of::<Patch>()
            + match self {
                Patch::Head(m) | Patch::Whole(m) => json_len(&m.to_json()),
                Patch::Splice { insert, .. } => insert
                    .iter()
                    .map(|n| n.name.as_str().len() + json_len(&n.state.to_json()))
                    .sum(),
                Patch::Pin(name, _) => name.len(),
                Patch::AllPins(all) => all.keys().map(|k| k.len() + 8).sum(),
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
        let covered = !structural_seen && !p.is_structural() && step.iter().any(|e| p.covered_by(e));
        if !covered {
            step.push(p);
        }
    }
}

/// Which parts of the machine a primitive operation may change.
#[derive(Default, Debug)]
struct Footprint {
    whole: bool,
    head: bool,
    /// Top-level entries changed in place.
    slots: Vec<usize>,
    /// A top-level entry that may be removed (no other entry is changed in place).
    remove: Option<usize>,
}

/// Index of the first top-level entry named `name`.
fn position(root: &StateMachine, name: &str) -> Option<usize> {
    root.states().iter().position(|n| n.name.as_str() == name)
}

/// The top-level entry a scope lies in (`None` for the top-level scope itself).
fn owner_of_scope(root: &StateMachine, scope: &Scope) -> Option<usize> {
    scope.0.first().and_then(|(owner, _)| position(root, owner))
}

/// The footprint of an edit of the scope `scope` that adds states or changes the machine's fields.
fn scope_footprint(root: &StateMachine, scope: &Scope) -> Footprint {
    if scope.is_root() {
        Footprint {
            head: true,
            ..Footprint::default()
        }
    } else {
        Footprint {
            slots: owner_of_scope(root, scope).into_iter().collect(),
            ..Footprint::default()
        }
    }
}

/// The footprint of an edit of the state `name` itself: its top-level entry.
fn state_footprint(root: &StateMachine, name: &str) -> Footprint {
    let slots = match find_scope(root, name) {
        Some(s) if s.is_root() => position(root, name).into_iter().collect(),
        Some(s) => owner_of_scope(root, &s).into_iter().collect(),
        None => Vec::new(),
    };
    Footprint {
        slots,
        ..Footprint::default()
    }
}

fn footprint(root: &StateMachine, op: &Op) -> Footprint {
    match op {
        Op::AddState { scope, .. } | Op::SetMachineField { scope, .. } | Op::Paste { scope, .. } => {
            scope_footprint(root, scope)
        }
        Op::Delete { name } => match find_scope(root, name) {
            Some(s) if s.is_root() => Footprint {
                head: true,
                remove: position(root, name),
                ..Footprint::default()
            },
            _ => state_footprint(root, name),
        },
        Op::Rename { from, .. } => match find_scope(root, from) {
            Some(s) if s.is_root() => Footprint {
                head: true,
                slots: root
                    .states()
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| {
                        n.name.as_str() == from
                            || n.state.edges().iter().any(|e| e.target == from)
                    })
                    .map(|(i, _)| i)
                    .collect(),
                ..Footprint::default()
            },
            _ => state_footprint(root, from),
        },
        Op::Connect { from: name, .. }
        | Op::SetEnd { name }
        | Op::AddBranch { parallel: name }
        | Op::SetField { name, .. } => state_footprint(root, name),
        Op::InsertIntoEdge { scope, from, .. } => {
            let mut f = scope_footprint(root, scope);
            if scope.is_root() {
                f.slots = from.as_deref().and_then(|n| position(root, n)).into_iter().collect();
            }
            f
        }
        Op::Duplicate { name } => match find_scope(root, name) {
            Some(s) => scope_footprint(root, &s),
            None => Footprint::default(),
        },
        Op::ReplaceMachine(_) | Op::DeleteMany { .. } | Op::DuplicateMany { .. } | Op::Group(_) => {
            Footprint {
                whole: true,
                ..Footprint::default()
            }
        }
        Op::Pin { .. } | Op::ClearPins => Footprint::default(),
    }
}

/// The machine without its `States` entries (a marker of whether `States` is present).
fn head_of(root: &mut StateMachine) -> StateMachine {
    let list = root.states.take();
    let mut head = root.clone();
    head.states = list.is_some().then(States::default);
    root.states = list;
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
        if fp.whole {
            let before = self.root.clone();
            let result = super::apply_in_place(self.root, op);
            if result.is_ok() && *self.root != before {
                self.log.push(Patch::Whole(Box::new(before)));
            } else {
                *self.root = before;
            }
            return result;
        }
        let head = fp.head.then(|| head_of(self.root));
        let list = self.root.states();
        let before_len = list.len();
        let slots: Vec<(usize, NamedState)> =
            fp.slots.iter().map(|&i| (i, list[i].clone())).collect();
        let removable = fp.remove.map(|i| list[i].clone());
        let result = super::apply_in_place(self.root, op);
        let mut patches = Vec::new();
        if let Some(head) = head
            && head_of(self.root) != head
        {
            patches.push(Patch::Head(Box::new(head)));
        }
        let after_len = self.root.states().len();
        if after_len < before_len {
            let (Some(i), Some(entry), true) = (fp.remove, removable, after_len + 1 == before_len)
            else {
                panic!("edit footprint: {op:?} removed entries it did not declare");
            };
            patches.push(Patch::Splice {
                at: i,
                remove: 0,
                insert: vec![entry],
            });
        } else {
            for (i, entry) in slots {
                if self.root.states()[i] != entry {
                    patches.push(Patch::Splice {
                        at: i,
                        remove: 1,
                        insert: vec![entry],
                    });
                }
            }
            if after_len > before_len {
                patches.push(Patch::Splice {
                    at: before_len,
                    remove: after_len - before_len,
                    insert: Vec::new(),
                });
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
                Ok(super::applied(format!("{verb} {name}"), Some(name)))
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
                first.ok_or_else(|| EditError::NotAllowed("nothing to do".into()))
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
