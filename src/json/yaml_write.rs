//! Writing YAML: block-style text of a tree, and splicing edits into an existing YAML text so that
//! everything not edited (comments, blank lines, quoting, layout) keeps its bytes.
//!
//! Scalars are written so that [`super::parse_yaml`] reads them back as the same value: strings that would
//! read as something else (`Yes`, `null`, `1.0`, ` padded `, `a: b`, `#x`) are double-quoted, and strings
//! that YAML 1.1 readers (PyYAML, the SAM CLI) would take for booleans or numbers are quoted too.

use super::{JStr, Json, Member, Value};
use std::borrow::Cow;
use std::ops::Range;

/// Layout choices of a YAML text that written nodes follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YamlStyle {
    /// Spaces per nesting level of a mapping.
    pub indent: usize,
    /// Whether a list under a key starts at the key's column (`key:\n- a`) instead of one level deeper.
    pub indentless_lists: bool,
    pub crlf: bool,
    pub final_newline: bool,
}

impl Default for YamlStyle {
    fn default() -> Self {
        YamlStyle {
            indent: 2,
            indentless_lists: false,
            crlf: false,
            final_newline: true,
        }
    }
}

impl YamlStyle {
    /// The style of an existing text whose tree is `root`: the first nested mapping gives the indent, the
    /// first list under a key tells whether lists are indented.
    pub fn of(source: &str, root: &Json) -> Self {
        let lines = super::Style::of(source);
        let mut style = YamlStyle {
            crlf: lines.crlf,
            final_newline: lines.final_newline || source.is_empty(),
            ..YamlStyle::default()
        };
        let mut indent = None;
        let mut indentless = None;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if indent.is_some() && indentless.is_some() {
                break;
            }
            match &node.value {
                Value::Object(members) => {
                    for m in members {
                        let (Some(k), Some(v)) = (m.key_span.range(), m.value.span.range()) else {
                            continue;
                        };
                        if v.end > source.len() || k.end > source.len() {
                            continue;
                        }
                        let (kc, vc) = (column(source, k.start), column(source, v.start));
                        let on_next_line = source[k.end..v.start].contains('\n');
                        if !on_next_line {
                            continue;
                        }
                        if is_block_mapping(source, &m.value) && vc > kc && indent.is_none() {
                            indent = Some(vc - kc);
                        }
                        if is_block_list(source, &m.value) && indentless.is_none() {
                            indentless = Some(vc == kc);
                        }
                    }
                    stack.extend(members.iter().rev().map(|m| &m.value));
                }
                Value::Array(items) => stack.extend(items.iter().rev()),
                _ => {}
            }
        }
        style.indent = indent.filter(|n| (1..=8).contains(n)).unwrap_or(2);
        style.indentless_lists = indentless.unwrap_or(false);
        style
    }

    fn newline(self) -> &'static str {
        if self.crlf { "\r\n" } else { "\n" }
    }
}

/// The whole tree as a block-style YAML document (2-space indent, `\n`, a final newline).
pub fn yaml_text(json: &Json) -> String {
    yaml_text_styled(json, YamlStyle::default())
}

fn yaml_text_styled(json: &Json, style: YamlStyle) -> String {
    let mut out = String::new();
    write_block(json, 0, style, &mut out);
    if style.final_newline {
        out.push_str(style.newline());
    }
    out
}

/// `json` in block style as written at column `indent` of a line: the first line has no indentation, the
/// following ones are indented by `indent` (no final line break).
pub fn yaml_block(json: &Json, indent: usize, style: YamlStyle) -> String {
    let mut out = String::new();
    write_block(json, indent, style, &mut out);
    out
}

/// Writes `json` as if the cursor stood at column `indent` of a line in block context: a mapping or list
/// starts right there and continues on lines indented by `indent`; a scalar is written inline.
fn write_block(json: &Json, indent: usize, style: YamlStyle, out: &mut String) {
    match &json.value {
        Value::Object(members) if !members.is_empty() => {
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(style.newline());
                    push_spaces(out, indent);
                }
                out.push_str(&scalar_string(&m.key));
                write_entry_value(&m.value, indent, style, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(style.newline());
                    push_spaces(out, indent);
                }
                out.push_str("- ");
                write_block(item, indent + 2, style, out);
            }
        }
        _ => write_scalar(json, out),
    }
}

