//! The machine as nodes and edges, with one scope per machine (the top level, each Parallel branch, each Map
//! processor). Derived from [`crate::asl`], never edited directly; analysed with petgraph: back edges (loops),
//! reachability from `StartAt`, and topological ranks.

use crate::asl::{EdgeKind, StateMachine, StateType};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeMap;

/// A state's names from the outermost scope down: `["ParallelState", "InnerTask"]`.
pub type StatePath = Vec<String>;
/// Index into [`Graph::nodes`].
pub type NodeId = usize;
/// Index into [`Graph::scopes`].
pub type ScopeId = usize;

/// The whole machine: every state of every nested machine, every transition, every scope.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<GraphEdge>,
    /// `scopes[0]` is the top level.
    pub scopes: Vec<Scope>,
}

/// One state.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub path: StatePath,
    pub name: String,
    pub state_type: Option<StateType>,
    /// The scope the state belongs to.
    pub scope: ScopeId,
    /// The scopes it contains: one per Parallel branch, or the Map processor.
    pub children: Vec<ScopeId>,
    /// `End: true`, or a Succeed/Fail state: the machine (or branch) ends here.
    pub ends: bool,
    /// Layer in its scope: 0 for sources, each forward edge goes at least one rank down.
    pub rank: usize,
    /// Reachable from its scope's `StartAt`.
    pub reachable: bool,
    /// Depth-first discovery order in its scope (from `StartAt` first, then file order), for stable layouts.
    pub preorder: usize,
}

/// One transition. Edges whose target does not exist in the scope have `to: None` (dangling).
#[derive(Clone, Debug, PartialEq)]
pub struct GraphEdge {
    pub from: NodeId,
    pub to: Option<NodeId>,
    /// The target name as written.
    pub target: String,
    pub kind: EdgeKind,
    /// Choice rule summary, `Default`, or the catcher's error names joined with `, `; none for `Next`.
    pub label: Option<String>,
    /// Closes a cycle (goes back to a state the depth-first walk from `StartAt` is still inside).
    pub back: bool,
}

/// One machine: the top level, a Parallel branch or a Map processor.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scope {
    /// The Parallel or Map state holding this machine; `None` at the top level.
    pub owner: Option<NodeId>,
    /// Which branch of the owner (0 for a Map processor).
    pub lane: usize,
    /// The owner's path; empty at the top level.
    pub path: StatePath,
    /// Nesting depth: 0 at the top level.
    pub depth: usize,
    /// States in file order.
    pub nodes: Vec<NodeId>,
    /// Edges leaving states of this scope (dangling ones included).
    pub edges: Vec<usize>,
    /// The `StartAt` state, when it exists.
    pub start: Option<NodeId>,
}

impl Graph {
    /// Builds the graph of a machine and its nested machines and analyses every scope.
    pub fn from_machine(machine: &StateMachine) -> Graph {
        let mut g = Graph::default();
        g.add_scope(machine, None, 0, Vec::new(), 0);
        for s in 0..g.scopes.len() {
            g.analyse(s);
        }
        g
    }

