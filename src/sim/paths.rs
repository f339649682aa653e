//! The sim's door to ASL expressions (`crate::expr`): reference paths, ResultPath, payload templates and
//! intrinsics. Everything the engine asks of expressions goes through [`Eval`], which parses each expression
//! once per run (a loop re-enters the same states many times) and holds the run's RNG.

use super::context::{Ctx, Need};
use super::rng::SimRng;
use crate::expr::{self, Call, ExprError, Path, Template};
use crate::json::Json;
use serde_json::Value;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// A failed expression: `error` is a States error name, `cause` AWS-like text.
pub(crate) type ExprFailure = ExprError;

/// A parsed expression and how much of the context object it may read.
struct Parsed<T> {
    expr: T,
    need: Need,
}

impl<T> Parsed<T> {
    fn new(expr: T, text: &str) -> Parsed<T> {
        Parsed {
            expr,
            need: context_need(text),
        }
    }
}

/// A map for the run's lookup-only caches (keyed by addresses in the machine and by short expression texts),
/// which are looked up several times per state: a multiply-rotate hash (FxHash's) instead of SipHash. Never
/// iterated, so the hash cannot affect what a run produces.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[derive(Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (the bucket index) depending on the low input bits only, which are
        // zero in aligned addresses: bring the well-mixed high bits down.
        self.0.rotate_left(26)
    }
}

/// A Choice comparison's operator, literal operand and `Variable` (shared by every comparison record of the
/// rule); `None` when the rule has no operator.
pub(crate) type RuleShape = Rc<Option<(crate::asl::Operator, Value, Option<std::sync::Arc<str>>)>>;

/// The expression side of a run: parsed paths, intrinsic calls and templates, and the seeded RNG.
pub(crate) struct Eval {
    pub rng: SimRng,
    paths: FastMap<String, Rc<Parsed<Result<Path, String>>>>,
    calls: FastMap<String, Rc<Parsed<Result<Call, ExprError>>>>,
    /// Keyed by the address of the template node in the machine, which the run borrows unchanged.
    templates: FastMap<usize, Rc<Parsed<Result<Template, ExprError>>>>,
    /// A Choice comparison's shape, keyed by the address of the rule in the machine, like `templates`.
    pub(crate) rules: FastMap<usize, RuleShape>,
}

impl Eval {
    pub fn new(seed: u64) -> Eval {
        Eval {
            rng: SimRng::new(seed),
            paths: FastMap::default(),
            calls: FastMap::default(),
            templates: FastMap::default(),
            rules: FastMap::default(),
        }
    }

    fn path(&mut self, text: &str) -> Rc<Parsed<Result<Path, String>>> {
        if let Some(p) = self.paths.get(text) {
            return p.clone();
        }
        let parsed = Path::parse(text).map_err(|e| format!("Invalid path '{text}': {e}"));
        let p = Rc::new(Parsed::new(parsed, text));
        self.paths.insert(text.to_owned(), p.clone());
        p
    }

    /// Selects `text` from `data` (or the context object for `$$…`). `Err` carries the cause text.
    pub fn select(&mut self, text: &str, data: &Value, ctx: &Ctx) -> Result<Value, String> {
        let p = self.path(text);
        let path = p.expr.as_ref().map_err(Clone::clone)?;
        path.select_with(data, ctx.value(p.need), ctx.vars())
            .map_err(|e| e.cause)
    }

    /// Like [`Eval::select`], but `None` when nothing matches.
    pub fn select_opt(&mut self, text: &str, data: &Value, ctx: &Ctx) -> Option<Value> {
        let p = self.path(text);
        let path = p.expr.as_ref().ok()?;
        path.select_opt_with(data, ctx.value(p.need), ctx.vars())
    }

    /// Applies a `ResultPath` to `input` (taken by value: the caller's copy is updated in place).
    pub fn set(&mut self, text: &str, input: Value, result: Value) -> Result<Value, String> {
        let p = self.path(text);
        let path = p.expr.as_ref().map_err(Clone::clone)?;
        let mut out = input;
        path.set(&mut out, result).map_err(|e| e.cause)?;
        Ok(out)
    }