/// Writes what follows a mapping key at column `indent`: `: scalar`, or `:` and the nested block.
fn write_entry_value(value: &Json, indent: usize, style: YamlStyle, out: &mut String) {
    match &value.value {
        Value::Object(m) if !m.is_empty() => {
            out.push(':');
            out.push_str(style.newline());
            push_spaces(out, indent + style.indent);
            write_block(value, indent + style.indent, style, out);
        }
        Value::Array(a) if !a.is_empty() => {
            let at = if style.indentless_lists {
                indent
            } else {
                indent + style.indent
            };
            out.push(':');
            out.push_str(style.newline());
            push_spaces(out, at);
            write_block(value, at, style, out);
        }
        _ => {
            out.push_str(": ");
            write_scalar(value, out);
        }
    }
}

/// A scalar (or an empty collection, as `{}` / `[]`) on one line.
fn write_scalar(json: &Json, out: &mut String) {
    match &json.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n.as_str()),
        Value::String(s) => out.push_str(&scalar_string(s)),
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
    }
}

fn push_spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A string as a YAML scalar: plain when that reads back as the same string in YAML 1.2 and 1.1 alike,
/// double-quoted (with JSON escapes, plus escapes for YAML's extra line breaks) otherwise.
pub fn scalar_string(s: &str) -> Cow<'_, str> {
    if plain_is_safe(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(double_quoted(s))
}

/// A YAML double-quoted scalar: JSON escapes, plus escapes for YAML's own line breaks, the byte-order mark and
/// non-characters.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters a double-quoted YAML scalar must not hold as they are: controls, YAML's own line breaks
/// (NEL, LS, PS), the byte-order mark and non-characters.
fn needs_escape(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.chars().any(|c| needs_escape(c) || c == '\t')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
    {
        return false;
    }
    // What a YAML 1.2 reader (ours) or a YAML 1.1 reader would take for a non-string.
    if !matches!(super::yaml::resolve_plain(s), Value::String(_)) {
        return false;
    }
    const YAML11_WORDS: [&str; 19] = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF", "~", "=", "<<",
    ];
    if YAML11_WORDS.contains(&s) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.trim_start_matches(['+', '-']),
        ".inf" | ".nan" | "inf" | "nan"
    ) {
        return false;
    }
    // Numbers in other notations (`0b1`, `1_000`, `010`, `1:20`) and dates (`2024-01-02`).
    let body = s.trim_start_matches(['+', '-', '.']);
    !body.starts_with(|c: char| c.is_ascii_digit())
}

/// The column (in bytes, which for indentation are spaces and `- `) of an offset in its line.
fn column(source: &str, offset: usize) -> usize {
    offset - line_start(source, offset)
}

