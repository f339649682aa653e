//! The layered (Sugiyama-style) layout of one scope: ranks are given (back edges already reversed by the
//! graph analysis); this file adds dummy nodes for long edges and loop channels, orders each rank by barycenter
//! sweeps, assigns x by isotonic regression towards the neighbours, sizes the gaps between ranks for edge jogs
//! and labels, and routes every link orthogonally. Everything is in the scope's own coordinates.
//!
//! A long edge costs one dummy per rank it crosses, so many long edges (every Task catching to one `Failed` at
//! the bottom, loops back to the first state) would cost edges × ranks. The dummies of a scope are therefore
//! rationed ([`dummy_budget`], linear in its size): the shortest long links get them, and the rest go round the
//! *corridor* right of everything, bundled by target (one lane and one entry per target), with a fixed number
//! of bends each. Workflows of ordinary size stay within the ration and are drawn as before.

use super::geometry::{Point, Size};
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};

/// Padding around a scope's content.
pub const SCOPE_PAD: f32 = 20.0;
/// Horizontal gap between two boxes of the same rank.
const NODE_GAP: f32 = 48.0;
/// Horizontal gap next to an edge channel.
const CHANNEL_GAP: f32 = 14.0;
/// Width of an edge channel (a dummy node).
const CHANNEL_W: f32 = 8.0;
/// The least vertical gap between two ranks.
const MIN_RANK_GAP: f32 = 40.0;
/// Vertical distance between two horizontal edge segments in the same gap.
const TRACK: f32 = 10.0;
/// Height of a label row in a gap.
const LABEL_ROW: f32 = 20.0;
/// Sweeps of the crossing reduction (each one down and one up).
const ORDER_SWEEPS: usize = 6;
/// Sweeps of the coordinate assignment.
const X_SWEEPS: usize = 4;
/// Gap between the scope's content and the first corridor lane.
const CORRIDOR_GAP: f32 = 24.0;
/// Distance between two corridor lanes.
const CORRIDOR_STEP: f32 = 14.0;

/// One box to place: a state, a container or a marker.
pub struct Item {
    pub size: Size,
    pub rank: usize,
    /// Initial left-to-right key (depth-first discovery order).
    pub hint: usize,
}

/// One link between two items. Forward links go down at least one rank; back links go up or stay in the rank.
pub struct Link<'a> {
    pub from: usize,
    pub to: usize,
    pub back: bool,
    /// The size of the label box, when the link has one.
    pub label: Option<Size>,
    /// The label's text: corridor links to one target with the same text share one label box.
    pub label_text: Option<&'a str>,
}

/// Where everything went.
pub struct Placed {
    /// Top-left corner of each item.
    pub pos: Vec<Point>,
    /// Polyline of each link: first point on the source border, last on the target border.
    pub routes: Vec<Vec<Point>>,
    /// Center of each link's label.
    pub labels: Vec<Option<Point>>,
    /// The scope's size, padding included.
    pub size: Size,
}

#[derive(Clone, Copy, PartialEq)]
enum VKind {
    Item(usize),
    Dummy,
    /// A loop channel beside its owner item, in the owner's rank.
    Side {
        owner: usize,
        left: bool,
    },
}

struct VNode {
    rank: usize,
    width: f32,
    kind: VKind,
    key: f32,
    x: f32,
    /// Offset of the channel from the center (labelled loop channels keep their label left of the line).
    channel_dx: f32,
}

impl VNode {
    fn channel(&self) -> f32 {
        self.x + self.channel_dx
    }
    fn is_item(&self) -> bool {
        matches!(self.kind, VKind::Item(_))
    }
}

/// Dummies one scope may spend on long links: twice its items and links, and some for small scopes.
fn dummy_budget(items: usize, links: usize) -> usize {
    2 * (items + links) + 200
}

/// Dummies a link needs when routed through the ranks: one per rank strictly between its ends.
fn dummies_needed(items: &[Item], link: &Link) -> usize {
    let (rf, rt) = (items[link.from].rank, items[link.to].rank);
    if !link.back && rt > rf {
        rt - rf - 1
    } else {
        rf.saturating_sub(rt + 1)
    }
}

/// Which links go round the corridor: when the scope's long links need more dummies than [`dummy_budget`],
/// long links that share their target (and direction) with another long link go round together, and of the
/// rest the shortest get dummies while the budget lasts and the longer ones take the corridor too.
fn corridor_links(items: &[Item], links: &[Link]) -> Vec<bool> {
    let need: Vec<usize> = links.iter().map(|l| dummies_needed(items, l)).collect();
    let mut out = vec![false; links.len()];
    let budget = dummy_budget(items.len(), links.len());
    if need.iter().sum::<usize>() <= budget {
        return out;
    }
    let back = |l: usize| {
        usize::from(links[l].back || items[links[l].to].rank <= items[links[l].from].rank)
    };
    let mut sharing = vec![[0usize; 2]; items.len()];
    for l in (0..links.len()).filter(|&l| need[l] > 0) {
        sharing[links[l].to][back(l)] += 1;
    }
    for l in (0..links.len()).filter(|&l| need[l] > 0) {
        out[l] = sharing[links[l].to][back(l)] > 1;
    }
    let mut by_need: Vec<usize> = (0..links.len())
        .filter(|&l| need[l] > 0 && !out[l])
        .collect();
    by_need.sort_by_key(|&l| (need[l], l));
    let mut used = 0;
    for l in by_need {
        if used + need[l] <= budget {
            used += need[l];
        } else {
            out[l] = true;
        }
    }
    out
}

