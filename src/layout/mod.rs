//! Positions for a state machine's graph, in graph units, top-to-bottom like AWS Workflow Studio; no egui types.
//!
//! [`layout`] lays out each scope (top level, Parallel branch, Map processor) with the layered algorithm in
//! [`layered`], innermost first, so that a Parallel becomes a container with one lane per branch side by side and
//! a Map a container around its processor; then places the scopes inside their containers. [`layout_with_pins`]
//! moves user-dragged states afterwards and re-routes the edges that touch them.
//!
//! ```
//! use statewright::asl::Document;
//! let doc = Document::parse_json(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}"#).unwrap();
//! let l = statewright::layout::layout(&doc.machine);
//! assert_eq!(l.nodes.len(), 2);
//! assert!(l.nodes[0].rect.max.y < l.nodes[1].rect.min.y);
//! ```

mod free;
pub mod geometry;
mod layered;
mod pins;
mod sidecar;
pub mod summary;
pub mod text;

pub use crate::graph::StatePath;
pub use free::nearest_free_spot;
pub use geometry::{Point, Rect, Size};
pub use sidecar::{LayoutFile, sidecar_path};

use crate::asl::{EdgeKind, StateMachine, StateType};
use crate::graph::{Graph, NodeId, ScopeId};
use layered::{Item, Link, Placed, SCOPE_PAD};
use std::collections::BTreeMap;

/// Width of a simple state.
pub const NODE_W: f32 = 210.0;
/// Height of a simple state.
pub const NODE_H: f32 = 56.0;
/// Size of a Start or End marker.
pub const MARKER_SIZE: Size = Size::new(64.0, 26.0);
/// Height of a container's title area above its lanes.
pub const CONTAINER_HEADER: f32 = 44.0;
/// Padding between a container's border and its lanes.
pub const CONTAINER_PAD: f32 = 12.0;
/// Gap between two lanes of a Parallel.
pub const LANE_GAP: f32 = 12.0;

/// Everything the canvas and the renderers draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// One per state, containers before the states they contain.
    pub nodes: Vec<NodeLayout>,
    /// Transitions whose target exists (dangling ones are left out).
    pub edges: Vec<EdgeLayout>,
    pub markers: Vec<Marker>,
    pub bounds: Rect,
}

/// Where a state goes.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeLayout {
    pub path: StatePath,
    pub name: String,
    pub state_type: Option<StateType>,
    pub rect: Rect,
    /// Parallel branch lanes (left to right) or the Map body; empty for simple states.
    pub lanes: Vec<Rect>,
    /// Nesting depth: 0 at the top level.
    pub depth: usize,
    /// One line: `glue:startJobRun.sync`, `Wait 5s`, `1 rule + Default`, …
    pub summary: String,
    /// The name as drawn: one line, or up to [`text::MAX_NAME_LINES`] when it is too long for the widest
    /// node (a container's name always takes one line).
    pub name_lines: Vec<String>,
    /// The summary as drawn (ends with `…` when it does not fit).
    pub summary_line: String,
    /// The name or summary is drawn shortened with `…`: the canvas shows the full text on hover.
    pub text_elided: bool,
    /// The state has `Retry`.
    pub has_retry: bool,
    /// The state has `Catch`.
    pub has_catch: bool,
}

/// The route of one transition.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeLayout {
    pub from: StatePath,
    pub to: StatePath,
    pub kind: EdgeKind,
    /// Choice rule summary, `Default`, or the catcher's error names joined; none for `Next`.
    pub label: Option<String>,
    /// Polyline: first point on the source border, last on the target border.
    pub points: Vec<Point>,
    /// Center of the label box.
    pub label_pos: Option<Point>,
    /// A loop: drawn up the right side instead of down.
    pub back_edge: bool,
}

/// Start or End.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    Start,
    End,
}

/// A Start marker above a scope's `StartAt` state, or an End marker below a state that ends its scope.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub kind: MarkerKind,
    /// The container's path; empty at the top level.
    pub scope: StatePath,
    pub rect: Rect,
    pub attached_to: StatePath,
    /// The connector between the marker and its state, in flow direction (marker → state for Start).
    pub link: Vec<Point>,
}

/// Lays out a machine.
pub fn layout(machine: &StateMachine) -> Layout {
    layout_with_pins(machine, &BTreeMap::new())
}

/// Lays out a machine, then moves each state named in `pins` so its top-left corner is at the pinned point
/// (containers move with their content and grow to keep enclosing pinned children); edges touching moved
/// states are re-routed.
pub fn layout_with_pins(machine: &StateMachine, pins: &BTreeMap<String, Point>) -> Layout {
    Unpinned::of(machine).with_pins(pins)
}