fn line_start(source: &str, offset: usize) -> usize {
    source[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `offset`, before its `\r\n` or `\n` (or the end of the text).
fn line_end(source: &str, offset: usize) -> usize {
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    if end > offset && source.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// After the line break that ends the line holding `offset` (or the end of the text).
fn next_line_start(source: &str, offset: usize) -> usize {
    source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i + 1)
}

/// A block mapping: its span starts at its first key (a flow mapping starts at `{`, and a mapping with an
/// anchor or tag at that; neither is edited in place).
fn is_block_mapping(source: &str, json: &Json) -> bool {
    match (&json.value, json.span.range()) {
        (Value::Object(members), Some(r)) => members
            .first()
            .and_then(|m| m.key_span.range())
            .is_some_and(|k| k.start == r.start && r.end <= source.len()),
        _ => false,
    }
}

/// A block list: its span starts at its first `-`.
fn is_block_list(source: &str, json: &Json) -> bool {
    match (&json.value, json.span.range()) {
        (Value::Array(items), Some(r)) => {
            !items.is_empty() && r.end <= source.len() && source[r.start..].starts_with('-')
        }
        _ => false,
    }
}

/// Rewrites the YAML text `source` (whose tree, read by [`super::parse_yaml`], is `old`) so that it holds
/// `new`. Changed scalars are replaced in place; changed entries of block mappings are rewritten, added
/// entries inserted after their predecessor, removed entries deleted with their lines, renamed keys
/// rewritten alone; everything else keeps its bytes, comments included. A node that cannot be edited in
/// place (a flow collection, an alias, a list whose length changed) is rewritten whole in block style.
pub fn splice_yaml(source: &str, old: &Json, new: &Json) -> String {
    if old == new {
        return source.to_owned();
    }
    let Some(root) = old.span.range().filter(|r| r.end <= source.len()) else {
        return yaml_text_styled(new, YamlStyle::of(source, old));
    };
    splice_at(source, root, old, new, true)
}

/// [`splice_yaml`] for one node of the text's tree (a block mapping such as a template's `Definition:`):
/// only the node's region changes. The text must hold no anchors (a template's, read by
/// [`super::parse_yaml_template`]). `None` when `old` has no span in `source`.
pub fn splice_yaml_node(source: &str, old: &Json, new: &Json) -> Option<String> {
    if old == new {
        return Some(source.to_owned());
    }
    let root = old.span.range().filter(|r| r.end <= source.len())?;
    Some(splice_at(source, root, old, new, false))
}

fn splice_at(source: &str, root: Range<usize>, old: &Json, new: &Json, anchors: bool) -> String {
    let style = YamlStyle::of(source, old);
    let mut s = Splicer {
        source,
        style,
        edits: Vec::new(),
    };
    let rewrite_root = |s: &mut Splicer| {
        s.edits.clear();
        let mut text = String::new();
        write_block(new, column(source, root.start), style, &mut text);
        s.edits.push((root.clone(), text));
    };
    if s.diff(old, new).is_err() {
        rewrite_root(&mut s);
    }
    let spliced = s.apply().filter(|out| {
        // An edit that rewrites or removes an anchored node (`&name`) would leave its aliases dangling or
        // changed: with anchors in the text, the result is read back to be sure.
        !anchors || !source.contains('&') || super::parse_yaml(out).is_ok_and(|back| back == *new)
    });
    spliced.unwrap_or_else(|| {
        rewrite_root(&mut s);
        s.apply().unwrap_or_else(|| yaml_text_styled(new, style))
    })
}

/// Why a node cannot be edited in place; its parent rewrites it instead.
struct Rewrite;

struct Splicer<'a> {
    source: &'a str,
    style: YamlStyle,
    /// Replacements, in the order they were found: an insertion at an offset comes after the edits of the
    /// node that ends there.
    edits: Vec<(Range<usize>, String)>,
}

impl Splicer<'_> {
    /// The source with the edits made; `None` if two edits overlap.
    fn apply(&mut self) -> Option<String> {
        self.edits.sort_by_key(|(r, _)| (r.start, r.end));
        let mut out = String::with_capacity(self.source.len() + 256);
        let mut at = 0;
        for (range, text) in &self.edits {
            let Some(between) = self.source.get(at..range.start) else {
                debug_assert!(false, "overlapping YAML edits: {:?}", self.edits);
                return None;
            };
            out.push_str(between);
            out.push_str(text);
            at = range.end;
        }
        out.push_str(&self.source[at..]);
        Some(out)
    }

    /// Records the edits that turn `old` into `new` in place, or fails (leaving no edits) when `old` must be
    /// rewritten whole.
    fn diff(&mut self, old: &Json, new: &Json) -> Result<(), Rewrite> {
        if old == new {
            return Ok(());
        }
        let mark = self.edits.len();
        let result = match (&old.value, &new.value) {
            (Value::Object(om), Value::Object(nm)) if is_block_mapping(self.source, old) => {
                self.diff_mapping(om, nm)
            }
            (Value::Array(oa), Value::Array(na))
                if is_block_list(self.source, old) && oa.len() == na.len() =>
            {
                oa.iter()
                    .zip(na)
                    .try_for_each(|(o, n)| self.diff_item(o, n))
            }
            _ => Err(Rewrite),
        };
        if result.is_err() {
            self.edits.truncate(mark);
        }
        result
    }

    fn diff_item(&mut self, old: &Json, new: &Json) -> Result<(), Rewrite> {
        if old == new || self.diff(old, new).is_ok() {
            return Ok(());
        }
        let range = old.span.range().filter(|r| !r.is_empty()).ok_or(Rewrite)?;
        let mut text = String::new();
        write_block(new, column(self.source, range.start), self.style, &mut text);
        self.edits.push((range, text));
        Ok(())
    }

    fn diff_mapping(&mut self, om: &[Member], nm: &[Member]) -> Result<(), Rewrite> {
        if nm.is_empty() || has_duplicate_keys(om) || has_duplicate_keys(nm) {
            return Err(Rewrite);
        }
        let mut ranges = Vec::with_capacity(om.len());
        for m in om {
            let k = m.key_span.range().ok_or(Rewrite)?;
            let v = m.value.span.range().ok_or(Rewrite)?;
            ranges.push((k, v));
        }
        let first_key = ranges[0].0.start;
        let first_on_own_line = self.source[line_start(self.source, first_key)..first_key]
            .bytes()
            .all(|b| b == b' ');
        let indent = column(self.source, first_key);
        let pairs = pair_entries(om, nm).ok_or(Rewrite)?;
        // Between consecutive pairs (and before the first, after the last): deletions, then insertions.
        let nl = self.style.newline();
        let mut prev: Option<(usize, usize)> = None;
        for g in 0..=pairs.len() {
            let (old_from, new_from) = prev.map_or((0, 0), |(o, n)| (o + 1, n + 1));
            let (old_to, new_to) = pairs.get(g).copied().unwrap_or((om.len(), nm.len()));
            if old_from < old_to {
                if old_from == 0 && !first_on_own_line {
                    // `- key: …`: the first entry shares its line with the list's dash.
                    return Err(Rewrite);
                }
                // The removed entries are consecutive: one deletion from the first's key to the last's end.
                let lines = self.entry_lines(ranges[old_from].0.start, ranges[old_to - 1].1.end);
                self.edits.push((lines, String::new()));
            }
            if new_from < new_to {
                let mut text = String::new();
                let at = match prev {
                    // A `|+` scalar keeps its trailing blank lines: an entry after it goes after them,
                    // which its span does not tell; the mapping is rewritten instead.
                    Some((o, _)) if keeps_trailing_lines(&self.source[ranges[o].1.clone()]) => {
                        return Err(Rewrite);
                    }
                    Some((o, _)) => {
                        for n in &nm[new_from..new_to] {
                            text.push_str(nl);
                            push_spaces(&mut text, indent);
                            self.write_entry(n, &mut text, indent);
                        }
                        line_end(self.source, ranges[o].1.end)
                    }
                    None if first_on_own_line && line_start(self.source, first_key) > 0 => {
                        for n in &nm[new_from..new_to] {
                            text.push_str(nl);
                            push_spaces(&mut text, indent);
                            self.write_entry(n, &mut text, indent);
                        }
                        line_end(self.source, line_start(self.source, first_key) - 1)
                    }
                    None if first_on_own_line => {
                        for n in &nm[new_from..new_to] {
                            push_spaces(&mut text, indent);
                            self.write_entry(n, &mut text, indent);
                            text.push_str(nl);
                        }
                        0
                    }
                    None => return Err(Rewrite),
                };
                self.edits.push((at..at, text));
            }
            if let Some(&(o, n)) = pairs.get(g) {
                self.edit_entry(&om[o], &ranges[o], &nm[n], indent);
            }
            prev = pairs.get(g).copied();
        }
        Ok(())
    }

    /// The text to delete to remove the entry whose key starts at `key` and whose value ends at `end`: its
    /// lines, from the line break before them to the end of the last (not its line break, so that an
    /// insertion after an enclosing entry's last line stays outside), or from the start of the text.
    fn entry_lines(&self, key: usize, end: usize) -> Range<usize> {
        let start = line_start(self.source, key);
        if start == 0 {
            0..next_line_start(self.source, end)
        } else {
            line_end(self.source, start - 1)..line_end(self.source, end)
        }
    }

    fn write_entry(&self, m: &Member, out: &mut String, indent: usize) {
        out.push_str(&scalar_string(&m.key));
        write_entry_value(&m.value, indent, self.style, out);
    }

    /// Turns the entry `old` (key and value at `ranges`) into `new`: the key rewritten if renamed, the value
    /// edited in place when it can be, else the entry rewritten.
    fn edit_entry(
        &mut self,
        old: &Member,
        ranges: &(Range<usize>, Range<usize>),
        new: &Member,
        indent: usize,
    ) {
        let (k, v) = ranges;
        let renamed = old.key != new.key;
        let mark = self.edits.len();
        if renamed {
            self.edits
                .push((k.clone(), scalar_string(&new.key).into_owned()));
        }
        if self.diff(&old.value, &new.value).is_ok() {
            return;
        }
        let old_scalar = !matches!(old.value.value, Value::Object(_) | Value::Array(_));
        let new_scalar = match &new.value.value {
            Value::Object(m) => m.is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => true,
        };
        if old_scalar && new_scalar && !v.is_empty() {
            let mut text = String::new();
            write_scalar(&new.value, &mut text);
            self.edits.push((v.clone(), text));
            return;
        }
        self.edits.truncate(mark);
        let mut text = if renamed {
            scalar_string(&new.key).into_owned()
        } else {
            self.source[k.clone()].to_owned()
        };
        write_entry_value(&new.value, indent, self.style, &mut text);
        self.edits.push((k.start..v.end.max(k.end), text));
    }
}