/// Lays out one scope.
pub fn place(items: &[Item], links: &[Link]) -> Placed {
    let corridor = corridor_links(items, links);
    // First pass with every loop channel on the right; then loops whose source lies left of their target take
    // the left side (a polling loop's Wait below-left of its Choice), so they do not cross the Choice's edges.
    let mut left = vec![false; links.len()];
    let mut lay = Layered::new(items, links, &left, &corridor);
    lay.order();
    lay.assign_x();
    let mut flipped = false;
    for (l, link) in links.iter().enumerate() {
        if lay.is_back(l)
            && !corridor[l]
            && link.from != link.to
            && lay.v[link.from].x < lay.v[link.to].x - 1.0
        {
            left[l] = true;
            flipped = true;
        }
    }
    if flipped {
        lay = Layered::new(items, links, &left, &corridor);
        lay.order();
        lay.assign_x();
    }
    lay.finish(items, links)
}

/// Corridor links to one target in one direction: they share a lane, their last jog, and (going back) the
/// channel beside the target.
struct Bundle {
    target: usize,
    back: bool,
    links: Vec<usize>,
    /// The channel beside the target (back bundles).
    side: Option<usize>,
}

struct Layered {
    v: Vec<VNode>,
    /// The bundle of each corridor link.
    bundle_of: Vec<Option<usize>>,
    bundles: Vec<Bundle>,
    /// vnode chain of each link: forward = [from, dummies.., to]; back = [source side, dummies.., target side].
    chains: Vec<Vec<usize>>,
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    layers: Vec<Vec<usize>>,
    /// Side channels of each vnode, in creation order.
    sides: Vec<Vec<usize>>,
}

