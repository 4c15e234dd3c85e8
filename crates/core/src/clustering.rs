//! Hierarchical and threshold clustering of a correlation matrix (`CONVENTIONS.md` §8).
//!
//! - **Distance** `d_ij = √(½(1 − ρ_ij))` (the "angular" or Pearson distance of Mantegna 1999,
//!   Lopez de Prado 2016): 0 for perfectly correlated assets, `√½ ≈ 0.707` for uncorrelated
//!   ones, 1 for perfectly anti-correlated ones. The diagonal is 0, and pairs are read from the
//!   upper triangle `i < j` (scipy's `squareform(D, checks=False)` condensed order).
//! - **Hierarchical clustering** ([`hierarchical`]) with single, average, complete or Ward linkage
//!   on those distances, computed by the `kodama` crate (Müllner's algorithms: minimum spanning
//!   tree for single linkage, nearest-neighbour chain for the others, the same as scipy) and
//!   returned as a scipy linkage matrix ([`Merge`] rows `[a, b, height, size]`) with scipy's
//!   `leaves_list` order. Ward treats the distances as Euclidean and applies the Lance-Williams
//!   update, like `scipy.cluster.hierarchy.linkage(cond, method='ward')`.
//! - **Flat cuts**: [`cut`] into at most `k` clusters (scipy's `fcluster(Z, k,
//!   criterion='maxclust')`) and [`cut_at_height`] (`criterion='distance'`).
//! - **Threshold clusters** ([`threshold_clusters`]): connected components of the graph with an
//!   edge where `|ρ_ij| ≥ threshold`. With all correlations `≥ 0` they are the clusters of the
//!   single-linkage tree cut at height `√(½(1 − threshold))`; with `|ρ|`, strongly
//!   anti-correlated assets are grouped as well (they are far apart in the distance above).
//!
//! Checked against scipy 1.17 / skfolio 1.12 on the 20 stocks of the sample
//! (`tests/data/reference/clustering_sp500.json`).

use crate::covariance::Matrix;
use serde::{Deserialize, Serialize};

/// The linkage (the distance between two clusters) of the hierarchical clustering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Linkage {
    /// Nearest neighbour: the smallest distance between members (scipy `single`).
    Single,
    /// UPGMA: the mean distance between members (scipy `average`).
    Average,
    /// Farthest neighbour: the largest distance between members (scipy `complete`).
    Complete,
    /// Ward's minimum-variance criterion on the distances taken as Euclidean (scipy `ward`).
    Ward,
}

impl Linkage {
    pub const ALL: [Linkage; 4] = [
        Linkage::Single,
        Linkage::Average,
        Linkage::Complete,
        Linkage::Ward,
    ];

    /// scipy's method name.
    pub fn key(self) -> &'static str {
        match self {
            Linkage::Single => "single",
            Linkage::Average => "average",
            Linkage::Complete => "complete",
            Linkage::Ward => "ward",
        }
    }

    pub fn from_key(key: &str) -> Option<Linkage> {
        Linkage::ALL.into_iter().find(|l| l.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Linkage::Single => "Single (nearest neighbour)",
            Linkage::Average => "Average (UPGMA)",
            Linkage::Complete => "Complete (farthest neighbour)",
            Linkage::Ward => "Ward (minimum variance)",
        }
    }

    fn method(self) -> kodama::Method {
        match self {
            Linkage::Single => kodama::Method::Single,
            Linkage::Average => kodama::Method::Average,
            Linkage::Complete => kodama::Method::Complete,
            Linkage::Ward => kodama::Method::Ward,
        }
    }
}

/// `√(½(1 − ρ))` with `ρ` clamped to `[−1, 1]` (rounding can put a correlation just past 1).
fn distance_of(rho: f64) -> f64 {
    (0.5 * (1.0 - rho.clamp(-1.0, 1.0))).sqrt()
}

