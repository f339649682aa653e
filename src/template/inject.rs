//! Writing an edited definition back: only the definition's text changes.

use super::{Definition, ErrorKind, Form, Machine, Template, TemplateError, TemplateFormat};
use crate::asl::SourceFormat;
use crate::json::{self, Json, Value};
use std::path::PathBuf;

/// The result of [`Template::inject`]: the text to write, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Injected {
    /// The file to write: the template, or for `DefinitionUri` / a local `DefinitionS3Location` the
    /// referenced file (the template itself does not change then).
    pub path: PathBuf,
    /// The new contents of that file.
    pub text: String,
    /// Whether `text` differs from the file's current contents.
    pub changed: bool,
    /// A remark for the user when the edit had to change the layout (a flow mapping written as a block).
    pub note: Option<String>,
}

/// The text of a `Fn::Join` definition: the literal parts joined with the delimiter, each `Ref` part as
/// `${Name}`, each `Fn::GetAtt` part as `${Name.Attribute}` (the `Fn::Sub` spelling), any other part as
/// `${…}` around its description (see [`super::subst::describe`]).
pub(crate) fn join_text(node: &Json) -> Result<String, String> {
    let arg = node
        .get("Fn::Join")
        .and_then(Json::as_array)
        .ok_or("Fn::Join must hold a [delimiter, [parts]] list")?;
    let (Some(delimiter), Some(parts)) = (
        arg.first().and_then(Json::as_str),
        arg.get(1).and_then(Json::as_array),
    ) else {
        return Err("Fn::Join must hold a [delimiter, [parts]] list".into());
    };
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(delimiter);
        }
        match &part.value {
            Value::String(s) => out.push_str(s),
            _ => {
                out.push_str("${");
                out.push_str(&super::subst::placeholder_name(part));
                out.push('}');
            }
        }
    }
    Ok(out)
}

impl Template {
    /// The template (or referenced file) with the state machine `logical_id`'s definition replaced by `new`
    /// (an ASL tree: [`crate::asl::Document::to_json`] of the edited [`Machine::document`], or a parsed
    /// file). Only the definition's text changes:
    /// - a mapping is edited in place (YAML: block style at its indentation, unchanged entries keep their
    ///   bytes; a flow mapping is rewritten as a block mapping; JSON: only the changed nodes rewritten);
    /// - a string (`DefinitionString`, `Fn::Sub`) keeps its style (JSON string, YAML literal block, quotes);
    ///   its JSON text keeps its layout outside the changed nodes, `${…}` references as they are;
    /// - a referenced file is edited the same way and is what [`Injected::path`] names.
    ///
    /// An unchanged definition gives the file's bytes back. Errors: unknown ID, a read-only form
    /// (`Fn::Join`, S3; [`ErrorKind::ReadOnly`]), a definition that could not be read.
    pub fn inject(&self, logical_id: &str, new: &Json) -> Result<Injected, TemplateError> {
        let m = self.get(logical_id)?;
        if let Some(reason) = &m.read_only {
            let mut e = self.error(
                m.region.start,
                Some(logical_id),
                format!("the definition cannot be written back: {reason}"),
            );
            e.kind = ErrorKind::ReadOnly;
            return Err(e);
        }
        let def = m.definition.as_ref().map_err(Clone::clone)?;
        match &m.form {
            Form::File { path, .. } => {
                let text = if super::same_content(new, &def.tree) {
                    def.text.clone()
                } else {
                    match def.format {
                        SourceFormat::Json => json::splice(&def.text, &def.tree, new),
                        SourceFormat::Yaml => json::splice_yaml(&def.text, &def.tree, new),
                    }
                };
                let back = def.format.parse(&text).ok();
                if !back.as_ref().is_some_and(|b| super::same_content(b, new)) {
                    return Err(self.internal(
                        m,
                        "the edited file does not read back as the new definition",
                    ));
                }
                Ok(Injected {
                    path: path.clone(),
                    changed: text != def.text,
                    text,
                    note: None,
                })
            }
            Form::Mapping | Form::String | Form::Sub { .. } => {
                let (text, note) = if super::same_content(new, &def.tree) {
                    (self.text.clone(), None)
                } else {
                    self.rewrite(m, def, new)?
                };
                self.check(m, &text, new)?;
                Ok(Injected {
                    path: self.path.clone(),
                    changed: text != self.text,
                    text,
                    note,
                })
            }
            Form::Join | Form::S3 { .. } => unreachable!("read-only forms return above"),
        }
    }