/// A machine's layout before pins: the costly part, computed once per version of the machine (the
/// designer computes it off the UI thread); [`Unpinned::with_pins`] then places pinned states cheaply, so
/// moving a state does not lay the machine out again.
#[derive(Clone, Debug, Default)]
pub struct Unpinned {
    graph: Graph,
    built: Built,
}

impl Unpinned {
    pub fn of(machine: &StateMachine) -> Unpinned {
        let graph = Graph::from_machine(machine);
        let built = build(machine, &graph);
        Unpinned { graph, built }
    }

    /// The layout with each state named in `pins` moved so its top-left corner is at the pinned point.
    pub fn with_pins(&self, pins: &BTreeMap<String, Point>) -> Layout {
        let mut built = self.built.clone();
        if !pins.is_empty() {
            pins::apply(&self.graph, &mut built, pins);
        }
        built.layout.bounds = bounds(&built.layout);
        built.layout
    }

    /// Moves pinned states of `layout` (made by [`Unpinned::with_pins`] from this, with other pins) to
    /// their new pins in place: their content moves with them, containers grow to keep enclosing them,
    /// the edges touching them are re-routed. Cheaper than [`Unpinned::with_pins`] on big machines, which
    /// is what to use when pins are removed (containers do not shrink here).
    pub fn move_pins(&self, layout: &mut Layout, moved: &BTreeMap<String, Point>) {
        if moved.is_empty() || layout.nodes.len() != self.built.layout.nodes.len() {
            return;
        }
        let mut built = Built {
            layout: std::mem::take(layout),
            edge_ids: self.built.edge_ids.clone(),
        };
        pins::apply(&self.graph, &mut built, moved);
        built.layout.bounds = bounds(&built.layout);
        *layout = built.layout;
    }
}

/// What one scope holds for the layered algorithm.
enum ItemRef {
    Node(NodeId),
    Start(NodeId),
    End(NodeId),
}

enum LinkRef {
    Edge(usize),
    Marker(usize),
}

struct ScopePlan {
    items: Vec<ItemRef>,
    links: Vec<LinkRef>,
    placed: Placed,
}

/// The layout plus the bookkeeping the pin pass needs.
#[derive(Clone, Debug, Default)]
pub(crate) struct Built {
    pub layout: Layout,
    /// Graph edge id of each `layout.edges` entry.
    pub edge_ids: Vec<usize>,
}

fn label_size(text: &str) -> Size {
    let w = text::text_width(&summary::label_text(text), text::LABEL_SIZE);
    Size::new(w.ceil() + 10.0, summary::LABEL_H)
}

