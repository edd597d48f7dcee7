//! The generic scheduler (book 6.4.2, `genericScheduler.Schedule`): filter the nodes with the
//! predicates, in parallel, stopping once enough feasible nodes are found; score those with
//! the weighted priorities; pick the best, breaking ties at random. When no node fits, the
//! error counts the reasons as upstream's `FitError` does.

use super::predicates::{Prepared, Reason};
use super::{Algorithm, NodeInfo, PodInfo};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// How widely to search for feasible nodes.
#[derive(Clone, Copy, Debug)]
pub struct SearchOptions {
    /// Threads checking nodes at once (1: the calling thread only).
    pub parallelism: usize,
    /// Percentage of the nodes to find feasible before scoring (upstream's
    /// `percentageOfNodesToScore`); 0 adapts it to the cluster's size, 100 checks every node.
    pub percentage_of_nodes_to_score: u32,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            parallelism: std::thread::available_parallelism().map_or(1, |n| n.get()),
            percentage_of_nodes_to_score: 0,
        }
    }
}

/// Clusters smaller than this are always searched whole.
const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
/// Below this many nodes, checking on other threads costs more than it saves.
const MIN_NODES_FOR_PARALLELISM: usize = 256;
/// Nodes a thread takes at a time.
const CHUNK: usize = 32;

/// How many feasible nodes are enough: all in small clusters, else a share that shrinks as the
/// cluster grows (50 % minus 1 % per 125 nodes, at least 5 %), never fewer than 100.
pub fn feasible_nodes_to_find(nodes: usize, percentage: u32) -> usize {
    if nodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100 {
        return nodes;
    }
    let percentage = if percentage == 0 {
        50usize.saturating_sub(nodes / 125).max(5)
    } else {
        percentage as usize
    };
    (nodes * percentage / 100).max(MIN_FEASIBLE_NODES_TO_FIND)
}

/// The node chosen for a pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scheduled {
    pub node: String,
    /// Nodes checked against the predicates.
    pub evaluated: usize,
    /// Of those, the ones the pod fits.
    pub feasible: usize,
}

/// No node fits: how many nodes there were and how many failed for each reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FitError {
    pub nodes: usize,
    pub reasons: HashMap<Reason, usize>,
}