    /// The edges that lead somewhere (not dangling).
    pub fn resolved_edges(&self) -> impl Iterator<Item = (usize, &GraphEdge, NodeId)> {
        self.edges
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.to.map(|t| (i, e, t)))
    }

    /// The first node with this path.
    pub fn node_by_path(&self, path: &[String]) -> Option<NodeId> {
        self.nodes.iter().position(|n| n.path == path)
    }

    fn add_scope(
        &mut self,
        machine: &StateMachine,
        owner: Option<NodeId>,
        lane: usize,
        path: StatePath,
        depth: usize,
    ) -> ScopeId {
        let scope_id = self.scopes.len();
        self.scopes.push(Scope {
            owner,
            lane,
            path: path.clone(),
            depth,
            ..Scope::default()
        });
        let first = self.nodes.len();
        for named in machine.states() {
            let name = named.name.as_str().to_owned();
            let mut node_path = path.clone();
            node_path.push(name.clone());
            let state_type = named.state.state_type();
            let ends = named.state.end == Some(true)
                || state_type.is_some_and(StateType::is_terminal_type);
            self.nodes.push(Node {
                path: node_path,
                name,
                state_type,
                scope: scope_id,
                children: Vec::new(),
                ends,
                rank: 0,
                reachable: false,
                preorder: 0,
            });
        }
        let ids: Vec<NodeId> = (first..self.nodes.len()).collect();
        // The first state of each name (as `States::get` does).
        let mut by_name: BTreeMap<&str, NodeId> = BTreeMap::new();
        for (named, &id) in machine.states().iter().zip(&ids) {
            by_name.entry(named.name.as_str()).or_insert(id);
        }
        let find = |_: &[Node], name: &str| by_name.get(name).copied();
        self.scopes[scope_id].start = machine.start_at().and_then(|s| find(&self.nodes, s));
        self.scopes[scope_id].nodes = ids.clone();
        for (named, &id) in machine.states().iter().zip(&ids) {
            for edge in named.state.edges() {
                let label = match edge.kind {
                    EdgeKind::Next => None,
                    EdgeKind::Default => Some("Default".to_owned()),
                    EdgeKind::Choice(i) => named
                        .state
                        .choices
                        .as_ref()
                        .and_then(|c| c.get(i))
                        .map(|r| r.summary()),
                    EdgeKind::Catch(i) => {
                        named.state.catch.as_ref().and_then(|c| c.get(i)).map(|c| {
                            let names: Vec<&str> = c
                                .error_equals
                                .iter()
                                .flatten()
                                .map(|e| e.as_str())
                                .collect();
                            names.join(", ")
                        })
                    }
                };
                self.scopes[scope_id].edges.push(self.edges.len());
                self.edges.push(GraphEdge {
                    from: id,
                    to: find(&self.nodes, edge.target),
                    target: edge.target.to_owned(),
                    kind: edge.kind,
                    label,
                    back: false,
                });
            }
        }
        for (named, &id) in machine.states().iter().zip(&ids) {
            let node_path = self.nodes[id].path.clone();
            for (lane, child) in named.state.child_machines().into_iter().enumerate() {
                let child_scope =
                    self.add_scope(child, Some(id), lane, node_path.clone(), depth + 1);
                self.nodes[id].children.push(child_scope);
            }
        }
        scope_id
    }

    /// Back edges, reachability, preorder and ranks of one scope.
    fn analyse(&mut self, scope_id: ScopeId) {
        let scope = &self.scopes[scope_id];
        let local = |id: NodeId| NodeIndex::new(id - scope.nodes.first().copied().unwrap_or(0));
        let mut g: DiGraph<(), usize> =
            DiGraph::with_capacity(scope.nodes.len(), scope.edges.len());
        for _ in &scope.nodes {
            g.add_node(());
        }
        // petgraph walks a node's edges newest first: add them in reverse so walks follow file order.
        for &e in scope.edges.iter().rev() {
            let edge = &self.edges[e];
            if let Some(to) = edge.to {
                g.add_edge(local(edge.from), local(to), e);
            }
        }
        // Successors in file order; the walk is iterative (a recursive one overflows the stack on a long
        // chain).
        let mut successors: Vec<Vec<usize>> = vec![Vec::new(); scope.nodes.len()];
        for &e in &scope.edges {
            let edge = &self.edges[e];
            if let Some(to) = edge.to {
                successors[local(edge.from).index()].push(local(to).index());
            }
        }
        let starts = scope.start.map(|s| local(s).index()).into_iter();
        let (preorder, back) =
            dfs_preorder_and_back_edges(&successors, starts.chain(0..scope.nodes.len()));
        let mut back_pairs: Vec<(NodeIndex, NodeIndex)> = back
            .into_iter()
            .map(|(u, v)| (NodeIndex::new(u), NodeIndex::new(v)))
            .collect();
        back_pairs.sort();
        let mut reachable = vec![false; scope.nodes.len()];
        if let Some(start) = scope.start {
            let mut dfs = petgraph::visit::Dfs::new(&g, local(start));
            while let Some(n) = dfs.next(&g) {
                reachable[n.index()] = true;
            }
        }
        // Ranks: longest path over the graph without its back edges.
        let mut dag: DiGraph<(), ()> = DiGraph::with_capacity(scope.nodes.len(), scope.edges.len());
        for _ in &scope.nodes {
            dag.add_node(());
        }
        let mut back_edges = Vec::new();
        for edge_ref in g.raw_edges() {
            let pair = (edge_ref.source(), edge_ref.target());
            if back_pairs.binary_search(&pair).is_ok() {
                back_edges.push(edge_ref.weight);
            } else {
                dag.add_edge(pair.0, pair.1, ());
            }
        }
        let mut rank = vec![0usize; scope.nodes.len()];
        match petgraph::algo::toposort(&dag, None) {
            Ok(order) => {
                for n in order {
                    for m in dag.neighbors(n) {
                        rank[m.index()] = rank[m.index()].max(rank[n.index()] + 1);
                    }
                }
            }
            Err(_) => {
                debug_assert!(false, "the graph without back edges has a cycle");
            }
        }
        let ids = scope.nodes.clone();
        for (i, id) in ids.into_iter().enumerate() {
            let node = &mut self.nodes[id];
            node.rank = rank[i];
            node.reachable = reachable[i];
            node.preorder = preorder[i];
        }
        for e in back_edges {
            self.edges[e].back = true;
        }
    }
}

