//! The document operations the designer invokes. Each one is an [`Op`], applied through
//! [`Editor::apply`](history::Editor::apply) as one undoable step; every operation keeps the machine
//! serializable and keeps references consistent where the spec requires it (rename updates every
//! `Next`/`Default`/Choice/Catch/`StartAt` reference in the state's scope).
//!
//! States are addressed by name: the designer gives every state a name unique in the whole machine,
//! nested scopes included, so a name finds one state. Scopes (the top level, a Parallel branch, a Map
//! processor) are addressed by a [`Scope`].

pub mod follow;
pub mod history;
pub mod query_language;
pub mod record;
pub mod templates;

use crate::asl::{
    Catcher, ChoiceRule, EdgeKind, NamedState, State, StateMachine, StateType, States,
};
use crate::json::{JStr, Json};
use std::fmt;

pub use history::Editor;
pub use record::Pins;

/// Where a machine sits: the top level (empty), or a chain of `(state name, child index)` steps where the
/// child index picks a Parallel branch (or 0 for a Map's processor).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(pub Vec<(String, usize)>);

impl Scope {
    pub fn root() -> Scope {
        Scope(Vec::new())
    }

    /// The scope inside child `index` of the state `owner` (which lives in `self`).
    pub fn child(&self, owner: &str, index: usize) -> Scope {
        let mut steps = self.0.clone();
        steps.push((owner.to_owned(), index));
        Scope(steps)
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

/// How a new transition is made by [`Op::Connect`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectKind {
    /// `Next` for ordinary states; for a Choice: `Default` when it has none, else a new rule.
    Auto,
    Next,
    /// A new Choice rule (a comparison skeleton to fill in).
    ChoiceRule,
    Default,
    /// A new catcher for `States.ALL`.
    Catch,
}

/// One undoable edit.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Adds a state to a scope. `template` is the state to add (its `Type` decides the default name);
    /// when the scope is empty the state becomes its `StartAt`.
    AddState {
        scope: Scope,
        template: State,
        name: Option<String>,
    },
    /// Removes a state; transitions into it become dangling (the validator reports them).
    Delete {
        name: String,
    },
    Rename {
        from: String,
        to: String,
    },
    Connect {
        from: String,
        to: String,
        kind: ConnectKind,
    },
    /// `End: true` (and no `Next`).
    SetEnd {
        name: String,
    },
    /// Puts a new state on an edge: `from --kind--> target` becomes `from --kind--> new --Next--> target`.
    /// `from: None` means the scope's `StartAt`.
    InsertIntoEdge {
        scope: Scope,
        from: Option<String>,
        kind: EdgeKind,
        template: State,
    },
    /// Adds a branch (with one Pass state) to a Parallel state.
    AddBranch {
        parallel: String,
    },
    /// Sets (`Some`) or removes (`None`) a field of a state by its spec key.
    SetField {
        name: String,
        key: String,
        value: Option<Json>,
    },
    /// Sets or removes a field of a machine (`Comment`, `TimeoutSeconds`, `StartAt`, …).
    SetMachineField {
        scope: Scope,
        key: String,
        value: Option<Json>,
    },
    /// Copies a state (with its nested machines) under fresh names, into the same scope.
    Duplicate {
        name: String,
    },
    /// Removes several states as one step (a multi-selection); each as [`Op::Delete`] does.
    DeleteMany {
        names: Vec<String>,
    },
    /// Copies several states as one step, each into its own scope; transitions among copies of one scope
    /// follow the copies (as [`Op::Paste`] does).
    DuplicateMany {
        names: Vec<String>,
    },
    /// Adds states copied with [`copy_states`]: a JSON object of name → state. Names are made unique and
    /// transitions among the pasted states follow their new names.
    Paste {
        scope: Scope,
        states: Json,
    },
    /// Replaces the whole machine (the code view's edits).
    ReplaceMachine(Box<StateMachine>),
    /// Sets (`Some`) or removes (`None`, inherit) the `QueryLanguage` of a state, or of the top-level
    /// machine when `state` is `None`. The other language's fields stay (see [`query_language`]).
    SetQueryLanguage {
        state: Option<String>,
        language: Option<query_language::QueryLanguage>,
    },
    /// Removes every field that does not apply in its state's query language, in the given states (every
    /// state when empty), as one step.
    RemoveInapplicable {
        states: Vec<String>,
    },
    /// Pins a state's box at a top-left corner (graph units), or unpins it (`None`).
    Pin {
        name: String,
        at: Option<crate::layout::Point>,
    },
    /// Forgets every pin (Auto-layout).
    ClearPins,
    /// Several operations as one step (a palette drop: add the state, pin it where it was dropped); the
    /// label and selection are the first one's.
    Group(Vec<Op>),
}