impl fmt::Display for FitError {
    /// `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node
    /// affinity/selector.`: counts and reasons, sorted as text, as upstream writes them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nodes == 0 {
            return f.write_str("no nodes available to schedule pods");
        }
        let mut reasons: Vec<String> =
            self.reasons.iter().map(|(reason, count)| format!("{count} {reason}")).collect();
        reasons.sort();
        write!(f, "0/{} nodes are available", self.nodes)?;
        if !reasons.is_empty() {
            write!(f, ": {}.", reasons.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for FitError {}

/// Schedules `pod` onto one of `nodes`, starting the search at `start` (callers rotate it so
/// that every node gets looked at); returns where to start next time too.
pub fn schedule(
    algorithm: &Algorithm,
    pod: &PodInfo,
    nodes: &[Arc<NodeInfo>],
    start: usize,
    options: &SearchOptions,
) -> (Result<Scheduled, FitError>, usize) {
    if nodes.is_empty() {
        return (Err(FitError { nodes: 0, reasons: HashMap::new() }), 0);
    }
    let prepared: Vec<Prepared> =
        algorithm.predicates.iter().map(|predicate| predicate.prepare(pod, nodes)).collect();
    let to_find = feasible_nodes_to_find(nodes.len(), options.percentage_of_nodes_to_score);
    let search = Search { algorithm, pod, nodes, prepared: &prepared, start, to_find };
    let found = if options.parallelism > 1 && nodes.len() >= MIN_NODES_FOR_PARALLELISM {
        search.parallel(options.parallelism)
    } else {
        search.sequential()
    };
    let next_start = (start + found.evaluated) % nodes.len();
    if found.feasible.is_empty() {
        return (Err(FitError { nodes: nodes.len(), reasons: found.reasons }), next_start);
    }
    let feasible: Vec<Arc<NodeInfo>> = found.feasible.iter().map(|&i| nodes[i].clone()).collect();
    let chosen = select(&prioritize(algorithm, pod, &feasible, nodes));
    let scheduled = Scheduled {
        node: feasible[chosen].name().to_string(),
        evaluated: found.evaluated,
        feasible: feasible.len(),
    };
    (Ok(scheduled), next_start)
}

/// The weighted sum of every priority's score for each feasible node (upstream's
/// `PrioritizeNodes`); a single feasible node is not scored.
pub fn prioritize(
    algorithm: &Algorithm,
    pod: &PodInfo,
    feasible: &[Arc<NodeInfo>],
    all: &[Arc<NodeInfo>],
) -> Vec<i64> {
    let mut totals = vec![0; feasible.len()];
    if feasible.len() == 1 {
        return totals;
    }
    for (priority, weight) in &algorithm.priorities {
        for (total, score) in totals.iter_mut().zip(priority.score(pod, feasible, all)) {
            *total += score * weight;
        }
    }
    totals
}

/// The index of a highest score, chosen uniformly at random among equals.
pub fn select(scores: &[i64]) -> usize {
    let mut best = 0;
    let mut ties = 0;
    for (index, &score) in scores.iter().enumerate() {
        if score > scores[best] {
            best = index;
            ties = 1;
        } else if score == scores[best] {
            ties += 1;
            // Reservoir sampling: the i-th equal replaces the choice with probability 1/i.
            if fastrand::usize(..ties) == 0 {
                best = index;
            }
        }
    }
    best
}

/// One pod's search for feasible nodes.
struct Search<'a> {
    algorithm: &'a Algorithm,
    pod: &'a PodInfo,
    nodes: &'a [Arc<NodeInfo>],
    prepared: &'a [Prepared],
    start: usize,
    to_find: usize,
}

/// What a search found: feasible node indexes in search order, how many nodes it checked,
/// and the reasons the others failed.
#[derive(Default)]
struct Found {
    feasible: Vec<usize>,
    evaluated: usize,
    reasons: HashMap<Reason, usize>,
}

impl Search<'_> {
    /// Checks the node `position` places after the start; `Ok` when the pod fits.
    fn check(&self, position: usize) -> Result<usize, Vec<Reason>> {
        let index = (self.start + position) % self.nodes.len();
        let node = &self.nodes[index];
        for (predicate, prepared) in self.algorithm.predicates.iter().zip(self.prepared) {
            predicate.check(self.pod, prepared, node)?;
        }
        Ok(index)
    }

    fn sequential(&self) -> Found {
        let mut found = Found::default();
        for position in 0..self.nodes.len() {
            found.evaluated += 1;
            match self.check(position) {
                Ok(index) => {
                    found.feasible.push(index);
                    if found.feasible.len() >= self.to_find {
                        break;
                    }
                }
                Err(reasons) => count(&mut found.reasons, reasons),
            }
        }
        found
    }

    /// Threads take chunks of positions in turn and stop once enough feasible nodes are known;
    /// the result keeps search order, so it does not depend on thread timing beyond where the
    /// search stopped.
    fn parallel(&self, threads: usize) -> Found {
        let next = AtomicUsize::new(0);
        let feasible_count = AtomicUsize::new(0);
        let enough = AtomicBool::new(false);
        let total = self.nodes.len();
        let work = || {
            let mut feasible = Vec::new();
            let mut reasons = HashMap::new();
            let mut evaluated = 0;
            while !enough.load(Ordering::Relaxed) {
                let from = next.fetch_add(CHUNK, Ordering::Relaxed);
                if from >= total {
                    break;
                }
                for position in from..(from + CHUNK).min(total) {
                    evaluated += 1;
                    match self.check(position) {
                        Ok(index) => {
                            feasible.push((position, index));
                            if feasible_count.fetch_add(1, Ordering::Relaxed) + 1 >= self.to_find {
                                enough.store(true, Ordering::Relaxed);
                            }
                        }
                        Err(failed) => count(&mut reasons, failed),
                    }
                }
            }
            (feasible, reasons, evaluated)
        };
        let results: Vec<_> = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut results = vec![work()];
            results.extend(helpers.into_iter().map(|helper| helper.join().expect("filter thread")));
            results
        });
        let mut found = Found::default();
        let mut feasible = Vec::new();
        for (mine, reasons, evaluated) in results {
            feasible.extend(mine);
            found.evaluated += evaluated;
            for (reason, n) in reasons {
                *found.reasons.entry(reason).or_default() += n;
            }
        }
        feasible.sort_unstable();
        feasible.truncate(self.to_find);
        found.feasible = feasible.into_iter().map(|(_, index)| index).collect();
        found
    }
}