/// Which old entry becomes which new one, as increasing `(old, new)` index pairs: entries with the same key
/// (which must keep their order, else `None`); between those, an old and a new entry with equal values (a
/// renamed entry); then the rest in order (an entry renamed and edited). Unpaired entries are removed or added.
fn pair_entries(om: &[Member], nm: &[Member]) -> Option<Vec<(usize, usize)>> {
    let new_index: std::collections::HashMap<&str, usize> = nm
        .iter()
        .enumerate()
        .map(|(i, m)| (m.key.as_str(), i))
        .collect();
    let mut same_key = Vec::new();
    for (o, m) in om.iter().enumerate() {
        if let Some(&n) = new_index.get(m.key.as_str()) {
            if same_key.last().is_some_and(|&(_, last)| last >= n) {
                return None;
            }
            same_key.push((o, n));
        }
    }
    let mut pairs = Vec::new();
    let mut from = (0, 0);
    for g in 0..=same_key.len() {
        let to = same_key.get(g).copied().unwrap_or((om.len(), nm.len()));
        let mut equal = Vec::new();
        let mut next_new = from.1;
        // Looking for renamed entries costs removed × added comparisons: only for a few at a time.
        let search = (to.0 - from.0) * (to.1 - from.1) <= 4096;
        for (o, m) in om
            .iter()
            .enumerate()
            .take(if search { to.0 } else { 0 })
            .skip(from.0)
        {
            if let Some(n) = (next_new..to.1).find(|&n| nm[n].value == m.value) {
                equal.push((o, n));
                next_new = n + 1;
            }
        }
        let mut sub_from = from;
        for k in 0..=equal.len() {
            let sub_to = equal.get(k).copied().unwrap_or(to);
            let n = (sub_to.0 - sub_from.0).min(sub_to.1 - sub_from.1);
            pairs.extend((0..n).map(|i| (sub_from.0 + i, sub_from.1 + i)));
            if let Some(&e) = equal.get(k) {
                pairs.push(e);
                sub_from = (e.0 + 1, e.1 + 1);
            }
        }
        if let Some(&p) = same_key.get(g) {
            pairs.push(p);
            from = (p.0 + 1, p.1 + 1);
        }
    }
    Some(pairs)
}