    /// The template text with the definition of `m` rewritten to `new`.
    fn rewrite(
        &self,
        m: &Machine,
        def: &Definition,
        new: &Json,
    ) -> Result<(String, Option<String>), TemplateError> {
        let replace = |range: std::ops::Range<usize>, with: &str| {
            let mut out = String::with_capacity(self.text.len() + with.len());
            out.push_str(&self.text[..range.start]);
            out.push_str(with);
            out.push_str(&self.text[range.end..]);
            out
        };
        if m.form != Form::Mapping {
            let info = m
                .scalar
                .as_ref()
                .ok_or_else(|| self.internal(m, "the definition string has no position"))?;
            let content = json::splice(&def.text, &def.tree, new);
            let crlf = json::Style::of(&self.text).crlf;
            return Ok((
                replace(info.region.clone(), &info.render(&content, crlf)),
                None,
            ));
        }
        if self.format == TemplateFormat::Json {
            return Ok((json::splice(&self.text, &m.node, new), None));
        }
        let block = matches!((m.node.as_object(), m.node.span.range()),
            (Some([first, ..]), Some(r)) if first.key_span.range().is_some_and(|k| k.start == r.start));
        if block {
            let text = json::splice_yaml_node(&self.text, &m.node, new)
                .ok_or_else(|| self.internal(m, "the definition has no position"))?;
            return Ok((text, None));
        }
        // A flow mapping (`Definition: {…}`): rewritten as a block mapping under its key.
        let start = m.region.start;
        let colon = self.text[..start]
            .trim_end_matches([' ', '\t', '\r', '\n'])
            .strip_suffix(':')
            .map(str::len)
            .ok_or_else(|| self.internal(m, "the definition mapping does not follow its key"))?;
        let line_start = self.text[..colon].rfind('\n').map_or(0, |i| i + 1);
        let key_indent = self.text[line_start..]
            .bytes()
            .take_while(|b| *b == b' ')
            .count();
        let style = json::YamlStyle::of(&self.text, &self.tree);
        let indent = key_indent + style.indent;
        let nl = if style.crlf { "\r\n" } else { "\n" };
        let with = format!(
            "{nl}{}{}",
            " ".repeat(indent),
            json::yaml_block(new, indent, style)
        );
        Ok((
            replace(colon + 1..m.region.end, &with),
            Some("the flow-style Definition mapping was rewritten as a block mapping".into()),
        ))
    }

    /// Reads the new template text back: it must be a template whose machine `m` has the definition `new`.
    fn check(&self, m: &Machine, text: &str, new: &Json) -> Result<(), TemplateError> {
        let back = Template::parse(&self.path, text.to_owned())
            .map_err(|e| self.internal(m, &format!("the result does not read back: {e}")))?;
        let same = back
            .machine(&m.logical_id)
            .and_then(|b| b.definition.as_ref().ok())
            .is_some_and(|d| super::same_content(&d.tree, new));
        if !same {
            return Err(self.internal(m, "the result does not read back as the new definition"));
        }
        Ok(())
    }

    fn internal(&self, m: &Machine, message: &str) -> TemplateError {
        let mut e = self.error(
            m.region.start,
            Some(&m.logical_id),
            format!("cannot write the definition back: {message}"),
        );
        e.kind = ErrorKind::Internal;
        e
    }
}
