//! Layout invariants on every example, seed workflow and real-world corpus file: every state has a node,
//! sibling boxes do not overlap, children stay inside their container's lane, edge ends sit on their states'
//! borders, forward edges point down, no edge crosses a state box, and the same input gives the same output.

mod common;

use statewright::asl::{Document, SourceFormat, StateMachine};
use statewright::layout::{Layout, Point, Rect, layout, layout_with_pins};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TOL: f32 = 0.5;

fn corpus() -> Vec<PathBuf> {
    let mut files = common::examples();
    if let Some(shared) = common::shared_dir() {
        files.extend(common::asl_files(&shared.join("seed-workflows")));
        files.extend(common::asl_files(&shared.join("corpus/real-world")));
    }
    files
}

fn load(path: &Path) -> Option<StateMachine> {
    let bytes = std::fs::read(path).ok()?;
    Document::from_bytes(&bytes, SourceFormat::from_path(path))
        .ok()
        .map(|d| d.machine)
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

#[test]
fn invariants_hold_on_every_corpus_file() {
    let files = corpus();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &files {
        let Some(machine) = load(path) else { continue };
        let l = layout(&machine);
        checked += 1;
        let mut errors = check(&machine, &l);
        if layout(&machine) != l {
            errors.push("two layouts of the same machine differ".into());
        }
        for e in errors.into_iter().take(3) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    eprintln!("layout invariants checked on {checked} files");
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn pinned_layouts_keep_containers_around_children() {
    let mut checked = 0;
    for path in corpus() {
        let Some(machine) = load(&path) else { continue };
        let base = layout(&machine);
        // Pin every third state a little down and right of where it was.
        let pins: BTreeMap<String, Point> = base
            .nodes
            .iter()
            .step_by(3)
            .map(|n| (n.name.clone(), n.rect.min.offset(37.0, 23.0)))
            .collect();
        let l = layout_with_pins(&machine, &pins);
        checked += 1;
        for n in l.nodes.iter().filter(|n| n.path.len() > 1) {
            let owner = l.nodes.iter().find(|o| o.path == parent(&n.path)).unwrap();
            assert!(
                owner.lanes.iter().any(|lane| lane.contains_rect(&n.rect)),
                "{}: {} escaped its container",
                path.display(),
                n.name
            );
        }
        for e in &l.edges {
            let rect_of = |p: &Vec<String>| l.nodes.iter().find(|n| &n.path == p).unwrap().rect;
            assert!(
                rect_of(&e.from).on_border(e.points[0], TOL),
                "{}: {e:?}",
                path.display()
            );
            assert!(
                rect_of(&e.to).on_border(*e.points.last().unwrap(), TOL),
                "{}: {e:?}",
                path.display()
            );
        }
        assert_eq!(l, layout_with_pins(&machine, &pins));
    }
    eprintln!("pinned layouts checked on {checked} files");
}

#[test]
fn moving_a_pin_in_place_matches_laying_out_with_it() {
    use statewright::layout::Unpinned;
    for path in corpus() {
        let Some(m) = load(&path) else { continue };
        let names: Vec<String> = m.all_state_names().into_iter().map(String::from).collect();
        let Some(name) = names.get(names.len() / 2) else {
            continue;
        };
        let unpinned = Unpinned::of(&m);
        let first: BTreeMap<String, Point> = [(name.clone(), Point::new(40.0, 40.0))].into();
        let second: BTreeMap<String, Point> = [(name.clone(), Point::new(400.0, 90.0))].into();
        let mut moved = unpinned.with_pins(&first);
        unpinned.move_pins(&mut moved, &second);
        let fresh = unpinned.with_pins(&second);
        assert_eq!(moved.nodes.len(), fresh.nodes.len());
        for (a, b) in moved.nodes.iter().zip(&fresh.nodes) {
            // Every state is where a fresh layout puts it (containers may stay grown: they only grow).
            if a.lanes.is_empty() {
                assert!(
                    (a.rect.min.x - b.rect.min.x).abs() < TOL
                        && (a.rect.min.y - b.rect.min.y).abs() < TOL,
                    "{}: {} at {:?}, fresh {:?}",
                    path.display(),
                    a.name,
                    a.rect,
                    b.rect
                );
            }
        }
        let n = moved.nodes.iter().find(|n| n.name == *name).unwrap();
        assert!((n.rect.min.x - 400.0).abs() < TOL && (n.rect.min.y - 90.0).abs() < TOL);
        assert!(
            check(&m, &moved).iter().all(|e| !e.contains("outside")),
            "{}",
            path.display()
        );
    }
}