/// Why an operation was refused. A refused operation changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    NoSuchState(String),
    NoSuchScope,
    NameTaken(String),
    BadName(String),
    /// The two states live in different scopes (ASL transitions stay inside one scope).
    DifferentScopes,
    /// The state's type does not allow this (for example `Next` on a Succeed state).
    NotAllowed(String),
    /// A field key the model does not know, or a value of the wrong shape.
    BadField(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NoSuchState(n) => write!(f, "there is no state named \"{n}\""),
            EditError::NoSuchScope => write!(f, "that branch or processor does not exist"),
            EditError::NameTaken(n) => write!(f, "a state named \"{n}\" already exists"),
            EditError::BadName(why) => write!(f, "invalid state name: {why}"),
            EditError::DifferentScopes => {
                write!(f, "states in different branches cannot be connected")
            }
            EditError::NotAllowed(why) => write!(f, "{why}"),
            EditError::BadField(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for EditError {}

/// What an applied operation did: a label for the undo menu and the state to select afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub label: String,
    pub select: Option<String>,
    /// Further states to select with `select` (the copies of a multi-duplicate, say).
    pub also_select: Vec<String>,
}

/// Longest state name the spec allows.
pub const MAX_NAME_CHARS: usize = 80;

/// Checks a state name the user typed.
pub fn check_name(name: &str) -> Result<(), EditError> {
    if name.trim().is_empty() {
        return Err(EditError::BadName("the name is empty".into()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(EditError::BadName(format!(
            "longer than {MAX_NAME_CHARS} characters"
        )));
    }
    Ok(())
}

/// The machine at `scope`.
pub fn machine_at<'a>(root: &'a StateMachine, scope: &Scope) -> Option<&'a StateMachine> {
    let mut m = root;
    for (owner, index) in &scope.0 {
        m = m.state(owner)?.child_machines().into_iter().nth(*index)?;
    }
    Some(m)
}

pub fn machine_at_mut<'a>(
    root: &'a mut StateMachine,
    scope: &Scope,
) -> Option<&'a mut StateMachine> {
    let mut m = root;
    for (owner, index) in &scope.0 {
        m = m
            .state_mut(owner)?
            .child_machines_mut()
            .into_iter()
            .nth(*index)?;
    }
    Some(m)
}

/// The scope holding the first state named `name` (document order, depth first).
pub fn find_scope(root: &StateMachine, name: &str) -> Option<Scope> {
    fn walk(m: &StateMachine, scope: &Scope, name: &str) -> Option<Scope> {
        if m.state(name).is_some() {
            return Some(scope.clone());
        }
        for n in m.states() {
            for (i, child) in n.state.child_machines().into_iter().enumerate() {
                if let Some(s) = walk(child, &scope.child(&n.name, i), name) {
                    return Some(s);
                }
            }
        }
        None
    }
    walk(root, &Scope::root(), name)
}

/// The state named `name`, wherever it is.
pub fn find_state<'a>(root: &'a StateMachine, name: &str) -> Option<&'a State> {
    let scope = find_scope(root, name)?;
    machine_at(root, &scope)?.state(name)
}

fn find_state_mut<'a>(root: &'a mut StateMachine, name: &str) -> Result<&'a mut State, EditError> {
    let scope = find_scope(root, name).ok_or_else(|| EditError::NoSuchState(name.into()))?;
    machine_at_mut(root, &scope)
        .and_then(|m| m.state_mut(name))
        .ok_or_else(|| EditError::NoSuchState(name.into()))
}

