//! Layout invariants on every example, seed workflow and real-world corpus file: every state has a node,
//! sibling boxes do not overlap, children stay inside their container's lane, edge ends sit on their states'
//! borders, forward edges point down, no edge crosses a state box, and the same input gives the same output;
//! one named test per file and check (see `tests/common/gate.rs`). Also on generated chains with long edges to
//! shared states (`benches/support/generate.rs`), big enough that the layout routes most of them round the
//! corridor instead of through every rank.

mod common;
#[path = "../benches/support/generate.rs"]
mod generate;

use common::gate::{self, Case, Group};
use statewright::asl::{Document, SourceFormat, StateMachine};
use statewright::layout::{Layout, Point, Rect, layout, layout_with_pins};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const TOL: f32 = 0.5;

fn load(path: &Path) -> Result<StateMachine, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    Document::from_bytes(&bytes, SourceFormat::from_path(path))
        .map(|d| d.machine)
        .map_err(|e| e.to_string())
}

fn parent(path: &[String]) -> &[String] {
    &path[..path.len() - 1]
}

/// Whether a polyline segment passes through the inside of `r`.
fn segment_crosses(a: Point, b: Point, r: &Rect) -> bool {
    let inner = r.expand(-1.0);
    if inner.width() <= 0.0 || inner.height() <= 0.0 {
        return false;
    }
    let seg = Rect {
        min: Point::new(a.x.min(b.x), a.y.min(b.y)),
        max: Point::new(a.x.max(b.x), a.y.max(b.y)),
    };
    // Orthogonal segments: their bounding box is the segment.
    seg.min.x <= inner.max.x
        && inner.min.x <= seg.max.x
        && seg.min.y <= inner.max.y
        && inner.min.y <= seg.max.y
}

fn check(machine: &StateMachine, l: &Layout) -> Vec<String> {
    let mut errors = Vec::new();
    let names = machine.all_state_names();
    if l.nodes.len() != names.len() {
        errors.push(format!(
            "{} states but {} nodes",
            names.len(),
            l.nodes.len()
        ));
    }
    for (node, name) in l.nodes.iter().zip(&names) {
        if !names.contains(&node.name.as_str()) {
            errors.push(format!("node {} is not a state ({name})", node.name));
        }
    }
    // Siblings (same scope, markers included) do not overlap.
    let mut boxes: Vec<(&[String], String, Rect)> = l
        .nodes
        .iter()
        .map(|n| (parent(&n.path), n.name.clone(), n.rect))
        .collect();
    boxes.extend(
        l.markers
            .iter()
            .map(|m| (m.scope.as_slice(), format!("{:?} marker", m.kind), m.rect)),
    );
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            if a.0 == b.0 && a.2.intersects(&b.2) {
                errors.push(format!("{} overlaps {}", a.1, b.1));
            }
        }
    }
    // Children inside one of their container's lanes.
    for n in l.nodes.iter().filter(|n| n.path.len() > 1) {
        let Some(owner) = l.nodes.iter().find(|o| o.path == parent(&n.path)) else {
            errors.push(format!("{}: no container", n.name));
            continue;
        };
        if !owner.lanes.iter().any(|lane| lane.contains_rect(&n.rect))
            || !owner.rect.contains_rect(&n.rect)
        {
            errors.push(format!("{} is outside the lanes of {}", n.name, owner.name));
        }
    }
    for lane_owner in l.nodes.iter().filter(|n| !n.lanes.is_empty()) {
        for lane in &lane_owner.lanes {
            if !lane_owner.rect.contains_rect(lane) {
                errors.push(format!("a lane of {} sticks out", lane_owner.name));
            }
        }
    }
    for e in &l.edges {
        let rect_of = |p: &Vec<String>| l.nodes.iter().find(|n| &n.path == p).map(|n| n.rect);
        let (Some(from), Some(to)) = (rect_of(&e.from), rect_of(&e.to)) else {
            errors.push(format!("edge {:?} → {:?} has no node", e.from, e.to));
            continue;
        };
        let (first, last) = (e.points[0], e.points[e.points.len() - 1]);
        if e.points.len() < 2 || !from.on_border(first, TOL) || !to.on_border(last, TOL) {
            errors.push(format!(
                "edge {:?} → {:?} does not start and end on borders: {:?}",
                e.from, e.to, e.points
            ));
        }
        if !e.back_edge && (to.min.y < from.max.y || last.y <= first.y) {
            errors.push(format!(
                "forward edge {:?} → {:?} does not point down",
                e.from, e.to
            ));
        }
        for w in e.points.windows(2) {
            if w[0].x != w[1].x && w[0].y != w[1].y {
                errors.push(format!(
                    "edge {:?} → {:?} has a diagonal segment",
                    e.from, e.to
                ));
            }
            for n in &l.nodes {
                // The edge may run inside its own scope's containers, never through another state's box.
                let ancestor = e.from.starts_with(&n.path);
                if !ancestor
                    && n.path != e.from
                    && n.path != e.to
                    && segment_crosses(w[0], w[1], &n.rect)
                {
                    errors.push(format!("edge {:?} → {:?} crosses {}", e.from, e.to, n.name));
                }
            }
        }
    }
    for m in &l.markers {
        if m.link.len() < 2 {
            errors.push(format!("marker of {:?} has no link", m.attached_to));
        }
    }
    for n in &l.nodes {
        if !l.bounds.contains_rect(&n.rect) {
            errors.push(format!("{} is outside the bounds", n.name));
        }
    }
    errors
}