    /// Evaluates an intrinsic function call such as `States.Format('{}', $.x)`.
    pub fn intrinsic(&mut self, text: &str, data: &Value, ctx: &Ctx) -> Result<Value, ExprFailure> {
        let c = match self.calls.get(text) {
            Some(c) => c.clone(),
            None => {
                let parsed = expr::parse_intrinsic(text)
                    .map_err(|e| ExprError::new("States.IntrinsicFailure", format!("{e}")));
                let c = Rc::new(Parsed::new(parsed, text));
                self.calls.insert(text.to_owned(), c.clone());
                c
            }
        };
        let call = c.expr.as_ref().map_err(Clone::clone)?;
        call.eval_with(data, ctx.value(c.need), ctx.vars(), &mut self.rng)
    }

    /// Resolves a payload template (`Parameters`, `ResultSelector`, `ItemSelector`).
    pub fn template(&mut self, t: &Json, data: &Value, ctx: &Ctx) -> Result<Value, ExprFailure> {
        let key = std::ptr::from_ref(t) as usize;
        let c = match self.templates.get(&key) {
            Some(c) => c.clone(),
            None => {
                let value = t.to_serde();
                let text = serde_json::to_string(&value).unwrap_or_default();
                let c = Rc::new(Parsed::new(Template::compile(&value), &text));
                self.templates.insert(key, c.clone());
                c
            }
        };
        let template = c.expr.as_ref().map_err(Clone::clone)?;
        template.resolve_with(data, ctx.value(c.need), ctx.vars(), &mut self.rng)
    }
}

/// The parts of the context object that never hold the execution input.
const INPUT_FREE: [&str; 9] = [
    "Map",
    "State",
    "StateMachine",
    "Task",
    "Execution.Id",
    "Execution.Name",
    "Execution.StartTime",
    "Execution.RoleArn",
    "Execution.RedriveCount",
];

/// How much of the context object an expression's text may read, from what follows each `$$` in it:
/// only `.Map…`, only parts without the execution input (see [`INPUT_FREE`]), or anything. Conservative:
/// bracket notation, `$$` alone and any filter read everything.
pub(crate) fn context_need(text: &str) -> Need {
    if !text.contains("$$") {
        return Need::None;
    }
    if text.contains("?(") {
        return Need::Full;
    }
    let under = |rest: &str, part: &str| {
        rest.strip_prefix('.')
            .and_then(|r| r.strip_prefix(part))
            .is_some_and(|after| {
                !after
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
    };
    text.match_indices("$$")
        .map(|(i, _)| {
            let rest = &text[i + 2..];
            if under(rest, "Map") {
                Need::Map
            } else if INPUT_FREE.iter().any(|part| under(rest, part)) {
                Need::Light
            } else {
                Need::Full
            }
        })
        .max()
        .unwrap_or(Need::None)
}

#[cfg(test)]
mod tests {
    use super::{Need, context_need};

    #[test]
    fn context_reads() {
        assert_eq!(context_need("$.a"), Need::None);
        assert_eq!(context_need("$$.Map.Item.Value"), Need::Map);
        assert_eq!(
            context_need("States.Format('{}', $$.Map.Item.Index, $.x)"),
            Need::Map
        );
        assert_eq!(
            context_need("States.Format('{}', $$.State.Name, $$.Execution.Id)"),
            Need::Light
        );
        assert_eq!(
            context_need("States.Array($$.Map.Item.Value, $$.StateMachine.Name)"),
            Need::Light
        );
        assert_eq!(context_need("$$.Execution.Input.x"), Need::Full);
        assert_eq!(context_need("$$.Execution"), Need::Full);
        assert_eq!(context_need("$$"), Need::Full);
        assert_eq!(context_need("$$['Map']"), Need::Full);
        assert_eq!(context_need("$$.Mapping"), Need::Full);
        assert_eq!(context_need("$$.Map.Item[?(@ == $.x)]"), Need::Full);
    }
}
