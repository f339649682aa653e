//! Variable rules (developer guide, "Passing data between states with variables"):
//! - `variable-name`: an `Assign` key that is not a valid variable name, or a reserved one (`states`);
//! - `variable-size`: a literal `Assign` value larger than the 256 KiB a variable may hold;
//! - `variable-scope`: a Parallel branch or inline Map iteration assigning a variable its enclosing scope
//!   assigns (inner states may read outer variables but not assign them);
//! - `variable-unassigned` (warning): a variable read on a path from `StartAt` on which it may not have been
//!   assigned. A must-assign dataflow over each machine's transitions: a variable is definitely assigned at a
//!   state when every path from `StartAt` to it assigns it. A state's own `Assign` counts only for the states
//!   after it (`Assign` and `Output` read the values the state was entered with); a catcher's transition carries
//!   the catcher's `Assign`, not the state's; a Choice rule's transition carries the rule's `Assign`, `Default`
//!   the state's. States of a Parallel branch or an inline Map iteration start with what is definitely assigned
//!   when the Parallel/Map state is entered; a Distributed Map's iterations see no outer variable.
//!
//! Reads: `$x…` paths (JSONPath fields, `.$` template values, intrinsic arguments, Choice `Variable` and `…Path`
//! operands) and, in JSONata states, `$x` in `{% %}` expressions that is neither `$states`, a function (built-in
//! or called), nor a name the expression binds itself (`$x := …`, lambda parameters, `@$x`, `#$x`).

use std::collections::{BTreeMap, BTreeSet};

use super::diagnostic::Diagnostic;
use super::fields::is_jsonata;
use super::{Lang, Sink};
use crate::expr::{Arg, Call, Path, is_variable_continue, is_variable_start, parse_intrinsic};
use crate::json::{Json, Pointer};
use crate::sim::vars::{MAX_VARIABLE_BYTES, assigned_name, check_name};

type Names = BTreeSet<String>;

pub(crate) fn check(root: &Json, sink: &mut Sink) {
    let lang = match root.get("QueryLanguage").and_then(Json::as_str) {
        Some("JSONata") => Lang::JSONata,
        _ => Lang::JSONPath,
    };
    check_machine(
        root,
        &Pointer::root(),
        lang,
        &Names::new(),
        &Names::new(),
        0,
        sink,
    );
}

/// One state of a machine, as the analysis needs it.
struct Node<'a> {
    json: &'a Json,
    ptr: Pointer,
    lang: Lang,
    /// Transitions: (target, the names the transition assigns).
    edges: Vec<(&'a str, Names)>,
}

