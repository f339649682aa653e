//! SVG text for a laid-out machine. The structure is a public contract that users' scripts parse:
//!
//! - each state is `<g class="state" data-state="NAME" data-type="TYPE">` whose first child is its `<rect>`, in
//!   absolute coordinates (no `transform` attribute anywhere);
//! - the states inside a Parallel or Map sit inside their container's group;
//! - each transition is `<g class="edge" data-from="A" data-to="B" data-kind="next|default|choice|catch">`
//!   holding one `<path>` and, when labelled, one `<text>`;
//! - Start/End markers are `<g class="marker" data-kind="start|end" data-state="NAME">`.
//! - a state's name is one `<text class="name">` with one `<tspan>` per line (long names wrap, as on the
//!   canvas: the lines are the layout's).
//!
//! With a run ([`render_svg_with_run`]), each state group also carries `data-run="current|visited|unvisited"`,
//! and when known `data-outcome="succeeded|failed|caught|retried"` and `data-visits="N"`; taken transitions
//! `data-taken="true"`; a `<text class="run-caption">` above the diagram says which step is shown.

use super::overlay::RunOverlay;
use crate::asl::{EdgeKind, StateMachine, StateType};
use crate::layout::summary::{label_text, truncate};
use crate::layout::text::{NAME_LINE_H, NAME_SIZE, text_width};
use crate::layout::{CONTAINER_HEADER, Layout, MarkerKind, NodeLayout, Point};
use crate::trace::highlight::Outcome;
use std::fmt::Write;

const FONT: &str = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";
const INK: &str = "#232f3e";
const MUTED: &str = "#5f6b7a";
const EDGE: &str = "#545b64";
const CATCH: &str = "#c0392b";
/// How much wider the SVG's bold name font (DejaVu Sans Bold, what resvg and most viewers find) sets text than
/// the canvas font the layout measures with (Ubuntu Light): 1.24 on average over letters, with a margin.
const BOLD_WIDER: f32 = 1.3;
/// The SVG's name size when the lines fit.
const SVG_NAME_SIZE: f32 = 12.5;
/// The ring around the current state(s).
const CURRENT: &str = "#1f8fff";
/// Height of the caption band above a diagram exported with a run.
const CAPTION_H: f32 = 28.0;

/// Fill and stroke colour of a state type.
fn colours(ty: Option<StateType>) -> (&'static str, &'static str) {
    match ty {
        Some(StateType::Task) => ("#e8f1fb", "#2f6fba"),
        Some(StateType::Choice) => ("#fdf3e1", "#c77d0a"),
        Some(StateType::Parallel) => ("#f4f0fb", "#7b52b8"),
        Some(StateType::Map) => ("#eaf6f4", "#1f8a7a"),
        Some(StateType::Wait) => ("#f1f3f5", "#6b7785"),
        Some(StateType::Pass) => ("#eef7e8", "#5c9a35"),
        Some(StateType::Succeed) => ("#e3f6e8", "#2e8b47"),
        Some(StateType::Fail) => ("#fbe9e8", "#c0392b"),
        None => ("#f5f5f5", "#999999"),
    }
}

/// A small glyph per type, drawn before the type label.
fn icon(ty: Option<StateType>) -> &'static str {
    match ty {
        Some(StateType::Task) => "■",
        Some(StateType::Choice) => "◆",
        Some(StateType::Parallel) => "∥",
        Some(StateType::Map) => "↻",
        Some(StateType::Wait) => "◷",
        Some(StateType::Pass) => "→",
        Some(StateType::Succeed) => "✓",
        Some(StateType::Fail) => "✕",
        None => "?",
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn n(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Renders the machine's layout as SVG text.
pub fn render_svg(machine: &StateMachine, layout: &Layout) -> String {
    render_svg_with_run(machine, layout, None)
}

fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Succeeded => "succeeded",
        Outcome::Failed => "failed",
        Outcome::Caught => "caught",
        Outcome::Retried => "retried",
    }
}

/// The colour of an outcome in an export (light background).
fn outcome_colour(o: Outcome, run: &RunOverlay) -> String {
    hex(o.rgb(false, run.high_contrast))
}