/// `base`, or `base 2`, `base 3`, … — the first not used anywhere in `root` nor in `also_taken`.
pub fn unique_name(root: &StateMachine, base: &str, also_taken: &[String]) -> String {
    let taken: std::collections::HashSet<&str> = root
        .all_state_names()
        .into_iter()
        .chain(also_taken.iter().map(String::as_str))
        .collect();
    if !taken.contains(base) {
        return base.to_owned();
    }
    (2..)
        .map(|i| format!("{base} {i}"))
        .find(|n| !taken.contains(n.as_str()))
        .unwrap_or_default()
}

/// The default name for a new state of a type: `Task 1`, `Task 2`, …
pub fn default_name(
    root: &StateMachine,
    state_type: Option<StateType>,
    also_taken: &[String],
) -> String {
    let base = state_type.map_or("State", StateType::name);
    let taken: std::collections::HashSet<&str> = root
        .all_state_names()
        .into_iter()
        .chain(also_taken.iter().map(String::as_str))
        .collect();
    (1..)
        .map(|i| format!("{base} {i}"))
        .find(|n| !taken.contains(n.as_str()))
        .unwrap_or_default()
}

/// Copies states of one scope as a JSON object (name → state), for the clipboard.
pub fn copy_states(root: &StateMachine, names: &[String]) -> Json {
    let mut states = Vec::new();
    for name in names {
        if let Some(s) = find_state(root, name) {
            states.push(NamedState {
                name: JStr::new(name.as_str()),
                state: s.clone(),
            });
        }
    }
    crate::asl::field::FieldValue::to_json(&States(states))
}

fn states_mut(m: &mut StateMachine) -> &mut Vec<NamedState> {
    &mut m.states.get_or_insert_with(States::default).0
}

/// Applies an operation to a machine (pins aside). On error the machine is unchanged.
pub fn apply(root: &mut StateMachine, op: &Op) -> Result<Applied, EditError> {
    record::apply_recorded(root, &mut Pins::new(), op).map(|(a, _)| a)
}

fn applied(label: impl Into<String>, select: Option<&str>) -> Applied {
    Applied {
        label: label.into(),
        select: select.map(str::to_owned),
        also_select: Vec::new(),
    }
}

