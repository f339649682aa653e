//! Workflow variables (`Assign`, `$name`), in both query languages.
//!
//! AWS's rules (developer guide, "Passing data between states with variables"), as the simulator applies them:
//! - The states of the top-level machine share one scope. Each Parallel branch and each Map iteration runs in
//!   a scope of its own that reads the enclosing scopes' variables; what it assigns is its own and goes out of
//!   scope when the branch or iteration ends (data leaves through the branch's output). Concurrent branches
//!   and iterations never see each other's variables. A Distributed Map's iterations see no outer variables.
//! - A variable assigned in an inner scope may not have the name of one assigned in an enclosing scope:
//!   AWS rejects such a definition, and so does [`check_definition`] before a run.
//! - A state's assignments take effect when the state finishes: every expression of the state (its `Assign`
//!   values, `Output`/`OutputPath`, …) reads the values from before the state's own assignments. The engine
//!   collects them in an [`Assignments`] and commits them with [`Vars::commit`] once the state is done.
//! - Names: a Unicode identifier of at most 80 characters; `states` is reserved.
//! - Sizes (compact JSON text): one variable at most 256 KiB, one `Assign` at most 256 KiB in total, all the
//!   variables of an execution at most 10 MiB; beyond, the state fails with `States.Runtime`.
//!
//! Cheap when unused: an empty scope is three words, cloning a scope clones `Arc`s, and a machine that never
//! assigns allocates nothing here.

use super::context::Ctx;
use super::failure::Failure;
use super::io_pipeline::{At, apply_template};
use super::paths::Eval;
use crate::asl::StateMachine;
use crate::json::Json;
use crate::trace::Data;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The largest value one variable may hold (bytes of compact JSON).
pub const MAX_VARIABLE_BYTES: usize = 256 * 1024;
/// The most one `Assign` may assign in total.
pub const MAX_ASSIGN_BYTES: usize = 256 * 1024;
/// The most all the variables of an execution may hold together.
pub const MAX_TOTAL_BYTES: usize = 10 * 1024 * 1024;
/// The longest variable name, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Names no `Assign` may use.
pub const RESERVED_NAMES: &[&str] = &["states"];

/// One stored variable.
#[derive(Clone, Debug)]
struct Var {
    value: Data,
    /// Its compact JSON size.
    bytes: usize,
}

type Frame = BTreeMap<Arc<str>, Var>;

/// The variables visible in one scope: its own, then those of the enclosing scopes (read-only here). One word:
/// `None` while no variable is visible, so carrying and cloning an unused scope costs nothing.
#[derive(Clone, Debug, Default)]
pub struct Vars(Option<Arc<Level>>);

#[derive(Clone, Debug, Default)]
struct Level {
    own: Frame,
    outer: Vars,
    /// The size of every variable reachable from here (own and outer).
    bytes: usize,
}

impl Vars {
    /// An empty (top-level) scope.
    pub fn new() -> Vars {
        Vars::default()
    }

    /// No variable is visible.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The value of `name` (without `$`), from this scope or an enclosing one.
    pub fn get(&self, name: &str) -> Option<&Data> {
        let level = self.0.as_ref()?;
        match level.own.get(name) {
            Some(v) => Some(&v.value),
            None => level.outer.get(name),
        }
    }

    /// Whether `name` belongs to an enclosing scope (so this scope may not assign it).
    pub fn is_outer(&self, name: &str) -> bool {
        self.0.as_ref().is_some_and(|l| l.outer.get(name).is_some())
    }

    /// Every visible variable, by name (an inner value hides an outer one of the same name).
    pub fn to_map(&self) -> BTreeMap<&str, &Data> {
        let Some(level) = &self.0 else {
            return BTreeMap::new();
        };
        let mut out = level.outer.to_map();
        for (k, v) in &level.own {
            out.insert(k, &v.value);
        }
        out
    }