/// `entry`: the variables definitely assigned when the machine starts; `enclosing`: the names enclosing scopes
/// assign (an inner scope may not assign them).
fn check_machine(
    machine: &Json,
    ptr: &Pointer,
    lang: Lang,
    entry: &Names,
    enclosing: &Names,
    depth: usize,
    sink: &mut Sink,
) {
    let Some(states) = machine.get("States").and_then(Json::as_object) else {
        return;
    };
    if depth > 32 {
        return;
    }
    let sp = ptr.join("States");
    let mut nodes: BTreeMap<&str, Node> = BTreeMap::new();
    for m in states {
        if m.value.as_object().is_none() {
            continue;
        }
        let state_lang = match m.value.get("QueryLanguage").and_then(Json::as_str) {
            Some("JSONata") => Lang::JSONata,
            Some("JSONPath") => Lang::JSONPath,
            _ => lang,
        };
        let state_ptr = sp.join(m.key.as_str());
        let own = assign_names(m.value.get("Assign"), state_lang);
        let mut edges = Vec::new();
        if let Some(next) = m.value.get("Next").and_then(Json::as_str) {
            edges.push((next, own.clone()));
        }
        if let Some(default) = m.value.get("Default").and_then(Json::as_str) {
            edges.push((default, own.clone()));
        }
        for rule in m
            .value
            .get("Choices")
            .and_then(Json::as_array)
            .unwrap_or(&[])
        {
            if let Some(next) = rule.get("Next").and_then(Json::as_str) {
                edges.push((next, assign_names(rule.get("Assign"), state_lang)));
            }
        }
        for catcher in m.value.get("Catch").and_then(Json::as_array).unwrap_or(&[]) {
            if let Some(next) = catcher.get("Next").and_then(Json::as_str) {
                edges.push((next, assign_names(catcher.get("Assign"), state_lang)));
            }
        }
        nodes.insert(
            m.key.as_str(),
            Node {
                json: &m.value,
                ptr: state_ptr,
                lang: state_lang,
                edges,
            },
        );
    }

    // Names, checked once per Assign object. What this scope assigns (for the inner scopes' rule) leaves out
    // catchers: AWS runs a Parallel whose branch assigns a name the Parallel's own catcher assigns (the
    // recorded execution PARALLEL_CATCH_ERROR_VARIABLE_SAMPLING).
    let mut own_names = Names::new();
    for node in nodes.values() {
        for (a, ap, from_catcher) in assign_objects(node) {
            let mut names = Names::new();
            check_assign(a, &ap, node.lang, enclosing, &mut names, sink);
            if !from_catcher {
                own_names.extend(names);
            }
        }
    }

    // Must-assign dataflow: `None` = not reached yet (the top of the lattice).
    let mut at_entry: BTreeMap<&str, Option<Names>> =
        nodes.keys().map(|name| (*name, None)).collect();
    let Some(start) = machine.get("StartAt").and_then(Json::as_str) else {
        return;
    };
    if !nodes.contains_key(start) {
        return;
    }
    at_entry.insert(start, Some(entry.clone()));
    let mut work = vec![start];
    while let Some(name) = work.pop() {
        let Some(Some(here)) = at_entry.get(name).cloned() else {
            continue;
        };
        for (target, assigned) in &nodes[name].edges {
            let Some(slot) = at_entry.get_mut(target) else {
                continue;
            };
            let out: Names = here.union(assigned).cloned().collect();
            let new = match slot {
                None => out,
                Some(old) => old.intersection(&out).cloned().collect(),
            };
            if slot.as_ref() != Some(&new) {
                *slot = Some(new);
                work.push(target);
            }
        }
    }

    let mut inner_enclosing = enclosing.clone();
    inner_enclosing.extend(own_names);
    for (name, node) in &nodes {
        let Some(Some(known)) = at_entry.get(name) else {
            continue; // unreachable: reported by the graph rules
        };
        let mut reads = Vec::new();
        collect_state_reads(node.json, &node.ptr, node.lang, &mut reads);
        for (var, p, offset) in reads {
            if !known.contains(&var) {
                let d = Diagnostic::warning(
                    "variable-unassigned",
                    p,
                    format!(
                        "${var} may not be assigned when state \"{name}\" runs: no \"Assign\" sets it on every path from \"StartAt\""
                    ),
                );
                sink.push(match offset {
                    Some(k) => d.at_char(k),
                    None => d,
                });
            }
        }
        // Inner machines.
        if let Some(branches) = node.json.get("Branches").and_then(Json::as_array) {
            for (i, b) in branches.iter().enumerate() {
                let bp = node.ptr.join("Branches").join_index(i);
                check_machine(b, &bp, node.lang, known, &inner_enclosing, depth + 1, sink);
            }
        }
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(p) = node.json.get(key) {
                let distributed = p
                    .get("ProcessorConfig")
                    .and_then(|c| c.get("Mode"))
                    .and_then(Json::as_str)
                    == Some("DISTRIBUTED");
                let (seen, encl) = if distributed {
                    (Names::new(), Names::new())
                } else {
                    (known.clone(), inner_enclosing.clone())
                };
                check_machine(
                    p,
                    &node.ptr.join(key),
                    node.lang,
                    &seen,
                    &encl,
                    depth + 1,
                    sink,
                );
            }
        }
    }
}

