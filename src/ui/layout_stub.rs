//! TEMPORARY stand-in for `crate::layout` (branch `layout`), with the same API, so the designer can be built
//! before that branch lands. Simple layered placement; deleted when `layout` is merged.

use crate::asl::{EdgeKind, StateMachine, StateType};
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub min: Point,
    pub max: Point,
}

impl Rect {
    fn new(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect {
            min: Point { x, y },
            max: Point { x: x + w, y: y + h },
        }
    }
    fn w(&self) -> f32 {
        self.max.x - self.min.x
    }
    fn h(&self) -> f32 {
        self.max.y - self.min.y
    }
    fn translate(&mut self, dx: f32, dy: f32) {
        self.min.x += dx;
        self.max.x += dx;
        self.min.y += dy;
        self.max.y += dy;
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeLayout {
    pub path: Vec<String>,
    pub name: String,
    pub state_type: Option<StateType>,
    pub rect: Rect,
    pub lanes: Vec<Rect>,
    pub depth: usize,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgeLayout {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub kind: EdgeKind,
    pub label: Option<String>,
    pub points: Vec<Point>,
    pub label_pos: Option<Point>,
    pub back_edge: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    Start,
    End,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub kind: MarkerKind,
    pub scope: Vec<String>,
    pub rect: Rect,
    pub attached_to: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub nodes: Vec<NodeLayout>,
    pub edges: Vec<EdgeLayout>,
    pub markers: Vec<Marker>,
    pub bounds: Rect,
}

#[allow(dead_code)]
pub fn layout(m: &StateMachine) -> Layout {
    layout_with_pins(m, &BTreeMap::new())
}

const NODE_W: f32 = 200.0;
const NODE_H: f32 = 58.0;
const GAP_X: f32 = 36.0;
const GAP_Y: f32 = 56.0;
const HEADER: f32 = 30.0;
const PAD: f32 = 14.0;

pub fn layout_with_pins(m: &StateMachine, pins: &BTreeMap<String, Point>) -> Layout {
    let mut out = Layout::default();
    let size = place(m, &[], 0, &mut out);
    out.bounds = Rect::new(0.0, 0.0, size.0, size.1);
    if !pins.is_empty() {
        // Move pinned top-level nodes (and everything inside them) to their pinned corner.
        for (name, p) in pins {
            let Some(i) = out.nodes.iter().position(|n| &n.name == name) else {
                continue;
            };
            let (dx, dy) = (p.x - out.nodes[i].rect.min.x, p.y - out.nodes[i].rect.min.y);
            let prefix = out.nodes[i].path.clone();
            for n in &mut out.nodes {
                if n.path.starts_with(&prefix) {
                    n.rect.translate(dx, dy);
                    for l in &mut n.lanes {
                        l.translate(dx, dy);
                    }
                }
            }
        }
        // Re-route every edge straight between the moved boxes.
        let rects: HashMap<Vec<String>, Rect> =
            out.nodes.iter().map(|n| (n.path.clone(), n.rect)).collect();
        for e in &mut out.edges {
            if let (Some(a), Some(b)) = (rects.get(&e.from), rects.get(&e.to)) {
                e.points = route(a, b, e.back_edge, 0.0);
                e.label_pos = e.label.as_ref().map(|_| mid(&e.points));
            }
        }
        for mk in &mut out.markers {
            if let Some(r) = mk.attached_to.as_ref().and_then(|p| rects.get(p)) {
                let c = (r.min.x + r.max.x) / 2.0;
                mk.rect = match mk.kind {
                    MarkerKind::Start => Rect::new(c - 8.0, r.min.y - 34.0, 16.0, 16.0),
                    MarkerKind::End => Rect::new(c - 8.0, r.max.y + 18.0, 16.0, 16.0),
                };
            }
        }
        let mut b = Rect::new(0.0, 0.0, 0.0, 0.0);
        for n in &out.nodes {
            b.min.x = b.min.x.min(n.rect.min.x);
            b.min.y = b.min.y.min(n.rect.min.y);
            b.max.x = b.max.x.max(n.rect.max.x);
            b.max.y = b.max.y.max(n.rect.max.y + 40.0);
        }
        out.bounds = b;
    }
    out
}

fn mid(points: &[Point]) -> Point {
    let a = points[points.len() / 2 - 1];
    let b = points[points.len() / 2];
    Point {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
    }
}

fn route(a: &Rect, b: &Rect, back: bool, lane_x: f32) -> Vec<Point> {
    let (ax, bx) = ((a.min.x + a.max.x) / 2.0, (b.min.x + b.max.x) / 2.0);
    if back {
        let x = lane_x.max(a.max.x + 24.0).max(b.max.x + 24.0);
        let (ay, by) = ((a.min.y + a.max.y) / 2.0, (b.min.y + b.max.y) / 2.0);
        return vec![
            Point { x: a.max.x, y: ay },
            Point { x, y: ay },
            Point { x, y: by },
            Point { x: b.max.x, y: by },
        ];
    }
    let (sy, ty) = (a.max.y, b.min.y);
    let my = if ty > sy { ty - 22.0 } else { sy + 22.0 };
    vec![
        Point { x: ax, y: sy },
        Point { x: ax, y: my },
        Point { x: bx, y: my },
        Point { x: bx, y: ty },
    ]
}

/// Places machine `m` with its top-left at (0,0); returns its size. Nested machines are placed recursively
/// and translated into their container's lanes.
fn place(m: &StateMachine, prefix: &[String], depth: usize, out: &mut Layout) -> (f32, f32) {
    let names: Vec<&str> = m.states().iter().map(|n| n.name.as_str()).collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let succ: Vec<Vec<usize>> = m
        .states()
        .iter()
        .map(|n| {
            n.state
                .edges()
                .iter()
                .filter_map(|e| index.get(e.target).copied())
                .collect()
        })
        .collect();
    // Depth-first from StartAt (then every unreached state): back edges point at a state on the stack.
    let mut back: Vec<(usize, usize)> = Vec::new();
    let mut color = vec![0u8; names.len()];
    let mut order: Vec<usize> = Vec::new();
    let starts: Vec<usize> = m
        .start_at()
        .and_then(|s| index.get(s).copied())
        .into_iter()
        .chain(0..names.len())
        .collect();
    for s in starts {
        if color[s] != 0 {
            continue;
        }
        let mut stack = vec![(s, 0usize)];
        color[s] = 1;
        while let Some((v, i)) = stack.pop() {
            if i < succ[v].len() {
                stack.push((v, i + 1));
                let w = succ[v][i];
                match color[w] {
                    0 => {
                        color[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => back.push((v, w)),
                    _ => {}
                }
            } else {
                color[v] = 2;
                order.push(v);
            }
        }
    }
    order.reverse();
    let mut rank = vec![0usize; names.len()];
    for &v in &order {
        for &w in &succ[v] {
            if !back.contains(&(v, w)) {
                rank[w] = rank[w].max(rank[v] + 1);
            }
        }
    }
    // Sizes (containers hold their lanes side by side).
    let mut sizes = Vec::new();
    let mut nested: Vec<Vec<(Ranges, (f32, f32))>> = Vec::new();
    for n in m.states() {
        let children = n.state.child_machines();
        if children.is_empty() {
            sizes.push((NODE_W, NODE_H));
            nested.push(Vec::new());
            continue;
        }
        let mut path = prefix.to_vec();
        path.push(n.name.to_string());
        let mut lanes = Vec::new();
        let (mut w, mut h) = (PAD, 0.0f32);
        for child in children {
            let start = (out.nodes.len(), out.edges.len(), out.markers.len());
            let size = place(child, &path, depth + 1, out);
            lanes.push((
                (start, (out.nodes.len(), out.edges.len(), out.markers.len())),
                size,
            ));
            w += size.0 + 2.0 * PAD + GAP_X / 2.0;
            h = h.max(size.1);
        }
        nested.push(lanes);
        sizes.push((w.max(NODE_W) - GAP_X / 2.0 + PAD, h + HEADER + 3.0 * PAD));
    }
    let ranks = rank.iter().copied().max().map_or(0, |r| r + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    for v in 0..names.len() {
        rows[rank[v]].push(v);
    }
    let row_w: Vec<f32> = rows
        .iter()
        .map(|r| {
            r.iter().map(|&v| sizes[v].0).sum::<f32>() + GAP_X * r.len().saturating_sub(1) as f32
        })
        .collect();
    let width = row_w.iter().copied().fold(NODE_W, f32::max) + 60.0;
    let mut rects = vec![Rect::default(); names.len()];
    let mut y = 40.0;
    for (r, row) in rows.iter().enumerate() {
        let mut x = (width - 60.0 - row_w[r]) / 2.0;
        let h = row.iter().map(|&v| sizes[v].1).fold(0.0, f32::max);
        for &v in row {
            rects[v] = Rect::new(x, y, sizes[v].0, sizes[v].1);
            x += sizes[v].0 + GAP_X;
        }
        y += h + GAP_Y;
    }
    // Emit nodes; move nested nodes into their lanes.
    for (v, n) in m.states().iter().enumerate() {
        let mut path = prefix.to_vec();
        path.push(n.name.to_string());
        let mut lanes = Vec::new();
        let mut lx = rects[v].min.x + PAD;
        for &(ranges, size) in &nested[v] {
            let lane = Rect::new(
                lx,
                rects[v].min.y + HEADER + PAD,
                size.0 + 2.0 * PAD,
                rects[v].h() - HEADER - 2.0 * PAD,
            );
            let (dx, dy) = (
                lane.min.x + PAD + (lane.w() - 2.0 * PAD - size.0) / 2.0,
                lane.min.y,
            );
            translate_range(out, ranges, dx, dy);
            lanes.push(lane);
            lx += lane.w() + GAP_X / 2.0;
        }
        out.nodes.push(NodeLayout {
            path,
            name: n.name.to_string(),
            state_type: n.state.state_type(),
            rect: rects[v],
            lanes,
            depth,
            summary: summary(&n.state),
        });
    }
    let right = width - 30.0;
    let mut lane_x = right;
    for (v, n) in m.states().iter().enumerate() {
        let mut from = prefix.to_vec();
        from.push(n.name.to_string());
        for e in n.state.edges() {
            let Some(&w) = index.get(e.target) else {
                continue;
            };
            let mut to = prefix.to_vec();
            to.push(e.target.to_owned());
            let is_back = back.contains(&(v, w)) || rank[w] <= rank[v];
            if is_back {
                lane_x += 12.0;
            }
            let points = route(&rects[v], &rects[w], is_back, lane_x);
            let label = match e.kind {
                EdgeKind::Next => None,
                EdgeKind::Default => Some("Default".to_owned()),
                EdgeKind::Choice(i) => n
                    .state
                    .choices
                    .as_ref()
                    .and_then(|c| c.get(i))
                    .map(|r| r.summary()),
                EdgeKind::Catch(i) => n.state.catch.as_ref().and_then(|c| c.get(i)).map(|c| {
                    c.error_equals
                        .iter()
                        .flatten()
                        .map(|e| e.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
            };
            let label_pos = label.as_ref().map(|_| mid(&points));
            out.edges.push(EdgeLayout {
                from: from.clone(),
                to,
                kind: e.kind,
                label,
                points,
                label_pos,
                back_edge: is_back,
            });
        }
        if n.state.end == Some(true) {
            let r = rects[v];
            let c = (r.min.x + r.max.x) / 2.0;
            out.markers.push(Marker {
                kind: MarkerKind::End,
                scope: prefix.to_vec(),
                rect: Rect::new(c - 8.0, r.max.y + 18.0, 16.0, 16.0),
                attached_to: Some(from.clone()),
            });
        }
    }
    if let Some(&s) = m.start_at().and_then(|s| index.get(s)) {
        let r = rects[s];
        let c = (r.min.x + r.max.x) / 2.0;
        let mut to = prefix.to_vec();
        to.push(names[s].to_owned());
        out.markers.push(Marker {
            kind: MarkerKind::Start,
            scope: prefix.to_vec(),
            rect: Rect::new(c - 8.0, r.min.y - 34.0, 16.0, 16.0),
            attached_to: Some(to),
        });
    }
    (width.max(lane_x + 20.0), y)
}

/// Index ranges `(nodes, edges, markers)` of what one nested `place` call produced.
type Ranges = ((usize, usize, usize), (usize, usize, usize));

/// Moves what one nested machine produced (already including its own nested machines).
fn translate_range(out: &mut Layout, ((n0, e0, m0), (n1, e1, m1)): Ranges, dx: f32, dy: f32) {
    for node in &mut out.nodes[n0..n1] {
        node.rect.translate(dx, dy);
        for l in &mut node.lanes {
            l.translate(dx, dy);
        }
    }
    for e in &mut out.edges[e0..e1] {
        for p in e.points.iter_mut().chain(e.label_pos.iter_mut()) {
            p.x += dx;
            p.y += dy;
        }
    }
    for mk in &mut out.markers[m0..m1] {
        mk.rect.translate(dx, dy);
    }
}

fn summary(s: &crate::asl::State) -> String {
    if let Some(r) = &s.resource {
        let r = r.as_str();
        return r.rsplit(":::").next().unwrap_or(r).to_owned();
    }
    match s.state_type() {
        Some(StateType::Wait) => s.seconds.as_ref().map_or("wait".into(), |n| match n {
            crate::asl::NumberOrExpr::Number(n) => format!("{n} s"),
            crate::asl::NumberOrExpr::Expr(e) => e.to_string(),
        }),
        Some(StateType::Choice) => format!("{} rule(s)", s.choices.as_ref().map_or(0, Vec::len)),
        Some(StateType::Fail) => s.error.as_deref().unwrap_or("").to_owned(),
        Some(StateType::Map) => s
            .items_path
            .as_ref()
            .and_then(|p| p.value())
            .map_or("items".into(), |p| p.to_string()),
        Some(StateType::Parallel) => {
            format!("{} branches", s.branches.as_ref().map_or(0, Vec::len))
        }
        _ => String::new(),
    }
}

/// The sidecar with pinned positions: `NAME.layout.json` beside the workflow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayoutFile {
    pub positions: BTreeMap<String, Point>,
}

impl LayoutFile {
    pub fn load(path: &std::path::Path) -> Result<LayoutFile, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let mut positions = BTreeMap::new();
        if let Some(obj) = v.get("positions").and_then(|p| p.as_object()) {
            for (k, p) in obj {
                if let (Some(x), Some(y)) = (
                    p.get("x").and_then(|x| x.as_f64()),
                    p.get("y").and_then(|y| y.as_f64()),
                ) {
                    positions.insert(
                        k.clone(),
                        Point {
                            x: x as f32,
                            y: y as f32,
                        },
                    );
                }
            }
        }
        Ok(LayoutFile { positions })
    }

    pub fn save(&self, path: &std::path::Path) -> Result<(), String> {
        let mut obj = serde_json::Map::new();
        for (k, p) in &self.positions {
            obj.insert(k.clone(), serde_json::json!({"x": p.x, "y": p.y}));
        }
        let text = serde_json::to_string_pretty(&serde_json::json!({ "positions": obj }))
            .map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| e.to_string())
    }
}