    /// Every visible variable as `(name, value)`, by name: bind these into a JSONata evaluation (or only those
    /// its text mentions).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Data)> {
        self.to_map().into_iter()
    }

    /// How many variables are visible.
    pub fn len(&self) -> usize {
        self.to_map().len()
    }

    /// The size of every visible variable together (compact JSON bytes).
    fn bytes(&self) -> usize {
        self.0.as_ref().map_or(0, |l| l.bytes)
    }

    /// The scope of a Parallel branch or an inline Map iteration: reads this one, assigns its own.
    pub fn child(&self) -> Vars {
        if self.is_empty() {
            return Vars::default();
        }
        Vars(Some(Arc::new(Level {
            own: Frame::new(),
            outer: self.clone(),
            bytes: self.bytes(),
        })))
    }

    /// The scope of a Distributed Map iteration: no outer variables.
    pub fn isolated() -> Vars {
        Vars::default()
    }

    /// Stores a state's assignments (after the state's expressions were all evaluated). Fails, assigning
    /// nothing, on a name of an enclosing scope or when the execution's variables would exceed
    /// [`MAX_TOTAL_BYTES`].
    pub(crate) fn commit(&mut self, a: Assignments, at: &At) -> Result<(), Failure> {
        if a.0.is_empty() {
            return Ok(());
        }
        let mut bytes = self.bytes();
        for (name, _, size) in &a.0 {
            if self.is_outer(name) {
                return Err(at.runtime(&format!(
                    "The variable '{name}' belongs to an enclosing scope: a Parallel branch or Map iteration cannot assign it"
                )));
            }
            let old = self
                .0
                .as_ref()
                .and_then(|l| l.own.get(&**name))
                .map_or(0, |v| v.bytes);
            bytes = bytes - old + size;
        }
        if bytes > MAX_TOTAL_BYTES {
            return Err(at.runtime(&format!(
                "The variables of the execution would hold {bytes} bytes, over the limit of {MAX_TOTAL_BYTES} bytes"
            )));
        }
        // A copy of this scope's own variables only while a snapshot (a trace event, a state's context)
        // still shares them.
        let level = Arc::make_mut(self.0.get_or_insert_with(Default::default));
        for (name, value, size) in a.0 {
            level.own.insert(name, Var { value, bytes: size });
        }
        level.bytes = bytes;
        Ok(())
    }
}

impl crate::expr::Variables for Vars {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.get(name).map(|d| &**d)
    }
}

impl PartialEq for Vars {
    fn eq(&self, other: &Vars) -> bool {
        self.to_map() == other.to_map()
    }
}

/// Written as one object, `{"name": value, …}`, names in order.
impl Serialize for Vars {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(s)
    }
}

/// Read back as a single scope holding every variable.
impl<'de> Deserialize<'de> for Vars {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = BTreeMap::<String, Value>::deserialize(d)?;
        if m.is_empty() {
            return Ok(Vars::default());
        }
        let mut bytes = 0;
        let own: Frame = m
            .into_iter()
            .map(|(k, v)| {
                let size = super::executor::json_len(&v, usize::MAX / 2);
                bytes += size;
                (
                    Arc::from(k),
                    Var {
                        value: Arc::new(v),
                        bytes: size,
                    },
                )
            })
            .collect();
        Ok(Vars(Some(Arc::new(Level {
            own,
            outer: Vars::default(),
            bytes,
        }))))
    }
}

/// What one state assigns, collected while its expressions run and committed when it is done:
/// `(name, value, size)` in assignment order.
#[derive(Clone, Debug, Default)]
pub struct Assignments(Vec<(Arc<str>, Data, usize)>);