/// The `Assign` objects of a state: its own, its Choice rules', its catchers', with their pointers and whether
/// they are a catcher's.
fn assign_objects<'a>(node: &Node<'a>) -> Vec<(&'a Json, Pointer, bool)> {
    let mut out = Vec::new();
    if let Some(a) = node.json.get("Assign") {
        out.push((a, node.ptr.join("Assign"), false));
    }
    for list in ["Choices", "Catch"] {
        for (i, item) in node
            .json
            .get(list)
            .and_then(Json::as_array)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if let Some(a) = item.get("Assign") {
                out.push((
                    a,
                    node.ptr.join(list).join_index(i).join("Assign"),
                    list == "Catch",
                ));
            }
        }
    }
    out
}

/// The variable names an `Assign` object assigns.
fn assign_names(assign: Option<&Json>, lang: Lang) -> Names {
    assign
        .and_then(Json::as_object)
        .unwrap_or(&[])
        .iter()
        .map(|m| assigned_name(m.key.as_str(), lang == Lang::JSONPath).to_owned())
        .collect()
}

fn check_assign(
    assign: &Json,
    ptr: &Pointer,
    lang: Lang,
    enclosing: &Names,
    own: &mut Names,
    sink: &mut Sink,
) {
    let Some(members) = assign.as_object() else {
        return; // the field rules report the type
    };
    for m in members {
        let key = m.key.as_str();
        let p = ptr.join(key);
        let name = assigned_name(key, lang == Lang::JSONPath);
        if let Err(message) = check_name(name) {
            let hint = if lang == Lang::JSONata && key.ends_with(".$") {
                " (JSONata states assign with plain keys; \".$\" is for JSONPath)"
            } else {
                ""
            };
            sink.push(Diagnostic::error(
                "variable-name",
                p,
                format!("{message}{hint}"),
            ));
            continue;
        }
        if enclosing.contains(name) {
            sink.push(Diagnostic::error(
                "variable-scope",
                p.clone(),
                format!("${name} is assigned by an enclosing scope: a Parallel branch or Map iteration may read it but not assign it"),
            ));
        }
        own.insert(name.to_owned());
        let literal = (lang != Lang::JSONPath || !key.ends_with(".$")) && !has_expression(&m.value);
        if literal {
            let size = crate::json::compact_text(&m.value).len();
            if size > MAX_VARIABLE_BYTES {
                sink.push(Diagnostic::error(
                    "variable-size",
                    p,
                    format!("the value of ${name} is {size} bytes; a variable holds at most 256 KiB ({MAX_VARIABLE_BYTES} bytes)"),
                ));
            }
        }
    }
}

/// Whether a template value holds anything evaluated (a `.$` key or a `{% %}` string).
fn has_expression(v: &Json) -> bool {
    let mut found = false;
    v.walk(&mut |_, node| {
        if let Some(members) = node.as_object() {
            found |= members.iter().any(|m| m.key.ends_with(".$"));
        }
        found |= node.as_str().is_some_and(is_jsonata);
    });
    found
}

/// Every variable a state reads, with the pointer of the field that reads it (nested machines excluded).
/// A variable read: the name, the pointer of the string that reads it, and (JSONata) the character offset of
/// the `$name` in that string.
type Read = (String, Pointer, Option<usize>);

fn collect_state_reads(state: &Json, ptr: &Pointer, lang: Lang, out: &mut Vec<Read>) {
    let Some(members) = state.as_object() else {
        return;
    };
    for m in members {
        let key = m.key.as_str();
        if matches!(
            key,
            "Branches" | "ItemProcessor" | "Iterator" | "Comment" | "Next" | "Type" | "Resource"
        ) {
            continue;
        }
        let p = ptr.join(key);
        match lang {
            Lang::JSONata => m.value.walk(&mut |rel, node| {
                if let Some(s) = node.as_str().filter(|s| is_jsonata(s)) {
                    let at = Pointer::parse(&format!("{}{}", p.as_str(), rel.as_str()))
                        .unwrap_or_else(|| p.clone());
                    for (var, offset) in jsonata_reads(&s[2..s.len() - 2]) {
                        out.push((var, at.clone(), Some(offset + 2)));
                    }
                }
            }),
            Lang::JSONPath => jsonpath_reads(key, &m.value, &p, out),
        }
    }
}

