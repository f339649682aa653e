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

    /// Reads a text of this format into the lossless tree.
    pub fn parse(self, text: &str) -> Result<Json, ParseError> {
        match self {
            SourceFormat::Json => json::parse(text),
            SourceFormat::Yaml => json::parse_yaml(text),
        }
    }

    /// The whole tree as a text of this format: canonical JSON, or block-style YAML.
    pub fn write(self, tree: &Json) -> String {
        match self {
            SourceFormat::Json => json::canonical_text(tree, Style::default()),
            SourceFormat::Yaml => json::yaml_text(tree),
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
    /// A hash of the text last read or saved, to tell whether [`Document::set_text`] changed it.
    saved_text: u64,
    text_edited: bool,
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
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
        let original = format.parse(&text)?;
        let machine = StateMachine::from_json(&original).unwrap_or_default();
        Ok(Document {
            machine,
            saved_text: text_hash(&text),
            source: text,
            original,
            format,
            text_edited: false,
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
                saved_text: text_hash(""),
                text_edited: false,
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
    /// the changed nodes rewritten, in the document's own format (YAML keeps its comments and layout outside
    /// the edited nodes).
    pub fn to_text(&self) -> String {
        if !self.is_modified() {
            return self.source.clone();
        }
        let now = self.to_json();
        match self.format {
            SourceFormat::Json => json::splice(&self.source, &self.original, &now),
            SourceFormat::Yaml => json::splice_yaml(&self.source, &self.original, &now),
        }
    }

    /// The text to save in `format` (Save As): [`Document::to_text`] for the document's own format, else the
    /// whole document converted (canonical JSON, or block-style YAML).
    pub fn text_as(&self, format: SourceFormat) -> String {
        if format == self.format {
            self.to_text()
        } else {
            format.write(&self.to_json())
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
        // The text reads back: `to_text` writes nothing else. Should it not, the old baseline stays.
        let _ = self.mark_saved_as(text, self.format);
    }

    /// Makes `text`, just saved in `format` (the result of [`Document::text_as`]), the new baseline: later
    /// saves splice into it, in that format.
    pub fn mark_saved_as(&mut self, text: String, format: SourceFormat) -> Result<(), ParseError> {
        self.original = format.parse(&text)?;
        self.saved_text = text_hash(&text);
        self.text_edited = false;
        self.source = text;
        self.format = format;
        Ok(())
    }

    /// Takes `text` (in the document's format; the code view's edit) as the text that later saves splice
    /// into, so that what was typed there (comments, layout) is saved. The model is not changed: set it to
    /// the machine `text` holds (an undoable edit) when that differs.
    pub fn set_text(&mut self, text: String) -> Result<(), ParseError> {
        self.original = self.format.parse(&text)?;
        self.text_edited = text_hash(&text) != self.saved_text;
        self.source = text;
        Ok(())
    }

    /// Whether the text to save differs from the text read or saved last in more than the model: true after
    /// [`Document::set_text`] with a different text, until saved.
    pub fn text_edited(&self) -> bool {
        self.text_edited
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