fn apply_in_place(root: &mut StateMachine, op: &Op) -> Result<Applied, EditError> {
    match op {
        Op::AddState {
            scope,
            template,
            name,
        } => {
            let name = match name {
                Some(n) => {
                    check_name(n)?;
                    if root.all_state_names().contains(&n.as_str()) {
                        return Err(EditError::NameTaken(n.clone()));
                    }
                    n.clone()
                }
                None => default_name(root, template.state_type(), &[]),
            };
            let mut state = template.clone();
            fresh_nested_names(root, &mut state, std::slice::from_ref(&name));
            let m = machine_at_mut(root, scope).ok_or(EditError::NoSuchScope)?;
            if m.states().is_empty() || m.start_at.is_none() {
                m.start_at = Some(JStr::new(name.as_str()));
            }
            states_mut(m).push(NamedState {
                name: JStr::new(name.as_str()),
                state,
            });
            Ok(applied(format!("Add {name}"), Some(&name)))
        }
        Op::Delete { name } => {
            let scope =
                find_scope(root, name).ok_or_else(|| EditError::NoSuchState(name.clone()))?;
            let m = machine_at_mut(root, &scope).ok_or(EditError::NoSuchScope)?;
            let list = states_mut(m);
            let i = list
                .iter()
                .position(|n| n.name.as_str() == name)
                .ok_or_else(|| EditError::NoSuchState(name.clone()))?;
            let removed = list.remove(i);
            if m.start_at.as_deref() == Some(name.as_str())
                && let Some(next) = removed.state.next
            {
                m.start_at = Some(next);
            }
            Ok(applied(format!("Delete {name}"), None))
        }
        Op::Rename { from, to } => {
            check_name(to)?;
            if from == to {
                return Ok(applied(format!("Rename {from}"), Some(to)));
            }
            if root.all_state_names().contains(&to.as_str()) {
                return Err(EditError::NameTaken(to.clone()));
            }
            let scope =
                find_scope(root, from).ok_or_else(|| EditError::NoSuchState(from.clone()))?;
            let m = machine_at_mut(root, &scope).ok_or(EditError::NoSuchScope)?;
            rename_in_machine(m, from, to);
            Ok(applied(format!("Rename {from} to {to}"), Some(to)))
        }
        Op::Connect { from, to, kind } => {
            let scope =
                find_scope(root, from).ok_or_else(|| EditError::NoSuchState(from.clone()))?;
            let to_exists = find_scope(root, to).is_some();
            let m = machine_at_mut(root, &scope).ok_or(EditError::NoSuchScope)?;
            if m.state(to).is_none() {
                return Err(if to_exists {
                    EditError::DifferentScopes
                } else {
                    EditError::NoSuchState(to.clone())
                });
            }
            let s = m
                .state_mut(from)
                .ok_or_else(|| EditError::NoSuchState(from.clone()))?;
            connect(s, to, *kind)?;
            Ok(applied(format!("Connect {from} to {to}"), Some(from)))
        }
        Op::SetEnd { name } => {
            let s = find_state_mut(root, name)?;
            if !s.state_type().is_none_or(StateType::has_transition) {
                return Err(EditError::NotAllowed(format!(
                    "a {} state takes no End",
                    s.type_.as_deref().unwrap_or("?")
                )));
            }
            s.next = None;
            s.end = Some(true);
            Ok(applied(format!("End at {name}"), Some(name)))
        }
        Op::InsertIntoEdge {
            scope,
            from,
            kind,
            template,
        } => {
            let new_name = default_name(root, template.state_type(), &[]);
            let mut state = template.clone();
            fresh_nested_names(root, &mut state, std::slice::from_ref(&new_name));
            let m = machine_at_mut(root, scope).ok_or(EditError::NoSuchScope)?;
            let target: JStr = match from {
                None => m
                    .start_at
                    .replace(JStr::new(new_name.as_str()))
                    .ok_or(EditError::NotAllowed("the branch has no StartAt".into()))?,
                Some(from) => {
                    let s = m
                        .state_mut(from)
                        .ok_or_else(|| EditError::NoSuchState(from.clone()))?;
                    let slot = edge_slot(s, *kind).ok_or_else(|| {
                        EditError::NotAllowed(format!("{from} has no such transition"))
                    })?;
                    slot.replace(JStr::new(new_name.as_str())).ok_or_else(|| {
                        EditError::NotAllowed(format!("{from} has no such transition"))
                    })?
                }
            };
            if state.state_type().is_none_or(StateType::has_transition) {
                state.end = None;
                state.next = Some(target);
            } else if state.state_type() == Some(StateType::Choice) && state.default.is_none() {
                state.default = Some(target);
            }
            states_mut(m).push(NamedState {
                name: JStr::new(new_name.as_str()),
                state,
            });
            Ok(applied(format!("Insert {new_name}"), Some(&new_name)))
        }
        Op::AddBranch { parallel } => {
            let pass = default_name(root, Some(StateType::Pass), &[]);
            let s = find_state_mut(root, parallel)?;
            if s.state_type() != Some(StateType::Parallel) {
                return Err(EditError::NotAllowed(format!(
                    "{parallel} is not a Parallel state"
                )));
            }
            s.branches
                .get_or_insert_with(Vec::new)
                .push(templates::single_state_machine(&pass));
            Ok(applied(format!("Add branch to {parallel}"), Some(parallel)))
        }
        Op::SetField { name, key, value } => {
            let s = find_state_mut(root, name)?;
            match value {
                Some(v) => {
                    if !s.set_field_json(key, v) {
                        return Err(EditError::BadField(format!(
                            "{key} cannot be set to {}",
                            crate::json::compact_text(v)
                        )));
                    }
                    if key == "Next" {
                        s.end = None;
                    } else if key == "End" && v.as_bool() == Some(true) {
                        s.next = None;
                    }
                }
                None => {
                    s.clear_field(key);
                }
            }
            Ok(applied(format!("Set {key} of {name}"), Some(name)))
        }
        Op::SetMachineField { scope, key, value } => {
            let m = machine_at_mut(root, scope).ok_or(EditError::NoSuchScope)?;
            match value {
                Some(v) => {
                    if !m.set_field_json(key, v) {
                        return Err(EditError::BadField(format!(
                            "{key} cannot be set to {}",
                            crate::json::compact_text(v)
                        )));
                    }
                }
                None => {
                    m.clear_field(key);
                }
            }
            Ok(applied(format!("Set {key}"), None))
        }
        Op::Duplicate { name } => {
            let scope =
                find_scope(root, name).ok_or_else(|| EditError::NoSuchState(name.clone()))?;
            let states = copy_states(root, std::slice::from_ref(name));
            let out = paste(root, &scope, &states)?;
            Ok(applied(
                format!("Duplicate {name}"),
                out.first().map(String::as_str),
            ))
        }
        Op::DeleteMany { .. }
        | Op::DuplicateMany { .. }
        | Op::Group(_)
        | Op::Pin { .. }
        | Op::ClearPins => {
            unreachable!("composite and pin operations are applied by record::apply_recorded")
        }
        Op::Paste { scope, states } => {
            let out = paste(root, scope, states)?;
            let mut a = applied(
                format!("Paste {} state(s)", out.len()),
                out.first().map(String::as_str),
            );
            a.also_select = out.into_iter().skip(1).collect();
            Ok(a)
        }
        Op::ReplaceMachine(m) => {
            *root = (**m).clone();
            Ok(applied("Edit JSON", None))
        }
        Op::SetQueryLanguage { state, language } => {
            query_language::set_query_language(root, state.as_deref(), *language)
        }
        Op::RemoveInapplicable { states } => query_language::remove_inapplicable(root, states),
    }
}