/// Reads in a JSONPath-mode field: path strings of path fields, `.$` values of templates, Choice rules.
fn jsonpath_reads(key: &str, v: &Json, ptr: &Pointer, out: &mut Vec<Read>) {
    let path_field = key.ends_with("Path") || key == "Variable" || key.ends_with(".$");
    if let Some(s) = v.as_str() {
        if path_field {
            expression_reads(s, ptr, out);
        }
        return;
    }
    if let Some(members) = v.as_object() {
        for m in members {
            jsonpath_reads(m.key.as_str(), &m.value, &ptr.join(m.key.as_str()), out);
        }
    } else if let Some(items) = v.as_array() {
        for (i, item) in items.iter().enumerate() {
            jsonpath_reads(key, item, &ptr.join_index(i), out);
        }
    }
}

/// The variables a path or intrinsic call reads.
fn expression_reads(s: &str, ptr: &Pointer, out: &mut Vec<Read>) {
    fn call_reads(call: &Call, ptr: &Pointer, out: &mut Vec<Read>) {
        for arg in &call.args {
            match arg {
                Arg::Path(p) => {
                    if let Some(v) = p.variable() {
                        out.push((v.to_owned(), ptr.clone(), None));
                    }
                }
                Arg::Call(c) => call_reads(c, ptr, out),
                _ => {}
            }
        }
    }
    if s.starts_with("States.") {
        if let Ok(call) = parse_intrinsic(s) {
            call_reads(&call, ptr, out);
        }
    } else if let Ok(path) = Path::parse(s)
        && let Some(v) = path.variable()
    {
        out.push((v.to_owned(), ptr.clone(), None));
    }
}

/// The workflow variables a JSONata expression reads: every `$name` outside string literals, comments and
/// backquoted names that is not `$states`, not a function (a name called with `(` or a built-in function), and
/// not bound by the expression itself (`$name :=`, lambda parameters, `@$name`, `#$name`).
pub(crate) fn jsonata_reads(expr: &str) -> Vec<(String, usize)> {
    let chars: Vec<char> = expr.chars().collect();
    let mut found: Vec<(String, usize)> = Vec::new();
    let mut bound = Names::new();
    let mut i = 0;
    let next_non_space = |from: usize| {
        chars[from..]
            .iter()
            .position(|c| !c.is_whitespace())
            .map(|n| from + n)
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' | '\'' | '`' => {
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if chars[i] == '\\' && c != '`' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            '$' => {
                let start = i + 1;
                let mut end = start;
                while end < chars.len()
                    && (if end == start {
                        is_variable_start(chars[end])
                    } else {
                        is_variable_continue(chars[end])
                    })
                {
                    end += 1;
                }
                let name: String = chars[start..end].iter().collect();
                i = end;
                if name.is_empty() {
                    continue;
                }
                let before = chars[..start - 1].iter().rev().find(|c| !c.is_whitespace());
                let after = next_non_space(end);
                let binds = matches!(before, Some('@' | '#'))
                    || after.is_some_and(|a| chars[a] == ':' && chars.get(a + 1) == Some(&'='));
                let called = after.is_some_and(|a| chars[a] == '(');
                // `$exists($x)` tests whether `$x` is assigned: not a read that may fail.
                let tested = after.is_some_and(|a| chars[a] == ')')
                    && chars[..start - 1]
                        .iter()
                        .collect::<String>()
                        .trim_end()
                        .ends_with("$exists(");
                if binds {
                    bound.insert(name);
                } else if !called && !tested {
                    found.push((name, start));
                }
            }
            'f' | 'λ' => {
                // Lambda parameters: `function($a, $b)` / `λ($a)`.
                let word: String = chars[i..]
                    .iter()
                    .take_while(|c| c.is_alphanumeric() || **c == 'λ')
                    .collect();
                let prev_is_name = i > 0
                    && (chars[i - 1].is_alphanumeric()
                        || chars[i - 1] == '$'
                        || chars[i - 1] == '_');
                let n = word.chars().count();
                if !prev_is_name
                    && (word == "function" || word == "λ")
                    && let Some(open) = next_non_space(i + n).filter(|&o| chars[o] == '(')
                {
                    let close = chars[open..]
                        .iter()
                        .position(|&c| c == ')')
                        .map_or(chars.len(), |p| open + p);
                    let params: String = chars[open + 1..close].iter().collect();
                    for p in params.split(',') {
                        if let Some(name) = p.trim().strip_prefix('$') {
                            bound.insert(name.to_owned());
                        }
                    }
                    i = close + 1;
                    continue;
                }
                i += n.max(1);
            }
            _ => i += 1,
        }
    }
    let mut out: Vec<(String, usize)> = Vec::new();
    for (name, start) in found {
        if name != "states"
            && !bound.contains(&name)
            && !BUILTINS.contains(&name.as_str())
            && !out.iter().any(|(n, _)| *n == name)
        {
            // The offset of the `$`.
            out.push((name, start - 1));
        }
    }
    out
}