/// Renders the machine's layout as SVG text, with `run` (visited, current, outcomes) drawn over it when given.
pub fn render_svg_with_run(
    machine: &StateMachine,
    layout: &Layout,
    run: Option<&RunOverlay>,
) -> String {
    let _ = machine; // the layout carries everything drawn; kept in the signature for future per-state details
    let mut b = layout.bounds;
    if run.is_some() {
        b.min.y -= CAPTION_H;
    }
    let mut s = String::with_capacity(1024 + layout.nodes.len() * 700 + layout.edges.len() * 300);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="{x} {y} {w} {h}" font-family="{FONT}">"#,
        x = n(b.min.x),
        y = n(b.min.y),
        w = n(b.width()),
        h = n(b.height()),
    );
    s.push_str("\n<defs>");
    // Arrow heads scale with the stroke: the run's (3 wide) get a smaller marker to look the same.
    let mut arrows = vec![
        ("arrow".to_owned(), EDGE.to_owned(), 7.0),
        ("arrow-catch".to_owned(), CATCH.to_owned(), 7.0),
    ];
    if let Some(run) = run {
        for o in [
            Outcome::Succeeded,
            Outcome::Failed,
            Outcome::Caught,
            Outcome::Retried,
        ] {
            arrows.push((
                format!("arrow-{}", outcome_name(o)),
                outcome_colour(o, run),
                4.0,
            ));
        }
    }
    for (id, colour, size) in arrows {
        let _ = write!(
            s,
            r#"<marker id="{id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="{size}" markerHeight="{size}" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>"#
        );
    }
    s.push_str("</defs>\n");
    let _ = writeln!(
        s,
        r##"<rect class="background" x="{}" y="{}" width="{}" height="{}" fill="#ffffff"/>"##,
        n(b.min.x),
        n(b.min.y),
        n(b.width()),
        n(b.height())
    );
    if let Some(run) = run {
        let _ = writeln!(
            s,
            r#"<text class="run-caption" x="{}" y="{}" font-size="13" font-weight="bold" fill="{INK}">{}</text>"#,
            n(b.min.x + 12.0),
            n(b.min.y + 20.0),
            escape(&run.caption)
        );
    }
    s.push_str("<g class=\"states\">\n");
    for (i, node) in layout.nodes.iter().enumerate() {
        if node.path.len() == 1 {
            state(&mut s, layout, i, run);
        }
    }
    for m in layout.markers.iter().filter(|m| m.scope.is_empty()) {
        marker(&mut s, m);
    }
    s.push_str("</g>\n<g class=\"edges\">\n");
    for e in &layout.edges {
        let (colour, arrow, dash) = match e.kind {
            EdgeKind::Catch(_) => (CATCH, "arrow-catch", r#" stroke-dasharray="6 4""#),
            _ => (EDGE, "arrow", ""),
        };
        let from = e.from.last().map_or("", String::as_str);
        let to = e.to.last().map_or("", String::as_str);
        // A transition the run took: coloured by how the state it leaves turned out.
        let taken = run
            .filter(|r| r.edges.contains(&(e.from.clone(), e.to.clone())))
            .map(|r| {
                let o = r
                    .outcomes
                    .get(&e.from)
                    .copied()
                    .unwrap_or(Outcome::Succeeded);
                (outcome_colour(o, r), format!("arrow-{}", outcome_name(o)))
            });
        let _ = write!(
            s,
            r#"<g class="edge" data-from="{}" data-to="{}" data-kind="{}"{}{}>"#,
            escape(from),
            escape(to),
            e.kind.name(),
            if e.back_edge {
                r#" data-back="true""#
            } else {
                ""
            },
            if taken.is_some() {
                r#" data-taken="true""#
            } else {
                ""
            }
        );
        match &taken {
            Some((colour, arrow)) => {
                let _ = write!(
                    s,
                    r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="3"{dash} marker-end="url(#{arrow})"/>"#,
                    path_data(&e.points)
                );
            }
            None => {
                let _ = write!(
                    s,
                    r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="1.5"{dash} marker-end="url(#{arrow})"/>"#,
                    path_data(&e.points)
                );
            }
        }
        if let (Some(label), Some(p)) = (&e.label, e.label_pos) {
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" text-anchor="middle" font-size="10.5" fill="{}" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
                n(p.x),
                n(p.y + 3.5),
                if matches!(e.kind, EdgeKind::Catch(_)) {
                    CATCH
                } else {
                    INK
                },
                escape(&label_text(label))
            );
        }
        s.push_str("</g>\n");
    }
    s.push_str("</g>\n</svg>\n");
    s
}

fn path_data(points: &[Point]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{},{}",
            if i == 0 { "M" } else { " L" },
            n(p.x),
            n(p.y)
        );
    }
    d
}

