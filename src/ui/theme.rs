//! Colours, icons and sizes per state type; conversions between layout geometry and egui types.

use super::layout::{Point, Rect as LRect};
use crate::asl::StateType;
use egui::{Color32, Pos2, Rect};

pub fn pos(p: Point) -> Pos2 {
    Pos2::new(p.x, p.y)
}

pub fn rect(r: LRect) -> Rect {
    Rect::from_min_max(pos(r.min), pos(r.max))
}

pub fn point(p: Pos2) -> Point {
    Point { x: p.x, y: p.y }
}

/// The accent (border, icon, colour bar) of a state type.
pub fn accent(t: Option<StateType>) -> Color32 {
    match t {
        Some(StateType::Task) => Color32::from_rgb(0x2f, 0x6f, 0xd0),
        Some(StateType::Choice) => Color32::from_rgb(0xd9, 0x82, 0x1e),
        Some(StateType::Parallel) => Color32::from_rgb(0x7b, 0x4f, 0xc9),
        Some(StateType::Map) => Color32::from_rgb(0x1b, 0x93, 0x8c),
        Some(StateType::Wait) => Color32::from_rgb(0x8a, 0x6d, 0x3b),
        Some(StateType::Pass) => Color32::from_rgb(0x6b, 0x72, 0x80),
        Some(StateType::Succeed) => Color32::from_rgb(0x2e, 0x9a, 0x4b),
        Some(StateType::Fail) => Color32::from_rgb(0xcc, 0x33, 0x33),
        None => Color32::from_rgb(0x99, 0x99, 0x99),
    }
}

/// The node fill: a light tint of the accent.
pub fn fill(t: Option<StateType>, dark: bool) -> Color32 {
    let a = accent(t);
    let (base, k) = if dark { (Color32::from_rgb(0x24, 0x26, 0x2b), 0.22) } else { (Color32::WHITE, 0.10) };
    lerp(base, a, k)
}

pub fn lerp(a: Color32, b: Color32, t: f32) -> Color32 {
    let f = |x: u8, y: u8| (x as f32 + (y as f32 - x as f32) * t).round() as u8;
    Color32::from_rgb(f(a.r(), b.r()), f(a.g(), b.g()), f(a.b(), b.b()))
}

/// A glyph from egui's bundled fonts standing for the type.
pub fn icon(t: Option<StateType>) -> &'static str {
    match t {
        Some(StateType::Task) => "⚙",
        Some(StateType::Choice) => "◇",
        Some(StateType::Parallel) => "⏸",
        Some(StateType::Map) => "☰",
        Some(StateType::Wait) => "⏱",
        Some(StateType::Pass) => "➡",
        Some(StateType::Succeed) => "✔",
        Some(StateType::Fail) => "✖",
        None => "?",
    }
}

/// One-line description for the palette's hover text.
pub fn describe(t: StateType) -> &'static str {
    match t {
        StateType::Task => "Do work: call a Lambda function or an AWS service",
        StateType::Choice => "Branch on the input: rules with comparisons, and a Default",
        StateType::Parallel => "Run branches at the same time; wait for all of them",
        StateType::Map => "Run the same steps for each item of an array",
        StateType::Wait => "Pause for a time or until a timestamp",
        StateType::Pass => "Pass the input on, optionally reshaped",
        StateType::Succeed => "Stop successfully",
        StateType::Fail => "Stop with an error and a cause",
    }
}

pub const CATCH_COLOR: Color32 = Color32::from_rgb(0xcc, 0x44, 0x44);
pub const SELECTED: Color32 = Color32::from_rgb(0xff, 0xa5, 0x00);
