//! `{% %}` JSONata expressions inside inspector fields: where they are in the text, their syntax errors
//! (parsed with [`Jsonata::parse`], the evaluator the simulator runs) at a line and column of the field, and
//! a layouter that highlights them and underlines the error.

use crate::expr::jsonata::Jsonata;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, Stroke};
use std::ops::Range;

/// One `{% … %}` in a field's text: char ranges of the whole span and of the expression between the marks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprSpan {
    pub whole: Range<usize>,
    pub inner: Range<usize>,
}

/// A syntax error of an expression, located in the field's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// Char offset in the field's text.
    pub offset: usize,
    /// 1-based line and column in the field's text.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Every `{% … %}` in `text` (an unclosed `{%` runs to the end of the text).
pub fn spans(text: &str) -> Vec<ExprSpan> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < chars.len() {
        if chars[i] == '{' && chars[i + 1] == '%' {
            let start = i;
            let mut j = i + 2;
            while j + 1 < chars.len() && !(chars[j] == '%' && chars[j + 1] == '}') {
                j += 1;
            }
            let (inner_end, end) = if j + 1 < chars.len() {
                (j, j + 2)
            } else {
                (chars.len(), chars.len())
            };
            out.push(ExprSpan {
                whole: start..end,
                inner: start + 2..inner_end,
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The syntax errors of the expressions in `text`. With `json_escapes` the text is JSON source, and the
/// expressions sit inside JSON strings: `\"`, `\\`, `\n`, … are read as the characters they stand for.
pub fn errors(text: &str, json_escapes: bool) -> Vec<ExprError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for span in spans(text) {
        if span.whole.end == chars.len() && !text.ends_with("%}") {
            out.push(located(
                &chars,
                span.whole.start,
                "the expression has no closing %}",
            ));
            continue;
        }
        // The expression as the evaluator sees it, and for each of its chars the offset in `text`.
        let mut expr = String::new();
        let mut origin = Vec::new();
        let mut k = span.inner.start;
        while k < span.inner.end {
            let c = chars[k];
            if json_escapes && c == '\\' && k + 1 < span.inner.end {
                let decoded = match chars[k + 1] {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    other => other,
                };
                expr.push(decoded);
                origin.push(k);
                k += 2;
            } else {
                expr.push(c);
                origin.push(k);
                k += 1;
            }
        }
        if let Err(e) = Jsonata::parse(&expr) {
            let at = e
                .position
                .and_then(|p| origin.get(p).copied())
                .unwrap_or(span.inner.end);
            out.push(located(&chars, at, &e.to_string()));
        }
    }
    out
}

fn located(chars: &[char], offset: usize, message: &str) -> ExprError {
    let before = &chars[..offset.min(chars.len())];
    let line = before.iter().filter(|c| **c == '\n').count() + 1;
    let column = before.iter().rev().take_while(|c| **c != '\n').count() + 1;
    ExprError {
        offset,
        line,
        column,
        message: message.to_owned(),
    }
}

/// Lays out a field's text: `{% %}` expressions highlighted, the chars at `error_offsets` underlined in the
/// error colour (the end of the text marks the last char).
pub fn galley(
    ui: &egui::Ui,
    text: &str,
    error_offsets: &[usize],
    wrap_width: f32,
) -> std::sync::Arc<egui::Galley> {
    let font = FontId::monospace(egui::TextStyle::Monospace.resolve(ui.style()).size);
    let v = ui.visuals();
    let plain = TextFormat::simple(font.clone(), v.text_color());
    let marks = TextFormat::simple(font.clone(), expr_mark_color(v.dark_mode));
    let mut inside = TextFormat::simple(font, expr_color(v.dark_mode));
    inside.background = if v.dark_mode {
        Color32::from_rgb(0x20, 0x33, 0x2a)
    } else {
        Color32::from_rgb(0xe9, 0xf6, 0xee)
    };
    let spans = spans(text);
    let n = text.chars().count();
    let mut job = LayoutJob::default();
    for (i, c) in text.chars().enumerate() {
        let mut fmt = match spans.iter().find(|s| s.whole.contains(&i)) {
            Some(s) if s.inner.contains(&i) => inside.clone(),
            Some(_) => marks.clone(),
            None => plain.clone(),
        };
        let errs = error_offsets
            .iter()
            .any(|&o| o == i || (o >= n && i + 1 == n));
        if errs {
            fmt.underline = Stroke::new(2.0, v.error_fg_color);
            fmt.color = v.error_fg_color;
        }
        let mut buf = [0u8; 4];
        job.append(c.encode_utf8(&mut buf), 0.0, fmt);
    }
    job.wrap.max_width = wrap_width;
    ui.fonts_mut(|f| f.layout_job(job))
}

fn expr_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0x8f, 0xd9, 0xa8)
    } else {
        Color32::from_rgb(0x1d, 0x6b, 0x3c)
    }
}

fn expr_mark_color(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(0xd7, 0x9b, 0xf0)
    } else {
        Color32::from_rgb(0x8a, 0x2b, 0xb0)
    }
}

/// Whether a string is a whole `{% … %}` expression.
pub fn is_expression(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("{%") && t.ends_with("%}") && t.len() >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_columns() {
        let t = "{\n  \"a\": \"{% $states.input + %}\"\n}";
        let s = spans(t);
        assert_eq!(s.len(), 1);
        let e = errors(t, true);
        assert_eq!(e.len(), 1);
        // The error is at the end of the expression (an operand is missing): line 2.
        assert_eq!(e[0].line, 2);
        assert!(e[0].column > 20, "{:?}", e[0]);
        assert!(errors("{% 1 + 2 %}", false).is_empty());
        let e = errors("{% $x ]] %}", false);
        assert_eq!((e[0].line, e[0].column), (1, 7), "{:?}", e[0]);
        assert!(errors("{% 1", false)[0].message.contains("closing"));
    }
}