/// Distance `d_ij = √(½(1 − ρ_ij))`, diagonal 0 (`CONVENTIONS.md` §8).
///
/// Correlations are clamped to `[−1, 1]` first; a `NaN` correlation (an asset with constant
/// returns) stays `NaN` here; [`hierarchical`] replaces it by `√½` (ρ = 0).
pub fn correlation_distance(corr: &Matrix) -> Matrix {
    let n = corr.n;
    let mut d = Matrix::zeros(n);
    for i in 0..n {
        for j in 0..n {
            if i != j {
                d.data[i * n + j] = distance_of(corr.get(i, j));
            }
        }
    }
    d
}

/// One row of a scipy linkage matrix: clusters `a < b` merged at `height` into a cluster of
/// `size` assets. Ids `< n` are assets; id `n + s` is the cluster formed at merge `s`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    pub a: usize,
    pub b: usize,
    pub height: f64,
    pub size: usize,
}

/// A hierarchical clustering: `n − 1` merges in order of height (scipy's linkage matrix) and the
/// dendrogram's leaf order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dendrogram {
    pub linkage: Linkage,
    pub n: usize,
    pub merges: Vec<Merge>,
    /// Assets from left to right in the dendrogram: scipy's `leaves_list` (pre-order, `a`
    /// before `b`; `optimal_ordering=False`).
    pub leaf_order: Vec<usize>,
}

/// Hierarchical clustering of the assets of `corr` on the distance `√(½(1 − ρ))`.
///
/// Same result as `scipy.cluster.hierarchy.linkage(squareform(D, checks=False), method)`:
/// merges sorted by height (stable), labels `a < b` with `n + s` for the cluster of merge `s`,
/// sizes, and `leaves_list`. Only the upper triangle of `corr` is read.
///
/// A `NaN` correlation (a constant asset, or too little data) is taken as ρ = 0, i.e. distance
/// `√½`: such an asset joins the tree at the height of an uncorrelated one instead of
/// stopping the clustering. Ward heights are computed by `kodama` on squared distances and
/// returned as distances (as scipy's are).
///
/// Exactly tied distances (rounded correlations, duplicated or constant assets) can give a
/// different, equally valid tree from scipy's for average, complete and Ward linkage: kodama's
/// nearest-neighbour chain (fastcluster's) restarts the chain when fewer than two clusters are
/// left on it, scipy's continues from the one left, so they can break a tie differently.
/// Without ties the trees are the same (checked on 240 random cases: merges and leaf orders
/// identical, heights within 1e-15 relative).
pub fn hierarchical(corr: &Matrix, linkage: Linkage) -> Dendrogram {
    let n = corr.n;
    if n < 2 {
        return Dendrogram {
            linkage,
            n,
            merges: Vec::new(),
            leaf_order: (0..n).collect(),
        };
    }
    let mut condensed = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        let row = &corr.data[i * n..(i + 1) * n];
        condensed.extend(row[i + 1..].iter().map(|&rho| {
            if rho.is_nan() {
                distance_of(0.0)
            } else {
                distance_of(rho)
            }
        }));
    }
    let dend = kodama::linkage(&mut condensed, n, linkage.method());
    let merges: Vec<Merge> = dend
        .steps()
        .iter()
        .map(|s| Merge {
            // kodama already puts the smaller label first; enforce scipy's convention anyway.
            a: s.cluster1.min(s.cluster2),
            b: s.cluster1.max(s.cluster2),
            // Ward's squared update can round a zero distance to −0/−ε before the square root.
            height: if s.dissimilarity.is_nan() {
                0.0
            } else {
                s.dissimilarity
            },
            size: s.size,
        })
        .collect();
    let leaf_order = leaves(n, &merges).unwrap_or_else(|| (0..n).collect());
    Dendrogram {
        linkage,
        n,
        merges,
        leaf_order,
    }
}

/// Whether `merges` is a complete tree over `n` leaves whose children come before their parent.
fn valid_tree(n: usize, merges: &[Merge]) -> bool {
    if n == 0 || merges.len() != n - 1 {
        return false;
    }
    let mut used = vec![false; 2 * n - 1];
    for (s, m) in merges.iter().enumerate() {
        for c in [m.a, m.b] {
            if c >= n + s || used[c] {
                return false;
            }
            used[c] = true;
        }
    }
    true
}