fn build(machine: &StateMachine, graph: &Graph) -> Built {
    let states = state_lookup(machine, graph);
    let summaries: Vec<String> = states
        .iter()
        .map(|s| s.map(summary::state_summary).unwrap_or_default())
        .collect();
    // What each simple state shows decides its size (containers: their lanes and their name).
    let mut texts: Vec<text::NodeText> = graph
        .nodes
        .iter()
        .zip(&summaries)
        .map(|(n, summary)| text::node_text(&n.name, summary))
        .collect();
    let mut sizes: Vec<Size> = texts.iter().map(|t| t.size).collect();
    // Sizes of every container, innermost scopes first (children have larger scope ids than their parents).
    let mut plans: Vec<Option<ScopePlan>> = (0..graph.scopes.len()).map(|_| None).collect();
    for s in (0..graph.scopes.len()).rev() {
        for &id in &graph.scopes[s].nodes {
            if !graph.nodes[id].children.is_empty() {
                let size = container_size(graph, id, &plans);
                let width = size
                    .width
                    .max(text::container_min_width(&graph.nodes[id].name));
                sizes[id] = Size::new(width, size.height);
                let name = text::container_name(&graph.nodes[id].name, width);
                texts[id].elided = name != graph.nodes[id].name;
                texts[id].name_lines = vec![name];
            }
        }
        plans[s] = Some(plan_scope(graph, s, &sizes));
    }
    let mut layout = Layout {
        nodes: graph
            .nodes
            .iter()
            .enumerate()
            .zip(summaries)
            .zip(texts)
            .map(|(((i, n), summary), text)| {
                let state = states[i];
                NodeLayout {
                    path: n.path.clone(),
                    name: n.name.clone(),
                    state_type: n.state_type,
                    rect: Rect::from_min_size(Point::default(), sizes[i]),
                    lanes: Vec::new(),
                    depth: graph.scopes[n.scope].depth,
                    summary,
                    name_lines: text.name_lines,
                    summary_line: text.summary_line,
                    text_elided: text.elided,
                    has_retry: state
                        .is_some_and(|s| s.retry.as_ref().is_some_and(|r| !r.is_empty())),
                    has_catch: state
                        .is_some_and(|s| s.catch.as_ref().is_some_and(|c| !c.is_empty())),
                }
            })
            .collect(),
        ..Layout::default()
    };
    let mut edge_ids = Vec::new();
    let mut origins = vec![Point::default(); graph.scopes.len()];
    // Top-down: each scope's origin is known once its owner is placed.
    for s in 0..graph.scopes.len() {
        let Some(plan) = plans[s].as_ref() else {
            continue;
        };
        let o = origins[s];
        for (k, item) in plan.items.iter().enumerate() {
            let min = plan.placed.pos[k].offset(o.x, o.y);
            match *item {
                ItemRef::Node(id) => {
                    let rect = Rect::from_min_size(min, sizes[id]);
                    layout.nodes[id].rect = rect;
                    place_lanes(
                        graph,
                        id,
                        rect,
                        &plans,
                        &mut layout.nodes[id].lanes,
                        &mut origins,
                    );
                }
                ItemRef::Start(id) | ItemRef::End(id) => {
                    layout.markers.push(Marker {
                        kind: if matches!(item, ItemRef::Start(_)) {
                            MarkerKind::Start
                        } else {
                            MarkerKind::End
                        },
                        scope: graph.scopes[s].path.clone(),
                        rect: Rect::from_min_size(min, MARKER_SIZE),
                        attached_to: graph.nodes[id].path.clone(),
                        link: Vec::new(),
                    });
                }
            }
        }
        let first_marker = layout.markers.len()
            - plan
                .items
                .iter()
                .filter(|i| !matches!(i, ItemRef::Node(_)))
                .count();
        for (k, link) in plan.links.iter().enumerate() {
            let points: Vec<Point> = plan.placed.routes[k]
                .iter()
                .map(|p| p.offset(o.x, o.y))
                .collect();
            match *link {
                LinkRef::Edge(e) => {
                    let edge = &graph.edges[e];
                    let Some(to) = edge.to else { continue };
                    layout.edges.push(EdgeLayout {
                        from: graph.nodes[edge.from].path.clone(),
                        to: graph.nodes[to].path.clone(),
                        kind: edge.kind,
                        label: edge.label.clone(),
                        points,
                        label_pos: plan.placed.labels[k].map(|p| p.offset(o.x, o.y)),
                        back_edge: edge.back,
                    });
                    edge_ids.push(e);
                }
                LinkRef::Marker(item) => {
                    // Markers follow the scope's states in `plan.items`.
                    let nth = item - graph.scopes[s].nodes.len();
                    layout.markers[first_marker + nth].link = points;
                }
            }
        }
    }
    Built { layout, edge_ids }
}

/// The `State` behind each graph node (same walk order as the graph builder).
fn state_lookup<'a>(
    machine: &'a StateMachine,
    graph: &Graph,
) -> Vec<Option<&'a crate::asl::State>> {
    let mut out: Vec<Option<&crate::asl::State>> = vec![None; graph.nodes.len()];
    let mut stack: Vec<(&StateMachine, ScopeId)> = vec![(machine, 0)];
    while let Some((m, s)) = stack.pop() {
        for (named, &id) in m.states().iter().zip(&graph.scopes[s].nodes) {
            out[id] = Some(&named.state);
            for (child, &cs) in named
                .state
                .child_machines()
                .into_iter()
                .zip(&graph.nodes[id].children)
            {
                stack.push((child, cs));
            }
        }
    }
    out
}

