//! User-dragged positions: move pinned states (containers with their content), grow containers so they keep
//! enclosing their children, and re-route the edges and markers that touch anything moved or grown.

use super::geometry::{Point, Rect};
use super::{Built, CONTAINER_HEADER, CONTAINER_PAD, MARKER_SIZE, MarkerKind, label_size};
use crate::graph::{Graph, NodeId, ScopeId};
use std::collections::BTreeMap;

/// Gap between a state and a re-placed marker.
const MARKER_GAP: f32 = 24.0;
/// Distance of a re-routed loop channel from the rightmost of its two states.
const SIDE_GAP: f32 = 24.0;

pub(crate) fn apply(graph: &Graph, built: &mut Built, pins: &BTreeMap<String, Point>) {
    let mut pinned: Vec<NodeId> = (0..graph.nodes.len())
        .filter(|&i| pins.contains_key(&graph.nodes[i].name))
        .collect();
    pinned.sort_by_key(|&i| (graph.scopes[graph.nodes[i].scope].depth, i));
    let mut affected = vec![false; graph.nodes.len()];
    for &id in &pinned {
        let Some(pin) = pins.get(&graph.nodes[id].name) else {
            continue;
        };
        let rect = built.layout.nodes[id].rect;
        let (dx, dy) = (pin.x - rect.min.x, pin.y - rect.min.y);
        if !dx.is_finite() || !dy.is_finite() {
            continue;
        }
        translate_subtree(graph, built, id, dx, dy);
        affected[id] = true;
    }
    // Grow containers, innermost scopes first; only those holding a moved state can need it (a fresh
    // layout's containers enclose their content).
    let mut holds_moved = vec![false; graph.scopes.len()];
    for &id in &pinned {
        let mut s = graph.nodes[id].scope;
        while let Some(owner) = graph.scopes[s].owner {
            if std::mem::replace(&mut holds_moved[s], true) {
                break;
            }
            s = graph.nodes[owner].scope;
        }
    }
    for s in (1..graph.scopes.len()).rev() {
        let Some(owner) = graph.scopes[s].owner.filter(|_| holds_moved[s]) else {
            continue;
        };
        let Some(content) = scope_content(graph, built, s) else {
            continue;
        };
        let layout = &mut built.layout;
        let node = &mut layout.nodes[owner];
        let Some(lane) = node.lanes.get_mut(graph.scopes[s].lane) else {
            continue;
        };
        let grown = lane.union(&content.expand(super::SCOPE_PAD));
        if grown != *lane {
            *lane = grown;
            let needed = Rect {
                min: Point::new(grown.min.x - CONTAINER_PAD, grown.min.y - CONTAINER_HEADER),
                max: Point::new(grown.max.x + CONTAINER_PAD, grown.max.y + CONTAINER_PAD),
            };
            node.rect = node.rect.union(&needed);
            affected[owner] = true;
        }
    }
    reroute(graph, built, &affected);
}

/// Moves a node, everything nested in it, its own markers and the edges inside it.
fn translate_subtree(graph: &Graph, built: &mut Built, id: NodeId, dx: f32, dy: f32) {
    let layout = &mut built.layout;
    let mut scopes: Vec<ScopeId> = graph.nodes[id].children.clone();
    let mut nodes = vec![id];
    let mut i = 0;
    while i < scopes.len() {
        for &n in &graph.scopes[scopes[i]].nodes {
            nodes.push(n);
            scopes.extend(graph.nodes[n].children.iter().copied());
        }
        i += 1;
    }
    for &n in &nodes {
        let node = &mut layout.nodes[n];
        node.rect = node.rect.translate(dx, dy);
        for lane in &mut node.lanes {
            *lane = lane.translate(dx, dy);
        }
    }
    let inner_paths: Vec<&Vec<String>> = scopes.iter().map(|&s| &graph.scopes[s].path).collect();
    let own = &graph.nodes[id].path;
    for m in &mut layout.markers {
        if inner_paths.contains(&&m.scope) || &m.attached_to == own {
            m.rect = m.rect.translate(dx, dy);
            for p in &mut m.link {
                *p = p.offset(dx, dy);
            }
        }
    }
    for (k, e) in layout.edges.iter_mut().enumerate() {
        let edge = &graph.edges[built.edge_ids[k]];
        if scopes.contains(&graph.nodes[edge.from].scope) {
            for p in &mut e.points {
                *p = p.offset(dx, dy);
            }
            e.label_pos = e.label_pos.map(|p| p.offset(dx, dy));
        }
    }
}