/// Whether a scalar's text is a block scalar with the keep indicator (`|+`, `>+`, `|2+`, `!tag >+`).
fn keeps_trailing_lines(text: &str) -> bool {
    let header = text.lines().next().unwrap_or("");
    header
        .split_whitespace()
        .take_while(|t| !t.starts_with('#'))
        .any(|t| t.starts_with(['|', '>']) && t.contains('+'))
}

fn has_duplicate_keys(members: &[Member]) -> bool {
    let mut keys: Vec<&JStr> = members.iter().map(|m| &m.key).collect();
    keys.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    keys.windows(2).any(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    use super::super::{parse, parse_yaml};
    use super::*;

    fn reads_back(s: &str) {
        let text = format!("k: {}\n", scalar_string(s));
        let j = parse_yaml(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(j.get("k").unwrap().as_str(), Some(s), "{text:?}");
        let text = format!("- {}\n", scalar_string(s));
        let j = parse_yaml(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(j.as_array().unwrap()[0].as_str(), Some(s), "{text:?}");
    }

    #[test]
    fn strings_read_back_as_the_same_string() {
        for s in [
            "Yes",
            "No",
            "on",
            "null",
            "Null",
            "~",
            "",
            " ",
            "true",
            "1.0",
            "1",
            "-1",
            "0x1F",
            ".5",
            "1e3",
            ".inf",
            "2024-01-02",
            "1_000",
            "010",
            "1:20",
            " lead",
            "trail ",
            "a: b",
            "a #b",
            "#x",
            ":x",
            "x:",
            "-",
            "- x",
            "?",
            "!tag",
            "&a",
            "*a",
            "|",
            ">",
            "'q'",
            "\"q\"",
            "%x",
            "@x",
            "`x",
            "{x}",
            "[x]",
            "a,b",
            "two\nlines",
            "tab\there",
            "\u{85}nel",
            "ls\u{2028}",
            "\u{7}bell",
            "é ü ☃",
            "$.approved",
            "$$.Task.Token",
            "States.Format('{}', $.x)",
            "---",
            "...",
            "a\\b",
            "<<",
            "=",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "${ApprovalQueueUrl}",
            "Approved?",
            "\u{1F600}",
            "\u{feff}bom",
        ] {
            reads_back(s);
        }
    }

    #[test]
    fn plain_where_it_is_safe() {
        assert_eq!(scalar_string("Approve or reject"), "Approve or reject");
        assert_eq!(scalar_string("$.approved"), "$.approved");
        assert_eq!(scalar_string("Yes"), "\"Yes\"");
        assert_eq!(scalar_string("1.0"), "\"1.0\"");
        assert_eq!(scalar_string("a: b"), "\"a: b\"");
    }

    #[test]
    fn documents_read_back_as_the_same_tree() {
        let json = super::super::parse(
            r#"{"Comment": "x", "StartAt": "Yes", "States": {"Yes": {"Type": "Pass", "Result": {"a": [1, 2.50, [], {}, [true, null], {"b": "No"}], "c": {}}, "Next": "No"}, "No": {"Type": "Succeed"}}, "1.0": [[1, 2], [3]]}"#,
        )
        .unwrap();
        for style in [
            YamlStyle::default(),
            YamlStyle {
                indent: 4,
                indentless_lists: true,
                crlf: true,
                final_newline: false,
            },
        ] {
            let text = yaml_text_styled(&json, style);
            assert_eq!(parse_yaml(&text).unwrap(), json, "{text}");
        }
        assert_eq!(
            yaml_text(
                &super::super::parse(r#"{"a": [{"b": 1, "c": [2]}], "d": {"e": null}}"#).unwrap()
            ),
            "a:\n  - b: 1\n    c:\n      - 2\nd:\n  e: null\n"
        );
    }

    fn edit(text: &str, f: impl FnOnce(&mut Json)) -> String {
        let old = parse_yaml(text).unwrap();
        let mut new = old.clone();
        f(&mut new);
        let out = splice_yaml(text, &old, &new);
        assert_eq!(parse_yaml(&out).unwrap(), new, "{out}");
        out
    }

    fn members(j: &mut Json) -> &mut Vec<Member> {
        match &mut j.value {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    const TEXT: &str = "# top\nStartAt: A   # first\nStates:\n  # the A state\n  A:\n    Type: Pass\n    Next: B\n  B:   {Type: Succeed}\n# end\n";

    #[test]
    fn a_changed_scalar_is_replaced_in_place() {
        let out = edit(TEXT, |j| {
            members(j)[0].value = Json::string("B");
        });
        assert_eq!(out, TEXT.replace("StartAt: A ", "StartAt: B "));
    }

    #[test]
    fn added_removed_and_renamed_entries() {
        let out = edit(TEXT, |j| {
            let states = members(&mut members(j)[1].value);
            members(&mut states[0].value).push(Member::new("Comment", Json::string("Yes")));
        });
        assert_eq!(
            out,
            TEXT.replace("Next: B\n", "Next: B\n    Comment: \"Yes\"\n")
        );
        let out = edit(TEXT, |j| {
            let states = members(&mut members(j)[1].value);
            states.remove(0);
        });
        assert_eq!(
            out,
            "# top\nStartAt: A   # first\nStates:\n  # the A state\n  B:   {Type: Succeed}\n# end\n"
        );
        let out = edit(TEXT, |j| {
            let states = members(&mut members(j)[1].value);
            states[0].key = JStr::new("A 2");
            states.insert(0, Member::new("Z", Json::string("x")));
        });
        assert_eq!(out, TEXT.replace("  A:\n", "  Z: x\n  A 2:\n"));
        // A flow mapping is rewritten in block style.
        let out = edit(TEXT, |j| {
            let states = members(&mut members(j)[1].value);
            members(&mut states[1].value).push(Member::new("End", Value::Bool(true).into()));
        });
        assert_eq!(
            out,
            TEXT.replace(
                "  B:   {Type: Succeed}",
                "  B:\n    Type: Succeed\n    End: true"
            )
        );
    }

    #[test]
    fn lists_and_list_items() {
        let text = "L:\n- a: 1   # one\n  b: 2\n- x\nM: [1, 2]\n";
        let out = edit(text, |j| {
            let l = &mut members(j)[0].value;
            if let Value::Array(items) = &mut l.value {
                members(&mut items[0]).remove(1);
                items[1] = Json::string("y: z");
            }
        });
        assert_eq!(out, "L:\n- a: 1   # one\n- \"y: z\"\nM: [1, 2]\n");
        // Removing the first entry of a mapping that shares its line with the dash rewrites the item.
        let out = edit(text, |j| {
            if let Value::Array(items) = &mut members(j)[0].value.value {
                members(&mut items[0]).remove(0);
            }
        });
        assert_eq!(out, "L:\n- b: 2\n- x\nM: [1, 2]\n");
        // A list that grows is rewritten, in the file's (indentless) style.
        let out = edit(text, |j| {
            if let Value::Array(items) = &mut members(j)[1].value.value {
                items.push(Json::string("3"));
            }
        });
        assert_eq!(
            out,
            "L:\n- a: 1   # one\n  b: 2\n- x\nM:\n- 1\n- 2\n- \"3\"\n"
        );
    }

    #[test]
    fn edits_that_meet_at_one_offset() {
        // An entry replaced by new keys: the inner deletion ends where the outer insertion goes.
        let text = "A:\n  x: 1\n  y: 2\nB: 3";
        let out = edit(text, |j| {
            j.value = parse(r#"{"A": {"m": 1}, "Z": 2, "B": 3}"#).unwrap().value;
        });
        assert_eq!(out, "A:\n  m: 1\nZ: 2\nB: 3");
        // The first two entries removed.
        let out = edit(text, |j| {
            members(j).drain(..1);
        });
        assert_eq!(out, "B: 3");
        let out = edit("a: 1\nb: 2\nc: 3\n", |j| {
            members(j).drain(..2);
        });
        assert_eq!(out, "c: 3\n");
    }

    #[test]
    fn anchors_and_kept_trailing_lines() {
        // Rewriting an anchored node would leave its alias dangling: the whole tree is written instead.
        let text = "A: &a\n  T: 1\nB: *a\n";
        let out = edit(text, |j| members(j)[0].value = Json::string("x"));
        assert_eq!(out, "A: x\nB:\n  T: 1\n");
        // An entry added after a `|+` scalar cannot go between its text and its kept blank lines.
        let text = "M:\n  S: |+\n    kept\n\n# c\n";
        edit(text, |j| {
            members(&mut members(j)[0].value).push(Member::new("N", Json::null()));
        });
    }

    #[test]
    fn empty_values_and_crlf() {
        let text = "A:\r\n  B: \r\n  C: 1\r\n";
        let out = edit(text, |j| {
            let a = members(&mut members(j)[0].value);
            a[0].value = Json::string("x");
            a.push(Member::new("D", Json::null()));
        });
        assert_eq!(out, "A:\r\n  B: x \r\n  C: 1\r\n  D: null\r\n");
    }
}
