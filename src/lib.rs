//! statewright: a designer and simulator for AWS Step Functions state machines (Amazon States Language).
//!
//! The crate is a GUI-free core (this library) plus, behind the default `gui` feature, the egui designer.
//! Module map: [`json`] (lossless JSON tree) → [`asl`] (the typed model, read/write) → [`edit`] (undoable
//! document operations); with `gui`, `ui` (the egui designer).

pub mod asl;
pub mod edit;
pub mod graph;
pub mod json;
pub mod layout;
pub mod render;
#[cfg(feature = "gui")]
pub mod ui;