impl Layered {
    fn new(items: &[Item], links: &[Link], left: &[bool], corridor: &[bool]) -> Layered {
        let mut v: Vec<VNode> = items
            .iter()
            .enumerate()
            .map(|(i, it)| VNode {
                rank: it.rank,
                width: it.size.width,
                kind: VKind::Item(i),
                key: it.hint as f32,
                x: 0.0,
                channel_dx: 0.0,
            })
            .collect();
        let mut chains = Vec::with_capacity(links.len());
        let mut sides: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
        let mut bundle_of = vec![None; links.len()];
        let mut bundles: Vec<Bundle> = Vec::new();
        // Bundle of each (target, back) pair, by target.
        let mut bundle_at: Vec<[Option<usize>; 2]> = vec![[None; 2]; items.len()];
        let push = |v: &mut Vec<VNode>, rank: usize, kind: VKind, key: f32, width: f32| {
            v.push(VNode {
                rank,
                width,
                kind,
                key,
                x: 0.0,
                channel_dx: 0.0,
            });
            v.len() - 1
        };
        for (l, link) in links.iter().enumerate() {
            let left = left[l];
            let (rf, rt) = (items[link.from].rank, items[link.to].rank);
            let key = items[link.from].hint as f32 + 0.5;
            let mut chain = Vec::new();
            if corridor[l] {
                let back = link.back || rt <= rf;
                let b = *bundle_at[link.to][usize::from(back)].get_or_insert_with(|| {
                    bundles.push(Bundle {
                        target: link.to,
                        back,
                        links: Vec::new(),
                        side: None,
                    });
                    bundles.len() - 1
                });
                bundles[b].links.push(l);
                bundle_of[l] = Some(b);
                if back {
                    // Own channel beside the source; the bundle's channel beside the target.
                    let width = link.label.map_or(CHANNEL_W, |l| l.width + 12.0);
                    let owner = link.from;
                    let a = push(&mut v, rf, VKind::Side { owner, left: false }, key, width);
                    if width > CHANNEL_W {
                        v[a].channel_dx = width / 2.0 - 6.0;
                    }
                    sides[owner].push(a);
                    let t = match bundles[b].side {
                        Some(t) => t,
                        None => {
                            let owner = link.to;
                            let kind = VKind::Side { owner, left: false };
                            let t = push(&mut v, rt, kind, key, CHANNEL_W);
                            sides[owner].push(t);
                            bundles[b].side = Some(t);
                            t
                        }
                    };
                    chain.extend([a, t]);
                } else {
                    chain.extend([link.from, link.to]);
                }
            } else if !link.back && rt > rf {
                chain.push(link.from);
                for r in rf + 1..rt {
                    chain.push(push(&mut v, r, VKind::Dummy, key, CHANNEL_W));
                }
                chain.push(link.to);
            } else {
                let width = link.label.map_or(CHANNEL_W, |l| l.width + 12.0);
                let a = push(
                    &mut v,
                    rf,
                    VKind::Side {
                        owner: link.from,
                        left,
                    },
                    key,
                    width,
                );
                if width > CHANNEL_W {
                    v[a].channel_dx = if left {
                        6.0 - width / 2.0
                    } else {
                        width / 2.0 - 6.0
                    };
                }
                sides[link.from].push(a);
                chain.push(a);
                for r in (rt + 1..rf).rev() {
                    chain.push(push(&mut v, r, VKind::Dummy, key, CHANNEL_W));
                }
                if rf > rt {
                    let b = push(
                        &mut v,
                        rt,
                        VKind::Side {
                            owner: link.to,
                            left,
                        },
                        key,
                        CHANNEL_W,
                    );
                    sides[link.to].push(b);
                    chain.push(b);
                }
            }
            chains.push(chain);
        }
        sides.resize(v.len(), Vec::new());
        let mut up = vec![Vec::new(); v.len()];
        let mut down = vec![Vec::new(); v.len()];
        // Corridor links do not pull their ends together.
        for chain in chains
            .iter()
            .zip(&bundle_of)
            .filter(|c| c.1.is_none())
            .map(|c| c.0)
        {
            for pair in chain.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if v[a].rank == v[b].rank {
                    continue;
                }
                let (hi, lo) = if v[a].rank < v[b].rank {
                    (a, b)
                } else {
                    (b, a)
                };
                down[hi].push(lo);
                up[lo].push(hi);
            }
        }
        let ranks = v.iter().map(|n| n.rank + 1).max().unwrap_or(0);
        let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ranks];
        for (i, n) in v.iter().enumerate() {
            if !matches!(n.kind, VKind::Side { .. }) {
                layers[n.rank].push(i);
            }
        }
        for layer in &mut layers {
            layer.sort_by(|&a, &b| v[a].key.total_cmp(&v[b].key).then(a.cmp(&b)));
        }
        let mut lay = Layered {
            v,
            bundle_of,
            bundles,
            chains,
            up,
            down,
            layers: Vec::new(),
            sides,
        };
        lay.layers = layers.into_iter().map(|l| lay.with_sides(l)).collect();
        lay
    }

    /// Inserts each node's side channels around it (the first created nearest).
    fn with_sides(&self, plain: Vec<usize>) -> Vec<usize> {
        let mut out = Vec::with_capacity(plain.len());
        for n in plain {
            out.extend(
                self.sides[n]
                    .iter()
                    .rev()
                    .copied()
                    .filter(|&s| self.is_left(s)),
            );
            out.push(n);
            out.extend(self.sides[n].iter().copied().filter(|&s| !self.is_left(s)));
        }
        out
    }

    fn is_left(&self, n: usize) -> bool {
        matches!(self.v[n].kind, VKind::Side { left: true, .. })
    }

    /// Weight of the link between `n` and its neighbour `m` when averaging positions: long edges (dummy to
    /// dummy) and one-to-one links pull hardest, so they come out straight.
    fn pull(&self, n: usize, m: usize, downwards: bool) -> f32 {
        let (a, b) = (&self.v[n], &self.v[m]);
        if !a.is_item() && !b.is_item() {
            return 8.0;
        }
        if !a.is_item() || !b.is_item() {
            return 2.0;
        }
        let (mine, theirs) = if downwards {
            (&self.up[n], &self.down[m])
        } else {
            (&self.down[n], &self.up[m])
        };
        if mine.len() == 1 && theirs.len() == 1 {
            4.0
        } else {
            1.0
        }
    }

    /// Crossing reduction: barycenter sweeps down and up, keeping the best order seen.
    fn order(&mut self) {
        let mut pos = vec![0usize; self.v.len()];
        let set_pos = |layers: &[Vec<usize>], pos: &mut [usize]| {
            for layer in layers {
                for (i, &n) in layer.iter().enumerate() {
                    pos[n] = i;
                }
            }
        };
        set_pos(&self.layers, &mut pos);
        let mut best = self.layers.clone();
        let mut best_crossings = self.crossings(&pos);
        for sweep in 0..ORDER_SWEEPS * 2 {
            if best_crossings == 0 {
                break;
            }
            let downwards = sweep % 2 == 0;
            let ranks: Vec<usize> = if downwards {
                (1..self.layers.len()).collect()
            } else {
                (0..self.layers.len().saturating_sub(1)).rev().collect()
            };
            for r in ranks {
                let mut plain: Vec<(f32, usize, usize)> = self.layers[r]
                    .iter()
                    .filter(|&&n| !matches!(self.v[n].kind, VKind::Side { .. }))
                    .map(|&n| {
                        let nbrs = if downwards {
                            &self.up[n]
                        } else {
                            &self.down[n]
                        };
                        let bary = if nbrs.is_empty() {
                            pos[n] as f32
                        } else {
                            nbrs.iter().map(|&m| pos[m] as f32).sum::<f32>() / nbrs.len() as f32
                        };
                        (bary, pos[n], n)
                    })
                    .collect();
                plain.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let layer = self.with_sides(plain.into_iter().map(|p| p.2).collect());
                for (i, &n) in layer.iter().enumerate() {
                    pos[n] = i;
                }
                self.layers[r] = layer;
            }
            let c = self.crossings(&pos);
            if c < best_crossings {
                best_crossings = c;
                best = self.layers.clone();
            }
        }
        self.layers = best;
    }

    /// Edge crossings between adjacent ranks (inversion count).
    fn crossings(&self, pos: &[usize]) -> usize {
        let mut total = 0;
        for layer in &self.layers {
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            for &u in layer {
                for &l in &self.down[u] {
                    pairs.push((pos[u], pos[l]));
                }
            }
            pairs.sort_unstable();
            let mut lower: Vec<usize> = pairs.into_iter().map(|p| p.1).collect();
            total += inversions(&mut lower);
        }
        total
    }

    fn sep(&self, a: usize, b: usize) -> f32 {
        let gap = if self.v[a].is_item() && self.v[b].is_item() {
            NODE_GAP
        } else {
            CHANNEL_GAP
        };
        (self.v[a].width + self.v[b].width) / 2.0 + gap
    }

    /// Coordinate assignment: each rank moves towards its neighbours' positions, order kept, boxes apart.
    fn assign_x(&mut self) {
        for li in 0..self.layers.len() {
            let mut x = 0.0;
            for i in 0..self.layers[li].len() {
                let n = self.layers[li][i];
                if i > 0 {
                    x += self.sep(self.layers[li][i - 1], n);
                }
                self.v[n].x = x;
            }
        }
        // Alternate down and up, ending with a down sweep: states line up under their predecessors.
        for sweep in 0..X_SWEEPS * 2 + 1 {
            let downwards = sweep % 2 == 0;
            let ranks: Vec<usize> = if downwards {
                (0..self.layers.len()).collect()
            } else {
                (0..self.layers.len()).rev().collect()
            };
            for r in ranks {
                let layer = self.layers[r].clone();
                let mut desired = vec![0.0f32; layer.len()];
                let mut weight = vec![1.0f32; layer.len()];
                for (i, &n) in layer.iter().enumerate() {
                    let node = &self.v[n];
                    if matches!(node.kind, VKind::Side { .. }) {
                        continue;
                    }
                    let nbrs = if downwards {
                        &self.up[n]
                    } else {
                        &self.down[n]
                    };
                    desired[i] = if nbrs.is_empty() {
                        node.x
                    } else {
                        let (mut sum, mut total) = (0.0, 0.0);
                        for &m in nbrs {
                            let w = self.pull(n, m, downwards);
                            sum += w * self.v[m].channel();
                            total += w;
                        }
                        sum / total - node.channel_dx
                    };
                    if !node.is_item() {
                        weight[i] = 0.02;
                    }
                }
                // Side channels sit at their minimum distance from their owner.
                for (i, &n) in layer.iter().enumerate() {
                    if matches!(self.v[n].kind, VKind::Side { left: false, .. }) && i > 0 {
                        desired[i] = desired[i - 1] + self.sep(layer[i - 1], n);
                        weight[i] = 0.25;
                    }
                }
                for i in (0..layer.len()).rev() {
                    let n = layer[i];
                    if self.is_left(n) && i + 1 < layer.len() {
                        desired[i] = desired[i + 1] - self.sep(n, layer[i + 1]);
                        weight[i] = 0.25;
                    }
                }
                let seps: Vec<f32> = layer.windows(2).map(|w| self.sep(w[0], w[1])).collect();
                let xs = isotonic(&desired, &weight, &seps);
                for (&n, x) in layer.iter().zip(xs) {
                    self.v[n].x = x;
                }
            }
        }
    }

    fn finish(&self, items: &[Item], links: &[Link]) -> Placed {
        let n_ranks = self.layers.len();
        let mut rank_h = vec![0.0f32; n_ranks];
        for it in items {
            rank_h[it.rank] = rank_h[it.rank].max(it.size.height);
        }
        let left = |n: usize| self.v[n].x - items[n].size.width / 2.0;
        let right = |n: usize| self.v[n].x + items[n].size.width / 2.0;

        // The corridor: one lane per bundle right of every box, channel and label, lanes reused by bundles
        // whose gaps do not overlap.
        let mut content_right = f32::NEG_INFINITY;
        for n in &self.v {
            content_right = content_right.max(n.x + n.width / 2.0);
        }
        for (l, link) in links.iter().enumerate() {
            if let (Some(size), false) = (link.label, self.is_back(l)) {
                content_right = content_right.max(right(link.to) + size.width / 2.0);
            }
        }
        let mut lane_of = vec![0usize; self.bundles.len()];
        let mut lanes = 0;
        if !self.bundles.is_empty() {
            // The gaps each bundle's lane runs through, first to last.
            let mut spans: Vec<(f32, f32, usize)> = self
                .bundles
                .iter()
                .enumerate()
                .map(|(b, bundle)| {
                    let ranks = bundle.links.iter().map(|&l| items[links[l].from].rank);
                    let t = items[bundle.target].rank;
                    if bundle.back {
                        (t as f32, (ranks.max().unwrap_or(t + 1) - 1) as f32, b)
                    } else {
                        (ranks.min().unwrap_or(t) as f32, (t - 1) as f32, b)
                    }
                })
                .collect();
            spans.sort_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(a.1.total_cmp(&b.1))
                    .then(a.2.cmp(&b.2))
            });
            for (span, lane) in spans
                .iter()
                .zip(pack_rows(spans.iter().map(|s| (s.0, s.1)), 1.0))
            {
                lane_of[span.2] = lane;
                lanes = lanes.max(lane + 1);
            }
        }
        let lane_x = |b: usize| content_right + CORRIDOR_GAP + lane_of[b] as f32 * CORRIDOR_STEP;
        // Where a link heads first (outgoing) and last comes from (incoming).
        let first_x = |l: usize| match self.bundle_of[l] {
            Some(b) if !self.bundles[b].back => lane_x(b),
            _ => self.v[self.chains[l][1]].channel(),
        };
        let last_x = |l: usize| match self.bundle_of[l] {
            Some(b) if !self.bundles[b].back => lane_x(b),
            _ => self.v[self.chains[l][self.chains[l].len() - 2]].channel(),
        };

        // Ports: forward links leave through the bottom and enter through the top, spread by direction;
        // back links leave and enter through the right side (exits in the upper half, entries in the lower).
        let mut out_x = vec![0.0f32; links.len()];
        let mut in_x = vec![0.0f32; links.len()];
        let mut exit_y = vec![0.0f32; links.len()];
        let mut entry_y = vec![0.0f32; links.len()];
        let mut outs: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
        let mut ins: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
        let mut exits: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
        let mut entries: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
        for (l, link) in links.iter().enumerate() {
            if self.is_back(l) {
                exits[link.from].push(l);
                entries[link.to].push(l);
            } else {
                outs[link.from].push(l);
                ins[link.to].push(l);
            }
        }
        for i in 0..items.len() {
            let mut o = outs[i].clone();
            o.sort_by(|&a, &b| first_x(a).total_cmp(&first_x(b)).then(a.cmp(&b)));
            for (k, x) in spread(self.v[i].x, items[i].size.width, o.len())
                .into_iter()
                .enumerate()
            {
                out_x[o[k]] = x;
            }
            // A corridor bundle enters through one port (its first link stands for it).
            let mut inc: Vec<usize> = ins[i]
                .iter()
                .copied()
                .filter(|&l| self.bundle_of[l].is_none_or(|b| self.bundles[b].links[0] == l))
                .collect();
            inc.sort_by(|&a, &b| last_x(a).total_cmp(&last_x(b)).then(a.cmp(&b)));
            for (k, x) in spread(self.v[i].x, items[i].size.width, inc.len())
                .into_iter()
                .enumerate()
            {
                in_x[inc[k]] = x;
                if let Some(b) = self.bundle_of[inc[k]] {
                    for &l in &self.bundles[b].links {
                        in_x[l] = x;
                    }
                }
            }
            let h = items[i].size.height;
            let dist = |n: usize| (self.v[n].x - self.v[i].x).abs();
            let mut e = exits[i].clone();
            e.sort_by(|&a, &b| {
                dist(self.chains[a][0])
                    .total_cmp(&dist(self.chains[b][0]))
                    .then(a.cmp(&b))
            });
            for (k, &l) in e.iter().enumerate() {
                exit_y[l] = h / 2.0 * (k + 1) as f32 / (e.len() + 1) as f32;
            }
            // Links ending in the same channel (a corridor bundle) share one entry.
            let mut n = entries[i].clone();
            let last = |l: usize| self.chains[l][self.chains[l].len() - 1];
            n.sort_by(|&a, &b| {
                dist(last(a))
                    .total_cmp(&dist(last(b)))
                    .then(last(a).cmp(&last(b)))
                    .then(a.cmp(&b))
            });
            let mut ends: Vec<usize> = n.iter().map(|&l| last(l)).collect();
            ends.dedup();
            let mut k = 0;
            for (j, &l) in n.iter().enumerate() {
                if j > 0 && last(l) != last(n[j - 1]) {
                    k += 1;
                }
                entry_y[l] = h - h / 2.0 * (k + 1) as f32 / (ends.len() + 1) as f32;
            }
        }

        // Jogs (horizontal segments) per gap, and label boxes per gap, each packed into rows. A corridor link
        // has its own jog next to its source and shares its bundle's jog next to the target.
        let mut jogs: Vec<Vec<(f32, f32, usize, Jog)>> = vec![Vec::new(); n_ranks];
        let span = |a: f32, b: f32| (a.min(b), a.max(b));
        for (b, bundle) in self.bundles.iter().enumerate() {
            let t = bundle.target;
            let (gap, (lo, hi)) = match bundle.side {
                Some(side) => (items[t].rank, span(lane_x(b), self.v[side].channel())),
                None => (items[t].rank - 1, span(lane_x(b), in_x[bundle.links[0]])),
            };
            jogs[gap].push((lo, hi, bundle.links[0], Jog::Bundle(b)));
        }
        for (l, chain) in self.chains.iter().enumerate() {
            if let Some(b) = self.bundle_of[l] {
                let rf = items[links[l].from].rank;
                let ((lo, hi), gap) = if self.bundles[b].back {
                    (span(self.v[chain[0]].channel(), lane_x(b)), rf - 1)
                } else {
                    (span(out_x[l], lane_x(b)), rf)
                };
                jogs[gap].push((lo, hi, l, Jog::Own(l)));
                continue;
            }
            let xs = self.chain_xs(l, &out_x, &in_x);
            for k in 0..chain.len().saturating_sub(1) {
                let (a, b) = (chain[k], chain[k + 1]);
                if self.v[a].rank == self.v[b].rank {
                    continue;
                }
                if xs[k] != xs[k + 1] {
                    let gap = self.v[a].rank.min(self.v[b].rank);
                    jogs[gap].push((
                        xs[k].min(xs[k + 1]),
                        xs[k].max(xs[k + 1]),
                        l,
                        Jog::Chain(l, k),
                    ));
                }
            }
        }
        let mut track_of: Vec<Vec<usize>> = self.chains.iter().map(|c| vec![0; c.len()]).collect();
        let mut own_track = vec![0usize; links.len()];
        let mut bundle_track = vec![0usize; self.bundles.len()];
        let mut tracks = vec![0usize; n_ranks];
        for (g, list) in jogs.iter_mut().enumerate() {
            list.sort_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(a.1.total_cmp(&b.1))
                    .then(a.2.cmp(&b.2))
            });
            let rows = pack_rows(list.iter().map(|j| (j.0, j.1)), 18.0);
            for (j, &row) in list.iter().zip(&rows) {
                match j.3 {
                    Jog::Chain(l, k) => track_of[l][k] = row,
                    Jog::Own(l) => own_track[l] = row,
                    Jog::Bundle(b) => bundle_track[b] = row,
                }
            }
            tracks[g] = rows.iter().map(|r| r + 1).max().unwrap_or(0);
        }
        let mut label_row = vec![0usize; links.len()];
        let mut label_rows = vec![0usize; n_ranks];
        let mut per_gap: Vec<Vec<(f32, f32, usize)>> = vec![Vec::new(); n_ranks];
        // A corridor link whose bundle already has a label with its text shows that one.
        let mut label_twin: Vec<Option<usize>> = vec![None; links.len()];
        let mut bundle_labels: HashMap<(usize, &str), usize> = HashMap::new();
        for (l, link) in links.iter().enumerate() {
            if let (Some(size), false) = (link.label, self.is_back(l)) {
                if let Some(b) = self.bundle_of[l] {
                    let text = link.label_text.unwrap_or_default();
                    if let Some(&twin) = bundle_labels.get(&(b, text)) {
                        label_twin[l] = Some(twin);
                        continue;
                    }
                    bundle_labels.insert((b, text), l);
                }
                let r = items[link.to].rank;
                per_gap[r - 1].push((in_x[l] - size.width / 2.0, in_x[l] + size.width / 2.0, l));
            }
        }
        for (g, list) in per_gap.iter_mut().enumerate() {
            list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
            let rows = pack_rows(list.iter().map(|j| (j.0, j.1)), 8.0);
            for (j, row) in list.iter().zip(&rows) {
                label_row[j.2] = *row;
            }
            label_rows[g] = rows.iter().map(|r| r + 1).max().unwrap_or(0);
        }
        for (l, twin) in label_twin.iter().enumerate() {
            if let Some(twin) = *twin {
                label_row[l] = label_row[twin];
            }
        }
        let mut rank_top = vec![SCOPE_PAD; n_ranks];
        let mut gap_h = vec![0.0f32; n_ranks];
        for r in 0..n_ranks {
            gap_h[r] = MIN_RANK_GAP
                .max(16.0 + tracks[r] as f32 * TRACK + label_rows[r] as f32 * LABEL_ROW + 6.0);
            if r + 1 < n_ranks {
                rank_top[r + 1] = rank_top[r] + rank_h[r] + gap_h[r];
            }
        }
        let track_y = |g: usize, t: usize| {
            let bottom = rank_top[g] + rank_h[g];
            if label_rows[g] == 0 {
                bottom + (gap_h[g] - (tracks[g] as f32 - 1.0) * TRACK) / 2.0 + t as f32 * TRACK
            } else {
                bottom + 12.0 + t as f32 * TRACK
            }
        };

        let pos: Vec<Point> = items
            .iter()
            .enumerate()
            .map(|(i, _)| Point::new(left(i), rank_top[items[i].rank]))
            .collect();
        let mut routes = Vec::with_capacity(links.len());
        let mut labels = Vec::with_capacity(links.len());
        for (l, link) in links.iter().enumerate() {
            let chain = &self.chains[l];
            let mut pts = Vec::new();
            let back = self.is_back(l);
            let (from, to) = (link.from, link.to);
            let left_side = back && self.is_left(chain[0]);
            let side_x = |n: usize| if left_side { left(n) } else { right(n) };
            if let Some(b) = self.bundle_of[l] {
                // Into the gap next to the source, along the corridor lane, then into the target.
                let (rf, rt) = (items[from].rank, items[to].rank);
                let x = lane_x(b);
                let bundle = &self.bundles[b];
                if let Some(side) = bundle.side {
                    let (ax, tx) = (self.v[chain[0]].channel(), self.v[side].channel());
                    let (y1, y2) = (track_y(rf - 1, own_track[l]), track_y(rt, bundle_track[b]));
                    let (ey, ny) = (pos[from].y + exit_y[l], pos[to].y + entry_y[l]);
                    pts.extend([
                        Point::new(right(from), ey),
                        Point::new(ax, ey),
                        Point::new(ax, y1),
                        Point::new(x, y1),
                        Point::new(x, y2),
                        Point::new(tx, y2),
                        Point::new(tx, ny),
                        Point::new(right(to), ny),
                    ]);
                } else {
                    let (y1, y2) = (track_y(rf, own_track[l]), track_y(rt - 1, bundle_track[b]));
                    pts.extend([
                        Point::new(out_x[l], pos[from].y + items[from].size.height),
                        Point::new(out_x[l], y1),
                        Point::new(x, y1),
                        Point::new(x, y2),
                        Point::new(in_x[l], y2),
                        Point::new(in_x[l], pos[to].y),
                    ]);
                }
            } else {
                let xs = self.chain_xs(l, &out_x, &in_x);
                if back {
                    pts.push(Point::new(side_x(from), pos[from].y + exit_y[l]));
                    pts.push(Point::new(xs[0], pos[from].y + exit_y[l]));
                } else {
                    pts.push(Point::new(xs[0], pos[from].y + items[from].size.height));
                }
                for k in 0..chain.len().saturating_sub(1) {
                    let (a, b) = (chain[k], chain[k + 1]);
                    if self.v[a].rank != self.v[b].rank && xs[k] != xs[k + 1] {
                        let y = track_y(self.v[a].rank.min(self.v[b].rank), track_of[l][k]);
                        pts.push(Point::new(xs[k], y));
                        pts.push(Point::new(xs[k + 1], y));
                    }
                }
                let last_x = xs[xs.len() - 1];
                if back {
                    pts.push(Point::new(last_x, pos[to].y + entry_y[l]));
                    pts.push(Point::new(side_x(to), pos[to].y + entry_y[l]));
                } else {
                    pts.push(Point::new(last_x, pos[to].y));
                }
            }
            let label = link.label.map(|size| {
                if back {
                    let side = &self.v[chain[0]];
                    let x = if left_side {
                        side.x + side.width / 2.0 - size.width / 2.0 - 2.0
                    } else {
                        side.x - side.width / 2.0 + size.width / 2.0 + 2.0
                    };
                    Point::new(x, pos[from].y + exit_y[l] - size.height / 2.0 - 3.0)
                } else {
                    let y = pos[to].y - 6.0 - LABEL_ROW / 2.0 - label_row[l] as f32 * LABEL_ROW;
                    Point::new(in_x[l], y)
                }
            });
            routes.push(simplify(pts));
            labels.push(label);
        }

        // Normalise: the leftmost box or label at SCOPE_PAD.
        let mut min_x = f32::INFINITY;
        let mut max_x = f32::NEG_INFINITY;
        for n in &self.v {
            min_x = min_x.min(n.x - n.width / 2.0);
            max_x = max_x.max(n.x + n.width / 2.0);
        }
        for (link, p) in links.iter().zip(&labels) {
            if let (Some(size), Some(p)) = (link.label, p) {
                min_x = min_x.min(p.x - size.width / 2.0);
                max_x = max_x.max(p.x + size.width / 2.0);
            }
        }
        if lanes > 0 {
            max_x = max_x.max(content_right + CORRIDOR_GAP + (lanes - 1) as f32 * CORRIDOR_STEP);
        }
        if !min_x.is_finite() {
            return Placed {
                pos,
                routes,
                labels,
                size: Size::new(2.0 * SCOPE_PAD, 2.0 * SCOPE_PAD),
            };
        }
        let dx = SCOPE_PAD - min_x;
        let shift = |p: Point| p.offset(dx, 0.0);
        let height = n_ranks
            .checked_sub(1)
            .map_or(0.0, |r| rank_top[r] + rank_h[r])
            + SCOPE_PAD;
        Placed {
            pos: pos.into_iter().map(shift).collect(),
            routes: routes
                .into_iter()
                .map(|r| r.into_iter().map(shift).collect())
                .collect(),
            labels: labels.into_iter().map(|p| p.map(shift)).collect(),
            size: Size::new(max_x - min_x + 2.0 * SCOPE_PAD, height),
        }
    }

    fn is_back(&self, l: usize) -> bool {
        matches!(self.v[self.chains[l][0]].kind, VKind::Side { .. })
    }

    /// The x of a link at each vnode of its chain (ports at the ends of forward links, channels elsewhere).
    fn chain_xs(&self, l: usize, out_x: &[f32], in_x: &[f32]) -> Vec<f32> {
        let chain = &self.chains[l];
        let mut xs: Vec<f32> = chain.iter().map(|&n| self.v[n].channel()).collect();
        if !self.is_back(l) {
            xs[0] = out_x[l];
            let last = xs.len() - 1;
            xs[last] = in_x[l];
        }
        // Nearly aligned neighbours share one x, so the route stays exactly orthogonal.
        for k in 1..xs.len() {
            if (xs[k] - xs[k - 1]).abs() <= 2.0 {
                xs[k] = xs[k - 1];
            }
        }
        xs
    }
}