/// Depth-first from each of `starts` in turn (skipping nodes already seen), following each node's successors
/// in order, without recursion: every node's preorder number (0 for nodes never reached) and the back edges
/// (to a node whose walk is still open), in the order petgraph's `depth_first_search` reports them.
fn dfs_preorder_and_back_edges(
    successors: &[Vec<usize>],
    starts: impl IntoIterator<Item = usize>,
) -> (Vec<usize>, Vec<(usize, usize)>) {
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut mark = vec![NEW; successors.len()];
    let mut preorder = vec![0usize; successors.len()];
    let mut back = Vec::new();
    let mut counter = 0;
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for start in starts {
        if mark[start] != NEW {
            continue;
        }
        mark[start] = OPEN;
        preorder[start] = counter;
        counter += 1;
        stack.push((start, 0));
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            match successors[node].get(*next) {
                Some(&to) => {
                    *next += 1;
                    match mark[to] {
                        NEW => {
                            mark[to] = OPEN;
                            preorder[to] = counter;
                            counter += 1;
                            stack.push((to, 0));
                        }
                        OPEN => back.push((node, to)),
                        _ => {}
                    }
                }
                None => {
                    mark[node] = DONE;
                    stack.pop();
                }
            }
        }
    }
    (preorder, back)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_iterative_walk_reports_what_petgraphs_recursive_one_does() {
        use petgraph::visit::{Control, DfsEvent, depth_first_search};
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % n) as usize
        };
        for _ in 0..300 {
            let n = 1 + next(12);
            let edges: Vec<(usize, usize)> = (0..next(30))
                .map(|_| (next(n as u64), next(n as u64)))
                .collect();
            let mut successors = vec![Vec::new(); n];
            let mut g: petgraph::graph::DiGraph<(), ()> = petgraph::graph::DiGraph::new();
            for _ in 0..n {
                g.add_node(());
            }
            for &(a, b) in &edges {
                successors[a].push(b);
            }
            for &(a, b) in edges.iter().rev() {
                g.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
            }
            let starts: Vec<usize> = std::iter::once(next(n as u64)).chain(0..n).collect();
            let (preorder, back) = dfs_preorder_and_back_edges(&successors, starts.iter().copied());
            let mut want_pre = vec![0usize; n];
            let mut want_back = Vec::new();
            let mut counter = 0;
            depth_first_search(&g, starts.iter().map(|&i| NodeIndex::new(i)), |event| {
                match event {
                    DfsEvent::Discover(v, _) => {
                        want_pre[v.index()] = counter;
                        counter += 1;
                    }
                    DfsEvent::BackEdge(u, v) => want_back.push((u.index(), v.index())),
                    _ => {}
                }
                Control::<()>::Continue
            });
            assert_eq!(preorder, want_pre, "{edges:?}");
            assert_eq!(back, want_back, "{edges:?}");
        }
    }

    #[test]
    fn a_long_chain_is_walked_on_a_small_stack() {
        let n = 200_000;
        let successors: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![0] })
            .collect();
        let (preorder, back) = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || dfs_preorder_and_back_edges(&successors, [0]))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(preorder[n - 1], n - 1);
        assert_eq!(back, vec![(n - 1, 0)]);
    }

    use super::*;
    use crate::asl::Document;

    fn graph(text: &str) -> Graph {
        Graph::from_machine(&Document::parse_json(text).unwrap().machine)
    }

    #[test]
    fn polling_loop_has_one_back_edge_and_ranks_down() {
        let g = graph(
            r#"{"StartAt":"Get","States":{
              "Get":{"Type":"Task","Resource":"x","Next":"Is"},
              "Is":{"Type":"Choice","Choices":[{"Variable":"$.s","StringEquals":"RUNNING","Next":"Wait"}],"Default":"Done"},
              "Wait":{"Type":"Wait","Seconds":5,"Next":"Get"},
              "Done":{"Type":"Succeed"},
              "Orphan":{"Type":"Pass","Next":"Nowhere"}}}"#,
        );
        let back: Vec<_> = g
            .edges
            .iter()
            .filter(|e| e.back)
            .map(|e| (e.from, e.target.as_str()))
            .collect();
        assert_eq!(back, vec![(2, "Get")]);
        let ranks: Vec<usize> = g.nodes.iter().map(|n| n.rank).collect();
        assert_eq!(ranks, vec![0, 1, 2, 2, 0]);
        assert!(!g.nodes[4].reachable && g.nodes[3].reachable && g.nodes[3].ends);
        assert_eq!(g.edges.iter().filter(|e| e.to.is_none()).count(), 1);
        assert_eq!(g.edges[1].label.as_deref(), Some("$.s == \"RUNNING\""));
    }

    #[test]
    fn nested_scopes_have_paths() {
        let g = graph(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
              {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":
                 {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}}}}]}}}"#,
        );
        assert_eq!(g.scopes.len(), 4);
        let b = g
            .node_by_path(&["P".into(), "M".into(), "B".into()])
            .unwrap();
        assert_eq!(g.scopes[g.nodes[b].scope].depth, 2);
        assert_eq!(g.nodes[0].children.len(), 2);
    }
}
