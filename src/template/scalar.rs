//! A string scalar of a template that holds a definition: how it is written (JSON string, YAML literal
//! block, quoted …), where each of its characters sits in the template, and how to write a new value in the
//! same style.

use super::TemplateFormat;
use crate::json::{JStr, yaml_double_quoted as double_quoted};
use std::ops::Range;

/// How a definition string is written in the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    /// A JSON string in a JSON template; `raw` is the text between the quotes.
    Json {
        escaped_slash: bool,
        ascii_only: bool,
    },
    /// YAML `"…"`.
    DoubleQuoted,
    /// YAML `'…'`.
    SingleQuoted,
    /// YAML `|` (block literal): the header's indentation indicator and comment, and the content indent.
    Literal {
        indicator: Option<char>,
        comment: String,
        indent: usize,
    },
    /// YAML `>` (folded): rewritten as a literal block at the same content indent.
    Folded { indent: usize },
    /// A plain YAML scalar (a definition never is one in practice).
    Plain,
}

/// A definition string: its style, the template bytes it occupies (without a tag), and the template offset
/// of each byte of its value.
#[derive(Clone, Debug)]
pub(crate) struct ScalarInfo {
    pub style: ScalarStyle,
    pub region: Range<usize>,
    /// `map[i]`: the template offset of the value's byte `i` (`map.len() == value.len() + 1`).
    map: Vec<usize>,
    /// The indentation of the line the scalar starts on.
    line_indent: usize,
}

impl ScalarInfo {
    /// `span`: the scalar node's span in `text` (from its tag, if tagged); `value`: its string value.
    pub fn read(text: &str, span: Range<usize>, value: &str, format: TemplateFormat) -> ScalarInfo {
        let mut start = span.start;
        let end = span.end.min(text.len());
        if text[start..end].starts_with('!') {
            // Skip the tag and the blanks after it.
            let tag_end = text[start..end]
                .find(char::is_whitespace)
                .map_or(end, |i| start + i);
            start = tag_end + text[tag_end..end].len() - text[tag_end..end].trim_start().len();
        }
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_indent = text[line_start..]
            .bytes()
            .take_while(|b| *b == b' ')
            .count();
        let raw = &text[start..end];
        let style = match raw.as_bytes().first() {
            Some(b'"') if format == TemplateFormat::Json => ScalarStyle::Json {
                escaped_slash: raw.contains("\\/"),
                ascii_only: raw.is_ascii() && !value.is_ascii(),
            },
            Some(b'"') => ScalarStyle::DoubleQuoted,
            Some(b'\'') => ScalarStyle::SingleQuoted,
            Some(b'|') | Some(b'>') => {
                let header_end = raw.find('\n').unwrap_or(raw.len());
                let header = &raw[..header_end];
                let (indicators, comment) = match header.find('#') {
                    Some(i) => (&header[..i], header[i..].to_owned()),
                    None => (header, String::new()),
                };
                let indicator = indicators[1..].chars().find(char::is_ascii_digit);
                let comment = if comment.is_empty() {
                    comment
                } else {
                    let pad = indicators.len() - indicators.trim_end().len();
                    format!("{}{comment}", " ".repeat(pad.max(1)))
                };
                let indent = raw[header_end..]
                    .split('\n')
                    .find(|l| !l.trim().is_empty())
                    .map_or(line_indent + 2, |l| {
                        l.len() - l.trim_start_matches(' ').len()
                    });
                if raw.starts_with('|') {
                    ScalarStyle::Literal {
                        indicator,
                        comment,
                        indent,
                    }
                } else {
                    ScalarStyle::Folded { indent }
                }
            }
            _ => ScalarStyle::Plain,
        };
        let map = align(text, start, end, value, &style);
        ScalarInfo {
            style,
            region: start..end,
            map,
            line_indent,
        }
    }

    /// The template offset of the value's byte `offset`.
    pub fn template_offset(&self, offset: usize) -> usize {
        self.map[offset.min(self.map.len() - 1)]
    }

    /// The text that replaces [`ScalarInfo::region`] to hold `value`, in the scalar's style where the
    /// style can hold it (a one-line quoted style becomes a literal block for a value with line breaks).
    pub fn render(&self, value: &str, crlf: bool) -> String {
        let nl = if crlf { "\r\n" } else { "\n" };
        match &self.style {
            ScalarStyle::Json {
                escaped_slash,
                ascii_only,
            } => {
                let mut s = JStr::new(value).raw_text().into_owned();
                if *escaped_slash {
                    s = s.replace('/', "\\/");
                }
                if *ascii_only {
                    s = s
                        .chars()
                        .map(|c| {
                            if c.is_ascii() {
                                c.to_string()
                            } else {
                                c.encode_utf16(&mut [0; 2])
                                    .iter()
                                    .map(|u| format!("\\u{u:04x}"))
                                    .collect()
                            }
                        })
                        .collect();
                }
                format!("\"{s}\"")
            }
            ScalarStyle::DoubleQuoted => double_quoted(value),
            ScalarStyle::SingleQuoted if single_quotable(value) => {
                format!("'{}'", value.replace('\'', "''"))
            }
            ScalarStyle::Literal {
                indicator,
                comment,
                indent,
            } => literal(value, *indent, *indicator, comment, nl)
                .unwrap_or_else(|| double_quoted(value)),
            ScalarStyle::Folded { indent } => {
                literal(value, *indent, None, "", nl).unwrap_or_else(|| double_quoted(value))
            }
            ScalarStyle::SingleQuoted | ScalarStyle::Plain => {
                literal(value, self.line_indent + 2, None, "", nl)
                    .unwrap_or_else(|| double_quoted(value))
            }
        }
    }
}

