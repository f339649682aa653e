//! A document: the model plus the text it was read from, so that saving changes only what was edited.

use super::machine::StateMachine;
use crate::json::{self, Json, LineIndex, ParseError, Pointer, Style};
use std::fmt;

/// The syntax a document was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    Json,
    Yaml,
}

impl SourceFormat {
    /// YAML for `.yaml`/`.yml` file names, JSON otherwise.
    pub fn from_path(path: &std::path::Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("yaml" | "yml") => SourceFormat::Yaml,
            _ => SourceFormat::Json,
        }
    }
}

/// Why a file could not be read as a document at all (as opposed to being an invalid state machine).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The bytes are not UTF-8; `offset` is the first bad byte.
    NotUtf8 {
        offset: usize,
        line: usize,
        column: usize,
    },
    /// Not JSON (or YAML) text.
    Syntax(ParseError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotUtf8 {
                line,
                column,
                offset,
            } => {
                write!(
                    f,
                    "{line}:{column}: the file is not UTF-8 text (invalid byte at offset {offset})"
                )
            }
            LoadError::Syntax(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    pub fn line_col(&self) -> (usize, usize) {
        match self {
            LoadError::NotUtf8 { line, column, .. } => (*line, *column),
            LoadError::Syntax(e) => (e.line, e.column),
        }
    }
}

/// An ASL document: the model (edit it freely), and the text and tree it was read from.
#[derive(Clone, Debug)]
pub struct Document {
    /// The state machine. When the file's top level is not an object this is empty and [`Document::to_json`]
    /// gives back the original value.
    pub machine: StateMachine,
    source: String,
    original: Json,
    format: SourceFormat,
}

impl Document {
    /// Reads JSON text.
    pub fn parse_json(text: &str) -> Result<Document, ParseError> {
        Self::parse(text, SourceFormat::Json)
    }

    pub fn parse(text: &str, format: SourceFormat) -> Result<Document, ParseError> {
        Self::parse_owned(text.to_owned(), format)
    }

    /// [`Document::parse`], keeping `text` itself as the source (no copy).
    pub fn parse_owned(text: String, format: SourceFormat) -> Result<Document, ParseError> {
        let original = match format {
            SourceFormat::Json => json::parse(&text)?,
            SourceFormat::Yaml => json::parse_yaml(&text)?,
        };
        let machine = StateMachine::from_json(&original).unwrap_or_default();
        Ok(Document {
            machine,
            source: text,
            original,
            format,
        })
    }

    /// Reads file contents: checks UTF-8 (reporting where it breaks), then parses.
    pub fn from_bytes(bytes: &[u8], format: SourceFormat) -> Result<Document, LoadError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::parse(text, format).map_err(LoadError::Syntax),
            Err(e) => Err(not_utf8(bytes, &e)),
        }
    }

    /// [`Document::from_bytes`] for bytes the document may keep: they become its source text (no copy).
    pub fn from_vec(bytes: Vec<u8>, format: SourceFormat) -> Result<Document, LoadError> {
        match String::from_utf8(bytes) {
            Ok(text) => Self::parse_owned(text, format).map_err(LoadError::Syntax),
            Err(e) => Err(not_utf8(e.as_bytes(), &e.utf8_error())),
        }
    }

    /// A new document for a machine built in memory.
    pub fn from_machine(machine: StateMachine) -> Document {
        let original = machine.to_json();
        let source = json::canonical_text(&original, Style::default());
        Document::parse_json(&source).map_or(
            Document {
                machine: machine.clone(),
                source: String::new(),
                original: Json::null(),
                format: SourceFormat::Json,
            },
            |mut d| {
                d.machine = machine;
                d
            },
        )
    }

    pub fn format(&self) -> SourceFormat {
        self.format
    }

    /// The text the document was read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The tree the document was read from.
    pub fn original(&self) -> &Json {
        &self.original
    }

    /// Whether the top level of the file is an object (only then is [`Document::machine`] meaningful).
    pub fn root_is_object(&self) -> bool {
        self.original.as_object().is_some()
    }

    /// The document as a JSON tree.
    pub fn to_json(&self) -> Json {
        if !self.root_is_object() && self.machine == StateMachine::default() {
            return self.original.clone();
        }
        self.machine.to_json()
    }

    /// Whether the model differs from what was read: `to_json() != original()`, compared state by state, so
    /// that no second tree of the whole document is built.
    pub fn is_modified(&self) -> bool {
        let m = &self.machine;
        let (Some(states), Some(members)) = (&m.states, self.original.as_object()) else {
            return self.to_json() != self.original;
        };
        let mut at = members.iter().filter(|x| x.key.as_str() == "States");
        let (Some(original_states), None) = (at.next(), at.next()) else {
            return self.to_json() != self.original;
        };
        let Some(original_states) = original_states.value.as_object() else {
            return self.to_json() != self.original;
        };
        // Everything but `States` (a shell of the machine without it), then each state.
        let shell = StateMachine {
            comment: m.comment.clone(),
            query_language: m.query_language.clone(),
            start_at: m.start_at.clone(),
            states: None,
            timeout_seconds: m.timeout_seconds.clone(),
            version: m.version.clone(),
            processor_config: m.processor_config.clone(),
            extra: m.extra.clone(),
            key_order: m.key_order.clone(),
        };
        let rest: Vec<json::Member> = members
            .iter()
            .filter(|x| x.key.as_str() != "States")
            .cloned()
            .collect();
        if shell.to_json() != Json::object(rest) || states.0.len() != original_states.len() {
            return true;
        }
        states.0.iter().zip(original_states).any(|(n, o)| {
            n.name != o.key
                || match n.state.as_non_object() {
                    Some(raw) => *raw != o.value,
                    None => n.state.to_json() != o.value,
                }
        })
    }

    /// The text to save: the original bytes when nothing changed; otherwise the original text with only
    /// the changed nodes rewritten (JSON sources), or canonical JSON (YAML sources, which we do not write).
    pub fn to_text(&self) -> String {
        if !self.is_modified() {
            return self.source.clone();
        }
        let now = self.to_json();
        match self.format {
            SourceFormat::Json => json::splice(&self.source, &self.original, &now),
            SourceFormat::Yaml => json::canonical_text(&now, Style::default()),
        }
    }

    /// The canonical text (what `statewright fmt` prints): 2-space indent, keys and numbers as written,
    /// the source's line endings and final newline kept.
    pub fn canonical_text(&self) -> String {
        let style = match self.format {
            SourceFormat::Json => Style::of(&self.source),
            SourceFormat::Yaml => Style::default(),
        };
        if self.is_modified() {
            json::canonical_text(&self.to_json(), style)
        } else {
            json::canonical_text(&self.original, style)
        }
    }

    /// Makes the current model the new baseline, as after saving `text` (the result of [`Document::to_text`]).
    pub fn mark_saved(&mut self) {
        let text = self.to_text();
        if let Ok(original) = json::parse(&text) {
            self.source = text;
            self.original = original;
            self.format = SourceFormat::Json;
        }
    }

    /// `(line, column)` of the node at `pointer` in the source text (for an unedited document), or of its
    /// nearest ancestor that exists there. Keys point at the member's key.
    pub fn line_col(&self, pointer: &Pointer) -> Option<(usize, usize)> {
        locate(&self.source, &self.original, pointer)
    }
}

