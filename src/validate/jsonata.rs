//! JSONata syntax for the validator (the `{% … %}` strings of JSONata-mode states).
//!
//! The simulator's own parser ([`crate::expr::jsonata::Jsonata::parse`]) decides, so that what validates is what
//! runs: an expression is refused here exactly when the simulator would refuse it. Errors carry the JSONata code
//! (`S0202`, …), a message with the engine's token names written as the expression writes them, and the
//! character offset of the offending token.

use crate::expr::jsonata::Jsonata;

/// A syntax error at a character offset of the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Checks the syntax of a JSONata expression (the text between `{%` and `%}`).
pub fn check_syntax(expr: &str) -> Result<(), SyntaxError> {
    parse(expr).map(|_| ())
}

/// Parses a JSONata expression as the simulator does; the error (if any) as [`check_syntax`] reports it.
pub fn parse(expr: &str) -> Result<Jsonata, SyntaxError> {
    if expr.trim().is_empty() {
        return Err(SyntaxError {
            offset: 0,
            message: "the expression is empty".into(),
        });
    }
    Jsonata::parse(expr).map_err(|e| {
        let message = readable(&e.message);
        SyntaxError {
            offset: e.position.unwrap_or(0),
            message: match e.code {
                Some(code) => format!("{code}: {message}"),
                None => message,
            },
        }
    })
}

/// The engine's messages name tokens by their Rust names (`RightParen`, `Identifier("b")`, `Number(2.0)`);
/// writes them as they appear in an expression (`')'`, `b`, `2`).
fn readable(message: &str) -> String {
    const SYMBOLS: &[(&str, &str)] = &[
        ("LeftParen", "'('"),
        ("RightParen", "')'"),
        ("LeftBracket", "'['"),
        ("RightBracket", "']'"),
        ("LeftBrace", "'{'"),
        ("RightBrace", "'}'"),
        ("Comma", "','"),
        ("Semicolon", "';'"),
        ("ColonEqual", "':='"),
        ("Colon", "':'"),
        ("QuestionQuestion", "'??'"),
        ("QuestionColon", "'?:'"),
        ("Question", "'?'"),
        ("DotDot", "'..'"),
        ("Dot", "'.'"),
        ("TildeArrow", "'~>'"),
        ("StarStar", "'**'"),
        ("Star", "'*'"),
        ("Plus", "'+'"),
        ("Minus", "'-'"),
        ("Slash", "'/'"),
        ("Percent", "'%'"),
        ("NotEqual", "'!='"),
        ("Equal", "'='"),
        ("LessThanOrEqual", "'<='"),
        ("LessThan", "'<'"),
        ("GreaterThanOrEqual", "'>='"),
        ("GreaterThan", "'>'"),
        ("Ampersand", "'&'"),
        ("Caret", "'^'"),
        ("Pipe", "'|'"),
        ("Hash", "'#'"),
        ("At", "'@'"),
        ("And", "'and'"),
        ("Or", "'or'"),
        ("In", "'in'"),
        ("True", "true"),
        ("False", "false"),
        ("Null", "null"),
        ("Eof", "the end of the expression"),
    ];
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        if !c.is_ascii_uppercase() || out.chars().last().is_some_and(char::is_alphanumeric) {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let word_len = rest
            .find(|ch: char| !ch.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..word_len];
        let after = &rest[word_len..];
        // Tokens with a value: `Identifier("b")`, `Variable("a")`, `String("s")`, `Number(2.0)`, `Function("f")`.
        let valued = matches!(
            word,
            "Identifier" | "Variable" | "ParentVariable" | "String" | "Number" | "Function"
        );
        if valued
            && after.starts_with('(')
            && let Some(close) = after.find(')')
        {
            let inner = &after[1..close];
            let unquoted = inner
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(inner);
            let text = match word {
                "Variable" => format!("${unquoted}"),
                "ParentVariable" => format!("$${unquoted}"),
                "String" => format!("the string \"{unquoted}\""),
                "Number" => format!(
                    "the number {}",
                    unquoted.strip_suffix(".0").unwrap_or(unquoted)
                ),
                _ => format!("'{unquoted}'"),
            };
            out.push_str(&text);
            rest = &after[close + 1..];
            continue;
        }
        match SYMBOLS.iter().find(|(name, _)| *name == word) {
            Some((_, symbol)) => out.push_str(symbol),
            None => out.push_str(word),
        }
        rest = after;
    }
    out
}

