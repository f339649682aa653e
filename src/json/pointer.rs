//! RFC 6901 JSON pointers, used to name the node a diagnostic is about.

use std::fmt;

/// A JSON pointer such as `/States/Wait/Seconds`. Stored escaped (`~0`, `~1`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

impl Pointer {
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Parses an escaped pointer text (`""` or starting with `/`).
    pub fn parse(text: &str) -> Option<Self> {
        (text.is_empty() || text.starts_with('/')).then(|| Pointer(text.to_owned()))
    }

    pub fn join(&self, key: &str) -> Self {
        let mut s = String::with_capacity(self.0.len() + key.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        s.push_str(&escape_token(key));
        Pointer(s)
    }

    pub fn join_index(&self, index: usize) -> Self {
        Pointer(format!("{}/{index}", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The unescaped reference tokens.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
    }

    /// The pointer of the parent node, or `None` at the root.
    pub fn parent(&self) -> Option<Self> {
        let cut = self.0.rfind('/')?;
        Some(Pointer(self.0[..cut].to_owned()))
    }

    pub fn last_token(&self) -> Option<String> {
        self.tokens().last()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("/")
        } else {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_tokens() {
        let p = Pointer::root().join("States").join("a/b~c").join_index(2);
        assert_eq!(p.as_str(), "/States/a~1b~0c/2");
        assert_eq!(p.tokens().collect::<Vec<_>>(), vec!["States", "a/b~c", "2"]);
        assert_eq!(p.parent().unwrap().as_str(), "/States/a~1b~0c");
    }
}