impl Assignments {
    pub fn new() -> Assignments {
        Assignments::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The assigned names, in assignment order.
    pub fn names(&self) -> impl Iterator<Item = &Arc<str>> {
        self.0.iter().map(|(n, _, _)| n)
    }

    /// Adds `name = value`, checking the name and the size limits ([`MAX_VARIABLE_BYTES`] for the value,
    /// [`MAX_ASSIGN_BYTES`] for the whole `Assign`). A name assigned twice keeps the last value.
    pub(crate) fn set(&mut self, name: &str, value: Data, at: &At) -> Result<(), Failure> {
        if let Err(m) = check_name(name) {
            return Err(at.runtime(&m));
        }
        let size = super::executor::json_len(&value, MAX_ASSIGN_BYTES);
        if size > MAX_VARIABLE_BYTES {
            return Err(at.runtime(&format!(
                "The value assigned to the variable '{name}' exceeds the limit of {MAX_VARIABLE_BYTES} bytes"
            )));
        }
        self.0.retain(|(n, _, _)| &**n != name);
        let total = self.0.iter().map(|(_, _, b)| b).sum::<usize>() + size;
        if total > MAX_ASSIGN_BYTES {
            return Err(at.runtime(&format!(
                "The values assigned by this state exceed the limit of {MAX_ASSIGN_BYTES} bytes for one Assign"
            )));
        }
        self.0.push((Arc::from(name), value, size));
        Ok(())
    }
}

/// A JSONPath state's `Assign` (of the state, a matched Choice rule or a catcher), evaluated against `data` —
/// the state's result for Pass, Task, Parallel and Map (before `ResultSelector`), the effective input for
/// Choice and Wait, the error output for a catcher — and the variables as the state entered (`ctx`). Keys
/// ending in `.$` take a path (`$.x`, `$$.x`, `$name.x`) or an intrinsic call, as in a payload template;
/// any other value is a literal, nested objects and arrays included. `None` when there is no `Assign`.
#[inline]
pub(crate) fn jsonpath_assign(
    assign: Option<&Json>,
    data: &Value,
    ctx: &Ctx,
    ev: &mut Eval,
    at: &At,
) -> Result<Option<Assignments>, Failure> {
    match assign {
        None => Ok(None),
        Some(template) => eval_jsonpath_assign(template, data, ctx, ev, at).map(Some),
    }
}

#[inline(never)]
fn eval_jsonpath_assign(
    template: &Json,
    data: &Value,
    ctx: &Ctx,
    ev: &mut Eval,
    at: &At,
) -> Result<Assignments, Failure> {
    let Value::Object(values) = apply_template(Some(template), data, ctx, ev, at)? else {
        return Err(at.runtime("The Assign field must be a JSON object"));
    };
    let mut out = Assignments::new();
    for (name, value) in values {
        out.set(&name, Arc::new(value), at)?;
    }
    Ok(out)
}

/// Why `name` cannot be a variable name, if it cannot.
pub fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(crate::expr::is_variable_start)
        && chars.all(crate::expr::is_variable_continue);
    if !valid {
        return Err(format!(
            "'{name}' is not a valid variable name (a letter or '_' first, then letters, digits or '_')"
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "The variable name '{name}' is longer than {MAX_NAME_CHARS} characters"
        ));
    }
    if RESERVED_NAMES.contains(&name) {
        return Err(format!("'${name}' is a reserved variable name"));
    }
    Ok(())
}

/// The variable an `Assign` key assigns: the key, less `.$` for a JSONPath expression key.
pub fn assigned_name(key: &str, jsonpath: bool) -> &str {
    if jsonpath {
        key.strip_suffix(".$").unwrap_or(key)
    } else {
        key
    }
}

/// What AWS refuses in a definition before any run: invalid or reserved variable names in `Assign` (of states,
/// Choice rules and catchers), and a Parallel branch or Map iteration assigning a name a state or Choice rule
/// of an enclosing scope assigns (not a catcher: AWS runs that). The message names the state. At run time
/// [`Vars::commit`] still refuses to assign a name an enclosing scope holds.
pub fn check_definition(machine: &StateMachine) -> Result<(), String> {
    check_scope(machine, machine.query_language.as_deref(), &[])
}

