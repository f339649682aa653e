//! A syntax checker for JSONata expressions (the `{% … %}` strings of JSONata-mode states).
//!
//! It parses with the binding powers of the reference implementation (jsonata-js `parser.js`) and
//! reports the first syntax error with its character offset. It does not evaluate anything.

/// A syntax error at a character offset of the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num,
    Str,
    Name,
    Var,
    Regex,
    Op(&'static str),
    End,
}

const OPERATORS: &[&str] = &[
    "..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??", ".", "[", "]", "{", "}", "(", ")", ",",
    "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|", "=", "<", ">", "^", "&", "!", "~",
];

fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, SyntaxError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |offset, m: &str| SyntaxError {
        offset,
        message: m.to_owned(),
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            let start = i;
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            if i + 1 >= chars.len() {
                return Err(err(start, "unterminated comment"));
            }
            i += 2;
            continue;
        }
        let start = i;
        // A '/' starts a regex where an operand is expected.
        let operand_expected = matches!(out.last(), None | Some((Tok::Op(_), _)))
            && !matches!(out.last(), Some((Tok::Op(")" | "]" | "}"), _)));
        if c == '/' && operand_expected {
            i += 1;
            while i < chars.len() && chars[i] != '/' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            if i >= chars.len() {
                return Err(err(start, "unterminated regular expression"));
            }
            i += 1;
            while i < chars.len() && matches!(chars[i], 'i' | 'm') {
                i += 1;
            }
            out.push((Tok::Regex, start));
            continue;
        }
        if c == '"' || c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            if i >= chars.len() {
                return Err(err(start, "unterminated string literal"));
            }
            i += 1;
            out.push((Tok::Str, start));
            continue;
        }
        if c == '`' {
            i += 1;
            while i < chars.len() && chars[i] != '`' {
                i += 1;
            }
            if i >= chars.len() {
                return Err(err(start, "unterminated quoted name"));
            }
            i += 1;
            out.push((Tok::Name, start));
            continue;
        }
        if c.is_ascii_digit() {
            // -?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?
            if c == '0' {
                i += 1;
            } else {
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if chars.get(i) == Some(&'.') && chars.get(i + 1) != Some(&'.') {
                i += 1;
                if !chars.get(i).is_some_and(char::is_ascii_digit) {
                    return Err(err(start, "a number needs digits after its decimal point"));
                }
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if matches!(chars.get(i), Some('e' | 'E')) {
                i += 1;
                if matches!(chars.get(i), Some('+' | '-')) {
                    i += 1;
                }
                if !chars.get(i).is_some_and(char::is_ascii_digit) {
                    return Err(err(start, "a number needs digits in its exponent"));
                }
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            out.push((Tok::Num, start));
            continue;
        }
        if let Some(op) = OPERATORS.iter().find(|op| {
            let n = op.chars().count();
            chars.len() >= i + n && chars[i..i + n].iter().copied().eq(op.chars())
        }) {
            i += op.chars().count();
            out.push((Tok::Op(op), start));
            continue;
        }
        let is_name_char =
            |ch: char| !ch.is_whitespace() && !"[]{}().,@#;:?+-*/%|=<>^&!~\"'`$".contains(ch);
        if c == '$' {
            i += 1;
            while i < chars.len() && is_name_char(chars[i]) {
                i += 1;
            }
            out.push((Tok::Var, start));
            continue;
        }
        if is_name_char(c) {
            while i < chars.len() && is_name_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match word.as_str() {
                "and" => out.push((Tok::Op("and"), start)),
                "or" => out.push((Tok::Op("or"), start)),
                "in" => out.push((Tok::Op("in"), start)),
                _ => out.push((Tok::Name, start)),
            }
            continue;
        }
        return Err(err(start, &format!("unexpected character {c:?}")));
    }
    out.push((Tok::End, chars.len()));
    Ok(out)
}

fn binding_power(op: &str) -> u8 {
    match op {
        "." => 75,
        "[" | "(" | "@" | "#" => 80,
        "{" => 70,
        "?" | "|" | ".." | "?:" | "??" => 20,
        "+" | "-" | "&" => 50,
        "*" | "/" | "%" | "**" => 60,
        "=" | "<" | ">" | "^" | "!=" | "<=" | ">=" | "~>" | "in" => 40,
        "and" => 30,
        "or" => 25,
        ":=" => 10,
        _ => 0,
    }
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
    /// Token indexes of `function`/`λ` names that start a lambda.
    lambda_words: Vec<usize>,
}

type R = Result<(), SyntaxError>;

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn offset(&self) -> usize {
        self.toks[self.pos].1
    }
    fn fail<T>(&self, msg: &str) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            offset: self.offset(),
            message: msg.to_owned(),
        })
    }
    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }
    fn expect(&mut self, op: &str) -> R {
        if self.is_op(op) {
            self.pos += 1;
            Ok(())
        } else {
            let found = self.describe();
            self.fail(&format!("expected '{op}', found {found}"))
        }
    }
    fn describe(&self) -> String {
        match self.peek() {
            Tok::End => "the end of the expression".into(),
            Tok::Op(o) => format!("'{o}'"),
            Tok::Num => "a number".into(),
            Tok::Str => "a string".into(),
            Tok::Name => "a name".into(),
            Tok::Var => "a variable".into(),
            Tok::Regex => "a regular expression".into(),
        }
    }

    fn expression(&mut self, rbp: u8) -> R {
        self.depth += 1;
        if self.depth > 200 {
            return self.fail("expression nests too deeply");
        }
        self.prefix()?;
        while let Tok::Op(op) = *self.peek() {
            let bp = binding_power(op);
            if bp <= rbp {
                break;
            }
            self.pos += 1;
            self.infix(op, bp)?;
        }
        self.depth -= 1;
        Ok(())
    }

    fn prefix(&mut self) -> R {
        let tok = self.peek().clone();
        self.pos += 1;
        match tok {
            Tok::Num | Tok::Str | Tok::Regex => Ok(()),
            Tok::Var => Ok(()),
            Tok::Name => {
                // `function(...) { ... }` / `λ(...) {...}` lambdas.
                if self.is_op("(") && self.lambda_word() {
                    self.pos += 1;
                    self.list(")")?;
                    if self.is_op("<") {
                        // signature: skip to the matching '>'
                        while !self.is_op(">") {
                            if *self.peek() == Tok::End {
                                return self.fail("unterminated function signature");
                            }
                            self.pos += 1;
                        }
                        self.pos += 1;
                    }
                    self.expect("{")?;
                    self.expression(0)?;
                    return self.expect("}");
                }
                Ok(())
            }
            Tok::Op("-") => self.expression(70),
            Tok::Op("*") | Tok::Op("**") | Tok::Op("%") => Ok(()),
            Tok::Op("(") => {
                // block: expressions separated by ';'
                while !self.is_op(")") {
                    self.expression(0)?;
                    if !self.is_op(";") {
                        break;
                    }
                    self.pos += 1;
                }
                self.expect(")")
            }
            Tok::Op("[") => self.list_with_ranges("]"),
            Tok::Op("{") => self.object_body(),
            Tok::Op("|") => {
                // transform: | pattern | update [, delete] |
                self.expression(0)?;
                self.expect("|")?;
                self.expression(0)?;
                if self.is_op(",") {
                    self.pos += 1;
                    self.expression(0)?;
                }
                self.expect("|")
            }
            Tok::End => {
                self.pos -= 1;
                self.fail("expected an expression, found the end of the expression")
            }
            Tok::Op(o) => {
                self.pos -= 1;
                self.fail(&format!("expected an expression, found '{o}'"))
            }
        }
    }

    fn lambda_word(&self) -> bool {
        self.lambda_words.contains(&(self.pos - 1))
    }

    fn infix(&mut self, op: &'static str, bp: u8) -> R {
        match op {
            "(" => {
                // function call; `?` stands for a partial-application placeholder
                while !self.is_op(")") {
                    if self.is_op("?") {
                        self.pos += 1;
                    } else {
                        self.expression(0)?;
                    }
                    if !self.is_op(",") {
                        break;
                    }
                    self.pos += 1;
                }
                self.expect(")")
            }
            "[" => {
                if self.is_op("]") {
                    self.pos += 1;
                    return Ok(());
                }
                self.expression(0)?;
                self.expect("]")
            }
            "{" => self.object_body(),
            "?" => {
                self.expression(0)?;
                if self.is_op(":") {
                    self.pos += 1;
                    self.expression(0)?;
                }
                Ok(())
            }
            "^" if self.is_op("(") => {
                self.pos += 1;
                loop {
                    if self.is_op("<") || self.is_op(">") {
                        self.pos += 1;
                    }
                    self.expression(0)?;
                    if !self.is_op(",") {
                        break;
                    }
                    self.pos += 1;
                }
                self.expect(")")
            }
            "@" | "#" => {
                if *self.peek() != Tok::Var {
                    return self.fail(&format!("'{op}' must be followed by a $variable"));
                }
                self.pos += 1;
                Ok(())
            }
            ":=" => self.expression(bp - 1),
            _ => self.expression(bp),
        }
    }

    fn object_body(&mut self) -> R {
        while !self.is_op("}") {
            self.expression(0)?;
            self.expect(":")?;
            self.expression(0)?;
            if !self.is_op(",") {
                break;
            }
            self.pos += 1;
        }
        self.expect("}")
    }

    fn list(&mut self, close: &str) -> R {
        while !self.is_op(close) {
            self.expression(0)?;
            if !self.is_op(",") {
                break;
            }
            self.pos += 1;
        }
        self.expect(close)
    }

    fn list_with_ranges(&mut self, close: &str) -> R {
        while !self.is_op(close) {
            self.expression(0)?;
            if self.is_op("..") {
                self.pos += 1;
                self.expression(0)?;
            }
            if !self.is_op(",") {
                break;
            }
            self.pos += 1;
        }
        self.expect(close)
    }
}