fn scope_content(graph: &Graph, built: &Built, s: ScopeId) -> Option<Rect> {
    let mut r: Option<Rect> = None;
    for &n in &graph.scopes[s].nodes {
        let rect = built.layout.nodes[n].rect;
        r = Some(r.map_or(rect, |r| r.union(&rect)));
    }
    for m in built
        .layout
        .markers
        .iter()
        .filter(|m| m.scope == graph.scopes[s].path)
    {
        r = Some(r.map_or(m.rect, |r| r.union(&m.rect)));
    }
    r
}

/// Simple orthogonal routes for edges and markers touching an affected state.
fn reroute(graph: &Graph, built: &mut Built, affected: &[bool]) {
    let layout = &mut built.layout;
    let rects: Vec<Rect> = layout.nodes.iter().map(|n| n.rect).collect();
    let mut side_count: BTreeMap<NodeId, usize> = BTreeMap::new();
    for (k, e) in layout.edges.iter_mut().enumerate() {
        let edge = &graph.edges[built.edge_ids[k]];
        let Some(to) = edge.to else { continue };
        if !affected[edge.from] && !affected[to] {
            continue;
        }
        let (s, t) = (rects[edge.from], rects[to]);
        let label = e.label.as_deref().map(label_size);
        if t.min.y >= s.max.y + 8.0 {
            let (sx, tx) = (s.center().x, t.center().x);
            let mid = (s.max.y + t.min.y) / 2.0;
            e.points = vec![
                Point::new(sx, s.max.y),
                Point::new(sx, mid),
                Point::new(tx, mid),
                Point::new(tx, t.min.y),
            ];
            e.back_edge = false;
            e.label_pos = label.map(|l| Point::new(tx, t.min.y - l.height / 2.0 - 4.0));
        } else {
            let n = side_count.entry(edge.from).or_insert(0);
            *n += 1;
            let x = s.max.x.max(t.max.x) + SIDE_GAP * *n as f32;
            let (sy, ty) = (s.min.y + s.height() / 3.0, t.min.y + t.height() * 2.0 / 3.0);
            e.points = vec![
                Point::new(s.max.x, sy),
                Point::new(x, sy),
                Point::new(x, ty),
                Point::new(t.max.x, ty),
            ];
            e.back_edge = true;
            e.label_pos = label.map(|l| Point::new(x + l.width / 2.0 + 4.0, (sy + ty) / 2.0));
        }
    }
    // The affected states by path (few), rather than a search of all states per marker.
    let affected_paths: Vec<(&[String], NodeId)> = (0..graph.nodes.len())
        .filter(|&id| affected[id])
        .map(|id| (graph.nodes[id].path.as_slice(), id))
        .collect();
    for m in &mut layout.markers {
        let Some(id) = affected_paths
            .iter()
            .find(|(p, _)| *p == m.attached_to.as_slice())
            .map(|(_, id)| *id)
        else {
            continue;
        };
        let r = rects[id];
        let cx = r.center().x;
        match m.kind {
            MarkerKind::Start => {
                m.rect = Rect::from_min_size(
                    Point::new(
                        cx - MARKER_SIZE.width / 2.0,
                        r.min.y - MARKER_GAP - MARKER_SIZE.height,
                    ),
                    MARKER_SIZE,
                );
                m.link = vec![Point::new(cx, m.rect.max.y), Point::new(cx, r.min.y)];
            }
            MarkerKind::End => {
                m.rect = Rect::from_min_size(
                    Point::new(cx - MARKER_SIZE.width / 2.0, r.max.y + MARKER_GAP),
                    MARKER_SIZE,
                );
                m.link = vec![Point::new(cx, r.max.y), Point::new(cx, m.rect.min.y)];
            }
        }
    }
}
