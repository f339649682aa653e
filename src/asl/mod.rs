//! The ASL document model: plain data mirroring the Amazon States Language spec. No evaluation, no I/O.
//!
//! ```
//! use statewright::asl::{Document, StateType};
//! let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  }\n}\n";
//! let mut doc = Document::parse_json(text).unwrap();
//! assert_eq!(doc.to_text(), text); // unedited: byte-identical
//! let a = doc.machine.state_mut("A").unwrap();
//! a.comment = Some("first".into());
//! assert!(doc.to_text().contains("\"Comment\": \"first\""));
//! assert_eq!(doc.machine.state("A").unwrap().state_type(), Some(StateType::Pass));
//! ```

pub mod choice;
mod document;
pub(crate) mod field;
pub mod machine;
pub mod map;
pub mod retry_catch;
pub mod state;

pub use choice::{ChoiceRule, Operand, Operator, RuleKind};
pub use document::{Document, LoadError, SourceFormat, locate, locate_all};
pub use field::{FieldValue, Nullable, NumberOrExpr};
pub use machine::{NamedState, StateIndex, StateMachine, States};
pub use map::{ItemBatcher, ItemReader, ProcessorConfig, ResultWriter};
pub use retry_catch::{Catcher, PREDEFINED_ERRORS, Retrier, STATES_ALL, error_matches};
pub use state::{Edge, EdgeKind, State, StateType, Transition};