/// Checks the syntax of a JSONata expression (the text between `{%` and `%}`).
pub fn check_syntax(expr: &str) -> Result<(), SyntaxError> {
    let toks = tokenize(expr)?;
    let lambda_words = toks
        .iter()
        .enumerate()
        .filter(|(i, (t, off))| {
            *t == Tok::Name && {
                let word: String = expr
                    .chars()
                    .skip(*off)
                    .take_while(|c| c.is_alphanumeric() || *c == 'λ')
                    .collect();
                (word == "function" || word == "λ")
                    && matches!(toks.get(i + 1), Some((Tok::Op("("), _)))
            }
        })
        .map(|(i, _)| i)
        .collect();
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        lambda_words,
    };
    if p.toks.len() == 1 {
        return p.fail("the expression is empty");
    }
    p.expression(0)?;
    if *p.peek() != Tok::End {
        let found = p.describe();
        return p.fail(&format!("unexpected {found} after a complete expression"));
    }
    Ok(())
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
        ] {
            assert_eq!(check_syntax(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_broken_expressions() {
        for bad in [
            "10 + * 2",
            "420.",
            "$.store.book[?(@.price < 10)].title",
            "$sum([1, 2)",
            "(1 + 2",
            "{ 'a': }",
            "",
            "a b",
            "'open",
        ] {
            assert!(
                check_syntax(bad).is_err(),
                "{bad:?} should be a syntax error"
            );
        }
    }

    #[test]
    fn checks_delimiters() {
        assert!(check_template_string("{% 10 %}").is_ok());
        assert!(check_template_string("{%10%}").is_ok());
        assert!(check_template_string("{% %}").is_err());
        assert!(check_template_string("{% 10").is_err());
    }
}