/// scipy's `leaves_list`: pre-order traversal from the root, `a` before `b`.
fn leaves(n: usize, merges: &[Merge]) -> Option<Vec<usize>> {
    if !valid_tree(n, merges) {
        return None;
    }
    let mut out = Vec::with_capacity(n);
    let mut stack = vec![2 * n - 2];
    while let Some(node) = stack.pop() {
        if node < n {
            out.push(node);
        } else {
            let m = &merges[node - n];
            stack.push(m.b);
            stack.push(m.a);
        }
    }
    Some(out)
}

/// Flat clusters with at most `k` members each a subtree: scipy's
/// `fcluster(Z, k, criterion='maxclust')`, labels 1-based in scipy's order.
///
/// The cut is at the smallest height `h` among the merges' (cophenetic) heights that leaves at
/// most `k` clusters (ties can leave fewer than `k`); a subtree whose highest merge is `≤ h` is
/// one cluster. Labels are numbered as scipy's `cluster_monocrit` visits the tree (from the
/// root, non-leaf children first, `a` before `b`). `k ≥ n` gives every asset its own cluster,
/// labels `1..=n` in asset order (as scipy); `k = 0` is taken as 1. An invalid dendrogram
/// (hand-built) gives singletons.
pub fn cut(d: &Dendrogram, k: usize) -> Vec<usize> {
    let n = d.n;
    let k = k.max(1);
    if n <= 1 {
        return vec![1; n];
    }
    if k >= n || !valid_tree(n, &d.merges) {
        return (1..=n).collect();
    }
    let merges = &d.merges;
    let mc = max_heights(n, merges);
    let count = |thr: f64| -> usize {
        let mut nc = 0;
        let mut stack = vec![2 * n - 2];
        while let Some(node) = stack.pop() {
            if node < n || mc[node - n] <= thr {
                nc += 1;
            } else {
                let m = &merges[node - n];
                stack.push(m.a);
                stack.push(m.b);
            }
        }
        nc
    };
    let mut cands = mc.clone();
    cands.sort_by(f64::total_cmp);
    cands.dedup();
    // The count does not increase with the threshold: binary search for the smallest candidate
    // with at most k clusters (the largest, the root's, always gives 1).
    let (mut lo, mut hi) = (0usize, cands.len() - 1);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if count(cands[mid]) <= k {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    monocrit_labels(n, merges, &mc, cands[lo])
}

/// Flat clusters of the tree cut at `height`: scipy's `fcluster(Z, height,
/// criterion='distance')` (a subtree whose highest merge is `≤ height` is one cluster), labels
/// 1-based in scipy's order. Cutting the single-linkage tree at `√(½(1 − t))` gives the
/// threshold clusters of [`threshold_clusters`] at `t` when no correlation is negative. An
/// invalid dendrogram (hand-built) gives singletons.
pub fn cut_at_height(d: &Dendrogram, height: f64) -> Vec<usize> {
    let n = d.n;
    if n <= 1 {
        return vec![1; n];
    }
    if !valid_tree(n, &d.merges) {
        return (1..=n).collect();
    }
    monocrit_labels(n, &d.merges, &max_heights(n, &d.merges), height)
}

/// Highest merge in each subtree (scipy `maxdists`); children come before their parent.
fn max_heights(n: usize, merges: &[Merge]) -> Vec<f64> {
    let mut mc = vec![0.0f64; merges.len()];
    for (s, m) in merges.iter().enumerate() {
        let mut h = m.height;
        for c in [m.a, m.b] {
            if c >= n {
                h = h.max(mc[c - n]);
            }
        }
        mc[s] = h;
    }
    mc
}

/// scipy's `cluster_monocrit`: label the subtrees whose criterion is `≤ cutoff`.
fn monocrit_labels(n: usize, merges: &[Merge], mc: &[f64], cutoff: f64) -> Vec<usize> {
    let mut labels = vec![0usize; n];
    let mut visited = vec![false; 2 * n - 1];
    let mut stack = vec![2 * n - 2];
    let mut n_cluster = 0;
    let mut leader: Option<usize> = None;
    while let Some(&node) = stack.last() {
        let root = node - n;
        let (lc, rc) = (merges[root].a, merges[root].b);
        if leader.is_none() && mc[root] <= cutoff {
            leader = Some(root);
            n_cluster += 1;
        }
        if lc >= n && !visited[lc] {
            visited[lc] = true;
            stack.push(lc);
            continue;
        }
        if rc >= n && !visited[rc] {
            visited[rc] = true;
            stack.push(rc);
            continue;
        }
        for c in [lc, rc] {
            if c < n {
                if leader.is_none() {
                    n_cluster += 1;
                }
                labels[c] = n_cluster;
            }
        }
        if leader == Some(root) {
            leader = None;
        }
        stack.pop();
    }
    labels
}

/// One connected component of the threshold graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdCluster {
    /// Asset indices, ascending.
    pub members: Vec<usize>,
    /// Share of portfolio value: `Σ w_i` over the members.
    pub weight: f64,
    /// `Σ |w_i|` over the members.
    pub gross_weight: f64,
    /// The weakest link holding the cluster together: the largest `s` such that the members are
    /// connected by pairs with `|ρ| ≥ s` (the smallest `|ρ|` of the component's maximum spanning
    /// tree); `≥ threshold`. `NaN` for a singleton.
    pub min_abs_corr_link: f64,
}