/// The states of `names` grouped by the scope they live in, scopes in order of first appearance.
fn group_by_scope(
    root: &StateMachine,
    names: &[String],
) -> Result<Vec<(Scope, Vec<String>)>, EditError> {
    let mut groups: Vec<(Scope, Vec<String>)> = Vec::new();
    for name in unique(names) {
        let scope = find_scope(root, name).ok_or_else(|| EditError::NoSuchState(name.clone()))?;
        match groups.iter_mut().find(|(s, _)| *s == scope) {
            Some((_, g)) => g.push(name.clone()),
            None => groups.push((scope, vec![name.clone()])),
        }
    }
    Ok(groups)
}

/// The names without repeats, in order.
fn unique(names: &[String]) -> Vec<&String> {
    let mut out: Vec<&String> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// "Delete A" for one state, "Delete 3 states" for more.
fn many_label(verb: &str, names: &[String]) -> String {
    match names {
        [one] => format!("{verb} {one}"),
        _ => format!("{verb} {} states", names.len()),
    }
}

/// Renames a state of `m` and every reference to it in `m` (its `StartAt` and all transitions).
fn rename_in_machine(m: &mut StateMachine, from: &str, to: &str) {
    if m.start_at.as_deref() == Some(from) {
        m.start_at = Some(JStr::new(to));
    }
    for n in states_mut(m) {
        if n.name.as_str() == from {
            n.name = JStr::new(to);
        }
        n.state.rename_target(from, to);
    }
}

/// The slot holding the target of one edge of a state.
fn edge_slot(s: &mut State, kind: EdgeKind) -> Option<&mut Option<JStr>> {
    match kind {
        EdgeKind::Next => Some(&mut s.next),
        EdgeKind::Default => Some(&mut s.default),
        EdgeKind::Choice(i) => s.choices.as_mut()?.get_mut(i).map(|r| &mut r.next),
        EdgeKind::Catch(i) => s.catch.as_mut()?.get_mut(i).map(|c| &mut c.next),
    }
}

fn connect(s: &mut State, to: &str, kind: ConnectKind) -> Result<(), EditError> {
    let ty = s.state_type();
    let kind = match kind {
        ConnectKind::Auto if ty == Some(StateType::Choice) => {
            if s.default.is_none() {
                ConnectKind::Default
            } else {
                ConnectKind::ChoiceRule
            }
        }
        ConnectKind::Auto => ConnectKind::Next,
        k => k,
    };
    let type_name = ty.map_or("untyped", StateType::name);
    match kind {
        ConnectKind::Next => {
            if !ty.is_none_or(StateType::has_transition) {
                return Err(EditError::NotAllowed(format!(
                    "a {type_name} state has no Next"
                )));
            }
            s.next = Some(JStr::new(to));
            s.end = None;
        }
        ConnectKind::ChoiceRule | ConnectKind::Default if ty != Some(StateType::Choice) => {
            return Err(EditError::NotAllowed(format!(
                "a {type_name} state has no Choice rules"
            )));
        }
        ConnectKind::ChoiceRule => {
            let mut rule = templates::choice_rule_skeleton();
            rule.next = Some(JStr::new(to));
            s.choices.get_or_insert_with(Vec::new).push(rule);
        }
        ConnectKind::Default => s.default = Some(JStr::new(to)),
        ConnectKind::Catch => {
            if !matches!(
                ty,
                Some(StateType::Task | StateType::Parallel | StateType::Map)
            ) {
                return Err(EditError::NotAllowed(format!(
                    "a {type_name} state cannot catch errors"
                )));
            }
            let catcher = Catcher {
                error_equals: Some(vec![JStr::new(crate::asl::STATES_ALL)]),
                next: Some(JStr::new(to)),
                ..Catcher::default()
            };
            s.catch.get_or_insert_with(Vec::new).push(catcher);
        }
        ConnectKind::Auto => {}
    }
    Ok(())
}

/// Gives every state nested in `state` (Parallel branches, Map processor) a name unused in `root`,
/// renaming references inside each nested machine to match.
fn fresh_nested_names(root: &StateMachine, state: &mut State, reserved: &[String]) {
    let mut taken: Vec<String> = reserved.to_vec();
    fn walk(root: &StateMachine, m: &mut StateMachine, taken: &mut Vec<String>) {
        let names: Vec<String> = m.states().iter().map(|n| n.name.to_string()).collect();
        for old in names {
            let new = unique_name(root, &old, taken);
            taken.push(new.clone());
            if new != old {
                rename_in_machine(m, &old, &new);
            }
        }
        for n in states_mut(m) {
            for child in n.state.child_machines_mut() {
                walk(root, child, taken);
            }
        }
    }
    for child in state.child_machines_mut() {
        walk(root, child, &mut taken);
    }
}

fn paste(root: &mut StateMachine, scope: &Scope, states: &Json) -> Result<Vec<String>, EditError> {
    let parsed = <States as crate::asl::field::FieldValue>::from_json(states)
        .ok_or_else(|| EditError::BadField("the clipboard does not hold states".into()))?;
    machine_at(root, scope).ok_or(EditError::NoSuchScope)?;
    let mut taken: Vec<String> = Vec::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    for n in &parsed.0 {
        let new = unique_name(root, n.name.as_str(), &taken);
        taken.push(new.clone());
        renames.push((n.name.to_string(), new));
    }
    let mut added = Vec::new();
    for (n, (_, new)) in parsed.0.into_iter().zip(&renames) {
        // Transitions among the pasted states follow their new names (read from the original, so renames
        // never chain).
        let mut state = n.state.clone();
        for (old, newer) in &renames {
            retarget_exact(&n.state, &mut state, old, newer);
        }
        fresh_nested_names(root, &mut state, &taken);
        let m = machine_at_mut(root, scope).ok_or(EditError::NoSuchScope)?;
        if m.states().is_empty() || m.start_at.is_none() {
            m.start_at = Some(JStr::new(new.as_str()));
        }
        states_mut(m).push(NamedState {
            name: JStr::new(new.as_str()),
            state,
        });
        added.push(new.clone());
    }
    Ok(added)
}

/// Sets in `out` every transition slot whose value in `orig` is `old` to `new` (so renames do not chain).
fn retarget_exact(orig: &State, out: &mut State, old: &str, new: &str) {
    let fix = |o: &Option<JStr>, n: &mut Option<JStr>| {
        if o.as_deref() == Some(old) {
            *n = Some(JStr::new(new));
        }
    };
    fix(&orig.next, &mut out.next);
    fix(&orig.default, &mut out.default);
    if let (Some(o), Some(n)) = (&orig.choices, &mut out.choices) {
        for (a, b) in o.iter().zip(n.iter_mut()) {
            fix(&a.next, &mut b.next);
        }
    }
    if let (Some(o), Some(n)) = (&orig.catch, &mut out.catch) {
        for (a, b) in o.iter().zip(n.iter_mut()) {
            fix(&a.next, &mut b.next);
        }
    }
}

/// A Choice rule to start from (unused here but handy for the inspector's "Add rule").
pub fn new_choice_rule(next: &str) -> ChoiceRule {
    let mut r = templates::choice_rule_skeleton();
    r.next = Some(JStr::new(next));
    r
}