/// Whether a single-quoted one-line scalar holds `value` exactly.
fn single_quotable(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with([' ', '\t'])
        && !value.ends_with([' ', '\t'])
        && !value
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
}

/// A literal block scalar (`|`, `|-`, `|+`, with the indentation indicator kept) holding `value`, its
/// content lines at `indent`; no line break after the last content line. `None` when a literal block
/// cannot hold the value exactly.
fn literal(
    value: &str,
    indent: usize,
    indicator: Option<char>,
    comment: &str,
    nl: &str,
) -> Option<String> {
    let body = value.trim_end_matches('\n');
    let trailing = value.len() - body.len();
    if body.is_empty()
        || trailing > 1
        || body.contains('\r')
        || body.chars().any(|c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{feff}')
        })
    {
        return None;
    }
    // Without an indentation indicator the first content line must not start with a blank.
    let first = body.lines().find(|l| !l.is_empty()).unwrap_or("");
    if indicator.is_none() && first.starts_with([' ', '\t']) {
        return None;
    }
    let mut out = String::from("|");
    if let Some(d) = indicator {
        out.push(d);
    }
    if trailing == 0 {
        out.push('-');
    }
    out.push_str(comment);
    for line in body.split('\n') {
        out.push_str(nl);
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(line);
        }
    }
    Some(out)
}

/// The template offset of each byte of `value`, read from the scalar's text `text[start..end]`.
/// Escapes map to where they start; folded line breaks to where they start. When the text and the value
/// stop matching (a style this walk does not know), the rest maps to the last matched position.
fn align(text: &str, start: usize, end: usize, value: &str, style: &ScalarStyle) -> Vec<usize> {
    let raw = &text[start..end];
    let mut map = Vec::with_capacity(value.len() + 1);
    let (mut i, indent) = match style {
        ScalarStyle::Json { .. } | ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => (1, 0),
        ScalarStyle::Literal { indent, .. } | ScalarStyle::Folded { indent } => {
            // Content starts after the header line and the first line's indentation.
            let first = raw.find('\n').map_or(raw.len(), |n| n + 1);
            let mut i = first;
            while raw[i..].starts_with('\n') {
                i += 1;
            }
            (
                i + raw[i..].bytes().take_while(|b| *b == b' ').count(),
                *indent,
            )
        }
        ScalarStyle::Plain => (0, 0),
    };
    let quoted_double = matches!(style, ScalarStyle::Json { .. } | ScalarStyle::DoubleQuoted);
    let quoted_single = *style == ScalarStyle::SingleQuoted;
    let bytes = raw.as_bytes();
    let mut lost = false;
    for c in value.chars() {
        let here = start + i.min(raw.len());
        if !lost && i < raw.len() {
            let rc = raw[i..].chars().next().unwrap_or(' ');
            if quoted_double && rc == '\\' {
                let step = match bytes.get(i + 1) {
                    Some(b'u') => 6,
                    Some(b'x') => 4,
                    Some(b'U') => 10,
                    _ => 2,
                };
                // A `\uD83D\uDE00` pair is one character.
                let pair = step == 6 && (c as u32) > 0xffff && raw[i + 6..].starts_with("\\u");
                i += if pair { 12 } else { step };
            } else if quoted_single && rc == '\'' && raw[i + 1..].starts_with('\'') && c == '\'' {
                i += 2;
            } else if rc == c && c != '\n' {
                i += c.len_utf8();
            } else if c == '\n' || (rc == '\n' && c == ' ') || (rc == '\r' && c == ' ') {
                // A line break (literal) or a folded one: skip to the next line's content.
                match raw[i..].find('\n') {
                    Some(n) => {
                        i += n + 1;
                        let blanks = raw[i..].bytes().take_while(|b| *b == b' ').count();
                        i += if indent > 0 {
                            blanks.min(indent)
                        } else {
                            blanks
                        };
                    }
                    None => lost = true,
                }
            } else {
                lost = true;
            }
        }
        for _ in 0..c.len_utf8() {
            map.push(here);
        }
    }
    map.push(start + i.min(raw.len()));
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_blocks_keep_their_header_and_indent() {
        let text = "k: |\n    {\n      \"a\": 1\n    }\nnext: 1\n";
        let span = text.find('|').unwrap()..text.find("}\n").unwrap() + 1;
        let value = "{\n  \"a\": 1\n}\n";
        let info = ScalarInfo::read(text, span.clone(), value, TemplateFormat::Yaml);
        assert_eq!(info.render(value, false), &text[span.clone()]);
        let a = value.find("\"a\"").unwrap();
        assert_eq!(&text[info.template_offset(a)..][..3], "\"a\"");
        assert_eq!(info.render("{}", false), "|-\n    {}");
    }

    #[test]
    fn quoted_strings_map_escapes() {
        let text = r#"{"k": "{\"a\":\n 1}"}"#;
        let start = text.find("\"{").unwrap();
        let span = start..text.len() - 1;
        let value = "{\"a\":\n 1}";
        let info = ScalarInfo::read(text, span.clone(), value, TemplateFormat::Json);
        assert_eq!(info.render(value, false), &text[span]);
        let one = value.find('1').unwrap();
        assert_eq!(&text[info.template_offset(one)..][..1], "1");
        let text = "k: '{\"it''s\": 1}'\n";
        let value = "{\"it's\": 1}";
        let span = 3..text.len() - 1;
        let info = ScalarInfo::read(text, span.clone(), value, TemplateFormat::Yaml);
        assert_eq!(info.render(value, false), &text[span]);
        assert_eq!(
            &text[info.template_offset(value.find('1').unwrap())..][..1],
            "1"
        );
        // A value with line breaks cannot stay single-quoted on one line.
        assert_eq!(info.render("{\n}", false), "|-\n  {\n  }");
    }
}
