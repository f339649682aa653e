//! Where a character of a string value lies in the source text: JSON strings with their escapes, and YAML
//! scalars in every style (plain, single- or double-quoted, folded over lines, `|`/`>` block scalars). Used to
//! put a diagnostic about the inside of a string (a JSONata syntax error) at the character it is about.

/// The byte offset in `text` of the character `k` of the string value whose source is `text[start..end]` (a
/// JSON string with its quotes, or a YAML scalar as written, tag and block header included). `k` may be the
/// value's length (the position right after its last character). `None` when the source does not hold `k`
/// characters.
pub(crate) fn string_char_offset(text: &str, start: usize, end: usize, k: usize) -> Option<usize> {
    let raw = text.get(start..end)?;
    let mut i = skip_properties(raw);
    let rest = &raw[i..];
    let style = match rest.chars().next() {
        Some('"') => Style::Double,
        Some('\'') => Style::Single,
        Some('|' | '>') => Style::Block,
        _ => Style::Plain,
    };
    match style {
        Style::Double | Style::Single => i += 1,
        Style::Block => i += rest.find('\n').map_or(rest.len(), |n| n + 1),
        Style::Plain => {}
    }
    // A block scalar's content is indented by the first non-blank line's indentation; more is content.
    let block_indent = (style == Style::Block).then(|| {
        raw[i..]
            .lines()
            .find(|l| !l.trim().is_empty())
            .map_or(0, |l| l.len() - l.trim_start_matches(' ').len())
    });
    let mut produced = 0;
    let mut line_start = block_indent.map(|_| i);
    while i < raw.len() {
        if let (Some(indent), Some(ls)) = (block_indent, line_start) {
            // Skip the block's indentation on this line.
            let spaces = raw[ls..].len() - raw[ls..].trim_start_matches(' ').len();
            i = ls + spaces.min(indent);
            line_start = None;
            continue;
        }
        let c = raw[i..].chars().next()?;
        if c == '\n' {
            if produced == k {
                return Some(start + i);
            }
            if block_indent.is_some() {
                produced += 1;
                line_start = Some(i + 1);
                i += 1;
                continue;
            }
            // A flow scalar folds: the whitespace before the break goes, each blank line after it gives a line
            // feed, a break before a non-blank line gives one space, and the next line's indentation goes.
            let mut j = i + 1;
            let mut blank = 0;
            loop {
                let line_end = raw[j..].find('\n').map_or(raw.len(), |n| j + n);
                if line_end < raw.len() && raw[j..line_end].trim().is_empty() {
                    blank += 1;
                    j = line_end + 1;
                } else {
                    break;
                }
            }
            produced += blank.max(1);
            i = j + raw[j..].len() - raw[j..].trim_start_matches([' ', '\t']).len();
            continue;
        }
        if block_indent.is_none() && (c == ' ' || c == '\t') {
            let after = raw[i..].trim_start_matches([' ', '\t']);
            if after.starts_with('\n') {
                // Whitespace before a folded line break is not part of the value.
                i = raw.len() - after.len();
                continue;
            }
        }
        let closing = match (style, c) {
            (Style::Double, '"') => true,
            (Style::Single, '\'') => !raw[i + 1..].starts_with('\''),
            _ => false,
        };
        if closing {
            // The closing quote: the position right after the value.
            return (produced == k).then_some(start + i);
        }
        if produced == k {
            return Some(start + i);
        }
        let len = match (style, c) {
            (Style::Single, '\'') => 2,
            (Style::Double, '\\') => escape_len(&raw[i..]),
            _ => c.len_utf8(),
        };
        if !(style == Style::Double && raw[i..].starts_with("\\\n")) {
            produced += 1;
        }
        i += len;
    }
    (produced == k).then_some(start + raw.len())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Block,
}

/// Skips a YAML node's `!tag` and `&anchor` (with the spaces after them).
fn skip_properties(raw: &str) -> usize {
    let mut i = 0;
    while raw[i..].starts_with(['!', '&']) {
        i += raw[i..].find(char::is_whitespace).unwrap_or(raw.len() - i);
        i += raw[i..].len() - raw[i..].trim_start().len();
    }
    i
}

/// The length in bytes of the escape sequence at the start of `s` (which starts with a backslash): `\n`,
/// `\uXXXX` (a surrogate pair counts as one character), YAML's `\xXX`, `\UXXXXXXXX` and escaped line break.
fn escape_len(s: &str) -> usize {
    let b = s.as_bytes();
    match b.get(1) {
        Some(b'u') => {
            let high = s
                .get(2..6)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .is_some_and(|v| (0xD800..0xDC00).contains(&v));
            if high && s.get(6..8) == Some("\\u") {
                12
            } else {
                6.min(s.len())
            }
        }
        Some(b'x') => 4.min(s.len()),
        Some(b'U') => 10.min(s.len()),
        Some(b'\n') => {
            // An escaped line break joins the lines; the next line's indentation goes too.
            2 + s[2..].len() - s[2..].trim_start_matches([' ', '\t']).len()
        }
        Some(_) => 1 + s[1..].chars().next().map_or(0, char::len_utf8),
        None => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text at the offset of character `k`, for readable assertions.
    fn at(text: &str, k: usize) -> &str {
        let start = text.find(['"', '\'', '|', '>', '{', '!']).unwrap_or(0);
        let off = string_char_offset(text, start, text.len(), k).expect("offset");
        &text[off..]
    }

    #[test]
    fn json_strings_count_escapes_as_one_character() {
        let t = r#""{% $a & \"x\" & \u00e9 & \ud83d\ude00 + %}""#;
        // value: {% $a & "x" & é & 😀 + %}
        assert!(at(t, 3).starts_with("$a"));
        assert!(at(t, 8).starts_with("\\\"x"));
        assert!(at(t, 9).starts_with("x\\\""));
        assert!(at(t, 14).starts_with("\\u00e9"));
        assert!(at(t, 18).starts_with("\\ud83d\\ude00"));
        assert!(at(t, 20).starts_with("+ %}"));
        assert_eq!(at(t, 24), "\"");
        assert_eq!(string_char_offset(t, 0, t.len(), 25), None);
    }

    #[test]
    fn yaml_scalars() {
        assert!(at("Output: '{% it''s + %}'", 8).starts_with("+ %}"));
        assert!(at("Output: \"{% \\t + %}\"", 5).starts_with("+ %}"));
        let block = "Output: |\n    {% $a +\n      $b ) %}\n";
        // value: "{% $a +\n  $b ) %}\n"
        assert!(at(block, 3).starts_with("$a +"));
        assert!(at(block, 10).starts_with("$b )"));
        assert!(at(block, 13).starts_with(") %}"));
        let folded = "Output: >-\n  {% 1 +\n  ) %}\n";
        assert!(at(folded, 7).starts_with(") %}"));
        let flow = "Output: \"{% 1 +  \n     ) %}\"";
        assert!(at(flow, 7).starts_with(") %}"));
        let plain = "{% $x + ) %}";
        assert_eq!(string_char_offset(plain, 0, plain.len(), 8), Some(8));
        let tagged = "Output: !!str '{% ) %}'";
        assert!(at(tagged, 3).starts_with(") %}'"));
    }
}