/// What a horizontal segment in a gap belongs to: the `k`th step of a link's chain, the first jog of a corridor
/// link, or the last jog of a corridor bundle.
#[derive(Clone, Copy)]
enum Jog {
    Chain(usize, usize),
    Own(usize),
    Bundle(usize),
}

/// Port positions for `n` links along a side of width `w` centred on `cx`.
fn spread(cx: f32, w: f32, n: usize) -> Vec<f32> {
    if n <= 1 {
        return vec![cx; n];
    }
    let step = ((w - 24.0) / (n - 1) as f32).min(24.0);
    (0..n)
        .map(|i| cx + (i as f32 - (n - 1) as f32 / 2.0) * step)
        .collect()
}

/// Greedy interval packing: the first row whose last interval ends at least `margin` before this one starts
/// (intervals sorted by start). Rows that have come free are kept in a heap, so this is O(n log n) however many
/// rows there are.
fn pack_rows(intervals: impl Iterator<Item = (f32, f32)>, margin: f32) -> Vec<usize> {
    /// A busy row by the end of its last interval, the earliest end first.
    struct Busy(f32, usize);
    impl PartialEq for Busy {
        fn eq(&self, other: &Busy) -> bool {
            self.cmp(other).is_eq()
        }
    }
    impl Eq for Busy {}
    impl PartialOrd for Busy {
        fn partial_cmp(&self, other: &Busy) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Busy {
        fn cmp(&self, other: &Busy) -> Ordering {
            other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
        }
    }
    let mut busy: BinaryHeap<Busy> = BinaryHeap::new();
    let mut free: BinaryHeap<Reverse<usize>> = BinaryHeap::new();
    let mut rows = 0;
    intervals
        .map(|(a, b)| {
            // Starts only grow: a row free for this interval stays free for the later ones.
            while busy.peek().is_some_and(|r| r.0 + margin <= a) {
                free.extend(busy.pop().map(|r| Reverse(r.1)));
            }
            let row = free.pop().map_or_else(
                || {
                    rows += 1;
                    rows - 1
                },
                |r| r.0,
            );
            busy.push(Busy(b, row));
            row
        })
        .collect()
}

/// Positions as close as possible to `desired` (weighted least squares) keeping `x[i+1] - x[i] >= seps[i]`.
fn isotonic(desired: &[f32], weight: &[f32], seps: &[f32]) -> Vec<f32> {
    let mut offset = vec![0.0f32; desired.len()];
    for i in 1..desired.len() {
        offset[i] = offset[i - 1] + seps[i - 1];
    }
    // Blocks of (total weight, weighted sum, count).
    let mut blocks: Vec<(f32, f32, usize)> = Vec::new();
    for i in 0..desired.len() {
        blocks.push((weight[i], weight[i] * (desired[i] - offset[i]), 1));
        while blocks.len() > 1 {
            let (w2, s2, c2) = blocks[blocks.len() - 1];
            let (w1, s1, c1) = blocks[blocks.len() - 2];
            if s1 / w1 > s2 / w2 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (w1 + w2, s1 + s2, c1 + c2);
            } else {
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(desired.len());
    for (w, s, c) in blocks {
        for _ in 0..c {
            out.push(s / w + offset[out.len()]);
        }
    }
    out
}

/// Number of pairs `i < j` with `a[i] > a[j]` (merge sort).
fn inversions(a: &mut [usize]) -> usize {
    if a.len() < 2 {
        return 0;
    }
    let mid = a.len() / 2;
    let mut count = inversions(&mut a[..mid]) + inversions(&mut a[mid..]);
    let mut merged = Vec::with_capacity(a.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < a.len() {
        if a[i] <= a[j] {
            merged.push(a[i]);
            i += 1;
        } else {
            merged.push(a[j]);
            count += mid - i;
            j += 1;
        }
    }
    merged.extend_from_slice(&a[i..mid]);
    merged.extend_from_slice(&a[j..]);
    a.copy_from_slice(&merged);
    count
}

/// Drops repeated points and middle points of straight runs.
fn simplify(pts: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for p in pts {
        if out
            .last()
            .is_some_and(|q| (q.x - p.x).abs() < 0.01 && (q.y - p.y).abs() < 0.01)
        {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let vertical = (a.x - b.x).abs() < 0.01 && (b.x - p.x).abs() < 0.01;
            let horizontal = (a.y - b.y).abs() < 0.01 && (b.y - p.y).abs() < 0.01;
            if vertical || horizontal {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_keeps_order_and_gaps() {
        let x = isotonic(&[10.0, 10.0, 10.0], &[1.0, 1.0, 1.0], &[5.0, 5.0]);
        assert_eq!(x, vec![5.0, 10.0, 15.0]);
        let x = isotonic(&[0.0, 100.0], &[1.0, 1.0], &[5.0]);
        assert_eq!(x, vec![0.0, 100.0]);
    }

    #[test]
    fn pack_rows_is_first_fit() {
        // The heap-based packing gives each interval the first row that has room, as a scan of all rows does.
        let mut seed = 7u32;
        let mut next = |m: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) % m
        };
        let mut intervals: Vec<(f32, f32)> = (0..400)
            .map(|_| {
                let a = next(1_000) as f32;
                (a, a + next(120) as f32)
            })
            .collect();
        intervals.sort_by(|a, b| a.0.total_cmp(&b.0));
        for margin in [0.0, 8.0, 18.0] {
            let mut ends: Vec<f32> = Vec::new();
            let scan: Vec<usize> = intervals
                .iter()
                .map(|&(a, b)| match ends.iter().position(|&e| e + margin <= a) {
                    Some(r) => {
                        ends[r] = b;
                        r
                    }
                    None => {
                        ends.push(b);
                        ends.len() - 1
                    }
                })
                .collect();
            assert_eq!(pack_rows(intervals.iter().copied(), margin), scan);
            assert!(ends.len() > 3, "the test needs several rows");
        }
    }

    #[test]
    fn inversions_count() {
        assert_eq!(inversions(&mut [3, 1, 2]), 2);
        assert_eq!(inversions(&mut [1, 2, 3]), 0);
    }

    #[test]
    fn chain_is_straight() {
        let items: Vec<Item> = (0..3)
            .map(|i| Item {
                size: Size::new(180.0, 56.0),
                rank: i,
                hint: i,
            })
            .collect();
        let links = vec![
            Link {
                from: 0,
                to: 1,
                back: false,
                label: None,
                label_text: None,
            },
            Link {
                from: 1,
                to: 2,
                back: false,
                label: None,
                label_text: None,
            },
            Link {
                from: 2,
                to: 0,
                back: true,
                label: None,
                label_text: None,
            },
        ];
        let p = place(&items, &links);
        assert_eq!(p.pos[0].x, p.pos[2].x);
        assert_eq!(p.routes[0].len(), 2);
        let back = &p.routes[2];
        assert_eq!(back.first().unwrap().x, p.pos[2].x + 180.0);
        assert_eq!(back.last().unwrap().x, p.pos[0].x + 180.0);
    }
}