/// Checks a `{% … %}` string: the delimiters, and the expression's syntax. Spaces inside the delimiters
/// are customary but optional (AWS accepts `{%$x%}`). Offsets are character offsets into the whole string.
pub fn check_template_string(s: &str) -> Result<(), SyntaxError> {
    let inner = s
        .strip_prefix("{%")
        .and_then(|r| r.strip_suffix("%}"))
        .ok_or_else(|| SyntaxError {
            offset: 0,
            message: "a JSONata expression must be written as \"{% expression %}\"".into(),
        })?;
    check_syntax(inner).map_err(|e| SyntaxError {
        offset: e.offset + 2,
        message: e.message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_expressions() {
        for ok in [
            "$states.input.x + 1",
            "$sum([8.95, 12.99])",
            "$states.input.items[price > 10].name",
            "{ 'a': 1, \"b\": [1, 2, 3] }",
            "$x ? 'yes' : 'no'",
            "Account.Order.Product.(Price * Quantity)",
            "$map([1..5], function($v, $i) { $v * $i })",
            "($a := 1; $b := 2; $a + $b)",
            "$count($states.input.list) > 0 and $exists($x)",
            "$string(10) & 'x'",
            "$states.result.Payload ~> $lookup('k')",
            "data^(>price, name)",
            "$partial := $substring(?, 0, 3)",
            "/ab+c/i",
            "$contains($s, /^x/)",
            "$not(true) or false",
            "10",
            "\"text\"",
            "$states.context.Execution.Id",
            "$uuid()",
            "-5 * -(3)",
            "items.*.price",
            "a.**.b",
            "λ($arr)<a<n>>{$arr}",
            "$ ~> |Account.Order.Product|{'Total': Price * Quantity}, ['SKU']|",
        ] {
            assert_eq!(check_syntax(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_broken_expressions_at_the_offending_token() {
        for (bad, offset, message) in [
            ("10 + * 2", 7, "S0201: Syntax error: the number 2"),
            ("$sum([1, 2)", 10, "S0202: Expected ']', got ')'"),
            ("(1 + 2", 6, "S0203: Expected ')' before end of expression"),
            (
                "{ 'a': }",
                7,
                "S0211: The symbol '}' cannot be used as a unary operator",
            ),
            ("a b", 2, "S0201: Syntax error: 'b'"),
            ("420.", 4, "S0207: Unexpected end of expression"),
            ("\"a\\q\"", 3, "S0103: Unsupported escape sequence: \\q"),
            ("", 0, "the expression is empty"),
            ("   ", 0, "the expression is empty"),
        ] {
            let e = check_syntax(bad).expect_err(bad);
            assert_eq!((e.offset, e.message.as_str()), (offset, message), "{bad:?}");
        }
        for bad in ["$.store.book[?(@.price < 10)].title", "'open", "$x = = 1"] {
            assert!(check_syntax(bad).is_err(), "{bad:?} should be an error");
        }
    }

    #[test]
    fn agrees_with_the_simulator_parser() {
        for s in ["$x + 1", "$x +", "(", "$states.input.a[0]", "x:=1"] {
            assert_eq!(check_syntax(s).is_ok(), Jsonata::parse(s).is_ok(), "{s:?}");
        }
    }

    #[test]
    fn checks_delimiters() {
        assert!(check_template_string("{% 10 %}").is_ok());
        assert!(check_template_string("{%10%}").is_ok());
        assert!(check_template_string("{% %}").is_err());
        assert!(check_template_string("{% 10").is_err());
        assert_eq!(check_template_string("{% 1 + %}").unwrap_err().offset, 7);
    }
}