/// Connected components of the graph with an edge where |ρ_ij| ≥ threshold, each with its
/// members (ascending) and share of portfolio value (Σ weights; gross = Σ |w|), sorted by
/// weight descending then first member; singletons included.
///
/// Pairs are read from the upper triangle `i < j`; a `NaN` correlation is no edge (nor is any
/// pair when `threshold` is `NaN`). Missing weights count as 0. Unlike ffn's `calc_ftca` (Fast
/// Threshold Clustering, seeded by the highest and lowest mean-correlation assets) this is
/// plain connectivity: two assets linked through a chain of pairs above the threshold are in
/// the same cluster (`CONVENTIONS.md` §8).
pub fn threshold_clusters(corr: &Matrix, threshold: f64, weights: &[f64]) -> Vec<ThresholdCluster> {
    let n = corr.n;
    let mut edges: Vec<(f64, usize, usize)> = Vec::new();
    for i in 0..n {
        let row = &corr.data[i * n..(i + 1) * n];
        for (j, rho) in row.iter().enumerate().skip(i + 1) {
            let a = rho.abs();
            if a >= threshold {
                edges.push((a, i, j));
            }
        }
    }
    // Kruskal on the strongest pairs first: the edge that joins two components is the weakest
    // link of the union.
    edges.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut parent: Vec<usize> = (0..n).collect();
    let mut link = vec![f64::NAN; n];
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (a, i, j) in edges {
        let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
        if ri != rj {
            let (keep, drop) = (ri.min(rj), ri.max(rj));
            parent[drop] = keep;
            link[keep] = a;
        }
    }
    let mut by_root: Vec<Option<usize>> = vec![None; n];
    let mut clusters: Vec<ThresholdCluster> = Vec::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        let w = weights.get(i).copied().unwrap_or(0.0);
        let idx = *by_root[r].get_or_insert_with(|| {
            clusters.push(ThresholdCluster {
                members: Vec::new(),
                weight: 0.0,
                gross_weight: 0.0,
                min_abs_corr_link: link[r],
            });
            clusters.len() - 1
        });
        let c = &mut clusters[idx];
        c.members.push(i);
        c.weight += w;
        c.gross_weight += w.abs();
    }
    clusters.sort_by(|x, y| {
        y.weight
            .total_cmp(&x.weight)
            .then(x.members[0].cmp(&y.members[0]))
    });
    clusters
}