fn check_scope(
    machine: &StateMachine,
    query_language: Option<&str>,
    enclosing: &[&str],
) -> Result<(), String> {
    let mut own: Vec<&str> = Vec::new();
    for n in machine.states() {
        let (name, s) = (n.name.as_str(), &n.state);
        let jsonpath = s.query_language.as_deref().or(query_language) != Some("JSONata");
        // `(Assign, whether its names are closed to nested scopes)`. A catcher's names are not: recorded on
        // AWS (error_handling/046), a Parallel state's catcher and a state in its branch assign the same name.
        let mut assigns: Vec<(&Json, bool)> = s.assign.iter().map(|a| (a, true)).collect();
        assigns.extend(
            s.choices
                .iter()
                .flatten()
                .filter_map(|r| r.assign.as_ref())
                .map(|a| (a, true)),
        );
        assigns.extend(
            s.catch
                .iter()
                .flatten()
                .filter_map(|c| c.assign.as_ref())
                .map(|a| (a, false)),
        );
        for (a, closes) in assigns {
            let Some(m) = a.as_object() else {
                return Err(format!(
                    "The Assign field of state '{name}' must be a JSON object"
                ));
            };
            for member in m {
                let var = assigned_name(member.key.as_str(), jsonpath);
                check_name(var).map_err(|e| format!("State '{name}': {e}"))?;
                if enclosing.contains(&var) {
                    return Err(format!(
                        "State '{name}' assigns the variable '{var}', which an enclosing scope assigns: a Parallel branch or Map iteration cannot assign an outer variable"
                    ));
                }
                if closes {
                    own.push(var);
                }
            }
        }
    }
    let mut visible: Vec<&str> = enclosing.to_vec();
    visible.extend(own);
    for n in machine.states() {
        let s = &n.state;
        let ql = s.query_language.as_deref().or(query_language);
        for b in s.branches.iter().flatten() {
            check_scope(b, b.query_language.as_deref().or(ql), &visible)?;
        }
        if let Some(p) = s.processor() {
            let distributed = p
                .processor_config
                .as_ref()
                .and_then(|c| c.mode.as_ref())
                .is_some_and(|m| m.as_str() == "DISTRIBUTED");
            let inherited: &[&str] = if distributed { &[] } else { &visible };
            check_scope(p, p.query_language.as_deref().or(ql), inherited)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at() -> At<'static> {
        At {
            state: "S",
            entered_event_id: 2,
        }
    }

    fn assign(pairs: &[(&str, Value)]) -> Assignments {
        let mut a = Assignments::new();
        for (k, v) in pairs {
            a.set(k, Arc::new(v.clone()), &at()).unwrap();
        }
        a
    }

    #[test]
    fn scopes_read_outward_and_assign_inward() {
        let mut top = Vars::new();
        assert!(top.is_empty());
        top.commit(assign(&[("x", json!(1)), ("y", json!("a"))]), &at())
            .unwrap();
        let mut inner = top.child();
        assert_eq!(inner.get("x").map(|v| &**v), Some(&json!(1)));
        inner.commit(assign(&[("z", json!([1]))]), &at()).unwrap();
        assert!(inner.get("z").is_some());
        assert!(top.get("z").is_none(), "an inner assignment stays inside");
        let err = inner.commit(assign(&[("x", json!(2))]), &at()).unwrap_err();
        assert_eq!(err.error, "States.Runtime");
        assert_eq!(top.get("x").map(|v| &**v), Some(&json!(1)));
        assert_eq!(
            serde_json::to_value(&inner).unwrap(),
            json!({"x": 1, "y": "a", "z": [1]})
        );
        assert!(Vars::new().child().is_empty(), "no allocation when empty");
    }

    #[test]
    fn reassigning_replaces_and_shared_snapshots_stay() {
        let mut v = Vars::new();
        v.commit(assign(&[("n", json!(1))]), &at()).unwrap();
        let snapshot = v.clone();
        v.commit(assign(&[("n", json!(2))]), &at()).unwrap();
        assert_eq!(snapshot.get("n").map(|v| &**v), Some(&json!(1)));
        assert_eq!(v.get("n").map(|v| &**v), Some(&json!(2)));
        assert_eq!(v.bytes(), 1);
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name("x").is_ok());
        assert!(check_name("_tmp1").is_ok());
        assert!(check_name("größe").is_ok());
        assert!(check_name("states").is_err());
        assert!(check_name("1x").is_err());
        assert!(check_name("a-b").is_err());
        assert!(check_name("").is_err());
        assert!(check_name(&"a".repeat(80)).is_ok());
        assert!(check_name(&"a".repeat(81)).is_err());
    }

    #[test]
    fn size_limits() {
        let big = Arc::new(json!("x".repeat(MAX_VARIABLE_BYTES)));
        let mut a = Assignments::new();
        let f = a.set("v", big, &at()).unwrap_err();
        assert_eq!(f.error, "States.Runtime");
        let half = Arc::new(json!("x".repeat(MAX_ASSIGN_BYTES / 2 - 2)));
        let mut a = Assignments::new();
        a.set("a", half.clone(), &at()).unwrap();
        a.set("a", half.clone(), &at()).unwrap();
        a.set("b", half.clone(), &at()).unwrap();
        assert!(a.set("c", Arc::new(json!(1)), &at()).is_err());
        // The execution total: 41 variables of ~256 KiB each exceed 10 MiB.
        let mut v = Vars::new();
        let chunk = Arc::new(json!("y".repeat(MAX_VARIABLE_BYTES - 2)));
        let mut failed = None;
        for i in 0..41 {
            let mut a = Assignments::new();
            a.set(&format!("v{i}"), chunk.clone(), &at()).unwrap();
            if let Err(f) = v.commit(a, &at()) {
                failed = Some(i);
                assert_eq!(f.error, "States.Runtime");
                break;
            }
        }
        assert_eq!(failed, Some(40));
    }
}