/// JSONata's built-in functions and the ones AWS adds (they may be passed as values: `$map(xs, $string)`).
const BUILTINS: &[&str] = &[
    "sum",
    "count",
    "max",
    "min",
    "average",
    "string",
    "substring",
    "substringBefore",
    "substringAfter",
    "lowercase",
    "uppercase",
    "length",
    "trim",
    "pad",
    "contains",
    "split",
    "join",
    "match",
    "replace",
    "now",
    "millis",
    "fromMillis",
    "toMillis",
    "formatNumber",
    "formatBase",
    "formatInteger",
    "parseInteger",
    "number",
    "abs",
    "floor",
    "ceil",
    "round",
    "power",
    "sqrt",
    "random",
    "boolean",
    "not",
    "exists",
    "keys",
    "lookup",
    "spread",
    "merge",
    "sift",
    "each",
    "error",
    "assert",
    "type",
    "sort",
    "reverse",
    "shuffle",
    "distinct",
    "zip",
    "map",
    "filter",
    "single",
    "reduce",
    "append",
    "base64encode",
    "base64decode",
    "encodeUrlComponent",
    "encodeUrl",
    "decodeUrlComponent",
    "decodeUrl",
    "eval",
    "clone",
    "partition",
    "range",
    "hash",
    "uuid",
    "parse",
];

#[cfg(test)]
mod tests {
    /// The names only.
    fn jsonata_reads(expr: &str) -> Vec<String> {
        super::jsonata_reads(expr)
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    }

    #[test]
    fn jsonata_read_offsets_point_at_the_dollar() {
        assert_eq!(super::jsonata_reads(" 1 + $ab"), [("ab".to_owned(), 5)]);
    }

    #[test]
    fn jsonata_reads_skip_locals_functions_and_strings() {
        assert_eq!(jsonata_reads(" $x + $states.input.n "), ["x"]);
        assert_eq!(jsonata_reads("($a := 1; $a + $b)"), ["b"]);
        assert_eq!(
            jsonata_reads("$map($xs, function($v, $i) { $v * $i * $k })"),
            ["xs", "k"]
        );
        assert_eq!(
            jsonata_reads("$sum($list) & '$notvar' & \"$no\" /* $c */"),
            ["list"]
        );
        assert_eq!(jsonata_reads("$map($xs, $string)"), ["xs"]);
        assert_eq!(
            jsonata_reads("Account.Order@$o.Product#$i.{'n': $o, 'i': $i}"),
            Vec::<String>::new()
        );
        assert_eq!(jsonata_reads("$myFn(1)"), Vec::<String>::new());
        assert_eq!(jsonata_reads("$ .a"), Vec::<String>::new());
        assert_eq!(jsonata_reads("$exists($s) ? $s : 0"), ["s"]);
        assert_eq!(jsonata_reads("$exists( $s ) ? 1 : 0"), Vec::<String>::new());
    }
}
