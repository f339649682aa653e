//! Workflow variables: a minimal scope store for JSONata `Assign` (stand-in until the `vars` branch, which owns
//! variables in both query languages, is merged; the API is the subset of its `Vars`/`Assignments` the JSONata
//! fields use).
//!
//! A Parallel branch or Map iteration reads the enclosing scope's variables and assigns its own; a state's
//! assignments take effect when the state is done (every expression of the state sees the values from
//! before it).

use super::failure::Failure;
use super::io_pipeline::At;
use crate::trace::Data;
use std::collections::BTreeMap;
use std::sync::Arc;

type Frame = BTreeMap<Arc<str>, Data>;

/// The variables visible in one scope: its own, then those of the enclosing scopes (read-only here).
#[derive(Clone, Debug, Default)]
pub struct Vars {
    own: Option<Arc<Frame>>,
    outer: Option<Arc<Vars>>,
}

impl Vars {
    pub fn new() -> Vars {
        Vars::default()
    }

    /// No variable is visible.
    pub fn is_empty(&self) -> bool {
        self.own.as_ref().is_none_or(|f| f.is_empty()) && self.outer.is_none()
    }

    /// The value of `name` (without `$`), from this scope or an enclosing one.
    pub fn get(&self, name: &str) -> Option<&Data> {
        if let Some(v) = self.own.as_ref().and_then(|f| f.get(name)) {
            return Some(v);
        }
        self.outer.as_ref()?.get(name)
    }

    /// Every visible variable, by name (an inner value hides an outer one of the same name).
    pub fn to_map(&self) -> BTreeMap<&str, &Data> {
        let mut out = match &self.outer {
            Some(o) => o.to_map(),
            None => BTreeMap::new(),
        };
        for (k, v) in self.own.iter().flat_map(|f| f.iter()) {
            out.insert(k, v);
        }
        out
    }

    /// The scope of a Parallel branch or a Map iteration: reads this one, assigns its own.
    pub fn child(&self) -> Vars {
        if self.is_empty() {
            return Vars::default();
        }
        Vars {
            own: None,
            outer: Some(Arc::new(self.clone())),
        }
    }

    /// Stores a state's assignments (after the state's expressions were all evaluated).
    pub(crate) fn commit(&mut self, a: Assignments, _at: &At) -> Result<(), Failure> {
        if a.items.is_empty() {
            return Ok(());
        }
        let frame = Arc::make_mut(self.own.get_or_insert_with(Default::default));
        for (name, value) in a.items {
            frame.insert(name, value);
        }
        Ok(())
    }
}

/// What one state assigns, collected while its expressions run and committed when it is done.
#[derive(Clone, Debug, Default)]
pub struct Assignments {
    items: Vec<(Arc<str>, Data)>,
}

impl Assignments {
    pub fn new() -> Assignments {
        Assignments::default()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The assigned names, in assignment order.
    pub fn names(&self) -> impl Iterator<Item = &Arc<str>> {
        self.items.iter().map(|(n, _)| n)
    }

    /// Adds `name = value`; a name assigned twice keeps the last value.
    pub(crate) fn set(&mut self, name: &str, value: Data, _at: &At) -> Result<(), Failure> {
        self.items.retain(|(n, _)| &**n != name);
        self.items.push((Arc::from(name), value));
        Ok(())
    }
}
