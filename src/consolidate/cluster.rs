//! De-duplication: raw findings of different agents about the same issue become one
//! cluster.
//!
//! Algorithm: score every pair of findings from different agent passes
//! ([`similarity`](super::similarity)), keep the pairs whose score reaches the
//! threshold and that have an anchor (nearby location, shared identifiers or a near
//! identical title), sort them by score (highest first) and then by the *content*
//! rank of both findings, and union greedily — never putting two findings of the
//! same agent pass into one cluster (unless the rules allow it).
//!
//! Invariants:
//! - the result depends only on the findings' content and on which findings share
//!   an agent pass: not on agent names (they only break ties between findings of
//!   identical content), input order, or thread count (there are no threads);
//! - clusters come out sorted by their best-ranked member, members by rank;
//! - every union is recorded with its score breakdown, for `explain`.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use crate::consolidate::rules::ClusterRules;
use crate::consolidate::similarity::{self, Features, Signals};
use crate::model::RawFinding;

/// One raw finding with who raised it and its precomputed features.
#[derive(Debug, Clone)]
pub struct Item {
    /// Lowercase agent key.
    pub agent: String,
    /// Pass, 1-based.
    pub pass: u32,
    /// The finding.
    pub finding: RawFinding,
    /// Its features.
    pub features: Features,
}

impl Item {
    /// Builds an item, computing its features.
    pub fn new(agent: &str, pass: u32, finding: RawFinding) -> Item {
        let features = Features::of(&finding);
        Item {
            agent: agent.to_string(),
            pass,
            finding,
            features,
        }
    }

    /// `claude#3` for pass 1, `claude.pass2#3` otherwise: how trails name it.
    pub fn label(&self) -> String {
        raw_label(&self.agent, self.pass, self.finding.ordinal)
    }

    /// A key that orders findings by content first, names last.
    pub fn content_key(&self) -> impl Ord + '_ {
        let f = &self.finding;
        (
            Reverse(f.severity),
            &self.features.title_key,
            &self.features.locations,
            &f.title,
            &f.body,
            (&self.agent, self.pass, f.ordinal),
        )
    }
}

/// `claude#3`, or `claude.pass2#3` for later passes.
pub fn raw_label(agent: &str, pass: u32, ordinal: u32) -> String {
    if pass == 1 {
        format!("{agent}#{ordinal}")
    } else {
        format!("{agent}.pass{pass}#{ordinal}")
    }
}

/// One union: which two findings, with what evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// Index of one finding.
    pub a: usize,
    /// Index of the other.
    pub b: usize,
    /// The signals.
    pub signals: Signals,
    /// The weighted score, permille.
    pub score: u32,
}

/// A group of raw findings about one issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Item indexes, in content order.
    pub members: Vec<usize>,
    /// The unions that built it, in the order they happened.
    pub merges: Vec<Merge>,
}

/// Groups items into clusters.
pub fn cluster(items: &[Item], rules: &ClusterRules) -> Vec<Cluster> {
    let n = items.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| items[a].content_key().cmp(&items[b].content_key()));
    let mut rank = vec![0usize; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }

    let mut edges = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let same_pass = items[a].agent == items[b].agent && items[a].pass == items[b].pass;
            if same_pass && !rules.merge_same_agent {
                continue;
            }
            let signals = similarity::signals(&items[a].features, &items[b].features, rules);
            let score = signals.score(rules);
            if score >= rules.threshold && signals.anchored(rules) {
                let (lo, hi) = if rank[a] < rank[b] { (a, b) } else { (b, a) };
                edges.push(Merge {
                    a: lo,
                    b: hi,
                    signals,
                    score,
                });
            }
        }
    }
    edges.sort_by_key(|e| (Reverse(e.score), rank[e.a], rank[e.b]));

    let mut parent: Vec<usize> = (0..n).collect();
    let mut passes: Vec<BTreeSet<(String, u32)>> = items
        .iter()
        .map(|i| BTreeSet::from([(i.agent.clone(), i.pass)]))
        .collect();
    let mut merges: Vec<Vec<Merge>> = vec![Vec::new(); n];
    for edge in edges {
        let ra = find(&mut parent, edge.a);
        let rb = find(&mut parent, edge.b);
        if ra == rb {
            continue;
        }
        if !rules.merge_same_agent && !passes[ra].is_disjoint(&passes[rb]) {
            continue;
        }
        // The better-ranked root survives, so the result does not depend on indexes.
        let (keep, gone) = if rank[ra] < rank[rb] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        parent[gone] = keep;
        let moved = std::mem::take(&mut passes[gone]);
        passes[keep].extend(moved);
        let moved = std::mem::take(&mut merges[gone]);
        merges[keep].extend(moved);
        merges[keep].push(edge);
    }

    let mut clusters: Vec<Cluster> = Vec::new();
    let mut root_of = vec![usize::MAX; n];
    for &i in &order {
        let r = find(&mut parent, i);
        if root_of[r] == usize::MAX {
            root_of[r] = clusters.len();
            clusters.push(Cluster {
                members: Vec::new(),
                merges: std::mem::take(&mut merges[r]),
            });
        }
        if let Some(c) = clusters.get_mut(root_of[r]) {
            c.members.push(i);
        }
    }
    clusters
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}