fn plan_scope(graph: &Graph, s: ScopeId, sizes: &[Size]) -> ScopePlan {
    let scope = &graph.scopes[s];
    let shift = usize::from(scope.start.is_some());
    let first = scope.nodes.first().copied().unwrap_or(0);
    let mut items: Vec<ItemRef> = scope.nodes.iter().map(|&id| ItemRef::Node(id)).collect();
    let mut lay_items: Vec<Item> = scope
        .nodes
        .iter()
        .map(|&id| Item {
            size: sizes[id],
            rank: graph.nodes[id].rank + shift,
            hint: graph.nodes[id].preorder + 1,
        })
        .collect();
    let mut links = Vec::new();
    let mut lay_links = Vec::new();
    for &e in &scope.edges {
        let edge = &graph.edges[e];
        let Some(to) = edge.to else { continue };
        links.push(LinkRef::Edge(e));
        lay_links.push(Link {
            from: edge.from - first,
            to: to - first,
            back: edge.back,
            label: edge.label.as_deref().map(label_size),
            label_text: edge.label.as_deref(),
        });
    }
    let mut marker = |items: &mut Vec<ItemRef>,
                      lay_items: &mut Vec<Item>,
                      item: ItemRef,
                      rank: usize,
                      hint: usize| {
        items.push(item);
        lay_items.push(Item {
            size: MARKER_SIZE,
            rank,
            hint,
        });
        links.push(LinkRef::Marker(items.len() - 1));
        items.len() - 1
    };
    if let Some(start) = scope.start {
        let k = marker(
            &mut items,
            &mut lay_items,
            ItemRef::Start(start),
            graph.nodes[start].rank,
            0,
        );
        lay_links.push(Link {
            from: k,
            to: start - first,
            back: false,
            label: None,
            label_text: None,
        });
    }
    for &id in &scope.nodes {
        let node = &graph.nodes[id];
        if node.ends {
            let k = marker(
                &mut items,
                &mut lay_items,
                ItemRef::End(id),
                node.rank + shift + 1,
                node.preorder + 1,
            );
            lay_links.push(Link {
                from: id - first,
                to: k,
                back: false,
                label: None,
                label_text: None,
            });
        }
    }
    let placed = layered::place(&lay_items, &lay_links);
    ScopePlan {
        items,
        links,
        placed,
    }
}

fn container_size(graph: &Graph, owner: NodeId, plans: &[Option<ScopePlan>]) -> Size {
    let lanes: Vec<Size> = graph.nodes[owner]
        .children
        .iter()
        .filter_map(|&c| plans[c].as_ref())
        .map(|p| p.placed.size)
        .collect();
    if lanes.is_empty() {
        return Size::new(NODE_W, NODE_H);
    }
    let width: f32 = lanes.iter().map(|l| l.width).sum::<f32>()
        + LANE_GAP * (lanes.len() - 1) as f32
        + 2.0 * CONTAINER_PAD;
    let height =
        lanes.iter().map(|l| l.height).fold(0.0, f32::max) + CONTAINER_HEADER + CONTAINER_PAD;
    Size::new(width.max(NODE_W), height)
}

/// Lane rects of a container placed at `rect`, and the origins of the scopes inside them.
fn place_lanes(
    graph: &Graph,
    owner: NodeId,
    rect: Rect,
    plans: &[Option<ScopePlan>],
    lanes: &mut Vec<Rect>,
    origins: &mut [Point],
) {
    let children = &graph.nodes[owner].children;
    if children.is_empty() {
        return;
    }
    let sizes: Vec<Size> = children
        .iter()
        .map(|&c| plans[c].as_ref().map_or(Size::default(), |p| p.placed.size))
        .collect();
    let content: f32 =
        sizes.iter().map(|s| s.width).sum::<f32>() + LANE_GAP * (sizes.len() - 1) as f32;
    // A container wider than its lanes (its minimum width) widens the lanes evenly.
    let extra = ((rect.width() - 2.0 * CONTAINER_PAD - content) / sizes.len() as f32).max(0.0);
    let lane_h = rect.height() - CONTAINER_HEADER - CONTAINER_PAD;
    let mut x = rect.min.x + CONTAINER_PAD;
    for (&c, size) in children.iter().zip(&sizes) {
        let lane = Rect::from_min_size(
            Point::new(x, rect.min.y + CONTAINER_HEADER),
            Size::new(size.width + extra, lane_h),
        );
        origins[c] = Point::new(lane.min.x + extra / 2.0, lane.min.y);
        lanes.push(lane);
        x = lane.max.x + LANE_GAP;
    }
}

/// Everything drawn, with a margin.
fn bounds(layout: &Layout) -> Rect {
    let mut r: Option<Rect> = None;
    let mut add = |rect: Rect| r = Some(r.map_or(rect, |r| r.union(&rect)));
    for n in &layout.nodes {
        add(n.rect);
    }
    for m in &layout.markers {
        add(m.rect);
    }
    for e in &layout.edges {
        for p in &e.points {
            add(Rect { min: *p, max: *p });
        }
        if let (Some(p), Some(label)) = (e.label_pos, &e.label) {
            add(Rect::from_center_size(p, label_size(label)));
        }
    }
    r.map_or(Rect::default(), |r| r.expand(SCOPE_PAD))
}

#[cfg(test)]
mod tests;