/// The error for bytes that are not UTF-8 (`e` from checking `bytes`), with the line and column where they break.
fn not_utf8(bytes: &[u8], e: &std::str::Utf8Error) -> LoadError {
    let offset = e.valid_up_to();
    let good = std::str::from_utf8(&bytes[..offset]).unwrap_or("");
    let (line, column) = LineIndex::new(good).line_col(good, offset);
    LoadError::NotUtf8 {
        offset,
        line,
        column,
    }
}

/// `(line, column)` in `text` (whose tree is `root`) of the node at `pointer`, or of its nearest existing ancestor.
pub fn locate(text: &str, root: &Json, pointer: &Pointer) -> Option<(usize, usize)> {
    locate_all(text, root, &[pointer]).pop().flatten()
}

/// [`locate`] for many pointers at once: one walk down the tree and one line index for all of them, so the cost
/// grows with the text and the number of pointers, not with their product.
pub fn locate_all(text: &str, root: &Json, pointers: &[&Pointer]) -> Vec<Option<(usize, usize)>> {
    let offsets = root.source_offsets(pointers);
    if offsets.iter().all(Option::is_none) {
        return offsets.into_iter().map(|_| None).collect();
    }
    let lines = LineIndex::new(text);
    offsets
        .into_iter()
        .map(|o| o.map(|o| lines.line_col(text, o)))
        .collect()
}