/// The invariants of the automatic layout on one file, and that it is deterministic.
fn invariants(path: &Path) -> Result<(), String> {
    invariants_of(&load(path)?)
}

fn invariants_of(machine: &StateMachine) -> Result<(), String> {
    let l = layout(machine);
    let mut errors = check(machine, &l);
    if layout(machine) != l {
        errors.push("two layouts of the same machine differ".into());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n"))
    }
}

/// With every third state pinned a little down and right of where it was, children stay in their
/// containers' lanes, edges end on their states' borders, and the result is deterministic.
fn pinned(path: &Path) -> Result<(), String> {
    let machine = load(path)?;
    let base = layout(&machine);
    let pins: BTreeMap<String, Point> = base
        .nodes
        .iter()
        .step_by(3)
        .map(|n| (n.name.clone(), n.rect.min.offset(37.0, 23.0)))
        .collect();
    let l = layout_with_pins(&machine, &pins);
    for n in l.nodes.iter().filter(|n| n.path.len() > 1) {
        let owner = l.nodes.iter().find(|o| o.path == parent(&n.path)).unwrap();
        if !owner.lanes.iter().any(|lane| lane.contains_rect(&n.rect)) {
            return Err(format!("{} escaped its container", n.name));
        }
    }
    for e in &l.edges {
        let rect_of = |p: &Vec<String>| l.nodes.iter().find(|n| &n.path == p).unwrap().rect;
        if !rect_of(&e.from).on_border(e.points[0], TOL)
            || !rect_of(&e.to).on_border(*e.points.last().unwrap(), TOL)
        {
            return Err(format!("edge does not end on its states' borders: {e:?}"));
        }
    }
    if l != layout_with_pins(&machine, &pins) {
        return Err("two pinned layouts of the same machine differ".into());
    }
    Ok(())
}

/// A pin moved in place ([`Unpinned::move_pins`], what the designer does on a drag) puts every state where
/// laying out with the new pin does (containers may stay grown: they only grow) and keeps children inside.
fn moved_pin(path: &Path) -> Result<(), String> {
    use statewright::layout::Unpinned;
    let machine = load(path)?;
    let names = machine.all_state_names();
    let Some(name) = names.get(names.len() / 2).map(|n| n.to_string()) else {
        return Ok(());
    };
    let unpinned = Unpinned::of(&machine);
    let first: BTreeMap<String, Point> = [(name.clone(), Point::new(40.0, 40.0))].into();
    let second: BTreeMap<String, Point> = [(name.clone(), Point::new(400.0, 90.0))].into();
    let mut moved = unpinned.with_pins(&first);
    unpinned.move_pins(&mut moved, &second);
    let fresh = unpinned.with_pins(&second);
    for (a, b) in moved.nodes.iter().zip(&fresh.nodes) {
        if a.lanes.is_empty()
            && ((a.rect.min.x - b.rect.min.x).abs() > TOL
                || (a.rect.min.y - b.rect.min.y).abs() > TOL)
        {
            return Err(format!(
                "{} at {:?}, laid out afresh {:?}",
                a.name, a.rect, b.rect
            ));
        }
    }
    let n = moved
        .nodes
        .iter()
        .find(|n| n.name == name)
        .ok_or("the moved state has no node")?;
    if (n.rect.min.x - 400.0).abs() > TOL || (n.rect.min.y - 90.0).abs() > TOL {
        return Err(format!("{name} is at {:?}, not at its pin", n.rect.min));
    }
    let outside: Vec<String> = check(&machine, &moved)
        .into_iter()
        .filter(|e| e.contains("outside"))
        .collect();
    if outside.is_empty() {
        Ok(())
    } else {
        Err(outside.join("\n"))
    }
}

/// The checks on each file: `invariants::<set>/<file>`, `pinned::<set>/<file>`, `moved_pin::<set>/<file>`.
fn cases(set: &str, base: &Path, files: Vec<PathBuf>) -> Vec<Case> {
    let mut out = Vec::new();
    for f in files {
        let name = format!("{set}/{}", gate::rel_name(&f, base));
        let g = f.clone();
        let h = f.clone();
        out.push(Case::new(format!("invariants::{name}"), move || {
            invariants(&f)
        }));
        out.push(Case::new(format!("pinned::{name}"), move || pinned(&g)));
        out.push(Case::new(format!("moved_pin::{name}"), move || {
            moved_pin(&h)
        }));
    }
    out
}

fn main() -> ExitCode {
    let examples = common::examples();
    let base = examples[0].parent().unwrap().to_path_buf();
    let mut plain = cases("examples", &base, examples);
    for n in [40, 300, 1_200] {
        plain.push(Case::new(
            format!("invariants::generated/shared-catch-{n}"),
            move || {
                let text = generate::chain_with_shared_catch(n);
                invariants_of(
                    &Document::parse_json(&text)
                        .map_err(|e| e.to_string())?
                        .machine,
                )
            },
        ));
    }
    let corpus = |sub: &'static str, set: &'static str| {
        Group::new(set, move |shared| {
            let dir = shared.join(sub);
            cases(set, &dir, common::asl_files(&dir))
        })
    };
    gate::main(
        "layout",
        plain,
        vec![
            corpus("seed-workflows", "seed"),
            corpus("corpus/real-world", "real-world"),
        ],
    )
}