/// The run attributes of a state's group, and whether it is drawn faded (not visited yet).
fn run_attributes(node: &NodeLayout, run: Option<&RunOverlay>) -> (String, bool) {
    let Some(run) = run else {
        return (String::new(), false);
    };
    let mut a = String::new();
    let state = if run.current.contains(&node.path) {
        "current"
    } else if run.visited.contains(&node.path) {
        "visited"
    } else {
        "unvisited"
    };
    let _ = write!(a, r#" data-run="{state}""#);
    if let Some(o) = run.outcomes.get(&node.path) {
        let _ = write!(a, r#" data-outcome="{}""#, outcome_name(*o));
    }
    if let Some(v) = run.visits.get(&node.path) {
        let _ = write!(a, r#" data-visits="{v}""#);
    }
    // Containers hold other states: only simple ones fade.
    (a, state == "unvisited" && node.lanes.is_empty())
}

/// The run drawn over a state: its outcome as a thick outline, a ring when it is current, `×N` when it ran
/// more than once.
fn run_marks(s: &mut String, node: &NodeLayout, run: &RunOverlay) {
    let r = node.rect;
    if let Some(o) = run.outcomes.get(&node.path) {
        let _ = writeln!(
            s,
            r#"<rect class="run-outcome" x="{}" y="{}" width="{}" height="{}" rx="8" fill="none" stroke="{}" stroke-width="3"/>"#,
            n(r.min.x),
            n(r.min.y),
            n(r.width()),
            n(r.height()),
            outcome_colour(*o, run)
        );
    }
    if run.current.contains(&node.path) {
        let _ = writeln!(
            s,
            r#"<rect class="run-current" x="{}" y="{}" width="{}" height="{}" rx="11" fill="none" stroke="{CURRENT}" stroke-width="3.5"/>"#,
            n(r.min.x - 4.0),
            n(r.min.y - 4.0),
            n(r.width() + 8.0),
            n(r.height() + 8.0)
        );
    }
    if let Some(&v) = run.visits.get(&node.path).filter(|v| **v > 1) {
        let _ = writeln!(
            s,
            r##"<text class="run-visits" x="{}" y="{}" text-anchor="end" font-size="11" font-weight="bold" fill="{CURRENT}">×{v}</text>"##,
            n(r.max.x - 6.0),
            n(r.max.y - 5.0)
        );
    }
}

/// One state's group; containers recurse into the states they hold.
fn state(s: &mut String, layout: &Layout, i: usize, run: Option<&RunOverlay>) {
    let node = &layout.nodes[i];
    let (fill, stroke) = colours(node.state_type);
    let r = node.rect;
    let type_name = node.state_type.map_or("Unknown", StateType::name);
    let (run_attrs, faded) = run_attributes(node, run);
    let _ = writeln!(
        s,
        r#"<g class="state" data-state="{}" data-type="{}"{run_attrs}{}>"#,
        escape(&node.name),
        type_name,
        if faded { r#" opacity="0.4""# } else { "" }
    );
    let _ = writeln!(
        s,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="8" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>"#,
        n(r.min.x),
        n(r.min.y),
        n(r.width()),
        n(r.height())
    );
    let container = !node.lanes.is_empty();
    let type_line = if container && !node.summary.is_empty() {
        format!(
            "{} {} · {}",
            icon(node.state_type),
            type_name.to_uppercase(),
            node.summary
        )
    } else {
        format!("{} {}", icon(node.state_type), type_name.to_uppercase())
    };
    let _ = writeln!(
        s,
        r#"<text class="type" x="{}" y="{}" font-size="9" font-weight="bold" fill="{stroke}" letter-spacing="0.5">{}</text>"#,
        n(r.min.x + 10.0),
        n(r.min.y + 14.0),
        escape(&truncate(&type_line, chars_fitting(r.width() - 70.0, 6.0)))
    );
    badges(s, node);
    if container {
        let _ = writeln!(
            s,
            r#"<text class="name" x="{}" y="{}" font-size="12.5" font-weight="bold" fill="{INK}">{}</text>"#,
            n(r.min.x + 10.0),
            n(r.min.y + CONTAINER_HEADER - 14.0),
            escape(node.name_lines.first().unwrap_or(&node.name))
        );
        for lane in &node.lanes {
            let _ = writeln!(
                s,
                r##"<rect class="lane" x="{}" y="{}" width="{}" height="{}" rx="6" fill="#ffffff" fill-opacity="0.85" stroke="{stroke}" stroke-opacity="0.5" stroke-dasharray="4 3"/>"##,
                n(lane.min.x),
                n(lane.min.y),
                n(lane.width()),
                n(lane.height())
            );
        }
        for (k, child) in layout.nodes.iter().enumerate() {
            if child.path.len() == node.path.len() + 1 && child.path.starts_with(&node.path) {
                state(s, layout, k, run);
            }
        }
        for m in layout.markers.iter().filter(|m| m.scope == node.path) {
            marker(s, m);
        }
    } else {
        name_and_summary(s, node);
    }
    if let Some(run) = run {
        run_marks(s, node, run);
    }
    s.push_str("</g>\n");
}

/// A simple state's name (the layout's lines, one `<tspan>` each) and summary, centred.
fn name_and_summary(s: &mut String, node: &NodeLayout) {
    let r = node.rect;
    let cx = r.center().x;
    let one = [node.name.clone()];
    let lines: &[String] = if node.name_lines.is_empty() {
        &one
    } else {
        &node.name_lines
    };
    let extra = (lines.len() - 1) as f32 * NAME_LINE_H;
    let first_y = if node.summary_line.is_empty() {
        r.min.y + (r.height() - extra) / 2.0 + 8.0
    } else {
        r.min.y + 33.0
    };
    // The lines fit the canvas font at NAME_SIZE; the bold SVG font is set smaller when the widest line
    // needs it (down to 10px).
    let room = r.width() - 16.0;
    let widest = lines
        .iter()
        .map(|l| text_width(l, NAME_SIZE))
        .fold(1.0, f32::max);
    let size = (room * NAME_SIZE / (widest * BOLD_WIDER)).clamp(10.0, SVG_NAME_SIZE);
    let _ = write!(
        s,
        r#"<text class="name" x="{}" y="{}" text-anchor="middle" font-size="{}" font-weight="bold" fill="{INK}">"#,
        n(cx),
        n(first_y),
        n(size)
    );
    for (k, line) in lines.iter().enumerate() {
        let _ = write!(
            s,
            r#"<tspan x="{}" y="{}">{}</tspan>"#,
            n(cx),
            n(first_y + k as f32 * NAME_LINE_H),
            escape(line)
        );
    }
    s.push_str("</text>\n");
    if !node.summary_line.is_empty() {
        let _ = writeln!(
            s,
            r#"<text class="summary" x="{}" y="{}" text-anchor="middle" font-size="10.5" fill="{MUTED}">{}</text>"#,
            n(cx),
            n(r.min.y + 48.0 + extra),
            escape(&node.summary_line)
        );
    }
}

fn chars_fitting(width: f32, char_w: f32) -> usize {
    (width / char_w + 0.01).floor().max(4.0) as usize
}

/// Retry/Catch badges in the top-right corner.
fn badges(s: &mut String, node: &NodeLayout) {
    let mut x = node.rect.max.x - 6.0;
    for (on, text, colour) in [
        (node.has_catch, "catch", CATCH),
        (node.has_retry, "retry", "#2f6fba"),
    ] {
        if !on {
            continue;
        }
        let w = 34.0;
        x -= w;
        let y = node.rect.min.y + 5.0;
        let _ = writeln!(
            s,
            r##"<g class="badge" data-badge="{text}"><rect x="{}" y="{}" width="{}" height="13" rx="6.5" fill="#ffffff" stroke="{colour}"/><text x="{}" y="{}" text-anchor="middle" font-size="8.5" fill="{colour}">{text}</text></g>"##,
            n(x),
            n(y),
            n(w),
            n(x + w / 2.0),
            n(y + 9.5)
        );
        x -= 4.0;
    }
}

fn marker(s: &mut String, m: &crate::layout::Marker) {
    let (kind, text) = match m.kind {
        MarkerKind::Start => ("start", "Start"),
        MarkerKind::End => ("end", "End"),
    };
    let r = m.rect;
    let _ = write!(
        s,
        r#"<g class="marker" data-kind="{kind}" data-state="{}">"#,
        escape(m.attached_to.last().map_or("", String::as_str))
    );
    let _ = write!(
        s,
        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="#545b64"/><text x="{}" y="{}" text-anchor="middle" font-size="11" font-weight="bold" fill="#ffffff">{text}</text>"##,
        n(r.min.x),
        n(r.min.y),
        n(r.width()),
        n(r.height()),
        n(r.height() / 2.0),
        n(r.center().x),
        n(r.center().y + 4.0)
    );
    if m.link.len() >= 2 {
        let _ = write!(
            s,
            r#"<path d="{}" fill="none" stroke="{EDGE}" stroke-width="1.5" marker-end="url(#arrow)"/>"#,
            path_data(&m.link)
        );
    }
    s.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape(r#"a<b>&"c"'"#), "a&lt;b&gt;&amp;&quot;c&quot;&apos;");
        assert_eq!(n(1.25), "1.3");
        assert_eq!(n(2.0), "2");
    }
}
