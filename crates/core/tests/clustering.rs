//! Clustering of the correlation matrix against scipy / skfolio (the reference's
//! `universe_P4.clustering`, tests/data/reference/clustering_sp500.json), hand-computed small
//! cases and property tests.

mod common;

use ballast_core::clustering::{
    correlation_distance, cut, cut_at_height, hierarchical, threshold_clusters, Dendrogram,
    Linkage, Merge,
};
use ballast_core::covariance::Matrix;
use common::assert_rel;
use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// The distance matrix: one square root of the same expression as numpy's.
const DIST_TOL: f64 = 1e-9;
/// Linkage heights: scipy and kodama update (squared) distances in different orders.
const HEIGHT_TOL: f64 = 1e-9;
/// Heights of the hand-computed examples (exact decimals through `ρ = 1 − 2d²` and back).
const HAND_TOL: f64 = 1e-12;

fn reference() -> Value {
    let text = std::fs::read_to_string(common::dir().join("clustering_sp500.json"))
        .expect("clustering reference json");
    serde_json::from_str(&text).expect("valid json")
}

fn labels(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("labels")
        .iter()
        .map(|s| s.as_str().expect("label").to_string())
        .collect()
}

fn matrix(v: &Value) -> Matrix {
    let rows = v.as_array().expect("rows");
    let n = rows.len();
    let data: Vec<f64> = rows
        .iter()
        .flat_map(|r| {
            r.as_array()
                .expect("row")
                .iter()
                .map(|x| x.as_f64().expect("number"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(data.len(), n * n);
    Matrix { n, data }
}

struct Ref {
    names: Vec<String>,
    corr: Matrix,
    clu: Value,
}

fn load() -> Ref {
    let r = reference();
    let names = labels(&r["sample_correlation"]["labels"]);
    assert_eq!(names, labels(&r["clustering"]["labels"]));
    Ref {
        names,
        corr: matrix(&r["sample_correlation"]["values"]),
        clu: r["clustering"].clone(),
    }
}

fn index_of(names: &[String], s: &str) -> usize {
    names
        .iter()
        .position(|x| x == s)
        .unwrap_or_else(|| panic!("{s} not a label"))
}

/// A partition as a set of sets of asset names.
fn partition_of_labels(names: &[String], lab: &[usize]) -> BTreeSet<BTreeSet<String>> {
    let mut groups: std::collections::BTreeMap<usize, BTreeSet<String>> = Default::default();
    for (i, l) in lab.iter().enumerate() {
        groups.entry(*l).or_default().insert(names[i].clone());
    }
    groups.into_values().collect()
}

fn partition_of_json(v: &Value) -> BTreeSet<BTreeSet<String>> {
    v.as_array()
        .expect("clusters")
        .iter()
        .map(|c| labels(c).into_iter().collect())
        .collect()
}

#[test]
fn distance_matrix_matches_reference() {
    let r = load();
    let d = correlation_distance(&r.corr);
    let want = matrix(&r.clu["distance_matrix"]);
    assert_eq!(d.n, want.n);
    for i in 0..d.n {
        for j in 0..d.n {
            let (g, w) = (d.get(i, j), want.get(i, j));
            if i == j {
                assert_eq!(g, 0.0);
                assert_eq!(w, 0.0);
            } else {
                assert_rel(&format!("d[{i},{j}]"), g, w, DIST_TOL);
            }
        }
    }
}

fn check_against_scipy(linkage: Linkage) {
    let r = load();
    let block = &r.clu[linkage.key()];
    let d = hierarchical(&r.corr, linkage);
    assert_eq!(d.linkage, linkage);
    assert_eq!(d.n, 20);
    let rows = block["linkage"].as_array().expect("linkage rows");
    assert_eq!(d.merges.len(), rows.len());
    for (s, (m, row)) in d.merges.iter().zip(rows).enumerate() {
        let row: Vec<f64> = row
            .as_array()
            .expect("row")
            .iter()
            .map(|x| x.as_f64().expect("number"))
            .collect();
        assert_eq!(
            (m.a, m.b, m.size),
            (row[0] as usize, row[1] as usize, row[3] as usize),
            "{} merge {s}",
            linkage.key()
        );
        assert_rel(
            &format!("{} height {s}", linkage.key()),
            m.height,
            row[2],
            HEIGHT_TOL,
        );
    }
    let leaves: Vec<usize> = labels(&block["leaves_order"])
        .iter()
        .map(|s| index_of(&r.names, s))
        .collect();
    assert_eq!(d.leaf_order, leaves, "{} leaf order", linkage.key());
    for k in 2..=5usize {
        let want = &block["fcluster_maxclust"][k.to_string()];
        let got = cut(&d, k);
        for (i, name) in r.names.iter().enumerate() {
            assert_eq!(
                got[i] as u64,
                want[name].as_u64().expect("label"),
                "{} k={k} {name}",
                linkage.key()
            );
        }
    }
}

#[test]
fn single_linkage_matches_scipy() {
    check_against_scipy(Linkage::Single);
}

#[test]
fn ward_linkage_matches_scipy() {
    check_against_scipy(Linkage::Ward);
}

#[test]
fn threshold_clusters_match_reference() {
    let r = load();
    let n = r.names.len();
    let w = vec![1.0 / n as f64; n];
    let blocks = [
        &r.clu["threshold_clusters"],
        &r.clu["threshold_clusters_extra"]["0.6"],
        &r.clu["threshold_clusters_extra"]["0.5"],
    ];
    let single = hierarchical(&r.corr, Linkage::Single);
    for b in blocks {
        let t = b["threshold"].as_f64().expect("threshold");
        let got = threshold_clusters(&r.corr, t, &w);
        let parts: BTreeSet<BTreeSet<String>> = got
            .iter()
            .map(|c| c.members.iter().map(|&i| r.names[i].clone()).collect())
            .collect();
        assert_eq!(
            parts,
            partition_of_json(&b["components_abs_rho"]["clusters"]),
            "|rho| >= {t}"
        );
        // All correlations are positive here: the same as signed rho and the single-linkage cut.
        assert_eq!(
            parts,
            partition_of_json(&b["components_signed_rho"]["clusters"])
        );
        let h = (0.5 * (1.0 - t)).sqrt();
        assert_eq!(
            partition_of_labels(&r.names, &cut_at_height(&single, h)),
            partition_of_json(&b["single_linkage_cut"]["clusters"]),
            "single-linkage cut at {h}"
        );
        // Sorted by weight, members ascending, shares add up.
        for pair in got.windows(2) {
            assert!(
                pair[0].weight > pair[1].weight
                    || (pair[0].weight == pair[1].weight
                        && pair[0].members[0] < pair[1].members[0])
            );
        }
        for c in &got {
            assert!(c.members.windows(2).all(|m| m[0] < m[1]));
            assert_rel("weight", c.weight, c.members.len() as f64 / n as f64, 1e-12);
            assert_eq!(c.weight, c.gross_weight);
            if c.members.len() == 1 {
                assert!(c.min_abs_corr_link.is_nan());
            } else {
                assert!(c.min_abs_corr_link >= t);
            }
        }
        // The pairs passing the threshold.
        let pairs = b["pairs_abs_rho_ge_threshold"].as_array().expect("pairs");
        for p in pairs {
            let (i, j) = (
                index_of(&r.names, p[0].as_str().expect("name")),
                index_of(&r.names, p[1].as_str().expect("name")),
            );
            assert_rel(
                "pair rho",
                r.corr.get(i, j),
                p[2].as_f64().expect("rho"),
                1e-15,
            );
            assert!(got
                .iter()
                .any(|c| c.members.contains(&i) && c.members.contains(&j)));
        }
    }
    // At 0.7: {BAC, JPM} and {CVX, XOM}, each held together by its one pair.
    let got = threshold_clusters(&r.corr, 0.7, &w);
    assert_eq!(got.len(), 18);
    let (bac, jpm) = (index_of(&r.names, "BAC"), index_of(&r.names, "JPM"));
    let (cvx, xom) = (index_of(&r.names, "CVX"), index_of(&r.names, "XOM"));
    assert_eq!(got[0].members, vec![bac, jpm]);
    assert_eq!(got[1].members, vec![cvx, xom]);
    assert_rel(
        "BAC-JPM link",
        got[0].min_abs_corr_link,
        0.744000367878226,
        1e-15,
    );
    assert_rel(
        "CVX-XOM link",
        got[1].min_abs_corr_link,
        0.7944138914957127,
        1e-15,
    );
    // At 0.5 the pharma cluster is chained through LLY-MRK / LLY-PFE (0.520 / 0.523), unlike
    // ffn's calc_ftca.
    let got = threshold_clusters(&r.corr, 0.5, &w);
    let pharma: Vec<usize> = ["JNJ", "LLY", "MRK", "PFE"]
        .iter()
        .map(|s| index_of(&r.names, s))
        .collect();
    assert_eq!(got[0].members, pharma);
    assert_ne!(
        partition_of_json(&r.clu["threshold_clusters_extra"]["0.5"]["ffn_ftca"]["clusters"]),
        partition_of_json(
            &r.clu["threshold_clusters_extra"]["0.5"]["components_abs_rho"]["clusters"]
        )
    );
}

/// The correlation matrix of 4 assets with the given distances `d_ij` (`ρ = 1 − 2d²`).
fn from_distances(d: [[f64; 4]; 4]) -> Matrix {
    Matrix {
        n: 4,
        data: d.iter().flatten().map(|x| 1.0 - 2.0 * x * x).collect(),
    }
}

fn assert_merges(d: &Dendrogram, want: &[(usize, usize, f64, usize)]) {
    assert_eq!(d.merges.len(), want.len());
    for (m, &(a, b, h, size)) in d.merges.iter().zip(want) {
        assert_eq!((m.a, m.b, m.size), (a, b, size), "{:?}", d.linkage);
        assert!(
            (m.height - h).abs() <= HAND_TOL,
            "{:?}: {} vs {h}",
            d.linkage,
            m.height
        );
    }
}

/// Hand-computed example (checked with scipy 1.17 `linkage` / `leaves_list` / `fcluster`).
///
/// Distances: d01 = 0.1, d02 = 0.2, d03 = 0.8, d12 = 0.5, d13 = 0.9, d23 = 0.4.
///
/// - Complete: (0,1) at 0.1 → 4; d(4,2) = max(0.2, 0.5) = 0.5, d(4,3) = max(0.8, 0.9) = 0.9, so
///   (2,3) at 0.4 → 5; d(4,5) = max of all four cross pairs = 0.9: (4,5) at 0.9.
///   Leaves 0 1 2 3; k = 2: {0,1} {2,3}.
/// - Average: (0,1) at 0.1 → 4; d(4,2) = (0.2 + 0.5)/2 = 0.35 < d23 = 0.4, so (2,4) at 0.35
///   → 5 = {0,1,2}; d(3,5) = (0.8 + 0.9 + 0.4)/3 = 0.7: (3,5) at 0.7. Leaves 3 2 0 1;
///   k = 2: {0,1,2} {3}.
/// - Single: (0,1) 0.1, (2,4) 0.2, (3,5) 0.4.
/// - Ward: (0,1) 0.1, (2,3) 0.4, then √((3·d(4,2)² + 3·d(4,3)² − 2·0.4²)/4) with
///   d(4,2)² = (2·0.04 + 2·0.25 − 0.01)/3 = 0.19, d(4,3)² = (2·0.64 + 2·0.81 − 0.01)/3 = 0.9633…:
///   √((0.57 + 2.89 − 0.32)/4) = √0.785 = 0.886002…
#[test]
fn hand_computed_four_assets() {
    let dist = [
        [0.0, 0.1, 0.2, 0.8],
        [0.1, 0.0, 0.5, 0.9],
        [0.2, 0.5, 0.0, 0.4],
        [0.8, 0.9, 0.4, 0.0],
    ];
    let corr = from_distances(dist);
    let complete = hierarchical(&corr, Linkage::Complete);
    assert_merges(&complete, &[(0, 1, 0.1, 2), (2, 3, 0.4, 2), (4, 5, 0.9, 4)]);
    assert_eq!(complete.leaf_order, vec![0, 1, 2, 3]);
    assert_eq!(cut(&complete, 2), vec![1, 1, 2, 2]);
    assert_eq!(cut(&complete, 3), vec![1, 1, 2, 3]);

    let average = hierarchical(&corr, Linkage::Average);
    assert_merges(&average, &[(0, 1, 0.1, 2), (2, 4, 0.35, 3), (3, 5, 0.7, 4)]);
    assert_eq!(average.leaf_order, vec![3, 2, 0, 1]);
    assert_eq!(cut(&average, 2), vec![1, 1, 1, 2]);
    assert_eq!(cut(&average, 3), vec![1, 1, 2, 3]);

    let single = hierarchical(&corr, Linkage::Single);
    assert_merges(&single, &[(0, 1, 0.1, 2), (2, 4, 0.2, 3), (3, 5, 0.4, 4)]);

    let ward = hierarchical(&corr, Linkage::Ward);
    assert_merges(
        &ward,
        &[(0, 1, 0.1, 2), (2, 3, 0.4, 2), (4, 5, 0.785f64.sqrt(), 4)],
    );

    for d in [&complete, &average, &single, &ward] {
        assert_eq!(cut(d, 1), vec![1, 1, 1, 1]);
        assert_eq!(cut(d, 4), vec![1, 2, 3, 4]);
        assert_eq!(cut(d, 9), vec![1, 2, 3, 4]);
    }
}

#[test]
fn average_and_complete_heights_are_monotone_on_the_sample() {
    let r = load();
    for l in Linkage::ALL {
        let d = hierarchical(&r.corr, l);
        assert!(
            d.merges.windows(2).all(|m| m[0].height <= m[1].height),
            "{l:?}"
        );
        assert_eq!(d.merges.last().map(|m| m.size), Some(20));
    }
    // Single ≤ average ≤ complete at the root (cluster distances are min / mean / max).
    let root = |l| {
        hierarchical(&r.corr, l)
            .merges
            .last()
            .map(|m: &Merge| m.height)
            .unwrap_or(f64::NAN)
    };
    assert!(root(Linkage::Single) <= root(Linkage::Average));
    assert!(root(Linkage::Average) <= root(Linkage::Complete));
}

#[test]
fn small_and_degenerate_inputs() {
    let empty = hierarchical(&Matrix::zeros(0), Linkage::Ward);
    assert!(empty.merges.is_empty() && empty.leaf_order.is_empty());
    assert!(cut(&empty, 3).is_empty());
    let one = Matrix {
        n: 1,
        data: vec![1.0],
    };
    let d = hierarchical(&one, Linkage::Average);
    assert_eq!(d.leaf_order, vec![0]);
    assert_eq!(cut(&d, 1), vec![1]);
    // A constant asset (NaN correlations) joins at the uncorrelated distance √½.
    let nan = f64::NAN;
    let corr = Matrix {
        n: 3,
        data: vec![1.0, 0.9, nan, 0.9, 1.0, nan, nan, nan, nan],
    };
    for l in Linkage::ALL {
        let d = hierarchical(&corr, l);
        assert_eq!(d.merges[0].a, 0);
        assert_eq!(d.merges[0].b, 1);
        assert_eq!(d.merges[1].a, 2);
        assert_eq!(d.merges[1].b, 3);
    }
    let single = hierarchical(&corr, Linkage::Single);
    assert!((single.merges[1].height - 0.5f64.sqrt()).abs() < HAND_TOL);
    let tc = threshold_clusters(&corr, 0.5, &[0.2, 0.3, 0.5]);
    assert_eq!(tc.len(), 2);
    assert_eq!(tc[0].members, vec![0, 1]);
    assert_eq!(tc[1].members, vec![2]);
    assert!(tc[1].min_abs_corr_link.is_nan());
    assert!(correlation_distance(&corr).get(0, 2).is_nan());
    // Negative correlations: |ρ| groups them, the signed single-linkage cut does not.
    let neg = Matrix {
        n: 2,
        data: vec![1.0, -0.9, -0.9, 1.0],
    };
    let tc = threshold_clusters(&neg, 0.8, &[0.5, -0.5]);
    assert_eq!(tc.len(), 1);
    assert_eq!(tc[0].weight, 0.0);
    assert_eq!(tc[0].gross_weight, 1.0);
    let single = hierarchical(&neg, Linkage::Single);
    assert_eq!(cut_at_height(&single, (0.5f64 * 0.2).sqrt()), vec![1, 2]);
    assert_eq!(Linkage::from_key("ward"), Some(Linkage::Ward));
    assert_eq!(Linkage::from_key("centroid"), None);
}

/// A symmetric correlation-like matrix: unit diagonal, off-diagonal entries anywhere in
/// `[−1, 1]`, some NaN and (with `wild`) some out of range or infinite.
fn corr_like(max_n: usize, wild: bool) -> impl Strategy<Value = Matrix> {
    (1..=max_n).prop_flat_map(move |n| {
        let entry = if wild {
            prop_oneof![
                6 => -1.0f64..=1.0,
                1 => Just(f64::NAN),
                1 => prop_oneof![Just(1.0), Just(-1.0), Just(0.0), Just(f64::INFINITY), -3.0f64..3.0],
            ]
            .boxed()
        } else {
            (-1.0f64..=1.0).boxed()
        };
        proptest::collection::vec(entry, n * n).prop_map(move |v| {
            let mut m = Matrix::zeros(n);
            for i in 0..n {
                for j in 0..n {
                    m.data[i * n + j] = if i == j {
                        1.0
                    } else if i < j {
                        v[i * n + j]
                    } else {
                        v[j * n + i]
                    };
                }
            }
            m
        })
    })
}

/// A clustering with labels `1..=m` all used (each asset in exactly one cluster).
fn is_partition(lab: &[usize]) -> bool {
    let m = lab.iter().copied().max().unwrap_or(0);
    let used: BTreeSet<usize> = lab.iter().copied().collect();
    lab.iter().all(|&l| l >= 1) && used.len() == m
}

proptest! {
    #[test]
    fn hierarchical_never_panics_and_gives_a_tree(corr in corr_like(14, true)) {
        let n = corr.n;
        for l in Linkage::ALL {
            let d = hierarchical(&corr, l);
            prop_assert_eq!(d.merges.len(), n.saturating_sub(1));
            let mut order = d.leaf_order.clone();
            order.sort_unstable();
            prop_assert_eq!(order, (0..n).collect::<Vec<_>>());
            prop_assert!(d.merges.iter().all(|m| m.a < m.b && m.height.is_finite() && m.height >= 0.0));
            prop_assert!(d.merges.windows(2).all(|m| m[0].height <= m[1].height));
            if let Some(root) = d.merges.last() {
                prop_assert_eq!(root.size, n);
            }
            for k in 1..=n + 1 {
                let lab = cut(&d, k);
                prop_assert_eq!(lab.len(), n);
                prop_assert!(is_partition(&lab));
                prop_assert!(lab.iter().copied().max().unwrap_or(0) <= k);
            }
        }
    }

    #[test]
    fn threshold_clusters_partition_the_assets(corr in corr_like(14, true), t in 0.0f64..1.0) {
        let n = corr.n;
        let w: Vec<f64> = (0..n).map(|i| (i as f64 - 3.0) / 10.0).collect();
        let tc = threshold_clusters(&corr, t, &w);
        let mut all: Vec<usize> = tc.iter().flat_map(|c| c.members.clone()).collect();
        all.sort_unstable();
        prop_assert_eq!(all, (0..n).collect::<Vec<_>>());
        let total: f64 = tc.iter().map(|c| c.weight).sum();
        prop_assert!((total - w.iter().sum::<f64>()).abs() < 1e-12);
        for c in &tc {
            prop_assert!(c.gross_weight >= c.weight.abs() - 1e-15);
            prop_assert!(c.members.len() == 1 || c.min_abs_corr_link >= t);
        }
    }

    #[test]
    fn threshold_components_equal_the_single_linkage_cut(corr in corr_like(14, false), t in 0.0f64..1.0) {
        // Non-negative correlations only (CONVENTIONS.md §8).
        let mut corr = corr;
        corr.data.iter_mut().for_each(|x| *x = x.abs());
        let n = corr.n;
        let tc = threshold_clusters(&corr, t, &vec![1.0; n]);
        let mut by_tc = vec![0usize; n];
        for (k, c) in tc.iter().enumerate() {
            for &i in &c.members {
                by_tc[i] = k;
            }
        }
        let lab = cut_at_height(&hierarchical(&corr, Linkage::Single), (0.5 * (1.0 - t)).sqrt());
        prop_assert!(is_partition(&lab));
        for i in 0..n {
            for j in 0..n {
                prop_assert_eq!(by_tc[i] == by_tc[j], lab[i] == lab[j], "{} {}", i, j);
            }
        }
    }
}
