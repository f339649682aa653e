//! statewright: a designer and simulator for AWS Step Functions state machines (Amazon States Language).
//!
//! The crate is a GUI-free core (this library) plus, behind the default `gui` feature, the egui designer.
//!
//! Module map (an arrow reads "uses"):
//! - [`json`]: the lossless JSON tree (spans, number text, key order, duplicates) and its writers;
//! - [`asl`] → json: the typed ASL model and [`asl::Document`] (read, edit, save only what changed);
//! - [`expr`]: paths, payload templates and intrinsic functions, parsed once, evaluated many times;
//! - [`validate`] → asl, expr: static checks with stable codes, JSON pointers and line:col;
//! - [`graph`], [`layout`] → asl: nodes/edges with nested scopes (petgraph), layered layout with containers;
//! - [`render`] → layout: SVG (a documented structure) and PNG export;
//! - [`sim`], [`trace`] → asl, expr: the deterministic interpreter and the trace it produces;
//! - [`replay`] → asl, trace, json: a real AWS execution history read into a trace and checked against a definition;
//! - [`edit`] → asl: the undoable document operations the designer invokes;
//! - [`template`] → json, asl: state machines inside CloudFormation / SAM / CDK templates (find, extract, inject);
//! - [`examples`]: the bundled example workflows and their mock files, embedded in the binary;
//! - [`recovery`] → asl: the designer's per-document autosave files (crash recovery);
//! - [`cli`] → everything: the `statewright` subcommands; with `gui`, `ui` (the egui designer).

pub mod asl;
pub mod cli;
pub mod edit;
pub mod examples;
pub mod expr;
pub mod fsutil;
pub mod graph;
pub mod json;
pub mod layout;
pub mod recovery;
pub mod render;
pub mod replay;
pub mod sim;
pub mod template;
pub mod trace;
#[cfg(feature = "gui")]
pub mod ui;
pub mod validate;
