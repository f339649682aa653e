//! The JSONPath syntax tree: segments, selectors, filters, path functions; its normalized text.

use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Seg {
    Child(Sel),
    Descend(Sel),
    Func(Func),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Sel {
    Name(String),
    Names(Vec<String>),
    Index(i64),
    Indexes(Vec<i64>),
    Wildcard,
    Slice(Option<i64>, Option<i64>),
    Filter(Box<Filter>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Func {
    Length,
    Min,
    Max,
    Avg,
    Sum,
    Stddev,
    Keys,
    First,
    Last,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Filter {
    Or(Box<Filter>, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Exists(Operand),
    Cmp(Operand, Op, Operand),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Operand {
    /// `@...`: relative to the element under test.
    Current(Vec<Seg>),
    /// `$...`: relative to the document root.
    Root(Vec<Seg>),
    Lit(Value),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Nin,
    Subsetof,
    Anyof,
    Noneof,
    Size,
    Empty,
    Contains,
}

/// Where a path is embedded: decides which characters end a dot-notation name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Mode {
    Standalone,
    /// Inside an intrinsic call: `,` and `)` also end the path.
    Intrinsic,
    /// Inside a filter expression: operators and `)` end the path.
    Filter,
}

pub(super) fn segs_definite(segs: &[Seg]) -> bool {
    let n = segs.len();
    segs.iter().enumerate().all(|(i, s)| match s {
        Seg::Child(Sel::Name(_)) | Seg::Child(Sel::Index(_)) | Seg::Func(_) => true,
        // `['a','b']` as the last segment merges into one object (Jayway).
        Seg::Child(Sel::Names(_)) => i + 1 == n || matches!(segs.get(i + 1), Some(Seg::Func(_))),
        _ => false,
    })
}

pub(super) fn render_sel(sel: &Sel, out: &mut String) {
    match sel {
        Sel::Name(n) => out.push_str(&format!("['{n}']")),
        Sel::Names(ns) => {
            let q: Vec<String> = ns.iter().map(|n| format!("'{n}'")).collect();
            out.push_str(&format!("[{}]", q.join(",")));
        }
        Sel::Index(i) => out.push_str(&format!("[{i}]")),
        Sel::Indexes(is) => {
            let q: Vec<String> = is.iter().map(|i| i.to_string()).collect();
            out.push_str(&format!("[{}]", q.join(",")));
        }
        Sel::Wildcard => out.push_str("[*]"),
        Sel::Slice(a, b) => out.push_str(&format!(
            "[{}:{}]",
            a.map(|x| x.to_string()).unwrap_or_default(),
            b.map(|x| x.to_string()).unwrap_or_default()
        )),
        Sel::Filter(_) => out.push_str("[?]"),
    }
}

pub(super) fn normalized(segs: &[Seg]) -> String {
    let mut s = String::from("$");
    for seg in segs {
        match seg {
            Seg::Child(sel) => render_sel(sel, &mut s),
            Seg::Descend(sel) => {
                s.push_str("..");
                render_sel(sel, &mut s);
            }
            Seg::Func(f) => s.push_str(&format!(".{}()", func_name(*f))),
        }
    }
    s
}

pub(super) fn func_name(f: Func) -> &'static str {
    match f {
        Func::Length => "length",
        Func::Min => "min",
        Func::Max => "max",
        Func::Avg => "avg",
        Func::Sum => "sum",
        Func::Stddev => "stddev",
        Func::Keys => "keys",
        Func::First => "first",
        Func::Last => "last",
    }
}

pub(super) fn operand_definite(o: &Operand) -> bool {
    match o {
        Operand::Current(s) | Operand::Root(s) => segs_definite(s),
        Operand::Lit(_) => true,
    }
}