fn count(into: &mut HashMap<Reason, usize>, reasons: Vec<Reason>) {
    for reason in reasons {
        *into.entry(reason).or_default() += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithm::node_info::tests::{node, pod};
    use crate::algorithm::provider::DEFAULT_PROVIDER;
    use serde_json::json;

    fn cluster(count: usize) -> Vec<Arc<NodeInfo>> {
        (0..count)
            .map(|i| {
                let labels = if i % 2 == 0 { json!({"disk": "ssd"}) } else { json!({}) };
                Arc::new(NodeInfo::new(Arc::new(node(&format!("node-{i}"), "2", "4Gi", labels))))
            })
            .collect()
    }

    #[test]
    fn the_failure_message_counts_reasons_as_upstream() {
        let algorithm = Algorithm::from_provider(DEFAULT_PROVIDER).unwrap();
        let mut wants = pod("p", "3", "1Gi");
        wants.spec.node_selector.insert("disk".into(), "ssd".into());
        let (result, _) = schedule(
            &algorithm,
            &PodInfo::new(Arc::new(wants)),
            &cluster(3),
            0,
            &SearchOptions::default(),
        );
        assert_eq!(
            result.unwrap_err().to_string(),
            "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu."
        );
        let (none, _) = schedule(
            &algorithm,
            &PodInfo::new(Arc::new(pod("p", "0", "0"))),
            &[],
            0,
            &SearchOptions::default(),
        );
        assert_eq!(none.unwrap_err().to_string(), "no nodes available to schedule pods");
    }

    #[test]
    fn only_fitting_nodes_are_chosen_in_parallel_and_in_sequence() {
        let algorithm = Algorithm::from_provider(DEFAULT_PROVIDER).unwrap();
        let mut wants = pod("p", "1", "1Gi");
        wants.spec.node_selector.insert("disk".into(), "ssd".into());
        let pod = PodInfo::new(Arc::new(wants));
        let nodes = cluster(1000);
        for parallelism in [1, 4] {
            let options = SearchOptions { parallelism, percentage_of_nodes_to_score: 0 };
            let (result, next) = schedule(&algorithm, &pod, &nodes, 10, &options);
            let scheduled = result.unwrap();
            let index: usize = scheduled.node.trim_start_matches("node-").parse().unwrap();
            assert_eq!(index % 2, 0, "{scheduled:?}");
            // 1000 nodes: 42 % → 420 feasible wanted, so about 840 checked.
            assert_eq!(scheduled.feasible, 420);
            assert!(scheduled.evaluated >= 839 && next == (10 + scheduled.evaluated) % 1000);
        }
    }

    #[test]
    fn the_search_narrows_as_clusters_grow() {
        assert_eq!(feasible_nodes_to_find(50, 0), 50);
        assert_eq!(feasible_nodes_to_find(5000, 0), 500);
        assert_eq!(feasible_nodes_to_find(100_000, 0), 5000);
        assert_eq!(feasible_nodes_to_find(200, 10), 100);
        assert_eq!(feasible_nodes_to_find(5000, 100), 5000);
    }

    #[test]
    fn ties_are_broken_at_random_among_the_best() {
        let mut seen = [0; 4];
        for _ in 0..400 {
            seen[select(&[3, 7, 7, 1])] += 1;
        }
        assert_eq!((seen[0], seen[3]), (0, 0));
        assert!(seen[1] > 100 && seen[2] > 100, "{seen:?}");
    }
}
